import type { CatalogueEntryDef, Severity } from './entry';
import { inputCodes } from './input';
import { misCodes } from './mis';
import { onerosterCodes } from './oneroster';
import { sanityCodes } from './sanity';
import { runCodes } from './run';
import { configCodes } from './config';
import { dnevnikCodes } from './dnevnik';
import { esiaCodes } from './esia';
import { deliveryCodes } from './delivery';
import { webCodes } from './web';
import { storeCodes } from './store';
import { sedizhCodes } from './sedizh';
import { intakeCodes } from './intake';

export type { CatalogueEntryDef, Severity } from './entry';

/**
 * The one catalogue of error and finding codes. Each section lives in its own file; the union
 * of their keys is the `ErrorCode` type, so an unknown code does not compile.
 */
export const CATALOGUE = {
  ...inputCodes,
  ...misCodes,
  ...onerosterCodes,
  ...sanityCodes,
  ...runCodes,
  ...configCodes,
  ...dnevnikCodes,
  ...esiaCodes,
  ...deliveryCodes,
  ...webCodes,
  ...storeCodes,
  ...sedizhCodes,
  ...intakeCodes,
} as const;

export type ErrorCode = keyof typeof CATALOGUE;

export interface CatalogueEntry extends CatalogueEntryDef {
  code: ErrorCode;
}

export function catalogueEntry(code: ErrorCode): CatalogueEntry {
  const def: CatalogueEntryDef | undefined = (CATALOGUE as Record<string, CatalogueEntryDef>)[code];
  if (!def) throw new RangeError(`unknown error code: ${code}`);
  return { code, ...def };
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, value);
}

export function allCodes(): ErrorCode[] {
  return Object.keys(CATALOGUE) as ErrorCode[];
}

export type { Severity as FindingSeverity };
