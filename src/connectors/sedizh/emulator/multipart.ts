/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  name?: string;
  filename?: string;
  data: Buffer;
}

/** Splits a `multipart/form-data` body (RFC 7578) into its parts; what does not parse is left out. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const chunk = body.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const split = chunk.indexOf('\r\n\r\n');
    if (split >= 0) {
      const head = chunk.subarray(0, split).toString('utf8');
      const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      parts.push({ ...(name !== undefined ? { name } : {}), ...(filename !== undefined ? { filename } : {}), data: Buffer.from(chunk.subarray(split + 4)) });
    }
    pos = next;
  }
  return parts;
}
