// voicehook/receiver over real loopback HTTP, run from the scratch project against the installed
// package: each refusal of the receive check, call action replies and their fallback, handlers
// that fail, back-pressure, the Web-standard handler.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, here, runNode } from '../lib/harness.mjs';

const files = Object.fromEntries(readdirSync(join(here, 'receive')).map((f) => [f, readFileSync(join(here, 'receive', f), 'utf8')]));
const dir = app('receive', files);

test('each refusal has its status and reason, and the handler only sees the accepted summary', async () => {
  const { results, handled } = await runNode(dir, 'rejections.mjs');
  const by = Object.fromEntries(results.map((r) => [r.name, r]));
  assert.deepEqual(by.accepted, { name: 'accepted', status: 200, ok: true });
  const expect = {
    'not allowlisted': [403, 'source', /^198\.51\.100\.7 is not an allowed source/],
    'forged X-Forwarded-For without a trusted proxy': [403, 'source', /^127\.0\.0\.1 is not an allowed source .*no proxy is trusted/],
    'missing authorization': [401, 'authorization', /^no authorization header$/],
    'wrong authorization': [401, 'authorization', /does not match the registered httpAuthHeader/],
    '20 MB body with its length': [413, 'size', /^the body has 20971520 bytes, more than the 1048576/],
    '20 MB body chunked': [413, 'size', /more than the 1048576 this endpoint accepts/],
    'empty body': [400, 'empty', /empty input/],
    'not JSON': [400, 'syntax', /./],
    'a call action at the summary endpoint': [422, 'kind', /takes Voice Session Summary .*\(vss\); the body is a .*\(vca\)/],
  };
  for (const [name, [status, reason, message]] of Object.entries(expect)) {
    assert.equal(by[name].status, status, name);
    assert.equal(by[name].reason, reason, name);
    assert.match(by[name].message, message, name);
    assert.ok(!by[name].message.includes('s3cret'), `${name}: the message repeats the secret`);
  }
  // Only the one accepted document reached the handler: its sessionId.
  assert.deepEqual(handled, ['1f048a84-ea6d-11ee-911b-078f7290bf52']);
});

test('a call action is answered with the handler\'s reply, or with the fallback when it cannot be used', async () => {
  const { answers, errors } = await runNode(dir, 'call-actions.mjs');
  for (const a of Object.values(answers)) {
    assert.equal(a.status, 200);
    assert.equal(a.type, 'application/json');
  }
  assert.equal(answers.builder.reply.clientActionId, 'menu');
  assert.equal(answers.builder.reply.callflow[0].action, 'sayAndCapture');
  assert.equal(answers.document.reply.clientActionId, 'echo');
  assert.match(answers.document.reply.callflow[0].params.text, /^from \+/);
  for (const name of ['throws', 'slow', 'invalid', 'none']) {
    assert.deepEqual(answers[name].reply, { callflow: [{ action: 'hangup' }] }, name);
  }
  const said = (name) => errors.find((e) => e.startsWith(`${name}: `)) ?? '';
  assert.match(said('throws'), /database down; answered with the fallback reply$/);
  assert.match(said('slow'), /took longer than 300 ms/);
  assert.match(said('invalid'), /not a valid VCA reply \(schema\.required at \/callflow\/0\/params\/voiceProfile/);
  assert.match(said('none'), /no onCallAction handler/);
  assert.equal(said('builder'), '');
  assert.equal(said('document'), '');
});

test('a handler that throws on every third event: those are handled when delivered again, the rest are duplicates', async () => {
  const { first, second, handled, attempts, afterHandler } = await runNode(dir, 'throwing.mjs');
  assert.deepEqual(afterHandler, [
    { status: 500, ok: false, reason: 'handler', message: 'the handler failed; deliver again later' },
    { status: 200, ok: true },
    { status: 200, ok: true, duplicate: true, inProgress: false },
  ]);
  assert.equal(first.length, 30);
  assert.ok(first.every((r) => r.ok === true && !r.duplicate), 'every first delivery is accepted');
  // 10 of the 30 failed the first time; delivered again they were handled, the other 20 were duplicates.
  assert.equal(second.filter((r) => r.duplicate).length, 20);
  assert.equal(second.filter((r) => r.ok && !r.duplicate).length, 10);
  assert.equal(new Set(handled).size, 30, 'every event handled once it succeeded');
  assert.equal(handled.length, 30, 'and none twice');
  assert.deepEqual(attempts.filter((n) => n === 2).length, 10);
});

test('the fetch handler reads the peer from info, and a full queue answers 503 without claiming', async () => {
  const { fetched, statuses, pendingWhileFull, again } = await runNode(dir, 'fetch-and-queue.mjs');
  assert.deepEqual(fetched.ok, { status: 200, type: 'application/json', body: { ok: true } });
  assert.equal(fetched.refused.status, 403);
  assert.match(fetched.refused.body.message, /^192\.0\.2\.1 is not an allowed source \(allowed: 10\.0\.0\.0\/8\)/);
  assert.equal(fetched.unknownPeer.status, 403);
  assert.equal(fetched.unknownPeer.body.reason, 'forwarded');
  assert.deepEqual(fetched.seen, ['vss COMPLETED']);
  assert.deepEqual(statuses, [
    { status: 200, retryAfter: null },
    { status: 200, retryAfter: null },
    { status: 503, retryAfter: '1' },
    { status: 503, retryAfter: '1' },
  ]);
  assert.equal(pendingWhileFull, 2);
  assert.deepEqual(again, [{ ok: true }, { ok: true }]);
});

test('load: the receiver beside the same server without voicehook (bounded; prints the figures)', async () => {
  const f = await runNode(dir, 'load.mjs');
  // Every request answered 200 by both: no refusal, no back-pressure at this load.
  assert.deepEqual(Object.keys(f.plain.statuses), ['200']);
  assert.deepEqual(Object.keys(f.receiver.statuses), ['200']);
  assert.equal(f.plain.requests, f.receiver.requests);
  const row = (name, x) =>
    `# ${name.padEnd(9)} ${x.requests} requests at most ${x.perSecond.toFixed(0)}/s (${f.concurrency} in flight: p50 ${x.p50.toFixed(2)} ms, p99 ${x.p99.toFixed(2)} ms); at ${f.rate}/s p50 ${x.pacedP50.toFixed(2)} ms, p99 ${x.pacedP99.toFixed(2)} ms`;
  console.log(row('plain', f.plain));
  console.log(row('receiver', f.receiver));
  console.log(`# receiver adds p50 ${f.addedP50.toFixed(2)} ms, p99 ${f.addedP99.toFixed(2)} ms at ${f.rate}/s (validation on)`);
});

test('the Fastify plugin receives in its own context and leaves other routes their parser', async () => {
  const { answers, other, seen } = await runNode(dir, 'fastify.mjs');
  assert.deepEqual(answers.summary, { status: 200, ok: true });
  assert.equal(answers.again.duplicate, true);
  assert.deepEqual([answers.empty.status, answers.empty.reason], [400, 'empty']);
  assert.deepEqual([answers['too large'].status, answers['too large'].reason], [413, 'size']);
  assert.match(answers['too large'].message, /^the body has 5000 bytes, more than the 4096/);
  assert.deepEqual([answers['too large, chunked'].status, answers['too large, chunked'].reason], [413, 'size']);
  assert.match(answers['too large, chunked'].message, /larger than the 4096 bytes/);
  assert.deepEqual([answers.broken.status, answers.broken.reason], [400, 'syntax']);
  assert.deepEqual(other, { parsed: { a: 1 } });
  assert.deepEqual(seen, ['vss OUTBOUND']);
});
