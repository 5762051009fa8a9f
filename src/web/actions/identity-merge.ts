import { catalogueEntry, ENTITY_LABELS } from '../../model';
import type { SchoolRoster } from '../../reconcile/change-context';
import { MERGEABLE, type Actor, type LinkRecord, type MergeableEntity, type MergeOutcome } from '../../store';
import type { DashboardBackend } from '../dashboard-backend';
import { DashboardError } from '../dashboard-error';

const refuse = (code: 'identity.merge_invalid' | 'identity.person_unknown', detail: string) => {
  const e = catalogueEntry(code);
  return new DashboardError(400, e.code, `${e.message}: ${detail}`, e.hint);
};

/** Platform people not linked to any МИС person (candidates for a manual link), by collection. */
export function unmatchedOnPlatform(roster: SchoolRoster | null, entity: MergeableEntity): { targetId: string; name: string }[] {
  return Object.entries(roster?.platform ?? {})
    .filter(([, r]) => r.entity === entity && !r.sourceId)
    .map(([targetId, r]) => ({ targetId, name: r.name ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
}

/**
 * Links a МИС person to the platform person by hand (the person has been checked: they may act
 * on the link's school). Both must be in the school's roster as the last plan read it; the
 * store writes the id map and the audit row (before and after) in one transaction.
 */
export async function mergeIdentity(backend: DashboardBackend, link: LinkRecord, input: { entity: string; sourceId: string; targetId: string; reason: string }, actor: Actor): Promise<MergeOutcome & { message: string }> {
  if (!(MERGEABLE as readonly string[]).includes(input.entity)) throw refuse('identity.merge_invalid', `вид записей «${input.entity}»`);
  if (!input.reason?.trim()) throw refuse('identity.merge_invalid', 'укажите основание');
  const entity = input.entity as MergeableEntity;
  const roster = await backend.people.roster(link.id);
  if (!roster?.[entity][input.sourceId]) throw refuse('identity.person_unknown', `в МИС нет записи «${input.sourceId}» (${ENTITY_LABELS[entity]})`);
  const onPlatform = roster.platform[input.targetId];
  if (!onPlatform || onPlatform.entity !== entity) throw refuse('identity.person_unknown', `на платформе нет записи «${input.targetId}» (${ENTITY_LABELS[entity]})`);
  const outcome = await backend.store.identityMerges.link({ linkId: link.id, schoolId: link.schoolId, entity, sourceId: input.sourceId, targetId: input.targetId, reason: input.reason }, actor);
  return { ...outcome, message: outcome.changed ? 'Записи связаны. Следующая синхронизация сверит их; действие записано в журнал.' : 'Записи уже были связаны.' };
}
