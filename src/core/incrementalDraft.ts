// Re-reading a memo after an edit without re-parsing all of it. The memo is cut into chunks at
// places where Markdown carries no state from one block to the next (a blank line, then a line
// that starts at the margin, outside fenced code, front matter and HTML comments); each chunk is
// parsed on its own and cached by its text, so an edit re-parses one chunk and the merge shifts
// the others. Documents whose meaning crosses such places (link or footnote definitions, which
// apply everywhere; disable/enable regions; HTML blocks that may hold blank lines) and documents
// that parseDraft reads line by line are parsed whole, so the result is always parseDraft's.
import { longestBlock, MAX_BLOCK_CHARS, MAX_MARKDOWN_CHARS, parseDraft } from './draft';
import type { Citation, CitationGroup, Draft, DraftLink, DraftParagraph, DraftSentence, Footnote } from './draftTypes';
import type { Span } from './types';

/** Definitions (also in list items and block quotes) apply to the whole document; so do disable/enable regions. */
const WHOLE_DOCUMENT = /^[ \t>*+\-0-9.)]*\[[^\]\n]*\]:|policy-cite\s*:\s*(?:disable|enable)/im;
/** HTML blocks that end at a closing tag or marker, not at a blank line (CommonMark types 1, 3–5). */
const LONG_HTML = /^[ \t]{0,3}<(?:script|pre|style|textarea|\?|![A-Za-z]|!\[CDATA\[)/im;

const EMPTY_ITEM = /^(?:[-*+]|\d{1,9}[.)])[ \t]*\r?$/;

/**
 * Where a memo can be cut so that each piece parses as it does inside the whole, as the pieces'
 * start offsets (the first is 0); undefined when the memo must be parsed whole.
 */
export function draftChunkStarts(text: string): number[] | undefined {
  // An edited text is usually a rope of slices (V8's ConsString); converting it to a number makes
  // V8 flatten it once, in place, instead of walking the rope in every line search.
  void Number(text);
  return mustParseWhole(text) ? undefined : scanChunkStarts(text, text.includes('-->'));
}

/** Memos whose meaning crosses the places where the scan would cut them, and memos parseDraft reads by lines. */
function mustParseWhole(text: string): boolean {
  if (text.length > MAX_MARKDOWN_CHARS) return true;
  // (The regular expressions are the slow part; most memos have neither "]:", "policy-cite" nor "<".)
  if ((text.includes(']:') || text.includes('policy-cite')) && WHOLE_DOCUMENT.test(text)) return true;
  if (text.includes('<') && LONG_HTML.test(text)) return true;
  // A carriage return alone ends a line too; such text is rare enough to be parsed whole.
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return true;
  return longestBlock(text) > MAX_BLOCK_CHARS;
}

function scanChunkStarts(text: string, hasCommentEnd: boolean): number[] | undefined {
  const starts = [0];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Front matter: up to its closing fence (micromark's frontmatter: `---` on the first line).
  if (/^---[ \t]*\r?$/.test(lineAt(text, pos))) {
    let p = nextLine(text, pos);
    while (p < text.length && !/^---[ \t]*\r?$/.test(lineAt(text, p))) p = nextLine(text, p);
    if (p >= text.length) return undefined;
    pos = nextLine(text, p);
  }
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  let blockStart = true;
  /** An HTML comment was closed and no prose block came since: a directive may apply to the next one. */
  let pendingComment = false;
  /** The last non-blank line was indented code (or a list item's indented content). */
  let afterIndented = false;
  const length = text.length;
  for (let next = pos; pos < length; pos = next) {
    let eol = pos;
    while (eol < length && text.charCodeAt(eol) !== 10) eol++;
    next = eol + 1;
    if (!fence && !inComment && isPlainStart(text.charCodeAt(pos))) {
      // Most lines: prose that opens no fence, comment or list item (the general case below
      // gives the same answers for them, without slicing the line).
      if (blockStart && !pendingComment && !afterIndented) starts.push(pos);
      if (blockStart) pendingComment = false;
      blockStart = false;
      afterIndented = false;
      if (hasCommentEnd && text.slice(pos, eol).includes('-->')) pendingComment = true;
      continue;
    }
    const line = text.slice(pos, eol);
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?$/.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = undefined;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) {
        inComment = false;
        pendingComment = true;
      }
      continue;
    }
    if (/^[ \t]*\r?$/.test(line)) {
      blockStart = true;
      continue;
    }
    if (blockStart) {
      if (!pendingComment && !afterIndented && canStartPiece(line)) starts.push(pos);
      // A directive skips HTML blocks to reach the block it applies to, and applies to a whole
      // list, whose items may be apart.
      pendingComment &&= /^[ \t]{0,3}(?:<|[-*+](?:[ \t]|\r?$)|\d{1,9}[.)](?:[ \t]|\r?$))/.test(line);
    }
    const wasBlockStart = blockStart;
    blockStart = false;
    afterIndented = /^(?:\t| {4})/.test(line);
    if (line.includes('-->')) pendingComment = true;
    // A fence inside a list item or a block quote may end without its closing line, and a fence
    // that interrupts other lines may be part of an HTML block: such memos are parsed whole.
    if (/^[ \t>]+(?:`{3,}|~{3,})/.test(line)) return undefined;
    const open = /^(`{3,}|~{3,})([^\n]*)$/.exec(line);
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      if (!wasBlockStart) return undefined;
      fence = { char: open[1][0], length: open[1].length };
      continue;
    }
    const comment = /^[ \t]{0,3}<!--/.exec(line);
    if (comment && !line.includes('-->', comment[0].length)) {
      if (!wasBlockStart) return undefined;
      inComment = true;
    }
  }
  return starts;
}

