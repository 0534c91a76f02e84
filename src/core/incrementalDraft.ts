// Re-reading a memo after an edit without re-parsing all of it. The memo is cut into chunks at
// places where Markdown carries no state from one block to the next (a blank line, then a line
// that starts at the margin, outside fenced code, front matter and HTML comments); each chunk is
// parsed on its own and cached by its text, so an edit re-parses one chunk and the merge shifts
// the others. Link and footnote definitions apply everywhere: pieces are read with stubs of the
// definitions they may reference (see memoDefinitions). Documents whose meaning crosses such
// places otherwise (disable/enable regions; HTML blocks that may hold blank lines) and documents
// that parseDraft reads line by line are parsed whole, so the result is always parseDraft's.
import { definitionsOnly, emptyDraft, frontMatterEnd, parsePlainPiece, MAX_MARKDOWN_CHARS, parseDraftPiece, parseDraftWhole, readLinkDefinitions, tooDearForMarkdown, type LinkDefinition } from './draft';
import type { Citation, CitationGroup, Draft, DraftLink, DraftParagraph, DraftSentence, Footnote } from './draftTypes';
import { Slices, type SliceControl } from './slices';

/**
 * Disable/enable regions apply from the directive on, across pieces. (Link and footnote
 * definitions apply to the whole document too, but pieces are read with stubs of them: see
 * memoDefinitions.)
 */
const WHOLE_DOCUMENT = /policy-cite\s*:\s*(?:disable|enable)/i;
/** A line that may begin a footnote definition, also in a list item or a block quote. */
const FOOTNOTE_DEFINITION = /^[ \t>*+\-0-9.)]*\[\^/m;
/**
 * A line that may begin a link definition, also in a list item, a block quote or a footnote
 * definition (`[^1]: [a]: /url`). A footnote definition alone (`[^1]: …`, a label without spaces)
 * defines no link, so most pieces of a memo's notes need no look-up of links (`[^a b]: /url` and
 * `[^]: /url` are link definitions).
 */
const DEFINITION_LINE = /^[ \t>*+\-0-9.)]*(?:\[\^[^\s[\]]+\]:[ \t]*)*\[(?!\^[^\s[\]]+\]:)/m;
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
  // (The regular expressions are the slow part; most memos have neither "policy-cite" nor "<".)
  if (text.includes('policy-cite') && WHOLE_DOCUMENT.test(text)) return true;
  if (text.includes('<') && LONG_HTML.test(text)) return true;
  // A carriage return alone ends a line too; such text is rare enough to be parsed whole.
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return true;
  return tooDearForMarkdown(text);
}

/**
 * The chunk starts of `text`. With `resume`, the scan starts at `resume.from`, 0 or a chunk start
 * of an earlier version whose text before it is unchanged (the scanner's state there is the one it
 * has at every chunk start), and stops at the first chunk start for which `resume.stop` says the
 * rest is known; the result then holds the starts from `resume.from` up to and including that one.
 */
function scanChunkStarts(text: string, hasCommentEnd: boolean, resume?: { from: number; stop: (start: number) => boolean }): number[] | undefined {
  const fromStart = !resume || resume.from === 0;
  // (0 is a start of its own: the lines at 0 start no second piece.)
  const starts = fromStart ? [0] : [];
  let pos = !fromStart ? resume.from : text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Front matter: up to its closing fence; unclosed, it leaves the memo to be parsed whole.
  if (fromStart) {
    const end = frontMatterEnd(text);
    if (end < 0) return undefined;
    if (end > 0) pos = end;
  }
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  let blockStart = true;
  /** An HTML comment was closed and no prose block came since: a directive may apply to the next one. */
  let pendingComment = false;
  /** The last non-blank line was indented code (or a list item's indented content). */
  let afterIndented = false;
  /** The marker (listMarkerOf) of the last list item at the margin in this block; 0 when none. */
  let listMarker = 0;
  /** The marker of the line before, when it is a list item at the margin; else 0. */
  let lineBefore = 0;
  /** A line of this block may open an HTML block, which would hold the list items after it. */
  let htmlInBlock = false;
  const length = text.length;
  for (let next = pos; pos < length; pos = next) {
    let eol = pos;
    while (eol < length && text.charCodeAt(eol) !== 10) eol++;
    next = eol + 1;
    if (!fence && !inComment && isPlainStart(text.charCodeAt(pos))) {
      // Most lines: prose that opens no fence, comment or list item (the general case below
      // gives the same answers for them, without slicing the line).
      if (blockStart && !pendingComment && !afterIndented && pos > 0) {
        starts.push(pos);
        if (resume?.stop(pos)) return starts;
      }
      if (blockStart) pendingComment = false;
      blockStart = false;
      afterIndented = false;
      lineBefore = 0;
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
      listMarker = 0;
      lineBefore = 0;
      htmlInBlock = false;
      continue;
    }
    const marker = listMarkerOf(line);
    /** This line opens a list item (in the whole memo too). */
    let item = marker !== 0 && blockStart;
    if (blockStart) {
      if (!pendingComment && !afterIndented && pos > 0 && canStartPiece(line)) {
        starts.push(pos);
        if (resume?.stop(pos)) return starts;
      }
      // A directive skips HTML blocks to reach the block it applies to, and applies to a whole
      // list, whose items may be apart.
      pendingComment &&= /^[ \t]{0,3}(?:<|[-*+](?:[ \t]|\r?$)|\d{1,9}[.)](?:[ \t]|\r?$))/.test(line);
    } else if (marker !== 0 && !htmlInBlock) {
      // Within a block: a bullet item at the margin always opens an item (it may interrupt a
      // paragraph); an ordered one only right after an item of its list, or as a "1." that is
      // not empty (else it continues the paragraph before it).
      const next = marker < 1000 ? marker === listMarker : marker === lineBefore;
      item = next || marker < 1000 || (/^1[.)]/.test(line) && !EMPTY_ITEM.test(line));
      if (next && !pendingComment && !afterIndented && canStartPiece(line)) {
        // The next item of a list with no blank line between its items (a long list is one
        // block), which parses alone as it does there. (The scanner's state here is the one it
        // has at a block start once this line is read, so a scan may resume from here.)
        starts.push(pos);
        if (resume?.stop(pos)) return starts;
      }
    }
    if (item) listMarker = marker;
    lineBefore = item ? marker : 0;
    if (line.includes('<')) htmlInBlock = true;
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

