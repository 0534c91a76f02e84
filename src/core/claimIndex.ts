// ClaimIndex: the claims of all indexed sources, by id, by actor, by source and paragraph, with an
// inverted term index so that support look-ups and searches touch only candidate claims.
import Fuse from 'fuse.js';
import { fuseFactor, fuseNorm, FusePattern, fuseWeights } from './fuseScore';
import { ActorRegistry } from './actors';
import { yearsOf } from './extract/dates';
import { extractFigures, quantityOf, sameQuantities, type Quantity } from './extract/numbers';
import { defaultRegistry } from './registry';
import { type PreparedClaims, preparedClaimsOf } from './deferredSource';
import { rekeySource, suffix } from './source';
import { indexTerms } from './text';
import type { ActorDefinition, ActorMention, Claim, NumberMention, Source } from './types';

export interface ScoredClaim {
  claim: Claim;
  score: number;
}

export interface SupportQuery {
  /** Only claims of these sources (a memo sentence's citations). */
  keys?: string[];
  /** Only this paragraph (with a single key), or the paragraphs from it to `lastParagraph`. */
  paragraph?: number;
  lastParagraph?: number;
  limit?: number;
  /** Drop candidates under this score (0..1). */
  minScore?: number;
}

/** What bestSupport reads of a sentence, worked out once for several look-ups (see prepareSupport). */
export interface SupportSentence {
  readonly text: string;
  /** The index version it was worked out for (the actors depend on the registry). */
  readonly at: number;
  /** Index terms, each once. */
  readonly terms: readonly string[];
  /** Actors mentioned, each once. */
  readonly actors: readonly string[];
  readonly numbers: NumberMention[];
  /** Of each of `numbers`, what figures are compared by. */
  readonly quantities: readonly Quantity[];
  readonly years: number[];
}

/**
 * For visitActorClaims: `stop` is asked, before a claim is read, whether the visit can end there,
 * given that the claims left share at most `shared` terms and, among those sharing as many, come
 * from sources of key rank (keyRank) `keyRank` or later. Only used when reading the claims would
 * make some (see ParseSourceOptions.lazyClaims); otherwise every claim is visited, in index order.
 */
export interface ActorClaimsOrder {
  stop(shared: number, keyRank: number): boolean;
}

export interface ActorSummary extends ActorDefinition {
  claims: string[];
}

export { indexTerms };

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
/**
 * Up to this many claims, search is fuse.js over everything, exact. Its time grows with the
 * claims (about 20 ms a keystroke at 1,000 on the bench's machine, 60 ms at p95) while the
 * candidate search stays at a few: past this size, where fuse.js's p95 would pass a frame
 * (16 ms), search uses candidates.
 */
export const SEARCH_ALL_BELOW = 250;
/** Candidates handed to fuse.js on a large index (the best estimates of its score). */
const SEARCH_CANDIDATES = 150;
/** At most about this many claims get an estimate per search (the time of a keystroke). */
const SEARCH_WEIGHED = 8 * SEARCH_CANDIDATES;

/** The pieces of a claim's text that search looks up (see wordPieces). */
function searchPrefixes(claim: Claim): Set<string> {
  return wordPieces(claim.text.toLowerCase());
}

/**
 * The two-letter start and every `n`-letter piece of each word of a lower-cased text (every
 * piece, as fuse.js matches inside words too: "rent" in "current").
 */
function wordPieces(text: string, n = 3): Set<string> {
  const out = new Set<string>();
  for (const w of text.split(/[^\p{L}\p{N}]+/u)) {
    if (w.length < 2) continue;
    out.add(w.slice(0, 2));
    for (let i = 0; i + n <= w.length; i++) out.add(w.slice(i, i + n));
  }
  return out;
}

/**
 * Claims of one term or actor, as slots. Removed claims stay in `slots` until the next compaction
 * (readers skip slots whose claim is gone); `live` counts the others.
 */
interface Postings {
  /** Number of term postings, for `termIds` (given on creation, renumbered by compaction). */
  readonly id: number;
  readonly term: string;
  /** The slots are `slots[0 .. count)`, in increasing order; the rest is room to grow. */
  slots: Int32Array<ArrayBuffer>;
  count: number;
  live: number;
  /** idf cached for index version `idfAt`. */
  idf: number;
  idfAt: number;
}

/** The postings of the names of a set of prepared-claims tables, by number, for index version `epoch`. */
interface KnownPostings {
  epoch: number;
  terms: Array<Postings | undefined>;
  actors: Array<Postings | undefined>;
}

/** Removed claims tolerated in postings before they are rebuilt without them. */
const COMPACT_AFTER = 20_000;

export class ClaimIndex {
  private readonly sources = new Map<string, Source>();
  private readonly keyByPath = new Map<string, string>();
  /**
   * The actors each source's text names (its discoveredActors), by path, in the order the paths
   * were first indexed: a source indexed again keeps its place, so that the registry made from
   * them (see registry) is the same as long as they name the same actors.
   */
  private readonly actorsByPath = new Map<string, readonly ActorDefinition[]>();
  /**
   * Claims by slot: a number given on insertion and never reused (undefined once removed, or
   * until read for a source added with prepared claims: see claimAt). A source's claims have
   * the consecutive slots of `slotRange` of its key, in its order.
   */
  private slots: Array<Claim | undefined> = [];
  /** For each slot whose claim is not read yet, its source (added with prepared claims). */
  private pendingOf: Array<Source | undefined> = [];
  private slotRange = new Map<string, { first: number; count: number }>();
  private live = 0;
  /**
   * Index terms of each slot's claim (distinct, in text order) as postings numbers: those of slot
   * s are termIds[termStart[s] .. termStart[s + 1]). Flat typed arrays: a list per claim would
   * cost a sixth of the index's memory.
   */
  private termIds = new Int32Array(1024);
  private termStart = new Int32Array(1024);
  /** Term postings by number (those of terms no claim has any more stay until compaction). */
  private postingsById: Postings[] = [];
  private byActor = new Map<string, Postings>();
  private byTerm = new Map<string, Postings>();
  private dead = 0;
  /**
   * Postings objects by the numbers of each set of prepared-claims tables, valid while
   * `postingsEpoch` is unchanged. (Sources parsed here and on workers come in several sets, this
   * thread's and one per worker chunk, interleaved in path order.)
   */
  private tablePostings = new WeakMap<PreparedClaims['tables'], KnownPostings>();
  /**
   * addPrepared's per-number counts, last slots, write positions, postings numbers and standing
   * numbers: read and written at the numbers a batch uses only, and counts and last slots left
   * all zero.
   */
  private batchScratch = { counts: new Int32Array(0), last: new Int32Array(0), cursor: new Int32Array(0), ids: new Int32Array(0), canon: new Int32Array(0) };
  /** addPrepared's number per term postings id, + 1 (all zero between calls). */
  private termSeen = new Int32Array(0);
  /** Changes whenever a Postings object leaves its map. */
  private postingsEpoch = 0;
  /**
   * Three-letter pieces (and two-letter word starts) of claim texts → slots: search
   * candidates. Built by the first search that needs it, then kept up to date.
   */
  private byPrefix: Map<string, number[]> | undefined;
  /** `byPrefix` in the making (prepareSearch): the pieces of the slots before `next`. */
  private prefixBuild: { map: Map<string, number[]>; next: number } | undefined;
  /** Σ idf of each slot's terms, for index version `weightsAt` (NaN: not computed yet). */
  private weights = new Float64Array(0);
  private weightsAt = -1;
  /** Per-slot count of shared query pieces in search, all zero between calls. */
  private gramCounts = new Uint16Array(0);
  /** Per-slot estimate of fuse.js's score in search, all zero between calls. */
  private estimates = new Float64Array(0);
  /** Words of each slot's claim text, for slots below `wordsKnown`. */
  private wordCounts = new Uint8Array(0);
  private wordsKnown = 0;
  /** The fewest words of any claim text counted so far (a bound: removals do not raise it). */
  private fewestTextWords = 255;
  /** Per-slot mark of bestSupport's candidates: equal to `markEpoch` when taken in this call. */
  private marks = new Uint32Array(0);
  private markEpoch = 0;
  /** bestSupport's count of the sentence's (walked) actors per slot (all zero between calls). */
  private actorHits = new Int32Array(0);
  /** bestSupport's sentence terms by postings number (all zero between calls). */
  private termPosition = new Int32Array(0);
  private registryCache: ActorRegistry | undefined;
  /** The actors of `actorsByPath` when the registry was last built, and that registry. */
  private registryBuilt: { actors: ActorDefinition[]; registry: ActorRegistry } | undefined;
  private fuse: Fuse<Claim> | undefined;
  /** Source keys by their localeCompare rank (see keyRank), for index version `at`. */
  private keyRanks: { at: number; ranks: Map<string, number> } | undefined;
  /**
   * Actor names and source keys with their two- and three-letter pieces. Kept across changes that
   * leave both sets as they were (most saves of a source): `vocabularyStale` says when one changed.
   */
  private vocabulary: { names: string[]; keys: string[]; byGram: Map<string, number[]> } | undefined;
  private vocabularyStale = true;
  /** Actors whose postings went empty since the last change ended: gone unless posted again. */
  private readonly droppedActors = new Set<string>();
  /** Changes on every change, unique across indexes; callers cache per-version results. */
  version = ++versionCounter;

