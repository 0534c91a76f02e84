// Named entities found in a source that the registry does not know yet ("Andijan",
// "Karshi-Khanabad"), and the roles sources give known actors ("Uzbek President Islam Karimov").
import { ActorRegistry, tokenize, type Token } from './actors';
import { isStopword } from './text';
import type { ActorDefinition, ActorMention, ActorType } from './types';

const TITLE_WORDS = new Set([
  'President', 'Prime', 'Minister', 'Chancellor', 'King', 'Queen', 'Emir', 'Sultan', 'Ayatollah', 'Sheikh',
  'General', 'Gen', 'Admiral', 'Colonel', 'Col', 'Marshal', 'Commander', 'Secretary', 'Senator', 'Governor',
  'Ambassador', 'Foreign', 'Defense', 'Defence', 'Interior', 'Finance', 'Deputy', 'Vice', 'Chief', 'Director',
  'Premier', 'Mayor', 'Speaker', 'Chairman', 'Leader', 'Supreme', 'Crown', 'Prince', 'Mr', 'Mrs', 'Ms', 'Dr',
  'Foreign Minister', 'of', 'State', 'General-Secretary', 'Secretary-General',
]);

const ORG_WORDS = /\b(Organi[sz]ation|Treaty|Pact|Union|Council|Ministry|Committee|Party|Army|Front|Movement|Bank|Fund|Agency|Times|Post|News|Journal|Zhurnal|University|Institute|Group|Company|Corporation|Forces|Alliance|Commission|Parliament|Assembly|Service|Office|Department|Court|Federation|League|Association|Foundation|Center|Centre)\b/;
const PLACE_FOLLOWERS = /^\s+(massacre|region|province|oblast|district|valley|river|base|air\s*base|airbase|city|border|mountains|sea|lake|gorge|pass|crossing)\b/i;
const PLACE_PRECEDERS = /\b(in|at|near|from|to|into|across|outside|around|of)\s+(the\s+)?$/;
const ORG_PRECEDERS = /\b(newspaper|magazine|agency|company|firm|group|party|channel|outlet|website|daily|weekly)\s+$/i;

/** Proper nouns that are not actors. */
const NOT_ACTORS = new Set([
  'Islam', 'Islamic', 'Muslim', 'Muslims', 'Christian', 'Christians', 'Christianity', 'Jewish', 'Orthodox',
  'Sunni', 'Shia', 'Shiite', 'God', 'English', 'Internet', 'I', 'OK',
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday',
]);

