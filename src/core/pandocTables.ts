// Pandoc's own table syntaxes in sources: simple, multiline and grid tables, which Pandoc writes
// when it converts a Word report or a web page to Markdown (`pandoc report.docx -o report.md`).
// CommonMark has none of them: read as prose, a simple table's dash line was taken for a
// thematic break or a heading underline (its last row dropped as a heading), and a grid table was
// one claim of pipes and pluses. A table found here is one block whose rows are read as claims of
// their own, cell by cell, as a pipe table's are.
//
// Every scan is over lines and characters, with no regex: linear in the table's size.
import { isBlankCode, lineAt, type Line } from './text';
import type { Span } from './types';

/** How a table's lines hold its cells. */
export type TableShape =
  /** Grid table: `|` between cells, `+---+` lines between rows. */
  | { kind: 'grid' }
  /**
   * Simple or multiline table: columns where the dash line's runs start (`cuts`, offsets from the
   * line's start, after the first column); in a multiline table (`multiline`) a row is the lines
   * up to a blank line, else each line.
   */
  | { kind: 'columns'; cuts: number[]; multiline: boolean };

/** A table's extent in the text (`end` is its last line's end, `next` the offset after that line) and shape. */
export interface FoundTable {
  end: number;
  next: number;
  shape: TableShape;
}

/** A piece of a table's text that is read: a cell; `unit` when it starts a row. */
export interface TablePiece extends Span {
  unit: boolean;
}

function isBlank(text: string, line: Line): boolean {
  for (let i = line.start; i < line.end; i++) if (!isBlankCode(text.charCodeAt(i))) return false;
  return true;
}

/** The runs of dashes of a line made only of dashes and blanks, as offsets from its start; undefined for any other line or a run shorter than 3. */
function dashRuns(text: string, line: Line): Array<[number, number]> | undefined {
  const runs: Array<[number, number]> = [];
  for (let i = line.start; i < line.end; ) {
    const c = text.charCodeAt(i);
    if (isBlankCode(c)) {
      i++;
      continue;
    }
    if (c !== 0x2d /* - */) return undefined;
    const from = i;
    while (i < line.end && text.charCodeAt(i) === 0x2d) i++;
    if (i - from < 3) return undefined;
    runs.push([from - line.start, i - line.start]);
  }
  return runs.length ? runs : undefined;
}

/** A grid table's border line: `+`, then runs of `-`, `=` or `:` each closed by `+`, blanks around. */
function isGridBorder(text: string, line: Line): boolean {
  let i = line.start;
  let e = line.end;
  while (i < e && isBlankCode(text.charCodeAt(i))) i++;
  while (e > i && isBlankCode(text.charCodeAt(e - 1))) e--;
  if (e - i < 3 || text.charCodeAt(i) !== 0x2b /* + */ || text.charCodeAt(e - 1) !== 0x2b) return false;
  let dash = false;
  for (let k = i + 1; k < e - 1; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x2d || c === 0x3d) dash = true;
    else if (c !== 0x2b && c !== 0x3a) return false;
  }
  return dash;
}

function firstNonBlank(text: string, line: Line): number {
  let i = line.start;
  while (i < line.end && isBlankCode(text.charCodeAt(i))) i++;
  return i < line.end ? text.charCodeAt(i) : -1;
}

const MAX_TABLE_LINES = 2000;

/**
 * The Pandoc table that starts with the line at `at` and ends at a blank line (or the end of the
 * text), or undefined: a grid table, a multiline table (a dash line of one run, header lines, a
 * dash line of columns, rows that blank lines separate, a dash line of one run), or a headerless
 * simple table (a dash line of columns, rows, a dash line). With `header` (the offset of a block's
 * only line so far), the line at `at` must be the dash line under that header: a simple table.
 */
