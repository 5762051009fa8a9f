import type { EntityCollection } from '../../model';
import type { ColumnType } from './column-types';

export interface ColumnSpec {
  /** Column name in the CSV header (snake_case). */
  column: string;
  /** Canonical field. */
  field: string;
  type: ColumnType;
  required: boolean;
  /** For id columns that point elsewhere: the collection(s) the id must exist in. */
  references?: EntityCollection[];
}

export interface FileSpec {
  file: string;
  collection: EntityCollection | 'school';
  required: boolean;
  columns: ColumnSpec[];
}

const c = (column: string, field: string, type: ColumnType, required = false, references?: EntityCollection[]): ColumnSpec => ({ column, field, type, required, ...(references ? { references } : {}) });
const person = [c('last_name', 'lastName', 'text', true), c('first_name', 'firstName', 'text', true), c('middle_name', 'middleName', 'text'), c('birth_date', 'birthDate', 'date'), c('sex', 'sex', 'text'), c('snils', 'snils', 'snils'), c('esia_oid', 'esiaOid', 'text'), c('email', 'email', 'text'), c('phone', 'phone', 'text')];
const GROUPS: EntityCollection[] = ['classes', 'subgroups'];

/**
 * ejsync's МИС exchange format, one spec per file (documented in docs/formats/mis-csv.md).
 * The order is the dependency order: a file refers only to files above it.
 */
