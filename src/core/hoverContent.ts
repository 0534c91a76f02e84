// Hover text for actors and citations as Markdown, with every piece of source text escaped.
// Command links are built by the caller (the extension knows its command ids).
import { type BibliographyEntry, describeEntry } from './bibliographyKeys';
import type { ClaimIndex } from './claimIndex';
import { indexTerms } from './claimIndex';
import { citedParagraphRanges, paragraphOf } from './citations';
import type { Citation } from './draftTypes';
import { clipText, escapeMarkdown, inlineCode } from './escape';
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

/** The longest line a hover scans whole (see hoverWindow). */
export const HOVER_LINE_CHARS = 4_000;

/**
 * The part of a line a hover scans for the actor name at `character`: the line itself, or, when it
 * is longer than `max` (a pasted table, a minified line), the `max` characters around the
 * character, cut at white space where there is some, so that a hover costs the same on a line of
 * a megabyte (where scanning the whole line took 175 ms) as on one of a few kilobytes. `start` is
 * where the text begins in the line.
 */
export function hoverWindow(line: string, character: number, max = HOVER_LINE_CHARS): { text: string; start: number } {
  if (line.length <= max) return { text: line, start: 0 };
  let start = Math.max(0, Math.min(character - (max >> 1), line.length - max));
  let end = start + max;
  // (Not in the middle of a word: a name cut in two would not be found.)
  const space = line.indexOf(' ', start);
  if (start > 0 && space !== -1 && space < character) start = space + 1;
  const back = line.lastIndexOf(' ', end);
  if (end < line.length && back > character) end = back;
  return { text: line.slice(start, end), start };
}

/**
 * Claims about an actor, most relevant to `context` (the memo sentence) first; facts before views;
 * then by source key (in localeCompare order), paragraph and sentence. Uses the terms the index
 * stored per claim, so a hover costs a pass over the actor's postings; with a `limit`, only that
 * many are kept in order (an actor of a large index has thousands).
 */
export function rankActorClaims(index: ClaimIndex, actor: string, context: string, limit = Infinity): { claims: Claim[]; total: number } {
  const terms = new Set(indexTerms(context));
  const compare = (a: Ranked, b: Ranked): number =>
    b.shared - a.shared ||
    KIND_RANK[a.claim.kind] - KIND_RANK[b.claim.kind] ||
    index.keyRank(a.claim.sourceKey) - index.keyRank(b.claim.sourceKey) ||
    a.claim.paragraph - b.claim.paragraph ||
    a.claim.sentence - b.claim.sentence;
  const top: Ranked[] = [];
  let total = 0;
  let stopped = false;
  const probe: Ranked = { claim: undefined as unknown as Claim, shared: 0 };
  const visit = (claim: Claim, shared: number): void => {
    total++;
    probe.claim = claim;
    probe.shared = shared;
    // Most claims do not make the top: they are turned away without an allocation.
    if (top.length >= limit && compare(probe, top[top.length - 1]) >= 0) return;
    const item = { claim, shared };
    if (limit === Infinity) {
      top.push(item);
      return;
    }
    let i = top.length;
    while (i > 0 && compare(item, top[i - 1]) < 0) i--;
    top.splice(i, 0, item);
    if (top.length > limit) top.pop();
  };
  // When the claims come best first but for their kind (visitActorClaims orders them so when some
  // are not made yet), the visit ends once the top is full and its last claim beats any claim
  // left: those share no more terms, and one that shares as many is at best a fact from a source
  // ranked later.
  const order = {
    stop: (shared: number, keyRank: number): boolean => {
      if (top.length < limit) return false;
      const last = top[top.length - 1];
      stopped = last.shared > shared || (last.shared === shared && KIND_RANK[last.claim.kind] === 0 && index.keyRank(last.claim.sourceKey) < keyRank);
      return stopped;
    },
  };
  index.visitActorClaims(actor, terms, visit, limit === Infinity ? undefined : order);
  if (limit === Infinity) top.sort(compare);
  return { claims: top.map((x) => x.claim), total: stopped ? index.actorClaimCount(actor) : total };
}

interface Ranked {
  claim: Claim;
  shared: number;
}

const KIND_RANK: Record<string, number> = { fact: 0, quote: 1, prediction: 2, opinion: 3 };

function citationOf(claim: Claim): string {
  return `@${claim.sourceKey}, para. ${claim.paragraph}`;
}

/** A link title (between double quotes) showing `text`, whatever it holds. */
function linkTitle(text: string): string {
  return `"${text.replace(/[\r\n]+/g, ' ').replace(/["\\]/g, '\\$&')}"`;
}

