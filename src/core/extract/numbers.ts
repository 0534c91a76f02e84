// Quantities in one plain sentence: amounts of money, percentages, multipliers, counts with their
// unit noun. Years, dates, ordinals, references ("para. 2", "Article 5") and pronoun "one" are not
// quantities. The scanner walks the token stream of dates.ts once; every rule looks a bounded
// number of tokens ahead, so the whole pass is linear in the length of the text.

import { indexPhrases, type PhraseIndex } from '../text';
import { lookupTable } from './table';
import type { DateMention, NumberMention } from '../types';
import { COUNT_NOUNS, adjacent, extractDatesFromTokens, isPlainDigits, monthOf, tokenize, type Token } from './dates';

const UNITS_1_TO_9 = lookupTable<number>({
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
});
const TEENS = lookupTable<number>({
  zero: 0, ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19,
});
const TENS = lookupTable<number>({
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
});
const BIG_SCALES = lookupTable<number>({ thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 });
/** Scales written right after the digits or after a space: "5bn", "3 mln". */
const ABBREVIATED_SCALES = lookupTable<number>({ bn: 1e9, mn: 1e6, mln: 1e6, tn: 1e12, trn: 1e12 });
/** Scales only read as such glued to an amount of money: "$5m", "€20k", "$3b". */
const MONEY_SCALES = lookupTable<number>({ m: 1e6, k: 1e3, b: 1e9, bn: 1e9, mn: 1e6, mln: 1e6, tn: 1e12 });
/** "hundreds of", "thousands of": the magnitude of a vague plural. */
const PLURAL_SCALES = lookupTable<number>({
  dozens: 12, tens: 10, hundreds: 100, thousands: 1e3, millions: 1e6, billions: 1e9, trillions: 1e12,
});

