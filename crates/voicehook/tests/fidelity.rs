//! What real integrators' documents exposed: detection that must not hide what 8x8 would
//! answer, older shapes still met in the field, and one finding per cause.
//!
//! Each test is named after the behaviour a user notices.

use serde_json::{Value, json};
use voicehook::{Kind, Options, Report};

fn check(doc: &Value, options: &Options) -> Report {
    voicehook::validate_with(doc.to_string().as_bytes(), options)
}

fn kind(kind: Kind) -> Options {
    Options {
        kind: Some(kind),
        ..Options::default()
    }
}

fn strict() -> Options {
    Options {
        strict: true,
        ..Options::default()
    }
}

fn rules(list: &[voicehook::Diagnostic]) -> Vec<&str> {
    list.iter().map(|d| d.rule.id).collect()
}

/// A Send Callflow body whose first action is not makeCall and that has no `validUntil`.
fn say_first() -> Value {
    json!({"callflow": [{"action": "say", "params": {"text": "Hello", "voiceProfile": "en-US-BenjaminRUS"}}]})
}

/// The current IVR call action (after a sayAndCapture).
fn vca() -> Value {
    json!({
      "namespace": "VOICE", "eventType": "CALL_ACTION", "description": "Action request of a call",
      "payload": {
        "eventId": "77e6a667-133a-11ef-9dd4-e911cc6fc82f",
        "callId": "627e25f1-133a-11ef-b08c-e33c09483244",
        "sessionId": "a4fad4b3-b388-12ee-b217-2fb8260fcf59",
        "subAccountId": "account_x", "callStatus": "ACTION_COMPLETED",
        "callDirection": "OUTBOUND", "callType": "PSTN",
        "source": "+6568888888", "destination": "+6598888888",
        "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
        "sourceCountryCode": "SG", "destinationCountryCode": "SG",
        "callDuration": 0, "eventData": {"dtmf": "1"}, "sipCode": 200,
        "timestamp": "2024-05-16T04:12:11.217Z", "clientActionId": "ivr1_level1"
      }
    })
}

/// The VCA shape of 8x8's IVR tutorials until January 2026.
fn legacy_vca() -> Value {
    let mut doc = vca();
    let payload = doc["payload"].as_object_mut().unwrap();
    payload.remove("eventData");
    payload.insert("callStatus".into(), json!("DTMF_RECEIVED"));
    payload.insert("dtmf".into(), json!("2"));
    doc
}

mod detection {
    use super::*;

    #[test]
    fn a_callflow_read_as_a_reply_says_what_the_callflows_endpoint_would_answer() {
        let report = check(&say_first(), &Options::default());
        assert_eq!(report.kind, Some(Kind::VcaReply));
        assert!(report.valid, "{:?}", report.errors);
        assert_eq!(report.also_reads_as, Some(Kind::Callflow));
        let w = report
            .warnings
            .iter()
            .find(|w| w.rule == "kind.ambiguous")
            .expect("a kind.ambiguous warning");
        assert!(w.message.contains("-1013"), "{}", w.message);
        assert!(w.message.contains("Send Callflow"), "{}", w.message);
        // The other reading, asked for, is what 8x8's callflows endpoint would answer.
        let as_callflow = check(&say_first(), &kind(Kind::Callflow));
        assert_eq!(as_callflow.predicted_status_code, Some(-1013));
        assert!(!as_callflow.valid);
    }

    #[test]
    fn an_explicit_kind_or_a_distinguishing_field_leaves_no_doubt() {
        for options in [kind(Kind::VcaReply), kind(Kind::Callflow)] {
            let report = check(&say_first(), &options);
            assert_eq!(report.also_reads_as, None);
            assert!(!rules(&report.warnings).contains(&"kind.ambiguous"));
        }
        let mut reply = say_first();
        reply["clientActionId"] = json!("menu");
        let report = check(&reply, &Options::default());
        assert_eq!(report.also_reads_as, None);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    }

    #[test]
    fn a_makecall_body_that_is_fine_either_way_gets_no_warning() {
        let doc = json!({"callflow": [{"action": "makeCall",
            "params": {"source": "+6568888888", "destination": "+6591234567"}}]});
        let report = check(&doc, &Options::default());
        assert_eq!(report.kind, Some(Kind::Callflow));
        assert_eq!(report.predicted_status_code, Some(1));
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    }

