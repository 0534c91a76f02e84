// policy-cite command line: the same engine as the extension, for CI and scripts.
// Exit codes: 0 success, 1 findings with errors (check), 2 usage or I/O errors.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../package.json';
import { parseRuleSettings } from './core/check/rules';
import { escapeControls } from './core/escape';
import { runCommand, type CommandName, COMMANDS } from './cli/commands';
import { UsageError } from './cli/sources';
import './cli/check';
import './cli/pinKeys';

const HELP = `policy-cite — source-linked policy writing

Usage:
  policy-cite claims [--format text|json] [paths or globs…]
  policy-cite actors [--format text|json] [paths or globs…]
  policy-cite check  [--sources glob…] [--format text|json|sarif|github] [--rule CODE=SEVERITY…] [--paragraph-citations] [--no-settings] memos, folders or globs…
  policy-cite bib    [--sources glob…] [--out references.json]
  policy-cite pin-keys [--sources glob…] [--dry-run]

Sources default to sources/**/*.{md,markdown,txt} under the current folder (check: the
workspace's sources/ found from the memo's folder upwards, or policyCite.sources); globs and
folders of sources leave node_modules out unless policyCite.exclude says otherwise. A folder given
to check stands for its *.md, *.markdown and *.qmd files, node_modules, sources and
policyCite.exclude aside. Globs and folders do not enter folders whose names start with a dot
(.git, .github) below the folders they name. check reads policyCite.rules, policyCite.paragraphCitations,
policyCite.sources and policyCite.exclude from the nearest .vscode/settings.json, as the
extension does. pin-keys writes into the front matter of each source whose citation key another
source takes too (check warns of them) the key it is cited by now, so that no source added later
can take it; with --dry-run it prints what it would write and writes nothing.

Options:
  --format F             output format (default text; check: github gives GitHub Actions annotations)
  --sources GLOB         source files for check and bib (repeatable)
  --actors FILE          user actors file (default .policy-cite/actors.json)
  --cwd DIR              run as if started in DIR
  --paragraph-citations  a citation ending a paragraph covers its earlier sentences
  --rule CODE=SEVERITY   check: a rule's severity (error, warning, information, hint, off),
                         e.g. --rule unsourced-claim=error to fail CI on unsourced statements
                         (over the rule's setting in .vscode/settings.json)
  --no-settings          do not read .vscode/settings.json
  --out FILE             bib: merge CSL-JSON into FILE (a .json file) instead of standard output
  --dry-run              pin-keys: print the front-matter line each source would get; write nothing
  --cache DIR            keep parsed sources in DIR and reuse those whose text is unchanged;
                         check: keep each memo's sentence results there too, and reuse them
                         while the sources, the actors file and the rules are unchanged
  --workers N            worker threads that parse sources beside the main one when more than
                         2 MB is parsed (0 to 8; default: one per core beyond two, at most three)
  -v, --version          the version of policy-cite
  -h, --help             this help

Exit codes: 0 success; 1 check found an error; 2 usage or I/O error.`;

/**
 * `stream` with every string written to it passed through escapeControls: claim texts, actor
 * names, messages and file names come from files the user did not write, and a terminal would
 * act on the escape sequences in them. (JSON output has none left to escape.)
 */
function terminalSafe(stream: NodeJS.WritableStream): NodeJS.WritableStream {
  return { write: (chunk: string) => stream.write(escapeControls(chunk)) } as NodeJS.WritableStream;
}

export async function main(argv: string[], rawOut: NodeJS.WritableStream = process.stdout, rawErr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const out = terminalSafe(rawOut);
  const err = terminalSafe(rawErr);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        sources: { type: 'string', multiple: true },
        actors: { type: 'string' },
        cwd: { type: 'string' },
        out: { type: 'string', short: 'o' },
        'paragraph-citations': { type: 'boolean' },
        rule: { type: 'string', multiple: true },
        'no-settings': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        cache: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    err.write(`policy-cite: ${(e as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.version && !parsed.values.help) {
    out.write(`policy-cite ${version}\n`);
    return 0;
  }
  if (parsed.values.help || !command) {
    (parsed.values.help ? out : err).write(`${HELP}\n`);
    return parsed.values.help ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    err.write(`policy-cite: unknown command "${command}"\n\n${HELP}\n`);
    return 2;
  }
  const format = parsed.values.format ?? 'text';
  const rules = parseRuleSettings(parsed.values.rule ?? []);
  if ('error' in rules) {
    err.write(`policy-cite: ${rules.error}\n`);
    return 2;
  }
  const workers = parsed.values.workers;
  if (workers !== undefined && !/^[0-8]$/.test(workers)) {
    err.write(`policy-cite: --workers: ${JSON.stringify(workers)} is not a number of worker threads from 0 to 8\n`);
    return 2;
  }
  if (parsed.values['dry-run'] && command !== 'pin-keys') {
    err.write(`policy-cite: --dry-run applies to pin-keys only (${command} writes no source)\n`);
    return 2;
  }
  const cwd = path.resolve(parsed.values.cwd ?? process.cwd());
  try {
    return await runCommand(command as CommandName, {
      args: rest,
      format,
      cwd,
      sources: parsed.values.sources ?? [],
      actors: parsed.values.actors,
      out: parsed.values.out,
      paragraphCitations: parsed.values['paragraph-citations'] ?? false,
      rules: rules.rules,
      settings: !parsed.values['no-settings'],
      dryRun: parsed.values['dry-run'] ?? false,
      cache: parsed.values.cache === undefined ? undefined : path.resolve(cwd, parsed.values.cache),
      workers: workers === undefined ? undefined : Number(workers),
      stdout: out,
      stderr: err,
    });
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`policy-cite: ${e.message}\n`);
      return 2;
    }
    err.write(`policy-cite: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

/** Exit code of a run whose reader went away (`policy-cite claims | head`), as a tool killed by SIGPIPE. */
export const EXIT_BROKEN_PIPE = 128 + 13;

if (require.main === module) {
  // A reader that closes the pipe early is not an error to report: stop writing, quietly.
  // (Node ignores SIGPIPE, so the failed write arrives as an 'error' event, which unhandled
  // would end the run with a stack trace.)
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(EXIT_BROKEN_PIPE);
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`policy-cite: ${String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
