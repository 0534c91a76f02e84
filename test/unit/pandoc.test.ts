// Round trip: the bibliography the CLI writes is one pandoc --citeproc accepts as is, and every
// citation of the example memo resolves against it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli';
import { parseDraft } from '../../src/core/draft';
import { applyEdits, bibliographyTarget, formatCitation } from '../../src/core/edit/citationEdit';

const ROOT = path.resolve(__dirname, '../..');

function hasPandoc(): boolean {
  return spawnSync('pandoc', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Skips the test where pandoc is missing; CI installs it (.ci/run), so there it fails instead. */
function requirePandoc(test: Mocha.Context): void {
  if (hasPandoc()) return;
  if (process.env.CI) assert.fail('pandoc is not installed');
  test.skip();
}

class Sink {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('pandoc round trip', function () {
  this.timeout(60_000);

  it('renders the example memo with the generated CSL-JSON and no missing citation', async function () {
    requirePandoc(this);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-pandoc-'));
    try {
      fs.cpSync(path.join(ROOT, 'examples/csto'), dir, { recursive: true });
      // The example names references.json, which is not there yet: pandoc stops at it, and the
      // check says so (missing-bibliography-file).
      const before = spawnSync('pandoc', ['--citeproc', '--from', 'markdown', '--to', 'plain', 'memo.md'], { cwd: dir, encoding: 'utf8' });
      assert.notEqual(before.status, 0);
      assert.match(before.stderr, /references\.json not found/, before.stderr);
      const checked = new Sink();
      await main(['check', '--cwd', dir, '--format', 'json', 'memo.md'], checked as unknown as NodeJS.WritableStream, new Sink() as unknown as NodeJS.WritableStream);
      assert.ok((JSON.parse(checked.text) as { findings: { code: string }[] }).findings.some((f) => f.code === 'missing-bibliography-file'), checked.text);
      const out = new Sink();
      const err = new Sink();
      const code = await main(['bib', '--cwd', dir, '--out', 'references.json'], out as unknown as NodeJS.WritableStream, err as unknown as NodeJS.WritableStream);
      assert.equal(code, 0, err.text);
      const bib = JSON.parse(fs.readFileSync(path.join(dir, 'references.json'), 'utf8')) as { id: string }[];
      assert.deepEqual(bib.map((e) => e.id), ['golts2012']);
      const run = spawnSync('pandoc', ['--citeproc', '--from', 'markdown', '--to', 'plain', 'memo.md'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /not found|Citeproc: citation/i, run.stderr);
      assert.match(run.stdout, /Golts/);
      assert.doesNotMatch(run.stdout, /@golts2012|\?\?/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // A memo whose bibliography is a BibTeX library alone: Insert Citation adds references.json to
  // the files its front matter names (as a scalar or a block list), and pandoc reads both.
  for (const written of ['bibliography: library.bib', 'bibliography:\n  - library.bib']) {
    it(`renders the citations of a BibTeX library and of the CSL-JSON file added beside it (${JSON.stringify(written)})`, async function () {
      requirePandoc(this);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-pandoc-'));
      try {
        fs.cpSync(path.join(ROOT, 'examples/csto/sources'), path.join(dir, 'sources'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'library.bib'), '@book{smith2020,\n  title = {A Book},\n  author = {Smith, Jane},\n  year = 2020,\n}\n');
        const memo = `---\ntitle: Memo\n${written}\n---\n\nUzbekistan left the CSTO [@smith2020; @golts2012, para. 2].\n`;
        const draft = parseDraft(memo);
        const target = bibliographyTarget(draft);
        assert.ok(!('error' in target) && target.path === 'references.json' && target.edit, JSON.stringify(target));
        const edit = target.edit;
        fs.writeFileSync(path.join(dir, 'memo.md'), applyEdits(memo, [edit]));
        const err = new Sink();
        assert.equal(await main(['bib', '--cwd', dir, '--out', target.path], new Sink() as unknown as NodeJS.WritableStream, err as unknown as NodeJS.WritableStream), 0, err.text);
        const run = spawnSync('pandoc', ['--citeproc', '--from', 'markdown', '--to', 'plain', 'memo.md'], { cwd: dir, encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        assert.doesNotMatch(run.stderr, /not found|Citeproc: citation/i, run.stderr);
        assert.match(run.stdout, /\(Smith 2020; Golts 2012, para\. 2\)/, run.stdout);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  // A key with white space, which Pandoc cannot cite, and a DOI, which it cites only in braces.
  const cases: Array<[string, string, string]> = [
    ['roe 2020 (ed.)', 'roe2020ed', '@roe2020ed'],
    ['10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0', '10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0', '@{10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0}'],
  ];
  for (const [written, key, cited] of cases) {
    it(`cites a source whose citation-key is ${JSON.stringify(written)} as ${cited}`, async function () {
      requirePandoc(this);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-pandoc-'));
      try {
        fs.mkdirSync(path.join(dir, 'sources'));
        fs.writeFileSync(
          path.join(dir, 'sources', 'roe.md'),
          `---\ntitle: "An Edited Volume"\nauthor: Jane Roe\ndate: 2020-01-01\ncitation-key: ${JSON.stringify(written)}\n---\n\nUzbekistan withdrew from the CSTO in 2012.\n`,
        );
        const out = new Sink();
        const err = new Sink();
        assert.equal(await main(['claims', '--format', 'json', '--cwd', dir], out as unknown as NodeJS.WritableStream, err as unknown as NodeJS.WritableStream), 0, err.text);
        assert.equal((JSON.parse(out.text) as { sources: { key: string }[] }).sources[0].key, key);
        // The citation Insert Citation writes for it.
        const citation = formatCitation({ key, locator: 'para. 1' });
        assert.equal(citation, `${cited}, para. 1`);
        fs.writeFileSync(path.join(dir, 'memo.md'), `# Memo\n\nUzbekistan left the CSTO in 2012 [${citation}].\n`);
        assert.equal(await main(['bib', '--cwd', dir, '--out', 'references.json'], new Sink() as unknown as NodeJS.WritableStream, err as unknown as NodeJS.WritableStream), 0, err.text);
        const check = new Sink();
        assert.equal(await main(['check', '--cwd', dir, 'memo.md'], check as unknown as NodeJS.WritableStream, err as unknown as NodeJS.WritableStream), 0, err.text);
        assert.match(check.text, /^memo\.md: 1\/1 facts sourced$/m);
        const run = spawnSync('pandoc', ['--citeproc', '--bibliography', 'references.json', '--from', 'markdown', '--to', 'plain', 'memo.md'], { cwd: dir, encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        assert.doesNotMatch(run.stderr, /not found/i, run.stderr);
        assert.match(run.stdout, /\(Roe 2020, para\. 1\)/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