  constructor(private readonly baseRegistry: ActorRegistry = defaultRegistry()) {}

  /**
   * The registry: gazetteer and user actors plus the actors the indexed sources name, source by
   * source in the order they were first indexed (where two sources name one actor, the first
   * one's description stands). Built again after a change only when those actors changed: a
   * source edited and saved names the same ones most of the time, and building the registry
   * costs tens of milliseconds in a large library.
   */
  get registry(): ActorRegistry {
    if (!this.registryCache) {
      const actors: ActorDefinition[] = [];
      for (const list of this.actorsByPath.values()) for (const actor of list) actors.push(actor);
      let built = this.registryBuilt;
      if (built && sameActors(built.actors, actors)) built.actors = actors;
      else this.registryBuilt = built = { actors, registry: this.baseRegistry.extend(actors) };
      this.registryCache = built.registry;
    }
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
    return this.upsertMany([source])[0];
  }

  /**
   * upsert for each source in turn, with the same result, and a version change at the end only.
   * The prepared claims of consecutive sources (all of a cache's, or of a cold start's) are
   * posted together (see addPrepared), in place of a million appends into growing arrays.
   */
  upsertMany(sources: readonly Source[]): Source[] {
    const out: Source[] = [];
    let batch: Array<{ prepared: PreparedClaims; first: number }> = [];
    const flush = (): void => {
      if (batch.length) this.addPrepared(batch);
      batch = [];
    };
    for (const source of sources) {
      const previousKey = this.keyByPath.get(source.path);
      if (previousKey !== undefined) {
        flush();
        this.removeKey(previousKey);
      }
      let key = source.key;
      if (this.sources.has(key)) {
        // (Past z, aa, ab, …: a 27th source of one key must not take the place of another.)
        let n = 0;
        do key = source.key + suffix(n++);
        while (this.sources.has(key));
      }
      if (key !== previousKey) this.vocabularyStale = true;
      const indexed = rekeySource(source, key);
      this.sources.set(key, indexed);
      this.keyByPath.set(indexed.path, key);
      this.actorsByPath.set(indexed.path, indexed.discoveredActors);
      const prepared = preparedClaimsOf(indexed);
      const first = this.slots.length;
      this.slotRange.set(key, { first, count: prepared ? prepared.claims : indexed.claims.length });
      if (prepared) {
        // The slots now (the key's range is final); their terms and actors when the batch is posted.
        for (let n = 0; n < prepared.claims; n++) this.newSlot(undefined, indexed);
        batch.push({ prepared, first });
      } else {
        flush();
        for (const claim of indexed.claims) this.addClaim(claim);
      }
      out.push(indexed);
    }
    flush();
    this.changed();
    return out;
  }

  remove(path: string): boolean {
    const key = this.keyByPath.get(path);
    if (key === undefined) return false;
    this.removeKey(key);
    this.actorsByPath.delete(path);
    this.vocabularyStale = true;
    this.changed();
    return true;
  }

  private removeKey(key: string): void {
    const source = this.sources.get(key);
    if (!source) return;
    const { first, count } = this.slotRange.get(key) as { first: number; count: number };
    // (A stored source reads whole or not at all: all its slots are readable, or none.)
    let readable = true;
    for (let slot = first; slot < first + count; slot++) readable = this.removeSlot(slot) && readable;
    if (!readable) this.uncountUnreadable(first, count);
    this.sources.delete(key);
    this.slotRange.delete(key);
    this.keyByPath.delete(source.path);
  }

  private addClaim(claim: Claim): void {
    const slot = this.newSlot(claim, undefined);
    for (const actor of claim.actors) this.post(this.postings(this.byActor, actor), slot);
    const terms = indexTerms(claim.text);
    let at = this.termStart[slot];
    if (this.termIds.length < at + terms.length) this.termIds = grown(this.termIds, at + terms.length);
    for (const t of terms) {
      const p = this.postings(this.byTerm, t);
      if (this.post(p, slot)) this.termIds[at++] = p.id;
    }
    this.termStart[slot + 1] = at;
    if (this.byPrefix) for (const p of searchPrefixes(claim)) pushTo(this.byPrefix, p, slot);
  }

  private newSlot(claim: Claim | undefined, pending: Source | undefined): number {
    const slot = this.slots.length;
    this.slots.push(claim);
    this.pendingOf.push(pending);
    this.live++;
    if (this.termStart.length < slot + 2) this.termStart = grown(this.termStart, slot + 2);
    return slot;
  }

  /**
   * Indexes claims from prepared terms and actors, the slots given (consecutive from the first
   * item's `first`, in batch order, with nothing added after them yet): the claims themselves are
   * read (and the source's stored text parsed) only when something asks for one of them.
   *
   * Each term's and actor's slots in the batch are counted first, then written once into one
   * array, which new postings take as their slots and others append. The numbers of the batch's
   * sets of tables (a cold start's: this thread's and one per worker chunk; a cache's) are laid
   * end to end: set k's terms from `base`, its actors after them.
   */
  private addPrepared(batch: ReadonlyArray<{ prepared: PreparedClaims; first: number }>): void {
    type TableSet = { tables: PreparedClaims['tables']; base: number; actorBase: number; known: KnownPostings };
    const sets: TableSet[] = [];
    const setOf: TableSet[] = [];
    let size = 0;
    for (const { prepared } of batch) {
      const { tables } = prepared;
      let set = sets.length > 0 && sets[sets.length - 1].tables === tables ? sets[sets.length - 1] : sets.find((x) => x.tables === tables);
      if (!set) {
        set = { tables, base: size, actorBase: size + tables.terms.length, known: this.knownPostings(tables) };
        sets.push(set);
        size += tables.terms.length + tables.actors.length;
      }
      setOf.push(set);
    }
    let scratch = this.batchScratch;
    if (scratch.counts.length < size) {
      const n = Math.max(size, 2 * scratch.counts.length);
      scratch = this.batchScratch = { counts: new Int32Array(n), last: new Int32Array(n), cursor: new Int32Array(n), ids: new Int32Array(n), canon: new Int32Array(n) };
    }
    const { counts, cursor, ids, canon } = scratch;
    /** The last slot counted for a number, + 1 (0: none), so that a repeated term or actor counts once. */
    const last = scratch.last;
    const touched: number[] = [];
    let room = 0;
    for (let b = 0; b < batch.length; b++) {
      const { prepared, first } = batch[b];
      const { base, actorBase } = setOf[b];
      const { data } = prepared;
      room += prepared.end - prepared.start;
      let i = prepared.start;
      for (let slot = first + 1; slot <= first + prepared.claims; slot++) {
        // In the data, per claim: its number of (distinct) terms, their numbers, its number of actors, theirs.
        for (let end = i + 1 + data[i++]; i < end; i++) {
          const t = base + data[i];
          if (last[t] === slot) continue;
          last[t] = slot;
          if (counts[t]++ === 0) touched.push(t);
        }
        for (let end = i + 1 + data[i++]; i < end; i++) {
          const t = actorBase + data[i];
          if (last[t] === slot) continue;
          last[t] = slot;
          if (counts[t]++ === 0) touched.push(t);
        }
      }
    }
    // Each posting list's slots go to its range of `all`, written from `cursor`. A name in two
    // sets of tables has two numbers: the first one touched stands for both (`canon`).
    const postings: Postings[] = [];
    const canonical: number[] = [];
    // With several sets (a cold start's: this thread's and each worker chunk's), the number that
    // stands for a name, by its term postings' id (+ 1; 0: none yet) or by its actor postings.
    const several = sets.length > 1;
    let termSeen = several ? this.termSeen : undefined;
    const actorSeen = several ? new Map<Postings, number>() : undefined;
    for (const t of touched) {
      last[t] = 0;
      // The set of number t: the last whose base is at most t.
      let lo = 0;
      for (let hi = sets.length - 1; lo < hi; ) {
        const mid = (lo + hi + 1) >> 1;
        if (sets[mid].base <= t) lo = mid;
        else hi = mid - 1;
      }
      const set = sets[lo];
      let p: Postings;
      let seen: number | undefined;
      if (t < set.actorBase) {
        const n = t - set.base;
        p = set.known.terms[n] ??= this.postings(this.byTerm, set.tables.terms[n]);
        ids[t] = p.id;
        if (termSeen) {
          if (termSeen.length <= p.id) termSeen = this.termSeen = grown(termSeen, Math.max(p.id + 1, this.postingsById.length));
          if (termSeen[p.id] !== 0) seen = termSeen[p.id] - 1;
          else termSeen[p.id] = t + 1;
        }
      } else {
        const n = t - set.actorBase;
        p = set.known.actors[n] ??= this.postings(this.byActor, set.tables.actors[n]);
        if (actorSeen) {
          seen = actorSeen.get(p);
          if (seen === undefined) actorSeen.set(p, t);
        }
      }
      if (seen !== undefined) {
        canon[t] = seen;
        counts[seen] += counts[t];
        continue;
      }
      canon[t] = t;
      canonical.push(t);
      postings.push(p);
    }
    if (termSeen) for (const p of postings) if (p.id >= 0) termSeen[p.id] = 0;
    let total = 0;
    for (const t of canonical) {
      cursor[t] = total;
      total += counts[t];
    }
    const all = new Int32Array(total);
    const start = batch[0].first;
    // (newSlot made room in termStart.)
    if (this.termIds.length < this.termStart[start] + room) this.termIds = grown(this.termIds, this.termStart[start] + room);
    const termIds = this.termIds;
    const termStart = this.termStart;
    for (let b = 0; b < batch.length; b++) {
      const { prepared, first } = batch[b];
      const { base, actorBase } = setOf[b];
      const { data } = prepared;
      let i = prepared.start;
      for (let slot = first; slot < first + prepared.claims; slot++) {
        let at = termStart[slot];
        for (let end = i + 1 + data[i++]; i < end; i++) {
          const t = canon[base + data[i]];
          if (last[t] === slot + 1) continue;
          last[t] = slot + 1;
          all[cursor[t]++] = slot;
          termIds[at++] = ids[t];
        }
        termStart[slot + 1] = at;
        for (let end = i + 1 + data[i++]; i < end; i++) {
          const t = canon[actorBase + data[i]];
          if (last[t] === slot + 1) continue;
          last[t] = slot + 1;
          all[cursor[t]++] = slot;
        }
      }
    }
    for (let k = 0; k < canonical.length; k++) {
      const t = canonical[k];
      const p = postings[k];
      const n = counts[t];
      const from = cursor[t] - n;
      if (p.count === 0) p.slots = all.subarray(from, from + n);
      else {
        if (p.slots.length < p.count + n) p.slots = grown(p.slots, p.count + n);
        const slots = p.slots;
        for (let j = 0; j < n; j++) slots[p.count + j] = all[from + j];
      }
      p.count += n;
      p.live += n;
    }
    for (const t of touched) {
      counts[t] = 0;
      last[t] = 0;
    }
    if (this.byPrefix) {
      for (const { prepared, first } of batch) {
        for (let slot = first; slot < first + prepared.claims; slot++) {
          const claim = this.claimAt(slot);
          if (claim) for (const p of searchPrefixes(claim)) pushTo(this.byPrefix, p, slot);
        }
      }
    }
  }

