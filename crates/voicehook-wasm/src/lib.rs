//! WebAssembly bindings of [`voicehook`] for the npm package in `pkg/`.
//!
//! This crate holds no logic: it turns JavaScript arguments into [`voicehook::Options`], calls the
//! core, and hands results back as JSON text that the JavaScript glue (`pkg/src/api.js`) parses into
//! plain objects. JSON text (rather than building objects field by field) keeps the boundary to one
//! crossing per call, and `JSON.parse` creates own data properties, so keys such as `__proto__`
//! coming from a payload can never reach `Object.prototype`. Measured against serde-wasm-bindgen
//! (`serialize_maps_as_objects`) in Node 20: 1.6 µs against 0.5 µs for an empty report, even at
//! 3 errors, 11.6 µs against 15.1 µs at 15 errors; and JSON keeps `null` for absent values, as the
//! Report contract says, where serde-wasm-bindgen gives `undefined` unless told otherwise.
//!
//! Input bytes travel through one reused buffer in wasm memory: the glue asks for a buffer with
//! [`input_buffer`], writes the body there (`TextEncoder.encodeInto` for strings, a plain copy for
//! `Uint8Array`), then calls [`validate_input`] with the length written. A document over the size
//! limit is not copied at all: the glue measures it against [`size_limit`] and asks
//! [`too_large_report`] (and its siblings) for the answer by its size alone.
//!
//! The conversions live in [`convert`] and build natively, so they are unit-tested without a browser.

pub mod convert;

#[cfg(target_arch = "wasm32")]
mod exports;
#[cfg(target_arch = "wasm32")]
pub use exports::*;
