// A memo as the checker sees it: prose sentences with exact offsets, their citations, links and
// footnote references. micromark (via mdast) gives the block structure and every inline node
// with its offsets; the prose is then masked in two copies of the text of the same length, one
// for citation parsing (code, HTML, link targets blanked) and one for sentence splitting
// (citations and link targets blanked, code and in-text citations turned into a neutral word,
// line breaks into spaces), so that every offset found in a copy is an offset into the memo.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import type { Html, Nodes, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { parseCitations } from './citations';
import type { CitationGroup, Draft, DraftLink, DraftParagraph, DraftSentence, Footnote } from './draftTypes';
import { parseDraftInPieces } from './incrementalDraft';
import { loadYaml } from './readYaml';
import { splitSentences } from './sentences';
import { attributeMarks, inlineNotes, lineAt } from './text';
import type { Span } from './types';

/**
 * micromark's cost grows faster than linearly with the length of a single paragraph, so a memo
 * with a run of non-blank lines longer than this (or a very large memo) is read by a simple
 * line-based reader instead: same sentences and citations, no inline Markdown structure.
 */
export const MAX_BLOCK_CHARS = 50_000;
export const MAX_MARKDOWN_CHARS = 1_000_000;

const DIRECTIVE = /<!--\s*policy-cite\s*:\s*(ignore|disable|enable)\s*-->/gi;

type DirectiveKind = 'ignore' | 'disable' | 'enable';

interface Directive extends Span {
  kind: DirectiveKind;
}

interface BlockContext {
  quoted: boolean;
  inList: boolean;
  inTable: boolean;
  /** The start of the table row holding the cell. */
  row?: number;
  footnote?: Footnote;
}

/** A run of prose: a paragraph, a table cell, or text after a comment in an HTML block. */
interface ProseBlock extends Span {
  inline: PhrasingContent[];
  ctx: BlockContext;
  /** Set during inline analysis. */
  links: Array<DraftLink & { literal: boolean }>;
  footnoteRefs: Array<Span & { label: string }>;
  /** Inline `ignore` comments. */
  ignoreAt: number[];
  /** Zones blanked for sentence splitting; `attach` ones join a neighbouring sentence. */
  zones: Array<Span & { attach: boolean }>;
  groups: CitationGroup[];
  /** Its inline notes (`^[…]`), if any. */
  notes?: Span[];
}

interface Structure {
  blocks: ProseBlock[];
  frontMatter?: Span & { yaml: string };
  directives: Directive[];
  /** Ranges silenced by a block-level `ignore` comment. */
  ignoredRanges: Span[];
  footnotes: Map<string, Footnote>;
  /** Markup found by the structural pass, applied to the text copies afterwards. */
  marks: Array<Span & { kind: MarkKind }>;
  /** Text nodes whose value differs from their source (escapes, references, prefixes). */
  texts: Array<{ span: Span; value: string }>;
  /** Set when the text was read by the line reader instead of micromark: why, and where. */
  readAsLines?: MarkdownLimit;
}

type MarkKind = 'code' | 'hide' | 'break' | 'autolink' | 'bareUrl' | 'markup' | 'linkTail' | 'plainOnly';

function emptyStructure(): Structure {
  return { blocks: [], directives: [], ignoredRanges: [], footnotes: new Map(), marks: [], texts: [] };
}

const NO_CONTEXT: BlockContext = { quoted: false, inList: false, inTable: false };

/**
 * Parses a Markdown memo. Never throws: unreadable input yields a draft with what was found.
 *
 * The memo is parsed in pieces (see incrementalDraft.ts: places where Markdown carries no state
 * from one block to the next), and a piece of plain shape is read without micromark (plainPiece:
 * prose paragraphs, bullet lists of one-line items, headings), which is most of a memo; the
 * result is parseDraftWhole's (test/unit/fastPaths.test.ts compares them).
 */
export function parseDraft(text: string): Draft {
  try {
    return parseDraftInPieces(text);
  } catch {
    return parseDraftWhole(text);
  }
}

/**
 * A piece of a memo (or a whole memo within micromark's limits, see MAX_BLOCK_CHARS): read
 * directly when it is plain (see plainPiece), else by micromark.
 */
export function parseDraftPiece(text: string): Draft {
  return parsePlainPiece(text) ?? (definitionsOnly(text) ? emptyDraft(text) : parseDraftWhole(text));
}

/** The draft of a text with no prose. */
export function emptyDraft(text: string): Draft {
  return { text, sentences: [], paragraphs: [], footnotes: new Map(), citations: [], bibliography: [] };
}

/** The straightforward parse: the whole memo through micromark (or the line reader). */
export function parseDraftWhole(text: string): Draft {
  try {
    return buildDraft(text, readStructure(text));
  } catch {
    try {
      return buildDraft(text, readLines(text));
    } catch {
      return emptyDraft(text);
    }
  }
}

function readStructure(text: string): Structure {
  const limit = markdownLimit(text);
  if (limit) return { ...readLines(text), readAsLines: limit };
  try {
    return readMarkdown(text);
  } catch (error) {
    const end = text.indexOf('\n');
    return { ...readLines(text), readAsLines: { start: 0, end: end < 0 ? text.length : end, reason: `the Markdown parser failed on it (${String(error).slice(0, 200)})` } };
  }
}

/** Why and where a text is read with the line reader instead of micromark. */
export type MarkdownLimit = Span & { reason: string };

/** Whether parseDraftWhole reads the text with the line reader instead of micromark. */
export function readByLines(text: string): boolean {
  return markdownLimit(text) !== undefined;
}

/** Why parseDraftWhole reads the text with the line reader (see tooDearForMarkdown), and where; undefined when micromark reads it. */
export function markdownLimit(text: string): MarkdownLimit | undefined {
  if (text.length > MAX_MARKDOWN_CHARS) {
    const end = text.indexOf('\n');
    return { start: 0, end: end < 0 ? text.length : end, reason: `it is longer than ${MAX_MARKDOWN_CHARS.toLocaleString('en-US')} characters` };
  }
  return dearForMarkdown(text);
}

/** Block quotes and list items nested on one line beyond this make micromark's cost grow with the square of the depth. */
export const MAX_NESTING = 32;
/**
 * micromark's cost for a paragraph grows with the number of brackets, emphasis delimiters and
 * backticks times its length (each looks back over what came before it, or ahead for its end):
 * about 10–40 ns per unit here, so this is 0.05–0.2 s. An ordinary paragraph of 5,000
 * characters with 50 of them is 250,000.
 */
