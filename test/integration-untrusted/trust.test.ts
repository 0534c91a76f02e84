// The manifest declares `capabilities.untrustedWorkspaces: { supported: true }`: the extension runs
// no workspace code, so it must work in full in Restricted Mode. The launcher opens the fresh copy
// of examples/csto untrusted (POLICY_CITE_WORKSPACE_TRUST=untrusted, set by `--suite untrusted`).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PolicyCiteApi } from '../../src/extension';

const EXTENSION_ID = 'policy-cite.policy-cite';

async function eventually<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('policy-cite in an untrusted workspace (Restricted Mode)', () => {
  it('runs in a workspace that is not trusted', () => {
    assert.ok(vscode.workspace.workspaceFolders?.[0], 'a workspace folder is open');
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace should be untrusted (Restricted Mode)');
  });

  it('activates, indexes the sources and reports diagnostics for memo.md', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const memo = vscode.Uri.joinPath(folder.uri, 'memo.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(memo));

    const extension = vscode.extensions.getExtension<PolicyCiteApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await eventually(() => extension.isActive, `${EXTENSION_ID} to activate`);
    const api = await extension.activate();
    await api.whenReady();
    assert.ok(api.workspace.index.source('golts2012'), 'source golts2012 is indexed');

    const diagnostics = await eventually(() => {
      const found = vscode.languages.getDiagnostics(memo).filter((d) => d.source === 'policy-cite');
      return found.length > 0 ? found : undefined;
    }, 'policy-cite diagnostics for memo.md');
    assert.ok(diagnostics.length > 0);
    assert.equal(vscode.workspace.isTrusted, false, 'still untrusted after activation');
  });

  it('cites inside the workspace, but writes no bibliography outside it that a memo names', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const api = await (vscode.extensions.getExtension<PolicyCiteApi>(EXTENSION_ID) as vscode.Extension<PolicyCiteApi>).activate();
    await api.whenReady();
    const name = `policy-cite-outside-${Date.now()}.json`;
    const outside = vscode.Uri.joinPath(folder.uri, '..', name);
    const memo = vscode.Uri.joinPath(folder.uri, 'outside-bib.md');
    const text = (bibliography: string): string => `---\nbibliography: ${bibliography}\n---\n\nRussia leases a base in Tajikistan.\n`;
    const exists = async (uri: vscode.Uri): Promise<boolean> => Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => true, () => false);
    try {
      await vscode.workspace.fs.writeFile(memo, new TextEncoder().encode(text(`../${name}`)));
      const doc = await vscode.workspace.openTextDocument(memo);
      await vscode.window.showTextDocument(doc);
      const cited = await vscode.commands.executeCommand('policyCite.insertClaimCitation', 'golts2012:2.3', memo.toString(), 10);
      assert.equal(cited, false, 'refused');
      assert.equal(doc.getText(), text(`../${name}`), 'the memo unchanged');
      assert.equal(await exists(outside), false, 'no file written outside the workspace');
      // Inside the workspace, the citation and its bibliography are written as in a trusted one.
      const inside = vscode.Uri.joinPath(folder.uri, 'refs', 'inside.json');
      await vscode.workspace.fs.writeFile(memo, new TextEncoder().encode(text('refs/inside.json')));
      await eventually(() => doc.getText() === text('refs/inside.json'), 'the memo read again');
      assert.equal(await vscode.commands.executeCommand('policyCite.insertClaimCitation', 'golts2012:2.3', memo.toString(), 10), true);
      assert.match(doc.getText(), /\[@golts2012, para\. 2\]/);
      assert.ok(await exists(inside), 'the bibliography inside the workspace is written');
    } finally {
      await Promise.resolve(vscode.workspace.fs.delete(outside)).catch(() => undefined);
    }
  });
});
