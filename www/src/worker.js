// The page's checker, off the main thread: one `analyze` pass (report + decoded view) per change,
// plus `detect` when the kind is detected (analyze does not say why it chose the kind). The page
// posts {type: 'init', module} once, with the WebAssembly module it compiled (so the .wasm is
// fetched once), then {type: 'analyze', id, text, options} per change; every answer carries the
// request's id so that the page can drop stale ones. Requests that queue up while one runs are
// coalesced: only the newest is analyzed. {type: 'full', id} asks for the whole answer as JSON.
import { analyze, detect, initSync } from 'voicehook';
import { LEGS_SHOWN as SHOWN } from './limits.js';

/** @type {{id: number, text: string, options: {kind: string, strict: boolean, mask: boolean}} | null} */
let pending = null;
/** The full answer to the newest request, for "Copy report as JSON". */
let latest = null;

self.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'init') {
    initSync(message.module);
    self.postMessage({ type: 'ready' });
    return;
  }
  if (message.type === 'full') {
    const full = latest?.id === message.id ? { report: latest.report, ...(latest.decoded ? { decoded: latest.decoded } : {}) } : null;
    self.postMessage({ type: 'full', id: message.id, json: full && JSON.stringify(full, null, 2) });
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
  const { report, decoded } = analyze(text, options);
  const detection = options.kind === 'auto' ? detect(text) : null;
  latest = { id, report, decoded };
  // The page shows the first SHOWN legs and events: copying (and drawing) a thousand legs on the
  // main thread would keep it busy for longer than a keystroke may. The counts say how many.
  const view = decoded && { ...decoded, legs: decoded.legs.slice(0, SHOWN), timeline: decoded.timeline.slice(0, SHOWN) };
  const counts = { legs: decoded?.legs.length ?? 0, events: decoded?.timeline.length ?? 0 };
  self.postMessage({ type: 'result', id, report, decoded: view, counts, detection, workerMs: performance.now() - started });
}
