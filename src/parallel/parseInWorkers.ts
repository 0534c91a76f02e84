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
import { TRANSPORT_CONTEXT, type ParseRequest, type WorkerMessage, type WorkerSetup } from './protocol';

/** Below this many bytes to parse, starting workers (tens of milliseconds each) costs more than it saves. */
export const MIN_PARALLEL_BYTES = 2 * 1024 * 1024;
/**
 * Workers by default: one per core beyond two, at most three; none on one or two cores. On two
 * cores the garbage collector's helper threads already keep the second core partly busy while one
 * thread parses, and two parsing threads slow each other (allocation-heavy code), while a worker
 * costs its start and the writing and reading of what it sends back (some 45-60% more CPU time in
 * all). At 100k claims, in six bench runs side by side on a quiet two-core machine, one worker
 * took 1.37, 1.38, 1.37, 1.85, 1.41 and 1.47 s and none 1.35, 1.33, 1.30, 1.57, 1.34 and 1.38 s:
 * no faster, for about 60% more CPU time. (Earlier sessions, on a machine twice as slow, saw the
 * worker ahead: 2.86-3.49 s against 3.16-4.09 s.) `policyCite.parseWorkers` asks for workers on
 * any machine. Each worker has a heap of its own: at most three.
 */
function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores <= 2 ? 0 : Math.min(cores - 2, 3);
}
/**
 * The bytes of a worker's chunk: this share of what is left to parse, over the threads parsing
 * (each worker holds two chunks: the one it parses, the next one), so that the last chunks are
 * small and the threads finish at about the same time; but not less than MIN_CHUNK_BYTES (a
 * chunk costs two messages and a cache of its own), or a sixteenth of a thread's share of all
 * the bytes when that is less.
 */
const CHUNK_SHARE = 1 / 4;
const MIN_CHUNK_BYTES = 64 * 1024;
/** Milliseconds this thread parses between turns of the event loop (other events, workers' chunks). */
const TURN_MS = 8;
/**
 * A source this large is parsed on a worker thread where the caller asks for it (`offThreadBytes`;
 * the extension does): this thread parses a file whole between turns of the event loop, and
 * 1.26 MB of generated text took it 0.36 s on a quiet machine (bench: index.large), a 6 MB text
 * of 200,000 short sentences 5 s.
 */
export const LARGE_SOURCE_BYTES = 1024 * 1024;

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
  /**
   * Files of at least this many bytes are parsed on worker threads, never here unless no worker
   * could parse them (one worker starts for them where none would otherwise; `workers: 0` parses
   * them here too). Unset: files go to whichever thread asks next.
   */
  offThreadBytes?: number;
}

/**
 * Decodes and parses `files` (what parseSourceFile does for each); the results come in the order
 * of `files`. When there is enough to parse, worker threads parse besides this one: the files,
 * largest first, are handed out as they go, a file at a time to this thread and in chunks to the
 * workers (smaller as fewer are left), so that each thread takes what it has time for, however
 * busy the machine's cores are. Sources parsed on a worker come back deferred: indexed from their
 * index terms, their claims parsed from JSON on first use.
 */
export async function parseInWorkers(files: SourceFile[], options: ParseOptions = {}): Promise<(Source | SkippedFile)[]> {
  const workers = workersFor(files, options);
  if (workers === 0) return parseHere(files, options, (n) => options.onProgress?.(n, files.length));
  // The files for workers only (offThreadBytes), and the others for any thread; a worker started
  // only for the large files parses nothing else.
  const large = offThreadFiles(files, options);
  const isLarge = new Set(large);
  const onlyLarge = workersFor(files, { ...options, offThreadBytes: undefined }) === 0;
  const largeQueue = new WorkQueue(files, workers, large);
  const queue = new WorkQueue(files, onlyLarge ? 1 : workers + 1, files.map((_, i) => i).filter((i) => !isLarge.has(i)));
  const forWorkers: ChunkSource = {
    chunk: () => {
      const chunk = largeQueue.chunk();
      return chunk.length || onlyLarge ? chunk : queue.chunk();
    },
  };
  const results = new Array<Source | SkippedFile>(files.length);
  const done = new Array<number>(1 + workers).fill(0);
  const progress = (g: number) => (n: number): void => {
    // (A worker's count never goes down: after a failure, the files it held count again as they
    // are parsed here.)
    done[g] = Math.max(done[g], n);
    options.onProgress?.(done.reduce((a, b) => a + b, 0), files.length);
  };
  // This thread's parser, also for the files of a worker that fails.
  const parse = parserHere(options);
  const running = Array.from({ length: workers }, (_, g) => runWorker(files, forWorkers, results, parse, options, progress(g + 1)));
  // Settled before this thread parses, so that a failure here leaves no unhandled rejection.
  const settled = Promise.allSettled(running);
  let parsedHere = 0;
  const hereProgress = (before: number) => (n: number) => progress(0)((parsedHere = before + n));
  await parseInTurns(files, () => queue.next(), parse, results, options, hereProgress(0));
  for (const outcome of await settled) if (outcome.status === 'rejected') throw outcome.reason;
  // Large files that no worker took (none could start, or every one failed): parsed here after all.
  await parseInTurns(files, () => largeQueue.next(), parse, results, options, hereProgress(parsedHere));
  return results;
}