// The regexes live here, not in the functions: a literal inside a function is a new object each call.
const ONE_CAPITAL = /^\p{Lu}$/u;
const STARTS_CAPITAL = /^\p{Lu}/u;
const OPENS_QUOTE = /["“‘(:]\s*$/;
const TITLE_BEFORE = /(President|Minister|General|Gen\.|Mr\.|Mrs\.|Ms\.|Dr\.)\s+$/;
const SPEECH_AFTER = /^\s+(said|says|told|argued|wrote|explained|added|is|was)\b/;
const TITLE_CASE = /^\p{Lu}|^of$/u;
const BLANK = /^\s*$/;

function isCapitalised(token: Token): boolean {
  // ASCII fast path (the regexes below decide everything else): a-z and digits are not Lu, A-Z is.
  const c = token.text.charCodeAt(0);
  if (c < 0x80) {
    if (c < 0x41 || c > 0x5a) return false;
    // A norm of three or more UTF-16 units is not one code point, so not a single capital.
    return token.norm.length > 2 || !ONE_CAPITAL.test(token.norm);
  }
  return STARTS_CAPITAL.test(token.text) && !ONE_CAPITAL.test(token.norm);
}

export interface DiscoveryInput {
  /** Sentences of the source (plain text). */
  sentences: string[];
  /** `tokenize(sentences[i])` for each sentence, when the caller has them already. */
  tokens?: Token[][];
  /** When given, receives each sentence's mentions under `registry` (parseSource reuses them). */
  mentions?: ActorMention[][];
  registry: ActorRegistry;
}

interface Candidate {
  name: string;
  midSentence: boolean;
  /** Where the name occurs: its type is guessed from their context once the name is kept. */
  runs: Run[];
}

interface Run {
  sentence: string;
  start: number;
  end: number;
  tokens: number;
}

/**
 * Returns actor definitions for unknown proper-noun runs and role definitions for known actors.
 * A run seen only at the start of sentences is not trusted ("Regarding", "Thus").
 */
export function discoverActors(input: DiscoveryInput): ActorDefinition[] {
  const found = new Map<string, Candidate>();
  const roles = new Map<string, Set<string>>();
  for (let s = 0; s < input.sentences.length; s++) {
    const sentence = input.sentences[s];
    const tokens = input.tokens?.[s] ?? tokenize(sentence);
    const mentions = input.registry.matchTokens(sentence, tokens);
    if (input.mentions) input.mentions[s] = mentions;
    collectRoles(sentence, tokens, mentions, input.registry, roles);
    const covered = new MentionCursor(mentions);
    for (let i = 0; i < tokens.length; i++) {
      if (!isCapitalised(tokens[i]) || covered.overlaps(tokens[i]) || NOT_ACTORS.has(tokens[i].norm)) continue;
      if (TITLE_WORDS.has(tokens[i].norm)) continue;
      let j = i;
      while (
        j + 1 < tokens.length &&
        isCapitalised(tokens[j + 1]) &&
        !covered.overlaps(tokens[j + 1]) &&
        !tokens[j].text.endsWith('.') &&
        tokens[j + 1].start - tokens[j].end === 1 &&
        sentence.charCodeAt(tokens[j].end) === 0x20
      ) {
        j++;
      }
      // A lone capitalised stopword ("The", "But") is skipped before any of the work below.
      if (j === i && isStopword(tokens[i].norm)) continue;
      const name = tokens.slice(i, j + 1).map((t) => t.norm).join(' ');
      const start = tokens[i].start;
      let c = found.get(name);
      if (c === undefined) {
        c = { name, midSentence: false, runs: [] };
        found.set(name, c);
      }
      // After an opening quotation mark or a colon a capital starts a (quoted) sentence.
      if (!c.midSentence && i > 0 && !OPENS_QUOTE.test(sentence.slice(Math.max(0, start - 3), start))) c.midSentence = true;
      c.runs.push({ sentence, start, end: tokens[j].end, tokens: j - i + 1 });
      i = j;
    }
  }
  const out: ActorDefinition[] = [];
  for (const c of found.values()) {
    if (!c.midSentence) continue;
    if (c.name.length < 3 || /^\d/.test(c.name)) continue;
    const type = typeOf(c);
    const aliases: string[] = [];
    if (type === 'person' && c.name.includes(' ')) aliases.push(c.name.split(' ').pop() as string);
    out.push({ name: c.name, type, aliases, roles: [...(roles.get(c.name) ?? [])], description: 'Named in the sources' });
    roles.delete(c.name);
  }
  for (const [name, set] of roles) {
    const known = input.registry.get(name);
    if (known) out.push({ name, type: known.type, aliases: [], roles: [...set] });
  }
  return out;
}

/**
 * Whether a mention covers part of a token. matchTokens gives mentions in order and apart, and
 * discovery asks about tokens in order, so the cursor only moves forward (a search from the first
 * mention for every token was quadratic in a sentence of thousands of mentions).
 */
class MentionCursor {
  private next = 0;

  constructor(private readonly mentions: ActorMention[]) {}

  overlaps(t: Token): boolean {
    const mentions = this.mentions;
    while (this.next < mentions.length && mentions[this.next].end <= t.start) this.next++;
    return this.next < mentions.length && mentions[this.next].start < t.end;
  }
}

/**
 * The type of a kept name: what its first run suggests, unless a later run suggests something
 * other than a person (the last such wins). Only kept names are guessed: most runs are
 * capitalised words at the start of a sentence, dropped at the end.
 */
function typeOf(c: Candidate): ActorType {
  for (let k = c.runs.length - 1; k > 0; k--) {
    const type = runType(c.name, c.runs[k]);
    if (type !== 'person') return type;
  }
  return runType(c.name, c.runs[0]);
}

function runType(name: string, run: Run): ActorType {
  const before = run.sentence.slice(Math.max(0, run.start - 40), run.start);
  const after = run.sentence.slice(run.end, run.end + 30);
  return guessType(name, run.tokens, before, after);
}

function guessType(name: string, tokens: number, before: string, after: string): ActorType {
  if (ORG_WORDS.test(name) || ORG_PRECEDERS.test(before)) return 'organization';
  if (PLACE_FOLLOWERS.test(after)) return 'place';
  if (TITLE_BEFORE.test(before)) return 'person';
  if (tokens >= 2 && SPEECH_AFTER.test(after)) return 'person';
  if (PLACE_PRECEDERS.test(before) || tokens === 1) return 'place';
  return 'person';
}

/** "Uzbek President Islam Karimov": the title words (and a demonym) before a person's name. */
function collectRoles(
  sentence: string,
  tokens: Token[],
  mentions: ActorMention[],
  registry: ActorRegistry,
  roles: Map<string, Set<string>>,
): void {
  // Mentions come in order: the token a mention starts at is found by a cursor moving forward.
  let at = 0;
  for (const m of mentions) {
    if (registry.get(m.actor)?.type !== 'person') continue;
    while (at < tokens.length && tokens[at].start < m.start) at++;
    // The token before the one the mention starts at (-2 when it starts inside a token).
    let k = (at < tokens.length && tokens[at].start === m.start ? at : -1) - 1;
    let start = -1;
    while (k >= 0 && TITLE_WORDS.has(tokens[k].norm) && TITLE_CASE.test(tokens[k].text)) {
      start = tokens[k].start;
      k--;
    }
    if (start === -1) continue;
    // A demonym or state name right before the title belongs to the role ("Uzbek President").
    const demonym = mentions.find((d) => d.end <= start && BLANK.test(sentence.slice(d.end, start)));
    if (demonym && registry.get(demonym.actor)?.type === 'state') start = demonym.start;
    const role = sentence.slice(start, m.start).trim();
    if (role) {
      const set = roles.get(m.actor) ?? new Set<string>();
      set.add(role);
      roles.set(m.actor, set);
    }
  }
}
