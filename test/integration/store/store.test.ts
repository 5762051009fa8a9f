import { EjsyncError, makeFinding } from '../../../src/model';
import { dropSchema, openStore, RUN_STATUSES, RUN_TRANSITIONS, SecretBox, type RunStatus, type Store } from '../../../src/store';
import { DATABASE_URL, freshStore, TEST_SECRET_BOX, type StoreKind } from '../../helpers/database';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const ACTOR = { actorOid: '1000100002', actorName: 'Админов С. П.' };

describe.each<StoreKind>(['postgres', 'pglite'])('store on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await freshStore(kind));
  });
  afterAll(async () => cleanup());

  const newRun = async (status: RunStatus = 'planned') => {
    const run = await store.runs.create({ id: `run-${randomUUID().slice(0, 8)}`, linkId: `link-${randomUUID().slice(0, 8)}`, schoolId: 'school-1', trigger: 'person', environment: 'emulator' });
    const path: Record<RunStatus, RunStatus[]> = {
      planned: [],
      held: ['held'],
      approved: ['held', 'approved'],
      discarded: ['held', 'discarded'],
      applying: ['applying'],
      succeeded: ['applying', 'succeeded'],
      partial: ['applying', 'partial'],
      failed: ['applying', 'failed'],
      cancelled: ['cancelled'],
      rolled_back: ['applying', 'succeeded', 'rolled_back'],
      superseded: ['held', 'superseded'],
    };
    for (const s of path[status]) await store.runs.transition(run.id, s);
    return run.id;
  };

  it('every allowed transition works and every other is refused with store.invalid_transition', async () => {
    for (const from of RUN_STATUSES) {
      for (const to of RUN_STATUSES) {
        const id = await newRun(from);
        const allowed = RUN_TRANSITIONS[from].includes(to);
        const result = await store.runs.transition(id, to).then(
          (r) => r.status,
          (e: EjsyncError) => e.code,
        );
        expect([from, to, result]).toEqual([from, to, allowed ? to : 'store.invalid_transition']);
      }
    }
  });

  it('an approval is audited with who and why; finishing sets finished_at', async () => {
    const id = await newRun('held');
    await store.runs.transition(id, 'approved', {}, { ...ACTOR, reason: 'выгрузка проверена' });
    const audit = await store.audit.list({ schoolIds: ['school-1'] });
    expect(audit[0]).toMatchObject({ actorOid: ACTOR.actorOid, action: 'run.approved', objectId: id, details: { reason: 'выгрузка проверена' } });
    const done = await store.runs.transition(await newRun('applying'), 'succeeded', { counts: { marks: { created: 3 } } });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.counts).toEqual({ marks: { created: 3 } });
  });

  it('two concurrent approvals: exactly one wins', async () => {
    const id = await newRun('held');
    const results = await Promise.allSettled([store.runs.transition(id, 'approved', {}, ACTOR), store.runs.transition(id, 'discarded', {}, ACTOR)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code).toBe('store.invalid_transition');
  });

  it('stages changes in bulk, finds the lowest pending phase, marks applied and failed, resets for retry', async () => {
    const id = await newRun('applying');
    const changes = Array.from({ length: 2500 }, (_, i) => ({
      changeId: `marks.create.m${i}`,
      seq: i,
      phase: i < 10 ? 3 : 15,
      entity: 'marks' as const,
      op: 'create' as const,
      sourceId: `m${i}`,
      before: undefined,
      after: { value: '5' },
      changedFields: null,
    }));
    await store.changes.stage(id, changes);
    await store.changes.stage(id, changes.slice(0, 5));
    expect((await store.changes.list(id)).length).toBe(2500);
    expect(await store.changes.lowestPendingPhase(id)).toBe(3);
    for (let i = 0; i < 10; i++) await store.changes.markApplied(id, `marks.create.m${i}`, `900000000000000${i}`);
    expect(await store.changes.lowestPendingPhase(id)).toBe(15);
    await store.changes.markFailed(id, 'marks.create.m10', 'dnevnik.server_error');
    await store.changes.markFailed(id, 'marks.create.m11', 'dnevnik.parameter_invalid');
    expect(await store.changes.resetFailed(id, 'dnevnik.server_error')).toBe(1);
    const applied = await store.changes.get(id, 'marks.create.m0');
    expect(applied).toMatchObject({ status: 'applied', targetId: '9000000000000000', attempts: 1 });
  });

  it('numbers delivery attempts and keeps hashes, never the records', async () => {
    const id = await newRun('applying');
    const a1 = await store.deliveries.start({ runId: id, linkId: 'link-1', changeId: 'c1', entity: 'marks', operation: 'create', sourceId: 'm1', after: { pupil: 'Иванов' } });
    await store.deliveries.finish(a1.id, { outcome: 'failed', status: 503, errorCode: 'dnevnik.server_error', retryable: true, durationMs: 12, method: 'POST', path: '/v2/persons/1/works/2/mark' });
    const a2 = await store.deliveries.start({ runId: id, linkId: 'link-1', changeId: 'c1', entity: 'marks', operation: 'create', sourceId: 'm1' });
    expect([a1.attempt, a2.attempt]).toEqual([1, 2]);
    const log = await store.deliveries.forChange(id, 'c1');
    expect(log.map((d) => d.outcome)).toEqual(['failed', 'sent']);
    expect(JSON.stringify(log)).not.toContain('Иванов');
    expect(log[0].afterHash).toMatch(/^[0-9a-f]{16}$/);
    const byCode = await store.deliveries.failuresByCode();
    expect(byCode.find((c) => c.code === 'dnevnik.server_error')?.count).toBeGreaterThanOrEqual(1);
  });

  it('id map is unique both ways and idempotent', async () => {
    await store.idMap.put('link-1', [{ entity: 'pupils', sourceId: 'p1', targetId: '1000000000000000001', matchedBy: 'snils' }]);
    await store.idMap.put('link-1', [{ entity: 'pupils', sourceId: 'p1', targetId: '1000000000000000001', matchedBy: 'snils' }]);
    await store.idMap.put('link-1', [{ entity: 'pupils', sourceId: 'p2', targetId: '1000000000000000001', matchedBy: 'name_birthdate' }]);
    const rows = (await store.idMap.all('link-1')).filter((r) => r.entity === 'pupils');
    expect(rows).toEqual([{ entity: 'pupils', sourceId: 'p2', targetId: '1000000000000000001', matchedBy: 'name_birthdate' }]);
    expect(await store.idMap.targetId('link-1', 'pupils', 'p2')).toBe('1000000000000000001');
  });

  it('cursors advance only when told; findings and manual actions round-trip', async () => {
    expect(await store.cursors.get('link-1', 'last_clean_run')).toBeNull();
    await store.cursors.advance('link-1', 'last_clean_run', '2026-09-02T02:00:00+05:00', 'run-1');
    expect(await store.cursors.get('link-1', 'last_clean_run')).toBe('2026-09-02T02:00:00+05:00');
    const id = await newRun('applying');
    await store.findings.add(id, [makeFinding('period.closed', { entity: 'marks', sourceId: 'm9' })]);
    expect((await store.findings.forRun(id))[0]).toMatchObject({ code: 'period.closed', entity: 'marks', sourceId: 'm9' });
    await store.manualActions.add(id, [{ actionId: 'manual.pupils.create.p1', entity: 'pupils', op: 'create', sourceId: 'p1', title: 'Создать ученика в классе 5А', fields: [{ label: 'Фамилия', value: 'Иванов' }], reason: 'API не создаёт учеников' }]);
    expect((await store.manualActions.forRun(id))[0].fields[0].value).toBe('Иванов');
  });

  it('secrets are encrypted at rest and tampering is detected', async () => {
    await store.secrets.put('dnevnik-link-1', 'access-token-very-secret');
    expect(await store.secrets.get('dnevnik-link-1')).toBe('access-token-very-secret');
    const raw = await store.db.selectFrom('secrets').selectAll().where('name', '=', 'dnevnik-link-1').executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toContain('very-secret');
    const flipped = Buffer.from(raw.ciphertext, 'base64');
    flipped[0] ^= 1;
    await store.db.updateTable('secrets').set({ ciphertext: flipped.toString('base64') }).where('name', '=', 'dnevnik-link-1').execute();
    const error = (await store.secrets.get('dnevnik-link-1').catch((e: unknown) => e)) as EjsyncError;
    expect(error.code).toBe('store.secret_tampered');
  });

  it('a missing store key is config.secret_missing', () => {
    expect(() => SecretBox.fromEnvironment({})).toThrow(expect.objectContaining({ code: 'config.secret_missing' }));
    expect(() => SecretBox.fromString('c2hvcnQ=')).toThrow(expect.objectContaining({ code: 'config.invalid' }));
  });

  it('unknown runs are store.not_found', async () => {
    await expect(store.runs.require('nope')).rejects.toMatchObject({ code: 'store.not_found' });
  });
});

