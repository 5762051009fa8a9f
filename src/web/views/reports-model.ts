import { ENTITY_LABELS, type EntityCollection } from '../../model';
import { FINAL_MARK_KINDS, type MarkCount } from '../../reconcile/change-context';
import { formatPlainValue } from '../../reconcile/russian-labels';
import type { LinkRecord } from '../../store';
import type { Principal } from '../auth/roles';
import type { DashboardBackend } from '../dashboard-backend';
import { personalDataView } from '../privacy/personal-data';
import { planOf } from './run-counts';
import { fieldsLine, readableChange, type ReadableChange } from './readable-change';

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** `2026-11` → `ноябрь 2026`. */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${MONTHS[m - 1] ?? month} ${y}`;
}

/** A month `YYYY-MM` from a query string, else the month of `now` in the zone. */
export function monthOf(value: unknown, now: Date, timeZone: string): string {
  if (typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return value;
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(now).slice(0, 7);
}

const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

export interface CountRow {
  className: string;
  subject: string;
  mis: number;
  journal: number;
}

export interface PupilWithoutMarks {
  sourceId: string;
  name: string;
  className: string;
  mis: number;
  journal: number;
}

export interface DiscrepancyModel {
  link: LinkRecord;
  schoolName: string;
  month: string;
  monthLabel: string;
  /** The journal was read for these dates: outside them its counts are not known. */
  journalFrom: string | null;
  journalTo: string | null;
  /** The month lies (partly) outside what the journal was read for. */
  partial: boolean;
  /** Current marks by class and subject where the МИС and the journal differ. */
  byClassSubject: CountRow[];
  totals: MarkCount;
  /** Changes dated in the month that the journal still lacks (not delivered: waiting, failed, held). */
  misLacking: ReadableChange[];
  /** Records the journal has and the МИС does not (archives not made). */
  journalExtra: ReadableChange[];
  /** Pupils (with a class) with no current mark this month in the МИС or in the journal. */
  pupilsWithoutMarks: PupilWithoutMarks[];
  /** Records found only on the platform at the last plan, by collection (never deleted by ejsync). */
  onlyOnPlatform: { entity: string; label: string; n: number }[];
  /** When the roster (and counts) were read. */
  readAt: Date | null;
  showNames: boolean;
}

const NOT_COUNTED = new Set(['applied']);

/**
 * The monthly «МИС vs journal» discrepancy report of one school (regulations: the adapter's
 * reconciliation report): current marks by class and subject on both sides, what the МИС has that
 * the journal lacks and the other way round (each record in school terms), pupils with no marks
 * this month. Built from the last plan's read of both sides and the runs' changes.
 */
export async function discrepancyModel(backend: DashboardBackend, p: Principal, link: LinkRecord, month: string): Promise<DiscrepancyModel> {
  const view = personalDataView(p, link.schoolId);
  const [people, stored, latestRun, schools] = await Promise.all([
    backend.peopleView(p, link.id, link.schoolId),
    backend.store.rosters.versions([link.id]),
    backend.store.runs.list({ linkId: link.id, limit: 20 }),
    backend.schoolNames(),
  ]);
  const roster = people.roster;
  const counts = roster?.counts;
  const from = `${month}-01`;
  const to = lastDay(month);
  const byClassSubject: CountRow[] = [];
  const totals: MarkCount = { mis: 0, journal: 0 };
  for (const [className, subjects] of Object.entries(counts?.marksByMonth[month] ?? {})) {
    for (const [subject, c] of Object.entries(subjects)) {
      totals.mis += c.mis;
      totals.journal += c.journal;
      if (c.mis !== c.journal) byClassSubject.push({ className, subject, ...c });
    }
  }
  byClassSubject.sort((a, b) => a.className.localeCompare(b.className, 'ru', { numeric: true }) || a.subject.localeCompare(b.subject, 'ru'));
  const changes = (await backend.store.changes.latestInDates(link.id, from, to)).filter((c) => !NOT_COUNTED.has(c.status));
  const readable = changes.map((c) => readableChange(c, people, view));
  const pupilCounts = counts?.pupilMarksByMonth[month] ?? {};
  const pupilsWithoutMarks = Object.entries(roster?.pupils ?? {})
    .filter(([, r]) => r.className)
    .map(([sourceId, r]) => ({ sourceId, name: people.showNames ? r.name : 'ФИО скрыто', className: r.className!, mis: pupilCounts[sourceId]?.mis ?? 0, journal: pupilCounts[sourceId]?.journal ?? 0 }))
    .filter((r) => r.mis === 0 || r.journal === 0)
    .sort((a, b) => a.className.localeCompare(b.className, 'ru', { numeric: true }) || a.name.localeCompare(b.name, 'ru'));
  const planned = latestRun.find((r) => r.kind === 'sync' && Object.keys(planOf(r)).length);
  const unmatched = ((planned?.summary as { unmatchedTarget?: Record<string, number> } | undefined)?.unmatchedTarget ?? {}) as Record<string, number>;
  const journalFrom = counts?.journalFrom ?? null;
  const journalTo = counts?.journalTo ?? null;
  return {
    link,
    schoolName: roster?.schoolName ?? schools.get(link.schoolId) ?? link.schoolId,
    month,
    monthLabel: monthLabel(month),
    journalFrom,
    journalTo,
    partial: !journalFrom || !journalTo || journalFrom > from || journalTo < to,
    byClassSubject,
    totals,
    misLacking: readable.filter((r) => r.op !== 'archive'),
    journalExtra: readable.filter((r) => r.op === 'archive'),
    pupilsWithoutMarks,
    onlyOnPlatform: Object.entries(unmatched)
      .filter(([, n]) => n > 0)
      .map(([entity, n]) => ({ entity, label: ENTITY_LABELS[entity as EntityCollection] ?? entity, n })),
    readAt: stored.get(link.id) ?? null,
    showNames: people.showNames,
  };
}

/** One row of the discrepancy report as a table (the XLSX has every section in one sheet). */
export interface DiscrepancyRow {
  section: string;
  className: string;
  subject: string;
  who: string;
  what: string;
  mis: number | '';
  journal: number | '';
  details: string;
}

export function discrepancyRows(m: DiscrepancyModel): DiscrepancyRow[] {
  const change = (section: string) => (r: ReadableChange): DiscrepancyRow => ({
    section,
    className: '',
    subject: '',
    who: r.who ?? '',
    what: [r.entityLabel, r.opLabel, r.what].filter(Boolean).join(' · '),
    mis: '',
    journal: '',
    details: `${fieldsLine(r.fields)}${r.code ? ` (${r.statusLabel}, код ${r.code})` : ` (${r.statusLabel})`}`,
  });
  return [
    ...m.byClassSubject.map((r) => ({ section: 'Текущие отметки: расхождение по классу и предмету', className: r.className, subject: r.subject, who: '', what: 'отметок за месяц', mis: r.mis, journal: r.journal, details: `разница ${r.mis - r.journal}` })),
    ...m.misLacking.map(change('В МИС есть, в журнале нет')),
    ...m.journalExtra.map(change('В журнале есть, в МИС нет')),
    ...m.onlyOnPlatform.map((o) => ({ section: 'Только на платформе (ejsync не удаляет)', className: '', subject: '', who: '', what: o.label, mis: 0, journal: o.n, details: '' })),
    ...m.pupilsWithoutMarks.map((r) => ({ section: 'Ученики без отметок за месяц', className: r.className, subject: '', who: r.name, what: 'текущих отметок', mis: r.mis, journal: r.journal, details: r.mis === 0 && r.journal === 0 ? 'ни в МИС, ни в журнале' : r.mis === 0 ? 'нет в МИС' : 'нет в журнале' })),
  ];
}

export interface FinalMarksRow {
  className: string;
  subject: string;
  kind: string;
  kindLabel: string;
  mis: number;
  journal: number;
  delivered: number;
  waiting: number;
  failed: number;
}

export interface FinalMarksModel {
  link: LinkRecord;
  schoolName: string;
  rows: FinalMarksRow[];
  /** Classes in grade order. */
  classes: string[];
  journalFrom: string | null;
  journalTo: string | null;
  readAt: Date | null;
}

/**
 * Final marks (quarter, half-year, year, exam, final) per class and subject: how many the МИС has,
 * how many the journal has, and what ejsync delivered, still waits with, or failed to deliver.
 */
export async function finalMarksModel(backend: DashboardBackend, p: Principal, link: LinkRecord): Promise<FinalMarksModel> {
  const [people, stored, delivered, schools] = await Promise.all([
    backend.peopleView(p, link.id, link.schoolId),
    backend.store.rosters.versions([link.id]),
    backend.store.changes.finalMarks(link.id, FINAL_MARK_KINDS),
    backend.schoolNames(),
  ]);
  const counts = people.roster?.counts;
  const rows = new Map<string, FinalMarksRow>();
  const row = (className: string, subject: string, kind: string) => {
    const key = `${className}\u0000${subject}\u0000${kind}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { className, subject, kind, kindLabel: formatPlainValue('marks', 'kind', kind), mis: 0, journal: 0, delivered: 0, waiting: 0, failed: 0 }));
    return r;
  };
  for (const [className, subjects] of Object.entries(counts?.finalMarks ?? {})) {
    for (const [subject, kinds] of Object.entries(subjects)) for (const [kind, c] of Object.entries(kinds)) Object.assign(row(className, subject, kind), { mis: c.mis, journal: c.journal });
  }
  for (const d of delivered) {
    // A change's group may be a subgroup («5А, Англ. яз. (1 гр.)»): its class is the part before the comma.
    const r = row((d.group ?? '—').split(',')[0], d.subject ?? '—', d.kind);
    if (d.status === 'applied') r.delivered += d.n;
    else if (d.status === 'pending') r.waiting += d.n;
    else r.failed += d.n;
  }
  const sorted = [...rows.values()].sort(
    (a, b) => a.className.localeCompare(b.className, 'ru', { numeric: true }) || a.subject.localeCompare(b.subject, 'ru') || FINAL_MARK_KINDS.indexOf(a.kind) - FINAL_MARK_KINDS.indexOf(b.kind),
  );
  return {
    link,
    schoolName: people.roster?.schoolName ?? schools.get(link.schoolId) ?? link.schoolId,
    rows: sorted,
    classes: [...new Set(sorted.map((r) => r.className))],
    journalFrom: counts?.journalFrom ?? null,
    journalTo: counts?.journalTo ?? null,
    readAt: stored.get(link.id) ?? null,
  };
}
