import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completionContextAt } from '../../src/core/completionContext';
import { bibliographyNameAt } from '../../src/core/bibliographyNames';
import { applyEdits, bibliographyTarget, citationInsertion, frontMatterBibliographyEdit } from '../../src/core/edit/citationEdit';
import type { ProjectBibliography } from '../../src/core/quartoProject';
import { pinKeyEdit } from '../../src/core/edit/pinKey';
import { citationKeyEdit, entryKeyEdit, newCitationKey } from '../../src/core/edit/renameKey';
import { parseDraft } from '../../src/core/draft';
import { parseSource } from '../../src/core/source';

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
    assert.equal(frontMatterBibliographyEdit(parseDraft('---\nbibliography: refs.json\n---\nText.\n'), 'refs.json'), undefined);
  });

  it('adds the file to those the front matter names, however it lists them, and checks the result by reading it back', () => {
    const added = (text: string, name = 'references.json'): string | undefined => {
      const edit = frontMatterBibliographyEdit(parseDraft(text), name);
      return edit && applyEdits(text, [edit]);
    };
    // A scalar becomes a flow list; a comment after it stays.
    assert.equal(added('---\nbibliography: library.bib\ntitle: T\n---\nText.\n'), '---\nbibliography: [library.bib, references.json]\ntitle: T\n---\nText.\n');
    assert.equal(added('---\nbibliography: "my library.bib" # Zotero\n---\nText.\n'), '---\nbibliography: ["my library.bib", references.json] # Zotero\n---\nText.\n');
    // A flow list gains an item; an empty one its first.
    assert.equal(added('---\nbibliography: [a.bib, b.yaml]\n---\nText.\n'), '---\nbibliography: [a.bib, b.yaml, references.json]\n---\nText.\n');
    // A block list gains a line like its last item's, after comments and blank lines between items.
    assert.equal(
      added('---\r\nbibliography:\r\n  - a.bib\r\n  # the lab\'s\r\n\r\n  - b.bib\r\ntitle: T\r\n---\r\nText.\r\n', 'refs/my refs.json'),
      '---\r\nbibliography:\r\n  - a.bib\r\n  # the lab\'s\r\n\r\n  - b.bib\r\n  - "refs/my refs.json"\r\ntitle: T\r\n---\r\nText.\r\n',
    );
    assert.equal(added('---\nbibliography:\n- a.bib\n---\nText.\n'), '---\nbibliography:\n- a.bib\n- references.json\n---\nText.\n');
    // (An alias reads back as the file it stands for.)
    assert.equal(added('---\nlib: &l a.bib\nbibliography: *l\n---\nText.\n'), '---\nlib: &l a.bib\nbibliography: [*l, references.json]\n---\nText.\n');
    // What it cannot extend so that the files read back the same, it leaves: a plain scalar with
    // a comma (a flow list would split it), a flow list over several lines.
    assert.equal(added('---\nbibliography: my,library.bib\n---\nText.\n'), undefined);
    assert.equal(added('---\nbibliography: [a.bib,\n  b.bib]\n---\nText.\n'), undefined);
  });

  it('finds the file of bibliography: written at an offset, whole, as Go to Definition asks', () => {
    const text = '---\ntitle: refs.json\nbibliography: [old/refs.json, refs.json, "a\\u0062.bib"]\n---\nText.\n';
    const draft = parseDraft(text);
    assert.deepEqual(draft.bibliography, ['old/refs.json', 'refs.json', 'ab.bib']);
    const at = (needle: string, from = 0, into = 1) => bibliographyNameAt(draft, text.indexOf(needle, from) + into);
    assert.deepEqual(at('old/refs.json'), { name: 'old/refs.json', span: { start: text.indexOf('old/'), end: text.indexOf('old/') + 13 } });
    const second = text.indexOf(', refs.json') + 2;
    assert.deepEqual(at(', refs.json', 0, 5), { name: 'refs.json', span: { start: second, end: second + 9 } });
    // The title's refs.json is no file; nor is a name the YAML writes escaped, nor the body.
    assert.equal(at('refs.json'), undefined);
    assert.equal(at('a\\u0062'), undefined);
    assert.equal(at('Text.'), undefined);
  });

  it('finds the JSON bibliography the memo names, else the one the front matter is to name beside its files', () => {
    const target = (text: string, fallback?: string, project?: ProjectBibliography): { path: string; written: string | undefined } | { error: string } => {
      const t = bibliographyTarget(parseDraft(text), fallback, project);
      return 'error' in t ? t : { path: t.path, written: t.edit && applyEdits(text, [t.edit]) };
    };
    assert.deepEqual(target('---\nbibliography: [a.bib, refs.json]\n---\nText.\n'), { path: 'refs.json', written: undefined });
    // A BibTeX library alone: references.json beside it.
    assert.deepEqual(target('---\nbibliography: a.bib\n---\nText.\n'), { path: 'references.json', written: '---\nbibliography: [a.bib, references.json]\n---\nText.\n' });
    assert.match((target('---\nbibliography: [a.bib,\n  b.bib]\n---\nText.\n') as { error: string }).error, /is not CSL-JSON, and references\.json could not be added to its bibliography: list/);
    assert.match((target('---\nbibliography: a.bib\n---\nText.\n', 'lib.yaml') as { error: string }).error, /not CSL-JSON, nor is the one in the settings \(lib\.yaml\)/);
    // A front matter that would not read back naming it (invalid YAML, a bibliography: naming no
    // file, which a second key would repeat): refused rather than written so.
    for (const text of ['---\ntitle: [unclosed\n---\nText.\n', '---\nbibliography:\ntitle: T\n---\nText.\n', '---\nbibliography: 42\n---\nText.\n']) {
      assert.match((target(text) as { error: string }).error, /front matter could not be given "bibliography: references\.json"/, text);
    }
    assert.deepEqual(target('Text.\n', 'bib.json'), { path: 'bib.json', written: '---\nbibliography: bib.json\n---\n\nText.\n' });
    // (pandoc reads a .json file, not a .JSON one: "Could not determine bibliography format".)
    assert.match((target('Text.\n', 'refs/Library.JSON') as { error: string }).error, /settings \(refs\/Library\.JSON\) is not a \.json file/);
    assert.deepEqual(target('---\nbibliography: [a.JSON]\n---\nText.\n'), { path: 'references.json', written: '---\nbibliography: [a.JSON, references.json]\n---\nText.\n' });
    assert.match((target('Text.\n', 'library.bib') as { error: string }).error, /settings \(library\.bib\) is not a \.json file/);
  });

  it("takes a Quarto project's bibliography into account: its JSON file, else references.json beside it as a list", () => {
    const target = (text: string, project: ProjectBibliography): { path: string; written: string | undefined } | { error: string } => {
      const t = bibliographyTarget(parseDraft(text), undefined, project);
      return 'error' in t ? t : { path: t.path, written: t.edit && applyEdits(text, [t.edit]) };
    };
    // The project's CSL-JSON file is written, and the memo left as it is.
    assert.deepEqual(target('Text.\n', { names: ['../library.bib', '../refs.json'], list: true }), { path: '../refs.json', written: undefined });
    assert.deepEqual(target('---\ntitle: T\n---\nText.\n', { names: ['../refs.json'], list: false }), { path: '../refs.json', written: undefined });
    // A BibTeX library alone in the project: the memo names references.json as a list, which
    // Quarto joins to the project's where a single name would replace it.
    assert.deepEqual(target('---\ntitle: T\n---\nText.\n', { names: ['../library.bib'], list: false }), {
      path: 'references.json',
      written: '---\ntitle: T\nbibliography: [references.json]\n---\nText.\n',
    });
    assert.deepEqual(target('Text.\n', { names: ['library.bib'], list: false }), { path: 'references.json', written: '---\nbibliography: [references.json]\n---\n\nText.\n' });
    // The memo's single name replaces the project's single name: the project's JSON file is not
    // the memo's, and references.json goes beside the memo's own file.
    assert.deepEqual(target('---\nbibliography: own.bib\n---\nText.\n', { names: ['../refs.json'], list: false }), {
      path: 'references.json',
      written: '---\nbibliography: [own.bib, references.json]\n---\nText.\n',
    });
    assert.deepEqual(target('---\nbibliography: [own.bib]\n---\nText.\n', { names: ['../refs.json'], list: false }), { path: '../refs.json', written: undefined });
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

describe('pinning a source’s citation key', () => {
  const pinned = (text: string, key: string): string => {
    const result = pinKeyEdit(text, key);
    assert.ok(result.ok, result.ok ? '' : result.error);
    return result.edit ? applyEdits(text, [result.edit]) : text;
  };
  const reference = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'csto', 'sources', 'golts-2012-the-collapsing-csto.md'), 'utf8');

  it('gives a source without front matter one, and keeps what the source says', () => {
    const text = pinned(reference, 'golts2012a');
    assert.ok(text.startsWith('---\ncitation-key: golts2012a\n---\n\n'), text.slice(0, 60));
    assert.equal(text.slice(text.indexOf('\n---\n\n') + 6), reference);
    const before = parseSource(reference, 'sources/a.md');
    const after = parseSource(text, 'sources/a.md');
    assert.equal(after.key, 'golts2012a');
    assert.equal(after.meta.keyGiven, true);
    // Title, author and date still come from the article's header; its paragraphs are the same.
    assert.deepEqual({ ...after.meta, keyGiven: undefined }, { ...before.meta, keyGiven: undefined });
    assert.deepEqual(after.paragraphs.map((p) => p.text), before.paragraphs.map((p) => p.text));
  });

  it('adds the line to a front matter, or changes the citation-key line it has; id and key give way to it', () => {
    const fields = '---\ntitle: Aside\nauthor: Alexander Golts\ndate: 2012-08-01\n---\n\nRussia kept 5,000 troops in Tajikistan.\n';
    assert.equal(pinned(fields, 'golts2012a'), '---\ncitation-key: golts2012a\ntitle: Aside\nauthor: Alexander Golts\ndate: 2012-08-01\n---\n\nRussia kept 5,000 troops in Tajikistan.\n');
    assert.equal(pinned('---\nid: golts2012\ntitle: Aside\n---\n\nText.\n', 'golts2012a'), '---\ncitation-key: golts2012a\nid: golts2012\ntitle: Aside\n---\n\nText.\n');
    assert.equal(pinned('---\ntitle: Aside\ncitation-key: "golts2012" # given\n---\n\nText.\n', 'golts2012b'), '---\ntitle: Aside\ncitation-key: golts2012b\n---\n\nText.\n');
    // Already given: nothing to do.
    assert.deepEqual(pinKeyEdit('---\nid: golts2012\n---\n\nText.\n', 'golts2012'), { ok: true, edit: undefined });
    assert.deepEqual(pinKeyEdit('---\n---\n\nText.\n', 'roe2020'), { ok: true, edit: { start: 4, end: 4, newText: 'citation-key: roe2020\n' } });
  });

  it('keeps the file’s line endings and byte order mark, and quotes a key YAML would read otherwise', () => {
    assert.equal(pinned('\uFEFFText one.\r\n\r\nText two.\r\n', 'notes'), '\uFEFF---\r\ncitation-key: notes\r\n---\r\n\r\nText one.\r\n\r\nText two.\r\n');
    assert.equal(pinned('\uFEFF---\r\ntitle: X\r\n---\r\n\r\nText.\r\n', 'x2020'), '\uFEFF---\r\ncitation-key: x2020\r\ntitle: X\r\n---\r\n\r\nText.\r\n');
    for (const key of ['2012', 'true', 'no', '10.1002/x:y', 'a#b', 'key-with-é']) {
      const text = pinned('Text.\n', key);
      assert.equal(parseSource(text, 'sources/a.md').key, key, text);
    }
  });

  it('does not touch a front matter it cannot read, nor one whose shape it does not handle', () => {
    for (const text of ['---\ntitle: [unclosed\n---\n\nText.\n', '---\ntitle: Aside\nauthor: Roe\n\nText with no closing line.\n']) {
      const result = pinKeyEdit(text, 'roe2020');
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error : '', /could not be read .+; mend it first/);
    }
    // A block value for the key: changing its first line would leave the rest, so it is refused.
    const folded = pinKeyEdit('---\ncitation-key: >\n  golts\n  2012\n---\n\nText.\n', 'golts2012a');
    assert.deepEqual(folded, { ok: false, error: 'its front matter has a shape this edit does not handle; add the line by hand' });
  });
});

