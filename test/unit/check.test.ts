import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDraft, checkDraftInSlices, SentenceCache, type CheckOptions } from '../../src/core/check/checkDraft';
import { closestKeys } from '../../src/core/check/closestKeys';
import { RULE_CODES } from '../../src/core/check/rules';
import { classifyStatement } from '../../src/core/check/statement';
import { parseDraft } from '../../src/core/draft';
import { IncrementalDraftParser } from '../../src/core/incrementalDraft';
import { applyEdits, attributionEdit, citationAt, locatorEdit } from '../../src/core/edit/citationEdit';
import { buildIndex } from '../../src/core/loader';
import type { Finding } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/csto');
const reference = fs.readFileSync(path.join(EXAMPLE, 'sources/golts-2012-the-collapsing-csto.md'));
const { index } = buildIndex([{ path: 'sources/golts-2012-the-collapsing-csto.md', bytes: reference }]);

function check(memo: string, options: CheckOptions = {}): Finding[] {
  return checkDraft(parseDraft(memo), index, options).findings;
}
function codes(memo: string, options: CheckOptions = {}): string[] {
  return check(memo, options).map((f) => f.code);
}
function at(memo: string, f: Finding): string {
  return memo.slice(f.start, f.end);
}

describe('classifyStatement', () => {
  const factual = [
    'Uzbekistan withdrew from the CSTO in 2012.',
    'Tajikistan raised the annual rent for the Russian base to $230 million.',
    'Uzbek forces killed several hundred protesters in Andijan in 2005.',
  ];
  const notFactual = [
    'Washington should engage Tashkent cautiously.',
    'What should the administration do next?',
    'In our view, the withdrawal is a bid for leverage.',
    'It is hard to see how Moscow can hold the alliance together.',
    'This memo argues that the United States should engage Tashkent.',
    'Keep the Northern Distribution Network diversified.',
  ];
  for (const s of factual) it(`factual: ${s}`, () => assert.equal(classifyStatement(s, { hasActorAndFigure: true }).factual, true));
  for (const s of notFactual) it(`not factual: ${s}`, () => assert.equal(classifyStatement(s).factual, false));

  // Short event sentences, which the model scores below its threshold, are facts when an actor is
  // the one acting; conditions, present states and actors that do not act are not.
  const actors = (s: string) => () => index.registry.findMentions(s);
  const events = ['Karimov met Obama in Washington.', 'Uzbekistan withdrew from the CSTO.', 'Lavrov criticised the decision.', "Russia's parliament ratified the treaty.", 'Kyrgyzstan formally ordered the Americans out of Manas.', 'Karimov met Obama in May.'];
  const noEvents = ['If Moscow signed the deal, Tashkent would object.', 'Tajikistan hosts a Russian military base.', 'Tashkent is seeking closer ties with Washington.', 'Analysts met to discuss Uzbekistan.'];
  for (const s of events) {
    it(`factual, an actor's event: ${s}`, () => {
      assert.equal(classifyStatement(s).factual, false, 'the model alone misses it');
      assert.deepEqual([classifyStatement(s, { actors: actors(s) }).factual, classifyStatement(s, { actors: actors(s) }).reason], [true, 'event']);
    });
  }
  for (const s of noEvents) it(`no actor's event: ${s}`, () => assert.equal(classifyStatement(s, { actors: actors(s) }).factual, false));

  it('flags an uncited event sentence in a memo', () => {
    const memo = 'Karimov met Obama in Washington.\n\nIf Moscow signed the deal, Tashkent would object.\n';
    assert.deepEqual(check(memo).map((f) => [f.code, at(memo, f)]), [['unsourced-claim', 'Karimov met Obama in Washington.']]);
  });
});

describe('unsourced-claim', () => {
  it('flags an uncited factual sentence and suggests the supporting claim', () => {
    const memo = 'Uzbekistan offered the United States the use of Karshi-Khanabad as a military base in 2001.\n';
    const [f] = check(memo);
    assert.equal(f.code, 'unsourced-claim');
    assert.equal(f.severity, 'warning');
    assert.equal(at(memo, f), memo.trim());
    assert.equal(f.suggestions[0].claimId, 'golts2012:3.3');
    assert.equal(f.suggestions[0].key, 'golts2012');
    assert.equal(f.suggestions[0].locator, 'para. 3');
    assert.ok(f.suggestions.length <= 3);
  });

  it('does not flag cited sentences, opinions, recommendations, questions or meta sentences', () => {
    const memo = [
      'Uzbekistan offered the United States the use of Karshi-Khanabad in 2001 [@golts2012, para. 3].',
      'In our view, Tashkent is bargaining.',
      'Washington should engage Tashkent.',
      'Will Moscow retaliate?',
      'This memo argues for caution.',
    ].join(' ');
    assert.deepEqual(codes(memo), []);
  });

  it('a citation covers only its own sentence unless paragraphCitations is on', () => {
    const memo = 'Uzbek forces killed several hundred protesters in Andijan in 2005. Uzbekistan offered the United States the use of Karshi-Khanabad in 2001 [@golts2012, para. 3].\n';
    assert.deepEqual(codes(memo), ['unsourced-claim']);
    assert.deepEqual(codes(memo, { paragraphCitations: true }), []);
  });

  it('says so when the best-matching claim has another figure', () => {
    const memo = 'Tajikistan said it would raise the annual rent for the Russian base to $320 million.\n';
    const [f] = check(memo);
    assert.equal(f.code, 'unsourced-claim');
    assert.match(f.message, /\$230 million/);
  });

  it('has no suggestions when nothing in the sources supports the statement', () => {
    const [f] = check('Brazil exported 90 million tonnes of soybeans in 2019.\n');
    assert.equal(f?.code, 'unsourced-claim');
    assert.deepEqual(f.suggestions, []);
  });

  it('counts links and footnotes with citations as sources', () => {
    assert.deepEqual(codes('Uzbek forces killed several hundred protesters in Andijan in 2005 ([report](https://example.org/andijan)).\n'), []);
    assert.deepEqual(codes('Uzbek forces killed several hundred protesters in Andijan in 2005.[^1]\n\n[^1]: See [@golts2012, para. 3].\n'), []);
  });

  it('honours ignore comments and disable/enable regions', () => {
    const fact = 'Uzbek forces killed several hundred protesters in Andijan in 2005.';
    assert.deepEqual(codes(`<!-- policy-cite: ignore -->\n${fact}\n`), []);
    assert.deepEqual(codes(`<!-- policy-cite: disable -->\n\n${fact}\n\n<!-- policy-cite: enable -->\n\n${fact}\n`), ['unsourced-claim']);
  });

  it('ignores code, headings and front matter', () => {
    const memo = '---\ntitle: Uzbekistan left the CSTO in 2012\n---\n\n# Uzbekistan left the CSTO in 2012\n\n```\nUzbekistan left the CSTO in 2012.\n```\n\n    Uzbekistan left the CSTO in 2012.\n';
    assert.deepEqual(codes(memo), []);
  });
});

