// Two servers for the load test, in one process: the same node:http endpoint without voicehook
// (reads the body, JSON.parse, 200) and with the receiver (every check, validation on, dedup in
// memory, onEvent after the answer). Prints { plain, receiver } (ports).
import { createServer } from 'node:http';
import { createReceiver } from 'voicehook/receiver';

let events = 0;
const plain = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString());
      events += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } catch {
      res.writeHead(400).end();
    }
  });
});
const receiver = createReceiver({ allow: 'any', queueLimit: 100000, onEvent: () => { events += 1; } });
const checked = createServer(receiver.node);
await Promise.all([plain, checked].map((s) => new Promise((resolve) => s.listen(0, '127.0.0.1', resolve))));
console.log(JSON.stringify({ plain: plain.address().port, receiver: checked.address().port }));
process.on('SIGTERM', () => process.exit(0));
