import os from 'node:os';
import { RUN_STATUSES, type Actor, type RunStatus } from '../store';
import { openRunActionContext } from '../queue/run-action-context';
import { SETTLED_RUN_STATUSES } from '../queue/pipeline-runtime';
import { approveRun, discardRun, retryFailed } from '../queue/run-pipeline/run-actions';
import { rollbackRun } from '../queue/run-pipeline/rollback-run';
import { ENTITY_LABELS, type EntityCollection } from '../model';
import type { CommandIo } from './command-runner';
import { runJson, runLine, runShowText } from './run-report';
import { runProgress } from './run-progress';

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

const SETTLED: readonly string[] = SETTLED_RUN_STATUSES;

export async function runShow(runId: string, opts: { json?: boolean; follow?: boolean }, io: CommandIo): Promise<number> {
  const ctx = await openRunActionContext();
  try {
    let run = await ctx.store.runs.require(runId);
    if (opts.follow && !SETTLED.includes(run.status)) {
      // A live bar of deliveries while the run applies, then the report.
      const progress = runProgress(ctx.store, io);
      try {
        while (!SETTLED.includes(run.status)) {
          await progress.update(run);
          await new Promise((r) => setTimeout(r, 500));
          run = await ctx.store.runs.require(runId);
        }
      } finally {
        progress.stop();
      }
    }
    const findings = await ctx.store.findings.forRun(runId, 200);
    const failed = await ctx.store.changes.list(runId, { status: 'failed', limit: 200 });
    const manual = await ctx.store.manualActions.forRun(runId);
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ ...runJson(run), findings, failed: failed.map((c) => ({ changeId: c.changeId, entity: c.entity, op: c.op, sourceId: c.sourceId, code: c.lastErrorCode, attempts: c.attempts })), manualActions: manual })}\n`);
      return 0;
    }
    io.stdout.write(await runShowText(ctx.store, run));
    return 0;
  } finally {
    await ctx.close();
  }
}

export async function runApprove(runId: string, opts: { reason?: string }, io: CommandIo): Promise<number> {
  const ctx = await openRunActionContext();
  try {
    const run = await approveRun(ctx, runId, cliActor(), opts.reason);
    io.stdout.write(`Запуск ${run.id} одобрен: план пересчитывается по текущему состоянию выгрузки и платформы. Если он не изменился, изменения будут отправлены; если изменился, запуск снова будет ждать решения с перечнем отличий (ejsync run show ${run.id} --follow).\n`);
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
