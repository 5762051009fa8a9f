import type { FileBundle } from '../file-bundle';
import { MANIFEST_FILE } from './manifest';
import { readCsvHeader } from './read-csv-file';

/** True when the bundle looks like a OneRoster CSV package: manifest.csv, or users.csv with orgs.csv. */
export function looksLikeOneRoster(bundle: FileBundle): boolean {
  return !!(bundle.find(MANIFEST_FILE) || (bundle.find('users.csv') && bundle.find('orgs.csv')));
}

/**
 * Why a bundle that {@link looksLikeOneRoster} by its file names is not a OneRoster package
 * after all (a Russian detail), or null when it is one. A manifest must have the
 * `propertyName,value` header; without a manifest, users.csv and orgs.csv must have `sourcedId`
 * and at least one of them the `status`/`dateLastModified` columns every OneRoster file has —
 * other roster formats (Microsoft School Data Sync v2.1: orgs.csv, users.csv, roles.csv without
 * those columns) use the same file names.
 */
export async function notOneRosterReason(bundle: FileBundle): Promise<string | null> {
  const lower = async (name: string) => {
    const entry = bundle.find(name);
    return entry ? (await readCsvHeader(bundle, entry)).map((h) => h.toLowerCase()) : undefined;
  };
  const manifest = await lower(MANIFEST_FILE);
  if (manifest) {
    return manifest.includes('propertyname') && manifest.includes('value') ? null : `manifest.csv без столбцов propertyName и value (заголовок: ${manifest.join(', ') || 'пусто'})`;
  }
  const users = (await lower('users.csv')) ?? [];
  const orgs = (await lower('orgs.csv')) ?? [];
  const stamped = (h: string[]) => h.includes('status') || h.includes('datelastmodified');
  if (users.includes('sourcedid') && orgs.includes('sourcedid') && (stamped(users) || stamped(orgs))) return null;
  const roles = await lower('roles.csv');
  const sds = users.includes('activedirectorymatchid') || (roles !== undefined && !roles.includes('sourcedid') && roles.includes('usersourcedid'));
  const what = sds ? 'похоже на Microsoft School Data Sync (SDS) v2.1' : 'в users.csv и orgs.csv нет столбцов sourcedId, status, dateLastModified';
  return `${what}; manifest.csv нет (заголовок users.csv: ${users.join(', ') || 'пусто'})`;
}
