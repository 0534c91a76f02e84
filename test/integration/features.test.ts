// The extension's features through the VS Code API, in a real extension host, on a fresh copy of
// examples/csto.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, codeOf, eventually, EXTENSION_ID, folder, hoverAt, policyDiagnostics, positionOf, readFileText } from './helpers';


async function openMemo(name = 'memo.md'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), name));
  return vscode.window.showTextDocument(doc);
}

/** Writes `text` to `uri` (UTF-8), creating its folder. */
function writeText(uri: vscode.Uri, text: string): Thenable<void> {
  return vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** The keys of the memo's unknown-citation-key diagnostics. */
function unknownKeys(doc: vscode.TextDocument): string[] {
  return policyDiagnostics(doc.uri).filter((d) => codeOf(d) === 'unknown-citation-key').map((d) => doc.getText(d.range));
}

/**
 * Writes `files` (name → text, in that order) into the workspace folder's `name`, shows the memo
 * `memo` (one of them) in an editor and runs `body`; then closes the editor and deletes the folder.
 */
async function inMemoFolder(name: string, files: Record<string, string>, memo: string, body: (doc: vscode.TextDocument, dir: vscode.Uri) => Promise<void>): Promise<void> {
  const dir = vscode.Uri.joinPath(folder(), name);
  for (const [file, text] of Object.entries(files)) await writeText(vscode.Uri.joinPath(dir, file), text);
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(dir, memo));
    await vscode.window.showTextDocument(doc);
    await body(doc, dir);
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await Promise.resolve(vscode.workspace.fs.delete(dir, { recursive: true })).catch(() => undefined);
  }
}

/** The quick fixes offered on `range` of `document` (resolved, with their edits). */
function quickFixes(document: vscode.TextDocument, range: vscode.Range): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range, vscode.CodeActionKind.QuickFix.value, 10);
}

describe('hover', () => {
  before(async () => {
    await api();
  });

  it('on an actor shows who it is and cited claims', async () => {
    const { document } = await openMemo();
    const { text, hovers } = await hoverAt(document, positionOf(document, 'Karimov skipped', 2));
    assert.match(text, /Islam Karimov/);
    assert.match(text, /Uzbek President/);
    assert.match(text, /@golts2012, para\. \d+/);
    assert.match(text, /command:policyCite\.openClaim\?/);
    const md = hovers.flatMap((h) => h.contents).find((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString || (typeof c === 'object' && 'isTrusted' in c));
    assert.ok(md, 'a MarkdownString');
    const trusted = md.isTrusted;
    assert.ok(typeof trusted === 'object' && trusted !== null, 'trusted for named commands only');
    assert.deepEqual([...(trusted as { enabledCommands: readonly string[] }).enabledCommands].sort(), ['policyCite.insertClaimCitation', 'policyCite.openClaim']);
  });

  it('on an alias resolves the metonym (Tashkent → Uzbekistan)', async () => {
    const { document } = await openMemo();
    const { text } = await hoverAt(document, positionOf(document, 'engage Tashkent', 8));
    assert.match(text, /\*\*Uzbekistan\*\*/);
    assert.match(text, /Tashkent/);
  });

  it('on a citation shows the source and the cited paragraph', async () => {
    const { document } = await openMemo();
    const { text } = await hoverAt(document, positionOf(document, '[@golts2012, para. 2]', 3));
    assert.match(text, /The Collapsing CSTO/);
    assert.match(text, /Alexander Golts/);
    assert.match(text, /The Moscow Times/);
    assert.match(text, /Two weeks ago, Uzbekistan gave notice/);
    assert.doesNotMatch(text, /out of range/);
  });
});

describe('go to definition', () => {
  const definitionsAt = async (doc: vscode.TextDocument, position: vscode.Position): Promise<Array<vscode.Location | vscode.LocationLink>> =>
    (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, position)) ?? [];

  it('on a citation goes to the cited paragraph of the source', async () => {
    const { document } = await openMemo();
    const [link, ...rest] = await definitionsAt(document, positionOf(document, '[@golts2012, para. 2]', 4));
    assert.equal(rest.length, 0);
    assert.ok(link && 'targetUri' in link, 'a LocationLink');
    assert.match(link.targetUri.path, /sources\/golts-2012-the-collapsing-csto\.md$/);
    assert.equal(document.getText(link.originSelectionRange), '@golts2012, para. 2');
    const source = await vscode.workspace.openTextDocument(link.targetUri);
    assert.match(source.getText(link.targetRange), /^Two weeks ago, Uzbekistan gave notice/);
    assert.ok(link.targetSelectionRange?.isEqual(link.targetRange), 'the paragraph is selected');
  });

  it('on a citation of a paragraph the source does not have goes to its start; an unknown key goes nowhere', async () => {
    const editor = await openMemo();
    const { document } = editor;
    const [link] = await definitionsAt(document, positionOf(document, '[@golts2012, para. 17]', 4));
    assert.ok(link && 'targetUri' in link, 'a LocationLink');
    assert.ok(link.targetRange.start.isEqual(new vscode.Position(0, 0)));
    await editor.edit((b) => b.insert(document.positionAt(document.getText().length), '\nRussia left in 2012 [@nosuchkey2099].\n'));
    assert.deepEqual(await definitionsAt(document, positionOf(document, '@nosuchkey2099', 3)), []);
    assert.deepEqual(await definitionsAt(document, positionOf(document, 'Russia left in 2012', 2)), []);
    await vscode.commands.executeCommand('undo');
  });

  it('on a citation of paragraphs goes to each range of them, whole', async () => {
    const editor = await openMemo();
    const { document } = editor;
    await editor.edit((b) => b.insert(document.positionAt(document.getText().length), '\nUzbekistan left, and Tajikistan raised the rent [@golts2012, paras. 2-3, 5].\n'));
    try {
      const links = await eventually(async () => {
        const found = await definitionsAt(document, positionOf(document, '[@golts2012, paras. 2-3, 5]', 4));
        return found.length > 0 ? found : undefined;
      }, 'the definitions of the range');
      assert.equal(links.length, 2);
      const source = await vscode.workspace.openTextDocument((links[0] as vscode.LocationLink).targetUri);
      const [range, single] = links.map((l) => source.getText((l as vscode.LocationLink).targetRange));
      assert.match(range, /^Two weeks ago, Uzbekistan gave notice[\s\S]*\n\n[\s\S]*\.$/);
      assert.ok(range.includes('Karshi-Khanabad'), 'paragraph 3 is in the range');
      assert.doesNotMatch(single, /Two weeks ago/);
    } finally {
      await vscode.commands.executeCommand('undo');
    }
  });
});

describe('find all references', () => {
  const referencesAt = async (doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Location[]> =>
    (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, position)) ?? [];
  const keysIn = async (locations: vscode.Location[], uri: vscode.Uri): Promise<string[]> => {
    const doc = await vscode.workspace.openTextDocument(uri);
    return locations.filter((l) => l.uri.toString() === uri.toString()).map((l) => doc.getText(l.range));
  };

  it('on a citation lists the citations of its source in every memo, open or not, and the source', async () => {
    const { document } = await openMemo();
    const other = vscode.Uri.joinPath(folder(), 'notes', 'other.md');
    await vscode.workspace.fs.writeFile(other, Buffer.from('# Notes\n\nTajikistan raised the rent in 2012 [@golts2012, para. 2].\n\n```\n[@golts2012] in code is no citation\n```\n'));
    try {
      const locations = await referencesAt(document, positionOf(document, '[@golts2012, para. 2]', 4));
      // (VS Code's Markdown support adds the same range for bracketed citations alike: the results merge.)
      const inMemo = await keysIn(locations, document.uri);
      const cited = [...document.getText().matchAll(/@golts2012(?:, para\. \d+)?/g)].map((m) => m[0]);
      assert.ok(cited.length >= 5, `${cited.length} citations in memo.md`);
      assert.deepEqual(inMemo, cited, locations.map((l) => `${l.uri.toString()} ${l.range.start.line}:${l.range.start.character}`).join('\n'));
      assert.deepEqual(await keysIn(locations, other), ['@golts2012, para. 2']);
      const source = locations.find((l) => /sources\/golts-2012-the-collapsing-csto\.md$/.test(l.uri.path));
      assert.ok(source, 'the source itself (the declaration)');
      assert.ok(source.range.start.isEqual(new vscode.Position(0, 0)));

      // From the source file: the same citations.
      const sourceDoc = await vscode.workspace.openTextDocument(source.uri);
      const fromSource = await referencesAt(sourceDoc, new vscode.Position(12, 5));
      assert.deepEqual(await keysIn(fromSource, document.uri), cited);
      assert.deepEqual(await keysIn(fromSource, other), ['@golts2012, para. 2']);
    } finally {
      await vscode.workspace.fs.delete(other);
    }
  });

  it('outside a citation of a memo finds nothing', async () => {
    const { document } = await openMemo();
    assert.deepEqual(await referencesAt(document, positionOf(document, 'Karimov skipped', 2)), []);
  });
});

describe('rename a citation key', () => {
  it('renames a source’s key in every memo, in its front matter and in the memos’ bibliographies, and the index takes the new key', async function () {
    this.timeout(90_000);
    const exports = await api();
    const memoUri = vscode.Uri.joinPath(folder(), 'rename-memo.md');
    const refsUri = vscode.Uri.joinPath(folder(), 'rename-refs.json');
    const sourceUri = vscode.Uri.joinPath(folder(), 'sources', 'golts-2012-the-collapsing-csto.md');
    const original = await vscode.workspace.fs.readFile(sourceUri);
    const memoText =
      '---\nbibliography: rename-refs.json\nreferences:\n- id: golts2012\n  title: The Collapsing CSTO\n---\n\n' +
      'Tajikistan raised the rent to $230 million [@golts2012, para. 2]. Uzbekistan left [see @{golts2012}, para. 2; @other2020].\n\n' +
      '@golts2012 [para. 3] recalls the base at Karshi-Khanabad.\n';
    const refsText = '[\n  { "id": "other2020", "type": "book", "title": "Other" },\n  { "id": "golts2012", "type": "article-newspaper", "title": "The Collapsing CSTO" }\n]\n';
    await vscode.workspace.fs.writeFile(memoUri, new TextEncoder().encode(memoText));
    await vscode.workspace.fs.writeFile(refsUri, new TextEncoder().encode(refsText));
    const renameAt = async (doc: vscode.TextDocument, position: vscode.Position, to: string): Promise<void> => {
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, position, to);
      assert.ok(edit && edit.size > 0, `a rename to ${to}`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      // Saved, as VS Code saves the files a rename changed (files.refactoring.autoSave).
      for (const [uri] of edit.entries()) await (await vscode.workspace.openTextDocument(uri)).save();
    };
    try {
      const doc = await vscode.workspace.openTextDocument(memoUri);
      await vscode.window.showTextDocument(doc);
      await eventually(() => exports.diagnostics.collection.get(memoUri), 'the memo to be checked');
      // On the key: its range and the key, of a source or of a work only the bibliography has.
      const at = positionOf(doc, '[@golts2012, para. 2]', 4);
      const prepared = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>('vscode.prepareRename', memoUri, at);
      assert.equal(doc.getText(prepared.range), 'golts2012');
      assert.equal(prepared.placeholder, 'golts2012');
      const work = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>('vscode.prepareRename', memoUri, positionOf(doc, '@other2020', 3));
      assert.equal(work.placeholder, 'other2020');
      // A name that is no key, or a key taken, changes nothing (and says why).
      for (const to of ['has space', 'other2020']) {
        const none = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', memoUri, at, to);
        assert.equal(none.size, 0, to);
      }
      const workEdit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', memoUri, positionOf(doc, '@other2020', 3), 'other2021');
      assert.deepEqual(
        workEdit.entries().map(([uri, edits]) => [vscode.workspace.asRelativePath(uri, false), edits.map((e) => e.newText)]).sort(),
        [['rename-memo.md', ['other2021']], ['rename-refs.json', ['"other2021"']]],
      );

      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', memoUri, at, '@golts2012x');
      const files = new Map(edit.entries().map(([uri, edits]) => [vscode.workspace.asRelativePath(uri, false), edits]));
      assert.equal(files.get('rename-memo.md')?.length, 4, 'three citations and the inline reference');
      assert.deepEqual(files.get('rename-refs.json')?.map((e) => e.newText), ['"golts2012x"']);
      assert.deepEqual(files.get('sources/golts-2012-the-collapsing-csto.md')?.map((e) => e.newText), ['---\ncitation-key: golts2012x\n---\n\n']);

      await renameAt(doc, at, '@golts2012x');
      assert.equal(
        doc.getText(),
        memoText.replace('- id: golts2012', '- id: golts2012x').replace('[@golts2012,', '[@golts2012x,').replace('@{golts2012}', '@{golts2012x}').replace('\n@golts2012 [', '\n@golts2012x ['),
      );
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(refsUri)), refsText.replace('"id": "golts2012"', '"id": "golts2012x"'));
      // The index takes the key the source's front matter now gives, and the memo's citations resolve.
      await eventually(() => exports.workspace.index.source('golts2012x'), 'the source indexed as @golts2012x');
      assert.equal(exports.workspace.index.source('golts2012'), undefined);
      await eventually(() => {
        const found = exports.diagnostics.collection.get(memoUri);
        return found && !found.some((d) => codeOf(d) === 'unknown-citation-key' && doc.getText(d.range).startsWith('golts2012')) ? true : undefined;
      }, 'no unknown key in the memo');

      // And back.
      await renameAt(doc, positionOf(doc, '[@golts2012x, para. 2]', 4), 'golts2012');
      await eventually(() => exports.workspace.index.source('golts2012'), 'the source indexed as @golts2012 again');
      assert.equal(doc.getText(), memoText);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(memoUri);
      await vscode.workspace.fs.delete(refsUri);
      await vscode.workspace.fs.writeFile(sourceUri, original);
    }
    await eventually(() => (exports.workspace.index.source('golts2012')?.meta.keyGiven !== true) || undefined, 'the source as it was');
  });
});

