import { RUN_STATUSES } from '../../store';
import { MAX_MARKED_ACTIONS } from '../actions/manual-actions';
import { RUN_TABLES } from './export-routes';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description = 'Успешно') => ({ description, content: { 'application/json': { schema } } });
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const queryParam = (name: string, description: string, schema: Json = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      json(ref('Error'), { 400: 'Неверный запрос', 401: 'Требуется вход через ЕСИА', 403: 'Нет прав или нет токена CSRF', 404: 'Не найдено (или объект другой школы)', 409: 'Действие сейчас недоступно' }[c] ?? 'Ошибка'),
    ]),
  );
const csrf = { name: 'X-CSRF-Token', in: 'header', required: true, description: 'Токен из `GET /api/session` (`csrfToken`).', schema: { type: 'string' } };
const file = { description: 'Файл отчёта', content: { 'text/csv': { schema: { type: 'string', format: 'binary' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } };
const format = queryParam('format', 'csv (UTF-8 с BOM, разделитель «;», открывается в Excel) или xlsx', { type: 'string', enum: ['csv', 'xlsx'], default: 'csv' });

function action(summary: string, body?: Json) {
  return {
    post: {
      summary,
      parameters: [csrf],
      ...(body ? { requestBody: { required: false, content: { 'application/json': { schema: body } } } } : {}),
      responses: { '200': json({ type: 'object', additionalProperties: true, properties: { message: { type: 'string' } } }), ...errors(400, 401, 403, 404, 409) },
    },
  };
}

/** Closing or reopening a link's reporting period in ejsync (the reason — the order — is required). */
function periodAction(summary: string) {
  return {
    post: {
      summary,
      parameters: [idParam('id', 'связь'), idParam('periodId', 'период в выгрузке МИС'), csrf],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', description: 'основание, например «приказ № 45 от 28.10.2026»' } } } } } },
      responses: { '200': json({ type: 'object', properties: { linkId: { type: 'string' }, periodId: { type: 'string' }, changed: { type: 'boolean' }, message: { type: 'string' } } }), ...errors(400, 401, 403, 404, 409) },
    },
  };
}

/** Marking a run's manual actions done or open again (no confirmation: reversible, nothing goes to the platform). */
function manualMark(summary: string) {
  return {
    post: {
      summary,
      parameters: [idParam('id', 'запуск'), csrf],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required: ['actionIds'], properties: { actionIds: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_MARKED_ACTIONS, description: 'actionId из manualActions запуска' } } } } },
      },
      responses: {
        '200': json({
          type: 'object',
          properties: {
            runId: { type: 'string' },
            status: { type: 'string', enum: ['done', 'open'] },
            changed: { type: 'integer', description: 'Сколько действий изменили состояние (чужие и уже отмеченные не считаются)' },
            open: { type: 'integer', description: 'Сколько действий запуска осталось выполнить' },
            message: { type: 'string' },
          },
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  };
}

/** Marking a link's worklist items (by action id) done or open again. */
function worklistMark(summary: string) {
  return {
    post: {
      summary,
      parameters: [idParam('id', 'связь'), csrf],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required: ['actionIds'], properties: { actionIds: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_MARKED_ACTIONS } } } } },
      },
      responses: { '200': json({ type: 'object', properties: { changed: { type: 'integer' }, open: { type: 'integer' }, message: { type: 'string' } } }), ...errors(400, 401, 403, 404) },
    },
  };
}

