import { z } from 'zod';
import type {
  WireEduGroup,
  WireGroupStudents,
  WireInt64,
  WireLesson,
  WireLogEntry,
  WireMark,
  WirePerson,
  WireReportingPeriod,
  WireSchool,
  WireSubject,
  WireToken,
  WireUser,
  WireWork,
  WireWorkType,
} from '../../mappers/dnevnik';
import { ID_DIGITS, readId, readIds } from './wire-ids';

/**
 * zod schemas of every Дневник.ру answer the connector reads, checked on read (`checkShape`).
 * Each follows the published models (docs/platforms/dnevnik.md; fixtures in
 * test/contract/dnevnik/answers/): what the connector needs is required, the rest may be missing, unknown
 * fields pass. Every id field is read by {@link readId} — twin when present, else the number — and
 * the record comes out with every `*_str` filled, so nothing downstream depends on which twins an
 * installation sends.
 */

/** An id number as the lossless parser leaves it: a safe integer, or a digit string beyond 2^53. */
const NOT_AN_ID = { error: 'ожидался идентификатор (целое число)' };
const int64 = z.union([z.number(NOT_AN_ID).int(NOT_AN_ID).nonnegative(NOT_AN_ID).refine(Number.isSafeInteger, NOT_AN_ID), z.string(NOT_AN_ID).regex(ID_DIGITS, NOT_AN_ID)], NOT_AN_ID);
const twin = z.string().regex(ID_DIGITS, { error: 'ожидался идентификатор строкой цифр' });
/** `2026-11-09`, `2026-11-09T08:00:00`, `2026-11-09T10:15:23.1270000`: the date part is what ejsync reads. */
const stamp = z.string().regex(/^\d{4}-\d{2}-\d{2}(?:$|[T ])/, { error: 'ожидалась дата вида ГГГГ-ММ-ДД' });
const optText = z.string().nullish();

type Filled<One extends string, Maybe extends string, Many extends string> = { [K in One as `${K}_str`]: string } & { [K in Maybe as `${K}_str`]: string | null } & {
  [K in Many as `${K}_str`]: string[];
} & { [K in One]?: WireInt64 } & { [K in Maybe]?: WireInt64 | null } & { [K in Many]?: WireInt64[] | null };

/**
 * A record with id fields: `one` must hold an id, `maybe` may be null, `many` are id lists. Each
 * `x` and `x_str` is checked, and `x_str` comes out as {@link readId} / {@link readIds} read it.
 */
function withIds<Shape extends z.ZodRawShape, One extends string = never, Maybe extends string = never, Many extends string = never>(
  shape: Shape,
  ids: { one: readonly One[]; maybe: readonly Maybe[]; many: readonly Many[] },
) {
  const idShape: Record<string, z.ZodType> = {};
  for (const f of ids.one) Object.assign(idShape, { [f]: int64.optional(), [`${f}_str`]: twin.optional() });
  for (const f of ids.maybe) Object.assign(idShape, { [f]: int64.nullish(), [`${f}_str`]: twin.nullish() });
  for (const f of ids.many) Object.assign(idShape, { [f]: z.array(int64).nullish(), [`${f}_str`]: z.array(twin.nullable()).nullish() });
  return z
    .object({ ...idShape, ...shape })
    .loose()
    .transform((raw, ctx) => {
      const record = raw as Record<string, unknown>;
      const out: Record<string, unknown> = { ...record };
      for (const f of ids.one) {
        const id = readId(record, f);
        if (id === null) {
          ctx.issues.push({ code: 'custom', message: 'нет идентификатора (ни числа, ни строки)', path: [f], input: record[f] });
          return z.NEVER;
        }
        out[`${f}_str`] = id;
      }
      for (const f of ids.maybe) out[`${f}_str`] = readId(record, f);
      for (const f of ids.many) out[`${f}_str`] = readIds(record, f) ?? [];
      return out as z.output<z.ZodObject<Shape>> & Filled<One, Maybe, Many>;
    });
}

export const schoolSchema = withIds({ name: z.string(), fullName: optText, city: optText, municipality: optText, timeZone: z.number().nullish(), markType: optText }, { one: ['id'], maybe: [], many: [] }) satisfies z.ZodType<WireSchool>;

export const subjectSchema = withIds({ name: z.string(), knowledgeArea: optText }, { one: ['id'], maybe: ['fgosSubjectId'], many: [] }) satisfies z.ZodType<WireSubject>;