export function pandocTableAt(text: string, at: number, header?: number): FoundTable | undefined {
  const first = lineAt(text, at);
  if (header !== undefined) {
    const runs = dashRuns(text, first);
    if (!runs || runs.length < 2) return undefined;
    // Rows up to a blank line or the end.
    let last = first;
    for (let line = lineAt(text, first.next); line.start < text.length && !isBlank(text, line); line = lineAt(text, line.next)) last = line;
    if (last === first) return undefined;
    return { end: last.end, next: last.next, shape: { kind: 'columns', cuts: cutsOf(runs), multiline: false } };
  }
  if (isGridBorder(text, first)) {
    let last = first;
    let rows = 0;
    for (let line = lineAt(text, first.next), n = 0; line.start < text.length && n < MAX_TABLE_LINES; line = lineAt(text, line.next), n++) {
      const c = firstNonBlank(text, line);
      if (c === 0x7c /* | */) rows++;
      else if (!(c === 0x2b && isGridBorder(text, line))) break;
      last = line;
    }
    return rows > 0 && isGridBorder(text, last) ? { end: last.end, next: last.next, shape: { kind: 'grid' } } : undefined;
  }
  const runs = dashRuns(text, first);
  if (!runs) return undefined;
  // The dash line of columns: the first line (headerless), or the one under the header lines.
  let columns = runs.length >= 2 ? runs : undefined;
  let multiline = false;
  let rows = 0;
  let blankBefore = false;
  for (let line = lineAt(text, first.next), n = 0; line.start < text.length && n < MAX_TABLE_LINES; line = lineAt(text, line.next), n++) {
    if (isBlank(text, line)) {
      // Two blank lines, or one before the dash line of columns, end no table.
      if (blankBefore || !columns) return undefined;
      blankBefore = true;
      multiline = true;
      continue;
    }
    blankBefore = false;
    const dashes = dashRuns(text, line);
    if (!dashes) {
      rows++;
      continue;
    }
    if (!columns) {
      // Under the header lines of a multiline table.
      if (dashes.length < 2 || rows === 0) return undefined;
      columns = dashes;
      rows = 0;
      continue;
    }
    // The closing dash line, then a blank line or the end.
    const after = lineAt(text, line.next);
    if (rows === 0 || !(after.start >= text.length || isBlank(text, after))) return undefined;
    return { end: line.end, next: line.next, shape: { kind: 'columns', cuts: cutsOf(columns), multiline: multiline || runs.length === 1 } };
  }
  return undefined;
}

function cutsOf(runs: Array<[number, number]>): number[] {
  return runs.slice(1).map(([from]) => from);
}

/**
 * The cells of a table block (from `start` to `end`) that pandocTableAt found, each trimmed, the
 * first of each row marked; border and dash lines are left out.
 */
export function tablePieces(text: string, start: number, end: number, shape: TableShape): TablePiece[] {
  const pieces: TablePiece[] = [];
  let rowStarts = true;
  const push = (from: number, to: number): void => {
    while (from < to && isBlankCode(text.charCodeAt(from))) from++;
    while (to > from && isBlankCode(text.charCodeAt(to - 1))) to--;
    if (to <= from) return;
    pieces.push({ start: from, end: to, unit: rowStarts });
    rowStarts = false;
  };
  for (let line = lineAt(text, start); line.start < end; line = lineAt(text, line.next)) {
    const to = Math.min(line.end, end);
    const stop: Line = { ...line, end: to };
    if (shape.kind === 'grid') {
      if (firstNonBlank(text, stop) !== 0x7c) {
        rowStarts = true;
        continue;
      }
      // Cells between pipes; the first pipe opens the row, the last closes it.
      let from = text.indexOf('|', line.start) + 1;
      for (let i = from; i < to; i++) {
        if (text.charCodeAt(i) !== 0x7c || text.charCodeAt(i - 1) === 0x5c /* \| */) continue;
        push(from, i);
        from = i + 1;
      }
      push(from, to);
      continue;
    }
    if (isBlank(text, stop) || dashRuns(text, stop)) {
      rowStarts = true;
      continue;
    }
    if (!shape.multiline) rowStarts = true;
    let from = line.start;
    for (const cut of shape.cuts) {
      let at = Math.min(line.start + cut, to);
      // A word that runs over the column's start (right-aligned text wider than its dashes) is
      // cut before it, not inside it.
      while (at > from && at < to && !isBlankCode(text.charCodeAt(at - 1)) && !isBlankCode(text.charCodeAt(at))) at--;
      if (at <= from) continue;
      push(from, at);
      from = at;
    }
    push(from, to);
  }
  return pieces;
}
