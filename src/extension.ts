import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Policy Cite', { log: true });
  context.subscriptions.push(log);
  log.info('Policy Cite activated');
}

export function deactivate(): void {
  // Disposables registered in activate are released by VS Code.
}
