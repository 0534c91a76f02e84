// Untrusted source text, bad files and bursts of edits, in a real extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkDraft, type SentenceStats } from '../../src/core/check/checkDraft';
import { hash64 } from '../../src/core/check/checkStore';
import { parseDraft } from '../../src/core/draft';
import { buildIndex, type SourceFile } from '../../src/core/loader';
import { generateCorpus, generateMemo, libraryFromSources } from '../../bench/generate';
import type { MemoAnalysis } from '../../src/vscode/memoAnalysis';
import { api, eventually, folder } from './helpers';


const write = (uri: vscode.Uri, text: string | Uint8Array) => vscode.workspace.fs.writeFile(uri, typeof text === 'string' ? new TextEncoder().encode(text) : text);

const HOSTILE = `---
title: "Hostile <img src=x onerror=alert(1)> [t](command:workbench.action.terminal.new)"
author: Mallory Evil
date: 2020-01-01
---

Kazakhstan signed a deal [click](command:workbench.action.terminal.new) with <img src=x onerror=alert(1)> and <script>alert(1)</script> in 2019.

[x]: command:workbench.action.terminal.new

Kazakhstan raw <b>html</b> and ![img](command:workbench.action.terminal.new) in 2020.

Kazakhstan $(alert) warned $(loading~spin) of a $(error) deficit in 2021.
`;

describe('untrusted source text', () => {
  it('is escaped in hovers, and only policy-cite commands are trusted', async () => {
    const exports = await api();
    const uri = vscode.Uri.joinPath(folder(), 'sources', 'hostile.md');
    await write(uri, HOSTILE);
    await eventually(() => exports.workspace.index.source('evil2020'), 'the hostile source to be indexed');
    const memoUri = vscode.Uri.joinPath(folder(), 'hostile-memo.md');
    await write(memoUri, 'Kazakhstan signed a deal in 2019 [@evil2020, para. 1].\n');
    const doc = await vscode.workspace.openTextDocument(memoUri);
    await vscode.window.showTextDocument(doc);
    for (const position of [new vscode.Position(0, 3), new vscode.Position(0, doc.lineAt(0).text.indexOf('@evil') + 2)]) {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
      const contents = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => typeof c === 'object' && 'value' in c);
      const ours = contents.filter((c) => /Kazakhstan|Hostile/.test(c.value));
      assert.ok(ours.length > 0, 'a policy-cite hover');
      for (const md of ours) {
        const links = [...md.value.matchAll(/\]\(([a-z-]+:[^)\s]*)/gi)].map((m) => m[1]);
        assert.ok(links.every((l) => l.startsWith('command:policyCite.')), `only policy-cite command links: ${links.join(' ')}`);
        assert.ok(!/<img|<script|<b>/i.test(md.value), 'no raw HTML');
        assert.equal(md.supportHtml, false);
        const trusted = md.isTrusted;
        assert.ok(typeof trusted === 'object' && trusted !== null, 'trusted only for named commands');
        assert.ok([...(trusted as { enabledCommands: readonly string[] }).enabledCommands].every((c) => c.startsWith('policyCite.')));
      }
    }
  });

  it('shows theme-icon syntax as written in the Insert Citation picker', async () => {
    const exports = await api();
    await write(vscode.Uri.joinPath(folder(), 'sources', 'hostile.md'), HOSTILE);
    await eventually(() => exports.workspace.index.source('evil2020'), 'the hostile source to be indexed');
    const memoUri = vscode.Uri.joinPath(folder(), 'hostile-memo.md');
    await write(memoUri, 'Kazakhstan signed a deal in 2019 [@evil2020, para. 1].\n');
    const doc = await vscode.workspace.openTextDocument(memoUri);
    await vscode.window.showTextDocument(doc);
    let offered: { label: string; description?: string; detail?: string }[] = [];
    exports.setPickerHook({
      choose: (items, picker) => {
        picker.value = 'deficit';
        offered = items.map((i) => ({ label: i.label, description: i.description, detail: i.detail }));
        return undefined;
      },
    });
    try {
      await vscode.commands.executeCommand('policyCite.insertCitation');
    } finally {
      exports.setPickerHook(undefined);
    }
    const item = offered.find((i) => i.label.includes('deficit'));
    assert.ok(item, offered.map((i) => i.label).join('\n'));
    assert.equal(item.label, 'Kazakhstan \\$(alert) warned \\$(loading~spin) of a \\$(error) deficit in 2021.');
    for (const i of offered) for (const text of [i.label, i.description ?? '', i.detail ?? '']) assert.ok(!/(^|[^\\])\$\([A-Za-z0-9-]+/.test(text), text);
  });
});

