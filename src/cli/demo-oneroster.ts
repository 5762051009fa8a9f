import { demoWindowDays } from '../connectors/demo-school';
import type { Worker } from 'bullmq';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readEnvironment, storeOptionsOf } from '../config/environment';
import { loadDnevnikPlatform } from '../config/platform-config';
import { linkConfigSchema, type LinkConfig } from '../config/link-config';
import { readSource } from '../connectors/read-source';
import { onerosterConnectorFor, onerosterDeliveryLanes } from '../queue/oneroster-connector-factory';
import type { PipelineContext } from '../queue/run-pipeline/pipeline-context';
import { startPipelineWorkers } from '../queue/run-pipeline/pipeline-workers';
import { startRun } from '../queue/run-pipeline/start-run';
import { openStore } from '../store';
import type { DemoOptions, DemoResult } from './demo-sync';
import { prepareDemoSchool, waitForDemoRun } from './demo-school';
import { demoLinkId, demoStoreEnvironment, openDemoQueues } from './demo-home';

/** The demo's clock, as the other demos: Saturday 21.11.2026 10:00 in Perm. */
const DEMO_NOW = new Date('2026-11-21T10:00:00+05:00');
const SCHOOL_CODE = 'school-demo';

/**
 * `ejsync demo --target oneroster`: the generated school's МИС export synced twice through the
 * queue into an empty OneRoster folder (`$EJSYNC_HOME/demo/oneroster`): the first run writes the
 * bulk bundle and delta bundles of everything OneRoster carries, the second writes nothing. Same
 * report as the Дневник.ру demo; "platform writes" are the delta rows written.
 */
export async function runOneRosterDemo(options: DemoOptions): Promise<DemoResult> {
  const env = readEnvironment();
  const { exportPath, read, source } = await prepareDemoSchool(env, options);
  const dir = path.join(env.home, 'demo', 'oneroster');
  await rm(dir, { recursive: true, force: true });
  options.say(`2. Папка выгрузки OneRoster 1.2 (пустая): ${dir}`);
  const store = await openStore(storeOptionsOf(demoStoreEnvironment(env)));
  const queues = openDemoQueues(env);
  let workers: Worker[] = [];
  try {
    const link: LinkConfig = linkConfigSchema.parse({
      id: demoLinkId('oneroster', options),
      name: `${source.school.shortName ?? source.school.name} → OneRoster`,
      school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
      source: { path: exportPath, format: 'mis-csv' },
      target: { platform: 'oneroster', installation: 'emulator', schoolId: SCHOOL_CODE, exchangeDir: dir },
      policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
      // The generated school's lessons lie on fixed days: the window must still reach them.
      windowDays: demoWindowDays(new Date()),
    });
    const connector = onerosterConnectorFor(link, () => DEMO_NOW);
    const retry = loadDnevnikPlatform().retry;
    const ctx: PipelineContext = {
      store,
      planQueue: queues.planQueue,
      deliveryQueue: queues.deliveryQueue,
      readSource: (l) => readSource(l.source.path, { school: l.school }),
      connectorFor: async () => connector,
      now: () => DEMO_NOW,
      retryPolicy: () => retry,
    };
    workers = startPipelineWorkers(ctx, { connection: queues.connection, prefix: queues.prefix, concurrency: 32, lanes: onerosterDeliveryLanes(['emulator']) });

    const runs: DemoResult['runs'] = [];
    for (const [n, title] of [
      [3, 'Первая синхронизация через очередь: план → проверка → доставка дельта-пакетами OneRoster.'],
      [4, 'Повторная синхронизация тех же данных: ничего не должно уйти в выгрузку.'],
    ] as const) {
      options.say(`${n}. ${title}`);
      const before = connector.writes;
      const started = Date.now();
      const run = await waitForDemoRun(ctx, (await startRun(ctx, link, { trigger: 'demo', environment: 'emulator', targetUrl: dir })).id, 15 * 60_000);
      // What the run delivered is in the journal until deliveries pause: write it out now.
      await connector.flush();
      const writes = connector.writes - before;
      options.say(`   Запуск ${run.id}: ${run.status}, строк в дельта-пакетах: ${writes}, за ${((Date.now() - started) / 1000).toFixed(1)} с.`);
      runs.push({ run, emulatorWrites: writes });
    }
    const manualActions = (await store.manualActions.forRun(runs[0].run.id)).length;
    return { runs, exportPath, sourceFindings: read.findings.length, manualActions };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await queues.remove();
    await store.close();
  }
}
