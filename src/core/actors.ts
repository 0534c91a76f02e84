// The actor registry: canonical actors with aliases and metonyms, and a matcher that finds their
// mentions in text. Built from the gazetteer, the actors discovered in sources and the user's
// `.policy-cite/actors.json`; later definitions of the same name merge into earlier ones.
import { wordCharAt } from './text';
import type { ActorDefinition, ActorMention, ActorType } from './types';

export interface Token {
  text: string;
  /** The token normalised for matching: possessive and a sentence-final dot removed. */
  norm: string;
  start: number;
  end: number;
}

/**
 * The matches of `/[\p{L}\p{N}]+(?:[.'’\-][\p{L}\p{N}]+)*\.?/gu`, found by a scan of character
 * codes: tokenize runs on every sentence, and each regex match allocated a match array
 * (test/unit/parseEquivalence.test.ts compares the two).
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let w = letterOrDigitAt(text, i);
    if (w === 0) {
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      i += w;
      while (i < n && (w = letterOrDigitAt(text, i)) > 0) i += w;
      // One '.', "'", '’' or '-' followed by a letter or digit joins the next run ("U.S", "Sino-Russian").
      if (i + 1 < n) {
        const c = text.charCodeAt(i);
        if ((c === 0x2e || c === 0x27 || c === 0x2019 || c === 0x2d) && (w = letterOrDigitAt(text, i + 1)) > 0) {
          i++;
          continue;
        }
      }
      break;
    }
    if (i < n && text.charCodeAt(i) === 0x2e) i++;
    const token = text.slice(start, i);
    out.push({ text: token, norm: normalizeToken(token), start, end: i });
  }
  return out;
}

/** Length of the `\p{L}` or `\p{N}` code point at `i` (0: none); ASCII inline, the rest by text.ts. */
function letterOrDigitAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || (c >= 0x30 && c <= 0x39) ? 1 : 0;
  return wordCharAt(text, i, false);
}

function normalizeToken(token: string): string {
  // `token.replace(/['’]s\.?$/u, '')`, then a final '.' removed, by character codes: "Russia's" and
  // "Russia's." are "Russia"; "Moscow." at a sentence end is "Moscow"; "U.S." keeps its inner dots
  // but not the last one.
  let end = token.length;
  if (token.charCodeAt(end - 1) === 0x2e) end--;
  if (end >= 2 && token.charCodeAt(end - 1) === 0x73) {
    const c = token.charCodeAt(end - 2);
    if (c === 0x27 || c === 0x2019) end -= 2;
  }
  return end === token.length ? token : token.slice(0, end);
}

interface AliasEntry {
  /** Normalised tokens of the alias; shared between entries and layers, never mutated. */
  tokens: readonly string[];
  /** `tokens.join(' ')`, to compare entries without joining again. */
  key: string;
  actor: string;
}

/**
 * Alias tokens by surface form. Every source extends the registry with the actors it names, and
 * the role it gives a known actor copies all of that actor's aliases into its layer: tokenizing
 * them again for every source was a good part of parsing. Bounded, so a long session that parses
 * many sources cannot grow it without end.
 */
const surfaceCache = new Map<string, { tokens: readonly string[]; key: string } | null>();
const SURFACE_CACHE_LIMIT = 50_000;

function aliasTokens(surface: string): { tokens: readonly string[]; key: string } | null {
  let entry = surfaceCache.get(surface);
  if (entry !== undefined) return entry;
  const tokens = tokenize(surface).map((t) => t.norm);
  // A leading article is optional in text ("the West" / "West").
  if (tokens.length > 1 && tokens[0].toLowerCase() === 'the') tokens.shift();
  entry = tokens.length === 0 ? null : { tokens, key: tokens.join(' ') };
  if (surfaceCache.size >= SURFACE_CACHE_LIMIT) surfaceCache.clear();
  surfaceCache.set(surface, entry);
  return entry;
}

export const ACTOR_TYPES: readonly ActorType[] = ['person', 'state', 'organization', 'place', 'group'];

