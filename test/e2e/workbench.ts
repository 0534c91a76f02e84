// Drives the VS Code workbench (code-server in headless Chromium) the way a person does: keys,
// mouse moves and clicks, reading what is on screen. Every wait polls the page's state with a
// deadline; nothing sleeps for a fixed time. Selectors follow GUIDE §5 (VS Code 1.139).
import type { Locator, Page } from 'playwright-core';
import { pollUntil } from '../support/codeServer';

/** What page.evaluate callbacks need of the DOM (tsconfig has no "dom" lib). */
interface DomRect {
  left: number;
  top: number;
  width: number;
  height: number;
}
interface DomNode {
  nodeValue: string | null;
  textContent: string | null;
}
interface DomElement extends DomNode {
  className: string;
  getBoundingClientRect(): DomRect;
  querySelector(selector: string): DomElement | null;
  getAttribute(name: string): string | null;
}
interface DomRange {
  setStart(node: DomNode, offset: number): void;
  setEnd(node: DomNode, offset: number): void;
  getClientRects(): ArrayLike<DomRect>;
}
interface DomTreeWalker {
  nextNode(): DomNode | null;
}
interface DomDocument {
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  createRange(): DomRange;
  createTreeWalker(root: DomNode, whatToShow: number): DomTreeWalker;
}

