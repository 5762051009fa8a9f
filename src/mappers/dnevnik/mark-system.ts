import { normalizeMarkValue } from '../../model';
import { invert, type DnevnikValueMaps } from './value-maps';

/**
 * A school's mark system as Дневник.ру lists it: its name (a key of `GET marks/values`, the
 * school's `markType`) and every value a mark in it may take (`GET marks/values/type/{type}`; for
 * `mark5` the published example is `1-, 1, 1+, … 5-, 5, 5+`).
 */
export interface MarkSystem {
  type: string;
  values: readonly string[];
}

const NUMERIC = /^(\d+)(?:[.,]\d+)?[+-]?$/;
const FIVE_POINT_MARK = /^[1-5][+-]?$/;

const fold = (v: string) => v.trim().toLocaleLowerCase('ru-RU');

/** A system whose numeric values all lie in 1–5: the canonical five-point marks mean the same in it. */
export function isFivePointSystem(system: MarkSystem): boolean {
  const numbers = system.values.map((v) => NUMERIC.exec(v.trim())).filter((m): m is RegExpExecArray => m !== null);
  return numbers.length > 0 && numbers.every((m) => Number(m[1]) >= 1 && Number(m[1]) <= 5);
}

/** The school's own table for its system (`markSystemValues`), found by the system's name in any case. */
function systemTable(system: MarkSystem, maps: DnevnikValueMaps): Record<string, string> | undefined {
  const tables = maps.markSystemValues ?? {};
  const key = Object.keys(tables).find((k) => fold(k) === fold(system.type));
  return key === undefined ? undefined : tables[key];
}

/** What a canonical mark becomes in a system: the system's own value, or why it cannot be held. */
export type MarkInSystem = { ok: true; value: string } | { ok: false; why: string };

/**
 * A canonical mark (`4-`, `зач`) as the school's mark system holds it. The school's table for its
 * system (`markSystemValues`) comes first; else a five-point mark stays as it is, but only in a
 * five-point system (in a ten-point one `5` would mean something else), and a non-numeric one goes
 * through `markValues`. The result must be one of the system's values (compared in any case, the
 * system's spelling is sent). Pure: the caller makes the finding.
 */
export function markInSystem(value: string, system: MarkSystem | null, maps: DnevnikValueMaps): MarkInSystem {
  if (!system) return { ok: false, why: 'система оценок школы в Дневник.ру не прочитана' };
  const own = systemTable(system, maps)?.[value];
  const candidate = own ?? (FIVE_POINT_MARK.test(value) ? (isFivePointSystem(system) ? value : undefined) : maps.markValues[value]);
  const shown = system.values.length > 20 ? `${system.values.slice(0, 20).join(', ')}, …` : system.values.join(', ');
  if (candidate === undefined) {
    const why = FIVE_POINT_MARK.test(value)
      ? `пятибалльная отметка «${value}» не переводится в систему «${system.type}» сама (допустимо: ${shown}); перевод задаётся в markSystemValues.${system.type}`
      : `для отметки «${value}» нет соответствия (markValues или markSystemValues.${system.type})`;
    return { ok: false, why };
  }
  const held = system.values.find((v) => fold(v) === fold(candidate));
  if (held === undefined) return { ok: false, why: `значения «${candidate}» нет в системе оценок школы «${system.type}» (допустимо: ${shown})` };
  return { ok: true, value: held };
}

/**
 * A platform mark value as a canonical one, read in the school's system: the school's table
 * inverted first; numbers are five-point marks only in a five-point system (or when the system is
 * unknown); other values through `markValues`. Null when nothing maps (a `7` of a ten-point school
 * without a table).
 */
export function markFromSystem(value: string, system: MarkSystem | null, maps: DnevnikValueMaps): string | null {
  const own = system ? systemTable(system, maps) : undefined;
  const viaOwn = own ? invert(own).get(fold(value)) : undefined;
  if (viaOwn !== undefined) return viaOwn;
  const numeric = NUMERIC.test(value.trim());
  if (numeric && system && !isFivePointSystem(system)) return null;
  return invert(maps.markValues).get(fold(value)) ?? normalizeMarkValue(value);
}