const CURRENCY_SYMBOLS = lookupTable<string>({ $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₽': 'RUB', '₹': 'INR' });
const CURRENCY_CODES = new Set(['USD', 'EUR', 'GBP', 'RUB', 'CNY', 'JPY', 'KZT', 'KGS', 'UZS', 'TJS', 'INR', 'CHF', 'UAH', 'TRY']);
const CURRENCY_WORDS = lookupTable<string>({
  dollar: 'USD', dollars: 'USD', euro: 'EUR', euros: 'EUR', pound: 'GBP', pounds: 'GBP',
  ruble: 'RUB', rubles: 'RUB', rouble: 'RUB', roubles: 'RUB', yuan: 'CNY', renminbi: 'CNY', yen: 'JPY',
  tenge: 'KZT', somoni: 'TJS', rupee: 'INR', rupees: 'INR', hryvnia: 'UAH', hryvnias: 'UAH', lira: 'TRY',
});

const MULTIPLIER_VERBS = lookupTable<number>({
  doubled: 2, doubling: 2, tripled: 3, tripling: 3, trebled: 3, quadrupled: 4, quadrupling: 4,
  halved: 0.5, halving: 0.5,
});
const COMPARATIVES = new Set([
  'as', 'more', 'less', 'higher', 'lower', 'larger', 'smaller', 'greater', 'bigger', 'the', 'over',
  'faster', 'longer', 'stronger', 'cheaper', 'richer', 'poorer', 'fewer',
]);

/** Qualifiers before a number that make it approximate, longest first. */
const QUALIFIERS: string[][] = [
  ['as', 'many', 'as'], ['as', 'much', 'as'], ['as', 'few', 'as'], ['as', 'little', 'as'],
  ['more', 'than'], ['less', 'than'], ['fewer', 'than'], ['up', 'to'], ['at', 'least'], ['at', 'most'],
  ['close', 'to'], ['just', 'over'], ['just', 'under'], ['well', 'over'], ['upwards', 'of'], ['an', 'estimated'],
  ['some'], ['about'], ['around'], ['nearly'], ['almost'], ['roughly'], ['approximately'], ['approx'],
  ['over'], ['under'], ['circa'], ['estimated'], ['perhaps'], ['maybe'],
];
/**
 * QUALIFIERS grouped by first word, in list order: matchQualifier runs at every token, and only the
 * qualifiers starting with that token's word can match (so the first match is the same).
 */
const QUALIFIERS_BY_FIRST: PhraseIndex = indexPhrases(QUALIFIERS);

/** Units glued to digits or written after them that are not count nouns. */
const MEASURE_UNITS = new Set([
  'km', 'kilometers', 'kilometres', 'kilometer', 'kilometre', 'mi', 'miles', 'mile', 'm', 'meters',
  'metres', 'meter', 'metre', 'kg', 'kilograms', 'kilogram', 't', 'tons', 'tonnes', 'ton', 'tonne',
  'barrels', 'bcm', 'ha', 'hectares', 'acres', 'mw', 'gw', 'kw', 'kwh', 'mwh', 'twh', 'bpd',
]);
const TIME_UNITS = new Set([
  'second', 'seconds', 'minute', 'minutes', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'month',
  'months', 'year', 'years', 'decade', 'decades', 'century', 'centuries',
]);
/** Hyphenated unit words accepted after a spelled number ("a ten-year lease"). */
const SPELLED_HYPHEN_UNITS = new Set([
  ...TIME_UNITS, 'member', 'nation', 'country', 'state', 'seat', 'mile', 'kilometer', 'kilometre', 'point', 'man',
  'percent',
]);
/** Adjectives that may stand between a number and its count noun ("300 Russian soldiers"). */
const COUNT_MODIFIERS = new Set([
  'new', 'more', 'additional', 'other', 'foreign', 'armed', 'military', 'civilian', 'local', 'unarmed',
  'peaceful', 'regular', 'active', 'combat', 'innocent', 'elite', 'special', 'senior', 'junior', 'young',
  'extra', 'further', 'former', 'ordinary', 'heavy', 'light', 'nuclear', 'western', 'international',
]);
/** Function words and verbs that are never the unit noun of a count. */
const NOT_UNITS = new Set([
  'a', 'an', 'the', 'of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'without', 'and', 'or', 'but',
  'nor', 'as', 'than', 'that', 'this', 'these', 'those', 'which', 'who', 'whom', 'whose', 'what', 'is', 'are',
  'was', 'were', 'be', 'been', 'being', 'has', 'have', 'had', 'do', 'does', 'did', 'will', 'would', 'can',
  'could', 'may', 'might', 'must', 'shall', 'should', 'it', 'its', 'they', 'them', 'their', 'he', 'she', 'his',
  'her', 'we', 'our', 'you', 'your', 'i', 'me', 'my', 'us', 'there', 'here', 'so', 'if', 'then', 'when',
  'while', 'after', 'before', 'since', 'until', 'into', 'onto', 'over', 'under', 'about', 'per', 'each',
  'every', 'all', 'both', 'either', 'neither', 'not', 'no', 'more', 'less', 'most', 'least', 'also', 'only',
  'even', 'just', 'again', 'ago', 'later', 'earlier', 'apart', 'away', 'back', 'out', 'up', 'down', 'across',
  'always', 'perhaps', 'towards', 'afterwards', 'whereas', 'besides', 'sometimes', 'thus', 'yes', 'less',
  'percent', 'cent', 'others', 'ones', 'yet', 'via', 'against', 'among', 'between', 'during', 'within',
  'or', 'so', 'such', 'because', 'although', 'though', 'where', 'how', 'why', 'says', 'seems', 'goes',
]);
/** Words before a number that make it a reference, not a quantity ("para. 2", "Article 5"). */
const REFERENCE_WORDS = new Set([
  'para', 'paras', 'paragraph', 'paragraphs', 'p', 'pp', 'page', 'pages', 'section', 'sec', 'sections',
  'chapter', 'ch', 'chap', 'article', 'art', 'articles', 'resolution', 'resolutions', 'no', 'nos', 'number',
  'vol', 'volume', 'fig', 'figure', 'table', 'footnote', 'note', 'fn', 'n', 'item', 'clause', 'rule', 'part',
  'annex', 'appendix', 'step', 'line', 'lines', 'verse', 'amendment', 'protocol', 'version', 'phase',
]);
/** Words before a bare "one" that make it a pronoun or a determiner ("no one", "the one"). */
const ONE_BLOCKERS = new Set([
  'no', 'the', 'this', 'that', 'each', 'any', 'every', 'which', 'another', 'some', 'a', 'one',
  'someone', 'anyone', 'everyone', 'such', 'last', 'first', 'next', 'same', 'little', 'right', 'wrong',
]);

type QualifierKind = 'about' | 'atLeast' | 'atMost' | 'nearly' | 'vague';

/** What the scanner learned about a mention beyond NumberMention, for range propagation. */
interface Parsed {
  first: number;
  last: number; // index of the last token, inclusive
  value: number;
  scale: number;
  unit?: string;
  currency?: string;
  approximate: boolean;
}

interface Core {
  value: number;
  scale: number;
  next: number;
  unit?: string;
  approximate?: boolean;
  /** No unit noun search after it (the unit is part of the core, or "one" needs one). */
  done?: boolean;
  /** A bare "one": reported only with a unit after it. */
  bareOne?: boolean;
  /** Token of the digits or first number word, for the exclusion checks. */
  head: number;
}

/**
 * Quantities in `text` (plain sentence text), with offsets into it. `text` of each mention spans
 * the qualifier, currency, number, scale and unit as written ("about 300 soldiers", "$230 million").
 */
export function extractNumbers(text: string): NumberMention[] {
  return extractNumbersFromTokens(text, tokenize(text));
}

/**
 * `extractNumbers(text)` and `extractDates(text)` from one tokenization, the dates found once (the
 * numbers leave them out): what a caller that needs both would otherwise do twice.
 */
export function extractFigures(text: string): { numbers: NumberMention[]; dates: DateMention[] } {
  const tokens = tokenize(text);
  const dates = extractDatesFromTokens(text, tokens);
  return { numbers: extractNumbersFromTokens(text, tokens, dates), dates };
}

/** `extractNumbers` over tokens already produced by dates.ts' `tokenize(text)` (parseSource shares them). */
export function extractNumbersFromTokens(text: string, tokens: Token[], dates?: DateMention[]): NumberMention[] {
  return scanNumbers(text, tokens, true, dates);
}

/** `extractNumbers` without the `mayStartNumber` gate: the reference the gate is tested against. */
export function extractNumbersUngated(text: string): NumberMention[] {
  return scanNumbers(text, tokenize(text), false);
}

/** `dates`: `extractDatesFromTokens(text, tokens)` (without an article date), when the caller has them. */
function scanNumbers(text: string, tokens: Token[], gated: boolean, dates?: DateMention[]): NumberMention[] {
  const excluded = excludedTokens(text, tokens, dates);
  const parsed: Parsed[] = [];
  let i = 0;
  while (i < tokens.length) {
    const p = excluded[i] || (gated && !mayStartNumber(tokens, i)) ? undefined : parseAt(tokens, i, excluded);
    if (p) {
      parsed.push(p);
      i = p.last + 1;
    } else {
      i++;
    }
  }
  propagateRanges(tokens, parsed);
  return parsed.map((p) => {
    const start = tokens[p.first].start;
    const end = tokens[p.last].end;
    const t = text.slice(start, end);
    const unit = p.currency ?? p.unit;
    // One object literal per shape: a property added to an object after its literal goes to a
    // separate property array, one more object per mention for the index to keep.
    if (unit === undefined) return p.approximate ? { start, end, text: t, value: p.value, approximate: true } : { start, end, text: t, value: p.value };
    return p.approximate ? { start, end, text: t, value: p.value, unit, approximate: true } : { start, end, text: t, value: p.value, unit };
  });
}

/**
 * Lower-case words that can begin a quantity (see parseAt and parseCore): qualifiers, "a"/"an"
 * before a scale, vague leads, "half", plural scales, multipliers and cardinals.
 */
const WORD_STARTERS = new Set<string>([
  'a', 'an', 'several', 'many', 'few', 'half',
  ...Object.keys(PLURAL_SCALES), ...Object.keys(MULTIPLIER_VERBS),
  ...Object.keys(UNITS_1_TO_9), ...Object.keys(TEENS), ...Object.keys(TENS),
]);
const NUMBER_STARTERS = new Set<string>([...QUALIFIERS_BY_FIRST.keys(), ...WORD_STARTERS]);
/** First words of qualifiers that start no quantity otherwise ("about", "at"): parseCore reads none. */
const QUALIFIER_ONLY_STARTERS = new Set([...QUALIFIERS_BY_FIRST.keys()].filter((w) => !WORD_STARTERS.has(w)));

/**
 * False only where parseAt certainly finds nothing, so most tokens skip its dozen lookups: a
 * quantity starts with digits, a currency symbol or code, or a word of NUMBER_STARTERS, a
 * "-fold" word or a hyphenated word ("ten-year"). Two frequent kinds of starter are looked at
 * more closely: the first word of a qualifier starts a quantity only with the whole qualifier
 * ("at least 300"), and "a"/"an" only before "few", "estimated", "$" ("A$5") or a scale word
 * ("a hundred").
 */
function mayStartNumber(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (t.kind === 'num') return true;
  if (t.kind === 'sym') return CURRENCY_SYMBOLS[t.text] !== undefined;
  if (QUALIFIER_ONLY_STARTERS.has(t.lower)) return matchQualifier(tokens, i) !== undefined;
  if (t.lower === 'a' || t.lower === 'an') {
    const next = tokens[i + 1];
    return next !== undefined && (next.lower === 'few' || next.lower === 'estimated' || next.text === '$' || isScaleWordAt(tokens, i + 1));
  }
  return (
    NUMBER_STARTERS.has(t.lower) ||
    (t.text.length === 3 && CURRENCY_CODES.has(t.text)) || // every code is three letters
    t.text === 'US' ||
    t.text === 'C' ||
    t.lower.endsWith('fold') ||
    hasHyphen(t.lower)
  );
}

/** Tokens that are part of a date, a citation or a footnote reference. */
function excludedTokens(text: string, tokens: Token[], known?: DateMention[]): readonly boolean[] {
  // Every date rule without an article date needs a number token, and a citation needs a '[':
  // skip both scans when the sentence has neither (most sentences have no digits).
  const dates = known ?? (hasNumberToken(tokens) ? extractDatesFromTokens(text, tokens) : []);
  const citations = text.includes('[') ? citationBrackets(text) : [];
  // Nothing excluded: readers only test `excluded[k]`, which is undefined (falsy) here.
  if (dates.length === 0 && citations.length === 0) return NOTHING_EXCLUDED;
  const excluded = new Array<boolean>(tokens.length).fill(false);
  // Dates come in order of their start already, as a rule: then there is nothing to merge or sort.
  const spans: ReadonlyArray<{ start: number; end: number }> =
    citations.length === 0 && isSortedByStart(dates) ? dates : [...dates, ...citations].sort((a, b) => a.start - b.start);
  let s = 0;
  for (let k = 0; k < tokens.length; k++) {
    while (s < spans.length && spans[s].end <= tokens[k].start) s++;
    // Spans may overlap; look a few ahead (bounded) for one that covers the token.
    for (let u = s; u < spans.length && u < s + 4; u++) {
      if (spans[u].start <= tokens[k].start && tokens[k].start < spans[u].end) excluded[k] = true;
    }
  }
  return excluded;
}

const NOTHING_EXCLUDED: readonly boolean[] = Object.freeze([]);

function isSortedByStart(spans: ReadonlyArray<{ start: number }>): boolean {
  for (let k = 1; k < spans.length; k++) if (spans[k - 1].start > spans[k].start) return false;
  return true;
}

function hasNumberToken(tokens: Token[]): boolean {
  for (let k = 0; k < tokens.length; k++) if (tokens[k].kind === 'num') return true;
  return false;
}

/** `[@key, para. 2]`, `[see @a; @b]`, `[^1]`, `[para. 3]`: brackets that cite, found in one pass. */
function citationBrackets(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let open = -1;
  let cites = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === '[') {
      open = k;
      cites = text[k + 1] === '^' || /^(?:p|pp|para|paras|paragraph|page|ch|chapter|sec|section|§)\.?\s*\d/i.test(text.slice(k + 1, k + 16));
    } else if (c === '@' && open >= 0) {
      cites = true;
    } else if (c === ']' && open >= 0) {
      if (cites) out.push({ start: open, end: k + 1 });
      open = -1;
    }
  }
  return out;
}

