// The glob matcher the extension walks virtual folders with (src/core/glob.ts): the patterns of
// `policyCite.sources` and `policyCite.exclude` must select what `workspace.findFiles` would.
import { strict as assert } from 'node:assert';
import { alternatives, closingBrace, globMatcher, inDotFolder, literalPrefix, readGlobSetting } from '../../src/core/glob';

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

/**
 * The regular expression globMatcher replaced (its code as it was, with the same brace
 * splitting), to compare with: the same meaning, but a backtracking match.
 */
function referenceRegExp(glob: string): RegExp {
  const escapeChar = (ch: string): string => (/[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch);
  const convert = (text: string): string => {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '*') {
        let end = i;
        while (text[end + 1] === '*') end++;
        const wholeSegment = end > i && (i === 0 || text[i - 1] === '/') && (end + 1 === text.length || text[end + 1] === '/');
        if (wholeSegment && text[end + 1] === '/') {
          out += '(?:.*/)?';
          end++;
        } else {
          out += wholeSegment ? '.*' : '[^/]*';
        }
        i = end;
      } else if (ch === '?') {
        out += '[^/]';
      } else if (ch === '[') {
        const close = text.indexOf(']', i + 2);
        if (close < 0) {
          out += '\\[';
          continue;
        }
        let body = text.slice(i + 1, close);
        const negated = body[0] === '!' || body[0] === '^';
        if (negated) body = body.slice(1);
        out += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close;
      } else if (ch === '{') {
        const close = closingBrace(text, i);
        if (close < 0) {
          out += '\\{';
          continue;
        }
        out += `(?:${alternatives(text.slice(i + 1, close)).map(convert).join('|')})`;
        i = close;
      } else {
        out += escapeChar(ch);
      }
    }
    return out;
  };
  return new RegExp(`^${convert(glob)}$`);
}

/** mulberry32: the same numbers on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('glob matching for virtual folders', () => {
  for (const [glob, matches, rejects] of CASES) {
    it(glob, () => {
      const re = globMatcher(glob);
      for (const p of matches) assert.ok(re.test(p), `${glob} matches ${p}`);
      for (const p of rejects) assert.ok(!re.test(p), `${glob} does not match ${p}`);
    });
  }

  it('matches as the regular expression it replaced, on random globs and paths', () => {
    const next = random(7);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const globPieces = ['a', 'b', '.', '/', '*', '**', '**/', '?', '[ab]', '[!a]', '[a-c]', '{a,b}', '{**/,x/}', '{a,{b,c}/}', '[', '{', '-'];
    const pathPieces = ['a', 'b', 'c', '.', '/', 'ab', '-', '['];
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const glob = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(globPieces)).join('');
      let reference: RegExp;
      try {
        reference = referenceRegExp(glob);
      } catch {
        continue; // (a class the regular expression refused, such as [b-a])
      }
      const matcher = globMatcher(glob);
      for (let k = 0; k < 8; k++) {
        const path = Array.from({ length: Math.floor(next() * 7) }, () => pick(pathPieces)).join('');
        const expected = reference.test(path);
        assert.equal(matcher.test(path), expected, `${glob} on ${path}`);
        if (expected) matched++;
      }
    }
    assert.ok(matched > 500, `${matched} matches among the pairs`);
  });

  it('matches globs that make a backtracking match take minutes in a time linear in the path', () => {
    // With the regular expression, each of these took from seconds to minutes (the first, 44 s
    // on a path a quarter as deep); this test finishes within mocha's timeout.
    const deep = `${'a/'.repeat(200)}y`;
    assert.equal(globMatcher(`${'**/'.repeat(12)}*x`).test(deep), false);
    assert.equal(globMatcher(`${'**/'.repeat(12)}*y`).test(deep), true);
    assert.equal(globMatcher(`${'*a'.repeat(12)}*b`).test('a'.repeat(400)), false);
    assert.equal(globMatcher(`${'*a'.repeat(12)}*b`).test(`${'a'.repeat(400)}b`), true);
    assert.equal(globMatcher(`${'{**/,**/}'.repeat(10)}*.zz`).test(deep), false);
  });

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
    for (const value of ['../shared/**/*.md', 'sources/../../x/*.md', '{sources,..}/*.md', '/etc/**', 'C:/x/*.md', '\\\\server\\x']) {
      assert.deepEqual(readGlobSetting(value), { problem: 'reaches outside the workspace folder' }, value);
    }
    for (const value of ['sources/..md', 'a..b/*.md', '**/..x/*.md']) assert.deepEqual(readGlobSetting(value), { glob: value }, value);
  });
});

describe('inDotFolder', () => {
  it('is true for a file in a dot folder below the glob\'s literal folders, as the CLI walks', () => {
    assert.equal(inDotFolder('.github/ISSUE_TEMPLATE/bug.md', '**/*.md'), true);
    assert.equal(inDotFolder('memos/.drafts/a.md', '**/*.md'), true);
    assert.equal(inDotFolder('sources/.trash/old.md', 'sources/**/*.md'), true);
    assert.equal(inDotFolder('memos/a.md', '**/*.md'), false);
    // A dot file is a file, not a folder; a folder the glob names is entered.
    assert.equal(inDotFolder('memos/.a.md', '**/*.md'), false);
    assert.equal(inDotFolder('.notes/a.md', '.notes/*.md'), false);
    assert.equal(inDotFolder('.notes/.old/a.md', '.notes/**/*.md'), true);
  });
});