/**
 * Which list a line at the margin opens an item of, as a number: the bullet's code (`-`, `*`,
 * `+`) or, for an ordered item, 1000 + its delimiter's code (`.`, `)`); 0 when the line opens
 * none. Items of one kind and list follow each other without a blank line between them.
 */
function listMarkerOf(line: string): number {
  const c = line.charCodeAt(0);
  if (c === 45 || c === 42 || c === 43) {
    const after = line.charCodeAt(1);
    return after === 32 || after === 9 ? c : 0;
  }
  const ordered = /^\d{1,9}([.)])[ \t]/.exec(line);
  return ordered ? 1000 + ordered[1].charCodeAt(0) : 0;
}

/** ASCII characters that may start a line that is blank, indented, a quote, a fence, HTML, a list item or `---`. */
const SPECIAL_START = new Uint8Array(128);
for (const c of '\t\n\r *+-<>`~0123456789') SPECIAL_START[c.charCodeAt(0)] = 1;

/** A line starting with this character is neither blank, indented, a quote, a fence, HTML, a list item nor `---`. */
function isPlainStart(c: number): boolean {
  return c < 128 ? SPECIAL_START[c] === 0 : c !== 0xfeff;
}

/** A chunk's draft, and the same draft placed in the memo by the last merge that used it. */
interface Chunk {
  draft: Draft;
  placed?: Placed;
  /** The notes and links its text may reference (see Mentions). */
  mentions?: Mentions;
  /** Whether its text may define a link (bit 1) or a note (bit 2), once asked. */
  defines?: number;
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

/** A piece of the last version: where it starts, its text and its chunk. */
interface Part {
  offset: number;
  text: string;
  chunk: Chunk;
  /** What the chunk was parsed from, when not the text alone: the text and the stubs of the memo's definitions. */
  key?: string;
}

/**
 * Parses successive versions of one memo. Each chunk's draft is kept while the chunk's text is
 * unchanged, and so is its placement while the chunk stays where it was (the text before an edit),
 * so an edit costs the changed chunk and the shift of what follows it. The result equals
 * `parseDraft(text)` (tests compare them); drafts share unchanged objects and are read-only. A
 * draft is valid until the next call of `parse`: pieces after an edit are moved in place rather
 * than copied, so the previous draft's offsets change with them (the extension reads a draft
 * right after parsing it, see memoAnalysis.ts).
 *
 * After the first version, the text is compared with the last one: pieces before the first change
 * and after the last are kept (the latter shifted), and the chunk scan runs only from the piece
 * where the change begins until it meets a piece start of the unchanged end again, so the work per
 * edit is about the size of the edit, not of the memo.
 */
export class IncrementalDraftParser {
  /**
   * The last version parsed in chunks and its pieces (and the notes and links it defined, if
   * any), with its merge, which the next one starts from (see mergeParts).
   */
  private last: { text: string; parts: Part[]; defs?: Definitions; merged?: Merged } | undefined;
  /** The pieces of the last version that may define a footnote, read alone, by text (see memoDefinitions). */
  private defining = new Map<string, Draft>();
  /** The link definitions of the pieces of the last version that may define a link, by text. */
  private definingLinks = new Map<string, LinkDefinition[]>();
  /** The pieces of a text parsed (and placed) ahead of its parse, by parseAhead (and the notes and links it defines, if any). */
  private ahead: { text: string; parts: Part[]; defs?: Definitions } | undefined;

  parse(text: string): Draft {
    try {
      return this.parseInPieces(text);
    } catch {
      // (A piece that could not be read with its definitions: see parsePieceWithStubs.)
      return parseDraftWhole(text);
    }
  }

  private parseInPieces(text: string): Draft {
    // An edited text is often a rope (V8's ConsString); flatten it once before searching it.
    void Number(text);
    const previous = this.last;
    const ahead = this.ahead?.text === text ? this.ahead : undefined;
    this.last = undefined;
    this.ahead = undefined;
    // After an edit, the pieces outside it are kept (splitAfterEdit). With link or footnote
    // definitions, a piece's draft depends on the definitions elsewhere: those that may reference
    // one the edit changed are read again too. The first version, or one whose definitions must
    // be read whole, is cut from the start, and only pieces whose text (or stubs) changed are read.
    let parts: Part[] | 'whole' | undefined = ahead?.parts;
    let defs = ahead?.defs;
    if (!parts && previous) {
      const split = splitAfterEdit(text, previous.text, previous.parts, previous.defs, this.reader);
      if (typeof split === 'object') ({ parts, defs } = split);
      else parts = split;
    }
    if (parts === undefined) {
      const starts = draftChunkStarts(text);
      if (!starts) return parseDraftWhole(text);
      if (starts.length === 1) return parseDraftPiece(text);
      const found = this.definitions(text, starts);
      if (found === null) return parseDraftWhole(text);
      defs = found;
      parts = splitAt(text, starts, 0, starts.length, previous ? chunksByText(previous.parts) : new Map(), text.length, defs);
    }
    if (parts === 'whole') return parseDraftWhole(text);
    const merged = mergeParts(text, parts, false, previous);
    this.last = defs ? { text, parts, defs, merged } : { text, parts, merged };
    return merged.draft;
  }

  /** memoDefinitions, with the pieces that may define something read alone once per text (kept for the next version). */
  private definitions(text: string, starts: number[]): Definitions | null | undefined {
    const defining = new Map<string, Draft>();
    const definingLinks = new Map<string, LinkDefinition[]>();
    const found = memoDefinitions(text, starts, {
      notesOf: (t) => readOnce(t, defining, this.defining, parseDraftPiece),
      linksOf: (t) => readOnce(t, definingLinks, this.definingLinks, readLinkDefinitions),
    });
    this.defining = defining;
    this.definingLinks = definingLinks;
    return found;
  }

