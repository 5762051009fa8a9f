import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSchool } from '../../../src/connectors/demo-school';
import { jsonNestingDepth } from '../../../src/connectors/file-bundle';
import { createMisJsonWriter, readMisJson } from '../../../src/connectors/mis-csv';
import { readSource } from '../../../src/connectors/read-source';

let root: string;
let clean: Record<string, unknown>;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-json-limits-'));
  const file = path.join(root, 'clean.json');
  await generateSchool(createMisJsonWriter(file), { pupils: 20, seed: 'json-limits' });
  clean = JSON.parse(await readFile(file, 'utf8'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function readText(text: string, name = 'export.json') {
  const file = path.join(root, name);
  await writeFile(file, text);
  return readSource(file);
}

describe('nesting depth, measured without parsing', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[{"b":[1,2]}]}', 4],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"x\\\\"}', 1],
    ['{"a":"\\"[[[\\"","b":[[]]}', 3],
    ['{"a":"unterminated [[[', 1],
  ])('%s → %d', (text, depth) => {
    expect(jsonNestingDepth(text)).toBe(depth);
  });

  it('stops as soon as the limit is passed', () => {
    expect(jsonNestingDepth(`${'['.repeat(1000)}${']'.repeat(1000)}`, 10)).toBe(11);
  });
});

describe('a МИС JSON document is refused whole, with a code, when', () => {
  it('a value nests 100,000 deep (it would overflow the stack later): input.json_too_deep', async () => {
    const depth = 100_000;
    const text = JSON.stringify({ ...clean, pupils: [] }).replace('"pupils":[]', `"pupils":[{"id":"x","extra":${'['.repeat(depth)}${']'.repeat(depth)}}]`);
    const result = await readText(text);
    expect(result.snapshot).toBeNull();
    expect(result.findings).toEqual([expect.objectContaining({ code: 'input.json_too_deep', severity: 'error', file: 'export.json', message: 'Слишком глубокая вложенность JSON-документа: глубже 32 уровней' })]);
  });

  it('the depth limit is an option; a generated document is within the default', async () => {
    const file = path.join(root, 'clean-again.json');
    await writeFile(file, JSON.stringify(clean));
    expect((await readMisJson(file)).findings).toEqual([]);
    expect((await readMisJson(file, { limits: { maxJsonDepth: 2 } })).findings.map((f) => f.code)).toEqual(['input.json_too_deep']);
  });

  it.each([
    ['another format', { format: 'oneroster' }, 'input.json_wrong_format', 'format «oneroster», ожидается «ejsync-mis»'],
    ['no format', { format: undefined }, 'input.json_wrong_format', 'нет поля format'],
    ['another version', { version: 2 }, 'input.json_unsupported_version', 'version 2, читается 1'],
    ['a version as text', { version: '1' }, 'input.json_unsupported_version', 'version «1», читается 1'],
    ['no version', { version: undefined }, 'input.json_unsupported_version', 'нет поля version'],
  ])('%s', async (_name, change, code, detail) => {
    const result = await readText(JSON.stringify({ ...clean, ...change }));
    expect(result.snapshot).toBeNull();
    expect(result.findings).toEqual([expect.objectContaining({ code, severity: 'error', file: 'export.json', message: expect.stringMatching(new RegExp(`: ${detail.replace(/[«»]/g, '.')}$`)) })]);
  });

  it('it is larger than the limit (input.too_large, with sizes)', async () => {
    const file = path.join(root, 'large.json');
    await writeFile(file, JSON.stringify(clean));
    const result = await readMisJson(file, { limits: { maxJsonBytes: 2048 } });
    expect(result.findings).toEqual([expect.objectContaining({ code: 'input.too_large', message: expect.stringContaining('допустимо не более 2 КиБ') })]);
  });
});

describe('a NUL character in a МИС JSON value', () => {
  it('is a finding on that field, never stored (PostgreSQL cannot hold it)', async () => {
    const doc = structuredClone(clean) as { pupils: Record<string, unknown>[]; staff: Record<string, unknown>[] };
    doc.pupils[0].last_name = `${String(doc.pupils[0].last_name)}\u0000`;
    doc.staff[0].email = 'a\u0000@school.ru';
    const result = await readText(JSON.stringify(doc), 'nul.json');
    expect(result.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'mis.invalid_value', file: 'nul.json → pupils', row: 1, field: 'last_name', message: expect.stringContaining('нулевой символ') }),
        expect.objectContaining({ code: 'mis.invalid_value', file: 'nul.json → staff', row: 1, field: 'email' }),
      ]),
    );
    expect(JSON.stringify(result.snapshot)).not.toContain('\\u0000');
  });
});
