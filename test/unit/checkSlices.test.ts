// checkDraftInSlices: the findings of checkDraft, in slices between which the event loop runs;
// a check that went stale stops and leaves a cache that later checks (sliced or not) still get
// right.
import { strict as assert } from 'node:assert';
import { editOneParagraph, generateCorpus, generateMemo, libraryFromSources, withFootnotes, withLinks } from '../../bench/generate';
import { checkDraft, checkDraftInSlices, checkPrefixInSight, SentenceCache } from '../../src/core/check/checkDraft';
import type { Draft } from '../../src/core/draftTypes';
import { parseDraft } from '../../src/core/draft';
import { IncrementalDraftParser } from '../../src/core/incrementalDraft';
import { buildIndex } from '../../src/core/loader';
import fc from 'fast-check';
import type { Finding } from '../../src/core/types';
import { asJson } from './indexAnswers';

describe('checkDraftInSlices', function () {
  this.timeout(120_000);
  const files = generateCorpus({ claims: 1500, seed: 5 }).sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) }));
  const { index } = buildIndex(files);
  const memo = generateMemo({ lines: 600, library: libraryFromSources(index.allSources()), seed: 5 });

  it('gives checkDraft’s findings and stats, in more than one slice, letting timers run between them', async () => {
    const expected = asJson(checkDraft(parseDraft(memo), index));
    const slices: number[] = [];
    let timerRan = 0;
    const timer = setInterval(() => timerRan++, 0);
    try {
      const result = await checkDraftInSlices(parseDraft(memo), index, {}, new SentenceCache(), { sliceMs: 1, onSlice: (ms) => slices.push(ms) });
      assert.ok(result);
      assert.ok(result.findings.length > 20 && result.stats.factual > 20);
      assert.deepEqual(asJson(result), expected);
    } finally {
      clearInterval(timer);
    }
    assert.ok(slices.length > 1, `${slices.length} slices`);
    assert.ok(timerRan > 0, 'a timer ran during the check');
  });

  it('follows edits with the cache as checkDraft does, also after a stale check stopped', async () => {
    const parser = new IncrementalDraftParser();
    const cache = new SentenceCache();
    const options = { paragraphCitations: true };
    let text = memo;
    for (let i = 0; i < 8; i++) {
      text = editOneParagraph(text, i);
      const draft = parser.parse(text);
      if (i % 3 === 1) {
        // Goes stale at its first turn: stops with nothing, half done.
        const stopped = await checkDraftInSlices(draft, index, options, cache, { sliceMs: 0, stale: () => true });
        assert.equal(stopped, undefined);
      }
      const sliced = i % 2 === 0 ? await checkDraftInSlices(draft, index, options, cache, { sliceMs: 0 }) : checkDraft(draft, index, options, cache);
      assert.deepEqual(asJson(sliced), asJson(checkDraft(parseDraft(text), index, options)), `edit ${i}`);
    }
  });

  describe('with the parts in sight first', () => {
    type Range = readonly [number, number];
    const key = (f: Finding): string => JSON.stringify(f);
    const overlaps = (f: Finding, ranges: readonly Range[]): boolean => ranges.some(([a, b]) => f.start < b && f.end > a);

    /** Checks `text` anew with `ranges` first; the findings given first, the result, and when they came. */
    async function firstThenAll(text: string, ranges: readonly Range[], options = {}, cache = new SentenceCache()) {
      const events: string[] = [];
      let first: Finding[] | undefined;
      const result = await checkDraftInSlices(parseDraft(text), index, options, cache, {
        sliceMs: 1,
        onSlice: () => events.push('slice'),
        first: {
          ranges,
          onFindings: (findings) => {
            events.push('first');
            first = findings;
          },
        },
      });
      return { first, result, events };
    }

    it('gives every finding of the whole check that overlaps the ranges, and only its findings, before the rest', async () => {
      const rng = fc.sample(fc.tuple(fc.nat(memo.length), fc.integer({ min: 1, max: 6000 })), { numRuns: 12, seed: 7 });
      const cases: Array<{ ranges: Range[]; options: object }> = [
        { ranges: [[0, 3000]], options: {} },
        { ranges: [[memo.length - 2500, memo.length]], options: { paragraphCitations: true } },
        // Several editors on one memo, in any order, overlapping, one of them empty.
        { ranges: [[20_000, 24_000], [5000, 9000], [7000, 12_000], [15_000, 15_000]], options: {} },
        ...rng.map(([at, length]) => ({ ranges: [[at, Math.min(memo.length, at + length)] as Range], options: { paragraphCitations: at % 2 === 0 } })),
      ];
      for (const { ranges, options } of cases) {
        const expected = checkDraft(parseDraft(memo), index, options);
        const { first, result, events } = await firstThenAll(memo, ranges, options);
        assert.deepEqual(asJson(result), asJson(expected), JSON.stringify(ranges));
        assert.ok(first, `findings first for ${JSON.stringify(ranges)}`);
        // Before the last slices of the rest.
        assert.ok(events.indexOf('first') < events.length - 2, events.join(' '));
        const all = new Set(expected.findings.map(key));
        for (const f of first) assert.ok(all.has(key(f)), `${key(f)} is a finding of the whole check`);
        const firstKeys = new Set(first.map(key));
        const there = expected.findings.filter((f) => overlaps(f, ranges));
        for (const f of there) assert.ok(firstKeys.has(key(f)), `${key(f)} overlaps ${JSON.stringify(ranges)}`);
        assert.deepEqual(asJson(first), asJson([...first].sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code))), 'sorted');
        if (ranges[0][1] - ranges[0][0] >= 2500) assert.ok(there.length > 0, `findings in ${JSON.stringify(ranges)}`);
      }
    });

    it('is skipped when the check follows the last one (an edit), and when the ranges hold every sentence or none', async () => {
      const cache = new SentenceCache();
      const parser = new IncrementalDraftParser();
      checkDraft(parser.parse(memo), index, {}, cache);
      const edited = editOneParagraph(memo, 3);
      let called = 0;
      const onFindings = (): number => called++;
      const result = await checkDraftInSlices(parser.parse(edited), index, {}, cache, { first: { ranges: [[0, 5000]], onFindings } });
      assert.deepEqual(asJson(result), asJson(checkDraft(parseDraft(edited), index)));
      assert.equal(called, 0, 'an edit');
      // Other options: every sentence anew, the ranges first.
      await checkDraftInSlices(parser.parse(edited), index, { threshold: 0.9 }, cache, { first: { ranges: [[0, 5000]], onFindings } });
      assert.equal(called, 1, 'other options');
      await checkDraftInSlices(parseDraft(memo), index, {}, new SentenceCache(), { first: { ranges: [[0, memo.length]], onFindings } });
      await checkDraftInSlices(parseDraft(memo), index, {}, new SentenceCache(), { first: { ranges: [], onFindings } });
      assert.equal(called, 1, 'every sentence, or none');
    });

    it('stops when stale during the parts in sight, leaving a cache that later checks get right', async () => {
      const cache = new SentenceCache();
      let called = 0;
      const stopped = await checkDraftInSlices(parseDraft(memo), index, {}, cache, {
        sliceMs: 0,
        stale: () => true,
        first: { ranges: [[0, memo.length / 2]], onFindings: () => called++ },
      });
      assert.equal(stopped, undefined);
      assert.equal(called, 0);
      const { first, result } = await firstThenAll(memo, [[0, memo.length / 2]], {}, cache);
      assert.ok(first && first.length > 0);
      assert.deepEqual(asJson(result), asJson(checkDraft(parseDraft(memo), index)));
    });
  });

  describe('in sight while the memo is still being read', () => {
    type Range = readonly [number, number];

    /** Reads `text` ahead with a prefix up to the end of `ranges`; the prefix draft and its findings in sight. */
    async function prefixInSight(text: string, ranges: readonly Range[], options = {}) {
      const parser = new IncrementalDraftParser();
      const cache = new SentenceCache();
      let prefix: Draft | undefined;
      let found: Finding[] | undefined | false;
      const done = await parser.parseAhead(text, { sliceMs: 1 }, {
        until: Math.max(...ranges.map(([, end]) => end)),
        onDraft: async (draft, slices) => {
          prefix = draft;
          found = await checkPrefixInSight(draft, index, options, cache, ranges, slices);
          return found !== false;
        },
      });
      assert.ok(done);
      return { prefix, found, draft: parser.parse(text), cache };
    }

    /** checkDraftInSlices' findings first for `ranges`, on the whole memo with a fresh cache. */
    async function firstOnWhole(text: string, ranges: readonly Range[], options = {}): Promise<Finding[] | undefined> {
      let first: Finding[] | undefined;
      await checkDraftInSlices(parseDraft(text), index, options, new SentenceCache(), { first: { ranges, onFindings: (f) => (first = f) } });
      return first;
    }

    it('gives, from the first pieces alone, the findings in sight the whole memo gives, with the objects of the whole draft', async () => {
      const memos = [memo, withLinks(memo)];
      for (const [i, text] of memos.entries()) {
        for (const [ranges, options] of [
          [[[0, 4000]], {}],
          [[[2500, 9000], [200, 1200]], { paragraphCitations: true }],
        ] as Array<[Range[], object]>) {
          const { prefix, found, draft, cache } = await prefixInSight(text, ranges, options);
          assert.ok(prefix && found, `memo ${i}: a prefix and its findings`);
          assert.ok(prefix.sentences.length > 10 && prefix.sentences.length < draft.sentences.length / 2, `${prefix.sentences.length} of ${draft.sentences.length} sentences`);
          prefix.sentences.forEach((sentence, k) => assert.equal(sentence, draft.sentences[k], `sentence ${k}: the whole draft's object`));
          assert.ok(found.length > 0);
          assert.deepEqual(asJson(found), asJson(await firstOnWhole(text, ranges, options)), `memo ${i} ${JSON.stringify(ranges)}`);
          // The whole check after it takes those sentences from the cache and gives checkDraft's result.
          const checked = cache.checkedSentences;
          const result = await checkDraftInSlices(draft, index, options, cache);
          assert.deepEqual(asJson(result), asJson(checkDraft(parseDraft(text), index, options)));
          const inSight = draft.sentences.filter((x) => ranges.some(([a, b]) => x.start < b && x.end > a)).length;
          assert.ok(cache.checkedSentences - checked <= draft.sentences.length - inSight, 'the sentences in sight were not checked again');
        }
      }
    });

    it('declines when a sentence in sight references a footnote defined further down', async () => {
      const text = withFootnotes(memo);
      const draft = parseDraft(text);
      const referencing = draft.sentences.find((s) => s.footnoteRefs.length > 0);
      assert.ok(referencing && referencing.end < text.length / 2);
      const ranges: Range[] = [[referencing.start, referencing.end]];
      const { prefix, found } = await prefixInSight(text, ranges);
      assert.ok(prefix, 'a prefix');
      assert.equal(found, undefined);
    });
  });
});
