import path from 'node:path';
import { z } from 'zod';
import { assertQueuePrefix } from './queue-prefix';
import { defaultHome } from './default-home';
import { SCHEMA_VIA, type SchemaVia } from './schema-via';

const environmentSchema = z.object({
  EJSYNC_HOME: z.string().min(1).optional(),
  DATABASE_URL: z.string().url('DATABASE_URL должна быть строкой подключения postgres://…').optional(),
  EJSYNC_DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'имя схемы PostgreSQL: строчные латинские буквы, цифры, «_»').optional(),
  EJSYNC_DATABASE_SCHEMA_VIA: z.enum(SCHEMA_VIA, { message: `как соединения попадают в схему: ${SCHEMA_VIA.join(', ')}` }).default('startup'),
  REDIS_URL: z.string().url('REDIS_URL должна быть строкой подключения redis://…').default('redis://127.0.0.1:6379'),
  /** 32-byte key (base64 or hex) that encrypts tokens at rest. */
  EJSYNC_SECRET_KEY: z.string().optional(),
  /** Redis Cluster seed nodes `host:port,host:port`; set → every Redis connection is a cluster client. */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, 'список узлов кластера через запятую: «хост:порт,хост:порт», например 10.0.0.1:6379,10.0.0.2:6379')
    .optional(),
  // Checked after parsing (queue-prefix.ts): a hash tag is allowed, and required on a cluster.
  EJSYNC_QUEUE_PREFIX: z.string().default('ejsync'),
  EJSYNC_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Read by the logger itself (`src/config/logger.ts`); checked here so a typo stops the process. */
  EJSYNC_LOG_FORMAT: z.enum(['auto', 'json', 'pretty'], { message: 'формат журнала: auto, json или pretty' }).optional(),
  /** `1`: OpenTelemetry traces of the queues (`src/queue/tracing.ts`), OTLP over HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  EJSYNC_OTEL: z.enum(['0', '1'], { message: '1 — включить трассировку OpenTelemetry, 0 или пусто — выключить' }).optional(),
  EJSYNC_WATCHDOG_INTERVAL_MS: z.coerce.number().int('целое число миллисекунд').min(100, 'не меньше 100 мс').optional(),
  EJSYNC_WATCHDOG_STALL_MS: z.coerce.number().int('целое число миллисекунд').min(100, 'не меньше 100 мс').optional(),
  EJSYNC_WATCHDOG_MAX_RECOVERIES: z.coerce.number().int('целое число').min(0, 'не меньше 0').optional(),
});

export interface Environment {
  /** Where the embedded database, keys and reports live. @defaultValue `$XDG_DATA_HOME/ejsync`, else `~/.local/share/ejsync` */
  home: string;
  /** PostgreSQL connection string; absent → PGlite under `home/db`. */
  databaseUrl?: string;
  /** PostgreSQL schema of this installation (created on start). @defaultValue `public` */
  databaseSchema?: string;
  /**
   * How the store's connections are put in `databaseSchema` (`EJSYNC_DATABASE_SCHEMA_VIA`): `startup`,
   * `connect` or `role` (behind PgBouncer's transaction pooling). @defaultValue `startup`
   */
  databaseSchemaVia?: SchemaVia;
  /** @defaultValue `redis://127.0.0.1:6379` */
  redisUrl: string;
  /**
   * Redis Cluster seed nodes (`REDIS_CLUSTER_NODES`); set → queues and the request gate use a cluster
   * client, with user, password and TLS (`rediss://`) taken from `REDIS_URL`. @defaultValue none (one Redis at `redisUrl`)
   */
  redisClusterNodes?: { host: string; port: number }[];
  secretKey?: string;
  /** BullMQ key prefix: installations (or tests) sharing one Redis keep apart by it. @defaultValue `ejsync` */
  queuePrefix: string;
  logLevel: z.infer<typeof environmentSchema>['EJSYNC_LOG_LEVEL'];
  /** OpenTelemetry traces of the queues (`EJSYNC_OTEL=1`). @defaultValue false */
  otel?: boolean;
  /**
   * The run watchdog of this process's workers (`EJSYNC_WATCHDOG_INTERVAL_MS`, `EJSYNC_WATCHDOG_STALL_MS`,
   * `EJSYNC_WATCHDOG_MAX_RECOVERIES`). @defaultValue the watchdog's own (30 s, 2 min, 3)
   */
  watchdog?: { intervalMs?: number; stallAfterMs?: number; maxRecoveries?: number };
}

/** Reads and validates the process environment; throws a Russian message naming the variable. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  // An empty variable (`DATABASE_URL=` in a unit file) means "not set", as in most tools.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = environmentSchema.safeParse(given);
  if (!parsed.success) {
    // One problem per line, each naming its variable.
    throw new Error(parsed.error.issues.map((issue) => `Переменная окружения ${String(issue.path[0])}: ${issue.message}`).join('\n'));
  }
  const e = parsed.data;
  const redisClusterNodes = e.REDIS_CLUSTER_NODES?.split(',').map((n) => {
    const [host, port] = n.trim().split(':');
    return { host, port: Number(port) };
  });
  assertQueuePrefix(e.EJSYNC_QUEUE_PREFIX, { cluster: redisClusterNodes !== undefined });
  return {
    home: e.EJSYNC_HOME ? path.resolve(e.EJSYNC_HOME) : defaultHome(given),
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.EJSYNC_DATABASE_SCHEMA,
    databaseSchemaVia: e.EJSYNC_DATABASE_SCHEMA_VIA,
    redisUrl: e.REDIS_URL,
    redisClusterNodes,
    secretKey: e.EJSYNC_SECRET_KEY,
    queuePrefix: e.EJSYNC_QUEUE_PREFIX,
    logLevel: e.EJSYNC_LOG_LEVEL,
    otel: e.EJSYNC_OTEL === '1',
    watchdog: { intervalMs: e.EJSYNC_WATCHDOG_INTERVAL_MS, stallAfterMs: e.EJSYNC_WATCHDOG_STALL_MS, maxRecoveries: e.EJSYNC_WATCHDOG_MAX_RECOVERIES },
  };
}

/** Where this installation's store is: PostgreSQL (`DATABASE_URL`, schema) or PGlite under `home`. */
export function storeOptionsOf(env: Environment): { databaseUrl?: string; schema?: string; schemaVia?: SchemaVia; home: string } {
  return { databaseUrl: env.databaseUrl, schema: env.databaseSchema, schemaVia: env.databaseSchemaVia, home: env.home };
}
