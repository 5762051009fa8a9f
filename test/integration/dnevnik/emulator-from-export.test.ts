import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { startEmulatorFromOptions, runEmulatorDnevnik, type EmulatorDnevnikOptions } from '../../../src/cli/commands/emulator-dnevnik';
import { loadDnevnikPlatform, markEndpointsOf } from '../../../src/config/platform-config';
import { generateSchool } from '../../../src/connectors/demo-school';
import { DnevnikClient, DnevnikConnector, valueMapsOf } from '../../../src/connectors/dnevnik';
import type { DnevnikEmulator } from '../../../src/connectors/dnevnik/emulator';
import { createMisCsvWriter } from '../../../src/connectors/mis-csv';
import { createOneRosterWriter } from '../../../src/connectors/oneroster/one-roster-writer';
import { readSource } from '../../../src/connectors/read-source';
import type { Snapshot } from '../../../src/model';
import { idMapFromEntries, plan } from '../../../src/reconcile';

const options = (over: Partial<EmulatorDnevnikOptions>): EmulatorDnevnikOptions => ({ port: '0', pupils: '300', seed: 'ejsync', latency: '0', faultRate: '0', requestLimit: '10000', idTwins: 'published', markType: 'mark5', subgroups: 'with-class', ...over });

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (d: Buffer) => (text.out += d.toString()));
  err.on('data', (d: Buffer) => (text.err += d.toString()));
  return { io: { stdout: out, stderr: err }, text };
}

/** A connector of ejsync to the emulator, as a link with `target.baseUrl` would have. */
function connectorTo(emulator: DnevnikEmulator, schoolId: string, timeZone: string) {
  const config = loadDnevnikPlatform();
  const token = emulator.issueToken();
  const client = new DnevnikClient({ baseUrl: emulator.apiBase, tokens: { accessToken: async () => token.accessToken, refresh: async () => token.accessToken }, rateLimit: { max: 1000, durationMs: 1000 } });
  return new DnevnikConnector({ client, baseUrl: emulator.apiBase, schoolId, timeZone, capabilities: config.capabilities, comparableFields: config.comparableFields, comparison: config.comparison, maps: valueMapsOf(config), markEndpoints: markEndpointsOf(config, 'emulator') });
}

/** Issue 15 point 7: an administrator rehearses with their own school, not a generated one. */
describe('ejsync emulator dnevnik --from-export: the school’s own МИС or OneRoster export onboarded', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ejsync-from-export-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a МИС export: its pupils, classes and lessons are on the emulated platform, and a plan from it matches every pupil', async () => {
    const exportDir = path.join(dir, 'mis');
    await generateSchool(await createMisCsvWriter(exportDir), { pupils: 25, seed: 'own-school', weeks: 1 });
    const source = (await readSource(exportDir)).snapshot as Snapshot;
    const { io: streams, text } = io();
    const started = await startEmulatorFromOptions(options({ fromExport: exportDir }), streams);
    try {
      expect(started).not.toBeNull();
      const { emulator, platform } = started!;
      expect(text.out).toContain('Выгрузка прочитана (mis-csv): 25 обучающихся');
      expect(platform.pupils.map((p) => `${p.lastName} ${p.firstName}`).sort()).toEqual(source.pupils.map((p) => `${p.lastName} ${p.firstName}`).sort());
      expect(platform.lessons).toHaveLength(source.lessons.length);
      const connector = connectorTo(emulator, platform.school.sourceId, source.school.timeZone);
      const read = await connector.readSnapshot({ schoolId: platform.school.sourceId, from: source.lessons[0].date, to: source.lessons.at(-1)!.date });
      const planned = plan(source, read.snapshot, idMapFromEntries([]), { capabilities: connector.capabilities, comparableFields: connector.comparableFields, comparison: connector.comparison });
      expect(planned.matches.filter((m) => m.entity === 'pupils')).toHaveLength(25);
      expect(planned.manualActions.filter((a) => a.entity === 'pupils')).toEqual([]);
      expect(connector.environment).toBe('emulator');
    } finally {
      await started?.emulator.close();
    }
  });

  it('a OneRoster package: its roster is onboarded (no lessons: OneRoster has none, and the output says so)', async () => {
    const exportDir = path.join(dir, 'oneroster');
    await generateSchool(await createOneRosterWriter(exportDir), { pupils: 15, seed: 'own-roster', weeks: 1 });
    const source = (await readSource(exportDir)).snapshot as Snapshot;
    const { io: streams, text } = io();
    const started = await startEmulatorFromOptions(options({ fromExport: exportDir }), streams);
    try {
      expect(started!.platform.pupils).toHaveLength(source.pupils.length);
      expect(started!.platform.classes).toHaveLength(source.classes.length);
      expect(text.out).toContain('(oneroster)');
      expect(text.out).toContain('В выгрузке нет уроков');
    } finally {
      await started?.emulator.close();
    }
  });

  it('an export that cannot be read: exit 2 with the reason, no emulator', async () => {
    const { io: streams, text } = io();
    expect(await runEmulatorDnevnik(options({ fromExport: path.join(dir, 'no-such-export') }), streams)).toBe(2);
    expect(text.err).toContain('[input.not_found]');
  });
});
