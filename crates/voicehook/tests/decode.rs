//! Decoding every example of the 8x8 pages and every edge case, through the whole pipeline.
//!
//! What goes where:
//! - `docs`: each doc fixture that is JSON and has a kind (`tests/fixtures/docs/manifest.json`)
//!   decodes, and shows what a user would notice for its kind;
//! - `edge`: every hand-written edge case decodes (they are slightly wrong on purpose) without
//!   a panic and with a summary;
//! - `contradictions`: the page contradictions decoding takes a side on;
//! - `snapshots`: three representative decoded views pinned whole (`tests/snapshots/`).

use std::path::{Path, PathBuf};

use serde_json::Value;
use voicehook::decode::{CodeTable, CodeValue, Decoded};
use voicehook::{Kind, Options};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The manifest entries of `folder` as (file, kind) for those with a kind.
fn manifest(folder: &str, only_json: bool) -> Vec<(String, Kind)> {
    let path = fixtures().join(folder).join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let entries: Vec<Value> = serde_json::from_str(&text).expect("manifest is JSON");
    entries
        .iter()
        .filter(|e| !only_json || e["json"] == true)
        .filter_map(|e| {
            let kind = e["kind"].as_str()?.parse().ok()?;
            Some((e["file"].as_str()?.to_owned(), kind))
        })
        .collect()
}

/// Decodes raw bytes read as `kind`, the way the pipeline does: parse, normalize, decode.
fn decode_bytes(bytes: &[u8], kind: Kind) -> Decoded {
    let options = Options {
        kind: Some(kind),
        ..Options::default()
    };
    let analysis = voicehook::analyze(bytes, &options);
    let doc = analysis.normalized.expect("the fixture parses");
    voicehook::decode::decode_view(kind, doc.root(), None)
}

fn decode_file(folder: &str, file: &str, kind: Kind) -> (Value, Decoded) {
    let bytes = std::fs::read(fixtures().join(folder).join(file)).expect("fixture");
    let raw: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (raw, decode_bytes(&bytes, kind))
}

mod docs {
    use super::*;

    #[test]
    fn every_doc_example_decodes_with_what_its_kind_promises() {
        let all = manifest("docs", true);
        assert!(
            all.len() >= 40,
            "only {} doc fixtures with a kind",
            all.len()
        );
        for (file, kind) in all {
            let (raw, d) = decode_file("docs", &file, kind);
            assert_eq!(d.kind, kind, "{file}");
            assert!(!d.summary.is_empty(), "{file}");
            assert!(d.idempotency_key.is_some(), "{file}");
            let offsets: Vec<Option<i64>> = d.timeline.iter().map(|e| e.offset_ms).collect();
            let mut sorted = offsets.clone();
            sorted.sort_by_key(|o| (o.is_none(), *o));
            assert_eq!(offsets, sorted, "{file}: timeline out of order");
            let p = &raw["payload"];
            match kind {
                Kind::Vss => vss(&file, p, &d),
                Kind::Vca | Kind::Vcs => {
                    assert_eq!(d.legs.len(), 1, "{file}");
                    assert_eq!(
                        d.idempotency_key.as_ref(),
                        p["eventId"].as_str().map(str::to_owned).as_ref(),
                        "{file}"
                    );
                    assert!(d.outcome.is_some(), "{file}");
                }
                Kind::Vru => assert_eq!(
                    d.idempotency_key.as_deref(),
                    Some(
                        format!(
                            "{}:{}",
                            p["recordingId"].as_str().unwrap(),
                            p["status"].as_str().unwrap()
                        )
                        .as_str()
                    ),
                    "{file}"
                ),
                Kind::Vnu => {
                    assert!(
                        d.idempotency_key
                            .as_deref()
                            .unwrap()
                            .starts_with("fnv1a64:")
                    );
                    let n = p["virtualNumbers"].as_array().map_or(0, Vec::len);
                    assert!(
                        d.summary.contains(&format!("{n} numbers")),
                        "{file}: {}",
                        d.summary
                    );
                }
                Kind::Callflow | Kind::VcaReply => {
                    let n = raw["callflow"].as_array().map_or(0, Vec::len);
                    for i in 1..=n {
                        assert!(
                            d.facts.iter().any(|f| f.label == format!("{i}.")),
                            "{file}: action {i}"
                        );
                    }
                    assert!(d.outcome.is_none(), "{file}");
                }
                Kind::CallflowResult => {
                    let o = d.outcome.as_ref().expect("outcome");
                    assert_eq!(o.success, raw["sessionStatus"] == "CREATED", "{file}");
                    let code = raw["statusCode"].as_i64().unwrap();
                    assert!(
                        d.codes.iter().any(|c| c.table == CodeTable::ApiStatus
                            && c.code == CodeValue::Number(code)),
                        "{file}"
                    );
                }
                Kind::WebhookCreate | Kind::WebhookList => {
                    assert!(
                        d.summary.contains("VSS") || d.summary.contains("VCA"),
                        "{file}: {}",
                        d.summary
                    );
                }
            }
        }
    }

