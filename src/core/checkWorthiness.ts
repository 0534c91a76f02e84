// Check-worthiness: does a sentence state a checkable fact (about actors, events, numbers, dates,
// what someone said) or is it opinion, recommendation, question, hedge or chit-chat?
//
// A logistic regression over hashed sparse features, trained by scripts/train-claim-model.ts on
// the ClaimBuster dataset (Arslan et al., 2020, CC BY 4.0) and shipped as data in
// ./data/claim-model.json. Only the weights ship; the training sentences never do. The weights
// are read with `require` on first use, not imported: the bundles ship them next to themselves
// (dist/data/, see scripts/build.mjs), so loading the extension does not parse 306 KB of weights.
//
// Every pattern here is linear-time: tokens come from one pass with a regex that has no nested
// or overlapping quantifiers, and phrases are matched over token arrays, not with backtracking.
import { indexPhrases, isRecord, type PhraseIndex } from './text';

/** How a sentence becomes features; stored in the model so training and inference agree. */
export interface FeatureConfig {
  /** Features are hashed into `2 ** hashBits` buckets. */
  hashBits: number;
  /** Longest word n-gram (1 = unigrams, 2 = unigrams and bigrams). */
  wordNgramMax: number;
  /** Character n-grams within word boundaries, from `charNgramMin` to `charNgramMax` (0 = none). */
  charNgramMin: number;
  charNgramMax: number;
  /** Each block's vector is L2-normalised, then multiplied by its scale. */
  wordScale: number;
  charScale: number;
  handScale: number;
}

/** Hashed feature index → value. */
export type FeatureVector = Map<number, number>;

/** What the model says about itself (meta block of claim-model.json). */
export interface CheckWorthinessModelMeta {
  threshold: number;
  features: FeatureConfig;
  trainedAt: string;
  /** Credit for the training data. */
  dataset: string;
  /** Cross-validated F1 on the training part, as recorded by the training script. */
  cvF1?: number;
}

/** A loaded model: its meta block, bias and weights by hashed feature index. */
export interface CheckWorthinessModel {
  readonly meta: CheckWorthinessModelMeta;
  readonly bias: number;
  readonly weights: { get(key: number): number };
}

/**
 * Feature index → weight, as an open-addressing table over typed arrays: faster and smaller than
 * a Map for 10⁵ numeric keys. The keys are hash values already, so their low bits pick the slot.
 */
class WeightTable {
  private readonly keys: Int32Array;
  private readonly values: Float32Array;
  private readonly slotMask: number;

  constructor(entries: ReadonlyArray<readonly [number, number]>) {
    let size = 16;
    while (size < entries.length * 1.6) size *= 2;
    this.keys = new Int32Array(size).fill(-1);
    this.values = new Float32Array(size);
    this.slotMask = size - 1;
    for (const [key, value] of entries) {
      let slot = key & this.slotMask;
      while (this.keys[slot] !== -1 && this.keys[slot] !== key) slot = (slot + 1) & this.slotMask;
      this.keys[slot] = key;
      this.values[slot] = value;
    }
  }

