import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findLink, refusal, visibleLinks } from '../access/visible';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { formatOf, sendTable } from '../exports/send-table';
import { discrepancyModel, discrepancyRows, finalMarksModel, monthOf } from '../views/reports-model';
import { DISCREPANCY_COLUMNS, FINAL_MARKS_COLUMNS } from '../exports/report-columns';
import { page, refused } from './respond';
import { discrepancyPage, finalMarksPage, reportsIndexPage } from './reports-pages';

const linkParam = (req: FastifyRequest) => String((req.query as Record<string, unknown>).link ?? '');

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** The reports: pages and XLSX downloads (audited), scoped to the person's schools. */
export function registerReportRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend, timeZone } = deps;

  app.get('/reports', async (req, reply) => {
    const p = principalOf(req);
    const [links, names] = await Promise.all([visibleLinks(backend.store, p), backend.schoolNames()]);
    const month = monthOf(undefined, deps.now(), timeZone);
    return page(req, reply, { title: 'Отчёты', section: 'reports' }, reportsIndexPage(links.map((l) => ({ id: l.id, name: l.name, schoolName: names.get(l.schoolId) ?? l.schoolId })), month));
  });

  app.get('/reports/discrepancy', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, linkParam(req));
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const month = monthOf((req.query as Record<string, unknown>).month, deps.now(), timeZone);
    const m = await discrepancyModel(backend, p, found.value, month);
    return page(req, reply, { title: `Сверка МИС и журнала за ${m.monthLabel} — ${m.schoolName}`, section: 'reports', back: { href: '/reports', label: 'к отчётам' } }, discrepancyPage(m, timeZone, shiftMonth(month, -1), shiftMonth(month, 1)));
  });

  app.get('/reports/final-marks', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, linkParam(req));
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const m = await finalMarksModel(backend, p, found.value);
    return page(req, reply, { title: `Итоговые отметки — ${m.schoolName}`, section: 'reports', back: { href: '/reports', label: 'к отчётам' } }, finalMarksPage(m, timeZone));
  });

  const audit = (req: FastifyRequest, table: string, format: string, linkId: string, schoolId: string, extra: Record<string, unknown> = {}) =>
    backend.store.audit.append({ ...actorOf(req), action: 'export.download', objectType: 'link', objectId: linkId, schoolId, details: { table, format, ...extra } });

  app.get('/api/reports/discrepancy', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, linkParam(req));
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'link'));
    const q = req.query as Record<string, unknown>;
    const month = monthOf(q.month, deps.now(), timeZone);
    const m = await discrepancyModel(backend, p, found.value, month);
    if (q.format !== 'xlsx' && q.format !== 'csv') return m;
    const format = formatOf(q.format);
    await audit(req, 'discrepancy', format, found.value.id, found.value.schoolId, { month });
    return sendTable(reply, { format, asciiName: `ejsync-discrepancy-${found.value.id}-${month}`, russianName: `сверка МИС и журнала ${m.schoolName} ${m.monthLabel}`, sheet: 'Сверка МИС и журнала', columns: DISCREPANCY_COLUMNS, rows: discrepancyRows(m) });
  });

  app.get('/api/reports/final-marks', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, linkParam(req));
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'link'));
    const q = req.query as Record<string, unknown>;
    const m = await finalMarksModel(backend, p, found.value);
    if (q.format !== 'xlsx' && q.format !== 'csv') return m;
    const format = formatOf(q.format);
    await audit(req, 'final-marks', format, found.value.id, found.value.schoolId);
    return sendTable(reply, { format, asciiName: `ejsync-final-marks-${found.value.id}`, russianName: `итоговые отметки ${m.schoolName}`, sheet: 'Итоговые отметки', columns: FINAL_MARKS_COLUMNS, rows: m.rows });
  });
}
