// The user's journey end to end (issue 5): the packaged VSIX installed into a fresh VS Code
// (code-server 4.139.1) and driven in headless Chromium the way a person would use it on the
// example memo: hovers, Go to Definition, the Problems panel, a quick fix, the Insert Citation
// quick pick, save.
//
//   npm run test:e2e                 (sets up the tools, packages the VSIX, then: tsx test/e2e/journey.ts)
//   tsx test/e2e/journey.ts [--docs]
//
// --docs (or POLICY_CITE_E2E_DOCS=1; `npm run screenshots`) also copies the README screenshots
// to docs/images/ after a passing run. Screenshots and failure reports go to test-results/e2e/.
// Environment: POLICY_CITE_E2E_VSIX=path tests another VSIX (default: the one `npm run package`
// writes), POLICY_CITE_KEEP_TMP=1 keeps the temp dirs, POLICY_CITE_E2E_VERBOSE=1 prints
// code-server's output. Needs the tools from scripts/setup-vscode-tools.sh.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';
import {
  findRepoRoot,
  installVsix,
  launchChromium,
  pollUntil,
  resolveTools,
  startCodeServer,
  type BrowserSession,
  type CodeServer,
} from '../support/codeServer';
import { Journey } from './harness';
import { SELECTORS, Workbench, type Box, type ProblemRow } from './workbench';

const repoRoot = findRepoRoot(__dirname);
const artifactsDir = path.join(repoRoot, 'test-results', 'e2e');
const docsImagesDir = path.join(repoRoot, 'docs', 'images');
const writeDocs = process.argv.includes('--docs') || process.env.POLICY_CITE_E2E_DOCS === '1';
const verbose = process.env.POLICY_CITE_E2E_VERBOSE === '1';
const keepTemp = process.env.POLICY_CITE_KEEP_TMP === '1';

const EXTENSION_ID = 'policy-cite.policy-cite';
const VIEWPORT = { width: 1280, height: 800 };

// The two unsourced sentences of examples/csto/memo.md the journey fixes, and what they become.
const KARSHI = {
  line: 'Uzbekistan offered the United States the use of Karshi-Khanabad as a military base in 2001.',
  cited: 'Uzbekistan offered the United States the use of Karshi-Khanabad as a military base in 2001 [@golts2012, para. 3].',
};
const ANDIJAN = {
  line: 'Uzbek forces killed several hundred protesters in Andijan in 2005.',
  cited: 'Uzbek forces killed several hundred protesters in Andijan in 2005 [@golts2012, para. 3].',
};
const CITATION_PATTERN = /@golts2012, para\. \d+/;
// Rules the example memo triggers besides unsourced-claim.
const OTHER_RULES = ['number-mismatch', 'quote-not-in-source', 'attribution-needed', 'locator-out-of-range'];

function readVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('package.json has no version');
  return manifest.version;
}

/** The 1-based line of `text` in `memo`. */
function lineOf(memo: string, text: string): number {
  const index = memo.split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`the example memo no longer contains "${text}"`);
  return index + 1;
}

function describeRows(rows: readonly ProblemRow[]): string {
  return rows.map((r) => `${r.code}@${r.line}`).join(', ');
}

/**
 * A README crop: the editor area's width (line numbers to the right edge, widened to hold
 * `boxes`), and the height of `boxes` padded, kept inside the viewport.
 */
