// A small step runner for the journey: each step is timed and reported as it ends; a failing
// step leaves a screenshot and the page console in test-results/e2e/; a failing critical step
// (the workbench did not come up, the memo did not open) ends the journey, and the steps after
// it count as failed. The closing line is `e2e: N passed, N failed`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { withTimeout } from '../support/codeServer';

export interface StepOptions {
  /** The steps after it make no sense when it fails. */
  critical?: boolean;
  /** Upper bound for the whole step (its waits are bounded too); default 90 s. */
  timeoutMs?: number;
}

interface StepResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
  skipped?: boolean;
}

export interface ArtifactSources {
  page(): Page | undefined;
  consoleLines(): readonly string[];
  serverOutput(): string;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

export class Journey {
  private readonly results: StepResult[] = [];
  private aborted: string | undefined;
  private failureCount = 0;
  private stepStarted = Date.now();

  constructor(
    readonly artifactsDir: string,
    private readonly sources: ArtifactSources,
  ) {
    fs.rmSync(artifactsDir, { recursive: true, force: true });
    fs.mkdirSync(artifactsDir, { recursive: true });
  }

  /** Runs one step unless an earlier critical step failed. Never throws. */
  async step(name: string, body: () => Promise<void>, options: StepOptions = {}): Promise<boolean> {
    if (this.aborted !== undefined) {
      this.results.push({ name, ok: false, ms: 0, skipped: true, error: `not run: "${this.aborted}" failed` });
      console.log(`  - ${name} (not run)`);
      return false;
    }
    const started = Date.now();
    this.stepStarted = started;
    let timedOut = false;
    try {
      await withTimeout(body(), options.timeoutMs ?? 90_000, name).catch((error: unknown) => {
        timedOut = error instanceof Error && error.message.startsWith('timed out after') && error.message.endsWith(`: ${name}`);
        throw error;
      });
      const ms = Date.now() - started;
      this.results.push({ name, ok: true, ms });
      console.log(`  ✓ ${name} (${(ms / 1000).toFixed(1)} s)`);
      return true;
    } catch (error) {
      const ms = Date.now() - started;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.results.push({ name, ok: false, ms, error: message });
      console.log(`  ✗ ${name} (${(ms / 1000).toFixed(1)} s)\n${indent(message)}`);
      await this.saveFailure(name);
      // A step that ran past its deadline may still be acting on the page: stop here.
      if (options.critical || timedOut) this.aborted = name;
      return false;
    }
  }

  /** Prints a note under the running step, with the time since it started. */
  note(message: string): void {
    console.log(`    [+${((Date.now() - this.stepStarted) / 1000).toFixed(1)} s] ${message}`);
  }

  /** Saves a screenshot of the page as `name`.png in the artifacts dir. */
  async screenshot(name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string> {
    const page = this.sources.page();
    if (!page) throw new Error('no page to take a screenshot of');
    const file = path.join(this.artifactsDir, `${name}.png`);
    await page.screenshot({ path: file, clip, animations: 'disabled', caret: 'hide' });
    return file;
  }

  /** The screenshot, the page console and code-server's output, for a failed step. */
  async saveFailure(stepName: string): Promise<void> {
    this.failureCount++;
    const prefix = `failure-${this.failureCount}-${slug(stepName)}`;
    const saved: string[] = [];
    const page = this.sources.page();
    if (page) {
      const file = path.join(this.artifactsDir, `${prefix}.png`);
      await withTimeout(page.screenshot({ path: file }), 10_000, 'failure screenshot')
        .then(() => saved.push(file))
        .catch((error: unknown) => console.log(`    (no screenshot: ${error instanceof Error ? error.message : String(error)})`));
    }
    const consoleFile = path.join(this.artifactsDir, `${prefix}-console.log`);
    fs.writeFileSync(consoleFile, `${this.sources.consoleLines().join('\n')}\n`);
    saved.push(consoleFile);
    const serverFile = path.join(this.artifactsDir, 'code-server.log');
    fs.writeFileSync(serverFile, this.sources.serverOutput());
    saved.push(serverFile);
    console.log(`    saved ${saved.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  }

  hasFailures(): boolean {
    return this.results.some((r) => !r.ok);
  }

  /** Prints the summary and returns the process exit code. */
  finish(totalMs: number): number {
    const passed = this.results.filter((r) => r.ok).length;
    const failed = this.results.length - passed;
    const notRun = this.results.filter((r) => r.skipped).length;
    if (failed > 0) {
      console.log('\nfailures:');
      for (const r of this.results.filter((x) => !x.ok)) console.log(`  ${r.name}: ${(r.error ?? '').split('\n')[0]}`);
    }
    console.log(`\njourney took ${(totalMs / 1000).toFixed(1)} s${notRun > 0 ? ` (${notRun} steps not run)` : ''}; artifacts in ${path.relative(process.cwd(), this.artifactsDir) || this.artifactsDir}`);
    console.log(`e2e: ${passed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  }

  /** Records a failure that happened outside any step (setup or teardown). */
  failOutside(name: string, error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.results.push({ name, ok: false, ms: 0, error: message });
    console.log(`  ✗ ${name}\n${indent(message)}`);
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 12)
    .map((line) => `      ${line}`)
    .join('\n');
}
