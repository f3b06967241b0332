//! JSON Schemas (draft 2020-12) generated from the [`models`](crate::models).
//!
//! [`generate`] builds a kind's schema from the Rust types; [`render`] prints it the way it is
//! committed under `schemas/<kind>.schema.json` (`cargo xtask schemas` writes them, and a test
//! fails when the committed files drift from the code). [`schema`] returns the committed file,
//! parsed once, which is what the validator runs against.
//!
//! The schemas describe what 8x8 really sends and accepts, documented quirks included; strict
//! mode is a layer on top of them. They never forbid unknown properties, use `pattern` rather
//! than `format` (so every JSON Schema engine gives the same verdict), and keep their regular
//! expressions in the subset shared by ECMA-262 and Rust's `regex`.

use std::sync::OnceLock;

use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value};

use crate::Kind;
use crate::models::{callflow, vca, vcs, vnu, vru, vss, webhooks};

/// Where the published schemas live; a schema's `$id` is this followed by
/// `<kind>.schema.json`.
pub const BASE_URI: &str = "https://voicehook.dev/schemas/";

/// The `$id` of a kind's schema, e.g. `https://voicehook.dev/schemas/vss.schema.json`.
pub fn id(kind: Kind) -> String {
    format!("{BASE_URI}{}.schema.json", kind.id())
}

/// Builds the schema of `kind` from the Rust models: what 8x8 and the pages send, with every
/// accepted spelling (what validation checks).
pub fn generate(kind: Kind) -> Value {
    generate_for(kind, Contract::Deserialize)
}

/// Builds the canonical schema of `kind`: the document as voicehook hands it over once read
/// (npm `parse`, `validate --emit normalized`, and a model written out by [`crate::parse()`]),
/// with the canonical spellings only (`NO_ANSWER`, an integer `errorCode`). A member is
/// required only where the wire schema requires it too, since the document as read keeps what
/// was left out. Committed as `schemas/canonical/<kind>.schema.json`; the npm package's types
/// of `parse` results come from it.
pub fn generate_canonical(kind: Kind) -> Value {
    let mut canonical = generate_for(kind, Contract::Serialize);
    relax_required(&mut canonical, &generate(kind));
    canonical
}

/// Keeps in each `required` of `canonical` only the names the same object of `wire` requires
/// (the two schemas have one shape: the same models).
fn relax_required(canonical: &mut Value, wire: &Value) {
    match (canonical, wire) {
        (Value::Object(c), Value::Object(w)) => {
            if let Some(Value::Array(names)) = c.get_mut("required") {
                let wanted = w.get("required").and_then(Value::as_array);
                names.retain(|n| wanted.is_some_and(|w| w.contains(n)));
                if names.is_empty() {
                    c.shift_remove("required");
                }
            }
            for (key, value) in c.iter_mut() {
                if let Some(other) = w.get(key) {
                    relax_required(value, other);
                }
            }
        }
        (Value::Array(c), Value::Array(w)) => {
            for (value, other) in c.iter_mut().zip(w) {
                relax_required(value, other);
            }
        }
        _ => {}
    }
}

/// The `$id` of a kind's canonical schema.
pub fn canonical_id(kind: Kind) -> String {
    format!("{BASE_URI}canonical/{}.schema.json", kind.id())
}

/// The canonical schema of `kind` as committed (see [`render`]).
pub fn render_canonical(kind: Kind) -> String {
    let mut text = serde_json::to_string_pretty(&generate_canonical(kind)).unwrap_or_default();
    text.push('\n');
    text
}

fn generate_for(kind: Kind, contract: Contract) -> Value {
    let canonical = contract.is_serialize();
    let root = match kind {
        Kind::Vss => root_for::<vss::VssWebhook>(contract),
        Kind::Vca => root_for::<vca::VcaWebhook>(contract),
        Kind::Vcs => root_for::<vcs::VcsWebhook>(contract),
        Kind::Vru => root_for::<vru::VruWebhook>(contract),
        Kind::Vnu => root_for::<vnu::VnuWebhook>(contract),
        Kind::Callflow => root_for::<callflow::Callflow>(contract),
        Kind::VcaReply => root_for::<callflow::VcaReply>(contract),
        Kind::CallflowResult => root_for::<callflow::CallflowResult>(contract),
        Kind::WebhookCreate => root_for::<webhooks::WebhookCreate>(contract),
        Kind::WebhookList => root_for::<webhooks::WebhookList>(contract),
    };
    let mut root = root.to_value();
    tidy(&mut root);
    let Value::Object(mut map) = root else {
        return root;
    };

    // Fixed key order: identity first, then the constraints, examples, and definitions last.
    let mut out = Map::new();
    out.insert(
        "$schema".into(),
        map.shift_remove("$schema").unwrap_or(Value::Null),
    );
    let (identity, title) = match canonical {
        true => (canonical_id(kind), format!("{} (canonical)", kind.title())),
        false => (id(kind), kind.title().to_owned()),
    };
    out.insert("$id".into(), Value::String(identity));
    out.insert("title".into(), Value::String(title));
    // schemars titles the root with the Rust type name; the kind's title replaces it.
    map.shift_remove("title");
    out.insert(
        "description".into(),
        map.shift_remove("description").unwrap_or_default(),
    );
    let defs = map.shift_remove("$defs");
    out.extend(map);
    // The documented examples are as sent (quirks included): they illustrate the wire schema.
    let examples = if canonical {
        Vec::new()
    } else {
        examples(kind)
    };
    if !examples.is_empty() {
        out.insert("examples".into(), Value::Array(examples));
    }
    if let Some(defs) = defs {
        out.insert("$defs".into(), defs);
    }
    Value::Object(out)
}

