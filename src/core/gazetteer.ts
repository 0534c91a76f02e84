// The built-in gazetteer of international affairs: states (every UN member, observers, partially
// recognised and historical states), people (leaders and officials), organizations, armed groups
// and places (regions, seas, disputed territories, bases).
//
// The data lives in `data/gazetteer/*.json` and was written by hand for this project from general
// knowledge; no third-party data set is copied. The files are read with `require` on first use,
// not imported: the bundles ship them next to themselves (dist/data/gazetteer/, see
// scripts/build.mjs), so loading the extension does not parse 137 KB of actors it may not need
// yet. This module stays pure: no `vscode`, no `fs`.
//
// Conventions: `aliases` are other names of the actor (official and short names, abbreviations,
// transliterations, a person's surname alone); `metonyms` are words that stand for it (demonyms
// and adjectives, capitals standing for governments, "Kremlin", "White House"). Every alias and
// metonym belongs to exactly one actor; ambiguous ones ("Bush", "Aliyev", "Korean", "Congolese")
// are left out on purpose.
import type { ActorDefinition, ActorType } from './types';

const TYPES: readonly ActorType[] = ['person', 'state', 'organization', 'place', 'group'];

/**
 * The data files with the actor type each is expected to hold (undefined: any type). Each
 * `require` names its file literally, so the bundler can see it.
 */
const SOURCES: readonly { file: string; read: () => unknown; type?: ActorType }[] = [
  { file: 'states-africa.json', read: () => require('./data/gazetteer/states-africa.json'), type: 'state' },
  { file: 'states-asia.json', read: () => require('./data/gazetteer/states-asia.json'), type: 'state' },
  { file: 'states-europe.json', read: () => require('./data/gazetteer/states-europe.json'), type: 'state' },
  { file: 'states-americas-oceania.json', read: () => require('./data/gazetteer/states-americas-oceania.json'), type: 'state' },
  { file: 'states-other.json', read: () => require('./data/gazetteer/states-other.json'), type: 'state' },
  { file: 'people-eurasia.json', read: () => require('./data/gazetteer/people-eurasia.json'), type: 'person' },
  { file: 'people-west.json', read: () => require('./data/gazetteer/people-west.json'), type: 'person' },
  { file: 'people-asia-mideast.json', read: () => require('./data/gazetteer/people-asia-mideast.json'), type: 'person' },
  { file: 'organizations.json', read: () => require('./data/gazetteer/organizations.json') },
  { file: 'groups.json', read: () => require('./data/gazetteer/groups.json') },
  { file: 'places.json', read: () => require('./data/gazetteer/places.json'), type: 'place' },
];

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim() !== '');
}

/** Checks one entry's shape and returns a fresh, frozen ActorDefinition; throws on bad data. */
function toDefinition(item: unknown, where: string, expected?: ActorType): ActorDefinition {
  if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error(`${where}: not an object`);
  const o = item as Record<string, unknown>;
  const name = o.name;
  if (typeof name !== 'string' || name.trim() === '' || name !== name.trim()) throw new Error(`${where}: bad "name"`);
  const type = o.type;
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    throw new Error(`${where} (${name}): bad "type" ${JSON.stringify(type)}`);
  }
  if (expected && type !== expected) throw new Error(`${where} (${name}): type "${type}", expected "${expected}"`);
  if (!isStringArray(o.aliases)) throw new Error(`${where} (${name}): "aliases" must be an array of non-empty strings`);
  if (!isStringArray(o.roles)) throw new Error(`${where} (${name}): "roles" must be an array of non-empty strings`);
  if (o.metonyms !== undefined && !isStringArray(o.metonyms)) {
    throw new Error(`${where} (${name}): "metonyms" must be an array of non-empty strings`);
  }
  if (o.description !== undefined && typeof o.description !== 'string') {
    throw new Error(`${where} (${name}): "description" must be a string`);
  }
  const def: ActorDefinition = {
    name,
    type: type as ActorType,
    aliases: [...o.aliases],
    roles: [...o.roles],
  };
  if (typeof o.description === 'string') def.description = o.description;
  if (o.metonyms !== undefined && o.metonyms.length > 0) def.metonyms = [...o.metonyms];
  return def;
}

function load(): readonly ActorDefinition[] {
  const out: ActorDefinition[] = [];
  const names = new Set<string>();
  for (const { file, read, type } of SOURCES) {
    const data = read();
    if (!Array.isArray(data)) throw new Error(`gazetteer ${file}: expected an array`);
    data.forEach((item: unknown, i) => {
      const def = toDefinition(item, `gazetteer ${file} entry ${i + 1}`, type);
      if (names.has(def.name)) throw new Error(`gazetteer ${file}: duplicate actor "${def.name}"`);
      names.add(def.name);
      out.push(def);
    });
  }
  return Object.freeze(out);
}

let loaded: readonly ActorDefinition[] | undefined;

/** The built-in actors, read and validated on the first call. Treat as read-only. */
export function gazetteer(): readonly ActorDefinition[] {
  loaded ??= load();
  return loaded;
}
