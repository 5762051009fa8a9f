import type { GuardianRelation } from '../../model';
import { parseList } from './cell-values';
import { extensionOf } from './ejsync-extension';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';
import type { UserRoles } from './resolve-roles';

/** Relation of a guardian to a pupil: a parent's sex tells mother from father. */
export function relationOf(role: UserRoles['guardianRole'], sex: string | undefined): GuardianRelation {
  if (role === 'guardian') return 'guardian';
  if (role === 'parent' && sex === 'female') return 'mother';
  if (role === 'parent' && sex === 'male') return 'father';
  return 'other';
}

/** Id of the link between a guardian and a pupil: OneRoster has no id of its own for it. */
export function guardianLinkId(guardianId: string, pupilId: string): string {
  return `${guardianId}:${pupilId}`;
}

/**
 * `agentSourcedIds` → guardian links. The binding lets either side name the other (a pupil
 * names its parents, a parent its children); both directions give the same link once.
 */
export function mapGuardianLinks(ctx: MappingContext, roles: Map<string, UserRoles>): void {
  const seen = new Set<string>();
  const link = (at: RawRecord, guardianId: string, pupilId: string) => {
    const key = guardianLinkId(guardianId, pupilId);
    if (seen.has(key)) return;
    seen.add(key);
    // ejsync's own packages carry the link's id on the pupil's row (OneRoster has none).
    const own = extensionOf(ctx.raw('users.csv', pupilId), 'guardianLinkIds')?.[guardianId];
    const id = typeof own === 'string' && own !== '' ? own : key;
    const sex = ctx.usable('demographics.csv', guardianId)?.values.sex;
    ctx.accept('guardianLinks', {
      origin: at,
      record: { sourceId: id, guardianId, pupilId, relation: relationOf(roles.get(guardianId)?.guardianRole, sex) },
      fields: { guardianId: 'agentSourcedIds', pupilId: 'agentSourcedIds', relation: 'agentSourcedIds' },
    });
  };
  for (const user of ctx.rows('users.csv')) {
    const r = roles.get(user.sourcedId);
    const agents = parseList(user.values.agentSourcedIds);
    if (!r || agents.length === 0) continue;
    if (r.kinds.has('pupils')) {
      if (ctx.isRejected('pupils', user.sourcedId)) continue;
      for (const agent of agents) {
        if (!ctx.requires(['guardians'], agent, user, 'agentSourcedIds', 'guardianLinks', 'пользователь не является законным представителем', 'users.csv')) continue;
        link(user, agent, user.sourcedId);
      }
    } else if (r.kinds.has('guardians')) {
      if (ctx.isRejected('guardians', user.sourcedId)) continue;
      for (const agent of agents) {
        if (!ctx.requires(['pupils'], agent, user, 'agentSourcedIds', 'guardianLinks', 'пользователь не является учеником', 'users.csv')) continue;
        link(user, user.sourcedId, agent);
      }
    } else {
      ctx.report('oneroster.not_expressible', user, { field: 'agentSourcedIds', detail: 'связи сотрудников с другими пользователями не переносятся' });
    }
  }
}
