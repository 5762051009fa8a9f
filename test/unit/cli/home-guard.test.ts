import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkStoreHome } from '../../../src/cli/home-guard';
import { main } from '../../../src/cli/main';
import { defaultHome } from '../../../src/config/default-home';
import { readEnvironment } from '../../../src/config/environment';
import { setJsonErrors } from '../../../src/cli/command-runner';

describe('EJSYNC_HOME: absolute by default, never a silent new empty store', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-home-guard-'))));
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
    setJsonErrors(false);
  });

  it('defaults to the per-user data directory, absolute whatever the working directory', () => {
    expect(defaultHome({ XDG_DATA_HOME: '/srv/data' })).toBe('/srv/data/ejsync');
    expect(defaultHome({})).toBe(path.join(os.homedir(), '.local', 'share', 'ejsync'));
    expect(readEnvironment({ XDG_DATA_HOME: '/srv/data' }).home).toBe('/srv/data/ejsync');
    expect(readEnvironment({ EJSYNC_HOME: 'rel' }).home).toBe(path.resolve('rel'));
  });

  it('read-only commands refuse a home without a store; others say where they create it; an existing store is silent', () => {
    expect(() => checkStoreHome('runs', { home })).toThrow(expect.objectContaining({ code: 'store.home_empty', message: expect.stringContaining(path.join(home, 'db')) }));
    expect(() => checkStoreHome('run show', { home })).toThrow(expect.objectContaining({ code: 'store.home_empty' }));
    expect(checkStoreHome('sync', { home })).toBe(`Создаю новую базу ejsync: ${path.join(home, 'db')} (каталог данных — EJSYNC_HOME; другой каталог или DATABASE_URL — задайте переменную окружения)`);
    expect(checkStoreHome('validate', { home })).toBeUndefined();
    expect(checkStoreHome('serve', { home }, { demo: true })).toBeUndefined();
    expect(checkStoreHome('runs', { home, databaseUrl: 'postgres://postgres@127.0.0.1:5432/test' })).toBeUndefined();
    mkdirSync(path.join(home, 'db'));
    expect(checkStoreHome('runs', { home })).toBeUndefined();
    expect(checkStoreHome('sync', { home })).toBeUndefined();
  });

  it('ejsync runs --json on an empty home: store.home_empty on stdout, exit 2, no store created', async () => {
    const saved = { home: process.env.EJSYNC_HOME, db: process.env.DATABASE_URL };
    process.env.EJSYNC_HOME = home;
    delete process.env.DATABASE_URL;
    const writes: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const before = process.exitCode;
    try {
      await main(['node', 'ejsync', 'runs', '--json']);
      expect(process.exitCode).toBe(2);
      expect(JSON.parse(writes.join(''))).toEqual({ error: expect.objectContaining({ code: 'store.home_empty' }) });
      expect(require('node:fs').existsSync(path.join(home, 'db'))).toBe(false);
    } finally {
      out.mockRestore();
      process.exitCode = before;
      if (saved.home === undefined) delete process.env.EJSYNC_HOME;
      else process.env.EJSYNC_HOME = saved.home;
      if (saved.db !== undefined) process.env.DATABASE_URL = saved.db;
    }
  });
});

describe('environment errors: one problem per line', () => {
  it('names every wrong variable on its own line', () => {
    let message = '';
    try {
      readEnvironment({ DATABASE_URL: 'not a url', REDIS_URL: 'also not', EJSYNC_LOG_LEVEL: 'loud' });
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['Переменная окружения DATABASE_URL', 'Переменная окружения REDIS_URL', 'Переменная окружения EJSYNC_LOG_LEVEL']);
  });
});
