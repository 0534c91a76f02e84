// "Did you mean…?" for citation keys: edit distance, with a shared prefix as the tie-breaker.

export function editDistance(a: string, b: string, cap = 64): number {
  if (a === b) return 0;
  const s = a.slice(0, cap);
  const t = b.slice(0, cap);
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The `limit` keys closest to `key`, nearest first. */
export function closestKeys(key: string, keys: string[], limit = 3): string[] {
  const k = key.toLowerCase();
  return keys
    .map((candidate) => ({ candidate, d: editDistance(k, candidate.toLowerCase()), p: sharedPrefix(k, candidate.toLowerCase()) }))
    .sort((x, y) => x.d - y.d || y.p - x.p || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map((x) => x.candidate);
}