describe('paragraph numbers in a source', () => {
  const sourceUri = (): vscode.Uri => vscode.Uri.joinPath(folder(), 'sources', 'golts-2012-the-collapsing-csto.md');
  const hintsIn = async (doc: vscode.TextDocument): Promise<vscode.InlayHint[]> =>
    (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0))) ?? [];
  const labelOf = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

  it('shows ¶N at the start of each body paragraph, and follows unsaved edits', async () => {
    const doc = await vscode.workspace.openTextDocument(sourceUri());
    const editor = await vscode.window.showTextDocument(doc);
    // (Once the index has the source, and the document and the index have the file as the rename
    // test left it on disk: both follow a write to it a little later.)
    const hints = await eventually(async () => {
      const found = await hintsIn(doc);
      return found.length === 13 && found[0].position.isEqual(positionOf(doc, 'The Collective Security Treaty Organization')) && found;
    }, 'the hints at the paragraphs of the source as it is');
    assert.deepEqual(hints.map(labelOf), Array.from({ length: 13 }, (_, i) => `¶${i + 1}`));
    assert.ok(hints[1].position.isEqual(positionOf(doc, 'Two weeks ago, Uzbekistan gave notice')));
    assert.match(String(hints[1].tooltip), /cite it as \[@golts2012, para\. 2\]/);
    // A paragraph typed before the first: the numbers move with it before the file is saved.
    await editor.edit((b) => b.insert(positionOf(doc, 'The Collective Security Treaty Organization'), 'A new first paragraph.\n\n'));
    const edited = await hintsIn(doc);
    assert.equal(edited.length, 14);
    assert.ok(edited[1].position.isEqual(positionOf(doc, 'The Collective Security Treaty Organization')));
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.isDirty, false);
  });

  it('are off with policyCite.paragraphNumbers: false, and none in a memo', async () => {
    const config = vscode.workspace.getConfiguration('policyCite');
    await config.update('paragraphNumbers', false, vscode.ConfigurationTarget.Workspace);
    try {
      assert.deepEqual(await hintsIn(await vscode.workspace.openTextDocument(sourceUri())), []);
    } finally {
      await config.update('paragraphNumbers', undefined, vscode.ConfigurationTarget.Workspace);
    }
    assert.equal((await hintsIn(await vscode.workspace.openTextDocument(sourceUri()))).length, 13);
    const { document } = await openMemo();
    assert.deepEqual(await hintsIn(document), []);
  });
});

describe('diagnostics of the example memo', () => {
  it('reports each rule at the right range', async () => {
    const { document } = await openMemo();
    const diagnostics = await eventually(() => {
      const d = policyDiagnostics(document.uri);
      return d.some((x) => codeOf(x) === 'number-mismatch') ? d : undefined;
    }, 'policy-cite diagnostics');
    const byCode = (code: string) => diagnostics.filter((d) => codeOf(d) === code).map((d) => document.getText(d.range));
    const unsourced = byCode('unsourced-claim');
    assert.ok(unsourced.includes('Uzbekistan offered the United States the use of Karshi-Khanabad as a military base in 2001.'), unsourced.join('\n'));
    assert.ok(unsourced.includes('Uzbek forces killed several hundred protesters in Andijan in 2005.'));
    assert.deepEqual(byCode('number-mismatch'), ['$320 million']);
    assert.deepEqual(byCode('locator-out-of-range'), ['@golts2012, para. 17']);
    assert.equal(byCode('quote-not-in-source').length, 1);
    assert.equal(byCode('attribution-needed').length, 1);
    const locator = diagnostics.find((d) => codeOf(d) === 'locator-out-of-range');
    assert.equal(locator?.severity, vscode.DiagnosticSeverity.Warning);
    const target = locator && typeof locator.code === 'object' ? locator.code.target.toString() : '';
    assert.match(target, /README\.md#rule-locator-out-of-range$/);
  });

  it('updates as the user types', async () => {
    const editor = await openMemo();
    const doc = editor.document;
    const line = 'Turkmenistan exported 40 billion cubic meters of gas to China in 2019.\n';
    const at = positionOf(doc, '# Recommendations');
    await editor.edit((b) => b.insert(at, line));
    await eventually(() => policyDiagnostics(doc.uri).some((d) => doc.getText(d.range) === line.trim()), 'a diagnostic for the typed sentence');
    await vscode.commands.executeCommand('undo');
    await eventually(() => !policyDiagnostics(doc.uri).some((d) => d.message && doc.getText(d.range).startsWith('Turkmenistan')), 'the diagnostic to go');
  });

  it('follow policyCite.rules, and the entries it ignores are named in a warning', async () => {
    const exports = await api();
    const { document } = await openMemo();
    const settings = vscode.workspace.getConfiguration('policyCite');
    await settings.update('rules', { 'locator-out-of-range': 'error', 'no-such-rule': 'error', 'unsourced-claim': 'loud' }, vscode.ConfigurationTarget.Workspace);
    try {
      await eventually(() => exports.ruleWarnings.problems.length === 2, 'the warnings');
      assert.deepEqual(exports.ruleWarnings.problems, [
        'policyCite.rules: unknown rule "no-such-rule"; ignored',
        'policyCite.rules: unsourced-claim: severity must be one of error, warning, information, hint, off; ignored',
      ]);
      // The valid entry applies; the ignored one leaves its rule as it was.
      await eventually(() => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'locator-out-of-range')?.severity === vscode.DiagnosticSeverity.Error, 'the locator finding as an error');
      assert.ok(policyDiagnostics(document.uri).some((d) => codeOf(d) === 'unsourced-claim' && d.severity === vscode.DiagnosticSeverity.Warning));
    } finally {
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await eventually(() => exports.ruleWarnings.problems.length === 0, 'no warnings once the setting is gone');
    await eventually(() => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'locator-out-of-range')?.severity === vscode.DiagnosticSeverity.Warning, 'the locator finding as a warning again');
  });
});

describe("a memo's bibliography file", () => {
  it('holds known keys from the first check on, and is read again when it changes', async () => {
    const exports = await api();
    const files = {
      'library.bib': '@book{smith2020,\n  title = {A Book},\n  author = {Smith, Jane},\n  year = 2020,\n}\n',
      'book-memo.md': '---\nbibliography: library.bib\n---\n\nUzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2; @nobody2001].\n',
    };
    await inMemoFolder('bibliography-notes', files, 'book-memo.md', async (doc, dir) => {
      const bib = vscode.Uri.joinPath(dir, 'library.bib');
      await eventually(() => exports.diagnostics.published(doc, true), 'the memo to be checked');
      assert.deepEqual(unknownKeys(doc), ['nobody2001']);
      // (Markdown: the entry's text is escaped.)
      assert.match((await hoverAt(doc, positionOf(doc, '@smith2020', 2))).text.replace(/\\/g, ''), /Cited from the bibliography[^]*Smith \(2020\)\. A Book/);
      assert.match((await hoverAt(doc, positionOf(doc, '@nobody2001', 2))).text, /Unknown citation key/);
      // Key completion offers the sources, then the bibliography's other works, each with who wrote it, when, and its title.
      const keyPos = positionOf(doc, '@smith2020', 1);
      const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, keyPos, '@');
      const labels = completions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('golts2012') && labels.includes('smith2020') && !labels.includes('nobody2001'), labels.join(', '));
      const work = completions.items.find((i) => typeof i.label !== 'string' && i.label.label === 'smith2020');
      assert.equal(typeof work?.label === 'string' ? undefined : work?.label.description, 'Smith (2020). A Book');
      const resolvedWorks = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, keyPos, '@', completions.items.length);
      const workShown = resolvedWorks.items.find((i) => typeof i.label !== 'string' && i.label.label === 'smith2020');
      assert.match(String(workShown?.detail), /^In the memo's bibliography; no source in the workspace/);
      // Go to Definition goes to the entry in the file.
      const [link, ...others] = (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, '@smith2020', 2))) ?? [];
      assert.equal(others.length, 0);
      assert.ok(link && 'targetUri' in link, 'a LocationLink');
      assert.equal(link.targetUri.toString(), bib.toString());
      assert.deepEqual([link.targetRange.start.line, link.targetRange.start.character, link.targetRange.end.character], [0, 6, 15]);
      assert.deepEqual(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, '@nobody2001', 2)), []);
      // On the file's name in the front matter: the file.
      const [file, ...moreFiles] = (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'library.bib', 3))) ?? [];
      assert.equal(moreFiles.length, 0);
      assert.ok(file && 'targetUri' in file, 'a LocationLink to the bibliography');
      assert.equal(file.targetUri.toString(), bib.toString());
      assert.equal(doc.getText(file.originSelectionRange), 'library.bib');
      // Find All References gives the entry and the citation.
      const references = (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, positionOf(doc, '@smith2020', 2))) ?? [];
      const where = [...new Set(references.map((r) => `${r.uri.path.split('/').pop()}:${r.range.start.line}:${r.range.start.character}`))].sort();
      assert.deepEqual(where, ['book-memo.md:4:34', 'library.bib:0:6'], JSON.stringify(where));
      // An inline reference's entry is in the memo's front matter.
      const inline = await vscode.workspace.openTextDocument({ language: 'markdown', content: '---\nreferences:\n- type: book\n  id: roe2018\n---\n\nRussia vetoed it [@roe2018].\n' });
      const [own] = (await vscode.commands.executeCommand<vscode.LocationLink[]>('vscode.executeDefinitionProvider', inline.uri, positionOf(inline, '@roe2018', 2))) ?? [];
      assert.equal(own?.targetUri.toString(), inline.uri.toString());
      assert.equal(inline.getText(own.targetRange), 'roe2018');
      assert.equal(own.targetRange.start.line, 3);
      // A new title alone is shown once read (the memo needs no check for it).
      await writeText(bib, '@book{smith2020,\n  title = {A Better Book},\n  author = {Smith, Jane},\n  year = 2020,\n}\n');
      await eventually(async () => /A Better Book/.test((await hoverAt(doc, positionOf(doc, '@smith2020', 2))).text), 'the new title in the hover');
      // The entry leaves the file: its key is unknown; back in it, known again.
      await writeText(bib, '@book{doe2019,\n  title = {Another},\n}\n');
      await eventually(() => unknownKeys(doc).includes('smith2020'), 'smith2020 to be unknown');
      assert.deepEqual(unknownKeys(doc).sort(), ['nobody2001', 'smith2020']);
      await writeText(bib, '@book{smith2020,\n  title = {A Book},\n}\n@book{nobody2001,\n}\n');
      await eventually(() => unknownKeys(doc).length === 0 || undefined, 'every key to be known');
    });
  });
});

