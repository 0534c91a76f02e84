// A worker thread of parseInWorkers: parses the chunks of files it is sent, one after another,
// with the same engine and actors as the main thread, and sends each chunk's sources back as a
// SourceCache (each claim's index terms and actors as numbers, claims and paragraphs as JSON):
// one transferable buffer per chunk, which the main thread indexes without reading the claims,
// instead of a structured clone of every claim. Started with a BibliographySetup instead, it
// reads that bibliography file, sends its entries and ends (src/parallel/readBibliography.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { bibliographyEntries } from '../core/bibliographyKeys';
import { PreparedTables } from '../core/deferredSource';
import { isSkipped, parseSourceFile, type SkippedFile } from '../core/loader';
import { registryWith } from '../core/registry';
import { SourceCache } from '../core/sourceCache';
import { PROGRESS_EVERY, TRANSPORT_CONTEXT, type BibliographyMessage, type BibliographySetup, type ParseRequest, type WorkerMessage, type WorkerSetup } from './protocol';

const port = parentPort;
if (!port) throw new Error('parseWorker runs as a worker thread');

const post = (message: WorkerMessage, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);

// Started by readBibliography (src/parallel/readBibliography.ts) to read one bibliography file
// off the extension host's thread: it sends the entries and ends.
const bibliography = (workerData as Partial<BibliographySetup> | undefined)?.task === 'bibliography' ? (workerData as BibliographySetup) : undefined;
if (bibliography) {
  let message: BibliographyMessage;
  try {
    message = { type: 'entries', read: bibliographyEntries(bibliography.text, bibliography.path) };
  } catch (e) {
    message = { type: 'error', message: (e as Error).stack ?? String(e) };
  }
  port.postMessage(message);
  port.close();
}
let registry: ReturnType<typeof registryWith> | undefined;
const tables = new PreparedTables();
let done = 0;

port.on('message', (request: ParseRequest) => {
  try {
    registry ??= registryWith((workerData as WorkerSetup).actorLayers);
    const cache = new SourceCache(TRANSPORT_CONTEXT);
    const skipped: SkippedFile[] = [];
    let start = 0;
    for (let i = 0; i < request.paths.length; i++) {
      const file = { path: request.paths[i], bytes: request.bytes.subarray(start, request.ends[i]) };
      start = request.ends[i];
      const result = parseSourceFile(file, registry, cache, tables);
      if (isSkipped(result)) skipped.push(result);
      if (++done % PROGRESS_EVERY === 0) post({ type: 'progress', done });
    }
    // Sources as parsed: their claims are made where they are read, not here.
    const bytes = cache.serialize(true, { plans: true });
    post({ type: 'parsed', cache: bytes, skipped }, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    post({ type: 'error', message: (e as Error).stack ?? String(e) });
  }
});
