// The workspace's sources, indexed in the background and kept current by a file watcher.
import * as vscode from 'vscode';
import type { ActorRegistry } from '../core/actors';
import { ClaimIndex } from '../core/claimIndex';
import { sourceSize } from '../core/deferredSource';
import { isSkipped, keyCollisionWarning, loadResult, parseSourceFile, type KeyCollision, type SkippedFile, type SourceFile } from '../core/loader';
import { defaultRegistry, parseActorsFile } from '../core/registry';
import { frontMatterWarning, rekeySource } from '../core/source';
import type { ActorDefinition, Source } from '../core/types';
import { SourceCache } from '../core/sourceCache';
import { hashText } from '../core/text';
import { LARGE_SOURCE_BYTES, parseWithCache } from '../parallel/parseInWorkers';
import { readConfig } from './config';
import { globMatcher, inDotFolder } from '../core/glob';
import { findSourceFiles, relativePath } from './sourceFiles';

/** The cache file of earlier versions (JSON), removed once the current one is written. */
const LEGACY_CACHE_FILE = 'sources-cache.json';

const ACTORS_FILE = '.policy-cite/actors.json';
/** Claims added to the search index per step of prepareSearch (tens of milliseconds). */
const SEARCH_SLICE = 2000;
/** Files parsed between progress reports. */
const CHUNK = 8;
/** Sources indexed between yields to the event loop (about 10 ms at 60 claims a source). */
const INDEX_CHUNK = 32;
/** Files read between progress reports. */
const READ_CHUNK = 64;

export class WorkspaceIndex implements vscode.Disposable {
  index: ClaimIndex = new ClaimIndex();
  /** Fingerprint of the user actors files the index was built with ('' for none): part of what stored results depend on. */
  actorsFingerprint = '';
  private readonly emitter = new vscode.EventEmitter<ClaimIndex>();
  /** Fires after the index changed (full reindex or one source). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private readonly uriByPath = new Map<string, vscode.Uri>();
  /** Keys that more than one source took (see keyCollisions), as the index was built and sources added since. */
  private collisions: KeyCollision[] = [];
  private generation = 0;
  private readyPromise: Promise<void> = Promise.resolve();
  private pending = new Map<string, vscode.Uri>();
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private registry: ActorRegistry = defaultRegistry();
  /** The workspace's actors files that `registry` was built from (what a parse worker is given). */
  private actorLayers: ActorDefinition[][] = [];
  /** Cancels the file search of the reindex in progress when a newer one starts. */
  private searchCancel: vscode.CancellationTokenSource | undefined;
  private disposed = false;
  /** File watchers of each workspace folder, by its URI. */
  private readonly folderWatchers = new Map<string, vscode.Disposable[]>();
  /** Stops the parsing of the reindex in progress (its workers) when a newer one starts. */
  private parseAbort: AbortController | undefined;

