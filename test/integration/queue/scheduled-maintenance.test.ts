import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Queue, type Job } from 'bullmq';
import { appConfigPath, loadAppConfig } from '../../../src/config/app-config';
import { createLogger } from '../../../src/config/logger';
import { BACKUP_SCHEDULER_ID, PURGE_SCHEDULER_ID, syncMaintenanceSchedules } from '../../../src/queue/maintenance/maintenance-jobs';
import { openPipelineRuntime, type PipelineRuntime } from '../../../src/queue/pipeline-runtime';
import { ALERT_QUEUE, MAINTENANCE_QUEUE } from '../../../src/queue/queue-names';
import { dropSchema, SecretBox, verifyBackup } from '../../../src/store';
import { DATABASE_URL } from '../../helpers/database';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

const KEY = Buffer.alloc(32, 11).toString('base64');
const old = (day: string) => `ejsync-backup-${day}T01-00-00-000Z.ejb`;

/**
 * Issue 13 (4, 6): scheduled backups and the scheduled retention purge. The installation's
 * `backup` and `purge` sections become BullMQ job schedulers on the maintenance queue; the worker
 * serving that queue backs the store up to both destinations (each copy verified), prunes per the
 * configured retention with every deletion audited as the system, purges old personal data with
 * the same function as `ejsync purge`, and a destination that cannot be written raises
 * `store.backup_failed` through the alerts. Real Redis (own prefix), real PostgreSQL (own schema).
 */
