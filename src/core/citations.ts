// Pandoc citation syntax with exact offsets: bracketed groups (`[see @a, p. 3; -@b]`) and in-text
// citations (`@a`, `@a [p. 3]`, `@a [p. 3; @b]`). The grammar follows Pandoc's Markdown reader and
// its citeproc locator parser, as a single left-to-right scan: every scan for a closing bracket
// stops at the next opening one, so the whole pass stays linear in the length of the text.
import type { Citation, CitationGroup, Locator } from './draftTypes';
import type { Paragraph, Source, Span } from './types';

/** CSL locator terms. */
export type LocatorTerm =
  | 'book' | 'chapter' | 'column' | 'figure' | 'folio' | 'issue' | 'line' | 'note' | 'opus' | 'page'
  | 'paragraph' | 'part' | 'section' | 'sub-verbo' | 'verse' | 'volume';

const TERM_FORMS: ReadonlyArray<readonly [LocatorTerm, readonly string[]]> = [
  ['paragraph', ['paragraphs', 'paragraph', 'paras.', 'para.', 'paras', 'para', '¶¶', '¶']],
  ['page', ['pages', 'page', 'pp.', 'pgs.', 'pg.', 'p.']],
  ['chapter', ['chapters', 'chapter', 'chaps.', 'chap.', 'chs.', 'ch.']],
  ['section', ['sections', 'section', 'secs.', 'sec.', '§§', '§']],
  ['figure', ['figures', 'figure', 'figs.', 'fig.']],
  ['line', ['lines', 'line', 'll.', 'l.']],
  ['volume', ['volumes', 'volume', 'vols.', 'vol.']],
  ['note', ['notes', 'note', 'nn.', 'n.']],
  ['book', ['books', 'book', 'bks.', 'bk.']],
  ['column', ['columns', 'column', 'cols.', 'col.']],
  ['folio', ['folios', 'folio', 'fols.', 'fol.']],
  ['issue', ['issues', 'issue', 'nos.', 'no.']],
  ['opus', ['opera', 'opus', 'opp.', 'op.']],
  ['part', ['parts', 'part', 'pts.', 'pt.']],
  ['sub-verbo', ['sub verbis', 'sub verbo', 's.vv.', 's.v.']],
  ['verse', ['verses', 'verse', 'vv.', 'v.']],
];

const TERM_BY_FORM = new Map<string, LocatorTerm>();
for (const [term, forms] of TERM_FORMS) for (const form of forms) TERM_BY_FORM.set(form, term);
/** Longest first, so "pp." wins over "p." and "paragraphs" over "para". */
const FORMS = [...TERM_BY_FORM.keys()].sort((a, b) => b.length - a.length);

/**
 * The CSL term of a locator label as written ("para.", "¶", "Paragraphs" → "paragraph"). An empty
 * label (a bare number, `[@key, 33]`) means a page, as in CSL.
 */
export function locatorTerm(label: string): LocatorTerm | undefined {
  const normal = label.trim().replace(/\s+/g, ' ').toLowerCase();
  if (normal === '') return 'page';
  return TERM_BY_FORM.get(normal);
}

/**
 * The paragraph a citation's locator names (`para. 2`, `¶ 2`, `paras. 2-3` → 2), in the source's
 * range or not; undefined for another locator or none.
 */
export function citedParagraph(citation: Citation): number | undefined {
  const locator = citation.locator;
  return locator && locatorTerm(locator.label) === 'paragraph' ? locator.number : undefined;
}

/**
 * The paragraphs a citation's locator names, as ranges: `para. 2` → [2, 2], `paras. 2-3`,
 * `¶¶ 2–3` or `paras. 2--3` → [2, 3], a list (`paras. 2, 5`, `paras. 2–3, 7`) → each; the
 * first paragraph alone when the rest is no such list (`para. 2ff`); undefined for another
 * locator or none.
 */