  /** Parsed sources of earlier runs (see `cacheUri`), kept up to date while the index changes. */
  private cache: SourceCache | undefined;
  /** What the last full reindex took from the cache. */
  lastCacheStats: SourceCache['stats'] | undefined;
  /** What the last full reindex parsed, on how many worker threads besides this one, and how many of those failed. */
  lastParseStats: { files: number; workers: number; workerErrors: number } | undefined;
  /** The last large source parsed after a change (parseUri), on how many worker threads, and why one failed. */
  lastUpdateParse: { path: string; workers: number; workerError?: string } | undefined;
  private cacheTimer: ReturnType<typeof setTimeout> | undefined;
  private searchPrepTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `cacheUri`: where parsed sources are kept between sessions (the extension's workspace
   * storage); without it every start parses every source.
   */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    readonly cacheUri?: vscode.Uri,
  ) {}

  /** Starts indexing and watching, on the next turn of the event loop; returns at once. */
  start(): void {
    // After activate() has returned: making the watchers and starting the reindex took 14 ms of
    // the 17 ms activate() spent in an extension-host run. whenReady() waits for it all the same.
    this.readyPromise = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      if (this.disposed) return;
      this.watch();
      return this.reindex();
    });
  }

  /** Resolves when the current indexing run has finished. */
  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  uriOf(source: Source): vscode.Uri | undefined {
    return this.uriByPath.get(source.path);
  }

  /** Why this source's citation key is fragile, when another source took the same key (see keyCollisionWarning). */
  keyCollisionOf(source: Source): string | undefined {
    const collision = this.collisionOf(source.path);
    return collision && keyCollisionWarning(collision);
  }

  private collisionOf(path: string): KeyCollision | undefined {
    return this.collisions.find((c) => c.sources.some((s) => s.path === path));
  }

  /** The indexed sources whose key another source takes too. */
  collidingSources(): Source[] {
    const out: Source[] = [];
    for (const collision of this.collisions) {
      for (const { path } of collision.sources) {
        const source = this.index.sourceByPath(path);
        if (source) out.push(source);
      }
    }
    return out;
  }

  private dropFromCollisions(path: string): void {
    this.setCollisions(this.collisions.map((c) => ({ ...c, sources: c.sources.filter((s) => s.path !== path) })).filter((c) => c.sources.length > 1), false);
  }

  private setCollisions(collisions: KeyCollision[], log: boolean): void {
    this.collisions = collisions;
    if (log) for (const collision of collisions) this.log.warn(keyCollisionWarning(collision));
  }

  /** A source added with a key `holder` has, which it is cited by with a suffix: indexed. */
  private addCollision(key: string, holder: Source, indexed: Source): void {
    const known = this.collisions.find((c) => c.key === key);
    const added = { path: indexed.path, key: indexed.key, given: indexed.meta.keyGiven === true };
    const collision: KeyCollision = known ? { key, sources: [...known.sources, added] } : { key, sources: [{ path: holder.path, key: holder.key, given: holder.meta.keyGiven === true }, added] };
    this.setCollisions([...this.collisions.filter((c) => c !== known), collision], false);
    this.log.warn(keyCollisionWarning(collision));
  }

  isSource(uri: vscode.Uri): boolean {
    return this.sourceAt(uri) !== undefined;
  }

  /** The indexed source read from this file, if any. */
  sourceAt(uri: vscode.Uri): Source | undefined {
    return this.index.sourceByPath(this.pathOf(uri));
  }

  private pathOf(uri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(uri, true);
  }

  private watch(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.watchFolder(folder);
    // A folder added to (or removed from) the workspace brings (or takes) its sources.
    vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const folder of e.removed) {
        this.folderWatchers.get(folder.uri.toString())?.forEach((d) => d.dispose());
        this.folderWatchers.delete(folder.uri.toString());
      }
      for (const folder of e.added) this.watchFolder(folder);
      this.readyPromise = this.reindex();
    }, undefined, this.disposables);
    // Saving a source in the editor updates it before the watcher fires.
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (this.isSource(doc.uri)) this.queue(doc.uri);
    }, undefined, this.disposables);
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('policyCite.sources') || e.affectsConfiguration('policyCite.exclude')) {
        // The watchers follow the new glob.
        if (e.affectsConfiguration('policyCite.sources')) for (const folder of vscode.workspace.workspaceFolders ?? []) this.watchFolder(folder);
        this.readyPromise = this.reindex();
      }
    }, undefined, this.disposables);
  }

  private watchFolder(folder: vscode.WorkspaceFolder): void {
    const config = readConfig();
    const disposables: vscode.Disposable[] = [];
    const sources = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, config.sources));
    // What a reindex would find: not a file policyCite.exclude leaves out, nor one in a dot folder.
    // (The setting is read at each event; its matcher is compiled again only when it changed.)
    let excluded = { glob: '', matcher: globMatcher('') };
    const wanted = (uri: vscode.Uri): boolean => {
      const { sources: glob, exclude } = readConfig();
      if (exclude !== excluded.glob) excluded = { glob: exclude, matcher: globMatcher(exclude) };
      const relative = relativePath(folder.uri, uri);
      return !inDotFolder(relative, glob) && !(exclude && excluded.matcher.test(relative));
    };
    sources.onDidCreate((uri) => wanted(uri) && this.queue(uri), undefined, disposables);
    sources.onDidChange((uri) => wanted(uri) && this.queue(uri), undefined, disposables);
    sources.onDidDelete((uri) => this.removeFile(uri), undefined, disposables);
    const actors = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, ACTORS_FILE));
    const reindex = (): void => {
      this.readyPromise = this.reindex();
    };
    actors.onDidCreate(reindex, undefined, disposables);
    actors.onDidChange(reindex, undefined, disposables);
    actors.onDidDelete(reindex, undefined, disposables);
    disposables.push(sources, actors);
    this.folderWatchers.get(folder.uri.toString())?.forEach((d) => d.dispose());
    this.folderWatchers.set(folder.uri.toString(), disposables);
  }

  /** A full rebuild: finds the sources, parses them in chunks, swaps the index in at the end. */
  reindex(): Promise<void> {
    const generation = ++this.generation;
    this.searchCancel?.cancel();
    this.parseAbort?.abort();
    const search = (this.searchCancel = new vscode.CancellationTokenSource());
    const abort = (this.parseAbort = new AbortController());
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Policy Cite: indexing sources' },
        async (progress) => {
          const started = Date.now();
          const config = readConfig();
          for (const problem of config.problems) this.log.warn(problem);
          const actors = await this.loadRegistry();
          this.registry = actors.registry;
          this.actorLayers = actors.layers;
          const cache = await this.readCache(actors.fingerprint);
          const uris = await findSourceFiles(config.sources, config.exclude, search.token, this.log);
          uris.sort((a, b) => a.toString().localeCompare(b.toString()));
          // Read every file, take what the cache has, and parse the rest: on worker threads too
          // when there is much to parse (a first start) and cores to spare.
          const unreadable: SkippedFile[] = [];
          const files: SourceFile[] = [];
          const uriByPath = new Map<string, vscode.Uri>();
          for (let i = 0; i < uris.length; i++) {
            if (generation !== this.generation) return;
            const path = this.pathOf(uris[i]);
            uriByPath.set(path, uris[i]);
            const file = await this.readUri(uris[i], path);
            if (isSkipped(file)) unreadable.push(file);
            else files.push(file);
            if (i % READ_CHUNK === READ_CHUNK - 1) progress.report({ message: `reading ${i + 1}/${uris.length}` });
          }
          let workerErrors = 0;
          const parse = await parseWithCache(files, {
            cache,
            workers: config.parseWorkers,
            // (A large source on a worker thread, even when there is little else to parse.)
            offThreadBytes: LARGE_SOURCE_BYTES,
            actorLayers: actors.layers,
            signal: abort.signal,
            onProgress: (done, total) => {
              if (done % CHUNK === 0 || done === total) progress.report({ message: `parsing ${done}/${total}` });
            },
            onWorkerError: (message) => {
              workerErrors++;
              this.log.warn(`Parsing on this thread instead: ${message}`);
            },
          });
          const { sources, skipped, collisions } = loadResult([...unreadable, ...parse.results]);
          for (const s of skipped) this.log.warn(`Skipped ${s.path}: ${s.reason}`);
          if (generation !== this.generation) return;
          // Built aside and swapped in whole, a few sources at a time between other events.
          const index = new ClaimIndex(this.registry);
          for (let i = 0; i < sources.length; i += INDEX_CHUNK) {
            if (i > 0) {
              await new Promise((r) => setImmediate(r));
              if (generation !== this.generation) return;
            }
            for (const indexed of index.upsertMany(sources.slice(i, i + INDEX_CHUNK))) {
              const size = sourceSize(indexed);
              this.log.info(`Indexed ${indexed.path} as @${indexed.key}: ${size.paragraphs} paragraphs, ${size.claims} claims`);
              const warning = frontMatterWarning(indexed);
              if (warning) this.log.warn(warning);
            }
          }
          this.index = index;
          this.setCollisions(collisions, true);
          this.actorsFingerprint = actors.fingerprint;
          this.uriByPath.clear();
          uriByPath.forEach((v, k) => this.uriByPath.set(k, v));
          this.cache = cache;
          this.lastCacheStats = cache ? { ...cache.stats } : undefined;
          this.lastParseStats = { files: parse.parsed, workers: parse.workers, workerErrors };
          const fromCache = cache ? `; ${cache.stats.hits} parsed sources taken from the cache` : '';
          const onWorkers = parse.workers ? `; ${parse.parsed} files parsed here and on ${parse.workers} worker thread${parse.workers > 1 ? 's' : ''}` : '';
          this.log.info(`Indexed ${index.sourceCount} sources (${index.claimCount} claims) in ${Date.now() - started} ms; skipped ${skipped.length}${fromCache}${onWorkers}`);
          if (cache?.changed) await this.saveCache();
          if (uris.length === 0) this.log.info(`No sources match ${config.sources}`);
          this.emitter.fire(index);
        },
      ),
    ).catch((e: unknown) => {
      if (abort.signal.aborted) return; // a newer reindex took over
      this.log.error(`Indexing failed: ${(e as Error).stack ?? String(e)}`);
    });
  }

  /**
   * The cache of parsed sources for this run: empty when there is none yet or it does not fit.
   * `actorsFingerprint`: of the user actors files, which shape every parse.
   */
  private async readCache(actorsFingerprint: string): Promise<SourceCache | undefined> {
    if (!this.cacheUri) return undefined;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await vscode.workspace.fs.readFile(this.cacheUri);
    } catch {
      // No cache yet.
    }
    const cache = SourceCache.parse(bytes, actorsFingerprint);
    if (bytes !== undefined && cache.size === 0) this.log.info('The cache of parsed sources is from another version or actors file: parsing every source');
    cache.onUnreadable = (path) => this.bodyUnreadable(path);
    return cache;
  }

  /**
   * A source taken from the cache whose claims and paragraphs turned out unreadable when first
   * read (a damaged cache file): it reads as having none, so it is parsed again from its file, after
   * the indexing under way; the cache leaves it out meanwhile. Called from inside whatever read
   * it (a check, a hover), so it only schedules the work.
   */
  private bodyUnreadable(path: string): void {
    this.log.warn(`The cached parse of ${path} could not be read (a damaged cache): parsing the file again`);
    // (After the indexing under way, which may not know the file's URI yet.)
    void this.readyPromise.then(() => {
      const uri = this.uriByPath.get(path);
      if (uri) this.queue(uri);
    });
  }

  /** Writes the cache (a temporary file, then a rename); a failure costs only the next start's time. */
  private async saveCache(): Promise<void> {
    const cache = this.cache;
    const target = this.cacheUri;
    if (!cache || !target) return;
    try {
      const dir = vscode.Uri.joinPath(target, '..');
      await vscode.workspace.fs.createDirectory(dir);
      const tmp = vscode.Uri.joinPath(dir, `.sources-cache.${Date.now()}.tmp`);
      await vscode.workspace.fs.writeFile(tmp, await cache.serializeInSlices());
      await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
    } catch (e) {
      this.log.warn(`Could not write the cache of parsed sources: ${(e as Error).message}`);
      return;
    }
    // Earlier versions kept the cache as JSON beside it; the one just written replaces it.
    await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(target, '..', LEGACY_CACHE_FILE))).catch(() => undefined);
  }

  /** Saves the cache a little after the last source change. */
  private scheduleCacheSave(): void {
    if (!this.cache) return;
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => void this.saveCache(), 2000);
  }

  /** The gazetteer with the workspace's actors files, and a fingerprint of those files. */
  private async loadRegistry(): Promise<{ registry: ActorRegistry; layers: ActorDefinition[][]; fingerprint: string }> {
    let registry = defaultRegistry();
    const layers: ActorDefinition[][] = [];
    const actorsTexts: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, ACTORS_FILE);
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(uri);
      } catch {
        continue;
      }
      const text = new TextDecoder().decode(bytes);
      actorsTexts.push(`${folder.uri.toString()}\u0000${text}`);
      const parsed = parseActorsFile(text);
      for (const e of parsed.errors) this.log.warn(`${ACTORS_FILE}: ${e}`);
      if (parsed.actors.length) {
        registry = registry.extend(parsed.actors);
        layers.push(parsed.actors);
        this.log.info(`Loaded ${parsed.actors.length} actors from ${vscode.workspace.asRelativePath(uri, true)}`);
      }
    }
    return { registry, layers, fingerprint: actorsTexts.length ? hashText(actorsTexts.join('\u0001')) : '' };
  }

  private async readUri(uri: vscode.Uri, path: string): Promise<SourceFile | SkippedFile> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory) return { path, reason: 'a folder' };
      return { path, bytes: await vscode.workspace.fs.readFile(uri) };
    } catch (e) {
      return { path, reason: `unreadable: ${(e as Error).message}` };
    }
  }

  /** Parses a changed source: here, or on a worker thread when it is large (LARGE_SOURCE_BYTES), so that it does not hold the extension host. */
  private async parseUri(uri: vscode.Uri, path: string): Promise<Source | SkippedFile> {
    const file = await this.readUri(uri, path);
    if (isSkipped(file)) return file;
    if (file.bytes.length < LARGE_SOURCE_BYTES) return parseSourceFile(file, this.registry, this.cache);
    let workerError: string | undefined;
    const parsed = await parseWithCache([file], {
      cache: this.cache,
      workers: readConfig().parseWorkers,
      offThreadBytes: LARGE_SOURCE_BYTES,
      actorLayers: this.actorLayers,
      onWorkerError: (message) => {
        workerError = message;
        this.log.warn(`Parsing ${path} on this thread instead: ${message}`);
      },
    });
    this.lastUpdateParse = { path, workers: parsed.workers, ...(workerError !== undefined && { workerError }) };
    return parsed.results[0];
  }

  private queue(uri: vscode.Uri): void {
    this.pending.set(uri.toString(), uri);
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => {
      const uris = [...this.pending.values()];
      this.pending.clear();
      this.readyPromise = this.readyPromise.then(() => this.updateFiles(uris));
    }, 100);
  }

  /** Re-parses changed sources one by one; the rest of the index is kept. */
  private async updateFiles(uris: vscode.Uri[]): Promise<void> {
    let changed = false;
    for (const uri of uris) {
      const path = this.pathOf(uri);
      // (Parsed again although its text is the same: the index holds it without its claims.)
      const unreadable = this.cache?.isUnreadable(path) ?? false;
      const result = await this.parseUri(uri, path);
      if (isSkipped(result)) {
        this.log.warn(`Skipped ${path}: ${result.reason}`);
        changed = this.index.remove(path) || changed;
        continue;
      }
      const previous = this.index.sourceByPath(path);
      if (previous && previous.hash === result.hash && !unreadable) continue;
      // An edited source keeps its key, so the memo's citations stay valid; unless its front matter
      // now gives another one that no other source has (a rename, see CitationRenameProvider).
      const holder = previous ? undefined : this.index.source(result.key);
      const renamed = previous !== undefined && result.meta.keyGiven === true && result.key !== previous.key && !this.index.source(result.key);
      const indexed = this.index.upsert(previous && !renamed ? rekeySource(result, previous.key) : result);
      this.uriByPath.set(path, uri);
      // A new source whose key another has is cited with a suffix, until a restart gives keys by path again.
      if (holder && indexed.key !== result.key) this.addCollision(result.key, holder, indexed);
      // A source whose front matter now gives the key it is cited by (pinned) no longer depends on the others'.
      else if (previous && result.meta.keyGiven && result.key === indexed.key && this.collisionOf(path)) this.dropFromCollisions(path);
      this.log.info(`Updated ${path} (@${indexed.key}): ${sourceSize(indexed).claims} claims`);
      const warning = frontMatterWarning(indexed);
      if (warning) this.log.warn(warning);
      changed = true;
    }
    if (changed) {
      this.emitter.fire(this.index);
      this.scheduleCacheSave();
    }
  }

  /**
   * Builds what claim search needs ahead of the first search, SEARCH_SLICE claims at a time
   * between other events (a search that comes first completes it).
   */
  prepareSearch(): void {
    if (this.searchPrepTimer) return;
    const index = this.index;
    const step = (): void => {
      this.searchPrepTimer = undefined;
      if (this.index === index && !index.prepareSearch(SEARCH_SLICE)) this.searchPrepTimer = setTimeout(step, 0);
    };
    // Not now: the picker is being shown.
    this.searchPrepTimer = setTimeout(step, 0);
  }

  private removeFile(uri: vscode.Uri): void {
    const path = this.pathOf(uri);
    this.cache?.delete(path);
    if (this.index.remove(path)) {
      this.uriByPath.delete(path);
      if (this.collisionOf(path)) this.dropFromCollisions(path);
      this.scheduleCacheSave();
      this.log.info(`Removed ${path}`);
      this.emitter.fire(this.index);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    if (this.searchPrepTimer) clearTimeout(this.searchPrepTimer);
    if (this.cacheTimer) {
      clearTimeout(this.cacheTimer);
      void this.saveCache();
    }
    this.searchCancel?.cancel();
    this.parseAbort?.abort();
    this.generation++;
    for (const d of this.disposables) d.dispose();
    for (const watchers of this.folderWatchers.values()) watchers.forEach((d) => d.dispose());
    this.folderWatchers.clear();
  }
}
