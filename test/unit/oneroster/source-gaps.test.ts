import { idMapFromEntries, plan, sourceGapsOf, type Plan } from '../../../src/reconcile';
import { fullCapabilities, mirror } from '../reconcile/helpers/fixtures';
import { readPackage, row, table, validPackage, type Package } from './helpers/oneroster-fixture';

const ops = (p: Plan) => p.changes.map((c) => `${c.entity} ${c.op} ${c.sourceId}`).sort();

/** The valid school without pupil p2: its user, role, demographics, enrollments, results and guardian link. */
function withoutPupilP2(pkg: Package): Package {
  const drop = (file: string, keep: (r: Record<string, string>) => boolean) => (table(pkg, file).rows = table(pkg, file).rows.filter(keep));
  drop('users.csv', (r) => r.sourcedId !== 'p2');
  drop('roles.csv', (r) => r.userSourcedId !== 'p2');
  drop('demographics.csv', (r) => r.sourcedId !== 'p2');
  drop('enrollments.csv', (r) => r.userSourcedId !== 'p2');
  drop('results.csv', (r) => r.studentSourcedId !== 'p2');
  return pkg;
}

describe('OneRoster read → planner: rejected records are unknown, not deleted (issue 15, pt 6)', () => {
  it('one bad result row plans no archive of that mark, while a pupil gone from the roster is archived', async () => {
    const synced = (await readPackage(validPackage())).snapshot!;
    const { target, entries } = mirror(synced);
    const pkg = withoutPupilP2(validPackage());
    // res-1 is broken: its scoreDate is not a date.
    row(pkg, 'results.csv', 'res-1').scoreDate = '7 сентября';
    const read = await readPackage(pkg);
    expect(read.findings.filter((f) => f.severity === 'error')).toEqual([expect.objectContaining({ code: 'oneroster.invalid_value', file: 'results.csv', sourceId: 'res-1' })]);
    expect(read.rejected).toEqual({ marks: ['res-1'] });
    const gaps = sourceGapsOf(read);
    expect([...gaps.incomplete]).toEqual(['marks']);
    const p = plan(read.snapshot!, target, idMapFromEntries(entries), { capabilities: fullCapabilities(), gaps });
    expect(ops(p)).toEqual(['guardianLinks archive g2:p2', 'memberships archive e-p2', 'memberships archive e-p2-math', 'pupils archive p2']);
    expect(ops(p)).not.toContain('marks archive res-1');
  });

  it('the read says which collections each file feeds', async () => {
    const read = await readPackage(validPackage());
    expect(read.fileCollections).toMatchObject({
      'results.csv': ['marks'],
      'users.csv': ['staff', 'pupils', 'guardians', 'guardianLinks'],
      'enrollments.csv': ['classes', 'subgroups', 'memberships'],
      'academicsessions.csv': ['academicYears', 'periods'],
      'lineitems.csv': ['works', 'marks'],
    });
    expect(read.rejected).toEqual({});
  });
});
