// Completion of citation keys after `@` and of `para. N` locators after `[@key, `.
import * as vscode from 'vscode';
import { sourceSize } from '../core/deferredSource';
import { describeEntry } from '../core/bibliographyKeys';
import { keyText, paragraphOf } from '../core/citations';
import { completionContextAt } from '../core/completionContext';
import { clipText, escapeIcons } from '../core/escape';
import { sourceByline } from '../core/hoverContent';
import { MEMO_SELECTOR } from './config';
import type { MemoAnalysis } from './memoAnalysis';
import type { WorkspaceIndex } from './workspaceIndex';

/**
 * A key's item, whose details are made when the suggest widget shows them (resolveCompletionItem):
 * a library of thousands of sources sends one label each per request, not thousands of documents.
 */
class KeyItem extends vscode.CompletionItem {
  constructor(
    label: vscode.CompletionItemLabel,
    /** The source's key, or the description of a work only the memo's bibliography has. */
    readonly of: { source: string } | { work: string },
  ) {
    super(label, vscode.CompletionItemKind.Reference);
  }
}

/**
 * A locator's item, whose paragraph text is given when the widget shows it: a long source has
 * thousands of paragraphs, each listed per request.
 */
class ParagraphItem extends vscode.CompletionItem {
  constructor(
    label: vscode.CompletionItemLabel,
    readonly of: { key: string; paragraph: number },
  ) {
    super(label, vscode.CompletionItemKind.Value);
  }
}

/** The first `count` words of `text`, read no further than they go. */
function openingWords(text: string, count: number): string {
  const words: string[] = [];
  const word = /\S+/g;
  for (let m = word.exec(text); m && words.length < count; m = word.exec(text)) words.push(m[0]);
  return words.join(' ');
}

export class CitationCompletionProvider implements vscode.CompletionItemProvider<vscode.CompletionItem> {
  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly analysis?: MemoAnalysis,
  ) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    if (this.workspace.isSource(doc.uri)) return undefined;
    const linePrefix = doc.lineAt(position.line).text.slice(0, position.character);
    const ctx = completionContextAt(linePrefix);
    if (!ctx) return undefined;
    const index = this.workspace.index;
    const range = new vscode.Range(position.line, ctx.start, position.line, position.character);
    if (ctx.kind === 'key') {
      const sources = index.allSources().map((source, i) => {
        // The suggest widget renders theme icons in a label (`$(name)`), and a key Pandoc reads in
        // braces may hold that text: it is escaped there (the description is plain text).
        const item = new KeyItem({ label: escapeIcons(source.key), description: source.meta.title }, { source: source.key });
        item.range = range;
        // (A key Pandoc reads only in braces goes in with them.)
        item.insertText = keyText(source.key);
        item.sortText = String(i).padStart(6, '0');
        item.filterText = `${source.key} ${source.meta.title ?? ''}`;
        return item;
      });
      // Then the works of the memo's bibliography that are no source (a book from a reference manager).
      const cited = (this.analysis?.bibliographyEntries(doc) ?? []).filter((entry) => !index.source(entry.key));
      const works = cited.map((entry, i) => {
        const work = describeEntry(entry);
        const item = new KeyItem({ label: escapeIcons(entry.key), description: work || "the memo's bibliography" }, { work });
        item.range = range;
        item.insertText = keyText(entry.key);
        item.sortText = `~${String(i).padStart(6, '0')}`;
        // (Found by its author and title too, as a source is by its title.)
        item.filterText = `${entry.key} ${work}`;
        return item;
      });
      return [...sources, ...works];
    }
    const source = index.source(ctx.key);
    if (!source) return undefined;
    return source.paragraphs.map((p) => {
      const opening = openingWords(p.text, 10);
      const item = new ParagraphItem({ label: `para. ${p.index}`, description: opening }, { key: source.key, paragraph: p.index });
      item.range = range;
      item.insertText = `para. ${p.index}`;
      item.filterText = `para. ${p.index} ${opening}`;
      item.sortText = String(p.index).padStart(6, '0');
      return item;
    });
  }

  resolveCompletionItem(item: vscode.CompletionItem): vscode.CompletionItem {
    if (item instanceof ParagraphItem) {
      // (The paragraph as indexed now.)
      const source = this.workspace.index.source(item.of.key);
      const p = source && paragraphOf(source, item.of.paragraph);
      if (p) item.documentation = new vscode.MarkdownString().appendText(clipText(p.text));
      return item;
    }
    if (!(item instanceof KeyItem)) return item;
    if ('work' in item.of) {
      item.detail = "In the memo's bibliography; no source in the workspace (its text is not checked)";
      if (item.of.work) item.documentation = new vscode.MarkdownString().appendText(item.of.work);
      return item;
    }
    // (The source as indexed now: it may have changed since the list was made, or left.)
    const source = this.workspace.index.source(item.of.source);
    if (!source) return item;
    const size = sourceSize(source);
    item.detail = sourceByline(source) || source.path;
    item.documentation = new vscode.MarkdownString().appendText(`${source.meta.title ?? source.key}\n${sourceByline(source)}\n${size.paragraphs} paragraphs, ${size.claims} claims`);
    return item;
  }
}

export function registerCompletion(workspace: WorkspaceIndex, analysis?: MemoAnalysis): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(MEMO_SELECTOR, new CitationCompletionProvider(workspace, analysis), '@', ',', ' ');
}
