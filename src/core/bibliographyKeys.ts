// The citation keys of a memo's bibliography: the works a memo may cite that are not sources in
// the workspace (a book from the analyst's reference manager), which Pandoc resolves from the
// files the front matter names (`bibliography:`) or from its inline `references:`. Read as Pandoc
// reads them: CSL-JSON (`.json`), CSL-YAML (`.yaml`, `.yml`) and BibTeX/BibLaTeX (`.bib`,
// `.bibtex`, `.biblatex`). Pure: the callers read the files.
import type { Draft } from './draftTypes';
import { clipText } from './escape';
import { loadYaml } from './readYaml';
import { withoutBom } from './text';

/** A bibliography file larger than this is not read (a library of 50,000 entries is some 30 MB). */
export const MAX_BIBLIOGRAPHY_BYTES = 64 * 1024 * 1024;

export type BibliographyKeys = { keys: string[] } | { error: string };

/** A work of a bibliography as the hover and completion show it: its key and, where the entry gives them, who wrote it, when and its title. */
export interface BibliographyEntry {
  key: string;
  /** "Golts", "Smith and Doe", "Smith et al." (family names, or a literal name). */
  author?: string;
  /** The year issued, as written ("2012"). */
  year?: string;
  title?: string;
}

export type BibliographyEntries = { entries: BibliographyEntry[] } | { error: string };

/** The most of an entry's author, year or title that is kept (a field of megabytes is hostile, not a title). */
const MAX_FIELD_CHARS = 300;

/**
 * The keys (entry ids) of a bibliography file, by its extension. The error says what is wrong in
 * words of this module only: a parser's message may quote the file, which is not shown.
 */
export function bibliographyKeys(text: string, path: string): BibliographyKeys {
  const read = bibliographyEntries(text, path);
  return 'error' in read ? read : { keys: read.entries.map((e) => e.key) };
}

/** The extensions by which Pandoc tells a bibliography file's format: in lower case only (`refs.JSON` stops pandoc). */
const FORMAT_BY_EXTENSION: Readonly<Record<string, 'json' | 'yaml' | 'bibtex'>> = { json: 'json', yaml: 'yaml', yml: 'yaml', bib: 'bibtex', bibtex: 'bibtex', biblatex: 'bibtex' };

/** A bibliography file's format, by its extension, as Pandoc takes it. */
export function formatOf(path: string): 'json' | 'yaml' | 'bibtex' | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(path)?.[1];
  return ext !== undefined && Object.hasOwn(FORMAT_BY_EXTENSION, ext) ? FORMAT_BY_EXTENSION[ext] : undefined;
}

/**
 * The name with its extension in lower case, when only the case keeps pandoc from taking a format
 * from it (`refs.JSON` → `refs.json`); undefined otherwise.
 */
export function lowerCaseFormatName(path: string): string | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(path)?.[1];
  if (ext === undefined || formatOf(path) !== undefined || !Object.hasOwn(FORMAT_BY_EXTENSION, ext.toLowerCase())) return undefined;
  return `${path.slice(0, -ext.length)}${ext.toLowerCase()}`;
}

/** The entries of a bibliography file, by its extension (see bibliographyKeys). */
export function bibliographyEntries(text: string, path: string): BibliographyEntries {
  const format = formatOf(path);
  const body = withoutBom(text);
  if (format === 'json') return cslJsonEntries(body);
  if (format === 'yaml') return cslYamlEntries(body);
  if (format === 'bibtex') return { entries: bibtexEntries(body) };
  const lower = lowerCaseFormatName(path);
  if (lower) {
    const ext = path.slice(path.lastIndexOf('.') + 1);
    return { error: `pandoc does not read a bibliography named .${ext} ("Could not determine bibliography format"): it takes the format from a lower-case extension; rename it .${ext.toLowerCase()}` };
  }
  return { error: 'not a bibliography format policy-cite reads (CSL-JSON .json, CSL-YAML .yaml, BibTeX .bib)' };
}

/** The ids of the front matter's inline `references:` (CSL-YAML), which Pandoc cites as a file's. */
export function frontMatterReferenceKeys(draft: Draft): string[] {
  return frontMatterReferences(draft).map((e) => e.key);
}

