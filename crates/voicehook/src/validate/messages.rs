//! Turns `jsonschema` errors into diagnostics a person understands: a pointer, a stable
//! `schema.*` rule and a message that says what was expected and what was found.
//!
//! Where the schema branches on a tag (a callflow action's `action`), only the errors of the
//! branch the tag selects are reported, never every alternative of the `oneOf`.

use std::borrow::Cow;

use crate::{Finding, catalog};
use serde_json::Value;

use super::compiled::Tagged;
use super::walk;
use crate::parse::{Type, View};

/// What a value failed, independent of the engine that found it.
#[derive(Debug)]
pub(crate) enum Problem<'v> {
    /// A required property is absent.
    Required(&'v str),
    /// The value has none of these JSON types (`"string"`, `"integer"`…).
    Type(&'v [&'v str]),
    /// The value is not one of these.
    Enum(&'v EnumWords),
    /// The value is not this one.
    Const(&'v Value),
    /// The string does not match this pattern.
    Pattern(&'v str),
    /// Below `minimum`.
    Minimum(&'v Value),
    /// Above `maximum`.
    Maximum(&'v Value),
    /// Not above `exclusiveMinimum`.
    ExclusiveMinimum(&'v Value),
    /// Not below `exclusiveMaximum`.
    ExclusiveMaximum(&'v Value),
    /// Shorter than `minLength` characters.
    MinLength(u64),
    /// Longer than `maxLength` characters.
    MaxLength(u64),
    /// Fewer than `minItems` items.
    MinItems(u64),
    /// More than `maxItems` items.
    MaxItems(u64),
    /// None of the branches of the `oneOf`/`anyOf` in this schema object matched (with the
    /// tagged union the branches form, if they form one).
    NoBranch(&'v Value, Option<Tagged<'v>>),
    /// More than one branch of a `oneOf` matched.
    ManyBranches,
    /// Anything else, already worded (only the `jsonschema` engine has such errors).
    #[cfg_attr(not(test), allow(dead_code))]
    Other(String),
}

/// How a message names the values of an `enum`, worded once per schema node: the values it
/// offers, and the documented quirk spellings the schema also accepts, named as quirks.
#[derive(Debug, Default)]
pub(crate) struct EnumWords {
    /// The values offered (quirk spellings left out).
    list: Vec<String>,
    /// `list`, joined.
    listed: String,
    /// The note on quirk spellings, with its leading space (empty without any).
    quirks: String,
}

impl EnumWords {
    /// The words for the `enum` array `options`.
    pub(crate) fn of(options: &Value) -> Self {
        let all = options
            .as_array()
            .map(|o| o.iter().map(show_plain).collect::<Vec<_>>())
            .unwrap_or_default();
        let (quirks, list): (Vec<String>, Vec<String>) = all.iter().cloned().partition(|v| {
            crate::normalize::canonical_spelling(v).is_some_and(|c| all.iter().any(|a| a == c))
        });
        let quirks = if quirks.is_empty() {
            String::new()
        } else {
            let read: Vec<String> = quirks
                .iter()
                .filter_map(|q| {
                    crate::normalize::canonical_spelling(q).map(|c| format!("{q} as {c}"))
                })
                .collect();
            format!(
                " (documented variant spellings are read as quirks: {})",
                read.join(", ")
            )
        };
        EnumWords {
            listed: list.join(", "),
            list,
            quirks,
        }
    }
}

/// Validates `instance` against one branch of a `oneOf`/`anyOf` alone, rebased on `pointer`.
pub(crate) type BranchValidator<'a> = dyn Fn(&Value, View<'_>, &str, &mut Vec<Finding>) + 'a;

/// Turns one problem at `pointer` (whose value is `instance`) into schema errors.
pub(crate) fn push(
    root: &Value,
    problem: Problem<'_>,
    keyword: &str,
    instance: View<'_>,
    pointer: &str,
    branch: &BranchValidator<'_>,
    out: &mut Vec<Finding>,
) {
    let name = field_name(pointer);
    let message = match problem {
        Problem::Required(property) => {
            out.push(
                Finding::new(
                    format!("{pointer}/{}", walk::escape(property)),
                    &catalog::SCHEMA_REQUIRED,
                    format!(
                        "missing required property `{property}`{}",
                        in_object(pointer)
                    ),
                )
                .missing()
                .spanning(instance.span()),
            );
            return;
        }
        Problem::NoBranch(parent, tagged) => {
            if branch_errors(root, parent, tagged, instance, pointer, branch, out) {
                return;
            }
            format!(
                "{name} must be {}, got {}",
                alternatives(root, parent),
                show(instance)
            )
        }
        Problem::ManyBranches => format!("{name} matches more than one allowed form"),
        Problem::Type(types) => {
            // One wording whatever order an engine lists the types in; null last. The most
            // frequent message of all, so it is written into one buffer.
            let mut sorted: [&str; 7] = [""; 7];
            let n = types.len().min(sorted.len());
            sorted[..n].copy_from_slice(&types[..n]);
            let sorted = &mut sorted[..n];
            sorted.sort_unstable_by_key(|t| (*t == "null", *t));
            let mut m = String::with_capacity(name.len() + 32);
            m.push_str(&name);
            m.push_str(" must be ");
            for (i, t) in sorted.iter().enumerate() {
                if i > 0 {
                    m.push_str(" or ");
                }
                m.push_str(article(t));
            }
            m.push_str(", got ");
            show_into(&mut m, instance);
            m
        }
        Problem::Enum(words) => {
            let mut m = format!(
                "{name} must be one of {}, got {}",
                words.listed,
                show(instance)
            );
            if let Some(s) = instance.as_str()
                && let Some(best) =
                    crate::words::did_you_mean(s, words.list.iter().map(String::as_str))
            {
                m.push_str(&format!(" (did you mean {best}?)"));
            }
            m.push_str(&words.quirks);
            m
        }
        Problem::Const(expected) => {
            format!(
                "{name} must be {}, got {}",
                show_json(expected),
                show(instance)
            )
        }
        Problem::Pattern(pattern) => format!(
            "{name} must be {}, got {}",
            crate::models::pattern_name(pattern).unwrap_or("text matching the expected pattern"),
            show(instance)
        ),
        Problem::Minimum(limit) => {
            format!("{name} must be at least {limit}, got {}", show(instance))
        }
        Problem::Maximum(limit) => {
            format!("{name} must be at most {limit}, got {}", show(instance))
        }
        Problem::ExclusiveMinimum(limit) => format!(
            "{name} must be greater than {limit}, got {}",
            show(instance)
        ),
        Problem::ExclusiveMaximum(limit) => {
            format!("{name} must be less than {limit}, got {}", show(instance))
        }
        Problem::MinLength(limit) => format!(
            "{name} must be at least {limit} characters long, got {}",
            count_chars(instance)
        ),
        Problem::MaxLength(limit) => format!(
            "{name} must be at most {limit} characters long, got {}",
            count_chars(instance)
        ),
        Problem::MinItems(limit) => format!(
            "{name} must have at least {limit} item{}, got {}",
            plural(limit),
            count_items(instance)
        ),
        Problem::MaxItems(limit) => format!(
            "{name} must have at most {limit} item{}, got {}",
            plural(limit),
            count_items(instance)
        ),
        Problem::Other(text) => format!("{name}: {text}"),
    };
    // An unfilled template placeholder fails the pattern (or enum) only because it was never
    // replaced: one finding that says so, and what belongs there.
    if let Some(text) = instance.as_str().filter(|t| is_placeholder(t))
        && let Some((_, rest)) = message.split_once(" must be ")
        && let Some((expected, _)) = rest.rsplit_once(", got ")
    {
        out.push(
            Finding::new(
                pointer,
                &catalog::TEMPLATE_PLACEHOLDER,
                format!(
                    "{name} is the unfilled template placeholder {text:?}: replace it with {expected}"
                ),
            )
            .spanning(instance.span()),
        );
        return;
    }
    out.push(
        Finding::new(pointer, catalog::schema_keyword(keyword), message).spanning(instance.span()),
    );
}

/// True for the placeholders 8x8's examples leave for the reader to fill:
/// `{{Virtual Number}}`, `<utc_timestamp>`.
pub(crate) fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    let angle = t.len() > 2
        && t.starts_with('<')
        && t.ends_with('>')
        && t[1..t.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b' ' | b'-'));
    let braces = t.find("{{").is_some_and(|open| t[open..].contains("}}"));
    angle || braces
}

/// For a failed `oneOf`/`anyOf`, reports only the errors of the branch the value selects:
/// by its tag in a tagged union, or by its JSON type when exactly one branch takes that type.
/// Returns false when no single branch applies (the caller then summarizes the alternatives).
fn branch_errors(
    root: &Value,
    parent: &Value,
    tagged: Option<Tagged<'_>>,
    instance: View<'_>,
    pointer: &str,
    validate_branch: &BranchValidator<'_>,
    out: &mut Vec<Finding>,
) -> bool {
    if let Some((tag, list)) = tagged
        && instance.is_object()
    {
        // The tag values are listed only when the tag is missing or matches none.
        let tags = || {
            list.iter()
                .map(|(v, _)| show_plain(v))
                .collect::<Vec<String>>()
        };
        match instance.get(tag) {
            None => out.push(
                Finding::new(
                    format!("{pointer}/{}", walk::escape(tag)),
                    &catalog::SCHEMA_REQUIRED,
                    format!(
                        "missing required property `{tag}` (one of {})",
                        tags().join(", ")
                    ),
                )
                .missing()
                .spanning(instance.span()),
            ),
            Some(have) => match list.iter().find(|(v, _)| have.eq_value(v)) {
                Some((_, branch)) => validate_branch(branch, instance, pointer, out),
                None => {
                    let tags = tags();
                    let mut message = format!(
                        "{tag} must be one of {}, got {}",
                        tags.join(", "),
                        show(have)
                    );
                    if let Some(best) = have.as_str().and_then(|s| {
                        crate::words::did_you_mean(s, tags.iter().map(String::as_str))
                    }) {
                        message.push_str(&format!(" (did you mean {best}?)"));
                    }
                    out.push(
                        Finding::new(
                            format!("{pointer}/{}", walk::escape(tag)),
                            &catalog::SCHEMA_ENUM,
                            message,
                        )
                        .spanning(have.span()),
                    );
                }
            },
        }
        return true;
    }
    let list = parent
        .get("oneOf")
        .or_else(|| parent.get("anyOf"))
        .and_then(Value::as_array);
    let fitting: Vec<&Value> = list
        .into_iter()
        .flatten()
        .map(|b| walk::resolve(root, b))
        .filter(|b| takes_type(root, b, instance))
        .collect();
    match fitting.as_slice() {
        [only] if only.get("properties").is_some() || only.get("items").is_some() => {
            validate_branch(only, instance, pointer, out);
            true
        }
        _ => false,
    }
}

fn takes_type(root: &Value, schema: &Value, v: View<'_>) -> bool {
    let schema = walk::resolve(root, schema);
    let names: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => {
            return schema.get("const").is_some_and(|c| v.eq_value(c))
                || schema.get("properties").is_some() && v.is_object();
        }
    };
    names.iter().any(|t| match *t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        _ => false,
    })
}

/// "an integer or a string of digits", from the branches of a `oneOf`/`anyOf`.
fn alternatives(root: &Value, parent: &Value) -> String {
    let list = parent
        .get("oneOf")
        .or_else(|| parent.get("anyOf"))
        .and_then(Value::as_array);
    let mut names: Vec<String> = Vec::new();
    for b in list.into_iter().flatten() {
        let b = walk::resolve(root, b);
        let name = if let Some(p) = b.get("pattern").and_then(Value::as_str) {
            crate::models::pattern_name(p)
                .unwrap_or("a string in the expected form")
                .to_owned()
        } else if let Some(c) = b.get("const") {
            show_json(c)
        } else if let Some(e) = b.get("enum").and_then(Value::as_array) {
            e.iter().map(show_plain).collect::<Vec<_>>().join(", ")
        } else {
            match b.get("type") {
                Some(Value::String(t)) => article(t).to_owned(),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .map(article)
                    .collect::<Vec<_>>()
                    .join(" or "),
                _ => "a value of another form".to_owned(),
            }
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(" or ")
}

fn article(t: &str) -> &'static str {
    match t {
        "object" => "an object",
        "array" => "an array",
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        "null" => "null",
        _ => "a value",
    }
}

/// The last segment of a pointer, as a field name for messages.
pub(crate) fn field_name(pointer: &str) -> Cow<'_, str> {
    match pointer.rsplit('/').next() {
        Some(last) if !pointer.is_empty() => {
            if last.bytes().all(|b| b.is_ascii_digit()) {
                Cow::Owned(format!("item {last}"))
            } else if last.contains('~') {
                Cow::Owned(walk::unescape(last))
            } else {
                Cow::Borrowed(last)
            }
        }
        _ => Cow::Borrowed("the document"),
    }
}

fn in_object(pointer: &str) -> String {
    if pointer.is_empty() {
        String::new()
    } else {
        format!(" in {}", field_name(pointer))
    }
}

/// A short rendering of a value for messages: strings quoted and cut, containers by type.
pub(crate) fn show(v: View<'_>) -> String {
    let mut shown = String::new();
    show_into(&mut shown, v);
    shown
}

/// [`show`] written at the end of `out`.
fn show_into(out: &mut String, v: View<'_>) {
    use std::fmt::Write;
    match v.kind() {
        Type::String => out.push_str(&quoted(v.as_str().unwrap_or_default())),
        Type::Array | Type::Object => out.push_str(v.type_name()),
        Type::Number => match v.as_number() {
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => out.push_str("null"),
        },
        Type::Bool => out.push_str(if v.as_bool().unwrap_or_default() {
            "true"
        } else {
            "false"
        }),
        Type::Null | Type::Key => out.push_str("null"),
    }
}

/// [`show`] for a value of the schema.
fn show_json(v: &Value) -> String {
    match v {
        Value::String(s) => quoted(s),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        other => other.to_string(),
    }
}

/// A string quoted and cut at 60 characters.
fn quoted(s: &str) -> String {
    let mut cut: String = s.chars().take(60).collect();
    if cut.len() < s.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

fn show_plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

fn count_chars(v: View<'_>) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn count_items(v: View<'_>) -> usize {
    if v.is_array() { v.len() } else { 0 }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(schema: &Value, doc: &Value) -> Vec<Finding> {
        let mut out = Vec::new();
        let doc = crate::parse::Doc::from_value(doc);
        super::super::compact::validate(schema, doc.root(), usize::MAX, &mut out);
        out
    }

    fn action_schema() -> Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"callflow": {"type": "array", "items": {"$ref": "#/$defs/Action"}}},
            "$defs": {
                "Action": {"oneOf": [
                    {"type": "object", "properties": {"action": {"const": "say"}, "params": {"type": "object",
                        "properties": {"text": {"type": "string", "maxLength": 5}}, "required": ["text"]}},
                     "required": ["action", "params"]},
                    {"type": "object", "properties": {"action": {"const": "hangup"}}, "required": ["action"]}
                ]},
                "Code": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^-?[0-9]+$"}]}
            }
        })
    }

    #[test]
    fn a_tagged_union_reports_only_the_selected_branch() {
        let s = action_schema();
        let got = errors(
            &s,
            &json!({"callflow": [{"action": "say", "params": {"text": "far too long"}}]}),
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].pointer, "/callflow/0/params/text");
        assert_eq!(got[0].rule, "schema.maxLength");
        assert!(
            got[0].message.contains("at most 5 characters"),
            "{}",
            got[0].message
        );

        let got = errors(&s, &json!({"callflow": [{"action": "sya"}]}));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].pointer, "/callflow/0/action");
        assert!(
            got[0].message.contains("did you mean say?"),
            "{}",
            got[0].message
        );

        let got = errors(&s, &json!({"callflow": [{"params": {}}]}));
        assert_eq!(
            (got[0].pointer.as_str(), got[0].missing),
            ("/callflow/0/action", true)
        );
    }

    #[test]
    fn required_points_at_the_missing_property() {
        let s = json!({"type": "object", "properties": {"payload": {"type": "object", "required": ["sessionId"]}}});
        let got = errors(&s, &json!({"payload": {}}));
        assert_eq!(got[0].pointer, "/payload/sessionId");
        assert!(got[0].missing);
        assert_eq!(
            got[0].message,
            "missing required property `sessionId` in payload"
        );
    }

    #[test]
    fn untagged_alternatives_are_summarized() {
        let s = json!({"$defs": action_schema()["$defs"].clone(), "type": "object", "properties": {"errorCode": {"$ref": "#/$defs/Code"}}});
        let got = errors(&s, &json!({"errorCode": true}));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0]
                .message
                .starts_with("errorCode must be an integer or "),
            "{}",
            got[0].message
        );
        assert!(got[0].message.ends_with("got true"), "{}", got[0].message);
    }

    #[test]
    fn types_enums_and_values_read_well() {
        let s = json!({"type": "object", "properties": {
            "callId": {"type": "string"}, "status": {"enum": ["COMPLETED", "BUSY"]}, "n": {"minimum": 1}}});
        let got = errors(&s, &json!({"callId": 12, "status": "COMPLETE", "n": 0}));
        let msgs: Vec<&str> = got.iter().map(|e| e.message.as_str()).collect();
        assert!(
            msgs.contains(&"callId must be a string, got 12"),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(
                &"status must be one of COMPLETED, BUSY, got \"COMPLETE\" (did you mean COMPLETED?)"
            ),
            "{msgs:?}"
        );
        assert!(msgs.contains(&"n must be at least 1, got 0"), "{msgs:?}");
    }
}
