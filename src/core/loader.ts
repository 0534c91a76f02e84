// From file bytes to indexed sources. The caller does the I/O (CLI: fs; extension:
// workspace.fs); this module decides what is readable text and what is skipped, and why.
import type { ActorRegistry } from './actors';
import { ClaimIndex } from './claimIndex';
import { assignKeys, parseSource, rekeySource } from './source';
import { PreparedTables } from './deferredSource';
import type { SourceCache } from './sourceCache';
import { hashBytes } from './text';
import type { Source } from './types';

/** Sources larger than this are skipped: articles are kilobytes; tens of megabytes is a dump. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;
/** Memos larger than this are not checked (the CLI's `check`, the editor's "check memos" task). */
export const MAX_MEMO_BYTES = 64 * 1024 * 1024;

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeSource(bytes: Uint8Array, maxBytes = MAX_SOURCE_BYTES, blank: 'skip' | 'accept' = 'skip'): DecodeResult {
  if (bytes.length === 0) return blank === 'accept' ? { ok: true, text: '' } : { ok: false, reason: 'empty file' };
  if (bytes.length > maxBytes) {
    return { ok: false, reason: `too large (${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(0)} MB)` };
  }
  // The start first (most binary files show it there, before the whole is decoded), then the
  // whole text: a NUL further in (an archive appended to text, a dump) is binary too. NUL is valid
  // UTF-8, so decoding does not catch it.
  const binary: DecodeResult = { ok: false, reason: 'binary file (contains NUL bytes)' };
  if (bytes.subarray(0, Math.min(bytes.length, 8192)).includes(0)) return binary;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8 text' };
  }
  if (bytes.length > 8192 && text.includes('\0')) return binary;
  if (blank === 'skip' && text.trim() === '') return { ok: false, reason: 'empty file (only white space)' };
  return { ok: true, text };
}

/**
 * A memo's text: as a source's, except that an empty or blank memo is checked (it has nothing to
 * flag), not skipped. The CLI's `check` and the editor's "check memos" task read memos with it.
 */
export function decodeMemo(bytes: Uint8Array): DecodeResult {
  return decodeSource(bytes, MAX_MEMO_BYTES, 'accept');
}

