/** A child as ЕСИА lists them for a parent (`/rs/prns/{oid}/kids`). Held in memory only. */
export interface EsiaKid {
  lastName: string;
  firstName: string;
  middleName?: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  snils?: string;
}

/** The person ЕСИА says signed in (from `/rs/prns/{oid}`). Held in memory only, never stored. */
export interface EsiaPerson {
  oid: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  snils?: string;
  /** ЕСИА's confirmed-account flag. */
  trusted: boolean;
  /**
   * The person's children in ЕСИА, when the sign-in was granted a `kid_*` scope and ЕСИА
   * answered; absent when they were not read (then guardian links are not cross-checked).
   */
  kids?: EsiaKid[];
}
