// Hover on an actor (what the sources claim about it) or on a citation (the cited source and
// paragraph). Source text is escaped; only this extension's commands are trusted.
import * as vscode from 'vscode';
import { actorHoverMarkdown, citationHoverMarkdown, HOVER_LINE_CHARS, hoverWindow, rankActorClaims } from '../core/hoverContent';
import { citationAt, sentenceAt } from '../core/edit/citationEdit';
import type { Claim } from '../core/types';
import { MEMO_SELECTOR } from './config';
import type { MemoAnalysis } from './memoAnalysis';
import type { WorkspaceIndex } from './workspaceIndex';

export const HOVER_COMMANDS = ['policyCite.openClaim', 'policyCite.insertClaimCitation'];

export function commandLink(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

export class PolicyCiteHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly analysis: MemoAnalysis,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    // (VS Code shows the hover as loading meanwhile.)
    if (!(await this.analysis.readyToRead(doc, token))) return undefined;
    return this.hoverNow(doc, position, token);
  }

  private hoverNow(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    if (this.workspace.isSource(doc.uri)) return undefined;
    const offset = doc.offsetAt(position);
    const draft = this.analysis.draft(doc);
    const index = this.workspace.index;
    const citation = citationAt(draft, offset);
    if (citation) {
      const source = index.source(citation.key);
      const md = trusted(
        citationHoverMarkdown(citation, source, index.keys(), source ? undefined : this.analysis.bibliographyEntry(doc, citation.key), source && this.workspace.keyCollisionOf(source)),
      );
      return new vscode.Hover(md, new vscode.Range(doc.positionAt(citation.start), doc.positionAt(citation.end)));
    }
    if (token.isCancellationRequested) return undefined;
    // Only the hovered line (of a long line, the part around the cursor) is scanned for actor
    // names: cost does not grow with the memo, the line or the index.
    const { text: line, start } = hoverWindow(doc.lineAt(position.line).text, position.character);
    const at = position.character - start;
    const found = index.registry.findMentions(line).find((m) => at >= m.start && at <= m.end);
    if (!found) return undefined;
    const mention = { ...found, start: found.start + start, end: found.end + start };
    const actor = index.registry.get(mention.actor);
    if (!actor) return undefined;
    const sentence = sentenceAt(draft, offset);
    // (A sentence as long as a pasted blob gives way to the part of the line around the cursor.)
    const context = sentence && sentence.plain.length <= HOVER_LINE_CHARS ? sentence.plain : line;
    const ranked = rankActorClaims(index, actor.name, context, HOVER_CLAIMS);
    const md = trusted(
      actorHoverMarkdown(
        actor,
        ranked.claims,
        {
          openClaim: (c: Claim) => commandLink('policyCite.openClaim', [c.id]),
          insertCitation: (c: Claim) => commandLink('policyCite.insertClaimCitation', [c.id, doc.uri.toString(), offset]),
        },
        HOVER_CLAIMS,
        ranked.total,
      ),
    );
    return new vscode.Hover(md, new vscode.Range(position.line, mention.start, position.line, mention.end));
  }
}

/** Claims listed in an actor hover. */
const HOVER_CLAIMS = 3;

function trusted(markdown: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(markdown);
  md.isTrusted = { enabledCommands: HOVER_COMMANDS };
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}

export function registerHover(workspace: WorkspaceIndex, analysis: MemoAnalysis): vscode.Disposable {
  return vscode.languages.registerHoverProvider(MEMO_SELECTOR, new PolicyCiteHoverProvider(workspace, analysis));
}
