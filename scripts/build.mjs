// Bundles the extension and the CLI with esbuild. `--production` minifies (used for the VSIX).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // ESM dependencies (fdir in tinyglobby, micromark) read import.meta.url; in a CJS bundle it must
  // be derived from __filename.
  define: { 'import.meta.url': '__importMetaUrl' },
};
const importMetaUrl = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], banner: { js: importMetaUrl } }),
  esbuild.build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${importMetaUrl}` } }),
]);
