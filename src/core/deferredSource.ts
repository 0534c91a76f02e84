// Sources whose claims are read later: a source taken from the parsed-source cache comes with the
// index terms and actors of its claims (PreparedClaims), so the ClaimIndex can index it without
// its claims, and parses its claims and paragraphs only when something reads them.
import type { Claim, Paragraph, Source } from './types';

/**
 * The index terms and actors of a source's claims, prepared by whoever stored the source, so
 * that indexing it needs neither its claims nor their text. In `data` from `start`, per claim:
 * the number of its distinct index terms (in text order), their numbers in `tables.terms`, the
 * number of its actors, their numbers in `tables.actors`.
 */
export interface PreparedClaims {
  readonly tables: { readonly terms: readonly string[]; readonly actors: readonly string[] };
  readonly data: Int32Array;
  readonly start: number;
  /** Where the data of the last claim ends. */
  readonly end: number;
  readonly claims: number;
  readonly paragraphs: number;
}

export interface SourceBody {
  claims: Claim[];
  paragraphs: Paragraph[];
}

const PREPARED = Symbol('policy-cite.preparedClaims');

/**
 * A source whose claims and paragraphs come from `read` on first use (once), with the prepared
 * index data of its claims. Copies (spread, JSON) read them and do not carry the prepared data.
 */
export function deferredSource(fields: Omit<Source, 'claims' | 'paragraphs'>, read: () => SourceBody, prepared: PreparedClaims): Source {
  let body: SourceBody | undefined;
  const once = (): SourceBody => (body ??= read());
  const source = { ...fields } as Source;
  Object.defineProperties(source, {
    paragraphs: { get: () => once().paragraphs, enumerable: true, configurable: true },
    claims: { get: () => once().claims, enumerable: true, configurable: true },
    [PREPARED]: { value: prepared, enumerable: false },
  });
  return source;
}

export function preparedClaimsOf(source: Source): PreparedClaims | undefined {
  return (source as Source & { [PREPARED]?: PreparedClaims })[PREPARED];
}

/** Paragraphs and claims of a source, without reading the claims of a deferred one. */
export function sourceSize(source: Source): { paragraphs: number; claims: number } {
  const prepared = preparedClaimsOf(source);
  return prepared ? { paragraphs: prepared.paragraphs, claims: prepared.claims } : { paragraphs: source.paragraphs.length, claims: source.claims.length };
}
