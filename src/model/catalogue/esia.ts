import type { CatalogueSection } from './entry';

/** Codes of the esia part; filled in by that part's owner. */
export const esiaCodes = {} as const satisfies CatalogueSection;
