import type { Readable } from 'node:stream';

/** Whether a byte stream holds `byte` anywhere; stops reading (and closes the stream) at the first one. */
export async function containsByte(input: Readable, byte: number): Promise<boolean> {
  for await (const chunk of input) if ((chunk as Buffer).includes(byte)) return true;
  return false;
}
