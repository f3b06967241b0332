// @ts-check
// The page's checker, off the main thread: one `analyze` pass (report, decoded view and what
// detection said) per change. The page
// posts {type: 'init', module} once, with the WebAssembly module it compiled (so the .wasm is
// fetched once), then {type: 'analyze', id, text, options} per change; every answer carries the
// request's id so that the page can drop stale ones. Requests that queue up while one runs are
// coalesced: only the newest is analyzed. {type: 'full', id} asks for the whole answer as JSON.
import { analyze, initSync } from 'voicehook';
import { LEGS_SHOWN as SHOWN } from './limits.js';

/** @typedef {import('voicehook').Report} Report */
/** @typedef {import('voicehook').Decoded} Decoded */
/** @typedef {import('voicehook').Detection} Detection */
/** @typedef {import('voicehook').Kind} Kind */
/**
 * A check the page asks for.
 * @typedef {{type: 'analyze', id: number, text: string, options: {kind: Kind | 'auto', strict: boolean, mask: boolean}}} Request
 */
/**
 * How many legs and timeline events the whole decoded view has (the answer holds the first ones).
 * @typedef {{legs: number, events: number}} Counts
 */
/**
 * What the worker posts: `ready` after init, a `result` per analyzed request (`failed` when the
 * package threw), the `full` answer as JSON text (null when `id` is no longer the newest).
 * @typedef {{type: 'ready'}
 *   | {type: 'result', id: number, report: Report, decoded: Decoded | null, counts: Counts, detection: Detection | null, workerMs: number}
 *   | {type: 'failed', id: number, message: string}
 *   | {type: 'full', id: number, json: string | null}} Answer
 */
/** @typedef {{type: 'init', module: WebAssembly.Module} | Request | {type: 'full', id: number}} Message */

/** @type {Request | null} */
let pending = null;
/** The full answer to the newest request, for "Copy report as JSON". */
/** @type {{id: number, report: Report, decoded: Decoded | null} | null} */
let latest = null;

/** @param {Answer} answer */
function post(answer) {
  self.postMessage(answer);
}

self.addEventListener('message', (/** @type {MessageEvent<Message>} */ event) => {
  const message = event.data;
  if (message.type === 'init') {
    initSync(message.module);
    post({ type: 'ready' });
    return;
  }
  if (message.type === 'full') {
    const full = latest?.id === message.id ? { report: latest.report, ...(latest.decoded ? { decoded: latest.decoded } : {}) } : null;
    post({ type: 'full', id: message.id, json: full && JSON.stringify(full, null, 2) });
    return;
  }
  const waiting = pending !== null;
  pending = message;
  // Messages already queued run before this timer: the newest of them is the one analyzed.
  if (!waiting) setTimeout(run, 0);
});

function run() {
  const request = pending;
  pending = null;
  if (request === null) return;
  const { id, text, options } = request;
  const started = performance.now();
  let analysis;
  let detection;
  try {
    analysis = analyze(text, options);
    detection = options.kind === 'auto' ? analysis.detection : null;
  } catch (err) {
    // A voicehook bug (the package reports every problem of the document itself): say so
    // instead of leaving the page waiting.
    latest = null;
    post({ type: 'failed', id, message: err instanceof Error ? err.message : String(err) });
    return;
  }
  const { report, decoded } = analysis;
  latest = { id, report, decoded };
  // The page shows the first SHOWN legs and events: copying (and drawing) a thousand legs on the
  // main thread would keep it busy for longer than a keystroke may. The counts say how many.
  const view = decoded && { ...decoded, legs: decoded.legs.slice(0, SHOWN), timeline: decoded.timeline.slice(0, SHOWN) };
  const counts = { legs: decoded?.legs.length ?? 0, events: decoded?.timeline.length ?? 0 };
  post({ type: 'result', id, report, decoded: view, counts, detection, workerMs: performance.now() - started });
}
