// Plain text from inline Markdown, with a map back to file offsets, and the small word-level
// helpers the index and the checker share.
import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import { decodeNumericCharacterReference } from 'micromark-util-decode-numeric-character-reference';
import type { Span } from './types';

/** A line of a text: `end` is before its line break (and a `\r` before that), `next` after the break. */
export interface Line {
  start: number;
  end: number;
  next: number;
}

/** The line that starts at `at`. */
export function lineAt(text: string, at: number): Line {
  const nl = text.indexOf('\n', at);
  const next = nl === -1 ? text.length : nl + 1;
  const end = nl === -1 ? text.length : nl > at && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
  return { start: at, end, next };
}

/** A space or a tab: what Markdown counts as blank within a line. */
export function isBlankCode(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** `/\s/` on one UTF-16 unit (ECMAScript white space and line terminators), by code. */
export function isSpaceCode(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

let asciiBytes: Uint8Array | undefined;
const asciiDecoder = new TextDecoder();

/**
 * `text.slice(from, to)`, as a one-byte string when it is all ASCII. A slice of a text with one
 * "’" or "€" anywhere is stored two bytes a character, and regular expressions, hashing and
 * lower-casing are markedly slower on those; most sentences of such a text need no second byte.
 * The copy goes through TextDecoder, which allocates nothing but the string.
 */
export function narrowSlice(text: string, from: number, to: number): string {
  const n = to - from;
  if (n > 0x10000) return text.slice(from, to);
  if (asciiBytes === undefined || asciiBytes.length < n) asciiBytes = new Uint8Array(Math.max(n, 1024));
  const bytes = asciiBytes;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(from + k);
    if (c >= 0x80) return text.slice(from, to);
    bytes[k] = c;
  }
  return asciiDecoder.decode(bytes.subarray(0, n));
}

let utf16Units: Uint16Array | undefined;
const utf16Decoder = new TextDecoder('utf-16le', { ignoreBOM: true });
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A copy of `text` that shares no storage with another string (one byte a character when every
 * character fits in one). A string cut from a file's text by `slice` holds the whole file text:
 * what a parsed source keeps for good must not, or each source would keep its file alive, two
 * bytes a character when the file has one "’" anywhere. Strings with a surrogate code unit are
 * returned as they are (TextDecoder would replace a lone one), as are very long ones.
 */
export function ownCopy(text: string): string {
  const n = text.length;
  if (n === 0 || n > 0x10000 || !LITTLE_ENDIAN) return text;
  if (utf16Units === undefined || utf16Units.length < n) utf16Units = new Uint16Array(Math.max(n, 1024));
  const units = utf16Units;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdfff) return text;
    units[k] = c;
  }
  return utf16Decoder.decode(units.subarray(0, n));
}

/** Plain text of a range of Markdown, and for each plain character its offset in the file. */
export interface MappedText {
  text: string;
  /** `offsets[i]` is the file offset of `text[i]`; `offsets[text.length]` is the end. */
  offsets: ArrayLike<number>;
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!$|<>~"'&%^=:;,?/@]/;
/** ESCAPABLE by character code (it has ASCII characters only). */
const ESCAPABLE_CODES = ((): Uint8Array => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = ESCAPABLE.test(String.fromCharCode(c)) ? 1 : 0;
  return table;
})();

/** Plain text and its offset map, built from runs of kept characters of `source`. */
class PlainBuilder {
  text = '';
  n = 0;
  private runStart = -1;

  constructor(
    private readonly source: string,
    readonly offsets: Int32Array,
  ) {}

  /** Ends the run of kept characters at `at`. */
  flush(at: number): void {
    if (this.runStart !== -1) {
      this.text += this.source.slice(this.runStart, at);
      this.runStart = -1;
    }
  }

  keep(at: number): void {
    if (this.runStart === -1) this.runStart = at;
    this.offsets[this.n++] = at;
  }

  put(ch: string, at: number): void {
    this.flush(at);
    this.text += ch;
    this.offsets[this.n++] = at;
  }
}