/** One registry's own definitions and alias table; the layers under it are its parent's. */
interface Layer {
  byName: Map<string, ActorDefinition>;
  /** First normalised token → alias entries of this layer, longest first. */
  byFirstToken: Map<string, AliasEntry[]>;
  /** The longest alias in tokens, over this layer and its parents. */
  maxAliasTokens: number;
  /**
   * First code units of byFirstToken's keys: 1 at an ASCII code that starts one, and whether a
   * non-ASCII one does. Most words of a text start no alias; this rejects them without hashing.
   */
  firstCodes: Uint8Array;
  nonAsciiFirst: boolean;
}

export class ActorRegistry {
  /** This registry's layer, or the function that supplies its definitions until first use. */
  private state: Layer | (() => Iterable<ActorDefinition>);

  /**
   * `definitions`: the actors of this layer, or a function that returns them when the registry is
   * first asked something (the default registry is created during activation, and the gazetteer's
   * data should load only when actors are first looked up).
   * `parent`: a registry this one extends. Extending is cheap (only the new definitions are
   * indexed), so every source and every index can layer its own actors over the gazetteer.
   */
  constructor(
    definitions: Iterable<ActorDefinition> | (() => Iterable<ActorDefinition>),
    private readonly parent?: ActorRegistry,
  ) {
    this.state = typeof definitions === 'function' ? definitions : this.build(definitions);
  }

  private get layer(): Layer {
    const state = this.state;
    if (typeof state !== 'function') return state;
    const layer = this.build(state());
    this.state = layer;
    return layer;
  }

