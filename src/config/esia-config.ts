import { z } from 'zod';

const signerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('openssl'),
    /** PEM private key file (GOST R 34.10-2012, 256 bit). */
    keyFile: z.string().min(1, 'укажите путь к файлу закрытого ключа (keyFile)'),
    /** Name of the environment variable holding the key passphrase, if the key is encrypted. */
    keyPassphraseEnv: z.string().optional(),
    opensslBinary: z.string().default('openssl'),
  }),
  z.object({
    kind: z.literal('cryptopro'),
    container: z.string().min(1, 'укажите имя контейнера КриптоПро (container)'),
    passwordEnv: z.string().optional(),
    csptestBinary: z.string().optional(),
  }),
  z.object({
    kind: z.literal('remote'),
    url: z.url('укажите адрес сервиса подписи (url)'),
    tokenEnv: z.string().optional(),
  }),
]);

/** ЕСИА's test stand host (its tokens carry its own issuer, see `defaultEsiaIssuer`). */
export const ESIA_TEST_STAND_HOST = 'esia-portal1.test.gosuslugi.ru';

/**
 * The `iss` ЕСИА puts in its tokens when `esia.issuer` is not set: `http://esia.gosuslugi.ru/`
 * (production; also the test stand's tokens up to 2020), and `http://esia-portal1.test.gosuslugi.ru/`
 * for the test stand, whose published tokens carry it since 2023 (docs/platforms/esia.md).
 */
export function defaultEsiaIssuer(baseUrl: string): string {
  return new URL(baseUrl).hostname === ESIA_TEST_STAND_HOST ? `http://${ESIA_TEST_STAND_HOST}/` : 'http://esia.gosuslugi.ru/';
}

const esiaSectionSchema = z.object({
  /** ЕСИА host: `https://esia.gosuslugi.ru`, test stand `https://esia-portal1.test.gosuslugi.ru`, or the emulator. */
  baseUrl: z.url('esia.baseUrl должен быть адресом (https://esia.gosuslugi.ru)'),
  /**
   * Expected `iss` of ЕСИА tokens (http with a trailing slash).
   * @defaultValue `http://esia.gosuslugi.ru/`; `http://esia-portal1.test.gosuslugi.ru/` when baseUrl is the test stand
   */
  issuer: z.string().min(1).optional(),
  /** Mnemonic of the information system registered in ЕСИА. */
  clientId: z.string().min(1, 'укажите мнемонику системы (esia.clientId)'),
  redirectUri: z.url('esia.redirectUri должен быть полным адресом возврата'),
  /** @defaultValue `openid fullname birthdate snils` */
  scope: z.string().default('openid fullname birthdate snils'),
  /** @defaultValue empty */
  scopeOrg: z.string().default(''),
  /** @defaultValue `online` */
  accessType: z.enum(['online', 'offline']).default('online'),
  /** PEM certificate of the information system (its Streebog hash goes into every request). */
  certificateFile: z.string().min(1, 'укажите путь к сертификату системы (esia.certificateFile)'),
  signer: signerSchema,
  /**
   * ЕСИА's keys that verify its tokens (RS256 or GOST R 34.10-2012), two or more at once during a
   * rotation: certificates as PEM or DER (as in ЕСИА's esia.zip), bare public keys as PEM, or JWK.
   * An entry that cannot be read is reported and skipped; `ejsync esia check` lists each.
   */
  verificationCertificateFiles: z.array(z.string()).min(1, 'укажите хотя бы один сертификат ЕСИА для проверки маркеров'),
  /** Zone for the `timestamp` parameter. @defaultValue `Europe/Moscow` */
  timeZone: z.string().default('Europe/Moscow'),
  /** Allowed clock difference when checking tokens, seconds. @defaultValue 60 */
  clockToleranceSeconds: z.number().int().min(0).max(600).default(60),
  /** Where ЕСИА's logout sends the browser back. */
  logoutRedirectUri: z.url().optional(),
});

/** The `esia` section of ejsync's configuration. */
export const esiaConfigSchema = esiaSectionSchema.transform((c) => ({ ...c, issuer: c.issuer ?? defaultEsiaIssuer(c.baseUrl) }));
export type EsiaConfig = z.infer<typeof esiaConfigSchema>;
export type EsiaSignerConfig = z.infer<typeof signerSchema>;
