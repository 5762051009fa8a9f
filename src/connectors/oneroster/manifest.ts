import { makeFinding, type Finding } from '../../model';
import { closest } from './closest-name';
import { filesFor, ONEROSTER_VERSIONS, unreadFilesFor, type OneRosterVersion } from './file-specs';

export type FileMode = 'bulk' | 'delta' | 'absent';

export interface OneRosterManifest {
  manifestVersion?: string;
  onerosterVersion?: string;
  /** `file.<name>` properties by file name (`users.csv` → `bulk`). */
  files: Map<string, FileMode>;
}

export const MANIFEST_FILE = 'manifest.csv';
const MODES: readonly string[] = ['bulk', 'delta', 'absent'];
/** Properties of the manifest that are not `file.*` (both versions of the binding). */
const PLAIN_PROPERTIES: readonly string[] = ['manifest.version', 'oneroster.version', 'source.systemName', 'source.systemCode'];

/** The `file.<name>` properties one version of the binding defines. */
function fileProperties(version: OneRosterVersion): Set<string> {
  return new Set([...filesFor(version).map((s) => s.file), ...unreadFilesFor(version)].map((f) => `file.${f.slice(0, -'.csv'.length)}`));
}

/**
 * Reads the rows of manifest.csv (`propertyName,value`). A property the version's binding does
 * not define (a misspelled `file.*`, an invented key) is `oneroster.unknown_manifest_property`; a
 * `file.*` value other than bulk/delta/absent is `oneroster.invalid_value` and the file is
 * treated as absent. `version` is the version the package is read by (its own, when supported).
 */
export function parseManifest(rows: { row: number; values: Record<string, string> }[], version: OneRosterVersion, findings: Finding[]): OneRosterManifest {
  const manifest: OneRosterManifest = { files: new Map() };
  const known = fileProperties(version);
  for (const { row, values } of rows) {
    const property = (values.propertyName ?? '').trim();
    const value = (values.value ?? '').trim();
    if (property === 'manifest.version') manifest.manifestVersion = value;
    else if (property === 'oneroster.version') manifest.onerosterVersion = value;
    else if (PLAIN_PROPERTIES.includes(property)) continue;
    else if (known.has(property)) {
      const file = `${property.slice('file.'.length)}.csv`;
      if (!MODES.includes(value)) {
        findings.push(makeFinding('oneroster.invalid_value', { file: MANIFEST_FILE, row, field: property, detail: `допустимо bulk, delta или absent; получено «${value}»` }));
        manifest.files.set(file, 'absent');
      } else manifest.files.set(file, value as FileMode);
    } else {
      findings.push(makeFinding('oneroster.unknown_manifest_property', { file: MANIFEST_FILE, row, field: property || 'propertyName', detail: `«${property}» не определено в OneRoster ${version}${closest(property, [...PLAIN_PROPERTIES, ...known])}` }));
    }
  }
  return manifest;
}

/** The `oneroster.version` value of the manifest rows, trimmed, if any. */
export function declaredVersion(rows: { values: Record<string, string> }[]): string | undefined {
  return rows.find((r) => (r.values.propertyName ?? '').trim() === 'oneroster.version')?.values.value?.trim();
}

/**
 * Version checks: `oneroster.version` 1.1 or 1.2 and `manifest.version` 1.0. Returns the version
 * to read the package by, or null when the package cannot be read (another version). A manifest
 * that names no version is an error and is read by the 1.2 rules.
 */
export function checkManifestVersions(manifest: OneRosterManifest, findings: Finding[]): OneRosterVersion | null {
  let version: OneRosterVersion = '1.2';
  if (manifest.onerosterVersion === undefined || manifest.onerosterVersion === '') {
    findings.push(makeFinding('oneroster.missing_value', { file: MANIFEST_FILE, field: 'oneroster.version' }));
  } else if (!(ONEROSTER_VERSIONS as readonly string[]).includes(manifest.onerosterVersion)) {
    findings.push(makeFinding('oneroster.unsupported_version', { file: MANIFEST_FILE, field: 'oneroster.version', detail: manifest.onerosterVersion }));
    return null;
  } else version = manifest.onerosterVersion as OneRosterVersion;
  if (manifest.manifestVersion === undefined || manifest.manifestVersion === '') {
    findings.push(makeFinding('oneroster.missing_value', { file: MANIFEST_FILE, field: 'manifest.version' }));
  } else if (manifest.manifestVersion !== '1.0') {
    findings.push(makeFinding('oneroster.invalid_value', { file: MANIFEST_FILE, field: 'manifest.version', detail: `ожидается 1.0, получено «${manifest.manifestVersion}»` }));
  }
  return version;
}
