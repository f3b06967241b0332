//! Documents for your own tests: every documented example that voicehook accepts, by name, and
//! a factory that builds a document of any kind with the fields you set, kept consistent and
//! always valid.
//!
//! ```
//! use voicehook::fixtures::{self, Override};
//! use voicehook::Kind;
//!
//! // A documented example, by its name (the page it comes from and its place there).
//! let ivr = fixtures::named("ivr--session-summary-ivr.1").expect("documented");
//! assert_eq!(ivr.kind, Kind::Vss);
//!
//! // A session summary whose first leg talked for 12 seconds: the leg's disconnect time
//! // follows (and the session's end, if need be), so that times and durations agree.
//! let doc = fixtures::example(Kind::Vss, &[Override::parse("payload.details.callA.callDuration=12")?])?;
//! let leg = &doc["payload"]["details"]["callA"];
//! let (connected, disconnected) = (leg["connectedTimestamp"].as_str(), leg["disconnectedTimestamp"].as_str());
//! let talked = voicehook::time::millis(disconnected.unwrap()).unwrap()
//!     - voicehook::time::millis(connected.unwrap()).unwrap();
//! assert_eq!(talked, 12_000);
//! let report = voicehook::validate(&serde_json::to_vec(&doc)?);
//! assert!(report.valid && report.warnings.is_empty(), "{:?}", report.warnings);
//!
//! // Whatever is set, the result is a document voicehook accepts, or an error that says why.
//! let err = fixtures::example(Kind::Vss, &[Override::parse("payload.sessionId=42")?]);
//! assert!(matches!(err, Err(fixtures::ExampleError::Invalid(_))));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Kind, Options, Report};

/// One documented example: a document as an 8x8 page prints it, which voicehook accepts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Example {
    /// Its name: the page (`ivr--session-summary-ivr` for `ivr/session-summary-ivr.mdx`) and its
    /// place among the page's JSON examples (`.1`, `.2`…).
    pub name: String,
    /// The kind of document.
    pub kind: Kind,
    /// The page it comes from.
    pub page: String,
    /// The heading it sits under on that page.
    pub heading: String,
    /// The document.
    pub document: Value,
}

/// Every documented example voicehook accepts, in a fixed order (by name). A callflow among them
/// was accepted before its `validUntil`; [`example`] moves that ahead.
pub fn documented() -> &'static [Example] {
    static ALL: OnceLock<Vec<Example>> = OnceLock::new();
    ALL.get_or_init(|| parse_documented(shipped()))
}

/// The documented example called `name`.
pub fn named(name: &str) -> Option<&'static Example> {
    documented().iter().find(|e| e.name == name)
}

/// The shipped file: `{"examples": [...], "bases": {kind: document}}`.
fn shipped() -> &'static Value {
    static FILE: OnceLock<Value> = OnceLock::new();
    FILE.get_or_init(|| {
        serde_json::from_str(include_str!("../fixtures/documented.json")).unwrap_or_default()
    })
}

fn parse_documented(file: &Value) -> Vec<Example> {
    let entries = file
        .get("examples")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    entries
        .into_iter()
        .filter_map(|e| {
            let field = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
            Some(Example {
                name: field("name")?,
                kind: field("kind")?.parse().ok()?,
                page: field("page").unwrap_or_default(),
                heading: field("heading").unwrap_or_default(),
                document: e.get("document")?.clone(),
            })
        })
        .collect()
}

/// One field to set: a dotted path (`payload.details.callA.callDuration`, array items by
/// number: `callflow.0.params.text`) and the value to put there.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The path, one name or array index per segment.
    pub path: Vec<String>,
    /// The value.
    pub value: Value,
}

impl Override {
    /// Reads `path=value`. The value is read as JSON when it is JSON (`12`, `null`, `true`,
    /// `"12"`, `{"dtmf": "1"}`), and as a string otherwise (`BUSY`).
    pub fn parse(text: &str) -> Result<Override, ExampleError> {
        let Some((path, value)) = text.split_once('=') else {
            return Err(ExampleError::Override(format!(
                "expected path=value (such as payload.sessionStatus=BUSY), found {text:?}"
            )));
        };
        let value = read_json(value).unwrap_or_else(|| Value::String(value.into()));
        Override::new(path, value)
    }

