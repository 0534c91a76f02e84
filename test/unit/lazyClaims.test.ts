// Claims made when first read (ParseSourceOptions.lazyClaims, as parseSourceFile parses): the
// sources, the index and what it answers are those of parsing every claim at once, whatever is
// read first; an index is built without making any claim, and a look-up makes only the claims of
// the sources it reads.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateCorpus } from '../../bench/generate';
import { checkDraft } from '../../src/core/check/checkDraft';
import { ClaimIndex } from '../../src/core/claimIndex';
import { claimsPending, isStoredSource, preparedClaimsOf, PreparedTables } from '../../src/core/deferredSource';
import { parseDraft } from '../../src/core/draft';
import { rankActorClaims } from '../../src/core/hoverContent';
import { buildIndex, finalizeKeys, parseSourceFile, type SourceFile } from '../../src/core/loader';
import { SourceCache } from '../../src/core/sourceCache';
import { parseSource, rekeySource } from '../../src/core/source';
import type { Source } from '../../src/core/types';
import { answers, asJson } from './indexAnswers';

const SEED = path.resolve(__dirname, '../../examples/csto/sources/golts-2012-the-collapsing-csto.md');

function corpus(): SourceFile[] {
  const generated = generateCorpus({ claims: 1200, seed: 7 }).sources;
  const twin = generated[5];
  return [
    ...generated.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) })),
    // A key collision (the second gets a suffix, which re-keys a lazy source) and the reference article.
    { path: path.join(path.dirname(twin.path), 'twin-of-5.md'), bytes: Buffer.from(twin.text) },
    { path: 'sources/golts.md', bytes: readFileSync(SEED) },
  ];
}

/** Every file parsed with its claims made at once. */
function eagerIndex(files: SourceFile[]): ClaimIndex {
  const sources = files.map((f) => parseSource(new TextDecoder().decode(f.bytes), f.path, { hash: (parseSourceFile(f) as Source).hash }));
  const index = new ClaimIndex();
  for (const s of finalizeKeys(sources)) index.upsert(s);
  return index;
}

