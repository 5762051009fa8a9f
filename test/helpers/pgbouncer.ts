import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * A PgBouncer (Debian package `pgbouncer`, installed by `scripts/ensure-system-packages.sh`) on a free
 * port in front of the test PostgreSQL, in the given pool mode, trusting the named users. Fails when
 * the binary is missing — the test never skips.
 */
export async function startPgBouncer(options: { poolMode: 'session' | 'transaction'; database: { name: string; host: string; port: number }; users: string[] }): Promise<{ port: number; log(): string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-pgbouncer-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const ini = path.join(dir, 'pgbouncer.ini');
  writeFileSync(path.join(dir, 'users.txt'), options.users.map((u) => `"${u}" ""`).join('\n') + '\n', { mode: 0o644 });
  writeFileSync(
    ini,
    [
      '[databases]',
      `${options.database.name} = host=${options.database.host} port=${options.database.port} dbname=${options.database.name}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      `pool_mode = ${options.poolMode}`,
      // Few server connections, so client transactions really share them.
      'default_pool_size = 3',
      'max_client_conn = 200',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    ].join('\n') + '\n',
    { mode: 0o644 },
  );
  // PgBouncer refuses to run as root: it is told to drop to `nobody` then.
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn('pgbouncer', [...(asRoot ? ['-u', 'nobody'] : []), ini], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const up = await Promise.race([listening(port, 10_000), spawnError.then((e) => { throw new Error(`pgbouncer did not start (install the Debian package pgbouncer): ${e.message}`); })]);
  const log = () => {
    try {
      return readFileSync(path.join(dir, 'pgbouncer.log'), 'utf8');
    } catch {
      return '';
    }
  };
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`pgbouncer did not listen on ${port}: ${log()}`);
  }
  return {
    port,
    log,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
