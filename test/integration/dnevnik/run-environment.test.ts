import { runShowText } from '../../../src/cli/run-report';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';

/**
 * Issue 15 point 7: a run's report says it talked to an emulator because the server said so of
 * itself (`X-Ejsync-Emulator: 1`), not because the link's config looks like a sandbox.
 */
describe('run environment: decided by what the Дневник.ру server says of itself', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => cleanup());

  it('a run of a link configured for the live installation that reached the emulator is reported as the emulator', async () => {
    const dnevnik = await startDnevnikStand({ pupils: 10, seed: 'environment' });
    const stand = await startPipelineStand(store, dnevnik.connector, () => dnevnik.source, () => new Date('2026-11-20T10:00:00+05:00'));
    try {
      // The link names the live installation (api.dnevnik.ru): the config alone would say "live".
      const link = testLink({ target: { ...testLink().target, installation: 'dnevnik', schoolId: dnevnik.platform.school.sourceId } });
      const run = await startRun(stand.ctx, link, { trigger: 'person', environment: 'live' });
      expect(run.environment).toBe('live');
      const settled = await stand.waitFor(run.id, ['succeeded', 'partial', 'failed', 'held', 'cancelled'], 60_000);
      expect(settled.environment).toBe('emulator');
      expect(await runShowText(store, settled)).toContain('Платформа: эмулятор (песочница)');
    } finally {
      await stand.close();
      await dnevnik.emulator.close();
    }
  });

  it('a run whose server does not announce itself is reported as the live platform, whatever the link looks like', async () => {
    const dnevnik = await startDnevnikStand({ pupils: 10, seed: 'environment-live' });
    // The same answers without the announcement (as if a proxy or the live platform answered).
    const { connector } = dnevnik;
    const live = Object.create(connector, { environment: { get: () => 'live' } }) as typeof connector;
    const stand = await startPipelineStand(store, live, () => dnevnik.source, () => new Date('2026-11-20T10:00:00+05:00'));
    try {
      const run = await startRun(stand.ctx, testLink({ target: { ...testLink().target, installation: 'emulator', schoolId: dnevnik.platform.school.sourceId } }), { trigger: 'person', environment: 'emulator' });
      const settled = await stand.waitFor(run.id, ['succeeded', 'partial', 'failed', 'held', 'cancelled'], 60_000);
      expect(settled.environment).toBe('live');
      expect(await runShowText(store, settled)).toContain('Платформа: рабочая платформа');
    } finally {
      await stand.close();
      await dnevnik.emulator.close();
    }
  });
});
