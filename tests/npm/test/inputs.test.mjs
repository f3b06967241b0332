// What the functions do with inputs that hold no document, with bodies that are not text, and with
// wrong options: no document is a Report (the core's `json.empty`), never a throw; only a wrong
// option throws, naming the option. Runs in a child Node process against the installed package.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { app, runNode } from '../lib/harness.mjs';

const script = `
import * as api from 'voicehook';
const { validate, analyze, decode, detect, schema } = api;
const attempt = (f) => {
  try {
    return { value: f() };
  } catch (err) {
    return { thrown: err.constructor.name + ': ' + err.message };
  }
};
const nothing = {
  'undefined': undefined,
  'null': null,
  'empty string': '',
  'empty Uint8Array': new Uint8Array(0),
  'empty ArrayBuffer': new ArrayBuffer(0),
  'empty Buffer': Buffer.alloc(0),
};
const out = { nothing: {}, notText: {}, options: {}, unserializable: {} };
for (const [name, input] of Object.entries(nothing)) {
  for (const kind of [undefined, 'vss', 'callflow']) {
    out.nothing[name + ' / ' + (kind ?? 'auto')] = {
      validate: attempt(() => validate(input, { kind })),
      analyze: attempt(() => analyze(input, { kind })),
      decode: attempt(() => decode(input, { kind })),
    };
  }
  out.nothing[name + ' / detect'] = { detect: attempt(() => detect(input)) };
}
out.noArgument = { validate: attempt(() => validate()), detect: attempt(() => detect()) };
for (const [name, input] of Object.entries({ '42': 42, '0': 0, 'NaN': NaN, 'true': true, 'false': false, '10n': 10n })) {
  out.notText[name] = { validate: attempt(() => validate(input)), detect: attempt(() => detect(input)) };
}
const wrong = {
  'kind vsss': { kind: 'vsss' },
  'kind 3': { kind: 3 },
  'options a string': 'vss',
  'strict "yes"': { strict: 'yes' },
  'mask 1': { mask: 1 },
  'now "yesterday"': { now: 'yesterday' },
  'now an invalid Date': { now: new Date('not a date') },
  'maxDepth -1': { maxDepth: -1 },
  'maxSize 1.5': { maxSize: 1.5 },
  'maxSize "10"': { maxSize: '10' },
};
for (const [name, options] of Object.entries(wrong)) {
  out.options[name] = { validate: attempt(() => validate('{}', options)), analyze: attempt(() => analyze('{}', options)) };
}
out.options['schema nope'] = { schema: attempt(() => schema('nope')) };
out.rightOptions = attempt(() => validate('{}', { kind: 'auto', strict: false, mask: true, now: new Date(0), maxDepth: 0, maxSize: 0 }));
out.unserializable.function = attempt(() => validate(() => 1));
const cycle = {};
cycle.self = cycle;
out.unserializable.cycle = attempt(() => validate(cycle));
console.log(JSON.stringify(out));
`;

test('inputs and options', async (t) => {
  const dir = app('inputs', { 'main.mjs': script });
  const out = await runNode(dir, 'main.mjs');

  await t.test('no document (undefined, null, "", empty bytes) is a Report with json.empty, not a throw', () => {
    for (const [name, calls] of Object.entries(out.nothing)) {
      for (const [fn, r] of Object.entries(calls)) {
        assert.equal(r.thrown, undefined, `${fn}(${name}) threw ${r.thrown}`);
        if (fn === 'validate' || fn === 'analyze') {
          const report = fn === 'analyze' ? r.value.report : r.value;
          assert.equal(report.valid, false, `${fn}(${name})`);
          assert.deepEqual(report.errors.map((e) => e.rule), ['json.empty'], `${fn}(${name})`);
          assert.match(report.errors[0].message, /empty/, `${fn}(${name})`);
          if (fn === 'analyze') assert.equal(r.value.decoded, null, `${fn}(${name})`);
        } else if (fn === 'decode') {
          assert.equal(r.value, null, `${fn}(${name})`);
        } else {
          assert.equal(r.value.kind, null, `${fn}(${name})`);
          assert.equal(typeof r.value.reason, 'string', `${fn}(${name})`);
        }
      }
    }
    assert.deepEqual(out.noArgument.validate.value?.errors.map((e) => e.rule), ['json.empty']);
    assert.equal(out.noArgument.detect.value?.kind, null);
  });

  await t.test('a number or a boolean is read as its JSON text: an invalid Report, not a throw', () => {
    for (const [name, { validate, detect }] of Object.entries(out.notText)) {
      assert.equal(validate.thrown, undefined, `validate(${name}) threw ${validate.thrown}`);
      assert.equal(validate.value.valid, false, `validate(${name})`);
      assert.ok(validate.value.errors.length > 0, `validate(${name})`);
      assert.equal(detect.thrown, undefined, `detect(${name}) threw ${detect.thrown}`);
      assert.equal(detect.value.kind, null, `detect(${name})`);
    }
    // NaN has no JSON text: its text "NaN" is a syntax error.
    assert.match(out.notText.NaN.validate.value.errors[0].rule, /^json\./);
  });

  await t.test('a wrong option throws a TypeError or RangeError naming the option and what it takes', () => {
    const want = {
      'kind vsss': /^TypeError: voicehook: options\.kind: unknown kind "vsss"; expected one of: .*vca-reply.*'auto'/,
      'kind 3': /^TypeError: voicehook: options\.kind: expected a kind id \(vss, .*'auto'\), got number 3/,
      'options a string': /^TypeError: voicehook: options: expected an object .*got "vss"/,
      'strict "yes"': /^TypeError: voicehook: options\.strict: expected true or false, got "yes"/,
      'mask 1': /^TypeError: voicehook: options\.mask: expected true or false, got number 1/,
      'now "yesterday"': /^TypeError: voicehook: options\.now: expected Unix milliseconds .* or a valid Date, got "yesterday"/,
      'now an invalid Date': /^TypeError: voicehook: options\.now: .*got an invalid Date/,
      'maxDepth -1': /^RangeError: voicehook: options\.maxDepth: expected a whole number of 0 or more, got -1/,
      'maxSize 1.5': /^RangeError: voicehook: options\.maxSize: expected a whole number of 0 or more, got 1\.5/,
      'maxSize "10"': /^TypeError: voicehook: options\.maxSize: expected a whole number, got "10"/,
    };
    for (const [name, pattern] of Object.entries(want)) {
      for (const fn of ['validate', 'analyze']) {
        assert.match(out.options[name][fn].thrown ?? `no throw: ${JSON.stringify(out.options[name][fn].value)}`, pattern, `${fn} ${name}`);
      }
    }
    assert.match(out.options['schema nope'].schema.thrown, /^TypeError: voicehook: kind: unknown kind "nope"/);
    assert.equal(out.rightOptions.thrown, undefined, out.rightOptions.thrown);
  });

  await t.test('a value with no JSON text at all (a function, a cycle) throws a TypeError', () => {
    assert.match(out.unserializable.function.thrown, /^TypeError: voicehook: expected the document as a string.*got function/);
    assert.match(out.unserializable.cycle.thrown, /^TypeError: voicehook: the input object has no JSON text/);
  });
});
