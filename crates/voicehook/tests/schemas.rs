//! The committed JSON Schemas and the Rust models, checked against each other and against
//! the documents 8x8 publishes.
//!
//! What goes where:
//! - `drift`: each file under `schemas/` is exactly what the models generate;
//! - `docs`: every JSON example of the 8x8 pages (`tests/fixtures/docs/`) passes its schema
//!   and deserializes into its model;
//! - `edge`: hand-written edge cases (`tests/fixtures/edge/`), each with the verdict the schema
//!   must give; the Node test suite runs the same list through ajv, so both engines agree;
//! - `contradictions`: one test per contradiction between the pages that the schemas settle,
//!   named after its number in `reference/README.md`, with the decision in a comment.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use voicehook::Kind;
use voicehook::models::Document;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Schema errors of `doc` against the committed schema of `kind`, as `pointer: message` lines.
fn schema_errors(kind: Kind, doc: &Value) -> Vec<String> {
    let validator = jsonschema::draft202012::new(voicehook::schema::schema(kind))
        .unwrap_or_else(|e| panic!("the {kind} schema does not compile: {e}"));
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn passes(kind: Kind, doc: &Value) -> bool {
    schema_errors(kind, doc).is_empty()
}

/// A valid document of `kind` (the edge fixture `valid.json`) with the value at each pointer
/// replaced, or added when its parent object lacks it.
fn valid_with(kind: Kind, edits: &[(&str, Value)]) -> Value {
    let mut doc = read_json(&repo().join(format!("tests/fixtures/edge/{}/valid.json", kind.id())));
    for (pointer, value) in edits {
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        match doc.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.insert(key.to_owned(), value.clone());
            }
            Some(Value::Array(items)) => {
                let index: usize = key.parse().expect("an array index");
                items[index] = value.clone();
            }
            _ => panic!("no {parent} in the valid {kind}"),
        }
    }
    doc
}

mod drift {
    use super::*;

    #[test]
    fn committed_schemas_match_the_models() {
        let mut stale = Vec::new();
        for kind in Kind::ALL {
            if voicehook::schema::committed(kind) != voicehook::schema::render(kind) {
                stale.push(format!("schemas/{}.schema.json", kind.id()));
            }
        }
        assert!(
            stale.is_empty(),
            "{} differ from the models: run `cargo xtask schemas`",
            stale.join(", ")
        );
    }

    #[test]
    fn committed_canonical_schemas_match_the_models() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/canonical");
        let mut stale = Vec::new();
        for kind in Kind::ALL {
            let path = dir.join(format!("{}.schema.json", kind.id()));
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            if committed != voicehook::schema::render_canonical(kind) {
                stale.push(format!("schemas/canonical/{}.schema.json", kind.id()));
            }
            let schema: serde_json::Value = serde_json::from_str(&committed).unwrap_or_default();
            assert!(jsonschema::draft202012::new(&schema).is_ok(), "{kind}");
        }
        assert!(
            stale.is_empty(),
            "{} differ from the models: run `cargo xtask schemas`",
            stale.join(", ")
        );
    }

    #[test]
    fn committed_schemas_are_draft_2020_12_and_compile() {
        for kind in Kind::ALL {
            let schema = voicehook::schema::schema(kind);
            assert_eq!(
                schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{kind}"
            );
            assert_eq!(
                schema["$id"],
                format!("https://voicehook.dev/schemas/{}.schema.json", kind.id())
            );
            assert!(jsonschema::draft202012::new(schema).is_ok(), "{kind}");
        }
    }

    #[test]
    fn schema_examples_pass_their_schema() {
        for kind in Kind::ALL {
            let schema = voicehook::schema::schema(kind);
            for (i, example) in schema["examples"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                assert_eq!(
                    schema_errors(kind, example),
                    Vec::<String>::new(),
                    "{kind} example {i}"
                );
            }
        }
    }
}

mod docs {
    use super::*;

    /// True when the document still holds a template placeholder of its page (`{{Virtual
    /// Number}}`, `<utc_timestamp>`). The page tells the reader to substitute it, so where it
    /// stands for a phone number or a timestamp the schema rejects the example as printed
    /// (the expected failures: the advanced IVR guide's makeCall placeholders and the Voice
    /// Messaging guide's `"validUntil": "<utc_timestamp>"`).
    fn has_placeholder(value: &Value) -> bool {
        match value {
            Value::String(s) => s.contains("{{") || (s.starts_with('<') && s.ends_with('>')),
            Value::Array(items) => items.iter().any(has_placeholder),
            Value::Object(map) => map.values().any(has_placeholder),
            _ => false,
        }
    }

