// The glob matcher the extension walks virtual folders with (src/core/glob.ts): the patterns of
// `policyCite.sources` and `policyCite.exclude` must select what `workspace.findFiles` would.
import { strict as assert } from 'node:assert';
import { globToRegExp, literalPrefix, readGlobSetting } from '../../src/core/glob';

const CASES: [glob: string, matches: string[], rejects: string[]][] = [
  [
    'sources/**/*.{md,markdown,txt}',
    ['sources/a.md', 'sources/x/y/b.markdown', 'sources/.hidden.txt', 'sources/a b (1).md'],
    ['sources/a.mdx', 'a.md', 'other/sources/a.md', 'sources/a.md/x', 'sources/amd'],
  ],
  ['**/node_modules/**', ['node_modules/a.md', 'sources/node_modules/a.md', 'sources/node_modules/', 'a/b/node_modules/c/d.md'], ['sources/node_modules.md', 'xnode_modules/a.md']],
  ['**/*.md', ['a.md', 'x/y/a.md'], ['a.txt', 'x/a.md.txt']],
  ['docs/*.md', ['docs/a.md'], ['docs/x/a.md', 'docs/a.txt']],
  ['src/?.md', ['src/a.md'], ['src/ab.md', 'src//.md']],
  ['notes/[a-c]*.md', ['notes/apple.md', 'notes/cat.md'], ['notes/dog.md']],
  ['notes/[!a]*.md', ['notes/dog.md'], ['notes/apple.md']],
  ['{sources,refs}/**/*.md', ['sources/a.md', 'refs/x/b.md'], ['other/a.md']],
  ['sources/a+b.(1).md', ['sources/a+b.(1).md'], ['sources/aab.(1).md', 'sources/a+b.1.md']],
  ['sources/**', ['sources/a.md', 'sources/x/y.md'], ['source/a.md']],
  ['a**b/*.md', ['ab/x.md', 'aXXb/x.md'], ['a/b/x.md']],
  ['sources/[unclosed.md', ['sources/[unclosed.md'], ['sources/u.md']],
];

describe('glob matching for virtual folders', () => {
  for (const [glob, matches, rejects] of CASES) {
    it(glob, () => {
      const re = globToRegExp(glob);
      for (const p of matches) assert.ok(re.test(p), `${glob} matches ${p}`);
      for (const p of rejects) assert.ok(!re.test(p), `${glob} does not match ${p}`);
    });
  }

  it('starts a walk at the literal folders of the pattern', () => {
    assert.deepEqual(literalPrefix('sources/**/*.{md,markdown,txt}'), ['sources']);
    assert.deepEqual(literalPrefix('a/b/*.md'), ['a', 'b']);
    assert.deepEqual(literalPrefix('a/b/c.md'), ['a', 'b']);
    assert.deepEqual(literalPrefix('**/*.md'), []);
    assert.deepEqual(literalPrefix('{a,b}/x/*.md'), []);
    assert.deepEqual(literalPrefix('../x/*.md'), []);
    assert.deepEqual(literalPrefix('c.md'), []);
  });

  it('reads a glob setting as the extension and the CLI both do', () => {
    assert.deepEqual(readGlobSetting('library/**/*.md'), { glob: 'library/**/*.md' });
    // Empty, blank or unset: the default, without a word.
    for (const value of ['', '  \t', undefined, null]) assert.deepEqual(readGlobSetting(value), {}, String(value));
    for (const value of [['sources/**/*.md'], 3, true, { glob: 'a' }]) assert.deepEqual(readGlobSetting(value), { problem: 'not a glob string' }, JSON.stringify(value));
  });
});
