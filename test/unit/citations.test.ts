import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { citableKey, citationTarget, citationTargets, citedParagraph, citedParagraphRanges, keyText as citeKeyText, locatorTerm, paragraphOf, parseCitations } from '../../src/core/citations';
import { formatCitation } from '../../src/core/edit/citationEdit';
import { parseDraft } from '../../src/core/draft';
import { citationAt } from '../../src/core/edit/citationEdit';
import { parseSource } from '../../src/core/source';
import type { Citation, CitationGroup } from '../../src/core/draftTypes';

function only(text: string): CitationGroup {
  const groups = parseCitations(text);
  assert.equal(groups.length, 1, `one group in ${JSON.stringify(text)}, got ${groups.length}`);
  return groups[0];
}

function slice(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

function keyText(text: string, c: Citation): string {
  return text.slice(c.keyStart, c.keyEnd);
}

describe('parseCitations', () => {
  describe('bracketed groups', () => {
    it('reads [@key] with exact offsets', () => {
      const text = 'Uzbekistan left the CSTO [@golts2012].';
      const g = only(text);
      assert.equal(slice(text, g), '[@golts2012]');
      assert.equal(g.bracketed, true);
      assert.equal(g.citations.length, 1);
      const [c] = g.citations;
      assert.equal(c.key, 'golts2012');
      assert.equal(keyText(text, c), 'golts2012');
      assert.equal(slice(text, c), '@golts2012');
      assert.equal(c.suppressAuthor, false);
      assert.equal(c.prefix, undefined);
      assert.equal(c.suffix, undefined);
      assert.equal(c.locator, undefined);
    });

    it('reads a paragraph locator after a comma', () => {
      const text = 'It cost $230 million [@golts2012, para. 2].';
      const g = only(text);
      assert.equal(slice(text, g), '[@golts2012, para. 2]');
      const [c] = g.citations;
      assert.equal(slice(text, c), '@golts2012, para. 2');
      assert.deepEqual(c.locator, { label: 'para.', value: '2', number: 2 });
      assert.equal(c.suffix, undefined);
    });

    it('reads prefixes, locators and several citations', () => {
      const text = 'x [see @a, p. 3; also @b, pp. 4-5] y';
      const g = only(text);
      assert.equal(slice(text, g), '[see @a, p. 3; also @b, pp. 4-5]');
      assert.equal(g.citations.length, 2);
      const [a, b] = g.citations;
      assert.equal(slice(text, a), 'see @a, p. 3');
      assert.equal(a.prefix, 'see');
      assert.equal(a.key, 'a');
      assert.equal(keyText(text, a), 'a');
      assert.deepEqual(a.locator, { label: 'p.', value: '3', number: 3 });
      assert.equal(slice(text, b), 'also @b, pp. 4-5');
      assert.equal(b.prefix, 'also');
      assert.deepEqual(b.locator, { label: 'pp.', value: '4-5', number: 4 });
    });

    it('reads [-@key] as suppressing the author', () => {
      const text = 'Golts says so [-@golts2012, p. 7].';
      const [c] = only(text).citations;
      assert.equal(c.suppressAuthor, true);
      assert.equal(slice(text, c), '-@golts2012, p. 7');
      assert.equal(keyText(text, c), 'golts2012');
      assert.equal(c.locator?.number, 7);
    });

    it('reads a locator without a comma ([@key p. 33])', () => {
      const text = '[@key p. 33]';
      const [c] = only(text).citations;
      assert.deepEqual(c.locator, { label: 'p.', value: '33', number: 33 });
    });

    it('keeps the text after the locator as suffix', () => {
      const text = '[@doe99, pp. 33-35, 38-39 and *passim*]';
      const [c] = only(text).citations;
      assert.deepEqual(c.locator, { label: 'pp.', value: '33-35, 38-39', number: 33 });
      assert.equal(c.suffix, 'and *passim*');
    });

    it('reads a range written with two hyphens (Pandoc\'s en dash) as one locator', () => {
      const [c] = only('[@doe99, paras. 2--3 and passim]').citations;
      assert.deepEqual(c.locator, { label: 'paras.', value: '2--3', number: 2 });
      assert.equal(c.suffix, 'and passim');
      const [d] = only('[@doe99, p. 2-- 3]').citations;
      assert.deepEqual(d.locator, { label: 'p.', value: '2', number: 2 });
    });

    it('keeps a suffix that is no locator as written', () => {
      const [c] = only('[@key, and elsewhere]').citations;
      assert.equal(c.locator, undefined);
      assert.equal(c.suffix, ', and elsewhere');
    });

    it('reads locator labels as written', () => {
      const cases: Array<[string, string, string, number | undefined]> = [
        ['[@k, ¶ 4]', '¶', '4', 4],
        ['[@k, ¶4]', '¶', '4', 4],
        ['[@k, paras. 2-3]', 'paras.', '2-3', 2],
        ['[@k, Para. 5]', 'Para.', '5', 5],
        ['[@k, para 6]', 'para', '6', 6],
        ['[@k, paragraph 7]', 'paragraph', '7', 7],
        ['[@k, page 12]', 'page', '12', 12],
        ['[@k, chap. 3]', 'chap.', '3', 3],
        ['[@k, ch. 4]', 'ch.', '4', 4],
        ['[@k, sec. 2.1]', 'sec.', '2.1', 2],
        ['[@k, § 3]', '§', '3', 3],
        ['[@k, fig. 9]', 'fig.', '9', 9],
        ['[@k, line 14]', 'line', '14', 14],
        ['[@k, vol. 2]', 'vol.', '2', 2],
        ['[@k, note 5]', 'note', '5', 5],
        ['[@k, n. 12]', 'n.', '12', 12],
        ['[@k, pp. iv-vi]', 'pp.', 'iv-vi', undefined],
        ['[@k, chap. {III}]', 'chap.', 'III', undefined],
        ['[@k, {pp. iv, vi-xi}]', 'pp.', 'iv, vi-xi', undefined],
        ['[@k, 33]', '', '33', 33],
      ];
      for (const [text, label, value, number] of cases) {
        const [c] = only(text).citations;
        assert.ok(c.locator, text);
        assert.equal(c.locator.label, label, text);
        assert.equal(c.locator.value, value, text);
        assert.equal(c.locator.number, number, text);
      }
    });

    it('does not take a word that merely starts like a label', () => {
      const [c] = only('[@k, pages of history]').citations;
      assert.equal(c.locator, undefined);
      assert.equal(c.suffix, ', pages of history');
    });

    it('requires every part of a group to cite', () => {
      // Pandoc reads "[@a; and more]" as text holding an in-text citation.
      const text = '[@a; and more]';
      const g = only(text);
      assert.equal(g.bracketed, false);
      assert.equal(slice(text, g), '@a');
    });

    it('ignores footnotes, images, links and escaped brackets', () => {
      assert.deepEqual(parseCitations('Note[^1] here.'), []);
      const image = parseCitations('![@a](x.png)');
      assert.ok(image.every((g) => !g.bracketed));
      const link = parseCitations('[@a](http://x)');
      assert.ok(link.every((g) => !g.bracketed));
      assert.ok(parseCitations('\\[@a]').every((g) => !g.bracketed));
    });

    it('allows a line break inside a group', () => {
      const text = 'x [see\n@a, p. 3] y';
      const g = only(text);
      assert.equal(slice(text, g), '[see\n@a, p. 3]');
      assert.equal(g.citations[0].prefix, 'see');
    });
  });

  describe('in-text citations', () => {
    it('reads @key', () => {
      const text = 'As @golts2012 argues, the bloc failed.';
      const g = only(text);
      assert.equal(g.bracketed, false);
      assert.equal(slice(text, g), '@golts2012');
      assert.equal(keyText(text, g.citations[0]), 'golts2012');
    });

    it('reads @key [para. 2] with its locator', () => {
      const text = '@golts2012 [para. 2] says the bloc failed.';
      const g = only(text);
      assert.equal(slice(text, g), '@golts2012 [para. 2]');
      assert.equal(g.citations.length, 1);
      assert.deepEqual(g.citations[0].locator, { label: 'para.', value: '2', number: 2 });
    });

    it('reads @key [p. 33; @other]', () => {
      const text = 'See @a [p. 33; @b].';
      const g = only(text);
      assert.equal(slice(text, g), '@a [p. 33; @b]');
      assert.deepEqual(g.citations.map((c) => c.key), ['a', 'b']);
      assert.equal(g.citations[0].locator?.number, 33);
      assert.equal(slice(text, g.citations[1]), '@b');
    });

    it('reads -@key in text', () => {
      const text = 'Golts -@golts2012 says.';
      const [c] = only(text).citations;
      assert.equal(c.suppressAuthor, true);
      assert.equal(slice(text, c), '-@golts2012');
    });

    it('does not take a bracket that is a link', () => {
      const text = '@a [here](http://x)';
      const g = only(text);
      assert.equal(slice(text, g), '@a');
    });

    it('does not take e-mail addresses or handles inside words', () => {
      assert.deepEqual(parseCitations('Write to name@example.com or first.last@example.org.'), []);
      assert.deepEqual(parseCitations('https://twitter.com/@someone'), []);
      assert.deepEqual(parseCitations('\\@notacite'), []);
    });

    it('ends a key before final punctuation', () => {
      const text = 'As shown by @doe99. Later @smith_2010, and (@roe-2011).';
      const keys = parseCitations(text).map((g) => g.citations[0].key);
      assert.deepEqual(keys, ['doe99', 'smith_2010', 'roe-2011']);
      const possessive = only("@golts2012's view");
      assert.equal(possessive.citations[0].key, 'golts2012');
    });
  });

  describe('keys', () => {
    it('accepts internal punctuation', () => {
      const text = '[@doe:2006/fig.3; @a.b#c$d%e&f-g+h?i<j>k~l; @_under; @2001odyssey]';
      const g = only(text);
      assert.deepEqual(
        g.citations.map((c) => c.key),
        ['doe:2006/fig.3', 'a.b#c$d%e&f-g+h?i<j>k~l', '_under', '2001odyssey'],
      );
      for (const c of g.citations) assert.equal(keyText(text, c), c.key);
    });

    it('accepts non-ASCII letters', () => {
      const text = '[@müller2019; @王2020]';
      assert.deepEqual(only(text).citations.map((c) => c.key), ['müller2019', '王2020']);
    });

    it('reads braced keys', () => {
      const text = 'See [@{https://example.com/bib?name=foobar&date=2000}, p. 33].';
      const g = only(text);
      const [c] = g.citations;
      assert.equal(c.key, 'https://example.com/bib?name=foobar&date=2000');
      assert.equal(keyText(text, c), c.key);
      assert.equal(c.locator?.number, 33);
      const inText = '@{odd}key} stays';
      assert.equal(only(inText).citations[0].key, 'odd');
    });

    it('reads `;`, `[` and `]` inside a braced key as part of it, as Pandoc does', () => {
      // (pandoc 2.17 --citeproc resolves each of these against an entry of that id.)
      for (const key of ['a;b', 'a]b', 'a[b', '10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0']) {
        const text = `Text [@{${key}}, para. 1; @golts2012, para. 2].`;
        assert.deepEqual(only(text).citations.map((c) => [c.key, c.locator?.value]), [[key, '1'], ['golts2012', '2']], text);
      }
    });

    it('does not start a key with punctuation', () => {
      assert.deepEqual(parseCitations('[@.dot] [@-dash] @ alone'), []);
    });
  });

  it('respects from and to', () => {
    const text = '[@a] middle [@b] end [@c]';
    const groups = parseCitations(text, 5, 17);
    assert.deepEqual(groups.map((g) => g.citations[0].key), ['b']);
    assert.equal(slice(text, groups[0]), '[@b]');
    const cut = parseCitations(text, 0, 3);
    assert.ok(cut.every((g) => !g.bracketed && g.end <= 3), 'a group cut by the range is no bracketed group');
  });

  it('is linear on pathological input', () => {
    const inputs = ['['.repeat(200_000), '@'.repeat(200_000), '(@{'.repeat(70_000), '[@a '.repeat(50_000), '[@a, p. '.repeat(30_000)];
    for (const input of inputs) {
      const t0 = Date.now();
      parseCitations(input);
      assert.ok(Date.now() - t0 < 3000, `${input.slice(0, 8)}… took ${Date.now() - t0} ms`);
    }
  });
});

describe('locatorTerm', () => {
  it('maps labels to CSL terms', () => {
    assert.equal(locatorTerm('para.'), 'paragraph');
    assert.equal(locatorTerm('¶'), 'paragraph');
    assert.equal(locatorTerm('Paragraphs'), 'paragraph');
    assert.equal(locatorTerm('pp.'), 'page');
    assert.equal(locatorTerm(''), 'page');
    assert.equal(locatorTerm('ch.'), 'chapter');
    assert.equal(locatorTerm('§'), 'section');
    assert.equal(locatorTerm('n.'), 'note');
    assert.equal(locatorTerm('bogus'), undefined);
  });
});

describe('where a citation points', () => {
  const golts = readFileSync(path.resolve(__dirname, '../../examples/csto/sources/golts-2012-the-collapsing-csto.md'), 'utf8');
  const source = parseSource(golts, 'sources/golts.md');

  it('citedParagraph reads a paragraph locator, and only that', () => {
    const cited = (text: string): number | undefined => citedParagraph(only(text).citations[0]);
    assert.equal(cited('[@golts2012, para. 2]'), 2);
    assert.equal(cited('[@golts2012, ¶ 4]'), 4);
    assert.equal(cited('[@golts2012, paras. 3-5]'), 3);
    assert.equal(cited('[@golts2012, Paragraph 17]'), 17);
    assert.equal(cited('[@golts2012, p. 2]'), undefined);
    assert.equal(cited('[@golts2012, 2]'), undefined);
    assert.equal(cited('[@golts2012]'), undefined);
  });

  it('citedParagraphRanges reads ranges and lists of paragraphs', () => {
    const ranges = (text: string): Array<[number, number]> | undefined => citedParagraphRanges(only(text).citations[0]);
    assert.deepEqual(ranges('[@golts2012, para. 2]'), [[2, 2]]);
    assert.deepEqual(ranges('[@golts2012, paras. 3-5]'), [[3, 5]]);
    assert.deepEqual(ranges('[@golts2012, ¶¶ 3–5]'), [[3, 5]]);
    assert.deepEqual(ranges('[@golts2012, paras. 10--12]'), [[10, 12]]);
    assert.deepEqual(ranges('[@golts2012, paras. 2, 5, 7-8]'), [[2, 2], [5, 5], [7, 8]]);
    // A range written backwards is its first paragraph; what is no such list, the first alone.
    assert.deepEqual(ranges('[@golts2012, paras. 5-3]'), [[5, 5]]);
    assert.deepEqual(ranges('[@golts2012, para. 2ff]'), [[2, 2]]);
    assert.equal(ranges('[@golts2012, p. 2]'), undefined);
    assert.equal(ranges('[@golts2012]'), undefined);
  });

  it('citationTarget is the cited paragraph in the source file, or its start', () => {
    const target = (text: string): string => {
      const span = citationTarget(only(text).citations[0], source);
      return golts.slice(span.start, span.end);
    };
    assert.match(target('[@golts2012, para. 2]'), /^Two weeks ago, Uzbekistan gave notice .* following Tajikistan, announced that it would raise its rent on Russian bases there\.$/);
    assert.equal(target('[@golts2012, para. 17]'), '');
    assert.equal(target('[@golts2012, p. 2]'), '');
    assert.deepEqual(citationTarget(only('[@golts2012]').citations[0], source), { start: 0, end: 0 });
  });

  it('paragraphOf reads paragraph n as the n-th, and searches a list numbered otherwise', () => {
    for (const p of source.paragraphs) assert.equal(paragraphOf(source, p.index), p);
    assert.equal(paragraphOf(source, 0), undefined);
    assert.equal(paragraphOf(source, source.paragraphs.length + 1), undefined);
    // A list whose numbers are not its places (a paragraph left out): found by its number.
    const gapped = { paragraphs: source.paragraphs.filter((p) => p.index !== 2) };
    assert.equal(paragraphOf(gapped, 2), undefined);
    assert.equal(paragraphOf(gapped, 3), source.paragraphs[2]);
    assert.equal(paragraphOf(gapped, source.paragraphs.length), source.paragraphs[source.paragraphs.length - 1]);
  });

  it('citationTargets gives each cited range of paragraphs whole, up to the last the source has', () => {
    const targets = (text: string): string[] => citationTargets(only(text).citations[0], source).map((span) => golts.slice(span.start, span.end));
    const paragraph = (n: number): string => {
      const p = source.paragraphs.find((x) => x.index === n);
      return p ? golts.slice(p.start, p.end) : '';
    };
    assert.deepEqual(targets('[@golts2012, para. 2]'), [paragraph(2)]);
    const range = targets('[@golts2012, paras. 2-4]');
    assert.equal(range.length, 1);
    assert.ok(range[0].startsWith(paragraph(2)) && range[0].endsWith(paragraph(4)) && range[0].includes(paragraph(3)), range[0]);
    assert.deepEqual(targets('[@golts2012, paras. 2, 5]'), [paragraph(2), paragraph(5)]);
    // A range past the end stops at the last paragraph; one wholly past it is left out.
    const tail = targets('[@golts2012, paras. 12-20, 30]');
    assert.equal(tail.length, 1);
    assert.ok(tail[0].startsWith(paragraph(12)) && tail[0].endsWith(paragraph(13)), tail[0]);
    assert.deepEqual(citationTargets(only('[@golts2012, para. 17]').citations[0], source), [{ start: 0, end: 0 }]);
    assert.deepEqual(citationTargets(only('[@golts2012]').citations[0], source), [{ start: 0, end: 0 }]);
  });

  it('citationAt finds the citation at an offset, or the first of the group around it', () => {
    const memo = 'Uzbekistan left [see @golts2012, para. 2; @other2020, p. 3] in 2012. Plain text.\n';
    const draft = parseDraft(memo);
    assert.equal(citationAt(draft, memo.indexOf('@golts') + 2)?.key, 'golts2012');
    assert.equal(citationAt(draft, memo.indexOf('@other') + 2)?.key, 'other2020');
    assert.equal(citationAt(draft, memo.indexOf('[see')), draft.citations[0].citations[0]);
    assert.equal(citationAt(draft, memo.indexOf('Plain')), undefined);
  });
});

describe('citableKey: a source key Pandoc reads after a bare @', () => {
  it('keeps a key Pandoc reads whole, and makes one of a key it does not', () => {
    for (const key of ['golts2012', 'doe:2020', '10.1000/xyz.1', 'https://doi.org/10.1/x', 'smith_2020', 'Ünal2019', '日本2020']) assert.equal(citableKey(key), key);
    assert.equal(citableKey('roe 2020 (ed.)'), 'roe2020ed');
    assert.equal(citableKey('roe 2020$(alert)'), 'roe2020$alert');
    assert.equal(citableKey('[@x] y'), 'xy');
    assert.equal(citableKey('{ab c}'), 'abc');
    assert.equal(citableKey('x.'), 'x.'); // cited as @{x.}
    assert.equal(citableKey('a b. c'), 'ab.c');
    for (const key of ['', '  ', '( )', '% %']) assert.equal(citableKey(key), undefined);
  });

  it('keeps a key Pandoc reads only in braces, and cites it in braces', () => {
    // A DOI as a key (no white space, balanced braces): @{…} in Pandoc.
    const doi = '10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0';
    for (const key of [doi, 'smith(2020)', '[@x]', 'roe$(alert)']) {
      assert.equal(citableKey(key), key);
      assert.equal(citeKeyText(key), `{${key}}`);
      const text = `A sentence [${formatCitation({ key, locator: 'para. 1' })}].`;
      assert.deepEqual(only(text).citations.map((c) => [c.key, c.locator?.value]), [[key, '1']], text);
    }
    assert.equal(citeKeyText('golts2012'), 'golts2012');
    assert.equal(formatCitation({ key: 'golts2012', locator: 'para. 2' }), '@golts2012, para. 2');
    // Unbalanced braces cannot be braced: the key is made one Pandoc reads bare.
    assert.equal(citableKey('a{b'), 'ab');
  });

  it('gives keys that a citation written with them is read back as', () => {
    const keys = ['roe 2020 (ed.)', 'k` [x](command:a) `', 'a--b', '-x', 'key\u2028two', 'x::/y', 'é\u0301t\u00e9 2020', '\u{1d400}\u{1d401} 1'];
    for (const key of keys) {
      const citable = citableKey(key) as string;
      const text = `A sentence [${formatCitation({ key: citable, locator: 'para. 1' })}].`;
      assert.deepEqual(only(text).citations.map((c) => c.key), [citable], JSON.stringify(key));
    }
  });

  it("is what a source's citation-key becomes; a key with nothing left gives the derived key", () => {
    const source = (key: string) => parseSource(`---\ntitle: "T"\nauthor: Jane Roe\ndate: 2020-01-01\ncitation-key: ${JSON.stringify(key)}\n---\n\nUzbekistan left the CSTO in 2012.\n`, 'sources/k.md');
    assert.equal(source('roe 2020 (ed.)').key, 'roe2020ed');
    assert.equal(source('golts2012').key, 'golts2012');
    assert.equal(source('   ').key, 'roe2020');
  });
});