/// The schema of `kind` as committed: pretty-printed JSON with a final newline.
pub fn render(kind: Kind) -> String {
    let mut text = serde_json::to_string_pretty(&generate(kind)).unwrap_or_default();
    text.push('\n');
    text
}

/// The committed schema of `kind` (from `schemas/`), parsed on first use.
///
/// Should a committed file ever fail to parse, this returns the `false` schema, which rejects
/// every document, rather than panicking; the drift test keeps that from happening.
pub fn schema(kind: Kind) -> &'static Value {
    static SCHEMAS: [OnceLock<Value>; 10] = [const { OnceLock::new() }; 10];
    let index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    SCHEMAS[index]
        .get_or_init(|| serde_json::from_str(committed(kind)).unwrap_or(Value::Bool(false)))
}

/// The committed schema text of `kind`, compiled into the crate.
// Not inlined: each crate that inlined it would carry its own copy of the ten texts (the
// WebAssembly module held them twice, 100 KB).
#[inline(never)]
pub fn committed(kind: Kind) -> &'static str {
    match kind {
        Kind::Vss => include_str!("../schemas/vss.schema.json"),
        Kind::Vca => include_str!("../schemas/vca.schema.json"),
        Kind::Vcs => include_str!("../schemas/vcs.schema.json"),
        Kind::Vru => include_str!("../schemas/vru.schema.json"),
        Kind::Vnu => include_str!("../schemas/vnu.schema.json"),
        Kind::Callflow => include_str!("../schemas/callflow.schema.json"),
        Kind::VcaReply => include_str!("../schemas/vca-reply.schema.json"),
        Kind::CallflowResult => include_str!("../schemas/callflow-result.schema.json"),
        Kind::WebhookCreate => include_str!("../schemas/webhook-create.schema.json"),
        Kind::WebhookList => include_str!("../schemas/webhook-list.schema.json"),
    }
}

fn root_for<T: JsonSchema>(contract: Contract) -> Schema {
    let settings = SchemaSettings::draft2020_12();
    let settings = match contract {
        Contract::Serialize => settings.for_serialize(),
        _ => settings.for_deserialize(),
    };
    settings.into_generator().into_root_schema_for::<T>()
}

/// Cleans what schemars generates, everywhere in the tree:
/// - replaces the `format` annotations it adds to numbers (`uint32`, `double`, …), which
///   engines treat differently, with the range the model's integer type can hold (where the
///   model gives no tighter one), so that whatever passes the schema, the model reads
///   ([`crate::parse()`]); 64-bit integers are bounded at ±(2^53 − 1), the integers a float
///   (and JavaScript) holds exactly;
/// - joins the lines of each paragraph of a `description` (doc comments are wrapped).
///
/// Only keywords with string values are touched, so a property named `format` or
/// `description` (whose value is a schema object) is left alone.
fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(format)) = map.shift_remove("format")
                && let Some((lo, hi)) = integer_range(&format)
            {
                if !map.contains_key("minimum") && !map.contains_key("exclusiveMinimum") {
                    map.insert("minimum".into(), lo.into());
                }
                if !map.contains_key("maximum") && !map.contains_key("exclusiveMaximum") {
                    map.insert("maximum".into(), hi.into());
                }
            }
            if let Some(Value::String(text)) = map.get_mut("description") {
                *text = unwrap_paragraphs(text);
            }
            map.values_mut().for_each(tidy);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// The largest integer a float (and JavaScript) holds exactly, 2^53 − 1: the schemas' bound on
/// 64-bit integers.
pub(crate) const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The values an integer `format` of schemars holds (64-bit ones bounded at ±(2^53 − 1)).
fn integer_range(format: &str) -> Option<(i64, i64)> {
    const SAFE: i64 = MAX_SAFE_INTEGER;
    Some(match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "uint8" => (0, u8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "int64" | "int" => (-SAFE, SAFE),
        "uint64" | "uint" => (0, SAFE),
        _ => return None,
    })
}

/// Joins wrapped lines inside each paragraph; paragraphs stay separated by a blank line.
fn unwrap_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Documented examples of `kind`, copied verbatim from the 8x8 pages and OpenAPI files into
/// `schemas/examples/<kind>.json` (an array each). An unreadable file yields no examples.
fn examples(kind: Kind) -> Vec<Value> {
    let text = match kind {
        Kind::Vss => include_str!("../schemas/examples/vss.json"),
        Kind::Vca => include_str!("../schemas/examples/vca.json"),
        Kind::Vcs => include_str!("../schemas/examples/vcs.json"),
        Kind::Vru => include_str!("../schemas/examples/vru.json"),
        Kind::Vnu => include_str!("../schemas/examples/vnu.json"),
        Kind::Callflow => include_str!("../schemas/examples/callflow.json"),
        Kind::VcaReply => include_str!("../schemas/examples/vca-reply.json"),
        Kind::CallflowResult => include_str!("../schemas/examples/callflow-result.json"),
        Kind::WebhookCreate => include_str!("../schemas/examples/webhook-create.json"),
        Kind::WebhookList => include_str!("../schemas/examples/webhook-list.json"),
    };
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_has_identity_and_no_format() {
        for kind in Kind::ALL {
            let s = generate(kind);
            assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
            assert_eq!(s["$id"], id(kind));
            assert!(
                s["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{kind}"
            );
            assert!(!render(kind).contains("\"format\""), "{kind}");
            assert!(
                !render(kind).contains("additionalProperties\": false"),
                "{kind}"
            );
        }
    }

    #[test]
    fn render_is_stable() {
        for kind in Kind::ALL {
            assert_eq!(render(kind), render(kind));
            assert!(render(kind).ends_with("}\n"));
        }
    }
}
