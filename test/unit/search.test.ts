// The index's fast paths must give the results of the straightforward ones: search ranks only
// candidates on a large index, and must agree with plain fuse.js over every claim.
import { strict as assert } from 'node:assert';
import Fuse from 'fuse.js';
import { generateCorpus } from '../../bench/generate';
import { FUSE_OPTIONS } from '../../src/core/claimIndex';
import { buildIndex } from '../../src/core/loader';
import type { Claim } from '../../src/core/types';

describe('ClaimIndex.search on a large index', function () {
  this.timeout(300_000);
  const corpus = generateCorpus({ claims: 5000, seed: 7 });
  const { index } = buildIndex(corpus.sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) })));
  const all: Claim[] = index.allSources().flatMap((s) => s.claims);
  const plain = new Fuse(all, FUSE_OPTIONS);

  it('uses candidates (the index is past the exact-search size)', () => {
    assert.ok(index.claimCount > 3000, `${index.claimCount} claims`);
  });

  it('agrees with plain fuse.js on the top 10 for typed queries (mean overlap ≥ 0.8)', () => {
    const queries = ['rent', 'Moscow base', 'troops withdrew', 'Kazakh', 'sanctions', 'pipeline gas', 'election', 'Uzbekistan CSTO', 'per cent', 'summit'];
    const overlaps: number[] = [];
    for (const q of queries) {
      for (let n = 3; n <= q.length; n += 2) {
        const prefix = q.slice(0, n);
        const ours = index.search(prefix, 10).map((r) => r.claim.id);
        const theirs = plain.search(prefix, { limit: 10 }).map((r) => r.item.id);
        if (theirs.length === 0) continue;
        overlaps.push(ours.filter((id) => theirs.includes(id)).length / theirs.length);
      }
    }
    const mean = overlaps.reduce((a, b) => a + b, 0) / overlaps.length;
    assert.ok(mean >= 0.8, `mean top-10 overlap ${mean.toFixed(2)} over ${overlaps.length} keystrokes`);
  });
});
