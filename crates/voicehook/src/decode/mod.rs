//! Decode: what a document means, as plain serializable data ([`Decoded`]).
//!
//! Decoding reads the parsed, normalized document through a [`View`] of its tape rather than
//! the typed models, so it also explains documents that are slightly invalid: a field that is
//! missing or has the wrong type is left out of the explanation, never a reason to fail.
//! It reads lazily and copies only what the view shows (at most [`MAX_ITEMS`] legs, numbers
//! or actions). [`decode_view`] (and [`decode_value`], for a `serde_json::Value`) never panics.
//!
//! What each kind yields:
//! - webhooks (`vss`, `vca`, `vcs`, `vru`, `vnu`): the outcome, the call legs with their
//!   story and timing, a timeline, every code explained, an idempotency key;
//! - documents you send (`callflow`, `vca-reply`, `webhook-create`): each action or setting in
//!   words, with the defaults 8x8's pages disagree on;
//! - 8x8's answers (`callflow-result`, `webhook-list`): the outcome and status code.
//!
//! Decisions (each pinned by a test):
//! - `sourceRefId` / `destinationRefId` (contradiction 12 of the reference README) are shown next
//!   to the number they are named after, as "virtual number … (ref …)", without saying whether
//!   that number was the caller ID or the number called: the IVR and Number Masking pages give
//!   those two readings opposite ways round, and the field name is the one thing both agree on.
//! - `CANCELLED` and `NO ANSWER` (contradictions 11 and 7) read as `CANCELED` and `NO_ANSWER`,
//!   and the code entry says so.
//! - A session error code that is really an API status code (`-1004`, contradiction 1) is
//!   explained from the API status table, with a note that it does not belong there.
//! - Leg timestamps far outside the session's own start and end (contradiction 3) are shown as
//!   written but left off the timeline, with a note.
//! - Idempotency keys: `sessionId` (VSS), `eventId` (VCA, VCS), `recordingId:status` (VRU),
//!   `callFlowRequestId` (callflow-result); everything else, and any of these whose id is
//!   missing, gets `fnv1a64:` plus a hash of the canonical JSON (key order and whitespace do not
//!   matter). A `clientActionId` names a menu step, not a delivery, so it is not used.

mod documents;
mod hash;
mod webhooks;

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::Kind;
use crate::codes::{self, StatusMeaning, StatusTable};
use crate::detect::ProductGuess;
use crate::parse::{Doc, Type, View};

/// What to deduplicate deliveries of `doc` by, read as `kind` (the module documentation says why
/// for each kind): `sessionId` (VSS), `eventId` (VCA, VCS), `recordingId:status` (VRU),
/// `callFlowRequestId` (callflow-result); otherwise, or when that id is missing or the string
/// `"null"`, `fnv1a64:` and a hash of the canonical JSON.
pub fn idempotency_key(kind: Kind, doc: View<'_>) -> String {
    use crate::view::{CallEvent, Recording, Session};
    let real = |s: Option<&str>| s.filter(|s| *s != "null").map(str::to_owned);
    let id = match kind {
        Kind::Vss => real(Session::of(doc).session_id),
        Kind::Vca | Kind::Vcs => real(CallEvent::of(doc).event_id),
        Kind::Vru => {
            let recording = Recording::of(doc);
            real(recording.recording_id)
                .zip(real(recording.status_text))
                .map(|(id, status)| format!("{id}:{status}"))
        }
        Kind::CallflowResult => doc
            .get("callFlowRequestId")
            .and_then(View::as_str)
            .map(str::to_owned),
        _ => None,
    };
    id.unwrap_or_else(|| content_key_view(doc))
}

/// Milliseconds since 1970 of a timestamp, by the one grammar ([`crate::time`]).
pub use crate::time::millis as parse_ms;
pub use hash::{content_key, content_key_view};

