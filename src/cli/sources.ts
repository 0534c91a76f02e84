// File-system side of the CLI: resolve paths and globs, read bytes, report what was skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globMatcher, isDynamicPattern } from '../core/glob';
import { isSkipped, keyCollisionWarning, parseSourceFile, type KeyCollision, type SkippedFile, type SourceFile } from '../core/loader';
import { parseActorsFile, registryWith } from '../core/registry';
import { frontMatterWarning, rekeySource } from '../core/source';
import { SourceCache } from '../core/sourceCache';
import { hashText } from '../core/text';
import { writeFileAtomic } from './writeFile';
import type { ClaimIndex } from '../core/claimIndex';
import type { ActorDefinition } from '../core/types';
import { buildIndexInWorkers } from '../parallel/parseInWorkers';

export const DEFAULT_SOURCES = 'sources/**/*.{md,markdown,txt}';
export const ACTORS_FILE = path.join('.policy-cite', 'actors.json');

/** What the extension's policyCite.exclude leaves out by default: found by a glob or in a folder, never read. */
export const DEFAULT_IGNORE = ['**/node_modules/**'];

export class UsageError extends Error {}

/**
 * The files `pattern` matches under `cwd`, absolute or relative to `cwd`, sorted: the glob as VS
 * Code's file search and the extension read it (globMatcher; `*` matches a name that starts
 * with a dot too), from the folders at its start that hold no pattern (`..` and a root
 * included). Below those, folders whose names start with a dot (`.git`, `.venv`, tools' caches)
 * are not entered, nor folders that `ignore` matches; symbolic links to folders are not
 * followed: a link loop must not hang the walk.
 */
export function globFiles(pattern: string, cwd: string, absolute: boolean, ignore: string[] = []): string[] {
  const segments = pattern.split('/');
  let literal = 0;
  while (literal < segments.length - 1 && !isDynamicPattern(segments[literal])) literal++;
  const base = path.resolve(cwd, segments.slice(0, literal).join('/') || '.');
  const rest = segments.slice(literal);
  const matches = globMatcher(rest.join('/'));
  // (Without `**` or braces, a match is exactly as deep as the rest of the pattern.)
  const maxDepth = rest.some((r) => r.includes('**') || r.includes('{')) ? Infinity : rest.length;
  const ignored = ignore.map(globMatcher);
  const isIgnored = (relative: string): boolean => ignored.some((m) => m.test(relative));
  const fromCwd = (file: string): string => path.relative(cwd, file).split(path.sep).join('/');
  const found: string[] = [];
  const walk = (dir: string, relative: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // missing or unreadable
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      const at = relative ? `${relative}/${entry.name}` : entry.name;
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          isFile = fs.statSync(file).isFile();
        } catch {
          continue; // a dangling link
        }
      } else if (entry.isDirectory()) {
        if (depth + 1 >= maxDepth || entry.name.startsWith('.')) continue;
        const folder = fromCwd(file);
        if (!isIgnored(folder) && !isIgnored(`${folder}/`)) walk(file, at, depth + 1);
        continue;
      }
      if (isFile && matches.test(at) && !isIgnored(fromCwd(file))) found.push(absolute ? file : path.relative(cwd, file));
    }
  };
  walk(base, '', 0);
  return found.sort();
}

/**
 * Expands paths, directories and globs (relative to `cwd`) into a sorted list of files; those
 * whose path relative to `cwd` matches `exclude` (a glob as VS Code reads `policyCite.exclude`)
 * are left out. Without `exclude`, globs and folders leave out what the setting's default does
 * (node_modules); a file named as such is read wherever it is.
 */
