import iconv from 'iconv-lite';
import { Transform, type Readable } from 'node:stream';
import { EjsyncError } from '../../model';

export type TextEncoding = 'utf-8' | 'windows-1251';

const SAMPLE_BYTES = 64 * 1024;

/**
 * Decides how a file is encoded from its first bytes: a UTF-8 BOM or valid UTF-8 → `utf-8`;
 * otherwise, if most high bytes fall in the Cyrillic range of Windows-1251 → `windows-1251`.
 * NUL bytes mean a binary file (`input.binary_file`); anything else is `input.encoding_unknown`.
 */
export function detectEncoding(sample: Buffer, fileName: string): TextEncoding {
  if (sample.includes(0)) throw new EjsyncError('input.binary_file', { detail: fileName });
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
    /* not UTF-8 */
  }
  let high = 0;
  let cyrillic = 0;
  let control = 0;
  for (const b of sample) {
    if (b >= 0x80) {
      high++;
      if (b >= 0xc0 || b === 0xa8 || b === 0xb8 || b === 0xb9) cyrillic++;
    } else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  }
  if (control === 0 && high > 0 && cyrillic / high >= 0.8) return 'windows-1251';
  if (control > 0) throw new EjsyncError('input.binary_file', { detail: fileName });
  throw new EjsyncError('input.encoding_unknown', { detail: fileName });
}

/**
 * Turns a byte stream into a UTF-8 string stream, detecting the encoding from the first 64 KiB
 * and stripping a BOM. Errors (binary, unknown encoding) surface as stream errors carrying an
 * {@link EjsyncError}. `onEncoding` reports what was detected.
 */
export function decodeText(input: Readable, fileName: string, onEncoding?: (e: TextEncoding) => void): Readable {
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
      encoding = detectEncoding(buffer.subarray(0, SAMPLE_BYTES), fileName);
    } catch (err) {
      return done(err as Error);
    }
    onEncoding?.(encoding);
    if (encoding === 'utf-8') utf8 = new TextDecoder('utf-8', { fatal: false });
    else decoder = iconv.getDecoder('windows-1251') as unknown as NodeJS.ReadWriteStream;
    emit(buffer, done);
  }

  function emit(chunk: Buffer, done: (err?: Error | null) => void) {
    let text = utf8 ? utf8.decode(chunk, { stream: true }) : (decoder as unknown as { write(b: Buffer): string }).write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text) out.push(text);
    done();
  }

  function finish(done: (err?: Error | null) => void) {
    const tail = utf8 ? utf8.decode() : ((decoder as unknown as { end(): string | undefined })?.end() ?? '');
    if (tail) out.push(tail);
    done();
  }

  input.on('error', (err) => out.destroy(err));
  return input.pipe(out);
}
