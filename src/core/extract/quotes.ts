// Quotations in one plain sentence and who said them. One pass over the characters pairs the
// quotation marks; the speaker comes from the words around each quotation (a reporting verb and
// its subject, "according to X", or "…," he said).

import type { QuoteSpan } from '../types';
import { tokenize, type Token } from './dates';

type MarkKind = 'straight' | 'curly' | 'guillemet' | 'single';

interface RawQuote {
  /** Offset of the opening mark, or -1 when the quotation began in an earlier sentence. */
  open: number;
  /** Offset of the closing mark, or text.length when it closes in a later sentence. */
  close: number;
  closed: boolean;
}

const REPORTING_VERBS = new Set([
  'said', 'says', 'say', 'told', 'tells', 'stated', 'states', 'declared', 'declares', 'warned', 'warns',
  'noted', 'notes', 'argued', 'argues', 'added', 'adds', 'explained', 'explains', 'insisted', 'insists',
  'claimed', 'claims', 'asserted', 'asserts', 'wrote', 'writes', 'announced', 'announces', 'remarked',
  'remarks', 'observed', 'observes', 'stressed', 'stresses', 'emphasized', 'emphasised', 'emphasizes',
  'emphasises', 'acknowledged', 'acknowledges', 'admitted', 'admits', 'replied', 'replies', 'responded',
  'responds', 'asked', 'asks', 'quipped', 'quips', 'conceded', 'concedes', 'recalled', 'recalls',
  'suggested', 'suggests', 'complained', 'complains', 'vowed', 'vows', 'predicted', 'predicts',
  'concluded', 'concludes', 'continued', 'continues', 'maintained', 'maintains', 'contended', 'contends',
  'confirmed', 'confirms', 'proclaimed', 'proclaims', 'tweeted', 'wrote', 'mused', 'muses',
]);
const PRONOUNS = new Set(['he', 'she', 'they', 'it', 'we', 'i']);
/** Words at the end of a subject that belong to the verb ("Karimov has also said"). */
const AUXILIARIES = new Set([
  'has', 'have', 'had', 'also', 'then', 'later', 'once', 'again', 'later', 'reportedly', 'allegedly',
  'recently', 'publicly', 'privately', 'frankly', 'bluntly', 'simply', 'flatly', 'repeatedly', 'often',
  'never', 'always', 'once', 'would', 'will', 'did', 'does', 'do', 'could', 'may', 'might', 'even', 'just',
]);
/** Words that open a clause: the subject of a reporting verb starts after the last of them. */
const CLAUSE_OPENERS = new Set([
  'that', 'which', 'who', 'when', 'while', 'because', 'although', 'though', 'if', 'as', 'where', 'but',
  'yet', 'so', 'however', 'whereas', 'since', 'after', 'before', 'until', 'then', 'thus', 'meanwhile',
]);
/** Words that cannot be part of a speaker's name ("X" is what Karimov said). */
const NOT_IN_SPEAKER = new Set(['is', 'was', 'are', 'were', 'be', 'been', 'what', 'which', 'that', 'to', 'this', 'these', 'not']);
const DETERMINERS = new Set(['a', 'an', 'the', 'his', 'her', 'their', 'its', 'our', 'one', 'some', 'another', 'this', 'that']);
const MAX_SPEAKER_WORDS = 10;