export interface SourceFile {
  path: string;
  bytes: Uint8Array;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface LoadResult {
  sources: Source[];
  skipped: SkippedFile[];
  /** Keys that more than one source took (see keyCollisions). */
  collisions: KeyCollision[];
}

/**
 * A key that more than one source took before the collision suffixes: the sources in the order
 * they got their keys (the one keeping the key first), each with the key it is cited by.
 */
export interface KeyCollision {
  key: string;
  sources: Array<{ path: string; key: string; given: boolean }>;
}

/**
 * Decodes and parses one file; a file that cannot be used comes back as skipped, with the reason.
 * The source's claims are made when first read (see ParseSourceOptions.lazyClaims); `tables`:
 * those of the batch the file is parsed with.
 */
export function parseSourceFile(file: SourceFile, registry?: ActorRegistry, cache?: SourceCache, tables?: PreparedTables): Source | SkippedFile {
  // Bytes that were parsed before come from the cache undecoded: they were readable text then.
  const hash = hashOfFile(file);
  const cached = hash && cache?.get(file.path, hash);
  if (cached) return cached;
  const decoded = decodeSource(file.bytes);
  if (!decoded.ok) return { path: file.path, reason: decoded.reason };
  try {
    const source = parseSource(decoded.text, file.path, { registry, hash, lazyClaims: true, tables });
    if (source.paragraphs.length === 0) return { path: file.path, reason: 'no body paragraphs' };
    cache?.set(source);
    return source;
  } catch (e) {
    return { path: file.path, reason: `could not be parsed: ${(e as Error).message}` };
  }
}

/** The cached parse of a file whose bytes are unchanged (as parseSourceFile takes it). */
export function cachedSource(file: SourceFile, cache: SourceCache): Source | undefined {
  const hash = hashOfFile(file);
  return hash ? cache.get(file.path, hash) : undefined;
}

/** A source's content hash; none for a file too large to be one (it is never hashed). */
function hashOfFile(file: SourceFile): string | undefined {
  return file.bytes.length <= MAX_SOURCE_BYTES ? hashBytes(file.bytes) : undefined;
}

export function isSkipped<T extends object>(result: T | SkippedFile): result is SkippedFile {
  return 'reason' in result;
}

/**
 * Deterministic keys for a batch: of colliding keys, a source whose front matter gives the key
 * keeps it, else the first by path; the others get a, b, … suffixes.
 */
export function finalizeKeys(parsed: Source[]): Source[] {
  const keys = assignKeys(parsed.map((s) => ({ path: s.path, key: s.key, given: s.meta.keyGiven, source: s })));
  const sources: Source[] = [];
  for (const [entry, key] of keys) sources.push(rekeySource(entry.source, key));
  return sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `cache`: parsed sources of earlier runs, taken when a file's text is unchanged, and updated. */
export function parseSources(files: SourceFile[], registry?: ActorRegistry, cache?: SourceCache): LoadResult {
  const tables = new PreparedTables();
  return loadResult(files.map((file) => parseSourceFile(file, registry, cache, tables)));
}

/** The sources (keyed, in path order) and the skipped files (in path order) of parse results. */
export function loadResult(results: (Source | SkippedFile)[]): LoadResult {
  const skipped: SkippedFile[] = [];
  const parsed: Source[] = [];
  for (const result of results) {
    if (isSkipped(result)) skipped.push(result);
    else parsed.push(result);
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sources = finalizeKeys(parsed);
  return { sources, skipped, collisions: keyCollisions(parsed, sources) };
}

/** The keys that more than one of `parsed` took, with the keys `keyed` (finalizeKeys(parsed)) gave them. */
export function keyCollisions(parsed: readonly Source[], keyed: readonly Source[]): KeyCollision[] {
  const taken = new Map<string, Source[]>();
  for (const s of parsed) {
    const group = taken.get(s.key);
    if (group) group.push(s);
    else taken.set(s.key, [s]);
  }
  const keyOf = new Map(keyed.map((s) => [s.path, s.key]));
  const out: KeyCollision[] = [];
  for (const [key, group] of taken) {
    if (group.length < 2) continue;
    const sources = group.map((s) => ({ path: s.path, key: keyOf.get(s.path) ?? s.key, given: s.meta.keyGiven === true }));
    // The key itself, then its suffixes in the order they are given (a, b, …, z, aa, …).
    sources.sort((a, b) => a.key.length - b.key.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    out.push({ key, sources });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** How many of the sources that did not keep a key a collision warning names. */
const COLLISIONS_NAMED = 3;

/**
 * What to tell the user of a key collision: which source keeps the key, how the others are cited,
 * and why that is fragile (a source added or renamed later can take the key, and the citations
 * that meant another article then point at it).
 */
export function keyCollisionWarning(collision: KeyCollision): string {
  const [first, ...others] = collision.sources;
  // (A folder of copies may hold hundreds: the first few are named.)
  const named = others.slice(0, COLLISIONS_NAMED).map((o) => `${o.path} is cited as @${o.key}`);
  const rest = named.join(', ') + (others.length > COLLISIONS_NAMED ? ` and ${others.length - COLLISIONS_NAMED} more with other suffixes` : '');
  const head = `${collision.sources.length} sources take the citation key @${collision.key}: ${first.path} keeps it${first.given ? ' (its front matter gives it)' : ''}, ${rest}.`;
  const example = `citation-key: ${others[0].key}`;
  if (others.every((o) => o.given)) return `${head} Give each of them a different key in its front matter (${example}).`;
  return `${head} Which source keeps a key its front matter does not give goes by file path, so a source added or renamed later can take it and move the citations of one article to another: give each source its key in its front matter (${example}).`;
}

/** Parses `files` and builds an index over them. */
export function buildIndex(files: SourceFile[], registry?: ActorRegistry, cache?: SourceCache): LoadResult & { index: ClaimIndex } {
  return withIndex(parseSources(files, registry, cache), registry);
}

/** The result with an index over its sources. */
export function withIndex(result: LoadResult, registry?: ActorRegistry): LoadResult & { index: ClaimIndex } {
  const index = new ClaimIndex(registry);
  index.upsertMany(result.sources);
  return { ...result, index };
}
