import { toSafeKeyPart, type ChangeOp, type EntityCollection } from '../model';

const MAX_ID_LENGTH = 200;

/** FNV-1a, 32 bit, hex: shortens over-long ids deterministically. */
function fnv1a(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Keeps an id within the 200 characters job payloads allow, keeping it unique by a hash of the whole. */
function bounded(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  return `${id.slice(0, MAX_ID_LENGTH - 10)}~${fnv1a(id)}`;
}

/** `${entity}.${op}.${sourceId}`, escaped to `[A-Za-z0-9_.~-]` (no ':'), at most 200 characters. */
export function changeId(entity: EntityCollection, op: ChangeOp, sourceId: string): string {
  return bounded(`${entity}.${op}.${safePart(sourceId)}`);
}

const ALREADY_SAFE = /^[A-Za-z0-9_.-]*$/;
/** Most ids are already safe: testing is cheaper than replacing, millions of times over. */
const safePart = (value: string) => (ALREADY_SAFE.test(value) ? value : toSafeKeyPart(value));

/** `manual.${entity}.${op}.${sourceId}`, escaped like {@link changeId}. */
export function manualActionId(entity: EntityCollection, op: ChangeOp, sourceId: string): string {
  return bounded(`manual.${entity}.${op}.${safePart(sourceId)}`);
}
