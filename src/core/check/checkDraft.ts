// checkDraft: the memo's findings against the index. Each rule looks at one sentence (or one
// citation) at a time, so results can be cached per sentence and re-used across edits.
import type { ClaimIndex, ScoredClaim } from '../claimIndex';
import type { CitationGroup, Draft, DraftSentence } from '../draftTypes';
import { extractDates, yearsOf } from '../extract/dates';
import { extractNumbers, formatNumber, sameQuantity } from '../extract/numbers';
import { extractQuotes } from '../extract/quotes';
import type { Claim, Finding, NumberMention, Severity, Suggestion } from '../types';
import { closestKeys } from './closestKeys';
import { severityOf, type RuleCode, type RuleSettings } from './rules';
import { classifyStatement } from './statement';

export interface CheckOptions {
  /** A citation that ends a paragraph covers the paragraph's earlier sentences. */
  paragraphCitations?: boolean;
  rules?: RuleSettings;
  /** Check-worthiness threshold (defaults to the model's). */
  threshold?: number;
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
const PARA_LABEL = /^(para|paras|paragraph|paragraphs|¶|¶¶)\.?$/i;
const ATTRIBUTION = /\b(according to|argues?|argued|writes|wrote|contends?|claims?|claimed|believes?|predicts?|predicted|expects?|warns?|warned|suggests?|says|said|asserts?|in (?:the|his|her) view|notes|noted|maintains?|forecasts?)\b/i;

/** Where a citation points: a source, and a paragraph when the locator names one. */
interface Scope {
  key: string;
  paragraph?: number;
}

/**
 * Per-sentence results kept between checks of one memo. A sentence whose text and context did
 * not change since the last check (same index version, same options) is not checked again, so
 * an edit costs what the changed sentences cost.
 */
export class SentenceCache {
  private entries = new Map<string, CachedSentence>();
  private next = new Map<string, CachedSentence>();

  get(key: string): CachedSentence | undefined {
    const hit = this.entries.get(key);
    if (hit) this.next.set(key, hit);
    return hit;
  }

  set(key: string, value: CachedSentence): void {
    this.next.set(key, value);
  }

  /** Keeps only what the last check used. */
  sweep(): void {
    this.entries = this.next;
    this.next = new Map();
  }