function matchQualifier(tokens: Token[], i: number): { kind: QualifierKind; length: number } | undefined {
  const first = tokens[i];
  const candidates = first === undefined ? undefined : QUALIFIERS_BY_FIRST.get(first.lower);
  if (candidates === undefined) return undefined;
  for (const q of candidates) {
    let ok = true;
    for (let k = 0; k < q.length && ok; k++) ok = tokens[i + k]?.lower === q[k];
    if (ok) return { kind: QUALIFIER_KINDS.get(q) as QualifierKind, length: q.length };
  }
  return undefined;
}

/** The kind of each of QUALIFIERS, worked out once. */
const QUALIFIER_KINDS = new Map<readonly string[], QualifierKind>(QUALIFIERS.map((q) => [q, qualifierKind(q.join(' '))]));

function qualifierKind(q: string): QualifierKind {
  if (/^(more than|at least|just over|well over|upwards of|over)$/.test(q)) return 'atLeast';
  if (/^(less than|fewer than|up to|at most|under|as (many|much|few|little) as)$/.test(q)) return 'atMost';
  if (/^(nearly|almost|just under|close to)$/.test(q)) return 'nearly';
  return 'about';
}

function parseAt(tokens: Token[], i: number, excluded: readonly boolean[]): Parsed | undefined {
  let j = i;
  let approximate = false;
  const qualifier = matchQualifier(tokens, j);
  if (qualifier) {
    j += qualifier.length;
    approximate = true;
    // "about a tenfold increase"
    if ((tokens[j]?.lower === 'a' || tokens[j]?.lower === 'an') && isFoldWord(tokens[j + 1])) j++;
  }

  let currency: string | undefined;
  const t = tokens[j];
  if (!t) return undefined;
  if (CURRENCY_SYMBOLS[t.text] && tokens[j + 1]?.kind === 'num' && adjacent(t, tokens[j + 1])) {
    currency = CURRENCY_SYMBOLS[t.text];
    // "US$5": the "US" belongs to the currency.
    j++;
  } else if ((t.text === 'US' || t.text === 'A' || t.text === 'C') && tokens[j + 1]?.text === '$' && adjacent(t, tokens[j + 1])
    && tokens[j + 2]?.kind === 'num') {
    currency = t.text === 'US' ? 'USD' : t.text === 'A' ? 'AUD' : 'CAD';
    j += 2;
  } else if (CURRENCY_CODES.has(t.text) && tokens[j + 1]?.kind === 'num') {
    currency = t.text;
    j++;
  }
  if (j !== i && excluded[j]) return undefined;

  const core = parseCore(tokens, j, currency !== undefined);
  if (!core || excluded[core.head] || isReference(tokens, core.head, i)) return undefined;
  if (core.approximate) approximate = true;
  let k = core.next;
  let unit = core.unit;

  if (!core.done) {
    const suffix = parseSuffix(tokens, k, currency === undefined);
    if (suffix) {
      k = suffix.next;
      unit = suffix.unit ?? unit;
      currency = suffix.currency ?? currency;
    }
    if (!unit && !currency) {
      const noun = findUnitNoun(tokens, k, core.value);
      if (noun) {
        unit = noun.unit;
        k = noun.next;
      }
    }
  }
  if (core.bareOne && !unit && !currency) return undefined;
  // "two weeks ago" is a date relative to the article; extractDates reports it.
  if (unit && TIME_UNITS.has(unit) && tokens[k]?.lower === 'ago') return undefined;

  // Trailing approximators: "300 or so", "300+".
  if (tokens[k]?.lower === 'or' && tokens[k + 1]?.lower === 'so') {
    approximate = true;
    k += 2;
  } else if (tokens[k]?.text === '+' && adjacent(tokens[k - 1], tokens[k]) && tokens[k + 1]?.kind !== 'num') {
    approximate = true;
    k++;
  }

  return {
    first: i,
    last: k - 1,
    value: core.value,
    scale: core.scale,
    unit,
    currency,
    approximate,
  };
}

