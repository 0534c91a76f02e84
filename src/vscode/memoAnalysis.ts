// Parsed drafts and check results per open memo, cached by document version and index version so
// hover, completion, code actions and diagnostics share one parse per edit.
import * as vscode from 'vscode';
import { checkDraft, checkDraftInSlices, SentenceCache, type CheckOptions, type CheckResult } from '../core/check/checkDraft';
import type { Draft } from '../core/draftTypes';
import { IncrementalDraftParser } from '../core/incrementalDraft';
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
}

export class MemoAnalysis implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Memos not parsed yet, being parsed ahead (see parseAhead): draft() takes their parser over. */
  private readonly starting = new Map<string, { parser: IncrementalDraftParser; version: number; done: Promise<boolean> }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly workspace: WorkspaceIndex) {
    vscode.workspace.onDidCloseTextDocument(
      (doc) => {
        this.entries.delete(doc.uri.toString());
        this.starting.delete(doc.uri.toString());
      },
      undefined,
      this.disposables,
    );
  }

  draft(doc: vscode.TextDocument): Draft {
    const key = doc.uri.toString();
    const entry = this.entries.get(key);
    if (entry && entry.version === doc.version) return entry.draft;
    const parser = entry?.parser ?? this.starting.get(key)?.parser ?? new IncrementalDraftParser();
    this.starting.delete(key);
    const draft = parser.parse(doc.getText());
    this.entries.set(key, { version: doc.version, draft, parser, sentences: entry?.sentences ?? new SentenceCache(), generation: 0 });
    return draft;
  }

  check(doc: vscode.TextDocument): CheckResult {
    const draft = this.draft(doc);
    const done = this.checked(doc);
    if (done) return done;
    const entry = this.entries.get(doc.uri.toString()) as Entry;
    const { options, configKey } = this.options(doc);
    const index = this.workspace.index;
    entry.generation++; // (a check in slices of this version stops: this one does its work)
    const result = checkDraft(draft, index, options, entry.sentences);
    entry.check = { indexVersion: index.version, configKey, result };
    return result;
  }

  /**
   * check(), in slices of about 10 ms between which the extension host handles other events
   * (opening a long memo, or a source change, checks every sentence again: a second or so at
   * 10,000 lines); a memo not parsed yet is parsed in slices first (see parseAhead). Undefined
   * when the result went stale before it was ready: the memo changed, the index did, or another
   * check of the memo began; whatever made it stale checks again.
   */
  async checkInSlices(doc: vscode.TextDocument, onSlice?: (ms: number) => void): Promise<CheckResult | undefined> {
    const key = doc.uri.toString();
    if (!(await this.parseAhead(doc, onSlice))) return undefined;
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
    const { options, configKey } = this.options(doc);
    const index = this.workspace.index;
    const indexVersion = index.version;
    const generation = ++entry.generation;
    const stale = (): boolean =>
      this.entries.get(key) !== entry || entry.generation !== generation || this.workspace.index !== index || index.version !== indexVersion;
    const result = await checkDraftInSlices(draft, index, options, entry.sentences, { stale, onSlice });
    if (!result || stale()) return undefined;
    entry.check = { indexVersion, configKey, result };
    return result;
  }

  /**
   * A memo opened and not parsed yet is parsed in slices too (about 0.15 s in one go at 10,000
   * lines): its pieces ahead of draft(), which then merges them. False when the memo changed or
   * closed meanwhile (whatever changed it checks again). Edits need none of this: the parser
   * re-reads only the pieces they change.
   */
  private async parseAhead(doc: vscode.TextDocument, onSlice?: (ms: number) => void): Promise<boolean> {
    const key = doc.uri.toString();
    if (this.entries.has(key)) return true;
    const version = doc.version;
    // Unless another check of this version is parsing it ahead already: this one waits for that.
    if (this.starting.get(key)?.version !== version) {
      const parser = new IncrementalDraftParser();
      const done = parser
        .parseAhead(doc.getText(), {
          onSlice,
          // (Parsed meanwhile by another feature, or ahead for a newer version: nothing left to do.)
          stale: () => doc.isClosed || doc.version !== version || this.starting.get(key)?.parser !== parser,
        })
        // (Should a piece fail, draft() parses the memo, with parseDraft's fallbacks.)
        .catch(() => false);
      this.starting.set(key, { parser, version, done });
    }
    await this.parsedAhead(doc);
    return !doc.isClosed && doc.version === version;
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

  /** The result of a check of the memo as it is now, when one was made (by check or checkInSlices). */
  checked(doc: vscode.TextDocument): CheckResult | undefined {
    const entry = this.entries.get(doc.uri.toString());
    if (!entry || entry.version !== doc.version || !entry.check) return undefined;
    const index = this.workspace.index;
    return entry.check.indexVersion === index.version && entry.check.configKey === this.options(doc).configKey ? entry.check.result : undefined;
  }

  private options(doc: vscode.TextDocument): { options: CheckOptions; configKey: string } {
    const config = readConfig(doc.uri);
    return {
      options: { paragraphCitations: config.paragraphCitations, rules: config.rules },
      configKey: JSON.stringify([config.rules, config.paragraphCitations]),
    };
  }

  dispose(): void {
    this.entries.clear();
    this.starting.clear();
    for (const d of this.disposables) d.dispose();
  }
}
