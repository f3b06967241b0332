// `cargo xtask bench-js`: voicehook (wasm) against ajv 8 compiled from schemas/, in one Node process,
// over the valid documented examples (tests/fixtures/docs/manifest.json: json true and a kind; the
// valid edge cases when that manifest is absent). Prints documents per second, the ratio, and the
// .wasm size. Both sides start from the raw body: ajv pays JSON.parse (and UTF-8 decoding for bytes).
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import Ajv2020 from 'ajv/dist/2020.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { validate } = await import(pathToFileURL(join(root, 'pkg/src/node.js')).href);

function corpus() {
  for (const dir of ['tests/fixtures/docs', 'tests/fixtures/edge']) {
    const path = join(root, dir, 'manifest.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    const entries = Array.isArray(manifest) ? manifest : Object.values(manifest).find(Array.isArray) ?? [];
    const docs = entries
      .filter((e) => e.kind && e.file && (dir.endsWith('docs') ? e.json === true : e.valid === true))
      .map((e) => ({ kind: e.kind, text: readFileSync(join(root, dir, e.file), 'utf8') }));
    if (docs.length > 0) return { dir, docs };
  }
  throw new Error('no fixtures: neither tests/fixtures/docs nor tests/fixtures/edge has a manifest');
}

const { dir, docs } = corpus();
const ajv = new Ajv2020({ allErrors: true, strict: false });
const compiled = new Map();
for (const { kind } of docs) {
  if (!compiled.has(kind)) {
    const schema = JSON.parse(readFileSync(join(root, 'crates/voicehook/schemas', `${kind}.schema.json`), 'utf8'));
    compiled.set(kind, ajv.compile(schema));
  }
}
for (const d of docs) {
  d.bytes = new TextEncoder().encode(d.text);
  d.ajv = compiled.get(d.kind);
}
const decoder = new TextDecoder();
const bytesTotal = docs.reduce((n, d) => n + d.bytes.length, 0);

/** Documents per second of `fn` over `set`, after a warm-up, for about `ms` milliseconds. */
function rate(set, fn, ms = 1500) {
  for (let i = 0; i < 200; i++) for (const d of set) fn(d);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const d of set) fn(d);
    n += set.length;
  }
  return (n * 1000) / (performance.now() - start);
}

let sink = 0;
const cases = {
  'Uint8Array': {
    voicehook: (d) => (sink += validate(d.bytes, { kind: d.kind }).valid ? 1 : 0),
    ajv: (d) => (sink += d.ajv(JSON.parse(decoder.decode(d.bytes))) ? 1 : 0),
  },
  'string': {
    voicehook: (d) => (sink += validate(d.text, { kind: d.kind }).valid ? 1 : 0),
    ajv: (d) => (sink += d.ajv(JSON.parse(d.text)) ? 1 : 0),
  },
};
// The webhooks 8x8 sends (the fast path decides most), and the documents users send, which get
// every check (the callflow rules, the predicted status code): two different workloads.
const WEBHOOKS = new Set(['vss', 'vca', 'vcs', 'vru', 'vnu']);
const groups = {
  'webhooks': docs.filter((d) => WEBHOOKS.has(d.kind)),
  'callflows and VCA replies': docs.filter((d) => d.kind === 'callflow' || d.kind === 'vca-reply'),
};

console.log(`corpus: ${docs.length} documents from ${dir} (${(bytesTotal / docs.length).toFixed(0)} bytes on average), node ${process.version}; kind given, ajv with allErrors`);
for (const [group, set] of Object.entries(groups)) {
  if (set.length === 0) continue;
  console.log(`${group}: ${set.length} documents`);
  for (const [input, { voicehook, ajv: ajvFn }] of Object.entries(cases)) {
    const v = rate(set, voicehook);
    const a = rate(set, ajvFn);
    console.log(
      `  ${input.padEnd(10)} voicehook ${v.toFixed(0).padStart(8)} docs/s (${(1e6 / v).toFixed(1)} us)   ` +
        `ajv ${a.toFixed(0).padStart(8)} docs/s (${(1e6 / a).toFixed(1)} us)   voicehook/ajv ${(v / a).toFixed(2)}`,
    );
  }
}
const wasm = readFileSync(join(root, 'pkg/dist/voicehook_wasm_bg.wasm'));
const gz = gzipSync(wasm, { level: 9 }).length;
console.log(`wasm: ${(wasm.length / 1024).toFixed(0)} KB raw, ${(gz / 1024).toFixed(0)} KB gzip (budget: 350 KB gzip)`);
if (sink < 0) console.log(sink);
