import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ENTITY_ORDER } from '../../model';
import type { ChangeStatus } from '../../store';
import { findLink, findRun, visibleLinks } from '../access/visible';
import { principalOf, type DashboardDeps } from '../dashboard-deps';
import { personalDataView } from '../privacy/personal-data';
import { CHANGES_PAGE_SIZE, classModel, pupilModel, pupilSearchModel, searchKey } from '../views/people-model';
import { readableChange } from '../views/readable-change';
import { html } from './html';
import { entityLabel } from './labels';
import { pageOf } from './pager';
import { classPage, pupilPage, pupilSearchPage, runChangesPage } from './people-pages';
import { page, refused } from './respond';

const STATUSES: ChangeStatus[] = ['pending', 'applied', 'failed', 'skipped'];
const param = (req: FastifyRequest, name: string) => (req.params as Record<string, string>)[name];
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The pages people ask for: a school's pupils (search), one pupil, one class, a run's changes. */
export function registerPeopleRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend, timeZone } = deps;

  // «Ученики»: straight to the school's list when the person sees one school, else a choice of schools.
  app.get('/pupils', async (req, reply) => {
    const p = principalOf(req);
    const links = await visibleLinks(backend.store, p);
    if (links.length === 1) return reply.redirect(`/links/${links[0].id}/pupils`, 302);
    const names = await backend.schoolNames();
    return page(
      req,
      reply,
      { title: 'Ученики: выберите школу', section: 'pupils' },
      html`<ul class="choices">${links.map((l) => html`<li><a href="/links/${l.id}/pupils">${names.get(l.schoolId) ?? l.schoolId}</a> <span class="hint">${l.name}</span></li>`)}</ul>${links.length ? '' : html`<p>Нет доступных школ.</p>`}`,
    );
  });

  app.get('/links/:id/pupils', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, param(req, 'id'));
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const q = req.query as Record<string, unknown>;
    const m = await pupilSearchModel(backend, p, found.value, { q: str(q.q), classId: str(q.classId), page: pageOf(q.page) });
    return page(req, reply, { title: `Ученики — ${m.schoolName}`, section: 'pupils', back: { href: '/', label: 'к обзору' } }, pupilSearchPage(m));
  });

  app.get('/links/:id/pupils/:pupilId', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, param(req, 'id'));
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const m = await pupilModel(backend, p, found.value, param(req, 'pupilId'), { merged: (req.query as Record<string, unknown>).merged === '1' });
    if (!m.pupil && !m.summary.length && !m.manual.length) return refused(reply, p, 404, 'Ученик');
    return page(req, reply, { title: m.pupil?.label ?? `Ученик ${m.pupilId}`, section: 'pupils', back: { href: `/links/${found.value.id}/pupils`, label: 'к поиску учеников' } }, pupilPage(m, timeZone, req.session?.csrfToken));
  });

  app.get('/links/:id/classes/:classId', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, param(req, 'id'));
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const q = req.query as Record<string, unknown>;
    const m = await classModel(backend, p, found.value, param(req, 'classId'), { subject: str(q.subject) || undefined, page: pageOf(q.page) }, deps.now());
    if (!m) return refused(reply, p, 404, 'Класс');
    return page(req, reply, { title: `Класс ${m.className} — ${m.schoolName}`, section: 'pupils', back: { href: `/links/${found.value.id}/pupils`, label: 'к ученикам школы' } }, classPage(m, timeZone));
  });

  app.get('/runs/:id/changes', async (req, reply) => {
    const p = principalOf(req);
    const found = await findRun(backend.store, p, param(req, 'id'));
    if (!found.ok) return refused(reply, p, found.status, 'Запуск');
    const run = found.value;
    const q = req.query as Record<string, unknown>;
    const status = STATUSES.find((s) => s === q.status);
    const entity = (ENTITY_ORDER as readonly string[]).find((e) => e === q.entity);
    const text = str(q.q);
    const people = await backend.peopleView(p, run.linkId, run.schoolId);
    // A search finds the pupils it names (names only for those who may read them) or a class.
    let pupilIds: string[] | undefined;
    if (text) {
      const key = searchKey(text);
      pupilIds = Object.entries(people.roster?.pupils ?? {})
        .filter(([id, r]) => id === text || searchKey(r.className ?? '') === key || (people.showNames && searchKey(r.name).includes(key)))
        .map(([id]) => id);
    }
    const pageNo = pageOf(q.page);
    const { rows, total } = await backend.store.changes.page(run.id, { status, entity, pupilIds, limit: CHANGES_PAGE_SIZE, offset: (pageNo - 1) * CHANGES_PAGE_SIZE });
    const view = personalDataView(p, run.schoolId);
    const entities = [...new Set((await backend.store.changes.counts(run.id)).map((c) => c.entity))].map((e) => ({ entity: e, label: entityLabel(e) }));
    return page(
      req,
      reply,
      { title: `Изменения запуска — ${(await backend.schoolNames()).get(run.schoolId) ?? run.schoolId}`, section: 'overview', back: { href: `/runs/${run.id}`, label: 'к запуску' } },
      runChangesPage({ runId: run.id, linkId: run.linkId, runStatus: run.status, status: status ?? '', entity: entity ?? '', q: text, showNames: people.showNames, rows: rows.map((c) => readableChange(c, people, view)), total, page: pageNo, pages: Math.max(1, Math.ceil(total / CHANGES_PAGE_SIZE)), entities }),
    );
  });
}
