//! Answers that must not be wrong on odd input, and masking that holds everywhere a number can
//! appear (messages, pointers, the decoded view).

use serde_json::{Value, json};
use voicehook::{Options, Report};

fn vss(payload_changes: &[(&str, Value)]) -> Value {
    let mut doc = json!({"namespace": "VOICE", "eventType": "SESSION_SUMMARY", "description": "d",
      "payload": {"sessionId": "b1b7a5c4-0c5e-11ef-9ff4-2fd0a6d7e0c7", "subAccountId": "a",
        "sessionStatus": "COMPLETED", "startTime": "2024-05-16T04:12:11Z",
        "endTime": "2024-05-16T04:12:40Z", "lastAction": "MAKE_CALL", "callCount": 1,
        "details": {"callA": {
          "callId": "a08f331e-f059-11f0-816b-2daade7d6599", "callDirection": "OUTBOUND",
          "callType": "PSTN", "initiatedTimestamp": "2024-05-16T04:12:11Z",
          "connectedTimestamp": "2024-05-16T04:12:20Z",
          "disconnectedTimestamp": "2024-05-16T04:12:40Z", "source": "+6568332048",
          "destination": "+6591178965", "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
          "sourceCountryCode": "SG", "destinationCountryCode": "SG", "callStatus": "COMPLETED",
          "callDuration": 20}}}});
    for (pointer, value) in payload_changes {
        *doc.pointer_mut(pointer).unwrap() = value.clone();
    }
    doc
}

fn rules(report: &Report) -> Vec<(&str, &str)> {
    report
        .errors
        .iter()
        .chain(&report.warnings)
        .map(|d| (d.rule.id, d.pointer.as_str()))
        .collect()
}

fn message<'r>(report: &'r Report, rule: &str) -> &'r str {
    report
        .errors
        .iter()
        .chain(&report.warnings)
        .find(|d| d.rule == rule)
        .map(|d| d.message.as_str())
        .unwrap_or_else(|| panic!("no {rule}: {:?}", rules(report)))
}

mod numbers {
    use super::*;

    /// Counts and durations too large for an exact integer are compared, not skipped.
    #[test]
    fn huge_counts_and_durations_are_reported() {
        let text = vss(&[])
            .to_string()
            .replace("\"callCount\":1", "\"callCount\":1e16");
        let report = voicehook::validate(text.as_bytes());
        assert!(message(&report, "vss.call-count").contains("1e+16"));
        let text = vss(&[]).to_string().replace(
            "\"callCount\":1",
            "\"callCount\":100000000000000000000000000000",
        );
        let report = voicehook::validate(text.as_bytes());
        assert!(rules(&report).contains(&("vss.call-count", "/payload/callCount")));
        let text = vss(&[])
            .to_string()
            .replace("\"callDuration\":20", "\"callDuration\":1e20");
        let report = voicehook::validate(text.as_bytes());
        assert!(message(&report, "vss.duration").contains("1e+20"));
    }

    #[test]
    fn numbers_that_read_as_zero_are_said() {
        let report = voicehook::validate(br#"{"a": -0, "b": 1e-400, "c": 0, "d": 0.0}"#);
        let found: Vec<(&str, &str)> = rules(&report)
            .into_iter()
            .filter(|(r, _)| *r == "json.precision")
            .collect();
        assert_eq!(found, [("json.precision", "/a"), ("json.precision", "/b")]);
    }
}

mod encodings {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn utf16_is_named_as_such() {
        let text = vss(&[]).to_string();
        for bytes in [utf16le(&text, true), utf16le(&text, false)] {
            let report = voicehook::validate(&bytes);
            assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
            let e = &report.errors[0];
            assert_eq!(e.rule, "json.utf8");
            assert!(
                e.message.contains("UTF-16 (little-endian)"),
                "{}",
                e.message
            );
            assert!(!e.message.contains("Latin-1"));
        }
    }

    /// A reader that stops at the limit and one byte cannot know the size: "more than".
    #[test]
    fn an_input_cut_at_the_limit_says_more_than() {
        let options = Options {
            max_size: 100,
            ..Options::default()
        };
        let report = voicehook::validate_with(&[b' '; 101], &options);
        assert!(message(&report, "json.size").contains("more than 100 bytes"));
        let report = voicehook::validate_with(&[b' '; 500], &options);
        assert!(message(&report, "json.size").contains("found 500 bytes"));
    }
}

mod masking {
    use super::*;

    fn masked() -> Options {
        Options {
            mask: true,
            ..Options::default()
        }
    }

    /// No phone number shows more than its calling code and last 3 digits, in the report's
    /// messages and pointers alike.
    #[test]
    fn pointers_and_messages_are_masked() {
        // A leg keyed by the number itself, with an error inside it.
        let mut doc = vss(&[("/payload/details/callA/callId", json!("nope"))]);
        let leg = doc["payload"]["details"]["callA"].take();
        doc["payload"]["details"] = json!({"+6591178965": leg});
        let report = voicehook::validate_with(doc.to_string().as_bytes(), &masked());
        let all = serde_json::to_string(&report).unwrap();
        assert!(!all.contains("91178965"), "{all}");
        assert!(!all.contains("68332048"), "{all}");
        assert!(
            report
                .errors
                .iter()
                .any(|e| e.pointer == "/payload/details/+65*****965/callId"),
            "{:?}",
            rules(&report)
        );
    }

    #[test]
    fn the_decoded_view_is_masked() {
        let doc = vss(&[]).to_string();
        let decoded = voicehook::decode_with(doc.as_bytes(), &masked()).unwrap();
        let all = serde_json::to_string(&decoded).unwrap();
        assert!(
            !all.contains("91178965") && !all.contains("68332048"),
            "{all}"
        );
        assert!(all.contains("+65*****965"), "{all}");
        // Without the option nothing is masked.
        let plain = voicehook::decode(doc.as_bytes()).unwrap();
        assert!(
            serde_json::to_string(&plain)
                .unwrap()
                .contains("+6591178965")
        );
    }
}