    fn vss(file: &str, p: &Value, d: &Decoded) {
        let details = p["details"].as_object().expect("details");
        let keys: Vec<&str> = details.keys().map(String::as_str).collect();
        let ours: Vec<&str> = d.legs.iter().map(|l| l.key.as_str()).collect();
        // Normalization reads `CallA` as `callA` (contradiction 2).
        let expected: Vec<String> = keys
            .iter()
            .map(|k| {
                let mut c = k.chars();
                c.next()
                    .map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
            })
            .collect();
        assert_eq!(ours, expected, "{file}: one leg per details member");
        for leg in &d.legs {
            let times: Vec<i64> = [
                leg.start_offset_ms,
                leg.connect_offset_ms,
                leg.end_offset_ms,
            ]
            .into_iter()
            .flatten()
            .collect();
            assert!(
                times.windows(2).all(|w| w[0] <= w[1]),
                "{file}: {} offsets {times:?}",
                leg.key
            );
            assert!(leg.story.starts_with(&format!("{}: ", leg.key)), "{file}");
        }
        let status = p["sessionStatus"].as_str().unwrap();
        assert!(d.summary.contains(status), "{file}: {}", d.summary);
        assert_eq!(
            d.idempotency_key.as_deref(),
            p["sessionId"].as_str(),
            "{file}"
        );
        assert!(d.product.is_some(), "{file}");
        assert!(
            d.codes
                .iter()
                .any(|c| c.table == CodeTable::Status && c.pointer == "/payload/sessionStatus"),
            "{file}"
        );
        if let Some(code) = p["errorDetails"]["errorCode"].as_i64() {
            assert!(
                d.codes.iter().any(|c| c.code == CodeValue::Number(code)),
                "{file}"
            );
        }
    }

    #[test]
    fn ivr_scenario_1_reads_as_a_completed_two_leg_session_of_excellent_quality() {
        let (_, d) = decode_file("docs", "ivr--session-summary-ivr.1.json", Kind::Vss);
        assert!(d.summary.contains("COMPLETED"), "{}", d.summary);
        assert!(d.summary.contains("2 legs"), "{}", d.summary);
        assert!(d.summary.starts_with("IVR session"), "{}", d.summary);
        assert_eq!(d.duration_seconds, Some(35.0));
        let band = d.legs[0].mos_band.as_ref().expect("MOS 4.5 has a band");
        assert_eq!(d.legs[0].mos, Some(4.5));
        assert_eq!(band.name, "Excellent");
    }

    #[test]
    fn code_pointers_point_into_the_document_as_written() {
        // A capitalised leg key is read as callA; the decoded codes still name CallA, so each
        // pointer finds its value in the text the user holds, like the report's pointers.
        let text = std::fs::read_to_string(fixtures().join("docs/ivr--session-summary-ivr.1.json"))
            .unwrap()
            .replacen("\"callA\"", "\"CallA\"", 1);
        let written: Value = serde_json::from_str(&text).unwrap();
        let d = voicehook::decode(text.as_bytes()).unwrap();
        assert!(!d.codes.is_empty());
        assert!(
            d.codes.iter().any(|c| c.pointer.contains("/CallA/")),
            "{:?}",
            d.codes.iter().map(|c| &c.pointer).collect::<Vec<_>>()
        );
        for c in &d.codes {
            assert!(
                written.pointer(&c.pointer).is_some(),
                "{} is not in the document",
                c.pointer
            );
        }
    }

