// The load test: the same requests to the plain server and to the receiver, in alternating rounds,
// bounded by count (ROUNDS x PER_ROUND each) and time (it stops after LIMIT_S). Prints requests/s
// and latency percentiles of each, and the receiver's added p50 and p99.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { summary } from './common.mjs';

const ROUNDS = 6;
const PER_ROUND = 500;
const CONCURRENCY = 8;
const LIMIT_S = 60;

const servers = spawn(process.execPath, ['load-servers.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: servers.stdout }), 'line');
const ports = JSON.parse(line);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const bodies = Array.from({ length: ROUNDS * PER_ROUND }, (_, i) => Buffer.from(summary(100000 + i)));

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

const totals = { plain: { latencies: [], seconds: 0, statuses: {} }, receiver: { latencies: [], seconds: 0, statuses: {} } };
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
      for (const [s, n] of Object.entries(out.statuses)) totals[name].statuses[s] = (totals[name].statuses[s] ?? 0) + n;
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
  statuses: t.statuses,
}]));
figures.addedP50 = figures.receiver.p50 - figures.plain.p50;
figures.addedP99 = figures.receiver.p99 - figures.plain.p99;
figures.concurrency = CONCURRENCY;
console.log(JSON.stringify(figures));
