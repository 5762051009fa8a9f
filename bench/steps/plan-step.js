'use strict';
// Child process (node --expose-gc): reads one export, onboards it on an in-memory Дневник.ру
// snapshot, then times the pure reconcile (plan + guard) in three cases; reports time, memory and
// what each plan contains.
const { performance } = require('node:perf_hooks');
const { deliveredPlatform, idMapEntriesOf } = require('../lib/delivered-platform');
const { dist } = require('../lib/paths');
const { mib, peakRssMiB, processMaxRssMiB, resetPeakRss } = require('../lib/peak-memory');
const { report, stepArgs } = require('../lib/run-step');

/** The moment of the planned run: a Wednesday morning in the school's zone, inside the demo window. */
const NOW = '2026-11-25T09:00:00+05:00';

const gc = () => {
  if (!global.gc) throw new Error('run with --expose-gc');
  global.gc();
  global.gc();
};

function totals(counts) {
  const sum = { create: 0, update: 0, archive: 0, unchanged: 0, manual: 0, findings: 0, matched: 0 };
  for (const c of Object.values(counts)) for (const k of Object.keys(sum)) sum[k] += c[k];
  return sum;
}

function methods(matches) {
  const by = {};
  for (const m of matches) by[m.method] = (by[m.method] ?? 0) + 1;
  return by;
}

async function main() {
  const { dir } = stepArgs();
  const { readSource } = dist('connectors/read-source');
  const { onboardSchool, PlatformIds } = dist('connectors/dnevnik/emulator');
  const { loadDnevnikPlatform } = dist('config/platform-config');
  const { defaultPolicy } = dist('config/policy');
  const { plan, guard, idMapFromEntries, EMPTY_ID_MAP } = dist('reconcile');

  const t0 = performance.now();
  const read = await readSource(dir);
  if (!read.snapshot) throw new Error(`${dir}: unreadable export`);
  const source = read.snapshot;
  const readSeconds = (performance.now() - t0) / 1000;
  const ids = new PlatformIds();
  const onboarded = onboardSchool(source, ids);
  // As src/queue/dnevnik-connector-factory.ts hands them to the connector, and plan-link.ts to plan.
  const platformConfig = loadDnevnikPlatform();
  const options = { capabilities: platformConfig.capabilities, comparableFields: platformConfig.comparableFields };
  const guardContext = { periods: source.periods, policy: defaultPolicy(), now: NOW, timeZone: source.school.timeZone };

  /** One measured plan + guard: time, peak RSS during it, heap it retains, and its contents. */
  const measure = (name, target, idMap) => {
    gc();
    const before = process.memoryUsage();
    const canResetPeak = resetPeakRss();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const planned = plan(source, target, idMap, options);
    const planSeconds = (performance.now() - start) / 1000;
    const g0 = performance.now();
    const guarded = guard(planned, guardContext);
    const guardSeconds = (performance.now() - g0) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const peak = peakRssMiB();
    gc();
    const after = process.memoryUsage();
    const kept = guarded.plan;
    const result = {
      case: name,
      seconds: planSeconds + guardSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      planSeconds,
      guardSeconds,
      rssBeforeMiB: mib(before.rss),
      peakRssMiB: canResetPeak ? peak : null,
      retainedHeapMiB: mib(after.heapUsed - before.heapUsed),
      targetRecords: Object.values(target).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0),
      changes: kept.changes.length,
      totals: totals(kept.counts),
      byEntity: Object.fromEntries(
        Object.entries(kept.counts)
          .filter(([, c]) => Object.values(c).some((n) => n > 0))
          .map(([e, c]) => [e, { create: c.create, update: c.update, archive: c.archive, unchanged: c.unchanged, manual: c.manual }]),
      ),
      manualActions: kept.manualActions.length,
      findings: kept.findings.length,
      newMatches: kept.matches.length,
      matchMethods: methods(kept.matches),
      decision: guarded.decision,
      withheld: guarded.withheld.length,
    };
    process.stdout.write(`${name}: ${result.seconds.toFixed(2)} s, ${result.changes} changes, ${result.totals.unchanged} unchanged\n`);
    return { result, guarded };
  };

  const sourceRecords = Object.values(source).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);

  // 1. First run: nothing linked yet, every record matched by natural keys (SNILS, names, keys).
  const first = measure('first-run', onboarded.platform, EMPTY_ID_MAP);
  // 2. Re-plan against the same platform with the links the first plan persisted (as plan-processor.ts stores them).
  const persisted = first.guarded.plan.matches.filter((m) => m.method !== 'id_map').map((m) => ({ entity: m.entity, sourceId: m.sourceId, targetId: m.targetId }));
  first.guarded = undefined;
  const replan = measure('re-plan', onboarded.platform, idMapFromEntries(persisted));
  replan.guarded = undefined;
  // 3. Steady state: the first run was delivered (journal records exist on the platform, all linked).
  const delivered = deliveredPlatform(source, onboarded, ids);
  const fullIdMap = idMapFromEntries(idMapEntriesOf(onboarded.idOf));
  onboarded.idOf.clear(); // the bench's own bookkeeping: not part of what a run holds
  const steady = measure('steady-state', delivered, fullIdMap);

  report({
    setup: { readSourceSeconds: readSeconds, sourceRecords, sourceFindings: read.findings.length, idMapEntriesFirstRun: persisted.length },
    cases: [first.result, replan.result, steady.result],
    processPeakRssMiB: processMaxRssMiB(),
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
