#![doc = include_str!("catalog.md")]

use serde::Serialize;

/// Whether a finding makes the document invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document is wrong: `valid` is false.
    Error,
    /// Worth knowing; the document stays valid.
    Warning,
}

/// One rule of the catalog.
#[derive(Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Rule {
    /// The stable id, as it appears in `Finding::rule` (`vss.duration`, `schema.pattern`…).
    #[schemars(with = "RuleId")]
    pub id: &'static str,
    /// Its severity in lenient mode (the default).
    pub lenient: Severity,
    /// Its severity in strict mode.
    pub strict: Severity,
    /// What it checks, in one line.
    pub summary: &'static str,
    /// [`crate::parse::repair`] can fix findings of this rule (comments, trailing and missing
    /// commas); a page or tool offers the repair when a report has one.
    pub repairable: bool,
}

impl Rule {
    /// The severity this rule is reported with in the given mode.
    pub fn severity(&self, strict: bool) -> Severity {
        if strict { self.strict } else { self.lenient }
    }

    /// True when a finding of this rule is an error in the given mode.
    pub fn is_error(&self, strict: bool) -> bool {
        self.severity(strict) == Severity::Error
    }

    /// The stable id (`schema.pattern`…).
    pub fn as_str(&self) -> &'static str {
        self.id
    }
}

