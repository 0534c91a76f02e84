// The Sources view in the Explorer: sources → paragraphs → claims. Nodes hold keys and ids, not
// the parsed objects, so a node stays valid (or resolves to nothing) after the index is rebuilt.
// Every piece of source text reaches a tooltip through appendText: it is shown, never interpreted.
import * as vscode from 'vscode';
import type { ClaimIndex } from '../core/claimIndex';
import { paragraphOf } from '../core/citations';
import { clipText } from '../core/escape';
import { FRONT_MATTER_NOT_READ } from '../core/source';
import type { Author, Claim, ClaimKind, Paragraph, Source } from '../core/types';
import type { WorkspaceIndex } from './workspaceIndex';

export const SOURCES_VIEW_ID = 'policyCite.sources';

export interface SourceNode {
  readonly kind: 'source';
  readonly key: string;
}

export interface ParagraphNode {
  readonly kind: 'paragraph';
  readonly key: string;
  readonly paragraph: number;
}

/** `claimId` is what `policyCite.insertClaimCitation` reads when run from the context menu. */
export interface ClaimNode {
  readonly kind: 'claim';
  readonly claimId: string;
}

export type SourcesNode = SourceNode | ParagraphNode | ClaimNode;

/** The indexed source of a source node, as a command run from the view's context menu is given it; undefined for anything else. */
export function sourceOfNode(workspace: WorkspaceIndex, node: unknown): Source | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const { kind, key } = node as { kind?: unknown; key?: unknown };
  return kind === 'source' && typeof key === 'string' ? workspace.index.source(key) : undefined;
}

const CLAIM_LABEL_LENGTH = 80;
const PARAGRAPH_WORDS = 8;

const KIND_ICONS: Record<ClaimKind, string> = {
  fact: 'info',
  quote: 'quote',
  opinion: 'comment',
  prediction: 'telescope',
};

