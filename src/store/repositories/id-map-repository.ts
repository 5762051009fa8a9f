import { sql, type Kysely } from 'kysely';
import type { EntityCollection } from '../../model';
import type { Database } from '../schema';

export type MatchedBy = 'id_map' | 'snils' | 'name_birthdate' | 'natural_key' | 'created';

export interface IdMapRow {
  entity: EntityCollection;
  sourceId: string;
  targetId: string;
  matchedBy: MatchedBy;
}

const CHUNK = 1000;

/**
 * A batch as one statement can take it: one row per source record and per platform record (of
 * rows naming the same one, the later is kept and the earlier dropped), sorted by entity and
 * source id.
 */
export function idMapBatch(rows: readonly IdMapRow[]): IdMapRow[] {
  const bySource = new Map<string, IdMapRow>();
  for (const r of rows) {
    const key = JSON.stringify([r.entity, r.sourceId]);
    bySource.delete(key);
    bySource.set(key, r);
  }
  const byTarget = new Map<string, IdMapRow>();
  for (const r of bySource.values()) {
    const key = JSON.stringify([r.entity, r.targetId]);
    byTarget.delete(key);
    byTarget.set(key, r);
  }
  return [...byTarget.values()].sort((a, b) => cmp(a.entity, b.entity) || cmp(a.sourceId, b.sourceId));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Source id ⇄ platform id per link and entity; unique both ways. */
export class IdMapRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async all(linkId: string): Promise<IdMapRow[]> {
    const rows = await this.db.selectFrom('id_map').select(['entity', 'source_id', 'target_id', 'matched_by']).where('link_id', '=', linkId).execute();
    return rows.map((r) => ({ entity: r.entity as EntityCollection, sourceId: r.source_id, targetId: r.target_id, matchedBy: r.matched_by as MatchedBy }));
  }

  async targetIds(linkId: string, entity: EntityCollection, sourceIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < sourceIds.length; i += CHUNK) {
      const chunk = sourceIds.slice(i, i + CHUNK);
      if (!chunk.length) continue;
      const rows = await this.db.selectFrom('id_map').select(['source_id', 'target_id']).where('link_id', '=', linkId).where('entity', '=', entity).where('source_id', 'in', chunk).execute();
      for (const r of rows) out.set(r.source_id, r.target_id);
    }
    return out;
  }

  async targetId(linkId: string, entity: EntityCollection, sourceId: string): Promise<string | undefined> {
    return (await this.targetIds(linkId, entity, [sourceId])).get(sourceId);
  }

  /**
   * Records links idempotently: the same pair again changes nothing; a source record newly
   * matched to another platform record moves (the old platform record was archived). Within a
   * batch a later row for the same source record or the same platform record wins
   * ({@link idMapBatch}).
   *
   * Deliveries and plans write one link's map at once. Each chunk is one transaction of two
   * statements (free the claimed platform ids, then upsert with rows sorted by key) taken under a
   * per-link transaction advisory lock, so writers of a link take turns: no deadlock (40P01)
   * whatever order their rows come in, and no unique violation from a writer's uncommitted rows.
   */
  async put(linkId: string, rows: readonly IdMapRow[]): Promise<void> {
    const batch = idMapBatch(rows);
    for (let i = 0; i < batch.length; i += CHUNK) {
      const values = batch.slice(i, i + CHUNK).map((r) => ({ link_id: linkId, entity: r.entity, source_id: r.sourceId, target_id: r.targetId, matched_by: r.matchedBy }));
      await this.db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`ejsync.id_map.${linkId}`}, 0))`.execute(tx);
        // A platform id may only be linked to one source record: free it first.
        await tx
          .deleteFrom('id_map')
          .where('link_id', '=', linkId)
          .where((eb) =>
            eb.and([
              eb(eb.refTuple('entity', 'target_id'), 'in', values.map((v) => eb.tuple(v.entity, v.target_id))),
              eb(eb.refTuple('entity', 'source_id', 'target_id'), 'not in', values.map((v) => eb.tuple(v.entity, v.source_id, v.target_id))),
            ]),
          )
          .execute();
        await tx
          .insertInto('id_map')
          .values(values)
          .onConflict((oc) =>
            oc
              .columns(['link_id', 'entity', 'source_id'])
              .doUpdateSet((eb) => ({ target_id: eb.ref('excluded.target_id'), matched_by: eb.ref('excluded.matched_by'), updated_at: new Date() }))
              // The same pair again leaves the row (and its updated_at) as it was.
              .where((eb) => eb.or([eb('id_map.target_id', '<>', eb.ref('excluded.target_id')), eb('id_map.matched_by', '<>', eb.ref('excluded.matched_by'))])),
          )
          .execute();
      });
    }
  }

  async remove(linkId: string, entity: EntityCollection, sourceId: string): Promise<void> {
    await this.db.deleteFrom('id_map').where('link_id', '=', linkId).where('entity', '=', entity).where('source_id', '=', sourceId).execute();
  }
}
