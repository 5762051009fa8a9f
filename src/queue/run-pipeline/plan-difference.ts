import { ENTITY_LABELS, type ChangeOp, type EntityCollection } from '../../model';

/** A staged or freshly planned change, as far as a person approving it saw it. */
export interface ComparableChange {
  changeId: string;
  entity: EntityCollection;
  op: ChangeOp;
  sourceId: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** What differs between the plan a person approved and the plan made again at approval. */
export interface PlanDifference {
  /** Changes only in the new plan. */
  added: ComparableChange[];
  /** Changes only in the approved plan. */
  removed: ComparableChange[];
  /** Changes in both, but to another record or with other values (before or after). */
  changed: ComparableChange[];
}

/** JSON with sorted keys and no undefined members: a record read back from jsonb compares equal to the one staged. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const sameChange = (a: ComparableChange, b: ComparableChange) =>
  a.entity === b.entity && a.op === b.op && a.sourceId === b.sourceId && (a.targetId ?? null) === (b.targetId ?? null) && canonical(a.before) === canonical(b.before) && canonical(a.after) === canonical(b.after);

/**
 * The difference between an approved plan and the same link planned again against the platform
 * as it is now, by change id; null when they are the same change for change. Pure.
 */
export function planDifference(approved: readonly ComparableChange[], fresh: readonly ComparableChange[]): PlanDifference | null {
  const before = new Map(approved.map((c) => [c.changeId, c]));
  const now = new Map(fresh.map((c) => [c.changeId, c]));
  const added = fresh.filter((c) => !before.has(c.changeId));
  const removed = approved.filter((c) => !now.has(c.changeId));
  const changed = fresh.filter((c) => before.has(c.changeId) && !sameChange(before.get(c.changeId)!, c));
  return added.length || removed.length || changed.length ? { added, removed, changed } : null;
}

const OP_WORDS: Record<ChangeOp, string> = { create: 'создание', update: 'изменение', archive: 'удаление' };

/** Russian, for the finding a re-held run carries: counts per kind, and the first records named. */
export function describePlanDifference(d: PlanDifference, listed = 10): string {
  const part = (word: string, list: ComparableChange[]) => {
    if (!list.length) return null;
    const named = list.slice(0, listed).map((c) => `${ENTITY_LABELS[c.entity]}: ${OP_WORDS[c.op]} ${c.sourceId}`);
    return `${word} ${list.length} (${named.join('; ')}${list.length > listed ? '; …' : ''})`;
  };
  return [part('новых изменений', d.added), part('больше не нужно', d.removed), part('изменилось', d.changed)].filter(Boolean).join('; ');
}
