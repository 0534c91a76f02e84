// How a source states a sentence: as fact, as reported speech, as the author's opinion, or as a
// prediction. The checker uses it to ask for attribution ("Golts argues…") when a memo states an
// opinion or a forecast of the source as plain fact.
import type { ClaimKind, QuoteSpan } from './types';

const REPORTING =
  /\b(said|says|stated|told|declared|announced|claimed|explained|insisted|warned|argued|according to|reportedly|quoted as saying)\b/i;
const PREDICTION =
  /\b(will|won't|shall|is (?:likely|going|expected|set) to|are (?:likely|going|expected|set) to|(?:could|may|might) (?:well )?(?:result|lead|become|cause|trigger|make)|inevitably|is bound to|are bound to)\b/i;
const OPINION =
  /\b(it seems|seems? to|seemingly|probably|surely|undoubtedly|clearly|obviously|apparently|perhaps|arguably|in (?:my|our) view|i (?:think|believe)|we (?:think|believe)|(?:not )?surprisingly|it is no surprise|no wonder|should|ought to|must|logical|pragmatic|stubborn|insidious|golden opportunity|in reality|the move is|falling apart|romance|trick|semblance|much higher priority|very likely|most likely|it is (?:hard|difficult|easy|clear) to)\b/i;
const PAST_EVENT = /\b(in|since|by) (1[89]|20)\d\d\b/i;
/** Hedges that keep a sentence an opinion even when it dates a past event. */
const HEDGE = /\b(probably|it seems|surely|undoubtedly)\b/i;

/**
 * Classifies one source sentence. Reported speech wins when the sentence quotes or attributes;
 * a future or modal forecast is a prediction; evaluative or hedged language is opinion.
 */
export function classifyClaimKind(text: string, quotes: QuoteSpan[]): ClaimKind {
  const quoted = quotes.some((q) => q.speaker !== undefined || q.text.split(/\s+/).length > 3);
  if (quoted || REPORTING.test(text)) return 'quote';
  if (PREDICTION.test(text)) return 'prediction';
  // OPINION is the longest pattern: test it once (most sentences are facts, which it fails).
  if (!OPINION.test(text)) return 'fact';
  if (!PAST_EVENT.test(text) || HEDGE.test(text)) return 'opinion';
  return 'fact';
}
