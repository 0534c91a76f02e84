// The memo being written, as the checker sees it. Offsets are UTF-16 offsets into the memo text.
import type { Span } from './types';

export interface Locator {
  /** Normalised label: "para.", "p.", "chap.", "sec." … as written. */
  label: string;
  /** The value as written ("2", "2-3"). */
  value: string;
  /** Parsed first number when the value starts with one. */
  number?: number;
}

export interface Citation extends Span {
  key: string;
  keyStart: number;
  keyEnd: number;
  prefix?: string;
  suffix?: string;
  locator?: Locator;
  /** `[-@key]` */
  suppressAuthor: boolean;
}

export interface CitationGroup extends Span {
  /** `[see @a, p. 3; @b]` is bracketed; `@key [p. 3]` (in-text) is not. */
  bracketed: boolean;
  citations: Citation[];
}

export interface DraftLink extends Span {
  url: string;
}

export interface DraftSentence extends Span {
  /** Index in `Draft.sentences`. */
  index: number;
  /** Index in `Draft.paragraphs`. */
  paragraph: number;
  /** The raw memo text of the sentence. */
  raw: string;
  /** Plain prose: inline markup, citations, footnote references and link targets removed. */
  plain: string;
  citations: CitationGroup[];
  links: DraftLink[];
  /** Labels of footnote references (`[^1]` → "1") in the sentence. */
  footnoteRefs: string[];
  /** Inside a blockquote. */
  quoted: boolean;
  /** Inside a list item or a table cell. */
  inList: boolean;
  inTable: boolean;
  /**
   * In a table cell with no citation of its own: the citation groups of the other cells of its
   * row (a Source column), which source it. Empty otherwise.
   */
  rowCitations: CitationGroup[];
  /** Silenced by `<!-- policy-cite: ignore -->` or a disable/enable region. */
  ignored: boolean;
}

export interface DraftParagraph extends Span {
  index: number;
  /** Indexes into `Draft.sentences`. */
  sentences: number[];
}

export interface Footnote extends Span {
  label: string;
  citations: CitationGroup[];
  links: DraftLink[];
}

export interface Draft {
  text: string;
  sentences: DraftSentence[];
  paragraphs: DraftParagraph[];
  footnotes: Map<string, Footnote>;
  /** Every citation group in the memo, prose and footnotes, in document order. */
  citations: CitationGroup[];
  frontMatter?: Span & { data: Record<string, unknown> };
  /** The `bibliography:` value(s) of the front matter (the first MAX_BIBLIOGRAPHY_FILES). */
  bibliography: string[];
  /**
   * Set when the memo was read line by line instead of as Markdown (too large, or a part the
   * Markdown parser would take seconds over): why, and the part that made it so.
   */
  readAsLines?: Span & { reason: string };
}
