import { installationOf, markEndpointsOf, type DnevnikPlatformConfig } from '../config/platform-config';
import type { LinkConfig } from '../config/link-config';
import { DnevnikClient, DnevnikConnector, DnevnikTokenVault, valueMapsOf, type OAuthClient, type RequestGate, type SecretSlot } from '../connectors/dnevnik';
import { EjsyncError } from '../model';
import type { Store } from '../store';
import { deliveryLaneOf, type DeliveryLane } from './queue-names';

/** The stored token's name for a link. */
export const tokenNameOf = (link: LinkConfig) => link.target.tokenName ?? `dnevnik-${link.id}`;

/** The emulator's own partner app (any other installation needs a registered one). */
const EMULATOR_APP = { clientId: 'ejsync-emulator', clientSecret: 'emulator-secret' };

/** API host, login host and partner app of a link's installation (`target.baseUrl` overrides the host). */
export function oauthClientFor(link: LinkConfig, platform: DnevnikPlatformConfig, env: NodeJS.ProcessEnv = process.env): OAuthClient & { emulator: boolean; rateLimit: { max: number; durationMs: number; marginMs?: number } } {
  const inst = installationOf(platform, link.target.installation);
  const { apiBase } = targetOf(link, platform);
  const oauthBase = link.target.baseUrl ? new URL(link.target.baseUrl).origin : inst.oauthBase;
  const clientId = env.EJSYNC_DNEVNIK_CLIENT_ID ?? (inst.emulator ? EMULATOR_APP.clientId : undefined);
  const clientSecret = env.EJSYNC_DNEVNIK_CLIENT_SECRET ?? (inst.emulator ? EMULATOR_APP.clientSecret : undefined);
  if (!clientId || !clientSecret) throw new EjsyncError('config.secret_missing', { detail: 'EJSYNC_DNEVNIK_CLIENT_ID и EJSYNC_DNEVNIK_CLIENT_SECRET (приложение-партнёр Дневник.ру)' });
  return { apiBase, oauthBase, clientId, clientSecret, emulator: inst.emulator, rateLimit: inst.rateLimit ?? platform.rateLimit };
}

/** A link's token as a locked slot of the encrypted secrets table. */
export function tokenSlot(store: Store, name: string): SecretSlot {
  return { get: () => store.secrets.get(name), update: (change) => store.secrets.update(name, change) };
}

/** The API client of a link, over its stored token (refreshed and rotated under the row lock). */
export function dnevnikClientFor(link: LinkConfig, store: Store, platform: DnevnikPlatformConfig, gate?: RequestGate): DnevnikClient {
  const app = oauthClientFor(link, platform);
  const vault = new DnevnikTokenVault(app, tokenSlot(store, tokenNameOf(link)));
  return new DnevnikClient({ baseUrl: app.apiBase, tokens: vault, timeoutMs: platform.timeoutMs, rateLimit: app.rateLimit, gate });
}

/** How long a link's connector (its throttle, token and looked-up work types) is reused. @defaultValue 10 minutes */
const CONNECTOR_REUSE_MS = 10 * 60_000;
const connectorCache = new WeakMap<Store, WeakMap<DnevnikPlatformConfig, Map<string, { connector: DnevnikConnector; until: number }>>>();

/**
 * The Дневник.ру connector of a link, reused across the deliveries of a process for a while: one
 * client means one request throttle and one token in memory per link, and lookups (work types,
 * lessons of a day) are made once instead of once per delivery. A changed link file builds anew.
 */
export function dnevnikConnectorFor(link: LinkConfig, store: Store, platform: DnevnikPlatformConfig, now = Date.now(), gate?: RequestGate): DnevnikConnector {
  let byPlatform = connectorCache.get(store);
  if (!byPlatform) connectorCache.set(store, (byPlatform = new WeakMap()));
  let byLink = byPlatform.get(platform);
  if (!byLink) byPlatform.set(platform, (byLink = new Map()));
  const key = JSON.stringify([link.id, link.target, link.school.timeZone]);
  const cached = byLink.get(key);
  if (cached && cached.until > now) return cached.connector;
  const connector = buildDnevnikConnector(link, store, platform, gate);
  byLink.set(key, { connector, until: now + CONNECTOR_REUSE_MS });
  return connector;
}

/** Builds the Дневник.ру connector of a link: client over the stored token, config-driven maps. */
export function buildDnevnikConnector(link: LinkConfig, store: Store, platform: DnevnikPlatformConfig, gate?: RequestGate): DnevnikConnector {
  const app = oauthClientFor(link, platform);
  const client = dnevnikClientFor(link, store, platform, gate);
  return new DnevnikConnector({
    client,
    baseUrl: app.apiBase,
    schoolId: link.target.schoolId,
    timeZone: link.school.timeZone,
    capabilities: platform.capabilities,
    comparableFields: platform.comparableFields,
    comparison: platform.comparison,
    maps: valueMapsOf(platform),
    attendanceWindowDays: platform.attendanceWindowDays,
    markEndpoints: markEndpointsOf(platform, link.target.installation),
    defaultMarkType: platform.defaultMarkType,
  });
}

/**
 * Where a link's API is, and what a new run of it is recorded as before the platform has answered:
 * the live platform. Whether it talked to an emulator is what the server says of itself
 * (`X-Ejsync-Emulator`, see `DnevnikConnector.environment`); planning records that on the run. A
 * link's config (an emulator installation, a loopback host) never makes a run a rehearsal.
 */
export function targetOf(link: LinkConfig, platform: DnevnikPlatformConfig): { environment: 'live' | 'emulator'; apiBase: string } {
  const inst = installationOf(platform, link.target.installation);
  const apiBase = (link.target.baseUrl ?? inst.apiBase).replace(/\/+$/, '');
  return { environment: 'live', apiBase };
}

/**
 * One delivery lane per Дневник.ру installation. Its queue limiter is the installation's app-wide
 * budget (all schools together); each school's token is paced by the shared request gate.
 */
export function dnevnikDeliveryLanes(platform: DnevnikPlatformConfig): DeliveryLane[] {
  return Object.entries(platform.installations).map(([installation, inst]) => ({
    name: deliveryLaneOf({ platform: 'dnevnik', installation }),
    rateLimit: inst.appRateLimit ?? platform.appRateLimit,
  }));
}
