import { loadDnevnikPlatform, markEndpointsOf } from '../../src/config/platform-config';
import { generateSchool } from '../../src/connectors/demo-school';
import { DnevnikClient, DnevnikConnector, valueMapsOf, type AccessTokenSource, type DnevnikClientOptions, type MarkEndpoints } from '../../src/connectors/dnevnik';
import { onboardSchool, startDnevnikEmulator, type DnevnikEmulatorOptions } from '../../src/connectors/dnevnik/emulator';
import { SnapshotCollector, type Snapshot } from '../../src/model';

export interface DnevnikStandOptions {
  pupils?: number;
  seed?: string;
  emulator?: DnevnikEmulatorOptions;
  tokens?: AccessTokenSource;
  /** Client settings over the stand's (timeout 5 s, 1000 requests/s). */
  client?: Partial<Omit<DnevnikClientOptions, 'baseUrl' | 'tokens'>>;
  /** Mark endpoints of both the emulator and the connector. @defaultValue the config's for the `emulator` installation */
  markEndpoints?: MarkEndpoints;
  /** Narrows the generated school before it is onboarded (fewer days, fewer records). */
  select?: (source: Snapshot) => Snapshot;
}

/** A generated school, the same school onboarded on an emulator, and a connector to it. */
export async function startDnevnikStand(options: DnevnikStandOptions = {}) {
  const config = loadDnevnikPlatform();
  const maps = valueMapsOf(config);
  const markEndpoints = options.markEndpoints ?? markEndpointsOf(config, 'emulator');
  const collector = new SnapshotCollector();
  await generateSchool(collector, { pupils: options.pupils ?? 60, seed: options.seed ?? 'stand', weeks: 1 });
  const source: Snapshot = options.select ? options.select(collector.snapshot()) : collector.snapshot();
  const { platform, idOf } = onboardSchool(source);
  const emulator = await startDnevnikEmulator(platform, maps, { requestLimit: { max: 10_000, windowMs: 1000 }, markEndpoints, ...options.emulator });
  const token = emulator.issueToken();
  const tokens: AccessTokenSource = options.tokens ?? { accessToken: async () => token.accessToken, refresh: async () => token.accessToken };
  const client = new DnevnikClient({ baseUrl: emulator.apiBase, tokens, rateLimit: { max: 1000, durationMs: 1000 }, timeoutMs: 5000, ...options.client });
  const connector = new DnevnikConnector({
    client,
    baseUrl: emulator.apiBase,
    schoolId: platform.school.sourceId,
    timeZone: source.school.timeZone,
    capabilities: config.capabilities,
    comparableFields: config.comparableFields,
    comparison: config.comparison,
    maps,
    markEndpoints,
    defaultMarkType: config.defaultMarkType,
  });
  return { config, maps, source, platform, idOf, emulator, client, connector, token, markEndpoints };
}
