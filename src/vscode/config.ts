// Typed access to the `policyCite.*` settings.
import * as vscode from 'vscode';
import { rulesFromSetting, type RuleSettings } from '../core/check/rules';
import { readGlobSetting } from '../core/glob';

export const MEMO_LANGUAGES = ['markdown', 'quarto'];
/**
 * Memos on any scheme: a virtual workspace's files have the scheme of its file system (`vscode-vfs`,
 * `memfs`, …), which cannot be listed in advance. Diagnostics cover the same documents.
 */
export const MEMO_SELECTOR: vscode.DocumentSelector = MEMO_LANGUAGES.map((language) => ({ language }));

export interface PolicyCiteConfig {
  sources: string;
  exclude: string;
  bibliography: string;
  paragraphCitations: boolean;
  /** Inlay hints of paragraph numbers in source files. */
  paragraphNumbers: boolean;
  rules: RuleSettings;
  debounceMs: number;
  /** Worker threads for parsing many sources at once; undefined: parseInWorkers decides. */
  parseWorkers: number | undefined;
  /** Settings whose value cannot be used (a wrong type, a glob outside the workspace folder), one line each: their defaults are used. */
  problems: string[];
}

export function readConfig(scope?: vscode.ConfigurationScope): PolicyCiteConfig {
  const c = vscode.workspace.getConfiguration('policyCite', scope);
  const { rules } = rulesFromSetting(c.get<unknown>('rules'));
  // A value of the wrong type still reaches the extension (the settings editor only flags it):
  // the default is used instead, and the indexer logs why (problems), as for a glob that reaches
  // outside the workspace folder (see readGlobSetting).
  const problems: string[] = [];
  const glob = (name: 'sources' | 'exclude', fallback: string): string => {
    const { glob, problem } = readGlobSetting(c.get<unknown>(name));
    if (problem) problems.push(`policyCite.${name}: ${problem}; ${fallback} is used`);
    return glob ?? fallback;
  };
  const bibliography = c.get<unknown>('bibliography');
  if (bibliography !== undefined && bibliography !== null && typeof bibliography !== 'string') problems.push('policyCite.bibliography: not a file name; references.json is used');
  const debounceMs = c.get<unknown>('diagnostics.debounceMs');
  return {
    sources: glob('sources', DEFAULT_SOURCES),
    exclude: glob('exclude', DEFAULT_EXCLUDE),
    bibliography: typeof bibliography === 'string' && bibliography.trim() !== '' ? bibliography : 'references.json',
    paragraphCitations: c.get<unknown>('paragraphCitations') === true,
    paragraphNumbers: c.get<unknown>('paragraphNumbers') !== false,
    rules,
    debounceMs: typeof debounceMs === 'number' && Number.isFinite(debounceMs) ? Math.max(0, debounceMs) : 300,
    parseWorkers: workerCount(c.get<unknown>('parseWorkers')),
    problems,
  };
}

const DEFAULT_SOURCES = 'sources/**/*.{md,markdown,txt}';
const DEFAULT_EXCLUDE = '**/node_modules/**';

function workerCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, 8) : undefined;
}

/** A memo is a Markdown/Quarto document that is not itself one of the indexed sources. */
export function isMemoDocument(doc: vscode.TextDocument): boolean {
  return MEMO_LANGUAGES.includes(doc.languageId) || /\.(md|markdown|qmd)$/i.test(doc.uri.path);
}
