import { execFile } from 'node:child_process';

export interface OpensslResult {
  stdout: Buffer;
  stderr: string;
}

/** A failed run: what OpenSSL printed, for callers that tell "no" from "could not" (never shown to people). */
export interface OpensslFailure extends Error {
  stdout: Buffer;
  stderr: string;
}

/** Runs `openssl` with arguments and optional standard input; never through a shell. */
export function runOpenssl(args: string[], input?: Buffer, binary = 'openssl', timeoutMs = 15_000): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, args, { encoding: 'buffer', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const err = stderr.toString('utf8');
      if (error) {
        reject(Object.assign(new Error(`openssl ${args[0]} failed: ${err.trim().split('\n')[0] ?? error.message}`), { cause: error, stderr: err, stdout }));
        return;
      }
      resolve({ stdout, stderr: err });
    });
    if (input) child.stdin!.end(input);
    else child.stdin!.end();
  });
}