describe('a memo in a Quarto project', () => {
  it("has the bibliography its project's _quarto.yml names, and a fix that keeps it when adding references.json", async () => {
    const exports = await api();
    const files = {
      '_quarto.yml': 'project:\n  type: book\nbibliography: library.bib\n',
      'library.bib': '@book{smith2020,\n  title = {A Book},\n  author = {Smith, Jane},\n  year = 2020,\n}\n',
      'chapters/one.qmd': '---\ntitle: One\n---\n\nUzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n',
    };
    await inMemoFolder('quarto-book', files, 'chapters/one.qmd', async (doc, dir) => {
      const missing = (): vscode.Diagnostic[] => policyDiagnostics(doc.uri).filter((d) => codeOf(d) === 'missing-bibliography-entry');
      // From the first check on, smith2020 is a work of the project's library, which lacks the source.
      await eventually(() => exports.diagnostics.published(doc, true), 'the memo to be checked');
      assert.deepEqual(unknownKeys(doc), []);
      const found = await eventually(() => missing().length === 1 && missing(), 'golts2012 missing from the bibliography');
      assert.equal(doc.getText(found[0].range), 'golts2012');
      assert.match((await hoverAt(doc, positionOf(doc, '@smith2020', 2))).text.replace(/\\/g, ''), /Cited from the bibliography[^]*Smith \(2020\)\. A Book/);
      // The fix writes references.json beside the memo, named as a list, which Quarto joins to the
      // project's library (a single name would replace it); the library is not touched.
      const add = (await quickFixes(doc, found[0].range)).find((a) => a.title === "Add @golts2012 to the memo's bibliography");
      assert.ok(add?.edit);
      assert.ok(await vscode.workspace.applyEdit(add.edit));
      assert.equal(doc.getText(), '---\ntitle: One\nbibliography: [references.json]\n---\n\nUzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n');
      const written = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(dir, 'chapters', 'references.json'));
      assert.deepEqual((JSON.parse(written.getText()) as { id: string }[]).map((e) => e.id), ['golts2012']);
      assert.equal(await readFileText(vscode.Uri.joinPath(dir, 'library.bib')), files['library.bib']);
      await eventually(() => missing().length === 0 && unknownKeys(doc).length === 0, 'no finding once the entry is in');
      // The "check memos" task reads the project of a memo not open, in a folder not looked at yet.
      const appendix = vscode.Uri.joinPath(dir, 'appendix', 'two.qmd');
      await writeText(appendix, '---\ntitle: Two\n---\n\nUzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n');
      await checkAllMemos();
      const checked = await eventually(() => policyDiagnostics(appendix).length > 0 && policyDiagnostics(appendix), "the task's problems of the closed memo");
      assert.deepEqual(checked.map((d) => `${codeOf(d)} ${d.message.split(' ')[0]}`), ['missing-bibliography-entry "golts2012"']);
      // The project file changes on disk: naming no bibliography, smith2020 is unknown.
      await writeText(vscode.Uri.joinPath(dir, '_quarto.yml'), 'project:\n  type: book\n');
      await eventually(() => unknownKeys(doc).includes('smith2020'), 'smith2020 to be unknown once the project names no library');
      await vscode.window.showTextDocument(written);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });
  it("has the bibliography of its folder's _metadata.yml merged after the project's, and follows it on disk", async () => {
    const exports = await api();
    const files = {
      '_quarto.yml': 'project:\n  type: book\nbibliography: library.bib\n',
      'library.bib': '@book{smith2020,\n  title = {A Book},\n}\n',
      'chapters/_metadata.yml': 'bibliography: [extra.json]\n',
      'chapters/extra.json': '[{ "id": "golts2012", "type": "article" }]\n',
      'chapters/one.qmd': '---\ntitle: One\n---\n\nUzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n',
    };
    await inMemoFolder('quarto-metadata', files, 'chapters/one.qmd', async (doc, dir) => {
      const metadata = vscode.Uri.joinPath(dir, 'chapters', '_metadata.yml');
      const codes = (): string[] => policyDiagnostics(doc.uri).map((d) => codeOf(d));
      // Both files are the memo's bibliography: smith2020 known, golts2012 not missing from it.
      await eventually(() => exports.diagnostics.published(doc, true) && exports.analysis.checkOptions(doc, exports.analysis.draft(doc)).options.bibliographyComplete === true, 'the memo checked with its bibliography read');
      assert.deepEqual(codes(), []);
      // A single name replaces the project's library: smith2020 is unknown.
      await writeText(metadata, 'bibliography: extra.json\n');
      await eventually(() => unknownKeys(doc).includes('smith2020'), 'smith2020 unknown once the folder names a single file');
      // A file it names that is not there: flagged in _metadata.yml, at its name.
      await writeText(metadata, 'bibliography: [extra.json, gone.json]\n');
      const [gone] = await eventually(() => policyDiagnostics(metadata).length === 1 && policyDiagnostics(metadata), 'the missing file flagged in _metadata.yml');
      assert.equal(codeOf(gone), 'missing-bibliography-file');
      assert.deepEqual([gone.range.start.line, gone.range.start.character, gone.range.end.character], [0, 27, 36]);
      await eventually(() => unknownKeys(doc).length === 0, 'smith2020 known again with the list');
      // Without the project, Quarto reads no _metadata.yml: its diagnostics go.
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(dir, '_quarto.yml'));
      await eventually(() => policyDiagnostics(metadata).length === 0, "the _metadata.yml's diagnostics gone with the project");
    });
  });

  it('has the files its project names that are missing or cannot be read flagged in _quarto.yml, at their names', async () => {
    await api();
    const files = {
      '_quarto.yml': 'project:\n  type: book\nbibliography:\n  - library.bib\n  - extra.json\n',
      'library.bib': '@book{smith2020,\n  title = {A Book},\n}\n',
      'chapters/one.qmd': '---\ntitle: One\n---\n\nUzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n',
    };
    await inMemoFolder('quarto-broken', files, 'chapters/one.qmd', async (doc, dir) => {
      const project = vscode.Uri.joinPath(dir, '_quarto.yml');
      const extra = vscode.Uri.joinPath(dir, 'extra.json');
      const projectText = files['_quarto.yml'];
      const flagged = (): string[] =>
        policyDiagnostics(project).map((d) => {
          const start = projectText.split('\n').slice(0, d.range.start.line).join('\n').length + 1 + d.range.start.character;
          return `${codeOf(d)} ${projectText.slice(start, start + d.range.end.character - d.range.start.character)} ${d.message}`;
        });
      // The file that is not there: quarto render stops at it; the memo has no finding of it.
      await eventually(() => flagged().length === 1, 'the missing file flagged in _quarto.yml');
      assert.deepEqual(flagged(), ['missing-bibliography-file extra.json The bibliography file "extra.json" named here does not exist: quarto render stops at it.']);
      assert.equal(policyDiagnostics(project)[0].severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(!policyDiagnostics(doc.uri).some((d) => codeOf(d).endsWith('-bibliography-file')));
      // There but not valid JSON; then mended.
      await writeText(extra, '[{ "id": "x", not JSON');
      await eventually(() => flagged()[0]?.startsWith('unreadable-bibliography-file extra.json The bibliography file "extra.json" named here cannot be read: not valid JSON. quarto render stops at it.'), 'the unreadable file flagged');
      await writeText(extra, '[]\n');
      await eventually(() => flagged().length === 0, 'no diagnostic once the file can be read');
      // Missing again, then the project file gone: its diagnostics go with it.
      await vscode.workspace.fs.delete(extra);
      await eventually(() => flagged().length === 1, 'the missing file flagged again');
      await vscode.workspace.fs.delete(project);
      await eventually(() => policyDiagnostics(project).length === 0, "the project file's diagnostics gone with it");
    });
  });
});

describe("a memo's bibliography that lacks a cited source", () => {
  it('is flagged at each citation, and the quick fix adds the entry in one undoable edit', async () => {
    await api();
    const files = {
      'references.json': '[\n  {\n    "id": "smith2020",\n    "type": "book",\n    "title": "A Book"\n  }\n]\n',
      'lacking-memo.md': '---\nbibliography: references.json\n---\n\nUzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n\nIt did so before, in 1999 [@golts2012, para. 3].\n',
    };
    await inMemoFolder('bibliography-lacking', files, 'lacking-memo.md', async (doc, dir) => {
      const bib = vscode.Uri.joinPath(dir, 'references.json');
      const missing = (): vscode.Diagnostic[] => policyDiagnostics(doc.uri).filter((d) => codeOf(d) === 'missing-bibliography-entry');
      const found = await eventually(() => missing().length === 2 && missing(), 'a missing-bibliography-entry diagnostic at each citation of golts2012');
      assert.deepEqual(found.map((d) => doc.getText(d.range)), ['golts2012', 'golts2012']);
      assert.equal(found[0].severity, vscode.DiagnosticSeverity.Warning);
      assert.match(found[0].message, /"golts2012" is not in the memo's bibliography: pandoc --citeproc will not find it/);
      const memoBefore = doc.getText();
      const actions = await quickFixes(doc, found[0].range);
      const add = actions.find((a) => a.title === "Add @golts2012 to the memo's bibliography");
      assert.ok(add?.edit, actions.map((a) => a.title).join('\n'));
      assert.equal(add.isPreferred, true);
      // (One source lacking: no action for all of them.)
      assert.ok(!actions.some((a) => a.title.startsWith('Add the ')), actions.map((a) => a.title).join('\n'));
      assert.ok(await vscode.workspace.applyEdit(add.edit));
      // The entry is merged into the file, the one already there kept; the memo is not touched.
      const bibDoc = await vscode.workspace.openTextDocument(bib);
      assert.deepEqual((JSON.parse(bibDoc.getText()) as { id: string }[]).map((e) => e.id), ['smith2020', 'golts2012']);
      assert.equal(doc.getText(), memoBefore);
      await eventually(() => missing().length === 0, 'the diagnostics to go once the entry is in');
      // One undo takes the entry out again, and the diagnostics come back.
      await vscode.window.showTextDocument(bibDoc);
      await vscode.commands.executeCommand('undo');
      assert.equal(bibDoc.getText(), files['references.json']);
      await eventually(() => missing().length === 2, 'the diagnostics back after the undo');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.window.showTextDocument(doc);
    });
  });

  it('adds every cited source the bibliography lacks in one undoable edit, when there are several', async () => {
    const exports = await api();
    const second = vscode.Uri.joinPath(folder(), 'sources', 'lacking-second.md');
    await writeText(second, '---\ntitle: Rent and Bases\nauthor: Ann Lee\ndate: 2013-01-01\ncitation-key: lee2013rent\n---\n\nTajikistan raised the rent for the Russian base in 2012.\n');
    try {
      await eventually(() => exports.workspace.index.source('lee2013rent'), 'the second source indexed');
      const files = {
        'references.json': '[]\n',
        'several-memo.md': '---\nbibliography: references.json\n---\n\nUzbekistan left the CSTO in 2012 [@golts2012, para. 2].\n\nTajikistan raised the rent in 2012 [@lee2013rent].\n',
      };
      await inMemoFolder('bibliography-several', files, 'several-memo.md', async (doc, dir) => {
        const missing = (): vscode.Diagnostic[] => policyDiagnostics(doc.uri).filter((d) => codeOf(d) === 'missing-bibliography-entry');
        const found = await eventually(() => missing().length === 2 && missing(), 'both citations flagged');
        assert.deepEqual(found.map((d) => doc.getText(d.range)), ['golts2012', 'lee2013rent']);
        const actions = await quickFixes(doc, found[1].range);
        const titles = actions.map((a) => a.title).join('\n');
        assert.ok(actions.some((a) => a.title === "Add @lee2013rent to the memo's bibliography"), titles);
        const all = actions.find((a) => a.title === "Add the 2 cited sources it lacks to the memo's bibliography");
        assert.ok(all?.edit, titles);
        // Asked over both citations: each one's fix, and the fix for all of them once.
        const both = (await quickFixes(doc, new vscode.Range(found[0].range.start, found[1].range.end))).map((a) => a.title);
        assert.deepEqual(both.filter((t) => t.startsWith('Add ')).sort(), ["Add @golts2012 to the memo's bibliography", "Add @lee2013rent to the memo's bibliography", "Add the 2 cited sources it lacks to the memo's bibliography"], both.join('\n'));
        assert.ok(await vscode.workspace.applyEdit(all.edit));
        const bibDoc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(dir, 'references.json'));
        assert.deepEqual((JSON.parse(bibDoc.getText()) as { id: string }[]).map((e) => e.id).sort(), ['golts2012', 'lee2013rent']);
        await eventually(() => missing().length === 0, 'both diagnostics to go');
        await vscode.window.showTextDocument(bibDoc);
        await vscode.commands.executeCommand('undo');
        assert.equal(bibDoc.getText(), '[]\n');
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        await vscode.window.showTextDocument(doc);
      });
    } finally {
      await vscode.workspace.fs.delete(second);
      await eventually(() => !exports.workspace.index.source('lee2013rent'), 'the second source out of the index');
    }
  });

  it('of a BibTeX library alone: the fix names references.json beside it and writes the entry there, in one undoable edit', async () => {
    await api();
    const files = {
      'library.bib': '@book{smith2020,\n  title = {A Book},\n}\n',
      'bibtex-memo.md': '---\ntitle: BibTeX\nbibliography: library.bib\n---\n\nUzbekistan left the CSTO in 2012 [@smith2020, p. 4; @golts2012, para. 2].\n',
    };
    await inMemoFolder('bibliography-bibtex', files, 'bibtex-memo.md', async (doc, dir) => {
      const bib = vscode.Uri.joinPath(dir, 'references.json');
      const missing = (): vscode.Diagnostic[] => policyDiagnostics(doc.uri).filter((d) => codeOf(d) === 'missing-bibliography-entry');
      const [found] = await eventually(() => missing().length === 1 && missing(), 'golts2012 flagged: the library is read whole and lacks it');
      const add = (await quickFixes(doc, found.range)).find((a) => a.title === "Add @golts2012 to the memo's bibliography");
      assert.ok(add?.edit, 'the fix is offered (policy-cite writes no BibTeX, so it adds a CSL-JSON file)');
      assert.ok(await vscode.workspace.applyEdit(add.edit));
      // pandoc reads both files of the list; the library is untouched.
      assert.equal(doc.getText(), files['bibtex-memo.md'].replace('bibliography: library.bib', 'bibliography: [library.bib, references.json]'));
      assert.deepEqual((JSON.parse((await vscode.workspace.openTextDocument(bib)).getText()) as { id: string }[]).map((e) => e.id), ['golts2012']);
      assert.equal(await readFileText(vscode.Uri.joinPath(dir, 'library.bib')), files['library.bib']);
      await eventually(() => missing().length === 0 && unknownKeys(doc).length === 0, 'golts2012 in the bibliography, smith2020 still known');
      // One undo in the memo takes both the front matter's change and the new file away.
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      await eventually(() => doc.getText() === files['bibtex-memo.md'], 'the front matter restored by one undo');
      await eventually(async () => (await readFileText(bib)) === undefined, 'the created file removed by the same undo');
      await eventually(() => missing().length === 1, 'the diagnostic back after the undo');
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });

  it('is not flagged while no bibliography file is there yet, or while one cannot be read, which is flagged at its name', async () => {
    const exports = await api();
    const files = { 'new-memo.md': '---\nbibliography: [not-yet.json, other.json]\n---\n\nUzbekistan left the CSTO in 2012 [@golts2012, para. 2; @nobody2001].\n' };
    await inMemoFolder('bibliography-not-yet', files, 'new-memo.md', async (doc, dir) => {
      const missing = (): number => policyDiagnostics(doc.uri).filter((d) => codeOf(d) === 'missing-bibliography-entry').length;
      const filesMissing = (): string[] => policyDiagnostics(doc.uri).filter((d) => codeOf(d) === 'missing-bibliography-file').map((d) => doc.getText(d.range));
      const complete = (): boolean | undefined => exports.analysis.checkOptions(doc, exports.analysis.draft(doc)).options.bibliographyComplete;
      await eventually(() => exports.diagnostics.published(doc, true), 'the memo to be checked');
      // (The memo was checked with its bibliography read: the key no source has is unknown.)
      assert.deepEqual(unknownKeys(doc), ['nobody2001']);
      assert.equal(missing(), 0);
      assert.equal(complete(), false);
      // Each file that is not there is flagged at its name (pandoc --citeproc stops at it).
      assert.deepEqual(filesMissing(), ['not-yet.json', 'other.json']);
      // One file written (empty), the other still not there: the bibliography is known whole, and lacks the source.
      await writeText(vscode.Uri.joinPath(dir, 'not-yet.json'), '[]\n');
      await eventually(() => missing() === 1, 'the citation of golts2012 flagged once a file is there');
      assert.deepEqual(filesMissing(), ['other.json']);
      // The other one unreadable: nothing is known of what it holds, and it is flagged at its
      // name, saying why without quoting it (pandoc --citeproc stops at it too).
      const other = vscode.Uri.joinPath(dir, 'other.json');
      const unreadable = (): vscode.Diagnostic[] => policyDiagnostics(doc.uri).filter((d) => codeOf(d) === 'unreadable-bibliography-file');
      await writeText(other, '[{ "id": "golts2012", not JSON');
      await eventually(() => complete() === false && missing() === 0 && unreadable().length === 1, 'the unreadable file flagged, no missing entry');
      const [broken] = unreadable();
      assert.equal(doc.getText(broken.range), 'other.json');
      assert.equal(broken.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(broken.message, 'The bibliography file "other.json" named here cannot be read: not valid JSON. pandoc --citeproc stops at it. Until it is, citations of works that only it holds are reported as unknown.');
      assert.deepEqual(filesMissing(), []);
      // Another reason: the finding says it (the memo is checked again though no key changed).
      await writeText(other, '{ "id": "golts2012" }\n');
      await eventually(() => unreadable()[0]?.message.startsWith('The bibliography file "other.json" named here cannot be read: not a CSL-JSON list of entries.'), 'the new reason given');
      await writeText(other, '[{ "id": "golts2012", "type": "article" }]\n');
      await eventually(() => complete() === true && exports.diagnostics.published(doc, true), 'the file read again, the memo checked');
      assert.equal(missing(), 0);
      assert.deepEqual(unknownKeys(doc), ['nobody2001']);
      assert.deepEqual(filesMissing(), []);
      assert.deepEqual(unreadable(), []);
    });
  });

  it('is flagged at its name in the front matter when it is not there, and the quick fix creates it in one undoable edit', async () => {
    await api();
    const files = { 'absent-memo.md': '---\ntitle: Absent\nbibliography: refs.json\n---\n\nUzbekistan left the CSTO in 2012 [@golts2012, para. 2].\n\nIt did so before, in 1999 [@golts2012, para. 3].\n' };
    await inMemoFolder('bibliography-absent', files, 'absent-memo.md', async (doc, dir) => {
      const bib = vscode.Uri.joinPath(dir, 'refs.json');
      const flagged = (code: string): vscode.Diagnostic[] => policyDiagnostics(doc.uri).filter((d) => codeOf(d) === code);
      const [found, ...more] = await eventually(() => flagged('missing-bibliography-file').length > 0 && flagged('missing-bibliography-file'), 'the missing file flagged');
      assert.equal(more.length, 0);
      assert.equal(doc.getText(found.range), 'refs.json');
      assert.equal(found.range.start.line, 2);
      assert.equal(found.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(found.message, /^The bibliography file "refs\.json" named here does not exist: pandoc --citeproc stops at it\./);
      assert.equal(flagged('missing-bibliography-entry').length, 0);
      // (Go to Definition has no file to go to.)
      assert.deepEqual(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, found.range.start.translate(0, 2)), []);
      const actions = await quickFixes(doc, found.range);
      const create = actions.find((a) => a.title === 'Create refs.json with the entry of @golts2012');
      assert.ok(create?.edit, actions.map((a) => a.title).join('\n'));
      assert.equal(create.isPreferred, true);
      const memoBefore = doc.getText();
      assert.ok(await vscode.workspace.applyEdit(create.edit));
      // The file holds the cited source's CSL-JSON entry; the memo is not touched.
      const bibDoc = await vscode.workspace.openTextDocument(bib);
      assert.deepEqual((JSON.parse(bibDoc.getText()) as { id: string; title: string }[]).map((e) => [e.id, e.title]), [['golts2012', 'The Collapsing CSTO']]);
      assert.equal(doc.getText(), memoBefore);
      await eventually(() => flagged('missing-bibliography-file').length === 0, 'the diagnostic to go once the file is there');
      assert.equal(flagged('missing-bibliography-entry').length, 0);
      // One undo takes the file away again, and the diagnostic comes back.
      await vscode.window.showTextDocument(bibDoc);
      await vscode.commands.executeCommand('undo');
      await eventually(async () => (await readFileText(bib)) === undefined, 'the created file to be removed by one undo');
      await eventually(() => flagged('missing-bibliography-file').length === 1, 'the diagnostic back after the undo');
      if (vscode.window.activeTextEditor?.document.uri.toString() === bib.toString()) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.window.showTextDocument(doc);
    });
  });
});

describe("a memo's bibliography file of thousands of works", () => {
  it('is read on a worker thread, with the same keys and entries', async () => {
    const exports = await api();
    // 4,000 works in CSL-YAML (about 1 MB), as a reference manager exports them.
    const entries = Array.from({ length: 4000 }, (_, i) => `- id: work${i}\n  type: article-journal\n  title: "Study ${i} of border security in Central Asia"\n  author:\n  - family: Author${i}\n    given: Jane\n  issued:\n    date-parts:\n    - [${1990 + (i % 30)}]\n  abstract: "${'An abstract of the study. '.repeat(6)}"\n`);
    const text = `---\nreferences:\n${entries.join('')}...\n`;
    assert.ok(text.length > 512 * 1024, `${text.length} characters`);
    const memo = '---\nbibliography: library.yaml\n---\n\nUzbekistan left the CSTO in 2012 [@work3999; @golts2012, para. 2; @nobody2001].\n';
    const before = exports.bibliographies.offThread.reads;
    await inMemoFolder('bibliography-library', { 'library.yaml': text, 'library-memo.md': memo }, 'library-memo.md', async (doc) => {
      await eventually(() => exports.diagnostics.published(doc, true), 'the memo to be checked');
      assert.deepEqual(unknownKeys(doc), ['nobody2001']);
      assert.deepEqual(exports.bibliographies.offThread.failures, []);
      // (Once, or twice when the watcher reports the file's creation after the first read.)
      assert.ok(exports.bibliographies.offThread.reads > before, `${exports.bibliographies.offThread.reads} reads on a worker`);
      assert.match((await hoverAt(doc, positionOf(doc, '@work3999', 2))).text.replace(/\\/g, ''), /Author3999 \(1999\)\. Study 3999 of border security/);
    });
  });
});

describe('quick fixes', () => {
  it('offers Cite, Insert citation… and Mark as analysis for an unsourced claim, and Cite edits memo and bibliography', async () => {
    const { document } = await openMemo();
    const sentence = 'Uzbekistan offered the United States the use of Karshi-Khanabad as a military base in 2001.';
    const start = positionOf(document, sentence);
    const range = new vscode.Range(start, start.translate(0, sentence.length));
    await eventually(() => policyDiagnostics(document.uri).some((d) => d.range.isEqual(range)), 'the unsourced-claim diagnostic');
    const actions = await quickFixes(document, range);
    const titles = actions.map((a) => a.title);
    const cite = actions.find((a) => a.title.startsWith('Cite golts2012, para. 3'));
    assert.ok(cite, titles.join('\n'));
    assert.ok(titles.includes('Insert citation…'));
    assert.ok(titles.some((t) => t.startsWith('Mark as analysis')));
    assert.ok(cite.edit, 'the Cite action resolves to an edit');
    assert.ok(await vscode.workspace.applyEdit(cite.edit));
    assert.ok(document.getText().includes('as a military base in 2001 [@golts2012, para. 3].'));
    const bib = await eventually(() => readFileText(vscode.Uri.joinPath(folder(), 'references.json')), 'references.json');
    const entries = JSON.parse(bib) as { id: string; title: string }[];
    assert.deepEqual(entries.map((e) => e.id), ['golts2012']);
    assert.equal(entries[0].title, 'The Collapsing CSTO');
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'unsourced-claim' && document.getText(d.range).startsWith('Uzbekistan offered')), 'the fixed diagnostic to go');
  });

  it('changes an out-of-range locator to the paragraph that supports the sentence, in one undoable edit', async () => {
    const { document } = await openMemo();
    const locator = await eventually(() => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'locator-out-of-range'), 'the locator-out-of-range diagnostic');
    const actions = await quickFixes(document, locator.range);
    const change = actions.find((a) => a.title.startsWith('Change to para. 7 — Russia has tried to create a collective'));
    assert.ok(change?.edit, actions.map((a) => a.title).join('\n'));
    assert.equal(change.isPreferred, true);
    const before = document.getText();
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.ok(document.getText().includes('for the region [@golts2012, para. 7].'));
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'locator-out-of-range'), 'the fixed diagnostic to go');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });

  it('changes the locator of a quotation cited to the wrong paragraph to the one that has it', async () => {
    const editor = await openMemo();
    const { document } = editor;
    const before = document.getText();
    const line = 'An official said: "If the price to be paid for stability in Central Asia is the appearance of U.S. bases in the region" [@golts2012, para. 9].';
    await editor.edit((b) => b.insert(document.positionAt(before.length), `\n${line}\n`));
    const quote = await eventually(
      () => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'quote-not-in-source' && document.getText(d.range).startsWith('"If the price')),
      'the quote-not-in-source diagnostic',
    );
    assert.match(quote.message, /golts2012, para\. 11 has it/);
    const actions = await quickFixes(document, quote.range);
    const change = actions.find((a) => a.title.startsWith('Change to para. 11'));
    assert.ok(change?.edit, actions.map((a) => a.title).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.ok(document.getText().includes('in the region" [@golts2012, para. 11].'));
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'quote-not-in-source' && document.getText(d.range).startsWith('"If the price')), 'the fixed diagnostic to go');
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });

  it('changes a locator that points away from what the sentence states to the paragraph that says it', async () => {
    const editor = await openMemo();
    const { document } = editor;
    const before = document.getText();
    await editor.edit((b) => b.insert(document.positionAt(before.length), '\nMoscow opposes any new U.S. bases in the region [@golts2012, para. 9].\n'));
    const mismatch = await eventually(() => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'locator-mismatch'), 'the locator-mismatch diagnostic');
    assert.equal(document.getText(mismatch.range), '@golts2012, para. 9');
    assert.equal(mismatch.severity, vscode.DiagnosticSeverity.Information);
    const actions = await quickFixes(document, mismatch.range);
    const change = actions.find((a) => a.title.startsWith('Change to para. 10 — Not surprisingly, Moscow strongly opposes'));
    assert.ok(change?.edit, actions.map((a) => a.title).join('\n'));
    assert.equal(change.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.ok(document.getText().includes('in the region [@golts2012, para. 10].'));
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'locator-mismatch'), 'the fixed diagnostic to go');
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });

  it("cites an unsourced statement of an inline note inside the note, in one undoable edit", async () => {
    const editor = await openMemo();
    const { document } = editor;
    const before = document.getText();
    const note = 'In 2005 Uzbek forces killed several hundred protesters in Andijan.';
    await editor.edit((b) => b.insert(document.positionAt(before.length), `\nMoscow says little.^[${note}]\n`));
    const typed = document.getText();
    const start = positionOf(document, note);
    const range = new vscode.Range(start, start.translate(0, note.length));
    const unsourced = await eventually(() => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'unsourced-claim' && d.range.isEqual(range)), 'the unsourced-claim diagnostic on the note');
    const actions = await quickFixes(document, unsourced.range);
    const cite = actions.find((a) => a.title.startsWith('Cite golts2012, para. 3'));
    assert.ok(cite?.edit, actions.map((a) => a.title).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(cite.edit));
    assert.ok(document.getText().includes('Moscow says little.^[In 2005 Uzbek forces killed several hundred protesters in Andijan [@golts2012, para. 3].]'), document.getText());
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'unsourced-claim' && document.getText(d.range).startsWith('In 2005 Uzbek')), 'the fixed diagnostic to go');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), typed);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });

  it('attributes a prediction stated as fact to the source’s author', async () => {
    const { document } = await openMemo();
    const attribution = await eventually(() => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'attribution-needed'), 'the attribution-needed diagnostic');
    const actions = await quickFixes(document, attribution.range);
    const attribute = actions.find((a) => a.title === 'Attribute it: "…, Golts predicts"');
    assert.ok(attribute?.edit, actions.map((a) => a.title).join('\n'));
    const before = document.getText();
    assert.ok(await vscode.workspace.applyEdit(attribute.edit));
    assert.ok(document.getText().includes('from Afghanistan, Golts predicts [@golts2012, para. 6].'));
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'attribution-needed'), 'the fixed diagnostic to go');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });

  it('changes an unknown key to the closest one, and uses the source figure', async () => {
    const editor = await openMemo();
    const document = editor.document;
    const end = document.lineAt(document.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\nUzbekistan left the CSTO in 2012 [@golts2021].\n'));
    const key = await eventually(() => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'unknown-citation-key'), 'the unknown-citation-key diagnostic');
    assert.equal(document.getText(key.range), 'golts2021');
    assert.equal(key.severity, vscode.DiagnosticSeverity.Error);
    const keyActions = await quickFixes(document, key.range);
    const change = keyActions.find((a) => a.title === 'Change to @golts2012');
    assert.ok(change?.edit, keyActions.map((a) => a.title).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.ok(document.getText().includes('in 2012 [@golts2012].'));
    const figure = policyDiagnostics(document.uri).find((d) => codeOf(d) === 'number-mismatch');
    assert.ok(figure);
    const figureActions = await quickFixes(document, figure.range);
    const use = figureActions.find((a) => a.title.startsWith("Use the source's figure"));
    assert.ok(use?.edit);
    assert.ok(await vscode.workspace.applyEdit(use.edit));
    assert.ok(document.getText().includes('to \\$230 million [@golts2012, para. 2]'));
  });

  it('changes the locator to the paragraph that gives the figure, in one undoable step', async () => {
    const editor = await openMemo();
    const document = editor.document;
    const end = document.lineAt(document.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\nWestern forces will withdraw from Afghanistan in 2014 [@golts2012, para. 3].\n'));
    const before = document.getText();
    const figure = await eventually(
      () => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'number-mismatch' && document.getText(d.range) === '2014'),
      'the number-mismatch diagnostic on 2014',
    );
    assert.match(figure.message, /golts2012, para\. 5; golts2012, para\. 9 have it\.$/);
    const actions = await quickFixes(document, figure.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles[0].startsWith("Use the source's figure: 1999"), titles.join('\n'));
    const change = actions.find((a) => a.title.startsWith('Change to para. 5'));
    assert.ok(change?.edit, titles.join('\n'));
    assert.equal(change.isPreferred, false);
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.ok(document.getText().includes('in 2014 [@golts2012, para. 5].'));
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'number-mismatch' && document.getText(d.range) === '2014'), 'the fixed diagnostic to go');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });

  it('moves a citation to the paragraph that gives a figure the cited one does not', async () => {
    const editor = await openMemo();
    const document = editor.document;
    const end = document.lineAt(document.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\nTajikistan wanted \\$230 million a year for the base [@golts2012, para. 7].\n'));
    const before = document.getText();
    const figure = await eventually(
      () => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'number-mismatch' && document.getText(d.range) === '$230 million'),
      'the number-mismatch diagnostic on $230 million',
    );
    assert.equal(figure.message, '"$230 million" is not in the cited paragraph: golts2012, para. 7 gives no such figure. golts2012, para. 2 has it.');
    const actions = await quickFixes(document, figure.range);
    const titles = actions.map((a) => a.title);
    const change = actions.find((a) => a.title.startsWith('Change to para. 2'));
    assert.ok(change?.edit, titles.join('\n'));
    assert.equal(change.isPreferred, true);
    assert.ok(!titles.some((t) => t.startsWith("Use the source's figure")), titles.join('\n'));
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.ok(document.getText().includes('for the base [@golts2012, para. 2].'));
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'number-mismatch' && document.getText(d.range) === '$230 million'), 'the fixed diagnostic to go');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });

  it("writes out a date relative to the source's, in one undoable step", async () => {
    const editor = await openMemo();
    const document = editor.document;
    const end = document.lineAt(document.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\nTwo weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow that it had withdrawn [@golts2012, para. 2].\n'));
    const before = document.getText();
    const relative = await eventually(() => policyDiagnostics(document.uri).find((d) => codeOf(d) === 'relative-date'), 'the relative-date diagnostic');
    assert.equal(document.getText(relative.range), 'Two weeks ago');
    assert.equal(relative.severity, vscode.DiagnosticSeverity.Warning);
    const actions = await quickFixes(document, relative.range);
    const write = actions.find((a) => a.title === 'Write the date: Two weeks before July 16, 2012');
    assert.ok(write?.edit, actions.map((a) => a.title).join('\n'));
    assert.equal(write.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(write.edit));
    assert.ok(document.getText().includes('\nTwo weeks before July 16, 2012, Uzbekistan gave notice'));
    await eventually(() => !policyDiagnostics(document.uri).some((d) => codeOf(d) === 'relative-date'), 'the fixed diagnostic to go');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });
});

