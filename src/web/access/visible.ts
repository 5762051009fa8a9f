import type { LinkRecord, RunRecord, Store } from '../../store';
import { canActOnSchool, canSeeSchool, isOperator, type Principal } from '../auth/roles';

/** Schools a person sees: undefined = all (operators). */
export function visibleSchools(p: Principal): string[] | undefined {
  return isOperator(p) ? undefined : p.schoolIds;
}

/** The links a person sees. */
export async function visibleLinks(store: Store, p: Principal): Promise<LinkRecord[]> {
  return store.links.list(visibleSchools(p));
}

/**
 * A lookup scoped to the person: another school's object answers exactly like a missing one
 * (404, so ids cannot be probed); one the person sees but may not act on answers 403.
 */
export type Scoped<T> = { ok: true; value: T; mayAct: boolean } | { ok: false; status: 404 | 403 };

function scoped<T extends { schoolId: string }>(p: Principal, found: T | null, act: boolean): Scoped<T> {
  if (!found || !canSeeSchool(p, found.schoolId)) return { ok: false, status: 404 };
  const mayAct = canActOnSchool(p, found.schoolId);
  if (act && !mayAct) return { ok: false, status: 403 };
  return { ok: true, value: found, mayAct };
}

export async function findRun(store: Store, p: Principal, id: string, act = false): Promise<Scoped<RunRecord>> {
  return scoped(p, await store.runs.get(id), act);
}

export async function findLink(store: Store, p: Principal, id: string, act = false): Promise<Scoped<LinkRecord>> {
  return scoped(p, await store.links.get(id), act);
}

/** Russian text of a refused lookup. */
export function refusal(status: 404 | 403, what: 'run' | 'link'): { error: string; message: string } {
  if (status === 403) return { error: 'forbidden', message: 'Недостаточно прав: действие доступно администратору ЭЖ этой школы или региональному оператору' };
  return { error: 'not_found', message: what === 'run' ? 'Запуск не найден' : 'Связь не найдена' };
}
