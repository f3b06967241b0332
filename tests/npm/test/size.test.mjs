// Documents over the size limit are measured before anything is copied into wasm memory: a 200 MB
// string and a 50 MB Uint8Array get the core's `json.size` report at once, and the module's
// WebAssembly.Memory does not grow for them. Runs in a child Node process against the installed
// package; the memory is the glue's (its `initSync` returns the loaded instance's exports).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { app, runNode } from '../lib/harness.mjs';

const script = `
import { validate, analyze, decode, detect, repair } from 'voicehook';
import fixtures from './fixtures.js';
const { initSync } = await import(new URL('../dist/voicehook_wasm.js', import.meta.resolve('voicehook')));

const MiB = 1024 * 1024;
const out = { big: {}, grew: {}, ms: {} };
out.before = validate(fixtures.valid, { kind: fixtures.validKind });
const memory = initSync().memory;
const start = memory.buffer.byteLength;
// Each call over the limit: its answer, how long it took and how much wasm memory grew.
function measure(name, call) {
  const size = memory.buffer.byteLength;
  const t0 = performance.now();
  const answer = call();
  out.ms[name] = performance.now() - t0;
  out.grew[name] = memory.buffer.byteLength - size;
  return answer;
}
const text = '{"payload": "' + 'x'.repeat(200 * MiB) + '"}';
const bytes = new Uint8Array(50 * MiB);
out.textLength = text.length;
out.big.validateText = measure('validate 200 MB string', () => validate(text));
out.big.validateBytes = measure('validate 50 MB Uint8Array', () => validate(bytes, { kind: 'vss' }));
out.big.validateBuffer = measure('validate 50 MB ArrayBuffer', () => validate(bytes.buffer, { mask: true }));
out.big.analyze = measure('analyze 200 MB string', () => analyze(text, { kind: 'callflow' }));
out.big.decode = measure('decode 50 MB Uint8Array', () => decode(bytes));
out.big.detect = measure('detect 200 MB string', () => detect(text));
const repaired = measure('repair 200 MB string', () => repair(text));
out.repairKeepsText = repaired.text === text;
out.big.repair = { ...repaired, text: repaired.text.length };
out.big.object = measure('validate an 11 MB object', () => validate({ payload: 'y'.repeat(11 * MiB) }));
out.grewTotal = memory.buffer.byteLength - start;

// Strings whose length alone does not tell (1 to 3 bytes a unit), and ones that it does, against
// their bytes: the size measured from the string is the size of its UTF-8, exactly.
const cases = {
  euro: ['€'.repeat(4), 10], // 12 bytes: does not fit in limit + 1
  euroAtLimit: ['€'.repeat(3) + 'a', 10], // exactly 10
  euroOverByOne: ['€'.repeat(3) + 'ab', 10], // 11: "more than"
  emoji: ['😀'.repeat(3), 10], // surrogate pairs, 12 bytes
  emojiLong: ['😀'.repeat(3 * MiB), 10 * MiB - 5], // 6 Mi units, 12 MiB
  emojiLonger: ['a' + '😀'.repeat(6 * MiB), 10 * MiB], // more units than the limit, pairs across chunk ends
  lone: ['\\ud800'.repeat(5), 12], // lone surrogates: 3 bytes each (U+FFFD)
  loneAcross: ['a'.repeat((1 << 18) - 1) + '\\ud83d' + 'a'.repeat(1 << 18), 1 << 18], // a lone high surrogate at a chunk's end
  mixed: ['é'.repeat(6 * MiB) + '€', 10 * MiB],
};
out.cases = {};
for (const [name, [s, maxSize]] of Object.entries(cases)) {
  const encoded = new TextEncoder().encode(s);
  out.cases[name] = {
    bytes: encoded.length,
    maxSize,
    fromText: validate(s, { maxSize }),
    fromBytes: validate(encoded, { maxSize }),
    analyzeText: analyze(s, { maxSize }).report,
  };
}
out.after = validate(fixtures.valid, { kind: fixtures.validKind });
out.afterBytes = validate(new TextEncoder().encode(fixtures.valid));
out.afterRepair = repair('{"a": 1,}');
console.log(JSON.stringify(out));
`;

