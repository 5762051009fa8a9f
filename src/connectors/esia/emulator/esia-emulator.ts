import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';
import { parseEsiaTimestamp } from '../esia-timestamp';
import { authorizationSignedString, tokenCodeSignedString, tokenRefreshSignedString } from '../signed-strings';
import { certificateHash } from '../signer/certificate-hash';
import { verifyGostSignature } from '../signer/openssl-gost-signer';
import type { EsiaTokenAlgorithm } from '../keys/verification-key';
import { createEmulatorTokenKeys } from './emulator-token-keys';
import type { EmulatedPerson, IssuedCode, RegisteredSystem } from './esia-emulator-state';

export interface EsiaEmulatorOptions {
  /** @defaultValue 0 (a free port) */
  port?: number;
  /** @defaultValue `127.0.0.1` */
  host?: string;
  systems: RegisteredSystem[];
  persons: EmulatedPerson[];
  /**
   * `iss` of issued tokens: http with a trailing slash, as ЕСИА writes it. The published
   * test-stand tokens of 2018 and 2020 and production carry `http://esia.gosuslugi.ru/`; the test
   * stand's tokens since 2023 carry `http://esia-portal1.test.gosuslugi.ru/` (docs/platforms/esia.md).
   * @defaultValue `http://esia.gosuslugi.ru/`
   */
  issuer?: string;
  /**
   * How tokens are signed: GOST R 34.10-2012 (256 bit), as ЕСИА signs today, or RS256 (an option
   * on ЕСИА's technical portal). @defaultValue `GOST3410_2012_256`
   */
  tokenAlgorithm?: EsiaTokenAlgorithm;
  /** Largest accepted difference between a request's `timestamp` and now, seconds. @defaultValue 300 */
  timestampToleranceSeconds?: number;
  /** Lifetime of an authorization code, seconds. @defaultValue 60 */
  codeLifetimeSeconds?: number;
  /** Injectable clock. */
  now?: () => Date;
}

export interface EsiaEmulator {
  url: string;
  issuer: string;
  tokenAlgorithm: EsiaTokenAlgorithm;
  /** Certificate (PEM) that verifies the emulator's tokens: configure it as ЕСИА's certificate. */
  verificationCertificatePem: string;
  /** The same certificate (kept for callers that wrote it as a "key"). */
  verificationKeyPem: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

type EsiaFailure = { error: string; code: string; text: string };
const fail = (error: string, code: string, text: string): EsiaFailure => ({ error, code, text });

const MANDATORY_AC = ['client_id', 'client_secret', 'redirect_uri', 'scope', 'response_type', 'state', 'timestamp', 'client_certificate_hash'];
const MANDATORY_TE = ['client_id', 'grant_type', 'client_secret', 'state', 'redirect_uri', 'scope', 'timestamp', 'token_type', 'client_certificate_hash'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A loopback ЕСИА for tests, the demo and dress rehearsals: verifies `client_secret` GOST
 * signatures and the certificate hash, issues ЕСИА-shaped tokens (GOST R 34.10-2012 signed by
 * default, http issuer with trailing slash, numeric `sub`, `urn:esia:sbj_id`, scopes with
 * `?oid=`), publishes its signing certificate, serves `/rs/prns`, and answers
 * errors as ЕСИА does. Every response says `X-Ejsync-Emulator: esia`.
 */
export async function startEsiaEmulator(options: EsiaEmulatorOptions): Promise<EsiaEmulator> {
  const issuer = options.issuer ?? 'http://esia.gosuslugi.ru/';
  const tokenAlgorithm = options.tokenAlgorithm ?? 'GOST3410_2012_256';
  const now = options.now ?? (() => new Date());
  const tolerance = options.timestampToleranceSeconds ?? 300;
  const codeLifetime = options.codeLifetimeSeconds ?? 60;
  const systems = new Map(options.systems.map((s) => [s.clientId, s]));
  const persons = new Map(options.persons.map((p) => [p.oid, p]));
  const certHashes = new Map<string, string>();
  for (const s of options.systems) certHashes.set(s.clientId, await certificateHash(s.certificatePem));
  const tokenKeys = await createEmulatorTokenKeys(tokenAlgorithm);
  const verificationCertificatePem = tokenKeys.certificatePem;
  /** Access tokens issued and not yet expired: the /rs endpoints accept only these. */
  const issuedAccessTokens = new Map<string, { oid: string; scopes: string[]; exp: number }>();
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, { clientId: string; oid: string; scope: string }>();
  const pendingLogins = new Map<string, { clientId: string; scope: string; state: string; redirectUri: string }>();

  const app = Fastify({ logger: false });
  await app.register(formbody);
  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Ejsync-Emulator', 'esia');
  });

