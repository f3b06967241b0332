// The Fastify plugin: in its own context beside a route that keeps Fastify's JSON parser. Prints
// the answers and what the handler saw.
import Fastify from 'fastify';
import { createReceiver } from 'voicehook/receiver';
import { post, documented } from './common.mjs';

const seen = [];
const receiver = createReceiver({ allow: '127.0.0.1', maxSize: 4096, onEvent: (e) => { seen.push(`${e.kind} ${e.data.payload.details.callA?.callDirection}`); } });
const app = Fastify();
await app.register(receiver.fastify, { path: '/8x8/webhooks' });
app.post('/other', async (request) => ({ parsed: request.body }));
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${app.server.address().port}`;
const vss = documented('voice-messaging--session-status.1');
const answers = {};
for (const [name, body, how] of [['summary', vss], ['again', vss], ['empty', ''], ['too large', 'x'.repeat(5000)], ['too large, chunked', 'x'.repeat(5000), { chunked: true }], ['broken', '{"payload": ']]) {
  const r = await post(`${base}/8x8/webhooks`, body, { 'content-type': 'application/json' }, how);
  answers[name] = { status: r.status, ...JSON.parse(r.body) };
}
const other = await post(`${base}/other`, '{"a": 1}', { 'content-type': 'application/json' });
await receiver.idle();
await app.close();
console.log(JSON.stringify({ answers, other: JSON.parse(other.body), seen }));
