import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runDoctor } from '../../../src/cli/commands/doctor';
import type { DoctorCheck } from '../../../src/cli/doctor-checks';
import { dropSchema, openStore, SecretBox } from '../../../src/store';
import { DATABASE_URL } from '../../helpers/database';
import { REDIS_URL } from '../../helpers/redis';

const KEY = Buffer.alloc(32, 3).toString('base64');

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => (out += chunk));
  return { io: { stdout, stderr }, text: () => out };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ejsync doctor against the real Redis and PostgreSQL', () => {
  let home: string;
  let schema: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'ejsync-doctor-'));
    schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    env = { EJSYNC_HOME: home, DATABASE_URL, EJSYNC_DATABASE_SCHEMA: schema, REDIS_URL, EJSYNC_SECRET_KEY: KEY };
    // A stored secret sealed with the installation key: doctor must be able to open it.
    const store = await openStore({ databaseUrl: DATABASE_URL, schema, secretBox: SecretBox.fromString(KEY) });
    await store.secrets.put('dnevnik:token', 'not-a-real-token');
    await store.close();
  });

  afterEach(async () => {
    rmSync(home, { recursive: true, force: true });
    await dropSchema(DATABASE_URL, schema);
  });

  it('a working host: no error lines, exit 0; the stored secret decrypts', async () => {
    const { io, text } = capture();
    const status = await runDoctor({ json: true }, io, { env });
    const { checks } = JSON.parse(text()) as { checks: DoctorCheck[] };
    expect(checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(status).toBe(0);
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(byId.redis.status).toBe('ok');
    expect(byId.redis_eviction.status).toBe('ok'); // the test Redis runs with noeviction
    expect(byId.database).toMatchObject({ status: 'ok', message: expect.stringContaining('PostgreSQL') });
    expect(byId.secret).toMatchObject({ status: 'ok', message: expect.stringContaining('(1)') });
    expect(byId.home.status).toBe('ok');
    expect(byId.gost.status).toBe('ok');
  });

  it('Redis on a closed port: an error line naming REDIS_URL, exit 1', async () => {
    const { io, text } = capture();
    const status = await runDoctor({}, io, { env: { ...env, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` }, redisTimeoutMs: 2000 });
    expect(status).toBe(1);
    const redisLine = text().split('\n').find((l) => l.includes('Redis redis://127.0.0.1:'));
    expect(redisLine).toMatch(/^\[ошибка\] Redis redis:\/\/127\.0\.0\.1:\d+ недоступен: .*ECONNREFUSED.*Что сделать: .*REDIS_URL/);
    expect(text()).toMatch(/^\[ок\] PostgreSQL /m);
  });

  it('a different secret key: the store secret does not decrypt, exit 1', async () => {
    const { io, text } = capture();
    const status = await runDoctor({}, io, { env: { ...env, EJSYNC_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') } });
    expect(status).toBe(1);
    expect(text()).toMatch(/^\[ошибка\] EJSYNC_SECRET_KEY не расшифровывает 1 из 1 секретов базы/m);
  });
});