describe('completion', () => {
  it('completes keys after [@ and locators after [@key, ', async () => {
    const editor = await openMemo();
    const doc = editor.document;
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\nSee [@'));
    const keyPos = doc.lineAt(doc.lineCount - 1).range.end;
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, keyPos, '@');
    const labels = keys.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('golts2012'), labels.slice(0, 20).join(', '));
    // The details are made when the widget shows an item (resolved), not for every item of the list.
    const golts = keys.items.find((i) => i.insertText === 'golts2012');
    assert.equal(golts?.documentation, undefined);
    // (Every item resolved: the list asked again may hold more, of sources other tests wrote that
    // were indexed in between, and the command resolves only the first of its count.)
    const resolved = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, keyPos, '@', keys.items.length + 1000);
    const shown = resolved.items.find((i) => i.insertText === 'golts2012');
    assert.match(String(shown?.detail), /^Alexander Golts · 2012-07-16/);
    const documentation = shown?.documentation;
    // (appendText writes a space as &nbsp;.)
    assert.match((typeof documentation === 'string' ? documentation : String(documentation?.value)).replace(/&nbsp;/g, ' '), /^The Collapsing CSTO\n[^]*13 paragraphs, \d+ claims$/);
    await editor.edit((b) => b.insert(keyPos, 'golts2012, '));
    const locPos = doc.lineAt(doc.lineCount - 1).range.end;
    const locators = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, locPos, ' ');
    const locLabels = locators.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (let n = 1; n <= 13; n++) assert.ok(locLabels.includes(`para. ${n}`), `para. ${n} in ${locLabels.join(', ')}`);
    assert.ok(!locLabels.includes('para. 14'));
    // A locator's item opens with the paragraph's first words; its text is given when it is shown.
    const second = locators.items.find((i) => i.insertText === 'para. 2');
    assert.equal(typeof second?.label === 'string' ? undefined : second?.label.description, 'Two weeks ago, Uzbekistan gave notice to CSTO headquarters in');
    assert.equal(second?.documentation, undefined);
    const resolvedLocators = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, locPos, ' ', locators.items.length + 1000);
    const secondShown = resolvedLocators.items.find((i) => i.insertText === 'para. 2')?.documentation;
    assert.match((typeof secondShown === 'string' ? secondShown : String(secondShown?.value)).replace(/&nbsp;/g, ' '), /^Two weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow that it has withdrawn/);
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
  });
});

