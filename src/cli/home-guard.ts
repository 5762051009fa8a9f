import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readEnvironment, type Environment } from '../config/environment';
import { EjsyncError } from '../model';

/** Commands that only read the store: on a home without one they refuse instead of creating it. */
const READ_ONLY = new Set(['runs', 'run show']);

/** Commands that open (and, on a fresh home, create) the installation's store. */
const OPENS_STORE = new Set([
  'sync', 'worker', 'approve', 'discard', 'retry', 'rollback', 'serve', 'period close', 'period reopen', 'period list',
  'rollover', 'archive year', 'purge', 'audit verify', 'worklist', 'identity link', 'upload', 'dnevnik connect',
]);

/**
 * Never a silent new empty store: before a command opens the embedded store (PGlite, no
 * `DATABASE_URL`) of a home that has none yet, a read-only command refuses (`store.home_empty`,
 * naming the folder) and any other says in one Russian line where it creates the store.
 * Returns that line, or undefined when there is nothing to say.
 */
export function checkStoreHome(command: string, env: Pick<Environment, 'home' | 'databaseUrl'>, options: { demo?: boolean } = {}): string | undefined {
  if (env.databaseUrl || options.demo || env.home === ':memory:') return undefined;
  if (!READ_ONLY.has(command) && !OPENS_STORE.has(command)) return undefined;
  const dataDir = path.join(env.home, 'db');
  if (existsSync(dataDir)) return undefined;
  if (READ_ONLY.has(command)) throw new EjsyncError('store.home_empty', { detail: `${dataDir} (EJSYNC_HOME=${env.home})` });
  return `Создаю новую базу ejsync: ${dataDir} (каталог данных — EJSYNC_HOME; другой каталог или DATABASE_URL — задайте переменную окружения)`;
}

/** Runs {@link checkStoreHome} before every command of the program (after `--json` is known). */
export function addStoreHomeCheck(program: Command, readEnv: () => Environment = readEnvironment): void {
  program.hook('preAction', (_root, action) => {
    const names: string[] = [];
    for (let c: Command | null = action; c && c !== program; c = c.parent) names.unshift(c.name());
    let env: Environment;
    try {
      env = readEnv();
    } catch {
      return; // the command reports a bad environment itself
    }
    const line = checkStoreHome(names.join(' '), env, { demo: action.opts<{ demo?: boolean }>().demo === true });
    if (line) process.stderr.write(`${line}\n`);
  });
}
