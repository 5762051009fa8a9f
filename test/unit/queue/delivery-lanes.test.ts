import { dnevnikPlatformSchema, loadDnevnikPlatform } from '../../../src/config/platform-config';
import { dnevnikDeliveryLanes } from '../../../src/queue/dnevnik-connector-factory';
import { deliveryLaneOf } from '../../../src/queue/queue-names';

describe('delivery lanes', () => {
  it('one lane per installation, limited by the app-wide budget (each token is paced by the request gate)', () => {
    const config = loadDnevnikPlatform();
    const lanes = dnevnikDeliveryLanes(config);
    expect(lanes.map((l) => l.name)).toEqual(Object.keys(config.installations).map((i) => `dnevnik-${i}`));
    // The shipped config: 5 requests/s per token, 100/s for all schools of a region together.
    expect(config.rateLimit).toEqual({ max: 5, durationMs: 1000 });
    expect(lanes.find((l) => l.name === 'dnevnik-mosreg')!.rateLimit).toEqual({ max: 100, durationMs: 1000 });
    expect(lanes.find((l) => l.name === 'dnevnik-emulator')!.rateLimit).toEqual({ max: 1000, durationMs: 1000 });
  });

  it('an installation may set its own app budget; the lane name is safe for BullMQ', () => {
    const config = dnevnikPlatformSchema.parse({
      ...loadDnevnikPlatform(),
      installations: { 'Kundelik.KZ': { name: 'Kundelik', apiBase: 'https://api.kundelik.kz/v2', oauthBase: 'https://login.kundelik.kz', appRateLimit: { max: 30, durationMs: 1000 } } },
    });
    expect(dnevnikDeliveryLanes(config)).toEqual([{ name: 'dnevnik-kundelik-kz', rateLimit: { max: 30, durationMs: 1000 } }]);
    expect(deliveryLaneOf({ platform: 'dnevnik', installation: 'Kundelik.KZ' })).toBe('dnevnik-kundelik-kz');
  });

  it('retry policy and the request gate margin are config, checked at start-up with a message that names the field', () => {
    const shipped = loadDnevnikPlatform();
    expect(shipped.retry).toEqual({ attempts: 6, backoffMs: 1000, jitter: 0.5, rateLimitedAttempts: 30, stepAsideCeilingMs: 30_000 });
    const raw = { ...shipped, rateLimit: { max: 5, durationMs: 1000, marginMs: 100 }, retry: { attempts: 3 } };
    const config = dnevnikPlatformSchema.parse(raw);
    expect(config.rateLimit.marginMs).toBe(100);
    // Fields left out take their defaults.
    expect(config.retry).toEqual({ attempts: 3, backoffMs: 1000, jitter: 0.5, rateLimitedAttempts: 30, stepAsideCeilingMs: 30_000 });
    const bad = dnevnikPlatformSchema.safeParse({ ...shipped, retry: { attempts: 0, jitter: 2, stepAsideCeilingMs: 10 } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['retry.attempts', 'retry.jitter', 'retry.stepAsideCeilingMs']);
  });
});