  const seconds = () => Math.floor(now().getTime() / 1000);

  /** A JWS in ЕСИА's shape: header `{ver, typ, sbt, alg}`, GOST signature 64 bytes s‖r (or RS256). */
  async function jwt(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${enc({ ver: 1, typ: 'JWT', ...header, alg: tokenAlgorithm })}.${enc(payload)}`;
    return `${input}.${(await tokenKeys.sign(Buffer.from(input))).toString('base64url')}`;
  }

  /** Checks what every v2/v3 request must carry; returns an ЕСИА failure or the system. */
  async function checkSigned(params: Record<string, string | undefined>, mandatory: string[], signed: string): Promise<EsiaFailure | RegisteredSystem> {
    const missing = mandatory.filter((k) => params[k] === undefined || params[k] === '');
    if (missing.length) return fail('invalid_request', 'ESIA-007014', `The request doesn't contain the mandatory parameter [${missing.join(', ')}]`);
    const system = systems.get(params.client_id!);
    if (!system) return fail('unauthorized_client', 'ESIA-007005', 'Client is not authorized to request a token using this method');
    if (!system.redirectUris.includes(params.redirect_uri!)) return fail('invalid_request', 'ESIA-007023', 'Invalid redirect_uri');
    const ts = parseEsiaTimestamp(params.timestamp!);
    if (!ts || Math.abs(ts.getTime() - now().getTime()) > tolerance * 1000) return fail('invalid_request', 'ESIA-007015', 'Wrong request time');
    if (params.client_certificate_hash !== certHashes.get(system.clientId)) return fail('access_denied', 'ESIA-007053', 'OAuthErrorEnum.clientSecretWrong');
    let signature: Buffer;
    try {
      signature = Buffer.from(params.client_secret!, 'base64url');
    } catch {
      return fail('access_denied', 'ESIA-007053', 'OAuthErrorEnum.clientSecretWrong');
    }
    if (signature.length !== 64 || !(await verifyGostSignature(Buffer.from(signed, 'utf8'), signature, system.certificatePem))) {
      return fail('access_denied', 'ESIA-007053', 'OAuthErrorEnum.clientSecretWrong');
    }
    return system;
  }

  function redirectWithError(reply: FastifyReply, redirectUri: string, f: EsiaFailure, state?: string) {
    const url = new URL(redirectUri);
    url.searchParams.set('error', f.error);
    url.searchParams.set('error_description', `${f.code}: ${f.text}`);
    if (state) url.searchParams.set('state', state);
    return reply.redirect(url.href, 302);
  }

