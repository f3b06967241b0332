//! Reads a generated JSON Schema: local `$ref`s, tagged unions (a `oneOf` whose branches each fix
//! one property to a constant), and RFC 6901 pointer tokens. The schema-guided walks over a
//! document use the compiled schema ([`super::compact::Compiled`]); the messages read the schema
//! itself through these.

use serde_json::Value;

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

/// Decodes one RFC 6901 reference token.
pub(crate) fn unescape(token: &str) -> String {
    // The parser's one reading of a token; a malformed escape stays as written.
    crate::parse::doc::unescape(token)
        .map_or_else(|| token.to_owned(), std::borrow::Cow::into_owned)
}

/// Encodes one RFC 6901 reference token.
pub(crate) fn escape(token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    crate::parse::push_escaped(&mut escaped, token);
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }
}
