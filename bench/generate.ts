// Deterministic generator of a benchmark corpus: source articles (Markdown with YAML front matter)
// and memos that cite them. Everything is built in memory from a seeded PRNG, so the same seed gives
// byte-identical files on every machine. Actor names come from the engine's gazetteer data so that
// sources read like the articles policy-cite is written for (states, capitals, leaders,
// organizations, figures, dates, quotes, opinions, predictions).
//
// CLI (for looking at the corpus by hand):
//   npx tsx bench/generate.ts --out /tmp/corpus [--size 10k] [--memo 1000] [--seed 1]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Source } from '../src/core/types';

import groupsData from '../src/core/data/gazetteer/groups.json';
import organizationsData from '../src/core/data/gazetteer/organizations.json';
import peopleAsiaMideastData from '../src/core/data/gazetteer/people-asia-mideast.json';
import peopleEurasiaData from '../src/core/data/gazetteer/people-eurasia.json';
import peopleWestData from '../src/core/data/gazetteer/people-west.json';
import placesData from '../src/core/data/gazetteer/places.json';
import statesAfricaData from '../src/core/data/gazetteer/states-africa.json';
import statesAmericasData from '../src/core/data/gazetteer/states-americas-oceania.json';
import statesAsiaData from '../src/core/data/gazetteer/states-asia.json';
import statesEuropeData from '../src/core/data/gazetteer/states-europe.json';

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: small, fast, good enough for test data, and identical everywhere. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Picks by weight: `[[w, value], …]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((s, [w]) => s + w, 0);
    let r = this.next() * total;
    for (const [w, v] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1][1];
  }

  /** A child generator, so that one part's draws do not shift another's. */
  fork(salt: number): Rng {
    return new Rng((Math.floor(this.next() * 4294967296) ^ Math.imul(salt, 0x85ebca6b)) >>> 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Actors from the gazetteer

interface GazetteerEntry {
  name: string;
  type: string;
  aliases: string[];
  roles: string[];
  description?: string;
  metonyms?: string[];
}

interface StateActor {
  name: string;
  /** "Uzbek", "French": used as an adjective. */
  demonym?: string;
  /** The capital standing for the government ("Tashkent"). */
  capital?: string;
}

interface PersonActor {
  name: string;
  surname: string;
  /** Role without the years ("President of the United States"). */
  role?: string;
}

interface OrgActor {
  name: string;
  short: string;
}

const DEMONYM_END = /(an|ans|ian|ians|ese|ish|ic|i|is|ch|er|ers|ot|ots|ish|ene)$/;

function asEntries(data: unknown): GazetteerEntry[] {
  return Array.isArray(data) ? (data as GazetteerEntry[]) : [];
}

function stateActors(): StateActor[] {
  const all = [statesAfricaData, statesAmericasData, statesAsiaData, statesEuropeData].flatMap(asEntries);
  return all.map((s) => {
    const stem = s.name.slice(0, 3).toLowerCase();
    const single = (s.metonyms ?? []).filter((m) => /^\p{Lu}[\p{L}-]+$/u.test(m) && !m.endsWith('s'));
    const isDemonym = (m: string): boolean => m.toLowerCase().startsWith(stem) || DEMONYM_END.test(m);
    const demonym = single.find(isDemonym);
    const capital = single.find((m) => !isDemonym(m));
    return { name: s.name, demonym, capital };
  });
}

function personActors(): PersonActor[] {
  const all = [peopleEurasiaData, peopleWestData, peopleAsiaMideastData].flatMap(asEntries);
  return all.map((p) => {
    const surname = p.aliases.find((a) => /^\p{Lu}[\p{L}'-]+$/u.test(a) && p.name.endsWith(a)) ?? p.name.split(' ').pop() ?? p.name;
    const role = p.roles[0]?.replace(/\s*\([^)]*\)\s*$/, '').trim();
    return { name: p.name, surname, role: role && role.length < 60 ? role : undefined };
  });
}

function orgActors(): OrgActor[] {
  const all = [organizationsData, groupsData].flatMap(asEntries);
  return all.map((o) => {
    const short = o.aliases.find((a) => /^[A-Z]{2,6}$/.test(a)) ?? o.name;
    return { name: o.name, short };
  });
}

function placeNames(): string[] {
  return asEntries(placesData)
    .map((p) => p.name)
    .filter((n) => !/^the\s/i.test(n));
}

interface ActorPools {
  states: StateActor[];
  people: PersonActor[];
  orgs: OrgActor[];
  places: string[];
}

let poolsCache: ActorPools | undefined;

function pools(): ActorPools {
  poolsCache ??= { states: stateActors(), people: personActors(), orgs: orgActors(), places: placeNames() };
  return poolsCache;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const GIVEN = [
  'Alexander', 'Maria', 'Sergei', 'Elena', 'John', 'Sarah', 'Ahmed', 'Fatima', 'Wei', 'Li', 'Pierre', 'Claire',
  'Hans', 'Ingrid', 'Kenji', 'Yuki', 'Carlos', 'Lucia', 'Olga', 'Dmitri', 'Nadia', 'Omar', 'Leila', 'Rahul',
  'Priya', 'Tomasz', 'Agnieszka', 'Mehmet', 'Ayse', 'David', 'Rachel', 'Michael', 'Anna', 'Paul', 'Julia',
  'Farid', 'Zarina', 'Bakhtiyor', 'Gulnara', 'Nikolai', 'Irina', 'Thomas', 'Emma', 'Kwame', 'Amina', 'Jorge',
];

const FAMILY = [
  'Golts', 'Petrova', 'Ivanov', 'Smith', 'Johnson', 'Khan', 'Haddad', 'Zhang', 'Liu', 'Dubois', 'Martin',
  'Schmidt', 'Larsen', 'Tanaka', 'Sato', 'Garcia', 'Fernandez', 'Kuznetsova', 'Volkov', 'Sokolov', 'Rahimi',
  'Karimova', 'Sharma', 'Patel', 'Nowak', 'Kowalska', 'Yilmaz', 'Demir', 'Cohen', 'Levi', 'Brown', 'Miller',
  'Wilson', 'Moore', 'Taylor', 'Anderson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Young',
  'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell',
  'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Torres', 'Parker', 'Collins', 'Edwards', 'Stewart',
  'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Peterson', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Gomez',
  'Kelly', 'Howard', 'Ward', 'Cox', 'Diaz', 'Richardson', 'Wood', 'Watson', 'Brooks', 'Bennett', 'Gray',
  'Yusupov', 'Tashkentova', 'Abdullaev', 'Nazarbayeva', 'Mirzaev', 'Orlov', 'Lebedev', 'Novikov', 'Morozov',
  'Pavlov', 'Semenov', 'Egorov', 'Vinogradov', 'Bogdanov', 'Vorobyov', 'Fedorov', 'Mikhailov', 'Belyaev',
  'Tarasov', 'Belov', 'Komarov', 'Kiselev', 'Makarov', 'Andreev', 'Kovalev', 'Ilyin', 'Gusev', 'Titov',
];

const PUBLISHERS = [
  'Eurasia Daily Monitor', 'Foreign Policy Review', 'The Security Quarterly', 'Global Affairs Weekly',
  'Central Asia Analyst', 'The Strategic Observer', 'International Crisis Briefing', 'World Politics Journal',
  'The Defense Ledger', 'Regional Studies Bulletin', 'The Diplomatic Courier', 'Policy Brief Online',
];

const TOPICS = [
  'military cooperation', 'energy security', 'border security', 'counterterrorism', 'trade relations',
  'arms control', 'the transit of supplies', 'water sharing', 'migration', 'sanctions relief',
  'gas pipelines', 'air base access', 'nuclear safety', 'regional integration', 'food security',
  'cyber defense', 'peacekeeping', 'debt restructuring', 'refugee returns', 'maritime boundaries',
];

const THINGS = [
  'new helicopters', 'an air defense system', 'a gas pipeline', 'border infrastructure', 'a military base',
  'armored vehicles', 'a railway link', 'grain imports', 'a power plant', 'training programs',
  'surveillance drones', 'a port expansion', 'humanitarian aid', 'reconstruction projects',
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const QUOTES = [
  'We will not allow foreign bases on our territory',
  'This agreement serves the interests of both nations',
  'The security situation on the border remains difficult',
  'Our partners must respect our sovereignty',
  'We are ready to continue the dialogue without preconditions',
  'Nobody should expect a quick solution',
  'The decision was taken after long consultations with our allies',
  'These figures do not reflect the real situation',
  'We have fulfilled all our obligations under the treaty',
  'The door to negotiations remains open',
  'Any attempt to change the borders by force is unacceptable',
  'We expect the payments to resume next year',
];

const SPEAKERS = [
  'a senior official said', 'a Western diplomat said', 'a government spokesman told reporters',
  'a senior military officer said', 'an adviser to the president said', 'a foreign ministry spokeswoman said',
];

const OPINION_LEADS = [
  'In my view,', 'It seems clear that', 'Arguably,', 'It would be naive to believe that', 'One cannot help thinking that',
  'The truth is that', 'It is hard to escape the conclusion that',
];

const OPINION_CLAIMS = [
  '{S} has little interest in genuine reform',
  'the policy of {S} toward {S2} is a strategic mistake',
  '{O} has lost much of its relevance',
  '{P} is playing a double game',
  'the alliance between {S} and {S2} rests on shaky foundations',
  '{S} overestimates its influence in {PL}',
  'sanctions alone will not change the behavior of {S}',
];

// ---------------------------------------------------------------------------------------------
// Figures and dates

function money(rng: Rng): string {
  const currency = rng.weighted([[6, '$'], [2, '€'], [1, '£']] as const);
  if (rng.chance(0.6)) return `${currency}${rng.int(2, 950)} million`;
  return `${currency}${rng.int(1, 40)}.${rng.int(1, 9)} billion`;
}

function percent(rng: Rng): string {
  return rng.chance(0.2) ? `${rng.int(1, 9)}.${rng.int(1, 9)} percent` : `${rng.int(2, 95)} percent`;
}

function count(rng: Rng, unit: string): string {
  const n = rng.pick([rng.int(2, 99) * 100, rng.int(1, 60) * 1000, rng.int(12, 900)]);
  return `${n.toLocaleString('en-US')} ${unit}`;
}

function year(rng: Rng): number {
  return rng.int(1992, 2024);
}

function fullDate(rng: Rng, y = year(rng)): string {
  return `${rng.pick(MONTHS)} ${rng.int(1, 28)}, ${y}`;
}

function monthYear(rng: Rng, y = year(rng)): string {
  return `${rng.pick(MONTHS)} ${y}`;
}

// ---------------------------------------------------------------------------------------------
// Sentences

export type SentenceKind = 'fact' | 'quote' | 'opinion' | 'prediction';

interface Cast {
  s: StateActor;
  s2: StateActor;
  p: PersonActor;
  p2: PersonActor;
  o: OrgActor;
  pl: string;
}

function castFor(rng: Rng, focus: StateActor[]): Cast {
  const { states, people, orgs, places } = pools();
  const s = rng.chance(0.7) ? rng.pick(focus) : rng.pick(states);
  let s2 = rng.chance(0.5) ? rng.pick(focus) : rng.pick(states);
  if (s2 === s) s2 = rng.pick(states);
  return { s, s2, p: rng.pick(people), p2: rng.pick(people), o: rng.pick(orgs), pl: rng.pick(places) };
}

/** How a state is named in a sentence: by name, capital or "the X government". */
function stateRef(rng: Rng, s: StateActor): string {
  const r = rng.next();
  if (r < 0.15 && s.capital) return s.capital;
  if (r < 0.3 && s.demonym) return `the ${s.demonym} government`;
  return s.name;
}

function personRef(rng: Rng, p: PersonActor): string {
  const roleRepeatsName = p.role !== undefined && p.name.split(' ').some((w) => w.length > 3 && p.role?.includes(w));
  if (p.role && !roleRepeatsName && rng.chance(0.35)) return `${p.role} ${p.name}`;
  return rng.chance(0.8) ? p.name : p.surname;
}

function fill(template: string, rng: Rng, c: Cast): string {
  return template
    .replace(/\{S2\}/g, () => stateRef(rng, c.s2))
    .replace(/\{S\}/g, () => stateRef(rng, c.s))
    .replace(/\{SN\}/g, c.s.name)
    .replace(/\{DEM\}/g, c.s.demonym ?? c.s.name)
    .replace(/\{P2\}/g, () => personRef(rng, c.p2))
    .replace(/\{P\}/g, () => personRef(rng, c.p))
    .replace(/\{O\}/g, () => (rng.chance(0.5) ? c.o.short : c.o.name))
    .replace(/\{PL\}/g, c.pl)
    .replace(/\{CAP\}/g, c.s.capital ?? c.s.name)
    .replace(/\{MONEY\}/g, () => money(rng))
    .replace(/\{PCT\}/g, () => percent(rng))
    .replace(/\{TROOPS\}/g, () => count(rng, 'troops'))
    .replace(/\{REFUGEES\}/g, () => count(rng, 'refugees'))
    .replace(/\{KM\}/g, () => `${rng.int(3, 900)} kilometers`)
    .replace(/\{Y2\}/g, () => String(year(rng)))
    .replace(/\{Y\}/g, () => String(year(rng)))
    .replace(/\{DATE\}/g, () => fullDate(rng))
    .replace(/\{MY\}/g, () => monthYear(rng))
    .replace(/\{TOPIC\}/g, () => rng.pick(TOPICS))
    .replace(/\{THING\}/g, () => rng.pick(THINGS))
    .replace(/\{N\}/g, () => String(rng.int(3, 40)));
}

const FACT_TEMPLATES = [
  '{S} agreed to pay {MONEY} for {THING} in {Y}.',
  'In {MY}, {P} visited {CAP} to discuss {TOPIC} with {S2}.',
  '{O} deployed {TROOPS} to {SN} in {Y}.',
  'The defense budget of {SN} rose by {PCT} between {Y} and {Y2}.',
  '{S} withdrew from {O} on {DATE}.',
  'Trade between {S} and {S2} reached {MONEY} in {Y}.',
  '{O} has {N} member states, including {SN} and {S2}.',
  'About {REFUGEES} crossed from {SN} into {S2} during {Y}.',
  '{P} signed an agreement with {P2} on {TOPIC} on {DATE}.',
  'The {DEM} parliament approved {MONEY} in military aid for {S2}.',
  '{S} and {S2} share a border of {KM} in {PL}.',
  'Unemployment in {SN} fell to {PCT} in {Y}, according to {O}.',
  '{S} closed its air base to {S2} aircraft in {MY}.',
  'The pipeline from {SN} to {S2} carried {PCT} of the region’s gas exports in {Y}.',
  'On {DATE}, {S} expelled {N} diplomats of {S2}.',
  '{P} met the head of {O} in {CAP} on {DATE}.',
  'Inflation in {SN} reached {PCT} in {Y}, the highest level since {Y2}.',
  '{O} suspended the membership of {SN} in {Y}.',
  'Since {Y}, {S} has received {MONEY} in loans from {O}.',
  '{S} stationed {TROOPS} near the border with {S2} in {MY}.',
];

const QUOTE_TEMPLATES = [
  '"{Q}," {SPK}.',
  '{P} said: "{Q}."',
  '"{Q}," {P} told reporters in {CAP} on {DATE}.',
  'According to a diplomat in {CAP}, "{Q}."',
  'A spokesman for {O} said that "{Q}."',
];

const PREDICTION_TEMPLATES = [
  '{S} will likely leave {O} by {Y}.',
  'Analysts expect trade between {S} and {S2} to reach {MONEY} by {Y}.',
  '{P} is expected to visit {CAP} next year.',
  'The deal will probably collapse if {S2} raises gas prices by {PCT}.',
  '{O} could deploy {TROOPS} to {PL} within two years.',
  'If the trend continues, {SN} will run out of reserves before {Y}.',
];

export function sentenceOf(kind: SentenceKind, rng: Rng, c: Cast): string {
  const text = rawSentence(kind, rng, c);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function rawSentence(kind: SentenceKind, rng: Rng, c: Cast): string {
  switch (kind) {
    case 'fact':
      return fill(rng.pick(FACT_TEMPLATES), rng, c);
    case 'quote': {
      const t = rng.pick(QUOTE_TEMPLATES).replace('{Q}', rng.pick(QUOTES)).replace('{SPK}', rng.pick(SPEAKERS));
      return fill(t, rng, c);
    }
    case 'opinion':
      return fill(`${rng.pick(OPINION_LEADS)} ${rng.pick(OPINION_CLAIMS)}.`, rng, c);
    case 'prediction':
      return fill(rng.pick(PREDICTION_TEMPLATES), rng, c);
  }
}

function sentenceKind(rng: Rng): SentenceKind {
  return rng.weighted([[60, 'fact'], [15, 'quote'], [15, 'opinion'], [10, 'prediction']] as const);
}

// ---------------------------------------------------------------------------------------------
// Sources

export interface GeneratedFile {
  path: string;
  text: string;
}

export interface GeneratedSource extends GeneratedFile {
  /** The body paragraphs as generated, sentence by sentence (para. N is `paragraphs[N - 1]`). */
  paragraphs: string[][];
  sentenceCount: number;
}

export interface Corpus {
  sources: GeneratedSource[];
  /** Sentences generated (the engine's claim count may differ slightly: it splits on its own). */
  sentenceCount: number;
}

export interface CorpusOptions {
  /** Target number of sentences (≈ claims). */
  claims: number;
  seed?: number;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

/** One article; `maxSentences` caps it so that the corpus lands on its target size. */
export function generateSource(rng: Rng, n: number, maxSentences = Infinity): GeneratedSource {
  const { states, orgs } = pools();
  const focus = [rng.pick(states), rng.pick(states), rng.pick(states)];
  const org = rng.pick(orgs);
  const author = `${rng.pick(GIVEN)} ${rng.pick(FAMILY)}`;
  const y = year(rng);
  const date = `${y}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const title = rng.pick([
    `${focus[0].name} and ${org.short}: ${rng.pick(TOPICS)} after ${y - rng.int(1, 10)}`,
    `Why ${focus[0].name} is rethinking ${rng.pick(TOPICS)}`,
    `${focus[0].name}, ${focus[1].name} and the politics of ${rng.pick(TOPICS)}`,
    `The ${rng.pick(TOPICS)} dilemma in ${focus[0].name}`,
  ]);
  const publisher = rng.pick(PUBLISHERS);

  const paragraphs: string[][] = [];
  let total = 0;
  const paragraphCount = rng.int(5, 25);
  for (let k = 0; k < paragraphCount && total < maxSentences; k++) {
    const sentences: string[] = [];
    const len = Math.min(rng.int(2, 6), maxSentences - total);
    const cast = castFor(rng, focus);
    for (let i = 0; i < len; i++) sentences.push(sentenceOf(sentenceKind(rng), rng, rng.chance(0.6) ? cast : castFor(rng, focus)));
    total += sentences.length;
    paragraphs.push(sentences);
  }

  const lines = ['---', `title: ${yamlString(title)}`, `author: ${yamlString(author)}`, `date: ${date}`, `publisher: ${yamlString(publisher)}`, '---', ''];
  if (rng.chance(0.5)) lines.push(`# ${title}`, '');
  for (const p of paragraphs) {
    // Some paragraphs are hard-wrapped after a sentence, as exported articles often are.
    lines.push(rng.chance(0.2) && p.length > 2 ? `${p.slice(0, 2).join(' ')}\n${p.slice(2).join(' ')}` : p.join(' '), '');
  }
  if (rng.chance(0.3)) lines.push(`*The views expressed are the author’s own and do not reflect the position of ${publisher}.*`, '');
  const region = slug(focus[0].name) || 'misc';
  const path = `sources/${region}/${slug(author.split(' ')[1])}-${y}-${String(n).padStart(6, '0')}.md`;
  return { path, text: lines.join('\n'), paragraphs, sentenceCount: total };
}

