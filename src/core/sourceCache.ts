// The persistent cache of parsed sources: a source whose text has not changed since it was last
// parsed (same content hash, same engine build, same user actors) is taken from the cache instead
// of being parsed again. The caller stores the serialized cache (the extension in its workspace
// storage, the CLI in `--cache DIR`); a cache that cannot be read is simply empty.
//
// A warm start must not cost what parsing costs, so the cache is laid out for reading little:
//
//   "PCSC" | u32 header length | header (JSON) | padding to 4 bytes | int32 index data | bodies
//
// The header holds each source's path, key, hash, metadata and discovered actors, with the
// ranges of its index data and body; it also holds the tables of index terms and actors that the
// index data numbers. A source's index data gives, per claim, its index terms and actors
// (PreparedClaims), so the ClaimIndex adds it without its claims; the body (its claims and
// paragraphs, as JSON) is parsed only when something reads them.
import { deferredSource, IntList, markUnreadable, prepareClaimData, type PreparedClaims, preparedClaimsOf, PreparedTables, type SourceBody } from './deferredSource';
import { claimsFromPlan, pendingPlanOf, type StoredPlan } from './source';
import { Slices } from './slices';
import type { Author, Claim, Paragraph, Source } from './types';

/** Bumped when the file layout changes. */
export const SOURCE_CACHE_FORMAT = 2;

declare const __POLICY_CITE_ENGINE__: string | undefined;

/**
 * Identifies the engine that parsed the cached sources: the build stamps a hash of src/core into
 * the bundle, so any change to the engine invalidates caches written by an earlier build. Run
 * from source (tests), it is "source".
 */
export const ENGINE_ID: string = typeof __POLICY_CITE_ENGINE__ === 'string' ? __POLICY_CITE_ENGINE__ : 'source';

const MAGIC = [0x50, 0x43, 0x53, 0x43]; // "PCSC"
/** Written as an int32 before the index data: a cache of a machine of other byte order is foreign. */
const BYTE_ORDER_MARK = 0x01020304;

interface Entry {
  path: string;
  key: string;
  hash: string;
  meta: Source['meta'];
  discoveredActors: Source['discoveredActors'];
  claims: number;
  paragraphs: number;
  /** Start of the index data, in int32s after the byte-order mark. */
  index: number;
  /** Byte range of the body, from the start of the bodies. */
  body: [number, number];
  /** The body holds the source's paragraphs and the plan its claims are made from (StoredPlan), not its claims. */
  plan?: true;
}

interface Header {
  format: number;
  engine: string;
  /** Fingerprint of what besides the text shapes a parse: the user's actors file. */
  context: string;
  terms: string[];
  actors: string[];
  /** Int32s of index data. */
  ints: number;
  sources: Entry[];
}

/** The stored body of a source read from a cache, kept as bytes until its claims are read. */
const BODY = Symbol('policy-cite.cachedBody');
/** Set on a source whose stored body is a plan (Entry.plan). */
const PLAN_BODY = Symbol('policy-cite.planBody');

export interface SerializeOptions {
  /**
   * Store a source whose claims are not made yet (ParseSourceOptions.lazyClaims) as the plan its
   * claims are made from, not as its claims: what a parse worker sends, so that it does not make
   * every claim of its share. Such a body costs a reader more than claims do: not for the
   * persistent cache.
   */
  plans?: boolean;
}