  private build(definitions: Iterable<ActorDefinition>): Layer {
    const byName = new Map<string, ActorDefinition>();
    const byFirstToken = new Map<string, AliasEntry[]>();
    for (const def of definitions) this.merge(byName, def);
    let max = this.parent ? this.parent.layer.maxAliasTokens : 1;
    // The aliases taken, by key: the first actor to claim an alias keeps it. (A set, not a search
    // of the list: a user's actors file may give thousands of aliases the same first word.)
    const taken = new Set<string>();
    for (const def of byName.values()) {
      for (const surface of surfacesOf(def)) {
        const alias = aliasTokens(surface);
        if (alias === null) continue;
        const { tokens, key } = alias;
        let list = byFirstToken.get(tokens[0]);
        if (!list) byFirstToken.set(tokens[0], (list = []));
        if (!taken.has(key)) {
          taken.add(key);
          list.push({ tokens, key, actor: def.name });
        }
        max = Math.max(max, tokens.length);
      }
    }
    for (const list of byFirstToken.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
    const firstCodes = new Uint8Array(128);
    let nonAsciiFirst = false;
    for (const first of byFirstToken.keys()) {
      const c = first.charCodeAt(0);
      if (c < 128) firstCodes[c] = 1;
      else nonAsciiFirst = true;
    }
    return { byName, byFirstToken, maxAliasTokens: max, firstCodes, nonAsciiFirst };
  }

  private merge(byName: Map<string, ActorDefinition>, def: ActorDefinition): void {
    const existing = byName.get(def.name) ?? this.parent?.get(def.name);
    if (!existing) {
      byName.set(def.name, {
        ...def,
        aliases: [...new Set(def.aliases)],
        roles: [...new Set(def.roles)],
        metonyms: def.metonyms ? [...new Set(def.metonyms)] : undefined,
      });
      return;
    }
    // Never mutate a parent's definition: the merged one lives in this layer.
    byName.set(def.name, {
      ...existing,
      aliases: [...new Set([...existing.aliases, ...def.aliases])],
      roles: [...new Set([...existing.roles, ...def.roles])],
      metonyms: def.metonyms || existing.metonyms ? [...new Set([...(existing.metonyms ?? []), ...(def.metonyms ?? [])])] : undefined,
      description: existing.description ?? def.description,
    });
  }

  /** A registry with `definitions` layered over this one (this one is left unchanged). */
  extend(definitions: Iterable<ActorDefinition>): ActorRegistry {
    return new ActorRegistry(definitions, this);
  }

  get(name: string): ActorDefinition | undefined {
    return this.layer.byName.get(name) ?? this.parent?.get(name);
  }

  all(): ActorDefinition[] {
    const { byName } = this.layer;
    if (!this.parent) return [...byName.values()];
    return [...this.parent.all().filter((d) => !byName.has(d.name)), ...byName.values()];
  }

  get size(): number {
    return this.all().length;
  }

  /**
   * Whether this registry's own layer (not its parents) has an alias starting with `token`: when
   * no token of a text has one, the text's mentions are the same as under the parent.
   */
  ownsFirstToken(token: string): boolean {
    const layer = this.layer;
    return mayStartAlias(layer, token) && layer.byFirstToken.has(token);
  }

  /** Alias entries starting with `token`, from every layer, longest first. */
  private candidates(token: string): AliasEntry[] | undefined {
    // Iterative over the layers (this one first), allocating only when two or more layers have
    // entries: the same result as merging own + inherited at every level, as the stable sort by
    // length keeps layer order (and each layer's order) among equal lengths.
    let found: AliasEntry[] | undefined;
    let merged: AliasEntry[] | undefined;
    for (let r: ActorRegistry | undefined = this; r; r = r.parent) {
      const layer = r.layer;
      const own = mayStartAlias(layer, token) ? layer.byFirstToken.get(token) : undefined;
      if (!own) continue;
      if (!found) found = own;
      else merged = merged ? merged.concat(own) : found.concat(own);
    }
    return merged ? merged.sort(byLengthDesc) : found;
  }

  /** The actor a surface form (name, alias or metonym) stands for. */
  resolve(surface: string): ActorDefinition | undefined {
    const mentions = this.findMentions(surface);
    if (mentions.length === 1 && mentions[0].start === 0 && mentions[0].end >= surface.trim().length - 1) {
      return this.layer.byName.get(mentions[0].actor);
    }
    return this.layer.byName.get(surface);
  }

  /** Mentions of registered actors in `text`, longest alias first, non-overlapping. */
  findMentions(text: string): ActorMention[] {
    return this.matchTokens(text, tokenize(text));
  }

  matchTokens(text: string, tokens: Token[]): ActorMention[] {
    const out: ActorMention[] = [];
    const { maxAliasTokens } = this.layer;
    for (let i = 0; i < tokens.length; ) {
      const candidates = this.candidates(tokens[i].norm);
      let matched: AliasEntry | undefined;
      if (candidates) {
        for (const entry of candidates) {
          if (entry.tokens.length > maxAliasTokens || i + entry.tokens.length > tokens.length) continue;
          let ok = true;
          for (let k = 1; k < entry.tokens.length && ok; k++) {
            const prev = tokens[i + k - 1];
            const tok = tokens[i + k];
            // Tokens of one alias are separated by plain spaces, not by a sentence-final dot.
            ok =
              tok.norm === entry.tokens[k] &&
              onlySpacesBetween(text, prev.end, tok.start) &&
              // A dot after a word ends a sentence; after an initial ("George W. Bush") it does not.
              !(prev.text.endsWith('.') && !prev.norm.includes('.') && prev.norm.length > 2);
          }
          if (ok) {
            matched = entry;
            break;
          }
        }
      }
      if (matched) {
        const first = tokens[i];
        const last = tokens[i + matched.tokens.length - 1];
        const end = last.start + surfaceLength(last);
        out.push({ actor: matched.actor, text: text.slice(first.start, end), start: first.start, end });
        i += matched.tokens.length;
      } else {
        if (tokens[i].norm.includes('-')) out.push(...this.matchHyphenParts(tokens[i]));
        i++;
      }
    }
    return out;
  }

  /** "Russian-led", "Sino-Russian", "non-CSTO": single-word aliases inside a hyphenated word. */
  private matchHyphenParts(token: Token): ActorMention[] {
    const out: ActorMention[] = [];
    let offset = token.start;
    for (const part of token.norm.split('-')) {
      const entry = part ? this.candidates(part)?.find((e) => e.tokens.length === 1) : undefined;
      if (entry) out.push({ actor: entry.actor, text: part, start: offset, end: offset + part.length });
      offset += part.length + 1;
    }
    return out;
  }
}

/** False when no key of `layer.byFirstToken` can be `token` (its first code unit starts none). */
function mayStartAlias(layer: Layer, token: string): boolean {
  const c = token.charCodeAt(0);
  return c < 128 ? layer.firstCodes[c] === 1 : layer.nonAsciiFirst;
}

function byLengthDesc(a: AliasEntry, b: AliasEntry): number {
  return b.tokens.length - a.tokens.length;
}

/** Length of a token without a possessive or a sentence-final dot that is not part of the name. */
function surfaceLength(token: Token): number {
  if (token.text === token.norm) return token.text.length;
  const possessive = /['’]s\.?$/u.exec(token.text);
  if (possessive) return token.text.length - possessive[0].length;
  // "U.S." keeps its final dot; "Moscow." loses it.
  if (token.text.endsWith('.') && /\./.test(token.norm)) return token.text.length;
  return token.norm.length;
}

/** `/^[ \u00a0]+$/.test(text.slice(from, to))` without the slice. */
function onlySpacesBetween(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && c !== 0xa0) return false;
  }
  return true;
}

