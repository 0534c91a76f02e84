import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cslItemFor, mergeBibliography } from '../../src/core/bibliography';
import { bibliographyEntries, bibliographyKeys, describeEntry, entrySpan, formatOf, frontMatterReferenceKeys, frontMatterReferences } from '../../src/core/bibliographyKeys';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { frontMatterBibliography, parseDraft } from '../../src/core/draft';
import { parseSource } from '../../src/core/source';
import { SourceCache } from '../../src/core/sourceCache';

const ROOT = path.resolve(__dirname, '../..');
const reference = parseSource(fs.readFileSync(path.join(ROOT, 'examples/csto/sources/golts-2012-the-collapsing-csto.md'), 'utf8'), 'sources/golts.md');

describe('CSL-JSON bibliography', () => {
  it('describes the reference article as a newspaper article', () => {
    assert.deepEqual(cslItemFor(reference), {
      id: 'golts2012',
      type: 'article-newspaper',
      title: 'The Collapsing CSTO',
      author: [{ family: 'Golts', given: 'Alexander' }],
      issued: { 'date-parts': [[2012, 7, 16]] },
      'container-title': 'The Moscow Times',
      URL: 'https://www.themoscowtimes.com/2012/07/16/the-collapsing-csto-a16292',
    });
  });

  it('keeps only strings and numbers of the other front-matter fields, so that every source can be written as JSON', () => {
    // YAML aliases can make a value that holds itself, which JSON.stringify refuses.
    const source = parseSource('---\ntitle: T\nauthor: A. Writer\ndate: 2020\ntype: report\nvolume: &a [*a]\nissue: &b {x: *b}\npage: 12\nDOI: .inf\n---\n\nUzbekistan left the CSTO in 2012.\n', 'sources/t.md');
    assert.deepEqual(source.meta.extra, { type: 'report', page: 12 });
    const cache = new SourceCache();
    cache.set(source);
    assert.deepEqual(SourceCache.parse(cache.serialize()).get('sources/t.md', source.hash)?.meta, JSON.parse(JSON.stringify(source.meta)));
    assert.deepEqual(cslItemFor(source), { id: 'writer2020', type: 'report', title: 'T', author: [{ family: 'Writer', given: 'A.' }], issued: { 'date-parts': [[2020]] }, page: 12 });
  });

  it('creates a file when there is none', () => {
    const result = mergeBibliography(undefined, [cslItemFor(reference)]);
    assert.ok(result.ok);
    assert.deepEqual(result.added, ['golts2012']);
    assert.equal(JSON.parse(result.text)[0].id, 'golts2012');
  });

  it('keeps entries and fields the user added, and fills only missing fields', () => {
    const existing = JSON.stringify([
      { id: 'mine2020', type: 'book', title: 'Hand-written', note: 'keep me' },
      { id: 'golts2012', type: 'article-newspaper', title: 'My own title', note: 'checked 2024' },
    ]);
    const result = mergeBibliography(existing, [cslItemFor(reference)]);
    assert.ok(result.ok);
    const entries = JSON.parse(result.text);
    assert.deepEqual(entries[0], { id: 'mine2020', type: 'book', title: 'Hand-written', note: 'keep me' });
    assert.equal(entries[1].title, 'My own title');
    assert.equal(entries[1].note, 'checked 2024');
    assert.equal(entries[1]['container-title'], 'The Moscow Times');
    assert.deepEqual(result.updated, ['golts2012']);
  });

  it('edits the file in place: the layout, order and numbers of the file stay as they were', () => {
    const item = cslItemFor(reference);
    // Four spaces, one entry on one line, numbers JSON.parse would round, a trailing newline.
    const fourSpaces = '[\n    {"id": "mine2020", "type": "book", "note": 12345678901234567890, "x": 1e400},\n    {\n        "id": "golts2012",\n        "title": "My own title"\n    }\n]\n';
    const filled = mergeBibliography(fourSpaces, [item, { id: 'new2021', type: 'book', author: [{ family: 'New' }] }]);
    assert.ok(filled.ok);
    assert.deepEqual([filled.added, filled.updated], [['new2021'], ['golts2012']]);
    // Every character of the file is still there, in order; the fields and the entry come after
    // the last field and the last entry, indented as they are.
    assert.equal(
      filled.text,
      '[\n    {"id": "mine2020", "type": "book", "note": 12345678901234567890, "x": 1e400},\n    {\n        "id": "golts2012",\n        "title": "My own title",\n' +
        '        "type": "article-newspaper",\n        "author": [\n            {\n                "family": "Golts",\n                "given": "Alexander"\n            }\n        ],\n' +
        '        "issued": {\n            "date-parts": [\n                [\n                    2012,\n                    7,\n                    16\n                ]\n            ]\n        },\n' +
        '        "container-title": "The Moscow Times",\n        "URL": "https://www.themoscowtimes.com/2012/07/16/the-collapsing-csto-a16292"\n    },\n' +
        '    {\n        "id": "new2021",\n        "type": "book",\n        "author": [\n            {\n                "family": "New"\n            }\n        ]\n    }\n]\n',
    );
    // One line, tabs, an empty array: each keeps its layout.
    const oneLine = mergeBibliography('[{"id":"a","type":"book"}]', [item]);
    assert.ok(oneLine.ok);
    assert.equal(oneLine.text, `[{"id":"a","type":"book"}, ${JSON.stringify(item)}]`);
    const tabs = mergeBibliography('[\n\t{\n\t\t"id": "golts2012"\n\t}\n]', [{ id: 'golts2012', type: 'book', title: 'T' }]);
    assert.ok(tabs.ok);
    assert.equal(tabs.text, '[\n\t{\n\t\t"id": "golts2012",\n\t\t"type": "book",\n\t\t"title": "T"\n\t}\n]');
    const empty = mergeBibliography('[]\n', [{ id: 'a', type: 'book' }]);
    assert.ok(empty.ok);
    assert.equal(empty.text, '[\n  {\n    "id": "a",\n    "type": "book"\n  }\n]\n');
    // A file with CR LF line ends keeps them, in what is inserted too.
    const crlf = mergeBibliography('[\r\n  {\r\n    "id": "a"\r\n  }\r\n]\r\n', [{ id: 'a', type: 'book', author: [{ family: 'G' }] }, { id: 'b', type: 'book' }]);
    assert.ok(crlf.ok);
    assert.equal(
      crlf.text,
      '[\r\n  {\r\n    "id": "a",\r\n    "type": "book",\r\n    "author": [\r\n      {\r\n        "family": "G"\r\n      }\r\n    ]\r\n  },\r\n  {\r\n    "id": "b",\r\n    "type": "book"\r\n  }\r\n]\r\n',
    );
    const bom = mergeBibliography('\uFEFF[]', [{ id: 'a', type: 'book' }]);
    assert.ok(bom.ok, 'a file with a byte order mark is read');
    assert.equal(bom.text, '\uFEFF[\n  {\n    "id": "a",\n    "type": "book"\n  }\n]');
    // The entry the user wrote on one line gets its missing fields on that line.
    const inline = mergeBibliography('[\n  {"id": "golts2012", "title": "Mine"}\n]\n', [{ id: 'golts2012', type: 'book', title: 'T', author: [{ family: 'G' }] }]);
    assert.ok(inline.ok);
    assert.equal(inline.text, '[\n  {"id": "golts2012", "title": "Mine", "type": "book", "author": [{"family":"G"}]}\n]\n');
  });

  it('reports no change when the entry is complete', () => {
    const once = mergeBibliography(undefined, [cslItemFor(reference)]);
    assert.ok(once.ok);
    const twice = mergeBibliography(once.text, [cslItemFor(reference)]);
    assert.ok(twice.ok);
    assert.equal(twice.changed, false);
    assert.equal(twice.text, once.text);
  });

  it('refuses to touch a file that is not valid CSL-JSON', () => {
    // (The last: an entry nested deeper than JSON.stringify goes, which JSON.parse reads.)
    for (const bad of ['[{"id": "x",', '{"id": "x"}', '[1, 2]', '[{"id": "x"}, null]', '[["x"]]', `[{"id": "x", "note": ${'['.repeat(200_000)}${']'.repeat(200_000)}}]`]) {
      const result = mergeBibliography(bad, [cslItemFor(reference)]);
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error : '', /left unchanged/);
    }
    assert.match((mergeBibliography('[{"id": "x"}, null]', [cslItemFor(reference)]) as { error: string }).error, /^entry 2 of the bibliography is not a CSL-JSON item/);
  });
});

