//! `voicehook::parse` and `voicehook::read`: the document as voicehook read it, typed by kind,
//! with the documented quirks rewritten to the canonical form.

use std::path::Path;

use voicehook::models::callflow::{Callflow, CallflowResult};
use voicehook::models::vca::{VcaCallStatus, VcaWebhook};
use voicehook::models::vss::{LegStatus, SessionStatus, VssWebhook};
use voicehook::{Document, Kind, Options};

fn fixture(path: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_quirky_documented_session_summary_reads_canonically() {
    // Voice Messaging's page writes `CallA`, `SourceRefId` and the string "null".
    let body = fixture("docs/voice-messaging--session-status.1.json");
    let vss: VssWebhook = voicehook::parse(&body).expect("valid");
    let leg = vss
        .payload
        .details
        .get("callA")
        .expect("the leg under its documented key");
    assert!(!vss.payload.details.contains_key("CallA"));
    assert_eq!(leg.source_ref_id, None, "\"null\" is read as no value");
    assert_eq!(leg.call_status, LegStatus::Completed);
    assert_eq!(vss.payload.session_status, SessionStatus::Completed);

    // The same through `read`: the quirks are the report's warnings.
    let read = voicehook::read(&body, &Options::default());
    let Some(Document::Vss(again)) = &read.document else {
        panic!("a VSS: {:?}", read.report);
    };
    assert_eq!(**again, vss);
    let rules: Vec<&str> = read.report.warnings.iter().map(|w| w.rule.id).collect();
    assert!(rules.contains(&"normalize.key-case"), "{rules:?}");
    assert!(rules.contains(&"normalize.null-string"), "{rules:?}");
}

#[test]
fn numeric_strings_are_read_as_numbers() {
    let body = fixture("edge/vca/call-duration-string.json");
    let vca: VcaWebhook = voicehook::parse(&body).expect("valid, with a warning");
    assert_eq!(vca.payload.call_duration.0, 0);
    assert_eq!(vca.payload.call_status, VcaCallStatus::ActionCompleted);
}

#[test]
fn the_canonical_form_writes_out_without_quirks() {
    let body = fixture("docs/voice-messaging--session-status.1.json");
    let vss: VssWebhook = voicehook::parse(&body).expect("valid");
    let written = serde_json::to_vec(&vss).expect("serializes");
    let report = voicehook::validate(&written);
    assert!(report.valid, "{:?}", report.errors);
    assert!(
        report
            .warnings
            .iter()
            .all(|w| !w.rule.id.starts_with("normalize.")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn an_invalid_document_has_no_data_and_its_report_says_why() {
    let body = br#"{"callflow": [{"action": "makeCall", "params": {"source": "+6568888888"}}]}"#;
    let report = voicehook::parse::<Callflow>(body).expect_err("destination is required");
    assert!(!report.valid);
    assert_eq!(report.kind, Some(Kind::Callflow));
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.pointer == "/callflow/0/params/destination")
    );

    let read = voicehook::read(b"{not json", &Options::default());
    assert_eq!(read.document, None);
    assert!(!read.report.valid);
}

#[test]
fn parse_checks_as_the_models_kind() {
    // A session summary read as a Send Callflow result: the kind the type names is checked.
    let body = fixture("docs/voice-messaging--session-status.1.json");
    let report = voicehook::parse::<CallflowResult>(&body).expect_err("not a callflow result");
    assert_eq!(report.kind, Some(Kind::CallflowResult));
    assert!(
        report.errors.iter().any(|e| e.rule == "kind.mismatch"),
        "{:?}",
        report.errors
    );
}

#[test]
fn every_kind_reads_into_its_own_variant() {
    let manifest: serde_json::Value =
        serde_json::from_slice(&fixture("docs/manifest.json")).expect("manifest");
    let mut kinds = std::collections::BTreeSet::new();
    for entry in manifest.as_array().into_iter().flatten() {
        let Some(file) = entry.get("file").and_then(|f| f.as_str()) else {
            continue;
        };
        let body = fixture(&format!("docs/{file}"));
        let read = voicehook::read(&body, &Options::default());
        if let Some(document) = &read.document {
            assert_eq!(Some(document.kind()), read.report.kind, "{file}");
            kinds.insert(document.kind().id());
        } else {
            assert!(!read.report.valid, "{file}: valid, but no document");
        }
    }
    assert_eq!(kinds.len(), Kind::ALL.len(), "kinds read: {kinds:?}");
}

#[test]
fn a_numeric_string_too_long_for_an_exact_number_is_refused() {
    // Valid documents must read into their model: a digit string whose number no 64-bit
    // integer (or JavaScript number) holds exactly is a schema error, not a "valid" document.
    let body = String::from_utf8(fixture("edge/vca/call-duration-string.json")).unwrap();
    for (from, to) in [
        (
            "\"callDuration\": \"0\"",
            "\"callDuration\": \"99999999999999999999\"",
        ),
        (
            "\"callDuration\": \"0\"",
            "\"callDuration\": \"9999999999999999\"",
        ),
    ] {
        let changed = body.replace(from, to);
        assert_ne!(changed, body);
        let report = voicehook::parse::<VcaWebhook>(changed.as_bytes()).expect_err(to);
        assert!(
            report
                .errors
                .iter()
                .any(|e| e.pointer == "/payload/callDuration"),
            "{:?}",
            report.errors
        );
        assert!(
            report
                .errors
                .iter()
                .all(|e| e.rule != "document.unreadable"),
            "{:?}",
            report.errors
        );
    }
    let exact = body.replace(
        "\"callDuration\": \"0\"",
        "\"callDuration\": \"1000000000000000\"",
    );
    let vca: VcaWebhook = voicehook::parse(exact.as_bytes()).expect("under 2^53, exact");
    assert_eq!(vca.payload.call_duration.0, 1_000_000_000_000_000);
}
