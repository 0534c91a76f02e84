// The checker's findings as lines of text, as a compiler prints them (`memo.md:12:1 warning
// unsourced-claim …`): what `policy-cite check` prints and the "check memos" task writes to its
// terminal, and what the `$policy-cite` problem matcher of package.json reads.
import { keyText } from '../citations';
import { clipText, oneLine } from '../escape';
import { LineIndex } from '../positions';
import type { Finding } from '../types';

/** One memo's findings, with its text (for line and column) and its sourced and factual sentences. */
export interface ReportedMemo {
  /** The memo's path as the report shows it. */
  file: string;
  text: string;
  findings: readonly Finding[];
  factual: number;
  sourced: number;
}

/** Lines of a report, memo by memo, then a summary that counts them all. */
export class TextReport {
  private total = 0;
  private readonly counts: Record<string, number> = {};
  private memos = 0;
  private unchecked = 0;

  /**
   * A memo's lines: each finding (then its suggestions, indented) and the count of its sourced
   * facts. A message or suggestion stays on its line whatever its text holds: the problem matcher
   * reads lines. (A suggestion's claim is shown as hovers show it, cut at SHOWN_TEXT_CHARS; the
   * JSON report has it whole.)
   */
  memo(r: ReportedMemo): string[] {
    const out: string[] = [];
    const lines = new LineIndex(r.text);
    const file = oneLine(r.file);
    for (const f of r.findings) {
      const p = lines.positionAt(f.start);
      out.push(`${file}:${p.line + 1}:${p.character + 1} ${f.severity} ${f.code} ${oneLine(f.message)}`);
      for (const s of f.suggestions) out.push(`    suggestion: [@${keyText(s.key)}, ${s.locator}] (score ${s.score.toFixed(2)}) ${oneLine(clipText(s.text))}`);
      this.counts[f.severity] = (this.counts[f.severity] ?? 0) + 1;
      this.total++;
    }
    out.push(`${file}: ${r.sourced}/${r.factual} facts sourced`);
    this.memos++;
    return out;
  }

  /** Counts a memo that could not be checked (its reason is reported elsewhere). */
  notChecked(): void {
    this.unchecked++;
  }

  /** Memos counted as not checked. */
  get uncheckedCount(): number {
    return this.unchecked;
  }

  /** `6 findings (1 error, 5 warnings, 0 information) in 2 files; 1 file not checked`. */
  summary(): string {
    const { total, counts, memos, unchecked } = this;
    const bySeverity = ['error', 'warning', 'information'].map((s) => `${counts[s] ?? 0} ${s}${s === 'information' || counts[s] === 1 ? '' : 's'}`).join(', ');
    const notChecked = unchecked ? `; ${unchecked} file${unchecked === 1 ? '' : 's'} not checked` : '';
    return `${total} finding${total === 1 ? '' : 's'} (${bySeverity}) in ${memos} file${memos === 1 ? '' : 's'}${notChecked}`;
  }
}
