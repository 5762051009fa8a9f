import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { dateWithin, zoneOffsetMinutes, type Snapshot } from '../../../model';
import {
  wireClass,
  wireLesson,
  wireLogEntry,
  wireMark,
  wirePeriod,
  wirePerson,
  wireSchool,
  wireSubgroup,
  wireSubject,
  wireUser,
  wireWork,
  type DnevnikValueMaps,
  type WireWork,
} from '../../../mappers/dnevnik';
import { SeededRandom } from '../../demo-school';
import { defaultMarkEndpoints } from '../mark-endpoints';
import { installGuard, type TokenGrant } from './emulator-guard';
import { fail, json } from './emulator-http';
import { registerOAuth } from './emulator-oauth';
import { installStrictness, isDateValue } from './emulator-strict';
import { DEFAULT_EMULATOR_MARK_TYPE, EMULATOR_MARK_SYSTEMS } from './mark-systems';
import type { DnevnikEmulatorOptions, EmulatorFaults } from './emulator-options';
import { EmulatorState, type StoredWork } from './emulator-state';
import { registerWriteRoutes } from './emulator-write-routes';
import { idText } from '../wire-ids';
import { parseWireJson } from '../wire-json';
import { publishWire, type WireKind } from './wire-shapes';

const BELL_STARTS = ['08:00', '08:50', '09:45', '10:40', '11:30', '12:20', '13:10', '14:00', '14:50', '15:40', '16:30', '17:20', '18:10'];
const MAX_LOG_WINDOW_DAYS = 31;

/** A running emulator. */
export interface DnevnikEmulator {
  readonly url: string;
  /** `url` + `/v2`: the API base a client uses. */
  readonly apiBase: string;
  readonly state: EmulatorState;
  /** Every route the emulator serves (method, fastify pattern) — what a test walks to check its errors. */
  readonly routes: readonly { method: string; url: string }[];
  /** Issues a token directly (tests; people go through `/oauth2`). */
  issueToken(scope?: string): { accessToken: string; refreshToken: string; expiresIn: number };
  setFaults(faults: EmulatorFaults): void;
  close(): Promise<void>;
}

/** `Asia/Yekaterinburg` → 5 (the platform keeps the school's zone as whole hours). */
function offsetHours(zone: string): number {
  return Math.round(zoneOffsetMinutes(new Date('2026-01-15T12:00:00Z'), zone) / 60);
}

const stamp = () => new Date().toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$10000');

/**
 * A loopback Дневник.ру REST v2 for tests and dress rehearsals: the same paths, `Access-Token`
 * checks with scopes, OAuth with a consent page and registered redirect addresses, rotating
 * refresh tokens, a per-token request limit answered like the platform (`apiRequestLimit`),
 * 64-bit ids with `*_str` twins, offset-less school-local dates, fractional-second stamps, the
 * school's mark system (`marks/values`; marks outside it refused), birthdays on login accounts
 * (`users/many`) not on persons, HTML error pages and injected faults (429 bursts throttle the
 * token for the wait they name). An id that is not a number is `400 parameterInvalid`, an unknown
 * one `404 apiResourceUnavailable`; every error is the `{type, description}` envelope and every
 * answer says `X-Ejsync-Emulator: 1`. Marks are written at the configured endpoints
 * (`markEndpoints`). Seeded with an onboarded school (platform ids); every write is logged at
 * `GET /__emulator/writes`, every API request (arrival time, status, fault, named wait) at
 * `GET /__emulator/requests`.
 */
