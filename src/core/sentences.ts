// Sentence boundaries with exact offsets, abbreviations ("U.S.", "Mr.", "Gen.") and initials
// ("J. Smith") included.
import { isDigitCode, isSpaceCode, lowerCaseWord, supMarkEnd } from './text';
import type { Span } from './types';

/** Exported for the reference scan in tests. */
export const ABBREVIATIONS: ReadonlySet<string> = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'col', 'lt', 'maj', 'capt', 'cpt', 'sgt', 'adm', 'cmdr',
    'gov', 'sen', 'rep', 'rev', 'hon', 'pres', 'amb', 'st', 'jr', 'sr', 'messrs', 'mme', 'mlle',
    'vs', 'etc', 'e.g', 'i.e', 'cf', 'al', 'approx', 'est', 'fig', 'no', 'nos', 'vol', 'ed', 'eds',
    'p', 'pp', 'para', 'paras', 'ch', 'chap', 'sec', 'art', 'inc', 'ltd', 'co', 'corp', 'dept',
    'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
    'u.s', 'u.k', 'u.n', 'e.u', 'u.s.s.r', 'u.s.a', 'd.c', 'a.m', 'p.m', 'ph.d', 'b.c', 'a.d',
  ],
);

// Regexes of the per-sentence checks live here: a literal inside a function is a new object each call.
const LETTER_DIGIT_OR_DOT = /[\p{L}\p{N}.]/u;
const NUMBER_CHAR = /\p{N}/u;
const ONE_LETTER = /^\p{L}$/u;
const DOTTED_LETTERS = /^(\p{L}\.)+\p{L}$/u;
const LOWERCASE_LETTER = /\p{Ll}/u;

/** `/[\p{L}\p{N}.]/u` on one UTF-16 unit: ASCII by code. */
function isWordOrDotCode(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 0x80) return ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2e;
  return LETTER_DIGIT_OR_DOT.test(text[k]);
}

/** The word (letters and inner dots) that ends just before a final '.', lower-cased. */
function lastToken(text: string): string {
  let i = text.length - 1;
  while (i >= 0 && isSpaceCode(text.charCodeAt(i))) i--;
  if (i < 0 || text[i] !== '.') return '';
  let j = i - 1;
  while (j >= 0 && isWordOrDotCode(text, j)) j--;
  const token = lowerCaseWord(text.slice(j + 1, i));
  // "1980s." or "2014." end sentences; only words can be abbreviations.
  return NUMBER_CHAR.test(token) ? '' : token;
}

/** Whether a segment ends in an abbreviation or an initial (exported for the reference scan in tests). */
export function endsWithAbbreviation(segment: string): boolean {
  const token = lastToken(segment);
  if (!token) return false;
  if (ABBREVIATIONS.has(token)) return true;
  // A single capital initial ("J.") or a dotted acronym ("U.S", "N.A.T.O").
  if (ONE_LETTER.test(token)) return true;
  if (DOTTED_LETTERS.test(token)) return true;
  return false;
}

/** `/[.!?…‽]/` on one UTF-16 unit, by code (the scan below runs it on every character). */
function isTerminator(c: number): boolean {
  return c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0x203d;
}

/** `/["”’')\]»]/` on one UTF-16 unit. */
function isCloser(c: number): boolean {
  return c === 0x22 || c === 0x201d || c === 0x2019 || c === 0x27 || c === 0x29 || c === 0x5d || c === 0xbb;
}

/** Superscript digits: ⁰ ¹ ² ³ ⁴–⁹. */
function isSuperscriptDigit(c: number): boolean {
  return c === 0xb9 || c === 0xb2 || c === 0xb3 || c === 0x2070 || (c >= 0x2074 && c <= 0x2079);
}

/**
 * The end of the reference marks that follow a sentence's closing punctuation at `j` ("in
 * 2019.[12] Russia", "2019.¹", "2019.<sup>3</sup>"): numbers in brackets (`[12]`, `[3, 4]`,
 * `[5–7]`), superscript digits, `<sup>…</sup>`; `j` when there are none. Each mark is at most a
 * few dozen characters, so the scan stays linear. Exported for the reference scan in tests.
 */
