// checkDraft: the memo's findings against the index. Each rule looks at one sentence (or one
// citation) at a time, so results can be cached per sentence and re-used across edits.
import type { ClaimIndex, ScoredClaim, SupportSentence } from '../claimIndex';
import { MAX_SENTENCE_CHARS } from '../checkWorthiness';
import { citedParagraph, citedParagraphRanges } from '../citations';
import { sentenceAt } from '../edit/citationEdit';
import type { CitationGroup, Draft, DraftSentence, Footnote } from '../draftTypes';
import { bareMonths, monthName, yearsOf, type BareMonth } from '../extract/dates';
import { compareFigures, extractFigures, formatNumber, sameQuantity } from '../extract/numbers';
import { extractQuotes } from '../extract/quotes';
import { inlineNoteCitations, inlineNoteDrafts, inlineNoteLinks } from '../inlineNoteDrafts';
import type { ActorMention, Claim, DateMention, Finding, NumberMention, Severity, Span, Suggestion } from '../types';
import { Slices, type SliceControl } from '../slices';
import { formatOf, frontMatterReferenceKeys, lowerCaseFormatName } from '../bibliographyKeys';
import { BibliographyNames } from '../bibliographyNames';
import { CHECK_STORE_FORMAT, checkStoreKey, hash64, readCheckStore, sentenceDigest, STORED_FACTUAL, STORED_SOURCED, type StoredChecks, type StoredEntry } from './checkStore';
import { closestKeys } from './closestKeys';
import { mayHoldRelativeDate, memoDateOf, relativeDates, writtenArticleDate } from './relativeDates';
import { severityOf, type RuleCode, type RuleSettings } from './rules';
import { classifyStatement } from './statement';
import { attributeMarks, characterReferences, decodeCharacterReference, inlineNotes } from '../text';

export interface CheckOptions {
  /** A citation that ends a paragraph covers the paragraph's earlier sentences. */
  paragraphCitations?: boolean;
  rules?: RuleSettings;
  /** Check-worthiness threshold (defaults to the model's). */
  threshold?: number;
  /**
   * The keys of the memo's bibliography files (see bibliographyKeys): cited works that no source
   * in the workspace holds, which Pandoc still resolves. Not flagged as unknown; nothing is
   * checked against them. The front matter's inline `references:` count too.
   */
  bibliographyKeys?: ReadonlySet<string>;
  /**
   * `bibliographyKeys` are every key of the memo's bibliography: each of its files was read (one
   * at least) or is not there yet, none could not be read. Then a citation of a source that
   * neither they nor the front matter's inline `references:` hold is flagged
   * (missing-bibliography-entry): Pandoc would not find it.
   */
  bibliographyComplete?: boolean;
  /**
   * The files of `bibliography:` in the front matter (as it writes them) that do not exist: pandoc
   * --citeproc stops at such a file, so a memo that cites anything is flagged there
   * (missing-bibliography-file).
   */
  bibliographyMissing?: readonly string[];
  /**
   * The files of `bibliography:` in the front matter (as it writes them) that are there and
   * cannot be read, with why (see BibliographyProblem): flagged at their names once the memo
   * cites anything (unreadable-bibliography-file).
   */
  bibliographyUnreadable?: readonly BibliographyProblem[];
}

/** A bibliography file that cannot be read. */
export interface BibliographyProblem {
  /** As the front matter writes it. */
  name: string;
  /** In the words of bibliographyKeys ("not valid JSON"), not quoting the file. */
  why: string;
  /** pandoc --citeproc stops at it too; false when only policy-cite does not read it (a size limit of its own). */
  pandocStops: boolean;
}

export interface SentenceStats {
  /** Sentences that state a checkable fact. */
  factual: number;
  /** Of those, the ones with a source. */
  sourced: number;
}

export interface CheckResult {
  findings: Finding[];
  stats: SentenceStats;
}

