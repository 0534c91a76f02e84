// Entries of `policyCite.rules` that the checks ignore (an unknown rule code, a severity that is
// not one): the settings editor marks them from the schema, but settings.json edited by hand or
// from a cloned repository would be ignored without a word. The extension says so once per change
// of the setting: the details in its log, and a notification that names no entry (setting text is
// the workspace's, and a notification renders links).
import * as vscode from 'vscode';
import { rulesFromSetting } from '../core/check/rules';

export class RuleSettingsWarnings implements vscode.Disposable {
  /** What the checks ignore of `policyCite.rules` now, one line per entry and scope. */
  problems: string[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (e.affectsConfiguration('policyCite.rules')) this.review();
      },
      undefined,
      this.disposables,
    );
    vscode.workspace.onDidChangeWorkspaceFolders(() => this.review(), undefined, this.disposables);
    this.review();
  }

  /** Reads the setting as each workspace folder sees it (and the window, without folders), and warns about what is new. */
  review(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const scopes: Array<{ label: string; scope?: vscode.ConfigurationScope }> = folders.length
      ? folders.map((f) => ({ label: folders.length === 1 ? '' : ` (folder ${f.name})`, scope: f.uri }))
      : [{ label: '' }];
    const problems: string[] = [];
    for (const { label, scope } of scopes) {
      const { ignored } = rulesFromSetting(vscode.workspace.getConfiguration('policyCite', scope).get<unknown>('rules'));
      for (const why of ignored) problems.push(`policyCite.rules${label}: ${why}; ignored`);
    }
    const known = new Set(this.problems);
    const fresh = problems.filter((p) => !known.has(p));
    this.problems = problems;
    if (fresh.length === 0) return;
    for (const p of fresh) this.log.warn(p);
    const openSettings = 'Open Settings';
    const showLog = 'Show Log';
    void vscode.window
      .showWarningMessage(
        `Policy Cite ignores ${fresh.length === 1 ? 'an entry' : `${fresh.length} entries`} of the policyCite.rules setting: an unknown rule or severity (see the log).`,
        openSettings,
        showLog,
      )
      .then((choice) => {
        if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'policyCite.rules');
        else if (choice === showLog) this.log.show();
      });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
