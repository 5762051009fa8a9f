import { addDays, dateWithin, isoDayOfWeek, snilsWithChecksum, type GroupKind, type IsoDate, type MarkKind, type Sex, type SnapshotSink, type WorkType } from '../../model';
import { CURRICULUM, LESSON_WORKS, TOPICS, WORK_TITLES, WORK_WEIGHTS, type CurriculumSubject } from './curriculum';
import { ADULT_FEMALE_NAMES, FEMALE_NAMES, MALE_NAMES, PATRONYMICS, SURNAMES } from './russian-names';
import { ACADEMIC_YEAR, BELLS, HOLIDAYS, PERIODS } from './school-calendar';
import { SeededRandom } from './seeded-random';

/** What `generateSchool` makes. */
export interface DemoSchoolOptions {
  /** Number of pupils. @defaultValue 1000 */
  pupils?: number;
  /** Same seed, same school. @defaultValue `ejsync` */
  seed?: string;
  /** First Monday of the dated window (lessons, works, marks, attendance). @defaultValue {@link DEMO_FIRST_DAY} */
  from?: IsoDate;
  /** School weeks of dated records. @defaultValue 2 */
  weeks?: number;
}

/** The generated school's first day of lessons, unless `from` says otherwise. */
export const DEMO_FIRST_DAY: IsoDate = '2026-11-09';

/**
 * A link's `windowDays` that still reaches the generated school's first day on `today` (at least
 * the default 45, at most 400): a demo run months later still compares every generated record.
 */
export function demoWindowDays(today: Date, firstDay: IsoDate = DEMO_FIRST_DAY): number {
  const days = Math.ceil((today.getTime() - Date.parse(`${firstDay}T00:00:00Z`)) / 86_400_000) + 7;
  return Math.min(400, Math.max(45, days));
}

/** Class letters in the order schools hand them out (no Ё, Й, Ъ, Ы, Ь). */
const LETTERS = 'АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ'.split('');
const MIN_CLASS_SIZE = 25;

interface GenClass {
  id: string;
  grade: number;
  letter: string;
  pupils: GenPupil[];
  /** subject id → [subgroup 1 id, subgroup 2 id] for split subjects. */
  subgroups: Map<string, [string, string]>;
  teacherBySubject: Map<string, string[]>;
}

interface GenPupil {
  id: string;
  /** Last day in the class (leavers), inclusive. */
  endDate?: IsoDate;
  /** Subgroup half (0 or 1). */
  half: number;
}

