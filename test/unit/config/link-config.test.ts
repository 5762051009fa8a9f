import path from 'node:path';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { loadLinkFile } from '../../../src/config/link-config';
import { EjsyncError } from '../../../src/model';

describe('link files', () => {
  it('the example link validates, with policy defaults filled in and the source resolved', () => {
    const file = path.join(__dirname, '../../../config/links/example-perm-school.json');
    const link = loadLinkFile(file);
    expect(link.school.timeZone).toBe('Asia/Yekaterinburg');
    expect(link.policy.thresholds.archivePercent).toBe(10);
    expect(link.policy.thresholds.perEntity.marks?.updatePercent).toBe(90);
    expect(path.isAbsolute(link.source.path)).toBe(true);
  });

  it('a mistake names the field in Russian', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-link-'));
    try {
      const file = path.join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ id: 'bad:id', name: 'x', school: { sourceId: 's', timeZone: 'Mars/Base' }, source: { path: '.' }, target: { installation: 'dnevnik', schoolId: 'abc' } }));
      let error: EjsyncError | undefined;
      try {
        loadLinkFile(file);
      } catch (e) {
        error = e as EjsyncError;
      }
      expect(error?.code).toBe('config.invalid');
      expect(error?.message).toContain('id: допустимы латинские буквы');
      expect(error?.message).toContain('school.timeZone: неизвестный часовой пояс IANA');
      expect(error?.message).toContain('target.schoolId: идентификатор школы на платформе');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
