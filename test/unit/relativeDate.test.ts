import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDraft, SentenceCache } from '../../src/core/check/checkDraft';
import { IncrementalDraftParser } from '../../src/core/incrementalDraft';
import { relativeDates, writtenArticleDate } from '../../src/core/check/relativeDates';
import { parseDraft } from '../../src/core/draft';
import { buildIndex } from '../../src/core/loader';
import type { Finding } from '../../src/core/types';

const reference = fs.readFileSync(path.resolve(__dirname, '../../examples/csto/sources/golts-2012-the-collapsing-csto.md'));
const { index } = buildIndex([{ path: 'sources/golts-2012-the-collapsing-csto.md', bytes: reference }]);

function relativeFindings(memo: string, within = index): Finding[] {
  return checkDraft(parseDraft(memo), within, {}).findings.filter((f) => f.code === 'relative-date');
}

describe('relativeDates', () => {
  const read = (text: string, date = '2012-07-16'): Array<[string, string, string | undefined]> =>
    relativeDates(text, date).map((r) => [text.slice(r.start, r.end), r.date, r.replacement]);

  it('reads each phrase from the source date and writes it out', () => {
    assert.deepEqual(read('Two weeks ago, Uzbekistan left.'), [['Two weeks ago', 'July 2, 2012', 'Two weeks before July 16, 2012']]);
    assert.deepEqual(read('Uzbekistan left three days ago.'), [['three days ago', 'July 13, 2012', 'three days before July 16, 2012']]);
    assert.deepEqual(read('Russia raised the rent last year.'), [['last year', '2011', 'in 2011']]);
    assert.deepEqual(read('Russia has raised the rent since last year.'), [['last year', '2011', '2011']]);
    assert.deepEqual(read('Yesterday, Karimov spoke.'), [['Yesterday', 'July 15, 2012', 'On July 15, 2012']]);
    assert.deepEqual(read('Russia today remains its guarantor.'), [['today', 'July 16, 2012', 'as of July 16, 2012']]);
    assert.deepEqual(read('Russia has been its guarantor until today.'), [['today', 'July 16, 2012', 'July 16, 2012']]);
    assert.deepEqual(read('Karimov will speak next month.'), [['next month', 'August 2012', 'in August 2012']]);
    assert.deepEqual(read('Karimov spoke last week.'), [['last week', 'July 2012', 'the week before July 16, 2012']]);
  });

  it('keeps to what the source date says', () => {
    // A year alone: "yesterday" is somewhere in it, with no wording to put in its place.
    assert.deepEqual(read('Yesterday, Karimov spoke.', '2012'), [['Yesterday', '2012', undefined]]);
    assert.deepEqual(read('Two weeks ago, Uzbekistan left.', '2012'), [['Two weeks ago', '2012', 'Two weeks before 2012']]);
    assert.deepEqual(read('Two weeks ago, Uzbekistan left.', 'July 2012'), []);
    assert.equal(writtenArticleDate('2012-13-01'), '2012');
    assert.equal(writtenArticleDate('2012-07'), 'July 2012');
    assert.equal(writtenArticleDate(undefined), undefined);
  });

  it('leaves alone phrases relative to another event and spans up to the present', () => {
    assert.deepEqual(read('A few days later, Kyrgyzstan followed.'), []);
    assert.deepEqual(read('Over the last year, Moscow opposed new bases.'), []);
    assert.deepEqual(read('Moscow opposed new bases in 2012.'), []);
  });
});

describe('relative-date', () => {
  it('flags a relative date in a sentence citing a dated source, with the date to write', () => {
    const memo = 'Two weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow that it has withdrawn from the bloc [@golts2012, para. 2].\n';
    const [f, ...rest] = relativeFindings(memo);
    assert.deepEqual(rest, []);
    assert.equal(memo.slice(f.start, f.end), 'Two weeks ago');
    assert.equal(f.severity, 'warning');
    assert.equal(f.message, '"Two weeks ago" counts from whenever the memo is read, not from the date of golts2012 (July 16, 2012), where it is July 2, 2012.');
    assert.equal(f.data?.replacement, 'Two weeks before July 16, 2012');
    // The date written in its place is not flagged.
    const fixed = memo.slice(0, f.start) + String(f.data?.replacement) + memo.slice(f.end);
    assert.deepEqual(relativeFindings(fixed), []);
  });

  it('leaves alone uncited sentences, quotations and sources without a date', () => {
    assert.deepEqual(relativeFindings('Two weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow that it has withdrawn from the bloc.\n'), []);
    assert.deepEqual(relativeFindings('Karimov said "two weeks ago we left the bloc" [@golts2012, para. 2].\n'), []);
    const lee = (front: string) => buildIndex([{ path: 'sources/lee.md', bytes: new TextEncoder().encode(`---\ntitle: Bloc\nauthor: Lee Kim\ncitation-key: kim\n${front}---\n\nUzbekistan left the bloc two weeks ago.\n`) }]).index;
    const memo = 'Uzbekistan left the bloc two weeks ago [@kim, para. 1].\n';
    assert.deepEqual(relativeFindings(memo, lee('')), []);
    assert.deepEqual(relativeFindings(memo, lee('date: 2012-06-29\n')).map((f) => f.message), ['"two weeks ago" counts from whenever the memo is read, not from the date of kim (June 29, 2012), where it is June 15, 2012.']);
  });

  it('can be turned off', () => {
    const memo = 'Russia raised the rent for its base in Tajikistan last year [@golts2012, para. 2].\n';
    assert.equal(relativeFindings(memo).length, 1);
    assert.deepEqual(checkDraft(parseDraft(memo), index, { rules: { 'relative-date': 'off' } }).findings.filter((f) => f.code === 'relative-date'), []);
  });

  it("reads the phrase from the memo's date when its front matter gives one, and is checked again when it changes", () => {
    const body = '\nTwo weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow that it has withdrawn from the bloc [@golts2012, para. 2].\n';
    const dated = (date: string): string => `---\ntitle: Memo\ndate: ${date}\n---\n${body}`;
    // The memo written the day the source was: the same date from both.
    assert.deepEqual(relativeFindings(dated('2012-07-16')), []);
    assert.deepEqual(relativeFindings(dated('"July 16, 2012"')), []);
    assert.deepEqual(relativeFindings(dated('2026-11-28')).map((f) => f.message), [
      '"Two weeks ago" is November 14, 2026 from the memo\'s date (November 28, 2026), but July 2, 2012 from the date of golts2012 (July 16, 2012).',
    ]);
    // A date that is not one (Quarto's `today`) is none.
    assert.match(relativeFindings(dated('today'))[0].message, /counts from whenever the memo is read/);
    // A sentence's result kept between checks depends on the memo's date.
    const parser = new IncrementalDraftParser();
    const cache = new SentenceCache();
    const codes = (text: string): string[] => checkDraft(parser.parse(text), index, {}, cache).findings.filter((f) => f.code === 'relative-date').map((f) => f.message);
    assert.deepEqual(codes(dated('2012-07-16')), []);
    assert.equal(codes(dated('2026-11-28')).length, 1);
    assert.deepEqual(codes(dated('2012-07-16')), []);
  });
});
