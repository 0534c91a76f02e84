// Where a citation goes in a memo, as plain text edits (the extension turns them into a
// WorkspaceEdit; tests check them directly).
import { formatOf } from '../bibliographyKeys';
import { citedParagraph, keyText } from '../citations';
import { frontMatterBibliography } from '../draft';
import type { Citation, Draft, DraftSentence } from '../draftTypes';
import { noteSentenceAt } from '../inlineNoteDrafts';
import { memoBibliography, type ProjectBibliography } from '../quartoProject';
import { inlineNotes } from '../text';

export interface TextEditSpec {
  start: number;
  end: number;
  newText: string;
}

export interface CitationSpec {
  key: string;
  /** "para. 3" */
  locator?: string;
}

/** `@key, para. 3` (the key in braces when Pandoc reads it only so, see keyText). */
export function formatCitation(c: CitationSpec): string {
  return `@${keyText(c.key)}${c.locator ? `, ${c.locator}` : ''}`;
}

/**
 * The sentence at `offset`: in an inline note (`^[…]`), the note's sentence there (its offsets the
 * memo's), else the memo's sentence.
 */
export function sentenceAt(draft: Draft, offset: number): DraftSentence | undefined {
  const found = draftSentenceAt(draft, offset);
  return (found && found.raw.includes('^[') && noteSentenceAt(draft, found, offset, draftSentenceAt)) || found;
}

/** The draft's own sentence at `offset`. */
function draftSentenceAt(draft: Draft, offset: number): DraftSentence | undefined {
  // Sentences are in document order: binary search for the last one starting at or before offset.
  let lo = 0;
  let hi = draft.sentences.length - 1;
  let found: DraftSentence | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (draft.sentences[mid].start <= offset) {
      found = draft.sentences[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && offset <= found.end + 1 ? found : undefined;
}

/** The citation at `offset` (or whose group holds it: the group's first), if any. */
export function citationAt(draft: Draft, offset: number): Citation | undefined {
  for (const group of draft.citations) {
    if (offset < group.start || offset > group.end) continue;
    const citation = group.citations.find((c) => offset >= c.start && offset <= c.end) ?? group.citations[0];
    if (citation) return citation;
  }
  return undefined;
}

/** How much of a sentence's end attributionEdit reads for its closing citations and punctuation. */
const ATTRIBUTION_TAIL = 2_000;

/**
 * The edit that attributes the sentence at `offset` to a source's author by appending
 * `, ${phrase}` to its statement ("…, Golts predicts [@golts2012, para. 6]."): before its closing
 * citation group, or else before its closing punctuation. Appending leaves the sentence's opening
 * word, perhaps a proper noun, as it is.
 */
export function attributionEdit(draft: Draft, offset: number, phrase: string): TextEditSpec | undefined {
  const sentence = sentenceAt(draft, offset);
  if (!sentence) return undefined;
  // (Its end only: the pattern tries each position, and a sentence may be pasted text of any length.)
  const from = Math.max(sentence.start, sentence.end - ATTRIBUTION_TAIL);
  const raw = draft.text.slice(from, sentence.end);
  const tail = /\s*(?:\[[^\]]*@[^\]]*\]\s*)*([.!?…]*)((?:\[\^[^\]\s]+\])*)\s*$/.exec(raw);
  const at = tail && from + tail.index > sentence.start ? from + tail.index : sentence.end;
  return { start: at, end: at, newText: `, ${phrase}` };
}

/**
 * The edit that makes a citation's locator name paragraph `paragraph` ("para. 17" → "para. 6"):
 * its value replaced, its label and the rest of the citation kept. Undefined when the citation
 * has no paragraph locator in `text`.
 */
export function locatorEdit(text: string, citation: Citation, paragraph: number): TextEditSpec | undefined {
  const locator = citation.locator;
  if (!locator || citedParagraph(citation) === undefined) return undefined;
  const at = text.indexOf(locator.value, citation.keyEnd);
  if (at < 0 || at + locator.value.length > citation.end) return undefined;
  return { start: at, end: at + locator.value.length, newText: String(paragraph) };
}