/// A rule reads as its id: `finding.rule == "schema.pattern"`.
impl PartialEq<str> for Rule {
    fn eq(&self, id: &str) -> bool {
        self.id == id
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, id: &&str) -> bool {
        self.id == *id
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// Whether `id` is one of the rules [`crate::parse::REPAIRS`] lists.
const fn repairs(id: &str) -> bool {
    let mut i = 0;
    while i < crate::parse::REPAIRS.len() {
        if same(id.as_bytes(), crate::parse::REPAIRS[i].as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

macro_rules! catalog {
    ($( $(#[$doc:meta])* $name:ident = $id:literal, $lenient:ident / $strict:ident, $summary:literal; )*) => {
        $(
            $(#[$doc])*
            #[doc = concat!("`", $id, "`: ", $summary)]
            pub static $name: Rule = Rule {
                id: $id,
                lenient: Severity::$lenient,
                strict: Severity::$strict,
                summary: $summary,
                repairable: repairs($id),
            };
        )*
        /// Every rule, in the order of the table above.
        pub static RULES: &[&Rule] = &[$(&$name),*];
    };
}

catalog! {
    // Parsing: the bytes as they arrived.
    JSON_SIZE = "json.size", Error / Error, "the document is larger than the size limit (10 MB by default)";
    JSON_BOM = "json.bom", Warning / Error, "a UTF-8 byte order mark precedes the document; it is ignored";
    JSON_EMPTY = "json.empty", Error / Error, "the input is empty or only whitespace";
    JSON_DEPTH = "json.depth", Error / Error, "arrays and objects nest deeper than the depth limit (128 by default)";
    JSON_UTF8 = "json.utf8", Error / Error, "the bytes are not valid UTF-8";
    JSON_SYNTAX = "json.syntax", Error / Error, "not JSON at this point (missing comma, stray character, raw control character…)";
    JSON_COMMENT = "json.comment", Error / Error, "a comment, which JSON does not allow; the rest is still checked";
    JSON_TRAILING_COMMA = "json.trailing-comma", Error / Error, "a comma before a closing bracket or brace; the rest is still checked";
    JSON_DUPLICATE_KEY = "json.duplicate-key", Error / Error, "the same property twice in one object (the last one is read)";
    JSON_NUMBER = "json.number", Error / Error, "a number outside the range of a 64-bit float";
    JSON_PRECISION = "json.precision", Warning / Warning, "an integer beyond 64 bits, read as a float that may lose digits";
    REPORT_TRUNCATED = "report.truncated", Warning / Warning, "the report stopped collecting at its cap (1000 findings by default, errors first): more may follow";
    // Which kind of document.
    KIND_UNKNOWN = "kind.unknown", Error / Error, "the document is none of the ten kinds (or not an object)";
    KIND_MISMATCH = "kind.mismatch", Error / Error, "checked as one kind, but the document plainly is another (a VSS at the VCA endpoint)";
    KIND_AMBIGUOUS = "kind.ambiguous", Warning / Warning, "reads as both a Send Callflow request and a VCA reply; says what 8x8 would answer to the other reading";
    DOCUMENT_UNREADABLE = "document.unreadable", Error / Error, "a document that passes its schema but that its typed model cannot read (voicehook::parse); please report it";
    // The committed JSON Schemas.
    SCHEMA_TYPE = "schema.type", Error / Error, "a value of the wrong JSON type";
    SCHEMA_REQUIRED = "schema.required", Error / Error, "a required property is missing";
    SCHEMA_ENUM = "schema.enum", Error / Error, "a value outside the documented set";
    SCHEMA_CONST = "schema.const", Error / Error, "a value other than the one fixed value allowed";
    SCHEMA_PATTERN = "schema.pattern", Error / Error, "a string of the wrong form (UUID, E.164 number, timestamp…)";
    SCHEMA_FORMAT = "schema.format", Error / Error, "a string that is not of the declared format";
    SCHEMA_MINIMUM = "schema.minimum", Error / Error, "a number below the documented minimum";
    SCHEMA_MAXIMUM = "schema.maximum", Error / Error, "a number above the documented maximum";
    SCHEMA_EXCLUSIVE_MINIMUM = "schema.exclusiveMinimum", Error / Error, "a number not above the documented bound";
    SCHEMA_EXCLUSIVE_MAXIMUM = "schema.exclusiveMaximum", Error / Error, "a number not below the documented bound";
    SCHEMA_MULTIPLE_OF = "schema.multipleOf", Error / Error, "a number that is not a multiple of the documented step";
    SCHEMA_MIN_LENGTH = "schema.minLength", Error / Error, "a string shorter than allowed";
    SCHEMA_MAX_LENGTH = "schema.maxLength", Error / Error, "a string longer than allowed";
    SCHEMA_MIN_ITEMS = "schema.minItems", Error / Error, "an array with fewer items than allowed";
    SCHEMA_MAX_ITEMS = "schema.maxItems", Error / Error, "an array with more items than allowed";
    SCHEMA_UNIQUE_ITEMS = "schema.uniqueItems", Error / Error, "an array whose items repeat";
    SCHEMA_MIN_PROPERTIES = "schema.minProperties", Error / Error, "an object with fewer properties than allowed";
    SCHEMA_ADDITIONAL_PROPERTIES = "schema.additionalProperties", Error / Error, "a property the schema does not allow";
    SCHEMA_ONE_OF = "schema.oneOf", Error / Error, "a value that matches none of the allowed shapes";
    SCHEMA_ANY_OF = "schema.anyOf", Error / Error, "a value that matches none of the allowed shapes";
    SCHEMA_FALSE = "schema.false", Error / Error, "a value where the schema allows none";
    SCHEMA_UNKNOWN_FIELD = "schema.unknown-field", Warning / Warning, "a field 8x8 does not document, in a document you send (with a did-you-mean)";
    TEMPLATE_PLACEHOLDER = "template.placeholder", Error / Error, "an unfilled template placeholder such as {{Virtual Number}} or <utc_timestamp>";
    // Documented real-world quirks, rewritten to the canonical form.
    NORMALIZE_KEY_CASE = "normalize.key-case", Warning / Error, "a key in the wrong case (CallA, SourceRefId), read as the documented one";
    NORMALIZE_NULL_STRING = "normalize.null-string", Warning / Error, "the string \"null\" for a nullable field, read as null";
    NORMALIZE_NUMERIC_STRING = "normalize.numeric-string", Warning / Error, "a number written as a string (errorCode, callDuration), read as the number";
    NORMALIZE_STATUS_SPELLING = "normalize.status-spelling", Warning / Error, "a status spelled as one 8x8 page does (NO ANSWER, CANCELLED), read as the canonical value";
    NORMALIZE_LEGACY_VCA = "normalize.legacy-vca", Warning / Error, "the older VCA shape (DTMF_RECEIVED with a top-level dtmf), read as ACTION_COMPLETED with eventData.dtmf";
    // Webhooks: plausibility (never makes an 8x8 webhook invalid unless strict).
    VSS_TIMESTAMPS = "vss.timestamps", Warning / Error, "the session's and legs' timestamps are in order and inside the session";
    VSS_DURATION = "vss.duration", Warning / Error, "a leg's callDuration agrees with its connected and disconnected times";
    VSS_CALL_COUNT = "vss.call-count", Warning / Error, "callCount equals the number of legs in details";
    VSS_ERROR_DETAILS = "vss.error-details", Warning / Error, "errorDetails goes with sessionStatus ERROR, and the other way round";
    VSS_SESSION_STATUS = "vss.session-status", Warning / Error, "the session status agrees with the leg statuses";
    CODE_UNKNOWN = "code.unknown", Warning / Error, "a code no 8x8 table lists";
    CODE_WRONG_TABLE = "code.wrong-table", Warning / Error, "a code from another table (an API status code as a session error)";
    CODE_MESSAGE_MISMATCH = "code.message-mismatch", Warning / Error, "errorMsg is the message of another code than errorCode";
    VCA_DTMF = "vca.dtmf", Warning / Error, "an ACTION_COMPLETED call action carries the captured digits";
    VCA_CLIENT_ACTION_ID = "vca.client-action-id", Warning / Error, "an ACTION_COMPLETED call action names the action it completes";
    VCS_SIP_STATUS = "vcs.sip-status", Warning / Error, "the SIP code agrees with the call status";
    VRU_STATUS = "vru.status", Warning / Error, "the recording status agrees with the recording fields";
    VNU_TOTAL = "vnu.total", Warning / Error, "totalNumbers equals the number of virtual numbers listed";
    VNU_DUPLICATE = "vnu.duplicate", Warning / Error, "a virtual number listed twice";
    NUMBER_FORMAT = "number.format", Warning / Error, "a phone number written as E.164: a '+', the country code, 7 to 15 digits in all";
    COUNTRY_UNKNOWN = "country.unknown", Warning / Error, "a country code that is not an assigned ISO 3166-1 alpha-2 code";
    // Callflows and VCA replies: what 8x8 would refuse, with the status code it answers.
    CALLFLOW_BODY = "callflow.body", Error / Error, "the body is not a JSON object (-1001)";
    CALLFLOW_PARAM = "callflow.param", Error / Error, "a required parameter missing or invalid (-1009, with the JSON path)";
    CALLFLOW_FIRST_ACTION = "callflow.first-action", Error / Error, "a Send Callflow request starts with makeCall (-1013)";
    CALLFLOW_HANGUP_POSITION = "callflow.hangup-position", Error / Error, "hangup only as the last action (-1012)";
    CALLFLOW_TOO_MANY = "callflow.too-many", Error / Error, "more actions of a kind than allowed, such as a third makeCall (-1010)";
    CALLFLOW_VALID_UNTIL = "callflow.valid-until", Error / Error, "validUntil is in the future (-1015)";
    CALLFLOW_UNKNOWN_ACTION = "callflow.unknown-action", Error / Error, "an action 8x8 does not know (-1007), with a did-you-mean";
    CALLFLOW_DESTINATION = "callflow.destination", Error / Error, "the destination is an MSISDN (-1017)";
    CALLFLOW_DIGITS = "callflow.digits", Error / Error, "minDigits and completeOnHash need a valid maxDigits (-1003, -1008)";
    CALLFLOW_TIMEOUTS = "callflow.timeouts", Error / Error, "digitTimeout needs a valid, greater overallTimeout (-1005, -1006)";
    CALLFLOW_TIMEOUTS_EQUAL = "callflow.timeouts-equal", Warning / Warning, "overallTimeout equal to digitTimeout, as the examples have it though the pages ask for greater";
    CALLFLOW_TIMEOUTS_DEFAULT = "callflow.timeouts-default", Warning / Error, "digitTimeout without overallTimeout: the OpenAPI default and status code -1005 disagree";
    CALLFLOW_FILE_TYPE = "callflow.file-type", Warning / Warning, "a playFile URL that is not mp3 or wav (the call would end with -2006)";
}

/// The rule ids, as a type for JSON Schema: a string enum of every id in [`RULES`], which the
/// npm package's TypeScript declarations turn into the union `RuleId` (the type of
/// `Diagnostic.rule`).
pub struct RuleId;

impl schemars::JsonSchema for RuleId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RuleId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        schemars::json_schema!({
            "type": "string",
            "enum": ids,
            "description": "A stable rule id of voicehook's catalog (`voicehook rules` lists them with their severities)."
        })
    }
}

/// The catalog entry of `id`, if the id is one of voicehook's rules.
///
/// ```
/// let rule = voicehook::catalog::rule("vss.duration").unwrap();
/// assert!(!rule.is_error(false) && rule.is_error(true));
/// assert!(voicehook::catalog::rule("callflow.first-action").unwrap().is_error(false));
/// ```
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// The `schema.*` rule of a JSON Schema keyword (`pattern` gives `schema.pattern`);
/// `schema.false` for a keyword the catalog lacks (the schema tests reject such keywords).
pub fn schema_keyword(keyword: &str) -> &'static Rule {
    // Once per schema error: a match, not a search of the catalog.
    match keyword {
        "type" => &SCHEMA_TYPE,
        "required" => &SCHEMA_REQUIRED,
        "enum" => &SCHEMA_ENUM,
        "const" => &SCHEMA_CONST,
        "pattern" => &SCHEMA_PATTERN,
        "format" => &SCHEMA_FORMAT,
        "minimum" => &SCHEMA_MINIMUM,
        "maximum" => &SCHEMA_MAXIMUM,
        "exclusiveMinimum" => &SCHEMA_EXCLUSIVE_MINIMUM,
        "exclusiveMaximum" => &SCHEMA_EXCLUSIVE_MAXIMUM,
        "multipleOf" => &SCHEMA_MULTIPLE_OF,
        "minLength" => &SCHEMA_MIN_LENGTH,
        "maxLength" => &SCHEMA_MAX_LENGTH,
        "minItems" => &SCHEMA_MIN_ITEMS,
        "maxItems" => &SCHEMA_MAX_ITEMS,
        "uniqueItems" => &SCHEMA_UNIQUE_ITEMS,
        "minProperties" => &SCHEMA_MIN_PROPERTIES,
        "additionalProperties" => &SCHEMA_ADDITIONAL_PROPERTIES,
        "oneOf" => &SCHEMA_ONE_OF,
        "anyOf" => &SCHEMA_ANY_OF,
        _ => &SCHEMA_FALSE,
    }
}

/// The catalog as the rows of a Markdown table (`| id | lenient | strict | summary |`).
pub fn markdown_rows() -> String {
    let word = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    RULES
        .iter()
        .map(|r| {
            format!(
                "| `{}` | {} | {} | {} |\n",
                r.id,
                word(r.lenient),
                word(r.strict),
                r.summary.replace('|', "\\|")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `catalog.md` (this module's documentation) ends with the table of [`RULES`]; run the
    /// tests with `VOICEHOOK_BLESS=1` to rewrite it after changing the catalog.
    #[test]
    fn the_documented_table_is_the_catalog() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/catalog.md");
        let text = std::fs::read_to_string(path).unwrap();
        let marker = "| rule | lenient | strict | summary |\n|---|---|---|---|\n";
        let head = &text[..text.find(marker).expect("the table header") + marker.len()];
        let fresh = format!("{head}{}", markdown_rows());
        if std::env::var_os("VOICEHOOK_BLESS").is_some() {
            std::fs::write(path, &fresh).unwrap();
        }
        assert!(
            text == fresh,
            "src/catalog.md is out of date: run `VOICEHOOK_BLESS=1 cargo test -p voicehook --lib catalog`"
        );
    }

    #[test]
    fn every_schema_keyword_finds_its_rule() {
        for r in RULES {
            if let Some(keyword) = r.id.strip_prefix("schema.")
                && r.id != "schema.unknown-field"
            {
                assert!(std::ptr::eq(schema_keyword(keyword), *r), "{}", r.id);
            }
        }
        assert!(std::ptr::eq(
            schema_keyword("patternProperties"),
            &SCHEMA_FALSE
        ));
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "{} listed twice", r.id);
            let (family, name) = r.id.split_once('.').expect("family.name");
            assert!(!family.is_empty() && !name.is_empty(), "{}", r.id);
            assert!(
                !r.summary.is_empty() && !r.summary.ends_with('.'),
                "{}",
                r.id
            );
            // Strict mode never relaxes a rule.
            assert!(
                r.lenient == Severity::Warning || r.strict == Severity::Error,
                "{}",
                r.id
            );
        }
    }

    /// The policy, as a test: for the webhooks' own rules, only contract violations are errors.
    #[test]
    fn webhook_plausibility_rules_are_warnings_unless_strict() {
        for r in RULES {
            let family = r.id.split('.').next().unwrap();
            if matches!(
                family,
                "vss" | "vca" | "vcs" | "vru" | "vnu" | "code" | "number" | "country" | "normalize"
            ) {
                assert_eq!(
                    (r.lenient, r.strict),
                    (Severity::Warning, Severity::Error),
                    "{}",
                    r.id
                );
            }
            if family == "schema" && r.id != "schema.unknown-field" {
                assert_eq!(
                    (r.lenient, r.strict),
                    (Severity::Error, Severity::Error),
                    "{}",
                    r.id
                );
            }
        }
    }
}
