//! A compact JSON Schema interpreter for the keywords voicehook's generated schemas use
//! (`$ref`, `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`,
//! `pattern`, `minimum`/`maximum` and their exclusive forms, `minLength`/`maxLength`,
//! `minItems`/`maxItems`, `allOf`/`anyOf`/`oneOf`, `if`/`then`/`else`).
//!
//! It is the one validator at run time, natively and in WebAssembly alike: the `jsonschema`
//! crate would be half of the WebAssembly module, and it works out every error of every
//! `oneOf` branch eagerly (a callflow of a million non-actions took it 3 GB), where this
//! interpreter stops collecting at the report's cap. The `jsonschema` crate stays as an
//! independent oracle in the tests: they require identical errors on every fixture, and a test
//! fails if a schema ever uses a keyword this interpreter does not know.

use crate::catalog;

use serde_json::Value;

use super::compiled::{Compiled, type_bit};
use super::messages::{Problem, push};
use crate::Finding;
use crate::parse::{Type, View};

/// Keywords this interpreter evaluates, plus annotations it may ignore.
#[cfg(test)]
const KNOWN_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "allOf",
    "anyOf",
    "oneOf",
    "if",
    "then",
    "else",
    // annotations
    "$schema",
    "$id",
    "$defs",
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Every error of `doc` against the compiled schema, up to `limit` of them (validation stops
/// collecting there, so hostile documents cost linear time and bounded memory).
pub(crate) fn validate_compiled(
    schema: &Compiled<'_>,
    doc: View<'_>,
    limit: usize,
    out: &mut Vec<Finding>,
) {
    errors(schema, 0, doc, &mut String::new(), false, limit, out);
}

/// Every error of `doc` against the root schema `root` (compiled for this call).
#[cfg(test)]
pub(crate) fn validate(root: &Value, doc: View<'_>, limit: usize, out: &mut Vec<Finding>) {
    validate_compiled(&Compiled::new(root), doc, limit, out);
}

/// Every error of `instance` (at `pointer`) against node `at` of `schema`. With `quick`, only
/// whether there is one: it stops at the first and words nothing (branch selection). `pointer`
/// is one buffer for the whole walk: a member's segment is added for its check and taken off
/// after, so no pointer is allocated until there is something to report.
fn errors(
    schema: &Compiled<'_>,
    at: usize,
    instance: View<'_>,
    pointer: &mut String,
    quick: bool,
    limit: usize,
    out: &mut Vec<Finding>,
) {
    if out.len() >= limit {
        return;
    }
    let Some(node) = schema.nodes.get(at) else {
        return;
    };
    let root = schema.root;
    let Some(source) = node.source.filter(|_| node.object) else {
        if node.never {
            out.push(
                Finding::new(
                    pointer.as_str(),
                    &catalog::SCHEMA_FALSE,
                    format!(
                        "{} is not allowed here",
                        super::messages::field_name(pointer)
                    ),
                )
                .spanning(instance.span()),
            );
        }
        return;
    };
    let branch = |b: &Value, i: View<'_>, p: &str, o: &mut Vec<Finding>| match schema.find(b) {
        Some(n) => errors(schema, n, i, &mut p.to_owned(), false, limit, o),
        None => validate_compiled(&Compiled::new(b), i, limit, o),
    };
    let problem = |p: Problem<'_>, keyword: &str, pointer: &str, out: &mut Vec<Finding>| {
        if quick {
            out.push(Finding::new(
                String::new(),
                &catalog::SCHEMA_FALSE,
                String::new(),
            ));
        } else {
            push(root, p, keyword, instance, pointer, &branch, out);
        }
    };
    let stop = |out: &Vec<Finding>| quick && !out.is_empty() || out.len() >= limit;

    if let Some(target) = node.reference {
        errors(schema, target, instance, pointer, quick, limit, out);
        if stop(out) {
            return;
        }
    }
    if let Some(types) = &node.types
        && !has_type(instance, node.type_mask)
    {
        problem(Problem::Type(types), "type", pointer, out);
    }
    if let Some(options) = node.enumeration
        && !options
            .as_array()
            .is_some_and(|o| o.iter().any(|v| same(v, instance)))
    {
        problem(Problem::Enum(&node.enum_words), "enum", pointer, out);
    }
    if let Some(expected) = node.constant
        && !same(expected, instance)
    {
        problem(Problem::Const(expected), "const", pointer, out);
    }
    match instance.kind() {
        Type::Object => {
            // A quick check fails at once on a missing property. A full one counts the
            // required members while it walks them, and looks names up only when some are
            // missing; those findings go before the members' (where checking them first would
            // have put them), so that a report cut at the cap keeps them.
            let missing = |pointer: &str, out: &mut Vec<Finding>| {
                for name in &node.required {
                    if instance.get(name).is_none() {
                        problem(Problem::Required(name), "required", pointer, out);
                    }
                }
            };
            if quick {
                missing(pointer, out);
                if stop(out) {
                    return;
                }
            }
            let first = out.len();
            let mut required_seen = 0;
            let mut cut = false;
            for (key, value) in instance.members() {
                let index = node.property_index(key);
                if let Some(i) = index {
                    required_seen += usize::from(node.property_required[i]);
                }
                let sub = index.map(|i| node.properties[i].1).or(node.additional);
                if let Some(sub) = sub {
                    let len = pointer.len();
                    if !quick {
                        pointer.push('/');
                        crate::parse::push_escaped(pointer, key);
                    }
                    errors(schema, sub, value, pointer, quick, limit, out);
                    pointer.truncate(len);
                    if stop(out) {
                        cut = true;
                        break;
                    }
                }
            }
            if !quick && (cut || required_seen < node.required.len()) {
                let mut absent = Vec::new();
                missing(pointer, &mut absent);
                if !absent.is_empty() {
                    out.splice(first..first, absent);
                    out.truncate(limit.max(first));
                }
            }
            if stop(out) {
                return;
            }
        }
        Type::Array => {
            if let Some(sub) = node.items {
                for (i, item) in instance.items().enumerate() {
                    let len = pointer.len();
                    if !quick {
                        use std::fmt::Write;
                        let _ = write!(pointer, "/{i}");
                    }
                    errors(schema, sub, item, pointer, quick, limit, out);
                    pointer.truncate(len);
                    if stop(out) {
                        return;
                    }
                }
            }
            let n = instance.len() as u64;
            if let Some(min) = node.min_items
                && n < min
            {
                problem(Problem::MinItems(min), "minItems", pointer, out);
            }
            if let Some(max) = node.max_items
                && n > max
            {
                problem(Problem::MaxItems(max), "maxItems", pointer, out);
            }
        }
        Type::String => {
            let s = instance.as_str().unwrap_or_default();
            if node.min_length.is_some() || node.max_length.is_some() {
                let n = s.chars().count() as u64;
                if let Some(min) = node.min_length
                    && n < min
                {
                    problem(Problem::MinLength(min), "minLength", pointer, out);
                }
                if let Some(max) = node.max_length
                    && n > max
                {
                    problem(Problem::MaxLength(max), "maxLength", pointer, out);
                }
            }
            if let Some((pattern, matcher)) = &node.pattern
                && !matcher.is_match(s)
            {
                problem(Problem::Pattern(pattern), "pattern", pointer, out);
            }
        }
        Type::Number => {
            let x = instance.as_f64().unwrap_or(f64::NAN);
            if let Some((l, f)) = node.minimum
                && x < f
            {
                problem(Problem::Minimum(l), "minimum", pointer, out);
            }
            if let Some((l, f)) = node.maximum
                && x > f
            {
                problem(Problem::Maximum(l), "maximum", pointer, out);
            }
            if let Some((l, f)) = node.exclusive_minimum
                && x <= f
            {
                problem(
                    Problem::ExclusiveMinimum(l),
                    "exclusiveMinimum",
                    pointer,
                    out,
                );
            }
            if let Some((l, f)) = node.exclusive_maximum
                && x >= f
            {
                problem(
                    Problem::ExclusiveMaximum(l),
                    "exclusiveMaximum",
                    pointer,
                    out,
                );
            }
        }
        _ => {}
    }
    for &sub in &node.all_of {
        errors(schema, sub, instance, pointer, quick, limit, out);
    }
    // The list a tagged union was found in (`oneOf` before `anyOf`, as `tagged_union` looks).
    let tagged_list = if node.one_of.is_some() {
        "oneOf"
    } else {
        "anyOf"
    };
    for (keyword, list) in [("anyOf", &node.any_of), ("oneOf", &node.one_of)] {
        if let Some(list) = list {
            let by_tag = (keyword == tagged_list)
                .then(|| by_tag(node, list.len(), instance))
                .flatten();
            let passing = match by_tag {
                // The one branch the tag selects is walked once, as itself: its errors are the
                // union's (what a message would report for it), and none means it passes.
                Some(Some(branch)) => {
                    let before = out.len();
                    errors(schema, branch, instance, pointer, quick, limit, out);
                    if out.len() > before {
                        if stop(out) {
                            return;
                        }
                        continue;
                    }
                    1
                }
                Some(None) => 0,
                None => list
                    .iter()
                    .filter(|&&b| is_valid(schema, b, instance))
                    .count(),
            };
            if passing == 0 {
                problem(
                    Problem::NoBranch(source, node.tagged.clone()),
                    keyword,
                    pointer,
                    out,
                );
            } else if passing > 1 && keyword == "oneOf" {
                problem(Problem::ManyBranches, keyword, pointer, out);
            }
        }
    }
    if let Some((condition, then, otherwise)) = node.condition {
        let next = if is_valid(schema, condition, instance) {
            then
        } else {
            otherwise
        };
        if let Some(next) = next {
            errors(schema, next, instance, pointer, quick, limit, out);
        }
    }
}

