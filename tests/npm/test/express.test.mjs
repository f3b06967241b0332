// A user's Express receiver in strict TypeScript (receiver/server.ts), compiled with tsc against the
// installed package and run: documents 8x8 sends, quirks included, reach its code in the form the
// types promise; empty and broken bodies get 200 and a rule id, not a stack trace; a VCA gets a
// reply the core accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { app, here, root, runNode } from '../lib/harness.mjs';

const documented = JSON.parse(readFileSync(join(root, 'crates/voicehook/fixtures/documented.json'), 'utf8')).examples;
const byName = (name) => {
  const e = documented.find((x) => x.name === name);
  assert.ok(e, `no documented example ${name}`);
  return JSON.stringify(e.document);
};

test('an Express receiver in strict TypeScript gets the documents in the form its types promise', async (t) => {
  const files = {};
  for (const f of ['server.ts', 'tsconfig.json', 'package.json']) files[f] = readFileSync(join(here, 'receiver', f), 'utf8');
  // Bodies made with the package's own factory: a summary whose status is sent in the spelling of
  // the Number Masking table, and a call action carrying the digit 1.
  files['bodies.mjs'] = `import { example } from 'voicehook/fixtures';
console.log(JSON.stringify({
  spaced: JSON.stringify(example('vss', { 'payload.sessionStatus': 'NO ANSWER' })),
  pressed: JSON.stringify(example('vca', { 'payload.eventData.dtmf': '1' })),
}));
`;
  const dir = app('receiver', files);
  const tsc = join(here, 'node_modules/typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir });
  } catch (err) {
    throw new Error(`tsc failed on receiver/server.ts:\n${err.stdout}${err.stderr}`);
  }
  const { spaced, pressed } = await runNode(dir, 'bodies.mjs');

  const server = spawn(process.execPath, ['out/server.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => (stderr += d));
  t.after(() => server.kill());
  const [line] = await Promise.race([
    once(createInterface({ input: server.stdout }), 'line'),
    once(server, 'exit').then(([code]) => { throw new Error(`the receiver exited (${code}): ${stderr}`); }),
  ]);
  const base = `http://127.0.0.1:${JSON.parse(line).port}`;
  const post = async (path, body) => {
    const res = await fetch(base + path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    return { status: res.status, text: await res.text() };
  };

  const answers = [
    await post('/8x8/vss', byName('voice-messaging--session-status.1')),
    await post('/8x8/vss', spaced),
    await post('/8x8/vss', ''),
    await post('/8x8/vss', '{"payload": '),
    await post('/8x8/vca', byName('number-masking--call-action-handling.1')),
    await post('/8x8/vca', pressed),
    await post('/8x8/vca', 'not json'),
  ];
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 200, 200], stderr);
  const seen = await (await fetch(`${base}/seen`)).json();
  assert.equal(stderr, '', 'the receiver wrote to stderr');

  // Voice Messaging's capitalised CallA and "null" text: callA, and a real null.
  assert.deepEqual(seen[0], { route: 'vss', status: 'COMPLETED', legs: ['callA'], sourceRefId: null });
  // "NO ANSWER" with a space reaches the code as NO_ANSWER.
  assert.equal(seen[1].status, 'NO_ANSWER');
  assert.deepEqual(seen.slice(2, 4), [{ route: 'vss', unusable: 'json.empty' }, { route: 'vss', unusable: 'json.syntax' }]);
  // A call arriving at a virtual number: the menu; the digit 1: the goodbye. Each reply is a
  // valid VCA reply (no session error predicted), and the bytes sent are the ones recorded.
  assert.equal(seen[4].reply.clientActionId, 'menu');
  assert.equal(seen[4].reply.callflow[0].action, 'sayAndCapture');
  assert.equal(seen[5].digits, '1');
  assert.deepEqual(seen[5].reply.callflow.map((a) => a.action), ['say', 'hangup']);
  for (const i of [4, 5]) {
    assert.equal(seen[i].predicted, undefined, JSON.stringify(seen[i]));
    assert.deepEqual(JSON.parse(answers[i].text), seen[i].reply);
  }
  assert.deepEqual(seen[6], { route: 'vca', unusable: 'json.syntax' });
  assert.deepEqual(JSON.parse(answers[6].text).callflow, [{ action: 'hangup' }]);
});