// Regexes of per-token rules live here: a literal inside a function is a new object each call.
const NUMBER_JOINER = /^[-‐‑/.:]$/;
const NUMBER_SEPARATOR = /^[:/.]$/;
const ORDINAL_SUFFIX = /^(st|nd|rd|th)$/;
const LOWER_WORD = /^[a-z]+$/;
const CAPITALISED_WORD = /^[A-Z][a-z]+$/;
const NOT_PLURAL_END = /(ss|us|is|ous)$/;
const NOT_NOUN_END = /(ly|ed|ing)$/;
const POINTS = /^points?$/;
const FINAL_Y = /y$/;
const THOUSANDS_SEPARATORS = /,/g;

/** Whether the number at `head` is a reference ("para. 2", "Article 5", "§ 3") or glued to a name. */
function isReference(tokens: Token[], head: number, first: number): boolean {
  const t = tokens[head];
  const prev = tokens[head - 1];
  if (t.kind === 'num') {
    if (head === first || prev?.kind === 'sym') {
      // Letters or "X-" glued before the digits: "A320", "S-300", "COVID-19", "G20".
      if (prev && adjacent(prev, t) && (prev.kind === 'word' || prev.kind === 'num')) return true;
      if (prev && adjacent(prev, t) && (prev.text === '#' || prev.text === '№')) return true;
      if (prev && adjacent(prev, t) && NUMBER_JOINER.test(prev.text)) {
        const before = tokens[head - 2];
        const glued = before !== undefined && adjacent(before, prev);
        // "S-300" is a name; "2-3" is a range; "1/2", "10:30", "1.2" are not counts.
        if (glued && before.kind === 'word') return true;
        if (glued && before.kind === 'num' && prev.text !== '-' && prev.text !== '‐' && prev.text !== '‑') return true;
      }
    }
    const next = tokens[head + 1];
    // Times, fractions, version numbers: "10:30", "1/2", "1.2.3".
    if (next && adjacent(t, next) && NUMBER_SEPARATOR.test(next.text) && tokens[head + 2]?.kind === 'num' && adjacent(next, tokens[head + 2])) {
      return true;
    }
    if (prev?.text === '§') return true;
    // Day numbers next to a month: "July 16", "16 July", "16th of July" (also without a year).
    if (isPlainDigits(t.text, 1, 2) && Number(t.text) >= 1 && Number(t.text) <= 31) {
      const beforeDot = prev?.text === '.' ? tokens[head - 2] : prev;
      if (monthOf(beforeDot, true) !== undefined) return true;
      let n = head + 1;
      if (tokens[n] && adjacent(t, tokens[n]) && ORDINAL_SUFFIX.test(tokens[n].lower)) n++;
      if (tokens[n]?.lower === 'of') n++;
      if (monthOf(tokens[n], true) !== undefined) return true;
    }
  }
  if (head !== first) return false; // a qualifier or currency stands before it
  const word = prev?.text === '.' ? tokens[head - 2] : prev;
  return word !== undefined && word.kind === 'word' && REFERENCE_WORDS.has(word.lower);
}

function isFoldWord(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'word' && foldValue(t.lower) !== undefined;
}

/** "tenfold" → 10, "ten-fold" → 10, "twentyfold" → 20, "hundredfold" → 100; else undefined. */
function foldValue(word: string): number | undefined {
  if (word.length > 20 || !word.endsWith('fold')) return undefined;
  const prefix = word.slice(0, -4).replace(/[-‐‑]$/, '');
  if (!prefix) return undefined;
  if (prefix === 'hundred') return 100;
  if (prefix === 'thousand') return 1000;
  return spelledWordValue(prefix);
}

/** Value of one (possibly hyphenated) cardinal word below 100: "ten", "twenty-five". */
function spelledWordValue(word: string): number | undefined {
  if (word.length > 14) return undefined; // longer than "seventy-seven": not a cardinal
  // Most words have no hyphen: look them up without allocating the split.
  if (!hasHyphen(word)) return UNITS_1_TO_9[word] ?? TEENS[word] ?? TENS[word];
  const parts = word.split(/[-‐‑]/);
  if (parts.length === 1) return UNITS_1_TO_9[word] ?? TEENS[word] ?? TENS[word];
  if (parts.length === 2 && TENS[parts[0]] !== undefined && UNITS_1_TO_9[parts[1]] !== undefined) {
    return TENS[parts[0]] + UNITS_1_TO_9[parts[1]];
  }
  return undefined;
}

