import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { frontMatterWarning, parseSource } from '../../src/core/source';
import { SourceCache } from '../../src/core/sourceCache';
import { ClaimIndex } from '../../src/core/claimIndex';
import { buildIndex, decodeSource, keyCollisionWarning } from '../../src/core/loader';
import type { Source } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '../..');
const REFERENCE_PATH = 'sources/golts-2012-the-collapsing-csto.md';
const referenceText = fs.readFileSync(path.join(ROOT, 'examples/csto', REFERENCE_PATH), 'utf8');

/** A source's claims as "paragraph.sentence text". */
function claimLines(source: Source): string[] {
  return source.claims.map((c) => `${c.paragraph}.${c.sentence} ${c.text}`);
}

describe('parseSource on the reference article', () => {
  let source: Source;
  before(() => {
    source = parseSource(referenceText, REFERENCE_PATH);
  });

  it('reads the metadata from the article conventions', () => {
    assert.equal(source.key, 'golts2012');
    assert.equal(source.meta.title, 'The Collapsing CSTO');
    assert.deepEqual(source.meta.authors, [{ family: 'Golts', given: 'Alexander' }]);
    assert.equal(source.meta.date, '2012-07-16');
    assert.equal(source.meta.publisher, 'The Moscow Times');
    assert.equal(source.meta.url, 'https://www.themoscowtimes.com/2012/07/16/the-collapsing-csto-a16292');
    assert.equal(source.meta.authorInfo, 'Alexander Golts is deputy editor of the online newspaper Yezhednevny Zhurnal.');
  });

  it('numbers 13 body paragraphs and joins the one broken before "blacklist."', () => {
    assert.equal(source.paragraphs.length, 13);
    assert.ok(source.paragraphs[0].text.startsWith('The Collective Security Treaty Organization, or CSTO'));
    assert.ok(source.paragraphs[2].text.startsWith('Regarding Uzbekistan'));
    assert.ok(source.paragraphs[2].text.endsWith('placed Tashkent on its unofficial blacklist.'));
    assert.ok(source.paragraphs[3].text.startsWith('The Western isolation of Uzbekistan'));
    assert.ok(source.paragraphs[12].text.startsWith('In reality, the CSTO'));
    assert.ok(!source.paragraphs.some((p) => p.text.includes('deputy editor')), 'the bio is not a body paragraph');
    assert.ok(!source.paragraphs.some((p) => p.text.includes('do not necessarily reflect')), 'the disclaimer is not a body paragraph');
  });

  it('makes one claim per sentence with offsets into the file', () => {
    const p2 = source.claims.filter((c) => c.paragraph === 2);
    assert.equal(p2.length, 4);
    assert.equal(p2[0].id, 'golts2012:2.1');
    assert.equal(p2[0].text, 'Two weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow that it has withdrawn from the military and security bloc.');
    for (const c of source.claims) {
      const raw = referenceText.slice(c.start, c.end);
      assert.equal(raw.replace(/\\\$/g, '$').replace(/\s+/g, ' '), c.text, `offsets of ${c.id}`);
    }
  });

  it('removes Markdown escapes from claim text while offsets still cover them', () => {
    const rent = source.claims.find((c) => c.text.includes('$230 million'));
    assert.ok(rent, 'the rent sentence');
    assert.ok(!rent.text.includes('\\$'));
    assert.ok(referenceText.slice(rent.start, rent.end).includes('\\$230 million'));
    const money = rent.numbers.find((n) => n.unit === 'USD');
    assert.equal(money?.value, 230_000_000);
    assert.ok(rent.numbers.some((n) => n.unit === 'x' && n.value === 10), 'tenfold');
  });

  it('keeps the sentence broken by a blank line whole', () => {
    const last = source.claims.filter((c) => c.paragraph === 3).pop();
    assert.ok(last?.text.endsWith('placed Tashkent on its unofficial blacklist.'));
    assert.ok(last?.text.startsWith('As much as NATO needed its base in Uzbekistan'));
  });

  it('finds years and resolves "two weeks ago" against the article date', () => {
    const byId = (id: string) => source.claims.find((c) => c.id === id);
    assert.deepEqual(byId('golts2012:3.2')?.years, [1999]);
    assert.deepEqual(byId('golts2012:3.3')?.years, [2001]);
    assert.deepEqual(byId('golts2012:3.4')?.years, [2005]);
    const twoWeeks = byId('golts2012:2.1')?.dates.find((d) => d.relative);
    assert.ok(twoWeeks, 'a relative date');
    assert.equal(twoWeeks.year, 2012);
    assert.equal(twoWeeks.month, 7);
    assert.ok(twoWeeks.approximate);
    const several = source.claims.find((c) => c.text.includes('several hundred protesters'));
    assert.ok(several?.numbers.some((n) => n.approximate), 'several hundred is approximate');
  });

  it('records quoted speech with its speaker', () => {
    const quote = source.claims.find((c) => c.text.startsWith('Recently, a senior Russian official'));
    assert.ok(quote);
    assert.equal(quote.kind, 'quote');
    assert.equal(quote.quotes.length, 2);
    assert.equal(quote.quotes[0].speaker, 'a senior Russian official');
    assert.ok(quote.quotes[1].text.startsWith('then such a price is not acceptable'));
  });

  it('tells facts from predictions and opinions', () => {
    const kind = (start: string) => source.claims.find((c) => c.text.startsWith(start))?.kind;
    assert.equal(kind('In 1999, he withdrew'), 'fact');
    assert.equal(kind('Within months of the departure'), 'prediction');
    assert.equal(kind('It is very likely that this factor'), 'opinion');
    assert.equal(kind('The move is logical and pragmatic.'), 'opinion');
  });

  it('tags actors through aliases, metonyms and the pronoun "he"', () => {
    const actorsOf = (id: string) => source.claims.find((c) => c.id === id)?.actors ?? [];
    assert.ok(actorsOf('golts2012:1.1').includes('Collective Security Treaty Organization'));
    assert.ok(actorsOf('golts2012:1.1').includes('Russia'));
    assert.ok(actorsOf('golts2012:2.3').includes('Uzbekistan'), 'Tashkent → Uzbekistan');
    assert.ok(actorsOf('golts2012:3.1').includes('Islam Karimov'));
    assert.ok(actorsOf('golts2012:3.2').includes('Islam Karimov'), '"he" in "In 1999, he withdrew" is Karimov');
    assert.ok(actorsOf('golts2012:3.2').includes('United States'));
    assert.ok(!actorsOf('golts2012:11.1').includes('Islam Karimov'), 'the unnamed official is not Karimov');
  });
});

