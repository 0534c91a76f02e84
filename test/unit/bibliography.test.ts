import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cslItemFor, mergeBibliography } from '../../src/core/bibliography';
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
    for (const bad of ['[{"id": "x",', '{"id": "x"}', `[{"id": "x", "note": ${'['.repeat(200_000)}${']'.repeat(200_000)}}]`]) {
      const result = mergeBibliography(bad, [cslItemFor(reference)]);
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error : '', /left unchanged/);
    }
  });
});
