// A stand-in for the VS Code executable that `@vscode/test-electron`'s runTests() spawns:
//   code-server-launcher --extensionTestsPath=T --extensionDevelopmentPath=E [--other-flags] [FOLDER | --folder-uri URI]
// It runs the extension tests in code-server (VS Code in a browser) driven by headless Chromium,
// prints mocha's output and exits with the code VS Code reports. GUIDE §5 explains the recipe.
// Built to out/scripts/code-server-launcher.js (executable) by test/runIntegration.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConsoleMessage } from 'playwright-core';
import {
  consoleMessageValues,
  findRepoRoot,
  formatConsoleValues,
  installVsix,
  launchChromium,
  resolveTools,
  startCodeServer,
  withTimeout,
  type BrowserSession,
  type CodeServer,
  WORKSPACE_TRUST_UNTRUSTED_SETTINGS,
} from '../test/support/codeServer';

interface LaunchRequest {
  extensionTestsPath: string;
  extensionDevelopmentPaths: string[];
  folder: string | undefined;
  /** `--folder-uri`: a folder on another scheme (a virtual workspace), opened as given. */
  folderUri: string | undefined;
}

// Flags of VS Code's command line whose value is the next argument when not given with `=`.
const FLAGS_WITH_VALUES = new Set(['--user-data-dir', '--extensions-dir', '--locale', '--log', '--profile', '--sync', '--inspect-extensions', '--inspect-brk-extensions']);

function parseCommandLine(argv: readonly string[]): LaunchRequest {
  let extensionTestsPath: string | undefined;
  let folderUri: string | undefined;
  const extensionDevelopmentPaths: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--extensionTestsPath') extensionTestsPath = path.resolve(value());
    else if (flag === '--extensionDevelopmentPath') extensionDevelopmentPaths.push(path.resolve(value()));
    else if (flag === '--folder-uri') folderUri = value();
    else if (FLAGS_WITH_VALUES.has(flag)) {
      if (inlineValue === undefined) i++; // ignored: code-server gets fresh dirs of its own
    } else if (flag.startsWith('-')) {
      // --no-sandbox, --disable-extensions, --skip-welcome, …: meaningless for code-server.
    } else positional.push(path.resolve(arg));
  }
  if (!extensionTestsPath) throw new Error('--extensionTestsPath=… is required');
  if (extensionDevelopmentPaths.length === 0) throw new Error('--extensionDevelopmentPath=… is required');
  const folder = positional.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isDirectory());
  return { extensionTestsPath, extensionDevelopmentPaths, folder, folderUri };
}

function log(message: string): void {
  process.stderr.write(`[code-server-launcher] ${message}\n`);
}

// Marks the extension host's console lines (test/integration/index.ts adds it) so that they can
// be told from the workbench's own log, which reaches the page console the same way.
const CONSOLE_MARKER = '[policy-cite:ext-host] ';

interface ConsoleForwarder {
  onMessage(message: ConsoleMessage): void;
  /** Resolves when every message received so far has been handled, in order. */
  drain(): Promise<void>;
  /** The workbench's console lines (not the extension host's), as `LABEL text`. */
  readonly workbenchLines: string[];
  /** Whether the test reporter has printed anything yet. */
  testsStarted(): boolean;
}

/**
 * Prints the extension host's console lines on stdout, in order. VS Code relays them as
 * console.log('%c INFO', 'color: …', fmt, ...args), as it does its own log. The reporter's lines
 * carry the marker; once they start, other lines (the tests' own console output, errors) are
 * printed too, tagged with their level. The workbench's start-up chatter (failed marketplace
 * look-ups, auth time-outs) is kept for failure reports, or printed when verbose.
 */
function consoleForwarder(verbose: boolean): ConsoleForwarder {
  let queue: Promise<void> = Promise.resolve();
  let testsStarted = false;
  let testsEnded = false;
  const workbenchLines: string[] = [];
  return {
    workbenchLines,
    testsStarted: () => testsStarted,
    onMessage(message) {
      const values = consoleMessageValues(message);
      queue = queue.then(async () => {
        const { label, text } = formatConsoleValues(await values);
        if (text.startsWith(CONSOLE_MARKER)) {
          const line = text.slice(CONSOLE_MARKER.length);
          testsStarted = true;
          // After the closing summary only VS Code's echo of the failure count follows.
          if (/^integration: \d+ passed, \d+ failed/.test(line)) testsEnded = true;
          process.stdout.write(`${line}\n`);
          return;
        }
        const level = label ?? message.type();
        workbenchLines.push(`${level} ${text}`);
        if (testsStarted && !testsEnded) process.stdout.write(`[vscode ${level}] ${text}\n`);
        else if (verbose) log(`page: ${level} ${text}`);
      });
    },
    drain: () => queue,
  };
}

// Expected without internet (GUIDE §5): the marketplace look-up and the GitHub sign-in.
const HARMLESS_WORKBENCH_ERRORS = /ENOTFOUND open-vsx\.org|authentication provider 'github'/;

