// Hover text for actors and citations as Markdown, with every piece of source text escaped.
// Command links are built by the caller (the extension knows its command ids).
import type { ClaimIndex } from './claimIndex';
import { indexTerms } from './claimIndex';
import type { Citation } from './draftTypes';
import { escapeMarkdown } from './escape';
import type { ActorDefinition, Claim, Source } from './types';

export interface HoverLinks {
  openClaim(claim: Claim): string;
  insertCitation(claim: Claim): string;
}

const TYPE_LABEL: Record<string, string> = {
  person: 'person',
  state: 'state',
  organization: 'organization',
  place: 'place',
  group: 'group',
};

/**
 * Claims about an actor, most relevant to `context` (the memo sentence) first; facts before views.
 * Uses the terms the index stored per claim, so a hover costs a pass over the actor's postings.
 */
export function rankActorClaims(index: ClaimIndex, actor: string, context: string): Claim[] {
  const terms = new Set(indexTerms(context));
  const kindRank: Record<string, number> = { fact: 0, quote: 1, prediction: 2, opinion: 3 };
  const scored = index.claimsByActor(actor).map((claim) => {
    let shared = 0;
    for (const t of index.claimTerms(claim.id)) if (terms.has(t)) shared++;
    return { claim, shared };
  });
  return scored
    .sort(
      (a, b) =>
        b.shared - a.shared ||
        kindRank[a.claim.kind] - kindRank[b.claim.kind] ||
        a.claim.sourceKey.localeCompare(b.claim.sourceKey) ||
        a.claim.paragraph - b.claim.paragraph ||
        a.claim.sentence - b.claim.sentence,
    )
    .map((x) => x.claim);
}

function citationOf(claim: Claim): string {
  return `@${claim.sourceKey}, para. ${claim.paragraph}`;
}

export function actorHoverMarkdown(actor: ActorDefinition, claims: Claim[], links: HoverLinks, max = 3): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(actor.name)}** · ${TYPE_LABEL[actor.type] ?? escapeMarkdown(actor.type)}`);
  if (actor.roles.length) lines.push('', `*${actor.roles.map(escapeMarkdown).join('; ')}*`);
  if (actor.description && actor.description !== 'Named in the sources') lines.push('', escapeMarkdown(actor.description));
  const aliases = [...new Set([...actor.aliases, ...(actor.metonyms ?? [])])];
  if (aliases.length) lines.push('', `Also: ${aliases.slice(0, 12).map(escapeMarkdown).join(', ')}${aliases.length > 12 ? ', …' : ''}`);
  lines.push('', '---', '');
  if (claims.length === 0) {
    lines.push('No indexed source mentions this actor.');
    return lines.join('\n');
  }
  lines.push(`**What the sources claim** (${claims.length}):`, '');
  for (const claim of claims.slice(0, max)) {
    const kind = claim.kind === 'fact' ? '' : ` *(${claim.kind})*`;
    lines.push(
      `- ${escapeMarkdown(claim.text)}${kind} — \`${citationOf(claim)}\` [Open](${links.openClaim(claim)} "Open the source at this claim") · [Cite](${links.insertCitation(claim)} "Insert [${citationOf(claim)}] at the cursor")`,
    );
  }
  if (claims.length > max) lines.push('', `…and ${claims.length - max} more`);
  return lines.join('\n');
}

export function sourceByline(source: Source): string {
  const authors = source.meta.authors.map((a) => (a.given ? `${a.given} ${a.family}` : a.family)).join(', ');
  return [authors, source.meta.date, source.meta.publisher].filter(Boolean).join(' · ');
}

export function citationHoverMarkdown(citation: Citation, source: Source | undefined, knownKeys: string[]): string {
  if (!source) {
    return `**Unknown citation key** \`@${escapeMarkdown(citation.key)}\`\n\nNo indexed source has this key.${knownKeys.length ? ` Known keys: ${knownKeys.slice(0, 8).map((k) => `\`@${k}\``).join(', ')}` : ''}`;
  }
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(source.meta.title ?? source.key)}**`, '');
  const byline = sourceByline(source);
  if (byline) lines.push(escapeMarkdown(byline), '');
  if (source.meta.url) lines.push(`\`${source.meta.url.replace(/`/g, '')}\``, '');
  lines.push(`\`@${source.key}\` · ${source.paragraphs.length} paragraphs · ${source.claims.length} claims`);
  const loc = citation.locator;
  const para = loc && /^(para|paras|paragraph|¶)/i.test(loc.label) ? loc.number : undefined;
  if (para !== undefined) {
    const p = source.paragraphs.find((x) => x.index === para);
    lines.push('', '---', '');
    if (p) lines.push(`**Para. ${para}:** ${escapeMarkdown(p.text)}`);
    else lines.push(`Para. ${para} is out of range: the source has ${source.paragraphs.length} paragraphs.`);
  }
  return lines.join('\n');
}