describe('the actor registry over the reference article', () => {
  const { index } = buildIndex([{ path: REFERENCE_PATH, bytes: Buffer.from(referenceText) }]);
  const actor = (name: string) => index.actors().find((a) => a.name === name);
  const cases: [string, string, string[]][] = [
    ['Collective Security Treaty Organization', 'organization', ['CSTO']],
    ['Russia', 'state', ['Moscow', 'Russian']],
    ['Uzbekistan', 'state', ['Tashkent', 'Uzbek']],
    ['Islam Karimov', 'person', ['Karimov']],
    ['Tajikistan', 'state', []],
    ['Kyrgyzstan', 'state', []],
    ['United States', 'state', ['Washington', 'U.S.', 'American']],
    ['Vladimir Putin', 'person', []],
    ['North Atlantic Treaty Organization', 'organization', ['NATO']],
    ['Afghanistan', 'state', []],
    ['Taliban', 'group', []],
    ['Andijan', 'place', []],
    ['Karshi-Khanabad', 'place', []],
    ['Central Asia', 'place', []],
    ['Warsaw Pact', 'organization', []],
    ['the West', 'place', ['Western']],
  ];
  for (const [name, type, aliases] of cases) {
    it(`resolves ${name}`, () => {
      const a = actor(name);
      assert.ok(a, `${name} is in the registry with claims`);
      assert.equal(a.type, type);
      assert.ok(a.claims.length > 0);
      const surfaces = [...a.aliases, ...(a.metonyms ?? [])];
      for (const alias of aliases) assert.ok(surfaces.includes(alias), `${name} has alias ${alias}`);
    });
  }

  it('gives Karimov the role the source states', () => {
    assert.ok(actor('Islam Karimov')?.roles.includes('Uzbek President'));
  });

  it('knows the author from the byline and bio', () => {
    const golts = index.registry.get('Alexander Golts');
    assert.ok(golts);
    assert.equal(golts.type, 'person');
    assert.ok(golts.aliases.includes('Golts'));
    assert.ok(golts.roles.some((r) => r.includes('deputy editor')));
  });
});

describe("the index's registry as sources change", () => {
  // Two sources by one author, each with a bio: the author is an actor both name, with the role
  // each bio gives, the first source's first.
  const article = (title: string, body: string, bio: string): string => `---\ntitle: ${title}\nauthor: Anna Petrova\ndate: 2019\n---\n\n${body}\n\nAnna Petrova is ${bio}.\n`;
  const gas = (figure: number, bio = 'a senior fellow at the Eurasia Institute') => parseSource(article('Gas Routes', `Turkmenistan sold ${figure} billion cubic meters of gas to China in 2018.`, bio), 'sources/gas.md');
  const pipes = () => parseSource(article('Pipelines', 'Kazakhstan sold gas to Russia in 2019.', 'an editor at Gas Weekly'), 'sources/pipes.md');
  const indexOf = (...sources: Source[]): ClaimIndex => {
    const index = new ClaimIndex();
    for (const s of sources) index.upsert(s);
    return index;
  };
  const petrova = (index: ClaimIndex) => index.registry.get('Anna Petrova');

  it('is kept while the sources name the same actors, and is what a fresh index has', () => {
    const index = indexOf(gas(30), pipes());
    const before = index.registry;
    assert.equal(petrova(index)?.description, 'Author of “Gas Routes”');
    assert.equal(petrova(index)?.roles.length, 2);
    // A figure changed: the same actors, the same registry (not built again).
    index.upsert(gas(31));
    assert.equal(index.registry, before);
    assert.deepEqual(index.registry.all(), indexOf(gas(31), pipes()).registry.all());
    // The bio changed: built again, the first source's role still first, as in a fresh index.
    index.upsert(gas(31, 'a professor at Tartu'));
    assert.notEqual(index.registry, before);
    assert.equal(petrova(index)?.roles[0], petrova(indexOf(gas(31, 'a professor at Tartu')))?.roles[0]);
    assert.deepEqual(index.registry.all(), indexOf(gas(31, 'a professor at Tartu'), pipes()).registry.all());
    assert.notDeepEqual(petrova(index)?.roles, petrova(indexOf(pipes(), gas(31, 'a professor at Tartu')))?.roles);
    // Removed and added again: now after the other one.
    index.remove('sources/gas.md');
    assert.equal(petrova(index)?.description, 'Author of “Pipelines”');
    index.upsert(gas(31));
    assert.deepEqual(index.registry.all(), indexOf(pipes(), gas(31)).registry.all());
  });
});

