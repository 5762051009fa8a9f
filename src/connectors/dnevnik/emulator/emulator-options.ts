import type { MarkEndpoints } from '../../../config/platform-config';
import type { IdTwins } from './wire-shapes';

/** Faults the emulator injects, each a probability per request (0–1) unless said otherwise. */
export interface EmulatorFaults {
  /** Added to every answer, ms. @defaultValue 0 */
  latencyMs?: number;
  /** `500 {"type":"apiServerError"}`. @defaultValue 0 */
  serverErrorRate?: number;
  /** `503` HTML "технические работы" page. @defaultValue 0 */
  htmlErrorRate?: number;
  /**
   * `429 apiRequestLimit` with `Retry-After`; the token then stays throttled for that long (every
   * request in the window is answered 429 too), as a per-token limit behaves. @defaultValue 0
   */
  burst429Rate?: number;
  /** The wait a burst names. The platform sends whole seconds; tests may use fractions to stay fast. @defaultValue 1 */
  retryAfterSeconds?: number;
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
  /** Where marks are written (`markEndpointsOf(config, 'emulator')`). @defaultValue `/persons/{person}/works/{work}/mark` for all three */
  markEndpoints?: MarkEndpoints;
  /**
   * Which `*_str` id twins answers carry: only those of the published models, every one (the old
   * shape), or none. Ids are 64-bit numbers beyond 2^53 either way. @defaultValue `published`
   */
  idTwins?: IdTwins;
  /** The school's mark system (`markType` of its profile): a key of `markSystems`. @defaultValue `mark5` */
  markType?: string;
  /** Every mark system the platform lists (`GET marks/values`). @defaultValue `mark5` (published) and `mark10` (assumed): `EMULATOR_MARK_SYSTEMS` */
  markSystems?: Readonly<Record<string, readonly string[]>>;
  /**
   * Whether a class's lessons, marks and log entries include its subgroups'. One published client
   * documents `edu-groups/{g}/lessons/…` as "Уроки всей учебной группы, в том числе разных
   * подгрупп"; no source says otherwise. @defaultValue true
   */
  classAnswersIncludeSubgroups?: boolean;
  /** Redirect addresses registered for the partner app. @defaultValue any loopback address (`http://127.0.0.1:…`, `http://localhost:…`), as for a native app */
  redirectUris?: readonly string[];
}
