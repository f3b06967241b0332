// Deduplication across instances against a real Redis server started here on a free loopback port
// (Debian's redis-server; cargo xtask test installs it): every event handled exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, here, runNode } from '../lib/harness.mjs';

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(t) {
  const executable = process.env.VOICEHOOK_REDIS_SERVER ?? 'redis-server';
  const port = await freePort();
  const redis = spawn(executable, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => redis.kill());
  let log = '';
  await new Promise((resolve, reject) => {
    redis.stdout.on('data', (d) => {
      log += d;
      if (log.includes('Ready to accept connections')) resolve();
    });
    redis.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${log}`)));
    setTimeout(() => reject(new Error(`redis-server did not start in 10 s: ${log}`)), 10000).unref();
  });
  return `redis://127.0.0.1:${port}`;
}

test('two instances sharing Redis hand each of 7,000 events to user code exactly once among 10,000 deliveries', async (t) => {
  process.env.REDIS_URL = await startRedis(t);
  const files = Object.fromEntries(readdirSync(join(here, 'receive')).map((f) => [f, readFileSync(join(here, 'receive', f), 'utf8')]));
  const dir = app('redis', files);
  const out = await runNode(dir, 'redis-load.mjs');
  // Every delivery answered 200: the first of each event, and the duplicates.
  assert.deepEqual(out.statuses, { 200: out.total });
  const [a, b] = out.handled;
  const all = [...a, ...b];
  assert.equal(new Set(all).size, out.unique, 'none lost');
  assert.equal(all.length, out.unique, 'none twice');
  // Both instances did part of the work.
  assert.ok(a.length > 1000 && b.length > 1000, `${a.length} and ${b.length}`);
  console.log(`# redis dedup: ${out.total} deliveries (${out.total - out.unique} duplicates) in ${out.seconds.toFixed(1)} s to 2 instances; handled ${a.length} + ${b.length}`);
});
