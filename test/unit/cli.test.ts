// The CLI end to end on real folders: contracts, exit codes and bad files.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { EXIT_BROKEN_PIPE, main } from '../../src/cli';
import { githubReport } from '../../src/cli/check';
import { makeFolder } from '../../src/cli/writeFile';

const ROOT = path.resolve(__dirname, '../..');

class Sink {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Sink();
  const err = new Sink();
  const code = await main(args, out as unknown as NodeJS.WritableStream, err as unknown as NodeJS.WritableStream);
  return { code, out: out.text, err: err.text };
}

describe('policy-cite CLI', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-cli-'));
    fs.cpSync(path.join(ROOT, 'examples/csto'), dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('claims --format json follows the contract', async () => {
    const { code, out } = await run(['claims', '--format', 'json', '--cwd', dir]);
    assert.equal(code, 0);
    const json = JSON.parse(out) as { sources: Record<string, unknown>[] };
    const [s] = json.sources;
    assert.deepEqual(Object.keys(s), ['key', 'path', 'title', 'authors', 'date', 'publisher', 'url', 'paragraphs', 'claims']);
    assert.equal(s.key, 'golts2012');
    assert.equal(s.path, 'sources/golts-2012-the-collapsing-csto.md');
    assert.deepEqual(s.authors, ['Alexander Golts']);
    assert.equal(s.date, '2012-07-16');
    assert.equal(s.paragraphs, 13);
    const claims = s.claims as Record<string, unknown>[];
    for (const k of ['id', 'paragraph', 'sentence', 'text', 'kind', 'start', 'end', 'actors', 'numbers', 'years', 'quotes']) assert.ok(k in claims[0], k);
    const text = fs.readFileSync(path.join(dir, 'sources/golts-2012-the-collapsing-csto.md'), 'utf8');
    const first = claims[0] as { start: number; end: number; text: string };
    assert.equal(text.slice(first.start, first.end), first.text);
  });

  it('actors --format json lists actors with aliases, roles and claim ids', async () => {
    const { code, out } = await run(['actors', '--format', 'json', '--cwd', dir]);
    assert.equal(code, 0);
    const { actors } = JSON.parse(out) as { actors: { name: string; type: string; aliases: string[]; roles: string[]; claims: string[] }[] };
    const karimov = actors.find((a) => a.name === 'Islam Karimov');
    assert.ok(karimov);
    assert.ok(karimov.aliases.includes('Karimov'));
    assert.ok(karimov.roles.includes('Uzbek President'));
    assert.ok(karimov.claims.includes('golts2012:3.2'));
  });

  it('prints a suggested claim megabytes long cut, in the text report, and whole in JSON', async () => {
    const long = Array.from({ length: 50_000 }, (_, i) => `Karimov w${i}`).join(' ');
    fs.writeFileSync(path.join(dir, 'sources', 'long-2020.md'), `---\ntitle: Long\nauthor: Ann Long\ndate: 2020-01-01\n---\n\n${long} left the CSTO.\n`);
    // (A locator out of range: the source's paragraphs that best match are suggested.)
    fs.writeFileSync(path.join(dir, 'long-memo.md'), 'Karimov left the CSTO [@long2020, para. 5].\n');
    const text = await run(['check', '--cwd', dir, 'long-memo.md']);
    const line = text.out.split('\n').find((l) => l.includes('suggestion: [@long2020'));
    assert.ok(line, text.out.slice(0, 500));
    assert.ok(line.length < 2_200 && line.endsWith('…'), `${line.length} characters`);
    const json = await run(['check', '--cwd', dir, '--format', 'json', 'long-memo.md']);
    assert.ok(json.out.includes(long), 'the JSON report has the claim whole');
  });

  it("takes the keys of the memo's bibliography for known, and flags a bibliography it names but cannot read", async () => {
    const memo = 'Uzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n';
    fs.writeFileSync(path.join(dir, 'plain.md'), memo);
    const unknown = await run(['check', '--cwd', dir, '--format', 'json', 'plain.md']);
    assert.equal(unknown.code, 1);
    assert.deepEqual((JSON.parse(unknown.out) as { findings: { code: string }[] }).findings.map((f) => f.code), ['unknown-citation-key']);
    // references.json beside the memo, where Insert Citation keeps it; then each format the front matter may name.
    fs.writeFileSync(path.join(dir, 'references.json'), JSON.stringify([{ id: 'smith2020', type: 'book', title: 'A Book' }]));
    // (That file is the memo's bibliography, read whole, and lacks the source golts2012, which
    // pandoc would then not find; bib --out writes it there.)
    const lacking = await run(['check', '--cwd', dir, 'plain.md']);
    assert.equal(lacking.code, 0);
    assert.match(lacking.out, /^plain\.md:1:54 warning missing-bibliography-entry "golts2012" is not in the memo's bibliography/);
    assert.equal((await run(['bib', '--cwd', dir, '--out', 'references.json'])).code, 0);
    assert.deepEqual(await run(['check', '--cwd', dir, 'plain.md']), { code: 0, out: 'plain.md: 1/1 facts sourced\n0 findings (0 errors, 0 warnings, 0 information) in 1 file\n', err: '' });
    fs.rmSync(path.join(dir, 'references.json'));
    fs.mkdirSync(path.join(dir, 'bib'));
    fs.writeFileSync(path.join(dir, 'bib', 'library.bib'), '@book{smith2020,\n  title = {A Book},\n}\n');
    fs.writeFileSync(path.join(dir, 'bib', 'refs.yaml'), 'references:\n- id: smith2020\n  type: book\n');
    for (const named of ['bib/library.bib', 'bib/refs.yaml', '[bib/missing.json, bib/library.bib]']) {
      fs.writeFileSync(path.join(dir, 'named.md'), `---\nbibliography: ${named}\n---\n\n${memo}`);
      const result = await run(['check', '--cwd', dir, '--format', 'json', 'named.md']);
      assert.equal(result.code, 0, `${named}: ${result.out}`);
      // (A file not there is no warning of the CLI's own but a finding, missing-bibliography-file.)
      assert.equal(result.err, '', named);
      // Each holds smith2020, not the source golts2012.
      const found = (JSON.parse(result.out) as { findings: { code: string }[] }).findings.map((f) => f.code);
      assert.deepEqual(found, named.includes('missing') ? ['missing-bibliography-file', 'missing-bibliography-entry'] : ['missing-bibliography-entry'], named);
    }
    // Only files not there yet: pandoc --citeproc would stop at it, and nothing is known of what
    // the bibliography will hold.
    fs.writeFileSync(path.join(dir, 'named.md'), `---\nbibliography: bib/missing.json\n---\n\n${memo}`);
    const notThere = await run(['check', '--cwd', dir, 'named.md']);
    assert.equal(notThere.code, 1);
    assert.match(notThere.out, /^named\.md:2:15 warning missing-bibliography-file The bibliography file "bib\/missing\.json" named here does not exist: pandoc --citeproc stops at it\./);
    assert.deepEqual(notThere.out.split('\n').filter((l) => /^named\.md:\d/.test(l)).map((l) => l.split(' ')[2]), ['missing-bibliography-file', 'unknown-citation-key']);
    // Written by bib --out, it holds the source: only smith2020 stays unknown.
    assert.equal((await run(['bib', '--cwd', dir, '--out', 'bib/missing.json'])).code, 0);
    assert.deepEqual((JSON.parse((await run(['check', '--cwd', dir, '--format', 'json', 'named.md'])).out) as { findings: { code: string }[] }).findings.map((f) => f.code), ['unknown-citation-key']);
    fs.rmSync(path.join(dir, 'bib', 'missing.json'));
    // A memo that cites nothing yet is not flagged (Insert Citation creates the file with the first citation).
    fs.writeFileSync(path.join(dir, 'uncited.md'), '---\nbibliography: bib/missing.json\n---\n\nIn our view, the alliance is weak.\n');
    assert.deepEqual((JSON.parse((await run(['check', '--cwd', dir, '--format', 'json', 'uncited.md'])).out) as { findings: unknown[] }).findings, []);
    // A file that cannot be read is a finding at its name, which says why without quoting the
    // file; its keys stay unknown.
    fs.writeFileSync(path.join(dir, 'bib', 'broken.json'), 'root:x:0:0:root:/root:/bin/bash\n');
    fs.writeFileSync(path.join(dir, 'named.md'), `---\nbibliography: bib/broken.json\n---\n\n${memo}`);
    const broken = await run(['check', '--cwd', dir, 'named.md']);
    assert.equal(broken.code, 1);
    assert.equal(broken.err, '');
    assert.deepEqual(broken.out.split('\n').filter((l) => /^named\.md:\d/.test(l)).map((l) => l.split(' ')[2]), ['unreadable-bibliography-file', 'unknown-citation-key']);
    assert.match(broken.out, /^named\.md:2:15 warning unreadable-bibliography-file The bibliography file "bib\/broken\.json" named here cannot be read: not valid JSON\. pandoc --citeproc stops at it\. Until it is, citations of works that only it holds are reported as unknown\.$/m);
    assert.doesNotMatch(broken.out, /root:x/);
    // A directory where the file should be, and a name pandoc takes no format from.
    fs.mkdirSync(path.join(dir, 'bib', 'folder.json'));
    fs.writeFileSync(path.join(dir, 'bib', 'refs.JSON'), '[]');
    fs.writeFileSync(path.join(dir, 'named.md'), `---\nbibliography: [bib/folder.json, bib/refs.JSON]\n---\n\n${memo}`);
    const odd = JSON.parse((await run(['check', '--cwd', dir, '--format', 'json', 'named.md'])).out) as { findings: { code: string; message: string }[] };
    assert.deepEqual(
      odd.findings.filter((f) => f.code === 'unreadable-bibliography-file').map((f) => f.message.split('. ')[0]),
      ['The bibliography file "bib/folder.json" named here cannot be read: not a file', 'The bibliography file "bib/refs.JSON" named here cannot be read: pandoc does not read a bibliography named .JSON ("Could not determine bibliography format"): it takes the format from a lower-case extension; rename it .json'],
    );
    // A memo that cites nothing gets the warning instead.
    fs.writeFileSync(path.join(dir, 'uncited.md'), '---\nbibliography: bib/broken.json\n---\n\nIn our view, the alliance is weak.\n');
    const uncited = await run(['check', '--cwd', dir, 'uncited.md']);
    assert.equal(uncited.err, 'policy-cite: warning: uncited.md: bibliography bib/broken.json: not valid JSON; citations of keys only it has are reported as unknown\n');
    // Beside a file that was read, it leaves the bibliography unknown whole: no source is said to be missing from it.
    fs.writeFileSync(path.join(dir, 'named.md'), `---\nbibliography: [bib/broken.json, bib/library.bib]\n---\n\n${memo}`);
    const halfRead = await run(['check', '--cwd', dir, '--format', 'json', 'named.md']);
    assert.deepEqual((JSON.parse(halfRead.out) as { findings: { code: string }[] }).findings.map((f) => f.code), ['unreadable-bibliography-file']);
    // policyCite.bibliography, when the front matter names none.
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "policyCite.bibliography": "bib/library.bib" }');
    assert.equal((await run(['check', '--cwd', dir, 'plain.md'])).code, 0);
  });

  it("takes the bibliography a Quarto project's _quarto.yml names for its memos, merged as Quarto merges it", async () => {
    const book = path.join(dir, 'book');
    fs.mkdirSync(path.join(book, 'chapters'), { recursive: true });
    fs.writeFileSync(path.join(book, '_quarto.yml'), 'project:\n  type: book\nbibliography: library.bib\n');
    fs.writeFileSync(path.join(book, 'library.bib'), '@book{smith2020,\n  title = {A Book},\n}\n');
    const cites = 'Uzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n';
    const codes = async (file: string): Promise<string[]> => (JSON.parse((await run(['check', '--cwd', dir, '--format', 'json', file])).out) as { findings: { code: string }[] }).findings.map((f) => f.code);
    // A chapter two folders down names none itself: the project's library is its bibliography,
    // which holds smith2020 and lacks the source.
    fs.writeFileSync(path.join(book, 'chapters', 'one.qmd'), `---\ntitle: One\n---\n\n${cites}`);
    assert.deepEqual(await codes('book/chapters/one.qmd'), ['missing-bibliography-entry']);
    // A single name of its own replaces the project's (smith2020 is unknown then); a list joins it.
    fs.writeFileSync(path.join(book, 'chapters', 'own.json'), JSON.stringify([{ id: 'golts2012', type: 'article' }]));
    fs.writeFileSync(path.join(book, 'chapters', 'two.qmd'), `---\nbibliography: own.json\n---\n\n${cites}`);
    assert.deepEqual(await codes('book/chapters/two.qmd'), ['unknown-citation-key']);
    fs.writeFileSync(path.join(book, 'chapters', 'two.qmd'), `---\nbibliography: [own.json]\n---\n\n${cites}`);
    assert.deepEqual(await codes('book/chapters/two.qmd'), []);
    // A project file that names no bibliography, or is not YAML, leaves the memo's own.
    fs.writeFileSync(path.join(book, '_quarto.yml'), 'project: [type: book\n');
    assert.deepEqual(await codes('book/chapters/one.qmd'), ['unknown-citation-key']);
    // A nearer project is the memo's (Quarto takes the nearest _quarto.yml).
    fs.writeFileSync(path.join(book, '_quarto.yml'), 'bibliography: library.bib\n');
    fs.writeFileSync(path.join(book, 'chapters', '_quarto.yaml'), 'project:\n  type: default\n');
    assert.deepEqual(await codes('book/chapters/one.qmd'), ['unknown-citation-key']);
    // A file the project names that is not there has no place in a memo: a warning, once.
    fs.rmSync(path.join(book, 'chapters', '_quarto.yaml'));
    fs.writeFileSync(path.join(book, '_quarto.yml'), 'bibliography: [library.bib, gone.bib]\n');
    const both = await run(['check', '--cwd', dir, 'book/chapters/one.qmd', 'book/chapters/two.qmd']);
    assert.equal(both.err, `policy-cite: warning: ${path.join('book', '_quarto.yml')}: bibliography ${path.join('book', 'gone.bib')} does not exist: quarto render stops at it\n`);
    assert.match(both.out, /^book\/chapters\/one\.qmd:5:\d+ warning missing-bibliography-entry/m);
  });

  it("merges a folder's _metadata.yml between the project's bibliography and the memo's, as quarto-cli does", async () => {
    const book = path.join(dir, 'book');
    fs.mkdirSync(path.join(book, 'part', 'chapters'), { recursive: true });
    fs.writeFileSync(path.join(book, '_quarto.yml'), 'project:\n  type: book\nbibliography: library.bib\n');
    fs.writeFileSync(path.join(book, 'library.bib'), '@book{smith2020,\n  title = {A Book},\n}\n');
    fs.writeFileSync(path.join(book, 'part', 'extra.json'), JSON.stringify([{ id: 'golts2012', type: 'article' }]));
    const cites = 'Uzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n';
    const codes = async (file: string): Promise<string[]> => (JSON.parse((await run(['check', '--cwd', dir, '--format', 'json', file])).out) as { findings: { code: string }[] }).findings.map((f) => f.code);
    fs.writeFileSync(path.join(book, 'part', 'chapters', 'one.qmd'), `---\ntitle: One\n---\n\n${cites}`);
    assert.deepEqual(await codes('book/part/chapters/one.qmd'), ['missing-bibliography-entry']);
    // part/_metadata.yml names a list, relative to its folder: joined to the project's library,
    // so both works are in the bibliography.
    fs.writeFileSync(path.join(book, 'part', '_metadata.yml'), 'bibliography: [extra.json]\n');
    assert.deepEqual(await codes('book/part/chapters/one.qmd'), []);
    // A single name replaces the project's (smith2020 unknown then); the memo's folder's, nearer,
    // comes after it.
    fs.writeFileSync(path.join(book, 'part', '_metadata.yml'), 'bibliography: extra.json\n');
    assert.deepEqual(await codes('book/part/chapters/one.qmd'), ['unknown-citation-key']);
    fs.writeFileSync(path.join(book, 'part', 'chapters', '_metadata.yaml'), 'bibliography: [../../library.bib]\n');
    assert.deepEqual(await codes('book/part/chapters/one.qmd'), []);
    // The project folder's own applies to the documents in that folder only (quarto-cli walks
    // the path from the project to the document).
    fs.rmSync(path.join(book, 'part', '_metadata.yml'));
    fs.rmSync(path.join(book, 'part', 'chapters', '_metadata.yaml'));
    fs.writeFileSync(path.join(book, '_metadata.yml'), 'bibliography: part/extra.json\n');
    assert.deepEqual(await codes('book/part/chapters/one.qmd'), ['missing-bibliography-entry']);
    fs.writeFileSync(path.join(book, 'index.qmd'), `---\ntitle: Home\n---\n\n${cites}`);
    assert.deepEqual(await codes('book/index.qmd'), ['unknown-citation-key']);
    // No project: a _metadata.yml is not read.
    fs.writeFileSync(path.join(book, '_quarto.yml'), 'project:\n  type: book\n');
    fs.writeFileSync(path.join(book, '_metadata.yml'), 'bibliography: library.bib\n');
    assert.deepEqual(await codes('book/index.qmd'), ['missing-bibliography-entry']);
    fs.rmSync(path.join(book, '_quarto.yml'));
    assert.deepEqual(await codes('book/index.qmd'), ['unknown-citation-key']);
    // A file a _metadata.yml names that is not there: a warning naming that file.
    fs.writeFileSync(path.join(book, '_quarto.yml'), 'project:\n  type: book\n');
    fs.writeFileSync(path.join(book, 'part', '_metadata.yml'), 'bibliography: gone.json\n');
    const gone = await run(['check', '--cwd', dir, 'book/part/chapters/one.qmd']);
    assert.equal(gone.err, `policy-cite: warning: ${path.join('book', 'part', '_metadata.yml')}: bibliography ${path.join('book', 'part', 'gone.json')} does not exist: quarto render stops at it\n`);
  });

  it('creates the folders of --cache and --out, and reports one it cannot create instead of looping', async function () {
    makeFolder(path.join(dir, 'a', 'b', 'c'));
    assert.ok(fs.statSync(path.join(dir, 'a', 'b', 'c')).isDirectory());
    makeFolder(path.join(dir, 'a', 'b'));
    assert.throws(() => makeFolder(path.join(dir, 'memo.md', 'x')), /EEXIST|ENOTDIR/);
    // Where creating a folder fails with ENOENT although its parent exists, fs.mkdirSync with
    // { recursive: true } never returns (Node 20 and 24): /proc on Linux.
    if (process.platform !== 'linux' || !fs.existsSync('/proc/self')) this.skip();
    assert.throws(() => makeFolder('/proc/policy-cite-test/a'), /ENOENT/);
    const r = await run(['check', '--cwd', dir, '--cache', '/proc/policy-cite-test', 'memo.md']);
    assert.equal(r.code, 0);
    assert.match(r.err, /cache \/proc\/policy-cite-test\/.* not written: ENOENT/);
    const bib = await run(['bib', '--cwd', dir, '--out', '/proc/policy-cite-test/references.json']);
    assert.equal(bib.code, 2);
    assert.match(bib.err, /cannot write it \(ENOENT/);
  });

  it('counts findings in the summary in the singular and the plural', async () => {
    fs.writeFileSync(path.join(dir, 'one.md'), 'Russia leases a base in Tajikistan [@golts2021, para. 2].\n');
    const one = await run(['check', '--cwd', dir, 'one.md']);
    assert.match(one.out, /^1 finding \(1 error, 0 warnings, 0 information\) in 1 file$/m);
    fs.writeFileSync(path.join(dir, 'two.md'), 'Russia leases a base in Tajikistan [@golts2021; @golts2020].\n');
    const two = await run(['check', '--cwd', dir, 'one.md', 'two.md']);
    assert.match(two.out, /^3 findings \(3 errors, 0 warnings, 0 information\) in 2 files$/m);
  });

  it('refuses a folder whose files are all sources, which would pass having checked nothing', async () => {
    const r = await run(['check', '--cwd', dir, 'sources']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no memo to check: the files found \(sources[\\/]golts-2012-the-collapsing-csto\.md\) are sources/);
    assert.equal(r.out, '');
    assert.equal((await run(['check', '--cwd', dir, '.'])).code, 0, 'the memo beside them is checked');
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) assert.deepEqual(await run([flag]), { code: 0, out: `policy-cite ${version}\n`, err: '' });
    assert.match((await run(['--help'])).out, /-v, --version/);
  });

  it('takes --workers from 0 to 8 and refuses anything else with 2 and a clear message', async () => {
    const base = await run(['check', '--cwd', dir, 'memo.md']);
    for (const n of ['0', '2']) assert.deepEqual(await run(['check', '--cwd', dir, '--workers', n, 'memo.md']), base);
    for (const bad of ['9', '-1', '1.5', 'two', '', '01']) {
      const r = await run(['check', '--cwd', dir, `--workers=${bad}`, 'memo.md']);
      assert.equal(r.code, 2, bad);
      assert.equal(r.out, '');
      assert.equal(r.err, `policy-cite: --workers: ${JSON.stringify(bad)} is not a number of worker threads from 0 to 8\n`);
    }
    assert.match((await run(['--help'])).out, /--workers N/);
  });

  it('missing paths exit with 2 and a clear message', async () => {
    const r = await run(['claims', '--cwd', dir, 'nowhere/*.md']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no files match nowhere\/\*\.md/);
    const r2 = await run(['claims', '--cwd', dir, 'missing.md']);
    assert.equal(r2.code, 2);
    assert.match(r2.err, /missing\.md: no such file or directory/);
    const r3 = await run(['check', '--cwd', dir, 'nope.md']);
    assert.equal(r3.code, 2);
  });

  it('skips binary, empty, oversized files and a symlink loop with a warning, and indexes the rest', async () => {
    const sources = path.join(dir, 'sources');
    fs.writeFileSync(path.join(sources, 'image.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]));
    fs.writeFileSync(path.join(sources, 'empty.md'), '');
    fs.writeFileSync(path.join(sources, 'latin1.txt'), Buffer.from([0x43, 0x61, 0x66, 0xe9]));
    const big = Buffer.alloc(50 * 1024 * 1024, 'Russia leases a base in Tajikistan. ');
    fs.writeFileSync(path.join(sources, 'dump.md'), big);
    fs.mkdirSync(path.join(sources, 'loop'));
    fs.symlinkSync(sources, path.join(sources, 'loop', 'again'));
    const { code, out, err } = await run(['claims', '--format', 'json', '--cwd', dir]);
    assert.equal(code, 0);
    assert.deepEqual((JSON.parse(out) as { sources: { key: string }[] }).sources.map((s) => s.key), ['golts2012']);
    assert.match(err, /skipped sources\/image\.md: binary file/);
    assert.match(err, /skipped sources\/empty\.md: empty file/);
    assert.match(err, /skipped sources\/latin1\.txt: not valid UTF-8/);
    assert.match(err, /skipped sources\/dump\.md: too large \(50\.0 MB/);
  });

  it('check prints compiler-style text, JSON, SARIF and GitHub annotations, with exit 1 only on errors', async () => {
    const memo = path.join(dir, 'memo.md');
    const text = await run(['check', '--cwd', dir, 'memo.md']);
    assert.equal(text.code, 0, 'the example memo has warnings and information only');
    assert.match(text.out, /^memo\.md:\d+:\d+ warning unsourced-claim /m);
    const json = await run(['check', '--format', 'json', '--cwd', dir, 'memo.md']);
    const { findings } = JSON.parse(json.out) as { findings: { file: string; range: { start: { line: number; character: number } }; code: string; severity: string; suggestions: unknown[] }[] };
    const mismatch = findings.find((f) => f.code === 'number-mismatch');
    assert.ok(mismatch);
    const line = fs.readFileSync(memo, 'utf8').split('\n')[mismatch.range.start.line];
    assert.equal(line.slice(mismatch.range.start.character, mismatch.range.start.character + 12), '$320 million');
    const sarif = JSON.parse((await run(['check', '--format', 'sarif', '--cwd', dir, 'memo.md'])).out) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results.length, findings.length);
    const github = await run(['check', '--format', 'github', '--cwd', dir, 'memo.md']);
    const annotations = github.out.trimEnd().split('\n');
    assert.equal(annotations.length, findings.length);
    assert.ok(annotations.every((a) => /^::(error|warning|notice) file=memo\.md,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=policy-cite [a-z-]+::\S/.test(a)), github.out);
    const mismatchLine = annotations.find((a) => a.includes('title=policy-cite number-mismatch'));
    assert.ok(mismatchLine?.startsWith(`::warning file=memo.md,line=${mismatch.range.start.line + 1},col=${mismatch.range.start.character + 1},`), mismatchLine);
    // A line break in a message (a quotation over two lines) starts no workflow command of its own.
    const quoted = path.join(dir, 'quoted.md');
    fs.writeFileSync(quoted, 'Golts wrote that "the CSTO\n::error::is 100% doomed" [@golts2012, para. 2].\n');
    const escaped = await run(['check', '--format', 'github', '--cwd', dir, 'quoted.md']);
    assert.ok(escaped.out.split('\n').every((l) => l === '' || l.startsWith('::notice ') || l.startsWith('::warning ')), escaped.out);
    assert.match(escaped.out, /::error::is 100%25 doomed/);
    fs.rmSync(quoted);
    const lines: string[] = [];
    const sink = { write: (chunk: string) => lines.push(chunk) } as unknown as NodeJS.WritableStream;
    githubReport([{ file: 'a,b:c.md', text: 'x\n', factual: 1, sourced: 0, findings: [{ code: 'unsourced-claim', severity: 'warning', start: 0, end: 1, message: 'two\r\n::error::lines', suggestions: [] }] }], sink);
    assert.deepEqual(lines, ['::warning file=a%2Cb%3Ac.md,line=1,col=1,endLine=1,endColumn=2,title=policy-cite unsourced-claim::two%0D%0A::error::lines\n']);
    fs.appendFileSync(memo, '\nUzbekistan left the CSTO in 2012 [@nosuchkey].\n');
    const withError = await run(['check', '--cwd', dir, 'memo.md']);
    assert.equal(withError.code, 1);
    assert.match(withError.out, /error unknown-citation-key Unknown citation key "nosuchkey"/);
  });

  it('check --rule sets a rule’s severity: an error fails the run, off drops the rule, a bad one is a usage error', async () => {
    const plain = await run(['check', '--cwd', dir, 'memo.md']);
    assert.equal(plain.code, 0);
    assert.match(plain.out, / warning unsourced-claim /);
    const strict = await run(['check', '--rule', 'unsourced-claim=error', '--rule', 'attribution-needed=off', '--cwd', dir, 'memo.md']);
    assert.equal(strict.code, 1, 'an unsourced statement fails the run');
    assert.match(strict.out, / error unsourced-claim /);
    assert.doesNotMatch(strict.out, /attribution-needed/);
    assert.match(plain.out, /attribution-needed/);
    for (const [bad, why] of [['nosuchrule=error', /unknown rule "nosuchrule"/], ['unsourced-claim=fatal', /severity must be one of error, warning, information, hint, off/], ['unsourced-claim', /expected CODE=SEVERITY/]] as const) {
      const r = await run(['check', '--rule', bad, '--cwd', dir, 'memo.md']);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, why);
    }
  });

  it('check reads the rules and paragraph citations of .vscode/settings.json, which --rule and --no-settings override', async () => {
    const settingsDir = path.join(dir, '.vscode');
    fs.mkdirSync(settingsDir);
    // As VS Code writes it: comments and a trailing comma.
    fs.writeFileSync(
      path.join(settingsDir, 'settings.json'),
      '{\n  // CI fails on unsourced statements\n  "policyCite.rules": { "unsourced-claim": "error", "attribution-needed": "off", },\n  "editor.wordWrap": "on",\n}\n',
    );
    // From a subfolder: the nearest settings file upwards.
    fs.mkdirSync(path.join(dir, 'drafts'));
    fs.copyFileSync(path.join(dir, 'memo.md'), path.join(dir, 'drafts/memo.md'));
    for (const memo of ['memo.md', 'drafts/memo.md']) {
      const strict = await run(['check', '--cwd', dir, memo]);
      assert.equal(strict.code, 1, memo);
      assert.match(strict.out, / error unsourced-claim /);
      assert.doesNotMatch(strict.out, /attribution-needed/);
      assert.equal(strict.err, '');
    }
    // --rule wins over the setting, rule by rule.
    const relaxed = await run(['check', '--rule', 'unsourced-claim=warning', '--cwd', dir, 'memo.md']);
    assert.equal(relaxed.code, 0);
    assert.match(relaxed.out, / warning unsourced-claim /);
    assert.doesNotMatch(relaxed.out, /attribution-needed/);
    const ignored = await run(['check', '--no-settings', '--cwd', dir, 'memo.md']);
    assert.equal(ignored.code, 0);
    assert.match(ignored.out, /attribution-needed/);

    // policyCite.paragraphCitations: a citation ending a paragraph covers its sentences.
    const uncited = (out: string): number => out.split('\n').filter((l) => l.includes('unsourced-claim')).length;
    const before = uncited(ignored.out);
    fs.writeFileSync(path.join(settingsDir, 'settings.json'), '{ "policyCite.paragraphCitations": true }');
    const covered = await run(['check', '--cwd', dir, 'memo.md']);
    assert.ok(uncited(covered.out) < before, `${uncited(covered.out)} < ${before}`);
    assert.equal(uncited(covered.out), uncited((await run(['check', '--paragraph-citations', '--no-settings', '--cwd', dir, 'memo.md'])).out));

    // A broken file: warned about, what can be read still applies, never a failure of its own.
    fs.writeFileSync(path.join(settingsDir, 'settings.json'), '{ "policyCite.rules": { "unsourced-claim": "fatal", "nosuch": "off", "attribution-needed": "off" }, "x": ');
    const broken = await run(['check', '--cwd', dir, 'memo.md']);
    assert.equal(broken.code, 0);
    assert.doesNotMatch(broken.out, /attribution-needed/);
    assert.match(broken.err, /warning: \.vscode\/settings\.json: ValueExpected at line 1, column 106 \(and 1 more\); read what could be/);
    assert.match(broken.err, /policyCite\.rules: unsourced-claim: severity must be one of error, warning, information, hint, off; ignored/);
    assert.match(broken.err, /policyCite\.rules: unknown rule "nosuch"; ignored/);
    for (const [content, why] of [[Buffer.from([0x7b, 0, 0x7d]), /not a text file/], ['[1, 2]', /not an object of settings/], ['', /^$/], ['// nothing yet\n', /^$/], [`{${' '.repeat(1024 * 1024)}}`, /larger than 1 MB; not read/]] as const) {
      fs.writeFileSync(path.join(settingsDir, 'settings.json'), content);
      const r = await run(['check', '--cwd', dir, 'memo.md']);
      assert.equal(r.code, 0);
      assert.match(r.err, why);
    }
  });

  it('check expands a glob of memos that no shell expanded, and refuses one that matches nothing', async () => {
    fs.mkdirSync(path.join(dir, 'memos', 'old'), { recursive: true });
    for (const name of ['b.md', 'a.md', 'old/c.md']) fs.copyFileSync(path.join(dir, 'memo.md'), path.join(dir, 'memos', name));
    const one = await run(['check', '--cwd', dir, 'memo.md']);
    const r = await run(['check', '--cwd', dir, 'memos/*.md']);
    assert.equal(r.code, one.code, r.err);
    const files = (out: string): string[] => [...new Set(out.split('\n').filter((l) => /^\S+\.md:\d+:\d+ /.test(l)).map((l) => l.slice(0, l.indexOf(':'))))];
    assert.deepEqual(files(r.out), ['memos/a.md', 'memos/b.md']);
    // The same findings as the memo they copy, at the same places.
    const lines = (out: string, file: string): string[] => out.split('\n').filter((l) => l.startsWith(`${file}:`) && /^\S+:\d+:\d+ /.test(l)).map((l) => l.slice(file.length));
    assert.deepEqual(lines(r.out, 'memos/a.md'), lines(one.out, 'memo.md'));
    assert.match(r.out, /in 2 files$/m);
    assert.deepEqual(files((await run(['check', '--cwd', dir, 'memos/**/*.md'])).out), ['memos/a.md', 'memos/b.md', 'memos/old/c.md']);
    // A file whose name reads as a glob is that file.
    fs.copyFileSync(path.join(dir, 'memo.md'), path.join(dir, 'memo[1].md'));
    assert.deepEqual(files((await run(['check', '--cwd', dir, 'memo[1].md'])).out), ['memo[1].md']);
    const none = await run(['check', '--cwd', dir, 'drafts/*.md']);
    assert.equal(none.code, 2);
    assert.match(none.err, /no memo matches drafts\/\*\.md/);
  });

  it('matches globs as the editor does: files whose names start with a dot too, and a glob made to backtrack in linear time', async () => {
    // The extension indexes sources/.draft.md (VS Code's file search matches it); so does the CLI.
    fs.writeFileSync(path.join(dir, 'sources', '.draft.md'), '---\nauthor: Dot Writer\ndate: 2019\n---\n\nArmenia joined the Eurasian Economic Union in 2015.\n');
    const keys = async (): Promise<string[]> => {
      const r = await run(['claims', '--format', 'json', '--cwd', dir]);
      assert.equal(r.code, 0, r.err);
      return (JSON.parse(r.out) as { sources: { key: string }[] }).sources.map((x) => x.key).sort();
    };
    // (A folder whose name starts with a dot is not entered: tools keep Markdown there.)
    fs.mkdirSync(path.join(dir, 'sources', '.cache'));
    fs.copyFileSync(path.join(dir, 'sources', '.draft.md'), path.join(dir, 'sources', '.cache', 'copy.md'));
    assert.deepEqual(await keys(), ['golts2012', 'writer2019']);
    // A settings glob that a backtracking match takes minutes over, against a name it nearly
    // matches: the run ends at once, and the glob still selects what it names.
    fs.writeFileSync(path.join(dir, 'sources', `${'a'.repeat(60)}.md`), '---\nauthor: Long Name\ndate: 2018\n---\n\nKazakhstan joined the CSTO in 1992.\n');
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `{ "policyCite.sources": "sources/${'*a'.repeat(14)}*b" }`);
    const none = await run(['claims', '--cwd', dir]);
    assert.equal(none.code, 2);
    assert.match(none.err, /no files match sources\/\*a/);
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `{ "policyCite.sources": "sources/${'*a'.repeat(14)}*.md" }`);
    assert.deepEqual(await keys(), ['name2018']);
    // A source whose name reads as a glob is that file, as a memo's is.
    fs.rmSync(path.join(dir, '.vscode'), { recursive: true });
    fs.renameSync(path.join(dir, 'sources', '.draft.md'), path.join(dir, 'sources', 'draft[1].md'));
    const named = await run(['claims', '--format', 'json', '--cwd', dir, 'sources/draft[1].md']);
    assert.equal(named.code, 0, named.err);
    assert.deepEqual((JSON.parse(named.out) as { sources: { key: string }[] }).sources.map((x) => x.key), ['writer2019']);
  });

  it('check reports a memo it cannot read and still checks the others, with exit code 2', async () => {
    fs.mkdirSync(path.join(dir, 'memos'));
    fs.copyFileSync(path.join(dir, 'memo.md'), path.join(dir, 'memos', 'a.md'));
    fs.writeFileSync(path.join(dir, 'memos', 'b.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    fs.copyFileSync(path.join(dir, 'memo.md'), path.join(dir, 'memos', 'c.md'));
    const one = await run(['check', '--cwd', dir, 'memo.md']);
    const findingLines = (out: string, file: string): string[] => out.split('\n').filter((l) => l.startsWith(`${file}:`) && /^\S+:\d+:\d+ /.test(l)).map((l) => l.slice(file.length));
    assert.ok(findingLines(one.out, 'memo.md').length > 0);

    const r = await run(['check', '--cwd', dir, 'memos/*.md']);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'policy-cite: memos/b.md: binary file (contains NUL bytes); not checked\n');
    // The memos before and after it are checked as on their own.
    assert.deepEqual(findingLines(r.out, 'memos/a.md'), findingLines(one.out, 'memo.md'));
    assert.deepEqual(findingLines(r.out, 'memos/c.md'), findingLines(one.out, 'memo.md'));
    assert.match(r.out, /in 2 files; 1 file not checked$/m);

    // Named on the command line, not found: the same.
    const missing = await run(['check', '--cwd', dir, 'memos/a.md', 'memos/gone.md']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /memos\/gone\.md: no such file; not checked/);
    assert.deepEqual(findingLines(missing.out, 'memos/a.md'), findingLines(one.out, 'memo.md'));

    const json = JSON.parse((await run(['check', '--format', 'json', '--cwd', dir, 'memos/*.md'])).out) as { findings: { file: string }[]; unchecked: unknown[] };
    assert.deepEqual(json.unchecked, [{ file: 'memos/b.md', reason: 'binary file (contains NUL bytes)' }]);
    assert.deepEqual([...new Set(json.findings.map((f) => f.file))], ['memos/a.md', 'memos/c.md']);
    const sarif = JSON.parse((await run(['check', '--format', 'sarif', '--cwd', dir, 'memos/*.md'])).out) as { runs: { invocations: unknown[] }[] };
    assert.deepEqual(sarif.runs[0].invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [{ level: 'error', message: { text: 'binary file (contains NUL bytes)' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'memos/b.md' } } }] }],
      },
    ]);
    const github = (await run(['check', '--format', 'github', '--cwd', dir, 'memos/*.md'])).out.split('\n');
    assert.equal(github[0], '::error file=memos/b.md,title=policy-cite%3A not checked::binary file (contains NUL bytes)');
    assert.ok(github.some((l) => l.startsWith('::warning file=memos/c.md,')));

    // Every memo readable: nothing is reported as not checked.
    const clean = await run(['check', '--format', 'sarif', '--cwd', dir, 'memos/a.md']);
    assert.deepEqual((JSON.parse(clean.out) as { runs: { invocations: unknown[] }[] }).runs[0].invocations, [{ executionSuccessful: true }]);
    assert.equal(clean.err, '');
  });

  it('stops quietly when its reader closes the pipe (policy-cite claims | head)', async () => {
    // Enough claims that the output outgrows the pipe's buffer.
    const paragraphs = Array.from({ length: 3000 }, (_, i) => `Russia kept ${1000 + i} troops in Tajikistan in ${1990 + (i % 30)}, Karimov said in Tashkent.`);
    fs.writeFileSync(path.join(dir, 'sources', 'long.md'), `---\ntitle: Long\nauthor: Jane Roe\ndate: 2020-01-01\n---\n\n${paragraphs.join('\n\n')}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'claims', '--cwd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let first = '';
    child.stdout.setEncoding('utf8').once('data', (d: string) => {
      first = d;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.match(first, /^golts2012 /);
    assert.equal(stderr, '');
    assert.equal(code, EXIT_BROKEN_PIPE);
  });

  it('check takes an empty or blank memo for one with nothing to flag, not for one it cannot read', async () => {
    fs.mkdirSync(path.join(dir, 'new'));
    fs.writeFileSync(path.join(dir, 'new', 'empty.md'), '');
    fs.writeFileSync(path.join(dir, 'new', 'blank.md'), '\uFEFF \n\n\t\r\n');
    const r = await run(['check', '--format', 'json', '--cwd', dir, 'new/*.md']);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as { findings: unknown[]; unchecked: unknown[]; files: unknown[] };
    assert.deepEqual(json.unchecked, []);
    assert.deepEqual(json.findings, []);
    const text = await run(['check', '--cwd', dir, 'new/blank.md']);
    assert.equal(text.code, 0);
    assert.match(text.out, /^0 findings .* in 1 file$/m);
  });

  it('writes no control character of a hostile source to the terminal, and one line per finding and suggestion', async () => {
    // A source whose text would clear the screen, retitle the window and, in an 8-bit terminal,
    // start a control sequence; and line separators that would start lines of their own.
    fs.writeFileSync(
      path.join(dir, 'sources', 'hostile.md'),
      '---\ntitle: "Hostile \u001b[2J"\nauthor: Eve Mallory\ndate: 2020-01-01\n---\n\n' +
        'Uzbekistan withdrew from the CSTO in 2012 \u001b]0;pwned\u0007 after Ev\u001b[31mil Karimov \u009b1m said so\u2028memo.md:1:1 error unknown-citation-key forged.\n\n' +
        'A second paragraph about Russia and Tashkent in 2005.\n',
    );
    fs.writeFileSync(path.join(dir, 'hostile-memo.md'), '# Memo\n\nUzbekistan withdrew from the CSTO in 2012 after Karimov said so.\n');
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
    const check = await run(['check', '--cwd', dir, 'hostile-memo.md']);
    assert.equal(check.code, 0, check.err);
    assert.ok(!controls.test(check.out), JSON.stringify(check.out));
    const lines = check.out.split('\n');
    const suggestion = lines.find((l) => l.includes('[@mallory2020, para. 1]'));
    assert.ok(suggestion, check.out);
    assert.match(suggestion, /in 2012 \\u001b\]0;pwned\\u0007 after Ev\\u001b\[31mil Karimov \\u009b1m said so memo\.md:1:1 error unknown-citation-key forged\.$/);
    // The forged finding stays inside the suggestion's line: the only finding line is the memo's own.
    assert.deepEqual(lines.filter((l) => /^\S+:\d+:\d+ /.test(l)).map((l) => l.split(' ').slice(0, 3).join(' ')), ['hostile-memo.md:3:1 warning unsourced-claim']);
    for (const args of [['claims'], ['actors'], ['check', '--format', 'github', 'hostile-memo.md'], ['bib']]) {
      const r = await run([...args, '--cwd', dir]);
      assert.ok(!controls.test(r.out) && !controls.test(r.err), `${args.join(' ')}: ${JSON.stringify(r.out)}`);
    }
    assert.match((await run(['claims', '--cwd', dir])).out, /\\u001b\]0;pwned\\u0007/);
  });

  it('check prints lines that the $policy-cite problem matcher of package.json reads, at every severity', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { problemMatchers: { name: string; pattern: Record<string, string | number> }[] };
    };
    const matcher = pkg.contributes.problemMatchers.find((m) => m.name === 'policy-cite');
    assert.ok(matcher);
    const { pattern } = matcher;
    const regexp = new RegExp(String(pattern.regexp));
    const rules = ['unsourced-claim=hint', 'attribution-needed=information', 'locator-out-of-range=error'];
    const { out } = await run(['check', ...rules.flatMap((r) => ['--rule', r]), '--cwd', dir, 'memo.md']);
    const findings = out.split('\n').filter((line) => /^memo\.md:\d+:\d+ /.test(line));
    assert.ok(findings.length >= 5, out);
    const memoLines = fs.readFileSync(path.join(dir, 'memo.md'), 'utf8').split('\n');
    const seen = new Set<string>();
    for (const line of findings) {
      const m = regexp.exec(line);
      assert.ok(m, line);
      const group = (name: string): string => m[Number(pattern[name])];
      assert.equal(group('file'), 'memo.md');
      assert.ok(Number(group('line')) >= 1 && Number(group('line')) <= memoLines.length, line);
      // VS Code reads error, warning, info and hint (not "information").
      assert.ok(['error', 'warning', 'info', 'hint'].includes(group('severity')), line);
      assert.match(group('code'), /^[a-z]+(-[a-z]+)+$/);
      assert.ok(line.endsWith(group('message')) && group('message').length > 10, line);
      seen.add(group('severity'));
    }
    assert.deepEqual([...seen].sort(), ['error', 'hint', 'info', 'warning']);
    // Suggestion and summary lines are not problems.
    for (const line of out.split('\n').filter((l) => !findings.includes(l))) assert.equal(regexp.exec(line), null, line);
  });

  it('bib --out merges into an existing file, through a link, and refuses an invalid one', async () => {
    const out = path.join(dir, 'references.json');
    fs.writeFileSync(out, JSON.stringify([{ id: 'mine', type: 'book', title: 'Kept' }]));
    assert.equal((await run(['bib', '--cwd', dir, '--out', 'references.json'])).code, 0);
    const entries = JSON.parse(fs.readFileSync(out, 'utf8')) as { id: string; title: string }[];
    assert.deepEqual(entries.map((e) => e.id), ['mine', 'golts2012']);
    fs.writeFileSync(out, '[{"id": "broken",');
    const bad = await run(['bib', '--cwd', dir, '--out', 'references.json']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /not valid JSON/);
    assert.equal(fs.readFileSync(out, 'utf8'), '[{"id": "broken",');

    // A link to a bibliography kept elsewhere (a reference manager's export) stays a link, and
    // the file it points to gets the entries.
    const shared = path.join(dir, 'shared-library.json');
    fs.writeFileSync(shared, JSON.stringify([{ id: 'theirs', type: 'book', title: 'Shared' }]));
    fs.rmSync(out);
    fs.symlinkSync(shared, out);
    assert.equal((await run(['bib', '--cwd', dir, '--out', 'references.json'])).code, 0);
    assert.ok(fs.lstatSync(out).isSymbolicLink());
    assert.deepEqual((JSON.parse(fs.readFileSync(shared, 'utf8')) as { id: string }[]).map((e) => e.id), ['theirs', 'golts2012']);

    // A folder given to --out: a message naming it, no stack trace, the folder untouched.
    fs.mkdirSync(path.join(dir, 'bib'));
    const folder = await run(['bib', '--cwd', dir, '--out', 'bib']);
    assert.equal(folder.code, 2);
    assert.equal(folder.err, `policy-cite: bib is a folder; --out takes the bibliography file (such as ${path.join('bib', 'references.json')})\n`);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'bib')), []);

    // A file pandoc would not read as CSL-JSON (it goes by the extension, in lower case): refused,
    // and a BibTeX library there is left as it was.
    fs.writeFileSync(path.join(dir, 'bib', 'library.bib'), '@book{smith2020,\n  title = {A Book},\n}\n');
    for (const [out, instead] of [['bib/library.bib', 'bib/library.json'], ['refs.yaml', 'refs.json'], ['refs.JSON', 'refs.json'], ['notes/refs', 'notes/refs.json']]) {
      const refused = await run(['bib', '--cwd', dir, '--out', out]);
      assert.equal(refused.code, 2, out);
      assert.equal(refused.err, `policy-cite: ${out}: policy-cite writes CSL-JSON, which pandoc reads from a .json file only; name one (such as ${instead})\n`);
    }
    assert.deepEqual(fs.readdirSync(path.join(dir, 'bib')), ['library.bib']);
    assert.equal(fs.readFileSync(path.join(dir, 'bib', 'library.bib'), 'utf8'), '@book{smith2020,\n  title = {A Book},\n}\n');
    assert.ok(!fs.existsSync(path.join(dir, 'refs.yaml')) && !fs.existsSync(path.join(dir, 'refs.JSON')) && !fs.existsSync(path.join(dir, 'notes')));
  });

  it('reads settings, actors and bibliography files that start with a byte order mark, as the editor does', async () => {
    const BOM = '\uFEFF';
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `${BOM}{ "policyCite.rules": { "unsourced-claim": "off" } }`);
    fs.mkdirSync(path.join(dir, '.policy-cite'));
    fs.writeFileSync(path.join(dir, '.policy-cite', 'actors.json'), `${BOM}${JSON.stringify({ actors: [{ name: 'Zaphod Quintrell', type: 'person' }] })}`);
    const check = await run(['check', '--cwd', dir, 'memo.md']);
    // (An actors file that is not JSON, or a settings file with a bad symbol, is a warning.)
    assert.equal(check.err, '', 'no warning');
    assert.doesNotMatch(check.out, /unsourced-claim/, 'the rules of the settings file apply');
    const bib = path.join(dir, 'references.json');
    fs.writeFileSync(bib, `${BOM}[]\n`);
    const written = await run(['bib', '--cwd', dir, '--out', 'references.json']);
    assert.equal(written.code, 0, written.err);
    const text = fs.readFileSync(bib, 'utf8');
    assert.ok(text.startsWith(BOM), 'the mark stays');
    assert.deepEqual((JSON.parse(text.slice(1)) as { id: string }[]).map((e) => e.id), ['golts2012']);
  });

  it('warns of a source whose front matter gave no field, and indexes its text', async () => {
    fs.writeFileSync(path.join(dir, 'sources', 'broken.md'), '---\ntitle: [unclosed\nauthor: Jane Roe\n---\n\nRussia kept 5,000 troops in Tajikistan in 2011.\n');
    const r = await run(['claims', '--cwd', dir]);
    assert.equal(r.code, 0);
    assert.match(r.err, /^policy-cite: warning: sources\/broken\.md: front matter is not valid YAML \(.+\); its title, author, date and citation key were not read from it \(indexed as @broken\)$/m);
    assert.match(r.out, /^broken {2}\(untitled\)/m);
    assert.match(r.out, /broken:1\.1 +\w+ +Russia kept 5,000 troops/);
  });

  it('warns of a key that two sources take, naming the key each is cited by', async () => {
    // An article of the same author and year whose file name sorts first takes golts2012 from the reference article.
    fs.writeFileSync(path.join(dir, 'sources', 'another.md'), '---\ntitle: Russia and Central Asia\nauthor: Alexander Golts\ndate: 2012-08-01\n---\n\nRussia kept 5,000 troops in Tajikistan in 2011.\n');
    const r = await run(['check', '--cwd', dir, 'memo.md']);
    assert.match(
      r.err,
      /^policy-cite: warning: 2 sources take the citation key @golts2012: sources\/another\.md keeps it, sources\/golts-2012-the-collapsing-csto\.md is cited as @golts2012a\. .+ \(citation-key: golts2012a\)\.$/m,
    );
    // What the warning is about: the memo's citations of the reference article now point at the other one.
    assert.match(r.out, /locator-out-of-range "para\. 3" is out of range: golts2012 has 1 paragraph\./);
  });

  it('pin-keys gives each source whose key another takes the key it is cited by in its front matter, and check no longer warns', async () => {
    // With a byte order mark and CRLF line ends, which stay as they are.
    const another = path.join(dir, 'sources', 'another.md');
    fs.writeFileSync(another, '\uFEFF---\r\ntitle: Russia and Central Asia\r\nauthor: Alexander Golts\r\ndate: 2012-08-01\r\n---\r\n\r\nRussia kept 5,000 troops in Tajikistan in 2011.\r\n');
    const reference = path.join(dir, 'sources', 'golts-2012-the-collapsing-csto.md');
    const [anotherText, referenceText] = [another, reference].map((f) => fs.readFileSync(f, 'utf8'));
    const keysOf = async (): Promise<string[]> => (JSON.parse((await run(['claims', '--format', 'json', '--cwd', dir])).out) as { sources: Array<{ key: string; path: string }> }).sources.map((x) => `${x.path} @${x.key}`);
    const before = await keysOf();
    const r = await run(['pin-keys', '--cwd', dir]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'sources/another.md: pinned @golts2012\nsources/golts-2012-the-collapsing-csto.md: pinned @golts2012a\n');
    assert.equal(fs.readFileSync(another, 'utf8'), anotherText.replace('---\r\n', '---\r\ncitation-key: golts2012\r\n'));
    // (The reference article has no front matter: it gets one, of that line.)
    assert.equal(fs.readFileSync(reference, 'utf8'), `---\ncitation-key: golts2012a\n---\n\n${referenceText}`);
    // The keys the sources were cited by, given now: no warning.
    assert.deepEqual(await keysOf(), before);
    const check = await run(['check', '--cwd', dir, 'memo.md']);
    assert.doesNotMatch(check.err, /take the citation key/);
    const again = await run(['pin-keys', '--cwd', dir]);
    assert.deepEqual([again.code, again.out], [0, 'no two sources take the same citation key; there is no key to pin\n']);
    // A source whose front matter gives its key already is left as it is; a source that is a link
    // to a file elsewhere stays a link, and the file it points to is edited.
    const given = '---\ntitle: Copy\nauthor: Jane Roe\ndate: 2020-01-01\ncitation-key: roe2020\n---\n\nRussia kept 5,000 troops.\n';
    fs.writeFileSync(path.join(dir, 'sources', 'copy-a.md'), given);
    const elsewhere = path.join(dir, 'shared-copy-b.md');
    fs.writeFileSync(elsewhere, '---\ntitle: Copy\nauthor: Jane Roe\ndate: 2020-01-01\n---\n\nRussia kept 5,000 troops.\n');
    fs.symlinkSync(elsewhere, path.join(dir, 'sources', 'copy-b.md'));
    // (Run from a folder below the workspace, whose policyCite.sources names the sources: the
    // files are named relative to where it runs.)
    fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "policyCite.sources": "sources/**/*.md" }');
    fs.mkdirSync(path.join(dir, 'notes'));
    const third = await run(['pin-keys', '--cwd', path.join(dir, 'notes')]);
    assert.deepEqual([third.code, third.out], [0, '../sources/copy-a.md: its front matter gives @roe2020 already\n../sources/copy-b.md: pinned @roe2020a\n']);
    assert.equal(fs.readFileSync(path.join(dir, 'sources', 'copy-a.md'), 'utf8'), given);
    assert.ok(fs.lstatSync(path.join(dir, 'sources', 'copy-b.md')).isSymbolicLink());
    assert.match(fs.readFileSync(elsewhere, 'utf8'), /^---\ncitation-key: roe2020a\ntitle: Copy\n/);
  });

  it('pin-keys --dry-run names each source with the line it would get and writes no file', async () => {
    const another = path.join(dir, 'sources', 'another.md');
    fs.writeFileSync(another, '---\ntitle: Russia and Central Asia\nauthor: Alexander Golts\ndate: 2012-08-01\n---\n\nRussia kept 5,000 troops in Tajikistan in 2011.\n');
    // Two sources whose front matter gives one key: the second is cited as copy2020a, and its line would be changed in place.
    const copies = ['copy-a.md', 'copy-b.md'].map((f) => path.join(dir, 'sources', f));
    for (const f of copies) fs.writeFileSync(f, '---\ntitle: Copy\ncitation-key: copy2020\n---\n\nRussia kept 5,000 troops.\n');
    const files = [another, path.join(dir, 'sources', 'golts-2012-the-collapsing-csto.md'), ...copies];
    const before = files.map((f) => [fs.readFileSync(f, 'utf8'), fs.statSync(f).mtimeMs]);
    const r = await run(['pin-keys', '--dry-run', '--cwd', dir]);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      [
        'sources/copy-a.md: its front matter gives @copy2020 already',
        'sources/copy-b.md: would pin @copy2020a (citation-key: copy2020a, in place of "citation-key: copy2020")',
        'sources/another.md: would pin @golts2012 (citation-key: golts2012, at the top of its front matter)',
        'sources/golts-2012-the-collapsing-csto.md: would pin @golts2012a (citation-key: golts2012a, a front matter of its own, of that line)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(files.map((f) => [fs.readFileSync(f, 'utf8'), fs.statSync(f).mtimeMs]), before);
    // What it said it would do is what pin-keys does.
    const pinned = await run(['pin-keys', '--cwd', dir]);
    assert.equal(pinned.out, r.out.replace(/would pin (@\S+) \([^)]*\)/g, 'pinned $1'));
    assert.match(fs.readFileSync(copies[1], 'utf8'), /^---\ntitle: Copy\ncitation-key: copy2020a\n---/);
    // Another command does not take it.
    const check = await run(['check', '--dry-run', '--cwd', dir, 'memo.md']);
    assert.deepEqual([check.code, check.err], [2, 'policy-cite: --dry-run applies to pin-keys only (check writes no source)\n']);
  });

  it('check --format github puts a warning about source files on each of them, as the memos are named, and json and sarif list them', async () => {
    fs.writeFileSync(path.join(dir, 'sources', 'another.md'), '---\ntitle: Russia and Central Asia\nauthor: Alexander Golts\ndate: 2012-08-01\n---\n\nRussia kept 5,000 troops in Tajikistan in 2011.\n');
    fs.writeFileSync(path.join(dir, 'sources', 'broken.md'), '---\ntitle: [unclosed\n---\n\nRussia kept 5,000 troops in Tajikistan in 2011.\n');
    // Run from a folder above the workspace (a repository's root, say): the paths are relative to it.
    const r = await run(['check', '--cwd', path.dirname(dir), '--format', 'github', path.join(path.basename(dir), 'memo.md')]);
    const ws = path.basename(dir);
    const notes = r.out.split('\n').filter((l) => l.includes('title=policy-cite%3A source'));
    assert.deepEqual(
      notes.map((l) => l.slice(0, l.indexOf(',title='))),
      [`::warning file=${ws}/sources/another.md`, `::warning file=${ws}/sources/golts-2012-the-collapsing-csto.md`, `::warning file=${ws}/sources/broken.md`],
    );
    assert.match(notes[0], /::2 sources take the citation key @golts2012: sources\/another\.md keeps it/);
    assert.match(notes[2], /::sources\/broken\.md: .*indexed as @broken/);
    // The memo's findings are annotated as before; the same warnings are on standard error.
    assert.ok(r.out.includes(`::warning file=${ws}/memo.md,line=`), r.out);
    assert.match(r.err, /warning: 2 sources take the citation key @golts2012/);
    const json = JSON.parse((await run(['check', '--cwd', path.dirname(dir), '--format', 'json', path.join(ws, 'memo.md')])).out) as { sourceWarnings: Array<{ files: string[]; message: string }> };
    assert.deepEqual(
      json.sourceWarnings.map((w) => w.files),
      [[`${ws}/sources/another.md`, `${ws}/sources/golts-2012-the-collapsing-csto.md`], [`${ws}/sources/broken.md`]],
    );
    assert.match(json.sourceWarnings[0].message, /^2 sources take the citation key @golts2012/);
    // SARIF: tool notifications of the run, on the same files.
    const sarif = JSON.parse((await run(['check', '--cwd', path.dirname(dir), '--format', 'sarif', path.join(ws, 'memo.md')])).out) as {
      runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }>;
    };
    const [invocation] = sarif.runs[0].invocations;
    assert.equal(invocation.executionSuccessful, true);
    assert.deepEqual(
      invocation.toolExecutionNotifications.map((n) => [n.level, n.message.text, n.locations.map((l) => l.physicalLocation.artifactLocation.uri)]),
      json.sourceWarnings.map((w) => ['warning', w.message, w.files]),
    );
  });

  it("check reads the workspace's policyCite.sources and policyCite.exclude, as the extension indexes them", async () => {
    const one = await run(['check', '--cwd', dir, 'memo.md']);
    // The sources move to library/, which only the setting names; an old copy stays in library/old.
    fs.mkdirSync(path.join(dir, 'library', 'old'), { recursive: true });
    const article = 'golts-2012-the-collapsing-csto.md';
    fs.renameSync(path.join(dir, 'sources', article), path.join(dir, 'library', article));
    fs.copyFileSync(path.join(dir, 'library', article), path.join(dir, 'library', 'old', article));
    fs.rmSync(path.join(dir, 'sources'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'old-memo.md'), '# Old\n\nUzbekistan left the CSTO in 2012 [@golts2012a, para. 1].\n');
    const without = await run(['check', '--cwd', dir, 'memo.md']);
    assert.equal(without.code, 2);
    assert.match(without.err, /memo\.md: no sources\/ folder found/);

    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "policyCite.sources": "library/**/*.md", "policyCite.exclude": "library/old/**" }');
    const withSettings = await run(['check', '--cwd', dir, 'memo.md', 'old-memo.md']);
    assert.equal(withSettings.err, '');
    // The memo's findings as against sources/; the excluded copy is not indexed (its key would be golts2012a).
    const lines = (out: string, file: string): string[] => out.split('\n').filter((l) => l.startsWith(`${file}:`));
    assert.deepEqual(lines(withSettings.out, 'memo.md'), lines(one.out, 'memo.md'));
    assert.match(withSettings.out, /^old-memo\.md:3:\d+ error unknown-citation-key Unknown citation key "golts2012a"/m);
    // claims and bib read them too.
    const claims = JSON.parse((await run(['claims', '--format', 'json', '--cwd', dir])).out) as { sources: { key: string; path: string }[] };
    assert.deepEqual(claims.sources.map((x) => [x.key, x.path]), [['golts2012', `library/${article}`]]);
    const bib = JSON.parse((await run(['bib', '--cwd', dir])).out) as { id: string }[];
    assert.deepEqual(bib.map((e) => e.id), ['golts2012']);
    assert.equal((await run(['claims', '--cwd', dir, '--no-settings'])).code, 2);
    // Without the exclusion, the copy is a second source.
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "policyCite.sources": "library/**/*.md" }');
    const both = await run(['check', '--cwd', dir, 'old-memo.md']);
    assert.doesNotMatch(both.out, /unknown-citation-key/);
    // --no-settings: back to the sources/ folder, which is gone.
    assert.equal((await run(['check', '--cwd', dir, '--no-settings', 'memo.md'])).code, 2);
    // A setting that names no file says where it comes from.
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "policyCite.sources": "articles/**/*.md" }');
    for (const args of [['check', 'memo.md'], ['bib']]) {
      const r = await run([...args, '--cwd', dir]);
      assert.equal(r.code, 2);
      assert.equal(r.err, `policy-cite: no files match articles/**/*.md (policyCite.sources in ${path.join('.vscode', 'settings.json')})\n`);
    }
    // Empty, blank or of the wrong type, a glob setting leaves the default in place, as in the
    // editor; only the wrong type is worth a warning (the settings editor flags it too).
    fs.mkdirSync(path.join(dir, 'sources'));
    fs.copyFileSync(path.join(dir, 'library', article), path.join(dir, 'sources', article));
    for (const [settings, warning] of [
      ['{ "policyCite.sources": "", "policyCite.exclude": " " }', ''],
      ['{ "policyCite.sources": ["library/**/*.md"], "policyCite.exclude": 3 }', 'policy-cite: warning: .vscode/settings.json: policyCite.sources: not a glob string; ignored\npolicy-cite: warning: .vscode/settings.json: policyCite.exclude: not a glob string; ignored\n'],
      // Outside the workspace folder the editor finds nothing, and the CLI reads nothing there.
      ['{ "policyCite.sources": "../**/*.md" }', 'policy-cite: warning: .vscode/settings.json: policyCite.sources: reaches outside the workspace folder; ignored\n'],
    ]) {
      fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), settings);
      const r = await run(['check', '--cwd', dir, 'memo.md']);
      assert.equal(r.err, warning.replaceAll('.vscode/settings.json', path.join('.vscode', 'settings.json')), settings);
      assert.deepEqual(lines(r.out, 'memo.md'), lines(one.out, 'memo.md'), settings);
    }
  });

  it('leaves node_modules out of the sources, as the default policyCite.exclude does in the editor', async () => {
    // A package's README under sources/ (a tool installed there): the extension never indexes it.
    fs.mkdirSync(path.join(dir, 'sources', 'node_modules', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sources', 'node_modules', 'pkg', 'README.md'), '# pkg\n\nThe package was downloaded 5,000 times in 2011.\n');
    const keys = async (args: string[]): Promise<string[]> => {
      const r = await run(['claims', '--format', 'json', '--cwd', dir, ...args]);
      assert.equal(r.code, 0, r.err);
      return (JSON.parse(r.out) as { sources: { key: string }[] }).sources.map((x) => x.key);
    };
    assert.deepEqual(await keys([]), ['golts2012']);
    assert.deepEqual(await keys(['sources/**/*.md']), ['golts2012']);
    assert.deepEqual(await keys(['sources']), ['golts2012']);
    // A file named as such is read.
    assert.deepEqual(await keys(['sources/golts-2012-the-collapsing-csto.md', 'sources/node_modules/pkg/README.md']), ['golts2012', 'readme']);
    // check indexes what claims does: the memo citing the package is told its key is unknown.
    fs.writeFileSync(path.join(dir, 'pkg-memo.md'), '# Pkg\n\nThe package was downloaded 5,000 times in 2011 [@readme].\n');
    assert.match((await run(['check', '--cwd', dir, 'pkg-memo.md'])).out, /unknown-citation-key Unknown citation key "readme"/);
    // A policyCite.exclude of the workspace replaces the default, as in VS Code.
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "policyCite.exclude": "drafts/**" }');
    assert.deepEqual(await keys([]), ['golts2012', 'readme']);
    assert.doesNotMatch((await run(['check', '--cwd', dir, 'pkg-memo.md'])).out, /unknown-citation-key/);
    // An empty one leaves the default, as the extension reads it.
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "policyCite.exclude": "" }');
    assert.deepEqual(await keys([]), ['golts2012']);
    assert.match((await run(['check', '--cwd', dir, 'pkg-memo.md'])).out, /unknown-citation-key Unknown citation key "readme"/);
  });

  it('check takes a folder for the memos in it, sources and node_modules aside', async () => {
    fs.mkdirSync(path.join(dir, 'memos', 'node_modules', 'pkg'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'memo.md'), path.join(dir, 'memos', 'a.md'));
    fs.copyFileSync(path.join(dir, 'memo.md'), path.join(dir, 'memos', 'b.qmd'));
    fs.copyFileSync(path.join(dir, 'memo.md'), path.join(dir, 'memos', 'node_modules', 'pkg', 'readme.md'));
    fs.writeFileSync(path.join(dir, 'memos', 'notes.txt'), 'Not a memo.');
    const checked = (out: string): string[] => out.split('\n').filter((l) => / facts sourced$/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
    const all = await run(['check', '--cwd', dir, '.']);
    assert.equal(all.code, 0, all.err);
    assert.deepEqual(checked(all.out), ['memo.md', path.join('memos', 'a.md'), path.join('memos', 'b.qmd')]);
    const one = await run(['check', '--cwd', dir, 'memo.md']);
    const findings = (out: string, file: string): string[] => out.split('\n').filter((l) => l.startsWith(`${file}:`) && /^\S+:\d+:\d+ /.test(l)).map((l) => l.slice(file.length));
    assert.deepEqual(findings(all.out, path.join('memos', 'a.md')), findings(one.out, 'memo.md'));
    const memos = await run(['check', '--cwd', dir, 'memos']);
    assert.deepEqual(checked(memos.out), [path.join('memos', 'a.md'), path.join('memos', 'b.qmd')]);
    // Sources named with --sources are not memos either.
    const named = await run(['check', '--cwd', dir, '--sources', 'sources', '.']);
    assert.deepEqual(checked(named.out), checked(all.out));
    // The workspace's policyCite.exclude, as the editor's check memos task reads it.
    fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{\n  // drafts aside\n  "policyCite.exclude": "memos/*.qmd",\n}\n');
    assert.deepEqual(checked((await run(['check', '--cwd', dir, '.'])).out), ['memo.md', path.join('memos', 'a.md')]);
    // Named one by one, a memo is checked whatever the setting.
    assert.deepEqual(checked((await run(['check', '--cwd', dir, 'memos/b.qmd'])).out), [path.join('memos', 'b.qmd')]);
    assert.deepEqual(checked((await run(['check', '--cwd', dir, '--no-settings', 'memos'])).out), [path.join('memos', 'a.md'), path.join('memos', 'b.qmd')]);
    const none = await run(['check', '--cwd', dir]);
    assert.equal(none.code, 2);
    assert.match(none.err, /^policy-cite: check needs the memos to check: files, folders or globs \(policy-cite check \. checks every memo of this folder\)$/m);
    fs.mkdirSync(path.join(dir, 'empty'));
    const empty = await run(['check', '--cwd', dir, 'empty']);
    assert.equal(empty.code, 2);
    assert.equal(empty.err, 'policy-cite: no memo (*.md, *.markdown, *.qmd) in the folder empty\n');
  });
});
