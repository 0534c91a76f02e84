// Parsing harness (issue 6): times `parseSource` over a generated corpus in CPU time, and checks
// that two versions of the engine give byte-identical Sources.
//
//   npx tsx bench/parseProfile.ts --size 10k                      # CPU ms of this tree's parser
//   npx tsx bench/parseProfile.ts --size 10k --base /tmp/base-parse --runs 3
//       # the same, interleaved with the tree at /tmp/base-parse (a `git worktree` of the old code)
//   npx tsx bench/parseProfile.ts --size 100k --base /tmp/base-parse --check
//       # also compares JSON.stringify of every Source of both trees (plus --files a.md,b.md)
//   npx tsx bench/parseProfile.ts --size 100k --root /tmp/base-parse   # the old tree alone
//   npx tsx bench/parseProfile.ts --base /tmp/base-parse --fuzz 5000 --runs 0
//       # and of random Markdown-ish sources built from the pieces the parser cares about
//   node --expose-gc --import tsx bench/parseProfile.ts --size 100k --base /tmp/base-parse --keep --runs 5
//       # as index.cold parses: each file decoded from its bytes in the timing, every Source kept
//       # until the run ends (and a full GC before each run). Most of the garbage collector's work
//       # at 100k is copying what is kept, which a run that drops each Source at once does not see
//
// For a profile: node --cpu-prof --import tsx bench/parseProfile.ts --size 10k --runs 3
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { resolve } from 'node:path';
import { generateCorpus, parseSize } from './generate';

type Parse = (text: string, path: string) => unknown;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function load(root: string): Parse {
  const mod = require(resolve(root, 'src/core/source.ts')) as { parseSource: Parse };
  return mod.parseSource;
}

function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

function main(): void {
  const size = parseSize(arg('size') ?? '10k');
  const runs = Number(arg('runs') ?? '3');
  const seed = Number(arg('seed') ?? '1');
  const base = arg('base');
  const check = process.argv.includes('--check');
  const keep = process.argv.includes('--keep');
  const extraFiles = (arg('files') ?? '').split(',').filter(Boolean);

  const corpus = generateCorpus({ claims: size, seed });
  // Decoded from bytes, as buildIndex sees them (flat strings, not the generator's joins).
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const inputs = corpus.sources.map((s) => ({ path: s.path, text: decoder.decode(encoder.encode(s.text)) }));
  for (const f of extraFiles) inputs.push({ path: f, text: readFileSync(f, 'utf8') });

  // --root: time another tree alone (one tree per process: at 100k claims two parsers in one heap
  // slow each other down through the garbage collector).
  const ours = load(arg('root') ?? resolve(__dirname, '..'));
  const theirs = base ? load(base) : undefined;

  // Warm-up (JIT, gazetteer load) on a slice of the corpus.
  for (const { text, path } of inputs.slice(0, 50)) {
    ours(text, path);
    theirs?.(text, path);
  }

  if (check && theirs) {
    let differ = 0;
    for (const { text, path } of inputs) {
      const a = JSON.stringify(ours(text, path));
      const b = JSON.stringify(theirs(text, path));
      if (a !== b) {
        differ++;
        if (differ <= 3) {
          let k = 0;
          while (k < a.length && a[k] === b[k]) k++;
          console.log(`DIFF ${path} at ${k}:\n  new:  ${a.slice(Math.max(0, k - 200), k + 200)}\n  base: ${b.slice(Math.max(0, k - 200), k + 200)}`);
        }
      }
    }
    console.log(`check: ${inputs.length} sources, ${differ} differ`);
    if (differ) process.exitCode = 1;
  }

  const fuzz = Number(arg('fuzz') ?? '0');
  if (fuzz > 0 && theirs) {
    const PIECES = [
      '---\n', 'title: "T"\n', 'author: Jane Doe\n', 'date: 2012-07-16\n', 'date: 2012\n', 'a: [1]\n', '...\n', '# ', '## ', '- ', '> ',
      '```\n', '~~~\n', '    ', '\t', '\n', '\r\n', '\n\n', '\r', '\uFEFF', 'By Jane Doe\n', 'July 16, 2012\n', 'URL: https://x.org\n',
      '*The views are the author’s own and do not reflect the position of X.*', 'Jane Doe is an analyst.', '[@a, para. 2]', '[^1]',
      '[x](y)', '<!-- c -->', '"', '“', '”', '‘', '’', '«', '»', '…', '. ', '? ', '! ', 'U.S. ', 'Mr. ', 'etc. ', 'said', 'he ', 'she ',
      'Uzbekistan', 'Tashkent', 'Karimov', 'Islam Karimov', 'President', 'Uzbek President', 'Russian-led', 'CSTO', 'NATO', 'Andijan',
      'the Kremlin', 'Moscow', 'in 2005', '2012-07-16', '$230 million', '€1.2 billion', '3,000 troops', 'tenfold', 'two weeks ago',
      'last year', 'in December', 'several hundred', 'will', 'should', 'according to', 'The ', 'A ', 'a ', ' ', ' ', ',', 'é', '😀', '_x_', '**',
    ];
    const doc = fc
      .array(fc.oneof({ arbitrary: fc.constantFrom(...PIECES), weight: 9 }, { arbitrary: fc.string({ maxLength: 6 }), weight: 1 }), { maxLength: 80 })
      .map((p) => p.join(''));
    let differ = 0;
    for (const text of fc.sample(doc, { numRuns: fuzz, seed })) {
      const a = JSON.stringify(ours(text, 'sources/fuzz.md'));
      const b = JSON.stringify(theirs(text, 'sources/fuzz.md'));
      if (a !== b && differ++ < 3) console.log(`FUZZ DIFF on ${JSON.stringify(text)}`);
    }
    console.log(`fuzz: ${fuzz} random sources, ${differ} differ`);
    if (differ) process.exitCode = 1;
  }

  const times: { ours: number[]; base: number[] } = { ours: [], base: [] };
  let claims = 0;
  // --keep: the bytes of each file, decoded in the timing; the texts are dropped.
  const files = keep ? inputs.map(({ text, path }) => ({ path, bytes: encoder.encode(text) })) : [];
  const sources = inputs.length;
  if (keep) inputs.length = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  const timed = (parse: Parse): number => {
    gc?.();
    return cpuMs(() => {
      claims = 0;
      if (keep) {
        const kept: unknown[] = [];
        for (const { bytes, path } of files) kept.push(parse(decoder.decode(bytes), path));
        claims = kept.reduce((n: number, s) => n + (s as { claims: unknown[] }).claims.length, 0);
      } else {
        for (const { text, path } of inputs) claims += (parse(text, path) as { claims: unknown[] }).claims.length;
      }
    });
  };
  for (let r = 0; r < runs; r++) {
    times.ours.push(timed(ours));
    if (theirs) times.base.push(timed(theirs));
  }
  if (runs === 0) return;
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const min = (xs: number[]): number => Math.min(...xs);
  const line = (xs: number[]): string => `median ${median(xs).toFixed(0)} ms, min ${min(xs).toFixed(0)} ms  [${xs.map((t) => t.toFixed(0)).join(', ')}]`;
  console.log(`${sources} sources, ${claims} claims, ${runs} runs (CPU ms of ${keep ? 'decoding and parsing every source, all kept' : 'parsing every source'})`);
  console.log(`  new : ${line(times.ours)}`);
  if (theirs) {
    console.log(`  base: ${line(times.base)}`);
    console.log(`  speed-up ×${(median(times.base) / median(times.ours)).toFixed(2)} (median), ×${(min(times.base) / min(times.ours)).toFixed(2)} (min)`);
  }
}

main();
