// Pinning a source's citation key: the text edit that makes its front matter give the key it is
// cited by now, so that no source added or renamed later can take it (see keyCollisionWarning).
import { readFrontMatter } from '../source';
import type { TextEditSpec } from './citationEdit';

export type PinKeyResult = { ok: true; edit: TextEditSpec } | { ok: true; edit: undefined } | { ok: false; error: string };

/** Values YAML reads as something other than a string when written plain. */
const YAML_SPECIAL = /^(?:null|true|false|yes|no|on|off|y|n|~)$/i;

/** `key` as a YAML value that reads back as that string. */
export function yamlValue(key: string): string {
  return /^[A-Za-z][A-Za-z0-9_-]*$/.test(key) && !YAML_SPECIAL.test(key) ? key : JSON.stringify(key);
}

/**
 * The edit of a source file's `text` after which its front matter gives `key` as its citation
 * key: a `citation-key:` line at the top of its front matter (which takes precedence over `id`
 * and `key`), or the line changed when it has one, or a front matter of that line alone before
 * the text when it has none. No edit when the front matter gives that key already. A front
 * matter that cannot be read (invalid YAML, no closing line) is not touched: it is to be mended
 * first. The edited text is read again before the edit is given, so that an edit that would not
 * give the key (a front matter of an unusual shape) is refused, not made.
 */
export function pinKeyEdit(text: string, key: string): PinKeyResult {
  const fm = readFrontMatter(text);
  if (fm?.error) return { ok: false, error: `its front matter could not be read (${fm.error}); mend it first` };
  if (fm?.key === key) return { ok: true, edit: undefined };
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const eol = /^[^\n]*\r\n/.test(text) ? '\r\n' : '\n';
  const line = `citation-key: ${yamlValue(key)}`;
  let edit: TextEditSpec;
  if (!fm) {
    edit = { start: bom, end: bom, newText: `---${eol}${line}${eol}---${eol}${eol}` };
  } else {
    const block = text.slice(0, fm.end);
    // A `citation-key:` line of its own (another value): changed in place, since a second one would be a duplicate key.
    const existing = /^citation-key[ \t]*:[^\r\n]*/m.exec(block);
    if (existing && existing.index > 0) edit = { start: existing.index, end: existing.index + existing[0].length, newText: line };
    else {
      const opening = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
      const at = opening ? opening[0].length : bom;
      edit = { start: at, end: at, newText: `${line}${eol}` };
    }
  }
  const after = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  if (readFrontMatter(after)?.key !== key) return { ok: false, error: 'its front matter has a shape this edit does not handle; add the line by hand' };
  return { ok: true, edit };
}
