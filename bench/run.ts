// The benchmark of issue 6: every figure side by side with its baseline in the same process, over a
// generated corpus (bench/generate.ts). Prints a table and writes bench/results.json.
//
//   npm run bench                         all sizes (1k, 10k, 100k claims)
//   npm run bench -- --sizes 1k,10k       some sizes
//   npm run bench -- --quick              smallest size, few runs (what CI runs)
//   npm run bench -- --runs 5             runs per timed figure (default: as many as a time budget allows, 3–7)
//   npm run bench -- --out FILE           write the results elsewhere (default bench/results.json)
//
// Timed figures stop sampling when their time budget is spent (at least one sample, at most the
// run count), so a slow engine still finishes; "samples" in the results says how many there were.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';

import { buildSync } from 'esbuild';
import Fuse from 'fuse.js';
import { parseDocument as parseYamlDocument, stringify as stringifyYaml } from 'yaml';

import { bibliographyEntries } from '../src/core/bibliographyKeys';
import { checkDraft, checkDraftInSlices, checkPrefixInSight, SentenceCache } from '../src/core/check/checkDraft';
import { parseDraftWhole } from '../src/core/draft';
import { draftChunkStarts, IncrementalDraftParser } from '../src/core/incrementalDraft';
import { SourceCache } from '../src/core/sourceCache';
import { FUSE_OPTIONS, SEARCH_ALL_BELOW, type ClaimIndex, type ScoredClaim } from '../src/core/claimIndex';
import type { Draft } from '../src/core/draftTypes';
import { actorHoverMarkdown, rankActorClaims } from '../src/core/hoverContent';
import { buildIndex, isSkipped, parseSourceFile } from '../src/core/loader';
import { buildIndexInWorkers, LARGE_SOURCE_BYTES, MIN_PARALLEL_BYTES, parseInWorkers, workersFor } from '../src/parallel/parseInWorkers';
import { rekeySource } from '../src/core/source';
import type { Claim, Finding } from '../src/core/types';
import { buildProductionBundle, distFiles, probeActivation, type ActivationProbe } from '../scripts/bundleProbe';
import { editOneParagraph, generateCorpus, generateLibrary, generateMemo, libraryAsBibtex, libraryFromSources, parseSize, withFootnotes, withLinks, type GeneratedSource } from './generate';

// ---------------------------------------------------------------------------------------------
// Results

interface BaselineFigure {
  name: string;
  median: number;
  p95: number;
}

export interface Figure {
  name: string;
  size: string;
  median: number | null;
  p95: number | null;
  unit: string;
  baseline: BaselineFigure | null;
  /** Baseline median / our median: how many times faster we are (for throughput: ours / baseline). */
  ratio: number | null;
  p99?: number;
  /** How many timed samples the figure is made of. */
  samples?: number;
  note?: string;
}

interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryMB: number;
  node: string;
  platform: string;
  arch: string;
  /** How the engine ran: bundled by scripts/bench.mjs (as it ships) or as TypeScript under tsx. */
  build: string;
}

interface Results {
  /** `loadAverage`: the 1-minute load average at the start and at the end of the run. */
  machine: MachineInfo & { date: string; args: string[]; wallSeconds: number; loadAverage: [number, number] };
  figures: Figure[];
}

// ---------------------------------------------------------------------------------------------
// Measuring

const gc = (globalThis as { gc?: () => void }).gc;

function collect(): void {
  if (gc) {
    gc();
    gc();
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

interface Stats {
  median: number;
  p95: number;
  p99: number;
  samples: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), samples: sorted.length };
}

