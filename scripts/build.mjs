// Bundles the extension and the CLI with esbuild. `--production` minifies (used for the VSIX).
//
// The check-worthiness model, the gazetteer and the YAML parser are not bundled: they ship next
// to the bundles and load on first use, so loading the extension evaluates none of them (see
// README, Performance). src/core reads its data with a lazy `require('./data/….json')`, which
// this build keeps as a require of dist/data/….json, and js-yaml with a lazy `require('js-yaml')`
// (src/core/readYaml.ts), kept as a require of dist/js-yaml.js. extension.js and cli.js share
// these files, and parseWorker.js, the worker thread that parses sources on a cold start and
// large bibliography files (src/parallel):
//
//   dist/extension.js  dist/cli.js  dist/parseWorker.js  dist/js-yaml.js  dist/data/claim-model.json  dist/data/gazetteer/*.json
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');

/** A hash of the engine's code and data: caches of parsed sources from another engine are ignored. */
function engineId(dir = 'src/core', hash = createHash('sha256')) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) engineId(file, hash);
    else hash.update(file).update(readFileSync(file));
  }
  return dir === 'src/core' ? hash.digest('hex').slice(0, 16) : '';
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // A CJS bundle has no import.meta.url: ESM code that reads it gets one derived from __filename.
  define: { 'import.meta.url': '__importMetaUrl', __POLICY_CITE_ENGINE__: JSON.stringify(engineId()) },
  // The ES module build of a package before its main: jsonc-parser's main is UMD, whose require()
  // calls esbuild cannot follow (the bundle would look for ./impl/format at run time).
  mainFields: ['module', 'main'],
};
const importMetaUrl = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";

const CORE = realpathSync('src/core');
const DATA = path.join(CORE, 'data');

/** Keeps the on-demand files out of the bundles (see the top of this file). */
const onDemand = {
  name: 'on-demand',
  setup(build) {
    build.onResolve({ filter: /^js-yaml$/ }, (args) => {
      // An import would be hoisted to the top of the bundle and read at load time.
      if (args.kind !== 'require-call') return { errors: [{ text: 'read js-yaml with a require() inside the function that needs it, not an import' }] };
      return { path: './js-yaml.js', external: true };
    });
    build.onResolve({ filter: /\.json$/ }, (args) => {
      const file = path.resolve(realpathSync(args.resolveDir), args.path);
      if (!file.startsWith(DATA + path.sep)) return undefined;
      // An import would be hoisted to the top of the bundle and read at load time.
      if (args.kind !== 'require-call') {
        return { errors: [{ text: `${args.path}: read src/core/data with a require() inside the function that needs it, not an import` }] };
      }
      return { path: `./${path.relative(CORE, file).split(path.sep).join('/')}`, external: true };
    });
  },
};

/** Copies src/core/data/**\/*.json to dist/data/, without the white space. */
function copyData(from = DATA, to = path.join('dist', 'data')) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyData(source, path.join(to, entry.name));
    else if (entry.name.endsWith('.json')) writeFileSync(path.join(to, entry.name), JSON.stringify(JSON.parse(readFileSync(source, 'utf8'))));
  }
}

copyData();
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], banner: { js: importMetaUrl }, plugins: [onDemand] }),
  esbuild.build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${importMetaUrl}` }, plugins: [onDemand] }),
  // The worker threads that parse sources on a cold start (src/parallel), for both of the above.
  esbuild.build({ ...common, entryPoints: ['src/parallel/parseWorker.ts'], outfile: 'dist/parseWorker.js', banner: { js: importMetaUrl }, plugins: [onDemand] }),
  esbuild.build({ ...common, define: {}, stdin: { contents: "module.exports = require('js-yaml');", resolveDir: process.cwd(), sourcefile: 'js-yaml.js' }, outfile: 'dist/js-yaml.js' }),
]);
