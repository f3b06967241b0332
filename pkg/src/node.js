// Node entry (ESM; bundled into dist/node.cjs for require): loads the wasm synchronously on first use.
import { readFileSync } from 'node:fs';
import { initSync as initWasmSync } from '../dist/voicehook_wasm.js';
import { makeApi } from './api.js';

let wasm = null;
const load = () => (wasm ??= initWasmSync({ module: readFileSync(new URL('../dist/voicehook_wasm_bg.wasm', import.meta.url)) }));

export const { validate, analyze, parse, decode, sendCallflow, vcaReply, exampleFrom, detect, kinds, rules, schema, explainCode, lookupCode, repair, mask, redact, receivePolicy, dedupStore, simulate } = makeApi(load);

/** A no-op in Node (the module loads synchronously); kept so the same code runs everywhere. */
export async function init() {
  load();
}

/** Loads the module from bytes or a compiled module you already hold. */
export function initSync(source) {
  wasm ??= initWasmSync({ module: source });
}
