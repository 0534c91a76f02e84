// Measures the shipped check-worthiness model on the held-out part of ClaimBuster.
//
//   npm run eval [-- --data PATH] [--sample N] [--threshold T] [--min-f1 F] [--json]
//
// The held-out 20% (by a hash of sentence_id, see scripts/train-claim-model.ts) is never used in
// training or tuning. `--sample N` takes a deterministic sample of N held-out sentences (for CI);
// `--min-f1 F` exits 1 when F1 falls below F. Exit 2 when the data cannot be read.
import * as fs from 'fs';
import { checkWorthinessModelMeta, checkWorthinessScore, defaultCheckWorthinessThreshold, hashString } from '../src/core/checkWorthiness';
import { argValue, claimBusterPath, evaluateAt, loadClaimBuster, splitClaimBuster, type LabelledSentence } from './train-claim-model';

/** A deterministic sample: the `n` sentences whose salted id hash is smallest. */
export function sampleHeldOut(heldOut: readonly LabelledSentence[], n: number): LabelledSentence[] {
  if (!(n > 0) || n >= heldOut.length) return [...heldOut];
  const keyed = heldOut.map((r) => ({ r, h: hashString(`claimbuster-sample:${r.sentence_id}`) }));
  keyed.sort((a, b) => a.h - b.h || a.r.sentence_id - b.r.sentence_id);
  return keyed.slice(0, n).map((k) => k.r);
}

function numberArg(argv: readonly string[], name: string): number | undefined {
  const raw = argValue(argv, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`${name} expects a number, got ${raw}`);
    process.exit(2);
  }
  return value;
}

function main(): void {
  const argv = process.argv.slice(2);
  const dataPath = claimBusterPath(argv);
  if (!fs.existsSync(dataPath)) {
    console.error(`ClaimBuster data not found at ${dataPath} (use --data PATH or CLAIMBUSTER_PATH)`);
    process.exit(2);
  }
  const sample = numberArg(argv, '--sample');
  const threshold = numberArg(argv, '--threshold') ?? defaultCheckWorthinessThreshold();
  const minF1 = numberArg(argv, '--min-f1');

  const { heldOut } = splitClaimBuster(loadClaimBuster(dataPath));
  const rows = sampleHeldOut(heldOut, sample ?? 0);

  // Load the model and let the JIT settle before timing: the figure is the steady-state cost.
  for (const r of heldOut.slice(0, 50)) checkWorthinessScore(r.text);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const probs = rows.map((r) => checkWorthinessScore(r.text));
  const cpu = process.cpuUsage(cpuStarted);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  // CPU time is reported beside wall time because a busy machine inflates the latter.
  const cpuMsPerSentence = (cpu.user + cpu.system) / 1e3 / Math.max(1, rows.length);
  const s = evaluateAt(probs, rows.map((r) => r.label), threshold);
  const msPerSentence = elapsedMs / Math.max(1, rows.length);

  const meta = checkWorthinessModelMeta();
  if (argv.includes('--json')) {
    console.log(JSON.stringify({ sentences: rows.length, threshold, ...s, msPerSentence, cpuMsPerSentence, cvF1: meta.cvF1 ?? null }));
  } else {
    const pct = (x: number): string => (100 * x).toFixed(1).padStart(5) + '%';
    console.log(`check-worthiness on ClaimBuster held-out${rows.length < heldOut.length ? ` (sample of ${rows.length}/${heldOut.length})` : ''}: ${rows.length} sentences, ${s.tp + s.fn} check-worthy`);
    console.log(`  model     trained ${meta.trainedAt}; threshold ${threshold}; CV F1 (training part) ${meta.cvF1 ?? 'n/a'}`);
    console.log(`  precision ${pct(s.precision)}   recall ${pct(s.recall)}   F1 ${pct(s.f1)}   accuracy ${pct(s.accuracy)}`);
    console.log(`  counts    tp ${s.tp}  fp ${s.fp}  fn ${s.fn}  tn ${s.tn}`);
    console.log(`  speed     ${msPerSentence.toFixed(4)} ms/sentence wall clock, ${cpuMsPerSentence.toFixed(4)} ms CPU (${elapsedMs.toFixed(1)} ms total)`);
    console.log(`  data      ${meta.dataset}`);
  }
  if (minF1 !== undefined && s.f1 < minF1) {
    console.error(`F1 ${s.f1.toFixed(4)} is below the floor ${minF1}`);
    process.exit(1);
  }
}

if (require.main === module) main();
