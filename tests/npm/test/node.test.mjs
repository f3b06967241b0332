// Node: the packed package imported as ESM and required as CommonJS, synchronously, with no init.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { app, judge, root, runNode } from '../lib/harness.mjs';

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

test('the callflow checker predicts 8x8 status codes through validate', async (t) => {
  const dir = app('node-callflow', {
    'main.mjs':
      "import { validate } from 'voicehook';\nimport { readFileSync } from 'node:fs';\n" +
      `const edge = ${JSON.stringify(`${root}/tests/fixtures/edge`)};\n` +
      "const read = (f) => readFileSync(`${edge}/${f}`);\n" +
      'console.log(JSON.stringify({\n' +
      "  valid: validate(read('callflow/valid.json'), { kind: 'callflow' }),\n" +
      "  unknownAction: validate(read('callflow/unknown-action.json'), { kind: 'callflow' }),\n" +
      "  notMsisdn: validate(read('callflow/destination-not-msisdn.json'), { kind: 'callflow' }),\n" +
      "  badReply: validate('{\"callflow\": []}', { kind: 'vca-reply' }),\n" +
      '}));\n',
  });
  const out = await runNode(dir, 'main.mjs');
  await t.test('1 for a valid callflow, -1007 unknown action, -1017 not an MSISDN; -2003 for a bad VCA reply', () => {
    assert.equal(out.valid.predictedStatusCode, 1);
    assert.equal(out.unknownAction.predictedStatusCode, -1007);
    assert.equal(out.notMsisdn.predictedStatusCode, -1017);
    assert.equal(out.badReply.valid, false);
    assert.equal(out.badReply.predictedSessionErrorCode, -2003);
  });
});

test('large documents are handed to the core and the documents after them read right', async (t) => {
  // Over 1 MiB the core keeps the input buffer as the document's text; the next document gets a
  // new buffer. Alternating sizes and entry points must give each its own verdict.
  const dir = app('node-handover', {
    'main.mjs':
      "import { validate, analyze, detect } from 'voicehook';\nimport fixtures from './fixtures.js';\n" +
      "const legs = Array.from({ length: 120000 }, (_, i) => `\"l${i}\":{}`).join(',');\n" +
      "const big = fixtures.valid.replace(/\"details\"\\s*:\\s*\\{/, `\"details\":{${legs},`);\n" +
      "const bigBytes = new TextEncoder().encode(big);\n" +
      'const runs = [];\n' +
      'for (let round = 0; round < 3; round++) {\n' +
      "  runs.push(['big', validate(big, { kind: fixtures.validKind })]);\n" +
      "  runs.push(['small', validate(fixtures.valid, { kind: fixtures.validKind })]);\n" +
      "  runs.push(['bigBytes', analyze(bigBytes, { kind: fixtures.validKind }).report]);\n" +
      "  runs.push(['broken', validate('{\"a\": 1,}')]);\n" +
      "  runs.push(['detect', { kind: detect(big).kind }]);\n" +
      '}\n' +
      'console.log(JSON.stringify({ size: big.length, runs: runs.map(([n, r]) => [n, r.valid, r.kind, r.errors?.map((e) => e.rule) ?? [], r.errors?.length ?? 0]) }));\n',
  });
  const out = await runNode(dir, 'main.mjs');
  await t.test('each call judges its own document', () => {
    assert.ok(out.size > 1 << 20, `the large document is ${out.size} bytes`);
    assert.equal(out.runs.length, 15);
    for (const [name, valid, kind, rules, count] of out.runs) {
      if (name === 'small') assert.deepEqual([valid, kind, count], [true, 'vss', 0], name);
      if (name === 'big' || name === 'bigBytes') {
        assert.equal(valid, false, name);
        assert.deepEqual([...new Set(rules)], ['schema.required'], name);
        assert.equal(count, 1000, name);
      }
      if (name === 'broken') assert.ok(rules.includes('json.trailing-comma'), `${name}: ${rules}`);
      if (name === 'detect') assert.equal(kind, 'vss', name);
    }
  });
});

