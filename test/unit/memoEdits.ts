// Pieces that random edits of a memo insert (shared by the incremental parser's tests).

/** Pieces an edit inserts: text, blank lines, and constructs that change how a memo is cut or read. */
export const INSERTS = [
  'x', ' ', '.', '\n', '\n\n', '\n\n```\n', '\n~~~~\n', '\n\n<!-- policy-cite: ignore -->\n\n', '<!--', '-->', '\n\n[^1]: A note.\n',
  '\n\n[ref]: https://example.org\n', '<!-- policy-cite: disable -->', '[@golts2012, para. 2]', ' in 2012', '$230 million', '\n\n> ',
  '\n\n- ', '\n\n1. ', '\n\n    code\n', '\n---\n', '\n\n# Heading\n', '\r\n', '\r', '\n\n<script>\n\n</script>\n', '\n  ```\n',
  '| a | b |\n|---|---|\n', '* ', '+ ', '2) ', '===', '***', '<div>', '</div>', '<br>', '\t', '   ', '[^1]', '[ref]', '\\', '`', '``',
  '~~~', '```js', ':::', '::: note', '$$', '\uFEFF', '> > ', '- [ ] ', 'a\n===\n', '<!-- x -->', '<!--\n\n-->', '\n\n- [ref]: x\n',
  // Pieces of a directive that an edit may join with text around it.
  'policy-cite', ': disable', 'disable -->', '<!-- policy-cite', ']:', 'www.example.org', 'a@b.org', '](x)', '![', '_x_', '&amp;',
];

