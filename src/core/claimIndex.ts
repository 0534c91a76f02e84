// ClaimIndex: the claims of all indexed sources, by id, by actor, by source and paragraph, with an
// inverted term index so that support look-ups and searches touch only candidate claims.
import Fuse from 'fuse.js';
import { ActorRegistry } from './actors';
import { extractDates, yearsOf } from './extract/dates';
import { extractNumbers, sameQuantity } from './extract/numbers';
import { defaultRegistry } from './registry';
import { rekeySource } from './source';
import { contentTerms } from './text';
import type { ActorDefinition, Claim, NumberMention, Source } from './types';

export interface ScoredClaim {
  claim: Claim;
  score: number;
}

export interface SupportQuery {
  /** Only claims of these sources (a memo sentence's citations). */
  keys?: string[];
  /** Only this paragraph (with a single key). */
  paragraph?: number;
  limit?: number;
  /** Drop candidates under this score (0..1). */
  minScore?: number;
}

export interface ActorSummary extends ActorDefinition {
  claims: string[];
}

/** Index terms are stems cut to six letters: "withdrew", "withdrawal" and "withdrawn" meet. */
export function indexTerms(text: string): string[] {
  return contentTerms(text).map((t) => (t.length > 6 ? t.slice(0, 6) : t));
}

let versionCounter = 0;

/** fuse.js options of claim search (the benchmark and tests compare against plain fuse.js with these). */
export const FUSE_OPTIONS = {
  includeScore: true,
  ignoreLocation: true,
  threshold: 0.4,
  keys: [
    { name: 'text', weight: 0.6 },
    { name: 'actors', weight: 0.25 },
    { name: 'sourceKey', weight: 0.15 },
  ],
};
/** Below this many claims, fuse.js over everything is fast enough and exact. */
const SEARCH_ALL_BELOW = 3000;
const SEARCH_CANDIDATES = 1500;

/** Word prefixes (three letters; two for two-letter words; a two-letter prefix as a fallback). */
function searchPrefixes(claim: Claim): Set<string> {
  const out = new Set<string>();
  const text = `${claim.text} ${claim.actors.join(' ')} ${claim.sourceKey}`.toLowerCase();
  for (const w of text.split(/[^\p{L}\p{N}]+/u)) {
    if (w.length < 2) continue;
    out.add(w.slice(0, 2));
    // Every three-letter piece, as fuse.js matches inside words too ("rent" in "current").
    for (let i = 0; i + 3 <= Math.min(w.length, 14); i++) out.add(w.slice(i, i + 3));
  }
  return out;
}

export class ClaimIndex {
  private readonly sources = new Map<string, Source>();
  private readonly keyByPath = new Map<string, string>();
  private readonly claims = new Map<string, Claim>();
  private readonly byActor = new Map<string, Set<string>>();
  private readonly byTerm = new Map<string, Set<string>>();
  private readonly termsOfClaim = new Map<string, string[]>();
  /** Three-letter pieces (and two-letter prefixes) of claim words, actors and key → claim ids: search candidates. */
  private readonly byPrefix = new Map<string, Set<string>>();
  private registryCache: ActorRegistry | undefined;
  private fuse: Fuse<Claim> | undefined;
  /** Changes on every change, unique across indexes; callers cache per-version results. */
  version = ++versionCounter;

  constructor(private readonly baseRegistry: ActorRegistry = defaultRegistry()) {}

  /** The registry: gazetteer and user actors plus the actors the indexed sources name. */
  get registry(): ActorRegistry {
    this.registryCache ??= this.baseRegistry.extend([...this.sources.values()].flatMap((s) => s.discoveredActors));
    return this.registryCache;
  }

  get base(): ActorRegistry {
    return this.baseRegistry;
  }

  /**
   * Adds a source, or replaces the one indexed from the same path. A key taken by another path
   * gets the next free suffix (golts2012a, golts2012b, …). Returns the source as indexed.
   */
  upsert(source: Source): Source {
    const previousKey = this.keyByPath.get(source.path);
    if (previousKey !== undefined) this.removeKey(previousKey);
    let key = source.key;
    if (this.sources.has(key)) {
      let n = 0;
      do key = source.key + String.fromCharCode(97 + n++);
      while (this.sources.has(key) && n < 26);
    }
    const indexed = rekeySource(source, key);
    this.sources.set(key, indexed);
    this.keyByPath.set(indexed.path, key);
    for (const claim of indexed.claims) this.addClaim(claim);
    this.changed();
    return indexed;
  }

