import { ENTITY_LABELS, ENTITY_ORDER, type EntityCollection } from '../model';
import { RUN_STATUS_LABELS, type RunRecord } from '../store';

const OP_LABELS: Record<string, string> = { create: 'создать', update: 'изменить', archive: 'архивировать' };
const TRIGGER_LABELS: Record<string, string> = { schedule: 'по расписанию', person: 'вручную', api: 'через API', demo: 'демонстрация' };

/** What `--json` prints for a run: id, status, counts, writes. */
export function runJson(run: RunRecord) {
  return {
    id: run.id,
    linkId: run.linkId,
    schoolId: run.schoolId,
    kind: run.kind,
    status: run.status,
    trigger: run.trigger,
    environment: run.environment,
    writes: run.writes,
    counts: (run.summary as { plan?: unknown }).plan ?? {},
    delivered: (run.summary as { delivered?: unknown }).delivered ?? {},
    heldReasons: run.heldReasons,
    errorCode: run.errorCode,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** One line per run, Russian. */
export function runLine(run: RunRecord): string {
  const when = run.createdAt.toISOString().replace('T', ' ').slice(0, 16);
  return `${run.id}  ${when} UTC  ${RUN_STATUS_LABELS[run.status].padEnd(24)}  ${run.linkId}  ${TRIGGER_LABELS[run.trigger] ?? run.trigger}  записей на платформу: ${run.writes}`;
}

/** The plan table of a run: per entity, create / update / archive / unchanged / manual / findings. */
export function planTable(run: RunRecord): string {
  const plan = ((run.summary as { plan?: Record<string, Record<string, number>> }).plan ?? {}) as Record<string, Record<string, number>>;
  const order = (e: string) => (ENTITY_ORDER.indexOf(e as EntityCollection) + 100) % 100;
  const rows = Object.entries(plan)
    .filter(([, c]) => Object.values(c).some((n) => n > 0))
    .sort(([a], [b]) => order(a) - order(b));
  if (!rows.length) return '(план пуст)';
  const head = `${'Вид записей'.padEnd(30)} ${'создать'.padStart(8)} ${'изменить'.padStart(9)} ${'архив'.padStart(6)} ${'без изм.'.padStart(9)} ${'вручную'.padStart(8)} ${'замечания'.padStart(10)}`;
  const lines = rows.map(([entity, c]) =>
    `${(ENTITY_LABELS[entity as EntityCollection] ?? entity).padEnd(30)} ${String(c.create ?? 0).padStart(8)} ${String(c.update ?? 0).padStart(9)} ${String(c.archive ?? 0).padStart(6)} ${String(c.unchanged ?? 0).padStart(9)} ${String(c.manual ?? 0).padStart(8)} ${String(c.findings ?? 0).padStart(10)}`,
  );
  return [head, ...lines].join('\n');
}

export function opLabel(op: string): string {
  return OP_LABELS[op] ?? op;
}