describe('insert citation command', () => {
  it('inserts the chosen claim, writes the bibliography and front matter, and one undo reverts it all', async () => {
    const exports = await api();
    const memoUri = vscode.Uri.joinPath(folder(), 'notes', 'draft.md');
    const original = 'Russia leases a base in Tajikistan and pays rent for it.\n';
    await vscode.workspace.fs.writeFile(memoUri, new TextEncoder().encode(original));
    const doc = await vscode.workspace.openTextDocument(memoUri);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 5, 0, 5);
    let offered: string[] = [];
    exports.setPickerHook({
      choose: (items) => {
        offered = items.map((i) => i.claim.id);
        return items.find((i) => i.claim.id === 'golts2012:2.3')?.claim.id;
      },
    });
    try {
      assert.equal(await vscode.commands.executeCommand('policyCite.insertCitation'), true);
    } finally {
      exports.setPickerHook(undefined);
    }
    assert.ok(offered.includes('golts2012:2.3'), `ranked for the sentence: ${offered.slice(0, 5).join(', ')}`);
    assert.equal(doc.getText(), '---\nbibliography: references.json\n---\n\nRussia leases a base in Tajikistan and pays rent for it [@golts2012, para. 2].\n');
    const bibUri = vscode.Uri.joinPath(folder(), 'notes', 'references.json');
    const bib = JSON.parse((await readFileText(bibUri)) ?? '[]') as { id: string }[];
    assert.deepEqual(bib.map((e) => e.id), ['golts2012']);

    await vscode.commands.executeCommand('undo');
    await eventually(() => doc.getText() === original, 'the memo to be restored by one undo');
    await eventually(async () => (await readFileText(bibUri)) === undefined, 'the created bibliography to be removed by the same undo');
  });
});

