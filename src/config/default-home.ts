import os from 'node:os';
import path from 'node:path';

/**
 * The per-user data directory used when `EJSYNC_HOME` is not set: `$XDG_DATA_HOME/ejsync`, else
 * `~/.local/share/ejsync` — absolute, so the store does not depend on the working directory.
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'ejsync');
  return path.join(os.homedir(), '.local', 'share', 'ejsync');
}