interface Budget {
  minRuns: number;
  maxRuns: number;
  /** Stop starting new runs after this much time was spent (ms). */
  budgetMs: number;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** CPU milliseconds (user + system, all threads of the process, GC helpers included) spent in `fn`. */
function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** On a shared machine wall time swings with the load; CPU time much less, so notes give both. */
function cpuNote(values: number[]): string {
  return values.length ? `; CPU time median ${stats(values).median.toFixed(0)} ms` : '';
}

/** sampleSideBySide for variants that finish later (worker threads). */
async function sampleSideBySideAsync(variants: (() => Promise<number>)[], budget: Budget, beforeEach?: () => void): Promise<number[][]> {
  const out = variants.map((): number[] => []);
  const start = performance.now();
  for (let run = 0; run < budget.maxRuns; run++) {
    if (run >= budget.minRuns && performance.now() - start > budget.budgetMs) break;
    for (const [i, v] of variants.entries()) {
      beforeEach?.();
      out[i].push(await v());
    }
  }
  return out;
}

/**
 * The parse worker bundled as the build bundles it (src/parallel/parseWorker.ts run through tsx
 * would spend some 300 ms compiling TypeScript at each start), with the engine id of this process
 * ("source"), so that the sources it sends back are taken.
 */
function parseWorkerBundle(): string {
  const out = join(tmpdir(), `policy-cite-bench-parseWorker-${process.pid}.js`);
  buildSync({ entryPoints: [join(__dirname, '../src/parallel/parseWorker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: out, logLevel: 'warning' });
  process.on('exit', () => rmSync(out, { force: true }));
  return out;
}

/**
 * Runs the variants of one figure in turns (ours, then the baseline, then ours …) so that both see
 * the same machine state; each call returns the elapsed milliseconds of one sample. With one
 * variant it is a budgeted loop.
 */
function sampleSideBySide(variants: (() => number)[], budget: Budget, beforeEach?: () => void): number[][] {
  const out = variants.map((): number[] => []);
  const start = performance.now();
  for (let run = 0; run < budget.maxRuns; run++) {
    if (run >= budget.minRuns && performance.now() - start > budget.budgetMs) break;
    variants.forEach((v, i) => {
      beforeEach?.();
      out[i].push(v());
    });
  }
  return out;
}

const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

function figure(name: string, size: string, unit: string, ours: Stats | null, baseline?: { name: string; stats: Stats }, extra: Partial<Figure> = {}): Figure {
  const f: Figure = {
    name,
    size,
    median: ours ? round(ours.median) : null,
    p95: ours ? round(ours.p95) : null,
    unit,
    baseline: baseline ? { name: baseline.name, median: round(baseline.stats.median), p95: round(baseline.stats.p95) } : null,
    ratio: ours && baseline && ours.median > 0 ? round(baseline.stats.median / ours.median) : null,
  };
  if (ours) f.samples = ours.samples;
  return { ...f, ...extra };
}

function log(message: string): void {
  const t = ((performance.now() - T0) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${t}s] ${message}\n`);
}

const T0 = performance.now();
const LOAD_AT_START = loadavg()[0];

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  sizes: string[];
  runs?: number;
  quick: boolean;
  out: string;
  seed: number;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`${name}=`));
    return eq?.slice(name.length + 1);
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm run bench -- [--sizes 1k,10k,100k] [--runs N] [--quick] [--seed N] [--out bench/results.json]');
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const sizes = (value('--sizes') ?? (quick ? '1k' : '1k,10k,100k')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of sizes) parseSize(s);
  const runs = value('--runs');
  return {
    sizes,
    runs: runs ? Math.max(1, Number(runs)) : quick ? 2 : undefined,
    quick,
    out: resolve(value('--out') ?? join(__dirname, 'results.json')),
    seed: Number(value('--seed') ?? '1'),
  };
}

/** Per-size sampling plan: the 100k runs dominate the wall time, so they get few samples. */
interface Plan {
  cold: Budget;
  update: Budget;
  afterUpdate: Budget;
  /** Keystrokes timed for ours (prefixes of the queries, thinned out evenly). */
  keystrokes: number;
  /** Of those, how many plain fuse.js also runs (and overlap is measured on), within the budget. */
  baselineKeystrokes: number;
  keystrokeBudgetMs: number;
  hover: Budget;
  memoLines: number;
  check: Budget;
  edit: Budget;
}

function planFor(claims: number, options: Options): Plan {
  // `--runs` fixes the number of runs of the whole-operation figures; per-event figures (hover,
  // keystrokes, updates) always take many samples, fewer with --quick.
  const runs = options.runs;
  const whole = (minRuns: number, maxRuns: number, budgetMs: number): Budget =>
    runs ? { minRuns: runs, maxRuns: runs, budgetMs: Infinity } : { minRuns, maxRuns, budgetMs };
  const events = (minRuns: number, maxRuns: number, budgetMs: number): Budget =>
    options.quick ? { minRuns: Math.min(minRuns, 10), maxRuns: Math.min(maxRuns, 30), budgetMs: Math.min(budgetMs, 2_000) } : { minRuns, maxRuns, budgetMs };
  if (claims <= 2_000) {
    return {
      cold: whole(3, 7, 15_000),
      update: events(10, 40, 5_000),
      afterUpdate: whole(3, 10, 5_000),
      keystrokes: options.quick ? 40 : 240,
      baselineKeystrokes: options.quick ? 40 : 240,
      keystrokeBudgetMs: 30_000,
      hover: events(50, 300, 5_000),
      memoLines: 1_000,
      check: whole(3, 7, 15_000),
      edit: events(10, 40, 10_000),
    };
  }
  if (claims <= 20_000) {
    return {
      cold: whole(1, 5, 10_000),
      update: events(10, 40, 5_000),
      afterUpdate: whole(2, 5, 5_000),
      keystrokes: options.quick ? 40 : 240,
      baselineKeystrokes: options.quick ? 20 : 60,
      keystrokeBudgetMs: 40_000,
      hover: events(50, 300, 8_000),
      memoLines: 10_000,
      check: whole(1, 5, 20_000),
      edit: events(10, 40, 15_000),
    };
  }
  return {
    // At least three runs: the first one in the process is often the slowest by far.
    cold: whole(3, 7, 60_000),
    update: events(10, 30, 8_000),
    afterUpdate: whole(1, 3, 8_000),
    keystrokes: options.quick ? 40 : 240,
    baselineKeystrokes: options.quick ? 6 : 30,
    keystrokeBudgetMs: 90_000,
    hover: events(30, 300, 10_000),
    // The check goal is stated at 10k claims; at 100k it would only add minutes.
    memoLines: 0,
    check: whole(1, 3, 20_000),
    edit: whole(1, 5, 10_000),
  };
}

// ---------------------------------------------------------------------------------------------
// Engine pieces that may not exist yet

type ParseDraft = (text: string) => Draft;

/** parseDraft is loaded lazily: the bench still runs (without the check figures) while it is missing. */
function loadParseDraft(): { parseDraft?: ParseDraft; error?: string } {
  try {
    const mod = require('../src/core/draft') as { parseDraft?: unknown };
    if (typeof mod.parseDraft === 'function') return { parseDraft: mod.parseDraft as ParseDraft };
    return { error: 'src/core/draft.ts does not export parseDraft' };
  } catch (e) {
    return { error: `src/core/draft.ts could not be loaded: ${(e as Error).message.split('\n')[0]}` };
  }
}

interface MarkdownlintSync {
  lint(options: { strings: Record<string, string> }): Record<string, unknown[]>;
}

async function loadMarkdownlint(): Promise<MarkdownlintSync | string> {
  // markdownlint ≥ 0.38 is ESM only; the specifier is a variable so that TypeScript (CommonJS
  // resolution) does not try to resolve its "exports" map.
  const specifier = 'markdownlint/sync';
  try {
    const mod = (await import(specifier)) as Partial<MarkdownlintSync>;
    if (typeof mod.lint !== 'function') return 'markdownlint/sync has no lint()';
    const lint = mod.lint;
    return { lint: (o) => lint(o) };
  } catch (e) {
    return `markdownlint could not be loaded: ${(e as Error).message}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Figures per corpus size

const encoder = new TextEncoder();

/** Queries a person types into the insert-citation picker: actors, topics, figures, keys. */
function keystrokeQueries(index: ClaimIndex): string[] {
  const keys = index.keys();
  const pickKey = (i: number): string => keys[Math.floor((i * keys.length) / 4)] ?? 'smith2010';
  return [
    'Uzbekistan',
    'Karimov air base',
    'Russia troops',
    'gas pipeline',
    'refugees crossed',
    'NATO',
    'defense budget',
    'Kazakhstan 2014',
    'Putin',
    'military aid',
    'withdrew from CSTO',
    'expelled diplomats',
    '230 million',
    'Tashkent',
    'border security',
    'inflation',
    'European Union sanctions',
    pickKey(1),
    pickKey(2),
    'Xi Jinping',
  ];
}

/** Every prefix of every query, thinned out evenly to `max` keystrokes. */
function keystrokes(queries: string[], max: number): string[] {
  const all = queries.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1))).filter((p) => p.trim() !== '' && !p.endsWith(' '));
  if (all.length <= max) return all;
  const step = all.length / max;
  return Array.from({ length: max }, (_, i) => all[Math.floor(i * step + step / 2)]);
}

function overlapOf(ours: string[], theirs: string[]): number {
  if (ours.length === 0 && theirs.length === 0) return 1;
  const set = new Set(theirs);
  return ours.filter((id) => set.has(id)).length / Math.max(ours.length, theirs.length);
}

/** A copy of the source with one figure changed, as when an article is corrected. */
function editedSourceText(text: string, n: number): string {
  let done = false;
  const body = text.indexOf('\n---', 4);
  const head = text.slice(0, body + 4);
  const rest = text.slice(body + 4).replace(/\b(\d{2,3})(?= percent| troops| kilometers| million)/, (m) => {
    done = true;
    return String(Number(m) + 1 + (n % 7));
  });
  return done ? head + rest : `${head}${rest.replace(/\n\n/, ' The ministry later revised these figures.\n\n')}`;
}

interface SizeContext {
  label: string;
  claims: number;
  options: Options;
  figures: Figure[];
  parseDraft?: ParseDraft;
  parseDraftError?: string;
  markdownlint: MarkdownlintSync | string;
}

/** The command links of a hover, as the extension makes them. */
const HOVER_LINKS = {
  openClaim: (c: Claim): string => `command:policyCite.openClaim?${encodeURIComponent(JSON.stringify([c.id]))}`,
  insertCitation: (c: Claim): string => `command:policyCite.insertClaimCitation?${encodeURIComponent(JSON.stringify([c.id, 'file:///memo.md', 0]))}`,
};

/**
 * hover.first: a hover over the actor with the most claims on a fresh index.cold index, whose
 * claims are made when first read: the hover makes those of every source naming the actor.
 * Each run builds the index anew (untimed).
 */
async function firstHover(ctx: SizeContext, idx: ClaimIndex, files: { path: string; bytes: Uint8Array }[], script: string, runs: number): Promise<void> {
  const top = idx.actors()[0];
  if (!top) return;
  const actor = idx.registry.get(top.name);
  if (!actor) return;
  const first: number[] = [];
  const again: number[] = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    let fresh: ClaimIndex | undefined = (await buildIndexInWorkers(files, { script })).index;
    void fresh.registry; // (built on first use: hover.afterUpdate)
    const hover = (): void => {
      const ranked = rankActorClaims(fresh as ClaimIndex, actor.name, '', 3);
      actorHoverMarkdown(actor, ranked.claims, HOVER_LINKS, 3, ranked.total);
    };
    first.push(time(hover));
    again.push(time(hover));
    fresh = undefined;
    collect();
  }
  ctx.figures.push(
    figure('hover.first', ctx.label, 'ms', stats(first), undefined, {
      note: `the first hover over ${actor.name} (${top.claims.length} claims in ${new Set(top.claims.map((id) => id.slice(0, id.lastIndexOf(':')))).size} sources) after index.cold, which makes the claims of those sources; the next hover: median ${stats(again).median.toFixed(2)} ms`,
    }),
  );
  log(`${ctx.label}: hover.first ${stats(first).median.toFixed(0)} ms over ${actor.name}`);
}

async function benchSize(ctx: SizeContext): Promise<void> {
  const { label, options, figures } = ctx;
  const plan = planFor(ctx.claims, options);
  collect();
  const heapBefore = process.memoryUsage().heapUsed;

  // ---- corpus
  let t0 = performance.now();
  let corpus: GeneratedSource[] | undefined = generateCorpus({ claims: ctx.claims, seed: options.seed }).sources;
  let files: { path: string; bytes: Uint8Array }[] | undefined = corpus.map((s) => ({ path: s.path, bytes: encoder.encode(s.text) }));
  log(`${label}: generated ${corpus.length} sources in ${(performance.now() - t0).toFixed(0)} ms`);

  // ---- index.cold: what the extension and the CLI do (buildIndexInWorkers: on this machine's
  // default number of worker threads), the same with one worker asked for, and everything on this
  // thread (buildIndex), in turns
  let index: ClaimIndex | undefined;
  let coldFiles: { path: string; bytes: Uint8Array }[] = files;
  const script = parseWorkerBundle();
  const workerErrors = new Set<string>();
  const defaultWorkers = workersFor(coldFiles);
  // The other choice beside the default, when there is one: one worker where none starts by
  // default, none where some do (the same build, this thread alone).
  const other = defaultWorkers === 0 ? (workersFor(coldFiles, { workers: 1 }) === 1 ? 1 : undefined) : 0;
  const otherName = other === 1 ? 'index.cold.oneWorker' : 'index.cold.noWorker';
  const cpu = { cold: [] as number[], other: [] as number[], oneThread: [] as number[] };
  const readAllCold = { cold: [] as number[], other: [] as number[] };
  /** A run of buildIndexInWorkers; the time to read every claim afterwards (those sent back by workers are read from JSON) is kept apart. */
  const parallelRun = (workers: number | undefined, cpuTimes: number[], readTimes: number[]) => async (): Promise<number> => {
    const t = performance.now();
    const c0 = process.cpuUsage();
    const built = (await buildIndexInWorkers(coldFiles, { script, workers, onWorkerError: (m) => workerErrors.add(m) })).index;
    const c = process.cpuUsage(c0);
    const elapsed = performance.now() - t;
    cpuTimes.push((c.user + c.system) / 1000);
    readTimes.push(time(() => built.allSources().forEach((s) => s.claims.length)));
    return elapsed;
  };
  const [coldTimes, oneThreadTimes, otherTimes = []] = await sampleSideBySideAsync(
    [
      parallelRun(undefined, cpu.cold, readAllCold.cold),
      // The baseline makes every claim, as parsing did before claims were made on first read.
      async () =>
        time(() =>
          cpu.oneThread.push(
            cpuMs(() => {
              index = buildIndex(coldFiles).index;
              for (const s of index.allSources()) void s.claims.length;
            }),
          ),
        ),
      ...(other !== undefined ? [parallelRun(other, cpu.other, readAllCold.other)] : []),
    ],
    plan.cold,
    () => {
      index = undefined;
      collect();
    },
  );
  if (workerErrors.size) throw new Error(`index.cold: a parse worker failed: ${[...workerErrors].join('; ')}`);
  // The figures below use a one-thread index, every claim parsed: the last one-thread run's when
  // it was the last run (the runs after it start by dropping it).
  const idx: ClaimIndex = index ?? buildIndex(coldFiles).index;
  const claimCount = idx.claimCount;
  const cold = stats(coldTimes);
  const oneThread = { name: 'buildIndex on one thread, every claim made, same process', stats: stats(oneThreadTimes) };
  const bytes = coldFiles.reduce((n, f) => n + f.bytes.length, 0);
  const fromWorkers = (reads: number[]): string => `sources are indexed from their index terms and their claims made (or, from a worker, read) when first used: reading all claims afterwards takes ${stats(reads).median.toFixed(0)} ms`;
  log(`${label}: index.cold ${cold.median.toFixed(0)} ms for ${claimCount} claims in ${idx.sourceCount} sources (${cold.samples} runs; ${defaultWorkers} workers); one thread ${oneThread.stats.median.toFixed(0)} ms${other !== undefined ? `; ${other} workers ${stats(otherTimes).median.toFixed(0)} ms` : ''}`);
  figures.push(
    figure('index.cold', label, 'ms', cold, oneThread, {
      note: `${claimCount} claims in ${idx.sourceCount} sources (${(bytes / 1048576).toFixed(1)} MB); buildIndexInWorkers from bytes (decode, parseSource, keys, upsert) as the CLI and the extension run it: ${defaultWorkers ? `this thread and ${defaultWorkers} worker thread${defaultWorkers > 1 ? 's' : ''} parsing (the worker bundled as it ships)` : `all on this thread (${bytes < MIN_PARALLEL_BYTES ? 'under 2 MB to parse' : `no worker by default with ${availableParallelism()} cores`})`}; ${fromWorkers(readAllCold.cold)}${cpuNote(cpu.cold)}; one thread: CPU time median ${stats(cpu.oneThread).median.toFixed(0)} ms; the first run in this process (the young generation and the JIT still warming up; what an extension host's first start is like): ${coldTimes[0].toFixed(0)} ms`,
    }),
  );
  if (other !== undefined) {
    const what =
      other === 1
        ? 'index.cold with one worker thread asked for (policyCite.parseWorkers: 1; the worker bundled as it ships): the files handed out as they go, one at a time to this thread and in chunks to the worker'
        : 'index.cold with no worker thread (policyCite.parseWorkers: 0): this thread parses every source';
    figures.push(
      figure(otherName, label, 'ms', stats(otherTimes), oneThread, {
        note: `${what}; ${fromWorkers(readAllCold.other)}${cpuNote(cpu.other)}`,
      }),
    );
  }
  figures.push(
    figure(
      'index.cold.throughput',
      label,
      'claims/s',
      { median: (claimCount / cold.median) * 1000, p95: (claimCount / cold.p95) * 1000, p99: (claimCount / cold.p99) * 1000, samples: cold.samples },
      undefined,
      { note: 'p95 is the rate of the p95 (slow) run' },
    ),
  );
  await firstHover(ctx, idx, coldFiles, script, plan.hover.minRuns);
  // ---- index.warm: the same files with the parsed-source cache of an earlier run
  let firstRun: SourceCache | undefined = new SourceCache();
  buildIndex(coldFiles, undefined, firstRun);
  let cacheBytes = firstRun.serialize();
  firstRun = undefined;
  let warmHits = 0;
  let warmIndex: ClaimIndex | undefined;
  const warmCpu: number[] = [];
  const [warmTimes] = sampleSideBySide(
    [
      () =>
        time(() => {
          warmCpu.push(
            cpuMs(() => {
              const cache = SourceCache.parse(cacheBytes);
              warmIndex = buildIndex(coldFiles, undefined, cache).index;
              warmHits = cache.stats.hits;
            }),
          );
        }),
    ],
    plan.cold,
    () => {
      warmIndex = undefined;
      collect();
    },
  );
  const warm = stats(warmTimes);
  // What the warm start leaves for later: reading every source's claims from the cache (a full
  // check or the first search reads those it needs).
  let readAll = Number.NaN;
  if (warmIndex) {
    const later = warmIndex;
    readAll = time(() => later.allSources().forEach((s) => s.claims.length));
    warmIndex = undefined;
  }
  figures.push(
    figure('index.warm', label, 'ms', warm, { name: 'index.cold (parse every source), same process', stats: cold }, {
      note: `buildIndex from bytes with the cache of an earlier run (${(cacheBytes.length / 1048576).toFixed(1)} MB, parsed in the timing; reading it from disk is not): decode, content hash, ${warmHits} of ${coldFiles.length} sources from the cache, keys, upsert from the cached index terms; a source's claims are read from the cache when first used (all of them afterwards: ${readAll.toFixed(0)} ms)${cpuNote(warmCpu)}`,
    }),
  );
  log(`${label}: index.warm ${warm.median.toFixed(0)} ms (cold ${cold.median.toFixed(0)} ms; reading every claim afterwards ${readAll.toFixed(0)} ms)`);
  // The cache (as big as the index itself) must not count in memory.heap.
  cacheBytes = new Uint8Array(0);
  coldFiles = [];

  // ---- memory.heap: the index alone (corpus text and file bytes dropped)
  const updatePicks = idx.allSources().filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 15)) === 0).slice(0, 15);
  const textByPath = new Map((corpus ?? []).map((s) => [s.path, s.text]));
  const updateTexts = updatePicks.map((s) => ({ path: s.path, key: s.key, text: textByPath.get(s.path) ?? '' }));
  textByPath.clear();
  corpus = undefined;
  files = undefined;
  collect();
  const heapAfter = process.memoryUsage().heapUsed;
  figures.push(
    figure('memory.heap', label, 'MB', { median: heapAfter / 1048576, p95: heapAfter / 1048576, p99: heapAfter / 1048576, samples: 1 }, undefined, {
      note: gc
        ? `heapUsed after gc with the index held; ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MB more than before the corpus was generated`
        : 'gc not exposed (run node with --expose-gc): figure includes garbage',
    }),
  );
  log(`${label}: memory.heap ${(heapAfter / 1048576).toFixed(1)} MB`);

  // ---- hover: findMentions on a memo line + rankActorClaims + actorHoverMarkdown
  const library = libraryFromSources(idx.allSources());
  const hoverMemo = generateMemo({ lines: 1_000, library, seed: options.seed });
  const hoverTargets: { line: string; character: number }[] = [];
  for (const line of hoverMemo.split('\n')) {
    for (const m of idx.registry.findMentions(line)) hoverTargets.push({ line, character: m.start + 1 });
  }
  let hoverNo = 0;
  const hoverOnce = (): number =>
    time(() => {
      const target = hoverTargets[hoverNo++ % hoverTargets.length];
      const mention = idx.registry.findMentions(target.line).find((m) => target.character >= m.start && target.character <= m.end);
      if (!mention) return;
      const actor = idx.registry.get(mention.actor);
      if (!actor) return;
      const ranked = rankActorClaims(idx, actor.name, target.line, 3);
      actorHoverMarkdown(actor, ranked.claims, HOVER_LINKS, 3, ranked.total);
    });
  if (hoverTargets.length) {
    hoverOnce(); // the registry of the index is built on first use; that cost is hover.afterUpdate
    const [hoverTimes] = sampleSideBySide([hoverOnce], plan.hover);
    const hover = stats(hoverTimes);
    figures.push(figure('hover', label, 'ms', hover, undefined, { p99: round(hover.p99), note: 'actor hover: findMentions on the line, rankActorClaims, actorHoverMarkdown; p99 field holds the goal figure' }));
    log(`${label}: hover p50 ${hover.median.toFixed(2)} / p99 ${hover.p99.toFixed(2)} ms (${hover.samples})`);
  }

  // ---- search.keystroke and search.overlap against plain fuse.js over the same claims
  // The same claims in the same order as the index holds them (path order, as buildIndex
  // upserts them), so that fuse.js breaks ties alike on both sides.
  const claims = [...idx.allSources()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)).flatMap((s) => s.claims);
  t0 = performance.now();
  // The same options as ClaimIndex.search: the figure compares the candidate path with fuse.js
  // over every claim, so any difference in the top 10 is the candidates' doing.
  let plainFuse: Fuse<Claim> | undefined = new Fuse(claims, FUSE_OPTIONS);
  const fuseBuild = performance.now() - t0;
  // What the extension does when the picker opens: the search index built ahead in slices.
  const slices: number[] = [];
  for (let done = false; !done; ) slices.push(time(() => (done = idx.prepareSearch(2000))));
  const firstSearch = time(() => idx.search('x'));
  const typed = keystrokes(keystrokeQueries(idx), plan.keystrokes);
  // Plain fuse.js costs seconds a keystroke at 100k: it runs on an even subset of the keystrokes,
  // each right after ours on the same query, while its budget lasts.
  const withBaseline = new Set(keystrokes(typed, plan.baselineKeystrokes));
  const oursKs: number[] = [];
  const fuseKs: number[] = [];
  const overlaps: number[] = [];
  const ksStart = performance.now();
  for (const q of typed) {
    const baseline = fuseKs.length < 3 || performance.now() - ksStart < plan.keystrokeBudgetMs ? plainFuse : undefined;
    let ours: ScoredClaim[] = [];
    let theirs: { item: Claim }[] = [];
    oursKs.push(time(() => (ours = idx.search(q, 20))));
    if (!baseline || !withBaseline.has(q)) continue;
    fuseKs.push(time(() => (theirs = baseline.search(q, { limit: 20 }))));
    // One or two letters match nearly every claim equally well: agreement there is tie order.
    if (q.trim().length >= 3) overlaps.push(overlapOf(ours.slice(0, 10).map((r) => r.claim.id), theirs.slice(0, 10).map((r) => r.item.id)));
  }
  const ks = stats(oursKs);
  const fks = stats(fuseKs);
  figures.push(
    figure('search.keystroke', label, 'ms', ks, { name: 'fuse.js (plain)', stats: fks }, {
      p99: round(ks.p99),
      note: `${ks.samples} keystrokes (prefixes of ${keystrokeQueries(idx).length} queries), plain fuse.js (same options) on ${fks.samples} of them; index built before timing: ${slices.length > 1 ? `ours by prepareSearch in ${slices.length} slices of 2,000 claims (${slices.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, the longest ${Math.max(...slices).toFixed(0)} ms), then ` : 'ours '}${firstSearch.toFixed(0)} ms on first search, plain fuse.js ${fuseBuild.toFixed(0)} ms`,
    }),
  );
  const meanOverlap = overlaps.reduce((s, x) => s + x, 0) / Math.max(1, overlaps.length);
  const sortedOverlaps = [...overlaps].sort((a, b) => a - b);
  figures.push({
    name: 'search.overlap',
    size: label,
    median: round(meanOverlap, 3),
    p95: round(quantile(sortedOverlaps, 0.05), 3),
    unit: 'fraction',
    baseline: null,
    ratio: null,
    samples: overlaps.length,
    note: 'top-10 agreement with plain fuse.js (same options, same claim order) over the keystrokes of 3+ characters it ran on: "median" holds the mean, "p95" the 5th percentile (worst queries)',
  });
  log(`${label}: search.keystroke p50 ${ks.median.toFixed(1)} ms / p95 ${ks.p95.toFixed(1)} ms vs fuse ${fks.median.toFixed(1)} / ${fks.p95.toFixed(1)} ms; overlap ${meanOverlap.toFixed(3)} (${ks.samples} keystrokes)`);
  plainFuse = undefined;
  claims.length = 0;
  collect();
  const heapSearch = process.memoryUsage().heapUsed / 1048576;
  figures.push(
    figure('memory.heap.search', label, 'MB', { median: heapSearch, p95: heapSearch, p99: heapSearch, samples: 1 }, undefined, {
      note: 'heapUsed after gc once ClaimIndex.search has built what it builds lazily (the three-letter pieces of the claim texts, their word counts, the actor and key vocabulary); the plain fuse.js baseline is dropped first',
    }),
  );

  // ---- index.update: one source changed (parse the file, upsert it), and what the next search and hover pay
  let updateNo = 0;
  const upsertTimes: number[] = [];
  const updateOnce = (): number => {
    const u = updateTexts[updateNo % updateTexts.length];
    const text = Math.floor(updateNo / updateTexts.length) % 2 === 0 ? editedSourceText(u.text, updateNo) : u.text;
    updateNo++;
    const t = performance.now();
    const parsed = parseSourceFile({ path: u.path, bytes: encoder.encode(text) }, idx.base);
    if (isSkipped(parsed)) throw new Error(`${u.path}: ${parsed.reason}`);
    const previous = idx.sourceByPath(u.path);
    const tu = performance.now();
    const indexed = idx.upsert(previous ? rekeySource(parsed, previous.key) : parsed);
    const tu2 = performance.now();
    // (Its claims, which are made when first read, are made in the timing.)
    void indexed.claims.length;
    const end = performance.now();
    upsertTimes.push(tu2 - tu);
    return end - t;
  };
  const [updateTimes] = sampleSideBySide([updateOnce], plan.update);
  const update = stats(updateTimes);
  figures.push(
    figure('index.update', label, 'ms', update, undefined, {
      note: `one source changed: parseSourceFile + ClaimIndex.upsert + making the source's claims (made when first read); upsert alone median ${stats(upsertTimes).median.toFixed(2)} ms`,
    }),
  );
  log(`${label}: index.update ${update.median.toFixed(2)} ms`);

  const afterUpdate = sampleSideBySide(
    [
      () => time(() => idx.search('troops')),
      () => time(() => idx.registry.findMentions('Russia')),
    ],
    plan.afterUpdate,
    () => {
      updateOnce();
    },
  );
  figures.push(figure('search.afterUpdate', label, 'ms', stats(afterUpdate[0]), undefined, { note: `first ClaimIndex.search after an update (what search keeps per index version is made again: up to ${SEARCH_ALL_BELOW.toLocaleString('en-US')} claims the fuse.js index; the actor and key vocabulary only when the update changed those sets, which these updates do not)` }));
  figures.push(figure('hover.afterUpdate', label, 'ms', stats(afterUpdate[1]), undefined, { note: 'first registry use after an update (index.registry is built again from every source when the actors the sources name changed; these updates change a figure or add a sentence)' }));
  // Back to the generated corpus for the remaining figures.
  for (const u of updateTexts) {
    const parsed = parseSourceFile({ path: u.path, bytes: encoder.encode(u.text) }, idx.base);
    if (!isSkipped(parsed)) idx.upsert(rekeySource(parsed, idx.sourceByPath(u.path)?.key ?? parsed.key));
  }

  // ---- check.full and check.edit
  if (plan.memoLines === 0) {
    log(`${label}: check figures are measured at 1k and 10k claims only`);
    return;
  }
  const memo = generateMemo({ lines: plan.memoLines, library, seed: options.seed });
  const memoLabel = `${label} claims, ${plan.memoLines.toLocaleString('en-US')}-line memo`;
  if (!ctx.parseDraft) {
    const note = `skipped: ${ctx.parseDraftError ?? 'parseDraft missing'}`;
    figures.push(figure('check.full', memoLabel, 'ms', null, undefined, { note }));
    figures.push(figure('check.edit', memoLabel, 'ms', null, undefined, { note }));
    log(`${label}: check ${note}`);
    return;
  }
  let parse: ParseDraft = ctx.parseDraft;
  let findings = 0;
  const parseTimes: number[] = [];
  const checkCpu: number[] = [];
  let cache: SentenceCache | undefined;
  const checkOnce = (text: string): number => {
    const t = performance.now();
    const c0 = process.cpuUsage();
    const draft = parse(text);
    parseTimes.push(performance.now() - t);
    findings = checkDraft(draft, idx, {}, cache).findings.length;
    const c = process.cpuUsage(c0);
    checkCpu.push((c.user + c.system) / 1000);
    return performance.now() - t;
  };
  const lint = ctx.markdownlint;
  let lintFindings = 0;
  // Warm-up on the 100-line memo (JIT, the index's registry); a full warm-up would double the time.
  const smallMemo = generateMemo({ lines: 100, library, seed: options.seed });
  checkOnce(smallMemo);
  parseTimes.length = 0;
  checkCpu.length = 0;
  // Ours and markdownlint run in blocks, not interleaved: both use the same micromark modules in
  // this process, and alternating them makes both slower than either is alone (in VS Code each
  // extension has its own bundle).
  const [checkTimes] = sampleSideBySide([() => checkOnce(memo)], plan.check);
  let lintTimes: number[] | undefined;
  if (typeof lint !== 'string') {
    const lintOnce = (): number => time(() => (lintFindings = lint.lint({ strings: { memo } }).memo?.length ?? 0));
    lint.lint({ strings: { memo: smallMemo } });
    [lintTimes] = sampleSideBySide([lintOnce], { minRuns: checkTimes.length, maxRuns: checkTimes.length, budgetMs: Infinity });
  }
  const check = stats(checkTimes);
  figures.push(
    figure('check.full', memoLabel, 'ms', check, lintTimes ? { name: 'markdownlint (sync, default rules)', stats: stats(lintTimes) } : undefined, {
      note: `parseDraft + checkDraft (parseDraft alone median ${stats(parseTimes).median.toFixed(0)} ms): ${findings} findings${lintTimes ? `; markdownlint ${lintFindings} findings` : `; baseline skipped: ${String(lint)}`}${cpuNote(checkCpu)}`,
    }),
  );
  log(`${label}: check.full ${check.median.toFixed(0)} ms (${findings} findings)${lintTimes ? `, markdownlint ${stats(lintTimes).median.toFixed(0)} ms` : ''}`);

  // The memo opened again in a later session, with the check store its last check left (the
  // extension's workspace storage, the CLI's --cache): the store's JSON read, the memo parsed,
  // and every sentence's result found in the store. Its baseline is check.full, of this run.
  {
    const first = new SentenceCache();
    checkDraft(ctx.parseDraft(memo), idx, {}, first);
    const storeText = JSON.stringify(first.store(idx, {}, ''));
    let restored = 0;
    let warmFindings = 0;
    const restoreTimes: number[] = [];
    const warmParse: number[] = [];
    const warmCpu: number[] = [];
    const warmOnce = (): number => {
      const t = performance.now();
      const c0 = process.cpuUsage();
      const warm = new SentenceCache();
      restored = warm.restore(JSON.parse(storeText), idx, {}, '');
      const t1 = performance.now();
      const draft = (ctx.parseDraft as ParseDraft)(memo);
      const t2 = performance.now();
      warmFindings = checkDraft(draft, idx, {}, warm).findings.length;
      const c = process.cpuUsage(c0);
      warmCpu.push((c.user + c.system) / 1000);
      restoreTimes.push(t1 - t);
      warmParse.push(t2 - t1);
      return performance.now() - t;
    };
    warmOnce();
    restoreTimes.length = 0;
    warmParse.length = 0;
    warmCpu.length = 0;
    const [warmTimes] = sampleSideBySide([warmOnce], plan.check);
    const warm = stats(warmTimes);
    figures.push(
      figure('check.warm', memoLabel, 'ms', warm, { name: 'check.full (this run)', stats: check }, {
        note: `the memo checked again from its check store (${(storeText.length / 1e6).toFixed(1)} MB of JSON, ${restored} sentence results): JSON.parse + restore median ${stats(restoreTimes).median.toFixed(0)} ms, parseDraft ${stats(warmParse).median.toFixed(0)} ms, then checkDraft finding each sentence there; ${warmFindings} findings (check.full ${findings})${cpuNote(warmCpu)}`,
      }),
    );
    log(`${label}: check.warm ${warm.median.toFixed(0)} ms`);
  }

  // The extension opens a memo as it does here: its pieces parsed ahead in slices of about 10 ms
  // (IncrementalDraftParser.parseAhead), merged in one step, then checked in slices
  // (checkDraftInSlices); between slices the extension host handles other events. The longest
  // slice is how long opening the memo holds it.
  const longest: number[] = [];
  const sliced: number[] = [];
  const sliceCounts: number[] = [];
  const parseSlices: number[] = [];
  // As the extension does, the parts in sight are checked first (an editor opened on the memo
  // shows its top: the first 120 lines and a margin) and their findings published; check.sight is
  // the time from the start to then.
  const sightLines = 140;
  let sightEnd = 0;
  for (let line = 0; line < sightLines && sightEnd < memo.length; line++) {
    const eol = memo.indexOf('\n', sightEnd);
    sightEnd = eol < 0 ? memo.length : eol + 1;
  }
  const inSight: number[] = [];
  let sightFindings = 0;
  /** Openings whose findings in sight came while the memo was still being read (checkPrefixInSight). */
  let whileReading = 0;
  const turn = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 0));
  for (let i = 0; i < Math.min(5, checkTimes.length); i++) {
    const slices: number[] = [];
    const t = performance.now();
    const parser = new IncrementalDraftParser();
    const cache = new SentenceCache();
    const shown = (found: Finding[]): void => {
      inSight.push(performance.now() - t);
      sightFindings = found.length;
    };
    let shownWhileReading = false;
    await parser.parseAhead(memo, { sliceMs: 10, onSlice: (ms) => slices.push(ms) }, {
      until: sightEnd,
      onDraft: async (prefix, slicesOfParse) => {
        const found = await checkPrefixInSight(prefix, idx, {}, cache, [[0, sightEnd]], slicesOfParse);
        if (found) {
          shown(found);
          shownWhileReading = true;
        }
        return found !== false;
      },
    });
    if (shownWhileReading) whileReading++;
    const merge = performance.now();
    const draft = parser.parse(memo);
    slices.push(performance.now() - merge);
    parseSlices.push(slices.length);
    await turn();
    await checkDraftInSlices(draft, idx, {}, cache, {
      sliceMs: 10,
      onSlice: (ms) => slices.push(ms),
      first: shownWhileReading ? undefined : { ranges: [[0, sightEnd]], onFindings: shown },
    });
    sliced.push(performance.now() - t);
    longest.push(Math.max(...slices));
    sliceCounts.push(slices.length);
  }
  figures.push(
    figure('check.full.slice', memoLabel, 'ms', stats(longest), undefined, {
      note: `the longest slice of opening the memo as the extension does (10 ms slices): its pieces parsed ahead, merged, then checked with checkDraftInSlices: median ${stats(sliceCounts).median} slices (${stats(parseSlices).median} of them parsing), ${stats(sliced).median.toFixed(0)} ms from start to result (${longest.length} runs)`,
    }),
  );
  log(`${label}: check.full.slice ${stats(longest).median.toFixed(1)} ms`);
  if (inSight.length === sliced.length) {
    figures.push(
      figure('check.sight', memoLabel, 'ms', stats(inSight), { name: 'the same openings, start to every finding', stats: stats(sliced) }, {
        note: `opening the memo as check.full.slice does, until the findings of its first ${sightLines} lines (what an editor opened on it shows, with a margin) are ready: ${sightFindings} findings; in ${whileReading} of ${inSight.length} openings they were checked as soon as the pieces holding them were read (checkPrefixInSight), before the rest of the memo`,
      }),
    );
    log(`${label}: check.sight ${stats(inSight).median.toFixed(0)} ms (every finding ${stats(sliced).median.toFixed(0)} ms)`);
  }

  // The extension keeps a parser (chunks of the memo) and a per-sentence cache per memo: warm
  // them with one check, then edit.
  const incremental = new IncrementalDraftParser();
  parse = (text) => incremental.parse(text);
  cache = new SentenceCache();
  checkOnce(memo);
  let editNo = 0;
  // The first edits run code the full check did not (merging pieces, cache hits) before the JIT
  // has compiled it: they are timed apart and given in the note.
  const firstEdits = [0, 1, 2].map(() => checkOnce(editOneParagraph(memo, editNo++)));
  checkCpu.length = 0;
  parseTimes.length = 0;
  const [editTimes] = sampleSideBySide([() => checkOnce(editOneParagraph(memo, editNo++))], plan.edit);
  figures.push(
    figure('check.edit', memoLabel, 'ms', stats(editTimes), undefined, {
      note: `one paragraph changed, then IncrementalDraftParser (only changed pieces of the memo are parsed; median ${stats(parseTimes).median.toFixed(1)} ms) + checkDraft with the per-sentence cache (only changed sentences are checked); the first three edits after the full check, not in the figure: ${firstEdits.map((t) => t.toFixed(1)).join(', ')} ms${cpuNote(checkCpu)}`,
    }),
  );
  log(`${label}: check.edit ${stats(editTimes).median.toFixed(0)} ms`);

  // The same with footnotes, then with reference-style links: their definitions apply to the
  // whole memo. The baseline reads the memo whole at each edit (as the extension did before pieces
  // were read with stubs of the memo's definitions).
  const editsBesideWhole = (name: string, text: string, what: string, edited = (n: number): string => editOneParagraph(text, n), how = 'the pieces are read with stubs of the definitions they may reference'): void => {
    const pieceParser = new IncrementalDraftParser();
    const pieceCache = new SentenceCache();
    const wholeCache = new SentenceCache();
    const editWith = (read: (t: string) => Draft, sentenceCache: SentenceCache, t: string): number => time(() => checkDraft(read(t), idx, {}, sentenceCache));
    editWith((t) => pieceParser.parse(t), pieceCache, text);
    editWith(parseDraftWhole, wholeCache, text);
    for (let n = 0; n < 3; n++) editWith((t) => pieceParser.parse(t), pieceCache, edited(editNo++));
    const [pieceTimes, wholeTimes] = sampleSideBySide(
      [() => editWith((t) => pieceParser.parse(t), pieceCache, edited(editNo)), () => editWith(parseDraftWhole, wholeCache, edited(editNo++))],
      { ...plan.edit, maxRuns: Math.min(plan.edit.maxRuns, 10) },
    );
    figures.push(
      figure(name, memoLabel, 'ms', stats(pieceTimes), { name: 'memo read whole at each edit (parseDraftWhole + checkDraft with the cache)', stats: stats(wholeTimes) }, {
        note: `check.edit on the memo with ${what}: ${how} (${draftChunkStarts(text)?.length ?? 0} pieces); ${pieceTimes.length} edits each`,
      }),
    );
    log(`${label}: ${name} ${stats(pieceTimes).median.toFixed(0)} ms, read whole ${stats(wholeTimes).median.toFixed(0)} ms`);
  };
  const footnoted = withFootnotes(memo);
  editsBesideWhole('check.edit.footnotes', footnoted, `${(footnoted.match(/^\[\^\d+\]:/gm) ?? []).length} footnotes defined at its end and referenced from paragraphs across it`);
  const linked = withLinks(memo);
  const linkCount = (linked.match(/^\[r\d+\]:/gm) ?? []).length;
  editsBesideWhole('check.edit.links', linked, `${linkCount} reference-style links defined at its end and referenced from paragraphs across it`);
  // An edit of a definition itself: the destination of a link in the middle of the list changed,
  // so the paragraph that references it reads differently.
  const middle = `[r${Math.ceil(linkCount / 2)}]: https://example.org/reports/${Math.ceil(linkCount / 2)}`;
  editsBesideWhole(
    'check.edit.definition',
    linked,
    `${linkCount} reference-style links, one of whose destinations is changed at each edit (\`${middle}\` + a new path segment)`,
    // (Joined, not replaced: a replaced string is a rope, flattened in the timing, which the
    // extension's document text, joined from its lines, is not.)
    (n) => linked.split(`${middle}?`).join(`${middle}/v${n}?`),
  );
  // Typing in a long list with no blank line between its items (one block of Markdown): its items
  // are pieces of their own, so an edit reads one item again.
  // (Under MAX_BLOCK_CHARS, 50,000 characters: a longer block makes the memo be read line by line.)
  const items = Array.from({ length: 200 }, (_, i) => {
    const { key, paragraphs } = library[i % library.length];
    const p = 1 + (i % paragraphs.length);
    return `- Item ${i}: ${paragraphs[p - 1][0].replace(/\.$/, '')} [@${key}, para. ${p}]; see [the report](https://example.org/${i}) and \`annex ${i}\`.`;
  });
  // Between two blocks past the middle, outside fenced code.
  const blocks = memo.split('\n\n');
  let middleBlock = blocks.length >> 1;
  const fencesBefore = (k: number): number => blocks.slice(0, k).join('\n\n').match(/^```/gm)?.length ?? 0;
  while (middleBlock < blocks.length && fencesBefore(middleBlock) % 2 === 1) middleBlock++;
  const listed = [...blocks.slice(0, middleBlock), items.join('\n'), ...blocks.slice(middleBlock)].join('\n\n');
  editsBesideWhole(
    'check.edit.list',
    listed,
    `a list of ${items.length} items with no blank line between them (${items.join('\n').length.toLocaleString('en-US')} characters; links, inline code, citations) in its middle, the 100th item edited each time`,
    (n) => listed.split('- Item 100:').join(`- Item 100 (rev. ${n}):`),
    'the list is cut at its items, so an edit reads one item again (before, the list was one piece, read again whole)',
  );
}

// ---------------------------------------------------------------------------------------------
// Figures of the extension bundle

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function benchBundle(figures: Figure[], options: Options): void {
  log('bundle: building with scripts/build.mjs --production in a scratch folder');
  const build = buildProductionBundle();
  try {
    if (build.error) {
      figures.push(figure('bundle.size', '-', 'KB', null, undefined, { note: build.error }));
      figures.push(figure('activate', '-', 'ms', null, undefined, { note: `not measured: ${build.error}` }));
      log(`bundle: ${build.error}`);
      return;
    }
    const dist = join(build.dir, 'dist');
    const bundle = join(dist, 'extension.js');
    const files = distFiles(dist);
    const bytes = files.get('extension.js') ?? 0;
    const gz = gzipSync(readFileSync(bundle)).length;
    // What the VSIX ships besides extension.js: the files it loads on first use (see .vscodeignore).
    const onDemand = [...files].filter(([path]) => path === 'js-yaml.js' || path.startsWith('data/'));
    const sum = (list: [string, number][]): number => list.reduce((total, [, size]) => total + size, 0);
    const data = onDemand.filter(([path]) => path.startsWith('data/'));
    const size = bytes / 1024;
    figures.push(
      figure('bundle.size', '-', 'KB', { median: size, p95: size, p99: size, samples: 1 }, undefined, {
        note:
          `dist/extension.js alone, minified (${bytes} bytes, ${kb(gz)} gzipped); loaded on first use and shipped beside it: ` +
          `dist/js-yaml.js ${kb(files.get('js-yaml.js') ?? 0)}, dist/data/*.json ${kb(sum(data))} (${data.length} files); ` +
          `extension.js with them ${kb(bytes + sum(onDemand))}; 1 KB = 1024 bytes`,
      }),
    );
    log(`bundle: ${size.toFixed(1)} KB (+ ${kb(sum(onDemand))} loaded on first use)`);

    const runs = options.runs ?? 7;
    const probes: ActivationProbe[] = [];
    let probeError: string | undefined;
    for (let i = 0; i < runs && !probeError; i++) {
      const probe = probeActivation(bundle);
      if ('error' in probe) probeError = probe.error;
      else probes.push(probe);
    }
    if (probes.length) {
      const total = stats(probes.map((p) => p.loadMs + p.activateMs));
      const required = [...new Set(probes.flatMap((p) => p.required))].map((p) => relative(dist, p));
      figures.push(
        figure('activate', '-', 'ms', total, undefined, {
          note:
            `module evaluation of the minified bundle (median ${stats(probes.map((p) => p.loadMs)).median.toFixed(1)} ms) + the activate() call ` +
            `(median ${stats(probes.map((p) => p.activateMs)).median.toFixed(1)} ms) in a fresh Node process with a stub \`vscode\` module, not a real ` +
            `extension host (there the extension logs "activated in N ms" and exports activationMs); files read meanwhile: ${required.length ? required.join(', ') : 'none'}`,
        }),
      );
      log(`activate: ${total.median.toFixed(1)} ms (module evaluation and activate())`);
    } else {
      figures.push(figure('activate', '-', 'ms', null, undefined, { note: `not measured: ${probeError}` }));
    }
  } finally {
    build.dispose();
  }
}

/**
 * The longest wait of this thread's event loop while `run` goes (a timer every millisecond), and
 * how long `run` took: what an extension host's other work waits for at most.
 */
async function longestWait(run: () => Promise<unknown>): Promise<{ wait: number; total: number }> {
  let last = performance.now();
  let worst = 0;
  const tick = (): void => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  };
  const timer = setInterval(tick, 1);
  const start = performance.now();
  const outcome = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  const total = performance.now() - start;
  // (A parse on this thread blocks the timer: its first tick after is the wait.)
  await new Promise((r) => setTimeout(r, 2));
  clearInterval(timer);
  tick();
  if (outcome !== undefined) throw outcome;
  return { wait: worst, total };
}