describe('a citation key Pandoc reads only in braces', () => {
  const DOI = '10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0';

  it('is written in braces by Insert Citation and by the quick fixes of a mistyped key, braced or bare', async () => {
    const exports = await api();
    const source = vscode.Uri.joinPath(folder(), 'sources', 'doi-keyed.md');
    await vscode.workspace.fs.writeFile(
      source,
      new TextEncoder().encode(`---\ntitle: Gas Routes\nauthor: Anna Petrova\ndate: 2019-03-04\ncitation-key: "${DOI}"\n---\n\nTurkmenistan sold 30 billion cubic meters of gas to China in 2018.\n`),
    );
    const memoUri = vscode.Uri.joinPath(folder(), 'notes', 'doi-draft.md');
    try {
      await eventually(() => exports.workspace.index.source(DOI), 'the source to be indexed under its DOI');
      await vscode.workspace.fs.writeFile(memoUri, new TextEncoder().encode('---\nbibliography: references.json\n---\n\nTurkmenistan sold gas to China in 2018.\n'));
      const doc = await vscode.workspace.openTextDocument(memoUri);
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(4, 5, 4, 5);
      exports.setPickerHook({ choose: (items) => items.find((i) => i.claim.sourceKey === DOI)?.claim.id });
      try {
        assert.equal(await vscode.commands.executeCommand('policyCite.insertCitation'), true);
      } finally {
        exports.setPickerHook(undefined);
      }
      assert.equal(doc.lineAt(4).text, `Turkmenistan sold gas to China in 2018 [@{${DOI}}, para. 1].`);
      await eventually(() => !policyDiagnostics(doc.uri).some((d) => codeOf(d) === 'unknown-citation-key'), 'the citation to resolve');

      // The same key mistyped inside its braces: the quick fix puts the key back there.
      const typo = `${DOI.slice(0, -1)}1`;
      await editor.edit((b) => b.replace(doc.lineAt(4).range, `Turkmenistan sold gas to China in 2018 [@{${typo}}, para. 1].`));
      const unknown = await eventually(() => policyDiagnostics(doc.uri).find((d) => codeOf(d) === 'unknown-citation-key'), 'the unknown-citation-key diagnostic');
      assert.equal(doc.getText(unknown.range), typo);
      const actions = await quickFixes(doc, unknown.range);
      const change = actions.find((a) => a.title === `Change to @${DOI}`);
      assert.ok(change?.edit, actions.map((a) => a.title).join('\n'));
      assert.ok(await vscode.workspace.applyEdit(change.edit));
      assert.equal(doc.lineAt(4).text, `Turkmenistan sold gas to China in 2018 [@{${DOI}}, para. 1].`);

      // A bare key that is not one: the fix writes the braces the new key needs.
      await editor.edit((b) => b.replace(doc.lineAt(4).range, 'Turkmenistan sold gas to China in 2018 [@10.1002/SICI, para. 1].'));
      // (Found by its text: the braced typo's diagnostic may still be there until the memo is checked again.)
      const bare = await eventually(
        () => policyDiagnostics(doc.uri).find((d) => codeOf(d) === 'unknown-citation-key' && doc.getText(d.range) === '10.1002/SICI'),
        'the unknown-citation-key diagnostic of the bare key',
      );
      const fixes = await quickFixes(doc, bare.range);
      const toDoi = fixes.find((a) => a.title === `Change to @${DOI}`);
      assert.ok(toDoi?.edit, fixes.map((a) => a.title).join('\n'));
      assert.ok(await vscode.workspace.applyEdit(toDoi.edit));
      assert.equal(doc.lineAt(4).text, `Turkmenistan sold gas to China in 2018 [@{${DOI}}, para. 1].`);
      await eventually(() => !policyDiagnostics(doc.uri).some((d) => codeOf(d) === 'unknown-citation-key'), 'the braced citation to resolve');

      // Locator completion after the braced key.
      await editor.edit((b) => b.replace(doc.lineAt(4).range, `Turkmenistan sold gas to China in 2018 [@{${DOI}}, `));
      const locators = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.lineAt(4).range.end, ' ');
      assert.deepEqual(locators.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)), ['para. 1']);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await Promise.resolve(vscode.workspace.fs.delete(source)).catch(() => undefined);
      await Promise.resolve(vscode.workspace.fs.delete(memoUri)).catch(() => undefined);
      await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(folder(), 'notes', 'references.json'))).catch(() => undefined);
    }
    await eventually(() => !exports.workspace.index.source(DOI), 'the source to be removed');
  });
});

describe('a bibliography named by an absolute path', () => {
  it('is written where the path says, as pandoc reads it, not under the memo\'s folder', async () => {
    await api();
    const notes = vscode.Uri.joinPath(folder(), 'abs-notes');
    const memoUri = vscode.Uri.joinPath(notes, 'memo.md');
    const bibUri = vscode.Uri.joinPath(folder(), 'shared-refs', 'library.json');
    const text = `---\nbibliography: ${bibUri.fsPath}\n---\n\nRussia leases a base in Tajikistan.\n`;
    try {
      await vscode.workspace.fs.writeFile(memoUri, new TextEncoder().encode(text));
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(bibUri, '..'));
      await vscode.workspace.fs.writeFile(bibUri, new TextEncoder().encode('[\n    {"id": "mine2020", "type": "book"}\n]\n'));
      await vscode.workspace.openTextDocument(memoUri);
      assert.equal(await vscode.commands.executeCommand('policyCite.insertClaimCitation', 'golts2012:2.3', memoUri.toString(), text.length - 2), true);
      const written = await eventually(async () => {
        const bib = await readFileText(bibUri);
        return bib?.includes('golts2012') ? bib : undefined;
      }, 'the citation in the bibliography the memo names');
      assert.deepEqual((JSON.parse(written) as { id: string }[]).map((e) => e.id), ['mine2020', 'golts2012']);
      const under = vscode.Uri.joinPath(notes, ...bibUri.path.split('/').filter(Boolean));
      assert.equal(await readFileText(under), undefined, 'nothing written under the memo\'s folder');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const uri of [notes, vscode.Uri.joinPath(bibUri, '..')]) await Promise.resolve(vscode.workspace.fs.delete(uri, { recursive: true })).catch(() => undefined);
    }
  });
});

