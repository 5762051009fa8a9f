import { EjsyncError, makeFinding, type Snapshot } from '../../../src/model';
import { approveRun } from '../../../src/queue/run-pipeline/run-actions';
import { rollbackRun } from '../../../src/queue/run-pipeline/rollback-run';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import { RUN_STATUS_LABELS, type Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';
import { tinySchool } from '../../helpers/school-fixture';

const ACTOR = { actorOid: '1000100002', actorName: 'Админов С. П.' };
const DONE = ['succeeded', 'partial', 'failed', 'held', 'cancelled'];

/** The code of a rejected action (or 'fulfilled'). */
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'fulfilled',
    (e: EjsyncError) => e.code,
  );

describe('issue 18 (9): a rollback really rolls back, once, and not over later changes (real Redis, PostgreSQL)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => cleanup());

  it('refuses a rollback under later changes (listing them), a second rollback, a rollback of a rollback; two at once make one', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    let current: Snapshot = source;
    const stand = await startPipelineStand(store, fake, () => current);
    try {
      const first = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      expect((await stand.waitFor(first.id, DONE)).status).toBe('succeeded');
      current = structuredClone(source);
      current.marks[0].value = '2';
      const second = await startRun(stand.ctx, testLink(), { trigger: 'person', environment: 'emulator' });
      expect((await stand.waitFor(second.id, DONE)).writes).toBe(1);

      // RUN2 changed a mark RUN1 created: undoing RUN1 now would delete RUN2's value.
      const refused = await rollbackRun(stand.ctx, first.id, ACTOR).catch((e: EjsyncError) => e);
      expect(refused).toBeInstanceOf(EjsyncError);
      expect((refused as EjsyncError).code).toBe('rollback.later_changes');
      expect((refused as EjsyncError).message).toContain(second.id);
      expect((refused as EjsyncError).message).toContain(`Отметки ${source.marks[0].sourceId}`);
      expect(fake.snapshot().marks.map((m) => m.value).sort()).toEqual(['2', '4']);

      // Newest first: RUN2, then RUN1 — whose creates are removed by their platform ids.
      const { run: undo2 } = await rollbackRun(stand.ctx, second.id, ACTOR);
      expect((await stand.waitFor(undo2.id, DONE)).status).toBe('succeeded');
      expect(await codeOf(rollbackRun(stand.ctx, second.id, ACTOR))).toBe('rollback.already_rolled_back');
      const { run: undo1 } = await rollbackRun(stand.ctx, first.id, ACTOR);
      expect((await stand.waitFor(undo1.id, DONE)).status).toBe('succeeded');
      expect(fake.snapshot().marks).toEqual([]);
      expect(fake.snapshot().works).toEqual([]);
      expect(fake.snapshot().attendance).toEqual([]);
      const undone = await store.changes.list(undo1.id);
      expect(undone.map((c) => [c.entity, c.op, c.status]).sort()).toEqual([
        ['attendance', 'archive', 'applied'],
        ['marks', 'archive', 'applied'],
        ['marks', 'archive', 'applied'],
        ['works', 'archive', 'applied'],
      ]);
      // The mark was addressed by the platform's ids of its pupil and work, not the МИС ones.
      const markUndo = undone.find((c) => c.entity === 'marks')!;
      expect((markUndo.before as { workId: string }).workId).toBe((await store.changes.list(first.id)).find((c) => c.entity === 'works')!.targetId);
      expect(platform.pupils.map((p) => p.sourceId)).toContain((markUndo.before as { pupilId: string }).pupilId);

      // Two rollbacks of one run asked for at once: one starts, the other is refused.
      current = source;
      const third = await startRun(stand.ctx, testLink(), { trigger: 'person', environment: 'emulator' });
      expect((await stand.waitFor(third.id, DONE)).writes).toBe(4);
      const both = await Promise.all([codeOf(rollbackRun(stand.ctx, third.id, ACTOR)), codeOf(rollbackRun(stand.ctx, third.id, ACTOR))]);
      expect(both.sort()).toEqual(['fulfilled', 'rollback.already_rolled_back']);
      const undo3 = (await store.runs.rollbackOf(third.id))!;
      expect((await stand.waitFor(undo3.id, DONE)).status).toBe('succeeded');
      expect(fake.snapshot().marks).toEqual([]);

      // Only a finished sync can be rolled back.
      expect(await codeOf(rollbackRun(stand.ctx, undo3.id, ACTOR))).toBe('rollback.not_rollbackable');
    } finally {
      await stand.close();
    }
  });

  it('a rollback asked for while another run holds the link waits for it (not refused), then undoes', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const first = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      expect((await stand.waitFor(first.id, DONE)).status).toBe('succeeded');
      // A run of the same link holds it (as a nightly run applying would).
      const holder = await store.runs.create({ id: 'run-holder', linkId: testLink().id, schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
      expect(await store.runs.claimLink(holder.id)).toMatchObject({ claimed: true });
      const asked = await rollbackRun(stand.ctx, first.id, ACTOR);
      expect(asked.waitingFor).toContain('run-holder');
      expect(asked.run.status).toBe('planned');
      expect(fake.snapshot().marks.length).toBeGreaterThan(0);
      await store.runs.transition(holder.id, 'cancelled');
      expect((await stand.waitFor(asked.run.id, DONE, 60_000)).status).toBe('succeeded');
      expect(fake.snapshot().marks).toEqual([]);
    } finally {
      await stand.close();
    }
  });

  it('an undo the platform does not show is reported per record, and the rollback does not end succeeded', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const first = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      expect((await stand.waitFor(first.id, DONE)).status).toBe('succeeded');
      // The platform answers the first delete (the attendance entry) as done and keeps the record.
      fake.loseNext(1);
      const { run: undo } = await rollbackRun(stand.ctx, first.id, ACTOR);
      const done = await stand.waitFor(undo.id, DONE);
      expect(done.status).toBe('partial');
      const failed = await store.changes.list(undo.id, { status: 'failed' });
      expect(failed.map((c) => [c.entity, c.lastErrorCode])).toEqual([['attendance', 'rollback.not_verified']]);
      const findings = (await store.findings.forRun(undo.id, 50)).filter((f) => f.code === 'rollback.not_verified');
      expect(findings).toEqual([expect.objectContaining({ entity: 'attendance', sourceId: failed[0].sourceId })]);
      expect(findings[0].message).toContain('запись осталась на платформе');
      expect(fake.snapshot().attendance).toHaveLength(1);
      expect(fake.snapshot().marks).toEqual([]);
      // The original is not «откачен», and a second rollback is still refused: the rollback's own failures are retried instead.
      expect((await store.runs.require(first.id)).status).toBe('succeeded');
      expect(await codeOf(rollbackRun(stand.ctx, first.id, ACTOR))).toBe('rollback.already_rolled_back');
    } finally {
      await stand.close();
    }
  });
});