export function citedParagraphRanges(citation: Citation): Array<[number, number]> | undefined {
  const first = citedParagraph(citation);
  if (first === undefined) return undefined;
  const ranges: Array<[number, number]> = [];
  for (const part of (citation.locator?.value ?? '').split(/\s*,\s*/)) {
    const m = PARAGRAPH_RANGE.exec(part);
    if (!m) return [[first, first]];
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    ranges.push([from, Math.max(from, to)]);
  }
  return ranges.length > 0 && ranges[0][0] === first ? ranges : [[first, first]];
}

const PARAGRAPH_RANGE = /^(\d{1,6})(?:\s*(?:-{1,2}|–|—)\s*(\d{1,6}))?$/;

/**
 * Paragraph n of a source: the n-th, as parseSource numbers them, read directly (a source of
 * thousands of paragraphs is not searched); searched for only in a list numbered otherwise.
 */
export function paragraphOf(source: Pick<Source, 'paragraphs'>, n: number): Paragraph | undefined {
  const nth = source.paragraphs[n - 1];
  return nth?.index === n ? nth : source.paragraphs.find((p) => p.index === n);
}

/**
 * Where a citation points in its source's file: the cited paragraph, or the start of the file
 * when the citation names no paragraph the source has.
 */
export function citationTarget(citation: Citation, source: Pick<Source, 'paragraphs'>): Span {
  const n = citedParagraph(citation);
  const paragraph = n === undefined ? undefined : paragraphOf(source, n);
  return paragraph ? { start: paragraph.start, end: paragraph.end } : { start: 0, end: 0 };
}

/**
 * Where a citation points in its source's file, each range or paragraph of its locator
 * (`paras. 2–4, 7`) as one span, from the first of its paragraphs the source has to the last;
 * citationTarget's span when it names no range the source has.
 */
export function citationTargets(citation: Citation, source: Pick<Source, 'paragraphs'>): Span[] {
  const spans: Span[] = [];
  for (const [from, to] of citedParagraphRanges(citation) ?? []) {
    const within = source.paragraphs.filter((p) => p.index >= from && p.index <= to);
    if (within.length > 0) spans.push({ start: within[0].start, end: within[within.length - 1].end });
  }
  return spans.length > 0 ? spans : [citationTarget(citation, source)];
}

// ---------------------------------------------------------------------------------------------
// Character classes

const WORD_CHAR = /^[\p{L}\p{N}_]$/u;
const SPACE = /^\s$/u;
const KEY_INTERNAL = ':.#$%&-+?<>~/';
/** What may stand right before `@` (or before `-@`): Pandoc's "not after a string". */
const BEFORE_CITE = '([{"\'“‘«‹<>—–*~;,';

function codePointAt(text: string, i: number): string {
  const cp = text.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function isWordAt(text: string, i: number, to: number): boolean {
  if (i >= to) return false;
  const code = text.charCodeAt(i);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return WORD_CHAR.test(codePointAt(text, i));
}

function isSpace(ch: string | undefined): boolean {
  if (ch === undefined || ch === '') return false;
  const code = ch.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return SPACE.test(ch);
}

/** The character before `i` (whole code point), or '' at `from`. */
function charBefore(text: string, i: number, from: number): string {
  if (i <= from) return '';
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i - 2 >= from) return codePointAt(text, i - 2);
  return text[i - 1];
}

function mayPrecedeCite(ch: string): boolean {
  return ch === '' || isSpace(ch) || BEFORE_CITE.includes(ch);
}

// ---------------------------------------------------------------------------------------------
// Keys

interface KeyMatch {
  /** Start of `-@` or `@`. */
  start: number;
  end: number;
  key: string;
  keyStart: number;
  keyEnd: number;
  suppressAuthor: boolean;
}

const MAX_BRACED_KEY = 300;