    #[test]
    fn every_documented_example_passes_its_schema_and_model() {
        let dir = repo().join("tests/fixtures/docs");
        let manifest = read_json(&dir.join("manifest.json"));
        // An array of entries, or an object holding one.
        let entries = manifest
            .as_array()
            .or_else(|| manifest.as_object()?.values().find_map(Value::as_array))
            .expect("the docs manifest lists its fixtures in an array");
        let (mut passed, mut placeholders, mut failures) = (0, Vec::new(), Vec::new());
        for entry in entries {
            let (Some(file), Some(kind)) = (entry["file"].as_str(), entry["kind"].as_str()) else {
                continue;
            };
            if entry["json"] != true {
                continue;
            }
            let kind: Kind = kind.parse().unwrap_or_else(|e| panic!("{file}: {e}"));
            // `file` is relative to the fixtures folder (or, failing that, to the repository).
            let path = Some(dir.join(file))
                .filter(|p| p.exists())
                .unwrap_or_else(|| repo().join(file));
            let doc = read_json(&path);
            if let Err(e) = Document::from_value(kind, &doc) {
                failures.push(format!("{file} ({kind}) does not deserialize: {e}"));
            }
            let errors = schema_errors(kind, &doc);
            if errors.is_empty() {
                passed += 1;
            } else if has_placeholder(&doc) {
                placeholders.push(file.to_owned());
            } else {
                failures.push(format!("{file} ({kind}): {}", errors.join("; ")));
            }
        }
        assert!(
            failures.is_empty(),
            "documented examples that fail:\n{}",
            failures.join("\n")
        );
        assert!(
            passed >= 41,
            "only {passed} documented examples pass (placeholders: {placeholders:?})"
        );
    }
}

mod edge {
    use super::*;

