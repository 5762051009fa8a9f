import { parseClassName } from '../../model';

/** Russian class names (`5А`, `11 Б`, `10-а`) found anywhere in a text, normalised to `5А`. */
export function classNamesIn(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})\s*-?\s*([А-ЯЁа-яё])(?![А-ЯЁа-яё])/g)) {
    const parsed = parseClassName(`${m[1]}${m[2]}`);
    if (parsed) out.push(`${parsed.grade}${parsed.letter}`);
  }
  return [...new Set(out)];
}

/** Grade and letter of a homeroom class from its title, then its classCode. */
export function homeroomName(title: string, classCode: string | undefined): { grade: number; letter: string } | null {
  return parseClassName(title) ?? (classCode ? parseClassName(classCode) : null);
}
