// What `npm publish` would upload: exactly the files users need (the entries, the glue, the
// module, the declarations, the README and the license), as the installed package holds them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { root, scratch } from '../lib/harness.mjs';

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
    'dist/receiver.cjs',
    'dist/receiver.d.cts',
    'dist/receiver.d.ts',
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
    'src/receiver-browser.js',
    'src/receiver-node.js',
    'src/receiver.js',
  ]);
});

test('npm publish --dry-run would upload the files the installed package holds, and nothing it lacks', async () => {
  // Offline: a dry run packs and lists, and sends nothing (it warns that nobody is logged in).
  const { stdout } = await promisify(execFile)('npm', ['publish', '--dry-run', '--json', '--loglevel=error'], {
    cwd: join(root, 'pkg'),
    maxBuffer: 16 << 20,
  });
  const [entry] = Object.values(JSON.parse(stdout));
  assert.equal(entry.name, 'voicehook');
  const uploaded = entry.files.map((f) => f.path).sort();
  assert.deepEqual(uploaded, files(join(scratch, 'node_modules', 'voicehook')));
  // The unpacked size is what users download and install: the module twice (the file and the
  // base64 copy of `voicehook/inline`) and the rest small.
  assert.ok(entry.unpackedSize < 5 << 20, `unpacked ${entry.unpackedSize} bytes`);
});

test('the payload types show the bounds the core checks, as JSDoc tags', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(join(scratch, 'node_modules', 'voicehook', 'dist', 'index.d.ts'), 'utf8');
  const say = text.slice(text.indexOf('export interface SayParams {'));
  const body = say.slice(0, say.indexOf('\n}'));
  for (const [field, tags] of [['text', ['@minLength 1', '@maxLength 3000']], ['speed', ['@minimum 0.5', '@maximum 2']], ['repetition', ['@minimum 1', '@maximum 3']]]) {
    const doc = body.slice(0, body.indexOf(`  ${field}?:`) >= 0 ? body.indexOf(`  ${field}?:`) : body.indexOf(`  ${field}:`));
    const last = doc.slice(doc.lastIndexOf('/**'));
    for (const tag of tags) assert.ok(last.includes(tag), `SayParams.${field}: no ${tag} in ${last}`);
  }
  // The bounds an integer type implies (2^32 - 1) are not news to a reader.
  assert.ok(!text.includes('@maximum 4294967295'));
});

// The budget was 350 KB before the call engine (simulate) came in: validation, decoding, the
// receive check and the engine together stay under 385 KB.
test('the WebAssembly module stays within its budget: 385 KB gzipped', async () => {
  const { gzipSync } = await import('node:zlib');
  const { readFileSync } = await import('node:fs');
  const wasm = readFileSync(join(scratch, 'node_modules', 'voicehook', 'dist', 'voicehook_wasm_bg.wasm'));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  console.log(`voicehook_wasm_bg.wasm: ${(wasm.length / 1024).toFixed(0)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  assert.ok(gzipped <= 385 * 1024, `${(gzipped / 1024).toFixed(1)} KB gzipped`);
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
