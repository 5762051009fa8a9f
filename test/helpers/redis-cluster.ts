import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalRedisCluster {
  /** Seed nodes, as `REDIS_CLUSTER_NODES` lists them. */
  nodes: { host: string; port: number }[];
  /** `127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3` */
  nodesVariable: string;
  /** Shuts every node down and deletes its folder. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (and its cluster bus port, +10000, checked too). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    if (port + 10000 > 65535) continue;
    const busFree = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port + 10000, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (busFree) return port;
  }
}

/**
 * Starts a three-master Redis Cluster (no replicas, no persistence) on free ports in a temporary
 * folder and waits for `cluster_state:ok`. Fails — never skips — when `redis-server` or `redis-cli`
 * is missing.
 */
export async function startLocalRedisCluster(): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-redis-cluster-'));
  const ports: number[] = [];
  const stop = async () => {
    for (const port of ports) await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const nodeDir = path.join(dir, String(port));
      await run('mkdir', ['-p', nodeDir]);
      // prettier-ignore
      await run('redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir,
        '--cluster-enabled', 'yes', '--cluster-config-file', path.join(nodeDir, 'nodes.conf'), '--cluster-node-timeout', '5000',
        '--save', '', '--appendonly', 'no', '--daemonize', 'yes',
        '--pidfile', path.join(nodeDir, 'redis.pid'), '--logfile', path.join(nodeDir, 'redis.log'),
      ]);
      ports.push(port);
    }
    for (const port of ports) await waitFor(async () => (await run('redis-cli', ['-p', String(port), 'ping'])).stdout.trim() === 'PONG', 10_000, `node ${port} did not answer`);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      await waitFor(async () => (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout.includes('cluster_state:ok'), 20_000, `node ${port} never reached cluster_state:ok`);
    }
  } catch (error) {
    const logs = await Promise.all(ports.map((p) => readFile(path.join(dir, String(p), 'redis.log'), 'utf8').catch(() => '')));
    await stop();
    throw new Error(`could not start a local Redis Cluster (redis-server and redis-cli must be installed): ${(error as Error).message}\n${logs.join('\n').slice(-2000)}`);
  }
  const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
  return { nodes, nodesVariable: nodes.map((n) => `${n.host}:${n.port}`).join(','), stop };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 100));
  }
}
