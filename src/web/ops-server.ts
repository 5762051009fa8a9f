import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** One readiness check (PostgreSQL answers, Redis answers): resolves when ready, rejects otherwise. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface OpsServerOptions {
  /** Checks of `/readyz`; each is cut off after `checkTimeoutMs`. */
  checks: ReadinessCheck[];
  /** Registry served at `/metrics`; no `/metrics` route without it. */
  registry?: Registry;
  /** @defaultValue 2000 */
  checkTimeoutMs?: number;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  ms: number;
  /** The error's code or name when not ok (never its message: it may name a host or a user). */
  error?: string;
}

async function runCheck(c: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), timeoutMs))),
    ]);
    return { name: c.name, ok: true, ms: Date.now() - started };
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    return { name: c.name, ok: false, ms: Date.now() - started, error: typeof code === 'string' ? code : ((error as Error)?.name ?? 'Error') };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The operator's endpoints of a process (worker or dashboard): `/healthz` (the process answers,
 * no I/O), `/readyz` (every check answers in time; 503 with per-check status otherwise) and
 * `/metrics` (Prometheus text). No request logging: these are polled every few seconds.
 */
export function buildOpsServer(options: OpsServerOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const timeoutMs = options.checkTimeoutMs ?? 2000;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await Promise.all(options.checks.map((c) => runCheck(c, timeoutMs)));
    const ready = checks.every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
  const registry = options.registry;
  if (registry) {
    app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  }
  return app;
}