  /** The postings known by the numbers of a set of tables (valid while `postingsEpoch` is unchanged). */
  private knownPostings(tables: PreparedClaims['tables']): KnownPostings {
    let known = this.tablePostings.get(tables);
    if (!known || known.epoch !== this.postingsEpoch) {
      const none = (n: number): Array<Postings | undefined> => new Array<Postings | undefined>(n).fill(undefined);
      known = { epoch: this.postingsEpoch, terms: none(tables.terms.length), actors: none(tables.actors.length) };
      this.tablePostings.set(tables, known);
    }
    // Tables of a batch parsed together grow from one source to the next.
    while (known.terms.length < tables.terms.length) known.terms.push(undefined);
    while (known.actors.length < tables.actors.length) known.actors.push(undefined);
    return known;
  }

  /**
   * The claim in a slot: undefined when removed. A claim of a source added with prepared claims
   * is read here on first use, with the rest of its source.
   */
  private claimAt(slot: number): Claim | undefined {
    const claim = this.slots[slot];
    if (claim !== undefined) return claim;
    const source = this.pendingOf[slot];
    if (source === undefined) return undefined;
    const { first, count } = this.slotRange.get(source.key) as { first: number; count: number };
    // A stored source that cannot be read (a damaged cache) has no claims: its slots stay empty.
    const claims = source.claims;
    for (let i = 0; i < count; i++) {
      this.pendingOf[first + i] = undefined;
      this.slots[first + i] = claims[i];
    }
    return this.slots[slot];
  }

  /** Whether a slot holds a claim (read or not yet read), without reading it. */
  private isLive(slot: number): boolean {
    return this.slots[slot] !== undefined || this.pendingOf[slot] !== undefined;
  }

  /** The postings of a term or actor, created when new. */
  private postings(map: Map<string, Postings>, term: string): Postings {
    let p = map.get(term);
    if (!p) {
      // (An actor of a source saved again is posted again: the vocabulary still holds it.)
      if (map === this.byActor && !this.droppedActors.delete(term)) this.vocabularyStale = true;
      const isTerm = map === this.byTerm;
      p = { id: isTerm ? this.postingsById.length : -1, term, slots: new Int32Array(4), count: 0, live: 0, idf: 0, idfAt: -1 };
      if (isTerm) this.postingsById.push(p);
      map.set(term, p);
    }
    return p;
  }

  /** Adds the slot to the postings; false when it is there already (a repeated term). */
  private post(p: Postings, slot: number): boolean {
    // Slots are added in increasing order, so a repeat is the last one.
    if (p.count > 0 && p.slots[p.count - 1] === slot) return false;
    if (p.count === p.slots.length) p.slots = grown(p.slots, p.count + 1);
    p.slots[p.count++] = slot;
    p.live++;
    return true;
  }

  /** Removes the claim of a slot of a source being removed; false when it has none (an unreadable stored source). */
  private removeSlot(slot: number): boolean {
    const claim = this.claimAt(slot);
    if (!claim) return false;
    this.slots[slot] = undefined;
    this.live--;
    for (const actor of new Set(claim.actors)) this.unpost(this.byActor, actor);
    for (let i = this.termStart[slot]; i < this.termStart[slot + 1]; i++) this.unpost(this.byTerm, this.postingsById[this.termIds[i]].term);
    this.dead++;
    return true;
  }

