// "Policy Cite: Insert Citation": a native QuickPick of claims, first ranked by how well they
// support the sentence at the cursor, then fuzzy-searched as the user types.
import * as vscode from 'vscode';
import type { ScoredClaim } from '../core/claimIndex';
import { sentenceAt } from '../core/edit/citationEdit';
import { parseDraft } from '../core/draft';
import { escapeIcons } from '../core/escape';
import type { Claim, Source } from '../core/types';
import type { MemoBibliographies } from './bibliographies';
import { applyCitationEdit, buildCitationEdit } from './citationEdit';
import type { WorkspaceIndex } from './workspaceIndex';

export interface ClaimPickItem extends vscode.QuickPickItem {
  claim: Claim;
}

/** Lets tests answer the picker programmatically: the first claim id the hook returns is chosen. */
export interface PickerHook {
  choose(items: readonly ClaimPickItem[], picker: vscode.QuickPick<ClaimPickItem>): string | undefined | Promise<string | undefined>;
}

let pickerHook: PickerHook | undefined;
export function setPickerHookForTests(hook: PickerHook | undefined): void {
  pickerHook = hook;
}

/**
 * The first `perSource` claims of each source in order, `max` in all: reads only the sources it
 * takes claims from (sources from the cache read their claims on first use).
 */
function firstClaims(sources: Source[], max: number, perSource: number): Claim[] {
  const out: Claim[] = [];
  for (const source of sources) {
    if (out.length >= max) break;
    out.push(...source.claims.slice(0, Math.min(perSource, max - out.length)));
  }
  return out;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function toPickItem(claim: Claim, workspace: WorkspaceIndex, score?: number): ClaimPickItem {
  const source = workspace.index.source(claim.sourceKey);
  const title = source?.meta.title ?? claim.sourceKey;
  // A quick pick renders no Markdown, but it shows `$(name)` in a label, description or detail as
  // a theme icon: in text from sources it is escaped, to show as written.
  return {
    label: escapeIcons(shorten(claim.text, 140)),
    description: escapeIcons(`@${claim.sourceKey}, para. ${claim.paragraph}`),
    detail: escapeIcons(`${title}${claim.kind === 'fact' ? '' : ` · ${claim.kind}`}${claim.actors.length ? ` · ${claim.actors.slice(0, 4).join(', ')}` : ''}${score !== undefined ? ` · support ${Math.round(score * 100)}%` : ''}`),
    claim,
  };
}

export async function insertCitationCommand(workspace: WorkspaceIndex, args?: { uri?: string; offset?: number }, bibliographies?: MemoBibliographies): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  const doc = args?.uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri) ?? editor?.document : editor?.document;
  if (!doc) {
    void vscode.window.showInformationMessage('Policy Cite: open a Markdown memo to insert a citation.');
    return false;
  }
  await workspace.whenReady();
  const index = workspace.index;
  if (index.claimCount === 0) {
    void vscode.window.showWarningMessage('Policy Cite: no sources are indexed. Put articles under sources/ or change the "policyCite.sources" setting.');
    return false;
  }
  const offset = args?.offset ?? doc.offsetAt(editor && editor.document === doc ? editor.selection.active : new vscode.Position(0, 0));
  const version = doc.version;
  const draft = parseDraft(doc.getText());
  const sentence = sentenceAt(draft, offset);
  const ranked: ScoredClaim[] = sentence ? index.bestSupport(sentence.plain, { limit: 30, minScore: 0.05 }) : [];
  const initial = ranked.length ? ranked.map((r) => toPickItem(r.claim, workspace, r.score)) : firstClaims(index.allSources(), 200, 50).map((c) => toPickItem(c, workspace));

  const picker = vscode.window.createQuickPick<ClaimPickItem>();
  picker.title = 'Policy Cite: Insert Citation';
  picker.placeholder = sentence ? 'Claims that support this sentence; type to search all sources' : 'Type to search claims, actors and sources';
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  picker.items = initial;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  picker.onDidChangeValue((value) => {
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const q = value.trim();
      if (!q) {
        picker.items = initial;
        return;
      }
      picker.items = index.search(q, 50).map((r) => ({ ...toPickItem(r.claim, workspace), alwaysShow: true }));
    }, 30);
  });

  const chosen = await new Promise<Claim | undefined>((resolve) => {
    let done = false;
    const finish = (claim: Claim | undefined): void => {
      if (done) return;
      done = true;
      resolve(claim);
      picker.hide();
    };
    picker.onDidAccept(() => finish(picker.selectedItems[0]?.claim ?? picker.activeItems[0]?.claim));
    picker.onDidHide(() => finish(undefined));
    picker.show();
    // The search index of a large library is built a slice at a time while the user reads the
    // list, instead of all at once on the first keystroke.
    workspace.prepareSearch();
    if (pickerHook) {
      void Promise.resolve(pickerHook.choose(picker.items, picker)).then((id) => finish(id ? index.claim(id) : undefined));
    }
  });
  picker.dispose();
  if (searchTimer) clearTimeout(searchTimer);
  if (!chosen) return false;
  return citeClaim(workspace, doc, version, offset, chosen, bibliographies);
}

