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
pub use options::{DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, Options};
pub use report::{Diagnostic, Report};

mod options;

/// Validates raw bytes (what arrived on the wire) with default options: lenient, kind detected.
pub fn validate(input: &[u8]) -> Report {
    validate_with(input, &Options::default())
}

/// Tells which kind of document `input` is (and, for a session summary, which product sent it)
/// without validating it.
pub fn detect(input: &[u8]) -> detect::Detection {
    match parse::parse(input, &parse::Limits::default()) {
        Ok(parsed) => detect::detect_value(parsed.value()),
        Err(errors) => detect::Detection {
            kind: None,
            reason: match errors.first() {
                Some(e) => format!("the input is not JSON: {}", e.message),
                None => "the input is not JSON".to_owned(),
            },
            product: None,
        },
    }
}

/// Validates raw bytes with `options`.
pub fn validate_with(input: &[u8], options: &Options) -> Report {
    validate::run(input, options).report
}
