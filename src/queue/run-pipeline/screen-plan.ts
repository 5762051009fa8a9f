import type { TargetConnector } from '../../connectors/target-connector';
import type { Plan } from '../../reconcile';

/**
 * Leaves out of a plan what the platform cannot take as it is (the connector's `screen`, e.g. a
 * mark the school's mark system cannot hold): each such change becomes its finding instead, before
 * anything is written. The counts follow (a screened change counts as a finding, not a write).
 */
export async function screenPlan(connector: Pick<TargetConnector, 'screen'>, planned: Plan): Promise<Plan> {
  if (!connector.screen || !planned.changes.length) return planned;
  const refused = await connector.screen(planned.changes);
  if (!refused.size) return planned;
  const counts = { ...planned.counts };
  const changes = planned.changes.filter((c) => {
    if (!refused.has(c.id)) return true;
    counts[c.entity] = { ...counts[c.entity], [c.op]: counts[c.entity][c.op] - 1, findings: counts[c.entity].findings + 1 };
    return false;
  });
  return { ...planned, changes, counts, findings: [...planned.findings, ...refused.values()] };
}
