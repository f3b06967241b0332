//! The one result shape every entry point returns: [`Report`] and its [`Finding`]s.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Kind;
use crate::catalog::Rule;

/// A code of `table`, or null: the schema of a predicted code (a union of the table's codes in
/// TypeScript).
fn code_of(table: &[crate::codes::Code]) -> schemars::Schema {
    let mut codes: Vec<serde_json::Value> = table.iter().map(|c| c.code.into()).collect();
    codes.push(serde_json::Value::Null);
    schemars::json_schema!({ "enum": codes })
}

fn api_status_code(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    code_of(crate::codes::API_STATUS)
}

fn session_error_code(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    code_of(crate::codes::SESSION_ERRORS)
}

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
    pub errors: Vec<Finding>,
    /// Everything worth knowing that does not make it wrong (rewritten quirks, unknown fields...).
    pub warnings: Vec<Finding>,
    /// For kind `callflow`: the 8x8 API status code the documented rules predict (1 when none fires).
    #[schemars(schema_with = "api_status_code")]
    pub predicted_status_code: Option<i32>,
    /// For kind `vca-reply`: the session error code 8x8 would end the call with (-2003 when invalid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "session_error_code")]
    pub predicted_session_error_code: Option<i32>,
    /// When the kind was detected and the document also reads as another kind (a `callflow`
    /// body without `validUntil` or `clientActionId` is a Send Callflow request or a VCA reply
    /// alike): that other kind. A `kind.ambiguous` warning says what 8x8 would answer to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also_reads_as: Option<Kind>,
}

/// The name this type had before every step reported [`Finding`]s; kept for existing code.
pub type Diagnostic = Finding;

/// One problem at one place in the document: what every step of the pipeline (parsing,
/// detection, normalization, the schema, the rules, the callflow checker) reports.
///
/// A step says what it found, where (a pointer into the document it read and, when it holds
/// the value, its byte span) and under which [rule](crate::catalog); only the pipeline maps the
/// pointer back to the document as written, gives the line and column, decides the severity
/// from the catalog, masks, orders and caps. In a [`Report`] every field is final.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// RFC 6901 JSON Pointer into the document as written (before normalization).
    /// For a missing property, the pointer names the missing property itself.
    pub pointer: String,
    /// The rule of the [catalog](crate::catalog) that found it; serialized as its stable id
    /// (`json.*`, `schema.*`, `normalize.*` or a semantic rule such as `vss.duration`).
    #[serde(serialize_with = "rule_id", deserialize_with = "rule_by_id")]
    #[schemars(with = "crate::catalog::RuleId")]
    pub rule: &'static Rule,
    /// What was expected and what was found, for a person.
    pub message: String,
    /// 1-based line, when the problem has a position.
    pub line: Option<u32>,
    /// 1-based column (in characters), when the problem has a position.
    pub column: Option<u32>,
    /// Where the problem is, in bytes of the document (after a leading byte order mark, like
    /// `line` and `column`): the value the finding is about, the member name for a renamed
    /// key, the parent object for a missing property, the character where a syntax error
    /// starts. Absent when the problem has no position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Span")]
    pub span: Option<Span>,
    /// The value at `pointer` does not exist: positioned at its parent.
    #[serde(skip)]
    pub(crate) missing: bool,
    /// For a callflow: the API status code 8x8 answers for this finding (see [`crate::predict`]).
    #[serde(skip)]
    pub(crate) answer: Option<crate::predict::Answer>,
}

/// Two findings are equal when everything a report shows of them is (what the pipeline keeps
/// for itself while it works is not compared), so a report equals its own JSON round trip.
impl PartialEq for Finding {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.pointer,
            self.rule,
            &self.message,
            self.line,
            self.column,
            self.span,
        ) == (
            &other.pointer,
            other.rule,
            &other.message,
            other.line,
            other.column,
            other.span,
        )
    }
}

impl Eq for Finding {}

/// A byte range `start..end` of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset just past the last byte.
    pub end: u32,
}

impl Span {
    pub(crate) fn of(range: std::ops::Range<usize>) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            start: clamp(range.start),
            end: clamp(range.end),
        }
    }

    /// The range as `usize` offsets, for slicing the input.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn rule_id<S: Serializer>(rule: &&'static Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

fn rule_by_id<'de, D: Deserializer<'de>>(d: D) -> Result<&'static Rule, D::Error> {
    let id = std::borrow::Cow::<'de, str>::deserialize(d)?;
    crate::catalog::rule(&id)
        .ok_or_else(|| serde::de::Error::custom(format!("{id:?} is not a rule id of voicehook")))
}

impl Finding {
    /// A finding of `rule` at `pointer`, without a position.
    pub fn new(
        pointer: impl Into<String>,
        rule: &'static Rule,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            pointer: pointer.into(),
            rule,
            message: message.into(),
            line: None,
            column: None,
            span: None,
            missing: false,
            answer: None,
        }
    }

    /// The same finding at `line`:`column` (both 1-based).
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The same finding about the bytes `span` of the document the step read.
    pub(crate) fn spanning(mut self, span: std::ops::Range<usize>) -> Self {
        self.span = Some(Span::of(span));
        self
    }

    /// The same finding about a property that should exist at its pointer but does not.
    pub(crate) fn missing(mut self) -> Self {
        self.missing = true;
        self
    }

    /// The same finding, standing for 8x8's API status `code` (on action `action`).
    pub(crate) fn answering(mut self, code: i32, action: Option<usize>) -> Self {
        self.answer = Some(crate::predict::Answer { code, action });
        self
    }

    /// True when this finding makes the document invalid in the given mode (the catalog's word).
    pub fn is_error(&self, strict: bool) -> bool {
        self.rule.is_error(strict)
    }
}

impl Report {
    /// Sets `valid` from `errors`; call after the last finding is added.
    pub fn finish(mut self) -> Self {
        self.valid = self.errors.is_empty();
        self
    }
}
