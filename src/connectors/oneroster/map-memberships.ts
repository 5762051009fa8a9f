import { classStart } from './class-years';
import type { InferredHomeroom } from './infer-homerooms';
import { inSchoolScope } from './map-school';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';

/**
 * Student enrollments → memberships of a pupil in a class or subgroup. The start date is the
 * enrollment's beginDate, else the start of the class's first term (OneRoster leaves it optional,
 * the model does not). Teacher enrollments were used for the classes' teachers; other roles
 * (administrator, proctor, …) have no place in a class and are reported.
 */
export function mapMemberships(ctx: MappingContext, schoolId: string, inferred: InferredHomeroom[] = []): void {
  for (const e of ctx.deletedRows('enrollments.csv')) {
    if (e.values.role === 'teacher') ctx.report('oneroster.not_expressible', e, { field: 'role', detail: 'снятие учителя с класса (tobedeleted) не переносится' });
    else ctx.markDeleted('memberships', e.sourcedId);
  }
  for (const e of ctx.rows('enrollments.csv')) {
    const role = e.values.role;
    if (role === 'teacher' || !inSchoolScope(ctx, schoolId, e.values.schoolSourcedId)) continue;
    if (role !== 'student') {
      ctx.report('oneroster.not_expressible', e, { field: 'role', entity: 'memberships', detail: `зачисление с ролью ${role} не переносится` });
      continue;
    }
    const pupilId = e.values.userSourcedId;
    const groupId = e.values.classSourcedId;
    if (!ctx.requires(['pupils'], pupilId, e, 'userSourcedId', 'memberships', 'пользователь не является учеником', 'users.csv')) {
      ctx.reject('memberships', e.sourcedId);
      continue;
    }
    if (!ctx.requires(['classes', 'subgroups'], groupId, e, 'classSourcedId', 'memberships', 'класс не перенесён', 'classes.csv')) {
      ctx.reject('memberships', e.sourcedId);
      continue;
    }
    const groupKind = ctx.get('classes', groupId) ? 'class' : ctx.get('subgroups', groupId) ? 'subgroup' : undefined;
    const classRow = ctx.usable('classes.csv', groupId);
    if (!groupKind) {
      ctx.report('oneroster.not_expressible', e, { field: 'classSourcedId', entity: 'memberships', detail: `класса ${groupId} нет в дельта-выгрузке: неизвестно, класс это или подгруппа` });
      ctx.skip('memberships', e.sourcedId);
      continue;
    }
    ctx.accept('memberships', {
      origin: e,
      record: {
        sourceId: e.sourcedId,
        pupilId,
        groupId,
        groupKind,
        startDate: e.values.beginDate ?? classStart(ctx, classRow),
        endDate: e.values.endDate,
        reason: 'enrolled',
      },
      fields: { pupilId: 'userSourcedId', groupId: 'classSourcedId', startDate: 'beginDate', endDate: 'endDate' },
    });
  }
  for (const homeroom of inferred) mapInferredMemberships(ctx, homeroom);
}

/**
 * A pupil of an inferred homeroom class is a member of it from the earliest start of their
 * enrollments in its sections until the latest end (open when any of them is open). The id is
 * `<class id>:<pupil>`; a pupil the mapping rejected is left out (its enrollments say why).
 */
function mapInferredMemberships(ctx: MappingContext, homeroom: InferredHomeroom): void {
  const byPupil = new Map<string, RawRecord[]>();
  const sections = new Map(homeroom.sections.map((s) => [s.sourcedId, s]));
  for (const e of ctx.rows('enrollments.csv')) {
    if (e.values.role !== 'student' || !sections.has(e.values.classSourcedId)) continue;
    (byPupil.get(e.values.userSourcedId) ?? byPupil.set(e.values.userSourcedId, []).get(e.values.userSourcedId)!).push(e);
  }
  for (const [pupilId, enrollments] of byPupil) {
    if (!ctx.get('pupils', pupilId)) continue;
    const starts = enrollments.map((e) => e.values.beginDate ?? classStart(ctx, sections.get(e.values.classSourcedId))).filter((d): d is string => d !== undefined).sort();
    const ends = enrollments.map((e) => e.values.endDate);
    const endDate = ends.every((d) => d !== undefined) ? (ends as string[]).sort().at(-1) : undefined;
    ctx.accept('memberships', {
      origin: enrollments[0],
      record: { sourceId: `${homeroom.id}:${pupilId}`, pupilId, groupId: homeroom.id, groupKind: 'class', startDate: starts[0], endDate, reason: 'enrolled' },
      fields: { pupilId: 'userSourcedId', groupId: 'classSourcedId', startDate: 'beginDate', endDate: 'endDate' },
    });
  }
}
