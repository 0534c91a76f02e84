// contentTerms finds words by a scan of character codes; it must find exactly the words of the
// regular expression it replaced, on any text.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { splitSentences } from '../../src/core/sentences';
import { contentTerms, hashBytes, hashText, inlineNotes, isStopword, ownCopy, stem, WORD } from '../../src/core/text';

/** The definition: WORD's matches, possessive cut, stopwords and short numbers dropped, stemmed. */
function referenceTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = m[0].replace(/['’]s$/iu, '');
    if (w.length < 2 || isStopword(w)) continue;
    if (/^\d+$/.test(w) && w.length < 3) continue;
    out.push(stem(w));
  }
  return out;
}

const PIECES = [
  'a', 'Z', 'é', 'Ä', 'ß', 'ſ', 's', 'S', '0', '7', '42', "'", '’', "'s", '’S', ' ', '-', '.', ',', '"', '\n',
  'Δ', 'ж', '東', '𝒜', '😀', '\u0301', '\u00a0', '\ud800', '\udc00', 'the', 'Russia', "Russia's", "don't", 'ﬁ', 'İ',
];

describe('contentTerms', () => {
  it('gives the terms of the regular-expression definition on random text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        assert.deepEqual(contentTerms(text), referenceTerms(text), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        assert.deepEqual(contentTerms(text), referenceTerms(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads an ordinary sentence', () => {
    assert.deepEqual(contentTerms("Russia's troops withdrew from the Manas air base in 2014, Karimov said."), ['russia', 'troop', 'withdrew', 'mana', 'air', 'base', '2014', 'karimov']);
  });
});

describe('ownCopy', () => {
  it('returns the same characters', () => {
    for (const text of ['', 'a', 'plain ASCII words', 'Russia’s “view”', '\uFEFFBOM first', 'café €1', 'emoji 😀', 'lone \ud800 high', 'lone \udc00 low']) {
      assert.equal(ownCopy(text), text);
    }
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: codeUnit }), (a, b) => ownCopy(a) === a && ownCopy(b) === b));
  });

  it('copies a slice of a long text', () => {
    const file = `${'x'.repeat(5000)}Uzbekistan’s president said so.`;
    const slice = file.slice(5000);
    assert.equal(ownCopy(slice), slice);
    assert.equal(ownCopy(file), file);
  });
});

describe('hashBytes', () => {
  it('is MurmurHash3 (x86, 32 bits) of the bytes, then their count', () => {
    // Published test values of MurmurHash3_x86_32 with seed 0.
    const cases: Array<[string, string]> = [
      ['', '00000000'],
      ['hello', '248bfa47'],
      ['The quick brown fox jumps over the lazy dog', '2e4ff723'],
    ];
    for (const [text, murmur] of cases) {
      const bytes = new TextEncoder().encode(text);
      assert.equal(hashBytes(bytes), murmur + bytes.length.toString(16), text);
    }
  });

  it('is hashText of the text the bytes encode, wherever they sit in their buffer, and tells bytes apart', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 7 }), (text, offset) => {
        const bytes = new TextEncoder().encode(text);
        const shifted = new Uint8Array(bytes.length + offset);
        shifted.set(bytes, offset);
        assert.equal(hashBytes(shifted.subarray(offset)), hashText(text));
        assert.equal(hashBytes(bytes), hashText(text));
      }),
    );
    assert.notEqual(hashBytes(new TextEncoder().encode('Tashkent 2012')), hashBytes(new TextEncoder().encode('Tashkent 2013')));
    assert.notEqual(hashText('abcd'), hashText('abce'));
  });
});

describe('splitSentences: reference marks', () => {
  const sentences = (text: string): string[] => splitSentences(text).map((s) => text.slice(s.start, s.end));
  it('ends a sentence after the marks that follow its punctuation', () => {
    assert.deepEqual(sentences('Kazakhstan hosted troops in 2019.[1] Russia paid.'), ['Kazakhstan hosted troops in 2019.[1]', 'Russia paid.']);
    assert.deepEqual(sentences('It grew in 2019.[12][13, 14] Russia paid.'), ['It grew in 2019.[12][13, 14]', 'Russia paid.']);
    assert.deepEqual(sentences('It grew in 2019.[5–7] Russia paid.'), ['It grew in 2019.[5–7]', 'Russia paid.']);
    assert.deepEqual(sentences('It grew in 2019.¹² Russia paid.'), ['It grew in 2019.¹²', 'Russia paid.']);
    assert.deepEqual(sentences('It grew in 2019.<sup>3</sup> Russia paid.'), ['It grew in 2019.<sup>3</sup>', 'Russia paid.']);
  });
  it('leaves other brackets, and a mark before a word in lower case, alone', () => {
    assert.deepEqual(sentences('It grew.[a] Russia paid.'), ['It grew.[a] Russia paid.']);
    assert.deepEqual(sentences('See Figure 3.[1] shows it.'), ['See Figure 3.[1] shows it.']);
    assert.deepEqual(sentences('It grew.[1234567890123456789012345] Russia paid.'), ['It grew.[1234567890123456789012345] Russia paid.']);
  });
});

describe('inlineNotes', () => {
  const notes = (text: string): string[] => inlineNotes(text).map((n) => text.slice(n.start, n.end));
  it('finds the outermost notes, brackets balanced, escapes skipped', () => {
    assert.deepEqual(notes('A.^[One [two] three.] B.^[Four ^[five].] C.'), ['^[One [two] three.]', '^[Four ^[five].]']);
    assert.deepEqual(notes('A \\^[not a note] B ^[a \\] b]'), ['^[a \\] b]']);
  });
  it('finds none in a note left open, and the notes inside one', () => {
    assert.deepEqual(notes('A.^[open ^[inner] still open'), ['^[inner]']);
    assert.deepEqual(notes('^[^[^['), []);
  });
  it('finds none where no caret opens one', () => {
    assert.deepEqual(notes('[see @a, p. 3; @b]^['), []);
    assert.deepEqual(notes('[a] ^ [b]'), []);
  });
});
