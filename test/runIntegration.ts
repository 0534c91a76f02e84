// Builds and runs the extension-host suite (test/integration) in a real VS Code.
//   tsx test/runIntegration.ts [--build-only] [--suite untrusted|virtual]
// `--suite untrusted` runs test/integration-untrusted instead, with POLICY_CITE_WORKSPACE_TRUST=
// untrusted so that the launcher opens the folder in Restricted Mode (workspace trust on).
// `--suite virtual` runs test/integration-virtual in a virtual workspace: the window opens
// `memfs:/csto` (`--folder-uri`), whose file system the tests register and fill with the example,
// and policy-cite is the packaged VSIX (`npm run package`) installed, not the development folder,
// so that VS Code applies its `capabilities` (test/integration-virtual/host hosts the tests).
// It uses @vscode/test-electron's runTests() as on any machine, but with our launcher as the VS
// Code executable: with no internet here VS Code cannot be downloaded, so the launcher runs the
// tests in code-server + headless Chromium instead (GUIDE §5). Expects `npm run build` and the
// tools from scripts/setup-vscode-tools.sh. Exits non-zero when any test fails.
//
// Environment: POLICY_CITE_TEST_GREP (mocha grep), POLICY_CITE_TEST_WORKSPACE (folder to open
// instead of a fresh copy of examples/csto), POLICY_CITE_LAUNCHER_VERBOSE=1 (all page console and
// code-server output), POLICY_CITE_RUN_TIMEOUT_MS, POLICY_CITE_KEEP_TMP=1.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(__dirname, '..');
interface Suite {
  /** Folder under test/ with index.ts and the *.test.ts files; built to out/test/<dir>. */
  dir: string;
  /** Extra environment for the launcher (and so code-server and the extension host). */
  env: Record<string, string>;
  /** Open this folder URI (a virtual workspace) instead of a copy of examples/csto on disk. */
  folderUri?: string;
  /** Test the installed VSIX; test/<dir>/host is the development extension that runs the tests. */
  installVsix?: boolean;
}

const SUITES: Record<string, Suite> = {
  integration: { dir: 'integration', env: {} },
  untrusted: { dir: 'integration-untrusted', env: { POLICY_CITE_WORKSPACE_TRUST: 'untrusted' } },
  virtual: { dir: 'integration-virtual', env: {}, folderUri: 'memfs:/csto', installVsix: true },
};

function selectedSuite(): Suite {
  const at = process.argv.indexOf('--suite');
  const inline = process.argv.find((arg) => arg.startsWith('--suite='));
  const name = inline ? inline.slice('--suite='.length) : at >= 0 ? process.argv[at + 1] : 'integration';
  const suite = name === undefined ? undefined : SUITES[name];
  if (!suite) throw new Error(`--suite ${name ?? ''}: expected one of ${Object.keys(SUITES).join(', ')}`);
  return suite;
}

const suite = selectedSuite();
const testsSrc = path.join(repoRoot, 'test', suite.dir);
const testsOut = path.join(repoRoot, 'out', 'test', suite.dir);
const launcherOut = path.join(repoRoot, 'out', 'scripts', 'code-server-launcher.js');

function integrationSources(): string[] {
  const dir = testsSrc;
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.join(dir, file));
}

async function buildTests(): Promise<void> {
  fs.rmSync(testsOut, { recursive: true, force: true }); // no stale *.test.js from deleted tests
  const common: esbuild.BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  };
  await Promise.all([
    // `vscode` is the extension host's; mocha is loaded from node_modules (it does not bundle well).
    esbuild.build({ ...common, entryPoints: integrationSources(), outdir: testsOut, outbase: testsSrc, external: ['vscode', 'mocha'] }),
    esbuild.build({ ...common, entryPoints: [path.join(repoRoot, 'scripts', 'code-server-launcher.ts')], outfile: launcherOut, packages: 'external', banner: { js: '#!/usr/bin/env node' } }),
  ]);
  fs.chmodSync(launcherOut, 0o755);
}

/** A fresh copy of the example workspace, so tests may edit files without touching the repo. */
function prepareWorkspace(): { folder: string; dispose(): void } {
  const given = process.env.POLICY_CITE_TEST_WORKSPACE;
  if (given) return { folder: path.resolve(given), dispose: () => undefined };
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-workspace-'));
  const folder = path.join(tempDir, 'csto');
  fs.cpSync(path.join(repoRoot, 'examples', 'csto'), folder, { recursive: true });
  return {
    folder,
    dispose: () => {
      if (process.env.POLICY_CITE_KEEP_TMP !== '1') fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** The VSIX `npm run package` writes. */
function packagedVsix(): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const vsix = path.join(repoRoot, `policy-cite-${version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${path.basename(vsix)} is missing: run \`npm run package\` first`);
  return vsix;
}

async function main(): Promise<number> {
  const started = Date.now();
  await buildTests();
  if (process.argv.includes('--build-only')) return 0;
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  const installed = suite.installVsix ? { POLICY_CITE_INSTALL_VSIX: packagedVsix() } : {};
  fs.rmSync(path.join(repoRoot, 'test-results', 'integration'), { recursive: true, force: true }); // the launcher's failure report
  const workspace = suite.folderUri === undefined ? prepareWorkspace() : undefined;
  try {
    await runTests({
      vscodeExecutablePath: launcherOut,
      extensionDevelopmentPath: suite.installVsix ? path.join(testsSrc, 'host') : repoRoot,
      extensionTestsPath: path.join(testsOut, 'index.js'),
      launchArgs: workspace ? [workspace.folder] : ['--folder-uri', String(suite.folderUri)],
      extensionTestsEnv: { POLICY_CITE_EXAMPLE_DIR: path.join(repoRoot, 'examples', 'csto'), ...suite.env, ...installed },
    });
    return 0;
  } catch (error) {
    if (error instanceof TestRunFailedError) return typeof error.code === 'number' && error.code !== 0 ? error.code : 1;
    throw error;
  } finally {
    workspace?.dispose();
    console.log(`integration run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