    #[test]
    fn edge_cases_get_their_expected_verdict() {
        let dir = repo().join("tests/fixtures/edge");
        let manifest = read_json(&dir.join("manifest.json"));
        let entries = manifest.as_array().expect("the edge manifest is an array");
        let mut wrong = Vec::new();
        for entry in entries {
            let file = entry["file"].as_str().expect("file");
            let kind: Kind = entry["kind"]
                .as_str()
                .expect("kind")
                .parse()
                .expect("a kind id");
            let valid = entry["valid"].as_bool().expect("valid");
            let errors = schema_errors(kind, &read_json(&dir.join(file)));
            if errors.is_empty() != valid {
                wrong.push(format!(
                    "{file}: expected valid={valid} ({}), errors: {errors:?}",
                    entry["note"]
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        for kind in Kind::ALL {
            let n = entries.iter().filter(|e| e["kind"] == kind.id()).count();
            assert!(n >= 3, "only {n} edge cases for {kind}");
        }
    }

    #[test]
    fn valid_edge_cases_deserialize_into_their_model() {
        let dir = repo().join("tests/fixtures/edge");
        for entry in read_json(&dir.join("manifest.json"))
            .as_array()
            .into_iter()
            .flatten()
        {
            if entry["valid"] != true {
                continue;
            }
            let file = entry["file"].as_str().unwrap_or_default();
            let kind: Kind = entry["kind"]
                .as_str()
                .unwrap_or_default()
                .parse()
                .expect("a kind id");
            let doc = read_json(&dir.join(file));
            let parsed = Document::from_value(kind, &doc);
            assert!(parsed.is_ok(), "{file}: {:?}", parsed.err());
        }
    }
}

mod contradictions {
    use super::*;
    use voicehook::models::vss::{LegStatus, SessionStatus, VssWebhook};

    // 2. Decision: `details` is a map from any leg key to a leg, and legs accept unknown
    // properties, so `CallA` and `"SourceRefId": "null"` pass the schema; the normalize layer
    // rewrites them to `callA` / `sourceRefId` and warns. `"null"` is a plain string here.
    #[test]
    fn contradiction_02_capital_leg_key_and_null_string_pass_the_schema() {
        let leg = valid_with(Kind::Vss, &[])["payload"]["details"]["callA"].clone();
        let mut leg = leg.as_object().cloned().unwrap_or_default();
        leg.shift_remove("sourceRefId");
        leg.insert("SourceRefId".into(), json!("null"));
        let doc = valid_with(Kind::Vss, &[("/payload/details", json!({ "CallA": leg }))]);
        assert!(
            passes(Kind::Vss, &doc),
            "{:?}",
            schema_errors(Kind::Vss, &doc)
        );
        let vss: VssWebhook = serde_json::from_value(doc).expect("deserializes");
        assert!(vss.payload.details.contains_key("CallA"));
        assert_eq!(vss.payload.details["CallA"].source_ref_id, None);
        // A real "null" string under the right key stays a string.
        let doc = valid_with(
            Kind::Vss,
            &[("/payload/details/callA/sourceRefId", json!("null"))],
        );
        assert!(passes(Kind::Vss, &doc));
    }

    // 3. Decision: a leg timestamp a year before the session start is not a schema matter;
    // the schema accepts it and the `vss` rules report it.
    #[test]
    fn contradiction_03_leg_dates_before_the_session_pass_the_schema() {
        let doc = valid_with(
            Kind::Vss,
            &[
                ("/payload/startTime", json!("2024-07-13T09:54:38Z")),
                (
                    "/payload/details/callA/initiatedTimestamp",
                    json!("2023-07-13T09:54:38Z"),
                ),
            ],
        );
        assert!(passes(Kind::Vss, &doc));
    }

    // 4. Decision: `errorCode` is an integer or a string of digits (`anyOf`); the Rust value
    // is always the integer. A string that is not a number is rejected.
    #[test]
    fn contradiction_04_error_code_string_or_integer() {
        for code in [json!(-2004), json!("-2004")] {
            let doc = valid_with(
                Kind::Vss,
                &[
                    ("/payload/sessionStatus", json!("ERROR")),
                    (
                        "/payload/errorDetails",
                        json!({"errorMsg": "No coverage", "errorCode": code}),
                    ),
                ],
            );
            assert!(passes(Kind::Vss, &doc), "{code}");
            let vss: VssWebhook = serde_json::from_value(doc).expect("deserializes");
            assert_eq!(
                vss.payload.error_details.map(|e| e.error_code.0),
                Some(-2004)
            );
        }
        let doc = valid_with(
            Kind::Vss,
            &[(
                "/payload/errorDetails",
                json!({"errorMsg": "x", "errorCode": "E2004"}),
            )],
        );
        assert!(!passes(Kind::Vss, &doc));
    }

    // 5. Decision: `lastAction` is an open string (the pages list different values, the
    // Number Masking example sends PLAY_TTS); the schema only lists known values as examples.
    #[test]
    fn contradiction_05_last_action_is_an_open_string() {
        for action in ["PLAY_TTS", "MAKE_CALL", "makeCall", "SAY_AND_CAPTURE"] {
            assert!(
                passes(
                    Kind::Vss,
                    &valid_with(Kind::Vss, &[("/payload/lastAction", json!(action))])
                ),
                "{action}"
            );
        }
        assert!(!passes(
            Kind::Vss,
            &valid_with(Kind::Vss, &[("/payload/lastAction", json!(3))])
        ));
    }

    // 6. Decision: a VCA `callDuration` is an integer or a string of digits; the Rust value
    // is the number of seconds.
    #[test]
    fn contradiction_06_vca_call_duration_string_or_integer() {
        for duration in [json!(0), json!("0"), json!("17")] {
            let doc = valid_with(Kind::Vca, &[("/payload/callDuration", duration.clone())]);
            assert!(passes(Kind::Vca, &doc), "{duration}");
            assert!(Document::from_value(Kind::Vca, &doc).is_ok());
        }
        assert!(!passes(
            Kind::Vca,
            &valid_with(Kind::Vca, &[("/payload/callDuration", json!("12s"))])
        ));
    }

    // 7. Decision: `NO ANSWER` (space) is accepted beside `NO_ANSWER` for session and leg
    // statuses and read as `NoAnswer`; `ERROR` is a valid leg status (the failure examples use
    // it). Strict mode, a layer above, reports the spelling.
    #[test]
    fn contradiction_07_no_answer_with_space_and_error_leg_status() {
        let doc = valid_with(
            Kind::Vss,
            &[
                ("/payload/sessionStatus", json!("NO ANSWER")),
                ("/payload/details/callA/callStatus", json!("NO ANSWER")),
            ],
        );
        assert!(passes(Kind::Vss, &doc));
        let vss: VssWebhook = serde_json::from_value(doc).expect("deserializes");
        assert_eq!(vss.payload.session_status, SessionStatus::NoAnswer);
        assert_eq!(
            vss.payload.details["callA"].call_status,
            LegStatus::NoAnswer
        );
        assert_eq!(
            serde_json::to_value(LegStatus::NoAnswer).ok(),
            Some(json!("NO_ANSWER"))
        );
        let doc = valid_with(
            Kind::Vss,
            &[("/payload/details/callA/callStatus", json!("ERROR"))],
        );
        assert!(passes(Kind::Vss, &doc));
        let doc = valid_with(
            Kind::Vss,
            &[("/payload/details/callA/callStatus", json!("NO-ANSWER"))],
        );
        assert!(!passes(Kind::Vss, &doc));
    }

    // 8. Decision: the create body's flag is `enabled` (optional); the guides' `active` is not
    // a property of the schema, so it passes as an unknown field and the validator warns about
    // it (with a did-you-mean) instead of failing the guide's example.
    #[test]
    fn contradiction_08_webhook_create_active_is_an_unknown_field() {
        let doc = json!({"active": true, "type": "VCA", "url": "https://{{Your URL Endpoint}}"});
        assert!(passes(Kind::WebhookCreate, &doc));
        let schema = voicehook::schema::schema(Kind::WebhookCreate);
        assert!(schema["properties"].get("enabled").is_some());
        assert!(schema["properties"].get("active").is_none());
        assert!(
            !schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|r| r == "enabled")
        );
    }

    // 9. Decision: the create body accepts all five types, VNU included, as the create
    // reference does; the DELETE path's shorter list is not a document voicehook validates.
    #[test]
    fn contradiction_09_webhook_create_accepts_vnu() {
        assert!(passes(
            Kind::WebhookCreate,
            &valid_with(Kind::WebhookCreate, &[("/type", json!("VNU"))])
        ));
    }

    // 10. Decision: `speed` is a number from 0.5 to 2.0 (not an integer), `sayAndCapture`
    // accepts `repetition` (1 to 3) as the IVR examples send it, and the schema states no
    // defaults, since the two sources disagree on them.
    #[test]
    fn contradiction_10_speed_is_a_number_and_say_and_capture_takes_repetition() {
        for (speed, ok) in [
            (json!(0.5), true),
            (json!(1.25), true),
            (json!(2), true),
            (json!(0.4), false),
            (json!(2.1), false),
        ] {
            let doc = valid_with(
                Kind::Callflow,
                &[("/callflow/2/params/speed", speed.clone())],
            );
            assert_eq!(passes(Kind::Callflow, &doc), ok, "speed {speed}");
        }
        let doc = valid_with(
            Kind::VcaReply,
            &[("/callflow/0/params/repetition", json!(2))],
        );
        assert!(passes(Kind::VcaReply, &doc));
        assert!(!voicehook::schema::render(Kind::Callflow).contains("\"default\""));
    }

    // 11. Decision: `CANCELED` (one L) is the canonical value; the API introduction's
    // `CANCELLED` is a documented quirk the schemas accept (as they describe what 8x8 sends) and
    // validation reads as `CANCELED` with a `normalize.status-spelling` warning (an error in
    // strict mode). Its `{"status": "RINGING"}` VCS lines are illustrations and are rejected.
    #[test]
    fn contradiction_11_canceled_is_canonical() {
        for pointer in [
            "/payload/sessionStatus",
            "/payload/details/callA/callStatus",
        ] {
            let doc = valid_with(Kind::Vss, &[(pointer, json!("CANCELLED"))]);
            assert!(passes(Kind::Vss, &doc));
            let bytes = doc.to_string();
            let lenient = voicehook::validate(bytes.as_bytes());
            assert!(lenient.valid, "{:?}", lenient.errors);
            let w = lenient
                .warnings
                .iter()
                .find(|w| w.rule == "normalize.status-spelling")
                .unwrap();
            assert_eq!(w.pointer, pointer);
            assert!(w.message.contains("\"CANCELED\""), "{}", w.message);
            let strict = voicehook::validate_with(
                bytes.as_bytes(),
                &voicehook::Options {
                    strict: true,
                    ..Default::default()
                },
            );
            assert!(
                strict
                    .errors
                    .iter()
                    .any(|e| e.rule == "normalize.status-spelling")
            );
        }
        assert!(!passes(Kind::Vcs, &json!({"status": "RINGING"})));
    }
}