  remove(path: string): boolean {
    const key = this.keyByPath.get(path);
    if (key === undefined) return false;
    this.removeKey(key);
    this.changed();
    return true;
  }

  private removeKey(key: string): void {
    const source = this.sources.get(key);
    if (!source) return;
    for (const claim of source.claims) this.removeClaim(claim);
    this.sources.delete(key);
    this.keyByPath.delete(source.path);
  }

  private addClaim(claim: Claim): void {
    this.claims.set(claim.id, claim);
    for (const actor of claim.actors) addTo(this.byActor, actor, claim.id);
    const terms = [...new Set(indexTerms(`${claim.text}`))];
    this.termsOfClaim.set(claim.id, terms);
    for (const t of terms) addTo(this.byTerm, t, claim.id);
    for (const p of searchPrefixes(claim)) addTo(this.byPrefix, p, claim.id);
  }

  private removeClaim(claim: Claim): void {
    this.claims.delete(claim.id);
    for (const actor of claim.actors) deleteFrom(this.byActor, actor, claim.id);
    for (const t of this.termsOfClaim.get(claim.id) ?? []) deleteFrom(this.byTerm, t, claim.id);
    for (const p of searchPrefixes(claim)) deleteFrom(this.byPrefix, p, claim.id);
    this.termsOfClaim.delete(claim.id);
  }

  private changed(): void {
    this.version = ++versionCounter;
    this.registryCache = undefined;
    this.fuse = undefined;
  }

  get sourceCount(): number {
    return this.sources.size;
  }

  get claimCount(): number {
    return this.claims.size;
  }

