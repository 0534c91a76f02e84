// Per-stage CPU time of source parsing (issue 6): runs each extractor alone over every sentence of
// a generated corpus, so that a stage's cost can be read without a profiler's attribution errors.
//
//   npx tsx bench/parseStages.ts --size 10k --runs 5
import { resolvePronouns, tokenize as actorTokens } from '../src/core/actors';
import { classifyClaimKind } from '../src/core/claimKind';
import { discoverActors } from '../src/core/discover';
import { extractDatesFromTokens, tokenize as dateTokens } from '../src/core/extract/dates';
import { extractNumbersFromTokens } from '../src/core/extract/numbers';
import { extractQuotes } from '../src/core/extract/quotes';
import { defaultRegistry } from '../src/core/registry';
import { splitSentences } from '../src/core/sentences';
import { parseSource } from '../src/core/source';
import { plainFromMarkdown } from '../src/core/text';
import { generateCorpus, parseSize } from './generate';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const size = parseSize(arg('size') ?? '10k');
const runs = Number(arg('runs') ?? '5');
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const texts = generateCorpus({ claims: size, seed: 1 }).sources.map((s) => decoder.decode(encoder.encode(s.text)));
const sources = texts.map((t, k) => parseSource(t, `s${k}.md`));
const sentences = sources.flatMap((s) => s.claims.map((c) => c.text));
const paragraphs = sources.flatMap((s) => s.paragraphs.map((p) => p.text));
const dateToks = sentences.map((s) => dateTokens(s));
const actorToks = sentences.map((s) => actorTokens(s));
const registry = defaultRegistry();
const mentions = sentences.map((s, i) => registry.matchTokens(s, actorToks[i]));

const stages: [string, () => void][] = [
  ['parseSource (whole)', () => texts.forEach((t, k) => parseSource(t, `s${k}.md`))],
  ['plainFromMarkdown (paragraph text)', () => texts.forEach((t) => plainFromMarkdown(t, 0, t.length))],
  ['splitSentences', () => paragraphs.forEach((p) => splitSentences(p))],
  ['dates.tokenize', () => sentences.forEach((s) => dateTokens(s))],
  ['extractDatesFromTokens', () => sentences.forEach((s, i) => extractDatesFromTokens(s, dateToks[i], '2012-07-16'))],
  ['extractNumbersFromTokens', () => sentences.forEach((s, i) => extractNumbersFromTokens(s, dateToks[i]))],
  ['actors.tokenize', () => sentences.forEach((s) => actorTokens(s))],
  ['matchTokens', () => sentences.forEach((s, i) => registry.matchTokens(s, actorToks[i]))],
  ['discoverActors', () => discoverActors({ sentences, tokens: actorToks, registry })],
  ['resolvePronouns', () => resolvePronouns(sentences.map((text, i) => ({ text, mentions: mentions[i], tokens: actorToks[i] })), registry)],
  ['extractQuotes', () => sentences.forEach((s, i) => extractQuotes(s, { previousSentences: sentences.slice(Math.max(0, i - 2), i) }))],
  ['classifyClaimKind', () => sentences.forEach((s) => classifyClaimKind(s, []))],
];

const results = new Map<string, number[]>();
for (let r = 0; r < runs; r++) {
  for (const [name, fn] of stages) {
    const before = process.cpuUsage();
    fn();
    const d = process.cpuUsage(before);
    results.set(name, [...(results.get(name) ?? []), (d.user + d.system) / 1000]);
  }
}
console.log(`${sentences.length} sentences, ${runs} runs: min CPU ms per stage`);
for (const [name, xs] of results) console.log(`  ${Math.min(...xs).toFixed(1).padStart(8)}  ${name}`);
