import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail } from './emulator-http';

/** The header with which the emulator announces itself on every answer (the live platform never sends it). */
export const EMULATOR_HEADER_NAME = 'X-Ejsync-Emulator';

/** Route parameters that name a record by its 64-bit id. */
const ID_PARAMS = new Set(['s', 'g', 'l', 'p', 'w', 'person', 'work', 'mark', 'lesson']);
/** Route parameters that are dates (`2026-11-09` or an ISO date-time, as the clients send). */
const DATE_PARAMS = new Set(['from', 'to']);
const ID = /^\d{1,19}$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/** A date path or query value that is a real day. */
export const isDateValue = (v: string) => DATE.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10)));

/**
 * What makes the emulator answer like the platform whatever goes wrong: every answer carries
 * {@link EMULATOR_HEADER_NAME}; an id that is not a number or a date that is not a date is
 * `400 parameterInvalid` (never `200 []`); every failure — a body that is not JSON, a content type
 * it does not read, an exception — comes in the `{type, description}` envelope.
 */
export function installStrictness(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header(EMULATOR_HEADER_NAME, '1');
    return payload;
  });
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.url.startsWith('/v2/')) return;
    for (const [name, value] of Object.entries((req.params ?? {}) as Record<string, string>)) {
      if (ID_PARAMS.has(name) && !ID.test(value)) return fail(reply, 400, 'parameterInvalid', `Параметр ${name}: ожидался идентификатор (целое число), получено «${value}»`);
      if (DATE_PARAMS.has(name) && !isDateValue(value)) return fail(reply, 400, 'parameterInvalid', `Параметр ${name}: ожидалась дата, получено «${value}»`);
    }
  });
  app.setErrorHandler((error: FastifyError, _req, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 415) return fail(reply, 415, 'invalidRequest', 'Неподдерживаемый формат тела запроса (ожидается application/json)');
    if (status >= 400 && status < 500) return fail(reply, status, 'invalidRequest', `Неверный запрос: ${error.message}`);
    return fail(reply, 500, 'apiServerError', 'Внутренняя ошибка сервера');
  });
}