/** A StoredPlan of `claims` claims, as JSON gives it. */
function isPlan(value: unknown, claims: number): value is StoredPlan {
  if (typeof value !== 'object' || value === null) return false;
  const { date, paragraphs, texts, spans } = value as Partial<StoredPlan>;
  if (date !== undefined && typeof date !== 'string') return false;
  if (!Array.isArray(paragraphs) || !Array.isArray(texts) || !Array.isArray(spans) || paragraphs.length !== texts.length || spans.length !== 2 * claims) return false;
  if (!paragraphs.every((n) => Number.isInteger(n)) || !spans.every((n) => Number.isInteger(n))) return false;
  let count = 0;
  for (const list of texts) {
    if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) return false;
    count += list.length;
  }
  return count === claims;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SourceCache {
  private readonly sources = new Map<string, Source>();
  private used = new Set<string>();
  /** Entries found / taken / parsed anew since the cache was read. */
  readonly stats = { read: 0, hits: 0, misses: 0 };

  /** `context`: a fingerprint of the parse inputs other than the text (e.g. a hash of the actors file). */
  constructor(readonly context = '') {}

  /**
   * Reads a serialized cache; an unreadable or foreign one (other format, engine, context or byte
   * order, or damaged) gives an empty cache. The sources it gives read their claims and
   * paragraphs on first use.
   */
  static parse(bytes: Uint8Array | undefined, context = ''): SourceCache {
    const cache = new SourceCache(context);
    if (!bytes) return cache;
    try {
      for (const source of readCache(bytes, context, (source) => cache.bodyUnreadable(source))) cache.sources.set(source.path, source);
      cache.stats.read = cache.sources.size;
    } catch {
      // Not a cache of ours: start empty; the next save replaces it.
    }
    return cache;
  }

  /**
   * Paths whose stored claims and paragraphs turned out unreadable when first read (a damaged
   * cache: the source then reads as having none). They are parsed anew when asked for again and
   * left out of the serialized cache until then.
   */
  private readonly unreadable = new Set<string>();

  /**
   * Called when a source of this cache turns out to have an unreadable body, with its path, as it
   * is read (from inside whatever read it: the callback should only schedule work). The source
   * keeps reading as having no claims and no paragraphs; its owner should parse it again.
   */
  onUnreadable: ((path: string) => void) | undefined;

  private bodyUnreadable(source: Source): void {
    markUnreadable(source);
    // (Not when the source was replaced or deleted meanwhile: the unreadable one is out of the cache.)
    if (this.sources.get(source.path) !== source) return;
    this.unreadable.add(source.path);
    this.onUnreadable?.(source.path);
  }

  /** Whether `path`'s stored source turned out unreadable (see onUnreadable) and was not set anew since. */
  isUnreadable(path: string): boolean {
    return this.unreadable.has(path);
  }

  /** The paths that isUnreadable holds for. */
  unreadablePaths(): string[] {
    return [...this.unreadable];
  }

  /** The cached parse of `path` when its text still has content hash `hash`. */
  get(path: string, hash: string): Source | undefined {
    const source = this.unreadable.has(path) ? undefined : this.sources.get(path);
    if (source && source.hash === hash) {
      this.used.add(path);
      this.stats.hits++;
      return source;
    }
    this.stats.misses++;
    return undefined;
  }

  set(source: Source): void {
    this.sources.set(source.path, source);
    this.used.add(source.path);
    this.unreadable.delete(source.path);
  }

  delete(path: string): void {
    this.sources.delete(path);
    this.used.delete(path);
    this.unreadable.delete(path);
  }

  get size(): number {
    return this.sources.size;
  }

  /** Every source the cache holds (read or set), without marking any as used. */
  all(): Source[] {
    return [...this.sources.values()];
  }

  /** Whether the serialized cache would differ from what was read: a source parsed anew, one not asked for, or one unreadable. */
  get changed(): boolean {
    return this.stats.misses > 0 || this.stats.hits < this.stats.read || this.unreadable.size > 0;
  }

  /**
   * The cache as bytes. `onlyUsed`: drop entries that no get/set touched since the cache was read
   * (sources deleted from the workspace meanwhile). Sources read from a cache and not changed
   * are copied without parsing their bodies.
   */
  serialize(onlyUsed = true, options: SerializeOptions = {}): Uint8Array {
    const steps = this.serializeSteps(onlyUsed, options);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * serialize(), giving the event loop a turn whenever `sliceMs` have passed (between sources):
   * writing a big cache (a second or so at 100k claims) then keeps the caller's thread
   * responsive. The sources are those the cache held when it was called.
   */
  async serializeInSlices(onlyUsed = true, sliceMs = 10): Promise<Uint8Array> {
    const steps = this.serializeSteps(onlyUsed, {});
    const slices = new Slices({ sliceMs });
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (slices.due()) await slices.turn();
    }
  }

  /** serialize, one source per step. */
  private *serializeSteps(onlyUsed: boolean, options: SerializeOptions): Generator<void, Uint8Array> {
    const tables = new PreparedTables();
    const ints = new IntList();
    ints.push(BYTE_ORDER_MARK);
    const bodies: Uint8Array[] = [];
    let bodyBytes = 0;
    const entries: Entry[] = [];
    // (An unreadable source is left out: the next start parses it from its text.)
    const sources = [...this.sources].filter(([path]) => (!onlyUsed || this.used.has(path)) && !this.unreadable.has(path));
    for (const [path, source] of sources) {
      const index = ints.length - 1;
      const prepared = preparedClaimsOf(source);
      if (prepared) copyPrepared(prepared, tables, ints);
      else for (const claim of source.claims) prepareClaimData(ints, claim.text, claim.actors, tables);
      // A stored body is copied as it is, but a plan only where plans are asked for (a plan read
      // from a worker goes to the persistent cache as claims).
      const read = source as Source & { [BODY]?: Uint8Array; [PLAN_BODY]?: true };
      const stored = read[BODY] && (!read[PLAN_BODY] || options.plans) ? read[BODY] : undefined;
      const plan = !stored && options.plans ? pendingPlanOf(source) : undefined;
      const planBody = stored ? read[PLAN_BODY] === true : plan !== undefined;
      const body = stored ?? encoder.encode(JSON.stringify(plan ? { paragraphs: source.paragraphs, plan } : { claims: source.claims, paragraphs: source.paragraphs }));
      bodies.push(body);
      const { key, hash, meta, discoveredActors } = source;
      entries.push({
        path, key, hash, meta, discoveredActors,
        claims: prepared ? prepared.claims : source.claims.length,
        paragraphs: prepared ? prepared.paragraphs : source.paragraphs.length,
        index,
        body: [bodyBytes, body.length],
        ...(planBody ? { plan: true as const } : {}),
      });
      bodyBytes += body.length;
      yield;
    }
    const header: Header = {
      format: SOURCE_CACHE_FORMAT, engine: ENGINE_ID, context: this.context,
      terms: tables.view.terms, actors: tables.view.actors, ints: ints.length - 1, sources: entries,
    };
    const head = encoder.encode(JSON.stringify(header));
    const intsAt = align4(8 + head.length);
    const out = new Uint8Array(intsAt + 4 * ints.length + bodyBytes);
    out.set(MAGIC, 0);
    new DataView(out.buffer).setUint32(4, head.length, true);
    out.set(head, 8);
    out.set(new Uint8Array(ints.view().buffer, 0, 4 * ints.length), intsAt);
    let at = intsAt + 4 * ints.length;
    for (const body of bodies) {
      out.set(body, at);
      at += body.length;
    }
    return out;
  }
}

