// Two receiver instances share one Redis: 10,000 deliveries, 30% of them duplicates, shuffled and
// sent 64 at a time to either instance. Prints { statuses, handled: [[keys of A], [keys of B]],
// unique, seconds }.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { post, summary } from './common.mjs';

const UNIQUE = 7000;
const TOTAL = 10000;
let seed = 20261201;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

async function start() {
  const child = spawn(process.execPath, ['instance.mjs'], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  return { child, url: `http://127.0.0.1:${JSON.parse(line).port}/hook` };
}
const instances = [await start(), await start()];
try {
  const bodies = Array.from({ length: UNIQUE }, (_, i) => summary(i));
  const deliveries = [...bodies];
  while (deliveries.length < TOTAL) deliveries.push(bodies[Math.floor(random() * UNIQUE)]);
  for (let i = deliveries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  const statuses = {};
  const began = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < deliveries.length) {
      const body = deliveries[next];
      next += 1;
      const target = instances[random() < 0.5 ? 0 : 1];
      const { status } = await post(target.url, body);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  const seconds = (performance.now() - began) / 1000;
  const handled = [];
  for (const { url } of instances) handled.push((await (await fetch(url.replace('/hook', '/stats'))).json()).handled);
  console.log(JSON.stringify({ statuses, handled, unique: UNIQUE, total: TOTAL, seconds }));
} finally {
  for (const { child } of instances) child.kill('SIGTERM');
}
