import { parseUserIds } from './cell-values';
import type { FieldSource, MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';
import type { PersonKind, UserRoles } from './resolve-roles';

const SNILS_TYPES = new Set(['snils', 'снилс']);
const ESIA_TYPES = new Set(['esia', 'esiaoid', 'esia_oid', 'есиа']);

/** Person fields of a user row plus their demographics row (birth date, sex). */
export function personFields(user: RawRecord, demographics: RawRecord | undefined): { record: Record<string, unknown>; fields: Record<string, string | FieldSource> } {
  const v = user.values;
  const record: Record<string, unknown> = {
    sourceId: user.sourcedId,
    lastName: v.familyName,
    firstName: v.givenName,
    middleName: v.middleName,
    email: v.email,
    phone: v.phone ?? v.sms,
  };
  const fields: Record<string, string | FieldSource> = { lastName: 'familyName', firstName: 'givenName', middleName: 'middleName', email: 'email', phone: v.phone ? 'phone' : 'sms' };
  for (const { type, value } of parseUserIds(v.userIds)) {
    const t = type.toLocaleLowerCase('ru-RU');
    if (SNILS_TYPES.has(t)) record.snils = value;
    if (ESIA_TYPES.has(t)) record.esiaOid = value;
  }
  fields.snils = 'userIds';
  fields.esiaOid = 'userIds';
  const birthSource: FieldSource = { file: 'demographics.csv', row: demographics?.row, column: 'birthDate' };
  fields.birthDate = demographics ? birthSource : { file: 'demographics.csv', column: 'birthDate' };
  fields.sex = { file: 'demographics.csv', row: demographics?.row, column: 'sex' };
  if (demographics) {
    record.birthDate = demographics.values.birthDate;
    const sex = demographics.values.sex;
    if (sex === 'male' || sex === 'female') record.sex = sex;
  }
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return { record, fields };
}

const POSITION_DEFAULT = 'учитель';

/**
 * users (with their roles and demographics) → pupils, staff and guardians. A user with several
 * supported roles (a teacher who is also a parent) lands in each collection under the same id.
 * A pupil needs a birth date: without a demographics row it is `oneroster.missing_value`.
 */
export function mapPeople(ctx: MappingContext, roles: Map<string, UserRoles>): void {
  for (const d of ctx.rows('demographics.csv')) {
    const sex = d.values.sex;
    if (sex === 'other') ctx.report('oneroster.not_expressible', d, { field: 'sex', detail: 'пол «other» в модели школы не выражается' });
  }
  for (const d of ctx.deletedRows('demographics.csv')) {
    ctx.report('oneroster.not_expressible', d, { detail: 'удаление демографических сведений (tobedeleted) не переносится' });
  }
  const withRoleRows = new Set((ctx.file('roles.csv')?.records ?? []).map((x) => x.values.userSourcedId));
  for (const user of ctx.rows('users.csv')) {
    const r = roles.get(user.sourcedId);
    if (!r) {
      // Unsupported roles were reported already; roles at another school are out of scope.
      if (!withRoleRows.has(user.sourcedId) && user.values.role === undefined) ctx.report('oneroster.not_expressible', user, { field: 'role', detail: 'у пользователя нет роли (roles.csv, role, enrollments)' });
      continue;
    }
    const demographics = ctx.usable('demographics.csv', user.sourcedId);
    const { record, fields } = personFields(user, demographics);
    for (const kind of ['staff', 'pupils', 'guardians'] as PersonKind[]) {
      if (!r.kinds.has(kind)) continue;
      const own = kind === 'staff' ? { ...record, position: r.position ?? POSITION_DEFAULT } : record;
      ctx.accept(kind, { origin: user, record: own, fields });
    }
  }
}

/** Deletions of users in a delta package, filed by the roles the package tells. */
export function markDeletedPeople(ctx: MappingContext, roles: Map<string, UserRoles>): void {
  for (const user of ctx.deletedRows('users.csv')) {
    const r = roles.get(user.sourcedId);
    if (!r || r.kinds.size === 0) {
      ctx.report('oneroster.not_expressible', user, { detail: 'удалённый пользователь без роли в пакете: неизвестно, ученик это, сотрудник или представитель' });
      continue;
    }
    for (const kind of r.kinds) ctx.markDeleted(kind, user.sourcedId);
  }
}