/// What a document means.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Decoded {
    /// The kind the document was read as.
    pub kind: Kind,
    /// One line saying what happened or what the document asks for.
    pub summary: String,
    /// How it ended (webhooks and 8x8's answers; absent for documents you send).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// For a session summary: the product that most likely sent it, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductGuess>,
    /// What to deduplicate deliveries by (see the module documentation for the choice per kind).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// Length of the whole session in seconds (VSS: `startTime` to `endTime`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    /// The call legs: each member of a VSS's `details`, or the one leg of a VCA or VCS.
    pub legs: Vec<Leg>,
    /// Events in time order, for drawing a timeline.
    pub timeline: Vec<TimelineEvent>,
    /// Every code in the document, explained (one entry per distinct code and meaning).
    pub codes: Vec<CodeEntry>,
    /// Label / value pairs worth showing, specific to the kind.
    pub facts: Vec<Fact>,
    /// Things a reader should know about this document: odd values, page contradictions it
    /// runs into, quality warnings.
    pub notes: Vec<String>,
}

/// How a session, call, recording or request ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The status, as 8x8 names it (documented misspellings read as the usual spelling).
    #[schemars(schema_with = "outcome_status")]
    pub status: String,
    /// What it means.
    pub meaning: String,
    /// True when it is a good outcome.
    pub success: bool,
}

/// The schema of a text field that holds one of 8x8's values when the document is valid, and
/// what the document wrote when it is not (decode also explains invalid documents): any string,
/// with the known values listed first. TypeScript gets their union plus `(string & {})`, so a
/// comparison with a known value completes in an editor and an unknown one still type-checks.
fn known_text(known: Vec<schemars::Schema>, nullable: bool) -> schemars::Schema {
    let mut any_of: Vec<Value> = known.into_iter().map(Value::from).collect();
    any_of.push(serde_json::json!({ "type": "string", "tsType": "(string & {})" }));
    if nullable {
        any_of.push(serde_json::json!({ "type": "null" }));
    }
    schemars::json_schema!({ "anyOf": any_of })
}

fn outcome_status(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    use crate::models::{callflow, vca, vcs, vnu, vru, vss};
    let known = vec![
        g.subschema_for::<vss::SessionStatus>(),
        g.subschema_for::<vca::VcaCallStatus>(),
        g.subschema_for::<vcs::VcsCallStatus>(),
        g.subschema_for::<vru::RecordingStatus>(),
        g.subschema_for::<vnu::UpdateEventType>(),
        g.subschema_for::<callflow::CreationStatus>(),
    ];
    known_text(known, false)
}

fn leg_status(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    use crate::models::{vca, vcs, vss};
    let known = vec![
        g.subschema_for::<vss::LegStatus>(),
        g.subschema_for::<vca::VcaCallStatus>(),
        g.subschema_for::<vcs::VcsCallStatus>(),
    ];
    known_text(known, true)
}

fn leg_direction(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    known_text(
        vec![g.subschema_for::<crate::models::common::CallDirection>()],
        true,
    )
}

fn leg_call_type(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    known_text(
        vec![g.subschema_for::<crate::models::common::CallType>()],
        true,
    )
}

