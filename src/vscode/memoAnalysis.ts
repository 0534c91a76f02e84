// Parsed drafts and check results per open memo, cached by document version and index version so
// hover, completion, code actions and diagnostics share one parse per edit.
import * as vscode from 'vscode';
import { checkDraft, checkDraftInSlices, checkPrefixInSight, SentenceCache, type CheckOptions, type CheckResult } from '../core/check/checkDraft';
import type { Finding } from '../core/types';
import { hash64, MAX_CHECK_STORE_BYTES } from '../core/check/checkStore';
import { frontMatterBibliography } from '../core/draft';
import type { Draft } from '../core/draftTypes';
import { IncrementalDraftParser, type DraftPrefix } from '../core/incrementalDraft';
import { type BibliographyEntry, entrySpan, frontMatterReferences } from '../core/bibliographyKeys';
import type { MemoBibliographies } from './bibliographies';
import { readConfig } from './config';
import type { WorkspaceIndex } from './workspaceIndex';

interface Entry {
  version: number;
  /** Valid until the parser's next parse (it moves unchanged pieces in place), i.e. for this version. */
  draft: Draft;
  /** Re-parses only the pieces of the memo an edit changed. */
  parser: IncrementalDraftParser;
  /** Per-sentence results carried across edits of this memo. */
  sentences: SentenceCache;
  check?: { indexVersion: number; configKey: string; result: CheckResult };
  /** Counts the checks begun for this version: a check in slices that is no longer the last one begun stops. */
  generation: number;
  /** The options of the last check, and whether it found results that the memo's check store does not have yet. */
  stored: { options: CheckOptions | undefined; dirty: boolean; read: boolean };
}

/** The parts of a memo in sight, checked first when every sentence is checked anew (see MemoAnalysis.checkInSlices). */
export interface InSight {
  /** Offset ranges [start, end) of the memo as it is. */
  ranges(): Array<readonly [number, number]>;
  /**
   * The findings of the whole check that overlap `ranges` (see FirstFindings), before the rest is
   * checked; `whileReading` when they came before the rest of the memo was even read.
   */
  onFindings(findings: Finding[], ranges: ReadonlyArray<readonly [number, number]>, whileReading: boolean): void;
}

/** The check stores of the memos used last are kept; older ones are deleted when one is written. */
const MAX_STORES = 64;
/** A temporary store file this old was left by a write that never finished (a crash between the write and the rename). */
const STALE_TMP_MS = 10 * 60_000;

