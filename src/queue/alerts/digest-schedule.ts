import type { Queue } from 'bullmq';
import type { DigestConfig } from '../../config/alerts-config';

/** The alerts queue's job scheduler of the daily digest. */
export const DIGEST_SCHEDULER_ID = 'daily-digest';
/** Job name of digest runs on the alerts queue (the alert deliveries are `alert`). */
export const DIGEST_JOB = 'daily-digest';

/**
 * Makes the alerts queue's digest scheduler match the configuration: one at `cron` in `timeZone`,
 * or none when the digest is not configured. Idempotent (upsert), so every worker may call it at
 * start-up. Returns whether a digest is scheduled.
 */
export async function syncDigestSchedule(queue: Queue, digest: DigestConfig | undefined): Promise<boolean> {
  if (!digest) {
    await queue.removeJobScheduler(DIGEST_SCHEDULER_ID);
    return false;
  }
  await queue.upsertJobScheduler(
    DIGEST_SCHEDULER_ID,
    { pattern: digest.cron.trim(), tz: digest.timeZone },
    { name: DIGEST_JOB, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 5000, jitter: 0.3 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } } },
  );
  return true;
}
