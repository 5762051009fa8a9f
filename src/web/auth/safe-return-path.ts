/** Longest `returnTo` kept; a longer one is refused (dashboard paths are far shorter). */
export const MAX_RETURN_PATH_LENGTH = 2048;

/** Times a `returnTo` is percent-decoded while looking for what it hides; deeper is refused. */
const MAX_DECODINGS = 3;

/** Why a `returnTo` was refused (logged at debug, never the value itself). */
export type ReturnPathRefusal =
  | 'missing'
  | 'too_long'
  | 'not_ascii'
  | 'not_a_path'
  | 'protocol_relative'
  | 'backslash'
  | 'control_character'
  | 'whitespace'
  | 'slash_lookalike'
  | 'bad_encoding'
  | 'too_deeply_encoded'
  | 'other_origin';

export type ReturnPath = { path: string; refused?: undefined } | { path: '/'; refused: ReturnPathRefusal };

const HOME = '/';
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const WHITESPACE = /[\s\p{Z}]/u;
// Characters a browser or a proxy might fold into a slash or a backslash.
const SLASH_LOOKALIKE = /[\uff0f\uff3c\u2215\u2216\u2044\u29f8\u29f9\ufe68\u2f03]/u;
const PROBE_ORIGIN = 'http://ejsync.invalid';

/**
 * Where the browser may go after sign-in: `raw` itself when it is a path on this site, else `/`.
 *
 * Kept only as printable ASCII (what a browser sends, and what a `Location` header can carry)
 * starting with one `/`; and neither the value nor any of its percent-decodings (to
 * {@link MAX_DECODINGS} levels, so `%255C` is seen as `\`) may start with `//` or `/\`, hold a
 * backslash, a control character, a slash look-alike, or whitespace before its query, or leave this
 * origin when a browser resolves it. Spaces inside the query (`?q=СОШ%205`) are kept: they stay
 * encoded in the header.
 */
export function safeReturnPath(raw: unknown): ReturnPath {
  const refuse = (refused: ReturnPathRefusal): ReturnPath => ({ path: HOME, refused });
  if (typeof raw !== 'string' || raw === '') return refuse('missing');
  if (raw.length > MAX_RETURN_PATH_LENGTH) return refuse('too_long');
  if (!PRINTABLE_ASCII.test(raw)) return refuse(CONTROL.test(raw) ? 'control_character' : WHITESPACE.test(raw) ? 'whitespace' : 'not_ascii');
  let layer = raw;
  for (let decodings = 0; ; decodings++) {
    const problem = layerProblem(layer);
    if (problem) return refuse(problem);
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return refuse('bad_encoding');
    }
    if (decoded === layer) return { path: raw };
    if (decodings === MAX_DECODINGS) return refuse('too_deeply_encoded');
    layer = decoded;
  }
}

function layerProblem(value: string): ReturnPathRefusal | null {
  if (!value.startsWith('/')) return 'not_a_path';
  if (value[1] === '/' || value[1] === '\\') return 'protocol_relative';
  if (value.includes('\\')) return 'backslash';
  if (CONTROL.test(value)) return 'control_character';
  if (SLASH_LOOKALIKE.test(value)) return 'slash_lookalike';
  if (WHITESPACE.test(value.split(/[?#]/, 1)[0])) return 'whitespace';
  let resolved: URL;
  try {
    resolved = new URL(value, PROBE_ORIGIN);
  } catch {
    return 'bad_encoding';
  }
  return resolved.origin === PROBE_ORIGIN ? null : 'other_origin';
}

/** The part of a logger {@link returnPathOrHome} uses (a Fastify request's `log`). */
export interface ReturnPathLog {
  debug(details: object, message: string): void;
}

/**
 * {@link safeReturnPath}'s path; a refused value (not an absent one) is logged at debug with the
 * reason and its length only — the value may carry personal data in its query.
 */
export function returnPathOrHome(raw: unknown, log: ReturnPathLog): string {
  const { path, refused } = safeReturnPath(raw);
  if (refused && refused !== 'missing') log.debug({ refused, length: typeof raw === 'string' ? raw.length : null }, 'returnTo refused: after sign-in the browser goes to /');
  return path;
}
