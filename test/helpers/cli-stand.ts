import { demoWindowDays } from '../../src/connectors/demo-school';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { DEFAULT_DNEVNIK_CONFIG_FILE, loadDnevnikPlatform, markEndpointsOf } from '../../src/config/platform-config';
import { generateSchool } from '../../src/connectors/demo-school';
import { valueMapsOf } from '../../src/connectors/dnevnik';
import { onboardSchool, startDnevnikEmulator, type DnevnikEmulator, type DnevnikEmulatorOptions, type EmulatorState } from '../../src/connectors/dnevnik/emulator';
import { createMisCsvWriter } from '../../src/connectors/mis-csv';
import { readSource } from '../../src/connectors/read-source';
import { ENTITY_ORDER, SnapshotCollector, type Snapshot } from '../../src/model';
import { deliveryQueueName, PLAN_QUEUE } from '../../src/queue/queue-names';
import { dropSchema, openStore, SecretBox, type Store } from '../../src/store';
import { DATABASE_URL } from './database';
import { REDIS_URL, redisTestContext } from './redis';

/** The built CLI, as an administrator runs it. */
export const BIN = path.resolve(__dirname, '../../bin/ejsync.js');

/** The line `ejsync worker` prints once its workers listen. */
export const WORKER_STARTED = /Обработчик ejsync запущен \(процесс (\d+)\)/;

export interface CliStandOptions {
  /** Generated school. @defaultValue 40 pupils, 1 week, seed `cli-stand` */
  pupils?: number;
  weeks?: number;
  seed?: string;
  /** Emulator options over the stand's (request limit 10,000/s, the config's mark endpoints). */
  emulator?: DnevnikEmulatorOptions;
  /**
   * Requests per second of the emulator installation's lane (written into a copy of
   * `config/platforms/dnevnik.json` that `EJSYNC_DNEVNIK_CONFIG` points at). @defaultValue the shipped file's
   */
  laneRateLimit?: { max: number; durationMs: number };
  /** The installation's `config.json` (`alerts`, …). @defaultValue none */
  appConfig?: Record<string, unknown>;
  /** Extra environment of every spawned CLI process. */
  env?: NodeJS.ProcessEnv;
  /** @defaultValue `cli-stand` */
  linkId?: string;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A spawned long-running CLI process (`ejsync worker`) with its output so far. */
export interface CliProcess {
  child: ChildProcess;
  /** stdout + stderr so far. */
  output(): string;
  /** Resolves with the first match of `re` in the output (rejects after `timeoutMs` or when the process exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The journal as a school sees it: works, marks and attendance by natural key with their values. */
export interface Journal {
  works: string[];
  marks: string[];
  attendance: string[];
}

/** Natural keys and values of what the emulated platform holds (no platform ids of written records). */
export function journalOf(state: EmulatorState): Journal {
  const workKey = (id: string) => {
    const w = state.works.get(id);
    return w ? `${w.lessonId}|${w.workTypeId}|${w.title ?? ''}` : `missing ${id}`;
  };
  return {
    works: [...state.works.values()].map((w) => `${workKey(w.sourceId)}|${w.date}`).sort(),
    marks: [...state.marks.values()].map((m) => `${m.pupilId}|${workKey(m.workId!)}|${m.platformValue}`).sort(),
    attendance: [...state.entries.values()].map((e) => `${e.lessonId}|${e.pupilId}|${e.platformStatus}|${e.comment ?? ''}`).sort(),
  };
}

/** Writes a Snapshot as ejsync's МИС CSV export into `dir`. */
export async function writeMisExport(dir: string, snapshot: Snapshot): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  const sink = await createMisCsvWriter(dir);
  await sink.school(snapshot.school);
  for (const collection of ENTITY_ORDER) for (const record of snapshot[collection]) await sink.add(collection, record as never);
  await sink.close();
}

/**
 * A school's МИС export, the same school onboarded on a Дневник.ру emulator, a link file to it,
 * a stored platform token, and the environment of spawned `ejsync` processes: own Redis prefix
 * (`EJSYNC_QUEUE_PREFIX`), own PostgreSQL schema (`EJSYNC_DATABASE_SCHEMA`), own `EJSYNC_HOME`.
 * `close()` stops every spawned process and removes all of it. Redis or PostgreSQL being down
 * fails the test.
 */
export async function startCliStand(options: CliStandOptions = {}) {
  const redis = await redisTestContext();
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-stand-'));
  const secretKey = Buffer.alloc(32, 5).toString('base64');
  const exportDir = path.join(home, 'export');
  const children: ChildProcess[] = [];
  let store: Store | null = null;
  let emulator: DnevnikEmulator | null = null;
  const queues: Queue[] = [];

  const close = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    for (const q of queues) await q.close().catch(() => undefined);
    await emulator?.close();
    await store?.close();
    await dropSchema(DATABASE_URL, schema);
    await redis.cleanup();
    rmSync(home, { recursive: true, force: true });
  };

