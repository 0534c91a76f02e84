// Dates relative to a cited source's own date (the relative-date rule): "two weeks ago" in a
// source dated July 16, 2012 is July 2, 2012, but the same words in a memo count from the memo's
// date, or from whenever it is read. Such a phrase, in a sentence that cites a dated source, is
// read from the source's date (as the source's own sentences are) and written out with it.
import { extractDates, monthName, readArticleDate } from '../extract/dates';
import type { Draft } from '../draftTypes';
import { isoDate } from '../source';
import type { DateMention } from '../types';

/**
 * A word that every phrase extractDates reads as relative has ("ago", "yesterday", "last year"…):
 * most sentences have none and are not tokenized again.
 */
const RELATIVE_CUE = /\b(?:ago|yesterday|today|tomorrow|(?:last|this|next)\s+(?:year|month|week))\b/i;

/** Words before a date that take it without "in" or "on" ("since 2011", "by June 2012"). */
const PREPOSITION = /\b(?:in|on|at|since|until|till|by|from|during|of|for|before|after|through|throughout|to|between|around)\s+$/i;

/** "The last year", "this past week": a span of time up to the writer's present, not a calendar year; left alone. */
const ARTICLE = /\b(?:the|this|that|past)\s+$/i;

/** Whether `text` may hold a phrase relativeDates reads (false: it holds none). */
export function mayHoldRelativeDate(text: string): boolean {
  return RELATIVE_CUE.test(text);
}

/**
 * The memo's date, from its front matter's `date:` (as a source's is read), or undefined: a
 * relative date in the memo counts from it.
 */
export function memoDateOf(draft: Draft): string | undefined {
  const value = draft.frontMatter?.data.date;
  return value === undefined ? undefined : isoDate(value);
}

export interface RelativeDate {
  /** Offsets into the sentence text given. */
  start: number;
  end: number;
  /** The phrase as the sentence has it. */
  text: string;
  /** The date it stands for from the source's date: "July 2, 2012", "June 2012", "2011". */
  date: string;
  /** The phrase written with the source's date, to put in its place; undefined when there is no good wording. */
  replacement: string | undefined;
}

/** A date as written in English prose: "July 16, 2012", "July 2012", "2012". */
export function writtenDate(d: { year: number; month?: number; day?: number }): string {
  if (d.month === undefined) return String(d.year);
  return d.day === undefined ? `${monthName(d.month)} ${d.year}` : `${monthName(d.month)} ${d.day}, ${d.year}`;
}

/** `articleDate` (YYYY-MM-DD, YYYY-MM or YYYY) written out, or undefined when it is no such date. */
export function writtenArticleDate(articleDate: string | undefined): string | undefined {
  const d = readArticleDate(articleDate);
  return d && writtenDate(d);
}

/**
 * The phrases of `text` (a memo sentence, its markup masked) that are dates relative to the
 * writer's present, read from `articleDate` (a cited source's date, YYYY-MM-DD or less precise).
 */
export function relativeDates(text: string, articleDate: string): RelativeDate[] {
  if (!RELATIVE_CUE.test(text)) return [];
  const anchor = writtenArticleDate(articleDate);
  if (anchor === undefined) return [];
  const out: RelativeDate[] = [];
  for (const d of extractDates(text, articleDate)) {
    if (!d.relative) continue;
    const before = text.slice(Math.max(0, d.start - 20), d.start);
    if (ARTICLE.test(before)) continue;
    out.push({ start: d.start, end: d.end, text: d.text, date: writtenDate(d), replacement: replacementOf(d, anchor, PREPOSITION.test(before)) });
  }
  return out;
}

/**
 * The phrase with the source's date: "two weeks ago" → "two weeks before July 16, 2012" (exact,
 * whatever the precision of the source's date), "yesterday" → "on July 15, 2012", "today" → "as
 * of July 16, 2012", "last year" →
 * "in 2011", "next month" → "in August 2012"; after a preposition without "in"/"on" ("since
 * 2011"). The first letter keeps its case.
 */
function replacementOf(d: DateMention, anchor: string, afterPreposition: boolean): string | undefined {
  const words = d.text.split(/\s+/);
  const first = words[0].toLowerCase();
  // (The count keeps its words and case: only "ago" changes.)
  if (words.length > 1 && words[words.length - 1].toLowerCase() === 'ago') return `${words.slice(0, -1).join(' ')} before ${anchor}`;
  let out: string | undefined;
  if (first === 'yesterday' || first === 'today' || first === 'tomorrow') {
    // (Without a day in the source's date, "yesterday" is only its year. "Today" is mostly "these
    // days", "Russia today remains…": what held as of the source's date.)
    out = d.day === undefined ? undefined : afterPreposition ? writtenDate(d) : `${first === 'today' ? 'as of' : 'on'} ${writtenDate(d)}`;
  } else if (words.length === 2) {
    const unit = words[1].toLowerCase();
    if (unit === 'week') out = `the week ${first === 'last' ? 'before' : first === 'next' ? 'after' : 'of'} ${anchor}`;
    else out = `${afterPreposition ? '' : 'in '}${writtenDate(d)}`;
  }
  if (out === undefined) return undefined;
  return /^[A-Z]/.test(d.text) ? out.charAt(0).toUpperCase() + out.slice(1) : out;
}