export function generateCorpus(options: CorpusOptions): Corpus {
  const rng = new Rng(options.seed ?? 1);
  const sources: GeneratedSource[] = [];
  let total = 0;
  for (let n = 0; total < options.claims; n++) {
    const source = generateSource(rng.fork(n), n, options.claims - total);
    sources.push(source);
    total += source.sentenceCount;
  }
  return { sources, sentenceCount: total };
}

/** "1k" → 1000, "10k" → 10000, "100k" → 100000, "2500" → 2500. */
export function parseSize(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([km]?)$/i.exec(size.trim());
  if (!m) throw new Error(`bad size "${size}" (use e.g. 1k, 10k, 100k)`);
  const mult = m[2].toLowerCase() === 'k' ? 1000 : m[2].toLowerCase() === 'm' ? 1_000_000 : 1;
  return Math.round(Number(m[1]) * mult);
}

// ---------------------------------------------------------------------------------------------
// Memos

/** What a memo may cite: a key as the index assigned it, with the source's paragraphs. */
export interface MemoLibraryEntry {
  key: string;
  /** Sentences per paragraph; para. N is `paragraphs[N - 1]`. */
  paragraphs: string[][];
}

export interface MemoOptions {
  lines: number;
  library: MemoLibraryEntry[];
  seed?: number;
}

