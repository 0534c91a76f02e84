import { strict as assert } from 'node:assert';
import { ClaimIndex } from '../../src/core/claimIndex';
import { clipText, escapeControls, escapeIcons, escapeMarkdown, oneLine, SHOWN_TEXT_CHARS } from '../../src/core/escape';
import { actorHoverMarkdown, citationHoverMarkdown } from '../../src/core/hoverContent';
import { keyCollisionWarning } from '../../src/core/loader';
import MarkdownIt from 'markdown-it';
import { parseSource, rekeySource } from '../../src/core/source';

const HOSTILE = [
  'Click [here](command:workbench.action.terminal.new) now.[^n]',
  'An image <img src=x onerror=alert(1)> and <script>alert(1)</script>.',
  'A link definition follows.\n\n[x]: command:workbench.action.terminal.new',
  'Auto link https://evil.example/x and `code` and **bold**.',
  // A footnote (shown in the cited paragraph's hover) and character references that decode to a tag.
  '[^n]: Note [here](command:workbench.action.terminal.new) &lt;img src=x onerror=alert(1)&gt; <script>alert(1)</script>.',
].join('\n\n');

describe('escaping untrusted source text', () => {
  it('leaves no Markdown link, HTML tag or command URI intact', () => {
    const out = escapeMarkdown('[x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> <script>');
    assert.ok(!/\[x\]\(/.test(out));
    assert.ok(!out.includes('<'));
    assert.ok(!/command:/.test(out.replace(/\\:/g, '')) || out.includes('command\\:'));
  });

  it('escapes every claim and paragraph of a hostile source in hovers', () => {
    const source = parseSource(`# Hostile\n\n${HOSTILE}\n`, 'sources/hostile.md');
    const index = new ClaimIndex();
    index.upsert(source);
    const links = { openClaim: () => 'command:policyCite.openClaim?%5B%5D', insertCitation: () => 'command:policyCite.insertClaimCitation?%5B%5D' };
    const md = actorHoverMarkdown({ name: 'Test <b>', type: 'group', aliases: ['[a](command:x)'], roles: [] }, source.claims, links, 10);
    const commandLinks = [...md.matchAll(/\]\((command:[^)\s]+)/g)].map((m) => m[1]);
    assert.ok(commandLinks.every((l) => l.startsWith('command:policyCite.')), commandLinks.join(' '));
    assert.ok(!md.includes('<img') && !md.includes('<script') && !md.includes('<b>'));
    const cite = citationHoverMarkdown({ key: source.key, keyStart: 0, keyEnd: 0, start: 0, end: 0, suppressAuthor: false, locator: { label: 'para.', value: '1', number: 1 } }, source, []);
    assert.match(cite, /Its notes:/);
    assert.ok(![...cite.matchAll(/\]\((command:[^)\s]+)/g)].length);
    assert.ok(!cite.includes('<img') && !cite.includes('<script'));
  });
});

describe('citation hover', () => {
  const source = parseSource('Kyrgyzstan closed the base.[^1]\n\nTajikistan raised the rent.\n\nKazakhstan stayed.\n\n[^1]: In 2014.\n', 'sources/lee.md');
  const hover = (locator?: { label: string; value: string; number: number }): string =>
    citationHoverMarkdown({ key: source.key, keyStart: 0, keyEnd: 0, start: 0, end: 0, suppressAuthor: false, locator }, source, []);

  it('shows the cited paragraph, its notes, each paragraph of a range, or that it is out of range', () => {
    // (Source text is escaped: "rent\\.")
    const two = hover({ label: 'para.', value: '2', number: 2 });
    assert.ok(two.includes('**Para. 2:** Tajikistan raised the rent\\.'), two);
    assert.doesNotMatch(two, /out of range|notes/);
    const one = hover({ label: 'para.', value: '1', number: 1 });
    assert.ok(one.includes('**Para. 1:** Kyrgyzstan closed the base\\.\n\n**Its notes:** In 2014\\.'), one);
    const range = hover({ label: 'paras.', value: '2-3', number: 2 });
    assert.ok(range.includes('**Para. 2:** Tajikistan raised the rent\\.\n\n**Para. 3:** Kazakhstan stayed\\.'), range);
    assert.ok(hover({ label: 'para.', value: '9', number: 9 }).includes('Para. 9 is out of range: the source has 3 paragraphs.'));
    assert.doesNotMatch(hover(), /Para\./);
  });
});

describe('source text shown in hovers', () => {
  it('shows at most a few thousand characters of a claim or a paragraph megabytes long', () => {
    const long = Array.from({ length: 100_000 }, (_, i) => `Karimov w${i}`).join(' ');
    const source = parseSource(`# Long\n\n${long}.\n\nKarimov left.\n`, 'sources/long.md');
    assert.ok(source.claims[0].text.length > 1_000_000);
    const links = { openClaim: () => 'command:policyCite.openClaim?%5B%5D', insertCitation: () => 'command:policyCite.insertClaimCitation?%5B%5D' };
    const md = actorHoverMarkdown({ name: 'Islam Karimov', type: 'person', aliases: [], roles: [] }, source.claims, links);
    assert.ok(md.length < 2 * SHOWN_TEXT_CHARS + 1000, `${md.length} characters`);
    assert.match(md, /(?:w\d+|Karimov)… /, 'the claim cut at a word, with an ellipsis');
    assert.match(md, /Karimov left\\\./, 'the short claim whole');
    const cite = citationHoverMarkdown({ key: source.key, keyStart: 0, keyEnd: 0, start: 0, end: 0, suppressAuthor: false, locator: { label: 'para.', value: '1', number: 1 } }, source, []);
    assert.ok(cite.length < 2 * SHOWN_TEXT_CHARS + 1000, `${cite.length} characters`);
  });

  it('cuts text at a space, never inside a surrogate pair, and leaves short text alone', () => {
    assert.equal(clipText('short', 10), 'short');
    assert.equal(clipText('one two three four five six', 16), 'one two three…');
    assert.equal(clipText('x'.repeat(30), 10), `${'x'.repeat(9)}…`);
    const emoji = `${'x'.repeat(8)}😀😀😀`;
    const cut = clipText(emoji, 10);
    assert.equal(cut, `${'x'.repeat(8)}…`);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut), 'no lone high surrogate');
  });
});