/** Whether `word` contains one of the hyphens `/[-‐‑]/` splits on. */
function hasHyphen(word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (c === 0x2d || c === 0x2010 || c === 0x2011) return true;
  }
  return false;
}

function scaled(digits: string, scale: number): number {
  const exponent = Math.log10(scale);
  if (Number.isInteger(exponent)) return Number(`${digits}e${exponent}`);
  return Math.round(Number(digits) * scale * 1e6) / 1e6;
}

function parseCore(tokens: Token[], j: number, money: boolean): Core | undefined {
  const t = tokens[j];
  if (!t) return undefined;
  if (t.kind === 'num') return parseDigits(tokens, j, money);
  if (t.kind !== 'word') return undefined;

  const fold = foldValue(t.lower);
  if (fold !== undefined) return { value: fold, scale: 1, next: j + 1, unit: 'x', done: true, head: j };
  const multiplier = MULTIPLIER_VERBS[t.lower];
  if (multiplier !== undefined) return { value: multiplier, scale: 1, next: j + 1, unit: 'x', done: true, head: j };

  // "half a million"
  if (t.lower === 'half' && (tokens[j + 1]?.lower === 'a' || tokens[j + 1]?.lower === 'an') && BIG_SCALES[tokens[j + 2]?.lower ?? '']) {
    const scale = BIG_SCALES[tokens[j + 2].lower];
    return { value: scale / 2, scale, next: j + 3, head: j };
  }
  const vague = parseVague(tokens, j);
  if (vague) return vague;
  // "a ten-year lease", "a twenty-five-member council": one hyphenated token.
  const parts = t.lower.length <= 40 && hasHyphen(t.lower) ? t.lower.split(/[-‐‑]/) : [];
  if (parts.length > 1) {
    const unitWord = parts[parts.length - 1];
    const value = spelledWordValue(parts.slice(0, -1).join('-'));
    if (value !== undefined && SPELLED_HYPHEN_UNITS.has(unitWord)) {
      return { value, scale: 1, next: j + 1, unit: unitWord === 'percent' ? '%' : unitWord, done: true, head: j };
    }
  }
  return parseSpelled(tokens, j);
}

function parseDigits(tokens: Token[], j: number, money: boolean): Core | undefined {
  const t = tokens[j];
  const digits = t.text.replace(THOUSANDS_SEPARATORS, '');
  let k = j + 1;
  let scale = 1;
  let unit: string | undefined;
  let done = false;
  let approximate = false;
  const glued = tokens[k] && adjacent(t, tokens[k]) ? tokens[k] : undefined;
  if (glued && glued.kind === 'word') {
    if (ABBREVIATED_SCALES[glued.lower] || (money && MONEY_SCALES[glued.lower])) {
      scale = ABBREVIATED_SCALES[glued.lower] ?? MONEY_SCALES[glued.lower];
      k++;
    } else if (glued.lower === 'x') {
      return { value: Number(digits), scale: 1, next: k + 1, unit: 'x', done: true, head: j };
    } else if (MEASURE_UNITS.has(glued.lower) && glued.lower !== 'm' && glued.lower !== 't') {
      return { value: Number(digits), scale: 1, next: k + 1, unit: glued.lower, done: true, head: j };
    } else {
      return undefined; // "21st", "1980s", "3D", "5G"
    }
  } else if (glued && glued.text === '%') {
    return { value: Number(digits), scale: 1, next: k + 1, unit: '%', done: true, head: j };
  } else if (glued && (glued.text === '-' || glued.text === '‐' || glued.text === '‑') && tokens[k + 1]?.kind === 'word' && adjacent(glued, tokens[k + 1])) {
    // "10-fold", "25-year", "40-odd", "20-plus", "10,000-strong"
    const word = tokens[k + 1].lower;
    if (word === 'fold') return { value: Number(digits), scale: 1, next: k + 2, unit: 'x', done: true, head: j };
    if (word === 'odd' || word === 'plus' || word === 'some') {
      approximate = true;
      k += 2;
    } else if (LOWER_WORD.test(tokens[k + 1].text)) {
      if (word !== 'strong') unit = word;
      k += 2;
      done = true;
    }
  }
  if (!done && scale === 1) {
    const s = readScaleWords(tokens, k);
    scale = s.scale;
    k = s.next;
  }
  return { value: scaled(digits, scale), scale, next: k, unit, done, approximate, head: j };
}

/** Spaced scale words after digits: "1.5 million", "3 bn", "2 hundred thousand". */
function readScaleWords(tokens: Token[], k: number): { scale: number; next: number } {
  let scale = 1;
  let last = Infinity;
  for (let n = 0; n < 2; n++) {
    const w = tokens[k]?.lower ?? '';
    const s = w === 'hundred' ? 100 : BIG_SCALES[w] ?? ABBREVIATED_SCALES[w];
    if (s === undefined || s >= last || (n > 0 && w === 'hundred')) break;
    // "hundred thousand" multiplies upwards; "thousand million" is the long-scale billion.
    scale *= s;
    last = n === 0 && w === 'hundred' ? Infinity : s;
    k++;
    if (w !== 'hundred' && n === 0 && !(tokens[k]?.lower === 'million' && w === 'thousand')) break;
  }
  return { scale, next: k };
}

/** "several hundred", "a few thousand", "hundreds of", "tens of thousands of", "dozens of". */
function parseVague(tokens: Token[], j: number): Core | undefined {
  let k = j;
  let lead = false;
  if (tokens[k]?.lower === 'several' || tokens[k]?.lower === 'many' || tokens[k]?.lower === 'few') {
    k++;
    lead = true;
  } else if (tokens[k]?.lower === 'a' && tokens[k + 1]?.lower === 'few') {
    k += 2;
    lead = true;
  }
  const w = tokens[k]?.lower ?? '';
  if (lead && (w === 'hundred' || w === 'dozen' || BIG_SCALES[w] !== undefined)) {
    let value = w === 'hundred' ? 100 : w === 'dozen' ? 12 : BIG_SCALES[w];
    k++;
    const more = tokens[k]?.lower ?? '';
    if (w === 'hundred' && (more === 'thousand' || more === 'million')) {
      value *= BIG_SCALES[more];
      k++;
    }
    return { value, scale: value, next: k, approximate: true, head: j };
  }
  const plural = PLURAL_SCALES[w];
  if (plural !== undefined && tokens[k + 1]?.lower === 'of') {
    let value = plural;
    k += 2;
    // "tens of thousands (of)", "hundreds of millions (of)"
    const inner = PLURAL_SCALES[tokens[k]?.lower ?? ''];
    if (inner !== undefined && inner >= 1000 && inner > plural) {
      value *= inner;
      k += tokens[k + 1]?.lower === 'of' ? 2 : 1;
    }
    return { value, scale: value, next: k, approximate: true, head: j };
  }
  return undefined;
}