describe('scheduled backups and retention purge (maintenance queue)', () => {
  const schema = `mnt_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let redis: Awaited<ReturnType<typeof redisTestContext>>;
  let home: string;
  let destA: string;
  let destB: string;
  let runtime: PipelineRuntime;
  let queue: Queue;
  let alerts: Queue;
  let clock = new Date('2027-03-10T05:00:00Z');
  const logLines: string[] = [];

  const finished = async (job: Job, timeoutMs = 30_000): Promise<Job> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = (await queue.getJob(job.id!))!;
      if (current.finishedOn) return current;
      if (Date.now() > deadline) throw new Error(`job ${job.id} did not finish`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    // The store seals copied records (personal data) with the installation's key.
    process.env.EJSYNC_SECRET_KEY ??= KEY;
    redis = await redisTestContext();
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-maint-'));
    destA = path.join(home, 'usb-a');
    destB = path.join(home, 'nas-b');
    mkdirSync(destA);
    // Archives already on medium A (weekly 2, monthly 1, yearly 1; today 2027-03-10, a Wednesday).
    for (const day of ['2027-03-03', '2027-03-01', '2027-02-24', '2026-06-01', '2027-04-01']) writeFileSync(path.join(destA, old(day)), 'old archive');
    writeFileSync(path.join(destA, `${old('2027-02-24')}.sha256`), 'x');
    writeFileSync(path.join(destA, 'notes.txt'), 'not an archive');
    writeFileSync(
      path.join(home, 'config.json'),
      JSON.stringify({
        backup: { cron: '0 4 * * 0', timeZone: 'Asia/Yekaterinburg', to: [destA, destB], retention: { weekly: 2, monthly: 1, yearly: 1 } },
        purge: { cron: '15 4 * * *', personalDataDays: 30 },
        alerts: { webhook: { url: 'http://127.0.0.1:9/hook' } },
      }),
    );
    const appConfig = loadAppConfig(appConfigPath(home, {}));
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }) });
    runtime = await openPipelineRuntime({
      env: { home, databaseUrl: DATABASE_URL, databaseSchema: schema, redisUrl: REDIS_URL, queuePrefix: redis.prefix, secretKey: KEY, logLevel: 'info' } as never,
      appConfig,
      logger,
      now: () => clock,
    });
    queue = new Queue(MAINTENANCE_QUEUE, { connection: { url: REDIS_URL }, prefix: redis.prefix });
    alerts = new Queue(ALERT_QUEUE, { connection: { url: REDIS_URL }, prefix: redis.prefix });
  });
  afterAll(async () => {
    await queue?.close();
    await alerts?.close();
    await runtime?.close();
    await redis?.cleanup();
    await dropSchema(DATABASE_URL, schema);
    rmSync(home, { recursive: true, force: true });
  });

  it('the config sections are checked with messages a person can act on', () => {
    const bad = path.join(home, 'bad.json');
    const problems = (config: unknown) => {
      writeFileSync(bad, JSON.stringify(config));
      try {
        loadAppConfig(bad);
      } catch (error) {
        expect((error as { code: string }).code).toBe('config.invalid');
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    const message = problems({ backup: { cron: 'каждую неделю', to: ['relative/dir'], keep: 3, retention: { weekly: -1 } }, purge: { runYears: 0 } });
    expect(message).toContain('bad.json: backup.cron: ожидается расписание cron из 5 полей');
    expect(message).toContain('backup.to.0: укажите абсолютный путь к каталогу');
    expect(message).toContain('backup.keep: неизвестный ключ');
    expect(message).toContain('backup.retention.weekly: не меньше 0');
    expect(message).toContain('purge.runYears: не меньше 1');
    expect(problems({ backup: { to: ['/a', '/b', '/c'] } })).toContain('backup.to: не больше двух каталогов');
    expect(problems({ backup: { to: ['/a', '/a/'] } })).toContain('backup.to: каталоги должны быть разными');
    expect(problems({ backup: {} })).toContain('backup.to: укажите один или два каталога');
    // Defaults filled in.
    writeFileSync(bad, JSON.stringify({ backup: { to: ['/mnt/usb-a/ejsync'] }, purge: {} }));
    expect(loadAppConfig(bad)).toMatchObject({ backup: { cron: '0 3 * * 0', timeZone: 'Europe/Moscow', prune: true }, purge: { cron: '30 3 * * *', timeZone: 'Europe/Moscow' } });
  });

  it('registers one job scheduler per section from the configuration, and removes one whose section is gone', async () => {
    expect(await runtime.syncMaintenanceSchedules()).toEqual({ backup: { cron: '0 4 * * 0', timeZone: 'Asia/Yekaterinburg' }, purge: { cron: '15 4 * * *', timeZone: 'Europe/Moscow' } });
    // Idempotent: a second worker starting does not add another.
    await runtime.syncMaintenanceSchedules();
    const schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz]).sort()).toEqual([
      [PURGE_SCHEDULER_ID, '15 4 * * *', 'Europe/Moscow'],
      [BACKUP_SCHEDULER_ID, '0 4 * * 0', 'Asia/Yekaterinburg'],
    ].sort());
    expect((await queue.getJobScheduler(BACKUP_SCHEDULER_ID))!.next).toBeGreaterThan(Date.now());

    const other = new Queue(MAINTENANCE_QUEUE, { connection: { url: REDIS_URL }, prefix: `${redis.prefix}-x` });
    try {
      await syncMaintenanceSchedules(other, { backup: { cron: '0 4 * * 0', timeZone: 'UTC', to: ['/x'], prune: true } });
      expect((await other.getJobSchedulers(0, -1)).map((s) => s.key)).toEqual([BACKUP_SCHEDULER_ID]);
      expect(await syncMaintenanceSchedules(other, {})).toEqual({ backup: null, purge: null });
      expect(await other.getJobSchedulers(0, -1)).toEqual([]);
    } finally {
      await other.obliterate({ force: true });
      await other.close();
    }
  });

  it('a backup job writes a verified archive to both media and prunes per the configured retention, audited as the system', async () => {
    await runtime.ctx.store.runs.create({ id: 'run-m1', linkId: 'link-m', schoolId: 'school-m', trigger: 'schedule', environment: 'emulator' });
    runtime.startWorkers({ plan: false, platforms: [], alerts: false, maintenance: true });
    const job = await finished(await queue.add(BACKUP_SCHEDULER_ID, {}, { jobId: 'backup-now-1' }));
    expect(job.failedReason).toBeUndefined();
    const name = 'ejsync-backup-2027-03-10T05-00-00-000Z.ejb';
    const result = job.returnvalue as { files: string[]; sha256: string; deleted: string[] };
    expect(result.files).toEqual([path.join(destA, name), path.join(destB, name)]);
    const box = SecretBox.fromString(KEY);
    for (const file of result.files) {
      const verified = await verifyBackup(file, box);
      expect(verified.sha256).toBe(result.sha256);
      expect(verified.manifest.runs.rows).toBe(1);
    }
    // Kept: the new one, last week's, and one dated in the future; the rest deleted (2026-06-01 would stay under the default 5 years).
    expect(readdirSync(destA).sort()).toEqual([old('2027-03-03'), old('2027-04-01'), name, `${name}.sha256`, 'notes.txt'].sort());
    expect(result.deleted.map((f) => path.basename(f)).sort()).toEqual([old('2027-03-01'), old('2027-02-24'), old('2026-06-01')].sort());
    expect(readdirSync(destB).sort()).toEqual([name, `${name}.sha256`]);

    const audit = await runtime.ctx.store.audit.list({ limit: 20 });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'backup.created', actorOid: 'system', objectId: name }));
    const deletions = audit.filter((a) => a.action === 'backup.deleted');
    expect(deletions.map((a) => [a.actorOid, a.objectId]).sort()).toEqual([old('2027-03-01'), old('2027-02-24'), old('2026-06-01')].map((n) => ['system', n]).sort());
    expect(logLines.join('')).toContain('scheduled backup written and verified');
  });

  it('a purge job applies the retention of personal data with the same function as ejsync purge, audited as the system', async () => {
    const store = runtime.ctx.store;
    await store.runs.create({ id: 'run-old', linkId: 'link-m', schoolId: 'school-m', trigger: 'schedule', environment: 'emulator' });
    await store.changes.stage('run-old', [{ changeId: 'pupils.update.p1', seq: 0, phase: 7, entity: 'pupils', op: 'update', sourceId: 'p1', targetId: '1', before: { lastName: 'Иванов' }, after: { lastName: 'Иванова' }, changedFields: ['lastName'] }]);
    await store.runs.transition('run-old', 'applying');
    await store.runs.transition('run-old', 'succeeded');
    // Finished 40 days before the clock: past the configured 30 days (the default 400 would keep it).
    await store.db.updateTable('runs').set({ finished_at: new Date(clock.getTime() - 40 * 86_400_000) }).where('id', '=', 'run-old').execute();
    const job = await finished(await queue.add(PURGE_SCHEDULER_ID, {}, { jobId: 'purge-now-1' }));
    expect(job.failedReason).toBeUndefined();
    expect(job.returnvalue).toMatchObject({ redactedRuns: 1, deletedRuns: 0 });
    const change = (await store.changes.list('run-old'))[0];
    expect([change.before ?? null, change.after ?? null]).toEqual([null, null]);
    expect((await store.audit.list({ limit: 5 }))[0]).toMatchObject({ action: 'retention.purged', actorOid: 'system', details: { redactedRuns: 1 } });
    expect(logLines.join('')).not.toContain('Иванов');
  });

  it('the scheduler itself fires the backup job the worker runs', async () => {
    // Every 2 s for this test only; then back to the configuration's weekly cron.
    await syncMaintenanceSchedules(queue, { backup: { cron: '*/2 * * * * *', timeZone: 'UTC', to: ['/unused'], prune: true } });
    try {
      const deadline = Date.now() + 20_000;
      let fired: Job | undefined;
      while (!fired && Date.now() < deadline) {
        fired = (await queue.getJobs(['completed'])).find((j) => j.id?.startsWith(`repeat:${BACKUP_SCHEDULER_ID}:`));
        if (!fired) await new Promise((r) => setTimeout(r, 200));
      }
      expect(fired).toBeDefined();
      expect((fired!.returnvalue as { files: string[] }).files).toEqual([path.join(destA, 'ejsync-backup-2027-03-10T05-00-00-000Z.ejb'), path.join(destB, 'ejsync-backup-2027-03-10T05-00-00-000Z.ejb')]);
    } finally {
      await runtime.syncMaintenanceSchedules();
    }
    expect((await queue.getJobScheduler(BACKUP_SCHEDULER_ID))!.pattern).toBe('0 4 * * 0');
  });

  it('a destination that cannot be written fails the backup and raises store.backup_failed through the alerts', async () => {
    clock = new Date('2027-03-17T05:00:00Z');
    // Medium B is gone and a plain file stands in its place: nothing can be written under it (also as root).
    rmSync(destB, { recursive: true, force: true });
    writeFileSync(destB, 'not a folder');
    const job = await finished(await queue.add(BACKUP_SCHEDULER_ID, {}, { jobId: 'backup-now-2' }));
    expect(job.failedReason).toContain('Резервная копия хранилища ejsync по расписанию не создана');
    expect(job.failedReason).toContain('backup.destination_unwritable');

    const alert = await runtime.ctx.store.alerts.get('backup_failed.backup-now-2.webhook');
    expect(alert).toMatchObject({ kind: 'backup_failed', channel: 'webhook', status: 'pending', linkId: null, runId: null });
    expect((alert!.payload as { text: string }).text).toMatch(/^\[store\.backup_failed\] .*backup\.destination_unwritable/);
    const queued = await alerts.getJob('backup_failed.backup-now-2.webhook');
    expect(queued?.data).toEqual({ alertId: 'backup_failed.backup-now-2.webhook' });
    // The failed backup is not audited as created (every «created» is of the 2027-03-10 archive).
    const created = (await runtime.ctx.store.audit.list({ limit: 100 })).filter((a) => a.action === 'backup.created');
    expect(new Set(created.map((a) => a.objectId))).toEqual(new Set(['ejsync-backup-2027-03-10T05-00-00-000Z.ejb']));
    const failedLine = logLines.find((l) => l.includes('scheduled backup failed'));
    expect(JSON.parse(failedLine!)).toMatchObject({ code: 'store.backup_failed', causeCode: 'backup.destination_unwritable' });
  });
});
