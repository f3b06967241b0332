// `voicehook/receiver`: written by hand; `cargo xtask build` copies it beside index.d.ts.
import type { Kind, Report, PayloadByKind, VcaReply, VcaReplyBuilder, ReceivePolicyOptions, RejectReason } from './index.js';

/** One accepted webhook, as the receiver hands it to your code. */
export type ReceivedEvent<K extends Kind = Kind> = K extends Kind
  ? {
      /** Its kind. */
      kind: K;
      /** What deliveries are deduplicated by: `sessionId` (VSS), `eventId` (VCA, VCS), `recordingId:status` (VRU), a content hash (VNU). */
      key: string;
      /** The document as voicehook read it (quirks rewritten to the canonical form). */
      data: PayloadByKind[K];
      /** The validation report (its warnings say what was rewritten). */
      report: Report;
      /** The client address the receiver checked. */
      client: string;
    }
  : never;

/** Where idempotency keys are kept: `claim` before the handler, `done` after it succeeded, `release` when it failed. */
export interface DedupStoreAsync {
  /** `new`: handle it; `duplicate`: handled already; `in-progress`: another delivery is being handled. */
  claim(key: string, leaseMs: number): Promise<'new' | 'duplicate' | 'in-progress'>;
  /** Marks the key handled for `ttlMs`. */
  done(key: string, ttlMs: number): Promise<void>;
  /** Forgets a claim whose handler failed, so that a redelivery is handled. */
  release(key: string): Promise<void>;
}

/** What redisStore needs of a node-redis client (v4 or later): raw commands. */
export interface RedisLike {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface ReceiverOptions extends ReceivePolicyOptions {
  /** Deduplication: memoryStore() by default (one instance); redisStore(client) for several. */
  store?: DedupStoreAsync;
  /** Runs after the 200 for every accepted webhook but VCA, once per idempotency key; a throw releases the key. */
  onEvent?: (event: ReceivedEvent<'vss' | 'vcs' | 'vru' | 'vnu'>) => unknown | Promise<unknown>;
  /** Answers a Voice Call Action: return a VCA reply (or a vcaReply() builder). An invalid reply, a throw or a timeout answers with `fallback`. */
  onCallAction?: (event: ReceivedEvent<'vca'>) => VcaReply | VcaReplyBuilder | Promise<VcaReply | VcaReplyBuilder>;
  /** Called with what went wrong: a handler that threw, a call action answered with the fallback. Default: console.error. */
  onError?: (error: unknown, event?: ReceivedEvent) => void;
  /** The reply to a call action when yours cannot be used; default `{ callflow: [{ action: 'hangup' }] }`. Checked at creation. */
  fallback?: VcaReply;
  /** How long onCallAction may take, in ms (default 5000). */
  callActionTimeoutMs?: number;
  /** How long a handled key counts as a duplicate, in ms (default 24 hours). */
  ttlMs?: number;
  /** How long a claim holds while its handler runs, in ms (default 60 s). */
  leaseMs?: number;
  /** Most onEvent calls running or waiting; past it the receiver answers 503 with Retry-After (default 1000). */
  queueLimit?: number;
  /** Most onEvent calls running at once (default 8). */
  concurrency?: number;
  /**
   * Answer only after onEvent succeeded (200), or with 500 when it throws, so that the sender may
   * deliver it again; by default the answer goes out first and onEvent runs after it.
   */
  awaitHandler?: boolean;
}

/** The peer address, for platforms whose Request does not carry it (Hono: `c.env.incoming.socket.remoteAddress`, Deno: `info.remoteAddr.hostname`). */
export interface ConnectionInfo {
  remoteAddress?: string;
}

/** The platform's Request and Response (DOM, Node 18+, Deno, Bun), without making either library a requirement. */
type WebRequest = typeof globalThis extends { Request: { prototype: infer R } } ? R : { headers: { entries(): Iterable<[string, string]> }; body: unknown };
type WebResponse = typeof globalThis extends { Response: { prototype: infer R } } ? R : unknown;

/** Minimal shapes of node:http's request and response (Express's extend them). */
export interface NodeRequestLike {
  socket?: { remoteAddress?: string };
  rawHeaders?: string[];
  body?: unknown;
  readableEnded?: boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
}
export interface NodeResponseLike {
  headersSent?: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: string): unknown;
}

export interface Receiver {
  /** A Web-standard handler (Hono, Next.js route handlers, Bun, Deno). */
  fetch(request: WebRequest, info?: ConnectionInfo): Promise<WebResponse>;
  /** For node:http and Express: mount it before any body parser, or after `express.raw()`. */
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
  /**
   * A Fastify plugin: `fastify.register(receiver.fastify, { path: '/8x8/webhooks' })` (bodies are
   * read as bytes in the plugin's own context only).
   */
  fastify(instance: any, options?: { path?: string }): Promise<void>;
  /** Resolves once every queued onEvent has finished. */
  idle(): Promise<void>;
  /** How many onEvent calls are running or waiting. */
  readonly pending: number;
}

/** A receiver for one endpoint: the checks of 8x8's webhooks overview, deduplication, 200 before slow work, checked call action replies. */
export declare function createReceiver(options?: ReceiverOptions): Receiver;
/** Deduplication for one instance: the core's bounded in-memory store. */
export declare function memoryStore(options?: { capacity?: number }): DedupStoreAsync;
/** Deduplication shared by several instances: `SET NX PX` on a connected node-redis client. */
export declare function redisStore(client: RedisLike, options?: { prefix?: string }): DedupStoreAsync;
/** What a call action is answered with when the handler's reply cannot be used. */
export declare const FALLBACK_REPLY: VcaReply;
