// The mocha runner VS Code loads inside the extension host (extensionTestsPath). It runs every
// compiled *.test.js beside it; both the BDD (describe/it) and TDD (suite/test) globals exist.
// Environment: POLICY_CITE_TEST_GREP (only tests whose title matches), POLICY_CITE_TEST_TIMEOUT_MS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

function testFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(root, file));
}

/**
 * In code-server the extension host's console reaches the browser mixed with the workbench's own
 * log, and VS Code locks the console methods; the launcher sets POLICY_CITE_CONSOLE_MARKER so that
 * the reporter's lines can be marked and told apart. Elsewhere (desktop VS Code) lines go as is.
 */
function reporterLog(marker: string | undefined): (...args: unknown[]) => void {
  const log = console.log;
  return marker ? (...args: unknown[]) => log(marker + format(...args)) : log;
}

export async function run(): Promise<void> {
  const grep = process.env.POLICY_CITE_TEST_GREP;
  const mocha = new Mocha({
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.POLICY_CITE_TEST_TIMEOUT_MS ?? 30_000),
    ...(grep ? { grep } : {}),
  });
  mocha.ui('bdd');
  mocha.ui('tdd');

  const files = testFiles(__dirname);
  if (files.length === 0) throw new Error(`no *.test.js files under ${__dirname}`);
  for (const file of files) mocha.addFile(file);

  const report = reporterLog(process.env.POLICY_CITE_CONSOLE_MARKER);
  const reporterBase = Mocha.reporters.Base;
  const originalReporterLog = reporterBase.consoleLog;
  reporterBase.consoleLog = report; // what mocha's reporters print with
  try {
    const stats = await new Promise<Mocha.Stats>((resolve, reject) => {
      try {
        const runner = mocha.run(() => resolve(runner.stats ?? { suites: 0, tests: 0, passes: 0, pending: 0, failures: 1 }));
      } catch (error) {
        reject(error);
      }
    });
    // The plain closing line CI reads (mocha's own summary comes just before it).
    report(`integration: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
    if (stats.failures > 0) throw new Error(`${stats.failures} integration test(s) failed`);
    if (stats.passes === 0) throw new Error('no integration test ran');
  } finally {
    reporterBase.consoleLog = originalReporterLog;
  }
}
