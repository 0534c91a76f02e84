// The fast paths of parsing and checking must give what the straightforward paths give:
// - parseDraft (pieces, plain paragraphs without micromark) and IncrementalDraftParser (edits
//   found by comparing with the last version, pieces moved in place) against parseDraftWhole
//   (the whole memo through micromark);
// - plainPiece against micromark on paragraphs built from every character that matters;
// - checkDraft with a SentenceCache across edits against checkDraft without one.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { generateCorpus, generateMemo, libraryFromSources, Rng, withFootnotes, withLinks } from '../../bench/generate';
import { checkDraft, SentenceCache } from '../../src/core/check/checkDraft';
import { featurize, hashString, tokenize, type FeatureConfig } from '../../src/core/checkWorthiness';
import { definitionsOnly, parseDraft, parseDraftPiece, parseDraftWhole, plainPiece, readLinkDefinitions, readLinkDefinitionsWhole, type LinkDefinition } from '../../src/core/draft';
import { draftChunkStarts, IncrementalDraftParser } from '../../src/core/incrementalDraft';
import { buildIndex } from '../../src/core/loader';
import { INSERTS } from './memoEdits';

const corpus = generateCorpus({ claims: 400, seed: 3 });
const built = buildIndex(corpus.sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) })));
const library = libraryFromSources(built.sources);

