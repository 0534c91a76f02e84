// The YAML reader of front matter and CSL-YAML files (src/core/readYaml.ts): YAML 1.2's core
// schema as Pandoc reads it, a stray character YAML forbids costing only itself, aliases never
// expanded.
import { strict as assert } from 'node:assert';
import { loadYaml } from '../../src/core/readYaml';

describe('loadYaml', () => {
  it('reads the core schema: dates stay strings, yes/no are words, << is a key', () => {
    assert.deepEqual(loadYaml('date: 2012-07-16\nyear: 2012\nok: yes\nno: false\nnull: ~\n<<: {a: 1}\nx: 0x1F\n'), {
      date: '2012-07-16',
      year: 2012,
      ok: 'yes',
      no: false,
      null: null,
      '<<': { a: 1 },
      x: 31,
    });
  });

  it('reads a control character or a lone surrogate as U+FFFD, and the rest as written', () => {
    assert.deepEqual(loadYaml('title: "Hostile \u001b[2J"\nauthor: Eve\u0007 Mallory\nnote: "a\ud800b \ud83d\ude00"\n'), {
      title: 'Hostile \uFFFD[2J',
      author: 'Eve\uFFFD Mallory',
      note: 'a\uFFFDb \ud83d\ude00',
    });
  });

  it('keeps an alias as the object it names: a bomb of 10^11 names and a value that holds itself cost nothing', () => {
    const levels = ['l0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 11; i++) levels.push(`l${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const bomb = loadYaml(levels.join('\n')) as Record<string, unknown[]>;
    assert.equal(bomb.l11[0], bomb.l10);
    const self = loadYaml('volume: &a [*a]\n') as { volume: unknown[] };
    assert.equal(self.volume[0], self.volume);
  });

  it('throws on what is not YAML, or a tag no schema has', () => {
    for (const text of ['a: [b', 'a: 1\na: 2\n', 'title: !custom x\n', '- a\n---\n- b\n', 'a:\n\tb: 1\n']) assert.throws(() => loadYaml(text), Error, JSON.stringify(text));
  });
});
