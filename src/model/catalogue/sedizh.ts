import type { CatalogueSection } from './entry';

/** Codes of the sedizh part; filled in by that part's owner. */
export const sedizhCodes = {} as const satisfies CatalogueSection;
