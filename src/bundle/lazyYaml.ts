// What the bundles use in place of the `yaml` package (scripts/build.mjs resolves `yaml` to this
// file): the same functions, with the library loaded from dist/yaml.js on the first call, so
// loading the extension does not evaluate 112 KB of YAML parser. src/core imports `yaml` as usual
// and gets the package itself in tests, scripts and the benchmark.
import type * as Yaml from 'yaml';

type Exported = 'parse' | 'parseDocument' | 'parseAllDocuments' | 'stringify';

let library: typeof Yaml | undefined;

function yaml(): typeof Yaml {
  // A path next to the bundle: scripts/build.mjs writes dist/yaml.js and keeps this require.
  library ??= require('./yaml.js') as typeof Yaml;
  return library;
}

/** The library's function `name`, loading the library when it is first called. */
function onFirstCall<K extends Exported>(name: K): (typeof Yaml)[K] {
  const call = (...args: unknown[]): unknown => (yaml()[name] as (...a: unknown[]) => unknown)(...args);
  return call as (typeof Yaml)[K];
}

export const parse = onFirstCall('parse');
export const parseDocument = onFirstCall('parseDocument');
export const parseAllDocuments = onFirstCall('parseAllDocuments');
export const stringify = onFirstCall('stringify');
