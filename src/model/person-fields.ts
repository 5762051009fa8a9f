import { z } from 'zod';
import { isoDateSchema } from './dates';
import { snilsSchema } from './snils';

/** A personal-name part: Cyrillic or Latin letters, hyphens, apostrophes, spaces. */
export const namePartSchema = z
  .string()
  .trim()
  .min(1, 'не может быть пустым')
  .max(100, 'длиннее 100 символов')
  .regex(/^[\p{L}][\p{L}\p{M}' .-]*$/u, 'допустимы только буквы, дефис, апостроф и пробел');

export const sexSchema = z.enum(['male', 'female']);
export type Sex = z.infer<typeof sexSchema>;

/** ЕСИА person id (oid): digits. */
export const esiaOidSchema = z.string().regex(/^\d{1,20}$/, 'oid ЕСИА состоит из цифр');

/** Fields every person record (pupil, guardian, staff) shares. */
export const personFieldsSchema = z.object({
  lastName: namePartSchema,
  firstName: namePartSchema,
  middleName: namePartSchema.optional(),
  birthDate: isoDateSchema.optional(),
  sex: sexSchema.optional(),
  snils: snilsSchema.optional(),
  esiaOid: esiaOidSchema.optional(),
  email: z.email('неверный адрес электронной почты').optional(),
  phone: z.string().regex(/^\+?[\d ()-]{5,20}$/, 'неверный номер телефона').optional(),
});

/** `Иванов Иван Иванович`. */
export function fullName(p: { lastName: string; firstName: string; middleName?: string }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

/** `Иванов И. И.` — the short form the journals print. */
export function shortName(p: { lastName: string; firstName: string; middleName?: string }): string {
  const initials = [p.firstName, p.middleName].filter(Boolean).map((n) => `${n![0]}.`);
  return [p.lastName, initials.join(' ')].filter(Boolean).join(' ');
}

/** Normalised key for matching people by name: case-folded, `ё` → `е`, single spaces. */
export function nameKey(p: { lastName: string; firstName: string; middleName?: string }): string {
  return fullName(p).toLocaleLowerCase('ru-RU').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}
