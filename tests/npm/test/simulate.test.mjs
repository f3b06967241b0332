// simulate(): the core's call engine through the installed package. A two-level IVR played key by
// key (interactive), every webhook clean in strict mode by the package's own validate, the errors
// a caller of the API can make, and the events matching what the CLI prints for the same call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scratch } from '../lib/harness.mjs';

const { simulate, validate } = await import(pathToFileURL(join(scratch, 'node_modules', 'voicehook', 'src', 'node.js')).href);

const menu = (prompt) => ({ action: 'sayAndCapture', params: { promptMessage: prompt, voiceProfile: 'en-US-ZiraRUS', maxDigits: 1 } });
const start = { callflow: { callflow: [{ action: 'makeCall', params: { source: '+6568332048', destination: '+6591178965' } }, menu('Press 1 for bookings')] } };

function webhooks(events) {
  return events.filter((e) => e.event === 'webhook');
}

test('a two-level IVR, key by key, to a COMPLETED session whose webhooks are clean in strict mode', () => {
  const call = simulate(start, {}, { interactive: true });
  assert.deepEqual(call.state, { waiting: 'keys', attempt: 1, prompt: 'Press 1 for bookings' });
  call.press('1');
  assert.equal(call.state.waiting, 'reply');
  assert.equal(call.state.webhook.payload.eventData.dtmf, '1');
  call.reply({ clientActionId: 'bookings', callflow: [menu('Press 2 for tomorrow')] });
  call.press({ digits: '2', after: 2500 });
  const second = call.state.webhook.payload;
  assert.deepEqual([second.clientActionId, second.eventData.dtmf], ['bookings', '2']);
  const fresh = call.reply('{"callflow": [{"action": "hangup"}]}');
  assert.equal(call.state.waiting, 'done');
  assert.ok(fresh.some((e) => e.event === 'ended' && e.status === 'COMPLETED'));
  const all = call.events;
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].t <= all[i].t, 'time never goes back');
  const sent = webhooks(all);
  assert.deepEqual([...new Set(sent.map((e) => e.kind))].sort(), ['vca', 'vcs', 'vss']);
  for (const { kind, webhook } of sent) {
    const report = validate(webhook, { kind, strict: true });
    assert.ok(report.valid && report.warnings.length === 0, `${kind}: ${JSON.stringify(report.errors.concat(report.warnings))}`);
  }
  // The 2.5 s the caller took before the second key is on the clock.
  const keys = all.filter((e) => e.event === 'keys');
  const spoken = all.filter((e) => e.event === 'say' && e.text === 'Press 2 for tomorrow')[0];
  assert.equal(keys[1].t, spoken.t + spoken.ms + 2500);
});

test('an invalid reply, no reply and an error status end the session with -2003', () => {
  for (const [body, options] of [['{"callflow": [{"action": "sayy"}]}', undefined], [null, undefined], ['{}', { status: 503 }]]) {
    const call = simulate(start, { keys: ['1'] });
    call.reply(body, options);
    const vss = call.events.findLast((e) => e.kind === 'vss').webhook.payload;
    assert.deepEqual([vss.sessionStatus, vss.errorDetails.errorCode], ['ERROR', -2003], JSON.stringify(body));
    const reply = call.events.find((e) => e.event === 'reply');
    assert.equal(reply.valid, false);
  }
});

test('misuse is a precise error, and a refused callflow is an answer, not an exception', () => {
  assert.throws(() => simulate({}), /expected \{ callflow \} or \{ inbound: \{ from, to \} \}/);
  assert.throws(() => simulate({ inbound: { from: '+1' } }), /inbound must be \{ from, to \}/);
  assert.throws(() => simulate({ inbound: { from: 'abc', to: '+6568332048' } }), /E\.164/);
  assert.throws(() => simulate(start, { keys: 1 }), /script: invalid type: integer `1`, expected a sequence at line 1 column 9/);
  assert.throws(() => simulate(start, { legs: [{ outcome: 'maybe' }] }), /unknown variant `maybe`/);
  const call = simulate(start, { keys: ['1'] });
  assert.throws(() => call.press('1'), /not waiting for keys \(it waits for reply\)/);
  assert.throws(() => call.reply('{}', { status: 42 }), RangeError);
  call.reply(null);
  assert.throws(() => call.reply(null), /it is over/);

  const refused = simulate({ callflow: '{"callflow": [{"action": "hangup"}]}' });
  assert.equal(refused.state.waiting, 'done');
  const [first] = refused.events;
  assert.equal(first.event, 'refused');
  assert.deepEqual([first.response.sessionStatus, first.response.statusCode], ['NOT_CREATED', -1013]);
  assert.equal(webhooks(refused.events).length, 0);
});

test('the same call gives the same events, ids included; another seed other ids', () => {
  const play = (seed) => simulate(start, { keys: ['1'], seed }).play(() => ({ callflow: [{ action: 'hangup' }] }));
  assert.deepEqual(play(7), play(7));
  const id = (events) => webhooks(events).at(-1).webhook.payload.sessionId;
  assert.notEqual(id(play(7)), id(play(8)));
});
