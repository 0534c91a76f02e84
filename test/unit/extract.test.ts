import { strict as assert } from 'node:assert';
import { extractNumbers, formatNumber, sameQuantity } from '../../src/core/extract/numbers';
import { bareMonths, extractDates, yearsOf } from '../../src/core/extract/dates';
import { extractQuotes } from '../../src/core/extract/quotes';
import type { NumberMention } from '../../src/core/types';

// Sentences of the reference article (../shared/seeds/golts-2012-the-collapsing-csto.md, dated
// 2012-07-16), as plain text: Markdown escapes removed ("\$230" is "$230").
const ARTICLE_DATE = '2012-07-16';
const RENT = "After Tashkent's announcement, Tajikistan said it would hike the annual rent for the base Moscow leases in the country to $230 million, about a tenfold increase.";
const ANDIJAN = 'But the romance with the West ended abruptly in 2005, when Uzbek forces killed several hundred protesters in Andijan.';
const TWO_WEEKS = 'Two weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow that it has withdrawn from the military and security bloc.';
const FEW_DAYS = 'A few days later, Kyrgyzstan, following Tajikistan, announced that it would raise its rent on Russian bases there.';
const IN_1999 = 'In 1999, he withdrew from the organization, hoping to thereby win concessions from the United States and other Western countries.';
const IN_2001 = 'Uzbekistan then offered the United States the use of Karshi-Khanabad as a military base in 2001.';
const IN_2014 = 'Moreover, Karimov realized that when the international coalition forces withdraw from Afghanistan in 2014, that will leave Uzbekistan, which shares a border with Afghanistan, open to Taliban infiltration.';
const WITHIN_MONTHS = 'Within months of the departure of Western forces from Afghanistan, aggressive Islam will undoubtedly surge into Central Asia, inevitably leading to civil war there.';
const SEVERAL_YEARS = 'In fact, the CSTO has been preparing for major civil unrest after the U.S. departure from Afghanistan for several years.';
const LATE_1980S = 'Karimov, a skilled former Soviet functionary, surely has not forgotten the unstable situation in the late 1980s.';
const AFTER_2014 = 'Although Karimov and other Central Asian rulers of his ilk are dictators, the security of the U.S. forces that remain behind in Afghanistan after 2014 is a much higher priority.';
const DECEMBER = 'At the CSTO summit in December, Russia pressured participants into adopting a resolution stipulating that military bases from non-CSTO countries could be permitted in the region only by a joint decision of CSTO member states, effectively giving Moscow veto power over new U.S. bases in the region.';
const OFFICIAL = 'Recently, a senior Russian official explained Moscow\'s position frankly: "If the price to be paid for stability in Central Asia is the appearance of U.S. bases in the region," he said, "then such a price is not acceptable for us."';
const COMPETITOR = 'This is because the CSTO from the beginning did not emerge out of a real need to confront a collective security threat, but as a result of Moscow\'s desire to knock together a military alliance that would somewhat resemble the long-defunct Warsaw Pact and that would also serve as a "competitor" to NATO.';
const FIRST_SIGN = 'The CSTO, created to ensure the security of the member states in the region, began tottering at the first sign of a potential threat to its members.';
const FOR_YEARS = 'Thus, it is no surprise that Karimov has distanced himself from the CSTO, an organization that had been slowly weakening for years.';
const ARTICLE_SENTENCES = [
  RENT, ANDIJAN, TWO_WEEKS, FEW_DAYS, IN_1999, IN_2001, IN_2014, WITHIN_MONTHS, SEVERAL_YEARS, LATE_1980S,
  AFTER_2014, DECEMBER, OFFICIAL, COMPETITOR, FIRST_SIGN, FOR_YEARS,
];

/** The mentions reduced to what the tests pin: text, value, unit, approximate. */
function numbers(text: string): Array<[string, number, string | undefined, boolean]> {
  return extractNumbers(text).map((n) => [n.text, n.value, n.unit, n.approximate === true]);
}

