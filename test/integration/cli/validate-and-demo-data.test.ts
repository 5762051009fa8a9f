import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/ejsync.js');

async function ejsync(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function folderHash(dir: string): string {
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(path.join(dir, f)));
  return h.digest('hex');
}

describe('ejsync demo-data and validate (the built CLI)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ejsync-validate-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('same seed, same bytes; another seed, another school', async () => {
    for (const [out, seed] of [['a', 's1'], ['b', 's1'], ['c', 's2']]) {
      const r = await ejsync('demo-data', '--out', path.join(tmp, out), '--pupils', '200', '--seed', seed);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Создана вымышленная школа');
    }
    expect(folderHash(path.join(tmp, 'a'))).toBe(folderHash(path.join(tmp, 'b')));
    expect(folderHash(path.join(tmp, 'a'))).not.toBe(folderHash(path.join(tmp, 'c')));
  });

  it('a generated school validates clean (exit 0) with a Russian report and per-entity counts', async () => {
    const r = await ejsync('validate', path.join(tmp, 'a'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Формат: выгрузка МИС (CSV)');
    expect(r.stdout).toMatch(/Обучающиеся\s+200/);
    expect(r.stdout).toContain('Итог: ошибок нет.');
  });

  it('--json and --report: findings with code, severity, file, row, field, message, hint; exit 1 on errors', async () => {
    const dir = path.join(tmp, 'a');
    const marks = readFileSync(path.join(dir, 'marks.csv'), 'utf8');
    writeFileSync(path.join(dir, 'marks.csv'), marks.replace(/;current;[^;]+;/, ';current;7;'));
    const xlsx = path.join(tmp, 'report.xlsx');
    const r = await ejsync('validate', dir, '--json', '--report', xlsx);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe('mis-csv');
    expect(out.counts.pupils).toBe(200);
    expect(out.findings).toEqual([
      expect.objectContaining({ code: 'mis.unknown_mark_value', severity: 'error', file: 'marks.csv', row: 1, field: 'value', message: expect.stringContaining('«7»'), hint: expect.any(String) }),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(2).value).toBe('Код');
    expect(sheet.getRow(2).getCell(2).value).toBe('mis.unknown_mark_value');

    const csv = path.join(tmp, 'report.csv');
    await ejsync('validate', dir, '--report', csv);
    const text = readFileSync(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('mis.unknown_mark_value;marks.csv;1;value');
  });

  it('unreadable input: exit 2, one finding, no stack trace', async () => {
    const r = await ejsync('validate', path.join(tmp, 'does-not-exist'), '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code)).toEqual(['input.not_found']);
    const text = await ejsync('validate', path.join(tmp, 'does-not-exist'));
    expect(text.stdout).toContain('Путь не найден');
    expect(text.stdout + text.stderr).not.toMatch(/\n\s+at /);
  });
});
