//! # voicehook
//!
//! Validate, decode and explain the documents a developer meets when integrating
//! 8x8 CPaaS Voice: the five webhooks 8x8 sends (VSS, VCA, VCS, VRU, VNU), the callflows
//! and webhook registrations they send back, and 8x8's answers to them.
//!
//! ```
//! // A call status webhook whose callId is not a UUID, as it arrived on the wire.
//! let body = br#"{"namespace": "VOICE", "eventType": "CALL_STATUS", "description": "d",
//!   "payload": {"eventId": "77e6a667-133a-11ef-9dd4-e911cc6fc82f", "callId": "abc"}}"#;
//! let report = voicehook::validate(body);
//! assert!(!report.valid);
//! assert_eq!(report.kind, Some(voicehook::Kind::Vcs));
//! let bad = report.errors.iter().find(|e| e.pointer == "/payload/callId").unwrap();
//! assert_eq!((bad.rule.as_str(), bad.line), ("schema.pattern", Some(2)));
//!
//! // What 8x8 will answer to a callflow, before sending it.
//! let callflow = br#"{"callflow": [{"action": "makeCall",
//!   "params": {"source": "+6568888888", "destination": "not a number"}}]}"#;
//! let options = voicehook::Options { kind: Some(voicehook::Kind::Callflow), ..Default::default() };
//! assert_eq!(voicehook::validate_with(callflow, &options).predicted_status_code, Some(-1017));
//! ```
//!
//! ## What `valid` means
//!
//! For the five webhooks 8x8 sends, `valid` means "a well-formed webhook of this kind: code
//! typed from its schema can read it": only contract violations (syntax, types, required
//! fields, enum values, patterns) are errors, and findings that judge plausibility (timestamps,
//! durations, counts, codes from the wrong table) are warnings, errors only with
//! [`Options::strict`]. For the documents you send (callflows, VCA replies, webhook
//! registrations) everything 8x8 would refuse is an error. Every rule id, with its severity in
//! both modes, is listed once in the [`catalog`].
//!
//! The crate is organised as the pipeline: [`parse`](mod@parse) (bytes with positions) → [`detect`](mod@detect) →
//! [`normalize`] (documented quirks) → validation against [`schema`] → semantic rules and the
//! [`callflow`] checker → [`decode`](mod@decode). [`models`] holds a typed Rust model per document and
//! [`codes`] every code table.

/// The crate README's examples, run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub mod bulk;
pub mod call;
pub mod callflow;
pub mod catalog;
pub mod codes;
pub mod decode;
pub mod detect;
pub mod document;
pub mod fixtures;
mod kind;
pub mod mask;
pub mod models;
pub mod normalize;
pub mod parse;
mod predict;
pub mod receive;
mod report;
mod rules;
pub mod schema;
pub mod time;
mod validate;
mod view;
mod words;

pub use document::{Document, Model, Read, parse_with, read};
pub use kind::{Kind, UnknownKind};
pub use options::{DEFAULT_MAX_DEPTH, DEFAULT_MAX_FINDINGS, DEFAULT_MAX_SIZE, Options};
pub use report::{Diagnostic, Finding, Report, Span};

mod options;

/// Validates raw bytes (what arrived on the wire) with default options: lenient, kind detected.
pub fn validate(input: &[u8]) -> Report {
    validate_with(input, &Options::default())
}

/// Tells which kind of document `input` is (and, for a session summary, which product sent it)
/// without validating it.
pub fn detect(input: &[u8]) -> detect::Detection {
    detected(parse::parse(input, &parse::Limits::default()))
}

/// [`detect()`] of bytes the caller hands over (no copy of the document is made).
pub fn detect_owned(input: Vec<u8>) -> detect::Detection {
    detected(parse::parse_owned(input, &parse::Limits::default()))
}

fn detected(parsed: Result<parse::Parsed, Vec<Diagnostic>>) -> detect::Detection {
    match parsed {
        Ok(parsed) => detect::detect_view(parsed.view()),
        Err(errors) => not_json(errors.first()),
    }
}

/// What [`detect()`] says of an input that is not JSON, `error` being the first reason.
fn not_json(error: Option<&Diagnostic>) -> detect::Detection {
    detect::Detection {
        kind: None,
        reason: match error {
            Some(e) => format!("the input is not JSON: {}", e.message),
            None => "the input is not JSON".to_owned(),
        },
        product: None,
    }
}

/// By its size alone: the report [`validate_with`] gives every input of `size` bytes over
/// `options.max_size` (`json.size`), or `None` when it fits. For callers that hold a document
/// they should not copy before knowing (the npm package with a 200 MB string).
pub fn validate_size(size: usize, options: &Options) -> Option<Report> {
    let error = parse::too_large(size, &parse::Limits::from(options))?;
    Some(validate::finish_alone(error, options))
}

/// [`detect()`] of every input of `size` bytes over the default size limit, or `None` when it fits.
pub fn detect_size(size: usize) -> Option<detect::Detection> {
    let error = parse::too_large(size, &parse::Limits::default())?;
    Some(not_json(Some(&error)))
}

