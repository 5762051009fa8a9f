import { EjsyncError, makeFinding, type ApplyOutcome, type CapabilityMatrix, type EntityCollection, type Finding, type ResolvedChange, type School, type Snapshot } from '../../model';
import { parsePackage, recordElement, snapshotFromPackage, type PackageMapping, type PackageRecord, type PackageSnapshot } from '../../mappers/sedizh';
import type { ReadScope, TargetConnector } from '../target-connector';
import type { ExchangeTransport, ExportQuery } from './exchange-transport';
import { PackageBatcher } from './package-batcher';
import { decodeXml } from './package-encoding';

/** Options of {@link SedizhConnector}. */
export interface SedizhConnectorOptions {
  transport: ExchangeTransport;
  mapping: PackageMapping;
  /** The school's id on the platform (the packages' `SchoolId`). */
  schoolId: string;
  timeZone: string;
  capabilities: CapabilityMatrix;
  environment: 'live' | 'emulator';
  /** Where packages go, for reports (an address or the exchange folder). */
  baseUrl: string;
  /** The link's next package sequence number, kept by the caller across processes. */
  nextSequence(): Promise<number>;
  /** @defaultValue `ejsync` */
  sender?: string;
  /** Records per package at most. @defaultValue 200 */
  recordsPerPackage?: number;
  /** @defaultValue 30 */
  lingerMs?: number;
  /** @defaultValue 60000 */
  receiptTimeoutMs?: number;
  /** Platform error codes of receipts → catalogue codes. @defaultValue none */
  receiptCodes?: Readonly<Record<string, string>>;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

const ACTION = { create: 'create', update: 'update', archive: 'delete' } as const;

/**
 * СЭДиЖ / ЭПОС as a target through exchange packages: reads the platform's export package into a
 * Snapshot, delivers each change as a record of a delta package (concurrent deliveries share a
 * package) and settles it from the receipt: accepted (with the day it takes effect), or rejected
 * with the platform's code mapped into the catalogue. Every mapping question is data
 * (`PackageMapping`); what the mapping cannot express is a coded error of that one record.
 */
export class SedizhConnector implements TargetConnector {
  readonly platform = 'sedizh';
  readonly environment: 'live' | 'emulator';
  readonly baseUrl: string;
  readonly capabilities: CapabilityMatrix;
  /** Only what the mapping carries is compared: a field the package has no place for is not the platform's. */
  readonly comparableFields: Partial<Record<EntityCollection, readonly string[]>>;
  private readonly batcher: PackageBatcher;

  constructor(private readonly options: SedizhConnectorOptions) {
    this.environment = options.environment;
    this.baseUrl = options.baseUrl;
    this.capabilities = options.capabilities;
    this.comparableFields = Object.fromEntries(Object.entries(options.mapping.entities).map(([entity, em]) => [entity, Object.keys(em!.fields)]));
    this.batcher = new PackageBatcher({
      transport: options.transport,
      mapping: options.mapping,
      schoolId: options.schoolId,
      sender: options.sender ?? 'ejsync',
      nextSequence: options.nextSequence,
      recordsPerPackage: options.recordsPerPackage,
      lingerMs: options.lingerMs,
      receiptTimeoutMs: options.receiptTimeoutMs,
      receiptCodes: options.receiptCodes,
      now: options.now,
    });
  }

  /** The platform's export (or a part of it) read into canonical records; a package that does not read is an error of the read. */
  private async exported(query: Omit<ExportQuery, 'schoolId'>): Promise<PackageSnapshot> {
    const bytes = await this.options.transport.exportPackage({ schoolId: this.options.schoolId, ...query });
    const parsed = parsePackage(decodeXml(bytes), this.options.mapping);
    const fatal = parsed.problems.filter((p) => p.kind !== 'count');
    if (fatal.length || !parsed.header) throw new EjsyncError('sedizh.package_malformed', { detail: `выгрузка платформы: ${fatal.map((p) => p.detail).join('; ') || 'нет заголовка'}` });
    const school: School = { sourceId: this.options.schoolId, name: parsed.header.schoolId, timeZone: this.options.timeZone };
    return snapshotFromPackage(parsed, school);
  }

  async readSnapshot(scope: ReadScope): Promise<{ snapshot: Snapshot; findings: Finding[] }> {
    const read = await this.exported({ from: scope.from, to: scope.to });
    const findings = [...read.findings];
    // Accepted after the cut-off and not yet in effect: present for the plan, reported once per entity and day.
    const groups = new Map<string, number>();
    for (const p of read.pending) groups.set(`${p.entity}|${p.effectiveFrom}`, (groups.get(`${p.entity}|${p.effectiveFrom}`) ?? 0) + 1);
    for (const [key, n] of groups) {
      const [entity, day] = key.split('|');
      findings.push(makeFinding('sedizh.pending_effect', { entity: entity as EntityCollection, detail: `${n} зап. принято, в силе с ${day}` }));
    }
    return { snapshot: read.snapshot, findings };
  }

  async findExisting(change: ResolvedChange): Promise<string | null> {
    const read = await this.exported({ entity: change.entity, extId: change.sourceId });
    return read.byExtId.get(change.entity)?.get(change.sourceId) ?? null;
  }

  async readBack(change: ResolvedChange): Promise<Record<string, unknown> | null> {
    if (!change.targetId) return null;
    const read = await this.exported({ entity: change.entity, id: change.targetId });
    const found = (read.snapshot[change.entity] as { sourceId: string }[]).find((r) => r.sourceId === change.targetId);
    return found ? { ...found } : null;
  }

  async apply(change: ResolvedChange): Promise<ApplyOutcome> {
    if (!this.capabilities[change.entity]?.[change.op]) throw new EjsyncError('sedizh.entity_unmapped', { detail: `${change.entity}/${change.op} не разрешено матрицей возможностей` });
    const { sourceId: _ownId, ...fields } = (change.after ?? {}) as Record<string, unknown>;
    const record: PackageRecord = {
      entity: change.entity,
      action: ACTION[change.op],
      extId: change.sourceId,
      ...(change.targetId ? { id: change.targetId } : {}),
      fields: change.op === 'archive' ? {} : fields,
    };
    // What the mapping cannot express fails this record alone, before anything is sent.
    const check = recordElement(record, this.options.mapping);
    if (!check.ok) throw new EjsyncError(check.finding.code, { detail: check.finding.message });
    const { packageId, receipt, resent } = await this.batcher.submit(record);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: this.options.timeZone }).format((this.options.now ?? (() => new Date()))());
    return {
      targetId: receipt.id ?? change.targetId ?? change.sourceId,
      status: 200,
      request: { method: 'POST', path: `${this.options.transport.label} пакет ${packageId}${resent ? ' (отправлен повторно)' : ''}` },
      ...(receipt.effectiveFrom && receipt.effectiveFrom > today ? { effectiveFrom: receipt.effectiveFrom } : {}),
    };
  }
}