describe('unknown-citation-key and locator-out-of-range', () => {
  it('flags an unknown key with the closest keys', () => {
    const memo = 'Uzbekistan left the CSTO in 2012 [@golts2021, para. 2].\n';
    const f = check(memo).find((x) => x.code === 'unknown-citation-key');
    assert.ok(f);
    assert.equal(f.severity, 'error');
    assert.equal(at(memo, f), 'golts2021');
    assert.match(f.message, /golts2012/);
    assert.deepEqual(f.data?.closest, ['golts2012']);
  });

  it("leaves alone a key of the memo's bibliography that no source has, and checks nothing against it", () => {
    const memo = 'Uzbekistan left the CSTO in 2009 [@smith2020, p. 4].\n\nRussia vetoed it [@doe2019].\n';
    assert.deepEqual(codes(memo), ['unknown-citation-key', 'unknown-citation-key']);
    assert.deepEqual(codes(memo, { bibliographyKeys: new Set(['smith2020', 'doe2019']) }), []);
    assert.deepEqual(codes(memo, { bibliographyKeys: new Set(['smith2020']) }), ['unknown-citation-key']);
    // The front matter's inline references count as a file's.
    const inline = `---\nreferences:\n- id: smith2020\n  type: book\n---\n\n${memo}`;
    assert.deepEqual(codes(inline), ['unknown-citation-key']);
    assert.deepEqual(codes(inline, { bibliographyKeys: new Set(['doe2019']) }), []);
    // Checked again with the same cache as the keys change, as the extension does.
    const cache = new SentenceCache();
    const parser = new IncrementalDraftParser();
    const again = (text: string, keys?: string[]): string[] => checkDraft(parser.parse(text), index, keys ? { bibliographyKeys: new Set(keys) } : {}, cache).findings.map((f) => f.code);
    assert.deepEqual(again(memo), ['unknown-citation-key', 'unknown-citation-key']);
    assert.deepEqual(again(memo, ['smith2020', 'doe2019']), []);
    assert.deepEqual(again(memo, ['doe2019']), ['unknown-citation-key']);
    assert.deepEqual(again(inline, ['doe2019']), []);
    assert.deepEqual(again(memo, ['doe2019']), ['unknown-citation-key']);
  });

  it("offers the memo's bibliography keys among the closest to an unknown key", () => {
    const memo = 'Russia vetoed it [@smith2002].\n';
    const [plain] = check(memo);
    assert.match(plain.message, /no indexed source has it/);
    assert.ok(!(plain.data?.closest as string[]).includes('smith2020'));
    const cache = new SentenceCache();
    const parser = new IncrementalDraftParser();
    const withKeys = (keys: string[]): Finding => checkDraft(parser.parse(memo), index, { bibliographyKeys: new Set(keys) }, cache).findings[0];
    const f = withKeys(['smith2020', 'doe2019']);
    assert.equal(f.code, 'unknown-citation-key');
    assert.match(f.message, /neither an indexed source nor the memo's bibliography has it\. Did you mean "smith2020"/);
    assert.equal((f.data?.closest as string[])[0], 'smith2020');
    // Another bibliography: its keys, not those the cache saw first.
    assert.equal((withKeys(['smyth2002']).data?.closest as string[])[0], 'smyth2002');
  });

  it('flags a paragraph locator beyond the source', () => {
    const memo = 'Uzbekistan left the CSTO [@golts2012, para. 14].\n';
    const f = check(memo).find((x) => x.code === 'locator-out-of-range');
    assert.ok(f);
    assert.match(at(memo, f), /@golts2012, para\. 14/);
    assert.match(f.message, /13 paragraphs/);
    assert.deepEqual(codes('Uzbekistan left the CSTO [@golts2012, para. 13].\n').filter((c) => c === 'locator-out-of-range'), []);
  });

  it('suggests the paragraphs of the source that best support the sentence, and the edit that cites one', () => {
    const memo = 'Russia has tried to create a collective rapid-reaction force [see @golts2012, para. 17, and passim].\n';
    const f = check(memo).find((x) => x.code === 'locator-out-of-range');
    assert.ok(f);
    assert.deepEqual(f.suggestions[0].locator, 'para. 7');
    assert.match(f.suggestions[0].text, /collective rapid-reaction force/);
    assert.ok(f.suggestions.length <= 3 && new Set(f.suggestions.map((s) => s.locator)).size === f.suggestions.length, 'one suggestion per paragraph');
    const draft = parseDraft(memo);
    const citation = citationAt(draft, f.start);
    assert.ok(citation);
    const edit = locatorEdit(memo, citation, 7);
    assert.ok(edit);
    assert.equal(applyEdits(memo, [edit]), 'Russia has tried to create a collective rapid-reaction force [see @golts2012, para. 7, and passim].\n');
    assert.equal(locatorEdit('See [@golts2012, p. 17].', parseDraft('See [@golts2012, p. 17].').citations[0].citations[0], 7), undefined);
  });

  it('suggests keys by edit distance', () => {
    assert.deepEqual(closestKeys('golts2021', ['smith2010', 'golts2012', 'golts2012a']), ['golts2012', 'golts2012a', 'smith2010']);
  });

  it('gives the keys that sorting every key by distance gives, without comparing each in full', () => {
    // The straightforward way: every key's whole distance (the same table, with no bound), sorted.
    const plainDistance = (a: string, b: string): number => {
      const s = a.slice(0, 64);
      const t = b.slice(0, 64);
      let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
      for (let i = 1; i <= s.length; i++) {
        const cur = [i];
        for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
        prev = cur;
      }
      return prev[t.length];
    };
    const prefix = (a: string, b: string): number => {
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return i;
    };
    const sorted = (key: string, keys: string[], limit: number): string[] => {
      const k = key.toLowerCase();
      return keys
        .map((c) => ({ c, d: plainDistance(k, c.toLowerCase()), p: prefix(k, c.toLowerCase()) }))
        .sort((x, y) => x.d - y.d || y.p - x.p || x.c.localeCompare(y.c))
        .slice(0, limit)
        .map((x) => x.c);
    };
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (): string => {
      const letters = 'abcgGoltsz2019-_é';
      const length = random(5) === 0 ? 60 + random(20) : 2 + random(12);
      let out = '';
      for (let i = 0; i < length; i++) out += letters[random(letters.length)];
      return out;
    };
    for (let round = 0; round < 300; round++) {
      const keys = Array.from({ length: 1 + random(60) }, word);
      // Duplicates and case variants, which tie on everything but order.
      keys.push(keys[0], keys[0].toUpperCase());
      const key = random(4) === 0 ? keys[random(keys.length)] + 'x' : word();
      for (const limit of [1, 3, 5]) assert.deepEqual(closestKeys(key, keys, limit), sorted(key, keys, limit), `${key} in ${keys.join(' ')}`);
    }
    assert.deepEqual(closestKeys('golts2012', [], 3), []);
  });
});

describe('missing-bibliography-entry', () => {
  const memo = 'Uzbekistan left the CSTO in 2012 [@golts2012, para. 2].\n\nRussia vetoed it [@smith2020; @golts2012].\n';
  const missing = (text: string, options: CheckOptions): Finding[] => check(text, options).filter((f) => f.code === 'missing-bibliography-entry');

  it("flags each citation of a source that the memo's bibliography, known whole, does not hold", () => {
    const found = missing(memo, { bibliographyKeys: new Set(['smith2020']), bibliographyComplete: true });
    assert.deepEqual(found.map((f) => at(memo, f)), ['golts2012', 'golts2012']);
    assert.equal(found[0].severity, 'warning');
    assert.equal(found[0].data?.key, 'golts2012');
    assert.match(found[0].message, /"golts2012" is not in the memo's bibliography: pandoc --citeproc will not find it \(it prints "golts2012\?" in its place\)/);
    // A bibliography known whole with no key at all (an empty file).
    assert.equal(missing(memo, { bibliographyComplete: true }).length, 2);
    // (smith2020 is no source: its citation stays unknown, not missing.)
    assert.deepEqual(codes(memo, { bibliographyComplete: true }).filter((c) => c === 'unknown-citation-key'), ['unknown-citation-key']);
  });

  it('says nothing when the source is there, or when the bibliography is not known whole', () => {
    assert.deepEqual(missing(memo, { bibliographyKeys: new Set(['smith2020', 'golts2012']), bibliographyComplete: true }), []);
    // Unread, unreadable or not there yet: nothing is known of what it lacks.
    assert.deepEqual(missing(memo, { bibliographyKeys: new Set(['smith2020']) }), []);
    assert.deepEqual(missing(memo, {}), []);
    // The front matter's inline references hold it.
    const inline = `---\nreferences:\n- id: golts2012\n  type: article\n---\n\n${memo}`;
    assert.deepEqual(missing(inline, { bibliographyKeys: new Set(['smith2020']), bibliographyComplete: true }), []);
    assert.deepEqual(missing(`---\nreferences:\n- id: other\n  type: book\n---\n\n${memo}`, { bibliographyComplete: true }).length, 2);
    // The rule can be turned off, or raised.
    assert.deepEqual(missing(memo, { bibliographyComplete: true, rules: { 'missing-bibliography-entry': 'off' } }), []);
    assert.equal(missing(memo, { bibliographyComplete: true, rules: { 'missing-bibliography-entry': 'error' } })[0].severity, 'error');
  });

  it('follows the bibliography with the same cache, as the extension checks again when it changes', () => {
    const cache = new SentenceCache();
    const parser = new IncrementalDraftParser();
    const again = (options: CheckOptions): number => checkDraft(parser.parse(memo), index, options, cache).findings.filter((f) => f.code === 'missing-bibliography-entry').length;
    assert.equal(again({ bibliographyKeys: new Set(['smith2020']) }), 0);
    assert.equal(again({ bibliographyKeys: new Set(['smith2020']), bibliographyComplete: true }), 2);
    assert.equal(again({ bibliographyKeys: new Set(['smith2020', 'golts2012']), bibliographyComplete: true }), 0);
    assert.equal(again({ bibliographyComplete: true }), 2);
    assert.equal(again({}), 0);
    const keys = new Set(['smith2020']);
    assert.equal(again({ bibliographyKeys: keys }), 0);
    assert.equal(again({ bibliographyKeys: keys, bibliographyComplete: true }), 2);
  });
});

describe('missing-bibliography-file', () => {
  const body = 'Uzbekistan left the CSTO in 2012 [@golts2012, para. 2].\n';
  const flagged = (text: string, options: CheckOptions): Finding[] => check(text, options).filter((f) => f.code === 'missing-bibliography-file');

  it('flags each file the front matter names that is not there, at its name, once the memo cites something', () => {
    const memo = `---\ntitle: A memo\nbibliography:\n  - refs/a.json\n  - "refs/b.yaml"\n---\n\n${body}`;
    const found = flagged(memo, { bibliographyMissing: ['refs/a.json', 'refs/b.yaml'] });
    assert.deepEqual(found.map((f) => at(memo, f)), ['refs/a.json', 'refs/b.yaml']);
    assert.equal(found[0].severity, 'warning');
    assert.deepEqual(found[0].data, { name: 'refs/a.json' });
    assert.equal(
      found[0].message,
      'The bibliography file "refs/a.json" named here does not exist: pandoc --citeproc stops at it. Create it with the entries of the sources the memo cites (the quick fix, or policy-cite bib --out refs/a.json), or correct the name.',
    );
    // A file policy-cite cannot write (it writes CSL-JSON, which pandoc reads from .json only).
    assert.equal(
      found[1].message,
      'The bibliography file "refs/b.yaml" named here does not exist: pandoc --citeproc stops at it. Export it from your reference manager, or correct the name (policy-cite writes CSL-JSON only, to a .json file).',
    );
    // A name whose extension pandoc reads in lower case only: the name to give it.
    const upper = `---\nbibliography: refs/Library.JSON\n---\n\n${body}`;
    assert.equal(
      flagged(upper, { bibliographyMissing: ['refs/Library.JSON'] })[0].message,
      'The bibliography file "refs/Library.JSON" named here does not exist: pandoc --citeproc stops at it. Name it refs/Library.json: pandoc takes the format from a lower-case extension only.',
    );
    const one = `---\nbibliography: references.json\n---\n\n${body}`;
    assert.deepEqual(flagged(one, { bibliographyMissing: ['references.json'] }).map((f) => at(one, f)), ['references.json']);
    // In document order, before the citations' findings.
    assert.equal(check(one, { bibliographyMissing: ['references.json'] })[0].code, 'missing-bibliography-file');
  });

  it('flags a name where it stands whole, not inside a longer path, and at most 20 files', () => {
    const memo = `---\nbibliography: [old/refs.json, refs.json]\n---\n\n${body}`;
    const [found] = flagged(memo, { bibliographyMissing: ['refs.json'] });
    assert.equal(found.start, memo.indexOf(', refs.json') + 2);
    assert.equal(at(memo, found), 'refs.json');
    // (pandoc stops at the first.)
    const names = Array.from({ length: 30 }, (_, i) => `r${i}.json`);
    const many = `---\nbibliography: [${names.join(', ')}]\n---\n\n${body}`;
    assert.deepEqual(flagged(many, { bibliographyMissing: names }).map((f) => at(many, f)), names.slice(0, 20));
  });

  it('says nothing without a citation, for a name the front matter does not give, or with the rule off', () => {
    const memo = `---\nbibliography: references.json\n---\n\n${body}`;
    assert.deepEqual(flagged(memo, {}), []);
    assert.deepEqual(flagged('---\nbibliography: references.json\n---\n\nIn our view, the alliance is weak.\n', { bibliographyMissing: ['references.json'] }), []);
    assert.deepEqual(flagged(memo, { bibliographyMissing: ['other.json'] }), []);
    assert.deepEqual(flagged(body, { bibliographyMissing: ['references.json'] }), []);
    assert.deepEqual(flagged(memo, { bibliographyMissing: ['references.json'], rules: { 'missing-bibliography-file': 'off' } }), []);
    assert.equal(flagged(memo, { bibliographyMissing: ['references.json'], rules: { 'missing-bibliography-file': 'error' } })[0].severity, 'error');
  });

  it('follows the file with the same cache, and is among the findings in sight when the front matter is', async () => {
    const memo = `---\nbibliography: references.json\n---\n\n${body}\n${'Russia vetoed it. '.repeat(3)}\n`;
    const cache = new SentenceCache();
    const parser = new IncrementalDraftParser();
    const again = (options: CheckOptions): string[] => checkDraft(parser.parse(memo), index, options, cache).findings.map((f) => f.code).filter((c) => c.startsWith('missing-bibliography'));
    assert.deepEqual(again({ bibliographyMissing: ['references.json'] }), ['missing-bibliography-file']);
    assert.deepEqual(again({ bibliographyComplete: true, bibliographyKeys: new Set(['golts2012']) }), []);
    assert.deepEqual(again({ bibliographyMissing: ['references.json'] }), ['missing-bibliography-file']);
    const inSight = async (ranges: Array<[number, number]>): Promise<string[]> => {
      let first: Finding[] | undefined;
      await checkDraftInSlices(parseDraft(memo), index, { bibliographyMissing: ['references.json'] }, new SentenceCache(), { first: { ranges, onFindings: (f) => (first = f) } });
      assert.ok(first, 'the findings in sight were given first');
      return first.map((f) => f.code);
    };
    assert.ok((await inSight([[0, 40]])).includes('missing-bibliography-file'));
    assert.ok(!(await inSight([[memo.length - 20, memo.length]])).includes('missing-bibliography-file'));
  });
});

describe('unreadable-bibliography-file', () => {
  const body = 'Uzbekistan left the CSTO in 2012 [@golts2012, para. 2].\n';
  const flagged = (text: string, options: CheckOptions): Finding[] => check(text, options).filter((f) => f.code.endsWith('-bibliography-file'));

  it('flags each file the front matter names that cannot be read, at its name, saying why and what pandoc does', () => {
    const memo = `---\nbibliography: [refs.json, big.bib, gone.json]\n---\n\n${body}`;
    const found = flagged(memo, {
      bibliographyMissing: ['gone.json'],
      bibliographyUnreadable: [
        { name: 'refs.json', why: 'not valid JSON', pandocStops: true },
        { name: 'big.bib', why: 'larger than 64 MB, not read', pandocStops: false },
      ],
    });
    assert.deepEqual(
      found.map((f) => [f.code, at(memo, f)]),
      [
        ['unreadable-bibliography-file', 'refs.json'],
        ['unreadable-bibliography-file', 'big.bib'],
        ['missing-bibliography-file', 'gone.json'],
      ],
      'in the order the front matter names them',
    );
    assert.equal(found[0].severity, 'warning');
    assert.deepEqual(found[0].data, { name: 'refs.json' });
    assert.equal(
      found[0].message,
      'The bibliography file "refs.json" named here cannot be read: not valid JSON. pandoc --citeproc stops at it. Until it is, citations of works that only it holds are reported as unknown.',
    );
    assert.equal(found[1].message, 'The bibliography file "big.bib" named here cannot be read: larger than 64 MB, not read. Until it is, citations of works that only it holds are reported as unknown.');
  });

  it('says nothing without a citation, for a name the front matter does not give, or with the rule off; 20 files at most with the missing ones', () => {
    const memo = `---\nbibliography: refs.json\n---\n\n${body}`;
    const broken = [{ name: 'refs.json', why: 'not valid JSON', pandocStops: true }];
    assert.equal(flagged(memo, { bibliographyUnreadable: broken }).length, 1);
    assert.deepEqual(flagged('---\nbibliography: refs.json\n---\n\nIn our view, the alliance is weak.\n', { bibliographyUnreadable: broken }), []);
    assert.deepEqual(flagged(`---\nbibliography: other.json\n---\n\n${body}`, { bibliographyUnreadable: broken }), []);
    assert.deepEqual(flagged(body, { bibliographyUnreadable: broken }), []);
    assert.deepEqual(flagged(memo, { bibliographyUnreadable: broken, rules: { 'unreadable-bibliography-file': 'off' } }), []);
    assert.equal(flagged(memo, { bibliographyUnreadable: broken, rules: { 'unreadable-bibliography-file': 'error' } })[0].severity, 'error');
    const names = Array.from({ length: 30 }, (_, i) => `r${i}.json`);
    const many = `---\nbibliography: [${names.join(', ')}]\n---\n\n${body}`;
    const both = flagged(many, { bibliographyMissing: names.slice(0, 15), bibliographyUnreadable: names.slice(15).map((name) => ({ name, why: 'not valid JSON', pandocStops: true })) });
    assert.deepEqual(both.map((f) => at(many, f)), names.slice(0, 20));
  });

  it('follows the file with the same cache', () => {
    const memo = `---\nbibliography: references.json\n---\n\n${body}`;
    const cache = new SentenceCache();
    const parser = new IncrementalDraftParser();
    const again = (options: CheckOptions): string[] => checkDraft(parser.parse(memo), index, options, cache).findings.map((f) => f.code).filter((c) => c.endsWith('-bibliography-file'));
    assert.deepEqual(again({ bibliographyUnreadable: [{ name: 'references.json', why: 'not valid JSON', pandocStops: true }] }), ['unreadable-bibliography-file']);
    assert.deepEqual(again({ bibliographyComplete: true, bibliographyKeys: new Set(['golts2012']) }), []);
    assert.deepEqual(again({ bibliographyMissing: ['references.json'] }), ['missing-bibliography-file']);
  });
});

/** The findings of memos checked against one source of their own, sources/lee-2013.md. */
function findingsAgainst(source: string): (memo: string) => Finding[] {
  const { index: own } = buildIndex([{ path: 'sources/lee-2013.md', bytes: new TextEncoder().encode(source) }]);
  return (memo) => checkDraft(parseDraft(memo), own, {}).findings;
}

describe('number-mismatch', () => {
  /** The number-mismatch findings of memos checked against one source (findingsAgainst). */
  function mismatchesAgainst(source: string): (memo: string) => Finding[] {
    const findings = findingsAgainst(source);
    return (memo) => findings(memo).filter((f) => f.code === 'number-mismatch');
  }

  it('flags a figure that disagrees with the cited paragraph and names the source figure', () => {
    const memo = 'Tajikistan said it would raise the annual rent for the Russian base to \\$320 million [@golts2012, para. 2].\n';
    const f = check(memo).find((x) => x.code === 'number-mismatch');
    assert.ok(f, 'a number-mismatch finding');
    assert.equal(at(memo, f), '$320 million');
    assert.match(f.message, /\$230 million/);
    assert.equal(f.data?.sourceFigure, '$230 million');
  });

  it("pairs the one year of a sentence and of the claim that the other lacks, when they share a year, and names an actor the claim is not about", () => {
    const source = '# Bloc\n\nBy Lee Kim\n\nJune 29, 2012\n\nThe bloc met in Moscow.\n\nThe bloc groups Russia and Armenia.\n\nUzbekistan had rejoined it in 2006 after leaving in 1999.\n';
    const findings = findingsAgainst(source);
    const mismatches = (memo: string): Finding[] => findings(memo).filter((f) => f.code === 'number-mismatch');
    const wrong = 'Uzbekistan rejoined the bloc in 2005 after leaving it in 1999 [@kim2012, para. 3].\n';
    const [f, ...rest] = mismatches(wrong);
    assert.deepEqual(rest, []);
    assert.equal(at(wrong, f), '2005');
    assert.equal(f.message, '2005 disagrees with the cited source: kim2012, para. 3 gives 2006.');
    assert.equal(f.data?.sourceFigure, '2006');
    assert.deepEqual(mismatches(wrong.replace('2005', '2006')), []);
    // Two years that differ: which stands for which is not known.
    assert.deepEqual(mismatches(wrong.replace('1999', '1998')), []);
    // Another state's years are no fix for this one's.
    const other = mismatches(wrong.replace('Uzbekistan', 'Kazakhstan'));
    assert.deepEqual(other.map((x) => [x.message, x.data?.sourceFigure]), [['2005 disagrees with the cited source: kim2012, para. 3 gives 2006, in a sentence that does not name Kazakhstan.', undefined]]);
    const uncited = findings('Kazakhstan rejoined the bloc in 2005 after leaving it in 1999.\n');
    assert.match(uncited[0].message, /Note: kim2012, para\. 3 says 2006, not 2005, in a sentence that does not name Kazakhstan\.$/);
    assert.match(findings('Uzbekistan rejoined the bloc in 2005 after leaving it in 1999.\n')[0].message, /Note: kim2012, para\. 3 says 2006, not 2005\.$/);
  });

  it('accepts the right figure, in other words', () => {
    const memo = 'Tajikistan said it would raise the annual rent for the Russian base to 230 million dollars [@golts2012, para. 2].\n';
    assert.deepEqual(codes(memo).filter((c) => c === 'number-mismatch'), []);
  });

  it('flags the same amount in another currency, and leaves a converted amount alone', () => {
    const memo = 'Tajikistan said it would raise the annual rent for the Russian base to €230 million [@golts2012, para. 2].\n';
    const f = check(memo).find((x) => x.code === 'number-mismatch');
    assert.ok(f, 'a number-mismatch finding');
    assert.equal(at(memo, f), '€230 million');
    assert.equal(f.message, '"€230 million" disagrees with the cited source: golts2012, para. 2 says $230 million.');
    assert.equal(f.data?.sourceFigure, '$230 million');
    // (€231 million is within rounding of $230 million, but another figure: a conversion.)
    for (const figure of ['€212 million', '€231 million', 'RUB 7 billion']) {
      const converted = `Tajikistan said it would raise the annual rent for the Russian base to ${figure} [@golts2012, para. 2].\n`;
      assert.deepEqual(codes(converted).filter((c) => c === 'number-mismatch'), [], figure);
    }
    assert.equal(codes(memo.replace('€230 million', '230 million euros')).filter((c) => c === 'number-mismatch').length, 1);
    const uncited = check('Tajikistan raised the annual rent for the Russian base to €230 million.\n');
    assert.match(uncited[0].message, /Note: golts2012, para\. 2 says \$230 million, not €230 million\./);
  });

  it("reads an inline note's citation and leaves its figures out of the sentence", () => {
    const memo = 'Tajikistan said it would raise the annual rent for the Russian base to \\$230 million.^[See @golts2012 [para. 2]; the 2004 figure was $30 million.]\n';
    assert.deepEqual(codes(memo), []);
    const wrong = check(memo.replace('230', '320'));
    assert.deepEqual(wrong.map((f) => [f.code, at(memo.replace('230', '320'), f)]), [['number-mismatch', '$320 million']]);
  });

  it("says when the source's figure is about another actor, and does not offer it as the fix", () => {
    const kyrgyz = 'Kyrgyzstan said it would raise the rent on Russian bases there to \\$150 million [@golts2012, para. 2].\n';
    const [f] = check(kyrgyz).filter((x) => x.code === 'number-mismatch');
    assert.ok(f);
    assert.equal(f.message, '"$150 million" disagrees with the cited source: golts2012, para. 2 says $230 million, in a sentence that does not name Kyrgyzstan.');
    assert.equal(f.data?.sourceFigure, undefined);
    // The same figure for the actor the source gives it for: the source's figure is the fix.
    const tajik = kyrgyz.replace('Kyrgyzstan', 'Tajikistan');
    const [g] = check(tajik).filter((x) => x.code === 'number-mismatch');
    assert.equal(g.message, '"$150 million" disagrees with the cited source: golts2012, para. 2 says $230 million.');
    assert.equal(g.data?.sourceFigure, '$230 million');
    // Uncited, the note on the best match says so too.
    const uncited = check('Kyrgyzstan said it would hike the annual rent for the base Moscow leases in the country to \\$150 million.\n');
    assert.match(uncited[0].message, /Note: golts2012, para\. 2 says \$230 million, not \$150 million, in a sentence that does not name Kyrgyzstan\.$/);
    const uncitedTajik = check('Tajikistan said it would hike the annual rent for the base Moscow leases in the country to \\$150 million.\n');
    assert.match(uncitedTajik[0].message, /Note: golts2012, para\. 2 says \$230 million, not \$150 million\.$/);
  });

  it('flags a wrong year', () => {
    const memo = 'Uzbek forces killed several hundred protesters in Andijan in 2004 [@golts2012, para. 3].\n';
    const f = check(memo).find((x) => x.code === 'number-mismatch');
    assert.ok(f);
    assert.equal(at(memo, f), '2004');
    assert.match(f.message, /2005/);
  });

  it('names the other paragraphs of the source that give the year, for a fix of the locator', () => {
    const memo = 'Western forces will withdraw from Afghanistan in 2014 [@golts2012, para. 3].\n';
    const f = check(memo).find((x) => x.code === 'number-mismatch');
    assert.ok(f);
    assert.equal(at(memo, f), '2014');
    assert.equal(f.message, '2014 disagrees with the cited source: golts2012, para. 3 gives 1999. golts2012, para. 5; golts2012, para. 9 have it.');
    // First the claim that disagrees (its figure is the "use the source's figure" fix), then the others.
    assert.deepEqual(f.suggestions.map((s) => s.locator), ['para. 3', 'para. 5', 'para. 9']);
    assert.equal(f.data?.elsewhere, 2);
    assert.match(f.suggestions[1].text, /2014/);
    const edit = locatorEdit(memo, parseDraft(memo).citations[0].citations[0], 5);
    assert.ok(edit);
    assert.deepEqual(codes(applyEdits(memo, [edit])).filter((c) => c === 'number-mismatch'), []);
  });

  it('names the other paragraph that gives an amount, and none when the citation has no paragraph', () => {
    const source = [
      '---',
      'title: Rents',
      'author: Ann Lee',
      'year: 2013',
      'citation-key: lee2013',
      '---',
      '',
      'Tajikistan raised the annual rent for the Russian air base to $230 million in 2012.',
      '',
      'Kyrgyzstan raised the annual rent for the Russian air base to $60 million in 2012.',
      '',
    ].join('\n');
    const findings = mismatchesAgainst(source);
    const memo = 'Tajikistan raised the annual rent for the Russian air base to $60 million in 2012 [@lee2013, para. 1].\n';
    const [f] = findings(memo);
    assert.ok(f);
    assert.equal(at(memo, f), '$60 million');
    assert.equal(f.message, '"$60 million" disagrees with the cited source: lee2013, para. 1 says $230 million. lee2013, para. 2 has it.');
    assert.deepEqual(f.suggestions.map((s) => s.locator), ['para. 1', 'para. 2']);
    assert.equal(f.data?.sourceFigure, '$230 million');
    // The right figure: nothing to say.
    assert.deepEqual(findings(memo.replace('$60', '$230')), []);
    // Cited without a paragraph, the whole source is the scope: the figure is in it.
    assert.deepEqual(findings(memo.replace(', para. 1', '')).map((x) => x.data?.elsewhere), []);
  });

  it('flags a month the cited claim gives otherwise, and leaves approximate and relative dates alone', () => {
    const findings = mismatchesAgainst(['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Uzbekistan gave notice of its withdrawal from the CSTO on 28 June 2012.', ''].join('\n'));
    const memo = 'Uzbekistan gave notice of its withdrawal from the CSTO in May 2012 [@lee2013, para. 1].\n';
    const [f, ...rest] = findings(memo);
    assert.ok(f);
    assert.deepEqual(rest, []);
    assert.equal(at(memo, f), 'May 2012');
    assert.equal(f.message, '"May 2012" disagrees with the cited source: lee2013, para. 1 gives 28 June 2012.');
    assert.equal(f.data?.sourceFigure, '28 June 2012');
    for (const right of ['June 2012', 'late June 2012', 'June 28, 2012', 'mid-2012', '2012']) assert.deepEqual(findings(memo.replace('May 2012', right)), [], right);
    assert.equal(findings(memo.replace('in May 2012', 'on June 27, 2012')).length, 1);
  });

  it('flags a month named without a year that the cited claim gives otherwise', () => {
    // The source is dated, so its "in December" is a month (of 2011); the memo's "in November" has no year.
    const source = ['---', 'author: Ann Lee', 'date: 2012-07-16', '---', '', 'At the CSTO summit in December, Russia pressed the members to adopt a resolution on foreign military bases.', '', 'Tashkent announced its withdrawal in June 2012.', ''].join('\n');
    const findings = mismatchesAgainst(source);
    const memo = 'At the CSTO summit in November, Russia pressed the members to adopt a resolution on foreign bases [@lee2012, para. 1].\n';
    const [f, ...rest] = findings(memo);
    assert.ok(f);
    assert.deepEqual(rest, []);
    assert.equal(at(memo, f), 'November');
    assert.equal(f.message, '"November" disagrees with the cited source: lee2012, para. 1 gives December.');
    assert.equal(f.data?.sourceFigure, 'December');
    // Against a claim dated in full, the quick fix gives the month alone.
    const dated = findings('Tashkent announced its withdrawal in May, to the surprise of Moscow [@lee2012, para. 2].\n');
    assert.deepEqual(dated.map((x) => [x.message, x.data?.sourceFigure]), [['"May" disagrees with the cited source: lee2012, para. 2 gives June 2012.', 'June']]);
    for (const right of [
      'in December', // the right month
      'in November, a year after the one in December', // the claim's month named too
      'last November', // relative to the writer's present, not a month of the event
      'in November 2011', // a date with a year: the claim's month is inferred, not written with one
    ]) {
      assert.deepEqual(findings(memo.replace('in November', right)), [], right);
    }
    // Uncited, the statement is unsourced; its month is not compared.
    assert.deepEqual(findings(memo.replace(' [@lee2012, para. 1]', '')), []);
  });

  it('flags a percentage given for the same number of percentage points', () => {
    const findings = mismatchesAgainst(['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Unemployment in Kyrgyzstan rose 2 percentage points to 9% in 2012.', ''].join('\n'));
    const memo = 'Unemployment in Kyrgyzstan rose 2% to 9% in 2012 [@lee2013, para. 1].\n';
    const [f] = findings(memo);
    assert.ok(f);
    assert.equal(at(memo, f), '2%');
    assert.equal(f.message, '"2%" disagrees with the cited source: lee2013, para. 1 says 2 percentage points.');
    assert.equal(f.data?.sourceFigure, '2 percentage points');
    for (const right of ['2 percentage points', '2 pp', 'two percentage points']) assert.deepEqual(findings(memo.replace('2%', right)), [], right);
  });

  it('flags a figure the cited paragraph does not give when another paragraph of the source does', () => {
    const findings = mismatchesAgainst(
      ['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Tajikistan asked Russia for $230 million a year in rent for the base in 2012.', '', 'Kyrgyzstan closed the Manas base.', '', 'Kazakhstan hosts 4,000 Russian troops.', ''].join('\n'),
    );
    const memo = 'Tajikistan asked Russia for $230 million a year in rent [@lee2013, para. 2].\n';
    const [f] = findings(memo);
    assert.ok(f);
    assert.equal(at(memo, f), '$230 million');
    assert.equal(f.message, '"$230 million" is not in the cited paragraph: lee2013, para. 2 gives no such figure. lee2013, para. 1 has it.');
    assert.deepEqual(f.suggestions.map((s) => s.locator), ['para. 1']);
    assert.equal(f.data?.sourceFigure, undefined);
    // A range or a list of paragraphs that takes in the one with the figure, a citation of the
    // whole source, a figure no paragraph gives, and a year are not flagged.
    for (const fine of [
      'Tajikistan asked Russia for $230 million a year in rent [@lee2013, paras. 1-2].',
      'Tajikistan asked Russia for $230 million a year in rent [@lee2013, ¶¶ 2–3; @lee2013, para. 1].',
      'Tajikistan asked Russia for $230 million a year in rent [@lee2013, paras. 3, 1].',
      'Tajikistan asked Russia for $230 million a year in rent [@lee2013].',
      'Tajikistan asked Russia for $999 million a year in rent [@lee2013, para. 2].',
      'Tajikistan asked Russia for rent in 2012 [@lee2013, para. 2].',
      'Kazakhstan hosts 4,000 Russian troops [@lee2013, paras. 2-3].',
    ]) {
      assert.deepEqual(findings(`${fine}\n`), [], fine);
    }
    // A range that does not take it in is named as a range.
    assert.deepEqual(findings('Tajikistan asked Russia for $230 million a year in rent [@lee2013, paras. 2-3].\n').map((x) => x.message), [
      '"$230 million" is not in the cited paragraph: lee2013, paras. 2–3 give no such figure. lee2013, para. 1 has it.',
    ]);
  });

  it('takes a figure or a quotation from the notes of the cited paragraph', () => {
    const findings = findingsAgainst(
      ['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Russia keeps troops in Tajikistan.[^1]', '', 'Kyrgyzstan closed its base.', '', '[^1]: Ministry figures for 2012 give 7,000 troops; the minister said "the base will grow".', ''].join('\n'),
    );
    assert.deepEqual(findings('Russia keeps 7,000 troops in Tajikistan [@lee2013, para. 1].\n').map((f) => f.code), []);
    assert.deepEqual(findings('The minister said "the base will grow" [@lee2013, para. 1].\n').map((f) => f.code), []);
    // A figure the notes contradict is a mismatch as one in the paragraph is.
    assert.deepEqual(findings('Russia keeps 9,000 troops in Tajikistan [@lee2013, para. 1].\n').map((f) => f.message), ['"9,000 troops" disagrees with the cited source: lee2013, para. 1 says 7,000 troops.']);
    assert.deepEqual(findings('The minister said "the base will grow" [@lee2013, para. 2].\n').map((f) => f.code), ['quote-not-in-source']);
  });

  it('reads character references as the characters they stand for, in the memo and in the source', () => {
    const findings = mismatchesAgainst(['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Russia paid $230&nbsp;million for the base in 2012 &amp; 2013.', ''].join('\n'));
    // "$230&nbsp;million" was read as $230 on either side.
    for (const right of ['$230 million', '$230&nbsp;million', '$230&#160;million', '$230&#xA0;million']) {
      assert.deepEqual(findings(`Russia paid ${right} for the base in 2012 [@lee2013, para. 1].\n`), [], right);
    }
    const memo = 'Russia paid $250&nbsp;million for the base in 2012 [@lee2013, para. 1].\n';
    const [f] = findings(memo);
    assert.ok(f);
    assert.equal(at(memo, f), '$250&nbsp;million');
    const dollars = 'Russia paid &dollar;250 million for the base in 2012 [@lee2013, para. 1].\n';
    assert.deepEqual(findings(dollars).map((x) => at(dollars, x)), ['&dollar;250 million']);
    assert.equal(f.message, '"$250 million" disagrees with the cited source: lee2013, para. 1 says $230 million.');
  });
});

describe('quote-not-in-source', () => {
  it('finds a quotation in any paragraph of a cited range or list', () => {
    const findings = findingsAgainst(['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Kyrgyzstan closed the base.', '', 'Tajikistan raised the rent.', '', 'Karimov said "we will never rejoin" the alliance.', ''].join('\n'));
    for (const locator of ['paras. 2-3', '¶¶ 2–3', 'paras. 1, 3', 'para. 3']) {
      assert.deepEqual(findings(`Karimov said "we will never rejoin" the alliance [@lee2013, ${locator}].\n`).map((f) => f.code), [], locator);
    }
    assert.deepEqual(findings('Karimov said "we will never rejoin" the alliance [@lee2013, paras. 1-2].\n').map((f) => f.message), [
      'Quotation not found in the cited source (lee2013, paras. 1–2): "we will never rejoin". lee2013, para. 3 has it.',
    ]);
  });

  it('reads a quotation marked with Pandoc spans (Quarto highlight) as its words', () => {
    const findings = findingsAgainst(['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Karimov said "we will never rejoin" the alliance.', ''].join('\n'));
    for (const memo of [
      'Karimov said "[we will never rejoin]{.mark}" the alliance [@lee2013, para. 1].\n',
      'Karimov said "we will [never]{.underline} rejoin" the [alliance](https://example.org){target="_blank"} [@lee2013, para. 1].\n',
    ]) {
      assert.deepEqual(findings(memo).map((f) => f.code), [], memo);
    }
    const wrong = 'Karimov said "we will [always]{.mark} rejoin" the alliance [@lee2013, para. 1].\n';
    assert.deepEqual(findings(wrong).map((f) => f.message), ['Quotation not found in the cited source (lee2013, para. 1): "we will always rejoin".']);
  });

  it('finds a quotation written with character references, in the memo or in the source', () => {
    const findings = findingsAgainst(['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Karimov said &ldquo;we will never rejoin&rdquo; the alliance.', ''].join('\n'));
    for (const memo of ['Karimov said "we will never rejoin" the alliance [@lee2013, para. 1].\n', 'Karimov said &ldquo;we will never rejoin&rdquo; the alliance [@lee2013, para. 1].\n']) {
      assert.deepEqual(findings(memo).map((f) => f.code), [], memo);
    }
    // The finding takes in the references it starts and ends in.
    const wrong = 'Karimov said &ldquo;we will rejoin&rdquo; the alliance [@lee2013, para. 1].\n';
    assert.deepEqual(findings(wrong).map((f) => [f.code, at(wrong, f)]), [['quote-not-in-source', '&ldquo;we will rejoin&rdquo;']]);
  });

  it('finds a quotation whose source marks its emphasis with HTML', () => {
    const findings = findingsAgainst(['---', 'author: Ann Lee', 'year: 2013', '---', '', 'Karimov said the country would <em>never</em> rejoin the alliance.<sup>3</sup>', ''].join('\n'));
    assert.deepEqual(findings('Karimov said the country "would never rejoin the alliance" [@lee2013, para. 1].\n').map((f) => f.code), []);
  });

  it('flags words the source does not contain', () => {
    const memo = 'A senior Russian official said that "U.S. bases are a price worth paying" [@golts2012, para. 11].\n';
    const f = check(memo).find((x) => x.code === 'quote-not-in-source');
    assert.ok(f);
    assert.equal(at(memo, f), '"U.S. bases are a price worth paying"');
  });

  it('names a source cited twice for the sentence once, and looks it up once', () => {
    const memo = 'A senior Russian official said that "U.S. bases are a price worth paying" [@golts2012, para. 11][^1].\n\n[^1]: See [@golts2012, para. 11; @golts2012].\n';
    const f = check(memo).find((x) => x.code === 'quote-not-in-source');
    assert.ok(f);
    assert.match(f.message, /\(golts2012, para\. 11; golts2012\)/);
  });

  it('tolerates typographic quotes, case, spacing and an ellipsis gap', () => {
    const memo = 'A senior Russian official said: “if the price to be paid for  stability in Central Asia is the appearance of U.S. bases in the region … then such a price is not acceptable for us” [@golts2012, para. 11].\n';
    assert.deepEqual(codes(memo).filter((c) => c === 'quote-not-in-source'), []);
  });

  it('names the other paragraph of the source that has the quotation, for a fix of the locator', () => {
    const memo = 'A senior Russian official said: "If the price to be paid for stability in Central Asia is the appearance of U.S. bases in the region" [@golts2012, para. 9].\n';
    const f = check(memo).find((x) => x.code === 'quote-not-in-source');
    assert.ok(f);
    assert.match(f.message, /\(golts2012, para\. 9\).*golts2012, para\. 11 has it\.$/);
    assert.deepEqual(f.suggestions.map((s) => s.locator), ['para. 11']);
    assert.match(f.suggestions[0].text, /If the price to be paid/);
    const citation = parseDraft(memo).citations[0].citations[0];
    const edit = locatorEdit(memo, citation, 11);
    assert.ok(edit);
    assert.deepEqual(codes(applyEdits(memo, [edit])).filter((c) => c === 'quote-not-in-source'), []);
    // Words no paragraph has: nothing to suggest.
    const misquote = check('A senior Russian official said that "U.S. bases are a price worth paying" [@golts2012, para. 11].\n').find((x) => x.code === 'quote-not-in-source');
    assert.deepEqual(misquote?.suggestions, []);
  });

  it('searches the whole source when the citation has no locator', () => {
    const memo = 'Golts calls the CSTO "a collection of bilateral agreements between Moscow and the respective member states" [@golts2012].\n';
    assert.deepEqual(codes(memo).filter((c) => c === 'quote-not-in-source'), []);
  });
});

describe('locator-mismatch', () => {
  const mismatches = (memo: string): Finding[] => check(memo).filter((f) => f.code === 'locator-mismatch');

  it('flags a paragraph locator when another paragraph of the source says what the sentence states', () => {
    // Para. 9 is about Washington's carrots; para. 10 tells of Moscow's opposition to U.S. bases.
    const memo = 'Moscow opposes any new U.S. bases in the region [@golts2012, para. 9].\n';
    const [f, ...rest] = mismatches(memo);
    assert.ok(f);
    assert.deepEqual(rest, []);
    assert.equal(at(memo, f), '@golts2012, para. 9');
    assert.equal(f.message, 'golts2012, para. 9 says little of what this sentence states; golts2012, para. 10 says it.');
    assert.deepEqual(f.suggestions.map((s) => s.locator), ['para. 10']);
    assert.equal(f.severity, 'information');
    // The right paragraph, a range that holds it, or the whole source: nothing to say.
    for (const right of ['para. 10', 'paras. 9-10', 'para. 9, 10']) assert.deepEqual(mismatches(memo.replace('para. 9', right)), [], right);
    assert.deepEqual(mismatches(memo.replace(', para. 9', '')), []);
    // The same sentence, framed as the author's view, is not checked as a statement of fact.
    assert.deepEqual(mismatches(memo.replace('Moscow opposes', 'Golts writes that Moscow opposes')), []);
    // Only the sentence's own citations: a footnote's lies elsewhere, and its finding would be kept
    // relative to the sentence (the per-sentence cache would misplace it once the two move apart).
    assert.deepEqual(mismatches('Moscow opposes any new U.S. bases in the region.[^1]\n\n[^1]: [@golts2012, para. 9].\n'), []);
  });

  it('leaves a cited paragraph alone that supports the sentence, if less than another', () => {
    // Para. 2 tells of Tajikistan's rent; the sentence shares more words with it than with any other.
    assert.deepEqual(mismatches('Tajikistan said it would raise the rent for the Russian base tenfold [@golts2012, para. 2].\n'), []);
    // An out-of-range locator has its own rule.
    assert.deepEqual(mismatches('Moscow opposes any new U.S. bases in the region [@golts2012, para. 40].\n'), []);
  });
});

describe('quote-misattributed', () => {
  const misattributed = (memo: string): string[] => check(memo).filter((f) => f.code === 'quote-misattributed').map((f) => `${at(memo, f)} ${f.message}`);

  it('flags a quotation the source gives to someone other than the person the memo names', () => {
    const memo = 'Putin said that such a price "is not acceptable for us" [@golts2012, para. 11].\n';
    assert.deepEqual(misattributed(memo), ['"is not acceptable for us" golts2012, para. 11 gives these words to a senior Russian official, not to Putin.']);
    // The speaker after the quotation; the source's words, whatever their case.
    assert.deepEqual(misattributed('"Such a price is not acceptable for us," Lavrov said [@golts2012, para. 11].\n'), ['"Such a price is not acceptable for us," golts2012, para. 11 gives these words to a senior Russian official, not to Lavrov.']);
    // Words the source does not have: quote-not-in-source says so, and nothing else.
    assert.deepEqual(misattributed('Putin said that such a price "is quite acceptable for us" [@golts2012, para. 11].\n'), []);
    for (const right of ['A senior Russian official said', 'A Russian official said', 'He said', 'Golts quotes an official who said', 'The official said']) {
      assert.deepEqual(misattributed(memo.replace('Putin said that', `${right} that`)), [], right);
    }
  });

  it('flags the author\'s own words given to someone the passage does not name', () => {
    const memo = 'Putin said the CSTO is "falling apart at the seams" [@golts2012, para. 1].\n';
    assert.deepEqual(misattributed(memo), ['"falling apart at the seams" golts2012, para. 1 has these words in Golts\'s own text, not as Putin\'s.']);
    assert.deepEqual(misattributed(memo.replace('Putin said', 'Golts wrote')), []);
    // The passage is about the person quoted (Karimov): the words may be a paraphrase of theirs.
    assert.deepEqual(misattributed('Karimov, "a skilled former Soviet functionary", remembers the 1980s [@golts2012, para. 8].\n'), []);
  });
});

describe('attribution-needed', () => {
  it('flags a prediction of the source stated as fact', () => {
    const memo = 'Aggressive Islam will surge into Central Asia within months of the departure of Western forces from Afghanistan [@golts2012, para. 6].\n';
    const f = check(memo).find((x) => x.code === 'attribution-needed');
    assert.ok(f);
    assert.equal(f.severity, 'information');
    assert.match(f.message, /prediction/);
  });

  it("leaves a sentence alone whose year a statement of fact of the cited paragraph gives, where the opinion that matches it best does not", () => {
    // para. 3: "Regarding Uzbekistan's withdrawal from the CSTO, … Karimov has used this trick
    // before." (opinion) and "In 1999, he withdrew from the organization, …" (fact).
    const memo = 'In 1999, Uzbekistan withdrew from the CSTO [@golts2012, para. 3].\n';
    assert.deepEqual(codes(memo), []);
    // Without the year, the opinion is what the sentence matches.
    assert.deepEqual(codes('Uzbekistan has used its withdrawal from the CSTO as a trick before [@golts2012, para. 3].\n'), ['attribution-needed']);
  });

  it('accepts the same statement attributed', () => {
    const memo = 'Golts predicts that aggressive Islam will surge into Central Asia within months of the departure of Western forces from Afghanistan [@golts2012, para. 6].\n';
    assert.deepEqual(codes(memo).filter((c) => c === 'attribution-needed'), []);
  });

  it('attributionEdit appends the attribution before the closing citations and punctuation, which settles the finding', () => {
    const memo = 'Aggressive Islam will surge into Central Asia within months of the departure of Western forces from Afghanistan [@golts2012, para. 6].\n';
    const f = check(memo).find((x) => x.code === 'attribution-needed');
    assert.ok(f);
    assert.equal(f.data?.kind, 'prediction');
    const edit = attributionEdit(parseDraft(memo), f.start, 'Golts predicts');
    assert.ok(edit);
    const fixed = applyEdits(memo, [edit]);
    assert.equal(fixed, 'Aggressive Islam will surge into Central Asia within months of the departure of Western forces from Afghanistan, Golts predicts [@golts2012, para. 6].\n');
    assert.deepEqual(codes(fixed).filter((c) => c === 'attribution-needed'), []);
    const cases: [string, string][] = [
      ['Islam will surge, soon.', 'Islam will surge, soon, Golts argues.'],
      ['Islam will surge [@a] and spread [see @b, p. 2; @c].[^1]', 'Islam will surge [@a] and spread, Golts argues [see @b, p. 2; @c].[^1]'],
      ['No closing punctuation [@a]', 'No closing punctuation, Golts argues [@a]'],
    ];
    for (const [text, want] of cases) {
      const e = attributionEdit(parseDraft(`${text}\n`), 2, 'Golts argues');
      assert.ok(e, text);
      assert.equal(applyEdits(`${text}\n`, [e]), `${want}\n`);
    }
  });
});

describe('markdown-not-read', () => {
  it('marks the part that made the memo be read line by line, and says why', () => {
    const deep = `${'> '.repeat(40)}Nested too deep.`;
    const sourcedByLink = 'Uzbekistan left the CSTO in 2012, as [reported](https://example.org/report).';
    const memo = `Intro sentence [@golts2012, para. 2].\n\n${deep}\n\n${sourcedByLink}\n`;
    assert.equal(codes(`Intro sentence [@golts2012, para. 2].\n\n${sourcedByLink}\n`).length, 0, 'a link sources the sentence');
    const findings = check(memo);
    const notRead = findings.filter((f) => f.code === 'markdown-not-read');
    assert.equal(notRead.length, 1);
    assert.equal(at(memo, notRead[0]), deep);
    assert.equal(notRead[0].severity, 'information');
    assert.match(notRead[0].message, /line by line, not as Markdown: a line nests more than 32 block quotes or list items\. Links, footnotes/);
    // Read line by line, the link is text: the finding says findings may be off.
    assert.ok(findings.some((f) => f.code === 'unsourced-claim' && at(memo, f).includes('Uzbekistan left the CSTO')));
    // The same with the per-sentence cache (the extension's check), and it can be turned off.
    assert.deepEqual(checkDraft(parseDraft(memo), index, {}, new SentenceCache()).findings, findings);
    assert.equal(codes(memo, { rules: { 'markdown-not-read': 'off' } }).includes('markdown-not-read'), false);
  });

  it('says why for each limit, and nothing for a memo read as Markdown', () => {
    const reasons = [
      [`${'Long line of prose that goes on. '.repeat(1700)}`, /longer than 50,000 characters/],
      [`See ${'[a](b) '.repeat(2000)}.`, /brackets, emphasis marks and backticks/],
      [Array.from({ length: 1100 }, (_, i) => `[r${i}]: https://example.org/${i}`).join('\n'), /more than 1,000 link or footnote definitions/],
    ] as const;
    for (const [part, reason] of reasons) {
      const notRead = check(`Intro.\n\n${part}\n`).filter((f) => f.code === 'markdown-not-read');
      assert.equal(notRead.length, 1, String(reason));
      assert.match(notRead[0].message, reason);
    }
    assert.equal(codes('Uzbekistan left the CSTO in 2012.\n\n> > Nested twice [@golts2012, para. 2].\n').includes('markdown-not-read'), false);
  });
});

describe('rule settings', () => {
  it('the policyCite.rules setting lists every rule with the severities it takes', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const properties = manifest.contributes.configuration.properties['policyCite.rules'].properties;
    assert.deepEqual(Object.keys(properties), [...RULE_CODES]);
    for (const code of RULE_CODES) assert.deepEqual(properties[code].enum, ['error', 'warning', 'information', 'hint', 'off'], code);
  });

  it('turns rules off and changes severities', () => {
    const memo = 'Uzbekistan left the CSTO in 2012 [@nokey].\n';
    assert.deepEqual(codes(memo, { rules: { 'unknown-citation-key': 'off' } }), []);
    assert.equal(check(memo, { rules: { 'unknown-citation-key': 'warning' } })[0].severity, 'warning');
  });
});

describe('the example memo', () => {
  const memo = fs.readFileSync(path.join(EXAMPLE, 'memo.md'), 'utf8');
  const findings = check(memo);
  const byCode = (code: string) => findings.filter((f) => f.code === code).map((f) => at(memo, f));

  it('flags the two uncited facts of the Background, with suggestions from the source', () => {
    const unsourced = findings.filter((f) => f.code === 'unsourced-claim');
    const texts = unsourced.map((f) => at(memo, f));
    assert.ok(texts.includes('Uzbekistan offered the United States the use of Karshi-Khanabad as a military base in 2001.'));
    assert.ok(texts.includes('Uzbek forces killed several hundred protesters in Andijan in 2005.'));
    for (const f of unsourced) {
      if (texts.includes(at(memo, f)) && /Karshi|Andijan/.test(at(memo, f))) assert.equal(f.suggestions[0].locator, 'para. 3');
    }
  });

  it('does not flag opinions, recommendations, the ignored sentence or the code block', () => {
    const flagged = byCode('unsourced-claim').join('\n');
    assert.ok(!/In our view|should|Keep the Northern|It is hard to see|probably return|policy-cite check/.test(flagged), flagged);
  });

  it('finds the wrong rent, the misquote, the wrong locator and the unattributed prediction', () => {
    assert.deepEqual(byCode('number-mismatch'), ['$320 million']);
    assert.equal(byCode('quote-not-in-source').length, 1);
    assert.deepEqual(byCode('locator-out-of-range'), ['@golts2012, para. 17']);
    assert.deepEqual(byCode('unknown-citation-key'), []);
    assert.equal(byCode('attribution-needed').length, 1);
    assert.match(byCode('attribution-needed')[0], /^Aggressive Islam will surge/);
  });

  it('accepts the blockquote with an ellipsis and the footnote citation', () => {
    assert.ok(!byCode('quote-not-in-source').some((q) => q.includes('If the price')));
    assert.ok(!byCode('unsourced-claim').some((s) => s.includes('negotiating with the Central Asian states')));
  });
});

describe('incremental checking', () => {
  it('gives the same findings with the per-sentence cache as without, across edits', () => {
    const { SentenceCache } = require('../../src/core/check/checkDraft') as typeof import('../../src/core/check/checkDraft');
    const base = fs.readFileSync(path.join(EXAMPLE, 'memo.md'), 'utf8');
    const cache = new SentenceCache();
    const edits = [
      base,
      base.replace('in 2005.', 'in 2004.'),
      base.replace('# Analysis', '# Analysis\n\nKazakhstan exported 40 billion cubic meters of gas to China in 2019.'),
      base.replace('[@golts2012, para. 2]', '[@golts2012, para. 3]'),
      `Preface sentence about Uzbekistan in 1999.\n\n${base}`,
      base,
    ];
    for (const text of edits) {
      const draft = parseDraft(text);
      const cached = checkDraft(draft, index, {}, cache);
      const fresh = checkDraft(draft, index, {});
      assert.deepEqual(cached, fresh);
    }
    assert.ok(cache.size > 0);
  });
});

describe('tables', () => {
  const TABLE = [
    '| Claim | Source |',
    '|---|---|',
    '| Tajikistan said it would raise the annual rent for the Russian base to $320 million. | [@golts2012, para. 2] |',
    '| Uzbekistan withdrew from the CSTO in 2012. | |',
    '| Russia has tried to create a collective rapid-reaction force. Uzbekistan left the CSTO. | See [@golts2012, para. 7] |',
    '| Kyrgyzstan hosts a Russian air base [@golts2012, para. 4]. | [@golts2012, para. 9] |',
    '',
  ].join('\n');

  it('takes the citations of a row\'s other cells as the source of a cell that cites nothing', () => {
    const draft = parseDraft(TABLE);
    const rows = draft.sentences.map((s) => [s.plain, s.rowCitations.map((g) => TABLE.slice(g.start, g.end))]);
    assert.deepEqual(rows, [
      ['Claim', []],
      ['Source', []],
      ['Tajikistan said it would raise the annual rent for the Russian base to $320 million.', ['[@golts2012, para. 2]']],
      ['Uzbekistan withdrew from the CSTO in 2012.', []],
      ['Russia has tried to create a collective rapid-reaction force.', ['[@golts2012, para. 7]']],
      ['Uzbekistan left the CSTO.', ['[@golts2012, para. 7]']],
      ['See', []],
      ['Kyrgyzstan hosts a Russian air base.', []],
    ]);
    const findings = check(TABLE).map((f) => `${f.code} ${at(TABLE, f)}`);
    // The row's source is checked as the cell's own would be; the row without one is unsourced.
    assert.ok(findings.includes('number-mismatch $320 million'), findings.join('\n'));
    assert.deepEqual(findings.filter((f) => f.startsWith('unsourced-claim')), ['unsourced-claim Uzbekistan withdrew from the CSTO in 2012.']);
  });

  it('checks a cell again when another cell of its row changes its citation', () => {
    const cache = new SentenceCache();
    const parser = new IncrementalDraftParser();
    const edits = [TABLE, TABLE.replace('| [@golts2012, para. 2] |', '| |'), TABLE.replace('para. 2] |', 'para. 5] |'), TABLE];
    for (const text of edits) {
      const cached = checkDraft(parser.parse(text), index, {}, cache);
      assert.deepEqual(cached, checkDraft(parseDraft(text), index, {}));
    }
    assert.ok(check(edits[1]).some((f) => f.code === 'unsourced-claim' && at(edits[1], f).startsWith('Tajikistan')));
  });
});

describe('footnote definitions', () => {
  const MEMO = [
    'Tajikistan raised the rent on the Russian base.[^rent] Kyrgyzstan followed.[^kg]',
    '',
    '[^rent]: Golts says Tajikistan asked for \\$250 million, "a twentyfold increase" [@golts2012, para. 2].',
    '',
    '[^kg]: Kyrgyzstan said it would raise the rent Russia pays for its bases there. See @golts2012 [para. 2].',
    '',
    '[^k2]: The United States used the Karshi-Khanabad base in Uzbekistan from 2001 until 2006.',
    '',
  ].join('\n');

  it('checks the prose of a footnote against its citations, and flags it unsourced without any', () => {
    const findings = check(MEMO).map((f) => `${f.code} ${at(MEMO, f)}`);
    assert.deepEqual(findings, [
      'number-mismatch $250 million',
      'quote-not-in-source "a twentyfold increase"',
      'number-mismatch twentyfold',
      // (The sentence of [^kg] without a citation of its own is sourced by the note's.)
      'unsourced-claim The United States used the Karshi-Khanabad base in Uzbekistan from 2001 until 2006.',
    ]);
    // Without the note's citation, its sentence is unsourced.
    const bare = MEMO.replace(' See @golts2012 [para. 2].', '');
    assert.ok(check(bare).some((f) => f.code === 'unsourced-claim' && at(bare, f).startsWith('Kyrgyzstan said')), check(bare).map((f) => f.message).join('\n'));
    // The right figures: only the uncited note is left.
    const right = MEMO.replace('\\$250 million, "a twentyfold increase"', '\\$230 million, "about a tenfold increase"');
    assert.deepEqual(check(right).map((f) => f.code), ['unsourced-claim']);
  });

  it('checks a sentence of a note again when another sentence of the note changes its citation', () => {
    const cache = new SentenceCache();
    const parser = new IncrementalDraftParser();
    const edits = [MEMO, MEMO.replace(' See @golts2012 [para. 2].', ''), MEMO.replace('See @golts2012 [para. 2]', 'See @golts2012 [para. 9]'), MEMO];
    for (const text of edits) {
      const cached = checkDraft(parser.parse(text), index, {}, cache);
      assert.deepEqual(cached, checkDraft(parseDraft(text), index, {}));
    }
  });
});

describe('inline notes', () => {
  const MEMO = [
    'Uzbekistan has left the CSTO.^[Tajikistan asked for \\$500 million a year for the base [@golts2012, para. 2].] Moscow said nothing.',
    '',
    'Karimov withdrew from the bloc in 1999 [@golts2012, para. 3].^[In 2005 Uzbekistan joined NATO, as Putin said.]',
    '',
    'The rent rose.^[A senior Russian official said that "such a price is never acceptable" [@golts2012, para. 11]. It was raised again later.]',
    '',
    'At the CSTO summit in December, Russia pressured participants into adopting a resolution.^[See @golts2012 [para. 10].]',
    '',
  ].join('\n');

  it("checks a note's sentences against the note's citations, and flags them unsourced without any", () => {
    assert.deepEqual(
      check(MEMO).map((f) => `${f.code} ${at(MEMO, f)}`),
      [
        'number-mismatch $500 million',
        'unsourced-claim In 2005 Uzbekistan joined NATO, as Putin said.',
        'quote-not-in-source "such a price is never acceptable"',
      ],
    );
    // The right figure and quotation leave the uncited note only.
    const right = MEMO.replace('500', '230').replace('never', 'not');
    assert.deepEqual(check(right).map((f) => f.code), ['unsourced-claim']);
  });

  it("takes a note's citations for the sentence's sources, not its own citations", () => {
    // (Its own citation, para. 3, is right for it: the note's para. 11 is the note's business.)
    const memo = 'Karimov withdrew from the bloc in 1999 [@golts2012, para. 3].^[A senior Russian official said "such a price is not acceptable for us" [@golts2012, para. 11].]\n';
    assert.deepEqual(codes(memo), []);
    // A sentence cited only in its note is sourced by it.
    const { stats } = checkDraft(parseDraft('Tajikistan raised the annual rent for the Russian base to \\$230 million.^[@golts2012, para. 2]\n'), index);
    assert.deepEqual(stats, { factual: 1, sourced: 1 });
  });

  it('counts a sentence and its notes as one fact, sourced when each of their facts is', () => {
    const stats = (memo: string) => checkDraft(parseDraft(memo), index).stats;
    assert.deepEqual(stats('Karimov withdrew from the bloc in 1999 [@golts2012, para. 3].^[In 2005 Uzbekistan joined NATO.]\n'), { factual: 1, sourced: 0 });
    assert.deepEqual(stats('Karimov withdrew from the bloc in 1999 [@golts2012, para. 3].^[In 2005 Uzbekistan joined NATO [@golts2012, para. 3].]\n'), { factual: 1, sourced: 1 });
    assert.deepEqual(stats('We should wait.^[In 2005 Uzbekistan joined NATO.]\n'), { factual: 1, sourced: 0 });
  });

  it('keeps an ignore comment inside a note', () => {
    assert.deepEqual(codes('Karimov withdrew from the bloc in 1999 [@golts2012, para. 3].^[<!-- policy-cite: ignore --> In 2005 Uzbekistan joined NATO.]\n'), []);
  });

  it('gives the same findings with the per-sentence cache as without, across edits of a note', () => {
    const cache = new SentenceCache();
    const parser = new IncrementalDraftParser();
    const edits = [MEMO, MEMO.replace('500', '230'), MEMO.replace(' [@golts2012, para. 2]', ''), MEMO.replace('joined NATO', 'joined NATO [@golts2012, para. 3]'), MEMO];
    for (const text of edits) {
      const cached = checkDraft(parser.parse(text), index, {}, cache);
      assert.deepEqual(cached, checkDraft(parseDraft(text), index, {}));
    }
  });
});

describe('sentences about the memo itself', () => {
  it('are not flagged, nor are lead-ins ending with a colon', () => {
    assert.deepEqual(codes('To re-run the checks on this memo from a terminal:\n\n```sh\npolicy-cite check memo.md\n```\n'), []);
    assert.deepEqual(codes('The figures below come from the 2012 census:\n'), []);
  });
});
