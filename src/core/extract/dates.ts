// Dates and years in one plain sentence. Works on a token stream (one linear regex pass), so no
// pattern can backtrack; each rule looks a bounded number of tokens ahead.
//
// This module also hosts the tokenizer and the small lexicons that numbers.ts shares, because
// numbers.ts must agree with it on what is a year (numbers.ts excludes every date span).

import { isDigitCode, isSpaceCode, lowerCaseWord } from '../text';
import { lookupTable } from './table';
import type { DateMention } from '../types';

export type TokenKind = 'num' | 'word' | 'sym';

export interface Token {
  text: string;
  /** Lower-case text. */
  lower: string;
  kind: TokenKind;
  start: number;
  end: number;
}

// Numbers: digits with optional thousands groups (exactly three digits each) and decimals.
// Words: letters joined by single hyphens or apostrophes. Everything else: one code point, except
// symbols no rule looks at (double quotation marks, "@", markup characters), which are skipped so
// that they cost no allocation. That is the regular expression
//   /\d+(?:,\d{3}(?!\d))*(?:\.\d+)?|[A-Za-z\u00C0-\u024F]+(?:['’\-‐‑][A-Za-z\u00C0-\u024F]+)*|[^\s"“”„«»@*_~^&=<>|\\{}`]/gu
// read by a scan of character codes (test/unit/parseEquivalence.test.ts compares the two): the
// tokenizer runs on every sentence, and each regex match allocated a match array.

/** What an ASCII character is to the tokenizer (digits are tested by code). */
const ASCII_LETTER = 1;
const ASCII_SKIPPED = 2;
const ASCII_CLASS = ((): Uint8Array => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z]/.test(ch)) table[c] = ASCII_LETTER;
    else if (/[\s"@*_~^&=<>|\\{}`]/.test(ch)) table[c] = ASCII_SKIPPED;
  }
  return table;
})();

/** `[A-Za-z\u00C0-\u024F]` on one UTF-16 unit. */
function isWordLetter(c: number): boolean {
  return c < 0x80 ? ASCII_CLASS[c] === ASCII_LETTER : c >= 0xc0 && c <= 0x24f;
}

/** Apostrophes and hyphens that join two runs of letters into one word. */
function isWordJoiner(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x2d || c === 0x2010 || c === 0x2011;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    let kind: TokenKind;
    if (isDigitCode(c)) {
      kind = 'num';
      i++;
      while (i < n && isDigitCode(text.charCodeAt(i))) i++;
      // Thousands groups: ",ddd" not followed by another digit.
      while (
        i + 3 < n && text.charCodeAt(i) === 0x2c && isDigitCode(text.charCodeAt(i + 1)) && isDigitCode(text.charCodeAt(i + 2)) &&
        isDigitCode(text.charCodeAt(i + 3)) && !(i + 4 < n && isDigitCode(text.charCodeAt(i + 4)))
      ) {
        i += 4;
      }
      if (i + 1 < n && text.charCodeAt(i) === 0x2e && isDigitCode(text.charCodeAt(i + 1))) {
        i += 2;
        while (i < n && isDigitCode(text.charCodeAt(i))) i++;
      }
    } else if (isWordLetter(c)) {
      kind = 'word';
      i++;
      for (;;) {
        while (i < n && isWordLetter(text.charCodeAt(i))) i++;
        if (i + 1 < n && isWordJoiner(text.charCodeAt(i)) && isWordLetter(text.charCodeAt(i + 1))) i++;
        else break;
      }
    } else {
      if (c < 0x80 ? ASCII_CLASS[c] === ASCII_SKIPPED : isSpaceCode(c) || c === 0x201c || c === 0x201d || c === 0x201e || c === 0xab || c === 0xbb) {
        i++;
        continue;
      }
      kind = 'sym';
      // One code point: a surrogate pair is one symbol.
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    }
    const t = text.slice(start, i);
    // Only words need lower-casing (and symbols outside ASCII would take the slow ICU path).
    tokens.push({ text: t, lower: kind === 'word' ? lowerCaseWord(t) : t, kind, start, end: i });
  }
  return tokens;
}

