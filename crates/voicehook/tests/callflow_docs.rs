//! Every callflow and VCA reply printed in the 8x8 pages, through the whole pipeline.
//!
//! What goes where:
//! - `docs`: each doc fixture of kind `callflow` or `vca-reply` (`tests/fixtures/docs/`,
//!   listed in its manifest) validates and predicts status 1 (callflow) or no session error
//!   (vca-reply), except the expected failures listed in [`EXPECTED`], each with its reason;
//! - `edge`: the hand-written callflow edge cases (`tests/fixtures/edge/`) predict the code their
//!   note names.

use std::path::{Path, PathBuf};

use serde_json::Value;
use voicehook::{Kind, Options, Report};

/// 2024-07-01T00:00:00Z: before the `validUntil` the pages print (2024-07-03), so the examples
/// are judged as of when they were written.
const NOW: i64 = 1_719_792_000_000;

/// Doc fixtures that must not pass, and why. `status` is the predicted status code for kind
/// `callflow`; replies that fail predict session error -2003.
struct Expected {
    file: &'static str,
    status: Option<i32>,
    reason: &'static str,
}

const EXPECTED: &[Expected] = &[
    Expected {
        file: "ivr--advanced-ivr.1.json",
        status: Some(-1017),
        reason: "template placeholders \"{{Virtual Number}}\" and \"{{Number to Call}}\" stand for the numbers; \
                 the destination is not an MSISDN (-1017 beats the source's -1009)",
    },
    Expected {
        file: "ivr--advanced-ivr.11.json",
        status: None,
        reason: "template placeholders \"{{Source Phone Number}}\" and \"{{Destination Phone Number}}\" are not MSISDNs",
    },
    Expected {
        file: "voice-messaging--voice-messaging-guide.1.json",
        status: Some(-1009),
        reason: "validUntil is the placeholder \"<utc_timestamp>\", not a timestamp",
    },
    Expected {
        file: "voice-messaging--voice-messaging-guide.2.json",
        status: Some(-1009),
        reason: "validUntil is the placeholder \"<utc_timestamp>\", not a timestamp",
    },
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validate(bytes: &[u8], kind: Kind) -> Report {
    voicehook::validate_with(
        bytes,
        &Options {
            kind: Some(kind),
            now: Some(NOW),
            ..Options::default()
        },
    )
}

fn summary(report: &Report) -> String {
    report
        .errors
        .iter()
        .map(|d| format!("\n  {} {}: {}", d.pointer, d.rule, d.message))
        .collect()
}

mod docs {
    use super::*;

    #[test]
    fn printed_callflows_and_replies_predict_success() {
        let dir = repo().join("tests/fixtures/docs");
        let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
            panic!(
                "no doc fixtures at {}; run `cargo xtask fixtures`",
                dir.display()
            );
        };
        let manifest: Value = serde_json::from_str(&text).expect("the manifest is JSON");
        let entries = manifest
            .as_array()
            .or_else(|| manifest.as_object()?.values().find_map(Value::as_array))
            .expect("the docs manifest lists its fixtures in an array");
        let mut seen_expected = Vec::new();
        let mut checked = 0;
        for entry in entries {
            let kind = match entry["kind"].as_str() {
                Some("callflow") => Kind::Callflow,
                Some("vca-reply") => Kind::VcaReply,
                _ => continue,
            };
            let file = entry["file"].as_str().expect("each fixture names its file");
            let path = dir.join(file);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let report = validate(&bytes, kind);
            checked += 1;

            // Not JSON as printed (`//` comments, trailing commas, unquoted {{placeholders}}):
            // the parser's to report, nothing the callflow rules can judge.
            if entry["json"] == Value::Bool(false) {
                assert!(
                    !report.valid,
                    "{file} is not JSON as printed, yet it validated"
                );
                assert!(
                    report.errors.iter().any(|d| d.rule.id.starts_with("json.")),
                    "{file}: expected json.* errors:{}",
                    summary(&report)
                );
                continue;
            }

            if let Some(expected) = EXPECTED.iter().find(|e| e.file == file) {
                seen_expected.push(file);
                assert!(!report.valid, "{file} should fail: {}", expected.reason);
                match kind {
                    Kind::Callflow => assert_eq!(
                        report.predicted_status_code,
                        expected.status,
                        "{file} ({}):{}",
                        expected.reason,
                        summary(&report)
                    ),
                    _ => assert_eq!(
                        report.predicted_session_error_code,
                        Some(-2003),
                        "{file} ({})",
                        expected.reason
                    ),
                }
                continue;
            }

            assert!(report.valid, "{file}:{}", summary(&report));
            match kind {
                Kind::Callflow => {
                    assert_eq!(report.predicted_status_code, Some(1), "{file}");
                    assert_eq!(report.predicted_session_error_code, None, "{file}");
                }
                _ => {
                    assert_eq!(report.predicted_status_code, None, "{file}");
                    assert_eq!(report.predicted_session_error_code, None, "{file}");
                }
            }
        }
        for e in EXPECTED {
            assert!(
                seen_expected.contains(&e.file),
                "expected failure {} is no longer a valid JSON callflow fixture; drop it from the list",
                e.file
            );
        }
        assert!(checked >= 20, "only {checked} callflow fixtures found");
    }
}

