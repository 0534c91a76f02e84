// Shared data model of the engine. Offsets are UTF-16 code-unit offsets into the file text,
// `end` exclusive, as in JavaScript strings and LSP.

export type ClaimKind = 'fact' | 'quote' | 'opinion' | 'prediction';
export type ActorType = 'person' | 'state' | 'organization' | 'place' | 'group';

export interface Span {
  start: number;
  end: number;
}

export interface Author {
  family: string;
  given?: string;
}

export interface SourceMeta {
  title?: string;
  authors: Author[];
  /** ISO date `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) when known. */
  date?: string;
  publisher?: string;
  url?: string;
  /** The author's bio line ("Alexander Golts is deputy editor of …"). */
  authorInfo?: string;
  /** Other front-matter fields kept for the bibliography (CSL `type`, `container-title`, …). */
  extra?: Record<string, unknown>;
  /**
   * Why the file's front matter gave no field (invalid YAML, not a list of fields, no closing
   * line), for the CLI and the extension to warn about: its title, author, date and key were
   * not read.
   */
  frontMatterError?: string;
  /**
   * The key was given in the front matter (`citation-key`, `id`, `key`): on a collision it wins
   * over keys derived from author and year.
   */
  keyGiven?: boolean;
}

export interface Paragraph extends Span {
  /** 1-based body paragraph number: the `para. N` locator. */
  index: number;
  /** Plain text with Markdown escapes and inline markup removed. */
  text: string;
  /**
   * The plain text of the footnotes the paragraph references first (`[^1]`), whose sentences
   * are claims of this paragraph too; absent when it references none.
   */
  notes?: string;
}

export interface NumberMention extends Span {
  /** The text as written in the sentence ("$230 million", "tenfold"). */
  text: string;
  value: number;
  /** "USD", "EUR", "%", "x" (multiplier), "people", "km", … ; undefined for a bare count. */
  unit?: string;
  /** "several hundred", "about 40", "some 3,000". */
  approximate?: boolean;
}

export interface DateMention extends Span {
  text: string;
  year: number;
  month?: number;
  day?: number;
  /** Resolved from a relative phrase ("two weeks ago") against the article date. */
  relative?: boolean;
  approximate?: boolean;
}

export interface QuoteSpan extends Span {
  /** The quoted words without the quotation marks. */
  text: string;
  /** Who said it, when the sentence says so ("a senior Russian official"). */
  speaker?: string;
}

export interface Claim extends Span {
  /** Stable id: `<key>:<paragraph>.<sentence>` (e.g. `golts2012:2.3`). */
  id: string;
  sourceKey: string;
  paragraph: number;
  /** 1-based sentence number within the paragraph. */
  sentence: number;
  /** Plain text of the sentence (escapes removed). */
  text: string;
  kind: ClaimKind;
  /** Canonical actor names mentioned (directly, by alias or metonym, or by a resolved pronoun). */
  actors: string[];
  numbers: NumberMention[];
  years: number[];
  dates: DateMention[];
  quotes: QuoteSpan[];
}

export interface ActorMention extends Span {
  /** Canonical actor name. */
  actor: string;
  /** The surface form in the text ("Tashkent", "he"). */
  text: string;
  viaPronoun?: boolean;
}

export interface Source {
  key: string;
  path: string;
  meta: SourceMeta;
  paragraphs: Paragraph[];
  claims: Claim[];
  /** Actors first seen in this source (named entities, roles); merged into the registry. */
  discoveredActors: ActorDefinition[];
  /** Content hash of the text (for caches). */
  hash: string;
}

export interface ActorDefinition {
  name: string;
  type: ActorType;
  aliases: string[];
  /** Roles given by sources or the gazetteer ("Uzbek President"). */
  roles: string[];
  /** Short description ("Military alliance of post-Soviet states"). */
  description?: string;
  /** For metonyms: a capital or demonym that stands for this actor. Listed in aliases too. */
  metonyms?: string[];
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Suggestion {
  key: string;
  /** `para. N` */
  locator: string;
  claimId: string;
  text: string;
  score: number;
}

export interface Finding extends Span {
  code: string;
  severity: Severity;
  message: string;
  suggestions: Suggestion[];
  /** Data a quick fix needs (e.g. the source's figure, the closest keys). */
  data?: Record<string, string | number | string[]>;
}
