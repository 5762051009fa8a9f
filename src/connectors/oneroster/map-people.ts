import { makeFinding } from '../../model';
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

/** Ids named in a finding's detail before "…". */
const LISTED_IDS = 5;

/**
 * What the package does not tell of a person: birth date and sex without a demographics row, the
 * birth date when the row leaves it blank, the sex when it is blank. OneRoster makes them optional,
 * so they are unknown rather than empty: the planner neither compares nor clears them.
 */
function untold(demographics: RawRecord | undefined): string[] {
  if (!demographics) return ['birthDate', 'sex'];
  const out: string[] = [];
  if (demographics.values.birthDate === undefined) out.push('birthDate');
  if (demographics.values.sex === undefined) out.push('sex');
  return out;
}

/**
 * users (with their roles and demographics) → pupils, staff and guardians. A user with several
 * supported roles (a teacher who is also a parent) lands in each collection under the same id.
 * demographics.csv and its birthDate are optional in OneRoster: pupils without a birth date are
 * accepted, with one `oneroster.birth_date_missing` warning for the package that says what it
 * costs (no matching by name and birth date).
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
  const withoutBirthDate: string[] = [];
  let pupils = 0;
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
      if (!ctx.accept(kind, { origin: user, record: own, fields })) continue;
      ctx.unknownFields(kind, user.sourcedId, untold(demographics));
      if (kind === 'pupils' && record.birthDate === undefined) withoutBirthDate.push(user.sourcedId);
    }
    if (r.kinds.has('pupils')) pupils++;
  }
  reportMissingBirthDates(ctx, withoutBirthDate, pupils);
}

/** One warning for the package: how many pupils have no birth date, and the first of them. */
function reportMissingBirthDates(ctx: MappingContext, ids: string[], pupils: number): void {
  const sent = ctx.file('demographics.csv') !== undefined;
  // A delta that leaves demographics.csv out has not changed them: nothing is missing.
  if (!ids.length || (ctx.delta && !sent)) return;
  const listed = ids.slice(0, LISTED_IDS).join(', ') + (ids.length > LISTED_IDS ? ', …' : '');
  const detail = sent
    ? `нет даты рождения у ${ids.length} из ${pupils} учеников: ${listed}`
    : `demographics.csv нет в пакете: нет даты рождения ни у одного из ${pupils} учеников`;
  ctx.findings.push(makeFinding('oneroster.birth_date_missing', { file: 'demographics.csv', field: 'birthDate', entity: 'pupils', ...(ids.length === 1 ? { sourceId: ids[0] } : {}), detail }));
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
