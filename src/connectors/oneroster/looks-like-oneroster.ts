import type { FileBundle } from '../file-bundle';
import { MANIFEST_FILE } from './manifest';

/** True when the bundle looks like a OneRoster CSV package: manifest.csv, or users.csv with orgs.csv. */
export function looksLikeOneRoster(bundle: FileBundle): boolean {
  return !!(bundle.find(MANIFEST_FILE) || (bundle.find('users.csv') && bundle.find('orgs.csv')));
}
