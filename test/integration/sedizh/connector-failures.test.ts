import { loadSedizhPlatform, parseSedizhPlatform, sedizhCapabilitiesOf, DEFAULT_SEDIZH_CONFIG_FILE } from '../../../src/config/sedizh-config';
import { HttpTransport, SedizhConnector, type ExchangeTransport } from '../../../src/connectors/sedizh';
import { startSedizhEmulator, type SedizhEmulator } from '../../../src/connectors/sedizh/emulator';
import { isEjsyncError, type ResolvedChange } from '../../../src/model';
import type { PackageMapping } from '../../../src/mappers/sedizh';
import { readFileSync } from 'node:fs';

const config = loadSedizhPlatform();
const mapping = config.mapping as PackageMapping;
const MORNING = new Date('2026-11-10T10:00:00+05:00');
const SCHOOL = '5900000001';

function connectorOf(transport: ExchangeTransport, options: { mapping?: PackageMapping; receiptCodes?: Record<string, string>; receiptTimeoutMs?: number } = {}) {
  let seq = 0;
  return new SedizhConnector({
    transport,
    mapping: options.mapping ?? mapping,
    schoolId: SCHOOL,
    timeZone: 'Asia/Yekaterinburg',
    capabilities: sedizhCapabilitiesOf(config),
    environment: 'emulator',
    baseUrl: 'test',
    nextSequence: async () => ++seq,
    receiptCodes: options.receiptCodes ?? config.receiptCodes,
    receiptTimeoutMs: options.receiptTimeoutMs ?? 5000,
    lingerMs: 5,
    now: () => MORNING,
  });
}

async function codeOf(p: Promise<unknown>): Promise<[string, boolean]> {
  try {
    await p;
  } catch (error) {
    if (isEjsyncError(error)) return [error.code, error.retryable];
    throw error;
  }
  throw new Error('expected a failure');
}

const pupil = (id: string): ResolvedChange => ({ id: `c-${id}`, entity: 'pupils', op: 'create', sourceId: id, after: { sourceId: id, lastName: 'Иванова', firstName: 'Анна' } as never });

describe('СЭДиЖ connector: how each failure of the exchange is classified', () => {
  let emulator: SedizhEmulator;
  let http: HttpTransport;
  beforeEach(async () => {
    emulator = await startSedizhEmulator({ mapping, now: () => MORNING });
    http = new HttpTransport({ baseUrl: emulator.url, pollIntervalMs: 10 });
  });
  afterEach(async () => emulator.close());

  it('a receipt that never comes, even for the re-send: sedizh.receipt_timeout (retryable); applied once, found by its ejsync id', async () => {
    emulator.setFaults({ receiptNeverComesRate: 1 });
    const connector = connectorOf(http, { receiptTimeoutMs: 200 });
    expect(await codeOf(connector.apply(pupil('p1')))).toEqual(['sedizh.receipt_timeout', true]);
    expect([...emulator.state.handovers.values()]).toEqual([2]);
    expect(emulator.state.writes).toHaveLength(1);
    expect(await connector.findExisting(pupil('p1'))).toBe(emulator.state.writes[0].id);
  });

  it('a package the platform cannot take (another schema): sedizh.package_rejected, not retried', async () => {
    const raw = JSON.parse(readFileSync(DEFAULT_SEDIZH_CONFIG_FILE, 'utf8'));
    raw.mapping.root = 'Paket';
    const other = connectorOf(http, { mapping: parseSedizhPlatform(raw).mapping as PackageMapping });
    expect(await codeOf(other.apply(pupil('p1')))).toEqual(['sedizh.package_rejected', false]);
    expect(emulator.state.writes).toHaveLength(0);
  });

  it('a package damaged on the way (hash mismatch): sedizh.package_corrupted (retryable)', async () => {
    const damaging: ExchangeTransport = {
      label: http.label,
      submit: (id, bytes) => http.submit(id, Buffer.from(bytes.toString('utf8').replace('Иванова', 'Иваново'), 'utf8')),
      awaitReceipt: (id, ms) => http.awaitReceipt(id, ms),
      exportPackage: (q) => http.exportPackage(q),
    };
    expect(await codeOf(connectorOf(damaging).apply(pupil('p1')))).toEqual(['sedizh.package_corrupted', true]);
    expect(emulator.state.writes).toHaveLength(0);
  });

  it('per-record codes: RECORD_INVALID → sedizh.value_invalid, PERIOD_CLOSED → sedizh.period_closed, an unmapped code → sedizh.record_rejected', async () => {
    const connector = connectorOf(http);
    const year = await connector.apply({ id: 'y', entity: 'academicYears', op: 'create', sourceId: 'y1', after: { sourceId: 'y1', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' } as never });
    const closed = { sourceId: 'q1', academicYearId: year.targetId, kind: 'quarter', number: 1, name: '1 четверть', startDate: '2026-09-01', endDate: '2026-10-26', grades: [5], closed: true };
    await connector.apply({ id: 'q', entity: 'periods', op: 'create', sourceId: 'q1', after: closed as never });
    const p = await connector.apply(pupil('p1'));
    const mark = { sourceId: 'm1', pupilId: p.targetId, subjectId: 's', groupId: 'g', kind: 'year', value: '5', date: '2026-10-01' };
    expect(await codeOf(connector.apply({ id: 'm', entity: 'marks', op: 'create', sourceId: 'm1', after: mark as never }))).toEqual(['sedizh.period_closed', false]);
    const backwards = { sourceId: 'ms1', pupilId: p.targetId, groupId: 'g', groupKind: 'class', startDate: '2026-09-01', endDate: '2026-08-01', reason: 'enrolled' };
    expect(await codeOf(connector.apply({ id: 'ms', entity: 'memberships', op: 'create', sourceId: 'ms1', after: backwards as never }))).toEqual(['sedizh.value_invalid', false]);
    const bare = connectorOf(http, { receiptCodes: {} });
    expect(await codeOf(bare.apply({ id: 'ms', entity: 'memberships', op: 'create', sourceId: 'ms1', after: backwards as never }))).toEqual(['sedizh.record_rejected', false]);
  });

  it('an export that is not a package: sedizh.package_malformed; an exchange address that refuses: sedizh.http_error', async () => {
    const garbage: ExchangeTransport = { ...http, label: http.label, submit: (i, b) => http.submit(i, b), awaitReceipt: (i, m) => http.awaitReceipt(i, m), exportPackage: async () => Buffer.from('<html>Технические работы</html>') };
    expect(await codeOf(connectorOf(garbage).readSnapshot({ schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' }))).toEqual(['sedizh.package_malformed', false]);
    const wrongPath = connectorOf(new HttpTransport({ baseUrl: `${emulator.url}/no-such-service`, pollIntervalMs: 10 }));
    expect(await codeOf(wrongPath.apply(pupil('p1')))).toEqual(['sedizh.http_error', false]);
  });
});
