import iconv from 'iconv-lite';
import { Transform, type Readable } from 'node:stream';
import { EjsyncError } from '../../model';
import { guessCyrillicEncoding } from './cyrillic-encoding';
import { DEFAULT_INPUT_LIMITS } from './input-limits';
import { LineGuard } from './line-guard';

export type TextEncoding = 'utf-8' | 'windows-1251';

const SAMPLE_BYTES = 64 * 1024;

/** Byte-order marks of encodings ejsync does not read (Excel's «Текст Юникод» is UTF-16). */
const FOREIGN_BOMS: { bytes: number[]; label: string }[] = [
  { bytes: [0xff, 0xfe, 0, 0], label: 'UTF-32' },
  { bytes: [0, 0, 0xfe, 0xff], label: 'UTF-32' },
  { bytes: [0xff, 0xfe], label: 'UTF-16' },
  { bytes: [0xfe, 0xff], label: 'UTF-16' },
];

/** Where the first line of a sample ends (its length when it has no line break). */
function firstLineEnd(sample: Buffer): number {
  const lf = sample.indexOf(0x0a);
  const cr = sample.indexOf(0x0d);
  const ends = [lf, cr].filter((i) => i >= 0);
  return ends.length ? Math.min(...ends) : sample.length;
}

/**
 * Decides how a file is encoded from its first bytes: a UTF-8 BOM or (mostly) valid UTF-8 →
 * `utf-8`; text that reads as Russian in Windows-1251 → `windows-1251`. A UTF-16/32 byte-order
 * mark, or text that reads as Russian only in another Cyrillic encoding (KOI8-R, CP866, …), is
 * `input.encoding_unsupported` naming it: never decoded with a guess. A NUL byte in the first line
 * or control characters mean a binary file (`input.binary_file`); anything else is
 * `input.encoding_unknown`. (A NUL byte further on is left to the line guard, which names its line.)
 */
export function detectEncoding(sample: Buffer): TextEncoding {
  const bom = FOREIGN_BOMS.find((b) => b.bytes.every((byte, i) => sample[i] === byte));
  if (bom) throw new EjsyncError('input.encoding_unsupported', { detail: bom.label });
  const nul = sample.indexOf(0);
  if (nul >= 0 && nul <= firstLineEnd(sample)) throw new EjsyncError('input.binary_file');
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  // A sample may cut a multi-byte character at its end: drop up to 3 trailing bytes before checking.
  let end = sample.length;
  if (end === SAMPLE_BYTES) {
    let i = end - 1;
    while (i > end - 4 && i >= 0 && (sample[i] & 0xc0) === 0x80) i--;
    if (i >= 0 && sample[i] >= 0xc0) end = i;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return 'utf-8';
  } catch {
    if (mostlyUtf8(sample)) return 'utf-8';
  }
  for (const b of sample) if (b !== 0 && b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) throw new EjsyncError('input.binary_file');
  const guess = guessCyrillicEncoding(sample);
  if (guess?.encoding === 'windows-1251') return 'windows-1251';
  if (guess) throw new EjsyncError('input.encoding_unsupported', { detail: `похоже на ${guess.label}` });
  throw new EjsyncError('input.encoding_unknown');
}

/**
 * The multi-byte UTF-8 sequences of `bytes` that are well formed and those that are not, and where
 * the first bad one starts (-1: none). A sequence cut by the end of `bytes` counts as neither.
 */
function scanUtf8(bytes: Buffer): { valid: number; invalid: number; firstInvalid: number } {
  let valid = 0;
  let invalid = 0;
  let firstInvalid = -1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let k = 1;
    while (k < length && i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80) k++;
    if (length > 0 && k === length) valid++;
    else if (length === 0 || i + k < bytes.length) {
      invalid++;
      if (firstInvalid < 0) firstInvalid = i;
    }
    i += Math.max(k, 1);
  }
  return { valid, invalid, firstInvalid };
}

