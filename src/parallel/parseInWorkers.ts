// Parsing sources on worker threads. Parsing is most of a cold start (every source parsed anew),
// and it is the same work for each file, so where the machine has cores to spare it is shared
// between this thread (the extension host, the CLI) and workers, and this thread indexes what
// they send back. Results are those of parsing on this thread alone
// (test/unit/parallel.test.ts): parseSource depends on a file's bytes and the actors alone.
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClaimIndex } from '../core/claimIndex';
import { cachedSource, isSkipped, loadResult, parseSourceFile, withIndex, type LoadResult, type SkippedFile, type SourceFile } from '../core/loader';
import { registryWith } from '../core/registry';
import { PreparedTables } from '../core/deferredSource';
import { SourceCache } from '../core/sourceCache';
import type { ActorDefinition, Source } from '../core/types';
import { TRANSPORT_CONTEXT, type ParseRequest, type WorkerMessage } from './protocol';

/** Below this many bytes to parse, starting workers (tens of milliseconds each) costs more than it saves. */
export const MIN_PARALLEL_BYTES = 2 * 1024 * 1024;
/**
 * Workers by default: one per core beyond two, at most three, and one on two cores. On two cores
 * the garbage collector's helper threads already keep the second core partly busy while one
 * thread parses, and a worker costs its start and the writing and reading of what it sends back
 * (some 45% more CPU time in all), yet it still shortened every cold start measured at 100k
 * claims: 2.86-3.49 s against 3.16-4.09 s without (six bench runs; two sessions earlier the
 * two were even, 2.7 s). Each worker has a heap of its own: at most three.
 */
function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.max(1, Math.min(cores - 2, 3));
}
/**
 * Bytes this thread parses for each byte a worker parses: a worker also writes its sources out
 * (index terms, JSON), and this thread reads them back, but this thread's heap holds the sources
 * of both. With one worker at 100k claims (five cold starts each, two cores): 1.5 left this
 * thread parsing about 0.5 s after the worker was done (2.9-3.2 s in all), 1.0 left the worker
 * about 0.4 s behind (2.5-2.8 s), 1.2 took 2.4-3.0 s.
 */
const THIS_THREAD_WEIGHT = 1.2;
/** Files parsed on this thread between yields to the event loop. */
const INLINE_CHUNK = 8;

export interface ParseOptions {
  /** The user's actors files, each extending the gazetteer in turn: `registry` is built so. */
  actorLayers?: ActorDefinition[][];
  /** Worker threads besides this one (default: defaultWorkers()); 0: this thread only. */
  workers?: number;
  /** Parse on this thread below this many bytes (default MIN_PARALLEL_BYTES). */
  minBytes?: number;
  /** Files parsed so far, of all. */
  onProgress?: (done: number, total: number) => void;
  /** Stops the workers; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /** Told when a worker failed and its files were parsed on this thread instead. */
  onWorkerError?: (message: string) => void;
  /** The worker script, when not the one beside this module (tests). */
  script?: string;
}

/**
 * Decodes and parses `files` (what parseSourceFile does for each); the results come in the order
 * of `files`. When there is enough to parse, worker threads take a share each while this thread
 * parses its own share (it has no results to send back, so it takes more: THIS_THREAD_WEIGHT).
 * Sources parsed on a worker come back deferred: indexed from their index terms, their claims
 * parsed from JSON on first use.
 */
