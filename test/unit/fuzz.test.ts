// Property tests over hostile input: the engine never throws, every range lies inside the text,
// the text at a finding's range is what the finding is about, and the same input gives the same
// output. CI runs a bounded number of cases; `npm run fuzz` sets FUZZ_RUNS for a long run.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkDraft } from '../../src/core/check/checkDraft';
import { parseCitations } from '../../src/core/citations';
import { parseDraft } from '../../src/core/draft';
import { buildIndex } from '../../src/core/loader';
import { parseSource } from '../../src/core/source';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const ROOT = path.resolve(__dirname, '../..');
const reference = fs.readFileSync(path.join(ROOT, 'examples/csto/sources/golts-2012-the-collapsing-csto.md'));
const { index } = buildIndex([{ path: 'sources/golts.md', bytes: reference }]);

const PIECES = [
  '# ', '## ', '- ', '* ', '1. ', '> ', '>> ', '    ', '\t', '```', '~~~', '---\n', '...\n', '\n', '\r\n', '\n\n', '\uFEFF',
  '[@golts2012]', '[@golts2012, para. 2]', '[see @a, p. 3; @b]', '@key [para. 2]', '[-@golts2012]', '[@', '@', ']', '[', '(', ')',
  '[^1]', '[^1]: note [@golts2012].', '^[', '^[note @golts2012 [para. 2].]', '<!-- policy-cite: ignore -->', '<!-- policy-cite: disable -->', '<!-- policy-cite: enable -->',
  '<div>', '</div>', '<script>alert(1)</script>', '[x](command:workbench.action.terminal.new)', '<https://example.org>', '![i](x.png)',
  '| a | b |\n|---|---|\n| c | d |\n', '"', '“', '”', '…', '...', '\\$', '$230 million', '320 million dollars', 'tenfold', '1999', 'in 2005', 'two weeks ago', 'Last year', 'yesterday', ' ago',
  'Uzbekistan', 'Tashkent', 'Karimov', 'he', 'said', 'will', 'should', '?', '.', '. ', ',', 'U.S.', 'Mr. ', '\u200b', '\u202e', '\u200f',
  '😀', '\ud83d', '\ude00', 'é', 'e\u0301', '`code`', '**', '_', '\\',
];

const markdownish = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 60 }).map((parts) => parts.join(''));
const deepNesting = fc.integer({ min: 1, max: 200 }).map((n) => `${'> '.repeat(n)}${'- '.repeat(n)}Uzbekistan left the CSTO in 2012 [@golts2012, para. 2].\n`);

function inBounds(text: string, start: number, end: number): boolean {
  return Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length;
}

describe('fuzz: parseSource', function () {
  this.timeout(300_000);
  it('never throws, keeps claims inside the text, and is deterministic', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const a = parseSource(text, 'sources/fuzz.md');
        const b = parseSource(text, 'sources/fuzz.md');
        assert.deepEqual(a, b);
        for (const c of a.claims) {
          assert.ok(inBounds(text, c.start, c.end), `claim ${c.id} ${c.start}-${c.end} of ${text.length}`);
          for (const n of c.numbers) assert.equal(c.text.slice(n.start, n.end), n.text);
        }
        for (const p of a.paragraphs) assert.ok(inBounds(text, p.start, p.end));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: parseDraft and parseCitations', function () {
  this.timeout(300_000);
  it('never throws; sentences, citations and footnotes are inside the text and match their raw text', () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, deepNesting), (text) => {
        const draft = parseDraft(text);
        assert.deepEqual(parseDraft(text).sentences, draft.sentences);
        for (const s of draft.sentences) {
          assert.ok(inBounds(text, s.start, s.end));
          assert.equal(text.slice(s.start, s.end), s.raw);
        }
        for (const g of draft.citations) {
          assert.ok(inBounds(text, g.start, g.end));
          for (const c of g.citations) {
            assert.ok(inBounds(text, c.keyStart, c.keyEnd));
            assert.equal(text.slice(c.keyStart, c.keyEnd).replace(/^\{|\}$/g, ''), c.key.replace(/^\{|\}$/g, ''));
          }
        }
        for (const g of parseCitations(text)) assert.ok(inBounds(text, g.start, g.end));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: checkDraft', function () {
  this.timeout(300_000);
  it('never throws; each finding’s range is in the memo and holds what the finding names', () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, deepNesting), (text) => {
        const result = checkDraft(parseDraft(text), index);
        assert.deepEqual(checkDraft(parseDraft(text), index), result);
        for (const f of result.findings) {
          assert.ok(inBounds(text, f.start, f.end), `${f.code} ${f.start}-${f.end} of ${text.length}`);
          const at = text.slice(f.start, f.end);
          if (f.code === 'unknown-citation-key') assert.ok(f.message.includes(`"${at.replace(/^\{|\}$/g, '')}"`), `${f.message} / ${at}`);
          if (f.code === 'number-mismatch') assert.ok(f.message.startsWith(`"${at}"`) || f.message.startsWith(at), `${f.message} / ${at}`);
          if (f.code === 'quote-not-in-source') assert.match(at, /^["“].*["”]$/s);
          // (The expression may be one word: "yesterday".)
          if (f.code === 'relative-date') assert.match(at, /^(?:\S.*\b)?(?:ago|yesterday|today|tomorrow|year|month|week)$/is, `${f.message} / ${at}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('big and odd input', () => {
  it('handles CRLF, a BOM and surrogate pairs with exact offsets', () => {
    const text = '\uFEFF---\r\ntitle: T\r\n---\r\n\r\nUzbekistan 😀 left the CSTO in 2012 [@golts2012, para. 2].\r\nUzbek forces killed several hundred protesters in Andijan in 2005.\r\n';
    const draft = parseDraft(text);
    for (const s of draft.sentences) assert.equal(text.slice(s.start, s.end), s.raw);
    const findings = checkDraft(draft, index).findings;
    const unsourced = findings.find((f) => f.code === 'unsourced-claim');
    assert.equal(unsourced && text.slice(unsourced.start, unsourced.end), 'Uzbek forces killed several hundred protesters in Andijan in 2005.');
  });

  it('parses a memo with a 1 MB single line and a source with 10,000 paragraphs', function () {
    this.timeout(120_000);
    const line = 'Uzbekistan left the CSTO in 2012 and Tashkent said so. '.repeat(19_000);
    assert.ok(line.length > 1_000_000);
    const draft = parseDraft(line);
    assert.ok(draft.sentences.length > 10_000);
    const paragraphs = Array.from({ length: 10_000 }, (_, i) => `Paragraph ${i + 1}: Russia leases a base in Tajikistan for $${i} million.`).join('\n\n');
    const source = parseSource(paragraphs, 'sources/big.md');
    assert.equal(source.paragraphs.length, 10_000);
    assert.equal(source.claims[9_999].id, `${source.key}:10000.1`);
  });
});
