import { createLogger, type Logger } from '../../config/logger';
import { fullName, isEjsyncError } from '../../model';
import type { Store } from '../../store';
import { linkSignedInPerson } from './link-signed-in-person';
import type { PrincipalResolver } from './principal-resolver';
import { principalRoles } from './principal-roles';
import type { Principal } from './roles';

export interface StorePrincipalsOptions {
  /** Where a failed identity linking is reported (ids and codes only). @defaultValue a pino logger on standard error */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Roles from the store. At every sign-in the person is first linked to the person directory
 * (see `linkSignedInPerson`); then access comes from role assignments by oid only (made by
 * configuration or an operator): linking never grants a role, and a school administrator is
 * scoped to exactly the schools of their assignments. No assignment → no access. A linked
 * guardian's pupils ride along for the parents' view. A failure of linking (for example no
 * `EJSYNC_SECRET_KEY`) is logged and does not stop a person with a role from signing in.
 */
export function storePrincipals(store: Store, options: StorePrincipalsOptions = {}): PrincipalResolver {
  let logger = options.logger;
  return {
    async resolve(person) {
      let children: Principal['children'] = [];
      try {
        ({ children } = await linkSignedInPerson(store, person));
      } catch (error) {
        logger ??= createLogger({ name: 'ejsync.identity' });
        logger.warn({ oid: person.oid, code: isEjsyncError(error) ? error.code : 'error', err: isEjsyncError(error) ? undefined : (error as Error)?.message }, 'связывание учётной записи ЕСИА с записями школ не выполнено');
      }
      const assignments = await store.access.rolesOf(person.oid);
      if (!assignments.length) return null;
      return { oid: person.oid, displayName: fullName(person), ...principalRoles(assignments), ...(children?.length ? { children } : {}) };
    },
  };
}
