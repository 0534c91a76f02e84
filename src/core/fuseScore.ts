// fuse.js's score of a claim for a query, worked out the way fuse.js 7 works it out for the
// options of claim search (FUSE_OPTIONS: ignoreLocation, threshold 0.4, no extended search), with
// typed arrays and without what it allocates per value. Search uses it to pick, among its
// candidates, the few that fuse.js then ranks (see ClaimIndex.search): fuse.js's bitap costs some
// 100 µs a claim for a query of a few words, and this about a tenth of that. The scores are
// fuse.js's own, to the bit (test/unit/search.test.ts compares them).

/** The longest pattern fuse.js searches whole (longer ones are cut into pieces). */
const FUSE_MAX_PATTERN = 32;

export interface FuseKey {
  /** The claim field's weight as given to fuse.js (it divides each by their sum). */
  weight: number;
}

/** What scoring a claim needs of the query: its pattern (lower-cased) and the pattern's letters. */
export class FusePattern {
  readonly pattern: string;
  /** Per UTF-16 code of the pattern, its bit mask (fuse.js's pattern alphabet); others 0. */
  private readonly alphabet = new Map<number, number>();
  private readonly ascii = new Int32Array(128);

  constructor(
    query: string,
    private readonly threshold: number,
  ) {
    this.pattern = query.toLowerCase();
    const len = this.pattern.length;
    for (let i = 0; i < len; i++) {
      const c = this.pattern.charCodeAt(i);
      const bit = 1 << (len - i - 1);
      if (c < 128) this.ascii[c] |= bit;
      else this.alphabet.set(c, (this.alphabet.get(c) ?? 0) | bit);
    }
  }

  /** Whether this pattern is scored here: fuse.js cuts longer ones into pieces; an empty one matches nothing. */
  get scorable(): boolean {
    return this.pattern.length > 0 && this.pattern.length <= FUSE_MAX_PATTERN;
  }

  /**
   * fuse.js's score of one field value (BitapSearch.searchIn): 0 when the value is the pattern,
   * else the fewest errors of a match over the pattern length (at least 0.001); -1 when it does
   * not match (more errors than the threshold allows) or is blank (fuse.js indexes no blank value).
   */
  score(value: string): number {
    if (value.trim().length === 0) return -1;
    const text = value.toLowerCase();
    if (text === this.pattern) return 0;
    const errors = this.errors(text);
    return errors < 0 ? -1 : Math.max(0.001, errors / this.pattern.length);
  }

  /**
   * fuse.js's bitap (search in bitap/search) with ignoreLocation, so that a score is errors over
   * pattern length wherever the match is: the fewest errors of a match, or -1. The loops are
   * fuse.js's, step for step; only the arrays are typed (every value they hold goes through
   * 32-bit operations in fuse.js too) and kept between calls.
   */
  private errors(text: string): number {
    const pattern = this.pattern;
    const patternLen = pattern.length;
    const textLen = text.length;
    let currentThreshold = this.threshold;
    if (text.indexOf(pattern) > -1) currentThreshold = 0;
    let bestErrors = -1;
    let binMax = patternLen + textLen;
    const mask = 1 << (patternLen - 1);
    const size = patternLen + textLen + 2;
    // (Arrays for a value longer than the ones kept are made for it alone: a source with one huge
    // sentence must not leave megabytes behind.)
    if (buffers[0].length < size && size <= MAX_KEPT) {
      buffers[0] = new Int32Array(Math.min(MAX_KEPT, 2 * size));
      buffers[1] = new Int32Array(Math.min(MAX_KEPT, 2 * size));
    }
    const fits = buffers[0].length >= size;
    let bitArr = fits ? buffers[0] : new Int32Array(size);
    let lastBitArr = fits ? buffers[1] : new Int32Array(size);
    const { ascii, alphabet } = this;
    for (let i = 0; i < patternLen; i++) {
      const score = i / patternLen;
      let binMin = 0;
      let binMid = binMax;
      while (binMin < binMid) {
        if (score <= currentThreshold) binMin = binMid;
        else binMax = binMid;
        binMid = Math.floor((binMax - binMin) / 2 + binMin);
      }
      binMax = binMid;
      const start = Math.max(1, -binMid + 1);
      const finish = Math.min(binMid, textLen) + patternLen;
      bitArr[finish + 1] = (1 << i) - 1;
      for (let j = finish; j >= start; j--) {
        const at = j - 1;
        let charMatch = 0;
        if (at < textLen) {
          const c = text.charCodeAt(at);
          charMatch = c < 128 ? ascii[c] : (alphabet.get(c) ?? 0);
        }
        let bits = ((bitArr[j + 1] << 1) | 1) & charMatch;
        if (i) bits |= (((lastBitArr[j + 1] | lastBitArr[j]) << 1) | 1 | lastBitArr[j + 1]);
        bitArr[j] = bits;
        if (bits & mask && score <= currentThreshold) {
          currentThreshold = score;
          bestErrors = i;
          // (fuse.js stops this pass at a match at the text's start, the last place it looks.)
          if (at <= 0) break;
        }
      }
      if ((i + 1) / patternLen > currentThreshold) break;
      const t = lastBitArr;
      lastBitArr = bitArr;
      bitArr = t;
    }
    return bestErrors;
  }
}

/** The two arrays of bitap's passes (this pass and the last), shared by every pattern. */
const buffers = [new Int32Array(256), new Int32Array(256)];
/** The longest arrays kept between calls (values of up to about 16,000 characters). */
const MAX_KEPT = 1 << 14;

/** fuse.js's field norm of a value (1 / √words, three places), with fuse.js's arithmetic. */
export function fuseNorm(value: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 9 && c <= 13) || c === 32 || c === 160)) {
      if (!inWord) {
        words++;
        inWord = true;
      }
    } else inWord = false;
  }
  if (words === 0) words = 1;
  return Math.round(1000 / Math.pow(words, 0.5)) / 1000;
}

/** One value's factor in fuse.js's score of a document (computeScore). */
export function fuseFactor(score: number, weight: number, norm: number): number {
  return Math.pow(score === 0 && weight ? Number.EPSILON : score, (weight || 1) * norm);
}

/** fuse.js's key weights: each divided by their sum, as its KeyStore does. */
export function fuseWeights(keys: readonly FuseKey[]): number[] {
  let total = 0;
  for (const k of keys) total += k.weight;
  return keys.map((k) => k.weight / total);
}
