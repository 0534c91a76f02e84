// Parsing on worker threads (src/parallel): the index, sources, keys and skipped files are those
// of parsing every file on this thread, with the user's actors too; the sources that workers
// parsed really come from workers (deferred, read from what the worker sent); a worker that
// cannot run leaves its files to this thread; an abort stops the parse; the cache is used and
// filled as buildIndex does.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { generateCorpus } from '../../bench/generate';
import { isStoredSource } from '../../src/core/deferredSource';
import { buildIndex, parseSourceFile, type SourceFile } from '../../src/core/loader';
import { registryWith } from '../../src/core/registry';
import { SourceCache } from '../../src/core/sourceCache';
import type { ActorDefinition } from '../../src/core/types';
import { buildIndexInWorkers, parseInWorkers } from '../../src/parallel/parseInWorkers';
import { answers, asJson } from './indexAnswers';

/** A user actor that the generated sources name ("the Eastern Corridor Authority" is added to some). */
const USER_ACTORS: ActorDefinition[][] = [[{ name: 'Eastern Corridor Authority', type: 'organization', aliases: ['ECA'], roles: [] }]];

function corpus(): SourceFile[] {
  const generated = generateCorpus({ claims: 1500, seed: 33 }).sources.map((s, i) => ({
    path: s.path,
    text: i % 9 === 0 ? s.text.replace(/\n\n/, '\n\nThe Eastern Corridor Authority (ECA) said in 2014 that 40 percent of the route was built.\n\n') : s.text,
  }));
  // Two files whose key would be the same (the second gets a suffix), and files that are skipped.
  const twin = generated[3];
  return [
    ...generated.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) })),
    { path: path.join(path.dirname(twin.path), 'twin-of-3.md'), bytes: Buffer.from(twin.text) },
    { path: 'sources/binary.md', bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]) },
    { path: 'sources/empty.md', bytes: Buffer.alloc(0) },
    { path: 'sources/blank.txt', bytes: Buffer.from(' \n\t\n') },
    { path: 'sources/latin1.txt', bytes: Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]) },
    { path: 'sources/front-matter-only.md', bytes: Buffer.from('---\ntitle: Nothing here\nauthor: Nobody\n---\n') },
  ];
}

