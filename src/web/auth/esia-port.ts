import type { EsiaPerson } from '../../reconcile/identity/esia-person';

/** What the web needs of ЕСИА (the real client, or a test double over the emulator). */
export interface EsiaSignInPort {
  authorizationUrl(): Promise<{ url: string; state: string }>;
  /** Finishes sign-in from the callback and reads the person (`/rs/prns/{oid}`). */
  finishSignIn(callbackUrl: URL, expectedState: string): Promise<EsiaPerson>;
  logoutUrl(): string;
}