    /// `value` at the dotted `path` (`payload.details.callA.callDuration`).
    pub fn new(path: &str, value: Value) -> Result<Override, ExampleError> {
        if path.is_empty() || path.split('.').any(str::is_empty) {
            return Err(ExampleError::Override(format!(
                "expected a dotted path (such as payload.details.callA.callDuration), found {path:?}"
            )));
        }
        Ok(Override {
            path: path.split('.').map(str::to_owned).collect(),
            value,
        })
    }
}

/// `text` read as JSON by the core's own parser, when it is JSON (one reading of JSON for the
/// whole crate, and no second parser in the WebAssembly module).
pub fn read_json(text: &str) -> Option<Value> {
    let parsed = crate::parse::parse(text.as_bytes(), &crate::parse::Limits::default()).ok()?;
    Some(parsed.doc().root().to_value())
}

/// Why [`example`] built no document.
#[derive(Clone, Debug, PartialEq)]
pub enum ExampleError {
    /// An override could not be read or applied (its path leads through a value that is not an
    /// object or array).
    Override(String),
    /// The document with the overrides is not one voicehook accepts: the report says why.
    Invalid(Box<Report>),
    /// The kind has no documented example to start from.
    NoExample(Kind),
}

impl fmt::Display for ExampleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExampleError::Override(why) => f.write_str(why),
            ExampleError::Invalid(report) => {
                write!(f, "the document with these values is not valid")?;
                for e in &report.errors {
                    write!(f, "\n  {} at {}: {}", e.rule, e.pointer, e.message)?;
                }
                Ok(())
            }
            ExampleError::NoExample(kind) => write!(f, "no documented example of {kind}"),
        }
    }
}

impl std::error::Error for ExampleError {}

/// A document of `kind` for a test: the kind's first documented example with `overrides` set,
/// kept consistent, and checked. A session summary keeps each leg's times and duration in step
/// (set a `callDuration` and the disconnect time follows; set a leg's times and its duration
/// follows), its `callCount` equal to its legs, and its end after its last leg. The result is
/// valid with no warning other than those of the overrides themselves; `Err` says why not.
pub fn example(kind: Kind, overrides: &[Override]) -> Result<Value, ExampleError> {
    example_at(kind, overrides, crate::time::system_now())
}

/// [`example`] at the time `now` (Unix milliseconds; `None`: the system clock, where there is
/// one), which a callflow's `validUntil` must be later than.
pub fn example_at(
    kind: Kind,
    overrides: &[Override],
    now: Option<i64>,
) -> Result<Value, ExampleError> {
    from(base(kind)?.clone(), kind, overrides, now)
}

/// The document [`example`] starts from, chosen when the file was written
/// ([`render_documented`]).
pub fn base(kind: Kind) -> Result<&'static Value, ExampleError> {
    shipped()
        .get("bases")
        .and_then(|b| b.get(kind.id()))
        .ok_or(ExampleError::NoExample(kind))
}

/// The base of `kind` among `examples`: the first documented example that draws no warning at
/// all, else the example of its schema if that draws none (the pages' webhook registrations all
/// write `active` for `enabled`), else the first documented one.
fn choose_base(kind: Kind, examples: &[Value]) -> Option<Value> {
    let clean = |doc: &Value| {
        let bytes = serde_json::to_vec(doc).unwrap_or_default();
        let options = Options {
            kind: Some(kind),
            now: Some(DOCUMENTED_AT),
            ..Options::default()
        };
        let report = crate::validate_with(&bytes, &options);
        report.valid && report.warnings.is_empty()
    };
    let documented = || {
        examples
            .iter()
            .filter(|e| e["kind"] == kind.id())
            .map(|e| &e["document"])
    };
    let schema_examples = crate::schema::schema(kind)
        .get("examples")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    documented()
        .find(|d| clean(d))
        .or_else(|| schema_examples.clone().find(|d| clean(d)))
        .or_else(|| documented().next())
        .cloned()
}

/// "Now" for judging the documented examples: 2024-01-01T00:00:00Z, before every `validUntil`
/// the pages print, so that which examples ship does not depend on the day they are checked.
const DOCUMENTED_AT: i64 = 1_704_067_200_000;

