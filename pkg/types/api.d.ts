// The function signatures of the voicehook npm package, written by hand. `cargo xtask build` appends
// everything below the marker to the types it generates (Report, Kind, one type per payload...),
// giving dist/index.d.ts. The data types are never written by hand.
// --- API ---

/** The name `Finding` had before every step of the core reported findings; the same type. */
export type Diagnostic = Finding;

/**
 * What `validate` accepts: the raw body (fastest), its text, or an already parsed value.
 * `undefined`, `null`, `''` and empty bytes are no document (a Report with a `json.empty` error).
 * At run time a number, boolean or bigint is read as its JSON text (an invalid Report); the type
 * leaves them out, since no 8x8 document is one.
 */
export type Input = string | Uint8Array | ArrayBuffer | ArrayBufferView | object | null | undefined;

/** How to validate. Every field is optional. */
export interface ValidateOptions {
  /** Check as this kind instead of detecting it (`"auto"`, `null` or absent: detect). */
  kind?: Kind | 'auto' | null;
  /** Report each documented real-world quirk as an error instead of a warning. */
  strict?: boolean;
  /** "Now" for time-dependent rules, as Unix milliseconds or a Date. Default: `Date.now()`. */
  now?: number | Date;
  /** Deepest nesting of arrays and objects accepted (default 128). */
  maxDepth?: number;
  /** Largest document accepted, in UTF-8 bytes (default 10 MiB); a larger one gets `json.size` without being copied into wasm memory. */
  maxSize?: number;
  /** Mask phone numbers in messages (keep the country code and the last 3 digits). */
  mask?: boolean;
}

/** One kind as `kinds()` lists it. */
export interface KindInfo {
  /** The stable identifier, e.g. `"vss"`. */
  id: Kind;
  /** A short human title. */
  title: string;
  /** True for the five webhooks 8x8 sends. */
  webhook: boolean;
  /** The webhook `eventType` of this kind, `null` for documents. */
  eventType: string | null;
}

/**
 * Validates one document and returns its Report (a plain object; nothing to free).
 * Throws only for a wrong option (a TypeError, or a RangeError for a number out of range, naming
 * the option) or for an input with no JSON text at all (a function, a cycle: a TypeError); every
 * problem in the document itself, an empty one included, is reported in `errors`.
 */
export declare function validate(input: Input, options?: ValidateOptions): Report;

/** `parse` options with the kind given: the result's `data` is that kind's document. */
export interface ParseOptions<K extends Kind> extends ValidateOptions {
  /** Check as this kind; `data` is then typed as its document. */
  kind: K;
}

/**
 * What `parse` returns: `ok` and the document in its canonical form when the report is valid
 * (`kind` then tells which document `data` is), only the report otherwise.
 */
export type ParseResult<K extends Kind = Kind> =
  | { [P in K]: { ok: true; kind: P; data: PayloadByKind[P]; report: Report } }[K]
  | { ok: false; kind?: undefined; data?: undefined; report: Report };

/**
 * Validates one document and, when it is valid, hands it over as voicehook read it: the
 * documented quirks rewritten to the canonical form (`CallA` as `callA`, `"NO ANSWER"` as
 * `NO_ANSWER`, `errorCode: "-2004"` as a number, `"null"` as no value), typed by kind. With
 * `{ kind: 'vss' }` the data is a `Vss`; without, `result.kind` narrows it. Throws as `validate`
 * does.
 */
export declare function parse<K extends Kind>(input: Input, options: ParseOptions<K>): ParseResult<K>;
export declare function parse(input: Input, options?: ValidateOptions): ParseResult;

/**
 * The core's document factory, which `voicehook/fixtures` uses: `document` of `kind` with
 * `overrides` set (dotted paths and values, or `"path=value"` strings), kept consistent and
 * checked at `options.now`. `{ ok: true, document }`, or `{ ok: false, error, report? }` when the
 * values make it invalid or a path cannot be followed; a TypeError for a wrong kind or argument.
 */
