// The checker's findings as diagnostics for open memos: on open, debounced while typing, and again
// whenever the sources change.
import * as vscode from 'vscode';
import type { CheckResult } from '../core/check/checkDraft';
import { ruleDocsUrl } from '../core/check/rules';
import type { Finding, Severity } from '../core/types';
import { isMemoDocument, readConfig } from './config';
import type { MemoAnalysis } from './memoAnalysis';
import type { WorkspaceIndex } from './workspaceIndex';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Diagnostics keep the finding they came from, for the quick fixes. */
export const findingOf = new WeakMap<vscode.Diagnostic, Finding>();

export class MemoDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('policy-cite');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly emitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires after a memo's diagnostics were refreshed. */
  readonly onDidUpdate = this.emitter.event;
  /**
   * Per memo (URI string): how long each slice of the check behind its last diagnostics held the
   * extension host, in ms (empty when the result was there already, or came from another check).
   */
  readonly lastSlices = new Map<string, number[]>();
  /** Per memo (URI string): the check result behind its diagnostics, whatever has changed since. */
  private readonly results = new Map<string, { version: number; result: CheckResult }>();

  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly analysis: MemoAnalysis,
  ) {
    this.disposables.push(this.emitter);
    vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0), undefined, this.disposables);
    vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document), undefined, this.disposables);
    vscode.workspace.onDidCloseTextDocument((doc) => this.clear(doc.uri), undefined, this.disposables);
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('policyCite')) this.refreshAll();
    }, undefined, this.disposables);
    workspace.onDidChange(() => this.refreshAll(), undefined, this.disposables);
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private schedule(doc: vscode.TextDocument, delay = readConfig(doc.uri).debounceMs): void {
    if (!this.applies(doc)) return;
    const key = doc.uri.toString();
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) void this.update(doc);
      }, delay),
    );
  }

  /**
   * The check result behind the memo's diagnostics as published: the sources may have changed
   * since, and the memo too unless `sameVersion`.
   */
  published(doc: vscode.TextDocument, sameVersion = false): CheckResult | undefined {
    const entry = this.results.get(doc.uri.toString());
    return entry && (!sameVersion || entry.version === doc.version) ? entry.result : undefined;
  }

  /** Whether the memo gets diagnostics (Markdown or Quarto, not a source, not a Git or output view). */
  applies(doc: vscode.TextDocument): boolean {
    return isMemoDocument(doc) && doc.uri.scheme !== 'git' && doc.uri.scheme !== 'output' && !this.workspace.isSource(doc.uri);
  }

  async update(doc: vscode.TextDocument): Promise<void> {
    // A check before the first index is built would flag every citation key as unknown.
    await this.workspace.whenReady().catch(() => undefined);
    if (doc.isClosed) return;
    if (!this.applies(doc)) {
      this.clear(doc.uri);
      return;
    }
    // In slices: a long memo checked anew does not hold the extension host. A result that went
    // stale meanwhile is dropped: a change of the memo or of the index scheduled another update,
    // and a check made meanwhile for another feature (code actions) is the memo's as it is.
    const slices: number[] = [];
    const fresh = await this.analysis.checkInSlices(doc, (ms) => slices.push(ms));
    if (doc.isClosed) return;
    const result = fresh ?? this.analysis.checked(doc);
    if (!result) return;
    this.lastSlices.set(doc.uri.toString(), fresh ? slices : []);
    this.results.set(doc.uri.toString(), { version: doc.version, result });
    this.collection.set(doc.uri, result.findings.map((f) => toDiagnostic(doc, f)));
    this.emitter.fire(doc);
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.collection.delete(uri);
    this.lastSlices.delete(key);
    this.results.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

export function toDiagnostic(doc: vscode.TextDocument, f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end));
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = 'policy-cite';
  d.code = { value: f.code, target: vscode.Uri.parse(ruleDocsUrl(f.code)) };
  findingOf.set(d, f);
  return d;
}
