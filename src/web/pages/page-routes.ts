import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findLink, findRun, visibleLinks, visibleSchools } from '../access/visible';
import { RUN_STATUSES, type RunRecord, type RunStatus } from '../../store';
import { runsListPage } from './runs-list-page';
import { LINK_ACTIONS, isLinkActionName } from '../actions/link-actions';
import { actionIdsOf, isManualMark, markManualActions } from '../actions/manual-actions';
import { retryCodeEverywhere, runsToRetryForCode } from '../actions/retry-code';
import { RUN_ACTIONS, isRunActionName, runActionRefusal, type RunActionInput } from '../actions/run-actions';
import { isOperator, type Principal } from '../auth/roles';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { auditModel } from '../views/audit-model';
import { codeFailuresModel, failureGroupsModel } from '../views/failures-model';
import { overviewModel, type OverviewFilter } from '../views/overview-model';
import { runModel } from '../views/run-model';
import { auditPage } from './audit-page';
import { confirmPage } from './confirm-page';
import { codeFailuresPage, failuresPage } from './failures-page';
import { html, query, type Html } from './html';
import { entityLabel, opLabel, plural, RUN_KIND_LABELS, when } from './labels';
import { overviewPage } from './overview-page';
import { runPage } from './run-page';
import { page, refused } from './respond';
import { pageOf } from './pager';
import { registerPeopleRoutes } from './people-routes';
import { registerWorklistRoutes } from './worklist-routes';
import { registerReportRoutes } from './reports-routes';
import { registerPeriodRoutes } from './period-routes';

const confirmed = (req: FastifyRequest) => (req.body as { confirm?: string } | undefined)?.confirm === 'yes';
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const RUNS_PAGE_SIZE = 50;

