import type { EsiaSignInPort } from '../web/auth/esia-port';

/**
 * An ЕСИА port bound after the server listens: the redirect URI contains the port, and the
 * ЕСИА emulator registers it, so the real port is made only then.
 */
export class DeferredEsiaPort implements EsiaSignInPort {
  private inner: EsiaSignInPort | null = null;

  bind(port: EsiaSignInPort): void {
    this.inner = port;
  }

  private get port(): EsiaSignInPort {
    if (!this.inner) throw new Error('вход через ЕСИА ещё не готов: повторите через несколько секунд');
    return this.inner;
  }

  authorizationUrl() {
    return this.port.authorizationUrl();
  }

  finishSignIn(callbackUrl: URL, expectedState: string) {
    return this.port.finishSignIn(callbackUrl, expectedState);
  }

  logoutUrl() {
    return this.port.logoutUrl();
  }
}
