// A small harness for check.full and check.edit (issue 6) that measures them the way bench/run.ts
// does, without the rest of the bench: CPU time (process.cpuUsage, user + system) beside wall
// time, since the machine is shared. Run it under `node --cpu-prof` to profile.
//
//   npx tsx bench/checkProfile.ts [--size 10k] [--lines 10000] [--runs 3] [--edits 10] [--seed 1]
//                                 [--only full|edit] [--dump FILE]
//
// --dump writes every finding of the full check and of each edit's check (JSON), so that two
// versions of the engine can be compared for equal results.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { checkDraft, SentenceCache } from '../src/core/check/checkDraft';
import { parseDraft } from '../src/core/draft';
import type { Draft } from '../src/core/draftTypes';
import { IncrementalDraftParser } from '../src/core/incrementalDraft';
import { buildIndex } from '../src/core/loader';
import type { Finding } from '../src/core/types';
import { editOneParagraph, generateCorpus, generateMemo, libraryFromSources, parseSize } from './generate';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const size = arg('--size', '10k');
const lines = Number(arg('--lines', '10000'));
const runs = Number(arg('--runs', '3'));
const edits = Number(arg('--edits', '10'));
const seed = Number(arg('--seed', '1'));
const only = arg('--only', '');
const dump = arg('--dump', '');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms (${xs.map((x) => x.toFixed(1)).join(', ')})`;

const encoder = new TextEncoder();
const t0 = performance.now();
const corpus = generateCorpus({ claims: parseSize(size), seed }).sources;
const { index } = buildIndex(corpus.map((s) => ({ path: s.path, bytes: encoder.encode(s.text) })));
const library = libraryFromSources(index.allSources());
const memo = generateMemo({ lines, library, seed });
const small = generateMemo({ lines: 100, library, seed });
console.log(`corpus ${size}: ${index.claimCount} claims; memo ${lines} lines; setup ${(performance.now() - t0).toFixed(0)} ms`);

const dumped: Record<string, Finding[]> = {};
let parse: (text: string) => Draft = parseDraft;
let cache: SentenceCache | undefined;
const cpu: number[] = [];
const wall: number[] = [];
const parseCpu: number[] = [];
const checkOnce = (text: string, label?: string): number => {
  const t = performance.now();
  const c0 = process.cpuUsage();
  const draft = parse(text);
  const c1 = process.cpuUsage(c0);
  const result = checkDraft(draft, index, {}, cache);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  parseCpu.push((c1.user + c1.system) / 1000);
  wall.push(performance.now() - t);
  if (dump && label) dumped[label] = result.findings;
  return result.findings.length;
};
const reset = (): void => {
  cpu.length = 0;
  wall.length = 0;
  parseCpu.length = 0;
};

checkOnce(small);
reset();
if (only !== 'edit') {
  let findings = 0;
  for (let i = 0; i < runs; i++) findings = checkOnce(memo, i === 0 ? 'full' : undefined);
  console.log(`check.full: ${findings} findings; CPU ${fmt(cpu)}; parse CPU ${fmt(parseCpu)}; wall ${fmt(wall)}`);
}
if (only !== 'full') {
  const incremental = new IncrementalDraftParser();
  parse = (text) => incremental.parse(text);
  cache = new SentenceCache();
  checkOnce(memo);
  reset();
  for (let i = 0; i < edits; i++) checkOnce(editOneParagraph(memo, i), `edit${i}`);
  console.log(`check.edit: CPU ${fmt(cpu)}; parse CPU ${fmt(parseCpu)}; wall ${fmt(wall)}`);
}
if (dump) writeFileSync(dump, JSON.stringify(dumped));
