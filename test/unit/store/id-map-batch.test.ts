import { idMapBatch, type IdMapRow } from '../../../src/store/repositories/id-map-repository';

const row = (entity: IdMapRow['entity'], sourceId: string, targetId: string, matchedBy: IdMapRow['matchedBy'] = 'created'): IdMapRow => ({ entity, sourceId, targetId, matchedBy });

describe('idMapBatch: an id map batch as one statement takes it', () => {
  it('sorts by entity, then source id, whatever order the rows came in', () => {
    const rows = [row('pupils', 'p2', 't2'), row('marks', 'm1', 'x1'), row('pupils', 'p10', 't10'), row('pupils', 'p1', 't1')];
    expect(idMapBatch(rows).map((r) => `${r.entity}/${r.sourceId}`)).toEqual(['marks/m1', 'pupils/p1', 'pupils/p10', 'pupils/p2']);
    expect(idMapBatch([...rows].reverse())).toEqual(idMapBatch(rows));
  });

  it('keeps the later of two rows for one source record', () => {
    expect(idMapBatch([row('pupils', 'p1', 't1', 'snils'), row('pupils', 'p1', 't9', 'name_birthdate')])).toEqual([row('pupils', 'p1', 't9', 'name_birthdate')]);
  });

  it('keeps the later of two rows for one platform record, per entity', () => {
    expect(idMapBatch([row('pupils', 'p1', 't1'), row('pupils', 'p2', 't1'), row('staff', 's1', 't1')])).toEqual([row('pupils', 'p2', 't1'), row('staff', 's1', 't1')]);
  });
});
