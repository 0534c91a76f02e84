import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  checkWorthinessModelMeta,
  checkWorthinessScore,
  defaultCheckWorthinessThreshold,
  featurize,
  isCheckWorthy,
  loadModel,
  MAX_SENTENCE_CHARS,
  scoreWithModel,
} from '../../src/core/checkWorthiness';
import { evaluateAt, loadClaimBuster, splitClaimBuster } from '../../scripts/train-claim-model';

const FACTS = [
  'Uzbekistan withdrew from the CSTO in 2012.',
  'Tajikistan raised the rent to $230 million.',
];

const NON_CLAIMS = [
  'We should engage Tashkent.',
  'What should Washington do?',
  'In our view, this is a mistake.',
  'Thank you very much.',
];

/** CI lays the data at ../shared/eval/claimbuster/train.json beside the repo; CLAIMBUSTER_PATH overrides. */
function claimBusterFile(): string {
  return process.env.CLAIMBUSTER_PATH ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'eval', 'claimbuster', 'train.json');
}

describe('checkWorthiness', () => {
  it('loads the shipped model with its threshold and dataset credit', () => {
    const meta = checkWorthinessModelMeta();
    assert.ok(meta.threshold > 0 && meta.threshold < 1, `threshold ${meta.threshold}`);
    assert.strictEqual(defaultCheckWorthinessThreshold(), meta.threshold);
    assert.match(meta.dataset, /ClaimBuster/);
    assert.match(meta.dataset, /CC BY 4\.0/);
    assert.ok(featurize('Uzbekistan withdrew.').size > 0);
  });

  it('loads a model given as data and rejects a malformed one', () => {
    const features = checkWorthinessModelMeta().features;
    const tiny = loadModel({ meta: { threshold: 0.5, features }, bias: 2, indices: [], weights: [] });
    assert.ok(Math.abs(scoreWithModel(tiny, 'Anything at all.') - 1 / (1 + Math.exp(-2))) < 1e-12);
    assert.throws(() => loadModel({ meta: {} }), /threshold/);
    assert.throws(() => loadModel({ meta: { threshold: 0.5 } }), /features/);
    assert.throws(() => loadModel({ meta: { threshold: 0.5, features }, bias: 0, indices: [1], weights: [] }), /malformed/);
  });

  for (const sentence of FACTS) {
    it(`flags a factual claim: "${sentence}"`, () => {
      const score = checkWorthinessScore(sentence);
      assert.ok(score >= defaultCheckWorthinessThreshold(), `score ${score.toFixed(3)} < ${defaultCheckWorthinessThreshold()}`);
      assert.strictEqual(isCheckWorthy(sentence), true);
    });
  }

  for (const sentence of NON_CLAIMS) {
    it(`does not flag a non-claim: "${sentence}"`, () => {
      const score = checkWorthinessScore(sentence);
      assert.ok(score < defaultCheckWorthinessThreshold(), `score ${score.toFixed(3)} >= ${defaultCheckWorthinessThreshold()}`);
      assert.strictEqual(isCheckWorthy(sentence), false);
    });
  }

  it('honours an explicit threshold and returns probabilities', () => {
    for (const s of [...FACTS, ...NON_CLAIMS, '', '   ', '?', '$']) {
      const p = checkWorthinessScore(s);
      assert.ok(p >= 0 && p <= 1, `${JSON.stringify(s)} → ${p}`);
    }
    assert.strictEqual(isCheckWorthy(FACTS[0], 1.01), false);
    assert.strictEqual(isCheckWorthy(NON_CLAIMS[0], 0), true);
  });

  it('reads only the head of a huge "sentence", so hostile input costs what that head costs', () => {
    // (That the cost grows linearly up to there: test/unit/linear.test.ts, classifyStatement.)
    const hostile = [
      'a'.repeat(50_000),
      "a'".repeat(25_000),
      '1,'.repeat(25_000),
      '1.1'.repeat(20_000),
      'I think '.repeat(5_000),
      '$'.repeat(50_000),
      `${'Uzbekistan withdrew from the CSTO in 2012. '.repeat(200)}?`,
    ];
    for (const s of hostile) {
      const score = checkWorthinessScore(s);
      assert.ok(score >= 0 && score <= 1, `${s.slice(0, 12)}…: ${score}`);
      assert.strictEqual(score, checkWorthinessScore(s.slice(0, MAX_SENTENCE_CHARS)), `${s.slice(0, 12)}…`);
    }
  });

  it('clears a floor (F1 ≥ 0.70) on the held-out ClaimBuster split', function () {
    const file = claimBusterFile();
    if (!fs.existsSync(file)) {
      console.log(`    (ClaimBuster data not found at ${file}; set CLAIMBUSTER_PATH to run this test)`);
      this.skip();
    }
    const { heldOut } = splitClaimBuster(loadClaimBuster(file));
    assert.ok(heldOut.length > 1000, `held-out part has ${heldOut.length} sentences`);
    const probs = heldOut.map((r) => checkWorthinessScore(r.text));
    const scores = evaluateAt(probs, heldOut.map((r) => r.label), defaultCheckWorthinessThreshold());
    assert.ok(scores.f1 >= 0.7, `held-out F1 ${scores.f1.toFixed(4)} (P ${scores.precision.toFixed(3)}, R ${scores.recall.toFixed(3)})`);
  });
});
