// Builds the production bundles in a scratch folder and probes them: the files dist/ ships, and
// what loading dist/extension.js and calling activate() cost and read, in a fresh Node process
// with a stub `vscode` module. Used by the benchmark (bundle.size, activate) and by
// test/unit/bundle.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

export interface ProductionBuild {
  /** The scratch folder: `dist/` in it holds the build (the project's dist/ is not touched). */
  dir: string;
  error?: string;
  /** Removes the scratch folder. */
  dispose(): void;
}

/** Runs scripts/build.mjs --production in a scratch folder that links the project's sources. */
export function buildProductionBundle(): ProductionBuild {
  const dir = mkdtempSync(join(tmpdir(), 'policy-cite-bundle-'));
  const dispose = (): void => rmSync(dir, { recursive: true, force: true });
  for (const name of ['src', 'node_modules', 'package.json', 'tsconfig.json']) {
    if (existsSync(join(ROOT, name))) symlinkSync(join(ROOT, name), join(dir, name));
  }
  mkdirSync(join(dir, 'dist'));
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    const error = `build failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(0, 3).join(' ').slice(0, 300)}`;
    return { dir, error, dispose };
  }
  if (!existsSync(join(dir, 'dist', 'extension.js'))) return { dir, error: 'the build wrote no dist/extension.js', dispose };
  return { dir, dispose };
}

/** The files under `dist` (paths relative to it, with `/`) and their sizes in bytes. */
export function distFiles(dist: string, under = ''): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync(join(dist, under), { withFileTypes: true })) {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) distFiles(dist, path).forEach((size, p) => out.set(p, size));
    else out.set(path, statSync(join(dist, path)).size);
  }
  return out;
}

/** What loading the extension bundle and calling its activate() cost and read. */
export interface ActivationProbe {
  /** Module evaluation of the bundle, in ms. */
  loadMs: number;
  /** The activate() call, in ms. */
  activateMs: number;
  /** What activate() measured itself (`PolicyCiteApi.activationMs`). */
  reportedMs?: number;
  /** Modules other than the bundle that loading and activate() required, as absolute paths. */
  required: string[];
}

// Every property of the stub is the stub, and assignments to it are accepted; esbuild's __toESM
// copies own properties and keeps the prototype, so the prototype is a stub too. Only
// `context.subscriptions` is real. Nothing the stub returns ever calls back (no events fire, and
// withProgress does not run its task), so indexing never starts: the probe times what activate()
// does before it returns.
const PROBE_SCRIPT = `
const Module = require('module');
const { performance } = require('perf_hooks');
const get = (t, p) => (p === Symbol.toPrimitive ? () => '' : p === 'then' || p === '__esModule' ? undefined : stub);
const proto = new Proxy({}, { get });
const stub = new Proxy(function () {}, { get, set: () => true, apply: () => stub, construct: () => stub, getPrototypeOf: () => proto });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
const context = new Proxy({ subscriptions: [] }, { get: (t, p) => (p in t ? t[p] : stub) });
const before = new Set(Object.keys(require.cache));
let ext, api, t0, t1, t2;
try {
  t0 = performance.now();
  ext = require(process.argv[1]);
  t1 = performance.now();
  if (typeof ext.activate !== 'function') throw new Error('the bundle exports no activate()');
  api = ext.activate(context);
  t2 = performance.now();
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e && e.message).slice(0, 300) }));
  process.exit(0);
}
const required = Object.keys(require.cache).filter((k) => !before.has(k) && k !== process.argv[1]);
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, reportedMs: api && api.activationMs, required }));
process.exit(0);
`;

/** Loads `bundle` (an absolute path) in a fresh Node process and calls activate() with stubs. */
export function probeActivation(bundle: string): ActivationProbe | { error: string } {
  const r = spawnSync(process.execPath, ['-e', PROBE_SCRIPT, bundle], { encoding: 'utf8', timeout: 60_000 });
  try {
    return JSON.parse(r.stdout) as ActivationProbe | { error: string };
  } catch {
    return { error: `the probe failed: ${(r.stderr || String(r.error)).trim().slice(0, 300)}` };
  }
}