function crop(editorArea: Box | null, boxes: ReadonlyArray<Box | null | undefined>, pad: { top: number; bottom: number }): Box {
  const present = boxes.filter((b): b is Box => b !== null && b !== undefined);
  // Menus and pickers may reach over the side bar: keep them whole.
  const left = Math.max(0, Math.min(editorArea?.x ?? 0, ...present.map((b) => b.x)));
  const right = Math.min(VIEWPORT.width, Math.max(editorArea ? editorArea.x + editorArea.width : VIEWPORT.width, ...present.map((b) => b.x + b.width)));
  if (present.length === 0) return { x: left, y: 0, width: right - left, height: VIEWPORT.height };
  const top = Math.max(0, Math.min(...present.map((b) => b.y)) - pad.top);
  const bottom = Math.min(VIEWPORT.height, Math.max(...present.map((b) => b.y + b.height)) + pad.bottom);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

async function main(): Promise<number> {
  const started = Date.now();
  const tools = resolveTools(repoRoot);
  const vsix = path.resolve(process.env.POLICY_CITE_E2E_VSIX ?? path.join(repoRoot, `policy-cite-${readVersion()}.vsix`));
  const exampleDir = path.join(repoRoot, 'examples', 'csto');
  const originalMemo = fs.readFileSync(path.join(exampleDir, 'memo.md'), 'utf8');
  const karshiLine = lineOf(originalMemo, KARSHI.line);
  const andijanLine = lineOf(originalMemo, ANDIJAN.line);
  // (The example names references.json, which the first citation writes.)
  const bibliographyLine = lineOf(originalMemo, 'bibliography: references.json');

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cite-e2e-'));
  const workspace = path.join(tempDir, 'csto');
  const extensionsDir = path.join(tempDir, 'extensions');
  const memoPath = path.join(workspace, 'memo.md');
  const bibliographyPath = path.join(workspace, 'references.json');

  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await session?.close();
      await server?.stop();
      if (!keepTemp) fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
    })());
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const journey = new Journey(artifactsDir, {
    page: () => session?.page,
    consoleLines: () => session?.consoleLines ?? [],
    serverOutput: () => server?.output() ?? '',
  });
  console.log(`e2e journey: ${path.relative(repoRoot, vsix)} in code-server, workspace ${workspace}`);

  // Screens for the README, recorded when the step that took them has passed.
  const docShots: Array<{ from: string; to: string }> = [];
  let problemsBefore: ProblemRow[] = [];

  try {
    await journey.step(
      'the packaged VSIX installs into a fresh extensions folder',
      async () => {
        assert.ok(fs.existsSync(vsix), `${vsix} is missing: run \`npm run package\` first`);
        fs.cpSync(exampleDir, workspace, { recursive: true });
        assert.ok(!fs.existsSync(bibliographyPath), 'the example must start without references.json');
        await installVsix(vsix, { extensionsDir, tools });
        const installed = fs.readdirSync(extensionsDir).filter((name) => name.startsWith(`${EXTENSION_ID}-`));
        assert.equal(installed.length, 1, `installed: ${fs.readdirSync(extensionsDir).join(', ')}`);
        // The packaged artifact, not the development tree: only the bundle and its assets.
        assert.ok(fs.existsSync(path.join(extensionsDir, installed[0], 'dist', 'extension.js')), 'dist/extension.js in the installed extension');
        assert.ok(!fs.existsSync(path.join(extensionsDir, installed[0], 'src')), 'the VSIX must not carry src/');
      },
      { critical: true },
    );

    await journey.step(
      'code-server shows the workbench on a fresh copy of examples/csto',
      async () => {
        // No smoke-test driver: the workbench is the one a user gets, notifications included.
        server = await startCodeServer({
          tools,
          workspace,
          extensionsDir,
          // The empty chat side bar would take a third of the screenshots.
          // Nor should a notice about ports opened elsewhere on the machine cover them.
          userSettings: { 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'remote.autoForwardPorts': false },
          onOutput: verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
        });
        session = await launchChromium({ tools, viewport: VIEWPORT, handleSignals: false });
        await session.page.goto(server.workbenchUrl(workspace), { waitUntil: 'domcontentloaded', timeout: 60_000 });
        await new Workbench(session.page).waitForReady();
      },
      { critical: true, timeoutMs: 240_000 },
    );
    const page = (): BrowserSession['page'] => {
      if (!session) throw new Error('no browser');
      return session.page;
    };
    const wb = (): Workbench => new Workbench(page());

    await journey.step(
      'Quick Open opens memo.md and the checker marks it',
      async () => {
        await wb().quickOpen('memo.md');
        journey.note('memo.md opened');
        await wb().waitForEditorText('# Summary', 30_000);
        // A squiggle means the extension is active and has checked the memo: hovers will answer.
        await page().locator(SELECTORS.squiggleWarning).first().waitFor({ state: 'attached', timeout: 60_000 });
      },
      { critical: true, timeoutMs: 240_000 },
    );

    await journey.step('hovering "Karimov" shows the actor, his role and claims with citations', async () => {
      const { text, hover } = await wb().hoverText('Karimov skipped the latest', 'Karimov', (t) => t.includes('Islam Karimov'), 'the actor hover for Karimov');
      assert.match(text, /Islam Karimov\s*·\s*person/, text);
      assert.match(text, /Uzbek President/, text);
      assert.match(text, /What the sources claim/, text);
      assert.match(text, CITATION_PATTERN, text);
      await journey.screenshot('hover-actor');
      const clip = crop(await wb().editorArea(), [await hover.boundingBox(), await wb().textBox('Karimov skipped the latest', 'Karimov skipped')], { top: 12, bottom: 30 });
      const shot = await journey.screenshot('doc-hover-actor', clip);
      docShots.push({ from: shot, to: 'hover-actor.png' });
    });

    await journey.step('hovering "Tashkent" resolves to Uzbekistan', async () => {
      const { text } = await wb().hoverText('should engage Tashkent cautiously', 'Tashkent', (t) => /Uzbekistan\s*·\s*state/.test(t), 'the actor hover for Tashkent');
      assert.match(text, /Tashkent/, `the hover names the alias: ${text}`);
      await journey.screenshot('hover-metonym');
    });

    await journey.step('hovering [@golts2012, para. 2] shows the source and the paragraph', async () => {
      const { text } = await wb().hoverText('from the bloc [@golts2012', 'golts2012', (t) => t.includes('The Collapsing CSTO'), 'the citation hover');
      assert.match(text, /Para\. 2:/, text);
      assert.match(text, /Two weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow/, text);
      await journey.screenshot('hover-citation');
      await wb().moveMouseAway();
    });

    await journey.step('F12 on [@golts2012, para. 2] opens the source at that paragraph, numbered ¶2', async () => {
      await wb().clickText('from the bloc [@golts2012', 'golts2012');
      await page().keyboard.press('F12');
      await wb().waitForActiveTab('golts-2012-the-collapsing-csto.md');
      await wb().waitForEditorText('Two weeks ago, Uzbekistan gave notice to CSTO headquarters in Moscow');
      // The paragraph numbers (inlay hints) before the paragraphs.
      await wb().waitForEditorText('¶2');
      await journey.screenshot('definition');
      await wb().quickOpen('memo.md');
      await wb().waitForEditorText('# Summary');
    });

    await journey.step('the Problems panel lists unsourced-claim, the other rules and the missing references.json', async () => {
      await wb().moveMouseAway();
      await wb().openProblems();
      problemsBefore = await wb().waitForProblems(
        (rows) =>
          [karshiLine, andijanLine].every((line) => rows.some((r) => r.code === 'unsourced-claim' && r.line === line)) &&
          OTHER_RULES.every((rule) => rows.some((r) => r.code === rule)) &&
          rows.some((r) => r.code === 'missing-bibliography-file' && r.line === bibliographyLine),
        'Problems rows for unsourced-claim (two sentences), the other rules and missing-bibliography-file',
      ).catch(async (error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; rows: ${describeRows(await wb().problemRows())}`);
      });
      const unsourced = problemsBefore.find((r) => r.code === 'unsourced-claim' && r.line === karshiLine);
      assert.match(unsourced?.message ?? '', /Factual statement without a citation/);
      const mismatch = problemsBefore.find((r) => r.code === 'number-mismatch');
      assert.match(mismatch?.message ?? '', /\$320 million/);
      const locator = problemsBefore.find((r) => r.code === 'locator-out-of-range');
      assert.match(locator?.message ?? '', /para\. 17/);
      const bibliography = problemsBefore.find((r) => r.code === 'missing-bibliography-file');
      assert.match(bibliography?.message ?? '', /"references\.json" named here does not exist/);
      journey.note(`Problems: ${describeRows(problemsBefore)}`);
      await journey.screenshot('problems');
    });

    await journey.step('the light bulb (Control+.) on an unsourced sentence applies "Cite golts2012, para. 3"', async () => {
      await wb().clickText('Karshi-Khanabad as a military', 'Karshi-Khanabad');
      const titles = await wb().openQuickFixes(
        (t) => t.some((x) => /^Cite golts2012, para\. 3 — /.test(x)) && t.includes('Insert citation…') && t.includes('Mark as analysis (policy-cite: ignore)'),
      );
      journey.note(`quick fixes: ${titles.join(' | ')}`);
      await journey.screenshot('light-bulb');
      const menu = await page().locator(SELECTORS.actionWidget).filter({ visible: true }).first().boundingBox();
      const panel = await page().locator(SELECTORS.panel).boundingBox();
      const line = await wb().textBox('Karshi-Khanabad as a military', 'Uzbekistan offered');
      const clip = crop(await wb().editorArea(), [menu, panel, line], { top: 48, bottom: 0 });
      const shot = await journey.screenshot('doc-problems-quickfix', clip);
      const applied = await wb().applyQuickFix((t) => t.startsWith('Cite golts2012, para. 3'));
      journey.note(`applied: ${applied}`);
      await wb().waitForEditorText(KARSHI.cited);
      docShots.push({ from: shot, to: 'problems-quickfix.png' });
    });

    await journey.step('"Policy Cite: Insert Citation" from F1 cites the other sentence through the quick pick', async () => {
      await wb().clickText('protesters in Andijan', 'Andijan');
      journey.note('cursor on the Andijan sentence');
      await wb().runCommand('Policy Cite: Insert Citation');
      journey.note('command run');
      await pollUntil(async () => (await wb().quickPickRows()).some((r) => CITATION_PATTERN.test(r.description)), {
        timeoutMs: 15_000,
        what: 'the claim quick pick (descriptions @golts2012, para. N)',
      });
      journey.note('claims listed');
      await page().keyboard.type('Andijan');
      // First the claims ranked for the sentence are shown (their detail gives the support score),
      // then, after each keystroke, the extension's search results replace them.
      await wb().waitForQuickPickSettled(
        (rows) => rows.length > 0 && rows.every((r) => !/support \d+%/.test(r.detail)) && rows.some((r) => /Andijan/.test(r.label)),
        'the search results for "Andijan" in the quick pick',
      );
      const picked = await wb().focusQuickPickRow(
        (label, description) => label.includes('killed several hundred protesters in Andijan') && description === '@golts2012, para. 3',
        'the claim about Andijan in the quick pick',
      );
      journey.note(`picking: ${picked.label} (${picked.description})`);
      const widget = await page().locator(SELECTORS.quickInput).boundingBox();
      const sentence = await wb().textBox('protesters in Andijan', 'Uzbek forces');
      await journey.screenshot('quick-pick');
      const clip = crop(await wb().editorArea(), [widget, sentence], { top: 8, bottom: 12 });
      const shot = await journey.screenshot('doc-quick-pick', clip);
      await page().keyboard.press('Enter');
      await wb().quickInputHidden();
      await wb().waitForEditorText(ANDIJAN.cited);
      docShots.push({ from: shot, to: 'quick-pick.png' });
    });

    await journey.step('Control+S saves the memo; memo.md and references.json on disk hold the citations', async () => {
      await wb().page.keyboard.press('Control+S');
      await pollUntil(async () => !(await wb().activeTabDirty()), { timeoutMs: 15_000, what: 'the memo tab to be saved (not dirty)' });
      const expectedMemo = originalMemo.replace(KARSHI.line, KARSHI.cited).replace(ANDIJAN.line, ANDIJAN.cited);
      await pollUntil(() => fs.readFileSync(memoPath, 'utf8') === expectedMemo, { timeoutMs: 10_000, what: 'memo.md on disk to hold exactly the two citations' }).catch(
        (error: unknown) => {
          const actual = fs.readFileSync(memoPath, 'utf8').split('\n');
          const expected = expectedMemo.split('\n');
          const diff = actual.flatMap((l, i) => (l === expected[i] ? [] : [`line ${i + 1}: ${JSON.stringify(l)} (expected ${JSON.stringify(expected[i])})`]));
          throw new Error(`${error instanceof Error ? error.message : String(error)}\n${diff.slice(0, 5).join('\n')}`);
        },
      );
      // The extension saves the bibliography itself after each citation.
      const items = await pollUntil(
        () => {
          if (!fs.existsSync(bibliographyPath)) return undefined;
          const parsed: unknown = JSON.parse(fs.readFileSync(bibliographyPath, 'utf8'));
          return Array.isArray(parsed) ? (parsed as unknown[]) : undefined;
        },
        { timeoutMs: 10_000, what: 'references.json on disk as a CSL-JSON array' },
      );
      assert.equal(items.length, 1, `one entry in references.json: ${JSON.stringify(items)}`);
      const entry = items[0] as Record<string, unknown>;
      assert.equal(entry.id, 'golts2012');
      assert.equal(entry.title, 'The Collapsing CSTO');
      assert.equal(typeof entry.type, 'string', 'a CSL type');
    });

    await journey.step('the Problems rows for the two cited sentences and for references.json are gone, the others stay', async () => {
      const after = await wb().waitForProblems(
        (rows) =>
          !rows.some((r) => r.code === 'unsourced-claim' && (r.line === karshiLine || r.line === andijanLine)) &&
          !rows.some((r) => r.code === 'missing-bibliography-file') &&
          OTHER_RULES.every((rule) => rows.some((r) => r.code === rule)),
        'the unsourced-claim rows of the cited sentences, and the missing-bibliography-file row, to go',
      ).catch(async (error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; rows: ${describeRows(await wb().problemRows())}`);
      });
      // (The first citation wrote references.json.)
      assert.equal(after.length, problemsBefore.length - 3, `three rows fewer: before ${describeRows(problemsBefore)}; after ${describeRows(after)}`);
      journey.note(`Problems: ${describeRows(after)}`);
      await journey.screenshot('problems-after');
    });

    await journey.step('F2 on @golts2012 renames the key in the memo, the source’s front matter and references.json', async () => {
      await wb().moveMouseAway();
      await wb().clickText('from the bloc [@golts2012', 'golts2012');
      await page().keyboard.press('F2');
      const input = page().locator(SELECTORS.renameInput).first();
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      assert.equal(await input.inputValue(), 'golts2012', 'the rename box holds the key');
      await input.fill('golts2012x');
      await journey.screenshot('rename');
      await page().keyboard.press('Enter');
      // VS Code saves the files the rename changed that had no unsaved changes (files.refactoring.autoSave).
      const sourcePath = path.join(workspace, 'sources', 'golts-2012-the-collapsing-csto.md');
      const sourceText = fs.readFileSync(path.join(exampleDir, 'sources', 'golts-2012-the-collapsing-csto.md'), 'utf8');
      await pollUntil(() => fs.readFileSync(sourcePath, 'utf8') === `---\ncitation-key: golts2012x\n---\n\n${sourceText}`, {
        timeoutMs: 15_000,
        what: 'the source on disk to give citation-key: golts2012x in a front matter of its own',
      });
      await pollUntil(() => (JSON.parse(fs.readFileSync(bibliographyPath, 'utf8')) as Array<{ id?: unknown }>)[0]?.id === 'golts2012x', { timeoutMs: 15_000, what: 'references.json on disk to have the entry golts2012x' });
      await pollUntil(async () => !(await wb().activeTabDirty()) && !/@golts2012(?!x)/.test(fs.readFileSync(memoPath, 'utf8')), { timeoutMs: 15_000, what: 'memo.md saved with every citation of @golts2012x' });
      assert.ok(fs.readFileSync(memoPath, 'utf8').includes('[@golts2012x, para. 2]'));
      // The index takes the new key: the memo's citations are not unknown, its other findings stay.
      await wb().waitForProblems(
        (rows) => !rows.some((r) => r.code === 'unknown-citation-key') && OTHER_RULES.every((rule) => rows.some((r) => r.code === rule)),
        'the Problems rows with the renamed key (no unknown key)',
      ).catch(async (error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; rows: ${describeRows(await wb().problemRows())}`);
      });
    });

    await journey.step('the notification center holds no error and nothing from policy-cite', async () => {
      const notifications = await wb().allNotifications();
      if (notifications.length > 0) journey.note(`notifications: ${notifications.map((n) => `${n.severity}: ${n.message}`).join(' | ')}`);
      const unwanted = notifications.filter((n) => n.severity === 'error' || /policy.?cite/i.test(n.message)).map((n) => `${n.severity}: ${n.message}`);
      assert.deepEqual(unwanted, [], 'error notifications, or notifications from policy-cite');
    });

    await journey.step('"Welcome: Open Walkthrough" shows Get Started with Policy Cite, its steps and screenshots', async () => {
      await wb().openQuickInput('F1', '>');
      await page().keyboard.type('Welcome: Open Walkthrough');
      await wb().focusQuickPickRow((label) => /^Welcome: Open Walkthrough/.test(label), 'the Open Walkthrough command', 30_000);
      await page().keyboard.press('Enter');
      await wb().focusQuickPickRow((label) => label === 'Get Started with Policy Cite', 'the Policy Cite walkthrough in the list', 30_000);
      await page().keyboard.press('Enter');
      await wb().waitForPageText('Add your source articles');
      // Room for the media beside the steps: the side bar and the panel (open since the Problems step) hidden.
      await page().keyboard.press('Control+B');
      await page().keyboard.press('Control+J');
      await page().getByText('Hover an actor or a citation', { exact: true }).click();
      // The step's screenshot, shipped in the VSIX, is shown (loaded, not a broken image).
      const image = page().locator('img[alt^="A hover on Karimov"]');
      await image.waitFor({ state: 'visible', timeout: 15_000 });
      await pollUntil(async () => (await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 0, { timeoutMs: 15_000, what: 'the step image to load' });
      await journey.screenshot('walkthrough');
    });

    if (writeDocs) {
      await journey.step('the README screenshots are copied to docs/images', async () => {
        const wanted = ['hover-actor.png', 'problems-quickfix.png', 'quick-pick.png'];
        assert.deepEqual(docShots.map((s) => s.to).sort(), wanted.sort(), 'the steps that take the README screenshots passed');
        if (journey.hasFailures()) journey.note('other steps failed (see above): their failures are not in these screenshots');
        fs.mkdirSync(docsImagesDir, { recursive: true });
        for (const shot of docShots) {
          fs.copyFileSync(shot.from, path.join(docsImagesDir, shot.to));
          journey.note(`${path.relative(repoRoot, path.join(docsImagesDir, shot.to))}`);
        }
      });
    }
  } catch (error) {
    journey.failOutside('the journey', error);
  } finally {
    await cleanup();
  }
  return journey.finish(Date.now() - started);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
