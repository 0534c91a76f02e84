import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { frontMatterBibliography, frontMatterEnd, MAX_BIBLIOGRAPHY_FILES, parseDraft, parseDraftWhole, tooDearForMarkdown } from '../../src/core/draft';
import type { Draft, DraftSentence } from '../../src/core/draftTypes';
import { inlineNoteCitations, inlineNoteDrafts } from '../../src/core/inlineNoteDrafts';

function raws(draft: Draft): string[] {
  return draft.sentences.map((s) => s.raw);
}

function sentence(draft: Draft, startsWith: string): DraftSentence {
  const found = draft.sentences.find((s) => s.raw.startsWith(startsWith));
  assert.ok(found, `no sentence starting with ${JSON.stringify(startsWith)} in ${JSON.stringify(raws(draft))}`);
  return found;
}

/** Every range in the draft points at the text it claims to. */
function assertConsistent(draft: Draft): void {
  const { text } = draft;
  let previousEnd = -1;
  draft.sentences.forEach((s, i) => {
    assert.equal(s.index, i);
    assert.ok(s.start >= 0 && s.end <= text.length && s.start < s.end, `range of ${JSON.stringify(s.raw)}`);
    assert.equal(text.slice(s.start, s.end), s.raw);
    assert.ok(s.start >= previousEnd, 'sentences in order and disjoint');
    previousEnd = s.end;
    assert.equal(s.raw, s.raw.trim(), 'sentences are trimmed');
    assert.ok(draft.paragraphs[s.paragraph].sentences.includes(i));
    for (const g of s.citations) {
      assert.ok(g.start >= s.start && g.end <= s.end, 'citation inside its sentence');
      for (const c of g.citations) {
        assert.equal(text.slice(c.keyStart, c.keyEnd), c.key);
        assert.ok(c.start >= g.start && c.end <= g.end);
      }
    }
    for (const l of s.links) assert.ok(l.start >= s.start && l.start < s.end);
  });
  draft.paragraphs.forEach((p, i) => {
    assert.equal(p.index, i);
    assert.ok(p.sentences.length > 0);
    for (const si of p.sentences) {
      const s = draft.sentences[si];
      assert.ok(s.start >= p.start && s.end <= p.end, 'sentence inside its paragraph');
    }
  });
  for (const g of draft.citations) {
    for (const c of g.citations) assert.equal(text.slice(c.keyStart, c.keyEnd), c.key);
  }
}