/**
 * Removes Markdown escapes (`\$230` → `$230`), emphasis markers, inline-code ticks, link targets
 * (`[text](url)` → `text`), footnote references and inline notes, inline HTML tags, comments
 * and superscript reference marks, and collapses line breaks to spaces, keeping an offset map.
 */
export function plainFromMarkdown(source: string, from: number, to: number): MappedText {
  // One preallocated offset array and text built from runs of kept characters: linear, and light
  // on the garbage collector for long inputs. Characters are compared by code.
  const out = new PlainBuilder(source, new Int32Array(to - from + 1));
  let lastWasSpace = false;
  /** The inline notes from the first one on, found when the scan reaches it; `nextNote` the first not passed. */
  let notes: Array<{ start: number; end: number }> | undefined;
  let nextNote = 0;
  let i = from;
  while (i < to) {
    const c = source.charCodeAt(i);
    if (c === 0x5c /* \ */ && i + 1 < to && isEscapable(source.charCodeAt(i + 1))) {
      out.flush(i);
      out.keep(i + 1);
      lastWasSpace = false;
      i += 2;
      continue;
    }
    // A backslash at the end of a line is a hard line break, not text.
    if (c === 0x5c /* \ */ && (source.charCodeAt(i + 1) === 0x0a || (source.charCodeAt(i + 1) === 0x0d && source.charCodeAt(i + 2) === 0x0a)) && i + 1 < to) {
      out.flush(i);
      i++;
      continue;
    }
    // An entity or numeric character reference (`&nbsp;`, `&amp;`, `&#8212;`) is the character
    // it stands for, as CommonMark reads it: "$230&nbsp;million" is 230 million dollars.
    if (c === 0x26 /* & */) {
      const end = characterReferenceEnd(source, i, to);
      if (end !== -1) {
        const decoded = decodeCharacterReference(source.slice(i + 1, end - 1));
        for (let k = 0; k < decoded.length; k++) out.put(decoded[k], i);
        lastWasSpace = decoded === ' ';
        i = end;
        continue;
      }
    }
    // An image is no text of the sentence, its description neither.
    if (c === 0x21 /* ! */ && source.charCodeAt(i + 1) === 0x5b /* [ */) {
      const end = imageEnd(source, i, to);
      if (end !== -1) {
        out.flush(i);
        // ("the chart ![…](…) for" reads "the chart for".)
        i = lastWasSpace ? afterSpaces(source, end, to) : end;
        continue;
      }
    }
    // A footnote reference (`[^1]`) or an inline note (`^[…]`) is not the sentence's text.
    if (c === 0x5b /* [ */ && source.charCodeAt(i + 1) === 0x5e /* ^ */) {
      const close = footnoteReferenceEnd(source, i, to);
      if (close !== -1) {
        out.flush(i);
        i = close;
        continue;
      }
    }
    if (c === 0x5e /* ^ */ && source.charCodeAt(i + 1) === 0x5b /* [ */ && i + 1 < to) {
      notes ??= inlineNotes(source, i, to);
      while (nextNote < notes.length && notes[nextNote].start < i) nextNote++;
      if (nextNote < notes.length && notes[nextNote].start === i) {
        out.flush(i);
        i = notes[nextNote++].end;
        continue;
      }
    }
    // Inline HTML: a tag is left out (`<br>` stands for a space), and so is a superscript
    // reference mark with its content (`<sup>1</sup>`, which would join its digits to the text).
    if (c === 0x3c /* < */) {
      const comment = commentEnd(source, i, to);
      if (comment !== -1) {
        out.flush(i);
        // ("in 2001 <!-- … --> and" reads "in 2001 and".)
        i = lastWasSpace ? afterSpaces(source, comment, to) : comment;
        continue;
      }
      const end = supMarkEnd(source, i, to);
      const tag = end === -1 ? htmlTagEnd(source, i, to) : end;
      if (tag !== -1) {
        if (end === -1 && isSpacingTag(source, i) && out.n > 0 && !lastWasSpace) {
          out.put(' ', i);
          lastWasSpace = true;
        } else out.flush(i);
        i = tag;
        continue;
      }
    }
    if (c === 0x2a /* * */ || c === 0x60 /* ` */ || c === 0x0d || (c === 0x5f /* _ */ && isEmphasisUnderscore(source, i, from, to))) {
      out.flush(i);
      i++;
      continue;
    }
    if (c === 0x5d /* ] */ && source.charCodeAt(i + 1) === 0x28 /* ( */) {
      // Skip the link destination up to the matching ')', bounded to the range, and the link's
      // Pandoc attributes after it.
      const close = source.indexOf(')', i + 2);
      if (close !== -1 && close < to && close - i < 2000 && !source.slice(i + 2, close).includes('\n\n')) {
        out.flush(i);
        i = close + 1;
        const attributes = attributesEnd(source, i, to);
        if (attributes !== -1) i = attributes;
        continue;
      }
    }
    // A bracketed span's closing bracket and attributes (`[text]{.underline}`).
    if (c === 0x5d /* ] */ && source.charCodeAt(i + 1) === 0x7b /* { */) {
      const attributes = attributesEnd(source, i + 1, to);
      if (attributes !== -1) {
        out.flush(i);
        i = attributes;
        continue;
      }
    }
    if (c === 0x5b /* [ */ && source.charCodeAt(i + 1) !== 0x40 /* @ */ && opensInlineLink(source, i, to)) {
      out.flush(i);
      i++;
      continue;
    }
    if (c === 0x0a || c === 0x09) {
      if (out.n > 0 && !lastWasSpace) {
        out.put(' ', i);
        lastWasSpace = true;
      } else out.flush(i);
      i++;
      // A line's indentation is no text (a list item's or a note's continuation lines).
      if (c === 0x0a) while (i < to && (source.charCodeAt(i) === 0x20 || source.charCodeAt(i) === 0x09)) i++;
      continue;
    }
    out.keep(i);
    lastWasSpace = c === 0x20;
    i++;
  }
  out.flush(to);
  out.offsets[out.n] = to;
  return { text: out.text, offsets: out.offsets.subarray(0, out.n + 1) };
}

