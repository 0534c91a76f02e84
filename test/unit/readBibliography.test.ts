// Reading a large bibliography file on a worker thread (src/parallel/readBibliography.ts): the
// entries, and the errors, are those of reading it on this thread; a worker that cannot run
// leaves the file to this thread and says why.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { generateLibrary, libraryAsBibtex } from '../../bench/generate';
import { bibliographyEntries } from '../../src/core/bibliographyKeys';
import { readBibliography } from '../../src/parallel/readBibliography';

describe('readBibliography', function () {
  this.timeout(120_000);
  const items = generateLibrary(1500, 5);
  const files: [string, string][] = [
    ['library.yaml', `---\n${stringify({ references: items })}...\n`],
    ['library.json', JSON.stringify(items, null, 2)],
    ['library.bib', libraryAsBibtex(items)],
  ];

  it('reads CSL-YAML, CSL-JSON and BibTeX libraries on a worker as on this thread', async () => {
    for (const [file, text] of files) {
      const errors: string[] = [];
      let workerReads = 0;
      const read = await readBibliography(text, file, { minChars: 0, onWorkerError: (m) => errors.push(m), onWorkerRead: () => workerReads++ });
      assert.deepEqual(errors, [], file);
      assert.equal(workerReads, 1, file);
      assert.ok('entries' in read && read.entries.length === 1500, file);
      assert.deepEqual(read, bibliographyEntries(text, file), file);
    }
  });

  it('sends back what is wrong with a file, as this thread says it', async () => {
    const bad: [string, string][] = [
      ['a: [b', 'refs.yaml'],
      ['{"id": "a"}', 'refs.json'],
      ['secret', '/etc/passwd'],
    ];
    for (const [text, file] of bad) {
      const errors: string[] = [];
      const read = await readBibliography(text, file, { minChars: 0, onWorkerError: (m) => errors.push(m) });
      assert.deepEqual(errors, []);
      assert.ok('error' in read);
      assert.deepEqual(read, bibliographyEntries(text, file));
    }
  });

  it('reads a small file on this thread, and a file a worker cannot read here, saying why', async () => {
    const [file, text] = files[1];
    const errors: string[] = [];
    const script = path.join(__dirname, 'no-such-worker.js');
    assert.deepEqual(await readBibliography(text.slice(0, 2), file, { script, onWorkerError: (m) => errors.push(m) }), bibliographyEntries(text.slice(0, 2), file));
    assert.equal(errors.length, 0);
    let workerReads = 0;
    const here: boolean[] = [];
    const read = await readBibliography(text, file, { minChars: 0, script, onWorkerError: (m, readHere) => (errors.push(m), here.push(readHere)), onWorkerRead: () => workerReads++ });
    assert.deepEqual(read, bibliographyEntries(text, file));
    assert.equal(errors.length, 1);
    assert.match(errors[0], /worker/);
    assert.deepEqual([here, workerReads], [[true], 0]);
  });

  it('stops a worker that does not answer, and says the file was not read', async () => {
    const errors: string[] = [];
    const script = path.join(__dirname, '../support/silentWorker.js');
    const here: boolean[] = [];
    let workerReads = 0;
    const read = await readBibliography(files[0][1], files[0][0], { minChars: 0, script, timeoutMs: 500, onWorkerError: (m, readHere) => (errors.push(m), here.push(readHere)), onWorkerRead: () => workerReads++ });
    assert.deepEqual(read, { error: 'not read: a worker took more than 0.5 s to read it' });
    assert.deepEqual(errors, ['the worker did not read the file in 0.5 s']);
    assert.deepEqual([here, workerReads], [[false], 0]);
  });
});
