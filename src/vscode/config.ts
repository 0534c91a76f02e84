// Typed access to the `policyCite.*` settings.
import * as vscode from 'vscode';
import { rulesFromSetting, type RuleSettings } from '../core/check/rules';

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
}

export function readConfig(scope?: vscode.ConfigurationScope): PolicyCiteConfig {
  const c = vscode.workspace.getConfiguration('policyCite', scope);
  const { rules } = rulesFromSetting(c.get<unknown>('rules'));
  return {
    sources: c.get<string>('sources') || 'sources/**/*.{md,markdown,txt}',
    exclude: c.get<string>('exclude') || '**/node_modules/**',
    bibliography: c.get<string>('bibliography') || 'references.json',
    paragraphCitations: c.get<boolean>('paragraphCitations') ?? false,
    paragraphNumbers: c.get<boolean>('paragraphNumbers') ?? true,
    rules,
    debounceMs: Math.max(0, c.get<number>('diagnostics.debounceMs') ?? 300),
    parseWorkers: workerCount(c.get<unknown>('parseWorkers')),
  };
}

function workerCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, 8) : undefined;
}

/** A memo is a Markdown/Quarto document that is not itself one of the indexed sources. */
export function isMemoDocument(doc: vscode.TextDocument): boolean {
  return MEMO_LANGUAGES.includes(doc.languageId) || /\.(md|markdown|qmd)$/i.test(doc.uri.path);
}
