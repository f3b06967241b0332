//! WebAssembly bindings of [`voicehook`] for the npm package in `pkg/`.
//!
//! This crate holds no logic: it turns JavaScript arguments into [`voicehook::Options`], calls the
//! core, and hands results back as JSON text that the JavaScript glue (`pkg/src/api.js`) parses into
//! plain objects. JSON text (rather than building objects field by field) keeps the boundary to one
//! crossing per call, and `JSON.parse` creates own data properties, so keys such as `__proto__`
//! coming from a payload can never reach `Object.prototype`.
//!
//! Input bytes travel through one reused buffer in wasm memory: the glue asks for a buffer with
//! [`input_buffer`], writes the body there (`TextEncoder.encodeInto` for strings, a plain copy for
//! `Uint8Array`), then calls [`validate_input`] with the length written.
//!
//! The conversions live in [`convert`] and build natively, so they are unit-tested without a browser.

pub mod convert;

#[cfg(target_arch = "wasm32")]
mod exports;
#[cfg(target_arch = "wasm32")]
pub use exports::*;