export class SourcesTreeProvider implements vscode.TreeDataProvider<SourcesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SourcesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly workspace: WorkspaceIndex) {
    this.subscription = workspace.onDidChange(() => this.changed.fire(undefined));
  }

  private get index(): ClaimIndex {
    return this.workspace.index;
  }

  getChildren(node?: SourcesNode): SourcesNode[] {
    if (!node) return this.index.allSources().map((s): SourceNode => ({ kind: 'source', key: s.key }));
    if (node.kind === 'source') {
      const source = this.index.source(node.key);
      return (source?.paragraphs ?? []).map((p): ParagraphNode => ({ kind: 'paragraph', key: node.key, paragraph: p.index }));
    }
    if (node.kind === 'paragraph') {
      return this.index.claimsOf(node.key, node.paragraph).map((c): ClaimNode => ({ kind: 'claim', claimId: c.id }));
    }
    return [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  getParent(node: SourcesNode): SourcesNode | undefined {
    if (node.kind === 'paragraph') return { kind: 'source', key: node.key };
    if (node.kind === 'claim') {
      const claim = this.index.claim(node.claimId);
      return claim ? { kind: 'paragraph', key: claim.sourceKey, paragraph: claim.paragraph } : undefined;
    }
    return undefined;
  }

  getTreeItem(node: SourcesNode): vscode.TreeItem {
    switch (node.kind) {
      case 'source': {
        const source = this.index.source(node.key);
        return source ? this.sourceItem(source) : gone(`source:${node.key}`);
      }
      case 'paragraph': {
        const source = this.index.source(node.key);
        const paragraph = source && paragraphOf(source, node.paragraph);
        return source && paragraph ? this.paragraphItem(source, paragraph) : gone(`paragraph:${node.key}:${node.paragraph}`);
      }
      case 'claim': {
        const claim = this.index.claim(node.claimId);
        return claim ? claimItem(claim) : gone(`claim:${node.claimId}`);
      }
    }
  }

  private sourceItem(source: Source): vscode.TreeItem {
    const item = new vscode.TreeItem(
      source.meta.title?.trim() || source.key,
      source.paragraphs.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `source:${source.key}`;
    item.description = `@${source.key} · ${plural(source.paragraphs.length, 'paragraph')}`;
    const collision = this.workspace.keyCollisionOf(source);
    item.tooltip = sourceTooltip(source, collision);
    item.contextValue = 'policyCite.source';
    // A source whose front matter gave no field (its title, author, date and key not read), or
    // whose key another source took too, is marked, with the reason in the tooltip.
    item.iconPath = source.meta.frontMatterError || collision ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('book');
    item.resourceUri = this.workspace.uriOf(source);
    return item;
  }

  private paragraphItem(source: Source, paragraph: Paragraph): vscode.TreeItem {
    const claims = this.index.claimsOf(source.key, paragraph.index).length;
    const item = new vscode.TreeItem(
      `para. ${paragraph.index}`,
      claims ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `paragraph:${source.key}:${paragraph.index}`;
    item.description = firstWords(paragraph.text, PARAGRAPH_WORDS);
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**');
    tooltip.appendText(`@${source.key}, para. ${paragraph.index}`);
    tooltip.appendMarkdown('** · ');
    tooltip.appendText(plural(claims, 'claim'));
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(paragraph.text);
    item.tooltip = untrusted(tooltip);
    item.contextValue = 'policyCite.paragraph';
    item.iconPath = new vscode.ThemeIcon('note');
    return item;
  }
}

function claimItem(claim: Claim): vscode.TreeItem {
  const item = new vscode.TreeItem(shorten(claim.text, CLAIM_LABEL_LENGTH), vscode.TreeItemCollapsibleState.None);
  item.id = `claim:${claim.id}`;
  item.description = [claim.kind, ...claim.actors].join(' · ');
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(clipText(claim.text));
  tooltip.appendMarkdown('\n\n---\n\n');
  tooltip.appendText(`@${claim.sourceKey}, para. ${claim.paragraph} · ${claim.kind}`);
  if (claim.actors.length) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(`Actors: ${claim.actors.join(', ')}`);
  }
  item.tooltip = untrusted(tooltip);
  item.contextValue = 'policyCite.claim';
  item.iconPath = new vscode.ThemeIcon(KIND_ICONS[claim.kind]);
  item.command = { command: 'policyCite.openClaim', title: 'Open Claim in Source', arguments: [claim.id] };
  item.accessibilityInformation = { label: `${claim.kind}: ${clipText(claim.text)}` };
  return item;
}

/** A node whose source was removed between the refresh and the render. */
function gone(id: string): vscode.TreeItem {
  const item = new vscode.TreeItem('(no longer indexed)', vscode.TreeItemCollapsibleState.None);
  item.id = `gone:${id}`;
  return item;
}

function sourceTooltip(source: Source, collision: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**');
  md.appendText(source.meta.title?.trim() || source.key);
  md.appendMarkdown('**\n\n');
  const rows: [string, string | undefined][] = [
    ['Author', formatAuthors(source.meta.authors)],
    ['Date', source.meta.date],
    ['Publisher', source.meta.publisher],
    ['URL', source.meta.url],
    ['Key', `@${source.key}`],
    ['File', source.path],
    ['Content', `${plural(source.paragraphs.length, 'paragraph')}, ${plural(source.claims.length, 'claim')}`],
  ];
  for (const [label, value] of rows) {
    if (!value) continue;
    md.appendMarkdown(`${label}: `);
    md.appendText(value);
    md.appendMarkdown('  \n');
  }
  if (source.meta.frontMatterError) {
    md.appendMarkdown('\n**Warning:** ');
    md.appendText(`${source.meta.frontMatterError}; ${FRONT_MATTER_NOT_READ}.`);
  }
  if (collision) {
    md.appendMarkdown('\n\n**Warning:** ');
    md.appendText(collision);
  }
  return untrusted(md);
}

function untrusted(md: vscode.MarkdownString): vscode.MarkdownString {
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}

export function formatAuthors(authors: Author[]): string | undefined {
  if (!authors.length) return undefined;
  return authors.map((a) => (a.given ? `${a.given} ${a.family}` : a.family)).join('; ');
}

/** Cuts at a word boundary and adds an ellipsis; whitespace runs become one space. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

export function firstWords(text: string, count: number): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length <= count ? words.join(' ') : `${words.slice(0, count).join(' ')}…`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Registers the view; its provider is returned too (the extension-host tests read its items). */
export function registerSourcesView(workspace: WorkspaceIndex): { provider: SourcesTreeProvider; disposable: vscode.Disposable } {
  const treeDataProvider = new SourcesTreeProvider(workspace);
  const view = vscode.window.createTreeView(SOURCES_VIEW_ID, { treeDataProvider, showCollapseAll: true });
  const describe = (): void => {
    const index = workspace.index;
    view.description = index.sourceCount ? `${plural(index.sourceCount, 'source')}, ${plural(index.claimCount, 'claim')}` : undefined;
  };
  describe();
  const listener = workspace.onDidChange(describe);
  return { provider: treeDataProvider, disposable: vscode.Disposable.from(listener, view, treeDataProvider) };
}
