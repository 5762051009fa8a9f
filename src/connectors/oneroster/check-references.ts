import { makeFinding, type Finding } from '../../model';
import { parseList } from './cell-values';
import type { RawPackage } from './raw-package';

/**
 * Referential integrity across the files of a package. A required reference to a sourcedId that
 * no referenced file holds rejects the row; an optional one is dropped from the row (the row
 * still loads). In a delta package a reference into a file that is not sent in bulk cannot be
 * checked (the record may exist at the receiver) and is let through.
 */
export function checkReferences(pkg: RawPackage, delta: boolean, findings: Finding[]): void {
  for (const raw of pkg.values()) {
    for (const column of raw.spec.columns) {
      if (!column.references) continue;
      const targets = column.references.map((f) => pkg.get(f));
      const checkable = !delta || targets.every((t) => t !== undefined && t.mode === 'bulk');
      for (const record of raw.records) {
        if (record.rejected || record.deleted) continue;
        const value = record.values[column.name];
        if (value === undefined) continue;
        const ids = column.type === 'idList' ? parseList(value) : [value];
        const kept: string[] = [];
        for (const id of ids) {
          if (targets.some((t) => t?.byId.has(id)) || !checkable) {
            kept.push(id);
            continue;
          }
          findings.push(
            makeFinding('oneroster.unknown_reference', {
              file: raw.spec.file,
              row: record.row,
              field: column.name,
              sourceId: record.sourcedId,
              detail: `${id} (${column.references.join(' / ')})`,
            }),
          );
          if (column.required) record.rejected = true;
        }
        if (!column.required) {
          if (kept.length) record.values[column.name] = kept.join(',');
          else delete record.values[column.name];
        }
      }
    }
  }
}
