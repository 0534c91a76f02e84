// Rename Symbol (F2) on a citation key: every citation of it in the workspace's memos, the front
// matter of the source that has it (which then gives the new key, see pinKeyEdit), and its entry
// in the memos' bibliographies (their files and inline `references:`), in one workspace edit,
// which VS Code previews, applies and undoes as one.
import * as vscode from 'vscode';
import { pinKeyEdit } from '../core/edit/pinKey';
import { entrySpan } from '../core/bibliographyKeys';
import { citationKeyEdit, entryKeyEdit, newCitationKey } from '../core/edit/renameKey';
import { citationAt, type TextEditSpec } from '../core/edit/citationEdit';
import type { Citation } from '../core/draftTypes';
import { LineIndex } from '../core/positions';
import { applyAndSaveClean } from './applyEdit';
import { isMemoDocument, MEMO_SELECTOR } from './config';
import type { MemoAnalysis } from './memoAnalysis';
import { citationsInMemos } from './references';
import { sourceOfNode } from './sourcesView';
import type { WorkspaceIndex } from './workspaceIndex';

export class CitationRenameProvider implements vscode.RenameProvider {
  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly analysis: MemoAnalysis,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The citation whose key is at `position`, or undefined (another provider may rename what is there: a heading, a link). */
  private async keyAt(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<Citation | undefined> {
    if (!isMemoDocument(doc) || this.workspace.isSource(doc.uri) || !(await this.analysis.readyToRead(doc, token))) return undefined;
    const offset = doc.offsetAt(position);
    const citation = citationAt(this.analysis.draft(doc), offset);
    return citation && offset >= citation.keyStart && offset <= citation.keyEnd ? citation : undefined;
  }

  async prepareRename(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<{ range: vscode.Range; placeholder: string } | undefined> {
    const citation = await this.keyAt(doc, position, token);
    return citation && { range: new vscode.Range(doc.positionAt(citation.keyStart), doc.positionAt(citation.keyEnd)), placeholder: citation.key };
  }

  /**
   * The edit, or an empty one when the key cannot be renamed so, with a message that says why: a
   * rejection (a thrown error) would have VS Code ask the next provider, and Markdown's renames a
   * bracketed citation as a link label.
   */
  async provideRenameEdits(doc: vscode.TextDocument, position: vscode.Position, newName: string, token: vscode.CancellationToken): Promise<vscode.WorkspaceEdit | undefined> {
    const citation = await this.keyAt(doc, position, token);
    if (!citation) return undefined;
    const edit = new vscode.WorkspaceEdit();
    const refused = await this.renameEdits(citation.key, newName, edit, token);
    if (refused === undefined) return token.isCancellationRequested ? undefined : edit;
    void vscode.window.showErrorMessage(`Policy Cite: @${citation.key} is not renamed: ${refused}.`);
    return new vscode.WorkspaceEdit();
  }

  /** Puts the edits of renaming `from` into `edit`; gives why not when it cannot be done. */
  async renameEdits(from: string, newName: string, edit: vscode.WorkspaceEdit, token: vscode.CancellationToken): Promise<string | undefined> {
    const typed = newCitationKey(newName);
    if ('error' in typed) return typed.error;
    const to = typed.key;
    if (to === from) return undefined;
    const other = this.workspace.index.source(to);
    if (other) return `@${to} is the key of ${other.path} already`;

    // An indexed source's front matter gives the new key, so that the index takes it.
    const source = this.workspace.index.source(from);
    if (source) {
      const sourceUri = this.workspace.uriOf(source);
      const sourceDoc = sourceUri && (await vscode.workspace.openTextDocument(sourceUri));
      if (!sourceDoc) return `${source.path} is not found`;
      const pinned = pinKeyEdit(sourceDoc.getText(), to);
      if (!pinned.ok) return `${source.path}: ${pinned.error}`;
      if (pinned.edit) edit.replace(sourceDoc.uri, range(pinned.edit, (o) => sourceDoc.positionAt(o)), pinned.edit.newText);
    }

    const memos = await citationsInMemos(this.workspace, this.analysis, from, token, this.log);
    if (!memos || token.isCancellationRequested) return undefined;
    const bibliographies = new Map<string, vscode.Uri>();
    for (const memo of memos) {
      for (const c of memo.citations) {
        const e = citationKeyEdit(memo.text, c, to);
        edit.replace(memo.uri, range(e, memo.position), e.newText);
      }
      // Its inline references, and its bibliography files (each once, however many memos name it).
      const fm = memo.draft.frontMatter;
      if (fm) {
        const inline = memo.text.slice(fm.start, fm.end);
        if (entrySpan(inline, FRONT_MATTER, to)) return `${vscode.workspace.asRelativePath(memo.uri)} has a reference @${to} already`;
        const e = entryKeyEdit(inline, FRONT_MATTER, from, to);
        if (e && !('error' in e)) edit.replace(memo.uri, range({ ...e, start: fm.start + e.start, end: fm.start + e.end }, memo.position), e.newText);
      }
      for (const uri of this.analysis.bibliographies?.filesOf(memo.uri, memo.draft) ?? []) bibliographies.set(uri.toString(), uri);
    }
    for (const uri of bibliographies.values()) {
      const file = await bibliographyText(uri);
      if (file === undefined) continue;
      const name = vscode.workspace.asRelativePath(uri);
      if (entrySpan(file.text, uri.path, to)) return `${name} has an entry @${to} already`;
      const e = entryKeyEdit(file.text, uri.path, from, to);
      if (!e) continue;
      if ('error' in e) return `${name}: ${e.error}`;
      edit.replace(uri, range(e, file.position), e.newText);
    }
    return undefined;
  }
}

/** The path a memo's inline references are read as (YAML). */
const FRONT_MATTER = 'front-matter.yaml';

function range(e: TextEditSpec, position: (offset: number) => vscode.Position): vscode.Range {
  return new vscode.Range(position(e.start), position(e.end));
}

/** A bibliography file's text (as in the editor when open), or undefined when there is none or it cannot be read. */
async function bibliographyText(uri: vscode.Uri): Promise<{ text: string; position: (offset: number) => vscode.Position } | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { text: open.getText(), position: (o) => open.positionAt(o) };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
    const lines = new LineIndex(text);
    return {
      text,
      position: (o) => {
        const p = lines.positionAt(o);
        return new vscode.Position(p.line, p.character);
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * `policyCite.renameCitationKey` from a source in the Sources view: asks for the new key (checked
 * as it is typed), then makes the rename's edits, as F2 on a citation would. Gives the number of
 * files edited.
 */
async function renameFromSourcesView(provider: CitationRenameProvider, workspace: WorkspaceIndex, node: unknown, newKey?: unknown): Promise<number> {
  const source = sourceOfNode(workspace, node);
  if (!source) return 0;
  const from = source.key;
  // (A key given with the command, from a keybinding or a test, is not asked for.)
  const typed = typeof newKey === 'string' ? newKey : await vscode.window.showInputBox({
    title: `Rename @${from}`,
    prompt: 'The new citation key: in every memo that cites it, in the source’s front matter and in the memos’ bibliographies',
    value: from,
    validateInput: (value) => {
      const read = newCitationKey(value);
      if ('error' in read) return read.error;
      const other = read.key === from ? undefined : workspace.index.source(read.key);
      return other ? `@${read.key} is the key of ${other.path} already` : undefined;
    },
  });
  if (typed === undefined) return 0;
  const edit = new vscode.WorkspaceEdit();
  const cancel = new vscode.CancellationTokenSource();
  try {
    const refused = await provider.renameEdits(from, typed, edit, cancel.token);
    if (refused !== undefined) {
      void vscode.window.showErrorMessage(`Policy Cite: @${from} is not renamed: ${refused}.`);
      return 0;
    }
  } finally {
    cancel.dispose();
  }
  // Saved as VS Code saves them after F2, so that the index reads the source's new key.
  return (await applyAndSaveClean(edit)) ? edit.size : 0;
}

export function registerRename(workspace: WorkspaceIndex, analysis: MemoAnalysis, log: vscode.LogOutputChannel): vscode.Disposable {
  const provider = new CitationRenameProvider(workspace, analysis, log);
  return vscode.Disposable.from(
    vscode.languages.registerRenameProvider(MEMO_SELECTOR, provider),
    vscode.commands.registerCommand('policyCite.renameCitationKey', (node?: unknown, newKey?: unknown) => renameFromSourcesView(provider, workspace, node, newKey)),
  );
}