/** The first offset from `i` (before `to`) that is no space: where text resumes after a dropped run that had a space before it. */
function afterSpaces(source: string, i: number, to: number): number {
  while (i < to && source.charCodeAt(i) === 0x20) i++;
  return i;
}

/**
 * The end of the footnote reference (`[^label]`, a label of up to 100 characters without white
 * space or brackets) that opens at `i`, or -1. Exported for the reference plainFromMarkdown in tests.
 */
export function footnoteReferenceEnd(source: string, i: number, to: number): number {
  const limit = Math.min(to, i + 103);
  for (let j = i + 2; j < limit; j++) {
    const c = source.charCodeAt(j);
    if (c === 0x5d /* ] */) return j > i + 2 ? j + 1 : -1;
    if (c === 0x5b /* [ */ || c === 0x5e /* ^ */ || c <= 0x20) return -1;
  }
  return -1;
}

/** An ASCII digit, by code. */
export function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAsciiLetter(c: number): boolean {
  return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
}

/**
 * The end of the inline HTML tag that opens at `i` (`<em>`, `</span>`, `<a href="…">`, `<br/>`),
 * or -1: a name of letters, digits and dashes that starts with a letter, then, after white space,
 * anything but `<` and `>` (which a quoted attribute value may hold) up to 300 characters from
 * the start. An autolink (`<https://…>`, where the name meets a colon) and `x < y` are not tags.
 * Exported for the reference plainFromMarkdown in tests, as are supMarkEnd, isSpacingTag and
 * attributesEnd.
 */
