import { ENTITY_ORDER, ENTITY_SCHEMAS, type EntityCollection } from '../model';

const fieldsOf = (schema: unknown): readonly string[] =>
  Object.keys((schema as { shape: Record<string, unknown> }).shape).filter((k) => k !== 'sourceId');

/** The data fields of each canonical collection (everything but `sourceId`), from the model's schemas. */
export const ENTITY_FIELDS: Readonly<Record<EntityCollection, readonly string[]>> = Object.fromEntries(
  ENTITY_ORDER.map((collection) => [collection, fieldsOf(ENTITY_SCHEMAS[collection])]),
) as Record<EntityCollection, readonly string[]>;