/** The entries of the front matter's inline `references:`. */
export function frontMatterReferences(draft: Draft): BibliographyEntry[] {
  return cslEntriesOf(draft.frontMatter?.data.references) ?? [];
}

/** "Smith (2020). A Book": what a hover or a completion item says of an entry besides its key (empty when the entry gives nothing). */
export function describeEntry(entry: BibliographyEntry): string {
  const by = [entry.author, entry.year && `(${entry.year})`].filter(Boolean).join(' ');
  return [by, entry.title].filter(Boolean).join(by && entry.title ? '. ' : '');
}

/**
 * Where `key`'s entry is in a bibliography file's text, by its extension: the span of its id (of
 * `@book{key,`, `"id": "key"` or `id: key`), the first one's; undefined when the text has none.
 * For Go to Definition: each pattern reads the text once, without backtracking.
 */
export function entrySpan(text: string, path: string, key: string): { start: number; end: number } | undefined {
  const format = formatOf(path);
  if (format === 'bibtex') {
    const entry = new RegExp(BIBTEX_ENTRY.source, 'g');
    for (let m = entry.exec(text); m; m = entry.exec(text)) {
      if (m[3] !== key || !isWork(m[1])) continue;
      const start = m.index + m[0].lastIndexOf(key);
      return { start, end: start + key.length };
    }
    return undefined;
  }
  if (format === 'json') {
    const id = /"id"[ \t\r\n]*:[ \t\r\n]*("(?:[^"\\\r\n]|\\.)*"|-?\d+(?:\.\d+)?)/g;
    for (let m = id.exec(text); m; m = id.exec(text)) {
      let value: unknown;
      try {
        value = JSON.parse(m[1]);
      } catch {
        continue;
      }
      if (String(value).trim() !== key) continue;
      const start = m.index + m[0].length - m[1].length;
      return { start, end: start + m[1].length };
    }
    return undefined;
  }
  if (format === 'yaml') {
    // `- id: key` or `  id: "key"` on a line of its own (a flow mapping is not looked into).
    const id = /^[ \t]*(?:-[ \t]+)?id[ \t]*:[ \t]*(.*)$/gm;
    for (let m = id.exec(text); m; m = id.exec(text)) {
      // (A comment ends the value: " #" or a tab and "#".)
      const comment = m[1].search(/[ \t]#/);
      const written = (comment >= 0 ? m[1].slice(0, comment) : m[1]).trim();
      const unquoted = /^(['"])(.*)\1$/.exec(written)?.[2] ?? written;
      if (unquoted.trim() !== key) continue;
      const start = m.index + m[0].length - m[1].length + m[1].indexOf(written);
      return { start, end: start + written.length };
    }
  }
  return undefined;
}

function cslJsonEntries(text: string): BibliographyEntries {
  if (text.trim() === '') return { entries: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: 'not valid JSON' };
  }
  const entries = cslEntriesOf(data);
  return entries ? { entries } : { error: 'not a CSL-JSON list of entries' };
}

function cslYamlEntries(text: string): BibliographyEntries {
  if (text.trim() === '') return { entries: [] };
  // (Pandoc's CSL-YAML is a document with `references:`, perhaps between `---` lines.)
  const body = text.replace(/^---\r?\n/, '').replace(/\r?\n(?:---|\.\.\.)\s*$/, '\n');
  let data: unknown;
  try {
    data = loadYaml(body);
  } catch {
    return { error: 'not valid YAML' };
  }
  const entries = cslEntriesOf(data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).references : data);
  return entries ? { entries } : { error: 'not a CSL-YAML list of references' };
}

/** The entries of a list of CSL items (an id that is a string or a number each); undefined when it is no list. */
function cslEntriesOf(list: unknown): BibliographyEntry[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const entries: BibliographyEntry[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const fields = item as Record<string, unknown>;
    const id = fields.id;
    let key: string;
    if (typeof id === 'string' && id.trim() !== '') key = id.trim();
    else if (typeof id === 'number' && Number.isFinite(id)) key = String(id);
    else continue;
    entries.push(withDetails(key, cslAuthor(fields.author ?? fields.editor), cslYear(fields.issued), typeof fields.title === 'string' ? fields.title : undefined));
  }
  return entries;
}

