// CSL-JSON for indexed sources, and a merge into an existing bibliography file that keeps what the
// user wrote: unknown entries and unknown fields stay as they were; an invalid file is not touched.
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Source } from './types';

export type CslValue = string | number | boolean | null | CslValue[] | { [key: string]: CslValue };
export type CslItem = { id: string; type: string; [field: string]: CslValue };

function dateParts(date: string | undefined): CslValue | undefined {
  if (!date) return undefined;
  const parts = date.split('-').map(Number).filter((n) => Number.isFinite(n) && n > 0);
  return parts.length ? { 'date-parts': [parts] } : undefined;
}

export function cslItemFor(source: Source): CslItem {
  const extra = source.meta.extra ?? {};
  const item: CslItem = {
    id: source.key,
    type: typeof extra.type === 'string' ? extra.type : source.meta.publisher || source.meta.url ? 'article-newspaper' : 'document',
  };
  if (source.meta.title) item.title = source.meta.title;
  if (source.meta.authors.length) {
    item.author = source.meta.authors.map((a): CslValue => (a.given ? { family: a.family, given: a.given } : { family: a.family }));
  }
  const issued = dateParts(source.meta.date);
  if (issued) item.issued = issued;
  const container = typeof extra['container-title'] === 'string' ? extra['container-title'] : source.meta.publisher;
  if (container) item['container-title'] = container;
  if (source.meta.url) item.URL = source.meta.url;
  for (const k of ['volume', 'issue', 'page', 'language', 'DOI']) {
    const v = extra[k];
    if (typeof v === 'string' || typeof v === 'number') item[k] = v;
  }
  return item;
}

export type MergeResult =
  | { ok: true; text: string; added: string[]; updated: string[]; changed: boolean }
  | { ok: false; error: string };

/**
 * Merges `items` into the bibliography `existing` (file text, or undefined when there is none).
 * Entries already present keep every field the user set; only missing fields are filled in.
 * The file's text is edited in place: new entries go after the last one and missing fields after
 * an entry's last field, indented as their neighbours, and every other character stays as it was
 * (the user's layout, and numbers JSON.parse would round, such as 12345678901234567890).
 */
export function mergeBibliography(existing: string | undefined, items: CslItem[]): MergeResult {
  // A byte order mark (some Windows editors write one) stays where it is.
  if (existing?.startsWith('\uFEFF')) {
    const merged = mergeBibliography(existing.slice(1), items);
    return merged.ok ? { ...merged, text: `\uFEFF${merged.text}` } : merged;
  }
  let entries: unknown[] = [];
  const blank = existing === undefined || existing.trim() === '';
  if (!blank) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing as string);
    } catch (e) {
      return { ok: false, error: `the bibliography is not valid JSON (${(e as Error).message}); it was left unchanged` };
    }
    if (!Array.isArray(parsed)) return { ok: false, error: 'the bibliography is not a CSL-JSON array; it was left unchanged' };
    // (pandoc refuses such a file whatever is added to it.)
    const stray = parsed.findIndex((e) => e === null || typeof e !== 'object' || Array.isArray(e));
    if (stray !== -1) return { ok: false, error: `entry ${stray + 1} of the bibliography is not a CSL-JSON item (an object); it was left unchanged` };
    entries = parsed;
  }
  const added: string[] = [];
  const updated: string[] = [];
  /** Per entry index, the fields to add to it. */
  const fill = new Map<number, Array<[string, CslValue]>>();
  const appended: CslItem[] = [];
  for (const item of items) {
    const at = entries.findIndex((e) => !!e && typeof e === 'object' && (e as { id?: unknown }).id === item.id);
    if (at === -1) {
      entries.push(item);
      appended.push(item);
      added.push(item.id);
      continue;
    }
    const entry = entries[at] as Record<string, CslValue>;
    const missing = Object.entries(item).filter(([k]) => !Object.prototype.hasOwnProperty.call(entry, k));
    if (missing.length === 0) continue;
    for (const [k, v] of missing) entry[k] = v;
    fill.set(at, [...(fill.get(at) ?? []), ...missing]);
    updated.push(item.id);
  }
  const changed = added.length > 0 || updated.length > 0 || blank;
  if (!changed) return { ok: true, text: existing as string, added, updated, changed };
  try {
    const text = blank ? `${JSON.stringify(entries, null, 2)}\n` : editInPlace(existing as string, fill, appended);
    return { ok: true, text, added, updated, changed };
  } catch (e) {
    // (JSON.parse reads arrays nested a million deep; JSON.stringify and the tree gave up on far fewer.)
    return { ok: false, error: `the bibliography cannot be written back (${(e as Error).message}: an entry nested too deeply); it was left unchanged` };
  }
}

/** `text` (a JSON array) with the fields of `fill` added to its entries and `appended` after its last entry. */
function editInPlace(text: string, fill: Map<number, Array<[string, CslValue]>>, appended: CslItem[]): string {
  const tree = parseTree(text);
  if (!tree || tree.type !== 'array') throw new Error('not an array');
  const elements = tree.children ?? [];
  const edits: Array<{ at: number; insert: string }> = [];
  const unit = indentUnit(text, elements);
  // (The file's line ends: a file written on Windows keeps CR LF throughout.)
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = (json: string, indent: string): string => json.split('\n').join(`${eol}${indent}`);
  for (const [index, fields] of fill) {
    const entry = elements[index];
    const props = entry.children ?? [];
    const last = props[props.length - 1];
    // After the last field, on a line of its own as the fields are, or on the same line.
    const indent = last ? lineIndent(text, last.offset) : undefined;
    const sep = indent === undefined ? ' ' : `${eol}${indent}`;
    const parts = fields.map(([k, v]) => `${JSON.stringify(k)}: ${indented(JSON.stringify(v, null, indent === undefined ? undefined : unit), indent ?? '')}`);
    if (last) edits.push({ at: last.offset + last.length, insert: parts.map((p) => `,${sep}${p}`).join('') });
    else edits.push({ at: entry.offset + 1, insert: parts.join(', ') });
  }
  if (appended.length > 0) {
    const lastEntry = elements[elements.length - 1];
    if (lastEntry) {
      const indent = lineIndent(text, lastEntry.offset);
      const sep = indent === undefined ? ' ' : `${eol}${indent}`;
      edits.push({
        at: lastEntry.offset + lastEntry.length,
        insert: appended.map((item) => `,${sep}${indented(JSON.stringify(item, null, indent === undefined ? undefined : unit), indent ?? '')}`).join(''),
      });
    } else {
      // An empty array: the entries inside it, as a new file has them.
      edits.push({ at: tree.offset + 1, insert: JSON.stringify(appended, null, 2).slice(1, -1).split('\n').join(eol) });
    }
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.at);
  return out;
}

/**
 * The indentation before `offset` when nothing but white space precedes it on its line (the
 * value starts a line of its own); undefined otherwise.
 */
function lineIndent(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** One level of indentation in the file: that of its entries, else two spaces. */
function indentUnit(text: string, elements: readonly JsonNode[]): string {
  for (const e of elements) {
    const indent = lineIndent(text, e.offset);
    if (indent) return indent;
  }
  return '  ';
}