/// [`example_at`] starting from `document` (a documented example, or your own). A callflow's
/// `validUntil` that is not set by an override is moved to a day after `now`.
pub fn from(
    mut document: Value,
    kind: Kind,
    overrides: &[Override],
    now: Option<i64>,
) -> Result<Value, ExampleError> {
    // One "now" for moving validUntil and for checking it.
    let now = now.or_else(crate::time::system_now);
    for o in overrides {
        set(&mut document, &o.path, o.value.clone())?;
    }
    match kind {
        Kind::Vss => keep_session_consistent(&mut document, overrides),
        Kind::Callflow => keep_valid_until_ahead(&mut document, overrides, now),
        _ => {}
    }
    let bytes = serde_json::to_vec(&document).unwrap_or_default();
    let options = Options {
        kind: Some(kind),
        now,
        ..Options::default()
    };
    let report = crate::validate_with(&bytes, &options);
    if report.valid {
        Ok(document)
    } else {
        Err(ExampleError::Invalid(Box::new(report)))
    }
}

/// Puts `value` at `path` in `doc`, creating objects on the way.
fn set(doc: &mut Value, path: &[String], value: Value) -> Result<(), ExampleError> {
    let Some((last, parents)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    let mut at = doc;
    for (i, segment) in parents.iter().enumerate() {
        at = match at {
            Value::Object(map) => map
                .entry(segment.clone())
                .or_insert_with(|| Value::Object(Map::new())),
            Value::Array(items) => {
                let n = index(segment, items.len(), path, i)?;
                &mut items[n]
            }
            _ => return Err(through_scalar(path, i)),
        };
    }
    match at {
        Value::Object(map) => {
            map.insert(last.clone(), value);
        }
        Value::Array(items) => {
            let n = index(last, items.len() + 1, path, path.len() - 1)?;
            if n == items.len() {
                items.push(value);
            } else {
                items[n] = value;
            }
        }
        _ => return Err(through_scalar(path, path.len() - 1)),
    }
    Ok(())
}

fn index(segment: &str, len: usize, path: &[String], i: usize) -> Result<usize, ExampleError> {
    segment
        .parse::<usize>()
        .ok()
        .filter(|&n| n < len)
        .ok_or_else(|| {
            ExampleError::Override(format!(
                "{}: {} is an array of {} items, so {segment:?} is no item of it",
                path.join("."),
                path[..i].join("."),
                len.saturating_sub(usize::from(i == path.len() - 1))
            ))
        })
}

fn through_scalar(path: &[String], i: usize) -> ExampleError {
    ExampleError::Override(format!(
        "{}: {} holds a value that is neither an object nor an array",
        path.join("."),
        if i == 0 {
            "the document".to_owned()
        } else {
            path[..i].join(".")
        }
    ))
}

/// A leg's three times, in the order they happen.
const LEG_TIMES: [&str; 3] = [
    "initiatedTimestamp",
    "connectedTimestamp",
    "disconnectedTimestamp",
];

/// Brings a session summary's derived fields in line with what was set: each leg's duration
/// and disconnect time, the leg count, and the session's end.
fn keep_session_consistent(doc: &mut Value, overrides: &[Override]) {
    // A field was set when an override set it, something inside it, or something it is in.
    let set_here = |path: &[&str]| {
        overrides
            .iter()
            .any(|o| o.path.iter().zip(path).all(|(a, b)| a == b))
    };
    let Some(payload) = doc.get_mut("payload").and_then(Value::as_object_mut) else {
        return;
    };
    let time = |object: &Map<String, Value>, name: &str| {
        object
            .get(name)
            .and_then(Value::as_str)
            .and_then(crate::time::millis)
    };
    let mut latest: Option<i64> = None;
    if let Some(details) = payload.get_mut("details").and_then(Value::as_object_mut) {
        for (key, leg) in details.iter_mut() {
            let Some(leg) = leg.as_object_mut() else {
                continue;
            };
            let field = |name: &'static str| ["payload", "details", key.as_str(), name];
            let times_set = LEG_TIMES.iter().any(|t| set_here(&field(t)));
            let duration_set = set_here(&field("callDuration"));
            match (duration_set, times_set, time(leg, "connectedTimestamp")) {
                // The duration was set: the leg ends that long after it connected.
                (true, false, Some(connected)) => {
                    if let Some(seconds) = leg.get("callDuration").and_then(Value::as_i64)
                        && let Some(end) =
                            written(connected.saturating_add(seconds.saturating_mul(1000)))
                    {
                        leg.insert("disconnectedTimestamp".into(), Value::String(end));
                    }
                }
                // A time was set: the duration is what the times say.
                (false, true, Some(connected)) => {
                    if let Some(end) = time(leg, "disconnectedTimestamp") {
                        let seconds = (end - connected).max(0) / 1000;
                        leg.insert("callDuration".into(), Value::from(seconds));
                    }
                }
                // The leg no longer connected: it talked for no time.
                (false, true, None) => {
                    leg.insert("callDuration".into(), Value::from(0));
                }
                _ => {}
            }
            if let Some(end) = time(leg, "disconnectedTimestamp") {
                latest = Some(latest.map_or(end, |l| l.max(end)));
            }
        }
        if !set_here(&["payload", "callCount"]) {
            let legs = details.values().filter(|v| v.is_object()).count();
            payload.insert("callCount".into(), Value::from(legs));
        }
    }
    // The session ends no earlier than its last leg.
    if !set_here(&["payload", "endTime"])
        && let Some(last) = latest
        && time(payload, "endTime").is_none_or(|end| end < last)
        && let Some(end) = written(last)
    {
        payload.insert("endTime".into(), Value::String(end));
    }
}

/// A Send Callflow request's `validUntil`, unless set by an override, a day after `now`.
fn keep_valid_until_ahead(doc: &mut Value, overrides: &[Override], now: Option<i64>) {
    let set = overrides
        .iter()
        .any(|o| o.path.first().is_some_and(|p| p == "validUntil"));
    if let (false, Some(now), Some(body)) = (set, now, doc.as_object_mut())
        && body.contains_key("validUntil")
        && let Some(later) = crate::time::format_millis(now.saturating_add(86_400_000))
    {
        body.insert("validUntil".into(), Value::String(later));
    }
}

/// A time as 8x8 writes a leg's: UTC, with milliseconds only when there are some.
fn written(unix_ms: i64) -> Option<String> {
    let text = crate::time::format_millis(unix_ms)?;
    Some(match unix_ms.rem_euclid(1000) {
        0 => text.replace(".000Z", "Z"),
        _ => text,
    })
}

/// The text of `fixtures/documented.json` from the repository's documented examples
/// (`tests/fixtures/docs` and its manifest): every JSON example with a kind that voicehook
/// accepts as that kind (on 2024-01-01, before the `validUntil` of every callflow), by name,
/// and the base [`example`] starts from for each kind. `cargo xtask schemas` writes it; a test checks it is current.
#[doc(hidden)]
pub fn render_documented(docs: &std::path::Path) -> std::io::Result<String> {
    let manifest: Value = serde_json::from_slice(&std::fs::read(docs.join("manifest.json"))?)
        .map_err(std::io::Error::other)?;
    let mut out = Vec::new();
    for entry in manifest.as_array().into_iter().flatten() {
        let text = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or_default();
        let (Some(kind), Some(true)) = (
            text("kind").parse::<Kind>().ok(),
            entry.get("json").and_then(Value::as_bool),
        ) else {
            continue;
        };
        let bytes = std::fs::read(docs.join(text("file")))?;
        let options = Options {
            kind: Some(kind),
            now: Some(DOCUMENTED_AT),
            ..Options::default()
        };
        let Ok(document) = serde_json::from_slice::<Value>(&bytes) else {
            continue;
        };
        if !crate::validate_with(&bytes, &options).valid {
            continue;
        }
        let name = text("file").trim_end_matches(".json").to_owned();
        out.push(serde_json::json!({
            "name": name,
            "kind": kind.id(),
            "page": text("page"),
            "heading": text("heading"),
            "document": document,
        }));
    }
    out.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let bases: Map<String, Value> = Kind::ALL
        .iter()
        .filter_map(|&k| Some((k.id().to_owned(), choose_base(k, &out)?)))
        .collect();
    let file = serde_json::json!({ "examples": out, "bases": bases });
    let mut text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
    text.push('\n');
    Ok(text)
}
