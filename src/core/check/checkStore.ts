// A memo's check results kept between sessions (the "check store"): what SentenceCache knows of
// each sentence, written out after a check and read back before the first check of the memo in a
// later session, so that opening a memo whose sentences were checked before against the same
// sources costs its parse and a look-up per sentence, not a check of every sentence.
//
// A stored result is used only where the check would give it again:
// - the store's key fingerprints everything the results depend on besides the memo: the engine
//   build (ENGINE_ID, which covers the model and the gazetteer), the store's format, the indexed
//   sources (key, path and content hash of each), the user's actors (the caller's `context`) and
//   the options that change findings (rules, threshold). Any difference and the store is not read.
// - each result is found by a digest of all that SentenceCache compares: the sentence's raw and
//   plain text, its citations and links relative to it, its footnote references, and its context
//   (paragraph coverage, block quote, the text of its footnotes).
// The file is not trusted: whatever does not have the shape written here is left out, and a
// store that cannot be read is an empty one.
import type { CitationGroup, DraftSentence } from '../draftTypes';
import type { ClaimIndex } from '../claimIndex';
import { isUnreadableSource } from '../deferredSource';
import { ENGINE_ID } from '../sourceCache';
import { isRecord } from '../text';
import type { Finding, Suggestion } from '../types';
import { RULE_CODES, RULE_SEVERITIES } from './rules';

/** Bumped when what is stored, or how a digest is made, changes. */
export const CHECK_STORE_FORMAT = 1;

/** A check store bigger than this is neither read nor written (by the extension or the CLI). */
export const MAX_CHECK_STORE_BYTES = 32 * 1024 * 1024;

/** What is written: JSON. */
export interface StoredChecks {
  format: number;
  key: string;
  /** [digest, flags (1: factual, 2: sourced), findings relative to the sentence start]. */
  entries: StoredEntry[];
}

export type StoredEntry = [digest: string, flags: number, findings: Finding[]];

export const STORED_FACTUAL = 1;
export const STORED_SOURCED = 2;

/** The options of a check that its findings depend on (paragraph coverage is per sentence, in its digest). */
export interface StoreOptions {
  rules?: unknown;
  threshold?: number;
}

/**
 * The key of the results of checks against `index` as it is now with `options`; `context`
 * fingerprints the user's actors (as for SourceCache). Undefined when a source has no content
 * hash (then nothing identifies the index's content, and nothing is stored) or reads as empty
 * because its stored body turned out unreadable.
 */
export function checkStoreKey(index: ClaimIndex, options: StoreOptions, context: string): string | undefined {
  const sources: string[][] = [];
  for (const s of index.allSources()) {
    // (A source whose stored body turned out unreadable reads as empty until parsed again: checks
    // against it are not those of its file, whose hash it has.)
    if (!s.hash || isUnreadableSource(s)) return undefined;
    sources.push([s.key, s.path, s.hash]);
  }
  sources.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return hash64(JSON.stringify([CHECK_STORE_FORMAT, ENGINE_ID, context, options.rules ?? null, options.threshold ?? null, sources]));
}

/** What a sentence's result depends on besides the index and the options (SentenceCache's context less its options). */
export interface DigestContext {
  covered: boolean;
  quoted: boolean;
  notes: string;
  memoDate: string;
}

/** The digest of everything SentenceCache matches a sentence on (see sameSentence and sameContext). */
/** Feeds citation groups, their offsets relative to `base`. */
function feedGroups(h: Hash64, groups: readonly CitationGroup[], base: number): void {
  for (const g of groups) {
    h.int(g.start - base);
    h.int(g.end - base);
    h.int(g.bracketed ? 1 : 0);
    h.int(g.citations.length);
    for (const c of g.citations) {
      h.text(c.key);
      h.int(c.start - base);
      h.int(c.end - base);
      h.int(c.keyStart - base);
      h.int(c.keyEnd - base);
      h.optionalText(c.prefix);
      h.optionalText(c.suffix);
      h.int(c.suppressAuthor ? 1 : 0);
      const l = c.locator;
      h.int(l ? 1 : 0);
      if (l) {
        h.text(l.label);
        h.text(l.value);
        h.optionalText(l.number === undefined ? undefined : String(l.number));
      }
    }
  }
}

