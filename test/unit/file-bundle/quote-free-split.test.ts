import { parse } from 'csv-parse/sync';
import { QuoteFreeSplitter } from '../../../src/connectors/file-bundle/quote-free-split';

/** The general parser with the options `readCsvRows` uses: the fast path must agree with it. */
const reference = (text: string, delimiter: ';' | ',') =>
  parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: false, bom: true }) as string[][];

function split(text: string, delimiter: ';' | ',', chunkSize: number): string[][] {
  const splitter = new QuoteFreeSplitter(delimiter);
  const rows: string[][] = [];
  for (let i = 0; i < text.length; i += chunkSize) rows.push(...splitter.push(text.slice(i, i + chunkSize)));
  rows.push(...splitter.end());
  return rows;
}

/** A small deterministic PRNG so a failure replays. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('quote-free CSV splitting (the fast path of the МИС reader)', () => {
  it.each([
    ['BOM, CRLF, a last line without an ending', '\uFEFFid;name\r\np1;Иванов\r\np2;Пётр ё\r\np3;', ';'],
    ['LF with empty lines and a short row', 'a,b,c\n\n1,2,3\n4\n\n', ','],
    ['CR only; a later LF is part of a field', 'a;b\rx\ny;z\r', ';'],
    ['spaces are kept, empty fields too', ' a ; ;b\n;;\n', ';'],
  ])('%s', (_name, text, delimiter) => {
    const expected = reference(text, delimiter as ';' | ',');
    for (const size of [1, 2, 3, 7, 1000]) expect(split(text, delimiter as ';' | ',', size)).toEqual(expected);
  });

  it('agrees with csv-parse on random quote-free texts cut into random chunks', () => {
    const next = random(20261125);
    const alphabet = ['a', 'Я', 'ё', ' ', ';', ',', '\n', '\r\n', '\r', '1', '€', '\uFEFF'];
    for (let n = 0; n < 400; n++) {
      const delimiter = next() < 0.5 ? ';' : ',';
      let text = next() < 0.2 ? '\uFEFF' : '';
      const length = Math.floor(next() * 60);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const expected = reference(text, delimiter);
      expect([text, split(text, delimiter, 1 + Math.floor(next() * 9))]).toEqual([text, expected]);
    }
  });
});