/// Everything voicehook makes of one document in one pass: the report, what detection said,
/// and the document as read (normalized), for decoding.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// The validation report.
    pub report: Report,
    /// Which kind the document is and why (for an input that is not JSON, what [`detect()`]
    /// says of it: no kind, and the first reason).
    pub detection: Option<detect::Detection>,
    /// The normalized document, when it parsed and has a kind.
    #[serde(skip)]
    pub normalized: Option<parse::Doc>,
    /// How pointers into `normalized` map back to the document as written.
    #[serde(skip)]
    renamed: Option<normalize::Normalized>,
    /// "Now" as the caller gave it (Unix ms), for time-dependent explanations.
    #[serde(skip)]
    pub now: Option<i64>,
    /// Mask phone numbers in the decoded view too (`Options::mask`).
    #[serde(skip)]
    pub mask: bool,
}

impl Analysis {
    /// The document as voicehook read it (quirks rewritten to the canonical form, unknown fields
    /// kept, in the order written) when the report is valid; `None` otherwise. What npm `parse`
    /// and `voicehook validate --emit normalized` hand over; [`read`] gives it typed.
    pub fn document(&self) -> Option<parse::View<'_>> {
        let doc = self.normalized.as_ref().filter(|_| self.report.valid)?;
        Some(doc.root())
    }

    /// What the document means, when it could be read as one of the kinds (even if invalid).
    pub fn decode(&self) -> Option<decode::Decoded> {
        let kind = self.report.kind?;
        let doc = self.normalized.as_ref()?.root();
        let product = self.detection.as_ref().and_then(|d| d.product.clone());
        let mut decoded = decode::decode_known(kind, doc, self.now, product);
        // Pointers into the document as written, like the report's.
        if let Some(renamed) = &self.renamed {
            for code in &mut decoded.codes {
                code.pointer = renamed.written(std::mem::take(&mut code.pointer));
            }
        }
        if self.mask {
            decoded.mask();
        }
        Some(decoded)
    }
}

/// Validates `input` and keeps what decoding needs.
pub fn analyze(input: &[u8], options: &Options) -> Analysis {
    analysis(validate::run(input, options), options)
}

/// [`analyze`] of bytes the caller hands over: the document keeps them as its text instead of
/// a copy, which halves the memory the input takes (the npm package passes its input buffer).
pub fn analyze_owned(input: Vec<u8>, options: &Options) -> Analysis {
    match parse::too_large(input.len(), &parse::Limits::from(options)) {
        Some(_) => analyze(&input, options),
        None => analysis(validate::run_owned(input, options), options),
    }
}

/// By its size alone: the analysis [`analyze`] gives every input of `size` bytes over
/// `options.max_size`, or `None` when it fits (see [`validate_size`]).
pub fn analyze_size(size: usize, options: &Options) -> Option<Analysis> {
    let report = validate_size(size, options)?;
    Some(Analysis {
        detection: Some(not_json(report.errors.first())),
        report,
        normalized: None,
        renamed: None,
        now: options.now,
        mask: options.mask,
    })
}

fn analysis(outcome: validate::Outcome, options: &Options) -> Analysis {
    // What detection says of an input that is not JSON, as `detect` says it.
    let detection = outcome
        .detection
        .or_else(|| Some(not_json(outcome.report.errors.first())));
    Analysis {
        report: outcome.report,
        detection,
        normalized: outcome.normalized,
        renamed: outcome.renamed,
        now: options.now,
        mask: options.mask,
    }
}

/// Decodes raw bytes with default options; `Err` carries the report when the document cannot be
/// read as any kind (not JSON, or unrecognizable).
pub fn decode(input: &[u8]) -> Result<decode::Decoded, Report> {
    decode_with(input, &Options::default())
}

/// [`decode()`] with `options` (an explicit kind, limits...).
pub fn decode_with(input: &[u8], options: &Options) -> Result<decode::Decoded, Report> {
    let analysis = analyze(input, options);
    analysis.decode().ok_or(analysis.report)
}

/// Validates `input` as the kind of the model `T` and, when it is valid, reads the normalized
/// document into `T` (quirks rewritten to the canonical form); `Err` holds the report otherwise.
/// See [`document`](mod@document); [`read`] takes any kind.
pub fn parse<T: Model>(input: &[u8]) -> Result<T, Report> {
    parse_with(input, &Options::default())
}

/// Validates raw bytes with `options`.
pub fn validate_with(input: &[u8], options: &Options) -> Report {
    validate::report(input, options)
}

/// [`validate_with`] of bytes the caller hands over (no copy of the document is made).
pub fn validate_owned(input: Vec<u8>, options: &Options) -> Report {
    match parse::too_large(input.len(), &parse::Limits::from(options)) {
        Some(_) => validate_with(&input, options),
        None => validate::report_owned(input, options),
    }
}

/// The full pipeline alone, every check, without the fast path or its shortcut for webhooks
/// that only have quirks; for the differential test and benchmarks.
#[doc(hidden)]
pub fn validate_full(input: &[u8], options: &Options) -> Report {
    validate::run_every_check(input, options).report
}

/// The fast path alone: `Some(report)` only when one typed pass proves `input` valid.
#[doc(hidden)]
pub fn validate_fast(input: &[u8], options: &Options) -> Option<Report> {
    validate::fast_report(input, options)
}
