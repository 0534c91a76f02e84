// One WorkspaceEdit that cites a claim: the citation in the memo, `bibliography:` in its front
// matter when missing, and the source's CSL-JSON entry merged into the bibliography file; or,
// without a citation, that adds cited sources' entries (the missing-bibliography-entry fixes).
import * as vscode from 'vscode';
import { cslItemFor, mergeBibliography } from '../core/bibliography';
import { bibliographyTarget, citationInsertion, formatCitation, type TextEditSpec } from '../core/edit/citationEdit';
import { parseDraft } from '../core/draft';
import type { Draft } from '../core/draftTypes';
import type { ProjectBibliography } from '../core/quartoProject';
import type { Claim, Source } from '../core/types';
import { readConfig } from './config';
import type { WorkspaceIndex } from './workspaceIndex';

export interface CitationEditOptions {
  /** False for a code action's edit: VS Code cannot revive a created file's contents in one. */
  inlineContents?: boolean;
  /** The bibliography of the memo's Quarto project (MemoBibliographies.projectOf). */
  project?: ProjectBibliography;
}

export type CitationEditResult =
  | { ok: true; edit: vscode.WorkspaceEdit; bibliography: vscode.Uri; bibliographyChanged: boolean; citation: string }
  | { ok: false; message: string };

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

export async function buildCitationEdit(
  doc: vscode.TextDocument,
  offset: number,
  claim: Claim,
  workspace: WorkspaceIndex,
  options: CitationEditOptions = {},
): Promise<CitationEditResult> {
  const source = workspace.index.source(claim.sourceKey);
  if (!source) return { ok: false, message: `The source @${claim.sourceKey} is no longer indexed.` };
  const draft = parseDraft(doc.getText());
  const cite = { key: claim.sourceKey, locator: `para. ${claim.paragraph}` };
  const insertion = citationInsertion(draft, offset, cite);
  const result = await bibliographyEdit(doc, draft, [source], insertion ? [insertion] : [], `Cite @${cite.key}, ${cite.locator}`, 'nothing was inserted', options);
  return result.ok ? { ...result, citation: `[${formatCitation(cite)}]` } : result;
}

/**
 * One WorkspaceEdit that adds the entries of cited sources (`keys`, in that order) to the memo's
 * bibliography (and `bibliography:` to its front matter when missing): the quick fixes of
 * missing-bibliography-entry.
 */
export async function buildBibliographyEntryEdit(
  doc: vscode.TextDocument,
  keys: readonly string[],
  workspace: WorkspaceIndex,
  options: CitationEditOptions = {},
): Promise<CitationEditResult> {
  const sources: Source[] = [];
  for (const key of keys) {
    const source = workspace.index.source(key);
    if (!source) return { ok: false, message: `The source @${key} is no longer indexed.` };
    sources.push(source);
  }
  const label = keys.length === 1 ? `Add @${keys[0]} to the bibliography` : `Add ${keys.length} sources to the bibliography`;
  const result = await bibliographyEdit(doc, parseDraft(doc.getText()), sources, [], label, 'nothing was added', options);
  return result.ok ? { ...result, citation: '' } : result;
}

/**
 * The edit of `memoEdits` to the memo, with `bibliography:` in its front matter when missing and
 * the sources' CSL-JSON entries merged into the bibliography file; or why it cannot be made
 * (`refused`: what the message says was not done).
 */
