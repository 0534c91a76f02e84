// Applying an edit of several files that the index must read at once (a source's front matter).
import * as vscode from 'vscode';

/**
 * Applies `edit` and saves the files it changed that had no unsaved changes before, as VS Code
 * saves the files of a refactoring, so that the index reads them; a file with unsaved changes of
 * the user's, and an untitled one, are left to the user to save. Whether the edit was applied.
 */
export async function applyAndSaveClean(edit: vscode.WorkspaceEdit): Promise<boolean> {
  const uris = edit.entries().map(([uri]) => uri);
  const unsaved = new Set(vscode.workspace.textDocuments.filter((d) => d.isDirty || d.isUntitled).map((d) => d.uri.toString()));
  if (uris.length === 0 || !(await vscode.workspace.applyEdit(edit))) return false;
  for (const uri of uris) {
    if (uri.scheme === 'untitled' || unsaved.has(uri.toString())) continue;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save();
  }
  return true;
}