describe('parseDraft', () => {
  describe('prose and offsets', () => {
    it('splits paragraphs into sentences with exact offsets', () => {
      const text = 'The CSTO was founded in 2002. Uzbekistan withdrew\nin 2012.\n\nA second paragraph.';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['The CSTO was founded in 2002.', 'Uzbekistan withdrew\nin 2012.', 'A second paragraph.']);
      assert.equal(draft.paragraphs.length, 2);
      assert.deepEqual(draft.paragraphs[0].sentences, [0, 1]);
      assert.equal(draft.sentences[1].plain, 'Uzbekistan withdrew in 2012.');
      assertConsistent(draft);
    });

    it('keeps offsets right with CRLF line endings and a byte order mark', () => {
      const text = '\uFEFF---\r\ntitle: Memo\r\n---\r\n\r\n# Title\r\n\r\nFirst line\r\ncontinues [@golts2012, para. 2]. Second.\r\n\r\n- item [@a]\r\n';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['First line\r\ncontinues [@golts2012, para. 2].', 'Second.', 'item [@a]']);
      const first = draft.sentences[0];
      assert.equal(first.start, text.indexOf('First'));
      assert.equal(first.plain, 'First line continues.');
      const [group] = first.citations;
      assert.equal(text.slice(group.start, group.end), '[@golts2012, para. 2]');
      assert.equal(text.slice(group.citations[0].keyStart, group.citations[0].keyEnd), 'golts2012');
      assert.ok(draft.frontMatter);
      assert.equal(draft.frontMatter.start, 1);
      assert.equal(text.slice(draft.frontMatter.start, draft.frontMatter.end), '---\r\ntitle: Memo\r\n---');
      assert.deepEqual(draft.frontMatter.data, { title: 'Memo' });
      assertConsistent(draft);
    });

    it('counts offsets in UTF-16 code units', () => {
      const text = 'Emoji 😀 first. Then «quoted» [@a].';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Emoji 😀 first.', 'Then «quoted» [@a].']);
      assertConsistent(draft);
    });

    it('removes inline markup from plain text', () => {
      const text = 'The **U.S.** and *Russia* ~~never~~ agreed on `x.y` [terms](https://example.com/t "T") \\*here\\* &amp; there [@a].';
      const [s] = parseDraft(text).sentences;
      assert.equal(s.plain, 'The U.S. and Russia never agreed on terms *here* & there.');
    });

    it('handles tabs and hard line breaks', () => {
      const text = '-\tTabbed item. Second\\\nline.  \nThird.';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Tabbed item.', 'Second\\\nline.', 'Third.']);
      assert.equal(draft.sentences[1].plain, 'Second line.');
      assertConsistent(draft);
    });
  });

  describe('what is not prose', () => {
    it('skips YAML front matter and reads its data and bibliography', () => {
      const text = '---\ntitle: "A memo"\nbibliography: references.json\n---\nBody text.';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Body text.']);
      assert.deepEqual(draft.frontMatter?.data, { title: 'A memo', bibliography: 'references.json' });
      assert.deepEqual(draft.bibliography, ['references.json']);
    });

    it('reads a bibliography list and survives malformed YAML', () => {
      assert.deepEqual(parseDraft('---\nbibliography:\n  - a.json\n  - b.bib\n---\nX.').bibliography, ['a.json', 'b.bib']);
      const bad = parseDraft('---\ntitle: [unclosed\n---\nBody.');
      assert.deepEqual(bad.frontMatter?.data, {});
      assert.deepEqual(raws(bad), ['Body.']);
      assert.deepEqual(parseDraft('No front matter.').bibliography, []);
      // A list of thousands: the first MAX_BIBLIOGRAPHY_FILES are read, as before the parse.
      const names = Array.from({ length: 5_000 }, (_, i) => `r${i}.json`);
      const many = `---\nbibliography: [${names.join(', ')}]\n---\nX.`;
      assert.deepEqual(parseDraft(many).bibliography, names.slice(0, MAX_BIBLIOGRAPHY_FILES));
      assert.deepEqual(frontMatterBibliography(many), names.slice(0, MAX_BIBLIOGRAPHY_FILES));
    });

    it('skips fenced code, indented code, HTML blocks and headings', () => {
      const text = [
        '# A heading. With a sentence [@h].',
        '',
        'Setext heading',
        '==============',
        '',
        '```python',
        'print("Code. Not prose.")',
        '```',
        '',
        '~~~',
        'More code [@c].',
        '~~~',
        '',
        '    indented code. Also not prose.',
        '',
        '<div>',
        'An HTML block. Not prose.',
        '</div>',
        '',
        '[ref]: https://example.com/ref',
        '',
        '---',
        '',
        'Only this is prose.',
      ].join('\n');
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Only this is prose.']);
      assert.deepEqual(draft.citations, []);
    });

    it('keeps link destinations, image targets and inline code out of sentences', () => {
      const text = 'See [the report](https://example.com/a.B.C "Title. Here") now. An ![image. Alt](pic.png) here. Run `x. Y` first.';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['See [the report](https://example.com/a.B.C "Title. Here") now.', 'An ![image. Alt](pic.png) here.', 'Run `x. Y` first.']);
      assert.equal(draft.sentences[0].plain, 'See the report now.');
      assert.equal(draft.sentences[1].plain, 'An here.');
      assert.equal(draft.sentences[2].plain, 'Run first.');
      assert.deepEqual(draft.sentences[1].links, []);
    });

    it('keeps Pandoc attributes and the brackets of spans out of sentences', () => {
      const text = 'Karimov said "we will [never]{.mark} rejoin" [the bloc](https://x.org){target="_blank"}. A ![chart](c.png){width=50%} here. A set {like this} stays.';
      const draft = parseDraft(text);
      assert.deepEqual(
        draft.sentences.map((s) => s.plain),
        ['Karimov said "we will never rejoin" the bloc.', 'A here.', 'A set {like this} stays.'],
      );
      // A citation with attributes keeps its brackets: it is still a citation.
      const cited = parseDraft('Russia paid $230 million [@lee2013, para. 1]{.x}.');
      assert.deepEqual(cited.sentences.map((s) => [s.plain, s.citations.map((g) => g.citations.map((c) => c.key))]), [['Russia paid $230 million.', [['lee2013']]]]);
    });
  });

  describe('containers', () => {
    it('reads list items as prose in lists', () => {
      const text = 'Intro.\n\n- First item. Second sentence.\n- [ ] A task [@a].\n\n1. Numbered\n   item.';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Intro.', 'First item.', 'Second sentence.', 'A task [@a].', 'Numbered\n   item.']);
      assert.equal(draft.sentences[0].inList, false);
      assert.ok(draft.sentences.slice(1).every((s) => s.inList));
      assert.equal(draft.sentences[4].plain, 'Numbered item.');
      assert.equal(draft.paragraphs.length, 4);
      assertConsistent(draft);
    });

    it('reads each table cell on its own', () => {
      const text = '| Country | Event |\n|---|---|\n| Uzbekistan | Left in 2012. Rejoined later [@a]. |\n| Russia | Stayed \\| paid. |';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Country', 'Event', 'Uzbekistan', 'Left in 2012.', 'Rejoined later [@a].', 'Russia', 'Stayed \\| paid.']);
      assert.ok(draft.sentences.every((s) => s.inTable && !s.inList));
      assert.equal(sentence(draft, 'Rejoined').paragraph, sentence(draft, 'Left').paragraph);
      assert.notEqual(sentence(draft, 'Uzbekistan').paragraph, sentence(draft, 'Left').paragraph);
      assert.equal(sentence(draft, 'Stayed').plain, 'Stayed | paid.');
      assertConsistent(draft);
    });

    it('marks blockquotes as quoted', () => {
      const text = '> Karimov called it useless. It was\n> a "paper tiger" [@golts2012].\n\nOur view differs.';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Karimov called it useless.', 'It was\n> a "paper tiger" [@golts2012].', 'Our view differs.']);
      assert.deepEqual(draft.sentences.map((s) => s.quoted), [true, true, false]);
      assert.equal(draft.sentences[1].plain, 'It was a "paper tiger".');
      assert.equal(draft.sentences[1].citations.length, 1);
      assertConsistent(draft);
    });

    it('reads nested containers', () => {
      const text = '> - Quoted item [@a].\n>\n>   | x |\n>   |---|\n>   | cell. |';
      const draft = parseDraft(text);
      const item = sentence(draft, 'Quoted item');
      assert.ok(item.quoted && item.inList && !item.inTable);
      assert.equal(item.citations[0].citations[0].key, 'a');
      assertConsistent(draft);
    });
  });

  describe('citations in sentences', () => {
    it('attaches a citation after the final period to the sentence before it', () => {
      const text = 'Uzbekistan withdrew in 2012. [@golts2012] The bloc weakened.';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Uzbekistan withdrew in 2012. [@golts2012]', 'The bloc weakened.']);
      assert.equal(draft.sentences[0].citations[0].citations[0].key, 'golts2012');
      assert.equal(draft.sentences[0].plain, 'Uzbekistan withdrew in 2012.');
      assert.deepEqual(draft.sentences[1].citations, []);
    });

    it('attaches a citation before the final period', () => {
      const text = 'Uzbekistan withdrew in 2012 [@golts2012]. The bloc weakened [see @a, p. 3; @b].';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Uzbekistan withdrew in 2012 [@golts2012].', 'The bloc weakened [see @a, p. 3; @b].']);
      assert.deepEqual(draft.sentences[1].citations[0].citations.map((c) => c.key), ['a', 'b']);
      assert.equal(draft.sentences[0].plain, 'Uzbekistan withdrew in 2012.');
    });

    it('attaches a citation that opens a paragraph to its first sentence', () => {
      const draft = parseDraft('[@a] Opening claim. Second claim.');
      assert.deepEqual(raws(draft), ['[@a] Opening claim.', 'Second claim.']);
      assert.equal(draft.sentences[0].citations.length, 1);
    });

    it('keeps in-text citations in their own sentence', () => {
      const text = 'Growth was slow. @golts2012 [para. 4] argues that it failed. So did -@smith2013.';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), ['Growth was slow.', '@golts2012 [para. 4] argues that it failed.', 'So did -@smith2013.']);
      const [group] = draft.sentences[1].citations;
      assert.equal(group.bracketed, false);
      assert.equal(group.citations[0].locator?.number, 4);
      assert.equal(draft.sentences[1].plain, 'argues that it failed.');
      assert.equal(draft.sentences[2].citations[0].citations[0].suppressAuthor, true);
    });

    it('does not read citations in code, links, e-mail addresses or HTML', () => {
      const text = 'Write to policy@example.org about `[@code]` and <span title="@html">x</span> or <!-- [@comment] --> [a @b](https://x.org/@c). Done.';
      const draft = parseDraft(text);
      const keys = draft.citations.flatMap((g) => g.citations.map((c) => c.key));
      assert.deepEqual(keys, ['b']);
      assertConsistent(draft);
    });

    it('reads braced keys holding URLs without taking them for links', () => {
      const text = 'A claim [@{https://example.com/bib?x=1&y=2}, p. 3].';
      const [s] = parseDraft(text).sentences;
      assert.equal(s.citations[0].citations[0].key, 'https://example.com/bib?x=1&y=2');
      assert.deepEqual(s.links, []);
    });

    it('lists every citation group of the memo in order', () => {
      const text = 'One [@a].[^n] Two @b.\n\n[^n]: Note [@c, p. 2].\n\nThree [@d].';
      const draft = parseDraft(text);
      assert.deepEqual(draft.citations.map((g) => g.citations[0].key), ['a', 'b', 'c', 'd']);
    });
  });

  describe('links', () => {
    it('collects inline links, reference links and autolinks', () => {
      const text = 'See [the report](https://a.example/r) and [this][ref], <https://b.example/x>, www.c.example. Mail x@y.example.\n\n[ref]: https://ref.example/';
      const draft = parseDraft(text);
      const [s, mail] = draft.sentences;
      assert.deepEqual(s.links.map((l) => l.url), ['https://a.example/r', 'https://ref.example/', 'https://b.example/x', 'http://www.c.example']);
      assert.equal(text.slice(s.links[0].start, s.links[0].end), '[the report](https://a.example/r)');
      assert.deepEqual(mail.links, [], 'e-mail addresses are not sources');
      assert.equal(s.plain, 'See the report and this, https://b.example/x, www.c.example.');
    });

    it('does not end a sentence inside a bare URL', () => {
      const draft = parseDraft('Read https://example.org/path?x=1. Then decide.');
      assert.deepEqual(raws(draft), ['Read https://example.org/path?x=1.', 'Then decide.']);
    });
  });

  describe('footnotes', () => {
    it('reads references and definitions', () => {
      const text = 'Russia paid $230 million.[^1] Karimov agreed[^note].\n\n[^1]: See [@golts2012, para. 2] and [the story](https://example.com/s).\n\n[^note]: Plain note.\n    Continued here.';
      const draft = parseDraft(text);
      // A definition's prose is sentences too (the checker reads them against the note's citations).
      assert.deepEqual(raws(draft), ['Russia paid $230 million.[^1]', 'Karimov agreed[^note].', 'See [@golts2012, para. 2] and [the story](https://example.com/s).', 'Plain note.', 'Continued here.']);
      assert.deepEqual(draft.sentences.slice(2).map((s) => s.citations.flatMap((g) => g.citations.map((c) => c.key))), [['golts2012'], [], []]);
      assert.deepEqual(draft.sentences[2].links.map((l) => l.url), ['https://example.com/s']);
      assert.deepEqual(draft.sentences[0].footnoteRefs, ['1']);
      assert.deepEqual(draft.sentences[1].footnoteRefs, ['note']);
      assert.equal(draft.sentences[0].plain, 'Russia paid $230 million.');
      assert.equal(draft.sentences[1].plain, 'Karimov agreed.');
      const one = draft.footnotes.get('1');
      assert.ok(one);
      assert.equal(text.slice(one.start, one.end), '[^1]: See [@golts2012, para. 2] and [the story](https://example.com/s).');
      assert.equal(one.citations[0].citations[0].key, 'golts2012');
      assert.deepEqual(one.links.map((l) => l.url), ['https://example.com/s']);
      const note = draft.footnotes.get('note');
      assert.ok(note);
      assert.deepEqual(note.citations, []);
      assertConsistent(draft);
    });

    it("reads an inline note as part of the sentence before it, its words and citations left out of the sentence's own", () => {
      const text = 'Uzbekistan left the CSTO in 2012.^[See @golts2012 [para. 2]. A second note sentence.] It rejoined later.\n\nRent rose.^[@golts2012, para. 2] Moscow paid.^[Nested [a] and \\] escaped.] Then \\^[not a note].';
      const draft = parseDraft(text);
      assert.deepEqual(raws(draft), [
        'Uzbekistan left the CSTO in 2012.^[See @golts2012 [para. 2]. A second note sentence.]',
        'It rejoined later.',
        'Rent rose.^[@golts2012, para. 2]',
        'Moscow paid.^[Nested [a] and \\] escaped.]',
        'Then \\^[not a note].',
      ]);
      assert.deepEqual(draft.sentences.map((s) => s.plain), ['Uzbekistan left the CSTO in 2012.', 'It rejoined later.', 'Rent rose.', 'Moscow paid.', 'Then ^[not a note].']);
      assert.deepEqual(draft.sentences.map((s) => s.citations.length), [0, 0, 0, 0, 0]);
      // Each note reads as a text of its own, its offset given in the memo; its citations (as the
      // memo's parse reads them) source the sentence.
      const notes = draft.sentences.map((s) => inlineNoteDrafts(draft, s).map((n) => ({ at: n.offset, text: n.draft.text, sentences: n.draft.sentences.map((x) => x.plain) })));
      assert.deepEqual(notes, [
        [{ at: text.indexOf('See'), text: 'See @golts2012 [para. 2]. A second note sentence.', sentences: ['See.', 'A second note sentence.'] }],
        [],
        [{ at: text.indexOf('@golts2012, para. 2]'), text: '@golts2012, para. 2', sentences: [', para. 2'] }],
        [{ at: text.indexOf('Nested'), text: 'Nested [a] and \\] escaped.', sentences: ['Nested [a] and] escaped.'] }],
        [],
      ]);
      const cited = draft.sentences.map((s) => inlineNoteCitations(draft, s).flatMap((g) => g.citations.map((c) => `${c.key} ${c.locator?.value ?? ''}`)));
      assert.deepEqual(cited, [['golts2012 2'], [], ['golts2012 2'], [], []]);
      assertConsistent(draft);
    });

    it('matches references to definitions case-insensitively', () => {
      const draft = parseDraft('Claim.[^Src]\n\n[^src]: [@a].');
      assert.deepEqual(draft.sentences[0].footnoteRefs, ['src']);
      assert.ok(draft.footnotes.get('src'));
    });
  });

  describe('ignore comments', () => {
    it('silences the paragraph after an ignore comment', () => {
      const text = 'Checked.\n\n<!-- policy-cite: ignore -->\nSilenced one. Silenced two.\n\nChecked again.';
      const draft = parseDraft(text);
      assert.deepEqual(draft.sentences.map((s) => [s.raw, s.ignored]), [
        ['Checked.', false],
        ['Silenced one.', true],
        ['Silenced two.', true],
        ['Checked again.', false],
      ]);
    });

    it('silences one sentence when the comment opens it inside a paragraph', () => {
      const text = 'Checked. <!-- policy-cite: ignore --> Silenced. Checked too.';
      const draft = parseDraft(text);
      assert.deepEqual(draft.sentences.map((s) => [s.raw, s.ignored]), [
        ['Checked.', false],
        ['Silenced.', true],
        ['Checked too.', false],
      ]);
    });

    it('silences text written after the comment on the same line', () => {
      const text = '<!-- policy-cite: ignore --> Silenced first.\nSilenced second.\n\nChecked.';
      const draft = parseDraft(text);
      assert.deepEqual(draft.sentences.map((s) => [s.raw, s.ignored]), [
        ['Silenced first.', true],
        ['Silenced second.', true],
        ['Checked.', false],
      ]);
      assertConsistent(draft);
    });

    it('silences a whole list or table after the comment', () => {
      const text = '<!-- policy-cite: ignore -->\n- One.\n- Two.\n\nChecked.';
      const draft = parseDraft(text);
      assert.deepEqual(draft.sentences.map((s) => s.ignored), [true, true, false]);
    });

    it('silences a disable … enable region', () => {
      const text = 'Before.\n\n<!-- policy-cite: disable -->\n\nA.\n\n- B.\n\n> C.\n\n<!--policy-cite:enable-->\n\nAfter. <!-- policy-cite: disable --> Rest. Of it.\n\nEnd.';
      const draft = parseDraft(text);
      assert.deepEqual(draft.sentences.map((s) => [s.raw, s.ignored]), [
        ['Before.', false],
        ['A.', true],
        ['B.', true],
        ['C.', true],
        ['After.', false],
        ['Rest.', true],
        ['Of it.', true],
        ['End.', true],
      ]);
    });

    it('does not obey comments inside code', () => {
      const text = '```\n<!-- policy-cite: disable -->\n```\n\nChecked. `<!-- policy-cite: ignore -->` Checked too.';
      const draft = parseDraft(text);
      assert.ok(draft.sentences.every((s) => !s.ignored));
    });
  });

  describe('robustness', () => {
    const nasty = [
      '',
      '\uFEFF',
      '\r\n\r\n',
      '[',
      ']]]]',
      '[@',
      '@',
      '[@a',
      '[@a; @',
      '-@',
      '@{',
      '@{}',
      '[^',
      '[^1]:',
      '<!--',
      '<!-- policy-cite: ignore -->',
      '<!-- policy-cite: disable -->',
      '---',
      '---\n',
      '---\n---',
      '```',
      '> ',
      '- ',
      '| a |\n|---|',
      '| a |\n|---|\n| [@b] |',
      '*a **b* c**',
      '`unterminated code [@a].',
      'Text [@a, p. 3; -@b, {pp. i, ii} ; see @c] more.\r\nNext line @d [p. 4]. Final?',
      '> quote [@a\n> , p. 3] split. Next.',
      '1. a\n   > b [@c].\n\n   c.',
      'A.[^x][^y] B.\n\n[^x]: [@a]\n[^y]: y',
      '\t\tTabs. \u00a0Non-breaking.\u2028Line separator. \u0085Next line.',
      'Emoji 👍🏽. Lone surrogate \ud800 here. Other \udc00.',
      '<!-- policy-cite: ignore --> <div>x</div>\nText.',
      'x <!-- policy-cite: ignore -->',
      '[link](<dest with spaces> "title") [@a].',
      '::: {.note}\nInside. Two.\n:::',
      '#',
      '# [@a]',
      '\\[@a] \\@b',
      '[![img](a.png)](https://x.y) [@c]',
      '[a]{.b} [x](y){#z} ]{.c} [[d]{.e}]{f="}"} {.g} ){ h',
    ];

    it('never throws and keeps every range consistent on nasty inputs', () => {
      for (const text of nasty) {
        let draft: Draft;
        try {
          draft = parseDraft(text);
        } catch (error) {
          assert.fail(`threw on ${JSON.stringify(text)}: ${String(error)}`);
        }
        assertConsistent(draft);
      }
    });

    it('keeps ranges consistent on random Markdown-like input', () => {
      const alphabet = ['a', 'B', ' ', '.', '?', '\n', '\r\n', '[', ']', '@', '-', ';', ',', '*', '_', '`', '>', '#', '|', '!', '(', ')', '<', '>', '^', ':', '~', '\\', '&', '{', '}', 'p. 3', '<!--', '-->', '```', '\t', '1.', 'é', '😀', 'http://x.y'];
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }), (parts) => {
          assertConsistent(parseDraft(parts.join('')));
        }),
        { numRuns: 300 },
      );
    });

    // Inputs on which micromark's cost grows with the square of their length: 40 KB of them took
    // micromark from 2 s ("[a](b) ") to 5 minutes ("* - ") here. (Their cost is compared with
    // smaller ones in test/unit/linear.test.ts; mocha's timeout stops a hang.)
    it('reads Markdown that micromark would take seconds over with the line reader', () => {
      for (const unit of ['* - ', '1. ', '> ', '>', ']', '](', '*a', '**a', '~~a', '_a ', ']\n', '> ]\n', '[^a] ', '[a](b) ', '[a](b)\n', '[^a]: x\n', '[a]: x\n', '[a]: x ]\n', '[', '[ <', '[(<', '``\\', '`\\`']) {
        const text = `Intro [@a].\n\n${unit.repeat(Math.ceil(40_000 / unit.length))}\n\nLast sentence [@b].\n`;
        assert.ok(tooDearForMarkdown(text), JSON.stringify(unit));
        const draft = parseDraft(text);
        assertConsistent(draft);
        assert.deepEqual(draft, parseDraftWhole(text));
        assert.equal(draft.sentences[0].raw, 'Intro [@a].');
        assert.equal(draft.sentences[draft.sentences.length - 1].raw, 'Last sentence [@b].');
      }
      // Nesting: 32 containers on a line are read by micromark, 33 are not.
      assert.equal(tooDearForMarkdown(`${'> '.repeat(32)}Deep.`), false);
      assert.equal(tooDearForMarkdown(`${'> '.repeat(33)}Deep.`), true);
      assert.equal(tooDearForMarkdown(`${'- '.repeat(16)}${'1. '.repeat(16)}${'> '.repeat(1)}Deep.`), true);
    });

    // A memo's inline references of a few hundred works make front matter of 50 KB without a blank
    // line: counted as a Markdown block, the memo was read by lines, and parsed whole at each edit.
    it('reads a memo with long front matter with micromark, and front matter micromark ends sooner as Markdown', () => {
      const references = Array.from({ length: 600 }, (_, i) => `- id: work${i}\n  type: book\n  title: "Study ${i} of border security in Central Asia and its neighbours"\n  author:\n  - family: Author${i}\n`).join('');
      const body = '# Findings\n\n| Year | Event |\n| --- | --- |\n| 2012 | Uzbekistan left the CSTO [@work1]. |\n\nRussia *objected* [@work2, p. 4].\n';
      const memo = `---\ntitle: Memo\nreferences:\n${references}---\n\n${body}`;
      assert.ok(memo.indexOf('\n---\n') > 50_000);
      assert.equal(tooDearForMarkdown(memo), false);
      const draft = parseDraft(memo);
      assert.equal(draft.readAsLines, undefined);
      assert.equal((draft.frontMatter?.data.references as unknown[]).length, 600);
      // (The table read as one, which the line reader does not.)
      assert.deepEqual(draft.sentences.filter((x) => x.citations.length > 0).map((x) => [x.raw, x.inTable]), [
        ['Uzbekistan left the CSTO [@work1].', true],
        ['Russia *objected* [@work2, p. 4].', false],
      ]);
      assert.equal(tooDearForMarkdown(`\uFEFF---\r\n${references.replace(/\n/g, '\r\n')}--- \r\n\r\n${body}`), false);
      // A carriage return alone ends a line for micromark: here its front matter ends at the
      // first fence, and what follows up to the second is a Markdown block too long for it.
      assert.equal(tooDearForMarkdown(`---\ntitle: x\r---\r${references}---\n\n${body}`), true);
      // No closing fence: no front matter, a block like any other.
      assert.equal(tooDearForMarkdown(`---\ntitle: x\n${references}\n\n${body}`), true);
    });

    // (One reading of where front matter ends serves tooDearForMarkdown and the incremental parser.)
    it('finds where front matter ends as micromark does', () => {
      assert.equal(frontMatterEnd('No front matter.\n---\n'), 0);
      assert.equal(frontMatterEnd('---'), 0);
      assert.equal(frontMatterEnd('---\ntitle: x\n'), -1);
      assert.equal(frontMatterEnd('---\ntitle: x\n---'), 16);
      assert.equal(frontMatterEnd('\uFEFF--- \r\ntitle: x\r\n---\t\r\nBody.'), 23);
      assert.equal(frontMatterEnd(`---\ntitle: x\n---${' '.repeat(100)}\nBody.`), 117);
      const piece = fc.constantFrom('---', '--- ', '----', '-', ' ---', 'title: x', 'Body.', '\n', '\r\n', '\t', '\uFEFF');
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
          const text = pieces.join('');
          const end = frontMatterEnd(text);
          const read = parseDraftWhole(text).frontMatter;
          assert.equal(end > 0, read !== undefined, JSON.stringify(text));
          // (micromark's span ends before the closing fence's line ending.)
          if (read) assert.match(text.slice(read.end, end), /^\r?\n?$/, JSON.stringify(text));
        }),
        { numRuns: 1000 },
      );
    });

    it('reads ordinary long paragraphs, lists and tables with micromark', () => {
      const paragraph = 'Russia deployed *4,000* troops in 2015 [@golts2012, para. 2], see [the report](https://example.org/r_1). '.repeat(40);
      const list = Array.from({ length: 400 }, (_, i) => `- Item ${i} cites [@a, para. ${i}] and **stresses** it.`).join('\n');
      const table = `| Year | Source |\n| --- | --- |\n${Array.from({ length: 400 }, (_, i) => `| ${1990 + i} | [@k${i}] *x* |`).join('\n')}`;
      // A reference list of 500 links (40 KB), notes with their own text.
      const links = Array.from({ length: 500 }, (_, i) => `[r${i}]: https://example.org/reports/${i}_full?lang=en&page=2 "Report ${i}"`).join('\n');
      const notes = Array.from({ length: 300 }, (_, i) => `[^${i}]: Note ${i}, see [@k${i}, para. 2] and [r${i}].`).join('\n');
      for (const text of [paragraph, list, table, links, notes, `${paragraph}\n\n${list}\n\n${table}\n\n${links}\n\n${notes}`]) assert.equal(tooDearForMarkdown(text), false, text.slice(0, 40));
      assert.equal(parseDraft(list).sentences.filter((x) => x.inList).length, 400);
    });

    // (Its cost grows linearly with the input: test/unit/linear.test.ts; mocha's timeout stops a hang.)
    it('parses a 1 MB single line', () => {
      const unit = 'Word *em* [@a, p. 3] `c` [l](http://x) and @b [para. 2] more. ';
      const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
      const draft = parseDraft(text);
      assert.equal(draft.sentences.length, Math.ceil(1_000_000 / unit.length));
      assert.equal(draft.citations.length, 2 * draft.sentences.length);
      assert.equal(draft.sentences[5].raw, unit.trim());
    });

    it('still skips front matter, headings and code around a huge paragraph', () => {
      const huge = 'Filler sentence here [@f]. '.repeat(5000);
      const text = `---\r\nbibliography: refs.json\r\n---\r\n# Heading.\r\n\r\n\`\`\`\r\nCode. More code.\r\n\`\`\`\r\n\r\n<!-- policy-cite: ignore -->\r\nSilenced.\r\n\r\n- Item one [@a].\r\n\r\n> Quoted.\r\n\r\n${huge}\r\n\r\nLast.`;
      const draft = parseDraft(text);
      assertConsistent(draft);
      assert.deepEqual(draft.bibliography, ['refs.json']);
      assert.deepEqual(raws(draft).slice(0, 3), ['Silenced.', 'Item one [@a].', 'Quoted.']);
      assert.deepEqual(draft.sentences.slice(0, 3).map((s) => [s.ignored, s.inList, s.quoted]), [
        [true, false, false],
        [false, true, false],
        [false, false, true],
      ]);
      assert.equal(draft.sentences.length, 3 + 5000 + 1);
      assert.equal(draft.sentences[draft.sentences.length - 1].raw, 'Last.');
      assert.equal(draft.citations.length, 5001);
    });

    it('parses a long memo of ordinary paragraphs linearly', () => {
      const para = 'The CSTO was founded in 2002 [@golts2012, para. 2]. Russia *spent* $230 million, per [a report](https://example.com). Analysts disagree.\n\n';
      const small = para.repeat(100);
      const large = para.repeat(800);
      const t0 = Date.now();
      parseDraft(small);
      const t1 = Date.now();
      const draft = parseDraft(large);
      const t2 = Date.now();
      assert.equal(draft.sentences.length, 2400);
      assert.ok(t2 - t1 < Math.max(2000, 30 * (t1 - t0)), `small ${t1 - t0} ms, large ${t2 - t1} ms`);
    });
  });
});
