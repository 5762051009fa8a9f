import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Counters and latencies of runs and deliveries, exportable in Prometheus text format
 * (`/metrics` of the web server, or scraped from a worker). Labels carry platforms, outcomes
 * and error codes — never ids of people.
 */
export class PipelineMetrics {
  readonly registry = new Registry();
  readonly deliveries: Counter<'platform' | 'entity' | 'operation' | 'outcome' | 'code'>;
  readonly deliverySeconds: Histogram<'platform' | 'operation'>;
  readonly runs: Counter<'status' | 'kind'>;
  readonly planSeconds: Histogram<'outcome'>;
  readonly deliveryLagSeconds: Histogram<'lane'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'ejsync_process_' });
    this.deliveries = new Counter({
      name: 'ejsync_deliveries_total',
      help: 'Delivery attempts by platform, entity, operation, outcome and error code',
      labelNames: ['platform', 'entity', 'operation', 'outcome', 'code'],
      registers: [this.registry],
    });
    this.deliverySeconds = new Histogram({
      name: 'ejsync_delivery_duration_seconds',
      help: 'Time of one delivery attempt (platform request included)',
      labelNames: ['platform', 'operation'],
      buckets: [0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
      registers: [this.registry],
    });
    this.runs = new Counter({ name: 'ejsync_runs_finished_total', help: 'Runs by final status and kind', labelNames: ['status', 'kind'], registers: [this.registry] });
    this.planSeconds = new Histogram({
      name: 'ejsync_plan_duration_seconds',
      help: 'Time of one planning job (source and platform read, diff, staging) by the run status it left (applying, held, failed, cancelled, succeeded) or error',
      labelNames: ['outcome'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [this.registry],
    });
    this.deliveryLagSeconds = new Histogram({
      name: 'ejsync_delivery_lag_seconds',
      help: "Time from a delivery's enqueueing to the end of its delivery (waits for the lane, the school's limit and retries included), per lane",
      labelNames: ['lane'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400],
      registers: [this.registry],
    });
  }

  recordDelivery(platform: string, entity: string, operation: string, outcome: 'succeeded' | 'failed', code: string | null, seconds: number): void {
    this.deliveries.inc({ platform, entity, operation, outcome, code: code ?? '' });
    this.deliverySeconds.observe({ platform, operation }, seconds);
  }

  /** One planning job: the run status it left (`applying`, `held`, …) or `error`. */
  recordPlan(outcome: string, seconds: number): void {
    this.planSeconds.observe({ outcome }, seconds);
  }

  /** A delivery job ended (delivered, or failed for good) this long after it was queued. */
  recordDeliveryLag(lane: string, seconds: number): void {
    this.deliveryLagSeconds.observe({ lane }, seconds);
  }

  recordRun(status: string, kind: string): void {
    this.runs.inc({ status, kind });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
