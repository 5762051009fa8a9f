/**
 * `ejsync doctor`: what was found on a host (facts, gathered by doctor-probe.ts) → one verdict per
 * check, in Russian, with what to fix. Pure: no I/O here, so every verdict is testable from a table.
 */

export type CheckStatus = 'ok' | 'warning' | 'error';

/** One line of the doctor's report. */
export interface DoctorCheck {
  /** Stable id for programs (`--json`). */
  id: string;
  status: CheckStatus;
  /** What was found (Russian). */
  message: string;
  /** What to do (Russian); absent when all is well. */
  fix?: string;
}

/** What the probe found; a part is absent when it could not be looked at (see `evaluateDoctor`). */
export interface DoctorFacts {
  nodeVersion: string;
  /** `openssl engine gost` succeeded, or why not. */
  gost: { ok: true } | { ok: false; reason: string };
  /** The environment variables parsed (src/config/environment.ts), or the message. */
  environment: { ok: true } | { ok: false; reason: string };
  /** `EJSYNC_HOME` as given (`raw` undefined → the per-user data directory, see src/config/default-home.ts), resolved, and a write test. */
  home?: { raw: string | undefined; resolved: string; writable: boolean; reason?: string };
  /** config.json (or `EJSYNC_CONFIG`): absent, valid or the loader's message. */
  config?: { file: string; state: 'absent' | 'valid' } | { file: string; state: 'invalid'; reason: string };
  redis?:
    | { target: string; reachable: false; reason: string }
    | {
        target: string;
        reachable: true;
        /** `maxmemory-policy` of every master; undefined → `CONFIG GET` refused. */
        policies?: string[];
        /** `appendonly` and `save` settings; undefined → `CONFIG GET` refused. */
        persistence?: { appendonly: string; save: string };
        configError?: string;
      };
  database?: { kind: 'postgres' | 'pglite'; target: string; ok: true } | { kind: 'postgres' | 'pglite'; target: string; ok: false; reason: string; hint?: string };
  /** The secret key and whether the store's secrets open with it (`undefined` total → store not opened). */
  secret?:
    | { state: 'missing' }
    | { state: 'invalid'; reason: string }
    | { state: 'checked'; total?: number; failed: number; reason?: string };
}

const MIN_NODE: [number, number] = [20, 19];

function nodeCheck(version: string): DoctorCheck {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const fine = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return fine
    ? { id: 'node', status: 'ok', message: `Node.js ${version}` }
    : { id: 'node', status: 'error', message: `Node.js ${version}: нужна версия 20.19 или новее`, fix: 'Установите Node.js 20 LTS (20.19+) или 22 LTS.' };
}

function gostCheck(gost: DoctorFacts['gost']): DoctorCheck {
  return gost.ok
    ? { id: 'gost', status: 'ok', message: 'OpenSSL загружает движок ГОСТ (gost) для подписи запросов к ЕСИА' }
    : {
        id: 'gost',
        status: 'error',
        message: `OpenSSL не загружает движок ГОСТ (gost): ${gost.reason}`,
        fix: 'Установите пакеты: apt-get install openssl libengine-gost-openssl (без них не работает вход и обмен с ЕСИА).',
      };
}

function homeCheck(home: NonNullable<DoctorFacts['home']>): DoctorCheck {
  if (!home.writable) {
    return {
      id: 'home',
      status: 'error',
      message: `Каталог EJSYNC_HOME ${home.resolved} недоступен для записи${home.reason ? ` (${home.reason})` : ''}`,
      fix: `Создайте каталог и отдайте его пользователю службы: install -d -o ejsync -g ejsync -m 0750 ${home.resolved}; в unit-файле — ReadWritePaths=${home.resolved}.`,
    };
  }
  if (home.raw === undefined || !home.raw.startsWith('/')) {
    return {
      id: 'home',
      status: 'warning',
      message:
        home.raw === undefined
          ? `EJSYNC_HOME не задан: используется каталог данных пользователя ${home.resolved} — у службы он свой, и данные окажутся не там, где их ищут команды администратора`
          : `EJSYNC_HOME относительный (${home.raw}): сейчас это ${home.resolved}, но зависит от рабочего каталога`,
      fix: 'Задайте абсолютный путь, например EJSYNC_HOME=/var/lib/ejsync, в файле окружения службы.',
    };
  }
  return { id: 'home', status: 'ok', message: `EJSYNC_HOME ${home.resolved}: доступен для записи` };
}

function configCheck(config: NonNullable<DoctorFacts['config']>): DoctorCheck {
  if (config.state === 'invalid') {
    return { id: 'config', status: 'error', message: `Файл настроек ${config.file} с ошибками: ${config.reason}`, fix: 'Исправьте указанные поля (описание — docs/operations.md) и запустите ejsync doctor снова.' };
  }
  return { id: 'config', status: 'ok', message: config.state === 'valid' ? `Файл настроек ${config.file}: корректен` : `Файла настроек ${config.file} нет — используются значения по умолчанию` };
}