  get(key: number): number {
    let slot = key & this.slotMask;
    for (;;) {
      const k = this.keys[slot];
      if (k === key) return this.values[slot];
      if (k === -1) return 0;
      slot = (slot + 1) & this.slotMask;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Hashing

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a state after feeding `text` to `h`; `finishHash` turns a state into the hash. */
function feedHash(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The murmur3 finaliser, so FNV's weak low bits still spread over the buckets. */
function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units with a murmur3 finaliser: fast, stable across platforms. */
export function hashString(text: string): number {
  return finishHash(feedHash(FNV_OFFSET, text));
}

// ---------------------------------------------------------------------------------------------
// Word lists

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));

const REPORTING_VERBS = words(`
  said says say told tells announced announces voted votes signed signs vetoed reported reports
  stated states claimed claims declared declares admitted testified confirmed denied acknowledged
  warned promised pledged agreed agrees proposed introduced passed passes approved rejected
  ratified withdrew withdraws withdrawn joined joins left leaves quit suspended imposed imposes
  raised raises cut cuts increased increases decreased decreases doubled tripled reduced reduces
  created creates lost loses won wins spent spends paid pays invested funded sent deployed
  killed attacked invaded launched built opened closed elected appointed fired hired ranked
  grew grows fell falls rose rises dropped estimated estimates shows showed according`);

/** Irregular past forms (regular ones are caught by the -ed suffix). */
const IRREGULAR_PAST = words(`
  was were had did went made took gave got came said told left brought bought built sent spent
  paid lost won led met rose fell grew began became knew thought saw found kept held stood ran
  wrote drove broke chose spoke stole threw sold felt fought taught caught sought fled hid bit
  withdrew overtook undertook forgot froze shook swore tore wore beat bet cost cut hit hurt let
  put quit set shut split spread struck swept swung understood upheld overthrew oversaw
  mistook rode rang sang sank drank began forbade forgave arose awoke bore dealt dug fed fled
  flew grew hung laid lent lit meant shot slid spun stuck sent slept wept won`);

const NOT_PAST_ED = words(`
  need needed indeed speed seed feed bed red hundred proceed succeed exceed embed breed bleed
  shed wed weed creed deed greed steed heed ned ted fred reed united limited interested
  concerned supposed used based related involved prepared committed determined tired worried
  excited pleased scared`);

const HEDGES: PhraseIndex = indexPhrases([
  'i think', 'i believe', 'i feel', 'i guess', 'i suppose', 'i suspect', 'i doubt', 'i hope',
  'we think', 'we believe', 'we feel', 'i would argue', 'we would argue', 'i would say',
  'in my view', 'in our view', 'in my opinion', 'in our opinion', 'in my judgment',
  'in my judgement', 'it seems', 'it seems to me', 'seems to', 'seem to', 'appears to',
  'it is hard to see', "it's hard to see", 'hard to see', 'hard to imagine', 'it is unclear',
  'not clear', 'probably', 'perhaps', 'maybe', 'possibly', 'arguably', 'presumably',
  'likely', 'unlikely', 'may well', 'might', 'i am not sure', "i'm not sure", 'it may be',
  'it could be', 'to my mind', 'as i see it', 'i am convinced', "i'm convinced",
].map((p) => p.split(' ')));

const RECOMMENDATIONS: PhraseIndex = indexPhrases([
  'should', 'must', 'ought', 'need to', 'needs to', 'have to', 'has to', "we've got to",
  'got to', 'gotta', 'we need', 'let us', "let's", 'it is time', "it's time", 'time to',
  'we can', 'we could', 'we must', 'we will', 'we would', 'i will', 'i would', "i'll", "we'll",
  'i want', 'we want', 'i propose', 'we propose', 'recommend', 'recommends', 'urge', 'urges',
  'call on', 'calls on', 'i am going to', "i'm going to", "we're going to", 'we are going to',
  'it is important', "it's important", 'it is essential', 'would be wise', 'had better',
].map((p) => p.split(' ')));

const MODALS = words(`should must ought would could might may can will shall 'll 'd`);

const META = words(`memo paper brief report note section argues argue`);

const CHIT_CHAT: PhraseIndex = indexPhrases([
  'thank you', 'thanks', 'good evening', 'good morning', 'good night', 'ladies and gentlemen',
  'let me', 'well', 'okay', 'ok', 'yes', 'no', 'sure', 'of course', 'absolutely', 'excuse me',
  'i agree', 'i disagree', 'that is right', "that's right", "that's true", 'that is true',
  "that's not true", 'not true', 'wrong', 'please',
].map((p) => p.split(' ')));

const WH_WORDS = words('what why how who whom whose when where which');
const AUXILIARIES = words(`do does did is are was were can could would will should shall
  have has had may might must am isn't aren't don't doesn't didn't won't wouldn't can't couldn't
  shouldn't haven't hasn't`);

/** Verbs that commonly open an imperative ("Engage Tashkent.", "Consider the costs."). */
const IMPERATIVE_VERBS = words(`
  let look consider engage make stop tell give take think imagine remember note keep ensure
  press support use avoid join help ask go come see listen please don't do put bring send
  build cut raise lower end start begin continue maintain expand reduce increase prioritize
  prioritise pursue seek offer reject accept resist push pull focus invest strengthen
  deepen encourage condition tie link review reconsider rethink treat watch read vote`);

const FIRST_SINGULAR = words(`i me my mine myself i'm i've i'd i'll`);
const FIRST_PLURAL = words(`we us our ours ourselves we're we've we'd we'll let's`);
const SECOND_PERSON = words(`you your yours yourself yourselves you're you've you'd you'll`);
const THIRD_PERSON = words(`he she they him her them his hers their theirs he's she's they're
  they've it's its`);

const NUMBER_WORDS = words(`one two three four five six seven eight nine ten eleven twelve
  twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands
  million millions billion billions trillion trillions half third quarter dozen dozens`);
const MONEY_WORDS = words(`dollar dollars million billion trillion budget deficit debt tax
  taxes cent cents rubles euros pounds`);
const PERCENT_WORDS = words(`percent percentage per cent rate`);
const COMPARATIVE = words(`more less fewer most least highest lowest largest smallest biggest
  first last only since ago increase increased decrease decreased doubled tripled record
  compared than`);
const NEGATIONS = words(`not no never n't nobody nothing none`);
const TIME_WORDS = words(`january february march april may june july august september
  october november december yesterday year years month months week weeks decade decades
  century today`);

/** Function words that can open a sentence in capitals without naming anyone. */
const COMMON_WORDS = words(`the a an and but or so if then this that these those there here
  it its in on at by for of to from with as we i you he she they our my your his her their
  what why how who when where which while although though because since after before
  now well yes no let do does did is are was were can could would will should must may might
  not all some many most every each any one also just even only still yet however thus
  indeed moreover furthermore meanwhile today tomorrow yesterday mr mrs ms dr senator president
  governor`);

/**
 * The word lists a token can be in, as bits of one lookup (handFeatures reads a dozen lists per
 * token; one Map.get is cheaper than a Set.has for each).
 */
const IS_REPORTING = 1 << 0;
const IS_IRREGULAR_PAST = 1 << 1;
const IS_NOT_PAST_ED = 1 << 2;
const IS_MODAL = 1 << 3;
const IS_META = 1 << 4;
const IS_FIRST_SINGULAR = 1 << 5;
const IS_FIRST_PLURAL = 1 << 6;
const IS_SECOND = 1 << 7;
const IS_THIRD = 1 << 8;
const IS_NUMBER = 1 << 9;
const IS_MONEY = 1 << 10;
const IS_PERCENT = 1 << 11;
const IS_COMPARATIVE = 1 << 12;
const IS_NEGATION = 1 << 13;
const IS_TIME = 1 << 14;
const IS_COMMON = 1 << 15;
/** Opens a phrase of HEDGES, RECOMMENDATIONS or CHIT_CHAT. */
const IS_HEDGE_START = 1 << 16;
const IS_RECOMMENDATION_START = 1 << 17;
const IS_CHIT_CHAT_START = 1 << 18;

const WORD_CLASSES: ReadonlyMap<string, number> = (() => {
  const classes = new Map<string, number>();
  const mark = (list: Iterable<string>, bit: number): void => {
    for (const w of list) classes.set(w, (classes.get(w) ?? 0) | bit);
  };
  mark(REPORTING_VERBS, IS_REPORTING);
  mark(IRREGULAR_PAST, IS_IRREGULAR_PAST);
  mark(NOT_PAST_ED, IS_NOT_PAST_ED);
  mark(MODALS, IS_MODAL);
  mark(META, IS_META);
  mark(FIRST_SINGULAR, IS_FIRST_SINGULAR);
  mark(FIRST_PLURAL, IS_FIRST_PLURAL);
  mark(SECOND_PERSON, IS_SECOND);
  mark(THIRD_PERSON, IS_THIRD);
  mark(NUMBER_WORDS, IS_NUMBER);
  mark(MONEY_WORDS, IS_MONEY);
  mark(PERCENT_WORDS, IS_PERCENT);
  mark(COMPARATIVE, IS_COMPARATIVE);
  mark(NEGATIONS, IS_NEGATION);
  mark(TIME_WORDS, IS_TIME);
  mark(COMMON_WORDS, IS_COMMON);
  mark(HEDGES.keys(), IS_HEDGE_START);
  mark(RECOMMENDATIONS.keys(), IS_RECOMMENDATION_START);
  mark(CHIT_CHAT.keys(), IS_CHIT_CHAT_START);
  return classes;
})();

// ---------------------------------------------------------------------------------------------
// Tokens

export interface WordToken {
  /** As written. */
  raw: string;
  /** Lower case, with straight apostrophes. */
  lower: string;
  /** Lower case with every digit replaced by 0, so numbers generalise. */
  norm: string;
}

// Letters/digits runs with inner apostrophes, dots or commas between digits, or one symbol:
// the matches of /[\p{L}\p{N}]+(?:['’][\p{L}]+)*(?:[.,]\p{N}+)*|[$%?!€£]/gu, found by a scan
// over code points (test/unit/fastPaths.test.ts holds it to the pattern). Each alternative
// starts with a distinct character class and the repeated groups begin with a fixed separator,
// so the pattern's greedy match is the scan's longest run and matching is linear.
const LETTER_AT = /\p{L}/uy;
const NUMBER_AT = /\p{N}/uy;
const DIGIT = /\p{Nd}/u;
const DIGITS_G = /\p{Nd}/gu;
const UPPER_START = /^\p{Lu}/u;
const ALL_CAPS = /^\p{Lu}{2,}$/u;
const YEAR = /^(?:1[5-9]|20)\d\d$/;
const DECADE = /^(?:1[5-9]|20)?\d0s$/;

const NEITHER = 0;
const LETTER = 1;
const NUMBER = 2;

/** Whether the code point at `i` is a letter (\p{L}), a number (\p{N}) or neither; ASCII by code. */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) {
    const folded = c | 32; // A–Z to a–z
    return folded >= 97 && folded <= 122 ? LETTER : c >= 48 && c <= 57 ? NUMBER : NEITHER;
  }
  LETTER_AT.lastIndex = i;
  if (LETTER_AT.test(text)) return LETTER;
  NUMBER_AT.lastIndex = i;
  return NUMBER_AT.test(text) ? NUMBER : NEITHER;
}

