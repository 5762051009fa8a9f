import { emptySnapshot, type Snapshot } from '../../../src/model';
import { derivePersonDirectory } from '../../../src/reconcile/identity/person-directory';
import { refreshPersonDirectory } from '../../../src/queue/refresh-person-directory';

function school(): Snapshot {
  const s = emptySnapshot({ sourceId: 'school-1', name: 'МБОУ СОШ № 1', timeZone: 'Asia/Yekaterinburg' });
  s.staff.push(
    { sourceId: 't2', lastName: 'Учителёва', firstName: 'Анна', middleName: 'Петровна', birthDate: '1980-01-01', snils: '11223344595' },
    { sourceId: 't1', lastName: 'Директоров', firstName: 'Иван', esiaOid: '1000100009' },
    { sourceId: 't3', lastName: 'Безданных', firstName: 'Пётр' },
  );
  s.pupils.push(
    { sourceId: 'p1', lastName: 'Иванов', firstName: 'Иван', birthDate: '2015-03-01', snils: '08765432199' },
    { sourceId: 'p2', lastName: 'Иванова', firstName: 'Мария', birthDate: '2017-05-02' },
  );
  s.guardians.push(
    { sourceId: 'g1', lastName: 'Иванова', firstName: 'Ольга', birthDate: '1988-07-07' },
    { sourceId: 'g2', lastName: 'Иванов', firstName: 'Олег', snils: '112 233 445 95' },
  );
  s.guardianLinks.push(
    { sourceId: 'gl1', guardianId: 'g1', pupilId: 'p2', relation: 'mother' },
    { sourceId: 'gl2', guardianId: 'g1', pupilId: 'p1', relation: 'mother' },
    { sourceId: 'gl3', guardianId: 'g1', pupilId: 'p1', relation: 'mother' },
    { sourceId: 'gl4', guardianId: 'g2', pupilId: 'p-gone', relation: 'father' },
  );
  return s;
}

describe('person directory from a source snapshot', () => {
  it('staff and guardians with normalised keys, ids and oids — sorted, one entry each', () => {
    const entries = derivePersonDirectory(school());
    expect(entries.map((e) => `${e.kind}/${e.sourceId}`)).toEqual(['guardian/g1', 'guardian/g2', 'staff/t1', 'staff/t2']);
    expect(entries.find((e) => e.sourceId === 't2')).toEqual({ kind: 'staff', sourceId: 't2', keys: { snils: '11223344595', nameBirth: 'учителева анна петровна|1980-01-01' }, children: [] });
    expect(entries.find((e) => e.sourceId === 't1')).toEqual({ kind: 'staff', sourceId: 't1', esiaOid: '1000100009', keys: {}, children: [] });
    expect(entries.find((e) => e.sourceId === 'g2')?.keys).toEqual({ snils: '11223344595' });
  });

  it('leaves out whoever could never be linked (no oid, no СНИЛС, no birth date)', () => {
    expect(derivePersonDirectory(school()).some((e) => e.sourceId === 't3')).toBe(false);
  });

  it('a guardian carries their children: pupil ids from the guardian links, deduplicated, with the pupils’ keys; links to missing pupils are dropped', () => {
    const entries = derivePersonDirectory(school());
    expect(entries.find((e) => e.sourceId === 'g1')?.children).toEqual([
      { pupilId: 'p1', keys: { snils: '08765432199', nameBirth: 'иванов иван|2015-03-01' } },
      { pupilId: 'p2', keys: { nameBirth: 'иванова мария|2017-05-02' } },
    ]);
    expect(entries.find((e) => e.sourceId === 'g2')?.children).toEqual([]);
  });

  it('carries no names, birth dates or raw spellings beyond the key material', () => {
    const text = JSON.stringify(derivePersonDirectory(school()));
    expect(text).not.toContain('Учителёва');
    expect(text).not.toContain('112 233 445 95');
    expect(text).not.toMatch(/lastName|firstName|birthDate/);
  });

  it('refreshPersonDirectory hands the school id and the derived entries to the store', async () => {
    const calls: unknown[][] = [];
    const result = await refreshPersonDirectory({ personDirectory: { replaceSchool: async (...args) => void calls.push(args) } }, 'school-1', school());
    expect(result).toEqual({ entries: 4 });
    expect(calls).toEqual([['school-1', derivePersonDirectory(school())]]);
  });
});
