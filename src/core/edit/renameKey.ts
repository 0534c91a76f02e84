// Renaming a source's citation key (F2 on a citation): the new key as the user typed it, and the
// text edits of a citation and of a bibliography entry. The extension gathers them over the
// workspace's memos, the source's front matter (see pinKeyEdit) and the memos' bibliographies.
import { citableKey, keyText } from '../citations';
import { entrySpan, formatOf } from '../bibliographyKeys';
import type { Citation } from '../draftTypes';
import type { TextEditSpec } from './citationEdit';
import { yamlValue } from './pinKey';

/**
 * The key the user typed (`golts2012x`, `@golts2012x` or `@{golts2012x}`), or why it cannot be
 * one: a key Pandoc cannot read as written (white space, brackets…) is refused, with the key it
 * would read instead when there is one.
 */
export function newCitationKey(typed: string): { key: string } | { error: string } {
  let key = typed.trim();
  if (key.startsWith('@')) key = key.slice(1);
  if (key.startsWith('{') && key.endsWith('}')) key = key.slice(1, -1);
  if (key === '') return { error: 'a citation key cannot be empty' };
  const citable = citableKey(key);
  if (citable === key) return { key };
  return { error: `"${typed.trim()}" is not a key Pandoc can cite${citable ? ` (it would read "${citable}")` : ''}` };
}

/**
 * The edit of a citation of `text` that cites `key` instead: the key in braces when Pandoc reads
 * it only so (see keyText), unless the citation has them already.
 */
export function citationKeyEdit(text: string, citation: Citation, key: string): TextEditSpec {
  const braced = text[citation.keyStart - 1] === '{' && text[citation.keyEnd] === '}';
  return { start: citation.keyStart, end: citation.keyEnd, newText: braced ? key : keyText(key) };
}

/** Characters a BibTeX entry's key cannot hold (its end, braces, a comment, a string's quote). */
const NOT_IN_BIBTEX_KEY = /[\s,{}%#"()=\\]/;

/**
 * The edit of a bibliography file's `text` (its format by `path`, as bibliographyEntries reads
 * it; `.yaml` for front-matter references) that gives `from`'s entry the id `to`; undefined when
 * the text has no entry of `from`, and why not when `to` cannot be that entry's key.
 */
export function entryKeyEdit(text: string, path: string, from: string, to: string): TextEditSpec | { error: string } | undefined {
  const span = entrySpan(text, path, from);
  if (!span) return undefined;
  const format = formatOf(path);
  if (format === 'bibtex' && NOT_IN_BIBTEX_KEY.test(to)) return { error: `"${to}" cannot be the key of a BibTeX entry` };
  return { ...span, newText: format === 'json' ? JSON.stringify(to) : format === 'yaml' ? yamlValue(to) : to };
}
