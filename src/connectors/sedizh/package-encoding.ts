import iconv from 'iconv-lite';

export type PackageEncoding = 'utf-8' | 'windows-1251';

/** Characters Windows-1251 can carry (decoded from its 256 bytes). */
const CP1251 = new Set(iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'win1251'));

/**
 * The bytes of an XML text in the package's encoding. In Windows-1251 a character the code page
 * lacks (a Latin letter with a diacritic in a name, an emoji in a comment) is written as a numeric
 * character reference (`&#x1F600;`), which every XML reader turns back into the character: the
 * text survives the code page instead of becoming «?».
 */
export function encodeXml(text: string, encoding: PackageEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  let out = '';
  for (const ch of text) out += CP1251.has(ch) ? ch : `&#x${ch.codePointAt(0)!.toString(16).toUpperCase()};`;
  return iconv.encode(out, 'win1251');
}

/** The encoding an XML document declares (`<?xml … encoding="windows-1251"?>`), UTF-8 when none. */
export function declaredEncoding(bytes: Buffer): PackageEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  const head = bytes.subarray(0, 200).toString('latin1');
  const m = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  const name = m?.[1].toLowerCase().replace(/[^a-z0-9]/g, '');
  return name === 'windows1251' || name === 'cp1251' || name === 'win1251' ? 'windows-1251' : 'utf-8';
}

/** The text of an XML document in the encoding it declares (a UTF-8 BOM is dropped). */
export function decodeXml(bytes: Buffer): string {
  if (declaredEncoding(bytes) === 'windows-1251') return iconv.decode(bytes, 'win1251');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
