// Node: the packed package imported as ESM and required as CommonJS, synchronously, with no init.
import { test } from 'node:test';
import { app, judge, runNode } from '../lib/harness.mjs';

test('Node ESM import', async (t) => {
  const dir = app('node-esm', {
    'main.mjs':
      "import * as api from 'voicehook';\nimport { probe } from './probe.js';\nimport fixtures from './fixtures.js';\n" +
      'console.log(JSON.stringify(await probe(api, fixtures, { needsInit: false })));\n',
  });
  await judge(t, await runNode(dir, 'main.mjs'));
});

test('Node CommonJS require (synchronous, no init)', async (t) => {
  const dir = app('node-cjs', {
    'main.cjs':
      "const api = require('voicehook');\n" +
      '// the first call happens synchronously, right after require\n' +
      "const first = api.validate('{}', { kind: 'vss' });\n" +
      "if (typeof first.valid !== 'boolean') throw new Error('no report from the first synchronous call');\n" +
      "Promise.all([import('./probe.js'), import('./fixtures.js')]).then(async ([{ probe }, f]) => {\n" +
      '  console.log(JSON.stringify(await probe(api, f.default, { needsInit: false })));\n' +
      '});\n',
  });
  await judge(t, await runNode(dir, 'main.cjs'));
});