describe('a citation key with theme-icon syntax', () => {
  it('shows as written in key completion, and goes in braces', async () => {
    const exports = await api();
    const key = 'evil$(alert)2020';
    const source = vscode.Uri.joinPath(folder(), 'sources', 'icon-key.md');
    await write(source, `---\ntitle: Icons\nauthor: Eve Mallory\ndate: 2020-01-01\ncitation-key: "${key}"\n---\n\nKazakhstan signed a gas deal in 2020.\n`);
    const memoUri = vscode.Uri.joinPath(folder(), 'icon-key-memo.md');
    try {
      await eventually(() => exports.workspace.index.source(key), 'the source to be indexed under its key');
      await write(memoUri, 'Kazakhstan signed a deal [@');
      const doc = await vscode.workspace.openTextDocument(memoUri);
      await vscode.window.showTextDocument(doc);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.lineAt(0).range.end, '@');
      const item = list.items.find((i) => i.insertText === `{${key}}`);
      assert.ok(item, list.items.map((i) => String(i.insertText)).join(', '));
      // The suggest widget renders `$(name)` in a label as an icon: escaped, it shows as written.
      assert.equal(typeof item.label === 'string' ? item.label : item.label.label, 'evil\\$(alert)2020');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await Promise.resolve(vscode.workspace.fs.delete(source)).catch(() => undefined);
      await Promise.resolve(vscode.workspace.fs.delete(memoUri)).catch(() => undefined);
    }
  });
});

