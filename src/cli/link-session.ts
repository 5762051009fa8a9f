import { readEnvironment, storeOptionsOf, type Environment } from '../config/environment';
import { loadLinkFile, type LinkConfig } from '../config/link-config';
import { loadDnevnikPlatform, type DnevnikPlatformConfig } from '../config/platform-config';
import { readLinkSource } from '../queue/intake/link-source';
import { EjsyncError } from '../model';
import { dnevnikConnectorFor, tokenNameOf } from '../queue/dnevnik-connector-factory';
import { loadSedizhPlatform } from '../config/sedizh-config';
import { sedizhConnectorFor } from '../queue/sedizh-connector-factory';
import { onerosterConnectorFor } from '../queue/oneroster-connector-factory';
import type { PipelineContext } from '../queue/run-pipeline/pipeline-context';
import { openStore, type Store } from '../store';

/** A link file, its platform and the store — what `plan` and `dnevnik connect` work with (no queues). */
export interface LinkSession {
  env: Environment;
  link: LinkConfig;
  platform: DnevnikPlatformConfig;
  store: Store;
  /** The parts of the pipeline context planning needs. */
  planning: Pick<PipelineContext, 'store' | 'readSource' | 'connectorFor'>;
  close(): Promise<void>;
}

/** Loads and validates the link file and the platform config, opens the store. */
export async function openLinkSession(linkFile: string): Promise<LinkSession> {
  const env = readEnvironment();
  const link = loadLinkFile(linkFile);
  const platform = loadDnevnikPlatform();
  const sedizh = link.target.platform === 'sedizh' ? loadSedizhPlatform() : null;
  const store = await openStore(storeOptionsOf(env));
  return {
    env,
    link,
    platform,
    store,
    planning: { store, readSource: (l) => readLinkSource(store, l), connectorFor: async (l) => (l.target.platform === 'oneroster' ? onerosterConnectorFor(l) : sedizh && l.target.platform === 'sedizh' ? sedizhConnectorFor(l, store, sedizh) : dnevnikConnectorFor(l, store, platform)) },
    close: () => store.close(),
  };
}

/** Fails early, with what to run, when the link's platform account is not connected yet. */
export async function requirePlatformToken(store: Store, link: LinkConfig): Promise<void> {
  // СЭДиЖ exchanges by packages: its account (if any) is in the environment, not a stored token.
  if (link.target.platform === 'sedizh' || link.target.platform === 'oneroster') return;
  if (!(await store.secrets.get(tokenNameOf(link)))) {
    throw new EjsyncError('dnevnik.token_missing', { detail: `связь ${link.id}` });
  }
}
