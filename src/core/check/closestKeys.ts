// "Did you mean…?" for citation keys: edit distance, with a shared prefix as the tie-breaker.

/** Keys are compared on their first CAP characters (a key of thousands of characters is not worth a quadratic comparison). */
const CAP = 64;

/** One row of the distance table and the one before it, kept between calls (CAP + 1 cells each suffice for closestKeys). */
let rowA = new Int32Array(CAP + 1);
let rowB = new Int32Array(CAP + 1);

/**
 * The edit distance of `s` and `t` when it is at most `bound`; otherwise some number above
 * `bound` (the table stops at the first row whose every cell is past it: cells only grow
 * along a path).
 */
function boundedDistance(s: string, t: string, bound: number): number {
  if (s === t) return 0;
  if (Math.abs(s.length - t.length) > bound) return bound + 1;
  if (rowA.length <= t.length) {
    rowA = new Int32Array(t.length + 1);
    rowB = new Int32Array(t.length + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let least = i;
    const c = s.charCodeAt(i - 1);
    for (let j = 1; j <= t.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (c === t.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < least) least = v;
    }
    if (least > bound) return bound + 1;
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  return prev[t.length];
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

interface Near {
  candidate: string;
  d: number;
  p: number;
}

const nearer = (x: Near, y: Near): number => x.d - y.d || y.p - x.p || x.candidate.localeCompare(y.candidate);

/**
 * The `limit` keys closest to `key`, nearest first (ties: the longer shared prefix, then the
 * key's order). Once `limit` keys are kept, a key is compared only as far as it could still be
 * as near as the farthest of them: the list is that of sorting every key by distance, without
 * the whole distance of every key (an unknown key is compared with every source's).
 */
export function closestKeys(key: string, keys: readonly string[], limit = 3): string[] {
  if (limit <= 0) return [];
  const lowerKey = key.toLowerCase();
  const k = lowerKey.slice(0, CAP);
  const kept: Near[] = [];
  for (const candidate of keys) {
    const lower = candidate.toLowerCase();
    const bound = kept.length === limit ? kept[limit - 1].d : Infinity;
    const d = boundedDistance(k, lower.slice(0, CAP), bound);
    if (d > bound) continue;
    const near: Near = { candidate, d, p: sharedPrefix(lowerKey, lower) };
    let i = kept.length;
    while (i > 0 && nearer(kept[i - 1], near) > 0) i--;
    if (i >= limit) continue;
    kept.splice(i, 0, near);
    if (kept.length > limit) kept.pop();
  }
  return kept.map((x) => x.candidate);
}
