// The check store: a memo's sentence results written after a check and read back in a later
// session give the findings of checking the memo anew, for the memo as stored and as edited
// since, and are not read for other sources, options, actors or engine; a damaged store is read
// as far as it is well formed, never trusted past its shape.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCorpus, generateMemo, libraryFromSources } from '../../bench/generate';
import { checkDraft, SentenceCache, type CheckOptions } from '../../src/core/check/checkDraft';
import { CHECK_STORE_FORMAT, checkStoreKey, hash64, readCheckStore, type StoredChecks } from '../../src/core/check/checkStore';
import { parseDraft } from '../../src/core/draft';
import { buildIndex } from '../../src/core/loader';
import { asJson } from './indexAnswers';
import { INSERTS } from './memoEdits';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/csto');

/** A store of `memo`'s check, through JSON as the extension and the CLI write it. */
function storeOf(memo: string, index: ReturnType<typeof buildIndex>['index'], options: CheckOptions = {}, context = ''): unknown {
  const cache = new SentenceCache();
  checkDraft(parseDraft(memo), index, options, cache);
  const stored = cache.store(index, options, context);
  assert.ok(stored, 'the last check is against the index as it is');
  return JSON.parse(JSON.stringify(stored));
}

describe('check store', function () {
  this.timeout(300_000);
  const files = generateCorpus({ claims: 1500, seed: 7 }).sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) }));
  const { index } = buildIndex(files);
  const memo = generateMemo({ lines: 500, library: libraryFromSources(index.allSources()), seed: 7 });

  for (const options of [{}, { paragraphCitations: true, rules: { 'attribution-needed': 'off' as const } }]) {
    it(`gives the findings of a fresh check, every sentence read from the store (${JSON.stringify(options)})`, () => {
      const data = storeOf(memo, index, options);
      const cache = new SentenceCache();
      const restored = cache.restore(data, index, options, '');
      assert.ok(restored > 100, `${restored} results read`);
      const result = checkDraft(parseDraft(memo), index, options, cache);
      assert.equal(cache.checkedSentences, 0);
      assert.ok(cache.restoredHits >= restored);
      assert.deepEqual(asJson(result), asJson(checkDraft(parseDraft(memo), index, options)));
      assert.ok(result.findings.length > 50);
    });
  }

  it('gives the findings of a fresh check of the memo as edited since it was stored', () => {
    const options: CheckOptions = { paragraphCitations: true };
    const data = storeOf(memo, index, options);
    // Deterministic edits: each inserts a piece that changes how the memo reads (quotes, notes,
    // lists, citations, directives) at a place of its own.
    let seed = 11;
    const next = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    let text = memo;
    let partly = 0;
    for (let i = 0; i < 40; i++) {
      const at = next(text.length + 1);
      text = text.slice(0, at) + INSERTS[next(INSERTS.length)] + text.slice(at);
      if (i % 4 !== 3) continue;
      const cache = new SentenceCache();
      cache.restore(data, index, options, '');
      const draft = parseDraft(text);
      const result = checkDraft(draft, index, options, cache);
      assert.deepEqual(asJson(result), asJson(checkDraft(parseDraft(text), index, options)), `after edit ${i}`);
      if (cache.restoredHits > 0 && cache.checkedSentences > 0) partly++;
    }
    assert.ok(partly >= 5, `${partly} checks took some sentences from the store and checked others`);
  });

  it('tells apart a sentence whose footnote, block quote or paragraph citation changed', () => {
    const reference = fs.readFileSync(path.join(EXAMPLE, 'sources/golts-2012-the-collapsing-csto.md'));
    const golts = buildIndex([{ path: 'sources/golts-2012-the-collapsing-csto.md', bytes: reference }]).index;
    const options: CheckOptions = { paragraphCitations: true };
    const sentence = 'Uzbekistan suspended its membership of the CSTO in 2008.';
    const variants = [
      `${sentence}[^1]\n\n[^1]: [@golts2012, para. 2]\n`,
      `${sentence}[^1]\n\n[^1]: A note without a source.\n`,
      `> ${sentence}\n`,
      `${sentence}\n`,
      `${sentence} Tashkent left it in 2012 [@golts2012, para. 2].\n`,
    ];
    for (const stored of variants) {
      const data = storeOf(stored, golts, options);
      for (const now of variants) {
        const cache = new SentenceCache();
        cache.restore(data, golts, options, '');
        const result = checkDraft(parseDraft(now), golts, options, cache);
        assert.deepEqual(asJson(result), asJson(checkDraft(parseDraft(now), golts, options)), `stored ${JSON.stringify(stored)}, now ${JSON.stringify(now)}`);
        if (now === stored) assert.ok(cache.restoredHits > 0);
      }
    }
    // The sentence sourced by its note and not: different results, neither taken for the other.
    const sourced = asJson(checkDraft(parseDraft(variants[0]), golts, options).findings.map((f) => f.code));
    assert.notDeepEqual(sourced, asJson(checkDraft(parseDraft(variants[1]), golts, options).findings.map((f) => f.code)));
    const cache = new SentenceCache();
    cache.restore(storeOf(variants[1], golts, options), golts, options, '');
    assert.deepEqual(asJson(checkDraft(parseDraft(variants[0]), golts, options, cache).findings.map((f) => f.code)), sourced);
    assert.equal(cache.restoredHits, 0);
  });

  it('is not read for other sources, options, actors or format; is read for the same sources indexed again', () => {
    const data = storeOf(memo, index);
    const count = (idx: typeof index, options: CheckOptions = {}, context = ''): number => new SentenceCache().restore(data, idx, options, context);
    assert.ok(count(index) > 0);
    assert.ok(count(buildIndex(files).index) > 0, 'an index of the same files');
    const changed = files.map((f, i) => (i === 3 ? { ...f, bytes: Buffer.concat([f.bytes, Buffer.from('\n\nOne more sentence in 2013.\n')]) } : f));
    assert.equal(count(buildIndex(changed).index), 0, 'a source changed');
    assert.equal(count(buildIndex(files.slice(1)).index), 0, 'a source removed');
    assert.equal(count(index, { rules: { 'unsourced-claim': 'error' } }), 0, 'other rules');
    assert.equal(count(index, { threshold: 0.9 }), 0, 'another threshold');
    assert.equal(count(index, {}, hash64('actors')), 0, 'other user actors');
    assert.equal(new SentenceCache().restore({ ...(data as StoredChecks), format: CHECK_STORE_FORMAT + 1 }, index, {}, ''), 0, 'another format');
    assert.notEqual(checkStoreKey(index, {}, ''), checkStoreKey(index, {}, 'x'));
  });

  it('is not written for a check against an index that changed since', () => {
    const idx = buildIndex(files).index;
    const cache = new SentenceCache();
    checkDraft(parseDraft(memo), idx, {}, cache);
    assert.ok(cache.store(idx, {}, ''));
    assert.equal(cache.store(idx, { threshold: 0.9 }, ''), undefined, 'other options');
    idx.remove(idx.allSources()[0].path);
    assert.equal(cache.store(idx, {}, ''), undefined);
  });

  it('reads a damaged store as far as it is well formed, and never past the sentence', () => {
    const data = storeOf(memo, index) as StoredChecks;
    const key = data.key;
    const expected = asJson(checkDraft(parseDraft(memo), index));
    for (const bad of [null, 'x', 42, [], {}, { format: CHECK_STORE_FORMAT, key }, { format: CHECK_STORE_FORMAT, key, entries: 'x' }, { ...data, entries: [null, 1, ['a'], [1, 2, 3]] }]) {
      const cache = new SentenceCache();
      assert.equal(cache.restore(bad, index, {}, ''), 0, JSON.stringify(bad));
      assert.deepEqual(asJson(checkDraft(parseDraft(memo), index, {}, cache)), expected);
    }
    // Every third entry damaged a different way: those are left out (and checked), the rest read.
    const damage = [
      (f: Record<string, unknown>) => void (f.code = 'no-such-rule'),
      (f: Record<string, unknown>) => void (f.severity = 'fatal'),
      (f: Record<string, unknown>) => void (f.start = -1),
      (f: Record<string, unknown>) => void (f.end = 'x'),
      (f: Record<string, unknown>) => void (f.suggestions = [{ key: 1 }]),
      (f: Record<string, unknown>) => void (f.data = { x: { y: 1 } }),
      (f: Record<string, unknown>) => void (f.message = null),
      (f: Record<string, unknown>) => void (f.start = f.end = 1e9),
    ];
    const damaged = asJson(data) as StoredChecks;
    let spoilt = 0;
    damaged.entries.forEach((entry, i) => {
      if (i % 3 === 0 && entry[2].length > 0) damage[spoilt++ % damage.length](entry[2][0] as unknown as Record<string, unknown>);
    });
    assert.ok(spoilt >= damage.length, `${spoilt} entries damaged`);
    const read = readCheckStore(damaged, key);
    assert.ok(read);
    // (Offsets past the sentence have the shape of a finding: the look-up leaves them out.)
    assert.equal(read.size, damaged.entries.length - spoilt + Math.floor(spoilt / damage.length));
    const cache = new SentenceCache();
    cache.restore(damaged, index, {}, '');
    assert.deepEqual(asJson(checkDraft(parseDraft(memo), index, {}, cache)), expected);
    assert.ok(cache.restoredHits > 0 && cache.checkedSentences > 0);
  });
});
