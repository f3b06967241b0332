// Every refusal of the receive check over real HTTP: the status, the reason, and the user's code
// never called. Prints { results, handled }.
import { createReceiver } from 'voicehook/receiver';
import { serve, post, documented } from './common.mjs';

const handled = [];
const onEvent = (e) => { handled.push(e.key); };
// Behind one proxy (this loopback client plays it): the client address is the forwarded one.
const proxied = createReceiver({ allow: '8x8', trustedProxies: 1, authorization: 'Bearer s3cret', kinds: ['vss'], onEvent, onError: () => {} });
// No proxy trusted: forwarded headers are ignored, the peer (127.0.0.1) is the client.
const direct = createReceiver({ allow: '8x8', authorization: 'Bearer s3cret', onEvent, onError: () => {} });
const a = await serve(proxied.node);
const b = await serve(direct.node);
const vss = documented('voice-messaging--session-status.1');
const vca = documented('number-masking--call-action-handling.1');
const from8x8 = { 'x-forwarded-for': '18.140.80.2', authorization: 'Bearer s3cret' };
const huge = Buffer.alloc(20 << 20, 0x20);
const cases = [
  ['accepted', a.url, vss, from8x8],
  ['not allowlisted', a.url, vss, { 'x-forwarded-for': '198.51.100.7', authorization: 'Bearer s3cret' }],
  ['forged X-Forwarded-For without a trusted proxy', b.url, vss, from8x8],
  ['missing authorization', a.url, vss, { 'x-forwarded-for': '18.140.80.2' }],
  ['wrong authorization', a.url, vss, { 'x-forwarded-for': '18.140.80.2', authorization: 'Bearer s3cref' }],
  ['20 MB body with its length', a.url, huge, from8x8],
  ['20 MB body chunked', a.url, huge, from8x8, { chunked: true }],
  ['empty body', a.url, '', from8x8],
  ['not JSON', a.url, '{"payload": ', from8x8],
  ['a call action at the summary endpoint', a.url, vca, from8x8],
];
const results = [];
for (const [name, url, body, headers, how] of cases) {
  const r = await post(url, body, headers, how);
  results.push({ name, status: r.status, ...JSON.parse(r.body) });
}
await proxied.idle();
await a.close();
await b.close();
console.log(JSON.stringify({ results, handled }));
