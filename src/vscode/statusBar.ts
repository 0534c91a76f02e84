// "n/m facts sourced" for the active memo; a click opens the Problems panel.
import * as vscode from 'vscode';
import { isMemoDocument } from './config';
import type { MemoDiagnostics } from './diagnostics';
import type { MemoAnalysis } from './memoAnalysis';
import type { WorkspaceIndex } from './workspaceIndex';

export class SourcedStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('policyCite.sourced', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly analysis: MemoAnalysis,
    diagnostics: MemoDiagnostics,
  ) {
    this.item.name = 'Policy Cite';
    this.item.command = 'workbench.actions.view.problems';
    vscode.window.onDidChangeActiveTextEditor(() => this.update(), undefined, this.disposables);
    diagnostics.onDidUpdate((doc) => {
      if (doc === vscode.window.activeTextEditor?.document) this.update();
    }, undefined, this.disposables);
    // No update here: it would parse and check the active memo inside activate(), against an
    // index not built yet. The first diagnostics of the memo, once the index is ready, show it.
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isMemoDocument(doc) || this.workspace.isSource(doc.uri)) {
      this.item.hide();
      return;
    }
    const { stats, findings } = this.analysis.check(doc);
    this.item.text = `$(quote) ${stats.sourced}/${stats.factual} facts sourced`;
    const problems = findings.length;
    this.item.tooltip = `Policy Cite: ${stats.sourced} of ${stats.factual} factual statements have a source; ${problems} finding${problems === 1 ? '' : 's'}. Click to open the Problems panel.`;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
