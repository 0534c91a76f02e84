// Messages between parseInWorkers (src/parallel/parseInWorkers.ts) and its workers
// (src/parallel/parseWorker.ts), and between readBibliography (src/parallel/readBibliography.ts)
// and the same script started to read a bibliography file.
import type { BibliographyEntries } from '../core/bibliographyKeys';
import type { ActorDefinition } from '../core/types';
import type { SkippedFile } from '../core/loader';

/** What a worker is started with (its workerData). */
export interface WorkerSetup {
  /** The user's actors files, each extending the gazetteer in turn (what the caller's registry is). */
  actorLayers: ActorDefinition[][];
}

/** What a worker that reads a bibliography file is started with (its workerData). */
export interface BibliographySetup {
  task: 'bibliography';
  /** The file's text and its path, whose extension says its format. */
  text: string;
  path: string;
}

/** What that worker sends back: bibliographyEntries of the text, or why it failed. */
export type BibliographyMessage = { type: 'entries'; read: BibliographyEntries } | { type: 'error'; message: string };

/** A chunk of files to parse: their bytes end to end in `bytes`, file i from `ends[i - 1]` (0 for the first) to `ends[i]`. */
export interface ParseRequest {
  paths: string[];
  ends: number[];
  bytes: Uint8Array;
}

export type WorkerMessage =
  /** Files parsed so far by this worker, over all its chunks. */
  | { type: 'progress'; done: number }
  /**
   * One chunk parsed, in the order chunks were sent: its sources as a SourceCache (read back with
   * SourceCache.parse and TRANSPORT_CONTEXT), and its skipped files.
   */
  | { type: 'parsed'; cache: Uint8Array; skipped: SkippedFile[] }
  | { type: 'error'; message: string };

/** The SourceCache context of the bytes a worker sends back: they are never stored. */
export const TRANSPORT_CONTEXT = 'policy-cite/parse-worker';

/** Files parsed between progress messages. */
export const PROGRESS_EVERY = 16;
