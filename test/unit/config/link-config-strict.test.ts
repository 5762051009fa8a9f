import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLinkFile } from '../../../src/config/link-config';
import { isValidCron } from '../../../src/config/cron-schema';
import { EjsyncError } from '../../../src/model';

const base = {
  id: 'school-7',
  name: 'МБОУ СОШ № 7 → Дневник.ру',
  school: { sourceId: 'S7', timeZone: 'Asia/Yekaterinburg' },
  source: { path: 'export' },
  target: { platform: 'dnevnik', installation: 'dnevnik', schoolId: '1000007' },
};

function loadError(dir: string, body: unknown): EjsyncError {
  const file = path.join(dir, 'link.json');
  writeFileSync(file, JSON.stringify(body));
  try {
    loadLinkFile(file);
  } catch (error) {
    if (error instanceof EjsyncError) return error;
    throw error;
  }
  throw new Error('loadLinkFile accepted the file');
}

describe('link config: crons checked with cron-parser, unknown keys rejected, one problem per line', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-link-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a valid cron and the default', () => {
    const file = path.join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ ...base, schedule: { cron: '30 1 * * 1-5' } }));
    expect(loadLinkFile(file).schedule.cron).toBe('30 1 * * 1-5');
    writeFileSync(file, JSON.stringify(base));
    expect(loadLinkFile(file).schedule.cron).toBe('0 2 * * *');
  });

  it('«каждую ночь» fails with a Russian message naming the file, the link and the field', () => {
    const error = loadError(dir, { ...base, schedule: { cron: 'каждую ночь' } });
    expect(error.code).toBe('config.invalid');
    expect(error.message).toContain(`${path.join(dir, 'link.json')}: связь «school-7»: schedule.cron: ожидается расписание cron`);
  });

  it('rejects unknown keys, one problem per line with its path', () => {
    const error = loadError(dir, { ...base, shedule: { cron: '0 2 * * *' }, target: { ...base.target, schoolID: '1' }, schedule: { cron: '99 2 * * *' } });
    const lines = error.message.split('\n').slice(1).map((line) => line.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/link\.json: связь «school-7»: shedule: неизвестный ключ/),
        expect.stringMatching(/link\.json: связь «school-7»: target\.schoolID: неизвестный ключ/),
        expect.stringMatching(/link\.json: связь «school-7»: schedule\.cron: /),
      ]),
    );
    expect(lines).toHaveLength(3);
  });

  it('isValidCron: five or six fields that cron-parser accepts', () => {
    expect(isValidCron('0 2 * * *')).toBe(true);
    expect(isValidCron('0 0 2 * * *')).toBe(true);
    expect(isValidCron('0 2 * *')).toBe(false);
    expect(isValidCron('61 2 * * *')).toBe(false);
  });
});

describe('config.json: unknown sections rejected, one problem per line naming the file', () => {
  it('names the file and the unknown key on its own line', () => {
    const { loadAppConfig } = require('../../../src/config/app-config') as typeof import('../../../src/config/app-config');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-app-config-'));
    try {
      const file = path.join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ alert: {}, intake: { maxBytes: -1 } }));
      let message = '';
      try {
        loadAppConfig(file);
      } catch (error) {
        message = (error as Error).message;
      }
      const lines = message.split('\n').slice(1).map((l) => l.trim());
      expect(lines).toEqual(expect.arrayContaining([`${file}: alert: неизвестный ключ (допустимые ключи — в config/README.md)`, expect.stringMatching(/config\.json: intake\.maxBytes: /)]));
      expect(lines).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
