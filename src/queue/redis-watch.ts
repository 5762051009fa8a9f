import type { Logger } from 'pino';
import { createRedisClient, describeRedisTarget } from './redis-connection';

export interface RedisWatchOptions {
  url: string;
  /** Redis Cluster seed nodes (`REDIS_CLUSTER_NODES`). @defaultValue none (one server at `url`) */
  clusterNodes?: { host: string; port: number }[];
  /** Where the cause (the driver's error, with its stack) goes. @defaultValue none */
  logger?: Logger;
  /** Told in Russian when Redis goes away and when it is back (a CLI prints it; a server logs it). @defaultValue none */
  onStatus?: (line: string, state: 'down' | 'up') => void;
  /** Called each time Redis is back after an outage (set up again what a restart lost). @defaultValue none */
  onReconnect?: () => void;
}

export interface RedisWatch {
  /** Whether Redis answers right now (as far as this process saw). */
  readonly up: boolean;
  close(): void;
}

/**
 * Watches the queue's Redis from this process with a connection of its own that never gives up
 * reconnecting: the first failure of an outage is told once in Russian (no driver stack traces
 * for people; the cause goes to the log), and so is the return. BullMQ's own connections
 * reconnect by themselves and carry on; their errors are only logged (see `quietErrors`).
 */
export function watchRedis(options: RedisWatchOptions): RedisWatch {
  const target = { url: options.url, clusterNodes: options.clusterNodes };
  const redis = createRedisClient(target, 'worker', { lazyConnect: false, connectionName: 'ejsync-redis-watch' });
  const where = describeRedisTarget(target);
  let down = false;
  let everUp = false;
  redis.on('error', (err: Error) => {
    if (down) {
      options.logger?.debug({ err }, 'redis still unavailable');
      return;
    }
    down = true;
    // The cause in one line (the driver's stack only at debug level).
    options.logger?.warn({ redis: where, cause: err.message, code: (err as NodeJS.ErrnoException).code }, 'redis unavailable: reconnecting');
    options.logger?.debug({ err }, 'redis unavailable');
    options.onStatus?.(`Нет соединения с Redis (${where}): очередь заданий недоступна. Повторяю подключение; работа продолжится, когда Redis вернётся.`, 'down');
  });
  redis.on('ready', () => {
    const wasDown = down;
    down = false;
    if (wasDown) {
      options.logger?.warn({ redis: where }, 'redis available again');
      options.onStatus?.('Соединение с Redis восстановлено — работа продолжается. Потерянные задания восстановит сторожевой процесс запусков.', 'up');
    }
    if (everUp || wasDown) options.onReconnect?.();
    everUp = true;
  });
  return {
    get up() {
      return !down && redis.status === 'ready';
    },
    close() {
      redis.disconnect();
    },
  };
}

/** Anything that emits driver `error` events (a BullMQ Queue or Worker, an ioredis client). */
interface ErrorEmitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Sends an emitter's errors to the log only. An `error` event nobody listens to is printed by
 * BullMQ or ioredis as a raw stack (`ECONNREFUSED … at TCPConnectWrap`); with `watchRedis` the
 * person is told once, in Russian.
 */
export function quietErrors<T extends ErrorEmitter>(emitter: T, logger: Logger | undefined, what: string): T {
  emitter.on('error', (err) => logger?.debug({ err, what }, 'queue connection error'));
  return emitter;
}
