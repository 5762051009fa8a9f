import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RunRecord, Store } from '../../store';
import { canActOnSchool, canSeeSchool, isOperator, type Principal } from '../auth/roles';

/** Schools a person sees: undefined = all (operators). */
export function visibleSchools(p: Principal): string[] | undefined {
  return isOperator(p) ? undefined : p.schoolIds;
}

/**
 * Loads a run the person may see, or answers 404 — another school's run looks exactly like a
 * missing one, so ids cannot be probed.
 */
export async function visibleRun(store: Store, req: FastifyRequest, reply: FastifyReply, id: string, act = false): Promise<RunRecord | null> {
  const run = await store.runs.get(id);
  const p = req.principal!;
  if (!run || !canSeeSchool(p, run.schoolId)) {
    reply.code(404).send({ error: 'not_found', message: 'Запуск не найден' });
    return null;
  }
  if (act && !canActOnSchool(p, run.schoolId)) {
    reply.code(403).send({ error: 'forbidden', message: 'Недостаточно прав для действия в этой школе' });
    return null;
  }
  return run;
}
