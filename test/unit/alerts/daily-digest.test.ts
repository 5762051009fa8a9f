import { alertsConfigSchema } from '../../../src/config/alerts-config';
import { buildDailyDigest, type DigestLinkState } from '../../../src/queue/alerts/daily-digest';

const now = new Date('2026-11-25T03:00:00Z'); // 08:00 in Perm
const options = { now, timeZone: 'Asia/Yekaterinburg', dashboardUrl: 'https://ejsync.example/' };

const link = (id: string, name: string, patch: Partial<DigestLinkState> = {}): DigestLinkState => ({
  id,
  name,
  paused: false,
  lastRun: { id: `run-${id}`, status: 'succeeded', errorCode: null, at: new Date('2026-11-24T21:10:00Z') },
  failedRuns: 0,
  failedDeliveries: 0,
  heldRuns: 0,
  consecutiveFailures: 0,
  ...patch,
});

describe('daily digest text', () => {
  it('one line per link, those needing a person first, in the operators’ zone', () => {
    const digest = buildDailyDigest(
      [
        link('ok', 'Школа № 1'),
        link('held', 'Школа № 2', { heldRuns: 1, lastRun: { id: 'run-h', status: 'held', errorCode: null, at: new Date('2026-11-24T21:05:00Z') } }),
        link('broken', 'Школа № 3', { failedRuns: 2, failedDeliveries: 14, consecutiveFailures: 3, lastRun: { id: 'run-b', status: 'failed', errorCode: 'dnevnik.reconnect_needed', at: new Date('2026-11-24T21:30:00Z') } }),
        link('new', 'Школа № 4', { lastRun: null, paused: true }),
      ],
      options,
    );
    expect(digest).toMatchObject({ id: 'daily_digest.2026-11-25', kind: 'daily_digest', url: 'https://ejsync.example', at: now.toISOString() });
    expect(digest.subject).toBe('Ежедневная сводка синхронизаций за 25.11.2026 — с ошибками: 1');
    expect(digest.text.split('\n')).toEqual([
      'Сводка ejsync за 24 ч до 25.11.2026 08:00 (Asia/Yekaterinburg).',
      'Связей: 4; без замечаний: 1; с ошибками: 1; ждут решения: 1.',
      '',
      '• Школа № 3 (broken): последний запуск 25.11.2026 02:30 — ошибка (dnevnik.reconnect_needed); не проходит 3 раза подряд; неудачных запусков за период: 2; ошибок доставки за период: 14.',
      '• Школа № 2 (held): последний запуск 25.11.2026 02:05 — задержан (ждёт решения); ждут решения: 1 запуск.',
      '• Школа № 1 (ok): последний запуск 25.11.2026 02:10 — успешно.',
      '• Школа № 4 (new), связь приостановлена: запусков ещё не было.',
    ]);
  });

  it('the local date names the digest: the same day twice is the same id, the next day a new one', () => {
    const lines = [link('ok', 'Школа № 1')];
    // 23:59 and 00:01 in Perm are different days, although both are 24 November in UTC.
    const late = buildDailyDigest(lines, { ...options, now: new Date('2026-11-24T18:59:00Z') });
    const early = buildDailyDigest(lines, { ...options, now: new Date('2026-11-24T19:01:00Z') });
    expect(late.id).toBe('daily_digest.2026-11-24');
    expect(early.id).toBe('daily_digest.2026-11-25');
    expect(buildDailyDigest(lines, { ...options, now: new Date('2026-11-25T10:00:00Z') }).id).toBe(early.id);
  });

  it('no links: says how to add one; Russian plurals', () => {
    expect(buildDailyDigest([], options).text).toContain('Связей пока нет');
    const held = (n: number) => buildDailyDigest([link('x', 'Школа', { heldRuns: n })], options).text;
    expect(held(2)).toContain('ждут решения: 2 запуска.');
    expect(held(5)).toContain('ждут решения: 5 запусков.');
    expect(held(21)).toContain('ждут решения: 21 запуск.');
    expect(buildDailyDigest([link('x', 'Школа', { consecutiveFailures: 5, lastRun: { id: 'r', status: 'partial', errorCode: 'delivery.failed', at: now } })], options).text).toContain('частично (delivery.failed); не проходит 5 раз подряд');
  });
});

describe('alerts.digest configuration', () => {
  const webhook = { url: 'https://hooks.example/ejsync' };
  const parse = (alerts: unknown) => alertsConfigSchema.safeParse(alerts);
  const messages = (alerts: unknown) => {
    const r = parse(alerts);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it('accepts a cron in a zone, with optional recipients', () => {
    const r = parse({ webhook, email: { from: 'ejsync@school.example', to: ['ops@school.example'] }, digest: { cron: '0 8 * * 1-5', timeZone: 'Asia/Yekaterinburg', to: ['director@school.example'] } });
    expect(r.success).toBe(true);
    expect(r.data?.digest).toEqual({ cron: '0 8 * * 1-5', timeZone: 'Asia/Yekaterinburg', to: ['director@school.example'] });
    expect(parse({ webhook, digest: { cron: '*/5 * * * * *', timeZone: 'Europe/Moscow' } }).success).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['a cron with too few fields', { webhook, digest: { cron: '0 8 *', timeZone: 'Europe/Moscow' } }, 'alerts.digest.cron: ожидается расписание cron из 5 полей'],
    ['a cron with odd characters', { webhook, digest: { cron: '0 8 * * пн', timeZone: 'Europe/Moscow' } }, 'alerts.digest.cron: ожидается расписание cron из 5 полей'],
    ['an unknown zone', { webhook, digest: { cron: '0 8 * * *', timeZone: 'Europe/Perm' } }, 'неизвестный часовой пояс IANA'],
    ['no channel', { digest: { cron: '0 8 * * *', timeZone: 'Europe/Moscow' } }, 'alerts.digest: сводку некуда отправить'],
    ['recipients without e-mail', { webhook, digest: { cron: '0 8 * * *', timeZone: 'Europe/Moscow', to: ['a@b.example'] } }, 'alerts.digest.to: для отправки сводки по почте нужен раздел alerts.email'],
    ['a bad recipient', { webhook, email: { from: 'e@s.example', to: ['o@s.example'] }, digest: { cron: '0 8 * * *', timeZone: 'Europe/Moscow', to: ['директор'] } }, 'alerts.digest.to: неверный адрес'],
  ])('refuses %s with a Russian message', (_what, alerts, message) => {
    expect(messages(alerts).join(' | ')).toContain(message);
  });
});