export function resolveSourcePaths(patterns: string[], cwd: string, exclude?: string): string[] {
  const files = new Set<string>();
  const ignore = exclude === undefined ? DEFAULT_IGNORE : [];
  for (const pattern of patterns.length ? patterns : [DEFAULT_SOURCES]) {
    // (A file whose name reads as a glob, `a[1].md`, is that file.)
    if (isDynamicPattern(pattern) && !fs.existsSync(path.resolve(cwd, pattern))) {
      const found = globFiles(pattern, cwd, true, ignore);
      if (found.length === 0 && patterns.length) throw new UsageError(`no files match ${pattern}`);
      found.forEach((f) => files.add(path.normalize(f)));
      continue;
    }
    const abs = path.resolve(cwd, pattern);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`${pattern}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      const found = globFiles('**/*.{md,markdown,txt}', abs, true, ignore);
      found.forEach((f) => files.add(path.normalize(f)));
    } else {
      files.add(abs);
    }
  }
  const excluded = excludedBy(exclude, cwd);
  return [...files].filter((f) => !excluded(f)).sort();
}

/**
 * Whether a file (absolute path) is one `exclude` leaves out: a glob as VS Code reads
 * `policyCite.exclude`, relative to `base` (the workspace folder).
 */
export function excludedBy(exclude: string | undefined, base: string): (file: string) => boolean {
  if (!exclude) return () => false;
  const re = globMatcher(exclude);
  return (file) => re.test(path.relative(base, file).split(path.sep).join('/'));
}

/** A warning about source files, which a GitHub annotation puts on each of them. */
export interface SourceNote {
  /** Relative to the folder the sources were loaded from, as in the message. */
  paths: string[];
  message: string;
}

export interface LoadedSources {
  index: ClaimIndex;
  skipped: SkippedFile[];
  /** Warnings about no one source (the actors file, the cache). */
  warnings: string[];
  /** Warnings about source files: skipped ones, a key several take, a front matter not read. */
  notes: SourceNote[];
  /** The keys several sources take, their paths relative to `root`. */
  collisions: KeyCollision[];
  /** The absolute folder that the sources' paths are relative to. */
  root: string;
  /** Fingerprint of the user's actors file ('' for none): part of what stored check results depend on. */
  actorsFingerprint: string;
  /**
   * Parses again the sources taken from the cache whose stored claims and paragraphs turned out
   * unreadable when read since the last call (a damaged cache: they read as having none), puts
   * them in the index in their place and writes the cache again. Gives a warning per source
   * (none when there was nothing to do): what read them is to be done again.
   */
  repair(): string[];
}

/** Reads the files, builds the index, and merges the user's actors file when present. */
/**
 * `cacheDir`: where parsed sources are kept between runs (one file per sources folder, as paths
 * are relative to it); a cache that cannot be read or written is a warning, never a failure.
 * `workers`: parse worker threads (undefined: the machine's default, see parseInWorkers).
 */
export async function loadSources(files: string[], cwd: string, actorsFile?: string, cacheDir?: string, workers?: number): Promise<LoadedSources> {
  const warnings: string[] = [];
  const inputs: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const display = path.relative(cwd, file) || file;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) {
        skipped.push({ path: display, reason: 'not a regular file' });
        continue;
      }
      inputs.push({ path: display, bytes: fs.readFileSync(file) });
    } catch (e) {
      skipped.push({ path: display, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  }
  const actorLayers: ActorDefinition[][] = [];
  const actorsPath = actorsFile ? path.resolve(cwd, actorsFile) : path.join(cwd, ACTORS_FILE);
  let actorsText = '';
  if (fs.existsSync(actorsPath)) {
    actorsText = fs.readFileSync(actorsPath, 'utf8');
    const parsed = parseActorsFile(actorsText);
    parsed.errors.forEach((e) => warnings.push(`${path.relative(cwd, actorsPath)}: ${e}`));
    actorLayers.push(parsed.actors);
  } else if (actorsFile) {
    throw new UsageError(`${actorsFile}: no such file`);
  }
  const cacheFile = cacheDir ? path.join(cacheDir, `sources-${hashText(cwd)}.bin`) : undefined;
  let cache: SourceCache | undefined;
  if (cacheFile) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = fs.readFileSync(cacheFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`cache ${cacheFile} unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); parsing every source`);
    }
    cache = SourceCache.parse(bytes, hashText(actorsText));
  }
  // Parsed on worker threads when there is much to parse.
  const result = await buildIndexInWorkers(inputs, {
    actorLayers,
    cache,
    workers,
    // (A worker that cannot start or fails leaves its files to this thread: the same results, later.)
    onWorkerError: (message) => warnings.push(`parse worker: ${message.split('\n')[0]}; its files were parsed on the main thread`),
  });
  const save = (): string | undefined => {
    if (!cache || !cacheFile || !cache.changed) return undefined;
    try {
      writeFileAtomic(cacheFile, cache.serialize());
      // Earlier versions kept the cache as JSON under the same name; the file just written replaces it.
      fs.rmSync(cacheFile.replace(/\.bin$/, '.json'), { force: true });
      return undefined;
    } catch (e) {
      return `cache ${cacheFile} not written: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
  };
  const unsaved = save();
  if (unsaved) warnings.push(unsaved);
  const { index } = result;
  const allSkipped = [...skipped, ...result.skipped];
  const notes: SourceNote[] = [
    ...allSkipped.map((s) => ({ paths: [s.path], message: `skipped ${s.path}: ${s.reason}` })),
    ...result.collisions.map((c) => ({ paths: c.sources.map((s) => s.path), message: keyCollisionWarning(c) })),
    ...index.allSources().flatMap((source) => {
      const warning = frontMatterWarning(source);
      return warning ? [{ paths: [source.path], message: warning }] : [];
    }),
  ];
  const repair = (): string[] => {
    const unreadable = cache?.unreadablePaths() ?? [];
    if (unreadable.length === 0) return [];
    const out: string[] = [];
    const registry = registryWith(actorLayers);
    for (const p of unreadable) {
      const input = inputs.find((f) => f.path === p);
      const previous = index.sourceByPath(p);
      // (Parsed anew, it replaces the unreadable one in the cache too; otherwise it is dropped.)
      const parsed = input && previous ? parseSourceFile(input, registry, cache) : undefined;
      if (!parsed || isSkipped(parsed) || !previous) {
        cache?.delete(p);
        continue;
      }
      // (Its key as indexed, which its citations use; its text is the one read.)
      index.upsert(rekeySource(parsed, previous.key));
      out.push(`cache ${cacheFile ?? ''}: the stored parse of ${p} could not be read; parsed the file again`);
    }
    const notSaved = save();
    if (notSaved) out.push(notSaved);
    return out;
  };
  return { index, skipped: allSkipped, warnings, notes, collisions: result.collisions, root: cwd, actorsFingerprint: hashText(actorsText), repair };
}
