// One receiver instance sharing deduplication through Redis (REDIS_URL): POST /hook receives,
// GET /stats says which keys its onEvent handled. Prints { port } when it listens.
import { createServer } from 'node:http';
import { createClient } from 'redis';
import { createReceiver, redisStore } from 'voicehook/receiver';

const client = await createClient({ url: process.env.REDIS_URL }).connect();
const handled = [];
const receiver = createReceiver({
  allow: 'any',
  store: redisStore(client, { prefix: 'load:' }),
  queueLimit: 100000,
  // A little work per event, so that deliveries of one event overlap on both instances.
  onEvent: async (event) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    handled.push(event.key);
  },
});
const server = createServer(async (req, res) => {
  if (req.method === 'GET') {
    await receiver.idle();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ handled }));
    return;
  }
  await receiver.node(req, res);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', async () => {
  server.close();
  await client.quit();
  process.exit(0);
});
