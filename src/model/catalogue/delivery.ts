import type { CatalogueSection } from './entry';

/** Codes of the delivery part; filled in by that part's owner. */
export const deliveryCodes = {} as const satisfies CatalogueSection;
