import os from 'node:os';
import { RUN_STATUSES, type Actor, type RunStatus } from '../store';
import { openRunActionContext } from '../queue/run-action-context';
import { approveRun, discardRun, retryFailed } from '../queue/run-pipeline/run-actions';
import { rollbackRun } from '../queue/run-pipeline/rollback-run';
import { ENTITY_LABELS, type EntityCollection } from '../model';
import type { CommandIo } from './command-runner';
import { opLabel, planTable, runJson, runLine } from './run-report';

/** The CLI acts as the operating-system user (the dashboard records the ЕСИА identity). */
export function cliActor(): Actor {
  return { actorOid: 'cli', actorName: `командная строка (${os.userInfo().username})` };
}

export async function runRuns(opts: { link?: string; status?: string; limit?: string; json?: boolean }, io: CommandIo): Promise<number> {
  if (opts.status && !RUN_STATUSES.includes(opts.status as RunStatus)) {
    io.stderr.write(`Неизвестное состояние «${opts.status}». Допустимо: ${RUN_STATUSES.join(', ')}\n`);
    return 2;
  }
  const ctx = await openRunActionContext();
  try {
    const runs = await ctx.store.runs.list({ linkId: opts.link, status: opts.status as RunStatus | undefined, limit: Number(opts.limit ?? 20) });
    if (opts.json) io.stdout.write(`${JSON.stringify({ runs: runs.map(runJson) })}\n`);
    else if (!runs.length) io.stdout.write('Запусков пока нет.\n');
    else io.stdout.write(`${runs.map(runLine).join('\n')}\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

export async function runShow(runId: string, opts: { json?: boolean }, io: CommandIo): Promise<number> {
  const ctx = await openRunActionContext();
  try {
    const run = await ctx.store.runs.require(runId);
    const findings = await ctx.store.findings.forRun(runId, 200);
    const failed = await ctx.store.changes.list(runId, { status: 'failed', limit: 200 });
    const manual = await ctx.store.manualActions.forRun(runId);
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ ...runJson(run), findings, failed: failed.map((c) => ({ changeId: c.changeId, entity: c.entity, op: c.op, sourceId: c.sourceId, code: c.lastErrorCode, attempts: c.attempts })), manualActions: manual })}\n`);
      return 0;
    }
    io.stdout.write(`${runLine(run)}\nПлатформа: ${run.environment === 'emulator' ? 'эмулятор (песочница)' : 'рабочая платформа'}${run.targetUrl ? ` ${run.targetUrl}` : ''}\n\n${planTable(run)}\n`);
    if (failed.length) {
      io.stdout.write(`\nНе доставлено (${failed.length}):\n`);
      for (const c of failed) io.stdout.write(`  ${ENTITY_LABELS[c.entity as EntityCollection] ?? c.entity}: ${opLabel(c.op)} ${c.sourceId} — ${c.lastErrorCode} (попыток: ${c.attempts})\n`);
    }
    if (manual.length) io.stdout.write(`\nРучных действий: ${manual.length} (подробности: ejsync run show ${run.id} --json или панель администратора)\n`);
    if (findings.length) {
      const byCode = new Map<string, { n: number; message: string; hint: string }>();
      for (const f of findings) {
        const e = byCode.get(f.code) ?? { n: 0, message: f.message, hint: f.hint };
        e.n++;
        byCode.set(f.code, e);
      }
      io.stdout.write('\nЗамечания:\n');
      for (const [code, e] of byCode) io.stdout.write(`  [${code}] ×${e.n}: ${e.message}\n    Что делать: ${e.hint}\n`);
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

export async function runApprove(runId: string, opts: { reason?: string }, io: CommandIo): Promise<number> {
  const ctx = await openRunActionContext();
  try {
    const run = await approveRun(ctx, runId, cliActor(), opts.reason);
    io.stdout.write(`Запуск ${run.id} одобрен и передан на доставку.\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

export async function runDiscard(runId: string, opts: { reason?: string }, io: CommandIo): Promise<number> {
  const ctx = await openRunActionContext();
  try {
    const run = await discardRun(ctx, runId, cliActor(), opts.reason);
    io.stdout.write(`Запуск ${run.id} отклонён: на платформу ничего не отправлено.\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

export async function runRetry(runId: string, opts: { code?: string }, io: CommandIo): Promise<number> {
  const ctx = await openRunActionContext();
  try {
    const { requeued } = await retryFailed(ctx, runId, cliActor(), { code: opts.code });
    io.stdout.write(requeued ? `Повторно поставлено в очередь: ${requeued}.\n` : 'Недоставленных изменений нет — повторять нечего.\n');
    return 0;
  } finally {
    await ctx.close();
  }
}

export async function runRollback(runId: string, io: CommandIo): Promise<number> {
  const ctx = await openRunActionContext();
  try {
    const { run, notInvertible } = await rollbackRun(ctx, runId, cliActor());
    io.stdout.write(`Откат запуска ${runId} начат: запуск ${run.id}.\n`);
    if (notInvertible.length) {
      io.stdout.write(`Нельзя откатить автоматически (${notInvertible.length}) — верните вручную:\n`);
      for (const f of notInvertible) io.stdout.write(`  ${f.message}\n`);
    }
    return 0;
  } finally {
    await ctx.close();
  }
}