export function afterReferenceMarks(text: string, j: number, to: number): number {
  while (j < to) {
    const c = text.charCodeAt(j);
    if (c === 0x5b /* [ */ && isDigitCode(text.charCodeAt(j + 1))) {
      let k = j + 1;
      const limit = Math.min(to, j + 24);
      while (k < limit) {
        const d = text.charCodeAt(k);
        if (!(isDigitCode(d) || d === 0x2c /* , */ || d === 0x20 || d === 0x2d /* - */ || d === 0x2013 /* – */)) break;
        k++;
      }
      if (k < limit && text.charCodeAt(k) === 0x5d /* ] */) {
        j = k + 1;
        continue;
      }
      return j;
    }
    if (isSuperscriptDigit(c)) {
      j++;
      continue;
    }
    const sup = c === 0x3c /* < */ ? supMarkEnd(text, j, to) : -1;
    if (sup !== -1) {
      j = sup;
      continue;
    }
    return j;
  }
  return j;
}

/** `/\p{Ll}/u` on one UTF-16 unit (a lone surrogate is not a letter). */
function isLowercaseCode(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 0x80) return c >= 0x61 && c <= 0x7a;
  return LOWERCASE_LETTER.test(text[k]);
}

/**
 * Splits `text` (or `text.slice(from, to)`) into sentences. Returned spans are offsets into
 * `text`, trimmed of surrounding white space; empty segments are dropped.
 *
 * A single linear scan: a sentence ends at terminal punctuation (with any closing quotes or
 * brackets, and reference marks such as `[12]`) followed by white space and a word that does not
 * continue the sentence, or at a blank line. This is what ICU's sentence rules do for English
 * prose, without their cost on pathological input and with abbreviations and initials handled.
 */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const out: Span[] = [];
  let start = from;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      // A blank line always ends a sentence.
      let j = i + 1;
      while (j < to && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
      if (j < to && text[j] === '\n') {
        pushTrimmed(out, text, start, i);
        while (j < to && isSpaceCode(text.charCodeAt(j))) j++;
        start = j;
        i = j;
        continue;
      }
      i++;
      continue;
    }
    if (!isTerminator(c)) {
      i++;
      continue;
    }
    const ch = text[i];
    let j = i + 1;
    while (j < to && (isTerminator(text.charCodeAt(j)) || isCloser(text.charCodeAt(j)))) j++;
    j = afterReferenceMarks(text, j, to);
    if (j < to && !isSpaceCode(text.charCodeAt(j))) {
      i = j;
      continue;
    }
    let k = j;
    while (k < to && isSpaceCode(text.charCodeAt(k))) k++;
    if (k >= to) {
      i = k;
      continue;
    }
    const continues =
      isLowercaseCode(text, k) ||
      (ch === '.' && text[j - 1] === '.' && endsWithAbbreviation(text.slice(Math.max(start, j - 48), j)) &&
        startsLikeContinuation(text.slice(Math.max(start, j - 48), j), text, { start: k, end: Math.min(to, k + 40) }));
    if (!continues) {
      pushTrimmed(out, text, start, j);
      start = k;
    }
    i = k;
  }
  pushTrimmed(out, text, start, to);
  return out;
}

/** Adds `text.slice(s, e)` trimmed of white space as a span, unless it is empty. */
function pushTrimmed(out: Span[], text: string, s: number, e: number): void {
  let a = s;
  let b = e;
  while (a < b && isSpaceCode(text.charCodeAt(a))) a++;
  while (b > a && isSpaceCode(text.charCodeAt(b - 1))) b--;
  if (b > a) out.push({ start: a, end: b });
}

const SENTENCE_STARTERS = new Set([
  'the', 'this', 'that', 'these', 'those', 'it', 'its', 'he', 'she', 'they', 'we', 'i', 'but', 'and',
  'in', 'on', 'at', 'as', 'a', 'an', 'there', 'however', 'thus', 'moreover', 'meanwhile', 'then',
  'yet', 'so', 'if', 'when', 'after', 'before', 'since', 'although', 'while',
]);

/**
 * After an abbreviation the next segment continues the sentence, except after sentence-final
 * abbreviations ("etc.", "U.S.") followed by a word that typically opens a sentence.
 */
export function startsLikeContinuation(previous: string, slice: string, next: Span): boolean {
  const head = slice.slice(next.start, Math.min(next.end, next.start + 40)).trimStart();
  const word = /^["“'‘(\[]?(\p{L}+)/u.exec(head);
  if (!word) return true;
  const token = lastToken(previous);
  const canEndSentence = token === 'etc' || token.includes('.') || token === 'al';
  if (canEndSentence && /^\p{Lu}/u.test(word[1]) && SENTENCE_STARTERS.has(word[1].toLowerCase())) return false;
  return true;
}