test('explainCode, repair, mask and redact answer from the core', async (t) => {
  const dir = app('node-helpers', {
    'main.mjs':
      "import { explainCode, repair, mask, redact, validate, rules } from 'voicehook';\n" +
      'console.log(JSON.stringify({\n' +
      '  rules: rules(),\n' +
      "  session: explainCode(-2004), sip: explainCode('SIP 486'), none: explainCode(12345),\n" +
      "  repaired: repair('{\"a\": 1 // note\\n \"b\": 2,}'), masked: mask('call +6591178965'),\n" +
      "  redacted: redact('call +6591178965'),\n" +
      `  flow: validate(redact(${JSON.stringify(readFileSync(`${root}/tests/fixtures/edge/callflow/valid.json`, 'utf8'))}), { kind: 'callflow' }),\n` +
      '}));\n',
  });
  const out = await runNode(dir, 'main.mjs');
  await t.test('-2004 is a session error with a Number Masking hint; SIP 486 is Busy Here', () => {
    assert.deepEqual(out.session.map((e) => e.table), ['session-error', 'number-masking']);
    assert.match(out.session[1].hint, /region/);
    assert.equal(out.sip[0].name, 'Busy Here');
    assert.deepEqual(out.none, []);
  });
  await t.test('repair removes the comment and the trailing comma, adds the missing comma', () => {
    assert.deepEqual(JSON.parse(out.repaired.text), { a: 1, b: 2 });
    assert.deepEqual(out.repaired.changes.map((c) => c.rule).sort(), ['json.comment', 'json.syntax', 'json.trailing-comma']);
  });
  await t.test('the rule catalog says which findings repair fixes: the rules its changes name', () => {
    const fixable = out.rules.filter((r) => r.repairable).map((r) => r.id).sort();
    assert.deepEqual(fixable, [...new Set(out.repaired.changes.map((c) => c.rule))].sort());
    assert.ok(out.rules.length > 40);
    const duration = out.rules.find((r) => r.id === 'vss.duration');
    assert.deepEqual([duration.lenient, duration.strict, duration.repairable], ['warning', 'error', false]);
  });
  await t.test('mask keeps the country code and the last 3 digits', () => {
    assert.equal(out.masked, 'call +65*****965');
  });
  await t.test('redact keeps them too, with zeros between: still a phone number', () => {
    assert.equal(out.redacted, 'call +6500000965');
    // A valid callflow stays valid (masked with `*`, its numbers would fail the E.164 pattern).
    assert.deepEqual(out.flow.errors, []);
    assert.equal(out.flow.predictedStatusCode, 1);
  });
});

