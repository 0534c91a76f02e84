// The checker's rules as data: stable codes, default severities and where they are documented.
import type { Severity } from '../types';

export type RuleCode =
  | 'unsourced-claim'
  | 'unknown-citation-key'
  | 'missing-bibliography-entry'
  | 'missing-bibliography-file'
  | 'unreadable-bibliography-file'
  | 'locator-out-of-range'
  | 'locator-mismatch'
  | 'number-mismatch'
  | 'relative-date'
  | 'quote-not-in-source'
  | 'quote-misattributed'
  | 'attribution-needed'
  | 'markdown-not-read';

export interface RuleInfo {
  code: RuleCode;
  severity: Severity;
  title: string;
}

export const RULES: readonly RuleInfo[] = [
  { code: 'unsourced-claim', severity: 'warning', title: 'Factual statement without a citation' },
  { code: 'unknown-citation-key', severity: 'error', title: 'Citation key that no indexed source has' },
  { code: 'missing-bibliography-entry', severity: 'warning', title: "Citation of a source that the memo's bibliography does not hold" },
  { code: 'missing-bibliography-file', severity: 'warning', title: 'Bibliography file that the front matter names and that does not exist' },
  { code: 'unreadable-bibliography-file', severity: 'warning', title: 'Bibliography file that the front matter names and that cannot be read' },
  { code: 'locator-out-of-range', severity: 'warning', title: 'Paragraph locator beyond the source' },
  { code: 'locator-mismatch', severity: 'information', title: 'Paragraph locator where another paragraph of the source says what the sentence does' },
  { code: 'number-mismatch', severity: 'warning', title: 'Number, amount or year that disagrees with the cited source' },
  { code: 'relative-date', severity: 'warning', title: "Date relative to the writer's present (\"two weeks ago\") in a sentence citing a dated source" },
  { code: 'quote-not-in-source', severity: 'warning', title: 'Quotation the cited source does not contain' },
  { code: 'quote-misattributed', severity: 'warning', title: 'Quotation given to someone other than the speaker the source names' },
  { code: 'attribution-needed', severity: 'information', title: "The source's opinion or prediction stated as fact" },
  { code: 'markdown-not-read', severity: 'information', title: 'Memo read line by line, not as Markdown' },
];

export const RULE_CODES: readonly RuleCode[] = RULES.map((r) => r.code);

/** README section of a rule; the VS Code diagnostics link their codes here. */
export const DOCS_BASE = 'https://github.com/policy-cite/policy-cite/blob/main/README.md';
export function ruleDocsUrl(code: string): string {
  return `${DOCS_BASE}#rule-${code}`;
}

export type RuleSettings = Partial<Record<RuleCode, Severity | 'off'>>;

export function severityOf(code: RuleCode, settings: RuleSettings | undefined): Severity | 'off' {
  return settings?.[code] ?? RULES.find((r) => r.code === code)?.severity ?? 'warning';
}

/** What a rule's severity may be set to. */
export const RULE_SEVERITIES: readonly (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];

/**
 * Rule settings from `code=severity` texts (the CLI's `--rule`), or the first text that is not
 * one, with why.
 */
export function parseRuleSettings(texts: readonly string[]): { rules: RuleSettings } | { error: string } {
  const rules: RuleSettings = {};
  for (const text of texts) {
    const [code, severity, ...rest] = text.split('=').map((part) => part.trim());
    if (rest.length > 0 || severity === undefined) return { error: `--rule ${text}: expected CODE=SEVERITY, e.g. unsourced-claim=error` };
    if (!(RULE_CODES as readonly string[]).includes(code)) return { error: `--rule ${text}: unknown rule "${code}" (rules: ${RULE_CODES.join(', ')})` };
    if (!(RULE_SEVERITIES as readonly string[]).includes(severity)) return { error: `--rule ${text}: severity must be one of ${RULE_SEVERITIES.join(', ')}` };
    rules[code as RuleCode] = severity as Severity | 'off';
  }
  return { rules };
}

/**
 * Rule settings from the `policyCite.rules` setting's value (an object of code → severity): the
 * entries it has right, and the ones it has wrong, described, for a warning.
 */
export function rulesFromSetting(value: unknown): { rules: RuleSettings; ignored: string[] } {
  const rules: RuleSettings = {};
  const ignored: string[] = [];
  if (value === undefined || value === null) return { rules, ignored };
  if (typeof value !== 'object' || Array.isArray(value)) return { rules, ignored: ['not an object of rule codes to severities'] };
  for (const [code, severity] of Object.entries(value as Record<string, unknown>)) {
    // (The name as the settings file has it, cut short: it is the workspace's text, shown in warnings.)
    if (!(RULE_CODES as readonly string[]).includes(code)) ignored.push(`unknown rule "${code.length > 60 ? `${code.slice(0, 60)}…` : code}"`);
    else if (typeof severity !== 'string' || !(RULE_SEVERITIES as readonly string[]).includes(severity)) ignored.push(`${code}: severity must be one of ${RULE_SEVERITIES.join(', ')}`);
    else rules[code as RuleCode] = severity as Severity | 'off';
  }
  return { rules, ignored };
}
