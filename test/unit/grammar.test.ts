// The citation grammar is tokenized for real with vscode-textmate and the Oniguruma wasm, injected
// into a small Markdown-like host grammar (always) and into VS Code's own Markdown grammar (when the
// code-server tools cached under .vscode-test/ hold it).
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '..', '..');
const INJECTION_PATH = path.join(ROOT, 'syntaxes', 'pandoc-citations.tmLanguage.json');
const INJECTION_SCOPE = 'text.pandoc-citation.injection';
const VSCODE_MARKDOWN_PATH = path.join(
  process.env.POLICY_CITE_TOOLS_DIR ?? path.join(ROOT, '.vscode-test'),
  'code-server/lib/node_modules/code-server/lib/vscode/extensions/markdown-basics/syntaxes/markdown.tmLanguage.json',
);

const KEY = 'entity.name.tag.citation-key.pandoc';
const AT = 'punctuation.definition.citation-key.pandoc';
const BRACKET_OPEN = 'punctuation.definition.citation.begin.pandoc';
const BRACKET_CLOSE = 'punctuation.definition.citation.end.pandoc';
const LABEL = 'keyword.other.locator-label.pandoc';
const VALUE = 'constant.numeric.locator.pandoc';
const SUPPRESS = 'keyword.operator.suppress-author.pandoc';
const SEPARATOR = 'punctuation.separator.citation.pandoc';
const PREFIX = 'meta.citation.prefix.pandoc';
const SUFFIX = 'meta.citation.suffix.pandoc';
const DIRECTIVE = 'comment.block.policy-cite.directive';
const DIRECTIVE_KEYWORD = 'keyword.control.directive.policy-cite';

/** Just enough Markdown to check where the injection must stay out: code spans, fences, comments. */
const MINIMAL_MARKDOWN = JSON.stringify({
  scopeName: 'text.html.markdown',
  patterns: [
    {
      begin: '^(```)\\s*(\\w*)$',
      end: '^(```)$',
      name: 'markup.fenced_code.block.markdown',
    },
    { begin: '<!--', end: '-->', name: 'comment.block.html' },
    { match: '(`)[^`]+(`)', name: 'markup.inline.raw.string.markdown' },
  ],
});