/// One call leg.
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Leg {
    /// `callA`, `callB`, … for a VSS; `call` for the leg of a VCA or VCS.
    pub key: String,
    /// The leg's `callId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// The calling number (`source`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The called number (`destination`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `INBOUND` or `OUTBOUND`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "leg_direction")]
    pub direction: Option<String>,
    /// `PSTN` or `VOIP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "leg_call_type")]
    pub call_type: Option<String>,
    /// Reference id of the virtual number on the source side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ref_id: Option<String>,
    /// Reference id of the virtual number on the destination side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_ref_id: Option<String>,
    /// The leg's `callStatus` (documented misspellings read as the usual spelling).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "leg_status")]
    pub status: Option<String>,
    /// What the status means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_meaning: Option<String>,
    /// How the leg ended, by its status: answered, not answered or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<codes::LegResult>,
    /// When the leg started, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initiated: Option<String>,
    /// When it was answered, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected: Option<String>,
    /// When it ended, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disconnected: Option<String>,
    /// Milliseconds from the session start to `initiated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_offset_ms: Option<i64>,
    /// Milliseconds from the session start to `connected`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect_offset_ms: Option<i64>,
    /// Milliseconds from the session start to `disconnected`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_offset_ms: Option<i64>,
    /// Seconds from `initiated` to `connected` (to `disconnected` when it never connected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ring_seconds: Option<f64>,
    /// Seconds from `connected` to `disconnected`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub talk_seconds: Option<f64>,
    /// `callDuration` as 8x8 reports it (seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_duration: Option<f64>,
    /// Mean Opinion Score, 1.0–5.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mos: Option<f64>,
    /// The MOS band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mos_band: Option<Band>,
    /// Packet loss rate as 8x8 reports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packet_loss_rate: Option<f64>,
    /// Jitter in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jitter: Option<f64>,
    /// The leg's SIP response code (VCA, VCS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sip_code: Option<i64>,
    /// The leg in one sentence.
    pub story: String,
}

/// A named band (MOS).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Band {
    /// Excellent, Good, Fair, Poor or Bad.
    pub name: String,
    /// What callers hear.
    pub meaning: String,
}

/// One event of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEvent {
    /// When, as written in the document.
    pub at: String,
    /// Milliseconds from the session start (from the event itself for a single-event webhook);
    /// absent when the timestamp cannot be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset_ms: Option<i64>,
    /// The leg it belongs to; absent for session events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leg: Option<String>,
    /// What happened, in words (`callA connected`).
    pub event: String,
}

/// Which table explains a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CodeTable {
    /// Session error codes (`errorDetails.errorCode`).
    SessionError,
    /// API status codes (`statusCode`).
    ApiStatus,
    /// Number Masking's reading of a session error code.
    NumberMasking,
    /// SIP response codes (`sipCode`).
    Sip,
    /// Status values (`sessionStatus`, `callStatus`, recording `status`, `operationalStatus`).
    Status,
    /// A code no table knows.
    Unknown,
}

/// A code as written: a number or a status word.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum CodeValue {
    /// A numeric code.
    Number(i64),
    /// A status word.
    Text(String),
}

/// One code of the document, explained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CodeEntry {
    /// Where it first occurs: a JSON Pointer into the document as written, like the report's
    /// (for [`decode_view`] and [`decode_value`], into the document they are given).
    pub pointer: String,
    /// The code as written.
    pub code: CodeValue,
    /// The table that explains it.
    pub table: CodeTable,
    /// 8x8's name for it (SIP: the reason phrase; statuses: the usual spelling).
    pub name: String,
    /// What it means.
    pub meaning: String,
    /// What to check or do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// A label and a value worth showing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Fact {
    /// What the value is.
    pub label: String,
    /// The value, in words.
    pub value: String,
}

/// The most legs, virtual numbers or actions a decoded view describes; a note gives the total.
/// Real documents hold a handful; the cap keeps decoding a hostile one linear and bounded.
pub const MAX_ITEMS: usize = 1000;

/// Decodes a parsed (and normalized) document held as a `serde_json::Value`, read as `kind`:
/// [`decode_view`] of its tape.
pub fn decode_value(kind: Kind, doc: &Value, now_ms: Option<i64>) -> Decoded {
    let doc = Doc::from_value(doc);
    decode_view(kind, doc.root(), now_ms)
}

/// Decodes a parsed (and normalized) document read as `kind`.
///
/// `now_ms` (milliseconds since 1970, UTC) lets the decoder say whether a `validUntil` is
/// already past; without it nothing is said about the present.
pub fn decode_view(kind: Kind, doc: View<'_>, now_ms: Option<i64>) -> Decoded {
    decode_known(kind, doc, now_ms, None)
}

