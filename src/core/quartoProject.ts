// A Quarto project's bibliography: `bibliography:` in the `_quarto.yml` of the nearest folder
// above a memo that has one names files for every document of the project, which Quarto merges
// with the document's own as it merges all metadata (quarto-cli's mergeConfigs): where either is
// a list, the two are joined, the project's first, each file once; where both are single names,
// the document's replaces the project's. Its names are relative to the project's folder.
import type { Draft } from './draftTypes';
import { BibliographyNames } from './bibliographyNames';
import { bibliographyNamesOf, readYaml } from './draft';
import type { Span } from './types';

/** The files that make a folder a Quarto project's, in the order Quarto looks for them. */
export const QUARTO_PROJECT_FILES = ['_quarto.yml', '_quarto.yaml'] as const;

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
 * The bibliography files of a memo as Quarto reads them: its front matter's merged with its
 * project's (relative to the memo), see the file comment. Without a project, the front matter's.
 */
export function memoBibliography(draft: Pick<Draft, 'bibliography' | 'frontMatter'>, project: ProjectBibliography | undefined): readonly string[] {
  if (!project || project.names.length === 0) return draft.bibliography;
  if (draft.bibliography.length === 0) return project.names;
  if (!project.list && !Array.isArray(draft.frontMatter?.data.bibliography)) return draft.bibliography;
  return [...new Set([...project.names, ...draft.bibliography])];
}