/** Cites `claim` for the sentence at `offset` of `doc` (used by the picker, hovers and quick fixes). */
export async function citeClaim(workspace: WorkspaceIndex, doc: vscode.TextDocument, version: number, offset: number, claim: Claim, bibliographies?: MemoBibliographies): Promise<boolean> {
  // (Where the memo's Quarto project names its bibliography, that is known before it is written.)
  await bibliographies?.projectRead(doc.uri);
  const result = await buildCitationEdit(doc, offset, claim, workspace, { project: bibliographies?.projectOf(doc.uri) });
  return applyCitationEdit(doc, version, result);
}

/** `policyCite.insertClaimCitation` from a hover link or the Sources view: cite one claim at the cursor. */
export async function insertClaimCitationCommand(workspace: WorkspaceIndex, claimIdOrNode?: unknown, uri?: string, offset?: number, bibliographies?: MemoBibliographies): Promise<boolean> {
  const claimId = typeof claimIdOrNode === 'string' ? claimIdOrNode : claimIdFromNode(claimIdOrNode);
  const claim = claimId ? workspace.index.claim(claimId) : undefined;
  if (!claim) {
    void vscode.window.showWarningMessage('Policy Cite: that claim is no longer indexed.');
    return false;
  }
  const editor = vscode.window.activeTextEditor;
  const doc = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) : editor?.document;
  if (!doc || workspace.isSource(doc.uri)) {
    void vscode.window.showInformationMessage('Policy Cite: put the cursor in a memo to insert a citation.');
    return false;
  }
  const at = editor && editor.document === doc ? doc.offsetAt(editor.selection.active) : offset ?? 0;
  return citeClaim(workspace, doc, doc.version, at, claim, bibliographies);
}

function claimIdFromNode(node: unknown): string | undefined {
  if (node && typeof node === 'object') {
    const o = node as { claim?: { id?: unknown }; claimId?: unknown };
    if (typeof o.claimId === 'string') return o.claimId;
    if (o.claim && typeof o.claim.id === 'string') return o.claim.id;
  }
  return undefined;
}

/** `policyCite.openClaim`: opens the source with the claim selected. */
export async function openClaimCommand(workspace: WorkspaceIndex, claimId: unknown): Promise<void> {
  const id = typeof claimId === 'string' ? claimId : claimIdFromNode(claimId);
  const claim = id ? workspace.index.claim(id) : undefined;
  const source = claim ? workspace.index.source(claim.sourceKey) : undefined;
  const uri = source ? workspace.uriOf(source) : undefined;
  if (!claim || !uri) {
    void vscode.window.showWarningMessage('Policy Cite: that claim is no longer indexed.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = new vscode.Range(doc.positionAt(claim.start), doc.positionAt(claim.end));
  await vscode.window.showTextDocument(doc, { selection: range, preview: true });
}