/// [`decode_view`] of a session summary whose product the pipeline already guessed.
pub(crate) fn decode_known(
    kind: Kind,
    doc: View<'_>,
    now_ms: Option<i64>,
    product: Option<crate::detect::ProductGuess>,
) -> Decoded {
    let mut d = Decoded {
        kind,
        summary: String::new(),
        outcome: None,
        product,
        idempotency_key: None,
        duration_seconds: None,
        legs: Vec::new(),
        timeline: Vec::new(),
        codes: Vec::new(),
        facts: Vec::new(),
        notes: Vec::new(),
    };
    match kind {
        Kind::Vss => webhooks::vss(doc, &mut d),
        Kind::Vca | Kind::Vcs => webhooks::call_event(kind, doc, &mut d),
        Kind::Vru => webhooks::vru(doc, &mut d),
        Kind::Vnu => webhooks::vnu(doc, &mut d),
        Kind::Callflow | Kind::VcaReply => documents::callflow(kind, doc, now_ms, &mut d),
        Kind::CallflowResult => documents::callflow_result(doc, now_ms, &mut d),
        Kind::WebhookCreate => documents::webhook_create(doc, &mut d),
        Kind::WebhookList => documents::webhook_list(doc, &mut d),
    }
    d.idempotency_key = Some(idempotency_key(kind, doc));
    // Stable: events at the same moment keep the order they were added in (a leg's end before
    // the session's end); events without a readable time go last.
    d.timeline
        .sort_by_key(|e| (e.offset_ms.is_none(), e.offset_ms));
    d
}

impl Decoded {
    /// Masks every phone number in the view's text ([`crate::mask::mask_numbers`]): the summary,
    /// legs, timeline, codes, facts and notes, pointers included. What `Options::mask` does to
    /// a decoded view.
    pub fn mask(&mut self) {
        let m = |s: &mut String| *s = crate::mask::mask_numbers(s);
        let o = |s: &mut Option<String>| {
            if let Some(s) = s {
                *s = crate::mask::mask_numbers(s);
            }
        };
        m(&mut self.summary);
        o(&mut self.idempotency_key);
        if let Some(outcome) = &mut self.outcome {
            m(&mut outcome.status);
            m(&mut outcome.meaning);
        }
        if let Some(product) = &mut self.product {
            product.reasons.iter_mut().for_each(m);
        }
        for leg in &mut self.legs {
            m(&mut leg.key);
            m(&mut leg.story);
            for field in [
                &mut leg.call_id,
                &mut leg.from,
                &mut leg.to,
                &mut leg.source_ref_id,
                &mut leg.destination_ref_id,
                &mut leg.status_meaning,
            ] {
                o(field);
            }
        }
        for event in &mut self.timeline {
            m(&mut event.event);
            o(&mut event.leg);
        }
        for code in &mut self.codes {
            m(&mut code.pointer);
            m(&mut code.meaning);
            o(&mut code.hint);
            if let CodeValue::Text(t) = &mut code.code {
                m(t);
            }
        }
        for fact in &mut self.facts {
            m(&mut fact.label);
            m(&mut fact.value);
        }
        self.notes.iter_mut().for_each(m);
    }

    fn fact(&mut self, label: &str, value: impl Into<String>) {
        self.facts.push(Fact {
            label: label.to_owned(),
            value: value.into(),
        });
    }

    fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// Adds a code entry unless the same code with the same meaning is already listed (a
    /// status shared by the session and a leg is listed twice when its meanings differ).
    fn code(&mut self, entry: CodeEntry) {
        if !self
            .codes
            .iter()
            .any(|c| c.table == entry.table && c.code == entry.code && c.meaning == entry.meaning)
        {
            self.codes.push(entry);
        }
    }

    /// Explains a status word (`COMPLETED`, `CALL_RECEIVED`, `Active`, …) of the field `table`.
    fn status_code(&mut self, pointer: String, table: StatusTable, written: &str) {
        self.code(status_entry(pointer, table, written));
    }

