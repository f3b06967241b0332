// Hostile inputs never trap the wasm module (no `RuntimeError: unreachable`), and the answers after
// them stay right. Runs in a child Node process against the installed package.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { app, runNode } from '../lib/harness.mjs';

const script = `
import { validate } from 'voicehook';
import fixtures from './fixtures.js';
const cases = {
  'deep arrays (100,000)': '['.repeat(100000) + ']'.repeat(100000),
  'deep objects (100,000)': '{"a":'.repeat(100000) + '1' + '}'.repeat(100000),
  'unclosed deep nesting': '['.repeat(100000),
  'invalid UTF-8 bytes': new Uint8Array([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  'lone surrogate': '{"a":"\\ud800"}',
  '2 MB string': '{"x":"' + 'a'.repeat(2 * 1024 * 1024) + '"}',
  '2 MB of digits': '1'.repeat(2 * 1024 * 1024),
  'duplicate keys': '{"eventType":"SESSION_SUMMARY","eventType":"CALL_ACTION"}',
  'comments': '{/* c */ "namespace": "VOICE" // d\\n}',
  'trailing commas': '{"a": [1, 2,],}',
  'empty': '',
  'NUL bytes': new Uint8Array(1024),
  'huge number': '{"callCount": 1e999999}',
  'over maxSize': { options: { maxSize: 10 }, input: '{"namespace": "VOICE", "eventType": "SESSION_SUMMARY"}' },
  'maxDepth 1': { options: { maxDepth: 1 }, input: '{"a": {"b": 1}}' },
};
const out = { answers: {}, thrown: {} };
for (const [name, c] of Object.entries(cases)) {
  const { input, options } = c && c.input !== undefined ? c : { input: c, options: undefined };
  for (const kind of [undefined, 'vss', 'callflow']) {
    try {
      const r = validate(input, { ...options, kind });
      out.answers[name + ' / ' + (kind ?? 'auto')] = { valid: r.valid, rules: r.errors.map((e) => e.rule) };
    } catch (err) {
      out.thrown[name + ' / ' + (kind ?? 'auto')] = String(err && err.stack || err);
    }
  }
}
out.after = validate(fixtures.valid, { kind: fixtures.validKind });
out.afterBytes = validate(new TextEncoder().encode(fixtures.valid));
console.log(JSON.stringify(out));
`;

test('hostile inputs', async (t) => {
  const dir = app('hostile', { 'main.mjs': script });
  const out = await runNode(dir, 'main.mjs');
  await t.test('nothing throws or traps', () => {
    assert.deepEqual(out.thrown, {});
  });
  await t.test('every hostile input is invalid; malformed ones with a json.* rule (waits on the engine)', () => {
    // Well-formed JSON that is only the wrong shape may fail on schema or detection rules instead.
    const wellFormed = ['lone surrogate', '2 MB string', '2 MB of digits', 'huge number'];
    for (const [name, a] of Object.entries(out.answers)) {
      assert.equal(a.valid, false, name);
      if (wellFormed.some((w) => name.startsWith(w))) continue;
      assert.ok(a.rules.some((r) => r.startsWith('json.')), `${name}: ${a.rules}`);
    }
  });
  await t.test('a valid document after them is still valid (waits on the engine)', () => {
    assert.deepEqual(out.after.errors, []);
    assert.equal(out.after.valid, true);
    assert.equal(out.afterBytes.valid, true);
  });
});
