/** Faults the emulator injects, each a probability per request (0–1). */
export interface EmulatorFaults {
  /** Added to every answer, ms. @defaultValue 0 */
  latencyMs?: number;
  /** `500 {"type":"apiServerError"}`. @defaultValue 0 */
  serverErrorRate?: number;
  /** `503` HTML "технические работы" page. @defaultValue 0 */
  htmlErrorRate?: number;
  /** `429` with `Retry-After: 1`. @defaultValue 0 */
  burst429Rate?: number;
  /** Never answers (the client times out). @defaultValue 0 */
  timeoutRate?: number;
  /** Drops the connection before answering. @defaultValue 0 */
  dropRate?: number;
  /** Performs a write, then drops the connection (the client cannot know it landed). @defaultValue 0 */
  dropAfterWriteRate?: number;
}

/** Options of the Дневник.ру emulator. */
export interface DnevnikEmulatorOptions {
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** Requests per token per window before `apiRequestLimit`. @defaultValue 100 per 1000 ms */
  requestLimit?: { max: number; windowMs: number };
  faults?: EmulatorFaults;
  /** PRNG seed of the faults, so a failing test replays. @defaultValue `emulator` */
  seed?: string;
  /** Partner app the emulator accepts. @defaultValue `ejsync-emulator` / `emulator-secret` */
  clientId?: string;
  clientSecret?: string;
  /** Access-token lifetime, seconds. @defaultValue 3600 */
  tokenLifetimeSeconds?: number;
  /** Scopes the authorize page grants. @defaultValue `CommonInfo,EducationalInfo` */
  grantedScope?: string;
}
