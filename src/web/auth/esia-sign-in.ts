import type { EsiaClient } from '../../connectors/esia/esia-client';
import type { EsiaSignInPort } from './esia-port';

/** The web's ЕСИА port over the real client: sign-in, then the person from `/rs/prns`. */
export function esiaSignInPort(client: EsiaClient): EsiaSignInPort {
  return {
    authorizationUrl: () => client.authorizationUrl(),
    async finishSignIn(callbackUrl, expectedState) {
      const signIn = await client.finishSignIn(callbackUrl, expectedState);
      const person = await client.fetchPerson(signIn.accessToken, signIn.oid);
      return { ...person, trusted: signIn.trusted ?? person.trusted };
    },
    logoutUrl: () => client.logoutUrl(),
  };
}