async function bibliographyEdit(
  doc: vscode.TextDocument,
  draft: Draft,
  sources: readonly Source[],
  memoEdits: TextEditSpec[],
  label: string,
  refused: string,
  options: CitationEditOptions,
): Promise<{ ok: true; edit: vscode.WorkspaceEdit; bibliography: vscode.Uri; bibliographyChanged: boolean } | { ok: false; message: string }> {
  const target = bibliographyTarget(draft, readConfig(doc.uri).bibliography, options.project);
  if ('error' in target) return { ok: false, message: `Policy Cite: ${target.error}.` };
  const edits = target.edit ? [...memoEdits, target.edit] : memoEdits;
  const bibUri = bibliographyUri(doc.uri, target.path);
  if (!bibUri) {
    return {
      ok: false,
      message: `Policy Cite: the memo's bibliography (${target.path}) is relative to the memo's folder, and this memo is not saved yet; ${refused}. Save the memo first, or open a folder.`,
    };
  }
  // In Restricted Mode the memo is as untrusted as the rest of the workspace: its front matter
  // must not make a citation write a file elsewhere on the machine (`../../../x.json`).
  if (!vscode.workspace.isTrusted && !vscode.workspace.getWorkspaceFolder(bibUri)) {
    return {
      ok: false,
      message: `Policy Cite: the memo's bibliography (${target.path}) is outside the workspace, and in Restricted Mode policy-cite writes only inside it; ${refused}. Trust the workspace, or name a bibliography inside it.`,
    };
  }
  let existing: string | undefined;
  try {
    existing = await readText(bibUri);
  } catch (e) {
    return { ok: false, message: `Policy Cite: cannot read ${target.path}: ${(e as Error).message}` };
  }
  const merged = mergeBibliography(existing, sources.map(cslItemFor));
  if (!merged.ok) return { ok: false, message: `Policy Cite: ${target.path}: ${merged.error}.` };

  const edit = new vscode.WorkspaceEdit();
  const metadata: vscode.WorkspaceEditEntryMetadata = { label, needsConfirmation: false };
  for (const e of edits) {
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText, metadata);
  }
  if (existing === undefined && options.inlineContents !== false) {
    edit.createFile(bibUri, { contents: new TextEncoder().encode(merged.text), ignoreIfExists: true }, metadata);
  } else if (existing === undefined) {
    // Code-action edits cannot carry file contents (VS Code cannot revive them): create, then insert.
    edit.createFile(bibUri, { ignoreIfExists: true }, metadata);
    edit.insert(bibUri, new vscode.Position(0, 0), merged.text, metadata);
  } else if (merged.changed) {
    const bibDoc = await vscode.workspace.openTextDocument(bibUri);
    const full = new vscode.Range(bibDoc.positionAt(0), bibDoc.positionAt(bibDoc.getText().length));
    edit.replace(bibUri, full, merged.text, metadata);
  }
  return { ok: true, edit, bibliography: bibUri, bibliographyChanged: existing === undefined || merged.changed };
}

/**
 * Applies a citation edit only if the memo is still at the version it was computed for; the
 * bibliography is saved so it is on disk with the memo.
 */
export async function applyCitationEdit(doc: vscode.TextDocument, version: number, result: CitationEditResult): Promise<boolean> {
  if (!result.ok) {
    void vscode.window.showErrorMessage(result.message);
    return false;
  }
  if (doc.version !== version) {
    void vscode.window.showWarningMessage('Policy Cite: the memo changed while the citation was prepared; nothing was inserted. Try again.');
    return false;
  }
  const applied = await vscode.workspace.applyEdit(result.edit);
  if (!applied) return false;
  if (result.bibliographyChanged) await saveBibliography(result.bibliography);
  return true;
}

/**
 * The bibliography file a memo names: relative to the memo, or, as pandoc reads it, where an
 * absolute path says (`/Users/me/Zotero/library.json`, `C:\\refs\\library.json`), which joining
 * it to the memo's folder would put under that folder instead. An untitled memo has no folder
 * yet: its bibliography is taken relative to the first workspace folder, where VS Code offers to
 * save it (undefined when no folder is open: there is nowhere to put a relative path).
 */
export function bibliographyUri(memo: vscode.Uri, bibliography: string): vscode.Uri | undefined {
  const untitled = memo.scheme === 'untitled';
  const base = untitled ? vscode.workspace.workspaceFolders?.[0]?.uri : memo;
  const onDisk = (untitled ? base?.scheme ?? 'file' : memo.scheme) === 'file';
  if (/^[A-Za-z]:[\\/]|^\\\\/.test(bibliography) && onDisk) return vscode.Uri.file(bibliography);
  if (bibliography.startsWith('/')) return onDisk ? vscode.Uri.file(bibliography) : base?.with({ path: bibliography });
  if (!base) return undefined;
  return untitled ? vscode.Uri.joinPath(base, bibliography) : vscode.Uri.joinPath(base, '..', bibliography);
}

/** The bibliography is edited as a text document; save it so it is on disk with the memo. */
export async function saveBibliography(uri: vscode.Uri, projectOf?: (memo: vscode.Uri) => ProjectBibliography | undefined): Promise<void> {
  const memo = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (memo && !/\.json$/i.test(uri.path)) {
    const target = bibliographyTarget(parseDraft(memo.getText()), readConfig(memo.uri).bibliography, projectOf?.(memo.uri));
    if ('error' in target) return;
    const named = bibliographyUri(memo.uri, target.path);
    if (!named) return;
    uri = named;
  }
  const bib = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (bib?.isDirty) await bib.save();
}
