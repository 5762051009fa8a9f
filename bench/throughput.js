'use strict';
// Issue 5: end-to-end sync throughput against the Дневник.ру emulator under a rate budget.
//   node bench/throughput.js [--pupils 40] [--seed throughput] [--rate 20] [--min-latency 50]
//                            [--max-latency 200] [--concurrency 8] [--runs 3] [--skip-overhead]
// Needs Redis (REDIS_URL) and PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test);
// every run uses its own BullMQ prefix and schema and removes them. Measures the build in dist/
// (or EJSYNC_BENCH_DIST); writes bench/results/throughput.json.
//
// Budget: a first sync (creates only) through an `ejsync worker` process, the lane's rate limit set
// to --rate requests/s, the emulator answering after a random 50–200 ms. From the emulator's own
// request log (arrival times): the share of the budget the delivery phase used (requests between
// the first and the last write, per second, over the rate), and the requests that arrived while the
// last second already held --rate requests (over the budget).
// Overhead: the same first sync with no latency and no limit, through the queue at concurrency 1
// and 8, against the same changes applied by direct connector calls in one loop (no queue, no
// delivery log): the difference per delivery is what the queue costs.
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { dist } = require('./lib/paths');
const { median, parseArgs, round, writeResult } = require('./lib/results');
const { REDIS_URL, deliveryPhase, openStand, overBudget, schoolExport } = require('./lib/emulator-stand');

const { markEndpointsOf } = dist('config/platform-config');
const { DnevnikClient, DnevnikConnector, valueMapsOf } = dist('connectors/dnevnik');
const { translateReferences } = dist('reconcile');

/** One sync through a worker process; what the emulator saw. */
async function queuedSync(stand, concurrency) {
  await stand.startWorker(concurrency);
  const started = performance.now();
  const run = await stand.runtime.startRun(stand.link, 'person', 'bench');
  const done = await stand.runtime.waitForRun(run.id, { timeoutMs: 30 * 60_000 });
  if (done.status !== 'succeeded') throw new Error(`run ${run.id} ended ${done.status}`);
  const changes = (await stand.runtime.ctx.store.changes.list(run.id)).length;
  return { run: done, changes, wallSeconds: (performance.now() - started) / 1000 };
}

async function budgetRun(source, exportDir, opts) {
  const stand = await openStand({ schools: [{ source, exportDir }], rate: opts.rate, latency: { min: opts.minLatency, max: opts.maxLatency } });
  try {
    const { changes, wallSeconds } = await queuedSync(stand, opts.concurrency);
    const requests = stand.emulator.state.requests;
    const phase = deliveryPhase(requests);
    const all = overBudget(requests, opts.rate);
    const used = (phase.requests.length - 1) / (phase.seconds * opts.rate);
    return {
      deliveries: changes,
      writes: phase.writes.length,
      requestsInPhase: phase.requests.length,
      phaseSeconds: round(phase.seconds, 2),
      wallSeconds: round(wallSeconds, 2),
      writesPerSecond: round(phase.writes.length / phase.seconds, 2),
      budgetUsedPercent: round(used * 100, 1),
      requestsOverBudget: all.over,
      fullestSecond: all.fullest,
    };
  } finally {
    await stand.close();
  }
}

/** The staged changes of a finished run, applied again by direct connector calls on a fresh emulator. */
async function directReplay(source, exportDir, runId, changes, idMapRows) {
  const stand = await openStand({ schools: [{ source, exportDir }], rate: 100_000, latency: { min: 0, max: 0 } });
  try {
    const config = stand.platformConfig;
    const token = stand.emulator.issueToken();
    const client = new DnevnikClient({ baseUrl: stand.emulator.apiBase, tokens: { accessToken: async () => token.accessToken, refresh: async () => token.accessToken }, rateLimit: { max: 100_000, durationMs: 1000 }, timeoutMs: 20_000 });
    const connector = new DnevnikConnector({
      client,
      baseUrl: stand.emulator.apiBase,
      environment: 'emulator',
      schoolId: stand.platform.school.sourceId,
      timeZone: source.school.timeZone,
      capabilities: config.capabilities,
      comparableFields: config.comparableFields,
      comparison: config.comparison,
      maps: valueMapsOf(config),
      markEndpoints: markEndpointsOf(config, 'emulator'),
    });
    // What was matched before the run (onboarding gives the same platform ids on every emulator).
    const ids = new Map();
    const put = (entity, sourceId, targetId) => (ids.get(entity) ?? ids.set(entity, new Map()).get(entity)).set(sourceId, targetId);
    for (const r of idMapRows) if (r.matchedBy !== 'created') put(r.entity, r.sourceId, r.targetId);
    for (const c of changes) {
      const after = c.after ? translateReferences(c.entity, c.after, (e, id) => ids.get(e)?.get(id)).record : undefined;
      const outcome = await connector.apply({ id: c.changeId, entity: c.entity, op: c.op, sourceId: c.sourceId, ...(c.targetId ? { targetId: c.targetId } : {}), ...(after ? { after } : {}) });
      if (c.op === 'create') put(c.entity, c.sourceId, outcome.targetId);
    }
    const phase = deliveryPhase(stand.emulator.state.requests);
    return { writes: phase.writes.length, phaseSeconds: phase.seconds };
  } finally {
    await stand.close();
  }
}

