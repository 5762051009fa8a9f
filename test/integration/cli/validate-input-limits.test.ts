import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { generateSchool } from '../../../src/connectors/demo-school';
import { createMisCsvWriter } from '../../../src/connectors/mis-csv';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/ejsync.js');

async function validate(target: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'validate', target], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ejsync validate reports hostile input in Russian, naming the file (the built CLI)', () => {
  let tmp: string;
  let dir: string;
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ejsync-validate-limits-'));
    dir = path.join(tmp, 'school');
    await generateSchool(await createMisCsvWriter(dir), { pupils: 40, seed: 'validate-limits' });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a NUL byte, a line of 3 MB and a KOI8-R file: one coded finding each, on its file; exit 1, no stack trace', async () => {
    const marks = readFileSync(path.join(dir, 'marks.csv'));
    const at = marks.indexOf(0x0a, marks.length / 2) + 1;
    writeFileSync(path.join(dir, 'marks.csv'), Buffer.concat([marks.subarray(0, at), Buffer.from([0]), marks.subarray(at)]));
    writeFileSync(path.join(dir, 'lessons.csv'), Buffer.concat([readFileSync(path.join(dir, 'lessons.csv')), Buffer.alloc(3 * 1024 * 1024, 0x78)]));
    const pupils = readFileSync(path.join(dir, 'pupils.csv'), 'utf8').replace(/^\uFEFF/, '');
    writeFileSync(path.join(dir, 'pupils.csv'), iconv.encode(pupils, 'koi8-r'));
    const line = marks.subarray(0, at).toString('latin1').split('\n').length;

    const r = await validate(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`ОШИБКА [input.nul_byte] — 1 шт.\n  • В текстовом файле есть нулевой байт (NUL): строка ${line} (marks.csv)`);
    expect(r.stdout).toMatch(/ОШИБКА \[input\.line_too_long\] — 1 шт\.\n  • Слишком длинная строка в файле: строка \d+ длиннее 1 МиБ \(lessons\.csv\)/);
    expect(r.stdout).toContain('  • Кодировка файла не поддерживается: похоже на KOI8-R (pupils.csv)');
    expect(r.stdout).toContain('Что сделать: Принимаются только UTF-8 и Windows-1251.');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\bat \S+ \(|Error:/);
  });

  it('two files named classes.csv and CLASSES.csv: the export is not read (exit 2)', async () => {
    copyFileSync(path.join(dir, 'classes.csv'), path.join(dir, 'CLASSES.csv'));
    const r = await validate(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('ОШИБКА [input.duplicate_file] — 1 шт.\n  • Файл с этим именем встречается в выгрузке дважды: CLASSES.csv, classes.csv (classes.csv)');
    expect(r.stdout).toContain('Итог: выгрузку прочитать не удалось.');
  });
});
