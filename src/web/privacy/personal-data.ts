import { isOperator, type Principal } from '../auth/roles';

/** Fields of person records that identify a person. */
const NAME_FIELDS = new Set(['lastName', 'firstName', 'middleName', 'birthDate']);
/** Fields nobody reads on the dashboard (contacts and keys): always hidden. */
const HIDDEN_FIELDS = new Set(['snils', 'esiaOid', 'email', 'phone']);
const SNILS_TEXT = /\b\d{3}-\d{3}-\d{3}[ -]\d{2}\b|\b\d{11}\b/g;
const HIDDEN = 'скрыто';

/** `112-233-445 95` → `***-***-*** 95`: the check digits tell two records apart, nothing more. */
export function maskSnils(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 11 ? `***-***-*** ${digits.slice(9)}` : '***';
}

/** Masks every СНИЛС-looking number in a text. */
export function maskSnilsIn(text: string): string {
  return text.replace(SNILS_TEXT, (m) => maskSnils(m));
}

/**
 * What of people's data a principal reads (152-ФЗ, least data for the role): the school's own
 * staff (administrators, viewers) see names and birth dates of their school's records, because
 * they have to find the pupil in the journal; a regional operator works with codes and counts
 * and sees no names. СНИЛС is always masked; contacts and ЕСИА ids are never shown.
 */
export interface PersonalDataView {
  showNames: boolean;
  /** A field value as this person may read it. */
  field(field: string, value: unknown): unknown;
  /** A record's fields as this person may read them. */
  record<T>(record: T): T;
  /** A label/value pair of a manual action (labels are Russian field names). */
  labelled(label: string, value: string): string;
}

const NAME_LABELS = /^(Фамилия|Имя|Отчество|Дата рождения|ФИО|Ученик|Обучающийся|Сотрудник|Учитель|Законный представитель|Запись на платформе)/i;
const HIDDEN_LABELS = /^(СНИЛС|Идентификатор ЕСИА|Электронная почта|Телефон)/i;

export function personalDataView(p: Principal, schoolId?: string): PersonalDataView {
  const showNames = !isOperator(p) && (schoolId === undefined || p.schoolIds.includes(schoolId));
  const field = (name: string, value: unknown): unknown => {
    if (value === undefined || value === null) return value;
    if (name === 'snils') return maskSnils(String(value));
    if (HIDDEN_FIELDS.has(name)) return HIDDEN;
    if (NAME_FIELDS.has(name) && !showNames) return HIDDEN;
    return typeof value === 'string' ? maskSnilsIn(value) : value;
  };
  return {
    showNames,
    field,
    record<T>(record: T): T {
      if (!record || typeof record !== 'object' || Array.isArray(record)) return record;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(record as Record<string, unknown>)) out[k] = field(k, v);
      return out as T;
    },
    labelled(label, value) {
      if (/^СНИЛС/i.test(label)) return maskSnils(value);
      if (HIDDEN_LABELS.test(label)) return HIDDEN;
      if (!showNames && NAME_LABELS.test(label)) return HIDDEN;
      return maskSnilsIn(value);
    },
  };
}
