// Glob patterns as `vscode.workspace.findFiles` reads them (`**`, `*`, `?`, `{a,b}`, `[a-z]`,
// `[!a]`), matched against '/'-separated paths relative to a workspace folder. Used where VS Code
// cannot search (a virtual workspace without a file search provider), by the check memos task,
// and by the CLI for `policyCite.exclude` when it checks a folder.

/** The memo files of a workspace folder: what references, the check memos task and `policy-cite check <folder>` look at. */
export const MEMO_FILES = '**/*.{md,markdown,qmd}';

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * A glob setting (`policyCite.sources`, `policyCite.exclude`) as the extension and the CLI both
 * read it: a string that is not blank is the glob; an empty or blank string, or none, leaves the
 * default in place; anything else (VS Code's settings editor flags it, but the value still reaches
 * the extension) is not used either, and `problem` says why.
 */
export function readGlobSetting(value: unknown): { glob?: string; problem?: string } {
  if (typeof value === 'string') return value.trim() === '' ? {} : { glob: value };
  return value === undefined || value === null ? {} : { problem: 'not a glob string' };
}

/** The regular expression for a whole relative path matching `glob`. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${convert(glob)}$`);
}

/** The folders at the start of `glob` that hold no pattern: where a walk for it can begin. */
export function literalPrefix(glob: string): string[] {
  const segments = glob.split('/');
  segments.pop(); // the last segment names files, even when literal
  const prefix: string[] = [];
  for (const segment of segments) {
    if (GLOB_CHARS.test(segment) || segment === '' || segment === '.' || segment === '..') break;
    prefix.push(segment);
  }
  return prefix;
}

function escapeChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** The index of the `}` closing the `{` at `open`, or -1. */
function closingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Splits a brace body at its top-level commas. */
function alternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '{') depth++;
    else if (body[i] === '}') depth--;
    else if (body[i] === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function convert(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      let end = i;
      while (glob[end + 1] === '*') end++;
      const wholeSegment = end > i && (i === 0 || glob[i - 1] === '/') && (end + 1 === glob.length || glob[end + 1] === '/');
      if (wholeSegment && glob[end + 1] === '/') {
        out += '(?:.*/)?'; // `**/`: any number of folders, none included
        end++;
      } else {
        out += wholeSegment ? '.*' : '[^/]*';
      }
      i = end;
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body[0] === '!' || body[0] === '^';
      if (negated) body = body.slice(1);
      out += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else if (ch === '{') {
      const close = closingBrace(glob, i);
      if (close < 0) {
        out += '\\{';
        continue;
      }
      out += `(?:${alternatives(glob.slice(i + 1, close)).map(convert).join('|')})`;
      i = close;
    } else {
      out += escapeChar(ch);
    }
  }
  return out;
}