test('documents over the size limit are refused before they are copied', async (t) => {
  const dir = app('size', { 'main.mjs': script });
  const out = await runNode(dir, 'main.mjs');
  const limit = 10 * 1024 * 1024;
  const tooLarge = (size) => `expected at most ${limit} bytes, found ${size} bytes: the document is too large to check`;

  await t.test('each gets the json.size report with the exact size', () => {
    const { big } = out;
    for (const [name, report] of Object.entries(big)) {
      if (name === 'detect' || name === 'repair' || name === 'decode') continue;
      const r = report.report ?? report;
      assert.equal(r.valid, false, name);
      assert.deepEqual(r.errors.map((e) => e.rule), ['json.size'], name);
      assert.deepEqual(r.warnings, [], name);
    }
    assert.equal(big.validateText.errors[0].message, tooLarge(out.textLength));
    assert.equal(big.validateText.kind, null);
    assert.equal(big.validateBytes.errors[0].message, tooLarge(50 * 1024 * 1024));
    assert.equal(big.validateBytes.kind, 'vss');
    // mask: the core masks every message, and these numbers have the length of phone numbers
    const masked = big.validateBuffer.errors[0].message;
    assert.ok(masked.includes('*') && !masked.includes(String(limit)) && !masked.includes(String(50 * 1024 * 1024)), masked);
    assert.equal(big.analyze.report.kind, 'callflow');
    assert.equal(big.analyze.decoded, null);
    assert.equal(big.analyze.report.errors[0].message, tooLarge(out.textLength));
    assert.equal(big.decode, null);
    assert.deepEqual(big.detect, { kind: null, reason: `the input is not JSON: ${tooLarge(out.textLength)}` });
    assert.equal(out.repairKeepsText, true);
    assert.deepEqual(big.repair, {
      text: out.textLength,
      changes: [],
      placeholders: [],
      complete: false,
      json: false,
      remaining: [{ pointer: '', rule: 'json.size', message: tooLarge(out.textLength), line: null, column: null }],
    });
    assert.equal(big.object.errors[0].message, tooLarge(11 * 1024 * 1024 + '{"payload":""}'.length));
  });

  await t.test('wasm memory does not grow for them', () => {
    // The reports are a few hundred bytes; the documents are 50 to 200 MB.
    for (const [name, grew] of Object.entries(out.grew)) assert.ok(grew <= 64 * 1024, `${name}: wasm memory grew by ${grew} bytes`);
    assert.ok(out.grewTotal <= 64 * 1024, `wasm memory grew by ${out.grewTotal} bytes in all`);
  });

  await t.test('they are answered without reading them through the core', () => {
    // Generous: copying into wasm alone takes longer on this size; the memory bound is the proof.
    for (const [name, ms] of Object.entries(out.ms)) assert.ok(ms < 3000, `${name}: ${ms} ms`);
  });

  await t.test('a string is measured as its UTF-8 bytes, exactly, at and around the limit', () => {
    for (const [name, c] of Object.entries(out.cases)) {
      assert.deepEqual(c.fromText, c.fromBytes, name);
      assert.deepEqual(c.analyzeText, c.fromBytes, name);
      const over = c.bytes > c.maxSize;
      assert.equal(c.fromText.errors.some((e) => e.rule === 'json.size'), over, name);
      if (over) {
        const found = c.bytes === c.maxSize + 1 ? `more than ${c.maxSize} bytes` : `${c.bytes} bytes`;
        assert.equal(c.fromText.errors[0].message, `expected at most ${c.maxSize} bytes, found ${found}: the document is too large to check`, name);
      }
    }
    assert.equal(out.cases.euro.bytes, 12);
    assert.equal(out.cases.euroAtLimit.bytes, 10);
    assert.equal(out.cases.euroOverByOne.bytes, 11);
    assert.equal(out.cases.emojiLonger.bytes, 1 + 24 * 1024 * 1024);
    assert.equal(out.cases.loneAcross.bytes, 2 * (1 << 18) - 1 + 3);
  });

  await t.test('a normal document still validates afterwards', () => {
    assert.equal(out.before.valid, true);
    assert.deepEqual(out.after, out.before);
    assert.equal(out.afterBytes.valid, true);
    assert.equal(out.afterRepair.json, true);
  });
});