export const MAX_INLINE_COST = 5_000_000;
/** micromark takes about 0.3 ms per link or footnote definition: a block of more than this many is read by lines. */
export const MAX_BLOCK_DEFINITIONS = 1_000;
/** A whole link reference definition on one line (label, destination, optional title). */
const LINK_DEFINITION_LINE = /^\[(?!\^)[^[\]]{1,999}\]:[ \t]*(?:<[^<>\n]*>|[^\s<][^\s]*)(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\r?$/;
/** The start of a footnote definition. */
const FOOTNOTE_DEFINITION_START = /^\[\^[^\]\s]{1,999}\]:/;
/** A paragraph shorter than this cannot reach MAX_INLINE_COST (its marks are at most its length). */
const INLINE_COST_LENGTH = Math.floor(Math.sqrt(MAX_INLINE_COST));

/**
 * Whether micromark would be slow on the text: a run of non-blank lines longer than
 * MAX_BLOCK_CHARS; a line nesting more than MAX_NESTING block quotes or list items; a paragraph
 * (approximated as the lines from a blank line, a list item, a table row or a footnote
 * definition to the next, one-line link definitions apart) whose brackets, emphasis delimiters
 * and backticks times its length pass MAX_INLINE_COST; or a block of more than
 * MAX_BLOCK_DEFINITIONS definitions. Such texts, hostile or broken more than written, would hold
 * the thread for seconds, up to minutes.
 */
export function tooDearForMarkdown(text: string): boolean {
  return dearForMarkdown(text) !== undefined;
}

/** A front matter fence line at `lastIndex`, as micromark's frontmatter extension reads one: `---`, then spaces or tabs. */
const FRONT_MATTER_FENCE = /---[ \t]*\r?(?=\n|$)/y;

/**
 * Where the text after the memo's front matter begins: after its closing fence line, as micromark
 * reads front matter (a `---` line first, after a byte order mark, up to the next `---` line); 0
 * when there is none, -1 when it is not closed (micromark then reads no front matter).
 */
export function frontMatterEnd(text: string): number {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const isFence = (at: number): boolean => text.charCodeAt(at) === 45 && ((FRONT_MATTER_FENCE.lastIndex = at), FRONT_MATTER_FENCE.test(text));
  const firstEnd = text.indexOf('\n', start);
  if (!isFence(start) || firstEnd < 0) return 0;
  for (let lineStart = firstEnd + 1; lineStart < text.length; ) {
    const lineEnd = text.indexOf('\n', lineStart);
    if (isFence(lineStart)) return lineEnd < 0 ? text.length : lineEnd + 1;
    if (lineEnd < 0) break;
    lineStart = lineEnd + 1;
  }
  return -1;
}