/** The entry with those of its details that say something, each on one line and clipped. */
function withDetails(key: string, author: string | undefined, year: string | undefined, title: string | undefined): BibliographyEntry {
  const entry: BibliographyEntry = { key };
  const clean = (text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    const head = text.length > 4 * MAX_FIELD_CHARS ? text.slice(0, 4 * MAX_FIELD_CHARS) : text;
    const line = (LOOSE_SPACE.test(head) ? head.replace(/\s+/g, ' ') : head).trim();
    if (line === '') return undefined;
    return clipText(line, MAX_FIELD_CHARS);
  };
  const a = clean(author);
  const y = clean(year);
  const t = clean(title);
  if (a) entry.author = a;
  if (y) entry.year = y;
  if (t) entry.title = t;
  return entry;
}

/** White space that is not one space between words. */
const LOOSE_SPACE = /[^\S ]| {2}/;

/** Family names as an author-date citation gives them: one, two joined by "and", or the first "et al.". */
function joinNames(names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  if (names.length === 1) return names[0];
  return names.length === 2 ? `${names[0]} and ${names[1]}` : `${names[0]} et al.`;
}

/** CSL names: `[{family, given}]` or `[{literal}]`. */
function cslAuthor(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const names: string[] = [];
  for (const name of value.slice(0, 2)) {
    if (!name || typeof name !== 'object') continue;
    const n = name as Record<string, unknown>;
    const family = typeof n.family === 'string' ? n.family : typeof n.literal === 'string' ? n.literal : undefined;
    if (family && family.trim()) names.push(family.trim());
  }
  return value.length > 2 && names.length > 0 ? `${names[0]} et al.` : joinNames(names);
}

