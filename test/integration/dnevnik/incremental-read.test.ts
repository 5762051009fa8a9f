import { addDays } from '../../../src/model';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

/**
 * An incremental read (`ReadScope.classes`) asks for a class's changed days only. A platform mark
 * keeps its own date — the day it was given or written, often later than its lesson's day (a
 * migration writes a whole window's marks on one night) — while ejsync buckets it by its lesson.
 * The mark of a lesson read must come with it, whatever its own date within the window: otherwise
 * the plan finds no twin and creates the mark again.
 */
describe('Дневник.ру incremental read (emulator)', () => {
  let stand: Awaited<ReturnType<typeof startDnevnikStand>>;
  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 30, seed: 'incremental-read' });
  });
  afterAll(() => stand?.emulator.close());

  it('reads the marks of the lessons it reads, also those dated after the days asked for', async () => {
    const { emulator, platform } = stand;
    const state = emulator.state;
    const lesson = platform.lessons.find((l) => l.groupKind === 'class')!;
    const member = platform.memberships.find((m) => m.groupId === lesson.groupId)!;
    const workTypeId = state.workTypes.find((t) => t.title === 'Контрольная работа')!.id_str;
    const workId = state.ids.take();
    state.works.set(workId, { sourceId: workId, groupId: lesson.groupId, subjectId: lesson.subjectId, date: lesson.date, lessonId: lesson.sourceId, workType: 'control', workTypeId });
    const given = addDays(lesson.date, 5);
    const markId = state.ids.take();
    state.marks.set(`${member.pupilId}/${workId}`, {
      sourceId: markId,
      pupilId: member.pupilId,
      subjectId: lesson.subjectId,
      groupId: lesson.groupId,
      kind: 'current',
      value: '4',
      date: given,
      workId,
      lessonId: lesson.sourceId,
      platformValue: '4',
      stamp: `${given}T10:00:00`,
      workTypeId,
    });
    const window = { from: addDays(lesson.date, -30), to: addDays(lesson.date, 40) };

    const full = await stand.connector.readSnapshot({ schoolId: platform.school.sourceId, ...window });
    expect(full.snapshot.marks.map((m) => m.sourceId)).toContain(markId);

    const day = { from: lesson.date, to: lesson.date };
    const scoped = await stand.connector.readSnapshot({ schoolId: platform.school.sourceId, ...window, classes: new Map([[lesson.groupId, day]]) });
    expect(scoped.snapshot.lessons.map((l) => l.sourceId)).toContain(lesson.sourceId);
    expect(scoped.snapshot.works.map((w) => w.sourceId)).toEqual([workId]);
    expect(scoped.snapshot.marks.map((m) => m.sourceId)).toEqual([markId]);
  }, 60_000);
});
