// Try policy-cite in a browser without installing VS Code: builds the VSIX, installs it into a
// fresh code-server (VS Code 1.139 in the browser, GUIDE §5) and serves the example workspace on
// 127.0.0.1. Ctrl+C stops code-server and removes every temp dir.
//
//   npm run try                         build the VSIX, serve a temp copy of examples/csto on :8080
//   npm run try -- --port 9000          another port
//   npm run try -- --no-build           use the policy-cite-<version>.vsix already built
//   npm run try -- --folder ~/memos     open your own folder in place (edits are saved there)
//
// By default examples/csto is copied to a temp folder, so the citations and references.json
// you create there never touch the repository. Needs the tools from `npm run setup:vscode`.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRepoRoot, installVsix, killProcessGroup, pollUntil, QUIET_USER_SETTINGS, resolveTools, xdgEnv } from '../test/support/codeServer';

interface Options {
  port: number;
  build: boolean;
  folder: string | undefined;
}

const USAGE = 'usage: npm run try -- [--port N] [--no-build] [--folder DIR]';

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { port: Number(process.env.PORT ?? 8080), build: true, folder: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--port' || flag === '-p') options.port = Number(value());
    else if (flag === '--no-build') options.build = false;
    else if (flag === '--folder') options.folder = path.resolve(value().replace(/^~(?=$|\/)/, os.homedir()));
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (!Number.isInteger(options.port) || options.port <= 0 || options.port > 65535) throw new Error(`bad port ${options.port}\n${USAGE}`);
  if (options.folder && !fs.statSync(options.folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${options.folder} is not a folder`);
  return options;
}

function log(message: string): void {
  console.log(`[try] ${message}`);
}

/** Fails early with a clear message when something already listens on the port. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `port ${port} is in use: pass --port N` : `cannot listen on 127.0.0.1:${port}: ${error.message}`)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

/** `npm run package`, with its output on the terminal. */
function buildVsix(repoRoot: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['run', '--silent', 'package'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`npm run package failed (${code ?? signal})`))));
  });
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const repoRoot = findRepoRoot(__dirname);
  const tools = resolveTools(repoRoot);
  const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const vsix = path.join(repoRoot, `policy-cite-${version}.vsix`);
  await assertPortFree(options.port);

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-try-'));
  let child: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child?.pid !== undefined) await killProcessGroup(child.pid);
      fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
    })());
  // Last resort (an uncaught error): only synchronous work is possible in 'exit'.
  process.on('exit', () => {
    if (child?.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(tempDir, { recursive: true, force: true });
  });
  let signalled: NodeJS.Signals | undefined;
  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) return; // Ctrl+C may reach us from the terminal and from npm
      signalled = signal;
      log(`${signal}: stopping code-server`);
      void stop().then(() => {
        log('stopped; temp dirs removed');
        resolve(signal === 'SIGINT' ? 0 : 128 + (os.constants.signals[signal] ?? 0));
      });
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
    // `kill <npm's pid>` ends npm and its `sh -c` without passing the signal on: when our parent
    // is gone, stop as if hung up instead of leaving code-server running.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) onSignal('SIGHUP');
    }, 1000).unref();
  });

  try {
    if (options.build) {
      log('building the VSIX (npm run package)…');
      await buildVsix(repoRoot);
    }
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run without --no-build`);
    if (signalled) return stopped;

    const workspace = options.folder ?? path.join(tempDir, 'csto');
    if (!options.folder) fs.cpSync(path.join(repoRoot, 'examples', 'csto'), workspace, { recursive: true });
    const extensionsDir = path.join(tempDir, 'extensions');
    const userDataDir = path.join(tempDir, 'user-data');
    await installVsix(vsix, { extensionsDir, tools });
    log(`installed ${path.basename(vsix)}`);

    const settings: Record<string, unknown> = { ...QUIET_USER_SETTINGS, 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'remote.autoForwardPorts': false };
    delete settings['editor.hover.delay']; // a person gets the default hover delay
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    const xdg = xdgEnv(tempDir);
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      // Variables of an enclosing VS Code would make code-server talk to it.
      if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
    }
    Object.assign(env, xdg, { PATH: `${path.dirname(tools.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}` });

    if (signalled) return stopped;
    let output = '';
    child = spawn(
      tools.nodeBin,
      [
        tools.codeServerEntry,
        '--bind-addr', `127.0.0.1:${options.port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--disable-proxy',
        '--extensions-dir', extensionsDir,
        '--user-data-dir', userDataDir,
        workspace,
      ],
      // Its own process group, killed as a whole on stop (extension host, pty host, watchers).
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    let exitCode: number | null | undefined;
    const exited = new Promise<number>((resolve) =>
      child?.on('exit', (code) => {
        exitCode = code;
        resolve(code ?? 1);
      }),
    );

    const baseUrl = `http://127.0.0.1:${options.port}`;
    await pollUntil(
      async () => {
        if (exitCode !== undefined || signalled) return true;
        return (await httpStatus(`${baseUrl}/healthz`)) === 200;
      },
      { timeoutMs: 90_000, intervalMs: 200, what: `code-server on ${baseUrl}` },
    );
    if (signalled) return stopped;
    if (exitCode !== undefined) throw new Error(`code-server exited with ${exitCode}:\n${output}`);

    const url = `${baseUrl}/?folder=${encodeURIComponent(workspace)}`;
    console.log('');
    log(`Policy Cite ${version} is running in code-server on ${options.folder ? workspace : `a copy of examples/csto (${workspace})`}`);
    log(`open  ${url}`);
    log('then open memo.md: hover an actor or a citation, see the Problems panel, try the light bulb and "Policy Cite: Insert Citation".');
    log('Ctrl+C stops it.');

    return await Promise.race([
      stopped,
      exited.then(async (code) => {
        if (signalled) return stopped;
        log(`code-server exited unexpectedly (${code}); its last output:\n${output.split('\n').slice(-30).join('\n')}`);
        await stop();
        return 1;
      }),
    ]);
  } catch (error) {
    if (signalled) return stopped;
    await stop();
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[try] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
