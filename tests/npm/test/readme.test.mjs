// pkg/README.md: every ```js example whose console.log lines end in `// what it prints` runs against
// the installed package and prints exactly that, so the documented answers cannot drift.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { app, root } from '../lib/harness.mjs';

const readme = readFileSync(join(root, 'pkg/README.md'), 'utf8');
const examples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)]
  .map((m) => m[1])
  .filter((code) => /^console\.log\(.*\/\/ .+$/m.test(code));

test('pkg/README.md has runnable examples', () => {
  assert.ok(examples.length >= 2, `found ${examples.length}`);
});

examples.forEach((code, i) => {
  const first = code.split('\n').find((l) => l.startsWith('console.log')) ?? '';
  test(`README example ${i + 1} prints what it says: ${first.replace(/\s*\/\/.*$/, '')}`, async () => {
    const dir = app(`readme-${i + 1}`, { 'main.mjs': code });
    const want = code
      .split('\n')
      .filter((l) => l.startsWith('console.log'))
      .map((l) => l.replace(/^.*\/\/ /, ''));
    const { stdout } = await promisify(execFile)(process.execPath, ['main.mjs'], { cwd: dir });
    assert.deepEqual(stdout.trimEnd().split('\n'), want);
  });
});

test('every function the package exports has a runnable example in pkg/README.md', async () => {
  const { readdirSync } = await import('node:fs');
  const { scratch } = await import('../lib/harness.mjs');
  const dir = join(scratch, 'node_modules', 'voicehook');
  const exported = new Set();
  for (const entry of ['src/node.js', 'src/fixtures-node.js', 'src/receiver-node.js']) {
    const api = await import(join(dir, entry));
    for (const [name, value] of Object.entries(api)) if (typeof value === 'function') exported.add(name);
  }
  // redisStore needs a Redis server: its README example is shown, and test/redis.test.mjs runs it.
  const needsAServer = ['redisStore'];
  const runnable = examples.join('\n');
  const missing = [...exported].filter((name) => !needsAServer.includes(name) && !new RegExp(`\\b${name}\\(`).test(runnable));
  for (const name of needsAServer) assert.match(readme, new RegExp(`\\b${name}\\(`), `${name} is not in the README`);
  assert.deepEqual(missing, [], `exports without a runnable example: ${missing.join(', ')}`);
  assert.ok(readdirSync(dir).includes('README.md'));
});
