//! Walks a generated JSON Schema alongside a document: which subschema governs a value,
//! which properties an object may have, and which branch of a tagged `oneOf` applies.
//!
//! Only what schemars generates is needed: local `$ref`s, `properties`, `additionalProperties`,
//! `items`, `prefixItems`, `allOf`/`anyOf`/`oneOf`.

use serde_json::Value;

use crate::parse::View;

/// Follows local `$ref`s (`#/$defs/...`) until a schema without one; gives up after a few hops.
pub(crate) fn resolve<'s>(root: &'s Value, mut schema: &'s Value) -> &'s Value {
    for _ in 0..16 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                Some(target) => schema = target,
                None => return schema,
            },
            None => return schema,
        }
    }
    schema
}

/// The branches of a `oneOf`/`anyOf`, resolved.
fn branches<'s>(root: &'s Value, schema: &'s Value) -> impl Iterator<Item = &'s Value> {
    ["oneOf", "anyOf", "allOf"]
        .into_iter()
        .filter_map(|k| schema.get(k).and_then(Value::as_array))
        .flatten()
        .map(move |b| resolve(root, b))
}

/// The value a branch requires at `tag` (`const`, or a one-value `enum`).
pub(crate) fn tag_value<'s>(root: &'s Value, branch: &'s Value, tag: &str) -> Option<&'s Value> {
    let prop = resolve(root, branch.get("properties")?.get(tag)?);
    prop.get("const").or_else(|| {
        prop.get("enum")
            .and_then(Value::as_array)
            .filter(|e| e.len() == 1)
            .and_then(|e| e.first())
    })
}

/// For a `oneOf`/`anyOf` whose object branches all fix one property to a constant (a tagged union),
/// the tag property name and each branch with its tag value.
pub(crate) fn tagged_union<'s>(
    root: &'s Value,
    schema: &'s Value,
) -> Option<(&'s str, Vec<(&'s Value, &'s Value)>)> {
    let list = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))?
        .as_array()?;
    let first = resolve(root, list.first()?);
    let props = first.get("properties")?.as_object()?;
    'candidates: for name in props.keys() {
        let mut out = Vec::with_capacity(list.len());
        for b in list {
            let b = resolve(root, b);
            match tag_value(root, b, name) {
                Some(v) => out.push((v, b)),
                None => continue 'candidates,
            }
        }
        return Some((name.as_str(), out));
    }
    None
}

/// The branch of a tagged union that `instance` selects, if the instance carries a known tag.
pub(crate) fn select_branch<'s>(
    root: &'s Value,
    schema: &'s Value,
    instance: View<'_>,
) -> Option<&'s Value> {
    let (tag, list) = tagged_union(root, schema)?;
    let have = instance.get(tag)?;
    list.into_iter()
        .find(|(v, _)| have.eq_value(v))
        .map(|(_, b)| b)
}

/// True when `schema` is a tagged union, `instance` carries no tag it knows (an unknown action
/// such as `record`), and `key` is not the tag itself: no branch governs the member, so none
/// may be used to judge it (makeCall's fields are not the params of `record`).
fn is_untagged_member(root: &Value, schema: &Value, instance: View<'_>, key: &str) -> bool {
    let Some((tag, _)) = tagged_union(root, schema) else {
        return false;
    };
    instance.is_object() && key != tag
}

/// The subschema for the member `key` (an object property or an array index) of `instance`.
pub(crate) fn child<'s>(
    root: &'s Value,
    schema: &'s Value,
    instance: View<'_>,
    key: &str,
) -> Option<&'s Value> {
    let schema = resolve(root, schema);
    if let Some(b) = select_branch(root, schema, instance) {
        return child(root, b, instance, key);
    }
    if is_untagged_member(root, schema, instance, key) {
        return None;
    }
    if instance.is_array() {
        let index: usize = key.parse().ok()?;
        if let Some(s) = schema
            .get("prefixItems")
            .and_then(Value::as_array)
            .and_then(|p| p.get(index))
        {
            return Some(resolve(root, s));
        }
        if let Some(items) = schema.get("items").filter(|i| i.is_object()) {
            return Some(resolve(root, items));
        }
    } else {
        if let Some(p) = schema.get("properties").and_then(|p| p.get(key)) {
            return Some(resolve(root, p));
        }
        if let Some(a) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            return Some(resolve(root, a));
        }
    }
    branches(root, schema).find_map(|b| child(root, b, instance, key))
}

