// Reading a large bibliography file on a worker thread. A reference manager's library of
// thousands of works takes the extension host's thread tens to hundreds of milliseconds to read
// (`npm run bench`, bibliography.read), each time it changes; read by a worker, the editor goes on
// meanwhile. The entries are those bibliographyEntries gives on this thread.
import { Worker } from 'node:worker_threads';
import { bibliographyEntries, type BibliographyEntries } from '../core/bibliographyKeys';
import { workerScript } from './parseInWorkers';
import type { BibliographyMessage, BibliographySetup } from './protocol';

/** Below this many characters a file is read on this thread: starting a worker costs more. */
export const OFF_THREAD_CHARS = 512 * 1024;

export interface ReadOptions {
  /** Read on this thread below this many characters (default OFF_THREAD_CHARS). */
  minChars?: number;
  /**
   * Told when the worker could not read the file; `readHere` when it was then read on this thread
   * (not when the worker was stopped for taking too long).
   */
  onWorkerError?: (message: string, readHere: boolean) => void;
  /** Told when the worker read the file (its entries or what is wrong with it). */
  onWorkerRead?: () => void;
  /** The worker script, when not the one beside this module (tests). */
  script?: string;
  /** A worker that has not answered after this many milliseconds is stopped (default WORKER_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * A file that a worker has not read in this time is not read: js-yaml reads a 64 MB file, the
 * largest read, in seconds, and reading it here instead would hold this thread as long.
 */
export const WORKER_TIMEOUT_MS = 60_000;

/**
 * bibliographyEntries of `text`, read on a worker thread when it is large. When the worker cannot
 * start or fails, the file is read on this thread (`onWorkerError` says why); when it does not
 * answer in `timeoutMs`, it is stopped and the file is not read (an error says so).
 */
export async function readBibliography(text: string, path: string, options: ReadOptions = {}): Promise<BibliographyEntries> {
  if (text.length < (options.minChars ?? OFF_THREAD_CHARS)) return bibliographyEntries(text, path);
  const failed = (why: string): BibliographyEntries => {
    options.onWorkerError?.(why, true);
    return bibliographyEntries(text, path);
  };
  let worker: Worker;
  try {
    const script = workerScript(options.script);
    const setup: BibliographySetup = { task: 'bibliography', text, path };
    worker = new Worker(script.file, { execArgv: script.execArgv, workerData: setup });
  } catch (e) {
    return failed(`could not start a worker: ${(e as Error).message}`);
  }
  const timeoutMs = options.timeoutMs ?? WORKER_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await new Promise<BibliographyMessage | string | 'timeout'>((resolve) => {
    worker.once('message', (message: BibliographyMessage) => resolve(message));
    worker.once('error', (e) => resolve(`the worker failed: ${e.message}`));
    worker.once('exit', (code) => resolve(`the worker stopped (exit code ${code}) before it read the file`));
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  clearTimeout(timer);
  worker.removeAllListeners();
  worker.on('error', () => undefined);
  void worker.terminate();
  if (outcome === 'timeout') {
    options.onWorkerError?.(`the worker did not read the file in ${timeoutMs / 1000} s`, false);
    return { error: `not read: a worker took more than ${timeoutMs / 1000} s to read it` };
  }
  if (typeof outcome === 'string') return failed(outcome);
  if (outcome.type !== 'entries') return failed(`the worker failed: ${outcome.message}`);
  options.onWorkerRead?.();
  return outcome.read;
}
