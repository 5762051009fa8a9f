import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import { EjsyncError } from '../model';

export type RedisRole = 'worker' | 'producer';

/** Where this installation's Redis is: one server (`REDIS_URL`) or a cluster (`REDIS_CLUSTER_NODES`). */
export interface RedisTarget {
  /** One server; with a cluster, only its user, password and `rediss://` (TLS) are used. */
  url: string;
  /** Cluster seed nodes. @defaultValue none (one server) */
  clusterNodes?: { host: string; port: number }[];
}

/** Any client this project talks to Redis with. */
export type RedisClient = Redis | Cluster;

/** The target of an environment (`REDIS_URL`, `REDIS_CLUSTER_NODES`). */
export function redisTargetOf(env: { redisUrl: string; redisClusterNodes?: { host: string; port: number }[] }): RedisTarget {
  return { url: env.redisUrl, clusterNodes: env.redisClusterNodes?.length ? env.redisClusterNodes : undefined };
}

/**
 * A client for the target with the role's options (see {@link createRedis}): a `Redis` for one
 * server, an ioredis `Cluster` for a cluster (credentials and TLS from the URL, applied to every node).
 */
export function createRedisClient(target: RedisTarget, role: RedisRole, extra: RedisOptions = {}): RedisClient {
  if (!target.clusterNodes) return createRedis(target.url, role, extra);
  return new Cluster(target.clusterNodes, clusterOptions(target.url, role, extra));
}

/** A label of the target for messages (no credentials): the URL, or the cluster's seed nodes. */
export function describeRedisTarget(target: RedisTarget): string {
  return target.clusterNodes ? `Redis Cluster ${target.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}` : redactUrl(target.url);
}

/**
 * The `connection` option of BullMQ's Queue/Worker/QueueEvents: connection options for one server
 * (BullMQ opens and closes its own connections, as before), an ioredis `Cluster` for a cluster —
 * BullMQ shares it (a Worker duplicates it for its blocking reads) and never closes it: the owner does.
 */
export function bullConnection(target: RedisTarget, role: RedisRole): ConnectionOptions {
  if (target.clusterNodes) return createRedisClient(target, role) as Cluster;
  return role === 'worker' ? { url: target.url, maxRetriesPerRequest: null } : { url: target.url, enableOfflineQueue: false };
}

/** Closes a {@link bullConnection} when it is a shared client (a cluster's); BullMQ closed the rest. */
export function releaseBullConnection(connection: ConnectionOptions): void {
  if (connection instanceof Cluster) connection.disconnect();
}

function clusterOptions(url: string, role: RedisRole, extra: RedisOptions): ClusterOptions {
  const u = safeUrl(url);
  const redisOptions: RedisOptions = {
    ...(u?.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u?.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u?.protocol === 'rediss:' ? { tls: {} } : {}),
    ...(role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 2, connectTimeout: 5000 }),
    ...extra,
  };
  return {
    redisOptions,
    // A cluster client must queue commands until it has read the slot map (else its first command
    // fails at once); a producer still fails after `maxRetriesPerRequest` while the cluster is down.
    enableOfflineQueue: true,
    enableReadyCheck: true,
    // Managed clusters behind TLS announce node addresses whose certificates name the host: keep it.
    ...(u?.protocol === 'rediss:' ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
  };
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * A Redis connection for BullMQ. Workers block on Redis and must never give up on a command
 * (`maxRetriesPerRequest: null`, a BullMQ requirement); producers — an HTTP handler adding a
 * job — fail fast instead of queueing commands while Redis is down.
 */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { enableOfflineQueue: false, maxRetriesPerRequest: 2, connectTimeout: 5000, ...extra };
  return new Redis(url, options);
}

/** Waits until a connection is ready or fails with `queue.unavailable` naming the URL (no credentials). */
export async function ensureRedisReady(redis: RedisClient, url: string | RedisTarget, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new EjsyncError('queue.unavailable', { detail: typeof url === 'string' ? redactUrl(url) : describeRedisTarget(url) }));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/** `redis://user:secret@host:6379/0` → `redis://host:6379/0` (no credentials in messages). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(неверный адрес)';
  }
}

/** Deletes every key under `<prefix>:` (a test's or a bench's own queues and gates). Returns how many. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
