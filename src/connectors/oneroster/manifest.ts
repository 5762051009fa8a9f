import { makeFinding, type Finding } from '../../model';

export type FileMode = 'bulk' | 'delta' | 'absent';

export interface OneRosterManifest {
  manifestVersion?: string;
  onerosterVersion?: string;
  /** `file.<name>` properties by file name (`users.csv` → `bulk`). */
  files: Map<string, FileMode>;
}

export const MANIFEST_FILE = 'manifest.csv';
const MODES: readonly string[] = ['bulk', 'delta', 'absent'];

/**
 * Reads the rows of manifest.csv (`propertyName,value`). Unknown properties (`source.systemName`
 * and the like) are kept out; a `file.*` value other than bulk/delta/absent is
 * `oneroster.invalid_value` and the file is treated as absent.
 */
export function parseManifest(rows: { row: number; values: Record<string, string> }[], findings: Finding[]): OneRosterManifest {
  const manifest: OneRosterManifest = { files: new Map() };
  for (const { row, values } of rows) {
    const property = (values.propertyName ?? '').trim();
    const value = (values.value ?? '').trim();
    if (property === 'manifest.version') manifest.manifestVersion = value;
    else if (property === 'oneroster.version') manifest.onerosterVersion = value;
    else if (property.startsWith('file.')) {
      const file = `${property.slice('file.'.length)}.csv`;
      if (!MODES.includes(value)) {
        findings.push(makeFinding('oneroster.invalid_value', { file: MANIFEST_FILE, row, field: property, detail: `допустимо bulk, delta или absent; получено «${value}»` }));
        manifest.files.set(file, 'absent');
      } else manifest.files.set(file, value as FileMode);
    }
  }
  return manifest;
}

/** Version checks: `manifest.version` 1.0 and `oneroster.version` 1.2. Returns false when unreadable. */
export function checkManifestVersions(manifest: OneRosterManifest, findings: Finding[]): boolean {
  if (manifest.onerosterVersion === undefined || manifest.onerosterVersion === '') {
    findings.push(makeFinding('oneroster.missing_value', { file: MANIFEST_FILE, field: 'oneroster.version' }));
  } else if (manifest.onerosterVersion !== '1.2') {
    findings.push(makeFinding('oneroster.unsupported_version', { file: MANIFEST_FILE, field: 'oneroster.version', detail: manifest.onerosterVersion }));
    return false;
  }
  if (manifest.manifestVersion === undefined || manifest.manifestVersion === '') {
    findings.push(makeFinding('oneroster.missing_value', { file: MANIFEST_FILE, field: 'manifest.version' }));
  } else if (manifest.manifestVersion !== '1.0') {
    findings.push(makeFinding('oneroster.invalid_value', { file: MANIFEST_FILE, field: 'manifest.version', detail: `ожидается 1.0, получено «${manifest.manifestVersion}»` }));
  }
  return true;
}
