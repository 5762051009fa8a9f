import type { RosterPupil } from '../../reconcile/change-context';
import { russianDate } from '../../reconcile/russian-labels';
import type { ChangeStatus, LinkRecord, WorklistItem } from '../../store';
import { canActOnSchool, type Principal } from '../auth/roles';
import { unmatchedOnPlatform } from '../actions/identity-merge';
import type { DashboardBackend } from '../dashboard-backend';
import { personalDataView } from '../privacy/personal-data';
import { readableChange, type ReadableChange } from './readable-change';

/** `Ёлкин` and `елкин` are one name to a person searching. */
export function searchKey(text: string): string {
  return text.toLocaleLowerCase('ru-RU').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

export interface PupilRow extends RosterPupil {
  sourceId: string;
}

export interface PupilSearchModel {
  link: LinkRecord;
  schoolName: string;
  /** Names may be searched and shown (the school's own staff). */
  showNames: boolean;
  q: string;
  classId: string;
  classes: { id: string; name: string }[];
  rows: PupilRow[];
  total: number;
  page: number;
  pages: number;
  rosterMissing: boolean;
}

export const PUPILS_PAGE_SIZE = 50;

const masked = (p: RosterPupil, showNames: boolean): RosterPupil => (showNames ? p : { ...p, name: 'ФИО скрыто', birthDate: undefined });

/** The school's pupils found by name (staff of the school) or class, a page at a time. */
export async function pupilSearchModel(backend: DashboardBackend, p: Principal, link: LinkRecord, q: { q?: string; classId?: string; page?: number }): Promise<PupilSearchModel> {
  const people = await backend.peopleView(p, link.id, link.schoolId);
  const roster = people.roster;
  const schoolName = roster?.schoolName ?? (await backend.schoolNames()).get(link.schoolId) ?? link.schoolId;
  const text = searchKey(q.q ?? '');
  const classId = q.classId ?? '';
  const all = Object.entries(roster?.pupils ?? {}).map(([sourceId, pupil]) => ({ sourceId, ...pupil }));
  const found = all
    .filter((r) => !classId || r.classId === classId)
    // Only those who may read names may find by them; others find by class or id.
    .filter((r) => !text || (people.showNames && searchKey(r.name).includes(text)) || searchKey(r.className ?? '') === text || r.sourceId === (q.q ?? '').trim())
    .sort((a, b) => (a.grade ?? 0) - (b.grade ?? 0) || (a.className ?? '').localeCompare(b.className ?? '', 'ru') || a.name.localeCompare(b.name, 'ru'));
  const pages = Math.max(1, Math.ceil(found.length / PUPILS_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(q.page ?? 1)));
  const classes = Object.entries(roster?.classes ?? {})
    .map(([id, c]) => ({ id, name: c.name, grade: c.grade ?? 0 }))
    .sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, 'ru'));
  return {
    link,
    schoolName,
    showNames: people.showNames,
    q: q.q ?? '',
    classId,
    classes,
    rows: found.slice((page - 1) * PUPILS_PAGE_SIZE, page * PUPILS_PAGE_SIZE).map((r) => ({ ...r, ...masked(r, people.showNames) })),
    total: found.length,
    page,
    pages,
    rosterMissing: !roster,
  };
}

export interface PupilChange extends ReadableChange {
  runId: string;
  runAt: Date;
  runStatus: string;
}

export interface PupilModel {
  link: LinkRecord;
  schoolName: string;
  pupilId: string;
  showNames: boolean;
  pupil: (RosterPupil & { label: string }) | null;
  /** Per collection: delivered, undelivered now, waiting (held or queued). */
  summary: { entity: string; entityLabel: string; applied: number; failed: number; pending: number }[];
  failed: PupilChange[];
  pending: PupilChange[];
  delivered: PupilChange[];
  manual: WorklistItem[];
  /** The pupil's record on the platform: its id when linked; else unlinked platform pupils a person may link them to. */
  platform: { targetId: string | null; candidates: { targetId: string; name: string }[] };
  mayAct: boolean;
  /** A manual link was just made. */
  merged: boolean;
}

/** Runs whose undelivered changes still count (a newer run has not replaced them). */
const LIVE_FAILED = new Set(['partial', 'failed', 'applying']);

/**
 * One pupil on one page: class, what reached the journal, what failed and why, what waits for a
 * decision, and the manual actions about them — "why has Иванов Пётр no marks in the journal?".
 */
