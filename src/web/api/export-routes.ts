import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FINDING_COLUMNS } from '../../export';
import { findRun, refusal } from '../access/visible';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { DashboardError } from '../dashboard-error';
import { auditColumns, openFailureColumns, RUN_CHANGE_COLUMNS, runFailureColumns, runManualActionColumns, type AuditRow, type RunFailureRow, type RunManualActionRow } from '../exports/dashboard-columns';
import { formatOf, sendTable } from '../exports/send-table';
import { personalDataView } from '../privacy/personal-data';
import { auditDetails } from '../views/audit-details';
import { auditModel } from '../views/audit-model';
import { openFailuresOf } from '../views/failures-model';
import { runModel } from '../views/run-model';
import { readableChange } from '../views/readable-change';

/** Tables of a run that can be downloaded. */
export const RUN_TABLES = ['report', 'failures', 'manual-actions', 'findings'] as const;
type RunTable = (typeof RUN_TABLES)[number];

const RUN_TABLE_NAMES: Record<RunTable, string> = { report: 'отчёт запуска', failures: 'недоставленные записи', 'manual-actions': 'ручные действия', findings: 'замечания' };

/** Report downloads (CSV for Russian Excel, XLSX); each download is audited. */
export function registerExportRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend } = deps;
  const audit = async (req: FastifyRequest, details: Record<string, unknown>, objectType: string, objectId?: string, schoolId?: string) =>
    backend.store.audit.append({ ...actorOf(req), action: 'export.download', objectType, ...(objectId ? { objectId } : {}), ...(schoolId ? { schoolId } : {}), details });

  app.get('/api/runs/:id/exports/:table', async (req, reply) => {
    const p = principalOf(req);
    const { id, table } = req.params as { id: string; table: string };
    if (!(RUN_TABLES as readonly string[]).includes(table)) throw new DashboardError(404, 'not_found', `Нет такой таблицы: ${table}. Есть: ${RUN_TABLES.join(', ')}`);
    const found = await findRun(backend.store, p, id);
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'run'));
    const run = found.value;
    const format = formatOf((req.query as { format?: string }).format);
    const view = personalDataView(p, run.schoolId);
    const t = table as RunTable;
    const base = { format, asciiName: `ejsync-${t}-${run.id}`, russianName: `${RUN_TABLE_NAMES[t]} ${run.id}`, sheet: RUN_TABLE_NAMES[t] };
    await audit(req, { table: t, format }, 'run', run.id, run.schoolId);
    if (t === 'report') {
      const people = await backend.peopleView(p, run.linkId, run.schoolId);
      const changes = await backend.store.changes.list(run.id);
      return sendTable(reply, { ...base, columns: RUN_CHANGE_COLUMNS, rows: changes.map((c) => readableChange(c, people, view)) });
    }
    const m = await runModel(backend, p, run, { findingsLimit: 100_000 });
    if (t === 'failures') {
      const rows: RunFailureRow[] = m.failures.flatMap((g) => g.changes.map((c) => ({ ...c, code: g.code, message: g.message, hint: g.hint })));
      return sendTable(reply, { ...base, columns: runFailureColumns(deps.timeZone), rows });
    }
    if (t === 'manual-actions') {
      const rows: RunManualActionRow[] = m.manual.flatMap((g) =>
        g.actions.map((a) => ({ entity: g.entity, op: '', sourceId: a.sourceId, title: g.title, fields: a.fields, reason: g.reason, status: a.status, doneBy: a.doneBy, doneAt: a.doneAt })),
      );
      return sendTable(reply, { ...base, columns: runManualActionColumns(deps.timeZone), rows });
    }
    return sendTable(reply, { ...base, columns: FINDING_COLUMNS, rows: m.findings });
  });

  app.get('/api/exports/failures', async (req, reply) => {
    const q = req.query as { format?: string; code?: string };
    const format = formatOf(q.format);
    const rows = await openFailuresOf(backend, principalOf(req), q.code || undefined);
    await audit(req, { table: 'failures', format, ...(q.code ? { code: q.code } : {}) }, 'failures');
    return sendTable(reply, { format, asciiName: 'ejsync-failures', russianName: q.code ? `недоставленные ${q.code}` : 'недоставленные записи', sheet: 'Недоставленные', columns: openFailureColumns(deps.timeZone), rows });
  });

  app.get('/api/exports/audit', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const format = formatOf(q.format);
    const m = await auditModel(backend, principalOf(req), { action: q.action, actor: q.actor, from: q.from, to: q.to, school: q.school, page: 1 }, 50_000);
    const rows: AuditRow[] = m.rows.map((r) => ({ ...r, schoolId: r.schoolId ? (m.schoolNames.get(r.schoolId) ?? r.schoolId) : null, details: auditDetails(r.details) }));
    await audit(req, { table: 'audit', format }, 'audit');
    return sendTable(reply, { format, asciiName: 'ejsync-audit', russianName: 'журнал действий', sheet: 'Журнал действий', columns: auditColumns(deps.timeZone), rows });
  });
}