  /**
   * Takes out of the counts the slots of a source whose stored claims turned out unreadable (a
   * damaged cache: claimAt leaves them empty), which were counted when it was added from its
   * index data, as removeSlot does for a claim: the claim count, and the postings of each slot's
   * terms and actors. Its actors are not known per slot but from their postings, which are
   * walked once (a rare event).
   */
  private uncountUnreadable(first: number, count: number): void {
    const end = first + count;
    for (let slot = first; slot < end; slot++) {
      this.live--;
      this.dead++;
      for (let i = this.termStart[slot]; i < this.termStart[slot + 1]; i++) this.unpost(this.byTerm, this.postingsById[this.termIds[i]].term);
    }
    for (const [actor, p] of [...this.byActor]) {
      // (Slots are posted in increasing order.)
      let lo = 0;
      let hi = p.count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (p.slots[mid] < first) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < p.count && p.slots[k] < end; k++) this.unpost(this.byActor, actor);
    }
  }

  private unpost(map: Map<string, Postings>, term: string): void {
    const p = map.get(term);
    if (!p) return;
    p.live--;
    if (p.live === 0) {
      map.delete(term);
      if (map === this.byActor) this.droppedActors.add(term);
      this.postingsEpoch++;
    }
  }

  /** The slot of a claim id: `<key>:<paragraph>.<sentence>`, looked up in its source. */
  private slotOf(id: string): number | undefined {
    const colon = id.lastIndexOf(':');
    const key = id.slice(0, colon);
    const source = colon > 0 ? this.sources.get(key) : undefined;
    if (!source) return undefined;
    const first = (this.slotRange.get(key) as { first: number }).first;
    const claims = source.claims;
    // Searched in its paragraph when the id gives one (and the claims are in paragraph order).
    const paragraph = Number(/^(\d+)\./.exec(id.slice(colon + 1))?.[1] ?? NaN);
    const [lo, hi] = (Number.isSafeInteger(paragraph) && paragraphSpan(claims, paragraph, paragraph)) || [0, claims.length];
    for (let i = lo; i < hi; i++) {
      if (claims[i].id === id) return this.claimAt(first + i) === claims[i] ? first + i : undefined;
    }
    return undefined;
  }

  private changed(): void {
    this.version = ++versionCounter;
    if (this.droppedActors.size > 0) {
      this.vocabularyStale = true;
      this.droppedActors.clear();
    }
    this.registryCache = undefined;
    this.fuse = undefined;
    if (this.dead > COMPACT_AFTER && this.dead > this.live) this.compact();
  }

  /** Renumbers the live claims so that postings no longer carry removed ones. */
  private compact(): void {
    // Sources are in the order of their slots (an upsert adds at the end).
    // A source's claims are removed with it: those of a source still here are all live.
    const sources = [...this.sources.values()];
    const hadPrefixes = this.byPrefix !== undefined;
    this.slots = [];
    this.pendingOf = [];
    this.live = 0;
    this.postingsEpoch++;
    this.termIds = new Int32Array(1024);
    this.termStart = new Int32Array(1024);
    this.postingsById = [];
    this.byActor = new Map();
    this.byTerm = new Map();
    this.byPrefix = undefined;
    this.prefixBuild = undefined;
    this.wordCounts = new Uint8Array(0);
    this.wordsKnown = 0;
    this.dead = 0;
    for (const source of sources) {
      const first = this.slots.length;
      for (const claim of source.claims) this.addClaim(claim);
      this.slotRange.set(source.key, { first, count: this.slots.length - first });
    }
    if (hadPrefixes) this.prefixIndex();
  }

  get sourceCount(): number {
    return this.sources.size;
  }

  get claimCount(): number {
    return this.live;
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
    const slot = this.slotOf(id);
    return slot === undefined ? undefined : this.claimAt(slot);
  }

  claimsOf(key: string, paragraph?: number): Claim[] {
    const claims = this.sources.get(key)?.claims ?? [];
    if (paragraph === undefined) return claims;
    const span = paragraphSpan(claims, paragraph, paragraph);
    return span ? claims.slice(span[0], span[1]) : claims.filter((c) => c.paragraph === paragraph);
  }

  /** The index terms of a claim (stems cut to six letters), as computed when it was added. */
  claimTerms(id: string): readonly string[] {
    const slot = this.slotOf(id);
    if (slot === undefined) return [];
    const out: string[] = [];
    for (let i = this.termStart[slot]; i < this.termStart[slot + 1]; i++) out.push(this.postingsById[this.termIds[i]].term);
    return out;
  }

  /**
   * Calls `visit` with each claim naming the actor (in index order) and how many of `terms`
   * (index terms) it has: what ranking an actor's claims for a hover needs, with no list made.
   */
  visitActorClaims(actor: string, terms: ReadonlySet<string>, visit: (claim: Claim, shared: number) => void, order?: ActorClaimsOrder): void {
    const postings = this.byActor.get(actor);
    if (!postings) return;
    const ids = new Set<number>();
    for (const t of terms) {
      const p = this.byTerm.get(t);
      if (p) ids.add(p.id);
    }
    const slots = posted(postings);
    const sharedOf = (slot: number): number => {
      let shared = 0;
      if (ids.size) for (let k = this.termStart[slot]; k < this.termStart[slot + 1]; k++) if (ids.has(this.termIds[k])) shared++;
      return shared;
    };
    if (order && slots.some((slot) => this.slots[slot] === undefined && this.pendingOf[slot] !== undefined)) {
      this.visitInOrder(slots, sharedOf, visit, order);
      return;
    }
    for (const slot of slots) {
      const claim = this.claimAt(slot);
      if (!claim) continue;
      visit(claim, sharedOf(slot));
    }
  }

  /**
   * visitActorClaims when some of the claims are not made yet (their sources' claims are made
   * when first read): the claims in order of shared terms (most first), then of their source's
   * key rank, then of slot, each read only if `order.stop` does not end the visit before it.
   */
  private visitInOrder(slots: Int32Array, sharedOf: (slot: number) => number, visit: (claim: Claim, shared: number) => void, order: ActorClaimsOrder): void {
    const live: number[] = [];
    for (const slot of slots) if (this.isLive(slot)) live.push(slot);
    const shared = new Int32Array(live.length);
    const rank = new Int32Array(live.length);
    let key = '';
    let keyRank = -1;
    for (let i = 0; i < live.length; i++) {
      const slot = live[i];
      shared[i] = sharedOf(slot);
      const pending = this.pendingOf[slot];
      const k = pending ? pending.key : (this.slots[slot] as Claim).sourceKey;
      // (A source's claims are neighbours in the postings.)
      if (k !== key) {
        key = k;
        keyRank = this.keyRank(k);
      }
      rank[i] = keyRank;
    }
    const byOrder = Array.from(live.keys()).sort((a, b) => shared[b] - shared[a] || rank[a] - rank[b] || live[a] - live[b]);
    for (const i of byOrder) {
      if (order.stop(shared[i], rank[i])) return;
      const claim = this.claimAt(live[i]);
      if (claim) visit(claim, shared[i]);
    }
  }

  /** How many claims name the actor. */
  actorClaimCount(actor: string): number {
    return this.byActor.get(actor)?.live ?? 0;
  }

  /**
   * The place of a source key in the keys sorted by localeCompare (keys that compare equal share
   * it), so that sorting claims by key needs no collation per comparison. Kept per index version.
   */
  keyRank(key: string): number {
    if (!this.keyRanks || this.keyRanks.at !== this.version) {
      const sorted = [...this.sources.keys()].sort((a, b) => a.localeCompare(b));
      const ranks = new Map<string, number>();
      sorted.forEach((k, i) => ranks.set(k, i > 0 && sorted[i - 1].localeCompare(k) === 0 ? (ranks.get(sorted[i - 1]) as number) : i));
      this.keyRanks = { at: this.version, ranks };
    }
    return this.keyRanks.ranks.get(key) ?? -1;
  }

  claimsByActor(actor: string): Claim[] {
    const out: Claim[] = [];
    for (const slot of posted(this.byActor.get(actor))) {
      const claim = this.claimAt(slot);
      if (claim) out.push(claim);
    }
    return out;
  }

  /** Actors named by at least one claim, with their claim ids. */
  actors(): ActorSummary[] {
    const out: ActorSummary[] = [];
    const registry = this.registry;
    for (const [name, postings] of this.byActor) {
      const def = registry.get(name);
      if (!def || postings.live === 0) continue;
      out.push({ ...def, claims: this.claimsByActor(name).map((c) => c.id).sort(compareClaimIds) });
    }
    return out.sort((a, b) => b.claims.length - a.claims.length || a.name.localeCompare(b.name));
  }

  /**
   * Fuzzy search over claim text, actors and source key (fuse.js). On a large index fuse.js
   * ranks only candidates (see searchCandidates), and of those only the ones whose fuse.js score
   * can make the top (see fuseShortlist), so a keystroke costs what the candidates cost, not what
   * the whole index costs.
   */
  search(query: string, limit = 20): ScoredClaim[] {
    const q = query.trim();
    if (!q) return [];
    if (this.claimCount <= SEARCH_ALL_BELOW) {
      this.fuse ??= new Fuse(this.liveClaims(), FUSE_OPTIONS);
      return this.fuse.search(q, { limit }).map((r) => ({ claim: r.item, score: 1 - (r.score ?? 1) }));
    }
    const candidates = this.searchCandidates(q);
    return new Fuse(fuseShortlist(q, candidates, limit), FUSE_OPTIONS).search(q, { limit }).map((r) => ({ claim: r.item, score: 1 - (r.score ?? 1) }));
  }

  /** Every claim, in slot order. */
  private liveClaims(): Claim[] {
    const out: Claim[] = [];
    for (let slot = 0; slot < this.slots.length; slot++) {
      const claim = this.claimAt(slot);
      if (claim) out.push(claim);
    }
    return out;
  }

  /**
   * Builds what search needs on a large index ahead of the first search, `maxClaims` claims per
   * call, so that a caller can spread it over idle time (the first search would otherwise wait
   * for all of it); true once complete. Claims added meanwhile are taken in order; search
   * completes the work itself if it comes first.
   */
  prepareSearch(maxClaims = Infinity): boolean {
    if (this.byPrefix || this.claimCount <= SEARCH_ALL_BELOW) return true;
    if (!this.buildPrefixes(maxClaims)) return false;
    this.textWords();
    return true;
  }

  /** Adds up to `maxClaims` claims to the piece index in the making; true once it is complete. */
  private buildPrefixes(maxClaims: number): boolean {
    const build = (this.prefixBuild ??= { map: new Map(), next: 0 });
    const end = Math.min(this.slots.length, build.next + maxClaims);
    for (let slot = build.next; slot < end; slot++) {
      const claim = this.claimAt(slot);
      if (claim) for (const p of searchPrefixes(claim)) pushTo(build.map, p, slot);
    }
    build.next = end;
    if (end < this.slots.length) return false;
    this.byPrefix = build.map;
    this.prefixBuild = undefined;
    return true;
  }

  private prefixIndex(): Map<string, number[]> {
    if (!this.byPrefix) this.buildPrefixes(Infinity);
    return this.byPrefix as Map<string, number[]>;
  }

  /**
   * fuse.js's factor for each actor name and source key that matches the query (exactly or
   * approximately): fuse.js multiplies score^(weight × field norm) over the fields that match.
   * It runs only over the names and keys that share a three-letter piece with the query (a
   * two-letter piece for queries under six characters, which match with an error or two).
   */
  private fieldFactors(q: string, grams: ReadonlySet<string>): { actors: Map<string, number>; keys: Map<string, number> } {
    if (!this.vocabulary || this.vocabularyStale) {
      const names = [...this.byActor.keys()];
      const keys = [...this.sources.keys()];
      const byGram = new Map<string, number[]>();
      [...names, ...keys].forEach((name, i) => {
        for (const g of wordPieces(name.toLowerCase(), 2)) pushTo(byGram, g, i);
        for (const g of wordPieces(name.toLowerCase(), 3)) pushTo(byGram, g, i);
      });
      this.vocabulary = { names, keys, byGram };
      this.vocabularyStale = false;
    }
    const { names, keys, byGram } = this.vocabulary;
    const pieces = q.length < 6 ? wordPieces(q.toLowerCase(), 2) : grams;
    const picked = new Set<number>();
    for (const g of pieces) for (const i of byGram.get(g) ?? []) picked.add(i);
    const options = { includeScore: true, ignoreLocation: true, threshold: FUSE_OPTIONS.threshold, ignoreFieldNorm: true };
    const factors = (list: string[], weight: number): Map<string, number> => {
      const out = new Map<string, number>();
      for (const r of new Fuse(list, options).search(q)) out.set(r.item, Math.pow(r.score || Number.EPSILON, weight * fieldNorm(r.item)));
      return out;
    };
    const pickedNames: string[] = [];
    const pickedKeys: string[] = [];
    for (const i of picked) (i < names.length ? pickedNames : pickedKeys).push(i < names.length ? names[i] : keys[i - names.length]);
    return { actors: factors(pickedNames, ACTORS_WEIGHT), keys: factors(pickedKeys, KEY_WEIGHT) };
  }

  /**
   * Candidates for fuse.js on a large index, in index order (so that fuse.js breaks ties as it
   * would over every claim). Each claim that could rank gets an estimate of fuse.js's score
   * (lower is better): the factors of its matching actors and key, times, for the text, the factor
   * of a word-for-word match when the claim has every three-letter piece of the query, else that
   * of an approximate match with one error per three pieces it lacks (the q-gram lemma). The
   * SEARCH_CANDIDATES best estimates are the candidates (fuseShortlist then picks those fuse.js ranks).
   */
  private searchCandidates(q: string): Claim[] {
    const lower = q.toLowerCase();
    const words = lower.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
    const trigrams = new Set<string>();
    for (const w of words) for (let i = 0; i + 3 <= w.length; i++) trigrams.add(w.slice(i, i + 3));
    // Two-letter words and queries fall back to word starts.
    const grams = trigrams.size ? trigrams : new Set(words.map((w) => w.slice(0, 2)));
    const byPrefix = this.prefixIndex();
    const lists = [...grams].map((g) => byPrefix.get(g) ?? []).sort((a, b) => a.length - b.length);
    const size = this.slots.length;
    if (this.gramCounts.length < size) this.gramCounts = new Uint16Array(Math.max(size, 2 * this.gramCounts.length));
    if (this.estimates.length < size) this.estimates = new Float64Array(Math.max(size, 2 * this.estimates.length));
    const counts = this.gramCounts;
    const estimates = this.estimates;
    // Pieces found in many claims tell little and cost the most to count: they are counted
    // only when there are no rarer ones. With one piece there is nothing to count.
    const counted = lists.length > 1 ? lists.filter((l, i) => i < 2 || l.length <= size / 10) : [];
    const touched: number[] = [];
    for (const list of counted) for (const slot of list) if (counts[slot]++ === 0) touched.push(slot);
    // Claims with every piece (in index order): counted in all counted lists and in the others.
    let complete: readonly number[] = lists.length === 1 ? lists[0] : touched.filter((slot) => counts[slot] === counted.length).sort((a, b) => a - b);
    for (const list of lists.slice(Math.max(1, counted.length))) complete = intersectSorted(complete, list);
    // (The pieces' lists keep the slots of removed claims, which must not take a candidate's place.)
    const anyRemoved = this.dead > 0;
    if (anyRemoved) complete = complete.filter((slot) => this.isLive(slot));

    const { actors, keys } = this.fieldFactors(q, grams);
    const textWords = this.textWords();
    const considered: number[] = [];
    const consider = (slot: number, hasAll: boolean): void => {
      const claim = this.claimAt(slot);
      if (estimates[slot] !== 0 || !claim) return;
      const norm = NORM_OF_WORDS[textWords[slot]];
      let score = 1;
      // The pieces may come from the actors or the key: a word-for-word match is checked.
      if (hasAll && claim.text.toLowerCase().includes(lower)) score = Math.pow(0.001, TEXT_WEIGHT * norm);
      else if (hasAll) score = Math.pow(1 / q.length, TEXT_WEIGHT * norm);
      else {
        const errors = Math.max(1, Math.ceil((counted.length - counts[slot]) / 3));
        if (errors <= FUSE_OPTIONS.threshold * q.length) score = Math.pow(errors / q.length, TEXT_WEIGHT * norm);
      }
      for (const actor of claim.actors) score *= actors.get(actor) ?? 1;
      score *= keys.get(claim.sourceKey) ?? 1;
      estimates[slot] = score;
      considered.push(slot);
    };
    // Claims whose actor or key matches are weighed below. Of the others only the text counts:
    // among complete ones the fewest words win (fuse.js's field norm), among the rest the most
    // pieces, then the fewest words. Enough of each is weighed to fill the candidates.
    for (const slot of fewestWords(complete, textWords, SEARCH_CANDIDATES)) consider(slot, true);
    const byCount: number[][] = [];
    for (const slot of touched) if (counts[slot] < counted.length && (!anyRemoved || this.isLive(slot))) (byCount[counts[slot]] ??= []).push(slot);
    for (let n = byCount.length - 1, taken = 0; n > 0 && taken < SEARCH_CANDIDATES; n--) {
      const bucket = (byCount[n] ?? []).sort((a, b) => a - b);
      for (const slot of fewestWords(bucket, textWords, SEARCH_CANDIDATES - taken)) consider(slot, false);
      taken += bucket.length;
    }
    // Actors and keys from the best factor down; one whose factor, times the best text factor
    // any claim could have (a word-for-word match in the shortest text), cannot beat the
    // estimates so far stops the walk (the bar only falls as claims are added, so an old bar is
    // safe). Within one actor or key, the text decides: claims with every piece of the query
    // first, then the fewest words.
    const bar = (): number => {
      if (considered.length < SEARCH_CANDIDATES) return 1;
      const values = new Float64Array(considered.length);
      for (let i = 0; i < considered.length; i++) values[i] = estimates[considered[i]];
      return kthSmallest(values, SEARCH_CANDIDATES - 1);
    };
    let worst = bar();
    let atBar = considered.length;
    const bestText = Math.pow(0.001, TEXT_WEIGHT * NORM_OF_WORDS[this.fewestTextWords]);
    const fields: { f: number; name: string; isKey: boolean; slots: () => ArrayLike<number> & Iterable<number> }[] = [];
    for (const [name, f] of actors) fields.push({ f, name, isKey: false, slots: () => posted(this.byActor.get(name)) });
    for (const [key, f] of keys) fields.push({ f, name: key, isKey: true, slots: () => this.slotsOf(key) });
    // Equal factors: actors first, then by name, so that the order depends on neither the order
    // the vocabulary lists them in nor fuse.js's order of equal scores.
    fields.sort((x, y) => x.f - y.f || Number(x.isKey) - Number(y.isKey) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    for (const field of fields) {
      // Enough weighed: the rest could only reorder ties among weak matches.
      if (field.f * bestText > worst || considered.length > SEARCH_WEIGHED) break;
      const withAll: number[] = [];
      const others: number[] = [];
      for (const slot of field.slots()) if (!anyRemoved || this.isLive(slot)) (hasSorted(complete, slot) ? withAll : others).push(slot);
      for (const slot of fewestWords(withAll, textWords, SEARCH_CANDIDATES)) consider(slot, true);
      if (withAll.length < SEARCH_CANDIDATES) for (const slot of fewestWords(others, textWords, SEARCH_CANDIDATES - withAll.length)) consider(slot, false);
      if (considered.length > atBar + 2 * SEARCH_CANDIDATES) {
        worst = bar();
        atBar = considered.length;
      }
    }
    for (const slot of touched) counts[slot] = 0;
    // The SEARCH_CANDIDATES best estimates below 1, in index order.
    worst = bar();
    const out: number[] = [];
    let ties = SEARCH_CANDIDATES - considered.filter((slot) => estimates[slot] < worst).length;
    considered.sort((a, b) => a - b);
    for (const slot of considered) {
      const score = estimates[slot];
      estimates[slot] = 0;
      if (score >= 1 || score > worst) continue;
      if (score === worst && ties-- <= 0) continue;
      out.push(slot);
    }
    return out.map((slot) => this.claimAt(slot) as Claim);
  }

  /** The live slots of a source's claims, in order. */
  private slotsOf(key: string): number[] {
    const range = this.slotRange.get(key);
    if (!range) return [];
    const { first, count } = range;
    const out: number[] = [];
    for (let slot = first; slot < first + count; slot++) if (this.claimAt(slot)) out.push(slot);
    return out;
  }

  /** Words in each slot's claim text (for fuse.js's field norm), kept beside the search pieces. */
  private textWords(): Uint8Array {
    if (this.wordCounts.length < this.slots.length) {
      const grown = new Uint8Array(Math.max(this.slots.length, 2 * this.wordCounts.length));
      grown.set(this.wordCounts);
      this.wordCounts = grown;
    }
    for (; this.wordsKnown < this.slots.length; this.wordsKnown++) {
      const claim = this.claimAt(this.wordsKnown);
      if (!claim) continue;
      const words = Math.min(255, wordCount(claim.text));
      this.wordCounts[this.wordsKnown] = words;
      if (words < this.fewestTextWords) this.fewestTextWords = words;
    }
    return this.wordCounts;
  }

  private idf(p: Postings | undefined, total: number): number {
    if (!p) return Math.log(1 + total);
    if (p.idfAt !== this.version) {
      p.idf = Math.log(1 + total / (1 + p.live));
      p.idfAt = this.version;
    }
    return p.idf;
  }

  /** Σ idf of each slot's terms, for the index as it is (NaN: not computed yet, see weightOf). */
  private claimWeights(): Float64Array {
    if (this.weightsAt !== this.version || this.weights.length < this.slots.length) {
      this.weights = new Float64Array(this.slots.length).fill(Number.NaN);
      this.weightsAt = this.version;
    }
    return this.weights;
  }

  /** Σ idf of the claim's terms, cached until the index changes. */
  private weightOf(slot: number, total: number): number {
    const weights = this.claimWeights();
    let w = weights[slot];
    if (Number.isNaN(w)) {
      w = 0;
      for (let i = this.termStart[slot]; i < this.termStart[slot + 1]; i++) w += this.idf(this.postingsById[this.termIds[i]], total);
      weights[slot] = w;
    }
    return w;
  }

  /**
   * A memo sentence ready for bestSupport, to look up several times (once per cited source) for
   * the cost of one; `figures` are extractFigures(text) and `mentions` this.registry.findMentions(text)
   * when the caller has them already.
   */
  prepareSupport(text: string, figures = extractFigures(text), mentions: readonly ActorMention[] = this.registry.findMentions(text)): SupportSentence {
    return {
      text,
      at: this.version,
      terms: [...new Set(indexTerms(text))],
      actors: [...new Set(mentions.map((m) => m.actor))],
      numbers: figures.numbers,
      quantities: figures.numbers.map(quantityOf),
      years: yearsOf(figures.dates),
    };
  }

  /**
   * Claims that could support a memo sentence, best first: shared content words (weighted by
   * rarity), shared actors and agreeing numbers and years. Only claims that share a term or an
   * actor with the sentence are scored, those of the rarest terms first, and the postings of the
   * commoner terms are not walked once no claim found only through them could reach the top
   * `limit`; a claim is read, and its figures compared (the dear part), only when it could still
   * make it. The results are those of scoring every candidate (test/unit/support.test.ts).
   */
  bestSupport(sentence: string | SupportSentence, query: SupportQuery = {}): ScoredClaim[] {
    const prepared = typeof sentence === 'string' ? this.prepareSupport(sentence) : sentence.at === this.version ? sentence : this.prepareSupport(sentence.text);
    const { terms, actors } = prepared;
    const total = Math.max(1, this.claimCount);
    const termPostings = terms.map((t) => this.byTerm.get(t));
    const termIdf = new Float64Array(terms.length);
    for (let i = 0; i < terms.length; i++) termIdf[i] = this.idf(termPostings[i], total);
    const ranking = new SupportRanking(prepared, termIdf, query);

    // Position + 1 of each sentence term by postings number (0: not a sentence term), in an array
    // kept between calls and cleared on the way out: no Map lookup per claim term.
    if (this.termPosition.length < this.postingsById.length) this.termPosition = new Int32Array(Math.max(this.postingsById.length, 2 * this.termPosition.length));
    termPostings.forEach((p, i) => p && (this.termPosition[p.id] = i + 1));
    const size = this.slots.length;
    if (this.actorHits.length < size) this.actorHits = new Int32Array(Math.max(size, 2 * this.actorHits.length));
    const hits = this.actorHits;
    /** Slots whose `hits` are set, to clear on the way out. */
    const hit: number[] = [];
    try {
      if (query.keys) {
        // Cited sentences: only the claims of the cited sources (and paragraph) are candidates.
        // A source's slots hold its claims in order; a cited paragraph's claims are read alone.
        for (const key of new Set(query.keys)) {
          const range = this.slotRange.get(key);
          const source = this.sources.get(key);
          if (!range || !source) continue;
          const span = query.paragraph === undefined ? [0, source.claims.length] : paragraphSpan(source.claims, query.paragraph, query.lastParagraph ?? query.paragraph);
          // Many claims (a long source cited without a locator): only those sharing a term or an
          // actor with the sentence are walked, as for an uncited sentence (see walkRange).
          if (span && span[1] - span[0] > WALK_OVER) {
            this.walkRange(ranking, actors, termPostings, termIdf, range.first + span[0], range.first + span[1], total, hit);
            continue;
          }
          const [lo, hi] = span ?? [0, range.count];
          for (let slot = range.first + lo; slot < range.first + hi; slot++) {
            const claim = this.claimAt(slot);
            if (claim === undefined) continue;
            if (query.paragraph !== undefined && (claim.paragraph < query.paragraph || claim.paragraph > (query.lastParagraph ?? query.paragraph))) continue;
            let sharedActors = 0;
            for (const a of actors) if (claim.actors.includes(a)) sharedActors++;
            const partial = ranking.partialScore(this.sharedWeightOf(slot, ranking), this.weightOf(slot, total), sharedActors);
            if (ranking.admit(slot, partial)) ranking.rank(claim, partial);
          }
        }
        return this.ranked(ranking);
      }

      // Uncited sentences: candidates share a term or an actor found in at most a fifth of all
      // claims (commoner ones say little and would make every claim a candidate; they still add to
      // the score). The claims of those actors are counted first, per claim, without reading any.
      // Candidates then come from the terms, rarest first: a claim found only through the terms
      // left can share at most their weight, so once even that, with every common actor and full
      // figure agreement, cannot reach the bar, the rest is not walked. The actors' claims not
      // found through a walked term come last, bounded the same way.
      const common = Math.max(50, total / 5);
      this.claimWeights(); // (up to date for take)
      for (const a of actors) {
        const p = this.byActor.get(a);
        if (p && p.live <= common) this.countHits(p, 0, size, hit);
        else if (p) ranking.commonActors.push(posted(p));
      }
      const mark = this.nextMark();
      const rare: number[] = [];
      let commonWeight = 0;
      for (let i = 0; i < terms.length; i++) {
        const p = termPostings[i];
        if (p && p.live <= common) rare.push(i);
        else if (p) commonWeight += termIdf[i];
      }
      rare.sort((x, y) => termIdf[y] - termIdf[x] || x - y);
      // left[j]: the most weight a claim without the rare terms before j can share.
      const left = new Float64Array(rare.length + 1);
      left[rare.length] = commonWeight;
      for (let j = rare.length - 1; j >= 0; j--) left[j] = left[j + 1] + termIdf[rare[j]];
      let j = 0;
      for (; j < rare.length; j++) {
        // A claim that none of the actors walked names has at most the common ones.
        if (ranking.most(left[j], left[j], 0) < ranking.bar) break;
        ranking.shareable = left[j];
        this.takePosted(ranking, termPostings[rare[j]] as Postings, 0, size, mark, total);
      }
      // The actors' claims not taken have none of the rare terms walked.
      ranking.shareable = left[j];
      this.takeUnmarked(ranking, hit, 0, mark, total);
      return this.ranked(ranking);
    } finally {
      for (const p of termPostings) if (p) this.termPosition[p.id] = 0;
      for (const slot of hit) hits[slot] = 0;
    }
  }

  /** A fresh epoch for `marks` (sized for every slot): no slot is marked with it yet. */
  private nextMark(): number {
    const size = this.slots.length;
    if (this.marks.length < size) this.marks = new Uint32Array(Math.max(size, 2 * this.marks.length));
    if (this.markEpoch === 0xffffffff) {
      this.marks.fill(0);
      this.markEpoch = 0;
    }
    return ++this.markEpoch;
  }

  /**
   * Ranks the claims in slots `from` to `to` (all live: one source's, or a span of its
   * paragraphs) as the keyed look-up's scan of each does, walking only those that share a term or
   * an actor with the sentence. The actors' claims in the range are counted first; then the
   * terms' postings in the range, rarest first, until no claim found only through the terms left
   * could make the top (as for an uncited sentence, but every term and actor is walked: all
   * claims in the range are candidates); then the actors' claims not yet taken. A claim sharing
   * neither scores by its figures alone, at most 0.15: the rest of the range is scanned only
   * when the bar is still that low. `hit`: bestSupport's list of slots whose actorHits to clear.
   */
  private walkRange(ranking: SupportRanking, actors: readonly string[], termPostings: ReadonlyArray<Postings | undefined>, termIdf: Float64Array, from: number, to: number, total: number, hit: number[]): void {
    this.claimWeights(); // (up to date for take)
    const firstHit = hit.length;
    for (const a of actors) {
      const p = this.byActor.get(a);
      if (p) this.countHits(p, from, to, hit);
    }
    const mark = this.nextMark();
    const marks = this.marks;
    const order: number[] = [];
    for (let i = 0; i < termPostings.length; i++) if (termPostings[i]) order.push(i);
    order.sort((x, y) => termIdf[y] - termIdf[x] || x - y);
    const left = new Float64Array(order.length + 1);
    for (let j = order.length - 1; j >= 0; j--) left[j] = left[j + 1] + termIdf[order[j]];
    let j = 0;
    for (; j < order.length; j++) {
      if (ranking.most(left[j], left[j], 0) < ranking.bar) break;
      ranking.shareable = left[j];
      this.takePosted(ranking, termPostings[order[j]] as Postings, from, to, mark, total);
    }
    ranking.shareable = left[j];
    this.takeUnmarked(ranking, hit, firstHit, mark, total);
    if (ranking.most(0, 0, 0) < ranking.bar) return;
    ranking.shareable = 0;
    for (let slot = from; slot < to; slot++) {
      if (marks[slot] === mark || !this.isLive(slot)) continue;
      marks[slot] = mark;
      this.take(ranking, slot, total);
    }
  }

  /** Counts in actorHits each live slot from `from` to `to` that `p` holds; `hit` gets those counted first. */
  private countHits(p: Postings, from: number, to: number, hit: number[]): void {
    const hits = this.actorHits;
    const slots = p.slots;
    for (let k = from === 0 ? 0 : lowerBound(slots, p.count, from); k < p.count && slots[k] < to; k++) {
      const slot = slots[k];
      if (this.isLive(slot) && hits[slot]++ === 0) hit.push(slot);
    }
  }

  /** Takes each live slot from `from` to `to` that `p` holds and `mark` does not, marking it. */
  private takePosted(ranking: SupportRanking, p: Postings, from: number, to: number, mark: number, total: number): void {
    const marks = this.marks;
    const slots = p.slots;
    for (let k = from === 0 ? 0 : lowerBound(slots, p.count, from); k < p.count && slots[k] < to; k++) {
      const slot = slots[k];
      if (marks[slot] === mark || !this.isLive(slot)) continue;
      marks[slot] = mark;
      this.take(ranking, slot, total);
    }
  }

  /** Takes the slots of `hit` from index `start` on that `mark` does not, marking them. */
  private takeUnmarked(ranking: SupportRanking, hit: readonly number[], start: number, mark: number, total: number): void {
    const marks = this.marks;
    for (let h = start; h < hit.length; h++) {
      const slot = hit[h];
      if (marks[slot] === mark) continue;
      marks[slot] = mark;
      this.take(ranking, slot, total);
    }
  }

  /**
   * Scores a live claim of an uncited sentence's candidates, which shares at most
   * `ranking.shareable` of the sentence's term weight, unless even that, with all its actors and
   * full figure agreement, cannot reach the bar (which only rises): then its terms are not compared.
   */
  private take(ranking: SupportRanking, slot: number, total: number): void {
    // (The weight read here when cached: a call would box the number.)
    const cached = this.weights[slot];
    const claimWeight = Number.isNaN(cached) ? this.weightOf(slot, total) : cached;
    const hits = this.actorHits[slot];
    if (ranking.most(Math.min(ranking.shareable, claimWeight), claimWeight, hits) < ranking.bar) return;
    // A slot of a source added with prepared claims has no claim once read when the source's
    // stored body turned out damaged (claimAt); it must not raise the bar. (Compared with
    // undefined, not tested for truth: that would read the claim object, a cache miss per
    // candidate, which only the few claims that get ranked need.)
    const claim = this.claimAt(slot);
    if (claim === undefined) return;
    let sharedActors = hits;
    for (const list of ranking.commonActors) if (hasSorted(list, slot)) sharedActors++;
    const partial = ranking.partialScore(this.sharedWeightOf(slot, ranking), claimWeight, sharedActors);
    if (ranking.admit(slot, partial)) ranking.rank(claim, partial);
  }

  /**
   * A claim's shared weight: the idf of the sentence's terms it has, summed in sentence order
   * (the sum of the straightforward scan, to the last bit).
   */
  private sharedWeightOf(slot: number, ranking: SupportRanking): number {
    const { has, termIdf } = ranking;
    const position = this.termPosition;
    for (let k = this.termStart[slot]; k < this.termStart[slot + 1]; k++) {
      const i = position[this.termIds[k]];
      if (i !== 0) has[i - 1] = 1;
    }
    let sharedWeight = 0;
    for (let i = 0; i < termIdf.length; i++) {
      if (has[i]) sharedWeight += termIdf[i];
      has[i] = 0;
    }
    return sharedWeight;
  }

  /** The top of a look-up once every candidate was considered: the claims put off are read now if they still could make it. */
  private ranked(ranking: SupportRanking): ScoredClaim[] {
    const { later, laterPartials } = ranking;
    // Best first: the bar rises fastest, and once one cannot make it the rest cannot either. So
    // only those that could make it at the bar as it is now are sorted: the others would come
    // after them all, where the bar (which only rises) stops the loop.
    const order: number[] = [];
    for (let i = 0; i < later.length; i++) if (ranking.admitLater(laterPartials[i])) order.push(i);
    order.sort((a, b) => laterPartials[b] - laterPartials[a]);
    for (const i of order) {
      if (!ranking.admitLater(laterPartials[i])) break;
      ranking.rank(this.claimAt(later[i]) as Claim, laterPartials[i]);
    }
    return ranking.best;
  }
}

