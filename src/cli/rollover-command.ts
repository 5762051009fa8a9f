import path from 'node:path';
import { readEnvironment } from '../config/environment';
import { loadLinkFile } from '../config/link-config';
import { loadYearCalendar } from '../config/year-calendar';
import { deliveryLaneOf } from '../queue/queue-names';
import { startRollover } from '../queue/run-pipeline/rollover-run';
import { EjsyncError } from '../model';
import { SecretBox } from '../store';
import { writeLinkYearArchive } from './archive-commands';
import type { CommandIo } from './command-runner';
import { followRun } from './follow-run';
import { requirePlatformToken } from './link-session';
import { openQueueSession } from './queue-session';
import { cliActor } from './run-commands';

export interface RolloverCommandOptions {
  link: string;
  /** `2027/2028`. */
  to: string;
  order: string;
  orderDate: string;
  /** The new year's calendar file (periods, holidays). */
  calendar: string;
  /** @defaultValue 'carry' */
  subgroups?: 'carry' | 'reset';
  /** @defaultValue 11 */
  finalGrade?: number;
  /** Where the closed year's archive is written before anything changes. @defaultValue `$EJSYNC_HOME/archives` */
  archiveTo?: string;
  json?: boolean;
  /** @defaultValue 120 */
  timeoutMinutes?: number;
}

/**
 * `ejsync rollover`: plans the link's school in the new academic year (classes promoted, the final
 * grade graduated, the new periods and holidays, the old year ended) as a run that is always held
 * for approval; prints the preview. Exit 0 when it waits for approval, 1 otherwise.
 */
export async function runRolloverCommand(opts: RolloverCommandOptions, io: CommandIo): Promise<number> {
  const link = loadLinkFile(opts.link);
  const calendar = loadYearCalendar(opts.calendar);
  if (calendar.name !== opts.to) throw new EjsyncError('config.invalid', { detail: `--to ${opts.to}, а календарь — на ${calendar.name}` });
  const say = (line: string) => (opts.json ? io.stderr : io.stdout).write(`${line}\n`);
  const session = await openQueueSession(io, { say });
  const { runtime } = session;
  try {
    await requirePlatformToken(runtime.ctx.store, link);
    const lane = deliveryLaneOf(link.target);
    await session.serve(lane);
    session.keepServing(lane);
    const actor = cliActor();
    // The closed year is archived (signed, verifiable) before anything of the new one is planned.
    const [first, second] = opts.to.split('/').map(Number);
    const closing = `${first - 1}/${second - 1}`;
    const archive = await writeLinkYearArchive(runtime.ctx.store, SecretBox.fromEnvironment(), link, closing, opts.archiveTo ?? path.join(readEnvironment().home, 'archives'), actor);
    say(`Архив ${closing} учебного года записан до перевода: ${archive.file} (файлов ${archive.manifest.files.length}; проверка — ejsync archive verify ФАЙЛ).`);
    const run = await startRollover(
      runtime.ctx.store,
      link,
      { to: opts.to, orderNumber: opts.order, orderDate: opts.orderDate, subgroups: opts.subgroups, finalGrade: opts.finalGrade, calendar },
      actor,
      (extra) => runtime.startRun(link, 'person', actor.actorName, extra),
    );
    say(`Перевод на ${opts.to} по приказу № ${opts.order} от ${opts.orderDate.split('-').reverse().join('.')}: запуск ${run.id} поставлен в очередь (связь ${link.id}).`);
    const settled = await followRun(runtime, run.id, io, { json: opts.json, say, timeoutMs: (opts.timeoutMinutes ?? 120) * 60_000 });
    if (settled.status !== 'held') return 1;
    say(`Перевод ждёт одобрения: проверьте план выше и одобрите — ejsync approve ${run.id} (или кнопка «Одобрить» в панели). Отменить применённый перевод: ejsync rollback ${run.id}.`);
    return 0;
  } finally {
    await session.close();
  }
}
