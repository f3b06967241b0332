// `voicehook/inline` in Node: the module is inside the JavaScript, so an app bundled with esbuild
// for Node runs from any folder, with nothing but the bundle beside it; and the entry works
// unbundled too (import and require).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, judge, runNode } from '../lib/harness.mjs';

const esmMain =
  "import * as api from 'voicehook/inline';\nimport { probe } from './probe.js';\nimport fixtures from './fixtures.js';\n" +
  'console.log(JSON.stringify(await probe(api, fixtures, { needsInit: false })));\n';
const cjsMain =
  "const api = require('voicehook/inline');\n" +
  '// the first call happens synchronously, right after require\n' +
  "if (typeof api.validate('{}').valid !== 'boolean') throw new Error('no report from the first synchronous call');\n" +
  "Promise.all([import('./probe.js'), import('./fixtures.js')]).then(async ([{ probe }, f]) => {\n" +
  '  console.log(JSON.stringify(await probe(api, f.default, { needsInit: false })));\n' +
  '});\n';

for (const [format, entry, source, outfile] of [
  ['esm', 'main.mjs', esmMain, 'app.mjs'],
  ['cjs', 'main.cjs', cjsMain, 'app.cjs'],
]) {
  test(`esbuild --bundle --platform=node --format=${format} of voicehook/inline runs from another folder`, async (t) => {
    const dir = app(`inline-node-${format}`, { [entry]: source });
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(dir, entry)],
      outfile: join(dir, 'dist', outfile),
      bundle: true,
      platform: 'node',
      format,
      absWorkingDir: dir,
      logLevel: 'silent',
    });
    assert.deepEqual(result.warnings.map((w) => w.text), [], 'esbuild has nothing to warn about');
    assert.deepEqual(readdirSync(join(dir, 'dist')), [outfile], 'the bundle is one file');
    // Only the bundle, in a folder with no node_modules anywhere above it.
    const away = mkdtempSync(join(tmpdir(), 'voicehook-inline-'));
    try {
      copyFileSync(join(dir, 'dist', outfile), join(away, outfile));
      await judge(t, await runNode(away, outfile));
    } finally {
      rmSync(away, { recursive: true, force: true });
    }
  });
}

test('voicehook/inline unbundled: Node import and require', async (t) => {
  const dir = app('inline-node-plain', { 'main.mjs': esmMain, 'main.cjs': cjsMain });
  await t.test('import', async (t) => judge(t, await runNode(dir, 'main.mjs')));
  await t.test('require', async (t) => judge(t, await runNode(dir, 'main.cjs')));
});
