// A Quarto project's bibliography: `bibliography:` in the `_quarto.yml` of the nearest folder
// above a memo that has one names files for every document of the project, which Quarto merges
// with the document's own as it merges all metadata (quarto-cli's mergeConfigs): where either is
// a list, the two are joined, the project's first, each file once; where both are single names,
// the document's replaces the project's. Its names are relative to the project's folder. The
// `_metadata.yml` of folders between the project's and the document's come in between, merged
// the same way (see metadataLevels).
import type { Draft } from './draftTypes';
import { BibliographyNames } from './bibliographyNames';
import { bibliographyNamesOf, readYaml } from './draft';
import type { Span } from './types';

/** The files that make a folder a Quarto project's, in the order Quarto looks for them. */
export const QUARTO_PROJECT_FILES = ['_quarto.yml', '_quarto.yaml'] as const;

/**
 * The files of a folder's metadata in a project (quarto-cli's directoryMetadataForInputFile),
 * in the order Quarto looks for them: merged between the project's and the document's.
 */
export const QUARTO_METADATA_FILES = ['_metadata.yml', '_metadata.yaml'] as const;

/** A project file larger than this is not read (one is a page of settings). */
export const MAX_QUARTO_PROJECT_BYTES = 1024 * 1024;

/** How many folders above a memo are searched for a project file. */
export const MAX_PROJECT_DEPTH = 32;

/** The files a project names, relative to the memo (see relativeToMemo), and whether as a YAML list. */
export interface ProjectBibliography {
  names: string[];
  list: boolean;
}

/**
 * The bibliography a project file names, as written (relative to the project's folder);
 * undefined when it names none. A file that is not valid YAML names none.
 */
export function readProjectBibliography(text: string): ProjectBibliography | undefined {
  if (!/^bibliography[ \t]*:/m.test(text)) return undefined;
  const data = readYaml(text);
  const names = bibliographyNamesOf(data);
  return names.length > 0 ? { names, list: Array.isArray(data.bibliography) } : undefined;
}

/**
 * Where the project file writes each of the names of its bibliography (readProjectBibliography),
 * in their order: for the findings about those files. Undefined for a name written escaped (the
 * `bibliography` key is given then), or for all when there is no key.
 */
export function projectBibliographySpans(text: string, names: readonly string[]): Array<Span | undefined> {
  const found = new BibliographyNames(text);
  return names.map((name) => found.find(name) ?? found.key);
}

/**
 * A project file's name as a memo reads it: `up` is the project folder as seen from the memo's
 * (`..`, `../..`, or empty when they are one); an absolute name stays as it is.
 */
export function relativeToMemo(name: string, up: string): string {
  if (up === '' || name.startsWith('/') || /^[A-Za-z]:[\\/]|^\\\\/.test(name)) return name;
  return `${up}/${name.replace(/^\.\//, '')}`;
}

/** The project's bibliography with its names made relative to the memo (see relativeToMemo). */
export function projectBibliographyForMemo(project: ProjectBibliography, up: string): ProjectBibliography {
  return { names: project.names.map((n) => relativeToMemo(n, up)), list: project.list };
}

/**
 * The folders whose `_metadata.yml` applies to a memo, outermost first, as levels above the
 * memo's folder (0: its own) given the project's level: those from the one below the project's
 * down to the memo's; the project folder's own only for a memo in that folder (quarto-cli walks
 * the relative path from the project to the document, which is empty then).
 */
export function metadataLevels(projectLevel: number): number[] {
  if (projectLevel <= 0) return [0];
  return Array.from({ length: projectLevel }, (_, i) => projectLevel - 1 - i);
}

/**
 * Two layers of metadata merged as quarto-cli's mergeConfigs merges `bibliography:` (see the file
 * comment): `inner` (a folder's metadata, nearer the memo) after `outer`.
 */
export function mergeBibliographies(outer: ProjectBibliography | undefined, inner: ProjectBibliography | undefined): ProjectBibliography | undefined {
  if (!outer || outer.names.length === 0) return inner;
  if (!inner || inner.names.length === 0) return outer;
  if (!outer.list && !inner.list) return inner;
  return { names: [...new Set([...outer.names, ...inner.names])], list: true };
}

/**
 * The bibliography files of a memo as Quarto reads them: its front matter's merged with its
 * project's (relative to the memo), see the file comment. Without a project, the front matter's.
 */
export function memoBibliography(draft: Pick<Draft, 'bibliography' | 'frontMatter'>, project: ProjectBibliography | undefined): readonly string[] {
  if (!project || project.names.length === 0) return draft.bibliography;
  return mergeBibliographies(project, { names: [...draft.bibliography], list: Array.isArray(draft.frontMatter?.data.bibliography) })?.names ?? [];
}