describe('bibliographyKeys', () => {
  it('reads the ids of CSL-JSON, CSL-YAML and BibTeX files as Pandoc does', () => {
    assert.deepEqual(bibliographyKeys('\uFEFF[{"id": "smith2020", "type": "book"}, {"id": 42}, {"type": "book"}, "x"]', 'refs.json'), { keys: ['smith2020', '42'] });
    assert.deepEqual(bibliographyKeys('', 'references.json'), { keys: [] });
    assert.deepEqual(bibliographyKeys('---\nreferences:\n- id: smith2020\n  type: book\n- id: doe2019\n...\n', 'refs.yaml'), { keys: ['smith2020', 'doe2019'] });
    assert.deepEqual(bibliographyKeys('- id: smith2020\n', 'refs.yml'), { keys: ['smith2020'] });
    const bib = [
      '@string{moscow = "The Moscow Times"}',
      '@comment{jabref-meta: x}',
      '@Article{golts2012,',
      '  author = {Alexander Golts}, journal = moscow,',
      '}',
      '@book( smith2020 , title = "A Book")',
      '@online{doe:2019/x,',
      '}',
      'Not an entry: mail@example.org, @misc{}',
    ].join('\n');
    assert.deepEqual(bibliographyKeys(bib, 'library.bib'), { keys: ['golts2012', 'smith2020', 'doe:2019/x'] });
  });

  it('reads who wrote each entry, when, and its title', () => {
    const json = JSON.stringify([
      { id: 'golts2012', type: 'article', author: [{ family: 'Golts', given: 'Alexander' }], issued: { 'date-parts': [[2012, 7, 16]] }, title: 'The  Collapsing\nCSTO' },
      { id: 'pair', author: [{ family: 'Smith' }, { literal: 'World Bank' }], issued: { raw: 'May 2019' } },
      { id: 'many', editor: [{ family: 'A' }, { family: 'B' }, { family: 'C' }], title: 'x'.repeat(5000) },
      { id: 'bare' },
    ]);
    const read = bibliographyEntries(json, 'refs.json');
    assert.ok('entries' in read);
    const [golts, pair, many, bare] = read.entries;
    assert.deepEqual(golts, { key: 'golts2012', author: 'Golts', year: '2012', title: 'The Collapsing CSTO' });
    assert.deepEqual(pair, { key: 'pair', author: 'Smith and World Bank', year: '2019' });
    assert.equal(many.author, 'A et al.');
    assert.equal(many.title?.length, 300);
    assert.ok(many.title?.endsWith('…'));
    // Cut at a space, never inside a surrogate pair.
    const emoji = bibliographyEntries(JSON.stringify([{ id: 'e', title: `${'word '.repeat(50)}${'😀'.repeat(200)}` }]), 'e.json');
    assert.ok('entries' in emoji && emoji.entries[0].title === `${'word '.repeat(50).trimEnd()}…`);
    const pairs = bibliographyEntries(JSON.stringify([{ id: 'p', title: '😀'.repeat(400) }]), 'p.json');
    assert.ok('entries' in pairs && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(pairs.entries[0].title ?? ''));
    assert.deepEqual(bare, { key: 'bare' });
    assert.equal(describeEntry(golts), 'Golts (2012). The Collapsing CSTO');
    assert.equal(describeEntry(pair), 'Smith and World Bank (2019)');
    assert.equal(describeEntry({ key: 'k', title: 'Only a title' }), 'Only a title');
    assert.equal(describeEntry(bare), '');

    const bib = [
      '@string{moscow = "The Moscow Times"}',
      '@Article{golts2012,',
      '  author = {Golts, Alexander}, journal = moscow,',
      '  title = {The Collapsing {CSTO}: {\\"O}sterreich \\& \\textit{Tashkent}},',
      '  year = 2012 }',
      '@book( smith2020 , title = "A " # {Book}, author = "Jane Smith and John Doe and others", date = {2020-03})',
      '@report{bank, author = {{Food and Agriculture Organization} and {\\"O}zt{\\"u}rk, Ay{\\c{s}}e}, year = {2021}}',
      '@misc{broken, title = {never closed, year = 1999',
      '@online{after,',
      '  title = {Read for its key only},',
      '}',
    ].join('\n');
    const entries = bibliographyEntries(bib, 'library.bib');
    assert.ok('entries' in entries);
    assert.deepEqual(entries.entries, [
      { key: 'golts2012', author: 'Golts', year: '2012', title: 'The Collapsing CSTO: Osterreich & Tashkent' },
      { key: 'smith2020', author: 'Smith et al.', year: '2020', title: 'A Book' },
      { key: 'bank', author: 'Food and Agriculture Organization and Ozturk', year: '2021' },
      { key: 'broken' },
      { key: 'after' },
    ]);
  });

  it('puts @string macros in the values that use them, and takes what an entry lacks from its crossref', () => {
    const bib = [
      '@String{ csto = "{CSTO}" }',
      '@string(MT = {The Moscow Times})',
      '@article{golts2012, author = {Golts, Alexander}, title = {The Collapsing } # csto, year = 2012, journal = mt}',
      '@article{early, title = later # { on}, year = 2001}',
      '@string{later = "Defined too late"}',
      '@inbook{chapter, title = {A Chapter}, crossref = {Book2019}}',
      '@book{book2019, editor = {Doe, Jane and Roe, Ann}, year = {2019}, title = {The Book}}',
      '@misc{self, crossref = {self}, title = {Its own parent}}',
      '@misc{orphan, crossref = {nowhere}, title = {No parent}}',
    ].join('\n');
    const entries = bibliographyEntries(bib, 'library.bib');
    assert.ok('entries' in entries);
    assert.deepEqual(entries.entries, [
      { key: 'golts2012', author: 'Golts', year: '2012', title: 'The Collapsing CSTO' },
      // A macro defined after its use is not known there (as BibTeX reads it): its name stays.
      { key: 'early', year: '2001', title: 'later on' },
      { key: 'chapter', author: 'Doe and Roe', year: '2019', title: 'A Chapter' },
      { key: 'book2019', author: 'Doe and Roe', year: '2019', title: 'The Book' },
      { key: 'self', title: 'Its own parent' },
      { key: 'orphan', title: 'No parent' },
    ]);
    assert.deepEqual(bibliographyKeys(bib, 'library.bib'), { keys: ['golts2012', 'early', 'chapter', 'book2019', 'self', 'orphan'] });
  });

  it("reads the front matter's inline references with their details", () => {
    const draft = parseDraft('---\nreferences:\n- id: smith2020\n  type: book\n  title: A Book\n  author:\n  - family: Smith\n  issued:\n    date-parts: [[2020]]\n---\n\nText [@smith2020].\n');
    assert.deepEqual(frontMatterReferences(draft), [{ key: 'smith2020', author: 'Smith', year: '2020', title: 'A Book' }]);
  });

  it('finds where an entry is in its file, for Go to Definition', () => {
    const at = (text: string, path: string, key: string): string | undefined => {
      const span = entrySpan(text, path, key);
      return span && text.slice(span.start, span.end);
    };
    const bib = '@comment{doe2019, x}\n@string{smith2020 = "x"}\n@book{doe2019x,\n}\n@Article( doe2019 ,\n  title = {T},\n)\n';
    assert.equal(at(bib, 'library.bib', 'doe2019'), 'doe2019');
    assert.equal(entrySpan(bib, 'library.bib', 'doe2019')?.start, bib.indexOf('doe2019 ,'));
    assert.equal(at(bib, 'library.bib', 'smith2020'), undefined);
    const json = '[\n  {"id": "doe2019x"},\n  {"title": "id", "id" :\n "doe2019"},\n  {"id": 42}\n]';
    assert.equal(entrySpan(json, 'refs.json', 'doe2019')?.start, json.indexOf('"doe2019"'));
    assert.equal(at(json, 'refs.json', 'doe2019'), '"doe2019"');
    assert.equal(at(json, 'refs.json', '42'), '42');
    assert.equal(at(json, 'refs.json', 'nobody'), undefined);
    const yaml = '---\nreferences:\n- id: doe2019x\n- type: book\n  id: "doe2019"  # the book\n- id: smith2020\n...\n';
    assert.equal(at(yaml, 'refs.yaml', 'doe2019'), '"doe2019"');
    assert.equal(at(yaml, 'refs.yml', 'smith2020'), 'smith2020');
    assert.equal(at(yaml, 'refs.txt', 'smith2020'), undefined);
  });

  it("says what is wrong without quoting the file", () => {
    for (const [text, file, error] of [
      ['root:x:0:0:root:/root:/bin/bash', 'refs.json', 'not valid JSON'],
      ['{"id": "a"}', 'refs.json', 'not a CSL-JSON list of entries'],
      ['a: [b', 'refs.yaml', 'not valid YAML'],
      ['title: x', 'refs.yaml', 'not a CSL-YAML list of references'],
      ['secret', '/etc/passwd', 'not a bibliography format policy-cite reads (CSL-JSON .json, CSL-YAML .yaml, BibTeX .bib)'],
      // Valid files whose extension pandoc does not read, since it reads it in lower case only.
      ['[{"id": "a"}]', 'refs.JSON', 'pandoc does not read a bibliography named .JSON ("Could not determine bibliography format"): it takes the format from a lower-case extension; rename it .json'],
      ['@book{a,}', 'lib/Library.Bib', 'pandoc does not read a bibliography named .Bib ("Could not determine bibliography format"): it takes the format from a lower-case extension; rename it .bib'],
    ]) assert.deepEqual(bibliographyKeys(text, file), { error }, file);
    // The extensions pandoc reads (checked with pandoc 2.17).
    for (const file of ['a.json', 'a.yaml', 'a.yml', 'a.bib', 'a.bibtex', 'a.biblatex']) assert.ok(formatOf(file), file);
    for (const file of ['a.JSON', 'a.Yaml', 'a.YML', 'a.BIB', 'a.ris', 'a.txt', 'a.toString', 'a.constructor', 'json']) assert.equal(formatOf(file), undefined, file);
  });

  // CSL-YAML files are read with js-yaml (ten times faster on large libraries); the entries must
  // be those the `yaml` library, which read them before and reads front matter, gives.
  const byYamlLibrary = (text: string): unknown => {
    const doc = parseDocument(text.replace(/^---\r?\n/, '').replace(/\r?\n(?:---|\.\.\.)\s*$/, '\n'));
    if (doc.errors.length > 0) return { error: 'not valid YAML' };
    const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
    const list = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).references : data;
    if (!Array.isArray(list)) return { error: 'not a CSL-YAML list of references' };
    return bibliographyEntries(JSON.stringify(list), 'same.json');
  };

  it('reads CSL-YAML as the yaml library does: quoting, flow style, block scalars, anchors, tags, comments, numbers', () => {
    for (const text of [
      '---\nreferences:\n- id: smith2020\n  type: book\n  title: "A \\"quoted\\" title: with colon"\n  author:\n  - family: Smith\n    given: J.\n  issued:\n    date-parts:\n    - [2020, 5]\n...\n',
      "- {id: 'doe 2019', title: 'It''s flow', author: [{family: Doe}, {literal: 'World Bank'}, {family: Roe}], issued: {raw: '2019-03'}}\n",
      '- id: 0x1F\n- id: 1_000\n- id: 2012-07-16\n- id: 1e3\n- id: .5\n- id: true\n- id: null\n- id: ~\n- id: "007"\n- id: 012\n',
      '- id: a # a comment\n  title: >-\n    Folded\n    over lines\n- id: b\n  title: |\n    Literal\n    lines\n',
      'references:\n- &x\n  id: first\n  author: &names [{family: Golts}]\n- id: second\n  author: *names\n- *x\n',
      '- id: !!str 2012\n  title: !!str yes\n- id: tagged\n  title: !!str Tagged\n',
      '%YAML 1.2\n---\n- id: directive\n',
      '- id: dup\n  id: dup2\n',
      '- id: a\n---\n- id: b\n',
      '- id: bad\n\ttitle: tab\n',
      'references: []\n',
      'references:\n',
      '- id: "\\u00e9t\\u00e9"\n  title: "\\x41 \\U0001F600"\n',
      '- id: winter\n  issued: {date-parts: [[2011, 12], [2012, 2]]}\n  editor: [{family: Ed}]\n',
      '- id: key\n  title: [not, a, string]\n- id: ""\n- id: "   "\n- 42\n- [nested]\n',
    ]) assert.deepEqual(bibliographyEntries(text, 'refs.yaml'), byYamlLibrary(text), text);
    // A tag no schema has: the yaml library read the value under it; js-yaml refuses the file.
    assert.deepEqual(bibliographyEntries('- id: tagged\n  title: !custom Custom tag\n', 'refs.yaml'), { error: 'not valid YAML' });
  });

  it('reads generated CSL-YAML libraries as the yaml library does', () => {
    const name = fc.record({ family: fc.string({ maxLength: 12 }), given: fc.string({ maxLength: 6 }) }, { requiredKeys: [] });
    const item = fc.record(
      {
        id: fc.oneof(fc.string({ minLength: 1, maxLength: 16 }), fc.integer(), fc.constantFrom('2012', 'yes', 'null', '1e3', '0x10', '- x', '#x', 'a: b', "it's")),
        title: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 })),
        author: fc.array(name, { maxLength: 4 }),
        issued: fc.oneof(fc.record({ 'date-parts': fc.array(fc.array(fc.integer({ min: 1, max: 2100 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }) }), fc.record({ raw: fc.string({ maxLength: 10 }) })),
      },
      { requiredKeys: ['id'] },
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.constantFrom<'block' | 'flow' | 'doc'>('block', 'flow', 'doc'), (items, style) => {
        const body = stringify(style === 'flow' ? items : { references: items }, style === 'flow' ? { collectionStyle: 'flow' } : {});
        const text = style === 'doc' ? `---\n${body}...\n` : body;
        assert.deepEqual(bibliographyEntries(text, 'refs.yaml'), byYamlLibrary(text));
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('reads a YAML alias bomb and deep nesting without expanding them or crashing', () => {
    // Eleven levels of ten aliases each: 10^11 names if expanded.
    const levels = ['l0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 11; i++) levels.push(`l${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const bomb = `${levels.join('\n')}\nreferences:\n- id: bomb\n  author: *a11\n  title: *a11\n`;
    const read = bibliographyEntries(bomb, 'refs.yaml');
    assert.ok('entries' in read);
    assert.deepEqual(read.entries.map((e) => e.key), ['bomb']);
    const deep = `- id: deep\n  title: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    assert.deepEqual(bibliographyEntries(deep, 'refs.yaml'), { error: 'not valid YAML' });
  });

  it("reads the front matter's inline references", () => {
    assert.deepEqual(frontMatterReferenceKeys(parseDraft('---\nreferences:\n- id: smith2020\n  type: book\n---\n\nText [@smith2020].\n')), ['smith2020']);
    assert.deepEqual(frontMatterReferenceKeys(parseDraft('---\nreferences: none\n---\n\nText.\n')), []);
    assert.deepEqual(frontMatterReferenceKeys(parseDraft('Text.\n')), []);
  });
});

describe('frontMatterBibliography', () => {
  it("reads the front matter's bibliography as the parsed draft does", () => {
    for (const memo of [
      '---\nbibliography: refs.json\n---\n\nText.\n',
      '\uFEFF---\r\ntitle: x\r\nbibliography:\r\n  - a.bib\r\n  - "b c.yaml"\r\n---\r\nText.\r\n',
      '---\nbibliography: a.bib\n...\nText.\n',
      '---\nbibliography: [a.json, 3]\n---\n',
      '---\ntitle: none\n---\n\nText.\n',
      '---\nbibliography: [unclosed\n---\n\nText.\n',
      'Text.\n\n---\nbibliography: refs.json\n---\n',
    ]) assert.deepEqual(frontMatterBibliography(memo), parseDraft(memo).bibliography, JSON.stringify(memo));
    assert.deepEqual(frontMatterBibliography('---\nbibliography:\n  - a.bib\n  - "b c.yaml"\n---\n'), ['a.bib', 'b c.yaml']);
  });
});
