// Entry with the .wasm inlined as base64, for bundlers that do not copy a wasm file referenced with
// `new URL(..., import.meta.url)` (esbuild). Loads synchronously on first use; `init()` is optional.
import { initSync as initWasmSync } from '../dist/voicehook_wasm.js';
import { wasmBase64 } from '../dist/wasm-inline.js';
import { makeApi } from './api.js';

let wasm = null;

function bytes(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

const load = () => (wasm ??= initWasmSync({ module: bytes(wasmBase64) }));

export const { validate, analyze, parse, decode, sendCallflow, vcaReply, exampleFrom, detect, kinds, rules, schema, explainCode, lookupCode, repair, mask, redact, receivePolicy, dedupStore, simulate } = makeApi(load);

/** Optional: loads the module now rather than on the first call. */
export async function init() {
  load();
}

/** Loads the module from bytes or a compiled module you already hold (instead of the inlined copy). */
export function initSync(source) {
  wasm ??= initWasmSync({ module: source });
}
