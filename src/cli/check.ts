// `policy-cite check` and `policy-cite bib`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cslItemFor, mergeBibliography } from '../core/bibliography';
import { bibliographyKeys, MAX_BIBLIOGRAPHY_BYTES } from '../core/bibliographyKeys';
import { type BibliographyProblem, checkDraft, SentenceCache, type CheckOptions } from '../core/check/checkDraft';
import { hash64, MAX_CHECK_STORE_BYTES } from '../core/check/checkStore';
import { RULES, ruleDocsUrl } from '../core/check/rules';
import { TextReport } from '../core/check/textReport';
import { parseDraft } from '../core/draft';
import type { Draft } from '../core/draftTypes';
import {
  MAX_PROJECT_DEPTH,
  MAX_QUARTO_PROJECT_BYTES,
  memoBibliography,
  mergeBibliographies,
  metadataLevels,
  projectBibliographyForMemo,
  type ProjectBibliography,
  QUARTO_METADATA_FILES,
  QUARTO_PROJECT_FILES,
  readProjectBibliography,
} from '../core/quartoProject';
import { isDynamicPattern, MEMO_FILES } from '../core/glob';
import { decodeMemo } from '../core/loader';
import { LineIndex } from '../core/positions';
import type { Finding } from '../core/types';
import { loadFromArgs, loadFromSetting, registerCommand, requireFormat, type CommandContext } from './commands';
import { findSettingsFile, readWorkspaceSettings, type FoundSettings } from './settings';
import { DEFAULT_IGNORE, DEFAULT_SOURCES, excludedBy, globFiles, resolveSourcePaths, UsageError, type LoadedSources, type SourceNote } from './sources';
import { writeFileAtomic } from './writeFile';

interface FileFindings {
  file: string;
  text: string;
  findings: Finding[];
  factual: number;
  sourced: number;
}

/** A memo `check` could not check (unreadable, binary, no sources folder), as the user named it. */
export interface UncheckedFile {
  file: string;
  reason: string;
}

/** The folder holding `sources/`, searched from the memo's folder upwards. */
export function findWorkspaceRoot(memo: string): string | undefined {
  let dir = path.dirname(path.resolve(memo));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'sources')) && fs.statSync(path.join(dir, 'sources')).isDirectory()) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A memo `check` is to read: as the user named it, or found in a folder the user named. */
export interface MemoPath {
  path: string;
  /** Found in a folder: skipped, not checked, when it is one of the sources. */
  inFolder: boolean;
}

/**
 * The memos `check` is given: each argument as a path; a folder, the memos in it (MEMO_FILES,
 * node_modules aside); a glob that names no file, the files it matches (sorted, relative to
 * `cwd`). Shells expand globs before the CLI sees them, but cmd.exe, PowerShell and a VS Code
 * process task do not.
 */
export function memoPaths(args: string[], cwd: string): MemoPath[] {
  const memos: MemoPath[] = [];
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    if (isDirectory(abs)) {
      const found = globFiles(MEMO_FILES, abs, false, DEFAULT_IGNORE).sort();
      if (found.length === 0) throw new UsageError(`no memo (*.md, *.markdown, *.qmd) in the folder ${arg}`);
      memos.push(...found.map((f) => ({ path: path.join(arg, f), inFolder: true })));
      continue;
    }
    if (!isDynamicPattern(arg) || fs.existsSync(abs)) {
      memos.push({ path: arg, inFolder: false });
      continue;
    }
    const found = globFiles(arg, cwd, false).sort();
    if (found.length === 0) throw new UsageError(`no memo matches ${arg}`);
    memos.push(...found.map((f) => ({ path: f, inFolder: false })));
  }
  return memos;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The sources a memo is checked against: `patterns` relative to `cwd`, `key` naming the set. */
interface SourcesPlan {
  key: string;
  cwd: string;
  patterns: string[];
  exclude?: string;
  /** The settings file whose policyCite.sources `patterns` is. */
  settingsFile?: string;
}

/** A memo's workspace settings. */
interface MemoSettings extends FoundSettings {
  /** policyCite.exclude of the settings, relative to the workspace folder. */
  excluded: (file: string) => boolean;
}

/** Why a memo cannot be checked (its path is the caller's to add). */
class UncheckableMemo extends Error {}

