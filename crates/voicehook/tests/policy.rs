//! The severity policy (`voicehook::catalog`): what `valid` means for each kind, tested on
//! every fixture in both modes, and the catalog as the one list of rule ids.

use std::path::Path;

use serde_json::Value;
use voicehook::catalog::{self, Severity};
use voicehook::{Kind, Options};

/// Every fixture of the three corpora with its manifest entry.
fn fixtures() -> Vec<(String, Value, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut out = Vec::new();
    for corpus in ["docs", "openapi", "edge"] {
        let dir = root.join(corpus);
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        for entry in manifest.as_array().unwrap() {
            let file = entry["file"].as_str().unwrap();
            let bytes = std::fs::read(dir.join(file)).unwrap();
            out.push((format!("{corpus}/{file}"), entry.clone(), bytes));
        }
    }
    out
}

fn opts(strict: bool) -> Options {
    Options {
        strict,
        now: Some(1_719_792_000_000),
        ..Options::default()
    }
}

/// Every rule id any fixture produces, in either mode, is in the catalog, and is reported with
/// the catalog's severity for that mode.
#[test]
fn every_reported_rule_is_in_the_catalog_with_its_severity() {
    let mut seen = 0;
    for (name, _, bytes) in fixtures() {
        for strict in [false, true] {
            let report = voicehook::validate_with(&bytes, &opts(strict));
            for (d, severity) in report
                .errors
                .iter()
                .map(|d| (d, Severity::Error))
                .chain(report.warnings.iter().map(|d| (d, Severity::Warning)))
            {
                let rule = catalog::rule(d.rule.id)
                    .filter(|r| std::ptr::eq(*r, d.rule))
                    .unwrap_or_else(|| panic!("{name}: rule {} is not in the catalog", d.rule));
                assert_eq!(
                    rule.severity(strict),
                    severity,
                    "{name} (strict {strict}): {} reported as {severity:?}",
                    d.rule
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 100, "only {seen} findings over all fixtures");
}

/// A webhook 8x8's own pages print is never rejected in lenient mode: every documented webhook
/// example that is JSON and has no unfilled template placeholder is valid.
#[test]
fn no_documented_webhook_is_rejected() {
    let mut checked = 0;
    for (name, entry, bytes) in fixtures() {
        let Some(kind) = entry["kind"].as_str().and_then(|k| k.parse::<Kind>().ok()) else {
            continue;
        };
        if !kind.is_webhook() || !name.starts_with("docs/") || entry["json"] != true {
            continue;
        }
        if entry["note"]
            .as_str()
            .is_some_and(|n| n.contains("placeholder"))
        {
            continue;
        }
        let report = voicehook::validate_with(&bytes, &opts(false));
        assert!(report.valid, "{name}: {:#?}", report.errors);
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} documented webhooks");
}

/// The overview's workflow has a session summary carry -1004: a warning that names it an API
/// status code, an error only in strict mode.
#[test]
fn an_api_status_code_in_a_session_summary_is_a_warning() {
    let body = br#"{"namespace": "VOICE", "eventType": "SESSION_SUMMARY", "description": "d",
      "payload": {"sessionId": "b1b7a5c4-0c5e-11ef-9ff4-2fd0a6d7e0c7",
        "subAccountId": "acme", "sessionStatus": "ERROR",
        "startTime": "2024-05-16T04:12:11Z", "endTime": "2024-05-16T04:12:20Z",
        "callCount": 0, "lastAction": "MAKE_CALL", "details": {},
        "errorDetails": {"errorCode": -1004, "errorMsg": "invalid destination"}}}"#;
    let lenient = voicehook::validate_with(body, &opts(false));
    assert!(lenient.valid, "{:#?}", lenient.errors);
    let w = lenient
        .warnings
        .iter()
        .find(|w| w.rule == "code.wrong-table")
        .expect("code.wrong-table warning");
    assert!(w.message.contains("-1017"), "{}", w.message);
    let strict = voicehook::validate_with(body, &opts(true));
    assert!(!strict.valid);
    assert!(strict.errors.iter().any(|e| e.rule == "code.wrong-table"));
}

/// Documents the user sends keep their errors in lenient mode: 8x8 would refuse them.
#[test]
fn a_callflow_8x8_refuses_is_invalid_in_both_modes() {
    let body = br#"{"validUntil": "2099-01-01T00:00:00Z", "callflow": [
      {"action": "say", "params": {"text": "hi", "language": "en-US", "voiceProfile": "en-US-Standard-A"}}]}"#;
    for strict in [false, true] {
        let report = voicehook::validate_with(body, &opts(strict));
        assert!(!report.valid);
        assert_eq!(report.predicted_status_code, Some(-1013));
    }
}

/// Strict mode changes severities only: the rules still read the canonical view, so a quirk
/// does not hide a plausibility finding behind it.
#[test]
fn strict_mode_keeps_every_finding_lenient_mode_has() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    for (name, _, bytes) in fixtures() {
        let lenient = voicehook::validate_with(&bytes, &opts(false));
        let strict = voicehook::validate_with(&bytes, &opts(true));
        let ids = |r: &voicehook::Report| {
            let mut v: Vec<(String, String)> = r
                .errors
                .iter()
                .chain(&r.warnings)
                .map(|d| (d.rule.id.to_owned(), d.pointer.clone()))
                .collect();
            v.sort();
            v
        };
        assert_eq!(ids(&lenient), ids(&strict), "{name}");
    }
    // The case the review found: CANCELLED in a session whose legs say otherwise.
    let bytes = std::fs::read(dir.join("edge/vss/session-status-cancelled.json")).unwrap();
    let strict = voicehook::validate_with(&bytes, &opts(true));
    let rules: Vec<&str> = strict.errors.iter().map(|e| e.rule.id).collect();
    assert!(rules.contains(&"normalize.status-spelling"), "{rules:?}");
}

/// A renamed key is shown at the key, where the rename happened.
#[test]
fn a_key_case_quirk_is_positioned_at_the_key() {
    let text = "{\"namespace\": \"VOICE\", \"eventType\": \"SESSION_SUMMARY\", \"description\": \"d\",\n\"payload\": {\"details\": {\n  \"CallA\": {}}}}";
    let report = voicehook::validate(text.as_bytes());
    let w = report
        .warnings
        .iter()
        .find(|w| w.rule == "normalize.key-case")
        .unwrap();
    assert_eq!((w.line, w.column), (Some(3), Some(3)));
}
