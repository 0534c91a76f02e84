// No catastrophic backtracking: every entry point that runs regular expressions over user or
// source text is timed on adversarial inputs: one 100 KB input against ten 10 KB inputs (the
// same amount of text). Linear code takes about as long for both; quadratic code takes ten
// times longer on the single large input. The test fails when the ratio is far from 1 (a ratio,
// never an absolute time, so a loaded machine does not make it fail).
import { strict as assert } from 'node:assert';
import { ActorRegistry } from '../../src/core/actors';
import { checkDraft } from '../../src/core/check/checkDraft';
import { classifyStatement } from '../../src/core/check/statement';
import { parseCitations } from '../../src/core/citations';
import { ClaimIndex } from '../../src/core/claimIndex';
import { completionContextAt } from '../../src/core/completionContext';
import type { Draft, DraftSentence } from '../../src/core/draftTypes';
import { attributionEdit } from '../../src/core/edit/citationEdit';
import { bibliographyKeys, entrySpan } from '../../src/core/bibliographyKeys';
import { parseDraft } from '../../src/core/draft';
import { escapeMarkdown } from '../../src/core/escape';
import { extractDates } from '../../src/core/extract/dates';
import { extractNumbers } from '../../src/core/extract/numbers';
import { extractQuotes } from '../../src/core/extract/quotes';
import { defaultRegistry } from '../../src/core/registry';
import { splitSentences } from '../../src/core/sentences';
import { parseSource, readFrontMatter } from '../../src/core/source';
import { loadYaml } from '../../src/core/readYaml';
import { plainFromMarkdown } from '../../src/core/text';

/** Strings built to provoke backtracking: long runs of the characters the patterns care about. */
const PATTERNS = [
  'a', ' ', '1,', '1.', '$1 ', '@a', '[@a, ', '[', '](', '\\', '\\$', '*', '_', '`', '"', '-', '. ', 'U.S. ', 'A. ', '\n', '\n\n',
  '> ', '- ', '<!--', 'https://a.b/', 'para. ', '... ', 'in 1999 ', 'two weeks ago ', 'several hundred ', 'said "', 'Uzbekistan ', '16, ',
  // Footnote calls and definitions, and definition-like lines (parseDraft reads memos with footnotes in pieces).
  '[^a] ', '[^a]: x\n', '[^', '\n[^a\\',
  // Inline notes: opened and never closed, nested, closed.
  '^[', '^[a', '^[a] ', '^[^[',
  // Lists, block quotes and tables in sources (one claim per item or row).
  '| ', '|--|\n', '| a |\n|---|\n', '1. ', '2) ', '> - ', '-\t',
  // Inline HTML in sources: tags opened and not closed, superscripts.
  '<a ', '<a', '<sup>', '<sup><a>1', '</', '<br', '<!--', '<!-- -',
  // Link references and definitions (parseDraft reads memos with link definitions in pieces too).
  '[a]: x\n\n', 'See [a].\n\n[a]: <x>\n\n', '[a [b] ',
  // Headings, breaks and fenced divs with no blank line around them; Pandoc attributes and block tags in sources.
  '## a\n', 'a\n***\n', 'a\n---\n', '- a\n---\n', '> ## a\n', '::: {.a}\n', ']{.', '[a]{"', ']{a="}', '](b){#', '</p><p>',
  // Character references, whole and cut short; backslash line ends.
  '&', '&#', '&#x', '&amp', '&nbsp;', '&#123', '&aaaa', '\\\n',
  // Images, and links over a line end.
  '![', '![a](', '![a](b){', '[a\n', '[a\n]', '![a\nb](c){',
  // Pandoc tables: dash lines of columns, grid borders and rows, opened and never closed.
  '---- ----\n', '---- ----\na\n\n', '----\na\n---- ----\n', '+--+\n', '+--+\n| a |\n', '+==+--+\n|',
  // Footnotes in sources: references and definitions, indented paragraphs of notes.
  'a[^a] ', 'a[^a]\n\n[^a]: b\n', '[^a]: b\n    c\n\n    d\n\n',
  // Cited sentences with bare months, quotations with speakers and paragraph locators (the checker's month, speaker and locator rules).
  'Putin said "left the CSTO in" in December [@s] ', 'in May [@s, para. 1] ',
  // Relative dates in sentences citing a dated source (relative-date), inside and outside quotations.
  'two weeks ago "last year said" yesterday [@d] ',
  // Inline notes with sentences and citations of their own (checked as texts of their own).
  'Uzbekistan left.^[Karimov withdrew in 1999 [@s, para. 1]. He said "no".] ', 'a.^[b [@s]',
  // BibTeX entries whose fields are read: values never closed, nested, concatenated, cut short.
  '@a{k,t={', '@a{k,t={x}', '@a{k,t="{', '@a{k,t=', '@a{k,t=a#', '@a{k,t={{', 'x={a}, ', '@a{k,a={}}}\n',
  // @string macros, defined, never closed and used over and over; crossrefs to one entry, to itself, to none.
  '@string{m = {xxxxxxxx}}', '@string{m = {', '@string(m="', ' # m # m', '@a{k,title=m#m#m#', '@a{k,crossref={k}}', '@a{j,crossref=k,year=1}',
  // The ids Go to Definition looks for in CSL-JSON and CSL-YAML files.
  '"id": "', '"id":"\\', '{"id": "x\\"', '"id": 1', 'id: ', '- id: x ', '- id: "k" #', 'id:\t \t',
];

