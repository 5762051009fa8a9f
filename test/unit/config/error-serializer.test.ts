import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/config/logger';
import { EjsyncError } from '../../../src/model/ejsync-error';

function capture(): { stream: PassThrough; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger error serializer', () => {
  it('writes the whole cause chain with codes and messages, and nothing else the errors carry', async () => {
    const { stream, lines } = capture();
    const logger = createLogger({ destination: stream, level: 'info' });
    const driver = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', body: { lastName: 'Иванова' } });
    const middle = new Error('pool failed', { cause: driver });
    const error = new EjsyncError('store.unavailable', { cause: middle });
    logger.error({ err: error, runId: 'r1' }, 'база данных недоступна');
    await new Promise((r) => setImmediate(r));
    const [line] = lines();
    const err = line!.err as Record<string, any>;
    expect(err.type).toBe('EjsyncError');
    expect(err.code).toBe('store.unavailable');
    expect(err.cause.message).toBe('pool failed');
    expect(err.cause.cause.code).toBe('ECONNREFUSED');
    expect(err.cause.cause.message).toContain('ECONNREFUSED');
    expect(JSON.stringify(line)).not.toContain('Иванова');
  });

  it('stops at a circular chain', async () => {
    const { stream, lines } = capture();
    const logger = createLogger({ destination: stream });
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    logger.error({ err: a }, 'x');
    await new Promise((r) => setImmediate(r));
    const err = lines()[0]!.err as Record<string, any>;
    expect(err.cause.message).toBe('b');
    expect(err.cause.cause).toBeUndefined();
  });
});
