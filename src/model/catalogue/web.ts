import type { CatalogueSection } from './entry';

/** Codes of the web part; filled in by that part's owner. */
export const webCodes = {} as const satisfies CatalogueSection;
