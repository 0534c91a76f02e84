// Round trip: the bibliography the CLI writes is one pandoc --citeproc accepts as is, and every
// citation of the example memo resolves against it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli';

const ROOT = path.resolve(__dirname, '../..');

function hasPandoc(): boolean {
  return spawnSync('pandoc', ['--version'], { encoding: 'utf8' }).status === 0;
}

class Sink {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('pandoc round trip', function () {
  this.timeout(60_000);

  it('renders the example memo with the generated CSL-JSON and no missing citation', async function () {
    if (!hasPandoc()) {
      // CI installs pandoc (.ci/run); there a missing pandoc is a failure, not a skip.
      if (process.env.CI) assert.fail('pandoc is not installed');
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-pandoc-'));
    try {
      fs.cpSync(path.join(ROOT, 'examples/csto'), dir, { recursive: true });
      const out = new Sink();
      const err = new Sink();
      const code = await main(['bib', '--cwd', dir, '--out', 'references.json'], out as unknown as NodeJS.WritableStream, err as unknown as NodeJS.WritableStream);
      assert.equal(code, 0, err.text);
      const bib = JSON.parse(fs.readFileSync(path.join(dir, 'references.json'), 'utf8')) as { id: string }[];
      assert.deepEqual(bib.map((e) => e.id), ['golts2012']);
      const run = spawnSync('pandoc', ['--citeproc', '--from', 'markdown', '--to', 'plain', 'memo.md'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /not found|Citeproc: citation/i, run.stderr);
      assert.match(run.stdout, /Golts/);
      assert.doesNotMatch(run.stdout, /@golts2012|\?\?/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
