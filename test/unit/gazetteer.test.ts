import { strict as assert } from 'node:assert';
import { gazetteer } from '../../src/core/gazetteer';
import { ActorRegistry } from '../../src/core/actors';
import type { ActorDefinition, ActorType } from '../../src/core/types';

const UN_MEMBERS = [
  'Afghanistan', 'Albania', 'Algeria', 'Andorra', 'Angola', 'Antigua and Barbuda', 'Argentina', 'Armenia',
  'Australia', 'Austria', 'Azerbaijan', 'Bahamas', 'Bahrain', 'Bangladesh', 'Barbados', 'Belarus', 'Belgium',
  'Belize', 'Benin', 'Bhutan', 'Bolivia', 'Bosnia and Herzegovina', 'Botswana', 'Brazil', 'Brunei', 'Bulgaria',
  'Burkina Faso', 'Burundi', 'Cabo Verde', 'Cambodia', 'Cameroon', 'Canada', 'Central African Republic', 'Chad',
  'Chile', 'China', 'Colombia', 'Comoros', 'Republic of the Congo', 'Costa Rica', "Côte d'Ivoire", 'Croatia',
  'Cuba', 'Cyprus', 'Czech Republic', 'Democratic Republic of the Congo', 'Denmark', 'Djibouti', 'Dominica',
  'Dominican Republic', 'Ecuador', 'Egypt', 'El Salvador', 'Equatorial Guinea', 'Eritrea', 'Estonia', 'Eswatini',
  'Ethiopia', 'Fiji', 'Finland', 'France', 'Gabon', 'Gambia', 'Georgia', 'Germany', 'Ghana', 'Greece', 'Grenada',
  'Guatemala', 'Guinea', 'Guinea-Bissau', 'Guyana', 'Haiti', 'Honduras', 'Hungary', 'Iceland', 'India',
  'Indonesia', 'Iran', 'Iraq', 'Ireland', 'Israel', 'Italy', 'Jamaica', 'Japan', 'Jordan', 'Kazakhstan', 'Kenya',
  'Kiribati', 'Kuwait', 'Kyrgyzstan', 'Laos', 'Latvia', 'Lebanon', 'Lesotho', 'Liberia', 'Libya',
  'Liechtenstein', 'Lithuania', 'Luxembourg', 'Madagascar', 'Malawi', 'Malaysia', 'Maldives', 'Mali', 'Malta',
  'Marshall Islands', 'Mauritania', 'Mauritius', 'Mexico', 'Micronesia', 'Moldova', 'Monaco', 'Mongolia',
  'Montenegro', 'Morocco', 'Mozambique', 'Myanmar', 'Namibia', 'Nauru', 'Nepal', 'Netherlands', 'New Zealand',
  'Nicaragua', 'Niger', 'Nigeria', 'North Korea', 'North Macedonia', 'Norway', 'Oman', 'Pakistan', 'Palau',
  'Panama', 'Papua New Guinea', 'Paraguay', 'Peru', 'Philippines', 'Poland', 'Portugal', 'Qatar', 'Romania',
  'Russia', 'Rwanda', 'Saint Kitts and Nevis', 'Saint Lucia', 'Saint Vincent and the Grenadines', 'Samoa',
  'San Marino', 'São Tomé and Príncipe', 'Saudi Arabia', 'Senegal', 'Serbia', 'Seychelles', 'Sierra Leone',
  'Singapore', 'Slovakia', 'Slovenia', 'Solomon Islands', 'Somalia', 'South Africa', 'South Korea', 'South Sudan',
  'Spain', 'Sri Lanka', 'Sudan', 'Suriname', 'Sweden', 'Switzerland', 'Syria', 'Tajikistan', 'Tanzania',
  'Thailand', 'Timor-Leste', 'Togo', 'Tonga', 'Trinidad and Tobago', 'Tunisia', 'Turkey', 'Turkmenistan',
  'Tuvalu', 'Uganda', 'Ukraine', 'United Arab Emirates', 'United Kingdom', 'United States', 'Uruguay',
  'Uzbekistan', 'Vanuatu', 'Venezuela', 'Vietnam', 'Yemen', 'Zambia', 'Zimbabwe',
];

/** Capitalised words that must never be an alias or metonym: ordinary words or ambiguous names. */
const FORBIDDEN_SURFACES = [
  // ordinary English words that are also surnames or short names
  'May', 'Will', 'Brown', 'Major', 'Ban', 'Rice', 'Sharon', 'Baker', 'Gates', 'Christopher', 'Michel',
  'Harris', 'Austin', 'Congress', 'Pole', 'Hague', 'IS', 'The', 'State', 'President', 'General', 'Islam',
  // surnames or words shared by several well-known actors
  'Bush', 'Clinton', 'George Bush', 'Aliyev', 'Berdimuhamedow', 'Berdymukhamedov', 'Kim', 'Assad', 'Castro',
  'Singh', 'Sharif', 'Khan', 'Gandhi', 'Bhutto', 'Hussein', 'Abdullah', 'Omar', 'Li', 'Hu', 'Wang', 'Ivanov',
  'Sargsyan', 'Sarkisian', 'Rasmussen', 'Kaczynski', 'Korea', 'Korean', 'Koreans', 'Congo', 'Congolese',
  'Manas', 'Fergana', 'K2', 'Tripoli', 'Vienna', 'Geneva', 'Rome',
];