    #[test]
    fn the_string_null_in_a_required_field_reads_as_nothing() {
        let text = std::fs::read_to_string(fixtures().join("docs/ivr--session-summary-ivr.1.json"))
            .unwrap();
        let written: Value = serde_json::from_str(&text).unwrap();
        let mut doc = written.clone();
        doc["payload"]["sessionId"] = Value::from("null");
        doc["payload"]["endTime"] = Value::from("null");
        let d = voicehook::decode(&serde_json::to_vec(&doc).unwrap()).unwrap();
        let key = d.idempotency_key.as_deref().unwrap();
        assert_ne!(key, "null");
        assert!(
            d.timeline.iter().all(|e| e.at != "null"),
            "{:?}",
            d.timeline
        );
        assert!(
            !d.timeline
                .iter()
                .any(|e| e.event.starts_with("session ended"))
        );
    }

    #[test]
    fn the_voice_messaging_failure_example_explains_its_error() {
        let (_, d) = decode_file("docs", "voice-messaging--session-status.2.json", Kind::Vss);
        assert!(!d.outcome.as_ref().unwrap().success);
        let e = d
            .codes
            .iter()
            .find(|c| c.code == CodeValue::Number(-2004))
            .unwrap();
        assert_eq!(e.table, CodeTable::SessionError);
        assert!(
            d.summary
                .ends_with("error -2004 No coverage available for requested area"),
            "{}",
            d.summary
        );
    }
}

mod edge {
    use super::*;

    #[test]
    fn every_edge_case_decodes() {
        let all = manifest("edge", false);
        assert!(all.len() >= 50, "only {} edge fixtures", all.len());
        for (file, kind) in all {
            let bytes = std::fs::read(fixtures().join("edge").join(&file)).expect("fixture");
            let analysis = voicehook::analyze(
                &bytes,
                &Options {
                    kind: Some(kind),
                    ..Options::default()
                },
            );
            let Some(doc) = analysis.normalized else {
                continue;
            };
            let d = voicehook::decode::decode_view(kind, doc.root(), Some(0));
            assert!(!d.summary.is_empty(), "{file}");
            serde_json::to_string(&d).expect("serializes");
        }
    }
}

mod contradictions {
    use super::*;

    fn scenario_1() -> Value {
        let bytes = std::fs::read(fixtures().join("docs/ivr--session-summary-ivr.1.json"))
            .expect("fixture");
        serde_json::from_slice(&bytes).expect("JSON")
    }

    /// 1: a VSS whose errorCode is -1004 gets the API status meaning, said to be out of place.
    #[test]
    fn c01_minus_1004_in_a_session_summary_is_an_api_status_code() {
        let mut doc = scenario_1();
        doc["payload"]["sessionStatus"] = "ERROR".into();
        doc["payload"]["errorDetails"] =
            serde_json::json!({"errorCode": -1004, "errorMsg": "invalid destination"});
        let d = decode_bytes(doc.to_string().as_bytes(), Kind::Vss);
        let e = d
            .codes
            .iter()
            .find(|c| c.code == CodeValue::Number(-1004))
            .unwrap();
        assert_eq!(e.table, CodeTable::ApiStatus);
        assert_eq!(e.name, "DTMF callback url not provided");
        assert!(
            e.meaning.contains("not a session error code"),
            "{}",
            e.meaning
        );
        assert!(e.meaning.contains("-1017"), "{}", e.meaning);
        assert!(d.notes.iter().any(|n| n.contains("API status code")));
    }

    /// 2: `CallA` and `"SourceRefId": "null"` read as `callA` with no ref.
    #[test]
    fn c02_capital_leg_keys_read_as_usual() {
        let (_, d) = decode_file("docs", "voice-messaging--session-status.1.json", Kind::Vss);
        assert_eq!(d.legs[0].key, "callA");
        assert_eq!(d.legs[0].source_ref_id, None);
        assert!(!d.legs[0].story.contains("ref null"));
    }

