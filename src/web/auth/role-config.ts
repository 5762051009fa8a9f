import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../../config/format-issues';
import { EjsyncError, esiaOidSchema } from '../../model';
import type { RoleAssignment, Store } from '../../store';

const schoolsSchema = z.array(z.string().trim().min(1)).min(1, 'укажите хотя бы одну школу (schools)');

/**
 * The roles file: who may use ejsync, by ЕСИА oid. The regional operator sees and acts on every
 * school; a school administrator and a viewer only on the schools listed (school source ids, as
 * in the link configs). Example:
 *
 * ```json
 * { "assignments": [
 *   { "oid": "1000100001", "role": "operator" },
 *   { "oid": "1000100002", "role": "school_admin", "schools": ["school-1"] },
 *   { "oid": "1000100003", "role": "viewer", "schools": ["school-1", "school-2"] } ] }
 * ```
 */
export const rolesFileSchema = z.object({
  assignments: z.array(
    z.discriminatedUnion('role', [
      z.object({ oid: esiaOidSchema, role: z.literal('operator') }).strict(),
      z.object({ oid: esiaOidSchema, role: z.literal('school_admin'), schools: schoolsSchema }).strict(),
      z.object({ oid: esiaOidSchema, role: z.literal('viewer'), schools: schoolsSchema }).strict(),
    ]),
  ),
});
export type RolesFile = z.infer<typeof rolesFileSchema>;

/** Where the roles file is: `EJSYNC_ROLES`, else `<EJSYNC_HOME>/roles.json`. */
export function rolesFilePath(home: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.EJSYNC_ROLES ? path.resolve(env.EJSYNC_ROLES) : path.join(home, 'roles.json');
}

/** One assignment per role and school. */
export function assignmentsOf(file: RolesFile): RoleAssignment[] {
  return file.assignments.flatMap((a): RoleAssignment[] => (a.role === 'operator' ? [{ oid: a.oid, role: a.role, schoolId: null }] : a.schools.map((schoolId) => ({ oid: a.oid, role: a.role, schoolId }))));
}

/**
 * Reads and validates the roles file; null when there is none (then the stored assignments are
 * left as they are). A malformed file throws `config.invalid` naming the field.
 */
export async function loadRolesFile(file: string): Promise<RoleAssignment[] | null> {
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new EjsyncError('config.invalid', { cause, detail: `${file}: файл не является корректным JSON` });
  }
  const parsed = rolesFileSchema.safeParse(raw);
  if (!parsed.success) throw new EjsyncError('config.invalid', { detail: `${file}: ${formatIssues(parsed.error)}` });
  return assignmentsOf(parsed.data);
}

/**
 * Applies the roles file at start-up (`ejsync serve`): the assignments made by configuration
 * become exactly the file's; those an operator made stay. Every change is audited. Returns what
 * changed, or null when there is no roles file.
 */
export async function applyRolesFile(store: Pick<Store, 'access'>, file: string): Promise<{ added: RoleAssignment[]; removed: RoleAssignment[] } | null> {
  const assignments = await loadRolesFile(file);
  if (!assignments) return null;
  return store.access.syncConfigured(assignments);
}
