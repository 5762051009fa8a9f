import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runApprove, runRuns, runShow, runDiscard } from '../../../src/cli/run-commands';
import { printError } from '../../../src/cli/command-runner';
import { openStore } from '../../../src/store';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  return { io: { stdout, stderr }, text: () => out };
}

describe('ejsync runs / run show / discard (PGlite under EJSYNC_HOME, real Redis)', () => {
  let home: string;
  const previous = process.env.EJSYNC_HOME;
  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-cli-'));
    process.env.EJSYNC_HOME = home;
    const store = await openStore({ home });
    await store.links.upsert({ id: 'link-1', name: 'Школа → Дневник.ру', schoolId: 'school-1', platform: 'dnevnik', config: { id: 'link-1', target: { platform: 'dnevnik' } } });
    await store.runs.create({ id: 'run-a', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    await store.runs.transition('run-a', 'held', { summary: { plan: { marks: { create: 0, update: 0, archive: 12, unchanged: 3, manual: 0, findings: 1 } } }, heldReasons: [{ code: 'guard.threshold_archive' }] });
    await store.close();
  });
  afterAll(() => {
    process.env.EJSYNC_HOME = previous;
    rmSync(home, { recursive: true, force: true });
  });

  it('lists runs as JSON with id, status, counts and writes', async () => {
    const c = capture();
    expect(await runRuns({ json: true }, c.io)).toBe(0);
    const parsed = JSON.parse(c.text());
    expect(parsed.runs).toEqual([expect.objectContaining({ id: 'run-a', status: 'held', writes: 0, counts: { marks: expect.objectContaining({ archive: 12 }) } })]);
  });

  it('shows a run in Russian with its plan table', async () => {
    const c = capture();
    expect(await runShow('run-a', {}, c.io)).toBe(0);
    expect(c.text()).toContain('задержан (ждёт решения)');
    expect(c.text()).toMatch(/Отметки\s+0\s+0\s+12\s+3/);
  });

  it('discards a held run and audits it', async () => {
    const c = capture();
    expect(await runDiscard('run-a', { reason: 'неполная выгрузка' }, c.io)).toBe(0);
    expect(c.text()).toContain('отклонён');
    const store = await openStore({ home });
    try {
      expect((await store.runs.require('run-a')).status).toBe('discarded');
      expect((await store.audit.list())[0]).toMatchObject({ actorOid: 'cli', action: 'run.discarded', details: { reason: 'неполная выгрузка' } });
    } finally {
      await store.close();
    }
  });

  it('refuses to approve a held run a newer plan superseded, with the code and a Russian message', async () => {
    const store = await openStore({ home });
    try {
      await store.runs.create({ id: 'run-b', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
      await store.runs.transition('run-b', 'held', { heldReasons: [{ code: 'guard.threshold_archive' }] });
      await store.runs.create({ id: 'run-c', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
      await store.runs.supersedeHeld({ id: 'run-c', linkId: 'link-1' });
    } finally {
      await store.close();
    }
    const c = capture();
    let err = '';
    c.io.stderr.on('data', (chunk) => (err += chunk));
    await runApprove('run-b', { reason: 'одобряю' }, c.io).then(
      () => expect('approved').toBe('refused'),
      (error: unknown) => printError(c.io, error),
    );
    expect(err).toContain('Ошибка [run.superseded]: Запуск заменён более новым: одобрить его нельзя: запуск run-b заменён запуском run-c');
    expect(err).toContain('Что делать: После этого запуска по той же связи построен более новый план');
    const shown = capture();
    expect(await runShow('run-b', {}, shown.io)).toBe(0);
    expect(shown.text()).toContain('заменён более новым');
  });
});
