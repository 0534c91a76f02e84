// The incremental parser must give exactly parseDraft's draft: on whole memos, after every edit of
// a sequence (with chunks reused from the cache), and on random Markdown built from blocks.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { generateCorpus, generateMemo, libraryFromSources, Rng, withFootnotes, withLinks } from '../../bench/generate';
import { parseDraft, parseDraftWhole } from '../../src/core/draft';
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
      // Start over now and then: a directive, once inserted, makes every later version whole.
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

  it('cuts a memo with long front matter (inline references of 800 works) into chunks, and an edit re-reads its chunk only', () => {
    const references = Array.from({ length: 800 }, (_, i) => `- id: work${i}\n  type: book\n  title: "Study ${i} of border security in Central Asia and its neighbours"\n`).join('');
    const memo = `---\nreferences:\n${references}---\n\n${generateMemo({ lines: 200, library, seed: 4 })}`;
    assert.ok(memo.indexOf('\n---\n') > 50_000);
    const starts = draftChunkStarts(memo);
    assert.ok(starts && starts.length > 20, `${starts?.length ?? 'not'} chunked`);
    const parser = new IncrementalDraftParser();
    const first = parser.parse(memo);
    assert.deepStrictEqual(first, parseDraft(memo));
    const at = memo.length - 200;
    const edited = `${memo.slice(0, at)} Tashkent objected.${memo.slice(at)}`;
    const next = parser.parse(edited);
    assert.deepStrictEqual(next, parseDraft(edited));
    // The front matter was not read again: the draft keeps the object read before.
    assert.equal(next.frontMatter, first.frontMatter);
  });

  it('parses a memo ahead in slices, then gives parseDraft’s draft from the pieces parsed ahead', async () => {
    const memo = generateMemo({ lines: 1_500, library, seed: 4 });
    const parser = new IncrementalDraftParser();
    const slices: number[] = [];
    // Slices of 0 ms: a turn of the event loop after every piece.
    assert.equal(await parser.parseAhead(memo, { sliceMs: 0, onSlice: (ms) => slices.push(ms) }), true);
    const pieces = draftChunkStarts(memo)?.length ?? 0;
    assert.ok(pieces > 100, `${pieces} pieces`);
    assert.equal(slices.length, pieces);
    assert.deepStrictEqual(parser.parse(memo), parseDraft(memo));
    // Ahead of an edit of the whole memo (another memo pasted over it), pieces of the last version are taken as they are.
    const other = generateMemo({ lines: 1_500, library, seed: 5 });
    const edited = `${memo.slice(0, memo.length >> 1)}${other.slice(other.length >> 1)}`;
    assert.equal(await parser.parseAhead(edited), true);
    assert.deepStrictEqual(parser.parse(edited), parseDraft(edited));
    // The pieces parsed ahead serve that text only.
    assert.equal(await parser.parseAhead(other), true);
    assert.deepStrictEqual(parser.parse(memo), parseDraft(memo));
    assert.deepStrictEqual(parser.parse(other), parseDraft(other));
    // Parses of other versions while it parses ahead (their merges move the pieces they share).
    const ahead = parser.parseAhead(edited, { sliceMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepStrictEqual(parser.parse(memo), parseDraft(memo));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepStrictEqual(parser.parse(`${edited}\nOne more line.\n`), parseDraft(`${edited}\nOne more line.\n`));
    assert.equal(await ahead, true);
    assert.deepStrictEqual(parser.parse(edited), parseDraft(edited));
    assert.deepStrictEqual(parser.parse(memo), parseDraft(memo));
  });

  it('parses a memo with footnotes and link definitions ahead in slices too, and gives parseDraftWhole’s draft', async () => {
    const memo = withLinks(withFootnotes(generateMemo({ lines: 1_500, library, seed: 7 })));
    const parser = new IncrementalDraftParser();
    let slices = 0;
    assert.equal(await parser.parseAhead(memo, { sliceMs: 0, onSlice: () => slices++ }), true);
    assert.ok(slices > 100, `${slices} slices`);
    const whole = parseDraftWhole(memo);
    assert.ok(whole.footnotes.size > 3 && whole.sentences.some((s) => s.footnoteRefs.length > 0), 'the memo has footnotes and references');
    assert.deepStrictEqual(parser.parse(memo), whole);
    assert.ok(whole.sentences.filter((s) => s.links.some((l) => l.url.startsWith('https://example.org/reports/'))).length > 10, 'the memo has link references');
    const edited = memo.replace('[^2].', '[^2][^3].');
    assert.deepStrictEqual(parser.parse(edited), parseDraftWhole(edited));
    const relinked = edited.replace('[r2]).', '[r2] and [r3][]).');
    assert.notEqual(relinked, edited);
    assert.deepStrictEqual(parser.parse(relinked), parseDraftWhole(relinked));
  });

  it('stops parsing ahead when told the text is stale, and parses as before', async () => {
    const memo = generateMemo({ lines: 600, library, seed: 6 });
    const parser = new IncrementalDraftParser();
    let asked = 0;
    assert.equal(await parser.parseAhead(memo, { sliceMs: 0, stale: () => ++asked === 3 }), false);
    assert.equal(asked, 3);
    assert.deepStrictEqual(parser.parse(memo), parseDraft(memo));
    // A memo read whole (a disable directive applies from there on, across pieces) or of one piece is left to parse.
    const whole = `${memo}\n<!-- policy-cite: disable -->\n`;
    let slices = 0;
    assert.equal(await parser.parseAhead(whole, { sliceMs: 0, onSlice: () => slices++ }), true);
    assert.equal(slices, 0);
    assert.deepStrictEqual(parser.parse(whole), parseDraft(whole));
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