describe('parseSource on other sources', () => {
  it('reads YAML front matter, and a citation-key wins', () => {
    const text = `---\ntitle: Gas and Power in Central Asia\nauthor:\n  - family: Petrova\n    given: Anna\ndate: 2019-03-04\npublisher: Eurasia Review\nurl: https://example.org/gas\ncitation-key: petrova-gas\n---\n\nTurkmenistan sold 30 billion cubic meters of gas to China in 2018.\n\nAnalysts expect the volume to grow.\n`;
    const s = parseSource(text, 'sources/petrova.md');
    assert.equal(s.key, 'petrova-gas');
    assert.equal(s.meta.title, 'Gas and Power in Central Asia');
    assert.deepEqual(s.meta.authors, [{ family: 'Petrova', given: 'Anna' }]);
    assert.equal(s.meta.date, '2019-03-04');
    assert.equal(s.meta.publisher, 'Eurasia Review');
    assert.equal(s.paragraphs.length, 2);
    assert.equal(s.claims[0].text, 'Turkmenistan sold 30 billion cubic meters of gas to China in 2018.');
    assert.equal(text.slice(s.claims[0].start, s.claims[0].end), s.claims[0].text);
    assert.deepEqual(s.claims[0].years, [2018]);
    assert.ok(s.claims[0].actors.includes('Turkmenistan') && s.claims[0].actors.includes('China'));
  });

  it('derives the key from author and year when front matter has no key', () => {
    const s = parseSource('---\nauthor: "Nowak, Jan"\ndate: 2020\n---\nPoland joined NATO in 1999.\n', 'x.md');
    assert.equal(s.key, 'nowak2020');
    // A `year:` field, as reference managers' notes have it, dates the source when `date:` does not.
    const year = parseSource('---\nauthor: Jane Roe\nyear: 2020\n---\nPoland joined NATO in 1999.\n', 'x.md');
    assert.equal(year.key, 'roe2020');
    assert.equal(year.meta.date, '2020');
    assert.equal(parseSource('---\nauthor: Jane Roe\ndate: 2019-03-04\nyear: 2020\n---\nText.\n', 'x.md').meta.date, '2019-03-04');
  });

  it('reads the bylines and date lines of clipped web pages in the header', () => {
    const meta = (header: string[]): unknown => {
      const s = parseSource([...header, '', 'Uzbekistan suspended its membership in the CSTO in June 2012.', ''].join('\n\n'), 'sources/x.md');
      assert.deepEqual(s.claims.map((c) => c.text), ['Uzbekistan suspended its membership in the CSTO in June 2012.'], header.join(' / '));
      return { authors: s.meta.authors, date: s.meta.date };
    };
    const golts = [{ family: 'Golts', given: 'Alexander' }];
    assert.deepEqual(meta(['# The Collapsing CSTO', 'By Alexander Golts', 'Published: July 16, 2012']), { authors: golts, date: '2012-07-16' });
    assert.deepEqual(meta(['Alexander Golts | 16 July 2012']), { authors: golts, date: '2012-07-16' });
    assert.deepEqual(meta(['*By Alexander Golts, Reuters*', 'July 16, 2012 at 5:00 PM']), { authors: golts, date: '2012-07-16' });
    assert.deepEqual(meta(['By [Alexander Golts](https://example.org/golts) · Updated on July 16, 2012, 10:30 EDT']), { authors: golts, date: '2012-07-16' });
    assert.deepEqual(meta(['By Jane Roe and John Doe, Staff Writers']), { authors: [{ family: 'Roe', given: 'Jane' }, { family: 'Doe', given: 'John' }], date: undefined });
    // A name needs a date beside it to be a byline; a place is no name.
    const notHeader = parseSource('Alexander Golts\n\nMoscow | July 16, 2012\n\nText.\n', 'sources/x.md');
    assert.deepEqual(notHeader.claims.map((c) => c.text), ['Alexander Golts', 'Moscow | July 16, 2012', 'Text.']);
    assert.deepEqual(notHeader.meta.authors, []);
  });

  it("reads a dateline's place beside the date as no author, and keeps the article's first paragraph first", () => {
    const body = 'Uzbekistan suspended its membership in the CSTO in June 2012.';
    for (const line of ['New York | July 2, 2012', 'Moscow | July 2, 2012', 'MOSCOW | July 2, 2012', 'Geneva · July 2, 2012', 'NEW YORK (Reuters) | July 2, 2012', 'By Jane Roe | Tashkent | July 2, 2012']) {
      const s = parseSource(['# The Collapsing CSTO', line, body, ''].join('\n\n'), 'sources/wire.md');
      assert.equal(s.meta.date, '2012-07-02', line);
      assert.deepEqual(s.meta.authors, line.startsWith('By ') ? [{ family: 'Roe', given: 'Jane' }] : [], line);
      assert.equal(s.key, line.startsWith('By ') ? 'roe2012' : 'wire', line);
      assert.deepEqual(s.claims.map((c) => [c.text, c.paragraph]), [[body, 1]], line);
      // An agency's credit names the publisher.
      assert.equal(s.meta.publisher, line.includes('(Reuters)') ? 'Reuters' : undefined, line);
    }
    // Words in capitals before an agency's credit are a place; a person's name there is a byline.
    const credited = (line: string) => parseSource(`${line}\n\n${body}\n`, 'sources/x.md').meta;
    assert.deepEqual([credited('KHOROG (AP) | July 2, 2012').authors, credited('KHOROG (AP) | July 2, 2012').publisher], [[], 'AP']);
    assert.deepEqual([credited('Jane Roe (Reuters) | July 2, 2012').authors, credited('Jane Roe (Reuters) | July 2, 2012').publisher], [[{ family: 'Roe', given: 'Jane' }], 'Reuters']);
    // A person's name beside a date is still a byline, and a place alone no header line.
    assert.deepEqual(parseSource(`Jane Roe | July 2, 2012\n\n${body}\n`, 'sources/x.md').meta.authors, [{ family: 'Roe', given: 'Jane' }]);
    assert.deepEqual(parseSource(`Moscow\n\n${body}\n`, 'sources/x.md').claims.map((c) => c.text), ['Moscow', body]);
  });

  it('reads the front matter web clippers write: wiki-link authors, `published`, a `source` address', () => {
    // Obsidian Web Clipper's template.
    const obsidian = parseSource(
      [
        '---',
        'title: "The Collapsing CSTO"',
        'source: "https://www.themoscowtimes.com/2012/07/16/the-collapsing-csto-a16244"',
        'author:',
        '  - "[[Alexander Golts]]"',
        '  - "[[Jane Roe|Roe]]"',
        'published: 2012-07-16',
        'created: 2026-11-20',
        'tags:',
        '  - "clippings"',
        '---',
        'Uzbekistan suspended its membership in the CSTO in June 2012.',
        '',
      ].join('\n'),
      'sources/clip.md',
    );
    assert.equal(obsidian.key, 'golts2012');
    assert.deepEqual(obsidian.meta.authors, [
      { family: 'Golts', given: 'Alexander' },
      { family: 'Roe', given: 'Jane' },
    ]);
    assert.equal(obsidian.meta.date, '2012-07-16');
    assert.equal(obsidian.meta.url, 'https://www.themoscowtimes.com/2012/07/16/the-collapsing-csto-a16244');
    // Several wiki links in one string, as the clipper's `wikilink|join` filters write them.
    assert.deepEqual(parseSource('---\nauthor: "[[Jane Roe]], [[John Doe]]"\n---\nText.\n', 'x.md').meta.authors, [
      { family: 'Roe', given: 'Jane' },
      { family: 'Doe', given: 'John' },
    ]);
    // MarkDownload's: `created` is when the page was clipped, not published, so no date.
    const download = parseSource('---\ncreated: 2026-11-20T10:11:12 (UTC +01:00)\nsource: https://www.example.org/2013/05/csto-exit\nauthor: Jane Roe\n---\nText.\n', 'x.md');
    assert.equal(download.meta.date, undefined);
    assert.equal(download.key, 'roe');
    assert.equal(download.meta.url, 'https://www.example.org/2013/05/csto-exit');
    // A `source` that names an outlet is no address; Jekyll's `published: false` is no date.
    const outlet = parseSource('---\nsource: Reuters\npublished: false\nyear: 2019\n---\nText.\n', 'x.md');
    assert.equal(outlet.meta.url, undefined);
    assert.equal(outlet.meta.date, '2019');
  });

  it('reads each list item and table row as a claim of its own, without its markers', () => {
    const file = [
      'Key findings:',
      '',
      '- Russia keeps 7,000 troops in Tajikistan',
      '- Tajikistan asked for $230 million in rent.',
      '  It had asked for less before',
      '',
      '1. First, Uzbekistan left the CSTO in 2012',
      '2) Second, it rejoined in 2006',
      '',
      '| Country | Troops |',
      '|:--|--:|',
      '| Tajikistan | 7,000 |',
      '',
      '> Karimov said "we will never join" in 2012.',
      '> > He left.',
      '',
      'In the year',
      '2012. That was the year, not a list.',
      '',
    ].join('\n');
    const s = parseSource(file, 'sources/x.md');
    assert.deepEqual(claimLines(s), [
      '1.1 Key findings:',
      '2.1 Russia keeps 7,000 troops in Tajikistan',
      '2.2 Tajikistan asked for $230 million in rent.',
      '2.3 It had asked for less before',
      '3.1 First, Uzbekistan left the CSTO in 2012',
      '3.2 Second, it rejoined in 2006',
      '4.1 Country | Troops',
      '4.2 Tajikistan | 7,000',
      '5.1 Karimov said "we will never join" in 2012.',
      '5.2 He left.',
      '6.1 In the year 2012.',
      '6.2 That was the year, not a list.',
    ]);
    assert.deepEqual(s.claims[1].numbers.map((n) => n.text), ['7,000 troops']);
    // A continuation line's indentation is no text.
    assert.deepEqual(parseSource('- Tajikistan asked for $230\n    million in rent.\n', 'sources/y.md').claims.map((c) => c.text), ['Tajikistan asked for $230 million in rent.']);
    // A paragraph that only starts like a list is read as it was: its lines joined by one space.
    const prose = parseSource('2012 brought change to the alliance, \nand Russia paid more.\n', 'sources/y.md');
    assert.deepEqual(prose.claims.map((c) => c.text), ['2012 brought change to the alliance, and Russia paid more.']);
    // Each claim's span in the file starts and ends where its text does.
    for (const c of s.claims) {
      const inFile = file.slice(c.start, c.end);
      assert.ok(inFile.startsWith(c.text.slice(0, 5)) && inFile.endsWith(c.text.slice(-3)), `${c.id}: ${inFile}`);
    }
  });

  it('reads headings and thematic breaks with no blank line around them as CommonMark does', () => {
    const file = [
      '## Background',
      'Russia paid $230 million for the base in 2012.',
      '',
      'Uzbekistan left the CSTO in 2012.',
      '***',
      'Moscow offered $1.1 billion in loans.',
      '',
      '> ## Excerpt',
      '> Tashkent has left the bloc again.',
      '',
      'Kazakhstan stayed in the bloc',
      '### Next steps',
      'armenia hosts a Russian base.',
      '',
      'A subtitle',
      '---',
      'Kyrgyzstan closed the base.',
      '',
      '- Belarus stayed',
      '---',
      'Armenia paid.',
      '',
      'Dushanbe asked for rent.',
      '- - -',
      'Astana agreed.',
      '',
      '| Country | Troops |',
      '|---|---|',
      '| Tajikistan | 7,000 |',
      '---',
      '',
      '#5 on the list was Minsk.',
      '',
    ].join('\n');
    const s = parseSource(file, 'sources/x.md');
    assert.deepEqual(claimLines(s), [
      // The paragraph under a heading on the line before is indexed (it was left out with the heading).
      '1.1 Russia paid $230 million for the base in 2012.',
      // A thematic break between two lines ends a paragraph.
      '2.1 Uzbekistan left the CSTO in 2012.',
      '3.1 Moscow offered $1.1 billion in loans.',
      // A heading inside a block quote is no claim text.
      '4.1 Tashkent has left the bloc again.',
      // A heading ends a paragraph, and a paragraph after it is not joined to the one before it
      // (as a paragraph broken by a stray blank line is), though that one has no full stop.
      '5.1 Kazakhstan stayed in the bloc',
      '6.1 armenia hosts a Russian base.',
      // "A subtitle" is a setext heading; the paragraph after its underline is one of its own.
      '7.1 Kyrgyzstan closed the base.',
      // Under a list item, `---` is a thematic break, not an underline.
      '8.1 Belarus stayed',
      '9.1 Armenia paid.',
      // `- - -` is no underline (it has blanks inside): a thematic break.
      '10.1 Dushanbe asked for rent.',
      '11.1 Astana agreed.',
      '12.1 Country | Troops',
      '12.2 Tajikistan | 7,000',
      '13.1 #5 on the list was Minsk.',
    ]);
    // Each claim's span in the file is its text's.
    for (const c of s.claims) assert.equal(file.slice(c.start, c.end).replace(/^> /, ''), c.text, c.id);
  });

  it('reads what Pandoc writes from Word and web pages: fenced divs, spans with attributes, block tags', () => {
    const file = [
      '::: {.article-body}',
      'Russia paid [\\$230 million]{.underline} for the [base](https://example.org/b){target="_blank"} in 2012.',
      '',
      '<p>Uzbekistan left the CSTO in 2012.</p><p>Moscow offered $1.1 billion.</p>',
      '',
      '<ul><li>Kazakhstan stayed</li><li>Armenia stayed</li></ul>',
      'Astana agreed [twice]{lang="en" title="a } b"}.',
      ':::',
      '',
      'A set {like this} and [a bracket]{not attributes} stay.',
      '',
    ].join('\n');
    const s = parseSource(file, 'sources/x.md');
    assert.deepEqual(claimLines(s), [
      '1.1 Russia paid $230 million for the base in 2012.',
      '2.1 Uzbekistan left the CSTO in 2012.',
      '2.2 Moscow offered $1.1 billion.',
      '3.1 Kazakhstan stayed Armenia stayed Astana agreed twice.',
      '4.1 A set {like this} and [a bracket]{not attributes} stay.',
    ]);
    assert.deepEqual(s.claims[0].numbers.map((n) => n.text), ['$230 million']);
    assert.equal(file.slice(s.claims[2].start, s.claims[2].end), 'Moscow offered $1.1 billion.');
  });

  it('reads character references as their characters and a backslash line end as a line break', () => {
    const file = 'Russia paid $230&nbsp;million for the base in 2012 &amp; kept it.\\\nKarimov said &ldquo;we will never join&rdquo; in 2012.\\\r\nTashkent agreed&#8212;twice &#x2014; and &bogus; stayed &amp\n';
    const s = parseSource(file, 'sources/x.md');
    assert.deepEqual(s.claims.map((c) => c.text), [
      'Russia paid $230\u00a0million for the base in 2012 & kept it.',
      'Karimov said “we will never join” in 2012.',
      'Tashkent agreed—twice — and &bogus; stayed &amp',
    ]);
    assert.deepEqual(s.claims[0].numbers.map((n) => [n.text, n.value]), [['$230\u00a0million', 230_000_000]]);
    assert.deepEqual(s.claims[1].quotes.map((q) => q.text), ['we will never join']);
    assert.equal(file.slice(s.claims[1].start, s.claims[1].end), 'Karimov said &ldquo;we will never join&rdquo; in 2012.');
  });

  it('leaves images out, and reads links and spans that a line end runs through', () => {
    const file = [
      '![](media/image1.png){width="6.5in" height="3.2in"}',
      '',
      'The base costs [\\$30',
      'million]{.underline} a year, [the Moscow',
      'Times](https://example.org/mt) says.',
      'See the chart ![Troops in',
      '2012](chart.png) for more.',
      '',
      'A [bracket that',
      'never closes.',
      '',
    ].join('\n');
    const s = parseSource(file, 'sources/x.md');
    assert.deepEqual(claimLines(s), [
      // The image alone is no paragraph (it was one, with the claim "!").
      '1.1 The base costs $30 million a year, the Moscow Times says.',
      '1.2 See the chart for more.',
      '2.1 A [bracket that never closes.',
    ]);
    assert.deepEqual(s.claims[0].numbers.map((n) => n.text), ['$30 million']);
  });

  it('reads Pandoc simple, multiline and grid tables row by row, as a pipe table is read', () => {
    // The tables of Pandoc's manual, and a grid table as Pandoc writes one from Word.
    const file = [
      'Right     Left     Center     Default',
      '-------     ------ ----------   -------',
      '     12     12        12            12',
      '    123     123       123          123',
      '',
      '-------------------------------------------------------------',
      ' Centered   Default           Right Left',
      '  Header    Aligned         Aligned Aligned',
      '----------- ------- --------------- -------------------------',
      '   First    row                12.0 Example of a row that',
      '                                    spans multiple lines.',
      '',
      "  Second    row                 5.0 Here's another one. Note",
      '                                    the blank line between',
      '                                    rows.',
      '-------------------------------------------------------------',
      '',
      '-------     ------ ----------   -------',
      '     12     12        12             12',
      '    123     123       123           123',
      '-------     ------ ----------   -------',
      '',
      '+---------------+---------------+',
      '| Country       | Troops        |',
      '+===============+===============+',
      '| Tajikistan    | 7,000, at the |',
      '|               | 201st base    |',
      '+---------------+---------------+',
      '| Kyrgyzstan    | 500           |',
      '+---------------+---------------+',
      '',
      'A heading',
      '---------',
      'Text after it.',
      '',
    ].join('\n');
    const s = parseSource(file, 'sources/x.md');
    assert.deepEqual(claimLines(s), [
      '1.1 Right Left Center Default',
      '1.2 12 12 12 12',
      '1.3 123 123 123 123',
      '2.1 Centered Default Right Left Header Aligned Aligned Aligned',
      '2.2 First row 12.0 Example of a row that spans multiple lines.',
      "2.3 Second row 5.0 Here's another one.",
      '2.4 Note the blank line between rows.',
      '3.1 12 12 12 12',
      '3.2 123 123 123 123',
      '4.1 Country Troops',
      '4.2 Tajikistan 7,000, at the 201st base',
      '4.3 Kyrgyzstan 500',
      // A line of dashes under one line of text is still a heading's underline.
      '5.1 Text after it.',
    ]);
    assert.deepEqual(s.claims[10].numbers.map((n) => n.text), ['7,000']);
    assert.equal(file.slice(s.claims[11].start, s.claims[11].end), 'Kyrgyzstan    | 500');
  });

  it('reads a footnote as claims of the paragraph that references it first', () => {
    const file = [
      '---',
      'author: Jane Roe',
      'date: 2016-03-03',
      '---',
      'Russia keeps troops in Tajikistan.[^troops] The base costs $30 million a year.',
      '',
      'Kyrgyzstan closed its base.[^troops][^2]',
      '',
      '*The views expressed are solely of the author and do not necessarily reflect the position of The Example Review.*',
      '',
      '[^troops]: Ministry of Defence figures for 2015 give 7,000 troops. The ministry said',
      '    "the base will grow".',
      '',
      '    A second paragraph of the note: Dushanbe asked for $50 million.',
      '',
      '[^2]: Kyrgyz officials, 2014.',
      '[^unused]: Never referenced.',
      '',
      '    Its second paragraph.',
      '',
      '    Its third.',
      '',
    ].join('\n');
    const s = parseSource(file, 'sources/x.md');
    assert.deepEqual(claimLines(s), [
      '1.1 Russia keeps troops in Tajikistan.',
      '1.2 The base costs $30 million a year.',
      '1.3 Ministry of Defence figures for 2015 give 7,000 troops.',
      '1.4 The ministry said "the base will grow".',
      '1.5 A second paragraph of the note: Dushanbe asked for $50 million.',
      '2.1 Kyrgyzstan closed its base.',
      '2.2 Kyrgyz officials, 2014.',
    ]);
    // The disclaimer before the notes is still the trailer that names the publisher.
    assert.equal(s.meta.publisher, 'The Example Review');
    assert.equal(s.paragraphs.length, 2);
    // The paragraph's own text, and its notes' apart; a claim's span is in the note.
    assert.equal(s.paragraphs[0].text, 'Russia keeps troops in Tajikistan. The base costs $30 million a year.');
    assert.equal(s.paragraphs[0].notes, 'Ministry of Defence figures for 2015 give 7,000 troops. The ministry said "the base will grow". A second paragraph of the note: Dushanbe asked for $50 million.');
    assert.equal(s.paragraphs[0].end, file.indexOf(' The base costs') + ' The base costs $30 million a year.'.length);
    assert.equal(file.slice(s.claims[2].start, s.claims[2].end), 'Ministry of Defence figures for 2015 give 7,000 troops.');
    assert.deepEqual(s.claims[2].numbers.map((n) => n.text), ['7,000 troops']);
    assert.deepEqual(s.claims[3].quotes.map((q) => q.text), ['the base will grow']);
    // Through the parsed-source cache, as on a warm start.
    const files = [{ path: 'sources/x.md', bytes: Buffer.from(file) }];
    const cache = new SourceCache();
    buildIndex(files, undefined, cache);
    const [warm] = buildIndex(files, undefined, SourceCache.parse(cache.serialize())).sources;
    assert.deepEqual(claimLines(warm), claimLines(s));
    assert.equal(warm.paragraphs[0].notes, s.paragraphs[0].notes);
  });

  it('leaves inline HTML tags, comments and superscript reference marks out of its claims', () => {
    const file = 'A senior official said "we will <em>never</em> join" in 2012.<sup><a href="#fn1">1</a></sup> Russia paid <b>$230 million</b>.<!-- check --><br>Kyrgyzstan x < y <https://example.org/a> agreed.<sup>note to self</sup>\n';
    const s = parseSource(file, 'sources/x.md');
    assert.deepEqual(s.claims.map((c) => c.text), [
      'A senior official said "we will never join" in 2012.',
      'Russia paid $230 million.',
      'Kyrgyzstan x < y <https://example.org/a> agreed.note to self',
    ]);
    assert.deepEqual(s.claims[1].numbers.map((n) => n.text), ['$230 million']);
    assert.equal(file.slice(s.claims[1].start, s.claims[1].end), 'Russia paid <b>$230 million</b>.');
    assert.equal(parseSource('The base opened in 2001 <!-- check this --> and grew.\n', 'x.md').claims[0].text, 'The base opened in 2001 and grew.');
    // A quoted attribute value may hold ">".
    assert.equal(parseSource('Russia paid <a href="x" title="more > less">$230 million</a>, <i class=\'a>b\'>it said</i>.\n', 'x.md').claims[0].text, 'Russia paid $230 million, it said.');
  });

  it('leaves footnote references and inline notes out of its claims, splitting sentences at them', () => {
    const s = parseSource('Kazakhstan hosted 4,000 troops in 2019.[^1] Russia paid $50 million.^[Ministry [of] Defence, 2019.] It agreed.\n\n[^1]: Ministry figures.\n', 'x.md');
    // (The footnote's text is a claim of the paragraph that references it, after its own.)
    assert.deepEqual(s.claims.map((c) => c.text), ['Kazakhstan hosted 4,000 troops in 2019.', 'Russia paid $50 million.', 'It agreed.', 'Ministry figures.']);
    assert.deepEqual(s.claims.map((c) => c.numbers.map((n) => n.text)), [['4,000 troops'], ['$50 million'], [], []]);
    assert.equal(s.paragraphs.length, 1);
    // Each claim's span in the file is its text's.
    const file = 'Kazakhstan hosted 4,000 troops in 2019.[^1] Russia paid $50 million.^[Ministry [of] Defence, 2019.] It agreed.\n\n[^1]: Ministry figures.\n';
    assert.equal(file.slice(s.claims[1].start, s.claims[1].end), 'Russia paid $50 million.');
  });

  it('handles a source with no metadata at all', () => {
    const s = parseSource('Kazakhstan borders Russia.\n\nIt exported oil in 2010.\n', 'sources/Field Notes (draft).txt');
    assert.equal(s.key, 'field-notes-draft');
    assert.equal(s.meta.title, undefined);
    assert.deepEqual(s.meta.authors, []);
    assert.equal(s.paragraphs.length, 2);
    assert.equal(s.claims.length, 2);
  });

  it('gives colliding keys a and b suffixes in path order', () => {
    const a = `# One\n\nBy [Alexander Golts](#)\n\nJuly 1, 2012\n\nRussia leases a base in Tajikistan.\n`;
    const b = `# Two\n\nBy [Alexander Golts](#)\n\nAugust 1, 2012\n\nKyrgyzstan hosts a Russian base.\n`;
    const c = `# Three\n\nBy [Alexander Golts](#)\n\nMay 1, 2012\n\nUzbekistan left the CSTO.\n`;
    const { index, sources } = buildIndex([
      { path: 'sources/b.md', bytes: Buffer.from(b) },
      { path: 'sources/a.md', bytes: Buffer.from(a) },
      { path: 'sources/c.md', bytes: Buffer.from(c) },
    ]);
    assert.deepEqual(sources.map((s) => [s.path, s.key]), [
      ['sources/a.md', 'golts2012'],
      ['sources/b.md', 'golts2012a'],
      ['sources/c.md', 'golts2012b'],
    ]);
    assert.equal(index.claimsOf('golts2012a')[0].id, 'golts2012a:1.1');
  });

  it('reports a key that several sources take, with the key each is cited by and how to fix it', () => {
    const golts = (title: string, extra = '') => Buffer.from(`---\ntitle: ${title}\nauthor: Alexander Golts\ndate: 2012-07-01\n${extra}---\n\nRussia leases a base in Tajikistan.\n`);
    const roe = Buffer.from(`---\nauthor: Jane Roe\ndate: 2020\n---\n\nKyrgyzstan hosts a Russian base.\n`);
    const { collisions } = buildIndex([
      { path: 'sources/c.md', bytes: golts('Three') },
      { path: 'sources/roe.md', bytes: roe },
      { path: 'sources/a.md', bytes: golts('One') },
      { path: 'sources/b.md', bytes: golts('Two') },
    ]);
    assert.deepEqual(collisions, [
      {
        key: 'golts2012',
        sources: [
          { path: 'sources/a.md', key: 'golts2012', given: false },
          { path: 'sources/b.md', key: 'golts2012a', given: false },
          { path: 'sources/c.md', key: 'golts2012b', given: false },
        ],
      },
    ]);
    assert.equal(
      keyCollisionWarning(collisions[0]),
      '3 sources take the citation key @golts2012: sources/a.md keeps it, sources/b.md is cited as @golts2012a, sources/c.md is cited as @golts2012b. ' +
        'Which source keeps a key its front matter does not give goes by file path, so a source added or renamed later can take it and move the citations of one article to another: ' +
        'give each source its key in its front matter (citation-key: golts2012a).',
    );
    // A key given in the front matter keeps it; two sources that give the same key are told to give different ones.
    const given = buildIndex([
      { path: 'sources/a.md', bytes: golts('One') },
      { path: 'sources/z.md', bytes: golts('Two', 'citation-key: golts2012\n') },
    ]).collisions;
    assert.deepEqual(given[0].sources.map((s) => [s.path, s.key, s.given]), [
      ['sources/z.md', 'golts2012', true],
      ['sources/a.md', 'golts2012a', false],
    ]);
    assert.match(keyCollisionWarning(given[0]), /sources\/z\.md keeps it \(its front matter gives it\), sources\/a\.md is cited as @golts2012a\. Which source keeps a key/);
    const both = buildIndex([
      { path: 'sources/a.md', bytes: golts('One', 'id: golts2012\n') },
      { path: 'sources/b.md', bytes: golts('Two', 'id: golts2012\n') },
    ]).collisions;
    assert.match(keyCollisionWarning(both[0]), /sources\/b\.md is cited as @golts2012a\. Give each of them a different key in its front matter \(citation-key: golts2012a\)\.$/);
    // Of many, the first few are named.
    const many = buildIndex(Array.from({ length: 30 }, (_, i) => ({ path: `sources/s${String(i).padStart(2, '0')}.md`, bytes: golts(`T${i}`) }))).collisions;
    assert.match(
      keyCollisionWarning(many[0]),
      /^30 sources take the citation key @golts2012: sources\/s00\.md keeps it, sources\/s01\.md is cited as @golts2012a, sources\/s02\.md is cited as @golts2012b, sources\/s03\.md is cited as @golts2012c and 26 more with other suffixes\. /,
    );
    // No collision, nothing to report.
    assert.deepEqual(buildIndex([{ path: 'sources/a.md', bytes: golts('One') }, { path: 'sources/roe.md', bytes: roe }]).collisions, []);
  });

  it('keeps a key given in the front matter for its source, whatever the paths of those that derive it', () => {
    const derived = `# One\n\nBy [Alexander Golts](#)\n\nJuly 1, 2012\n\nRussia leases a base in Tajikistan.\n`;
    const given = `---\nid: golts2012\ntitle: Other\nauthor: Zed Other\ndate: 2001\n---\n\nKyrgyzstan hosts a Russian base.\n`;
    const files = [
      { path: 'sources/a.md', bytes: Buffer.from(derived) },
      { path: 'sources/z.md', bytes: Buffer.from(given) },
    ];
    const cold = buildIndex(files).sources;
    assert.deepEqual(cold.map((s) => [s.path, s.key]), [
      ['sources/a.md', 'golts2012a'],
      ['sources/z.md', 'golts2012'],
    ]);
    // So does a start from the parsed-source cache, which keeps whether the key was given.
    const cache = new SourceCache();
    buildIndex(files, undefined, cache);
    const warm = buildIndex(files, undefined, SourceCache.parse(cache.serialize())).sources;
    assert.deepEqual(warm.map((s) => [s.path, s.key]), cold.map((s) => [s.path, s.key]));
  });

  it('gives a source added to the index a key of its own however many share it (past z: aa, ab, …)', () => {
    const index = new ClaimIndex();
    for (let i = 0; i < 30; i++) index.upsert(parseSource(`---\nauthor: Alexander Golts\ndate: 2012\n---\n\nRussia leases base ${i}.\n`, `sources/s${i}.md`));
    assert.equal(index.sourceCount, 30);
    const suffixes = ['', ...'abcdefghijklmnopqrstuvwxyz'.split(''), 'aa', 'ab', 'ac'];
    assert.deepEqual(index.allSources().map((s) => s.key).sort(), suffixes.map((x) => `golts2012${x}`).sort());
  });
});

