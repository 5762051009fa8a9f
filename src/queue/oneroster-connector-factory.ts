import type { LinkConfig } from '../config/link-config';
import { OneRosterTarget } from '../connectors/oneroster';
import { deliveryLaneOf, type DeliveryLane } from './queue-names';

/** Environment variable of the bearer token for a OneRoster upload (`target.baseUrl`). */
export const ONEROSTER_UPLOAD_TOKEN_ENV = 'EJSYNC_ONEROSTER_TOKEN';

/** Where a link's bundles go, for reports: the upload address, else the folder. */
export function onerosterTargetOf(link: LinkConfig): { environment: 'live' | 'emulator'; address: string } {
  const url = link.target.baseUrl;
  const loopback = url !== undefined && /^(localhost|127\.|\[::1\]|::1)/.test(new URL(url).hostname);
  return { environment: loopback || link.target.installation === 'emulator' ? 'emulator' : 'live', address: url ?? link.target.exchangeDir! };
}

const cache = new Map<string, OneRosterTarget>();

/**
 * The OneRoster target of a link, one per process and link target: concurrent deliveries of the
 * link share it, so they land in shared delta bundles and never write the folder at once.
 * `now`: the pipeline's clock (the bundles' dateLastModified). @defaultValue the system clock
 */
export function onerosterConnectorFor(link: LinkConfig, now?: () => Date, env: NodeJS.ProcessEnv = process.env): OneRosterTarget {
  const key = JSON.stringify([link.id, link.target, link.school]);
  let connector = cache.get(key);
  if (!connector) {
    const token = env[ONEROSTER_UPLOAD_TOKEN_ENV];
    connector = new OneRosterTarget({
      dir: link.target.exchangeDir!,
      school: { sourceId: link.target.schoolId, name: link.name, timeZone: link.school.timeZone },
      ...(link.target.baseUrl ? { uploadUrl: link.target.baseUrl } : {}),
      ...(token ? { uploadToken: token } : {}),
      environment: onerosterTargetOf(link).environment,
      ...(now ? { now } : {}),
    });
    cache.set(key, connector);
  }
  return connector;
}

/** The OneRoster delivery lane of an installation name (`oneroster-folder`); no platform rate to keep. */
export function onerosterDeliveryLanes(installations: readonly string[] = ['folder', 'emulator']): DeliveryLane[] {
  return installations.map((installation) => ({ name: deliveryLaneOf({ platform: 'oneroster', installation }), rateLimit: { max: 1000, durationMs: 1000 } }));
}
