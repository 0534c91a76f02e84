// `npm run bench`: the benchmark (bench/run.ts) run on the engine built as it ships. bench/run.ts
// and the engine are bundled with esbuild as scripts/build.mjs bundles dist/cli.js and
// dist/extension.js (but not minified, so that stack traces stay readable), then run with
// `node --expose-gc`. `npx tsx bench/run.ts` runs the TypeScript sources instead, transformed file
// by file, with tsx's name-keeping helper around every function the engine creates. The arguments
// go to bench/run.ts as they are.
//
// The bundle is bench/.run.cjs (git-ignored), next to bench/run.ts so that the paths run.ts
// builds from __dirname (results.json, src/parallel/parseWorker.ts) stay the same.
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outfile = path.join(root, 'bench', '.run.cjs');
buildSync({
  entryPoints: [path.join(root, 'bench', 'run.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  logLevel: 'warning',
  // esbuild, with which the bench builds the parse worker and the shipped bundles, stays outside;
  // so does markdownlint, the check's baseline (ESM only, loaded with an import() of a variable
  // name, which esbuild leaves to Node). The rest is bundled as the extension's build bundles it.
  external: ['esbuild'],
  mainFields: ['module', 'main'],
  // As in scripts/build.mjs: ESM dependencies read import.meta.url.
  define: {
    'import.meta.url': '__importMetaUrl',
    // In one bundle every module is the main module: bench/generate.ts would run its own command
    // line (it writes a corpus to --out) before the bench.
    'require.main': 'undefined',
  },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
const r = spawnSync(process.execPath, ['--expose-gc', outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exitCode = r.status ?? 1;
