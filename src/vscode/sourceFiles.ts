// Finds the source files of every workspace folder: `workspace.findFiles` in `file` folders, and
// in folders on other schemes — a virtual workspace such as GitHub Repositories' `vscode-vfs` or
// a `memfs` — a walk with `workspace.fs.readDirectory` from the pattern's literal start
// (`sources/`), within fixed bounds, not into symbolic links, stopping when cancelled. findFiles
// cannot be used there: when no folder of the search has a file search provider, VS Code waits
// for one to be registered (1.139: "No search provider registered for scheme: memfs, waiting"),
// so indexing would never finish.
import * as vscode from 'vscode';
import { globMatcher, inDotFolder, literalPrefix } from '../core/glob';

/** Folders below the workspace folder a walk goes into at most. */
const MAX_WALK_DEPTH = 16;
/** Directory entries a walk reads at most, per workspace folder. */
const MAX_WALK_ENTRIES = 20_000;

interface WalkResult {
  uris: vscode.Uri[];
  /** Why the walk stopped short, when it did. */
  truncated?: string;
}

/** The source files: matching `include` and not `exclude` (globs relative to each workspace folder). */
export function findSourceFiles(include: string, exclude: string, token: vscode.CancellationToken, log: vscode.LogOutputChannel): Promise<vscode.Uri[]> {
  return findWorkspaceFiles(include, exclude, token, log, {
    walked: ' Source changes are followed when its file system reports them; "Policy Cite: Reindex Sources" reads it again.',
    truncated: '; narrow policyCite.sources to index the rest',
  });
}

/**
 * The files matching `include` and not `exclude` (globs relative to each workspace folder), by
 * findFiles or, in a virtual folder, a walk, logged with what `notes` add.
 */
export async function findWorkspaceFiles(
  include: string,
  exclude: string,
  token: vscode.CancellationToken,
  log: vscode.LogOutputChannel,
  notes: { walked?: string; truncated?: string } = {},
): Promise<vscode.Uri[]> {
  const uris: vscode.Uri[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (token.isCancellationRequested) return [];
    if (folder.uri.scheme === 'file') {
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, include), exclude, undefined, token);
      // (findFiles enters folders whose names start with a dot; the CLI and the walk below do not.)
      uris.push(...found.filter((uri) => !inDotFolder(relativePath(folder.uri, uri), include)));
      continue;
    }
    const walk = await walkFolder(folder.uri, include, exclude, token);
    if (token.isCancellationRequested) return [];
    log.info(
      `${folder.uri.toString(true)} is a virtual folder: read its folders for ${include} and found ${walk.uris.length} files.${notes.walked ?? ''}`,
    );
    if (walk.truncated) log.warn(`${folder.name}: stopped reading folders for ${include} (${walk.truncated})${notes.truncated ?? ''}`);
    uris.push(...walk.uris);
  }
  return uris;
}

/** Files under `root` matching the globs, found through the file system API alone. */
async function walkFolder(root: vscode.Uri, include: string, exclude: string, token: vscode.CancellationToken): Promise<WalkResult> {
  const includes = globMatcher(include);
  const excludes = exclude ? globMatcher(exclude) : undefined;
  const prefix = literalPrefix(include);
  const stack = [{ uri: prefix.length ? vscode.Uri.joinPath(root, ...prefix) : root, relative: prefix.join('/'), depth: prefix.length }];
  const uris: vscode.Uri[] = [];
  let entriesRead = 0;
  let truncated: string | undefined;
  for (let dir = stack.pop(); dir; dir = stack.pop()) {
    if (token.isCancellationRequested) return { uris };
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(dir.uri);
    } catch {
      continue; // missing (no sources/ folder) or unreadable
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const subfolders: typeof stack = [];
    for (const [name, type] of entries) {
      if (++entriesRead > MAX_WALK_ENTRIES) return { uris, truncated: `more than ${MAX_WALK_ENTRIES} entries` };
      const relative = dir.relative ? `${dir.relative}/${name}` : name;
      if (type & vscode.FileType.Directory) {
        if (type & vscode.FileType.SymbolicLink) continue; // a link may lead back up: a loop
        if (name.startsWith('.')) continue; // (below the glob's literal folders: see inDotFolder)
        if (excludes && (excludes.test(relative) || excludes.test(`${relative}/`))) continue; // as search excludes a folder
        if (dir.depth + 1 > MAX_WALK_DEPTH) {
          truncated = `folders deeper than ${MAX_WALK_DEPTH}`;
          continue;
        }
        subfolders.push({ uri: vscode.Uri.joinPath(dir.uri, name), relative, depth: dir.depth + 1 });
      } else if (type & vscode.FileType.File && includes.test(relative) && !excludes?.test(relative)) {
        uris.push(vscode.Uri.joinPath(dir.uri, name));
      }
    }
    stack.push(...subfolders.reverse()); // depth first, in name order
  }
  return { uris, truncated };
}

/** `uri`'s path below `folder`, '/'-separated. */
export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string {
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : vscode.workspace.asRelativePath(uri, false);
}