/** True when `b` starts exactly where `a` ends (no space between). */
export function adjacent(a: Token | undefined, b: Token | undefined): boolean {
  return a !== undefined && b !== undefined && a.end === b.start;
}

const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];
const MONTH_ABBREVIATIONS = lookupTable<number>({
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
});
/**
 * Both as Maps for monthOf, which runs several times per token: a Map finds a fresh token string
 * faster than a scan of MONTH_NAMES or a lookupTable object.
 */
const MONTH_BY_NAME = new Map(MONTH_NAMES.map((name, k) => [name, k + 1]));
const MONTH_BY_ABBREVIATION = new Map(Object.entries(MONTH_ABBREVIATIONS));

/** `/^[A-Z]/` on a first code unit. */
function isCapitalAscii(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

/** Month number (1–12) of a capitalised month name, or of an abbreviation when `allowAbbreviation`. */
export function monthOf(token: Token | undefined, allowAbbreviation = false): number | undefined {
  if (!token || token.kind !== 'word') return undefined;
  if (!isCapitalAscii(token.text.charCodeAt(0))) return undefined; // month names are capitalised in prose
  const full = MONTH_BY_NAME.get(token.lower);
  if (full !== undefined) return full;
  return allowAbbreviation ? MONTH_BY_ABBREVIATION.get(token.lower) : undefined;
}

/**
 * Nouns counted by a number; a four-digit number followed by one of them is a quantity, not a
 * year ("2000 troops"). Shared with numbers.ts, which also uses it to find the unit of a count.
 */
export const COUNT_NOUNS = new Set([
  'troops', 'troop', 'soldiers', 'soldier', 'servicemen', 'serviceman', 'personnel', 'officers',
  'people', 'persons', 'person', 'civilians', 'protesters', 'protestors', 'refugees', 'migrants',
  'casualties', 'deaths', 'dead', 'victims', 'prisoners', 'fighters', 'militants', 'insurgents',
  'police', 'policemen', 'staff', 'employees', 'workers', 'members', 'delegates', 'votes', 'voters',
  'residents', 'inhabitants', 'citizens', 'children', 'men', 'women', 'families', 'households',
  'students', 'observers', 'peacekeepers', 'advisers', 'advisors', 'diplomats', 'officials',
  'tanks', 'aircraft', 'planes', 'jets', 'helicopters', 'ships', 'vessels', 'missiles', 'warheads',
  'vehicles', 'weapons', 'rifles', 'bases', 'units', 'battalions', 'brigades', 'divisions',
  'countries', 'states', 'nations', 'cities', 'villages', 'towns', 'kilometers', 'kilometres',
  'miles', 'km', 'meters', 'metres', 'tons', 'tonnes', 'barrels', 'hectares', 'acres', 'kg',
]);

/** Words before a four-digit number that make it a year ("in 1999", "since 2001"). */
const YEAR_CUES = new Set([
  'in', 'since', 'by', 'until', 'till', 'from', 'during', 'before', 'after', 'of', 'through',
  'circa', 'c', 'throughout', 'around', 'to', 'between', 'and', 'year', 'early', 'late', 'mid',
  'spring', 'summer', 'autumn', 'fall', 'winter', 'end', 'beginning', 'start', 'middle',
]);
/** Words before a bare month that make it a date ("in December", "last December"). */
const MONTH_CUES = new Set([
  'in', 'since', 'by', 'until', 'till', 'from', 'during', 'before', 'after', 'of', 'through',
  'last', 'next', 'this', 'early', 'late', 'mid', 'throughout', 'between', 'and', 'to', 'that',
]);
const CURRENCY_SYMBOLS = new Set(['$', '€', '£', '¥', '₽', '₹']);
const SCALE_AFTER = new Set(['million', 'billion', 'trillion', 'thousand', 'hundred', 'bn', 'mn', 'percent', '%', 'per']);

const SMALL_NUMBERS = lookupTable<number>({
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50,
});
const TIME_UNITS: Record<string, 'day' | 'week' | 'month' | 'year' | 'decade'> = {
  day: 'day', days: 'day', week: 'week', weeks: 'week', month: 'month', months: 'month',
  year: 'year', years: 'year', decade: 'decade', decades: 'decade',
};

interface YMD {
  year: number;
  month?: number;
  day?: number;
}

/** The last article date parsed: every sentence of a source asks for the same one. */
let lastArticleDate: { date: string | undefined; ymd: YMD | undefined } | undefined;

function parseArticleDate(date: string | undefined): YMD | undefined {
  if (lastArticleDate?.date !== date || lastArticleDate === undefined) lastArticleDate = { date, ymd: readArticleDate(date) };
  return lastArticleDate.ymd;
}

/** An article date (YYYY-MM-DD, YYYY-MM or YYYY) as year, month and day, as far as it gives them. */
export function readArticleDate(date: string | undefined): { year: number; month?: number; day?: number } | undefined {
  if (!date) return undefined;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : undefined;
  const day = m[3] ? Number(m[3]) : undefined;
  if (month !== undefined && (month < 1 || month > 12)) return { year };
  return { year, month, day: month !== undefined ? day : undefined };
}

function addDays(d: YMD, days: number): YMD {
  const t = new Date(Date.UTC(d.year, (d.month ?? 1) - 1, d.day ?? 1));
  t.setUTCDate(t.getUTCDate() + days);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function addMonths(d: YMD, months: number): YMD {
  const index = d.year * 12 + ((d.month ?? 1) - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/**
 * Whether `text` is `min` to `max` ASCII digits and nothing else: `/^\d{min,max}$/.test(text)`
 * without a RegExp object per call (a regex literal in a function makes one each time it runs).
 */
export function isPlainDigits(text: string, min: number, max: number): boolean {
  if (text.length < min || text.length > max) return false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function isDayNumber(t: Token | undefined): boolean {
  if (!t || t.kind !== 'num' || !isPlainDigits(t.text, 1, 2)) return false;
  const n = Number(t.text);
  return n >= 1 && n <= 31;
}

function isFourDigit(t: Token | undefined): t is Token {
  return t !== undefined && t.kind === 'num' && isPlainDigits(t.text, 4, 4);
}

const ORDINAL_SUFFIX = new Set(['st', 'nd', 'rd', 'th']);

/** Index after a day number and its optional ordinal suffix ("16", "16th"), or -1. */
function dayEnd(tokens: Token[], i: number): number {
  if (!isDayNumber(tokens[i])) return -1;
  const next = tokens[i + 1];
  if (next && adjacent(tokens[i], next) && ORDINAL_SUFFIX.has(next.lower)) return i + 2;
  if (next && adjacent(tokens[i], next) && (next.kind === 'word' || next.kind === 'num')) return -1;
  return i + 1;
}

function isStandaloneNumber(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  // Glued to letters or digits on either side ("A2012", "2012x", "1,2012"): not a year.
  if (prev && adjacent(prev, t) && (prev.kind === 'word' || prev.kind === 'num' || prev.text === '.' || prev.text === ',')) {
    return false;
  }
  if (next && adjacent(t, next) && (next.kind === 'num' || (next.kind === 'word' && next.lower !== 's'))) return false;
  if (next && adjacent(t, next) && (next.text === '.' || next.text === ',') && tokens[i + 2]?.kind === 'num' && adjacent(next, tokens[i + 2])) {
    return false;
  }
  return true;
}

/**
 * Whether the four-digit number at `i` is a year. Quantity signals win ("$2000", "2000 troops",
 * "2000%"), then year cues ("in 2000", "the 2014 elections"), then a plural noun after it
 * ("2000 protesters"); otherwise a number from 1900 to 2100 standing alone is a year.
 */
export function isYearAt(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (!isFourDigit(t) || !isStandaloneNumber(tokens, i)) return false;
  const value = Number(t.text);
  if (value < 1000 || value > 2100) return false;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (prev && (CURRENCY_SYMBOLS.has(prev.text) || CURRENCY_CODES_FOR_YEARS.has(prev.text))) return false;
  if (next && (SCALE_AFTER.has(next.lower) || next.text === '+')) return false;
  if (next && next.kind === 'word' && COUNT_NOUNS.has(next.lower) && !adjacent(t, next)) return false;
  if (next && (next.text === '-' || next.text === '‐') && tokens[i + 2]?.lower === 'fold') return false;
  const prevWord = prev && prev.kind === 'word' ? prev.lower : undefined;
  if (prevWord && YEAR_CUES.has(prevWord)) return true;
  if (prev && (prev.text === '-' || prev.text === '–' || prev.text === '—') && isFourDigit(tokens[i - 2])) return true;
  if (prevWord === 'the' || (prevWord !== undefined && POSSESSIVE_END.test(prevWord)) || monthOf(prev, true) !== undefined) return true;
  if (next && next.kind === 'word' && LOWER_PLURAL.test(next.text) && !NOT_PLURAL_END.test(next.text) && !NON_NOUN_S.has(next.lower)) {
    return false;
  }
  return value >= 1900;
}

// Regexes of per-token rules live here: a literal inside a function is a new object each call.
const POSSESSIVE_END = /['’]s$/;
const LOWER_PLURAL = /^[a-z]+s$/;
const NOT_PLURAL_END = /(ss|us|is)$/;
const CURRENCY_CODES_FOR_YEARS = new Set(['USD', 'EUR', 'GBP', 'RUB', 'CNY', 'JPY', 'KZT', 'KGS', 'UZS', 'TJS', 'INR', 'CHF']);
const NON_NOUN_S = new Set(['was', 'has', 'is', 'as', 'its', 'this', 'thus', 'always', 'perhaps', 'towards', 'afterwards', 'whereas', 'besides', 'sometimes', 'ends', 'begins', 'saw', 'seems', 'marks', 'remains', 'brings', 'sees', 'does', 'goes']);

/**
 * Dates and years mentioned in `text`, with offsets into it. Bare months ("in December") and
 * relative phrases ("two weeks ago", "last year") need `articleDate` (YYYY-MM-DD, or YYYY-MM /
 * YYYY with less precision) and are reported only when it is given; they are marked approximate
 * (and relative for the phrases). Phrases relative to another event ("a few days later"),
 * "recently" and "within months" are not reported.
 */
export function extractDates(text: string, articleDate?: string): DateMention[] {
  return extractDatesFromTokens(text, tokenize(text), articleDate);
}

/** `extractDates` over tokens already produced by `tokenize(text)` (numbers.ts reuses them). */
export function extractDatesFromTokens(text: string, tokens: Token[], articleDate?: string): DateMention[] {
  return scanDates(text, tokens, articleDate, true);
}

/** A month named without a year or day ("in December"), which extractDates reports only with an article date. */
export interface BareMonth {
  start: number;
  end: number;
  text: string;
  /** 1–12. */
  month: number;
}

/** Words before a bare month that make it the month of an event, not relative to the writer's present ("last December" is). */
const BARE_MONTH_CUES = new Set([...MONTH_CUES].filter((cue) => cue !== 'last' && cue !== 'next' && cue !== 'this'));
/** The cues that make "May" and "March" months, not a name or a verb ("a speech by May", "to March on"). */
const STRONG_MONTH_CUES = new Set(['in', 'since', 'until', 'till', 'during', 'early', 'late', 'mid', 'throughout']);

/**
 * Months named without a year or a day in `text` ("the summit in November"), where no article
 * date resolves them (a memo's sentences): a capitalised full month name after a cue word
 * ("in", "since", "by", "until"…), outside every date that `dates` (extractDates(text)) gives.
 * A month before a capitalised word is taken for a name ("in June Carter's words").
 */
export function bareMonths(text: string, dates: readonly DateMention[], tokens: Token[] = tokenize(text)): BareMonth[] {
  const out: BareMonth[] = [];
  // (The dates come in text order: one pointer walks them.)
  let d = 0;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    const month = monthOf(t);
    if (month === undefined) continue;
    const cue = tokens[i - 1];
    if (cue.kind !== 'word' || !(month === 3 || month === 5 ? STRONG_MONTH_CUES : BARE_MONTH_CUES).has(cue.lower)) continue;
    const next = tokens[i + 1];
    if (next && (next.kind === 'num' || (next.kind === 'word' && isCapitalAscii(next.text.charCodeAt(0))))) continue;
    while (d < dates.length && dates[d].end <= t.start) d++;
    if (d < dates.length && dates[d].start < t.end) continue;
    out.push({ start: t.start, end: t.end, text: t.text, month });
  }
  return out;
}

/** The name of month `month` (1–12), capitalised. */
export function monthName(month: number): string {
  const name = MONTH_NAMES[month - 1];
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The dates `extractDatesFromTokens(text, tokens)` gives without an article date, from those it
 * gave with `articleDate`. Only the rules that need the article date report relative phrases or
 * approximate dates with a month (decades and "early 2012" have none), and none of them consumes
 * a token that could start a date of its own; so dropping those mentions is exact, and
 * numbers.ts need not scan the sentence a second time.
 */
export function datesWithoutArticleDate(dates: DateMention[], articleDate?: string): DateMention[] {
  if (dates.length === 0 || parseArticleDate(articleDate) === undefined || !dates.some(isAnchored)) return dates;
  return dates.filter((d) => !isAnchored(d));
}

/** A mention only the article date gives: a relative phrase or an approximate date with a month. */
function isAnchored(d: DateMention): boolean {
  return d.relative === true || (d.approximate === true && d.month !== undefined);
}

/** `extractDates` without the `mayStartDate` gate: the reference the gate is tested against. */
export function extractDatesUngated(text: string, articleDate?: string): DateMention[] {
  return scanDates(text, tokenize(text), articleDate, false);
}

function scanDates(text: string, tokens: Token[], articleDate: string | undefined, gated: boolean): DateMention[] {
  const anchor = parseArticleDate(articleDate);
  const sink = new DateSink(text);

  let i = 0;
  while (i < tokens.length) {
    if (gated && !mayStartDate(tokens, i, anchor !== undefined)) {
      i++;
      continue;
    }
    const consumed = matchAt(tokens, i, anchor, sink);
    i = consumed > i ? consumed : i + 1;
  }
  return sink.out;
}

/** Collects the mentions of one text (a class, not a closure per call: cheaper to create). */
class DateSink {
  readonly out: DateMention[] = [];

  constructor(private readonly text: string) {}

  push(from: Token, to: Token, d: YMD, flags: { relative?: boolean; approximate?: boolean } = {}): void {
    const start = from.start;
    const end = to.end;
    const text = this.text.slice(start, end);
    const { year, month, day } = d;
    // The usual shapes as literals: a property added to an object after its literal goes to a
    // separate property array, one more object per mention for the index to keep.
    let mention: DateMention;
    if (month === undefined) mention = { start, end, text, year };
    else if (day === undefined) mention = { start, end, text, year, month };
    else mention = { start, end, text, year, month, day };
    if (month === undefined && day !== undefined) mention.day = day;
    if (flags.relative) mention.relative = true;
    if (flags.approximate) mention.approximate = true;
    this.out.push(mention);
  }
}

/**
 * Words that open a relative phrase in matchRelative ("last year", "yesterday", "a few days ago").
 * A Set: looking fresh token strings up in a lookupTable object costs about twice as much.
 */
const RELATIVE_STARTERS = new Set(['yesterday', 'today', 'tomorrow', 'last', 'this', 'next', 'several', 'few', ...Object.keys(SMALL_NUMBERS)]);

/**
 * False only where matchAt certainly matches nothing: every rule starts at a number, a
 * capitalised month, a quotation mark before a decade ("’90s") or, with an article date, a word
 * that opens a relative phrase (see mayStartRelative).
 */
function mayStartDate(tokens: Token[], i: number, anchored: boolean): boolean {
  const t = tokens[i];
  if (t.kind === 'num') return true;
  if (t.kind === 'sym') return t.text === "'" || t.text === '’' || t.text === '‘';
  if (monthOf(t, true) !== undefined) return true;
  return anchored && RELATIVE_STARTERS.has(t.lower) && mayStartRelative(tokens, i);
}

/**
 * Whether matchRelative may match at a word of RELATIVE_STARTERS: "yesterday" and the like,
 * "last"/"this"/"next" before "year", "month" or "week", or a count whose phrase ends in "ago"
 * within four tokens ("two weeks ago", "a couple of days ago"). Most starters are "a", "an",
 * "this" and "one" in other roles.
 */
function mayStartRelative(tokens: Token[], i: number): boolean {
  const w = tokens[i].lower;
  if (w === 'yesterday' || w === 'today' || w === 'tomorrow') return true;
  if (w === 'last' || w === 'this' || w === 'next') {
    const unit = tokens[i + 1]?.lower;
    if (unit === 'year' || unit === 'month' || unit === 'week') return true;
  }
  return tokens[i + 2]?.lower === 'ago' || tokens[i + 3]?.lower === 'ago' || tokens[i + 4]?.lower === 'ago';
}

/** Tries every date form at token `i`; returns the index after the match, or `i` when none. */
function matchAt(tokens: Token[], i: number, anchor: YMD | undefined, sink: DateSink): number {
  const t = tokens[i];

  // ISO date: 2012-07-16. ("2001-02" is left to the year rules: a range of years.)
  if (isFourDigit(t) && isStandaloneNumber(tokens, i)) {
    const [d1, mm, d2, dd] = [tokens[i + 1], tokens[i + 2], tokens[i + 3], tokens[i + 4]];
    if (d1?.text === '-' && d2?.text === '-' && adjacent(t, d1) && adjacent(d1, mm) && adjacent(mm, d2) && adjacent(d2, dd)
      && isPlainDigits(mm.text, 2, 2) && isPlainDigits(dd.text, 2, 2)) {
      const month = Number(mm.text);
      const day = Number(dd.text);
      if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
        sink.push(t, dd, { year: Number(t.text), month, day });
        return i + 5;
      }
    }
  }

  // Month first: "July 16, 2012", "July 16", "December 2011", "December of 2011", "December".
  const month = monthOf(t, true);
  if (month !== undefined) {
    const isAbbreviation = monthOf(t, false) === undefined;
    let j = i + 1;
    if (isAbbreviation && tokens[j]?.text === '.' && adjacent(t, tokens[j])) j++;
    const dEnd = dayEnd(tokens, j);
    if (dEnd > 0) {
      const day = Number(tokens[j].text);
      let k = dEnd;
      if (tokens[k]?.text === ',') k++;
      if (isFourDigit(tokens[k]) && isStandaloneNumber(tokens, k)) {
        sink.push(t, tokens[k], { year: Number(tokens[k].text), month, day });
        return k + 1;
      }
      if (anchor) {
        sink.push(t, tokens[dEnd - 1], { year: latestYear(anchor, month, day), month, day }, { approximate: true });
        return dEnd;
      }
      return dEnd;
    }
    let k = j;
    if (tokens[k]?.lower === 'of') k++;
    if (tokens[k]?.text === ',') k++;
    if (isFourDigit(tokens[k]) && isStandaloneNumber(tokens, k)) {
      sink.push(t, tokens[k], { year: Number(tokens[k].text), month });
      return k + 1;
    }
    if (!isAbbreviation && anchor?.month !== undefined) {
      const prev = tokens[i - 1];
      const cue = prev?.kind === 'word' ? prev.lower : undefined;
      const ambiguous = month === 5 || month === 3; // "May" the modal, "March" the verb
      if (cue === 'last' || cue === 'next' || cue === 'this') {
        const year = cue === 'this' ? anchor.year
          : cue === 'next' ? (month > anchor.month ? anchor.year : anchor.year + 1)
            : (month < anchor.month ? anchor.year : anchor.year - 1);
        sink.push(prev, t, { year, month }, { relative: true, approximate: true });
        return i + 1;
      }
      const cued = cue !== undefined && MONTH_CUES.has(cue);
      // Without a cue, a capitalised word after it suggests a name ("June Carter", "August Bebel").
      const nameLike = tokens[i + 1]?.kind === 'word' && isCapitalAscii(tokens[i + 1].text.charCodeAt(0));
      if (cued || (!ambiguous && !nameLike)) {
        sink.push(t, t, { year: latestYear(anchor, month), month }, { approximate: true });
        return i + 1;
      }
    }
    return i + 1;
  }

  // Day first: "16 July 2012", "16th of July", "16 July".
  const dEnd = dayEnd(tokens, i);
  if (dEnd > 0) {
    let j = dEnd;
    if (tokens[j]?.lower === 'of') j++;
    const m = monthOf(tokens[j], true);
    if (m !== undefined && (j === dEnd || dEnd - 1 > i)) { // "16th of July", not "16 of July"
      let k = j + 1;
      if (monthOf(tokens[j], false) === undefined && tokens[k]?.text === '.') k++;
      if (tokens[k]?.text === ',') k++;
      const day = Number(t.text);
      if (isFourDigit(tokens[k]) && isStandaloneNumber(tokens, k)) {
        sink.push(t, tokens[k], { year: Number(tokens[k].text), month: m, day });
        return k + 1;
      }
      if (anchor) sink.push(t, tokens[j], { year: latestYear(anchor, m, day), month: m, day }, { approximate: true });
      return j + 1;
    }
  }

  // Decades: "1990s", "the late 1980s", "mid-1990s", "'90s".
  if (isFourDigit(t) && t.text.endsWith('0') && tokens[i + 1]?.lower === 's' && adjacent(t, tokens[i + 1])) {
    const after = tokens[i + 2];
    if (!(after && adjacent(tokens[i + 1], after) && after.kind !== 'sym')) {
      const year = Number(t.text);
      if (year >= 1000 && year <= 2100) {
        const from = modifierBefore(tokens, i) ?? t;
        sink.push(from, tokens[i + 1], { year }, { approximate: true });
        return i + 2;
      }
    }
  }
  if ((t.text === "'" || t.text === '’' || t.text === '‘') && tokens[i + 1]?.kind === 'num' && isPlainDigits(tokens[i + 1].text, 2, 2) && tokens[i + 1].text.endsWith('0')
    && adjacent(t, tokens[i + 1]) && tokens[i + 2]?.lower === 's' && adjacent(tokens[i + 1], tokens[i + 2])) {
    const prev = tokens[i - 1];
    if (!prev || !adjacent(prev, t) || prev.kind === 'sym') {
      const from = modifierBefore(tokens, i) ?? t;
      sink.push(from, tokens[i + 2], { year: 1900 + Number(tokens[i + 1].text) }, { approximate: true });
      return i + 3;
    }
  }

  // Years: "in 1999", "2014", "early 2012", "1999–2001", "2001-02".
  if (isYearAt(tokens, i)) {
    const modifier = modifierBefore(tokens, i);
    const year = Number(t.text);
    sink.push(modifier ?? t, t, { year }, modifier ? { approximate: true } : {});
    const dash = tokens[i + 1];
    const second = tokens[i + 2];
    if (dash && (dash.text === '-' || dash.text === '–') && adjacent(t, dash) && second && adjacent(dash, second)
      && second.kind === 'num' && isPlainDigits(second.text, 2, 2) && !(tokens[i + 3] && adjacent(second, tokens[i + 3]) && tokens[i + 3].kind !== 'sym')) {
      const y2 = Math.floor(year / 100) * 100 + Number(second.text);
      if (y2 > year) {
        sink.push(second, second, { year: y2 });
        return i + 3;
      }
    }
    return i + 1;
  }

  if (anchor) return matchRelative(tokens, i, anchor, sink);
  return i;
}

/** "early"/"late"/"mid" (or "mid-") just before token `i`, to include in the span. */
function modifierBefore(tokens: Token[], i: number): Token | undefined {
  const prev = tokens[i - 1];
  if (prev?.kind === 'word' && (prev.lower === 'early' || prev.lower === 'late' || prev.lower === 'mid')) return prev;
  if (prev && (prev.text === '-' || prev.text === '‐') && adjacent(prev, tokens[i]) && tokens[i - 2]?.lower === 'mid' && adjacent(tokens[i - 2], prev)) {
    return tokens[i - 2];
  }
  return undefined;
}

/** The latest year in which month/day falls on or before the anchor date. */
function latestYear(anchor: YMD, month: number, day?: number): number {
  if (anchor.month === undefined) return anchor.year;
  if (month < anchor.month) return anchor.year;
  if (month > anchor.month) return anchor.year - 1;
  return day === undefined || anchor.day === undefined || day <= anchor.day ? anchor.year : anchor.year - 1;
}

/** Flags of relative phrases; shared (push only reads them), not allocated per token. */
const RELATIVE: { relative?: boolean; approximate?: boolean } = Object.freeze({ relative: true, approximate: true });

function matchRelative(tokens: Token[], i: number, anchor: YMD, sink: DateSink): number {
  const t = tokens[i];
  const relative = RELATIVE;
  const hasDay = anchor.month !== undefined && anchor.day !== undefined;

  if (t.lower === 'yesterday' || t.lower === 'today' || t.lower === 'tomorrow') {
    const delta = t.lower === 'yesterday' ? -1 : t.lower === 'today' ? 0 : 1;
    sink.push(t, t, hasDay ? addDays(anchor, delta) : { year: anchor.year }, relative);
    return i + 1;
  }

  // "last year", "this month", "next week".
  if ((t.lower === 'last' || t.lower === 'this' || t.lower === 'next') && tokens[i + 1]?.kind === 'word') {
    const unit = tokens[i + 1].lower;
    const delta = t.lower === 'this' ? 0 : t.lower === 'next' ? 1 : -1;
    if (unit === 'year') {
      sink.push(t, tokens[i + 1], { year: anchor.year + delta }, relative);
      return i + 2;
    }
    if (unit === 'month' && anchor.month !== undefined) {
      sink.push(t, tokens[i + 1], addMonths(anchor, delta), relative);
      return i + 2;
    }
    if (unit === 'week') {
      const d = hasDay ? addDays(anchor, 7 * delta) : { year: anchor.year };
      sink.push(t, tokens[i + 1], { year: d.year, month: d.month }, relative);
      return i + 2;
    }
  }

  // "two weeks ago", "a year ago", "3 months ago", "a few days ago".
  let j = i;
  let count: number | undefined;
  let vague = false;
  if (t.kind === 'num' && isPlainDigits(t.text, 1, 3)) {
    count = Number(t.text);
    j = i + 1;
  } else if (t.kind === 'word' && SMALL_NUMBERS[t.lower] !== undefined) {
    count = SMALL_NUMBERS[t.lower];
    j = i + 1;
    if ((t.lower === 'a' || t.lower === 'an') && (tokens[j]?.lower === 'few' || tokens[j]?.lower === 'couple')) {
      vague = true;
      count = tokens[j].lower === 'few' ? 3 : 2;
      j++;
      if (tokens[j]?.lower === 'of') j++;
    }
  } else if (t.lower === 'several' || t.lower === 'few') {
    count = 3;
    vague = true;
    j = i + 1;
  }
  if (count !== undefined && tokens[j]?.kind === 'word' && TIME_UNITS[tokens[j].lower] && tokens[j + 1]?.lower === 'ago') {
    const unit = TIME_UNITS[tokens[j].lower];
    const end = tokens[j + 1];
    let d: YMD;
    if (unit === 'day' || unit === 'week') {
      d = hasDay ? addDays(anchor, -(unit === 'week' ? 7 : 1) * count) : { year: anchor.year };
      if (vague) d = { year: d.year, month: d.month };
    } else if (unit === 'month') {
      d = anchor.month !== undefined ? addMonths(anchor, -count) : { year: anchor.year };
      if (vague) d = { year: d.year };
    } else {
      d = { year: anchor.year - count * (unit === 'decade' ? 10 : 1) };
    }
    sink.push(t, end, d, relative);
    return j + 2;
  }
  return i;
}

/**
 * The years of `dates`, each once, in order of first mention. With `exactOnly`, decades and other
 * approximate dates (bare months, relative phrases) are left out.
 */
export function yearsOf(dates: DateMention[], options: { exactOnly?: boolean } = {}): number[] {
  const years: number[] = [];
  for (const d of dates) {
    if (options.exactOnly && d.approximate) continue;
    if (!years.includes(d.year)) years.push(d.year);
  }
  return years;
}
