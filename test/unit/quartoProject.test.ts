import * as assert from 'node:assert/strict';
import { parseDraft } from '../../src/core/draft';
import { MAX_BIBLIOGRAPHY_FILES } from '../../src/core/draft';
import { memoBibliography, mergeBibliographies, metadataLevels, projectBibliographyForMemo, projectBibliographySpans, readProjectBibliography, relativeToMemo } from '../../src/core/quartoProject';

describe("a Quarto project's bibliography", () => {
  it('reads the bibliography a _quarto.yml names, as a single name or a list', () => {
    assert.deepEqual(readProjectBibliography('project:\n  type: book\nbibliography: references.bib\n'), { names: ['references.bib'], list: false });
    assert.deepEqual(readProjectBibliography('bibliography:\n  - a.bib\n  - refs/b.json\nformat: html\n'), { names: ['a.bib', 'refs/b.json'], list: true });
    // None named, a value that names no file, a key nested under format:, YAML that is not valid.
    assert.equal(readProjectBibliography('project:\n  type: website\n'), undefined);
    assert.equal(readProjectBibliography('bibliography: 42\n'), undefined);
    assert.equal(readProjectBibliography('format:\n  html:\n    bibliography: a.bib\n'), undefined);
    assert.equal(readProjectBibliography('bibliography: [a.bib\n'), undefined);
    assert.equal(readProjectBibliography(''), undefined);
    // Hostile text: binary bytes, an alias bomb, a key repeated (YAML refuses it): no names, no throw.
    assert.equal(readProjectBibliography(`bibliography: a.bib\n${'\u0000\uFFFD\u0089PNG'.repeat(1000)}`), undefined);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'bibliography: *j'].join('\n');
    assert.equal(readProjectBibliography(bomb), undefined);
    assert.equal(readProjectBibliography('bibliography: a.bib\nbibliography: b.bib\n'), undefined);
    // A list of thousands: the first MAX_BIBLIOGRAPHY_FILES, as of a memo's front matter.
    const many = readProjectBibliography(`bibliography: [${Array.from({ length: 5000 }, (_, i) => `f${i}.bib`).join(', ')}]\n`);
    assert.equal(many?.names.length, MAX_BIBLIOGRAPHY_FILES);
  });

  it('finds where the project file writes each name, whole, after its top-level key', () => {
    const text = 'project:\n  type: book\n  output-dir: refs.bib\nbibliography:\n  - old/refs.bib\n  - "refs.bib"\n  - "caf\\u00e9.bib"\n';
    const names = readProjectBibliography(text)?.names ?? [];
    assert.deepEqual(names, ['old/refs.bib', 'refs.bib', 'café.bib']);
    const spans = projectBibliographySpans(text, names);
    // (Not the refs.bib of output-dir, before the key, nor the one inside old/refs.bib; the name
    // written escaped is not found as written: the key is given for it.)
    assert.deepEqual(
      spans.map((s) => s && text.slice(s.start, s.end)),
      ['old/refs.bib', 'refs.bib', 'bibliography'],
    );
    assert.equal(spans[1]?.start, text.indexOf('"refs.bib"') + 1);
    assert.deepEqual(projectBibliographySpans('format: html\n', ['a.bib']), [undefined]);
  });

  it("makes the project's names relative to the memo's folder", () => {
    assert.equal(relativeToMemo('references.bib', ''), 'references.bib');
    assert.equal(relativeToMemo('references.bib', '..'), '../references.bib');
    assert.equal(relativeToMemo('./refs/a.json', '../..'), '../../refs/a.json');
    assert.equal(relativeToMemo('/home/me/library.bib', '..'), '/home/me/library.bib');
    assert.equal(relativeToMemo('C:\\refs\\library.bib', '..'), 'C:\\refs\\library.bib');
    assert.deepEqual(projectBibliographyForMemo({ names: ['a.bib', 'b.json'], list: true }, '..'), { names: ['../a.bib', '../b.json'], list: true });
  });

  it("merges the memo's and the project's names as Quarto merges metadata", () => {
    const memo = (frontMatter: string): ReturnType<typeof parseDraft> => parseDraft(`${frontMatter}Text.\n`);
    const single = { names: ['../library.bib'], list: false };
    const list = { names: ['../library.bib'], list: true };
    // No project, or a memo that names none: the one that names files.
    assert.deepEqual(memoBibliography(memo('---\nbibliography: own.json\n---\n'), undefined), ['own.json']);
    assert.deepEqual(memoBibliography(memo(''), single), ['../library.bib']);
    assert.deepEqual(memoBibliography(memo('---\ntitle: T\n---\n'), list), ['../library.bib']);
    // Two single names: the memo's replaces the project's.
    assert.deepEqual(memoBibliography(memo('---\nbibliography: own.json\n---\n'), single), ['own.json']);
    // A list on either side: joined, the project's first, each file once.
    assert.deepEqual(memoBibliography(memo('---\nbibliography: [own.json]\n---\n'), single), ['../library.bib', 'own.json']);
    assert.deepEqual(memoBibliography(memo('---\nbibliography: own.json\n---\n'), list), ['../library.bib', 'own.json']);
    assert.deepEqual(memoBibliography(memo('---\nbibliography:\n  - ../library.bib\n  - own.json\n---\n'), list), ['../library.bib', 'own.json']);
  });

  it("merges a folder's _metadata.yml between the project's and the memo's, from the folders quarto-cli reads", () => {
    // A memo in the project folder: that folder's own; two folders down: the one below the
    // project's, then the memo's (outermost first), not the project folder's.
    assert.deepEqual(metadataLevels(0), [0]);
    assert.deepEqual(metadataLevels(1), [0]);
    assert.deepEqual(metadataLevels(3), [2, 1, 0]);
    const project = { names: ['../../library.bib'], list: false };
    const folder = { names: ['chapter.json'], list: false };
    // Single names: the nearer replaces; a list on either side joins them, outer first, once each.
    assert.deepEqual(mergeBibliographies(project, folder), folder);
    assert.deepEqual(mergeBibliographies(project, { ...folder, list: true }), { names: ['../../library.bib', 'chapter.json'], list: true });
    assert.deepEqual(mergeBibliographies({ ...project, list: true }, { names: ['../../library.bib'], list: false }), { names: ['../../library.bib'], list: true });
    assert.deepEqual(mergeBibliographies(undefined, folder), folder);
    assert.deepEqual(mergeBibliographies(project, undefined), project);
    assert.equal(mergeBibliographies(undefined, undefined), undefined);
    // Then the memo's, the same way.
    const merged = mergeBibliographies(project, { ...folder, list: true });
    assert.deepEqual(memoBibliography(parseDraft('---\nbibliography: own.json\n---\nText.\n'), merged), ['../../library.bib', 'chapter.json', 'own.json']);
  });
});
