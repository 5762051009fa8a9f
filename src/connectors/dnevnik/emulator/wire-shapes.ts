import { exactIds } from '../wire-json';

/**
 * Which `*_str` twins the emulator sends: `published` — only those the published models of the
 * partners API v2 carry (docs/platforms/dnevnik.md); `all` — a twin for every id (the emulator's
 * old shape); `none` — no twin at all (ids only as exact 64-bit numbers).
 */
export type IdTwins = 'published' | 'all' | 'none';

/** The record kinds the emulator answers with. */
export type WireKind = 'school' | 'eduGroup' | 'person' | 'user' | 'groupStudents' | 'student' | 'subject' | 'period' | 'workType' | 'work' | 'task' | 'lesson' | 'mark' | 'logEntry' | 'token' | 'context' | 'contextSchool';

interface KindShape {
  /** Id fields whose twin the published models carry. */
  twins: readonly string[];
  /** Fields holding records of another kind (objects or arrays of them). */
  nested?: Readonly<Record<string, WireKind>>;
}

/**
 * Twins per kind, as the published models carry them (Den4ikSuperOstryyPer4ik/SchoolMosregRuAPI
 * types, alllexey123/dnevnik-partners-api models; see test/contract/dnevnik/answers/). A lesson's `group`,
 * a work's `workType`, `subjectId` and `createdBy`, a mark's `workType`, a work type's `schoolId`
 * and every id of `users/me/context` come without one.
 */
export const PUBLISHED_TWINS: Readonly<Record<WireKind, KindShape>> = {
  school: { twins: ['id'] },
  eduGroup: { twins: ['id', 'parentIds', 'timetable'], nested: { subjects: 'subject' } },
  person: { twins: ['id', 'userId'] },
  user: { twins: ['id', 'personId'] },
  groupStudents: { twins: [], nested: { group: 'eduGroup', students: 'student' } },
  student: { twins: [], nested: { person: 'person' } },
  subject: { twins: ['id'] },
  period: { twins: ['id'] },
  workType: { twins: ['id'] },
  work: { twins: ['id', 'lesson', 'eduGroup'], nested: { tasks: 'task' } },
  task: { twins: ['id', 'person', 'work'] },
  lesson: { twins: ['id', 'teachers'], nested: { subject: 'subject', works: 'work' } },
  mark: { twins: ['id', 'person', 'work', 'lesson'] },
  logEntry: { twins: ['person', 'lesson'] },
  token: { twins: ['expiresIn', 'user'] },
  context: { twins: [], nested: { schools: 'contextSchool', eduGroups: 'eduGroup' } },
  contextSchool: { twins: [] },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function drop(value: unknown, kind: WireKind, twins: IdTwins): unknown {
  if (Array.isArray(value)) return value.map((v) => drop(v, kind, twins));
  if (!isRecord(value)) return value;
  const shape = PUBLISHED_TWINS[kind];
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.endsWith('_str') && key.slice(0, -4) in value && (twins === 'none' || (twins === 'published' && !shape.twins.includes(key.slice(0, -4))))) continue;
    const inner = shape.nested?.[key];
    out[key] = inner ? drop(v, inner, twins) : v;
  }
  return out;
}

/**
 * A record (or list) of `kind` as the emulator sends it: every id an exact 64-bit number, and
 * only the twins `twins` asks for. Input records carry every twin (the mappers' `wire*`).
 */
export function publishWire(value: unknown, kind: WireKind, twins: IdTwins): unknown {
  return twins === 'all' ? exactIds(value) : drop(exactIds(value), kind, twins);
}