const ALTERABLE = /(\d[\d,]*(?:\.\d+)?)(?=\s*(?:million|billion|percent|troops|refugees|kilometers|diplomats|member)\b)|\b(?:19|20)\d\d\b/;

/** Changes a figure of a sentence (an amount, a count or a year) to provoke a number mismatch. */
function alterFigure(rng: Rng, sentence: string): string {
  return sentence.replace(ALTERABLE, (m) => {
    const value = Number(m.replace(/,/g, ''));
    if (/^(19|20)\d\d$/.test(m)) return String(value + rng.int(1, 3));
    const changed = value * (rng.chance(0.5) ? 2 : 0.5);
    return Number.isInteger(changed) ? changed.toLocaleString('en-US') : changed.toFixed(1);
  });
}

function citedSentence(rng: Rng, library: MemoLibraryEntry[]): string {
  const entry = rng.pick(library);
  const para = rng.int(1, entry.paragraphs.length);
  let sentence = rng.pick(entry.paragraphs[para - 1]).replace(/\.\s*$/, '').replace(/[.?!]["”]$/, '"');
  const r = rng.next();
  let locator = `para. ${para}`;
  if (r < 0.1) sentence = alterFigure(rng, sentence);
  else if (r < 0.13) locator = `para. ${entry.paragraphs.length + rng.int(1, 5)}`;
  const key = rng.chance(0.02) ? `${entry.key}x` : entry.key;
  const cite = rng.chance(0.85) ? `[@${key}, ${locator}]` : rng.chance(0.5) ? `[see @${key}, ${locator}; @${rng.pick(library).key}]` : `[@${key}]`;
  return `${sentence} ${cite}.`;
}

function uncitedSentence(rng: Rng): string {
  const { states } = pools();
  const cast = castFor(rng, [rng.pick(states), rng.pick(states)]);
  return sentenceOf(rng.chance(0.8) ? 'fact' : 'quote', rng, cast);
}

const MEMO_OPINIONS = [
  'We should press for a clearer commitment from {S}.',
  'In our view, {O} needs a new mandate.',
  'The government ought to reconsider its approach to {S}.',
  'This is, frankly, a risky bet.',
  'It would be wise to wait for the next round of talks.',
  'Policymakers must not ignore the costs of inaction.',
  'We recommend a phased approach to {TOPIC}.',
];

function memoSentence(rng: Rng, library: MemoLibraryEntry[]): string {
  const kind = rng.weighted([[50, 'cited'], [25, 'uncited'], [15, 'opinion'], [10, 'prediction']] as const);
  const { states } = pools();
  if (kind === 'cited' && library.length) return citedSentence(rng, library);
  if (kind === 'opinion') return fill(rng.pick(MEMO_OPINIONS), rng, castFor(rng, [rng.pick(states)]));
  if (kind === 'prediction') return sentenceOf('prediction', rng, castFor(rng, [rng.pick(states)]));
  return uncitedSentence(rng);
}

const SECTION_TITLES = ['Background', 'Key developments', 'Military balance', 'Economic levers', 'Diplomatic options', 'Risks', 'Recommendations', 'Outlook'];

/** Blocks of lines; the memo is filled block by block up to the requested line count. */
function memoBlock(rng: Rng, library: MemoLibraryEntry[], blockNo: number, codeDone: boolean): string[] {
  if (!codeDone && blockNo >= 4) {
    return ['```yaml', 'bibliography: references.json', `# ${rng.int(1, 99)} [@not-a-citation] in code`, 'csl: chicago.csl', '```', ''];
  }
  const r = rng.next();
  if (r < 0.06) return [`## ${rng.pick(SECTION_TITLES)} ${blockNo}`, ''];
  if (r < 0.16) {
    const items = rng.int(2, 5);
    const lines: string[] = [];
    for (let i = 0; i < items; i++) lines.push(`- ${memoSentence(rng, library)}`);
    return [...lines, ''];
  }
  if (r < 0.19) return [`> ${memoSentence(rng, library)}`, ''];
  // A prose paragraph: one to four lines, one or two sentences a line.
  const lines: string[] = [];
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) lines.push(rng.chance(0.3) ? `${memoSentence(rng, library)} ${memoSentence(rng, library)}` : memoSentence(rng, library));
  return [...lines, ''];
}

/** A Markdown memo of exactly `lines` lines (front matter, headings, prose, lists, a code block). */
export function generateMemo(options: MemoOptions): string {
  const rng = new Rng((options.seed ?? 7) ^ options.lines);
  const out = ['---', 'title: "Policy memo: regional security outlook"', 'author: "Policy Planning Staff"', 'date: 2024-05-02', '---', '', '# Regional security outlook', ''];
  let codeDone = false;
  for (let blockNo = 0; out.length < options.lines; blockNo++) {
    const block = memoBlock(rng, options.library, blockNo, codeDone);
    if (block[0].startsWith('```')) codeDone = true;
    if (out.length + block.length > options.lines) {
      // Fill the rest with one-line paragraphs so that the memo has exactly the requested length.
      while (out.length < options.lines) out.push(out.length % 2 === 0 ? memoSentence(rng, options.library) : '');
      break;
    }
    out.push(...block);
  }
  return out.slice(0, options.lines).join('\n') + '\n';
}

/** Library entries from sources as the engine indexed them (its keys, paragraphs and sentences). */
export function libraryFromSources(sources: readonly Source[]): MemoLibraryEntry[] {
  const out: MemoLibraryEntry[] = [];
  for (const s of sources) {
    const paragraphs: string[][] = s.paragraphs.map(() => []);
    for (const c of s.claims) paragraphs[c.paragraph - 1]?.push(c.text);
    if (paragraphs.length > 0 && paragraphs.every((p) => p.length > 0)) out.push({ key: s.key, paragraphs });
  }
  return out;
}

/** The memo with one paragraph near the middle changed (a sentence appended), as a person edits. */
export function editOneParagraph(memo: string, variant: number): string {
  const lines = memo.split('\n');
  let inCode = false;
  const candidates: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^```/.test(lines[i])) inCode = !inCode;
    else if (!inCode && i > 8 && /^[A-Z"]/.test(lines[i])) candidates.push(i);
  }
  const at = candidates[Math.floor(candidates.length / 2)] ?? lines.length - 1;
  const addition = [' Officials in Tashkent disputed the figure.', ' Russia deployed 4,000 troops to Tajikistan in 2015.'][variant % 2];
  lines[at] = lines[at] + addition;
  return lines.join('\n');
}

/**
 * The memo with footnotes, as policy memos often have them: a reference `[^n]` at the end of
 * every tenth prose paragraph that ends in a full stop, and the notes defined at the end (each
 * citing a source, when the memo cites one).
 */
export function withFootnotes(memo: string): string {
  const paragraphs = memo.split('\n\n');
  const key = /\[@([\w-]+)/.exec(memo)?.[1];
  let notes = 0;
  let inCode = false;
  const out = paragraphs.map((p, i) => {
    if ((p.match(/^```/gm)?.length ?? 0) % 2 === 1) inCode = !inCode;
    if (inCode || i % 10 !== 5 || !/^[A-Z][^\n]*\.$/.test(p)) return p;
    notes++;
    return `${p.slice(0, -1)}[^${notes}].`;
  });
  const definitions = Array.from({ length: notes }, (_, n) => `[^${n + 1}]: Note ${n + 1}${key ? `, see [@${key}]` : ''}.`);
  return `${out.join('\n\n')}\n\n${definitions.join('\n\n')}\n`;
}

