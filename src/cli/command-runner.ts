import { isEjsyncError } from '../model';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const processIo: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** Prints an error for a person: code, Russian message, what to do. Never a stack trace. */
export function printError(io: CommandIo, error: unknown): void {
  if (isEjsyncError(error)) {
    io.stderr.write(`Ошибка [${error.code}]: ${error.message}\nЧто делать: ${error.hint}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`Ошибка: ${message}\n`);
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