describe('connection', () => {
  it('an unreachable PostgreSQL is store.unavailable, without the password in the message', async () => {
    const error = (await openStore({ databaseUrl: 'postgres://postgres:topsecret@127.0.0.1:1/test' }).catch((e: unknown) => e)) as EjsyncError;
    expect(error.code).toBe('store.unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain('topsecret');
  });
});

describe('migrations', () => {
  it('opening twice (and concurrently) on PostgreSQL applies them once', async () => {
    const schema = `t_mig_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const [a, b] = await Promise.all([
      openStore({ databaseUrl: DATABASE_URL, schema, secretBox: TEST_SECRET_BOX }),
      openStore({ databaseUrl: DATABASE_URL, schema, secretBox: TEST_SECRET_BOX }),
    ]);
    try {
      const rows = await a.db.withSchema(schema).selectFrom('kysely_migration' as never).selectAll().execute();
      // Every migration file, once each, in order.
      const files = readdirSync(path.join(__dirname, '..', '..', '..', 'src', 'store', 'migrations')).map((f) => f.replace(/\.ts$/, '')).sort();
      expect(files.length).toBeGreaterThanOrEqual(7);
      expect(rows.map((r) => (r as { name: string }).name)).toEqual(files);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(DATABASE_URL, schema);
    }
  });
});
