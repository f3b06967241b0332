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
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use super::messages::{Problem, SchemaError, push};
use super::walk;
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

/// Every error of `doc` against the root schema `root`, up to `limit` of them (validation
/// stops collecting there, so hostile documents cost linear time and bounded memory).
pub(crate) fn validate(root: &Value, doc: View<'_>, limit: usize, out: &mut Vec<SchemaError>) {
    errors(root, root, doc, "", false, limit, out);
}

/// Every error of `instance` (at `pointer`) against `schema`, a part of `root`. With `quick`,
/// only whether there is one: it stops at the first and words nothing (branch selection).
pub(crate) fn errors(
    root: &Value,
    schema: &Value,
    instance: View<'_>,
    pointer: &str,
    quick: bool,
    limit: usize,
    out: &mut Vec<SchemaError>,
) {
    if out.len() >= limit {
        return;
    }
    let Some(obj) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            out.push(SchemaError {
                pointer: pointer.to_owned(),
                missing: false,
                rule: catalog::SCHEMA_FALSE.id.into(),
                message: format!(
                    "{} is not allowed here",
                    super::messages::field_name(pointer)
                ),
            });
        }
        return;
    };
    let branch = |b: &Value, i: View<'_>, p: &str, o: &mut Vec<SchemaError>| {
        errors(root, b, i, p, false, limit, o)
    };
    let problem = |p: Problem<'_>, keyword: &str, out: &mut Vec<SchemaError>| {
        if quick {
            out.push(SchemaError {
                pointer: String::new(),
                missing: false,
                rule: String::new(),
                message: String::new(),
            });
        } else {
            push(root, p, keyword, instance, pointer, &branch, out);
        }
    };
    let stop = |out: &Vec<SchemaError>| quick && !out.is_empty() || out.len() >= limit;

    if obj.contains_key("$ref") {
        let target = walk::resolve(root, schema);
        if !std::ptr::eq(target, schema) {
            errors(root, target, instance, pointer, quick, limit, out);
            if stop(out) {
                return;
            }
        }
    }
    if let Some(t) = obj.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.iter().any(|t| has_type(instance, t)) {
            problem(Problem::Type(types), "type", out);
        }
    }
    if let Some(options) = obj.get("enum")
        && !options
            .as_array()
            .is_some_and(|o| o.iter().any(|v| same(v, instance)))
    {
        problem(Problem::Enum(options), "enum", out);
    }
    if let Some(expected) = obj.get("const")
        && !same(expected, instance)
    {
        problem(Problem::Const(expected), "const", out);
    }
    match instance.kind() {
        Type::Object => {
            if let Some(required) = obj.get("required").and_then(Value::as_array) {
                for name in required.iter().filter_map(Value::as_str) {
                    if instance.get(name).is_none() {
                        problem(Problem::Required(name), "required", out);
                    }
                }
            }
            let properties = obj.get("properties").and_then(Value::as_object);
            for (key, value) in instance.members() {
                let sub = properties
                    .and_then(|p| p.get(key))
                    .or_else(|| obj.get("additionalProperties"));
                if let Some(sub) = sub {
                    let child = if quick {
                        String::new()
                    } else {
                        format!("{pointer}/{}", walk::escape(key))
                    };
                    errors(root, sub, value, &child, quick, limit, out);
                    if stop(out) {
                        return;
                    }
                }
            }
        }
        Type::Array => {
            if let Some(sub) = obj.get("items") {
                for (i, item) in instance.items().enumerate() {
                    let child = if quick {
                        String::new()
                    } else {
                        format!("{pointer}/{i}")
                    };
                    errors(root, sub, item, &child, quick, limit, out);
                    if stop(out) {
                        return;
                    }
                }
            }
            let n = instance.len() as u64;
            if let Some(min) = obj.get("minItems").and_then(Value::as_u64)
                && n < min
            {
                problem(Problem::MinItems(min), "minItems", out);
            }
            if let Some(max) = obj.get("maxItems").and_then(Value::as_u64)
                && n > max
            {
                problem(Problem::MaxItems(max), "maxItems", out);
            }
        }
        Type::String => {
            let s = instance.as_str().unwrap_or_default();
            let n = s.chars().count() as u64;
            if let Some(min) = obj.get("minLength").and_then(Value::as_u64)
                && n < min
            {
                problem(Problem::MinLength(min), "minLength", out);
            }
            if let Some(max) = obj.get("maxLength").and_then(Value::as_u64)
                && n > max
            {
                problem(Problem::MaxLength(max), "maxLength", out);
            }
            if let Some(pattern) = obj.get("pattern").and_then(Value::as_str)
                && !matches(pattern, s)
            {
                problem(Problem::Pattern(pattern), "pattern", out);
            }
        }
        Type::Number => {
            let x = instance.as_f64().unwrap_or(f64::NAN);
            let limit = |k: &str| obj.get(k).and_then(|l| l.as_f64().map(|f| (l, f)));
            if let Some((l, f)) = limit("minimum")
                && x < f
            {
                problem(Problem::Minimum(l), "minimum", out);
            }
            if let Some((l, f)) = limit("maximum")
                && x > f
            {
                problem(Problem::Maximum(l), "maximum", out);
            }
            if let Some((l, f)) = limit("exclusiveMinimum")
                && x <= f
            {
                problem(Problem::ExclusiveMinimum(l), "exclusiveMinimum", out);
            }
            if let Some((l, f)) = limit("exclusiveMaximum")
                && x >= f
            {
                problem(Problem::ExclusiveMaximum(l), "exclusiveMaximum", out);
            }
        }
        _ => {}
    }
    if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
        for sub in all {
            errors(root, sub, instance, pointer, quick, limit, out);
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(list) = obj.get(keyword).and_then(Value::as_array) {
            let passing = list.iter().filter(|b| is_valid(root, b, instance)).count();
            if passing == 0 {
                problem(Problem::NoBranch(schema), keyword, out);
            } else if passing > 1 && keyword == "oneOf" {
                problem(Problem::ManyBranches, keyword, out);
            }
        }
    }
    if let Some(condition) = obj.get("if") {
        let next = if is_valid(root, condition, instance) {
            obj.get("then")
        } else {
            obj.get("else")
        };
        if let Some(next) = next {
            errors(root, next, instance, pointer, quick, limit, out);
        }
    }
}

