import { LOST_ANSWER_CHECK } from '../../../src/connectors/dnevnik';
import type { EmulatorFaults, EmulatorRequest, EmulatorState } from '../../../src/connectors/dnevnik/emulator';
import type { Snapshot } from '../../../src/model';
import { idMapFromEntries, plan, type Plan } from '../../../src/reconcile';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';
import { deliverWithRetries, MemoryIdMap, type AttemptLog } from './deliver-with-retries';

/**
 * Дневник.ру under fire: the same two syncs (first: creates; second: updates and deletes) run
 * against a calm emulator and against one that answers 5xx, HTML 503 pages, 429 bursts with
 * Retry-After, never answers, drops connections, and applies writes but drops the answer. The
 * faulty run must end in the same journal, write every record once, honour every wait and name
 * every failure with the right catalogue code.
 */

const FAULTS: EmulatorFaults = {
  serverErrorRate: 0.1,
  htmlErrorRate: 0.05,
  burst429Rate: 0.02,
  retryAfterSeconds: 0.15,
  timeoutRate: 0.01,
  dropRate: 0.02,
  dropAfterWriteRate: 0.15,
};
const PUPILS = 30;
/** Monday to Wednesday of the generated week: enough records (~250 writes) at a modest runtime. */
const LAST_DAY = '2026-11-11';
function firstDays(s: Snapshot): Snapshot {
  const lessons = new Set(s.lessons.filter((l) => l.date <= LAST_DAY).map((l) => l.sourceId));
  return { ...s, lessons: s.lessons.filter((l) => lessons.has(l.sourceId)), works: s.works.filter((w) => w.date <= LAST_DAY), marks: s.marks.filter((m) => m.date <= LAST_DAY), attendance: s.attendance.filter((a) => lessons.has(a.lessonId)) };
}
const scopeOf = (schoolId: string) => ({ schoolId, from: '2026-11-01', to: '2026-11-30' });

/** The code each injected fault must be reported as. */
const EXPECTED_CODE: Record<NonNullable<EmulatorRequest['fault']>, string> = {
  server_error: 'dnevnik.server_error',
  html_error: 'dnevnik.maintenance',
  burst_429: 'dnevnik.rate_limited',
  throttled: 'dnevnik.rate_limited',
  request_limit: 'dnevnik.rate_limited',
  timeout: 'dnevnik.timeout',
  drop: 'dnevnik.connection_failed',
  drop_after_write: 'dnevnik.connection_failed',
};

/** The journal as a school would see it: works, marks and attendance by natural key, no platform ids of new records. */
function journal(state: EmulatorState) {
  const workKey = (id: string) => {
    const w = state.works.get(id);
    return w ? `${w.lessonId}|${w.workTypeId}|${w.title ?? ''}` : `missing ${id}`;
  };
  return {
    works: [...state.works.keys()].map(workKey).sort(),
    marks: [...state.marks.values()].map((m) => `${m.pupilId}|${workKey(m.workId!)}|${m.platformValue}`).sort(),
    attendance: [...state.entries.values()].map((e) => `${e.lessonId}|${e.pupilId}|${e.platformStatus}|${e.comment ?? ''}`).sort(),
  };
}

/** Second-sync edits in the МИС: changed and removed marks, attendance and works. */
function editSource(source: Snapshot): Snapshot {
  const s = structuredClone(source);
  const graded = new Set(s.marks.map((m) => m.workId));
  const [goneWork, ...rest] = s.works.filter((w) => graded.has(w.sourceId));
  s.works = s.works.filter((w) => w !== goneWork);
  s.marks = s.marks.filter((m) => m.workId !== goneWork.sourceId);
  for (const w of rest.slice(0, 2)) w.title = `${w.title ?? ''} (исправлено)`;
  for (const m of s.marks.filter((x) => x.value === '5').slice(0, 5)) m.value = '4';
  s.marks.splice(3, 10);
  for (const a of s.attendance.filter((x) => x.status === 'absent').slice(0, 2)) a.status = 'ill';
  s.attendance.splice(0, 10);
  return s;
}

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;

