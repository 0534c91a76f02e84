// The fast paths of source parsing (issue 6) against straightforward reference implementations:
// each gate, table or hand-written scanner must give exactly what the code it short-cuts gives.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { tokenize as actorTokens } from '../../src/core/actors';
import { datesWithoutArticleDate, extractDates, extractDatesUngated, tokenize as dateTokens } from '../../src/core/extract/dates';
import { extractNumbers, extractNumbersUngated } from '../../src/core/extract/numbers';
import { ABBREVIATIONS, afterReferenceMarks, endsWithAbbreviation, splitSentences, startsLikeContinuation } from '../../src/core/sentences';
import { parseSimpleYaml } from '../../src/core/source';
import { attributesEnd, characterReferenceEnd, commentEnd, decodeCharacterReference, footnoteReferenceEnd, htmlTagEnd, imageEnd, inlineNotes, isEmphasisUnderscore, isSpacingTag, isSpaceCode, lowerCaseWord, narrowSlice, opensInlineLink, plainFromMarkdown, supMarkEnd, type MappedText } from '../../src/core/text';
import type { Span } from '../../src/core/types';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Words and marks the extractors care about, mixed with noise, to build sentence-like text. */
const SENTENCE_PIECES = [
  ' ', ' ', ' ', ',', '.', '-', '–', '—', "'", '’', '‘', '"', '“', '”', '$', '€', '£', '%', '+', '/', ':', '[', ']', '@', '(', ')',
  '0', '1', '2', '9', '16', '30', '90', '100', '1,000', '2.5', '1999', '2012', '2012-07-16', '1990s', '230', '3,000', '10,000',
  'a', 'an', 'A', 'the', 'The', 'in', 'In', 'since', 'last', 'next', 'this', 'Last', 'ago', 'year', 'years', 'month', 'week', 'weeks',
  'day', 'days', 'decade', 'yesterday', 'today', 'Tomorrow', 'few', 'several', 'many', 'couple', 'of', 'early', 'late', 'mid',
  'January', 'May', 'March', 'July', 'Dec', 'Sept', 'june', 'Monday', 'st', 'th', 's',
  'one', 'One', 'two', 'ten', 'twelve', 'twenty', 'twenty-five', 'ninety-nine', 'hundred', 'thousand', 'million', 'billion',
  'bn', 'm', 'k', 'dozen', 'dozens', 'hundreds', 'thousands', 'tens', 'half', 'tenfold', 'ten-fold', 'hundredfold', 'doubled',
  'halved', 'ten-year', 'five-member', 'percent', 'per', 'cent', 'percentage', 'points', 'times', 'more', 'than', 'as', 'much',
  'about', 'around', 'nearly', 'over', 'up', 'to', 'at', 'least', 'some', 'and', 'or', 'so', 'between', 'from',
  'estimated', 'an estimated', 'An', 'About', 'just', 'well', 'close', 'upwards', 'fewer', 'little', 'a few', 'A$',
  'US', 'U', 'S', 'C', 'USD', 'EUR', 'dollars', 'euros', 'pounds', 'sterling', 'troops', 'soldiers', 'soldier', 'people',
  'Russian', 'km', 'square', 'miles', 'para', 'Article', 'No', 'page', '§', '#', 'S-300', 'COVID-19', 'G20', 'x', 'X',
  'é', 'Ürümqi', '😀', 'said', 'Karimov',
  // Whole phrases, so that rarer rules fire often enough.
  'two weeks ago', 'a few days ago', 'a couple of weeks ago', 'yesterday', 'today', '3 months ago', 'a year ago', 'several decades ago', 'last year', 'next month', 'this week',
  'C$5', 'A$10', 'US$ 3', 'US$2bn', 'half a million', 'a dozen', 'a hundred', 'several hundred', 'tens of thousands of',
  'July 16, 2012', '16 July 2012', '16th of July', 'in December', 'last December', '’90s', 'the late 1980s', '1999–2001',
];
const sentence = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(...SENTENCE_PIECES), weight: 8 }, { arbitrary: fc.string({ maxLength: 4 }), weight: 1 }), {
    maxLength: 30,
  })
  .map((parts) => parts.join(''));