export declare function exampleFrom<K extends Kind>(
  kind: K,
  document: object,
  overrides?: Record<string, unknown> | Array<string | [string, unknown]>,
  options?: Pick<ValidateOptions, 'now'>,
): { ok: true; document: WirePayloadByKind[K] } | { ok: false; error: string; report?: Report };

/** The actions every callflow builder offers, each returning the builder. */
interface Actions<Self> {
  /** Places a call (`source` calls `destination`); a second `makeCall` bridges the new leg to the first. */
  makeCall(params: MakeCallParams): Self;
  /** Speaks `text` into the call (text to speech, at most 3000 characters). */
  say(params: SayParams): Self;
  /** Speaks `promptMessage`, then collects the digits the caller keys in (reported in the next VCA). */
  sayAndCapture(params: SayAndCaptureParams): Self;
  /** Plays an mp3 or wav file from a public http(s) URL. */
  playFile(params: PlayFileParams): Self;
  /** Ends every call of the session. */
  hangup(): Self;
}

/** A Send Callflow body being built; it has its first action (a `makeCall`). */
export interface SendCallflowBuilder extends Actions<SendCallflowBuilder> {
  /** The request body to POST to the Send Callflow API (a fresh object each time). */
  build(): Callflow;
  /** The core's Report of the body, with `predictedStatusCode`: what 8x8 will answer. */
  check(options?: Omit<ValidateOptions, 'kind'>): Report;
  /** The body, for `JSON.stringify`. */
  toJSON(): Callflow;
}

/** A Send Callflow body before its first action: 8x8 requires that to be a `makeCall`. */
export interface SendCallflowStart {
  /** Places the session's first call (`source` calls `destination`). */
  makeCall(params: MakeCallParams): SendCallflowBuilder;
}

/** A VCA reply being built. */
export interface VcaReplyBuilder extends Actions<VcaReplyBuilder> {
  /** The reply to answer the Voice Call Action webhook with (a fresh object each time). */
  build(): VcaReply;
  /** The core's Report of the reply (an invalid reply ends the session with -2003). */
  check(options?: Omit<ValidateOptions, 'kind'>): Report;
  /** The reply, for `JSON.stringify`. */
  toJSON(): VcaReply;
}

/**
 * Builds a Send Callflow request body, one action per call: `sendCallflow().makeCall({ source,
 * destination }).say({ text, voiceProfile }).hangup().build()`. The first action must be a
 * `makeCall` (the types allow nothing else). `validUntil` is when 8x8 may last start the session.
 */
export declare function sendCallflow(options?: { validUntil?: Date | number | string }): SendCallflowStart;

/**
 * Builds the callflow to answer a Voice Call Action webhook with; `clientActionId` comes back in
 * the next webhook, to tell where the caller is.
 */
export declare function vcaReply(options?: { clientActionId?: string }): VcaReplyBuilder;

/**
 * What a document means: summary, outcome, legs with their times, timeline, codes explained,
 * idempotency key. `null` when the document cannot be read as any kind (see `validate` for why).
 * Slightly invalid documents are still decoded.
 */
export declare function decode(input: Input, options?: ValidateOptions): Decoded | null;

/**
 * `validate`, `decode` and `detect` in one pass. `detection` is what `detect` says of the input
 * (when `options.kind` is given: that it was checked as that kind).
 */
export declare function analyze(input: Input, options?: ValidateOptions): { report: Report; decoded: Decoded | null; detection: Detection };

/**
 * Tells which kind of document `input` is (for a session summary also which product most likely
 * sent it), with the reason, without validating it.
 */
export declare function detect(input: Input): Detection;

/**
 * The rule catalog: every rule id once, with its severity in lenient and strict mode, what it
 * checks, and whether `repair` can fix its findings (offer the repair when a report has one).
 */
export declare function rules(): Rule[];