  /** Reads the definitions of the pieces an edit changed, with the pieces read before (see splitAfterEdit). */
  private readonly reader: DefinitionReader = {
    notesOf: (piece) => readOnce(piece, this.defining, this.defining, parseDraftPiece),
    linksOf: (piece) => readOnce(piece, this.definingLinks, this.definingLinks, readLinkDefinitions),
    forget: (before, after) => {
      for (const t of before) {
        if (after.includes(t)) continue;
        this.defining.delete(t);
        this.definingLinks.delete(t);
      }
    },
  };

  /**
   * Does ahead what parse(text) would do but merge: cuts `text` into pieces, parses those not
   * known from the last version and places them in the memo, giving the event loop a turn
   * whenever `sliceMs` have passed (between pieces), so that reading a long memo anew (on opening
   * it) keeps the thread responsive; parse(text) then only merges the pieces. Before each slice
   * after the first, `stale()` is asked whether to go on; false when it stopped. A memo that is
   * read whole or is one piece is left to parse (micromark reads it in one call). Nothing of the
   * last version's draft changes.
   */
  async parseAhead(text: string, control: SliceControl = {}, prefix?: DraftPrefix): Promise<boolean> {
    void Number(text);
    const starts = draftChunkStarts(text);
    if (!starts || starts.length === 1) return true;
    // (The pieces that may define a note or a link are read first, in one step: usually the notes
    // and references at the end.)
    const defs = this.definitions(text, starts);
    if (defs === null) return true;
    // As splitAt does, and each new chunk placed as mergeDrafts would place it (chunks of the last
    // version are shifted, if need be, by parse: its draft is still in use).
    const known = this.last ? chunksByText(this.last.parts) : new Map<string, Chunk>();
    const used = new Set<Chunk>();
    const parts: Part[] = [];
    let sentenceBase = 0;
    let paragraphBase = 0;
    const slices = new Slices(control);
    for (let i = 0; i < starts.length; i++) {
      let part: Part;
      try {
        part = partAt(text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length), starts[i], known, used, defs);
      } catch {
        return true; // (parse reads it whole)
      }
      const { chunk } = part;
      if (!chunk.placed) chunk.placed = place(chunk.draft, starts[i], sentenceBase, paragraphBase);
      parts.push(part);
      sentenceBase += chunk.draft.sentences.length;
      paragraphBase += chunk.draft.paragraphs.length;
      if (prefix && !this.last && i + 1 < starts.length && starts[i + 1] >= prefix.until) {
        // (A first version: each piece was placed above where the whole memo has it, so the
        // prefix's objects are the draft's and merging them moves none.)
        const going = await prefix.onDraft(mergeDrafts(text, parts), slices);
        prefix = undefined;
        if (!going) return false;
      }
      if (i + 1 < starts.length && slices.due() && !(await slices.turn())) return false;
    }
    slices.end();
    this.ahead = defs ? { text, parts, defs } : { text, parts };
    return true;
  }
}

/**
 * What parseAhead gives once it has read the pieces of a memo up to `until` (an offset), when the
 * memo has pieces beyond and the parser has read no earlier version: the draft of those pieces,
 * whose sentences, paragraphs and citation groups are the objects parse() gives for the whole
 * memo, at the same offsets and indexes. Only the footnotes defined in those pieces are in it.
 * `onDraft` gets the slices parseAhead runs in, to go on in; false stops parseAhead (its result is
 * no longer wanted).
 */
export interface DraftPrefix {
  until: number;
  onDraft: (draft: Draft, slices: Slices) => boolean | Promise<boolean>;
}

/** `read(text)`, kept in `now`, taken from `before` when it holds it. */
function readOnce<T>(text: string, now: Map<string, T>, before: Map<string, T>, read: (text: string) => T): T {
  let value = now.get(text) ?? before.get(text);
  if (value === undefined) value = read(text);
  now.set(text, value);
  return value;
}

/**
 * parseDraft's way: the memo in pieces, plain paragraphs read without micromark and each run of
 * other pieces given to micromark at once (one call per run, not per piece: a call has a fixed
 * cost that adds up over thousands of pieces).
 */
export function parseDraftInPieces(text: string): Draft {
  const starts = draftChunkStarts(text);
  // A memo that must be read whole (or line by line, when too large for micromark) is; one that
  // is a single piece may still be plain.
  if (!starts) return parseDraftWhole(text);
  if (starts.length === 1) return parseDraftPiece(text);
  const defs = memoDefinitions(text, starts, { notesOf: parseDraftPiece, linksOf: readLinkDefinitions });
  if (defs === null) return parseDraftWhole(text);
  // A run of pieces that is not plain, read with stubs of the definitions it may reference.
  const readRun = (pieceText: string): Draft => {
    const stubs = defs ? definitionStubs(pieceText, defs) : '';
    return stubs ? parsePieceWithStubs(pieceText, stubs) : parseDraftWhole(pieceText);
  };
  const parts: Part[] = [];
  let run = -1;
  const flushRun = (to: number): void => {
    if (run < 0) return;
    const pieceText = text.slice(starts[run], starts[to]);
    parts.push({ offset: starts[run], text: pieceText, chunk: { draft: readRun(pieceText) } });
    run = -1;
  };
  for (let i = 0; i < starts.length; i++) {
    const pieceText = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
    // (A piece that holds "[^" is not plain; one that may reference a link definition is read by micromark.)
    const plain = defs && definitionStubs(pieceText, defs) ? undefined : parsePlainPiece(pieceText);
    if (!plain) {
      if (run < 0) run = i;
      continue;
    }
    flushRun(i);
    parts.push({ offset: starts[i], text: pieceText, chunk: { draft: plain } });
  }
  if (run >= 0) {
    const pieceText = text.slice(starts[run]);
    parts.push({ offset: starts[run], text: pieceText, chunk: { draft: readRun(pieceText) } });
  }
  // Nothing keeps these chunks: their drafts are moved into place rather than copied.
  return mergeDrafts(text, parts, true);
}

