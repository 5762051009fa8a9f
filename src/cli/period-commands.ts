import { readEnvironment, storeOptionsOf } from '../config/environment';
import type { LinkConfig } from '../config/link-config';
import { readSource } from '../connectors/read-source';
import { EjsyncError, type ReportingPeriod } from '../model';
import { russianDate } from '../reconcile/russian-labels';
import { openStore, type Store } from '../store';
import type { CommandIo } from './command-runner';
import { resolveLink } from './resolve-link';
import { cliActor } from './run-commands';

/** The export's periods: a period to close must be one the school's МИС knows. */
async function periodsOf(link: LinkConfig): Promise<ReportingPeriod[]> {
  const read = await readSource(link.source.path);
  if (!read.snapshot) throw new EjsyncError('delivery.source_unreadable', { detail: link.source.path });
  return read.snapshot.periods;
}

const describe = (p: ReportingPeriod) => `«${p.name}» (${russianDate(p.startDate)}–${russianDate(p.endDate)}, классы ${p.grades.join(', ')})`;

async function withStore<T>(body: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(storeOptionsOf(readEnvironment()));
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** `ejsync period close|reopen --link L --period P --reason T`. */
export async function runPeriodChange(action: 'close' | 'reopen', opts: { link: string; period: string; reason: string }, io: CommandIo): Promise<number> {
  return withStore(async (store) => {
    const link = await resolveLink(store, opts.link);
    const period = (await periodsOf(link)).find((p) => p.sourceId === opts.period);
    if (!period) throw new EjsyncError('period.unknown', { detail: `«${opts.period}» в выгрузке связи ${link.id}` });
    const actor = cliActor();
    if (action === 'close') {
      const done = await store.periodLocks.close(link.id, period.sourceId, opts.reason, actor, link.school.sourceId);
      io.stdout.write(done ? `Период ${describe(period)} закрыт в ejsync: отметки и посещаемость в нём больше не передаются.\n` : `Период ${describe(period)} уже закрыт в ejsync.\n`);
      return 0;
    }
    const done = await store.periodLocks.reopen(link.id, period.sourceId, opts.reason, actor, link.school.sourceId);
    if (!done) {
      io.stdout.write(`Период ${describe(period)} не был закрыт в ejsync.\n`);
      return 1;
    }
    io.stdout.write(`Период ${describe(period)} открыт в ejsync.${period.closed ? ' Внимание: в выгрузке МИС он по-прежнему закрыт — изменения в нём не передаются, пока его не откроют в МИС.' : ''}\n`);
    return 0;
  });
}

/** `ejsync period list --link L`: the export's periods and who closed them. */
export async function runPeriodList(opts: { link: string; json?: boolean }, io: CommandIo): Promise<number> {
  return withStore(async (store) => {
    const link = await resolveLink(store, opts.link);
    const locks = new Map((await store.periodLocks.forLink(link.id)).map((l) => [l.periodId, l]));
    const periods = await periodsOf(link);
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ periods: periods.map((p) => ({ ...p, lockedInEjsync: locks.get(p.sourceId) ?? null })) })}\n`);
      return 0;
    }
    for (const p of periods) {
      const lock = locks.get(p.sourceId);
      const state = lock ? `закрыт в ejsync ${lock.closedAt.toLocaleString('ru-RU')} (${lock.closedByName}: ${lock.reason})` : p.closed ? 'закрыт в МИС' : 'открыт';
      io.stdout.write(`${p.sourceId}  ${describe(p)} — ${state}\n`);
    }
    return 0;
  });
}