/** Reads the platform, retrying a failed read as the planning job is retried. */
async function readWithRetries(stand: Stand) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await stand.connector.readSnapshot(scopeOf(stand.platform.school.sourceId));
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

interface RoundResult {
  plan: Plan;
  replan: Plan;
  attempts: AttemptLog[];
  /** `state.requests` index range of the delivery phase (sequential, like a paused queue). */
  deliveryRequests: [number, number];
}

/** Plan against the platform, deliver every change in order with retries, plan again. */
async function syncRound(stand: Stand, source: Snapshot, ids: MemoryIdMap): Promise<RoundResult> {
  const options = { capabilities: stand.connector.capabilities, comparableFields: stand.connector.comparableFields };
  const read = await readWithRetries(stand);
  const planned = plan(source, read.snapshot, idMapFromEntries(ids.entries()), options);
  for (const m of planned.matches) ids.put(m.entity, m.sourceId, m.targetId);
  const attempts: AttemptLog[] = [];
  const from = stand.emulator.state.requests.length;
  for (const change of planned.changes) await deliverWithRetries(stand.connector, change, ids, { onAttempt: (a) => attempts.push(a), cursor: () => stand.emulator.state.requests.length });
  const to = stand.emulator.state.requests.length;
  const reread = await readWithRetries(stand);
  return { plan: planned, replan: plan(source, reread.snapshot, idMapFromEntries(ids.entries()), options), attempts, deliveryRequests: [from, to] };
}

const count = <T>(items: T[], key: (x: T) => string) => items.reduce<Record<string, number>>((acc, x) => ((acc[key(x)] = (acc[key(x)] ?? 0) + 1), acc), {});