let onigLib: Promise<vsctm.IOnigLib> | undefined;
function loadOniguruma(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

async function loadMarkdown(hostGrammar: { text: string; file: string }): Promise<vsctm.IGrammar> {
  const registry = new vsctm.Registry({
    onigLib: loadOniguruma(),
    loadGrammar: async (scopeName) => {
      if (scopeName === 'text.html.markdown') return vsctm.parseRawGrammar(hostGrammar.text, hostGrammar.file);
      if (scopeName === INJECTION_SCOPE) return vsctm.parseRawGrammar(readFileSync(INJECTION_PATH, 'utf8'), INJECTION_PATH);
      return null; // embedded languages of the real grammar (yaml, js, …) stay plain
    },
    getInjections: (scopeName) => (scopeName === 'text.html.markdown' ? [INJECTION_SCOPE] : undefined),
  });
  const grammar = await registry.loadGrammar('text.html.markdown');
  assert.ok(grammar, 'host grammar loads');
  return grammar;
}

interface Token {
  text: string;
  scopes: string[];
}

/** Tokenizes lines in sequence (the rule stack carries over, as in an editor). */
function tokenize(grammar: vsctm.IGrammar, text: string): Token[][] {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The token holding the `nth` occurrence of `needle` in the line; asserts it covers all of it. */
function tokenOf(tokens: Token[], needle: string, nth = 0): Token {
  const line = tokens.map((t) => t.text).join('');
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = line.indexOf(needle, at + 1);
    assert.notEqual(at, -1, `"${needle}" (#${nth}) in ${JSON.stringify(line)}`);
  }
  let offset = 0;
  for (const token of tokens) {
    if (at >= offset && at < offset + token.text.length) {
      assert.ok(
        at + needle.length <= offset + token.text.length,
        `"${needle}" split across tokens: ${JSON.stringify(tokens.map((t) => t.text))}`,
      );
      return token;
    }
    offset += token.text.length;
  }
  throw new Error('unreachable');
}

function assertScope(tokens: Token[], needle: string, scope: string, nth = 0): void {
  const token = tokenOf(tokens, needle, nth);
  assert.ok(token.scopes.includes(scope), `"${needle}" has ${scope}; got ${token.scopes.join(' ')}`);
}

function assertNoCitation(tokens: Token[], needle: string, nth = 0): void {
  const token = tokenOf(tokens, needle, nth);
  const citation = token.scopes.filter((s) => s.endsWith('.pandoc') || s.endsWith('.policy-cite') || s.includes('policy-cite'));
  assert.deepEqual(citation, [], `"${needle}" is not a citation; got ${token.scopes.join(' ')}`);
}

function citationGrammarSuite(load: () => Promise<vsctm.IGrammar>): void {
  let grammar: vsctm.IGrammar;
  before(async function () {
    grammar = await load();
  });
  const line = (text: string): Token[] => tokenize(grammar, text)[0];

  it('scopes a bracketed citation: brackets, @, key, locator', () => {
    const tokens = line('The CSTO was founded in 2002 [@golts2012, para. 3].');
    assertScope(tokens, '[', BRACKET_OPEN);
    assertScope(tokens, '@', AT);
    assertScope(tokens, 'golts2012', KEY);
    assertScope(tokens, 'para.', LABEL);
    assertScope(tokens, '3', VALUE);
    assertScope(tokens, ']', BRACKET_CLOSE);
    assertNoCitation(tokens, 'The CSTO');
    assertNoCitation(tokens, '.', 1);
  });

  it('scopes groups with prefix, suppress-author, separators and several locators', () => {
    const tokens = line('As argued [see @a2001, p. 3; -@b2002, para. 2; also @c-d:e, pp. 33-35, and passim].');
    assertScope(tokens, 'see ', PREFIX);
    assertScope(tokens, 'a2001', KEY);
    assertScope(tokens, 'p.', LABEL);
    assertScope(tokens, ';', SEPARATOR);
    assertScope(tokens, '-', SUPPRESS);
    assertScope(tokens, 'b2002', KEY);
    assertScope(tokens, '2', VALUE, 3);
    assertScope(tokens, 'also ', PREFIX);
    assertScope(tokens, 'c-d:e', KEY);
    assertScope(tokens, 'pp.', LABEL);
    assertScope(tokens, '33-35', VALUE);
    assertScope(tokens, ', and passim', SUFFIX);
  });

  it('scopes a range written with two hyphens as one locator value, as pandoc reads it', () => {
    const tokens = line('See [@a2001, paras. 2--3 and passim] and @b2002 [pp. 10--12].');
    assertScope(tokens, '2--3', VALUE);
    assertScope(tokens, '10--12', VALUE);
  });

  it('keeps internal punctuation in keys but not a trailing full stop', () => {
    const tokens = line('Per @doe.smith:2020/x~y+z?1, and @golts2012.');
    assertScope(tokens, 'doe.smith:2020/x~y+z?1', KEY);
    const key = tokenOf(tokens, 'golts2012');
    assert.equal(key.text, 'golts2012');
    assertNoCitation(tokens, '.', 1);
  });

  it('scopes in-text citations with and without a locator', () => {
    const tokens = line('@golts2012 [para. 2] says so, as does @smith04.');
    assertScope(tokens, '@', AT);
    assertScope(tokens, 'golts2012', KEY);
    assertScope(tokens, '[', BRACKET_OPEN);
    assertScope(tokens, 'para.', LABEL);
    assertScope(tokens, '2', VALUE, 2); // after the two in golts2012
    assertScope(tokens, ']', BRACKET_CLOSE);
    assertScope(tokens, 'smith04', KEY);
  });

  it('scopes braced keys', () => {
    const tokens = line('See @{odd key 2020} and [@{https://example.com/x?y=1}, para. 4].');
    assertScope(tokens, 'odd key 2020', KEY);
    assertScope(tokens, 'https://example.com/x?y=1', KEY);
    assertScope(tokens, '4', VALUE);
  });

  it('scopes a bare page number and a braced locator', () => {
    const tokens = line('[@a2001, 33-35; @b2002, {iv, vi-xi}]');
    assertScope(tokens, '33-35', VALUE);
    assertScope(tokens, 'iv, vi-xi', VALUE);
  });

  it('scopes a Unicode key', () => {
    assertScope(line('[@müller2019, para. 1]'), 'müller2019', KEY);
  });

  it('does not take an e-mail address, an escaped @ or a link for a citation', () => {
    const tokens = line('Write to name@example.com or \\@handle; [read @here](https://x.org).');
    assertNoCitation(tokens, 'name');
    assertNoCitation(tokens, 'example.com');
    assertNoCitation(tokens, 'handle');
    assertNoCitation(tokens, '[');
  });

  it('leaves code spans and fenced code alone', () => {
    const lines = tokenize(grammar, 'Use `[@golts2012, para. 3]` in text.\n```\n[@golts2012, para. 3]\n```\nAfter [@ok2020].');
    assertNoCitation(lines[0], 'golts2012');
    assertNoCitation(lines[2], 'golts2012');
    assertScope(lines[4], 'ok2020', KEY);
  });

  it('gives the ignore, disable and enable comments their own scope', () => {
    for (const word of ['ignore', 'disable', 'enable']) {
      const tokens = line(`Analysis. <!-- policy-cite: ${word} --> More.`);
      assertScope(tokens, '<!--', DIRECTIVE);
      assertScope(tokens, word, DIRECTIVE_KEYWORD);
      assertScope(tokens, word, DIRECTIVE);
      assertScope(tokens, '-->', DIRECTIVE);
      assertNoCitation(tokens, 'More');
    }
    const directiveLine = line('<!-- policy-cite: ignore -->');
    assertScope(directiveLine, 'ignore', DIRECTIVE_KEYWORD);
    const other = line('<!-- an ordinary comment with @key -->');
    assertNoCitation(other, 'key');
    assertNoCitation(other, '<!--');
  });
}

describe('Pandoc citation grammar', () => {
  describe('injected into a minimal Markdown grammar', () => {
    citationGrammarSuite(() => loadMarkdown({ text: MINIMAL_MARKDOWN, file: 'markdown.json' }));
  });

  describe("injected into VS Code's Markdown grammar", function () {
    before(function () {
      if (!existsSync(VSCODE_MARKDOWN_PATH)) this.skip(); // needs scripts/setup-vscode-tools.sh
    });
    citationGrammarSuite(() =>
      loadMarkdown({ text: readFileSync(VSCODE_MARKDOWN_PATH, 'utf8'), file: VSCODE_MARKDOWN_PATH }),
    );

    it('scopes citations in headings, list items, block quotes and emphasis', async () => {
      const grammar = await loadMarkdown({ text: readFileSync(VSCODE_MARKDOWN_PATH, 'utf8'), file: VSCODE_MARKDOWN_PATH });
      const lines = tokenize(grammar, '# Background [@h2001]\n\n- a list item [@l2002, para. 2]\n\n> quoted [@q2003]\n\n*emphasis @e2004*');
      assertScope(lines[0], 'h2001', KEY);
      assertScope(lines[2], 'l2002', KEY);
      assertScope(lines[2], 'para.', LABEL);
      assertScope(lines[4], 'q2003', KEY);
      assertScope(lines[6], 'e2004', KEY);
    });
  });
});
