// An in-memory FileSystemProvider, as a virtual workspace's file system (GitHub Repositories'
// `vscode-vfs`, a remote's own scheme) is to VS Code: there is no file on disk and no search
// provider, only this API. It records every write, can make a directory a symbolic link to
// another (a loop), and can stop reporting changes (`silent`) like a provider that cannot watch.
import * as vscode from 'vscode';

interface FileEntry {
  type: vscode.FileType.File;
  ctime: number;
  mtime: number;
  data: Uint8Array;
}

interface DirectoryEntry {
  type: vscode.FileType.Directory;
  ctime: number;
  mtime: number;
  entries: Map<string, Entry>;
  /** Set on a directory that is a symbolic link: it lists the target's entries. */
  linkTarget?: DirectoryEntry;
}

type Entry = FileEntry | DirectoryEntry;

export class MemFs implements vscode.FileSystemProvider {
  private readonly root: DirectoryEntry = { type: vscode.FileType.Directory, ctime: Date.now(), mtime: Date.now(), entries: new Map() };
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  /** Paths written through the provider, in order (VS Code's writes included). */
  readonly writes: string[] = [];
  /** When true, changes are not reported: VS Code's file watchers see nothing. */
  silent = false;

  watch(): vscode.Disposable {
    // Every change is reported whatever is watched (unless silent).
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const entry = this.lookup(uri);
    const linked = entry.type === vscode.FileType.Directory && entry.linkTarget ? vscode.FileType.SymbolicLink : 0;
    const size = entry.type === vscode.FileType.File ? entry.data.byteLength : 0;
    return { type: entry.type | linked, ctime: entry.ctime, mtime: entry.mtime, size };
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const dir = this.directory(uri);
    return [...(dir.linkTarget ?? dir).entries].map(([name, entry]) => [
      name,
      entry.type | (entry.type === vscode.FileType.Directory && entry.linkTarget ? vscode.FileType.SymbolicLink : 0),
    ]);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const entry = this.lookup(uri);
    if (entry.type !== vscode.FileType.File) throw vscode.FileSystemError.FileIsADirectory(uri);
    return entry.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): void {
    const { parent, name } = this.parentOf(uri);
    const existing = parent.entries.get(name);
    if (existing?.type === vscode.FileType.Directory) throw vscode.FileSystemError.FileIsADirectory(uri);
    if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (existing && options.create && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    const now = Date.now();
    parent.entries.set(name, { type: vscode.FileType.File, ctime: existing?.ctime ?? now, mtime: now, data: content });
    this.writes.push(uri.path);
    this.fire(existing ? [{ type: vscode.FileChangeType.Changed, uri }] : [{ type: vscode.FileChangeType.Created, uri }]);
  }

  createDirectory(uri: vscode.Uri): void {
    const { parent, name } = this.parentOf(uri);
    if (parent.entries.has(name)) throw vscode.FileSystemError.FileExists(uri);
    parent.entries.set(name, { type: vscode.FileType.Directory, ctime: Date.now(), mtime: Date.now(), entries: new Map() });
    this.fire([{ type: vscode.FileChangeType.Created, uri }]);
  }

  delete(uri: vscode.Uri): void {
    const { parent, name } = this.parentOf(uri);
    if (!parent.entries.delete(name)) throw vscode.FileSystemError.FileNotFound(uri);
    this.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): void {
    const from = this.parentOf(oldUri);
    const entry = from.parent.entries.get(from.name);
    if (!entry) throw vscode.FileSystemError.FileNotFound(oldUri);
    const to = this.parentOf(newUri);
    if (to.parent.entries.has(to.name) && !options.overwrite) throw vscode.FileSystemError.FileExists(newUri);
    from.parent.entries.delete(from.name);
    to.parent.entries.set(to.name, entry);
    this.fire([
      { type: vscode.FileChangeType.Deleted, uri: oldUri },
      { type: vscode.FileChangeType.Created, uri: newUri },
    ]);
  }

  /** Makes `uri` a directory that is a symbolic link to the directory `target`. */
  symlinkDirectory(uri: vscode.Uri, target: vscode.Uri): void {
    const { parent, name } = this.parentOf(uri);
    parent.entries.set(name, { type: vscode.FileType.Directory, ctime: Date.now(), mtime: Date.now(), entries: new Map(), linkTarget: this.directory(target) });
  }

  /** The bytes stored at `path`, read without going through VS Code; undefined when absent. */
  storedText(path: string): string | undefined {
    try {
      return new TextDecoder().decode(this.readFile(vscode.Uri.from({ scheme: 'memfs', path })));
    } catch {
      return undefined;
    }
  }

  private fire(events: vscode.FileChangeEvent[]): void {
    if (!this.silent) this.emitter.fire(events);
  }

  private lookup(uri: vscode.Uri): Entry {
    let entry: Entry = this.root;
    for (const part of uri.path.split('/').filter(Boolean)) {
      const child: Entry | undefined = entry.type === vscode.FileType.Directory ? (entry.linkTarget ?? entry).entries.get(part) : undefined;
      if (!child) throw vscode.FileSystemError.FileNotFound(uri);
      entry = child;
    }
    return entry;
  }

  private directory(uri: vscode.Uri): DirectoryEntry {
    const entry = this.lookup(uri);
    if (entry.type !== vscode.FileType.Directory) throw vscode.FileSystemError.FileNotADirectory(uri);
    return entry;
  }

  private parentOf(uri: vscode.Uri): { parent: DirectoryEntry; name: string } {
    const parts = uri.path.split('/').filter(Boolean);
    const name = parts.pop();
    if (!name) throw vscode.FileSystemError.NoPermissions(uri);
    const dir = this.directory(uri.with({ path: `/${parts.join('/')}` }));
    return { parent: dir.linkTarget ?? dir, name };
  }
}
