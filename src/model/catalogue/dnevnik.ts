import type { CatalogueSection } from './entry';

/** Codes of the dnevnik part; filled in by that part's owner. */
export const dnevnikCodes = {} as const satisfies CatalogueSection;
