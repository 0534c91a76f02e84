// The checker's findings as diagnostics for open memos: on open, debounced while typing, and again
// whenever the sources change.
import * as vscode from 'vscode';
import type { CheckResult } from '../core/check/checkDraft';
import { ruleDocsUrl } from '../core/check/rules';
import type { Finding, Severity } from '../core/types';
import { isMemoDocument, readConfig } from './config';
import { Debouncer } from './debounce';
import type { MemoAnalysis } from './memoAnalysis';
import type { WorkspaceIndex } from './workspaceIndex';

export const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Diagnostics keep the finding they came from, for the quick fixes. */
export const findingOf = new WeakMap<vscode.Diagnostic, Finding>();

export class MemoDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('policy-cite');
  private readonly timers = new Debouncer();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly emitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires after a memo's diagnostics were refreshed. */
  readonly onDidUpdate = this.emitter.event;
  /**
   * Per memo (URI string): how long each slice of the check behind its last diagnostics held the
   * extension host, in ms (empty when the result was there already, or came from another check).
   */
  readonly lastSlices = new Map<string, number[]>();
  /**
   * Per memo (URI string): the parts in sight (offset ranges) whose findings were published first
   * by the last check of every sentence anew, how many there were, the milliseconds of the slices
   * before them (the memo's parse in slices and its check of those parts), and whether they came
   * while the memo was still being read (a memo just opened).
   */
  readonly lastInSight = new Map<string, { ranges: Array<[number, number]>; findings: number; afterMs: number; whileReading: boolean }>();
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
    analysis.bibliographies?.onDidChange(() => this.refreshAll(), undefined, this.disposables);
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private schedule(doc: vscode.TextDocument, delay = readConfig(doc.uri).debounceMs): void {
    if (!this.applies(doc)) return;
    this.timers.run(doc.uri.toString(), delay, () => {
      if (!doc.isClosed) void this.update(doc);
    });
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
    // A check before the first index is built would flag every citation key as unknown; so would
    // one before the memo's bibliography files are read, for the works only they hold.
    await Promise.all([this.workspace.whenReady().catch(() => undefined), this.analysis.bibliographiesRead(doc)]);
    if (doc.isClosed) return;
    if (!this.applies(doc)) {
      this.clear(doc.uri);
      return;
    }
    // In slices: a long memo checked anew does not hold the extension host. A result that went
    // stale meanwhile is dropped: a change of the memo or of the index scheduled another update,
    // and a check made meanwhile for another feature (code actions) is the memo's as it is.
    const slices: number[] = [];
    const version = doc.version;
    const fresh = await this.analysis.checkInSlices(doc, (ms) => slices.push(ms), {
      ranges: () => rangesInSight(doc),
      onFindings: (findings, ranges, whileReading) => {
        if (doc.isClosed || doc.version !== version) return;
        this.publishInSight(doc, findings, ranges);
        this.lastInSight.set(doc.uri.toString(), {
          ranges: ranges.map(([start, end]) => [start, end]),
          findings: findings.length,
          afterMs: slices.reduce((a, b) => a + b, 0),
          whileReading,
        });
      },
    });
    if (doc.isClosed) return;
    const result = fresh ?? this.analysis.checked(doc);
    if (!result) return;
    this.lastSlices.set(doc.uri.toString(), fresh ? slices : []);
    this.results.set(doc.uri.toString(), { version: doc.version, result });
    this.collection.set(doc.uri, result.findings.map((f) => toDiagnostic(doc, f)));
    this.emitter.fire(doc);
  }

  /**
   * Publishes the findings in sight of a memo checked anew (see MemoAnalysis.checkInSlices) before
   * the rest is checked: they replace the diagnostics there; those elsewhere stay until the whole
   * check replaces them all.
   */
  private publishInSight(doc: vscode.TextDocument, findings: Finding[], ranges: ReadonlyArray<readonly [number, number]>): void {
    const kept = (this.collection.get(doc.uri) ?? []).filter((d) => {
      const start = doc.offsetAt(d.range.start);
      const end = doc.offsetAt(d.range.end);
      return !ranges.some(([a, b]) => start < b && end > a);
    });
    this.collection.set(doc.uri, [...kept, ...findings.map((f) => toDiagnostic(doc, f))]);
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    this.timers.cancel(key);
    this.collection.delete(uri);
    this.lastSlices.delete(key);
    this.lastInSight.delete(key);
    this.results.delete(key);
  }

  dispose(): void {
    this.timers.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Lines above and below the visible ones that count as in sight (a scroll away). */
const SIGHT_MARGIN_LINES = 20;
/** In sight of a memo no editor shows: its first lines, where an editor opening it shows it. */
const TOP_LINES = 100;

/** The offset ranges of a memo in sight: what its visible editors show, with a margin; else its top. */
function rangesInSight(doc: vscode.TextDocument): Array<readonly [number, number]> {
  const key = doc.uri.toString();
  const visible = vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key).flatMap((e) => e.visibleRanges);
  const lines = visible.length ? visible.map((r) => [r.start.line, r.end.line] as const) : [[0, TOP_LINES] as const];
  return lines.map(([first, last]) => {
    const from = Math.max(0, first - SIGHT_MARGIN_LINES);
    const to = Math.min(doc.lineCount - 1, last + SIGHT_MARGIN_LINES);
    return [doc.offsetAt(new vscode.Position(from, 0)), doc.offsetAt(doc.lineAt(to).range.end)] as const;
  });
}

export function toDiagnostic(doc: vscode.TextDocument, f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end));
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  labelled(d, f.code);
  findingOf.set(d, f);
  return d;
}

/** Marks a diagnostic as policy-cite's, its code linking to the rule's documentation. */
export function labelled(d: vscode.Diagnostic, code: string): vscode.Diagnostic {
  d.source = 'policy-cite';
  d.code = { value: code, target: vscode.Uri.parse(ruleDocsUrl(code)) };
  return d;
}
