import { EjsyncError } from '../../../src/model';
import type { RunRecord, Store } from '../../../src/store';
import { freshStore, type StoreKind } from '../../helpers/database';

/**
 * One run per link at a time, enforced by the store (a partial unique index on the run that
 * holds its link): concurrent claims and moves to `applying` of two runs of one link let exactly
 * one through; a held or finished run lets the link go.
 */
describe.each<StoreKind>(['postgres', 'pglite'])('one run per link in the store (%s)', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore(kind));
  });
  afterEach(async () => cleanup());

  const newRun = (id: string, linkId = 'link-1') => store.runs.create({ id, linkId, schoolId: 'school-1', trigger: 'person', environment: 'emulator' });

  it('of two runs claiming one link at once, exactly one gets it; the other learns which run holds it', async () => {
    const runs = await Promise.all(['run-a', 'run-b', 'run-c', 'run-d'].map((id) => newRun(id)));
    const claims = await Promise.all(runs.map((r) => store.runs.claimLink(r.id)));
    const winners = runs.filter((_, i) => claims[i].claimed);
    expect(winners).toHaveLength(1);
    for (const claim of claims.filter((c) => !c.claimed)) expect(claim).toEqual({ claimed: false, holder: expect.objectContaining({ id: winners[0].id }) });
    // Claiming again keeps it; another link is not affected.
    expect(await store.runs.claimLink(winners[0].id)).toEqual({ claimed: true });
    const other = await newRun('run-other', 'link-2');
    expect(await store.runs.claimLink(other.id)).toEqual({ claimed: true });
    expect((await store.runs.linkHolder('link-1'))?.id).toBe(winners[0].id);
  });

  it('a holder that settles between the refused claim and the look-up leaves the link free: the claim is taken, not dropped', async () => {
    const holder = await newRun('run-holder');
    const waiting = await newRun('run-waiting');
    expect(await store.runs.claimLink(holder.id)).toEqual({ claimed: true });
    // The race, made certain: the holder is cancelled right after the waiting run's UPDATE is refused.
    const lookUp = store.runs.linkHolder.bind(store.runs);
    let raced = 0;
    store.runs.linkHolder = async (linkId: string) => {
      if (raced++ === 0) await store.runs.transition(holder.id, 'cancelled');
      return lookUp(linkId);
    };
    expect(await store.runs.claimLink(waiting.id)).toEqual({ claimed: true });
    expect(raced).toBe(1);
    expect((await lookUp('link-1'))?.id).toBe(waiting.id);
  });

  it('a second run cannot move to applying while the first applies (run.link_busy), and can once the first ended', async () => {
    const first = await newRun('run-1');
    const second = await newRun('run-2');
    await store.runs.transition(first.id, 'applying');
    const refused = await store.runs.transition(second.id, 'applying').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EjsyncError);
    expect((refused as EjsyncError).code).toBe('run.link_busy');
    expect((refused as EjsyncError).message).toContain('run-1');
    expect((await store.runs.require(second.id)).status).toBe('planned');
    expect(await store.runs.claimLink(second.id)).toMatchObject({ claimed: false });

    await store.runs.transition(first.id, 'succeeded');
    expect(await store.runs.linkHolder('link-1')).toBeNull();
    expect((await store.runs.transition(second.id, 'applying')).status).toBe('applying');
  });

  it('moving to applying at the same moment: one wins, the other is refused', async () => {
    const runs = await Promise.all(['run-x', 'run-y', 'run-z'].map((id) => newRun(id)));
    const results = await Promise.allSettled(runs.map((r) => store.runs.transition(r.id, 'applying')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect((r.reason as EjsyncError).code).toBe('run.link_busy');
    const applying = await store.runs.list({ linkId: 'link-1', status: 'applying' });
    expect(applying).toHaveLength(1);
  });

  it('a run held for a human lets the link go; a retried failed run takes it again', async () => {
    const first = await newRun('run-1');
    expect(await store.runs.claimLink(first.id)).toEqual({ claimed: true });
    await store.runs.transition(first.id, 'held');
    const second = await newRun('run-2');
    expect(await store.runs.claimLink(second.id)).toEqual({ claimed: true });
    await store.runs.transition(second.id, 'applying');
    await store.runs.transition(second.id, 'failed');
    const third = await newRun('run-3');
    await store.runs.transition(third.id, 'applying');
    // The failed run going back to applying (retry) is refused while the third applies.
    await expect(store.runs.transition(second.id, 'applying')).rejects.toMatchObject({ code: 'run.link_busy' });
    await store.runs.transition(third.id, 'partial');
    expect((await store.runs.transition(second.id, 'applying')).status).toBe('applying');
  });

  it('idle bookkeeping for the watchdog: idle since the first sighting, one recovery per sighting', async () => {
    const run: RunRecord = await newRun('run-1');
    const [first] = await store.runs.markIdle([run.id]);
    expect(first).toMatchObject({ id: run.id, status: 'planned', recoveries: 0 });
    await new Promise((r) => setTimeout(r, 30));
    const [again] = await store.runs.markIdle([run.id]);
    expect(again.idleSince).toEqual(first.idleSince);
    expect(again.idleMs).toBeGreaterThanOrEqual(first.idleMs);
    const counted = await Promise.all([store.runs.countRecovery(run.id, again.idleSince), store.runs.countRecovery(run.id, again.idleSince)]);
    expect(counted.sort()).toEqual([1, null]);
    const [fresh] = await store.runs.markIdle([run.id]);
    expect(fresh.recoveries).toBe(1);
    await store.runs.markBusy([run.id]);
    expect((await store.runs.markIdle([run.id]))[0].idleSince.getTime()).toBeGreaterThanOrEqual(fresh.idleSince.getTime());
    await store.runs.transition(run.id, 'failed');
    expect(await store.runs.markIdle([run.id])).toEqual([]);
    expect(await store.runs.unsettled()).toEqual([]);
  });
});