export function htmlTagEnd(source: string, i: number, to: number): number {
  const limit = Math.min(to, i + 300);
  let j = i + 1;
  if (source.charCodeAt(j) === 0x2f /* / */) j++;
  if (!isAsciiLetter(source.charCodeAt(j))) return -1;
  for (j++; j < limit; j++) {
    const c = source.charCodeAt(j);
    if (!(isAsciiLetter(c) || isDigitCode(c) || c === 0x2d)) break;
  }
  const c = source.charCodeAt(j);
  if (c === 0x3e /* > */) return j < limit ? j + 1 : -1;
  if (c === 0x2f && source.charCodeAt(j + 1) === 0x3e) return j + 1 < limit ? j + 2 : -1;
  if (!(c === 0x20 || c === 0x09 || c === 0x0a)) return -1;
  // Attributes: a quoted value may hold `>` (`title="a > b"`).
  let quote = 0;
  for (; j < limit; j++) {
    const d = source.charCodeAt(j);
    if (quote !== 0) {
      if (d === quote) quote = 0;
      continue;
    }
    if (d === 0x22 || d === 0x27) {
      if (source.charCodeAt(j - 1) === 0x3d /* = */) quote = d;
      continue;
    }
    if (d === 0x3e) return j + 1;
    if (d === 0x3c) return -1;
  }
  return -1;
}

/** The end of the HTML comment (`<!-- … -->`, up to 2,000 characters) that opens at `i`, or -1. */
export function commentEnd(source: string, i: number, to: number): number {
  if (!source.startsWith('<!--', i)) return -1;
  const limit = Math.min(to, i + 2000);
  for (let j = i + 4; j + 3 <= limit; j++) if (source.charCodeAt(j) === 0x2d && source.startsWith('-->', j)) return j + 3;
  return -1;
}

/** Whether the tag at `i` is `<br>` (`<br/>`, `<BR >`). */
function isBreakTag(source: string, i: number): boolean {
  return (source.charCodeAt(i + 1) | 0x20) === 0x62 && (source.charCodeAt(i + 2) | 0x20) === 0x72 && !isAsciiLetter(source.charCodeAt(i + 3)) && !isDigitCode(source.charCodeAt(i + 3));
}

/** HTML elements that are blocks of their own: the text on either side of their tags is not one word. */
const BLOCK_TAGS = new Set(
  'address article aside blockquote dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul'.split(' '),
);

/**
 * Whether the tag at `i` (htmlTagEnd found one) stands for a space: `<br>`, or a block
 * element's opening or closing tag (`</p><p>`, `<li>`, `</td>`), which pasted web pages hold
 * inside Markdown paragraphs ("2012.</p><p>Moscow" is two sentences).
 */
export function isSpacingTag(source: string, i: number): boolean {
  if (isBreakTag(source, i)) return true;
  let j = i + 1;
  if (source.charCodeAt(j) === 0x2f /* / */) j++;
  const from = j;
  while (j - from < 12 && (isAsciiLetter(source.charCodeAt(j)) || isDigitCode(source.charCodeAt(j)))) j++;
  return j > from && BLOCK_TAGS.has(source.slice(from, j).toLowerCase());
}

/**
 * The end of the Pandoc attributes (`{.underline}`, `{#id .class key="v"}`, `{-}`) that open at
 * `i`, or -1: what Pandoc writes after a bracketed span (`[text]{.mark}`, as Word's underline
 * and highlight become), a link or an image. One line of up to 400 characters; quoted values
 * may hold a brace.
 */
export function attributesEnd(source: string, i: number, to: number): number {
  if (source.charCodeAt(i) !== 0x7b /* { */) return -1;
  const limit = Math.min(to, i + 400);
  let j = i + 1;
  while (j < limit && source.charCodeAt(j) === 0x20) j++;
  const c = source.charCodeAt(j);
  if (!(c === 0x2e /* . */ || c === 0x23 /* # */ || c === 0x2d /* - */)) {
    // key=value
    const from = j;
    while (j < limit && (isAsciiLetter(source.charCodeAt(j)) || isDigitCode(source.charCodeAt(j)) || source.charCodeAt(j) === 0x2d || source.charCodeAt(j) === 0x5f)) j++;
    if (j === from || source.charCodeAt(j) !== 0x3d /* = */) return -1;
  }
  let quoted = false;
  for (; j < limit; j++) {
    const d = source.charCodeAt(j);
    if (d === 0x0a) return -1;
    if (d === 0x22 /* " */) quoted = !quoted;
    else if (d === 0x7d /* } */ && !quoted) return j + 1;
  }
  return -1;
}

