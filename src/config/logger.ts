import pino, { type Logger } from 'pino';
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

export interface LoggerOptions {
  /** @defaultValue `info` */
  level?: string;
  /** Where lines go. @defaultValue standard error */
  destination?: NodeJS.WritableStream;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'ejsync',
      level: options.level ?? process.env.EJSYNC_LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[скрыто]' },
      serializers: { err: serializeError, error: serializeError },
    },
    (options.destination ?? process.stderr) as pino.DestinationStream,
  );
}

export type { Logger };