describe('an untitled memo', () => {
  it('keeps its bibliography in the workspace folder, where the memo is saved by default', async () => {
    await api();
    const bibUri = vscode.Uri.joinPath(folder(), 'untitled-refs.json');
    const text = '---\nbibliography: untitled-refs.json\n---\n\nRussia leases a base in Tajikistan.\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
    try {
      assert.equal(doc.uri.scheme, 'untitled');
      assert.equal(await vscode.commands.executeCommand('policyCite.insertClaimCitation', 'golts2012:2.3', doc.uri.toString(), text.length - 2), true);
      assert.match(doc.getText(), /Tajikistan \[@golts2012, para\. 2\]\./);
      const written = await eventually(async () => {
        const bib = await readFileText(bibUri);
        return bib?.includes('golts2012') ? bib : undefined;
      }, 'the bibliography in the workspace folder');
      assert.deepEqual((JSON.parse(written) as { id: string }[]).map((e) => e.id), ['golts2012']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await Promise.resolve(vscode.workspace.fs.delete(bibUri)).catch(() => undefined);
    }
  });
});

describe('reindexing', () => {
  it('follows a source file being added, changed and deleted', async () => {
    const exports = await api();
    const uri = vscode.Uri.joinPath(folder(), 'sources', 'petrova-2019.md');
    const write = (text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    // Files a reindex would not find (policyCite.exclude's node_modules, a dot folder) are not
    // taken from the watcher either. (Their folders exist before them: see the next test.)
    const hidden = vscode.Uri.joinPath(folder(), 'sources', '.trash');
    const excluded = vscode.Uri.joinPath(folder(), 'sources', 'node_modules');
    await vscode.workspace.fs.createDirectory(hidden);
    await vscode.workspace.fs.createDirectory(excluded);
    try {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(hidden, 'old.md'), new TextEncoder().encode('---\nauthor: Olga Hidden\ndate: 2019\n---\n\nArmenia left.\n'));
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(excluded, 'pkg.md'), new TextEncoder().encode('---\nauthor: Nina Module\ndate: 2019\n---\n\nArmenia stayed.\n'));
      await write('---\ntitle: Gas Routes\nauthor: Anna Petrova\ndate: 2019-03-04\n---\n\nTurkmenistan sold 30 billion cubic meters of gas to China in 2018.\n');
      await eventually(() => exports.workspace.index.source('petrova2019'), 'the new source to be indexed');
      await exports.whenReady();
      assert.equal(exports.workspace.index.source('hidden2019'), undefined, 'a source in a dot folder');
      assert.equal(exports.workspace.index.source('module2019'), undefined, 'a source policyCite.exclude leaves out');
    } finally {
      await Promise.resolve(vscode.workspace.fs.delete(hidden, { recursive: true })).catch(() => undefined);
      await Promise.resolve(vscode.workspace.fs.delete(excluded, { recursive: true })).catch(() => undefined);
    }
    assert.equal(exports.workspace.index.claimsOf('petrova2019').length, 1);
    await write('---\ntitle: Gas Routes\nauthor: Anna Petrova\ndate: 2019-03-04\n---\n\nTurkmenistan sold 30 billion cubic meters of gas to China in 2018.\n\nKazakhstan sold less.\n');
    await eventually(() => exports.workspace.index.claimsOf('petrova2019').length === 2, 'the changed source to be re-parsed');
    assert.ok(exports.workspace.index.source('golts2012'), 'the other source is kept');
    await vscode.workspace.fs.delete(uri);
    await eventually(() => !exports.workspace.index.source('petrova2019'), 'the deleted source to be removed');
  });

  it('indexes and watches the new glob when policyCite.sources changes', async () => {
    const exports = await api();
    const settings = vscode.workspace.getConfiguration('policyCite');
    const library = vscode.Uri.joinPath(folder(), 'library');
    const article = vscode.Uri.joinPath(library, 'ivanov-2015.md');
    const write = (text: string) => vscode.workspace.fs.writeFile(article, new TextEncoder().encode(text));
    try {
      // The folder exists before the file: a file written together with its new folder can come
      // before the file system watcher watches that folder (inotify), and go unseen by any watcher.
      await vscode.workspace.fs.createDirectory(library);
      await settings.update('sources', '{sources,library}/**/*.md', vscode.ConfigurationTarget.Workspace);
      await exports.whenReady();
      // Created after the change: only a watcher of the new glob sees it (no reindex runs).
      await write('---\nauthor: Ivan Ivanov\ndate: 2015\n---\n\nArmenia joined the Eurasian Economic Union in 2015.\n');
      await eventually(() => exports.workspace.index.source('ivanov2015'), 'the source in the new folder to be indexed');
      await write('---\nauthor: Ivan Ivanov\ndate: 2015\n---\n\nArmenia joined the Eurasian Economic Union in 2015.\n\nKyrgyzstan joined in 2015.\n');
      await eventually(() => exports.workspace.index.claimsOf('ivanov2015').length === 2, 'its change to be followed');
      assert.ok(exports.workspace.index.source('golts2012'), 'the sources of the old glob are still indexed');
    } finally {
      await settings.update('sources', undefined, vscode.ConfigurationTarget.Workspace);
      await Promise.resolve(vscode.workspace.fs.delete(library, { recursive: true })).catch(() => undefined);
      await exports.whenReady();
    }
    await eventually(() => !exports.workspace.index.source('ivanov2015'), 'the folder to leave the index with the setting');
  });

  it('indexes the default sources when policyCite.sources or policyCite.exclude is not a string', async () => {
    const exports = await api();
    const settings = vscode.workspace.getConfiguration('policyCite');
    const before = exports.workspace.index;
    try {
      // The settings editor flags such a value, but it reaches the extension as it is.
      await settings.update('sources', ['library/**/*.md'], vscode.ConfigurationTarget.Workspace);
      await settings.update('exclude', 7, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('policyCite.reindex');
      await exports.whenReady();
      assert.notEqual(exports.workspace.index, before, 'a new index was built');
      assert.equal(exports.workspace.index.source('golts2012')?.paragraphs.length, 13);
    } finally {
      await settings.update('sources', undefined, vscode.ConfigurationTarget.Workspace);
      await settings.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await exports.whenReady();
    }
  });

  it('rebuilds everything on "Policy Cite: Reindex Sources"', async () => {
    const exports = await api();
    const before = exports.workspace.index;
    await vscode.commands.executeCommand('policyCite.reindex');
    assert.notEqual(exports.workspace.index, before);
    assert.equal(exports.workspace.index.source('golts2012')?.paragraphs.length, 13);
  });
});

describe('the Sources view', () => {
  /** A tooltip's text as shown: appendText writes spaces as &nbsp; and escapes punctuation. */
  const shown = (md: vscode.MarkdownString): string => md.value.replace(/&nbsp;/g, ' ').replace(/\\/g, '');

  it('shows sources, their paragraphs and their claims', async () => {
    const { sourcesView: view } = await api();
    const golts = view.getChildren().find((n) => n.kind === 'source' && n.key === 'golts2012');
    assert.ok(golts, 'the reference article is a root');
    const item = view.getTreeItem(golts);
    assert.equal(item.label, 'The Collapsing CSTO');
    assert.equal(item.description, '@golts2012 · 13 paragraphs');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'book');
    const tooltip = item.tooltip as vscode.MarkdownString;
    assert.match(shown(tooltip), /Author: Alexander Golts/);
    assert.doesNotMatch(shown(tooltip), /Warning/);
    const paragraphs = view.getChildren(golts);
    assert.equal(paragraphs.length, 13);
    assert.equal(view.getTreeItem(paragraphs[1]).label, 'para. 2');
    const claims = view.getChildren(paragraphs[1]).map((n) => view.getTreeItem(n));
    // Labels are cut at a word; the whole claim is what a screen reader reads.
    const rent = claims.find((c) => c.accessibilityInformation?.label.includes('rent for the base Moscow leases in the country to $230 million'));
    assert.ok(rent, claims.map((c) => c.label).join(' | '));
    assert.equal(rent.label, "After Tashkent's announcement, Tajikistan said it would hike the annual rent…");
    assert.equal(rent.command?.command, 'policyCite.openClaim');
    assert.deepEqual(view.getParent(view.getChildren(paragraphs[1])[0]), paragraphs[1]);
  });

  it('marks a source whose front matter gave no field, with the reason in its tooltip', async () => {
    const exports = await api();
    const uri = vscode.Uri.joinPath(folder(), 'sources', 'broken-front-matter.md');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('---\ntitle: [unclosed\nauthor: Jane Roe\n---\n\nTurkmenistan sold 30 billion cubic meters of gas to China in 2018.\n'));
    try {
      const node = await eventually(
        () => exports.sourcesView.getChildren().find((n) => n.kind === 'source' && n.key === 'broken-front-matter'),
        'the source to be indexed under its file name',
      );
      const item = exports.sourcesView.getTreeItem(node);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
      const tooltip = item.tooltip as vscode.MarkdownString;
      assert.match(shown(tooltip), /\*\*Warning:\*\* front matter is not valid YAML \(.+\); its title, author, date and citation key were not read from it\./);
      assert.equal(tooltip.isTrusted, false);
      assert.equal(exports.workspace.index.claimsOf('broken-front-matter').length, 1, 'its text is indexed');
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
    await eventually(() => !exports.workspace.index.source('broken-front-matter'), 'the source to be removed');
  });

  it('marks the sources that take the same citation key, with the key each is cited by in their tooltips', async function () {
    this.timeout(60_000);
    const exports = await api();
    const view = exports.sourcesView;
    const item = (key: string): vscode.TreeItem | undefined => {
      const node = view.getChildren().find((n) => n.kind === 'source' && n.key === key);
      return node && view.getTreeItem(node);
    };
    const uri = vscode.Uri.joinPath(folder(), 'sources', 'golts-aside.md');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('---\ntitle: Aside\nauthor: Alexander Golts\ndate: 2012-08-01\n---\n\nRussia kept 5,000 troops in Tajikistan in 2011.\n'));
    // (Paths as the Sources view gives them: with the workspace folder's name in a multi-root workspace.)
    const warning =
      /\*\*Warning:\*\* 2 sources take the citation key @golts2012: (csto\/)?sources\/golts-2012-the-collapsing-csto\.md keeps it, \1sources\/golts-aside\.md is cited as @golts2012a\. .+\(citation-key: golts2012a\)\./;
    try {
      // Added while the editor runs, and after a reindex, which gives the keys by path again.
      for (const when of ['added', 'reindexed']) {
        if (when === 'reindexed') await vscode.commands.executeCommand('policyCite.reindex');
        const added = await eventually(() => item('golts2012a'), `the other article to be indexed as @golts2012a (${when})`);
        const reference = item('golts2012');
        assert.ok(reference);
        for (const it of [reference, added]) {
          assert.equal((it.iconPath as vscode.ThemeIcon).id, 'warning', when);
          assert.match(shown(it.tooltip as vscode.MarkdownString), warning, `${when}: ${shown(it.tooltip as vscode.MarkdownString)}`);
        }
      }
      // So does the hover on a citation of the key, in the memo.
      const { document } = await openMemo();
      const { text } = await hoverAt(document, positionOf(document, '[@golts2012, para. 2]', 4));
      assert.match(text.replace(/\\/g, ''), /\*\*Warning:\*\* 2 sources take the citation key @golts2012: (csto\/)?sources\/golts-2012-the-collapsing-csto\.md keeps it/, text);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
    await eventually(() => !exports.workspace.index.source('golts2012a'), 'the other article to be removed');
    const reference = item('golts2012');
    assert.ok(reference);
    assert.equal((reference.iconPath as vscode.ThemeIcon).id, 'book');
    assert.doesNotMatch(shown(reference.tooltip as vscode.MarkdownString), /Warning/);
  });

  it('renames a source’s key from its context menu, in its front matter and in the memos that cite it', async function () {
    this.timeout(90_000);
    const exports = await api();
    const sourceUri = vscode.Uri.joinPath(folder(), 'sources', 'golts-2012-the-collapsing-csto.md');
    const memoUri = vscode.Uri.joinPath(folder(), 'view-rename.md');
    const original = await vscode.workspace.fs.readFile(sourceUri);
    const memoText = 'Tajikistan raised the rent to $230 million [@golts2012, para. 2].\n';
    await vscode.workspace.fs.writeFile(memoUri, new TextEncoder().encode(memoText));
    const node = (key: string) => exports.sourcesView.getChildren().find((n) => n.kind === 'source' && n.key === key);
    try {
      const renamed = await vscode.commands.executeCommand<number>('policyCite.renameCitationKey', node('golts2012'), 'golts2012y');
      assert.ok(renamed >= 2, `${renamed} files`);
      await eventually(async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(memoUri)) === memoText.replace('@golts2012', '@golts2012y') || undefined, 'the memo on disk to cite @golts2012y');
      assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(sourceUri)), /^---\ncitation-key: golts2012y\n---\n/);
      await eventually(() => node('golts2012y'), 'the Sources view to show @golts2012y');
      // A name Pandoc cannot cite is refused: nothing is edited.
      assert.equal(await vscode.commands.executeCommand<number>('policyCite.renameCitationKey', node('golts2012y'), 'has space'), 0);
      assert.ok((await vscode.commands.executeCommand<number>('policyCite.renameCitationKey', node('golts2012y'), 'golts2012')) >= 2);
      await eventually(() => node('golts2012'), 'the key back');
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(memoUri)), memoText);
    } finally {
      await vscode.workspace.fs.delete(memoUri);
      await vscode.workspace.fs.writeFile(sourceUri, original);
    }
    await eventually(() => (exports.workspace.index.source('golts2012')?.meta.keyGiven !== true) || undefined, 'the source as it was');
  });

  it('pins the keys of the sources that share one in their front matter, and the warnings go', async function () {
    this.timeout(60_000);
    const exports = await api();
    const decoder = new TextDecoder();
    const uri = vscode.Uri.joinPath(folder(), 'sources', 'golts-aside.md');
    const referenceUri = vscode.Uri.joinPath(folder(), 'sources', 'golts-2012-the-collapsing-csto.md');
    const original = await vscode.workspace.fs.readFile(referenceUri);
    const aside = '---\ntitle: Aside\nauthor: Alexander Golts\ndate: 2012-08-01\n---\n\nRussia kept 5,000 troops in Tajikistan in 2011.\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(aside));
    try {
      await eventually(() => exports.workspace.index.source('golts2012a'), 'the other article to be indexed as @golts2012a');
      assert.equal(exports.workspace.collidingSources().length, 2);
      const pinned = await vscode.commands.executeCommand<number>('policyCite.pinCitationKeys');
      assert.equal(pinned, 2);
      // On disk: each front matter gives the key its source is cited by; the rest of each file is as it was.
      assert.equal(decoder.decode(await vscode.workspace.fs.readFile(uri)), aside.replace('---\n', '---\ncitation-key: golts2012a\n'));
      assert.equal(decoder.decode(await vscode.workspace.fs.readFile(referenceUri)), `---\ncitation-key: golts2012\n---\n\n${decoder.decode(original)}`);
      // Read again, the sources keep their keys and are no longer marked.
      await eventually(() => exports.workspace.collidingSources().length === 0 || undefined, 'the pinned sources to be read again');
      assert.equal(exports.workspace.sourceAt(uri)?.key, 'golts2012a');
      assert.equal(exports.workspace.index.source('golts2012')?.paragraphs.length, 13);
      const node = exports.sourcesView.getChildren().find((n) => n.kind === 'source' && n.key === 'golts2012a');
      assert.ok(node);
      assert.equal((exports.sourcesView.getTreeItem(node).iconPath as vscode.ThemeIcon).id, 'book');
      // Pinned already: from the Sources view's context menu, nothing more to write.
      assert.equal(await vscode.commands.executeCommand<number>('policyCite.pinCitationKey', node), 0);
      assert.equal(await vscode.commands.executeCommand<number>('policyCite.pinCitationKeys'), 0);
    } finally {
      await vscode.workspace.fs.delete(uri);
      await vscode.workspace.fs.writeFile(referenceUri, original);
    }
    // (The reference article read again without the key in a front matter, for the tests after this one.)
    await eventually(() => (!exports.workspace.index.source('golts2012a') && exports.workspace.index.source('golts2012')?.meta.keyGiven !== true) || undefined, 'the files as they were');
  });
});

