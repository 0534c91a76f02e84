// The manifest declares `capabilities.virtualWorkspaces: { supported: true }`. This suite runs in
// a virtual workspace: the window opens `memfs:/csto` (`npm run test:virtual`), a folder whose
// only file system is the in-memory provider registered below, with no file on disk and no file
// search provider, as with GitHub Repositories (`vscode-vfs`). policy-cite is the packaged VSIX,
// installed, so VS Code applies its manifest. The tests copy examples/csto into the folder, then
// use policy-cite through the VS Code API alone.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PolicyCiteApi } from '../../src/extension';
import { api, codeOf, eventually, EXTENSION_ID, folder, hoverAt, policyDiagnostics, positionOf, readFileText } from '../integration/helpers';
import { MemFs } from './memfs';

const memfs = new MemFs();
const encode = (text: string) => new TextEncoder().encode(text);

/** Copies a folder on disk into the virtual folder through `workspace.fs`. */
async function copyIn(from: string, to: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.createDirectory(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const target = vscode.Uri.joinPath(to, entry.name);
    if (entry.isDirectory()) await copyIn(path.join(from, entry.name), target);
    else await vscode.workspace.fs.writeFile(target, fs.readFileSync(path.join(from, entry.name)));
  }
}

describe('policy-cite in a virtual workspace (memfs:)', () => {
  before(async () => {
    const root = folder();
    assert.equal(root.scheme, 'memfs', 'the window opened the virtual folder');
    assert.equal(vscode.workspace.workspaceFolders?.length, 1, 'only the virtual folder: a virtual workspace');
    vscode.workspace.registerFileSystemProvider('memfs', memfs, { isCaseSensitive: true });
    const example = process.env.POLICY_CITE_EXAMPLE_DIR;
    assert.ok(example, 'POLICY_CITE_EXAMPLE_DIR is set by test/runIntegration.ts');
    await copyIn(example, root);
    // What the walk must not take: a folder linked back to sources/ (a loop) and an excluded folder.
    memfs.symlinkDirectory(vscode.Uri.joinPath(root, 'sources', 'loop'), vscode.Uri.joinPath(root, 'sources'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'sources', 'node_modules', 'vendored.md'), encode('# Vendored\n\nKazakhstan sold gas in 2019.\n'));
  });

  it('is enabled in the virtual workspace, as installed from the VSIX, and activates', async () => {
    const extension = vscode.extensions.getExtension<PolicyCiteApi>(EXTENSION_ID);
    assert.ok(extension, 'VS Code disables an extension that does not declare virtual workspace support here; policy-cite is enabled');
    const repoRoot = path.resolve(String(process.env.POLICY_CITE_EXAMPLE_DIR), '..', '..');
    assert.notEqual(path.resolve(extension.extensionPath), repoRoot, 'the installed VSIX, not the development folder (which is never disabled)');
    assert.equal(extension.packageJSON.capabilities?.virtualWorkspaces?.supported, true);
    await api();
    assert.ok(extension.isActive);
  });

  it('indexes the sources of the virtual folder, not the linked or excluded ones', async () => {
    const exports = await api();
    const source = await eventually(() => exports.workspace.index.source('golts2012'), 'golts2012 to be indexed');
    assert.equal(source.paragraphs.length, 13);
    const indexed = exports.workspace.index.allSources().map((s) => exports.workspace.uriOf(s)?.toString());
    assert.deepEqual(indexed, [vscode.Uri.joinPath(folder(), 'sources', 'golts-2012-the-collapsing-csto.md').toString()]);
  });

  it('gives hovers and diagnostics on the virtual memo', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'memo.md'));
    await vscode.window.showTextDocument(document);
    const { text } = await hoverAt(document, positionOf(document, 'Karimov skipped', 2));
    assert.match(text, /Islam Karimov/);
    assert.match(text, /@golts2012, para\. \d+/);
    const citation = await hoverAt(document, positionOf(document, '[@golts2012, para. 2]', 3));
    assert.match(citation.text, /The Collapsing CSTO/);
    const diagnostics = await eventually(() => {
      const found = policyDiagnostics(document.uri);
      return found.some((d) => codeOf(d) === 'number-mismatch') ? found : undefined;
    }, 'policy-cite diagnostics on memfs:/csto/memo.md');
    const byCode = (code: string) => diagnostics.filter((d) => codeOf(d) === code).map((d) => document.getText(d.range));
    assert.deepEqual(byCode('number-mismatch'), ['$320 million']);
    assert.deepEqual(byCode('locator-out-of-range'), ['@golts2012, para. 17']);
    assert.ok(byCode('unsourced-claim').includes('Uzbek forces killed several hundred protesters in Andijan in 2005.'));
  });

  it('goes to the cited paragraph, and finds the citations of a memo the editor has not opened', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'memo.md'));
    const at = positionOf(document, '[@golts2012, para. 2]', 4);
    const [link] = await vscode.commands.executeCommand<vscode.LocationLink[]>('vscode.executeDefinitionProvider', document.uri, at);
    assert.equal(link?.targetUri.toString(), vscode.Uri.joinPath(folder(), 'sources', 'golts-2012-the-collapsing-csto.md').toString());
    const other = vscode.Uri.joinPath(folder(), 'drafts', 'other.md');
    await vscode.workspace.fs.writeFile(other, encode('Tajikistan raised the rent [@golts2012, para. 2].\n'));
    try {
      // No file search in memfs: the memos are found by reading the folder.
      const references = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', document.uri, at);
      assert.ok(references.some((l) => l.uri.toString() === other.toString() && l.range.start.isEqual(new vscode.Position(0, 28))), references.map((l) => l.uri.toString()).join('\n'));
      assert.ok(references.filter((l) => l.uri.toString() === document.uri.toString()).length >= 5);
    } finally {
      await vscode.workspace.fs.delete(other);
    }
  });

  it('inserts a citation and writes the bibliography through the file system provider', async () => {
    const exports = await api();
    const memoUri = vscode.Uri.joinPath(folder(), 'notes', 'draft.md');
    await vscode.workspace.fs.writeFile(memoUri, encode('Russia leases a base in Tajikistan and pays rent for it.\n'));
    const doc = await vscode.workspace.openTextDocument(memoUri);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 5, 0, 5);
    exports.setPickerHook({ choose: (items) => items.find((i) => i.claim.id === 'golts2012:2.3')?.claim.id });
    try {
      assert.equal(await vscode.commands.executeCommand('policyCite.insertCitation'), true);
    } finally {
      exports.setPickerHook(undefined);
    }
    assert.match(doc.getText(), /pays rent for it \[@golts2012, para\. 2\]\.\n$/);
    const bibUri = vscode.Uri.joinPath(folder(), 'notes', 'references.json');
    const stored = await eventually(() => memfs.storedText(bibUri.path), 'references.json in the provider');
    assert.deepEqual((JSON.parse(stored) as { id: string }[]).map((e) => e.id), ['golts2012']);
    assert.ok(memfs.writes.includes(bibUri.path), 'written through the provider');
    assert.equal(await readFileText(bibUri), stored);
    assert.ok(!fs.existsSync(bibUri.path) && !fs.existsSync(bibUri.fsPath), 'nothing written to the local disk');
  });

  it('follows a source added, changed and deleted in the virtual folder (the provider reports changes)', async () => {
    const exports = await api();
    const uri = vscode.Uri.joinPath(folder(), 'sources', 'petrova-2019.md');
    const header = '---\ntitle: Gas Routes\nauthor: Anna Petrova\ndate: 2019-03-04\n---\n\nTurkmenistan sold 30 billion cubic meters of gas to China in 2018.\n';
    await vscode.workspace.fs.writeFile(uri, encode(header));
    await eventually(() => exports.workspace.index.source('petrova2019'), 'the new source to be indexed');
    await vscode.workspace.fs.writeFile(uri, encode(`${header}\nKazakhstan sold less.\n`));
    await eventually(() => exports.workspace.index.claimsOf('petrova2019').length === 2, 'the changed source to be re-parsed');
    await vscode.workspace.fs.delete(uri);
    await eventually(() => !exports.workspace.index.source('petrova2019'), 'the deleted source to be removed');
    assert.ok(exports.workspace.index.source('golts2012'), 'the other source is kept');
  });

  it('reads a change the provider does not report on "Policy Cite: Reindex Sources"', async () => {
    const exports = await api();
    const uri = vscode.Uri.joinPath(folder(), 'sources', 'silent-2020.md');
    memfs.silent = true;
    try {
      await vscode.workspace.fs.writeFile(uri, encode('---\ntitle: Unreported\nauthor: Sam Silent\ndate: 2020-01-01\n---\n\nKazakhstan signed a gas deal with China in 2020.\n'));
    } finally {
      memfs.silent = false;
    }
    await vscode.commands.executeCommand('policyCite.reindex');
    assert.ok(exports.workspace.index.source('silent2020'), 'indexed after the reindex');
  });
});
