// Browser and bundler entry: call `await init()` once before the first call. The .wasm is fetched
// from beside the glue (`new URL(..., import.meta.url)`, which Vite and webpack 5 follow).
// Bundlers that do not (esbuild) can use `voicehook/inline`.
import initWasm, { initSync as initWasmSync } from '../dist/voicehook_wasm.js';
import { makeApi } from './api.js';

let wasm = null;

export const { validate, analyze, parse, decode, sendCallflow, vcaReply, exampleFrom, detect, kinds, rules, schema, explainCode, lookupCode, repair, mask, redact, receivePolicy, dedupStore, simulate } = makeApi(() => {
  if (wasm === null) throw new Error('voicehook: the WebAssembly module is not loaded yet; call `await init()` first');
  return wasm;
});

/** Loads the WebAssembly module (once; later calls return at once). */
export async function init(source) {
  wasm ??= await initWasm(source === undefined ? undefined : { module_or_path: source });
}

/** Loads the module synchronously from bytes or a compiled module you already hold. */
export function initSync(source) {
  wasm ??= initWasmSync({ module: source });
}
