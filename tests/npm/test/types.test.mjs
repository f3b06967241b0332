// TypeScript: the generated declarations type-check a small usage (ESM and CommonJS) with tsc --noEmit.
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { app, here } from '../lib/harness.mjs';

test('tsc --noEmit on typed/usage.ts and typed/usage.cts', async () => {
  const files = {};
  for (const f of ['usage.ts', 'usage.cts', 'tsconfig.json']) files[f] = readFileSync(join(here, 'typed', f), 'utf8');
  const dir = app('typed', files);
  const tsc = join(here, 'node_modules/typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir });
  } catch (err) {
    throw new Error(`tsc failed:\n${err.stdout}${err.stderr}`);
  }
});
