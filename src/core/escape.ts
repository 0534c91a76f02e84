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

/** C0 controls but tab and line feed, DEL, C1 controls, and the Unicode line and paragraph separators. */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text for a terminal (the CLI's output, a task's pseudoterminal): every control character but tab
 * and line feed is written as its `\u001b` escape, so that no text of a source or memo can send a
 * terminal escape sequence (clear the screen, retitle the window, write the clipboard, show a
 * link that goes elsewhere) or move the cursor over what was printed.
 */
export function escapeControls(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A field of a line-based report on one line: its line breaks as spaces (a problem matcher reads lines). */
export function oneLine(text: string): string {
  return text.replace(/\r\n?|[\n\u0085\u2028\u2029]/g, ' ');
}

/** `$(name)` and `$(name~modifier)`, as VS Code reads theme icons in labels; group 1: the backslash that escapes one. */
const THEME_ICON = /(\\)?\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/**
 * Text for a label that renders theme icons (a quick pick item's label, description and detail):
 * each `$(name)` escaped as `\$(name)`, which shows as written instead of as an icon.
 */
export function escapeIcons(text: string): string {
  return text.replace(THEME_ICON, (match, escaped: string | undefined) => (escaped ? match : `\\${match}`));
}

/**
 * The most characters of a source's text shown at once (a hover, a completion's documentation, a
 * tooltip): a paragraph of a source can be megabytes long (a pasted table, a file without blank
 * lines), which a renderer lays out on the window's thread.
 */
export const SHOWN_TEXT_CHARS = 2000;

/**
 * `text` cut to at most `max` characters at a space (or mid-word when there is none in its
 * second half), never between the two halves of a surrogate pair, with an ellipsis when cut.
 */
export function clipText(text: string, max = SHOWN_TEXT_CHARS): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if ((text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
  const space = text.lastIndexOf(' ', end);
  if (space > max / 2) end = space;
  return `${text.slice(0, end).trimEnd()}…`;
}