    /// A VSS posted to the VCA endpoint: one finding at `eventType`, naming both kinds.
    #[test]
    fn a_webhook_checked_as_another_kind_is_one_error_at_event_type() {
        let vss = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/fixtures/docs/ivr--session-summary-ivr.1.json"),
        )
        .unwrap();
        let report = voicehook::validate_with(&vss, &kind(Kind::Vca));
        assert_eq!(rules(&report.errors), ["kind.mismatch"]);
        let e = &report.errors[0];
        assert_eq!(e.pointer, "/eventType");
        assert!(e.line.is_some());
        assert!(e.message.contains("CALL_ACTION") && e.message.contains("SESSION_SUMMARY"));
        assert!(e.message.contains("vss") && e.message.contains("vca"));
        // A callflow checked as a webhook: the same, at the document.
        let report = check(&say_first(), &kind(Kind::Vss));
        assert_eq!(rules(&report.errors), ["kind.mismatch"]);
    }

    /// A mistyped eventType is the discriminating field: the error points at it and suggests.
    #[test]
    fn a_mistyped_event_type_is_pointed_at_with_a_suggestion() {
        let mut doc = vca();
        doc["eventType"] = json!("CALL_ACTIONS");
        let report = check(&doc, &Options::default());
        assert_eq!(rules(&report.errors), ["kind.unknown"]);
        let e = &report.errors[0];
        assert_eq!(e.pointer, "/eventType");
        assert!(
            e.message.contains("did you mean CALL_ACTION?"),
            "{}",
            e.message
        );
    }

    /// A timestamp of the right shape on a day that does not exist breaks the contract.
    #[test]
    fn a_day_that_does_not_exist_is_an_error() {
        let mut doc = vca();
        doc["payload"]["timestamp"] = json!("2026-02-30T08:29:29Z");
        for options in [Options::default(), strict()] {
            let report = check(&doc, &options);
            assert_eq!(rules(&report.errors), ["schema.format"]);
            assert_eq!(report.errors[0].pointer, "/payload/timestamp");
        }
        doc["payload"]["timestamp"] = json!("2024-02-29T08:29:29Z");
        assert!(check(&doc, &Options::default()).valid);
    }

    /// Document text in a message is cut: a key of megabytes does not become a message of
    /// megabytes (the fuzzer found masking such a message slow).
    #[test]
    fn long_keys_are_cut_in_messages() {
        let mut doc = say_first();
        doc[&"k".repeat(100_000)] = json!(1);
        let report = check(&doc, &kind(Kind::VcaReply));
        let w = report
            .warnings
            .iter()
            .find(|w| w.rule == "schema.unknown-field")
            .unwrap();
        assert!(w.message.len() < 400, "{}", w.message.len());
    }

    #[test]
    fn a_wrong_call_status_is_one_finding() {
        let mut doc = vca();
        doc["payload"]["callStatus"] = json!("ACTION_DONE");
        let report = check(&doc, &Options::default());
        assert_eq!(rules(&report.errors), ["schema.enum"]);
        assert_eq!(report.errors[0].pointer, "/payload/callStatus");
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    }
}

mod shapes {
    use super::*;

    #[test]
    fn the_legacy_call_action_is_a_quirk_read_as_the_current_shape() {
        let report = check(&legacy_vca(), &Options::default());
        assert!(report.valid, "{:?}", report.errors);
        assert_eq!(rules(&report.warnings), ["normalize.legacy-vca"]);
        let w = &report.warnings[0];
        assert_eq!(w.pointer, "/payload/callStatus");
        assert!(w.message.contains("ACTION_COMPLETED") && w.message.contains("eventData.dtmf"));
        let strict = check(&legacy_vca(), &strict());
        assert!(!strict.valid);
        assert_eq!(rules(&strict.errors), ["normalize.legacy-vca"]);
    }

    #[test]
    fn decode_shows_the_digits_of_either_shape() {
        for options in [Options::default(), strict()] {
            let decoded =
                voicehook::decode_with(legacy_vca().to_string().as_bytes(), &options).unwrap();
            let digits = decoded
                .facts
                .iter()
                .find(|f| f.label == "Digits pressed")
                .map(|f| f.value.as_str());
            assert_eq!(digits, Some("2"), "strict {}", options.strict);
        }
    }

