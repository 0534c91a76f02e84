// Parsed drafts and check results per open memo, cached by document version and index version so
// hover, completion, code actions and diagnostics share one parse per edit.
import * as vscode from 'vscode';
import { checkDraft, SentenceCache, type CheckResult } from '../core/check/checkDraft';
import type { Draft } from '../core/draftTypes';
import { IncrementalDraftParser } from '../core/incrementalDraft';
import { readConfig } from './config';
import type { WorkspaceIndex } from './workspaceIndex';

interface Entry {
  version: number;
  /** Valid until the parser's next parse (it moves unchanged pieces in place), i.e. for this version. */
  draft: Draft;
  /** Re-parses only the pieces of the memo an edit changed. */
  parser: IncrementalDraftParser;
  /** Per-sentence results carried across edits of this memo. */
  sentences: SentenceCache;
  check?: { indexVersion: number; configKey: string; result: CheckResult };
}

export class MemoAnalysis implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly workspace: WorkspaceIndex) {
    vscode.workspace.onDidCloseTextDocument((doc) => this.entries.delete(doc.uri.toString()), undefined, this.disposables);
  }

  draft(doc: vscode.TextDocument): Draft {
    const key = doc.uri.toString();
    const entry = this.entries.get(key);
    if (entry && entry.version === doc.version) return entry.draft;
    const parser = entry?.parser ?? new IncrementalDraftParser();
    const draft = parser.parse(doc.getText());
    this.entries.set(key, { version: doc.version, draft, parser, sentences: entry?.sentences ?? new SentenceCache() });
    return draft;
  }

  check(doc: vscode.TextDocument): CheckResult {
    const draft = this.draft(doc);
    const entry = this.entries.get(doc.uri.toString()) as Entry;
    const config = readConfig(doc.uri);
    const configKey = JSON.stringify([config.rules, config.paragraphCitations]);
    const index = this.workspace.index;
    if (entry.check && entry.check.indexVersion === index.version && entry.check.configKey === configKey) return entry.check.result;
    const result = checkDraft(draft, index, { paragraphCitations: config.paragraphCitations, rules: config.rules }, entry.sentences);
    entry.check = { indexVersion: index.version, configKey, result };
    return result;
  }

  dispose(): void {
    this.entries.clear();
    for (const d of this.disposables) d.dispose();
  }
}