test('lookupCode suggests near misses; explainCode finds statuses, MOS bands and 0', async (t) => {
  const dir = app('node-lookup', {
    'main.mjs':
      "import { explainCode, lookupCode } from 'voicehook';\n" +
      'let thrown = null;\n' +
      'try { lookupCode({}); } catch (err) { thrown = `${err.constructor.name}: ${err.message}`; }\n' +
      'console.log(JSON.stringify({\n' +
      "  typo: lookupCode('NO_ANSWR'), digit: lookupCode(-204), found: lookupCode('-2004'), nothing: lookupCode('hello'),\n" +
      "  busy: explainCode('BUSY'), spaced: explainCode('NO ANSWER'), mos: explainCode('4.2'), zero: explainCode(0),\n" +
      "  numberMos: explainCode(4.2), thrown,\n" +
      '}));\n',
  });
  const out = await runNode(dir, 'main.mjs');
  await t.test("lookupCode('NO_ANSWR') matches nothing and suggests NO_ANSWER first", () => {
    assert.deepEqual(out.typo.matches, []);
    assert.equal(out.typo.suggestions[0].query, 'NO_ANSWER');
    assert.deepEqual(out.typo.suggestions[0].tables, ['status']);
  });
  await t.test('lookupCode(-204) suggests -2004; a match comes without suggestions', () => {
    assert.equal(out.digit.suggestions[0].query, '-2004');
    assert.deepEqual(out.found.matches.map((e) => e.table), ['session-error', 'number-masking']);
    assert.deepEqual(out.found.suggestions, []);
    assert.deepEqual(out.nothing, { matches: [], suggestions: [] });
  });
  await t.test("explainCode('BUSY') is a session and a leg status", () => {
    assert.deepEqual(out.busy.map((e) => [e.table, e.field, e.code]), [['status', 'session', 'BUSY'], ['status', 'leg', 'BUSY']]);
  });
  await t.test("explainCode('NO ANSWER') reads as NO_ANSWER and says so", () => {
    assert.equal(out.spaced[0].code, 'NO_ANSWER');
    assert.equal(out.spaced[0].spelling.written, 'NO ANSWER');
    assert.ok(out.spaced[0].spelling.note.length > 10);
  });
  await t.test("explainCode('4.2') and explainCode(4.2) are the Good MOS band; 0 is the Webhooks API's", () => {
    assert.deepEqual(out.mos.map((e) => [e.table, e.name]), [['mos', 'Good']]);
    assert.deepEqual(out.numberMos, out.mos);
    assert.deepEqual(out.zero.map((e) => e.table), ['webhooks-api']);
  });
  await t.test('lookupCode of an object is a TypeError', () => {
    assert.match(out.thrown ?? '', /^TypeError: voicehook: lookupCode expects/);
  });
});

test('repair says when its output is still not JSON, and why', async (t) => {
  const dir = app('node-repair', {
    'main.mjs':
      "import { repair } from 'voicehook';\n" +
      "console.log(JSON.stringify({ quotes: repair(\"{'a': 1}\"), fine: repair('{\"a\": 1,}') }));\n",
  });
  const out = await runNode(dir, 'main.mjs');
  await t.test('single quotes: json is false, the first remaining problem has a position and a message', () => {
    assert.equal(out.quotes.json, false);
    assert.equal(out.quotes.remaining[0].rule, 'json.syntax');
    assert.equal(out.quotes.remaining[0].line, 1);
    assert.match(out.quotes.remaining[0].message, /single-quoted|double quotes/);
  });
  await t.test('a trailing comma: repaired to JSON, nothing remaining', () => {
    assert.equal(out.fine.json, true);
    assert.deepEqual(out.fine.remaining, []);
    assert.deepEqual(JSON.parse(out.fine.text), { a: 1 });
  });
});

test('decode and analyze explain a session summary in one pass', async (t) => {
  const dir = app('node-decode', {
    'main.mjs':
      "import { decode, analyze, detect } from 'voicehook';\nimport { readFileSync } from 'node:fs';\n" +
      `const docs = ${JSON.stringify(`${root}/tests/fixtures/docs`)};\n` +
      "const read = (f) => readFileSync(`${docs}/${f}`);\n" +
      'console.log(JSON.stringify({\n' +
      "  ivr: decode(read('ivr--session-summary-ivr.1.json')),\n" +
      "  broken: decode('{\"payload\": '),\n" +
      "  failure: analyze(read('voice-messaging--session-status.2.json'), { strict: true }),\n" +
      "  lenient: analyze(read('voice-messaging--session-status.2.json')).report,\n" +
      "  notJson: analyze('{\"payload\": ').detection,\n" +
      "  detected: analyze(read('ivr--session-summary-ivr.1.json')).detection,\n" +
      "  alone: detect(read('ivr--session-summary-ivr.1.json')),\n" +
      '}));\n',
  });
  const out = await runNode(dir, 'main.mjs');
  await t.test('legs, offsets and the idempotency key of IVR scenario 1', () => {
    assert.equal(out.ivr.kind, 'vss');
    assert.equal(out.ivr.legs.length, 2);
    assert.equal(out.ivr.legs[0].connectOffsetMs, 11000);
    assert.equal(out.ivr.idempotencyKey, 'a089b40d-f059-11f0-8937-99c7872ee3c4');
  });
  await t.test('an unreadable document decodes to null', () => assert.equal(out.broken, null));
  await t.test('analyze gives the report and the decoded view together', () => {
    assert.equal(out.failure.report.valid, false);
    assert.ok(out.failure.report.errors.some((e) => e.rule === 'vss.timestamps'));
    assert.equal(out.failure.decoded.outcome.status, 'ERROR');
  });
  await t.test('analyze says what detect says, in the same pass', () => {
    assert.deepEqual(out.detected, out.alone);
    assert.equal(out.detected.kind, 'vss');
    assert.equal(out.detected.product.product, 'ivr');
    assert.equal(out.notJson.kind, null);
    assert.match(out.notJson.reason, /^the input is not JSON: /);
  });
  await t.test('timestamps out of order in a webhook are a warning unless strict', () => {
    assert.equal(out.lenient.valid, true);
    assert.ok(out.lenient.warnings.some((w) => w.rule === 'vss.timestamps'));
  });
});

