import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes through a temporary file in the same folder and a rename, so a crash never leaves half a file. */
export function writeFileAtomic(target: string, text: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
