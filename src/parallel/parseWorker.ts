// A worker thread of parseInWorkers: parses the files it is sent with the same engine and actors
// as the main thread, and sends the sources back as a SourceCache (each claim's index terms and
// actors as numbers, claims and paragraphs as JSON): one transferable buffer, which the main
// thread indexes without reading the claims, instead of a structured clone of every claim.
import { parentPort } from 'node:worker_threads';
import { PreparedTables } from '../core/deferredSource';
import { isSkipped, parseSourceFile, type SkippedFile } from '../core/loader';
import { registryWith } from '../core/registry';
import { SourceCache } from '../core/sourceCache';
import { PROGRESS_EVERY, TRANSPORT_CONTEXT, type ParseRequest, type WorkerMessage } from './protocol';

const port = parentPort;
if (!port) throw new Error('parseWorker runs as a worker thread');

port.once('message', (request: ParseRequest) => {
  const post = (message: WorkerMessage, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);
  try {
    const registry = registryWith(request.actorLayers);
    const cache = new SourceCache(TRANSPORT_CONTEXT);
    const skipped: SkippedFile[] = [];
    const tables = new PreparedTables();
    let start = 0;
    for (let i = 0; i < request.paths.length; i++) {
      const file = { path: request.paths[i], bytes: request.bytes.subarray(start, request.ends[i]) };
      start = request.ends[i];
      const result = parseSourceFile(file, registry, cache, tables);
      if (isSkipped(result)) skipped.push(result);
      if (i % PROGRESS_EVERY === PROGRESS_EVERY - 1) post({ type: 'progress', done: i + 1 });
    }
    // Sources as parsed: their claims are made where they are read, not here.
    const bytes = cache.serialize(true, { plans: true });
    post({ type: 'done', cache: bytes, skipped }, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    post({ type: 'error', message: (e as Error).stack ?? String(e) });
  }
});
