//! [`Options`]: everything a caller can tune about one validation.

use crate::Kind;

/// Default nesting limit: deeper documents are rejected (`json.depth`) before parsing.
pub const DEFAULT_MAX_DEPTH: usize = 128;
/// Default size limit in bytes (`json.size`): 10 MB.
pub const DEFAULT_MAX_SIZE: usize = 10 * 1024 * 1024;
/// Default cap on the findings (errors and warnings) one report lists; past it a closing
/// `report.truncated` warning says how many more there were.
pub const DEFAULT_MAX_FINDINGS: usize = 1000;

/// How to validate or decode a document. `Options::default()` is lenient auto-detection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Check the document as this kind instead of detecting it. An explicit kind always wins.
    pub kind: Option<Kind>,
    /// Report each documented real-world quirk as an error instead of rewriting it with a warning.
    pub strict: bool,
    /// "Now" as Unix milliseconds, for time-dependent rules (a callflow's `validUntil`).
    /// `None` uses the system clock where there is one; on `wasm32` without a value the rule is skipped.
    pub now: Option<i64>,
    /// Deepest nesting of arrays and objects accepted.
    pub max_depth: usize,
    /// Largest document accepted, in bytes.
    pub max_size: usize,
    /// Mask phone numbers in messages (keep the country code and the last 3 digits).
    pub mask: bool,
    /// Most findings one report lists (errors first, then warnings); the rest are counted in
    /// a closing `report.truncated` warning. Keeps time and memory linear on hostile input.
    pub max_findings: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kind: None,
            strict: false,
            now: None,
            max_depth: DEFAULT_MAX_DEPTH,
            max_size: DEFAULT_MAX_SIZE,
            mask: false,
            max_findings: DEFAULT_MAX_FINDINGS,
        }
    }
}
