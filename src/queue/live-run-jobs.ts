import type { Queue } from 'bullmq';

/** Job states in which a job will still run: it keeps its run alive. */
const LIVE_STATES = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * The runs that have a live job (waiting, active, delayed, prioritized) in any of the queues.
 * Reads job ids only — every job of a run carries the run id as a dot-separated part of its id
 * (`plan.<run>`, `replan.<run>.<n>`, `<run>.<change>.g<n>`) — so a lane of many thousand jobs
 * costs one round trip and no job data.
 */
export async function runsWithLiveJobs(queues: readonly Queue[], runIds: Iterable<string>): Promise<Set<string>> {
  const wanted = new Set(runIds);
  const live = new Set<string>();
  for (const queue of queues) {
    for (const jobId of await queue.getRanges([...LIVE_STATES], 0, -1)) {
      for (const part of jobId.split('.').slice(0, 2)) if (wanted.has(part)) live.add(part);
    }
  }
  return live;
}

/** Of these job ids, those the queue still keeps as completed or failed (a re-add with that id would be a no-op). */
export async function finishedJobIds(queue: Queue, jobIds: readonly string[]): Promise<string[]> {
  if (!jobIds.length) return [];
  const finished = new Set(await queue.getRanges(['completed', 'failed'], 0, -1));
  return jobIds.filter((id) => finished.has(id));
}
