// Shared by the extension-host test files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PolicyCiteApi } from '../../src/extension';

export const EXTENSION_ID = 'policy-cite.policy-cite';

/** Polls `probe` until it returns something truthy; fails with `what` after the timeout. */
export async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri;
}

/** The extension's API once it is active and its first indexing run has finished. */
export async function api(): Promise<PolicyCiteApi> {
  const extension = vscode.extensions.getExtension<PolicyCiteApi>(EXTENSION_ID);
  assert.ok(extension);
  const exports = await extension.activate();
  await exports.whenReady();
  return exports;
}