function surfaces(def: ActorDefinition): string[] {
  return [def.name, ...def.aliases, ...(def.metonyms ?? [])];
}

/** The form the registry matches on: a leading article dropped from multi-word surfaces. */
function normalize(surface: string): string {
  return surface.trim().replace(/^the\s+(?=\S+\s*\S)/i, '');
}

function actor(name: string): ActorDefinition {
  const def = gazetteer().find((a) => a.name === name);
  assert.ok(def, `missing actor ${name}`);
  return def;
}

describe('gazetteer', () => {
  it('holds well-formed actors of every type', () => {
    const counts = new Map<ActorType, number>();
    for (const def of gazetteer()) {
      assert.ok(def.name.trim().length > 0);
      assert.ok(['person', 'state', 'organization', 'place', 'group'].includes(def.type), def.name);
      assert.ok(Array.isArray(def.aliases) && Array.isArray(def.roles), def.name);
      assert.ok(def.description && def.description.length > 0, `${def.name}: no description`);
      counts.set(def.type, (counts.get(def.type) ?? 0) + 1);
    }
    assert.ok((counts.get('state') ?? 0) >= 197, `states: ${counts.get('state')}`);
    assert.ok((counts.get('person') ?? 0) >= 150, `people: ${counts.get('person')}`);
    assert.ok((counts.get('organization') ?? 0) >= 40, `organizations: ${counts.get('organization')}`);
    assert.ok((counts.get('group') ?? 0) >= 10, `groups: ${counts.get('group')}`);
    assert.ok((counts.get('place') ?? 0) >= 30, `places: ${counts.get('place')}`);
  });

  it('has unique names', () => {
    const seen = new Set<string>();
    for (const def of gazetteer()) {
      assert.ok(!seen.has(def.name), `duplicate name ${def.name}`);
      seen.add(def.name);
    }
  });

  it('maps every name, alias and metonym to exactly one actor', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const def of gazetteer()) {
      for (const surface of new Set(surfaces(def).map((s) => normalize(s).toLowerCase()))) {
        const other = owner.get(surface);
        if (other !== undefined && other !== def.name) clashes.push(`"${surface}": ${other} / ${def.name}`);
        else owner.set(surface, def.name);
      }
    }
    assert.deepEqual(clashes, []);
  });

  it('has no empty, untrimmed, lowercase or common-word aliases and metonyms', () => {
    const forbidden = new Set(FORBIDDEN_SURFACES.map((s) => s.toLowerCase()));
    const bad: string[] = [];
    for (const def of gazetteer()) {
      for (const s of [...def.aliases, ...(def.metonyms ?? [])]) {
        if (s.trim() === '' || s !== s.trim()) bad.push(`${def.name}: empty or untrimmed ${JSON.stringify(s)}`);
        else if (!/\p{Lu}/u.test(s)) bad.push(`${def.name}: lowercase ${s}`);
        else if (forbidden.has(s.toLowerCase())) bad.push(`${def.name}: forbidden ${s}`);
      }
      for (const r of def.roles) if (r.trim() === '') bad.push(`${def.name}: empty role`);
    }
    assert.deepEqual(bad, []);
  });

  it('lists every UN member state plus observers, partially recognised and historical states', () => {
    assert.equal(new Set(UN_MEMBERS).size, 193);
    const extra = ['Taiwan', 'Kosovo', 'Palestine', 'Vatican City', 'Soviet Union', 'Yugoslavia', 'Czechoslovakia', 'East Germany'];
    for (const name of [...UN_MEMBERS, ...extra]) assert.equal(actor(name).type, 'state', name);
  });

  it('knows the actors of the reference article with their types, aliases and metonyms', () => {
    const expect: [string, ActorType, string[]][] = [
      ['Collective Security Treaty Organization', 'organization', ['CSTO']],
      ['Russia', 'state', ['Moscow', 'Russian', 'Kremlin', 'Russian Federation']],
      ['Uzbekistan', 'state', ['Tashkent', 'Uzbek']],
      ['Islam Karimov', 'person', ['Karimov']],
      ['Tajikistan', 'state', ['Tajik', 'Dushanbe']],
      ['Kyrgyzstan', 'state', ['Kyrgyz', 'Bishkek']],
      ['United States', 'state', ['Washington', 'U.S.', 'American', 'US', 'USA', 'America', 'White House']],
      ['Vladimir Putin', 'person', ['Putin']],
      ['North Atlantic Treaty Organization', 'organization', ['NATO']],
      ['Afghanistan', 'state', ['Afghan', 'Kabul']],
      ['Taliban', 'group', []],
      ['Central Asia', 'place', ['Central Asian']],
      ['Warsaw Pact', 'organization', []],
      ['the West', 'place', ['West', 'Western']],
      ['Soviet Union', 'state', ['Soviet', 'USSR', 'U.S.S.R.']],
      ['Andijan', 'place', []],
      ['Karshi-Khanabad', 'place', []],
    ];
    for (const [name, type, forms] of expect) {
      const def = actor(name);
      assert.equal(def.type, type, name);
      const all = surfaces(def);
      for (const form of forms) assert.ok(all.includes(form), `${name} lacks ${form}`);
    }
    assert.ok(actor('Islam Karimov').roles.includes('President of Uzbekistan (1991–2016)'));
  });

  it('keeps demonyms and capitals as metonyms, other names as aliases', () => {
    assert.ok(actor('Russia').metonyms?.includes('Moscow'));
    assert.ok(actor('Russia').metonyms?.includes('Russian'));
    assert.ok(actor('United States').aliases.includes('U.S.'));
    assert.ok(actor('United Kingdom').aliases.includes('Britain'));
    assert.ok(actor('European Union').metonyms?.includes('Brussels'));
    assert.ok(!(actor('Belgium').metonyms ?? []).includes('Brussels'));
    assert.ok(actor('Emomali Rahmon').aliases.includes('Rakhmonov'));
    assert.ok(actor('Volodymyr Zelensky').aliases.includes('Zelenskyy'));
  });

  describe('in the actor registry', () => {
    const registry = new ActorRegistry(gazetteer());
    const found = (text: string): string[] => registry.findMentions(text).map((m) => m.actor);

    it('resolves the reference article sentences', () => {
      assert.deepEqual(found('The Collective Security Treaty Organization, or CSTO, long a source of pride for Russia, is falling apart at the seams.'), [
        'Collective Security Treaty Organization',
        'Collective Security Treaty Organization',
        'Russia',
      ]);
      assert.deepEqual(found('Regarding Uzbekistan\'s withdrawal from the CSTO, Uzbek President Islam Karimov has used this trick before.'), [
        'Uzbekistan',
        'Collective Security Treaty Organization',
        'Uzbekistan',
        'Islam Karimov',
      ]);
      assert.deepEqual(found('The Western isolation of Uzbekistan gave Vladimir Putin a golden opportunity to bring Tashkent back into Moscow\'s orbit.'), [
        'the West',
        'Uzbekistan',
        'Vladimir Putin',
        'Uzbekistan',
        'Russia',
      ]);
      assert.deepEqual(found('In fact, the CSTO has been preparing for major civil unrest after the U.S. departure from Afghanistan for several years.'), [
        'Collective Security Treaty Organization',
        'United States',
        'Afghanistan',
      ]);
      assert.deepEqual(found('a military alliance that would somewhat resemble the long-defunct Warsaw Pact and that would also serve as a "competitor" to NATO.'), [
        'Warsaw Pact',
        'North Atlantic Treaty Organization',
      ]);
      assert.deepEqual(found('Karimov, a skilled former Soviet functionary, and other Central Asian rulers fear Taliban infiltration.'), [
        'Islam Karimov',
        'Soviet Union',
        'Central Asia',
        'Taliban',
      ]);
      assert.deepEqual(found('But the romance with the West ended abruptly in 2005, when Uzbek forces killed several hundred protesters in Andijan.'), [
        'the West',
        'Uzbekistan',
        'Andijan',
      ]);
    });

    it('prefers the longest name over a contained metonym', () => {
      assert.deepEqual(found('The Washington Post reported from Northern Ireland and the Gulf of Guinea.'), [
        'The Washington Post',
        'Northern Ireland',
        'Gulf of Guinea',
      ]);
      assert.deepEqual(found('South Koreans and North Korean diplomats met in the Western Hemisphere.'), [
        'South Korea',
        'North Korea',
        'Western Hemisphere',
      ]);
    });

    it('reads definitions given as a function once, when first asked', () => {
      let reads = 0;
      const lazy = new ActorRegistry(() => {
        reads++;
        return gazetteer();
      });
      assert.equal(reads, 0);
      assert.deepEqual(lazy.findMentions('Tashkent left the CSTO.').map((m) => m.actor), found('Tashkent left the CSTO.'));
      assert.equal(lazy.get('Islam Karimov')?.type, 'person');
      assert.equal(lazy.extend([{ name: 'NDN', type: 'organization', aliases: [], roles: [] }]).size, registry.size + 1);
      assert.equal(reads, 1);
    });
  });
});
