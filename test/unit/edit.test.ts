import { strict as assert } from 'node:assert';
import { completionContextAt } from '../../src/core/completionContext';
import { applyEdits, bibliographyTarget, citationInsertion, frontMatterBibliographyEdit } from '../../src/core/edit/citationEdit';
import { parseDraft } from '../../src/core/draft';

const cite = { key: 'golts2012', locator: 'para. 3' };

function insert(text: string, cursor: string): string {
  const draft = parseDraft(text);
  const edit = citationInsertion(draft, text.indexOf(cursor), cite);
  return edit ? applyEdits(text, [edit]) : text;
}

describe('citation insertion', () => {
  it('goes before the closing punctuation, as Pandoc expects', () => {
    assert.equal(insert('Uzbekistan left the CSTO in 1999. It came back.\n', 'left'), 'Uzbekistan left the CSTO in 1999 [@golts2012, para. 3]. It came back.\n');
    assert.equal(insert('Did Uzbekistan leave?\n', 'leave'), 'Did Uzbekistan leave [@golts2012, para. 3]?\n');
  });

  it('is merged into the sentence’s existing citation group', () => {
    assert.equal(insert('Uzbekistan left the CSTO [@smith2010, p. 4].\n', 'left'), 'Uzbekistan left the CSTO [@smith2010, p. 4; @golts2012, para. 3].\n');
  });

  it('does nothing when the sentence already has that citation', () => {
    const text = 'Uzbekistan left the CSTO [@golts2012, para. 3].\n';
    assert.equal(citationInsertion(parseDraft(text), 3, cite), undefined);
  });

  it('keeps a footnote reference after the citation and handles a sentence with no final stop', () => {
    assert.equal(insert('Uzbekistan left the CSTO.[^1]\n\n[^1]: A note.\n', 'left'), 'Uzbekistan left the CSTO [@golts2012, para. 3].[^1]\n\n[^1]: A note.\n');
    assert.equal(insert('- Uzbekistan left the CSTO\n', 'left'), '- Uzbekistan left the CSTO [@golts2012, para. 3]\n');
  });

  it('keeps an inline note after the citation', () => {
    assert.equal(insert('Uzbekistan left the CSTO.^[A note [with] brackets.] It came back.\n', 'left'), 'Uzbekistan left the CSTO [@golts2012, para. 3].^[A note [with] brackets.] It came back.\n');
    assert.equal(insert('Uzbekistan left the CSTO^[A note.]\n', 'left'), 'Uzbekistan left the CSTO [@golts2012, para. 3]^[A note.]\n');
  });

  it("goes into an inline note for a sentence of the note, before the note's closing punctuation", () => {
    const text = 'Uzbekistan left the CSTO [@smith2010].^[Karimov withdrew in 1999. He came back.] It came back.\n';
    assert.equal(insert(text, 'withdrew'), 'Uzbekistan left the CSTO [@smith2010].^[Karimov withdrew in 1999 [@golts2012, para. 3]. He came back.] It came back.\n');
    assert.equal(insert(text, 'came back.]'), 'Uzbekistan left the CSTO [@smith2010].^[Karimov withdrew in 1999. He came back [@golts2012, para. 3].] It came back.\n');
    // Merged into the note sentence's own group, not the memo sentence's.
    const cited = 'Uzbekistan left the CSTO [@smith2010].^[Karimov withdrew in 1999 [@jones2011].]\n';
    assert.equal(insert(cited, 'withdrew'), 'Uzbekistan left the CSTO [@smith2010].^[Karimov withdrew in 1999 [@jones2011; @golts2012, para. 3].]\n');
    // Across a line break in a block quote.
    const quoted = '> Uzbekistan left the CSTO.^[Karimov withdrew\n> in 1999.]\n';
    assert.equal(insert(quoted, 'withdrew'), '> Uzbekistan left the CSTO.^[Karimov withdrew\n> in 1999 [@golts2012, para. 3].]\n');
    // The memo sentence itself still gets it after its own words.
    assert.equal(insert(text, 'left'), 'Uzbekistan left the CSTO [@smith2010; @golts2012, para. 3].^[Karimov withdrew in 1999. He came back.] It came back.\n');
  });
});

describe('front matter bibliography', () => {
  it('adds bibliography: to existing front matter, keeping line endings', () => {
    const text = '---\r\ntitle: Memo\r\n---\r\n\r\nText.\r\n';
    const edit = frontMatterBibliographyEdit(parseDraft(text), 'references.json');
    assert.ok(edit);
    assert.equal(applyEdits(text, [edit]), '---\r\ntitle: Memo\r\nbibliography: references.json\r\n---\r\n\r\nText.\r\n');
  });

  it('creates front matter when there is none, and leaves an existing entry alone', () => {
    const edit = frontMatterBibliographyEdit(parseDraft('Text.\n'), 'refs/my refs.json');
    assert.ok(edit);
    assert.equal(applyEdits('Text.\n', [edit]), '---\nbibliography: "refs/my refs.json"\n---\n\nText.\n');
    assert.equal(frontMatterBibliographyEdit(parseDraft('---\nbibliography: refs.json\n---\nText.\n'), 'references.json'), undefined);
  });

  it('finds the JSON bibliography the memo names, or refuses a non-JSON one', () => {
    assert.deepEqual(bibliographyTarget(parseDraft('---\nbibliography: [a.bib, refs.json]\n---\nText.\n')), { path: 'refs.json', fromFrontMatter: true });
    assert.ok('error' in bibliographyTarget(parseDraft('---\nbibliography: a.bib\n---\nText.\n')));
    assert.deepEqual(bibliographyTarget(parseDraft('Text.\n'), 'bib.json'), { path: 'bib.json', fromFrontMatter: false });
    assert.deepEqual(bibliographyTarget(parseDraft('Text.\n'), 'refs/Library.JSON'), { path: 'refs/Library.JSON', fromFrontMatter: false });
    assert.match((bibliographyTarget(parseDraft('Text.\n'), 'library.bib') as { error: string }).error, /settings \(library\.bib\) is not a \.json file/);
  });
});

describe('completion context', () => {
  it('recognises a key being typed after [@, a space or a semicolon', () => {
    assert.deepEqual(completionContextAt('See [@gol'), { kind: 'key', prefix: 'gol', start: 6 });
    assert.deepEqual(completionContextAt('as @'), { kind: 'key', prefix: '', start: 4 });
    assert.deepEqual(completionContextAt('[@a, p. 3; @go'), { kind: 'key', prefix: 'go', start: 12 });
  });

  it('recognises a locator after [@key, ', () => {
    assert.deepEqual(completionContextAt('text [@golts2012, '), { kind: 'locator', key: 'golts2012', prefix: '', start: 18 });
    assert.deepEqual(completionContextAt('text [@golts2012, para. 1'), { kind: 'locator', key: 'golts2012', prefix: 'para. 1', start: 18 });
    // A key Pandoc reads in braces.
    const doi = '10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0';
    const braced = `text [@{${doi}}, `;
    assert.deepEqual(completionContextAt(braced), { kind: 'locator', key: doi, prefix: '', start: braced.length });
    assert.deepEqual(completionContextAt('text [see @{a b}, '), undefined);
  });

  it('ignores e-mail addresses and text outside citations', () => {
    assert.equal(completionContextAt('mail me at name@exam'), undefined);
    assert.equal(completionContextAt('plain text'), undefined);
  });
});