function input(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

const index = new ClaimIndex();
index.upsert(parseSource('Uzbekistan left the CSTO in 2012, Karimov said.\n', 'sources/s.md'));
index.upsert(parseSource('---\ncitation-key: d\ndate: 2012-07-16\n---\n\nUzbekistan left the CSTO two weeks ago.\n', 'sources/d.md'));
const registry = defaultRegistry();

/** A draft whose one sentence is the whole text, as long as it is (parseDraft would split it). */
function oneSentenceDraft(text: string): Draft {
  const sentence: DraftSentence = {
    index: 0,
    paragraph: 0,
    start: 0,
    end: text.length,
    raw: text,
    plain: text,
    citations: [],
    links: [],
    footnoteRefs: [],
    quoted: false,
    inList: false,
    inTable: false,
    rowCitations: [],
    ignored: false,
  };
  return { text, sentences: [sentence], paragraphs: [{ index: 0, start: 0, end: text.length, sentences: [0] }], footnotes: new Map(), citations: [], bibliography: [] };
}

const ENTRY_POINTS: [string, (text: string) => unknown][] = [
  ['splitSentences', (t) => splitSentences(t)],
  ['plainFromMarkdown', (t) => plainFromMarkdown(t, 0, t.length)],
  ['extractNumbers', (t) => extractNumbers(t)],
  ['extractDates', (t) => extractDates(t, '2012-07-16')],
  ['extractQuotes', (t) => extractQuotes(t)],
  ['findMentions', (t) => registry.findMentions(t)],
  ['parseCitations', (t) => parseCitations(t)],
  ['completionContextAt', (t) => completionContextAt(t)],
  ['escapeMarkdown', (t) => escapeMarkdown(t)],
  ['classifyStatement', (t) => classifyStatement(t.slice(0, 20_000))],
  ['parseSource', (t) => parseSource(t, 'sources/x.md')],
  ['parseDraft', (t) => parseDraft(t)],
  ['bibliographyKeys', (t) => bibliographyKeys(t, 'library.bib')],
  // CSL-YAML and front matter, read with js-yaml (the `yaml` library took 71 s for 100 KB of
  // "[@a, " after a tag).
  ['bibliographyKeys (CSL-YAML)', (t) => [bibliographyKeys(t, 'refs.yaml'), bibliographyKeys(`- !tag x\n${t}`, 'refs.yaml')]],
  // (The readers of front matter alone: a line of the input may close it, and what follows is the
  // body, which the parseSource and parseDraft entries cover.)
  ['front matter', (t) => [readFrontMatter(`---\nitems:\n- ${t}\n---\n\nBody.\n`), yamlOrError(`items:\n- ${t}\n`)]],
  ['entrySpan', (t) => [entrySpan(t, 'library.bib', 'k'), entrySpan(t, 'refs.json', 'k'), entrySpan(t, 'refs.yaml', 'k')]],
  ['checkDraft', (t) => checkDraft(parseDraft(t), index)],
  // The quick fix's pattern on a sentence as long as the text (a draft of that one sentence).
  ['attributionEdit', (t) => attributionEdit(oneSentenceDraft(t), 0, 'Golts argues')],
];

/** What loadYaml, the memos' front matter reader, gives: a value or an error. */
function yamlOrError(text: string): unknown {
  try {
    return loadYaml(text);
  } catch (e) {
    return e;
  }
}

/** CPU time of one run in ms: other processes on a loaded machine do not count against it. */
function time(fn: () => unknown): number {
  // A collection before each timed run, so one run does not pay for another's garbage.
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Ten small inputs against one large one, interleaved, best of three. */
function growth<T>(fn: (input: T) => unknown, small: T, large: T): { tenSmall: number; oneLarge: number; ratio: number } {
  let tenSmall = Infinity;
  let oneLarge = Infinity;
  for (let round = 0; round < 3; round++) {
    tenSmall = Math.min(tenSmall, time(() => {
      for (let k = 0; k < 10; k++) fn(small);
    }));
    oneLarge = Math.min(oneLarge, time(() => fn(large)));
  }
  return { tenSmall, oneLarge, ratio: oneLarge / Math.max(tenSmall, 1) };
}

describe('regular expressions run in linear time', function () {
  this.timeout(900_000);
  // Quadratic code would cost 10×; backtracking blow-ups far more.
  const LIMIT = 6;
  /** The inputs on which one large input costs more than LIMIT× ten small ones. */
  function superLinear(fn: (text: string) => unknown, patterns: string[], smallSize: number): string[] {
    const worst: string[] = [];
    const kb = (n: number): string => `${n / 1000} KB`;
    for (const unit of patterns) {
      const small = input(unit, smallSize);
      const large = input(unit, 10 * smallSize);
      // A pause (GC, scheduling) can inflate one measurement; real super-linear growth shows
      // every time, so an input fails only when three measurements in a row exceed the limit.
      let m = growth(fn, small, large);
      for (let attempt = 1; attempt < 3 && m.ratio > LIMIT && m.oneLarge > 50; attempt++) m = growth(fn, small, large);
      if (m.ratio > LIMIT && m.oneLarge > 50) worst.push(`${JSON.stringify(unit)}: 10 × ${kb(smallSize)} ${m.tenSmall.toFixed(1)} ms, ${kb(10 * smallSize)} ${m.oneLarge.toFixed(1)} ms (×${m.ratio.toFixed(1)})`);
    }
    return worst;
  }

  for (const [name, fn] of ENTRY_POINTS) {
    it(`${name}: one 100 KB input costs at most ${LIMIT}× ten 10 KB inputs, on every adversarial input`, () => {
      const worst = superLinear(fn, PATTERNS, 10_000);
      assert.deepEqual(worst, [], `super-linear growth in ${name}:\n${worst.join('\n')}`);
    });
  }

  // A "sentence" of many citations and words that never repeat (a line of data, a memo read by
  // lines): each citation of a cited source was looked up anew, each look-up comparing the
  // source's claims with every word of the sentence (80 s for 640 KB of footnotes, read by lines).
  it(`checkDraft on one sentence of distinct words and citations: one 100 KB input costs at most ${LIMIT}× ten 10 KB inputs`, () => {
    const key = index.allSources()[0].key;
    const sentence = (unit: (i: number) => string, size: number): string => {
      let out = '';
      for (let i = 0; out.length < size; i++) out += unit(i);
      return out;
    };
    const units: Record<string, (i: number) => string> = {
      cited: (i) => `Uzbekistan w${i} in ${1900 + (i % 100)} [@${key}] `,
      'out of range': (i) => `Uzbekistan w${i} in ${1900 + (i % 100)} [@${key}, para. 9] `,
      uncited: (i) => `Uzbekistan w${i} left in ${1900 + (i % 100)} `,
    };
    const worst: string[] = [];
    for (const [name, unit] of Object.entries(units)) {
      const check = (t: string): unknown => checkDraft(parseDraft(t), index);
      let m = growth(check, sentence(unit, 10_000), sentence(unit, 100_000));
      for (let attempt = 1; attempt < 3 && m.ratio > LIMIT && m.oneLarge > 50; attempt++) m = growth(check, sentence(unit, 10_000), sentence(unit, 100_000));
      if (m.ratio > LIMIT && m.oneLarge > 50) worst.push(`${name}: 10 × 10 KB ${m.tenSmall.toFixed(1)} ms, 100 KB ${m.oneLarge.toFixed(1)} ms (×${m.ratio.toFixed(1)})`);
    }
    assert.deepEqual(worst, [], `super-linear growth in checkDraft:\n${worst.join('\n')}`);
  });

  // A front matter naming thousands of bibliography files, none of them there: each was looked for
  // from the start of the front matter (20,000 names: 5.7 s a check, at each keystroke). The
  // draft keeps the first MAX_BIBLIOGRAPHY_FILES names; the check is given all of them.
  it(`checkDraft with thousands of missing bibliography files named: one of 20,000 costs at most ${LIMIT}× ten of 2,000`, () => {
    const memos = new Map<number, { draft: Draft; names: string[] }>();
    for (const count of [2_000, 20_000]) {
      const names = Array.from({ length: count }, (_, i) => `refs/library-${i}.json`);
      memos.set(count, { draft: parseDraft(`---\nbibliography:\n${names.map((n) => `  - "${n}"`).join('\n')}\n---\n\nUzbekistan left the CSTO [@golts2012].\n`), names });
    }
    const check = (count: number): unknown => {
      const { draft, names } = memos.get(count) as { draft: Draft; names: string[] };
      return checkDraft(draft, index, { bibliographyMissing: names });
    };
    let m = growth(check, 2_000, 20_000);
    for (let attempt = 1; attempt < 3 && m.ratio > LIMIT && m.oneLarge > 50; attempt++) m = growth(check, 2_000, 20_000);
    assert.ok(!(m.ratio > LIMIT && m.oneLarge > 50), `10 × 2,000 names ${m.tenSmall.toFixed(1)} ms, 20,000 ${m.oneLarge.toFixed(1)} ms (×${m.ratio.toFixed(1)})`);
  });

  // A user's actors file (.policy-cite/actors.json) may name thousands of actors whose aliases
  // share a first word ("Ministry of …"): each alias was looked for among those before it (100,000
  // actors named "Actor N": over a minute in `policy-cite check`).
  it(`ActorRegistry: one registry of 20,000 actors sharing a first word costs at most ${LIMIT}× ten of 2,000`, () => {
    const actors = (count: number, from: number) =>
      Array.from({ length: count }, (_, i) => ({ name: `Actor ${from + i}`, type: 'person' as const, aliases: [`Actor ${from + i} Jr`, `A${from + i}`], roles: [] }));
    let round = 0;
    const build = (count: number): unknown => new ActorRegistry(actors(count, 1_000_000 * ++round)).get('Actor 1');
    let m = growth(build, 2_000, 20_000);
    for (let attempt = 1; attempt < 3 && m.ratio > LIMIT && m.oneLarge > 50; attempt++) m = growth(build, 2_000, 20_000);
    assert.ok(!(m.ratio > LIMIT && m.oneLarge > 50), `10 × 2,000 actors ${m.tenSmall.toFixed(1)} ms, 20,000 ${m.oneLarge.toFixed(1)} ms (×${m.ratio.toFixed(1)})`);
  });

  // A 100 KB input of one block is read by lines (MAX_BLOCK_CHARS): micromark reads blocks up to
  // 50 KB, so its growth is timed on 40 KB against 4 KB, with the inputs on which it grows with the
  // square of the length (nesting, brackets, emphasis), which are read by lines too.
  it(`parseDraft within micromark's sizes: one 40 KB input costs at most ${LIMIT}× ten 4 KB inputs, on every adversarial input`, () => {
    const worst = superLinear(parseDraft, [...PATTERNS, '* - ', '1. ', '>', '*a', '**a', '~~a', '[a](b) ', ']\n', '> ]\n', '[ <', '[(<', '``\\', '`\\`'], 4_000);
    assert.deepEqual(worst, [], `super-linear growth in parseDraft:\n${worst.join('\n')}`);
  });
});
