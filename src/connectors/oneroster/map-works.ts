import type { MarkKind } from '../../model';
import { toLocalDate } from './cell-values';
import { categoryMeaning } from './category-meaning';
import { extensionOf } from './ejsync-extension';
import { inSchoolScope } from './map-school';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';

/** What the results of a line item become. */
export interface LineItemTarget {
  item: RawRecord;
  kind: MarkKind;
  groupId: string;
  subjectId: string;
  /** For `current` marks: the work the line item became. */
  workId?: string;
  /** The line item's academic session, when it is a canonical period. */
  periodId?: string;
}

/** Line items whose results can be marks, and those that failed (their results say why). */
export interface LineItemTargets {
  targets: Map<string, LineItemTarget>;
  failed: Map<string, 'rejected' | 'skipped'>;
}

const MAX_WEIGHT = 10;

/**
 * lineItems → works. The category decides what a line item is: a kind of work (контрольная,
 * домашнее задание, …) with the category weight as the work's weight, or a column of period
 * marks (четвертные, годовые) that becomes no work at all. The work hangs on the line item's
 * class or subgroup and on the subject (course) of that class — or the subject ejsync's own
 * packages name in `metadata.ejsync` (a homeroom class's course is no subject); its day is assignDate.
 */
export function mapWorks(ctx: MappingContext, schoolId: string): LineItemTargets {
  const targets = new Map<string, LineItemTarget>();
  const failed = new Map<string, 'rejected' | 'skipped'>();
  for (const row of ctx.deletedRows('lineItems.csv')) ctx.markDeleted('works', row.sourcedId);
  const heavy = new Set<string>();
  for (const item of ctx.rows('lineItems.csv')) {
    const v = item.values;
    const classRow = ctx.raw('classes.csv', v.classSourcedId);
    if (classRow && !inSchoolScope(ctx, schoolId, classRow.values.schoolSourcedId)) continue;
    const category = ctx.usable('categories.csv', v.categorySourcedId);
    const meaning = categoryMeaning(category?.values.title);
    const entity = 'work' in meaning ? 'works' : 'marks';
    const fail = (how: 'rejected' | 'skipped') => {
      failed.set(item.sourcedId, how);
      if (entity === 'works') (how === 'rejected' ? ctx.reject('works', item.sourcedId) : ctx.skip('works', item.sourcedId));
    };
    if (!ctx.requires(['classes', 'subgroups'], v.classSourcedId, item, 'classSourcedId', entity, 'класс не перенесён', 'classes.csv')) {
      fail(ctx.isRejected('classes', v.classSourcedId) || ctx.isRejected('subgroups', v.classSourcedId) || classRow?.rejected ? 'rejected' : 'skipped');
      continue;
    }
    // ejsync's packages name the subject (a work of a homeroom class has its subject, not the class's course).
    const ownSubject = extensionOf(item, entity === 'works' ? 'works' : 'markColumn')?.subjectId;
    const subjectId = typeof ownSubject === 'string' ? ownSubject : classRow?.values.courseSourcedId;
    if (subjectId === undefined) {
      ctx.report('oneroster.not_expressible', item, { field: 'classSourcedId', entity, detail: `класса ${v.classSourcedId} нет в дельта-выгрузке: предмет работы неизвестен` });
      fail('skipped');
      continue;
    }
    if (!ctx.requires(['subjects'], subjectId, item, 'classSourcedId', entity, 'предмет (курс) класса не перенесён', 'courses.csv')) {
      fail('rejected');
      continue;
    }
    const sessionId = v.academicSessionSourcedId;
    const periodId = sessionId !== undefined && ctx.get('periods', sessionId) ? sessionId : undefined;
    if (!('work' in meaning)) {
      targets.set(item.sourcedId, { item, kind: meaning.markKind, groupId: v.classSourcedId, subjectId, periodId });
      continue;
    }
    let weight: number | undefined = category?.values.weight !== undefined ? Number(category.values.weight) : undefined;
    if (weight !== undefined && (weight < 0 || weight > MAX_WEIGHT)) {
      if (!heavy.has(category!.sourcedId)) {
        heavy.add(category!.sourcedId);
        ctx.report('oneroster.not_expressible', category!, { field: 'weight', entity: 'works', detail: `вес ${weight} вне диапазона 0–${MAX_WEIGHT}; работы категории переносятся без веса` });
      }
      weight = undefined;
    }
    const work = ctx.accept('works', {
      origin: item,
      record: {
        sourceId: item.sourcedId,
        groupId: v.classSourcedId,
        subjectId,
        date: toLocalDate(v.assignDate, ctx.timeZone),
        workType: meaning.work,
        weight,
        title: v.title,
        description: v.description,
        dueDate: toLocalDate(v.dueDate, ctx.timeZone),
      },
      fields: { groupId: 'classSourcedId', subjectId: 'classSourcedId', date: 'assignDate', workType: 'categorySourcedId', weight: 'categorySourcedId', title: 'title', description: 'description', dueDate: 'dueDate' },
    });
    if (work) targets.set(item.sourcedId, { item, kind: 'current', groupId: v.classSourcedId, subjectId, workId: item.sourcedId, periodId });
    else failed.set(item.sourcedId, 'rejected');
  }
  return { targets, failed };
}
