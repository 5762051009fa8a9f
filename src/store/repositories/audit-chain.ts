import { createHash } from 'node:crypto';

/** Hash of the (empty) chain before the first audit row. */
export const AUDIT_CHAIN_START = '0'.repeat(64);

/** An audit row's fields that the chain covers. */
export interface ChainedAuditFields {
  at: Date;
  actorOid: string;
  actorName: string;
  action: string;
  objectType: string;
  objectId: string | null;
  schoolId: string | null;
  details: unknown;
}

/** JSON with object keys sorted at every level: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * SHA-256 over the previous row's hash and this row's fields (the instant to the millisecond,
 * details as canonical JSON): changing, removing or reordering any row breaks every hash after it.
 */
export function auditRowHash(prevHash: string, row: ChainedAuditFields): string {
  const material = canonicalJson([prevHash, row.at.toISOString(), row.actorOid, row.actorName, row.action, row.objectType, row.objectId, row.schoolId, row.details ?? {}]);
  return createHash('sha256').update(material, 'utf8').digest('hex');
}
