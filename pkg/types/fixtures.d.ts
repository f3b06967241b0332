// `voicehook/fixtures`: written by hand; `cargo xtask build` copies it beside index.d.ts.
import type { Kind, Report, ValidateOptions, WirePayloadByKind } from './index.js';

/** One documented example: a document as an 8x8 page prints it, which voicehook accepts. */
export interface Example<K extends Kind = Kind> {
  /** Its name: the page (`ivr--session-summary-ivr`) and its place among the page's JSON examples (`.1`). */
  name: string;
  /** The kind of document. */
  kind: K;
  /** The page it comes from. */
  page: string;
  /** The heading it sits under on that page. */
  heading: string;
  /** The document, as the page prints it (quirks included: it is what 8x8 sends). */
  document: WirePayloadByKind[K];
}

/**
 * The fields to set: dotted paths and their values (`{ 'payload.sessionStatus': 'BUSY',
 * 'payload.details.callA.callDuration': 12 }`), or `"path=value"` strings (the value read as JSON
 * when it is JSON, as a string otherwise).
 */
export type Overrides = Record<string, unknown> | Array<string | [string, unknown]>;

/** Every documented example voicehook accepts, by name (fresh copies). */
export declare function documented(): Example[];

/** The documented example called `name`, or `undefined`. */
export declare function named(name: string): Example | undefined;

/**
 * A document of `kind` for a test, with `overrides` set: always one voicehook accepts, typed as
 * sent (the wire type: an override may set a documented quirk spelling; `parse` it for the
 * canonical form). A session
 * summary keeps each leg's times and duration in step (set a `callDuration` and the disconnect
 * time follows), its `callCount` equal to its legs and its end after its last leg; a callflow's
 * `validUntil` stays ahead of `options.now` (default: now). Throws an Error saying why when the
 * values make the document invalid (its `report` property is the core's Report) or a path
 * cannot be followed. A documented example's name may stand for the kind.
 */
export declare function example<K extends Kind>(kind: K, overrides?: Overrides, options?: Pick<ValidateOptions, 'now'>): WirePayloadByKind[K];
export declare function example(name: string, overrides?: Overrides, options?: Pick<ValidateOptions, 'now'>): WirePayloadByKind[Kind];

/** What an `example` that cannot be built throws. */
export interface ExampleError extends Error {
  /** The core's Report, when the values make the document invalid. */
  report?: Report;
}
