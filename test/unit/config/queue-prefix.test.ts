import { readEnvironment } from '../../../src/config/environment';
import { assertQueuePrefix, hashTagOf, queuePrefixProblem } from '../../../src/config/queue-prefix';

describe('queue prefix', () => {
  it('allows plain prefixes and one hash tag on a single Redis', () => {
    for (const p of ['ejsync', 'ejtest-1a2b', '{ejsync}', '{ejsync}-school.a', 'a{b}c']) expect(queuePrefixProblem(p)).toBeNull();
    expect(readEnvironment({ EJSYNC_QUEUE_PREFIX: '{ejsync}' }).queuePrefix).toBe('{ejsync}');
    expect(readEnvironment({}).queuePrefix).toBe('ejsync');
    expect(readEnvironment({}).redisClusterNodes).toBeUndefined();
  });

  it('refuses other characters, empty or nested tags, and length over 64, in Russian', () => {
    for (const p of ['ej:sync', 'ej sync', '{}', '{a}{b}', '{a', 'a}', '{{a}}', 'ж', 'x'.repeat(65)]) expect(queuePrefixProblem(p)).not.toBeNull();
    expect(() => readEnvironment({ EJSYNC_QUEUE_PREFIX: 'ej:sync' })).toThrow('Переменная окружения EJSYNC_QUEUE_PREFIX («ej:sync»): допустимы латинские буквы');
  });

  it('requires a hash tag on a cluster and names the value to set', () => {
    expect(() => assertQueuePrefix('ejsync', { cluster: true })).toThrow('EJSYNC_QUEUE_PREFIX={ejsync}');
    expect(() => assertQueuePrefix('{ejsync}', { cluster: true })).not.toThrow();
    expect(hashTagOf('{ejsync}-a')).toBe('ejsync');
    expect(hashTagOf('ejsync')).toBeNull();
    const env = readEnvironment({ REDIS_CLUSTER_NODES: '10.0.0.1:6379, redis-2.local:7000', EJSYNC_QUEUE_PREFIX: '{ej}' });
    expect(env.redisClusterNodes).toEqual([
      { host: '10.0.0.1', port: 6379 },
      { host: 'redis-2.local', port: 7000 },
    ]);
  });
});
