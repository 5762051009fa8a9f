import { Readable } from 'node:stream';
import { decodeText, readCsvRows, type CsvReadOptions } from '../../../src/connectors/file-bundle';
import { LineGuard } from '../../../src/connectors/file-bundle/line-guard';
import { QuoteFreeSplitter } from '../../../src/connectors/file-bundle/quote-free-split';
import { EjsyncError } from '../../../src/model';

/** Reads CSV bytes (one chunk or many) through decoding and splitting: the rows, or the error the read stopped with. */
async function read(input: Buffer | Iterable<Buffer> | AsyncIterable<Buffer>, options: CsvReadOptions & { maxLineBytes?: number } = {}) {
  const rows: Record<string, string>[] = [];
  try {
    const text = decodeText(Readable.from(Buffer.isBuffer(input) ? [input] : input), { maxLineBytes: options.maxLineBytes });
    for await (const r of readCsvRows(text, options)) rows.push(r.values);
    return { rows, error: undefined };
  } catch (error) {
    return { rows, error: error as EjsyncError };
  }
}

describe('a line too long is refused early, whatever the path', () => {
  it.each([
    ['quote-free', true],
    ['general parser', false],
  ])('%s: an endless line stops at the limit with input.line_too_long (never held whole)', async (_name, quoteFree) => {
    let produced = 0;
    // 64 KiB chunks without a line break, forever: only a reader that refuses early can finish.
    async function* endless() {
      yield Buffer.from('id;name\n1;');
      for (;;) {
        produced += 65536;
        yield Buffer.alloc(65536, 0x61);
      }
    }
    const { error } = await read(endless(), { quoteFree, maxLineBytes: 1024 * 1024, delimiter: ';' });
    expect(error).toBeInstanceOf(EjsyncError);
    expect(error!.code).toBe('input.line_too_long');
    expect(error!.detail).toBe('строка 2 длиннее 1 МиБ');
    expect(produced).toBeLessThan(3 * 1024 * 1024);
  });

  it('the delimiter is detected from a first line that never ends: refused too', async () => {
    async function* endless() {
      for (;;) yield Buffer.alloc(65536, 0x3b);
    }
    const { error } = await read(endless(), { maxLineBytes: 256 * 1024 });
    expect(error?.code).toBe('input.line_too_long');
    expect(error?.detail).toBe('строка 1 длиннее 256 КиБ');
  });

  it('a line at the limit is read; nothing from a too long line on is', async () => {
    const at = Buffer.from(`id;name\r\n1;${'я'.repeat(49)}\r\n`); // "1;" + 98 bytes = 100 bytes
    expect((await read(at, { maxLineBytes: 100 })).rows).toEqual([{ id: '1', name: 'я'.repeat(49) }]);
    const lines = ['id;name', ...Array.from({ length: 30000 }, (_, i) => `${i};a`), `x;${'b'.repeat(200)}`, 'y;c'];
    const bytes = Buffer.from(lines.join('\r\n'));
    const { rows, error } = await read([bytes.subarray(0, 70000), bytes.subarray(70000)], { maxLineBytes: 100 });
    expect(error?.code).toBe('input.line_too_long');
    expect(error?.detail).toBe('строка 30002 длиннее 100 байт');
    // Rows of the pieces before the one with the long line are read, in order; none after it.
    expect(rows.length).toBeGreaterThan(5000);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: rows.length }, (_, i) => String(i)));
  });
});