describe('the CLI as a VS Code task', () => {
  it('puts every finding of `policy-cite check` in the Problems panel with the $policy-cite problem matcher, for memos not open, and leaves open memos to the extension', async function () {
    this.timeout(60_000);
    const exports = await api();
    // A memo open in an editor keeps the extension's live diagnostics alone: the task's findings
    // for it (from the file on disk, perhaps older than the editor's text) would repeat them.
    const { document: open } = await openMemo();
    const live = await eventually(() => {
      const found = exports.diagnostics.collection.get(open.uri);
      return found && found.length > 0 ? found.length : undefined;
    }, 'the open memo’s diagnostics');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const cli = vscode.Uri.joinPath(extension.extensionUri, 'dist', 'cli.js').fsPath;
    const drafts = vscode.Uri.joinPath(folder(), 'drafts');
    const memo = vscode.Uri.joinPath(drafts, 'unopened.md');
    await vscode.workspace.fs.createDirectory(drafts);
    // The example memo as it ships (earlier tests edit the open one), not open: every one of its
    // findings (each followed by suggestion lines) must reach the Problems panel, however fast
    // the CLI prints them and exits.
    const copy = vscode.Uri.joinPath(drafts, 'copy.md');
    await vscode.workspace.fs.writeFile(copy, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'examples', 'csto', 'memo.md')));
    await vscode.workspace.fs.writeFile(memo, new TextEncoder().encode('# Draft\n\nUzbekistan offered the United States the use of Karshi-Khanabad as a military base in 2001.\n\nUzbekistan left the CSTO in 2012 [@golts2021].\n'));
    try {
      // As a user's tasks.json would run it: node on the CLI, from the workspace folder.
      const execution = new vscode.ProcessExecution(process.execPath, [cli, 'check', 'memo.md', 'drafts/copy.md', 'drafts/unopened.md'], { cwd: folder().fsPath, env: { ELECTRON_RUN_AS_NODE: '1' } });
      const task = new vscode.Task({ type: 'process' }, vscode.TaskScope.Workspace, 'check memos', 'policy-cite', execution, ['$policy-cite']);
      const ended = taskEnd((t) => t.name === 'check memos');
      await vscode.tasks.executeTask(task);
      assert.equal(await ended, 1, 'the unknown key is an error');
      const problems = await eventually(() => {
        const found = vscode.languages.getDiagnostics(memo).filter((d) => d.source === 'policy-cite');
        return found.length >= 2 ? found : undefined;
      }, 'the task’s problems on the memo');
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === memo.toString()), 'the memo was not opened');
      const byCode = new Map(problems.map((d) => [codeOf(d), d]));
      const unsourced = byCode.get('unsourced-claim');
      assert.ok(unsourced, problems.map((d) => `${codeOf(d)} ${d.message}`).join('\n'));
      assert.equal(unsourced.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(unsourced.range.start.line, 2);
      assert.match(unsourced.message, /^Factual statement without a citation\. Best match: golts2012, para\. 3\./);
      const key = byCode.get('unknown-citation-key');
      assert.ok(key);
      assert.equal(key.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([key.range.start.line, key.range.start.character], [4, 35]);
      const copied = policyDiagnostics(copy);
      assert.deepEqual(
        copied.map((d) => `${d.range.start.line + 1} ${codeOf(d)}`).sort(),
        // (The copy names references.json, which is not beside it.)
        ['5 missing-bibliography-file', '17 unsourced-claim', '18 unsourced-claim', '19 number-mismatch', '25 quote-not-in-source', '26 attribution-needed', '28 locator-out-of-range'].sort(),
      );
      // The task printed the open memo's findings before the others (its first argument).
      assert.equal(policyDiagnostics(open.uri).length, live, 'the open memo has the extension’s diagnostics only');
      // A memo opened after the task: the extension's diagnostics take the place of the task's
      // (as with the TypeScript task and extension, they share an owner).
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(copy));
      const own = await eventually(() => exports.diagnostics.collection.get(copy)?.length || undefined, 'the copy’s diagnostics once open');
      await eventually(() => policyDiagnostics(copy).length === own, `the copy’s ${own} diagnostics alone, not the task’s beside them`);
      assert.equal(own, 7, "the same findings as the task's, missing-bibliography-file among them");
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await Promise.resolve(vscode.workspace.fs.delete(drafts, { recursive: true })).catch(() => undefined);
    }
  });
});

/** The exit code of the next task that `matches` to end. */
function taskEnd(matches: (task: vscode.Task) => boolean): Promise<number | undefined> {
  return new Promise((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((e) => {
      if (matches(e.execution.task)) {
        listener.dispose();
        resolve(e.exitCode);
      }
    });
  });
}

/** Runs Policy Cite: Check All Memos and gives the exit code its task ended with. */
async function checkAllMemos(): Promise<number | undefined> {
  const ended = taskEnd((task) => task.name === 'check memos' && task.source === 'policy-cite');
  await vscode.commands.executeCommand('policyCite.checkMemos');
  return ended;
}

describe('the "check memos" task', () => {
  it('checks the memos of the folder in the extension host and puts the findings of those not open in the Problems panel', async function () {
    this.timeout(60_000);
    const exports = await api();
    const tasks = await vscode.tasks.fetchTasks({ type: 'policy-cite' });
    const provided = tasks.find((t) => t.name === 'check memos');
    assert.ok(provided, tasks.map((t) => `${t.source}: ${t.name}`).join(', '));
    assert.equal(provided.source, 'policy-cite');
    assert.deepEqual(provided.definition, { type: 'policy-cite', task: 'check' });
    assert.equal((provided.scope as vscode.WorkspaceFolder).uri.toString(), folder().toString());

    const { document: open } = await openMemo();
    const live = await eventually(() => exports.diagnostics.collection.get(open.uri)?.length || undefined, 'the open memo’s diagnostics');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    // (Names no earlier test used: a document once opened lingers in workspace.textDocuments.)
    const drafts = vscode.Uri.joinPath(folder(), 'check-all');
    await vscode.workspace.fs.createDirectory(drafts);
    // The example memo as it ships, not open; a memo that cannot be read; a memo in a folder the
    // policyCite.exclude default leaves out.
    const copy = vscode.Uri.joinPath(drafts, 'closed-memo.md');
    await vscode.workspace.fs.writeFile(copy, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'examples', 'csto', 'memo.md')));
    const binary = vscode.Uri.joinPath(drafts, 'scan.md');
    await vscode.workspace.fs.writeFile(binary, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    const excluded = vscode.Uri.joinPath(folder(), 'node_modules', 'pkg', 'README.md');
    await vscode.workspace.fs.writeFile(excluded, new TextEncoder().encode('# Package\n\nUzbekistan offered the United States the use of Karshi-Khanabad in 2001.\n'));
    // A memo in a folder whose name starts with a dot, which the CLI does not enter either.
    const hidden = vscode.Uri.joinPath(drafts, '.github', 'notes.md');
    await vscode.workspace.fs.writeFile(hidden, new TextEncoder().encode('# Notes\n\nUzbekistan offered the United States the use of Karshi-Khanabad in 2001.\n'));
    try {
      assert.equal(await checkAllMemos(), 2, 'a memo was not checked');
      const copied = await eventually(() => {
        const found = policyDiagnostics(copy);
        return found.length >= 7 ? found : undefined;
      }, 'the task’s problems on the copy');
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === copy.toString()), 'the copy was not opened');
      // The same findings as the CLI and the extension give the example memo.
      assert.deepEqual(
        copied.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)}`).sort(),
        ['5:15 missing-bibliography-file', '17:1 unsourced-claim', '18:1 unsourced-claim', '19:104 number-mismatch', '25:37 quote-not-in-source', '26:1 attribution-needed', '28:78 locator-out-of-range'].sort(),
      );
      const unsourced = copied.find((d) => codeOf(d) === 'unsourced-claim');
      assert.ok(unsourced);
      assert.equal(unsourced.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(unsourced.message, /^Factual statement without a citation\. Best match: golts2012, para\. 3\./);
      // The open memo keeps the extension's diagnostics alone; sources are not memos; the
      // excluded folder and the unreadable memo have no problems.
      assert.equal(policyDiagnostics(open.uri).length, live);
      for (const source of await vscode.workspace.findFiles(new vscode.RelativePattern(folder(), 'sources/**'))) assert.deepEqual(policyDiagnostics(source), [], source.path);
      assert.deepEqual(policyDiagnostics(excluded), []);
      assert.deepEqual(policyDiagnostics(hidden), []);
      assert.deepEqual(policyDiagnostics(binary), []);
    } finally {
      await Promise.resolve(vscode.workspace.fs.delete(drafts, { recursive: true })).catch(() => undefined);
      await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(folder(), 'node_modules'), { recursive: true })).catch(() => undefined);
    }
  });

  it('checks nothing when no source is indexed, as the CLI, and says why', async function () {
    this.timeout(60_000);
    const exports = await api();
    const config = vscode.workspace.getConfiguration('policyCite');
    const memo = vscode.Uri.joinPath(folder(), 'check-none', 'closed.md');
    await vscode.workspace.fs.writeFile(memo, new TextEncoder().encode('# Draft\n\nUzbekistan offered the United States the use of Karshi-Khanabad in 2001.\n'));
    try {
      await config.update('sources', 'no-such-folder/**/*.md', vscode.ConfigurationTarget.Workspace);
      await eventually(async () => {
        await exports.whenReady();
        return exports.workspace.index.sourceCount === 0 || undefined;
      }, 'an empty index');
      assert.equal(await checkAllMemos(), 2);
      assert.deepEqual(policyDiagnostics(memo), [], 'no statement reported as unsourced');
    } finally {
      await config.update('sources', undefined, vscode.ConfigurationTarget.Workspace);
      await eventually(async () => {
        await exports.whenReady();
        return exports.workspace.index.source('golts2012');
      }, 'the sources indexed again');
      await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(folder(), 'check-none'), { recursive: true })).catch(() => undefined);
    }
  });

  it('runs a tasks.json entry with its own glob of memos', async function () {
    this.timeout(60_000);
    await api();
    const root = vscode.Uri.joinPath(folder(), 'check-glob');
    const inside = vscode.Uri.joinPath(root, 'memos', 'a.md');
    const outside = vscode.Uri.joinPath(root, 'elsewhere', 'b.md');
    const text = new TextEncoder().encode('# Draft\n\nUzbekistan offered the United States the use of Karshi-Khanabad as a military base in 2001.\n');
    await vscode.workspace.fs.writeFile(inside, text);
    await vscode.workspace.fs.writeFile(outside, text);
    // A new memo of white space only is checked (nothing to flag), not reported as unreadable.
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'memos', 'blank.md'), new TextEncoder().encode(' \n\n\t\n'));
    const tasksFile = vscode.Uri.joinPath(folder(), '.vscode', 'tasks.json');
    const before = await readFileText(tasksFile);
    const tasksJson = { version: '2.0.0', tasks: [{ type: 'policy-cite', task: 'check', memos: 'check-glob/memos/**/*.md', label: 'check the memos folder' }] };
    await vscode.workspace.fs.writeFile(tasksFile, new TextEncoder().encode(JSON.stringify(tasksJson, null, 2)));
    try {
      const configured = await eventually(async () => (await vscode.tasks.fetchTasks({ type: 'policy-cite' })).find((t) => t.definition.memos === 'check-glob/memos/**/*.md'), 'the task of tasks.json');
      const ended = taskEnd((task) => task.definition.memos === 'check-glob/memos/**/*.md');
      await vscode.tasks.executeTask(configured);
      assert.equal(await ended, 0);
      const found = await eventually(() => policyDiagnostics(inside).length || undefined, 'the problems of the memo the glob names');
      assert.equal(found, 1);
      assert.equal(codeOf(policyDiagnostics(inside)[0]), 'unsourced-claim');
      assert.deepEqual(policyDiagnostics(outside), [], 'a memo outside the glob is not checked');
    } finally {
      if (before === undefined) await Promise.resolve(vscode.workspace.fs.delete(tasksFile)).catch(() => undefined);
      else await vscode.workspace.fs.writeFile(tasksFile, new TextEncoder().encode(before));
      await Promise.resolve(vscode.workspace.fs.delete(root, { recursive: true })).catch(() => undefined);
    }
  });
});
