import axios from 'axios';
import { parseWireJson } from '../../../src/connectors/dnevnik';
import type { Attendance, ResolvedChange, Work } from '../../../src/model';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;

const change = (entity: 'works' | 'attendance', record: object, n: number): ResolvedChange => ({ id: `${entity}.create.s${n}`, entity, op: 'create', sourceId: `s${n}`, after: record }) as ResolvedChange;

/** The emulator's raw answer text (what the platform puts on the wire). */
async function raw(stand: Stand, path: string): Promise<string> {
  const { data, status } = await axios.get<string>(`${stand.emulator.apiBase}${path}`, { headers: { 'Access-Token': stand.token.accessToken }, responseType: 'text', transformResponse: (d) => d });
  expect(status).toBe(200);
  return data;
}

describe('Дневник.ру emulator answers in the published shapes: 64-bit ids, twins only where the models have them', () => {
  let stand: Stand;
  let lesson: Stand['platform']['lessons'][number];
  let work: Work;
  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 20, seed: 'shapes' });
    lesson = stand.platform.lessons.find((l) => l.groupKind === 'class')!;
    work = { sourceId: 'w1', groupId: lesson.groupId, subjectId: lesson.subjectId, lessonId: lesson.sourceId, date: lesson.date, workType: 'control', title: 'Контрольная работа № 1' };
  });
  afterAll(() => stand?.emulator.close());

  it('a lesson has no group_str, its works no workType_str / subjectId_str; the numbers are exact and beyond 2^53', async () => {
    const made = await stand.connector.apply(change('works', work, 1));
    const text = await raw(stand, `/edu-groups/${lesson.groupId}/lessons/${lesson.date}/${lesson.date}`);
    expect(BigInt(lesson.groupId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(text).not.toContain('group_str');
    expect(text).not.toContain('workType_str');
    expect(text).not.toContain('subjectId_str');
    expect(text).toContain(`"group":${lesson.groupId}`);
    expect(text).toContain(`"id_str":"${made.targetId}"`);
    expect(text).toContain('"teachers_str":[');
    // Read as JSON.parse would, the group is a neighbouring id: a client reading numbers that way is wrong.
    const naive = (JSON.parse(text) as { id_str: string; group: number }[]).find((l) => l.id_str === lesson.sourceId)!;
    expect(String(naive.group)).not.toBe(lesson.groupId);
    const exact = (parseWireJson(text) as { id_str: string; group: string }[]).find((l) => l.id_str === lesson.sourceId)!;
    expect(exact.group).toBe(lesson.groupId);
  });

  it('the connector reads groups, work types and subjects exactly without the twins, and finds its own work again', async () => {
    const read = await stand.connector.readSnapshot({ schoolId: stand.platform.school.sourceId, from: lesson.date, to: lesson.date });
    const platformLessons = stand.platform.lessons.filter((l) => l.date === lesson.date);
    expect(new Set(read.snapshot.lessons.map((l) => `${l.sourceId}/${l.groupId}/${l.subjectId}`))).toEqual(new Set(platformLessons.map((l) => `${l.sourceId}/${l.groupId}/${l.subjectId}`)));
    const readWork = read.snapshot.works.find((w) => w.lessonId === lesson.sourceId)!;
    expect(readWork).toMatchObject({ groupId: lesson.groupId, subjectId: lesson.subjectId, workType: 'control', title: work.title });
    // A create whose answer was lost is found by natural key (lesson + work type + text): no duplicate POST.
    const { lessonId: _, ...withoutLesson } = work;
    expect(await stand.connector.findExisting(change('works', withoutLesson, 2))).toBe(readWork.sourceId);
  });

  it('a pupil’s log entry on a lesson is one object (null when there is none), and the attendance check reads it', async () => {
    const pupilId = stand.platform.memberships.find((m) => m.groupId === lesson.groupId)!.pupilId;
    const absence: Attendance = { sourceId: 'a1', pupilId, lessonId: lesson.sourceId, status: 'absent' };
    const path = `/lesson-log-entries/lesson/${lesson.sourceId}/person/${pupilId}`;
    expect(await raw(stand, path)).toBe('null');
    expect(await stand.connector.findExisting(change('attendance', absence, 3))).toBeNull();
    await stand.connector.apply(change('attendance', absence, 3));
    const text = await raw(stand, path);
    expect(text.startsWith('{')).toBe(true);
    expect(text).toContain(`"person":${pupilId}`);
    expect(await stand.connector.findExisting(change('attendance', absence, 4))).toBe(`${lesson.sourceId}-${pupilId}`);
  });

  it('twins the models do carry are there: school, person, work type', async () => {
    expect(await raw(stand, `/schools/${stand.platform.school.sourceId}`)).toContain(`"id_str":"${stand.platform.school.sourceId}"`);
    const staff = await raw(stand, `/schools/${stand.platform.school.sourceId}/membership?schoolMembershipType=Staff`);
    expect(staff).toMatch(/"userId_str":"\d+"/);
    // Persons carry no birthday in the published models: that is on the login account (users/many).
    expect(staff).not.toContain('birthday');
    const types = await raw(stand, `/work-types/${stand.platform.school.sourceId}`);
    expect(types).toContain('"id_str"');
    expect(types).not.toContain('schoolId_str');
  });
});
