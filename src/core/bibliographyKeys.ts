// The citation keys of a memo's bibliography: the works a memo may cite that are not sources in
// the workspace (a book from the analyst's reference manager), which Pandoc resolves from the
// files the front matter names (`bibliography:`) or from its inline `references:`. Read as Pandoc
// reads them: CSL-JSON (`.json`), CSL-YAML (`.yaml`, `.yml`) and BibTeX/BibLaTeX (`.bib`,
// `.bibtex`, `.biblatex`). Pure: the callers read the files.
import { parseDocument } from 'yaml';
import type { Draft } from './draftTypes';
import { withoutBom } from './text';

/** A bibliography file larger than this is not read (a library of 50,000 entries is some 30 MB). */
export const MAX_BIBLIOGRAPHY_BYTES = 64 * 1024 * 1024;

export type BibliographyKeys = { keys: string[] } | { error: string };

/**
 * The keys (entry ids) of a bibliography file, by its extension. The error says what is wrong in
 * words of this module only: a parser's message may quote the file, which is not shown.
 */
export function bibliographyKeys(text: string, path: string): BibliographyKeys {
  const ext = /\.([A-Za-z]+)$/.exec(path)?.[1]?.toLowerCase();
  const body = withoutBom(text);
  if (ext === 'json') return cslJsonKeys(body);
  if (ext === 'yaml' || ext === 'yml') return cslYamlKeys(body);
  if (ext === 'bib' || ext === 'bibtex' || ext === 'biblatex') return { keys: bibtexKeys(body) };
  return { error: 'not a bibliography format policy-cite reads (CSL-JSON .json, CSL-YAML .yaml, BibTeX .bib)' };
}

/** The ids of the front matter's inline `references:` (CSL-YAML), which Pandoc cites as a file's. */
export function frontMatterReferenceKeys(draft: Draft): string[] {
  return idsOf(draft.frontMatter?.data.references) ?? [];
}

function cslJsonKeys(text: string): BibliographyKeys {
  if (text.trim() === '') return { keys: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: 'not valid JSON' };
  }
  const keys = idsOf(data);
  return keys ? { keys } : { error: 'not a CSL-JSON list of entries' };
}

function cslYamlKeys(text: string): BibliographyKeys {
  if (text.trim() === '') return { keys: [] };
  let data: unknown;
  try {
    // (Pandoc's CSL-YAML is a document with `references:`, perhaps between `---` lines.)
    const doc = parseDocument(text.replace(/^---\r?\n/, '').replace(/\r?\n(?:---|\.\.\.)\s*$/, '\n'));
    if (doc.errors.length > 0) return { error: 'not valid YAML' };
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return { error: 'not valid YAML' };
  }
  const keys = idsOf(data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).references : data);
  return keys ? { keys } : { error: 'not a CSL-YAML list of references' };
}

/** The ids of a list of CSL entries (a string or a number each); undefined when it is no list. */
function idsOf(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const keys: string[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const id = (item as Record<string, unknown>).id;
    if (typeof id === 'string' && id.trim() !== '') keys.push(id.trim());
    else if (typeof id === 'number' && Number.isFinite(id)) keys.push(String(id));
  }
  return keys;
}

/**
 * The keys of a BibTeX or BibLaTeX file: `@article{key,` and `@book(key,`, but not `@string`,
 * `@preamble` or `@comment`. One pass of a pattern without nested quantifiers.
 */
function bibtexKeys(text: string): string[] {
  const keys: string[] = [];
  const entry = /@[ \t]*([A-Za-z]+)[ \t\r\n]*[{(][ \t\r\n]*([^,\s{}()"#%'=\\]+)[ \t\r\n]*,/g;
  for (let m = entry.exec(text); m; m = entry.exec(text)) {
    const type = m[1].toLowerCase();
    if (type !== 'string' && type !== 'preamble' && type !== 'comment') keys.push(m[2]);
  }
  return keys;
}
