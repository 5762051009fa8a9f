const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x7b, 0x5b]);
const CLOSERS = new Set([0x7d, 0x5d]);

/**
 * How deeply arrays and objects nest in a JSON text (a bare value is 0, `{}` is 1), found in one
 * pass without parsing and without recursion; stops as soon as the depth passes `stopAbove`. A
 * value nested 100,000 deep parses, but every recursive walk over it (`JSON.stringify`, a join)
 * then overflows the stack: it is refused before `JSON.parse`. Malformed text gives some number:
 * the parser reports what is wrong with it.
 */
export function jsonNestingDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return max;
    } else if (OPENERS.has(c)) {
      if (++depth > max && (max = depth) > stopAbove) return max;
    } else if (CLOSERS.has(c)) depth--;
  }
  return max;
}

/** Where the string opened at `open` is closed (-1 when it is not): the next quote after an even run of backslashes. */
function stringEnd(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let k = quote - 1; k > open && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
