import { ENTITY_ORDER, type EntityCollection, type Finding, type SourceReadResult } from '../model';
import { REFERENCE_FIELDS, referenceCandidates } from './references';

/**
 * What a source read cannot vouch for. A record the reader rejected, or one in a file with errors,
 * is unknown, not absent: the planner archives nothing in an incomplete collection (except what the
 * source explicitly marks deleted) and never compares a rejected field.
 */
export interface SourceGaps {
  /** Collections not given completely: an error in their file, or in a collection they refer to, or a delta package. */
  incomplete: ReadonlySet<EntityCollection>;
  /** Per collection, ids the source explicitly marks deleted (OneRoster `tobedeleted`): archived even when incomplete. */
  deleted: ReadonlyMap<EntityCollection, ReadonlySet<string>>;
  /** Per collection and source id, fields rejected while the record was kept. */
  rejectedFields: ReadonlyMap<EntityCollection, ReadonlyMap<string, readonly string[]>>;
  /** Per collection, ids of records rejected whole (for the report). */
  rejected: ReadonlyMap<EntityCollection, ReadonlySet<string>>;
}

/** No gaps: a complete, valid full source. */
export const NO_SOURCE_GAPS: SourceGaps = { incomplete: new Set(), deleted: new Map(), rejectedFields: new Map(), rejected: new Map() };

/** Collections whose records refer to records of `entity` (any candidate of any reference field). */
function dependantsOf(entity: EntityCollection): EntityCollection[] {
  const out: EntityCollection[] = [];
  for (const e of ENTITY_ORDER) {
    const refs = REFERENCE_FIELDS[e];
    const hits = refs.some((r) => [...referenceCandidates(r, { sourceId: '', groupKind: 'class' }), ...referenceCandidates(r, { sourceId: '', groupKind: 'subgroup' })].includes(entity));
    if (hits) out.push(e);
  }
  return out;
}

/**
 * Works out a source read's gaps from its findings, conservatively: every error finding makes its
 * collection incomplete (by `entity`, else by the file it names); an error that names neither, or
 * a file the format does not map, makes every collection incomplete; incompleteness spreads to
 * the collections that refer to an incomplete one. A delta package is incomplete everywhere: its
 * absent records are unchanged, not deleted. Pure.
 */
export function sourceGapsOf(read: Pick<SourceReadResult, 'findings' | 'mode' | 'deleted' | 'rejectedFields' | 'rejected' | 'fileCollections'>): SourceGaps {
  const incomplete = new Set<EntityCollection>();
  const all = () => ENTITY_ORDER.forEach((e) => incomplete.add(e));
  if (read.mode === 'delta') all();
  const files = new Map(Object.entries(read.fileCollections ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const rejectedIds = toSets(read.rejected);
  // A finding about a record that was kept (only a bad optional field dropped) leaves nothing unknown.
  const aboutKeptRecord = (f: Finding) =>
    f.entity !== undefined && f.sourceId !== undefined && read.rejectedFields?.[f.entity]?.[f.sourceId] !== undefined && !rejectedIds.get(f.entity)?.has(f.sourceId);
  for (const f of read.findings) {
    if (f.severity !== 'error' || aboutKeptRecord(f)) continue;
    if (f.entity) {
      incomplete.add(f.entity);
      continue;
    }
    const mapped = f.file !== undefined ? files.get(f.file.toLowerCase()) : undefined;
    if (mapped) mapped.forEach((e) => incomplete.add(e));
    else {
      all();
      break;
    }
  }
  const queue = [...incomplete];
  while (queue.length) {
    for (const d of dependantsOf(queue.pop()!)) {
      if (incomplete.has(d)) continue;
      incomplete.add(d);
      queue.push(d);
    }
  }
  const rejectedFields = new Map(
    Object.entries(read.rejectedFields ?? {}).map(([e, byId]) => [e as EntityCollection, new Map(Object.entries(byId ?? {})) as ReadonlyMap<string, readonly string[]>]),
  );
  return { incomplete, deleted: toSets(read.deleted), rejectedFields, rejected: rejectedIds };
}

function toSets(rec: Partial<Record<EntityCollection, string[]>> | undefined): Map<EntityCollection, ReadonlySet<string>> {
  return new Map(Object.entries(rec ?? {}).map(([e, ids]) => [e as EntityCollection, new Set(ids) as ReadonlySet<string>]));
}