    /// Explains a SIP code.
    fn sip_code(&mut self, pointer: String, code: i64) {
        let entry = match codes::sip(code) {
            Some(s) => CodeEntry {
                pointer,
                code: CodeValue::Number(code),
                table: CodeTable::Sip,
                name: s.reason.to_owned(),
                meaning: match s.cause {
                    Some(cause) => format!("{} ({}; usual cause: {cause})", s.meaning, s.class()),
                    None => format!("{} ({})", s.meaning, s.class()),
                },
                hint: Some(s.hint().to_owned()),
            },
            None => unknown_entry(pointer, CodeValue::Number(code), "a SIP response code"),
        };
        self.code(entry);
    }

    /// Explains an API status code (`statusCode` of 8x8's answers).
    fn api_status_code(&mut self, pointer: String, code: i64) {
        let entry = match codes::api_status(code) {
            Some(c) => from_table(pointer, CodeTable::ApiStatus, c, None),
            None => unknown_entry(pointer, CodeValue::Number(code), "an API status code"),
        };
        self.code(entry);
    }
}

/// The meaning of a status word in the table of its field (any table when that one lacks it),
/// with the documented misspellings read as the usual ones.
fn status_lookup(table: StatusTable, written: &str) -> Option<&'static StatusMeaning> {
    codes::status_in(table, written).or_else(|| codes::status_meaning(written))
}

/// A code entry for a status word.
fn status_entry(pointer: String, table: StatusTable, written: &str) -> CodeEntry {
    let Some(m) = status_lookup(table, written) else {
        return unknown_entry(pointer, CodeValue::Text(written.to_owned()), "a status");
    };
    let meaning = match written {
        "CANCELLED" => format!(
            "{}. Written CANCELLED here, read as CANCELED: 8x8's payload pages spell it CANCELED, its API introduction CANCELLED; it is the same status",
            m.meaning
        ),
        "NO ANSWER" => format!(
            "{}. Written with a space here (as in the Number Masking status table), read as NO_ANSWER",
            m.meaning
        ),
        _ => m.meaning.to_owned(),
    };
    CodeEntry {
        pointer,
        code: CodeValue::Text(written.to_owned()),
        table: CodeTable::Status,
        name: m.status.to_owned(),
        meaning,
        hint: m.note.map(str::to_owned),
    }
}

fn from_table(pointer: String, table: CodeTable, c: &codes::Code, hint: Option<&str>) -> CodeEntry {
    CodeEntry {
        pointer,
        code: CodeValue::Number(i64::from(c.code)),
        table,
        name: c.name.to_owned(),
        meaning: c.meaning.to_owned(),
        hint: hint.or(c.hint).map(str::to_owned),
    }
}

/// An entry for a code no table has; `what` names the kind of code with its article
/// (`"an API status code"`).
fn unknown_entry(pointer: String, code: CodeValue, what: &str) -> CodeEntry {
    CodeEntry {
        pointer,
        code,
        table: CodeTable::Unknown,
        name: "unknown".to_owned(),
        meaning: format!("not {what} the 8x8 pages document"),
        hint: None,
    }
}

/// Outcome of a status word of the field `table`.
pub(crate) fn outcome_of(table: StatusTable, written: &str) -> Outcome {
    match status_lookup(table, written) {
        Some(m) => Outcome {
            status: m.status.to_owned(),
            meaning: m.meaning.to_owned(),
            success: m.success,
        },
        None => Outcome {
            status: written.to_owned(),
            meaning: "a status the 8x8 pages do not document".to_owned(),
            success: false,
        },
    }
}

// Reading values leniently.

/// `null`, to read through where a member is missing: every lookup in it finds nothing.
fn null<'d>() -> View<'d> {
    static NULL: OnceLock<Doc> = OnceLock::new();
    NULL.get_or_init(|| Doc::from_value(&Value::Null)).root()
}

/// A string member (not the string "null").
fn text<'d>(v: Option<View<'d>>) -> Option<&'d str> {
    v.and_then(View::as_str).filter(|s| *s != "null")
}