/** The indices of the files parsed on worker threads only (ParseOptions.offThreadBytes). */
function offThreadFiles(files: SourceFile[], options: Pick<ParseOptions, 'workers' | 'offThreadBytes'>): number[] {
  const least = options.offThreadBytes;
  if (least === undefined || options.workers === 0) return [];
  const out: number[] = [];
  files.forEach((f, i) => f.bytes.length >= least && out.push(i));
  return out;
}

/** Where a worker takes its chunks from. */
interface ChunkSource {
  /** The next chunk for a worker (at least one file); empty when all are handed out. */
  chunk(): number[];
}

/**
 * The files not yet handed out (those of `indices`), largest first (the last ones handed out are
 * the smallest): one at a time to this thread, in chunks to workers.
 */
class WorkQueue implements ChunkSource {
  private readonly order: number[];
  private at = 0;
  private left: number;
  private readonly minChunk: number;

  constructor(
    private readonly files: SourceFile[],
    private readonly threads: number,
    indices: number[],
  ) {
    this.order = indices.sort((a, b) => files[b].bytes.length - files[a].bytes.length || a - b);
    this.left = indices.reduce((n, i) => n + files[i].bytes.length, 0);
    this.minChunk = Math.min(MIN_CHUNK_BYTES, this.left / (16 * threads));
  }

  /** The next file for this thread; undefined when all are handed out. */
  next(): number | undefined {
    if (this.at === this.order.length) return undefined;
    const i = this.order[this.at++];
    this.left -= this.files[i].bytes.length;
    return i;
  }

  /** The next chunk for a worker (at least one file); empty when all are handed out. */
  chunk(): number[] {
    const want = Math.max(this.minChunk, (this.left * CHUNK_SHARE) / this.threads);
    const out: number[] = [];
    let bytes = 0;
    while (this.at < this.order.length && (out.length === 0 || bytes < want)) {
      const i = this.order[this.at++];
      out.push(i);
      bytes += this.files[i].bytes.length;
    }
    this.left -= bytes;
    return out;
  }
}

/** How many worker threads parseInWorkers starts for `files` (0: it parses them all on this thread). */
export function workersFor(files: SourceFile[], options: Pick<ParseOptions, 'workers' | 'minBytes' | 'offThreadBytes'> = {}): number {
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  const workers = Math.min(options.workers ?? defaultWorkers(), files.length - 1);
  if (workers >= 1 && bytes >= (options.minBytes ?? MIN_PARALLEL_BYTES)) return workers;
  // One for the files that are not parsed here (offThreadBytes), on any machine.
  return offThreadFiles(files, options).length > 0 ? 1 : 0;
}

/** Parses on this thread, a few files at a time between other events, so that the thread stays responsive. */
async function parseHere(files: SourceFile[], options: ParseOptions, progress: (done: number) => void): Promise<(Source | SkippedFile)[]> {
  const results = new Array<Source | SkippedFile>(files.length);
  let at = 0;
  await parseInTurns(files, () => (at < files.length ? at++ : undefined), parserHere(options), results, options, progress);
  return results;
}

/** parseSourceFile on this thread, with one registry and one set of term tables for all the files it parses. */
function parserHere(options: ParseOptions): (file: SourceFile) => Source | SkippedFile {
  const registry = registryWith(options.actorLayers ?? []);
  const tables = new PreparedTables();
  return (file) => parseSourceFile(file, registry, undefined, tables);
}

/**
 * Parses into `results` the files `next` gives (by index) until it gives none, giving the event
 * loop a turn every TURN_MS; `progress` is told how many it parsed.
 */
