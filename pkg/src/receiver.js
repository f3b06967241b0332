// `voicehook/receiver`: receiving 8x8 webhooks over HTTP. The checks are the core's (receivePolicy);
// this file only moves bytes: it reads the request, asks the core, drives the deduplication store,
// queues the user's handler after the answer, and answers a call action with a checked reply.

/** The options createReceiver passes to the core as the receive policy. */
const POLICY = ['kinds', 'allow', 'trustedProxies', 'authorization', 'authorizationHeader', 'maxSize', 'strict'];
/** The options createReceiver itself reads. */
const OWN = ['store', 'onEvent', 'onCallAction', 'onError', 'fallback', 'callActionTimeoutMs', 'ttlMs', 'leaseMs', 'queueLimit', 'concurrency', 'awaitHandler'];
const DEFAULT_MAX_SIZE = 1024 * 1024;
const JSON_TYPE = { 'content-type': 'application/json' };

/** What is answered to a call action when the handler fails, times out or returns an invalid reply. */
export const FALLBACK_REPLY = Object.freeze({ callflow: [Object.freeze({ action: 'hangup' })] });

export function makeReceiver({ receivePolicy, dedupStore, validate }) {
  /**
   * Deduplication for one instance: the core's bounded store, with the clock. Async like every
   * store, so that the receiver drives a shared one (redisStore) the same way.
   */
  function memoryStore({ capacity = 100000 } = {}) {
    const store = dedupStore(capacity);
    return {
      async claim(key, leaseMs) {
        return store.claim(key, Date.now(), leaseMs);
      },
      async done(key, ttlMs) {
        store.done(key, Date.now(), ttlMs);
      },
      async release(key) {
        store.release(key);
      },
    };
  }

  /**
   * Deduplication shared by several instances through Redis: a connected node-redis client (v4 or
   * later; voicehook does not depend on it), driven with raw commands (`sendCommand`). A claim is
   * `SET key pending:<token> NX PX lease`; done is `SET key done PX ttl`; a failed handler deletes
   * the key only while it still holds its own token, so an instance whose lease ran out never
   * frees another's claim.
   */
  function redisStore(client, { prefix = 'voicehook:' } = {}) {
    if (!client || typeof client.sendCommand !== 'function') {
      throw new TypeError('voicehook: redisStore: expected a connected node-redis client (createClient from the redis package, with sendCommand)');
    }
    const tokens = new Map();
    const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    const ms = (n) => String(Math.max(1, Math.round(n)));
    return {
      async claim(key, leaseMs) {
        const k = prefix + key;
        const token = `pending:${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
        for (let attempt = 0; attempt < 3; attempt += 1) {
          if ((await client.sendCommand(['SET', k, token, 'NX', 'PX', ms(leaseMs)])) === 'OK') {
            tokens.set(key, token);
            return 'new';
          }
          const state = await client.sendCommand(['GET', k]);
          if (state === 'done') return 'duplicate';
          if (state !== null && state !== undefined) return 'in-progress';
          // It expired or was released between the two commands: claim again.
        }
        return 'in-progress';
      },
      async done(key, ttlMs) {
        tokens.delete(key);
        await client.sendCommand(['SET', prefix + key, 'done', 'PX', ms(ttlMs)]);
      },
      async release(key) {
        const token = tokens.get(key);
        tokens.delete(key);
        if (token !== undefined) await client.sendCommand(['EVAL', RELEASE, '1', prefix + key, token]);
      },
    };
  }

  function createReceiver(options = {}) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError('voicehook: createReceiver: expected an options object');
    }
    for (const name of Object.keys(options)) {
      if (!POLICY.includes(name) && !OWN.includes(name)) {
        throw new TypeError(`voicehook: createReceiver: unknown option ${JSON.stringify(name)} (expected one of ${[...POLICY, ...OWN].join(', ')})`);
      }
    }
    const policyOptions = Object.fromEntries(POLICY.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
    const policy = receivePolicy(policyOptions);
    const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
    const fn = (name) => {
      const f = options[name];
      if (f !== undefined && typeof f !== 'function') throw new TypeError(`voicehook: createReceiver: ${name} must be a function`);
      return f;
    };
    const count = (name, fallback, min = 1) => {
      const v = options[name] ?? fallback;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new RangeError(`voicehook: createReceiver: ${name} must be a number of at least ${min}, got ${v}`);
      return v;
    };
    const onEvent = fn('onEvent');
    const onCallAction = fn('onCallAction');
    const onError = fn('onError') ?? ((err) => console.error(err));
    const store = options.store ?? memoryStore();
    for (const m of ['claim', 'done', 'release']) {
      if (typeof store[m] !== 'function') throw new TypeError(`voicehook: createReceiver: store.${m} must be a function (see memoryStore and redisStore)`);
    }
    const ttlMs = count('ttlMs', 24 * 3600 * 1000);
    const leaseMs = count('leaseMs', 60 * 1000);
    const callActionTimeoutMs = count('callActionTimeoutMs', 5000);
    const queue = makeQueue(count('queueLimit', 1000), count('concurrency', 8));
    const awaitHandler = options.awaitHandler ?? false;
    if (typeof awaitHandler !== 'boolean') throw new TypeError('voicehook: createReceiver: awaitHandler must be true or false');
    const fallback = options.fallback ?? FALLBACK_REPLY;
    const fallbackReport = validate(fallback, { kind: 'vca-reply' });
    if (!fallbackReport.valid) {
      const e = fallbackReport.errors[0];
      throw new TypeError(`voicehook: createReceiver: fallback is not a valid VCA reply: ${e.rule} at ${e.pointer || '/'}: ${e.message}`);
    }
    const fallbackText = JSON.stringify(fallback);

    const answer = (status, body, extra) => ({ status, headers: { ...JSON_TYPE, ...extra }, body: JSON.stringify(body) });
    const refuse = (r) => answer(r.status, { ok: false, reason: r.reason, message: r.message });

    /** The transport-neutral exchange: peer, header pairs and a body reader in; status, headers, body out. */
    async function exchange(peer, headers, read) {
      const declared = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0);
      const early = policy.head({ peer, headers, size: Number.isFinite(declared) ? declared : 0 });
      if (early) return refuse(early);
      const body = await read(maxSize);
      if (!(body instanceof Uint8Array)) return refuse(policy.head({ peer, headers, size: body.size }));
      const verdict = policy.check({ peer, headers, body });
      if (verdict.verdict !== 'accept') return refuse(verdict);
      const event = { kind: verdict.kind, key: verdict.key, data: verdict.data, report: verdict.report, client: verdict.client };
      if (event.kind === 'vca') return callAction(event);
      if (verdict.deduplicate) {
        const claim = await store.claim(event.key, leaseMs);
        if (claim !== 'new') return answer(200, { ok: true, duplicate: true, inProgress: claim === 'in-progress' });
      }
      const job = async () => {
        try {
          if (onEvent) await onEvent(event);
        } catch (err) {
          if (verdict.deduplicate) await store.release(event.key).catch((e) => onError(e, event));
          onError(err, event);
          return false;
        }
        if (verdict.deduplicate) await store.done(event.key, ttlMs).catch((e) => onError(e, event));
        return true;
      };
      if (awaitHandler) {
        // The answer waits for the handler: a failure is a 500, which a sender may deliver again.
        if (await job()) return answer(200, { ok: true });
        return answer(500, { ok: false, reason: 'handler', message: 'the handler failed; deliver again later' });
      }
      if (!queue.push(job)) {
        // Back-pressure: the queue is full. Not handled, so not claimed: 8x8 may deliver it again.
        if (verdict.deduplicate) await store.release(event.key);
        return answer(503, { ok: false, reason: 'busy', message: 'the receiver queue is full; deliver again later' }, { 'retry-after': '1' });
      }
      return answer(200, { ok: true });
    }

    async function callAction(event) {
      let reply;
      let why = null;
      if (!onCallAction) why = 'no onCallAction handler';
      else {
        let timer;
        try {
          reply = await Promise.race([
            Promise.resolve().then(() => onCallAction(event)),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`onCallAction took longer than ${callActionTimeoutMs} ms`)), callActionTimeoutMs);
            }),
          ]);
        } catch (err) {
          why = err instanceof Error ? err.message : String(err);
        } finally {
          clearTimeout(timer);
        }
      }
      if (why === null && reply !== null && typeof reply === 'object' && typeof reply.build === 'function') reply = reply.build();
      if (why === null) {
        const report = validate(reply, { kind: 'vca-reply' });
        if (!report.valid) {
          const e = report.errors[0];
          why = `the reply is not a valid VCA reply (${e.rule} at ${e.pointer || '/'}: ${e.message})`;
        }
      }
      if (why !== null) {
        onError(new Error(`voicehook: call action ${event.key}: ${why}; answered with the fallback reply`), event);
        return { status: 200, headers: JSON_TYPE, body: fallbackText };
      }
      return { status: 200, headers: JSON_TYPE, body: JSON.stringify(reply) };
    }

    /** A Web-standard handler: `(Request, { remoteAddress }?) => Promise<Response>`. */
    async function fetchHandler(request, info) {
      const peer = info?.remoteAddress ?? undefined;
      const headers = [...request.headers.entries()];
      const out = await exchange(peer, headers, (limit) => readStream(request.body, limit));
      return new Response(out.body, { status: out.status, headers: out.headers });
    }

    /** For node:http and Express: `(req, res)`; with Express, mount it before any body parser (or after express.raw). */
    async function nodeHandler(req, res) {
      try {
        const peer = req.socket?.remoteAddress ?? undefined;
        const raw = req.rawHeaders ?? [];
        const headers = [];
        for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i], raw[i + 1]]);
        const out = await exchange(peer, headers, (limit) => readNode(req, limit));
        res.writeHead(out.status, out.headers);
        res.end(out.body);
      } catch (err) {
        onError(err);
        if (!res.headersSent) res.writeHead(500, JSON_TYPE);
        res.end(JSON.stringify({ ok: false, reason: 'internal', message: 'the receiver failed; see its log' }));
      }
    }

    /**
     * A Fastify plugin: `fastify.register(receiver.fastify, { path: '/8x8/webhooks' })`. In its
     * own context it reads every body as bytes, so the user's other routes keep their parsers.
     */
    async function fastifyPlugin(instance, opts = {}) {
      const pairs = (request) => {
        const raw = request.raw.rawHeaders ?? [];
        const headers = [];
        for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i], raw[i + 1]]);
        return headers;
      };
      const peerOf = (request) => request.raw.socket?.remoteAddress ?? undefined;
      // The checks that need no body, before Fastify reads it (a refused peer or a declared 20 MB
      // body is answered unread).
      instance.addHook('onRequest', async (request, reply) => {
        const headers = pairs(request);
        const declared = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0);
        const early = policy.head({ peer: peerOf(request), headers, size: Number.isFinite(declared) ? declared : 0 });
        if (early) {
          const out = refuse(early);
          reply.code(out.status).headers(out.headers).send(out.body);
          return reply;
        }
        return undefined;
      });
      // A body without a length that grows past the limit: Fastify stops reading it.
      instance.setErrorHandler((error, _request, reply) => {
        if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
        const out = answer(413, { ok: false, reason: 'size', message: `the body is larger than the ${maxSize} bytes this endpoint accepts` });
        reply.code(out.status).headers(out.headers).send(out.body);
      });
      instance.removeAllContentTypeParsers();
      instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: Math.max(maxSize, 1) }, (_req, body, done) => done(null, body));
      instance.post(opts.path ?? '/', async (request, reply) => {
        const body = request.body instanceof Uint8Array ? request.body : new Uint8Array(0);
        const out = await exchange(peerOf(request), pairs(request), async () => body);
        reply.code(out.status).headers(out.headers).send(out.body);
        return reply;
      });
    }

    return {
      fetch: fetchHandler,
      node: nodeHandler,
      fastify: fastifyPlugin,
      /** Resolves once every queued onEvent has finished (for tests and graceful shutdown). */
      idle: () => queue.idle(),
      /** How many onEvent calls are running or waiting. */
      get pending() {
        return queue.size();
      },
    };
  }

  return { createReceiver, memoryStore, redisStore, FALLBACK_REPLY };
}

/** A queue of at most `limit` jobs, `concurrency` of them at a time. */
function makeQueue(limit, concurrency) {
  const waiting = [];
  let running = 0;
  let idlers = [];
  const next = () => {
    while (running < concurrency && waiting.length > 0) {
      const job = waiting.shift();
      running += 1;
      job().finally(() => {
        running -= 1;
        next();
        if (running === 0 && waiting.length === 0) {
          const done = idlers;
          idlers = [];
          for (const resolve of done) resolve();
        }
      });
    }
  };
  return {
    push(job) {
      if (running + waiting.length >= limit) return false;
      waiting.push(job);
      queueMicrotask(next);
      return true;
    },
    size: () => running + waiting.length,
    idle: () => (running === 0 && waiting.length === 0 ? Promise.resolve() : new Promise((resolve) => idlers.push(resolve))),
  };
}

/** The body of a Web request, up to `limit` bytes; past it, `{ size }` of what was read (the rest is not). */
async function readStream(stream, limit) {
  if (stream === null || stream === undefined) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { size };
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

/** The body of a Node request, up to `limit` bytes; past it, the rest is drained unread and `{ size }` returned. */
function readNode(req, limit) {
  const parsed = req.body;
  if (parsed instanceof Uint8Array) return Promise.resolve(parsed.byteLength > limit ? { size: parsed.byteLength } : parsed);
  if (typeof parsed === 'string') return Promise.resolve(new TextEncoder().encode(parsed));
  if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && req.readableEnded) {
    // A body parser (express.json) ran first: the bytes are gone; its object is the best left.
    return Promise.resolve(new TextEncoder().encode(JSON.stringify(parsed)));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? { size } : concat(chunks, size)));
    req.on('error', reject);
  });
}

function concat(chunks, size) {
  if (chunks.length === 1) return new Uint8Array(chunks[0].buffer, chunks[0].byteOffset, chunks[0].byteLength);
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