describe('bad input', () => {
  it('skips empty, binary and invalid UTF-8 files with a reason and indexes the rest', () => {
    const { sources, skipped } = buildIndex([
      { path: 'sources/empty.md', bytes: new Uint8Array() },
      { path: 'sources/blank.md', bytes: Buffer.from('   \n\n  ') },
      { path: 'sources/image.md', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]) },
      { path: 'sources/latin1.txt', bytes: Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6c, 0xe9]) },
      { path: REFERENCE_PATH, bytes: Buffer.from(referenceText) },
    ]);
    assert.deepEqual(sources.map((s) => s.key), ['golts2012']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    assert.match(reasons['sources/empty.md'], /empty/);
    assert.match(reasons['sources/blank.md'], /empty/);
    assert.match(reasons['sources/image.md'], /binary/);
    assert.match(reasons['sources/latin1.txt'], /UTF-8/);
  });

  it('skips as binary a file whose NUL bytes come after its first 8 KB, which is otherwise valid UTF-8', () => {
    const prose = 'Uzbekistan left the CSTO in 2012. '.repeat(400);
    assert.ok(prose.length > 8192);
    const late = Buffer.concat([Buffer.from(prose), Uint8Array.from([0x00, 0x01, 0x00]), Buffer.from(prose)]);
    const result = decodeSource(late);
    assert.deepEqual(result, { ok: false, reason: 'binary file (contains NUL bytes)' });
    const { sources, skipped } = buildIndex([{ path: 'sources/dump.md', bytes: late }, { path: REFERENCE_PATH, bytes: Buffer.from(referenceText) }]);
    assert.deepEqual(sources.map((s) => s.key), ['golts2012']);
    assert.deepEqual(skipped, [{ path: 'sources/dump.md', reason: 'binary file (contains NUL bytes)' }]);
    // The same text without the NUL bytes is indexed.
    assert.equal(decodeSource(Buffer.from(prose + prose)).ok, true);
  });

  it('rejects oversized input before decoding it', () => {
    const result = decodeSource(new Uint8Array(32), 16);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /too large/);
  });

  it('does not throw on hostile Markdown', () => {
    const nasty = ['---\n: : :\n---\n', '[['.repeat(5000), '\\'.repeat(10001), '# \n\n#\n', '```\nunclosed', '\u202e\u200bUzbekistan\u202c left.', '---\ntitle: [unclosed\n---\nText.'];
    for (const text of nasty) {
      const s = parseSource(text, 'n.md');
      for (const c of s.claims) assert.ok(c.start >= 0 && c.end <= text.length && c.start <= c.end);
    }
  });
});

