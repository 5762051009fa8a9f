import { DEFAULT_MARK_ENDPOINTS, type MarkEndpoints, type MarkPathPlaceholder } from '../../config/platform-config';
import { EjsyncError } from '../../model';

export type { MarkEndpoint, MarkEndpoints } from '../../config/platform-config';

/** The built-in mark endpoints (`/persons/{person}/works/{work}/mark`), as the config defaults them. */
export const defaultMarkEndpoints = (): MarkEndpoints => ({
  create: { ...DEFAULT_MARK_ENDPOINTS.create },
  update: { ...DEFAULT_MARK_ENDPOINTS.update },
  delete: { ...DEFAULT_MARK_ENDPOINTS.delete },
});

/**
 * `/persons/{person}/works/{work}/mark` + ids → `/persons/1000…1/works/1000…2/mark`. Every
 * value is URL-encoded; a placeholder without a value is an error, never an empty segment.
 */
export function expandPath(template: string, values: Partial<Record<MarkPathPlaceholder, string | undefined>>): string {
  return template.replace(/\{([^{}]*)\}/g, (_all, name: string) => {
    const value = (values as Record<string, string | undefined>)[name];
    if (value === undefined || value === '') throw new EjsyncError('dnevnik.parameter_invalid', { detail: `в адресе «${template}» нечем заменить {${name}}` });
    return encodeURIComponent(value);
  });
}

/** `/persons/{person}/works/{work}/mark` → `/persons/:person/works/:work/mark` (fastify routes of the emulator). */
export function routePattern(template: string): string {
  return template.replace(/\{([^{}]*)\}/g, (_all, name: string) => `:${name}`);
}