export const eduGroupSchema = withIds(
  {
    type: optText,
    name: z.string(),
    fullName: optText,
    parallel: z.number().int().nullish(),
    studyyear: z.number().int(),
    status: optText,
    subjects: z.array(subjectSchema).nullish(),
  },
  { one: ['id'], maybe: ['timetable'], many: ['parentIds'] },
) satisfies z.ZodType<WireEduGroup>;

export const personSchema = withIds(
  { firstName: z.string(), lastName: z.string(), middleName: optText, shortName: optText, sex: optText, birthday: stamp.nullish() },
  { one: ['id'], maybe: ['userId'], many: [] },
) satisfies z.ZodType<WirePerson>;

/** `POST /users/many`: login accounts, each naming its person; the birthday is read from here. */
export const userSchema = withIds(
  { firstName: optText, lastName: optText, middleName: optText, sex: optText, birthday: stamp.nullish(), roles: z.array(z.string()).nullish() },
  { one: ['id'], maybe: ['personId'], many: [] },
) satisfies z.ZodType<WireUser>;

/** A mark system's values (`GET marks/values/type/{type}`); the published type allows nulls, which hold nothing. */
export const markValuesOfTypeSchema = z.array(z.string().nullable()).transform((values) => values.filter((v): v is string => v !== null && v.trim() !== ''));

/** Every mark system with its values (`GET marks/values`): `{"mark5": ["1-", "1", …]}`. */
export const markValuesSchema = z.record(z.string(), markValuesOfTypeSchema);

/** `POST /edu-groups`: each group with its students. */
export const groupStudentsSchema = z
  .object({ group: eduGroupSchema, students: z.array(z.object({ person: personSchema, membershipstatus: optText }).loose()) })
  .loose() satisfies z.ZodType<WireGroupStudents>;

export const reportingPeriodSchema = withIds(
  { start: stamp, finish: stamp, number: z.number().int(), type: z.string(), name: z.string(), year: z.number().int().nullish() },
  { one: ['id'], maybe: [], many: [] },
) satisfies z.ZodType<WireReportingPeriod>;

export const workTypeSchema = withIds(
  { title: z.string(), kind: optText, abbr: optText, weight: z.number().nullish(), isFinal: z.boolean().optional() },
  { one: ['id'], maybe: ['schoolId'], many: [] },
) satisfies z.ZodType<WireWorkType>;

export const workSchema = withIds(
  {
    type: z.union([z.string(), z.number()]).optional(),
    markType: z.string().optional(),
    markCount: z.number().optional(),
    displayInJournal: z.boolean().optional(),
    status: z.string().optional(),
    text: optText,
    targetDate: stamp,
    sentDate: optText,
  },
  { one: ['id', 'workType', 'lesson', 'eduGroup', 'subjectId'], maybe: [], many: [] },
) satisfies z.ZodType<WireWork>;

export const lessonSchema = withIds(
  {
    title: optText,
    date: stamp,
    number: z.number().int(),
    subject: subjectSchema,
    status: optText,
    works: z
      .array(workSchema)
      .nullish()
      .transform((w) => w ?? []),
    homework: optText,
  },
  { one: ['id', 'group'], many: ['teachers'], maybe: [] },
) satisfies z.ZodType<WireLesson>;

export const markSchema = withIds(
  { type: optText, value: z.string(), textValue: optText, number: z.number().nullish(), date: stamp, mood: optText },
  { one: ['id', 'person', 'work'], maybe: ['lesson', 'workType'], many: [] },
) satisfies z.ZodType<WireMark>;

export const logEntrySchema = withIds({ comment: optText, status: z.string(), createdDate: optText }, { one: ['person', 'lesson'], maybe: [], many: [] }) satisfies z.ZodType<WireLogEntry>;

/**
 * `GET /lesson-log-entries/lesson/{l}/person/{p}`: the published clients read ONE entry (Swagger
 * `LessonLog_Get`, "Отметка о посещаемости ученика на уроке"); a list, `null` or an empty answer
 * (no entry) are tolerated too. Always comes out as a list.
 */
export const logEntryOfPersonSchema = z
  .union([z.array(logEntrySchema), logEntrySchema, z.null(), z.undefined()])
  .transform((v): WireLogEntry[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]));

export const tokenSchema = withIds(
  { accessToken: z.string().min(1), refreshToken: z.string().min(1), expiresIn: z.number(), expiresIn_str: z.string().optional(), scope: z.string() },
  { one: ['user'], maybe: [], many: [] },
) satisfies z.ZodType<WireToken>;

/** Lists of the above. */
export const listOf = <S extends z.ZodType>(schema: S) => z.array(schema);
