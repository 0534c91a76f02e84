// The incremental parser must give exactly parseDraft's draft: on whole memos, after every edit of
// a sequence (with chunks reused from the cache), and on random Markdown built from blocks.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { generateCorpus, generateMemo, libraryFromSources, Rng } from '../../bench/generate';
import { parseDraft } from '../../src/core/draft';
import { draftChunkStarts, IncrementalDraftParser } from '../../src/core/incrementalDraft';
import { buildIndex } from '../../src/core/loader';
import { INSERTS } from './memoEdits';

const corpus = generateCorpus({ claims: 400, seed: 3 });
const { sources } = buildIndex(corpus.sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) })));
const library = libraryFromSources(sources);

describe('IncrementalDraftParser', function () {
  this.timeout(120_000);

  it('cuts generated memos into many chunks and gives parseDraft’s draft', () => {
    for (const seed of [1, 2, 3]) {
      const memo = generateMemo({ lines: 400, library, seed });
      const starts = draftChunkStarts(memo);
      assert.ok(starts && starts.length > 20, `memo ${seed}: ${starts?.length ?? 'not'} chunked`);
      assert.deepStrictEqual(new IncrementalDraftParser().parse(memo), parseDraft(memo));
    }
  });

  it('gives parseDraft’s draft after each of 300 random edits, reusing unchanged chunks', () => {
    const rng = new Rng(42);
    const original = generateMemo({ lines: 120, library, seed: 9 });
    let text = original;
    const parser = new IncrementalDraftParser();
    parser.parse(text);
    let chunked = 0;
    for (let step = 0; step < 300; step++) {
      // Start over now and then: a definition, once inserted, makes every later version whole.
      if (step % 20 === 0) text = original;
      const at = rng.int(0, text.length);
      if (rng.chance(0.3) && text.length > 10) {
        text = text.slice(0, at) + text.slice(Math.min(text.length, at + rng.int(1, 40)));
      } else {
        text = text.slice(0, at) + rng.pick(INSERTS) + text.slice(at);
      }
      if ((draftChunkStarts(text)?.length ?? 0) > 1) chunked++;
      assert.deepStrictEqual(parser.parse(text), parseDraft(text), `step ${step}`);
    }
    assert.ok(chunked > 60, `${chunked} of 300 versions were parsed in chunks`);
  });

  it('gives parseDraft’s draft on random Markdown made of blocks', () => {
    const block = fc.oneof(
      fc.constantFrom(...INSERTS, 'Uzbekistan left the CSTO in 2012 [@golts2012, para. 2].', 'He said "we will leave".', '---\ntitle: x\n---'),
      fc.string({ maxLength: 20 }),
    );
    const separator = fc.constantFrom('\n', '\n\n', '\n\n\n');
    const doc = fc
      .array(fc.tuple(fc.array(block, { maxLength: 5 }).map((parts) => parts.join('')), separator), { maxLength: 14 })
      .map((blocks) => blocks.map(([b, sep]) => b + sep).join(''));
    fc.assert(
      fc.property(doc, (text) => {
        assert.deepStrictEqual(new IncrementalDraftParser().parse(text), parseDraft(text));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});
