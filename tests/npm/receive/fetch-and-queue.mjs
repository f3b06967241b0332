// The Web-standard handler (Request in, Response out, the peer from info), and back-pressure: with
// a full queue the receiver answers 503 and does not claim the event. Prints what it saw.
import { createReceiver } from 'voicehook/receiver';
import { serve, post, summary, documented } from './common.mjs';

const seen = [];
const web = createReceiver({ allow: ['10.0.0.0/8'], onEvent: (e) => { seen.push(`${e.kind} ${e.data.payload.sessionStatus}`); } });
const request = (body) => new Request('https://example.test/8x8/vss', { method: 'POST', body });
const ok = await web.fetch(request(documented('voice-messaging--session-status.1')), { remoteAddress: '10.1.2.3' });
const refused = await web.fetch(request(documented('voice-messaging--session-status.1')), { remoteAddress: '192.0.2.1' });
const unknownPeer = await web.fetch(request(documented('voice-messaging--session-status.1')));
await web.idle();
const fetched = {
  ok: { status: ok.status, type: ok.headers.get('content-type'), body: await ok.json() },
  refused: { status: refused.status, body: await refused.json() },
  unknownPeer: { status: unknownPeer.status, body: await unknownPeer.json() },
  seen,
};

let release;
const gate = new Promise((resolve) => { release = resolve; });
const slow = createReceiver({ allow: 'any', queueLimit: 2, concurrency: 1, onEvent: () => gate });
const server = await serve(slow.node);
const statuses = [];
for (let i = 0; i < 4; i += 1) {
  const r = await post(server.url, summary(1000 + i));
  statuses.push({ status: r.status, retryAfter: r.headers['retry-after'] ?? null });
}
const pendingWhileFull = slow.pending;
release();
await slow.idle();
// The refused ones were not claimed: delivered again, they are handled.
const again = [];
for (let i = 2; i < 4; i += 1) again.push(JSON.parse((await post(server.url, summary(1000 + i))).body));
await slow.idle();
await server.close();
console.log(JSON.stringify({ fetched, statuses, pendingWhileFull, again }));