describe('issue 18 (11): held runs are superseded by newer plans; approval plans again first', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('pglite'));
  });
  afterEach(async () => cleanup());

  it('a newer plan supersedes an older held run, which can no longer be approved', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    let current: Snapshot = source;
    const stand = await startPipelineStand(store, fake, () => current);
    try {
      const first = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      expect((await stand.waitFor(first.id, DONE)).status).toBe('succeeded');
      current = { ...source, marks: [] };
      const stale = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      expect((await stand.waitFor(stale.id, DONE)).status).toBe('held');
      // The export is whole again: the next run is clean and applies; the held one is stale.
      current = source;
      const newer = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      expect((await stand.waitFor(newer.id, DONE)).status).toBe('succeeded');
      const superseded = await store.runs.require(stale.id);
      expect(superseded.status).toBe('superseded');
      expect(RUN_STATUS_LABELS[superseded.status]).toBe('заменён более новым');
      expect(superseded.summary.supersededBy).toBe(newer.id);
      expect((await store.findings.forRun(stale.id, 50)).map((f) => f.code)).toContain('run.superseded');

      const refused = await approveRun(stand.ctx, stale.id, ACTOR, 'одобряю').catch((e: EjsyncError) => e);
      expect((refused as EjsyncError).code).toBe('run.superseded');
      expect((refused as EjsyncError).message).toContain(`заменён запуском ${newer.id}`);
      expect((await store.runs.require(stale.id)).status).toBe('superseded');
      expect(fake.snapshot().marks).toHaveLength(2);
      expect((await store.audit.list()).map((a) => a.action)).not.toContain('run.approved');
    } finally {
      await stand.close();
    }
  });

  it('approval re-plans: a plan that changed is held again with what changed, the same plan is applied', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    let current: Snapshot = source;
    const stand = await startPipelineStand(store, fake, () => current);
    try {
      const first = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      expect((await stand.waitFor(first.id, DONE)).status).toBe('succeeded');
      current = { ...source, marks: [] };
      const held = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      expect((await stand.waitFor(held.id, DONE)).status).toBe('held');
      expect((await store.changes.list(held.id)).map((c) => `${c.entity}/${c.op}`)).toEqual(['marks/archive', 'marks/archive']);

      // While the run waited, a teacher changed one of the marks in the journal.
      const [edited] = fake.snapshot().marks;
      await fake.apply({ id: 'teacher', entity: 'marks', op: 'update', sourceId: edited.sourceId, targetId: edited.sourceId, after: { ...edited, value: '3' } });
      const writes = fake.writes;
      const approved = await approveRun(stand.ctx, held.id, ACTOR, 'оценки удалены приказом');
      expect(approved.status).toBe('approved');
      const again = await stand.waitFor(held.id, DONE);
      expect(again.status).toBe('held');
      expect(fake.writes).toBe(writes);
      const changed = (await store.findings.forRun(held.id, 50)).find((f) => f.code === 'run.plan_changed')!;
      expect(changed.message).toContain('изменилось 1');
      expect(JSON.stringify(again.heldReasons)).toContain('run.plan_changed');
      // The new plan is staged: the edited mark's before-value is the one on the platform now.
      const restaged = (await store.changes.list(held.id)).find((c) => c.targetId === edited.sourceId)!;
      expect((restaged.before as { value: string }).value).toBe('3');

      // Approving what was shown: the same plan again, so it is applied.
      await approveRun(stand.ctx, held.id, ACTOR, 'видел изменения, согласен');
      expect((await stand.waitFor(held.id, ['succeeded', 'partial', 'failed', 'held'])).status).toBe('succeeded');
      expect(fake.snapshot().marks).toEqual([]);
      expect((await store.audit.list()).filter((a) => a.action === 'run.approved')).toHaveLength(2);
    } finally {
      await stand.close();
    }
  });
});

describe('a change the platform cannot hold is held back, and the run is not clean', () => {
  it('a mark screened out before any write leaves the run partial with its finding', async () => {
    const { store, cleanup } = await freshStore('postgres');
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    const markId = source.marks[0].sourceId;
    // As the Дневник.ру connector does for a mark outside the school's mark system.
    fake.screen = async (changes) =>
      new Map(changes.filter((c) => c.entity === 'marks' && c.sourceId === markId).map((c) => [c.id, makeFinding('dnevnik.mark_not_in_system', { entity: 'marks', sourceId: c.sourceId })]));
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const run = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      const done = await stand.waitFor(run.id, DONE);
      expect(done.status).toBe('partial');
      expect(fake.snapshot().marks.map((m) => m.sourceId)).not.toContain(markId);
      expect((await store.findings.forRun(run.id)).map((f) => f.code)).toContain('dnevnik.mark_not_in_system');
    } finally {
      await stand.close();
      await cleanup();
    }
  });
});
