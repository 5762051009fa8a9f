import { demoWindowDays } from '../connectors/demo-school';
import type { Worker } from 'bullmq';
import { readEnvironment, storeOptionsOf } from '../config/environment';
import { linkConfigSchema, type LinkConfig } from '../config/link-config';
import { loadDnevnikPlatform, markEndpointsOf } from '../config/platform-config';
import { authorizeUrl, exchangeCode, valueMapsOf } from '../connectors/dnevnik';
import { consentAs, onboardSchool, startDnevnikEmulator } from '../connectors/dnevnik/emulator';
import { readSource } from '../connectors/read-source';
import { dnevnikConnectorFor, oauthClientFor, tokenNameOf } from '../queue/dnevnik-connector-factory';
import { deliveryLaneOf } from '../queue/queue-names';
import type { PipelineContext } from '../queue/run-pipeline/pipeline-context';
import { startPipelineWorkers } from '../queue/run-pipeline/pipeline-workers';
import { startRun } from '../queue/run-pipeline/start-run';
import { openStore, type RunRecord } from '../store';
import { prepareDemoSchool, waitForDemoRun } from './demo-school';
import { demoLinkId, demoStoreEnvironment, openDemoQueues } from './demo-home';

/** What `ejsync demo` does. */
export interface DemoOptions {
  /** @defaultValue 300 */
  pupils: number;
  /** @defaultValue `ejsync` */
  seed: string;
  /** School weeks of marks and attendance. @defaultValue 1 */
  weeks: number;
  /** Called with Russian progress lines. */
  say: (line: string) => void;
}

export interface DemoResult {
  runs: { run: RunRecord; emulatorWrites: number }[];
  exportPath: string;
  sourceFindings: number;
  manualActions: number;
}

/** The demo's clock: a weekday after the generated fortnight, so every run sees the same school. */
const DEMO_NOW = new Date('2026-11-21T10:00:00+05:00');

/**
 * The demo sync: generates a school, writes its МИС export, onboards the same school on a local
 * Дневник.ру emulator, connects through the emulator's OAuth, then syncs twice through the queue
 * (real Redis, store under EJSYNC_HOME) — the second run must write nothing.
 */
export async function runDemoSync(options: DemoOptions): Promise<DemoResult> {
  const env = readEnvironment();
  const platformConfig = loadDnevnikPlatform();
  const { exportPath, read, source } = await prepareDemoSchool(env, options);

  options.say('2. Запускаю эмулятор Дневник.ру и «подключаю» школу к нему (контингент, классы, расписание, уроки).');
  const { platform, idOf } = onboardSchool(source);
  // One pupil arrived after the school was onboarded: the platform does not know them yet, and the
  // API cannot add a person — the run shows the manual action with the data to enter.
  const latecomer = idOf.get(`pupils/${source.pupils[source.pupils.length - 1].sourceId}`);
  platform.pupils = platform.pupils.filter((p) => p.sourceId !== latecomer);
  platform.memberships = platform.memberships.filter((m) => m.pupilId !== latecomer);
  const emulator = await startDnevnikEmulator(platform, valueMapsOf(platformConfig), { requestLimit: { max: 1000, windowMs: 1000 }, markEndpoints: markEndpointsOf(platformConfig, 'emulator') });
  // A store that cannot open (PostgreSQL down, wrong user) must not leave the emulator holding the process open.
  const store = await openStore(storeOptionsOf(demoStoreEnvironment(env))).catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  const queues = openDemoQueues(env);
  let workers: Worker[] = [];
  try {
    const link: LinkConfig = linkConfigSchema.parse({
      id: demoLinkId('dnevnik', options),
      name: `${source.school.shortName ?? source.school.name} → Дневник.ру (эмулятор)`,
      school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
      source: { path: exportPath, format: 'mis-csv' },
      target: { platform: 'dnevnik', installation: 'emulator', schoolId: platform.school.sourceId, baseUrl: emulator.apiBase },
      policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
      // The generated school's lessons lie on fixed days: the window must still reach them.
      windowDays: demoWindowDays(new Date()),
    });

    options.say('3. Администратор школы входит в Дневник.ру (OAuth) — токен сохраняется в зашифрованном виде.');
    const app = oauthClientFor(link, platformConfig);
    const redirect = 'http://127.0.0.1/ejsync/callback';
    // The administrator allows access on the platform's consent page.
    const code = new URL(await consentAs(authorizeUrl(app, platformConfig.scopes, redirect, 'demo'))).searchParams.get('code');
    if (!code) throw new Error('эмулятор не вернул код авторизации');
    await store.secrets.put(tokenNameOf(link), JSON.stringify(await exchangeCode(app, code)));

    const ctx: PipelineContext = {
      store,
      planQueue: queues.planQueue,
      deliveryQueue: queues.deliveryQueue,
      readSource: (l) => readSource(l.source.path, { school: l.school }),
      connectorFor: async (l) => dnevnikConnectorFor(l, store, platformConfig),
      now: () => DEMO_NOW,
    };
    workers = startPipelineWorkers(ctx, { connection: queues.connection, prefix: queues.prefix, concurrency: 16, lanes: [{ name: deliveryLaneOf(link.target), rateLimit: app.rateLimit }] });

    const runs: DemoResult['runs'] = [];
    for (const [n, title] of [
      [4, 'Первая синхронизация через очередь: план → проверка → доставка.'],
      [5, 'Повторная синхронизация тех же данных: ничего не должно уйти на платформу.'],
    ] as const) {
      options.say(`${n}. ${title}`);
      const before = emulator.state.writes.length;
      const started = Date.now();
      const run = await waitForDemoRun(ctx, (await startRun(ctx, link, { trigger: 'demo', environment: 'emulator', targetUrl: emulator.apiBase })).id, 15 * 60_000);
      const writes = emulator.state.writes.length - before;
      options.say(`   Запуск ${run.id}: ${run.status}, записей на платформу: ${writes}, за ${((Date.now() - started) / 1000).toFixed(1)} с.`);
      runs.push({ run, emulatorWrites: writes });
    }
    const manualActions = (await store.manualActions.forRun(runs[0].run.id)).length;
    return { runs, exportPath, sourceFindings: read.findings.length, manualActions };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await queues.remove();
    await emulator.close();
    await store.close();
  }
}