test('parse hands over the document as voicehook read it, typed by kind', async (t) => {
  const dir = app('node-parse', {
    'main.mjs':
      "import { parse } from 'voicehook';\nimport { readFileSync } from 'node:fs';\n" +
      `const fixtures = ${JSON.stringify(`${root}/tests/fixtures`)};\n` +
      "const read = (f) => readFileSync(`${fixtures}/${f}`);\n" +
      "const vca = JSON.parse(read('edge/vca/valid.json'));\n" +
      "delete vca.payload.eventData; vca.payload.callStatus = 'DTMF_RECEIVED'; vca.payload.dtmf = '2';\n" +
      'console.log(JSON.stringify({\n' +
      "  spaced: parse(read('edge/vss/no-answer-with-space.json')),\n" +
      "  capitalised: parse(read('docs/voice-messaging--session-status.1.json'), { kind: 'vss' }),\n" +
      "  numeric: parse(read('edge/vca/call-duration-string.json')),\n" +
      "  legacy: parse(JSON.stringify(vca)),\n" +
      "  callflow: parse(read('edge/callflow/valid.json'), { kind: 'callflow' }),\n" +
      "  invalid: parse('{\"callflow\": []}', { kind: 'callflow' }),\n" +
      "  broken: parse('{\"payload\": '),\n" +
      "  tooLarge: parse('{}'.padEnd(200, ' '), { maxSize: 100 }),\n" +
      "  strict: parse(read('edge/vss/no-answer-with-space.json'), { strict: true }),\n" +
      '}));\n',
  });
  const out = await runNode(dir, 'main.mjs');
  await t.test('a quirky VSS reads with the canonical spelling, its quirks as warnings', () => {
    assert.equal(out.spaced.ok, true);
    assert.equal(out.spaced.kind, 'vss');
    assert.equal(out.spaced.data.payload.sessionStatus, 'NO_ANSWER');
    assert.ok(out.spaced.report.warnings.some((w) => w.rule === 'normalize.status-spelling'));
  });
  await t.test('capitalised leg keys and "null" strings are read as the documented form', () => {
    const legs = out.capitalised.data.payload.details;
    assert.deepEqual(Object.keys(legs), ['callA']);
    assert.equal(legs.callA.sourceRefId, null);
    assert.equal(legs.callA.callStatus, 'COMPLETED');
  });
  await t.test('a numeric string is read as the number', () => {
    assert.equal(out.numeric.kind, 'vca');
    assert.equal(out.numeric.data.payload.callDuration, 0);
  });
  await t.test('documents of every other kind too', () => {
    assert.equal(out.callflow.ok, true);
    assert.equal(out.callflow.data.callflow[0].action, 'makeCall');
    // The older VCA shape is read as the current one.
    assert.equal(out.legacy.data.payload.callStatus, 'ACTION_COMPLETED');
    assert.equal(out.legacy.data.payload.eventData.dtmf, '2');
    assert.equal('dtmf' in out.legacy.data.payload, false);
  });
  await t.test('no data when the report is not valid, and the report says why', () => {
    for (const r of [out.invalid, out.broken, out.tooLarge, out.strict]) {
      assert.equal(r.ok, false);
      assert.equal('data' in r, false);
      assert.equal(r.report.valid, false);
      assert.ok(r.report.errors.length > 0);
    }
    assert.ok(out.tooLarge.report.errors.some((e) => e.rule === 'json.size'));
  });
});

