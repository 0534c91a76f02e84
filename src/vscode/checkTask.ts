// "policy-cite: check memos": a task that checks every memo of a workspace folder, open or not,
// against the indexed sources, and prints the findings as `policy-cite check` does, so that the
// `$policy-cite-folder` problem matcher puts those of the memos not open in the Problems panel
// (open memos keep their live diagnostics). It runs in the extension host on the index the
// extension already has: no CLI to install, no tasks.json to write. Command: "Check All Memos".
import * as vscode from 'vscode';
import { checkDraftInSlices, SentenceCache } from '../core/check/checkDraft';
import { TextReport } from '../core/check/textReport';
import { escapeControls } from '../core/escape';
import { IncrementalDraftParser } from '../core/incrementalDraft';
import { decodeMemo, MAX_MEMO_BYTES } from '../core/loader';
import type { MemoBibliographies } from './bibliographies';
import { readConfig } from './config';
import { globMatcher, inDotFolder, MEMO_FILES } from '../core/glob';
import { relativePath } from './sourceFiles';
import type { WorkspaceIndex } from './workspaceIndex';

export const CHECK_TASK_TYPE = 'policy-cite';
export const CHECK_TASK_NAME = 'check memos';

export interface CheckTaskDefinition extends vscode.TaskDefinition {
  task: 'check';
  /** Glob of the memos, relative to the workspace folder (default MEMO_FILES, sources and excluded files aside). */
  memos?: string;
}

function isCheckDefinition(definition: vscode.TaskDefinition): definition is CheckTaskDefinition {
  return definition.type === CHECK_TASK_TYPE && definition.task === 'check' && (definition.memos === undefined || typeof definition.memos === 'string');
}

/** Workspace folders a task can check: the problem matcher maps paths to `file` URIs only. */
function fileFolders(): vscode.WorkspaceFolder[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
}

export function registerCheckTask(workspace: WorkspaceIndex, bibliographies?: MemoBibliographies): vscode.Disposable {
  const taskFor = (folder: vscode.WorkspaceFolder, definition: CheckTaskDefinition): vscode.Task => {
    const task = new vscode.Task(
      definition,
      folder,
      CHECK_TASK_NAME,
      CHECK_TASK_TYPE,
      new vscode.CustomExecution(async () => new CheckMemosTerminal(workspace, folder, definition, bibliographies)),
      ['$policy-cite-folder'],
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
    return task;
  };
  const provider: vscode.TaskProvider = {
    provideTasks: () => fileFolders().map((folder) => taskFor(folder, { type: CHECK_TASK_TYPE, task: 'check' })),
    resolveTask: (task) => {
      const folder = task.scope;
      if (!isCheckDefinition(task.definition) || typeof folder !== 'object' || folder.uri.scheme !== 'file') return undefined;
      return taskFor(folder, task.definition);
    },
  };
  return vscode.Disposable.from(
    vscode.tasks.registerTaskProvider(CHECK_TASK_TYPE, provider),
    vscode.commands.registerCommand('policyCite.checkMemos', async () => {
      const folders = fileFolders();
      if (folders.length === 0) {
        void vscode.window.showInformationMessage('Policy Cite: open a folder to check its memos.');
        return;
      }
      const active = vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri);
      const folder = folders.length === 1 ? folders[0] : active && folders.includes(active) ? active : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder whose memos to check' });
      if (folder) await vscode.tasks.executeTask(taskFor(folder, { type: CHECK_TASK_TYPE, task: 'check' }));
    }),
  );
}

/**
 * The task's terminal: checks the memos one after another when it opens, writing the report as it
 * goes, and closes with the CLI's exit code (1: an error-level finding; 2: a memo not checked).
 */
class CheckMemosTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly cancel = new vscode.CancellationTokenSource();

  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly folder: vscode.WorkspaceFolder,
    private readonly definition: CheckTaskDefinition,
    private readonly bibliographies?: MemoBibliographies,
  ) {}

  open(): void {
    this.run().then(
      (code) => this.end(code),
      (e: unknown) => {
        this.line(`policy-cite: ${(e as Error).message ?? String(e)}`);
        this.end(2);
      },
    );
  }

  /** The terminal was closed (or the task terminated): the check stops. */
  close(): void {
    this.cancel.cancel();
  }

  private end(code: number): void {
    this.closeEmitter.fire(code);
    this.cancel.dispose();
  }

  /** A line of the report; text from sources and memos is untrusted and never reaches the terminal as control characters. */
  private line(text: string): void {
    this.writeEmitter.fire(`${escapeControls(text)}\r\n`);
  }

  private async run(): Promise<number> {
    const token = this.cancel.token;
    await this.workspace.whenReady().catch(() => undefined);
    const config = readConfig(this.folder.uri);
    // As the CLI: with no sources every factual statement would read as unsourced.
    if (this.workspace.index.sourceCount === 0) {
      this.line(`policy-cite: no sources indexed (policyCite.sources: ${config.sources}); no memo checked`);
      return 2;
    }
    const pattern = this.definition.memos || MEMO_FILES;
    const sources = globMatcher(config.sources);
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, pattern), config.exclude, undefined, token);
    const memos = found
      .map((uri) => ({ uri, file: relativePath(this.folder.uri, uri) }))
      .filter((m) => !sources.test(m.file) && !this.workspace.isSource(m.uri) && !inDotFolder(m.file, pattern))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    if (memos.length === 0) {
      this.line(`policy-cite: no memo matches ${pattern} in ${this.folder.name} (sources and policyCite.exclude aside)`);
      return 0;
    }
    const report = new TextReport();
    let hasError = false;
    for (const memo of memos) {
      if (token.isCancellationRequested) return 130;
      const read = await readMemo(memo.uri);
      if (!read.ok) {
        this.line(`policy-cite: ${memo.file}: ${read.reason}; not checked`);
        report.notChecked();
        continue;
      }
      const memoConfig = readConfig(memo.uri);
      // Parsed and checked in slices, so that the extension host stays responsive through a long memo.
      const parser = new IncrementalDraftParser();
      await parser.parseAhead(read.text, { stale: () => token.isCancellationRequested }).catch(() => false);
      if (token.isCancellationRequested) return 130;
      const draft = parser.parse(read.text);
      // The keys of the memo's bibliography files (and its Quarto project's) are known keys, as in the editor.
      await this.bibliographies?.projectRead(memo.uri);
      const files = this.bibliographies?.filesOf(memo.uri, draft) ?? [];
      await this.bibliographies?.read(files);
      const bibliography = this.bibliographies?.checkOptionsOf(memo.uri, draft);
      const result = await checkDraftInSlices(draft, this.workspace.index, { paragraphCitations: memoConfig.paragraphCitations, rules: memoConfig.rules, ...bibliography?.options }, new SentenceCache(), {
        stale: () => token.isCancellationRequested,
      });
      if (!result) return 130;
      if (result.findings.some((f) => f.severity === 'error')) hasError = true;
      for (const line of report.memo({ file: memo.file, text: read.text, findings: result.findings, factual: result.stats.factual, sourced: result.stats.sourced })) this.line(line);
    }
    this.line(report.summary());
    return report.uncheckedCount ? 2 : hasError ? 1 : 0;
  }
}

/** A memo's text, or why it cannot be checked. */
async function readMemo(uri: vscode.Uri): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_MEMO_BYTES) return { ok: false, reason: `too large (${(stat.size / 1048576).toFixed(1)} MB; the limit is ${MAX_MEMO_BYTES / 1048576} MB)` };
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  return decodeMemo(bytes);
}