fn is_valid(root: &Value, schema: &Value, instance: View<'_>) -> bool {
    let mut scratch = Vec::new();
    errors(root, schema, instance, "", true, usize::MAX, &mut scratch);
    scratch.is_empty()
}

/// JSON Schema's type test: an integer is any number without a fractional part (`23.0` too).
fn has_type(v: View<'_>, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.as_number().is_some_and(|n| {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }),
        _ => false,
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

/// `pattern` semantics: an unanchored search, compiled once per pattern.
fn matches(pattern: &str, text: &str) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex_lite::Regex>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let regex = cache
        .entry(pattern.to_owned())
        .or_insert_with(|| regex_lite::Regex::new(pattern).ok());
    // A pattern that does not compile accepts everything, as it cannot be judged.
    regex.as_ref().is_none_or(|r| r.is_match(text))
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

    #[test]
    fn integers_and_numbers_follow_json_schema() {
        let doc = crate::parse::Doc::parse_str("[23.0, 23.5, 23, 1.0]").unwrap();
        let at = |i| doc.root().index(i).unwrap();
        assert!(has_type(at(0), "integer"));
        assert!(!has_type(at(1), "integer"));
        assert!(has_type(at(2), "number"));
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
                    ours.sort_by(|a, b| {
                        (&a.pointer, &a.rule, &a.message).cmp(&(&b.pointer, &b.rule, &b.message))
                    });
                    theirs.sort_by(|a, b| {
                        (&a.pointer, &a.rule, &a.message).cmp(&(&b.pointer, &b.rule, &b.message))
                    });
                    assert_eq!(ours, theirs, "{set}/{file} as {kind}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "only {checked} comparisons");
    }
}
