import path from 'node:path';
import { z } from 'zod';

const environmentSchema = z.object({
  EJSYNC_HOME: z.string().min(1).default('.ejsync'),
  DATABASE_URL: z.string().url('DATABASE_URL должна быть строкой подключения postgres://…').optional(),
  REDIS_URL: z.string().url('REDIS_URL должна быть строкой подключения redis://…').default('redis://127.0.0.1:6379'),
  /** 32-byte key (base64 or hex) that encrypts tokens at rest. */
  EJSYNC_SECRET_KEY: z.string().optional(),
  EJSYNC_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Environment {
  /** Where the embedded database, keys and reports live. @defaultValue `./.ejsync` */
  home: string;
  /** PostgreSQL connection string; absent → PGlite under `home/db`. */
  databaseUrl?: string;
  /** @defaultValue `redis://127.0.0.1:6379` */
  redisUrl: string;
  secretKey?: string;
  logLevel: z.infer<typeof environmentSchema>['EJSYNC_LOG_LEVEL'];
}

/** Reads and validates the process environment; throws a Russian message naming the variable. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Переменная окружения ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    home: path.resolve(e.EJSYNC_HOME),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    secretKey: e.EJSYNC_SECRET_KEY,
    logLevel: e.EJSYNC_LOG_LEVEL,
  };
}
