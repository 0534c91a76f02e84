// SerialTask (src/vscode/debounce.ts, which imports no vscode): the bibliography files' reads
// and the Quarto project folders' looks run one at a time through it.
import * as assert from 'node:assert/strict';
import { SerialTask } from '../../src/vscode/debounce';

describe('SerialTask', () => {
  it('runs one at a time, and once more after a run for all the runs asked for meanwhile', async () => {
    let runs = 0;
    let active = 0;
    let most = 0;
    const release: Array<() => void> = [];
    const task = new SerialTask(async () => {
      runs++;
      most = Math.max(most, ++active);
      await new Promise<void>((resolve) => release.push(resolve));
      active--;
    });
    assert.equal(task.running, undefined);
    task.run();
    const first = task.running;
    assert.ok(first);
    task.run();
    task.run();
    task.run();
    // (Each run waits to be released; the asked-for run starts only after the first ends.)
    await new Promise((r) => setImmediate(r));
    assert.equal(runs, 1);
    release.shift()?.();
    await new Promise((r) => setImmediate(r));
    assert.equal(runs, 2);
    assert.equal(task.running, first, 'the same promise covers the run owed');
    release.shift()?.();
    await first;
    assert.equal(runs, 2);
    assert.equal(most, 1);
    assert.equal(task.running, undefined);
    // Asked for again later: a new run.
    task.run();
    await new Promise((r) => setImmediate(r));
    assert.equal(runs, 3);
    release.shift()?.();
    await task.running;
  });
});