  get size(): number {
    return this.entries.size;
  }
}

interface CachedSentence {
  /** Findings with offsets relative to the sentence start. */
  findings: Finding[];
  factual: boolean;
  sourced: boolean;
}

export function checkDraft(draft: Draft, index: ClaimIndex, options: CheckOptions = {}, cache?: SentenceCache): CheckResult {
  const findings: Finding[] = [];
  const stats: SentenceStats = { factual: 0, sourced: 0 };
  const emitTo =
    (out: Finding[]) =>
    (code: RuleCode, f: Omit<Finding, 'code' | 'severity'>): void => {
      const severity = severityOf(code, options.rules);
      if (severity !== 'off') out.push({ code, severity: severity as Severity, ...f });
    };
  const emit = emitTo(findings);

  for (const group of draft.citations) checkCitationGroup(group, index, emit);

  const coveredByParagraph = options.paragraphCitations ? paragraphCoverage(draft) : new Set<number>();
  const optionsKey = cache ? JSON.stringify([index.version, options.rules ?? null, options.threshold ?? null]) : '';
  for (const sentence of draft.sentences) {
    if (sentence.ignored) continue;
    const covered = coveredByParagraph.has(sentence.index);
    if (!cache) {
      checkSentence(draft, sentence, index, options, covered, stats, emit);
      continue;
    }
    const notes = sentence.footnoteRefs.map((label) => {
      const note = draft.footnotes.get(label);
      return note ? draft.text.slice(note.start, note.end) : '';
    });
    const key = `${optionsKey}\u0000${covered}\u0000${sentence.quoted}\u0000${notes.join('\u0001')}\u0000${sentence.raw}`;
    let entry = cache.get(key);
    if (!entry) {
      const local: Finding[] = [];
      const own: SentenceStats = { factual: 0, sourced: 0 };
      checkSentence(draft, sentence, index, options, covered, own, emitTo(local));
      entry = {
        findings: local.map((f) => ({ ...f, start: f.start - sentence.start, end: f.end - sentence.start })),
        factual: own.factual > 0,
        sourced: own.sourced > 0,
      };
      cache.set(key, entry);
    }
    if (entry.factual) {
      stats.factual++;
      if (entry.sourced) stats.sourced++;
    }
    for (const f of entry.findings) findings.push({ ...f, start: f.start + sentence.start, end: f.end + sentence.start });
  }
  cache?.sweep();
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
  return { findings, stats };
}

type Emit = (code: RuleCode, f: Omit<Finding, 'code' | 'severity'>) => void;

/** "Did you mean" keys per unknown key, kept while the index is unchanged (each re-check asks again). */
const closestByIndex = new WeakMap<ClaimIndex, { version: number; byKey: Map<string, string[]> }>();

function closestKeysOf(key: string, index: ClaimIndex): string[] {
  let entry = closestByIndex.get(index);
  if (!entry || entry.version !== index.version) closestByIndex.set(index, (entry = { version: index.version, byKey: new Map() }));
  let closest = entry.byKey.get(key);
  if (!closest) entry.byKey.set(key, (closest = closestKeys(key, index.keys(), 3)));
  return closest;
}

function checkCitationGroup(group: CitationGroup, index: ClaimIndex, emit: Emit): void {
  for (const c of group.citations) {
    const source = index.source(c.key);
    // Quarto cross-references (@fig-x, @tbl-x, @sec-x, @eq-x) share the citation syntax.
    if (!source && QUARTO_CROSSREF.test(c.key)) continue;
    if (!source) {
      const closest = closestKeysOf(c.key, index);
      emit('unknown-citation-key', {
        start: c.keyStart,
        end: c.keyEnd,
        message: `Unknown citation key "${c.key}": no indexed source has it.${closest.length ? ` Did you mean ${closest.map((k) => `"${k}"`).join(', ')}?` : ' No sources are indexed.'}`,
        suggestions: [],
        data: { closest },
      });
      continue;
    }
    const loc = c.locator;
    if (loc && PARA_LABEL.test(loc.label) && loc.number !== undefined && (loc.number < 1 || loc.number > source.paragraphs.length)) {
      emit('locator-out-of-range', {
        start: c.start,
        end: c.end,
        message: `"${loc.label} ${loc.value}" is out of range: ${c.key} has ${source.paragraphs.length} paragraph${source.paragraphs.length === 1 ? '' : 's'}.`,
        suggestions: [],
        data: { paragraphs: source.paragraphs.length },
      });
    }
  }
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
  const masked = maskMarkup(draft, sentence);
  const plain = sentence.plain;
  const numbers = extractNumbers(masked);
  const years = yearsOf(extractDates(masked), { exactOnly: true });
  const actors = index.registry.findMentions(plain);
  const verdict = classifyStatement(plain, {
    hasActorAndFigure: actors.length > 0 && (numbers.length > 0 || years.length > 0),
    threshold: options.threshold,
  });
  const groups = sourcingGroups(draft, sentence);
  const sourced = groups.length > 0 || sentence.links.length > 0 || footnoteLinks(draft, sentence) || coveredByParagraph;
  if (verdict.factual) {
    stats.factual++;
    if (sourced) stats.sourced++;
  }

  if (!sourced) {
    if (!verdict.factual) return;
    const support = index.bestSupport(plain, { limit: 3, minScore: 0.2 });
    const suggestions = support.map(toSuggestion);
    let message = 'Factual statement without a citation.';
    if (suggestions.length) message += ` Best match: ${suggestions[0].key}, ${suggestions[0].locator}.`;
    else message += ' No indexed source supports it; it still needs a source.';
    const conflict = support[0] && support[0].score >= 0.3 ? firstConflict(numbers, years, support[0].claim) : undefined;
    if (conflict) message += ` Note: ${support[0].claim.sourceKey}, para. ${support[0].claim.paragraph} says ${conflict.sourceText}, not ${conflict.memoText}.`;
    emit('unsourced-claim', { start: sentence.start, end: sentence.end, message, suggestions });
    return;
  }

  const scopes = scopesOf(groups, index);
  if (scopes.length === 0) return;
  const support = scopes.flatMap((s) => index.bestSupport(plain, { keys: [s.key], paragraph: s.paragraph, limit: 3, minScore: 0.05 }));
  support.sort((a, b) => b.score - a.score);

  checkNumbers(sentence, masked, numbers, years, support, emit);
  checkQuotes(sentence, masked, scopes, index, emit);
  checkAttribution(sentence, plain, verdict.factual, support, index, emit);
}

/** Citation groups that source this sentence: its own, and those of footnotes it references. */
function sourcingGroups(draft: Draft, sentence: DraftSentence): CitationGroup[] {
  const groups = [...sentence.citations];
  for (const label of sentence.footnoteRefs) {
    const note = draft.footnotes.get(label);
    if (note) groups.push(...note.citations);
  }
  return groups;
}

function footnoteLinks(draft: Draft, sentence: DraftSentence): boolean {
  return sentence.footnoteRefs.some((label) => (draft.footnotes.get(label)?.links.length ?? 0) > 0);
}

function paragraphCoverage(draft: Draft): Set<number> {
  const covered = new Set<number>();
  for (const p of draft.paragraphs) {
    const last = draft.sentences[p.sentences[p.sentences.length - 1]];
    if (!last || last.citations.length === 0) continue;
    for (const i of p.sentences) covered.add(i);
  }
  return covered;
}

function scopesOf(groups: CitationGroup[], index: ClaimIndex): Scope[] {
  const scopes: Scope[] = [];
  for (const g of groups) {
    for (const c of g.citations) {
      const source = index.source(c.key);
      if (!source) continue;
      const n = c.locator && PARA_LABEL.test(c.locator.label) ? c.locator.number : undefined;
      const paragraph = n !== undefined && n >= 1 && n <= source.paragraphs.length ? n : undefined;
      scopes.push({ key: c.key, paragraph });
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
  start?: number;
  end?: number;
}

/** The first figure of the sentence that the claim contradicts and nothing in it confirms. */
function firstConflict(numbers: NumberMention[], years: number[], claim: Claim): Conflict | undefined {
  for (const n of numbers) {
    let contradicted: NumberMention | undefined;
    let confirmed = false;
    for (const m of claim.numbers) {
      const same = sameQuantity(n, m);
      if (same === true) confirmed = true;
      else if (same === false) contradicted ??= m;
    }
    if (!confirmed && contradicted) return { memo: n, memoText: n.text, sourceText: contradicted.text, start: n.start, end: n.end };
  }
  if (claim.years.length === 1) {
    const [y] = claim.years;
    const other = years.find((x) => x !== y);
    if (other !== undefined && !years.includes(y)) return { memo: undefined, memoText: String(other), sourceText: String(y) };
  }
  return undefined;
}

function checkNumbers(sentence: DraftSentence, masked: string, numbers: NumberMention[], years: number[], support: ScoredClaim[], emit: Emit): void {
  if (numbers.length === 0 && years.length === 0) return;
  const top = support.slice(0, 3).filter((s) => s.score >= 0.2);
  const best = top[0];
  if (!best) return;
  // A figure any of the top claims confirms is fine; otherwise the best claim with a figure of the
  // same kind says what the source has.
  for (const n of numbers) {
    if (top.some((s) => s.claim.numbers.some((m) => sameQuantity(n, m) === true))) continue;
    let contradicted: NumberMention | undefined;
    const by = top.find((s) => (contradicted = s.claim.numbers.find((m) => sameQuantity(n, m) === false)) !== undefined);
    if (!by || !contradicted) continue;
    emit('number-mismatch', {
      start: sentence.start + n.start,
      end: sentence.start + n.end,
      message: `"${n.text}" disagrees with the cited source: ${by.claim.sourceKey}, para. ${by.claim.paragraph} says ${formatNumber(contradicted)}.`,
      suggestions: [toSuggestion(by)],
      data: { sourceFigure: contradicted.text, claimId: by.claim.id },
    });
  }
  if (best.score >= 0.3 && best.claim.years.length === 1) {
    const [y] = best.claim.years;
    const yearAt = (year: number): number => masked.search(new RegExp(`\\b${year}\\b`));
    for (const other of years) {
      if (other === y || years.includes(y) || support.slice(0, 3).some((s) => s.claim.years.includes(other))) continue;
      const at = yearAt(other);
      if (at < 0) continue;
      emit('number-mismatch', {
        start: sentence.start + at,
        end: sentence.start + at + String(other).length,
        message: `${other} disagrees with the cited source: ${best.claim.sourceKey}, para. ${best.claim.paragraph} gives ${y}.`,
        suggestions: [toSuggestion(best)],
        data: { sourceFigure: String(y), claimId: best.claim.id },
      });
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
  // Only quotations closed within the sentence can be checked (the span sits between its marks).
  const quotes = extractQuotes(masked).filter(
    (q) => q.text.trim().split(/\s+/).length >= 3 && OPENING_QUOTE.test(masked[q.start - 1] ?? '') && CLOSING_QUOTE.test(masked.slice(q.end, q.end + 2)),
  );
  if (quotes.length === 0) return;
  const haystacks = scopes.map((s) => {
    const source = index.source(s.key);
    const paragraphs = source ? (s.paragraph ? source.paragraphs.filter((p) => p.index === s.paragraph) : source.paragraphs) : [];
    return { scope: s, text: ` ${normalizeForQuote(paragraphs.map((p) => p.text).join(' '))} ` };
  });
  for (const q of quotes) {
    const parts = q.text.split(/…|\.\s?\.\s?\./).map(normalizeForQuote).filter(Boolean);
    if (parts.length === 0) continue;
    const found = haystacks.some((h) => containsInOrder(h.text, parts));
    if (found) continue;
    const where = scopes.map((s) => `${s.key}${s.paragraph ? `, para. ${s.paragraph}` : ''}`).join('; ');
    const qStart = q.start - 1;
    // The span may stop before a comma that precedes the closing mark ("…region," he said).
    const qEnd = q.end + (CLOSING_QUOTE.exec(masked.slice(q.end, q.end + 2))?.[0].length ?? 1);
    emit('quote-not-in-source', {
      start: sentence.start + qStart,
      end: sentence.start + qEnd,
      message: `Quotation not found in the cited source (${where}): "${q.text.length > 80 ? `${q.text.slice(0, 77)}…` : q.text}".`,
      suggestions: [],
    });
  }
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

function checkAttribution(sentence: DraftSentence, plain: string, factual: boolean, support: ScoredClaim[], index: ClaimIndex, emit: Emit): void {
  const best = support[0];
  if (!best || best.score < 0.3) return;
  const kind = best.claim.kind;
  if (kind !== 'opinion' && kind !== 'prediction') return;
  if (ATTRIBUTION.test(plain)) return;
  const source = index.source(best.claim.sourceKey);
  const author = source?.meta.authors[0]?.family;
  if (author && plain.includes(author)) return;
  // Only statements put as plain fact: hedged or recommending sentences already mark themselves.
  const verdict = classifyStatement(plain, { hasActorAndFigure: true, threshold: 0 });
  if (!verdict.factual && verdict.reason !== 'model') return;
  if (!factual && verdict.reason !== 'model') return;
  emit('attribution-needed', {
    start: sentence.start,
    end: sentence.end,
    message: `${best.claim.sourceKey}, para. ${best.claim.paragraph} gives this as ${kind === 'opinion' ? 'the author’s opinion' : 'a prediction'}, not as fact: attribute it (${author ? `"${author} argues…"` : '"According to…"'}) or hedge it.`,
    suggestions: [toSuggestion(best)],
    data: { claimId: best.claim.id, kind },
  });
}

/**
 * The sentence's raw text with citations, footnote references, link destinations and Markdown
 * escapes blanked out (same length, so offsets still hold).
 */
export function maskMarkup(draft: Draft, sentence: DraftSentence): string {
  const chars = draft.text.slice(sentence.start, sentence.end).split('');
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
  const raw = chars.join('');
  for (const m of raw.matchAll(/\[\^[^\]\s]{1,100}\]/g)) blank(sentence.start + (m.index ?? 0), sentence.start + (m.index ?? 0) + m[0].length);
  for (let i = 0; i < chars.length - 1; i++) if (chars[i] === '\\' && /[^\p{L}\p{N}\s]/u.test(chars[i + 1])) chars[i] = ' ';
  for (let i = 0; i < chars.length; i++) if (chars[i] === '*' || chars[i] === '`' || chars[i] === '\n' || chars[i] === '\r') chars[i] = ' ';
  return chars.join('');
}
