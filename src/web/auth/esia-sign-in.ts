import type { EsiaClient } from '../../connectors/esia/esia-client';
import type { EsiaSignInPort } from './esia-port';

/**
 * The web's ЕСИА port over the real client: sign-in, then the person from `/rs/prns`, and their
 * children from `/rs/prns/{oid}/kids` when the sign-in was granted a `kid_*` scope (used to
 * cross-check guardian links; never stored).
 */
export function esiaSignInPort(client: EsiaClient): EsiaSignInPort {
  return {
    authorizationUrl: () => client.authorizationUrl(),
    async finishSignIn(callbackUrl, expectedState) {
      const signIn = await client.finishSignIn(callbackUrl, expectedState);
      const person = await client.fetchPerson(signIn.accessToken, signIn.oid);
      const kids = signIn.scopes.some((s) => s.startsWith('kid_')) ? await client.fetchKids(signIn.accessToken, signIn.oid) : null;
      return { ...person, trusted: signIn.trusted ?? person.trusted, ...(kids ? { kids } : {}) };
    },
    logoutUrl: () => client.logoutUrl(),
  };
}
