// Go to Definition (F12, Ctrl+click) on a citation: the cited paragraph in the source's file (each
// cited range of paragraphs, whole), or the file's start when the citation names no paragraph of
// it; of a work only the memo's bibliography has, its entry there. On a file the front matter's
// `bibliography:` names, that file.
import * as vscode from 'vscode';
import { bibliographyNameAt } from '../core/bibliographyNames';
import { citationTargets } from '../core/citations';
import type { Draft } from '../core/draftTypes';
import { citationAt } from '../core/edit/citationEdit';
import { bibliographyUri } from './citationEdit';
import { MEMO_SELECTOR } from './config';
import type { MemoAnalysis } from './memoAnalysis';
import type { WorkspaceIndex } from './workspaceIndex';

export class CitationDefinitionProvider implements vscode.DefinitionProvider {
  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly analysis: MemoAnalysis,
  ) {}

  async provideDefinition(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.LocationLink[] | undefined> {
    if (!(await this.analysis.readyToRead(doc, token)) || this.workspace.isSource(doc.uri)) return undefined;
    const draft = this.analysis.draft(doc);
    const file = await this.bibliographyFileAt(doc, draft, doc.offsetAt(position));
    if (file || token.isCancellationRequested) return file && [file];
    const citation = citationAt(draft, doc.offsetAt(position));
    const source = citation && this.workspace.index.source(citation.key);
    if (citation && !source) {
      const entry = await this.analysis.bibliographyLocation(doc, citation.key);
      if (!entry || token.isCancellationRequested) return undefined;
      return [{ originSelectionRange: new vscode.Range(doc.positionAt(citation.start), doc.positionAt(citation.end)), targetUri: entry.uri, targetRange: entry.range, targetSelectionRange: entry.range }];
    }
    const uri = source && this.workspace.uriOf(source);
    if (!citation || !source || !uri) return undefined;
    // The source's offsets are into its text as indexed: the document converts them to positions.
    const target = await vscode.workspace.openTextDocument(uri);
    if (token.isCancellationRequested) return undefined;
    // One target per cited range (`paras. 2–4, 7`), the whole range selected: VS Code peeks at several.
    return citationTargets(citation, source).map((span) => {
      const range = new vscode.Range(target.positionAt(span.start), target.positionAt(span.end));
      return { originSelectionRange: new vscode.Range(doc.positionAt(citation.start), doc.positionAt(citation.end)), targetUri: uri, targetRange: range, targetSelectionRange: range };
    });
  }

  /**
   * The bibliography file whose name in the front matter is at `offset`, when it is there (and,
   * in Restricted Mode, inside the workspace, as the files read are).
   */
  private async bibliographyFileAt(doc: vscode.TextDocument, draft: Draft, offset: number): Promise<vscode.LocationLink | undefined> {
    const at = bibliographyNameAt(draft, offset);
    const uri = at && bibliographyUri(doc.uri, at.name);
    if (!at || !uri || !(vscode.workspace.isTrusted || vscode.workspace.getWorkspaceFolder(uri))) return undefined;
    try {
      if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) return undefined;
    } catch {
      return undefined;
    }
    const start = new vscode.Range(0, 0, 0, 0);
    return { originSelectionRange: new vscode.Range(doc.positionAt(at.span.start), doc.positionAt(at.span.end)), targetUri: uri, targetRange: start, targetSelectionRange: start };
  }
}

export function registerDefinition(workspace: WorkspaceIndex, analysis: MemoAnalysis): vscode.Disposable {
  return vscode.languages.registerDefinitionProvider(MEMO_SELECTOR, new CitationDefinitionProvider(workspace, analysis));
}
