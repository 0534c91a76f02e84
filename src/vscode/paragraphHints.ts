// Paragraph numbers in source files: an inlay hint `¶N` at the start of each body paragraph, the
// number a citation's `para. N` locator names, with the citation to write in its tooltip.
import * as vscode from 'vscode';
import { formatCitation } from '../core/edit/citationEdit';
import { parseSource } from '../core/source';
import type { Paragraph } from '../core/types';
import { readConfig } from './config';
import type { WorkspaceIndex } from './workspaceIndex';

/** An edited source larger than this (characters; reading it takes about 0.3 ms per thousand) gets no hints until it is saved. */
const MAX_EDITED_CHARS = 100_000;

export class ParagraphNumberHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The paragraphs of the last edited source read (see editedParagraphs). */
  private edited: { key: string; version: number; paragraphs: Paragraph[] } | undefined;

  constructor(private readonly workspace: WorkspaceIndex) {
    // A source re-indexed (after a save, a change on disk) or the setting changed: hints anew.
    workspace.onDidChange(() => this.changed.fire(), undefined, this.disposables);
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('policyCite.paragraphNumbers') && this.changed.fire(), undefined, this.disposables);
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): vscode.InlayHint[] {
    const source = this.workspace.sourceAt(doc.uri);
    if (!source || !readConfig(doc.uri).paragraphNumbers) return [];
    const paragraphs = doc.isDirty ? this.editedParagraphs(doc, source.path) : source.paragraphs;
    const from = doc.offsetAt(range.start);
    const to = doc.offsetAt(range.end);
    const hints: vscode.InlayHint[] = [];
    for (const p of paragraphs) {
      if (token.isCancellationRequested) break;
      if (p.start < from || p.start > to) continue;
      const hint = new vscode.InlayHint(doc.positionAt(p.start), `¶${p.index}`);
      hint.paddingRight = true;
      // (Plain text: the key is the source's text.)
      hint.tooltip = `Paragraph ${p.index} of ${paragraphs.length}: cite it as [${formatCitation({ key: source.key, locator: `para. ${p.index}` })}]`;
      hints.push(hint);
    }
    return hints;
  }

  /**
   * The index read the file as saved; an edited source is read as it is now, once per version
   * (its claims are made only when first read, so this is its paragraphs' cost). A large one is
   * not read on every edit: its hints come back when it is saved.
   */
  private editedParagraphs(doc: vscode.TextDocument, path: string): Paragraph[] {
    const key = doc.uri.toString();
    if (this.edited?.key === key && this.edited.version === doc.version) return this.edited.paragraphs;
    const text = doc.getText();
    const paragraphs = text.length > MAX_EDITED_CHARS ? [] : parseSource(text, path).paragraphs;
    this.edited = { key, version: doc.version, paragraphs };
    return paragraphs;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function registerParagraphHints(workspace: WorkspaceIndex): vscode.Disposable {
  const provider = new ParagraphNumberHints(workspace);
  const registration = vscode.languages.registerInlayHintsProvider([{ language: 'markdown' }, { language: 'plaintext' }], provider);
  return vscode.Disposable.from(registration, provider);
}
