//! Normalization: rewrites the documented real-world deviations of 8x8's payloads to the
//! canonical form, and says what it rewrote.
//!
//! Only deviations the 8x8 pages themselves show are touched (see the reference README):
//! - leg keys with a capital first letter (`CallA`, `SourceRefId`) — `normalize.key-case`;
//! - the string `"null"` where a field is nullable or optional — `normalize.null-string`;
//! - `errorCode` (and a VCA's `callDuration`) as a numeric string — `normalize.numeric-string`;
//! - `NO ANSWER` written with a space, `CANCELLED` with two Ls — `normalize.status-spelling`;
//! - the older VCA shape of 8x8's IVR tutorials (until January 2026): `callStatus`
//!   `DTMF_RECEIVED` with `dtmf` at the top of the payload — read as `ACTION_COMPLETED` with
//!   `eventData.dtmf` (`normalize.legacy-vca`).
//!
//! The document is rewritten in both modes, so the rules and decode read one canonical view;
//! strict mode only reports each deviation as an error instead of a warning.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::validate::walk;
use crate::{Kind, catalog};

/// The variant spellings of enum values that 8x8's own pages use, with the canonical value each
/// is read as. In the schemas they are accepted beside the canonical value (the schemas
/// describe what 8x8 sends); messages list the canonical values only.
pub const VARIANT_SPELLINGS: &[(&str, &str)] = &[
    ("NO ANSWER", "NO_ANSWER"),
    ("CANCELLED", "CANCELED"),
    ("DTMF_RECEIVED", "ACTION_COMPLETED"),
];

/// The canonical value a variant spelling stands for (`"NO ANSWER"` → `"NO_ANSWER"`).
pub fn canonical_spelling(variant: &str) -> Option<&'static str> {
    VARIANT_SPELLINGS
        .iter()
        .find(|(v, _)| *v == variant)
        .map(|(_, c)| *c)
}

/// The most quirks one document lists (each is rewritten all the same).
pub const MAX_QUIRKS: usize = crate::DEFAULT_MAX_FINDINGS;

/// One rewrite of a documented deviation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quirk {
    /// Pointer into the document as written.
    pub pointer: String,
    /// `normalize.*` rule id.
    pub rule: &'static crate::catalog::Rule,
    /// What was (or would be) rewritten.
    pub message: String,
}

/// The outcome of normalizing one document.
#[derive(Debug, Default)]
pub struct Normalized {
    /// Every deviation found, in document order (at most [`MAX_QUIRKS`]).
    pub quirks: Vec<Quirk>,
    /// Deviations found past [`MAX_QUIRKS`]: rewritten all the same, but not listed.
    pub dropped: usize,
    /// Renamed object members: (pointer after normalization, pointer as written).
    renames: HashMap<String, String>,
}

impl Normalized {
    /// Records a quirk, or only counts it past [`MAX_QUIRKS`].
    fn note(&mut self, quirk: Quirk) {
        if self.quirks.len() < MAX_QUIRKS {
            self.quirks.push(quirk);
        } else {
            self.dropped += 1;
        }
    }

    /// Maps a pointer into the normalized document back to the document as written.
    ///
    /// Each rename maps a normalized pointer to the pointer as written in full (an inner rename
    /// already carries its renamed parents), so the longest renamed prefix decides: one lookup
    /// per segment, whatever the number of renames.
    pub fn original_pointer(&self, pointer: &str) -> String {
        if self.renames.is_empty() {
            return pointer.to_owned();
        }
        let ends = pointer
            .match_indices('/')
            .map(|(i, _)| i)
            .chain([pointer.len()])
            .collect::<Vec<_>>();
        for &end in ends.iter().rev() {
            if let Some(old) = self.renames.get(&pointer[..end]) {
                return format!("{old}{}", &pointer[end..]);
            }
        }
        pointer.to_owned()
    }
}

/// Finds and rewrites in place the documented deviations in `doc` (in both modes: the mode
/// only decides how the findings are reported).
pub fn normalize(kind: Kind, doc: &mut Value, schema: &Value) -> Normalized {
    let mut n = Normalized::default();
    // Almost every document has no quirk: a plain scan says so without the schema-guided walk.
    if !might_have_quirks(kind, doc) {
        return n;
    }
    if kind == Kind::Vss {
        leg_key_case(doc, &mut n);
    }
    if kind == Kind::Vca {
        legacy_vca(doc, &mut n);
    }
    rewrite_values(kind, doc, schema, &mut n);
    n
}

