import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** The namespace of ejsync's default receipt (docs/formats/sedizh-xml.md, «Квитанция»). */
export const RECEIPT_NAMESPACE = 'urn:ejsync:sedizh-receipt:1';

export type ReceiptStatus = 'accepted' | 'partial' | 'rejected';

/** What the platform says about one record of a package. */
export interface ReceiptRecord {
  /** The record element's name in the package (`Pupil`). */
  record: string;
  extId?: string;
  /** The platform's id of the record (a create's new id). */
  id?: string;
  status: 'accepted' | 'rejected';
  /** The platform's error code (rejected). */
  code?: string;
  message?: string;
  /** The day the change takes effect (after the daily cut-off: a later day). */
  effectiveFrom?: string;
}

/** The platform's answer to one package. */
export interface Receipt {
  packageId: string;
  status: ReceiptStatus;
  processedAt: string;
  /** Errors of the whole package (schema, hash, school). */
  errors: { code: string; message: string }[];
  records: ReceiptRecord[];
}

const ATTR = '@_';
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR, format: true, indentBy: '  ', suppressEmptyNode: true });
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  isArray: (name) => name === 'Record' || name === 'Error',
});

/** Writes a receipt as XML text (the emulator's answer; encoded by the caller). */
export function buildReceipt(receipt: Receipt, encoding: 'utf-8' | 'windows-1251' = 'utf-8'): string {
  const body = builder.build({
    Receipt: {
      [`${ATTR}xmlns`]: RECEIPT_NAMESPACE,
      [`${ATTR}packageId`]: receipt.packageId,
      [`${ATTR}status`]: receipt.status,
      [`${ATTR}processedAt`]: receipt.processedAt,
      Error: receipt.errors.map((e) => ({ [`${ATTR}code`]: e.code, '#text': e.message })),
      Record: receipt.records.map((r) => ({
        [`${ATTR}record`]: r.record,
        ...(r.extId ? { [`${ATTR}extId`]: r.extId } : {}),
        ...(r.id ? { [`${ATTR}id`]: r.id } : {}),
        [`${ATTR}status`]: r.status,
        ...(r.code ? { [`${ATTR}code`]: r.code } : {}),
        ...(r.effectiveFrom ? { [`${ATTR}effectiveFrom`]: r.effectiveFrom } : {}),
        ...(r.message ? { '#text': r.message } : {}),
      })),
    },
  }) as string;
  return `<?xml version="1.0" encoding="${encoding === 'windows-1251' ? 'windows-1251' : 'UTF-8'}"?>\n${body}`;
}

const STATUSES: readonly ReceiptStatus[] = ['accepted', 'partial', 'rejected'];

/**
 * Reads a receipt defensively: anything that is not a well-formed receipt of the expected package
 * (not XML, another root, an unknown status, a record without a status) is `{ ok: false }` with
 * the reason, never an exception.
 */
export function parseReceipt(text: string, expectedPackageId?: string): { ok: true; receipt: Receipt } | { ok: false; detail: string } {
  if (!text.trim()) return { ok: false, detail: 'пустая квитанция' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, detail: `не XML (строка ${valid.err.line}: ${valid.err.msg})` };
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, detail: `не читается: ${error instanceof Error ? error.message : String(error)}` };
  }
  const root = doc.Receipt as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') return { ok: false, detail: `корневой элемент не <Receipt>` };
  const attr = (node: Record<string, unknown>, name: string) => (node[ATTR + name] === undefined ? undefined : String(node[ATTR + name]));
  const packageId = attr(root, 'packageId');
  const status = attr(root, 'status') as ReceiptStatus | undefined;
  if (!packageId) return { ok: false, detail: 'нет номера пакета (packageId)' };
  if (expectedPackageId && packageId !== expectedPackageId) return { ok: false, detail: `квитанция к другому пакету (${packageId})` };
  if (!status || !STATUSES.includes(status)) return { ok: false, detail: `неизвестное состояние пакета «${status ?? ''}»` };
  const text$ = (node: Record<string, unknown>) => (node['#text'] === undefined ? undefined : String(node['#text']));
  const errors = ((root.Error as Record<string, unknown>[] | undefined) ?? []).map((e) => (typeof e === 'object' ? { code: attr(e, 'code') ?? 'UNKNOWN', message: text$(e) ?? '' } : { code: 'UNKNOWN', message: String(e) }));
  const records: ReceiptRecord[] = [];
  for (const r of (root.Record as unknown[] | undefined) ?? []) {
    if (!r || typeof r !== 'object') return { ok: false, detail: 'запись квитанции без атрибутов' };
    const node = r as Record<string, unknown>;
    const rs = attr(node, 'status');
    const record = attr(node, 'record');
    if (rs !== 'accepted' && rs !== 'rejected') return { ok: false, detail: `запись квитанции: неизвестное состояние «${rs ?? ''}»` };
    if (!record) return { ok: false, detail: 'запись квитанции без вида записи (record)' };
    const extId = attr(node, 'extId');
    const id = attr(node, 'id');
    const code = attr(node, 'code');
    const effectiveFrom = attr(node, 'effectiveFrom');
    const message = text$(node);
    if (effectiveFrom !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom)) return { ok: false, detail: `запись квитанции: дата вступления в силу «${effectiveFrom}»` };
    records.push({ record, status: rs, ...(extId ? { extId } : {}), ...(id ? { id } : {}), ...(code ? { code } : {}), ...(message ? { message } : {}), ...(effectiveFrom ? { effectiveFrom } : {}) });
  }
  return { ok: true, receipt: { packageId, status, processedAt: attr(root, 'processedAt') ?? '', errors, records } };
}
