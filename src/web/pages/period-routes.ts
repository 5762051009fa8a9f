import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findLink } from '../access/visible';
import { isPeriodActionName, linkPeriod, linkPeriods, performPeriodAction, PERIOD_ACTIONS } from '../actions/period-actions';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { confirmPage } from './confirm-page';
import { russianDate } from '../../reconcile/russian-labels';
import { page, refused } from './respond';
import { periodsPage } from './periods-page';

const params = (req: FastifyRequest) => req.params as { id: string; periodId: string; action: string };

/**
 * A link's reporting periods (issue 13, periods, on the dashboard): the list, and close / reopen
 * in ejsync through a confirmation page with a required reason, CSRF-protected, scoped to the
 * person's schools and roles like pause / resume, audited with the ЕСИА identity.
 */
export function registerPeriodRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend, timeZone } = deps;

  app.get('/links/:id/periods', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, params(req).id);
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const model = await linkPeriods(backend, found.value);
    return page(req, reply, { title: `Отчётные периоды — ${found.value.name}`, section: 'overview', back: { href: '/', label: 'к обзору' } }, periodsPage(found.value, model, found.mayAct, timeZone));
  });

  app.get('/links/:id/periods/:periodId/confirm/:action', async (req, reply) => {
    const p = principalOf(req);
    const { id, periodId, action } = params(req);
    if (!isPeriodActionName(action)) return refused(reply, p, 404, 'Связь');
    const found = await findLink(backend.store, p, id, true);
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const link = found.value;
    const row = await linkPeriod(backend, link, periodId);
    const spec = PERIOD_ACTIONS[action];
    const refusal = spec.refusal(row);
    if (refusal) return refused(reply, p, 409, refusal);
    const back = `/links/${link.id}/periods`;
    const facts = [`Школа: ${(await backend.schoolNames()).get(link.schoolId) ?? link.schoolId}`, `Связь: ${link.name}`, `Период: ${row.periodId}${row.period ? ` (${russianDate(row.period.startDate)}–${russianDate(row.period.endDate)}, классы ${row.period.grades.join(', ')})` : ''}`];
    if (row.lock) facts.push(`Закрыт в ejsync: ${row.lock.closedByName}, основание: ${row.lock.reason}`);
    return page(
      req,
      reply,
      { title: 'Подтверждение действия', back: { href: back, label: 'к периодам' } },
      confirmPage({
        question: spec.question(row),
        consequence: `${spec.consequence} Основание (номер и дата приказа) будет записано в журнал действий.`,
        action: `/links/${link.id}/periods/${encodeURIComponent(row.periodId)}/actions/${action}`,
        csrf: req.session!.csrfToken,
        submitLabel: spec.label,
        cancelHref: back,
        danger: spec.danger,
        reason: 'required',
        facts,
      }),
    );
  });

  app.post('/links/:id/periods/:periodId/actions/:action', async (req, reply) => {
    const p = principalOf(req);
    const { id, periodId, action } = params(req);
    if (!isPeriodActionName(action)) return refused(reply, p, 404, 'Связь');
    const found = await findLink(backend.store, p, id, true);
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.confirm !== 'yes') return refused(reply, p, 400, 'Связь');
    const row = await linkPeriod(backend, found.value, periodId);
    const refusal = PERIOD_ACTIONS[action].refusal(row);
    if (refusal) return refused(reply, p, 409, refusal);
    await performPeriodAction(backend, found.value, row, action, actorOf(req), typeof body.reason === 'string' ? body.reason : undefined);
    return reply.redirect(`/links/${found.value.id}/periods`, 303);
  });
}
