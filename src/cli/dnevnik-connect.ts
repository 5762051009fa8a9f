import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createInterface, type Interface } from 'node:readline';
import { authorizeUrl, exchangeCode, schoolSchema } from '../connectors/dnevnik';
import { EjsyncError } from '../model';
import { dnevnikClientFor, oauthClientFor, tokenNameOf } from '../queue/dnevnik-connector-factory';
import type { CommandIo } from './command-runner';
import { readEnvironment, storeOptionsOf } from '../config/environment';
import { loadLinkFile } from '../config/link-config';
import { loadDnevnikPlatform } from '../config/platform-config';
import { openStore } from '../store';

export interface ConnectOptions {
  link: string;
  /** The authorization code (or the whole address the browser was sent to). Absent: wait for it. */
  code?: string;
  /**
   * Redirect address registered for the partner app. A loopback `http://127.0.0.1:PORT/…` one is
   * served by this command, so the code arrives by itself. @defaultValue `http://127.0.0.1:8719/dnevnik/callback`
   */
  redirectUri: string;
  /** Minutes to wait for the code. @defaultValue 10 */
  timeoutMinutes: number;
  /** Stdin for a pasted code (tests pass their own). @defaultValue `process.stdin` */
  input?: NodeJS.ReadableStream;
}

export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:8719/dnevnik/callback';

const DONE_PAGE = '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>ejsync</title></head><body><h1>Готово</h1><p>Код получен, ejsync завершает подключение. Окно можно закрыть.</p></body></html>';

/** `code`, or the `code` of a pasted address (its `state` must be ours). */
export function codeFromInput(input: string, state: string): string {
  const text = input.trim();
  if (!/^https?:\/\//.test(text)) return text;
  const url = new URL(text);
  const error = url.searchParams.get('error');
  if (error) throw new EjsyncError('dnevnik.forbidden', { detail: `вход отменён или запрещён: ${error}` });
  if (url.searchParams.get('state') !== state) throw new EjsyncError('dnevnik.parameter_invalid', { detail: 'адрес от другого входа (state не совпадает) — начните заново' });
  const code = url.searchParams.get('code');
  if (!code) throw new EjsyncError('dnevnik.parameter_invalid', { detail: 'в адресе нет параметра code' });
  return code;
}

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
}

/** Waits for the code: from the loopback redirect, or pasted on stdin — whichever comes first. */
async function waitForCode(opts: ConnectOptions, state: string, io: CommandIo): Promise<string> {
  const redirect = new URL(opts.redirectUri);
  const handles: { server?: Server; lines?: Interface; timer?: NodeJS.Timeout } = {};
  try {
    return await new Promise<string>((resolve, reject) => {
      handles.timer = setTimeout(() => reject(new EjsyncError('dnevnik.timeout', { detail: `код авторизации не получен за ${opts.timeoutMinutes} мин` })), opts.timeoutMinutes * 60_000);
      if (isLoopback(redirect)) {
        const server = createServer((req, res) => {
          const url = new URL(req.url ?? '/', opts.redirectUri);
          if (url.pathname !== redirect.pathname) {
            res.writeHead(404).end();
            return;
          }
          try {
            const code = codeFromInput(url.toString(), state);
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(DONE_PAGE);
            resolve(code);
          } catch (error) {
            res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end((error as Error).message);
            reject(error);
          }
        });
        server.on('error', (error: NodeJS.ErrnoException) =>
          io.stderr.write(`Не удалось принять перенаправление на ${opts.redirectUri} (${error.code ?? error.message}); вставьте адрес или код вручную.\n`),
        );
        server.listen(Number(redirect.port || 80), redirect.hostname);
        handles.server = server;
      }
      const lines = createInterface({ input: opts.input ?? process.stdin });
      handles.lines = lines;
      lines.on('line', (line) => {
        if (!line.trim()) return;
        try {
          resolve(codeFromInput(line, state));
        } catch (error) {
          reject(error);
        }
      });
    });
  } finally {
    clearTimeout(handles.timer);
    handles.lines?.close();
    const server = handles.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }
}

/**
 * `ejsync dnevnik connect --link FILE`: the school administrator signs in to Дневник.ру and allows
 * ejsync access; the delegated token is stored encrypted and checked by reading the school.
 */
export async function runDnevnikConnect(opts: ConnectOptions, io: CommandIo): Promise<number> {
  const link = loadLinkFile(opts.link);
  const platform = loadDnevnikPlatform();
  const app = oauthClientFor(link, platform);
  // The store opens while the person signs in (the embedded one takes seconds to start).
  const opening = openStore(storeOptionsOf(readEnvironment()));
  opening.catch(() => undefined);
  let token;
  try {
    const state = randomUUID();
    let code = opts.code ? codeFromInput(opts.code, state) : null;
    if (!code) {
      io.stdout.write(
        [
          `Подключение связи «${link.name}» к Дневник.ру${app.emulator ? ' (эмулятор)' : ''}.`,
          '1. Откройте в браузере адрес и войдите под учётной записью администратора школы:',
          `   ${authorizeUrl(app, platform.scopes, opts.redirectUri, state)}`,
          `2. Разрешите доступ. ${isLoopback(new URL(opts.redirectUri)) ? 'Браузер вернётся на этот компьютер, и подключение завершится само;' : 'Браузер перейдёт на адрес перенаправления:'} можно также вставить сюда адрес из строки браузера или код и нажать Enter.`,
          '',
        ].join('\n'),
      );
      code = await waitForCode(opts, state, io);
    }
    token = await exchangeCode(app, code);
  } catch (error) {
    await opening.then((s) => s.close(), () => undefined);
    throw error;
  }
  const store = await opening;
  try {
    await store.secrets.put(tokenNameOf(link), JSON.stringify(token));
    const school = await dnevnikClientFor(link, store, platform).get(`/schools/${link.target.schoolId}`, schoolSchema);
    io.stdout.write(`Подключено: школа «${school.name}» (${link.target.schoolId}). Токен сохранён в зашифрованном виде как «${tokenNameOf(link)}», действует до ${token.expiresAt.slice(0, 16).replace('T', ' ')} UTC и продлевается сам.\n`);
    return 0;
  } finally {
    await store.close();
  }
}
