import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from './helpers';

const EXTENSION_ID = 'policy-cite.policy-cite';

async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('policy-cite in a real VS Code', () => {
  it('is installed from the development path', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among ${vscode.extensions.all.length} extensions`);
    assert.equal(extension.packageJSON.name, 'policy-cite');
  });

  it('activates once the example memo is open', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const memo = vscode.Uri.joinPath(folder.uri, 'memo.md');
    const document = await vscode.workspace.openTextDocument(memo);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'markdown');

    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await eventually(() => extension.isActive, `${EXTENSION_ID} to activate`);
  });

  it('measures its activate() and exports the time', async function () {
    const { activationMs } = await api();
    assert.ok(Number.isFinite(activationMs) && activationMs > 0, `activationMs ${activationMs}`);
    // The figure shows in the run's output; the benchmark's activate figure has the details.
    if (this.test) this.test.title += ` (${activationMs.toFixed(1)} ms in this run)`;
  });
});
