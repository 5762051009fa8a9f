import type { EntityCollection } from '../../model';
import type { ChangeContext, ContextValue, PersonEntity } from '../../reconcile/change-context';
import { REFERENCE_FIELDS, referenceCandidates, type AnyRecord } from '../../reconcile/references';
import { fieldLabel, formatPlainValue, HIDDEN_FIELDS, russianDate } from '../../reconcile/russian-labels';
import type { StagedChange } from '../../store';
import { entityLabel, opLabel, CHANGE_STATUS_LABELS } from '../pages/labels';
import type { PeopleView } from '../people/people-directory';
import type { PersonalDataView } from '../privacy/personal-data';

/** One field of a change: its Russian label, before → after in school terms. */
export interface ReadableField {
  label: string;
  before?: string;
  after?: string;
}

/** A change as a school administrator reads it. */
export interface ReadableChange {
  changeId: string;
  entity: string;
  entityLabel: string;
  op: string;
  opLabel: string;
  status: string;
  statusLabel: string;
  code: string | null;
  attempts: number;
  sourceId: string;
  targetId: string | null;
  /** The person concerned: `Иванов Пётр Сергеевич, 5А` (or masked). */
  who: string | null;
  /** МИС id of the pupil concerned (for the pupil's page). */
  pupilId: string | null;
  /** `5А · Математика · 09.11.2026 · контрольная работа «Дроби»`. */
  what: string;
  fields: ReadableField[];
}

const PEOPLE = new Set<string>(['pupils', 'staff', 'guardians']);
const PERSON_OF: Record<string, string> = { marks: 'pupilId', attendance: 'pupilId', memberships: 'pupilId', guardianLinks: 'pupilId' };

/** A mark is written in quotes, as the regulations quote it: «5». */
function schoolTerms(entity: string, field: string, text: string): string {
  return entity === 'marks' && field === 'value' ? `«${text}»` : text;
}

function valueText(entity: string, field: string, v: ContextValue | undefined, record: unknown, people: PeopleView, view: PersonalDataView): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return schoolTerms(entity, field, v);
  if ('person' in v) return people.name(v.person);
  const raw = (record as Record<string, unknown> | null | undefined)?.[v.own];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const shown = view.field(v.own, raw);
  return shown === raw ? formatPlainValue(entity as EntityCollection, v.own, raw) : String(shown);
}

/** A change staged before contexts were kept (or a rollback's): labelled from its records alone. */
function contextFromRecords(c: StagedChange): ChangeContext {
  const record = (c.after ?? c.before) as AnyRecord | null;
  const ctx: ChangeContext = { fields: [] };
  if (!record || typeof record !== 'object') return ctx;
  const entity = c.entity as EntityCollection;
  const personField = PERSON_OF[entity];
  const onPlatform = !c.after;
  const ref = (e: PersonEntity, id: string) => (onPlatform ? { entity: e, targetId: id } : { entity: e, sourceId: id });
  if (personField && typeof record[personField] === 'string') ctx.person = ref('pupils', record[personField] as string);
  if (PEOPLE.has(entity)) ctx.person = onPlatform ? { entity: entity as PersonEntity, targetId: c.targetId ?? record.sourceId, sourceId: c.sourceId } : { entity: entity as PersonEntity, sourceId: c.sourceId };
  if (typeof record.date === 'string') ctx.date = record.date;
  const fields = c.changedFields?.length ? c.changedFields : Object.keys(record).filter((f) => !HIDDEN_FIELDS.has(f) && f !== personField);
  const value = (r: unknown, f: string): ContextValue | undefined => {
    const raw = (r as Record<string, unknown> | null)?.[f];
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (PEOPLE.has(entity) && ['lastName', 'firstName', 'middleName', 'birthDate', 'snils', 'esiaOid', 'email', 'phone'].includes(f)) return { own: f };
    const refField = REFERENCE_FIELDS[entity]?.find((x) => x.field === f);
    if (refField) {
      const person = referenceCandidates(refField, r as AnyRecord).find((e) => PEOPLE.has(e)) as PersonEntity | undefined;
      return person ? { person: ref(person, String(raw)) } : `запись ${String(raw)}`;
    }
    return formatPlainValue(entity, f, raw);
  };
  for (const f of fields) {
    if (HIDDEN_FIELDS.has(f)) continue;
    ctx.fields.push({ field: f, label: fieldLabel(entity, f), ...(c.before ? { before: value(c.before, f) } : {}), ...(c.after ? { after: value(c.after, f) } : {}) });
  }
  return ctx;
}

/**
 * A staged change in school terms: who or what it concerns and each field's Russian label with
 * its value before → after. People are named from the school's roster for those allowed to read
 * names (the school's own staff); others read a masked form. СНИЛС is always masked.
 */
export function readableChange(c: StagedChange, people: PeopleView, view: PersonalDataView): ReadableChange {
  const ctx = (c.context as ChangeContext | null) ?? contextFromRecords(c);
  const pupil = ctx.person?.entity === 'pupils' ? people.pupil(ctx.person) : undefined;
  const what = [
    !ctx.person || ctx.person.entity !== 'pupils' || !pupil?.className ? ctx.group : undefined,
    ctx.subject,
    ctx.date ? russianDate(ctx.date) : undefined,
    ctx.lesson,
    ctx.work,
    ctx.person ? undefined : ctx.record,
  ].filter((x): x is string => !!x);
  return {
    changeId: c.changeId,
    entity: c.entity,
    entityLabel: entityLabel(c.entity),
    op: c.op,
    opLabel: opLabel(c.op),
    status: c.status,
    statusLabel: CHANGE_STATUS_LABELS[c.status] ?? c.status,
    code: c.lastErrorCode,
    attempts: c.attempts,
    sourceId: c.sourceId,
    targetId: c.targetId,
    who: ctx.person ? people.name(ctx.person) : null,
    pupilId: ctx.pupilId ?? pupil?.sourceId ?? null,
    what: what.join(' · '),
    fields: ctx.fields
      .map((f) => ({ label: f.label, before: valueText(c.entity, f.field, f.before, c.before, people, view), after: valueText(c.entity, f.field, f.after, c.after, people, view) }))
      .filter((f) => f.before !== undefined || f.after !== undefined)
      .map((f) => ({ label: f.label, ...(f.before !== undefined ? { before: f.before } : {}), ...(f.after !== undefined ? { after: f.after } : {}) })),
  };
}

/** `Отметка: «4» → «5»; Вид отметки: текущая` — the fields of a change in one line. */
export function fieldsLine(fields: readonly ReadableField[]): string {
  return fields
    .map((f) => (f.before !== undefined && f.after !== undefined ? `${f.label}: ${f.before} → ${f.after}` : `${f.label}: ${f.after ?? f.before}`))
    .join('; ');
}
