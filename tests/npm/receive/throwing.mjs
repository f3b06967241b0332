// A handler that throws on every third event, the first time it sees it: those keys are released,
// so their redelivery is handled; the others' redelivery is a duplicate. Prints { first, second, handled, attempts }.
import { createReceiver } from 'voicehook/receiver';
import { serve, post, summary } from './common.mjs';

const attempts = new Map();
const handled = [];
let calls = 0;
const receiver = createReceiver({
  allow: 'any',
  onError: () => {},
  onEvent: (e) => {
    attempts.set(e.key, (attempts.get(e.key) ?? 0) + 1);
    if (attempts.get(e.key) === 1) {
      calls += 1;
      if (calls % 3 === 0) throw new Error(`failed on ${e.key}`);
    }
    handled.push(e.key);
  },
});
const server = await serve(receiver.node);
const bodies = Array.from({ length: 30 }, (_, i) => summary(i));
const first = [];
for (const body of bodies) first.push(JSON.parse((await post(server.url, body)).body));
await receiver.idle();
const second = [];
for (const body of bodies) second.push(JSON.parse((await post(server.url, body)).body));
await receiver.idle();
await server.close();

// Answering after the handler: the failure is a 500 the sender sees, and delivering again works.
let fail = true;
const waiting = createReceiver({ allow: 'any', awaitHandler: true, onError: () => {}, onEvent: () => { if (fail) { fail = false; throw new Error('once'); } } });
const s2 = await serve(waiting.node);
const afterHandler = [];
for (let i = 0; i < 3; i += 1) {
  const r = await post(s2.url, summary(500));
  afterHandler.push({ status: r.status, ...JSON.parse(r.body) });
}
await s2.close();
console.log(JSON.stringify({ first, second, handled, attempts: [...attempts.values()], afterHandler }));
