// What the user is typing at the cursor: a citation key after `@`, or a locator after `[@key, `.

export type CompletionContext =
  | { kind: 'key'; prefix: string; start: number }
  | { kind: 'locator'; key: string; prefix: string; start: number }
  | undefined;

const KEY_BEFORE_CURSOR = /(?:^|[\s[;(])-?@([\p{L}\p{N}_][\p{L}\p{N}_:.#$%&+?<>~/-]*|)$/u;
/** `[@key, ` or `[@{key}, ` (a key Pandoc reads in braces: no white space, no brace inside). */
const LOCATOR_BEFORE_CURSOR = /\[[^\]]*?-?@(?:\{([^\s{}]{1,300})\}|([\p{L}\p{N}_][\p{L}\p{N}_:.#$%&+?<>~/-]*)),\s*([^\];,]{0,20})$/u;

/** `linePrefix` is the line's text up to the cursor. Offsets are within the line. */
export function completionContextAt(linePrefix: string): CompletionContext {
  const tail = linePrefix.slice(-300);
  const shift = linePrefix.length - tail.length;
  const loc = LOCATOR_BEFORE_CURSOR.exec(tail);
  if (loc) {
    const key = loc[1] ?? loc[2].replace(/[.:]+$/, '');
    return { kind: 'locator', key, prefix: loc[3], start: shift + tail.length - loc[3].length };
  }
  const key = KEY_BEFORE_CURSOR.exec(tail);
  if (key) return { kind: 'key', prefix: key[1], start: shift + tail.length - key[1].length };
  return undefined;
}
