// Pinning citation keys: each chosen source's front matter is made to give the key it is cited by
// now (see core/edit/pinKey), so that a source added or renamed later cannot take it. From the
// Sources view, the source chosen; from the command palette, every source whose key another
// source takes too (see keyCollisions). All in one workspace edit: one undo.
import * as vscode from 'vscode';
import { pinKeyEdit } from '../core/edit/pinKey';
import type { Source } from '../core/types';
import { applyAndSaveClean } from './applyEdit';
import { sourceOfNode } from './sourcesView';
import type { WorkspaceIndex } from './workspaceIndex';

/**
 * `policyCite.pinCitationKey` (a Sources view node) and `policyCite.pinCitationKeys` (none):
 * gives the number of source files edited.
 */
export async function pinCitationKeysCommand(workspace: WorkspaceIndex, node?: unknown): Promise<number> {
  const chosen = sourceOfNode(workspace, node);
  const sources = chosen ? [chosen] : workspace.collidingSources();
  if (sources.length === 0) {
    void vscode.window.showInformationMessage('Policy Cite: no two sources take the same citation key; there is no key to pin.');
    return 0;
  }
  const edit = new vscode.WorkspaceEdit();
  const problems: string[] = [];
  const edited: Array<{ doc: vscode.TextDocument; source: Source }> = [];
  const given: string[] = [];
  for (const source of sources) {
    const uri = workspace.uriOf(source);
    let doc: vscode.TextDocument | undefined;
    try {
      doc = uri && (await vscode.workspace.openTextDocument(uri));
    } catch (e) {
      problems.push(`${source.path}: ${(e as Error).message}`);
      continue;
    }
    if (!doc) {
      problems.push(`${source.path}: the file is not found`);
      continue;
    }
    const result = pinKeyEdit(doc.getText(), source.key);
    if (!result.ok) problems.push(`${source.path}: ${result.error}`);
    else if (!result.edit) given.push(`@${source.key}`);
    else {
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(result.edit.start), doc.positionAt(result.edit.end)), result.edit.newText);
      edited.push({ doc, source });
    }
  }
  // (Saved, so that the index reads them.)
  const applied = edited.length > 0 && (await applyAndSaveClean(edit));
  if (edited.length > 0 && !applied) problems.push('VS Code did not apply the edit');
  const done = applied ? edited : [];
  if (done.length > 0) {
    const keys = done.map(({ source }) => `@${source.key}`).join(', ');
    void vscode.window.showInformationMessage(`Policy Cite: pinned ${keys} in the front matter of ${done.length === 1 ? 'its source' : `their ${done.length} sources`}.`);
  } else if (given.length > 0 && problems.length === 0) {
    void vscode.window.showInformationMessage(`Policy Cite: ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} given in the front matter already.`);
  }
  if (problems.length > 0) void vscode.window.showWarningMessage(`Policy Cite: could not pin a key: ${problems.join('; ')}`);
  return done.length;
}
