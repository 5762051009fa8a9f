import iconv from 'iconv-lite';
import { escapeOutsideCharset } from '../../mappers/sedizh';

export type PackageEncoding = 'utf-8' | 'windows-1251';

/**
 * The bytes of an XML text in the package's encoding. Characters Windows-1251 lacks are character
 * references already (`escapeOutsideCharset`, applied when the package is built); this escapes any
 * left (a receipt), so nothing becomes «?».
 */
export function encodeXml(text: string, encoding: PackageEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  return iconv.encode(escapeOutsideCharset(text, encoding), 'win1251');
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
