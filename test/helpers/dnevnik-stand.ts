import { loadDnevnikPlatform } from '../../src/config/platform-config';
import { generateSchool } from '../../src/connectors/demo-school';
import { DnevnikClient, DnevnikConnector, valueMapsOf, type AccessTokenSource } from '../../src/connectors/dnevnik';
import { onboardSchool, startDnevnikEmulator, type DnevnikEmulatorOptions } from '../../src/connectors/dnevnik/emulator';
import { SnapshotCollector, type Snapshot } from '../../src/model';

/** A generated school, the same school onboarded on an emulator, and a connector to it. */
export async function startDnevnikStand(options: { pupils?: number; seed?: string; emulator?: DnevnikEmulatorOptions; tokens?: AccessTokenSource } = {}) {
  const config = loadDnevnikPlatform();
  const maps = valueMapsOf(config);
  const collector = new SnapshotCollector();
  await generateSchool(collector, { pupils: options.pupils ?? 60, seed: options.seed ?? 'stand', weeks: 1 });
  const source: Snapshot = collector.snapshot();
  const { platform, idOf } = onboardSchool(source);
  const emulator = await startDnevnikEmulator(platform, maps, { requestLimit: { max: 10_000, windowMs: 1000 }, ...options.emulator });
  const token = emulator.issueToken();
  const tokens: AccessTokenSource = options.tokens ?? { accessToken: async () => token.accessToken, refresh: async () => token.accessToken };
  const client = new DnevnikClient({ baseUrl: emulator.apiBase, tokens, rateLimit: { max: 1000, durationMs: 1000 }, timeoutMs: 5000 });
  const connector = new DnevnikConnector({
    client,
    baseUrl: emulator.apiBase,
    environment: 'emulator',
    schoolId: platform.school.sourceId,
    timeZone: source.school.timeZone,
    capabilities: config.capabilities,
    comparableFields: config.comparableFields,
    maps,
  });
  return { config, maps, source, platform, idOf, emulator, client, connector, token };
}
