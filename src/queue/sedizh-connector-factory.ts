import type { LinkConfig } from '../config/link-config';
import { sedizhCapabilitiesOf, sedizhInstallationOf, type SedizhPlatformConfig } from '../config/sedizh-config';
import { DirectoryTransport, HttpTransport, SedizhConnector, type ExchangeTransport } from '../connectors/sedizh';
import { EjsyncError } from '../model';
import type { PackageMapping } from '../mappers/sedizh';
import type { Store } from '../store';
import { deliveryLaneOf, type DeliveryLane } from './queue-names';

/** The cursor that numbers a link's packages (`Sequence` in the header). */
export const SEQUENCE_CURSOR = 'sedizh.sequence';

const SENDER = 'ejsync';

/** Where a link's packages go: the installation's transport, or the link's own address or folder. */
export function sedizhTargetOf(link: LinkConfig, platform: SedizhPlatformConfig): { environment: 'live' | 'emulator'; address: string; transport: { kind: 'http'; baseUrl: string; tokenEnv?: string } | { kind: 'directory'; dir: string } } {
  const inst = sedizhInstallationOf(platform, link.target.installation);
  const transport = link.target.exchangeDir
    ? { kind: 'directory' as const, dir: link.target.exchangeDir }
    : link.target.baseUrl
      ? { kind: 'http' as const, baseUrl: link.target.baseUrl, ...(inst.transport.kind === 'http' && inst.transport.tokenEnv ? { tokenEnv: inst.transport.tokenEnv } : {}) }
      : inst.transport;
  const address = transport.kind === 'http' ? transport.baseUrl.replace(/\/+$/, '') : transport.dir;
  const loopback = transport.kind === 'http' && /^(localhost|127\.|\[::1\]|::1)/.test(new URL(transport.baseUrl).hostname);
  return { environment: inst.emulator || loopback ? 'emulator' : 'live', address, transport };
}

function transportOf(link: LinkConfig, platform: SedizhPlatformConfig, env: NodeJS.ProcessEnv): ExchangeTransport {
  const { transport } = sedizhTargetOf(link, platform);
  if (transport.kind === 'directory') return new DirectoryTransport({ dir: transport.dir, pollIntervalMs: platform.receipt.pollIntervalMs, exportTimeoutMs: platform.receipt.timeoutMs });
  const token = transport.tokenEnv ? env[transport.tokenEnv] : undefined;
  if (transport.tokenEnv && !token && sedizhTargetOf(link, platform).environment !== 'emulator') throw new EjsyncError('config.secret_missing', { detail: `${transport.tokenEnv} (учётная запись обмена СЭДиЖ)` });
  return new HttpTransport({ baseUrl: transport.baseUrl, ...(token ? { token } : {}), timeoutMs: platform.timeoutMs, pollIntervalMs: platform.receipt.pollIntervalMs });
}

/** Builds the СЭДиЖ connector of a link: transport, mapping and cut-off from the platform file, sequence numbers from the store. */
export function buildSedizhConnector(link: LinkConfig, store: Store, platform: SedizhPlatformConfig, env: NodeJS.ProcessEnv = process.env, now?: () => Date): SedizhConnector {
  const target = sedizhTargetOf(link, platform);
  return new SedizhConnector({
    transport: transportOf(link, platform, env),
    mapping: platform.mapping as PackageMapping,
    schoolId: link.target.schoolId,
    timeZone: link.school.timeZone,
    capabilities: sedizhCapabilitiesOf(platform),
    environment: target.environment,
    baseUrl: target.address,
    nextSequence: () => store.cursors.increment(link.id, SEQUENCE_CURSOR),
    sender: SENDER,
    recordsPerPackage: platform.batch.recordsPerPackage,
    lingerMs: platform.batch.lingerMs,
    receiptTimeoutMs: platform.receipt.timeoutMs,
    receiptCodes: platform.receiptCodes,
    ...(now ? { now } : {}),
  });
}

const cache = new WeakMap<Store, WeakMap<SedizhPlatformConfig, Map<string, SedizhConnector>>>();

/**
 * The СЭДиЖ connector of a link, one per process and link file: concurrent deliveries of the link
 * share its package batcher, so they travel in shared packages.
 */
/** `now`: the pipeline's clock (what "today" is for the cut-off). @defaultValue the system clock */
export function sedizhConnectorFor(link: LinkConfig, store: Store, platform: SedizhPlatformConfig, now?: () => Date): SedizhConnector {
  let byPlatform = cache.get(store);
  if (!byPlatform) cache.set(store, (byPlatform = new WeakMap()));
  let byLink = byPlatform.get(platform);
  if (!byLink) byPlatform.set(platform, (byLink = new Map()));
  const key = JSON.stringify([link.id, link.target, link.school.timeZone]);
  let connector = byLink.get(key);
  if (!connector) byLink.set(key, (connector = buildSedizhConnector(link, store, platform, process.env, now)));
  return connector;
}

/** One delivery lane per СЭДиЖ installation (`sedizh-perm`), limited by its rate. */
export function sedizhDeliveryLanes(platform: SedizhPlatformConfig): DeliveryLane[] {
  return Object.entries(platform.installations).map(([installation, inst]) => ({
    name: deliveryLaneOf({ platform: 'sedizh', installation }),
    rateLimit: inst.rateLimit ?? platform.rateLimit,
  }));
}