/** The administrators' pages (Russian, server-rendered; actions via a confirmation page, except the reversible manual-action checklist). */
export function registerPageRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend, timeZone } = deps;

  app.get('/', async (req, reply) => {
    const p = principalOf(req);
    const q = req.query as Record<string, string | undefined>;
    const filter: OverviewFilter = { q: q.q, school: q.school, platform: q.platform, state: q.state };
    const model = await overviewModel(backend, p, filter, { now: deps.now(), timeZone });
    const workers = isOperator(p) ? await backend.workers() : null;
    return page(req, reply, { title: 'Обзор связей и запусков', section: 'overview' }, overviewPage(model, filter, timeZone, workers));
  });

  app.get('/runs', async (req, reply) => {
    const p = principalOf(req);
    const q = req.query as Record<string, unknown>;
    const filter = { link: str(q.link) ?? '', status: str(q.status) ?? '', q: (str(q.q) ?? '').trim() };
    const pageNo = pageOf(q.page);
    const links = await visibleLinks(backend.store, p);
    const names = await backend.schoolNames();
    const status = (RUN_STATUSES as readonly string[]).includes(filter.status) ? (filter.status as RunStatus) : undefined;
    let runs: RunRecord[];
    if (filter.q) {
      const found = await findRun(backend.store, p, filter.q);
      runs = found.ok ? [found.value] : [];
    } else {
      runs = await backend.store.runs.list({ linkId: filter.link || undefined, status, schoolIds: visibleSchools(p), limit: RUNS_PAGE_SIZE + 1, offset: (pageNo - 1) * RUNS_PAGE_SIZE });
    }
    const linkName = new Map(links.map((l) => [l.id, l.name]));
    const model = {
      runs: runs.slice(0, RUNS_PAGE_SIZE).map((r) => ({ ...r, schoolName: names.get(r.schoolId) ?? r.schoolId, linkName: linkName.get(r.linkId) ?? r.linkId })),
      links: links.map((l) => ({ id: l.id, label: `${names.get(l.schoolId) ?? l.schoolId} — ${l.name}` })),
      filter,
      page: pageNo,
      hasNext: runs.length > RUNS_PAGE_SIZE,
    };
    return page(req, reply, { title: 'Запуски', section: 'overview', back: { href: '/', label: 'к обзору' } }, runsListPage(model, timeZone));
  });

  app.get('/runs/:id', async (req, reply) => {
    const p = principalOf(req);
    const found = await findRun(backend.store, p, (req.params as { id: string }).id);
    if (!found.ok) return refused(reply, p, found.status, 'Запуск');
    const model = await runModel(backend, p, found.value);
    const title = `${RUN_KIND_LABELS[found.value.kind] === 'откат' ? 'Откат' : 'Запуск'} от ${when(found.value.createdAt, timeZone)} — ${model.link?.name ?? found.value.linkId}`;
    return page(req, reply, { title, section: 'overview', back: { href: '/', label: 'к обзору' } }, runPage(model, timeZone, req.session?.csrfToken));
  });

  // Marking manual actions done (or open again) is reversible and writes nothing to the platform:
  // a direct CSRF-protected form, no confirmation page.
  app.post('/runs/:id/manual-actions/:mark', async (req, reply) => {
    const p = principalOf(req);
    const { id, mark } = req.params as { id: string; mark: string };
    if (!isManualMark(mark)) return refused(reply, p, 404, 'Запуск');
    const found = await findRun(backend.store, p, id, true);
    if (!found.ok) return refused(reply, p, found.status, 'Запуск');
    await markManualActions(backend, found.value, actorOf(req), mark, actionIdsOf(req.body));
    return reply.redirect(`/runs/${found.value.id}#manual`, 303);
  });

  app.get('/runs/:id/confirm/:action', async (req, reply) => {
    const p = principalOf(req);
    const { id, action } = req.params as { id: string; action: string };
    if (!isRunActionName(action)) return refused(reply, p, 404, 'Запуск');
    const found = await findRun(backend.store, p, id, true);
    if (!found.ok) return refused(reply, p, found.status, 'Запуск');
    const run = found.value;
    const q = req.query as { code?: string; change?: string };
    const input: RunActionInput = { code: str(q.code), changeId: str(q.change) };
    const spec = RUN_ACTIONS[action];
    const failed = await backend.queries.openFailures({ runId: run.id, ...(input.code ? { code: input.code } : {}) });
    if (!spec.allowed(run, failed.length)) return refused(reply, p, 409, runActionRefusal(action, run)?.message ?? `«${spec.label}» для этого запуска сейчас недоступно. Обновите страницу запуска.`);
    const schoolName = (await backend.schoolNames()).get(run.schoolId) ?? run.schoolId;
    const facts: (string | Html)[] = [html`Запуск: <a href="/runs/${run.id}">${run.id}</a>, школа ${schoolName}`, run.environment === 'emulator' ? 'Платформа: эмулятор (песочница)' : html`<b>Платформа: рабочий журнал</b>`];
    if (action === 'retry') {
      const chosen = input.changeId ? failed.filter((f) => f.changeId === input.changeId) : failed;
      if (!chosen.length) return refused(reply, p, 409, 'Эта запись уже не в числе недоставленных. Обновите страницу запуска.');
      facts.push(input.changeId ? `Запись: ${entityLabel(chosen[0].entity)}, ${opLabel(chosen[0].op)}, ${chosen[0].sourceId}` : `Будет повторено: ${plural(chosen.length, 'запись', 'записи', 'записей')}`);
    }
    return page(
      req,
      reply,
      { title: 'Подтверждение действия', back: { href: `/runs/${run.id}`, label: 'к запуску' } },
      confirmPage({
        question: spec.question(run, input),
        consequence: spec.consequence,
        action: `/runs/${run.id}/actions/${action}`,
        csrf: req.session!.csrfToken,
        submitLabel: spec.label,
        cancelHref: `/runs/${run.id}`,
        danger: spec.danger,
        hidden: { code: input.code, change: input.changeId },
        reason: spec.needsReason ? 'required' : action === 'approve' ? 'optional' : undefined,
        facts,
      }),
    );
  });

  app.post('/runs/:id/actions/:action', async (req, reply) => {
    const p = principalOf(req);
    const { id, action } = req.params as { id: string; action: string };
    if (!isRunActionName(action)) return refused(reply, p, 404, 'Запуск');
    const found = await findRun(backend.store, p, id, true);
    if (!found.ok) return refused(reply, p, found.status, 'Запуск');
    if (!confirmed(req)) return refused(reply, p, 400, 'Запуск');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input: RunActionInput = { reason: str(body.reason), code: str(body.code), changeId: str(body.change) };
    const run = found.value;
    const failed = await backend.queries.openFailures({ runId: run.id, limit: 1 });
    if (!RUN_ACTIONS[action].allowed(run, failed.length)) return refused(reply, p, 409, runActionRefusal(action, run)?.message ?? `«${RUN_ACTIONS[action].label}» для этого запуска сейчас недоступно.`);
    const outcome = await RUN_ACTIONS[action].perform(backend, run, actorOf(req), input);
    return reply.redirect(`/runs/${outcome.runId}`, 303);
  });

  app.get('/links/:id/confirm/:action', async (req, reply) => {
    const p = principalOf(req);
    const { id, action } = req.params as { id: string; action: string };
    if (!isLinkActionName(action)) return refused(reply, p, 404, 'Связь');
    const found = await findLink(backend.store, p, id, true);
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const spec = LINK_ACTIONS[action];
    const refusal = await spec.refusal(backend, found.value);
    if (refusal) return refused(reply, p, 409, refusal);
    return page(
      req,
      reply,
      { title: 'Подтверждение действия', back: { href: '/', label: 'к обзору' } },
      confirmPage({
        question: spec.question(found.value),
        consequence: spec.consequence,
        action: `/links/${found.value.id}/actions/${action}`,
        csrf: req.session!.csrfToken,
        submitLabel: spec.label,
        cancelHref: '/',
        danger: spec.danger,
        facts: [`Школа: ${(await backend.schoolNames()).get(found.value.schoolId) ?? found.value.schoolId}`, `Связь: ${found.value.name}`],
      }),
    );
  });

  app.post('/links/:id/actions/:action', async (req, reply) => {
    const p = principalOf(req);
    const { id, action } = req.params as { id: string; action: string };
    if (!isLinkActionName(action)) return refused(reply, p, 404, 'Связь');
    const found = await findLink(backend.store, p, id, true);
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    if (!confirmed(req)) return refused(reply, p, 400, 'Связь');
    const refusal = await LINK_ACTIONS[action].refusal(backend, found.value);
    if (refusal) return refused(reply, p, 409, refusal);
    const outcome = await LINK_ACTIONS[action].perform(backend, found.value, actorOf(req));
    return reply.redirect('runId' in outcome ? `/runs/${outcome.runId}` : `/${query({ q: found.value.id })}`, 303);
  });

  app.get('/failures', async (req, reply) => {
    const p = principalOf(req);
    const q = req.query as Record<string, unknown>;
    const filter = { q: str(q.q), school: str(q.school) };
    const [groups, overview] = await Promise.all([failureGroupsModel(backend, p, filter), overviewModel(backend, p, {}, { now: deps.now(), timeZone })]);
    return page(req, reply, { title: 'Ошибки доставки по кодам', section: 'failures' }, failuresPage(groups, timeZone, { ...filter, schools: overview.schools }));
  });

  app.get('/failures/:code', async (req, reply) => {
    const code = (req.params as { code: string }).code;
    const q = req.query as Record<string, unknown>;
    const model = await codeFailuresModel(backend, principalOf(req), code, { page: pageOf(q.page), school: str(q.school), q: str(q.q) });
    return page(req, reply, { title: `Ошибка ${code}`, section: 'failures', back: { href: '/failures', label: 'ко всем ошибкам' } }, codeFailuresPage(model, timeZone));
  });

  app.get('/failures/:code/confirm-retry', async (req, reply) => {
    const p = principalOf(req);
    const code = (req.params as { code: string }).code;
    const runs = await runsToRetryForCode(backend, p, code);
    if (!runs.length) return refused(reply, p, 409, 'Недоставленных записей с этим кодом в ваших школах нет (или нет прав на повтор).');
    return page(
      req,
      reply,
      { title: 'Подтверждение действия', back: { href: `/failures/${encodeURIComponent(code)}`, label: 'к ошибке' } },
      confirmPage({
        question: `Повторить все недоставленные записи с кодом ${code}?`,
        consequence: RUN_ACTIONS.retry.consequence,
        action: `/failures/${encodeURIComponent(code)}/retry`,
        csrf: req.session!.csrfToken,
        submitLabel: 'Повторить все',
        cancelHref: `/failures/${encodeURIComponent(code)}`,
        facts: [`Запусков: ${runs.length}`],
      }),
    );
  });

  app.post('/failures/:code/retry', async (req, reply) => {
    const p = principalOf(req);
    const code = (req.params as { code: string }).code;
    if (!confirmed(req)) return refused(reply, p, 400, 'Ошибка');
    await retryCodeEverywhere(backend, p, actorOf(req), code);
    return reply.redirect(`/failures/${encodeURIComponent(code)}`, 303);
  });

  registerPeopleRoutes(app, deps);
  registerWorklistRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerPeriodRoutes(app, deps);

  app.get('/audit', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const m = await auditModel(backend, principalOf(req), { action: q.action, actor: q.actor, from: q.from, to: q.to, school: q.school, page: q.page ? Number(q.page) || 1 : 1 });
    return page(req, reply, { title: 'Журнал действий', section: 'audit' }, auditPage(m, timeZone));
  });
}
