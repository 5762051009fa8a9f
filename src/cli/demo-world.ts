import path from 'node:path';
import { linkConfigSchema, type LinkConfig } from '../config/link-config';
import { demoWindowDays, generateSchool } from '../connectors/demo-school';
import { authorizeUrl, exchangeCode, valueMapsOf } from '../connectors/dnevnik';
import { consentAs, onboardSchool, startDnevnikEmulator, type DnevnikEmulator } from '../connectors/dnevnik/emulator';
import { createMisJsonWriter } from '../connectors/mis-csv';
import { SnapshotCollector, type EntityCollection, type Membership, type Snapshot } from '../model';
import { oauthClientFor, tokenNameOf } from '../queue/dnevnik-connector-factory';
import type { PipelineRuntime } from '../queue/pipeline-runtime';
import type { RunRecord } from '../store';

/** The demo's clock: a weekday after the generated week, so every run sees the same school. */
export const DEMO_NOW = new Date('2026-11-21T10:00:00+05:00');

/** One demo school: its МИС export, its Дневник.ру emulator and the link between them. */
export interface DemoSchool {
  link: LinkConfig;
  source: Snapshot;
  emulator: DnevnikEmulator;
  exportFile: string;
  /**
   * Memberships the platform was onboarded without (school B): marks and absences of those
   * pupils are refused by the platform until a person enrols them — `fixPlatform()` does that.
   */
  missing: Membership[];
  /** Enrols the missing pupils on the emulated platform, as an administrator would in its UI. */
  fixPlatform(): void;
}

export interface DemoWorld {
  schools: { a: DemoSchool; b: DemoSchool };
  runs: {
    /** School A's first sync: everything delivered. */
    finished: RunRecord;
    /** School B's first sync: deliveries refused by the platform (`dnevnik.parameter_invalid`). */
    failing: RunRecord;
    /** School A's second sync after a quarter of its marks vanished from the export: held. */
    held: RunRecord;
  };
  close(): Promise<void>;
}

export interface DemoWorldOptions {
  /** Where the МИС exports are written. */
  dir: string;
  /** Pupils per school. @defaultValue 60 */
  pupils?: number;
  say?: (line: string) => void;
}

async function writeMisJson(file: string, s: Snapshot): Promise<void> {
  const w = createMisJsonWriter(file);
  await w.school(s.school);
  for (const [collection, records] of Object.entries(s)) {
    if (collection === 'school' || !Array.isArray(records)) continue;
    for (const r of records) await w.add(collection as EntityCollection, r as never);
  }
  await w.close();
}

async function makeSchool(runtime: PipelineRuntime, o: { key: string; seed: string; pupils: number; dir: string; dropClassMemberships: boolean }): Promise<DemoSchool> {
  const collector = new SnapshotCollector();
  await generateSchool(collector, { pupils: o.pupils, seed: o.seed, weeks: 1 });
  const source = collector.snapshot();
  const { platform } = onboardSchool(source);
  let missing: Membership[] = [];
  if (o.dropClassMemberships) {
    // The last class was onboarded without its pupils' enrolment.
    const victim = platform.classes[platform.classes.length - 1].sourceId;
    missing = platform.memberships.filter((m) => m.groupId === victim);
    platform.memberships = platform.memberships.filter((m) => m.groupId !== victim);
  }
  const emulator = await startDnevnikEmulator(platform, valueMapsOf(runtime.platformConfig), { requestLimit: { max: 1000, windowMs: 1000 } });
  const exportFile = path.join(o.dir, `${o.key}-mis.json`);
  await writeMisJson(exportFile, source);
  const link = linkConfigSchema.parse({
    id: `demo-${o.key}`,
    name: `${source.school.shortName ?? source.school.name} → Дневник.ру (эмулятор)`,
    school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
    source: { path: exportFile, format: 'mis-json' },
    target: { platform: 'dnevnik', installation: 'emulator', schoolId: platform.school.sourceId, baseUrl: emulator.apiBase },
    policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
    // The generated school's lessons lie on fixed days: the window must still reach them.
    windowDays: demoWindowDays(new Date()),
  });
  // The school's administrator connects ejsync to the platform once (OAuth); the token is stored encrypted.
  const app = oauthClientFor(link, runtime.platformConfig);
  // The administrator allows access on the platform's consent page.
  const code = new URL(await consentAs(authorizeUrl(app, runtime.platformConfig.scopes, 'http://127.0.0.1/ejsync/callback', 'demo'))).searchParams.get('code');
  if (!code) throw new Error('эмулятор Дневник.ру не вернул код авторизации');
  await runtime.ctx.store.secrets.put(tokenNameOf(link), JSON.stringify(await exchangeCode(app, code)));
  await runtime.ctx.store.links.upsert({ id: link.id, name: link.name, schoolId: link.school.sourceId, platform: link.target.platform, config: link });
  return {
    link,
    source,
    emulator,
    exportFile,
    missing,
    fixPlatform() {
      for (const m of missing) emulator.state.membersByGroup.set(m.groupId, [...(emulator.state.membersByGroup.get(m.groupId) ?? []), m]);
      missing = [];
    },
  };
}

/**
 * The demo's two schools, ready to click through: school A with a finished sync and then a held
 * one (a quarter of its marks vanished from the export), school B whose sync partly failed
 * because the platform refuses marks of pupils it has not enrolled. The platform of B is then
 * fixed, so «Повторить» delivers everything. Workers must already run in this process.
 */
export async function buildDemoWorld(runtime: PipelineRuntime, o: DemoWorldOptions): Promise<DemoWorld> {
  const say = o.say ?? (() => undefined);
  const pupils = o.pupils ?? 60;
  say(`Создаю две вымышленные школы по ${pupils} обучающихся и эмуляторы Дневник.ру для них…`);
  const a = await makeSchool(runtime, { key: 'a', seed: 'ejsync-demo-a', pupils, dir: o.dir, dropClassMemberships: false });
  const b = await makeSchool(runtime, { key: 'b', seed: 'ejsync-demo-b', pupils, dir: o.dir, dropClassMemberships: true });
  try {
    say('Первые синхронизации обеих школ через очередь…');
    const [startedA, startedB] = await Promise.all([runtime.startRun(a.link, 'demo'), runtime.startRun(b.link, 'demo')]);
    const [finished, failing] = await Promise.all([runtime.waitForRun(startedA.id, { timeoutMs: 180_000 }), runtime.waitForRun(startedB.id, { timeoutMs: 180_000 })]);
    // Someone enrols school B's missing pupils in Дневник.ру: a retry now delivers.
    b.fixPlatform();
    say('Вторая синхронизация школы A: из выгрузки пропала четверть отметок — запуск будет задержан…');
    await writeMisJson(a.exportFile, { ...a.source, marks: a.source.marks.filter((_m, i) => i % 4 !== 0) });
    const held = await runtime.waitForRun((await runtime.startRun(a.link, 'demo')).id, { timeoutMs: 180_000 });
    await runtime.syncSchedules();
    return {
      schools: { a, b },
      runs: { finished, failing, held },
      async close() {
        await Promise.all([a.emulator.close(), b.emulator.close()]);
      },
    };
  } catch (error) {
    await Promise.all([a.emulator.close(), b.emulator.close()]);
    throw error;
  }
}
