import { demoWindowDays } from '../connectors/demo-school';
import type { Worker } from 'bullmq';
import { readEnvironment, storeOptionsOf } from '../config/environment';
import { linkConfigSchema, type LinkConfig } from '../config/link-config';
import { loadSedizhPlatform } from '../config/sedizh-config';
import { readSource } from '../connectors/read-source';
import { startSedizhEmulator } from '../connectors/sedizh/emulator';
import type { PackageMapping } from '../mappers/sedizh';
import type { PipelineContext } from '../queue/run-pipeline/pipeline-context';
import { startPipelineWorkers } from '../queue/run-pipeline/pipeline-workers';
import { startRun } from '../queue/run-pipeline/start-run';
import { sedizhConnectorFor, sedizhDeliveryLanes } from '../queue/sedizh-connector-factory';
import { openStore } from '../store';
import type { DemoOptions, DemoResult } from './demo-sync';
import { prepareDemoSchool, waitForDemoRun } from './demo-school';
import { demoLinkId, demoStoreEnvironment, openDemoQueues } from './demo-home';

/** The demo's clock (as `ejsync demo` for Дневник.ру): Saturday 21.11.2026 10:00 in Perm — what ЭПОС accepts today takes effect on Monday. */
const DEMO_NOW = new Date('2026-11-21T10:00:00+05:00');
const SCHOOL_CODE = '5900000001';

/**
 * `ejsync demo --target sedizh`: the generated school's МИС export synced twice through the queue
 * into a local СЭДиЖ / ЭПОС emulator (an empty journal: the first run delivers the whole school in
 * exchange packages, the second writes nothing). Same report as the Дневник.ру demo.
 */
export async function runSedizhDemo(options: DemoOptions): Promise<DemoResult> {
  const env = readEnvironment();
  const config = loadSedizhPlatform();
  const { exportPath, read, source } = await prepareDemoSchool(env, options);

  options.say(`2. Запускаю эмулятор СЭДиЖ / ЭПОС (пустой журнал школы ${SCHOOL_CODE}; час отсечки ${config.cutoff.time}).`);
  const emulator = await startSedizhEmulator({ mapping: config.mapping as PackageMapping, cutoff: config.cutoff, now: () => DEMO_NOW });
  // A store that cannot open (PostgreSQL down, wrong user) must not leave the emulator holding the process open.
  const store = await openStore(storeOptionsOf(demoStoreEnvironment(env))).catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  const queues = openDemoQueues(env);
  let workers: Worker[] = [];
  try {
    const link: LinkConfig = linkConfigSchema.parse({
      id: demoLinkId('sedizh', options),
      name: `${source.school.shortName ?? source.school.name} → ЭПОС (эмулятор)`,
      school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
      source: { path: exportPath, format: 'mis-csv' },
      target: { platform: 'sedizh', installation: 'emulator', schoolId: SCHOOL_CODE, baseUrl: emulator.url },
      policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
      // The generated school's lessons lie on fixed days: the window must still reach them.
      windowDays: demoWindowDays(new Date()),
    });
    const ctx: PipelineContext = {
      store,
      planQueue: queues.planQueue,
      deliveryQueue: queues.deliveryQueue,
      readSource: (l) => readSource(l.source.path, { school: l.school }),
      connectorFor: async (l) => sedizhConnectorFor(l, store, config, () => DEMO_NOW),
      now: () => DEMO_NOW,
      retryPolicy: () => config.retry,
    };
    workers = startPipelineWorkers(ctx, { connection: queues.connection, prefix: queues.prefix, concurrency: 32, lanes: sedizhDeliveryLanes(config).filter((l) => l.name === 'sedizh-emulator') });

    const runs: DemoResult['runs'] = [];
    for (const [n, title] of [
      [3, 'Первая синхронизация через очередь: план → проверка → доставка пакетами обмена с квитанциями.'],
      [4, 'Повторная синхронизация тех же данных: ничего не должно уйти на платформу.'],
    ] as const) {
      options.say(`${n}. ${title}`);
      const before = emulator.state.writes.length;
      const started = Date.now();
      const run = await waitForDemoRun(ctx, (await startRun(ctx, link, { trigger: 'demo', environment: 'emulator', targetUrl: emulator.url })).id, 15 * 60_000);
      const writes = emulator.state.writes.length - before;
      const packages = new Set(emulator.state.writes.slice(before).map((w) => w.packageId)).size;
      options.say(`   Запуск ${run.id}: ${run.status}, записей на платформу: ${writes} (пакетов: ${packages}), за ${((Date.now() - started) / 1000).toFixed(1)} с.`);
      for (const later of await store.deliveries.acceptedForLater(run.id)) options.say(`   Принято платформой, вступит в силу с ${later.effectiveFrom}: ${later.n} зап. (час отсечки ${config.cutoff.time}).`);
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