/**
 * The end of a `<sup>…</sup>` element that holds a reference mark (`1`, `[12]`, `a`, `*`, `†`:
 * letters, digits, brackets, commas, up to eight characters once the tags in it are left out),
 * or -1.
 */
export function supMarkEnd(source: string, i: number, to: number): number {
  if ((source.charCodeAt(i + 1) | 0x20) !== 0x73 || source.slice(i + 1, i + 4).toLowerCase() !== 'sup') return -1;
  const open = htmlTagEnd(source, i, to);
  if (open === -1 || isAsciiLetter(source.charCodeAt(i + 4))) return -1;
  const limit = Math.min(to, open + 200);
  let marks = 0;
  for (let j = open; j < limit; ) {
    const c = source.charCodeAt(j);
    if (c === 0x3c) {
      if (source.slice(j, j + 6).toLowerCase() === '</sup>') return marks > 0 && marks <= 8 ? j + 6 : -1;
      const end = htmlTagEnd(source, j, to);
      if (end === -1) return -1;
      j = end;
      continue;
    }
    const mark = isAsciiLetter(c) || isDigitCode(c) || c === 0x2c || c === 0x20 || c === 0x2a || c === 0x5b || c === 0x5d || c === 0x2020 || c === 0x2021;
    if (!mark || ++marks > 8) return -1;
    j++;
  }
  return -1;
}

/**
 * The end (after the `;`) of the character reference that opens at `i` and CommonMark decodes:
 * `&` then a known entity name (`&nbsp;`), `#` and 1–7 decimal digits, or `#x` and 1–6 hex
 * digits, then `;`; else -1.
 */
export function characterReferenceEnd(source: string, i: number, to: number): number {
  let j = i + 1;
  let max = 31; // (the longest entity name is 31 characters)
  let isDigit = isAsciiAlphanumeric;
  if (source.charCodeAt(j) === 0x23 /* # */) {
    j++;
    max = 7;
    isDigit = isDigitCode;
    if ((source.charCodeAt(j) | 0x20) === 0x78 /* x */) {
      j++;
      max = 6;
      isDigit = isHexDigit;
    }
  }
  const from = j;
  const limit = Math.min(to, from + max);
  while (j < limit && isDigit(source.charCodeAt(j))) j++;
  if (j === from || j >= to || source.charCodeAt(j) !== 0x3b /* ; */) return -1;
  if (source.charCodeAt(i + 1) !== 0x23 && decodeNamedCharacterReference(source.slice(from, j)) === false) return -1;
  return j + 1;
}

/**
 * Pandoc's attributes between `from` and `to` after a bracketed span (`[never]{.mark}`, Quarto's
 * highlight), a link or an image (`[…](…){target="_blank"}`): the markup to leave out of the
 * text, from `start` (a span's `]`, else the `{`) to `end`, and where the span's `[` opens (-1
 * for a link or an image, or when no `[` is found within 400 characters before the `]`).
 */
export function attributeMarks(text: string, from: number, to: number): Array<{ open: number; start: number; end: number }> {
  const out: Array<{ open: number; start: number; end: number }> = [];
  for (let brace = text.indexOf('{', from); brace !== -1 && brace < to; brace = text.indexOf('{', brace + 1)) {
    const before = brace > from ? text.charCodeAt(brace - 1) : 0;
    if (before !== 0x5d /* ] */ && before !== 0x29 /* ) */) continue;
    const end = attributesEnd(text, brace, to);
    if (end === -1) continue;
    let open = -1;
    if (before === 0x5d) {
      for (let j = brace - 2; j >= Math.max(from, brace - 400); j--) {
        const c = text.charCodeAt(j);
        if (c === 0x5d) break;
        if (c === 0x5b /* [ */) {
          open = j;
          break;
        }
      }
    }
    // (A citation's brackets, `[@a]{.x}`, stay: only the attributes go.)
    if (open !== -1 && text.slice(open + 1, brace - 1).includes('@')) out.push({ open: -1, start: brace, end });
    else out.push({ open, start: before === 0x5d ? brace - 1 : brace, end });
    brace = end - 1;
  }
  return out;
}

