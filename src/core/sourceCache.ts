// The persistent cache of parsed sources: a source whose text has not changed since it was last
// parsed (same content hash, same engine build, same user actors) is taken from the cache instead
// of being parsed again. The caller stores the serialized cache (the extension in its workspace
// storage, the CLI in `--cache DIR`); a cache that cannot be read is simply empty.
import type { Source } from './types';

/** Bumped when the file layout changes. */
export const SOURCE_CACHE_FORMAT = 1;

declare const __POLICY_CITE_ENGINE__: string | undefined;

/**
 * Identifies the engine that parsed the cached sources: the build stamps a hash of src/core into
 * the bundle, so any change to the engine invalidates caches written by an earlier build. Run
 * from source (tests), it is "source".
 */
export const ENGINE_ID: string = typeof __POLICY_CITE_ENGINE__ === 'string' ? __POLICY_CITE_ENGINE__ : 'source';

interface CacheFile {
  format: number;
  engine: string;
  /** Fingerprint of what besides the text shapes a parse: the user's actors file. */
  context: string;
  sources: Record<string, Source>;
}

export class SourceCache {
  private readonly sources = new Map<string, Source>();
  private used = new Set<string>();
  /** Entries found / taken / parsed anew since the cache was read. */
  readonly stats = { read: 0, hits: 0, misses: 0 };

  /** `context`: a fingerprint of the parse inputs other than the text (e.g. a hash of the actors file). */
  constructor(readonly context = '') {}

  /** Reads a serialized cache; an unreadable or foreign one (other format, engine or context) gives an empty cache. */
  static parse(text: string | undefined, context = ''): SourceCache {
    const cache = new SourceCache(context);
    if (!text) return cache;
    try {
      const data = JSON.parse(text) as Partial<CacheFile>;
      if (data.format !== SOURCE_CACHE_FORMAT || data.engine !== ENGINE_ID || data.context !== context) return cache;
      if (!data.sources || typeof data.sources !== 'object') return cache;
      for (const [path, source] of Object.entries(data.sources)) {
        if (isSourceLike(source) && source.path === path) cache.sources.set(path, source);
      }
      cache.stats.read = cache.sources.size;
    } catch {
      // Not JSON: start empty; the next save replaces it.
    }
    return cache;
  }

  /** The cached parse of `path` when its text still has content hash `hash`. */
  get(path: string, hash: string): Source | undefined {
    const source = this.sources.get(path);
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
  }

  delete(path: string): void {
    this.sources.delete(path);
    this.used.delete(path);
  }

  get size(): number {
    return this.sources.size;
  }

  /** Whether the serialized cache would differ from what was read: a source parsed anew, or one not asked for. */
  get changed(): boolean {
    return this.stats.misses > 0 || this.stats.hits < this.stats.read;
  }

  /**
   * The cache as text. `onlyUsed`: drop entries that no get/set touched since the cache was read
   * (sources deleted from the workspace meanwhile).
   */
  serialize(onlyUsed = true): string {
    const sources: Record<string, Source> = {};
    for (const [path, source] of this.sources) if (!onlyUsed || this.used.has(path)) sources[path] = source;
    const file: CacheFile = { format: SOURCE_CACHE_FORMAT, engine: ENGINE_ID, context: this.context, sources };
    return JSON.stringify(file);
  }
}

function isSourceLike(value: unknown): value is Source {
  const s = value as Source;
  return typeof s === 'object' && s !== null && typeof s.path === 'string' && typeof s.key === 'string' && typeof s.hash === 'string'
    && Array.isArray(s.claims) && Array.isArray(s.paragraphs) && Array.isArray(s.discoveredActors) && typeof s.meta === 'object';
}
