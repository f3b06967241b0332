// The load test: the same requests to the plain server and to the receiver, in alternating rounds,
// bounded by count (ROUNDS x PER_ROUND each) and time (it stops after LIMIT_S). Each round first
// runs closed-loop (CONCURRENCY requests in flight: the most each server answers per second), then
// open-loop at RATE requests per second, below what either saturates at, so that latency is each
// request's own time and not the queue's. Prints both, and the receiver's added p50 and p99 at RATE.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { summary } from './common.mjs';

const ROUNDS = 6;
const PER_ROUND = 500;
const CONCURRENCY = 8;
const LIMIT_S = 60;
const RATE = 1000;

const servers = spawn(process.execPath, ['load-servers.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: servers.stdout }), 'line');
const ports = JSON.parse(line);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
// New documents for every request: the closed-loop rounds use the first half, the paced ones the second.
const bodies = Array.from({ length: 2 * ROUNDS * PER_ROUND }, (_, i) => Buffer.from(summary(100000 + i)));

function post(port, body) {
  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path: '/hook', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - began) / 1e6 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function round(port, from) {
  const latencies = [];
  const statuses = {};
  let next = from;
  const end = from + PER_ROUND;
  const began = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < end) {
      const body = bodies[next];
      next += 1;
      const r = await post(port, body);
      latencies.push(r.ms);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
  }));
  return { latencies, statuses, seconds: (performance.now() - began) / 1000 };
}

/** PER_ROUND requests sent at RATE per second whatever the answers (open loop). */
async function paced(port, from) {
  const gap = 1000 / RATE;
  const began = performance.now();
  const pending = [];
  for (let i = 0; i < PER_ROUND; i += 1) {
    const due = began + i * gap;
    while (performance.now() < due) await new Promise((resolve) => setImmediate(resolve));
    pending.push(post(port, bodies[from + i]));
  }
  const answers = await Promise.all(pending);
  const statuses = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  return { latencies: answers.map((a) => a.ms), statuses };
}

const totals = { plain: { latencies: [], seconds: 0, statuses: {}, paced: [] }, receiver: { latencies: [], seconds: 0, statuses: {}, paced: [] } };
const started = performance.now();
try {
  // A warm-up round each, not counted.
  await round(ports.plain, 0);
  await round(ports.receiver, 0);
  for (let r = 1; r < ROUNDS && (performance.now() - started) / 1000 < LIMIT_S; r += 1) {
    for (const name of r % 2 ? ['plain', 'receiver'] : ['receiver', 'plain']) {
      const out = await round(ports[name], r * PER_ROUND);
      totals[name].latencies.push(...out.latencies);
      totals[name].seconds += out.seconds;
      const slow = await paced(ports[name], (ROUNDS + r) * PER_ROUND);
      totals[name].paced.push(...slow.latencies);
      for (const o of [out, slow]) {
        for (const [s, n] of Object.entries(o.statuses)) totals[name].statuses[s] = (totals[name].statuses[s] ?? 0) + n;
      }
    }
  }
} finally {
  servers.kill('SIGTERM');
  agent.destroy();
}
const pct = (list, p) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const figures = Object.fromEntries(Object.entries(totals).map(([name, t]) => [name, {
  requests: t.latencies.length,
  perSecond: t.latencies.length / t.seconds,
  p50: pct(t.latencies, 50),
  p99: pct(t.latencies, 99),
  pacedP50: pct(t.paced, 50),
  pacedP99: pct(t.paced, 99),
  statuses: t.statuses,
}]));
figures.addedP50 = figures.receiver.pacedP50 - figures.plain.pacedP50;
figures.addedP99 = figures.receiver.pacedP99 - figures.plain.pacedP99;
figures.concurrency = CONCURRENCY;
figures.rate = RATE;
console.log(JSON.stringify(figures));