  app.get('/aas/oauth2/v2/ac', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const signed = authorizationSignedString({
      clientId: q.client_id ?? '',
      scope: q.scope ?? '',
      scopeOrg: q.scope_org ?? '',
      timestamp: q.timestamp ?? '',
      state: q.state ?? '',
      redirectUri: q.redirect_uri ?? '',
    });
    const checked = await checkSigned(q, MANDATORY_AC, signed);
    if (!('clientId' in checked)) {
      const system = systems.get(q.client_id ?? '');
      if (system && q.redirect_uri && system.redirectUris.includes(q.redirect_uri)) return redirectWithError(reply, q.redirect_uri, checked, q.state);
      return reply.code(400).type('text/html; charset=utf-8').send(`<h1>Ошибка ЕСИА</h1><p>${escapeHtml(`${checked.code}: ${checked.text}`)}</p>`);
    }
    const loginId = randomUUID();
    pendingLogins.set(loginId, { clientId: checked.clientId, scope: q.scope!, state: q.state!, redirectUri: q.redirect_uri! });
    const rows = [...persons.values()]
      .map(
        (p) =>
          `<li><form method="post" action="/aas/oauth2/v2/ac/login"><input type="hidden" name="login" value="${loginId}">` +
          `<input type="hidden" name="oid" value="${escapeHtml(p.oid)}"><button type="submit" data-oid="${escapeHtml(p.oid)}">` +
          `${escapeHtml(`${p.lastName} ${p.firstName} ${p.middleName ?? ''}`.trim())}${p.trusted ? '' : ' (не подтверждена)'}</button></form></li>`,
      )
      .join('');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Эмулятор ЕСИА — вход</title></head><body>` +
          `<p><strong>Эмулятор ЕСИА (не Госуслуги).</strong> Выберите тестовую учётную запись для входа в ${escapeHtml(checked.clientId)}.</p>` +
          `<ul id="persons">${rows}</ul><form method="post" action="/aas/oauth2/v2/ac/login"><input type="hidden" name="login" value="${loginId}">` +
          `<input type="hidden" name="cancel" value="1"><button type="submit" id="cancel">Отмена</button></form></body></html>`,
      );
  });

  app.post('/aas/oauth2/v2/ac/login', async (req, reply) => {
    const b = req.body as Record<string, string | undefined>;
    const pending = pendingLogins.get(b.login ?? '');
    if (!pending) return reply.code(400).type('text/html; charset=utf-8').send('<p>Сеанс входа истёк. Начните вход заново.</p>');
    pendingLogins.delete(b.login!);
    if (b.cancel) return redirectWithError(reply, pending.redirectUri, fail('access_denied', 'ESIA-007004', 'The resource owner or authorization server denied the request'), pending.state);
    const person = persons.get(b.oid ?? '');
    if (!person) return reply.code(400).type('text/html; charset=utf-8').send('<p>Нет такой учётной записи.</p>');
    if (!person.trusted && !systems.get(pending.clientId)?.allowUnconfirmed) return redirectWithError(reply, pending.redirectUri, fail('access_denied', 'ESIA-007055', 'Вход в систему осуществляется с неподтвержденной учетной записью'), pending.state);
    const code = randomUUID();
    codes.set(code, { clientId: pending.clientId, oid: person.oid, scope: pending.scope, redirectUri: pending.redirectUri, expiresAt: seconds() + codeLifetime, used: false });
    const url = new URL(pending.redirectUri);
    url.searchParams.set('code', code);
    url.searchParams.set('state', pending.state);
    return reply.redirect(url.href, 302);
  });

  app.post('/aas/oauth2/v3/te', async (req, reply) => {
    if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      return reply.code(400).send({ error: 'invalid_request', error_description: "ESIA-007014: The request doesn't contain the mandatory parameter [state, client_id]" });
    }
    const b = req.body as Record<string, string | undefined>;
    const parts = { clientId: b.client_id ?? '', scope: b.scope ?? '', scopeOrg: b.scope_org ?? '', timestamp: b.timestamp ?? '', state: b.state ?? '', redirectUri: b.redirect_uri ?? '' };
    const isCode = b.grant_type === 'authorization_code';
    const signed = isCode ? tokenCodeSignedString({ ...parts, code: b.code ?? '' }) : tokenRefreshSignedString(parts);
    const checked = await checkSigned(b, isCode ? [...MANDATORY_TE, 'code'] : [...MANDATORY_TE, 'refresh_token'], signed);
    const error = (f: EsiaFailure) => reply.code(400).send({ error: f.error, error_description: `${f.code}: ${f.text}`, state: b.state });
    if (!('clientId' in checked)) return error(checked);
    let grant: { oid: string; scope: string };
    if (isCode) {
      const issued = codes.get(b.code!);
      if (!issued || issued.used || issued.expiresAt < seconds() || issued.clientId !== checked.clientId || issued.redirectUri !== b.redirect_uri) {
        if (issued) issued.used = true;
        return error(fail('invalid_grant', 'ESIA-007011', 'The provided authorization grant is invalid, expired, revoked'));
      }
      issued.used = true;
      grant = issued;
    } else if (b.grant_type === 'refresh_token') {
      const r = refreshTokens.get(b.refresh_token!);
      if (!r || r.clientId !== checked.clientId) return error(fail('invalid_grant', 'ESIA-007011', 'The provided authorization grant is invalid, expired, revoked'));
      refreshTokens.delete(b.refresh_token!);
      grant = r;
    } else {
      return error(fail('unsupported_grant_type', 'ESIA-007009', 'The authorization grant type is not supported'));
    }
    const person = persons.get(grant.oid)!;
    const iat = seconds();
    const sid = randomUUID();
    const oidNumber = Number(grant.oid);
    const scopes = grant.scope.split(/\s+/).filter(Boolean);
    const accessToken = await jwt(
      { sbt: 'access' },
      {
        nbf: iat,
        scope: scopes.map((s) => (s === 'openid' ? s : `${s}?oid=${grant.oid}`)).join(' '),
        iss: issuer,
        'urn:esia:sid': sid,
        'urn:esia:sbj_id': oidNumber,
        exp: iat + 3600,
        iat,
        client_id: checked.clientId,
      },
    );
    issuedAccessTokens.set(accessToken, { oid: grant.oid, scopes: scopes.map((s) => s.replace(/\?oid=.*$/, '')), exp: iat + 3600 });
    const response: Record<string, unknown> = { access_token: accessToken, state: b.state, token_type: 'Bearer', expires_in: 3600 };
    if (scopes.includes('openid')) {
      response.id_token = await jwt(
        { sbt: 'id' },
        {
          aud: checked.clientId,
          sub: oidNumber,
          nbf: iat,
          amr: 'PWD',
          'urn:esia:amd': 'PWD',
          auth_time: iat,
          iss: issuer,
          'urn:esia:sid': sid,
          'urn:esia:sbj': { 'urn:esia:sbj:typ': 'P', 'urn:esia:sbj:is_tru': person.trusted, 'urn:esia:sbj:oid': oidNumber, 'urn:esia:sbj:nam': `OID.${grant.oid}` },
          exp: iat + 3600,
          iat,
        },
      );
    }
    const refresh = randomUUID();
    refreshTokens.set(refresh, { clientId: checked.clientId, oid: grant.oid, scope: grant.scope });
    response.refresh_token = refresh;
    return reply.send(response);
  });

  /** Bearer check for /rs: the token must be one we issued and unexpired; gives its oid and scopes (without `?oid=`). */
  function bearer(authorization: string | undefined): { oid: string; scopes: string[] } | null {
    const m = /^Bearer (.+)$/.exec(authorization ?? '');
    const issued = m ? issuedAccessTokens.get(m[1]) : undefined;
    if (!issued) return null;
    if (issued.exp < seconds()) {
      issuedAccessTokens.delete(m![1]);
      return null;
    }
    return { oid: issued.oid, scopes: issued.scopes };
  }
  const bearerOid = (authorization: string | undefined) => bearer(authorization)?.oid ?? null;

  const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
  const snilsText = (d?: string) => (d ? `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9)}` : undefined);
  const personJson = (p: EmulatedPerson) => ({
    firstName: p.firstName,
    lastName: p.lastName,
    middleName: p.middleName,
    birthDate: ddmmyyyy(p.birthDate),
    gender: p.gender,
    trusted: p.trusted,
    snils: snilsText(p.snils),
    citizenship: 'RUS',
    status: 'REGISTERED',
    verifying: false,
    oid: Number(p.oid),
  });

  app.get('/rs/prns/:oid', async (req, reply) => {
    const { oid } = req.params as { oid: string };
    const caller = bearerOid(req.headers.authorization);
    if (!caller) return reply.code(401).send({ code: 'ESIA-007019', message: 'No access permission' });
    const person = persons.get(oid);
    const allowed = caller === oid || persons.get(caller)?.kids?.includes(oid);
    if (!person || !allowed) return reply.code(403).send({ code: 'ESIA-007019', message: 'No access permission' });
    return reply.send(personJson(person));
  });

  app.get('/rs/prns/:oid/ctts', async (req, reply) => {
    const { oid } = req.params as { oid: string };
    if (bearerOid(req.headers.authorization) !== oid) return reply.code(403).send({ code: 'ESIA-007019', message: 'No access permission' });
    const p = persons.get(oid)!;
    const elements = [
      ...(p.email ? [{ type: 'EML', vrfStu: 'VERIFIED', value: p.email }] : []),
      ...(p.mobile ? [{ type: 'MBT', vrfStu: 'VERIFIED', value: p.mobile }] : []),
    ];
    return reply.send({ size: elements.length, elements });
  });

  // Children need a kid_* scope (kid_fullname, kid_birthdate, kid_snils…), as in ЕСИА; with or
  // without `?embed=(elements)` the emulator embeds the elements.
  app.get('/rs/prns/:oid/kids', async (req, reply) => {
    const { oid } = req.params as { oid: string };
    const caller = bearer(req.headers.authorization);
    if (caller?.oid !== oid || !caller.scopes.some((s) => s.startsWith('kid_'))) return reply.code(403).send({ code: 'ESIA-007019', message: 'No access permission' });
    const kids = (persons.get(oid)?.kids ?? []).map((k) => persons.get(k)).filter((k): k is EmulatedPerson => !!k);
    return reply.send({ size: kids.length, elements: kids.map(personJson) });
  });

  app.get('/idp/ext/Logout', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.redirect_url) return reply.redirect(q.redirect_url, 302);
    return reply.type('text/html; charset=utf-8').send('<p>Вы вышли из эмулятора ЕСИА.</p>');
  });

  app.get('/__emulator/verification-key', async (_req, reply) => reply.type('application/x-pem-file').send(verificationCertificatePem));
  app.get('/__emulator/health', async () => ({ ok: true, emulator: 'esia' }));

  let address: string;
  try {
    address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    await tokenKeys.close();
    throw error;
  }
  return {
    url: address,
    issuer,
    tokenAlgorithm,
    verificationCertificatePem,
    verificationKeyPem: verificationCertificatePem,
    app,
    async close() {
      await app.close();
      await tokenKeys.close();
    },
  };
}
