// Does a memo sentence state a checkable fact? The shipped check-worthiness model scores the
// sentence; rules then take out what a policy memo does not have to source: recommendations,
// questions, hedged analysis and sentences about the memo itself.
import { checkWorthinessScore, defaultCheckWorthinessThreshold } from '../checkWorthiness';
import type { Span } from '../types';

const RECOMMENDATION = /\b(should|ought to|must|need(?:s)? to|has to|have to|recommend(?:s|ed)?|urge[sd]?|propose[sd]?|it is (?:essential|important|vital|imperative) (?:to|that)|let us|let's)\b/i;
const HEDGE =
  /^(?:in (?:our|my) (?:view|opinion|judg(?:e)?ment|assessment)|we (?:believe|think|judge|assess|expect|suspect|doubt)|i (?:believe|think|suspect)|it is (?:hard|difficult|easy|tempting|fair|reasonable) to|it (?:seems|appears) (?:that|likely|unlikely)|arguably|perhaps|possibly|presumably|one could argue|there is (?:a|some) (?:risk|chance|possibility)|it remains to be seen)\b/i;
const HEDGE_ANYWHERE = /\b(in our view|in my view|we believe|we judge|we assess|it is hard to see|probably|likely to|unlikely to|may well|might|could well|perhaps|arguably)\b/i;
const META = /^(?:this (?:memo|paper|note|brief|section|analysis|report)|the (?:following|next) section|below,? we|in this (?:memo|paper|note|section)|we (?:argue|recommend|conclude|propose|outline|examine)|see (?:below|above|annex|appendix))\b/i;
/** About the memo itself, or introducing what follows ("…from a terminal:"). */
const META_ANYWHERE = /\b(this|the present) (memo|paper|note|brief|document)\b/i;
const IMPERATIVE = /^(?:keep|avoid|offer|engage|ensure|consider|use|press|support|maintain|continue|prioriti[sz]e|encourage|expand|limit|reduce|increase|invest|seek|build|tie|make|do not|don't|never|stop|start|establish|develop|strengthen|pursue|resist|reject|accept|link|condition|coordinate|work|monitor|prepare|plan|review|fund|explore|insist)\b/i;
const ATTRIBUTED_SPEECH = /\b(said|says|told|stated|announced|declared|claimed|reported|according to)\b/i;

export interface StatementVerdict {
  factual: boolean;
  /** The model's probability; when a rule decided, the rules run first and it is computed only if read. */
  score: number;
  reason: 'model' | 'question' | 'recommendation' | 'hedge' | 'meta' | 'short' | 'figures' | 'event';
}

/**
 * `plain` is the sentence with citations and markup removed. `hasActorAndFigure` tells that the
 * sentence names an actor together with a number or a year, which the model may underrate in memo
 * prose; as a function it is called only when the verdict depends on it.
 */
export function classifyStatement(
  plain: string,
  options: {
    hasActorAndFigure?: boolean | (() => boolean);
    /** The sentence's actor mentions (see actorEvent), read only when the verdict depends on them. */
    actors?: () => readonly Span[];
    threshold?: number;
  } = {},
): StatementVerdict {
  const text = plain.trim().replace(/^[-*+>\s]+/, '');
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length < 4) return ruledOut(text, 'short');
  if (/\?["”’)]*$/.test(text)) return ruledOut(text, 'question');
  if (META.test(text) || META_ANYWHERE.test(text) || /:["”’)]*$/.test(text)) return ruledOut(text, 'meta');
  if (HEDGE.test(text)) return ruledOut(text, 'hedge');
  if (IMPERATIVE.test(text)) return ruledOut(text, 'recommendation');
  if (RECOMMENDATION.test(text) && !ATTRIBUTED_SPEECH.test(text)) return ruledOut(text, 'recommendation');
  if (HEDGE_ANYWHERE.test(text) && !ATTRIBUTED_SPEECH.test(text)) return ruledOut(text, 'hedge');
  const score = modelScore(text);
  const threshold = options.threshold ?? defaultCheckWorthinessThreshold();
  if (score >= threshold) return { factual: true, score, reason: 'model' };
  // A function is asked only here: finding actors and figures costs more than the rules above.
  const figures = typeof options.hasActorAndFigure === 'function' ? options.hasActorAndFigure() : options.hasActorAndFigure;
  if (figures) return { factual: true, score, reason: 'figures' };
  if (options.actors && actorEvent(plain, options.actors())) return { factual: true, score, reason: 'event' };
  return { factual: false, score, reason: 'model' };
}

/**
 * Verbs of events in international affairs, as the simple past or the participle: what an actor
 * did ("Karimov met Obama", "Uzbekistan withdrew from the CSTO", "Russia has vetoed…"). The
 * check-worthiness model, trained on debate sentences where figures make a claim, scores such
 * short event sentences low. Verbs of judgement and of mental states are not here, nor verbs
 * with a common figurative use ("lost", "failed", "gave").
 */
const EVENT_VERBS = new Set(
  (
    'met visited signed withdrew withdrawn joined rejoined quit suspended expelled evicted closed opened ordered vetoed ' +
    'criticised criticized condemned announced declared launched invaded annexed recognised recognized ratified approved ' +
    'rejected hosted deployed sent received elected appointed dismissed resigned attacked bombed shelled seized captured ' +
    'occupied imposed lifted banned blocked halted resumed raised paid granted pledged accused warned threatened denied ' +
    'refused arrested detained released killed won bought sold supplied delivered built established founded dissolved ' +
    'abolished cancelled canceled renewed extended doubled tripled negotiated concluded agreed voted adopted sanctioned ' +
    'nationalised nationalized defaulted restored severed expanded reduced cut increased decreased ended began begun ' +
    'started stopped broke broken mobilised mobilized invited summoned reopened shut transferred allocated lent loaned ' +
    'donated exported imported shipped fired struck hit downed crossed entered retreated surrendered'
  ).split(' '),
);
/** Words that may stand between an actor and its verb: "Uzbekistan formally suspended", "Russia has since vetoed". */
const BETWEEN = /^(?:has|have|had|was|were|also|then|later|again|formally|officially|quietly|abruptly|unilaterally|finally|since|subsequently|eventually|effectively|temporarily|briefly|first|twice|once|jointly|publicly|never|not|recently|already)$/i;
/** A condition or a possibility, not an event: "If Moscow signed…", "Tashkent would have left" ("may" in lower case: "in May" is a month). */
const UNREAL = /\b(?:[Ii]f|[Uu]nless|[Ww]ould|[Cc]ould|[Ss]hould|[Mm]ight|may|[Ww]hether|[Ss]uppose|[Ss]upposing|[Ii]magine)\b/;

/**
 * Whether a sentence says that one of its actors did something: an event verb (EVENT_VERBS) right
 * after an actor's mention, or after a few adverbs and auxiliaries, outside a condition. `actors`
 * are spans of `plain`.
 */
export function actorEvent(plain: string, actors: readonly Span[]): boolean {
  if (actors.length === 0 || UNREAL.test(plain)) return false;
  for (const actor of actors) {
    // The words after the mention, up to the next punctuation ("Russia's parliament ratified").
    const after = /^(['’]s)?((?:\s+[\p{L}-]+){1,4})/u.exec(plain.slice(actor.end, actor.end + 80));
    if (!after) continue;
    const possessive = after[1] !== undefined;
    const words = after[2].trim().split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      const word = words[i].toLowerCase();
      if (EVENT_VERBS.has(word)) return true;
      // One noun after a possessive ("Russia's parliament"), else adverbs and auxiliaries only.
      if (!(BETWEEN.test(word) || (i === 0 && possessive))) break;
    }
  }
  return false;
}

function modelScore(text: string): number {
  return text ? checkWorthinessScore(text) : 0;
}

/** A verdict of the rules: the model's score (the dear part) is computed only if read. */
function ruledOut(text: string, reason: StatementVerdict['reason']): StatementVerdict {
  return {
    factual: false,
    reason,
    get score() {
      return modelScore(text);
    },
  };
}