/**
 * The memo with reference-style links in every fifth paragraph (full `[text][label]`, collapsed
 * `[label][]` and shortcut `[label]` references, in turn), their definitions at the end: the way
 * many memos link their sources.
 */
export function withLinks(memo: string): string {
  const paragraphs = memo.split('\n\n');
  let links = 0;
  let inCode = false;
  const out = paragraphs.map((p, i) => {
    if ((p.match(/^```/gm)?.length ?? 0) % 2 === 1) inCode = !inCode;
    if (inCode || i % 5 !== 2 || !/[a-z\])]\.$/.test(p)) return p;
    links++;
    const ref = links % 3 === 0 ? `[the report][r${links}]` : links % 3 === 1 ? `[r${links}][]` : `[r${links}]`;
    return `${p.slice(0, -1)} (see ${ref}).`;
  });
  const definitions = Array.from({ length: links }, (_, n) => `[r${n + 1}]: https://example.org/reports/${n + 1}?lang=en&page=2 "Report ${n + 1}"`);
  return `${out.join('\n\n')}\n\n${definitions.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// CLI

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = argValue(args, '--out');
  if (!out || args.includes('--help')) {
    console.log('usage: npx tsx bench/generate.ts --out DIR [--size 10k] [--memo 1000[,10000]] [--seed 1]');
    process.exitCode = out ? 0 : 1;
    return;
  }
  const size = parseSize(argValue(args, '--size') ?? '10k');
  const seed = Number(argValue(args, '--seed') ?? '1');
  const memoSizes = (argValue(args, '--memo') ?? '1000').split(',').filter(Boolean).map(Number);
  const corpus = generateCorpus({ claims: size, seed });
  for (const s of corpus.sources) {
    const file = join(out, s.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, s.text);
  }
  // Memos cite keys as the engine assigns them (author + year, with a/b suffixes on collisions).
  const { parseSources } = await import('../src/core/loader');
  const encoder = new TextEncoder();
  const parsed = parseSources(corpus.sources.map((s) => ({ path: s.path, bytes: encoder.encode(s.text) })));
  const library = libraryFromSources(parsed.sources);
  for (const lines of memoSizes) writeFileSync(join(out, `memo-${lines}.md`), generateMemo({ lines, library, seed }));
  console.log(`wrote ${corpus.sources.length} sources (${corpus.sentenceCount} sentences) and ${memoSizes.length} memo(s) to ${out}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}

// ---------------------------------------------------------------------------------------------
// Bibliographies: an analyst's reference-manager library, in the three formats Pandoc reads

/** One CSL item of a generated library. */
export interface LibraryItem {
  id: string;
  type: string;
  title: string;
  author: { family: string; given: string }[];
  issued: { 'date-parts': number[][] };
  'container-title': string;
  volume?: string;
  page?: string;
  abstract?: string;
}

/**
 * `n` works as a reference manager exports them: one to four authors, a year (some a month), a
 * title, a journal, half with an abstract of a few sentences (what makes real libraries large).
 */
export function generateLibrary(n: number, seed: number): LibraryItem[] {
  const rng = new Rng(seed ^ 0x5eed);
  const items: LibraryItem[] = [];
  for (let i = 0; i < n; i++) {
    const author = Array.from({ length: rng.int(1, 4) }, () => ({ family: rng.pick(FAMILY), given: rng.pick(GIVEN) }));
    const year = rng.int(1990, 2026);
    const item: LibraryItem = {
      id: `${author[0].family.toLowerCase()}${year}-${i}`,
      type: rng.pick(['article-journal', 'book', 'report', 'article-newspaper', 'chapter']),
      title: `${rng.pick(['Rethinking', 'The Politics of', 'Notes on', 'Beyond', 'Assessing'])} ${rng.pick(TOPICS)} and ${rng.pick(THINGS)}: ${rng.pick(['a reassessment', 'evidence from Central Asia', 'lessons for Europe', 'a comparative study'])}`,
      author,
      issued: { 'date-parts': [rng.chance(0.3) ? [year, rng.int(1, 12)] : [year]] },
      'container-title': rng.pick(PUBLISHERS),
    };
    if (rng.chance(0.6)) item.volume = String(rng.int(1, 80));
    if (rng.chance(0.6)) item.page = `${rng.int(1, 300)}–${rng.int(301, 600)}`;
    if (rng.chance(0.5)) item.abstract = Array.from({ length: rng.int(2, 6) }, () => `This work examines ${rng.pick(TOPICS)} and ${rng.pick(THINGS)} in ${rng.pick(['the region', 'the CSTO', 'Central Asia', 'the Caucasus'])}.`).join(' ');
    items.push(item);
  }
  return items;
}

/** The library as BibTeX, one field per line, as reference managers write it. */
export function libraryAsBibtex(items: readonly LibraryItem[]): string {
  const kind: Record<string, string> = { 'article-journal': 'article', book: 'book', report: 'techreport', 'article-newspaper': 'article', chapter: 'incollection' };
  return items
    .map((it) => {
      const fields = [
        `  author = {${it.author.map((a) => `${a.family}, ${a.given}`).join(' and ')}}`,
        `  title = {${it.title}}`,
        `  journal = {${it['container-title']}}`,
        `  year = {${it.issued['date-parts'][0][0]}}`,
        ...(it.volume ? [`  volume = {${it.volume}}`] : []),
        ...(it.page ? [`  pages = {${it.page.replace('–', '--')}}`] : []),
        ...(it.abstract ? [`  abstract = {${it.abstract}}`] : []),
      ];
      return `@${kind[it.type]}{${it.id},\n${fields.join(',\n')}\n}\n`;
    })
    .join('\n');
}
