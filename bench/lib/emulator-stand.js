'use strict';
// A stand for the queue benches: generated schools onboarded on Дневник.ру emulators (one each,
// answering after a random latency), one pipeline runtime with its own PostgreSQL schema and BullMQ
// prefix, and `ejsync worker` processes of the build under test.
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Redis } = require('ioredis');
const { DIST, dist } = require('./paths');

const { DEFAULT_DNEVNIK_CONFIG_FILE, loadDnevnikPlatform, markEndpointsOf } = dist('config/platform-config');
const { linkConfigSchema } = dist('config/link-config');
const { readEnvironment } = dist('config/environment');
const { generateSchool, SeededRandom } = dist('connectors/demo-school');
const { valueMapsOf } = dist('connectors/dnevnik');
const { onboardSchool, startDnevnikEmulator } = dist('connectors/dnevnik/emulator');
const { createMisCsvWriter } = dist('connectors/mis-csv');
const { readSource } = dist('connectors/read-source');
const { openPipelineRuntime } = dist('queue/pipeline-runtime');
const { deleteKeysUnder } = dist('queue/redis-connection');
const { dropSchema } = dist('store');

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = path.join(path.dirname(DIST), 'bin', 'ejsync.js');
const SECRET_KEY = Buffer.alloc(32, 9).toString('base64');
process.env.EJSYNC_SECRET_KEY = SECRET_KEY;

/** Writes that count as deliveries (reads sent as POST — groups, login accounts — and token requests do not). */
const isWrite = (r) => r.method !== 'GET' && r.path !== '/v2/edu-groups' && !r.path.startsWith('/v2/users/many') && !r.path.startsWith('/v2/authorizations');

/** A generated school's МИС export written to `dir`; resolves to the school as ejsync reads it. */
async function schoolExport(dir, { pupils, seed }) {
  const sink = await createMisCsvWriter(dir);
  await generateSchool(sink, { pupils, seed, weeks: 1 });
  return (await readSource(dir)).snapshot;
}

/**
 * One installation (`emulator`) for a sync of each school: every school onboarded on its own
 * emulator with its own token, the installation's per-token request limit set to `rate` requests/s,
 * its own schema and queue prefix. `schools`: `[{ source, exportDir }]`; `faults`: what every
 * emulator injects besides the latency (`{ burst429Rate, retryAfterSeconds }`, …).
 */
async function openStand({ schools, rate, appRate, latency, faults = {} }) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-throughput-'));
  const schema = `b_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const prefix = `ejbench-${randomUUID().slice(0, 8)}`;
  const raw = JSON.parse(readFileSync(DEFAULT_DNEVNIK_CONFIG_FILE, 'utf8'));
  raw.installations.emulator.rateLimit = { max: rate, durationMs: 1000 };
  if (appRate) raw.installations.emulator.appRateLimit = { max: appRate, durationMs: 1000 };
  const platformFile = path.join(home, 'dnevnik.json');
  writeFileSync(platformFile, JSON.stringify(raw));
  const platformConfig = loadDnevnikPlatform(platformFile);
  const env = { EJSYNC_HOME: home, DATABASE_URL, EJSYNC_DATABASE_SCHEMA: schema, REDIS_URL, EJSYNC_QUEUE_PREFIX: prefix, EJSYNC_SECRET_KEY: SECRET_KEY, EJSYNC_DNEVNIK_CONFIG: platformFile, EJSYNC_LOG_LEVEL: 'warn' };
  const runtime = await openPipelineRuntime({ env: readEnvironment(env), platformConfig, appConfig: {} });
  const rnd = new SeededRandom('throughput-latency');
  const sides = [];
  const timers = [];
  for (const [i, { source, exportDir }] of schools.entries()) {
    const { platform } = onboardSchool(source);
    const emulator = await startDnevnikEmulator(platform, valueMapsOf(platformConfig), { requestLimit: { max: 100_000, windowMs: 1000 }, markEndpoints: markEndpointsOf(platformConfig, 'emulator') });
    // The emulator delays every answer by its current latency: re-drawn every 2 ms, so per request.
    // `faults` (429 bursts, …) hold throughout.
    emulator.setFaults({ ...faults });
    if (latency.max > 0) timers.push(setInterval(() => emulator.setFaults({ ...faults, latencyMs: latency.min + rnd.next() * (latency.max - latency.min) }), 2));
    const link = linkConfigSchema.parse({
      id: schools.length === 1 ? 'bench-school' : `bench-school-${i + 1}`,
      name: `Школа для замера № ${i + 1} → эмулятор Дневник.ру`,
      school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
      source: { path: exportDir },
      target: { installation: 'emulator', schoolId: platform.school.sourceId, baseUrl: emulator.apiBase },
      policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
      windowDays: 45,
    });
    const token = emulator.issueToken();
    await runtime.ctx.store.secrets.put(`dnevnik-${link.id}`, JSON.stringify({ accessToken: token.accessToken, refreshToken: token.refreshToken, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), userId: '1', scope: 'CommonInfo,EducationalInfo' }));
    sides.push({ link, emulator, platform });
  }
  const workers = [];
  return {
    runtime,
    /** The BullMQ key prefix of this stand. */
    prefix,
    platformConfig,
    sides,
    link: sides[0].link,
    emulator: sides[0].emulator,
    platform: sides[0].platform,
    /** Worker processes started so far. */
    workers,
    /** Starts `ejsync worker` on the planning queue and the lane; resolves once it listens. */
    async startWorker(concurrency, planConcurrency = 4) {
      const child = spawn(process.execPath, [BIN, 'worker', '--queues', 'plan,dnevnik-emulator', '--concurrency', String(concurrency), '--plan-concurrency', String(planConcurrency), '--no-schedules'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
      for (const t of timers) clearInterval(t);
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once('exit', r)) : null)));
      await runtime.close();
      for (const s of sides) await s.emulator.close();
      await dropSchema(DATABASE_URL, schema);
      const redis = new Redis(REDIS_URL);
      await deleteKeysUnder(redis, prefix);
      redis.disconnect();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The delivery phase in an emulator's log: from the first write's arrival to the last one's. */
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

module.exports = { REDIS_URL, DATABASE_URL, isWrite, schoolExport, openStand, deliveryPhase, overBudget };
