// Problems of the bibliography files a Quarto project names, as diagnostics of its `_quarto.yml`
// at each name: a file that is not there or cannot be read stops `quarto render` for every
// document of the project, and no memo has a place for such a finding. Only files a memo of the
// project has had read are known (MemoBibliographies reads them as a memo is checked).
import * as vscode from 'vscode';
import { bibliographyFileMessage } from '../core/check/checkDraft';
import { type RuleCode, severityOf } from '../core/check/rules';
import { bibliographyUri } from './citationEdit';
import { readConfig } from './config';
import { labelled, SEVERITY } from './diagnostics';
import type { KnownProject } from './quartoProjects';

/** How a bibliography file's last read went, when it was read at all. */
export type FileState = { state: 'missing' } | { state: 'unreadable'; why: string; pandocStops: boolean } | { state: 'read' | 'reading' };

export class ProjectBibliographyDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('policy-cite-projects');
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(
    private readonly projects: () => KnownProject[],
    private readonly stateOf: (file: vscode.Uri) => FileState | undefined,
  ) {
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('policyCite.rules')) this.refresh();
    }, undefined, this.disposables);
  }

  /** Sets each known project file's diagnostics anew, and takes those of a project no longer known away. */
  refresh(): void {
    const known = new Set<string>();
    for (const project of this.projects()) {
      known.add(project.file.toString());
      const rules = readConfig(project.file).rules;
      const diagnostics: vscode.Diagnostic[] = [];
      for (const { name, range } of project.places) {
        const uri = bibliographyUri(project.file, name);
        const file = uri && this.stateOf(uri);
        if (!file || (file.state !== 'missing' && file.state !== 'unreadable')) continue;
        const code: RuleCode = file.state === 'missing' ? 'missing-bibliography-file' : 'unreadable-bibliography-file';
        const severity = severityOf(code, rules);
        if (severity === 'off') continue;
        const message = bibliographyFileMessage(name, file.state === 'missing' ? 'missing' : file, 'quarto render');
        diagnostics.push(labelled(new vscode.Diagnostic(range, message, SEVERITY[severity]), code));
      }
      this.collection.set(project.file, diagnostics);
    }
    const gone: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (!known.has(uri.toString())) gone.push(uri);
    });
    for (const uri of gone) this.collection.delete(uri);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