/**
 * The scores of one bestSupport look-up and the best claims so far. A class, not closures, so
 * that the arithmetic per candidate reads fields and boxes no number.
 */
class SupportRanking {
  readonly best: ScoredClaim[] = [];
  /** The `limit` best scores without figures so far, best first: final scores are at least these. */
  private readonly lower: number[] = [];
  /**
   * Reading a claim and comparing its figures is the dear part: it is done at once only for a
   * claim among the `limit` best without figures so far, which raises the bar most; the others
   * that could make it are put off to the end, by when the bar is higher: their slots, and their
   * scores without figures.
   */
  readonly later: number[] = [];
  readonly laterPartials: number[] = [];
  /** The most term weight the claims taken now can share (uncited look-ups, see take). */
  shareable = 0;
  /** Postings of the sentence's actors too common to walk (uncited look-ups). */
  readonly commonActors: Array<Int32Array<ArrayBuffer>> = [];
  /** Per sentence term, whether the claim being compared has it (all zero between claims). */
  readonly has: Uint8Array;
  private readonly sentenceWeight: number;
  private readonly actorCount: number;
  private readonly quantities: readonly Quantity[];
  private readonly years: number[];
  private readonly hasFigures: boolean;
  /** The most that figures can add. */
  private readonly figureParts: number;
  private readonly limit: number;
  private readonly minScore: number;

