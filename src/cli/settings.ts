// The workspace settings the CLI shares with the extension: `policyCite.rules`,
// `policyCite.paragraphCitations`, `policyCite.sources`, `policyCite.exclude` and
// `policyCite.bibliography` from the nearest
// `.vscode/settings.json`, so that CI checks a memo as the analyst's editor does. The file is
// JSON with comments and trailing commas, as VS Code writes it; one that cannot be read is a
// warning, never a failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, stripComments, type ParseError } from 'jsonc-parser';
import { rulesFromSetting, type RuleSettings } from '../core/check/rules';
import { readGlobSetting } from '../core/glob';
import { withoutBom } from '../core/text';

export const SETTINGS_FILE = path.join('.vscode', 'settings.json');
/** A settings file larger than this is not read (VS Code's own are a few kilobytes). */
const MAX_SETTINGS_BYTES = 1024 * 1024;

export interface WorkspaceSettings {
  rules: RuleSettings;
  paragraphCitations?: boolean;
  /** `policyCite.sources`: a glob relative to the workspace folder (the settings file's `..`). */
  sources?: string;
  /** `policyCite.exclude`: a glob relative to the workspace folder (the settings file's `..`). */
  exclude?: string;
  /** `policyCite.bibliography`: the memo's bibliography when its front matter names none (relative to the memo). */
  bibliography?: string;
  /** What was wrong in the file, one line each (the rest of it still applies). */
  warnings: string[];
}

/**
 * The nearest `.vscode/settings.json` from `dir` upwards: in `dir` or a parent, but not above a
 * folder holding `.git` (a repository's settings do not come from outside it).
 */
export function findSettingsFile(dir: string): string | undefined {
  let at = path.resolve(dir);
  for (;;) {
    const candidate = path.join(at, SETTINGS_FILE);
    if (isFile(candidate)) return candidate;
    const parent = path.dirname(at);
    if (parent === at || fs.existsSync(path.join(at, '.git'))) return undefined;
    at = parent;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A settings file, read, with the workspace folder that holds its `.vscode/`. */
export interface FoundSettings {
  file: string;
  /** The workspace folder: the glob settings (policyCite.sources, policyCite.exclude) are relative to it. */
  workspace: string;
  settings: WorkspaceSettings;
}

/** Reads `file` (found by findSettingsFile) and writes its warnings, named relative to `cwd`. */
export function readWorkspaceSettings(file: string, cwd: string, stderr: NodeJS.WritableStream): FoundSettings {
  const settings = readSettingsFile(file, path.relative(cwd, file) || file);
  for (const w of settings.warnings) stderr.write(`policy-cite: warning: ${w}\n`);
  return { file, workspace: path.dirname(path.dirname(file)), settings };
}

/**
 * Reads the policy-cite settings of a settings file (VS Code's flat keys, "policyCite.rules");
 * warnings name it `label`.
 */
export function readSettingsFile(file: string, label = file): WorkspaceSettings {
  const settings: WorkspaceSettings = { rules: {}, warnings: [] };
  const warn = (message: string): WorkspaceSettings => {
    settings.warnings.push(`${label}: ${message}`);
    return settings;
  };
  let bytes: Buffer;
  try {
    if (fs.statSync(file).size > MAX_SETTINGS_BYTES) return warn(`larger than ${MAX_SETTINGS_BYTES / 1024 / 1024} MB; not read`);
    bytes = fs.readFileSync(file);
  } catch (e) {
    return warn(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (bytes.includes(0)) return warn('not a text file; not read');
  const text = withoutBom(bytes.toString('utf8'));
  // An empty file, or one of comments only, sets nothing (as in VS Code).
  if (stripComments(text).trim() === '') return settings;
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const [first] = errors;
    const before = text.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    // VS Code still reads what it can of a file with errors; so does this, but says so.
    warn(`${printParseErrorCode(first.error)} at line ${line}, column ${column}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}; read what could be`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return warn('not an object of settings; not read');
  }
  const record = value as Record<string, unknown>;
  if ('policyCite.rules' in record) {
    const { rules, ignored } = rulesFromSetting(record['policyCite.rules']);
    settings.rules = rules;
    for (const why of ignored) warn(`policyCite.rules: ${why}; ignored`);
  }
  // (Empty or blank, they leave the default in place, as the extension reads them.)
  for (const name of ['sources', 'exclude'] as const) {
    const { glob, problem } = readGlobSetting(record[`policyCite.${name}`]);
    if (glob !== undefined) settings[name] = glob;
    if (problem) warn(`policyCite.${name}: ${problem}; ignored`);
  }
  if ('policyCite.bibliography' in record) {
    const v = record['policyCite.bibliography'];
    if (typeof v === 'string' && v.trim() !== '') settings.bibliography = v.trim();
    else if (v !== null) warn('policyCite.bibliography: not a file name; ignored');
  }
  if ('policyCite.paragraphCitations' in record) {
    const v = record['policyCite.paragraphCitations'];
    if (typeof v === 'boolean') settings.paragraphCitations = v;
    else warn('policyCite.paragraphCitations: not true or false; ignored');
  }
  return settings;
}