describe('the line guard names the line of a NUL byte', () => {
  const lineOfNul = (chunks: string[]) => {
    const guard = new LineGuard(1 << 20);
    try {
      for (const c of chunks) guard.check(Buffer.from(c.replace(/@/g, '\u0000'), 'latin1'));
    } catch (error) {
      return (error as EjsyncError).code === 'input.nul_byte' ? (error as EjsyncError).detail : (error as Error).message;
    }
    return 'none';
  };

  it.each([
    ['LF', ['a\nb\nc@'], 'строка 3'],
    ['CRLF, a pair cut between chunks', ['a\r', '\nb\r\n', 'c', '@'], 'строка 3'],
    ['CR only', ['a\rb\rc\r@'], 'строка 4'],
    ['empty lines count', ['\n\n\n@'], 'строка 4'],
    ['no NUL', ['a\nb'], 'none'],
  ])('%s', (_name, chunks, expected) => {
    expect(lineOfNul(chunks)).toBe(expected);
  });

  it('a NUL in a later line of a UTF-8 file stops it at that line: input.nul_byte, the rows before are read', async () => {
    const { rows, error } = await read(Buffer.from('id;name\n1;Анна\n2;Бо\u0000рис\n3;Вера\n'), { quoteFree: true });
    expect(rows).toEqual([]);
    expect(error?.code).toBe('input.nul_byte');
    expect(error?.detail).toBe('строка 3');
    // Past the first chunk, the rows of earlier chunks have been read.
    const big = Buffer.concat([Buffer.from('id;name\n'), Buffer.from('1;a\n'.repeat(40000)), Buffer.from('2;b\u0000\n')]);
    const later = await read([big.subarray(0, 70000), big.subarray(70000)], { quoteFree: true });
    expect(later.error?.code).toBe('input.nul_byte');
    expect(later.error?.detail).toBe('строка 40002');
    expect(later.rows.length).toBeGreaterThan(10000);
  });
});

describe('the header may not be wider than the limit', () => {
  const header = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`).join(';');

  it.each([
    ['quote-free', true],
    ['general parser', false],
  ])('%s: 200 columns are read, 201 are input.too_many_columns before any row', async (_name, quoteFree) => {
    const ok = await read(Buffer.from(`${header(200)}\n${'x;'.repeat(199)}x\n`), { quoteFree });
    expect(ok.error).toBeUndefined();
    expect(ok.rows).toHaveLength(1);
    const wide = await read(Buffer.from(`${header(201)}\n${'x;'.repeat(200)}x\n`), { quoteFree });
    expect(wide.rows).toEqual([]);
    expect(wide.error?.code).toBe('input.too_many_columns');
    expect(wide.error?.detail).toBe('201, допустимо не более 200');
  });

  it('a header of a million columns is refused by the line limit first, quickly and without findings per column', async () => {
    const { error } = await read(Buffer.from(header(1_000_000)));
    expect(error?.code).toBe('input.line_too_long');
  });

  it('the column limit is an option', async () => {
    const { error } = await read(Buffer.from(`${header(5)}\n1;2;3;4;5\n`), { maxColumns: 4 });
    expect(error?.code).toBe('input.too_many_columns');
  });
});

describe('the quote-free splitter keeps a long line as pieces and joins it once', () => {
  it('a 3 MB line fed in 1 KiB pieces, cut inside CRLF and inside characters, gives the same record', () => {
    const field = 'ё'.repeat(1_500_000);
    const text = `a;b\r\n1;${field}\r\n2;x\r\n`;
    const splitter = new QuoteFreeSplitter(';');
    const records: string[][] = [];
    for (let i = 0; i < text.length; i += 1023) records.push(...splitter.push(text.slice(i, i + 1023)));
    records.push(...splitter.end());
    expect(records.map((r) => r.map((f) => f.length))).toEqual([
      [1, 1],
      [1, field.length],
      [1, 1],
    ]);
    expect(records[1][1]).toBe(field);
  });

  it('a line ending not decided until the next piece (a CR at the end of the first line)', () => {
    for (const [pieces, expected] of [
      [['a;b\r', '\n1;2\r\n'], [['a', 'b'], ['1', '2']]],
      [['a;b\r', '1;2\r'], [['a', 'b'], ['1', '2']]],
      [['a;b\r'], [['a', 'b']]],
    ] as [string[], string[][]][]) {
      const splitter = new QuoteFreeSplitter(';');
      const records = pieces.flatMap((p) => splitter.push(p));
      records.push(...splitter.end());
      expect(records).toEqual(expected);
    }
  });
});
