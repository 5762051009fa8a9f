'use strict';
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const MARKER = 'BENCH_RESULT ';

/**
 * Runs one measured step in a fresh node process, so that its peak memory is its own and no
 * earlier step warmed its caches. The step prints one `BENCH_RESULT {json}` line on stdout;
 * everything else it prints is passed through.
 */
function runStep(step, args, { nodeFlags = [], env } = {}) {
  const script = path.join(__dirname, '..', 'steps', `${step}.js`);
  const loadAverageBefore = os.loadavg().map((n) => Math.round(n * 100) / 100);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'], env: env ? { ...process.env, ...env } : process.env });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(MARKER));
      for (const l of out.split('\n')) if (l && !l.startsWith(MARKER)) process.stdout.write(`  | ${l}\n`);
      if (code !== 0 || !line) return reject(new Error(`step ${step} failed (exit ${code ?? signal})`));
      resolve({ ...JSON.parse(line.slice(MARKER.length)), loadAverageBefore });
    });
  });
}

/** Called by a step: hands its measurements to the parent. */
function report(result) {
  process.stdout.write(`${MARKER}${JSON.stringify(result)}\n`);
}

/** The step's arguments, as passed by `runStep`. */
function stepArgs() {
  return JSON.parse(process.argv[2] ?? '{}');
}

module.exports = { runStep, report, stepArgs };