function readCache(bytes: Uint8Array, context: string, unreadable: (source: Source) => void): Source[] {
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(4, true);
  if (8 + headLength > bytes.length) return [];
  const header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headLength))) as Partial<Header>;
  if (header.format !== SOURCE_CACHE_FORMAT || header.engine !== ENGINE_ID || header.context !== context) return [];
  if (!isStringList(header.terms) || !isStringList(header.actors) || !Array.isArray(header.sources) || !isCount(header.ints)) return [];
  const intsAt = align4(8 + headLength);
  const bodiesAt = intsAt + 4 * (header.ints + 1);
  if (bodiesAt > bytes.length) return [];
  // A copy: the bytes of a file read need not be aligned for an Int32Array view. (Not
  // `bytes.slice`, which on a Node Buffer makes no copy.)
  const ints = new Int32Array(header.ints + 1);
  new Uint8Array(ints.buffer).set(bytes.subarray(intsAt, bodiesAt));
  if (ints[0] !== BYTE_ORDER_MARK) return [];
  const data = ints.subarray(1);
  const tables = { terms: header.terms, actors: header.actors };
  const sources: Source[] = [];
  for (const entry of header.sources) {
    if (!isEntry(entry) || entry.body[0] + entry.body[1] > bytes.length - bodiesAt) return [];
    const end = indexDataEnd(data, entry, tables);
    if (end < 0) return [];
    const body = bytes.subarray(bodiesAt + entry.body[0], bodiesAt + entry.body[0] + entry.body[1]);
    sources.push(lazySource(entry, body, { tables, data, start: entry.index, end, claims: entry.claims, paragraphs: entry.paragraphs }, unreadable));
  }
  return sources;
}

