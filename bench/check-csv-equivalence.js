'use strict';
// Checks that the quote-free CSV fast path gives exactly what the general parser gives:
// 1. readCsvRows on random quote-free texts (line endings, BOMs, blank and ragged lines, random
//    chunking), with and without `quoteFree`;
// 2. readSource + sanity checks on whole exports (folder and ZIP, UTF-8 and Windows-1251, `;` and `,`),
//    with the fast path on and forced off.
//   npm run build && node bench/check-csv-equivalence.js [--cases 3000]
const assert = require('node:assert/strict');
const { mkdtempSync, rmSync, createWriteStream } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const { dist } = require('./lib/paths');
const { parseArgs } = require('./lib/results');

const { readCsvRows } = dist('connectors/file-bundle');
const byteScan = dist('connectors/file-bundle/byte-scan');
const { readSource } = dist('connectors/read-source');
const { runSanityChecks } = dist('reconcile/sanity');
const { generateSchool } = dist('connectors/demo-school');
const { createMisCsvWriter } = dist('connectors/mis-csv');

/** Small deterministic PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'б', 'Ё', '𝄞', ' ', ';', ',', ';', '\n', '\r\n', '\r', '\uFEFF', 'id', 'x1', '', '\t', '2026-11-09'];

function randomText(rnd) {
  const n = Math.floor(rnd() * 60);
  let s = rnd() < 0.2 ? '\uFEFF' : '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return s;
}

function randomChunks(rnd, text) {
  const chunks = [];
  let i = 0;
  while (i < text.length) {
    const len = 1 + Math.floor(rnd() * 8);
    chunks.push(text.slice(i, i + len));
    i += len;
  }
  return chunks;
}

async function collect(chunks, options) {
  const events = [];
  const rows = readCsvRows(Readable.from(chunks.length ? chunks : [], { objectMode: true }), {
    ...options,
    onHeader: (h) => events.push(['header', h]),
    onMalformed: (row, reason) => events.push(['malformed', row, reason]),
  });
  for await (const r of rows) events.push(['row', r.row, r.values]);
  return events;
}

async function fuzz(cases) {
  const rnd = prng(20261125);
  for (let c = 0; c < cases; c++) {
    const text = randomText(rnd);
    const chunks = randomChunks(rnd, text);
    for (const delimiter of [undefined, ';', ',']) {
      const general = await collect(chunks, { delimiter });
      const fast = await collect(chunks, { delimiter, quoteFree: true });
      assert.deepEqual(fast, general, `case ${c}: ${JSON.stringify(text)} in ${JSON.stringify(chunks)} (delimiter ${delimiter})`);
    }
  }
  console.log(`readCsvRows: ${cases} random quote-free texts × 3 delimiter settings, fast path = general parser`);
}

function zipFolder(dir, file) {
  const yazl = require(path.join(__dirname, '..', 'node_modules', 'yazl'));
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const name of require('node:fs').readdirSync(dir)) if (name.endsWith('.csv')) zip.addFile(path.join(dir, name), `export/${name}`);
    zip.outputStream.pipe(createWriteStream(file)).on('close', resolve).on('error', reject);
    zip.end();
  });
}

async function validate(target) {
  const read = await readSource(target);
  const findings = [...read.findings];
  if (read.snapshot) findings.push(...runSanityChecks(read.snapshot));
  return { read, findings };
}

async function exports() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ejsync-csv-check-'));
  const real = byteScan.containsByte;
  try {
    const variants = [
      { name: 'utf-8 ;', writer: {} },
      { name: 'windows-1251 ;', writer: { encoding: 'windows-1251' } },
      { name: 'utf-8 ,', writer: { delimiter: ',' } },
    ];
    for (const v of variants) {
      const dir = path.join(tmp, v.name.replace(/\W+/g, '-'));
      await generateSchool(await createMisCsvWriter(dir, v.writer), { pupils: 600, seed: `check-${v.name}`, weeks: 1 });
      const zip = `${dir}.zip`;
      await zipFolder(dir, zip);
      for (const target of [dir, zip]) {
        byteScan.containsByte = real;
        const fast = await validate(target);
        byteScan.containsByte = async () => true;
        const general = await validate(target);
        byteScan.containsByte = real;
        assert.ok(fast.read.snapshot, `${target}: unreadable`);
        assert.deepEqual(fast, general, `${v.name} ${path.extname(target) || 'folder'}: fast path differs`);
        console.log(`readSource ${v.name} ${path.extname(target) ? 'zip' : 'folder'}: identical (${fast.read.snapshot.marks.length} marks, ${fast.findings.length} findings)`);
      }
    }
  } finally {
    byteScan.containsByte = real;
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), { cases: 3000 });
  await fuzz(opts.cases);
  await exports();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