/** A key starting at the `@` at `at`; the caller has checked what precedes it. */
function readKey(text: string, at: number, to: number, suppress: boolean): KeyMatch | undefined {
  const start = suppress ? at - 1 : at;
  let i = at + 1;
  if (i >= to) return undefined;
  if (text[i] === '{') {
    // `@{https://example.com/bib?name=foobar&date=2000}`: balanced braces, no white space.
    let depth = 0;
    const limit = Math.min(to, i + MAX_BRACED_KEY);
    for (let j = i; j < limit; j++) {
      const c = text[j];
      if (isSpace(c)) return undefined;
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          if (j === i + 1) return undefined;
          return { start, end: j + 1, key: text.slice(i + 1, j), keyStart: i + 1, keyEnd: j, suppressAuthor: suppress };
        }
      }
    }
    return undefined;
  }
  if (!isWordAt(text, i, to)) return undefined;
  const keyStart = i;
  i += codePointAt(text, i).length;
  for (;;) {
    if (isWordAt(text, i, to)) {
      i += codePointAt(text, i).length;
    } else if (i < to && KEY_INTERNAL.includes(text[i]) && isWordAt(text, i + 1, to)) {
      i += 1;
    } else if (i < to && (text[i] === ':' || text[i] === '/') && text[i + 1] === '/' && i + 1 < to) {
      i += 1;
    } else {
      break;
    }
  }
  // `://` is taken only on the way to more key characters ("@http://x"), never at the end.
  while (i > keyStart && (text[i - 1] === ':' || text[i - 1] === '/')) i--;
  return { start, end: i, key: text.slice(keyStart, i), keyStart, keyEnd: i, suppressAuthor: suppress };
}

/**
 * `key` as a citation key Pandoc can cite: `key` itself when Pandoc reads it whole after a bare
 * `@`, or inside braces (`@{10.1002/(SICI)1097-4571}`: no white space, balanced braces; keyText
 * gives the braces); otherwise `key` without the characters a key cannot hold (white space,
 * brackets, quotes, `@`…) and without the punctuation left that no letter or digit follows
 * (`roe 2020 (ed.)` reads `roe2020ed`); undefined when no letter or digit is left. A source's
 * `citation-key` goes through it: a key with white space cannot be cited at all.
 */
export function citableKey(key: string): string | undefined {
  if (readsWhole(key) || readsBraced(key)) return key;
  let out = '';
  for (let i = 0; i < key.length; ) {
    const ch = codePointAt(key, i);
    if (isWordAt(key, i, key.length)) out += ch;
    else if (KEY_INTERNAL.includes(ch) && out !== '') {
      // Kept only when a character kept after it is a letter or a digit.
      let j = i + 1;
      while (j < key.length && !isWordAt(key, j, key.length) && !KEY_INTERNAL.includes(key[j])) j++;
      if (isWordAt(key, j, key.length)) out += ch;
    }
    i += ch.length || 1;
  }
  return out !== '' && readsWhole(out) ? out : undefined;
}

/** What follows `@` to cite `key`: the key, or the key in braces when Pandoc reads it only so. */
export function keyText(key: string): string {
  return readsWhole(key) ? key : `{${key}}`;
}

function readsWhole(key: string): boolean {
  if (key === '' || key[0] === '{') return false;
  const text = `@${key}`;
  const read = readKey(text, 0, text.length, false);
  return read !== undefined && read.key === key;
}

/** Whether `[@{key}, para. 1]` is read as one citation of `key` (Pandoc reads it so too). */
function readsBraced(key: string): boolean {
  if (key === '' || key.length > MAX_BRACED_KEY) return false;
  const groups = parseCitations(`[@{${key}}, para. 1]`);
  return groups.length === 1 && groups[0].citations.length === 1 && groups[0].citations[0].key === key;
}

/** A key whose `@` is at `at`, with Pandoc's rule on what may precede it. */
function keyAt(text: string, at: number, from: number, to: number): KeyMatch | undefined {
  const before = charBefore(text, at, from);
  if (before === '-') {
    const beforeDash = charBefore(text, at - 1, from);
    if (!mayPrecedeCite(beforeDash)) return undefined;
    return readKey(text, at, to, true);
  }
  if (!mayPrecedeCite(before)) return undefined;
  return readKey(text, at, to, false);
}

