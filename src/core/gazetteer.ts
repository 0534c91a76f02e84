// The built-in gazetteer of international affairs: states (every UN member, observers, partially
// recognised and historical states), people (leaders and officials), organizations, armed groups
// and places (regions, seas, disputed territories, bases).
//
// The data lives in `data/gazetteer/*.json` and was written by hand for this project from general
// knowledge; no third-party data set is copied. It is bundled by esbuild (`resolveJsonModule`), so
// this module stays pure: no `vscode`, no `fs`.
//
// Conventions: `aliases` are other names of the actor (official and short names, abbreviations,
// transliterations, a person's surname alone); `metonyms` are words that stand for it (demonyms
// and adjectives, capitals standing for governments, "Kremlin", "White House"). Every alias and
// metonym belongs to exactly one actor; ambiguous ones ("Bush", "Aliyev", "Korean", "Congolese")
// are left out on purpose.
import type { ActorDefinition, ActorType } from './types';

import statesAfrica from './data/gazetteer/states-africa.json';
import statesAsia from './data/gazetteer/states-asia.json';
import statesEurope from './data/gazetteer/states-europe.json';
import statesAmericasOceania from './data/gazetteer/states-americas-oceania.json';
import statesOther from './data/gazetteer/states-other.json';
import peopleEurasia from './data/gazetteer/people-eurasia.json';
import peopleWest from './data/gazetteer/people-west.json';
import peopleAsiaMideast from './data/gazetteer/people-asia-mideast.json';
import organizations from './data/gazetteer/organizations.json';
import groups from './data/gazetteer/groups.json';
import places from './data/gazetteer/places.json';

const TYPES: readonly ActorType[] = ['person', 'state', 'organization', 'place', 'group'];

/** The data files with the actor type each is expected to hold (undefined: any type). */
const SOURCES: readonly { file: string; data: unknown; type?: ActorType }[] = [
  { file: 'states-africa.json', data: statesAfrica, type: 'state' },
  { file: 'states-asia.json', data: statesAsia, type: 'state' },
  { file: 'states-europe.json', data: statesEurope, type: 'state' },
  { file: 'states-americas-oceania.json', data: statesAmericasOceania, type: 'state' },
  { file: 'states-other.json', data: statesOther, type: 'state' },
  { file: 'people-eurasia.json', data: peopleEurasia, type: 'person' },
  { file: 'people-west.json', data: peopleWest, type: 'person' },
  { file: 'people-asia-mideast.json', data: peopleAsiaMideast, type: 'person' },
  { file: 'organizations.json', data: organizations },
  { file: 'groups.json', data: groups },
  { file: 'places.json', data: places, type: 'place' },
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
  for (const { file, data, type } of SOURCES) {
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

/** The built-in actors, validated once at load time. Treat as read-only. */
export const GAZETTEER: readonly ActorDefinition[] = load();