/** Code units of the code point at `i`: 2 for a surrogate pair. */
function widthAt(text: string, i: number): number {
  return (text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

/** The end of the run from `i` of code points whose class is in `classes` (bits). */
function runEnd(text: string, i: number, classes: number): number {
  while (i < text.length && (classAt(text, i) & classes) !== 0) i += widthAt(text, i);
  return i;
}

/** ' or ’ */
function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2019;
}

/** . or , */
function isDecimalMark(c: number): boolean {
  return c === 46 || c === 44;
}

/** $ % ? ! € £: tokens of one character. */
function isSymbolToken(c: number): boolean {
  return c === 36 || c === 37 || c === 63 || c === 33 || c === 0x20ac || c === 0xa3;
}

export function tokenize(sentence: string): WordToken[] {
  const tokens: WordToken[] = [];
  const n = sentence.length;
  let i = 0;
  while (i < n) {
    const start = i;
    if (classAt(sentence, i) === NEITHER) {
      const c = sentence.charCodeAt(i);
      i += widthAt(sentence, i);
      if (!isSymbolToken(c)) continue;
    } else {
      // [\p{L}\p{N}]+, then (?:['’]\p{L}+)*, then (?:[.,]\p{N}+)*.
      i = runEnd(sentence, i, LETTER | NUMBER);
      while (isApostrophe(sentence.charCodeAt(i)) && i + 1 < n && classAt(sentence, i + 1) === LETTER) i = runEnd(sentence, i + 1, LETTER);
      while (isDecimalMark(sentence.charCodeAt(i)) && i + 1 < n && classAt(sentence, i + 1) === NUMBER) i = runEnd(sentence, i + 1, NUMBER);
    }
    const raw = sentence.slice(start, i);
    let lower = raw.toLowerCase();
    if (lower.includes('’')) lower = lower.replace(/’/g, "'");
    tokens.push({ raw, lower, norm: hasDigit(lower) ? lower.replace(DIGITS_G, '0') : lower });
  }
  return tokens;
}

/** How many phrases (token sequences) of `phrases` start at token `i`; plain comparisons, no regex. */
function phrasesAt(lower: readonly string[], i: number, phrases: PhraseIndex): number {
  const candidates = phrases.get(lower[i]);
  if (!candidates) return 0;
  let count = 0;
  for (const phrase of candidates) {
    let k = 1;
    while (k < phrase.length && lower[i + k] === phrase[k]) k++;
    if (k === phrase.length) count++;
  }
  return count;
}

/** `/\p{Nd}/u.test(word)`, with ASCII words decided by code. */
function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
    if (c >= 0x80) return DIGIT.test(word);
  }
  return false;
}

