'use strict';
const { existsSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
/** The build measured: dist/, or another build to compare with (e.g. one of an earlier commit). */
const DIST = process.env.EJSYNC_BENCH_DIST ? path.resolve(process.env.EJSYNC_BENCH_DIST) : path.join(ROOT, 'dist');
/** Suffix of the result files when another build is measured (`import-100000-before.json`). */
const LABEL = process.env.EJSYNC_BENCH_LABEL ?? '';
const RESULTS = path.join(ROOT, 'bench', 'results');
/** Generated schools live here (hundreds of MB at 100,000 pupils): never in the repository. */
const DATA = process.env.EJSYNC_BENCH_DIR ?? path.join(os.tmpdir(), 'ejsync-bench');

/** Loads a compiled module from dist/ (the benches measure what `npm run build` produced). */
function dist(modulePath) {
  const file = path.join(DIST, modulePath);
  if (!existsSync(`${file}.js`) && !existsSync(path.join(file, 'index.js'))) {
    throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  return require(file);
}

module.exports = { ROOT, DIST, LABEL, RESULTS, DATA, dist };