/**
 * index.large: one large source parsed as the extension parses it (a start, a change of the
 * file): on a worker thread (offThreadBytes), against this thread, which parses a file whole.
 */
async function benchLargeSource(figures: Figure[], options: Options): Promise<void> {
  const body = generateCorpus({ claims: 16_000, seed: options.seed + 2 })
    .sources.map((s) => s.text.replace(/^---\n[\s\S]*?\n---\n/, ''))
    .join('\n\n');
  const file = { path: 'sources/large-report.md', bytes: encoder.encode(`---\ntitle: A long report\n---\n\n${body}`) };
  const script = parseWorkerBundle();
  const errors: string[] = [];
  const budget: Budget = options.quick ? { minRuns: 2, maxRuns: 2, budgetMs: 0 } : { minRuns: 5, maxRuns: 9, budgetMs: 30_000 };
  const waits = { worker: [] as number[], here: [] as number[] };
  const totals = { worker: [] as number[], here: [] as number[] };
  const variant = (name: 'worker' | 'here', offThreadBytes?: number) => async (): Promise<number> => {
    const { wait, total } = await longestWait(() => parseInWorkers([file], { script, offThreadBytes, onWorkerError: (m) => errors.push(m) }));
    waits[name].push(wait);
    totals[name].push(total);
    return wait;
  };
  await sampleSideBySideAsync([variant('worker', LARGE_SOURCE_BYTES), variant('here')], budget, collect);
  if (errors.length) throw new Error(`index.large: a parse worker failed: ${errors.join('; ')}`);
  const size = `one source of ${(file.bytes.length / 1048576).toFixed(2)} MB`;
  log(`index.large: the event loop waited ${stats(waits.worker).median.toFixed(0)} ms at most with the worker, ${stats(waits.here).median.toFixed(0)} ms parsing here`);
  figures.push(
    figure('index.large', size, 'ms', stats(waits.worker), { name: 'parsed on this thread (the longest wait: the whole parse)', stats: stats(waits.here) }, {
      note: `the longest wait of this thread's event loop while a source of ${LARGE_SOURCE_BYTES / 1048576} MB or more is parsed as the extension parses it (on a worker thread, started for it); the whole parse took ${stats(totals.worker).median.toFixed(0)} ms that way and ${stats(totals.here).median.toFixed(0)} ms on this thread (medians)`,
    }),
  );
}