const OPENING_QUOTE = /^["“]$/;
const CLOSING_QUOTE = /^,?["”]/;
const QUARTO_CROSSREF = /^(fig|tbl|sec|eq|lst|thm|lem|cor|prp|cnj|def|exm|exr)-/;
const ATTRIBUTION = /\b(according to|argues?|argued|writes|wrote|contends?|claims?|claimed|believes?|predicts?|predicted|expects?|warns?|warned|suggests?|says|said|asserts?|in (?:the|his|her) view|notes|noted|maintains?|forecasts?)\b/i;

/** Where a citation points: a source, and a paragraph when the locator names one. */
interface Scope {
  key: string;
  /** The cited paragraph, the first of a range (`paras. 2–3`); none when the citation names no paragraph the source has. */
  paragraph?: number;
  /** The last paragraph of a range. */
  last?: number;
}

/** Whether a scope cites paragraph `n`. */
function inScope(scope: Scope, n: number): boolean {
  return scope.paragraph !== undefined && n >= scope.paragraph && n <= (scope.last ?? scope.paragraph);
}

/** "para. 2", "paras. 2–3". */
function scopeLocator(scope: Scope): string {
  return scope.last !== undefined ? `paras. ${scope.paragraph}–${scope.last}` : `para. ${scope.paragraph}`;
}

/**
 * Per-sentence results kept between checks of one memo. A sentence whose text and context did
 * not change since the last check (same index version, same options) is not checked again, so
 * an edit costs what the changed sentences cost.
 *
 * Entries are found by the sentence's raw text (a Map lookup that is cheap when the string is the
 * one the last check saw, as with IncrementalDraftParser, whose unchanged sentences keep their
 * strings), then matched on everything else the rules read: plain text, citations and links
 * relative to the sentence, footnotes, paragraph coverage and options. No key is built per
 * sentence and nothing is copied for sentences that did not move.
 */
export class SentenceCache {
  private entries = new Map<string, CachedSentence[]>();
  /**
   * The same sentence object as last time (IncrementalDraftParser keeps unchanged sentences and
   * only moves them): found without hashing its text. Sentence objects are never changed but
   * for their offsets and indexes, so the object stands for its content.
   */
  private byObject = new WeakMap<DraftSentence, CachedSentence>();
  /**
   * The last check, sentence by sentence: after an edit, the sentences before it are at the same
   * index and those after it at the same distance from the end, so most are found by comparing
   * two objects. What the loop needs of them is kept here in arrays, not read from the entries:
   * that loop runs over every sentence on every edit, and following a pointer per sentence into
   * the heap costs more than everything else it does.
   */
  last: LastCheck | undefined;
  /** The check's before `last`, whose arrays the next check fills again. */
  reuse: LastCheck | undefined;
  /** Findings of citation groups, by group object (the same objects across edits, as sentences). */
  readonly groups = new WeakMap<CitationGroup, CachedGroup>();
  /** The citation groups of the last check and their entries, in memo order (see cachedGroupFindings). */
  lastGroups: { options: string; groups: readonly CitationGroup[]; entries: CachedGroup[]; empty: Uint8Array } | undefined;
  private count = 0;

  find(sentence: DraftSentence, context: SentenceContext): CachedSentence | undefined {
    const known = this.byObject.get(sentence);
    if (known && !known.dropped && sameContext(known.context, context)) return known;
    const bucket = this.entries.get(sentence.raw);
    if (!bucket) return undefined;
    for (const entry of bucket) {
      if (sameContext(entry.context, context) && sameSentence(entry.sample, sentence)) {
        this.byObject.set(sentence, entry);
        return entry;
      }
    }
    return undefined;
  }

  add(sentence: DraftSentence, context: SentenceContext, result: SentenceResult, digest?: string): CachedSentence {
    // (Every entry has the same fields, in the same order: one shape for the loops that read them.)
    const entry: CachedSentence = { findings: result.findings, factual: result.factual, sourced: result.sourced, sample: sentence, context, dropped: false, digest };
    this.byObject.set(sentence, entry);
    const bucket = this.entries.get(sentence.raw);
    if (bucket) bucket.push(entry);
    else this.entries.set(sentence.raw, [entry]);
    this.count++;
    return entry;
  }

  /**
   * Drops what the last check did not use, once that is more than half of the cache (amortised
   * constant time). `usedCount`: how many of `used` are entries (the check counted them).
   */
  sweep(used: ReadonlyArray<CachedSentence | undefined>, usedCount: number): void {
    if (this.count <= 2 * usedCount + 64) return;
    const live = new Set(used);
    const kept = new Map<string, CachedSentence[]>();
    let count = 0;
    for (const [raw, bucket] of this.entries) {
      const keep = bucket.filter((e) => live.has(e));
      for (const e of bucket) if (!live.has(e)) e.dropped = true;
      if (keep.length) kept.set(raw, keep);
      count += keep.length;
    }
    this.entries = kept;
    this.count = count;
  }

  get size(): number {
    return this.count;
  }

  /** Results read from a check store (see restore), for checks whose options key is `optionsKey`. */
  private restored: { optionsKey: string; byDigest: Map<string, StoredEntry> } | undefined;
  /** Sentences whose results came from a check store rather than a check, since this cache was made. */
  restoredHits = 0;
  /** Sentences checked (their results found neither in this cache nor in a store), since this cache was made. */
  checkedSentences = 0;

  /**
   * Takes the results of a check store (`data`, as parsed from its JSON) for the checks against
   * `index` as it is now with `options`, when the store was written for them: the next check
   * finds its sentences' results there before checking them. `context` fingerprints the user's
   * actors. Gives the number of results read (0 when the store is for another index, other
   * options or another engine, or is not a store).
   */
  restore(data: unknown, index: ClaimIndex, options: CheckOptions, context: string): number {
    this.restored = undefined;
    const key = checkStoreKey(index, options, context);
    const byDigest = key === undefined ? undefined : readCheckStore(data, key);
    if (!byDigest || byDigest.size === 0) return 0;
    this.restored = { optionsKey: optionsKeyOf(index, options), byDigest };
    return byDigest.size;
  }

  /**
   * The last check's results as a check store, when that check was against `index` as it is now
   * with `options` (undefined otherwise, or when the index has a source without a content hash).
   */
  store(index: ClaimIndex, options: CheckOptions, context: string): StoredChecks | undefined {
    const last = this.last;
    if (!last || last.options !== optionsKeyOf(index, options)) return undefined;
    const key = checkStoreKey(index, options, context);
    if (key === undefined) return undefined;
    const entries: StoredEntry[] = [];
    const seen = new Set<string>();
    for (let k = 0; k < last.sentences.length; k++) {
      const entry = last.entries[k];
      if (!entry) continue;
      entry.digest ??= sentenceDigest(entry.sample, entry.context);
      if (seen.has(entry.digest)) continue;
      seen.add(entry.digest);
      entries.push([entry.digest, (entry.factual ? STORED_FACTUAL : 0) | (entry.sourced ? STORED_SOURCED : 0), entry.findings]);
    }
    return { format: CHECK_STORE_FORMAT, key, entries };
  }

  /** The result of a sentence read from a check store, when there is one for it (then kept as if checked). */
  fromStore(sentence: DraftSentence, context: SentenceContext): CachedSentence | undefined {
    const restored = this.restored;
    if (!restored || restored.optionsKey !== context.options) return undefined;
    const digest = sentenceDigest(sentence, context);
    const stored = restored.byDigest.get(digest);
    // (Offsets past the sentence: a damaged store, whatever its digests say.)
    if (!stored) return undefined;
    const length = sentence.end - sentence.start;
    for (const f of stored[2]) if (f.end > length) return undefined;
    this.restoredHits++;
    return this.add(sentence, context, { findings: stored[2], factual: (stored[1] & STORED_FACTUAL) !== 0, sourced: (stored[1] & STORED_SOURCED) !== 0 }, digest);
  }

  /** Lets the results of a check store go once a check has used them (or the check was for other options). */
  releaseStore(): void {
    this.restored = undefined;
  }
}

/** What the cached results of a check depend on besides the memo: the index version and the options that change findings. */
function optionsKeyOf(index: ClaimIndex, options: CheckOptions): string {
  return JSON.stringify([index.version, options.rules ?? null, options.threshold ?? null]);
}

/** What a sentence's result depends on besides its own text, citations and links. */
interface SentenceContext {
  options: string;
  covered: boolean;
  quoted: boolean;
  /** Text of the footnotes the sentence references. */
  notes: string;
  /** The memo's date, for a sentence that may hold a relative date ('' otherwise, or with none). */
  memoDate: string;
}

function sameContext(a: SentenceContext, b: SentenceContext): boolean {
  return a.options === b.options && a.covered === b.covered && a.quoted === b.quoted && a.notes === b.notes && a.memoDate === b.memoDate;
}

/** Same plain text and same citations (its own and its table row's) and links at the same places relative to the sentence (raw text is equal already). */
function sameSentence(a: DraftSentence, b: DraftSentence): boolean {
  if (a === b) return true;
  if (a.plain !== b.plain || a.citations.length !== b.citations.length || a.links.length !== b.links.length) return false;
  if (a.footnoteRefs.length !== b.footnoteRefs.length || a.footnoteRefs.some((label, i) => label !== b.footnoteRefs[i])) return false;
  for (let i = 0; i < a.citations.length; i++) if (!sameGroup(a.citations[i], a.start, b.citations[i], b.start)) return false;
  if (a.rowCitations.length !== b.rowCitations.length) return false;
  for (let i = 0; i < a.rowCitations.length; i++) if (!sameGroup(a.rowCitations[i], a.start, b.rowCitations[i], b.start)) return false;
  for (let i = 0; i < a.links.length; i++) {
    const x = a.links[i];
    const y = b.links[i];
    if (x.start - a.start !== y.start - b.start || x.end - a.start !== y.end - b.start || x.url !== y.url) return false;
  }
  return true;
}

function sameGroup(x: CitationGroup, xBase: number, y: CitationGroup, yBase: number): boolean {
  if (x.start - xBase !== y.start - yBase || x.end - xBase !== y.end - yBase || x.bracketed !== y.bracketed || x.citations.length !== y.citations.length) return false;
  for (let i = 0; i < x.citations.length; i++) {
    const c = x.citations[i];
    const d = y.citations[i];
    if (c.key !== d.key || c.start - xBase !== d.start - yBase || c.end - xBase !== d.end - yBase || c.keyStart - xBase !== d.keyStart - yBase) return false;
    if (c.keyEnd - xBase !== d.keyEnd - yBase || c.prefix !== d.prefix || c.suffix !== d.suffix || c.suppressAuthor !== d.suppressAuthor) return false;
    const l = c.locator;
    const m = d.locator;
    if (l !== m && (!l || !m || l.label !== m.label || l.value !== m.value || l.number !== m.number)) return false;
  }
  return true;
}

interface SentenceResult {
  /** Findings with offsets relative to the sentence start. */
  findings: Finding[];
  factual: boolean;
  sourced: boolean;
}

interface CachedSentence extends SentenceResult {
  /** The sentence it was computed for (or one equal to it): what later sentences are matched against. */
  sample: DraftSentence;
  context: SentenceContext;
  /** Swept out of the cache (still reachable from a sentence object, but no longer counted). */
  dropped: boolean;
  /** sentenceDigest of sample and context, once a check store needed it. */
  digest: string | undefined;
}

interface LastCheck {
  options: string;
  /** The memo's date then ('' for none): a sentence with a relative date depends on it (see findOrCheck). */
  memoDate: string;
  sentences: readonly DraftSentence[];
  /** Per sentence: its result (undefined for an ignored sentence). */
  entries: Array<CachedSentence | undefined>;
  /** Per sentence: COVERED, HAS_NOTES, FACTUAL, SOURCED (may be longer than `sentences`). */
  flags: Uint8Array;
  /** Per sentence: its findings placed in the memo (undefined when none), for the sentence start in `starts`. */
  placed: Array<Finding[] | undefined>;
  /** Per sentence with findings placed: its start then; -1 for the others (may be longer than `sentences`). */
  starts: Float64Array;
}

const COVERED = 1;
const HAS_NOTES = 2;
const FACTUAL = 4;
const SOURCED = 8;

function flagsOf(entry: CachedSentence, covered: boolean): number {
  return (covered ? COVERED : 0) | (entry.context.notes !== '' ? HAS_NOTES : 0) | (entry.factual ? FACTUAL : 0) | (entry.sourced ? SOURCED : 0);
}

function placeFindings(findings: Finding[], at: number): Finding[] | undefined {
  return findings.length === 0 ? undefined : findings.map((f) => moveFinding(f, at));
}

/**
 * A copy of a finding moved by `d`. Spelled out rather than spread (this runs for every finding
 * after an edit), with the keys in the order the rules give them.
 */
function moveFinding(f: Finding, d: number): Finding {
  const moved: Finding = { code: f.code, severity: f.severity, start: f.start + d, end: f.end + d, message: f.message, suggestions: f.suggestions };
  if ('data' in f) moved.data = f.data;
  return moved;
}

interface CachedGroup {
  /** Index version and options the findings were computed for. */
  options: string;
  /** Findings relative to the group start. */
  findings: Finding[];
  placedAt: number;
  placed: Finding[];
}

const compareFindings = (a: Finding, b: Finding): number => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code);

function isSorted(list: Finding[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareFindings(list[i - 1], list[i]) > 0) return false;
  return true;
}

/**
 * The findings of the citation groups and of the sentences in the order a stable sort of the two
 * (groups first) gives. Both come in document order almost always, so a merge does it in linear
 * time; otherwise they are sorted.
 */
function mergeFindings(a: Finding[], b: Finding[]): Finding[] {
  if (!isSorted(a) || !isSorted(b)) return [...a, ...b].sort(compareFindings);
  const out: Finding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(compareFindings(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

function emitterFor(options: CheckOptions): (out: Finding[]) => Emit {
  return (out: Finding[]) =>
    (code: RuleCode, f: Omit<Finding, 'code' | 'severity'>): void => {
      const severity = severityOf(code, options.rules);
      if (severity !== 'off') out.push({ code, severity: severity as Severity, ...f });
    };
}

export function checkDraft(draft: Draft, index: ClaimIndex, options: CheckOptions = {}, cache?: SentenceCache): CheckResult {
  if (!cache) {
    const stats: SentenceStats = { factual: 0, sourced: 0 };
    const emitTo = emitterFor(options);
    const coveredByParagraph = options.paragraphCitations ? paragraphCoverage(draft) : new Set<number>();
    const groupFindings: Finding[] = [];
    const emitGroup = emitTo(groupFindings);
    checkBibliographyFiles(draft, options, emitGroup);
    checkReading(draft, emitGroup);
    const known = knownKeysOf(draft, options);
    for (const group of draft.citations) checkCitationGroup(draft, group, index, emitGroup, known);
    const findings: Finding[] = [];
    const emit = emitTo(findings);
    for (const sentence of draft.sentences) {
      if (!sentence.ignored) checkSentence(draft, sentence, index, options, coveredByParagraph.has(sentence.index), stats, emit);
    }
    return { findings: mergeFindings(groupFindings, findings), stats };
  }
  const run = new CachedCheck(draft, index, options, cache);
  run.step(Infinity);
  return run.finish();
}

/**
 * checkDraft with a cache, giving the event loop a turn whenever `sliceMs` have passed (between
 * sentences), so that checking a long memo anew (on opening it, after a source changed) keeps the
 * thread responsive. Before each slice after the first, `stale()` is asked whether the result is
 * still wanted: the draft must not have changed meanwhile (a parse that moves its sentences, an
 * index update); when it is stale the check stops and gives undefined, leaving the cache as a
 * check that never ran would. The result is checkDraft's.
 */
export async function checkDraftInSlices(
  draft: Draft,
  index: ClaimIndex,
  options: CheckOptions,
  cache: SentenceCache,
  control: SliceControl & { first?: FirstFindings } = {},
): Promise<CheckResult | undefined> {
  const slices = new Slices(control);
  const run = new CachedCheck(draft, index, options, cache);
  const first = control.first;
  if (first && !run.followsLast) {
    // A check of every sentence anew (a memo opened, the sources or settings changed): the
    // sentences in sight first, so that their findings need not wait for the rest of a long memo.
    const ahead = sentencesIn(draft, first.ranges);
    let checked = 0;
    for (const sentence of draft.sentences) if (!sentence.ignored) checked++;
    if (first.ranges.length > 0 && ahead.length < checked) {
      const found = await findingsAhead(run, ahead, first.ranges, slices);
      if (!found) {
        run.abandon();
        return undefined;
      }
      first.onFindings(found);
    }
  }
  // Sentences in steps between clock readings: most cost microseconds (cached or short).
  while (!run.step(32)) {
    if (slices.due() && !(await slices.turn())) {
      run.abandon();
      return undefined;
    }
  }
  const result = run.finish();
  slices.end();
  return result;
}

/**
 * What checkDraftInSlices checks first when it checks every sentence anew (not after an edit,
 * which re-checks little) and `ranges` leave some sentence out: the parts of the memo in sight.
 * Their findings are all those of the whole check that overlap `ranges` (up to the first 400
 * sentences there), and only findings of the whole check (those of a sentence that overlaps a
 * range may lie outside it).
 */
export interface FirstFindings {
  /** Offset ranges [start, end) of the memo, in any order. */
  ranges: ReadonlyArray<readonly [number, number]>;
  /** Given the findings there, sorted as checkDraft sorts them, before the rest is checked. */
  onFindings: (findings: Finding[]) => void;
}

/** The most sentences checked ahead of the rest (a window in sight holds a few dozen). */
const MAX_FIRST_SENTENCES = 400;

/**
 * The findings of checkDraftInSlices' `first` for the sentences `ahead` (those in `ranges`),
 * checked (or found in the cache) in `slices`; undefined when the work went stale.
 */
async function findingsAhead(run: CachedCheck, ahead: number[], ranges: ReadonlyArray<readonly [number, number]>, slices: Slices): Promise<Finding[] | undefined> {
  const found: Finding[] = [];
  for (const k of ahead.slice(0, MAX_FIRST_SENTENCES)) {
    if (slices.due() && !(await slices.turn())) return undefined;
    const placed = run.ahead(k);
    if (placed) for (const f of placed) found.push(f);
  }
  return mergeFindings(run.groupFindingsIn(ranges), found);
}

/**
 * The findings in sight of a memo that is still being read: checkDraftInSlices' `first` findings
 * for `ranges`, from the draft of the memo's first pieces (see DraftPrefix), which must hold all
 * of `ranges`. Undefined when a sentence there references a footnote the prefix does not define
 * (its result depends on the note), false when the work went stale (`slices.turn()`). The
 * sentences' results go to `cache`, where the check of the whole memo finds them.
 */
export async function checkPrefixInSight(
  prefix: Draft,
  index: ClaimIndex,
  options: CheckOptions,
  cache: SentenceCache,
  ranges: ReadonlyArray<readonly [number, number]>,
  slices: Slices,
): Promise<Finding[] | undefined | false> {
  const ahead = sentencesIn(prefix, ranges);
  for (const k of ahead) for (const label of prefix.sentences[k].footnoteRefs) if (!prefix.footnotes.has(label)) return undefined;
  const run = new CachedCheck(prefix, index, options, cache);
  const found = await findingsAhead(run, ahead, ranges, slices);
  run.abandon();
  return found ?? false;
}

/** Indexes of the sentences (not ignored) that overlap one of `ranges`, in document order. */
function sentencesIn(draft: Draft, ranges: ReadonlyArray<readonly [number, number]>): number[] {
  const sentences = draft.sentences;
  const picked = new Set<number>();
  for (const [start, end] of ranges) {
    // The first sentence that ends after `start` (sentences are in document order, apart).
    let lo = 0;
    let hi = sentences.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sentences[mid].end <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < sentences.length && sentences[k].start < end; k++) if (!sentences[k].ignored) picked.add(k);
  }
  return [...picked].sort((a, b) => a - b);
}

/** Whether `span` (a finding, a citation group) overlaps one of `ranges`. */
const inRanges = (span: Span, ranges: ReadonlyArray<readonly [number, number]>): boolean => ranges.some(([start, end]) => span.start < end && span.end > start);

/** A memo read line by line: its inline Markdown (links, footnotes, code, HTML) is read as prose, so the user is told where and why. */
function checkReading(draft: Draft, emit: Emit): void {
  const at = draft.readAsLines;
  if (!at) return;
  emit('markdown-not-read', {
    start: at.start,
    end: at.end,
    message: `policy-cite reads this memo line by line, not as Markdown: ${at.reason}. Links, footnotes, inline code and HTML are read as plain text, so findings may be off; shorten or mend this part.`,
    suggestions: [],
  });
}

/** The most missing or unreadable bibliography files flagged in a memo (pandoc stops at the first). */
const MAX_FLAGGED_FILES = 20;

/**
 * Each file the front matter names as the bibliography that is not there or cannot be read (up
 * to MAX_FLAGGED_FILES, in the order it names them), once the memo cites something: pandoc
 * --citeproc stops at it ("File references.json not found in resource path"). Flagged at its
 * name in the front matter.
 */
function checkBibliographyFiles(draft: Draft, options: CheckOptions, emit: Emit): void {
  const missing = new Set(options.bibliographyMissing);
  const unreadable = new Map((options.bibliographyUnreadable ?? []).map((p) => [p.name, p]));
  const fm = draft.frontMatter;
  if ((missing.size === 0 && unreadable.size === 0) || draft.citations.length === 0 || !fm) return;
  const names = new BibliographyNames(draft);
  let flagged = 0;
  for (const name of draft.bibliography) {
    const problem = unreadable.get(name);
    if (!problem && !missing.has(name)) continue;
    if (flagged++ === MAX_FLAGGED_FILES) return;
    // (A name the YAML writes escaped is not found as written: the key is flagged then.)
    const at = names.find(name) ?? names.key ?? { start: fm.start, end: fm.start };
    const message = problem ? bibliographyFileMessage(name, problem, 'pandoc --citeproc') : `${bibliographyFileMessage(name, 'missing', 'pandoc --citeproc')} ${missingFileAdvice(name)}`;
    emit(problem ? 'unreadable-bibliography-file' : 'missing-bibliography-file', { start: at.start, end: at.end, message, suggestions: [], data: { name } });
  }
}

/**
 * What a finding says of a bibliography file that is not there or cannot be read, at its name in
 * a memo or a Quarto project file; `stops`: the tool that stops at it.
 */
export function bibliographyFileMessage(name: string, problem: 'missing' | Pick<BibliographyProblem, 'why' | 'pandocStops'>, stops: string): string {
  if (problem === 'missing') return `The bibliography file "${name}" named here does not exist: ${stops} stops at it.`;
  return `The bibliography file "${name}" named here cannot be read: ${problem.why}.${problem.pandocStops ? ` ${stops} stops at it.` : ''} Until it is, citations of works that only it holds are reported as unknown.`;
}

/** What to do about a bibliography file the front matter names and that does not exist. */
function missingFileAdvice(name: string): string {
  const lower = lowerCaseFormatName(name);
  // (pandoc would not read it once there either.)
  if (lower) return `Name it ${lower}: pandoc takes the format from a lower-case extension only.`;
  if (formatOf(name) === 'json') return `Create it with the entries of the sources the memo cites (the quick fix, or policy-cite bib --out ${name}), or correct the name.`;
  return 'Export it from your reference manager, or correct the name (policy-cite writes CSL-JSON only, to a .json file).';
}

/**
 * The citation groups' findings (after the memo's own: missing-bibliography-file,
 * markdown-not-read), re-used for group objects seen before (the same text, only moved) while the
 * index is unchanged; with `ranges`, only those that overlap one of them.
 */
function cachedGroupFindings(
  draft: Draft,
  index: ClaimIndex,
  optionsKey: string,
  cache: SentenceCache,
  emitTo: (out: Finding[]) => Emit,
  options: CheckOptions,
  ranges?: ReadonlyArray<readonly [number, number]>,
): Finding[] {
  const known = knownKeysOf(draft, options);
  // (A group's findings depend on the bibliography's keys too: an unknown key may be one of them.)
  optionsKey = known.digest ? `${optionsKey}\u0000${known.digest}` : optionsKey;
  const findings: Finding[] = [];
  const emitDraft = emitTo(findings);
  checkBibliographyFiles(draft, options, emitDraft);
  checkReading(draft, emitDraft);
  if (ranges && findings.length > 0) {
    const inSight = findings.filter((f) => inRanges(f, ranges));
    findings.length = 0;
    findings.push(...inSight);
  }
  const groups = draft.citations;
  // The groups of the last call for the whole memo, aligned from the start or from the end as
  // sentences are (see CachedCheck.step): most entries are found without a lookup by object.
  const last = cache.lastGroups?.options === optionsKey ? cache.lastGroups : undefined;
  const fromEnd = last ? groups.length - last.groups.length : 0;
  // (For the whole memo only. `empty`: 1 where the group's entry has no findings, so that the
  // next call passes it without reading either.)
  const next = ranges ? undefined : { options: optionsKey, groups, entries: new Array<CachedGroup>(groups.length), empty: new Uint8Array(groups.length) };
  for (let k = 0; k < groups.length; k++) {
    const group = groups[k];
    if (ranges && !inRanges(group, ranges)) continue;
    let entry: CachedGroup | undefined;
    if (last) {
      let j = -1;
      if (last.groups[k] === group) j = k;
      else if (last.groups[k - fromEnd] === group) j = k - fromEnd;
      if (j >= 0) {
        entry = last.entries[j];
        if (last.empty[j] === 1) {
          if (next) {
            next.entries[k] = entry;
            next.empty[k] = 1;
          }
          continue;
        }
      }
    }
    if (!entry) {
      entry = cache.groups.get(group);
      if (entry && entry.options !== optionsKey) entry = undefined;
    }
    if (!entry) {
      const local: Finding[] = [];
      checkCitationGroup(draft, group, index, emitTo(local), known);
      entry = { options: optionsKey, findings: local.map((f) => moveFinding(f, -group.start)), placedAt: group.start, placed: local };
      cache.groups.set(group, entry);
    } else if (entry.findings.length > 0 && entry.placedAt !== group.start) {
      entry.placedAt = group.start;
      entry.placed = entry.findings.map((f) => moveFinding(f, group.start));
    }
    if (next) {
      next.entries[k] = entry;
      if (entry.findings.length === 0) next.empty[k] = 1;
    }
    for (const f of entry.placed) if (!ranges || inRanges(f, ranges)) findings.push(f);
  }
  if (next) cache.lastGroups = next;
  return findings;
}

/**
 * A check with the cache, sentence by sentence: the citation groups when made, the sentences in
 * steps (step), the findings merged by finish. A class of its own, apart from the uncached check:
 * step's loop runs over every sentence on every edit, and V8 optimises it sooner and keeps it
 * optimised when nothing else shares its code.
 */
class CachedCheck {
  private readonly stats: SentenceStats = { factual: 0, sourced: 0 };
  private readonly emitTo: (out: Finding[]) => Emit;
  private readonly coveredByParagraph: Set<number>;
  private readonly optionsKey: string;
  private readonly findings: Finding[] = [];
  private readonly last: LastCheck | undefined;
  private readonly next: LastCheck;
  private readonly fromEnd: number;
  private k = 0;
  /** Sentences with an entry in `next` so far. */
  private used = 0;

  constructor(
    private readonly draft: Draft,
    private readonly index: ClaimIndex,
    private readonly options: CheckOptions,
    private readonly cache: SentenceCache,
  ) {
    this.emitTo = emitterFor(options);
    this.coveredByParagraph = options.paragraphCitations ? paragraphCoverage(draft) : new Set<number>();
    const optionsKey = optionsKeyOf(index, options);
    this.optionsKey = optionsKey;
    // (Taken when the memo's date is the same too: otherwise each sentence is looked up, and those
    // with a relative date, whose context holds the date, are checked again.)
    const memoDate = memoDateOf(draft) ?? '';
    const last = cache.last?.options === optionsKey && cache.last.memoDate === memoDate ? cache.last : undefined;
    this.last = last;
    const n = draft.sentences.length;
    this.fromEnd = last ? n - last.sentences.length : 0;
    // The arrays of the check before the last are written over (two sets take turns), so that an
    // edit allocates little: what it allocates, the garbage collector copies at its next run.
    const next = cache.reuse ?? { options: '', memoDate: '', sentences: [], entries: [], flags: new Uint8Array(0), placed: [], starts: new Float64Array(0) };
    cache.reuse = undefined;
    next.options = optionsKey;
    next.memoDate = memoDate;
    next.sentences = draft.sentences;
    next.entries.length = n;
    next.entries.fill(undefined);
    next.placed.length = n;
    next.placed.fill(undefined);
    if (next.flags.length < n) {
      next.flags = new Uint8Array(n + (n >> 3));
      next.starts = new Float64Array(n + (n >> 3));
    } else {
      next.flags.fill(0, 0, n);
    }
    this.next = next;
  }

  /** Checks up to `count` more sentences; true once every sentence is done. */
  step(count: number): boolean {
    const { draft, index, options, coveredByParagraph, optionsKey, cache, emitTo, stats, findings, last, next, fromEnd } = this;
    const n = draft.sentences.length;
    const end = Math.min(n, this.k + count);
    for (let k = this.k; k < end; k++) {
      const sentence = draft.sentences[k];
      // The same object as in the last check, aligned from the start or from the end, is found
      // without reading it (a read per sentence is a cache miss per sentence): it was ignored when
      // the last check kept no entry for it.
      let j = -1;
      if (last) {
        if (last.sentences[k] === sentence) j = k;
        else if (last.sentences[k - fromEnd] === sentence) j = k - fromEnd;
        if (j >= 0 && last.entries[j] === undefined) continue;
      }
      if (j < 0 && sentence.ignored) continue;
      const covered = coveredByParagraph.size > 0 && coveredByParagraph.has(sentence.index);
      // (Sentences with footnotes, which may have changed elsewhere, go the long way.)
      if (last && j >= 0 && (last.flags[j] & HAS_NOTES || (last.flags[j] & COVERED) !== (covered ? COVERED : 0))) j = -1;
      let flags: number;
      let placed: Finding[] | undefined;
      if (last && j >= 0) {
        next.entries[k] = last.entries[j];
        flags = last.flags[j];
        placed = last.placed[j];
        // Findings are read-only: a sentence that did not move gives the same objects as last time.
        if (placed !== undefined && last.starts[j] !== sentence.start) placed = placeFindings((last.entries[j] as CachedSentence).findings, sentence.start);
      } else {
        const entry = findOrCheck(draft, sentence, index, options, covered, optionsKey, cache, emitTo);
        next.entries[k] = entry;
        flags = flagsOf(entry, covered);
        placed = placeFindings(entry.findings, sentence.start);
      }
      this.used++;
      next.flags[k] = flags;
      next.placed[k] = placed;
      // (Read only where findings are placed: a sentence without any has none to move.)
      next.starts[k] = placed === undefined ? -1 : sentence.start;
      if (flags & FACTUAL) {
        stats.factual++;
        if (flags & SOURCED) stats.sourced++;
      }
      if (placed !== undefined) for (const f of placed) findings.push(f);
    }
    this.k = end;
    return end === n;
  }

  /** Whether most results come from the cache's last check (an edit since it), not sentence by sentence. */
  get followsLast(): boolean {
    return this.last !== undefined;
  }

  /**
   * The findings of sentence `k`, placed, ahead of the step loop (which then finds its result in
   * the cache); undefined when it has none.
   */
  ahead(k: number): Finding[] | undefined {
    const { draft, index, options, coveredByParagraph, optionsKey, cache, emitTo } = this;
    const sentence = draft.sentences[k];
    const covered = coveredByParagraph.size > 0 && coveredByParagraph.has(sentence.index);
    return placeFindings(findOrCheck(draft, sentence, index, options, covered, optionsKey, cache, emitTo).findings, sentence.start);
  }

  /** The citation groups' findings (and the memo's own: markdown-not-read, missing-bibliography-file) that overlap one of `ranges`. */
  groupFindingsIn(ranges: ReadonlyArray<readonly [number, number]>): Finding[] {
    return cachedGroupFindings(this.draft, this.index, this.optionsKey, this.cache, this.emitTo, this.options, ranges);
  }

  /** The result, once step has done every sentence; the cache then holds this check as the last. */
  finish(): CheckResult {
    const { cache, next } = this;
    cache.reuse = cache.last;
    cache.last = next;
    cache.sweep(next.entries, this.used);
    cache.releaseStore();
    const groupFindings = cachedGroupFindings(this.draft, this.index, this.optionsKey, cache, this.emitTo, this.options);
    return { findings: mergeFindings(groupFindings, this.findings), stats: this.stats };
  }

  /** Leaves the cache as it was but for the sentences checked (kept for later checks) and the arrays taken. */
  abandon(): void {
    // (The arrays taken for this check may be given to the next one.)
    if (this.cache.reuse === undefined && this.cache.last !== this.next) this.cache.reuse = this.next;
  }
}

/** The cached result of a sentence, checking it when there is none. */
function findOrCheck(
  draft: Draft,
  sentence: DraftSentence,
  index: ClaimIndex,
  options: CheckOptions,
  covered: boolean,
  optionsKey: string,
  cache: SentenceCache,
  emitTo: (out: Finding[]) => Emit,
): CachedSentence {
  // The footnotes it references, and the one it is in (whose citations may source it).
  const home = noteOf(draft, sentence);
  const notes =
    sentence.footnoteRefs.length === 0 && !home
      ? ''
      : [
          ...sentence.footnoteRefs.map((label) => {
            const note = draft.footnotes.get(label);
            return note ? draft.text.slice(note.start, note.end) : '';
          }),
          ...(home ? ['\u0002', draft.text.slice(home.start, home.end)] : []),
        ].join('\u0001');
  // (The relative-date rule reads the memo's date: a sentence that may hold one is checked again when it changes.)
  const memoDate = mayHoldRelativeDate(sentence.raw) ? (memoDateOf(draft) ?? '') : '';
  const context: SentenceContext = { options: optionsKey, covered, quoted: sentence.quoted, notes, memoDate };
  const entry = cache.find(sentence, context) ?? cache.fromStore(sentence, context);
  if (entry) return entry;
  const local: Finding[] = [];
  const own: SentenceStats = { factual: 0, sourced: 0 };
  checkSentence(draft, sentence, index, options, covered, own, emitTo(local));
  cache.checkedSentences++;
  // Sorted (stably) here, so that the findings of all sentences come sorted and merge in linear time.
  local.sort(compareFindings);
  return cache.add(sentence, context, {
    findings: local.map((f) => moveFinding(f, -sentence.start)),
    factual: own.factual > 0,
    sourced: own.sourced > 0,
  });
}

type Emit = (code: RuleCode, f: Omit<Finding, 'code' | 'severity'>) => void;

/** Values computed from the index, by key, kept while the index is unchanged (each re-check asks again). */
class IndexMemo<T> {
  private readonly byIndex = new WeakMap<ClaimIndex, { version: number; byKey: Map<string, T> }>();

  get(index: ClaimIndex, key: string, compute: () => T): T {
    let entry = this.byIndex.get(index);
    if (!entry || entry.version !== index.version) this.byIndex.set(index, (entry = { version: index.version, byKey: new Map() }));
    let value = entry.byKey.get(key);
    if (value === undefined) entry.byKey.set(key, (value = compute()));
    return value;
  }
}

/** "Did you mean" keys per unknown key. */
const closestByKey = new IndexMemo<string[]>();

/** The keys closest to an unknown key: of the sources, and of the memo's bibliography. */
function closestKeysOf(key: string, index: ClaimIndex, known: KnownKeys): string[] {
  return closestByKey.get(index, known.digest ? `${known.digest} ${key}` : key, () => closestKeys(key, known.all ? [...index.keys(), ...[...known.all].filter((k) => !index.source(k))] : index.keys(), 3));
}

/** The normalised text a quotation is looked for in, per cited source and paragraph. */
const quoteHaystacks = new IndexMemo<string>();

function quoteHaystack(scope: Scope, index: ClaimIndex): string {
  return quoteHaystacks.get(index, `${scope.paragraph ?? 0}-${scope.last ?? ''} ${scope.key}`, () => {
    const source = index.source(scope.key);
    const paragraphs = source ? (scope.paragraph ? source.paragraphs.filter((p) => inScope(scope, p.index)) : source.paragraphs) : [];
    return ` ${normalizeForQuote(paragraphs.map((p) => (p.notes ? `${p.text} ${p.notes}` : p.text)).join(' '))} `;
  });
}

/** The keys of the memo's bibliography (see CheckOptions.bibliographyKeys), and a digest of them for the caches. */
interface KnownKeys {
  has: (key: string) => boolean;
  /** Undefined when there are none. */
  all: ReadonlySet<string> | undefined;
  /** Empty when there are none and the bibliography is not known whole. */
  digest: string;
  /** The keys are the whole bibliography's (CheckOptions.bibliographyComplete): a cited source they lack is flagged. */
  complete: boolean;
}

const NO_KEYS: KnownKeys = { has: () => false, all: undefined, digest: '', complete: false };
/** A bibliography known whole that holds no key (its one file is empty, say). */
const NO_KEYS_COMPLETE: KnownKeys = { has: () => false, all: undefined, digest: 'complete', complete: true };
const digestsOfKeys = new WeakMap<ReadonlySet<string>, string>();

function digestOfKeys(keys: ReadonlySet<string>): string {
  let digest = digestsOfKeys.get(keys);
  if (digest === undefined) {
    digest = keys.size === 0 ? '' : hash64(JSON.stringify([...keys].sort()));
    digestsOfKeys.set(keys, digest);
  }
  return digest;
}

/** Per front matter (the same object while it reads the same), the keys with its inline references, for the bibliography's keys they were made with. */
const withInlineReferences = new WeakMap<object, { given: ReadonlySet<string> | undefined; complete: boolean; known: KnownKeys }>();

function knownKeysOf(draft: Draft, options: CheckOptions): KnownKeys {
  const given = options.bibliographyKeys;
  const complete = options.bibliographyComplete === true;
  const data = draft.frontMatter?.data;
  const inline = data && Array.isArray(data.references) ? frontMatterReferenceKeys(draft) : [];
  if (inline.length === 0 || !data) {
    if (!given || given.size === 0) return complete ? NO_KEYS_COMPLETE : NO_KEYS;
    return keysKnown(given, complete);
  }
  const made = withInlineReferences.get(data);
  if (made && made.given === given && made.complete === complete) return made.known;
  const all = new Set(inline);
  if (given) for (const key of given) all.add(key);
  const known = keysKnown(all, complete);
  withInlineReferences.set(data, { given, complete, known });
  return known;
}

function keysKnown(all: ReadonlySet<string>, complete: boolean): KnownKeys {
  // (A group's cached findings are keyed by the digest: whether the keys are the whole
  // bibliography changes them as much as the keys do.)
  return { has: (key) => all.has(key), all, digest: complete ? `complete ${digestOfKeys(all)}` : digestOfKeys(all), complete };
}

function checkCitationGroup(draft: Draft, group: CitationGroup, index: ClaimIndex, emit: Emit, known: KnownKeys): void {
  for (const c of group.citations) {
    const source = index.source(c.key);
    // Quarto cross-references (@fig-x, @tbl-x, @sec-x, @eq-x) share the citation syntax; a work
    // of the memo's bibliography that is no source is cited as Pandoc reads it, unchecked.
    if (!source && (QUARTO_CROSSREF.test(c.key) || known.has(c.key))) continue;
    if (!source) {
      const closest = closestKeysOf(c.key, index, known);
      emit('unknown-citation-key', {
        start: c.keyStart,
        end: c.keyEnd,
        message: `Unknown citation key "${c.key}": ${known.all ? "neither an indexed source nor the memo's bibliography" : 'no indexed source'} has it.${closest.length ? ` Did you mean ${closest.map((k) => `"${k}"`).join(', ')}?` : ' No sources are indexed.'}`,
        suggestions: [],
        data: { closest },
      });
      continue;
    }
    if (known.complete && !known.has(c.key)) {
      emit('missing-bibliography-entry', {
        start: c.keyStart,
        end: c.keyEnd,
        message: `"${c.key}" is not in the memo's bibliography: pandoc --citeproc will not find it (it prints "${c.key}?" in its place). Add the source's entry with the quick fix, or write the bibliography with policy-cite bib --out.`,
        suggestions: [],
        data: { key: c.key },
      });
    }
    const loc = c.locator;
    const n = citedParagraph(c);
    if (loc && n !== undefined && (n < 1 || n > source.paragraphs.length)) {
      emit('locator-out-of-range', {
        start: c.start,
        end: c.end,
        message: `"${loc.label} ${loc.value}" is out of range: ${c.key} has ${source.paragraphs.length} paragraph${source.paragraphs.length === 1 ? '' : 's'}.`,
        suggestions: paragraphsFor(draft, group, c.key, index),
        data: { paragraphs: source.paragraphs.length },
      });
    }
  }
}

/** Sentences prepared for bestSupport by paragraphsFor: a sentence may hold many citations out of range. */
const preparedSentences = new WeakMap<DraftSentence, { index: ClaimIndex; prepared: SupportSentence }>();

/**
 * The paragraphs of a cited source that best support the sentence holding a citation group, one
 * suggestion each (up to three): what an out-of-range locator may have meant.
 */
function paragraphsFor(draft: Draft, group: CitationGroup, key: string, index: ClaimIndex): Suggestion[] {
  const sentence = sentenceAt(draft, group.start);
  if (!sentence) return [];
  const out: Suggestion[] = [];
  let known = preparedSentences.get(sentence);
  if (known?.index !== index || known.prepared.at !== index.version) {
    known = { index, prepared: sentence.plain.length > MAX_SENTENCE_CHARS ? prepareHead(sentence.plain, index) : index.prepareSupport(sentence.plain) };
    preparedSentences.set(sentence, known);
  }
  for (const s of index.bestSupport(known.prepared, { keys: [key], limit: 9, minScore: 0.05 })) {
    if (out.length < 3 && !out.some((o) => o.locator === `para. ${s.claim.paragraph}`)) out.push(toSuggestion(s));
  }
  return out;
}

/**
 * What bestSupport reads of a "sentence" longer than the model reads (a pasted table, a line of
 * data, not prose): its head, as the model reads it. Every look-up of a sentence, and every claim
 * compared with it, costs in proportion to its distinct words.
 */
function prepareHead(plain: string, index: ClaimIndex, mentions?: readonly ActorMention[]): SupportSentence {
  const head = plain.slice(0, MAX_SENTENCE_CHARS);
  return index.prepareSupport(head, undefined, mentions ? mentions.filter((m) => m.end <= head.length) : undefined);
}

function checkSentence(
  draft: Draft,
  sentence: DraftSentence,
  index: ClaimIndex,
  options: CheckOptions,
  coveredByParagraph: boolean,
  stats: SentenceStats,
  emit: Emit,
): void {
  const notes = inlineNoteDrafts(draft, sentence);
  if (notes.length === 0) {
    checkStatement(draft, sentence, index, options, coveredByParagraph, stats, emit);
    return;
  }
  // The sentences of its inline notes, as a footnote's (see inlineNoteDrafts), their findings
  // placed in the memo and given after the sentence's own; the sentence and its notes count as
  // one fact, sourced when each of their facts is.
  const noteStats: SentenceStats = { factual: 0, sourced: 0 };
  const held: Array<{ code: RuleCode; f: Omit<Finding, 'code' | 'severity'> }> = [];
  for (const note of notes) {
    const place: Emit = (code, f) => held.push({ code, f: { ...f, start: f.start + note.offset, end: f.end + note.offset } });
    for (const inner of note.draft.sentences) if (!inner.ignored) checkStatement(note.draft, inner, index, options, false, noteStats, place);
  }
  checkStatement(draft, sentence, index, options, coveredByParagraph, stats, emit, noteStats);
  for (const { code, f } of held) emit(code, f);
}

/** The rules of one sentence; `notes` counts the facts of its inline notes (see checkSentence). */
function checkStatement(
  draft: Draft,
  sentence: DraftSentence,
  index: ClaimIndex,
  options: CheckOptions,
  coveredByParagraph: boolean,
  stats: SentenceStats,
  emitFinding: Emit,
  notes?: SentenceStats,
): void {
  const masked = maskMarkup(draft, sentence);
  const plain = sentence.plain;
  const emit = sentence.raw.includes('&') ? widenedToReferences(sentence, emitFinding) : emitFinding;
  // Figures and actors are found only when a rule reads them: most sentences are decided by
  // the model or by their citations before that.
  let figures: ReturnType<typeof extractFigures> | undefined;
  let years: number[] | undefined;
  let mentions: ActorMention[] | undefined;
  const figuresOf = (): ReturnType<typeof extractFigures> => (figures ??= extractFigures(masked));
  const numbersOf = (): NumberMention[] => figuresOf().numbers;
  const yearsOf_ = (): number[] => (years ??= yearsOf(figuresOf().dates, { exactOnly: true }));
  const mentionsOf = (): ActorMention[] => (mentions ??= index.registry.findMentions(plain));
  let months: BareMonth[] | undefined;
  const monthsOf = (): BareMonth[] => (months ??= MONTH_NAME.test(masked) ? bareMonths(masked, figuresOf().dates) : []);
  // What bestSupport reads of the sentence: the figures of the masked text are those of the plain
  // text when the two are one.
  const prepare = (): SupportSentence =>
    plain.length > MAX_SENTENCE_CHARS ? prepareHead(plain, index, mentionsOf()) : index.prepareSupport(plain, plain === masked ? figuresOf() : undefined, mentionsOf());
  const verdict = classifyStatement(plain, {
    hasActorAndFigure: () => (numbersOf().length > 0 || yearsOf_().length > 0) && mentionsOf().length > 0,
    actors: mentionsOf,
    threshold: options.threshold,
  });
  const groups = sourcingGroups(draft, sentence);
  const sourced = groups.length > 0 || sentence.links.length > 0 || footnoteLinks(draft, sentence) || coveredByParagraph;
  if (verdict.factual || (notes !== undefined && notes.factual > 0)) {
    stats.factual++;
    if ((sourced || !verdict.factual) && (notes === undefined || notes.sourced === notes.factual)) stats.sourced++;
  }

  if (!sourced) {
    if (!verdict.factual) return;
    const support = index.bestSupport(prepare(), { limit: 3, minScore: 0.2 });
    const suggestions = support.map(toSuggestion);
    let message = 'Factual statement without a citation.';
    if (suggestions.length) message += ` Best match: ${suggestions[0].key}, ${suggestions[0].locator}.`;
    else message += ' No indexed source supports it; it still needs a source.';
    const conflict = support[0] && support[0].score >= 0.3 ? firstConflict(numbersOf(), yearsOf_(), support[0].claim) : undefined;
    if (conflict) {
      const swap = otherActor(mentionsOf(), support[0].claim, conflict.sourceAt, index);
      message += ` Note: ${support[0].claim.sourceKey}, para. ${support[0].claim.paragraph} says ${conflict.sourceText}, not ${conflict.memoText}${swap ? `, in a sentence that does not name ${swap}` : ''}.`;
    }
    emit('unsourced-claim', { start: sentence.start, end: sentence.end, message, suggestions });
    return;
  }

  const scopes = scopesOf(groups, index);
  if (scopes.length === 0) return;
  // The cited claims are looked up only for a rule that reads them: checkNumbers when the
  // sentence has a figure, checkAttribution when it states something as fact unattributed.
  // (The rules that take a statement for opinion, hedge, recommendation and so on do not depend
  // on the threshold, so a verdict by the model or by figures is exactly "they all passed".)
  const statedAsFact = verdict.reason === 'model' || verdict.reason === 'figures' || verdict.reason === 'event';
  const hasFigures = numbersOf().length > 0 || yearsOf_().length > 0 || monthsOf().length > 0;
  const mayNeedAttribution = statedAsFact && !ATTRIBUTION.test(plain);
  const prepared = hasFigures || mayNeedAttribution ? prepare() : undefined;
  const support = prepared ? scopes.flatMap((s) => index.bestSupport(prepared, { keys: [s.key], paragraph: s.paragraph, lastParagraph: s.last, limit: 3, minScore: 0.05 })) : [];
  support.sort((a, b) => b.score - a.score);

  // Where a figure the cited paragraph contradicts is in another paragraph of that source, the
  // locator may be what is wrong (looked up only then: few sentences have a mismatch).
  const elsewhere = (key: string, confirms: (claim: Claim) => boolean): Suggestion[] => {
    const cited = scopes.filter((s) => s.key === key && s.paragraph !== undefined);
    if (cited.length === 0 || !prepared) return [];
    const out: Suggestion[] = [];
    for (const s of index.bestSupport(prepared, { keys: [key], limit: 9, minScore: 0.2 })) {
      if (out.length === 2) break;
      if (cited.some((c) => inScope(c, s.claim.paragraph)) || !confirms(s.claim) || out.some((o) => o.locator === `para. ${s.claim.paragraph}`)) continue;
      out.push(toSuggestion(s));
    }
    return out;
  };
  // (Its own citations only: a finding is kept relative to its sentence, and a footnote's or another cell's citation moves apart from it.)
  if (prepared && statedAsFact && sentence.citations.length > 0) checkLocators(sentence.citations, support, prepared, index, emit);
  checkNumbers(sentence, masked, numbersOf(), yearsOf_(), figuresOf().dates, monthsOf(), support, elsewhere, emit, (claim, at) => otherActor(mentionsOf(), claim, at, index));
  if (numbersOf().length > 0) checkFiguresElsewhere(sentence, numbersOf(), scopes, support, index, elsewhere, emit);
  checkQuotes(sentence, masked, scopes, index, emit);
  checkRelativeDates(draft, sentence, masked, scopes, index, emit);
  if (mayNeedAttribution) {
    const givesFigure = (claim: Claim): boolean =>
      yearsOf_().some((y) => claim.years.includes(y)) || numbersOf().some((n) => claim.numbers.some((m) => sameQuantity(n, m) === true));
    checkAttribution(sentence, plain, support, index, emit, givesFigure);
  }
}

/**
 * Citation groups that source this sentence: its own (or its table row's), and those of footnotes
 * it references; a sentence of a footnote without citations of its own, those of its footnote.
 */
function sourcingGroups(draft: Draft, sentence: DraftSentence): CitationGroup[] {
  const groups = [...sentence.citations, ...sentence.rowCitations];
  for (const label of sentence.footnoteRefs) {
    const note = draft.footnotes.get(label);
    if (note) groups.push(...note.citations);
  }
  if (sentence.raw.includes('^[')) groups.push(...inlineNoteCitations(draft, sentence));
  if (groups.length === 0) {
    const note = noteOf(draft, sentence);
    if (note) groups.push(...note.citations);
  }
  return groups;
}

function footnoteLinks(draft: Draft, sentence: DraftSentence): boolean {
  return (
    sentence.footnoteRefs.some((label) => (draft.footnotes.get(label)?.links.length ?? 0) > 0) ||
    (noteOf(draft, sentence)?.links.length ?? 0) > 0 ||
    inlineNoteLinks(draft, sentence)
  );
}

/** Each draft's footnotes by start (see noteOf). */
const notesByStart = new WeakMap<Draft, Footnote[]>();

/** The footnote whose definition holds the sentence, if any. */
function noteOf(draft: Draft, sentence: DraftSentence): Footnote | undefined {
  if (draft.footnotes.size === 0) return undefined;
  let notes = notesByStart.get(draft);
  if (!notes) notesByStart.set(draft, (notes = [...draft.footnotes.values()].sort((a, b) => a.start - b.start)));
  // The last note starting at or before the sentence.
  let lo = 0;
  let hi = notes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (notes[mid].start <= sentence.start) lo = mid + 1;
    else hi = mid;
  }
  const note = lo > 0 ? notes[lo - 1] : undefined;
  return note && sentence.start < note.end ? note : undefined;
}

function paragraphCoverage(draft: Draft): Set<number> {
  const covered = new Set<number>();
  for (const p of draft.paragraphs) {
    const last = draft.sentences[p.sentences[p.sentences.length - 1]];
    if (!last || (last.citations.length === 0 && inlineNoteCitations(draft, last).length === 0)) continue;
    for (const i of p.sentences) covered.add(i);
  }
  return covered;
}

/** The sources (and paragraphs) a sentence's citations point to, each once, in the order first cited. */
function scopesOf(groups: CitationGroup[], index: ClaimIndex): Scope[] {
  const scopes: Scope[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    for (const c of g.citations) {
      const source = index.source(c.key);
      if (!source) continue;
      const count = source.paragraphs.length;
      // A paragraph out of range cites the whole source (locator-out-of-range says so); a range
      // past the end stops at the last paragraph.
      const ranges = (citedParagraphRanges(c) ?? [[0, 0]]).map(([first, last]): Scope => (first >= 1 && first <= count ? { key: c.key, paragraph: first, last: Math.min(last, count) > first ? Math.min(last, count) : undefined } : { key: c.key }));
      for (const scope of ranges) {
        // (A source cited twice would be looked up twice, its claims taking two places each in the
        // top three; and a line of a thousand citations of one source a thousand times.)
        const id = `${scope.paragraph ?? 0}-${scope.last ?? ''} ${c.key}`;
        if (seen.has(id)) continue;
        seen.add(id);
        scopes.push(scope);
      }
    }
  }
  return scopes;
}

function toSuggestion(s: ScoredClaim): Suggestion {
  return { key: s.claim.sourceKey, locator: `para. ${s.claim.paragraph}`, claimId: s.claim.id, text: s.claim.text, score: s.score };
}

interface Conflict {
  memo: NumberMention | undefined;
  memoText: string;
  sourceText: string;
  /** Where the claim's figure is in its text. */
  sourceAt: number;
  start?: number;
  end?: number;
}

/** The first figure of the sentence that the claim contradicts and nothing in it confirms. */
function firstConflict(numbers: NumberMention[], years: number[], claim: Claim): Conflict | undefined {
  for (const n of numbers) {
    let contradicted: NumberMention | undefined;
    let confirmed = false;
    for (const m of claim.numbers) {
      const same = compareFigures(n, m);
      if (same === true) confirmed = true;
      else if (same === false) contradicted ??= m;
    }
    if (!confirmed && contradicted) return { memo: n, memoText: asWritten(n.text), sourceText: contradicted.text, sourceAt: contradicted.start, start: n.start, end: n.end };
  }
  const paired = pairedYear(years, claim.years);
  if (paired) return { memo: undefined, memoText: String(paired.written[0]), sourceText: String(paired.given), sourceAt: yearIn(claim, paired.given) };
  return undefined;
}

/** Where a year is written in a claim's text (its end when it is not, as written out). */
function yearIn(claim: Claim, year: number): number {
  const at = claim.text.search(new RegExp(`(?<!\\d)${year}(?!\\d)`));
  return at < 0 ? claim.text.length : at;
}

/**
 * The claim's year that the sentence's other years stand in for: with one year in the claim, the
 * sentence's years when it does not have that one ("in 2005" where the claim says 2006); with
 * more, the one year of each side that the other lacks, when they share one ("rejoined in 2005
 * after leaving in 1999" where it says "in 2006 after leaving in 1999").
 */
function pairedYear(years: readonly number[], claimYears: readonly number[]): { given: number; written: number[] } | undefined {
  if (claimYears.length === 0 || years.length === 0) return undefined;
  const written = [...new Set(years.filter((x) => !claimYears.includes(x)))];
  if (written.length === 0) return undefined;
  if (claimYears.length === 1) return years.includes(claimYears[0]) ? undefined : { given: claimYears[0], written };
  const missing = [...new Set(claimYears.filter((y) => !years.includes(y)))];
  const shared = years.some((x) => claimYears.includes(x));
  return shared && missing.length === 1 && written.length === 1 ? { given: missing[0], written } : undefined;
}

/** The claims of other paragraphs of a source cited by paragraph that confirm a figure (see checkSentence). */
type Elsewhere = (key: string, confirms: (claim: Claim) => boolean) => Suggestion[];

/** " golts2012, para. 7 has it." when other paragraphs have the figure. */
function elsewhereNote(elsewhere: Suggestion[]): string {
  return elsewhere.length ? ` ${elsewhere.map((e) => `${e.key}, ${e.locator}`).join('; ')} ${elsewhere.length === 1 ? 'has' : 'have'} it.` : '';
}

function checkNumbers(
  sentence: DraftSentence,
  masked: string,
  numbers: NumberMention[],
  years: number[],
  dates: DateMention[],
  months: BareMonth[],
  support: ScoredClaim[],
  elsewhere: Elsewhere,
  emit: Emit,
  /** The sentence's actor that a claim's figure is not about (see otherActor). */
  swapped: (claim: Claim, at: number) => string | undefined,
): void {
  if (numbers.length === 0 && years.length === 0 && months.length === 0) return;
  const top = support.slice(0, 3).filter((s) => s.score >= 0.2);
  const best = top[0];
  if (!best) return;
  // A figure any of the top claims confirms is fine; otherwise the best claim with a figure of the
  // same kind says what the source has.
  for (const n of numbers) {
    if (top.some((s) => s.claim.numbers.some((m) => sameQuantity(n, m) === true))) continue;
    let contradicted: NumberMention | undefined;
    const by = top.find((s) => (contradicted = s.claim.numbers.find((m) => compareFigures(n, m) === false)) !== undefined);
    if (!by || !contradicted) continue;
    const others = elsewhere(by.claim.sourceKey, (claim) => claim.numbers.some((m) => sameQuantity(n, m) === true));
    // The source's figure of another actor is no figure for this one: said so, and not offered
    // as the fix.
    const swap = swapped(by.claim, contradicted.start);
    const of = swap ? `, in a sentence that does not name ${swap}` : '';
    emit('number-mismatch', {
      start: sentence.start + n.start,
      end: sentence.start + n.end,
      message: `"${asWritten(n.text)}" disagrees with the cited source: ${by.claim.sourceKey}, para. ${by.claim.paragraph} says ${formatNumber(contradicted)}${of}.${elsewhereNote(others)}`,
      suggestions: [toSuggestion(by), ...others],
      data: swap ? { claimId: by.claim.id, elsewhere: others.length } : { sourceFigure: contradicted.text, claimId: by.claim.id, elsewhere: others.length },
    });
  }
  const paired = best.score >= 0.3 ? pairedYear(years, best.claim.years) : undefined;
  if (paired) {
    const { given: y, written } = paired;
    const yearAt = (year: number): number => masked.search(new RegExp(`\\b${year}\\b`));
    for (const other of written) {
      if (support.slice(0, 3).some((s) => s.claim.years.includes(other))) continue;
      const at = yearAt(other);
      if (at < 0) continue;
      const others = elsewhere(best.claim.sourceKey, (claim) => claim.years.includes(other));
      const swap = swapped(best.claim, yearIn(best.claim, y));
      const of = swap ? `, in a sentence that does not name ${swap}` : '';
      emit('number-mismatch', {
        start: sentence.start + at,
        end: sentence.start + at + String(other).length,
        message: `${other} disagrees with the cited source: ${best.claim.sourceKey}, para. ${best.claim.paragraph} gives ${y}${of}.${elsewhereNote(others)}`,
        suggestions: [toSuggestion(best), ...others],
        data: swap ? { claimId: best.claim.id, elsewhere: others.length } : { sourceFigure: String(y), claimId: best.claim.id, elsewhere: others.length },
      });
    }
  }
  // A month named without a year ("the summit in November") where the best claim dates the event
  // in another month ("At the CSTO summit in December", "on 2 July 2012"): only when the claim
  // gives one month and the sentence does not name that one too.
  const monthly = months.length > 0 && best.score >= 0.3 ? best.claim.dates.filter((d) => d.month !== undefined && !d.relative) : [];
  if (monthly.length === 1 && !dates.some((d) => d.month === monthly[0].month) && !months.some((m) => m.month === monthly[0].month)) {
    const [given] = monthly;
    const gives = (month: number) => (claim: Claim): boolean => claim.dates.some((d) => d.month === month && !d.relative);
    for (const m of months) {
      if (support.slice(0, 3).some((s) => gives(m.month)(s.claim))) continue;
      const others = elsewhere(best.claim.sourceKey, gives(m.month));
      emit('number-mismatch', {
        start: sentence.start + m.start,
        end: sentence.start + m.end,
        message: `"${m.text}" disagrees with the cited source: ${best.claim.sourceKey}, para. ${best.claim.paragraph} gives ${given.text}.${elsewhereNote(others)}`,
        suggestions: [toSuggestion(best), ...others],
        data: { sourceFigure: monthName(given.month as number), claimId: best.claim.id, elsewhere: others.length },
      });
    }
  }
  // A month (or day) of the year that the best claim dates otherwise: "in June 2012" where it says
  // "on 2 July 2012". Only dates written out on both sides (not "two weeks ago", not "mid-2012"),
  // and only when the claim gives one such date.
  const exact = (d: DateMention): boolean => d.month !== undefined && !d.relative && !d.approximate;
  const sourceDates = best.score >= 0.3 ? best.claim.dates.filter(exact) : [];
  if (sourceDates.length !== 1) return;
  const [given] = sourceDates;
  for (const d of dates) {
    if (!exact(d) || d.year !== given.year) continue;
    const agrees = (x: DateMention): boolean => x.year === d.year && x.month === d.month && (d.day === undefined || x.day === undefined || x.day === d.day);
    if (agrees(given) || support.slice(0, 3).some((s) => s.claim.dates.some(agrees))) continue;
    const others = elsewhere(best.claim.sourceKey, (claim) => claim.dates.some(agrees));
    emit('number-mismatch', {
      start: sentence.start + d.start,
      end: sentence.start + d.end,
      message: `"${asWritten(d.text)}" disagrees with the cited source: ${best.claim.sourceKey}, para. ${best.claim.paragraph} gives ${given.text}.${elsewhereNote(others)}`,
      suggestions: [toSuggestion(best), ...others],
      data: { sourceFigure: given.text, claimId: best.claim.id, elsewhere: others.length },
    });
  }
}

/**
 * The sentence's actor that a claim's figures are not about, when the claim speaks of another:
 * the sentence's first actor named (its subject, mostly) is not among the claim's, and the claim
 * names before the figure an actor of the same type that the sentence does not name
 * ("Kyrgyzstan … $150 million" against "Tajikistan said it would hike the annual rent … to $230
 * million").
 */
function otherActor(mentions: ActorMention[], claim: Claim, figureAt: number, index: ClaimIndex): string | undefined {
  const first = mentions.find((m) => !m.viaPronoun);
  if (!first || claim.actors.includes(first.actor)) return undefined;
  const type = index.registry.get(first.actor)?.type;
  if (!type) return undefined;
  for (const m of index.registry.findMentions(claim.text)) {
    if (m.start >= figureAt) break;
    if (!m.viaPronoun && index.registry.get(m.actor)?.type === type && !mentions.some((x) => x.actor === m.actor)) return first.actor;
  }
  return undefined;
}

/** Below this, the best claim of a cited paragraph says little of what the sentence states (see checkLocators). */
const WEAK_SUPPORT = 0.2;
/** At least this, and this much more than the cited paragraph's, another paragraph's claim says it. */
const STRONG_SUPPORT = 0.35;
const SUPPORT_MARGIN = 0.2;

/**
 * A paragraph locator pointing away from what a statement of fact says: the cited paragraphs'
 * best claim shares little with the sentence (below WEAK_SUPPORT) while another paragraph of the
 * same source says it (STRONG_SUPPORT, and SUPPORT_MARGIN better): "The CSTO summit in December
 * gave Moscow a veto [@golts2012, para. 9]" where para. 10 tells of the summit. The best other
 * paragraph is named, and the quick fix changes the locator to it. `support`: the
 * sentence's best claims in each cited scope (those of checkSentence); out-of-range locators
 * have a rule of their own.
 */
function checkLocators(groups: CitationGroup[], support: ScoredClaim[], prepared: SupportSentence, index: ClaimIndex, emit: Emit): void {
  const seen = new Set<string>();
  for (const group of groups) {
    for (const c of group.citations) {
      const source = index.source(c.key);
      const ranges = source ? citedParagraphRanges(c) : undefined;
      if (!source || !ranges) continue;
      const count = source.paragraphs.length;
      if (ranges.some(([first]) => first < 1 || first > count)) continue;
      const id = `${c.key} ${ranges.join(' ')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const cites = (paragraph: number): boolean => ranges.some(([first, last]) => paragraph >= first && paragraph <= last);
      let here = 0;
      for (const s of support) if (s.claim.sourceKey === c.key && cites(s.claim.paragraph)) here = Math.max(here, s.score);
      if (here >= WEAK_SUPPORT) continue;
      const best = index.bestSupport(prepared, { keys: [c.key], limit: 6, minScore: STRONG_SUPPORT }).find((s) => !cites(s.claim.paragraph));
      if (!best || best.score < here + SUPPORT_MARGIN) continue;
      const better = toSuggestion(best);
      const cited = ranges.map(([first, last]) => (last > first ? `${first}-${last}` : `${first}`)).join(', ');
      emit('locator-mismatch', {
        start: c.start,
        end: c.end,
        message: `${c.key}, ${ranges.length === 1 && ranges[0][1] === ranges[0][0] ? 'para.' : 'paras.'} ${cited} ${ranges.length === 1 && ranges[0][1] === ranges[0][0] ? 'says' : 'say'} little of what this sentence states; ${better.key}, ${better.locator} says it.`,
        suggestions: [better],
        data: { cited: here },
      });
    }
  }
}

/** A month's full name, capitalised: the cheap test before bareMonths. */
const MONTH_NAME = /\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/;

/**
 * Text of the masked sentence (a figure, a quotation) as a message quotes it: its blanks (markup
 * and character references blanked, "$250 **million**", "$250&nbsp;million") one space.
 */
function asWritten(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * A figure that the paragraphs cited give nothing like (no figure of its kind) while another
 * paragraph of a cited source gives it: the locator is what is wrong ("$230 million" cited to
 * para. 7 of a source whose para. 2 has it). Only when every citation names a paragraph, and
 * only amounts, counts and percentages: years run through whole articles, and a figure found
 * nowhere else may be the memo's own arithmetic.
 */
function checkFiguresElsewhere(sentence: DraftSentence, numbers: NumberMention[], scopes: Scope[], support: ScoredClaim[], index: ClaimIndex, elsewhere: Elsewhere, emit: Emit): void {
  if (scopes.some((s) => s.paragraph === undefined)) return;
  const comparable = (n: NumberMention, claim: Claim): boolean => claim.numbers.some((m) => compareFigures(n, m) !== undefined);
  let cited: Claim[] | undefined;
  for (const n of numbers) {
    // (The cited claims that support the sentence best first: most figures are found there.)
    if (support.some((s) => comparable(n, s.claim))) continue;
    cited ??= scopes.flatMap((s) => {
      const claims: Claim[] = [];
      for (let p = s.paragraph as number; p <= (s.last ?? (s.paragraph as number)); p++) claims.push(...index.claimsOf(s.key, p));
      return claims;
    });
    if (cited.some((c) => comparable(n, c))) continue;
    const confirms = (claim: Claim): boolean => claim.numbers.some((m) => sameQuantity(n, m) === true);
    for (const scope of scopes) {
      const others = elsewhere(scope.key, confirms);
      if (others.length === 0) continue;
      emit('number-mismatch', {
        start: sentence.start + n.start,
        end: sentence.start + n.end,
        message: `"${asWritten(n.text)}" is not in the cited paragraph: ${scope.key}, ${scopeLocator(scope)} ${scope.last === undefined ? 'gives' : 'give'} no such figure.${elsewhereNote(others)}`,
        suggestions: others,
        data: { elsewhere: others.length },
      });
      break;
    }
  }
}

/** Letters and digits only, words separated by one space: tolerant of quotes, case and spacing. */
export function normalizeForQuote(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .replace(/'/g, '')
    .trim();
}

function checkQuotes(sentence: DraftSentence, masked: string, scopes: Scope[], index: ClaimIndex, emit: Emit): void {
  // Only quotations closed within the sentence can be checked (the span sits between its marks),
  // which needs an opening mark.
  if (!masked.includes('"') && !masked.includes('“')) return;
  const quotes = extractQuotes(masked).filter(
    (q) => q.text.trim().split(/\s+/).length >= 3 && OPENING_QUOTE.test(masked[q.start - 1] ?? '') && CLOSING_QUOTE.test(masked.slice(q.end, q.end + 2)),
  );
  if (quotes.length === 0) return;
  const haystacks = scopes.map((s) => quoteHaystack(s, index));
  // (Each speaker compared reads the cited claims: a sentence of a thousand quotations reads them a few times only.)
  let speakers = 0;
  for (const q of quotes) {
    const parts = q.text.split(/…|\.\s?\.\s?\./).map(normalizeForQuote).filter(Boolean);
    if (parts.length === 0) continue;
    const found = haystacks.some((h) => containsInOrder(h, parts));
    const qStart = q.start - 1;
    // The span may stop before a comma that precedes the closing mark ("…region," he said).
    const qEnd = q.end + (CLOSING_QUOTE.exec(masked.slice(q.end, q.end + 2))?.[0].length ?? 1);
    if (found) {
      if (q.speaker !== undefined && speakers++ < MAX_SPEAKERS) checkSpeaker(sentence.start + qStart, sentence.start + qEnd, q.speaker, parts[0], scopes, index, emit);
      continue;
    }
    const where = scopes.map((s) => `${s.key}${s.paragraph ? `, ${scopeLocator(s)}` : ''}`).join('; ');
    const elsewhere = quotedElsewhere(scopes, parts, index);
    const shown = asWritten(q.text);
    emit('quote-not-in-source', {
      start: sentence.start + qStart,
      end: sentence.start + qEnd,
      message: `Quotation not found in the cited source (${where}): "${shown.length > 80 ? `${shown.slice(0, 77)}…` : shown}".${elsewhereNote(elsewhere)}`,
      suggestions: elsewhere,
    });
  }
}

/**
 * A date relative to the writer's present ("two weeks ago", "last year") in a sentence that cites
 * a dated source: the source's words count from its date, the memo's from its own date (its front
 * matter's `date:`), or else from whenever it is read (see relativeDates). Read from the first
 * cited source that has a date; a phrase that stands for the same date from both is fine. A
 * quotation's words are the speaker's and stay as they are.
 */
function checkRelativeDates(draft: Draft, sentence: DraftSentence, masked: string, scopes: Scope[], index: ClaimIndex, emit: Emit): void {
  if (!mayHoldRelativeDate(masked)) return;
  const scope = scopes.find((s) => index.source(s.key)?.meta.date !== undefined);
  const date = scope && index.source(scope.key)?.meta.date;
  if (!scope || !date) return;
  const found = relativeDates(masked, date);
  if (found.length === 0) return;
  const memoDate = memoDateOf(draft);
  const fromMemo = memoDate ? relativeDates(masked, memoDate) : [];
  const quoted = masked.includes('"') || masked.includes('“') ? extractQuotes(masked) : [];
  const source = `the date of ${scope.key} (${writtenArticleDate(date)})`;
  // (Phrases, quotations and the phrases read from the memo's date all come in text order: one
  // pointer walks each, so a sentence of thousands of them costs linear time.)
  let q = 0;
  let m = 0;
  for (const r of found) {
    while (q < quoted.length && quoted[q].end <= r.start) q++;
    if (q < quoted.length && quoted[q].start < r.end) continue;
    const shown = `"${asWritten(r.text)}"`;
    let message = `${shown} counts from whenever the memo is read, not from ${source}, where it is ${r.date}.`;
    if (memoDate) {
      while (m < fromMemo.length && fromMemo[m].start < r.start) m++;
      const own = fromMemo[m]?.start === r.start && fromMemo[m].end === r.end ? fromMemo[m] : undefined;
      if (own && own.date === r.date) continue;
      message = own
        ? `${shown} is ${own.date} from the memo's date (${writtenArticleDate(memoDate)}), but ${r.date} from ${source}.`
        : `${shown} counts from the memo's date (${writtenArticleDate(memoDate)}), not from ${source}, where it is ${r.date}.`;
    }
    emit('relative-date', {
      start: sentence.start + r.start,
      end: sentence.start + r.end,
      message,
      suggestions: [],
      ...(r.replacement !== undefined ? { data: { replacement: r.replacement } } : {}),
    });
  }
}

/** The quotations of one sentence whose speakers are compared with the source's. */
const MAX_SPEAKERS = 8;

/** Speakers that name no one: the quotation's speaker is then unknown. */
const PRONOUN_SPEAKER = /^(?:he|she|they|it|we|i|you)$/i;

/**
 * A quotation the cited source has, which the memo gives to a person ("Putin said that such a
 * price "is not acceptable for us"") while the source gives it to someone the memo's speaker
 * is not ("a senior Russian official"). Only when the memo's speaker names a person the
 * registry knows, the source names its speaker (not "he"), and that speaker neither names the
 * same person nor contains the words the memo names them by; or when the words are the source
 * author's own (in no quotation of a claim that names the memo's speaker). A memo giving the
 * words to the source's author is left alone (they quote them). `first`: the quotation's first part,
 * normalised for quote matching.
 */
function checkSpeaker(start: number, end: number, speaker: string, first: string, scopes: Scope[], index: ClaimIndex, emit: Emit): void {
  const people = index.registry.findMentions(speaker).filter((m) => !m.viaPronoun && index.registry.get(m.actor)?.type === 'person');
  if (people.length === 0) return;
  // The first place in the cited scopes that gives the words to someone else; none is flagged if
  // any place gives them to the memo's speaker, or to no one known ("he said").
  let other: { claim: Claim; message: string; speaker: string } | undefined;
  for (const scope of scopes) {
    const source = index.source(scope.key);
    if (!source) continue;
    if (source.meta.authors.some((a) => a.family && speaker.includes(a.family))) return;
    const author = source.meta.authors[0]?.family;
    const last = scope.paragraph === undefined ? source.paragraphs.length : (scope.last ?? scope.paragraph);
    for (let p = scope.paragraph ?? 1; p <= last; p++) {
      for (const claim of index.claimsOf(scope.key, p)) {
        let quoted = false;
        for (const quote of claim.quotes) {
          if (!normalizeForQuote(quote.text).includes(first)) continue;
          quoted = true;
          if (quote.speaker === undefined || PRONOUN_SPEAKER.test(quote.speaker)) return;
          const theirs = index.registry.findMentions(quote.speaker).map((m) => m.actor);
          const lower = quote.speaker.toLowerCase();
          if (people.some((m) => theirs.includes(m.actor) || lower.includes(m.text.toLowerCase()))) return;
          other ??= { claim, message: `gives these words to ${quote.speaker}, not to ${people[0].text}`, speaker: quote.speaker };
        }
        // Words of the author's own prose, outside any quotation, in a claim that names no one the memo does.
        if (!quoted && normalizeForQuote(claim.text).includes(first)) {
          if (!author || people.some((m) => claim.actors.includes(m.actor))) return;
          other ??= { claim, message: `has these words in ${author}'s own text, not as ${people[0].text}'s`, speaker: author };
        }
      }
    }
  }
  if (!other) return;
  const { claim } = other;
  emit('quote-misattributed', {
    start,
    end,
    message: `${claim.sourceKey}, para. ${claim.paragraph} ${other.message}.`,
    suggestions: [{ key: claim.sourceKey, locator: `para. ${claim.paragraph}`, claimId: claim.id, text: claim.text, score: 1 }],
    data: { speaker: other.speaker },
  });
}

/**
 * The other paragraphs of the sources cited with a paragraph that hold a quotation (its parts in
 * order): the locator may be what is wrong. One suggestion each, the claim of the paragraph that
 * holds the quotation's first part (or its first claim).
 */
function quotedElsewhere(scopes: Scope[], parts: string[], index: ClaimIndex): Suggestion[] {
  const out: Suggestion[] = [];
  for (const scope of scopes) {
    if (scope.paragraph === undefined) continue;
    const source = index.source(scope.key);
    // (The whole source first: most quotations not in the cited paragraph are in none.)
    if (!source || !containsInOrder(quoteHaystack({ key: scope.key }, index), parts)) continue;
    for (const p of source.paragraphs) {
      if (inScope(scope, p.index) || out.length >= 3 || !containsInOrder(quoteHaystack({ key: scope.key, paragraph: p.index }, index), parts)) continue;
      const claims = index.claimsOf(scope.key, p.index);
      const claim = claims.find((c) => normalizeForQuote(c.text).includes(parts[0])) ?? claims[0];
      if (claim && !out.some((o) => o.claimId === claim.id)) out.push({ key: scope.key, locator: `para. ${p.index}`, claimId: claim.id, text: claim.text, score: 1 });
    }
  }
  return out;
}

function containsInOrder(haystack: string, parts: string[]): boolean {
  let from = 0;
  for (const part of parts) {
    const at = haystack.indexOf(` ${part} `, from);
    const loose = at === -1 ? haystack.indexOf(part, from) : at;
    if (loose === -1) return false;
    from = loose + part.length;
  }
  return true;
}

/**
 * For a sentence put as plain fact, without an attribution: hedged or recommending sentences
 * already mark themselves (the caller checks both).
 */
function checkAttribution(sentence: DraftSentence, plain: string, support: ScoredClaim[], index: ClaimIndex, emit: Emit, givesFigure: (claim: Claim) => boolean): void {
  const best = support[0];
  if (!best || best.score < 0.3) return;
  const kind = best.claim.kind;
  if (kind !== 'opinion' && kind !== 'prediction') return;
  // A statement of fact of the cited scope that gives the sentence's year or figure, which the
  // opinion does not, is what the sentence reports ("In 1999, Uzbekistan withdrew from the CSTO"
  // beside "…Karimov has used this trick before").
  if (!givesFigure(best.claim) && support.some((s) => s.score >= 0.3 && (s.claim.kind === 'fact' || s.claim.kind === 'quote') && givesFigure(s.claim))) return;
  const source = index.source(best.claim.sourceKey);
  const author = source?.meta.authors[0]?.family;
  if (author && plain.includes(author)) return;
  emit('attribution-needed', {
    start: sentence.start,
    end: sentence.end,
    message: `${best.claim.sourceKey}, para. ${best.claim.paragraph} gives this as ${kind === 'opinion' ? 'the author’s opinion' : 'a prediction'}, not as fact: attribute it (${author ? `"${author} ${kind === 'opinion' ? 'argues' : 'predicts'}…"` : '"According to…"'}) or hedge it.`,
    suggestions: [toSuggestion(best)],
    data: { claimId: best.claim.id, kind },
  });
}

/**
 * `emit` with finding ranges that start or end inside a character reference of the sentence
 * widened to the whole reference: maskMarkup puts the character it stands for at one end.
 */
function widenedToReferences(sentence: DraftSentence, emit: Emit): Emit {
  const references = characterReferences(sentence.raw);
  if (references.length === 0) return emit;
  return (code, f) => {
    let { start, end } = f;
    for (const r of references) {
      const s = sentence.start + r.start;
      const e = sentence.start + r.end;
      if (start > s && start < e) start = s;
      if (end > s && end < e) end = e;
    }
    emit(code, { ...f, start, end });
  };
}

/** What maskMarkup blanks or decodes besides citations and links: escapes, footnote references, `*`, backticks, line ends, character references. */
const MARKUP_TO_MASK = /[\\*`\n\r&]|\[\^|\^\[|[\])]\{/;

/**
 * The sentence's raw text with citations, footnote references, link destinations and Markdown
 * escapes blanked out (same length, so offsets still hold).
 */
export function maskMarkup(draft: Draft, sentence: DraftSentence): string {
  // Most sentences have nothing to mask.
  if (sentence.citations.length === 0 && sentence.links.length === 0 && !MARKUP_TO_MASK.test(sentence.raw)) return sentence.raw;
  const text = draft.text.slice(sentence.start, sentence.end);
  const chars = text.split('');
  const blank = (s: number, e: number): void => {
    for (let i = Math.max(s, sentence.start); i < Math.min(e, sentence.end); i++) chars[i - sentence.start] = ' ';
  };
  for (const g of sentence.citations) blank(g.start, g.end);
  for (const l of sentence.links) {
    const raw = draft.text.slice(l.start, l.end);
    const dest = raw.lastIndexOf('](');
    if (dest !== -1) blank(l.start + dest + 1, l.end);
    else if (raw.startsWith('<')) blank(l.start, l.end);
  }
  // (Blanking writes only spaces, so what the raw text lacks, the blanked text lacks too.)
  if (text.includes('[^')) {
    const raw = chars.join('');
    for (const m of raw.matchAll(/\[\^[^\]\s]{1,100}\]/g)) blank(sentence.start + (m.index ?? 0), sentence.start + (m.index ?? 0) + m[0].length);
  }
  // An inline note's words are not the sentence's (its citations are blanked above).
  if (text.includes('^[')) for (const note of inlineNotes(text)) blank(sentence.start + note.start, sentence.start + note.end);
  if (text.includes('\\')) for (let i = 0; i < chars.length - 1; i++) if (chars[i] === '\\' && /[^\p{L}\p{N}\s]/u.test(chars[i + 1])) chars[i] = ' ';
  // Pandoc attributes, and a bracketed span's brackets (`[never]{.mark}`).
  if (text.includes(']{') || text.includes('){')) {
    for (const mark of attributeMarks(text, 0, text.length)) {
      if (mark.open !== -1) chars[mark.open] = ' ';
      for (let k = mark.start; k < mark.end; k++) chars[k] = ' ';
    }
  }
  // A character reference is the character it stands for, the rest of it blank: "$230&nbsp;million"
  // is 230 million dollars, as the sentence's plain text (micromark's) reads it. The character
  // stays next to the text it belongs with: after a word (`rejoin&rdquo;`) at the reference's
  // start, else at its end (`said &ldquo;we`, `&pound;230`); a finding's range takes in the
  // whole reference (widenedToReferences).
  if (text.includes('&')) {
    for (const { start, end } of characterReferences(text)) {
      if (chars[start] !== '&') continue; // (blanked: in a citation or a link target)
      const decoded = decodeCharacterReference(text.slice(start + 1, end - 1));
      const at = start > 0 && !/\s/.test(chars[start - 1]) ? start : end - decoded.length;
      for (let k = start; k < end; k++) chars[k] = k >= at && k - at < decoded.length ? decoded[k - at] : ' ';
    }
  }
  for (let i = 0; i < chars.length; i++) if (chars[i] === '*' || chars[i] === '`' || chars[i] === '\n' || chars[i] === '\r') chars[i] = ' ';
  return chars.join('');
}
