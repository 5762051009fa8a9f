import type { EntityCollection } from '../../model';

/** How a canonical value is written as text. */
export type FieldType = 'string' | 'int' | 'number' | 'bool' | 'date' | 'intList';

/**
 * One canonical field of an entity as the package carries it: as an attribute of the record
 * element or as a child element, of a type, optionally through a value map.
 */
export interface FieldSpec {
  /** Attribute or element name. */
  name: string;
  /** @defaultValue false (a child element) */
  attribute?: boolean;
  /** @defaultValue `string` */
  type?: FieldType;
  /** Name of a map in `valueMaps` (canonical value → platform value). @defaultValue none */
  map?: string;
}

/** One entity collection as a section of the package: `<Pupils><Pupil …/></Pupils>`. */
export interface EntityMapping {
  section: string;
  record: string;
  /** Canonical field → how the package carries it. Fields left out are not sent nor compared. */
  fields: Readonly<Record<string, FieldSpec>>;
}

/** Element names of the package header. */
export interface HeaderNames {
  element: string;
  packageId: string;
  kind: string;
  schoolId: string;
  periodFrom: string;
  periodTo: string;
  generatedAt: string;
  sender: string;
  sequence: string;
  recordCount: string;
  contentHash: string;
}

/** Attribute names every record element carries, and the words of its action. */
export interface RecordNames {
  /** The platform's id of the record. */
  id: string;
  /** ejsync's stable id of the record (the school system's id). */
  extId: string;
  action: string;
  /** In an export: the date a record accepted after the cut-off takes effect. */
  effectiveFrom: string;
  actions: { create: string; update: string; delete: string };
}

/**
 * The whole mapping of a package format: data from `config/platforms/sedizh.json`, never code.
 * ejsync's default is documented in docs/formats/sedizh-xml.md; an operator's real schema is
 * expressed by changing this data alone.
 */
export interface PackageMapping {
  /** @defaultValue `utf-8` */
  encoding: 'utf-8' | 'windows-1251';
  /** How `date` fields are written. @defaultValue `YYYY-MM-DD` */
  dateFormat: 'YYYY-MM-DD' | 'DD.MM.YYYY';
  root: string;
  /** Default namespace of the root element; empty for none. */
  namespace: string;
  /** Value of the root's `version` attribute. */
  version: string;
  header: HeaderNames;
  records: RecordNames;
  entities: Readonly<Partial<Record<EntityCollection, EntityMapping>>>;
  /** Named maps canonical value → platform value (`attendance`: `absent` → `Н`). */
  valueMaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** What a package is: changes since the last accepted one, the complete state, or the platform's export. */
export type PackageKind = 'delta' | 'full' | 'export';

export type RecordAction = 'create' | 'update' | 'delete';

/** Header values of a package. */
export interface PackageHeader {
  packageId: string;
  kind: PackageKind;
  schoolId: string;
  periodFrom?: string;
  periodTo?: string;
  /** ISO instant with offset. */
  generatedAt: string;
  sender: string;
  sequence: number;
  recordCount: number;
  /** SHA-256 (hex) of the body text, see `contentHashOf`. */
  contentHash: string;
}

/** One record of a package, canonical on the ejsync side. */
export interface PackageRecord {
  entity: EntityCollection;
  action: RecordAction;
  /** Platform id (update, delete, export). */
  id?: string;
  /** ejsync's stable id (create, update, delete; export when the platform kept it). */
  extId?: string;
  /** Canonical fields (references in platform ids); empty for a delete. */
  fields: Record<string, unknown>;
  /** Export only: a record accepted but not yet in effect. */
  effectiveFrom?: string;
}

/** The entity collections a mapping carries, in the mapping's order. */
export function mappedEntities(mapping: PackageMapping): EntityCollection[] {
  return Object.keys(mapping.entities) as EntityCollection[];
}