/** "hundred", "dozen", "thousand", … at token `n` (a module function: no closure per call). */
function isScaleWordAt(tokens: Token[], n: number): boolean {
  const w = tokens[n]?.lower ?? '';
  return w === 'hundred' || w === 'dozen' || BIG_SCALES[w] !== undefined;
}

/** Spelled cardinals: "two", "twelve", "twenty-five", "three hundred and fifty thousand", "a million". */
function parseSpelled(tokens: Token[], j: number): Core | undefined {
  type Kind = 'none' | 'unit' | 'teen' | 'tens' | 'hundred' | 'big';
  let total = 0;
  let current = 0;
  let last: Kind = 'none';
  let lastBig = Infinity;
  let k = j;
  let words = 0;
  let article = false;
  if ((tokens[k]?.lower === 'a' || tokens[k]?.lower === 'an') && isScaleWordAt(tokens, k + 1)) {
    current = 1;
    last = 'unit';
    article = true;
    k++;
  }
  for (; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.kind !== 'word') break;
    const w = tok.lower;
    if (w === 'and') {
      const after = tokens[k + 1]?.lower ?? '';
      if ((last === 'hundred' || last === 'big') && spelledWordValue(after) !== undefined) continue;
      break;
    }
    const small = spelledWordValue(w);
    if (small !== undefined) {
      const kind: Kind = w.includes('-') || TENS[w] !== undefined ? 'tens' : small >= 10 || small === 0 ? 'teen' : 'unit';
      const ok = last === 'none' || last === 'hundred' || last === 'big' || (last === 'tens' && kind === 'unit' && current % 10 === 0);
      if (!ok) break;
      current += small;
      last = kind === 'tens' && w.includes('-') ? 'unit' : kind;
      words++;
      continue;
    }
    if (w === 'hundred') {
      if (last === 'none' || last === 'hundred' || last === 'big' || current >= 100 || current === 0) break;
      current *= 100;
      last = 'hundred';
      words++;
      continue;
    }
    if (w === 'dozen') {
      if (last !== 'unit' && last !== 'teen') break;
      current *= 12;
      last = 'teen';
      words++;
      continue;
    }
    const big = BIG_SCALES[w];
    if (big !== undefined) {
      if (last === 'none' || last === 'big' || big >= lastBig || current === 0) break;
      total += current * big;
      current = 0;
      lastBig = big;
      last = 'big';
      words++;
      continue;
    }
    break;
  }
  if (words === 0) return undefined;
  const value = total + current;
  // A lone "one" is reported only as a count of something ("one soldier", "one percent").
  const bareOne = !article && words === 1 && tokens[j].lower === 'one';
  if (bareOne && ONE_BLOCKERS.has(tokens[j - 1]?.lower ?? '')) return undefined;
  // Hyphenated unit after a spelled number: "a ten-year lease" is tokenised as "ten-year".
  return { value, scale: 1, next: k, bareOne, head: j };
}

/** Percent, currency words or codes, "percentage points", "N times as …" after a number. */
function parseSuffix(tokens: Token[], k: number, noCurrencyYet: boolean): { next: number; unit?: string; currency?: string } | undefined {
  const t = tokens[k];
  if (!t) return undefined;
  if (t.text === '%') return { next: k + 1, unit: '%' };
  if (t.lower === 'percent' || t.lower === 'pct') return { next: k + 1, unit: '%' };
  if (t.lower === 'per' && tokens[k + 1]?.lower === 'cent') return { next: k + 2, unit: '%' };
  if (t.lower === 'percentage' && POINTS.test(tokens[k + 1]?.lower ?? '')) return { next: k + 2, unit: 'pp' };
  if (t.lower === 'pp' || t.lower === 'ppt' || t.lower === 'ppts') return { next: k + 1, unit: 'pp' };
  if (t.lower === 'times' && COMPARATIVES.has(tokens[k + 1]?.lower ?? '')) return { next: k + 1, unit: 'x' };
  if (!noCurrencyYet) return undefined;
  if (CURRENCY_CODES.has(t.text)) return { next: k + 1, currency: t.text };
  // "U.S. dollars", "US dollars", "pounds sterling"
  let n = k;
  if (t.text === 'US') n = k + 1;
  else if (t.text === 'U' && tokens[k + 1]?.text === '.' && tokens[k + 2]?.text === 'S' && tokens[k + 3]?.text === '.') n = k + 4;
  const word = tokens[n]?.lower ?? '';
  const currency = CURRENCY_WORDS[word];
  if (currency === undefined || (n !== k && currency !== 'USD')) return undefined;
  if (currency === 'GBP' && tokens[n + 1]?.lower === 'sterling') return { next: n + 2, currency };
  return { next: n + 1, currency };
}

/** The noun a count counts: "300 soldiers", "5,000 Russian troops", "1,500 km", "one soldier". */
function findUnitNoun(tokens: Token[], k: number, value: number): { unit: string; next: number } | undefined {
  const direct = tokens[k];
  if (!direct || direct.kind !== 'word') return undefined;
  if ((direct.lower === 'square' || direct.lower === 'cubic') && tokens[k + 1] && MEASURE_UNITS.has(tokens[k + 1].lower)) {
    return { unit: `${direct.lower} ${tokens[k + 1].lower}`, next: k + 2 };
  }
  if (isUnitNoun(direct, value)) return { unit: direct.lower, next: k + 1 };
  // Up to two modifiers before the noun: "5,000 Russian troops", "300 new military bases".
  for (let m = 0; m < 2; m++) {
    const modifier = tokens[k + m];
    const isModifier = modifier?.kind === 'word'
      && (COUNT_MODIFIERS.has(modifier.lower) || (CAPITALISED_WORD.test(modifier.text) && !NOT_UNITS.has(modifier.lower)));
    if (!isModifier) return undefined;
    const target = tokens[k + m + 1];
    if (target && isUnitNoun(target, value)) return { unit: target.lower, next: k + m + 2 };
  }
  return undefined;
}

