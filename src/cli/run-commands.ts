import os from 'node:os';
import { RUN_STATUSES, type Actor, type RunStatus } from '../store';
import { openRunActionContext } from '../queue/run-action-context';
import { SETTLED_RUN_STATUSES } from '../queue/pipeline-runtime';
import { approveRun, discardRun, retryFailed } from '../queue/run-pipeline/run-actions';
import { rollbackRun } from '../queue/run-pipeline/rollback-run';
import { requeuePlanJob } from '../queue/run-pipeline/requeue-run';
import { loadLink } from '../queue/run-pipeline/pipeline-context';
import { deliveryLaneOf } from '../queue/queue-names';
import { ENTITY_LABELS, isEjsyncError, type EntityCollection } from '../model';
import type { RunRecord } from '../store';
import type { CommandIo } from './command-runner';
import { runJson, runLine, runShowText } from './run-report';
import { runProgress } from './run-progress';
import { openQueueSession, type QueueSession } from './queue-session';
import { followRun } from './follow-run';

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
      const said = new Set<string>();
      try {
        while (!SETTLED.includes(run.status)) {
          for (const line of await whyWaiting(ctx, run)) {
            if (said.has(line)) continue;
            said.add(line);
            io.stderr.write(`${line}\n`);
          }
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

/**
 * Why a run that has not settled does not move, in Russian: it waits for another run of its link,
 * or no worker serves its queues. Nothing when it simply goes on, or Redis cannot be asked.
 */
async function whyWaiting(ctx: Awaited<ReturnType<typeof openRunActionContext>>, run: RunRecord): Promise<string[]> {
  const lines: string[] = [];
  if (run.status === 'planned' && run.summary.waitingFor) lines.push(`Запуск ждёт завершения запуска ${String(run.summary.waitingFor)} той же связи (одновременно по одной связи применяется один запуск).`);
  try {
    const link = await loadLink(ctx, run.linkId);
    const queue = run.status === 'applying' ? ctx.deliveryQueue(deliveryLaneOf(link.target)) : ctx.planQueue;
    if ((await queue.getWorkersCount()) === 0) {
      lines.push(`Запуск ждёт обработчика очереди: ни один обработчик (ejsync worker) не обслуживает ${run.status === 'applying' ? `доставку (${deliveryLaneOf(link.target)})` : 'планирование'}. Запустите «ejsync worker» — запуск продолжится сам.`);
    }
  } catch {
    // Redis unreachable or the link gone: the bar keeps showing the status.
  }
  return lines;
}

/**
 * After an action queued work for a run: when no `ejsync worker` serves its queues, a worker is
 * started here and the run followed to its end (exit 0 only when it succeeded); otherwise the
 * running workers take it and the person is told how to follow it.
 */
async function carryOn(session: QueueSession, run: RunRecord, io: CommandIo): Promise<number> {
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const lane = deliveryLaneOf((await loadLink(session.runtime.ctx, run.linkId)).target);
  if (!(await session.serve(lane))) {
    say(`Запуск ${run.id} выполнит работающий обработчик очереди (ejsync worker). Следить: ejsync run show ${run.id} --follow`);
    return 0;
  }
  session.keepServing(lane);
  const finished = await followRun(session.runtime, run.id, io, { say });
  return finished.status === 'succeeded' ? 0 : 1;
}

export async function runApprove(runId: string, opts: { reason?: string }, io: CommandIo): Promise<number> {
  const session = await openQueueSession(io, { say: (line) => io.stdout.write(`${line}\n`) });
  try {
    const run = await approveRun(session.runtime.ctx, runId, cliActor(), opts.reason);
    io.stdout.write(`Запуск ${run.id} одобрен: план пересчитывается по текущему состоянию выгрузки и платформы. Если он не изменился, изменения будут отправлены; если изменился, запуск снова будет ждать решения с перечнем отличий (ejsync run show ${run.id} --follow).\n`);
    return await carryOn(session, run, io);
  } finally {
    await session.close();
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
  const session = await openQueueSession(io, { say: (line) => io.stdout.write(`${line}\n`) });
  try {
    const result = await retryFailed(session.runtime.ctx, runId, cliActor(), { code: opts.code });
    if (!result.requeued && !result.planRequeued) {
      io.stdout.write('Недоставленных изменений нет — повторять нечего.\n');
      return 0;
    }
    const parts = [
      ...(result.failed ? [`недоставленных с ошибкой — ${result.failed}`] : []),
      ...(result.pending ? [`ожидавших доставки (их задания в очереди потеряны или не дошли до обработчика) — ${result.pending}`] : []),
      ...(result.planRequeued ? ['задание планирования запуска'] : []),
    ];
    io.stdout.write(`Повторно поставлено в очередь: ${parts.join('; ')}. Уже доставленное второй раз не отправляется.\n`);
    return await carryOn(session, result.run, io);
  } finally {
    await session.close();
  }
}

export async function runRollback(runId: string, io: CommandIo): Promise<number> {
  const session = await openQueueSession(io, { say: (line) => io.stdout.write(`${line}\n`) });
  const { ctx } = session.runtime;
  try {
    let started: RunRecord;
    try {
      const { run, notInvertible, waitingFor } = await rollbackRun(ctx, runId, cliActor());
      started = run;
      io.stdout.write(waitingFor ? `${waitingFor}.\nОткат запуска ${runId} (запуск ${run.id}) начнётся сам, когда тот запуск завершится.\n` : `Откат запуска ${runId} начат: запуск ${run.id}.\n`);
      if (notInvertible.length) {
        io.stdout.write(`Нельзя откатить автоматически (${notInvertible.length}) — верните вручную:\n`);
        for (const f of notInvertible) io.stdout.write(`  ${f.message}\n`);
      }
    } catch (error) {
      // Another run of the link applies: the rollback run is made and waits for the link.
      const waiting = isEjsyncError(error) && error.code === 'run.link_busy' ? await ctx.store.runs.rollbackOf(runId) : null;
      if (!waiting || waiting.status !== 'planned') throw error;
      await requeuePlanJob(ctx, waiting, 'wait');
      io.stdout.write(`${error instanceof Error ? error.message : ''}.\nОткат запуска ${runId} (запуск ${waiting.id}) начнётся сам, когда тот запуск завершится.\n`);
      started = waiting;
    }
    return await carryOn(session, started, io);
  } finally {
    await session.close();
  }
}
