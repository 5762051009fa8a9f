import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Attendance, Mark, Pupil } from '../../../model';
import { wireLogEntry, wireMark, type WireWork, type WireWorkType } from '../../../mappers/dnevnik';
import { routePattern, type MarkEndpoints } from '../mark-endpoints';
import { readId } from '../wire-ids';
import { fail, loggedRequest } from './emulator-http';
import type { EmulatorState, EmulatorWrite, StoredEntry, StoredMark, StoredWork } from './emulator-state';
import type { WireKind } from './wire-shapes';

const LOG_STATUSES = new Set(['Attend', 'Absent', 'Ill', 'Late', 'Pass']);

export interface WriteRoutesContext {
  state: EmulatorState;
  pupilsById: ReadonlyMap<string, Pupil>;
  markEndpoints: MarkEndpoints;
  /** Every value a mark may take in the school's mark system (`marks/values/type/{markType}`). */
  markValues: readonly string[];
  toWireWork: (w: StoredWork) => WireWork;
  workType: (id: string) => WireWorkType | undefined;
  /** Fault: the write stays, the connection drops before the answer. True when it did. */
  dropAfterWrite: (req: FastifyRequest, reply: FastifyReply) => boolean;
  stamp: () => string;
  /** Answers a record of `kind` with the twins the emulator publishes. */
  send: (reply: FastifyReply, status: number, body: unknown, kind: WireKind) => FastifyReply;
}

/**
 * The platform's writes: works (`POST /works`, `PUT`/`DELETE /works/{id}`), marks at the
 * configured endpoints, attendance log entries. Each is validated as the platform would
 * (`parameterInvalid`, `apiResourceUnavailable`) and logged at `GET /__emulator/writes`.
 */
