import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Cluster, type Redis } from 'ioredis';
import { appConfigPath, loadAppConfig } from '../config/app-config';
import { readEnvironment, storeOptionsOf, type Environment } from '../config/environment';
import { runOpenssl } from '../connectors/esia/signer/openssl-runner';
import { isEjsyncError } from '../model';
import { createRedisClient, describeRedisTarget, redisTargetOf } from '../queue/redis-connection';
import { openStore, SecretBox, type Store } from '../store';
import { redactDatabaseUrl } from '../store/open-store';
import type { DoctorFacts } from './doctor-checks';

/** Options of {@link probeHost}. */
export interface ProbeOptions {
  /** Environment to read. @defaultValue `process.env` */
  env?: NodeJS.ProcessEnv;
  /** OpenSSL binary. @defaultValue `openssl` */
  opensslBinary?: string;
  /** How long to wait for Redis. @defaultValue 3000 ms */
  redisTimeoutMs?: number;
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  return message.replace(/\s+/g, ' ').trim().replace(/\.+$/, '').slice(0, 200);
}

async function probeGost(binary: string): Promise<DoctorFacts['gost']> {
  try {
    await runOpenssl(['engine', 'gost'], undefined, binary, 10_000);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

async function probeHome(raw: string | undefined, resolved: string): Promise<NonNullable<DoctorFacts['home']>> {
  const probe = path.join(resolved, `.ejsync-doctor-${process.pid}`);
  try {
    await mkdir(resolved, { recursive: true });
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    return { raw, resolved, writable: true };
  } catch (error) {
    return { raw, resolved, writable: false, reason: (error as NodeJS.ErrnoException).code ?? reasonOf(error) };
  }
}

async function configGet(node: Redis, name: string): Promise<string> {
  const reply = (await node.config('GET', name)) as string[];
  if (reply.length < 2) throw new Error(`сервер не сообщил ${name}`);
  return reply[1];
}

async function probeRedis(env: Environment, timeoutMs: number): Promise<NonNullable<DoctorFacts['redis']>> {
  const target = redisTargetOf(env);
  const label = describeRedisTarget(target);
  const client = createRedisClient(target, 'producer', { lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  // connect() only says "Connection is closed"; the socket's own error (ECONNREFUSED, ENOTFOUND, auth) comes here.
  let socketError: unknown;
  client.on('error', (error) => (socketError ??= error));
  try {
    try {
      await Promise.race([
        client.connect(),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`нет ответа за ${timeoutMs} мс`)), timeoutMs).unref()),
      ]);
      await client.ping();
    } catch (error) {
      return { target: label, reachable: false, reason: reasonOf(socketError ?? error) };
    }
    const nodes = client instanceof Cluster ? client.nodes('master') : [client];
    try {
      const policies = [...new Set(await Promise.all(nodes.map((n) => configGet(n, 'maxmemory-policy'))))];
      const appendonly = await configGet(nodes[0], 'appendonly');
      const save = await configGet(nodes[0], 'save');
      return { target: label, reachable: true, policies, persistence: { appendonly, save } };
    } catch (error) {
      return { target: label, reachable: true, configError: reasonOf(error) };
    }
  } finally {
    client.disconnect();
  }
}

async function probeStore(env: Environment, source: NodeJS.ProcessEnv): Promise<Pick<DoctorFacts, 'database' | 'secret'>> {
  const kind = env.databaseUrl ? 'postgres' : 'pglite';
  const target = env.databaseUrl ? redactDatabaseUrl(env.databaseUrl) : path.join(env.home, 'db');
  let box: SecretBox | undefined;
  let secret: DoctorFacts['secret'];
  try {
    box = SecretBox.fromEnvironment(source);
  } catch (error) {
    secret = isEjsyncError(error) && error.code === 'config.secret_missing' ? { state: 'missing' } : { state: 'invalid', reason: reasonOf(error) };
  }
  let store: Store;
  try {
    store = await openStore({ ...storeOptionsOf(env), ...(box ? { secretBox: box } : {}) });
  } catch (error) {
    const hint = isEjsyncError(error) ? error.hint : undefined;
    return { database: { kind, target, ok: false, reason: reasonOf(error), ...(hint ? { hint } : {}) }, secret: secret ?? { state: 'checked', failed: 0 } };
  }
  try {
    if (!secret) {
      const names = await store.db.selectFrom('secrets').select('name').execute();
      let failed = 0;
      let reason: string | undefined;
      for (const { name } of names) {
        try {
          await store.secrets.get(name);
        } catch (error) {
          failed += 1;
          reason ??= reasonOf(error);
        }
      }
      secret = { state: 'checked', total: names.length, failed, ...(reason ? { reason } : {}) };
    }
    return { database: { kind, target, ok: true }, secret };
  } finally {
    await store.close();
  }
}

/**
 * Looks at this host the way the worker and the dashboard will: Node, OpenSSL's GOST engine, the
 * environment, EJSYNC_HOME, config.json, Redis (policy, persistence), the store and its secrets.
 * Never throws: every failure becomes a fact. Opening the store applies pending migrations.
 */
export async function probeHost(options: ProbeOptions = {}): Promise<DoctorFacts> {
  const source = options.env ?? process.env;
  const facts: DoctorFacts = {
    nodeVersion: process.versions.node,
    gost: await probeGost(options.opensslBinary ?? 'openssl'),
    environment: { ok: true },
  };
  let env: Environment;
  try {
    env = readEnvironment(source);
  } catch (error) {
    facts.environment = { ok: false, reason: reasonOf(error) };
    return facts;
  }
  facts.home = await probeHome(source.EJSYNC_HOME || undefined, env.home);
  const configFile = appConfigPath(env.home, source);
  try {
    loadAppConfig(configFile);
    facts.config = { file: configFile, state: existsSync(configFile) ? 'valid' : 'absent' };
  } catch (error) {
    facts.config = { file: configFile, state: 'invalid', reason: reasonOf(error) };
  }
  facts.redis = await probeRedis(env, options.redisTimeoutMs ?? 3000);
  Object.assign(facts, await probeStore(env, source));
  return facts;
}
