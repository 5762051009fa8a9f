import type { Queue } from 'bullmq';
import { toSafeKeyPart } from '../model';

/** What the scheduler needs to know of a link. */
export interface ScheduledLink {
  id: string;
  /** Cron (5 or 6 fields) in the school's zone. */
  cron: string;
  timeZone: string;
  /** Paused links and disabled schedules get no scheduler. */
  active: boolean;
}

/** Job name of scheduled runs on the planning queue. */
export const SCHEDULED_RUN_JOB = 'scheduled-run';

export function schedulerId(linkId: string): string {
  return `nightly.${toSafeKeyPart(linkId)}`;
}

/**
 * Makes the planning queue's job schedulers match the links: one per active link, at its cron in
 * the school's IANA zone; removed or paused links lose theirs. Idempotent (upsert), so every
 * process may call it at start-up. Returns what changed.
 */
export async function syncLinkSchedules(queue: Queue, links: readonly ScheduledLink[]): Promise<{ upserted: string[]; removed: string[] }> {
  const wanted = new Map(links.filter((l) => l.active).map((l) => [schedulerId(l.id), l]));
  const upserted: string[] = [];
  for (const [id, link] of wanted) {
    await queue.upsertJobScheduler(
      id,
      { pattern: link.cron, tz: link.timeZone },
      { name: SCHEDULED_RUN_JOB, data: { linkId: link.id }, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } } },
    );
    upserted.push(id);
  }
  const removed: string[] = [];
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const id = scheduler.key ?? scheduler.id;
    if (id && id.startsWith('nightly.') && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed.push(id);
    }
  }
  return { upserted, removed };
}
