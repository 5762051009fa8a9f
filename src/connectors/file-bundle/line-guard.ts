import { EjsyncError } from '../../model';
import { formatBytes } from './input-limits';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Watches the raw bytes of a text file as they stream by, in one pass: a line longer than the
 * limit or a NUL byte stops the file with a coded error naming the line (1 = the first line, a
 * quoted cell's line breaks counted too; the caller names the file). Line breaks are `\n`, `\r\n`
 * or `\r`; their bytes are the same in UTF-8 and Windows-1251, so the guard runs before decoding.
 */
export class LineGuard {
  private current = 1;
  private lineBytes = 0;
  private afterCr = false;

  constructor(private readonly maxLineBytes: number) {}

  /** The line the bytes checked so far end in. */
  get line(): number {
    return this.current;
  }

  /** Checks the next bytes; throws `input.line_too_long` or `input.nul_byte`. */
  check(chunk: Buffer): void {
    const nul = chunk.indexOf(0);
    this.walk(chunk, nul < 0 ? chunk.length : nul);
    if (nul >= 0) throw new EjsyncError('input.nul_byte', { detail: `строка ${this.current}` });
  }

  private walk(chunk: Buffer, end: number): void {
    let lf = chunk.indexOf(LF);
    let cr = chunk.indexOf(CR);
    let pos = 0;
    while (pos < end) {
      if (lf !== -1 && lf < pos) lf = chunk.indexOf(LF, pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf(CR, pos);
      let next = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (next === -1 || next > end) next = end;
      if (next > pos) {
        this.lineBytes += next - pos;
        this.afterCr = false;
        if (this.lineBytes > this.maxLineBytes) {
          throw new EjsyncError('input.line_too_long', { detail: `строка ${this.current} длиннее ${formatBytes(this.maxLineBytes)}` });
        }
        pos = next;
        if (pos === end) break;
      }
      // A line break: `\r\n` is one.
      if (chunk[pos] === CR) this.current++;
      else if (!this.afterCr) this.current++;
      this.afterCr = chunk[pos] === CR;
      this.lineBytes = 0;
      pos++;
    }
  }
}