function one(text: string): NumberMention {
  const found = extractNumbers(text);
  assert.equal(found.length, 1, `one number in ${JSON.stringify(text)}: ${JSON.stringify(found)}`);
  return found[0];
}

describe('extract', () => {
  describe('extractNumbers', () => {
    it('reads the reference article: $230 million, about a tenfold increase', () => {
      assert.deepEqual(numbers(RENT), [
        ['$230 million', 230_000_000, 'USD', false],
        ['about a tenfold', 10, 'x', true],
      ]);
    });

    it('reads "several hundred protesters" as an approximate count, not the year 2005', () => {
      assert.deepEqual(numbers(ANDIJAN), [['several hundred protesters', 100, 'protesters', true]]);
    });

    it('finds no other quantity in the reference article (years, dates, "first", "several years")', () => {
      const found = ARTICLE_SENTENCES.flatMap((s) => extractNumbers(s).map((n) => n.text));
      assert.deepEqual(found, ['$230 million', 'about a tenfold', 'several hundred protesters']);
    });

    it('gives offsets into the sentence', () => {
      for (const s of [RENT, ANDIJAN, 'The EU pledged €5bn and 300 soldiers.']) {
        for (const n of extractNumbers(s)) assert.equal(s.slice(n.start, n.end), n.text);
      }
    });

    it('reads amounts of money in several currencies and notations', () => {
      assert.deepEqual(numbers('The EU pledged €5bn.'), [['€5bn', 5e9, 'EUR', false]]);
      assert.deepEqual(numbers('Britain gave £3 billion.'), [['£3 billion', 3e9, 'GBP', false]]);
      assert.deepEqual(numbers('Germany gave 5 million euros.'), [['5 million euros', 5e6, 'EUR', false]]);
      assert.deepEqual(numbers('Russia offered RUB 10 billion.'), [['RUB 10 billion', 1e10, 'RUB', false]]);
      assert.deepEqual(numbers('A loan of 10 billion rubles.'), [['10 billion rubles', 1e10, 'RUB', false]]);
      assert.deepEqual(numbers('Aid of US$5 million.'), [['US$5 million', 5e6, 'USD', false]]);
      assert.deepEqual(numbers('A grant of $5m.'), [['$5m', 5e6, 'USD', false]]);
      assert.deepEqual(numbers('It cost 230 million U.S. dollars.'), [['230 million U.S. dollars', 230e6, 'USD', false]]);
      assert.deepEqual(numbers('It cost USD 2.3 billion.'), [['USD 2.3 billion', 2.3e9, 'USD', false]]);
    });

    it('reads percentages', () => {
      assert.deepEqual(numbers('Turnout fell 40%.'), [['40%', 40, '%', false]]);
      assert.deepEqual(numbers('Turnout fell 40 percent.'), [['40 percent', 40, '%', false]]);
      assert.deepEqual(numbers('Turnout fell 40 per cent.'), [['40 per cent', 40, '%', false]]);
      assert.deepEqual(numbers('Support rose 5 percentage points.'), [['5 percentage points', 5, 'pp', false]]);
      assert.deepEqual(numbers('Nearly forty percent voted.'), [['Nearly forty percent', 40, '%', true]]);
    });

    it('reads multipliers', () => {
      const s = 'Rents rose tenfold, ten-fold, 10-fold, twofold and threefold; the budget doubled and then tripled.';
      assert.deepEqual(numbers(s), [
        ['tenfold', 10, 'x', false], ['ten-fold', 10, 'x', false], ['10-fold', 10, 'x', false],
        ['twofold', 2, 'x', false], ['threefold', 3, 'x', false], ['doubled', 2, 'x', false], ['tripled', 3, 'x', false],
      ]);
      assert.deepEqual(numbers('The base is three times as large.'), [['three times', 3, 'x', false]]);
    });

    it('reads counts with digits, commas, decimals, scales and spelled numbers', () => {
      assert.deepEqual(numbers('About 3,000 took part.'), [['About 3,000', 3000, undefined, true]]);
      assert.deepEqual(numbers('It has 1.5 million inhabitants.'), [['1.5 million inhabitants', 1.5e6, 'inhabitants', false]]);
      assert.deepEqual(numbers('Two states, twelve countries and fifty villages.'), [
        ['Two states', 2, 'states', false], ['twelve countries', 12, 'countries', false], ['fifty villages', 50, 'villages', false],
      ]);
      assert.deepEqual(numbers('It lasted twenty-five years.'), [['twenty-five years', 25, 'years', false]]);
      assert.deepEqual(numbers('It housed three hundred and fifty thousand refugees.'), [
        ['three hundred and fifty thousand refugees', 350_000, 'refugees', false],
      ]);
      assert.deepEqual(numbers('A million people marched.'), [['A million people', 1e6, 'people', false]]);
      assert.deepEqual(numbers('It signed a ten-year lease.'), [['ten-year', 10, 'year', false]]);
      assert.deepEqual(numbers('It signed a 49-year lease.'), [['49-year', 49, 'year', false]]);
    });

    it('reads vague magnitudes as approximate', () => {
      assert.deepEqual(numbers('Hundreds of soldiers and thousands of troops.'), [
        ['Hundreds of soldiers', 100, 'soldiers', true], ['thousands of troops', 1000, 'troops', true],
      ]);
      assert.deepEqual(numbers('Tens of thousands of people fled.'), [['Tens of thousands of people', 10_000, 'people', true]]);
      assert.deepEqual(numbers('A few thousand refugees.'), [['A few thousand refugees', 1000, 'refugees', true]]);
    });

    it('reads the unit noun after the number', () => {
      assert.deepEqual(numbers('They sent 300 soldiers.'), [['300 soldiers', 300, 'soldiers', false]]);
      assert.deepEqual(numbers('The border runs 1,500 km.'), [['1,500 km', 1500, 'km', false]]);
      assert.deepEqual(numbers('Russia keeps 5,000 troops there.'), [['5,000 troops', 5000, 'troops', false]]);
      assert.deepEqual(numbers('Russia keeps 5,000 Russian troops there.'), [['5,000 Russian troops', 5000, 'troops', false]]);
      assert.deepEqual(numbers('Only one soldier died.'), [['one soldier', 1, 'soldier', false]]);
      assert.deepEqual(numbers('It is 7,000 square kilometres.'), [['7,000 square kilometres', 7000, 'square kilometres', false]]);
    });

    it('marks qualified numbers as approximate', () => {
      const s = 'About 300 soldiers, around 40 tanks, some 3,000 people, nearly 20 bases, more than 40 officers and roughly 7 ships.';
      assert.deepEqual(numbers(s).map(([text, , , approximate]) => [text, approximate]), [
        ['About 300 soldiers', true], ['around 40 tanks', true], ['some 3,000 people', true], ['nearly 20 bases', true],
        ['more than 40 officers', true], ['roughly 7 ships', true],
      ]);
      assert.equal(one('There were 300 or so.').approximate, true);
    });

    it('shares a unit and scale across a range', () => {
      assert.deepEqual(numbers('It costs $2-3 billion.'), [['$2', 2e9, 'USD', false], ['3 billion', 3e9, 'USD', false]]);
      assert.deepEqual(numbers('Prices rose 20-30%.'), [['20', 20, '%', false], ['30%', 30, '%', false]]);
      assert.deepEqual(numbers('Between 2 and 3 million people left.'), [
        ['2', 2e6, 'people', false], ['3 million people', 3e6, 'people', false],
      ]);
    });

    it('does not report years, dates or decades', () => {
      for (const s of [
        'In 1999, he withdrew.', 'It happened in 2014.', 'Since 2001, by 2014, until 2005, from 1990.', '2014 was hard.',
        'The 2014 elections mattered.', 'On July 16, 2012, it ended.', 'On 16 July 2012 it ended.', 'Dated 2012-07-16.',
        'On July 16 it ended.', 'On the 16th of July it ended.', 'In the late 1980s and the 1990s.', 'In mid-2012 it ended.',
        'From 1999–2001 it grew.', IN_1999, IN_2001, IN_2014, AFTER_2014, LATE_1980S,
      ]) {
        assert.deepEqual(numbers(s), [], s);
      }
    });

    it('reports a four-digit count that is not a year', () => {
      assert.deepEqual(numbers('Russia sent 2000 troops.'), [['2000 troops', 2000, 'troops', false]]);
      assert.deepEqual(numbers('It cost $2014.'), [['$2014', 2014, 'USD', false]]);
      assert.deepEqual(numbers('Rents rose 2012%.'), [['2012%', 2012, '%', false]]);
    });

    it('does not report ordinals, pronoun "one", references, names or times', () => {
      for (const s of [
        'He was the first to leave.', 'It was the 21st summit.', 'One of the members left.', 'No one came.',
        'The one thing they agreed on.', 'See para. 2 and paragraph 3.', 'Article 5 applies.', 'Resolution 1325 passed.',
        'As argued [@golts2012, para. 3].', 'As argued [see @golts2012, p. 4; @smith2020].', 'A footnote[^2] here.',
        'It deployed S-300 missiles and MiG-29 jets.', 'The G20 met.', 'It began at 10:30.', 'Two weeks ago it left.',
        'It was one-sided.', 'They left one by one.', TWO_WEEKS, FEW_DAYS, SEVERAL_YEARS, FOR_YEARS, FIRST_SIGN,
      ]) {
        assert.deepEqual(numbers(s), [], s);
      }
    });
  });

  describe('sameQuantity', () => {
    const n = (text: string): NumberMention => one(text);

    it('tells agreeing from contradicting amounts', () => {
      assert.equal(sameQuantity(n('It was $230 million.'), n('It was $320 million.')), false);
      assert.equal(sameQuantity(n('It was $230 million.'), n('It was 230 million dollars.')), true);
      assert.equal(sameQuantity(n('It was $230 million.'), n('It was $230.4 million.')), true);
      assert.equal(sameQuantity(n('It was $230 million.'), n('It was $232 million.')), false);
      assert.equal(sameQuantity(n('It was 1.5 million people.'), n('It was 1,500,000 people.')), true);
    });

    it('is undefined for different units or currencies', () => {
      assert.equal(sameQuantity(n('It was $230 million.'), n('It was €230 million.')), undefined);
      assert.equal(sameQuantity(n('It sent 300 soldiers.'), n('It has 300 villages.')), undefined);
      assert.equal(sameQuantity(n('It sent 300 soldiers.'), n('It was 300.')), undefined);
      assert.equal(sameQuantity(n('Turnout was 40%.'), n('It sent 40 soldiers.')), undefined);
    });

    it('treats synonyms and conversions as the same unit', () => {
      assert.equal(sameQuantity(n('It sent 300 soldiers.'), n('It sent 300 troops.')), true);
      assert.equal(sameQuantity(n('Turnout was 40%.'), n('Turnout was 40 per cent.')), true);
      assert.equal(sameQuantity(n('It was 1,500 km.'), n('It was 932 miles.')), true);
      assert.equal(sameQuantity(n('It was 1,500 km.'), n('It was 500 miles.')), false);
      assert.equal(sameQuantity(n('It rose tenfold.'), n('It rose 10-fold.')), true);
      assert.equal(sameQuantity(n('It doubled.'), n('It rose twofold.')), true);
    });

    it('gives approximate values a tolerance', () => {
      const rent = extractNumbers(RENT)[1]; // about a tenfold
      assert.equal(sameQuantity(rent, n('It rose ninefold.')), true);
      assert.equal(sameQuantity(rent, n('It rose twofold.')), false);
      const andijan = extractNumbers(ANDIJAN)[0]; // several hundred protesters
      assert.equal(sameQuantity(andijan, n('They killed 500 protesters.')), true);
      assert.equal(sameQuantity(andijan, n('They killed hundreds of protesters.')), true);
      assert.equal(sameQuantity(andijan, n('They killed 50 protesters.')), false);
      assert.equal(sameQuantity(andijan, n('They killed 5,000 protesters.')), false);
      assert.equal(sameQuantity(n('More than 40 died.'), n('Exactly 45 died.')), true);
      assert.equal(sameQuantity(n('More than 40 died.'), n('Exactly 30 died.')), false);
      assert.equal(sameQuantity(n('About 300 came.'), n('Exactly 330 came.')), true);
    });
  });

  describe('formatNumber', () => {
    it('formats figures for messages', () => {
      const [money, fold] = extractNumbers(RENT);
      assert.equal(formatNumber(money), '$230 million');
      assert.equal(formatNumber(fold), 'about 10-fold (×10)');
      assert.equal(formatNumber(extractNumbers(ANDIJAN)[0]), 'several hundred protesters');
      assert.equal(formatNumber(one('Russia offered RUB 10 billion.')), 'RUB 10 billion');
      assert.equal(formatNumber(one('Turnout was 40 per cent.')), '40%');
      assert.equal(formatNumber(one('They sent 5,000 troops.')), '5,000 troops');
      assert.equal(formatNumber(one('They sent more than 5,000 troops.')), 'more than 5,000 troops');
      assert.equal(formatNumber(one('It cost €1.25bn.')), '€1.25 billion');
    });
  });

  describe('extractDates', () => {
    it('resolves "two weeks ago" against the article date, as relative and approximate', () => {
      const [d] = extractDates(TWO_WEEKS, ARTICLE_DATE);
      assert.deepEqual(d, {
        start: 0, end: 13, text: 'Two weeks ago', year: 2012, month: 7, day: 2, relative: true, approximate: true,
      });
    });

    it('resolves a bare month to its latest occurrence not after the article date', () => {
      const [d] = extractDates(DECEMBER, ARTICLE_DATE);
      assert.equal(d.text, 'December');
      assert.equal(DECEMBER.slice(d.start, d.end), 'December');
      assert.deepEqual([d.year, d.month, d.approximate], [2011, 12, true]);
      assert.deepEqual(extractDates('It met in July.', ARTICLE_DATE).map((x) => [x.year, x.month]), [[2012, 7]]);
      assert.deepEqual(extractDates('It met last March.', ARTICLE_DATE).map((x) => [x.text, x.year, x.month]), [['last March', 2012, 3]]);
      assert.deepEqual(extractDates('It meets next March.', ARTICLE_DATE).map((x) => [x.year, x.month]), [[2013, 3]]);
    });

    it('reads the years of the reference article', () => {
      assert.deepEqual(yearsOf(extractDates(IN_1999, ARTICLE_DATE)), [1999]);
      assert.deepEqual(yearsOf(extractDates(IN_2001, ARTICLE_DATE)), [2001]);
      assert.deepEqual(yearsOf(extractDates(ANDIJAN, ARTICLE_DATE)), [2005]);
      assert.deepEqual(yearsOf(extractDates(IN_2014, ARTICLE_DATE)), [2014]);
      assert.deepEqual(yearsOf(extractDates(AFTER_2014, ARTICLE_DATE)), [2014]);
      const [late] = extractDates(LATE_1980S, ARTICLE_DATE);
      assert.deepEqual([late.text, late.year, late.approximate], ['late 1980s', 1980, true]);
      assert.equal(extractDates(IN_1999)[0].approximate, undefined);
    });

    it('reports nothing for phrases relative to another event or vague ones', () => {
      for (const s of [FEW_DAYS, WITHIN_MONTHS, SEVERAL_YEARS, FOR_YEARS, OFFICIAL, 'Recently, it left.', 'A year later it left.']) {
        assert.deepEqual(extractDates(s, ARTICLE_DATE), [], s);
      }
    });

    it('reads full dates, month-years and decades', () => {
      const pick = (s: string): Array<[string, number, number | undefined, number | undefined]> =>
        extractDates(s).map((d) => [d.text, d.year, d.month, d.day]);
      assert.deepEqual(pick('It ended on July 16, 2012.'), [['July 16, 2012', 2012, 7, 16]]);
      assert.deepEqual(pick('It ended on 16 July 2012.'), [['16 July 2012', 2012, 7, 16]]);
      assert.deepEqual(pick('It ended on 2012-07-16.'), [['2012-07-16', 2012, 7, 16]]);
      assert.deepEqual(pick('It ended on Jul. 16, 2012.'), [['Jul. 16, 2012', 2012, 7, 16]]);
      assert.deepEqual(pick('It met in December 2011.'), [['December 2011', 2011, 12, undefined]]);
      assert.deepEqual(pick('In the 1990s it grew.'), [['1990s', 1990, undefined, undefined]]);
      assert.deepEqual(pick('From 1999–2001 it grew.'), [['1999', 1999, undefined, undefined], ['2001', 2001, undefined, undefined]]);
      assert.deepEqual(pick('In 2001-02 it grew.'), [['2001', 2001, undefined, undefined], ['02', 2002, undefined, undefined]]);
      assert.deepEqual(pick('In early 2012 it grew.'), [['early 2012', 2012, undefined, undefined]]);
    });

    it('resolves relative years, months and days', () => {
      const pick = (s: string): Array<[string, number, number | undefined, number | undefined]> =>
        extractDates(s, ARTICLE_DATE).map((d) => {
          assert.equal(d.relative, true);
          assert.equal(d.approximate, true);
          return [d.text, d.year, d.month, d.day];
        });
      assert.deepEqual(pick('Last year, this year and next year.'), [
        ['Last year', 2011, undefined, undefined], ['this year', 2012, undefined, undefined], ['next year', 2013, undefined, undefined],
      ]);
      assert.deepEqual(pick('It said so yesterday.'), [['yesterday', 2012, 7, 15]]);
      assert.deepEqual(pick('It said so last month.'), [['last month', 2012, 6, undefined]]);
      assert.deepEqual(pick('It left three years ago.'), [['three years ago', 2009, undefined, undefined]]);
      assert.deepEqual(pick('It left 18 months ago.'), [['18 months ago', 2011, 1, undefined]]);
    });

    it('needs the article date for bare months and relative phrases', () => {
      assert.deepEqual(extractDates(TWO_WEEKS), []);
      assert.deepEqual(extractDates(DECEMBER), []);
      assert.deepEqual(extractDates('Last year it left.'), []);
    });

    it('does not take quantities or modal "May" for dates', () => {
      assert.deepEqual(extractDates('Russia sent 2000 troops.', ARTICLE_DATE), []);
      assert.deepEqual(extractDates('It cost $2014.', ARTICLE_DATE), []);
      assert.deepEqual(extractDates('May we add one point?', ARTICLE_DATE), []);
      assert.deepEqual(extractDates('They met in May.', ARTICLE_DATE).map((d) => [d.year, d.month]), [[2012, 5]]);
      assert.deepEqual(yearsOf(extractDates('The 2014 elections.')), [2014]);
    });

    it('yearsOf lists each year once, in order, optionally exact ones only', () => {
      const dates = extractDates('In 2005, in the late 1980s, in 2001 and again in 2005, two weeks ago.', ARTICLE_DATE);
      assert.deepEqual(yearsOf(dates), [2005, 1980, 2001, 2012]);
      assert.deepEqual(yearsOf(dates, { exactOnly: true }), [2005, 2001]);
    });
  });

  describe('bareMonths', () => {
    const months = (text: string): Array<[string, number]> => bareMonths(text, extractDates(text)).map((m) => [text.slice(m.start, m.end), m.month]);

    it('finds a month named after a cue word, without a year or a day', () => {
      assert.deepEqual(months('At the summit in November, Russia pressed its allies.'), [['November', 11]]);
      assert.deepEqual(months('In December the members met; since March they have not.'), [['December', 12], ['March', 3]]);
    });

    it('leaves dates, relative months, names and verbs alone', () => {
      for (const text of [
        'The summit met in November 2011.',
        'The summit met on 3 November.',
        'The summit met last November.', // relative to the writer's present
        'In June Carter wrote her memoirs.', // a name after it
        'The speech was given by May.', // Theresa May: "May" and "March" need a cue such as "in"
        'They decided to March on the capital.',
        'November was cold.', // no cue
      ]) {
        assert.deepEqual(months(text), [], text);
      }
    });
  });

  describe('extractQuotes', () => {
    it('finds both fragments of the senior official\'s quotation and its speaker', () => {
      const quotes = extractQuotes(OFFICIAL);
      assert.deepEqual(quotes.map((q) => [q.text, q.speaker]), [
        ['If the price to be paid for stability in Central Asia is the appearance of U.S. bases in the region', 'a senior Russian official'],
        ['then such a price is not acceptable for us.', 'a senior Russian official'],
      ]);
      for (const q of quotes) assert.equal(OFFICIAL.slice(q.start, q.end), q.text);
    });

    it('does not give a quotation to the speaker who introduces the next one', () => {
      const text = 'According to a diplomat, "The decision was taken after long consultations." Putin said: "We expect the payments to resume."';
      assert.deepEqual(extractQuotes(text).map((q) => [q.text, q.speaker]), [
        ['The decision was taken after long consultations.', 'a diplomat'],
        ['We expect the payments to resume.', 'Putin'],
      ]);
      assert.deepEqual(extractQuotes('Karimov said "we will leave" and Putin said: "we will stay"').map((q) => q.speaker), ['Karimov', 'Putin']);
      // The usual tail attribution stays.
      assert.deepEqual(extractQuotes('"Such a price is not acceptable," Putin said.').map((q) => q.speaker), ['Putin']);
    });

    it('returns a scare quote with no speaker', () => {
      assert.deepEqual(extractQuotes(COMPETITOR).map((q) => [q.text, q.speaker]), [['competitor', undefined]]);
      assert.deepEqual(extractQuotes('Putin warned that the deal was off, and the "partnership" ended.').map((q) => q.speaker), [undefined]);
      assert.deepEqual(extractQuotes('The so-called ‘reset’ failed.').map((q) => [q.text, q.speaker]), [['reset', undefined]]);
    });

    it('finds speakers after the quotation, inverted, or with "according to"', () => {
      const speakerOf = (s: string): Array<string | undefined> => extractQuotes(s).map((q) => q.speaker);
      assert.deepEqual(speakerOf('“We will not return,” said Uzbek President Islam Karimov.'), ['Uzbek President Islam Karimov']);
      assert.deepEqual(speakerOf('“We will not return,” Karimov told reporters on Monday.'), ['Karimov']);
      assert.deepEqual(speakerOf('According to a senior diplomat, “the bloc is finished.”'), ['a senior diplomat']);
      assert.deepEqual(speakerOf('Karimov said it was "unacceptable" and "dangerous".'), ['Karimov', 'Karimov']);
      assert.deepEqual(
        speakerOf('Gen. Nikolai Bordyuzha, the CSTO secretary general, declared: «The organization is strong.»'),
        ['Gen. Nikolai Bordyuzha'],
      );
      assert.deepEqual(speakerOf('But Karimov has also warned: "We will leave."'), ['Karimov']);
      assert.deepEqual(speakerOf('"We will leave," he said.'), ['he']);
    });

    it('does not take apostrophes for quotation marks', () => {
      assert.deepEqual(extractQuotes("It's clear that it's over."), []);
      assert.deepEqual(extractQuotes('It’s clear that the members’ interests differ.'), []);
      assert.deepEqual(extractQuotes('In the ’90s it grew.'), []);
      assert.deepEqual(extractQuotes('Nothing "" here.'), []);
    });

    it('continues a quotation opened in an earlier sentence', () => {
      const previous = ['Recently, a senior Russian official explained: “We will not accept new bases.', 'Nor will we pay for them.'];
      const s = 'Such a price is not acceptable,” he added.';
      assert.deepEqual(extractQuotes(s, { previousSentences: previous }).map((q) => [q.text, q.speaker, q.start]), [
        ['Such a price is not acceptable', 'a senior Russian official', 0],
      ]);
      assert.deepEqual(extractQuotes('Nor will we pay for them.', { previousSentences: previous.slice(0, 1) }).map((q) => [q.text, q.speaker]), [
        ['Nor will we pay for them.', 'a senior Russian official'],
      ]);
      assert.deepEqual(extractQuotes(s), []); // without the context the closing mark alone is no quotation
    });

    it('reports a quotation still open at the end of the sentence', () => {
      const s = 'The official explained: “We will not accept new bases.';
      assert.deepEqual(extractQuotes(s).map((q) => [q.text, q.speaker]), [['We will not accept new bases.', 'The official']]);
    });
  });

  describe('linear time on adversarial input', function () {
    this.timeout(120_000);
    // One 100 KB input against ten 10 KB inputs: linear work gives about 1 (plus up to ~3× for
    // live data promoted by the garbage collector at 100 KB); a quadratic pass gives about 10,
    // catastrophic backtracking far more.
    const MAX_RATIO = 4;
    /** Ten small inputs that take less CPU than this are compared as if they took this long. */
    const FLOOR_MS = 1;
    const generators: Record<string, (size: number) => string> = {
      'thousands groups': (size) => '1,'.repeat(size / 2),
      'straight quotes': (size) => '"'.repeat(size),
      'typographic quotes': (size) => '“‘'.repeat(size / 2),
      'digits and spaces': (size) => '12 3 '.repeat(size / 5),
      'dotted digits': (size) => '1.'.repeat(size / 2),
      'hyphen chain': (size) => 'ten-'.repeat(size / 4),
      'number words': (size) => 'one hundred and '.repeat(size / 16),
      'reporting verbs': (size) => '"a," he said, '.repeat(size / 14),
      'open brackets': (size) => '[@'.repeat(size / 2),
      'years and months': (size) => 'in December 1999 '.repeat(size / 17),
      'commas and spaces': (size) => '"a"' + ', '.repeat(size / 2) + 'x "b"',
      'unclosed quote': (size) => '"' + 'word '.repeat(size / 5),
    };
    const runAll = (s: string): number =>
      extractNumbers(s).length + extractDates(s, ARTICLE_DATE).length + extractQuotes(s, { previousSentences: [s] }).length;
    /** The least CPU time of `runs` runs in ms: other processes on a loaded machine do not count. */
    const fastest = (f: () => void, runs: number): number => {
      let best = Infinity;
      for (let r = 0; r < runs; r++) {
        const start = process.cpuUsage();
        f();
        const used = process.cpuUsage(start);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      return best;
    };

    for (const [name, generate] of Object.entries(generators)) {
      it(`grows linearly: ${name}`, () => {
        // Ten different 10 KB inputs whose results stay alive allocate as much as one 100 KB
        // input, so both sizes run under the same garbage-collection regime.
        const small = Array.from({ length: 10 }, (_, k) => generate(10_000) + ' '.repeat(k));
        const big = generate(100_000);
        let ratio = Infinity;
        // A busy machine adds noise, never a quadratic slope: keep the best of three attempts.
        for (let attempt = 0; attempt < 3 && ratio > MAX_RATIO; attempt++) {
          const tenSmall = fastest(() => {
            const keep: number[] = [];
            for (const s of small) keep.push(runAll(s));
          }, 3);
          const bigTime = fastest(() => runAll(big), 3);
          assert.ok(bigTime < 10_000, `${name}: ${bigTime.toFixed(0)} ms for 100 KB`);
          ratio = Math.min(ratio, bigTime / Math.max(tenSmall, FLOOR_MS));
        }
        assert.ok(ratio <= MAX_RATIO, `${name}: 100 KB took ${ratio.toFixed(1)}× as long as ten 10 KB inputs`);
      });
    }
  });
});

describe('extract: words that name members of Object', () => {
  it('finds no number or date in "constructor", "toString", "__proto__" and the like', () => {
    const words = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];
    for (const w of words) {
      const text = `The ${w} of the deal, the ${w}-fold rise and ${w} troops in ${w} 2012.`;
      assert.deepEqual(extractNumbers(text).map((n) => n.text), [], w);
      assert.deepEqual(extractDates(text).map((d) => d.text), ['2012'], w);
    }
  });
});
