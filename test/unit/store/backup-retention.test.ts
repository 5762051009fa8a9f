import { archivesToDelete, DEFAULT_RETENTION } from '../../../src/store/backup/backup-retention';

const archive = (day: string, time = '02-00-00-000') => ({ name: `ejsync-backup-${day}T${time}Z.ejb`, day });

/** Every day from `from` for `days` days. */
function daily(from: string, days: number) {
  const out = [];
  const d = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < days; i++) {
    out.push(archive(d.toISOString().slice(0, 10)));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

describe('backup retention (weekly 8, monthly 12, yearly 5 by default)', () => {
  it.each([
    ['nothing to delete in an empty folder', [], '2026-12-04', []],
    ['the only archive is kept, however old', [archive('2015-01-01')], '2026-12-04', []],
    ['two on one day: the older goes', [archive('2026-12-03', '01-00-00-000'), archive('2026-12-03', '02-00-00-000')], '2026-12-04', ['ejsync-backup-2026-12-03T01-00-00-000Z.ejb']],
    ['a year-old archive survives as its year\'s newest', [archive('2025-06-30'), archive('2026-12-01')], '2026-12-04', []],
    ['six years ago is past the five years', [archive('2020-06-30'), archive('2026-12-01')], '2026-12-04', ['ejsync-backup-2020-06-30T02-00-00-000Z.ejb']],
    ['an archive dated in the future is never deleted; of one week the newest stays', [archive('2027-01-01'), archive('2026-12-01'), archive('2026-12-02')], '2026-12-04', ['ejsync-backup-2026-12-01T02-00-00-000Z.ejb']],
  ])('%s', (_name, archives, today, deleted) => {
    expect(archivesToDelete(archives, today).map((a) => a.name)).toEqual(deleted);
  });

  it('two years of nightly archives keep one per recent week, one per month for a year, one per year', () => {
    const all = daily('2024-12-05', 730);
    const today = all[all.length - 1].day;
    const gone = new Set(archivesToDelete(all, today).map((a) => a.name));
    const kept = all.filter((a) => !gone.has(a.name)).map((a) => a.day);
    // At most 8 weekly + 12 monthly + 5 yearly (overlapping), at least one per month of the last year.
    expect(kept.length).toBeLessThanOrEqual(DEFAULT_RETENTION.weekly + DEFAULT_RETENTION.monthly + DEFAULT_RETENTION.yearly);
    for (let m = 0; m < 12; m++) {
      const d = new Date(`${today}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() - m, 1);
      expect(kept.some((k) => k.startsWith(d.toISOString().slice(0, 7)))).toBe(true);
    }
    expect(kept).toContain(today);
    expect(kept).toContain('2024-12-31');
    // The last 8 weeks each keep their newest archive (a Sunday, or today).
    expect(kept.filter((k) => k > '2026-10-05').length).toBeGreaterThanOrEqual(8);
  });
});
