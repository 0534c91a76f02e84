// The entries of the memos' bibliography files (see core/bibliographyKeys): a memo may cite
// works from the analyst's reference manager that no source in the workspace holds, and those
// keys are not unknown; hover and completion show their authors, years and titles, and Go to
// Definition their place in the file. Each file is read once and again when it changes (on disk,
// or in an editor), a large one on a worker thread, and the memos are checked again then when its
// keys changed. A memo in a Quarto project has the files its project names too (QuartoProjects).
import * as vscode from 'vscode';
import { type BibliographyEntry, entrySpan, MAX_BIBLIOGRAPHY_BYTES } from '../core/bibliographyKeys';
import type { BibliographyProblem, CheckOptions } from '../core/check/checkDraft';
import type { Draft } from '../core/draftTypes';
import { memoBibliography, type ProjectBibliography } from '../core/quartoProject';
import { readBibliography } from '../parallel/readBibliography';
import { bibliographyUri } from './citationEdit';
import { readConfig } from './config';
import { Debouncer, SerialTask } from './debounce';
import { ProjectBibliographyDiagnostics } from './projectDiagnostics';
import { QuartoProjects } from './quartoProjects';

/** What of a memo names its bibliography: its front matter, as the draft has it. */
export type MemoNames = Pick<Draft, 'bibliography' | 'frontMatter'>;

interface Entry {
  /** Undefined while the first read runs, or when the file is missing or unreadable. */
  keys: ReadonlySet<string> | undefined;
  /** How the last read went (`reading` until the first ends). */
  state: 'reading' | 'read' | 'missing' | 'unreadable';
  /** The first entry of each key, with its author, year and title (a change of those alone checks no memo again). */
  byKey: ReadonlyMap<string, BibliographyEntry>;
  /** Bumped at each read that changed `keys`, `state` or why the file cannot be read. */
  version: number;
  /** The file's reads, one at a time (a read asked for while one runs runs after it). */
  reads: SerialTask;
  watcher: vscode.Disposable | undefined;
  /** Why the file cannot be read (state `unreadable`); each is logged once. */
  problem: { why: string; pandocStops: boolean } | undefined;
}

/** Unions of several files' keys kept (one per memo naming several files, mostly). */
const MAX_UNIONS = 16;
/** Edits of an open bibliography are read again after this pause. */
const EDIT_DEBOUNCE_MS = 300;

export class MemoBibliographies implements vscode.Disposable {
  private readonly files = new Map<string, Entry>();
  private readonly edits = new Debouncer();
  /** The keys of several files together, by their stamp (see keysOf). */
  private readonly unions = new Map<string, ReadonlySet<string>>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** Fires when a bibliography's keys changed: the memos are to be checked again. */
  readonly onDidChange = this.emitter.event;
  /** How many files a worker thread read, and why a worker did not read each of the last few it was given. */
  readonly offThread = { reads: 0, failures: [] as string[] };

  private readonly projects: QuartoProjects;
  /** The problems of the files the Quarto projects name, in their project files. */
  readonly projectDiagnostics: ProjectBibliographyDiagnostics;

