// The index's fast paths must give the results of the straightforward ones: search ranks only
// candidates on a large index, and must agree with plain fuse.js over every claim.
import { strict as assert } from 'node:assert';
import Fuse from 'fuse.js';
import { generateCorpus } from '../../bench/generate';
import { FUSE_OPTIONS, fuseClaimScorer, fuseShortlist, SEARCH_ALL_BELOW } from '../../src/core/claimIndex';
import { FusePattern } from '../../src/core/fuseScore';
import { buildIndex } from '../../src/core/loader';
import type { Claim } from '../../src/core/types';

describe('ClaimIndex.search on a large index', function () {
  this.timeout(300_000);
  const corpus = generateCorpus({ claims: 5000, seed: 7 });
  const { index } = buildIndex(corpus.sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) })));
  const all: Claim[] = index.allSources().flatMap((s) => s.claims);
  const plain = new Fuse(all, FUSE_OPTIONS);

  it('uses candidates (the index is past the exact-search size)', () => {
    assert.ok(index.claimCount > SEARCH_ALL_BELOW, `${index.claimCount} claims`);
  });

  const TYPED = ['rent', 'Moscow base', 'troops withdrew', 'Kazakh', 'sanctions', 'pipeline gas', 'election', 'Uzbekistan CSTO', 'per cent', 'summit'];
  /** Mean top-10 overlap of `search` with plain fuse.js over the typed queries' prefixes. */
  const typedOverlap = (search: (q: string) => string[], fuse: Fuse<Claim>): { mean: number; keystrokes: number } => {
    const overlaps: number[] = [];
    for (const q of TYPED) {
      for (let n = 3; n <= q.length; n += 2) {
        const prefix = q.slice(0, n);
        const ours = search(prefix);
        const theirs = fuse.search(prefix, { limit: 10 }).map((r) => r.item.id);
        if (theirs.length === 0) continue;
        overlaps.push(ours.filter((id) => theirs.includes(id)).length / theirs.length);
      }
    }
    return { mean: overlaps.reduce((a, b) => a + b, 0) / overlaps.length, keystrokes: overlaps.length };
  };

  it('agrees with plain fuse.js on the top 10 for typed queries (mean overlap ≥ 0.8)', () => {
    const { mean, keystrokes } = typedOverlap((q) => index.search(q, 10).map((r) => r.claim.id), plain);
    assert.ok(mean >= 0.8, `mean top-10 overlap ${mean.toFixed(2)} over ${keystrokes} keystrokes`);
  });

  it('agrees with plain fuse.js on a library of a thousand claims too, and is exact at the exact-search size', () => {
    const sized = (claims: number) => {
      const { sources } = generateCorpus({ claims, seed: 11 });
      const built = buildIndex(sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) }))).index;
      // In the order they were indexed, so that fuse.js breaks ties alike on both sides.
      return { index: built, claimCount: built.claimCount, claims: sources.flatMap((s) => built.sourceByPath(s.path)?.claims ?? []) };
    };
    const overlapOf = (small: ReturnType<typeof sized>) => typedOverlap((q) => small.index.search(q, 10).map((r) => r.claim.id), new Fuse(small.claims, FUSE_OPTIONS));
    const thousand = sized(1000);
    assert.ok(thousand.claimCount > SEARCH_ALL_BELOW);
    // A library of a thousand claims is searched through candidates: their index has to be built
    // (one claim of it here; search builds the rest).
    assert.equal(thousand.index.prepareSearch(1), false);
    const past = overlapOf(thousand);
    assert.ok(past.mean >= 0.8, `${thousand.claimCount} claims: mean top-10 overlap ${past.mean.toFixed(2)} over ${past.keystrokes} keystrokes`);
    // Up to the exact-search size, fuse.js over every claim: its scores, claim for claim (claims
    // of equal score may come in another order: the index holds them in an order of its own).
    const few = sized(SEARCH_ALL_BELOW - 50);
    assert.ok(few.claimCount <= SEARCH_ALL_BELOW, `${few.claimCount} claims`);
    const fuse = new Fuse(few.claims, FUSE_OPTIONS);
    for (const q of TYPED) {
      const ours = few.index.search(q, 10);
      const theirs = fuse.search(q, { limit: 10 });
      assert.deepEqual(ours.map((r) => r.score), theirs.map((r) => 1 - (r.score ?? 1)), q);
      const cut = ours.length ? ours[ours.length - 1].score : 0;
      const above = (ids: string[], scores: number[]): string[] => ids.filter((_, i) => scores[i] > cut).sort();
      assert.deepEqual(above(ours.map((r) => r.claim.id), ours.map((r) => r.score)), above(theirs.map((r) => r.item.id), theirs.map((r) => 1 - (r.score ?? 1))), q);
    }
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

  it('gives after a source is saved what a fresh index gives, and finds a key or an actor the save brought', () => {
    const files = corpus.sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) }));
    const saved = buildIndex(files).index;
    const queries = ['Moscow base', 'troops withdrew', 'Kazakh', 'sanctions', 'pipeline gas', 'Uzbekistan CSTO'];
    for (const q of queries) saved.search(q, 10);
    // Saved with a figure of its body changed: the same actors and keys.
    const text = corpus.sources[5].text;
    const body = text.indexOf('\n---\n', 4) + 5;
    const edited = { path: files[5].path, bytes: Buffer.from(text.slice(0, body) + text.slice(body).replace(/\d+/, (d) => String(Number(d) + 1))) };
    saved.upsert(buildIndex([edited]).index.allSources()[0]);
    // A fresh index with the claims in the same order (the saved source last).
    const fresh = buildIndex([...files.filter((f) => f.path !== edited.path), edited]).index;
    for (const q of queries) assert.deepEqual(saved.search(q, 10).map((r) => [r.claim.id, r.score]), fresh.search(q, 10).map((r) => [r.claim.id, r.score]), q);
    // Saved with a citation key of its own, then with an author whom only a pronoun names.
    const withKey = corpus.sources[5].text.replace(/^---\n/, '---\ncitation-key: quokka2031\n');
    saved.upsert(buildIndex([{ path: edited.path, bytes: Buffer.from(withKey) }]).index.allSources()[0]);
    assert.ok(saved.search('quokka2031', 5).length > 0 && saved.search('quokka2031', 5).every((r) => r.claim.sourceKey === 'quokka2031'));
    // (Under the key it had: the actor alone is new.)
    const key = saved.sourceByPath(files[6].path)?.key as string;
    const byAuthor = `---\ntitle: Gas Deals\nauthor: Zenobia Quartermaine\ndate: 2019\ncitation-key: ${key}\n---\n\nZenobia Quartermaine led the talks in Ashgabat. She signed the gas deal in 2019.\n`;
    saved.upsert(buildIndex([{ path: files[6].path, bytes: Buffer.from(byAuthor) }]).index.allSources()[0]);
    assert.equal(saved.sourceByPath(files[6].path)?.key, key);
    const signed = saved.search('Quartermaine', 10).map((r) => r.claim.text);
    assert.ok(signed.includes('She signed the gas deal in 2019.'), signed.join('\n'));
  });

  /** Every prefix of queries typed into the picker, and some with typos, symbols, other scripts. */
  const typed = ['Uzbekistan', 'Karimov air base', 'troops withdrew', 'European Union sanctions', 'expelled diplomats', 'gas pipline', '230 million', 'Ташкент', 'NATO?*', 'refugees crossed', 'xz']
    .flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)))
    .filter((q) => q.trim() === q);

  it("works out fuse.js's score of a value to the bit (bitap, threshold, blank and equal values)", () => {
    // fuse.js over one value with the field norm off gives its raw score (BitapSearch.searchIn).
    const rawOptions = { includeScore: true, ignoreLocation: true, threshold: FUSE_OPTIONS.threshold, ignoreFieldNorm: true };
    const values = [
      ...all.filter((_, i) => i % 97 === 0).map((c) => c.text),
      ...new Set(all.flatMap((c) => c.actors)),
      ...index.keys().slice(0, 40),
      '',
      '   ',
      'uzbekistan',
      'European Union',
      'Ташкент и Москва',
      'İstanbul ǅ ß',
      // Longer than the arrays kept between values.
      `${'The CSTO met in Tashkent. '.repeat(800)}Uzbekistan withdrew.`,
    ];
    let compared = 0;
    let matched = 0;
    for (const q of typed.filter((_, i) => i % 3 === 0).concat(['uzbekistan', 'a'.repeat(32), 'ǅ'])) {
      const pattern = new FusePattern(q, FUSE_OPTIONS.threshold);
      assert.ok(pattern.scorable, q);
      for (const v of values) {
        const theirs = new Fuse([v], rawOptions).search(q)[0]?.score ?? -1;
        assert.equal(pattern.score(v), theirs, `${JSON.stringify(q)} in ${JSON.stringify(v)}`);
        compared++;
        if (theirs >= 0) matched++;
      }
    }
    assert.ok(matched > 100 && matched < compared, `${matched} of ${compared} matched`);
    assert.equal(new FusePattern('a'.repeat(33), 0.4).scorable, false);
    assert.equal(new FusePattern('', 0.4).scorable, false);
  });

  it("works out fuse.js's score of a claim (its fields' factors in fuse.js's order and arithmetic)", () => {
    const claims = all.filter((_, i) => i % 13 === 0);
    // A key typed whole matches it exactly (fuse.js's score 0), and an actor's name too.
    const key = claims[5].sourceKey;
    for (const q of ['Karimov', 'troops withdrew', 'Uzbekistan', key, key.slice(0, -2)]) {
      const scoreOf = fuseClaimScorer(new FusePattern(q, FUSE_OPTIONS.threshold));
      let compared = 0;
      for (const r of new Fuse(claims, FUSE_OPTIONS).search(q)) {
        assert.equal(scoreOf(r.item), r.score, `${q}: ${r.item.id}`);
        compared++;
      }
      assert.ok(compared > 0, q);
    }
    // A claim none of whose fields matches scores Infinity (fuse.js leaves it out).
    const scoreOf = fuseClaimScorer(new FusePattern('zzzzqqqq', FUSE_OPTIONS.threshold));
    assert.equal(scoreOf(claims[0]), Infinity);
  });

  it('ranks with fuse.js only the candidates that can make the top, and gives what fuse.js over all candidates gives', () => {
    let shortened = 0;
    for (const q of typed) {
      const candidates: Claim[] = index['searchCandidates'](q);
      const short = fuseShortlist(q, candidates, 20);
      if (short.length < candidates.length) shortened++;
      const theirs = new Fuse(candidates, FUSE_OPTIONS).search(q, { limit: 20 }).map((r) => [r.item.id, r.score]);
      assert.deepEqual(
        new Fuse(short, FUSE_OPTIONS).search(q, { limit: 20 }).map((r) => [r.item.id, r.score]),
        theirs,
        q,
      );
      assert.deepEqual(
        index.search(q, 20).map((r) => [r.claim.id, r.score]),
        theirs.map(([id, score]) => [id, 1 - (score as number)]),
        q,
      );
    }
    assert.ok(shortened > typed.length / 2, `${shortened} of ${typed.length} shortened`);
  });

  it('takes hostile queries: regular-expression characters, long and non-Latin text, lone symbols', () => {
    for (const q of ['(.*)+[', '\\', '$230', 'a'.repeat(200), 'Ташкент', '東京', '   ', '--', 'NATO?*']) {
      const results = index.search(q, 10);
      assert.ok(Array.isArray(results) && results.length <= 10, q);
    }
  });
});