  try {
    const collector = new SnapshotCollector();
    await generateSchool(collector, { pupils: options.pupils ?? 40, seed: options.seed ?? 'cli-stand', weeks: options.weeks ?? 1 });
    await writeMisExport(exportDir, collector.snapshot());
    // What ejsync itself reads from the export is what the platform was onboarded from.
    const source = (await readSource(exportDir)).snapshot!;
    const { platform } = onboardSchool(source);

    let platformFile = DEFAULT_DNEVNIK_CONFIG_FILE;
    if (options.laneRateLimit) {
      const raw = JSON.parse(readFileSync(DEFAULT_DNEVNIK_CONFIG_FILE, 'utf8'));
      // One school on the installation: its token's limit and the installation's app budget are one.
      raw.installations.emulator.rateLimit = options.laneRateLimit;
      raw.installations.emulator.appRateLimit = options.laneRateLimit;
      platformFile = path.join(home, 'dnevnik.json');
      writeFileSync(platformFile, JSON.stringify(raw, null, 2));
    }
    const platformConfig = loadDnevnikPlatform(platformFile);
    emulator = await startDnevnikEmulator(platform, valueMapsOf(platformConfig), {
      requestLimit: { max: 10_000, windowMs: 1000 },
      markEndpoints: markEndpointsOf(platformConfig, 'emulator'),
      ...options.emulator,
    });
    if (options.appConfig) writeFileSync(path.join(home, 'config.json'), JSON.stringify(options.appConfig, null, 2));

    const linkId = options.linkId ?? 'cli-stand';
    const linkFile = path.join(home, 'link.json');
    const link = {
      id: linkId,
      name: 'Школа стенда → эмулятор Дневник.ру',
      school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
      source: { path: './export' },
      target: { installation: 'emulator', schoolId: platform.school.sourceId, baseUrl: emulator.apiBase },
      policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
      windowDays: demoWindowDays(new Date()),
    };
    writeFileSync(linkFile, JSON.stringify(link, null, 2));

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      EJSYNC_HOME: home,
      DATABASE_URL,
      EJSYNC_DATABASE_SCHEMA: schema,
      REDIS_URL,
      EJSYNC_QUEUE_PREFIX: redis.prefix,
      EJSYNC_SECRET_KEY: secretKey,
      EJSYNC_DNEVNIK_CONFIG: platformFile,
      EJSYNC_LOG_LEVEL: 'warn',
      ...options.env,
    };

    // The token `dnevnik connect` would have stored (OAuth itself is tested in link-commands).
    store = await openStore({ databaseUrl: DATABASE_URL, schema, secretBox: SecretBox.fromString(secretKey), poolSize: 4 });
    const token = emulator.issueToken();
    await store.secrets.put(`dnevnik-${linkId}`, JSON.stringify({ accessToken: token.accessToken, refreshToken: token.refreshToken, expiresAt: new Date(Date.now() + token.expiresIn * 1000).toISOString(), userId: '1000000000000012345', scope: 'CommonInfo,EducationalInfo' }));

    const openedStore = store;
    const openedEmulator = emulator;
    const queue = (name: string) => {
      const q = new Queue(name, { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix: redis.prefix });
      queues.push(q);
      return q;
    };
    const lane = 'dnevnik-emulator';

    const spawnCli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): CliProcess => {
      const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let text = '';
      const listeners = new Set<() => void>();
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        for (const l of listeners) l();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      return {
        child,
        output: () => text,
        exited,
        waitFor(re, timeoutMs = 30_000) {
          return new Promise((resolve, reject) => {
            const check = () => {
              const m = re.exec(text);
              if (!m) return;
              done();
              resolve(m);
            };
            const timer = setTimeout(() => {
              done();
              reject(new Error(`no ${re} in the output of ejsync ${args.join(' ')}:\n${text}`));
            }, timeoutMs);
            const done = () => {
              clearTimeout(timer);
              listeners.delete(check);
            };
            listeners.add(check);
            void exited.then(() => {
              setImmediate(() => {
                if (!listeners.has(check)) return;
                done();
                reject(new Error(`ejsync ${args.join(' ')} exited before ${re}:\n${text}`));
              });
            });
            check();
          });
        },
      };
    };

    return {
      home,
      schema,
      prefix: redis.prefix,
      redis: redis.redis,
      env,
      linkId,
      linkFile,
      exportDir,
      platformFile,
      platformConfig,
      /** The school as ejsync reads it from the export. */
      source,
      /** The same school on the platform (platform ids). */
      platform,
      emulator: openedEmulator,
      /** The stand's store (same schema as the spawned processes). */
      store: openedStore,
      lane,
      planQueue: () => queue(PLAN_QUEUE),
      laneQueue: () => queue(deliveryQueueName(lane)),
      queue,
      /** Runs `ejsync …` to its end. */
      cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
        return new Promise((resolve) => {
          const child = execFile(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
          });
          children.push(child);
        });
      },
      spawnCli,
      /** Starts `ejsync worker …` and waits for its "started" line. */
      async startWorker(args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliProcess> {
        const worker = spawnCli(['worker', ...args], extraEnv);
        await worker.waitFor(WORKER_STARTED, 60_000);
        return worker;
      },
      /** Polls the store until the run reaches one of `statuses`. */
      async waitForRun(runId: string, statuses: readonly string[], timeoutMs = 120_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const run = await openedStore.runs.require(runId);
          if (statuses.includes(run.status)) return run;
          if (Date.now() > deadline) throw new Error(`run ${runId} stayed ${run.status}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      /** Replaces the МИС export with another snapshot (the school edited its data). */
      writeSource: (snapshot: Snapshot) => writeMisExport(exportDir, snapshot),
      journal: () => journalOf(openedEmulator.state),
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

export type CliStand = Awaited<ReturnType<typeof startCliStand>>;

/** Counts items by a key. */
export function countBy<T>(items: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

/** The most requests whose arrival times (ms) fall into any window `[t, t + windowMs)`. */
export function maxInSlidingWindow(times: readonly number[], windowMs: number): { max: number; at: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let best = { max: 0, at: sorted[0] ?? 0 };
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while (sorted[to] - sorted[from] >= windowMs) from++;
    if (to - from + 1 > best.max) best = { max: to - from + 1, at: sorted[from] };
  }
  return best;
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Sum of a Prometheus counter served by `ejsync worker --metrics-port`, over series matching `labels`. */
export async function scrapeCounter(port: number, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{([^}]*)\})? ([\d.eE+-]+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const series = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => series[k] === v)) sum += Number(m[3]);
  }
  return sum;
}