/** A source whose claims and paragraphs are parsed from `body` when first read. */
function lazySource(entry: Entry, body: Uint8Array, prepared: PreparedClaims, unreadable: (source: Source) => void): Source {
  const { key, path, meta, discoveredActors, hash } = entry;
  const source: Source = deferredSource({ key, path, meta, discoveredActors, hash }, () => readBody(body, entry, prepared, () => unreadable(source)), prepared);
  Object.defineProperty(source, BODY, { value: body, enumerable: false });
  if (entry.plan) Object.defineProperty(source, PLAN_BODY, { value: true, enumerable: false });
  return source;
}

/** A body that is not what the header promised (a damaged cache) reads as no claims and no paragraphs, and is reported. */
function readBody(body: Uint8Array, entry: Entry, prepared: PreparedClaims, unreadable: () => void): SourceBody {
  try {
    if (entry.plan) {
      const value = JSON.parse(decoder.decode(body)) as { paragraphs?: unknown; plan?: unknown };
      const { paragraphs, plan } = value;
      if (Array.isArray(paragraphs) && paragraphs.length === entry.paragraphs && isPlan(plan, entry.claims)) {
        // The paragraphs now; the claims (the dear part) when read.
        let claims: Claim[] | undefined;
        return {
          paragraphs: paragraphs as Paragraph[],
          get claims() {
            return (claims ??= claimsFromPlan(entry.key, plan, prepared));
          },
        };
      }
      unreadable();
      return { claims: [], paragraphs: [] };
    }
    const value = JSON.parse(decoder.decode(body)) as { claims?: unknown; paragraphs?: unknown };
    if (Array.isArray(value.claims) && Array.isArray(value.paragraphs) && value.claims.length === entry.claims && value.paragraphs.length === entry.paragraphs) {
      return { claims: value.claims as Claim[], paragraphs: value.paragraphs as Paragraph[] };
    }
  } catch {
    // fall through
  }
  unreadable();
  return { claims: [], paragraphs: [] };
}

/**
 * Where the index data of an entry ends; -1 when it would not stay inside the data or numbers
 * what the tables lack (a damaged cache).
 */
function indexDataEnd(data: Int32Array, entry: Entry, tables: PreparedClaims['tables']): number {
  const terms = tables.terms.length;
  const actors = tables.actors.length;
  let i = entry.index;
  for (let n = 0; n < 2 * entry.claims; n++) {
    const size = n % 2 === 0 ? terms : actors;
    if (i >= data.length) return -1;
    const count = data[i++];
    if (count < 0 || i + count > data.length) return -1;
    for (const end = i + count; i < end; i++) if (data[i] < 0 || data[i] >= size) return -1;
  }
  return i;
}

function copyPrepared(prepared: PreparedClaims, to: PreparedTables, ints: IntList): void {
  const { data, tables } = prepared;
  let i = prepared.start;
  for (let n = 0; n < prepared.claims; n++) {
    for (const [table, names] of [[to.terms, tables.terms], [to.actors, tables.actors]] as const) {
      const count = data[i++];
      ints.push(count);
      for (const end = i + count; i < end; i++) ints.push(table.id(names[data[i]]));
    }
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isEntry(value: unknown): value is Entry {
  const e = value as Entry;
  return typeof e === 'object' && e !== null && typeof e.path === 'string' && typeof e.key === 'string' && typeof e.hash === 'string'
    && typeof e.meta === 'object' && e.meta !== null && Array.isArray((e.meta as { authors?: Author[] }).authors)
    && Array.isArray(e.discoveredActors) && isCount(e.claims) && isCount(e.paragraphs) && isCount(e.index)
    && Array.isArray(e.body) && isCount(e.body[0]) && isCount(e.body[1]) && (e.plan === undefined || e.plan === true);
}
