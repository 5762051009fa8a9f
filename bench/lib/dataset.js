'use strict';
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { DATA } = require('./paths');
const { runStep } = require('./run-step');

/** Where the МИС CSV export of one demo school is kept (generation is deterministic per options). */
function datasetDir({ pupils, seed, weeks }) {
  return path.join(DATA, `mis-csv-${pupils}-${seed}-${weeks}w`);
}

/** Marks a fully written export (a dot file: the МИС reader ignores it). */
const COMPLETE = '.complete';

function isComplete(dir) {
  return existsSync(path.join(dir, COMPLETE));
}

function markComplete(dir) {
  writeFileSync(path.join(dir, COMPLETE), `${new Date().toISOString()}\n`);
}

/** Size and files of an export, for the record. */
function describeDataset(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
  const bytes = files.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
  return { dir, files: files.length, megabytes: Math.round((bytes / 1e6) * 10) / 10 };
}

/** The export for these options, generated (not measured) when it is missing. */
async function ensureDataset(options) {
  const dir = datasetDir(options);
  if (!isComplete(dir)) {
    process.stdout.write(`  generating ${options.pupils} pupils into ${dir} (not measured)…\n`);
    await runStep('generate-step', { ...options, dir });
    markComplete(dir);
  }
  return dir;
}

module.exports = { datasetDir, ensureDataset, describeDataset, markComplete };