/** CSL dates: `{"date-parts": [[2012, 5]]}`, `{"raw": "2012-05"}` or `{"literal": "…"}`. */
function cslYear(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const date = value as Record<string, unknown>;
  const parts = date['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0]) && (typeof parts[0][0] === 'number' || typeof parts[0][0] === 'string')) return String(parts[0][0]);
  for (const field of ['raw', 'literal']) {
    const text = date[field];
    if (typeof text === 'string') return /\b\d{4}\b/.exec(text)?.[0];
  }
  return undefined;
}

/**
 * The entries of a BibTeX or BibLaTeX file: `@article{key,` and `@book(key,`, but not `@string`,
 * `@preamble` or `@comment`, with the author, year (or date) and title fields of each. The
 * `@string` macros defined before a field are put in its value (`title = moscow # { Times}`),
 * and an entry with a `crossref` takes the details it lacks from that entry (a chapter its book's
 * year), as BibTeX does. One pass: the pattern has no nested quantifiers, and an entry's fields
 * are read once, up to its end.
 */
function bibtexEntries(text: string): BibliographyEntry[] {
  const read: Array<{ key: string; values?: WantedFields }> = [];
  const macros = new Map<string, string>();
  const entry = new RegExp(BIBTEX_ENTRY_OR_STRING.source, 'g');
  // Once a value's braces or quotes never close, the entries after it are read for their keys
  // only, as before details were read (reading each to the end of the file would be quadratic).
  let unclosed = false;
  for (let m = entry.exec(text); m; m = entry.exec(text)) {
    const macro = m[4];
    if (macro !== undefined ? m[1].toLowerCase() !== 'string' : !isWork(m[1])) continue;
    if (unclosed) {
      if (macro === undefined) read.push({ key: m[3] });
      continue;
    }
    const close = m[2] === '(' ? ')' : '}';
    // A macro's definition is read as a field of that name (from the name, which the pattern read up to its "=").
    const fields = macro !== undefined ? bibtexFields(text, m.index + m[0].lastIndexOf(macro), close, macros, macro.toLowerCase()) : bibtexFields(text, entry.lastIndex, close, macros);
    if (fields.end === undefined) unclosed = true;
    else if (fields.end > entry.lastIndex) entry.lastIndex = fields.end;
    if (macro === undefined) read.push({ key: m[3], values: fields.values });
    else if (fields.macro !== undefined) macros.set(macro.toLowerCase(), fields.macro);
  }
  // BibTeX keys are matched without regard to case.
  const byKey = new Map<string, WantedFields>();
  for (const { key, values } of read) if (values && !byKey.has(key.toLowerCase())) byKey.set(key.toLowerCase(), values);
  return read.map(({ key, values }) => {
    if (!values) return { key };
    const parent = values.crossref === undefined ? undefined : byKey.get(latexText(values.crossref).trim().toLowerCase());
    const field = (name: 'author' | 'editor' | 'year' | 'date' | 'title'): string | undefined => values[name] ?? (parent === values ? undefined : parent?.[name]);
    const author = field('author') ?? field('editor');
    const date = field('date');
    const year = field('year') ?? (date === undefined ? undefined : /\b\d{4}\b/.exec(date)?.[0]);
    const title = field('title');
    return withDetails(key, author === undefined ? undefined : bibtexNames(author), year && latexText(year), title && latexText(title));
  });
}

/** Whether a BibTeX entry type is a work's (not `@string`, `@preamble` or `@comment`). */
function isWork(type: string): boolean {
  const t = type.toLowerCase();
  return t !== 'string' && t !== 'preamble' && t !== 'comment';
}

/** `@type{key,` or `@type(key,`: the entry's type, its opening bracket and its key. */
const BIBTEX_ENTRY = /@[ \t]*([A-Za-z]+)[ \t\r\n]*([{(])[ \t\r\n]*([^,\s{}()"#%'=\\]+)[ \t\r\n]*,/;
/** BIBTEX_ENTRY, or `@string{name =` (the name in the fourth group). */
const BIBTEX_ENTRY_OR_STRING = /@[ \t]*([A-Za-z]+)[ \t\r\n]*([{(])[ \t\r\n]*(?:([^,\s{}()"#%'=\\]+)[ \t\r\n]*,|([A-Za-z][A-Za-z0-9_:.+-]*)[ \t\r\n]*=)/;

/** The fields of an entry that are read (the rest are skipped). */
interface WantedFields {
  author?: string;
  editor?: string;
  year?: string;
  date?: string;
  title?: string;
  crossref?: string;
}

function isWanted(name: string): name is keyof WantedFields {
  return name === 'author' || name === 'editor' || name === 'year' || name === 'date' || name === 'title' || name === 'crossref';
}

/**
 * The fields of an entry from `at` (after its key's comma) to its closing `close`: `name = {…}`,
 * `name = "…"` or `name = 2012`, parts joined with `#`, a part that is a name of `macros` being
 * its value. `end` is where reading stopped (after the closing brace when found; undefined when a
 * value runs to the end of the file). Only the wanted fields' values are kept, as written (TeX
 * markup in them), and the value of the field named `macro` (an `@string` definition).
 */
function bibtexFields(
  text: string,
  at: number,
  close: string,
  macros: ReadonlyMap<string, string>,
  macro?: string,
): { values: WantedFields; end: number | undefined; macro?: string } {
  const values: WantedFields = {};
  let macroValue: string | undefined;
  const n = text.length;
  let i = at;
  // Sticky patterns read from `i`, and the characters a value's end depends on found by a
  // global one: the file is scanned natively, not a character at a time (a library of 50,000
  // entries is tens of megabytes, most of it abstracts).
  const skip = (pattern: RegExp): number => {
    pattern.lastIndex = i;
    pattern.test(text);
    return pattern.lastIndex;
  };
  // (White space runs are short: read by code.)
  const skipSpace = (comma: boolean): number => {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9 || (comma && c === 44)) c = text.charCodeAt(++i);
    return i;
  };
  for (;;) {
    i = skipSpace(true);
    if (i >= n || text[i] === close) return { values, end: Math.min(n, i + 1), macro: macroValue };
    const nameStart = i;
    i = skip(NAME);
    const name = text.slice(nameStart, i).toLowerCase();
    i = skipSpace(false);
    // Not a field: the entry is malformed from here; the next entry is looked for after it.
    if (name === '' || text[i] !== '=') return { values, end: i, macro: macroValue };
    i++;
    const isMacro = name === macro;
    const wanted = isMacro || isWanted(name);
    let value = '';
    for (;;) {
      i = skipSpace(false);
      const c = text[i];
      if (c === '{' || c === '"') {
        // Braces nest; a quoted value ends at a quote outside braces.
        const start = i + 1;
        const special = c === '{' ? BRACED_SPECIAL : QUOTED_SPECIAL;
        let depth = c === '{' ? 1 : 0;
        special.lastIndex = start;
        let end = -1;
        for (let m = special.exec(text); m; m = special.exec(text)) {
          const d = m[0];
          if (d === '\\') special.lastIndex = m.index + 2;
          else if (d === '{') depth++;
          else if (d === '}') {
            depth--;
            if ((depth === 0 && c === '{') || depth < 0) {
              end = m.index;
              break;
            }
          } else if (depth === 0) {
            end = m.index;
            break;
          }
        }
        if (end < 0) return { values, end: undefined };
        i = end;
        if (depth < 0) return { values, end: i, macro: macroValue };
        if (wanted && value.length < 4 * MAX_FIELD_CHARS) value += text.slice(start, Math.min(i, start + 4 * MAX_FIELD_CHARS));
        i++;
      } else {
        // A number, or a @string macro: its value when defined before, else its name as written.
        const start = i;
        i = skip(NAME);
        if (wanted && value.length < 4 * MAX_FIELD_CHARS) {
          const written = text.slice(start, Math.min(i, start + MAX_FIELD_CHARS));
          value += macros.get(written.toLowerCase()) ?? written;
        }
      }
      i = skipSpace(false);
      if (text[i] !== '#') break;
      i++;
    }
    if (isMacro) macroValue ??= value;
    else if (wanted && values[name as keyof WantedFields] === undefined) values[name as keyof WantedFields] = value;
  }
}

const NAME = /[A-Za-z0-9_:.+-]*/y;
const BRACED_SPECIAL = /[{}\\]/g;
const QUOTED_SPECIAL = /[{}\\"]/g;

/** TeX markup out of a field as it reads: braces dropped, `\&` and the like as the character, accent commands left out. */
function latexText(value: string): string {
  if (!TEX_MARKUP.test(value)) return value;
  return value.replace(TEX_PIECE, (piece, escaped: string | undefined) => (escaped !== undefined ? escaped : piece === '~' ? ' ' : ''));
}

/** `\&` (the character), a command with the space after it, `\"` (an accent), a brace, a tie. */
const TEX_PIECE = /\\([&%$#_{}])|\\[A-Za-z]+\s*|\\.|[{}~]/g;
const TEX_MARKUP = /[\\{}~]/;

/** A BibTeX name list split at its " and "s, but not those inside braces ("{Food and Agriculture Organization}"). */
function splitNames(value: string): string[] {
  const names: string[] = [];
  const and = /\s+and\s+/gi;
  let from = 0;
  let depth = 0;
  let counted = 0;
  for (let m = and.exec(value); m; m = and.exec(value)) {
    for (; counted < m.index; counted++) {
      const c = value.charCodeAt(counted);
      if (c === 123) depth++;
      else if (c === 125 && depth > 0) depth--;
    }
    if (depth > 0) continue;
    names.push(value.slice(from, m.index));
    from = m.index + m[0].length;
  }
  names.push(value.slice(from));
  return names;
}

/**
 * BibTeX names, "Golts, Alexander and Doe, Jane", "Alexander Golts" or "{World Bank}" (braced:
 * one name as written): their family names.
 */
function bibtexNames(value: string): string | undefined {
  const names = splitNames(value).map((written) => {
    const braced = /^\s*\{([^{}]*)\}\s*$/.exec(written);
    if (braced) return latexText(braced[1]).trim();
    const trimmed = latexText(written).trim();
    if (trimmed === '' || trimmed.toLowerCase() === 'others') return '';
    const comma = trimmed.indexOf(',');
    if (comma >= 0) return trimmed.slice(0, comma).trim();
    const words = trimmed.split(/\s+/);
    return words[words.length - 1];
  });
  const known = names.filter(Boolean);
  if (names.length > 3 || (names.length > known.length && known.length > 0)) return `${known[0]} et al.`;
  return joinNames(known);
}