async function overheadRuns(source, exportDir, opts) {
  const out = {};
  let replayOf = null;
  for (const concurrency of [1, opts.concurrency]) {
    const stand = await openStand({ schools: [{ source, exportDir }], rate: 100_000, latency: { min: 0, max: 0 } });
    try {
      const { run, changes, wallSeconds } = await queuedSync(stand, concurrency);
      const phase = deliveryPhase(stand.emulator.state.requests);
      out[`queue-c${concurrency}`] = { deliveries: changes, phaseSeconds: round(phase.seconds, 2), wallSeconds: round(wallSeconds, 2), msPerDelivery: round((phase.seconds * 1000) / (phase.writes.length - 1), 2), deliveriesPerSecond: round(phase.writes.length / phase.seconds, 1) };
      if (concurrency === 1) replayOf = { runId: run.id, changes: await stand.runtime.ctx.store.changes.list(run.id), idMap: await stand.runtime.ctx.store.idMap.all(stand.link.id) };
    } finally {
      await stand.close();
    }
  }
  const direct = await directReplay(source, exportDir, replayOf.runId, replayOf.changes, replayOf.idMap);
  out.direct = { deliveries: direct.writes, phaseSeconds: round(direct.phaseSeconds, 2), msPerDelivery: round((direct.phaseSeconds * 1000) / (direct.writes - 1), 2), deliveriesPerSecond: round(direct.writes / direct.phaseSeconds, 1) };
  out.queueOverheadMsPerDelivery = round(out['queue-c1'].msPerDelivery - out.direct.msPerDelivery, 2);
  return out;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), { pupils: 40, seed: 'throughput', rate: 20, minLatency: 50, maxLatency: 200, concurrency: 8, runs: 3, skipOverhead: false });
  const loadAverageBefore = os.loadavg().map((n) => round(n, 2));
  const exportDir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-throughput-export-'));
  try {
    const source = await schoolExport(exportDir, opts);
    const runs = [];
    for (let i = 0; i < opts.runs; i++) {
      const r = await budgetRun(source, exportDir, opts);
      console.log(`  budget run ${i + 1}: ${r.writes} writes in ${r.phaseSeconds} s, ${r.writesPerSecond} writes/s, budget used ${r.budgetUsedPercent} %, over budget ${r.requestsOverBudget} (fullest second ${r.fullestSecond})`);
      runs.push(r);
    }
    const overhead = opts.skipOverhead ? null : await overheadRuns(source, exportDir, opts);
    if (overhead) console.log(`  overhead: direct ${overhead.direct.msPerDelivery} ms/delivery, queue c=1 ${overhead['queue-c1'].msPerDelivery} ms, c=${opts.concurrency} ${overhead[`queue-c${opts.concurrency}`].msPerDelivery} ms → queue overhead ${overhead.queueOverheadMsPerDelivery} ms per delivery`);
    const file = writeResult('throughput', {
      setup: {
        school: { pupils: opts.pupils, seed: opts.seed, weeks: 1 },
        rateBudget: `${opts.rate} requests/s (lane rate limit of the emulator installation)`,
        latencyMs: [opts.minLatency, opts.maxLatency],
        concurrency: opts.concurrency,
        workers: '1 `ejsync worker` process (plan + lane); emulator, store client and run start in the bench process',
        redis: REDIS_URL.replace(/\/\/[^@]*@/, '//'),
        store: 'PostgreSQL',
      },
      loadAverageBefore,
      budget: {
        runs,
        budgetUsedPercent: { min: Math.min(...runs.map((r) => r.budgetUsedPercent)), median: median(runs.map((r) => r.budgetUsedPercent)), max: Math.max(...runs.map((r) => r.budgetUsedPercent)) },
        requestsOverBudget: runs.reduce((n, r) => n + r.requestsOverBudget, 0),
        targetMet: runs.every((r) => r.budgetUsedPercent >= 95 && r.requestsOverBudget === 0),
      },
      overhead,
    });
    console.log(`  → ${path.relative(process.cwd(), file)}`);
  } finally {
    rmSync(exportDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
