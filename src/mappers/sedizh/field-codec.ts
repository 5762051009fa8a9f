import type { FieldSpec, PackageMapping } from './package-mapping';

/** Why a value could not be written or read; the caller turns it into a coded finding. */
export interface CodecProblem {
  kind: 'unmapped' | 'invalid';
  detail: string;
}

export type Encoded = { ok: true; text: string | undefined } | { ok: false; problem: CodecProblem };
export type Decoded = { ok: true; value: unknown } | { ok: false; problem: CodecProblem };

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const RU = /^(\d{2})\.(\d{2})\.(\d{4})$/;

function dateToText(iso: string, format: PackageMapping['dateFormat']): string | null {
  const m = ISO.exec(iso);
  if (!m) return null;
  return format === 'DD.MM.YYYY' ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

function textToDate(text: string, format: PackageMapping['dateFormat']): string | null {
  if (format === 'DD.MM.YYYY') {
    const m = RU.exec(text);
    return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
  }
  return ISO.test(text) ? text : null;
}

/**
 * A canonical value as the text the package carries, or a problem (a value the value map does
 * not list, a value of the wrong kind). `undefined` text means "no value": nothing is written.
 */
export function encodeField(field: string, spec: FieldSpec, value: unknown, mapping: PackageMapping): Encoded {
  if (value === undefined || value === null || value === '') return { ok: true, text: undefined };
  const type = spec.type ?? 'string';
  let text: string;
  switch (type) {
    case 'int':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (type === 'int' && !Number.isInteger(value))) return { ok: false, problem: { kind: 'invalid', detail: `${field}: ожидается ${type === 'int' ? 'целое ' : ''}число` } };
      text = String(value);
      break;
    case 'bool':
      if (typeof value !== 'boolean') return { ok: false, problem: { kind: 'invalid', detail: `${field}: ожидается да/нет` } };
      text = value ? 'true' : 'false';
      break;
    case 'date': {
      const d = typeof value === 'string' ? dateToText(value, mapping.dateFormat) : null;
      if (d === null) return { ok: false, problem: { kind: 'invalid', detail: `${field}: ожидается дата ГГГГ-ММ-ДД` } };
      text = d;
      break;
    }
    case 'intList':
      if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v))) return { ok: false, problem: { kind: 'invalid', detail: `${field}: ожидается список целых чисел` } };
      if (value.length === 0) return { ok: true, text: undefined };
      text = value.join(' ');
      break;
    default:
      text = String(value);
  }
  if (spec.map) {
    const map = mapping.valueMaps[spec.map];
    const mapped = map?.[text];
    if (mapped === undefined) return { ok: false, problem: { kind: 'unmapped', detail: `${field}: значение «${text}» нет в таблице ${spec.map}` } };
    text = mapped;
  }
  return { ok: true, text };
}

/** The canonical value of a field's text (the reverse of {@link encodeField}). */
export function decodeField(field: string, spec: FieldSpec, raw: string | undefined, mapping: PackageMapping): Decoded {
  if (raw === undefined) return { ok: true, value: undefined };
  let text = raw.trim();
  if (text === '') return { ok: true, value: undefined };
  if (spec.map) {
    const map = mapping.valueMaps[spec.map] ?? {};
    const canonical = Object.keys(map).find((k) => map[k] === text);
    if (canonical === undefined) return { ok: false, problem: { kind: 'unmapped', detail: `${field}: значение платформы «${text}» нет в таблице ${spec.map}` } };
    text = canonical;
  }
  switch (spec.type ?? 'string') {
    case 'int':
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n)) || !/^-?\d+(\.\d+)?$/.test(text)) return { ok: false, problem: { kind: 'invalid', detail: `${field}: «${text}» — не число` } };
      return { ok: true, value: n };
    }
    case 'bool':
      if (text === 'true' || text === '1') return { ok: true, value: true };
      if (text === 'false' || text === '0') return { ok: true, value: false };
      return { ok: false, problem: { kind: 'invalid', detail: `${field}: «${text}» — ожидается true или false` } };
    case 'date': {
      const d = textToDate(text, mapping.dateFormat);
      if (d === null) return { ok: false, problem: { kind: 'invalid', detail: `${field}: «${text}» — дата не в формате ${mapping.dateFormat}` } };
      return { ok: true, value: d };
    }
    case 'intList': {
      const parts = text.split(/\s+/);
      if (!parts.every((p) => /^-?\d+$/.test(p))) return { ok: false, problem: { kind: 'invalid', detail: `${field}: «${text}» — ожидается список целых чисел через пробел` } };
      return { ok: true, value: parts.map(Number) };
    }
    default:
      return { ok: true, value: text };
  }
}
