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