/** `claims`: the actor's claims, best first (at least `max` of them when there are); `total`: how many there are. */
export function actorHoverMarkdown(actor: ActorDefinition, claims: Claim[], links: HoverLinks, max = 3, total = claims.length): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(actor.name)}** · ${TYPE_LABEL[actor.type] ?? escapeMarkdown(actor.type)}`);
  if (actor.roles.length) lines.push('', `*${actor.roles.map(escapeMarkdown).join('; ')}*`);
  if (actor.description && actor.description !== 'Named in the sources') lines.push('', escapeMarkdown(actor.description));
  const aliases = [...new Set([...actor.aliases, ...(actor.metonyms ?? [])])];
  if (aliases.length) lines.push('', `Also: ${aliases.slice(0, 12).map(escapeMarkdown).join(', ')}${aliases.length > 12 ? ', …' : ''}`);
  lines.push('', '---', '');
  if (total === 0) {
    lines.push('No indexed source mentions this actor.');
    return lines.join('\n');
  }
  lines.push(`**What the sources claim** (${total}):`, '');
  for (const claim of claims.slice(0, max)) {
    const kind = claim.kind === 'fact' ? '' : ` *(${claim.kind})*`;
    lines.push(
      `- ${escapeMarkdown(clipText(claim.text))}${kind} — ${inlineCode(citationOf(claim))} [Open](${links.openClaim(claim)} "Open the source at this claim") · [Cite](${links.insertCitation(claim)} ${linkTitle(`Insert [${citationOf(claim)}] at the cursor`)})`,
    );
  }
  if (total > max) lines.push('', `…and ${total - max} more`);
  return lines.join('\n');
}

export function sourceByline(source: Source): string {
  const authors = source.meta.authors.map((a) => (a.given ? `${a.given} ${a.family}` : a.family)).join(', ');
  return [authors, source.meta.date, source.meta.publisher].filter(Boolean).join(' · ');
}

/** How many cited paragraphs a citation hover shows (of a range or a list). */
const CITED_PARAGRAPHS_SHOWN = 3;

/**
 * `bibliography`: the key's entry in the memo's bibliography (see CheckOptions.bibliographyKeys),
 * a work that no source holds. `keyWarning`: why the source's key is fragile, when another source
 * takes it too (see keyCollisionWarning).
 */
export function citationHoverMarkdown(citation: Citation, source: Source | undefined, knownKeys: string[], bibliography?: BibliographyEntry, keyWarning?: string): string {
  if (!source && bibliography) {
    const work = escapeMarkdown(describeEntry(bibliography));
    return `**Cited from the bibliography** ${inlineCode(`@${citation.key}`)}\n\n${work ? `${work}\n\n` : ''}The memo's bibliography has this key, and no source in the workspace: its text is not checked.`;
  }
  if (!source) {
    return `**Unknown citation key** ${inlineCode(`@${citation.key}`)}\n\nNo indexed source has this key.${knownKeys.length ? ` Known keys: ${knownKeys.slice(0, 8).map((k) => inlineCode(`@${k}`)).join(', ')}` : ''}`;
  }
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(source.meta.title ?? source.key)}**`, '');
  const byline = sourceByline(source);
  if (byline) lines.push(escapeMarkdown(byline), '');
  if (source.meta.url) lines.push(`\`${source.meta.url.replace(/`/g, '')}\``, '');
  lines.push(`${inlineCode(`@${source.key}`)} · ${source.paragraphs.length} paragraphs · ${source.claims.length} claims`);
  if (keyWarning) lines.push('', `**Warning:** ${escapeMarkdown(keyWarning)}`);
  const ranges = citedParagraphRanges(citation);
  if (ranges !== undefined) {
    lines.push('', '---', '');
    // The cited paragraphs (of a range or list, the first few), each with its notes.
    const cited = ranges.flatMap(([first, last]) => Array.from({ length: Math.min(last, first + CITED_PARAGRAPHS_SHOWN) - first + 1 }, (_, k) => first + k)).slice(0, CITED_PARAGRAPHS_SHOWN);
    cited.forEach((para, k) => {
      const p = paragraphOf(source, para);
      if (k > 0) lines.push('');
      if (!p) {
        lines.push(`Para. ${para} is out of range: the source has ${source.paragraphs.length} paragraphs.`);
        return;
      }
      lines.push(`**Para. ${para}:** ${escapeMarkdown(clipText(p.text))}`);
      if (p.notes) lines.push('', `**Its notes:** ${escapeMarkdown(clipText(p.notes))}`);
    });
  }
  return lines.join('\n');
}
