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

  it('returns only live claims, and still agrees, after sources were replaced past a compaction', () => {
    const churned = buildIndex(corpus.sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) }))).index;
    // Replace every source five times over with its text under other paths: the old copies become
    // dead slots, 25,000 of them, and the index compacts them away.
    for (let round = 0; round < 5; round++) {
      for (const s of corpus.sources) churned.remove(round === 0 ? s.path : `/r${round - 1}${s.path}`);
      for (const s of corpus.sources) churned.upsert(buildIndex([{ path: `/r${round}${s.path}`, bytes: Buffer.from(s.text) }]).index.allSources()[0]);
      churned.search('Moscow');
    }
    // In the order they were indexed, so that fuse.js breaks ties alike on both sides.
    const live = corpus.sources.flatMap((s) => churned.sourceByPath(`/r4${s.path}`)?.claims ?? []);
    assert.equal(live.length, churned.claimCount);
    const liveIds = new Set(live.map((c) => c.id));
    const plainChurned = new Fuse(live, FUSE_OPTIONS);
    const overlaps: number[] = [];
    for (const q of ['Uzbekistan', 'troops', 'gas pipeline', 'Kazakh', 'sanctions against']) {
      const ours = churned.search(q, 10).map((r) => r.claim.id);
      assert.ok(ours.every((id) => liveIds.has(id)), `a removed claim came back for ${q}`);
      const theirs = plainChurned.search(q, { limit: 10 }).map((r) => r.item.id);
      if (theirs.length) overlaps.push(ours.filter((id) => theirs.includes(id)).length / theirs.length);
    }
    const mean = overlaps.reduce((a, b) => a + b, 0) / overlaps.length;
    assert.ok(mean >= 0.8, `mean top-10 overlap ${mean.toFixed(2)} after churn`);
  });

  it('gives the same results when prepareSearch built its index in steps, and live ones with updates between them', () => {
    const files = corpus.sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) }));
    const queries = ['Moscow base', 'troops withdrew', 'Kazakh', 'sanctions', 'pipeline gas', 'per cent'];
    const stepped = buildIndex(files).index;
    let steps = 0;
    while (!stepped.prepareSearch(700)) steps++;
    assert.ok(steps >= 5, `${steps} steps`);
    assert.ok(stepped.prepareSearch(1), 'complete once built');
    for (const q of queries) {
      assert.deepEqual(stepped.search(q, 10).map((r) => [r.claim.id, r.score]), index.search(q, 10).map((r) => [r.claim.id, r.score]), q);
    }
    // A source removed and one replaced while the steps run: removed claims stay out, and the
    // ranking still agrees with plain fuse.js over the live claims.
    const updated = buildIndex(files).index;
    for (let k = 0; !updated.prepareSearch(700); k++) {
      if (k === 1) updated.remove(corpus.sources[3].path);
      if (k === 2) updated.upsert(buildIndex([files[7]]).index.allSources()[0]);
    }
    const live = updated.allSources().flatMap((s) => s.claims);
    const liveIds = new Set(live.map((c) => c.id));
    // fuse.js breaks ties by order: the claims in slot order (the replaced source last).
    const ordered = corpus.sources.map((s) => s.path).filter((p) => p !== corpus.sources[3].path && p !== files[7].path).concat(files[7].path)
      .flatMap((p) => updated.sourceByPath(p)?.claims ?? []);
    assert.equal(ordered.length, liveIds.size);
    const plainUpdated = new Fuse(ordered, FUSE_OPTIONS);
    const overlaps: number[] = [];
    for (const q of queries) {
      const ours = updated.search(q, 10).map((r) => r.claim.id);
      assert.ok(ours.every((id) => liveIds.has(id)), `a removed claim came back for ${q}`);
      const theirs = plainUpdated.search(q, { limit: 10 }).map((r) => r.item.id);
      if (theirs.length) overlaps.push(ours.filter((id) => theirs.includes(id)).length / theirs.length);
    }
    const mean = overlaps.reduce((x, y) => x + y, 0) / overlaps.length;
    assert.ok(mean >= 0.8, `mean top-10 overlap ${mean.toFixed(2)} after updates during the steps`);
  });

  it('takes hostile queries: regular-expression characters, long and non-Latin text, lone symbols', () => {
    for (const q of ['(.*)+[', '\\', '$230', 'a'.repeat(200), 'Ташкент', '東京', '   ', '--', 'NATO?*']) {
      const results = index.search(q, 10);
      assert.ok(Array.isArray(results) && results.length <= 10, q);
    }
  });
});
