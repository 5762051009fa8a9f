import http from 'node:http';
import { readEnvironment } from '../../../src/config/environment';
import { startCliStand, type CliProcess, type CliStand } from '../../helpers/cli-stand';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

/** A stand-in OpenTelemetry collector: keeps the spans POSTed to /v1/traces (OTLP/HTTP JSON). */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; services: string[]; raw: unknown[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const raw: unknown[] = [];
  const services: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const text = Buffer.concat(chunks).toString('utf8');
        raw.push(text);
        const body = JSON.parse(text) as {
          resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const rs of body.resourceSpans) {
          services.push(rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '');
          for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v1/traces`, spans, services, raw, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Issue 14 (5): optional OpenTelemetry traces through BullMQ's telemetry interface (bullmq-otel).
 * Built CLI processes (the exporter loads `http` with a dynamic import, which Jest's module sandbox
 * refuses): `ejsync sync` adds the plan job, `ejsync worker` plans and delivers, both with EJSYNC_OTEL=1.
 */
describe('queue traces (EJSYNC_OTEL=1; built CLI, real Redis, PostgreSQL and an OTLP/HTTP receiver)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let stand: CliStand;
  let worker: CliProcess | undefined;

  beforeAll(async () => {
    collector = await startCollector();
    stand = await startCliStand({ pupils: 3, seed: 'otel', env: { EJSYNC_OTEL: '1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'ejsync-test' } });
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    if (worker) await worker.exited;
    await stand?.close();
    await collector?.close();
  });

  it('is off unless EJSYNC_OTEL=1; a wrong value names the variable', () => {
    expect(readEnvironment({}).otel).toBe(false);
    expect(readEnvironment({ EJSYNC_OTEL: '1' }).otel).toBe(true);
    expect(() => readEnvironment({ EJSYNC_OTEL: 'yes' })).toThrow(/EJSYNC_OTEL/);
  });

  it('a sync makes one trace: the plan job added by sync, processed by the worker, the deliveries it queued', async () => {
    worker = await stand.startWorker(['--no-schedules']);
    const sync = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    expect(sync.code).toBe(0);
    // The worker sends its spans as it stops (and every few seconds before).
    worker.child.kill('SIGTERM');
    await worker.exited;
    worker = undefined;

    const planAdded = collector.spans.find((s) => s.kind === 4 && s.name.includes('plan')); // PRODUCER
    const planProcessed = collector.spans.find((s) => s.kind === 5 && s.name.includes('plan')); // CONSUMER
    expect(planAdded).toBeDefined();
    expect(planProcessed).toBeDefined();
    expect(planProcessed!.traceId).toBe(planAdded!.traceId);
    // The deliveries the plan queued belong to the same trace.
    const deliveries = collector.spans.filter((s) => s.traceId === planAdded!.traceId && s.name.includes(stand.lane));
    expect(deliveries.filter((s) => s.kind === 5).length).toBeGreaterThan(0);
    expect(new Set(collector.services)).toEqual(new Set(['ejsync-test']));
    // Ids only: nothing of the school's people in any span.
    const text = JSON.stringify(collector.raw);
    for (const pupil of stand.source.pupils) expect(text).not.toContain(pupil.lastName);
  }, 120_000);
});
