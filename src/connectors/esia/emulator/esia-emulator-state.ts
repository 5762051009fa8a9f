/** A person the ЕСИА emulator can sign in (test data, generated or configured). */
export interface EmulatedPerson {
  oid: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  gender: 'M' | 'F';
  /** 11 digits. */
  snils?: string;
  /** Confirmed account (`trusted`). Unconfirmed accounts are refused with ESIA-007055. */
  trusted: boolean;
  email?: string;
  mobile?: string;
  /** oids of children (for parents). */
  kids?: string[];
}

/** An information system registered in the emulated ЕСИА. */
export interface RegisteredSystem {
  clientId: string;
  /** PEM of the system's GOST certificate: its hash and signatures are checked. */
  certificatePem: string;
  redirectUris: string[];
  /**
   * Let unconfirmed (simplified / standard) accounts sign in, as ЕСИА does for a system that does
   * not require confirmed ones; the ID token then says `is_tru: false`.
   * @defaultValue false (unconfirmed accounts are refused with ESIA-007055)
   */
  allowUnconfirmed?: boolean;
}

export interface IssuedCode {
  clientId: string;
  oid: string;
  scope: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}