  constructor(private readonly log?: vscode.LogOutputChannel) {
    vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document.uri), undefined, this.disposables);
    this.projects = new QuartoProjects(log);
    this.projectDiagnostics = new ProjectBibliographyDiagnostics(
      () => this.projects.known(),
      (uri) => {
        const entry = this.files.get(uri.toString());
        if (!entry) return undefined;
        return entry.state === 'unreadable' && entry.problem ? { state: 'unreadable', ...entry.problem } : entry.state === 'missing' ? { state: 'missing' } : { state: 'read' };
      },
    );
    // (Whatever changed a memo's bibliography may have changed what its project's files are.)
    this.disposables.push(this.projects, this.projects.onDidChange(() => this.emitter.fire()), this.projectDiagnostics, this.onDidChange(() => this.projectDiagnostics.refresh()));
  }

  /** The bibliography of the memo's Quarto project as known so far, relative to the memo (see QuartoProjects). */
  projectOf(memo: vscode.Uri): ProjectBibliography | undefined {
    return this.projects.bibliographyOf(memo);
  }

  /** Resolves once the memo's Quarto project, if any, is known. */
  async projectRead(memo: vscode.Uri): Promise<void> {
    await this.projects.read(memo);
  }

  /** The files the memo names: its front matter's with its Quarto project's (see memoBibliography). */
  private namesOf(memo: vscode.Uri, draft: MemoNames): readonly string[] {
    return memoBibliography(draft, this.projects.bibliographyOf(memo));
  }

  /**
   * The bibliography files of a memo: those it names (namesOf), else policyCite.bibliography;
   * relative to the memo. In Restricted Mode, only those inside the workspace (a memo's front
   * matter does not make the extension read elsewhere).
   */
  filesOf(memo: vscode.Uri, draft: MemoNames): vscode.Uri[] {
    return this.namedFilesOf(memo, this.namesOf(memo, draft)).map((f) => f.uri);
  }

  /** filesOf, each file with the name that gave it. */
  private namedFilesOf(memo: vscode.Uri, names: readonly string[]): Array<{ name: string; uri: vscode.Uri }> {
    const wanted = names.length > 0 ? names : [readConfig(memo).bibliography];
    const files: Array<{ name: string; uri: vscode.Uri }> = [];
    for (const name of wanted) {
      const uri = bibliographyUri(memo, name);
      if (uri && (vscode.workspace.isTrusted || vscode.workspace.getWorkspaceFolder(uri))) files.push({ name, uri });
    }
    return files;
  }

  /**
   * What a check of the memo is to know of its bibliography files (filesOf) as read so far:
   * keysOf them, none of those wanted left out, and the files it names that are not there or
   * cannot be read (the check flags those of its front matter); and a stamp that changes when any
   * of that does.
   */
  checkOptionsOf(
    memo: vscode.Uri,
    draft: MemoNames,
  ): { options: Pick<CheckOptions, 'bibliographyKeys' | 'bibliographyComplete' | 'bibliographyMissing' | 'bibliographyUnreadable'>; stamp: string } {
    const names = this.namesOf(memo, draft);
    const files = this.namedFilesOf(memo, names);
    // (filesOf wants the files named, else the one configured.)
    const { keys, complete, stamp } = this.keysOf(files.map((f) => f.uri), Math.max(1, names.length));
    const missing: string[] = [];
    const unreadable: BibliographyProblem[] = [];
    for (const { name, uri } of names.length > 0 ? files : []) {
      const { state, problem } = this.entry(uri);
      if (state === 'missing') missing.push(name);
      else if (state === 'unreadable' && problem) unreadable.push({ name, ...problem });
    }
    // (One the front matter names is a finding at its name; one the Quarto project names, a diagnostic of the project file: see ProjectBibliographyDiagnostics.)
    return { options: { bibliographyKeys: keys, bibliographyComplete: complete, bibliographyMissing: missing, bibliographyUnreadable: unreadable }, stamp };
  }

  /**
   * The keys of the files as read so far (their reads begin if they have not), a stamp that
   * changes when they do, and whether they are the whole bibliography's (CheckOptions.
   * bibliographyComplete): one file at least was read, each of the others was read or is not
   * there, and none of the `wanted` files was left out (filesOf leaves out a file outside the
   * workspace in Restricted Mode).
   */
  private keysOf(files: readonly vscode.Uri[], wanted: number): { keys: ReadonlySet<string> | undefined; stamp: string; complete: boolean } {
    const sets: ReadonlySet<string>[] = [];
    const stamp: string[] = [];
    let read = 0;
    let unknown = wanted - files.length;
    for (const uri of files) {
      const entry = this.entry(uri);
      stamp.push(`${uri.toString()}#${entry.version}`);
      if (entry.keys && entry.keys.size > 0) sets.push(entry.keys);
      if (entry.state === 'read') read++;
      else if (entry.state !== 'missing') unknown++;
    }
    const complete = read > 0 && unknown === 0;
    const joined = `${stamp.join('\n')}${complete ? '\ncomplete' : ''}`;
    if (sets.length <= 1) return { keys: sets[0], stamp: joined, complete };
    // (The same set for the same files as read: a check digests it once, not at each keystroke.)
    let keys = this.unions.get(joined);
    if (!keys) {
      keys = new Set(sets.flatMap((s) => [...s]));
      if (this.unions.size >= MAX_UNIONS) this.unions.clear();
      this.unions.set(joined, keys);
    }
    return { keys, stamp: joined, complete };
  }

  /** The entries of the files as read so far, a key's first only (as Pandoc takes it). */
  entriesOf(files: readonly vscode.Uri[]): BibliographyEntry[] {
    const seen = new Set<string>();
    const out: BibliographyEntry[] = [];
    for (const uri of files) {
      for (const entry of this.entry(uri).byKey.values()) {
        if (seen.has(entry.key)) continue;
        seen.add(entry.key);
        out.push(entry);
      }
    }
    return out;
  }

  /** `key`'s entry in the files as read so far (the first file's that has it). */
  entryOf(files: readonly vscode.Uri[], key: string): BibliographyEntry | undefined {
    for (const uri of files) {
      const found = this.entry(uri).byKey.get(key);
      if (found) return found;
    }
    return undefined;
  }

  /** Where `key`'s entry is: in the first of the files (as read so far) that has it, at its id. */
  async locate(files: readonly vscode.Uri[], key: string): Promise<vscode.Location | undefined> {
    for (const uri of files) {
      if (!this.entry(uri).byKey.has(key)) continue;
      let doc: vscode.TextDocument;
      try {
        doc = await vscode.workspace.openTextDocument(uri);
      } catch (e) {
        // (VS Code does not hand extensions a file of more than 50 MB, say.)
        this.log?.warn(`Bibliography ${vscode.workspace.asRelativePath(uri)}: not opened to find ${key} (${(e as Error).message})`);
        continue;
      }
      const span = entrySpan(doc.getText(), uri.path, key);
      if (span) return new vscode.Location(uri, new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end)));
    }
    return undefined;
  }

  /** Resolves once the files have been read (each at most once here: a change reads it again). */
  async read(files: readonly vscode.Uri[]): Promise<void> {
    await Promise.all(files.map((uri) => this.entry(uri).reads.running));
  }

  private entry(uri: vscode.Uri): Entry {
    const key = uri.toString();
    let entry = this.files.get(key);
    if (!entry) {
      const created: Entry = { keys: undefined, state: 'reading', byKey: new Map(), version: 0, reads: new SerialTask(() => this.readOnce(uri, created)), watcher: this.watch(uri), problem: undefined };
      entry = created;
      this.files.set(key, entry);
      entry.reads.run();
    }
    return entry;
  }

  /** Watches the file on disk (where the file system can: a virtual one may not). */
  private watch(uri: vscode.Uri): vscode.Disposable | undefined {
    try {
      const slash = uri.path.lastIndexOf('/');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(uri.with({ path: uri.path.slice(0, slash) || '/' }), uri.path.slice(slash + 1)));
      const changed = (): void => {
        const entry = this.files.get(uri.toString());
        if (entry) entry.reads.run();
      };
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      return watcher;
    } catch {
      return undefined;
    }
  }

  private edited(uri: vscode.Uri): void {
    const key = uri.toString();
    const entry = this.files.get(key);
    if (entry) this.edits.run(key, EDIT_DEBOUNCE_MS, () => entry.reads.run());
  }

  /** Reads the file once; the memos are checked again when its keys or state changed. */
  private async readOnce(uri: vscode.Uri, entry: Entry): Promise<void> {
    const why = entry.problem?.why;
    const entries = await this.readEntries(uri, entry);
    const byKey = new Map<string, BibliographyEntry>();
    for (const e of entries === 'missing' ? [] : entries ?? []) if (!byKey.has(e.key)) byKey.set(e.key, e);
    entry.byKey = byKey;
    const keys = Array.isArray(entries) ? new Set(byKey.keys()) : undefined;
    const state = entries === 'missing' ? 'missing' : entries ? 'read' : 'unreadable';
    // (Whether the file is missing or unreadable matters too: a missing file's bibliography
    // is known whole, see keysOf.)
    if (!sameKeys(keys, entry.keys) || state !== entry.state || entry.problem?.why !== why) {
      entry.keys = keys;
      entry.state = state;
      entry.version++;
      this.emitter.fire();
    }
  }

  /** The file's entries: an open editor's text, else the file's; `missing` when it is not there, undefined when it cannot be read. */
  private async readEntries(uri: vscode.Uri, entry: Entry): Promise<BibliographyEntry[] | 'missing' | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    if (open) {
      text = open.getText();
    } else {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        // (pandoc reads it; policy-cite does not, to keep its memory bounded.)
        if (stat.size > MAX_BIBLIOGRAPHY_BYTES) return this.problem(uri, entry, `larger than ${MAX_BIBLIOGRAPHY_BYTES / 1024 / 1024} MB, not read`, false);
        text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      } catch (e) {
        // Not there yet: Insert Citation creates it with the memo's first citation.
        if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') {
          entry.problem = undefined;
          return 'missing';
        }
        return this.problem(uri, entry, (e as Error).message);
      }
    }
    // (A library of thousands of works is read on a worker thread, not this one.)
    const read = await readBibliography(text, uri.path, {
      onWorkerRead: () => this.offThread.reads++,
      onWorkerError: (why, readHere) => {
        // (The last few: a worker that fails at each change of a file would grow the list.)
        if (this.offThread.failures.push(why) > 8) this.offThread.failures.shift();
        this.log?.warn(`Bibliography ${vscode.workspace.asRelativePath(uri)}: ${why}${readHere ? '; read on the extension host instead' : ''}`);
      },
    });
    if ('error' in read) return this.problem(uri, entry, read.error);
    entry.problem = undefined;
    return read.entries;
  }

  private problem(uri: vscode.Uri, entry: Entry, why: string, pandocStops = true): undefined {
    if (entry.problem?.why !== why) this.log?.warn(`Bibliography ${vscode.workspace.asRelativePath(uri)}: ${why}; citations of keys only it has are reported as unknown`);
    entry.problem = { why, pandocStops };
    return undefined;
  }

  dispose(): void {
    this.edits.dispose();
    for (const entry of this.files.values()) entry.watcher?.dispose();
    this.files.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function sameKeys(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const key of a) if (!b.has(key)) return false;
  return true;
}
