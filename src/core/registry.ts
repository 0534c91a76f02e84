// The default actor registry (the built-in gazetteer) and user-defined actors from
// `.policy-cite/actors.json`.
import { ACTOR_TYPES, ActorRegistry } from './actors';
import { gazetteer } from './gazetteer';
import { withoutBom } from './text';
import type { ActorDefinition, ActorType } from './types';

let cached: ActorRegistry | undefined;

/** The gazetteer's registry; its data is read when it is first asked something, not here. */
export function defaultRegistry(): ActorRegistry {
  cached ??= new ActorRegistry(gazetteer);
  return cached;
}

/** The gazetteer extended by each of `layers` in turn (the user's actors files). */
export function registryWith(layers: readonly (readonly ActorDefinition[])[]): ActorRegistry {
  return layers.reduce<ActorRegistry>((registry, layer) => (layer.length ? registry.extend(layer) : registry), defaultRegistry());
}

export interface ActorsFileResult {
  actors: ActorDefinition[];
  errors: string[];
}

/**
 * Reads the user's actors file: `{"actors":[{"name","type","aliases","roles","description"}]}` or a
 * bare array. Invalid entries are reported and skipped; the file is never trusted to be well formed.
 */
export function parseActorsFile(text: string): ActorsFileResult {
  const errors: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(withoutBom(text));
  } catch (e) {
    return { actors: [], errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' ? (data as { actors?: unknown }).actors : undefined;
  if (!Array.isArray(list)) return { actors: [], errors: ['expected {"actors": [...]} or an array of actors'] };
  const actors: ActorDefinition[] = [];
  list.forEach((item: unknown, i) => {
    if (!item || typeof item !== 'object') {
      errors.push(`entry ${i + 1}: not an object`);
      return;
    }
    const o = item as Record<string, unknown>;
    const name = typeof o.name === 'string' ? o.name.trim() : '';
    if (!name) {
      errors.push(`entry ${i + 1}: missing "name"`);
      return;
    }
    const type = (ACTOR_TYPES as readonly string[]).includes(String(o.type)) ? (o.type as ActorType) : 'group';
    if (o.type !== undefined && type !== o.type) errors.push(`entry ${i + 1} (${name}): unknown type ${JSON.stringify(o.type)}, using "group"`);
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);
    actors.push({
      name,
      type,
      aliases: strings(o.aliases),
      roles: strings(o.roles),
      metonyms: strings(o.metonyms),
      description: typeof o.description === 'string' ? o.description : undefined,
    });
  });
  return { actors, errors };
}
