import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { deliveryQueueName, PLAN_QUEUE } from '../../../src/queue/queue-names';
import type { RunActionContext } from '../../../src/queue/run-pipeline/run-actions';
import type { Store } from '../../../src/store';
import { registerApiRoutes } from '../../../src/web/api/api-routes';
import { registerPageRoutes } from '../../../src/web/pages/page-routes';
import { storeSessions } from '../../../src/web/auth/store-sessions';
import { storePrincipals } from '../../../src/web/auth/store-principals';
import { SessionManager } from '../../../src/web/auth/sessions';
import { buildWebServer } from '../../../src/web/server';
import { freshStore } from '../../helpers/database';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

describe('dashboard API: sign-in, school scope, CSRF (real PostgreSQL, real Redis)', () => {
  let store: Store;
  let cleanupStore: () => Promise<void>;
  let redis: Awaited<ReturnType<typeof redisTestContext>>;
  let app: FastifyInstance;
  let sessions: SessionManager;
  let queues: Queue[];

  beforeAll(async () => {
    ({ store, cleanup: cleanupStore } = await freshStore('postgres'));
    redis = await redisTestContext();
    const connection = { url: REDIS_URL };
    const planQueue = new Queue(PLAN_QUEUE, { connection, prefix: redis.prefix });
    const delivery = new Queue(deliveryQueueName('dnevnik'), { connection, prefix: redis.prefix });
    queues = [planQueue, delivery];
    const ctx: RunActionContext = { store, planQueue, deliveryQueue: () => delivery };
    sessions = new SessionManager(storeSessions(store), { secureCookie: false });
    app = await buildWebServer({
      sessions,
      esia: { authorizationUrl: async () => ({ url: 'http://esia.invalid/', state: 's' }), finishSignIn: async () => Promise.reject(new Error('not used')), logoutUrl: () => '/' },
      principals: storePrincipals(store),
      routes: (a) => {
        registerApiRoutes(a, ctx);
        registerPageRoutes(a, ctx);
      },
    });
    for (const [id, school] of [
      ['link-1', 'school-1'],
      ['link-2', 'school-2'],
    ]) {
      await store.links.upsert({ id, name: `Связь ${school}`, schoolId: school, platform: 'dnevnik', config: { id, target: { platform: 'dnevnik' } } });
      await store.runs.create({ id: `run-${school}`, linkId: id, schoolId: school, trigger: 'schedule', environment: 'emulator' });
      await store.runs.transition(`run-${school}`, 'held', { heldReasons: [{ code: 'guard.threshold_archive' }] });
    }
  });

  afterAll(async () => {
    await app.close();
    for (const q of queues) await q.close();
    await redis.cleanup();
    await cleanupStore();
  });

  async function signedIn(roles: ('operator' | 'school_admin' | 'viewer')[], schoolIds: string[]) {
    const principal = { oid: `oid-${roles.join('-')}-${schoolIds.join('-')}`, displayName: 'Тестовый Пользователь', roles, schoolIds };
    const { cookie, session } = await sessions.create({ principal });
    return { headers: { cookie: `${sessions.cookieName}=${cookie}` }, csrf: session.csrfToken };
  }

  it('a school administrator sees only their school', async () => {
    const admin = await signedIn(['school_admin'], ['school-1']);
    const runs = await app.inject({ method: 'GET', url: '/api/runs', headers: admin.headers });
    expect(runs.json().runs.map((r: { id: string }) => r.id)).toEqual(['run-school-1']);
    const own = await app.inject({ method: 'GET', url: '/api/runs/run-school-1', headers: admin.headers });
    expect(own.statusCode).toBe(200);
    const other = await app.inject({ method: 'GET', url: '/api/runs/run-school-2', headers: admin.headers });
    expect(other.statusCode).toBe(404);
    const links = await app.inject({ method: 'GET', url: '/api/links', headers: admin.headers });
    expect(links.json().links.map((l: { id: string }) => l.id)).toEqual(['link-1']);
  });

  it('cannot act on another school, even with a valid CSRF token', async () => {
    const admin = await signedIn(['school_admin'], ['school-1']);
    const r = await app.inject({ method: 'POST', url: '/api/runs/run-school-2/discard', headers: { ...admin.headers, 'x-csrf-token': admin.csrf }, payload: { reason: 'x' } });
    expect(r.statusCode).toBe(404);
    expect((await store.runs.require('run-school-2')).status).toBe('held');
  });

  it('a viewer may look but not act', async () => {
    const viewer = await signedIn(['viewer'], ['school-1']);
    expect((await app.inject({ method: 'GET', url: '/api/runs/run-school-1', headers: viewer.headers })).statusCode).toBe(200);
    const r = await app.inject({ method: 'POST', url: '/api/runs/run-school-1/discard', headers: { ...viewer.headers, 'x-csrf-token': viewer.csrf } });
    expect(r.statusCode).toBe(403);
  });

  it('an action without the CSRF token is refused; with it, the run is discarded and audited', async () => {
    const admin = await signedIn(['school_admin'], ['school-1']);
    const without = await app.inject({ method: 'POST', url: '/api/runs/run-school-1/discard', headers: admin.headers, payload: { reason: 'неполная выгрузка' } });
    expect(without.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/runs/run-school-1/discard', headers: { ...admin.headers, 'x-csrf-token': admin.csrf }, payload: { reason: 'неполная выгрузка' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().run.status).toBe('discarded');
    const audit = await app.inject({ method: 'GET', url: '/api/audit', headers: admin.headers });
    expect(audit.json().audit[0]).toMatchObject({ action: 'run.discarded', actorName: 'Тестовый Пользователь', details: { reason: 'неполная выгрузка' } });
  });

  it('an operator sees every school and can pause a link', async () => {
    const op = await signedIn(['operator'], []);
    const runs = await app.inject({ method: 'GET', url: '/api/runs', headers: op.headers });
    expect(runs.json().runs).toHaveLength(2);
    const paused = await app.inject({ method: 'POST', url: '/api/links/link-2/pause', headers: { ...op.headers, 'x-csrf-token': op.csrf } });
    expect(paused.json()).toEqual({ id: 'link-2', paused: true });
    expect((await store.links.get('link-2'))!.paused).toBe(true);
  });

  it('pages: overview and run detail in Russian, another school is 404, actions need confirmation', async () => {
    await store.runs.create({ id: 'run-held-3', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    await store.runs.transition('run-held-3', 'held', { heldReasons: [{ code: 'guard.threshold_update', message: 'Запуск задержан: слишком много записей к изменению', hint: 'Проверьте выгрузку' }] });
    const admin = await signedIn(['school_admin'], ['school-1']);
    const overview = await app.inject({ method: 'GET', url: '/', headers: admin.headers });
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('Связи и запуски');
    expect(overview.body).toContain('Связь school-1');
    expect(overview.body).not.toContain('Связь school-2');
    expect(overview.body).toContain('Ждут решения');
    const detail = await app.inject({ method: 'GET', url: '/runs/run-held-3', headers: admin.headers });
    expect(detail.body).toContain('Почему задержан');
    expect(detail.body).toContain('Одобрить и отправить');
    expect((await app.inject({ method: 'GET', url: '/runs/run-school-2', headers: admin.headers })).statusCode).toBe(404);
    const unconfirmed = await app.inject({ method: 'POST', url: '/runs/run-held-3/discard', headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}&reason=x` });
    expect(unconfirmed.statusCode).toBe(400);
    const confirmed = await app.inject({ method: 'POST', url: '/runs/run-held-3/discard', headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}&reason=${encodeURIComponent('дубли в выгрузке')}&confirm=yes` });
    expect(confirmed.statusCode).toBe(303);
    expect((await store.runs.require('run-held-3')).status).toBe('discarded');
    const noCsrf = await app.inject({ method: 'POST', url: '/runs/run-school-1/approve', headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'confirm=yes' });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('roles come from the store: no assignment, no access', async () => {
    const resolver = storePrincipals(store);
    expect(await resolver.resolve({ oid: '42', lastName: 'Нет', firstName: 'Доступа', trusted: true })).toBeNull();
    await store.access.assign('43', 'school_admin', 'school-1', 'operator-1');
    expect(await resolver.resolve({ oid: '43', lastName: 'Есть', firstName: 'Доступ', trusted: true })).toMatchObject({ roles: ['school_admin'], schoolIds: ['school-1'] });
  });
});