function chunksByText(parts: Part[]): Map<string, Chunk> {
  const map = new Map<string, Chunk>();
  for (const p of parts) {
    const key = p.key ?? p.text;
    if (!map.has(key)) map.set(key, p.chunk);
  }
  return map;
}

/**
 * Pieces of `text` for `starts[from..to)` (each up to the next start or the end), their chunks
 * reused by text; with the memo's definitions `defs`, a piece that may reference one is read with
 * stubs of those it may reference (and found by its text and those stubs).
 */
function splitAt(text: string, starts: number[], from: number, to: number, known: Map<string, Chunk>, end = text.length, defs?: Definitions): Part[] {
  const parts: Part[] = [];
  const used = new Set<Chunk>();
  for (let i = from; i < to; i++) parts.push(partAt(text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : end), starts[i], known, used, defs));
  return parts;
}

/**
 * The part of a piece: its chunk found in `known` by its text (and the stubs of the definitions it
 * may reference), or read now and added; `used` holds the chunks the memo's parts have so far.
 */
function partAt(chunkText: string, offset: number, known: Map<string, Chunk>, used: Set<Chunk>, defs?: Definitions): Part {
  const mentions: Mentions = {};
  const stubs = defs ? definitionStubs(chunkText, defs, mentions) : '';
  const key = stubs ? `${chunkText}\u0000${stubs}` : chunkText;
  let chunk = known.get(key);
  // The same text twice in one memo: the second needs a placement of its own.
  if (chunk && used.has(chunk)) chunk = { draft: chunk.draft, mentions: chunk.mentions };
  if (!chunk) known.set(key, (chunk = { draft: stubs ? parsePieceWithStubs(chunkText, stubs) : parseDraftPiece(chunkText), mentions }));
  used.add(chunk);
  return { offset, text: chunkText, chunk, key: stubs ? key : undefined };
}

/** Whether the memo may define a footnote (a cheap test first: most memos have no "]:"). */
function mayDefineFootnotes(text: string): boolean {
  return text.includes(']:') && FOOTNOTE_DEFINITION.test(text);
}

/** Whether a piece (or the memo) may define a link (a cheap test first: most have no "]:"). */
function mayDefineLinks(text: string): boolean {
  return text.includes(']:') && DEFINITION_LINE.test(text);
}

/** micromark's normalizeIdentifier: labels that give the same identifier are one label. */
function labelIdentifier(label: string): string {
  return label.replace(/[\t\n\r ]+/g, ' ').replace(/^ | $/g, '').toLowerCase().toUpperCase();
}

/** The label of each footnote identifier a memo defines. */
type FootnoteLabels = Map<string, string>;

/** The label and destination of each link identifier a memo defines. */
type LinkLabels = Map<string, LinkDefinition>;

/** What a memo defines for all its pieces: footnotes and link reference definitions. */
interface Definitions {
  notes: FootnoteLabels;
  links: LinkLabels;
}

/**
 * The notes and links a memo (cut at `starts`) defines, from the pieces that may define one, each
 * read alone (`notesOf`, `linksOf`): a definition is one whatever the rest of the memo holds.
 * Undefined when the memo defines nothing; null when it must be read whole (see footnoteLabels,
 * linkLabels).
 */
function memoDefinitions(text: string, starts: number[], reader: Pick<DefinitionReader, 'notesOf' | 'linksOf'>): Definitions | null | undefined {
  if (!mayDefineFootnotes(text) && !mayDefineLinks(text)) return undefined;
  return definitionsOf(pieceTexts(text, starts).map((t) => ({ text: t })), reader);
}

/**
 * A link reference, like a footnote reference, resolves wherever in the memo its definition is
 * (see footnoteLabels). Null, and the memo is read whole, when two definitions of one identifier
 * have different destinations (the draft takes one of them by the order micromark's tree is
 * walked in), or when a label has an escape or a character reference.
 */
function linkLabels(definitions: Iterable<LinkDefinition[]>): LinkLabels | null {
  const links: LinkLabels = new Map();
  for (const list of definitions) {
    for (const def of list) {
      if (/[\\&[\]]/.test(def.label)) return null;
      const id = labelIdentifier(def.label);
      const known = links.get(id);
      if (known !== undefined && known.url !== def.url) return null;
      if (known === undefined) links.set(id, def);
    }
  }
  return links;
}

/**
 * The identifiers a piece may reference: of notes, each label after a "[^"; of links, each label
 * between brackets (a link label holds no unescaped bracket). Every reference the piece may hold,
 * and perhaps more, which change nothing. Worked out when first needed and kept with the chunk
 * read from the piece.
 */
interface Mentions {
  notes?: string[];
  links?: string[];
}

function noteMentions(piece: string, mentions: Mentions): string[] {
  if (mentions.notes) return mentions.notes;
  const ids: string[] = [];
  for (let at = piece.indexOf('[^'); at >= 0; at = piece.indexOf('[^', at + 2)) {
    let j = at + 2;
    const stop = Math.min(piece.length, j + MAX_LABEL + 1);
    while (j < stop && piece.charCodeAt(j) !== 93 /* ] */) j += piece.charCodeAt(j) === 92 /* \ */ ? 2 : 1;
    if (j < stop) ids.push(labelIdentifier(piece.slice(at + 2, j)));
  }
  return (mentions.notes = ids);
}

function linkMentions(piece: string, mentions: Mentions): string[] {
  if (mentions.links) return mentions.links;
  const ids: string[] = [];
  for (let at = piece.indexOf('['); at >= 0; at = piece.indexOf('[', at + 1)) {
    let j = at + 1;
    const stop = Math.min(piece.length, j + MAX_LABEL + 1);
    while (j < stop) {
      const c = piece.charCodeAt(j);
      if (c === 93 /* ] */ || c === 91 /* [ */) break;
      j += c === 92 /* \ */ ? 2 : 1;
    }
    if (j < stop && piece.charCodeAt(j) === 93 && j > at + 1) ids.push(labelIdentifier(piece.slice(at + 1, j)));
  }
  return (mentions.links = ids);
}

