import type { CatalogueSection } from './entry';

/** Codes of the store part; filled in by that part's owner. */
export const storeCodes = {} as const satisfies CatalogueSection;
