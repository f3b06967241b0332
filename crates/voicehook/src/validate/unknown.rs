//! Unknown fields in the documents a developer sends (callflow, vca-reply, webhook-create):
//! 8x8 ignores them, so a misspelt optional field silently does nothing. Each becomes a warning
//! with the closest known name.

use serde_json::Value;

use super::walk;

/// Field names the pages themselves use for another name, mapped to the right one.
const RENAMED: &[(&str, &str)] = &[("active", "enabled")];

/// `(pointer, message)` for every member the schema does not declare.
pub(crate) fn unknown_fields(root: &Value, doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    visit(
        root,
        walk::resolve(root, root),
        doc,
        String::new(),
        &mut out,
    );
    out
}

fn visit(
    root: &Value,
    schema: &Value,
    value: &Value,
    pointer: String,
    out: &mut Vec<(String, String)>,
) {
    match value {
        Value::Object(map) => {
            let known = walk::known_properties(root, schema, value);
            for (key, child) in map {
                let ptr = format!("{pointer}/{}", walk::escape(key));
                if let Some(known) = &known
                    && !known.contains(&key.as_str())
                {
                    let hint = RENAMED
                        .iter()
                        .find(|(from, _)| from == key)
                        .map(|(_, to)| *to)
                        .filter(|to| known.contains(to))
                        .or_else(|| super::did_you_mean(key, known.iter().copied()));
                    let mut message = format!("unknown field `{key}`: 8x8 ignores it");
                    match hint {
                        Some(h) => message.push_str(&format!(" (did you mean `{h}`?)")),
                        None => {
                            message.push_str(&format!("; known fields here: {}", known.join(", ")))
                        }
                    }
                    out.push((ptr, message));
                    continue;
                }
                if let Some(sub) = walk::child(root, schema, value, key) {
                    visit(root, sub, child, ptr, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(sub) = walk::child(root, schema, value, &i.to_string()) {
                    visit(root, sub, item, format!("{pointer}/{i}"), out);
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
        let got = unknown_fields(&schema, &doc);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "/active");
        assert!(got[0].1.contains("did you mean `enabled`"), "{}", got[0].1);
        assert_eq!(got[1].0, "/callflow/0/parms");
        assert!(got[1].1.contains("did you mean `params`"), "{}", got[1].1);
    }
}
