import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadSedizhPlatform, sedizhCapabilitiesOf } from '../../../src/config/sedizh-config';
import { DirectoryTransport, HttpTransport, SedizhConnector, type ExchangeTransport } from '../../../src/connectors/sedizh';
import { startSedizhEmulator, type SedizhEmulator } from '../../../src/connectors/sedizh/emulator';
import { isEjsyncError, type ResolvedChange } from '../../../src/model';
import type { PackageMapping } from '../../../src/mappers/sedizh';

const config = loadSedizhPlatform();
const mapping = config.mapping as PackageMapping;
const SCHOOL = '5900000001';
/** A Tuesday, 10:00 in Perm (before the 14:00 cut-off). */
const MORNING = new Date('2026-11-10T10:00:00+05:00');

function connectorOf(transport: ExchangeTransport, now = () => MORNING, extra: { receiptTimeoutMs?: number } = {}) {
  let seq = 0;
  return new SedizhConnector({
    transport,
    mapping,
    schoolId: SCHOOL,
    timeZone: 'Asia/Yekaterinburg',
    capabilities: sedizhCapabilitiesOf(config),
    environment: 'emulator',
    baseUrl: 'test',
    nextSequence: async () => ++seq,
    receiptCodes: config.receiptCodes,
    receiptTimeoutMs: extra.receiptTimeoutMs ?? 5000,
    lingerMs: 5,
    now,
  });
}

