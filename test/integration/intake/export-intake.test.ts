import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildDashboardServer } from '../../../src/cli/dashboard-server';
import { runShowText } from '../../../src/cli/run-report';
import { createMisCsvWriter } from '../../../src/connectors/mis-csv';
import { ENTITY_ORDER } from '../../../src/model';
import { BIN } from '../../helpers/cli-stand';
import { startSchoolWorld } from '../../helpers/school-world';

const run = promisify(execFile);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('a school hands its export to the installation: upload key, limits, deduplication, and runs plan from it with no file on disk (real pipeline, CLI built)', () => {
  let world: Awaited<ReturnType<typeof startSchoolWorld>>;
  let app: FastifyInstance;
  let exportBytes: Buffer;
  let key: string;
  const MAX = 2 * 1024 * 1024;
  const cli = (args: string[]) =>
    run(process.execPath, [BIN, ...args], { env: world.cliEnv }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const post = (o: { token?: string; body: Buffer | Readable; headers?: Record<string, string> }) =>
    app.inject({
      method: 'POST',
      url: `/api/links/${world.link.id}/exports`,
      headers: { 'content-type': 'application/octet-stream', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
      payload: o.body,
    });
  const kept = () => world.store.exports.list(world.link.id);

  beforeAll(async () => {
    world = await startSchoolWorld({ pupils: 12, seed: 'ejsync-intake' });
    ({ app } = await buildDashboardServer({
      runtime: world.runtime,
      esia: { authorizationUrl: async () => ({ url: 'http://esia.invalid/', state: 's' }), finishSignIn: async () => Promise.reject(new Error('not used')), logoutUrl: () => '/' },
      secureCookie: false,
      queueBoard: false,
      logger: { warn: () => undefined },
      intake: { maxBytes: MAX },
    }));
    exportBytes = await readFile(world.exportFile);
    expect(exportBytes.length).toBeLessThan(MAX);
  });

  afterAll(async () => {
    await app?.close();
    await world?.close();
  });

  it('issues an upload key once through the CLI; only its hash is kept, the issue is audited without it', async () => {
    const r = await cli(['upload', '--link', world.link.id, '--new-token', '--json']);
    expect(r).toMatchObject({ code: 0 });
    key = JSON.parse(r.stdout).token;
    expect(key).toMatch(/^ejx_[\w-]{43}$/);
    const rows = JSON.stringify(await world.store.db.selectFrom('export_upload_tokens').selectAll().execute());
    expect(rows).toContain(world.link.id);
    expect(rows).not.toContain(key);
    const [audit] = await world.store.audit.list({ limit: 1 });
    expect(audit).toMatchObject({ action: 'intake.token_issued', objectId: world.link.id });
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it('refuses without the key, with a wrong key, or for an unknown link — coded JSON in Russian, nothing kept', async () => {
    const none = await post({ body: exportBytes });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: 'intake.token_invalid', message: expect.stringContaining('ключ загрузки'), hint: expect.stringContaining('Authorization: Bearer') });
    const wrong = await post({ token: `${key.slice(0, -2)}xx`, body: exportBytes });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error).toBe('intake.token_invalid');
    const unknown = await app.inject({ method: 'POST', url: '/api/links/no-such-link/exports', headers: { authorization: `Bearer ${key}` }, payload: exportBytes });
    expect(unknown.statusCode).toBe(403);
    expect(await kept()).toEqual([]);
  });

  it('refuses an export over the limit, declared or streamed, and one that is not a readable export', async () => {
    const big = Buffer.concat([exportBytes, Buffer.alloc(MAX)]);
    const declared = await post({ token: key, body: big });
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toMatchObject({ error: 'intake.too_large', message: expect.stringContaining('больше допустимого') });
    // No Content-Length: counted while streaming.
    const streamed = await post({ token: key, body: Readable.from([big.subarray(0, MAX / 2), big.subarray(MAX / 2)]) });
    expect(streamed.statusCode).toBe(413);
    const junk = await post({ token: key, body: Buffer.from('это не выгрузка\n') });
    expect(junk.statusCode).toBe(422);
    expect(junk.json()).toMatchObject({ error: 'intake.unreadable', message: expect.stringContaining('[input.unknown_format]') });
    const brokenJson = await post({ token: key, body: Buffer.from('{"school": ') });
    expect(brokenJson.statusCode).toBe(422);
    expect(await kept()).toEqual([]);
  });

  it('over a real socket: a streamed upload past the limit gets its 413, a good one is kept', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `${address}/api/links/${world.link.id}/exports`;
    // Sent in chunks with no Content-Length (chunked): the limit is found while streaming.
    const chunks = (total: number) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let sent = 0; sent < total; sent += 256 * 1024) c.enqueue(new Uint8Array(Math.min(256 * 1024, total - sent)).fill(65));
          c.close();
        },
      });
    const big = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: chunks(MAX + 512 * 1024), duplex: 'half' } as RequestInit);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'intake.too_large' });
    const other = Buffer.from(exportBytes.toString('utf8').replace(/^\{/, '{ '));
    const good = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: other });
    expect(good.status).toBe(201);
    expect(await good.json()).toMatchObject({ sha256: sha(other), size: other.length, duplicate: false });
    await world.store.db.deleteFrom('exports').execute();
  });

  it('a run plans from the uploaded export when the link’s file is gone from this host, and records which export', async () => {
    await rm(world.exportFile);
    // Without an uploaded export the run has nothing to read.
    const before = await world.sync();
    expect(before).toMatchObject({ status: 'failed', errorCode: 'delivery.source_unreadable' });

    const r = await post({ token: key, body: exportBytes, headers: { 'x-file-name': encodeURIComponent('выгрузка школы.json') } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ linkId: world.link.id, sha256: sha(exportBytes), size: exportBytes.length, fileName: 'выгрузка школы.json', format: 'json', duplicate: false, message: expect.stringContaining('Следующий запуск') });
    const again = await post({ token: key, body: exportBytes });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ sha256: sha(exportBytes), duplicate: true });
    expect(await kept()).toHaveLength(1);
    const [audit] = await world.store.audit.list({ limit: 1 });
    expect(audit).toMatchObject({ action: 'intake.export_received', objectId: world.link.id, details: { sha256: sha(exportBytes), duplicate: true } });

    const planned = await world.sync();
    expect(planned.errorCode).not.toBe('delivery.source_unreadable');
    expect(['succeeded', 'partial']).toContain(planned.status);
    expect(planned.writes).toBeGreaterThan(0);
    const newest = (await kept())[0];
    expect(planned.summary.sourceExport).toEqual({ sha256: sha(exportBytes), size: exportBytes.length, fileName: 'выгрузка школы.json', format: 'json', receivedAt: newest.receivedAt.toISOString() });
    expect(await runShowText(world.store, planned)).toContain(`Выгрузка МИС: загруженная ${newest.receivedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC, выгрузка школы.json`);
    const shown = await cli(['run', 'show', planned.id]);
    expect(shown.stdout).toContain(`SHA-256 ${sha(exportBytes)}`);
  });

  it('ejsync upload keeps a folder as a ZIP (the same folder twice is one export) and refuses what is not an export', async () => {
    const folder = path.join(world.cliEnv.EJSYNC_HOME!, 'school-export');
    const sink = await createMisCsvWriter(folder);
    await sink.school(world.source.school);
    for (const c of ENTITY_ORDER) for (const record of world.source[c]) await sink.add(c, record as never);
    await sink.close();
    const first = await cli(['upload', '--link', world.link.id, folder]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('принята и сохранена в базе');
    const hash = /SHA-256: ([0-9a-f]{64})/.exec(first.stdout)![1];
    expect(first.stdout).toMatch(/Размер: [\d.]+ МиБ \(\d+ байт\), файл: school-export\.zip/);
    expect(first.stdout).toContain('Следующий запуск связи');
    const second = await cli(['upload', '--link', world.link.id, folder, '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({ sha256: hash, format: 'zip', duplicate: true });
    expect((await kept())[0]).toMatchObject({ sha256: hash, format: 'zip', fileName: 'school-export.zip' });
    expect((await world.store.exports.content(world.link.id, hash))!.subarray(0, 4).readUInt32LE(0)).toBe(0x04034b50);

    const junkDir = path.join(world.cliEnv.EJSYNC_HOME!, 'junk');
    await mkdir(junkDir, { recursive: true });
    await writeFile(path.join(junkDir, 'notes.txt'), 'ничего');
    const refused = await cli(['upload', '--link', world.link.id, junkDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('[intake.unreadable]');
    expect(await kept()).toHaveLength(2);

    // Retention: the newest per link stays (no run is unsettled), the older one goes.
    const purge = await cli(['purge', '--exports-per-link', '1']);
    expect(purge.stdout).toContain('удалено старых загруженных выгрузок 1');
    expect((await kept()).map((e) => e.sha256)).toEqual([hash]);
  });
});