/** The character references of a text (`&amp;`, `&#8212;`), in order. */
export function characterReferences(text: string): Span[] {
  const out: Span[] = [];
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    const end = characterReferenceEnd(text, i, text.length);
    if (end === -1) continue;
    out.push({ start: i, end });
    i = end - 1;
  }
  return out;
}

/** The text of a character reference that characterReferenceEnd found (`nbsp`, `#8212`, `#x2014`: without `&` and `;`). */
export function decodeCharacterReference(reference: string): string {
  if (reference.charCodeAt(0) !== 0x23) return decodeNamedCharacterReference(reference) || '';
  const hex = (reference.charCodeAt(1) | 0x20) === 0x78;
  return decodeNumericCharacterReference(reference.slice(hex ? 2 : 1), hex ? 16 : 10);
}

function isAsciiAlphanumeric(c: number): boolean {
  return isAsciiLetter(c) || isDigitCode(c);
}

function isHexDigit(c: number): boolean {
  return isDigitCode(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function isEscapable(c: number): boolean {
  return c < 0x80 && ESCAPABLE_CODES[c] === 1;
}

/**
 * `[text](url)` or `[text]{.attributes}`: a ']' followed by '(' or attributes within a bounded
 * window (keeps the scan linear). Exported for the reference plainFromMarkdown in tests, as are
 * isEmphasisUnderscore and imageEnd.
 */
export function opensInlineLink(source: string, i: number, to: number): boolean {
  const j = linkTextEnd(source, i, to);
  return j !== -1 && (source[j + 1] === '(' || (source[j + 1] === '{' && attributesEnd(source, j + 1, to) !== -1));
}

/**
 * The `]` that closes the bracket opened at `i`, within 400 characters, with no `[` before it;
 * the text may run over a line end (a hard-wrapped link), not over a blank line. Else -1.
 */
function linkTextEnd(source: string, i: number, to: number): number {
  const limit = Math.min(to, i + 400);
  for (let j = i + 1; j < limit; j++) {
    const c = source[j];
    if (c === '[') return -1;
    if (c === ']') return j;
    if (c === '\n') {
      let k = j + 1;
      while (k < limit && (source[k] === ' ' || source[k] === '\t' || source[k] === '\r')) k++;
      if (k >= limit || source[k] === '\n') return -1;
    }
  }
  return -1;
}

/** The end of the image (`![alt](src)`, with Pandoc attributes `{width="6in"}`) that opens at `i`, or -1. */
export function imageEnd(source: string, i: number, to: number): number {
  if (source.charCodeAt(i) !== 0x21 /* ! */ || source.charCodeAt(i + 1) !== 0x5b /* [ */) return -1;
  const close = linkTextEnd(source, i + 1, to);
  if (close === -1 || source.charCodeAt(close + 1) !== 0x28 /* ( */) return -1;
  const paren = source.indexOf(')', close + 2);
  if (paren === -1 || paren >= to || paren - close >= 2000 || source.slice(close + 2, paren).includes('\n\n')) return -1;
  const attributes = attributesEnd(source, paren + 1, to);
  return attributes === -1 ? paren + 1 : attributes;
}

export function isEmphasisUnderscore(source: string, i: number, from: number, to: number): boolean {
  // Intra-word underscores (snake_case) are literal in CommonMark.
  const before = i > from ? source[i - 1] : ' ';
  const after = i + 1 < to ? source[i + 1] : ' ';
  return !(/[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after));
}

/** Maps a plain-text span back to a file span. */
export function mapSpan(mapped: MappedText, start: number, end: number): { start: number; end: number } {
  const s = mapped.offsets[start];
  const e = end > start ? mapped.offsets[end - 1] + 1 : s;
  return { start: s, end: e };
}

const STOPWORDS = new Set(
  (
    'a an the and or but nor of in on at to for from by with without into onto upon over under about ' +
    'as is are was were be been being am do does did doing have has had having it its it\'s this that ' +
    'these those there their they them he him his she her hers we us our you your i me my mine not no ' +
    'so than then too very can could will would shall should may might must also just only even such ' +
    'which who whom whose what when where why how all any both each few more most other some own same ' +
    'again further once here out up down off if because while until against between through during ' +
    'before after above below s t don now said says say one two'
  ).split(/\s+/),
);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(lowerCaseWord(word));
}

/**
 * `word.toLowerCase()`, without the call for the common all-lower-case ASCII word: a word cut from
 * a sentence with any non-Latin-1 character ("’", "€") is a two-byte string, whose toLowerCase
 * goes through ICU and allocates even when nothing changes.
 */
export function lowerCaseWord(word: string): string {
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return word.toLowerCase();
  }
  return word;
}

