// ClaimIndex.bestSupport sums shared weights along postings and skips the figure comparison for
// claims that cannot make the top results; it must rank exactly as the straightforward scan of
// every claim does (the figure comparison itself is shared), also after sources were replaced many times (removed claims linger in the
// postings until compaction).
import { strict as assert } from 'node:assert';
import { generateCorpus, Rng } from '../../bench/generate';
import { ClaimIndex, compareClaimIds, figureAgreement, indexTerms, paragraphSpan, type ScoredClaim, type SupportQuery } from '../../src/core/claimIndex';
import { extractDates, yearsOf } from '../../src/core/extract/dates';
import { extractFigures, extractNumbers } from '../../src/core/extract/numbers';
import { HOVER_LINE_CHARS, hoverWindow, rankActorClaims } from '../../src/core/hoverContent';
import { buildIndex } from '../../src/core/loader';
import { defaultRegistry } from '../../src/core/registry';
import { parseSource } from '../../src/core/source';
import type { Claim } from '../../src/core/types';

const dfCache = new Map<number, Map<string, number>>();

/** How many claims have each term, counted over every claim (once per index version). */
function documentFrequencies(index: ClaimIndex, all: Claim[]): Map<string, number> {
  let df = dfCache.get(index.version);
  if (!df) {
    df = new Map();
    for (const c of all) for (const t of index.claimTerms(c.id)) df.set(t, (df.get(t) ?? 0) + 1);
    dfCache.set(index.version, df);
  }
  return df;
}

/** The definition: candidates share a term or an actor that is in at most a fifth of all claims. */
function referenceSupport(index: ClaimIndex, sentence: string, query: SupportQuery = {}): ScoredClaim[] {
  const limit = query.limit ?? 5;
  const minScore = query.minScore ?? 0.15;
  const all: Claim[] = index.allSources().flatMap((s) => s.claims);
  const total = Math.max(1, all.length);
  const terms = [...new Set(indexTerms(sentence))];
  const actors = [...new Set(index.registry.findMentions(sentence).map((m) => m.actor))];
  const numbers = extractNumbers(sentence);
  const years = yearsOf(extractDates(sentence));
  const dfs = documentFrequencies(index, all);
  const idf = (t: string): number => Math.log(1 + total / (1 + (dfs.get(t) ?? 0)));
  const common = Math.max(50, total / 5);
  const actorDf = new Map(actors.map((a) => [a, all.filter((c) => c.actors.includes(a)).length]));
  const out: ScoredClaim[] = [];
  for (const claim of all) {
    const claimTerms = index.claimTerms(claim.id);
    if (query.keys) {
      if (!query.keys.includes(claim.sourceKey)) continue;
    } else {
      const shares = terms.some((t) => claimTerms.includes(t) && (dfs.get(t) ?? 0) <= common)
        || actors.some((a) => claim.actors.includes(a) && (actorDf.get(a) as number) <= common);
      if (!shares) continue;
    }
    if (query.paragraph !== undefined && (claim.paragraph < query.paragraph || claim.paragraph > (query.lastParagraph ?? query.paragraph))) continue;
    let shared = 0;
    for (const t of terms) if (claimTerms.includes(t)) shared += idf(t);
    const sentenceWeight = terms.reduce((s, t) => s + idf(t), 0);
    const claimWeight = claimTerms.reduce((s, t) => s + idf(t), 0);
    const recall = sentenceWeight ? shared / sentenceWeight : 0;
    const precision = claimWeight ? shared / claimWeight : 0;
    const termScore = recall + precision ? (2 * recall * precision) / (recall + precision) : 0;
    const actorScore = actors.length ? actors.filter((a) => claim.actors.includes(a)).length / actors.length : 0;
    const figureScore = figureAgreement(numbers, years, claim);
    const score = 0.6 * termScore + 0.25 * actorScore + 0.15 * figureScore;
    if (score >= minScore) out.push({ claim, score: Math.round(score * 1000) / 1000 });
  }
  out.sort((a, b) => b.score - a.score || compareClaimIds(a.claim.id, b.claim.id));
  return out.slice(0, limit);
}

const summary = (r: ScoredClaim[]): string[] => r.map((s) => `${s.claim.id} ${s.score}`);

