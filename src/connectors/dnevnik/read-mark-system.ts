import { isEjsyncError, makeFinding, type Finding } from '../../model';
import type { MarkSystem } from '../../mappers/dnevnik';
import type { DnevnikClient } from './dnevnik-client';
import { markValuesOfTypeSchema, markValuesSchema } from './wire-schemas';

const fold = (v: string) => v.trim().toLocaleLowerCase('ru-RU');

/**
 * The school's mark system: the type its profile names (`markType`; the configured default when
 * it names none, with a warning), its values from `GET marks/values/type/{type}`, else — when the
 * platform does not know that path or that spelling — looked up in `GET marks/values` in any case.
 * A system the platform does not list is `null` with an error finding: no mark is then written.
 * Other read failures are thrown (the read is retried, never guessed).
 */
export async function readMarkSystem(client: DnevnikClient, markType: string | null | undefined, defaultType: string): Promise<{ system: MarkSystem | null; findings: Finding[] }> {
  const findings: Finding[] = [];
  const named = markType?.trim();
  const type = named || defaultType;
  if (!named) findings.push(makeFinding('dnevnik.mark_system_unknown', { severity: 'warning', detail: `в профиле школы нет markType; принята система «${defaultType}» (defaultMarkType)` }));
  try {
    const values = await client.get(`/marks/values/type/${encodeURIComponent(type)}`, markValuesOfTypeSchema);
    if (values.length) return { system: { type, values }, findings };
  } catch (error) {
    if (!isEjsyncError(error) || !['dnevnik.not_found', 'dnevnik.method_not_supported', 'dnevnik.parameter_invalid'].includes(error.code)) throw error;
  }
  const all = await client.get('/marks/values', markValuesSchema);
  const key = Object.keys(all).find((k) => fold(k) === fold(type));
  if (key !== undefined && all[key].length) return { system: { type: key, values: all[key] }, findings };
  findings.push(makeFinding('dnevnik.mark_system_unknown', { detail: `системы «${type}» нет среди систем оценок платформы (${Object.keys(all).join(', ') || 'список пуст'}); отметки не отправляются` }));
  return { system: null, findings };
}