function redisChecks(redis: NonNullable<DoctorFacts['redis']>): DoctorCheck[] {
  if (!redis.reachable) {
    return [
      {
        id: 'redis',
        status: 'error',
        message: `Redis ${redis.target} недоступен: ${redis.reason}`,
        fix: 'Запустите Redis или исправьте REDIS_URL (REDIS_CLUSTER_NODES для кластера) в файле окружения.',
      },
    ];
  }
  const checks: DoctorCheck[] = [{ id: 'redis', status: 'ok', message: `Redis ${redis.target}: доступен` }];
  const refused = `CONFIG GET отклонён${redis.configError ? ` (${redis.configError})` : ''}`;
  const other = redis.policies?.filter((p) => p !== 'noeviction');
  if (!redis.policies) {
    checks.push({ id: 'redis_eviction', status: 'warning', message: `Не удалось узнать maxmemory-policy Redis: ${refused}`, fix: 'Убедитесь в настройках управляемого Redis, что политика вытеснения — noeviction.' });
  } else if (other?.length) {
    checks.push({
      id: 'redis_eviction',
      status: 'error',
      message: `maxmemory-policy Redis = ${other.join(', ')}: при нехватке памяти Redis удалит задания и блокировки очередей`,
      fix: 'Задайте «maxmemory-policy noeviction» в redis.conf (или CONFIG SET maxmemory-policy noeviction и CONFIG REWRITE).',
    });
  } else {
    checks.push({ id: 'redis_eviction', status: 'ok', message: 'maxmemory-policy Redis = noeviction' });
  }
  const p = redis.persistence;
  if (!p) {
    checks.push({ id: 'redis_persistence', status: 'warning', message: `Не удалось узнать настройки сохранения Redis: ${refused}`, fix: 'Убедитесь, что у Redis включено сохранение на диск (appendonly yes).' });
  } else if (p.appendonly === 'yes') {
    checks.push({ id: 'redis_persistence', status: 'ok', message: 'Redis сохраняет данные на диск (appendonly yes)' });
  } else {
    checks.push({
      id: 'redis_persistence',
      status: 'warning',
      message: p.save.trim()
        ? `Redis сохраняет только снимки (save ${p.save}), appendonly no: задания после последнего снимка пропадут при перезапуске`
        : 'Redis не сохраняет данные на диск (appendonly no, save пуст): очереди пропадут при перезапуске',
      fix: 'Включите appendonly yes в redis.conf (или CONFIG SET appendonly yes и CONFIG REWRITE).',
    });
  }
  return checks;
}

function databaseCheck(db: NonNullable<DoctorFacts['database']>): DoctorCheck {
  const what = db.kind === 'postgres' ? `PostgreSQL ${db.target}` : `Встроенная база PGlite ${db.target}`;
  if (db.ok) return { id: 'database', status: 'ok', message: `${what}: открыта, миграции применены` };
  return {
    id: 'database',
    status: 'error',
    message: `${what}: не открывается — ${db.reason}`,
    fix: db.hint ?? (db.kind === 'postgres' ? 'Проверьте DATABASE_URL и что сервер PostgreSQL запущен.' : 'Проверьте права на каталог EJSYNC_HOME.'),
  };
}

function secretCheck(secret: NonNullable<DoctorFacts['secret']>): DoctorCheck {
  switch (secret.state) {
    case 'missing':
      return { id: 'secret', status: 'error', message: 'EJSYNC_SECRET_KEY не задан: токены платформ не зашифровать и не прочитать', fix: 'Задайте EJSYNC_SECRET_KEY (openssl rand -base64 32) в файле окружения и сохраните копию ключа отдельно.' };
    case 'invalid':
      return { id: 'secret', status: 'error', message: `EJSYNC_SECRET_KEY неверен: ${secret.reason}`, fix: 'Нужен ключ длиной 32 байта в base64 или hex: openssl rand -base64 32.' };
    case 'checked':
      if (secret.total === undefined) return { id: 'secret', status: 'warning', message: 'EJSYNC_SECRET_KEY задан, но секреты базы не проверены: база не открылась', fix: 'Исправьте доступ к базе (строка выше) и запустите ejsync doctor снова.' };
      if (secret.failed > 0) {
        return {
          id: 'secret',
          status: 'error',
          message: `EJSYNC_SECRET_KEY не расшифровывает ${secret.failed} из ${secret.total} секретов базы${secret.reason ? `: ${secret.reason}` : ''}`,
          fix: 'Задайте ключ, с которым работала эта база; если он утрачен — подключите платформы заново (ejsync dnevnik connect).',
        };
      }
      return { id: 'secret', status: 'ok', message: secret.total ? `EJSYNC_SECRET_KEY расшифровывает все секреты базы (${secret.total})` : 'EJSYNC_SECRET_KEY задан; секретов в базе пока нет' };
  }
}

/** The verdicts, in the order they are printed. Parts the probe could not reach give no line. */
export function evaluateDoctor(facts: DoctorFacts): DoctorCheck[] {
  const checks = [nodeCheck(facts.nodeVersion), gostCheck(facts.gost)];
  checks.push(
    facts.environment.ok
      ? { id: 'environment', status: 'ok', message: 'Переменные окружения ejsync корректны' }
      : { id: 'environment', status: 'error', message: `Переменные окружения с ошибками: ${facts.environment.reason}`, fix: 'Исправьте указанные переменные в файле окружения службы (шаблон — deploy/ejsync.env.example).' },
  );
  if (facts.home) checks.push(homeCheck(facts.home));
  if (facts.config) checks.push(configCheck(facts.config));
  if (facts.redis) checks.push(...redisChecks(facts.redis));
  if (facts.database) checks.push(databaseCheck(facts.database));
  if (facts.secret) checks.push(secretCheck(facts.secret));
  return checks;
}

const LABEL: Record<CheckStatus, string> = { ok: 'ок', warning: 'внимание', error: 'ошибка' };

/** One line per check: `[ок] …`, `[внимание] … Что сделать: …`, `[ошибка] … Что сделать: …`. */
export function formatDoctorReport(checks: DoctorCheck[]): string {
  return checks.map((c) => `[${LABEL[c.status]}] ${c.message}${c.fix ? `. Что сделать: ${c.fix}` : ''}\n`).join('');
}

/** 0 when no check is an error (warnings allowed), 1 otherwise. */
export function doctorExitStatus(checks: DoctorCheck[]): 0 | 1 {
  return checks.some((c) => c.status === 'error') ? 1 : 0;
}
