// The JavaScript API over the wasm glue. No validation logic lives here: only argument conversion.
// Each entry (node.js, browser.js, inline.js) calls makeApi with its own way to get the instance.
import {
  input_buffer, validate_input, analyze_input, parse_input, detect_input, kind_index, kinds_json, rules_json, schema_json, explain_code, lookup_code, repair_text,
  mask_text, redact_text, fixture_from, size_limit, too_large_report, too_large_analysis, too_large_parse, too_large_detection, too_large_repair,
  Receiver, DedupStore, Simulation,
} from '../dist/voicehook_wasm.js';
import { makeBuilders } from './builder.js';

const STRICT = 1;
const MASK = 2;

/**
 * Builds the public functions. `instance()` returns the wasm exports (it may instantiate the module
 * on first use) or throws when the module is not loaded yet.
 */
export function makeApi(instance) {
  const encoder = new TextEncoder();
  let memory = null; // the wasm memory
  let kindIds = null; // kind id -> index in kinds()
  let defaultLimit = NaN; // the core's default size limit in bytes, once asked

  /**
   * A view of `n` bytes of the core's input buffer. Asked for before each document: the core
   * reuses the buffer, grows it, or (after a large document it kept) makes a new one.
   */
  function reserve(n) {
    const ptr = input_buffer(Math.max(n, 4096));
    return new Uint8Array(memory.buffer, ptr, n);
  }

  /**
   * The UTF-8 size of `text` from unit `from` on, plus `counted`, measured without holding the
   * bytes: chunk by chunk into a small scratch buffer outside wasm memory. Each chunk encodes as
   * the whole text does (a chunk never ends between the halves of a surrogate pair, and a lone
   * surrogate takes 3 bytes, U+FFFD, either way).
   */
  function utf8Length(text, from = 0, counted = 0) {
    const chunk = 1 << 18;
    const scratch = new Uint8Array(3 * chunk);
    for (let i = from; i < text.length; ) {
      let end = Math.min(i + chunk, text.length);
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
      counted += encoder.encodeInto(text.substring(i, end), scratch).written;
      i = end;
    }
    return counted;
  }

  /**
   * Writes `input` into the input buffer; returns its size in bytes. A size over `limit` means the
   * document is too large: at most its first `limit + 1` bytes were written (none when its length
   * alone tells), and the caller asks the core for the answer by size alone. Every input becomes
   * bytes for the core to judge: `undefined` and `null` are no document at all (the core reports
   * `json.empty`), a number, boolean or bigint is its JSON text, an object its `JSON.stringify`.
   * Only a value that has no JSON text (a function, a symbol, an object with a cycle) throws.
   */
  function write(input, limit) {
    if (typeof input === 'string') {
      // Each UTF-16 unit takes 1 to 3 bytes of UTF-8: more units than `limit` is too large already.
      const units = input.length;
      if (units > limit) return utf8Length(input);
      // Otherwise at most limit + 1 bytes need writing to tell. Big strings are mostly ASCII: try
      // the tight size first.
      const room = Math.min(units * 3, limit + 1);
      if (units > 65536 && units < room) {
        const { read, written } = encoder.encodeInto(input, reserve(units).subarray(0, units));
        if (read === units) return written;
      }
      const { read, written } = encoder.encodeInto(input, reserve(room).subarray(0, room));
      return read === units ? written : utf8Length(input, read, written);
    }
    if (input === undefined || input === null) return 0;
    if (input instanceof Uint8Array) {
      if (input.length > limit) return input.length;
      reserve(input.length).set(input);
      return input.length;
    }
    if (input instanceof ArrayBuffer) return write(new Uint8Array(input), limit);
    if (ArrayBuffer.isView(input)) return write(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), limit);
    if (typeof input === 'number' || typeof input === 'boolean' || typeof input === 'bigint') return write(String(input), limit);
    if (typeof input === 'object') {
      let text;
      try {
        text = JSON.stringify(input);
      } catch (err) {
        throw new TypeError(`voicehook: the input object has no JSON text (${err.message})`, { cause: err });
      }
      if (typeof text === 'string') return write(text, limit);
    }
    throw new TypeError(
      `voicehook: expected the document as a string, a Uint8Array, an ArrayBuffer or a JSON-able value, got ${typeof input}`,
    );
  }

  function ready() {
    if (memory === null) memory = instance().memory;
  }

  /** The size limit in bytes for a `maxSize` from settings() (NaN: the default), as the core has it. */
  function limitOf(maxSize) {
    if (Number.isNaN(maxSize)) {
      if (Number.isNaN(defaultLimit)) defaultLimit = size_limit(NaN);
      return defaultLimit;
    }
    return size_limit(maxSize);
  }

  /** The index of a kind id (-1: detect). Unknown ids throw the core's message as a TypeError. */
  function kindArg(kind, required, name = 'options.kind') {
    if (!required && (kind === undefined || kind === null || kind === 'auto')) return -1;
    kindIds ??= new Map(kinds().map((k, i) => [k.id, i]));
    const index = kindIds.get(kind);
    if (index !== undefined) return index;
    if (typeof kind !== 'string') {
      throw new TypeError(`voicehook: ${name}: expected a kind id (${[...kindIds.keys()].join(', ')}${required ? '' : ", or 'auto'"}), got ${describe(kind)}`);
    }
    try {
      return kind_index(kind);
    } catch (err) {
      throw new TypeError(`voicehook: ${name}: ${err.message}${required ? '' : ", or 'auto' to detect"}`);
    }
  }

  /** A value as an error message shows it. */
  function describe(value) {
    if (typeof value === 'string') return JSON.stringify(value);
    if (value === null) return 'null';
    if (value === undefined) return 'undefined';
    if (Array.isArray(value)) return 'an array';
    if (typeof value === 'object') return 'an object';
    return `${typeof value} ${String(value)}`;
  }

  /**
   * The options as the wasm call takes them. A wrong option throws: a TypeError for a wrong type
   * (naming the option and what it takes), a RangeError for a number out of range.
   */
  function settings(options) {
    if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
      throw new TypeError(`voicehook: options: expected an object such as { kind: 'vss' }, got ${describe(options)}`);
    }
    const o = options ?? {};
    const kind = kindArg(o.kind, false);
    const flag = (name) => {
      const v = o[name];
      if (v === undefined || v === null || typeof v === 'boolean') return v === true;
      throw new TypeError(`voicehook: options.${name}: expected true or false, got ${describe(v)}`);
    };
    const flags = (flag('strict') ? STRICT : 0) | (flag('mask') ? MASK : 0);
    let now = o.now;
    if (now === undefined || now === null) now = Date.now();
    else if (now instanceof Date) now = now.getTime();
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      const what = o.now instanceof Date ? 'an invalid Date' : describe(o.now);
      throw new TypeError(`voicehook: options.now: expected Unix milliseconds (a finite number) or a valid Date, got ${what}`);
    }
    const count = (name) => {
      const v = o[name];
      if (v === undefined || v === null) return NaN;
      if (typeof v !== 'number') throw new TypeError(`voicehook: options.${name}: expected a whole number, got ${describe(v)}`);
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`voicehook: options.${name}: expected a whole number of 0 or more, got ${v}`);
      return v;
    };
    return [kind, flags, now, count('maxDepth'), count('maxSize')];
  }

  function validate(input, options) {
    ready();
    const [kind, flags, now, maxDepth, maxSize] = settings(options);
    const limit = limitOf(maxSize);
    const len = write(input, limit);
    if (len > limit) return JSON.parse(too_large_report(len, kind, flags, now, maxDepth, maxSize));
    return JSON.parse(guard(() => validate_input(len, kind, flags, now, maxDepth, maxSize)));
  }

  function analyze(input, options) {
    ready();
    const [kind, flags, now, maxDepth, maxSize] = settings(options);
    const limit = limitOf(maxSize);
    const len = write(input, limit);
    if (len > limit) return JSON.parse(too_large_analysis(len, kind, flags, now, maxDepth, maxSize));
    return JSON.parse(guard(() => analyze_input(len, kind, flags, now, maxDepth, maxSize)));
  }

  function parse(input, options) {
    ready();
    const [kind, flags, now, maxDepth, maxSize] = settings(options);
    const limit = limitOf(maxSize);
    const len = write(input, limit);
    if (len > limit) return JSON.parse(too_large_parse(len, kind, flags, now, maxDepth, maxSize));
    return JSON.parse(guard(() => parse_input(len, kind, flags, now, maxDepth, maxSize)));
  }

  function decode(input, options) {
    return analyze(input, options).decoded;
  }

  /** Runs a wasm call; a trap (a voicehook bug) becomes an Error that asks for a report. */
  function guard(call) {
    try {
      return call();
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) {
        throw new Error(`voicehook: internal error (please report it with the input): ${err.message}`, { cause: err });
      }
      throw err;
    }
  }

  function detect(input) {
    ready();
    const limit = limitOf(NaN);
    const len = write(input, limit);
    if (len > limit) return JSON.parse(too_large_detection(len));
    return JSON.parse(guard(() => detect_input(len)));
  }

  function kinds() {
    ready();
    return JSON.parse(kinds_json());
  }

  let ruleList = null;
  function rules() {
    ready();
    ruleList ??= JSON.parse(rules_json());
    return ruleList.map((r) => ({ ...r }));
  }

  function schema(kind) {
    ready();
    return JSON.parse(schema_json(kindArg(kind, true, 'kind')));
  }

  function explainCode(code) {
    ready();
    return JSON.parse(explain_code(String(code)));
  }

  function lookupCode(code) {
    ready();
    if (typeof code !== 'string' && typeof code !== 'number' && typeof code !== 'bigint') {
      throw new TypeError(`voicehook: lookupCode expects a code as a string or a number, got ${describe(code)}`);
    }
    return JSON.parse(lookup_code(String(code)));
  }

  function repair(text) {
    ready();
    if (typeof text !== 'string') throw new TypeError('voicehook: repair expects a string');
    // A text over the size limit comes back unchanged; it is not copied into wasm memory to say so.
    const limit = limitOf(NaN);
    if (text.length * 3 > limit) {
      const size = utf8Length(text);
      if (size > limit) return { ...JSON.parse(too_large_repair(size)), text };
    }
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

  /**
   * A document for tests from `document` with `overrides` set: an object of dotted paths and
   * values (`{ 'payload.sessionStatus': 'BUSY' }`) or a list of `"path=value"` strings.
   */
  function exampleFrom(kind, document, overrides, options) {
    ready();
    const index = kindArg(kind, true, 'kind');
    if (document === null || typeof document !== 'object') {
      throw new TypeError(`voicehook: document: expected the document as an object, got ${describe(document)}`);
    }
    let list;
    if (overrides === undefined || overrides === null) list = [];
    else if (Array.isArray(overrides)) list = overrides;
    else if (typeof overrides === 'object') list = Object.entries(overrides);
    else throw new TypeError(`voicehook: overrides: expected an object of paths and values or a list of "path=value" strings, got ${describe(overrides)}`);
    const [, , now] = settings(options);
    return JSON.parse(guard(() => fixture_from(index, JSON.stringify(document), JSON.stringify(list), now)));
  }

  /** Headers as the core takes them: `[[name, value], ...]` from a Headers, a Map, pairs or an object. */
  function headerPairs(headers) {
    if (headers === undefined || headers === null) return [];
    const pairs = [];
    const add = (name, value) => {
      if (Array.isArray(value)) for (const v of value) pairs.push([String(name), String(v)]);
      else if (value !== undefined && value !== null) pairs.push([String(name), String(value)]);
    };
    if (Array.isArray(headers)) {
      for (const pair of headers) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`voicehook: headers: expected [name, value] pairs, got ${describe(pair)} in the list`);
        add(pair[0], pair[1]);
      }
    } else if (typeof headers.entries === 'function' && typeof headers !== 'string') {
      for (const [name, value] of headers.entries()) add(name, value);
    } else if (typeof headers === 'object') {
      for (const [name, value] of Object.entries(headers)) add(name, value);
    } else {
      throw new TypeError(`voicehook: headers: expected a Headers, a Map, [name, value] pairs or an object, got ${describe(headers)}`);
    }
    return pairs;
  }

  /** A peer address as the core takes it. */
  function peerArg(peer) {
    if (peer === undefined || peer === null) return undefined;
    if (typeof peer !== 'string') throw new TypeError(`voicehook: peer: expected the address as a string, got ${describe(peer)}`);
    return peer;
  }

  /**
   * An endpoint's receive policy, read once: `head(request)` runs the checks that need no body,
   * `check(request)` the whole receive check. No I/O: the adapters of `voicehook/receiver` do it.
   */
  function receivePolicy(options) {
    ready();
    if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
      throw new TypeError(`voicehook: receivePolicy: expected an object such as { kinds: ['vss'] }, got ${describe(options)}`);
    }
    const o = { ...(options ?? {}) };
    if (typeof o.allow === 'string') o.allow = [o.allow];
    let policy;
    try {
      policy = new Receiver(JSON.stringify(o));
    } catch (err) {
      throw new TypeError(err.message);
    }
    return {
      head({ peer, headers, size = 0 } = {}) {
        const rejection = guard(() => policy.head(peerArg(peer), JSON.stringify(headerPairs(headers)), size));
        return rejection === undefined ? null : JSON.parse(rejection);
      },
      check({ peer, headers, body } = {}) {
        const p = peerArg(peer);
        const h = JSON.stringify(headerPairs(headers));
        const len = write(body, Number.MAX_SAFE_INTEGER);
        const verdict = JSON.parse(guard(() => policy.check(len, p, h)));
        if (verdict.verdict === 'accept') {
          return { verdict: 'accept', kind: verdict.kind, key: verdict.key, deduplicate: verdict.deduplicate, client: verdict.client, data: verdict.data, report: verdict.report };
        }
        return verdict;
      },
    };
  }

  /** The core's bounded in-memory deduplication store (synchronous; `voicehook/receiver`'s `memoryStore` wraps it). */
  function dedupStore(capacity = 100000) {
    ready();
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`voicehook: dedupStore: expected a capacity of 1 or more, got ${describe(capacity)}`);
    const store = new DedupStore(capacity);
    return {
      claim: (key, now, leaseMs) => store.claim(String(key), now, leaseMs),
      done: (key, now, ttlMs) => store.done(String(key), now, ttlMs),
      release: (key) => store.release(String(key)),
      get size() {
        return store.size();
      },
    };
  }

  /** The text of a document argument: a string as it is, bytes as UTF-8, anything else as JSON. */
  function documentText(value, name) {
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array) return new TextDecoder().decode(value);
    if (value instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(value));
    if (value === undefined) throw new TypeError(`voicehook: ${name}: expected a document (a string or an object), got undefined`);
    return JSON.stringify(value);
  }

  /**
   * Plays a call with the core's call engine: `start` is `{ callflow }` (a Send Callflow body) or
   * `{ inbound: { from, to } }`; `script` says what the people on the call do. Returns the call,
   * already played up to the first thing it waits for.
   */
  function simulate(start, script = {}, options = {}) {
    ready();
    if (start === null || typeof start !== 'object' || (!('callflow' in start) && !('inbound' in start))) {
      throw new TypeError(`voicehook: simulate: expected { callflow } or { inbound: { from, to } }, got ${describe(start)}`);
    }
    const callflow = 'callflow' in start ? documentText(start.callflow, 'simulate: callflow') : undefined;
    const inbound = callflow === undefined ? start.inbound : undefined;
    if (callflow === undefined && (typeof inbound?.from !== 'string' || typeof inbound?.to !== 'string')) {
      throw new TypeError(`voicehook: simulate: inbound must be { from, to } with two phone numbers, got ${describe(inbound)}`);
    }
    const sim = new Simulation(callflow, inbound?.from, inbound?.to, JSON.stringify(script ?? {}), Boolean(options?.interactive));
    const events = [];
    let state = { waiting: 'done' };
    function step() {
      const { events: fresh, state: next } = JSON.parse(sim.run());
      events.push(...fresh);
      state = next;
      if (state.waiting === 'done') sim.free();
      return fresh;
    }
    function waitingFor(what, name) {
      if (state.waiting !== what) throw new Error(`voicehook: ${name}: the call is not waiting for ${what === 'reply' ? 'a reply' : 'keys'} (it waits for ${state.waiting === 'done' ? 'nothing: it is over' : state.waiting})`);
    }
    const call = {
      get state() {
        return state;
      },
      get events() {
        return events.slice();
      },
      reply(body, replyOptions = {}) {
        waitingFor('reply', 'reply');
        const status = replyOptions?.status ?? 200;
        if (!Number.isInteger(status) || status < 100 || status > 599) throw new RangeError(`voicehook: reply: expected an HTTP status from 100 to 599, got ${describe(status)}`);
        if (body === null || body === undefined) sim.reply(undefined, 0);
        else sim.reply(documentText(body, 'reply'), status);
        return step();
      },
      press(keys) {
        waitingFor('keys', 'press');
        if (typeof keys !== 'string' && (keys === null || typeof keys !== 'object' || typeof keys.digits !== 'string')) {
          throw new TypeError(`voicehook: press: expected keys such as "12#" or { digits: "12#", after: 1000, gap: 300 }, got ${describe(keys)}`);
        }
        sim.press(JSON.stringify(keys));
        return step();
      },
      play(answer) {
        while (state.waiting !== 'done') {
          if (state.waiting === 'reply') {
            const got = answer(state.webhook);
            call.reply(got);
          } else call.press('');
        }
        return events.slice();
      },
    };
    step();
    return call;
  }

  const { sendCallflow, vcaReply } = makeBuilders(validate);

  return { validate, analyze, parse, decode, sendCallflow, vcaReply, exampleFrom, detect, kinds, rules, schema, explainCode, lookupCode, repair, mask, redact, receivePolicy, dedupStore, simulate };
}
