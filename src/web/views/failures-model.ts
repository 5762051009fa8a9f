import type { StagedChange } from '../../store';
import type { FailureGroup, OpenFailure } from '../../store/repositories/dashboard-queries';
import { canActOnSchool, type Principal } from '../auth/roles';
import { visibleLinks } from '../access/visible';
import type { DashboardBackend } from '../dashboard-backend';
import { fixAdvice } from './fix-advice';
import { personalDataView } from '../privacy/personal-data';
import { fieldsLine, readableChange, type ReadableChange } from './readable-change';
import { searchKey } from './people-model';

export interface FailureGroupRow extends FailureGroup {
  message: string;
  /** What to do, in words for the reader's role. */
  hint: string;
  retryable: boolean;
  fixerLabel: string;
  /** Runs of schools the person may act on with undelivered changes of this code. */
  retryableRuns: number;
}

/** Failed deliveries across the person's schools (or one school), grouped by error code; `q` finds codes and their messages. */
export async function failureGroupsModel(backend: DashboardBackend, p: Principal, filter: { school?: string; q?: string } = {}): Promise<FailureGroupRow[]> {
  const links = (await visibleLinks(backend.store, p)).filter((l) => !filter.school || l.schoolId === filter.school);
  const actionable = links.filter((l) => canActOnSchool(p, l.schoolId)).map((l) => l.id);
  const groups = await backend.queries.failureGroups({ linkIds: links.map((l) => l.id) });
  const text = filter.q?.trim().toLocaleLowerCase('ru-RU');
  const rows = await Promise.all(
    groups.map(async (g) => {
      const advice = fixAdvice(p, g.code);
      return {
        ...g,
        code: advice.code,
        message: advice.message,
        hint: advice.hint,
        retryable: advice.retryable,
        fixerLabel: advice.fixerLabel,
        retryableRuns: g.open ? (await backend.queries.runsWithOpenCode(g.code, actionable)).length : 0,
      };
    }),
  );
  return rows.filter((g) => !text || `${g.code} ${g.message} ${g.hint}`.toLocaleLowerCase('ru-RU').includes(text));
}

export interface CodeFailuresModel {
  group: FailureGroupRow | null;
  code: string;
  message: string;
  hint: string;
  fixerLabel: string;
  rows: (OpenFailure & { linkName: string; schoolName: string; readable: ReadableChange | null })[];
  total: number;
  page: number;
  pages: number;
  school: string;
  schools: { id: string; name: string }[];
  /** Words searched for in whom and what each record concerns (names only for those who may read them). */
  q: string;
}

export const FAILURES_PAGE_SIZE = 50;

/** The undelivered changes of one code across the person's schools (or one), a page at a time, each in school terms. */
export async function codeFailuresModel(backend: DashboardBackend, p: Principal, code: string, q: { page?: number; school?: string; q?: string } = {}): Promise<CodeFailuresModel> {
  const all = await visibleLinks(backend.store, p);
  const links = all.filter((l) => !q.school || l.schoolId === q.school);
  const names = new Map(links.map((l) => [l.id, l.name]));
  const [groups, found, schoolNames] = await Promise.all([
    failureGroupsModel(backend, p, { school: q.school }),
    backend.queries.openFailures({ linkIds: links.map((l) => l.id), code, limit: 100_000 }),
    backend.schoolNames(),
  ]);
  const views = new Map<string, Awaited<ReturnType<DashboardBackend['peopleView']>>>();
  const readableOf = async (r: OpenFailure) => {
    const change = await backend.store.changes.get(r.runId, r.changeId);
    if (!change) return null;
    let people = views.get(r.linkId);
    if (!people) views.set(r.linkId, (people = await backend.peopleView(p, r.linkId, r.schoolId)));
    return readableChange(change, people, personalDataView(p, r.schoolId));
  };
  // A search reads every record in school terms (whom and what it concerns, its fields) and keeps those that match.
  const text = searchKey(q.q ?? '');
  let rows = found;
  let known = new Map<OpenFailure, ReadableChange | null>();
  if (text) {
    const read = await Promise.all(found.map(async (r) => [r, await readableOf(r)] as const));
    known = new Map(read);
    rows = read.filter(([r, c]) => searchKey([r.sourceId, c?.who, c?.what, c ? fieldsLine(c.fields) : ''].filter(Boolean).join(' ')).includes(text)).map(([r]) => r);
  }
  const pages = Math.max(1, Math.ceil(rows.length / FAILURES_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(q.page ?? 1)));
  const shown = rows.slice((page - 1) * FAILURES_PAGE_SIZE, page * FAILURES_PAGE_SIZE);
  const readable = await Promise.all(shown.map(async (r) => (known.has(r) ? known.get(r)! : readableOf(r))));
  const advice = fixAdvice(p, code);
  return {
    group: groups.find((g) => g.code === code) ?? null,
    code: advice.code,
    message: advice.message,
    hint: advice.hint,
    fixerLabel: advice.fixerLabel,
    rows: shown.map((r, i) => ({ ...r, linkName: names.get(r.linkId) ?? r.linkId, schoolName: schoolNames.get(r.schoolId) ?? r.schoolId, readable: readable[i] })),
    total: rows.length,
    page,
    pages,
    school: q.school ?? '',
    q: q.q ?? '',
    schools: [...new Set(all.map((l) => l.schoolId))].map((id) => ({ id, name: schoolNames.get(id) ?? id })),
  };
}

/** Every undelivered change across the person's schools (the failures export). */
export async function openFailuresOf(backend: DashboardBackend, p: Principal, code?: string): Promise<(OpenFailure & { linkName: string; schoolName: string; message: string; hint: string; readable: ReadableChange | null })[]> {
  const links = await visibleLinks(backend.store, p);
  const names = new Map(links.map((l) => [l.id, l.name]));
  const [rows, schoolNames] = await Promise.all([backend.queries.openFailures({ linkIds: links.map((l) => l.id), ...(code ? { code } : {}), limit: 100_000 }), backend.schoolNames()]);
  const views = new Map<string, Awaited<ReturnType<DashboardBackend['peopleView']>>>();
  // One read per run (not per change): a big export holds thousands of changes of few runs.
  const changesOf = new Map<string, Map<string, StagedChange>>();
  const out = [];
  for (const r of rows) {
    let people = views.get(r.linkId);
    if (!people) views.set(r.linkId, (people = await backend.peopleView(p, r.linkId, r.schoolId)));
    let changes = changesOf.get(r.runId);
    if (!changes) changesOf.set(r.runId, (changes = new Map((await backend.store.changes.list(r.runId, { status: 'failed' })).map((c) => [c.changeId, c]))));
    const change = changes.get(r.changeId);
    const advice = fixAdvice(p, r.code);
    out.push({ ...r, linkName: names.get(r.linkId) ?? r.linkId, schoolName: schoolNames.get(r.schoolId) ?? r.schoolId, message: advice.message, hint: advice.hint, readable: change ? readableChange(change, people, personalDataView(p, r.schoolId)) : null });
  }
  return out;
}
