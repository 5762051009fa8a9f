import { doctorExitStatus, evaluateDoctor, formatDoctorReport, type DoctorCheck, type DoctorFacts } from '../../../src/cli/doctor-checks';

const healthy: DoctorFacts = {
  nodeVersion: '20.19.2',
  gost: { ok: true },
  environment: { ok: true },
  home: { raw: '/var/lib/ejsync', resolved: '/var/lib/ejsync', writable: true },
  config: { file: '/var/lib/ejsync/config.json', state: 'valid' },
  redis: { target: 'redis://r:6379', reachable: true, policies: ['noeviction'], persistence: { appendonly: 'yes', save: '' } },
  database: { kind: 'postgres', target: 'postgres://db/ejsync', ok: true },
  secret: { state: 'checked', total: 2, failed: 0 },
};

function find(checks: DoctorCheck[], id: string): DoctorCheck {
  const check = checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check;
}

describe('evaluateDoctor', () => {
  it('a healthy host: every check ok, exit 0', () => {
    const checks = evaluateDoctor(healthy);
    expect(checks.map((c) => c.id)).toEqual(['node', 'gost', 'environment', 'home', 'config', 'redis', 'redis_eviction', 'redis_persistence', 'database', 'secret']);
    expect(checks.every((c) => c.status === 'ok')).toBe(true);
    expect(doctorExitStatus(checks)).toBe(0);
  });

  const cases: [string, Partial<DoctorFacts>, string, 'warning' | 'error', RegExp][] = [
    ['old Node', { nodeVersion: '18.20.0' }, 'node', 'error', /20\.19/],
    ['Node 20 before 20.19', { nodeVersion: '20.11.1' }, 'node', 'error', /20\.19/],
    ['no GOST engine', { gost: { ok: false, reason: 'invalid engine "gost"' } }, 'gost', 'error', /libengine-gost-openssl/],
    ['bad environment', { environment: { ok: false, reason: 'REDIS_URL должна быть строкой подключения' } }, 'environment', 'error', /ejsync\.env\.example/],
    ['home not writable', { home: { raw: '/srv/e', resolved: '/srv/e', writable: false, reason: 'EACCES' } }, 'home', 'error', /ReadWritePaths=\/srv\/e/],
    ['home relative', { home: { raw: 'data', resolved: '/opt/ejsync/data', writable: true } }, 'home', 'warning', /абсолютный путь/],
    ['home unset', { home: { raw: undefined, resolved: '/opt/ejsync/.ejsync', writable: true } }, 'home', 'warning', /EJSYNC_HOME=\/var\/lib\/ejsync/],
    ['config invalid', { config: { file: '/h/config.json', state: 'invalid', reason: 'esia.clientId: обязательное поле' } }, 'config', 'error', /Исправьте/],
    ['redis down', { redis: { target: 'redis://r:1', reachable: false, reason: 'connect ECONNREFUSED' } }, 'redis', 'error', /REDIS_URL/],
    ['redis evicts', { redis: { target: 'r', reachable: true, policies: ['allkeys-lru'], persistence: { appendonly: 'yes', save: '' } } }, 'redis_eviction', 'error', /noeviction/],
    ['CONFIG refused', { redis: { target: 'r', reachable: true, configError: 'unknown command' } }, 'redis_eviction', 'warning', /noeviction/],
    ['no persistence', { redis: { target: 'r', reachable: true, policies: ['noeviction'], persistence: { appendonly: 'no', save: '' } } }, 'redis_persistence', 'warning', /appendonly yes/],
    ['RDB only', { redis: { target: 'r', reachable: true, policies: ['noeviction'], persistence: { appendonly: 'no', save: '3600 1' } } }, 'redis_persistence', 'warning', /appendonly yes/],
    ['database down', { database: { kind: 'postgres', target: 'postgres://db/x', ok: false, reason: 'ECONNREFUSED', hint: 'Проверьте DATABASE_URL' } }, 'database', 'error', /DATABASE_URL/],
    ['PGlite unwritable', { database: { kind: 'pglite', target: '/h/db', ok: false, reason: 'EACCES' } }, 'database', 'error', /EJSYNC_HOME/],
    ['no secret key', { secret: { state: 'missing' } }, 'secret', 'error', /openssl rand -base64 32/],
    ['short secret key', { secret: { state: 'invalid', reason: 'нужен ключ длиной 32 байта' } }, 'secret', 'error', /32 байта/],
    ['wrong secret key', { secret: { state: 'checked', total: 3, failed: 3, reason: 'ключ записи a, задан ключ b' } }, 'secret', 'error', /3 из 3/],
    ['store not opened', { secret: { state: 'checked', failed: 0 } }, 'secret', 'warning', /не открылась/],
  ];

  it.each(cases)('%s', (_name, change, id, status, fix) => {
    const checks = evaluateDoctor({ ...healthy, ...change });
    const check = find(checks, id);
    expect(check.status).toBe(status);
    expect(`${check.message}. ${check.fix}`).toMatch(fix);
    expect(check.fix).toBeTruthy();
    // A refused CONFIG GET leaves both the eviction policy and persistence unknown.
    const alsoUnknown = change.redis?.reachable && change.redis.configError ? ['redis_persistence'] : [];
    expect(checks.filter((c) => c.status !== 'ok').map((c) => c.id)).toEqual([id, ...alsoUnknown]);
    expect(doctorExitStatus(checks)).toBe(status === 'error' ? 1 : 0);
  });

  it('Redis unreachable gives one line, not three', () => {
    const checks = evaluateDoctor({ ...healthy, redis: { target: 'r', reachable: false, reason: 'x' } });
    expect(checks.filter((c) => c.id.startsWith('redis'))).toHaveLength(1);
  });

  it('an environment that does not parse stops the checks that depend on it', () => {
    const checks = evaluateDoctor({ nodeVersion: '22.1.0', gost: { ok: true }, environment: { ok: false, reason: 'x' } });
    expect(checks.map((c) => c.id)).toEqual(['node', 'gost', 'environment']);
  });
});

describe('formatDoctorReport', () => {
  it('one line per check, Russian labels, the fix after the finding', () => {
    const text = formatDoctorReport(evaluateDoctor({ ...healthy, secret: { state: 'missing' }, home: { raw: 'x', resolved: '/w/x', writable: true } }));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('[ок] Node.js 20.19.2');
    expect(lines.find((l) => l.includes('EJSYNC_HOME'))).toMatch(/^\[внимание\] .*Что сделать: /);
    expect(lines.at(-1)).toMatch(/^\[ошибка\] EJSYNC_SECRET_KEY не задан.*Что сделать: Задайте EJSYNC_SECRET_KEY/);
  });
});