    #[test]
    fn cancelled_reads_as_canceled() {
        let doc = json!({"namespace": "VOICE", "eventType": "SESSION_SUMMARY", "description": "d",
          "payload": {"sessionId": "b1b7a5c4-0c5e-11ef-9ff4-2fd0a6d7e0c7", "subAccountId": "a",
            "sessionStatus": "CANCELLED", "startTime": "2024-05-16T04:12:11Z",
            "endTime": "2024-05-16T04:12:20Z", "lastAction": "MAKE_CALL", "callCount": 0,
            "details": {}}});
        let report = check(&doc, &Options::default());
        assert!(report.valid, "{:?}", report.errors);
        assert_eq!(rules(&report.warnings), ["normalize.status-spelling"]);
        let decoded = voicehook::decode(doc.to_string().as_bytes()).unwrap();
        assert_eq!(decoded.outcome.unwrap().status, "CANCELED");
    }
}

mod recovery {
    use super::*;

    /// A comment and a trailing comma do not hide the rest: the recovered document is still
    /// detected, validated against its schema and decoded.
    #[test]
    fn a_syntax_error_does_not_hide_schema_errors() {
        let mut text = vca().to_string();
        text = text.replace(
            "\"callId\":\"627e25f1-133a-11ef-b08c-e33c09483244\"",
            "\"callId\":\"abc\"",
        );
        text = text.replacen('{', "{ // the action\n", 1);
        text = text.replace("}}", "},}");
        let report = voicehook::validate(text.as_bytes());
        assert_eq!(report.kind, Some(Kind::Vca));
        let found = rules(&report.errors);
        assert!(found.contains(&"json.comment"), "{found:?}");
        assert!(found.contains(&"json.trailing-comma"), "{found:?}");
        let pattern = report
            .errors
            .iter()
            .find(|e| e.rule == "schema.pattern")
            .expect("the schema still ran");
        assert_eq!(pattern.pointer, "/payload/callId");
        assert!(voicehook::decode(text.as_bytes()).is_ok());
    }

    /// A body that is not JSON is answered -1001 by 8x8, whatever else is wrong; the rest of
    /// the document is still checked, so the next mistake is already known.
    #[test]
    fn a_callflow_with_a_comment_still_gets_its_prediction() {
        let text = r#"{"validUntil": "2099-01-01T00:00:00Z", // until when
          "callflow": [{"action": "say", "params": {"text": "hi", "voiceProfile": "en-US-BenjaminRUS"}},]}"#;
        let report = voicehook::validate(text.as_bytes());
        assert_eq!(report.kind, Some(Kind::Callflow));
        assert_eq!(report.predicted_status_code, Some(-1001));
        let found = rules(&report.errors);
        assert!(found.contains(&"json.comment") && found.contains(&"callflow.first-action"));
        // The same as a reply: the call ends with -2003, and no other reading is offered.
        let reply = text.replace(
            "\"validUntil\": \"2099-01-01T00:00:00Z\", // until when",
            "",
        );
        let report = voicehook::validate(reply.as_bytes());
        assert_eq!(report.kind, Some(Kind::VcaReply));
        assert_eq!(report.predicted_session_error_code, Some(-2003));
        assert_eq!(report.also_reads_as, None);
    }
}

mod caps {
    use super::*;

    /// Missing required properties are found before what is wrong inside the members, so a
    /// report cut at the cap still names them.
    #[test]
    fn a_report_cut_at_the_cap_keeps_the_missing_properties() {
        let entries = vec!["{}"; 300].join(",");
        let doc: Value = serde_json::from_str(&format!(
            r#"{{"namespace":"VOICE","eventType":"VIRTUAL_NUMBER_UPDATE","payload":{{"totalNumbers":300,"updateEventType":"SNAPSHOT","virtualNumbers":[{entries}]}}}}"#
        ))
        .unwrap();
        for max_findings in [2, 50, 1000] {
            let options = Options {
                kind: Some(Kind::Vnu),
                max_findings,
                ..Options::default()
            };
            let report = check(&doc, &options);
            let pointers: Vec<&str> = report
                .errors
                .iter()
                .filter(|e| e.rule == "schema.required")
                .map(|e| e.pointer.as_str())
                .collect();
            assert!(
                pointers.contains(&"/description"),
                "{max_findings}: {pointers:?}"
            );
            assert!(
                pointers.contains(&"/payload/subAccountId"),
                "{max_findings}: {pointers:?}"
            );
            assert!(
                report.errors.len() <= max_findings,
                "{}",
                report.errors.len()
            );
            assert_eq!(report.warnings.last().unwrap().rule, "report.truncated");
        }
    }
}
