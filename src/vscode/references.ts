// Find All References (Shift+F12, Peek References) on a citation, or anywhere in a source file:
// the source (of a work only the memo's bibliography has, its entry) and every citation of it in
// the workspace's memos (its key and locator, the range VS Code's
// Markdown support gives a bracketed citation read as a link label, so the two lists merge). Open memos are read as they are in the
// editor; the others from disk, and only those whose text holds the key.
import * as vscode from 'vscode';
import { parseDraft } from '../core/draft';
import { citationAt } from '../core/edit/citationEdit';
import type { Citation, Draft } from '../core/draftTypes';
import { LineIndex } from '../core/positions';
import { MEMO_FILES } from '../core/glob';
import { isMemoDocument, MEMO_SELECTOR, readConfig } from './config';
import type { MemoAnalysis } from './memoAnalysis';
import { findWorkspaceFiles } from './sourceFiles';
import type { WorkspaceIndex } from './workspaceIndex';

/** Memo files larger than this are not read from disk for references (an open one is). */
const MAX_MEMO_BYTES = 5_000_000;

export class CitationReferenceProvider implements vscode.ReferenceProvider {
  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly analysis: MemoAnalysis,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async provideReferences(doc: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext, token: vscode.CancellationToken): Promise<vscode.Location[] | undefined> {
    if (!(await this.analysis.readyToRead(doc, token))) return undefined;
    const inSource = this.workspace.sourceAt(doc.uri);
    if (!inSource && !isMemoDocument(doc)) return undefined;
    const key = inSource?.key ?? citationAt(this.analysis.draft(doc), doc.offsetAt(position))?.key;
    if (!key) return undefined;
    const locations: vscode.Location[] = [];
    const source = this.workspace.index.source(key);
    const sourceUri = source && this.workspace.uriOf(source);
    if (context.includeDeclaration && sourceUri) locations.push(new vscode.Location(sourceUri, new vscode.Position(0, 0)));
    // A work only the memo's bibliography has: its entry there.
    else if (context.includeDeclaration && !source && !inSource) {
      const entry = await this.analysis.bibliographyLocation(doc, key);
      if (entry) locations.push(entry);
    }
    const memos = await citationsInMemos(this.workspace, this.analysis, key, token, this.log);
    if (!memos) return undefined;
    for (const memo of memos) for (const c of memo.citations) locations.push(new vscode.Location(memo.uri, new vscode.Range(memo.position(c.start), memo.position(c.end))));
    return locations;
  }
}

/** A memo's citations of a key: its text (as in the editor when open, else from disk) and where an offset of it is. */
export interface MemoCitations {
  uri: vscode.Uri;
  text: string;
  draft: Draft;
  citations: Citation[];
  position: (offset: number) => vscode.Position;
}

/**
 * The workspace's memos that cite `key`, with those citations: open memos first, with their
 * unsaved changes, then the others from disk (only those whose text holds the key); undefined
 * when cancelled.
 */
export async function citationsInMemos(
  workspace: WorkspaceIndex,
  analysis: MemoAnalysis,
  key: string,
  token: vscode.CancellationToken,
  log: vscode.LogOutputChannel,
): Promise<MemoCitations[] | undefined> {
  const out: MemoCitations[] = [];
  const seen = new Set<string>();
  // (Not the copies of diff views and the like: only the workspace's schemes and new files.)
  const schemes = new Set(['file', 'untitled', ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.scheme)]);
  for (const memo of vscode.workspace.textDocuments) {
    if (memo.isClosed || !schemes.has(memo.uri.scheme) || !isMemoDocument(memo) || workspace.isSource(memo.uri)) continue;
    seen.add(memo.uri.toString());
    const draft = analysis.draft(memo);
    const citations = citationsOf(draft, key);
    if (citations.length > 0) out.push({ uri: memo.uri, text: draft.text, draft, citations, position: (offset) => memo.positionAt(offset) });
  }
  const config = readConfig();
  const files = await findWorkspaceFiles(MEMO_FILES, config.exclude, token, log);
  for (const uri of files) {
    if (token.isCancellationRequested) return undefined;
    if (seen.has(uri.toString()) || workspace.isSource(uri)) continue;
    const text = await readMemo(uri);
    if (text === undefined || !text.includes(key)) continue;
    const draft = parseDraft(text);
    const citations = citationsOf(draft, key);
    if (citations.length === 0) continue;
    const lines = new LineIndex(text);
    out.push({
      uri,
      text,
      draft,
      citations,
      position: (offset) => {
        const p = lines.positionAt(offset);
        return new vscode.Position(p.line, p.character);
      },
    });
  }
  return out;
}

function citationsOf(draft: Draft, key: string): Citation[] {
  return draft.citations.flatMap((g) => g.citations).filter((c) => c.key === key);
}

/** A memo's text, or undefined when it cannot be read, is too large or is not UTF-8 text. */
async function readMemo(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_MEMO_BYTES) return undefined;
    return new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export function registerReferences(workspace: WorkspaceIndex, analysis: MemoAnalysis, log: vscode.LogOutputChannel): vscode.Disposable {
  // On memos, and on any document for a source file (sources may be plain text).
  return vscode.languages.registerReferenceProvider([...(MEMO_SELECTOR as vscode.DocumentFilter[]), { language: 'plaintext' }], new CitationReferenceProvider(workspace, analysis, log));
}