describe('claims made when first read', function () {
  this.timeout(120_000);
  const files = corpus();
  const eager = eagerIndex(files);

  it('gives the sources of parsing every claim at once, and the same index answers', () => {
    const { index, sources } = buildIndex(files);
    assert.ok(sources.every((s) => preparedClaimsOf(s) && !isStoredSource(s)));
    assert.ok(
      sources.every((s) => claimsPending(s)),
      'indexing made no claim',
    );
    // Look-ups first (each makes what it reads), then everything.
    // A hover over an actor few sources name makes the claims of those only.
    const hover = rankActorClaims(index, 'Uzbekistan', 'troops on the border', 3).claims.map((c) => c.id);
    const made = sources.filter((s) => !claimsPending(s)).length;
    assert.ok(made > 0 && made < sources.length / 2, `the hover made the claims of ${made} of ${sources.length} sources`);
    const support = index.bestSupport('Russia deployed 2,000 troops to the border in 2012', { limit: 5 });
    // (Search over an index this small reads every claim.)
    const lazyFirst = { support, search: index.search('pipeline gas', 10).map((r) => [r.claim.id, r.score]), hover };
    assert.deepEqual(asJson(lazyFirst), asJson({
      support: eager.bestSupport('Russia deployed 2,000 troops to the border in 2012', { limit: 5 }),
      search: eager.search('pipeline gas', 10).map((r) => [r.claim.id, r.score]),
      hover: rankActorClaims(eager, 'Uzbekistan', 'troops on the border', 3).claims.map((c) => c.id),
    }));
    assert.deepEqual(answers(index), answers(eager));
  });

  it('checks a memo as an index of eager sources does', () => {
    const { index } = buildIndex(files);
    const keys = index.keys();
    const memo = [
      `Russia deployed 2,000 troops to the border in 2012 [@${keys[3]}, para. 2].`,
      'The pipeline carried 40 percent of the gas exports in 2015.',
      `"We have fulfilled all our obligations," the minister said [@${keys[8]}].`,
      'Uzbekistan suspended its membership of the CSTO in 2012 [@golts2012, para. 2].',
    ].join('\n\n');
    const lazy = checkDraft(parseDraft(memo), index);
    assert.ok(lazy.findings.length > 0 && lazy.stats.factual > 0);
    assert.deepEqual(asJson(lazy), asJson(checkDraft(parseDraft(memo), eager)));
  });

  it('ranks an actor’s claims for a hover as over made claims, reading few sources', () => {
    const actors = eager.actors().slice(0, 8).map((a) => a.name);
    const contexts = ['', 'troops on the border in 2012', 'gas pipeline exports', eager.allSources()[2].claims[4].text];
    let fewer = 0;
    for (const actor of actors) {
      for (const context of contexts) {
        for (const limit of [1, 3, 10]) {
          const { index, sources } = buildIndex(files);
          const lazy = rankActorClaims(index, actor, context, limit);
          const made = rankActorClaims(eager, actor, context, limit);
          assert.deepEqual(
            { ids: lazy.claims.map((c) => c.id), total: lazy.total },
            { ids: made.claims.map((c) => c.id), total: made.total },
            `${actor} / ${context} / ${limit}`,
          );
          const naming = new Set(eager.claimsByActor(actor).map((c) => c.sourceKey)).size;
          if (sources.filter((s) => !claimsPending(s)).length < naming) fewer++;
        }
      }
    }
    assert.ok(fewer > actors.length, `the hover read fewer sources than name the actor in ${fewer} cases`);
  });

  it('makes only the claims of the cited source for a cited look-up', () => {
    const { index, sources } = buildIndex(files);
    const golts = sources.find((s) => s.key === 'golts2012') as Source;
    index.bestSupport('Karimov suspended the membership', { keys: ['golts2012'], limit: 3 });
    assert.equal(claimsPending(golts), false);
    assert.equal(sources.filter((s) => !claimsPending(s)).length, 1);
  });

  it('stays lazy when re-keyed, and then makes the re-keyed claims', () => {
    const file = files[0];
    const source = parseSourceFile(file) as Source;
    const rekeyed = rekeySource(source, 'other2020');
    assert.ok(claimsPending(rekeyed) && preparedClaimsOf(rekeyed));
    assert.deepEqual(Object.keys(rekeyed), ['key', 'path', 'meta', 'paragraphs', 'claims', 'discoveredActors', 'hash']);
    const expected = parseSource(new TextDecoder().decode(file.bytes), file.path, { key: 'other2020', hash: source.hash });
    assert.equal(JSON.stringify(rekeyed), JSON.stringify(expected));
  });

  it('numbers the names of a batch in one set of tables', () => {
    const tables = new PreparedTables();
    const a = parseSourceFile(files[0], undefined, undefined, tables) as Source;
    const b = parseSourceFile(files[1], undefined, undefined, tables) as Source;
    assert.equal(preparedClaimsOf(a)?.tables, preparedClaimsOf(b)?.tables);
    assert.equal(new Set(tables.view.terms).size, tables.view.terms.length, 'each term once');
  });

  it('indexes sources upserted together as one at a time, whatever the batches and the order of additions', () => {
    // Prepared claims in two sets of tables, eager sources between them, a path upserted again.
    const tablesA = new PreparedTables();
    const tablesB = new PreparedTables();
    const half = Math.floor(files.length / 2);
    const parsed = finalizeKeys(
      files.map((f, i) =>
        i % 9 === 4
          ? parseSource(new TextDecoder().decode(f.bytes), f.path, { hash: (parseSourceFile(f) as Source).hash })
          : (parseSourceFile(f, undefined, undefined, i < half ? tablesA : tablesB) as Source),
      ),
    );
    const again = parseSourceFile(files[3], undefined, undefined, tablesA) as Source;
    const list = [...parsed, rekeySource(again, parsed.find((s) => s.path === again.path)?.key ?? again.key)];
    assert.ok(list.filter((s) => preparedClaimsOf(s)).length > list.length / 2);

    const one = new ClaimIndex();
    const single = list.map((s) => one.upsert(s));
    const together = new ClaimIndex();
    const batched = together.upsertMany(parsed);
    // (The eager index holds every source parsed whole, in this order.)
    assert.deepEqual(answers(together), answers(eager));
    batched.push(...together.upsertMany(list.slice(parsed.length)));
    assert.deepEqual(asJson(batched), asJson(single));
    assert.deepEqual(answers(together), answers(one));
    const mixed = new ClaimIndex();
    mixed.upsertMany(list);
    assert.deepEqual(answers(mixed), answers(one));
    // Every actor's claims, in order: a name in both sets of tables is one posting list.
    const byActor = (index: ClaimIndex): string[][] => index.actors().map((a) => index.claimsByActor(a.name).map((c) => c.id));
    assert.deepEqual(byActor(mixed), byActor(one));
    assert.deepEqual(byActor(together), byActor(one));

    // Added to an index that already posts their terms and has its search prepared.
    const later = new ClaimIndex();
    later.upsertMany(list.slice(0, 10));
    later.search('troops', 5);
    later.upsertMany(list.slice(10, 40));
    later.upsertMany(list.slice(40));
    assert.deepEqual(answers(later), answers(one));
  });

  it('round-trips through the source cache', () => {
    const cache = new SourceCache();
    const { index } = buildIndex(files, undefined, cache);
    const bytes = cache.serialize();
    const warm = buildIndex(files, undefined, SourceCache.parse(bytes));
    assert.deepEqual(answers(warm.index), answers(index));
    assert.deepEqual(answers(index), answers(eager));
  });

  it('travels as its plan where plans are asked for (a parse worker), and as claims to the persistent cache', () => {
    const tables = new PreparedTables();
    const lazy = files.map((f) => parseSourceFile(f, undefined, undefined, tables) as Source);
    const transport = new SourceCache('transport');
    for (const s of lazy) transport.set(s);
    const bytes = transport.serialize(true, { plans: true });
    assert.ok(lazy.every((s) => claimsPending(s)), 'serializing as plans made no claim');
    const received = SourceCache.parse(bytes, 'transport').all();
    const expected = files.map((f) => parseSource(new TextDecoder().decode(f.bytes), f.path, { hash: (parseSourceFile(f) as Source).hash }));
    assert.deepEqual(asJson(received), asJson(expected));
    // Received plans go on to a persistent cache as claims, which read back the same.
    const persistent = new SourceCache();
    for (const s of SourceCache.parse(bytes, 'transport').all()) persistent.set(s);
    const stored = persistent.serialize();
    assert.ok(!new TextDecoder().decode(stored).includes('"plan"'), 'no plan in the persistent cache');
    assert.deepEqual(asJson(SourceCache.parse(stored).all()), asJson(expected));
    // A plan that does not match its entry reads as no claims, not as a crash.
    const damaged = Buffer.from(bytes);
    const at = damaged.indexOf('"texts":[["');
    assert.ok(at > 0);
    damaged[at + '"texts":[['.length] = '7'.charCodeAt(0); // (same length: the offsets hold)
    const broken = SourceCache.parse(damaged, 'transport').all();
    assert.equal(broken.length, received.length);
    assert.ok(broken.some((s) => s.claims.length === 0));
  });

  it('makes the same claims from hostile text', () => {
    const hostile = [
      '"'.repeat(5000),
      `He said "${'a b c '.repeat(3000)}`,
      `${'Russia '.repeat(4000)}deployed troops in 2012.`,
      '# T\n\n' + 'x. '.repeat(20000),
      'Para one "opens.\n\nPara two closes" it in 1999, he said.\n\n“Three” — 4 percent.',
    ];
    for (const text of hostile) {
      const lazy = parseSource(text, 'h.md', { lazyClaims: true });
      assert.equal(JSON.stringify(lazy), JSON.stringify(parseSource(text, 'h.md')));
    }
  });
});