describe('ClaimIndex.bestSupport against the straightforward scan', function () {
  this.timeout(300_000);
  const corpus = generateCorpus({ claims: 1500, seed: 11 });
  const { index, sources } = buildIndex(corpus.sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) })));
  // Memo-like sentences: source sentences (some with a changed figure) and fresh ones.
  const rng = new Rng(5);
  const sentences: string[] = [];
  for (let i = 0; i < 60; i++) {
    const source = rng.pick(corpus.sources);
    const paragraph = rng.pick(source.paragraphs);
    const sentence = rng.pick(paragraph);
    sentences.push(i % 3 === 0 ? sentence.replace(/\d+/, (d) => String(Number(d) + 7)) : sentence);
  }
  // and sentences the index has not seen,
  for (const other of generateCorpus({ claims: 40, seed: 12 }).sources) for (const p of other.paragraphs) sentences.push(...p);
  // and partial restatements (a random half of a source sentence's words, two sentences run
  // together), whose best scores sit near the bar where bestSupport stops walking postings.
  for (let i = 0; i < 80; i++) {
    const words = rng.pick(rng.pick(rng.pick(corpus.sources).paragraphs)).split(' ');
    const kept = words.filter(() => rng.next() < 0.5);
    sentences.push(i % 4 === 0 ? `${kept.join(' ')} ${rng.pick(rng.pick(rng.pick(corpus.sources).paragraphs))}` : kept.join(' '));
  }

  it('gives the same ranking and scores, unrestricted and per cited source and paragraph', () => {
    let compared = 0;
    for (const sentence of sentences) {
      assert.deepEqual(summary(index.bestSupport(sentence, { limit: 3, minScore: 0.2 })), summary(referenceSupport(index, sentence, { limit: 3, minScore: 0.2 })), sentence);
      assert.deepEqual(summary(index.bestSupport(sentence, { limit: 30, minScore: 0.05 })), summary(referenceSupport(index, sentence, { limit: 30, minScore: 0.05 })), sentence);
      const source = rng.pick(sources);
      const paragraph = rng.int(1, source.paragraphs.length);
      const query = { keys: [source.key], paragraph, limit: 3, minScore: 0.05 };
      assert.deepEqual(summary(index.bestSupport(sentence, query)), summary(referenceSupport(index, sentence, query)), sentence);
      compared += 3;
    }
    assert.equal(compared, 3 * sentences.length);
  });

  it('gives the same with an actor and a term in most claims (too common to walk, still scored)', () => {
    // Most source sentences end "… near Norway": Norway is then in far more than a fifth of the
    // claims, as actor and as term, so that no candidate comes from it.
    const nearNorway = generateCorpus({ claims: 400, seed: 14 }).sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text.replace(/(\w)\. (?=[A-Z])/g, '$1 near Norway. ')) }));
    const { index: skewed, sources: skewedSources } = buildIndex(nearNorway);
    const all = skewedSources.flatMap((s) => s.claims);
    assert.ok(all.filter((c) => c.actors.includes('Norway')).length > all.length / 2);
    for (const sentence of sentences.slice(0, 60)) {
      for (const text of [sentence, `${sentence.replace(/\.$/, '')} near Norway.`]) {
        for (const query of [{ limit: 3, minScore: 0.2 }, { limit: 10, minScore: 0.05 }]) {
          assert.deepEqual(summary(skewed.bestSupport(text, query)), summary(referenceSupport(skewed, text, query)), text);
        }
      }
    }
  });

  it('gives the same for a prepared sentence, also once the index changed', () => {
    const changing = new ClaimIndex();
    for (const s of sources) changing.upsert(s);
    for (const sentence of sentences.slice(0, 40)) {
      const { numbers, dates } = extractFigures(sentence);
      assert.deepEqual(numbers, extractNumbers(sentence));
      assert.deepEqual(dates, extractDates(sentence));
      const prepared = changing.prepareSupport(sentence);
      const source = rng.pick(sources);
      for (const query of [{ limit: 3, minScore: 0.2 }, { keys: [source.key], limit: 3, minScore: 0.05 }]) {
        assert.deepEqual(summary(changing.bestSupport(prepared, query)), summary(referenceSupport(changing, sentence, query)), sentence);
      }
    }
    // Made before a source was removed: looked up again for the index as it is.
    const prepared = sentences.slice(0, 10).map((s) => changing.prepareSupport(s));
    changing.remove(sources[0].path);
    for (const p of prepared) assert.deepEqual(summary(changing.bestSupport(p)), summary(referenceSupport(changing, p.text)), p.text);
  });

  it('stays the same after sources were replaced until the postings were compacted', () => {
    const churn = new ClaimIndex();
    for (const s of sources) churn.upsert(s);
    // Each round replaces every source: ~1,500 removed claims a round, compaction after 20,000.
    for (let round = 0; round < 15; round++) for (const s of sources) churn.upsert(s);
    assert.equal(churn.claimCount, index.claimCount);
    for (const sentence of sentences.slice(0, 30)) {
      assert.deepEqual(summary(churn.bestSupport(sentence, { limit: 5 })), summary(referenceSupport(index, sentence, { limit: 5 })), sentence);
    }
    const some = sources[3];
    churn.remove(some.path);
    assert.equal(churn.claimsOf(some.key).length, 0);
    assert.ok(churn.claimsByActor(some.claims.find((c) => c.actors.length)?.actors[0] ?? '').every((c) => c.sourceKey !== some.key));
  });

  it('reads a cited paragraph of one long source alone, with the same results, and a source whose claims are out of paragraph order whole', () => {
    // One source of all the corpus's paragraphs (hundreds of them), as a long report is.
    const body = corpus.sources.flatMap((s) => s.paragraphs.map((p) => p.join(' '))).join('\n\n');
    const report = parseSource(`---\ntitle: A long report\nauthor: Jane Roe\ndate: 2020-01-01\n---\n\n${body}\n`, 'sources/report.md');
    assert.ok(report.paragraphs.length > 300);
    // The same claims listed backwards: no paragraph spans, read whole.
    const backwards = { ...parseSource(`---\ntitle: Backwards\nauthor: John Doe\ndate: 2021-01-01\n---\n\n${body}\n`, 'sources/backwards.md') };
    backwards.claims = [...backwards.claims].reverse();
    const long = new ClaimIndex();
    const [r, b] = long.upsertMany([report, backwards, sources[0]]);
    assert.ok(r.claims.length > 1024);
    assert.equal(paragraphSpan(r.claims, 1, 1)?.[0], 0);
    assert.equal(paragraphSpan(b.claims, 1, 1), undefined);
    for (const source of [r, b]) {
      const last = source.paragraphs.length;
      for (const p of [1, 2, rng.int(3, last - 1), last, last + 1, 0]) {
        assert.deepEqual(long.claimsOf(source.key, p), source.claims.filter((c) => c.paragraph === p), `${source.key} para. ${p}`);
      }
      for (const claim of [source.claims[0], rng.pick(source.claims), source.claims[source.claims.length - 1]]) assert.equal(long.claim(claim.id), claim);
      assert.equal(long.claim(`${source.key}:${last + 1}.1`), undefined);
    }
    let compared = 0;
    // (Sentences sharing little but a figure with any claim: with a low bar, the claims that share
    // no word are scored too, by their figures.)
    const figuresOnly = ['Zyxwv qwerty in 2005.', 'Qwerty zyxwv 5000.', 'There were 5,000 of them in 2011.', 'Nothing here.'];
    for (const sentence of [...sentences.slice(0, 50), ...figuresOnly]) {
      for (const source of [r, b]) {
        const paragraph = rng.int(1, source.paragraphs.length);
        for (const query of [
          { keys: [source.key], paragraph, limit: 3, minScore: 0.05 },
          { keys: [source.key], paragraph, lastParagraph: paragraph + rng.int(0, 3), limit: 3, minScore: 0.05 },
          { keys: [source.key], paragraph: source.paragraphs.length + 2, limit: 3, minScore: 0.05 },
          // The whole source, and a span of most of it: more claims than a look-up scans (it walks the postings in it).
          { keys: [source.key], limit: 3, minScore: 0.05 },
          { keys: [source.key], limit: 9, minScore: 0.2 },
          { keys: [source.key], paragraph: 2, lastParagraph: source.paragraphs.length - 1, limit: 30, minScore: 0.05 },
          { keys: [source.key, sources[0].key], limit: 5, minScore: 0.05 },
        ]) {
          assert.deepEqual(summary(long.bestSupport(sentence, query)), summary(referenceSupport(long, sentence, query)), `${sentence} ${JSON.stringify(query)}`);
          compared++;
        }
      }
    }
    assert.equal(compared, 2 * 7 * 54);
  });

  it('paragraphSpan: the range of the claims of paragraphs from..to of a list in paragraph order', () => {
    const at = (paragraph: number): Claim => ({ paragraph }) as Claim;
    // Paragraphs 2 and 5 have no claims (a heading, a table).
    const claims = [1, 1, 3, 3, 3, 4, 6].map(at);
    const span = (from: number, to: number): number[] => {
      const s = paragraphSpan(claims, from, to) as [number, number];
      return claims.slice(s[0], s[1]).map((c) => c.paragraph);
    };
    assert.deepEqual(span(1, 1), [1, 1]);
    assert.deepEqual(span(2, 2), []);
    assert.deepEqual(span(2, 3), [3, 3, 3]);
    assert.deepEqual(span(3, 6), [3, 3, 3, 4, 6]);
    assert.deepEqual(span(6, 9), [6]);
    assert.deepEqual(span(7, 7), []);
    assert.deepEqual(span(0, 1), [1, 1]);
    assert.deepEqual(span(4, 3), []);
    assert.deepEqual(span(2.5, 4.5), [3, 3, 3, 4]);
    assert.deepEqual(paragraphSpan([], 1, 1), [0, 0]);
    assert.equal(paragraphSpan([3, 1].map(at), 1, 1), undefined);
  });
});