export async function pupilModel(backend: DashboardBackend, p: Principal, link: LinkRecord, pupilId: string, options: { limit?: number; merged?: boolean } = {}): Promise<PupilModel> {
  const limit = options.limit ?? 300;
  const { store } = backend;
  const view = personalDataView(p, link.schoolId);
  const [people, changes, manual, schools] = await Promise.all([
    backend.peopleView(p, link.id, link.schoolId),
    store.changes.forPupil(link.id, pupilId, limit),
    store.manualActions.worklist({ linkIds: [link.id], pupilId, limit: 200 }),
    backend.schoolNames(),
  ]);
  const found = people.roster?.pupils[pupilId];
  const pupil = found ? { ...masked(found, people.showNames), label: people.name({ entity: 'pupils', sourceId: pupilId }) } : null;
  const readable: PupilChange[] = changes.map((c) => ({ ...readableChange(c, people, view), runId: c.runId, runAt: c.runCreatedAt, runStatus: c.runStatus }));
  // One line per change: its newest run says where it is now.
  const latest = new Map<string, PupilChange>();
  for (const c of readable) if (!latest.has(c.changeId)) latest.set(c.changeId, c);
  const current = [...latest.values()];
  const summary = new Map<string, PupilModel['summary'][number]>();
  for (const c of current) {
    const row = summary.get(c.entity) ?? { entity: c.entity, entityLabel: c.entityLabel, applied: 0, failed: 0, pending: 0 };
    const status = c.status as ChangeStatus;
    if (status === 'applied') row.applied++;
    else if (status === 'pending') row.pending++;
    else if (LIVE_FAILED.has(c.runStatus)) row.failed++;
    summary.set(c.entity, row);
  }
  return {
    link,
    schoolName: people.roster?.schoolName ?? schools.get(link.schoolId) ?? link.schoolId,
    pupilId,
    showNames: people.showNames,
    pupil,
    summary: [...summary.values()],
    failed: current.filter((c) => (c.status === 'failed' || c.status === 'skipped') && LIVE_FAILED.has(c.runStatus)),
    pending: current.filter((c) => c.status === 'pending'),
    delivered: current.filter((c) => c.status === 'applied'),
    manual: manual.rows.map((m) => ({ ...m, fields: m.fields.map((f) => ({ ...f, value: view.labelled(f.label, f.value), ...(f.previous !== undefined ? { previous: view.labelled(f.label, f.previous) } : {}) })) })),
    platform: {
      targetId: Object.entries(people.roster?.platform ?? {}).find(([, r]) => r.entity === 'pupils' && r.sourceId === pupilId)?.[0] ?? null,
      candidates: unmatchedOnPlatform(people.roster, 'pupils').map((c) => ({ targetId: c.targetId, name: people.showNames ? c.name : 'ФИО скрыто' })),
    },
    mayAct: canActOnSchool(p, link.schoolId),
    merged: !!options.merged,
  };
}

export interface ClassModel {
  link: LinkRecord;
  schoolName: string;
  classId: string;
  className: string;
  showNames: boolean;
  pupils: PupilRow[];
  subjects: { subject: string; applied: number; failed: number; pending: number }[];
  /** Changes of one subject (when one is chosen), newest first. */
  subject: string;
  changes: (ReadableChange & { runAt: Date })[];
  total: number;
  page: number;
  pages: number;
  sinceText: string;
}

export const CLASS_DAYS = 31;
export const CHANGES_PAGE_SIZE = 100;

/** A class: its pupils, and per subject what the last month's runs delivered, failed or hold. */
export async function classModel(backend: DashboardBackend, p: Principal, link: LinkRecord, classId: string, q: { subject?: string; page?: number }, now = new Date()): Promise<ClassModel | null> {
  const view = personalDataView(p, link.schoolId);
  const people = await backend.peopleView(p, link.id, link.schoolId);
  const cls = people.roster?.classes[classId];
  if (!cls) return null;
  const since = new Date(now.getTime() - CLASS_DAYS * 86_400_000);
  const bySubject = new Map<string, ClassModel['subjects'][number]>();
  for (const r of await backend.store.changes.subjectsOfGroup(link.id, cls.name, since)) {
    const key = r.subject ?? '—';
    const row = bySubject.get(key) ?? { subject: key, applied: 0, failed: 0, pending: 0 };
    if (r.status === 'applied') row.applied += r.n;
    else if (r.status === 'pending') row.pending += r.n;
    else row.failed += r.n;
    bySubject.set(key, row);
  }
  const subject = q.subject ?? '';
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const list = subject
    ? await backend.store.changes.ofLink(link.id, { since, group: cls.name, subject: subject === '—' ? undefined : subject, limit: CHANGES_PAGE_SIZE, offset: (page - 1) * CHANGES_PAGE_SIZE })
    : { rows: [], total: 0 };
  const pupils = Object.entries(people.roster?.pupils ?? {})
    .filter(([, r]) => r.classId === classId)
    .map(([sourceId, r]) => ({ sourceId, ...masked(r, people.showNames) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  return {
    link,
    schoolName: people.roster?.schoolName ?? link.schoolId,
    classId,
    className: cls.name,
    showNames: people.showNames,
    pupils,
    subjects: [...bySubject.values()].sort((a, b) => a.subject.localeCompare(b.subject, 'ru')),
    subject,
    changes: list.rows.map((c) => ({ ...readableChange(c, people, view), runAt: c.runCreatedAt })),
    total: list.total,
    page,
    pages: Math.max(1, Math.ceil(list.total / CHANGES_PAGE_SIZE)),
    sinceText: russianDate(since.toISOString().slice(0, 10)),
  };
}
