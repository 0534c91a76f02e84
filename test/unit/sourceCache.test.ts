// The parsed-source cache: a warm start gives the index a cold start gives (also through updates
// and compaction), a source's claims are read only when used, only changed files are parsed again,
// and a cache from elsewhere (other engine, actors, format, byte order) or damaged is ignored.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateCorpus } from '../../bench/generate';
import { main } from '../../src/cli';
import { checkDraft, SentenceCache } from '../../src/core/check/checkDraft';
import { ClaimIndex } from '../../src/core/claimIndex';
import { parseDraft } from '../../src/core/draft';
import { buildIndex, parseSourceFile, type SourceFile } from '../../src/core/loader';
import { rekeySource } from '../../src/core/source';
import type { Source } from '../../src/core/types';
import { ENGINE_ID, SOURCE_CACHE_FORMAT, SourceCache } from '../../src/core/sourceCache';
import { hashText } from '../../src/core/text';
import { answers, asJson } from './indexAnswers';

const ROOT = path.resolve(__dirname, '../..');

function files(seed: number): SourceFile[] {
  return generateCorpus({ claims: 600, seed }).sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) }));
}

/** The same serialized cache with its header changed by `change`. */
function withHeader(bytes: Uint8Array, change: (header: Record<string, unknown>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(4, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString()) as Record<string, unknown>;
  change(header);
  const head = Buffer.from(JSON.stringify(header));
  // Keep the layout: the new header is padded with spaces to the old length when shorter.
  assert.ok(head.length <= length, 'the changed header is not longer');
  const out = Uint8Array.from(bytes);
  out.set(Buffer.concat([head, Buffer.alloc(length - head.length, ' ')]), 8);
  return out;
}

describe('SourceCache', function () {
  this.timeout(120_000);
  const corpus = files(21);
  const cold = buildIndex(corpus);

  /** The serialized cache of the corpus with one byte of `victim`'s stored claims changed, so that they are no longer JSON. */
  function cacheDamagedAt(victim: Source): Uint8Array {
    const first = new SourceCache();
    buildIndex(corpus, undefined, first);
    const bytes = Uint8Array.from(first.serialize());
    const at = Buffer.from(bytes).toString('latin1').indexOf(JSON.stringify(victim.claims[0].text).slice(0, 40));
    assert.ok(at > 0);
    bytes[at] = 0x7b; // "{"
    return bytes;
  }

  it('gives the cold index from a serialized cache without parsing anything', () => {
    const first = new SourceCache('ctx');
    buildIndex(corpus, undefined, first);
    const warmCache = SourceCache.parse(first.serialize(), 'ctx');
    const warm = buildIndex(corpus, undefined, warmCache);
    assert.deepEqual(warmCache.stats, { read: corpus.length, hits: corpus.length, misses: 0 });
    assert.deepEqual(answers(warm.index), answers(cold.index));
    // The sources of a cache read from it write it again unchanged, read or not.
    const again = SourceCache.parse(first.serialize(), 'ctx');
    buildIndex(corpus, undefined, again);
    again.get(corpus[0].path, warm.sources.find((s) => s.path === corpus[0].path)?.hash ?? '')?.claims.length;
    assert.deepEqual(Buffer.from(again.serialize()), Buffer.from(first.serialize()));
  });

  it('reads a source\'s claims only when they are used, and a damaged body as no claims', () => {
    // Damage the body of one source: the index is built from the index data all the same.
    const victim = cold.sources[4];
    const bytes = cacheDamagedAt(victim);
    // Only the header is JSON-parsed while the cache is read and the index built.
    const parseJson = JSON.parse;
    let parsed = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => (parsed++, parseJson(text, reviver))) as typeof JSON.parse;
    let warm: ReturnType<typeof buildIndex>;
    try {
      warm = buildIndex(corpus, undefined, SourceCache.parse(bytes));
    } finally {
      JSON.parse = parseJson;
    }
    assert.equal(parsed, 1, 'no source body was parsed to build the index');
    assert.equal(warm.index.claimCount, cold.index.claimCount, 'the index counts the claims of the damaged body from its index data');
    const damaged = warm.index.source(victim.key);
    assert.ok(damaged);
    assert.deepEqual([damaged.claims.length, damaged.paragraphs.length], [0, 0]);
    assert.equal(warm.index.claim(victim.claims[0].id), undefined);
    // Every other source reads as it was parsed, and look-ups skip the damaged one.
    const others = (index: ClaimIndex) => asJson(index.allSources().filter((s) => s.key !== victim.key));
    assert.deepEqual(others(warm.index), others(cold.index));
    const support = warm.index.bestSupport(victim.claims[0].text, { limit: 10 });
    assert.ok(support.every((r) => r.claim.sourceKey !== victim.key));
    assert.ok(warm.index.search(victim.claims[0].text.slice(0, 30), 10).every((r) => r.claim.sourceKey !== victim.key));
    warm.index.remove(victim.path);
    assert.equal(warm.index.source(victim.key), undefined);
  });

  it('stores no check made while a source read as empty from an unreadable body, and does once it is parsed anew', () => {
    const victim = cold.sources[9];
    const cache = SourceCache.parse(cacheDamagedAt(victim));
    const warm = buildIndex(corpus, undefined, cache).index;
    const claim = victim.claims.find((c) => c.numbers.length > 0) ?? victim.claims[0];
    const memo = `${claim.text.replace(/[.!?]?$/, '')} [@${victim.key}, para. ${claim.paragraph}].\n`;
    const sentences = new SentenceCache();
    const damaged = checkDraft(parseDraft(memo), warm, {}, sentences);
    assert.ok(cache.isUnreadable(victim.path), 'the check read the damaged body');
    assert.ok(damaged.findings.some((f) => f.code === 'locator-out-of-range'), 'against the empty source, the paragraph is out of range');
    // The store would be keyed by the file's hash, which the source parsed anew has too.
    assert.equal(sentences.store(warm, {}, ''), undefined);
    const file = corpus.find((f) => f.path === victim.path) as SourceFile;
    warm.upsert(rekeySource(parseSourceFile(file, undefined, cache) as Source, victim.key));
    const repaired = checkDraft(parseDraft(memo), warm, {}, sentences);
    assert.ok(!repaired.findings.some((f) => f.code === 'locator-out-of-range'));
    assert.ok(sentences.store(warm, {}, ''), 'stored once the source is parsed anew');
  });

  it('reports an unreadable body once, then parses that source anew, writes the cache without it, and takes its claims out of the counts', () => {
    const victim = cold.sources[7];
    const bytes = cacheDamagedAt(victim);
    const cache = SourceCache.parse(bytes);
    const reported: string[] = [];
    cache.onUnreadable = (p) => reported.push(p);
    const warm = buildIndex(corpus, undefined, cache).index;
    assert.deepEqual([reported, cache.changed], [[], false], 'nothing is known before the body is read');
    assert.equal(warm.source(victim.key)?.paragraphs.length, 0);
    assert.equal(warm.claimsOf(victim.key).length, 0);
    assert.deepEqual(reported, [victim.path], 'reported once, when first read');
    assert.ok(cache.isUnreadable(victim.path));
    assert.ok(cache.changed, 'the cache is to be written again');
    // The cache written now leaves it out, so the next start parses it from its text; the rest stays.
    const next = SourceCache.parse(cache.serialize());
    assert.equal(next.size, corpus.length - 1);
    assert.equal(next.get(victim.path, victim.hash), undefined);
    // Asked for again, the cache misses it: it is parsed from its text, and its claims counted once.
    const file = corpus.find((f) => f.path === victim.path) as SourceFile;
    const again = parseSourceFile(file, undefined, cache);
    assert.ok(!('reason' in again));
    assert.equal(cache.isUnreadable(victim.path), false);
    assert.deepEqual(asJson(again.claims), asJson(victim.claims));
    warm.upsert(rekeySource(again, victim.key));
    const churn = buildIndex(corpus).index;
    churn.upsert(rekeySource(parseSourceFile(file) as Source, victim.key));
    assert.equal(warm.claimCount, cold.index.claimCount);
    assert.deepEqual(answers(warm), answers(churn));
    // Removed, an unreadable source takes its claims out of the counts too.
    const again2 = buildIndex(corpus, undefined, SourceCache.parse(bytes)).index;
    assert.equal(again2.source(victim.key)?.claims.length, 0);
    again2.remove(victim.path);
    const without = buildIndex(corpus.filter((f) => f.path !== victim.path)).index;
    assert.equal(again2.claimCount, without.claimCount);
    assert.deepEqual(again2.actors(), without.actors());
    assert.deepEqual(asJson(again2.bestSupport(cold.sources[3].claims[0].text, { limit: 5 })), asJson(without.bestSupport(cold.sources[3].claims[0].text, { limit: 5 })));
  });

  it('stays equal to a cold index through updates, removals and a compaction', () => {
    const first = new SourceCache();
    buildIndex(corpus, undefined, first);
    const warm = buildIndex(corpus, undefined, SourceCache.parse(first.serialize())).index;
    const churn = buildIndex(corpus).index;
    // Replace a third of the sources with their own parse (the cold index takes the same steps),
    // remove one, and then replace everything until the postings are compacted.
    const replaced = buildIndex(corpus.filter((_, i) => i % 3 === 0)).sources;
    for (const index of [warm, churn]) {
      for (const s of replaced) index.upsert(s);
      index.remove(corpus[1].path);
    }
    assert.deepEqual(answers(warm), answers(churn));
    const all = buildIndex(corpus).sources.filter((s) => s.path !== corpus[1].path);
    for (let round = 0; round < 40 && warm.claimCount > 0; round++) for (const index of [warm, churn]) for (const s of all) index.upsert(s);
    assert.deepEqual(answers(warm), answers(churn));
  });

  it('parses again only the files whose text changed, and drops deleted ones', () => {
    const cache = new SourceCache();
    buildIndex(corpus, undefined, cache);
    const changed = corpus.map((f, i) => (i === 2 ? { path: f.path, bytes: Buffer.from(`${Buffer.from(f.bytes).toString()}\nRussia sent 500 troops in 2019.\n`) } : f)).slice(1);
    const again = SourceCache.parse(cache.serialize());
    const warm = buildIndex(changed, undefined, again);
    assert.deepEqual(again.stats, { read: corpus.length, hits: corpus.length - 2, misses: 1 });
    assert.deepEqual(answers(warm.index), answers(buildIndex(changed).index));
    const kept = SourceCache.parse(again.serialize());
    assert.equal(kept.size, changed.length);
    for (const s of warm.sources) assert.ok(kept.get(s.path, s.hash), s.path);
  });

  it('writes in slices the bytes serialize writes, of the sources it held when called', async () => {
    const cache = new SourceCache('ctx');
    buildIndex(corpus, undefined, cache);
    assert.deepEqual(Buffer.from(await cache.serializeInSlices(true, 0)), Buffer.from(cache.serialize()));
    // Half read back from bytes (deferred), half parsed anew: both kinds are written alike.
    const edited = corpus.map((f, i) => (i % 2 ? { path: f.path, bytes: Buffer.from(`${Buffer.from(f.bytes).toString()}\nRussia sent 500 troops in 2019.\n`) } : f));
    const mixed = SourceCache.parse(cache.serialize(), 'ctx');
    const expected = buildIndex(edited, undefined, mixed);
    const expectedBytes = mixed.serialize();
    const writing = mixed.serializeInSlices(true, 0);
    // A change while it writes does not reach what it writes.
    mixed.delete(corpus[corpus.length - 1].path);
    const bytes = await writing;
    assert.deepEqual(Buffer.from(bytes), Buffer.from(expectedBytes));
    const written = SourceCache.parse(bytes, 'ctx');
    for (const s of expected.sources) assert.ok(written.get(s.path, s.hash), s.path);
    assert.equal(mixed.size, corpus.length - 1);
  });

  it('ignores caches of another engine, actors file, format or byte order, and bytes that are not a cache', () => {
    const cache = new SourceCache('a');
    buildIndex(corpus.slice(0, 3), undefined, cache);
    const bytes = cache.serialize();
    assert.equal(SourceCache.parse(bytes, 'a').size, 3);
    assert.equal(SourceCache.parse(bytes, 'b').size, 0, 'other actors');
    assert.equal(SourceCache.parse(withHeader(bytes, (h) => (h.engine = ENGINE_ID.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')))), 'a').size, 0, 'other engine');
    assert.equal(SourceCache.parse(withHeader(bytes, (h) => (h.format = SOURCE_CACHE_FORMAT + 1)), 'a').size, 0, 'other format');
    assert.equal(SourceCache.parse(withHeader(bytes, (h) => (h.terms = (h.terms as string[]).slice(0, 2))), 'a').size, 0, 'index data naming terms the table lacks');
    assert.equal(SourceCache.parse(withHeader(bytes, (h) => ((h.sources as { path: unknown }[])[1].path = 7)), 'a').size, 0, 'a malformed entry');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const intsAt = (8 + view.getUint32(4, true) + 3) & ~3;
    const swapped = Uint8Array.from(bytes);
    swapped.set(bytes.subarray(intsAt, intsAt + 4).reverse(), intsAt);
    assert.equal(SourceCache.parse(swapped, 'a').size, 0, 'other byte order');
    const bad = ['', 'not json', '{"format":2}', '\u0000\u0001', 'PCSC', 'PCSC\u00ff\u00ff\u00ff\u00ff{}'].map((t) => Buffer.from(t, 'latin1'));
    for (let cut = 1; cut < bytes.length; cut = Math.ceil(cut * 1.7)) bad.push(Buffer.from(bytes.subarray(0, cut)));
    for (const b of bad) {
      const read = SourceCache.parse(b, 'a');
      assert.equal(read.size, 0, `${b.length} bytes: ${Buffer.from(b.subarray(0, 12)).toString('latin1')}`);
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
    // A JSON cache of an earlier version under the same name is replaced.
    fs.mkdirSync(cacheDir);
    const legacy = path.join(cacheDir, `sources-${hashText(ws)}.json`);
    fs.writeFileSync(legacy, '{"format":1,"sources":{}}');
    const first = await run(['check', '--format', 'json', '--cwd', ws, '--cache', cacheDir, 'memo.md']);
    const [file, ...others] = fs.readdirSync(cacheDir).filter((f) => !f.startsWith('checks-'));
    assert.deepEqual(others, [], 'only the new cache file is left');
    assert.match(file, /^sources-[0-9a-f]+\.bin$/);
    const written = fs.statSync(path.join(cacheDir, file)).mtimeMs;
    const second = await run(['check', '--format', 'json', '--cwd', ws, '--cache', cacheDir, 'memo.md']);
    assert.equal(first.out, plain.out);
    assert.equal(second.out, plain.out);
    assert.equal(second.code, plain.code);
    assert.equal(fs.statSync(path.join(cacheDir, file)).mtimeMs, written, 'an unchanged cache is not rewritten');
  });

  it('keeps each memo\'s check there, and gives a fresh check\'s output from it as the memo, the sources and the rules change', async () => {
    const ws = path.join(dir, 'ws');
    const cacheDir = path.join(dir, 'cache');
    const check = (...extra: string[]) => run(['check', '--format', 'json', '--cwd', ws, ...extra, 'memo.md']);
    const cached = (...extra: string[]) => check('--cache', cacheDir, ...extra);
    const plain = await check();
    assert.equal((await cached()).out, plain.out);
    const stores = fs.readdirSync(cacheDir).filter((f) => f.startsWith('checks-'));
    assert.equal(stores.length, 1);
    const store = path.join(cacheDir, stores[0]);
    const stored = JSON.parse(fs.readFileSync(store, 'utf8')) as { entries: unknown[] };
    assert.ok(stored.entries.length > 10, `${stored.entries.length} sentences stored`);
    const written = fs.statSync(store).mtimeMs;
    const second = await cached();
    assert.equal(second.out, plain.out);
    assert.equal(second.err, '');
    assert.equal(fs.statSync(store).mtimeMs, written, 'a run that checked no sentence does not rewrite it');
    // Rules, the memo and a source changed in turn: each run's output is a fresh check's.
    for (const rule of ['unsourced-claim=error', 'attribution-needed=off']) {
      const fresh = await check('--rule', rule);
      const again = await cached('--rule', rule);
      assert.equal(again.out, fresh.out, rule);
      assert.equal(again.code, fresh.code, rule);
    }
    const memo = path.join(ws, 'memo.md');
    fs.appendFileSync(memo, '\nTajikistan raised the rent for the Russian base to $300 million in 2012 [@golts2012, para. 7].\n');
    assert.equal((await cached()).out, (await check()).out, 'the memo changed');
    const source = path.join(ws, 'sources/golts-2012-the-collapsing-csto.md');
    fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace(/\$230 million/g, '$240 million'));
    const afterSource = await cached();
    assert.equal(afterSource.out, (await check()).out, 'a source changed');
    // A damaged store: a warning, and a fresh check.
    fs.writeFileSync(store, '{"format":1,"key":');
    const damaged = await cached();
    assert.equal(damaged.out, afterSource.out);
    assert.match(damaged.err, /cache .*checks-.* is damaged; checking every sentence/);
    assert.ok(JSON.parse(fs.readFileSync(store, 'utf8')).entries.length > 10, 'the damaged store was replaced');
  });

  it('parses a source again when its stored claims cannot be read, gives a fresh output, and writes the cache anew', async () => {
    const ws = path.join(dir, 'ws');
    const cacheDir = path.join(dir, 'cache');
    const plainCheck = await run(['check', '--format', 'json', '--cwd', ws, 'memo.md']);
    const plainClaims = await run(['claims', '--format', 'json', '--cwd', ws]);
    const plainActors = await run(['actors', '--format', 'json', '--cwd', ws]);
    await run(['claims', '--format', 'json', '--cwd', ws, '--cache', cacheDir]);
    const [file] = fs.readdirSync(cacheDir);
    const cacheFile = path.join(cacheDir, file);
    const whole = fs.readFileSync(cacheFile);
    // One byte of golts2012's stored claims: its index data still reads, its claims no longer do.
    const claim = (JSON.parse(plainClaims.out) as { sources: { claims: { text: string }[] }[] }).sources[0].claims.find((c) => /^[ -~]{40,}$/.test(c.text));
    assert.ok(claim);
    const at = whole.toString('latin1').indexOf(JSON.stringify(claim.text).slice(0, 40));
    assert.ok(at > 0);
    const damaged = Buffer.from(whole);
    damaged[at] = 0x7b;
    const plain: Record<string, string> = { check: plainCheck.out, claims: plainClaims.out, actors: plainActors.out };
    for (const args of [
      ['check', '--format', 'json', '--cwd', ws, '--cache', cacheDir, 'memo.md'],
      ['claims', '--format', 'json', '--cwd', ws, '--cache', cacheDir],
      ['actors', '--format', 'json', '--cwd', ws, '--cache', cacheDir],
    ]) {
      fs.writeFileSync(cacheFile, damaged);
      fs.rmSync(path.join(cacheDir, fs.readdirSync(cacheDir).find((f) => f.startsWith('checks-')) ?? 'none'), { force: true });
      const r = await run(args);
      assert.equal(r.out, plain[args[0]], args[0]);
      assert.match(r.err, /^policy-cite: warning: cache .*: the stored parse of sources\/golts-2012-the-collapsing-csto\.md could not be read; parsed the file again$/m, args[0]);
      // The cache written again reads whole: the next run takes every source from it, without a word.
      assert.notDeepEqual(fs.readFileSync(cacheFile), damaged);
      const next = await run(args);
      assert.equal(next.out, r.out);
      assert.equal(next.err, '', args[0]);
    }
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
    assert.equal(fs.readFileSync(path.join(cacheDir, file)).subarray(0, 4).toString(), 'PCSC', 'the corrupt cache was replaced');
  });
});
