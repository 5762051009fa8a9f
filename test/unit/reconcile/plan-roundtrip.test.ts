import { ENTITY_ORDER } from '../../../src/model';
import { idMapFromEntries, plan } from '../../../src/reconcile';
import { applyPlan } from './helpers/apply-plan';
import { fullCapabilities } from './helpers/fixtures';
import { randomPair } from './helpers/random-snapshot';

const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);

describe('plan → apply → plan again', () => {
  it('needs no further change for any of 300 random source/platform pairs', () => {
    const seen = { create: 0, update: 0, archive: 0, ambiguous: 0, natural: 0 };
    for (const seed of SEEDS) {
      const { source, target, entries } = randomPair(seed);
      const first = plan(source, target, idMapFromEntries(entries), { capabilities: fullCapabilities() });
      for (const c of first.changes) seen[c.op]++;
      seen.ambiguous += first.findings.filter((f) => f.code === 'reconcile.ambiguous_match').length;
      seen.natural += first.matches.length;
      expect(first.manualActions).toEqual([]);

      const applied = applyPlan(target, first, entries);
      const second = plan(source, applied.target, idMapFromEntries(applied.entries), { capabilities: fullCapabilities() });
      if (second.changes.length > 0 || second.matches.length > 0)
        throw new Error(`seed ${seed}: ${JSON.stringify({ changes: second.changes.slice(0, 3), matches: second.matches.slice(0, 3) }, null, 1)}`);
      // Whatever the first plan could not do, it still cannot: the same findings, nothing new.
      const key = (f: { code: string; entity?: string; sourceId?: string }) => `${f.code}|${f.entity}|${f.sourceId}`;
      const blocked = (p: typeof first) => p.findings.filter((f) => f.code !== 'reconcile.unmatched_target').map(key).sort();
      expect(blocked(second)).toEqual(blocked(first));
      for (const e of ENTITY_ORDER) expect(second.counts[e].create + second.counts[e].update + second.counts[e].archive).toBe(0);
    }
    // The generator really exercises every path.
    expect(seen.create).toBeGreaterThan(100);
    expect(seen.update).toBeGreaterThan(100);
    expect(seen.archive).toBeGreaterThan(100);
    expect(seen.ambiguous).toBeGreaterThan(10);
    expect(seen.natural).toBeGreaterThan(100);
  });
});