/// The branch of a tagged union that `instance` selects by its tag: every branch fixes the tag
/// to its own constant, so an object whose tag matches one branch can pass only that one
/// (`Some(Some(branch))`), and an object whose tag matches none passes none (`Some(None)`).
/// `None` when the tag does not decide (not an object, no tag, a value several branches share).
fn by_tag(
    node: &super::compiled::Node<'_>,
    branches: usize,
    instance: View<'_>,
) -> Option<Option<usize>> {
    let (tag, list) = node.tag.as_ref()?;
    if list.len() != branches || !instance.is_object() {
        return None;
    }
    let have = instance.get(tag)?;
    let mut matching = list.iter().filter(|(v, _)| have.eq_value(v));
    match (matching.next(), matching.next()) {
        (None, _) => Some(None),
        (Some(&(_, branch)), None) => Some(Some(branch)),
        (Some(_), Some(_)) => None,
    }
}

fn is_valid(schema: &Compiled<'_>, at: usize, instance: View<'_>) -> bool {
    let mut scratch = Vec::new();
    errors(
        schema,
        at,
        instance,
        &mut String::new(),
        true,
        usize::MAX,
        &mut scratch,
    );
    scratch.is_empty()
}

/// JSON Schema's type test against a node's [`type_mask`](super::compiled::Node::type_mask):
/// an integer is any number without a fractional part (`23.0` too).
fn has_type(v: View<'_>, mask: u8) -> bool {
    let bit = |name| mask & type_bit(name) != 0;
    match v.kind() {
        Type::Object => bit("object"),
        Type::Array => bit("array"),
        Type::String => bit("string"),
        Type::Bool => bit("boolean"),
        Type::Null => bit("null"),
        Type::Number => {
            bit("number")
                || bit("integer")
                    && v.as_number().is_some_and(|n| {
                        n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
                    })
        }
        Type::Key => false,
    }
}