describe('Дневник.ру with faults: same end state, every write once, waits honoured, failures named', () => {
  let calm: Stand;
  let faulty: Stand;
  beforeAll(async () => {
    calm = await startDnevnikStand({ pupils: PUPILS, seed: 'faults', select: firstDays });
    faulty = await startDnevnikStand({
      pupils: PUPILS,
      seed: 'faults',
      select: firstDays,
      emulator: { seed: 'faults-1', faults: FAULTS },
      client: { timeoutMs: 600, readBackoff: { baseMs: 10, maxMs: 50 } },
    });
  });
  afterAll(async () => {
    await calm?.emulator.close();
    await faulty?.emulator.close();
  });

  it('two syncs under faults end where two calm syncs end, each logical write exactly once', async () => {
    const calmIds = new MemoryIdMap();
    const faultyIds = new MemoryIdMap();
    const edited = editSource(faulty.source);
    const rounds: RoundResult[] = [];
    for (const [round, source] of [faulty.source, edited].entries()) {
      // The second sync deletes: more answers lost, so that repeated deletes surely happen.
      if (round === 1) faulty.emulator.setFaults({ ...FAULTS, dropAfterWriteRate: 0.4 });
      // Side by side: the calm sync runs while the faulty one waits out its troubles.
      const [quiet, stormy] = await Promise.all([syncRound(calm, source, calmIds), syncRound(faulty, source, faultyIds)]);
      rounds.push(stormy);
      // The same plan either way, nothing left to do afterwards, and the same journal.
      expect(stormy.plan.changes.map((c) => c.id).sort()).toEqual(quiet.plan.changes.map((c) => c.id).sort());
      expect(quiet.replan.changes).toEqual([]);
      expect(stormy.replan.changes).toEqual([]);
      expect(journal(faulty.emulator.state)).toEqual(journal(calm.emulator.state));
    }
    const [first, second] = rounds;
    expect(count(first.plan.changes, (c) => c.op)).toEqual({ create: expect.any(Number) });
    expect(Object.keys(count(second.plan.changes, (c) => c.op)).sort()).toEqual(['archive', 'update']);

    // Exactly once: as many creates and deletes landed as were planned, none twice.
    const writes = faulty.emulator.state.writes;
    const planned = [...first.plan.changes, ...second.plan.changes];
    const landed = (op: string) => count(writes.filter((w) => w.op === op), (w) => w.entity);
    expect(landed('create')).toEqual(count(planned.filter((c) => c.op === 'create'), (c) => c.entity));
    expect(landed('delete')).toEqual(count(planned.filter((c) => c.op === 'archive'), (c) => c.entity));
    const createdIds = writes.filter((w) => w.op === 'create').map((w) => `${w.entity}/${w.id}`);
    expect(new Set(createdIds).size).toBe(createdIds.length);
    // … although the emulator did swallow answers of applied writes, creates and deletes among them.
    const lost = writes.filter((w) => w.answerLost);
    expect(lost.some((w) => w.op === 'create')).toBe(true);
    expect(lost.some((w) => w.op === 'delete')).toBe(true);
    // The connector found lost creates by natural key at once (the rest the retry's findExisting found).
    expect(rounds[0].attempts.filter((a) => a.path === LOST_ANSWER_CHECK).length).toBeGreaterThan(0);

    // Every kind of trouble happened.
    const requests = faulty.emulator.state.requests;
    const faults = count(requests.filter((r) => r.fault), (r) => r.fault!);
    expect(['server_error', 'html_error', 'burst_429', 'timeout', 'drop', 'drop_after_write'].filter((kind) => !faults[kind])).toEqual([]);

    // Each failure the delivery saw carries the code of the fault its request met.
    const attempts = rounds.flatMap((r) => r.attempts);
    const failed = attempts.filter((a) => a.outcome === 'failed');
    expect(failed.filter((a) => a.kind === 'permanent')).toEqual([]);
    const misnamed = failed.flatMap((a) => {
      const [method, path] = (a.request ?? ' ').split(' ');
      const request = requests.slice(...a.span!).reverse().find((r) => r.method === method && r.path === `/v2${path}`);
      const expected = request?.fault ? EXPECTED_CODE[request.fault] : `no fault on ${a.request}`;
      return a.code === expected ? [] : [{ change: a.changeId, request: a.request, code: a.code, expected }];
    });
    expect(misnamed).toEqual([]);
    // Whatever trouble hit a delivery's own write was reported to it (a lost answer of a create may be recovered silently).
    const deliveryRequests = rounds.flatMap((r) => requests.slice(...r.deliveryRequests));
    const hitWrites = new Set(deliveryRequests.filter((r) => r.method !== 'GET' && r.fault && r.fault !== 'drop_after_write').map((r) => EXPECTED_CODE[r.fault!]));
    expect(hitWrites.size).toBeGreaterThanOrEqual(4);
    expect([...hitWrites].filter((code) => !failed.some((a) => a.code === code))).toEqual([]);
    // A 429 told the delivery how long to wait.
    expect(failed.filter((a) => a.code === 'dnevnik.rate_limited').every((a) => a.waitMs! > 0)).toBe(true);

    // Waits honoured: after a 429 the same request never came back before the named wait …
    const early: string[] = [];
    requests.forEach((r, i) => {
      if (r.status !== 429 || !r.retryAfterMs) return;
      const again = requests.slice(i + 1).find((x) => x.method === r.method && x.path === r.path);
      if (again && again.t < r.t + r.retryAfterMs) early.push(`${r.method} ${r.path}: +${(again.t - r.t).toFixed(0)} мс < ${r.retryAfterMs} мс`);
    });
    // … and while deliveries run (one at a time, as a paused queue), nothing at all did.
    for (const { deliveryRequests: [from, to] } of rounds) {
      const phase = requests.slice(from, to);
      phase.forEach((r, i) => {
        if (r.status !== 429 || !r.retryAfterMs) return;
        const next = phase.slice(i + 1).find((x) => x.token === r.token);
        if (next && next.t < r.t + r.retryAfterMs) early.push(`доставка: ${next.method} ${next.path} через ${(next.t - r.t).toFixed(0)} мс после 429 (${r.retryAfterMs} мс)`);
      });
    }
    expect(requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(early).toEqual([]);
  });
});
