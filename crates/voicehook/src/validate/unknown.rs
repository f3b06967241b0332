//! Unknown fields in the documents a developer sends (callflow, vca-reply, webhook-create):
//! 8x8 ignores them, so a misspelt optional field silently does nothing. Each becomes a warning
//! with the closest known name.

use super::compiled::Compiled;
use super::walk;
use crate::parse::{Type, View};

/// Field names the pages themselves use for another name, mapped to the right one.
const RENAMED: &[(&str, &str)] = &[("active", "enabled")];

/// `(pointer, message)` for every member the schema does not declare.
pub(crate) fn unknown_fields(schema: &Compiled<'_>, doc: View<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    visit(schema, schema.root_node(), doc, String::new(), &mut out);
    out
}

fn visit(
    schema: &Compiled<'_>,
    at: usize,
    value: View<'_>,
    pointer: String,
    out: &mut Vec<(String, String)>,
) {
    match value.kind() {
        Type::Object => {
            let known = schema.known_properties(at, value);
            for (key, child) in value.members() {
                let ptr = format!("{pointer}/{}", walk::escape(key));
                if let Some(known) = &known
                    && !known.contains(&key)
                {
                    let hint = RENAMED
                        .iter()
                        .find(|(from, _)| *from == key)
                        .map(|(_, to)| *to)
                        .filter(|to| known.contains(to))
                        .or_else(|| crate::words::did_you_mean(key, known.iter().copied()));
                    // A key of megabytes is named by its start, not copied into the message.
                    let mut shown: String = key.chars().take(60).collect();
                    if shown.len() < key.len() {
                        shown.push('…');
                    }
                    let mut message = format!("unknown field `{shown}`: 8x8 ignores it");
                    match hint {
                        Some(h) => message.push_str(&format!(" (did you mean `{h}`?)")),
                        None => {
                            message.push_str(&format!("; known fields here: {}", known.join(", ")))
                        }
                    }
                    out.push((ptr, message));
                    continue;
                }
                if let Some(sub) = schema.child(at, value, key) {
                    visit(schema, sub, child, ptr, out);
                }
            }
        }
        Type::Array => {
            for (i, item) in value.items().enumerate() {
                if let Some(sub) = schema.child(at, value, &i.to_string()) {
                    visit(schema, sub, item, format!("{pointer}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Timestamps the pattern accepts but the calendar does not (`2026-02-30T08:29:29Z`): the
/// pattern cannot count the days of each month, and code typed from the schema (a date-time
/// parser) cannot read them, so they break the contract like a pattern error. `(pointer,
/// message)` of each, for the `schema.format` rule.
pub(crate) fn impossible_dates(schema: &Compiled<'_>, doc: View<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // The schema-guided walk only for the rare document that holds such a string at all.
    if any_string(doc, &impossible) {
        dates(schema, schema.root_node(), doc, String::new(), &mut out);
    }
    out
}

/// A timestamp's shape on a day the calendar lacks.
fn impossible(text: &str) -> bool {
    crate::models::common::Pattern::Timestamp.is_match(text)
        && crate::time::Instant::parse(text).is_none()
}

/// Whether some string in `value` satisfies `test`.
fn any_string(value: View<'_>, test: &dyn Fn(&str) -> bool) -> bool {
    match value.kind() {
        Type::String => value.as_str().is_some_and(test),
        Type::Array => value.items().any(|v| any_string(v, test)),
        Type::Object => value.members().any(|(_, v)| any_string(v, test)),
        _ => false,
    }
}

fn dates(
    schema: &Compiled<'_>,
    at: usize,
    value: View<'_>,
    pointer: String,
    out: &mut Vec<(String, String)>,
) {
    match value.kind() {
        Type::String
            if out.len() < crate::DEFAULT_MAX_FINDINGS
                && value.as_str().is_some_and(impossible)
                && schema.has_pattern(at, crate::models::common::TIMESTAMP_PATTERN) =>
        {
            let text = value.as_str().unwrap_or_default();
            let name = pointer.rsplit('/').next().unwrap_or_default().to_owned();
            out.push((
                pointer,
                format!(
                    "{name} must be a date and time that exists, got {text:?}: the month has no such day"
                ),
            ));
        }
        Type::Object => {
            for (key, child) in value.members() {
                if let Some(sub) = schema.child(at, value, key) {
                    dates(
                        schema,
                        sub,
                        child,
                        format!("{pointer}/{}", walk::escape(key)),
                        out,
                    );
                }
            }
        }
        Type::Array => {
            for (i, item) in value.items().enumerate() {
                if let Some(sub) = schema.child(at, value, &i.to_string()) {
                    dates(schema, sub, item, format!("{pointer}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typos_and_renamed_fields_get_a_hint() {
        let schema = json!({"type": "object", "properties": {
            "type": {}, "url": {}, "enabled": {}, "httpAuthHeader": {},
            "callflow": {"items": {"type": "object", "properties": {"action": {}, "params": {}}}}}});
        let doc = json!({"type": "VSS", "url": "u", "active": true, "callflow": [{"action": "x", "parms": {}}]});
        let doc = crate::parse::Doc::from_value(&doc);
        let got = unknown_fields(&Compiled::new(&schema), doc.root());
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "/active");
        assert!(got[0].1.contains("did you mean `enabled`"), "{}", got[0].1);
        assert_eq!(got[1].0, "/callflow/0/parms");
        assert!(got[1].1.contains("did you mean `params`"), "{}", got[1].1);
    }
}