describe('escaping source keys', () => {
  // A key from a source's front matter is the source's text too: a backtick, a quote or a bracket
  // in it must not end the code span or link title it is written in.
  const hostileKeys = [
    'k` [x](command:policyCite.insertClaimCitation?%5B%5D) `',
    'k"") [x](command:policyCite.openClaim?%5B%5D "',
    'k\\` [x](command:policyCite.openClaim?%5B%5D)',
    'k``` [x](command:policyCite.openClaim?%5B%5D) ```',
  ];
  const md = new MarkdownIt();
  const hrefs = (markdown: string): string[] => [...md.render(markdown).matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);

  for (const key of hostileKeys) {
    it(`gives no link of its own in hovers: ${JSON.stringify(key)}`, () => {
      // A source's citation-key is made one Pandoc reads (citableKey), which drops backticks,
      // brackets and white space; the hovers escape a key all the same (a memo's braced key,
      // `@{…}`, may hold them), so the source is given the key as written.
      const parsed = parseSource(`---\ntitle: "T"\ncitation-key: ${JSON.stringify(key)}\n---\n# T\n\nUzbekistan left the CSTO in 2012.\n`, 'sources/k.md');
      assert.doesNotMatch(parsed.key, /[`"\[\]()\s\\]/);
      const source = rekeySource(parsed, key);
      assert.equal(source.key, key);
      const index = new ClaimIndex();
      index.upsert(source);
      const links = { openClaim: () => 'command:policyCite.openClaim?%5B%22ok%22%5D', insertCitation: () => 'command:policyCite.insertClaimCitation?%5B%22ok%22%5D' };
      const actor = actorHoverMarkdown({ name: 'Uzbekistan', type: 'state', aliases: [], roles: [] }, source.claims, links, 10);
      assert.deepEqual(hrefs(actor), source.claims.flatMap(() => [links.openClaim(), links.insertCitation()]), actor);
      const citation = { key, keyStart: 0, keyEnd: 0, start: 0, end: 0, suppressAuthor: false, locator: { label: 'para.', value: '1', number: 1 } };
      const cite = citationHoverMarkdown(citation, source, []);
      assert.deepEqual(hrefs(cite), [], cite);
      const unknown = citationHoverMarkdown({ ...citation, key: `${key}x` }, undefined, [key, 'golts2012']);
      assert.deepEqual(hrefs(unknown), [], unknown);
      // A bibliography entry's author and title are the reference manager's text, the key's too.
      const work = citationHoverMarkdown({ ...citation, key: `${key}y` }, undefined, [], { key: `${key}y`, author: key, year: '2020', title: `[run](command:x) <img src=x onerror=y> ${key}` });
      assert.deepEqual(hrefs(work), [], work);
      assert.doesNotMatch(md.render(work), /<img/, work);
      // A key collision's warning names the sources' files, whose names the workspace chose.
      const path = `sources/[run](command:x) <img src=x onerror=y> ${key}.md`;
      const warned = citationHoverMarkdown(citation, source, [], undefined, keyCollisionWarning({ key, sources: [{ path, key, given: false }, { path: `${path}x`, key: `${key}a`, given: false }] }));
      assert.match(warned, /\*\*Warning:\*\* 2 sources take the citation key/);
      assert.deepEqual(hrefs(warned), [], warned);
      assert.doesNotMatch(md.render(warned), /<img/, warned);
    });
  }
});

describe('escaping untrusted text for a terminal', () => {
  it('writes every control character but tab and line feed as its \\u escape', () => {
    assert.equal(escapeControls('a\u001b]0;title\u0007b\u001b[2Jc'), 'a\\u001b]0;title\\u0007b\\u001b[2Jc');
    assert.equal(escapeControls('8-bit CSI \u009b1m, DEL \u007f, CR \r, NUL \u0000'), '8-bit CSI \\u009b1m, DEL \\u007f, CR \\u000d, NUL \\u0000');
    assert.equal(escapeControls('line\u2028separator\u2029'), 'line\\u2028separator\\u2029');
    assert.equal(escapeControls('tab\tand\nline feed stay; é, ¶, “quotes”, 中文 too'), 'tab\tand\nline feed stay; é, ¶, “quotes”, 中文 too');
    for (let c = 0; c < 0x2030; c++) {
      const out = escapeControls(String.fromCharCode(c));
      if (c === 9 || c === 10) assert.equal(out, String.fromCharCode(c));
      else assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(out), `U+${c.toString(16)}`);
    }
  });

  it('puts a field on one line', () => {
    assert.equal(oneLine('a\r\nb\rc\nd\u0085e\u2028f\u2029g'), 'a b c d e f g');
  });
});

describe('escaping untrusted text for labels with theme icons', () => {
  it('escapes $(name) and $(name~modifier), leaves escaped ones and other dollars alone', () => {
    assert.equal(escapeIcons('Costs $(alert) and $(loading~spin) rose'), 'Costs \\$(alert) and \\$(loading~spin) rose');
    assert.equal(escapeIcons('already \\$(alert) escaped'), 'already \\$(alert) escaped');
    assert.equal(escapeIcons('$230 million (2012) and $(not an icon) and $()'), '$230 million (2012) and $(not an icon) and $()');
  });
});
