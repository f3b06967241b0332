//! # voicehook
//!
//! Validate, decode and explain the documents a developer meets when integrating
//! 8x8 CPaaS Voice: the five webhooks 8x8 sends (VSS, VCA, VCS, VRU, VNU), the callflows
//! and webhook registrations they send back, and 8x8's answers to them.
//!
//! The crate is organised as the pipeline described in the project's design:
//! [`models`] holds a typed Rust model per document, [`codes`] every code table,
//! [`schema`] the JSON Schemas generated from the models.

pub mod callflow;
pub mod codes;
pub mod detect;
mod kind;
pub mod mask;
pub mod models;
pub mod normalize;
pub mod parse;
mod report;
mod rules;
pub mod schema;
mod validate;

pub use kind::{Kind, UnknownKind};
pub use report::{Diagnostic, Report};
pub use options::{DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, Options};

mod options;

/// Validates raw bytes (what arrived on the wire) with default options: lenient, kind detected.
pub fn validate(input: &[u8]) -> Report {
    validate_with(input, &Options::default())
}

/// Validates raw bytes with `options`.
pub fn validate_with(input: &[u8], options: &Options) -> Report {
    validate::run(input, options).report
}
