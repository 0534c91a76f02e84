// Sentence boundaries with exact offsets. Intl.Segmenter finds candidate breaks; breaks after
// abbreviations ("U.S.", "Mr.", "Gen.") and initials ("J. Smith") are then undone, because
// ICU's default rules split there whenever the next word is capitalised.
import type { Span } from './types';

const ABBREVIATIONS = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'col', 'lt', 'maj', 'capt', 'cpt', 'sgt', 'adm', 'cmdr',
    'gov', 'sen', 'rep', 'rev', 'hon', 'pres', 'amb', 'st', 'jr', 'sr', 'messrs', 'mme', 'mlle',
    'vs', 'etc', 'e.g', 'i.e', 'cf', 'al', 'approx', 'est', 'fig', 'no', 'nos', 'vol', 'ed', 'eds',
    'p', 'pp', 'para', 'paras', 'ch', 'chap', 'sec', 'art', 'inc', 'ltd', 'co', 'corp', 'dept',
    'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
    'u.s', 'u.k', 'u.n', 'e.u', 'u.s.s.r', 'u.s.a', 'd.c', 'a.m', 'p.m', 'ph.d', 'b.c', 'a.d',
  ],
);

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The word (letters and inner dots) that ends just before a final '.', lower-cased. */
function lastToken(text: string): string {
  let i = text.length - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  if (i < 0 || text[i] !== '.') return '';
  let j = i - 1;
  while (j >= 0 && /[\p{L}\p{N}.]/u.test(text[j])) j--;
  const token = text.slice(j + 1, i).toLowerCase();
  // "1980s." or "2014." end sentences; only words can be abbreviations.
  return /\p{N}/u.test(token) ? '' : token;
}

function endsWithAbbreviation(segment: string): boolean {
  const token = lastToken(segment);
  if (!token) return false;
  if (ABBREVIATIONS.has(token)) return true;
  // A single capital initial ("J.") or a dotted acronym ("U.S", "N.A.T.O").
  if (/^\p{L}$/u.test(token)) return true;
  if (/^(\p{L}\.)+\p{L}$/u.test(token)) return true;
  return false;
}

/**
 * Splits `text` (or `text.slice(from, to)`) into sentences. Returned spans are offsets into
 * `text`, trimmed of surrounding white space; empty segments are dropped.
 */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const slice = text.slice(from, to);
  const raw: Span[] = [];
  for (const seg of segmenter.segment(slice)) {
    raw.push({ start: seg.index, end: seg.index + seg.segment.length });
  }
  const merged: Span[] = [];
  for (const span of raw) {
    const prev = merged[merged.length - 1];
    const previous = prev ? slice.slice(prev.start, prev.end) : '';
    if (prev && endsWithAbbreviation(previous) && startsLikeContinuation(previous, slice, span)) {
      prev.end = span.end;
    } else {
      merged.push({ ...span });
    }
  }
  const out: Span[] = [];
  for (const span of merged) {
    let s = span.start;
    let e = span.end;
    while (s < e && /\s/.test(slice[s])) s++;
    while (e > s && /\s/.test(slice[e - 1])) e--;
    if (e > s) out.push({ start: s + from, end: e + from });
  }
  return out;
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
function startsLikeContinuation(previous: string, slice: string, next: Span): boolean {
  const head = slice.slice(next.start, Math.min(next.end, next.start + 40)).trimStart();
  const word = /^["“'‘(\[]?(\p{L}+)/u.exec(head);
  if (!word) return true;
  const token = lastToken(previous);
  const canEndSentence = token === 'etc' || token.includes('.') || token === 'al';
  if (canEndSentence && /^\p{Lu}/u.test(word[1]) && SENTENCE_STARTERS.has(word[1].toLowerCase())) return false;
  return true;
}