fn leg_key_case(doc: &mut Value, n: &mut Normalized) {
    let Some(details) = doc
        .pointer_mut("/payload/details")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    // Leg keys first, all at once (one rebuild of `details`, however many legs).
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for key in details.keys() {
        let Some(lower) = lowered(key).filter(|l| {
            l.starts_with("call") && l.len() > 4 && !details.contains_key(l) && !taken.contains(l)
        }) else {
            continue;
        };
        let pointer = format!("/payload/details/{}", walk::escape(key));
        n.note(Quirk {
            pointer: pointer.clone(),
            rule: &catalog::NORMALIZE_KEY_CASE,
            message: format!(
                "leg key \"{key}\" read as \"{lower}\" (8x8 writes leg keys in lower camelCase)"
            ),
        });
        n.renames.insert(
            format!("/payload/details/{}", walk::escape(&lower)),
            pointer,
        );
        taken.insert(lower.clone());
        renamed.insert(key.clone(), lower);
    }
    if !renamed.is_empty() {
        let old = std::mem::take(details);
        for (k, v) in old {
            match renamed.get(&k) {
                Some(lower) => details.insert(lower.clone(), v),
                None => details.insert(k, v),
            };
        }
    }
    for (leg_key, leg) in details.iter_mut() {
        let Some(leg) = leg.as_object_mut() else {
            continue;
        };
        // Only the fields a capitalised key may stand for are looked at: no copy of every key.
        let fields: Vec<String> = leg
            .keys()
            .filter(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
            .cloned()
            .collect();
        if fields.is_empty() {
            continue;
        }
        let written = n.original_pointer(&format!("/payload/details/{}", walk::escape(leg_key)));
        for field in fields {
            let Some(lower) = lowered(&field)
                .filter(|l| LEG_FIELDS.contains(&l.as_str()) && !leg.contains_key(l))
            else {
                continue;
            };
            let pointer = format!("{written}/{}", walk::escape(&field));
            n.note(Quirk {
                pointer: pointer.clone(),
                rule: &catalog::NORMALIZE_KEY_CASE,
                message: format!("leg field \"{field}\" read as \"{lower}\""),
            });
            rename(leg, &field, &lower);
            n.renames.insert(
                format!(
                    "/payload/details/{}/{}",
                    walk::escape(leg_key),
                    walk::escape(&lower)
                ),
                pointer,
            );
        }
    }
}

/// The legacy VCA shape: `callStatus` `DTMF_RECEIVED` with the digits in `payload.dtmf`,
/// rewritten to `ACTION_COMPLETED` with `eventData.dtmf` (one quirk, at `callStatus`).
fn legacy_vca(doc: &mut Value, n: &mut Normalized) {
    let Some(payload) = doc.get_mut("payload").and_then(Value::as_object_mut) else {
        return;
    };
    if payload.get("callStatus").and_then(Value::as_str) != Some("DTMF_RECEIVED") {
        return;
    }
    let moved = payload.contains_key("dtmf") && !payload.contains_key("eventData");
    n.note(Quirk {
        pointer: "/payload/callStatus".to_owned(),
        rule: &catalog::NORMALIZE_LEGACY_VCA,
        message: format!(
            "callStatus \"DTMF_RECEIVED\"{} is the older VCA shape of 8x8's IVR tutorials; read as \
             callStatus \"ACTION_COMPLETED\" with the digits in eventData.dtmf, as 8x8 sends it now",
            if moved { " with a top-level dtmf" } else { "" }
        ),
    });
    payload.insert(
        "callStatus".to_owned(),
        Value::String("ACTION_COMPLETED".to_owned()),
    );
    if moved && let Some(dtmf) = payload.remove("dtmf") {
        let mut data = Map::new();
        data.insert("dtmf".to_owned(), dtmf);
        payload.insert("eventData".to_owned(), Value::Object(data));
        n.renames.insert(
            "/payload/eventData/dtmf".to_owned(),
            "/payload/dtmf".to_owned(),
        );
    }
}

/// True when `v` holds anything a quirk rule could rewrite (a cheap superset test).
fn might_have_quirks(kind: Kind, v: &Value) -> bool {
    match v {
        Value::Object(map) => map.iter().any(|(k, x)| {
            (kind == Kind::Vss && k.starts_with(|c: char| c.is_ascii_uppercase()))
                || match x {
                    Value::String(s) => {
                        s == "null"
                            || s == "NO ANSWER"
                            || s == "CANCELLED"
                            || kind == Kind::Vca && s == "DTMF_RECEIVED"
                            || k == "errorCode"
                            || k == "callDuration"
                    }
                    other => might_have_quirks(kind, other),
                }
        }),
        Value::Array(items) => items.iter().any(|x| might_have_quirks(kind, x)),
        _ => false,
    }
}

/// The leg fields a capitalised key may stand for.
const LEG_FIELDS: &[&str] = &[
    "callId",
    "callDirection",
    "callType",
    "initiatedTimestamp",
    "connectedTimestamp",
    "disconnectedTimestamp",
    "source",
    "destination",
    "sourceFormat",
    "destinationFormat",
    "sourceCountryCode",
    "destinationCountryCode",
    "sourceRefId",
    "destinationRefId",
    "callStatus",
    "callDuration",
    "callQuality",
];

/// `Xyz` → `xyz`; `None` when the key already starts in lower case.
fn lowered(key: &str) -> Option<String> {
    let first = key.chars().next()?;
    first.is_ascii_uppercase().then(|| {
        let mut s = String::with_capacity(key.len());
        s.push(first.to_ascii_lowercase());
        s.push_str(&key[1..]);
        s
    })
}

/// Renames a member keeping its place in the object.
fn rename(map: &mut Map<String, Value>, from: &str, to: &str) {
    let old = std::mem::take(map);
    for (k, v) in old {
        if k == from {
            map.insert(to.to_owned(), v)
        } else {
            map.insert(k, v)
        };
    }
}

/// Finds the value-level deviations, then rewrites them.
fn rewrite_values(kind: Kind, doc: &mut Value, schema: &Value, n: &mut Normalized) {
    // Collect first (schema lookups read the whole document), then apply.
    let mut edits: Vec<(String, Edit)> = Vec::new();
    collect(kind, doc, schema, schema, "", &mut edits);
    for (ptr, edit) in edits {
        let written = n.original_pointer(&ptr);
        let (rule, message) = match &edit {
            Edit::Null { field, remove } => (
                &catalog::NORMALIZE_NULL_STRING,
                if *remove {
                    format!("\"{field}\": \"null\" (a string) read as an absent field")
                } else {
                    format!("\"{field}\": \"null\" (a string) read as null")
                },
            ),
            Edit::Number { field, text, .. } => (
                &catalog::NORMALIZE_NUMERIC_STRING,
                format!("\"{field}\": \"{text}\" (a string) read as the integer {text}"),
            ),
            Edit::Status { text, canonical } => (
                &catalog::NORMALIZE_STATUS_SPELLING,
                format!(
                    "\"{text}\" read as \"{canonical}\" ({})",
                    if *canonical == "NO_ANSWER" {
                        "8x8's Number Masking status table writes it with a space"
                    } else {
                        "8x8's API introduction spells it with two Ls; the payload pages write CANCELED"
                    }
                ),
            ),
        };
        n.note(Quirk {
            pointer: written,
            rule,
            message,
        });
        apply(doc, &ptr, edit);
    }
}

enum Edit {
    Null {
        field: String,
        remove: bool,
    },
    Number {
        field: String,
        text: String,
        value: i64,
    },
    Status {
        text: String,
        canonical: &'static str,
    },
}

fn collect(
    kind: Kind,
    value: &Value,
    root: &Value,
    schema: &Value,
    pointer: &str,
    edits: &mut Vec<(String, Edit)>,
) {
    match value {
        Value::Object(map) => {
            let required = walk::resolve(root, schema).get("required");
            for (k, v) in map {
                let ptr = format!("{pointer}/{}", walk::escape(k));
                let sub = walk::child(root, schema, value, k);
                match v {
                    Value::String(s) if s == "null" => {
                        if let Some(sub) = sub {
                            let is_required = required
                                .and_then(Value::as_array)
                                .is_some_and(|r| r.iter().any(|x| x == k.as_str()));
                            if walk::allows_null(root, sub) {
                                edits.push((
                                    ptr,
                                    Edit::Null {
                                        field: k.clone(),
                                        remove: false,
                                    },
                                ));
                            } else if !is_required
                                && walk::resolve(root, sub)
                                    .get("type")
                                    .is_some_and(|t| t == "string")
                            {
                                edits.push((
                                    ptr,
                                    Edit::Null {
                                        field: k.clone(),
                                        remove: true,
                                    },
                                ));
                            }
                        }
                    }
                    Value::String(s)
                        if (k == "errorCode" || kind == Kind::Vca && k == "callDuration")
                            && is_integer_text(s) =>
                    {
                        if let Ok(n) = s.trim().parse::<i64>() {
                            edits.push((
                                ptr,
                                Edit::Number {
                                    field: k.clone(),
                                    text: s.clone(),
                                    value: n,
                                },
                            ));
                        }
                    }
                    Value::String(s)
                        if matches!(s.as_str(), "NO ANSWER" | "CANCELLED")
                            && (k == "callStatus" || k == "sessionStatus") =>
                    {
                        let canonical = canonical_spelling(s).unwrap_or("NO_ANSWER");
                        edits.push((
                            ptr,
                            Edit::Status {
                                text: s.clone(),
                                canonical,
                            },
                        ));
                    }
                    Value::Object(_) | Value::Array(_) => {
                        if let Some(sub) = sub {
                            collect(kind, v, root, sub, &ptr, edits);
                        }
                    }
                    _ => {}
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if (v.is_object() || v.is_array())
                    && let Some(sub) = walk::child(root, schema, value, &i.to_string())
                {
                    collect(kind, v, root, sub, &format!("{pointer}/{i}"), edits);
                }
            }
        }
        _ => {}
    }
}

fn is_integer_text(s: &str) -> bool {
    let t = s.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit())
}

fn apply(doc: &mut Value, pointer: &str, edit: Edit) {
    let (parent, last) = match pointer.rfind('/') {
        Some(i) => (&pointer[..i], walk::unescape(&pointer[i + 1..])),
        None => return,
    };
    let Some(obj) = doc.pointer_mut(parent).and_then(Value::as_object_mut) else {
        return;
    };
    match edit {
        Edit::Null { remove: true, .. } => {
            obj.shift_remove(&last);
        }
        Edit::Null { remove: false, .. } => {
            obj.insert(last, Value::Null);
        }
        Edit::Number { value, .. } => {
            obj.insert(last, Value::from(value));
        }
        Edit::Status { canonical, .. } => {
            obj.insert(last, Value::from(canonical));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vss_schema() -> Value {
        json!({
            "type": "object",
            "properties": {"payload": {"type": "object", "properties": {
                "errorDetails": {"type": "object", "properties": {"errorCode": {}}},
                "details": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Leg"}}
            }}},
            "$defs": {"Leg": {"type": "object", "required": ["callId"], "properties": {
                "callId": {"type": "string"},
                "sourceRefId": {"type": "string"},
                "destinationRefId": {"type": ["string", "null"]},
                "callStatus": {"type": "string"}
            }}}
        })
    }

    #[test]
    fn voice_messaging_quirks_are_rewritten_with_original_pointers() {
        let mut doc = json!({"payload": {
            "errorDetails": {"errorCode": "-2004"},
            "details": {"CallA": {"callId": "x", "SourceRefId": "null", "destinationRefId": "null", "callStatus": "NO ANSWER"}}
        }});
        let n = normalize(Kind::Vss, &mut doc, &vss_schema());
        let got: Vec<(&str, &str)> = n
            .quirks
            .iter()
            .map(|q| (q.rule.id, q.pointer.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("normalize.key-case", "/payload/details/CallA"),
                ("normalize.key-case", "/payload/details/CallA/SourceRefId"),
                (
                    "normalize.numeric-string",
                    "/payload/errorDetails/errorCode"
                ),
                (
                    "normalize.null-string",
                    "/payload/details/CallA/SourceRefId"
                ),
                (
                    "normalize.null-string",
                    "/payload/details/CallA/destinationRefId"
                ),
                (
                    "normalize.status-spelling",
                    "/payload/details/CallA/callStatus"
                ),
            ]
        );
        assert_eq!(
            doc,
            json!({"payload": {
                "errorDetails": {"errorCode": -2004},
                "details": {"callA": {"callId": "x", "destinationRefId": null, "callStatus": "NO_ANSWER"}}
            }})
        );
        assert_eq!(
            n.original_pointer("/payload/details/callA/callId"),
            "/payload/details/CallA/callId"
        );
        assert_eq!(
            n.original_pointer("/payload/details/callAB"),
            "/payload/details/callAB"
        );
    }

    #[test]
    fn a_renamed_leg_is_read_under_its_canonical_key() {
        let mut doc = json!({"payload": {"details": {"CallA": {"callId": "x"}}}});
        let n = normalize(Kind::Vss, &mut doc, &vss_schema());
        assert_eq!(n.quirks.len(), 1);
        assert_eq!(
            doc,
            json!({"payload": {"details": {"callA": {"callId": "x"}}}})
        );
        assert_eq!(
            n.original_pointer("/payload/details/callA/callId"),
            "/payload/details/CallA/callId"
        );
    }

    #[test]
    fn canonical_documents_are_untouched() {
        let mut doc = json!({"payload": {"errorDetails": {"errorCode": -2004}, "details": {"callA": {"callId": "null"}}}});
        let before = doc.clone();
        let n = normalize(Kind::Vss, &mut doc, &vss_schema());
        assert!(n.quirks.is_empty(), "{:?}", n.quirks);
        assert_eq!(doc, before);
    }
}
