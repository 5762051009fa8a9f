import { z } from 'zod';

/**
 * An opaque identifier from the system of record (МИС, platform). Always a string:
 * Дневник.ру ids are 64-bit and must never pass through a JS number.
 */
export const sourceIdSchema = z
  .string()
  .trim()
  .min(1, 'идентификатор не может быть пустым')
  .max(200, 'идентификатор длиннее 200 символов');

export type SourceId = z.infer<typeof sourceIdSchema>;

/** Job ids and Redis keys must not contain ':' (BullMQ 6): escape anything outside a safe set. */
export function toSafeKeyPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, (ch) => `~${ch.codePointAt(0)!.toString(16)}~`);
}