  constructor(
    sentence: SupportSentence,
    /** The idf of each sentence term. */
    readonly termIdf: Float64Array,
    query: SupportQuery,
  ) {
    this.has = new Uint8Array(termIdf.length);
    let sentenceWeight = 0;
    for (const w of termIdf) sentenceWeight += w;
    this.sentenceWeight = sentenceWeight;
    this.actorCount = sentence.actors.length;
    this.quantities = sentence.quantities;
    this.years = sentence.years;
    this.hasFigures = this.quantities.length + this.years.length > 0;
    this.figureParts = this.hasFigures ? 0.15 : 0;
    this.limit = query.limit ?? 5;
    this.minScore = query.minScore ?? 0.15;
    this.bar = this.minScore;
  }

  /**
   * The score below which a claim cannot make the top `limit` (scores are rounded to 0.001):
   * `limit` claims ranked in `best`, or `limit` claims whose score is at least that in `lower`.
   * A field, kept up to date by `raise`, read for every candidate.
   */
  bar: number;

  private raise(): void {
    const { best, lower, limit, minScore } = this;
    const ranked = best.length === limit ? best[limit - 1].score - 0.001 : minScore;
    const least = lower.length === limit ? lower[limit - 1] - 0.001 : minScore;
    this.bar = Math.max(minScore, ranked, least);
  }

