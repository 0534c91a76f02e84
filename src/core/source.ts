// parseSource: one source article (Markdown or text) → metadata, numbered body paragraphs and
// claims. Offsets always point into the file text as given.
import { ActorRegistry, resolvePronouns, tokenize as actorTokens, type Token as ActorToken } from './actors';
import { citableKey } from './citations';
import { classifyClaimKind } from './claimKind';
import { discoverActors } from './discover';
import { datesWithoutArticleDate, extractDatesFromTokens, tokenize as dateTokens, yearsOf } from './extract/dates';
import { extractNumbersFromTokens } from './extract/numbers';
import { extractQuotes, hasOpeningMark } from './extract/quotes';
import { deferredSource, IntList, isStoredSource, prepareClaimData, preparedClaimsOf, PreparedTables, sourceWithLazyClaims, type PreparedClaims } from './deferredSource';
import { pandocTableAt, tablePieces, type TableShape } from './pandocTables';
import { loadYaml } from './readYaml';
import { defaultRegistry } from './registry';
import { splitSentences } from './sentences';
import { footnoteReferenceEnd, hashText, isBlankCode, isDigitCode, lineAt, mapSpan, narrowSlice, ownCopy, plainFromMarkdown, type MappedText } from './text';
import type { ActorDefinition, ActorMention, Author, Claim, Paragraph, Source, SourceMeta, Span } from './types';

export interface ParseSourceOptions {
  /** Registry used to tag actors (defaults to the built-in gazetteer). */
  registry?: ActorRegistry;
  /** Citation key to use instead of the derived one (collisions are resolved by the caller). */
  key?: string;
  /** `hashText(text)` when the caller has it already (the source cache computes it first). */
  hash?: string;
  /**
   * Make the claims when they are first read, not now (the source comes with their index data,
   * so a ClaimIndex takes it without them). Their figures, dates, quotations and kinds are most of
   * the cost of parsing, which an index of many sources then pays only for the sources it reads.
   */
  lazyClaims?: boolean;
  /** Tables the prepared index data numbers names in (one per batch of sources parsed together). */
  tables?: PreparedTables;
}

interface Block extends Span {
  raw: string;
  /** A Pandoc table's shape (pandocTables.ts): its rows are read cell by cell. */
  table?: TableShape;
  /** The block's plain text (blockPlain), made once: splitParts and paragraphText both need it. */
  plain?: UnitText;
}

/**
 * Plain text made of units no sentence runs across (a list item, a table row, or the whole
 * block): `units` holds where each starts in `text`, 0 first.
 */
interface UnitText extends MappedText {
  units: number[];
}

function plainOf(text: string, block: Block): UnitText {
  block.plain ??= blockPlain(text, block);
  return block.plain;
}

/** Part of a block's lines that blockPlain reads: a line without its markers; `unit` when it starts one. */
interface Piece extends Span {
  unit: boolean;
}

/** `-`, `*`, `+`, `>`, `|` or a digit: what a line of a list, a block quote or a table starts with. */
function isLineMarkCode(c: number): boolean {
  return c === 0x2d || c === 0x2a || c === 0x2b || c === 0x3e || c === 0x7c || isDigitCode(c);
}

const QUOTE_MARKS = /^(?:[ \t]{0,3}>[ \t]?)+/;
const LIST_MARK = /^[ \t]{0,3}(?:[-*+]|(\d{1,9})[.)])[ \t]+(?=\S)/;

/** A GFM table's delimiter row (`|:--|--:|`): pipes, colons, dashes and blanks, a dash at least (a scan, no backtracking). */
function isDelimiterRow(line: string): boolean {
  let dash = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x2d) dash = true;
    else if (c !== 0x7c && c !== 0x3a && c !== 0x20 && c !== 0x09) return false;
  }
  return dash;
}