function looksPlural(w: string): boolean {
  return w.length > 3 && w.endsWith('s') && !NOT_PLURAL_END.test(w);
}

function isUnitNoun(t: Token, value: number): boolean {
  const w = t.lower;
  if (!LOWER_WORD.test(t.text) || w.length < 2 || NOT_UNITS.has(w) || w === 'm' || w === 't') return false;
  if (COUNT_NOUNS.has(w) || MEASURE_UNITS.has(w) || TIME_UNITS.has(w)) return true;
  // A singular count noun only counts one ("one soldier").
  if (COUNT_NOUNS.has(`${w}s`) || COUNT_NOUNS.has(`${w}es`) || COUNT_NOUNS.has(w.replace(FINAL_Y, 'ies'))) return value === 1;
  return value !== 1 && looksPlural(w) && !NOT_NOUN_END.test(w);
}

/**
 * Ranges share a unit and a scale: "$2-3 billion", "20 to 30 percent", "between 2 and 3 million
 * people" give the first number the second's scale and unit, and the second the first's currency.
 */
function propagateRanges(tokens: Token[], parsed: Parsed[]): void {
  for (let n = 0; n + 1 < parsed.length; n++) {
    const a = parsed[n];
    const b = parsed[n + 1];
    if (b.first !== a.last + 2) continue;
    const link = tokens[a.last + 1].lower;
    const between = tokens[a.first - 1]?.lower === 'between' || tokens[a.first - 1]?.lower === 'from';
    if (!(link === '-' || link === '–' || link === '—' || link === 'to' || (link === 'and' && between))) continue;
    if (a.unit === undefined && b.unit !== undefined && a.currency === undefined) a.unit = b.unit;
    // "$2-3 billion" but not "500 to 3 million": only a number of the same magnitude as 3.
    if (a.scale === 1 && b.scale > 1 && a.unit === b.unit && a.value < (b.value / b.scale) * 10) {
      a.value = scaled(String(a.value), b.scale);
      a.scale = b.scale;
    }
    if (b.currency === undefined && a.currency !== undefined && b.unit === undefined) b.currency = a.currency;
    if (a.currency === undefined && b.currency !== undefined && a.unit === undefined) a.currency = b.currency;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing quantities

type Family = { kind: 'currency' | 'percent' | 'points' | 'multiplier' | 'length' | 'area' | 'mass' | 'time' | 'count'; key: string; factor: number };

const LENGTH = lookupTable<number>({
  km: 1000, kilometer: 1000, kilometers: 1000, kilometre: 1000, kilometres: 1000, mi: 1609.344, mile: 1609.344,
  miles: 1609.344, m: 1, meter: 1, meters: 1, metre: 1, metres: 1,
});
const MASS = lookupTable<number>({
  kg: 1, kilogram: 1, kilograms: 1, t: 1000, ton: 1000, tons: 1000, tonne: 1000, tonnes: 1000,
});
const TIME = lookupTable<number>({
  second: 1 / 86400, seconds: 1 / 86400, minute: 1 / 1440, minutes: 1 / 1440, hour: 1 / 24, hours: 1 / 24,
  day: 1, days: 1, week: 7, weeks: 7, month: 30.44, months: 30.44, year: 365.25, years: 365.25,
  decade: 3652.5, decades: 3652.5, century: 36525, centuries: 36525,
});
const AREA = lookupTable<number>({
  'square kilometers': 1e6, 'square kilometres': 1e6, km2: 1e6, 'square miles': 2.59e6, ha: 1e4, hectares: 1e4,
  acres: 4046.86,
});
/** Count nouns that count the same things. */
const COUNT_SYNONYMS = lookupTable<string>({
  troop: 'troop', soldier: 'troop', serviceman: 'troop', servicemen: 'troop', personnel: 'troop',
  person: 'person', people: 'person', individual: 'person', resident: 'person', inhabitant: 'person',
  policeman: 'police', policemen: 'police', police: 'police', man: 'man', men: 'man', woman: 'woman',
  women: 'woman', child: 'child', children: 'child', protestor: 'protester', aircraft: 'aircraft',
});

function singular(w: string): string {
  if (COUNT_SYNONYMS[w]) return w;
  if (/ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (/(s|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (/[^s]s$/.test(w)) return w.slice(0, -1);
  return w;
}

function familyOf(unit: string | undefined): Family {
  if (unit === undefined) return { kind: 'count', key: '', factor: 1 };
  if (unit === '%') return { kind: 'percent', key: '%', factor: 1 };
  if (unit === 'pp') return { kind: 'points', key: 'pp', factor: 1 };
  if (unit === 'x') return { kind: 'multiplier', key: 'x', factor: 1 };
  if (/^[A-Z]{3}$/.test(unit)) return { kind: 'currency', key: unit, factor: 1 };
  const u = unit.toLowerCase();
  if (LENGTH[u] !== undefined) return { kind: 'length', key: 'm', factor: LENGTH[u] };
  if (MASS[u] !== undefined) return { kind: 'mass', key: 'kg', factor: MASS[u] };
  if (TIME[u] !== undefined) return { kind: 'time', key: 'day', factor: TIME[u] };
  if (AREA[u] !== undefined) return { kind: 'area', key: 'm2', factor: AREA[u] };
  const s = singular(u);
  return { kind: 'count', key: COUNT_SYNONYMS[s] ?? COUNT_SYNONYMS[u] ?? s, factor: 1 };
}

/** How a mention's text qualifies its value; parsed back from `text` so stored mentions work too. */
function qualifierOf(n: NumberMention): QualifierKind | undefined {
  const text = n.text.toLowerCase();
  if (/\b(several|few|many|dozens|hundreds|thousands|millions|billions|tens)\b/.test(text)) return 'vague';
  const tokens = tokenize(text);
  const q = matchQualifier(tokens, 0);
  if (q) return q.kind;
  if (/\bor so$|-odd\b|-some\b/.test(text)) return 'about';
  if (/\+$|-plus\b/.test(text)) return 'atLeast';
  return n.approximate ? 'about' : undefined;
}

/** The interval of values a mention allows, in base units. */
function rangeOf(n: NumberMention, factor: number): [number, number] {
  const v = n.value * factor;
  switch (qualifierOf(n)) {
    case 'vague':
      return [2 * v, 10 * v];
    case 'about':
      return [0.8 * v, 1.2 * v];
    case 'nearly':
      return [0.8 * v, v];
    case 'atLeast':
      return [v, 2.5 * v];
    case 'atMost':
      return [0, v];
    default: {
      const tolerance = precisionOf(n) * factor;
      return [v - tolerance, v + tolerance];
    }
  }
}

/**
 * Half a unit of the last digit written, times the scale: "$230 million" ± 0.5 million,
 * "1.5 million" ± 50,000, "3,000" ± 0.5. Spelled numbers ("tenfold") are exact.
 */
function precisionOf(n: NumberMention): number {
  const m = /(\d[\d,]*)(?:\.(\d+))?/.exec(n.text);
  if (!m) return Math.abs(n.value) * 1e-9;
  const written = Number(`${m[1].replace(/,/g, '')}${m[2] ? `.${m[2]}` : ''}`);
  const decimals = m[2]?.length ?? 0;
  const scale = written > 0 && n.value / written > 1.5 ? n.value / written : 1;
  return 0.5 * 10 ** -decimals * scale;
}

/**
 * Whether two mentions state the same quantity: `undefined` when they measure different things
 * (different unit families, different currencies, a count of soldiers against a count of
 * villages, a bare number against a counted one); `true` when their ranges overlap (exact values
 * within the precision they are written with, approximate ones within their qualifier's range:
 * "about" ±20 %, "more than" up to 2.5×, "several hundred" 200–1,000); `false` when they contradict.
 */
export function sameQuantity(a: NumberMention, b: NumberMention): boolean | undefined {
  return sameQuantities(quantityOf(a), quantityOf(b));
}

/**
 * sameQuantity, except that the same figure (as written, not within rounding) in another unit of
 * the same sort disagrees: an amount of money in another currency ("€230 million" against "$230
 * million": a wrong currency, not a conversion), a percentage against percentage points ("rose
 * 2%" against "rose 2 percentage points"). Other amounts in other currencies are not compared (a
 * memo may convert them), nor other percentages against points.
 */
export function compareFigures(a: NumberMention, b: NumberMention): boolean | undefined {
  const qa = quantityOf(a);
  const qb = quantityOf(b);
  const same = sameQuantities(qa, qb);
  if (same !== undefined) return same;
  const moneyBoth = qa.kind === 'currency' && qb.kind === 'currency';
  const shareBoth = (qa.kind === 'percent' || qa.kind === 'points') && (qb.kind === 'percent' || qb.kind === 'points');
  if (!moneyBoth && !shareBoth) return undefined;
  // The same figure as written, not one within rounding of it ("€6.5 billion" may convert "$6.4 billion").
  return Math.abs(a.value - b.value) <= 1e-9 * Math.max(Math.abs(a.value), Math.abs(b.value), 1) ? false : undefined;
}

/** What sameQuantity compares of a mention: its unit family and the interval of values it allows (in base units). */
export interface Quantity {
  readonly kind: Family['kind'];
  readonly key: string;
  readonly lo: number;
  readonly hi: number;
}

export function quantityOf(n: NumberMention): Quantity {
  const { kind, key, factor } = familyOf(n.unit);
  const [lo, hi] = rangeOf(n, factor);
  return { kind, key, lo, hi };
}

/** sameQuantity of the mentions of two quantities, for a caller that compares each mention many times. */
export function sameQuantities(a: Quantity, b: Quantity): boolean | undefined {
  if (a.kind !== b.kind || a.key !== b.key) return undefined;
  const slack = 1e-9 * Math.max(Math.abs(a.hi), Math.abs(b.hi), 1);
  return a.lo <= b.hi + slack && b.lo <= a.hi + slack;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const CURRENCY_PREFIX = lookupTable<string>({ USD: '$', EUR: '€', GBP: '£', JPY: '¥' });

function formatValue(value: number): string {
  const abs = Math.abs(value);
  const scales: Array<[number, string]> = [[1e12, 'trillion'], [1e9, 'billion'], [1e6, 'million']];
  for (const [scale, word] of scales) {
    if (abs >= scale) {
      const v = Math.round((value / scale) * 100) / 100;
      return `${v.toLocaleString('en-US')} ${word}`;
    }
  }
  return (Math.round(value * 100) / 100).toLocaleString('en-US');
}

/**
 * A quantity for messages: "$230 million", "40%", "tenfold (×10)", "5,000 troops"; approximate
 * ones keep their wording ("several hundred protesters", "about $230 million").
 */
export function formatNumber(n: NumberMention): string {
  const qualifier = qualifierOf(n);
  if (qualifier === 'vague') return n.text.trim();
  let body: string;
  const unit = n.unit;
  if (unit === undefined) body = formatValue(n.value);
  else if (unit === '%') body = `${formatValue(n.value)}%`;
  else if (unit === 'pp') body = `${formatValue(n.value)} percentage points`;
  else if (unit === 'x') body = `${formatValue(n.value)}-fold (×${formatValue(n.value)})`;
  else if (/^[A-Z]{3}$/.test(unit)) body = CURRENCY_PREFIX[unit] ? `${CURRENCY_PREFIX[unit]}${formatValue(n.value)}` : `${unit} ${formatValue(n.value)}`;
  else body = `${formatValue(n.value)} ${unit}`;
  if (!qualifier) return body;
  const words = matchQualifier(tokenize(n.text.toLowerCase()), 0);
  const lead = words
    ? n.text.split(/\s+/).slice(0, words.length).join(' ').toLowerCase()
    : qualifier === 'atLeast' ? 'more than' : 'about';
  return `${lead} ${body}`;
}