/**
 * The edit that cites `cite` for the sentence at `offset`: merged into the sentence's bracketed
 * citation group when it has one, else inserted before the closing punctuation as Pandoc expects
 * ("… in 2012 [@golts2012, para. 2]."). Undefined when the sentence already has that citation.
 */
export function citationInsertion(draft: Draft, offset: number, cite: CitationSpec): TextEditSpec | undefined {
  const sentence = sentenceAt(draft, offset);
  if (!sentence) {
    const before = draft.text[offset - 1];
    return { start: offset, end: offset, newText: `${before && !/\s/.test(before) ? ' ' : ''}[${formatCitation(cite)}]` };
  }
  const norm = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
  const group = sentence.citations.find((g) => g.bracketed);
  if (group) {
    if (group.citations.some((c) => c.key === cite.key && norm(c.locator ? `${c.locator.label} ${c.locator.value}` : undefined) === norm(cite.locator))) return undefined;
    const close = group.end - 1;
    return { start: close, end: close, newText: `; ${formatCitation(cite)}` };
  }
  let raw = draft.text.slice(sentence.start, sentence.end);
  // Inline notes after the closing punctuation stay after the citation ("… 2012 [@a].^[A note.]").
  if (raw.includes('^[')) {
    const notes = inlineNotes(raw);
    for (let k = notes.length - 1; k >= 0 && notes[k].end === raw.trimEnd().length; k--) raw = raw.slice(0, notes[k].start);
  }
  const tail = /([.!?…]+)((?:\[\^[^\]\s]+\])*)\s*$/.exec(raw);
  let at = sentence.start + raw.length;
  if (tail && tail.index > 0) at = sentence.start + tail.index;
  const prev = draft.text[at - 1];
  return { start: at, end: at, newText: `${prev && !/\s/.test(prev) ? ' ' : ''}[${formatCitation(cite)}]` };
}

/** A file name as a YAML scalar: plain when that reads back as the same text, else double-quoted. */
function yamlName(name: string): string {
  return /^[\w./-]+$/.test(name) ? name : JSON.stringify(name);
}

/**
 * The edit that makes the front matter name `bibliography` as a bibliography file: a
 * `bibliography:` entry when it has none (and front matter when there is none), else the file
 * added to those it names, which pandoc reads together. Undefined when it names the file already,
 * or when its `bibliography:` is written in a way this does not extend: the edited front matter
 * is read back, and must name its files and then this one. `asList`: a new entry is a list of
 * the one file (`[references.json]`), which Quarto joins to its project's bibliography where a
 * single name would replace it.
 */
export function frontMatterBibliographyEdit(draft: Draft, bibliography: string, asList = false): TextEditSpec | undefined {
  if (draft.bibliography.includes(bibliography)) return undefined;
  const value = asList ? `[${yamlName(bibliography)}]` : yamlName(bibliography);
  const fm = draft.frontMatter;
  if (!fm) {
    const start = draft.text.startsWith('\uFEFF') ? 1 : 0;
    const eol = draft.text.includes('\r\n') ? '\r\n' : '\n';
    return { start, end: start, newText: `---${eol}bibliography: ${value}${eol}---${eol}${eol}` };
  }
  const block = draft.text.slice(fm.start, fm.end);
  const eol = block.includes('\r\n') ? '\r\n' : '\n';
  let edit: TextEditSpec | undefined;
  if (draft.bibliography.length === 0) {
    const close = /(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n)?$/.exec(block);
    const at = close ? fm.start + close.index + (close[0].startsWith('\r\n') ? 2 : 1) : fm.end;
    edit = { start: at, end: at, newText: `bibliography: ${value}${eol}` };
  } else {
    const added = addedToList(block, yamlName(bibliography), eol);
    edit = added && { start: fm.start + added.start, end: fm.start + added.end, newText: added.newText };
  }
  // (Read back as the memo's parse reads it: its files, then this one, or no edit.)
  if (!edit) return undefined;
  const names = frontMatterBibliography(draft.text.slice(0, edit.start) + edit.newText + draft.text.slice(edit.end, fm.end));
  return names.length === draft.bibliography.length + 1 && names.every((n, i) => n === (i < draft.bibliography.length ? draft.bibliography[i] : bibliography)) ? edit : undefined;
}