/** A table row's span without the blanks and the pipe at each edge. */
function rowCells(text: string, line: Span): Span {
  let start = line.start;
  let end = line.end;
  while (start < end && isBlankCode(text.charCodeAt(start))) start++;
  if (start < end && text.charCodeAt(start) === 0x7c) start++;
  while (end > start && isBlankCode(text.charCodeAt(end - 1))) end--;
  if (end > start && text.charCodeAt(end - 1) === 0x7c && text.charCodeAt(end - 2) !== 0x5c /* \| */) end--;
  while (start < end && isBlankCode(text.charCodeAt(start))) start++;
  while (end > start && isBlankCode(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

/**
 * The pieces of a block that holds list items, block quote lines or a table (as CommonMark and
 * GFM read them): each item or row starts a unit, continuation lines join the unit before them,
 * markers and a table's delimiter row are left out. Undefined for a block with no line that
 * starts like one (most prose), which is read whole.
 */
function blockPieces(text: string, block: Block): Piece[] | undefined {
  if (block.table) return tablePieces(text, block.start, block.end, block.table);
  let marked = false;
  for (let at = block.start; at < block.end && !marked; ) {
    let i = at;
    while (i < block.end && i - at < 4 && isBlankCode(text.charCodeAt(i))) i++;
    marked = isLineMarkCode(text.charCodeAt(i));
    const nl = text.indexOf('\n', at);
    if (nl < 0 || nl >= block.end) break;
    at = nl + 1;
  }
  if (!marked) return undefined;
  const lines: Span[] = [];
  for (let at = block.start; ; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 || nl >= block.end ? block.end : nl;
    lines.push({ start: at, end: end > at && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end });
    if (end >= block.end) break;
    at = end + 1;
  }
  const lineText = (n: number): string => text.slice(lines[n].start, lines[n].end);
  const pieces: Piece[] = [];
  if (lines.length >= 2 && lineText(0).includes('|') && isDelimiterRow(lineText(1))) {
    lines.forEach((line, n) => {
      if (n === 1) return;
      const cells = rowCells(text, line);
      if (cells.end > cells.start) pieces.push({ ...cells, unit: true });
    });
    return pieces;
  }
  let inItem = false;
  /** The line before was left out: this one starts a unit. */
  let skipped = false;
  lines.forEach((line, n) => {
    let start = line.start;
    const quote = QUOTE_MARKS.exec(lineText(n));
    if (quote) {
      start += quote[0].length;
      // A heading or thematic break inside the quotation (`> ## Excerpt`) is no prose.
      const mark = blockLineMark(text.slice(start, line.end));
      if (mark === HEADING_LINE || mark === BREAK_LINE || mark === DIV_LINE) {
        inItem = false;
        skipped = true;
        return;
      }
    }
    const item = LIST_MARK.exec(text.slice(start, line.end));
    // (An ordered list interrupts a paragraph only when it starts at 1.)
    const isItem = item !== null && (item[1] === undefined || n === 0 || inItem || item[1] === '1');
    if (item && isItem) {
      start += item[0].length;
      inItem = true;
    }
    const last = pieces[pieces.length - 1];
    // A continuation line with no marker to leave out is read with the line before it, line
    // break and all, as a block read whole reads it.
    if (last && !isItem && !quote && !skipped) last.end = line.end;
    else pieces.push({ start, end: line.end, unit: n === 0 || isItem || skipped });
    skipped = false;
  });
  return pieces;
}

/**
 * The plain text of a block (plainFromMarkdown): read whole, or as the pieces blockPieces
 * finds, joined by spaces, a unit starting at each list item or table row.
 */
function blockPlain(text: string, block: Block): UnitText {
  const pieces = blockPieces(text, block);
  if (!pieces) return { ...plainFromMarkdown(text, block.start, block.end), units: [0] };
  const parts: MappedText[] = [];
  const separators: number[] = [];
  const units: number[] = [];
  let length = 0;
  for (const piece of pieces) {
    const part = plainFromMarkdown(text, piece.start, piece.end);
    if (!part.text.trim()) continue;
    if (parts.length > 0) {
      separators.push(piece.start - 1);
      length++;
    }
    if (piece.unit || parts.length === 0) units.push(length);
    parts.push(part);
    length += part.text.length;
  }
  if (parts.length === 0) return { ...plainFromMarkdown(text, block.start, block.end), units: [0] };
  return { ...joinMapped(parts, separators), units };
}

/**
 * Texts joined by one space each, with their offset maps; `separators[k]` is the file offset the
 * space before `parts[k + 1]` stands for.
 */
function joinMapped(parts: MappedText[], separators: number[]): MappedText {
  if (parts.length === 1) return parts[0];
  const length = parts.reduce((sum, p) => sum + p.text.length, 0) + parts.length - 1;
  const offsets = new Int32Array(length + 1);
  let n = 0;
  parts.forEach((p, k) => {
    if (k > 0) offsets[n++] = separators[k - 1];
    for (let i = 0; i < p.text.length; i++) offsets[n++] = p.offsets[i];
  });
  const last = parts[parts.length - 1];
  offsets[n] = last.offsets[last.text.length];
  return { text: parts.map((p) => p.text).join(' '), offsets };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DATE_LINE =
  /^\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:([A-Z][a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})|(\d{1,2})\s+([A-Z][a-z]+)\.?,?\s+(\d{4})|(\d{4})-(\d{2})-(\d{2}))\s*$/;
const BYLINE = /^\s*(?:By|by)\s+(.+?)\s*$/;
const URL_LINE = /^\s*(?:Original\s+)?(?:url|URL|Source|Link)\s*:\s*<?(\S+?)>?\s*$/;
const DISCLAIMER = /(?:position|views?|opinion)s?\s+of\s+(.+?)\.?\s*[*_]*\s*$/i;

/**
 * Splits text into blocks as CommonMark does for what a source holds: blank lines end a block,
 * fenced code blocks stay whole, and an ATX heading or a thematic break is a block of its own
 * even with no blank line around it (`## Background` on the line before a paragraph, `***`
 * between two). A `---` or `===` line under paragraph text is a setext underline: the block
 * ends with it (a heading, isHeading); under a list item, a block quote or a table, `---` is a
 * thematic break.
 */
function splitBlocks(text: string, from: number): Block[] {
  const blocks: Block[] = [];
  let start = -1;
  let end = -1;
  let fence: string | null = null;
  /** The block has a list item, block quote line or table so far (a `---` under it is no underline). */
  let container = false;
  let firstLine = '';
  /** Lines in the block so far. */
  let lines = 0;
  const close = (): void => {
    if (start !== -1) blocks.push({ start, end, raw: text.slice(start, end) });
    start = -1;
    container = false;
  };
  // Lines by indexOf: a line is up to '\n', without a '\r' just before it.
  for (let at = from, next = from; at < text.length; at = next) {
    const nl = text.indexOf('\n', at);
    next = nl === -1 ? text.length : nl + 1;
    const lineEnd = nl === -1 ? text.length : nl > at && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    const line = text.slice(at, lineEnd);
    // The fence pattern needs ``` or ~~~ in the line: skip the regex for the other lines.
    const fenceMatch = line.includes('```') || line.includes('~~~') ? /^\s{0,3}(```+|~~~+)/.exec(line) : null;
    if (fence) {
      end = lineEnd;
      if (fenceMatch && fenceMatch[1].startsWith(fence)) fence = null;
      continue;
    }
    if (fenceMatch) {
      close();
      fence = fenceMatch[1];
      start = at;
      end = lineEnd;
      continue;
    }
    if (line.trim() === '') {
      close();
      continue;
    }
    const mark = blockLineMark(line);
    // A Pandoc table (pandocTables.ts): from here, or under the block's one line (its header).
    const table = start === -1 ? pandocTableAt(text, at) : mark === BREAK_LINE && lines === 1 && !container ? pandocTableAt(text, at, start) : undefined;
    if (table) {
      const from = start === -1 ? at : start;
      blocks.push({ start: from, end: table.end, raw: text.slice(from, table.end), table: table.shape });
      start = -1;
      container = false;
      next = table.next;
      continue;
    }
    if (mark === HEADING_LINE || mark === DIV_LINE || (mark === BREAK_LINE && (start === -1 || container || !isDashBreak(line)))) {
      // A block of its own, which isHeading or isNonProse leaves out.
      close();
      blocks.push({ start: at, end: lineEnd, raw: line });
      continue;
    }
    if ((mark === BREAK_LINE || mark === SETEXT_LINE) && start !== -1 && !container) {
      end = lineEnd;
      close();
      continue;
    }
    lines++;
    if (start === -1) {
      start = at;
      firstLine = line;
      lines = 1;
    } else if (!container && firstLine.includes('|') && isDelimiterRow(line)) {
      container = true;
    }
    if (!container && startsContainerLine(line)) container = true;
    end = lineEnd;
  }
  close();
  return blocks;
}

const HEADING_LINE = 1;
const BREAK_LINE = 2;
const SETEXT_LINE = 3;
const DIV_LINE = 4;

/**
 * What a line is to splitBlocks: an ATX heading (`#` to `######`, then a blank or the end), a
 * thematic break (three or more `-`, `*` or `_`, blanks between allowed), a line of `=` (a
 * setext underline under paragraph text), a Pandoc fenced div's fence (`::: {.note}`, `:::`),
 * or 0: none of these. Up to three spaces before.
 */
function blockLineMark(line: string): number {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 0x20) i++;
  const c = line.charCodeAt(i);
  if (c === 0x23 /* # */) {
    let k = i;
    while (k < line.length && line.charCodeAt(k) === 0x23) k++;
    return k - i <= 6 && (k === line.length || isBlankCode(line.charCodeAt(k))) ? HEADING_LINE : 0;
  }
  if (c === 0x2d || c === 0x2a || c === 0x5f /* - * _ */) {
    let count = 0;
    for (let k = i; k < line.length; k++) {
      const d = line.charCodeAt(k);
      if (d === c) count++;
      else if (!isBlankCode(d)) return 0;
    }
    return count >= 3 ? BREAK_LINE : 0;
  }
  if (c === 0x3a /* : */) return line.startsWith(':::', i) ? DIV_LINE : 0;
  if (c === 0x3d /* = */) {
    let k = i;
    while (k < line.length && line.charCodeAt(k) === 0x3d) k++;
    while (k < line.length && isBlankCode(line.charCodeAt(k))) k++;
    return k === line.length ? SETEXT_LINE : 0;
  }
  return 0;
}

/** A thematic break of `-` with no blank inside (`---`), which may underline paragraph text. */
function isDashBreak(line: string): boolean {
  const t = line.trim();
  return t.charCodeAt(0) === 0x2d && !/[ \t]/.test(t);
}

/** A list item or block quote line. */
function startsContainerLine(line: string): boolean {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 0x20) i++;
  const c = line.charCodeAt(i);
  if (c === 0x3e) return true;
  return isLineMarkCode(c) && c !== 0x7c && LIST_MARK.test(line);
}

/**
 * A file's front matter as the source parser reads it (see frontMatterOf): undefined when there is
 * none; `key` is the citation key its fields give (`citation-key`, else `id`, else `key`), as cited.
 */
export function readFrontMatter(text: string): { end: number; key?: string; error?: string } | undefined {
  const fm = frontMatterOf(text);
  if (!fm) return undefined;
  const explicit = givenKeyOf(fm.data);
  return { end: fm.end, key: explicit === undefined ? undefined : citableKey(explicit), error: fm.error };
}

/** The key a front matter's fields give, as written: `citation-key`, else `id`, else `key`. */
function givenKeyOf(data: Record<string, unknown>): string | undefined {
  return str(data['citation-key']) ?? str(data.id) ?? str(data.key);
}

/** A line that reads as a YAML field (`title: …`), as the second line of unclosed front matter. */
const FIELD_LINE = /^[A-Za-z][A-Za-z0-9_-]*:(?:[ \t]|$)/;

/**
 * A file's YAML front matter: its fields and where it ends; `error` says why no field was read
 * from a block that was meant to be front matter (invalid YAML, not a mapping, no closing line).
 */
function frontMatterOf(text: string): { data: Record<string, unknown>; end: number; error?: string } | undefined {
  const m = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!m) return undefined;
  const close = /\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/g;
  close.lastIndex = m[0].length - 1;
  const c = close.exec(text);
  if (!c) {
    // No closing line: the file is read as having no front matter. Said only when the next line
    // reads as a field (a file may open with a thematic break).
    const next = text.slice(m[0].length, m[0].length + 200);
    const start = text.startsWith('\uFEFF') ? 1 : 0;
    return FIELD_LINE.test(next) ? { data: {}, end: start, error: 'front matter has no closing "---" line; it was read as text' } : undefined;
  }
  let error: string;
  try {
    const yaml = text.slice(m[0].length, c.index);
    const data: unknown = parseSimpleYaml(yaml) ?? loadYaml(yaml);
    if (data && typeof data === 'object' && !Array.isArray(data)) return { data: data as Record<string, unknown>, end: c.index + c[0].length };
    if (data === null || data === undefined) return { data: {}, end: c.index + c[0].length };
    error = `front matter is ${Array.isArray(data) ? 'a list' : 'a single value'}, not fields (title: …, author: …)`;
  } catch (e) {
    // Malformed front matter: the file is read as having none. YAML's message, first line.
    error = `front matter is not valid YAML (${String((e as Error).message ?? e).split('\n')[0].slice(0, 200).replace(/:$/, '')})`;
  }
  return { data: {}, end: c.index + c[0].length, error };
}

const SIMPLE_LINE = /^([A-Za-z][A-Za-z0-9_-]*):[ ]+(.*?)[ ]*$/;
/** A double-quoted scalar without escapes or characters YAML treats specially. */
const SIMPLE_QUOTED = /^"([^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]*)"$/;
/** A plain scalar that starts with a letter (so never a number) and has no ':', '#' or markup. */
const SIMPLE_PLAIN = /^[A-Za-z][A-Za-z0-9 .,'’()&/-]*$/;
const YAML_KEYWORDS = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const SIMPLE_DAY = /^\d{4}-\d{2}-\d{2}$/;
const SIMPLE_INT = /^[1-9]\d{0,8}$/;

/**
 * Front matter of the common shape (`key: "string"`, `key: plain words`, `date: 2012-07-16`,
 * `year: 2012`, one per line) read without the YAML library, which took a tenth of the parse
 * time; the same result as `yaml.parse` (test/unit/parseEquivalence.test.ts checks it).
 * Anything else (comments, lists, escapes, blank or indented lines, duplicate keys) returns
 * undefined and goes to the library.
 */
export function parseSimpleYaml(yaml: string): Record<string, unknown> | undefined {
  if (yaml === '' || yaml.includes('\r')) return undefined;
  const data: Record<string, unknown> = {};
  for (const line of yaml.split('\n')) {
    const m = SIMPLE_LINE.exec(line);
    if (!m || YAML_KEYWORDS.test(m[1]) || Object.prototype.hasOwnProperty.call(data, m[1])) return undefined;
    const value = m[2];
    const quoted = SIMPLE_QUOTED.exec(value);
    if (quoted) data[m[1]] = quoted[1];
    else if (SIMPLE_DAY.test(value) || (SIMPLE_PLAIN.test(value) && !YAML_KEYWORDS.test(value))) data[m[1]] = value;
    else if (SIMPLE_INT.test(value)) data[m[1]] = Number(value);
    else return undefined;
  }
  return data;
}

export function parseAuthorName(name: string): Author {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (clean.includes(',')) {
    const [family, given] = clean.split(',', 2).map((s) => s.trim());
    return given ? { family, given } : { family };
  }
  const parts = clean.split(' ');
  if (parts.length === 1) return { family: parts[0] };
  return { family: parts[parts.length - 1], given: parts.slice(0, -1).join(' ') };
}

/**
 * The names in an author field's string: "Jane Roe and John Doe", "Roe, Jane; Doe, John", or
 * Obsidian's wiki links, "[[Jane Roe]], [[John Doe|Doe]]" (the note's name, not the text shown).
 */
function authorNames(value: string): string[] {
  if (value.includes('[[')) {
    const names: string[] = [];
    for (const m of value.matchAll(/\[\[([^[\]|]+)(?:\|[^[\]]*)?\]\]/g)) if (m[1].trim()) names.push(m[1]);
    if (names.length) return names;
  }
  return value.split(/\s+and\s+|;/).filter((n) => n.trim());
}

function authorsFromYaml(value: unknown): Author[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: Author[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(...authorNames(item).map(parseAuthorName));
    else if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      if (typeof o.family === 'string') out.push({ family: o.family, given: typeof o.given === 'string' ? o.given : undefined });
      else if (typeof o.name === 'string') out.push(parseAuthorName(o.name));
      else if (typeof o.literal === 'string') out.push({ family: o.literal });
    }
  }
  return out;
}

/** `read` of the first value it reads something from. */
function firstOf<T>(values: unknown[], read: (value: unknown) => T | undefined): T | undefined {
  for (const v of values) {
    const got = read(v);
    if (got !== undefined) return got;
  }
  return undefined;
}

/** An http(s) address (a `source:` field may name an outlet instead). */
function webAddress(value: unknown): string | undefined {
  const s = str(value);
  return s && /^https?:\/\/\S+$/i.test(s) ? s : undefined;
}

/** A front matter's date value as YYYY-MM-DD, YYYY-MM or YYYY (also from "July 16, 2012"), or undefined. */
export function isoDate(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'number' && value > 1000 && value < 3000) return String(value);
  if (typeof value !== 'string') return undefined;
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value.trim());
  if (iso) return [iso[1], iso[2], iso[3]].filter(Boolean).join('-');
  return dateFromLine(value);
}

/**
 * A header line's byline and date, or undefined for any other line: "By Jane Roe and John Doe",
 * "July 16, 2012", "Published: July 16, 2012 at 5:00 PM", "*By Jane Roe*", or a name and a date
 * side by side ("Jane Roe | 16 July 2013", "By Jane Roe · July 16, 2012"), as web pages have them.
 */
function headerLine(raw: string): { authors?: Author[]; date?: string; publisher?: string } | undefined {
  const line = plainFromMarkdown(raw, 0, raw.length).text.trim();
  const parts = line.split(/\s+[|·•—–]\s+/);
  if (parts.length > 3) return undefined;
  let authors: Author[] | undefined;
  let date: string | undefined;
  let name: string | undefined;
  let publisher: string | undefined;
  for (const part of parts) {
    const by = BYLINE.exec(part);
    const when = by ? undefined : headerDate(part);
    // An agency's credit after a place or a name ("NEW YORK (Reuters)", "Jane Roe (Reuters)").
    const credit = by || when ? null : AGENCY_CREDIT.exec(part);
    const bare = credit ? part.slice(0, credit.index).trim() : part;
    if (by) authors ??= bylineNames(by[1]).map(parseAuthorName);
    else if (when) date ??= when;
    // A dateline's place ("Moscow | July 2, 2012", "NEW YORK (Reuters) | …") names no author.
    else if (isDatelinePlace(bare, credit !== null)) publisher ??= credit?.[1];
    else if (name === undefined && PERSON_NAME.test(bare)) {
      name = bare;
      publisher ??= credit?.[1];
    } else return undefined;
  }
  // A name without "By" only beside a date.
  if (name !== undefined) {
    if (!date || authors) return undefined;
    authors = [parseAuthorName(name)];
  }
  return authors || date ? { authors, date, publisher: date ? publisher : undefined } : undefined;
}

/** A credit to a news agency after a dateline's place: "(Reuters)", "(AP)". */
const AGENCY_CREDIT = /\s*\(([\p{Lu}][\p{L}.&' -]{0,40})\)$/u;

/**
 * Cities that begin datelines and that the gazetteer does not hold (it names a capital, as a
 * metonym of its state, but not most other cities), in lower case.
 */
const DATELINE_CITIES = new Set([
  'new york', 'los angeles', 'san francisco', 'chicago', 'boston', 'houston', 'miami', 'seattle', 'toronto', 'montreal',
  'vancouver', 'geneva', 'zurich', 'frankfurt', 'munich', 'hamburg', 'milan', 'barcelona', 'istanbul', 'st. petersburg',
  'saint petersburg', 'st petersburg', 'the hague', 'brussels', 'strasbourg', 'davos', 'tel aviv', 'hong kong', 'dubai',
  'shanghai', 'mumbai', 'karachi', 'lahore', 'rio de janeiro', 'são paulo', 'sao paulo', 'cape town', 'johannesburg',
  'lagos', 'sydney', 'melbourne', 'almaty', 'osh', 'samarkand', 'bukhara', 'andijan', 'khujand', 'donetsk', 'kharkiv',
  'odesa', 'odessa', 'lviv', 'novosibirsk', 'vladivostok', 'kaliningrad', 'yekaterinburg', 'kazan', 'sochi', 'grozny',
]);

/**
 * Whether a header line's part is the place of a dateline: a city above, or a place the
 * gazetteer holds (a capital, a state, a region), whole, in any case ("MOSCOW"), perhaps with
 * an agency's credit (which makes any words in capitals a dateline's place: "KHOROG (AP)").
 */
function isDatelinePlace(place: string, credited: boolean): boolean {
  if (!place || place.length > 40 || !/^\p{Lu}/u.test(place)) return false;
  if (credited && /^\p{Lu}[\p{Lu}.'’ -]*$/u.test(place)) return true;
  if (DATELINE_CITIES.has(place.toLowerCase())) return true;
  const titled = place === place.toUpperCase() ? place.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, b: string, c: string) => b + c.toUpperCase()) : place;
  const mentions = defaultRegistry().findMentions(titled);
  if (mentions.length !== 1 || mentions[0].start !== 0 || mentions[0].end !== titled.length) return false;
  return defaultRegistry().get(mentions[0].actor)?.type !== 'person';
}

/**
 * The people a byline names ("Jane Roe, John Doe and Ann Lee"), without the credit a news byline
 * adds after a comma ("Ivan Petrov, Reuters", "Jane Roe, Staff Writer"): a part naming a role or
 * an agency, or of one word beside names of several, is left out (unless nothing would be left).
 */
function bylineNames(byline: string): string[] {
  const parts = byline.split(/\s*(?:,|\band\b|&)\s*/).filter(Boolean);
  const several = parts.some((p) => /\s/.test(p));
  const people = parts.filter((p) => !BYLINE_CREDIT.test(p) && (!several || /\s/.test(p)));
  return people.length ? people : parts;
}

const BYLINE_CREDIT = /\b(?:staff|writer|correspondent|editor|reporter|contributor|columnist|bureau|chief|news|press|agency|reuters|afp|bloomberg)\b/i;

/** Two to four capitalised words, as a byline names a person ("Jane Roe", "Mary-Ann van Dijk"). */
const PERSON_NAME = /^\p{Lu}[\p{L}'’.-]*(?:\s+(?:(?:van|von|de|der|den|da|di|du|la|le|bin|al|el)\s+)?\p{Lu}[\p{L}'’.-]*){1,3}$/u;
const DATE_PREFIX = /^(?:(?:first\s+)?published|posted|updated|last\s+updated|dated?)(?:\s+on)?\s*:?\s*/i;
const TIME_SUFFIX = /(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)\s*$/i;

/** The date of a header line's part: a date as dateFromLine reads it, after "Published:" and before a time of day. */
function headerDate(part: string): string | undefined {
  return dateFromLine(part) ?? dateFromLine(part.replace(DATE_PREFIX, '').replace(TIME_SUFFIX, ''));
}

function dateFromLine(line: string): string | undefined {
  const m = DATE_LINE.exec(line);
  if (!m) return undefined;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (m[1]) {
    const month = MONTHS.findIndex((x) => x.startsWith(m[1].toLowerCase().slice(0, 3)));
    if (month < 0) return undefined;
    return `${m[3]}-${pad(month + 1)}-${pad(Number(m[2]))}`;
  }
  if (m[5]) {
    const month = MONTHS.findIndex((x) => x.startsWith(m[5].toLowerCase().slice(0, 3)));
    if (month < 0) return undefined;
    return `${m[6]}-${pad(month + 1)}-${pad(Number(m[4]))}`;
  }
  return `${m[7]}-${m[8]}-${m[9]}`;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** ASCII-folded lower-case surname for keys ("Gölts" → "golts"). */
function keyPart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** The citation key GUIDE §1 prescribes, before collision suffixes. */
export function deriveKey(meta: SourceMeta, path: string, explicit?: string): string {
  const given = explicit === undefined ? undefined : citableKey(explicit);
  if (given) return given;
  const year = meta.date ? meta.date.slice(0, 4) : '';
  const family = meta.authors[0] ? keyPart(meta.authors[0].family) : '';
  if (family) return family + year;
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.replace(/\.[^.]+$/, '');
  const slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug && /^[a-z0-9_]/.test(slug) ? slug : 'source';
}

// The per-block patterns live here, not in the functions: a literal inside a function is a new
// object each call.
const ATX_HEADING = /^\s{0,3}#{1,6}(\s|$)/;
const SETEXT_UNDERLINE = /\n\s{0,3}(=+|-+)\s*$/;
const NON_PROSE = [
  /^(```|~~~)/,
  /^<!--[\s\S]*-->$/,
  /^<\/?[a-zA-Z][^>]*>$/,
  /^!\[[^\]]*\]\([^)]*\)(?:\{[^}\n]*\})?$/,
  /^(\*\s*){3,}$|^(-\s*){3,}$|^(_\s*){3,}$/,
  /^\[[^\]]+\]:\s*\S+/,
  /^:::/,
];
const SENTENCE_END = /[.!?…]["”’')\]]*\s*$/;
const CLAUSE_END = /[:;]\s*$/;
const LOWERCASE_LETTER = /\p{Ll}/u;

function isHeading(raw: string): boolean {
  return ATX_HEADING.test(raw) || SETEXT_UNDERLINE.test(raw);
}

function isNonProse(raw: string): boolean {
  const t = raw.trim();
  return NON_PROSE.some((re) => re.test(t));
}

/** Plain text ends like a finished sentence. */
function endsSentence(plain: string): boolean {
  return SENTENCE_END.test(plain) || CLAUSE_END.test(plain);
}

interface SourceParts {
  meta: SourceMeta;
  explicitKey?: string;
  body: Block[][];
  /** Per body paragraph, the text of the footnotes it references first (footnoteBlocks). */
  notes: Block[][];
}

function splitParts(text: string): SourceParts {
  const fm = frontMatterOf(text);
  const data = fm?.data ?? {};
  const meta: SourceMeta = {
    title: str(data.title),
    authors: authorsFromYaml(data.author ?? data.authors),
    // (`published` and `source` as web clippers such as Obsidian Web Clipper and MarkDownload
    // write them; Jekyll's `published: false` is no date, and the next field is read then.)
    date: firstOf([data.date, data.issued, data.published, data.publishDate, data.year], isoDate),
    publisher: str(data.publisher) ?? str(data['container-title']) ?? str(data.journal) ?? str(data.newspaper),
    url: str(data.url) ?? str(data.URL) ?? str(data.link) ?? webAddress(data.source),
  };
  // Strings and numbers only: a list or a map here is no CSL-JSON value, and YAML's aliases can
  // make one that holds itself (`volume: &a [*a]`), which no JSON can write (the cache of parsed
  // sources could not be written at all).
  const extra: Record<string, unknown> = {};
  for (const k of ['type', 'container-title', 'volume', 'issue', 'page', 'language', 'DOI', 'abstract']) {
    const v = data[k];
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) extra[k] = v;
  }
  if (Object.keys(extra).length) meta.extra = extra;
  if (fm?.error) meta.frontMatterError = fm.error;
  const explicitKey = givenKeyOf(data);

  let blocks = splitBlocks(text, fm ? fm.end : text.startsWith('\uFEFF') ? 1 : 0);
  // Header: title, byline and date lines before the first prose paragraph.
  let i = 0;
  for (; i < blocks.length && i < 6; i++) {
    const raw = blocks[i].raw.trim();
    const h1 = /^#\s+(.+?)\s*#*\s*$/.exec(raw);
    if (h1 && !raw.includes('\n')) {
      meta.title ??= plainFromMarkdown(h1[1], 0, h1[1].length).text;
      continue;
    }
    const header = raw.includes('\n') || raw.length >= 200 ? undefined : headerLine(raw);
    if (!header) break;
    if (header.authors && meta.authors.length === 0) meta.authors = header.authors;
    if (header.date) meta.date ??= header.date;
    if (header.publisher) meta.publisher ??= header.publisher;
  }
  blocks = blocks.slice(i);

  // Footnote definitions at the end are set aside while the trailer is looked for before them.
  let definitions = blocks.length;
  while (definitions > 0) {
    if (isDefinition(blocks[definitions - 1].raw)) {
      definitions--;
      continue;
    }
    // A note's further paragraphs, indented, after its definition.
    let k = definitions - 1;
    while (k > 0 && isIndented(blocks[k].raw)) k--;
    if (k === definitions - 1 || !isDefinition(blocks[k].raw)) break;
    definitions = k;
  }
  const tail = blocks.slice(definitions);
  blocks = blocks.slice(0, definitions);

  // Trailer: URL line, publisher disclaimer and author bio after the last body paragraph.
  for (let guard = 0; guard < 4 && blocks.length; guard++) {
    const last = blocks[blocks.length - 1];
    const raw = last.raw.trim();
    const url = URL_LINE.exec(raw);
    if (url && !raw.includes('\n')) {
      meta.url ??= url[1];
      blocks.pop();
      continue;
    }
    const disclaimer = /^[*_]/.test(raw) && /do(?:es)? not necessarily reflect|are (?:those|solely) of the author/i.test(raw) ? DISCLAIMER.exec(raw) : null;
    if (disclaimer) {
      meta.publisher ??= disclaimer[1].replace(/[*_]+$/, '').trim();
      blocks.pop();
      continue;
    }
    const plain = plainFromMarkdown(last.raw, 0, last.raw.length).text.trim();
    const bioOf = meta.authors.find((a) => plain.startsWith(`${a.given ? `${a.given} ` : ''}${a.family} is `) || plain.startsWith(`${a.family} is `));
    if (bioOf) {
      meta.authorInfo ??= plain;
      blocks.pop();
      continue;
    }
    break;
  }

  blocks.push(...tail);

  // A paragraph broken by a stray blank line mid-sentence is one paragraph; one broken by a
  // heading, a thematic break or anything else left out is two.
  const body: Block[][] = [];
  /** Footnote definitions by label: the text of each (footnoteBlocks), with the indented paragraphs after it. */
  const footnotes = new Map<string, Block[]>();
  let lastNote: Block[] | undefined;
  let follows = false;
  for (const block of blocks) {
    if (isDefinition(block.raw) && block.raw.trimStart().startsWith('[^')) {
      for (const [label, note] of footnoteBlocks(text, block)) {
        lastNote = [note];
        if (!footnotes.has(label)) footnotes.set(label, lastNote);
      }
      follows = false;
      continue;
    }
    if (lastNote && isIndented(block.raw)) {
      let start = block.start;
      while (isBlankCode(text.charCodeAt(start))) start++;
      lastNote.push({ start, end: block.end, raw: text.slice(start, block.end) });
      continue;
    }
    lastNote = undefined;
    if (!block.table && (isHeading(block.raw) || isNonProse(block.raw))) {
      follows = false;
      continue;
    }
    // (A table is joined to no paragraph, nor a paragraph to it.)
    const prev = follows && !block.table && !body[body.length - 1][0].table ? body[body.length - 1] : undefined;
    follows = true;
    if (prev) {
      // The same text as plainFromMarkdown(raw, 0, raw.length): no rule looks past a block's end.
      const prevPlain = plainOf(text, prev[prev.length - 1]).text;
      const firstChar = block.raw.trimStart()[0] ?? '';
      if (!endsSentence(prevPlain) && LOWERCASE_LETTER.test(firstChar)) {
        prev.push(block);
        continue;
      }
    }
    body.push([block]);
  }
  // A footnote's text belongs to the paragraph that references it first (a reader cites the
  // paragraph, note and all); a note no paragraph references is no text of the article.
  const notes = body.map((blocks) => {
    const attached: Block[] = [];
    for (const b of blocks) {
      if (!b.raw.includes('[^')) continue;
      for (let i = b.raw.indexOf('[^'); i !== -1; i = b.raw.indexOf('[^', i + 2)) {
        const end = footnoteReferenceEnd(b.raw, i, b.raw.length);
        if (end === -1) continue;
        const label = b.raw.slice(i + 2, end - 1);
        const note = footnotes.get(label);
        if (note) attached.push(...note);
        footnotes.delete(label);
      }
    }
    return attached;
  });
  return { meta: ownStrings(meta), explicitKey: explicitKey === undefined ? undefined : ownCopy(explicitKey), body, notes };
}

const DEFINITION = /^ {0,3}\[[^\]]+\]:/;
/** A footnote definition line's start: `[^label]:` and the blanks after it. */
const FOOTNOTE_START = /^ {0,3}\[\^([^\]\s]{1,100})\]:[ \t]*/;

/** A block that starts with a link reference or footnote definition (`[a]: https://…`, `[^1]: …`). */
function isDefinition(raw: string): boolean {
  return DEFINITION.test(raw);
}

/** A block indented as a footnote's further paragraphs are (four spaces or a tab). */
function isIndented(raw: string): boolean {
  return raw.startsWith('    ') || raw.startsWith('\t');
}

/**
 * The footnote definitions of a block (`[^1]: text`, one per line that starts one, with the
 * lines after it up to the next), each as its label and a block of its text.
 */
function footnoteBlocks(text: string, block: Block): Array<[string, Block]> {
  const out: Array<[string, Block]> = [];
  let label: string | undefined;
  let start = -1;
  let end = -1;
  const close = (): void => {
    if (label !== undefined && end > start) out.push([label, { start, end, raw: text.slice(start, end) }]);
  };
  for (let line = lineAt(text, block.start); line.start < block.end; line = lineAt(text, line.next)) {
    const lineEnd = Math.min(line.end, block.end);
    const m = FOOTNOTE_START.exec(text.slice(line.start, lineEnd));
    if (m) {
      close();
      label = m[1];
      start = line.start + m[0].length;
    } else if (label === undefined) {
      // Before the first definition: a link reference definition's lines.
      continue;
    }
    end = lineEnd;
  }
  close();
  return out;
}

/** `meta` with its strings copied out of the file text (see ownCopy): the Source keeps them. */
function ownStrings(meta: SourceMeta): SourceMeta {
  for (const k of ['title', 'date', 'publisher', 'url', 'authorInfo', 'frontMatterError'] as const) {
    const v = meta[k];
    if (v !== undefined) meta[k] = ownCopy(v);
  }
  for (const a of meta.authors) {
    a.family = ownCopy(a.family);
    if (a.given !== undefined) a.given = ownCopy(a.given);
  }
  const extra = meta.extra;
  if (extra) for (const k of Object.keys(extra)) if (typeof extra[k] === 'string') extra[k] = ownCopy(extra[k] as string);
  return meta;
}

/**
 * Joins the plain text of blocks with one space between them, keeping the offset map and where
 * each block's units start (a block that follows another continues its sentence).
 */
function paragraphText(text: string, blocks: Block[], notes: readonly Block[] = []): UnitText {
  const all = notes.length ? [...blocks, ...notes.filter((b) => plainOf(text, b).text.trim())] : blocks;
  const parts = all.map((b) => plainOf(text, b));
  if (parts.length === 1) return parts[0];
  const units: number[] = [];
  let at = 0;
  parts.forEach((p, k) => {
    // (A note's text starts a unit of its own.)
    for (const u of p.units) if (u > 0 || k === 0 || k >= blocks.length) units.push(at + u);
    at += p.text.length + 1;
  });
  return { ...joinMapped(parts, all.slice(1).map((b) => b.start - 1)), units };
}

export function parseSource(text: string, path: string, options: ParseSourceOptions = {}): Source {
  const { meta, explicitKey, body, notes } = splitParts(text);
  const key = options.key ?? deriveKey(meta, path, explicitKey);
  if (options.key === undefined && explicitKey !== undefined && citableKey(explicitKey) !== undefined) meta.keyGiven = true;
  const baseRegistry = options.registry ?? defaultRegistry();

  const paragraphs: Paragraph[] = [];
  const sentenceSpans: { paragraph: number; plain: MappedText; spans: Span[] }[] = [];
  body.forEach((blocks, k) => {
    // The paragraph text is copied: a single run of the file is a slice of it, and every string
    // cut from it (sentences, mentions) would then keep the whole file text alive with the Source.
    const mapped = paragraphText(text, blocks, notes[k]);
    const plain = { text: ownCopy(mapped.text), offsets: mapped.offsets };
    const { units } = mapped;
    const spans = units.length === 1 ? splitSentences(plain.text) : units.flatMap((u, k) => splitSentences(plain.text, u, units[k + 1] ?? plain.text.length));
    // The paragraph's own text, and its notes' apart: its claims are of both.
    const own = notes[k].length ? paragraphText(text, blocks).text.length : plain.text.length;
    const paragraph: Paragraph = { index: k + 1, start: blocks[0].start, end: blocks[blocks.length - 1].end, text: plain.text.slice(0, own) };
    if (own < plain.text.length) paragraph.notes = plain.text.slice(own + 1);
    paragraphs.push(paragraph);
    sentenceSpans.push({ paragraph: k + 1, plain, spans });
  });

  // Actors: the author, then entities the source names that the registry does not know.
  const authorActors: ActorDefinition[] = meta.authors
    .filter((a) => a.given)
    .map((a) => ({
      name: `${a.given} ${a.family}`,
      type: 'person' as const,
      aliases: [a.family],
      roles: meta.authorInfo ? [roleFromBio(meta.authorInfo, a)] : ['Author'],
      description: meta.title ? `Author of “${meta.title}”` : 'Author',
    }));
  const withAuthors = authorActors.length ? baseRegistry.extend(authorActors) : baseRegistry;
  // Each sentence's text and actor tokens are made once and shared by discovery, mention matching
  // and pronoun resolution (each used to tokenize every sentence again).
  const sentenceTexts = sentenceSpans.map((p) => p.spans.map((s) => narrowSlice(p.plain.text, s.start, s.end)));
  const sentenceTokens = sentenceTexts.map((texts) => texts.map((t) => actorTokens(t)));
  const allSentences = sentenceTexts.flat();
  const allTokens: ActorToken[][] = sentenceTokens.flat();
  if (meta.authorInfo) {
    allSentences.push(meta.authorInfo);
    allTokens.push(actorTokens(meta.authorInfo));
  }
  const discoveryMentions: ActorMention[][] = [];
  const discovered = discoverActors({ sentences: allSentences, tokens: allTokens, mentions: discoveryMentions, registry: withAuthors });
  const registry = discovered.length ? withAuthors.extend(discovered) : withAuthors;
  // Mentions under `withAuthors` are final unless a token may start an alias of the discovered layer.
  const mentionsOf = (text: string, tokens: ActorToken[], k: number): ActorMention[] =>
    registry === withAuthors || !tokens.some((t) => mayStartOwnAlias(registry, t)) ? discoveryMentions[k] : registry.matchTokens(text, tokens);

  // Per claim: its span in the file and its prepared index data (distinct index terms, actors).
  // The rest of a claim (figures, dates, quotations, kind: most of the parsing) is made when its
  // claims are first read (claimsOf).
  const tables = options.tables ?? new PreparedTables();
  const ints = new IntList(1024);
  const claimCount = sentenceSpans.reduce((n, p) => n + p.spans.length, 0);
  const spans = new Int32Array(2 * claimCount);
  let sentenceNumber = 0; // index into allSentences
  let c = 0;
  sentenceSpans.forEach((p, n) => {
    const texts = sentenceTexts[n];
    const tokens = sentenceTokens[n];
    const mentions = texts.map((t, i) => mentionsOf(t, tokens[i], sentenceNumber++));
    const pronouns = resolvePronouns(
      texts.map((t, i) => ({ text: t, mentions: mentions[i], tokens: tokens[i] })),
      registry,
    );
    p.spans.forEach((span, i) => {
      const fileSpan = mapSpan(p.plain, span.start, span.end);
      spans[2 * c] = fileSpan.start;
      spans[2 * c + 1] = fileSpan.end;
      c++;
      prepareClaimData(ints, texts[i], actorNames(mentions[i], pronouns[i]), tables);
    });
  });
  const prepared: PreparedClaims = { tables: tables.view, data: ints.view().slice(0, ints.length), start: 0, end: ints.length, claims: claimCount, paragraphs: paragraphs.length };
  const plan: ClaimsPlan = { key, date: meta.date, paragraphs: sentenceSpans.map((p) => p.paragraph), texts: sentenceTexts, spans, prepared };

  const discoveredActors = [...authorActors, ...discovered];
  const fields = { key, path, meta, paragraphs, discoveredActors, hash: options.hash ?? hashText(text) };
  // (Made in a function of its own: a closure made here would keep everything parseSource's
  // closures share, the file text and every sentence's tokens among them, for as long as the source.)
  if (options.lazyClaims) return lazySource(fields, plan);
  return { key, path, meta, paragraphs, claims: claimsOf(plan), discoveredActors, hash: fields.hash };
}

function lazySource(fields: Omit<Source, 'claims'>, plan: ClaimsPlan): Source {
  const source = sourceWithLazyClaims(
    fields,
    () => {
      PLANS.delete(source);
      // Parsing caught what the text could throw; should making the claims throw later (where a
      // hover or a check reads them), the source has none rather than breaking what read them,
      // as a damaged cache entry has none.
      try {
        return claimsOf(plan);
      } catch {
        return [];
      }
    },
    plan.prepared,
  );
  PLANS.set(source, plan);
  return source;
}

/** The plans of sources whose claims are not made yet (see pendingPlanOf). */
const PLANS = new WeakMap<Source, ClaimsPlan>();

/**
 * What a source's claims are made from, as JSON-ready data, while they are not made yet: a parse
 * worker sends it instead of the claims, and the claims are made where they are read
 * (claimsFromPlan). Undefined once they are made, and for sources not parsed with lazyClaims.
 */
export function pendingPlanOf(source: Source): StoredPlan | undefined {
  const plan = PLANS.get(source);
  return plan && { date: plan.date, paragraphs: plan.paragraphs, texts: plan.texts, spans: Array.from(plan.spans) };
}

export interface StoredPlan {
  date?: string;
  paragraphs: number[];
  texts: string[][];
  spans: number[];
}

/** The claims of a source of key `key` from its stored plan and its prepared index data (in which its actors are). */
export function claimsFromPlan(key: string, plan: StoredPlan, prepared: PreparedClaims): Claim[] {
  return claimsOf({ key, date: plan.date, paragraphs: plan.paragraphs, texts: plan.texts, spans: Int32Array.from(plan.spans), prepared });
}

/** What a source's claims are made from after parsing (see parseSource). */
interface ClaimsPlan {
  key: string;
  /** The article date, which relative dates are resolved against. */
  date: string | undefined;
  /** Per paragraph: its number, and its sentences' texts. */
  paragraphs: number[];
  texts: string[][];
  /** Start and end in the file of each claim. */
  spans: Int32Array;
  prepared: PreparedClaims;
}

/** The claims of a parsed source: what parseSource found, with each sentence's figures, dates, quotations and kind. */
function claimsOf(plan: ClaimsPlan): Claim[] {
  const { key, date, spans } = plan;
  const { data, tables } = plan.prepared;
  const claims: Claim[] = [];
  let d = plan.prepared.start;
  let c = 0;
  plan.texts.forEach((texts, n) => {
    const paragraph = plan.paragraphs[n];
    // extractQuotes finds nothing unless this sentence or one of the two before it has an
    // opening mark (most have none): skip the call and its context slice then.
    const marks = texts.map(hasOpeningMark);
    texts.forEach((sentenceText, i) => {
      d += data[d] + 1; // (the terms)
      const names: string[] = [];
      for (const end = d + 1 + data[d++]; d < end; d++) names.push(tables.actors[data[d]]);
      const quotes =
        marks[i] || (i > 0 && marks[i - 1]) || (i > 1 && marks[i - 2])
          ? extractQuotes(sentenceText, { previousSentences: texts.slice(Math.max(0, i - 2), i) })
          : NONE;
      // One token stream for dates and numbers (numbers used to tokenize again).
      const words = dateTokens(sentenceText);
      const dates = extractDatesFromTokens(sentenceText, words, date);
      claims.push({
        id: claimId(key, paragraph, i + 1),
        sourceKey: key,
        paragraph,
        sentence: i + 1,
        start: spans[2 * c],
        end: spans[2 * c + 1],
        text: sentenceText,
        kind: classifyClaimKind(sentenceText, quotes),
        actors: shared(ONE_ACTOR, names),
        numbers: tight(extractNumbersFromTokens(sentenceText, words, datesWithoutArticleDate(dates, date))),
        years: dates.length === 0 ? NONE : shared(ONE_YEAR, yearsOf(dates)),
        dates: tight(dates),
        quotes: tight(quotes),
      });
      c++;
    });
  });
  return claims;
}

const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * `${key}:${paragraph}.${sentence}` as one flat string. The template literal made a chain of two
 * or three cons strings per claim, which the index keeps for good: every scavenge while sources
 * are parsed copies them, and they are the most numerous objects a claim holds after its own.
 */
function claimId(key: string, paragraph: number, sentence: number): string {
  return [key, ':', paragraph, '.', sentence].join('');
}

/**
 * A list as the index keeps it for good: most claims have no numbers, dates or quotations, and a
 * list grown by push keeps room for 17 items. Empty lists are one shared frozen list (nothing
 * changes a claim's lists after parsing), others are copied to their length.
 */
function tight<T>(list: T[]): T[] {
  return list.length === 0 ? NONE : list.slice();
}

/**
 * Lists of one item, one frozen list per item shared by every claim that has it (as NONE is): most
 * claims with a date name one year, many name one actor, and each list the index keeps is two
 * objects for every scavenge during indexing to copy. Bounded, as surfaceCache in actors.ts is.
 */
const ONE_YEAR = new Map<number, number[]>();
const ONE_ACTOR = new Map<string, string[]>();
const ONE_ITEM_LIMIT = 50_000;

function shared<T>(cache: Map<T, T[]>, list: T[]): T[] {
  if (list.length !== 1) return tight(list);
  let one = cache.get(list[0]);
  if (one === undefined) {
    one = Object.freeze([list[0]]) as T[];
    if (cache.size >= ONE_ITEM_LIMIT) cache.clear();
    cache.set(list[0], one);
  }
  return one;
}

/**
 * The distinct actors of `a` then `b`, in order of first mention. A sentence names a few: a list
 * search is cheaper than a Set then, which long (hostile) sentences still get, to stay linear.
 */
function actorNames(a: ActorMention[], b: ActorMention[]): string[] {
  if (a.length + b.length > 32) return [...new Set([...a, ...b].map((m) => m.actor))];
  const out: string[] = [];
  for (const m of a) if (!out.includes(m.actor)) out.push(m.actor);
  for (const m of b) if (!out.includes(m.actor)) out.push(m.actor);
  return out;
}

/** A token (or a part of a hyphenated one, see matchHyphenParts) that starts an alias of `registry`'s own layer. */
function mayStartOwnAlias(registry: ActorRegistry, token: ActorToken): boolean {
  if (registry.ownsFirstToken(token.norm)) return true;
  return token.norm.includes('-') && token.norm.split('-').some((part) => part !== '' && registry.ownsFirstToken(part));
}

function roleFromBio(bio: string, author: Author): string {
  const m = /\bis\s+(?:an?\s+|the\s+)?(.+?)\.?$/.exec(bio.slice(author.family.length));
  return m ? m[1] : 'Author';
}

/** Gives every source a unique key: the first by path keeps the derived key, later ones get a, b, … */
export function assignKeys<T extends { path: string; key: string; given?: boolean }>(sources: T[]): Map<T, string> {
  const groups = new Map<string, T[]>();
  for (const s of sources) groups.set(s.key, [...(groups.get(s.key) ?? []), s]);
  const out = new Map<T, string>();
  const taken = new Set(groups.keys());
  for (const [key, group] of groups) {
    // A key given in the front matter first (the user named that source so), then by path.
    group.sort((a, b) => Number(b.given === true) - Number(a.given === true) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    out.set(group[0], key);
    let n = 0;
    for (const s of group.slice(1)) {
      let candidate: string;
      do candidate = key + suffix(n++);
      while (taken.has(candidate));
      taken.add(candidate);
      out.set(s, candidate);
    }
  }
  return out;
}

/** The collision suffix number `n` (from 0): a, b, …, z, aa, ab, … */
export function suffix(n: number): string {
  let s = '';
  let k = n;
  do {
    s = String.fromCharCode(97 + (k % 26)) + s;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return s;
}

/** What a front matter that gave no field costs its source (after its `frontMatterError`). */
export const FRONT_MATTER_NOT_READ = 'its title, author, date and citation key were not read from it';

/** What to tell the user of a source whose front matter gave no field, or undefined. */
export function frontMatterWarning(source: Pick<Source, 'path' | 'key' | 'meta'>): string | undefined {
  const error = source.meta.frontMatterError;
  return error === undefined ? undefined : `${source.path}: ${error}; ${FRONT_MATTER_NOT_READ} (indexed as @${source.key})`;
}

/** Used by tests and the index: re-key a parsed source without reparsing. */
export function rekeySource(source: Source, key: string): Source {
  if (source.key === key) return source;
  const rekey = (claims: Claim[]): Claim[] => claims.map((c) => ({ ...c, sourceKey: key, id: claimId(key, c.paragraph, c.sentence) }));
  const prepared = preparedClaimsOf(source);
  if (prepared) {
    // A deferred source stays deferred: its claims are rekeyed when read.
    const { path, meta, discoveredActors, hash } = source;
    if (!isStoredSource(source)) {
      return sourceWithLazyClaims({ key, path, meta, paragraphs: source.paragraphs, discoveredActors, hash }, () => rekey(source.claims), prepared);
    }
    return deferredSource({ key, path, meta, discoveredActors, hash }, () => ({ claims: rekey(source.claims), paragraphs: source.paragraphs }), prepared);
  }
  return { ...source, key, claims: rekey(source.claims) };
}