export async function startDnevnikEmulator(school: Snapshot, maps: DnevnikValueMaps, options: DnevnikEmulatorOptions = {}): Promise<DnevnikEmulator> {
  const state = new EmulatorState(school);
  const clientId = options.clientId ?? 'ejsync-emulator';
  const clientSecret = options.clientSecret ?? 'emulator-secret';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const limit = options.requestLimit ?? { max: 100, windowMs: 1000 };
  let faults: EmulatorFaults = options.faults ?? {};
  const rnd = new SeededRandom(options.seed ?? 'emulator');
  const tokens = new Map<string, TokenGrant>();
  const refreshTokens = new Map<string, string>();
  const adminUserId = '1000000000000012345';
  const markSystems = options.markSystems ?? EMULATOR_MARK_SYSTEMS;
  const markType = options.markType ?? DEFAULT_EMULATOR_MARK_TYPE;
  if (!markSystems[markType]) throw new Error(`эмулятор: системы оценок «${markType}» нет среди ${Object.keys(markSystems).join(', ')}`);
  const withSubgroups = options.classAnswersIncludeSubgroups ?? true;
  const year = Number(school.academicYears[0]?.startDate.slice(0, 4) ?? new Date().getFullYear());
  const subjectById = new Map(school.subjects.map((s) => [s.sourceId, s]));
  const classById = new Map(school.classes.map((c) => [c.sourceId, c]));
  const pupilsById = new Map(school.pupils.map((p) => [p.sourceId, p]));
  const twins = options.idTwins ?? 'published';
  /** A record (or list) of `kind`, with the twins this emulator publishes. */
  const send = (reply: FastifyReply, status: number, body: unknown, kind: WireKind) => json(reply, status, publishWire(body, kind, twins));

  const issue = (scope: string) => {
    const accessToken = randomBytes(16).toString('hex');
    const refreshToken = randomBytes(24).toString('hex');
    tokens.set(accessToken, { userId: adminUserId, scope, expiresAt: Date.now() + lifetime * 1000, refreshToken });
    refreshTokens.set(refreshToken, accessToken);
    return { accessToken, refreshToken, expiresIn: lifetime };
  };
  const tokenAnswer = (t: { accessToken: string; refreshToken: string; expiresIn: number }, scope: string) => ({ ...t, expiresIn_str: String(t.expiresIn), scope, user: 0, user_str: adminUserId });

  const app: FastifyInstance = Fastify({ logger: false });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  installStrictness(app);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body ? parseWireJson(body as string) : {});
    } catch (e) {
      done(Object.assign(new Error(`тело запроса не JSON (${(e as Error).message})`), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));

  app.get('/__emulator/writes', async (_req, reply) => json(reply, 200, { writes: state.writes, count: state.writes.length }));
  app.delete('/__emulator/writes', async (_req, reply) => {
    state.writes.length = 0;
    return reply.code(204).send();
  });
  app.get('/__emulator/requests', async (_req, reply) => json(reply, 200, { requests: state.requests, count: state.requests.length }));
  app.delete('/__emulator/requests', async (_req, reply) => {
    state.requests.length = 0;
    return reply.code(204).send();
  });
  app.post('/__emulator/faults', async (req, reply) => {
    faults = (req.body ?? {}) as EmulatorFaults;
    return json(reply, 200, faults);
  });

  // OAuth: a consent page at the login host, the token endpoint under /v2.
  registerOAuth(app, {
    clientId,
    clientSecret,
    redirectUris: options.redirectUris ?? 'loopback',
    grantedScope: options.grantedScope ?? 'CommonInfo,EducationalInfo',
    issue,
    rotate: (refreshToken) => {
      const old = refreshTokens.get(refreshToken);
      const grant = old === undefined ? undefined : tokens.get(old);
      if (old === undefined || !grant) return null;
      // Rotation: the old pair stops working.
      tokens.delete(old);
      refreshTokens.delete(grant.refreshToken);
      return { ...issue(grant.scope), scope: grant.scope };
    },
    answer: (reply, t, scope) => send(reply, 200, tokenAnswer(t, scope), 'token'),
  });

  // Every /v2 call: logged, faults, token, scope, request limit.
  const { dropAfterWrite } = installGuard(app, { state, tokens, faults: () => faults, rnd, limit });

  const schoolId = school.school.sourceId;
  const notFound = (reply: FastifyReply) => fail(reply, 404, 'apiResourceUnavailable', 'Ресурс не существует');
  const checkSchool = (reply: FastifyReply, s: string) => (s === schoolId ? null : notFound(reply));
  /** The groups a group's answers cover: itself and — by default, as documented — its subgroups. */
  const coveredBy = (g: string) => (withSubgroups ? state.groupAndChildren(g) : new Set([g]));
  const personExists = (p: string) => pupilsById.has(p) || staffById.has(p);
  const staffById = new Map(school.staff.map((p) => [p.sourceId, p]));
  const userOf = (personId: string) => state.users.get(personId) ?? null;
  const workType = (id: string) => state.workTypes.find((t) => t.id_str === id);
  const toWireWork = (w: StoredWork): WireWork => wireWork(w.sourceId, w, workType(w.workTypeId)!, w.lessonId!);
  const worksOfLesson = (lessonId: string) => [...state.works.values()].filter((w) => w.lessonId === lessonId);

  app.get('/v2/users/me/context', async (_req, reply) =>
    send(reply, 200, { userId: 0, userId_str: adminUserId, personId: 0, personId_str: adminUserId, roles: ['EduSchoolAdministrator'], schools: [{ id: 0, id_str: schoolId, name: school.school.name, type: 'School' }] }, 'context'),
  );
  app.get('/v2/schools/:s', async (req, reply) => checkSchool(reply, (req.params as { s: string }).s) ?? send(reply, 200, wireSchool(school.school, offsetHours(school.school.timeZone), markType), 'school'));
  // Mark systems (MarkValues_GetAll / MarkValues_GetByType): `{type: values}` and one system's values.
  app.get('/v2/marks/values', async (_req, reply) => json(reply, 200, markSystems));
  app.get('/v2/marks/values/type/:type', async (req, reply) => {
    const values = markSystems[(req.params as { type: string }).type];
    return values ? json(reply, 200, values) : notFound(reply);
  });
  // Login accounts by id (Users_GetMany): the birthday is here, not on the person. Unknown ids are left out.
  app.post('/v2/users/many', async (req, reply) => {
    if (!Array.isArray(req.body)) return fail(reply, 400, 'parameterInvalid', 'Ожидался список идентификаторов пользователей');
    const ids = (req.body as unknown[]).map((x) => idText(x));
    if (ids.some((id) => id === null)) return fail(reply, 400, 'parameterInvalid', 'Идентификатор пользователя должен быть целым числом');
    const wanted = new Set(ids as string[]);
    const out = [];
    for (const [personId, userId] of state.users) {
      if (!wanted.has(userId)) continue;
      const pupil = pupilsById.get(personId);
      const person = pupil ?? staffById.get(personId);
      if (person) out.push(wireUser(person, userId, pupil ? 'EduStudent' : 'EduStaff'));
    }
    return send(reply, 200, out, 'user');
  });
  app.get('/v2/schools/:s/edu-groups', async (req, reply) => {
    if (checkSchool(reply, (req.params as { s: string }).s)) return reply;
    const subjectsOf = (groupId: string) => [...new Set(school.lessons.filter((l) => state.groupAndChildren(groupId).has(l.groupId)).map((l) => l.subjectId))].map((id) => subjectById.get(id)!);
    return send(reply, 200, [...school.classes.map((c) => wireClass(c, year, subjectsOf(c.sourceId))), ...school.subgroups.map((g) => wireSubgroup(g, classById.get(g.classId)!, year, g.subjectId ? subjectById.get(g.subjectId) : undefined))], 'eduGroup');
  });
  app.post('/v2/edu-groups', async (req, reply) => {
    if (!Array.isArray(req.body)) return fail(reply, 400, 'parameterInvalid', 'Ожидался список идентификаторов групп');
    const ids = (req.body as unknown[]).map((x) => idText(x));
    if (ids.some((id) => id === null)) return fail(reply, 400, 'parameterInvalid', 'Идентификатор группы должен быть целым числом');
    const out = [];
    // Unknown ids are left out of a batch (assumed; docs/platforms/dnevnik.md).
    for (const id of ids as string[]) {
      const c = classById.get(id);
      const g = school.subgroups.find((x) => x.sourceId === id);
      if (!c && !g) continue;
      const group = c ? wireClass(c, year, []) : wireSubgroup(g!, classById.get(g!.classId)!, year, g!.subjectId ? subjectById.get(g!.subjectId) : undefined);
      const students = (state.membersByGroup.get(id) ?? []).filter((m) => pupilsById.has(m.pupilId)).map((m) => ({ person: wirePerson(pupilsById.get(m.pupilId)!, userOf(m.pupilId)), membershipstatus: m.endDate ? 'Archive' : 'Active' }));
      out.push({ group, students });
    }
    return send(reply, 200, out, 'groupStudents');
  });
  app.get('/v2/schools/:s/membership', async (req, reply) => checkSchool(reply, (req.params as { s: string }).s) ?? send(reply, 200, school.staff.map((p) => wirePerson(p, userOf(p.sourceId))), 'person'));
  app.get('/v2/schools/:s/subjects', async (req, reply) => checkSchool(reply, (req.params as { s: string }).s) ?? send(reply, 200, school.subjects.map(wireSubject), 'subject'));
  app.get('/v2/work-types/:s', async (req, reply) => checkSchool(reply, (req.params as { s: string }).s) ?? send(reply, 200, state.workTypes, 'workType'));
  app.get('/v2/edu-groups/:g/reporting-periods', async (req, reply) => {
    const g = (req.params as { g: string }).g;
    // A subgroup has its class's periods ("для класса или учебной группы").
    const c = classById.get(g) ?? classById.get(state.groupParent.get(g) ?? '');
    if (!c) return notFound(reply);
    return send(reply, 200, school.periods.filter((p) => p.grades.includes(c.grade)).map((p) => wirePeriod(p, maps, year)), 'period');
  });
  app.get('/v2/edu-groups/:g/lessons/:from/:to', async (req, reply) => {
    const { g, from, to } = req.params as { g: string; from: string; to: string };
    if (!state.hasGroup(g)) return notFound(reply);
    const groups = coveredBy(g);
    const lessons = [...state.lessons.values()].filter((l) => groups.has(l.groupId) && dateWithin(l.date, from.slice(0, 10), to.slice(0, 10)));
    // One pass over the works for the whole answer, not one per lesson.
    const worksByLesson = new Map<string, WireWork[]>();
    for (const w of state.works.values()) if (groups.has(w.groupId)) worksByLesson.set(w.lessonId!, [...(worksByLesson.get(w.lessonId!) ?? []), toWireWork(w)]);
    return send(reply, 200, lessons.map((l) => wireLesson(l, subjectById.get(l.subjectId)!, BELL_STARTS[l.lessonNumber] ?? '08:00', worksByLesson.get(l.sourceId) ?? [])), 'lesson');
  });
  app.get('/v2/edu-groups/:g/marks/:from/:to', async (req, reply) => {
    const { g, from, to } = req.params as { g: string; from: string; to: string };
    if (!state.hasGroup(g)) return notFound(reply);
    const groups = coveredBy(g);
    const marks = [...state.marks.values()].filter((m) => groups.has(m.groupId) && dateWithin(m.date, from.slice(0, 10), to.slice(0, 10)));
    return send(reply, 200, marks.map((m) => wireMark(m.sourceId, m, m.platformValue, m.workTypeId, m.stamp)), 'mark');
  });
  app.get('/v2/lesson-log-entries/group/:g', async (req, reply) => {
    const { g } = req.params as { g: string };
    const { from, to } = req.query as { from?: string; to?: string };
    if (!from || !to) return fail(reply, 400, 'parameterInvalid', 'Не указан период');
    if (!isDateValue(from) || !isDateValue(to)) return fail(reply, 400, 'parameterInvalid', `Параметры from/to: ожидались даты, получено «${from}», «${to}»`);
    const days = (Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000 + 1;
    if (days > MAX_LOG_WINDOW_DAYS) return fail(reply, 400, 'parameterInvalid', `Период запроса не может превышать ${MAX_LOG_WINDOW_DAYS} день`);
    if (!state.hasGroup(g)) return notFound(reply);
    const groups = coveredBy(g);
    const out = [...state.entries.values()].filter((e) => {
      const l = state.lessons.get(e.lessonId);
      return l && groups.has(l.groupId) && dateWithin(l.date, from.slice(0, 10), to.slice(0, 10));
    });
    return send(reply, 200, out.map((e) => wireLogEntry(e, e.platformStatus, e.stamp)), 'logEntry');
  });
  app.get('/v2/lesson-log-entries/lesson/:l/person/:p', async (req, reply) => {
    const { l, p } = req.params as { l: string; p: string };
    if (!state.lessons.has(l) || !personExists(p)) return notFound(reply);
    const e = state.entries.get(`${l}/${p}`);
    // One entry, as the published clients read it (Swagger LessonLog_Get); no entry is `null` (assumed: docs/platforms/dnevnik.md).
    return send(reply, 200, e ? wireLogEntry(e, e.platformStatus, e.stamp) : null, 'logEntry');
  });
  app.get('/v2/persons/:p/works/:w/marks', async (req, reply) => {
    const { p, w } = req.params as { p: string; w: string };
    if (!personExists(p) || !state.works.has(w)) return notFound(reply);
    const m = state.marks.get(`${p}/${w}`);
    return send(reply, 200, m ? [wireMark(m.sourceId, m, m.platformValue, m.workTypeId, m.stamp)] : [], 'mark');
  });
  app.get('/v2/lessons/:l/works', async (req, reply) => {
    const l = (req.params as { l: string }).l;
    return state.lessons.has(l) ? send(reply, 200, worksOfLesson(l).map(toWireWork), 'work') : notFound(reply);
  });

  registerWriteRoutes(app, { state, pupilsById, markEndpoints: options.markEndpoints ?? defaultMarkEndpoints(), markValues: markSystems[markType], toWireWork, workType, dropAfterWrite, stamp, send });

  app.setNotFoundHandler((_req, reply) => fail(reply, 404, 'apiMethodNotSupported', 'Метод не поддерживается'));

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const url = address.replace('[::1]', '127.0.0.1');
  return {
    url,
    apiBase: `${url}/v2`,
    state,
    routes,
    issueToken: (scope = options.grantedScope ?? 'CommonInfo,EducationalInfo') => issue(scope),
    setFaults: (f) => {
      faults = f;
    },
    close: async () => {
      await app.close();
    },
  };
}