describe('fast paths equal the straightforward ones', function () {
  this.timeout(180_000);

  it('parseDraft in pieces gives parseDraftWhole’s draft on generated memos', () => {
    for (const seed of [1, 2, 3, 4]) {
      const memo = generateMemo({ lines: 400, library, seed });
      assert.ok((draftChunkStarts(memo)?.length ?? 0) > 20);
      assert.deepStrictEqual(parseDraft(memo), parseDraftWhole(memo), `memo ${seed}`);
    }
  });

  it('most pieces of a generated memo are plain', () => {
    const memo = generateMemo({ lines: 400, library, seed: 5 });
    const starts = draftChunkStarts(memo) ?? [];
    const plain = starts.filter((s, i) => plainPiece(memo.slice(s, starts[i + 1] ?? memo.length))).length;
    assert.ok(plain > starts.length / 2, `${plain} of ${starts.length}`);
  });

  it('plainPiece reads a piece as micromark does, or declines', () => {
    // Paragraph-like text from the characters that matter to Markdown and to the reader.
    const char = fc.constantFrom(
      ...'aZé"“”’.,;:!?()[]@-#=+%$€0123456789 \n\n\n\t\\`*_~<>&|/^{}'.split(''),
      '[@smith2010, para. 2]', '\n- ', '\n- B', '\n-', '\n# H', '\n## ', '\n#x', '\n===', '\n---', '\n> ', '[see @a; @b]', 'www.', 'http://x.org', 'a@b.org', '](', '![', '[^1]', '&amp;', '  \n', '\r\n', '\u00a0', '\u2028',
      ' Russia deployed 4,000 troops in 2015. ',
    );
    const piece = fc.tuple(fc.constantFrom('A', 'The ', '"We ', '“So ', 'x', '1. ', '- ', '- A', '-  A', '- [ ] A', '# ', '## A', '#A', ' ', '[', '> ', '> A', '>A', '>  A', '> > A'), fc.array(char, { maxLength: 40 }), fc.constantFrom('', '\n', '\n\n', '\n\n\n', ' \n'));
    const accepted = { prose: 0, list: 0, heading: 0, quote: 0 };
    fc.assert(
      fc.property(piece, ([head, body, tail]) => {
        const text = head + body.join('') + tail;
        if (plainPiece(text)) accepted[text[0] === '-' ? 'list' : text[0] === '#' ? 'heading' : text[0] === '>' ? 'quote' : 'prose']++;
        assert.deepStrictEqual(parseDraftPiece(text), parseDraftWhole(text));
      }),
      { numRuns: 6000, seed: 11 },
    );
    assert.ok(accepted.prose > 150 && accepted.list > 50 && accepted.heading > 100 && accepted.quote > 30, JSON.stringify(accepted));
  });

  it('cuts lists with no blank line between items at their items, and reads them as parseDraftWhole does', () => {
    // Lines that may sit in or next to a tight list: items of each kind, lazy and indented
    // continuations, nested items, what interrupts a list, HTML and comments, definitions, fences.
    const line = fc.constantFrom(
      '- Uzbekistan left the CSTO in 2012 [@golts2012, para. 2].', '- Kyrgyzstan raised the rent.', '* Tajikistan raised the rent to $230 million.',
      '+ He said "we will leave".', '1. First item [@golts2012].', '2. Second item.', '3) Other delimiter.', '10. Ten [@golts2012, para. 3].',
      '1234567890. Not an item.', 'lazy continuation line [@golts2012, para. 4]', '2. lazy?', '  indented continuation [@golts2012, para. 3]',
      '    four spaces', '  - nested item', '  1. nested ordered', '- ', '-', '* * *', '- - -', '---', '***', '===', '> quote line', '> - quoted item',
      '<div>', '</div>', '<!-- policy-cite: ignore -->', '<!-- x -->', '- a <!-- policy-cite: ignore --> b.', '- <span>x</span> y.', '# Heading',
      '[^1]: A note [@golts2012].', '- see [^1] here.', '[ref]: https://example.org', '- see [ref] here.', '| a | b |', '|---|---|', '```', '~~~',
      '- ```js', '\t- tab item', '-\tTab after the marker.', '- [ ] task', '- [x] done', '1. > quoted in an item', '- > quoted in an item',
      'A paragraph of prose.', '1. Interrupts a paragraph.', '',
    );
    const list = fc.array(line, { minLength: 1, maxLength: 40 }).map((lines) => `${lines.join('\n')}\n`);
    // Where an item at the margin does not start an item in the whole memo: after an HTML block,
    // and an ordered item that continues a paragraph (only "1." and bullet items interrupt one).
    for (const text of ['<div>\n- a\n- b\n', '1. a\n# H\nText\n2. b\n3. c\n', '1. a\n---\nb\n2. c\n3. d\n', '  x\n2. a\n2. b\n', 'Text\n1. \n2. b\n3. c\n']) {
      assert.deepStrictEqual(new IncrementalDraftParser().parse(text), parseDraftWhole(text), JSON.stringify(text));
    }
    fc.assert(
      fc.property(list, (text) => {
        // (The incremental parser reads each piece alone; parseDraft would read runs of pieces
        // that are not plain together.)
        assert.deepStrictEqual(new IncrementalDraftParser().parse(text), parseDraftWhole(text));
      }),
      { numRuns: 4000, seed: 5 },
    );
    // A long tight list is cut at every item, and an edit inside it parses one item again.
    const items = Array.from({ length: 120 }, (_, i) => `- Item ${i}: Uzbekistan paid $${i + 10} million [@golts2012, para. ${1 + (i % 13)}], see [the report](https://example.org/${i}) and \`code\`.`);
    const memo = `# Facts\n\n${items.join('\n')}\n\nAfter the list.\n`;
    assert.ok((draftChunkStarts(memo)?.length ?? 0) > 120, `${draftChunkStarts(memo)?.length} pieces`);
    const parser = new IncrementalDraftParser();
    parser.parse(memo);
    const rng = new Rng(3);
    let text = memo;
    for (let step = 0; step < 60; step++) {
      const at = rng.int(0, text.length);
      text = rng.chance(0.3) ? text.slice(0, at) + text.slice(at + rng.int(1, 12)) : text.slice(0, at) + rng.pick([...INSERTS, '\n- ', '\n2. ', '\n* ', 'x']) + text.slice(at);
      assert.deepStrictEqual(parser.parse(text), parseDraftWhole(text), `step ${step}`);
    }
  });

  it('IncrementalDraftParser gives parseDraftWhole’s draft after each of 400 random edits, some at two places', () => {
    const rng = new Rng(7);
    const original = generateMemo({ lines: 160, library, seed: 12 });
    let text = original;
    const parser = new IncrementalDraftParser();
    parser.parse(text);
    for (let step = 0; step < 400; step++) {
      if (step % 25 === 0) text = original;
      const edits = rng.chance(0.2) ? 2 : 1;
      for (let e = 0; e < edits; e++) {
        const at = rng.int(0, text.length);
        if (rng.chance(0.3) && text.length > 10) text = text.slice(0, at) + text.slice(Math.min(text.length, at + rng.int(1, 40)));
        else text = text.slice(0, at) + rng.pick(INSERTS) + text.slice(at);
      }
      assert.deepStrictEqual(parser.parse(text), parseDraftWhole(text), `step ${step}`);
    }
  });

  it('parseDraft and IncrementalDraftParser read a memo with footnotes in pieces, as parseDraftWhole reads it whole', () => {
    const rng = new Rng(21);
    const base = generateMemo({ lines: 300, library, seed: 14 });
    const paragraphs = base.split('\n\n');
    // References in many paragraphs (to notes defined or not), definitions at the end, in the
    // middle, in a list item and a block quote, notes that cite and reference each other.
    const refs = ['[^1]', '[^note]', '[^Note]', '[^2]', '[^missing]', '[^a-b]'];
    const withRefs = paragraphs.map((p, i) => (i > 2 && !p.startsWith('```') && /[a-z\]]\.$/.test(p) ? `${p.slice(0, -1)}${rng.pick(refs)}.` : p));
    const middle = Math.floor(withRefs.length / 2);
    withRefs.splice(middle, 0, '[^2]: A note in the middle [@golts2012, para. 2], see [^1].', '- [^a-b]: A note in a list item.', '> [^q]: A quoted note.');
    const definitions = '[^1]: First note, citing [@golts2012, para. 3].\n\n[^note]: A note with a [link](https://example.org).\n\n    Its indented second paragraph.\n\n[^1]: A second definition of 1.\n';
    const memo = `${withRefs.join('\n\n')}\n\n${definitions}`;
    assert.ok((draftChunkStarts(memo)?.length ?? 0) > 20, 'a memo with footnote definitions is cut into pieces');
    const whole = parseDraftWhole(memo);
    assert.ok(whole.sentences.filter((x) => x.footnoteRefs.length > 0).length > 15, 'references resolve');
    assert.ok(whole.footnotes.size >= 4);
    assert.deepStrictEqual(parseDraft(memo), whole);
    const parser = new IncrementalDraftParser();
    assert.deepStrictEqual(parser.parse(memo), whole);
    // Edits that add, change and remove definitions and references, anywhere.
    const pieces = ['[^1]', '[^new]', '\n\n[^new]: A new note.\n', '\n\n[^1]: Redefined.\n', '\n\n[^NEW]: Same identifier, another label.\n', 'x', '\n\n', '[^', ']:'];
    let text = memo;
    for (let step = 0; step < 120; step++) {
      if (step % 30 === 0) text = memo;
      const at = rng.int(0, text.length);
      if (rng.chance(0.3)) {
        const from = text.indexOf('[^', at);
        text = from >= 0 ? text.slice(0, from) + text.slice(from + rng.int(2, 30)) : text.slice(0, at);
      } else {
        text = text.slice(0, at) + rng.pick(pieces) + text.slice(at);
      }
      const expected = parseDraftWhole(text);
      assert.deepStrictEqual(parser.parse(text), expected, `step ${step}`);
      if (step % 10 === 0) assert.deepStrictEqual(parseDraft(text), expected, `parseDraft, step ${step}`);
    }
  });

  it('reads random memos of footnote references and definitions in pieces as parseDraftWhole does', () => {
    const labels = ['1', '2', 'a', 'A', 'a b', 'a\\]b', 'x y ', 'long-label-with-dashes', 'é'];
    const block = fc.oneof(
      fc.constantFrom(...labels).map((l) => `Russia left in 2012[^${l}].`),
      fc.constantFrom(...labels).map((l) => `[^${l}]: A note citing [@golts2012, para. 2].`),
      fc.constantFrom(...labels).map((l) => `- [^${l}]: A note in a list.`),
      fc.constantFrom(...labels).map((l) => `> See[^${l}] and [^${l}].`),
      fc.constantFrom('Plain prose here.', '```\n[^1]: not a note\n```', '    [^2]: indented code', '[^1]:', '[^]: x', 'Text [^1 and more.', '# Heading [^a]', '\\[^1]: escaped'),
    );
    const doc = fc.array(fc.tuple(block, fc.constantFrom('\n\n', '\n', '\n\n\n')), { minLength: 2, maxLength: 16 }).map((blocks) => blocks.map(([b, sep]) => b + sep).join(''));
    let chunked = 0;
    fc.assert(
      fc.property(doc, (text) => {
        if ((draftChunkStarts(text)?.length ?? 0) > 1) chunked++;
        const whole = parseDraftWhole(text);
        assert.deepStrictEqual(parseDraft(text), whole);
        assert.deepStrictEqual(new IncrementalDraftParser().parse(text), whole);
      }),
      { numRuns: 1500, seed: 5 },
    );
    assert.ok(chunked > 500, `${chunked} of 1500 memos read in pieces`);
  });

  it('parseDraft and IncrementalDraftParser read a memo with link definitions in pieces, as parseDraftWhole reads it whole', () => {
    const rng = new Rng(23);
    const base = withLinks(withFootnotes(generateMemo({ lines: 300, library, seed: 15 })));
    const paragraphs = base.split('\n\n');
    // Definitions in the middle, in a list item and a block quote, over two lines, one defined
    // twice alike; references to links defined and not, one as an image.
    const middle = Math.floor(paragraphs.length / 2);
    paragraphs.splice(middle, 0, '[mid]: https://example.org/mid', '- [Listed Link]: <https://example.org/a b>', '> [quoted]:\n> /q "Quoted"', '[two\nlines]:\n  https://example.org/2', '[r1]: https://example.org/reports/1?lang=en&page=2 "Report 1"');
    const refs = [' See [mid].', ' See [listed  link][].', ' See [the page][QUOTED].', ' See [two lines].', ' See [nothing].', ' See ![a chart][mid].'];
    const withRefs = paragraphs.map((p, i) => (i > 2 && i % 3 === 0 && !p.startsWith('```') && /[a-z\])]\.$/.test(p) ? p + rng.pick(refs) : p));
    const memo = `${withRefs.join('\n\n')}\n`;
    assert.ok((draftChunkStarts(memo)?.length ?? 0) > 20, 'a memo with link definitions is cut into pieces');
    const whole = parseDraftWhole(memo);
    const linked = whole.sentences.filter((x) => x.links.length > 0);
    assert.ok(linked.length > 12, `references resolve (${linked.length} sentences with links)`);
    for (const url of ['https://example.org/mid', 'https://example.org/a b', '/q', 'https://example.org/2', 'https://example.org/reports/1?lang=en&page=2']) {
      assert.ok(linked.some((x) => x.links.some((l) => l.url === url)), url);
    }
    assert.deepStrictEqual(parseDraft(memo), whole);
    const parser = new IncrementalDraftParser();
    assert.deepStrictEqual(parser.parse(memo), whole);
    // Edits that add, change and remove definitions and references, anywhere.
    const pieces = [' [mid]', ' [new]', '\n\n[new]: /new\n', '\n\n[mid]: /another\n', '\n\n[NEW]: /new\n', '\n\n- [new]: /new\n', 'x', '\n\n', '[', ']:', '\n\n```\n'];
    let text = memo;
    for (let step = 0; step < 120; step++) {
      if (step % 30 === 0) text = memo;
      const at = rng.int(0, text.length);
      if (rng.chance(0.3)) {
        const from = text.indexOf('[', at);
        text = from >= 0 ? text.slice(0, from) + text.slice(from + rng.int(1, 30)) : text.slice(0, at);
      } else {
        text = text.slice(0, at) + rng.pick(pieces) + text.slice(at);
      }
      const expected = parseDraftWhole(text);
      assert.deepStrictEqual(parser.parse(text), expected, `step ${step}`);
      if (step % 10 === 0) assert.deepStrictEqual(parseDraft(text), expected, `parseDraft, step ${step}`);
    }
  });

  it('reads random memos of link references and definitions in pieces as parseDraftWhole does', () => {
    const labels = ['a', 'A', 'a b', 'x  y ', 'r1', 'é', 'a\\]b', 'a&amp;b', '@golts2012'];
    const urls = ['/u', '<a b>', 'https://example.org/?q=1&r=2', '<>', '/u "title"', "/v 'title'", '\\<x\\>', '/&amp;'];
    const block = fc.oneof(
      fc.tuple(fc.constantFrom(...labels), fc.constantFrom('[%]', '[%][]', '[text][%]', '![alt][%]', '[%] and [%][]')).map(([l, ref]) => `Russia left in 2012, see ${ref.replaceAll('%', l)}.`),
      fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...urls)).map(([l, u]) => `[${l}]: ${u}`),
      fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...urls)).map(([l, u]) => `- [${l}]: ${u}`),
      fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...urls)).map(([l, u]) => `> [${l}]:\n> ${u}`),
      fc.constantFrom(...labels).map((l) => `> See [${l}] and [^1].`),
      // A link defined on a footnote definition's line, and links whose labels start with "^" (a
      // footnote label has no space and is not empty): each piece must be searched for links.
      fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...urls)).map(([l, u]) => `[^1]: [${l}]: ${u}`),
      fc.tuple(fc.constantFrom('^a b', '^'), fc.constantFrom(...urls)).map(([l, u]) => `[${l}]: ${u}\n\nSee [${l}].`),
      fc.constantFrom(
        'Plain prose here.',
        '[^1]: A note citing [a].',
        '```\n[a]: /not-a-definition\n```',
        '    [a]: /indented-code',
        '[a]:',
        '[]: /empty',
        'Text [a and more.',
        '# Heading [a]',
        '\\[a]: escaped',
        'Prose [a].\n\n    code\n\n```\nan open fence to the end',
        'Prose [a].\n\n    code\n\n<!-- an open comment to the end',
      ),
    );
    const doc = fc.array(fc.tuple(block, fc.constantFrom('\n\n', '\n', '\n\n\n')), { minLength: 2, maxLength: 16 }).map((blocks) => blocks.map(([b, sep]) => b + sep).join(''));
    let chunked = 0;
    let linked = 0;
    fc.assert(
      fc.property(doc, (text) => {
        if ((draftChunkStarts(text)?.length ?? 0) > 1) chunked++;
        const whole = parseDraftWhole(text);
        if (whole.sentences.some((x) => x.links.length > 0)) linked++;
        assert.deepStrictEqual(parseDraft(text), whole);
        assert.deepStrictEqual(new IncrementalDraftParser().parse(text), whole);
      }),
      { numRuns: 1500, seed: 9 },
    );
    assert.ok(chunked > 500 && linked > 500, `${chunked} of 1500 memos read in pieces, ${linked} with links`);
  });

  it('reads a reference list as micromark does, without it, or declines', () => {
    const label = fc.constantFrom('a', 'A b', 'r1', ' x ', '^1', '', ' ', 'é', 'a\\]', 'a[b', 'a&amp;b', '@k', '<x>', 'a"b');
    const destination = fc.constantFrom('/u', 'https://example.org/r?a=1&b=2', '<a b>', '<>', '<a<b>', 'a(b)', 'a(b', 'a\\_b', '/&amp;', '/&#65;', '', ' ', '\u00a0x', 'x\u0001');
    const title = fc.constantFrom('', ' "T"', " 'T'", ' (T)', ' "T\\"x"', ' (a(b))', ' "&amp;"', ' x', '"T"', '  ');
    const simple = fc.tuple(fc.constantFrom('a', 'A b', 'r1', 'é', '@k'), fc.constantFrom('/u', 'https://example.org/r?a=1&b=2', '<a b>', '<>'), fc.constantFrom('', ' "T"', " 'T'", ' (T)')).map(([l, d, t]) => `[${l}]: ${d}${t}`);
    const line = fc.oneof(
      { arbitrary: simple, weight: 12 },
      { arbitrary: fc.tuple(label, destination, title, fc.constantFrom('', '', '   ', '\r')).map(([l, d, t, tail]) => `[${l}]: ${d}${t}${tail}`), weight: 2 },
      { arbitrary: fc.constantFrom('', '  ', 'Prose.', '"T"', '    [a]: /indented', ' [a]: /u', '- [a]: /u'), weight: 1 },
    );
    const text = fc.array(line, { minLength: 1, maxLength: 8 }).map((lines) => lines.join('\n'));
    let fast = 0;
    const sorted = (defs: LinkDefinition[]): string[] => defs.map((d) => JSON.stringify([d.label, d.url])).sort();
    fc.assert(
      fc.property(text, (t) => {
        const defs = definitionsOnly(t);
        if (defs) fast++;
        if (defs) assert.deepStrictEqual(sorted(defs), sorted(readLinkDefinitionsWhole(t)));
        assert.deepStrictEqual(sorted(readLinkDefinitions(t)), sorted(readLinkDefinitionsWhole(t)));
        assert.deepStrictEqual(parseDraftPiece(t), parseDraftWhole(t));
      }),
      { numRuns: 4000, seed: 13 },
    );
    assert.ok(fast > 800, `${fast} of 4000 read without micromark`);
  });

  it('IncrementalDraftParser gives parseDraftWhole’s draft while a person types inside definitions, adds and removes them', () => {
    const base = withLinks(withFootnotes(generateMemo({ lines: 400, library, seed: 16 })));
    const parser = new IncrementalDraftParser();
    let text = base;
    assert.deepStrictEqual(parser.parse(text), parseDraftWhole(text));
    let steps = 0;
    /** Types `typed` one character at a time at `at`, then deletes it again one at a time from its end. */
    const typeAndErase = (at: number, typed: string): void => {
      assert.ok(at > 0, `${JSON.stringify(typed)}: place found`);
      for (let k = 1; k <= typed.length; k++) check(text.slice(0, at) + typed.slice(0, k) + text.slice(at));
      for (let k = typed.length - 1; k >= 0; k--) check(text.slice(0, at) + typed.slice(0, k) + text.slice(at));
    };
    const check = (next: string): void => {
      steps++;
      assert.deepStrictEqual(parser.parse(next), parseDraftWhole(next), `step ${steps}`);
    };
    const note = text.indexOf('[^3]: Note 3') + '[^3]: Note 3'.length;
    typeAndErase(note, ' and more words, [@golts2012, para. 2], [^1] and [r2]');
    const link = text.indexOf('[r5]: https://example.org/reports/5');
    typeAndErase(link + '[r5]: https://example.org/reports/5'.length, 'x/y'); // the destination
    typeAndErase(text.indexOf('"Report 5"', link) + '"Report'.length, ' five'); // the title
    typeAndErase(link + '[r5'.length, '0'); // the label: r5 undefined, r50 defined
    typeAndErase(note - 'Note 3'.length - 3, 'x'); // [^x3]
    // New definitions typed at the end, between others, and in the middle of the memo.
    typeAndErase(text.length - 1, '\n\n[^new]: A new note [r7].');
    typeAndErase(link, '[fresh]: /fresh "Fresh"\n');
    typeAndErase(text.indexOf('\n\n', text.length / 2), '\n\n[r6]: /another\n\n- [^2]: Again.');
    // A definition deleted one character at a time from its end, then restored.
    const line = text.slice(link, text.indexOf('\n', link) + 1);
    let shorter = text;
    for (let k = line.length - 1; k >= 0; k--) check((shorter = text.slice(0, link) + line.slice(0, k) + text.slice(link + line.length)));
    check(text);
    assert.ok(steps > 300, `${steps} edits`);
  });

  it('IncrementalDraftParser gives parseDraft’s draft while a person edits the front matter and the first lines', () => {
    const memo = generateMemo({ lines: 300, library, seed: 17 });
    assert.ok(memo.startsWith('---\n'), 'the memo has front matter');
    const parser = new IncrementalDraftParser();
    let text = memo;
    assert.deepStrictEqual(parser.parse(text), parseDraft(text));
    let steps = 0;
    const check = (next: string): void => {
      steps++;
      assert.deepStrictEqual(parser.parse(next), parseDraft(next), `step ${steps}: ${JSON.stringify(next.slice(0, 120))}`);
    };
    const typeAndErase = (at: number, typed: string): void => {
      for (let k = 1; k <= typed.length; k++) check(text.slice(0, at) + typed.slice(0, k) + text.slice(at));
      for (let k = typed.length - 1; k >= 0; k--) check(text.slice(0, at) + typed.slice(0, k) + text.slice(at));
    };
    typeAndErase(memo.indexOf('"\n') , ' and beyond'); // the title
    typeAndErase(memo.indexOf('\n---\n') + 1, 'bibliography: refs.json\n'); // a new field
    typeAndErase(memo.indexOf('\n---\n') + 1, '---\n\nA paragraph that was front matter [@golts2012].\n\n'); // closed early
    typeAndErase(0, '\uFEFF'); // a byte order mark
    typeAndErase(0, 'Prose before the fence.\n\n'); // no front matter any more
    typeAndErase(memo.indexOf('\n# ') + 1, '#'); // the first heading
    typeAndErase(memo.indexOf('\n# ') + 1, 'A first paragraph, in 2012 [@golts2012, para. 2].\n\n');
    // The opening fence deleted one character at a time, then typed again.
    for (let k = 1; k <= 4; k++) check((text = memo.slice(k)));
    for (let k = 3; k >= 0; k--) check((text = memo.slice(k)));
    assert.ok(steps > 250, `${steps} edits`);
  });

  it('IncrementalDraftParser notices a directive that an edit completes far from it', () => {
    const para = (i: number): string => `Paragraph ${i} says Russia deployed ${i} troops in 2015.\n\n`;
    const head = `${Array.from({ length: 30 }, (_, i) => para(i)).join('')}<!-- policy-cite`;
    const tail = `: disab -->\n\n${Array.from({ length: 30 }, (_, i) => para(i + 30)).join('')}`;
    const parser = new IncrementalDraftParser();
    for (const text of [head + tail, `${head}\n\n\n${tail}`, head + tail.replace('disab', 'disable'), head + tail, `${head}   \n\n ${tail.replace('disab', 'disable')}`]) {
      assert.deepStrictEqual(parser.parse(text), parseDraftWhole(text));
    }
  });

  it('checkWorthiness hashes a word n-gram as the hash of the joined text', () => {
    const config: FeatureConfig = { hashBits: 18, wordNgramMax: 3, charNgramMin: 0, charNgramMax: 0, wordScale: 1, charScale: 0, handScale: 0 };
    const sentences = ['Russia deployed 4,000 troops to Tajikistan in 2015.', 'We should press “NATO” — twice!', 'a', '', 'In our view, the 1990s were calmer.'];
    for (const s of sentences) {
      const seq = ['<s>', ...tokenize(s).map((t) => t.norm), '</s>'];
      const keys = new Set<number>();
      for (let i = 1; i < seq.length - 1; i++) keys.add(hashString(`w:${seq[i]}`) & (2 ** config.hashBits - 1));
      for (let n = 2; n <= config.wordNgramMax; n++) {
        for (let i = 0; i + n <= seq.length; i++) keys.add(hashString(`w${n}:${seq.slice(i, i + n).join(' ')}`) & (2 ** config.hashBits - 1));
      }
      const expected = new Map<number, number>();
      for (const k of keys) expected.set(k, 1 / Math.sqrt(keys.size));
      assert.deepStrictEqual(featurize(s, config), expected, s);
    }
  });

  it('checkWorthiness hashes a padded word’s character n-grams as the hash of the substring, in first-seen order', () => {
    const config: FeatureConfig = { hashBits: 20, wordNgramMax: 1, charNgramMin: 3, charNgramMax: 5, wordScale: 0, charScale: 1, handScale: 0 };
    // The long one (under the 4,000 characters the model reads) has thousands of distinct n-grams,
    // more than the reused key table starts with.
    const long = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x${(i * 7919).toString(36)}`).join(' ');
    for (const s of ['Russia deployed 4,000 troops to Tajikistan in 2015.', 'Élan ’s ÉTÉ d’été', 'a', '', long, 'x y']) {
      const keys = new Set<number>();
      for (const t of tokenize(s)) {
        const padded = `<${t.norm}>`;
        for (let i = 0; i < padded.length; i++) {
          for (let n = config.charNgramMin; n <= config.charNgramMax && i + n <= padded.length; n++) keys.add(hashString(`c:${padded.slice(i, i + n)}`) & (2 ** config.hashBits - 1));
        }
      }
      const expected = new Map<number, number>();
      for (const k of keys) expected.set(k, 1 / Math.sqrt(keys.size));
      assert.deepStrictEqual([...featurize(s, config)], [...expected], s.slice(0, 40));
    }
  });

  it('checkWorthiness tokenizes as one pass of its token pattern', () => {
    const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*(?:[.,]\p{N}+)*|[$%?!€£]/gu;
    // Letters and numbers inside and outside ASCII and the basic plane, other symbols, lone surrogates.
    const char = fc.constantFrom(...'aZé0٣9 .,\'’$%?!€£-İ“'.split(''), '𝐀', '½', '𝟘', '😀', '\ud835', '\udc00');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 30 }), (chars) => {
        const s = chars.join('');
        const expected = [...s.matchAll(TOKEN)].map((m) => {
          const lower = m[0].toLowerCase().replace(/’/g, "'");
          return { raw: m[0], lower, norm: lower.replace(/\p{Nd}/gu, '0') };
        });
        assert.deepStrictEqual(tokenize(s), expected);
      }),
      { numRuns: 3000, seed: 5 },
    );
  });

  it('checkDraft with a SentenceCache gives the findings of a fresh check across edits', () => {
    const rng = new Rng(5);
    const original = generateMemo({ lines: 300, library, seed: 4 });
    const parser = new IncrementalDraftParser();
    const cache = new SentenceCache();
    let text = original;
    const additions = [' Officials in Tashkent disputed the figure.', ' Russia deployed 4,000 troops to Tajikistan in 2015.', ' [@nokey2000]', '\n\n', 'x', ' "we will leave," he said.'];
    for (let step = 0; step < 60; step++) {
      if (step % 20 === 0) text = original;
      const at = rng.int(0, text.length);
      text = rng.chance(0.3) ? text.slice(0, at) + text.slice(Math.min(text.length, at + rng.int(1, 30))) : text.slice(0, at) + rng.pick(additions) + text.slice(at);
      const options = step % 7 === 3 ? { paragraphCitations: true } : {};
      const cached = checkDraft(parser.parse(text), built.index, options, cache);
      const fresh = checkDraft(parseDraftWhole(text), built.index, options);
      assert.deepStrictEqual(cached, fresh, `step ${step}`);
    }
  });
});
