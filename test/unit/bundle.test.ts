// The production bundles as they ship: dist/extension.js within its size budget, loading and
// activating it reads none of the files that load on first use, the CLI bundle reads them when it
// needs them, and the VSIX includes them.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import { buildProductionBundle, distFiles, probeActivation, type ProductionBuild } from '../../scripts/bundleProbe';

const ROOT = path.resolve(__dirname, '../..');
const BUDGET_KB = 500;

/** The relative paths a bundle requires at run time ("./js-yaml.js", "./data/…"), without "./". */
function localRequires(bundle: string): string[] {
  const text = fs.readFileSync(bundle, 'utf8');
  return [...new Set([...text.matchAll(/require\("\.\/([^"]+)"\)/g)].map((m) => m[1]))].sort();
}

describe('production bundles', function () {
  this.timeout(120_000);
  let build: ProductionBuild;
  let dist: string;
  let scratch: string;

  before(() => {
    build = buildProductionBundle();
    assert.equal(build.error, undefined);
    dist = path.join(build.dir, 'dist');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-bundle-test-'));
  });
  after(() => {
    build?.dispose();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it(`keeps dist/extension.js within ${BUDGET_KB} KB, with the model, the gazetteer and the YAML parser beside it`, () => {
    const files = distFiles(dist);
    const size = files.get('extension.js') ?? 0;
    assert.ok(size > 0 && size <= BUDGET_KB * 1024, `dist/extension.js is ${(size / 1024).toFixed(1)} KB`);
    const required = localRequires(path.join(dist, 'extension.js'));
    for (const file of ['js-yaml.js', 'data/claim-model.json', 'data/gazetteer/states-asia.json']) assert.ok(required.includes(file), `extension.js does not require ./${file}`);
    for (const bundle of ['extension.js', 'cli.js']) {
      for (const file of localRequires(path.join(dist, bundle))) assert.ok(files.has(file), `${bundle} requires ./${file}, which the build did not write`);
    }
  });

  it('loads and activates without reading the model, the gazetteer or the YAML parser', () => {
    const probe = probeActivation(path.join(dist, 'extension.js'));
    assert.ok(!('error' in probe), 'error' in probe ? probe.error : '');
    assert.deepEqual(probe.required, []);
    assert.equal(typeof probe.reportedMs, 'number');
  });

  it('runs the CLI bundle, which reads front matter, bibliographies, the gazetteer and the model on demand', () => {
    fs.mkdirSync(path.join(scratch, 'sources'));
    fs.writeFileSync(
      path.join(scratch, 'sources', 'doe.md'),
      '---\ntitle: "Tashkent Leaves"\nauthor: Jane Doe\ndate: 2013-01-02\n---\n\nUzbekistan withdrew from the CSTO in 2012, President Islam Karimov said.\n',
    );
    fs.writeFileSync(path.join(scratch, 'memo.md'), '---\nbibliography: refs.json\n---\n\nUzbekistan withdrew from the CSTO in 2012.\n');
    const cli = path.join(dist, 'cli.js');
    const claims = spawnSync(process.execPath, [cli, 'claims', '--format', 'json'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(claims.status, 0, claims.stderr);
    const [source] = (JSON.parse(claims.stdout) as { sources: { key: string; title: string; claims: { actors: string[] }[] }[] }).sources;
    assert.equal(source.title, 'Tashkent Leaves');
    assert.equal(source.key, 'doe2013');
    assert.deepEqual(source.claims[0].actors, ['Uzbekistan', 'Collective Security Treaty Organization', 'Islam Karimov']);
    const check = spawnSync(process.execPath, [cli, 'check', '--format', 'json', 'memo.md'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const { findings } = JSON.parse(check.stdout) as { findings: { code: string; suggestions: { key: string }[] }[] };
    assert.deepEqual(findings.map((f) => [f.code, f.suggestions[0]?.key]), [['unsourced-claim', 'doe2013']]);
    // A CSL-YAML bibliography, read with js-yaml from dist/js-yaml.js: its keys are not unknown.
    fs.writeFileSync(path.join(scratch, 'refs.yaml'), '---\nreferences:\n- id: smith2020\n  type: book\n  title: A Book\n...\n');
    fs.writeFileSync(path.join(scratch, 'book.md'), '---\nbibliography: refs.yaml\n---\n\nThe withdrawal was foreseen [@smith2020; @nobody2001].\n');
    const book = spawnSync(process.execPath, [cli, 'check', '--format', 'json', 'book.md'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(book.stderr, '');
    const unknown = (JSON.parse(book.stdout) as { findings: { code: string; message: string }[] }).findings.filter((f) => f.code === 'unknown-citation-key');
    assert.deepEqual(unknown.map((f) => /@?(\w+)/.exec(f.message.replace(/^[^"]*"/, ''))?.[1]), ['nobody2001']);
    // The workspace settings, JSON with comments, read by the bundled parser.
    fs.mkdirSync(path.join(scratch, '.vscode'));
    fs.writeFileSync(path.join(scratch, '.vscode', 'settings.json'), '{\n  // as in the editor\n  "policyCite.rules": { "unsourced-claim": "error", },\n}\n');
    const strict = spawnSync(process.execPath, [cli, 'check', 'memo.md'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(strict.status, 1, strict.stderr);
    assert.match(strict.stdout, / error unsourced-claim /);
    assert.equal(strict.stderr, '');
  });

  it('puts every file the extension requires into the VSIX', async () => {
    const pkg = path.join(scratch, 'package');
    fs.mkdirSync(pkg);
    for (const file of ['package.json', '.vscodeignore']) fs.copyFileSync(path.join(ROOT, file), path.join(pkg, file));
    fs.cpSync(dist, path.join(pkg, 'dist'), { recursive: true });
    const packaged = new Set(await listFiles({ cwd: pkg, packageManager: PackageManager.None }));
    for (const file of ['extension.js', ...localRequires(path.join(dist, 'extension.js'))]) {
      assert.ok(packaged.has(`dist/${file}`), `the VSIX would not include dist/${file}`);
    }
    assert.ok(![...packaged].some((f) => f.endsWith('.map') || f === 'dist/cli.js'), [...packaged].join(', '));
  });

  it('packages the walkthrough’s media, whose buttons run commands VS Code has', async () => {
    interface Step { id: string; description: string; media: { image?: string; markdown?: string; altText?: string }; completionEvents?: string[] }
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]>; walkthroughs: { steps: Step[] }[] };
    };
    const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
    assert.ok(steps.length >= 5, `${steps.length} steps`);
    const packaged = new Set(await listFiles({ cwd: ROOT, packageManager: PackageManager.None }));
    const ours = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const view of Object.values(manifest.contributes.views).flat()) ours.add(`${view.id}.focus`);
    // The built-in commands the steps use (VS Code 1.139).
    const builtIn = new Set(['workbench.actions.view.problems']);
    for (const step of steps) {
      const media = step.media.image ?? step.media.markdown;
      assert.ok(media && fs.existsSync(path.join(ROOT, media)), `${step.id}: ${media} exists`);
      assert.ok(packaged.has(media), `${step.id}: the VSIX holds ${media}`);
      if (step.media.image) assert.ok(step.media.altText, `${step.id}: an image has alt text`);
      const commands = [...step.description.matchAll(/\(command:([\w.]+)/g), ...(step.completionEvents ?? []).join(' ').matchAll(/onCommand:([\w.]+)/g)].map((m) => m[1]);
      for (const command of commands) assert.ok(ours.has(command) || builtIn.has(command), `${step.id}: ${command} is a command`);
    }
  });
});
