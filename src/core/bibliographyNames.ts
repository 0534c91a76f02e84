// Where a memo's front matter, or a Quarto project file, writes the files of its `bibliography:`
// (the draft has them as values): for the findings about them and for Go to Definition on them.
import type { Draft } from './draftTypes';
import type { Span } from './types';

const PATH_CHAR = /^[\p{L}\p{N}_./\\-]$/u;

/**
 * The names of `bibliography:` in a draft's front matter (or in a YAML text: a Quarto project
 * file), found in the order it gives them: each search starts after the last name found, so a
 * list of thousands costs one pass, not one per name. Offsets are the memo's (the text's).
 */
export class BibliographyNames {
  /** The `bibliography` key, where the front matter has it. */
  readonly key: Span | undefined;
  private readonly head: string;
  private readonly base: number;
  private from: number;

  constructor(of: Draft | string) {
    const fm = typeof of === 'string' ? { start: 0, end: of.length } : of.frontMatter;
    this.base = fm?.start ?? 0;
    this.head = typeof of === 'string' ? of : fm ? of.text.slice(fm.start, fm.end) : '';
    const key = /^bibliography[ \t]*:/m.exec(this.head);
    this.key = key ? { start: this.base + key.index, end: this.base + key.index + 'bibliography'.length } : undefined;
    this.from = key ? key.index + key[0].length : this.head.length;
  }

  /**
   * `name` as written after the last name found (a whole value, not part of a longer path);
   * undefined when it is not there so (a name the YAML writes escaped, say).
   */
  find(name: string): Span | undefined {
    const { head } = this;
    for (let at = head.indexOf(name, this.from); at >= 0; at = head.indexOf(name, at + 1)) {
      if (PATH_CHAR.test(head.charAt(at - 1)) || PATH_CHAR.test(head.charAt(at + name.length))) continue;
      this.from = at + name.length;
      return { start: this.base + at, end: this.base + at + name.length };
    }
    return undefined;
  }
}

/** The file of the draft's `bibliography:` written at `offset`, with where it is written. */
export function bibliographyNameAt(draft: Draft, offset: number): { name: string; span: Span } | undefined {
  const fm = draft.frontMatter;
  if (!fm || offset < fm.start || offset > fm.end || draft.bibliography.length === 0) return undefined;
  const names = new BibliographyNames(draft);
  for (const name of draft.bibliography) {
    const span = names.find(name);
    if (span && span.start <= offset && offset <= span.end) return { name, span };
    if (span && span.start > offset) return undefined;
  }
  return undefined;
}