    /// 3: leg timestamps a year before the session are kept as written, not drawn.
    #[test]
    fn c03_leg_times_a_year_off_are_left_off_the_timeline() {
        let (_, d) = decode_file("docs", "voice-messaging--session-status.2.json", Kind::Vss);
        assert_eq!(d.legs[0].initiated.as_deref(), Some("2023-07-13T09:54:38Z"));
        assert_eq!(d.legs[0].start_offset_ms, None);
        assert!(d.timeline.iter().all(|e| e.leg.is_none()));
        assert!(
            d.notes.iter().any(|n| n.contains("days before")),
            "{:?}",
            d.notes
        );
    }

    /// 10: sayAndCapture settings left out show both documented defaults.
    #[test]
    fn c10_both_capture_defaults_are_shown() {
        let doc = serde_json::json!({"clientActionId": "x", "callflow": [{"action": "sayAndCapture",
            "params": {"promptMessage": "Press 1", "voiceProfile": "en-US-BenjaminRUS"}}]});
        let d = decode_bytes(doc.to_string().as_bytes(), Kind::VcaReply);
        assert!(d.facts.iter().any(|f| f.value
            == "maxDigits not set: 8x8's API reference defaults it to 1, the IVR guide says 25"));
    }

    /// 11: `CANCELLED` reads as `CANCELED`.
    #[test]
    fn c11_cancelled_reads_as_canceled() {
        let (_, d) = decode_file("edge", "vss/session-status-cancelled.json", Kind::Vss);
        let o = d.outcome.as_ref().unwrap();
        assert_eq!(o.status, "CANCELED");
        let e = d
            .codes
            .iter()
            .find(|c| c.pointer == "/payload/sessionStatus")
            .unwrap();
        // Normalization has already read it as CANCELED; the warning says so.
        assert_eq!(e.code, CodeValue::Text("CANCELED".into()));
    }

    /// 12: ref ids sit next to the number they are named after; neither page's reading of
    /// "caller ID" or "called" is repeated.
    #[test]
    fn c12_ref_ids_are_described_by_side() {
        let (_, d) = decode_file(
            "docs",
            "number-masking--call-action-handling.1.json",
            Kind::Vca,
        );
        assert!(
            d.legs[0].story.starts_with(
                "call: inbound call from +65123456789 to virtual number +65987654321 (ref vn-ref-1)"
            ),
            "{}",
            d.legs[0].story
        );
        let (_, d) = decode_file("docs", "ivr--session-summary-ivr.2.json", Kind::Vss);
        for leg in &d.legs {
            let head = leg.story.split(", ").next().unwrap();
            assert!(
                !head.contains("caller ID") && !head.contains("called"),
                "{head}"
            );
            if let Some(r) = &leg.destination_ref_id {
                assert!(
                    head.contains(&format!(
                        "to virtual number {} (ref {r})",
                        leg.to.as_deref().unwrap()
                    )),
                    "{head}"
                );
            }
            if let Some(r) = &leg.source_ref_id {
                assert!(
                    head.contains(&format!(
                        "from virtual number {} (ref {r})",
                        leg.from.as_deref().unwrap()
                    )),
                    "{head}"
                );
            }
        }
    }
}

mod snapshots {
    use super::*;

    #[test]
    fn ivr_session_summary() {
        let (_, d) = decode_file("docs", "ivr--session-summary-ivr.1.json", Kind::Vss);
        insta::assert_json_snapshot!("decode_vss_ivr_scenario_1", d);
    }

    #[test]
    fn voice_messaging_failure() {
        let (_, d) = decode_file("docs", "voice-messaging--session-status.2.json", Kind::Vss);
        insta::assert_json_snapshot!("decode_vss_voice_messaging_failure", d);
    }

    #[test]
    fn ivr_callflow() {
        let (_, d) = decode_file("docs", "ivr--simple-ivr.1.json", Kind::Callflow);
        insta::assert_json_snapshot!("decode_callflow_simple_ivr", d);
    }
}