interface GenSlot {
  id: string;
  classRef: GenClass;
  groupId: string;
  groupKind: GroupKind;
  subject: CurriculumSubject;
  teacherId: string;
  dayOfWeek: number;
  lessonNumber: number;
  half?: number;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * Generates a plausible Russian school (roster, calendar, timetable, two weeks of lessons with
 * works, marks and attendance) into a sink. Deterministic: the same options give the same records
 * in the same order. Streams dated records class by class, so memory stays flat for 100,000 pupils.
 */
export async function generateSchool(sink: SnapshotSink, options: DemoSchoolOptions = {}): Promise<void> {
  const pupilCount = Math.max(1, Math.floor(options.pupils ?? 1000));
  const rnd = new SeededRandom(options.seed ?? 'ejsync');
  const from = options.from ?? DEMO_FIRST_DAY;
  const weeks = options.weeks ?? 2;
  const schoolNumber = rnd.int(2, 150);

  await sink.school({
    sourceId: `school-${schoolNumber}`,
    name: `МАОУ «Средняя общеобразовательная школа № ${schoolNumber}» г. Перми`,
    shortName: `МАОУ СОШ № ${schoolNumber}`,
    inn: `5904${pad(rnd.int(0, 999999), 6)}`,
    region: 'Пермский край',
    municipality: 'г. Пермь',
    timeZone: 'Asia/Yekaterinburg',
  });
  await sink.add('academicYears', ACADEMIC_YEAR);
  for (const p of PERIODS) await sink.add('periods', p);
  for (const h of HOLIDAYS) await sink.add('holidays', h);
  for (const s of CURRICULUM) await sink.add('subjects', { sourceId: s.id, name: s.name, shortName: s.shortName, fgosCode: s.fgosCode });

  // Classes: as many letters per grade as needed, at least MIN_CLASS_SIZE pupils each.
  const perGrade = Math.min(LETTERS.length, Math.max(1, Math.floor(pupilCount / 11 / MIN_CLASS_SIZE)));
  const classes: GenClass[] = [];
  for (let grade = 1; grade <= 11; grade++) {
    for (let i = 0; i < perGrade; i++) {
      classes.push({ id: `c${pad(grade, 2)}${i + 1}`, grade, letter: LETTERS[i], pupils: [], subgroups: new Map(), teacherBySubject: new Map() });
    }
  }

  // Staff: a Russian-language teacher per class (also its homeroom teacher), pools for the rest.
  let staffNo = 0;
  let snilsNo = 0;
  const staffSnils = () => snilsWithChecksum(String(150_000_000 + ++snilsNo * 11));
  const newTeacher = async (position: string) => {
    const id = `t${pad(++staffNo, 4)}`;
    const female = rnd.chance(0.8);
    const [m, f] = rnd.pick(SURNAMES);
    const [, son, daughter] = rnd.pick(PATRONYMICS);
    await sink.add('staff', {
      sourceId: id,
      lastName: female ? f : m,
      firstName: female ? rnd.pick(ADULT_FEMALE_NAMES) : rnd.pick(PATRONYMICS)[0],
      middleName: female ? daughter : son,
      birthDate: `${rnd.int(1962, 1998)}-${pad(rnd.int(1, 12), 2)}-${pad(rnd.int(1, 28), 2)}`,
      sex: female ? 'female' : 'male',
      snils: staffSnils(),
      position,
    });
    return id;
  };
  await newTeacher('директор');
  await newTeacher('заместитель директора по УВР');
  for (const subject of CURRICULUM) {
    const taught = classes.filter((c) => c.grade >= subject.fromGrade && c.grade <= subject.toGrade);
    const perClass = subject.split ? 2 : 1;
    const load = subject.id === 'subj-rus' ? taught.length : Math.max(1, Math.ceil((taught.length * subject.perWeek * perClass) / 20));
    const pool: string[] = [];
    for (let i = 0; i < load; i++) pool.push(await newTeacher('учитель'));
    taught.forEach((c, i) => {
      const teachers = subject.split && c.grade >= 5 ? [pool[(2 * i) % pool.length], pool[(2 * i + 1) % pool.length]] : [pool[i % pool.length]];
      c.teacherBySubject.set(subject.id, teachers);
    });
  }

  for (const c of classes) {
    await sink.add('classes', { sourceId: c.id, academicYearId: ACADEMIC_YEAR.sourceId, grade: c.grade, letter: c.letter, name: `${c.grade}${c.letter}`, homeroomTeacherId: c.teacherBySubject.get('subj-rus')![0] });
  }
  for (const c of classes) {
    for (const subject of CURRICULUM) {
      if (!subject.split || c.grade < 5 || !c.teacherBySubject.has(subject.id)) continue;
      const ids: [string, string] = [`${c.id}-${subject.id.slice(5)}-1`, `${c.id}-${subject.id.slice(5)}-2`];
      c.subgroups.set(subject.id, ids);
      for (let half = 0; half < 2; half++) {
        await sink.add('subgroups', { sourceId: ids[half], classId: c.id, name: `${c.grade}${c.letter} ${subject.shortName} (${half + 1} гр.)`, subjectId: subject.id, teacherId: c.teacherBySubject.get(subject.id)![half] });
      }
    }
  }

  // Pupils with guardians, spread over the classes in order.
  const windowEnd = addDays(from, weeks * 7 - 3);
  let guardianNo = 0;
  for (let n = 0; n < pupilCount; n++) {
    const c = classes[Math.floor((n * classes.length) / pupilCount)];
    const id = `p${pad(n + 1, 6)}`;
    const sex: Sex = rnd.chance(0.5) ? 'male' : 'female';
    const [surnameM, surnameF] = rnd.pick(SURNAMES);
    const [fatherName, son, daughter] = rnd.pick(PATRONYMICS);
    const bornYear = 2026 - c.grade - 6;
    const birth = rnd.chance(0.67) ? `${bornYear - 1}-${pad(rnd.int(9, 12), 2)}-${pad(rnd.int(1, 28), 2)}` : `${bornYear}-${pad(rnd.int(1, 8), 2)}-${pad(rnd.int(1, 28), 2)}`;
    await sink.add('pupils', {
      sourceId: id,
      lastName: sex === 'male' ? surnameM : surnameF,
      firstName: sex === 'male' ? rnd.pick(MALE_NAMES) : rnd.pick(FEMALE_NAMES),
      middleName: sex === 'male' ? son : daughter,
      birthDate: birth,
      sex,
      ...(rnd.chance(0.95) ? { snils: snilsWithChecksum(String(200_000_000 + n * 13)) } : {}),
    });
    const leaves = rnd.chance(0.01) ? addDays(from, rnd.int(0, weeks * 7 - 3)) : undefined;
    c.pupils.push({ id, half: c.pupils.length % 2, ...(leaves ? { endDate: leaves } : {}) });

    const guardians: [string, 'mother' | 'father'][] = [];
    const mother = `g${pad(++guardianNo, 6)}`;
    await sink.add('guardians', {
      sourceId: mother,
      lastName: surnameF,
      firstName: rnd.pick(ADULT_FEMALE_NAMES),
      middleName: rnd.pick(PATRONYMICS)[2],
      sex: 'female',
      snils: snilsWithChecksum(String(600_000_000 + guardianNo * 3)),
      phone: `+7 9${pad(rnd.int(0, 99), 2)} ${pad(rnd.int(0, 999), 3)}-${pad(rnd.int(0, 99), 2)}-${pad(rnd.int(0, 99), 2)}`,
      ...(rnd.chance(0.3) ? { esiaOid: String(1_000_000_000 + guardianNo) } : {}),
    });
    guardians.push([mother, 'mother']);
    if (rnd.chance(0.6)) {
      const father = `g${pad(++guardianNo, 6)}`;
      await sink.add('guardians', { sourceId: father, lastName: surnameM, firstName: fatherName, middleName: rnd.pick(PATRONYMICS)[1], sex: 'male', snils: snilsWithChecksum(String(600_000_000 + guardianNo * 3)) });
      guardians.push([father, 'father']);
    }
    for (const [gid, relation] of guardians) await sink.add('guardianLinks', { sourceId: `${gid}-${id}`, guardianId: gid, pupilId: id, relation });
  }

  for (const c of classes) {
    for (const p of c.pupils) {
      const end = p.endDate ? { endDate: p.endDate } : {};
      await sink.add('memberships', { sourceId: `m-${p.id}`, pupilId: p.id, groupId: c.id, groupKind: 'class', startDate: ACADEMIC_YEAR.startDate, ...end, reason: 'enrolled', orderNumber: `${rnd.int(10, 99)}-у`, orderDate: '2026-08-28' });
      for (const [subjectId, ids] of c.subgroups) {
        await sink.add('memberships', { sourceId: `m-${p.id}-${subjectId.slice(5)}`, pupilId: p.id, groupId: ids[p.half], groupKind: 'subgroup', startDate: ACADEMIC_YEAR.startDate, ...end, reason: 'assigned' });
      }
    }
  }

  for (let i = 0; i < BELLS.length; i++) await sink.add('bellSchedule', { sourceId: `bell-${i + 1}`, lessonNumber: i + 1, startTime: BELLS[i][0], endTime: BELLS[i][1], shift: 1 });

  const slotsByClass = new Map<GenClass, GenSlot[]>();
  for (const c of classes) {
    const slots = buildTimetable(c, rnd);
    slotsByClass.set(c, slots);
    for (const s of slots) {
      await sink.add('timetable', { sourceId: s.id, groupId: s.groupId, groupKind: s.groupKind, subjectId: s.subject.id, teacherId: s.teacherId, dayOfWeek: s.dayOfWeek, lessonNumber: s.lessonNumber, room: String(100 + (classes.indexOf(c) % 60)), validFrom: ACADEMIC_YEAR.startDate });
    }
  }

  // Dated records, class by class.
  const days: IsoDate[] = [];
  for (let d = from; d <= windowEnd; d = addDays(d, 1)) {
    if (isoDayOfWeek(d) <= 5 && !HOLIDAYS.some((h) => dateWithin(d, h.startDate, h.endDate))) days.push(d);
  }
  for (const c of classes) {
    const slots = slotsByClass.get(c)!;
    for (const day of days) {
      const present = c.pupils.filter((p) => !p.endDate || day <= p.endDate);
      // Whole-day absences: ill, excused or unexcused.
      const absentToday = new Map<string, 'ill' | 'excused' | 'absent'>();
      for (const p of present) if (rnd.chance(0.04)) absentToday.set(p.id, rnd.weighted([['ill', 60], ['excused', 25], ['absent', 15]] as const));
      for (const slot of slots.filter((s) => s.dayOfWeek === isoDayOfWeek(day))) {
        const lessonId = `l-${slot.id}-${day.replace(/-/g, '')}`;
        const topics = TOPICS[slot.subject.id];
        await sink.add('lessons', {
          sourceId: lessonId,
          groupId: slot.groupId,
          groupKind: slot.groupKind,
          subjectId: slot.subject.id,
          teacherId: slot.teacherId,
          date: day,
          lessonNumber: slot.lessonNumber,
          topic: rnd.pick(topics),
          ...(rnd.chance(0.5) ? { homework: `§ ${rnd.int(1, 40)}, упр. ${rnd.int(1, 300)}` } : {}),
          timetableSlotId: slot.id,
        });
        const attendees = slot.half === undefined ? present : present.filter((p) => p.half === slot.half);
        for (const p of attendees) {
          const status = absentToday.get(p.id);
          if (status) await sink.add('attendance', { sourceId: `a-${lessonId}-${p.id}`, pupilId: p.id, lessonId, status });
          else if (rnd.chance(0.01)) await sink.add('attendance', { sourceId: `a-${lessonId}-${p.id}`, pupilId: p.id, lessonId, status: 'late', minutesLate: rnd.int(3, 15) });
        }
        if (c.grade === 1) continue; // безотметочное обучение
        const workType: WorkType = rnd.weighted(LESSON_WORKS);
        const workId = `w-${lessonId}`;
        await sink.add('works', { sourceId: workId, groupId: slot.groupId, subjectId: slot.subject.id, lessonId, date: day, workType, weight: WORK_WEIGHTS[workType], title: WORK_TITLES[workType] });
        const inClass = attendees.filter((p) => !absentToday.has(p.id));
        const graded = workType === 'control' || workType === 'test' ? inClass : inClass.filter(() => rnd.chance(0.15));
        for (const p of graded) {
          const kind: MarkKind = 'current';
          await sink.add('marks', {
            sourceId: `mk-${lessonId}-${p.id}`,
            pupilId: p.id,
            subjectId: slot.subject.id,
            groupId: slot.groupId,
            kind,
            value: rnd.weighted([['5', 30], ['4', 38], ['3', 22], ['2', 5], ['4-', 3], ['5+', 2]] as const),
            date: day,
            workId,
            lessonId,
            teacherId: slot.teacherId,
          });
        }
      }
    }
  }
  await sink.close();
}

/** Spreads the class's weekly lessons over Monday–Friday; split subjects get two parallel slots. */
function buildTimetable(c: GenClass, rnd: SeededRandom): GenSlot[] {
  const items: CurriculumSubject[] = [];
  for (const s of CURRICULUM) if (c.teacherBySubject.has(s.id)) for (let k = 0; k < s.perWeek; k++) items.push(s);
  for (let i = items.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  const perDay = [0, 0, 0, 0, 0];
  const slots: GenSlot[] = [];
  items.forEach((subject, i) => {
    const day = i % 5;
    const lessonNumber = ++perDay[day];
    const base = `${c.id}-d${day + 1}-${lessonNumber}`;
    const subgroups = c.subgroups.get(subject.id);
    const teachers = c.teacherBySubject.get(subject.id)!;
    if (subgroups) {
      for (let half = 0; half < 2; half++) {
        slots.push({ id: `${base}-${half + 1}`, classRef: c, groupId: subgroups[half], groupKind: 'subgroup', subject, teacherId: teachers[half], dayOfWeek: day + 1, lessonNumber, half });
      }
    } else {
      slots.push({ id: base, classRef: c, groupId: c.id, groupKind: 'class', subject, teacherId: teachers[0], dayOfWeek: day + 1, lessonNumber });
    }
  });
  return slots;
}