/** tooDearForMarkdown, with where and why. */
function dearForMarkdown(text: string): MarkdownLimit | undefined {
  const length = text.length;
  let blockStart = -1;
  let unitStart = -1;
  /** The marks of the paragraph up to `counted`, once it is long enough to count them. */
  let unitMarks = 0;
  let counted = -1;
  let blockDefinitions = 0;
  // (Front matter is no Markdown block: micromark reads it in linear time, whatever its length; a
  // memo's inline `references:` of a few hundred works is 50 KB of lines without a blank one. A
  // carriage return alone ends a line for micromark, which may then see a fence earlier and read
  // as Markdown what this would skip: such front matter is not skipped.)
  const afterFrontMatter = frontMatterEnd(text);
  const skipped = afterFrontMatter > 0 && !/\r(?!\n)/.test(text.slice(0, afterFrontMatter)) ? afterFrontMatter : 0;
  for (let lineStart = skipped; lineStart <= length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = length;
    // The container markers at the start of the line: block quotes and list items.
    let i = lineStart;
    let depth = 0;
    let item = false;
    for (;;) {
      while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      const c = text.charCodeAt(i);
      if (c === 62 /* > */) {
        i++;
      } else if ((c === 45 || c === 42 || c === 43) /* - * + */ && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9)) {
        i++;
        item = true;
      } else if (c >= 48 && c <= 57) {
        let j = i + 1;
        while (j < lineEnd && j - i < 10 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
        const d = text.charCodeAt(j);
        const after = text.charCodeAt(j + 1);
        if (!((d === 46 || d === 41) /* . ) */ && (j + 1 === lineEnd || after === 32 || after === 9))) break;
        i = j + 1;
        item = true;
      } else break;
      if (++depth > MAX_NESTING) return { start: lineStart, end: lineEnd, reason: `a line nests more than ${MAX_NESTING} block quotes or list items` };
    }
    const blank = i >= lineEnd || (i === lineEnd - 1 && text.charCodeAt(i) === 13);
    if (blank && depth === 0) {
      blockStart = -1;
      unitStart = -1;
      blockDefinitions = 0;
    } else {
      if (blockStart < 0) blockStart = lineStart;
      if (lineEnd - blockStart > MAX_BLOCK_CHARS) return { start: blockStart, end: lineEnd, reason: `a block of lines without a blank line between them is longer than ${MAX_BLOCK_CHARS.toLocaleString('en-US')} characters` };
      if (text.charCodeAt(i) === 91 /* [ */) {
        const rest = text.slice(i, lineEnd);
        // A link definition of one line is no paragraph (micromark reads runs of them in linear
        // time, if slowly); a footnote definition begins one.
        const link = LINK_DEFINITION_LINE.test(rest);
        if (link || FOOTNOTE_DEFINITION_START.test(rest)) {
          if (++blockDefinitions > MAX_BLOCK_DEFINITIONS) return { start: blockStart, end: lineEnd, reason: `a block of lines without a blank line between them holds more than ${MAX_BLOCK_DEFINITIONS.toLocaleString('en-US')} link or footnote definitions` };
          if (link) {
            unitStart = -1;
            lineStart = lineEnd + 1;
            continue;
          }
          item = true;
        }
      }
      if (unitStart < 0 || item || text.charCodeAt(i) === 124 /* | */) {
        unitStart = lineStart;
        unitMarks = 0;
        counted = -1;
      }
      // (Most paragraphs are too short to count: the text is scanned by lines only.)
      if (lineEnd - unitStart > INLINE_COST_LENGTH) {
        for (let k = counted < 0 ? unitStart : counted; k < lineEnd; k++) {
          const c = text.charCodeAt(k);
          if (c === 91 /* [ */ || c === 93 /* ] */ || c === 42 /* * */ || c === 95 /* _ */ || c === 126 /* ~ */ || c === 96 /* ` */) unitMarks++;
        }
        counted = lineEnd;
        if (unitMarks * (lineEnd - unitStart) > MAX_INLINE_COST) {
          return { start: unitStart, end: lineEnd, reason: `a paragraph of ${(lineEnd - unitStart).toLocaleString('en-US')} characters holds ${unitMarks.toLocaleString('en-US')} brackets, emphasis marks and backticks, more than the Markdown parser reads in reasonable time` };
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Plain pieces

/**
 * Characters that never start Markdown inline syntax or a block when inside a line that begins
 * with a letter: everything but `\` `` ` `` `*` `_` `~` `<` `>` `&` `|`, tabs, carriage returns
 * and other control characters. `[`, `]`, `!` and `@` are allowed but checked in context below.
 */
const UNSAFE_CHAR = /[\\`*_~<>&|\u0000-\u0009\u000B-\u001F\u007F]/;
/** Constructs made of allowed characters: links, images, footnote calls, references, literal autolinks (GFM) and e-mail addresses. */
const UNSAFE_SEQUENCE = /\]\(|\]\[|!\[|\[\^|www\.|https?:|mailto:|xmpp:|[\p{L}\p{N}._+-]@/iu;
/** A line that can only be paragraph text: it begins with a letter or an opening double quote and does not end in white space. */
const PLAIN_LINE = /^[\p{L}"“][^\n]*[^\s]$|^[\p{L}"“]$/u;

/** A bullet list item of one line: `- ` and a plain line. */
const PLAIN_ITEM = /^- [\p{L}"“]/u;
/** An ATX heading on one line: skipped whole, whatever it holds. */
const HEADING_LINE = /^#{1,6}(?:[ \t][^\n\r]*)?$/;

/**
 * The structure of a memo piece that is one of the plain shapes most of a memo is made of, read
 * without micromark; undefined for anything else. The shapes, each followed by blank lines only:
 * - a paragraph of plain prose: lines that begin with a letter or a double quote and do not end
 *   in white space, with no character that could start Markdown syntax (UNSAFE_CHAR,
 *   UNSAFE_SEQUENCE): one block from its first character to the end of its last line, whose text
 *   micromark gives as the source itself;
 * - a bullet list of such lines, each `- ` and one line: a block per item, in a list;
 * - an ATX heading on one line: no block (headings are not prose);
 * - a block quote of one line, `> ` and a plain line: a quoted block.
 * Tests compare the drafts built from these with micromark's on random input.
 */
export function plainPiece(text: string): Structure | undefined {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  if (end === 0) return undefined;
  const body = text.slice(0, end);
  const first = body.charCodeAt(0);
  if (first === 35 /* # */) return HEADING_LINE.test(body) ? emptyStructure() : undefined;
  if (first === 62 /* > */) {
    const line = body.slice(2);
    if (!body.startsWith('> ') || line.includes('\n') || UNSAFE_CHAR.test(line) || UNSAFE_SEQUENCE.test(line) || !PLAIN_LINE.test(line)) return undefined;
    const structure = emptyStructure();
    structure.blocks.push(newBlock({ start: 2, end }, [], { quoted: true, inList: false, inTable: false }));
    return structure;
  }
  if (UNSAFE_CHAR.test(body) || UNSAFE_SEQUENCE.test(body)) return undefined;
  const structure = emptyStructure();
  const list = first === 45; /* - */
  for (let lineStart = 0; lineStart < end; ) {
    let lineEnd = body.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = end;
    const line = body.slice(lineStart, lineEnd);
    if (list) {
      if (!PLAIN_ITEM.test(line) || !PLAIN_LINE.test(line.slice(2))) return undefined;
      structure.blocks.push(newBlock({ start: lineStart + 2, end: lineEnd }, [], { quoted: false, inList: true, inTable: false }));
    } else if (!PLAIN_LINE.test(line)) {
      return undefined;
    }
    lineStart = lineEnd + 1;
  }
  if (!list) structure.blocks.push(newBlock({ start: 0, end }, [], NO_CONTEXT));
  return structure;
}

/** The draft of a plain piece (see plainPiece), or undefined. */
export function parsePlainPiece(text: string): Draft | undefined {
  const plain = plainPiece(text);
  if (!plain) return undefined;
  try {
    return buildDraft(text, plain);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Block structure from mdast

/**
 * micromark's options, made on first use and shared by every parse (the extensions are data and
 * handlers; a parse keeps its state in its own parser and compiler): a memo read in pieces parses
 * one per footnote, and making them anew cost 10–20% of a short piece's parse (159 µs a call
 * against 123–145 µs, measured on a footnote definition).
 */
let markdownOptions: Parameters<typeof fromMarkdown>[1] | undefined;

function markdownTree(text: string): Root {
  markdownOptions ??= {
    extensions: [gfm(), frontmatter(['yaml'])],
    mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])],
  };
  return fromMarkdown(text, markdownOptions);
}

/** A link reference definition: its label as micromark decodes it, and its destination. */
export interface LinkDefinition {
  label: string;
  url: string;
}

/**
 * A link reference definition on one line as micromark reads one, in the shape reference lists
 * have: at the margin, a label without escapes, a destination without escapes, parentheses or
 * pointy brackets inside it (or between pointy brackets), an optional title. Character
 * references are ruled out after the match (see definitionsOnly).
 */
const SIMPLE_DEFINITION =
  /^\[(?!\^)((?=[^\]]*[^\s\]])[^[\]\\]{1,999})\]:[ \t]*(?:<([^<>\\\n\r]*)>|([^\s<>()\\\u0000-\u001f\u007f]+))(?:[ \t]+(?:"[^"\\\n]*"|'[^'\\\n]*'|\([^()\\\n]*\)))?[ \t]*\r?$/;
const CHARACTER_REFERENCE = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/;

/**
 * The link definitions of a text made only of SIMPLE_DEFINITION lines and blank lines (a
 * reference list), read without micromark: its draft is empty. Undefined for any other text.
 */
export function definitionsOnly(text: string): LinkDefinition[] | undefined {
  if (text.length === 0 || text.charCodeAt(0) !== 91 /* [ */ || text.length > MAX_MARKDOWN_CHARS || CHARACTER_REFERENCE.test(text)) return undefined;
  const out: LinkDefinition[] = [];
  // (A block of more than MAX_BLOCK_DEFINITIONS is read by lines: see tooDearForMarkdown.)
  let inBlock = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (/^[ \t]*\r?$/.test(line)) {
      inBlock = 0;
      continue;
    }
    const m = SIMPLE_DEFINITION.exec(line);
    if (!m || ++inBlock > MAX_BLOCK_DEFINITIONS) return undefined;
    out.push({ label: m[1], url: m[2] ?? m[3] });
  }
  return out;
}

/**
 * The link reference definitions of a text, as parseDraftWhole reads it (none when it reads the
 * text by lines).
 */
export function readLinkDefinitions(text: string): LinkDefinition[] {
  return definitionsOnly(text) ?? readLinkDefinitionsWhole(text);
}

/** readLinkDefinitions by micromark, whatever the text. */
export function readLinkDefinitionsWhole(text: string): LinkDefinition[] {
  if (readByLines(text)) return [];
  let tree: Root;
  try {
    tree = markdownTree(text);
  } catch {
    // (readStructure then reads the text by lines.)
    return [];
  }
  const out: LinkDefinition[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    if (node.type === 'definition') out.push({ label: node.label ?? node.identifier, url: node.url });
    else if ('children' in node) for (const child of node.children) stack.push(child);
  }
  return out;
}

function readMarkdown(text: string): Structure {
  // micromark drops a byte order mark and counts offsets from after it.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tree = markdownTree(text);
  const range = (node: Nodes): Span | undefined => {
    const s = node.position?.start.offset;
    const e = node.position?.end.offset;
    return s === undefined || e === undefined ? undefined : { start: s + shift, end: e + shift };
  };

  const structure = emptyStructure();
  const definitions = new Map<string, string>();
  const footnoteLabels = new Map<string, string>();
  collectDefinitions(tree, definitions, footnoteLabels);

  const stack: Array<{ node: Nodes; ctx: BlockContext }> = [{ node: tree, ctx: NO_CONTEXT }];
  const consumed = new Set<Nodes>();
  while (stack.length > 0) {
    const { node, ctx } = stack.pop() as { node: Nodes; ctx: BlockContext };
    if (consumed.has(node)) continue;
    const span = range(node);
    switch (node.type) {
      case 'yaml':
        if (span && !structure.frontMatter) structure.frontMatter = { ...span, yaml: node.value };
        continue;
      case 'paragraph':
        if (span) structure.blocks.push(newBlock(span, node.children, ctx));
        continue;
      case 'tableCell': {
        const inner = childrenSpan(node.children, range);
        if (inner) structure.blocks.push(newBlock(inner, node.children, { ...ctx, inTable: true }));
        continue;
      }
      case 'heading':
      case 'code':
      case 'definition':
      case 'thematicBreak':
      case 'html':
        continue;
      default:
        break;
    }
    if (!('children' in node)) continue;
    let childCtx = ctx;
    if (node.type === 'blockquote') childCtx = { ...ctx, quoted: true };
    else if (node.type === 'listItem') childCtx = { ...ctx, inList: true };
    else if (node.type === 'tableRow' && span) childCtx = { ...ctx, row: span.start };
    else if (node.type === 'footnoteDefinition' && span) {
      const label = node.label ?? node.identifier;
      const footnote: Footnote = { ...span, label, citations: [], links: [] };
      if (!structure.footnotes.has(label)) structure.footnotes.set(label, footnote);
      childCtx = { ...ctx, footnote };
    }
    const children = node.children as RootContent[];
    const pushed: Array<{ node: Nodes; ctx: BlockContext }> = [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child.type === 'html') {
        const next = nextBlockSibling(children, i);
        readHtmlBlock(text, child, range(child), next, range, childCtx, structure, consumed);
      }
      pushed.push({ node: child, ctx: childCtx });
    }
    for (let i = pushed.length - 1; i >= 0; i--) stack.push(pushed[i]);
  }
  // Prose found after a comment in an HTML block was pushed before the blocks still on the stack.
  structure.blocks.sort((a, b) => a.start - b.start);
  for (const block of structure.blocks) {
    analyseInline(text, block, range, definitions, footnoteLabels, structure);
  }
  return structure;
}

/** From the start of the first child to the end of the last, when both have positions. */
function childrenSpan(children: readonly Nodes[], range: (node: Nodes) => Span | undefined): Span | undefined {
  if (children.length === 0) return undefined;
  const s = range(children[0]);
  const e = range(children[children.length - 1]);
  return s && e ? { start: s.start, end: e.end } : undefined;
}

/** A table cell: the indexes of its sentences and its citation groups. */
interface TableCell {
  sentences: number[];
  groups: CitationGroup[];
}

/**
 * A table row's claims and their source are often cells apart (| Claim | Source |): each
 * sentence of a cell that cites nothing is sourced by the citations of the row's other cells.
 */
function giveRowCitations(sentences: DraftSentence[], cells: TableCell[]): void {
  if (cells.length < 2) return;
  for (const cell of cells) {
    if (cell.sentences.length === 0 || cell.groups.length > 0) continue;
    const others = cells.flatMap((other) => (other === cell ? [] : other.groups)).sort((a, b) => a.start - b.start);
    if (others.length === 0) continue;
    for (const i of cell.sentences) sentences[i].rowCitations = others;
  }
}

function newBlock(span: Span, inline: PhrasingContent[], ctx: BlockContext): ProseBlock {
  return { start: span.start, end: span.end, inline, ctx, links: [], footnoteRefs: [], ignoreAt: [], zones: [], groups: [] };
}

function collectDefinitions(tree: Root, definitions: Map<string, string>, footnoteLabels: Map<string, string>): void {
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
    else if (node.type === 'footnoteDefinition' && !footnoteLabels.has(node.identifier)) {
      footnoteLabels.set(node.identifier, node.label ?? node.identifier);
    }
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
}

function nextBlockSibling(children: RootContent[], i: number): RootContent | undefined {
  for (let j = i + 1; j < children.length; j++) if (children[j].type !== 'html') return children[j];
  return undefined;
}

/**
 * Directives in an HTML block. A line that begins with `<!--` is an HTML block up to the line with
 * `-->`, so text written after the comment on that line ("<!-- policy-cite: ignore --> Text.") is
 * prose to a reader: it becomes a block of its own, joined with a paragraph that continues it on
 * the next line.
 */
function readHtmlBlock(
  text: string,
  node: Html,
  span: Span | undefined,
  next: RootContent | undefined,
  range: (node: Nodes) => Span | undefined,
  ctx: BlockContext,
  structure: Structure,
  consumed: Set<Nodes>,
): void {
  if (!span) return;
  const found = findDirectives(text, span.start, span.end);
  structure.directives.push(...found);
  let prose: ProseBlock | undefined;
  const remainder = textAfterComments(text, span.start, span.end);
  if (remainder) {
    const nextSpan = next && range(next);
    const adjacent =
      next?.type === 'paragraph' &&
      nextSpan !== undefined &&
      next.position !== undefined &&
      node.position !== undefined &&
      next.position.start.line === node.position.end.line + 1;
    if (adjacent && nextSpan) {
      prose = newBlock({ start: remainder.start, end: nextSpan.end }, (next as Paragraph).children, ctx);
      consumed.add(next as Nodes);
    } else {
      prose = newBlock(remainder, [], ctx);
    }
    structure.blocks.push(prose);
  }
  for (const directive of found) {
    if (directive.kind !== 'ignore') continue;
    if (prose) {
      structure.ignoredRanges.push({ start: directive.end, end: prose.end });
    } else {
      const target = next && range(next);
      if (target) structure.ignoredRanges.push({ start: directive.end, end: target.end });
    }
  }
}

function findDirectives(text: string, start: number, end: number): Directive[] {
  const out: Directive[] = [];
  const slice = text.slice(start, end);
  if (!slice.includes('policy-cite')) return out;
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(slice); m; m = DIRECTIVE.exec(slice)) {
    out.push({ start: start + m.index, end: start + m.index + m[0].length, kind: m[1].toLowerCase() as DirectiveKind });
  }
  return out;
}

/** The text after the leading comments of an HTML block, when it is prose (not more HTML). */
function textAfterComments(text: string, start: number, end: number): Span | undefined {
  let i = start;
  for (;;) {
    while (i < end && /\s/.test(text[i])) i++;
    if (!text.startsWith('<!--', i)) break;
    const close = text.slice(i + 4, end).indexOf('-->');
    if (close < 0) return undefined;
    i = i + 4 + close + 3;
  }
  if (i === start) return undefined;
  let e = end;
  while (e > i && /\s/.test(text[e - 1])) e--;
  if (e <= i || text[i] === '<') return undefined;
  return { start: i, end: e };
}

// ---------------------------------------------------------------------------------------------
// Masks

/** The two working copies of the text and what `plain` drops or replaces. */
class Masks {
  readonly cite: Uint16Array;
  readonly seg: Uint16Array;
  readonly drop: Uint8Array;
  readonly replace = new Map<number, string>();
  /** Whether `cite` differs from the text (most plain pieces have nothing to blank). */
  private citeBlanked = false;

  constructor(readonly text: string) {
    const n = text.length;
    this.cite = new Uint16Array(n);
    this.seg = new Uint16Array(n);
    this.drop = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      this.cite[i] = c;
      // Intl.Segmenter breaks after every line end; inside a paragraph a line end is a space.
      this.seg[i] = c === 10 || c === 13 ? 32 : c;
    }
  }

  /** Blanks a range for citation parsing, keeping line ends (Pandoc allows one inside a group). */
  blankCite(start: number, end: number): void {
    if (start < end) this.citeBlanked = true;
    for (let i = Math.max(0, start); i < Math.min(end, this.cite.length); i++) {
      if (this.cite[i] !== 10 && this.cite[i] !== 13) this.cite[i] = 32;
    }
  }

  blankSeg(start: number, end: number): void {
    this.seg.fill(32, Math.max(0, start), Math.min(end, this.seg.length));
  }

  /** Makes a range one neutral capitalised word for the sentence splitter. */
  wordSeg(start: number, end: number): void {
    start = Math.max(0, start);
    end = Math.min(end, this.seg.length);
    if (end <= start) return;
    this.seg.fill(120 /* x */, start, end);
    this.seg[start] = 88 /* X */;
  }

  /** The text for citation parsing. */
  citeText(): string {
    return this.citeBlanked ? toText(this.cite) : this.text;
  }

  dropPlain(start: number, end: number): void {
    this.drop.fill(1, Math.max(0, start), Math.min(end, this.drop.length));
  }

  /** All three: not prose, not citation text. */
  hide(start: number, end: number): void {
    this.blankCite(start, end);
    this.blankSeg(start, end);
    this.dropPlain(start, end);
  }

  plain(start: number, end: number): string {
    const parts: string[] = [];
    let runStart = start;
    let dropped = false;
    const trimTrailing = (): void => {
      while (parts.length > 0) {
        const last = parts[parts.length - 1].trimEnd();
        if (last) {
          parts[parts.length - 1] = last;
          return;
        }
        parts.pop();
      }
    };
    const keep = (to: number): void => {
      if (to <= runStart) return;
      // "in 2002 [@a]." reads "in 2002." once the citation is gone.
      if (dropped && /[.,;:!?)\]]/.test(this.text[runStart])) trimTrailing();
      parts.push(this.text.slice(runStart, to));
      dropped = false;
    };
    // Most pieces replace nothing: no lookup per character then.
    const replaces = this.replace.size > 0;
    for (let i = start; i < end; i++) {
      if (!this.drop[i] && !replaces) continue;
      const sub = replaces ? this.replace.get(i) : undefined;
      if (this.drop[i] || sub !== undefined) {
        keep(i);
        if (sub !== undefined) parts.push(sub);
        else dropped = true;
        runStart = i + 1;
      }
    }
    keep(end);
    return parts.join('').replace(/\s+/g, ' ').trim();
  }
}

function toText(codes: Uint16Array): string {
  let out = '';
  const chunk = 8192;
  for (let i = 0; i < codes.length; i += chunk) {
    // apply takes the typed array as it is; a spread would walk it with an iterator (5× slower).
    out += String.fromCharCode.apply(null, codes.subarray(i, Math.min(codes.length, i + chunk)) as unknown as number[]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Inline analysis

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

function analyseInline(
  text: string,
  block: ProseBlock,
  range: (node: Nodes) => Span | undefined,
  definitions: Map<string, string>,
  footnoteLabels: Map<string, string>,
  structure: Structure,
): void {
  const { marks, texts, directives } = structure;
  const stack: PhrasingContent[] = [...block.inline];
  while (stack.length > 0) {
    const node = stack.pop() as PhrasingContent;
    const span = range(node);
    if (!span) continue;
    switch (node.type) {
      case 'text':
        texts.push({ span, value: node.value });
        continue;
      case 'inlineCode':
        marks.push({ kind: 'code', ...span });
        continue;
      case 'html': {
        marks.push({ kind: 'hide', ...span });
        block.zones.push({ ...span, attach: false });
        for (const directive of findDirectives(text, span.start, span.end)) {
          if (directive.kind === 'ignore') block.ignoreAt.push(directive.start);
          else directives.push(directive);
        }
        continue;
      }
      case 'image':
      case 'imageReference':
        marks.push({ kind: 'hide', ...span });
        block.zones.push({ ...span, attach: false });
        continue;
      case 'footnoteReference': {
        marks.push({ kind: 'hide', ...span });
        block.zones.push({ ...span, attach: true });
        block.footnoteRefs.push({ ...span, label: footnoteLabels.get(node.identifier) ?? node.label ?? node.identifier });
        continue;
      }
      case 'break':
        marks.push({ kind: 'break', ...span });
        continue;
      case 'link':
      case 'linkReference': {
        const url = node.type === 'link' ? node.url : definitions.get(node.identifier);
        const opener = text[span.start];
        const literal = opener !== '[' && opener !== '<';
        if (url !== undefined && !/^mailto:/i.test(url)) block.links.push({ ...span, url, literal });
        if (opener === '<') {
          marks.push({ kind: 'autolink', ...span });
        } else if (literal) {
          // A bare URL's `?` and `. ` must not end a sentence.
          marks.push({ kind: 'bareUrl', ...span });
        } else if (opener === '[') {
          const inner = childrenSpan(node.children, range);
          if (inner) {
            marks.push({ kind: 'markup', start: span.start, end: inner.start });
            marks.push({ kind: 'linkTail', start: inner.end, end: span.end });
            if (inner.end + 1 < span.end) block.zones.push({ start: inner.end + 1, end: span.end, attach: false });
          } else {
            marks.push({ kind: 'hide', ...span });
            block.zones.push({ ...span, attach: false });
          }
        }
        for (const child of node.children) stack.push(child);
        continue;
      }
      case 'emphasis':
      case 'strong':
      case 'delete': {
        const inner = childrenSpan(node.children, range);
        if (inner) {
          marks.push({ kind: 'plainOnly', start: span.start, end: inner.start });
          marks.push({ kind: 'plainOnly', start: inner.end, end: span.end });
        }
        for (const child of node.children) stack.push(child);
        continue;
      }
      default: {
        const other = node as Nodes;
        if ('children' in other) for (const child of other.children as PhrasingContent[]) stack.push(child);
        continue;
      }
    }
  }
}

function applyMarks(masks: Masks, structure: Structure): void {
  for (const m of structure.marks) {
    switch (m.kind) {
      case 'code':
        masks.blankCite(m.start, m.end);
        masks.wordSeg(m.start, m.end);
        masks.dropPlain(m.start, m.end);
        break;
      case 'hide':
        masks.hide(m.start, m.end);
        break;
      case 'break':
        // A hard break: `\` + line end, or trailing spaces.
        if (masks.text[m.start] === '\\') masks.blankCite(m.start, m.start + 1);
        masks.dropPlain(m.start, m.end);
        masks.replace.set(m.start, ' ');
        break;
      case 'autolink':
        masks.blankCite(m.start, m.end);
        masks.wordSeg(m.start, m.end);
        masks.dropPlain(m.start, m.start + 1);
        masks.dropPlain(m.end - 1, m.end);
        break;
      case 'bareUrl':
        // Not blanked for citations: `@{https://…}` keys hold URLs; `@` after a word starts none.
        masks.wordSeg(m.start, m.end);
        break;
      case 'markup':
        masks.blankCite(m.start, m.end);
        masks.dropPlain(m.start, m.end);
        break;
      case 'linkTail':
        // Keep the `]` for the sentence splitter so that a sentence ends after it.
        masks.blankCite(m.start, m.end);
        masks.blankSeg(m.start + 1, m.end);
        masks.dropPlain(m.start, m.end);
        break;
      case 'plainOnly':
        masks.dropPlain(m.start, m.end);
        break;
    }
  }
  for (const { span, value } of structure.texts) alignText(masks, span, value);
}

/**
 * Aligns a text node's source with its value: backslash escapes, character references and the
 * container prefixes (`> `, list indentation) of continuation lines are in the source only.
 */
function alignText(masks: Masks, span: Span, value: string): void {
  const text = masks.text;
  const { start, end } = span;
  if (end - start === value.length && text.startsWith(value, start)) return;
  let r = start;
  let v = 0;
  while (r < end) {
    const c = text[r];
    if (v < value.length && c === value[v]) {
      r++;
      v++;
      continue;
    }
    if (c === '\\' && r + 1 < end && ASCII_PUNCTUATION.test(text[r + 1]) && text[r + 1] === value[v]) {
      masks.blankCite(r, r + 2);
      masks.dropPlain(r, r + 1);
      r++;
      continue;
    }
    if (c === '&') {
      const semi = text.slice(r, Math.min(end, r + 40)).indexOf(';') + r;
      if (semi > r) {
        const next = text[semi + 1];
        let k = 1;
        if (!(v + 1 >= value.length || value[v + 1] === next) && v + 2 <= value.length) k = 2;
        masks.replace.set(r, value.slice(v, v + k));
        masks.dropPlain(r + 1, semi + 1);
        r = semi + 1;
        v += k;
        continue;
      }
    }
    // A container prefix or other source-only character.
    masks.dropPlain(r, r + 1);
    if (c !== '\n' && c !== '\r') masks.blankCite(r, r + 1);
    if (c === '>') masks.blankSeg(r, r + 1);
    r++;
  }
}

// ---------------------------------------------------------------------------------------------
// Line-based fallback reader

function readLines(text: string): Structure {
  const structure = emptyStructure();
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const shortLine = (line: { start: number; end: number }): string =>
    line.end - line.start < 16 ? text.slice(line.start, line.end).trimEnd() : '';
  // Front matter: `---` on the first line, closed by `---` or `...`.
  const first = lineAt(text, pos);
  if (shortLine(first) === '---') {
    for (let line = lineAt(text, first.next); ; line = lineAt(text, line.next)) {
      const content = shortLine(line);
      if (content === '---' || content === '...') {
        structure.frontMatter = { start: pos, end: line.end, yaml: text.slice(first.next, line.start) };
        pos = line.next;
        break;
      }
      if (line.next >= text.length) break;
    }
  }
  let fence: RegExp | undefined;
  let block: Span | undefined;
  let quoted = false;
  let inList = false;
  let pendingIgnore: Directive | undefined;
  const flush = (): void => {
    if (!block) return;
    const prose = newBlock(block, [], { ...NO_CONTEXT, quoted, inList });
    structure.blocks.push(prose);
    for (const directive of findDirectives(text, block.start, block.end)) {
      if (directive.kind === 'ignore') prose.ignoreAt.push(directive.start);
      else structure.directives.push(directive);
      prose.zones.push({ start: directive.start, end: directive.end, attach: false });
      structure.marks.push({ start: directive.start, end: directive.end, kind: 'hide' });
    }
    if (pendingIgnore) structure.ignoredRanges.push({ start: pendingIgnore.end, end: block.end });
    pendingIgnore = undefined;
    block = undefined;
  };
  while (pos < text.length) {
    const line = lineAt(text, pos);
    pos = line.next;
    const head = text.slice(line.start, Math.min(line.end, line.start + 40));
    const indent = /^[ \t]*/.exec(head)?.[0].length ?? 0;
    const lead = head.slice(indent);
    if (fence) {
      if (indent <= 3 && fence.test(text.slice(line.start + indent, Math.min(line.end, line.start + indent + 200)))) fence = undefined;
      continue;
    }
    const open = /^(`{3,}|~{3,})/.exec(lead);
    if (indent <= 3 && open) {
      flush();
      fence = new RegExp(`^\\${open[1][0]}{${open[1].length},}[ \\t]*$`);
      continue;
    }
    if (isBlank(text, line.start, line.end)) {
      flush();
      continue;
    }
    if (indent <= 3 && /^#{1,6}([ \t]|$)/.test(lead)) {
      flush();
      continue;
    }
    if (!block && indent <= 3 && lead.startsWith('<!--')) {
      const found = findDirectives(text, line.start, line.end);
      structure.directives.push(...found.filter((d) => d.kind !== 'ignore'));
      const ignore = found.find((d) => d.kind === 'ignore');
      if (ignore) pendingIgnore = ignore;
      continue;
    }
    // Block quote and list markers are not prose; a list item or table row starts a block.
    const marker = /^(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?/.exec(lead)?.[0] ?? '';
    const item = /[-*+.)][ \t]+$/.test(marker);
    const row = lead.slice(marker.length).startsWith('|');
    if (block && (item || row)) flush();
    if (!block) {
      block = { start: line.start + indent + marker.length, end: line.end };
      quoted = indent <= 3 && lead.startsWith('>');
      inList = item;
    } else {
      block.end = line.end;
    }
  }
  flush();
  return structure;
}

/** The spans not inside any of `notes` (in order, apart): a binary search each. */
function outside<T extends Span>(spans: T[], notes: Span[]): T[] {
  return spans.filter((s) => {
    // The last note starting at or before the span.
    let lo = 0;
    let hi = notes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (notes[mid].start <= s.start) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 || s.end > notes[lo - 1].end;
  });
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// From structure to draft

function buildDraft(text: string, structure: Structure): Draft {
  const masks = new Masks(text);
  applyMarks(masks, structure);
  const divFence = nextIndexOf(text, ':::');
  const brace = nextIndexOf(text, '{');
  for (const block of structure.blocks) {
    maskDivFences(masks, block, divFence(block.start));
    maskSpanMarks(masks, block, brace(block.start));
  }

  const citeText = masks.citeText();
  const hasNotes = citeText.includes('^[');
  const citations: CitationGroup[] = [];
  for (const block of structure.blocks) {
    block.groups = parseCitations(citeText, block.start, block.end);
    for (const group of block.groups) {
      citations.push(group);
      masks.dropPlain(group.start, group.end);
      if (group.bracketed) {
        masks.blankSeg(group.start, group.end);
        block.zones.push({ start: group.start, end: group.end, attach: true });
      } else {
        masks.wordSeg(group.start, group.end);
      }
    }
    // An inline note belongs to the sentence before it, as a footnote reference does: its words,
    // citations and links are not that sentence's (the checker reads the note as a text of its
    // own, see inlineNoteDrafts), and the note's citations and links source it.
    if (hasNotes) {
      for (const note of inlineNotes(citeText, block.start, block.end)) {
        masks.dropPlain(note.start, note.end);
        masks.blankSeg(note.start, note.end);
        block.zones.push({ ...note, attach: true });
        (block.notes ??= []).push(note);
      }
    }
    // A bare URL inside a citation key (`@{https://…}`) is part of the key, not a link.
    if (block.groups.length > 0 && block.links.some((link) => link.literal)) {
      block.links = block.links.filter((link) => !link.literal || !overlapsAny(link, block.groups));
    }
    const footnote = block.ctx.footnote;
    if (footnote) {
      footnote.citations.push(...block.groups);
      footnote.links.push(...block.links.map(toLink));
    }
  }
  citations.sort((a, b) => a.start - b.start);

  const segText = toText(masks.seg);
  const sentences: DraftSentence[] = [];
  const paragraphs: DraftParagraph[] = [];
  const inlineIgnored = new Set<number>();
  /** The cells of each table row, by the row's start. */
  const cellsByRow = new Map<number, TableCell[]>();
  for (const block of structure.blocks) {
    // (A footnote definition's prose is sentences too, checked against the note's citations.)
    const spans = attachZones(splitInWindows(segText, block.start, block.end), block.zones);
    // (A cell may hold a citation and no sentence: a Source column.)
    const cell: TableCell | undefined = block.ctx.row === undefined ? undefined : { sentences: [], groups: block.groups };
    if (cell) {
      const cells = cellsByRow.get(block.ctx.row as number);
      if (cells) cells.push(cell);
      else cellsByRow.set(block.ctx.row as number, [cell]);
    }
    if (spans.length === 0) continue;
    const paragraph: DraftParagraph = { start: block.start, end: block.end, index: paragraphs.length, sentences: [] };
    paragraphs.push(paragraph);
    const groups = new Cursor([...block.groups].sort((a, b) => a.start - b.start));
    const links = new Cursor([...block.links].sort((a, b) => a.start - b.start));
    const refs = new Cursor([...block.footnoteRefs].sort((a, b) => a.start - b.start));
    for (const span of spans) {
      const sentence: DraftSentence = {
        start: span.start,
        end: span.end,
        index: sentences.length,
        paragraph: paragraph.index,
        raw: text.slice(span.start, span.end),
        plain: masks.plain(span.start, span.end),
        citations: block.notes ? outside(groups.within(span), block.notes) : groups.within(span),
        links: (block.notes ? outside(links.within(span), block.notes) : links.within(span)).map(toLink),
        footnoteRefs: refs.within(span).map((r) => r.label),
        quoted: block.ctx.quoted,
        inList: block.ctx.inList,
        inTable: block.ctx.inTable,
        rowCitations: [],
        ignored: false,
      };
      paragraph.sentences.push(sentence.index);
      sentences.push(sentence);
    }
    if (cell) cell.sentences = paragraph.sentences;
    paragraph.start = Math.min(paragraph.start, sentences[paragraph.sentences[0]].start);
    paragraph.end = Math.max(paragraph.end, sentences[paragraph.sentences[paragraph.sentences.length - 1]].end);
    for (const at of block.ignoreAt) {
      const target = paragraph.sentences.find((i) => sentences[i].end > at);
      if (target !== undefined) inlineIgnored.add(target);
    }
  }

  for (const cells of cellsByRow.values()) giveRowCitations(sentences, cells);

  const silenced = mergeRanges([...disabledRegions(structure.directives, text.length), ...structure.ignoredRanges]);
  let r = 0;
  for (const sentence of sentences) {
    while (r < silenced.length && silenced[r].end <= sentence.start) r++;
    const inRange = r < silenced.length && silenced[r].start <= sentence.start;
    sentence.ignored = inRange || inlineIgnored.has(sentence.index);
  }

  const draft: Draft = {
    text,
    sentences,
    paragraphs,
    footnotes: structure.footnotes,
    citations,
    bibliography: [],
  };
  if (structure.frontMatter) {
    const data = readYaml(structure.frontMatter.yaml);
    draft.frontMatter = { start: structure.frontMatter.start, end: structure.frontMatter.end, data };
    draft.bibliography = bibliographyNamesOf(data);
  }
  if (structure.readAsLines) draft.readAsLines = structure.readAsLines;
  return draft;
}

/** Walks items sorted by start through spans sorted by start: items that start inside each span. */
class Cursor<T extends Span> {
  private next = 0;

  constructor(private readonly items: T[]) {}

  within(span: Span): T[] {
    while (this.next < this.items.length && this.items[this.next].start < span.start) this.next++;
    const from = this.next;
    while (this.next < this.items.length && this.items[this.next].start < span.end) this.next++;
    return this.items.slice(from, this.next);
  }
}

/** Whether `span` overlaps one of `sorted` (sorted by start, not overlapping each other). */
function overlapsAny(span: Span, sorted: Span[]): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].end <= span.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].start < span.end;
}

function toLink(link: DraftLink): DraftLink {
  return { start: link.start, end: link.end, url: link.url };
}

/**
 * `text.indexOf(needle, from)` for positions that mostly come in order (the blocks of a draft):
 * the last match is kept while it lies ahead, so a text of many blocks and few matches is not
 * searched to its end once per block (quadratic: 13 s for a memo of 50,000 footnotes).
 */
function nextIndexOf(text: string, needle: string): (from: number) => number {
  let lastFrom = 0;
  let at = text.indexOf(needle);
  return (from) => {
    if (from < lastFrom || (at !== -1 && at < from)) at = text.indexOf(needle, from);
    lastFrom = from;
    return at;
  };
}

/** Pandoc/Quarto fenced divs (`::: {.note}` … `:::`) are markup inside a paragraph; `first`: the first `:::` at or after the block's start. */
function maskDivFences(masks: Masks, block: ProseBlock, first: number): void {
  const text = masks.text;
  if (first < 0 || first >= block.end) return;
  let lineStart = block.start;
  while (lineStart < block.end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > block.end) lineEnd = block.end;
    let i = lineStart;
    while (i < lineEnd && (text[i] === ' ' || text[i] === '\t' || text[i] === '>')) i++;
    if (text.startsWith(':::', i)) {
      masks.hide(i, lineEnd);
      block.zones.push({ start: i, end: lineEnd, attach: false });
    }
    lineStart = lineEnd + 1;
  }
}

/**
 * Pandoc/Quarto attributes are markup: a bracketed span's brackets and attributes
 * (`[never]{.mark}`, its words read as if unmarked, in a quotation too), a link's or an image's
 * (`{target="_blank"}`).
 */
function maskSpanMarks(masks: Masks, block: ProseBlock, first: number): void {
  const text = masks.text;
  if (first < 0 || first >= block.end) return;
  for (const mark of attributeMarks(text, block.start, block.end)) {
    if (mark.open !== -1) masks.dropPlain(mark.open, mark.open + 1);
    masks.hide(mark.start, mark.end);
  }
}

const SPLIT_WINDOW = 4096;

/**
 * `splitSentences` over windows of a few thousand characters: V8's Intl.Segmenter slows down
 * much faster than linearly on long strings with many sentences. Every span of a window but the
 * last is final; the last one starts the next window, so a break decided near a window's end is
 * always decided again with the text after it.
 */
function splitInWindows(text: string, start: number, end: number): Span[] {
  if (end - start <= SPLIT_WINDOW) return splitSentences(text, start, end);
  const out: Span[] = [];
  let from = start;
  let size = SPLIT_WINDOW;
  while (from < end) {
    const to = Math.min(end, from + size);
    const spans = splitSentences(text, from, to);
    if (to === end) {
      out.push(...spans);
      break;
    }
    if (spans.length === 0) {
      from = to;
      size = SPLIT_WINDOW;
    } else if (spans.length === 1) {
      // One sentence longer than the window: look further.
      from = spans[0].start;
      size *= 2;
    } else {
      out.push(...spans.slice(0, -1));
      from = spans[spans.length - 1].start;
      size = SPLIT_WINDOW;
    }
  }
  return out;
}

/**
 * Sentence spans from the splitter exclude blanked zones at their edges. A citation group or
 * footnote reference between two sentences belongs to the one before it ("… in 2012. [@a]"), or
 * to the first sentence when it opens the paragraph; other blanked markup (a link's target, an
 * image) joins a sentence only when it touches its end.
 */
function attachZones(spans: Span[], zones: Array<Span & { attach: boolean }>): Span[] {
  if (spans.length === 0 || zones.length === 0) return spans;
  const sorted = [...zones].sort((a, b) => a.start - b.start);
  let k = 0;
  for (const zone of sorted) {
    while (k + 1 < spans.length && spans[k + 1].start <= zone.start) k++;
    const here = spans[k];
    if (here.start <= zone.start && zone.end <= here.end) continue;
    if (here.start > zone.start) {
      // Before the first sentence of the paragraph.
      if (zone.attach && zone.end <= here.start) here.start = zone.start;
      continue;
    }
    if (zone.start < here.end) continue;
    if (zone.attach || zone.start === here.end) {
      const limit = k + 1 < spans.length ? spans[k + 1].start : Infinity;
      if (zone.end <= limit) here.end = Math.max(here.end, zone.end);
    }
  }
  return spans;
}

function disabledRegions(directives: Directive[], length: number): Span[] {
  const out: Span[] = [];
  let open: number | undefined;
  for (const d of [...directives].sort((a, b) => a.start - b.start)) {
    if (d.kind === 'disable' && open === undefined) open = d.start;
    else if (d.kind === 'enable' && open !== undefined) {
      out.push({ start: open, end: d.end });
      open = undefined;
    }
  }
  if (open !== undefined) out.push({ start: open, end: length });
  return out;
}

function mergeRanges(ranges: Span[]): Span[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export function readYaml(source: string): Record<string, unknown> {
  try {
    const data = loadYaml(source);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    // Malformed front matter reads as empty.
  }
  return {};
}

/** How much of a memo's start is read for its front matter's `bibliography:` before the memo is parsed. */
const FRONT_MATTER_READ = 64 * 1024;

/**
 * The `bibliography:` value(s) of a memo's front matter, read from its text before it is parsed
 * (the parsed draft's `bibliography` says the same): to read those files while the memo is.
 */
export function frontMatterBibliography(text: string): string[] {
  // (Closed by `---` only, as the parse reads front matter.)
  const head = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text.slice(0, FRONT_MATTER_READ));
  return head && /^bibliography\s*:/m.test(head[1]) ? bibliographyNamesOf(readYaml(head[1])) : [];
}

/**
 * The most bibliography files a memo's front matter names that are read (a memo names a few; a
 * list of thousands would be thousands of files read and watched, and looked up at each check).
 */
export const MAX_BIBLIOGRAPHY_FILES = 100;

/** The files a YAML mapping's `bibliography:` names (a memo's front matter, a Quarto project's `_quarto.yml`). */
export function bibliographyNamesOf(data: Record<string, unknown>): string[] {
  const value = data.bibliography;
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (Array.isArray(value)) {
    const names: string[] = [];
    for (const v of value) {
      if (names.length === MAX_BIBLIOGRAPHY_FILES) break;
      if (typeof v === 'string' && v.trim() !== '') names.push(v.trim());
    }
    return names;
  }
  return [];
}
