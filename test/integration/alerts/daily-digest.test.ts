import http from 'node:http';
import { localDateOf } from '../../../src/model';
import { verifyWebhook } from '../../../src/queue/alerts/webhook';
import { ALERT_QUEUE } from '../../../src/queue/queue-names';
import { DIGEST_SCHEDULER_ID } from '../../../src/queue/alerts/digest-schedule';
import { startCliStand, type CliProcess, type CliStand } from '../../helpers/cli-stand';

const SECRET = 'digest-secret';
const ZONE = 'Asia/Yekaterinburg';

/**
 * The daily digest end to end: `ejsync worker` upserts the digest's job scheduler from
 * `alerts.digest` at start-up (a second worker does not add another), the scheduler fires on a
 * short cron, and one Russian summary of the links reaches a local webhook receiver — signed,
 * logged in the alerts table like any alert, retried after the receiver's first refusal, and sent
 * once per local day however often the scheduler fires. Built CLI, real Redis, real PostgreSQL.
 */
describe('daily digest per operator (built CLI, webhook receiver)', () => {
  let stand: CliStand;
  let server: http.Server;
  const received: { body: string; signature: string }[] = [];
  let refusals = 0;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        // The first delivery is refused: the alert must be retried.
        if (refusals++ === 0) return void res.writeHead(503).end();
        received.push({ body, signature: String(req.headers['x-ejsync-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    stand = await startCliStand({
      pupils: 20,
      seed: 'digest',
      appConfig: { alerts: { webhook: { url: `http://127.0.0.1:${port}/hook` }, dashboardUrl: 'https://ejsync.example', digest: { cron: '*/2 * * * * *', timeZone: ZONE } } },
      env: { EJSYNC_WEBHOOK_SECRET: SECRET },
    });
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await stand?.close();
    server?.close();
  });

  it('a short cron gives one logged, signed, retried digest of the links', async () => {
    // A clean sync, then a failed run of the same link: the digest must report the latter.
    const sync = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    expect(JSON.parse(sync.stdout).runs[0].status).toBe('succeeded');
    const failed = await stand.store.runs.create({ id: 'run-digest-failed', linkId: stand.linkId, schoolId: stand.source.school.sourceId, trigger: 'schedule', environment: 'emulator' });
    await stand.store.runs.transition(failed.id, 'applying');
    await stand.store.runs.transition(failed.id, 'failed', { errorCode: 'dnevnik.reconnect_needed' });

    const worker = await stand.startWorker(['--queues', 'alerts']);
    workers.push(worker);
    expect(worker.output()).toContain(`Ежедневная сводка операторам: по расписанию «*/2 * * * * *» (${ZONE}).`);

    const deadline = Date.now() + 20_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    const [{ body, signature }] = received;
    expect(verifyWebhook(body, signature, SECRET, new Date())).toBe(true);
    const digest = JSON.parse(body);
    expect(digest).toMatchObject({ kind: 'daily_digest', id: `daily_digest.${localDateOf(new Date(digest.at), ZONE)}`, url: 'https://ejsync.example' });
    expect(digest.subject).toMatch(/^Ежедневная сводка синхронизаций за \d\d\.\d\d\.\d{4} — с ошибками: 1$/);
    expect(digest.text).toContain(`• Школа стенда → эмулятор Дневник.ру (${stand.linkId}): последний запуск`);
    expect(digest.text).toContain('— ошибка (dnevnik.reconnect_needed); неудачных запусков за период: 1.');
    expect(digest.text).toContain('Связей: 1; без замечаний: 0; с ошибками: 1; ждут решения: 0.');

    // The scheduler fires again (every 2 s), a second worker starts: still one digest today, one scheduler.
    const second = await stand.startWorker(['--queues', 'alerts']);
    workers.push(second);
    await new Promise((r) => setTimeout(r, 5000));
    expect(received).toHaveLength(1);
    const alertQueue = stand.queue(ALERT_QUEUE);
    const schedulers = await alertQueue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key ?? s.id)).toEqual([DIGEST_SCHEDULER_ID]);
    const digestJobs = await alertQueue.getJobs(['completed'], 0, 100);
    expect(digestJobs.filter((j) => j.name === 'daily-digest').length).toBeGreaterThanOrEqual(2);

    // Logged like any alert: one row for the webhook channel, sent at the second attempt.
    const logged = await stand.store.db.selectFrom('alerts').selectAll().where('kind', '=', 'daily_digest').execute();
    expect(logged.map((a) => ({ id: a.id, channel: a.channel, status: a.status, attempts: a.attempts, link: a.link_id }))).toEqual([
      { id: `${digest.id}.webhook`, channel: 'webhook', status: 'sent', attempts: 2, link: null },
    ]);
  }, 120_000);
});