/**
 * Not before indentation; not before `---`, which would open front matter in a piece of its own;
 * not before a byte order mark, which micromark drops at the start of a text; not before an empty
 * list item, which micromark reads as a paragraph after indented code.
 */
function canStartPiece(line: string): boolean {
  return !/^[ \t\uFEFF]/.test(line) && !EMPTY_ITEM.test(line) && !/^---[ \t]*\r?$/.test(line);
}

/** ASCII characters that may start a line that is blank, indented, a quote, a fence, HTML, a list item or `---`. */
const SPECIAL_START = new Uint8Array(128);
for (const c of '\t\n\r *+-<>`~0123456789') SPECIAL_START[c.charCodeAt(0)] = 1;

/** A line starting with this character is neither blank, indented, a quote, a fence, HTML, a list item nor `---`. */
function isPlainStart(c: number): boolean {
  return c < 128 ? SPECIAL_START[c] === 0 : c !== 0xfeff;
}

function nextLine(text: string, pos: number): number {
  const end = text.indexOf('\n', pos);
  return end < 0 ? text.length : end + 1;
}

function lineAt(text: string, pos: number): string {
  const end = text.indexOf('\n', pos);
  return text.slice(pos, end < 0 ? text.length : end);
}

/** A chunk's draft, and the same draft placed in the memo by the last merge that used it. */
interface Chunk {
  draft: Draft;
  placed?: Placed;
}

interface Placed {
  offset: number;
  sentenceBase: number;
  paragraphBase: number;
  sentences: DraftSentence[];
  paragraphs: DraftParagraph[];
  citations: CitationGroup[];
  footnotes: Footnote[];
}

/**
 * Parses successive versions of one memo. Each chunk's draft is kept while the chunk's text is
 * unchanged, and so is its placement while the chunk stays where it was (the text before an edit),
 * so an edit costs the changed chunk and the shift of what follows it. The result equals
 * `parseDraft(text)` (tests compare them); drafts share unchanged objects and are read-only.
 */
export class IncrementalDraftParser {
  private chunks = new Map<string, Chunk>();

  parse(text: string): Draft {
    const starts = draftChunkStarts(text);
    if (!starts || starts.length === 1) {
      this.chunks.clear();
      return parseDraft(text);
    }
    const previous = this.chunks;
    this.chunks = new Map();
    const parts: Array<{ offset: number; chunk: Chunk }> = [];
    for (let i = 0; i < starts.length; i++) {
      const chunkText = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
      let chunk = this.chunks.get(chunkText);
      if (chunk) {
        // The same text twice in one memo: the second needs a placement of its own.
        chunk = { draft: chunk.draft };
      } else {
        chunk = previous.get(chunkText) ?? { draft: parseDraft(chunkText) };
        this.chunks.set(chunkText, chunk);
      }
      parts.push({ offset: starts[i], chunk });
    }
    return mergeDrafts(text, parts);
  }
}

/** One draft of the whole text from drafts of its chunks (chunk-relative offsets shifted). */
function mergeDrafts(text: string, parts: Array<{ offset: number; chunk: Chunk }>): Draft {
  const sentences: DraftSentence[] = [];
  const paragraphs: DraftParagraph[] = [];
  const citations: CitationGroup[] = [];
  const footnotes = new Map<string, Footnote>();
  for (const { offset, chunk } of parts) {
    let placed = chunk.placed;
    if (!placed || placed.offset !== offset || placed.sentenceBase !== sentences.length || placed.paragraphBase !== paragraphs.length) {
      placed = place(chunk.draft, offset, sentences.length, paragraphs.length);
      chunk.placed = placed;
    }
    sentences.push(...placed.sentences);
    paragraphs.push(...placed.paragraphs);
    citations.push(...placed.citations);
    for (const note of placed.footnotes) if (!footnotes.has(note.label)) footnotes.set(note.label, note);
  }
  const first = parts[0].chunk.draft;
  const merged: Draft = { text, sentences, paragraphs, footnotes, citations, bibliography: [...first.bibliography] };
  if (first.frontMatter) merged.frontMatter = first.frontMatter;
  return merged;
}

function place(draft: Draft, offset: number, sentenceBase: number, paragraphBase: number): Placed {
  const groups = new Map<CitationGroup, CitationGroup>();
  const group = (g: CitationGroup): CitationGroup => {
    let shifted = groups.get(g);
    if (!shifted) groups.set(g, (shifted = { ...shift(g, offset), citations: g.citations.map((c) => shiftCitation(c, offset)) }));
    return shifted;
  };
  return {
    offset,
    sentenceBase,
    paragraphBase,
    citations: draft.citations.map(group),
    sentences: draft.sentences.map((s) => ({
      ...shift(s, offset),
      index: s.index + sentenceBase,
      paragraph: s.paragraph + paragraphBase,
      citations: s.citations.map(group),
      links: s.links.map((l) => shiftLink(l, offset)),
      footnoteRefs: [...s.footnoteRefs],
    })),
    paragraphs: draft.paragraphs.map((p) => ({ ...shift(p, offset), index: p.index + paragraphBase, sentences: p.sentences.map((i) => i + sentenceBase) })),
    footnotes: [...draft.footnotes.values()].map((note) => ({
      ...shift(note, offset),
      citations: note.citations.map(group),
      links: note.links.map((l) => shiftLink(l, offset)),
    })),
  };
}

function shift<T extends Span>(span: T, offset: number): T {
  return { ...span, start: span.start + offset, end: span.end + offset };
}

function shiftLink(link: DraftLink, offset: number): DraftLink {
  return shift(link, offset);
}

function shiftCitation(c: Citation, offset: number): Citation {
  return { ...shift(c, offset), keyStart: c.keyStart + offset, keyEnd: c.keyEnd + offset };
}
