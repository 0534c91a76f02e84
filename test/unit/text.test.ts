// contentTerms finds words by a scan of character codes; it must find exactly the words of the
// regular expression it replaced, on any text.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { contentTerms, hashBytes, hashText, isStopword, ownCopy, stem, WORD } from '../../src/core/text';

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
  it('is hashText of the same characters when every byte is one (ASCII), and tells bytes apart', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) }), (text) => {
        assert.equal(hashBytes(new TextEncoder().encode(text)), hashText(text));
      }),
    );
    assert.notEqual(hashBytes(new TextEncoder().encode('Tashkent 2012')), hashBytes(new TextEncoder().encode('Tashkent 2013')));
  });
});