async function parseInTurns(
  files: SourceFile[],
  next: () => number | undefined,
  parse: (file: SourceFile) => Source | SkippedFile,
  results: (Source | SkippedFile)[],
  options: ParseOptions,
  progress: (done: number) => void,
): Promise<void> {
  let parsed = 0;
  let turn = performance.now();
  for (let i = next(); i !== undefined; i = next()) {
    options.signal?.throwIfAborted();
    results[i] = parse(files[i]);
    progress(++parsed);
    if (performance.now() - turn >= TURN_MS) {
      await new Promise((r) => setImmediate(r));
      turn = performance.now();
    }
  }
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

/** A listener that holds nothing: a worker's errors after it was settled. */
function ignore(): void {}

/** The worker script beside this module: the bundle's dist/parseWorker.js, or the TypeScript source under tsx. */
export function workerScript(file?: string): { file: string; execArgv: string[] } {
  if (file) return { file, execArgv: [] };
  // Not this process's flags: some (--expose-gc, the extension host's) are refused for workers.
  if (__filename.endsWith('.ts')) return { file: path.join(__dirname, 'parseWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  return { file: path.join(__dirname, 'parseWorker.js'), execArgv: [] };
}

/**
 * Runs one worker, which parses chunks of the queue's files into `results` until none are left;
 * it always holds the chunk it parses and the next one, so it never waits for this thread. A
 * worker that cannot start or fails leaves the chunks it held to this thread's `parse`
 * (`onWorkerError` says why), and the files not yet handed out to the other threads.
 */
function runWorker(
  files: SourceFile[],
  queue: ChunkSource,
  results: (Source | SkippedFile)[],
  parse: (file: SourceFile) => Source | SkippedFile,
  options: ParseOptions,
  progress: (done: number) => void,
): Promise<void> {
  /** The chunks sent and not yet back, oldest first. */
  const held: number[][] = [];
  /** Files of the chunks back. */
  let back = 0;
  const inline = (reason: string): void => {
    options.onWorkerError?.(reason);
    for (const chunk of held.splice(0)) {
      for (const i of chunk) results[i] = parse(files[i]);
      progress((back += chunk.length));
    }
  };

  return new Promise((resolve, reject) => {
    const signal = options.signal;
    if (signal?.aborted) return reject(signal.reason);
    let worker: Worker;
    try {
      const script = workerScript(options.script);
      const setup: WorkerSetup = { actorLayers: options.actorLayers ?? [] };
      worker = new Worker(script.file, { execArgv: script.execArgv, workerData: setup });
    } catch (e) {
      options.onWorkerError?.(`could not start a worker: ${(e as Error).message}`);
      return resolve();
    }
    let settled = false;
    const finish = (failure?: string | Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      // The worker object lives on until its exit is handled, and its listeners would keep the
      // caller's options and the results (every source parsed) alive with it.
      worker.removeAllListeners();
      worker.on('error', ignore);
      void worker.terminate();
      if (failure instanceof Error) return reject(failure);
      try {
        if (failure !== undefined) inline(failure);
        resolve();
      } catch (e) {
        reject(e as Error);
      }
    };
    const send = (): void => {
      const chunk = queue.chunk();
      if (chunk.length === 0) return;
      // The chunk's bytes in one buffer, handed over without a copy.
      const ends: number[] = [];
      let size = 0;
      for (const i of chunk) ends.push((size += files[i].bytes.length));
      const bytes = new Uint8Array(size);
      chunk.forEach((i, k) => bytes.set(files[i].bytes, k ? ends[k - 1] : 0));
      const request: ParseRequest = { paths: chunk.map((i) => files[i].path), ends, bytes };
      held.push(chunk);
      worker.postMessage(request, [bytes.buffer]);
    };
    const abort = (): void => finish(signal?.reason ?? new Error('aborted'));
    signal?.addEventListener('abort', abort);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') progress(message.done);
      else if (message.type === 'error') finish(`a worker failed: ${message.message}`);
      else {
        const chunk = held[0];
        if (!chunk || !place(files, chunk, message.cache, message.skipped, results)) return finish('a worker sent back other files than it was given');
        held.shift();
        progress((back += chunk.length));
        send();
        if (held.length === 0) finish();
      }
    });
    worker.on('error', (e) => finish(`a worker failed: ${e.message}`));
    worker.on('exit', (code) => finish(`a worker stopped (exit code ${code})`));
    send();
    send();
    if (held.length === 0) finish();
  });
}

/**
 * Puts a chunk's sources (read from the worker's cache bytes) and skipped files into `results`;
 * false, leaving `results` as they were, when they are not the chunk's files.
 */
function place(files: SourceFile[], chunk: number[], bytes: Uint8Array, skipped: SkippedFile[], results: (Source | SkippedFile)[]): boolean {
  const cache = SourceCache.parse(bytes, TRANSPORT_CONTEXT);
  const byPath = new Map<string, Source | SkippedFile>(skipped.map((s) => [s.path, s]));
  for (const source of cache.all()) byPath.set(source.path, source);
  const chunkResults = chunk.map((i) => byPath.get(files[i].path));
  if (chunkResults.some((r) => r === undefined)) return false;
  chunk.forEach((i, k) => (results[i] = chunkResults[k] as Source | SkippedFile));
  return true;
}
