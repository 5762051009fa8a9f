import { ENTITY_LABELS, type ChangeOp, type EntityCollection } from '../model';
import type { AnyRecord } from './references';
import type { ManualAction, ManualActionField } from './plan-types';
import { fieldLabel } from './russian-labels';
import type { SnapshotIndex } from './snapshot-index';

interface EntityWords {
  /** Accusative, for «Создать …». */
  acc: string;
  /** Genitive, for «Изменить данные …». */
  gen: string;
  create: string;
  /** The whole archive phrase, e.g. «Удалить отметку». */
  archive: string;
  /** How the group context is attached: « в классе 5А», « в журнале 5А». */
  where?: 'in_class' | 'journal' | 'timetable';
}

const WORDS: Record<EntityCollection, EntityWords> = {
  academicYears: { acc: 'учебный год', gen: 'учебного года', create: 'Создать', archive: 'Перевести в архив учебный год' },
  periods: { acc: 'отчётный период', gen: 'отчётного периода', create: 'Создать', archive: 'Удалить отчётный период' },
  holidays: { acc: 'каникулы', gen: 'каникул', create: 'Создать', archive: 'Удалить каникулы' },
  subjects: { acc: 'предмет', gen: 'предмета', create: 'Создать', archive: 'Перевести в архив предмет' },
  staff: { acc: 'сотрудника', gen: 'сотрудника', create: 'Создать', archive: 'Перевести в архив сотрудника' },
  classes: { acc: 'класс', gen: 'класса', create: 'Создать', archive: 'Перевести в архив класс' },
  subgroups: { acc: 'подгруппу', gen: 'подгруппы', create: 'Создать', archive: 'Перевести в архив подгруппу', where: 'in_class' },
  pupils: { acc: 'ученика', gen: 'ученика', create: 'Создать', archive: 'Перевести в архив ученика', where: 'in_class' },
  guardians: { acc: 'законного представителя', gen: 'законного представителя', create: 'Создать', archive: 'Перевести в архив законного представителя' },
  guardianLinks: {
    acc: 'связь ученика с законным представителем',
    gen: 'связи ученика с законным представителем',
    create: 'Добавить',
    archive: 'Удалить связь ученика с законным представителем',
  },
  memberships: { acc: 'ученика', gen: 'зачисления', create: 'Зачислить', archive: 'Исключить ученика' },
  bellSchedule: { acc: 'урок в расписание звонков', gen: 'расписания звонков', create: 'Добавить', archive: 'Удалить урок из расписания звонков' },
  timetable: { acc: 'урок в расписание', gen: 'расписания уроков', create: 'Добавить', archive: 'Удалить урок из расписания', where: 'timetable' },
  lessons: { acc: 'урок', gen: 'урока', create: 'Создать', archive: 'Удалить урок', where: 'journal' },
  works: { acc: 'работу', gen: 'работы', create: 'Создать', archive: 'Удалить работу', where: 'journal' },
  marks: { acc: 'отметку', gen: 'отметки', create: 'Поставить', archive: 'Удалить отметку', where: 'journal' },
  attendance: { acc: 'отметку о посещаемости', gen: 'отметки о посещаемости', create: 'Поставить', archive: 'Удалить отметку о посещаемости', where: 'journal' },
};

function context(words: EntityWords, group: string | undefined): string {
  if (!group) return '';
  switch (words.where) {
    case 'in_class':
      return ` в классе ${group}`;
    case 'journal':
      return ` в журнале класса ${group}`;
    case 'timetable':
      return ` класса ${group}`;
    default:
      return '';
  }
}

/** Russian title of a manual action: «Создать ученика в классе 5А», «Исключить ученика из класса 5А». */
export function manualActionTitle(entity: EntityCollection, op: ChangeOp, record: AnyRecord, index: SnapshotIndex, before?: AnyRecord): string {
  const w = WORDS[entity];
  const group = index.groupOf(entity, record);
  if (entity === 'memberships') {
    const into = group ? ` ${record.groupKind === 'subgroup' ? 'группы' : 'класса'} ${group}` : '';
    if (op === 'create') return `Зачислить ученика в ${record.groupKind === 'subgroup' ? 'группу' : 'класс'}${group ? ` ${group}` : ''}`;
    if (op === 'archive') return `Исключить ученика из${into}`;
    if (record.endDate && !before?.endDate) return `Отметить выбытие ученика из${into}`;
    // A pupil who reappears: the ended membership is re-opened, the pupil's history kept.
    if (!record.endDate && (before?.endDate || before?.ended)) return `Восстановить ученика в составе${into} (отменить выбытие)`;
    return `Изменить данные зачисления ученика${group ? ` (${group})` : ''}`;
  }
  const named = entity === 'classes' || entity === 'academicYears' ? ` ${String(record.name)}` : ['subjects', 'periods', 'holidays', 'subgroups'].includes(entity) ? ` «${String(record.name)}»` : '';
  if (op === 'create') return `${w.create} ${w.acc}${named}${context(w, group)}`;
  if (op === 'update') return `Изменить данные ${w.gen}${named}${context(w, group)}`;
  return `${w.archive}${named}${context(w, group)}`;
}

const REASONS: Record<ChangeOp, string> = {
  create: 'API платформы не позволяет создавать записи вида',
  update: 'API платформы не позволяет изменять записи вида',
  archive: 'API платформы не позволяет архивировать или удалять записи вида',
};

export interface ManualActionInput {
  id: string;
  entity: EntityCollection;
  op: ChangeOp;
  sourceId: string;
  targetId?: string;
  /** Source record (create, update). */
  after?: AnyRecord;
  /** Platform record (update, archive). */
  before?: AnyRecord;
  changedFields?: readonly string[];
  sourceIndex: SnapshotIndex;
  targetIndex: SnapshotIndex;
}

/** The exact data a person needs to make in the platform's UI the change its API cannot. */
export function buildManualAction(input: ManualActionInput): ManualAction {
  const { entity, op, after, before, sourceIndex, targetIndex } = input;
  let fields: ManualActionField[];
  let title: string;
  if (op === 'create') {
    fields = sourceIndex.fieldsOf(entity, after!);
    title = manualActionTitle(entity, op, after!, sourceIndex);
  } else if (op === 'update') {
    const record = targetIndex.describeRecord(entity, before!);
    fields = [{ label: 'Запись на платформе', value: record }];
    for (const f of input.changedFields ?? []) {
      const value = sourceIndex.formatField(entity, after!, f) ?? '(пусто)';
      const previous = targetIndex.formatField(entity, before!, f) ?? '(пусто)';
      fields.push({ label: fieldLabel(entity, f), value, previous });
    }
    title = manualActionTitle(entity, op, after!, sourceIndex, before);
  } else {
    fields = [{ label: 'Запись на платформе', value: targetIndex.describeRecord(entity, before!) }, ...targetIndex.fieldsOf(entity, before!)];
    title = manualActionTitle(entity, op, before!, targetIndex);
  }
  const action: ManualAction = {
    id: input.id,
    entity,
    op,
    sourceId: input.sourceId,
    title,
    fields,
    reason: `${REASONS[op]} «${ENTITY_LABELS[entity]}»`,
  };
  if (input.targetId !== undefined) action.targetId = input.targetId;
  if (op === 'update' && input.changedFields) action.changedFields = [...input.changedFields];
  return action;
}