describe('rankActorClaims with a limit', function () {
  this.timeout(120_000);
  const { index } = buildIndex(generateCorpus({ claims: 1500, seed: 13 }).sources.map((s) => ({ path: s.path, bytes: Buffer.from(s.text) })));

  it('keeps the first claims of the full ranking, and counts them all', () => {
    const actors = index.actors().slice(0, 12);
    assert.ok(actors.length >= 10 && actors[0].claims.length > 50, `${actors.length} actors, the first with ${actors[0]?.claims.length} claims`);
    for (const actor of actors) {
      for (const context of ['troops deployed in 2012', 'gas pipeline agreement', '']) {
        const full = rankActorClaims(index, actor.name, context);
        assert.equal(full.total, actor.claims.length);
        assert.equal(full.claims.length, actor.claims.length);
        // The definition: shared terms, kind, key (localeCompare), paragraph, sentence.
        const terms = new Set(indexTerms(context));
        const kind: Record<string, number> = { fact: 0, quote: 1, prediction: 2, opinion: 3 };
        const reference = index
          .claimsByActor(actor.name)
          .map((claim) => ({ claim, shared: index.claimTerms(claim.id).filter((t) => terms.has(t)).length }))
          .sort((a, b) => b.shared - a.shared || kind[a.claim.kind] - kind[b.claim.kind] || a.claim.sourceKey.localeCompare(b.claim.sourceKey) || a.claim.paragraph - b.claim.paragraph || a.claim.sentence - b.claim.sentence);
        assert.deepEqual(full.claims.map((c) => c.id), reference.map((r) => r.claim.id), `${actor.name}, "${context}"`);
        for (const limit of [1, 3, 10]) {
          const top = rankActorClaims(index, actor.name, context, limit);
          assert.equal(top.total, actor.claims.length);
          assert.deepEqual(top.claims.map((c) => c.id), full.claims.slice(0, limit).map((c) => c.id), `${actor.name}, "${context}", ${limit}`);
        }
      }
    }
  });
});

