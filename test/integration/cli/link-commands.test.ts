import axios from 'axios';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { loadDnevnikPlatform, markEndpointsOf } from '../../../src/config/platform-config';
import { generateSchool } from '../../../src/connectors/demo-school';
import { valueMapsOf } from '../../../src/connectors/dnevnik';
import { consentAs, onboardSchool, startDnevnikEmulator } from '../../../src/connectors/dnevnik/emulator';
import { createMisCsvWriter } from '../../../src/connectors/mis-csv';
import { readSource } from '../../../src/connectors/read-source';
import { dropSchema } from '../../../src/store';
import { DATABASE_URL } from '../../helpers/database';
import { redisTestContext } from '../../helpers/redis';

const execute = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/ejsync.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Collects a child's output and resolves when a line matching `re` appears. */
function waitForOutput(child: ChildProcess, re: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${re} in output: ${text}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const m = re.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

const exitOf = (child: ChildProcess) => new Promise<{ code: number | null; output: string }>((resolve) => {
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  child.on('exit', (code) => resolve({ code, output }));
});

/**
 * The link commands as an administrator runs them, through the built CLI: `dnevnik connect` (OAuth
 * through the emulator, the code arriving at the loopback redirect), `plan` (nothing sent, report
 * written), `sync` (in-process worker when none runs), then a separate `worker` process serving a
 * second `sync`, stopped with SIGTERM. Real Redis (own prefix) and PostgreSQL (own schema).
 */
describe('plan, sync, worker and dnevnik connect (built CLI against the Дневник.ру emulator)', () => {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  let home: string;
  let linkFile: string;
  let env: NodeJS.ProcessEnv;
  let emulator: Awaited<ReturnType<typeof startDnevnikEmulator>>;
  let redis: Awaited<ReturnType<typeof redisTestContext>>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await redisTestContext();
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-link-'));
    const exportDir = path.join(home, 'export');
    await generateSchool(await createMisCsvWriter(exportDir), { pupils: 40, seed: 'link-commands', weeks: 1 });
    const read = await readSource(exportDir);
    const source = read.snapshot!;
    const { platform } = onboardSchool(source);
    emulator = await startDnevnikEmulator(platform, valueMapsOf(loadDnevnikPlatform()), { requestLimit: { max: 10_000, windowMs: 1000 }, markEndpoints: markEndpointsOf(loadDnevnikPlatform(), 'emulator') });
    linkFile = path.join(home, 'link.json');
    writeFileSync(
      linkFile,
      JSON.stringify({
        id: 'cli-school',
        name: 'Школа для проверки команд → эмулятор',
        school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
        source: { path: './export' },
        target: { installation: 'emulator', schoolId: platform.school.sourceId, baseUrl: emulator.apiBase },
        policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
        windowDays: 400,
      }),
    );
    env = {
      ...process.env,
      EJSYNC_HOME: home,
      DATABASE_URL,
      EJSYNC_DATABASE_SCHEMA: schema,
      EJSYNC_QUEUE_PREFIX: redis.prefix,
      EJSYNC_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
    };
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await emulator?.close();
    await redis?.cleanup();
    await dropSchema(DATABASE_URL, schema);
    rmSync(home, { recursive: true, force: true });
  });

  const cli = (args: string[]) => execute(process.execPath, [BIN, ...args], { env, maxBuffer: 32 * 1024 * 1024 }).catch((e: { code: number; stdout: string; stderr: string }) => e);

  it('plan before connecting fails with the token code and what to do', async () => {
    const result = (await cli(['plan', '--link', linkFile])) as { code?: number; stderr: string };
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[dnevnik.token_missing]');
    expect(result.stderr).toContain('ejsync dnevnik connect');
  });

  it('dnevnik connect: the code comes back to the loopback redirect, the token is stored and checked', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'dnevnik', 'connect', '--link', linkFile, '--redirect-uri', `http://127.0.0.1:${port}/dnevnik/callback`], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    const exited = exitOf(child);
    const url = await waitForOutput(child, /http:\/\/127\.0\.0\.1:\d+\/oauth2\?\S+/);
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/dnevnik/callback`);
    // The person's browser: allows access on the consent page and is sent back to the loopback address.
    const back = await axios.get(await consentAs(url), { responseType: 'text' });
    expect(back.data).toContain('Готово');
    const { code, output } = await exited;
    expect(output).toContain('Подключено: школа');
    expect(code).toBe(0);
  });

  it('dnevnik connect with an address from another sign-in is refused (state mismatch)', async () => {
    const result = (await cli(['dnevnik', 'connect', '--link', linkFile, '--code', 'http://127.0.0.1:1/cb?code=abc&state=someone-else'])) as { code?: number; stderr: string };
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[dnevnik.parameter_invalid]');
  });

  it('plan reports what a sync would do, writes the report and sends nothing', async () => {
    const out = path.join(home, 'plan-report');
    const { stdout } = (await cli(['plan', '--link', linkFile, '--json', '--out', out])) as { stdout: string };
    const [plan] = JSON.parse(stdout).runs;
    expect(plan.status).toBe('planned');
    expect(plan.writes).toBe(0);
    expect(plan.counts.works.create).toBeGreaterThan(0);
    expect(plan.counts.marks.create).toBeGreaterThan(0);
    expect(plan.changes).toBeGreaterThan(0);
    expect(emulator.state.writes).toHaveLength(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, 'changes.xlsx'));
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('Вид записей');
    expect(sheet.rowCount - 1).toBe(plan.changes);
    // In school terms: whom a mark concerns (name, class), where, and its value.
    expect(sheet.getRow(1).getCell(3).value).toBe('Кого касается');
    const marks = sheet.getRows(2, sheet.rowCount - 1)!.filter((r) => r.getCell(1).value === 'Отметки');
    expect(String(marks[0].getCell(3).value)).toMatch(/^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+.*, \d{1,2}[А-Я]$/);
    expect(String(marks[0].getCell(5).value)).toMatch(/Отметка: «[^»]+»/);
    expect(existsSync(path.join(out, 'plan.json'))).toBe(true);

    const human = (await cli(['plan', '--link', linkFile, '--no-report'])) as { stdout: string };
    expect(human.stdout).toContain('План синхронизации (на платформу ничего не отправлено)');
    expect(human.stdout).toMatch(/Отметки\s+\d+/);
  });

  it('sync applies the plan through the queue (starting its own worker) and a re-plan is empty', async () => {
    const { stdout, stderr } = (await cli(['sync', '--link', linkFile, '--json'])) as { stdout: string; stderr: string };
    expect(stderr).toContain('запускаю обработчик в этом процессе');
    const [run] = JSON.parse(stdout).runs;
    expect(run.status).toBe('succeeded');
    expect(run.environment).toBe('emulator');
    expect(run.writes).toBeGreaterThan(0);
    expect(run.writes).toBe(emulator.state.writes.length);

    const { stdout: again } = (await cli(['plan', '--link', linkFile, '--json', '--no-report'])) as { stdout: string };
    expect(JSON.parse(again).runs[0].changes).toBe(0);
  }, 120_000);

  it('a separate worker process serves the next sync and stops cleanly on SIGTERM', async () => {
    const worker = spawn(process.execPath, [BIN, 'worker', '--queues', 'plan,dnevnik'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(worker);
    const exited = exitOf(worker);
    await waitForOutput(worker, /Обработчик ejsync запущен/);
    const before = emulator.state.writes.length;
    const { stdout, stderr } = (await cli(['sync', '--link', linkFile, '--json'])) as { stdout: string; stderr: string };
    expect(stderr).not.toContain('запускаю обработчик');
    const [run] = JSON.parse(stdout).runs;
    expect(run.status).toBe('succeeded');
    expect(run.writes).toBe(0);
    expect(emulator.state.writes.length).toBe(before);
    worker.kill('SIGTERM');
    const { code, output } = await exited;
    expect(output).toContain('Обработчик остановлен');
    expect(code).toBe(0);
  }, 120_000);
});