  /** The score without figures of a claim sharing `sharedWeight` of the sentence's term weight and `sharedActors` of its actors. */
  partialScore(sharedWeight: number, claimWeight: number, sharedActors: number): number {
    const { sentenceWeight } = this;
    const recall = sentenceWeight ? sharedWeight / sentenceWeight : 0;
    const precision = claimWeight ? sharedWeight / claimWeight : 0;
    const termScore = recall + precision ? (2 * recall * precision) / (recall + precision) : 0;
    const actorScore = this.actorCount ? sharedActors / this.actorCount : 0;
    return 0.6 * termScore + 0.25 * actorScore;
  }

  /**
   * The most a claim of weight `claimWeight` can score when it shares at most `shared` of the
   * sentence's term weight and names at most `hits` actors besides the common ones: termScore
   * is 2·shared / (sentenceWeight + claimWeight). The margin covers rounding in the sums.
   */
  most(shared: number, claimWeight: number, hits: number): number {
    const termBound = shared > 0 ? 0.6 * ((2 * shared) / (this.sentenceWeight + claimWeight)) : 0;
    const actorBound = this.actorCount ? (0.25 * (hits + this.commonActors.length)) / this.actorCount : 0;
    return termBound + actorBound + this.figureParts + 1e-9;
  }

  /**
   * Whether a claim scoring `partial` without figures is to be read now; one that could make the
   * top but is not among the best without figures is put off (see `later`).
   */
  admit(slot: number, partial: number): boolean {
    if (partial + this.figureParts < this.bar) return false;
    const { lower, limit } = this;
    let i = lower.length;
    while (i > 0 && lower[i - 1] < partial) i--;
    if (i < limit) {
      // Inserted in place, the last one dropped when full.
      let k = lower.length < limit ? lower.push(partial) - 1 : limit - 1;
      for (; k > i; k--) lower[k] = lower[k - 1];
      lower[i] = partial;
      this.raise();
      return true;
    }
    this.later.push(slot);
    this.laterPartials.push(partial);
    return false;
  }

  /** Whether a claim put off could still make the top. */
  admitLater(partial: number): boolean {
    return partial + this.figureParts >= this.bar;
  }

  /** Compares a claim's figures and ranks it. */
  rank(claim: Claim, partial: number): void {
    const score = this.hasFigures ? partial + 0.15 * agreement(this.quantities, this.years, claim) : partial;
    if (score < this.minScore) return;
    insertRanked(this.best, { claim, score: Math.round(score * 1000) / 1000 }, this.limit);
    this.raise();
  }
}

/**
 * Above this many claims in a cited source or span, a keyed look-up walks the postings in it
 * (walkRange) rather than scanning it: the same results, for a cost in the claims that share
 * something with the sentence.
 */
const WALK_OVER = 1024;

/** The first position in sorted `list[0 .. count)` holding `value` or more. */
function lowerBound(list: Int32Array, count: number, value: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts into a list kept sorted (score down, then claim id) and cut to `limit`. */
function insertRanked(list: ScoredClaim[], item: ScoredClaim, limit: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1].score < item.score || (list[i - 1].score === item.score && compareClaimIds(list[i - 1].claim.id, item.claim.id) > 0))) i--;
  if (i >= limit) return;
  list.splice(i, 0, item);
  if (list.length > limit) list.pop();
}

/** 1 when every figure of the sentence agrees with the claim, ½ when comparable but different, 0 when none is comparable. */
export function figureAgreement(numbers: NumberMention[], years: number[], claim: Claim): number {
  return agreement(numbers.map(quantityOf), years, claim);
}

