import type { EntityCollection } from '../model';

/** One persisted link between a source (МИС) record and its platform record. */
export interface IdMapEntry {
  entity: EntityCollection;
  sourceId: string;
  targetId: string;
}

/**
 * A read-only view of the id map: source id → platform id per entity, and the reverse. The store
 * builds it from its table; reconcile only looks things up.
 */
export interface IdMapView {
  targetId(entity: EntityCollection, sourceId: string): string | undefined;
  sourceId(entity: EntityCollection, targetId: string): string | undefined;
}

/** An in-memory id map view over a list of entries (later entries win on conflicts). */
export function idMapFromEntries(entries: Iterable<IdMapEntry>): IdMapView {
  const forward = new Map<EntityCollection, Map<string, string>>();
  const reverse = new Map<EntityCollection, Map<string, string>>();
  const side = (maps: Map<EntityCollection, Map<string, string>>, entity: EntityCollection) => {
    let m = maps.get(entity);
    if (!m) maps.set(entity, (m = new Map()));
    return m;
  };
  for (const e of entries) {
    side(forward, e.entity).set(e.sourceId, e.targetId);
    side(reverse, e.entity).set(e.targetId, e.sourceId);
  }
  return {
    targetId: (entity, sourceId) => forward.get(entity)?.get(sourceId),
    sourceId: (entity, targetId) => reverse.get(entity)?.get(targetId),
  };
}

/** An id map that knows nothing (first migration). */
export const EMPTY_ID_MAP: IdMapView = idMapFromEntries([]);