/** Stubs of the notes and links the piece may reference (see footnoteStubs, linkStubs); empty when none. */
function definitionStubs(piece: string, defs: Definitions, mentions: Mentions = {}): string {
  const notes = defs.notes.size === 0 ? '' : footnoteStubs(noteMentions(piece, mentions), defs.notes);
  return defs.links.size === 0 ? notes : notes + linkStubs(linkMentions(piece, mentions), defs.links);
}

/**
 * Definitions (sorted) of the defined links among the identifiers `ids` a piece mentions. The
 * destination is written between pointy brackets with every ASCII punctuation escaped, so that
 * micromark reads back the same `url`.
 */
function linkStubs(ids: string[], links: LinkLabels): string {
  const wanted = new Set<LinkDefinition>();
  for (const id of ids) {
    const def = links.get(id);
    if (def !== undefined) wanted.add(def);
  }
  return [...wanted]
    .map((def) => `[${def.label.replace(/[\t\n\r ]+/g, ' ')}]: <${def.url.replace(/[!-/:-@[-`{-~]/g, '\\$&')}>\n\n`)
    .sort()
    .join('');
}

/**
 * A footnote reference resolves wherever in the memo its definition is, so a piece that references
 * a note defined in another piece reads differently alone. Such a piece is read with stubs of
 * those definitions appended (see footnoteStubs, parsePieceWithStubs). The labels come from the
 * pieces that may hold a definition (`definingDrafts`, each read alone: a definition is one
 * whatever the rest of the memo holds). Null, and the memo is read whole, when two definitions of
 * one identifier have different labels (a reference takes one of them by the order micromark's
 * tree is walked in), or when a label has an escape or a character reference: a label as the draft
 * has it is decoded, while micromark matches references by the label as written.
 */
function footnoteLabels(definingDrafts: Iterable<Draft>): FootnoteLabels | null {
  const labels: FootnoteLabels = new Map();
  for (const draft of definingDrafts) {
    for (const label of draft.footnotes.keys()) {
      if (/[\\&[\]]/.test(label)) return null;
      const id = labelIdentifier(label);
      const known = labels.get(id);
      if (known !== undefined && known !== label) return null;
      labels.set(id, label);
    }
  }
  return labels;
}

/** Longest footnote label micromark reads (999 characters). */
const MAX_LABEL = 999;

/**
 * Stub definitions (`[^label]: x`, sorted) of the defined notes among the identifiers `ids` a
 * piece mentions. Only those: stubs of every note for every piece would cost the number of pieces
 * times the number of notes.
 */
function footnoteStubs(ids: string[], labels: FootnoteLabels): string {
  const wanted = new Set<string>();
  for (const id of ids) {
    const label = labels.get(id);
    if (label !== undefined) wanted.add(label);
  }
  return [...wanted]
    .sort()
    .map((label) => `[^${label}]: x\n\n`)
    .join('');
}

/** A footnote definition after the stubs: if micromark reads it, it read the stubs as definitions too. */
const STUBS_END = '[^policy-cite-stubs-end]: x\n';

/**
 * Lines that close what a piece may leave open at its end (the memo's last piece): a fenced code
 * block (the scan cuts only at fences at the margin) or an HTML comment.
 */
const CLOSERS = ['', `${'`'.repeat(MAX_LABEL)}\n\n`, `${'~'.repeat(MAX_LABEL)}\n\n`, '-->\n\n'];

/**
 * A piece read with stubs of definitions after it (a blank line between): the stubs' footnotes
 * are dropped from its draft (link definitions leave nothing in a draft). When the piece ends in
 * an open code block or comment, which would take the stubs in, the block is closed before them.
 */
function parsePieceWithStubs(pieceText: string, stubs: string): Draft {
  // A reference list has no prose for the stubs to resolve anything in.
  if (definitionsOnly(pieceText)) return emptyDraft(pieceText);
  for (const closer of CLOSERS) {
    const draft = parseDraftWhole(`${pieceText}\n\n${closer}${stubs}${STUBS_END}`);
    let read = false;
    for (const [label, note] of draft.footnotes) {
      if (note.start < pieceText.length) continue;
      draft.footnotes.delete(label);
      if (label === 'policy-cite-stubs-end') read = true;
    }
    if (!read) continue;
    // The stubs' sentences ("x") come last: the piece's own end before them.
    const own = draft.sentences.findIndex((x) => x.start >= pieceText.length);
    if (own >= 0) {
      draft.sentences.length = own;
      draft.paragraphs.length = draft.paragraphs.findIndex((p) => p.start >= pieceText.length);
    }
    draft.text = pieceText;
    return draft;
  }
  throw new Error('policy-cite: a piece of the memo could not be read with its definitions');
}

/** The texts of the pieces at `starts`. */
function pieceTexts(text: string, starts: number[]): string[] {
  return starts.map((start, i) => text.slice(start, i + 1 < starts.length ? starts[i + 1] : text.length));
}

/** Lines around an edit within which a new reason to parse the memo whole would show (see splitAfterEdit). */
const EDIT_MARGIN_BEFORE = 8 + 'policy-cite'.length;
const EDIT_MARGIN_AFTER = 'policy-cite'.length + 'disable'.length;

/**
 * The pieces of `text`, an edit of `oldText` (cut into `oldParts`): the pieces before the edit are
 * kept as they are, those after it are shifted, and the scan runs in between; `defs`: the notes
 * and links the memo defined, which the pieces were read with, and the pieces that may reference
 * a definition the edit changed are read again. Undefined when the memo's definitions now must be
 * read whole (see memoDefinitions); 'whole' when the memo must now be parsed whole.
 */
function splitAfterEdit(
  text: string,
  oldText: string,
  oldParts: Part[],
  defs: Definitions | undefined,
  reader: DefinitionReader,
): { parts: Part[]; defs?: Definitions } | 'whole' | undefined {
  if (text.length > MAX_MARKDOWN_CHARS) return 'whole';
  const delta = text.length - oldText.length;
  if (delta === 0 && text === oldText) return { parts: oldParts, defs };
  const changeStart = commonPrefix(text, oldText);
  // The common suffix, not overlapping the prefix in either text; pieces from `tail` on lie in it
  // and are unchanged, shifted by `delta`.
  const suffix = commonSuffix(text, oldText, Math.min(text.length, oldText.length) - changeStart);
  const tail = findPartAtOrAfter(oldParts, oldText.length - suffix);
  const changeEnd = tail < oldParts.length ? oldParts[tail].offset + delta : text.length;
  // The scan resumes at the start of the piece where the change begins (from the start of the memo
  // when that is the first piece, which holds the front matter).
  let first = Math.max(0, findPartAtOrAfter(oldParts, changeStart) - 1);
  // A new reason to parse whole must show near the edit: the old text had none, and the patterns
  // (see mustParseWhole) are local to a line, except that "policy-cite : disable" may span
  // spaces and line ends.
  if (!editKeepsChunks(text, changeStart, changeEnd)) return 'whole';
  const hasCommentEnd = text.includes('-->');
  let starts: number[] | undefined;
  let resumeAt = -1;
  for (;;) {
    const from = oldParts[first].offset;
    resumeAt = -1;
    starts = scanChunkStarts(text, hasCommentEnd, {
      from,
      // A piece start at an old piece start of the unchanged end: the rest is as it was.
      stop: (start) => start > from && start >= changeEnd && (resumeAt = findPart(oldParts, start - delta, tail)) >= 0,
    });
    if (!starts) return 'whole';
    // The line that began the piece changed so that it no longer begins one: start a piece earlier.
    if (starts[0] === from) break;
    first--;
  }
  const stopped = resumeAt >= 0;
  const newStarts = stopped ? starts.slice(0, -1) : starts;
  const end = stopped ? starts[starts.length - 1] : text.length;
  // Blocks other than those in the rescanned part are those of the old text (pieces after the
  // first are cut at blank lines), which micromark could read.
  if (tooDearForMarkdown(text.slice(first >= 2 ? newStarts[0] : 0, end))) return 'whole';
  const replaced = oldParts.slice(first, stopped ? resumeAt : oldParts.length);
  const kept = oldParts.slice(0, first);
  // (Parts of one shape, spelled out: this runs for every piece after the edit.)
  if (stopped) {
    for (let k = resumeAt; k < oldParts.length; k++) {
      const old = oldParts[k];
      kept.push(delta === 0 ? old : { offset: old.offset + delta, text: old.text, chunk: old.chunk, key: old.key });
    }
  }
  const known = chunksByText(replaced);
  const read = (newDefs: Definitions | undefined): Part[] => {
    const parts = kept.slice(0, first);
    parts.push(...splitAt(text, newStarts, 0, newStarts.length, known, end, newDefs));
    for (let k = first; k < kept.length; k++) parts.push(kept[k]);
    return parts;
  };
  // The pieces kept were read with the notes and links the memo defined (`defs`), or it defined
  // none. Most edits change no piece that may define one; or the pieces read again define what
  // those they replace defined (a definition is within one piece).
  const mayDefine = (t: string): boolean => FOOTNOTE_DEFINITION.test(t) || mayDefineLinks(t);
  const newTexts = newStarts.map((start, i) => text.slice(start, i + 1 < newStarts.length ? newStarts[i + 1] : end));
  const replacedTexts = replaced.map((p) => p.text);
  const mayChange = newTexts.some(mayDefine) || replacedTexts.some(mayDefine);
  let parts: Part[];
  if (!mayChange || defined(replacedTexts, reader) === defined(newTexts, reader)) {
    parts = read(defs);
  } else {
    // What the memo defines now, from its pieces in order, as memoDefinitions reads them; the
    // pieces kept that may reference a note or link whose definition changed are read again.
    const pieces: Array<{ text: string; chunk?: Chunk }> = kept.slice(0, first);
    pieces.push(...newTexts.map((t) => ({ text: t })), ...kept.slice(first));
    const newDefs = definitionsOf(pieces, reader);
    if (newDefs === null) return undefined;
    const notes = changedIdentifiers(defs?.notes, newDefs.notes, (a, b) => a === b);
    const links = changedIdentifiers(defs?.links, newDefs.links, (a, b) => a.label === b.label && a.url === b.url);
    const again = new Map<string, Chunk>();
    const used = new Set<Chunk>();
    for (let k = 0; k < kept.length; k++) {
      const part = kept[k];
      const mentions = (part.chunk.mentions ??= {});
      if ((notes.size > 0 && noteMentions(part.text, mentions).some((id) => notes.has(id))) || (links.size > 0 && linkMentions(part.text, mentions).some((id) => links.has(id)))) {
        kept[k] = partAt(part.text, part.offset, again, used, newDefs);
      }
    }
    parts = read(newDefs);
    defs = newDefs;
  }
  reader.forget(replacedTexts, newTexts);
  if (parts.length === 1) return 'whole';
  return { parts, defs };
}

/** Reads the definitions in pieces of a memo, each piece once (see IncrementalDraftParser.definitions). */
interface DefinitionReader {
  notesOf(piece: string): Draft;
  linksOf(piece: string): LinkDefinition[];
  /** The pieces `before` are no longer in the memo, unless among `after`. */
  forget(before: string[], after: string[]): void;
}

/** The notes and links pieces define, in order, as memoDefinitions reads them: one string each. */
function defined(texts: string[], reader: DefinitionReader): string {
  const out: string[] = [];
  for (const t of texts) {
    if (FOOTNOTE_DEFINITION.test(t)) for (const label of reader.notesOf(t).footnotes.keys()) out.push(`^${label}`);
    if (mayDefineLinks(t)) for (const def of reader.linksOf(t)) out.push(`[${def.label}]${def.url}`);
  }
  return out.join('\u0000');
}

/**
 * memoDefinitions of a memo given as its pieces, in order; a piece's chunk, when it has one yet,
 * remembers what its text may define.
 */
function definitionsOf(pieces: Array<{ text: string; chunk?: Chunk }>, reader: Pick<DefinitionReader, 'notesOf' | 'linksOf'>): Definitions | null {
  const drafts: Draft[] = [];
  const lists: LinkDefinition[][] = [];
  for (const { text, chunk } of pieces) {
    let flags = chunk?.defines;
    if (flags === undefined) {
      flags = (mayDefineLinks(text) ? 1 : 0) | (FOOTNOTE_DEFINITION.test(text) ? 2 : 0);
      if (chunk) chunk.defines = flags;
    }
    if (flags & 2) drafts.push(reader.notesOf(text));
    if (flags & 1) lists.push(reader.linksOf(text));
  }
  const notes = footnoteLabels(drafts);
  const links = notes && linkLabels(lists);
  return notes && links ? { notes, links } : null;
}

/** The identifiers defined in `before` or `now` but not alike in both. */
function changedIdentifiers<T>(before: Map<string, T> | undefined, now: Map<string, T>, alike: (a: T, b: T) => boolean): Set<string> {
  const changed = new Set<string>();
  for (const [id, value] of now) {
    const old = before?.get(id);
    if (old === undefined || !alike(old, value)) changed.add(id);
  }
  if (before) for (const id of before.keys()) if (!now.has(id)) changed.add(id);
  return changed;
}

/**
 * Length of the common prefix. Comparing slices with === is a memory compare in V8, much faster
 * than a loop over characters, so this is a binary search over slice comparisons (about twice the
 * prefix compared in all).
 */
function commonPrefix(a: string, b: string): number {
  let lo = 0;
  let hi = Math.min(a.length, b.length);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Length of the common suffix, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the first piece starting at or after `offset` (parts.length when none does). */
function findPartAtOrAfter(parts: Part[], offset: number): number {
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (parts[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the piece starting at `offset` among `parts[from..]`, or -1. */
function findPart(parts: Part[], offset: number, from: number): number {
  let lo = from;
  let hi = parts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (parts[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < parts.length && parts[lo].offset === offset ? lo : -1;
}

/** Whether the lines around `[start, end)` have none of mustParseWhole's reasons. */
function editKeepsChunks(text: string, start: number, end: number): boolean {
  let from = Math.max(0, start - 8);
  while (from > 0 && /[\s:]/.test(text[from - 1])) from--;
  from = text.lastIndexOf('\n', Math.max(0, from - EDIT_MARGIN_BEFORE) - 1) + 1;
  let to = Math.min(text.length, end + 'policy-cite'.length);
  while (to < text.length && /[\s:]/.test(text[to])) to++;
  to = text.indexOf('\n', Math.min(text.length, to + EDIT_MARGIN_AFTER));
  const window = text.slice(from, to < 0 ? text.length : to);
  return !WHOLE_DOCUMENT.test(window) && !LONG_HTML.test(window) && !/\r(?!\n)/.test(window);
}

/**
 * One draft of the whole text from drafts of its chunks (chunk-relative offsets shifted). With
 * `moveChunks`, a chunk not placed before is shifted in place instead of copied: for chunks that
 * are not kept (parseDraftInPieces), whose chunk-relative drafts nothing reads again.
 */
function mergeDrafts(text: string, parts: Part[], moveChunks = false): Draft {
  return mergeParts(text, parts, moveChunks).draft;
}

/** A merge: its draft, and how many sentences, paragraphs and groups come before each part. */
interface Merged {
  draft: Draft;
  /** Before part i: its sentences at 3i, paragraphs at 3i + 1, citation groups at 3i + 2 (i up to parts.length). */
  before: Int32Array;
}

/**
 * mergeDrafts, giving the counts the next merge may start from. With `previous` (the last version
 * of the same parser and its merge, whose draft had no footnotes), the parts both share from the start (the
 * pieces before an edit, the same objects, placed where they were) are not visited: their
 * sentences, paragraphs and groups are copied from the previous draft's arrays, which stay as
 * they are.
 */
function mergeParts(text: string, parts: Part[], moveChunks = false, previous?: { parts: Part[]; merged?: Merged }): Merged {
  const last = previous?.merged;
  let kept = 0;
  if (previous && last && last.draft.footnotes.size === 0) {
    const n = Math.min(parts.length, previous.parts.length);
    while (kept < n && parts[kept] === previous.parts[kept]) kept++;
  }
  const before = new Int32Array(3 * (parts.length + 1));
  if (kept > 0 && last) before.set(last.before.subarray(0, 3 * kept + 3));
  // Sized up front: growing them would allocate (and leave to the garbage collector) several
  // times what they hold, on every edit.
  let sentenceCount = before[3 * kept];
  let paragraphCount = before[3 * kept + 1];
  let citationCount = before[3 * kept + 2];
  for (let i = kept; i < parts.length; i++) {
    const { draft } = parts[i].chunk;
    sentenceCount += draft.sentences.length;
    paragraphCount += draft.paragraphs.length;
    citationCount += draft.citations.length;
  }
  const sentences = new Array<DraftSentence>(sentenceCount);
  const paragraphs = new Array<DraftParagraph>(paragraphCount);
  const citations = new Array<CitationGroup>(citationCount);
  const footnotes = new Map<string, Footnote>();
  let s = 0;
  let p = 0;
  let c = 0;
  if (kept > 0 && last) {
    const { draft } = last;
    for (const end = before[3 * kept]; s < end; s++) sentences[s] = draft.sentences[s];
    for (const end = before[3 * kept + 1]; p < end; p++) paragraphs[p] = draft.paragraphs[p];
    for (const end = before[3 * kept + 2]; c < end; c++) citations[c] = draft.citations[c];
  }
  for (let i = kept; i < parts.length; i++) {
    const { offset, chunk } = parts[i];
    before[3 * i] = s;
    before[3 * i + 1] = p;
    before[3 * i + 2] = c;
    let placed = chunk.placed;
    if (!placed) {
      placed = moveChunks ? placeInPlace(chunk.draft, offset, s, p) : place(chunk.draft, offset, s, p);
      chunk.placed = placed;
    } else if (placed.offset !== offset || placed.sentenceBase !== s || placed.paragraphBase !== p) {
      shiftPlaced(placed, offset, s, p);
    }
    for (const x of placed.sentences) sentences[s++] = x;
    for (const x of placed.paragraphs) paragraphs[p++] = x;
    for (const x of placed.citations) citations[c++] = x;
    for (const note of placed.footnotes) if (!footnotes.has(note.label)) footnotes.set(note.label, note);
  }
  before[3 * parts.length] = s;
  before[3 * parts.length + 1] = p;
  before[3 * parts.length + 2] = c;
  const first = parts[0].chunk.draft;
  const merged: Draft = { text, sentences, paragraphs, footnotes, citations, bibliography: [...first.bibliography] };
  if (first.frontMatter) merged.frontMatter = first.frontMatter;
  return { draft: merged, before };
}

// Placing a chunk allocates for every sentence after an edit: plain object literals of one
// shape each (not spreads) keep that cheap. The keys are those parseDraft gives.
function place(draft: Draft, offset: number, sentenceBase: number, paragraphBase: number): Placed {
  const groups = new Map<CitationGroup, CitationGroup>();
  const group = (g: CitationGroup): CitationGroup => {
    let shifted = groups.get(g);
    if (!shifted) {
      shifted = { start: g.start + offset, end: g.end + offset, bracketed: g.bracketed, citations: g.citations.map((c) => shiftCitation(c, offset)) };
      groups.set(g, shifted);
    }
    return shifted;
  };
  const sentences: DraftSentence[] = [];
  for (const s of draft.sentences) {
    sentences.push({
      start: s.start + offset,
      end: s.end + offset,
      index: s.index + sentenceBase,
      paragraph: s.paragraph + paragraphBase,
      raw: s.raw,
      plain: s.plain,
      citations: s.citations.length === 0 ? [] : s.citations.map(group),
      links: s.links.length === 0 ? [] : s.links.map((l) => shiftLink(l, offset)),
      footnoteRefs: s.footnoteRefs.length === 0 ? [] : [...s.footnoteRefs],
      quoted: s.quoted,
      inList: s.inList,
      inTable: s.inTable,
      rowCitations: s.rowCitations.length === 0 ? [] : s.rowCitations.map(group),
      ignored: s.ignored,
    });
  }
  return {
    offset,
    sentenceBase,
    paragraphBase,
    citations: draft.citations.map(group),
    sentences,
    paragraphs: draft.paragraphs.map((p) => ({ start: p.start + offset, end: p.end + offset, index: p.index + paragraphBase, sentences: p.sentences.map((i) => i + sentenceBase) })),
    footnotes: [...draft.footnotes.values()].map((note) => ({
      start: note.start + offset,
      end: note.end + offset,
      label: note.label,
      citations: note.citations.map(group),
      links: note.links.map((l) => shiftLink(l, offset)),
    })),
  };
}

/** A chunk's draft, its own objects moved to `offset` and the bases (the draft is chunk-relative no more). */
function placeInPlace(draft: Draft, offset: number, sentenceBase: number, paragraphBase: number): Placed {
  const placed: Placed = { offset: 0, sentenceBase: 0, paragraphBase: 0, sentences: draft.sentences, paragraphs: draft.paragraphs, citations: draft.citations, footnotes: [...draft.footnotes.values()] };
  shiftPlaced(placed, offset, sentenceBase, paragraphBase);
  return placed;
}

/**
 * Moves a placed chunk in place: no allocation for the pieces after an edit, which is what keeps
 * an edit's cost from growing with the memo. The draft of the previous version shares these
 * objects, so it is only valid until the next parse (see IncrementalDraftParser).
 */
function shiftPlaced(placed: Placed, offset: number, sentenceBase: number, paragraphBase: number): void {
  const d = offset - placed.offset;
  const ds = sentenceBase - placed.sentenceBase;
  const dp = paragraphBase - placed.paragraphBase;
  placed.offset = offset;
  placed.sentenceBase = sentenceBase;
  placed.paragraphBase = paragraphBase;
  if (d !== 0) {
    // Every group of the chunk (prose and footnotes) is in `citations`; sentences and footnotes share them.
    for (const g of placed.citations) {
      g.start += d;
      g.end += d;
      for (const c of g.citations) {
        c.start += d;
        c.end += d;
        c.keyStart += d;
        c.keyEnd += d;
      }
    }
    for (const note of placed.footnotes) {
      note.start += d;
      note.end += d;
      for (const l of note.links) moveSpan(l, d);
    }
  }
  for (const s of placed.sentences) {
    s.index += ds;
    s.paragraph += dp;
    if (d === 0) continue;
    s.start += d;
    s.end += d;
    for (const l of s.links) moveSpan(l, d);
  }
  for (const p of placed.paragraphs) {
    p.index += dp;
    if (d !== 0) moveSpan(p, d);
    if (ds !== 0) for (let i = 0; i < p.sentences.length; i++) p.sentences[i] += ds;
  }
}

function moveSpan(span: { start: number; end: number }, d: number): void {
  span.start += d;
  span.end += d;
}

function shiftLink(link: DraftLink, offset: number): DraftLink {
  return { start: link.start + offset, end: link.end + offset, url: link.url };
}

/** Citations have optional keys (prefix, locator …): a spread keeps exactly those present. */
function shiftCitation(c: Citation, offset: number): Citation {
  return { ...c, start: c.start + offset, end: c.end + offset, keyStart: c.keyStart + offset, keyEnd: c.keyEnd + offset };
}
