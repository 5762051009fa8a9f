import type { ReportingPeriod } from '../model';
import type { IdMapView } from './id-map-view';

/** Why a period counts as closed: the export's flag, a person in ejsync, the platform itself. */
export type ClosedBy = 'source' | 'ejsync' | 'platform';

/**
 * The periods the guard checks: the export's periods, each closed when the export says so, when a
 * person closed it in ejsync (`locked`, source period ids), or when the platform shows its twin
 * (through the id map) closed. Reopening in ejsync cannot open what the export or the platform
 * closed. Pure.
 */
export function effectivePeriods(
  source: readonly ReportingPeriod[],
  target: readonly ReportingPeriod[],
  idMap: IdMapView,
  locked: ReadonlySet<string>,
): (ReportingPeriod & { closedBy?: ClosedBy[] })[] {
  const targetById = new Map(target.map((p) => [p.sourceId, p]));
  return source.map((p) => {
    const twinId = idMap.targetId('periods', p.sourceId);
    const by: ClosedBy[] = [];
    if (p.closed) by.push('source');
    if (locked.has(p.sourceId)) by.push('ejsync');
    if (twinId !== undefined && targetById.get(twinId)?.closed) by.push('platform');
    return by.length ? { ...p, closed: true, closedBy: by } : { ...p };
  });
}
