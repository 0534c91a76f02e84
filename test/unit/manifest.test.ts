// The extension manifest's keybindings, read as each platform reads them.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface Keybinding {
  command: string;
  key: string;
  win?: string;
  mac?: string;
  linux?: string;
}

describe('package.json keybindings', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { keybindings: Keybinding[] } };
  const bindings = manifest.contributes.keybindings;

  it('take no key that Windows reads as AltGr, which types letters in the editor on many layouts', () => {
    assert.ok(bindings.length > 0);
    for (const b of bindings) {
      const win = (b.win ?? b.key).toLowerCase();
      // Each chord of the binding ("ctrl+k ctrl+alt+c" has two).
      for (const chord of win.split(' ')) {
        const parts = chord.split('+');
        const key = parts[parts.length - 1];
        const altGr = parts.includes('ctrl') && parts.includes('alt') && !/^(f\d+|up|down|left|right|home|end|pageup|pagedown|insert|delete|backspace|tab|enter|escape|space)$/.test(key);
        assert.ok(!altGr, `${b.command}: ${win} on Windows is AltGr+${key}`);
      }
    }
  });
});