/** `/^\p{Lu}/u.test(word)`, with an ASCII first letter decided by code. */
function startsUpper(word: string): boolean {
  const c = word.charCodeAt(0);
  return c < 0x80 ? c >= 65 && c <= 90 : UPPER_START.test(word);
}

/** `/^\p{Lu}{2,}$/u.test(word)`, with ASCII words decided by code. */
function isAllCaps(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x80) return ALL_CAPS.test(word);
    if (c < 65 || c > 90) return false;
  }
  return word.length >= 2;
}

function lengthBin(n: number): string {
  if (n <= 3) return '0-3';
  if (n <= 6) return '4-6';
  if (n <= 10) return '7-10';
  if (n <= 15) return '11-15';
  if (n <= 22) return '16-22';
  if (n <= 32) return '23-32';
  return '33+';
}

/** Named hand features with their values: the signals a policy analyst would name. */
export function handFeatures(sentence: string, tokens: readonly WordToken[]): Map<string, number> {
  const f = new Map<string, number>();
  const add = (name: string, value = 1): void => {
    f.set(name, (f.get(name) ?? 0) + value);
  };
  const lower = tokens.map((t) => t.lower);
  const n = tokens.length;

  let numbers = 0;
  let years = 0;
  let capitalised = 0;
  let acronyms = 0;
  let past = 0;
  let reporting = 0;
  let modals = 0;
  let firstSingular = 0;
  let firstPlural = 0;
  let second = 0;
  let third = 0;
  let money = 0;
  let percent = 0;
  let comparative = 0;
  let negation = 0;
  let time = 0;
  let perfect = 0;
  let hedges = 0;
  let recommendations = 0;
  let chitChat = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    const w = t.lower;
    const is = WORD_CLASSES.get(w) ?? 0;
    if (hasDigit(w)) {
      numbers++;
      if (YEAR.test(w)) years++;
      if (DECADE.test(w)) years++;
    } else if (is & IS_NUMBER) {
      numbers++;
    }
    if (w === '$' || w === '€' || w === '£' || is & IS_MONEY) money++;
    if (w === '%' || is & IS_PERCENT) percent++;
    if (isAllCaps(t.raw) && w !== 'i') acronyms++;
    else if (startsUpper(t.raw) && !(is & IS_COMMON) && w !== 'i' && !(is & IS_FIRST_SINGULAR)) {
      capitalised++;
      if (i === 0) add('proper:initial');
    }
    // Past tense: an irregular form, or -ed on a word of five letters or more that is not an adjective or noun.
    if (is & IS_IRREGULAR_PAST || (w.length >= 5 && w.endsWith('ed') && !(is & IS_NOT_PAST_ED))) {
      past++;
      if (i > 0 && (lower[i - 1] === 'have' || lower[i - 1] === 'has' || lower[i - 1].endsWith("'ve"))) perfect++;
    }
    if (is & IS_REPORTING) reporting++;
    if (is & IS_MODAL || w.endsWith("'ll") || w.endsWith("'d")) modals++;
    if (is & IS_FIRST_SINGULAR) firstSingular++;
    if (is & IS_FIRST_PLURAL) firstPlural++;
    if (is & IS_SECOND) second++;
    if (is & IS_THIRD) third++;
    if (is & IS_COMPARATIVE) comparative++;
    if (is & IS_NEGATION || w.endsWith("n't")) negation++;
    if (is & IS_TIME) time++;
    if (is & IS_META && i > 0 && (lower[i - 1] === 'this' || lower[i - 1] === 'we')) add('meta');
    if (is & IS_HEDGE_START) hedges += phrasesAt(lower, i, HEDGES);
    if (is & IS_RECOMMENDATION_START) recommendations += phrasesAt(lower, i, RECOMMENDATIONS);
    if (is & IS_CHIT_CHAT_START) chitChat += phrasesAt(lower, i, CHIT_CHAT);
  }

  const flag = (name: string, count: number): void => {
    if (count > 0) {
      add(name);
      if (count > 1) add(`${name}:many`);
    }
  };
  flag('number', numbers);
  flag('year', years);
  flag('money', money);
  flag('percent', percent);
  flag('proper', capitalised);
  flag('acronym', acronyms);
  flag('past', past);
  flag('perfect', perfect);
  flag('reporting', reporting);
  flag('modal', modals);
  flag('person:1s', firstSingular);
  flag('person:1p', firstPlural);
  flag('person:2', second);
  flag('person:3', third);
  flag('comparative', comparative);
  flag('negation', negation);
  flag('time', time);

  flag('hedge', hedges);
  flag('recommend', recommendations);
  flag('chitchat', chitChat);

  const question = sentence.includes('?');
  if (question) add('question');
  if (n > 0 && WH_WORDS.has(lower[0])) add('start:wh');
  if (n > 0 && AUXILIARIES.has(lower[0])) add('start:aux');
  if (n > 0 && IMPERATIVE_VERBS.has(lower[0]) && !(n > 1 && (lower[1] === 'you' || lower[1] === 'we'))) add('imperative');
  if (sentence.includes('!')) add('exclaim');
  if (sentence.includes('"') || sentence.includes('“')) add('quote');
  add(`len:${lengthBin(n)}`);

  // Conjunctions the linear model cannot form on its own.
  const factual = numbers + years + money + percent > 0;
  if (factual && hedges === 0 && recommendations === 0 && !question) add('x:number-plain');
  if (past > 0 && capitalised + acronyms > 0) add('x:past-actor');
  if (past > 0 && modals === 0 && !question) add('x:past-nomodal');
  if (reporting > 0 && capitalised + acronyms + third > 0) add('x:reported');
  if (!factual && past === 0 && (hedges > 0 || recommendations > 0)) add('x:opinion-only');
  if (!factual && n <= 6) add('x:short-nonumber');
  return f;
}