// ---------------------------------------------------------------------------------------------
// Locators

function skipSpaces(text: string, i: number, to: number): number {
  while (i < to && isSpace(text[i])) i++;
  return i;
}

function trimSpan(text: string, s: number, e: number): [number, number] {
  while (s < e && isSpace(text[s])) s++;
  while (e > s && isSpace(text[e - 1])) e--;
  return [s, e];
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A locator label as written at `i`, or undefined. */
function labelAt(text: string, i: number, to: number): string | undefined {
  for (const form of FORMS) {
    const end = i + form.length;
    if (end > to) continue;
    const written = text.slice(i, end);
    if (written.toLowerCase() !== form) continue;
    const last = form[form.length - 1];
    const symbolic = last === '.' || last === '¶' || last === '§';
    if (!symbolic) {
      // A word label needs white space (or a brace) after it: "page 3", not "pages" or "page3".
      const next = text[end];
      if (end >= to || !(isSpace(next) || next === '{')) continue;
    }
    return written;
  }
  return undefined;
}

const ROMAN = /^[ivxlcdm]+$/i;
const JOINERS = '-–—:./';

/** One locator word ("33", "33-35", "3.2", "iv", "12a") at `i`: its end and whether it has a digit. */
function locatorWord(text: string, i: number, to: number): { end: number; digit: boolean } | undefined {
  let j = i;
  let digit = false;
  const isAlnum = (k: number): boolean => k < to && /[A-Za-z0-9]/.test(text[k]);
  if (!isAlnum(j)) return undefined;
  while (j < to) {
    if (isAlnum(j)) {
      if (text[j] >= '0' && text[j] <= '9') digit = true;
      j++;
    } else if (JOINERS.includes(text[j]) && isAlnum(j + 1)) {
      j++;
    } else if (text[j] === '-' && text[j + 1] === '-' && isAlnum(j + 2)) {
      // "33--35": Pandoc's smart punctuation reads it as the en dash of a range.
      j += 2;
    } else {
      break;
    }
  }
  return { end: j, digit };
}

function locatorValue(text: string, i: number, to: number, labelled: boolean): number | undefined {
  const first = locatorWord(text, i, to);
  if (!first) return undefined;
  const word = text.slice(i, first.end);
  const startsWithDigit = /^[0-9]/.test(word);
  if (labelled ? !(first.digit || ROMAN.test(word.replace(/[-–—]/g, ''))) : !startsWithDigit) return undefined;
  let end = first.end;
  for (;;) {
    let j = end;
    if (j < to && (text[j] === ',' || text[j] === '&')) j++;
    j = skipSpaces(text, j, to);
    if (j === end) break;
    const next = locatorWord(text, j, to);
    if (!next || !next.digit) break;
    end = next.end;
  }
  return end;
}

function makeLocator(label: string, value: string): Locator {
  const locator: Locator = { label: collapse(label), value: collapse(value) };
  const digits = /^[0-9]+/.exec(locator.value);
  if (digits) locator.number = Number(digits[0]);
  return locator;
}

/** Index of the `}` closing the `{` at `i`, or -1. */
function closingBrace(text: string, i: number, to: number): number {
  let depth = 0;
  for (let j = i; j < to; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

/** Splits a citation's suffix (the text after its key) into locator and remaining suffix. */
function parseSuffix(text: string, s: number, e: number): { locator?: Locator; suffix?: string } {
  let i = skipSpaces(text, s, e);
  if (i < e && text[i] === ',') i = skipSpaces(text, i + 1, e);
  let locator: Locator | undefined;
  let rest = -1;
  if (i < e && text[i] === '{') {
    // `[@key, {pp. iv, vi-xi} and more]`
    const close = closingBrace(text, i, e);
    if (close > i) {
      const inner = skipSpaces(text, i + 1, close);
      const label = labelAt(text, inner, close);
      const valueStart = label ? skipSpaces(text, inner + label.length, close) : inner;
      const value = text.slice(valueStart, close);
      if (value.trim()) {
        locator = makeLocator(label ?? '', value);
        rest = close + 1;
      }
    }
  } else if (i < e) {
    const label = labelAt(text, i, e);
    if (label) {
      const v = skipSpaces(text, i + label.length, e);
      if (v < e && text[v] === '{') {
        // `[@key, chap. {III}]`
        const close = closingBrace(text, v, e);
        if (close > v + 1) {
          locator = makeLocator(label, text.slice(v + 1, close));
          rest = close + 1;
        }
      } else {
        const end = locatorValue(text, v, e, true);
        if (end !== undefined) {
          locator = makeLocator(label, text.slice(v, end));
          rest = end;
        }
      }
    } else {
      const end = locatorValue(text, i, e, false);
      if (end !== undefined) {
        locator = makeLocator('', text.slice(i, end));
        rest = end;
      }
    }
  }
  const suffixText = collapse(locator ? text.slice(rest, e) : text.slice(s, e));
  const out: { locator?: Locator; suffix?: string } = {};
  if (locator) out.locator = locator;
  if (suffixText) out.suffix = suffixText;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Groups

/** The first citation key in `[s, e)`, a part of a bracketed group. */
function firstKeyIn(text: string, s: number, e: number): KeyMatch | undefined {
  for (let i = indexWithin(text, '@', s, e); i < e; i = indexWithin(text, '@', i + 1, e)) {
    const key = keyAt(text, i, s, e);
    if (key) return key;
  }
  return undefined;
}

/** One `;`-separated part of a bracketed group: `see -@key, p. 3 and passim`. */
function citationInPart(text: string, s: number, e: number): Citation | undefined {
  const key = firstKeyIn(text, s, e);
  if (!key) return undefined;
  const [start, end] = trimSpan(text, s, e);
  const citation: Citation = {
    start,
    end,
    key: key.key,
    keyStart: key.keyStart,
    keyEnd: key.keyEnd,
    suppressAuthor: key.suppressAuthor,
  };
  const prefix = collapse(text.slice(s, key.start));
  if (prefix) citation.prefix = prefix;
  Object.assign(citation, parseSuffix(text, key.end, e));
  return citation;
}

/**
 * The end of the braced key `@{…}` whose `@` is at `j` (Pandoc reads `;`, `[` and `]` inside
 * it as part of the key), or `j` when none starts there.
 */
function pastBracedKey(text: string, j: number, to: number): number {
  if (text[j] !== '@' || text[j + 1] !== '{') return j;
  const key = readKey(text, j, to, false);
  return key ? key.end - 1 : j;
}

/** The `]` that closes the `[` at `open`, or -1 when another `[` (or the range end) comes first. */
function closingBracket(text: string, open: number, to: number): number {
  for (let j = open + 1; j < to; j++) {
    j = pastBracedKey(text, j, to);
    const c = text[j];
    if (c === ']') return j;
    if (c === '[') return -1;
  }
  return -1;
}

/** `;`-separated parts of `(s, e)`, as [start, end) pairs. */
function parts(text: string, s: number, e: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let partStart = s;
  for (let j = s; j < e; j++) {
    j = pastBracedKey(text, j, e);
    if (text[j] === ';') {
      out.push([partStart, j]);
      partStart = j + 1;
    }
  }
  out.push([partStart, e]);
  return out;
}

/** A bracketed group `[…]` at `open` whose every part holds a citation. */
function bracketedAt(text: string, open: number, to: number): CitationGroup | undefined {
  if (text[open + 1] === '^') return undefined;
  const close = closingBracket(text, open, to);
  if (close < 0) return undefined;
  // `[@key](url)` and `[@key][ref]` are links.
  if (close + 1 < to && (text[close + 1] === '(' || text[close + 1] === '[')) return undefined;
  const citations: Citation[] = [];
  for (const [s, e] of parts(text, open + 1, close)) {
    const citation = citationInPart(text, s, e);
    if (!citation) return undefined;
    citations.push(citation);
  }
  return { start: open, end: close + 1, bracketed: true, citations };
}

/** Pandoc's `spnl`: white space with at most one line break. */
function skipSpnl(text: string, i: number, to: number): number {
  let newlines = 0;
  while (i < to && isSpace(text[i])) {
    if (text[i] === '\n' && ++newlines > 1) return -1;
    i++;
  }
  return i;
}

/** `@key`, `-@key`, `@key [p. 3]`, `@key [p. 3; @other]`, `@key [@other]` at the `@` at `at`. */
function inTextAt(text: string, at: number, from: number, to: number): CitationGroup | undefined {
  const key = keyAt(text, at, from, to);
  if (!key) return undefined;
  const first: Citation = {
    start: key.start,
    end: key.end,
    key: key.key,
    keyStart: key.keyStart,
    keyEnd: key.keyEnd,
    suppressAuthor: key.suppressAuthor,
  };
  const group: CitationGroup = { start: key.start, end: key.end, bracketed: false, citations: [first] };
  const open = skipSpnl(text, key.end, to);
  if (open < 0 || open >= to || text[open] !== '[' || text[open + 1] === '^') return group;
  const close = closingBracket(text, open, to);
  if (close < 0) return group;
  if (close + 1 < to && (text[close + 1] === '(' || text[close + 1] === '[')) return group;
  const list = parts(text, open + 1, close);
  // `@a [@b; @c]`: a normal citation list after the in-text one.
  const normal = list.map(([s, e]) => citationInPart(text, s, e));
  if (normal.every((c): c is Citation => c !== undefined)) {
    group.citations.push(...normal);
    group.end = close + 1;
    return group;
  }
  // `@a [p. 33; @b]`: the first part is the in-text citation's suffix ("bare locator").
  const rest = normal.slice(1);
  if (!rest.every((c): c is Citation => c !== undefined)) return group;
  const [s0, e0] = list[0];
  if (firstKeyIn(text, s0, e0)) return group;
  Object.assign(first, parseSuffix(text, s0, e0));
  first.end = close + 1;
  group.citations.push(...rest);
  group.end = close + 1;
  return group;
}

/**
 * Pandoc citations in `text.slice(from, to)`, in order. Offsets are into `text`. An `@` right
 * after a word character (an e-mail address, `twitter.com/@x`) starts no citation; `[^…]`
 * (footnote), `![…]` (image), `\[` (escaped) and brackets followed by `(` or `[` (links) are not
 * citation groups.
 */
export function parseCitations(text: string, from = 0, to: number = text.length): CitationGroup[] {
  const groups: CitationGroup[] = [];
  from = Math.max(0, Math.min(from, text.length));
  to = Math.max(from, Math.min(to, text.length));
  // Next `[` and `@` at or after the scan position, cached so that each is searched for once.
  let nextBracket = -1;
  let nextAt = -1;
  let i = from;
  for (;;) {
    if (nextBracket < i) nextBracket = indexWithin(text, '[', i, to);
    if (nextAt < i) nextAt = indexWithin(text, '@', i, to);
    i = Math.min(nextBracket, nextAt);
    if (i >= to) break;
    const escaped = i > from && text[i - 1] === '\\';
    let group: CitationGroup | undefined;
    if (text[i] === '[') {
      const image = i > from && text[i - 1] === '!';
      if (!escaped && !image) group = bracketedAt(text, i, to);
    } else if (!escaped) {
      group = inTextAt(text, i, from, to);
    }
    if (group) {
      groups.push(group);
      i = group.end;
    } else {
      i += 1;
    }
  }
  return groups;
}

/** `text.indexOf(needle, from)` limited to `to`; `to` when absent. */
function indexWithin(text: string, needle: string, from: number, to: number): number {
  for (let j = from; j < to; j++) if (text[j] === needle) return j;
  return to;
}
