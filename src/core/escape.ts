// Source text is untrusted: before it reaches a Markdown renderer (hover, tree tooltips) every
// character Markdown or HTML could interpret is escaped, so links, images and HTML show as text.

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&"'$:@=^]/g;

export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(MARKDOWN_SPECIAL, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`))
    .replace(/\r?\n/g, ' ');
}

/** Inline code that cannot be broken out of (backtick fences longer than any run inside). */
export function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${text.replace(/\r?\n/g, ' ')} ${fence}`;
}
