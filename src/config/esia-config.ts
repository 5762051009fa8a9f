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

/** The `esia` section of ejsync's configuration. */
export const esiaConfigSchema = z.object({
  /** ЕСИА host: `https://esia.gosuslugi.ru`, test stand `https://esia-portal1.test.gosuslugi.ru`, or the emulator. */
  baseUrl: z.url('esia.baseUrl должен быть адресом (https://esia.gosuslugi.ru)'),
  /** Expected `iss` of ЕСИА tokens (http with a trailing slash). @defaultValue `http://esia.gosuslugi.ru/` */
  issuer: z.string().default('http://esia.gosuslugi.ru/'),
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
  /** ЕСИА's own certificates that sign its tokens (RS256 or GOST); two at once during rotation. */
  verificationCertificateFiles: z.array(z.string()).min(1, 'укажите хотя бы один сертификат ЕСИА для проверки маркеров'),
  /** Zone for the `timestamp` parameter. @defaultValue `Europe/Moscow` */
  timeZone: z.string().default('Europe/Moscow'),
  /** Allowed clock difference when checking tokens, seconds. @defaultValue 60 */
  clockToleranceSeconds: z.number().int().min(0).max(600).default(60),
  /** Where ЕСИА's logout sends the browser back. */
  logoutRedirectUri: z.url().optional(),
});
export type EsiaConfig = z.infer<typeof esiaConfigSchema>;
export type EsiaSignerConfig = z.infer<typeof signerSchema>;
