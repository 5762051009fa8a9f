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
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DIST, dist } = require('./lib/paths');
const { median, parseArgs, round, writeResult } = require('./lib/results');

const { Redis } = require('ioredis');
const { DEFAULT_DNEVNIK_CONFIG_FILE, loadDnevnikPlatform, markEndpointsOf } = dist('config/platform-config');
const { linkConfigSchema } = dist('config/link-config');
const { readEnvironment } = dist('config/environment');
const { generateSchool, SeededRandom } = dist('connectors/demo-school');
const { DnevnikClient, DnevnikConnector, valueMapsOf } = dist('connectors/dnevnik');
const { onboardSchool, startDnevnikEmulator } = dist('connectors/dnevnik/emulator');
const { createMisCsvWriter } = dist('connectors/mis-csv');
const { readSource } = dist('connectors/read-source');
const { openPipelineRuntime } = dist('queue/pipeline-runtime');
const { translateReferences } = dist('reconcile');
const { dropSchema } = dist('store');

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = path.join(path.dirname(DIST), 'bin', 'ejsync.js');
const SECRET_KEY = Buffer.alloc(32, 9).toString('base64');
process.env.EJSYNC_SECRET_KEY = SECRET_KEY;

/** Writes that count as deliveries (reads by POST and token requests do not). */
const isWrite = (r) => r.method !== 'GET' && r.path !== '/v2/edu-groups' && !r.path.startsWith('/v2/authorizations');

/** A generated school's МИС export (written once per bench run). */
async function schoolExport(dir, { pupils, seed }) {
  const sink = await createMisCsvWriter(dir);
  await generateSchool(sink, { pupils, seed, weeks: 1 });
  return (await readSource(dir)).snapshot;
}

/**
 * One installation for one sync: the school onboarded on a fresh emulator, a platform file with
 * the lane's rate limit, the token stored, its own schema and queue prefix.
 */
async function openStand({ source, exportDir, rate, latency }) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-throughput-'));
  const schema = `b_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const prefix = `ejbench-${randomUUID().slice(0, 8)}`;
  const raw = JSON.parse(readFileSync(DEFAULT_DNEVNIK_CONFIG_FILE, 'utf8'));
  raw.installations.emulator.rateLimit = { max: rate, durationMs: 1000 };
  const platformFile = path.join(home, 'dnevnik.json');
  writeFileSync(platformFile, JSON.stringify(raw));
  const platformConfig = loadDnevnikPlatform(platformFile);
  const { platform } = onboardSchool(source);
  const emulator = await startDnevnikEmulator(platform, valueMapsOf(platformConfig), { requestLimit: { max: 100_000, windowMs: 1000 }, markEndpoints: markEndpointsOf(platformConfig, 'emulator') });
  const rnd = new SeededRandom('throughput-latency');
  // The emulator delays every answer by its current latency: re-drawn every 2 ms, so per request.
  const jitter = latency.max > 0 ? setInterval(() => emulator.setFaults({ latencyMs: latency.min + rnd.next() * (latency.max - latency.min) }), 2) : null;
  const env = { EJSYNC_HOME: home, DATABASE_URL, EJSYNC_DATABASE_SCHEMA: schema, REDIS_URL, EJSYNC_QUEUE_PREFIX: prefix, EJSYNC_SECRET_KEY: SECRET_KEY, EJSYNC_DNEVNIK_CONFIG: platformFile, EJSYNC_LOG_LEVEL: 'warn' };
  const runtime = await openPipelineRuntime({ env: readEnvironment(env), platformConfig, appConfig: {} });
  const link = linkConfigSchema.parse({
    id: 'bench-school',
    name: 'Школа для замера → эмулятор Дневник.ру',
    school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
    source: { path: exportDir },
    target: { installation: 'emulator', schoolId: platform.school.sourceId, baseUrl: emulator.apiBase },
    policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
    windowDays: 45,
  });
  const token = emulator.issueToken();
  await runtime.ctx.store.secrets.put(`dnevnik-${link.id}`, JSON.stringify({ accessToken: token.accessToken, refreshToken: token.refreshToken, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), userId: '1', scope: 'CommonInfo,EducationalInfo' }));
  const workers = [];
  return {
    env: { ...process.env, ...env },
    runtime,
    link,
    emulator,
    platformConfig,
    platform,
    /** Starts `ejsync worker` on the planning queue and the lane; resolves once it listens. */
    async startWorker(concurrency) {
      const child = spawn(process.execPath, [BIN, 'worker', '--queues', 'plan,dnevnik-emulator', '--concurrency', String(concurrency), '--no-schedules'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      workers.push(child);
      let out = '';
      await new Promise((resolve, reject) => {
        const onData = (c) => {
          out += c.toString();
          if (out.includes('Обработчик ejsync запущен')) resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', () => reject(new Error(`ejsync worker exited: ${out}`)));
      });
    },
    async close() {
      if (jitter) clearInterval(jitter);
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once('exit', r)) : null)));
      await runtime.close();
      await emulator.close();
      await dropSchema(DATABASE_URL, schema);
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The delivery phase in the emulator's log: from the first write's arrival to the last one's. */
function deliveryPhase(requests) {
  const writes = requests.filter(isWrite);
  const from = writes[0].t;
  const to = writes.at(-1).t;
  return { writes, from, to, seconds: (to - from) / 1000, requests: requests.filter((r) => r.t >= from && r.t <= to) };
}

/** Requests that arrived while the second before already held `max` (each one over the budget), and the fullest second. */
function overBudget(requests, max, windowMs = 1000) {
  const t = requests.map((r) => r.t).sort((a, b) => a - b);
  let over = 0;
  let fullest = 0;
  let from = 0;
  for (let i = 0; i < t.length; i++) {
    while (t[i] - t[from] >= windowMs) from++;
    const inWindow = i - from + 1;
    fullest = Math.max(fullest, inWindow);
    if (inWindow > max) over++;
  }
  return { over, fullest };
}

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
  const stand = await openStand({ source, exportDir, rate: opts.rate, latency: { min: opts.minLatency, max: opts.maxLatency } });
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
  const stand = await openStand({ source, exportDir, rate: 100_000, latency: { min: 0, max: 0 } });
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
    const stand = await openStand({ source, exportDir, rate: 100_000, latency: { min: 0, max: 0 } });
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
