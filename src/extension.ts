// Wires the features together. Indexing starts after activate() returns, so activation stays fast:
// activate() only creates objects and registers providers; the check-worthiness model, the
// gazetteer and the YAML parser load on first use (see scripts/build.mjs).
import * as vscode from 'vscode';
import { MemoBibliographies } from './vscode/bibliographies';
import { registerCheckTask } from './vscode/checkTask';
import { saveBibliography } from './vscode/citationEdit';
import { registerCodeActions } from './vscode/codeActions';
import { registerCompletion } from './vscode/completion';
import { registerDefinition } from './vscode/definition';
import { MemoDiagnostics } from './vscode/diagnostics';
import { registerHover } from './vscode/hover';
import { insertCitationCommand, insertClaimCitationCommand, openClaimCommand, setPickerHookForTests, type PickerHook } from './vscode/insertCitation';
import { pinCitationKeysCommand } from './vscode/pinKeys';
import { registerRename } from './vscode/rename';
import { MemoAnalysis } from './vscode/memoAnalysis';
import { registerParagraphHints } from './vscode/paragraphHints';
import { registerReferences } from './vscode/references';
import { RuleSettingsWarnings } from './vscode/settingsWarnings';
import { registerSourcesView, type SourcesTreeProvider } from './vscode/sourcesView';
import { SourcedStatusBar } from './vscode/statusBar';
import { WorkspaceIndex } from './vscode/workspaceIndex';

/** What the extension exports, for its own extension-host tests. */
export interface PolicyCiteApi {
  workspace: WorkspaceIndex;
  sourcesView: SourcesTreeProvider;
  analysis: MemoAnalysis;
  diagnostics: MemoDiagnostics;
  statusBar: SourcedStatusBar;
  ruleWarnings: RuleSettingsWarnings;
  bibliographies: MemoBibliographies;
  whenReady(): Promise<void>;
  setPickerHook(hook: PickerHook | undefined): void;
  /** How long activate() took, in milliseconds (also in the log). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PolicyCiteApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Policy Cite', { log: true });
  // Parsed sources are cached in the workspace's storage (none without a workspace).
  const workspace = new WorkspaceIndex(log, context.storageUri && vscode.Uri.joinPath(context.storageUri, 'sources-cache.bin'));
  // So are each memo's check results (see MemoAnalysis).
  const bibliographies = new MemoBibliographies(log);
  const analysis = new MemoAnalysis(workspace, log, context.storageUri && vscode.Uri.joinPath(context.storageUri, 'checks'), bibliographies);
  flushOnDeactivate = () => analysis.flush();
  const diagnostics = new MemoDiagnostics(workspace, analysis);
  const statusBar = new SourcedStatusBar(analysis, diagnostics);
  const ruleWarnings = new RuleSettingsWarnings(log);
  const sourcesView = registerSourcesView(workspace);

  context.subscriptions.push(
    log,
    workspace,
    bibliographies,
    analysis,
    diagnostics,
    statusBar,
    ruleWarnings,
    registerHover(workspace, analysis),
    registerDefinition(workspace, analysis),
    registerReferences(workspace, analysis, log),
    registerRename(workspace, analysis, log),
    registerParagraphHints(workspace),
    registerCompletion(workspace, analysis),
    registerCodeActions(workspace, analysis, diagnostics),
    sourcesView.disposable,
    registerCheckTask(workspace, bibliographies),
    vscode.commands.registerCommand('policyCite.insertCitation', (args?: { uri?: string; offset?: number }) => insertCitationCommand(workspace, args, bibliographies)),
    vscode.commands.registerCommand('policyCite.insertClaimCitation', (claim?: unknown, uri?: string, offset?: number) =>
      insertClaimCitationCommand(workspace, claim, uri, offset, bibliographies),
    ),
    vscode.commands.registerCommand('policyCite.openClaim', (claim: unknown) => openClaimCommand(workspace, claim)),
    vscode.commands.registerCommand('policyCite.reindex', async () => {
      await workspace.reindex();
      void vscode.window.showInformationMessage(`Policy Cite: indexed ${workspace.index.sourceCount} sources (${workspace.index.claimCount} claims).`);
    }),
    vscode.commands.registerCommand('policyCite.pinCitationKey', (node?: unknown) => pinCitationKeysCommand(workspace, node)),
    vscode.commands.registerCommand('policyCite.pinCitationKeys', () => pinCitationKeysCommand(workspace)),
    vscode.commands.registerCommand('policyCite.showLog', () => log.show()),
    vscode.commands.registerCommand('policyCite.saveBibliography', (memoOrBibliography: string) => saveBibliography(vscode.Uri.parse(memoOrBibliography), (memo) => bibliographies.projectOf(memo))),
  );

  workspace.start();
  const activationMs = performance.now() - started;
  log.info(
    `Policy Cite activated in ${activationMs.toFixed(1)} ms (${vscode.env.uiKind === vscode.UIKind.Web ? 'web UI' : 'desktop'}, workspace trusted: ${vscode.workspace.isTrusted})`,
  );
  return {
    workspace,
    sourcesView: sourcesView.provider,
    analysis,
    diagnostics,
    statusBar,
    ruleWarnings,
    bibliographies,
    whenReady: () => workspace.whenReady(),
    setPickerHook: setPickerHookForTests,
    activationMs,
  };
}

let flushOnDeactivate: (() => Promise<void>) | undefined;

export function deactivate(): Promise<void> | undefined {
  // Everything is disposed through context.subscriptions, after the open memos' check results are stored.
  const flush = flushOnDeactivate;
  flushOnDeactivate = undefined;
  return flush?.();
}
