import { readEnvironment, storeOptionsOf } from '../config/environment';
import { ENTITY_LABELS, EjsyncError, type EntityCollection } from '../model';
import { openStore, type ManualActionStatus, type WorklistItem } from '../store';
import type { CommandIo } from './command-runner';
import { resolveLink } from './resolve-link';
import { cliActor } from './run-commands';

const STATUS_WORDS: Record<ManualActionStatus, string> = { open: 'открыто', done: 'отмечено выполненным', resolved: 'выполнено (видно на платформе)' };

/** A manual action open this many days is flagged. @defaultValue 7 */
export const DEFAULT_OVERDUE_DAYS = 7;

const day = (d: Date) => d.toISOString().slice(0, 10).split('-').reverse().join('.');

function itemText(a: WorklistItem, now: Date, overdueDays: number): string {
  const days = Math.floor((now.getTime() - a.firstSeenAt.getTime()) / 86_400_000);
  const flag = a.status === 'open' && days >= overdueDays ? ` — ОТКРЫТО ${days} дн.` : '';
  const lines = [`[${STATUS_WORDS[a.status]}${flag}] ${a.title}`, `    ${ENTITY_LABELS[a.entity as EntityCollection] ?? a.entity}; код действия ${a.actionId}; впервые ${day(a.firstSeenAt)}, последний запуск ${a.lastRunId} (${day(a.lastSeenAt)})`];
  if (a.doneBy) lines.push(`    отметил(а) выполненным: ${a.doneBy.name}, ${day(a.doneBy.at)}`);
  for (const f of a.fields) lines.push(`    ${f.label}: ${f.value}${f.previous !== undefined ? ` (сейчас: ${f.previous})` : ''}`);
  if (a.redacted) lines.push('    (персональные данные удалены при переходе на шифрование; следующий запуск заполнит их снова)');
  return lines.join('\n');
}

/**
 * `ejsync worklist --link L [--status open|done|resolved|all] [--overdue-days N] [--json]`: the
 * link's manual actions across runs — each once, with its state, since when, and the data to
 * enter (names included: the key of this installation opens them). Exit 0; 1 when actions are
 * open longer than N days.
 */
export async function runWorklist(opts: { link: string; status?: string; overdueDays?: string; json?: boolean }, io: CommandIo): Promise<number> {
  const store = await openStore(storeOptionsOf(readEnvironment()));
  try {
    const link = await resolveLink(store, opts.link);
    const status = opts.status ?? 'open';
    const statuses: ManualActionStatus[] | undefined = status === 'all' ? undefined : [status as ManualActionStatus];
    if (statuses && !(['open', 'done', 'resolved'] as string[]).includes(status)) {
      io.stderr.write(`Неизвестное состояние «${status}». Допустимо: open, done, resolved, all\n`);
      return 2;
    }
    const overdueDays = opts.overdueDays !== undefined ? Number(opts.overdueDays) : DEFAULT_OVERDUE_DAYS;
    const now = new Date();
    const { rows, total } = await store.manualActions.worklist({ linkIds: [link.id], statuses, limit: 100_000 });
    const overdue = rows.filter((a) => a.status === 'open' && now.getTime() - a.firstSeenAt.getTime() >= overdueDays * 86_400_000);
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ link: link.id, total, overdue: overdue.length, overdueDays, actions: rows }, null, 2)}\n`);
      return overdue.length ? 1 : 0;
    }
    io.stdout.write(`Связь: ${link.name} (${link.id})\nРучные действия (${status === 'all' ? 'все' : STATUS_WORDS[status as ManualActionStatus]}): ${total}${overdue.length ? `; открыты дольше ${overdueDays} дн.: ${overdue.length}` : ''}\n\n`);
    io.stdout.write(rows.length ? `${rows.map((a) => itemText(a, now, overdueDays)).join('\n\n')}\n` : 'Нет.\n');
    return overdue.length ? 1 : 0;
  } finally {
    await store.close();
  }
}

/** The roster a merge is checked against: the people the latest plan read from the МИС and the platform. */
interface RosterPeople {
  pupils: Record<string, unknown>;
  staff: Record<string, unknown>;
  guardians: Record<string, unknown>;
  platform: Record<string, { entity: string }>;
}

/**
 * `ejsync identity link --link L --entity pupils --source МИС-ID --target PLATFORM-ID --reason T`:
 * links a МИС person to the platform person by hand (audited with the links before and after).
 */
export async function runIdentityLink(opts: { link: string; entity: string; source: string; target: string; reason: string }, io: CommandIo): Promise<number> {
  const store = await openStore(storeOptionsOf(readEnvironment()));
  try {
    const link = await resolveLink(store, opts.link);
    const roster = (await store.rosters.get<RosterPeople>(link.id))?.roster;
    const entity = opts.entity as 'pupils' | 'staff' | 'guardians';
    if (roster && ['pupils', 'staff', 'guardians'].includes(entity)) {
      if (!roster[entity][opts.source]) throw new EjsyncError('identity.person_unknown', { detail: `в МИС нет записи «${opts.source}» (${ENTITY_LABELS[entity]})` });
      const onPlatform = roster.platform[opts.target];
      if (!onPlatform || onPlatform.entity !== entity) throw new EjsyncError('identity.person_unknown', { detail: `на платформе нет записи «${opts.target}» (${ENTITY_LABELS[entity]})` });
    }
    const outcome = await store.identityMerges.link({ linkId: link.id, schoolId: link.school.sourceId, entity, sourceId: opts.source, targetId: opts.target, reason: opts.reason }, cliActor());
    if (!outcome.changed) {
      io.stdout.write(`Записи уже связаны: ${opts.source} → ${opts.target}.\n`);
      return 0;
    }
    io.stdout.write(
      `Связано: запись МИС ${opts.source} → запись платформы ${opts.target}.${outcome.before.targetId ? ` Прежняя связь: ${outcome.before.targetId}.` : ''}${outcome.before.sourceOfTarget ? ` Запись платформы была связана с ${outcome.before.sourceOfTarget} — эта связь снята.` : ''}\nСледующая синхронизация сверит эти записи; записано в журнал действий.\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