export function sentenceDigest(sentence: DraftSentence, context: DigestContext): string {
  // Fed field by field, each string after its length and each list after its count, so that no
  // two different sentences feed the same sequence (and nothing is built to be hashed).
  const h = new Hash64();
  const base = sentence.start;
  h.text(sentence.raw);
  h.text(sentence.plain);
  h.int(sentence.footnoteRefs.length);
  for (const label of sentence.footnoteRefs) h.text(label);
  h.int(sentence.citations.length);
  feedGroups(h, sentence.citations, base);
  h.int(sentence.rowCitations.length);
  feedGroups(h, sentence.rowCitations, base);
  h.int(sentence.links.length);
  for (const l of sentence.links) {
    h.int(l.start - base);
    h.int(l.end - base);
    h.text(l.url);
  }
  h.int(context.covered ? 1 : 0);
  h.int(context.quoted ? 1 : 0);
  h.text(context.notes);
  h.text(context.memoDate);
  return h.digest();
}

/**
 * 64 bits of two independent 32-bit hashes (FNV-1a, and a multiply-rotate hash with murmur3's
 * finaliser) and the count of units fed, as hex: one collision in about 10¹⁹ pairs.
 */
class Hash64 {
  private a = 0x811c9dc5;
  private b = 0x9747b28c;
  private n = 0;

  /** One 16-bit unit (a UTF-16 code unit, or half of an int). */
  private unit(c: number): void {
    this.a = Math.imul(this.a ^ c, 0x01000193);
    let b = Math.imul(this.b ^ c, 0xcc9e2d51);
    b = (b << 15) | (b >>> 17);
    this.b = Math.imul(b, 0x1b873593);
    this.n++;
  }

  int(v: number): void {
    this.unit(v & 0xffff);
    this.unit((v >>> 16) & 0xffff);
  }

  text(s: string): void {
    this.int(s.length);
    for (let i = 0; i < s.length; i++) this.unit(s.charCodeAt(i));
  }

  optionalText(s: string | undefined): void {
    if (s === undefined) this.int(-1);
    else this.text(s);
  }

  digest(): string {
    let b = this.b ^ this.n;
    b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b ^= b >>> 16;
    return (this.a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0') + this.n.toString(16);
  }
}

/** hash64 of a text: for keys and file names. */
export function hash64(text: string): string {
  const h = new Hash64();
  h.text(text);
  return h.digest();
}

/**
 * The entries of a stored check read back, by digest, when `data` is a store of this format with
 * this key; each entry's shape is checked (the file may be damaged), and those that fail are left
 * out. Undefined when the store is not for this key.
 */
export function readCheckStore(data: unknown, key: string): Map<string, StoredEntry> | undefined {
  if (!isRecord(data) || data.format !== CHECK_STORE_FORMAT || data.key !== key || !Array.isArray(data.entries)) return undefined;
  const out = new Map<string, StoredEntry>();
  for (const entry of data.entries as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3) continue;
    const [digest, flags, findings] = entry as unknown[];
    if (typeof digest !== 'string' || typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 3) continue;
    if (!Array.isArray(findings) || !findings.every(isFinding)) continue;
    out.set(digest, [digest, flags, findings as Finding[]]);
  }
  return out;
}

const isOffset = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function isFinding(value: unknown): value is Finding {
  if (!isRecord(value)) return false;
  const { code, severity, start, end, message, suggestions, data } = value;
  if (typeof code !== 'string' || !(RULE_CODES as readonly string[]).includes(code)) return false;
  if (typeof severity !== 'string' || severity === 'off' || !(RULE_SEVERITIES as readonly string[]).includes(severity)) return false;
  if (!isOffset(start) || !isOffset(end) || start > end || typeof message !== 'string') return false;
  if (!Array.isArray(suggestions) || !suggestions.every(isSuggestion)) return false;
  if (data !== undefined) {
    if (!isRecord(data)) return false;
    for (const v of Object.values(data)) {
      if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) continue;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) continue;
      return false;
    }
  }
  return true;
}

function isSuggestion(value: unknown): value is Suggestion {
  if (!isRecord(value)) return false;
  const { key, locator, claimId, text, score } = value;
  return typeof key === 'string' && typeof locator === 'string' && typeof claimId === 'string' && typeof text === 'string' && typeof score === 'number' && Number.isFinite(score);
}