/// The property names an object governed by `schema` declares, or `None` when it takes any
/// (a map such as `details`, or a schema without `properties`).
pub(crate) fn known_properties<'s>(
    root: &'s Value,
    schema: &'s Value,
    instance: View<'_>,
) -> Option<Vec<&'s str>> {
    let schema = resolve(root, schema);
    if let Some(b) = select_branch(root, schema, instance) {
        return known_properties(root, b, instance);
    }
    if schema
        .get("additionalProperties")
        .is_some_and(Value::is_object)
    {
        return None;
    }
    let mut names: Vec<&str> = Vec::new();
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        names.extend(p.keys().map(String::as_str));
    }
    for b in branches(root, schema) {
        if let Some(more) = known_properties(root, b, instance) {
            names.extend(more);
        }
    }
    if names.is_empty() { None } else { Some(names) }
}

/// True when the schema (after `$ref`s) admits `null`.
pub(crate) fn allows_null(root: &Value, schema: &Value) -> bool {
    let schema = resolve(root, schema);
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
        _ => branches(root, schema).any(|b| allows_null(root, b)),
    }
}

/// Decodes one RFC 6901 reference token.
pub(crate) fn unescape(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_owned()
    }
}

/// Encodes one RFC 6901 reference token.
pub(crate) fn escape(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The subschema at a pointer into `instance` (members may be missing).
    fn at_pointer<'s>(root: &'s Value, instance: &Value, pointer: &str) -> Option<&'s Value> {
        let doc = crate::parse::Doc::from_value(instance);
        let null = crate::parse::Doc::from_value(&Value::Null);
        let mut schema = resolve(root, root);
        let mut value = doc.root();
        for raw in pointer.split('/').skip(1) {
            let key = unescape(raw);
            schema = child(root, schema, value, &key)?;
            value = match value.kind() {
                crate::parse::Type::Object => value.get(&key),
                crate::parse::Type::Array => value.index(key.parse::<usize>().ok()?),
                _ => None,
            }
            .unwrap_or(null.root());
        }
        Some(schema)
    }

    fn view(v: &Value) -> crate::parse::Doc {
        crate::parse::Doc::from_value(v)
    }

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "callflow": {"type": "array", "items": {"$ref": "#/$defs/Action"}},
                "details": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Leg"}},
                "ref": {"type": ["string", "null"]}
            },
            "$defs": {
                "Leg": {"type": "object", "properties": {"callId": {"type": "string"}}},
                "Action": {"oneOf": [
                    {"type": "object", "properties": {"action": {"const": "say"}, "params": {"$ref": "#/$defs/Say"}}},
                    {"type": "object", "properties": {"action": {"const": "hangup"}}}
                ]},
                "Say": {"type": "object", "properties": {"text": {"type": "string"}}}
            }
        })
    }

    #[test]
    fn follows_refs_maps_arrays_and_tagged_branches() {
        let s = schema();
        let doc = json!({"callflow": [{"action": "say", "params": {"text": "hi"}}], "details": {"CallA": {}}});
        let text = at_pointer(&s, &doc, "/callflow/0/params/text").unwrap();
        assert_eq!(text, &json!({"type": "string"}));
        assert!(at_pointer(&s, &doc, "/details/CallA/callId").is_some());
        let params = at_pointer(&s, &doc, "/callflow/0/params").unwrap();
        assert_eq!(
            known_properties(&s, params, view(&json!({})).root()).unwrap(),
            vec!["text"]
        );
        let action = at_pointer(&s, &doc, "/callflow/0").unwrap();
        assert_eq!(
            known_properties(&s, action, view(&doc["callflow"][0]).root()).unwrap(),
            vec!["action", "params"]
        );
        assert_eq!(
            known_properties(
                &s,
                at_pointer(&s, &doc, "/details").unwrap(),
                view(&doc["details"]).root()
            ),
            None
        );
    }

    #[test]
    fn nullability_and_escapes() {
        let s = schema();
        assert!(allows_null(&s, &s["properties"]["ref"]));
        assert!(!allows_null(&s, &s["properties"]["callflow"]));
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }
}