function readMemo(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new UncheckableMemo((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  const decoded = decodeMemo(bytes);
  if (!decoded.ok) throw new UncheckableMemo(decoded.reason);
  return decoded.text;
}

async function checkCommand(ctx: CommandContext): Promise<number> {
  requireFormat(ctx, ['text', 'json', 'sarif', 'github']);
  if (ctx.args.length === 0) throw new UsageError('check needs the memos to check: files, folders or globs (policy-cite check . checks every memo of this folder)');
  const loadedByRoot = new Map<string, LoadedSources>();
  // The workspace settings of a memo: the nearest .vscode/settings.json (none with
  // --no-settings), each read (and its warnings written) once, and the workspace folder holding it.
  const settingsByFile = new Map<string, MemoSettings>();
  const settingsOf = (file: string): MemoSettings | undefined => {
    const settingsFile = ctx.settings === false ? undefined : findSettingsFile(path.dirname(file));
    if (!settingsFile) return undefined;
    let found = settingsByFile.get(settingsFile);
    if (!found) {
      const read = readWorkspaceSettings(settingsFile, ctx.cwd, ctx.stderr);
      found = { ...read, excluded: excludedBy(read.settings.exclude, read.workspace) };
      settingsByFile.set(settingsFile, found);
    }
    return found;
  };
  // Where a memo's sources are: --sources; else the workspace's policyCite.sources, relative to
  // the folder of the .vscode/settings.json that sets it (as the extension reads it); else the
  // sources/ folder found from the memo's folder upwards. policyCite.exclude leaves files out of
  // the last two, as in the extension.
  const sourcesOf = (file: string, local: MemoSettings | undefined): SourcesPlan => {
    if (ctx.sources.length) return { key: '', cwd: ctx.cwd, patterns: ctx.sources };
    const sources = local?.settings.sources;
    if (local && sources) return { key: `${local.workspace}\0${sources}`, cwd: local.workspace, patterns: [sources], exclude: local.settings.exclude, settingsFile: local.file };
    const found = findWorkspaceRoot(file);
    if (!found) throw new UncheckableMemo('no sources/ folder found from its folder upwards; pass --sources');
    return { key: found, cwd: found, patterns: [DEFAULT_SOURCES], exclude: found === local?.workspace ? local.settings.exclude : undefined };
  };
  // The source files of each set of sources: a folder named to check may hold them, and they are
  // not memos.
  const sourceFilesByKey = new Map<string, Set<string>>();
  const sourceFilesOf = (plan: SourcesPlan): Set<string> => {
    let files = sourceFilesByKey.get(plan.key);
    if (!files) {
      files = new Set(resolveSourcePaths(plan.patterns, plan.cwd, plan.exclude));
      sourceFilesByKey.set(plan.key, files);
    }
    return files;
  };
  const bibliographies = new BibliographyFiles(ctx.stderr, ctx.cwd);
  const results: FileFindings[] = [];
  // A memo that cannot be checked is reported and the others are still checked (one binary file
  // among a glob's matches must not hide every finding); the exit code is then 2.
  const unchecked: UncheckedFile[] = [];
  /** Files found in a folder that are sources or excluded: not memos. */
  const skipped: string[] = [];
  /** The warnings about source files of every set of sources loaded, for annotations. */
  const sourceNotes: SourceNote[] = [];
  for (const memo of memoPaths(ctx.args, ctx.cwd)) {
    const file = path.resolve(ctx.cwd, memo.path);
    const shown = path.relative(ctx.cwd, file) || file;
    const local = settingsOf(file);
    let text: string;
    let plan: SourcesPlan;
    try {
      plan = sourcesOf(file, local);
      // A memo found in a folder is left out when it is a source, or when the workspace's
      // policyCite.exclude excludes it (as in the editor's "check memos" task).
      if (memo.inFolder && (sourceFilesOf(plan).has(file) || local?.excluded(file))) {
        skipped.push(shown);
        continue;
      }
      text = readMemo(file);
    } catch (e) {
      if (!(e instanceof UncheckableMemo)) throw e;
      ctx.stderr.write(`policy-cite: ${shown}: ${e.message}; not checked\n`);
      unchecked.push({ file: shown, reason: e.message });
      continue;
    }
    let loaded = loadedByRoot.get(plan.key);
    if (!loaded) {
      const at = { ...ctx, cwd: plan.cwd };
      loaded = plan.settingsFile ? await loadFromSetting(at, plan.patterns[0], plan.exclude, plan.settingsFile) : await loadFromArgs(at, plan.patterns, plan.exclude);
      loadedByRoot.set(plan.key, loaded);
      // (Its paths are relative to the sources' folder; the memos' to the current one.)
      const from = plan.cwd;
      for (const n of loaded.notes) sourceNotes.push({ paths: n.paths.map((p) => path.relative(ctx.cwd, path.resolve(from, p)) || p), message: n.message });
    }
    const settings = local?.settings;
    const draft = parseDraft(text);
    const options: CheckOptions = {
      // The command line over the workspace settings, rule by rule.
      paragraphCitations: ctx.paragraphCitations || (settings?.paragraphCitations ?? false),
      rules: { ...settings?.rules, ...ctx.rules },
      ...bibliographies.keysOf(file, shown, draft, settings?.bibliography),
    };
    // With --cache, the memo's sentences checked in an earlier run against the same sources and
    // options are not checked again (see checkStore.ts).
    const storeFile = ctx.cache ? path.join(ctx.cache, `checks-${hash64(file)}.json`) : undefined;
    const cache = storeFile ? restoreChecks(storeFile, loaded, options, ctx.stderr) : undefined;
    let result = checkDraft(draft, loaded.index, options, cache);
    // A source whose parse in the --cache folder turned out unreadable read as having no claims
    // and no paragraphs: it is parsed again, and the memo checked again against it.
    const repaired = loaded.repair();
    if (repaired.length > 0) {
      for (const w of repaired) ctx.stderr.write(`policy-cite: warning: ${w}\n`);
      result = checkDraft(draft, loaded.index, options, cache);
    }
    if (storeFile && cache && cache.checkedSentences > 0) storeChecks(storeFile, cache, loaded, options, ctx.stderr);
    results.push({ file: shown, text, findings: result.findings, factual: result.stats.factual, sourced: result.stats.sourced });
  }
  // (A folder of sources alone, `policy-cite check sources`, would pass a CI job having checked nothing.)
  if (results.length === 0 && unchecked.length === 0 && skipped.length > 0) {
    throw new UsageError(`no memo to check: the files found (${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}) are sources${settingsByFile.size ? ' or excluded by policyCite.exclude' : ''}`);
  }
  const hasError = results.some((r) => r.findings.some((f) => f.severity === 'error'));
  if (ctx.format === 'json') ctx.stdout.write(`${JSON.stringify(jsonReport(results, unchecked, sourceNotes), null, 2)}\n`);
  else if (ctx.format === 'sarif') ctx.stdout.write(`${JSON.stringify(sarifReport(results, unchecked, sourceNotes), null, 2)}\n`);
  else if (ctx.format === 'github') githubReport(results, ctx.stdout, unchecked, sourceNotes);
  else textReport(results, ctx.stdout, unchecked);
  return unchecked.length ? 2 : hasError ? 1 : 0;
}

/**
 * The keys of the bibliography files memos name (front matter `bibliography:`, else
 * policyCite.bibliography, else references.json beside the memo; relative to the memo), each file
 * read once, whether they are the whole bibliography's (CheckOptions.bibliographyComplete: one
 * file at least was read, and none could not be), and the files the front matter names that are
 * not there or cannot be read (CheckOptions.bibliographyMissing, bibliographyUnreadable): findings
 * of the check at their names (missing-bibliography-file, unreadable-bibliography-file). One that
 * a Quarto project or the settings name is a warning instead, each once.
 */
class BibliographyFiles {
  /** A file's keys; `missing` when it is not there, why when it cannot be read. */
  private readonly byFile = new Map<string, ReadonlySet<string> | 'missing' | Unreadable>();
  /** A folder's Quarto project file and its bibliography (undefined: naming none), or `none`. */
  private readonly projects = new Map<string, QuartoFile | 'none'>();
  /** A folder's `_metadata.yml` and its bibliography, or `none`. */
  private readonly metadata = new Map<string, QuartoFile | 'none'>();
  /** The files a project names that are not there, and those that cannot be read and are no finding: each warned about once. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly stderr: NodeJS.WritableStream,
    private readonly cwd: string,
  ) {}

  keysOf(
    memo: string,
    shown: string,
    draft: Draft,
    configured: string | undefined,
  ): Pick<CheckOptions, 'bibliographyKeys' | 'bibliographyComplete' | 'bibliographyMissing' | 'bibliographyUnreadable'> {
    const project = this.projectOf(memo);
    const named = memoBibliography(draft, project?.bibliography);
    const names = named.length > 0 ? named : [configured ?? 'references.json'];
    const sets: ReadonlySet<string>[] = [];
    const missing: string[] = [];
    const problems: BibliographyProblem[] = [];
    let read = 0;
    let unreadable = 0;
    for (const name of names) {
      const file = path.resolve(path.dirname(memo), name);
      let keys = this.byFile.get(file);
      if (keys === undefined) this.byFile.set(file, (keys = this.read(file)));
      if (keys instanceof Unreadable) {
        unreadable++;
        // (One the front matter names is a finding at its name once the memo cites anything, as a missing one is.)
        if (draft.bibliography.includes(name) && draft.citations.length > 0) problems.push({ name, why: keys.why, pandocStops: keys.pandocStops });
        else if (!this.warned.has(file)) {
          this.warned.add(file);
          this.stderr.write(`policy-cite: warning: ${shown}: bibliography ${name}: ${keys.why}; citations of keys only it has are reported as unknown\n`);
        }
      } else if (keys === 'missing') {
        if (named.length > 0) missing.push(name);
        // (One the front matter names is a finding at its name; one the project names has no place in the memo.)
        const namedBy = draft.bibliography.includes(name) ? undefined : project?.layers.find((l) => l.names.includes(name))?.file;
        if (namedBy && !this.warned.has(file)) {
          this.warned.add(file);
          this.stderr.write(`policy-cite: warning: ${path.relative(this.cwd, namedBy) || namedBy}: bibliography ${path.relative(this.cwd, file) || file} does not exist: quarto render stops at it\n`);
        }
      } else {
        read++;
        if (keys.size > 0) sets.push(keys);
      }
    }
    const bibliographyComplete = read > 0 && unreadable === 0;
    const bibliographyKeys = sets.length <= 1 ? sets[0] : new Set(sets.flatMap((keys) => [...keys]));
    return { bibliographyKeys, bibliographyComplete, bibliographyMissing: missing, bibliographyUnreadable: problems };
  }

  /**
   * The Quarto project the memo is in (the `_quarto.yml` of the nearest folder above it that has
   * one): its bibliography merged with those of the folders' `_metadata.yml` between it and the
   * memo (see metadataLevels), relative to the memo, and each file that named some of it.
   */
  private projectOf(memo: string): { bibliography: ProjectBibliography | undefined; layers: Array<{ file: string; names: string[] }> } | undefined {
    const memoDir = path.dirname(memo);
    const dirs: string[] = [];
    for (let dir = memoDir; dirs.length < MAX_PROJECT_DEPTH; ) {
      dirs.push(dir);
      const project = cached(this.projects, dir, () => readQuartoFileIn(dir, QUARTO_PROJECT_FILES));
      if (project !== 'none') {
        const layers: Array<{ file: string; names: string[] }> = [];
        let bibliography: ProjectBibliography | undefined;
        for (const [level, found] of [[dirs.length - 1, project] as const, ...metadataLevels(dirs.length - 1).map((l) => [l, cached(this.metadata, dirs[l], () => readQuartoFileIn(dirs[l], QUARTO_METADATA_FILES))] as const)]) {
          if (found === 'none' || !found.bibliography) continue;
          const up = path.relative(memoDir, dirs[level]).split(path.sep).join('/');
          const layer = projectBibliographyForMemo(found.bibliography, up);
          layers.push({ file: found.file, names: layer.names });
          bibliography = mergeBibliographies(bibliography, layer);
        }
        return { bibliography, layers };
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return undefined;
  }

  private read(file: string): ReadonlySet<string> | 'missing' | Unreadable {
    let text: string;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) return new Unreadable('not a file', true);
      // (pandoc reads it; policy-cite does not, to keep its memory bounded.)
      if (stat.size > MAX_BIBLIOGRAPHY_BYTES) return new Unreadable(`larger than ${MAX_BIBLIOGRAPHY_BYTES / 1024 / 1024} MB, not read`, false);
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return 'missing';
      return new Unreadable(code ?? 'unreadable', true);
    }
    const read = bibliographyKeys(text, file);
    if ('error' in read) return new Unreadable(read.error, true);
    return new Set(read.keys);
  }
}

/** Why a bibliography file cannot be read (see BibliographyProblem). */
class Unreadable {
  constructor(
    readonly why: string,
    readonly pandocStops: boolean,
  ) {}
}

/** A sentence cache with the results stored in `file` by an earlier run, when it has any for these sources and options. */
function restoreChecks(file: string, loaded: LoadedSources, options: CheckOptions, stderr: NodeJS.WritableStream): SentenceCache {
  const cache = new SentenceCache();
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_CHECK_STORE_BYTES) return cache;
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') stderr.write(`policy-cite: warning: cache ${file} unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); checking every sentence\n`);
    return cache;
  }
  try {
    cache.restore(JSON.parse(text), loaded.index, options, loaded.actorsFingerprint);
  } catch {
    stderr.write(`policy-cite: warning: cache ${file} is damaged; checking every sentence\n`);
  }
  return cache;
}