describe('parseSource lists', () => {
  it('shares one frozen list among claims with the same single year or actor', () => {
    const text = 'Russia sent troops in 2005. Russia said so in 2005.\n\nNATO met in 2005 and in 2007.\n';
    const [a, b, c] = parseSource(text, 'sources/lists.md').claims;
    assert.deepEqual([a.years, b.years, c.years], [[2005], [2005], [2005, 2007]]);
    assert.equal(a.years, b.years);
    assert.equal(a.actors, b.actors);
    assert.ok(Object.isFrozen(a.years) && Object.isFrozen(a.actors));
    assert.ok(!Object.isFrozen(c.years));
  });
});

describe('front matter that gives no field', () => {
  const body = '\n\nRussia kept 5,000 troops in Tajikistan in 2011, Jane Roe wrote.\n';
  const cases: Array<[string, string, RegExp | undefined]> = [
    ['invalid YAML', '---\ntitle: [unclosed\nauthor: Jane Roe\n---' + body, /^front matter is not valid YAML \(.+\)$/],
    ['a single value, not fields', '---\njust words\n---' + body, /^front matter is a single value, not fields/],
    ['a list, not fields', '---\n- title\n- author\n---' + body, /^front matter is a list, not fields \(title: …, author: …\)$/],
    ['no closing line', '---\ntitle: Open\nauthor: Jane Roe' + body, /^front matter has no closing "---" line/],
    ['a thematic break, not front matter', '---\n' + body, undefined],
    ['empty front matter', '---\n---' + body, undefined],
    ['valid front matter', '---\ntitle: "Fine"\nauthor: Jane Roe\ndate: 2020-01-01\n---' + body, undefined],
    ['valid front matter the YAML library reads', '---\ntitle: Fine # a comment\nauthor:\n  - Jane Roe\n---' + body, undefined],
  ];
  for (const [name, text, error] of cases) {
    it(`${name}: ${error ? 'a warning naming the file and the key it got' : 'no warning'}`, () => {
      const source = parseSource(text, 'sources/s.md');
      if (!error) {
        assert.equal(source.meta.frontMatterError, undefined);
        assert.equal(frontMatterWarning(source), undefined);
        return;
      }
      assert.match(source.meta.frontMatterError ?? '', error);
      assert.equal(source.meta.title, undefined);
      assert.deepEqual(source.meta.authors, []);
      assert.equal(frontMatterWarning(source), `sources/s.md: ${source.meta.frontMatterError}; its title, author, date and citation key were not read from it (indexed as @s)`);
      // The body is still indexed.
      assert.ok(source.claims.some((c) => c.text.startsWith('Russia kept 5,000 troops')));
    });
  }

  it('keeps the warning through the parsed-source cache', () => {
    const files = [{ path: 'sources/s.md', bytes: Buffer.from(cases[0][1]) }];
    const first = new SourceCache('ctx');
    buildIndex(files, undefined, first);
    const cache = SourceCache.parse(first.serialize(), 'ctx');
    const warm = buildIndex(files, undefined, cache);
    assert.equal(cache.stats.hits, 1);
    assert.match(warm.sources[0].meta.frontMatterError ?? '', /not valid YAML/);
  });
});