describe('parsing on worker threads', function () {
  this.timeout(120_000);
  const files = corpus();
  const here = buildIndex(files, registryWith(USER_ACTORS));

  it('gives the index, keys and skipped files of parsing every file on this thread', async () => {
    const errors: string[] = [];
    let progress = 0;
    const parallel = await buildIndexInWorkers(files, {
      actorLayers: USER_ACTORS,
      workers: 2,
      minBytes: 0,
      onWorkerError: (m) => errors.push(m),
      onProgress: (done, total) => {
        assert.ok(done >= progress && done <= total, 'progress only grows, up to the number of files');
        progress = done;
      },
    });
    assert.deepEqual(errors, []);
    assert.equal(progress, files.length);
    // Both threads and both workers had a share: some sources are deferred (from a worker), some not.
    const fromWorkers = parallel.sources.filter((s) => isStoredSource(s)).length;
    assert.ok(fromWorkers > 0 && fromWorkers < parallel.sources.length, `${fromWorkers} of ${parallel.sources.length} sources came from workers`);
    assert.deepEqual(parallel.skipped, here.skipped);
    assert.deepEqual(parallel.skipped.map((s) => s.path).sort(), ['sources/binary.md', 'sources/blank.txt', 'sources/empty.md', 'sources/front-matter-only.md', 'sources/latin1.txt']);
    assert.deepEqual(asJson(parallel.sources), asJson(here.sources));
    assert.deepEqual(answers(parallel.index), answers(here.index));
    // The user's actors shaped the parse on the workers as here.
    assert.ok(parallel.index.claimsByActor('Eastern Corridor Authority').length > 0);
    assert.deepEqual(
      parallel.index.claimsByActor('Eastern Corridor Authority').map((c) => c.id),
      here.index.claimsByActor('Eastern Corridor Authority').map((c) => c.id),
    );
  });

  it('parses on this thread when there is little to parse, or no worker to spare', async () => {
    for (const options of [{ workers: 2 }, { workers: 0, minBytes: 0 }]) {
      const results = await parseInWorkers(files.slice(0, 10), options);
      assert.equal(results.filter((r) => 'claims' in r && isStoredSource(r)).length, 0, 'nothing came from a worker');
      assert.deepEqual(asJson(results), asJson(files.slice(0, 10).map((f) => parseSourceFile(f))));
    }
  });

  it("parses a failed worker's files on this thread and says why", async () => {
    const errors: string[] = [];
    const parallel = await buildIndexInWorkers(files, {
      actorLayers: USER_ACTORS,
      workers: 1,
      minBytes: 0,
      script: path.join(__dirname, 'no-such-worker.js'),
      onWorkerError: (m) => errors.push(m),
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0], /worker/);
    assert.deepEqual(asJson(parallel.sources), asJson(here.sources));
    assert.deepEqual(parallel.skipped, here.skipped);
  });

  it("parses here the chunks a worker held when it stopped part of the way through, and keeps those it sent back", async () => {
    const errors: string[] = [];
    const parallel = await buildIndexInWorkers(files, {
      actorLayers: USER_ACTORS,
      workers: 1,
      minBytes: 0,
      script: path.join(__dirname, '../support/stoppingParseWorker.js'),
      onWorkerError: (m) => errors.push(m),
    });
    assert.deepEqual(errors, ['a worker stopped (exit code 3)']);
    // Its first chunk came from the worker; what it held then, and the rest, were parsed here.
    const fromWorker = parallel.sources.filter((s) => isStoredSource(s)).length;
    assert.ok(fromWorker > 0 && fromWorker < parallel.sources.length / 2, `${fromWorker} of ${parallel.sources.length} sources came from the worker`);
    assert.deepEqual(asJson(parallel.sources), asJson(here.sources));
    assert.deepEqual(parallel.skipped, here.skipped);
    assert.deepEqual(answers(parallel.index), answers(here.index));
  });

  describe('large files (offThreadBytes)', () => {
    // The threshold: the size of the third largest readable file, so that three files are large.
    const sizes = files.map((f) => f.bytes.length).sort((a, b) => b - a);
    const least = sizes[2];
    const large = new Set(files.filter((f) => f.bytes.length >= least).map((f) => f.path));

    it('parses them on a worker, started for them where none would be, and everything else here', async () => {
      let progress = 0;
      // (minBytes above the whole: no worker for the rest, as on a two-core machine.)
      for (const options of [{ minBytes: Infinity }, { workers: 1, minBytes: Infinity }]) {
        const errors: string[] = [];
        const parallel = await buildIndexInWorkers(files, {
          ...options,
          actorLayers: USER_ACTORS,
          offThreadBytes: least,
          onWorkerError: (m) => errors.push(m),
          onProgress: (done, total) => {
            assert.ok(done <= total);
            progress = done;
          },
        });
        assert.deepEqual(errors, []);
        assert.equal(progress, files.length);
        assert.deepEqual(
          parallel.sources.filter((s) => isStoredSource(s)).map((s) => s.path).sort(),
          [...large].sort(),
          'the large files, and only they, came from the worker',
        );
        assert.deepEqual(asJson(parallel.sources), asJson(here.sources));
        assert.deepEqual(parallel.skipped, here.skipped);
        assert.deepEqual(answers(parallel.index), answers(here.index));
      }
    });

    it('leaves them to the workers when workers parse the rest too, and to this thread with workers: 0', async () => {
      const spread = await buildIndexInWorkers(files, { actorLayers: USER_ACTORS, workers: 2, minBytes: 0, offThreadBytes: least });
      const fromWorkers = new Set(spread.sources.filter((s) => isStoredSource(s)).map((s) => s.path));
      for (const p of large) assert.ok(fromWorkers.has(p), `${p} came from a worker`);
      assert.ok(fromWorkers.size > large.size && fromWorkers.size < spread.sources.length, `${fromWorkers.size} of ${spread.sources.length} from workers`);
      assert.deepEqual(answers(spread.index), answers(here.index));
      const none = await buildIndexInWorkers(files, { actorLayers: USER_ACTORS, workers: 0, offThreadBytes: least });
      assert.equal(none.sources.filter((s) => isStoredSource(s)).length, 0);
      assert.deepEqual(asJson(none.sources), asJson(here.sources));
    });

    it('parses a single large file on a worker, and here when no worker can', async () => {
      const [file] = files.filter((f) => large.has(f.path));
      const [onWorker] = await parseInWorkers([file], { actorLayers: USER_ACTORS, offThreadBytes: least });
      assert.ok(!('reason' in onWorker) && isStoredSource(onWorker));
      const errors: string[] = [];
      const [fallback] = await parseInWorkers([file], {
        actorLayers: USER_ACTORS,
        offThreadBytes: least,
        script: path.join(__dirname, 'no-such-worker.js'),
        onWorkerError: (m) => errors.push(m),
      });
      assert.equal(errors.length, 1);
      assert.ok(!('reason' in fallback) && !isStoredSource(fallback));
      const mine = parseSourceFile(file, registryWith(USER_ACTORS));
      assert.deepEqual(asJson([onWorker as never]), asJson([mine as never]));
      assert.deepEqual(asJson([fallback as never]), asJson([mine as never]));
    });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const parsing = parseInWorkers(files, { workers: 2, minBytes: 0, signal: controller.signal });
    controller.abort();
    await assert.rejects(parsing, (e: Error) => e.name === 'AbortError');
    const already = new AbortController();
    already.abort();
    await assert.rejects(parseInWorkers(files, { workers: 1, minBytes: 0, signal: already.signal }), (e: Error) => e.name === 'AbortError');
  });

  it("keeps nothing of the caller's once its results are handed over", async function () {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) this.skip();
    // What the options reach (here an array the progress callback holds) must not stay reachable
    // through the worker, which lives on until its exit is handled.
    const parse = async (): Promise<WeakRef<object>> => {
      const held = new Array(1000).fill('x');
      await parseInWorkers(files, { workers: 1, minBytes: 0, onProgress: () => held.length });
      return new WeakRef(held);
    };
    const ref = await parse();
    await new Promise((resolve) => setImmediate(resolve));
    gc?.();
    assert.equal(ref.deref(), undefined);
  });

  it('takes unchanged files from the cache and adds what it parsed, as buildIndex does', async () => {
    const cache = new SourceCache('ctx');
    const first = await buildIndexInWorkers(files, { actorLayers: USER_ACTORS, workers: 1, minBytes: 0, cache });
    assert.equal(cache.size, here.sources.length);
    const warmCache = SourceCache.parse(cache.serialize(), 'ctx');
    const warm = await buildIndexInWorkers(files, { actorLayers: USER_ACTORS, workers: 1, minBytes: 0, cache: warmCache });
    // Every readable file was a hit; the skipped files were parsed (and skipped) again.
    assert.equal(warmCache.stats.hits, here.sources.length);
    assert.deepEqual(answers(warm.index), answers(first.index));
    assert.deepEqual(answers(warm.index), answers(here.index));
  });
});