  allSources(): Source[] {
    return [...this.sources.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  keys(): string[] {
    return this.allSources().map((s) => s.key);
  }

  source(key: string): Source | undefined {
    return this.sources.get(key);
  }

  sourceByPath(path: string): Source | undefined {
    const key = this.keyByPath.get(path);
    return key === undefined ? undefined : this.sources.get(key);
  }

  claim(id: string): Claim | undefined {
    return this.claims.get(id);
  }

  claimsOf(key: string, paragraph?: number): Claim[] {
    const claims = this.sources.get(key)?.claims ?? [];
    return paragraph === undefined ? claims : claims.filter((c) => c.paragraph === paragraph);
  }

  /** The index terms of a claim (stems cut to six letters), as computed when it was added. */
  claimTerms(id: string): readonly string[] {
    return this.termsOfClaim.get(id) ?? [];
  }

  claimsByActor(actor: string): Claim[] {
    return [...(this.byActor.get(actor) ?? [])].map((id) => this.claims.get(id)).filter((c): c is Claim => !!c);
  }

  /** Actors named by at least one claim, with their claim ids. */
  actors(): ActorSummary[] {
    const out: ActorSummary[] = [];
    const registry = this.registry;
    for (const [name, ids] of this.byActor) {
      const def = registry.get(name);
      if (!def || ids.size === 0) continue;
      out.push({ ...def, claims: [...ids].sort(compareClaimIds) });
    }
    return out.sort((a, b) => b.claims.length - a.claims.length || a.name.localeCompare(b.name));
  }

  /**
   * Fuzzy search over claim text, actors and source key (fuse.js). On a large index fuse.js
   * ranks only candidates: claims sharing a word prefix with the query, most shared first, so a
   * keystroke costs what the candidates cost, not what the whole index costs.
   */
  search(query: string, limit = 20): ScoredClaim[] {
    const q = query.trim();
    if (!q) return [];
    if (this.claims.size <= SEARCH_ALL_BELOW) {
      this.fuse ??= new Fuse([...this.claims.values()], FUSE_OPTIONS);
      return this.fuse.search(q, { limit }).map((r) => ({ claim: r.item, score: 1 - (r.score ?? 1) }));
    }
    const candidates = this.searchCandidates(q);
    return new Fuse(candidates, FUSE_OPTIONS).search(q, { limit }).map((r) => ({ claim: r.item, score: 1 - (r.score ?? 1) }));
  }

  private searchCandidates(q: string): Claim[] {
    const words = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
    const counts = new Map<string, number>();
    // Claims sharing the most three-letter pieces with the query first; two-letter words and
    // two-letter queries fall back to prefixes.
    const grams = new Set<string>();
    for (const w of words) {
      if (w.length === 2) grams.add(w);
      for (let i = 0; i + 3 <= w.length; i++) grams.add(w.slice(i, i + 3));
    }
    for (const g of grams) for (const id of this.byPrefix.get(g) ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    const out: Claim[] = [];
    for (const [id] of ranked.slice(0, SEARCH_CANDIDATES)) {
      const claim = this.claims.get(id);
      if (claim) out.push(claim);
    }
    return out;
  }

  /**
   * Claims that could support a memo sentence, best first: shared content words (weighted by
   * rarity), shared actors and agreeing numbers and years. Only claims that share a term or an
   * actor with the sentence are scored.
   */
  bestSupport(sentence: string, query: SupportQuery = {}): ScoredClaim[] {
    const limit = query.limit ?? 5;
    const minScore = query.minScore ?? 0.15;
    const terms = [...new Set(indexTerms(sentence))];
    const actors = [...new Set(this.registry.findMentions(sentence).map((m) => m.actor))];
    const numbers = extractNumbers(sentence);
    const years = yearsOf(extractDates(sentence));
    const allowed = query.keys ? new Set(query.keys) : undefined;

    const candidates = new Set<string>();
    const total = Math.max(1, this.claims.size);
    if (allowed) {
      // Cited sentences: only the cited sources (and paragraph) are candidates.
      for (const key of allowed) for (const c of this.claimsOf(key, query.paragraph)) candidates.add(c.id);
    } else {
      // Terms in more than a fifth of all claims say little and would make every claim a candidate.
      const common = Math.max(50, total / 5);
      for (const t of terms) {
        const postings = this.byTerm.get(t);
        if (postings && postings.size <= common) for (const id of postings) candidates.add(id);
      }
      for (const a of actors) {
        const postings = this.byActor.get(a);
        if (postings && postings.size <= common) for (const id of postings) candidates.add(id);
      }
    }

    const idf = (t: string): number => Math.log(1 + total / (1 + (this.byTerm.get(t)?.size ?? 0)));
    const sentenceWeight = terms.reduce((s, t) => s + idf(t), 0);
    const scored: ScoredClaim[] = [];
    for (const id of candidates) {
      const claim = this.claims.get(id);
      if (!claim) continue;
      if (allowed && !allowed.has(claim.sourceKey)) continue;
      if (query.paragraph !== undefined && claim.paragraph !== query.paragraph) continue;
      const claimTerms = this.termsOfClaim.get(id) ?? [];
      const claimSet = new Set(claimTerms);
      let shared = 0;
      for (const t of terms) if (claimSet.has(t)) shared += idf(t);
      const claimWeight = claimTerms.reduce((s, t) => s + idf(t), 0);
      const recall = sentenceWeight ? shared / sentenceWeight : 0;
      const precision = claimWeight ? shared / claimWeight : 0;
      const termScore = recall + precision ? (2 * recall * precision) / (recall + precision) : 0;
      const sharedActors = actors.filter((a) => claim.actors.includes(a)).length;
      const actorScore = actors.length ? sharedActors / actors.length : 0;
      const figureScore = figureAgreement(numbers, years, claim);
      const score = 0.6 * termScore + 0.25 * actorScore + 0.15 * figureScore;
      if (score >= minScore) scored.push({ claim, score: Math.round(score * 1000) / 1000 });
    }
    scored.sort((a, b) => b.score - a.score || compareClaimIds(a.claim.id, b.claim.id));
    return scored.slice(0, limit);
  }
}

/** 1 when every figure of the sentence agrees with the claim, ½ when comparable but different, 0 when none is comparable. */
function figureAgreement(numbers: NumberMention[], years: number[], claim: Claim): number {
  let comparable = 0;
  let agree = 0;
  for (const n of numbers) {
    for (const m of claim.numbers) {
      const same = sameQuantity(n, m);
      if (same === undefined) continue;
      comparable++;
      if (same) agree++;
      break;
    }
  }
  for (const y of years) {
    if (claim.years.length === 0) continue;
    comparable++;
    if (claim.years.includes(y)) agree++;
  }
  // A claim with a figure of the same kind is about the same thing even when the value differs
  // (that is what number-mismatch needs to find); an agreeing figure counts double.
  const figures = numbers.length + years.length;
  return figures ? (comparable + agree) / (2 * figures) : 0;
}

export function compareClaimIds(a: string, b: string): number {
  const pa = /^(.*):(\d+)\.(\d+)$/.exec(a);
  const pb = /^(.*):(\d+)\.(\d+)$/.exec(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa[1] !== pb[1]) return pa[1] < pb[1] ? -1 : 1;
  return Number(pa[2]) - Number(pb[2]) || Number(pa[3]) - Number(pb[3]);
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function deleteFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}