/** Every kind voicehook knows, in a fixed order (webhooks first). */
export declare function kinds(): KindInfo[];

/** The JSON Schema (draft 2020-12) of `kind`: what validation accepts, as committed in the voicehook crate. */
export declare function schema(kind: Kind): Record<string, unknown>;

/**
 * Explains a code: a session error (-2001…), an API status code (1, -1001…), the Webhooks API's
 * statusCode 0, a SIP response code (486, `"SIP 404"`), a status value (`"BUSY"`, `"NO ANSWER"`:
 * one entry per field it appears in) or a MOS score (`"4.2"`, `"MOS 3.1"`). Returns every table
 * entry it matches, tagged by `table` (empty if none).
 */
export declare function explainCode(code: number | string): Explanation[];

/**
 * `explainCode` with did-you-mean: `matches` are the entries `explainCode` returns; when there are
 * none, `suggestions` lists what the text is probably a typo of, nearest first (`"NO_ANSWR"` →
 * `NO_ANSWER`, `"-204"` → `-2004`); each suggestion's `query` can be looked up as it is.
 * Throws a TypeError for anything but a string or a number.
 */
export declare function lookupCode(code: number | string | bigint): Lookup;

/**
 * Repairs JSON as documentation prints it: removes comments and trailing commas, inserts missing
 * commas between lines. `changes` says what was done; `{{placeholders}}` are listed, not replaced.
 * `json` is false when the result is still not JSON (single quotes, a caption line before the
 * brace, a bare placeholder...): `remaining` then says why, positioned in the repaired text.
 */
export declare function repair(text: string): Repaired;

/** What one webhook endpoint accepts (the receive check's policy). */
export interface ReceivePolicyOptions {
  /** The kinds this endpoint takes; by default any of the five webhooks. */
  kinds?: Kind[];
  /** Who may deliver: `'8x8'` (8x8's published addresses, the default), `'any'`, addresses and CIDR ranges (`'10.0.0.0/8'`), or a list of them. */
  allow?: string | string[];
  /** How many proxies in front of the server append to `Forwarded` / `X-Forwarded-For` (default 0: those headers are ignored). */
  trustedProxies?: number;
  /** The exact value registered as the webhook's `httpAuthHeader` (compared in constant time). */
  authorization?: string;
  /** The header that carries it: 8x8 does not name one, so `authorization` by default. */
  authorizationHeader?: string;
  /** Largest body accepted, in bytes (default 1 MiB). */
  maxSize?: number;
  /** Every finding makes a document invalid, plausibility included (default false). */
  strict?: boolean;
}

/** Why a request was refused, with its status: source 403, forwarded 403, authorization 401, size 413, empty 400, syntax 400, kind 422, invalid 422. */
export type RejectReason = 'source' | 'forwarded' | 'authorization' | 'size' | 'empty' | 'syntax' | 'kind' | 'invalid';

/** A refused request: the status to answer and why. */
export interface Rejection {
  verdict: 'reject';
  status: 400 | 401 | 403 | 413 | 422;
  reason: RejectReason;
  /** Why, for a person (it never repeats the expected authorization). */
  message: string;
  /** The client address the check used, when it got that far. */
  client?: string;
  /** The validation report, for empty, syntax, kind and invalid. */
  report?: Report;
}

/** An accepted webhook: its kind, idempotency key, document as read, and report. */
export type Accepted = {
  [K in Kind]: { verdict: 'accept'; kind: K; key: string; deduplicate: boolean; client: string; data: PayloadByKind[K]; report: Report };
}[Kind];

/** What the receive check says of one request. */
export type Verdict = Accepted | Rejection;

/** One request as the receive check reads it. */
export interface ReceiveRequest {
  /** The address the connection came from (`::ffff:1.2.3.4`, `[::1]:443`...). */
  peer?: string;
  /** The headers: a Headers, a Map, `[name, value]` pairs or an object. */
  headers?: { entries(): Iterable<[string, string]> } | Array<[string, string]> | Record<string, string | string[] | undefined>;
}