describe('renaming a citation key', () => {
  it('reads the key as typed, with or without @ and braces, and refuses one Pandoc cannot cite', () => {
    assert.deepEqual(newCitationKey(' @golts2012x '), { key: 'golts2012x' });
    assert.deepEqual(newCitationKey('@{10.1002/x(y)}'), { key: '10.1002/x(y)' });
    assert.deepEqual(newCitationKey('roe 2020'), { error: '"roe 2020" is not a key Pandoc can cite (it would read "roe2020")' });
    assert.deepEqual(newCitationKey('@'), { error: 'a citation key cannot be empty' });
    assert.deepEqual(newCitationKey('}{'), { error: '"}{" is not a key Pandoc can cite' });
  });

  it('rewrites a citation’s key, in braces when Pandoc reads the new key only so, keeping braces written', () => {
    const text = 'See [@golts2012, para. 2; @{golts2012}] and @golts2012 [para. 3].\n';
    const draft = parseDraft(text);
    const citations = draft.citations.flatMap((g) => g.citations);
    assert.equal(citations.length, 3);
    assert.equal(applyEdits(text, citations.map((c) => citationKeyEdit(text, c, 'golts2012x'))), 'See [@golts2012x, para. 2; @{golts2012x}] and @golts2012x [para. 3].\n');
    assert.equal(applyEdits(text, citations.map((c) => citationKeyEdit(text, c, '10.1/x(y)'))), 'See [@{10.1/x(y)}, para. 2; @{10.1/x(y)}] and @{10.1/x(y)} [para. 3].\n');
    const renamed = parseDraft(applyEdits(text, citations.map((c) => citationKeyEdit(text, c, '10.1/x(y)'))));
    assert.deepEqual(renamed.citations.flatMap((g) => g.citations).map((c) => c.key), ['10.1/x(y)', '10.1/x(y)', '10.1/x(y)']);
  });

  it('rewrites the id of the key’s entry in CSL-JSON, CSL-YAML and BibTeX, and refuses a key BibTeX cannot hold', () => {
    const json = '[{ "id": "other" }, { "id": "golts2012", "title": "The Collapsing CSTO" }]';
    const jsonEdit = entryKeyEdit(json, 'refs.json', 'golts2012', 'golts2012x');
    assert.ok(jsonEdit && !('error' in jsonEdit));
    assert.deepEqual(JSON.parse(applyEdits(json, [jsonEdit])), [{ id: 'other' }, { id: 'golts2012x', title: 'The Collapsing CSTO' }]);
    const yaml = 'references:\n- id: golts2012\n  title: X\n';
    const yamlEdit = entryKeyEdit(yaml, 'front-matter.yaml', 'golts2012', '2012');
    assert.ok(yamlEdit && !('error' in yamlEdit));
    assert.equal(applyEdits(yaml, [yamlEdit]), 'references:\n- id: "2012"\n  title: X\n');
    const bib = '@article{golts2012,\n  title = {The Collapsing CSTO},\n}\n';
    const bibEdit = entryKeyEdit(bib, 'library.bib', 'golts2012', 'golts:2012');
    assert.ok(bibEdit && !('error' in bibEdit));
    assert.equal(applyEdits(bib, [bibEdit]), '@article{golts:2012,\n  title = {The Collapsing CSTO},\n}\n');
    assert.deepEqual(entryKeyEdit(bib, 'library.bib', 'golts2012', '10.1/x(y)'), { error: '"10.1/x(y)" cannot be the key of a BibTeX entry' });
    assert.equal(entryKeyEdit(json, 'refs.json', 'absent', 'x'), undefined);
  });
});
