import { ATTENDANCE_CODES, type AttendanceStatus } from '../../model';
import type { ColumnType } from './column-types';

/** Turns a canonical value into the cell text `parseCell` reads back (the inverse of it). */
export function formatCell(type: ColumnType, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (type) {
    case 'bool':
      return value ? 'да' : 'нет';
    case 'grades':
      return (value as number[]).join(',');
    case 'attendance':
      return ATTENDANCE_CODES[value as AttendanceStatus];
    default:
      return String(value);
  }
}