test('the callflow builders: whatever they build from documented values, the core accepts', async (t) => {
  const dir = app('node-builder', {
    'main.mjs': `import { sendCallflow, vcaReply } from 'voicehook';
// A small deterministic generator of programs: actions in any order the pages allow, each with
// values drawn from the documented ranges.
let seed = 20261201;
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(next() * list.length)];
const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
const msisdn = () => '+65' + String(int(60000000, 99999999));
const voice = () => pick(['en-US-BenjaminRUS', 'en-IE-EmilyNeural', 'en-GB-LibbyNeural']);
const actions = {
  say: (b) => b.say({ text: pick(['Hello.', 'Your code is 1 2 3.', 'Goodbye.']), voiceProfile: voice(), repetition: int(1, 3), speed: pick([0.5, 1, 1.5, 2]) }),
  sayAndCapture: (b) => {
    const max = int(1, 25);
    const digit = int(1, 10) * 1000;
    return b.sayAndCapture({ promptMessage: 'Press a key.', voiceProfile: voice(), minDigits: int(1, max), maxDigits: max,
      digitTimeout: digit, overallTimeout: digit + int(1, 20) * 1000, completeOnHash: pick([true, false]), noOfTries: int(1, 3) });
  },
  playFile: (b) => b.playFile({ fileUrl: pick(['https://example.com/a.mp3', 'http://example.com/b.wav']), repetition: int(1, 3) }),
  makeCall: (b) => b.makeCall({ source: msisdn(), destination: msisdn() }),
};
const reports = [];
for (let i = 0; i < 300; i++) {
  const send = i % 2 === 0;
  let b = send ? sendCallflow({ validUntil: new Date(Date.now() + 3600e3) }).makeCall({ source: msisdn(), destination: msisdn() })
    : vcaReply({ clientActionId: 'menu-' + i });
  let calls = send ? 1 : 0;
  const steps = int(send ? 0 : 1, 6);
  for (let s = 0; s < steps; s++) {
    let name = pick(Object.keys(actions));
    if (name === 'makeCall' && calls >= 2) name = 'say';
    if (name === 'makeCall') calls += 1;
    b = actions[name](b);
  }
  if (next() < 0.5) b = b.hangup();
  const report = b.check();
  reports.push({ body: b.build(), valid: report.valid, errors: report.errors, warnings: report.warnings, code: report.predictedStatusCode });
}
const built = sendCallflow().makeCall({ source: '+6568888888', destination: '+6598888888' }).say({ text: 'Hi', voiceProfile: 'en-US-BenjaminRUS' });
const first = built.build();
first.callflow.push({ action: 'hangup' });
console.log(JSON.stringify({
  reports,
  again: built.build(),
  text: JSON.stringify(built),
  bad: sendCallflow().makeCall({ source: '+6568888888', destination: '12' }).check(),
  badDate: (() => { try { sendCallflow({ validUntil: new Date('x') }); return null; } catch (e) { return e.constructor.name + ': ' + e.message; } })(),
}));
`,
  });
  const out = await runNode(dir, 'main.mjs');
  await t.test('300 generated programs, each valid with no warning', () => {
    for (const r of out.reports) {
      assert.equal(r.valid, true, JSON.stringify(r));
      assert.deepEqual(r.warnings, [], JSON.stringify(r));
    }
    const sends = out.reports.filter((r) => 'validUntil' in r.body);
    assert.equal(sends.length, 150);
    assert.ok(sends.every((r) => r.code === 1 && r.body.callflow[0].action === 'makeCall'));
    assert.ok(out.reports.filter((r) => !('validUntil' in r.body)).every((r) => typeof r.body.clientActionId === 'string'));
  });
  await t.test('build gives a fresh object; JSON.stringify writes the body', () => {
    assert.equal(out.again.callflow.length, 2);
    assert.deepEqual(JSON.parse(out.text), out.again);
  });
  await t.test('check predicts what 8x8 answers to what was built', () => {
    assert.equal(out.bad.valid, false);
    assert.equal(out.bad.predictedStatusCode, -1017);
    assert.match(out.badDate, /^RangeError: voicehook: validUntil/);
  });
});

