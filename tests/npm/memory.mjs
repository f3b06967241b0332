// `node tests/npm/memory.mjs` (after `cargo xtask build`): how much WebAssembly memory and time the
// package needs for large documents within the size limit (issue 9 asks for at most 64 MB). Prints,
// for each document and entry point, the time of one call and the module's WebAssembly.Memory
// before and after it. Each measurement runs in a fresh Node process, since wasm memory only grows.
// The documents:
// - a 9.76 MB VSS whose `details` holds 1,000,000 empty legs `{}` (keys: the index in base62);
// - a 2 MB callflow `{"callflow":[0,0,…]}` of 1,000,000 elements.
// `detect` parses and detects only, `validate` runs the whole pipeline, `analyze` adds decoding:
// the differences tell where the memory goes. A figure, not a test: nothing here fails on a number.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MB = 1e6;

function base62(n) {
  const digits = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = digits[n % 62] + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s;
}

const documents = {
  'VSS, 1,000,000 legs': () => {
    const legs = [];
    for (let i = 0; i < 1_000_000; i++) legs.push(`"${base62(i)}":{}`);
    return (
      '{"namespace":"VOICE","eventType":"SESSION_SUMMARY","description":"d","payload":{' +
      '"sessionId":"ece96728-f059-11f0-baa6-c147150ab00e","subAccountId":"acme_voice","sessionStatus":"COMPLETED",' +
      '"startTime":"2026-01-13T08:29:29Z","endTime":"2026-01-13T08:29:43Z","callCount":1,' +
      `"details":{${legs.join(',')}}}}`
    );
  },
  'callflow, 1,000,000 elements': () => `{"callflow":[${new Array(1_000_000).fill(0).join(',')}]}`,
};
const calls = {
  detect: (api, doc) => api.detect(doc),
  validate: (api, doc) => api.validate(doc),
  analyze: (api, doc) => api.analyze(doc),
};

/** One measurement, in this process: prints it as JSON. */
async function measure(docName, callName) {
  const api = await import(pathToFileURL(join(root, 'pkg/src/node.js')).href);
  const { initSync } = await import(pathToFileURL(join(root, 'pkg/dist/voicehook_wasm.js')).href);
  const doc = new TextEncoder().encode(documents[docName]());
  api.validate('{}');
  const memory = initSync().memory;
  const before = memory.buffer.byteLength;
  const t0 = performance.now();
  const answer = calls[callName](api, doc);
  const ms = performance.now() - t0;
  const after = memory.buffer.byteLength;
  const t1 = performance.now();
  calls[callName](api, doc);
  const again = performance.now() - t1;
  const report = answer.report ?? answer;
  const errors = report.errors?.map((e) => e.rule) ?? [];
  const summary = { size: doc.length, ms, again, before, after, afterAgain: memory.buffer.byteLength };
  summary.answer = callName === 'detect' ? `kind ${answer.kind}` : `valid ${report.valid}, ${errors.length} errors${errors.length ? ` (${[...new Set(errors)].slice(0, 3).join(', ')})` : ''}, ${report.warnings.length} warnings`;
  console.log(JSON.stringify(summary));
}

if (process.argv[2]) {
  await measure(process.argv[2], process.argv[3]);
} else {
  const mb = (n) => `${(n / MB).toFixed(1)} MB`;
  for (const docName of Object.keys(documents)) {
    for (const callName of Object.keys(calls)) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), docName, callName], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const m = JSON.parse(out);
      console.log(
        `${docName} (${mb(m.size)}), ${callName}: ${m.ms.toFixed(0)} ms (again: ${m.again.toFixed(0)} ms); ` +
          `wasm memory ${mb(m.before)} -> ${mb(m.after)} (after a second call: ${mb(m.afterAgain)}); ${m.answer}`,
      );
    }
  }
}