/// JSON Schema equality of a schema's value and an instance: numbers compare by value (`1`
/// equals `1.0`).
fn same(a: &Value, b: View<'_>) -> bool {
    match (a, b.kind()) {
        (Value::Number(x), Type::Number) => b
            .as_number()
            .is_some_and(|y| *x == y || x.as_f64() == y.as_f64()),
        (Value::Array(x), Type::Array) => {
            x.len() == b.len() && x.iter().zip(b.items()).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Type::Object) => {
            x.len() == b.len()
                && b.members()
                    .all(|(k, w)| x.get(k).is_some_and(|v| same(v, w)))
        }
        _ => b.eq_value(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    fn keywords(schema: &Value, found: &mut Vec<String>) {
        match schema {
            Value::Object(map) => {
                for (k, v) in map {
                    found.push(k.clone());
                    match k.as_str() {
                        "properties" | "$defs" => {
                            for sub in v.as_object().into_iter().flat_map(|m| m.values()) {
                                keywords(sub, found);
                            }
                        }
                        "enum" | "const" | "examples" | "default" | "required" => {}
                        _ => keywords(v, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| keywords(i, found)),
            _ => {}
        }
    }

    #[test]
    fn every_keyword_of_the_committed_schemas_is_understood() {
        for kind in Kind::ALL {
            let mut found = Vec::new();
            keywords(crate::schema::schema(kind), &mut found);
            for k in found {
                assert!(
                    KNOWN_KEYWORDS.contains(&k.as_str()),
                    "{kind}: schema keyword {k:?} is not interpreted"
                );
            }
        }
    }

    fn walk_schema() -> Value {
        serde_json::json!({
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

    /// The node at a pointer into `doc`, following the schema as the walks do.
    fn node_at(c: &Compiled<'_>, doc: View<'_>, pointer: &str) -> Option<usize> {
        let mut at = c.root_node();
        let mut value = Some(doc);
        for key in pointer.split('/').skip(1) {
            let v = value?;
            at = c.child(at, v, key)?;
            value = v.get(key).or_else(|| v.index(key.parse().ok()?));
        }
        Some(at)
    }

    #[test]
    fn walks_follow_refs_maps_arrays_and_tagged_branches() {
        let s = walk_schema();
        let c = Compiled::new(&s);
        let doc = crate::parse::Doc::parse_str(
            r#"{"callflow": [{"action": "say", "params": {"text": "hi"}}, {"action": "record", "x": 1}], "details": {"CallA": {}}}"#,
        )
        .unwrap();
        let root = doc.root();
        let text = node_at(&c, root, "/callflow/0/params/text").unwrap();
        assert_eq!(
            c.nodes[text].source,
            Some(&serde_json::json!({"type": "string"}))
        );
        assert!(node_at(&c, root, "/details/CallA/callId").is_some());
        let params = node_at(&c, root, "/callflow/0/params").unwrap();
        let empty = crate::parse::Doc::parse_str("{}").unwrap();
        assert_eq!(
            c.known_properties(params, empty.root()).unwrap(),
            vec!["text"]
        );
        let action = node_at(&c, root, "/callflow/0").unwrap();
        let say = root.pointer("/callflow/0").unwrap();
        assert_eq!(
            c.known_properties(action, say).unwrap(),
            vec!["action", "params"]
        );
        let details = node_at(&c, root, "/details").unwrap();
        assert_eq!(
            c.known_properties(details, root.get("details").unwrap()),
            None
        );
        // an unknown action: only its tag is governed
        assert!(node_at(&c, root, "/callflow/1/x").is_none());
        assert!(node_at(&c, root, "/callflow/1/action").is_some());
    }

    #[test]
    fn nullability_types_and_required() {
        let s = walk_schema();
        let c = Compiled::new(&s);
        let doc = crate::parse::Doc::parse_str(r#"{"ref": null, "callflow": []}"#).unwrap();
        let reference = c.child(c.root_node(), doc.root(), "ref").unwrap();
        assert!(c.allows_null(reference));
        let callflow = c.child(c.root_node(), doc.root(), "callflow").unwrap();
        assert!(!c.allows_null(callflow));
        assert!(
            !c.is_string_type(reference),
            "string or null is not exactly string"
        );
        let leg = Compiled::new(&s["$defs"]["Leg"]);
        let empty = crate::parse::Doc::parse_str("{}").unwrap();
        let call_id = leg.child(leg.root_node(), empty.root(), "callId").unwrap();
        assert!(leg.is_string_type(call_id));
        assert!(c.required(c.root_node()).is_empty());
    }

    #[test]
    fn integers_and_numbers_follow_json_schema() {
        let doc = crate::parse::Doc::parse_str("[23.0, 23.5, 23, 1.0]").unwrap();
        let at = |i| doc.root().index(i).unwrap();
        assert!(has_type(at(0), type_bit("integer")));
        assert!(!has_type(at(1), type_bit("integer")));
        assert!(has_type(at(2), type_bit("number")));
        assert!(same(&serde_json::json!(1), at(3)));
    }

    /// The interpreter and the `jsonschema` crate agree error for error on every fixture.
    #[test]
    fn agrees_with_the_jsonschema_crate_on_every_fixture() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
        let mut checked = 0;
        for set in ["docs", "openapi", "edge"] {
            let manifest: Value = serde_json::from_str(
                &std::fs::read_to_string(format!("{root}/{set}/manifest.json")).unwrap(),
            )
            .unwrap();
            for entry in manifest.as_array().unwrap() {
                let Some(file) = entry["file"].as_str() else {
                    continue;
                };
                let Ok(text) = std::fs::read_to_string(format!("{root}/{set}/{file}")) else {
                    continue;
                };
                let Ok(doc) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                let tape = crate::parse::Doc::from_value(&doc);
                for kind in Kind::ALL {
                    let schema = crate::schema::schema(kind);
                    let mut ours = Vec::new();
                    validate(schema, tape.root(), usize::MAX, &mut ours);
                    let mut theirs = Vec::new();
                    super::super::engine::collect(kind, schema, &doc, usize::MAX, &mut theirs);
                    // The oracle reads a copy of each failing value: spans are ours alone.
                    for f in ours.iter_mut().chain(theirs.iter_mut()) {
                        f.span = None;
                    }
                    ours.sort_by(|a, b| {
                        (&a.pointer, a.rule.id, &a.message)
                            .cmp(&(&b.pointer, b.rule.id, &b.message))
                    });
                    theirs.sort_by(|a, b| {
                        (&a.pointer, a.rule.id, &a.message)
                            .cmp(&(&b.pointer, b.rule.id, &b.message))
                    });
                    assert_eq!(ours, theirs, "{set}/{file} as {kind}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "only {checked} comparisons");
    }
}
