import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Environment } from '../config/environment';
import { esiaConfigSchema } from '../config/esia-config';
import { DEMO_PERSONS } from '../connectors/esia/emulator/demo-persons';
import { startEsiaEmulator, type EsiaEmulator } from '../connectors/esia/emulator/esia-emulator';
import { EsiaClient } from '../connectors/esia/esia-client';
import { createSigner } from '../connectors/esia/signer/create-signer';
import { dnevnikDeliveryLanes } from '../queue/dnevnik-connector-factory';
import { openPipelineRuntime, type PipelineRuntime } from '../queue/pipeline-runtime';
import { generateSecretKey } from '../store/repositories/secret-box';
import { demoQueuePrefix, removeDemoQueues } from './demo-home';
import { esiaSignInPort } from '../web/auth/esia-sign-in';
import { buildDashboardServer } from './dashboard-server';
import { DeferredEsiaPort } from './deferred-esia-port';
import { makeDemoGostIdentity } from './demo-gost-identity';
import { buildDemoWorld, DEMO_NOW, type DemoWorld } from './demo-world';

/** The demo's people (fictional ЕСИА test accounts) and what each may do. */
export const DEMO_ROLES = [
  { oid: '1000100001', role: 'operator', school: null, who: 'Операторова Мария Ивановна', what: 'региональный оператор: все школы, очереди' },
  { oid: '1000100002', role: 'school_admin', school: 'a', who: 'Админов Сергей Петрович', what: 'администратор ЭЖ школы A' },
  { oid: '1000100003', role: 'viewer', school: 'a', who: 'Завучева Ольга Николаевна', what: 'просмотр отчётов школы A' },
] as const;

export interface DemoServerOptions {
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** Where queues (Redis) and the store are. The demo keeps to its own prefix and, without a database here, to an in-memory store. */
  env: Environment;
  /** BullMQ prefix. @defaultValue `<EJSYNC_QUEUE_PREFIX>-demo-<pid>` */
  prefix?: string;
  /** @defaultValue 60 */
  pupils?: number;
  say?: (line: string) => void;
  /** Quiet identity-linking warnings (tests). */
  logger?: { warn: (...args: unknown[]) => void };
}

export interface DemoServer {
  url: string;
  app: FastifyInstance;
  runtime: PipelineRuntime;
  world: DemoWorld;
  esia: EsiaEmulator;
  close(): Promise<void>;
}

/**
 * `ejsync serve --demo`: everything at once on this computer — the pipeline (queues on Redis,
 * workers in this process), two generated schools on Дневник.ру emulators with one finished, one
 * partly failed and one held run, the ЕСИА emulator for sign-in with demo role assignments, and
 * the dashboard. Nothing touches a live platform or the real ЕСИА.
 */
export async function startDemoServer(o: DemoServerOptions): Promise<DemoServer> {
  const say = o.say ?? (() => undefined);
  // Tokens are encrypted at rest; a demo without a configured key uses one that dies with it.
  process.env.EJSYNC_SECRET_KEY ??= generateSecretKey();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-serve-demo-'));
  const prefix = o.prefix ?? demoQueuePrefix(o.env);
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const runtime = await openPipelineRuntime({ env: o.env, prefix, appConfig: {}, now: () => DEMO_NOW });
    cleanups.push(async () => {
      // The demo's queues go with it.
      for (const q of [runtime.ctx.planQueue, ...dnevnikDeliveryLanes(runtime.platformConfig).map((l) => runtime.ctx.deliveryQueue(l.name))]) await q.obliterate({ force: true }).catch(() => undefined);
      await runtime.close();
      // Rate-limiter and request-gate keys too: nothing of the demo stays under its prefix.
      await removeDemoQueues([], prefix, o.env.redisUrl);
    });
    const esiaPort = new DeferredEsiaPort();
    const { app } = await buildDashboardServer({ runtime, esia: esiaPort, secureCookie: false, logger: o.logger });
    cleanups.push(() => app.close());
    await app.listen({ port: o.port ?? 0, host: o.host ?? '127.0.0.1' });
    const address = app.server.address() as { port: number };
    const host = o.host && o.host !== '0.0.0.0' ? o.host : '127.0.0.1';
    const url = `http://${host}:${address.port}`;

    say('Запускаю эмулятор ЕСИА (вход — тестовыми учётными записями, не Госуслуги)…');
    const identity = await makeDemoGostIdentity();
    cleanups.push(() => identity.remove());
    const esia = await startEsiaEmulator({ systems: [{ clientId: 'EJSYNCDEMO', certificatePem: identity.certificatePem, redirectUris: [`${url}/auth/esia/callback`] }], persons: DEMO_PERSONS });
    cleanups.push(() => esia.close());
    const verificationKey = path.join(identity.dir, 'esia-verification.pem');
    await writeFile(verificationKey, esia.verificationKeyPem);
    const config = esiaConfigSchema.parse({
      baseUrl: esia.url,
      issuer: esia.issuer,
      clientId: 'EJSYNCDEMO',
      redirectUri: `${url}/auth/esia/callback`,
      logoutRedirectUri: `${url}/auth/signed-out`,
      certificateFile: identity.certFile,
      signer: { kind: 'openssl', keyFile: identity.keyFile },
      verificationCertificateFiles: [verificationKey],
    });
    esiaPort.bind(esiaSignInPort(new EsiaClient({ config, signer: createSigner(config.signer) })));

    runtime.startWorkers({ concurrency: 16, alerts: false });
    const world = await buildDemoWorld(runtime, { dir, pupils: o.pupils, say });
    cleanups.push(() => world.close());
    const schoolOf = { a: world.schools.a.link.school.sourceId, b: world.schools.b.link.school.sourceId };
    for (const r of DEMO_ROLES) await runtime.ctx.store.access.assign(r.oid, r.role, r.school ? schoolOf[r.school] : null, 'demo');
    return { url, app, runtime, world, esia, close: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