/// A whole number: an integer, a float without fraction, or a numeric string.
fn int(v: Option<View<'_>>) -> Option<i64> {
    let v = v?;
    match v.kind() {
        Type::Number => {
            let n = v.as_number()?;
            n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            })
        }
        Type::String => v.as_str()?.trim().parse().ok(),
        _ => None,
    }
}

/// A number: a JSON number or a numeric string.
fn num(v: Option<View<'_>>) -> Option<f64> {
    let v = v?;
    match v.kind() {
        Type::Number => v.as_f64(),
        Type::String => v
            .as_str()?
            .trim()
            .parse()
            .ok()
            .filter(|f: &f64| f.is_finite()),
        _ => None,
    }
}

/// Seconds between two instants in milliseconds, as a number of seconds.
fn seconds(from_ms: i64, to_ms: i64) -> f64 {
    to_ms.saturating_sub(from_ms) as f64 / 1000.0
}

/// `35 s`, `1.4 s`.
fn fmt_seconds(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        let t = format!("{s:.3}");
        format!("{} s", t.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// `1 leg`, `2 legs`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A JSON Pointer token for a key.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `text` cut to `max` characters with an ellipsis.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn seconds_are_written_without_noise() {
        assert_eq!(fmt_seconds(35.0), "35 s");
        assert_eq!(fmt_seconds(1.4), "1.4 s");
        assert_eq!(fmt_seconds(0.375), "0.375 s");
        assert_eq!(plural(1, "leg"), "1 leg");
        assert_eq!(plural(2, "leg"), "2 legs");
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(token("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn numbers_are_read_leniently() {
        let int = |v: Value| int(Some(Doc::from_value(&v).root()));
        let num = |v: Value| num(Some(Doc::from_value(&v).root()));
        let doc = Doc::from_value(&json!("null"));
        assert_eq!(int(json!(-2004)), Some(-2004));
        assert_eq!(int(json!("-2004")), Some(-2004));
        assert_eq!(int(json!(3.0)), Some(3));
        assert_eq!(int(json!(3.5)), None);
        assert_eq!(int(json!(1e300)), None);
        assert_eq!(num(json!("4.5")), Some(4.5));
        assert_eq!(num(json!("NaN")), None);
        assert_eq!(text(Some(doc.root())), None);
        assert_eq!(text(Some(null())), None);
    }

    #[test]
    fn unknown_codes_say_what_they_are_not_with_the_right_article() {
        let mut d = decode_value(Kind::WebhookList, &json!({"webhooks": []}), None);
        d.codes.clear();
        d.api_status_code("/statusCode".into(), 7);
        d.sip_code("/sipCode".into(), 299);
        let meanings: Vec<&str> = d.codes.iter().map(|c| c.meaning.as_str()).collect();
        assert_eq!(
            meanings,
            [
                "not an API status code the 8x8 pages document",
                "not a SIP response code the 8x8 pages document"
            ]
        );
        let e = status_entry("/payload/status".into(), StatusTable::Recording, "LOST");
        assert_eq!(e.meaning, "not a status the 8x8 pages document");
    }

    /// Contradiction 11: CANCELLED reads as CANCELED, and the entry says why.
    #[test]
    fn contradiction_11_cancelled_reads_as_canceled() {
        let e = status_entry(
            "/payload/sessionStatus".into(),
            StatusTable::Session,
            "CANCELLED",
        );
        assert_eq!(e.table, CodeTable::Status);
        assert_eq!(e.name, "CANCELED");
        assert_eq!(e.code, CodeValue::Text("CANCELLED".into()));
        assert!(e.meaning.contains("read as CANCELED"), "{}", e.meaning);
        let o = outcome_of(StatusTable::Session, "CANCELLED");
        assert_eq!(o.status, "CANCELED");
        assert!(!o.success);
    }

    /// A document read from its tape decodes as its `serde_json::Value` does, its lists capped.
    #[test]
    fn a_parsed_document_decodes_from_its_tape_as_from_its_value() {
        let legs: Vec<String> = (0..=MAX_ITEMS)
            .map(|i| {
                format!(
                    r#""call{i}": {{"callStatus": "COMPLETED", "initiatedTimestamp": "2026-01-13T08:26:{:02}Z"}}"#,
                    i % 60
                )
            })
            .collect();
        let numbers: Vec<String> = (0..=MAX_ITEMS)
            .map(|i| format!(r#"{{"msisdn": "+65{i}", "operationalStatus": "Active"}}"#))
            .collect();
        let texts = [
            format!(
                r#"{{"eventType": "SESSION_SUMMARY", "payload": {{"callCount": 3, "details": {{{}}}}}}}"#,
                legs.join(",")
            ),
            format!(
                r#"{{"payload": {{"totalNumbers": 2, "virtualNumbers": [{}]}}}}"#,
                numbers.join(",")
            ),
            r#"{"callflow": [{"action": "say", "params": {"text": "h\u00e9", "speed": 1.5}},
                {"action": "makeCall", "params": {"source": "+651", "destination": "+652"}}],
                "validUntil": {"not": ["a", "date", 1.0e2, "\u0001"]}}"#
                .to_owned(),
            r#"{"payload": {"callStatus": "ACTION_COMPLETED", "eventData": {"dtmf": "12"},
                "timestamp": "2024-05-16T04:12:11.217Z", "sipCode": "200"}}"#
                .to_owned(),
            r#"{"webhooks": [{"type": "VSS", "enabled": true}], "count": 3, "statusCode": -1002}"#
                .to_owned(),
        ];
        for text in &texts {
            let doc = Doc::parse_str(text).unwrap();
            let value: Value = serde_json::from_str(text).unwrap();
            for kind in Kind::ALL {
                assert_eq!(
                    decode_view(kind, doc.root(), Some(0)),
                    decode_value(kind, &value, Some(0)),
                    "{kind:?}"
                );
            }
        }
        let doc = Doc::parse_str(&texts[0]).unwrap();
        let d = decode_view(Kind::Vss, doc.root(), None);
        assert_eq!(d.legs.len(), MAX_ITEMS);
        assert!(
            d.notes
                .iter()
                .any(|n| n.contains("details holds 1001 legs")),
            "{:?}",
            d.notes
        );
        let doc = Doc::parse_str(&texts[1]).unwrap();
        let d = decode_view(Kind::Vnu, doc.root(), None);
        assert_eq!(
            d.summary,
            "Virtual numbers update: 1001 numbers (1000 Active)"
        );
    }

    #[test]
    fn any_value_of_any_kind_decodes_without_panicking() {
        let odd = [
            json!(null),
            json!([]),
            json!("text"),
            json!({"payload": []}),
            json!({"payload": {"details": {"callA": 7, "callB": {"callQuality": "x"}}}}),
            json!({"payload": {"startTime": "2026-01-13T08:26:58Z", "details": {"callA": {
                "initiatedTimestamp": "9999-12-31T23:59:59Z", "disconnectedTimestamp": "0000-01-01T00:00:00Z"}}}}),
            json!({"callflow": [null, 1, {"action": 7}, {"action": "say", "params": []}]}),
            json!({"callflow": {}, "validUntil": 5}),
            json!({"webhooks": [1, {"type": []}], "statusCode": "x"}),
            json!({"payload": {"virtualNumbers": [null, {"operationalStatus": 1}]}}),
            json!({"payload": {"errorDetails": {"errorCode": 9223372036854775807i64}, "sipCode": -1}}),
        ];
        for kind in Kind::ALL {
            for doc in &odd {
                let d = decode_value(kind, doc, Some(0));
                assert_eq!(d.kind, kind);
                assert!(!d.summary.is_empty(), "{kind:?} {doc}");
                assert!(d.idempotency_key.is_some());
                serde_json::to_string(&d).unwrap();
            }
        }
    }
}
