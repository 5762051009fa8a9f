export { deliveryJobId } from '../../queue/run-pipeline/enqueue-phase';

/** The read-only queue board's page of that job. */
export function boardJobUrl(queueName: string, jobId: string): string {
  return `/queues/queue/${encodeURIComponent(queueName)}/${encodeURIComponent(jobId)}`;
}
