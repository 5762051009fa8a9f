import type { FastifyInstance } from 'fastify';
import { appConfigPath, loadAppConfig } from '../config/app-config';
import { intakeConfigOf } from '../config/intake-config';
import type { Environment } from '../config/environment';
import { EsiaClient } from '../connectors/esia/esia-client';
import { createSigner } from '../connectors/esia/signer/create-signer';
import { EjsyncError } from '../model';
import { openPipelineRuntime, type PipelineRuntime } from '../queue/pipeline-runtime';
import { esiaSignInPort } from '../web/auth/esia-sign-in';
import { applyRolesFile, rolesFilePath } from '../web/auth/role-config';
import { buildDashboardServer } from './dashboard-server';
import { startOpsEndpoints } from './ops-endpoints';
import { PLAN_QUEUE } from '../queue/queue-names';

export interface InstallationServerOptions {
  port: number;
  /** @defaultValue `127.0.0.1` */
  host?: string;
  env: Environment;
  /** Also run the pipeline's workers in this process (small installations). @defaultValue false */
  workers?: boolean;
  say?: (line: string) => void;
  /** Addresses or networks of the reverse proxies in front of the dashboard, whose `X-Forwarded-*` headers are believed. @defaultValue none */
  trustProxy?: string[];
  /** Port of the operator endpoints (`/healthz`, `/readyz`, `/metrics`); none when absent. */
  metricsPort?: number;
  /** @defaultValue `127.0.0.1` */
  metricsHost?: string;
}

export interface InstallationServer {
  url: string;
  app: FastifyInstance;
  runtime: PipelineRuntime;
  close(): Promise<void>;
}

/**
 * `ejsync serve`: the dashboard of this installation — its store and queues
 * (`openPipelineRuntime`), ЕСИА sign-in from the `esia` section of the configuration, role
 * assignments from the roles file (applied at start) and the store.
 */
export async function startInstallationServer(o: InstallationServerOptions): Promise<InstallationServer> {
  const say = o.say ?? (() => undefined);
  const configFile = appConfigPath(o.env.home);
  const appConfig = loadAppConfig(configFile);
  if (!appConfig.esia) throw new EjsyncError('esia.config_invalid', { detail: `в ${configFile} нет раздела esia: без него войти нельзя. Для пробы без настроек запустите «ejsync serve --demo»` });
  const runtime = await openPipelineRuntime({ env: o.env, appConfig });
  try {
    const roles = await applyRolesFile(runtime.ctx.store, rolesFilePath(o.env.home));
    if (roles) say(`Файл ролей применён: добавлено ${roles.added.length}, снято ${roles.removed.length}.`);
    const esia = esiaSignInPort(new EsiaClient({ config: appConfig.esia, signer: createSigner(appConfig.esia.signer) }));
    const { app } = await buildDashboardServer({ runtime, esia, secureCookie: appConfig.esia.redirectUri.startsWith('https:'), intake: intakeConfigOf(appConfig), ...(o.trustProxy?.length ? { trustProxy: o.trustProxy } : {}) });
    await app.listen({ port: o.port, host: o.host ?? '127.0.0.1' });
    const ops = o.metricsPort ? await startOpsEndpoints(runtime, o.env, { port: o.metricsPort, host: o.metricsHost ?? '127.0.0.1', queues: [PLAN_QUEUE] }) : null;
    if (ops) say(`Проверки и метрики панели: http://${o.metricsHost ?? '127.0.0.1'}:${o.metricsPort}/readyz, /metrics`);
    if (o.workers) runtime.startWorkers();
    await runtime.syncSchedules();
    const url = `http://${o.host ?? '127.0.0.1'}:${(app.server.address() as { port: number }).port}`;
    const expected = new URL(appConfig.esia.redirectUri);
    if (expected.pathname !== '/auth/esia/callback') say(`Внимание: esia.redirectUri (${appConfig.esia.redirectUri}) должен оканчиваться на /auth/esia/callback.`);
    return {
      url,
      app,
      runtime,
      async close() {
        await app.close();
        await ops?.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