// ---------------------------------------------------------------------------------------------
// Featurization

/** The longest head of a "sentence" that is read (a pasted table or minified line is not prose). */
export const MAX_SENTENCE_CHARS = 4000;

/** Hand feature names come from a small fixed set; their hashes are memoised. */
const handKeys = new Map<string, number>();
function handKey(name: string): number {
  let k = handKeys.get(name);
  if (k === undefined) handKeys.set(name, (k = hashString(`h:${name}`)));
  return k;
}

/**
 * A set of feature keys that remembers their first-seen order, as a Set<number> does, but reused
 * from sentence to sentence: an open-addressing table over typed arrays whose slots are "empty"
 * unless stamped with the current generation, so clearing it costs nothing.
 */
class KeySet {
  /** The keys in the order they were first added. */
  order = new Int32Array(256);
  size = 0;
  private slots = new Int32Array(1024);
  private stamps = new Uint32Array(1024);
  private stamp = 1;

  clear(): void {
    this.size = 0;
    if (++this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  add(key: number): void {
    const mask = this.slots.length - 1;
    let slot = key & mask;
    while (this.stamps[slot] === this.stamp) {
      if (this.slots[slot] === key) return;
      slot = (slot + 1) & mask;
    }
    this.slots[slot] = key;
    this.stamps[slot] = this.stamp;
    if (this.size === this.order.length) {
      const grown = new Int32Array(2 * this.size);
      grown.set(this.order);
      this.order = grown;
    }
    this.order[this.size++] = key;
    // Keep the table at most half full.
    if (2 * this.size > mask) this.rehash(2 * (mask + 1));
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.stamp = 1;
    const mask = capacity - 1;
    for (let i = 0; i < this.size; i++) {
      const key = this.order[i];
      let slot = key & mask;
      while (this.stamps[slot] === 1) slot = (slot + 1) & mask;
      this.slots[slot] = key;
      this.stamps[slot] = 1;
    }
  }
}

/** Reused by every call of collectFeatures (which never runs inside another). */
const wordKeys = new KeySet();
const charKeys = new KeySet();

/**
 * Finds a sentence's features: its word and character n-gram keys into `wordKeys` and
 * `charKeys` (each distinct, in first-seen order), and its hand features, which it returns
 * (undefined when the config gives them no weight).
 */
function collectFeatures(text: string, config: FeatureConfig): Map<string, number> | undefined {
  // A "sentence" of thousands of characters (a pasted table, a minified line) is not prose; its
  // head decides, which bounds the cost per call.
  const sentence = text.length > MAX_SENTENCE_CHARS ? text.slice(0, MAX_SENTENCE_CHARS) : text;
  const mask = 2 ** config.hashBits - 1;
  const tokens = tokenize(sentence);

  // Word n-grams, binary, with sentence boundary markers so openings ("<s> what") count.
  wordKeys.clear();
  const seq = ['<s>', ...tokens.map((t) => t.norm), '</s>'];
  // The hash of `w:word` or `w2:a b`, fed piece by piece (FNV-1a reads the text in order, so this
  // is the hash of the joined string without building it).
  const unigram = feedHash(FNV_OFFSET, 'w:');
  for (let i = 1; i < seq.length - 1; i++) wordKeys.add(finishHash(feedHash(unigram, seq[i])) & mask);
  for (let n = 2; n <= config.wordNgramMax; n++) {
    const prefix = feedHash(FNV_OFFSET, `w${n}:`);
    for (let i = 0; i + n <= seq.length; i++) {
      let h = feedHash(prefix, seq[i]);
      for (let k = 1; k < n; k++) h = feedHash(Math.imul(h ^ 32 /* space */, FNV_PRIME), seq[i + k]);
      wordKeys.add(finishHash(h) & mask);
    }
  }

  // Character n-grams inside each padded word ("<raised>"), as fastText and char_wb do. Hashed
  // incrementally: the key of "<ra" extends the state of "<r", so no substring is built (nor
  // the padded word: position 0 is "<", position length + 1 is ">").
  charKeys.clear();
  if (config.charNgramMax > 0 && config.charScale !== 0) {
    const seed = feedHash(FNV_OFFSET, 'c:');
    for (const t of tokens) {
      const word = t.norm;
      const padded = word.length + 2;
      for (let i = 0; i < padded; i++) {
        let h = seed;
        const end = Math.min(padded, i + config.charNgramMax);
        for (let j = i; j < end; j++) {
          h = Math.imul(h ^ (j === 0 ? 60 /* < */ : j === padded - 1 ? 62 /* > */ : word.charCodeAt(j - 1)), FNV_PRIME);
          if (j - i + 1 >= config.charNgramMin) charKeys.add(finishHash(h) & mask);
        }
      }
    }
  }

  return config.handScale !== 0 ? handFeatures(sentence, tokens) : undefined;
}

/** Each block's keys share one value: its scale over the root of its size (the L2 norm). */
function blockValue(keys: KeySet, scale: number): number {
  return scale / Math.sqrt(keys.size);
}

/**
 * Calls `emit` once per feature occurrence (a key may repeat across blocks; values add up), in
 * the order scoreWithModel adds them up.
 */
function visitFeatures(text: string, config: FeatureConfig, emit: (key: number, value: number) => void): void {
  const hand = collectFeatures(text, config);
  for (const [keys, scale] of [[wordKeys, config.wordScale], [charKeys, config.charScale]] as const) {
    if (keys.size === 0 || scale === 0) continue;
    const value = blockValue(keys, scale);
    for (let i = 0; i < keys.size; i++) emit(keys.order[i], value);
  }
  if (hand) for (const [name, value] of hand) emit(handKey(name) & (2 ** config.hashBits - 1), value * config.handScale);
}

/** The sparse feature vector of a sentence: hashed word n-grams, char n-grams, hand features. */
export function featurize(sentence: string, config: FeatureConfig = defaultConfig()): FeatureVector {
  const out: FeatureVector = new Map();
  visitFeatures(sentence, config, (k, v) => out.set(k, (out.get(k) ?? 0) + v));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The shipped model

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function readConfig(value: unknown): FeatureConfig {
  if (!isRecord(value)) throw new Error('claim model: meta.features missing');
  const num = (key: keyof FeatureConfig): number => {
    const v = value[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`claim model: meta.features.${key} missing`);
    return v;
  };
  return {
    hashBits: num('hashBits'),
    wordNgramMax: num('wordNgramMax'),
    charNgramMin: num('charNgramMin'),
    charNgramMax: num('charNgramMax'),
    wordScale: num('wordScale'),
    charScale: num('charScale'),
    handScale: num('handScale'),
  };
}

/** Validates and reads the meta block of a model in the shipped format. */
export function readModelMeta(json: unknown): CheckWorthinessModelMeta {
  if (!isRecord(json) || !isRecord(json.meta)) throw new Error('claim model: not an object with meta');
  const meta = json.meta;
  if (typeof meta.threshold !== 'number' || !(meta.threshold >= 0 && meta.threshold <= 1)) {
    throw new Error('claim model: meta.threshold missing or outside 0..1');
  }
  const training = isRecord(meta.training) ? meta.training : {};
  return {
    threshold: meta.threshold,
    features: readConfig(meta.features),
    trainedAt: typeof meta.trainedAt === 'string' ? meta.trainedAt : 'unknown',
    dataset: typeof meta.dataset === 'string' ? meta.dataset : '',
    cvF1: typeof training.cvF1 === 'number' ? training.cvF1 : undefined,
  };
}

/**
 * Reads a model in the shipped format: `indices` are sorted hashed feature indices stored as
 * deltas from the previous one (smaller JSON), `weights` the matching coefficients.
 */
export function loadModel(json: unknown): CheckWorthinessModel {
  const meta = readModelMeta(json);
  const { bias, indices, weights } = json as Record<string, unknown>;
  if (typeof bias !== 'number' || !isNumberArray(indices) || !isNumberArray(weights) || indices.length !== weights.length) {
    throw new Error('claim model: bias, indices or weights malformed');
  }
  const entries: [number, number][] = [];
  let at = 0;
  for (let i = 0; i < indices.length; i++) {
    at += indices[i];
    if (!Number.isInteger(at) || at < 0 || at > 0x7fffffff) throw new Error('claim model: feature index out of range');
    entries.push([at, weights[i]]);
  }
  return { meta, bias, weights: new WeightTable(entries) };
}

let shipped: CheckWorthinessModel | undefined;
function shippedModel(): CheckWorthinessModel {
  if (!shipped) {
    const json: unknown = require('./data/claim-model.json');
    shipped = loadModel(json);
  }
  return shipped;
}

function defaultConfig(): FeatureConfig {
  return shippedModel().meta.features;
}

/** The decision threshold chosen in training (the one that maximised cross-validated F1). */
export function defaultCheckWorthinessThreshold(): number {
  return shippedModel().meta.threshold;
}

/** The shipped model's meta block: threshold, feature config, training date, dataset credit. */
export function checkWorthinessModelMeta(): CheckWorthinessModelMeta {
  return shippedModel().meta;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Probability (0..1) under `model` that `sentence` states a checkable fact. */
export function scoreWithModel(model: CheckWorthinessModel, sentence: string): number {
  // visitFeatures's sum, without a callback per feature (the hot path of a check).
  const config = model.meta.features;
  const weights = model.weights;
  const hand = collectFeatures(sentence, config);
  let z = model.bias;
  for (const [keys, scale] of [[wordKeys, config.wordScale], [charKeys, config.charScale]] as const) {
    if (keys.size === 0 || scale === 0) continue;
    const value = blockValue(keys, scale);
    for (let i = 0; i < keys.size; i++) z += weights.get(keys.order[i]) * value;
  }
  if (hand) for (const [name, value] of hand) z += weights.get(handKey(name) & (2 ** config.hashBits - 1)) * (value * config.handScale);
  return sigmoid(z);
}

/** Probability (0..1) that `sentence` states a checkable fact, under the shipped model. */
export function checkWorthinessScore(sentence: string): number {
  return scoreWithModel(shippedModel(), sentence);
}

/** Whether `sentence` states a checkable fact, at the model's threshold unless one is given. */
export function isCheckWorthy(sentence: string, threshold: number = defaultCheckWorthinessThreshold()): boolean {
  return checkWorthinessScore(sentence) >= threshold;
}
