import type { AcademicYear, Holiday, ReportingPeriod } from '../../model';

/** The 2026/2027 year as a typical Perm school's order sets it (see seeds/calendar). */
export const ACADEMIC_YEAR: AcademicYear = { sourceId: 'y2026', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' };

const QUARTER_GRADES = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const HALF_YEAR_GRADES = [10, 11];

/** Quarters for grades 1–9, half-years for 10–11; the first quarter is already closed. */
export const PERIODS: ReportingPeriod[] = [
  { sourceId: 'q1', academicYearId: 'y2026', kind: 'quarter', number: 1, name: 'I четверть', startDate: '2026-09-01', endDate: '2026-10-24', grades: QUARTER_GRADES, closed: true },
  { sourceId: 'q2', academicYearId: 'y2026', kind: 'quarter', number: 2, name: 'II четверть', startDate: '2026-11-05', endDate: '2026-12-28', grades: QUARTER_GRADES, closed: false },
  { sourceId: 'q3', academicYearId: 'y2026', kind: 'quarter', number: 3, name: 'III четверть', startDate: '2027-01-12', endDate: '2027-03-20', grades: QUARTER_GRADES, closed: false },
  { sourceId: 'q4', academicYearId: 'y2026', kind: 'quarter', number: 4, name: 'IV четверть', startDate: '2027-03-30', endDate: '2027-05-26', grades: QUARTER_GRADES, closed: false },
  { sourceId: 'h1', academicYearId: 'y2026', kind: 'half_year', number: 1, name: 'I полугодие', startDate: '2026-09-01', endDate: '2026-12-28', grades: HALF_YEAR_GRADES, closed: false },
  { sourceId: 'h2', academicYearId: 'y2026', kind: 'half_year', number: 2, name: 'II полугодие', startDate: '2027-01-12', endDate: '2027-05-26', grades: HALF_YEAR_GRADES, closed: false },
];

export const HOLIDAYS: Holiday[] = [
  { sourceId: 'hol-autumn', academicYearId: 'y2026', name: 'Осенние каникулы', startDate: '2026-10-25', endDate: '2026-11-04' },
  { sourceId: 'hol-winter', academicYearId: 'y2026', name: 'Зимние каникулы', startDate: '2026-12-29', endDate: '2027-01-11' },
  { sourceId: 'hol-spring', academicYearId: 'y2026', name: 'Весенние каникулы', startDate: '2027-03-21', endDate: '2027-03-29' },
];

export const BELLS: readonly (readonly [string, string])[] = [
  ['08:00', '08:40'], ['08:50', '09:30'], ['09:45', '10:25'], ['10:40', '11:20'], ['11:30', '12:10'], ['12:20', '13:00'], ['13:10', '13:50'],
];
