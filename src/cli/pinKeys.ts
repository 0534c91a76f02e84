// `policy-cite pin-keys`: the CLI's "Pin Citation Keys". Each source whose citation key another
// source takes too gets a `citation-key:` line in its front matter giving the key it is cited by
// now (see core/edit/pinKey), so that a source added or renamed later cannot take it and move the
// citations of one article to another. The key collision warning of `check` says to do this.
// With --dry-run each such source is named with the line it would get, and no file is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pinKeyEdit } from '../core/edit/pinKey';
import { loadFromArgs, registerCommand, requireFormat, type CommandContext } from './commands';
import { writeFileAtomic } from './writeFile';

async function pinKeysCommand(ctx: CommandContext): Promise<number> {
  requireFormat(ctx, ['text']);
  const loaded = await loadFromArgs(ctx, [...ctx.sources, ...ctx.args]);
  const sources = loaded.collisions.flatMap((c) => c.sources);
  if (sources.length === 0) {
    ctx.stdout.write('no two sources take the same citation key; there is no key to pin\n');
    return 0;
  }
  let failed = 0;
  for (const source of sources) {
    const { key } = source;
    const file = path.resolve(loaded.root, source.path);
    // (Named as the memos of check are: relative to the current folder, not to the workspace's.)
    const shown = path.relative(ctx.cwd, file) || file;
    const problem = (why: string): void => {
      failed++;
      ctx.stderr.write(`policy-cite: ${shown}: ${why}; its key (@${key}) is not pinned\n`);
    };
    let text: string;
    try {
      // (Read again, as it is now, its byte order mark kept; a file that is not UTF-8 is not written,
      // which would change its other bytes.)
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(fs.readFileSync(file));
    } catch (e) {
      problem(e instanceof TypeError ? 'not UTF-8 text' : `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    const pinned = pinKeyEdit(text, key);
    if (!pinned.ok) {
      problem(pinned.error);
      continue;
    }
    if (!pinned.edit) {
      ctx.stdout.write(`${shown}: its front matter gives @${key} already\n`);
      continue;
    }
    const { start, end, newText } = pinned.edit;
    if (ctx.dryRun) {
      // (The edit read as it was made: the line, and whether it opens a front matter of its own
      // or replaces a citation-key line of another value.)
      const line = /citation-key:[^\r\n]*/.exec(newText)?.[0] ?? newText;
      const where = newText.startsWith('---') ? 'a front matter of its own, of that line' : end > start ? `in place of "${text.slice(start, end)}"` : 'at the top of its front matter';
      ctx.stdout.write(`${shown}: would pin @${key} (${line}, ${where})\n`);
      continue;
    }
    try {
      // (A link stays a link: writeFileAtomic writes the file it points to.)
      writeFileAtomic(file, text.slice(0, start) + newText + text.slice(end));
    } catch (e) {
      problem(`cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    ctx.stdout.write(`${shown}: pinned @${key}\n`);
  }
  return failed ? 2 : 0;
}

registerCommand('pin-keys', pinKeysCommand);
