import type { Kysely } from 'kysely';
import { EjsyncError } from '../../model';
import type { Database } from '../schema';
import { AuditRepository, type Actor } from './audit-repository';

/** Collections whose records a person may link by hand: people. */
export const MERGEABLE = ['pupils', 'staff', 'guardians'] as const;
export type MergeableEntity = (typeof MERGEABLE)[number];

export interface IdentityMerge {
  linkId: string;
  schoolId: string;
  entity: MergeableEntity;
  /** The person's id in the МИС. */
  sourceId: string;
  /** The same person's id on the platform. */
  targetId: string;
  /** Why (e.g. «СНИЛС на платформе не заполнен, сверено по свидетельству о рождении»). */
  reason: string;
}

/** What a merge changed: the МИС record's platform id before, and the МИС record the platform id was linked to before. */
export interface MergeOutcome {
  changed: boolean;
  before: { targetId: string | null; sourceOfTarget: string | null };
  after: { targetId: string };
}

/**
 * Manual identity merges: where matching is ambiguous (two platform records fit, or none by
 * СНИЛС), a school administrator or operator links the МИС person to the platform person. The
 * id map takes the link (`matched_by = manual`, moving the platform id off any other record)
 * and the audit keeps who, why, and the links before and after, in one transaction.
 */
export class IdentityMerges {
  constructor(private readonly db: Kysely<Database>) {}

  async link(m: IdentityMerge, actor: Actor): Promise<MergeOutcome> {
    if (!(MERGEABLE as readonly string[]).includes(m.entity)) throw new EjsyncError('identity.merge_invalid', { detail: `вид записей ${m.entity}: вручную связываются только ученики, сотрудники и законные представители` });
    if (!m.reason.trim()) throw new EjsyncError('identity.merge_invalid', { detail: 'укажите основание связывания' });
    return this.db.transaction().execute(async (tx) => {
      const current = await tx.selectFrom('id_map').select('target_id').where('link_id', '=', m.linkId).where('entity', '=', m.entity).where('source_id', '=', m.sourceId).executeTakeFirst();
      const holder = await tx.selectFrom('id_map').select('source_id').where('link_id', '=', m.linkId).where('entity', '=', m.entity).where('target_id', '=', m.targetId).executeTakeFirst();
      const before = { targetId: current?.target_id ?? null, sourceOfTarget: holder?.source_id ?? null };
      if (before.targetId === m.targetId) return { changed: false, before, after: { targetId: m.targetId } };
      await tx.deleteFrom('id_map').where('link_id', '=', m.linkId).where('entity', '=', m.entity).where('target_id', '=', m.targetId).execute();
      await tx
        .insertInto('id_map')
        .values({ link_id: m.linkId, entity: m.entity, source_id: m.sourceId, target_id: m.targetId, matched_by: 'manual' })
        .onConflict((oc) => oc.columns(['link_id', 'entity', 'source_id']).doUpdateSet({ target_id: m.targetId, matched_by: 'manual', updated_at: new Date() }))
        .execute();
      // The person's marks and attendance now mean another platform record while their МИС rows
      // stay the same: the next run reads every day (cursor names of queue/run-pipeline/plan-link).
      await tx.deleteFrom('cursors').where('link_id', '=', m.linkId).where('name', 'in', ['dated_read', 'dated_read_pending']).execute();
      await new AuditRepository(tx).append({
        ...actor,
        action: 'identity.merged',
        objectType: 'link',
        objectId: m.linkId,
        schoolId: m.schoolId,
        details: { entity: m.entity, sourceId: m.sourceId, reason: m.reason.trim(), before, after: { targetId: m.targetId } },
      });
      return { changed: true, before, after: { targetId: m.targetId } };
    });
  }
}
