// The JavaScript API over the wasm glue. No validation logic lives here: only argument conversion.
// Each entry (node.js, browser.js, inline.js) calls makeApi with its own way to get the instance.
import {
  input_buffer, validate_input, analyze_input, detect_input, kind_index, kinds_json, schema_json, explain_code, repair_text, mask_text,
  redact_text,
} from '../dist/voicehook_wasm.js';

const STRICT = 1;
const MASK = 2;

/**
 * Builds the public functions. `instance()` returns the wasm exports (it may instantiate the module
 * on first use) or throws when the module is not loaded yet.
 */
export function makeApi(instance) {
  const encoder = new TextEncoder();
  let memory = null; // the wasm memory
  let ptr = 0; // address of the reused input buffer in wasm memory
  let cap = 0; // its size in bytes
  let view = null; // a Uint8Array over it, renewed when memory grows
  let kindIds = null; // kind id -> index in kinds()

  /** A view of at least `n` bytes of the input buffer. */
  function reserve(n) {
    if (n > cap) {
      cap = Math.max(n, cap * 2, 4096);
      ptr = input_buffer(cap);
      view = null;
    }
    if (view === null || view.buffer !== memory.buffer) view = new Uint8Array(memory.buffer, ptr, cap);
    return view;
  }

  /** Writes `input` into the input buffer; returns the number of bytes written. */
  function write(input) {
    if (typeof input === 'string') {
      // UTF-8 takes at most 3 bytes per UTF-16 unit. Try the tight size first for big strings.
      if (input.length * 3 > cap && input.length > 65536) {
        const { read, written } = encoder.encodeInto(input, reserve(input.length));
        if (read === input.length) return written;
      }
      return encoder.encodeInto(input, reserve(input.length * 3)).written;
    }
    if (input instanceof Uint8Array) {
      reserve(input.length).set(input);
      return input.length;
    }
    if (input instanceof ArrayBuffer) return write(new Uint8Array(input));
    if (ArrayBuffer.isView(input)) return write(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
    if (typeof input === 'object') {
      const text = JSON.stringify(input);
      if (typeof text === 'string') return write(text);
    }
    throw new TypeError(`voicehook: expected a string, a Uint8Array or a JSON-able object, got ${typeof input}`);
  }

  function ready() {
    if (memory === null) memory = instance().memory;
  }

  /** The index of a kind id (-1: detect). Unknown ids throw the core's message as a TypeError. */
  function kindArg(kind, required) {
    if (!required && (kind === undefined || kind === null || kind === 'auto')) return -1;
    kindIds ??= new Map(kinds().map((k, i) => [k.id, i]));
    const index = kindIds.get(kind);
    if (index !== undefined) return index;
    try {
      return kind_index(String(kind));
    } catch (err) {
      throw new TypeError(`voicehook: ${err.message}`);
    }
  }

  const num = (v) => (v === undefined || v === null ? NaN : Number(v));

  function validate(input, options) {
    ready();
    const o = options ?? {};
    const kind = kindArg(o.kind, false);
    const len = write(input);
    const flags = (o.strict ? STRICT : 0) | (o.mask ? MASK : 0);
    const now = o.now === undefined || o.now === null ? Date.now() : Number(o.now);
    return JSON.parse(guard(() => validate_input(len, kind, flags, now, num(o.maxDepth), num(o.maxSize))));
  }

  function analyze(input, options) {
    ready();
    const o = options ?? {};
    const kind = kindArg(o.kind, false);
    const len = write(input);
    const flags = (o.strict ? STRICT : 0) | (o.mask ? MASK : 0);
    const now = o.now === undefined || o.now === null ? Date.now() : Number(o.now);
    return JSON.parse(guard(() => analyze_input(len, kind, flags, now, num(o.maxDepth), num(o.maxSize))));
  }

  function decode(input, options) {
    return analyze(input, options).decoded;
  }

  /** Runs a wasm call; after a trap (a voicehook bug) the next call starts with a fresh input buffer. */
  function guard(call) {
    try {
      return call();
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) {
        cap = 0;
        view = null;
        throw new Error(`voicehook: internal error (please report it with the input): ${err.message}`, { cause: err });
      }
      throw err;
    }
  }

  function detect(input) {
    ready();
    const len = write(input);
    return JSON.parse(guard(() => detect_input(len)));
  }

  function kinds() {
    ready();
    return JSON.parse(kinds_json());
  }

  function schema(kind) {
    ready();
    return JSON.parse(schema_json(kindArg(kind, true)));
  }

  function explainCode(code) {
    ready();
    return JSON.parse(explain_code(String(code)));
  }

  function repair(text) {
    ready();
    if (typeof text !== 'string') throw new TypeError('voicehook: repair expects a string');
    return JSON.parse(repair_text(text));
  }

  function mask(text) {
    ready();
    if (typeof text !== 'string') throw new TypeError('voicehook: mask expects a string');
    return mask_text(text);
  }

  function redact(text) {
    ready();
    if (typeof text !== 'string') throw new TypeError('voicehook: redact expects a string');
    return redact_text(text);
  }

  return { validate, analyze, decode, detect, kinds, schema, explainCode, repair, mask, redact };
}
