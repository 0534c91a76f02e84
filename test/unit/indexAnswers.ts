// What an index answers (sources, actors, support, search, claims), to compare indexes built in
// different ways: from a cache, on worker threads, or by parsing every source here.
import type { ClaimIndex } from '../../src/core/claimIndex';

/** As JSON: the cache stores JSON, where a field that is undefined is absent. */
export const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** What the index answers, for comparing a warm index with a cold one. */
export function answers(index: ClaimIndex): unknown {
  const sentences = ['Russia deployed troops in 2012', 'Uzbekistan left the CSTO', 'The gas pipeline cost $230 million', 'NATO said the base would close'];
  const keys = index.keys();
  const someClaims = index.allSources().flatMap((s) => s.claims.filter((_, i) => i % 7 === 0)).map((c) => c.id);
  return asJson({
    count: index.claimCount,
    sources: index.allSources(),
    actors: index.actors(),
    byActor: index.actors().slice(0, 5).map((a) => index.claimsByActor(a.name).map((c) => c.id)),
    support: sentences.map((s) => index.bestSupport(s, { limit: 5 })),
    cited: sentences.map((s, i) => index.bestSupport(s, { keys: [keys[i], keys[i + 1]], limit: 3 })),
    claims: someClaims.map((id) => [index.claim(id)?.text, index.claimTerms(id)]),
    search: ['troops', 'Karimov gas', 'csto withdr', keys[1]].map((q) => index.search(q, 10).map((r) => [r.claim.id, r.score])),
  });
}