/** Keeps what explains a failure in test-results/integration/. */
async function saveFailureReport(browser: BrowserSession | undefined, server: CodeServer | undefined, forwarder: ConsoleForwarder): Promise<void> {
  const workbenchLines = forwarder.workbenchLines;
  const dir = path.join(findRepoRoot(), 'test-results', 'integration');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'page-console.log'), `${workbenchLines.join('\n')}\n`);
  if (server) fs.writeFileSync(path.join(dir, 'code-server.log'), server.output());
  if (browser) {
    await withTimeout(browser.page.screenshot({ path: path.join(dir, 'workbench.png') }), 10_000, 'screenshot').catch(() => undefined);
  }
  // Mocha's report tells why tests failed; when they never started, the workbench's errors may.
  if (!forwarder.testsStarted()) {
    const errors = workbenchLines
      .filter((line) => /^(ERR|error) \S/.test(line) && !HARMLESS_WORKBENCH_ERRORS.test(line))
      .map((line) => line.split('\n')[0]);
    if (errors.length > 0) log(`the tests never started; workbench errors:\n${errors.slice(-20).join('\n')}`);
  }
  log(`failure report in ${path.relative(process.cwd(), dir) || dir}`);
}

async function main(): Promise<number> {
  const request = parseCommandLine(process.argv.slice(2));
  const verbose = process.env.POLICY_CITE_LAUNCHER_VERBOSE === '1';
  const runTimeoutMs = Number(process.env.POLICY_CITE_RUN_TIMEOUT_MS ?? 10 * 60_000);
  const tools = resolveTools();
  // POLICY_CITE_WORKSPACE_TRUST=untrusted: the folder opens in Restricted Mode (test:untrusted).
  const trustMode = process.env.POLICY_CITE_WORKSPACE_TRUST;
  if (trustMode !== undefined && trustMode !== '' && trustMode !== 'untrusted') {
    throw new Error(`POLICY_CITE_WORKSPACE_TRUST=${trustMode}: only "untrusted" is known`);
  }
  const untrusted = trustMode === 'untrusted';
  if (untrusted) log('workspace trust enabled: the folder opens untrusted (Restricted Mode)');
  // POLICY_CITE_INSTALL_VSIX=path: that VSIX is installed first, so the tests meet the packaged
  // extension as users get it (VS Code never disables one under development, whatever it declares).
  const vsix = process.env.POLICY_CITE_INSTALL_VSIX || undefined;
  let extensionsDir: string | undefined;

  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  let finished = false;
  let interrupted = false;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      finished = true;
      await browser?.close();
      await server?.stop();
      if (extensionsDir && process.env.POLICY_CITE_KEEP_TMP !== '1') fs.rmSync(extensionsDir, { recursive: true, force: true, maxRetries: 3 });
    })());
  // Ctrl+C reaches us twice (from the terminal and from runTests): stay on until cleaned up.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    log(`${signal}: stopping`);
    interrupted = true;
    void cleanup().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const started = Date.now();
  const forwarder = consoleForwarder(verbose);
  try {
    if (vsix) {
      extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-extensions-'));
      await installVsix(vsix, { extensionsDir, tools });
      log(`installed ${path.basename(vsix)}`);
    }
    server = await startCodeServer({
      tools,
      workspace: request.folder,
      extensionsDir,
      smokeTestDriver: true,
      ...(untrusted ? { workspaceTrust: true, userSettings: { ...WORKSPACE_TRUST_UNTRUSTED_SETTINGS } } : {}),
      // code-server's environment is the extension host's: the caller's test variables pass on.
      env: { POLICY_CITE_CONSOLE_MARKER: CONSOLE_MARKER },
      onOutput: verbose ? (line) => log(`code-server: ${line}`) : undefined,
    });
    log(`code-server ${server.baseUrl} up in ${Date.now() - started} ms`);
    const runningServer = server;

    browser = await launchChromium({ tools, handleSignals: false });
    const { page } = browser;
    page.on('console', (message) => forwarder.onMessage(message));

    let reportExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (reportExit = resolve));
    // VS Code calls this when the extension tests end (smoke-test driver mode).
    await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(typeof code === 'number' ? code : 1));
    const crashed = new Promise<number>((resolve) => {
      page.once('crash', () => {
        log('the page crashed');
        resolve(1);
      });
      void runningServer.exited.then((code) => {
        if (finished) return;
        log(`code-server exited early with ${code}`);
        resolve(1);
      });
    });

    const payload: Array<[string, string]> = [
      ...request.extensionDevelopmentPaths.map((dir): [string, string] => ['extensionDevelopmentPath', runningServer.remoteUri(dir)]),
      ['extensionTestsPath', runningServer.remoteUri(request.extensionTestsPath)],
    ];
    // The workbench reads `?folder=` as a URI unless it is a path.
    await page.goto(server.workbenchUrl(request.folderUri ?? request.folder, payload), { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const code = await withTimeout(Promise.race([exitCode, crashed]), runTimeoutMs, 'the extension tests to finish (codeAutomationExit)');
    await withTimeout(forwarder.drain(), 10_000, 'console output').catch(() => undefined);
    log(`tests finished with exit code ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (code !== 0) await saveFailureReport(browser, server, forwarder);
    return code;
  } catch (error) {
    if (interrupted) return 130;
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    await withTimeout(forwarder.drain(), 5_000, 'console output').catch(() => undefined);
    await saveFailureReport(browser, server, forwarder).catch(() => undefined);
    if (server) log(`last code-server output:\n${server.output().split('\n').slice(-30).join('\n')}`);
    return 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
