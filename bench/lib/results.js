'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { machineInfo } = require('./machine');
const { DIST, LABEL, RESULTS, ROOT } = require('./paths');

const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** min / median / max of one measure over the runs. */
function spread(runs, pick) {
  const values = runs.map(pick);
  return { min: round(Math.min(...values), 2), median: round(median(values), 2), max: round(Math.max(...values), 2) };
}

/** Writes `bench/results/<name>.json` (the latest run of that bench and size) and returns its path. */
function writeResult(name, body) {
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}${LABEL ? `-${LABEL}` : ''}.json`);
  const build = { dist: path.relative(ROOT, DIST) || DIST, ...(LABEL ? { label: LABEL } : {}) };
  const doc = { bench: name, date: new Date().toISOString(), machine: machineInfo(), build, ...body };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

/** Parses `--name value` / `--flag` arguments into an object (numbers where they look like numbers). */
function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    const key = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (typeof defaults[key] === 'boolean') out[key] = true;
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${m[1]} needs a value`);
      out[key] = Array.isArray(defaults[key]) ? v.split(',').map(Number) : /^\d+$/.test(v) ? Number(v) : v;
    }
  }
  return out;
}

module.exports = { round, median, spread, writeResult, parseArgs };
