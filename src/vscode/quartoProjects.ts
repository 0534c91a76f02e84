// The Quarto projects the memos are in (see core/quartoProject): the `_quarto.yml` of the nearest
// folder above a memo, up to its workspace folder, whose `bibliography:` names files for every
// memo of the project, and the `_metadata.yml` of the folders between it and the memo, which
// Quarto merges after it. Each folder is looked at once and again when such a file in the
// workspace is created, changed or deleted on disk.
import * as vscode from 'vscode';
import {
  MAX_PROJECT_DEPTH,
  MAX_QUARTO_PROJECT_BYTES,
  mergeBibliographies,
  metadataLevels,
  projectBibliographyForMemo,
  projectBibliographySpans,
  type ProjectBibliography,
  QUARTO_METADATA_FILES,
  QUARTO_PROJECT_FILES,
  readProjectBibliography,
} from '../core/quartoProject';
import { LineIndex } from '../core/positions';
import { SerialTask } from './debounce';

/** A project file that names a bibliography, and where it writes each of its files' names (relative to its folder). */
export interface KnownProject {
  file: vscode.Uri;
  places: ReadonlyArray<{ name: string; range: vscode.Range }>;
}

interface Project {
  file: vscode.Uri;
  bibliography: ProjectBibliography | undefined;
  places: KnownProject['places'];
}

interface Folder {
  /** Undefined while the first look runs. */
  project: Project | 'none' | undefined;
  /** The folder's `_metadata.yml` (see metadataLevels), when it names a bibliography. */
  metadata: Project | undefined;
  /** The folder's looks, one at a time (one asked for while one runs runs after it). */
  looks: SerialTask;
}

