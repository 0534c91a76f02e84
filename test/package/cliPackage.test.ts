// The command-line tool as a project installs it for CI: `npm pack` in this repository, the
// tarball installed as a dev dependency of another folder, `npx --no policy-cite` run there. It
// holds the package to what the CLI loads beside its bundle (the parse worker, the YAML reader,
// the model and gazetteer data), and to nothing else of this repository.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

describe('the policy-cite package (npm pack)', function () {
  this.timeout(600_000);
  let tmp: string;
  let project: string;
  let files: string[];

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-pack-'));
    // prepack builds the bundles as they ship.
    const packed = JSON.parse(execFileSync(NPM, ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed[0].files.map((f) => f.path);
    project = path.join(tmp, 'memos');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'memos', private: true }));
    execFileSync(NPM, ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', path.join(tmp, packed[0].filename)], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
    fs.cpSync(path.join(ROOT, 'examples/csto'), path.join(project, 'csto'), { recursive: true });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const cli = (args: string[], cwd = project): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(NPX, ['--no', 'policy-cite', ...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('holds the CLI bundle and what it loads, and none of the sources, tests or bench', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/cli.js', 'dist/parseWorker.js', 'dist/js-yaml.js', 'dist/data/claim-model.json', 'dist/data/gazetteer/places.json']) {
      assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
    }
    for (const f of files) assert.match(f, /^(dist\/(cli|parseWorker|js-yaml)\.js|dist\/data\/.+\.json|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/);
  });

  it('checks a memo from the project that installed it', () => {
    const r = cli(['check', 'csto/memo.md']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^csto\/memo\.md:19:104 warning number-mismatch "\$320 million" disagrees with the cited source: golts2012, para\. 2 says \$230 million\.$/m);
    assert.match(r.stdout, /^csto\/memo\.md:17:1 warning unsourced-claim Factual statement without a citation\. Best match: golts2012, para\. 3\.$/m);
    // (The example names references.json, which is not there yet.)
    assert.match(r.stdout, /^csto\/memo\.md:5:15 warning missing-bibliography-file The bibliography file "references\.json" named here does not exist/m);
    assert.match(r.stdout, /^7 findings \(0 errors, 6 warnings, 1 information\) in 1 file$/m);
  });

  // (--workers 1: the machine's default on two cores is none.)
  it('parses a library of more than 2 MB on a worker thread from the package', () => {
    const article = fs.readFileSync(path.join(ROOT, 'examples/csto/sources/golts-2012-the-collapsing-csto.md'), 'utf8');
    const library = path.join(project, 'library');
    fs.mkdirSync(path.join(library, 'sources'), { recursive: true });
    const copies = Math.ceil((2.2 * 1024 * 1024) / Buffer.byteLength(article));
    // (Each copy with a key of its own: copies that share one are warned of.)
    for (let i = 0; i < copies; i++) fs.writeFileSync(path.join(library, 'sources', `copy-${String(i).padStart(4, '0')}.md`), `---\ncitation-key: copy${i}\n---\n\n${article}`);
    const one = JSON.parse(cli(['claims', '--format', 'json'], path.join(project, 'csto')).stdout) as { sources: Array<{ claims: unknown[] }> };
    const r = cli(['claims', '--format', 'json', '--workers', '1'], library);
    assert.equal(r.status, 0, r.stderr);
    // A worker that could not load (a file missing from the package) is a warning.
    assert.equal(r.stderr, '');
    const all = JSON.parse(r.stdout) as { sources: Array<{ key: string; claims: unknown[] }> };
    assert.equal(all.sources.length, copies);
    assert.ok(all.sources.every((s) => s.claims.length === one.sources[0].claims.length));
    // The same claims with no worker; and --workers reaches the parser: without the worker's
    // script in the package, asking for one is that warning, and this thread parses everything.
    const none = cli(['claims', '--format', 'json', '--workers', '0'], library);
    assert.equal(none.stderr, '');
    assert.equal(none.stdout, r.stdout);
    const script = path.join(project, 'node_modules', 'policy-cite', 'dist', 'parseWorker.js');
    fs.renameSync(script, `${script}.away`);
    try {
      const failed = cli(['claims', '--format', 'json', '--workers', '1'], library);
      assert.equal(failed.status, 0, failed.stderr);
      assert.match(failed.stderr, /^policy-cite: warning: parse worker: .*; its files were parsed on the main thread$/m);
      assert.equal(failed.stdout, r.stdout);
    } finally {
      fs.renameSync(`${script}.away`, script);
    }
  });
});
