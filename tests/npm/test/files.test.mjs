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
    'dist/fixtures-data.js',
    'dist/fixtures.cjs',
    'dist/fixtures.d.cts',
    'dist/fixtures.d.ts',
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
    'src/fixtures-browser.js',
    'src/fixtures-node.js',
    'src/fixtures.js',
    'src/inline.js',
    'src/node.js',
  ]);
});

test('the WebAssembly module stays within its budget: 350 KB gzipped', async () => {
  const { gzipSync } = await import('node:zlib');
  const { readFileSync } = await import('node:fs');
  const wasm = readFileSync(join(scratch, 'node_modules', 'voicehook', 'dist', 'voicehook_wasm_bg.wasm'));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  console.log(`voicehook_wasm_bg.wasm: ${(wasm.length / 1024).toFixed(0)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  assert.ok(gzipped <= 350 * 1024, `${(gzipped / 1024).toFixed(1)} KB gzipped`);
});

test('the declarations read in TypeScript\'s words: no rustdoc links, crate paths or None', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(join(scratch, 'node_modules', 'voicehook', 'dist', 'index.d.ts'), 'utf8');
  const comments = [...text.matchAll(/\/\*\*[\s\S]*?\*\//g)].map((m) => m[0]).join('\n');
  for (const [what, pattern] of [['a rustdoc link', /\[`[^`\]]+`\]/], ['a crate path', /\bcrate::/], ['None', /\bNone\b/], ['Option<', /Option</], ['Vec<', /\bVec</], ['a name said twice', /(`\w+`) (?:and|or) \1/]]) {
    const found = comments.match(pattern);
    assert.equal(found, null, `${what} in the JSDoc: ${found && comments.slice(Math.max(0, found.index - 80), found.index + 80)}`);
  }
});
