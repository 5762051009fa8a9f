import { ENTITY_LABELS, ENTITY_ORDER, type EntityCollection } from '../model';
import { RUN_STATUS_LABELS, type RunRecord, type Store } from '../store';

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
    sourceExport: (run.summary as { sourceExport?: unknown }).sourceExport ?? null,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** Which export the run planned from: a kept (uploaded) one with its hash, or the link's path. */
function sourceExportLines(run: RunRecord): string[] {
  const e = (run.summary as { sourceExport?: { sha256: string; receivedAt: string; size: number; fileName: string } }).sourceExport;
  if (!e) return [];
  const mib = (e.size / 1024 / 1024).toFixed(e.size < 1024 * 1024 ? 3 : 1);
  return [`Выгрузка МИС: загруженная ${e.receivedAt.replace('T', ' ').slice(0, 19)} UTC, ${e.fileName}, ${mib} МиБ, SHA-256 ${e.sha256}`];
}

/** One line per run, Russian. */
export function runLine(run: RunRecord): string {
  const when = run.createdAt.toISOString().replace('T', ' ').slice(0, 16);
  return `${run.id}  ${when} UTC  ${RUN_STATUS_LABELS[run.status].padEnd(24)}  ${run.linkId}  ${TRIGGER_LABELS[run.trigger] ?? run.trigger}  записей на платформу: ${run.writes}`;
}

/** The plan table of a run: per entity, create / update / archive / unchanged / manual / findings. */
export function planTable(run: RunRecord): string {
  return planCountsTable(((run.summary as { plan?: Record<string, Record<string, number>> }).plan ?? {}) as Record<string, Record<string, number>>);
}

type PlanCounts = Partial<Record<'create' | 'update' | 'archive' | 'unchanged' | 'manual' | 'findings', number>>;

/** The plan table of per-entity counts (a run's summary, or a plan not yet run). */
export function planCountsTable(plan: Readonly<Record<string, Readonly<PlanCounts>>>): string {
  const order = (e: string) => (ENTITY_ORDER.indexOf(e as EntityCollection) + 100) % 100;
  const rows = Object.entries(plan)
    .filter(([, c]) => Object.values(c).some((n) => (n ?? 0) > 0))
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

/** The Russian report of a run: status line, platform, plan table, failed deliveries, manual actions, findings by code. */
export async function runShowText(store: Store, run: RunRecord): Promise<string> {
  const findings = await store.findings.forRun(run.id, 200);
  const failed = await store.changes.list(run.id, { status: 'failed', limit: 200 });
  const manual = await store.manualActions.forRun(run.id);
  const lines = [
    runLine(run),
    `Платформа: ${run.environment === 'emulator' ? 'эмулятор (песочница)' : 'рабочая платформа'}${run.targetUrl ? ` ${run.targetUrl}` : ''}`,
    ...sourceExportLines(run),
    '',
    planTable(run),
  ];
  if (run.heldReasons.length) {
    lines.push('', run.status === 'cancelled' ? 'Почему запуск отменён:' : 'Почему запуск задержан:');
    for (const r of run.heldReasons as { code: string; message: string; hint: string }[]) lines.push(`  [${r.code}] ${r.message}`, `    Что делать: ${r.hint}`);
  }
  if (failed.length) {
    lines.push('', `Не доставлено (${failed.length}):`);
    for (const c of failed) lines.push(`  ${ENTITY_LABELS[c.entity as EntityCollection] ?? c.entity}: ${opLabel(c.op)} ${c.sourceId} — ${c.lastErrorCode} (попыток: ${c.attempts})`);
    lines.push(`  Повторить: ejsync retry ${run.id}`);
  }
  const later = await store.deliveries.acceptedForLater(run.id);
  if (later.length) {
    lines.push('', 'Принято платформой, вступит в силу позже (час отсечки):');
    for (const l of later) lines.push(`  ${l.n} зап. — в силе с ${l.effectiveFrom}`);
  }
  if (manual.length) lines.push('', `Ручных действий: ${manual.length} (подробности: ejsync run show ${run.id} --json или панель администратора)`);
  if (findings.length) {
    const byCode = new Map<string, { n: number; message: string; hint: string }>();
    for (const f of findings) {
      const e = byCode.get(f.code) ?? { n: 0, message: f.message, hint: f.hint };
      e.n++;
      byCode.set(f.code, e);
    }
    lines.push('', 'Замечания:');
    for (const [code, e] of byCode) lines.push(`  [${code}] ×${e.n}: ${e.message}`, `    Что делать: ${e.hint}`);
  }
  return `${lines.join('\n')}\n`;
}
