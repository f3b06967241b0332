//! The one result shape every entry point returns: [`Report`] and its [`Diagnostic`]s.

use serde::{Deserialize, Serialize};

use crate::Kind;

/// What voicehook found in one document.
///
/// Serialized in camelCase, this is exactly the JSON report of the CLI (`--json`) and the
/// object the npm package returns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// True iff `errors` is empty.
    pub valid: bool,
    /// The kind the document was checked as; `None` when it could not be determined
    /// (which is itself reported as an error).
    pub kind: Option<Kind>,
    /// Everything that makes the document wrong.
    pub errors: Vec<Diagnostic>,
    /// Everything worth knowing that does not make it wrong (rewritten quirks, unknown fields...).
    pub warnings: Vec<Diagnostic>,
    /// For kind `callflow`: the 8x8 API status code the documented rules predict (1 when none fires).
    pub predicted_status_code: Option<i32>,
    /// For kind `vca-reply`: the session error code 8x8 would end the call with (-2003 when invalid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted_session_error_code: Option<i32>,
    /// When the kind was detected and the document also reads as another kind (a `callflow`
    /// body without `validUntil` or `clientActionId` is a Send Callflow request or a VCA reply
    /// alike): that other kind. A `kind.ambiguous` warning says what 8x8 would answer to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also_reads_as: Option<Kind>,
}

/// One error or warning, positioned in the document as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// RFC 6901 JSON Pointer into the document as written (before normalization).
    /// For a missing property, the pointer names the missing property itself.
    pub pointer: String,
    /// Stable rule id: `json.*`, `schema.*`, `normalize.*` or a semantic rule such as `vss.duration`
    /// (one of [`crate::catalog::RULES`]).
    #[schemars(with = "crate::catalog::RuleId")]
    pub rule: String,
    /// What was expected and what was found, for a person.
    pub message: String,
    /// 1-based line, when the problem has a position.
    pub line: Option<u32>,
    /// 1-based column (in characters), when the problem has a position.
    pub column: Option<u32>,
}

impl Diagnostic {
    /// A diagnostic without a position.
    pub fn new(
        pointer: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            pointer: pointer.into(),
            rule: rule.into(),
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// The same diagnostic at `line`:`column` (both 1-based).
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl Report {
    /// Sets `valid` from `errors`; call after the last diagnostic is added.
    pub fn finish(mut self) -> Self {
        self.valid = self.errors.is_empty();
        self
    }
}
