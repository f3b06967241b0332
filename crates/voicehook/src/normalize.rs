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

use serde_json::Value;

use crate::parse::doc::Rewrite;
use crate::parse::{Doc, Type, View};
use crate::validate::compiled::{self, Compiled};
use crate::validate::walk;
use crate::{Finding, Kind, catalog};

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

/// The outcome of normalizing one document.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    /// Every deviation found, in document order (at most [`MAX_QUIRKS`]).
    pub quirks: Vec<Finding>,
    /// Deviations found past [`MAX_QUIRKS`]: rewritten all the same, but not listed.
    pub dropped: usize,
    /// The rewritten document, when anything was rewritten (over the same source text).
    pub doc: Option<Doc>,
    /// Renamed object members: (pointer after normalization, pointer as written).
    renames: HashMap<String, String>,
}

impl Normalized {
    /// Records a quirk, or only counts it past [`MAX_QUIRKS`].
    fn note(&mut self, quirk: Finding) {
        if self.quirks.len() < MAX_QUIRKS {
            self.quirks.push(quirk);
        } else {
            self.dropped += 1;
        }
    }

    /// [`original_pointer`](Self::original_pointer) of a pointer the caller owns (kept as it is
    /// when nothing was renamed).
    pub(crate) fn written(&self, pointer: String) -> String {
        if self.renames.is_empty() {
            pointer
        } else {
            self.original_pointer(&pointer)
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

/// Finds the documented deviations in `doc` and rewrites them into [`Normalized::doc`] (in both
/// modes: the mode only decides how the findings are reported).
pub fn normalize(kind: Kind, doc: View<'_>, schema: &Value) -> Normalized {
    let mut n = Normalized::default();
    // Almost every document has no quirk: a plain scan says so without the schema-guided walk.
    if !might_have_quirks(kind, doc) {
        return n;
    }
    // Names first (the value rewrites are found in the renamed document, by the schema).
    let mut edits = HashMap::new();
    if kind == Kind::Vss {
        leg_key_case(doc, &mut n, &mut edits);
    }
    if kind == Kind::Vca {
        legacy_vca(doc, &mut n, &mut edits);
    }
    let renamed = (!edits.is_empty()).then(|| doc.doc().rewrite(&edits));
    let doc = renamed.as_ref().map_or(doc, Doc::root);
    let own;
    let schema = if std::ptr::eq(schema, crate::schema::schema(kind)) {
        compiled::for_kind(kind)
    } else {
        own = Compiled::new(schema);
        &own
    };
    let edits = rewrite_values(kind, doc, schema, &mut n);
    n.doc = if edits.is_empty() {
        renamed
    } else {
        Some(doc.doc().rewrite(&edits))
    };
    n
}

fn leg_key_case(doc: View<'_>, n: &mut Normalized, edits: &mut HashMap<u32, Rewrite>) {
    let Some(details) = doc.pointer("/payload/details").filter(|d| d.is_object()) else {
        return;
    };
    // Leg keys first, all at once.
    let mut renamed: HashMap<&str, String> = HashMap::new();
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (key, leg) in details.members() {
        let Some(lower) = lowered(key).filter(|l| {
            l.starts_with("call") && l.len() > 4 && details.get(l).is_none() && !taken.contains(l)
        }) else {
            continue;
        };
        let pointer = format!("/payload/details/{}", walk::escape(key));
        n.note(
            Finding::new(
                pointer.clone(),
                &catalog::NORMALIZE_KEY_CASE,
                format!(
                    "leg key \"{key}\" read as \"{lower}\" (8x8 writes leg keys in lower camelCase)"
                ),
            )
            .spanning(key_span(leg)),
        );
        n.renames.insert(
            format!("/payload/details/{}", walk::escape(&lower)),
            pointer,
        );
        taken.insert(lower.clone());
        edits.insert(leg.id() - 1, Rewrite::Rename(lower.clone()));
        renamed.insert(key, lower);
    }
    for (key, leg) in details.members() {
        if !leg.is_object() {
            continue;
        }
        let leg_key = renamed.get(key).map_or(key, String::as_str);
        let mut written = None;
        for (field, value) in leg.members() {
            if !field.starts_with(|c: char| c.is_ascii_uppercase()) {
                continue;
            }
            let Some(lower) = lowered(field).filter(|l| LEG_FIELDS.contains(&l.as_str())) else {
                continue;
            };
            let written = written.get_or_insert_with(|| {
                n.original_pointer(&format!("/payload/details/{}", walk::escape(leg_key)))
            });
            let pointer = format!("{written}/{}", walk::escape(field));
            if leg.get(&lower).is_some() {
                // Both spellings: the canonical one is read; say that the other is not.
                n.note(
                    Finding::new(
                        pointer,
                        &catalog::NORMALIZE_KEY_CASE,
                        format!(
                            "leg field \"{field}\" is not read: the leg also has \"{lower}\", which is"
                        ),
                    )
                    .spanning(key_span(value)),
                );
                continue;
            }
            n.note(
                Finding::new(
                    pointer.clone(),
                    &catalog::NORMALIZE_KEY_CASE,
                    format!("leg field \"{field}\" read as \"{lower}\""),
                )
                .spanning(key_span(value)),
            );
            n.renames.insert(
                format!(
                    "/payload/details/{}/{}",
                    walk::escape(leg_key),
                    walk::escape(&lower)
                ),
                pointer,
            );
            edits.insert(value.id() - 1, Rewrite::Rename(lower));
        }
    }
}

/// The legacy VCA shape: `callStatus` `DTMF_RECEIVED` with the digits in `payload.dtmf`,
/// rewritten to `ACTION_COMPLETED` with `eventData.dtmf` (one quirk, at `callStatus`).
fn legacy_vca(doc: View<'_>, n: &mut Normalized, edits: &mut HashMap<u32, Rewrite>) {
    let Some(payload) = doc.get("payload").filter(|p| p.is_object()) else {
        return;
    };
    let Some(status) = payload
        .get("callStatus")
        .filter(|s| s.as_str() == Some("DTMF_RECEIVED"))
    else {
        return;
    };
    let dtmf = payload
        .get("dtmf")
        .filter(|_| payload.get("eventData").is_none());
    n.note(
        Finding::new(
            "/payload/callStatus",
            &catalog::NORMALIZE_LEGACY_VCA,
            format!(
                "callStatus \"DTMF_RECEIVED\"{} is the older VCA shape of 8x8's IVR tutorials; read as \
                 callStatus \"ACTION_COMPLETED\" with the digits in eventData.dtmf, as 8x8 sends it now",
                if dtmf.is_some() { " with a top-level dtmf" } else { "" }
            ),
        )
        .spanning(status.span()),
    );
    edits.insert(status.id(), Rewrite::Text("ACTION_COMPLETED".to_owned()));
    if let Some(dtmf) = dtmf {
        edits.insert(dtmf.id() - 1, Rewrite::Rename("eventData".to_owned()));
        edits.insert(dtmf.id(), Rewrite::Wrap("dtmf".to_owned()));
        n.renames.insert(
            "/payload/eventData/dtmf".to_owned(),
            "/payload/dtmf".to_owned(),
        );
    }
}

/// True when `v` holds anything a quirk rule could rewrite (a cheap superset test).
fn might_have_quirks(kind: Kind, v: View<'_>) -> bool {
    match v.kind() {
        Type::Object => v.members().any(|(k, x)| {
            (kind == Kind::Vss && k.starts_with(|c: char| c.is_ascii_uppercase()))
                || match x.as_str() {
                    // by length first: most strings have none of these lengths
                    Some(s) => {
                        (match s.len() {
                            4 => s == "null",
                            9 => s == "NO ANSWER" || s == "CANCELLED",
                            13 => kind == Kind::Vca && s == "DTMF_RECEIVED",
                            _ => false,
                        }) || k == "errorCode"
                            || k == "callDuration"
                    }
                    None => might_have_quirks(kind, x),
                }
        }),
        Type::Array => v.items().any(|x| might_have_quirks(kind, x)),
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

/// The span of the member name of `value` (the entry before a member's value is its name).
fn key_span(value: View<'_>) -> std::ops::Range<usize> {
    let span = value.doc().span_of(value.id() - 1);
    span.start..span.end
}

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

/// Finds the value-level deviations; returns the rewrites they make.
fn rewrite_values(
    kind: Kind,
    doc: View<'_>,
    schema: &Compiled<'_>,
    n: &mut Normalized,
) -> HashMap<u32, Rewrite> {
    let mut found: Vec<(String, Edit, u32)> = Vec::new();
    collect(kind, doc, schema, schema.root_node(), "", &mut found);
    let mut edits = HashMap::with_capacity(found.len());
    for (ptr, edit, at) in found {
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
        // A member removed for its "null" is edited at its name; the finding is at its value.
        let value = match edit {
            Edit::Null { remove: true, .. } => at + 1,
            _ => at,
        };
        let span = doc.doc().span_of(value);
        n.note(Finding::new(written, rule, message).spanning(span.start..span.end));
        let rewrite = match edit {
            Edit::Null { remove: true, .. } => Rewrite::Remove,
            Edit::Null { remove: false, .. } => Rewrite::Null,
            Edit::Number { value, .. } => Rewrite::Number(value.to_string()),
            Edit::Status { canonical, .. } => Rewrite::Text(canonical.to_owned()),
        };
        edits.insert(at, rewrite);
    }
    edits
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

/// Each deviation below `value` (governed by `schema`): its pointer, what it is, and the entry
/// the rewrite applies to (a removed member's key, otherwise the value).
fn collect(
    kind: Kind,
    value: View<'_>,
    schema: &Compiled<'_>,
    at: usize,
    pointer: &str,
    edits: &mut Vec<(String, Edit, u32)>,
) {
    match value.kind() {
        Type::Object => {
            let required = schema.required(at);
            for (k, v) in value.members() {
                let ptr = || format!("{pointer}/{}", walk::escape(k));
                let sub = schema.child(at, value, k);
                match v.as_str() {
                    Some("null") => {
                        if let Some(sub) = sub {
                            let is_required = required.contains(&k);
                            if schema.allows_null(sub) {
                                edits.push((
                                    ptr(),
                                    Edit::Null {
                                        field: k.to_owned(),
                                        remove: false,
                                    },
                                    v.id(),
                                ));
                            } else if !is_required && schema.is_string_type(sub) {
                                edits.push((
                                    ptr(),
                                    Edit::Null {
                                        field: k.to_owned(),
                                        remove: true,
                                    },
                                    v.id() - 1,
                                ));
                            }
                        }
                    }
                    Some(s)
                        if (k == "errorCode" || kind == Kind::Vca && k == "callDuration")
                            && is_integer_text(s) =>
                    {
                        if let Ok(n) = s.trim().parse::<i64>() {
                            edits.push((
                                ptr(),
                                Edit::Number {
                                    field: k.to_owned(),
                                    text: s.to_owned(),
                                    value: n,
                                },
                                v.id(),
                            ));
                        }
                    }
                    Some(s)
                        if matches!(s, "NO ANSWER" | "CANCELLED")
                            && (k == "callStatus" || k == "sessionStatus") =>
                    {
                        let canonical = canonical_spelling(s).unwrap_or("NO_ANSWER");
                        edits.push((
                            ptr(),
                            Edit::Status {
                                text: s.to_owned(),
                                canonical,
                            },
                            v.id(),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        if (v.is_object() || v.is_array())
                            && let Some(sub) = sub
                        {
                            collect(kind, v, schema, sub, &ptr(), edits);
                        }
                    }
                }
            }
        }
        Type::Array => {
            for (i, v) in value.items().enumerate() {
                if (v.is_object() || v.is_array())
                    && let Some(sub) = schema.child(at, value, &i.to_string())
                {
                    collect(kind, v, schema, sub, &format!("{pointer}/{i}"), edits);
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

    /// Normalizes `doc`; returns the findings and the document as read.
    fn run(doc: &Value) -> (Normalized, Value) {
        let tape = Doc::from_value(doc);
        let n = normalize(Kind::Vss, tape.root(), &vss_schema());
        let read = n.doc.as_ref().unwrap_or(&tape).root().to_value();
        (n, read)
    }

    #[test]
    fn voice_messaging_quirks_are_rewritten_with_original_pointers() {
        let doc = json!({"payload": {
            "errorDetails": {"errorCode": "-2004"},
            "details": {"CallA": {"callId": "x", "SourceRefId": "null", "destinationRefId": "null", "callStatus": "NO ANSWER"}}
        }});
        let (n, doc) = run(&doc);
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
    fn a_capitalised_field_beside_its_canonical_spelling_is_named_not_read() {
        let (n, doc) = run(&json!({"payload": {"details": {"callA": {
            "callId": "x", "SourceRefId": "a", "sourceRefId": "b"}}}}));
        let got: Vec<(&str, &str)> = n
            .quirks
            .iter()
            .map(|q| (q.pointer.as_str(), q.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [(
                "/payload/details/callA/SourceRefId",
                "leg field \"SourceRefId\" is not read: the leg also has \"sourceRefId\", which is"
            )]
        );
        assert_eq!(doc["payload"]["details"]["callA"]["sourceRefId"], "b");
    }

    #[test]
    fn a_renamed_leg_is_read_under_its_canonical_key() {
        let (n, doc) = run(&json!({"payload": {"details": {"CallA": {"callId": "x"}}}}));
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
        let before = json!({"payload": {"errorDetails": {"errorCode": -2004}, "details": {"callA": {"callId": "null"}}}});
        let (n, doc) = run(&before);
        assert!(n.quirks.is_empty(), "{:?}", n.quirks);
        assert!(n.doc.is_none());
        assert_eq!(doc, before);
    }
}
