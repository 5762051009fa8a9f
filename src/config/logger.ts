import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { serializeError } from './error-serializer';

/**
 * Fields that may carry personal data or secrets (152-ФЗ): never written to logs, whatever
 * object they turn up in. Log ids, not people.
 */
export const REDACTED_PATHS = [
  '*.snils',
  '*.lastName',
  '*.firstName',
  '*.middleName',
  '*.birthDate',
  '*.email',
  '*.phone',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
  '*.headers["access-token"]',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** `json`: one JSON object per line (for collectors); `pretty`: coloured, readable lines; `auto`: pretty on a terminal, JSON otherwise. */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * What a process writes: JSON unless told otherwise, pretty when its log goes to a terminal
 * (`EJSYNC_LOG_FORMAT=auto`, the default) or when asked (`pretty`); `json` forces JSON even on a terminal.
 */
export function chooseLogFormat(format: string | undefined, destinationIsTTY: boolean): 'json' | 'pretty' {
  if (format === 'json' || format === 'pretty') return format;
  return destinationIsTTY ? 'pretty' : 'json';
}

export interface LoggerOptions {
  /** @defaultValue `info` */
  level?: string;
  /** Where lines go. @defaultValue standard error */
  destination?: NodeJS.WritableStream;
  name?: string;
  /** @defaultValue `EJSYNC_LOG_FORMAT`, else `auto` */
  format?: LogFormat;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const format = chooseLogFormat(options.format ?? process.env.EJSYNC_LOG_FORMAT, (destination as { isTTY?: boolean }).isTTY === true);
  return pino(
    {
      name: options.name ?? 'ejsync',
      level: options.level ?? process.env.EJSYNC_LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[скрыто]' },
      serializers: { err: serializeError, error: serializeError },
    },
    // Redaction and serializers run before either: a pretty line hides what a JSON line hides.
    format === 'pretty'
      ? pretty({ destination, sync: true, colorize: (destination as { isTTY?: boolean }).isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : (destination as pino.DestinationStream),
  );
}

export type { Logger };
