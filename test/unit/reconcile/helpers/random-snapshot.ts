import { emptySnapshot, ENTITY_ORDER, snilsWithChecksum, type EntityCollection, type Snapshot } from '../../../../src/model';
import { REFERENCE_FIELDS, type AnyRecord, type IdMapEntry } from '../../../../src/reconcile';
import { mirror } from './fixtures';

/** mulberry32: a small seeded generator, so a failing seed can be replayed. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
export type Random = ReturnType<typeof seededRandom>;

const LAST = ['Иванов', 'Петров', 'Сидоров', 'Кузнецов', 'Смирнов', 'Попов'];
const FIRST = ['Иван', 'Пётр', 'Алексей', 'Дмитрий', 'Сергей'];
const LETTERS = ['А', 'Б', 'В'];
const VALUES = ['2', '3', '4', '5', '4-', 'зач'];
const STATUSES = ['absent', 'excused', 'ill', 'late'] as const;
const WORK_TYPES = ['control', 'homework', 'lesson_answer', 'test'] as const;

const day = (r: Random) => `2026-${r.pick(['09', '10', '11', '12'])}-${String(r.int(1, 28)).padStart(2, '0')}`;

/** A random but referentially whole school. Names repeat on purpose, so namesakes occur. */
export function randomSchool(r: Random): Snapshot {
  const s = emptySnapshot({ sourceId: 'school', name: 'Школа', timeZone: 'Asia/Yekaterinburg' });
  s.academicYears.push({ sourceId: 'y', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' });
  for (let n = 1; n <= 2; n++)
    s.periods.push({ sourceId: `q${n}`, academicYearId: 'y', kind: 'quarter', number: n, name: `${n} четверть`, startDate: n === 1 ? '2026-09-01' : '2026-11-05', endDate: n === 1 ? '2026-10-25' : '2026-12-28', grades: [5, 6, 7], closed: false });
  const subjects = r.int(1, 4);
  for (let i = 0; i < subjects; i++) s.subjects.push({ sourceId: `sub${i}`, name: `Предмет ${i}` });
  const person = (id: string, withBirth: boolean) => ({
    sourceId: id,
    lastName: r.pick(LAST),
    firstName: r.pick(FIRST),
    ...(withBirth ? { birthDate: `201${r.int(0, 1)}-0${r.int(1, 2)}-1${r.int(0, 1)}` } : {}),
    ...(r.chance(0.4) ? { snils: snilsWithChecksum(String(200000000 + r.int(0, 40) * 1013)) } : {}),
  });
  const staff = r.int(1, 4);
  for (let i = 0; i < staff; i++) s.staff.push(person(`st${i}`, r.chance(0.7)));
  const classes = r.int(1, 3);
  for (let i = 0; i < classes; i++) {
    const grade = r.int(5, 7);
    const letter = LETTERS[i % LETTERS.length];
    s.classes.push({ sourceId: `c${i}`, academicYearId: 'y', grade, letter, name: `${grade}${letter}`, ...(r.chance(0.5) ? { homeroomTeacherId: r.pick(s.staff).sourceId } : {}) });
    if (r.chance(0.5)) s.subgroups.push({ sourceId: `g${i}`, classId: `c${i}`, name: 'Группа 1', subjectId: r.pick(s.subjects).sourceId });
  }
  const pupils = r.int(2, 12);
  for (let i = 0; i < pupils; i++) {
    const p = { ...person(`p${i}`, true), birthDate: `2014-0${r.int(1, 3)}-1${r.int(0, 2)}` };
    s.pupils.push(p);
    const cls = r.pick(s.classes);
    s.memberships.push({ sourceId: `m${i}`, pupilId: p.sourceId, groupId: cls.sourceId, groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' });
    const sg = s.subgroups.find((g) => g.classId === cls.sourceId);
    if (sg && r.chance(0.5)) s.memberships.push({ sourceId: `ms${i}`, pupilId: p.sourceId, groupId: sg.sourceId, groupKind: 'subgroup', startDate: '2026-09-01', reason: 'assigned' });
    if (r.chance(0.3)) {
      s.guardians.push(person(`gd${i}`, r.chance(0.3)));
      s.guardianLinks.push({ sourceId: `gl${i}`, guardianId: `gd${i}`, pupilId: p.sourceId, relation: 'mother' });
    }
  }
  s.bellSchedule.push({ sourceId: 'b1', lessonNumber: 1, startTime: '08:30', endTime: '09:10', shift: 1 });
  const lessons = r.int(1, 15);
  for (let i = 0; i < lessons; i++) {
    const sub = r.chance(0.2) && s.subgroups.length > 0;
    const group = sub ? r.pick(s.subgroups).sourceId : r.pick(s.classes).sourceId;
    const lesson = { sourceId: `l${i}`, groupId: group, groupKind: sub ? ('subgroup' as const) : ('class' as const), subjectId: r.pick(s.subjects).sourceId, teacherId: r.pick(s.staff).sourceId, date: day(r), lessonNumber: r.int(1, 3), ...(r.chance(0.5) ? { topic: `Тема ${r.int(1, 5)}` } : {}) };
    s.lessons.push(lesson);
    const works = r.int(0, 2);
    for (let w = 0; w < works; w++) {
      const work = { sourceId: `w${i}_${w}`, groupId: group, subjectId: lesson.subjectId, date: lesson.date, lessonId: lesson.sourceId, workType: r.pick(WORK_TYPES), ...(r.chance(0.5) ? { title: `Работа ${r.int(1, 3)}` } : {}) };
      s.works.push(work);
      const members = s.memberships.filter((m) => m.groupId === group).map((m) => m.pupilId);
      for (const pupilId of members) {
        if (r.chance(0.6)) s.marks.push({ sourceId: `mk${i}_${w}_${pupilId}`, pupilId, subjectId: lesson.subjectId, groupId: group, kind: 'current', value: r.pick(VALUES), date: lesson.date, workId: work.sourceId, lessonId: lesson.sourceId });
        if (r.chance(0.1)) s.marks.push({ sourceId: `mkx${i}_${w}_${pupilId}`, pupilId, subjectId: lesson.subjectId, groupId: group, kind: 'current', value: r.pick(VALUES), date: lesson.date, workId: work.sourceId });
      }
    }
    for (const m of s.memberships.filter((x) => x.groupId === group))
      if (r.chance(0.15)) s.attendance.push({ sourceId: `a${i}_${m.pupilId}`, pupilId: m.pupilId, lessonId: lesson.sourceId, status: r.pick(STATUSES) });
  }
  return s;
}

/** Removes records and, transitively, everything that refers to them (in platform or source ids alike). */
export function removeWithDependants(s: Snapshot, entity: EntityCollection, ids: Set<string>): void {
  const gone = new Map<EntityCollection, Set<string>>([[entity, ids]]);
  for (const e of ENTITY_ORDER) {
    const list = s[e] as unknown as AnyRecord[];
    const dead = gone.get(e) ?? new Set<string>();
    const keep = list.filter((rec) => {
      if (dead.has(rec.sourceId)) return false;
      for (const ref of REFERENCE_FIELDS[e]) {
        const v = rec[ref.field];
        if (typeof v !== 'string') continue;
        const targets = typeof ref.target === 'function' ? [ref.target(rec)] : typeof ref.target === 'string' ? [ref.target] : ref.target;
        if (targets.some((t) => gone.get(t)?.has(v))) {
          dead.add(rec.sourceId);
          return false;
        }
      }
      return true;
    });
    gone.set(e, dead);
    (s as unknown as Record<string, AnyRecord[]>)[e] = keep;
  }
}

const MUTABLE: Partial<Record<EntityCollection, (rec: AnyRecord, r: Random) => void>> = {
  pupils: (rec, r) => (rec.middleName = r.pick(['Иванович', 'Петровна', undefined])),
  staff: (rec) => (rec.position = 'учитель'),
  classes: (rec) => (rec.profile = 'универсальный'),
  lessons: (rec, r) => (rec.topic = `Другая тема ${r.int(1, 9)}`),
  works: (rec) => (rec.description = 'изменено'),
  marks: (rec, r) => (rec.value = r.pick(VALUES)),
  attendance: (rec, r) => (rec.status = r.pick(STATUSES)),
  memberships: (rec) => (rec.endDate = '2026-12-01'),
};

/**
 * A source and a platform that differ the way real ones do: records missing on the platform,
 * fields changed on either side, records gone from the МИС, records only on the platform, look-alike
 * duplicates, and an id map that knows only part of the links.
 */
export function randomPair(seed: number): { source: Snapshot; target: Snapshot; entries: IdMapEntry[] } {
  const r = seededRandom(seed);
  const world = randomSchool(r);
  const { target, entries: all } = mirror(world);
  const source = structuredClone(world);

  for (const e of ENTITY_ORDER) {
    const list = target[e] as unknown as AnyRecord[];
    const drop = new Set(list.filter(() => r.chance(0.1)).map((x) => x.sourceId));
    if (drop.size && e !== 'academicYears') removeWithDependants(target, e, drop);
    for (const rec of target[e] as unknown as AnyRecord[]) if (MUTABLE[e] && r.chance(0.15)) MUTABLE[e]!(rec, r);
    for (const rec of source[e] as unknown as AnyRecord[]) if (MUTABLE[e] && r.chance(0.05)) MUTABLE[e]!(rec, r);
  }
  for (const e of ['marks', 'attendance', 'pupils', 'lessons', 'works'] as EntityCollection[]) {
    const gone = new Set((source[e] as unknown as AnyRecord[]).filter(() => r.chance(0.08)).map((x) => x.sourceId));
    if (gone.size) removeWithDependants(source, e, gone);
  }
  // Look-alikes and records only on the platform.
  for (const p of [...target.pupils]) if (r.chance(0.1)) target.pupils.push({ ...p, sourceId: `${p.sourceId}-dup` });
  for (const m of [...target.marks]) if (r.chance(0.05)) target.marks.push({ ...m, sourceId: `${m.sourceId}-extra`, value: '2' });
  if (r.chance(0.5)) target.subjects.push({ sourceId: 'T-only-subject', name: 'Только на платформе' });

  const present = new Map<EntityCollection, Set<string>>();
  for (const e of ENTITY_ORDER) present.set(e, new Set((target[e] as unknown as AnyRecord[]).map((x) => x.sourceId)));
  const entries = all.filter((en) => present.get(en.entity)!.has(en.targetId) && r.chance(0.6));
  return { source, target, entries };
}
