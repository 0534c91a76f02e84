// Pandoc's inline notes (`… in 2012.^[Golts says so [@golts2012, para. 2].]`) as text of their
// own. The memo's parse leaves a note's words out of the sentence it follows (they are not that
// sentence's); here each note is read as a memo of its own, so that its statements are checked as
// a footnote's are: sourced by their own citations, or else by the note's.
import { parseDraft } from './draft';
import type { CitationGroup, Draft, DraftLink, DraftSentence } from './draftTypes';
import { inlineNotes } from './text';

/** An inline note read as a memo: `offset` is where its text (after `^[`) starts in the memo. */
export interface NoteDraft {
  offset: number;
  draft: Draft;
}

/** The label of the one footnote of a note's draft: the note itself. */
export const INLINE_NOTE_LABEL = '^';

const NONE: readonly NoteDraft[] = [];
const bySentence = new WeakMap<DraftSentence, readonly NoteDraft[]>();

/**
 * The inline notes of a memo sentence (the parse attaches a note to the sentence before it), each
 * read as a draft whose one footnote spans the whole note, so that a note sentence without a
 * citation of its own is sourced by the note's citations. Those are the citation groups the memo's
 * parse found in the note (`^[@golts2012, para. 2]` is one group, with its locator), their offsets
 * the memo's: they are read for what they cite, never for where. Line breaks, with the
 * block-quote markers after them, read as spaces (same length: offsets hold).
 */
export function inlineNoteDrafts(memo: Draft, sentence: DraftSentence): readonly NoteDraft[] {
  if (!sentence.raw.includes('^[')) return NONE;
  let out = bySentence.get(sentence);
  if (out) return out;
  const drafts: NoteDraft[] = [];
  for (const note of inlineNotes(sentence.raw)) {
    const start = sentence.start + note.start;
    const end = sentence.start + note.end;
    const text = sentence.raw.slice(note.start + 2, note.end - 1).replace(/\r?\n[ \t>]*/g, (m) => ' '.repeat(m.length));
    const draft = parseDraft(text);
    const links: DraftLink[] = draft.sentences.flatMap((s) => s.links);
    draft.footnotes.set(INLINE_NOTE_LABEL, { label: INLINE_NOTE_LABEL, start: 0, end: text.length, citations: groupsWithin(memo.citations, start, end), links });
    drafts.push({ offset: start + 2, draft });
  }
  out = drafts.length > 0 ? drafts : NONE;
  bySentence.set(sentence, out);
  return out;
}

/** The citation groups (in document order) between `start` and `end`. */
function groupsWithin(groups: readonly CitationGroup[], start: number, end: number): CitationGroup[] {
  let lo = 0;
  let hi = groups.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (groups[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  const out: CitationGroup[] = [];
  for (let i = lo; i < groups.length && groups[i].end <= end; i++) out.push(groups[i]);
  return out;
}

/** The citations of a sentence's inline notes (see inlineNoteDrafts), which source it as a footnote's do. */
export function inlineNoteCitations(memo: Draft, sentence: DraftSentence): CitationGroup[] {
  const notes = inlineNoteDrafts(memo, sentence);
  if (notes.length === 0) return [];
  return notes.flatMap((note) => note.draft.footnotes.get(INLINE_NOTE_LABEL)?.citations ?? []);
}

/** Whether a sentence's inline notes hold a link. */
export function inlineNoteLinks(memo: Draft, sentence: DraftSentence): boolean {
  return inlineNoteDrafts(memo, sentence).some((note) => (note.draft.footnotes.get(INLINE_NOTE_LABEL)?.links.length ?? 0) > 0);
}

const shifted = new WeakMap<DraftSentence, DraftSentence>();

/**
 * The sentence of an inline note of `sentence` that holds `offset`, placed in the memo (offsets
 * moved to the memo's); undefined when the offset is in no note's sentence. The same object for
 * the same note sentence, while the memo's sentence is the same.
 */
export function noteSentenceAt(memo: Draft, sentence: DraftSentence, offset: number, find: (draft: Draft, offset: number) => DraftSentence | undefined): DraftSentence | undefined {
  for (const note of inlineNoteDrafts(memo, sentence)) {
    if (offset < note.offset || offset > note.offset + note.draft.text.length) continue;
    const inner = find(note.draft, offset - note.offset);
    if (!inner) return undefined;
    let placed = shifted.get(inner);
    if (!placed) shifted.set(inner, (placed = moveSentence(inner, note.offset)));
    return placed;
  }
  return undefined;
}

function moveSentence(s: DraftSentence, d: number): DraftSentence {
  return {
    ...s,
    start: s.start + d,
    end: s.end + d,
    citations: s.citations.map((g) => moveGroup(g, d)),
    links: s.links.map((l) => ({ ...l, start: l.start + d, end: l.end + d })),
    rowCitations: s.rowCitations.map((g) => moveGroup(g, d)),
  };
}

function moveGroup(g: CitationGroup, d: number): CitationGroup {
  return {
    ...g,
    start: g.start + d,
    end: g.end + d,
    citations: g.citations.map((c) => ({ ...c, start: c.start + d, end: c.end + d, keyStart: c.keyStart + d, keyEnd: c.keyEnd + d })),
  };
}