/**
 * check.longSource: a memo that cites one long source (a report of thousands of paragraphs),
 * beside the same memo made from the same claims in the corpus's small sources. A look-up of a
 * cited paragraph reads that paragraph's claims, and one of a whole long source the claims that
 * share something with the sentence, so the two should cost about the same; before that, every
 * cited sentence read the whole long source (7.6–9.2 s at 100,000 claims).
 */
function benchLongSource(figures: Figure[], options: Options, parseDraft: ParseDraft): void {
  const claims = options.quick ? 10_000 : 100_000;
  const corpus = generateCorpus({ claims, seed: options.seed + 3 }).sources;
  const body = corpus.flatMap((s) => s.paragraphs.map((p) => p.join(' '))).join('\n\n');
  const long = buildIndex([{ path: 'sources/long-report.md', bytes: encoder.encode(`---\ntitle: A long report\nauthor: Jane Roe\ndate: 2020-01-01\n---\n\n${body}\n`) }]).index;
  const small = buildIndex(corpus.map((s) => ({ path: s.path, bytes: encoder.encode(s.text) }))).index;
  const lines = 1_000;
  const variants = [long, small].map((index) => {
    const memo = generateMemo({ lines, library: libraryFromSources(index.allSources()), seed: options.seed });
    let findings = 0;
    const run = (): number => {
      const draft = parseDraft(memo);
      return time(() => (findings = checkDraft(draft, index, {}).findings.length));
    };
    return { run, findings: () => findings, citations: (memo.match(/\[(?:see )?@/g) ?? []).length };
  });
  const budget: Budget = options.quick ? { minRuns: 2, maxRuns: 2, budgetMs: 0 } : { minRuns: 5, maxRuns: 9, budgetMs: 20_000 };
  const [ours, base] = sampleSideBySide(variants.map((v) => v.run), budget, collect);
  log(`check.longSource: ${stats(ours).median.toFixed(0)} ms against one source of ${long.claimCount} claims, ${stats(base).median.toFixed(0)} ms against ${small.sourceCount} sources`);
  figures.push(
    figure('check.longSource', `${long.claimCount.toLocaleString('en-US')} claims in one source`, 'ms', stats(ours), { name: `the same claims in ${small.sourceCount} sources`, stats: stats(base) }, {
      note: `checkDraft of a ${lines}-line memo (${variants[0].citations} citations, ${variants[0].findings()} findings) citing one generated source of ${long.claimCount} claims, beside a memo made the same way from the same claims in the corpus's ${small.sourceCount} sources (${variants[1].citations} citations, ${variants[1].findings()} findings)`,
    }),
  );
}

/**
 * Reading a reference manager's library of thousands of works (issue 6: a citation tool took
 * 25-30 s to load 7,200 references): the memo's bibliography files, read when a memo names them
 * and again when they change. CSL-YAML beside the `yaml` library, which read it before.
 */
function benchBibliography(figures: Figure[], options: Options): void {
  const n = options.quick ? 1_000 : 7_200;
  const items = generateLibrary(n, options.seed);
  const budget: Budget = options.quick ? { minRuns: 2, maxRuns: 2, budgetMs: 0 } : { minRuns: 5, maxRuns: 9, budgetMs: 30_000 };
  const formats: [string, string, string][] = [
    ['CSL-YAML', 'library.yaml', `---\n${stringifyYaml({ references: items })}...\n`],
    ['CSL-JSON', 'library.json', JSON.stringify(items, null, 2)],
    ['BibTeX', 'library.bib', libraryAsBibtex(items)],
  ];
  for (const [format, path, text] of formats) {
    let read = 0;
    const ours = (): number => time(() => {
      const r = bibliographyEntries(text, path);
      read = 'entries' in r ? r.entries.length : -1;
    });
    const size = `${n.toLocaleString('en-US')} entries, ${format} (${(text.length / 1024 / 1024).toFixed(1)} MB)`;
    if (format === 'CSL-YAML') {
      // The reader before: the `yaml` library's document and its toJS, without reading the entries.
      const before = (): number => time(() => parseYamlDocument(text.replace(/^---\r?\n/, '').replace(/\r?\n(?:---|\.\.\.)\s*$/, '\n')).toJS({ maxAliasCount: 100 }));
      ours();
      const [oursTimes, beforeTimes] = sampleSideBySide([ours, before], budget);
      figures.push(figure('bibliography.read', size, 'ms', stats(oursTimes), { name: 'yaml library (parseDocument + toJS, the reader before)', stats: stats(beforeTimes) }, { note: `bibliographyEntries (js-yaml, core schema): ${read} entries read` }));
      log(`bibliography.read ${format}: ${stats(oursTimes).median.toFixed(0)} ms, yaml library ${stats(beforeTimes).median.toFixed(0)} ms`);
    } else {
      ours();
      const [oursTimes] = sampleSideBySide([ours], budget);
      figures.push(figure('bibliography.read', size, 'ms', stats(oursTimes), undefined, { note: `bibliographyEntries: ${read} entries read` }));
      log(`bibliography.read ${format}: ${stats(oursTimes).median.toFixed(0)} ms`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function renderTable(figures: Figure[]): string {
  const header = ['figure', 'size', 'median', 'p95', 'unit', 'baseline', 'base median', 'base p95', 'ratio'];
  const rows = figures.map((f) => [
    f.name,
    f.size,
    formatNumber(f.median),
    formatNumber(f.p95),
    f.unit,
    f.baseline?.name ?? '',
    formatNumber(f.baseline?.median),
    formatNumber(f.baseline?.p95),
    f.ratio === null ? '' : `${formatNumber(f.ratio)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = new Set([2, 3, 6, 7, 8]);
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.map(line)].join('\n');
}

function machine(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryMB: Math.round(totalmem() / 1048576),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    build: __filename.endsWith('.ts') ? 'TypeScript sources under tsx' : 'esbuild bundle (scripts/bench.mjs)',
  };
}

/** Every size in this process, after a warm-up. */
async function benchSizes(options: Options, figures: Figure[]): Promise<void> {
  const draft = loadParseDraft();
  if (draft.error) log(`check figures will be skipped: ${draft.error}`);
  const markdownlint = await loadMarkdownlint();
  if (typeof markdownlint === 'string') log(`markdownlint baseline unavailable: ${markdownlint}`);

  // Warm the JIT on a tiny corpus so that the first timed run of the first size is not the one
  // that compiles the engine.
  const warm = generateCorpus({ claims: 300, seed: options.seed + 1 }).sources;
  buildIndex(warm.map((s) => ({ path: s.path, bytes: encoder.encode(s.text) })));
  log('warm-up done');
  for (const size of options.sizes) {
    await benchSize({ label: size, claims: parseSize(size), options, figures, parseDraft: draft.parseDraft, parseDraftError: draft.error, markdownlint });
    collect();
  }
}

/** The figures of one size, measured by this script in a process of its own. */
function benchSizeInChild(size: string, options: Options): Figure[] {
  const out = join(tmpdir(), `policy-cite-bench-${process.pid}-${size}.json`);
  const args = process.argv.slice(2).filter((a, i, all) => !['--sizes', '--out'].includes(a) && !['--sizes', '--out'].includes(all[i - 1]) && !a.startsWith('--sizes=') && !a.startsWith('--out='));
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...args, '--sizes', size, '--out', out], {
    stdio: 'inherit',
    env: { ...process.env, POLICY_CITE_BENCH_SIZE_CHILD: '1' },
  });
  if (r.status !== 0) throw new Error(`the ${size} run failed (exit ${r.status ?? r.signal})`);
  try {
    return (JSON.parse(readFileSync(out, 'utf8')) as { figures: Figure[] }).figures;
  } finally {
    rmSync(out, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!gc && !process.env.POLICY_CITE_BENCH_CHILD) {
    // Heap figures need a collector we can call: run again with --expose-gc (same loader flags).
    const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, POLICY_CITE_BENCH_CHILD: '1' },
    });
    process.exit(r.status ?? 1);
  }
  const options = parseArgs(process.argv.slice(2));
  const figures: Figure[] = [];
  if (options.sizes.length > 1) {
    // One process per size: what an earlier size leaves in the heap and the JIT's type feedback
    // slowed the next size's figures (index.cold at 100k: 4.1 s after 1k and 10k, 2.7 s alone).
    for (const size of options.sizes) figures.push(...benchSizeInChild(size, options));
  } else {
    await benchSizes(options, figures);
  }
  if (process.env.POLICY_CITE_BENCH_SIZE_CHILD) {
    writeFileSync(options.out, `${JSON.stringify({ figures }, null, 2)}\n`);
    return;
  }
  benchBundle(figures, options);
  benchBibliography(figures, options);
  await benchLargeSource(figures, options);
  const draft = loadParseDraft();
  if (draft.parseDraft) benchLongSource(figures, options, draft.parseDraft);
  else log(`check.longSource skipped: ${draft.error}`);

  const wallSeconds = round((performance.now() - T0) / 1000, 1);
  const results: Results = {
    machine: { ...machine(), date: new Date().toISOString(), args: process.argv.slice(2), wallSeconds, loadAverage: [round(LOAD_AT_START), round(loadavg()[0])] },
    figures,
  };
  mkdirSync(dirname(resolve(options.out)), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderTable(figures));
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.name} (${f.size}): ${f.note}`);
  console.log(`\nNotes:\n${notes.join('\n')}`);
  console.log(
    `\n${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryMB} MB, Node ${results.machine.node}, ${results.machine.build}; load average ${results.machine.loadAverage.join(' → ')}; wall time ${wallSeconds} s; wrote ${options.out}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
