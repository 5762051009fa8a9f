import iconv from 'iconv-lite';

/** Characters Windows-1251 can carry (decoded from its 256 bytes). */
const CP1251 = new Set(iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'win1251'));

/**
 * The XML text with every character the package's encoding lacks written as a numeric character
 * reference (`&#x1F600;`), which every XML reader turns back into the character: a Latin letter
 * with a diacritic or an emoji survives Windows-1251 instead of becoming «?». Applied before the
 * content hash, so the hash is over the text as it travels. UTF-8 carries everything.
 */
export function escapeOutsideCharset(text: string, encoding: 'utf-8' | 'windows-1251'): string {
  if (encoding === 'utf-8') return text;
  let out = '';
  for (const ch of text) out += CP1251.has(ch) ? ch : `&#x${ch.codePointAt(0)!.toString(16).toUpperCase()};`;
  return out;
}