describe('bad source files', () => {
  it('skips binary, empty and invalid UTF-8 files with a logged reason and keeps indexing the rest', async () => {
    const exports = await api();
    const dir = vscode.Uri.joinPath(folder(), 'sources');
    await write(vscode.Uri.joinPath(dir, 'binary.md'), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    await write(vscode.Uri.joinPath(dir, 'empty.md'), '');
    await write(vscode.Uri.joinPath(dir, 'latin1.txt'), Uint8Array.from([0x43, 0x61, 0x66, 0xe9]));
    await vscode.commands.executeCommand('policyCite.reindex');
    assert.ok(exports.workspace.index.source('golts2012'), 'the good source is indexed');
    assert.ok(!exports.workspace.index.allSources().some((s) => /binary|empty|latin1/.test(s.path)));
  });
});

describe('convergence', () => {
  it('a burst of edits and a source change end with the findings of a fresh check', async () => {
    const exports = await api();
    const memoUri = vscode.Uri.joinPath(folder(), 'burst.md');
    await write(memoUri, '# Burst\n\n');
    const doc = await vscode.workspace.openTextDocument(memoUri);
    const editor = await vscode.window.showTextDocument(doc);
    const lines = [
      'Uzbek forces killed several hundred protesters in Andijan in 2005.',
      'Tajikistan said it would raise the rent to $320 million [@golts2012, para. 2].',
      'Uzbekistan left the CSTO in 2012 [@nokey].',
      'In our view, Tashkent is bargaining.',
    ];
    for (let round = 0; round < 5; round++) {
      for (const line of lines) {
        await editor.edit((b) => b.insert(doc.lineAt(doc.lineCount - 1).range.end, `${line}\n`), { undoStopBefore: false, undoStopAfter: false });
      }
      if (round === 2) {
        await write(vscode.Uri.joinPath(folder(), 'sources', 'extra.md'), '---\nauthor: Ann Nokey\ndate: 2001\ncitation-key: nokey\n---\n\nUzbekistan left the CSTO in 2012.\n');
      }
    }
    await eventually(() => exports.workspace.index.source('nokey'), 'the new source');
    const expected = (): string[] => {
      const draft = parseDraft(doc.getText());
      return checkDraft(draft, exports.workspace.index, exports.analysis.checkOptions(doc, draft).options).findings.map((f) => `${f.code}@${f.start}-${f.end}`).sort();
    };
    await eventually(() => {
      const actual = vscode.languages
        .getDiagnostics(doc.uri)
        .filter((d) => d.source === 'policy-cite')
        .map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}@${doc.offsetAt(d.range.start)}-${doc.offsetAt(d.range.end)}`)
        .sort();
      return JSON.stringify(actual) === JSON.stringify(expected());
    }, 'diagnostics equal to a fresh check of the final text');
    assert.ok(!expected().some((f) => f.startsWith('unknown-citation-key')), 'the key the new source brings is known');
  });
});

describe('cache of parsed sources', () => {
  it('is kept in the workspace storage and lets a reindex take every unchanged source from it', async () => {
    const exports = await api();
    const cacheUri = exports.workspace.cacheUri;
    assert.ok(cacheUri, 'the extension has workspace storage');
    // Without a cache, a reindex parses everything and writes one, removing the JSON cache file
    // of earlier versions; the second reindex reads it.
    const legacy = vscode.Uri.joinPath(cacheUri, '..', 'sources-cache.json');
    await vscode.workspace.fs.writeFile(legacy, new TextEncoder().encode('{"format":1,"sources":{}}'));
    await Promise.resolve(vscode.workspace.fs.delete(cacheUri)).catch(() => undefined);
    await vscode.commands.executeCommand('policyCite.reindex');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(legacy)), 'the earlier JSON cache is removed');
    // The file: "PCSC", the header's length (u32, little-endian), the header (JSON), then data.
    const bytes = await vscode.workspace.fs.readFile(cacheUri);
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'PCSC');
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as { sources: { path: string }[] };
    const paths = header.sources.map((s) => s.path);
    assert.ok(paths.some((p) => p.endsWith('golts-2012-the-collapsing-csto.md')), paths.join(', '));
    await vscode.commands.executeCommand('policyCite.reindex');
    const stats = exports.workspace.lastCacheStats;
    assert.ok(stats, 'the reindex used the cache');
    assert.equal(stats.hits, exports.workspace.index.sourceCount, JSON.stringify(stats));
    assert.ok(exports.workspace.index.source('golts2012'), 'the source is indexed from the cache');
  });
});

describe('a damaged cache of parsed sources', () => {
  it('parses a source again when its cached parse cannot be read, and writes the cache anew', async function () {
    this.timeout(60_000);
    const exports = await api();
    const cacheUri = exports.workspace.cacheUri;
    assert.ok(cacheUri, 'the extension has workspace storage');
    await vscode.commands.executeCommand('policyCite.reindex');
    await eventually(async () => (await Promise.resolve(vscode.workspace.fs.stat(cacheUri)).catch(() => undefined)) !== undefined, 'the cache written');
    // One byte of golts2012's stored claims changed so that they are no longer JSON (the header,
    // which the index is built from, still reads).
    const claim = exports.workspace.index.claimsOf('golts2012').find((c) => /^[ -~]{40,}$/.test(c.text));
    assert.ok(claim, 'a claim in ASCII');
    const bytes = Uint8Array.from(await vscode.workspace.fs.readFile(cacheUri));
    const stored = JSON.stringify(claim.text).slice(0, 40);
    /** How many times the claim's stored text is in the cache file (a paragraph's may hold it too). */
    const copies = (file: Uint8Array): number => Buffer.from(file).toString('latin1').split(stored).length - 1;
    const whole = copies(bytes);
    const at = Buffer.from(bytes).toString('latin1').indexOf(stored);
    assert.ok(at > 0, 'the claim is stored');
    bytes[at] = 0x7b;
    await vscode.workspace.fs.writeFile(cacheUri, bytes);
    await vscode.commands.executeCommand('policyCite.reindex');
    assert.equal(exports.workspace.lastCacheStats?.hits, exports.workspace.index.sourceCount, 'every source taken from the cache');
    // Read, the damaged source has no paragraphs; it is then parsed again from its file.
    await eventually(() => exports.workspace.index.source('golts2012')?.paragraphs.length === 13, 'golts2012 parsed again');
    assert.equal(exports.workspace.index.claim(claim.id)?.text, claim.text);
    // The cache written after it reads whole: it holds the source parsed again. (A write in
    // between, while the source was being parsed again, leaves it out; read as it is being
    // replaced, the file may be missing for a moment.)
    await eventually(async () => {
      const now = await Promise.resolve(vscode.workspace.fs.readFile(cacheUri)).catch(() => undefined);
      return now !== undefined && copies(now) === whole;
    }, 'the cache written again with the source parsed again');
    await vscode.commands.executeCommand('policyCite.reindex');
    assert.equal(exports.workspace.index.source('golts2012')?.paragraphs.length, 13);
    assert.equal(exports.workspace.lastCacheStats?.hits, exports.workspace.index.sourceCount);
  });
});

describe('check store', () => {
  it('keeps an open memo\'s check in the workspace storage, and the first check of a later session takes every sentence from it', async () => {
    const exports = await api();
    const storeDir = exports.analysis.storeDir;
    assert.ok(storeDir, 'the extension has workspace storage');
    // Stores of 70 other memos, written before: once this memo's is written, only the 64 newest are left.
    await vscode.workspace.fs.createDirectory(storeDir);
    for (let i = 0; i < 70; i++) await write(vscode.Uri.joinPath(storeDir, `${(0xa000 + i).toString(16)}0000000000000.json`), '{}');
    // Temporary files of writes: one a crash left an hour ago (deleted), one being written (kept).
    const stale = `.b000000000000000.${Date.now() - 3_600_000}.tmp`;
    const inFlight = `.b000000000000001.${Date.now()}.tmp`;
    await write(vscode.Uri.joinPath(storeDir, stale), '{"format"');
    await write(vscode.Uri.joinPath(storeDir, inFlight), '{"format"');
    const memoUri = vscode.Uri.joinPath(folder(), 'stored-memo.md');
    await write(memoUri, generateMemo({ lines: 400, library: libraryFromSources(exports.workspace.index.allSources()), seed: 21 }));
    const doc = await vscode.workspace.openTextDocument(memoUri);
    await vscode.window.showTextDocument(doc);
    await eventually(() => exports.diagnostics.lastSlices.get(doc.uri.toString()), 'the memo checked');
    const counts = exports.analysis.sentenceCounts(doc);
    assert.ok(counts && counts.checked > 50, JSON.stringify(counts));
    // Written a little after the first check, or at once when the extension deactivates (flush).
    await exports.analysis.flush();
    const stores = (await vscode.workspace.fs.readDirectory(storeDir)).map(([name]) => name).filter((name) => name.endsWith('.json'));
    assert.ok(stores.includes(`${hash64(memoUri.toString())}.json`), stores.join(', '));
    assert.equal(stores.length, 64);
    const temporary = (await vscode.workspace.fs.readDirectory(storeDir)).map(([name]) => name).filter((name) => name.endsWith('.tmp'));
    assert.deepEqual(temporary, [inFlight]);
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(storeDir, inFlight));
    const published = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.source === 'policy-cite')
      .map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}@${doc.offsetAt(d.range.start)}-${doc.offsetAt(d.range.end)}: ${d.message}`);
    assert.ok(published.length > 20, `${published.length} diagnostics`);
    // A later session: the memo analysis starts afresh over the same storage. (The extension's
    // own class: this file's bundle has a copy of the engine, whose build stamp differs.)
    const Analysis = exports.analysis.constructor as typeof MemoAnalysis;
    // (With the same bibliographies: the memo's, the workspace's references.json, are known keys.)
    const bibliographies = exports.analysis.bibliographies;
    assert.ok(bibliographies);
    const later = new Analysis(exports.workspace, undefined, storeDir, bibliographies);
    try {
      const result = await later.checkInSlices(doc);
      assert.ok(result, 'checked');
      assert.deepEqual(result.findings.map((f) => `${f.code}@${f.start}-${f.end}: ${f.message}`), published);
      const laterCounts = later.sentenceCounts(doc);
      assert.ok(laterCounts && laterCounts.restored > 50 && laterCounts.checked === 0, JSON.stringify(laterCounts));
      // An edit: the changed sentence is checked, the others stay.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(0, 0), 'Uzbekistan left the CSTO in 2012.\n\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const edited = await later.checkInSlices(doc);
      assert.ok(edited);
      const draft = parseDraft(doc.getText());
      assert.deepEqual(JSON.parse(JSON.stringify(edited.findings)), JSON.parse(JSON.stringify(checkDraft(draft, exports.workspace.index, exports.analysis.checkOptions(doc, draft).options).findings)));
      assert.ok((later.sentenceCounts(doc)?.checked ?? 0) >= 1);
    } finally {
      later.dispose();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});

describe('a first start with many sources', () => {
  it('parses them here and on a worker thread (dist/parseWorker.js), with the index of parsing them all here', async function () {
    this.timeout(180_000);
    const exports = await api();
    // One worker, whatever the machine's default (none on one or two cores).
    const settings = vscode.workspace.getConfiguration('policyCite');
    await settings.update('parseWorkers', 1, vscode.ConfigurationTarget.Global);
    // 30k generated claims, some 2.4 MB: more than the extension parses on its own thread alone.
    const dir = vscode.Uri.joinPath(folder(), 'sources', 'bulk');
    for (const s of generateCorpus({ claims: 30_000, seed: 7 }).sources) await write(vscode.Uri.joinPath(dir, s.path.split('/').pop() ?? s.path), s.text);
    try {
      // Without a cache, as on a first start.
      if (exports.workspace.cacheUri) await Promise.resolve(vscode.workspace.fs.delete(exports.workspace.cacheUri)).catch(() => undefined);
      await vscode.commands.executeCommand('policyCite.reindex');
      const stats = exports.workspace.lastParseStats;
      assert.ok(stats && stats.workers === 1 && stats.workerErrors === 0, `parsed on a worker thread: ${JSON.stringify(stats)}`);
      const index = exports.workspace.index;
      assert.ok(index.claimCount > 25_000, `${index.claimCount} claims`);
      // The same files parsed on this thread give the same sources, keys and claims.
      const files: SourceFile[] = [];
      for (const source of index.allSources()) {
        const uri = exports.workspace.uriOf(source);
        assert.ok(uri, source.path);
        files.push({ path: source.path, bytes: await vscode.workspace.fs.readFile(uri) });
      }
      const here = buildIndex(files);
      assert.deepEqual(JSON.parse(JSON.stringify(index.allSources())), JSON.parse(JSON.stringify(here.index.allSources())));
      assert.deepEqual(index.bestSupport('Russia deployed 3,000 troops in 2012'), here.index.bestSupport('Russia deployed 3,000 troops in 2012'));
    } finally {
      await settings.update('parseWorkers', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(dir, { recursive: true });
      await vscode.commands.executeCommand('policyCite.reindex');
    }
  });
});

describe('a large source', () => {
  it('is parsed on a worker thread when it changes and at a reindex, with the claims of parsing it here', async function () {
    this.timeout(180_000);
    const exports = await api();
    await exports.whenReady();
    // Some 1.3 MB of generated paragraphs in one file: more than LARGE_SOURCE_BYTES (1 MB).
    const body = generateCorpus({ claims: 16_000, seed: 11 })
      .sources.map((s) => s.text.replace(/^---\n[\s\S]*?\n---\n/, ''))
      .join('\n\n');
    const text = `---\ntitle: A very long report\nauthor: Big Author\ndate: 2020-05-01\ncitation-key: bigreport2020\n---\n\n${body}`;
    assert.ok(text.length > 1.1 * 1024 * 1024 && text.length < 2 * 1024 * 1024, `${text.length} bytes`);
    const uri = vscode.Uri.joinPath(folder(), 'sources', 'big-report.md');
    await write(uri, text);
    try {
      const source = await eventually(() => exports.workspace.index.source('bigreport2020'), 'the large source to be indexed');
      assert.deepEqual(exports.workspace.lastUpdateParse, { path: source.path, workers: 1 });
      const here = buildIndex([{ path: source.path, bytes: new TextEncoder().encode(text) }]).index.source('bigreport2020');
      assert.ok(here && here.claims.length > 5_000, `${here?.claims.length} claims`);
      assert.deepEqual(JSON.parse(JSON.stringify(source)), JSON.parse(JSON.stringify(here)));
      // A reindex without the cache parses it on a worker too, although there is little else to parse.
      if (exports.workspace.cacheUri) await Promise.resolve(vscode.workspace.fs.delete(exports.workspace.cacheUri)).catch(() => undefined);
      await vscode.commands.executeCommand('policyCite.reindex');
      const stats = exports.workspace.lastParseStats;
      assert.ok(stats && stats.workers === 1 && stats.workerErrors === 0, JSON.stringify(stats));
      assert.deepEqual(JSON.parse(JSON.stringify(exports.workspace.index.source('bigreport2020'))), JSON.parse(JSON.stringify(here)));
    } finally {
      await vscode.workspace.fs.delete(uri);
      await eventually(() => !exports.workspace.index.source('bigreport2020'), 'the large source to leave the index');
    }
  });
});

describe('a long memo', () => {
  /** Writes a generated 3,000-line memo and opens it as from the explorer (vscode.open). */
  async function openLongMemo(name: string, seed: number): Promise<vscode.Uri> {
    const exports = await api();
    await exports.whenReady();
    const library = libraryFromSources(exports.workspace.index.allSources());
    const memoUri = vscode.Uri.joinPath(folder(), name);
    await write(memoUri, generateMemo({ lines: 3_000, library, seed }));
    await vscode.commands.executeCommand('vscode.open', memoUri);
    return memoUri;
  }

  /** The memo's diagnostics once checked, and checkDraft's findings on its text, as `code@start-end`, sorted. */
  async function diagnosticsAndExpected(doc: vscode.TextDocument): Promise<{ slices: number[]; actual: string[]; expected: string[]; stats: SentenceStats }> {
    const exports = await api();
    const slices = await eventually(() => exports.diagnostics.lastSlices.get(doc.uri.toString()), `${doc.uri.path} checked`);
    const draft = parseDraft(doc.getText());
    const { findings, stats } = checkDraft(draft, exports.workspace.index, exports.analysis.checkOptions(doc, draft).options);
    const actual = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.source === 'policy-cite')
      .map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}@${doc.offsetAt(d.range.start)}-${doc.offsetAt(d.range.end)}`)
      .sort();
    assert.ok(findings.length > 100, `${findings.length} findings`);
    return { slices, actual, expected: findings.map((f) => `${f.code}@${f.start}-${f.end}`).sort(), stats };
  }

  it('is checked in slices that leave the extension host free between them, with the findings of one check', async () => {
    const exports = await api();
    // Opened as from the explorer: the memo is the active editor before its first check, and
    // nothing (the status bar included) may check it in one go then.
    const memoUri = await openLongMemo('long-memo.md', 11);
    const doc = await eventually(() => vscode.window.activeTextEditor?.document.uri.toString() === memoUri.toString() && vscode.window.activeTextEditor.document, 'the long memo open');
    const { slices, actual, expected, stats } = await diagnosticsAndExpected(doc);
    assert.deepEqual(actual, expected);
    assert.ok(slices.length > 1, `the check ran in ${slices.length} slice(s)`);
    console.log(`      (long memo: ${slices.length} slices, the longest ${Math.max(...slices).toFixed(1)} ms)`);
    // The status bar shows the counts of that check.
    await eventually(() => exports.statusBar.text === `$(quote) ${stats.sourced}/${stats.factual} facts sourced`, `the status bar to show ${stats.sourced}/${stats.factual}, not ${exports.statusBar.text}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('shows the findings in sight before the rest is checked, and keeps the others while it checks again', async () => {
    const exports = await api();
    const memoUri = await openLongMemo('long-memo-in-sight.md', 13);
    const key = memoUri.toString();
    const snapshot = (): string[] =>
      vscode.languages
        .getDiagnostics(memoUri)
        .filter((d) => d.source === 'policy-cite')
        .map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`)
        .sort();
    /** Our diagnostics of the memo at each change of them, and as last seen. */
    const seen: string[][] = [];
    let shown: string[] = [];
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === key)) return;
      // (Other extensions' diagnostics of the memo change too: only changes of ours count.)
      const now = snapshot();
      if (now.join() !== shown.join()) seen.push((shown = now));
    });
    try {
      const doc = await eventually(() => vscode.window.activeTextEditor?.document.uri.toString() === key && vscode.window.activeTextEditor.document, 'the memo open');
      const { actual, expected } = await diagnosticsAndExpected(doc);
      assert.deepEqual(actual, expected);
      const inSight = exports.diagnostics.lastInSight.get(key);
      assert.ok(inSight, 'the findings in sight were published first');
      // The memo's top is in sight (an editor opened on it shows it), checked as soon as the
      // pieces that hold it were read.
      assert.equal(inSight.ranges[0][0], 0);
      assert.equal(inSight.whileReading, true);
      const all = snapshot();
      await eventually(() => seen.length > 0 && seen[seen.length - 1].join() === all.join() && seen, 'the diagnostics events');
      console.log(`      (long memo: ${inSight.findings} findings in sight after ${inSight.afterMs.toFixed(0)} ms of slices, then ${all.length} in all)`);
      const first = seen[0];
      assert.ok(first.length > 0 && first.length < all.length, `${first.length} findings first, ${all.length} in all`);
      const allSet = new Set(all);
      for (const d of first) assert.ok(allSet.has(d), `${d} is a finding of the whole check`);
      const firstSet = new Set(first);
      const there = vscode.languages.getDiagnostics(memoUri).filter((d) => {
        const [start, end] = [doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)];
        return d.source === 'policy-cite' && inSight.ranges.some(([a, b]) => start < b && end > a);
      });
      assert.ok(there.length > 0, 'findings in sight');
      for (const d of there) assert.ok(firstSet.has(`${typeof d.code === 'object' ? d.code.value : d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`));

      // Sources indexed again: every sentence is checked anew, those in sight first; the
      // diagnostics elsewhere stay meanwhile, so none goes away and comes back.
      seen.length = 0;
      const checked = exports.diagnostics.lastSlices.get(key);
      await vscode.commands.executeCommand('policyCite.reindex');
      await eventually(() => exports.diagnostics.lastInSight.get(key) !== inSight && exports.diagnostics.lastSlices.get(key) !== checked, 'the memo checked again');
      assert.equal(exports.diagnostics.lastInSight.get(key)?.whileReading, false, 'read already');
      assert.deepEqual(seen.map((x) => x.length), [], 'no change');
      assert.equal(snapshot().join(), all.join());
    } finally {
      listener.dispose();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it('gives the same diagnostics when hovers read the memo while it is parsed and checked in slices', async () => {
    const memoUri = await openLongMemo('long-memo-hovered.md', 12);
    // Hovers every few milliseconds from the start: one of them parses the memo itself (taking
    // over from the parse ahead), or finds it parsed, depending on when it comes.
    const hovers: Array<Thenable<unknown>> = [];
    for (let i = 0; i < 12; i++) {
      hovers.push(vscode.commands.executeCommand('vscode.executeHoverProvider', memoUri, new vscode.Position(40 + 20 * i, 3)));
      await new Promise((resolve) => setTimeout(resolve, 5 * i));
    }
    await Promise.all(hovers);
    const { actual, expected } = await diagnosticsAndExpected(await vscode.workspace.openTextDocument(memoUri));
    assert.deepEqual(actual, expected);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('a memo of Markdown the parser would take minutes over', () => {
  it('is read line by line at once, with a markdown-not-read finding where and why, and the extension host stays free', async () => {
    const exports = await api();
    await exports.whenReady();
    const library = libraryFromSources(exports.workspace.index.allSources());
    // 12 KB of nested list markers on one line: micromark took about 10 s here (40 KB: 5 minutes).
    const hostile = '* - '.repeat(3_000);
    const memoUri = vscode.Uri.joinPath(folder(), 'hostile-memo.md');
    await write(memoUri, `${generateMemo({ lines: 200, library, seed: 3 })}\n\n${hostile}\n`);
    await vscode.commands.executeCommand('vscode.open', memoUri);
    const doc = await vscode.workspace.openTextDocument(memoUri);
    const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);
    const notRead = await eventually(
      () => vscode.languages.getDiagnostics(memoUri).find((d) => d.source === 'policy-cite' && codeOf(d) === 'markdown-not-read'),
      'a markdown-not-read diagnostic',
    );
    assert.equal(doc.getText(notRead.range), hostile);
    assert.match(notRead.message, /line by line, not as Markdown: a line nests more than 32 block quotes or list items/);
    assert.equal(notRead.severity, vscode.DiagnosticSeverity.Information);
    // The other diagnostics are those of one check of the text.
    const draft = parseDraft(doc.getText());
    const { findings } = checkDraft(draft, exports.workspace.index, exports.analysis.checkOptions(doc, draft).options);
    const actual = vscode.languages.getDiagnostics(memoUri).filter((d) => d.source === 'policy-cite').map((d) => `${codeOf(d)}@${doc.offsetAt(d.range.start)}-${doc.offsetAt(d.range.end)}`).sort();
    assert.deepEqual(actual, findings.map((f) => `${f.code}@${f.start}-${f.end}`).sort());
    // An edit next to it is checked again at once too.
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(doc.positionAt(doc.getText().indexOf(hostile)), 'Uzbekistan left the CSTO in 2012.\n\n'));
    await eventually(
      () => vscode.languages.getDiagnostics(memoUri).some((d) => codeOf(d) === 'unsourced-claim' && doc.getText(d.range) === 'Uzbekistan left the CSTO in 2012.'),
      'the new sentence flagged',
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