const spacedSentence = fc.array(fc.constantFrom(...SENTENCE_PIECES), { maxLength: 30 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(sentence, spacedSentence);
const articleDate = fc.constantFrom(undefined, '2012', '2012-07', '2012-07-16', '2012-01-01', '2011-12-31', 'garbage');

// The actor tokenizer now runs exec on one shared regex instead of matchAll: the matches must not change.
const ACTOR_TOKEN_RE = /[\p{L}\p{N}]+(?:[.'’\-][\p{L}\p{N}]+)*\.?/gu;

function referenceActorTokens(text: string): { text: string; norm: string; start: number; end: number }[] {
  return [...text.matchAll(ACTOR_TOKEN_RE)].map((m) => {
    // Possessive and sentence-final dot removed, as the tokenizer did with regular expressions.
    let norm = m[0].replace(/['’]s\.?$/u, '');
    if (norm.endsWith('.')) norm = norm.slice(0, -1);
    return { text: m[0], norm, start: m.index, end: m.index + m[0].length };
  });
}

// The dates tokenizer scans character codes instead of running this regex.
const DATE_TOKEN_RE =
  /\d+(?:,\d{3}(?!\d))*(?:\.\d+)?|[A-Za-z\u00C0-\u024F]+(?:['’\-‐‑][A-Za-z\u00C0-\u024F]+)*|[^\s"“”„«»@*_~^&=<>|\\{}`]/gu;

function referenceDateTokens(text: string): { text: string; lower: string; kind: string; start: number; end: number }[] {
  return [...text.matchAll(DATE_TOKEN_RE)].map((m) => {
    const t = m[0];
    const c = t.charCodeAt(0);
    const letter = ((c | 32) >= 97 && (c | 32) <= 122) || (c >= 0xc0 && c <= 0x24f);
    const kind = c >= 48 && c <= 57 ? 'num' : letter ? 'word' : 'sym';
    return { text: t, lower: letter ? t.toLowerCase() : t, kind, start: m.index, end: m.index + t.length };
  });
}

/** Text over the characters the tokenizer treats specially, including astral and lone surrogates. */
const TOKENIZER_PIECES = [
  '1,000,000', '12,34', '1,2345', '3.14', '2,500.75', '10,000-strong', "o'clock", 'ten-year', '‐', '‑', 'Ğ', 'ŀ', 'Ɏ', 'ɐ',
  "Russia's.", 'Moscow’s', "s's", "'s", 's.',
  'a', 'Z', 'é', 'ß', 'Ω', 'ж', '中', 'ǅ', '×', '÷', 'ɏ', 'ɐ', '١', '²', '½', '0', '9', '1,000', '1,0000', '1.5', '1.', ',', '.', "'", '’',
  '-', '‐', '‑', '–', ' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', '\u200b', '"', '“', '”', '„', '«', '»', '@', '*', '_', '~',
  '^', '&', '=', '<', '>', '|', '\\', '{', '}', '`', '$', '%', '😀', '𝐀', '𝟙', '\ud83d', '\ude00', '\ud835', 'U.S.', "Russia's",
];
const tokenizerText = fc.oneof(
  fc.array(fc.constantFrom(...TOKENIZER_PIECES), { maxLength: 40 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  anyText,
);

describe('parse fast paths = reference', () => {
  it('isSpaceCode = /\\s/ on every UTF-16 unit', () => {
    for (let c = 0; c < 0x10000; c++) assert.equal(isSpaceCode(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
  });

  it('splitSentences = the regex-per-character version', () => {
    const prose = fc.array(
      fc.oneof(
        { arbitrary: fc.constantFrom(...SENTENCE_PIECES, '. ', '.', '! ', '? ', '…', '‽', '."', '.”', ".' ", ')', ']', '»', '\n', '\n\n', '\n \n', '.» ', '?) ', '!] ', '.’ ', '…" ',
          ' \u00a0', '\u2028', 'Mr. ', 'U.S. ', 'J. ', 'etc. ', 'e.g. ', 'al. ', 'The ', 'He ', 'however', 'x', 'Ω', 'ω', '😀', '\ud83d',
          '[1]', '[12, 13]', '[', '¹', '<sup>2</sup>', '<sup>'), weight: 9 },
        { arbitrary: fc.string({ maxLength: 4 }), weight: 1 },
      ),
      { maxLength: 40 },
    ).map((p) => p.join(''));
    fc.assert(
      fc.property(prose, fc.nat(5), fc.nat(5), (text, a, b) => {
        assert.deepStrictEqual(splitSentences(text), referenceSplitSentences(text));
        const from = Math.min(a, text.length);
        const to = Math.max(from, text.length - b);
        assert.deepStrictEqual(splitSentences(text, from, to), referenceSplitSentences(text, from, to));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('endsWithAbbreviation = the regex-per-character version', () => {
    const segment = fc
      .array(fc.constantFrom(...TOKENIZER_PIECES, 'Mr', 'etc', 'e.g', 'U.S', 'Jan', 'al', 'No', 'J', 'x', '.', ' ', '.', '\u00a0', '1980s', 'ß.'), { maxLength: 12 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(segment, (text) => {
        assert.equal(endsWithAbbreviation(text), referenceEndsWithAbbreviation(text), JSON.stringify(text));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('lowerCaseWord = toLowerCase', () => {
    fc.assert(
      fc.property(fc.oneof(tokenizerText, fc.string({ unit: 'binary', maxLength: 12 })), (word) => {
        assert.equal(lowerCaseWord(word), word.toLowerCase());
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('the actors tokenizer = matchAll of its regex', () => {
    fc.assert(
      fc.property(tokenizerText, (text) => {
        assert.deepStrictEqual(
          actorTokens(text).map(({ text: t, norm, start, end }) => ({ text: t, norm, start, end })),
          referenceActorTokens(text),
        );
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('the dates tokenizer = matchAll of its regex', () => {
    fc.assert(
      fc.property(tokenizerText, (text) => {
        assert.deepStrictEqual(dateTokens(text), referenceDateTokens(text));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('plainFromMarkdown = the version that compared characters as strings', () => {
    const markdown = fc
      .array(
        fc.oneof(
          { arbitrary: fc.constantFrom(...TOKENIZER_PIECES, '\\', '\\$', '\\[', '\\é', '*', '**', '`', '_', 'a_b', '_x_', '\r', '\n', '\n\n', '\t', ' ', '[', ']', '(', ')', '](', '[x](y)', '[@a]', '[^1]', '[^', '^[', '^[a [b] c]', '^', '!', '#', '<', '>', '<em>', '</em>', '<br>', '<br/>', '<sup>1</sup>', '<sup>', '</sup>', '<a href="x">', '<https://a.b>', 'x < y', '<!--', '-->', '<!-- c -->', '</p><p>', '<li>', ']{.x}', '[a]{#b}', '{k="}"}', '&', '&amp;', '&nbsp;', '&#32;', '&#x2014;', '&#0;', '&bogus;', ';', '![a](b)', '![', '![a\nb](c){width="1in"}', '[a\nb](c)', '[a\n\nb](c)', '\\\n', '\\\r\n'), weight: 9 },
          { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 },
        ),
        { maxLength: 40 },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(markdown, fc.nat(6), fc.nat(6), (text, a, b) => {
        const from = Math.min(a, text.length);
        const to = Math.max(from, text.length - b);
        const got = plainFromMarkdown(text, from, to);
        const want = referencePlainFromMarkdown(text, from, to);
        assert.equal(got.text, want.text);
        assert.deepStrictEqual(Array.from(got.offsets), Array.from(want.offsets));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('narrowSlice = slice', () => {
    fc.assert(
      fc.property(fc.oneof(tokenizerText, fc.string({ unit: 'binary', maxLength: 40 })), fc.nat(40), fc.nat(40), (text, a, b) => {
        const from = Math.min(a, text.length);
        const to = Math.max(from, Math.min(text.length, from + b));
        assert.equal(narrowSlice(text, from, to), text.slice(from, to));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('extractNumbers with the start-token gate = without it', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        assert.deepStrictEqual(extractNumbers(text), extractNumbersUngated(text));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('extractDates with the start-token gate = without it', () => {
    fc.assert(
      fc.property(anyText, articleDate, (text, date) => {
        assert.deepStrictEqual(extractDates(text, date), extractDatesUngated(text, date));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('the dates without an article date are those with it, less the ones it anchors', () => {
    fc.assert(
      fc.property(anyText, articleDate, (text, date) => {
        assert.deepStrictEqual(datesWithoutArticleDate(extractDates(text, date), date), extractDates(text));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  describe('parseSimpleYaml = yaml.parse where it answers', () => {
    const KEYS = ['title', 'author', 'date', 'publisher', 'url', 'id', 'type', 'volume', 'null', 'True', 'a-b', 'x_1'];
    const VALUE_PIECES = [
      '"', '\\', ':', ': ', '#', ' #', ' ', '  ', '\t', '-', '.', ',', "'", '’', '(', ')', '&', '/', '*', '!', '|', '>', '[', ']',
      '{', '}', '%', '@', '`', 'a', 'Z', 'x y', 'null', 'NULL', 'true', 'False', '~', 'yes', 'on', '0', '1', '2012', '2012-07-16',
      '0x1F', '1e3', '.inf', '.5', '12.5', '007', '\u00a0', '\u0085', '\u2028', '\ufeff', 'é', '😀', '\ud83d', '\u0007',
    ];
    const value = fc.oneof(
      fc.array(fc.constantFrom(...VALUE_PIECES), { maxLength: 6 }).map((p) => p.join('')),
      fc.string({ maxLength: 10 }),
      fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)),
    );
    const line = fc.oneof(
      { arbitrary: fc.constantFrom('title: "A"', 'date: 2012-07-16', 'year: 2012', 'author: Jane Doe'), weight: 3 },
      { arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(':', ': ', ':  ', ' : ', ':\t'), value).map(([k, sep, v]) => `${k}${sep}${v}`), weight: 6 },
      { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    );
    const doc = fc.array(line, { maxLength: 6 }).map((lines) => lines.join('\n'));

    function reference(text: string): unknown {
      try {
        return { ok: parseYaml(text) as unknown };
      } catch {
        return { threw: true };
      }
    }

    it('on generated front matter', () => {
      let answered = 0;
      fc.assert(
        fc.property(doc, (text) => {
          const fast = parseSimpleYaml(text);
          if (fast === undefined) return;
          answered++;
          assert.deepStrictEqual({ ok: fast }, reference(text));
        }),
        { numRuns: RUNS * 10 },
      );
      // The generator must exercise the fast path, not only its refusals.
      assert.ok(answered > RUNS / 5, `only ${answered} answered`);
    });

    it('on the shapes sources use', () => {
      for (const text of [
        'title: "The Collapsing CSTO"\nauthor: "Alexander Golts"\ndate: 2012-07-16\npublisher: "Eurasia Daily Monitor"',
        'title: The Collapsing CSTO\nauthor: Alexander Golts\ndate: 2012\nurl: "https://example.org/a?b=c"',
        'title: "Why “Russia” is rethinking — security"\nauthor: "Ирина Петрова"',
      ]) {
        const fast = parseSimpleYaml(text);
        assert.notEqual(fast, undefined, text);
        assert.deepStrictEqual({ ok: fast }, reference(text));
      }
      for (const text of ['title: "a"\ntitle: "b"', 'a: x # c', 'a:\n  - b', '', 'a: "x\\"y"', 'a: null', 'a: 1e3', 'a: x\r']) {
        assert.equal(parseSimpleYaml(text), undefined, text);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
const REFERENCE_ESCAPABLE = /[\\`*_{}[\]()#+\-.!$|<>~"'&%^=:;,?/@]/;

/**
 * plainFromMarkdown as it was before it compared character codes (reference, unchanged; the link
 * and emphasis helpers it calls are the module's own). Removes Markdown escapes (`\$230` →
 * `$230`), emphasis markers, inline-code ticks, link targets (`[text](url)` → `text`) and
 * collapses line breaks to spaces, keeping an offset map.
 */
function referencePlainFromMarkdown(source: string, from: number, to: number): MappedText {
  // One preallocated offset array and text built from runs of kept characters: linear, and light
  // on the garbage collector for long inputs.
  const offsets = new Int32Array(to - from + 1);
  let text = '';
  let n = 0;
  let runStart = -1;
  const flush = (at: number): void => {
    if (runStart !== -1) {
      text += source.slice(runStart, at);
      runStart = -1;
    }
  };
  const keep = (at: number): void => {
    if (runStart === -1) runStart = at;
    offsets[n++] = at;
  };
  const put = (ch: string, at: number): void => {
    flush(at);
    text += ch;
    offsets[n++] = at;
  };
  let lastWasSpace = false;
  let i = from;
  while (i < to) {
    const ch = source[i];
    if (ch === '\\' && i + 1 < to && REFERENCE_ESCAPABLE.test(source[i + 1])) {
      flush(i);
      keep(i + 1);
      lastWasSpace = false;
      i += 2;
      continue;
    }
    // (Added with character references and backslash line breaks.)
    if (ch === '\\' && (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n')) && i + 1 < to) {
      flush(i);
      i++;
      continue;
    }
    if (ch === '&' && characterReferenceEnd(source, i, to) !== -1) {
      const end = characterReferenceEnd(source, i, to);
      const decoded = decodeCharacterReference(source.slice(i + 1, end - 1));
      for (const unit of decoded.split('')) put(unit, i);
      lastWasSpace = decoded === ' ';
      i = end;
      continue;
    }
    // (Added with images.)
    if (ch === '!' && imageEnd(source, i, to) !== -1) {
      flush(i);
      i = imageEnd(source, i, to);
      if (lastWasSpace) while (i < to && source[i] === ' ') i++;
      continue;
    }
    // (Added with the footnote references and inline notes.)
    if (ch === '[' && source[i + 1] === '^' && footnoteReferenceEnd(source, i, to) !== -1) {
      flush(i);
      i = footnoteReferenceEnd(source, i, to);
      continue;
    }
    if (ch === '^' && source[i + 1] === '[' && i + 1 < to) {
      const note = inlineNotes(source, i, to)[0];
      if (note && note.start === i) {
        flush(i);
        i = note.end;
        continue;
      }
    }
    // (Added with inline HTML.)
    if (ch === '<' && commentEnd(source, i, to) !== -1) {
      flush(i);
      i = commentEnd(source, i, to);
      if (lastWasSpace) while (i < to && source[i] === ' ') i++;
      continue;
    }
    if (ch === '<' && (supMarkEnd(source, i, to) !== -1 || htmlTagEnd(source, i, to) !== -1)) {
      const mark = supMarkEnd(source, i, to);
      // (Block elements' tags as spaces added with pasted web pages.)
      if (mark === -1 && isSpacingTag(source, i) && n > 0 && !lastWasSpace) {
        put(' ', i);
        lastWasSpace = true;
      } else flush(i);
      i = mark === -1 ? htmlTagEnd(source, i, to) : mark;
      continue;
    }
    if (ch === '*' || ch === '`' || ch === '\r' || (ch === '_' && isEmphasisUnderscore(source, i, from, to))) {
      flush(i);
      i++;
      continue;
    }
    if (ch === ']' && source[i + 1] === '(') {
      // Skip the link destination up to the matching ')', bounded to the range.
      const close = source.indexOf(')', i + 2);
      if (close !== -1 && close < to && close - i < 2000 && !source.slice(i + 2, close).includes('\n\n')) {
        flush(i);
        i = close + 1;
        // (Added with Pandoc attributes.)
        if (attributesEnd(source, i, to) !== -1) i = attributesEnd(source, i, to);
        continue;
      }
    }
    if (ch === ']' && source[i + 1] === '{' && attributesEnd(source, i + 1, to) !== -1) {
      flush(i);
      i = attributesEnd(source, i + 1, to);
      continue;
    }
    if (ch === '[' && source[i + 1] !== '@' && opensInlineLink(source, i, to)) {
      flush(i);
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\t') {
      if (n > 0 && !lastWasSpace) {
        put(' ', i);
        lastWasSpace = true;
      } else flush(i);
      i++;
      // (Added with indented continuation lines.)
      if (ch === '\n') while (i < to && (source[i] === ' ' || source[i] === '\t')) i++;
      continue;
    }
    keep(i);
    lastWasSpace = ch === ' ';
    i++;
  }
  flush(to);
  offsets[n] = to;
  return { text, offsets: offsets.subarray(0, n + 1) };
}

/** endsWithAbbreviation as it was before its scan compared character codes (reference). */
function referenceEndsWithAbbreviation(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  if (i < 0 || text[i] !== '.') return false;
  let j = i - 1;
  while (j >= 0 && /[\p{L}\p{N}.]/u.test(text[j])) j--;
  const token = text.slice(j + 1, i).toLowerCase();
  if (!token || /\p{N}/u.test(token)) return false;
  if (ABBREVIATIONS.has(token)) return true;
  return /^\p{L}$/u.test(token) || /^(\p{L}\.)+\p{L}$/u.test(token);
}

// ---------------------------------------------------------------------------------------------
// splitSentences' scan as it was before it tested character codes (reference, unchanged); the
// abbreviation rules it calls are the module's own.

const TERMINATOR = /[.!?…‽]/;
const CLOSER = /["”’')\]»]/;

/**
 * Splits `text` (or `text.slice(from, to)`) into sentences. Returned spans are offsets into
 * `text`, trimmed of surrounding white space; empty segments are dropped.
 *
 * A single linear scan: a sentence ends at terminal punctuation (with any closing quotes or
 * brackets) followed by white space and a word that does not continue the sentence, or at a
 * blank line. This is what ICU's sentence rules do for English prose, without their cost on
 * pathological input and with abbreviations and initials handled.
 */
function referenceSplitSentences(text: string, from = 0, to = text.length): Span[] {
  const out: Span[] = [];
  let start = from;
  const push = (s: number, e: number): void => {
    let a = s;
    let b = e;
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (b > a) out.push({ start: a, end: b });
  };
  let i = from;
  while (i < to) {
    const ch = text[i];
    if (ch === '\n') {
      // A blank line always ends a sentence.
      let j = i + 1;
      while (j < to && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
      if (j < to && text[j] === '\n') {
        push(start, i);
        while (j < to && /\s/.test(text[j])) j++;
        start = j;
        i = j;
        continue;
      }
      i++;
      continue;
    }
    if (!TERMINATOR.test(ch)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < to && (TERMINATOR.test(text[j]) || CLOSER.test(text[j]))) j++;
    j = afterReferenceMarks(text, j, to); // (added with the reference marks)
    if (j < to && !/\s/.test(text[j])) {
      i = j;
      continue;
    }
    let k = j;
    while (k < to && /\s/.test(text[k])) k++;
    if (k >= to) {
      i = k;
      continue;
    }
    const next = text[k];
    const continues =
      /\p{Ll}/u.test(next) ||
      (ch === '.' && text[j - 1] === '.' && endsWithAbbreviation(text.slice(Math.max(start, j - 48), j)) &&
        startsLikeContinuation(text.slice(Math.max(start, j - 48), j), text, { start: k, end: Math.min(to, k + 40) }));
    if (!continues) {
      push(start, j);
      start = k;
    }
    i = k;
  }
  push(start, to);
  return out;
}