export function registerWriteRoutes(app: FastifyInstance, c: WriteRoutesContext): void {
  const { state } = c;
  const record = (req: FastifyRequest, method: string, path: string, entity: EmulatorWrite['entity'], op: EmulatorWrite['op'], id: string) => state.record(method, path, entity, op, id, loggedRequest(req));
  const member = (person: string, groupId: string, date: string) => state.isMember(person, groupId, date) || state.isMember(person, state.groupParent.get(groupId) ?? '', date);

  // ——— Works ———
  const workFromBody = (req: FastifyRequest, reply: FastifyReply): StoredWork | null => {
    const w = ((req.body ?? {}) as { work?: Record<string, unknown> }).work;
    if (!w) return (fail(reply, 400, 'parameterInvalid', 'Не передана работа (work)'), null);
    const lesson = state.lessons.get(readId(w, 'lesson') ?? '');
    if (!lesson) return (fail(reply, 400, 'parameterInvalid', 'Урок не найден'), null);
    const workTypeId = readId(w, 'workType') ?? '';
    if (!c.workType(workTypeId)) return (fail(reply, 400, 'parameterInvalid', 'Тип работы не найден'), null);
    const group = readId(w, 'eduGroup') ?? '';
    if (group !== lesson.groupId) return (fail(reply, 400, 'parameterInvalid', 'Группа работы не совпадает с группой урока'), null);
    return {
      sourceId: '',
      groupId: group,
      subjectId: readId(w, 'subjectId') ?? lesson.subjectId,
      lessonId: lesson.sourceId,
      date: lesson.date,
      workType: 'lesson_answer',
      workTypeId,
      ...(typeof w.text === 'string' && w.text ? { title: w.text } : {}),
    };
  };
  app.post('/v2/works', async (req, reply) => {
    const w = workFromBody(req, reply);
    if (!w) return reply;
    w.sourceId = state.ids.take();
    state.works.set(w.sourceId, w);
    record(req, 'POST', '/v2/works', 'works', 'create', w.sourceId);
    if (c.dropAfterWrite(req, reply)) return;
    return c.send(reply, 201, c.toWireWork(w), 'work');
  });
  app.put('/v2/works/:w', async (req, reply) => {
    const id = (req.params as { w: string }).w;
    if (!state.works.has(id)) return fail(reply, 404, 'apiResourceUnavailable', 'Работа не найдена');
    const w = workFromBody(req, reply);
    if (!w) return reply;
    w.sourceId = id;
    state.works.set(id, w);
    record(req, 'PUT', `/v2/works/${id}`, 'works', 'update', id);
    if (c.dropAfterWrite(req, reply)) return;
    return c.send(reply, 200, c.toWireWork(w), 'work');
  });
  app.delete('/v2/works/:w', async (req, reply) => {
    const id = (req.params as { w: string }).w;
    if (!state.works.delete(id)) return fail(reply, 404, 'apiResourceUnavailable', 'Работа не найдена');
    for (const [k, m] of state.marks) if (m.workId === id) state.marks.delete(k);
    record(req, 'DELETE', `/v2/works/${id}`, 'works', 'delete', id);
    if (c.dropAfterWrite(req, reply)) return;
    return reply.code(204).send();
  });

  // ——— Marks, at the configured endpoints ———
  /** `person/work` of the mark a request names: by `{mark}`, by `{person}`+`{work}`, or by the body. */
  const markKeyOf = (req: FastifyRequest): { p: string; w: string } | null => {
    const params = req.params as Record<string, string | undefined>;
    if (params.mark) {
      for (const m of state.marks.values()) if (m.sourceId === params.mark) return { p: m.pupilId, w: m.workId! };
      return null;
    }
    const body = ((req.body ?? {}) as { mark?: Record<string, unknown> }).mark ?? {};
    const p = params.person ?? readId(body, 'person') ?? '';
    const w = params.work ?? readId(body, 'work') ?? '';
    return p && w ? { p, w } : null;
  };
  const markWrite = (req: FastifyRequest, reply: FastifyReply, ops: ReadonlySet<'create' | 'update'>, method: string) => {
    const key = markKeyOf(req);
    if (!key) return fail(reply, 404, 'apiResourceUnavailable', 'Оценка не найдена');
    const { p, w } = key;
    const work = state.works.get(w);
    if (!work) return fail(reply, 404, 'apiResourceUnavailable', 'Работа не найдена');
    if (!c.pupilsById.has(p)) return fail(reply, 404, 'apiResourceUnavailable', 'Персона не найдена');
    const lessonParam = (req.params as { lesson?: string }).lesson;
    if (lessonParam !== undefined && lessonParam !== work.lessonId) return fail(reply, 400, 'parameterInvalid', 'Работа не относится к этому уроку');
    if (!member(p, work.groupId, work.date)) return fail(reply, 400, 'parameterInvalid', 'Ученик не состоит в группе работы');
    const value = String(((req.body ?? {}) as { mark?: { value?: unknown } }).mark?.value ?? '');
    if (!c.markValues.includes(value)) return fail(reply, 400, 'parameterInvalid', `Недопустимое значение оценки: ${value}`);
    const existing = state.marks.get(`${p}/${w}`);
    // One endpoint for both operations is an upsert.
    const op = existing ? 'update' : 'create';
    if (!ops.has(op)) return existing ? fail(reply, 400, 'parameterInvalid', 'Оценка по этой работе уже выставлена') : fail(reply, 404, 'apiResourceUnavailable', 'Оценка не найдена');
    const mark: StoredMark = {
      sourceId: existing?.sourceId ?? state.ids.take(),
      pupilId: p,
      subjectId: work.subjectId,
      groupId: work.groupId,
      kind: 'current',
      value,
      date: work.date,
      workId: w,
      lessonId: work.lessonId,
      platformValue: value,
      stamp: `${work.date}T${c.stamp().slice(11)}`,
      workTypeId: work.workTypeId,
    };
    state.marks.set(`${p}/${w}`, mark);
    record(req, method, req.url.replace(/\?.*$/, ''), 'marks', op, mark.sourceId);
    if (c.dropAfterWrite(req, reply)) return;
    return c.send(reply, op === 'create' ? 201 : 200, wireMark(mark.sourceId, mark as Mark, value, mark.workTypeId, mark.stamp), 'mark');
  };
  const writeRoutes = new Map<string, { method: string; url: string; ops: Set<'create' | 'update'> }>();
  for (const op of ['create', 'update'] as const) {
    const e = c.markEndpoints[op];
    const url = `/v2${routePattern(e.path)}`;
    const route = writeRoutes.get(`${e.method} ${url}`) ?? { method: e.method, url, ops: new Set() };
    route.ops.add(op);
    writeRoutes.set(`${e.method} ${url}`, route);
  }
  for (const r of writeRoutes.values()) app.route({ method: r.method as 'POST', url: r.url, handler: async (req, reply) => markWrite(req, reply, r.ops, r.method) });
  app.route({
    method: 'DELETE',
    url: `/v2${routePattern(c.markEndpoints.delete.path)}`,
    handler: async (req, reply) => {
      const key = markKeyOf(req);
      const m = key && state.marks.get(`${key.p}/${key.w}`);
      if (!key || !m) return fail(reply, 404, 'apiResourceUnavailable', 'Оценка не найдена');
      state.marks.delete(`${key.p}/${key.w}`);
      record(req, 'DELETE', req.url.replace(/\?.*$/, ''), 'marks', 'delete', m.sourceId);
      if (c.dropAfterWrite(req, reply)) return;
      return reply.code(204).send();
    },
  });

  // ——— Attendance log entries ———
  const logWrite = (req: FastifyRequest, reply: FastifyReply, op: 'create' | 'update') => {
    const { l } = req.params as { l: string };
    const lesson = state.lessons.get(l);
    if (!lesson) return fail(reply, 404, 'apiResourceUnavailable', 'Урок не найден');
    const e = ((req.body ?? {}) as { lessonLogEntry?: Record<string, unknown> }).lessonLogEntry;
    const person = (e && readId(e, 'person')) ?? '';
    const status = String(e?.status ?? '');
    if (!LOG_STATUSES.has(status)) return fail(reply, 400, 'parameterInvalid', `Недопустимый статус: ${status}`);
    if (!member(person, lesson.groupId, lesson.date)) return fail(reply, 400, 'parameterInvalid', 'Ученик не состоит в группе урока');
    const key = `${l}/${person}`;
    if (op === 'update' && !state.entries.has(key)) return fail(reply, 404, 'apiResourceUnavailable', 'Запись не найдена');
    const entry = { sourceId: key, pupilId: person, lessonId: l, status: 'absent', platformStatus: status, stamp: c.stamp(), ...(typeof e?.comment === 'string' && e.comment ? { comment: e.comment } : {}) } as StoredEntry;
    state.entries.set(key, entry);
    record(req, op === 'create' ? 'POST' : 'PUT', `/v2/lessons/${l}/log-entries`, 'attendance', op, key);
    if (c.dropAfterWrite(req, reply)) return;
    return c.send(reply, op === 'create' ? 201 : 200, wireLogEntry(entry as Attendance, status, entry.stamp), 'logEntry');
  };
  app.post('/v2/lessons/:l/log-entries', async (req, reply) => logWrite(req, reply, 'create'));
  app.put('/v2/lessons/:l/log-entries', async (req, reply) => logWrite(req, reply, 'update'));
  app.delete('/v2/lessons/:l/log-entries', async (req, reply) => {
    const { l } = req.params as { l: string };
    const person = String((req.query as { person?: string }).person ?? '');
    if (!/^\d{1,19}$/.test(person)) return fail(reply, 400, 'parameterInvalid', `Параметр person: ожидался идентификатор (целое число), получено «${person}»`);
    const key = `${l}/${person}`;
    if (!state.entries.delete(key)) return fail(reply, 404, 'apiResourceUnavailable', 'Запись не найдена');
    record(req, 'DELETE', `/v2/lessons/${l}/log-entries?person=${person}`, 'attendance', 'delete', key);
    if (c.dropAfterWrite(req, reply)) return;
    return reply.code(204).send();
  });
}