/**
 * `value` added to the `bibliography:` of a front matter `block` that names files: after the
 * last item of a block list, before the `]` of a flow list on the key's line, or a scalar made a
 * flow list of it and `value`. Offsets in `block`.
 */
function addedToList(block: string, value: string, eol: string): TextEditSpec | undefined {
  const key = /^bibliography[ \t]*:[ \t]*/m.exec(block);
  if (!key) return undefined;
  const from = key.index + key[0].length;
  const lineEnd = block.indexOf('\n', from) < 0 ? block.length : block.indexOf('\n', from);
  const rest = block.slice(from, lineEnd).replace(/\r$/, '');
  const comment = / #/.exec(rest);
  const written = (comment ? rest.slice(0, comment.index) : rest).trimEnd();
  if (written === '') {
    // A block list: "- name" lines (and blank or comment lines between them) after the key.
    let at = lineEnd + 1;
    let last: { end: number; indent: string } | undefined;
    while (at < block.length) {
      const end = block.indexOf('\n', at) < 0 ? block.length : block.indexOf('\n', at);
      const line = block.slice(at, end).replace(/\r$/, '');
      const item = /^([ \t]*)-(?:[ \t]|$)/.exec(line);
      if (item) last = { end: end + 1, indent: item[1] };
      else if (line.trim() !== '' && !line.trim().startsWith('#')) break;
      at = end + 1;
    }
    if (!last || last.end > block.length) return undefined;
    return { start: last.end, end: last.end, newText: `${last.indent}- ${value}${eol}` };
  }
  if (written.startsWith('[')) {
    if (!written.endsWith(']')) return undefined;
    const close = from + written.length - 1;
    return { start: close, end: close, newText: written.slice(1, -1).trim() === '' ? value : `, ${value}` };
  }
  return { start: from, end: from + written.length, newText: `[${written}, ${value}]` };
}

/**
 * The JSON bibliography the memo names (its first `.json` file, of those its front matter and its
 * Quarto `project` name, see memoBibliography), or else `fallback` (the one in the settings) with
 * the `edit` that makes the memo's front matter name it: alone, or beside the files it names when
 * none of them is CSL-JSON (a BibTeX library, say). `edit` is undefined when the memo names the
 * file already.
 */
export function bibliographyTarget(draft: Draft, fallback = 'references.json', project?: ProjectBibliography): { path: string; edit: TextEditSpec | undefined } | { error: string } {
  const named = memoBibliography(draft, project);
  const json = named.find((b) => formatOf(b) === 'json');
  if (json) return { path: json, edit: undefined };
  // (A BibTeX or YAML file named in the settings would be created holding CSL-JSON, and named in
  // the front matter for pandoc to misread.)
  if (formatOf(fallback) !== 'json') {
    if (named.length > 0) return { error: `the memo's bibliography (${named.join(', ')}) is not CSL-JSON, nor is the one in the settings (${fallback}); policy-cite only writes .json bibliographies` };
    return { error: `the bibliography in the settings (${fallback}) is not a .json file; policy-cite only writes CSL-JSON bibliographies` };
  }
  // (Beside a project's bibliography, as a list: a single name in the memo would replace it.)
  const edit = frontMatterBibliographyEdit(draft, fallback, draft.bibliography.length === 0 && named.length > 0);
  if (!edit) {
    if (draft.bibliography.length > 0) return { error: `the memo's bibliography (${named.join(', ')}) is not CSL-JSON, and ${fallback} could not be added to its bibliography: list; add a .json file to it` };
    return { error: `the memo's front matter could not be given "bibliography: ${fallback}" (is its YAML valid, and does a bibliography: in it name a file?); add it by hand` };
  }
  return { path: fallback, edit };
}

/** Applies non-overlapping edits to a text (used by tests and the CLI). */
export function applyEdits(text: string, edits: TextEditSpec[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