describe('ClaimIndex.keyRank', () => {
  it('orders keys as localeCompare does, equal keys sharing a rank', () => {
    const keys = ['b2010', 'Á2010', 'a2010', 'A2010', 'ä2010', 'z_1', 'z-1', 'zeta', 'Zeta', 'émile2010', 'emile2010', '10k', '9k'];
    const index = new ClaimIndex();
    keys.forEach((key, i) => index.upsert(parseSource(`---\ncitation-key: "${key}"\ntitle: "T"\n---\n\nUzbekistan left in 2012.\n`, `sources/${i}.md`)));
    assert.deepEqual(index.keys().length, keys.length);
    const byRank = [...keys].sort((a, b) => index.keyRank(a) - index.keyRank(b) || a.localeCompare(b));
    const byLocale = [...keys].sort((a, b) => a.localeCompare(b));
    assert.deepEqual(byRank, byLocale);
    for (const a of keys) for (const b of keys) assert.equal(Math.sign(index.keyRank(a) - index.keyRank(b)), Math.sign(a.localeCompare(b)), `${a} ${b}`);
  });
});

describe('hoverWindow', () => {
  const registry = defaultRegistry();
  /** The actor a hover at `character` of `line` names, scanning only the window, with its place in the line. */
  const hovered = (line: string, character: number): [string, number, number] | undefined => {
    const { text, start } = hoverWindow(line, character);
    assert.ok(text.length <= HOVER_LINE_CHARS);
    const m = registry.findMentions(text).find((x) => character - start >= x.start && character - start <= x.end);
    return m && [m.actor, m.start + start, m.end + start];
  };

  it('scans a line whole up to its limit, and around the cursor beyond it, finding the name there as in the whole line', () => {
    const short = 'Karimov met Putin in Tashkent.';
    assert.deepEqual(hoverWindow(short, 3), { text: short, start: 0 });
    const sentence = 'Karimov met Putin in Tashkent and the CSTO said 5,000 troops would stay. ';
    const long = sentence.repeat(14_000); // a megabyte on one line
    const whole = registry.findMentions(long);
    for (const character of [0, 3, 500_000, 612_345, long.length - 60, long.length - 1]) {
      const expected = whole.find((x) => character >= x.start && character <= x.end);
      assert.deepEqual(hovered(long, character), expected && [expected.actor, expected.start, expected.end], String(character));
    }
    // Names all along the line: each found whole from a cursor on its last character.
    for (const mention of whole.filter((_, i) => i % 997 === 0)) {
      assert.deepEqual(hovered(long, mention.end - 1), [mention.actor, mention.start, mention.end]);
    }
  });
});
