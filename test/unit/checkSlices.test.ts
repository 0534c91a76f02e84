// checkDraftInSlices: the findings of checkDraft, in slices between which the event loop runs;
// a check that went stale stops and leaves a cache that later checks (sliced or not) still get
// right.
import { strict as assert } from 'node:assert';
import { editOneParagraph, generateCorpus, generateMemo, libraryFromSources } from '../../bench/generate';
import { checkDraft, checkDraftInSlices, SentenceCache } from '../../src/core/check/checkDraft';
import { parseDraft } from '../../src/core/draft';
import { IncrementalDraftParser } from '../../src/core/incrementalDraft';
import { buildIndex } from '../../src/core/loader';
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
});
