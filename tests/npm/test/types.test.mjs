// TypeScript: the generated declarations type-check a small usage (ESM and CommonJS) with tsc --noEmit.
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { app, here } from '../lib/harness.mjs';

// tsconfig.json: ESM and CommonJS usage with the DOM library; tsconfig.node.json: CommonJS without
// it (the declarations must not need DOM types), both with skipLibCheck off.
for (const config of ['tsconfig.json', 'tsconfig.node.json']) {
  test(`tsc --noEmit -p ${config}`, async () => {
    const files = {};
    for (const f of ['usage.ts', 'usage.cts', 'tsconfig.json', 'tsconfig.node.json']) {
      files[f] = readFileSync(join(here, 'typed', f), 'utf8');
    }
    const dir = app(`typed-${config.replace(/\.json$/, '')}`, files);
    const tsc = join(here, 'node_modules/typescript/bin/tsc');
    try {
      await promisify(execFile)(process.execPath, [tsc, '-p', config], { cwd: dir });
    } catch (err) {
      throw new Error(`tsc -p ${config} failed:\n${err.stdout}${err.stderr}`);
    }
  });
}
