// `npm start`: the main job on the bundled example — list the claims and actors of its sources,
// check its memo, and write the bibliography pandoc needs. `check` exits with 1 when a memo has
// an error-level finding, which is a result, not a failure of `npm start`; exit 2 (usage or I/O)
// fails it.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const example = path.join(root, 'examples', 'csto');

function run(args, okCodes = [0]) {
  process.stdout.write(`\n$ policy-cite ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: example, stdio: 'inherit' });
  if (!okCodes.includes(r.status ?? -1)) {
    process.stderr.write(`policy-cite ${args[0]} exited with ${r.status}\n`);
    process.exit(r.status || 1);
  }
  return r.status;
}

run(['claims']);
run(['actors']);
const status = run(['check', 'memo.md'], [0, 1]);
if (status === 1) process.stdout.write('(check exited with 1: the memo has error-level findings)\n');
run(['bib', '--out', path.join(root, 'out', 'examples', 'csto', 'references.json')]);