mod openapi {
    use super::*;

    /// Every Send Callflow body in the OpenAPI file (its request examples and Examples 1-3 of the
    /// operation's description) predicts 1. Example 1 leaves out overallTimeout beside a
    /// digitTimeout (contradiction 14): accepted, with a warning that names both sources.
    #[test]
    fn openapi_callflows_predict_created() {
        let dir = repo().join("tests/fixtures/openapi");
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        let mut checked = 0;
        let mut contradiction_14 = 0;
        for entry in manifest.as_array().unwrap() {
            if entry["kind"] != "callflow" {
                continue;
            }
            let file = entry["file"].as_str().unwrap();
            let report = validate(&std::fs::read(dir.join(file)).unwrap(), Kind::Callflow);
            assert!(report.valid, "{file}:{}", summary(&report));
            assert_eq!(report.predicted_status_code, Some(1), "{file}");
            if entry["note"].as_str().unwrap().contains("contradiction 14") {
                contradiction_14 += 1;
                assert!(
                    report
                        .warnings
                        .iter()
                        .any(|w| w.rule == "callflow.timeouts-default"
                            && w.message.contains("-1005")
                            && w.message.contains("5000")),
                    "{file}:{}",
                    summary(&report)
                );
            }
            checked += 1;
        }
        assert!(checked >= 3, "only {checked} OpenAPI callflows");
        assert_eq!(contradiction_14, 1);
    }
}

mod edge {
    use super::*;

    /// The edge fixtures whose note names the code 8x8 answers, and that code.
    #[test]
    fn edge_callflows_predict_the_code_their_note_names() {
        let dir = repo().join("tests/fixtures/edge");
        let cases = [
            ("callflow/valid.json", Kind::Callflow, Some(1)),
            (
                "callflow/numbers-without-plus.json",
                Kind::Callflow,
                Some(1),
            ),
            ("callflow/speed-fraction.json", Kind::Callflow, Some(1)),
            ("callflow/speed-too-fast.json", Kind::Callflow, Some(-1009)),
            ("callflow/unknown-action.json", Kind::Callflow, Some(-1007)),
            (
                "callflow/say-without-text.json",
                Kind::Callflow,
                Some(-1009),
            ),
            (
                "callflow/destination-not-msisdn.json",
                Kind::Callflow,
                Some(-1017),
            ),
            (
                "callflow/valid-until-placeholder.json",
                Kind::Callflow,
                Some(-1009),
            ),
            ("callflow/empty.json", Kind::Callflow, Some(-1009)),
            ("vca-reply/valid.json", Kind::VcaReply, None),
            (
                "vca-reply/say-and-capture-repetition.json",
                Kind::VcaReply,
                None,
            ),
            ("vca-reply/hangup-only.json", Kind::VcaReply, None),
            (
                "vca-reply/max-digits-too-many.json",
                Kind::VcaReply,
                Some(-2003),
            ),
            ("vca-reply/play-file-ftp.json", Kind::VcaReply, Some(-2003)),
            (
                "vca-reply/repetition-four.json",
                Kind::VcaReply,
                Some(-2003),
            ),
            (
                "vca-reply/action-capitalised.json",
                Kind::VcaReply,
                Some(-2003),
            ),
        ];
        for (file, kind, code) in cases {
            let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let report = validate(&bytes, kind);
            let predicted = match kind {
                Kind::Callflow => report.predicted_status_code,
                _ => report.predicted_session_error_code,
            };
            assert_eq!(predicted, code, "{file}:{}", summary(&report));
            let success = matches!(code, None | Some(1));
            assert_eq!(report.valid, success, "{file}:{}", summary(&report));
        }
    }
}