export async function parseInWorkers(files: SourceFile[], options: ParseOptions = {}): Promise<(Source | SkippedFile)[]> {
  const workers = workersFor(files, options);
  if (workers === 0) return parseHere(files, options, (n) => options.onProgress?.(n, files.length));
  const [own, ...shares] = balance(files, [THIS_THREAD_WEIGHT, ...new Array<number>(workers).fill(1)]);
  const done = new Array<number>(1 + shares.length).fill(0);
  const progress = (g: number) => (n: number): void => {
    done[g] = n;
    options.onProgress?.(done.reduce((a, b) => a + b, 0), files.length);
  };
  const running = shares.map((share, g) => runWorker(share.map((i) => files[i]), options, progress(g + 1)));
  // Settled before awaiting this thread's share, so that a failure there leaves no unhandled rejection.
  const settled = Promise.allSettled(running);
  const here = await parseHere(own.map((i) => files[i]), options, progress(0));
  const results = new Array<Source | SkippedFile>(files.length);
  own.forEach((i, k) => (results[i] = here[k]));
  for (const [g, outcome] of (await settled).entries()) {
    if (outcome.status === 'rejected') throw outcome.reason;
    shares[g].forEach((i, k) => (results[i] = outcome.value[k]));
  }
  return results;
}

/** How many worker threads parseInWorkers starts for `files` (0: it parses them all on this thread). */
export function workersFor(files: SourceFile[], options: Pick<ParseOptions, 'workers' | 'minBytes'> = {}): number {
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  const workers = Math.min(options.workers ?? defaultWorkers(), files.length - 1);
  return workers >= 1 && bytes >= (options.minBytes ?? MIN_PARALLEL_BYTES) ? workers : 0;
}

/** Parses on this thread, a few files at a time between other events, so that the thread stays responsive. */
async function parseHere(files: SourceFile[], options: ParseOptions, progress: (done: number) => void): Promise<(Source | SkippedFile)[]> {
  const registry = registryWith(options.actorLayers ?? []);
  const tables = new PreparedTables();
  const results: (Source | SkippedFile)[] = [];
  for (const file of files) {
    if (results.length % INLINE_CHUNK === 0 && results.length) await new Promise((r) => setImmediate(r));
    options.signal?.throwIfAborted();
    results.push(parseSourceFile(file, registry, undefined, tables));
    progress(results.length);
  }
  return results;
}

/**
 * parseInWorkers for the files `cache` does not hold (the cache then holds their parses), the
 * others as the cache has them; the results in the order of `files`. `parsed` and `workers`: how
 * many files were parsed, on how many workers besides this thread.
 */
export async function parseWithCache(
  files: SourceFile[],
  options: ParseOptions & { cache?: SourceCache } = {},
): Promise<{ results: (Source | SkippedFile)[]; parsed: number; workers: number }> {
  const { cache } = options;
  const results = new Array<Source | SkippedFile>(files.length);
  const misses: number[] = [];
  files.forEach((file, i) => {
    const cached = cache && cachedSource(file, cache);
    if (cached) results[i] = cached;
    else misses.push(i);
  });
  const toParse = misses.map((i) => files[i]);
  const workers = workersFor(toParse, options);
  const parsed = await parseInWorkers(toParse, options);
  misses.forEach((i, k) => {
    const result = (results[i] = parsed[k]);
    if (!isSkipped(result)) cache?.set(result);
  });
  return { results, parsed: toParse.length, workers };
}

/**
 * buildIndex (src/core/loader.ts) with the parsing on worker threads: the same sources, keys,
 * skipped files and index. `cache`: as for buildIndex; the files it holds are not parsed.
 */
export async function buildIndexInWorkers(files: SourceFile[], options: ParseOptions & { cache?: SourceCache } = {}): Promise<LoadResult & { index: ClaimIndex }> {
  const { results } = await parseWithCache(files, options);
  return withIndex(loadResult(results), registryWith(options.actorLayers ?? []));
}

/**
 * Splits the files into groups whose bytes are about in proportion to `weights` (largest file
 * first, each to the group furthest below its share), each group in the order of `files`.
 */
function balance(files: SourceFile[], weights: number[]): number[][] {
  const order = files.map((_, i) => i).sort((a, b) => files[b].bytes.length - files[a].bytes.length || a - b);
  const groups = weights.map((weight) => ({ weight, bytes: 0, files: [] as number[] }));
  for (const i of order) {
    let lightest = groups[0];
    for (const g of groups) if (g.bytes / g.weight < lightest.bytes / lightest.weight) lightest = g;
    lightest.files.push(i);
    lightest.bytes += files[i].bytes.length;
  }
  return groups.map((g) => g.files.sort((a, b) => a - b));
}