/**
 * UTF-8 text with a few broken bytes (or cut in the middle of a character) is still UTF-8: it is
 * decoded as such and stopped at the broken line. Windows-1251 text makes few well-formed UTF-8
 * sequences (its letters are all lead bytes), so it never passes for this.
 */
function mostlyUtf8(sample: Buffer): boolean {
  const { valid, invalid } = scanUtf8(sample);
  return invalid === 0 ? valid > 0 : valid >= 8 && valid >= 8 * invalid;
}

export interface DecodeTextOptions {
  /** Told the encoding detected. */
  onEncoding?: (e: TextEncoding) => void;
  /**
   * Bytes in one line: a longer line stops the stream with `input.line_too_long`.
   * @defaultValue `DEFAULT_INPUT_LIMITS.maxLineBytes` (1 MiB)
   */
  maxLineBytes?: number;
}

/**
 * Turns a byte stream into a UTF-8 string stream, detecting the encoding from the first 64 KiB
 * and stripping a BOM. Every byte passes a {@link LineGuard} first (a NUL byte, a line over
 * `maxLineBytes`): the stream stops there. Errors surface as stream errors carrying an
 * {@link EjsyncError}; the caller names the file in its finding.
 */
export function decodeText(input: Readable, options: DecodeTextOptions = {}): Readable {
  const guard = new LineGuard(options.maxLineBytes ?? DEFAULT_INPUT_LIMITS.maxLineBytes);
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let decoder: NodeJS.ReadWriteStream | null = null;
  let utf8: TextDecoder | null = null;
  let first = true;

  const out = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!decoder && !utf8) {
        pending.push(chunk);
        pendingLength += chunk.length;
        if (pendingLength < SAMPLE_BYTES) return done();
        return start(Buffer.concat(pending), done);
      }
      emit(chunk, done);
    },
    flush(done) {
      if (!decoder && !utf8) {
        if (pendingLength === 0) return done();
        return start(Buffer.concat(pending), (err) => (err ? done(err) : finish(done)));
      }
      finish(done);
    },
  });

  function start(buffer: Buffer, done: (err?: Error | null) => void) {
    pending = [];
    let encoding: TextEncoding;
    try {
      encoding = detectEncoding(buffer.subarray(0, SAMPLE_BYTES));
    } catch (err) {
      return done(err as Error);
    }
    options.onEncoding?.(encoding);
    if (encoding === 'utf-8') utf8 = new TextDecoder('utf-8', { fatal: true });
    else decoder = iconv.getDecoder('windows-1251') as unknown as NodeJS.ReadWriteStream;
    emit(buffer, done);
  }

  function emit(chunk: Buffer, done: (err?: Error | null) => void) {
    let text: string;
    try {
      text = decode(chunk);
      guard.check(chunk);
    } catch (err) {
      return done(err as Error);
    }
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text) out.push(text);
    done();
  }

  /** A chunk as text; bytes that are not UTF-8 in a UTF-8 file stop it at their line (`input.invalid_bytes`), never a silent `�`. */
  function decode(chunk: Buffer): string {
    if (!utf8) return (decoder as unknown as { write(b: Buffer): string }).write(chunk);
    try {
      return utf8.decode(chunk, { stream: true });
    } catch {
      guard.check(chunk.subarray(0, Math.max(0, scanUtf8(chunk).firstInvalid)));
      throw new EjsyncError('input.invalid_bytes', { detail: `строка ${guard.line}` });
    }
  }

  function finish(done: (err?: Error | null) => void) {
    let tail: string;
    try {
      tail = utf8 ? utf8.decode() : ((decoder as unknown as { end(): string | undefined })?.end() ?? '');
    } catch {
      return done(new EjsyncError('input.invalid_bytes', { detail: `строка ${guard.line}: файл обрывается посреди символа` }));
    }
    if (tail) out.push(tail);
    done();
  }

  input.on('error', (err) => out.destroy(err));
  // Stopped early (an error, a reader that has seen enough): the file is released at once.
  out.once('close', () => input.destroy());
  return input.pipe(out);
}