const pupil = (id: string, lastName = 'Иванова'): ResolvedChange => ({ id: `c-${id}`, entity: 'pupils', op: 'create', sourceId: id, after: { sourceId: id, lastName, firstName: 'Анна', birthDate: '2015-03-01', sex: 'female' } as never });
const year: ResolvedChange = { id: 'c-y', entity: 'academicYears', op: 'create', sourceId: 'y1', after: { sourceId: 'y1', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' } as never };

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('СЭДиЖ connector against the emulator (HTTP upload and exchange folder)', () => {
  let emulator: SedizhEmulator;
  let clock = MORNING;
  afterEach(async () => emulator?.close());

  it('delivers concurrent changes in one package, reads them back, and an update and a delete go through receipts', async () => {
    emulator = await startSedizhEmulator({ mapping, now: () => clock });
    const connector = connectorOf(new HttpTransport({ baseUrl: emulator.url, pollIntervalMs: 10 }));
    const outcomes = await Promise.all([connector.apply(pupil('p1')), connector.apply(pupil('p2', 'Петров')), connector.apply(year)]);
    expect(new Set(outcomes.map((o) => o.request.path)).size).toBe(1); // one package for the three
    expect(outcomes.every((o) => /^\d+$/.test(o.targetId) && o.effectiveFrom === undefined)).toBe(true);
    const read = await connector.readSnapshot({ schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' });
    expect(read.findings).toEqual([]);
    expect(read.snapshot.pupils.map((p) => p.lastName).sort()).toEqual(['Иванова', 'Петров']);
    expect(read.snapshot.pupils.find((p) => p.lastName === 'Петров')).toMatchObject({ sourceId: outcomes[1].targetId, sex: 'female', birthDate: '2015-03-01' });

    await connector.apply({ ...pupil('p1', 'Смирнова'), op: 'update', targetId: outcomes[0].targetId });
    await connector.apply({ id: 'c-del', entity: 'pupils', op: 'archive', sourceId: 'p2', targetId: outcomes[1].targetId });
    const again = await connector.readSnapshot({ schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' });
    expect(again.snapshot.pupils.map((p) => p.lastName)).toEqual(['Смирнова']);
    expect(await connector.findExisting(pupil('p1'))).toBe(outcomes[0].targetId);
    expect(await connector.findExisting(pupil('p9'))).toBeNull();
    expect(await connector.readBack({ ...pupil('p1'), targetId: outcomes[0].targetId })).toMatchObject({ lastName: 'Смирнова' });
    expect(emulator.state.writes.map((w) => `${w.entity}/${w.op}`).sort()).toEqual(['academicYears/create', 'pupils/create', 'pupils/create', 'pupils/delete', 'pupils/update']);
  });

  it('per-record errors come back with codes; what the mapping cannot express fails before sending', async () => {
    emulator = await startSedizhEmulator({ mapping, now: () => clock });
    const connector = connectorOf(new HttpTransport({ baseUrl: emulator.url, pollIntervalMs: 10 }));
    const orphan: ResolvedChange = { id: 'c-m', entity: 'memberships', op: 'create', sourceId: 'm1', after: { sourceId: 'm1', pupilId: '999', groupId: '998', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' } as never };
    const [ok, rejected] = await Promise.allSettled([connector.apply(pupil('p1')), connector.apply(orphan)]);
    expect(ok.status).toBe('fulfilled');
    expect(rejected.status === 'rejected' && isEjsyncError(rejected.reason) && rejected.reason.code).toBe('sedizh.reference_unknown');
    expect(String((rejected as PromiseRejectedResult).reason.message)).toMatch(/REFERENCE_UNKNOWN: pupilId: нет записи 999/);

    const gone = await errorOf(connector.apply({ id: 'c-u', entity: 'pupils', op: 'update', sourceId: 'p7', targetId: '424242', after: pupil('p7').after }));
    expect(isEjsyncError(gone) && gone.code).toBe('sedizh.not_found');

    const odd = await errorOf(connector.apply({ ...pupil('p8'), after: { ...(pupil('p8').after as object), sex: 'other' } as never }));
    expect(isEjsyncError(odd) && odd.code).toBe('sedizh.value_unmapped');
    expect(emulator.state.handovers.size).toBe(2); // the unmappable record never left
  });

  it('after the 14:00 cut-off a change is accepted with the next working day, and the next read counts it as present', async () => {
    clock = new Date('2026-11-13T15:30:00+05:00'); // Friday afternoon
    emulator = await startSedizhEmulator({ mapping, now: () => clock });
    const connector = connectorOf(new HttpTransport({ baseUrl: emulator.url, pollIntervalMs: 10 }), () => clock);
    const outcome = await connector.apply(pupil('p1'));
    expect(outcome.effectiveFrom).toBe('2026-11-16'); // Monday
    const read = await connector.readSnapshot({ schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' });
    expect(read.snapshot.pupils).toHaveLength(1);
    expect(read.findings.map((f) => [f.code, f.message])).toEqual([['sedizh.pending_effect', 'Принято платформой, вступит в силу позже: 1 зап. принято, в силе с 2026-11-16']]);
    clock = new Date('2026-11-16T09:00:00+05:00');
    expect((await connector.readSnapshot({ schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' })).findings).toEqual([]);
    clock = MORNING;
  });

  it('a receipt that does not come: the same package is sent once more and applied once', async () => {
    emulator = await startSedizhEmulator({ mapping, now: () => clock, faults: { lostReceiptRate: 1 } });
    const connector = connectorOf(new HttpTransport({ baseUrl: emulator.url, pollIntervalMs: 10 }), undefined, { receiptTimeoutMs: 1000 });
    const outcome = await connector.apply(pupil('p1'));
    expect(outcome.request.path).toMatch(/отправлен повторно/);
    expect([...emulator.state.handovers.values()]).toEqual([2]);
    expect(emulator.state.writes).toHaveLength(1);
  });

  it('a garbled receipt is sedizh.receipt_malformed (retryable) and the record is found before a second write', async () => {
    emulator = await startSedizhEmulator({ mapping, now: () => clock, faults: { malformedReceiptRate: 1 } });
    const connector = connectorOf(new HttpTransport({ baseUrl: emulator.url, pollIntervalMs: 10 }));
    const error = await errorOf(connector.apply(pupil('p1')));
    expect(isEjsyncError(error) && [error.code, error.retryable]).toEqual(['sedizh.receipt_malformed', true]);
    expect(await connector.findExisting(pupil('p1'))).toBe(emulator.state.writes[0].id);
  });

  it('a 503 on upload is sedizh.server_error (retryable), nothing applied; an unreachable exchange is sedizh.unreachable', async () => {
    emulator = await startSedizhEmulator({ mapping, now: () => clock, faults: { serverErrorRate: 1 } });
    const connector = connectorOf(new HttpTransport({ baseUrl: emulator.url, pollIntervalMs: 10 }));
    const error = await errorOf(connector.apply(pupil('p1')));
    expect(isEjsyncError(error) && [error.code, error.retryable, error.status]).toEqual(['sedizh.server_error', true, 503]);
    expect(emulator.state.writes).toHaveLength(0);
    const closed = connectorOf(new HttpTransport({ baseUrl: 'http://127.0.0.1:1', pollIntervalMs: 10, timeoutMs: 500 }));
    const down = await errorOf(closed.readSnapshot({ schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' }));
    expect(isEjsyncError(down) && down.code).toBe('sedizh.unreachable');
  });

  it('through an exchange folder: written atomically, receipt awaited, export read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sedizh-'));
    try {
      emulator = await startSedizhEmulator({ mapping, now: () => clock, dir, dirPollMs: 20 });
      const connector = connectorOf(new DirectoryTransport({ dir, pollIntervalMs: 20 }));
      const [a, b] = await Promise.all([connector.apply(pupil('p1')), connector.apply(pupil('p2'))]);
      expect(a.request.path).toMatch(/каталог обмена/);
      expect(a.targetId).not.toBe(b.targetId);
      const read = await connector.readSnapshot({ schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' });
      expect(read.snapshot.pupils).toHaveLength(2);
      expect((await readdir(path.join(dir, 'outbox', 'processed'))).length).toBe(1);
      expect((await readdir(path.join(dir, 'inbox'))).filter((n) => n.endsWith('.receipt.xml'))).toHaveLength(1);
      // A file where the exchange folder should be: nothing can be written there.
      await writeFile(path.join(dir, 'not-a-folder'), 'x');
      const blocked = connectorOf(new DirectoryTransport({ dir: path.join(dir, 'not-a-folder'), pollIntervalMs: 20 }));
      const error = await errorOf(blocked.apply(pupil('p3')));
      expect(isEjsyncError(error) && error.code).toBe('sedizh.exchange_dir_unavailable');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
