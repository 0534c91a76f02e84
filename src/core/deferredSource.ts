// Sources whose claims are read later: a source taken from the parsed-source cache comes with the
// index terms and actors of its claims (PreparedClaims), so the ClaimIndex can index it without
// its claims, and parses its claims and paragraphs only when something reads them.
import { contentTermOf, forEachWord, indexTermOf } from './text';
import type { Claim, Paragraph, Source } from './types';

/**
 * The index terms and actors of a source's claims, prepared by whoever stored the source, so
 * that indexing it needs neither its claims nor their text. In `data` from `start`, per claim:
 * the number of its distinct index terms (in text order), their numbers in `tables.terms`, the
 * number of its actors, their numbers in `tables.actors`.
 */
export interface PreparedClaims {
  readonly tables: { readonly terms: readonly string[]; readonly actors: readonly string[] };
  readonly data: Int32Array;
  readonly start: number;
  /** Where the data of the last claim ends. */
  readonly end: number;
  readonly claims: number;
  readonly paragraphs: number;
}

/** Strings numbered in order of first use. */
export class Table {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}

/**
 * Tables of index terms and actor names, numbered in order of first use, for the PreparedClaims of
 * a batch of sources parsed together (or of a serialized cache): the sources share `view` (the
 * ClaimIndex looks postings up once per table entry, not per source) and each name is one string
 * for all of them. Only `view` is kept by the sources; the maps go with the batch.
 */
export class PreparedTables {
  readonly terms = new Table();
  readonly actors = new Table();
  /**
   * The number in `terms` of the index term of each word met (-1: none), by the word as
   * forEachWord gives it: a word repeats far more often than it is new, and this skips its
   * stopword test, stemming and term look-up.
   */
  readonly termOfWord = new Map<string, number>();
  readonly view: { readonly terms: string[]; readonly actors: string[] } = { terms: this.terms.list, actors: this.actors.list };
}

/**
 * Adds a claim's prepared index data: its distinct index terms in text order (as the ClaimIndex
 * would index them from its text), then its actors.
 */
export function prepareClaimData(ints: IntList, text: string, actors: readonly string[], tables: PreparedTables): void {
  const at = ints.length;
  ints.push(0);
  // The numbers of indexTerms(text), distinct, in text order. A sentence has a few terms, so a
  // scan of those kept is cheaper than a Set, which long (hostile) sentences still get, to stay
  // linear.
  let seen: Set<number> | undefined;
  const { termOfWord } = tables;
  forEachWord(text, (word) => {
    let id = termOfWord.get(word);
    if (id === undefined) {
      const term = contentTermOf(word);
      id = term === undefined ? -1 : tables.terms.id(indexTermOf(term));
      termOfWord.set(word, id);
    }
    if (id < 0) return;
    if (seen) {
      if (seen.has(id)) return;
      seen.add(id);
    } else {
      const data = ints.view();
      for (let k = at + 1; k < ints.length; k++) if (data[k] === id) return;
      if (ints.length - at > 32) seen = new Set(data.subarray(at + 1, ints.length));
      seen?.add(id);
    }
    ints.push(id);
  });
  ints.view()[at] = ints.length - at - 1;
  ints.push(actors.length);
  for (const a of actors) ints.push(tables.actors.id(a));
}

/** A growable list of int32s. */
export class IntList {
  private data: Int32Array<ArrayBuffer>;
  length = 0;

  constructor(capacity = 4096) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The list's storage, `length` of it in use (valid until the next push). */
  view(): Int32Array<ArrayBuffer> {
    return this.data;
  }
}

export interface SourceBody {
  claims: Claim[];
  paragraphs: Paragraph[];
}

const PREPARED = Symbol('policy-cite.preparedClaims');
const STORED = Symbol('policy-cite.storedSource');

/**
 * A source whose claims and paragraphs come from `read` on first use (once), with the prepared
 * index data of its claims. Copies (spread, JSON) read them and do not carry the prepared data.
 */
export function deferredSource(fields: Omit<Source, 'claims' | 'paragraphs'>, read: () => SourceBody, prepared: PreparedClaims): Source {
  let body: SourceBody | undefined;
  const once = (): SourceBody => (body ??= read());
  const source = { ...fields } as Source;
  Object.defineProperties(source, {
    paragraphs: { get: () => once().paragraphs, enumerable: true, configurable: true },
    claims: { get: () => once().claims, enumerable: true, configurable: true },
    [PREPARED]: { value: prepared, enumerable: false },
    [STORED]: { value: true, enumerable: false },
  });
  return source;
}

/**
 * A source whose paragraphs are known and whose claims come from `read` on first use (once), with
 * the prepared index data of its claims; its fields in the order parseSource gives them.
 */
export function sourceWithLazyClaims(fields: Omit<Source, 'claims'>, read: () => Claim[], prepared: PreparedClaims): Source {
  let claims: Claim[] | undefined;
  let reader: (() => Claim[]) | undefined = read;
  const { key, path, meta, paragraphs, discoveredActors, hash } = fields;
  const source: Source = { key, path, meta, paragraphs, claims: [], discoveredActors, hash };
  // (Redefined in place: the property keeps its position among the keys.)
  Object.defineProperties(source, {
    claims: {
      get: () => {
        if (claims === undefined) {
          claims = (reader as () => Claim[])();
          reader = undefined; // what the claims were made from goes
          PENDING.delete(source);
        }
        return claims;
      },
      enumerable: true,
      configurable: true,
    },
    [PREPARED]: { value: prepared, enumerable: false },
  });
  PENDING.add(source);
  return source;
}

/** Sources of sourceWithLazyClaims whose claims were not read yet. */
const PENDING = new WeakSet<Source>();

/** Whether a source's claims are made when first read and were not read yet. */
export function claimsPending(source: Source): boolean {
  return PENDING.has(source);
}

/** Stored sources whose paragraphs and claims turned out unreadable (they read as none). */
const UNREADABLE = new WeakSet<Source>();

/** Marks a stored source whose body turned out unreadable (see isUnreadableSource). */
export function markUnreadable(source: Source): void {
  UNREADABLE.add(source);
}

/**
 * Whether a source read as having no paragraphs and no claims because its stored body could not
 * be read: what is worked out from it now does not hold for its file (whose hash it still has).
 */
export function isUnreadableSource(source: Source): boolean {
  return UNREADABLE.has(source);
}

/** Whether a source's paragraphs and claims are read from stored bytes (a cache, a worker's), not parsed here. */
export function isStoredSource(source: Source): boolean {
  return (source as Source & { [STORED]?: boolean })[STORED] === true;
}

export function preparedClaimsOf(source: Source): PreparedClaims | undefined {
  return (source as Source & { [PREPARED]?: PreparedClaims })[PREPARED];
}

/** Paragraphs and claims of a source, without reading the claims of a deferred one. */
export function sourceSize(source: Source): { paragraphs: number; claims: number } {
  const prepared = preparedClaimsOf(source);
  return prepared ? { paragraphs: prepared.paragraphs, claims: prepared.claims } : { paragraphs: source.paragraphs.length, claims: source.claims.length };
}