export class QuartoProjects implements vscode.Disposable {
  private readonly folders = new Map<string, Folder>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** Fires when a project file changed what it names: the memos are to be checked again. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log?: vscode.LogOutputChannel) {
    try {
      const watcher = vscode.workspace.createFileSystemWatcher(`**/{${[...QUARTO_PROJECT_FILES, ...QUARTO_METADATA_FILES].join(',')}}`);
      const changed = (uri: vscode.Uri): void => {
        const folder = this.folders.get(parentOf(uri).toString());
        if (folder) folder.looks.run();
      };
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      this.disposables.push(watcher);
    } catch {
      // (A file system that cannot be watched: the projects are those first seen.)
    }
  }

  /**
   * The bibliography of the memo's project as known so far, merged with those of the folders'
   * `_metadata.yml` between it and the memo (see metadataLevels), its names relative to the memo;
   * undefined when it has none (or while the folders above it are being looked at).
   */
  bibliographyOf(memo: vscode.Uri): ProjectBibliography | undefined {
    const folders = this.foldersAbove(memo).map((uri) => this.folder(uri));
    const up = (level: number): string => (level === 0 ? '' : Array(level).fill('..').join('/'));
    for (let i = 0; i < folders.length; i++) {
      const project = folders[i].project;
      if (project === undefined) return undefined;
      if (project === 'none') continue;
      let merged = project.bibliography && projectBibliographyForMemo(project.bibliography, up(i));
      for (const level of metadataLevels(i)) {
        const layer = folders[level].metadata?.bibliography;
        if (layer) merged = mergeBibliographies(merged, projectBibliographyForMemo(layer, up(level)));
      }
      return merged;
    }
    return undefined;
  }

  /** The project files and folders' `_metadata.yml` (in a project: Quarto reads none outside one) found so far that name a bibliography. */
  known(): KnownProject[] {
    const out: KnownProject[] = [];
    for (const { project, metadata } of this.folders.values()) {
      if (project && project !== 'none' && project.bibliography) out.push(project);
      if (metadata && this.inProject(parentOf(metadata.file))) out.push(metadata);
    }
    return out;
  }

  /** Whether the folder or one above it that was looked at is a project's. */
  private inProject(dir: vscode.Uri): boolean {
    for (let depth = 0; depth < MAX_PROJECT_DEPTH; depth++, dir = parentOf(dir)) {
      const project = this.folders.get(dir.toString())?.project;
      if (project !== undefined && project !== 'none') return true;
      if (parentOf(dir).path === dir.path) break;
    }
    return false;
  }

  /** Resolves once the folders above the memo have been looked at. */
  async read(memo: vscode.Uri): Promise<void> {
    await Promise.all(this.foldersAbove(memo).map((uri) => this.folder(uri).looks.running));
  }

  /**
   * The memo's folder and those above it up to its workspace folder (a memo outside the
   * workspace: its own folder only, as in Restricted Mode nothing outside it is read).
   */
  private foldersAbove(memo: vscode.Uri): vscode.Uri[] {
    if (memo.scheme === 'untitled') return [];
    const root = vscode.workspace.getWorkspaceFolder(memo)?.uri;
    const out: vscode.Uri[] = [];
    for (let dir = parentOf(memo); out.length < MAX_PROJECT_DEPTH; dir = parentOf(dir)) {
      out.push(dir);
      if (!root || dir.path === root.path || dir.path.length <= root.path.length || parentOf(dir).path === dir.path) break;
    }
    return out;
  }

  private folder(uri: vscode.Uri): Folder {
    let folder = this.folders.get(uri.toString());
    if (!folder) {
      const created: Folder = { project: undefined, metadata: undefined, looks: new SerialTask(() => this.lookOnce(uri, created)) };
      folder = created;
      this.folders.set(uri.toString(), folder);
      folder.looks.run();
    }
    return folder;
  }

  /** Looks at the folder once; the memos are checked again when what it gives changed. */
  private async lookOnce(dir: vscode.Uri, folder: Folder): Promise<void> {
    const [project, metadata] = await Promise.all([this.fileIn(dir, QUARTO_PROJECT_FILES), this.fileIn(dir, QUARTO_METADATA_FILES)]);
    const named = metadata !== 'none' && metadata.bibliography ? metadata : undefined;
    const before = { project: folder.project, metadata: folder.metadata };
    folder.project = project;
    folder.metadata = named;
    // (A project or metadata found by the first look too: a memo checked meanwhile did without it.)
    const found = (project !== 'none' && project.bibliography !== undefined) || named !== undefined;
    if (before.project === undefined ? found : !sameFile(before.project, project) || !sameFile(before.metadata ?? 'none', named ?? 'none')) this.emitter.fire();
  }

  /** The first of the files `names` in the folder, and what it names, or `none`. */
  private async fileIn(dir: vscode.Uri, names: readonly string[]): Promise<Project | 'none'> {
    for (const name of names) {
      const file = vscode.Uri.joinPath(dir, name);
      let bytes: Uint8Array;
      try {
        const stat = await vscode.workspace.fs.stat(file);
        if (stat.type & vscode.FileType.Directory) continue;
        if (stat.size > MAX_QUARTO_PROJECT_BYTES) {
          this.log?.warn(`Quarto ${vscode.workspace.asRelativePath(file)}: larger than ${MAX_QUARTO_PROJECT_BYTES / 1024 / 1024} MB, its bibliography not read`);
          return { file, bibliography: undefined, places: [] };
        }
        bytes = await vscode.workspace.fs.readFile(file);
      } catch {
        continue;
      }
      const text = new TextDecoder('utf-8').decode(bytes);
      const bibliography = readProjectBibliography(text);
      return { file, bibliography, places: bibliography ? placesOf(text, bibliography.names) : [] };
    }
    return 'none';
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.folders.clear();
  }
}

function placesOf(text: string, names: readonly string[]): KnownProject['places'] {
  const lines = new LineIndex(text);
  const at = (offset: number): vscode.Position => {
    const p = lines.positionAt(offset);
    return new vscode.Position(p.line, p.character);
  };
  return projectBibliographySpans(text, names).map((span, i) => ({ name: names[i], range: span ? new vscode.Range(at(span.start), at(span.end)) : new vscode.Range(0, 0, 0, 0) }));
}

function parentOf(uri: vscode.Uri): vscode.Uri {
  const slash = uri.path.lastIndexOf('/');
  return uri.with({ path: uri.path.slice(0, slash) || '/' });
}

function sameFile(a: Project | 'none', b: Project | 'none'): boolean {
  if (a === b) return true;
  if (a === 'none' || b === 'none') return false;
  return a.file.toString() === b.file.toString() && JSON.stringify([a.bibliography, a.places]) === JSON.stringify([b.bibliography, b.places]);
}
