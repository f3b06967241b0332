// Shared by the receiver scenarios: servers on loopback, requests, documents with distinct ids.
import { createServer, request as httpRequest } from 'node:http';
import { example, named } from 'voicehook/fixtures';

/** Serves `handler` on 127.0.0.1 (a free port); returns its URL and close(). */
export async function serve(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

/** POSTs `body` with `headers` (chunked when `chunked`); resolves { status, body, headers }. */
export function post(url, body, headers = {}, { chunked = false } = {}) {
  return new Promise((resolve, reject) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const req = httpRequest(url, { method: 'POST', headers: chunked ? headers : { ...headers, 'content-length': bytes.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    if (chunked) {
      // In pieces, without a length: the receiver learns the size only by reading.
      for (let at = 0; at < bytes.length; at += 1 << 20) req.write(bytes.subarray(at, at + (1 << 20)));
      req.end();
    } else req.end(bytes);
  });
}

/** A session summary with its own sessionId (n-th of a run). */
export function summary(n) {
  const id = `1f048a84-ea6d-11ee-911b-${n.toString(16).padStart(12, '0')}`;
  return JSON.stringify(example('vss', { 'payload.sessionId': id }));
}

export const documented = (name) => JSON.stringify(named(name).document);