// The regexes live here, not in the functions: a literal inside a function is a new object each call.
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SPACE = /\s/;
const BEFORE_SINGLE_OPEN = /[([{\u2014\u2013"“«-]/;
const ELIDED_DECADE = /^\d0s/;
const AFTER_SINGLE_CLOSE = /[,.;:!?)\]\u2014\u2013"”»]/;
const SPACES = /\s+/;
const CONNECTIVE_MARKS = /[\s,;]/g;
const INITIAL = /^[A-Z]$/;
const TITLE_ABBREVIATION = /^(Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sen|Rep|Gov|Pres|Prof|St|Jr|Sr)$/;
const BOUNDARY_MARK = /^[,;:!?()[\]\u2014\u2013"“”«»]$/;
const ADVERB = /^[a-z]+ly$/;
const LEADING_MARK = /^[,.;:!?\u2014\u2013-]$/;
const CAPITALISED = /^[A-Z]/;

const isLetterOrDigit = (c: string | undefined): boolean => c !== undefined && LETTER_OR_DIGIT.test(c);
const isSpace = (c: string | undefined): boolean => c === undefined || SPACE.test(c);

function isSingleOpen(text: string, k: number): boolean {
  const prev = text[k - 1];
  if (!(k === 0 || isSpace(prev) || BEFORE_SINGLE_OPEN.test(prev))) return false;
  if (!isLetterOrDigit(text[k + 1])) return false;
  return !ELIDED_DECADE.test(text.slice(k + 1, k + 4)); // "‘90s" is an elided century
}

function isSingleClose(text: string, k: number): boolean {
  const next = text[k + 1];
  if (isSpace(text[k - 1])) return false;
  return next === undefined || isSpace(next) || AFTER_SINGLE_CLOSE.test(next);
}

interface ScanResult {
  /** Quotations with words (a letter or digit) between their marks. */
  quotes: RawQuote[];
  /** The kind of a quotation still open at the end of the text. */
  openAtEnd?: MarkKind;
}

// Quotation marks by character code.
const QUOTE = 0x22; // "
const LEFT_DOUBLE = 0x201c; // “
const RIGHT_DOUBLE = 0x201d; // ”
const LOW_DOUBLE = 0x201e; // „
const LEFT_GUILLEMET = 0xab; // «
const RIGHT_GUILLEMET = 0xbb; // »
const LEFT_SINGLE = 0x2018; // ‘
const RIGHT_SINGLE = 0x2019; // ’

/**
 * Pairs quotation marks in one linear pass; `inside` says a quotation is already open at 0.
 * Characters are compared by code (a one-character string per character cost more than the rest).
 */
function scan(text: string, inside?: MarkKind): ScanResult {
  const quotes: RawQuote[] = [];
  let kind: MarkKind | undefined = inside;
  let open = inside ? -1 : 0;
  let depth = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    let closes = false;
    if (kind === undefined) {
      if (c === QUOTE) kind = 'straight';
      else if (c === LEFT_DOUBLE || c === LOW_DOUBLE) kind = 'curly';
      else if (c === LEFT_GUILLEMET) kind = 'guillemet';
      else if (c === LEFT_SINGLE && isSingleOpen(text, k)) kind = 'single';
      if (kind !== undefined) open = k;
    } else if (kind === 'straight') {
      closes = c === QUOTE || c === RIGHT_DOUBLE;
    } else if (kind === 'curly') {
      if (c === LEFT_DOUBLE) depth++;
      else if (c === RIGHT_DOUBLE || (c === QUOTE && depth === 0)) {
        if (depth > 0) depth--;
        else closes = true;
      }
    } else if (kind === 'guillemet') {
      closes = c === RIGHT_GUILLEMET;
    } else if (c === RIGHT_SINGLE && isSingleClose(text, k)) {
      closes = true;
    } else if (c === QUOTE || c === LEFT_DOUBLE || c === RIGHT_DOUBLE) {
      // A double mark inside a single-quoted stretch: the ‘ was not a quotation after all.
      kind = undefined;
      k--;
    }
    if (closes) {
      // Marks around no words ("" or a run of marks) are no quotation: they are not kept, so a
      // text of marks allocates nothing per pair.
      if (hasWords(text, open, k)) quotes.push({ open, close: k, closed: true });
      kind = undefined;
      depth = 0;
    }
  }
  if (kind !== undefined && kind !== 'single') {
    if (hasWords(text, open, text.length)) quotes.push({ open, close: text.length, closed: false });
    return { quotes, openAtEnd: kind };
  }
  return { quotes };
}

export interface QuoteContext {
  /** The sentences just before this one in the same paragraph, oldest first. */
  previousSentences?: string[];
}

/**
 * Quotations in `text` (plain sentence text): spans inside straight, typographic (“ ”), guillemet
 * or clearly quoting single typographic (‘ ’) marks, without the marks and without a trailing
 * comma that belongs to the sentence. `speaker` is set when the sentence says who spoke ("a
 * senior Russian official explained …: “…,” he said, “…”"; "according to X"; "…," said X), with
 * "he said" resolved to a subject named in the sentence, else left as the pronoun; short
 * unattributed quotations (scare quotes such as a "competitor") have no speaker. A quotation that
 * began in `context.previousSentences` and continues here is reported from the start of `text`,
 * with the speaker found there.
 */
export function extractQuotes(text: string, context: QuoteContext = {}): QuoteSpan[] {
  let inside: MarkKind | undefined;
  let inherited: string | undefined;
  // Only an opening mark starts a quotation (here or in an earlier sentence that runs on):
  // without one anywhere there is nothing to find, and most sentences have none.
  if (!hasOpeningMark(text) && !(context.previousSentences?.some(hasOpeningMark) ?? false)) return [];
  const previous = context.previousSentences?.filter((s) => s.length > 0) ?? [];
  if (previous.length) {
    const prevText = previous.join(' ');
    const prevScan = scan(prevText);
    if (prevScan.openAtEnd) {
      inside = prevScan.openAtEnd;
      const prevSpeakers = speakersOf(prevText, prevScan.quotes);
      inherited = prevSpeakers[prevSpeakers.length - 1];
    }
  }
  const quotes = scan(text, inside).quotes;
  const speakers = speakersOf(text, quotes);
  const out: QuoteSpan[] = [];
  quotes.forEach((q, i) => {
    let start = q.open + 1;
    let end = q.close;
    while (start < end && isSpace(text[start])) start++;
    while (end > start && (isSpace(text[end - 1]) || text[end - 1] === ',')) end--;
    const span: QuoteSpan = { start, end, text: text.slice(start, end) };
    let speaker = speakers[i];
    if (inherited !== undefined && (speaker === undefined || PRONOUNS.has(speaker.toLowerCase()))) {
      // The quotation continues one opened earlier, or "he added" refers back to its speaker.
      if (q.open === -1 || speaker !== undefined) speaker = inherited;
    }
    if (speaker !== undefined) span.speaker = speaker;
    out.push(span);
  });
  return out;
}

/** Whether `text` has a character `scan` may open a quotation at. */
export function hasOpeningMark(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === QUOTE || c === LEFT_DOUBLE || c === LOW_DOUBLE || c === LEFT_GUILLEMET || c === LEFT_SINGLE) return true;
  }
  return false;
}

/** Whether there is a letter or digit between a quotation's marks. */
function hasWords(text: string, open: number, close: number): boolean {
  for (let k = open + 1; k < close; k++) if (isLetterOrDigit(text[k])) return true;
  return false;
}

/** Text that introduces the quotation after it ("Karimov said:"). */
const LEAD_IN_END = /:\s*$/;
/** A quotation that ends with a full stop ends its sentence. */
const ENDS_SENTENCE = /\.\s*$/;

/** Only this much text around a quotation is searched for its speaker. */
const SPEAKER_WINDOW = 400;

/** The speaker of each quotation (undefined where the sentence does not say). */
function speakersOf(text: string, quotes: RawQuote[]): Array<string | undefined> {
  const speakers: Array<string | undefined> = [];
  for (let i = 0; i < quotes.length; i++) {
    const q = quotes[i];
    const words = text.slice(q.open + 1, q.close).split(SPACES).filter((w) => LETTER_OR_DIGIT.test(w)).length;
    const before = q.open >= 0 ? segmentBefore(text, quotes, i) : '';
    // (Not the text after it when that is the next quotation's lead-in, 'Y said: "…"', or when the
    // quotation ended its sentence, '"… allies." Y said'.)
    const after = q.closed ? segmentAfter(text, quotes, i) : '';
    const leadsNext = i + 1 < quotes.length && LEAD_IN_END.test(after);
    let speaker = q.closed && !leadsNext && !ENDS_SENTENCE.test(text.slice(q.open + 1, q.close)) ? attributionAtStart(after) : undefined;
    if (speaker === undefined && i > 0) speaker = attributionAtStart(before);
    if (speaker === undefined && q.open >= 0) speaker = leadInSpeaker(before, words <= 2);
    if (speaker === undefined && i > 0 && isConnective(before)) speaker = speakers[i - 1];
    speakers.push(speaker);
  }
  // "he said": the pronoun stands for a subject the sentence names.
  if (speakers.some((s) => s !== undefined && PRONOUNS.has(s.toLowerCase()))) {
    const named = speakers.find((s) => s !== undefined && !PRONOUNS.has(s.toLowerCase()))
      ?? (quotes.length && quotes[0].open >= 0 ? leadInSpeaker(segmentBefore(text, quotes, 0), false) : undefined);
    if (named !== undefined && !PRONOUNS.has(named.toLowerCase())) {
      for (let i = 0; i < speakers.length; i++) {
        const s = speakers[i];
        if (s !== undefined && PRONOUNS.has(s.toLowerCase())) speakers[i] = named;
      }
    }
  }
  return speakers;
}

/** The text before quotation `i`, back to the previous quotation, at most SPEAKER_WINDOW long. */
function segmentBefore(text: string, quotes: RawQuote[], i: number): string {
  const end = Math.max(0, quotes[i].open);
  return text.slice(Math.max(i === 0 ? 0 : quotes[i - 1].close + 1, end - SPEAKER_WINDOW), end);
}

/** The text after quotation `i`, up to the next quotation, at most SPEAKER_WINDOW long. */
function segmentAfter(text: string, quotes: RawQuote[], i: number): string {
  const start = quotes[i].close + 1;
  return text.slice(start, Math.min(i + 1 < quotes.length ? quotes[i + 1].open : text.length, start + SPEAKER_WINDOW));
}

/** Only commas, spaces and "and"/"or" between two quotations ("X" and "Y"): the same speaker. */
function isConnective(segment: string): boolean {
  if (segment.length > 12) return false;
  const word = segment.replace(CONNECTIVE_MARKS, '').toLowerCase();
  return word === '' || word === 'and' || word === 'or';
}

function isBoundary(tokens: Token[], k: number): boolean {
  const t = tokens[k];
  if (t.kind !== 'sym') return false;
  if (t.text === '.') {
    // "U.S.", "Gen." inside a name are not boundaries.
    const prev = tokens[k - 1];
    return !(prev && prev.end === t.start && (INITIAL.test(prev.text) || TITLE_ABBREVIATION.test(prev.text)));
  }
  return BOUNDARY_MARK.test(t.text) || (t.text === '-' && tokens[k + 1]?.start !== t.end);
}

function slice(text: string, tokens: Token[], from: number, to: number): string {
  return text.slice(tokens[from].start, tokens[to].end);
}

/** Trims auxiliaries and adverbs after a subject; undefined when nothing name-like remains. */
function cleanSubject(text: string, tokens: Token[], from: number, to: number): string | undefined {
  while (to >= from && tokens[to].kind === 'word' && (AUXILIARIES.has(tokens[to].lower) || ADVERB.test(tokens[to].text))) to--;
  while (from <= to && tokens[from].kind === 'word' && (tokens[from].lower === 'and' || tokens[from].lower === 'but')) from++;
  if (to < from) return undefined;
  let words = 0;
  for (let k = from; k <= to; k++) {
    if (tokens[k].kind !== 'word') continue;
    words++;
    if (NOT_IN_SPEAKER.has(tokens[k].lower) || REPORTING_VERBS.has(tokens[k].lower)) return undefined;
  }
  if (words === 0 || words > MAX_SPEAKER_WORDS) return undefined;
  return slice(text, tokens, from, to);
}

/**
 * An attribution that opens the text after a quotation: "…," he said; "…," said Karimov;
 * "…," Karimov told reporters; "…," according to officials.
 */
function attributionAtStart(segment: string): string | undefined {
  const tokens = tokenize(segment);
  let k = 0;
  while (k < tokens.length && tokens[k].kind === 'sym' && LEADING_MARK.test(tokens[k].text)) k++;
  let end = k;
  while (end < tokens.length && !isBoundary(tokens, end)) end++;
  if (end === k) return undefined;
  if (tokens[k].lower === 'according' && tokens[k + 1]?.lower === 'to' && end > k + 2) {
    return cleanSubject(segment, tokens, k + 2, end - 1);
  }
  for (let v = k; v < end && v <= k + MAX_SPEAKER_WORDS; v++) {
    if (!(tokens[v].kind === 'word' && REPORTING_VERBS.has(tokens[v].text))) continue;
    if (v === k) {
      // Inversion: said Karimov / said the official.
      const first = tokens[v + 1];
      if (!first || v + 1 >= end) return undefined;
      const nameLike = CAPITALISED.test(first.text) || DETERMINERS.has(first.lower) || PRONOUNS.has(first.lower);
      return nameLike ? cleanSubject(segment, tokens, v + 1, end - 1) : undefined;
    }
    return cleanSubject(segment, tokens, k, v - 1);
  }
  return undefined;
}

/**
 * The speaker named before a quotation: the subject of the last reporting verb ("a senior
 * Russian official explained Moscow's position frankly:") or "according to X". With `sameClause`
 * (short quotations), the verb must be in the quotation's own clause, so a scare quote further on
 * is not attributed.
 */
function leadInSpeaker(segment: string, sameClause: boolean): string | undefined {
  const tokens = tokenize(segment);
  for (let v = tokens.length - 1; v >= 0; v--) {
    const t = tokens[v];
    if (sameClause && isBoundary(tokens, v) && v < tokens.length - 1) return undefined;
    if (t.kind !== 'word') continue;
    if (t.lower === 'according' && tokens[v + 1]?.lower === 'to') {
      let end = v + 2;
      while (end < tokens.length && !isBoundary(tokens, end)) end++;
      return end > v + 2 ? cleanSubject(segment, tokens, v + 2, end - 1) : undefined;
    }
    if (!REPORTING_VERBS.has(t.text)) continue;
    let last = v - 1;
    // "Gen. Nikolai Bordyuzha, the CSTO secretary general, declared": the name before the apposition.
    if (tokens[last]?.text === ',') {
      let comma = last - 1;
      while (comma >= 0 && !isBoundary(tokens, comma)) comma--;
      if (comma < 0 || tokens[comma].text !== ',' || last - comma > MAX_SPEAKER_WORDS) return undefined;
      last = comma - 1;
    }
    let from = last;
    while (from >= 0 && !isBoundary(tokens, from) && !(tokens[from].kind === 'word' && CLAUSE_OPENERS.has(tokens[from].lower))) from--;
    return last >= from + 1 ? cleanSubject(segment, tokens, from + 1, last) : undefined;
  }
  return undefined;
}
