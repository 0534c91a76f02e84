// YAML as policy-cite reads it: the front matter of memos and sources, and CSL-YAML bibliography
// files. js-yaml with the YAML 1.2 core schema (Pandoc reads YAML 1.2): dates and times stay
// strings, `<<` is a key like any other. It reads in time linear in the input, where the `yaml`
// library, used before, took time that grows with the square of the input on some texts (71 s
// for 100 KB of `[@a, ` after a tag, 1 s for 30 KB of them in a list), and ten times faster on a
// library of thousands of references (`npm run bench`, bibliography.read). An alias is the same
// object as its anchor, never a copy, so an alias bomb costs nothing to read: callers read only
// the fields they need, never the whole value (a value may even hold itself).

/**
 * The value of a YAML document, each character YAML does not allow read as U+FFFD; throws (a
 * YAMLException, whose message's first line says what and where) when the text is not valid
 * YAML, a tag no schema has (`!foo`) included.
 */
export function loadYaml(text: string): unknown {
  // Required on the first call, not when the bundle loads (scripts/build.mjs keeps it in
  // dist/js-yaml.js).
  const jsYaml = require('js-yaml') as typeof import('js-yaml');
  // YAML forbids control characters and lone surrogates anywhere in the text, and js-yaml refuses
  // the whole document for one of them; a stray one (pasted, or hostile) costs only itself.
  // (Without a match, replace gives back the text itself.)
  return jsYaml.load(text.replace(NOT_YAML_TEXT, '\uFFFD'), { schema: jsYaml.CORE_SCHEMA });
}

/** What YAML 1.2 does not allow in a stream (js-yaml's test): C0 and C1 controls but tab, line ends and NEL, U+FFFE, U+FFFF, lone surrogates. */
const NOT_YAML_TEXT = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