export interface QuickPickRow {
  label: string;
  description: string;
  /** The second line of the row. */
  detail: string;
  focused: boolean;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const SELECTORS = {
  workbench: '.monaco-workbench',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  editor: '.editor-group-container .monaco-editor',
  viewLine: '.editor-group-container .monaco-editor .view-lines .view-line',
  hover: '.monaco-editor .monaco-hover',
  squiggleWarning: '.editor-group-container .monaco-editor .squiggly-warning',
  markersPanel: '.markers-panel',
  panel: '.part.panel',
  editorGroup: '.editor-group-container',
  markerRow: '.markers-panel .monaco-list-row',
  actionWidget: '.action-widget',
  actionRow: '.action-widget .monaco-list-row.action',
  activeTab: '.tabs-container .tab.active',
  notificationCenter: '.notifications-center',
  renameInput: '.monaco-editor .rename-box input',
} as const;

/** A row of the Problems panel as read from the screen. */
export interface ProblemRow {
  /** The row as shown: `message source(code) [Ln L, Col C]`. */
  text: string;
  message: string;
  /** `policy-cite` for the extension's findings. */
  source: string;
  /** The rule (the diagnostic's code). */
  code: string | undefined;
  line: number | undefined;
  column: number | undefined;
}

function collapse(text: string): string {
  return text.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Waits for the workbench and its explorer to show the opened folder. */
  async waitForReady(timeoutMs = 60_000): Promise<void> {
    await this.page.locator(SELECTORS.workbench).waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator(SELECTORS.explorerRow).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** Quick Open (Control+P), type the name, pick the row that shows it. */
  async quickOpen(fileName: string): Promise<void> {
    await this.openQuickInput('Control+P', '');
    await this.page.keyboard.type(fileName);
    // The file search runs on the server: slow on a busy machine.
    await this.focusQuickPickRow((label) => label === fileName, `Quick Open row ${fileName}`, 60_000);
    await this.page.keyboard.press('Enter');
    await this.quickInputHidden();
    await this.waitForActiveTab(fileName);
  }

  /** Waits for `text` anywhere in the workbench (a page such as the walkthrough's, not an editor). */
  async waitForPageText(text: string, timeoutMs = 20_000): Promise<void> {
    await this.page.getByText(text, { exact: true }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** Waits for the active editor tab to be the file's. */
  async waitForActiveTab(fileName: string, timeoutMs = 30_000): Promise<void> {
    await pollUntil(async () => collapse((await this.page.locator(SELECTORS.activeTab).first().textContent()) ?? '').startsWith(fileName), {
      timeoutMs,
      what: `the active editor tab to be ${fileName}`,
    });
  }

  /** Presses `keys` (F1, Control+P, …) until the quick input is up with `prefix` in its box. */
  async openQuickInput(keys: string, prefix: string): Promise<void> {
    const box = this.page.locator(SELECTORS.quickInputBox);
    await pollUntil(
      async () => {
        if (!(await box.isVisible())) {
          await this.page.keyboard.press(keys);
          await box.waitFor({ state: 'visible', timeout: 2_000 });
        }
        return (await box.inputValue()) === prefix;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `the quick input (${keys}) to open` },
    );
  }

  async quickInputHidden(timeoutMs = 10_000): Promise<void> {
    await this.page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** The rendered quick pick rows: label, description, detail and whether the row has keyboard focus. */
  async quickPickRows(): Promise<QuickPickRow[]> {
    return this.page.evaluate((selector) => {
      const doc = (globalThis as unknown as { document: DomDocument }).document;
      return Array.from(doc.querySelectorAll(selector))
        .map((row) => [row, ...['.label-name', '.label-description', '.quick-input-list-label-meta'].map((part) => (row.querySelector(part)?.textContent ?? '').replace(/\s+/g, ' ').trim())] as const)
        .map(([row, label, description, detail]) => ({ label, description, detail, focused: row.className.split(/\s+/).includes('focused'), index: Number(row.getAttribute('data-index')) }))
        // Rows are recycled as the list scrolls: the list's own index gives their order.
        .sort((a, b) => a.index - b.index)
        .map(({ label, description, detail, focused }) => ({ label, description, detail, focused }));
    }, SELECTORS.quickInputRow);
  }

  /**
   * Waits until the quick pick's rows satisfy `accept` and then stay the same for `quietPolls`
   * polls in a row: an extension that replaces its items as the user types is done with the
   * last keystroke (a replacement would also move the focus back to the first row).
   */
  async waitForQuickPickSettled(accept: (rows: QuickPickRow[]) => boolean, what: string, options: { timeoutMs?: number; quietPolls?: number } = {}): Promise<QuickPickRow[]> {
    const quietPolls = options.quietPolls ?? 3;
    let last = '';
    let same = 0;
    return pollUntil(
      async () => {
        const rows = await this.quickPickRows();
        if (!accept(rows)) {
          same = 0;
          last = '';
          return undefined;
        }
        const snapshot = JSON.stringify(rows.map((r) => [r.label, r.description, r.detail]));
        same = snapshot === last ? same + 1 : 1;
        last = snapshot;
        return same >= quietPolls ? rows : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 20_000, intervalMs: 150, what },
    );
  }

  /** Moves the keyboard focus in the quick pick to the first row whose label satisfies `match`. */
  async focusQuickPickRow(match: (label: string, description: string) => boolean, what: string, timeoutMs = 15_000): Promise<{ label: string; description: string }> {
    return pollUntil(
      async () => {
        const rows = await this.quickPickRows();
        const targetIndex = rows.findIndex((r) => match(r.label, r.description));
        if (targetIndex < 0) return undefined;
        const focusedIndex = rows.findIndex((r) => r.focused);
        if (focusedIndex === targetIndex) return { label: rows[targetIndex].label, description: rows[targetIndex].description };
        await this.page.keyboard.press(focusedIndex < 0 || focusedIndex < targetIndex ? 'ArrowDown' : 'ArrowUp');
        return undefined;
      },
      { timeoutMs, intervalMs: 100, what },
    );
  }

  /** F1, type the command's title, run it. */
  async runCommand(title: string): Promise<void> {
    await this.openQuickInput('F1', '>');
    await this.page.keyboard.type(title);
    await this.focusQuickPickRow((label) => label === title, `command palette row "${title}"`, 30_000);
    await this.page.keyboard.press('Enter');
  }

  /**
   * The text of the editor's rendered lines in screen order, joined without separators: a
   * wrapped line reads as one piece again (the lines' order in the DOM is not the screen's).
   */
  async screenText(): Promise<string> {
    return this.page.evaluate((selector) => {
      const doc = (globalThis as unknown as { document: DomDocument }).document;
      return Array.from(doc.querySelectorAll(selector))
        .map((line) => ({ top: line.getBoundingClientRect().top, text: (line.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text)
        .join('');
    }, SELECTORS.viewLine);
  }

  /** Waits until the editor shows `text` (wrapped or not). */
  async waitForEditorText(text: string, timeoutMs = 20_000): Promise<void> {
    await pollUntil(async () => (await this.screenText()).includes(text), { timeoutMs, what: `the editor to show "${text}"` });
  }

  /**
   * The on-screen box of `needle` inside the first rendered editor line containing `lineNeedle`,
   * from a DOM Range over the line's text nodes (tokens split a line into several spans).
   */
  async textBox(lineNeedle: string, needle: string): Promise<Box | undefined> {
    return this.page.evaluate(
      ([lineSelector, lineText, target]) => {
        const doc = (globalThis as unknown as { document: DomDocument }).document;
        const lines = doc.querySelectorAll(lineSelector);
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i];
          const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
          const lineAt = text.indexOf(lineText);
          if (lineAt < 0) continue;
          // The occurrence from lineText on, else the first on the line.
          const after = text.indexOf(target, lineAt);
          const start = after >= 0 ? after : text.indexOf(target);
          if (start < 0) continue;
          const end = start + target.length;
          const walker = doc.createTreeWalker(line, 4 /* NodeFilter.SHOW_TEXT */);
          const range = doc.createRange();
          let offset = 0;
          let started = false;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const length = (node.nodeValue ?? '').length;
            if (!started && start < offset + length) {
              range.setStart(node, start - offset);
              started = true;
            }
            if (started && end <= offset + length) {
              range.setEnd(node, end - offset);
              const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
              if (rects.length === 0) return undefined;
              const left = Math.min(...rects.map((r) => r.left));
              const top = Math.min(...rects.map((r) => r.top));
              const right = Math.max(...rects.map((r) => r.left + r.width));
              const bottom = Math.max(...rects.map((r) => r.top + r.height));
              return { x: left, y: top, width: right - left, height: bottom - top };
            }
            offset += length;
          }
          return undefined;
        }
        return undefined;
      },
      [SELECTORS.viewLine, lineNeedle, needle] as const,
    );
  }

  async waitForTextBox(lineNeedle: string, needle: string, timeoutMs = 15_000): Promise<Box> {
    return pollUntil(() => this.textBox(lineNeedle, needle), { timeoutMs, what: `"${needle}" on the editor line with "${lineNeedle}"` });
  }

  /** Clicks in the middle of `needle` on its line: puts the cursor there. */
  async clickText(lineNeedle: string, needle: string): Promise<void> {
    const box = await this.waitForTextBox(lineNeedle, needle);
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /** The editor group's box (tabs, gutter, text and minimap). */
  async editorArea(): Promise<Box | null> {
    return this.page.locator(SELECTORS.editorGroup).first().boundingBox();
  }

  /** A place in the editor with no text under it, to move the mouse off a word. */
  private async restingPoint(): Promise<{ x: number; y: number }> {
    const editor = await this.page.locator(`${SELECTORS.editor} .view-lines`).first().boundingBox();
    if (!editor) return { x: 5, y: 5 };
    return { x: editor.x + editor.width - 20, y: editor.y + editor.height - 10 };
  }

  /**
   * Hovers `needle` on the line with `lineNeedle` until the hover widget shows text satisfying
   * `accept`: the mouse moves off and back on, in steps, between attempts (the first hovers may
   * come before the extension has answered).
   */
  async hoverText(lineNeedle: string, needle: string, accept: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<{ text: string; hover: Locator }> {
    const hover = this.page.locator(SELECTORS.hover).filter({ visible: true });
    let attempt = 0;
    return pollUntil(
      async () => {
        attempt++;
        const rest = await this.restingPoint();
        await this.page.mouse.move(rest.x, rest.y, { steps: 2 });
        await hover.first().waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
        const box = await this.waitForTextBox(lineNeedle, needle, 5_000);
        // Aim a little left of the middle on alternate attempts, in case a token edge is hit.
        const x = box.x + box.width * (attempt % 2 === 1 ? 0.5 : 0.3);
        const y = box.y + box.height / 2;
        await this.page.mouse.move(x, y, { steps: 8 });
        const found = await pollUntil(async () => (await hover.allInnerTexts()).find((t) => accept(t)), {
          timeoutMs: 3_000,
          what: 'hover',
        }).catch(() => undefined);
        return found === undefined ? undefined : { text: found, hover: hover.filter({ hasText: found.split('\n')[0] }).first() };
      },
      { timeoutMs, intervalMs: 50, what },
    );
  }

  async moveMouseAway(): Promise<void> {
    const rest = await this.restingPoint();
    await this.page.mouse.move(rest.x, rest.y, { steps: 2 });
  }

  /** Opens the Problems panel (Control+Shift+M) and waits for its rows. */
  async openProblems(): Promise<void> {
    const panel = this.page.locator(SELECTORS.markersPanel);
    await pollUntil(
      async () => {
        if (!(await panel.isVisible())) {
          await this.page.keyboard.press('Control+Shift+M');
          await panel.waitFor({ state: 'visible', timeout: 3_000 });
        }
        return true;
      },
      { timeoutMs: 15_000, intervalMs: 200, what: 'the Problems panel to open' },
    );
  }

  /** The rendered rows of the Problems panel that are markers (not the file rows). */
  async problemRows(): Promise<ProblemRow[]> {
    const rows = await this.page.evaluate((selector) => {
      const doc = (globalThis as unknown as { document: DomDocument }).document;
      // No named inner functions here: tsx would wrap them in a helper the page does not have.
      return Array.from(doc.querySelectorAll(selector))
        .filter((row) => row.querySelector('.marker-message') !== null)
        .map((row) => ['.marker-message', '.marker-source', '.marker-code', '.marker-line'].map((part) => (row.querySelector(part)?.textContent ?? '').replace(/\s+/g, ' ').trim()))
        .map(([message, source, code, position]) => ({ message, source, code, position }));
    }, SELECTORS.markerRow);
    return rows.map((row) => {
      const position = /Ln (\d+), Col (\d+)/.exec(row.position);
      return {
        text: `${row.message} ${row.source}(${row.code}) ${row.position}`,
        message: row.message,
        source: row.source,
        code: row.code || undefined,
        line: position ? Number(position[1]) : undefined,
        column: position ? Number(position[2]) : undefined,
      };
    });
  }

  /** Polls the Problems rows until `accept` holds; returns them. */
  async waitForProblems(accept: (rows: ProblemRow[]) => boolean, what: string, timeoutMs = 20_000): Promise<ProblemRow[]> {
    return pollUntil(
      async () => {
        const rows = await this.problemRows();
        return accept(rows) ? rows : undefined;
      },
      { timeoutMs, what },
    );
  }

  /** The rendered actions of the light bulb menu: title and whether the row has keyboard focus. */
  async actionRows(): Promise<Array<{ title: string; focused: boolean }>> {
    return this.page.evaluate((selector) => {
      const doc = (globalThis as unknown as { document: DomDocument }).document;
      return Array.from(doc.querySelectorAll(selector))
        .map((row) => ({
          title: (row.querySelector('.title')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          focused: row.className.split(/\s+/).includes('focused'),
          index: Number(row.getAttribute('data-index')),
        }))
        .sort((a, b) => a.index - b.index)
        .map(({ title, focused }) => ({ title, focused }));
    }, SELECTORS.actionRow);
  }

  /** Opens the light bulb menu (Control+.) at the cursor until it offers what `accept` wants. */
  async openQuickFixes(accept: (titles: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
    const widget = this.page.locator(SELECTORS.actionWidget).filter({ visible: true });
    return pollUntil(
      async () => {
        if ((await widget.count()) === 0) {
          await this.page.keyboard.press('Control+.');
          await widget.first().waitFor({ state: 'visible', timeout: 5_000 });
        }
        const titles = await pollUntil(async () => {
          const rows = await this.actionRows();
          return rows.length > 0 ? rows.map((r) => r.title) : undefined;
        }, { timeoutMs: 5_000, what: 'the light bulb menu rows' });
        if (accept(titles)) return titles;
        // Opened before the diagnostics reached this spot: close and ask again.
        await this.page.keyboard.press('Escape');
        await widget.first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
        return undefined;
      },
      { timeoutMs, intervalMs: 300, what: 'the light bulb menu with the expected quick fixes' },
    );
  }

  /** Moves the light bulb menu's focus to the action whose title satisfies `match` and applies it. */
  async applyQuickFix(match: (title: string) => boolean): Promise<string> {
    const title = await pollUntil(
      async () => {
        const rows = await this.actionRows();
        const target = rows.findIndex((r) => match(r.title));
        if (target < 0) return undefined;
        const focused = rows.findIndex((r) => r.focused);
        if (focused === target) return rows[target].title;
        await this.page.keyboard.press(focused < 0 || focused < target ? 'ArrowDown' : 'ArrowUp');
        return undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'focus on the quick fix' },
    );
    await this.page.keyboard.press('Enter');
    await this.page.locator(SELECTORS.actionWidget).filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: 10_000 });
    return title;
  }

  /** Whether the active editor tab shows unsaved changes. */
  async activeTabDirty(): Promise<boolean> {
    const classes = (await this.page.locator(SELECTORS.activeTab).first().getAttribute('class')) ?? '';
    return classes.split(/\s+/).includes('dirty');
  }

  /**
   * Every notification shown since the workbench opened, toasts that hid themselves included:
   * opens the notification center ("Notifications: Show Notifications") and reads its messages.
   */
  async allNotifications(): Promise<Array<{ severity: 'error' | 'warning' | 'info'; message: string }>> {
    await this.runCommand('Notifications: Show Notifications');
    await this.page.locator(SELECTORS.notificationCenter).waitFor({ state: 'visible', timeout: 10_000 });
    const messages = await this.page.evaluate((selector) => {
      const doc = (globalThis as unknown as { document: DomDocument }).document;
      return Array.from(doc.querySelectorAll(selector)).map((item) => {
        const icon = item.querySelector('.notification-list-item-icon')?.className ?? '';
        const severity: 'error' | 'warning' | 'info' = /codicon-error/.test(icon) ? 'error' : /codicon-warning/.test(icon) ? 'warning' : 'info';
        return { severity, message: (item.querySelector('.notification-list-item-message')?.textContent ?? '').replace(/\s+/g, ' ').trim() };
      });
    }, `${SELECTORS.notificationCenter} .notification-list-item`);
    await this.page.keyboard.press('Escape');
    await this.page.locator(SELECTORS.notificationCenter).waitFor({ state: 'hidden', timeout: 10_000 });
    return messages;
  }
}