/**
 * The dashboard's JSON API as OpenAPI 3.1, served at `/api/openapi.json`. A test checks that
 * every registered `/api` route is here and every path here is registered.
 */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'ejsync — API панели ошибок синхронизации',
    version: '1',
    description:
      'Чтение связей, запусков, ошибок доставки и журнала действий; действия над запусками и связями. Вход — через ЕСИА (cookie сеанса). ' +
      'Каждый запрос проверяет роль и школы: администратор школы не видит чужие школы (404). Изменяющие запросы требуют заголовок X-CSRF-Token. ' +
      'Персональные данные показываются по роли; СНИЛС всегда замаскирован.',
  },
  components: {
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'ejsync_session' },
      uploadKey: { type: 'http', scheme: 'bearer', description: 'Ключ загрузки связи (ejsync upload --link СВЯЗЬ --new-token); показывается один раз, хранится в виде хеша' },
    },
    schemas: {
      Error: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string', description: 'Код для программ' }, message: { type: 'string', description: 'Сообщение по-русски' }, hint: { type: 'string' } } },
      RunStatus: { type: 'string', enum: [...RUN_STATUSES] },
      Run: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          linkId: { type: 'string' },
          schoolId: { type: 'string' },
          kind: { type: 'string', enum: ['sync', 'rollback', 'retry', 'rollover'] },
          status: ref('RunStatus'),
          trigger: { type: 'string' },
          environment: { type: 'string', enum: ['live', 'emulator'] },
          writes: { type: 'integer' },
          summary: { type: 'object' },
          heldReasons: { type: 'array', items: { type: 'object' } },
          createdAt: { type: 'string', format: 'date-time' },
          finishedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      Progress: { type: 'object', properties: { total: { type: 'integer' }, done: { type: 'integer' }, applied: { type: 'integer' }, failed: { type: 'integer' }, pending: { type: 'integer' }, text: { type: 'string' } } },
      FailureGroup: {
        type: 'object',
        properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' }, attempts: { type: 'integer' }, runs: { type: 'integer' }, links: { type: 'integer' }, open: { type: 'integer' }, firstSeen: { type: 'string', format: 'date-time' }, lastSeen: { type: 'string', format: 'date-time' } },
      },
    },
  },
  security: [{ session: [] }],
  paths: {
    '/api/session': { get: { summary: 'Кто вошёл и токен CSRF', responses: { '200': json({ type: 'object', properties: { principal: { type: 'object' }, csrfToken: { type: 'string' } } }), ...errors(401) } } },
    '/api/openapi.json': { get: { summary: 'Это описание API', responses: { '200': json({ type: 'object' }) } } },
    '/api/links': {
      get: {
        summary: 'Связи, которые видит пользователь: последний и следующий запуск, ошибки подряд',
        parameters: [queryParam('q', 'поиск по названию, школе, связи'), queryParam('school', 'школа'), queryParam('platform', 'платформа'), queryParam('state', 'failing | held | running | ok | never | paused')],
        responses: { '200': json({ type: 'object', properties: { links: { type: 'array', items: { type: 'object' } }, held: { type: 'array', items: { type: 'object' } }, total: { type: 'integer' } } }), ...errors(401) },
      },
    },
    '/api/links/{id}': { get: { summary: 'Одна связь и её последние запуски', parameters: [idParam('id', 'связь')], responses: { '200': json({ type: 'object' }), ...errors(401, 404) } } },
    '/api/links/{id}/pause': { ...action('Приостановить связь (ночные запуски не выполняются)'), parameters: [idParam('id', 'связь')] },
    '/api/links/{id}/resume': { ...action('Возобновить связь'), parameters: [idParam('id', 'связь')] },
    '/api/links/{id}/run': { ...action('Запустить синхронизацию сейчас'), parameters: [idParam('id', 'связь')] },
    '/api/links/{id}/periods': {
      get: {
        summary: 'Отчётные периоды связи из выгрузки МИС и их закрытие в ejsync (кто, когда, основание)',
        parameters: [idParam('id', 'связь')],
        responses: {
          '200': json({ type: 'object', properties: { linkId: { type: 'string' }, sourceUnreadable: { type: 'boolean', description: 'выгрузку прочитать не удалось: перечислены только закрытые в ejsync' }, periods: { type: 'array', items: { type: 'object', properties: { periodId: { type: 'string' }, period: { type: ['object', 'null'] }, lockedInEjsync: { type: ['object', 'null'] } } } } } }),
          ...errors(401, 404),
        },
      },
    },
    '/api/links/{id}/periods/{periodId}/close': periodAction('Закрыть отчётный период в ejsync: изменения отметок и посещаемости в нём больше не передаются (запись в журнал действий)'),
    '/api/links/{id}/periods/{periodId}/reopen': periodAction('Открыть отчётный период, закрытый в ejsync (запись в журнал действий)'),
    '/api/links/{id}/exports': {
      post: {
        summary: 'Загрузить выгрузку МИС связи (для школы или её МИС): следующий запуск связи планируется по ней',
        description:
          'Тело — сама выгрузка (ZIP или документ JSON МИС), любой Content-Type; вход по ключу загрузки связи, без сеанса и без X-CSRF-Token. ' +
          'Выгрузка проверяется как при ejsync upload и хранится по SHA-256; повторная загрузка тех же байтов отвечает 200 с duplicate: true. Предел размера — intake.maxBytes.',
        security: [{ uploadKey: [] }],
        parameters: [idParam('id', 'связь'), { name: 'X-File-Name', in: 'header', required: false, description: 'имя файла выгрузки (URL-кодированное)', schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: {
          '201': json({ type: 'object', properties: { linkId: { type: 'string' }, sha256: { type: 'string' }, size: { type: 'integer' }, fileName: { type: 'string' }, format: { type: 'string' }, receivedAt: { type: 'string', format: 'date-time' }, duplicate: { type: 'boolean' }, message: { type: 'string' } } }, 'Выгрузка принята'),
          '200': json({ type: 'object' }, 'Такая выгрузка уже была: отмечена как полученная сейчас'),
          '401': json(ref('Error'), 'Нет ключа загрузки'),
          '403': json(ref('Error'), 'Неверный ключ или неизвестная связь'),
          '413': json(ref('Error'), 'Больше предела intake.maxBytes'),
          '422': json(ref('Error'), 'Это не выгрузка, которую ejsync может прочитать'),
        },
      },
    },
    '/api/runs': {
      get: {
        summary: 'Запуски (новые первыми)',
        parameters: [queryParam('linkId', 'связь'), queryParam('status', 'состояние', ref('RunStatus')), queryParam('limit', 'сколько (до 200)', { type: 'integer' }), queryParam('offset', 'сдвиг', { type: 'integer' })],
        responses: { '200': json({ type: 'object', properties: { runs: { type: 'array', items: ref('Run') } } }), ...errors(401) },
      },
    },
    '/api/runs/{id}': {
      get: {
        summary: 'Запуск: изменения по видам записей, недоставленные записи по кодам, ручные действия, замечания, подготовленные изменения задержанного запуска',
        parameters: [idParam('id', 'запуск')],
        responses: { '200': json({ type: 'object', properties: { run: ref('Run'), progress: ref('Progress'), failures: { type: 'array', items: { type: 'object' } }, manualActions: { type: 'array', description: 'Группы ручных действий: title, entity, reason, open (осталось) и actions — actionId, sourceId, status (open | done), doneBy, doneAt, fields', items: { type: 'object' } } } }), ...errors(401, 404) },
      },
    },
    '/api/runs/{id}/status': {
      get: { summary: 'Состояние и ход выполнения запуска (для опроса)', parameters: [idParam('id', 'запуск')], responses: { '200': json({ type: 'object', properties: { status: ref('RunStatus'), settled: { type: 'boolean' }, progress: ref('Progress') } }), ...errors(401, 404) } },
    },
    '/api/runs/{id}/changes': {
      get: {
        summary: 'Подготовленные изменения запуска (было → станет), постранично',
        parameters: [idParam('id', 'запуск'), queryParam('status', 'pending | applied | failed | skipped'), queryParam('limit', 'до 1000', { type: 'integer' }), queryParam('offset', 'сдвиг', { type: 'integer' })],
        responses: { '200': json({ type: 'object', properties: { changes: { type: 'array', items: { type: 'object' } } } }), ...errors(401, 404) },
      },
    },
    '/api/runs/{id}/approve': { ...action('Одобрить задержанный запуск', { type: 'object', properties: { reason: { type: 'string' } } }), parameters: [idParam('id', 'запуск')] },
    '/api/runs/{id}/discard': { ...action('Отклонить задержанный запуск (причина обязательна)', { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }), parameters: [idParam('id', 'запуск')] },
    '/api/runs/{id}/retry': {
      ...action('Повторить недоставленные: все, одного кода или одну запись', { type: 'object', properties: { code: { type: 'string' }, changeId: { type: 'string' }, changeIds: { type: 'array', items: { type: 'string' }, maxItems: 1 } } }),
      parameters: [idParam('id', 'запуск')],
    },
    '/api/runs/{id}/manual-actions/done': manualMark('Отметить ручные действия запуска выполненными (запись в журнал действий)'),
    '/api/runs/{id}/manual-actions/reopen': manualMark('Вернуть ручные действия запуска в работу (запись в журнал действий)'),
    '/api/runs/{id}/rollback': { ...action('Откатить запуск (создаётся запуск-откат)'), parameters: [idParam('id', 'запуск')] },
    '/api/runs/{id}/exports/{table}': {
      get: {
        summary: 'Выгрузка таблицы запуска',
        parameters: [idParam('id', 'запуск'), { name: 'table', in: 'path', required: true, schema: { type: 'string', enum: [...RUN_TABLES] } }, format],
        responses: { '200': file, ...errors(401, 404) },
      },
    },
    '/api/failures': { get: { summary: 'Ошибки доставки по кодам во всех школах пользователя', parameters: [queryParam('q', 'код или слова ошибки'), queryParam('school', 'код школы')], responses: { '200': json({ type: 'object', properties: { failures: { type: 'array', items: ref('FailureGroup') } } }), ...errors(401) } } },
    '/api/failures/{code}': { get: { summary: 'Недоставленные записи одного кода', parameters: [idParam('code', 'код ошибки'), queryParam('q', 'поиск: ученик, класс, предмет, дата'), queryParam('school', 'код школы'), queryParam('page', 'страница', { type: 'integer' })], responses: { '200': json({ type: 'object' }), ...errors(401) } } },
    '/api/failures/{code}/retry': { ...action('Повторить недоставленные записи этого кода во всех запусках, где пользователь может действовать'), parameters: [idParam('code', 'код ошибки')] },
    '/api/exports/failures': { get: { summary: 'Выгрузка всех недоставленных записей', parameters: [format, queryParam('code', 'только этот код')], responses: { '200': file, ...errors(401) } } },
    '/api/exports/audit': { get: { summary: 'Выгрузка журнала действий', parameters: [format, queryParam('action', 'действие'), queryParam('actor', 'кто'), queryParam('from', 'с даты ГГГГ-ММ-ДД'), queryParam('to', 'по дату'), queryParam('school', 'код школы')], responses: { '200': file, ...errors(401) } } },
    '/api/audit': {
      get: {
        summary: 'Журнал действий: кто, что, когда',
        parameters: [queryParam('action', 'действие'), queryParam('actor', 'фамилия или oid'), queryParam('from', 'с даты ГГГГ-ММ-ДД'), queryParam('to', 'по дату'), queryParam('school', 'код школы'), queryParam('page', 'страница', { type: 'integer' })],
        responses: { '200': json({ type: 'object', properties: { audit: { type: 'array', items: { type: 'object' } }, total: { type: 'integer' } } }), ...errors(401) },
      },
    },
    '/api/worklist': {
      get: {
        summary: 'Ручные действия во всех школах пользователя — каждое одно на все запуски: состояние, с какого дня открыто, данные для ввода (ФИО — только сотрудникам школы)',
        parameters: [queryParam('link', 'связь'), queryParam('status', 'open | done | resolved | all', { type: 'string', default: 'open' }), queryParam('overdue', 'только открытые дольше недели (1)'), queryParam('q', 'поиск: что сделать, класс, фамилия'), queryParam('page', 'страница', { type: 'integer' })],
        responses: { '200': json({ type: 'object', properties: { worklist: { type: 'array', items: { type: 'object' } }, total: { type: 'integer' }, page: { type: 'integer' }, pages: { type: 'integer' }, overdueDays: { type: 'integer' } } }), ...errors(401) },
      },
    },
    '/api/links/{id}/worklist/done': worklistMark('Отметить ручные действия связи выполненными (отметка переходит в следующие запуски; запись в журнал действий)'),
    '/api/links/{id}/worklist/reopen': worklistMark('Вернуть ручные действия связи в работу (запись в журнал действий)'),
    '/api/links/{id}/identity-merges': {
      post: {
        summary: 'Связать запись человека в МИС с его записью на платформе вручную (где сопоставление неоднозначно); запись в журнал действий с прежней и новой связью',
        parameters: [idParam('id', 'связь'), csrf],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['entity', 'sourceId', 'targetId', 'reason'],
                properties: { entity: { type: 'string', enum: ['pupils', 'staff', 'guardians'] }, sourceId: { type: 'string', description: 'код в МИС' }, targetId: { type: 'string', description: 'код на платформе' }, reason: { type: 'string' } },
              },
            },
          },
        },
        responses: { '200': json({ type: 'object', properties: { changed: { type: 'boolean' }, before: { type: 'object' }, after: { type: 'object' }, message: { type: 'string' } } }), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/reports/discrepancy': {
      get: {
        summary: 'Сверка МИС и журнала школы за месяц: текущие отметки по классам и предметам, чего нет в журнале и чего нет в МИС, ученики без отметок (JSON или файл)',
        parameters: [queryParam('link', 'связь (школа)'), queryParam('month', 'месяц ГГГГ-ММ (по умолчанию текущий)'), queryParam('format', 'xlsx или csv — файл; без него JSON', { type: 'string', enum: ['xlsx', 'csv'] })],
        responses: { '200': { description: 'Отчёт (JSON) или файл', content: { ...json({ type: 'object' }).content, ...file.content } }, ...errors(401, 404) },
      },
    },
    '/api/reports/final-marks': {
      get: {
        summary: 'Итоговые отметки по классам: сколько в МИС, в журнале, доставлено, ждёт, не доставлено (JSON или файл)',
        parameters: [queryParam('link', 'связь (школа)'), queryParam('format', 'xlsx или csv — файл; без него JSON', { type: 'string', enum: ['xlsx', 'csv'] })],
        responses: { '200': { description: 'Отчёт (JSON) или файл', content: { ...json({ type: 'object' }).content, ...file.content } }, ...errors(401, 404) },
      },
    },
    '/api/stats/runs-per-day': {
      get: { summary: 'Запуски, с ошибками и задержанные по дням', parameters: [queryParam('days', 'дней (до 92)', { type: 'integer', default: 30 })], responses: { '200': json({ type: 'object' }), ...errors(401) } },
    },
  },
} as const;

/** `/api/runs/:id/exports/:table` → `/api/runs/{id}/exports/{table}`. */
export function openApiPath(fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
