//! Schema validation with the `jsonschema` crate (the default, native engine).
//!
//! Each kind's committed schema is compiled once per process. Errors become [`Problem`]s so that
//! messages read the same whichever engine found them (see [`super::compact`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::messages::{Problem, push};
use crate::Finding;
use crate::Kind;

/// Compiles a schema (draft 2020-12; formats are annotations only, the schemas use `pattern`).
fn compile(schema: &Value) -> Option<Validator> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(schema)
        .ok()
}

/// The compiled validator of a kind's committed schema.
fn validator(kind: Kind) -> Option<&'static Validator> {
    static VALIDATORS: [OnceLock<Option<Validator>>; 10] = [const { OnceLock::new() }; 10];
    let index = Kind::ALL.iter().position(|k| *k == kind)?;
    VALIDATORS[index]
        .get_or_init(|| compile(crate::schema::schema(kind)))
        .as_ref()
}

/// Every error of `doc` against the committed schema of `kind` (`root`), up to `limit` of them
/// (validation stops collecting there).
pub(crate) fn collect(kind: Kind, root: &Value, doc: &Value, limit: usize, out: &mut Vec<Finding>) {
    if let Some(v) = validator(kind) {
        collect_with(v, root, doc, "", limit, out);
    }
}

fn collect_with(
    validator: &Validator,
    root: &Value,
    doc: &Value,
    base: &str,
    limit: usize,
    out: &mut Vec<Finding>,
) {
    for error in validator.iter_errors(doc) {
        if out.len() >= limit {
            break;
        }
        convert(root, doc, base, &error, limit, out);
    }
}

fn convert(
    root: &Value,
    doc: &Value,
    base: &str,
    error: &ValidationError<'_>,
    limit: usize,
    out: &mut Vec<Finding>,
) {
    let at = error.instance_path().as_str();
    let pointer = format!("{base}{at}");
    let instance = doc.pointer(at).unwrap_or(&Value::Null);
    let schema_path = error.schema_path().as_str();
    let keyword = schema_path.rsplit('/').next().unwrap_or("");
    let types: Vec<String>;
    let names: Vec<&str>;
    let words: super::messages::EnumWords;
    let problem = match error.kind() {
        ValidationErrorKind::Required { property } => {
            Problem::Required(property.as_str().unwrap_or_default())
        }
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            match schema_path
                .rsplit_once('/')
                .and_then(|(p, _)| root.pointer(p))
            {
                Some(parent) => Problem::NoBranch(parent, super::walk::tagged_union(root, parent)),
                None => Problem::Other("matches none of the allowed forms".into()),
            }
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => Problem::ManyBranches,
        ValidationErrorKind::Type { kind } => {
            types = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
            };
            names = types.iter().map(String::as_str).collect();
            Problem::Type(&names)
        }
        ValidationErrorKind::Enum { options } => {
            words = super::messages::EnumWords::of(options);
            Problem::Enum(&words)
        }
        ValidationErrorKind::Constant { expected_value } => Problem::Const(expected_value),
        ValidationErrorKind::Pattern { pattern } => Problem::Pattern(pattern),
        ValidationErrorKind::Minimum { limit } => Problem::Minimum(limit),
        ValidationErrorKind::Maximum { limit } => Problem::Maximum(limit),
        ValidationErrorKind::ExclusiveMinimum { limit } => Problem::ExclusiveMinimum(limit),
        ValidationErrorKind::ExclusiveMaximum { limit } => Problem::ExclusiveMaximum(limit),
        ValidationErrorKind::MinLength { limit } => Problem::MinLength(*limit),
        ValidationErrorKind::MaxLength { limit } => Problem::MaxLength(*limit),
        ValidationErrorKind::MinItems { limit } => Problem::MinItems(*limit),
        ValidationErrorKind::MaxItems { limit } => Problem::MaxItems(*limit),
        _ => Problem::Other(error.to_string()),
    };
    let branch = |b: &Value, i: crate::parse::View<'_>, p: &str, o: &mut Vec<Finding>| {
        validate_branch(root, b, &i.to_value(), p, limit, o)
    };
    let tape = crate::parse::Doc::from_value(instance);
    push(root, problem, keyword, tape.root(), &pointer, &branch, out);
}

/// Validates `instance` against one branch alone (compiled once per branch and cached).
///
/// The branch is a part of a committed schema, which lives as long as the process: its address
/// identifies it, so a failure costs a map lookup, not a serialization of the schema.
fn validate_branch(
    root: &Value,
    branch: &Value,
    instance: &Value,
    pointer: &str,
    limit: usize,
    out: &mut Vec<Finding>,
) {
    type Compiled = HashMap<(usize, usize), Option<Arc<Validator>>>;
    static CACHE: OnceLock<Mutex<Compiled>> = OnceLock::new();
    let key = (
        std::ptr::from_ref(branch) as usize,
        std::ptr::from_ref(root) as usize,
    );
    let compiled = {
        let mut map = CACHE
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        map.entry(key)
            .or_insert_with(|| {
                let mut standalone = branch.clone();
                if let (Some(obj), Some(defs)) = (standalone.as_object_mut(), root.get("$defs")) {
                    obj.insert("$defs".into(), defs.clone());
                }
                compile(&standalone).map(Arc::new)
            })
            .clone()
    };
    if let Some(v) = compiled {
        collect_with(&v, root, instance, pointer, limit, out);
    }
}
