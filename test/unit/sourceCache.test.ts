// The parsed-source cache: a warm start gives the index a cold start gives, only changed files are
// parsed again, and a cache from elsewhere (other engine, actors, format, or not JSON) is ignored.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateCorpus } from '../../bench/generate';
import { main } from '../../src/cli';
import { buildIndex, type SourceFile } from '../../src/core/loader';
import { ENGINE_ID, SOURCE_CACHE_FORMAT, SourceCache } from '../../src/core/sourceCache';

const ROOT = path.resolve(__dirname, '../..');

/** As JSON: the cache stores JSON, where a field that is undefined is absent. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function files(seed: number): SourceFile[] {
  return generateCorpus({ claims: 600, seed }).sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) }));
}

describe('SourceCache', function () {
  this.timeout(120_000);
  const corpus = files(21);
  const cold = buildIndex(corpus);

  it('gives the cold index from a serialized cache without parsing anything', () => {
    const first = new SourceCache('ctx');
    buildIndex(corpus, undefined, first);
    const warmCache = SourceCache.parse(first.serialize(), 'ctx');
    const warm = buildIndex(corpus, undefined, warmCache);
    assert.deepEqual(warmCache.stats, { read: corpus.length, hits: corpus.length, misses: 0 });
    assert.deepEqual(asJson(warm.index.allSources()), asJson(cold.index.allSources()));
    assert.deepEqual(asJson(warm.index.actors()), asJson(cold.index.actors()));
    assert.deepEqual(asJson(warm.index.bestSupport('Russia deployed troops in 2012', { limit: 5 })), asJson(cold.index.bestSupport('Russia deployed troops in 2012', { limit: 5 })));
  });

  it('parses again only the files whose text changed, and drops deleted ones', () => {
    const cache = new SourceCache();
    buildIndex(corpus, undefined, cache);
    const changed = corpus.map((f, i) => (i === 2 ? { path: f.path, bytes: Buffer.from(`${Buffer.from(f.bytes).toString()}\nRussia sent 500 troops in 2019.\n`) } : f)).slice(1);
    const again = SourceCache.parse(cache.serialize());
    const warm = buildIndex(changed, undefined, again);
    assert.deepEqual(again.stats, { read: corpus.length, hits: corpus.length - 2, misses: 1 });
    assert.deepEqual(asJson(warm.index.allSources()), asJson(buildIndex(changed).index.allSources()));
    const kept = JSON.parse(again.serialize()) as { sources: Record<string, unknown> };
    assert.deepEqual(Object.keys(kept.sources).sort(), changed.map((f) => f.path).sort());
  });

  it('ignores caches of another engine, actors file or format, and text that is not a cache', () => {
    const cache = new SourceCache('a');
    buildIndex(corpus.slice(0, 3), undefined, cache);
    const text = cache.serialize();
    assert.equal(SourceCache.parse(text, 'a').size, 3);
    assert.equal(SourceCache.parse(text, 'b').size, 0, 'other actors');
    const data = JSON.parse(text) as Record<string, unknown>;
    assert.equal(SourceCache.parse(JSON.stringify({ ...data, engine: `${ENGINE_ID}x` }), 'a').size, 0, 'other engine');
    assert.equal(SourceCache.parse(JSON.stringify({ ...data, format: SOURCE_CACHE_FORMAT + 1 }), 'a').size, 0, 'other format');
    for (const bad of ['', 'not json', '[]', 'null', '{"format":1}', '\u0000\u0001', JSON.stringify({ ...data, sources: { x: { path: 'y' } } })]) {
      assert.equal(SourceCache.parse(bad, 'a').size, 0, JSON.stringify(bad));
    }
  });
});

describe('policy-cite --cache', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-cache-'));
    fs.cpSync(path.join(ROOT, 'examples/csto'), path.join(dir, 'ws'), { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const sink = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream;
    const code = await main(args, sink((s) => (out += s)), sink((s) => (err += s)));
    return { code, out, err };
  }

  it('writes the cache on the first run and gives the same output from it', async () => {
    const ws = path.join(dir, 'ws');
    const cacheDir = path.join(dir, 'cache');
    const plain = await run(['check', '--format', 'json', '--cwd', ws, 'memo.md']);
    const first = await run(['check', '--format', 'json', '--cwd', ws, '--cache', cacheDir, 'memo.md']);
    const [file] = fs.readdirSync(cacheDir);
    assert.match(file, /^sources-[0-9a-f]+\.json$/);
    const written = fs.statSync(path.join(cacheDir, file)).mtimeMs;
    const second = await run(['check', '--format', 'json', '--cwd', ws, '--cache', cacheDir, 'memo.md']);
    assert.equal(first.out, plain.out);
    assert.equal(second.out, plain.out);
    assert.equal(second.code, plain.code);
    assert.equal(fs.statSync(path.join(cacheDir, file)).mtimeMs, written, 'an unchanged cache is not rewritten');
  });

  it('runs on with a warning when the cache folder cannot be written, and with a corrupt cache', async () => {
    const ws = path.join(dir, 'ws');
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const plain = await run(['claims', '--format', 'json', '--cwd', ws]);
    const blocked = await run(['claims', '--format', 'json', '--cwd', ws, '--cache', blocker]);
    assert.equal(blocked.code, 0);
    assert.equal(blocked.out, plain.out);
    assert.match(blocked.err, /cache .* not written/);
    const cacheDir = path.join(dir, 'cache');
    await run(['claims', '--format', 'json', '--cwd', ws, '--cache', cacheDir]);
    const [file] = fs.readdirSync(cacheDir);
    fs.writeFileSync(path.join(cacheDir, file), '{"format":1,"sources":{"sources/golts-2012-the-collapsing-csto.md":{"path":');
    const corrupt = await run(['claims', '--format', 'json', '--cwd', ws, '--cache', cacheDir]);
    assert.equal(corrupt.code, 0);
    assert.equal(corrupt.out, plain.out);
    assert.ok(JSON.parse(fs.readFileSync(path.join(cacheDir, file), 'utf8')), 'the corrupt cache was replaced');
  });
});
