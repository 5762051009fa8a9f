import type { EntityCollection } from './snapshot';

export type ChangeOp = 'create' | 'update' | 'archive';

/** What a platform's API can do with one entity collection. */
export interface EntityCapability {
  read: boolean;
  create: boolean;
  update: boolean;
  archive: boolean;
}

/** Capability matrix of a platform: missing collections can do nothing. Data, from config. */
export type CapabilityMatrix = Partial<Record<EntityCollection, EntityCapability>>;

export function can(matrix: CapabilityMatrix, entity: EntityCollection, op: ChangeOp | 'read'): boolean {
  return matrix[entity]?.[op] ?? false;
}

/** How a platform's records compare with the source's, beyond the list of fields it holds. */
export interface ComparisonRules {
  /**
   * Fields the platform fills itself when the source leaves them empty (a work placed on the
   * day's lesson): compared only when the source gives a value.
   */
  platformFills?: Partial<Record<EntityCollection, readonly string[]>>;
  /**
   * Fields the platform cannot always tell (a pupil's birth date lives on the login account, and a
   * person without one has none to read): compared only when the platform gives a value.
   */
  platformOmits?: Partial<Record<EntityCollection, readonly string[]>>;
  /**
   * One platform field for two of the source's: the source's `field`, or when it is empty the
   * fallback (a work's text is its title, else its description).
   */
  fallbacks?: Partial<Record<EntityCollection, Readonly<Record<string, string>>>>;
}
