//! Unknown fields in the documents a developer sends (callflow, vca-reply, webhook-create):
//! 8x8 ignores them, so a misspelt optional field silently does nothing. Each becomes a warning
//! with the closest known name.

use super::compiled::Compiled;
use crate::parse::{Type, View};
use crate::{Finding, catalog};

/// Field names the pages themselves use for another name, mapped to the right one.
const RENAMED: &[(&str, &str)] = &[("active", "enabled")];

/// A `schema.unknown-field` finding for every member the schema does not declare.
pub(crate) fn unknown_fields(schema: &Compiled<'_>, doc: View<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    schema.governed(doc, &mut |at, value, pointer| {
        if !value.is_object() {
            return;
        }
        // A name the governing node declares is known; the full list of known names (its
        // branches' too) is gathered only for a name it does not declare.
        let node = &schema.nodes[schema.effective(at, value)];
        let mut known: Option<Option<Vec<&str>>> = None;
        for (key, member) in value.members() {
            if node.property_index(key).is_some() {
                continue;
            }
            let Some(known) = known.get_or_insert_with(|| schema.known_properties(at, value))
            else {
                return;
            };
            if known.contains(&key) {
                continue;
            }
            let mut member_at = format!("{pointer}/");
            crate::parse::push_escaped(&mut member_at, key);
            out.push(
                Finding::new(
                    member_at,
                    &catalog::SCHEMA_UNKNOWN_FIELD,
                    unknown_field(key, known),
                )
                .spanning(member.span()),
            );
        }
    });
    out
}

/// The message for the unknown member `key` of an object whose members are `known`.
fn unknown_field(key: &str, known: &[&str]) -> String {
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
        None => message.push_str(&format!("; known fields here: {}", known.join(", "))),
    }
    message
}

/// Timestamps the pattern accepts but the calendar does not (`2026-02-30T08:29:29Z`): the
/// pattern cannot count the days of each month, and code typed from the schema (a date-time
/// parser) cannot read them, so they break the contract like a pattern error. `(pointer,
/// message)` of each, for the `schema.format` rule.
pub(crate) fn impossible_dates(schema: &Compiled<'_>, doc: View<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // The schema-guided walk only for the rare document that holds such a string at all.
    if !any_string(doc, &impossible) {
        return out;
    }
    schema.governed(doc, &mut |at, value, pointer| {
        if let Some(text) = value.as_str()
            && out.len() < crate::DEFAULT_MAX_FINDINGS
            && impossible(text)
            && schema.has_pattern(at, crate::models::common::TIMESTAMP_PATTERN)
        {
            let name = pointer.rsplit('/').next().unwrap_or_default();
            out.push(
                Finding::new(
                    pointer,
                    &catalog::SCHEMA_FORMAT,
                    format!(
                        "{name} must be a date and time that exists, got {text:?}: the month has no such day"
                    ),
                )
                .spanning(value.span()),
            );
        }
    });
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
        assert_eq!(got[0].pointer, "/active");
        assert!(
            got[0].message.contains("did you mean `enabled`"),
            "{}",
            got[0].message
        );
        assert_eq!(got[1].pointer, "/callflow/0/parms");
        assert!(
            got[1].message.contains("did you mean `params`"),
            "{}",
            got[1].message
        );
    }
}
