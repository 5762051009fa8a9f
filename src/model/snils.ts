import { z } from 'zod';

/**
 * СНИЛС checksum (ПФР rules): the first nine digits weighted 9…1; sum < 100 → sum,
 * 100 or 101 → 00, otherwise sum mod 101 (and 100 → 00). The check applies to numbers above 001-001-998.
 */
export function isValidSnils(value: string): boolean {
  const digits = normalizeSnils(value);
  if (!digits) return false;
  const body = digits.slice(0, 9);
  const check = Number(digits.slice(9));
  if (Number(body) <= 1001998) return true;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let expected: number;
  if (sum < 100) expected = sum;
  else if (sum === 100 || sum === 101) expected = 0;
  else {
    expected = sum % 101;
    if (expected === 100) expected = 0;
  }
  return expected === check;
}

/** Digits only (`112-233-445 95` → `11223344595`), or null when it is not 11 digits. */
export function normalizeSnils(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{11}$/.test(digits) ? digits : null;
}

/** `11223344595` → `112-233-445 95`. */
export function formatSnils(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9)}`;
}

/** `112-233-445 95` → `***-***-445 95`: what a screen shows to a role that does not need the number. */
export function maskSnils(value: string): string {
  const digits = normalizeSnils(value);
  if (!digits) return '***';
  return `***-***-${digits.slice(6, 9)} ${digits.slice(9)}`;
}

/** Computes the control number for nine digits (used by the demo generator). */
export function snilsWithChecksum(nineDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (9 - i);
  const check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return `${nineDigits}${String(check).padStart(2, '0')}`;
}

/** A СНИЛС in any usual spelling, normalised to 11 digits, checksum verified. */
export const snilsSchema = z
  .string()
  .transform((v, ctx) => {
    const digits = normalizeSnils(v);
    if (!digits) {
      ctx.addIssue({ code: 'custom', message: 'СНИЛС должен состоять из 11 цифр' });
      return z.NEVER;
    }
    if (!isValidSnils(digits)) {
      ctx.addIssue({ code: 'custom', message: 'неверная контрольная сумма СНИЛС' });
      return z.NEVER;
    }
    return digits;
  });
