import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Creates `dir` and the folders above it that are missing. Not `fs.mkdirSync(dir, { recursive:
 * true })`, which loops for ever where creating a folder fails with ENOENT although its parent
 * exists (`--cache /proc/x`: Node 20 and 24, measured here): each folder is tried once, after its
 * parent, and a failure is thrown.
 */
export function makeFolder(dir: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && fs.statSync(dir).isDirectory()) return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir || fs.existsSync(parent)) throw e;
    makeFolder(parent);
    fs.mkdirSync(dir);
  }
}

/**
 * Writes through a temporary file in the same folder and a rename, so a crash never leaves half a
 * file. A symbolic link stays one: the file it points to is written (a rename over the link would
 * put a file in its place, and leave the file it shared as it was).
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    // Not there yet (or a link to nothing, which the file replaces).
  }
  makeFolder(path.dirname(target));
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