/** figureAgreement, with the quantities of the sentence's numbers. */
function agreement(quantities: readonly Quantity[], years: readonly number[], claim: Claim): number {
  let comparable = 0;
  let agree = 0;
  if (quantities.length > 0 && claim.numbers.length > 0) {
    const theirs = quantitiesOf(claim);
    for (const q of quantities) {
      for (const m of theirs) {
        const same = sameQuantities(q, m);
        if (same === undefined) continue;
        comparable++;
        if (same) agree++;
        break;
      }
    }
  }
  for (const y of years) {
    if (claim.years.length === 0) continue;
    comparable++;
    if (claim.years.includes(y)) agree++;
  }
  // A claim with a figure of the same kind is about the same thing even when the value differs
  // (that is what number-mismatch needs to find); an agreeing figure counts double.
  const figures = quantities.length + years.length;
  return figures ? (comparable + agree) / (2 * figures) : 0;
}

/**
 * The quantities of claims' numbers, worked out when first compared: a claim is compared with
 * many sentences, and its numbers do not change.
 */
const claimQuantities = new WeakMap<Claim, readonly Quantity[]>();

function quantitiesOf(claim: Claim): readonly Quantity[] {
  let out = claimQuantities.get(claim);
  if (out === undefined) claimQuantities.set(claim, (out = claim.numbers.map(quantityOf)));
  return out;
}

export function compareClaimIds(a: string, b: string): number {
  const pa = /^(.*):(\d+)\.(\d+)$/.exec(a);
  const pb = /^(.*):(\d+)\.(\d+)$/.exec(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa[1] !== pb[1]) return pa[1] < pb[1] ? -1 : 1;
  return Number(pa[2]) - Number(pb[2]) || Number(pa[3]) - Number(pb[3]);
}

const TEXT_WEIGHT = FUSE_OPTIONS.keys[0].weight;
const ACTORS_WEIGHT = FUSE_OPTIONS.keys[1].weight;
const KEY_WEIGHT = FUSE_OPTIONS.keys[2].weight;

/** The same actor definitions in the same order (the objects of a source parsed again are new ones). */
function sameActors(a: readonly ActorDefinition[], b: readonly ActorDefinition[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  return true;
}

/** Whether sorted list `list` holds `slot` (binary search). */
function hasSorted(list: ArrayLike<number>, slot: number): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < slot) lo = mid + 1;
    else hi = mid;
  }
  return list[lo] === slot;
}

/** The slots of sorted list `a` that are also in sorted list `b`. */
function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x) j++;
    if (j === b.length) break;
    if (b[j] === x) out.push(x);
  }
  return out;
}

const FUSE_WEIGHTS = fuseWeights(FUSE_OPTIONS.keys);

/**
 * fuse.js's score of a claim for `pattern` (a scorable one) with FUSE_OPTIONS, Infinity when none
 * of its fields matches: the product of the text's, each actor's and the key's factors, in
 * fuse.js's order. An actor's or key's factor is worked out once per name.
 */
export function fuseClaimScorer(pattern: FusePattern): (claim: Claim) => number {
  const [textWeight, actorsWeight, keyWeight] = FUSE_WEIGHTS;
  const factor = (value: string, weight: number): number => {
    const s = pattern.score(value);
    return s < 0 ? -1 : fuseFactor(s, weight, fuseNorm(value));
  };
  // (Apart: the same string may be an actor and a key, with other weights.)
  const actors = new Map<string, number>();
  const keys = new Map<string, number>();
  const cached = (map: Map<string, number>, value: string, weight: number): number => {
    let f = map.get(value);
    if (f === undefined) map.set(value, (f = factor(value, weight)));
    return f;
  };
  return (claim) => {
    let total = 1;
    let matched = false;
    const take = (f: number): void => {
      if (f < 0) return;
      total *= f;
      matched = true;
    };
    take(factor(claim.text, textWeight));
    for (const actor of claim.actors) take(cached(actors, actor, actorsWeight));
    take(cached(keys, claim.sourceKey, keyWeight));
    return matched ? total : Infinity;
  };
}

/**
 * The candidates (in index order) that fuse.js's top `limit` for `query` can come from: those whose
 * fuse.js score, worked out here (see fuseScore.ts), is at most the `limit`-th best. fuse.js then
 * ranks only those, in the same order, and breaks ties as it would over them all; its top is
 * the same (test/unit/search.test.ts). All of them for a query that fuse.js cuts into pieces.
 */
export function fuseShortlist(query: string, candidates: Claim[], limit: number): Claim[] {
  const pattern = new FusePattern(query, FUSE_OPTIONS.threshold);
  if (!pattern.scorable || candidates.length <= limit) return candidates;
  const scoreOf = fuseClaimScorer(pattern);
  const scores = Float64Array.from(candidates, scoreOf);
  const sorted = Float64Array.from(scores).sort();
  const kth = sorted[limit - 1];
  if (kth === Infinity) return candidates;
  // Those tied at the limit-th score: fuse.js takes the first in index order. (A margin around
  // it for rounding, though the arithmetic is fuse.js's: scores there all go to fuse.js.)
  let ties = limit - sorted.findIndex((x) => x === kth);
  const low = kth * (1 - 1e-9);
  const high = kth * (1 + 1e-9) + Number.MIN_VALUE;
  return candidates.filter((_, i) => scores[i] < low || (scores[i] === kth ? ties-- > 0 : scores[i] <= high));
}

/** Whitespace-separated words, as fuse.js counts them for its field norm. */
function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = (c >= 9 && c <= 13) || c === 32 || c === 160;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return Math.max(1, words);
}

/** fuse.js's field norm: 1/√words, rounded to three places. */
function fieldNorm(text: string): number {
  return NORM_OF_WORDS[Math.min(255, wordCount(text))];
}

const NORM_OF_WORDS = Float64Array.from({ length: 256 }, (_, n) => Math.round(1000 / Math.sqrt(Math.max(1, n))) / 1000);

/**
 * The `n` of `slots` (all when fewer) with the fewest words; among equals the first in index
 * order, as fuse.js breaks ties. `slots` is in index order.
 */
function fewestWords(slots: readonly number[], words: Uint8Array, n: number): readonly number[] {
  if (slots.length <= n) return slots;
  const histogram = new Uint32Array(256);
  for (const slot of slots) histogram[words[slot]]++;
  let cut = 0;
  let below = 0;
  for (; cut < 255 && below + histogram[cut] < n; cut++) below += histogram[cut];
  let atCut = n - below;
  const out: number[] = [];
  for (const slot of slots) {
    const w = words[slot];
    if (w < cut || (w === cut && atCut-- > 0)) out.push(slot);
  }
  return out;
}

/** The k-th smallest value (0-based) of `values`, which it reorders (quickselect). */
function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i++] = values[j];
        values[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** A copy of `array` with room for at least `size` items (doubling). */
function grown(array: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(size, 2 * array.length));
  out.set(array);
  return out;
}

/** The slots of postings (none for none). */
function posted(p: Postings | undefined): Int32Array<ArrayBuffer> {
  return p ? p.slots.subarray(0, p.count) : NO_SLOTS;
}

const NO_SLOTS = new Int32Array(0);

function pushTo(map: Map<string, number[]>, key: string, slot: number): void {
  const list = map.get(key);
  if (list) list.push(slot);
  else map.set(key, [slot]);
}

/**
 * Where each paragraph's claims begin in a source's claim list (`starts[p]`: the first claim of
 * paragraph p or after; `starts[last + 1]`: the list's length), when the list is in paragraph
 * order, as parseSource makes it; null when it is not (then callers read the whole list). Made
 * once per list: a look-up of a cited paragraph then costs that paragraph's claims, not the
 * source's, which matters for a source of a hundred thousand claims.
 */
const paragraphStarts = new WeakMap<readonly Claim[], Int32Array | null>();

function startsOf(claims: readonly Claim[]): Int32Array | null {
  let starts = paragraphStarts.get(claims);
  if (starts !== undefined) return starts;
  starts = null;
  let ordered = true;
  let previous = 1;
  for (const claim of claims) {
    const p = claim.paragraph;
    if (!Number.isSafeInteger(p) || p < previous) {
      ordered = false;
      break;
    }
    previous = p;
  }
  if (ordered) {
    const last = claims.length ? claims[claims.length - 1].paragraph : 0;
    starts = new Int32Array(last + 2);
    let i = 0;
    for (let p = 0; p <= last + 1; p++) {
      while (i < claims.length && claims[i].paragraph < p) i++;
      starts[p] = i;
    }
  }
  paragraphStarts.set(claims, starts);
  return starts;
}

/**
 * The claims of paragraphs `from` to `to` of a source's claim list, as a range of it, or
 * undefined when the list is not in paragraph order (see startsOf).
 */
export function paragraphSpan(claims: readonly Claim[], from: number, to: number): [number, number] | undefined {
  const starts = startsOf(claims);
  if (!starts) return undefined;
  const end = starts.length - 1;
  const at = (p: number): number => (p <= 0 ? 0 : p >= end ? claims.length : starts[Math.floor(p)]);
  // (A paragraph number that is no integer has no claims: the range of the whole numbers in between.)
  const lo = at(Math.ceil(from));
  const hi = at(Math.floor(to) + 1);
  return [lo, Math.max(lo, hi)];
}