function surfacesOf(def: ActorDefinition): string[] {
  return [def.name, ...def.aliases, ...(def.metonyms ?? [])];
}

const PERSON_PRONOUNS = /^(he|she|him|his|her)$/i;
/** Nouns for unnamed people: a pronoun after one refers to that person, not to a named one. */
const UNNAMED_PERSON = /\b(official|spokes(?:man|woman|person)|diplomat|analyst|expert|source|officer|minister|aide|adviser|advisor|observer|commentator|envoy)s?\b/i;

/** Cheap pre-check for PERSON_PRONOUNS: two or three letters starting with h or s (ASCII only under /i). */
function mayBePersonPronoun(text: string): boolean {
  if (text.length < 2 || text.length > 3) return false;
  const c = text.charCodeAt(0) | 0x20;
  return c === 0x68 || c === 0x73;
}

/**
 * Adds mentions for personal pronouns that refer to the one person named in the same or the
 * previous sentence of a paragraph. Ambiguous cases (two people, an unnamed "official") are left.
 */
export function resolvePronouns(
  sentences: { text: string; mentions: ActorMention[]; tokens?: Token[] }[],
  registry: ActorRegistry,
): ActorMention[][] {
  const isPerson = (m: ActorMention): boolean => registry.get(m.actor)?.type === 'person';
  const resolved: ActorMention[][] = [];
  sentences.forEach((sentence, i) => {
    const extra: ActorMention[] = [];
    for (const token of sentence.tokens ?? tokenize(sentence.text)) {
      if (!mayBePersonPronoun(token.text) || !PERSON_PRONOUNS.test(token.text)) continue;
      const before = sentence.text.slice(0, token.start);
      if (UNNAMED_PERSON.test(before)) continue;
      let people = new Set(sentence.mentions.filter((m) => isPerson(m) && m.end <= token.start).map((m) => m.actor));
      if (people.size === 0 && i > 0) {
        const prev = sentences[i - 1];
        const prevMentions = [...prev.mentions, ...resolved[i - 1]];
        if (UNNAMED_PERSON.test(prev.text) && !prevMentions.some(isPerson)) continue;
        people = new Set(prevMentions.filter(isPerson).map((m) => m.actor));
      }
      if (people.size === 1) {
        const [actor] = people;
        extra.push({ actor, text: token.text, start: token.start, end: token.end, viaPronoun: true });
      }
    }
    resolved.push(extra);
  });
  return resolved;
}
