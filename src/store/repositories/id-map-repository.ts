import type { Kysely } from 'kysely';
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
   * matched to another platform record moves (the old platform record was archived).
   */
  async put(linkId: string, rows: readonly IdMapRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const values = rows.slice(i, i + CHUNK).map((r) => ({ link_id: linkId, entity: r.entity, source_id: r.sourceId, target_id: r.targetId, matched_by: r.matchedBy }));
      if (!values.length) continue;
      await this.db.transaction().execute(async (tx) => {
        // A platform id may only be linked to one source record: free it first.
        for (const v of values) {
          await tx.deleteFrom('id_map').where('link_id', '=', linkId).where('entity', '=', v.entity).where('target_id', '=', v.target_id).where('source_id', '!=', v.source_id).execute();
        }
        await tx
          .insertInto('id_map')
          .values(values)
          .onConflict((oc) => oc.columns(['link_id', 'entity', 'source_id']).doUpdateSet((eb) => ({ target_id: eb.ref('excluded.target_id'), matched_by: eb.ref('excluded.matched_by'), updated_at: new Date() })))
          .execute();
      });
    }
  }

  async remove(linkId: string, entity: EntityCollection, sourceId: string): Promise<void> {
    await this.db.deleteFrom('id_map').where('link_id', '=', linkId).where('entity', '=', entity).where('source_id', '=', sourceId).execute();
  }
}
