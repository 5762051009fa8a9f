import { demoWindowDays } from '../../src/connectors/demo-school';
import { DEFAULT_INTAKE_MAX_BYTES } from '../../src/config/intake-config';
import { registerExportIntakeRoutes } from '../../src/web/intake/export-intake-routes';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { LinkConfig } from '../../src/config/link-config';
import { loadDnevnikPlatform } from '../../src/config/platform-config';
import { deliveryQueueName, PLAN_QUEUE } from '../../src/queue/queue-names';
import type { PipelineContext } from '../../src/queue/run-pipeline/pipeline-context';
import { startRun } from '../../src/queue/run-pipeline/start-run';
import type { Store } from '../../src/store';
import type { Principal } from '../../src/web/auth/roles';
import { SessionManager } from '../../src/web/auth/sessions';
import { storePrincipals } from '../../src/web/auth/store-principals';
import { storeSessions } from '../../src/web/auth/store-sessions';
import { registerDashboard } from '../../src/web/dashboard';
import { DashboardBackend } from '../../src/web/dashboard-backend';
import { buildWebServer } from '../../src/web/server';
import { freshStore } from './database';
import { REDIS_URL, redisTestContext } from './redis';

/**
 * The dashboard over a real PostgreSQL store (own schema) and real Redis queues (own prefix),
 * without workers: runs are seeded straight into the store. Sessions are made directly.
 */
export async function startDashboardStand() {
  const { store, cleanup: cleanupStore } = await freshStore('postgres');
  const redis = await redisTestContext();
  const connection = { url: REDIS_URL };
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection, prefix: redis.prefix }));
    return queues.get(name)!;
  };
  const ctx = { store, planQueue: queue(PLAN_QUEUE), deliveryQueue: (lane: string) => queue(deliveryQueueName(lane)) };
  const platformConfig = loadDnevnikPlatform();
  const backend = new DashboardBackend({
    ctx,
    platformConfig,
    startRun: (link: LinkConfig, trigger, by) => startRun(ctx as unknown as PipelineContext, link, { trigger, triggeredBy: by, environment: 'emulator' }),
    syncSchedules: async () => undefined,
  });
  const sessions = new SessionManager(storeSessions(store), { secureCookie: false });
  const app: FastifyInstance = await buildWebServer({
    sessions,
    esia: { authorizationUrl: async () => ({ url: 'http://esia.invalid/', state: 's' }), finishSignIn: async () => Promise.reject(new Error('not used')), logoutUrl: () => '/' },
    principals: storePrincipals(store, { logger: { warn: () => undefined } }),
    routes: async (a) => {
      await registerDashboard(a, backend, { now: () => new Date() });
      await registerExportIntakeRoutes(a, store, { maxBytes: DEFAULT_INTAKE_MAX_BYTES });
    },
  });
  return {
    app,
    store,
    backend,
    sessions,
    redis,
    /** A signed-in session for the principal: cookie header and CSRF token. */
    async signedIn(roles: Principal['roles'], schoolIds: string[], name = 'Тестова Анна Ивановна') {
      const principal: Principal = { oid: `9${roles.join('').length}${schoolIds.join('').length}${Math.floor(Math.random() * 1e6)}`, displayName: name, roles, schoolIds };
      const { cookie, session } = await sessions.create({ principal });
      return { principal, headers: { cookie: `${sessions.cookieName}=${cookie}` }, csrf: session.csrfToken };
    },
    async close() {
      await app.close();
      for (const q of queues.values()) await q.close();
      await redis.cleanup();
      await cleanupStore();
    },
  };
}

/** A link record as `ejsync` registers it (config shaped like a link file). */
export async function seedLink(store: Store, id: string, schoolId: string, name = `МБОУ СОШ ${schoolId} → Дневник.ру`) {
  const config = {
    id,
    name,
    school: { sourceId: schoolId, timeZone: 'Asia/Yekaterinburg' },
    source: { path: '/unused', format: 'auto' },
    target: { platform: 'dnevnik', installation: 'emulator', schoolId: '1000002283077' },
    schedule: { cron: '0 2 * * *', enabled: true },
    policy: {},
    windowDays: demoWindowDays(new Date()),
  };
  await store.links.upsert({ id, name, schoolId, platform: 'dnevnik', config });
  return config;
}

/**
 * A finished run with `failed` undelivered changes of `code` (each with one logged attempt),
 * `applied` delivered ones, a manual action with personal data, and a finding.
 */
export async function seedPartialRun(store: Store, o: { id: string; linkId: string; schoolId: string; failed: number; applied: number; code: string; status?: number }) {
  await store.runs.create({ id: o.id, linkId: o.linkId, schoolId: o.schoolId, trigger: 'schedule', environment: 'emulator' });
  const changes = Array.from({ length: o.failed + o.applied }, (_, i) => ({
    changeId: `marks.create.m${i}`,
    seq: i,
    phase: 15,
    entity: 'marks' as const,
    op: 'create' as const,
    sourceId: `m${i}`,
    before: undefined,
    after: { sourceId: `m${i}`, value: '5', pupilId: 'p1' },
    changedFields: null,
  }));
  await store.changes.stage(o.id, changes);
  await store.runs.transition(o.id, 'applying', { summary: { plan: { marks: { create: changes.length, update: 0, archive: 0, unchanged: 0, manual: 1, findings: 1 } } } });
  for (const [i, c] of changes.entries()) {
    const attempt = await store.deliveries.start({ runId: o.id, linkId: o.linkId, changeId: c.changeId, entity: 'marks', operation: 'create', sourceId: c.sourceId, after: c.after });
    if (i < o.failed) {
      await store.deliveries.finish(attempt.id, { outcome: 'failed', status: o.status ?? 400, errorCode: o.code, retryable: false, durationMs: 12 });
      await store.changes.markFailed(o.id, c.changeId, o.code);
    } else {
      await store.deliveries.finish(attempt.id, { outcome: 'succeeded', targetId: `9${i}`, method: 'POST', path: '/v2/persons/1/works/2/mark', status: 201, durationMs: 9 });
      await store.changes.markApplied(o.id, c.changeId, `9${i}`);
    }
  }
  await store.manualActions.add(o.id, [
    {
      actionId: 'pupils.create.p9',
      entity: 'memberships',
      op: 'create',
      sourceId: 'p9',
      title: 'Зачислить ученика в класс 5А',
      fields: [
        { label: 'Фамилия', value: 'Смирнова' },
        { label: 'Имя', value: 'Алиса' },
        { label: 'Дата рождения', value: '12.03.2015' },
        { label: 'СНИЛС', value: '112-233-445 95' },
        { label: 'Класс', value: '5А' },
      ],
      reason: 'API платформы не позволяет создавать записи вида «Зачисления в классы и группы»',
    },
  ]);
  await store.findings.add(o.id, [{ code: 'mis.unknown_column', severity: 'warning', message: 'Неизвестный столбец', hint: 'Проверьте выгрузку', file: 'pupils.csv' }]);
  const status = o.applied ? (o.failed ? 'partial' : 'succeeded') : 'failed';
  return store.runs.transition(o.id, status, { errorCode: o.failed ? 'delivery.failed' : null });
}
