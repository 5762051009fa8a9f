import type { LinkRecord, ManualActionStatus, WorklistItem } from '../../store';
import { canActOnSchool, type Principal } from '../auth/roles';
import { visibleLinks } from '../access/visible';
import type { DashboardBackend } from '../dashboard-backend';
import { personalDataView } from '../privacy/personal-data';
import { searchKey } from './people-model';
import { MANUAL_OVERDUE_DAYS } from './run-model';

export interface WorklistRow extends WorklistItem {
  schoolName: string;
  linkName: string;
  mayAct: boolean;
  overdue: boolean;
  /** Days open (since the action was first listed, or listed again). */
  days: number;
  /** The pupil concerned as this reader may see them. */
  pupilLabel: string | null;
}

export interface WorklistFilterQuery {
  link?: string;
  /** `open` (default), `done`, `resolved` or `all`. */
  status?: string;
  overdue?: boolean;
  q?: string;
  page?: number;
}

export interface WorklistModel {
  rows: WorklistRow[];
  total: number;
  page: number;
  pages: number;
  filter: Required<Omit<WorklistFilterQuery, 'page'>>;
  links: { id: string; label: string }[];
  overdueDays: number;
  showNames: boolean;
}

export const WORKLIST_PAGE_SIZE = 50;

/**
 * The manual actions of the person's schools across runs — each once, with its state, since when
 * it is open (flagged after a week), its data (names for the school's staff), found by title,
 * pupil or class.
 */
export async function worklistModel(backend: DashboardBackend, p: Principal, q: WorklistFilterQuery, now: Date): Promise<WorklistModel> {
  const all = await visibleLinks(backend.store, p);
  const links = all.filter((l) => !q.link || l.id === q.link);
  const names = await backend.schoolNames();
  const status = ['open', 'done', 'resolved', 'all'].includes(q.status ?? '') ? q.status! : 'open';
  const statuses = status === 'all' ? undefined : [status as ManualActionStatus];
  const { rows } = await backend.store.manualActions.worklist({ linkIds: links.map((l) => l.id), statuses, ...(q.overdue ? { openForDays: MANUAL_OVERDUE_DAYS, now } : {}), limit: 100_000 });
  const byLink = new Map<string, LinkRecord>(links.map((l) => [l.id, l]));
  const views = new Map<string, Awaited<ReturnType<DashboardBackend['peopleView']>>>();
  const text = searchKey(q.q ?? '');
  const out: WorklistRow[] = [];
  for (const item of rows) {
    const link = byLink.get(item.linkId)!;
    let people = views.get(link.id);
    if (!people) views.set(link.id, (people = await backend.peopleView(p, link.id, link.schoolId)));
    const view = personalDataView(p, link.schoolId);
    const pupilLabel = item.pupilId ? people.name({ entity: 'pupils', sourceId: item.pupilId }) : null;
    const fields = item.fields.map((f) => ({ ...f, value: view.labelled(f.label, f.value), ...(f.previous !== undefined ? { previous: view.labelled(f.label, f.previous) } : {}) }));
    // A search reads what this person may read: names only for the school's staff.
    if (text && !searchKey([item.title, pupilLabel ?? '', ...fields.map((f) => f.value)].join(' ')).includes(text)) continue;
    const days = Math.floor((now.getTime() - item.firstSeenAt.getTime()) / 86_400_000);
    out.push({
      ...item,
      fields,
      schoolName: names.get(link.schoolId) ?? link.schoolId,
      linkName: link.name,
      mayAct: canActOnSchool(p, link.schoolId),
      overdue: item.status === 'open' && days >= MANUAL_OVERDUE_DAYS,
      days,
      pupilLabel,
    });
  }
  const pages = Math.max(1, Math.ceil(out.length / WORKLIST_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(q.page ?? 1)));
  return {
    rows: out.slice((page - 1) * WORKLIST_PAGE_SIZE, page * WORKLIST_PAGE_SIZE),
    total: out.length,
    page,
    pages,
    filter: { link: q.link ?? '', status, overdue: !!q.overdue, q: q.q ?? '' },
    links: all.map((l) => ({ id: l.id, label: names.get(l.schoolId) ?? l.schoolId })),
    overdueDays: MANUAL_OVERDUE_DAYS,
    showNames: all.some((l) => personalDataView(p, l.schoolId).showNames),
  };
}