export class MemoAnalysis implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Memos not parsed yet, being parsed ahead (see parseAhead): draft() takes their parser over. */
  private readonly starting = new Map<string, { parser: IncrementalDraftParser; version: number; done: Promise<boolean>; sentences: SentenceCache }>();
  private readonly disposables: vscode.Disposable[] = [];

  /**
   * The check stores' writes, one after another (each ends with a prune of the folder: two at
   * once would count the same files and delete the same oldest one).
   */
  private writes: Promise<void> = Promise.resolve();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `storeDir`: where each memo's check results are kept between sessions (in the extension's
   * workspace storage); without it, opening a memo checks every sentence.
   */
  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly log?: vscode.LogOutputChannel,
    readonly storeDir?: vscode.Uri,
    /** The keys of the memos' bibliography files, which are known keys (see MemoBibliographies). */
    readonly bibliographies?: MemoBibliographies,
  ) {
    vscode.workspace.onDidCloseTextDocument(
      (doc) => {
        const key = doc.uri.toString();
        const entry = this.entries.get(key);
        if (entry) this.save(key, entry);
        this.entries.delete(key);
        this.starting.delete(key);
      },
      undefined,
      this.disposables,
    );
  }

  draft(doc: vscode.TextDocument): Draft {
    const key = doc.uri.toString();
    const entry = this.entries.get(key);
    if (entry && entry.version === doc.version) return entry.draft;
    const starting = this.starting.get(key);
    const parser = entry?.parser ?? starting?.parser ?? new IncrementalDraftParser();
    this.starting.delete(key);
    const draft = parser.parse(doc.getText());
    this.entries.set(key, {
      version: doc.version,
      draft,
      parser,
      // (A memo parsed ahead may have had its sentences in sight checked meanwhile: see parseAhead.)
      sentences: entry?.sentences ?? starting?.sentences ?? new SentenceCache(),
      generation: 0,
      stored: entry?.stored ?? { options: undefined, dirty: false, read: false },
    });
    return draft;
  }

  check(doc: vscode.TextDocument): CheckResult {
    const draft = this.draft(doc);
    const done = this.checked(doc);
    if (done) return done;
    const entry = this.entries.get(doc.uri.toString()) as Entry;
    const { options, configKey } = this.checkOptions(doc, draft);
    const index = this.workspace.index;
    entry.generation++; // (a check in slices of this version stops: this one does its work)
    const checkedBefore = entry.sentences.checkedSentences;
    const result = checkDraft(draft, index, options, entry.sentences);
    entry.check = { indexVersion: index.version, configKey, result };
    entry.stored.options = options;
    if (entry.sentences.checkedSentences > checkedBefore) entry.stored.dirty = true;
    return result;
  }

  /**
   * check(), in slices of about 10 ms between which the extension host handles other events
   * (opening a long memo, or a source change, checks every sentence again: a second or so at
   * 10,000 lines); a memo not parsed yet is parsed in slices first (see parseAhead). Undefined
   * when the result went stale before it was ready: the memo changed, the index did, or another
   * check of the memo began; whatever made it stale checks again.
   *
   * With `sight`, a check of every sentence anew does the parts of the memo in sight first (the
   * offset ranges `sight.ranges()` gives) and gives their findings to `sight.onFindings` before it
   * goes on (see checkDraftInSlices); a memo opened is checked there as soon as the pieces that
   * hold them are read, before the rest of it (see parseAhead).
   */
  async checkInSlices(doc: vscode.TextDocument, onSlice?: (ms: number) => void, sight?: InSight): Promise<CheckResult | undefined> {
    const key = doc.uri.toString();
    let shown = false;
    if (!(await this.parseAhead(doc, onSlice, sight, () => (shown = true)))) return undefined;
    const version = doc.version;
    const parsed = this.entries.get(key)?.version === version;
    const started = performance.now();
    const draft = this.draft(doc);
    if (!parsed) {
      // The parse (or the merge of the pieces parsed ahead) is a slice of its own.
      onSlice?.(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (doc.isClosed || doc.version !== version) return undefined;
    }
    const done = this.checked(doc);
    if (done) return done;
    const entry = this.entries.get(key) as Entry;
    const { options, configKey } = this.checkOptions(doc, draft);
    const index = this.workspace.index;
    const indexVersion = index.version;
    if (!entry.stored.read) {
      entry.stored.read = true;
      const restored = await this.restore(doc, entry, options);
      if (doc.isClosed || doc.version !== version || this.entries.get(key) !== entry || this.workspace.index !== index || index.version !== indexVersion) return undefined;
      if (restored !== undefined) onSlice?.(restored);
    }
    const checkedBefore = entry.sentences.checkedSentences;
    const generation = ++entry.generation;
    const stale = (): boolean =>
      this.entries.get(key) !== entry || entry.generation !== generation || this.workspace.index !== index || index.version !== indexVersion;
    // (The ranges are read only by a check of every sentence anew, not by one after an edit: a
    // getter, so that a keystroke's check does not work them out.)
    let ranges: Array<readonly [number, number]> | undefined;
    const first =
      sight && !shown
        ? {
            get ranges() {
              return (ranges ??= sight.ranges());
            },
            onFindings: (findings: Finding[]) => sight.onFindings(findings, ranges ?? [], false),
          }
        : undefined;
    const result = await checkDraftInSlices(draft, index, options, entry.sentences, { stale, onSlice, first });
    if (!result || stale()) return undefined;
    entry.check = { indexVersion, configKey, result };
    entry.stored.options = options;
    // (A check that found every sentence's result in the cache or the store has nothing to add to the store.)
    if (entry.sentences.checkedSentences > checkedBefore) {
      entry.stored.dirty = true;
      // Stored a little after the memo's first check too, not only when it closes: the window may not close cleanly.
      if (checkedBefore === 0) this.scheduleSave();
    }
    return result;
  }

  /**
   * Reads the memo's check store into its sentence cache, when there is one for the index and
   * options as they are now (see SentenceCache.restore). Gives the milliseconds it took on this
   * thread, or undefined when there was nothing to read.
   */
  private async restore(doc: vscode.TextDocument, entry: Entry, options: CheckOptions): Promise<number | undefined> {
    const uri = this.storeUri(doc.uri.toString());
    if (!uri) return undefined;
    let bytes: Uint8Array;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_CHECK_STORE_BYTES) return undefined;
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined; // none yet
    }
    const started = performance.now();
    let data: unknown;
    try {
      data = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      this.log?.info(`The stored check of ${vscode.workspace.asRelativePath(doc.uri)} is damaged: checking every sentence`);
      return performance.now() - started;
    }
    const count = entry.sentences.restore(data, this.workspace.index, options, this.workspace.actorsFingerprint);
    this.log?.info(
      count
        ? `Read ${count} stored sentence results of ${vscode.workspace.asRelativePath(doc.uri)}`
        : `The stored check of ${vscode.workspace.asRelativePath(doc.uri)} is for other sources, settings or another version: checking every sentence`,
    );
    return performance.now() - started;
  }

  /** Where the memo's check store is; none for an untitled memo (its name stands for another memo next time). */
  private storeUri(key: string): vscode.Uri | undefined {
    if (!this.storeDir || key.startsWith('untitled:')) return undefined;
    return vscode.Uri.joinPath(this.storeDir, `${hash64(key)}.json`);
  }

  /**
   * Writes the memo's check store when its last check found results the store lacks (and was
   * against the index as it is now); a temporary file, then a rename. A failure costs only the
   * next opening's time.
   */
  private save(key: string, entry: Entry): Promise<void> {
    const uri = this.storeUri(key);
    const { options } = entry.stored;
    if (!uri || !this.storeDir || !entry.stored.dirty || !options) return this.writes;
    const stored = entry.sentences.store(this.workspace.index, options, this.workspace.actorsFingerprint);
    if (!stored) return this.writes;
    entry.stored.dirty = false;
    const bytes = new TextEncoder().encode(JSON.stringify(stored));
    if (bytes.length > MAX_CHECK_STORE_BYTES) return this.writes;
    const dir = this.storeDir;
    this.writes = this.writes.then(async () => {
      try {
        await vscode.workspace.fs.createDirectory(dir);
        const tmp = vscode.Uri.joinPath(dir, `.${hash64(key)}.${Date.now()}.tmp`);
        await vscode.workspace.fs.writeFile(tmp, bytes);
        await vscode.workspace.fs.rename(tmp, uri, { overwrite: true });
        await this.prune(dir);
      } catch (e) {
        this.log?.warn(`Could not store the check of ${key}: ${(e as Error).message}`);
      }
    });
    return this.writes;
  }

  /**
   * Deletes the check stores beyond the MAX_STORES written last (memos renamed, deleted or not
   * opened for long), and temporary files an interrupted write left (older than ten minutes).
   */
  private async prune(dir: vscode.Uri): Promise<void> {
    const files = (await vscode.workspace.fs.readDirectory(dir)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
    for (const name of files) {
      const written = /^\.[0-9a-f]+\.(\d+)\.tmp$/.exec(name);
      if (written && Date.now() - Number(written[1]) > STALE_TMP_MS) await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(dir, name))).catch(() => undefined);
    }
    const names = files.filter((name) => /^[0-9a-f]+\.json$/.test(name));
    if (names.length <= MAX_STORES) return;
    const dated = await Promise.all(names.map(async (name) => ({ uri: vscode.Uri.joinPath(dir, name), mtime: (await vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, name))).mtime })));
    dated.sort((a, b) => b.mtime - a.mtime);
    for (const old of dated.slice(MAX_STORES)) await Promise.resolve(vscode.workspace.fs.delete(old.uri)).catch(() => undefined);
  }

  private scheduleSave(): void {
    if (!this.storeDir || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveAll(), 5000);
  }

  /** Writes the check store of every open memo that has results it lacks. */
  private saveAll(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    for (const [key, entry] of this.entries) void this.save(key, entry);
  }

  /** saveAll, waiting for every write (on deactivation). */
  async flush(): Promise<void> {
    this.saveAll();
    await this.writes;
  }

  /**
   * A memo opened and not parsed yet is parsed in slices too (about 0.15 s in one go at 10,000
   * lines): its pieces ahead of draft(), which then merges them. False when the memo changed or
   * closed meanwhile (whatever changed it checks again). Edits need none of this: the parser
   * re-reads only the pieces they change.
   */
  private async parseAhead(doc: vscode.TextDocument, onSlice?: (ms: number) => void, sight?: InSight, onShown?: () => void): Promise<boolean> {
    const key = doc.uri.toString();
    if (this.entries.has(key)) return true;
    const version = doc.version;
    // Unless another check of this version is parsing it ahead already: this one waits for that.
    if (this.starting.get(key)?.version !== version) {
      const parser = new IncrementalDraftParser();
      const sentences = new SentenceCache();
      const done = parser
        .parseAhead(
          doc.getText(),
          {
            onSlice,
            // (Parsed meanwhile by another feature, or ahead for a newer version: nothing left to do.)
            stale: () => doc.isClosed || doc.version !== version || this.starting.get(key)?.parser !== parser,
          },
          sight && this.prefixInSight(doc, sight, sentences, onShown),
        )
        // (Should a piece fail, draft() parses the memo, with parseDraft's fallbacks.)
        .catch(() => false);
      this.starting.set(key, { parser, version, done, sentences });
    }
    await this.parsedAhead(doc);
    return !doc.isClosed && doc.version === version;
  }

  /**
   * The parts of a memo in sight checked as soon as the pieces that hold them are read (the top of
   * a memo just opened comes first), into the cache the memo's entry takes over; their findings go
   * to `sight.onFindings` (then `onShown`) when they are those of the whole memo (see
   * checkPrefixInSight).
   */
  private prefixInSight(doc: vscode.TextDocument, sight: InSight, sentences: SentenceCache, onShown?: () => void): DraftPrefix | undefined {
    const ranges = sight.ranges();
    if (ranges.length === 0) return undefined;
    const version = doc.version;
    return {
      until: Math.max(...ranges.map(([, end]) => end)),
      onDraft: async (prefix, slices) => {
        const index = this.workspace.index;
        const indexVersion = index.version;
        const found = await checkPrefixInSight(prefix, index, this.checkOptions(doc, prefix).options, sentences, ranges, slices);
        if (found === false) return false;
        if (found && !doc.isClosed && doc.version === version && this.workspace.index === index && index.version === indexVersion) {
          sight.onFindings(found, ranges, true);
          onShown?.();
        }
        return true;
      },
    };
  }

  /**
   * For a feature that reads the memo's draft against the index (hover, Go to Definition): waits
   * for the first index (until then "no source has it" would be wrong), then for a parse ahead of
   * the memo if one is running (rather than parsing it all at once). False when the request was
   * cancelled or the memo closed meanwhile.
   */
  async readyToRead(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<boolean> {
    await Promise.race([this.workspace.whenReady().catch(() => undefined), new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()))]);
    if (token.isCancellationRequested || doc.isClosed) return false;
    await this.parsedAhead(doc);
    return !token.isCancellationRequested && !doc.isClosed;
  }

  /** Resolves once a parse ahead of the memo as it is now, if one is running, has ended (the draft is then quick to get). */
  private async parsedAhead(doc: vscode.TextDocument): Promise<void> {
    const known = this.starting.get(doc.uri.toString());
    if (known?.version === doc.version) await known.done;
  }

  /** Of the memo's sentences checked since it was opened: how many results came from its check store, and how many were checked. */
  sentenceCounts(doc: vscode.TextDocument): { restored: number; checked: number } | undefined {
    const cache = this.entries.get(doc.uri.toString())?.sentences;
    return cache && { restored: cache.restoredHits, checked: cache.checkedSentences };
  }

  /** The result of a check of the memo as it is now, when one was made (by check or checkInSlices). */
  checked(doc: vscode.TextDocument): CheckResult | undefined {
    const entry = this.entries.get(doc.uri.toString());
    if (!entry || entry.version !== doc.version || !entry.check) return undefined;
    const index = this.workspace.index;
    return entry.check.indexVersion === index.version && entry.check.configKey === this.checkOptions(doc, entry.draft).configKey ? entry.check.result : undefined;
  }

  /** The options of a check of the memo as `draft` has it (its front matter names its bibliography). */
  checkOptions(doc: vscode.TextDocument, draft: Draft): { options: CheckOptions; configKey: string } {
    const config = readConfig(doc.uri);
    const bibliography = this.bibliographies?.checkOptionsOf(doc.uri, draft);
    return {
      options: { paragraphCitations: config.paragraphCitations, rules: config.rules, ...bibliography?.options },
      configKey: JSON.stringify([config.rules, config.paragraphCitations, bibliography?.stamp ?? '']),
    };
  }

  /**
   * `key`'s entry in the memo's bibliography: its inline references' (which Pandoc takes over a
   * file's with the same id), else its files' as read so far; undefined when it has none.
   */
  bibliographyEntry(doc: vscode.TextDocument, key: string): BibliographyEntry | undefined {
    const draft = this.draft(doc);
    return frontMatterReferences(draft).find((e) => e.key === key) ?? this.bibliographies?.entryOf(this.bibliographies.filesOf(doc.uri, draft), key);
  }

  /** Where `key`'s entry is: in the memo's inline references, else in its bibliography files. */
  async bibliographyLocation(doc: vscode.TextDocument, key: string): Promise<vscode.Location | undefined> {
    const draft = this.draft(doc);
    const fm = draft.frontMatter;
    if (fm && frontMatterReferences(draft).some((e) => e.key === key)) {
      const span = entrySpan(draft.text.slice(fm.start, fm.end), 'front-matter.yaml', key);
      if (span) return new vscode.Location(doc.uri, new vscode.Range(doc.positionAt(fm.start + span.start), doc.positionAt(fm.start + span.end)));
    }
    return this.bibliographies?.locate(this.bibliographies.filesOf(doc.uri, draft), key);
  }

  /** The entries of the memo's bibliography: its files' as read so far, then its inline references' (one per key, as bibliographyEntry gives it). */
  bibliographyEntries(doc: vscode.TextDocument): BibliographyEntry[] {
    const draft = this.draft(doc);
    const files = this.bibliographies?.entriesOf(this.bibliographies.filesOf(doc.uri, draft)) ?? [];
    const inline = frontMatterReferences(draft);
    if (inline.length === 0) return files;
    const inlineByKey = new Map<string, BibliographyEntry>();
    for (const e of inline) if (!inlineByKey.has(e.key)) inlineByKey.set(e.key, e);
    const fromFiles = new Set(files.map((e) => e.key));
    return [...files.map((e) => inlineByKey.get(e.key) ?? e), ...[...inlineByKey.values()].filter((e) => !fromFiles.has(e.key))];
  }

  /**
   * Resolves once the bibliography files of the memo as it is now are read (their keys are not
   * unknown): before its first check, so that their citations are not flagged for a moment.
   */
  async bibliographiesRead(doc: vscode.TextDocument): Promise<void> {
    if (!this.bibliographies) return;
    // (The last draft's, even of an earlier version: an edit seldom changes the front matter, and
    // one that does has the check read the new files, then check again once they are read.)
    const entry = this.entries.get(doc.uri.toString());
    const names = entry ? entry.draft : { bibliography: frontMatterBibliography(doc.getText(new vscode.Range(0, 0, 2000, 0))) };
    // (And those of its Quarto project, known first.)
    await this.bibliographies.projectRead(doc.uri);
    await this.bibliographies.read(this.bibliographies.filesOf(doc.uri, names));
  }

  dispose(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.entries.clear();
    this.starting.clear();
    for (const d of this.disposables) d.dispose();
  }
}
