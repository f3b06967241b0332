// What `npm publish` would upload: exactly the files users need (the entries, the glue, the
// module, the declarations, the README and the license), as the installed package holds them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scratch } from '../lib/harness.mjs';

/** Every file below `dir`, relative to it, sorted. */
function files(dir, base = dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path, base) : [relative(base, path)];
    })
    .sort();
}

test('the packed package holds exactly the files users need', () => {
  const installed = join(scratch, 'node_modules', 'voicehook');
  assert.deepEqual(files(installed), [
    'LICENSE',
    'README.md',
    'dist/index.d.cts',
    'dist/index.d.ts',
    'dist/inline.cjs',
    'dist/node.cjs',
    'dist/voicehook_wasm.js',
    'dist/voicehook_wasm_bg.wasm',
    'dist/wasm-inline.js',
    'package.json',
    'src/api.js',
    'src/browser.js',
    'src/builder.js',
    'src/inline.js',
    'src/node.js',
  ]);
});
