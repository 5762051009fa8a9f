import { isEjsyncError } from '../model';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const processIo: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** How errors are printed: for a person (stderr) or, after `--json`, as one JSON object on stdout. */
let jsonErrors = false;

/** Set by the program's pre-action hook from the running command's `--json` option. */
export function setJsonErrors(on: boolean): void {
  jsonErrors = on;
}

const CAUSE_MAX = 200;

/**
 * The underlying reason of an error in one short line: the deepest `cause` in the chain that
 * has a message of its own (e.g. the PostgreSQL driver's reason), or undefined when none.
 */
export function underlyingCause(error: unknown): string | undefined {
  let reason: string | undefined;
  let current: unknown = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    const text = current instanceof Error ? current.message || current.name : typeof current === 'string' ? current : undefined;
    if (text) reason = text;
    current = current instanceof Error ? current.cause : undefined;
  }
  if (!reason) return undefined;
  const line = reason.replace(/\s+/g, ' ').trim();
  return line.length > CAUSE_MAX ? `${line.slice(0, CAUSE_MAX - 1)}…` : line;
}

/**
 * Prints an error: for a person (code, Russian message, what to do, the underlying cause in one
 * line; never a stack trace) or, in JSON mode, `{"error":{"code","message","hint","cause"?}}` on stdout.
 */
export function printError(io: CommandIo, error: unknown, json: boolean = jsonErrors): void {
  const cause = underlyingCause(error);
  if (json) {
    const body = isEjsyncError(error)
      ? { code: error.code, message: error.message, hint: error.hint }
      : { code: 'internal', message: error instanceof Error ? error.message : String(error), hint: 'Сообщите об ошибке администратору ejsync, приложив журнал.' };
    io.stdout.write(`${JSON.stringify({ error: cause ? { ...body, cause } : body })}\n`);
    return;
  }
  const causeLine = cause ? `Причина: ${cause}\n` : '';
  if (isEjsyncError(error)) {
    io.stderr.write(`Ошибка [${error.code}]: ${error.message}\n${causeLine}Что делать: ${error.hint}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`Ошибка: ${message}\n${causeLine}`);
}

/**
 * Runs a command body and turns its result into the process exit status. Known errors print
 * their code, message and hint; anything unexpected prints one Russian line (exit 2).
 */
export async function runCommand(body: (io: CommandIo) => Promise<number>, io: CommandIo = processIo): Promise<void> {
  try {
    process.exitCode = await body(io);
  } catch (error) {
    printError(io, error);
    process.exitCode = 2;
  }
}