/** A listener that holds nothing: a worker's errors after it was settled. */
function ignore(): void {}

/** The worker script beside this module: the bundle's dist/parseWorker.js, or the TypeScript source under tsx. */
function workerScript(file?: string): { file: string; execArgv: string[] } {
  if (file) return { file, execArgv: [] };
  // Not this process's flags: some (--expose-gc, the extension host's) are refused for workers.
  if (__filename.endsWith('.ts')) return { file: path.join(__dirname, 'parseWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  return { file: path.join(__dirname, 'parseWorker.js'), execArgv: [] };
}

/**
 * Parses `files` on one worker; the results in the order of `files`. A worker that cannot start
 * or fails leaves its files to this thread (`onWorkerError` says why).
 */
function runWorker(files: SourceFile[], options: ParseOptions, progress: (done: number) => void): Promise<(Source | SkippedFile)[]> {
  const actorLayers = options.actorLayers ?? [];
  const inline = (reason: string): (Source | SkippedFile)[] => {
    options.onWorkerError?.(reason);
    const registry = registryWith(actorLayers);
    const tables = new PreparedTables();
    return files.map((file) => parseSourceFile(file, registry, undefined, tables));
  };
  // One buffer for all the files' bytes, handed over without a copy.
  const ends: number[] = [];
  let size = 0;
  for (const f of files) ends.push((size += f.bytes.length));
  const bytes = new Uint8Array(size);
  files.forEach((f, i) => bytes.set(f.bytes, i ? ends[i - 1] : 0));
  const request: ParseRequest = { paths: files.map((f) => f.path), ends, bytes, actorLayers };

  return new Promise((resolve, reject) => {
    const signal = options.signal;
    if (signal?.aborted) return reject(signal.reason);
    let worker: Worker;
    try {
      const script = workerScript(options.script);
      worker = new Worker(script.file, { execArgv: script.execArgv });
    } catch (e) {
      return resolve(inline(`could not start a worker: ${(e as Error).message}`));
    }
    let settled = false;
    const finish = (result: () => (Source | SkippedFile)[] | Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      // The worker object lives on until its exit is handled, and its listeners would keep the
      // caller's options and this promise's results (every source of the share) alive with it.
      worker.removeAllListeners();
      worker.on('error', ignore);
      void worker.terminate();
      try {
        const value = result();
        if (value instanceof Error) reject(value);
        else resolve(value);
      } catch (e) {
        reject(e as Error);
      }
    };
    const abort = (): void => finish(() => signal?.reason ?? new Error('aborted'));
    signal?.addEventListener('abort', abort);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') progress(message.done);
      else if (message.type === 'error') finish(() => inline(`a worker failed: ${message.message}`));
      else {
        progress(files.length);
        finish(() => collect(files, message.cache, message.skipped, inline));
      }
    });
    worker.on('error', (e) => finish(() => inline(`a worker failed: ${e.message}`)));
    worker.on('exit', (code) => finish(() => inline(`a worker stopped (exit code ${code})`)));
    worker.postMessage(request, [bytes.buffer]);
  });
}

/** The worker's sources (read from its cache bytes) and skipped files, in the order of `files`. */
function collect(files: SourceFile[], bytes: Uint8Array, skipped: SkippedFile[], inline: (reason: string) => (Source | SkippedFile)[]): (Source | SkippedFile)[] {
  const cache = SourceCache.parse(bytes, TRANSPORT_CONTEXT);
  const byPath = new Map<string, Source | SkippedFile>(skipped.map((s) => [s.path, s]));
  for (const source of cache.all()) byPath.set(source.path, source);
  const results = files.map((f) => byPath.get(f.path));
  if (results.some((r) => r === undefined)) return inline('a worker sent back fewer files than it was given');
  return results as (Source | SkippedFile)[];
}