/** A light stemmer: enough to match "withdrew"/"withdrawal"/"withdrawn" loosely is not its job. */
export function stem(word: string): string {
  let w = lowerCaseWord(word);
  if (w.length > 5 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 4 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('al')) w = w.slice(0, -2);
  return w;
}

/** A word: letters and digits, then at most one apostrophe and letters ("Russia's", "don't"). */
export const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const LETTER = /^\p{L}$/u;

/**
 * Length of the letter or digit (`letter`: letter only) at `i` in UTF-16 units (2 for an astral
 * one), 0 when there is none. ASCII by code; anything else by the regex, as WORD would.
 */
export function wordCharAt(text: string, i: number, letter: boolean): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (!letter && c >= 0x30 && c <= 0x39) ? 1 : 0;
  const re = letter ? LETTER : LETTER_OR_DIGIT;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return re.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  return re.test(text[i]) ? 1 : 0;
}

/**
 * Content terms of a text: lower-cased, stemmed, stopwords and possessive endings removed. The
 * words are those of WORD, found by a scan of character codes (the index runs this on every
 * claim; test/unit/text.test.ts compares it with the regular expression).
 */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  forEachWord(text, (w) => {
    const term = contentTermOf(w);
    if (term !== undefined) out.push(term);
  });
  return out;
}

/**
 * Calls `visit` with each word of `text` as contentTerms reads it (apostrophe endings joined, a
 * possessive 's taken off), stopwords and all.
 */
export function forEachWord(text: string, visit: (word: string) => void): void {
  let i = 0;
  while (i < text.length) {
    let n = wordCharAt(text, i, false);
    if (n === 0) {
      i++;
      continue;
    }
    const start = i;
    while (n > 0) {
      i += n;
      n = i < text.length ? wordCharAt(text, i, false) : 0;
    }
    // An apostrophe followed by letters belongs to the word.
    const a = text.charCodeAt(i);
    if ((a === 0x27 || a === 0x2019) && i + 1 < text.length && wordCharAt(text, i + 1, true) > 0) {
      let j = i + 1;
      for (let m = wordCharAt(text, j, true); m > 0; m = j < text.length ? wordCharAt(text, j, true) : 0) j += m;
      i = j;
    }
    // A possessive ending ('s, ’s; the regex /['’]s$/iu also takes S and ſ).
    const last = text.charCodeAt(i - 1);
    const before = i - start >= 2 ? text.charCodeAt(i - 2) : 0;
    visit(text.slice(start, (last === 0x73 || last === 0x53 || last === 0x17f) && (before === 0x27 || before === 0x2019) ? i - 2 : i));
  }
}

/** The content term of a word forEachWord gives: undefined for a stopword, a letter, one or two digits. */
export function contentTermOf(w: string): string | undefined {
  if (w.length < 2 || isStopword(w)) return undefined;
  if (w.length < 3 && isDigits(w)) return undefined;
  return stem(w);
}

function isDigits(w: string): boolean {
  for (let k = 0; k < w.length; k++) {
    const c = w.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return false;
  }
  return w.length > 0;
}

/** `text` without a leading byte order mark (some Windows editors write one; VS Code's decoder drops it). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A JSON object (not null, not an array): for reading data the engine did not just write. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const utf8 = new TextEncoder();

/** `hashBytes` of the text's UTF-8 bytes: a source parsed from text gets the hash of its file. */
export function hashText(text: string): string {
  return hashBytes(utf8.encode(text));
}

