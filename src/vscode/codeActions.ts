// Quick fixes for the checker's findings. Edits are computed when the user picks an action
// (resolveCodeAction), against the document as it is then.
import * as vscode from 'vscode';
import { citedParagraph, keyText } from '../core/citations';
import { attributionEdit, bibliographyTarget, citationAt, locatorEdit, sentenceAt } from '../core/edit/citationEdit';
import type { Finding, Suggestion } from '../core/types';
import { buildBibliographyEntryEdit, buildCitationEdit } from './citationEdit';
import { MEMO_SELECTOR, readConfig } from './config';
import { findingOf, type MemoDiagnostics } from './diagnostics';
import type { MemoAnalysis } from './memoAnalysis';
import type { WorkspaceIndex } from './workspaceIndex';

export const IGNORE_COMMENT = '<!-- policy-cite: ignore -->';

class PolicyCiteAction extends vscode.CodeAction {
  constructor(
    title: string,
    readonly doc: vscode.TextDocument,
    readonly version: number,
    readonly resolveEdit?: () => Promise<vscode.WorkspaceEdit | undefined>,
  ) {
    super(title, vscode.CodeActionKind.QuickFix);
  }
}

function excerpt(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class PolicyCiteCodeActions implements vscode.CodeActionProvider<PolicyCiteAction> {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly analysis: MemoAnalysis,
    private readonly diagnostics: MemoDiagnostics,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): PolicyCiteAction[] {
    const actions: PolicyCiteAction[] = [];
    let missingEntry = false;
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'policy-cite') continue;
      const finding = findingOf.get(diagnostic) ?? this.findingFor(doc, diagnostic);
      if (!finding) continue;
      actions.push(...this.actionsFor(doc, diagnostic, finding));
      if (finding.code === 'missing-bibliography-entry') missingEntry = true;
    }
    // Once for the range, however many of its citations lack an entry.
    if (missingEntry) {
      const all = this.addEveryMissingEntry(doc);
      if (all) actions.push(all);
    }
    return actions;
  }

  /**
   * Diagnostics come back from VS Code as copies; find the finding by range and code. In the
   * memo's current check, or else in the one its diagnostics came from if the memo did not change
   * since (after a source change, the memo is checked again in slices: checking it here would do
   * it all in one go, on a cursor move). Only a memo edited since its last diagnostics is checked
   * here, which re-checks just the edited sentences.
   */
  private findingFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Finding | undefined {
    const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
    const start = doc.offsetAt(d.range.start);
    const end = doc.offsetAt(d.range.end);
    const result = this.analysis.checked(doc) ?? this.diagnostics.published(doc, true) ?? this.analysis.check(doc);
    return result.findings.find((f) => f.code === code && f.start === start && f.end === end);
  }

  private actionsFor(doc: vscode.TextDocument, diagnostic: vscode.Diagnostic, f: Finding): PolicyCiteAction[] {
    const version = doc.version;
    const out: PolicyCiteAction[] = [];
    const range = new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end));
    /** The preferred fix that puts `text` in the finding's place. */
    const replacing = (title: string, text: string): PolicyCiteAction => {
      const action = new PolicyCiteAction(title, doc, version, async () => {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, range, text);
        return edit;
      });
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return action;
    };
    if (f.code === 'unsourced-claim') {
      f.suggestions.forEach((s, i) => {
        const action = new PolicyCiteAction(`Cite ${s.key}, ${s.locator} — ${excerpt(s.text)}`, doc, version, async () => {
          const claim = this.workspace.index.claim(s.claimId);
          if (!claim) return undefined;
          const result = await buildCitationEdit(doc, f.start, claim, this.workspace, { inlineContents: false, project: this.analysis.bibliographies?.projectOf(doc.uri) });
          if (!result.ok) {
            void vscode.window.showErrorMessage(result.message);
            return undefined;
          }
          return result.edit;
        });
        // The bibliography file this edit creates or changes is saved by VS Code itself
        // (files.refactoring.autoSave): a follow-up command would be dropped, as applying the
        // edit invalidates the code-action list it belongs to.
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0;
        out.push(action);
      });
      const pick = new PolicyCiteAction('Insert citation…', doc, version);
      pick.command = { command: 'policyCite.insertCitation', title: 'Insert citation…', arguments: [{ uri: doc.uri.toString(), offset: f.start }] };
      pick.diagnostics = [diagnostic];
      out.push(pick);
      const ignore = new PolicyCiteAction('Mark as analysis (policy-cite: ignore)', doc, version, async () => {
        const edit = new vscode.WorkspaceEdit();
        const draft = this.analysis.draft(doc);
        const sentence = sentenceAt(draft, f.start);
        const at = doc.positionAt(sentence ? sentence.start : f.start);
        edit.insert(doc.uri, at, `${IGNORE_COMMENT} `);
        return edit;
      });
      ignore.diagnostics = [diagnostic];
      out.push(ignore);
    } else if (f.code === 'unknown-citation-key') {
      const closest = Array.isArray(f.data?.closest) ? f.data.closest : [];
      closest.forEach((key, i) => {
        const action = new PolicyCiteAction(`Change to @${key}`, doc, version, async () => {
          const edit = new vscode.WorkspaceEdit();
          // Inside `@{…}` the key goes as it is; after a bare `@`, in braces when it needs them.
          const braced = range.start.character > 0 && doc.getText(new vscode.Range(range.start.translate(0, -1), range.start)) === '{';
          edit.replace(doc.uri, range, braced ? key : keyText(key));
          return edit;
        });
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0;
        out.push(action);
      });
    } else if (f.code === 'missing-bibliography-entry' && typeof f.data?.key === 'string') {
      const one = this.addingEntries(doc, `Add @${f.data.key} to the memo's bibliography`, [f.data.key], [diagnostic]);
      one.isPreferred = true;
      out.push(one);
    } else if (f.code === 'missing-bibliography-file' && typeof f.data?.name === 'string') {
      const create = this.creatingBibliography(doc, f.data.name, diagnostic);
      if (create) out.push(create);
    } else if (f.code === 'locator-out-of-range' || f.code === 'locator-mismatch' || f.code === 'quote-not-in-source') {
      out.push(...this.locatorActions(doc, diagnostic, f, f.suggestions, true));
    } else if (f.code === 'attribution-needed' && typeof f.data?.claimId === 'string') {
      // "…, Golts predicts [@golts2012, para. 6]." (appended, so the opening word keeps its case)
      const claim = this.workspace.index.claim(f.data.claimId);
      const author = claim && this.workspace.index.source(claim.sourceKey)?.meta.authors[0]?.family;
      if (author) {
        const phrase = `${author} ${f.data.kind === 'prediction' ? 'predicts' : 'argues'}`;
        const action = new PolicyCiteAction(`Attribute it: "…, ${phrase}"`, doc, version, async () => {
          const change = attributionEdit(this.analysis.draft(doc), f.start, phrase);
          if (!change) return undefined;
          const edit = new vscode.WorkspaceEdit();
          edit.insert(doc.uri, doc.positionAt(change.start), change.newText);
          return edit;
        });
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        out.push(action);
      }
    } else if (f.code === 'number-mismatch' && typeof f.data?.sourceFigure === 'string') {
      // (The range starts after any Markdown escape, "\\$320 million", which stays in place.)
      out.push(replacing(`Use the source's figure: ${f.data.sourceFigure}`, f.data.sourceFigure));
      // Other paragraphs of the source that have the memo's figure (after the contradicting claim).
      if (typeof f.data.elsewhere === 'number' && f.data.elsewhere > 0) out.push(...this.locatorActions(doc, diagnostic, f, f.suggestions.slice(1), false));
    } else if (f.code === 'relative-date' && typeof f.data?.replacement === 'string') {
      out.push(replacing(`Write the date: ${f.data.replacement}`, f.data.replacement));
    } else if (f.code === 'number-mismatch' && typeof f.data?.elsewhere === 'number' && f.data.elsewhere > 0) {
      // A figure the cited paragraph does not give at all, which other paragraphs do: the locator is what is wrong.
      out.push(...this.locatorActions(doc, diagnostic, f, f.suggestions, true));
    }
    return out;
  }

  /** The fix that merges the entries of the sources `keys` into the memo's bibliography, in one edit. */
  private addingEntries(doc: vscode.TextDocument, title: string, keys: string[], diagnostics: vscode.Diagnostic[]): PolicyCiteAction {
    const action = new PolicyCiteAction(title, doc, doc.version, async () => {
      const result = await buildBibliographyEntryEdit(doc, keys, this.workspace, { inlineContents: false, project: this.analysis.bibliographies?.projectOf(doc.uri) });
      if (!result.ok) {
        void vscode.window.showErrorMessage(result.message);
        return undefined;
      }
      return result.edit;
    });
    // (Saved by VS Code itself, as the bibliography of a Cite fix is: files.refactoring.autoSave.)
    action.diagnostics = diagnostics;
    return action;
  }

  /**
   * The fix of a missing bibliography file: the file made, holding the entries of the sources
   * the memo cites, when it is the one Insert Citation writes (a .json file: policy-cite writes
   * CSL-JSON only).
   */
  private creatingBibliography(doc: vscode.TextDocument, name: string, diagnostic: vscode.Diagnostic): PolicyCiteAction | undefined {
    const draft = this.analysis.draft(doc);
    const target = bibliographyTarget(draft, readConfig(doc.uri).bibliography, this.analysis.bibliographies?.projectOf(doc.uri));
    if ('error' in target || target.path !== name) return undefined;
    const keys = new Set<string>();
    for (const group of draft.citations) for (const c of group.citations) if (this.workspace.index.source(c.key)) keys.add(c.key);
    const title =
      keys.size === 0
        ? `Create ${name} (the memo cites no indexed source)`
        : keys.size === 1
          ? `Create ${name} with the entry of @${[...keys][0]}`
          : `Create ${name} with the entries of the ${keys.size} cited sources`;
    const action = this.addingEntries(doc, title, [...keys], [diagnostic]);
    action.isPreferred = true;
    return action;
  }

  /**
   * Every source the memo cites that its bibliography lacks, in one edit, when there is more than
   * one: from one pass over the check its diagnostics came from (as findingFor takes it).
   */
  private addEveryMissingEntry(doc: vscode.TextDocument): PolicyCiteAction | undefined {
    const result = this.analysis.checked(doc) ?? this.diagnostics.published(doc, true);
    const keys = new Set<string>();
    for (const x of result?.findings ?? []) if (x.code === 'missing-bibliography-entry' && typeof x.data?.key === 'string') keys.add(x.data.key);
    if (keys.size < 2) return undefined;
    const all = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'policy-cite' && (typeof d.code === 'object' ? d.code.value : d.code) === 'missing-bibliography-entry');
    return this.addingEntries(doc, `Add the ${keys.size} cited sources it lacks to the memo's bibliography`, [...keys], all);
  }

  /**
   * "Change to para. N" for each suggestion: the locator of the citation at the finding
   * (locator-out-of-range), or else of the sentence's citation of that source by paragraph.
   */
  private locatorActions(doc: vscode.TextDocument, diagnostic: vscode.Diagnostic, f: Finding, suggestions: Suggestion[], preferFirst: boolean): PolicyCiteAction[] {
    const version = doc.version;
    return suggestions.map((s, i) => {
      const paragraph = Number(s.locator.replace(/^para\. /, ''));
      const action = new PolicyCiteAction(`Change to ${s.locator} — ${excerpt(s.text)}`, doc, version, async () => {
        const draft = this.analysis.draft(doc);
        const citation =
          f.code === 'locator-out-of-range' || f.code === 'locator-mismatch'
            ? citationAt(draft, f.start)
            : sentenceAt(draft, f.start)
                ?.citations.flatMap((g) => g.citations)
                .find((c) => c.key === s.key && citedParagraph(c) !== undefined);
        const change = citation && locatorEdit(doc.getText(), citation, paragraph);
        if (!change) return undefined;
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end)), change.newText);
        return edit;
      });
      action.diagnostics = [diagnostic];
      action.isPreferred = preferFirst && i === 0;
      return action;
    });
  }

  async resolveCodeAction(action: PolicyCiteAction): Promise<PolicyCiteAction> {
    if (!action.resolveEdit) return action;
    if (action.doc.version !== action.version) {
      void vscode.window.showWarningMessage('Policy Cite: the memo changed; the fix was not applied. Try the quick fix again.');
      return action;
    }
    action.edit = await action.resolveEdit();
    return action;
  }
}

export function registerCodeActions(workspace: WorkspaceIndex, analysis: MemoAnalysis, diagnostics: MemoDiagnostics): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(MEMO_SELECTOR, new PolicyCiteCodeActions(workspace, analysis, diagnostics), {
    providedCodeActionKinds: PolicyCiteCodeActions.kinds,
  });
}
