import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readEnvironment } from '../../src/config/environment';
import { linkConfigSchema, type LinkConfig } from '../../src/config/link-config';
import { generateSchool } from '../../src/connectors/demo-school';
import { authorizeUrl, exchangeCode, valueMapsOf } from '../../src/connectors/dnevnik';
import { consentAs, onboardSchool, startDnevnikEmulator, type DnevnikEmulator } from '../../src/connectors/dnevnik/emulator';
import { createMisJsonWriter } from '../../src/connectors/mis-csv';
import { SnapshotCollector, type EntityCollection, type Pupil, type Snapshot } from '../../src/model';
import { oauthClientFor, tokenNameOf } from '../../src/queue/dnevnik-connector-factory';
import { openPipelineRuntime, type PipelineRuntime } from '../../src/queue/pipeline-runtime';
import { dropSchema, generateSecretKey } from '../../src/store';
import { DATABASE_URL } from './database';
import { REDIS_URL, redisTestContext } from './redis';

export const WORLD_NOW = new Date('2026-11-21T10:00:00+05:00');

export async function writeMisJson(file: string, s: Snapshot): Promise<void> {
  const w = createMisJsonWriter(file);
  await w.school(s.school);
  for (const [collection, records] of Object.entries(s)) {
    if (collection === 'school' || !Array.isArray(records)) continue;
    for (const r of records) await w.add(collection as EntityCollection, r as never);
  }
  await w.close();
}

/**
 * A generated school synced through the real pipeline (PostgreSQL schema and Redis prefix of its
 * own, workers in this process) to a Дневник.ру emulator onboarded without one pupil (`missing`,
 * who has a СНИЛС): the plan asks a person to create that pupil and enrol them — manual actions
 * with a name, a birth date and a СНИЛС. Another pupil (`unenrolled`) is on the platform without
 * their class: their marks are refused (`dnevnik.parameter_invalid`) until `enrolOnPlatform()`.
 */
export async function startSchoolWorld(o: { pupils?: number; seed?: string } = {}) {
  process.env.EJSYNC_SECRET_KEY ??= generateSecretKey();
  const schema = `w_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const redis = await redisTestContext();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-world-'));
  const env = { ...readEnvironment(), databaseUrl: DATABASE_URL, databaseSchema: schema, redisUrl: REDIS_URL, queuePrefix: redis.prefix, logLevel: 'warn' as const };
  const runtime: PipelineRuntime = await openPipelineRuntime({ env, prefix: redis.prefix, appConfig: {}, now: () => WORLD_NOW });
  let emulator: DnevnikEmulator | undefined;
  try {
    runtime.startWorkers({ concurrency: 8, alerts: false });
    const collector = new SnapshotCollector();
    await generateSchool(collector, { pupils: o.pupils ?? 24, seed: o.seed ?? 'ejsync-world', weeks: 1 });
    const source = collector.snapshot();
    const missing: Pupil = source.pupils.find((p) => p.snils)!;
    const { platform, idOf } = onboardSchool(source);
    const missingTarget = idOf.get(`pupils/${missing.sourceId}`)!;
    platform.pupils = platform.pupils.filter((p) => p.sourceId !== missingTarget);
    platform.memberships = platform.memberships.filter((m) => m.pupilId !== missingTarget);
    // Another pupil is on the platform but not enrolled in their class: marks are refused until a person enrols them.
    const unenrolled: Pupil = source.pupils.find(
      // Still seen on the platform through a subgroup, so the platform refuses their class's marks.
      (p) =>
        p.sourceId !== missing.sourceId &&
        source.memberships.some((m) => m.pupilId === p.sourceId && m.groupKind === 'class') &&
        source.memberships.some((m) => m.pupilId === p.sourceId && m.groupKind === 'subgroup') &&
        source.marks.filter((m) => m.pupilId === p.sourceId).length >= 2,
    )!;
    const unenrolledTarget = idOf.get(`pupils/${unenrolled.sourceId}`)!;
    const droppedMemberships = platform.memberships.filter((m) => m.pupilId === unenrolledTarget && m.groupKind === 'class');
    platform.memberships = platform.memberships.filter((m) => !droppedMemberships.includes(m));
    emulator = await startDnevnikEmulator(platform, valueMapsOf(runtime.platformConfig), { requestLimit: { max: 1000, windowMs: 1000 } });
    const exportFile = path.join(dir, 'mis.json');
    await writeMisJson(exportFile, source);
    const link: LinkConfig = linkConfigSchema.parse({
      id: 'world-a',
      name: `${source.school.shortName ?? source.school.name} → Дневник.ру (эмулятор)`,
      school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
      source: { path: exportFile, format: 'mis-json' },
      target: { platform: 'dnevnik', installation: 'emulator', schoolId: platform.school.sourceId, baseUrl: emulator.apiBase },
      policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
    });
    const app = oauthClientFor(link, runtime.platformConfig);
    const code = new URL(await consentAs(authorizeUrl(app, runtime.platformConfig.scopes, 'http://127.0.0.1/ejsync/callback', 'world'))).searchParams.get('code')!;
    await runtime.ctx.store.secrets.put(tokenNameOf(link), JSON.stringify(await exchangeCode(app, code)));
    await runtime.ctx.store.links.upsert({ id: link.id, name: link.name, schoolId: link.school.sourceId, platform: 'dnevnik', config: link });
    const em = emulator;
    return {
      runtime,
      store: runtime.ctx.store,
      link,
      source,
      missing,
      unenrolled,
      unenrolledTarget,
      emulator: em,
      /** The environment of an `ejsync` process on this world's store. */
      cliEnv: { ...process.env, DATABASE_URL, EJSYNC_DATABASE_SCHEMA: schema, REDIS_URL, EJSYNC_QUEUE_PREFIX: redis.prefix, EJSYNC_SECRET_KEY: process.env.EJSYNC_SECRET_KEY, EJSYNC_LOG_LEVEL: 'warn', EJSYNC_HOME: dir },
      /** Enrols the unenrolled pupil on the platform, as the school's administrator does in its UI. */
      enrolOnPlatform() {
        for (const m of droppedMemberships) em.state.membersByGroup.set(m.groupId, [...(em.state.membersByGroup.get(m.groupId) ?? []), m]);
      },
      exportFile,
      async sync() {
        return runtime.waitForRun((await runtime.startRun(link, 'demo')).id, { timeoutMs: 120_000 });
      },
      async close() {
        await em.close().catch(() => undefined);
        await runtime.close().catch(() => undefined);
        await redis.cleanup();
        await dropSchema(DATABASE_URL, schema);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await emulator?.close().catch(() => undefined);
    await runtime.close().catch(() => undefined);
    await redis.cleanup();
    await dropSchema(DATABASE_URL, schema);
    throw error;
  }
}