export const MIS_FILES: FileSpec[] = [
  { file: 'school.csv', collection: 'school', required: true, columns: [c('id', 'sourceId', 'id', true), c('name', 'name', 'text', true), c('short_name', 'shortName', 'text'), c('inn', 'inn', 'text'), c('region', 'region', 'text'), c('municipality', 'municipality', 'text'), c('time_zone', 'timeZone', 'text', true)] },
  { file: 'academic-years.csv', collection: 'academicYears', required: true, columns: [c('id', 'sourceId', 'id', true), c('name', 'name', 'text', true), c('start_date', 'startDate', 'date', true), c('end_date', 'endDate', 'date', true)] },
  { file: 'periods.csv', collection: 'periods', required: true, columns: [c('id', 'sourceId', 'id', true), c('academic_year_id', 'academicYearId', 'id', true, ['academicYears']), c('kind', 'kind', 'text', true), c('number', 'number', 'int', true), c('name', 'name', 'text', true), c('start_date', 'startDate', 'date', true), c('end_date', 'endDate', 'date', true), c('grades', 'grades', 'grades', true), c('closed', 'closed', 'bool')] },
  { file: 'holidays.csv', collection: 'holidays', required: false, columns: [c('id', 'sourceId', 'id', true), c('academic_year_id', 'academicYearId', 'id', true, ['academicYears']), c('name', 'name', 'text', true), c('start_date', 'startDate', 'date', true), c('end_date', 'endDate', 'date', true), c('grades', 'grades', 'grades')] },
  { file: 'subjects.csv', collection: 'subjects', required: false, columns: [c('id', 'sourceId', 'id', true), c('name', 'name', 'text', true), c('short_name', 'shortName', 'text'), c('fgos_code', 'fgosCode', 'text')] },
  { file: 'staff.csv', collection: 'staff', required: false, columns: [c('id', 'sourceId', 'id', true), ...person, c('position', 'position', 'text')] },
  { file: 'classes.csv', collection: 'classes', required: true, columns: [c('id', 'sourceId', 'id', true), c('academic_year_id', 'academicYearId', 'id', true, ['academicYears']), c('grade', 'grade', 'int', true), c('letter', 'letter', 'text', true), c('name', 'name', 'text', true), c('homeroom_teacher_id', 'homeroomTeacherId', 'id', false, ['staff']), c('profile', 'profile', 'text')] },
  { file: 'subgroups.csv', collection: 'subgroups', required: false, columns: [c('id', 'sourceId', 'id', true), c('class_id', 'classId', 'id', true, ['classes']), c('name', 'name', 'text', true), c('subject_id', 'subjectId', 'id', false, ['subjects']), c('teacher_id', 'teacherId', 'id', false, ['staff'])] },
  { file: 'pupils.csv', collection: 'pupils', required: true, columns: [c('id', 'sourceId', 'id', true), ...person.map((p) => (p.field === 'birthDate' ? { ...p, required: true } : p))] },
  { file: 'guardians.csv', collection: 'guardians', required: false, columns: [c('id', 'sourceId', 'id', true), ...person] },
  { file: 'guardian-links.csv', collection: 'guardianLinks', required: false, columns: [c('id', 'sourceId', 'id', true), c('guardian_id', 'guardianId', 'id', true, ['guardians']), c('pupil_id', 'pupilId', 'id', true, ['pupils']), c('relation', 'relation', 'text', true)] },
  { file: 'memberships.csv', collection: 'memberships', required: true, columns: [c('id', 'sourceId', 'id', true), c('pupil_id', 'pupilId', 'id', true, ['pupils']), c('group_id', 'groupId', 'id', true, GROUPS), c('group_kind', 'groupKind', 'text', true), c('start_date', 'startDate', 'date', true), c('end_date', 'endDate', 'date'), c('reason', 'reason', 'text'), c('order_number', 'orderNumber', 'text'), c('order_date', 'orderDate', 'date')] },
  { file: 'bell-schedule.csv', collection: 'bellSchedule', required: false, columns: [c('id', 'sourceId', 'id', true), c('lesson_number', 'lessonNumber', 'int', true), c('start_time', 'startTime', 'time', true), c('end_time', 'endTime', 'time', true), c('shift', 'shift', 'int')] },
  { file: 'timetable.csv', collection: 'timetable', required: false, columns: [c('id', 'sourceId', 'id', true), c('group_id', 'groupId', 'id', true, GROUPS), c('group_kind', 'groupKind', 'text', true), c('subject_id', 'subjectId', 'id', true, ['subjects']), c('teacher_id', 'teacherId', 'id', true, ['staff']), c('day_of_week', 'dayOfWeek', 'int', true), c('lesson_number', 'lessonNumber', 'int', true), c('room', 'room', 'text'), c('valid_from', 'validFrom', 'date'), c('valid_to', 'validTo', 'date')] },
  { file: 'lessons.csv', collection: 'lessons', required: false, columns: [c('id', 'sourceId', 'id', true), c('group_id', 'groupId', 'id', true, GROUPS), c('group_kind', 'groupKind', 'text', true), c('subject_id', 'subjectId', 'id', true, ['subjects']), c('teacher_id', 'teacherId', 'id', true, ['staff']), c('date', 'date', 'date', true), c('lesson_number', 'lessonNumber', 'int', true), c('topic', 'topic', 'text'), c('homework', 'homework', 'text'), c('substitute_teacher_id', 'substituteTeacherId', 'id', false, ['staff']), c('timetable_slot_id', 'timetableSlotId', 'id', false, ['timetable'])] },
  { file: 'works.csv', collection: 'works', required: false, columns: [c('id', 'sourceId', 'id', true), c('group_id', 'groupId', 'id', true, GROUPS), c('subject_id', 'subjectId', 'id', true, ['subjects']), c('lesson_id', 'lessonId', 'id', false, ['lessons']), c('date', 'date', 'date', true), c('work_type', 'workType', 'text', true), c('weight', 'weight', 'number'), c('title', 'title', 'text'), c('description', 'description', 'text'), c('due_date', 'dueDate', 'date')] },
  { file: 'marks.csv', collection: 'marks', required: false, columns: [c('id', 'sourceId', 'id', true), c('pupil_id', 'pupilId', 'id', true, ['pupils']), c('subject_id', 'subjectId', 'id', true, ['subjects']), c('group_id', 'groupId', 'id', true, GROUPS), c('kind', 'kind', 'text', true), c('value', 'value', 'mark', true), c('date', 'date', 'date', true), c('work_id', 'workId', 'id', false, ['works']), c('lesson_id', 'lessonId', 'id', false, ['lessons']), c('period_id', 'periodId', 'id', false, ['periods']), c('teacher_id', 'teacherId', 'id', false, ['staff']), c('comment', 'comment', 'text')] },
  { file: 'attendance.csv', collection: 'attendance', required: false, columns: [c('id', 'sourceId', 'id', true), c('pupil_id', 'pupilId', 'id', true, ['pupils']), c('lesson_id', 'lessonId', 'id', true, ['lessons']), c('status', 'status', 'attendance', true), c('minutes_late', 'minutesLate', 'int'), c('comment', 'comment', 'text')] },
];
