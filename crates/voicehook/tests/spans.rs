//! Every positioned finding carries the bytes it is about, so a reader can underline them
//! without lexing the JSON again: the value, the renamed key, the parent of a missing property,
//! the character a syntax error starts at. Line and column are the start of the span.

use voicehook::{Finding, Kind, Options, Report};

fn as_kind(kind: Kind) -> Options {
    Options {
        kind: Some(kind),
        ..Options::default()
    }
}

fn text<'a>(input: &'a str, f: &Finding) -> &'a str {
    let span = f.span.unwrap_or_else(|| panic!("{} has no span", f.rule));
    &input[span.range()]
}

fn find<'r>(report: &'r Report, rule: &str, pointer: &str) -> &'r Finding {
    report
        .errors
        .iter()
        .chain(&report.warnings)
        .find(|f| f.rule == rule && f.pointer == pointer)
        .unwrap_or_else(|| panic!("no {rule} at {pointer} in {report:#?}"))
}

/// The 1-based line and column of byte `offset`, counted here independently of the core.
fn line_col(input: &str, offset: usize) -> (u32, u32) {
    let before = &input[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u32, column as u32)
}

fn assert_placed(input: &str, f: &Finding) {
    let span = f.span.unwrap();
    assert_eq!(
        (f.line.unwrap(), f.column.unwrap()),
        line_col(input, span.start as usize),
        "{} at {}",
        f.rule,
        f.pointer
    );
}

#[test]
fn schema_findings_span_the_value_and_a_missing_property_its_parent() {
    let input = r#"{"namespace": "VOICE", "eventType": "CALL_STATUS", "description": "d",
  "payload": {
    "callId": "abc"}}"#;
    let report = voicehook::validate_with(input.as_bytes(), &as_kind(Kind::Vcs));
    let pattern = find(&report, "schema.pattern", "/payload/callId");
    assert_eq!(text(input, pattern), r#""abc""#);
    assert_placed(input, pattern);
    let missing = find(&report, "schema.required", "/payload/eventId");
    assert!(
        text(input, missing).starts_with("{\n    \"callId\""),
        "{missing:?}"
    );
    assert_placed(input, missing);
}

#[test]
fn a_renamed_leg_key_spans_the_key_and_findings_below_it_their_value() {
    let input = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/docs/manifest.json"
    ))
    .unwrap();
    // Any VSS fixture will do: capitalise its first leg key and break a value below it.
    let manifest: serde_json::Value = serde_json::from_str(&input).unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/docs/");
    let vss = manifest
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["file"].as_str())
        .map(|f| std::fs::read_to_string(format!("{dir}{f}")).unwrap())
        .find(|t| {
            let r = voicehook::validate(t.as_bytes());
            r.valid
                && r.kind == Some(Kind::Vss)
                && t.contains("\"callA\"")
                && t.contains("\"callId\"")
        })
        .expect("a valid VSS fixture with a callA leg");
    let input = vss.replacen("\"callA\"", "\"CallA\"", 1);
    let report = voicehook::validate(input.as_bytes());
    let quirk = find(&report, "normalize.key-case", "/payload/details/CallA");
    assert_eq!(text(&input, quirk), "\"CallA\"");
    assert_placed(&input, quirk);
    let at = input.find("\"CallA\"").unwrap();
    let id = at + input[at..].find("\"callId\"").unwrap();
    let value = id + input[id..].find(": ").unwrap() + 2;
    let mut broken = input.clone();
    broken.insert_str(value + 1, "not-");
    let report = voicehook::validate(broken.as_bytes());
    let bad = find(&report, "schema.pattern", "/payload/details/CallA/callId");
    assert!(text(&broken, bad).starts_with("\"not-"), "{bad:?}");
    assert_placed(&broken, bad);
}

#[test]
fn syntax_errors_span_what_is_wrong() {
    let input = "{\"callflow\": [ // a note   \n {\"action\": \"hangup\"},\n ]}";
    let report = voicehook::validate_with(input.as_bytes(), &as_kind(Kind::Callflow));
    let comment = find(&report, "json.comment", "/callflow");
    assert_eq!(text(input, comment), "// a note");
    assert_placed(input, comment);
    let comma = find(&report, "json.trailing-comma", "/callflow");
    assert_eq!(text(input, comma), ",");
    let missing = voicehook::validate(b"{\"a\": 1 \"b\": 2}");
    let next = find(&missing, "json.syntax", "/b");
    assert_eq!(text("{\"a\": 1 \"b\": 2}", next), "\"b\"");
}

#[test]
fn rule_findings_are_spanned_from_their_pointer() {
    // A callflow's destination that is no number: the callflow checker names the pointer only.
    let input = r#"{"callflow": [{"action": "makeCall",
  "params": {"source": "+6568888888", "destination": "not a number"}}]}"#;
    let report = voicehook::validate_with(input.as_bytes(), &as_kind(Kind::Callflow));
    assert_eq!(report.predicted_status_code, Some(-1017));
    for f in &report.errors {
        assert!(f.span.is_some(), "{f:?}");
        assert_placed(input, f);
    }
    let destination = report
        .errors
        .iter()
        .find(|f| f.pointer == "/callflow/0/params/destination")
        .unwrap();
    assert_eq!(text(input, destination), r#""not a number""#);
}

#[test]
fn spans_survive_the_json_report() {
    let report = voicehook::validate(b"{\"a\": 1,}");
    let json = serde_json::to_value(&report).unwrap();
    let comma = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "json.trailing-comma")
        .unwrap();
    let span = &comma["span"];
    assert_eq!(
        (span["start"].as_u64(), span["end"].as_u64()),
        (Some(7), Some(8))
    );
    let back: Report = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);
    // Also with the findings whose pipeline state is not shown: a missing property, a callflow
    // error that stands for a status code.
    let flow = br#"{"callflow": [{"action": "makeCall", "params": {"destination": "abc"}}]}"#;
    let report = voicehook::validate_with(flow, &as_kind(Kind::Callflow));
    assert!(report.errors.iter().any(|f| f.rule == "schema.required"));
    let back: Report = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!(back, report);
}

#[test]
fn a_member_removed_for_its_null_string_is_shown_at_its_value() {
    let input = r#"{"validUntil": "null", "callflow": [{"action": "hangup"}]}"#;
    let report = voicehook::validate_with(input.as_bytes(), &as_kind(Kind::Callflow));
    let quirk = find(&report, "normalize.null-string", "/validUntil");
    assert_eq!(text(input, quirk), r#""null""#);
    assert_placed(input, quirk);
}
