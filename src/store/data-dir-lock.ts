import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { EjsyncError } from '../model';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on an embedded database folder: `<dir>.lock` holds the owner's pid. A lock
 * left by a process that is gone (killed, crashed) is taken over; a live owner — another process,
 * or this one opening the folder twice — is refused with `store.embedded_busy`.
 */
export function acquireDataDirLock(dir: string): { release(): void } {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new EjsyncError('store.embedded_busy', { detail: `${dir}, процесс ${owner}${owner === process.pid ? ' (этот же)' : ''}` });
      }
      rmSync(file, { force: true });
    }
  }
  throw new EjsyncError('store.embedded_busy', { detail: dir });
}
