// "n/m facts sourced" for the active memo; a click opens the Problems panel.
import * as vscode from 'vscode';
import type { MemoDiagnostics } from './diagnostics';
import type { MemoAnalysis } from './memoAnalysis';

export class SourcedStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('policyCite.sourced', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private shown = false;

  constructor(
    private readonly analysis: MemoAnalysis,
    private readonly diagnostics: MemoDiagnostics,
  ) {
    this.item.name = 'Policy Cite';
    this.item.command = 'workbench.actions.view.problems';
    vscode.window.onDidChangeActiveTextEditor(() => this.update(), undefined, this.disposables);
    diagnostics.onDidUpdate((doc) => {
      if (doc === vscode.window.activeTextEditor?.document) this.update();
    }, undefined, this.disposables);
    this.update();
  }

  /**
   * Shows the counts of the active memo's last check. It never checks the memo itself: a memo
   * just opened, or one whose sources changed, would be checked in one go (a second or more at
   * 10,000 lines) instead of in the diagnostics' slices. Until those publish, it says so.
   */
  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !this.diagnostics.applies(doc)) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const result = this.analysis.checked(doc) ?? this.diagnostics.published(doc);
    if (!result) {
      this.item.text = '$(sync~spin) Checking memo…';
      this.item.tooltip = 'Policy Cite: checking this memo against the indexed sources; the counts show when it is done.';
      this.show();
      return;
    }
    const { stats, findings } = result;
    this.item.text = `$(quote) ${stats.sourced}/${stats.factual} facts sourced`;
    const problems = findings.length;
    this.item.tooltip = `Policy Cite: ${stats.sourced} of ${stats.factual} factual statements have a source; ${problems} finding${problems === 1 ? '' : 's'}. Click to open the Problems panel.`;
    this.show();
  }

  /** The item's text while shown, for tests. */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  private show(): void {
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
