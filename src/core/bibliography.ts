// CSL-JSON for indexed sources, and a merge into an existing bibliography file that keeps what the
// user wrote: unknown entries and unknown fields stay as they were; an invalid file is not touched.
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
 */
export function mergeBibliography(existing: string | undefined, items: CslItem[]): MergeResult {
  let entries: unknown[] = [];
  if (existing !== undefined && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (e) {
      return { ok: false, error: `the bibliography is not valid JSON (${(e as Error).message}); it was left unchanged` };
    }
    if (!Array.isArray(parsed)) return { ok: false, error: 'the bibliography is not a CSL-JSON array; it was left unchanged' };
    entries = parsed;
  }
  const added: string[] = [];
  const updated: string[] = [];
  for (const item of items) {
    const at = entries.findIndex((e) => !!e && typeof e === 'object' && (e as { id?: unknown }).id === item.id);
    if (at === -1) {
      entries.push(item);
      added.push(item.id);
      continue;
    }
    const entry = entries[at] as Record<string, CslValue>;
    let touched = false;
    for (const [k, v] of Object.entries(item)) {
      if (!(k in entry)) {
        entry[k] = v;
        touched = true;
      }
    }
    if (touched) updated.push(item.id);
  }
  const changed = added.length > 0 || updated.length > 0 || existing === undefined || existing.trim() === '';
  let text = existing as string;
  if (changed) {
    try {
      text = `${JSON.stringify(entries, null, 2)}\n`;
    } catch (e) {
      // (JSON.parse reads arrays nested a million deep; JSON.stringify gives up on far fewer.)
      return { ok: false, error: `the bibliography cannot be written back (${(e as Error).message}: an entry nested too deeply); it was left unchanged` };
    }
  }
  return { ok: true, text, added, updated, changed };
}