/**
 * Content identity for caches, a source's `hash`: MurmurHash3 (x86, 32 bits, seed 0) of the
 * bytes, as 8 hex digits, then their count in hex. It reads four bytes a step (through an
 * Int32Array view where the platform is little-endian), about six times as fast as FNV-1a's
 * byte a step on the bench's 8.5 MB of sources.
 */
export function hashBytes(bytes: Uint8Array): string {
  const n = bytes.length;
  const words = n >>> 2;
  let h = 0;
  if (LITTLE_ENDIAN && words > 0) {
    // (A view needs an aligned start: a Buffer of a small file read may sit anywhere in Node's pool.)
    const aligned = (bytes.byteOffset & 3) === 0 ? bytes : bytes.slice(0, 4 * words);
    const w = new Int32Array(aligned.buffer, aligned.byteOffset, words);
    for (let i = 0; i < words; i++) h = murmurRound(h, w[i]);
  } else {
    for (let i = 0; i < 4 * words; i += 4) h = murmurRound(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  }
  const tail = 4 * words;
  let k = 0;
  if ((n & 3) === 3) k ^= bytes[tail + 2] << 16;
  if ((n & 3) >= 2) k ^= bytes[tail + 1] << 8;
  if ((n & 3) >= 1) {
    k ^= bytes[tail];
    h ^= murmurMix(k);
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return digest(h, n);
}

function murmurMix(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

function murmurRound(h: number, word: number): number {
  h ^= murmurMix(word);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function digest(h: number, length: number): string {
  return (h >>> 0).toString(16).padStart(8, '0') + length.toString(16);
}

/** Phrases (token sequences) by their first token, each list in the given order. */
export type PhraseIndex = ReadonlyMap<string, readonly string[][]>;

export function indexPhrases(phrases: readonly string[][]): PhraseIndex {
  const byFirst = new Map<string, string[][]>();
  for (const p of phrases) {
    const list = byFirst.get(p[0]);
    if (list) list.push(p);
    else byFirst.set(p[0], [p]);
  }
  return byFirst;
}

/** Index terms are stems cut to six letters: "withdrew", "withdrawal" and "withdrawn" meet. */
export function indexTerms(text: string): string[] {
  const terms = contentTerms(text);
  for (let i = 0; i < terms.length; i++) terms[i] = indexTermOf(terms[i]);
  return terms;
}

/** The index term of a content term: its first six characters. */
export function indexTermOf(term: string): string {
  return term.length > 6 ? term.slice(0, 6) : term;
}

/**
 * Pandoc's inline notes (`^[A note, citing @golts2012 [para. 2].]`) between `from` and `to`: the
 * outermost ones, from the caret to the closing bracket, brackets balanced and backslash escapes
 * skipped. One pass with a stack of open brackets; a note left open is none (a note inside it
 * still is one).
 */
export function inlineNotes(text: string, from = 0, to: number = text.length): Array<{ start: number; end: number }> {
  const closed: Array<{ start: number; end: number }> = [];
  /** Positions of the open brackets; a note's is stored as -(position + 1). */
  const open: number[] = [];
  /** Where the last caret that is not escaped stands (none: not just before any position). */
  let caret = -2;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++;
    } else if (c === 94 /* ^ */) {
      caret = i;
    } else if (c === 91 /* [ */) {
      open.push(caret === i - 1 ? -(i + 1) : i);
    } else if (c === 93 /* ] */ && open.length > 0) {
      const at = open.pop() as number;
      if (at < 0) closed.push({ start: -at - 2, end: i + 1 });
    }
  }
  // Inner notes close before the notes around them: in order of start, a note inside the last
  // one kept is left out.
  closed.sort((a, b) => a.start - b.start);
  const notes: Array<{ start: number; end: number }> = [];
  for (const note of closed) if (notes.length === 0 || note.start >= notes[notes.length - 1].end) notes.push(note);
  return notes;
}
