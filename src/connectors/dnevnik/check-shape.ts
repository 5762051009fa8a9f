import type { z } from 'zod';
import { EjsyncError } from '../../model';

type Issue = z.core.$ZodIssue;

/**
 * The most specific issue: inside a union, the branch that got furthest into the record before
 * failing; a union of plain values (an id: number or digits) keeps its own message.
 */
function deepest(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || !issue.errors.length) return issue;
  const candidates = issue.errors
    .map((branch) => branch[0])
    .filter((i): i is Issue => i !== undefined)
    .map((i) => {
      const inner = deepest(i);
      return { ...inner, path: [...issue.path, ...inner.path] } as Issue;
    })
    .sort((a, b) => b.path.length - a.path.length);
  return candidates[0] && candidates[0].path.length > issue.path.length ? candidates[0] : issue;
}

/** `[3, 'works', 0, 'workType']` → `[3].works[0].workType`; the root → `ответ целиком`. */
export function describePath(path: readonly PropertyKey[]): string {
  if (!path.length) return 'ответ целиком';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/**
 * Checks one answer against its schema. A shape the connector does not understand is the coded
 * error `dnevnik.unexpected_shape` naming the request, the path and the field — never a
 * `TypeError` later, and never a partial read that could make the planner write twice.
 */
export function checkShape<S extends z.ZodType>(schema: S, data: unknown, request: { method: string; path: string }): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = deepest(parsed.error.issues[0]);
  const more = parsed.error.issues.length > 1 ? ` (и ещё ${parsed.error.issues.length - 1})` : '';
  throw new EjsyncError('dnevnik.unexpected_shape', {
    cause: parsed.error,
    detail: `${request.method} ${request.path.replace(/\?.*$/, '')}: поле ${describePath(issue.path)} — ${issue.message}${more}`,
  });
}