test('voicehook/fixtures: documented examples by name, and documents for tests (ESM and CommonJS)', async (t) => {
  const program = (load) => `${load}
const now = Date.parse('2030-05-01T00:00:00Z');
const all = documented();
const busy = example('vss', { 'payload.details.callA.callDuration': 12, 'payload.subAccountId': 'acme' });
const leg = busy.payload.details.callA;
let invalid = null;
try { example('vss', ['payload.sessionStatus=DONE']); } catch (e) { invalid = { message: e.message, rules: e.report.errors.map((x) => x.rule) }; }
let unknown = null;
try { example('nope'); } catch (e) { unknown = e.constructor.name + ': ' + e.message; }
const dated = all.find((e) => e.kind === 'callflow' && 'validUntil' in e.document);
const flow = example(dated.name, {}, { now });
console.log(JSON.stringify({
  count: all.length,
  kinds: [...new Set(all.map((e) => e.kind))].sort(),
  ivr: named('ivr--session-summary-ivr.1')?.kind,
  none: named('no-such-page.1') === undefined,
  talked: (Date.parse(leg.disconnectedTimestamp) - Date.parse(leg.connectedTimestamp)) / 1000,
  busy: validate(JSON.stringify(busy)),
  byName: validate(JSON.stringify(example('ivr--session-summary-ivr.1'))).valid,
  validUntil: Date.parse(flow.validUntil) > now,
  flow: validate(JSON.stringify(flow), { kind: 'callflow', now }).valid,
  invalid,
  unknown,
}));
`;
  const esm = app('node-fixtures-esm', {
    'main.mjs': program("import { documented, named, example } from 'voicehook/fixtures';\nimport { validate } from 'voicehook';"),
  });
  const cjs = app('node-fixtures-cjs', {
    'main.cjs': program("const { documented, named, example } = require('voicehook/fixtures');\nconst { validate } = require('voicehook');"),
  });
  for (const [name, out] of [['ESM', await runNode(esm, 'main.mjs')], ['CommonJS', await runNode(cjs, 'main.cjs')]]) {
    await t.test(`${name}: every kind has documented examples, found by name`, () => {
      assert.ok(out.count > 30, `${out.count}`);
      assert.equal(out.kinds.length, 10, JSON.stringify(out.kinds));
      assert.equal(out.ivr, 'vss');
      assert.equal(out.none, true);
    });
    await t.test(`${name}: example sets the fields and keeps the leg's times in step`, () => {
      assert.equal(out.talked, 12);
      assert.equal(out.busy.valid, true);
      assert.deepEqual(out.busy.warnings, []);
      assert.equal(out.byName, true);
      assert.equal(out.validUntil, true);
      assert.equal(out.flow, true);
    });
    await t.test(`${name}: what cannot be built throws, saying why`, () => {
      assert.match(out.invalid.message, /schema\.enum at \/payload\/sessionStatus/);
      assert.deepEqual(out.invalid.rules, ['schema.enum']);
      assert.match(out.unknown, /^TypeError: voicehook: "nope" is neither a kind nor a documented example/);
    });
  }
});
