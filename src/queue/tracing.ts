import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';

/** Traces of this process's queues, when asked for (`EJSYNC_OTEL=1`). */
export interface QueueTracing {
  /** Handed to every BullMQ queue and worker (`telemetry` option). */
  telemetry: Telemetry;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

export interface QueueTracingOptions {
  /** `service.name` of the spans. @defaultValue `OTEL_SERVICE_NAME`, else `ejsync` */
  serviceName?: string;
  /**
   * Where spans go. @defaultValue OTLP over HTTP (JSON) to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else `http://localhost:4318/v1/traces`
   */
  exporter?: SpanExporter;
}

/**
 * OpenTelemetry traces through BullMQ's telemetry interface (`bullmq-otel`): a span for each job
 * added (producer) and each job processed (consumer), the processing span a child of the adding
 * one across processes (the context rides in the job's options) — a run's plan job and the
 * delivery jobs it queues make one trace. Spans carry queue names, job names and job ids (ids
 * only: job payloads are ids). Registers the process's global tracer provider: call once.
 */
export function startQueueTracing(options: QueueTracingOptions = {}): QueueTracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? 'ejsync' }),
    spanProcessors: [new BatchSpanProcessor(options.exporter ?? new OTLPTraceExporter())],
  });
  provider.register();
  return {
    telemetry: new BullMQOtel({ tracerName: 'ejsync' }),
    shutdown: () => provider.shutdown(),
  };
}