/** An endpoint's receive policy, read once. */
export interface ReceivePolicy {
  /** The checks that need no body (source, forwarded headers, authorization, size): `null` when they pass. */
  head(request: ReceiveRequest & { size?: number }): Rejection | null;
  /** The whole receive check of one request. */
  check(request: ReceiveRequest & { body: Input }): Verdict;
}

/**
 * Reads an endpoint's receive policy; throws a TypeError naming what is wrong (an unknown option,
 * a prefix length out of range). `voicehook/receiver` builds on it.
 */
export declare function receivePolicy(options?: ReceivePolicyOptions): ReceivePolicy;

/** The core's bounded deduplication store, synchronous, with the time given (`voicehook/receiver`'s memoryStore wraps it). */
export interface DedupStoreSync {
  claim(key: string, now: number, leaseMs: number): 'new' | 'duplicate' | 'in-progress';
  done(key: string, now: number, ttlMs: number): void;
  release(key: string): void;
  readonly size: number;
}

/** A bounded in-memory deduplication store of at most `capacity` keys (default 100000). */
export declare function dedupStore(capacity?: number): DedupStoreSync;

/** What starts a simulated call: a Send Callflow body, or a call arriving at a virtual number. */
export type CallStart = { callflow: Input } | { inbound: { from: string; to: string } };

/** A call being played by the core's call engine (see `simulate`). */
export interface Call {
  /** What the call waits for: your reply to `webhook`, the caller's keys (interactive calls only), or nothing. */
  readonly state: CallState;
  /** Every event so far, in order. */
  readonly events: CallEvent[];
  /**
   * Answers the call action the call waits for: a body (text, bytes, or an object as JSON) with
   * HTTP 200 or `options.status`; `null` for no answer at all. Returns the events it led to.
   * Throws when the call is not waiting for a reply.
   */
  reply(body: Input | null, options?: { status?: number }): CallEvent[];
  /** The caller's keys for the capture attempt the call waits for (`''` presses nothing). */
  press(keys: string | { digits: string; after?: number; gap?: number }): CallEvent[];
  /** Plays the call to its end, answering each call action with `answer(vca)`; returns every event. */
  play(answer: (vca: Vca) => Input | null): CallEvent[];
}

/**
 * Plays a call before it happens: what the caller hears, the keys pressed, and every webhook 8x8
 * would POST (VCA, VCS, VSS, VRU), each valid in strict mode. Pure and offline; the same inputs
 * give the same events and ids. `options.interactive` asks for the caller's keys (`state.waiting
 * === 'keys'`) once the script's are used up, instead of pressing nothing.
 */
export declare function simulate(start: CallStart, script?: CallScript, options?: { interactive?: boolean }): Call;

/** `text` with every phone number masked, keeping the country code and the last 3 digits. */
export declare function mask(text: string): string;

/**
 * `text` with every phone number redacted to a number of the same length: the country code and
 * the last 3 digits kept, zeros between them (`+6591178965` → `+6500000965`). A redacted document
 * validates with the same findings as the original.
 */
export declare function redact(text: string): string;

/**
 * Where `init` and `initSync` can take the module from: a URL (string or `URL`), a fetch `Response`
 * (or a promise of one), the bytes, or a compiled `WebAssembly.Module`. Kept structural so that the
 * declarations need no DOM library.
 */
export type WasmSource = string | ArrayBuffer | ArrayBufferView | object;

/**
 * Loads the WebAssembly module. Needed once in browsers and bundlers before the first call
 * (`await init()`); in Node and with `voicehook/inline` it is a no-op, kept for portability.
 * `source` overrides where the .wasm comes from.
 */
export declare function init(source?: WasmSource): Promise<void>;

/** Synchronous `init` from bytes or a compiled module you already hold. */
export declare function initSync(source: ArrayBuffer | ArrayBufferView | object): void;