function storeChecks(file: string, cache: SentenceCache, loaded: LoadedSources, options: CheckOptions, stderr: NodeJS.WritableStream): void {
  const stored = cache.store(loaded.index, options, loaded.actorsFingerprint);
  if (!stored) return;
  const text = JSON.stringify(stored);
  if (text.length > MAX_CHECK_STORE_BYTES) return;
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    stderr.write(`policy-cite: warning: cache ${file} not written: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
  }
}

function rangeOf(index: LineIndex, f: Finding): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: index.positionAt(f.start), end: index.positionAt(f.end) };
}

export function jsonReport(
  results: FileFindings[],
  unchecked: UncheckedFile[] = [],
  sourceNotes: readonly SourceNote[] = [],
): { findings: Record<string, unknown>[]; unchecked: UncheckedFile[]; sourceWarnings: Array<{ files: string[]; message: string }> } {
  const slashed = (file: string): string => file.split(path.sep).join('/');
  const findings: Record<string, unknown>[] = [];
  for (const r of results) {
    const lines = new LineIndex(r.text);
    for (const f of r.findings) {
      findings.push({
        file: slashed(r.file),
        range: rangeOf(lines, f),
        code: f.code,
        severity: f.severity,
        message: f.message,
        suggestions: f.suggestions.map((s) => ({ key: s.key, locator: s.locator, claimId: s.claimId, text: s.text, score: s.score })),
      });
    }
  }
  return {
    findings,
    unchecked: unchecked.map((u) => ({ file: slashed(u.file), reason: u.reason })),
    sourceWarnings: sourceNotes.map((n) => ({ files: n.paths.map(slashed), message: n.message })),
  };
}

function textReport(results: FileFindings[], out: NodeJS.WritableStream, unchecked: UncheckedFile[]): void {
  const report = new TextReport();
  for (const r of results) for (const line of report.memo(r)) out.write(`${line}\n`);
  for (let k = 0; k < unchecked.length; k++) report.notChecked();
  out.write(`${report.summary()}\n`);
}

const GITHUB_COMMAND: Record<string, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/**
 * GitHub Actions annotations (workflow commands), one line per finding, which mark the memo's
 * lines in a pull request, and one per source file a warning is about (a key it shares with
 * another, say), on the file. A message and its properties are escaped as the Actions toolkit does:
 * a line break in them (a quotation of the memo may hold one) can start no command of its own.
 */
export function githubReport(results: FileFindings[], out: NodeJS.WritableStream, unchecked: UncheckedFile[] = [], sourceNotes: readonly SourceNote[] = []): void {
  const data = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (text: string): string => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const fileOf = (shown: string): string => property(shown.split(path.sep).join('/'));
  for (const n of sourceNotes) for (const p of n.paths) out.write(`::warning file=${fileOf(p)},title=${property('policy-cite: source')}::${data(n.message)}\n`);
  for (const u of unchecked) out.write(`::error file=${fileOf(u.file)},title=${property('policy-cite: not checked')}::${data(u.reason)}\n`);
  for (const r of results) {
    const lines = new LineIndex(r.text);
    const file = fileOf(r.file);
    for (const f of r.findings) {
      const { start, end } = rangeOf(lines, f);
      out.write(
        `::${GITHUB_COMMAND[f.severity] ?? 'notice'} file=${file},line=${start.line + 1},col=${start.character + 1},endLine=${end.line + 1},endColumn=${end.character + 1},title=${property(`policy-cite ${f.code}`)}::${data(f.message)}\n`,
      );
    }
  }
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function sarifReport(results: FileFindings[], unchecked: UncheckedFile[] = [], sourceNotes: readonly SourceNote[] = []): Record<string, unknown> {
  // Memos that could not be checked are the run's tool notifications, and the run did not succeed;
  // warnings about source files are notifications too, on those files.
  const at = (file: string): Record<string, unknown> => ({ physicalLocation: { artifactLocation: { uri: file.split(path.sep).join('/') } } });
  const notifications = [
    ...unchecked.map((u) => ({ level: 'error', message: { text: u.reason }, locations: [at(u.file)] })),
    ...sourceNotes.map((n) => ({ level: 'warning', message: { text: n.message }, locations: n.paths.map(at) })),
  ];
  const invocation = {
    executionSuccessful: unchecked.length === 0,
    ...(notifications.length && { toolExecutionNotifications: notifications }),
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        invocations: [invocation],
        tool: {
          driver: {
            name: 'policy-cite',
            informationUri: 'https://github.com/policy-cite/policy-cite',
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code,
              shortDescription: { text: r.title },
              helpUri: ruleDocsUrl(r.code),
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        results: results.flatMap((r) => {
          const lines = new LineIndex(r.text);
          return r.findings.map((f) => {
            const range = rangeOf(lines, f);
            return {
              ruleId: f.code,
              ruleIndex: RULES.findIndex((x) => x.code === f.code),
              level: SARIF_LEVEL[f.severity],
              message: { text: f.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: r.file.split(path.sep).join('/') },
                    region: {
                      startLine: range.start.line + 1,
                      startColumn: range.start.character + 1,
                      endLine: range.end.line + 1,
                      endColumn: range.end.character + 1,
                    },
                  },
                },
              ],
            };
          });
        }),
      },
    ],
  };
}

async function bibCommand(ctx: CommandContext): Promise<number> {
  requireFormat(ctx, ['text', 'json']);
  const { index } = await loadFromArgs(ctx, [...ctx.sources, ...ctx.args]);
  const items = index.allSources().map(cslItemFor);
  if (!ctx.out) {
    ctx.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return 0;
  }
  const target = path.resolve(ctx.cwd, ctx.out);
  if (isDirectory(target)) throw new UsageError(`${ctx.out} is a folder; --out takes the bibliography file (such as ${path.join(ctx.out, 'references.json')})`);
  // (pandoc reads a bibliography by its extension, in lower case: CSL-JSON in a .bib, .yaml or
  // .JSON file is not read.)
  if (!ctx.out.endsWith('.json')) throw new UsageError(`${ctx.out}: policy-cite writes CSL-JSON, which pandoc reads from a .json file only; name one (such as ${ctx.out.replace(/(\.[A-Za-z]*)?$/, '.json')})`);
  let existing: string | undefined;
  try {
    existing = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  } catch (e) {
    throw new UsageError(`${ctx.out}: cannot read it (${(e as Error).message})`);
  }
  const merged = mergeBibliography(existing, items);
  if (!merged.ok) throw new UsageError(`${ctx.out}: ${merged.error}`);
  try {
    if (merged.changed) writeFileAtomic(target, merged.text);
  } catch (e) {
    throw new UsageError(`${ctx.out}: cannot write it (${(e as Error).message})`);
  }
  ctx.stderr.write(`policy-cite: ${ctx.out}: ${items.length} source${items.length === 1 ? '' : 's'} (${merged.added.length} added, ${merged.updated.length} completed)\n`);
  return 0;
}

registerCommand('check', checkCommand);
registerCommand('bib', bibCommand);

/** A Quarto project file or a folder's `_metadata.yml`, and the bibliography it names (undefined when none). */
interface QuartoFile {
  file: string;
  bibliography: ProjectBibliography | undefined;
}

function cached<T>(map: Map<string, T>, key: string, read: () => T): T {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = read()));
  return value;
}

/** The first of `names` that is a file in the folder, with the bibliography it names; `none` when there is none. */
function readQuartoFileIn(dir: string, names: readonly string[]): QuartoFile | 'none' {
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) continue;
      if (stat.size > MAX_QUARTO_PROJECT_BYTES) return { file, bibliography: undefined };
      return { file, bibliography: readProjectBibliography(fs.readFileSync(file, 'utf8')) };
    } catch {
      continue;
    }
  }
  return 'none';
}
