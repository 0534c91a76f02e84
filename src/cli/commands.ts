// The CLI's commands over the engine.
import * as path from 'node:path';
import type { RuleSettings } from '../core/check/rules';
import { compareClaimIds } from '../core/claimIndex';
import type { Claim, Source } from '../core/types';
import { findSettingsFile, readWorkspaceSettings } from './settings';
import { loadSources, resolveSourcePaths, UsageError, type LoadedSources } from './sources';

export const COMMANDS = ['claims', 'actors', 'check', 'bib', 'pin-keys'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CommandContext {
  args: string[];
  format: string;
  cwd: string;
  sources: string[];
  actors?: string;
  out?: string;
  paragraphCitations: boolean;
  /** Rule severities from `--rule CODE=SEVERITY` (over those of the workspace settings). */
  rules?: RuleSettings;
  /** Read `.vscode/settings.json` (check); false with `--no-settings`. */
  settings?: boolean;
  /** pin-keys: say what would be written, write nothing (`--dry-run`). */
  dryRun?: boolean;
  /** Absolute folder of the parsed-source cache (`--cache`). */
  cache?: string;
  /** Parse worker threads (`--workers`); undefined: the machine's default. */
  workers?: number;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

type Handler = (ctx: CommandContext) => Promise<number> | number;

const handlers: Partial<Record<CommandName, Handler>> = { claims: claimsCommand, actors: actorsCommand };

/** Lets later modules (check, bib, pin-keys) register without this file importing them all. */
export function registerCommand(name: CommandName, handler: Handler): void {
  handlers[name] = handler;
}

export async function runCommand(name: CommandName, ctx: CommandContext): Promise<number> {
  const handler = handlers[name];
  if (!handler) throw new UsageError(`command "${name}" is not available`);
  return handler(ctx);
}

export function requireFormat(ctx: CommandContext, allowed: string[]): void {
  if (!allowed.includes(ctx.format)) throw new UsageError(`--format must be one of ${allowed.join(', ')}`);
}

/**
 * Loads sources named on the command line and reports skipped files. With none named: the
 * workspace's `policyCite.sources` and `policyCite.exclude` (the nearest .vscode/settings.json
 * from `cwd`; the glob relative to the folder holding .vscode/), else the default glob under `cwd`.
 */
export async function loadFromArgs(ctx: CommandContext, patterns: string[], exclude?: string): Promise<LoadedSources> {
  if (patterns.length === 0 && ctx.settings !== false) {
    const settingsFile = findSettingsFile(ctx.cwd);
    if (settingsFile) {
      const { workspace, settings } = readWorkspaceSettings(settingsFile, ctx.cwd, ctx.stderr);
      if (settings.sources) return loadFromSetting({ ...ctx, cwd: workspace, settings: false }, settings.sources, settings.exclude, settingsFile);
      if (settings.exclude && workspace === ctx.cwd) exclude ??= settings.exclude;
    }
  }
  const files = resolveSourcePaths(patterns, ctx.cwd, exclude);
  if (files.length === 0) throw new UsageError(`no source files found (looked for ${patterns.join(', ') || 'sources/**/*.{md,markdown,txt}'} in ${ctx.cwd})`);
  const loaded = await loadSources(files, ctx.cwd, ctx.actors, ctx.cache, ctx.workers);
  for (const w of loaded.warnings) ctx.stderr.write(`policy-cite: warning: ${w}\n`);
  for (const n of loaded.notes) ctx.stderr.write(`policy-cite: warning: ${n.message}\n`);
  return loaded;
}

/** loadFromArgs over the `policyCite.sources` glob of `settingsFile`, whose errors name the setting. */
export async function loadFromSetting(ctx: CommandContext, sources: string, exclude: string | undefined, settingsFile: string): Promise<LoadedSources> {
  try {
    return await loadFromArgs(ctx, [sources], exclude);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${e.message} (policyCite.sources in ${path.relative(ctx.cwd, settingsFile) || settingsFile})`);
    throw e;
  }
}

export function claimJson(c: Claim): Record<string, unknown> {
  return {
    id: c.id,
    paragraph: c.paragraph,
    sentence: c.sentence,
    text: c.text,
    kind: c.kind,
    start: c.start,
    end: c.end,
    actors: c.actors,
    numbers: c.numbers.map((n) => ({ text: n.text, value: n.value, unit: n.unit ?? null, ...(n.approximate ? { approximate: true } : {}) })),
    years: c.years,
    quotes: c.quotes.map((q) => ({ text: q.text, speaker: q.speaker ?? null })),
  };
}

export function sourceJson(s: Source): Record<string, unknown> {
  return {
    key: s.key,
    path: s.path.split('\\').join('/'),
    title: s.meta.title ?? null,
    authors: s.meta.authors.map((a) => (a.given ? `${a.given} ${a.family}` : a.family)),
    date: s.meta.date ?? null,
    publisher: s.meta.publisher ?? null,
    url: s.meta.url ?? null,
    paragraphs: s.paragraphs.length,
    claims: s.claims.map(claimJson),
  };
}

async function claimsCommand(ctx: CommandContext): Promise<number> {
  requireFormat(ctx, ['text', 'json']);
  const loaded = await loadFromArgs(ctx, ctx.args);
  const { index } = loaded;
  // Every claim is printed: read them all first, so that a source whose parse in the --cache
  // folder turned out unreadable is parsed again before anything is written.
  for (const s of index.allSources()) void s.claims.length;
  for (const w of loaded.repair()) ctx.stderr.write(`policy-cite: warning: ${w}\n`);
  const sources = index.allSources();
  if (ctx.format === 'json') {
    ctx.stdout.write(`${JSON.stringify({ sources: sources.map(sourceJson) }, null, 2)}\n`);
    return 0;
  }
  for (const s of sources) {
    const by = s.meta.authors.map((a) => (a.given ? `${a.given} ${a.family}` : a.family)).join(', ');
    ctx.stdout.write(`${s.key}  ${s.meta.title ?? '(untitled)'}${by ? ` — ${by}` : ''}${s.meta.date ? `, ${s.meta.date}` : ''}${s.meta.publisher ? `, ${s.meta.publisher}` : ''}\n`);
    ctx.stdout.write(`  ${s.path}: ${s.paragraphs.length} paragraphs, ${s.claims.length} claims\n`);
    for (const c of s.claims) {
      ctx.stdout.write(`  ${c.id.padEnd(18)} ${c.kind.padEnd(10)} ${c.text}\n`);
      const details: string[] = [];
      if (c.actors.length) details.push(`actors: ${c.actors.join(', ')}`);
      if (c.numbers.length) details.push(`numbers: ${c.numbers.map((n) => `${n.text} = ${n.value}${n.unit ? ` ${n.unit}` : ''}`).join('; ')}`);
      if (c.years.length) details.push(`years: ${c.years.join(', ')}`);
      if (c.quotes.length) details.push(`quotes: ${c.quotes.map((q) => `“${q.text}”${q.speaker ? ` (${q.speaker})` : ''}`).join(' ')}`);
      if (details.length) ctx.stdout.write(`  ${' '.repeat(29)}${details.join(' | ')}\n`);
    }
  }
  return 0;
}

async function actorsCommand(ctx: CommandContext): Promise<number> {
  requireFormat(ctx, ['text', 'json']);
  const loaded = await loadFromArgs(ctx, ctx.args);
  const { index } = loaded;
  let actors = index.actors();
  // The actors' claims are read from the sources: one whose parse in the --cache folder turned
  // out unreadable gave none, so it is parsed again and the actors listed anew.
  const repaired = loaded.repair();
  for (const w of repaired) ctx.stderr.write(`policy-cite: warning: ${w}\n`);
  if (repaired.length > 0) actors = index.actors();
  if (ctx.format === 'json') {
    const json = actors.map((a) => ({
      name: a.name,
      type: a.type,
      aliases: [...new Set([...a.aliases, ...(a.metonyms ?? [])])],
      roles: a.roles,
      claims: [...a.claims].sort(compareClaimIds),
    }));
    ctx.stdout.write(`${JSON.stringify({ actors: json }, null, 2)}\n`);
    return 0;
  }
  for (const a of actors) {
    const aliases = [...new Set([...a.aliases, ...(a.metonyms ?? [])])];
    ctx.stdout.write(`${a.name} (${a.type})${a.roles.length ? ` — ${a.roles.join('; ')}` : ''}\n`);
    if (aliases.length) ctx.stdout.write(`  aliases: ${aliases.join(', ')}\n`);
    ctx.stdout.write(`  ${a.claims.length} claim${a.claims.length === 1 ? '' : 's'}: ${a.claims.join(', ')}\n`);
  }
  return 0;
}
