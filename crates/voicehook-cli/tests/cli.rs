//! The `voicehook` binary as a user runs it: exit codes, human output (pinned by snapshots),
//! JSON output, standard input, several files, and the schema / code / decode commands.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");

fn voicehook(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(args)
        .current_dir(FIXTURES)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("the binary finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_valid_webhook_exits_0() {
    let out = voicehook(&["validate", "docs/ivr--session-summary-ivr.1.json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "docs/ivr--session-summary-ivr.1.json: valid vss\n"
    );
}

/// 8x8's own Voice Messaging failure example has legs a year before its session: a webhook 8x8
/// sent is valid with warnings; strict mode makes the plausibility findings errors.
#[test]
fn an_implausible_webhook_is_valid_with_warnings_and_invalid_in_strict_mode() {
    let out = voicehook(
        &["validate", "docs/voice-messaging--session-status.2.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("year_off_lenient", text(&out.stdout));
    let out = voicehook(
        &[
            "validate",
            "--strict",
            "docs/voice-messaging--session-status.2.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("year_off", text(&out.stdout));
}

#[test]
fn comments_and_trailing_commas_are_each_reported() {
    let out = voicehook(
        &[
            "validate",
            "docs/webhook-guides--voice-call-action-webhook-guide.1.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("not_json", text(&out.stdout));
}

#[test]
fn json_output_is_one_report_per_input_in_order() {
    let out = voicehook(
        &[
            "validate",
            "--json",
            "docs/ivr--session-summary-ivr.1.json",
            "edge/vss/bad-call-id.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let reports: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document per line"))
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["valid"], true);
    assert_eq!(reports[1]["valid"], false);
    assert_eq!(
        reports[1]["errors"][0]["pointer"],
        "/payload/details/callA/callId"
    );
    assert_eq!(reports[1]["errors"][0]["rule"], "schema.pattern");
    assert_eq!(reports[1]["errors"][0]["line"], 17);
}

#[test]
fn standard_input_and_an_explicit_kind() {
    let body = br#"{"callflow": [{"action": "makeCall", "params": {"source": "+6568888888", "destination": "not-a-number"}}]}"#;
    let out = voicehook(
        &["validate", "--kind", "callflow", "--json", "-"],
        Some(body),
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["kind"], "callflow");
    assert_eq!(report["predictedStatusCode"], -1017);
}

#[test]
fn strict_mode_turns_documented_quirks_into_errors() {
    let file = "docs/voice-messaging--session-status.1.json";
    assert_eq!(voicehook(&["validate", file], None).status.code(), Some(0));
    let strict = voicehook(&["validate", "--strict", "--json", file], None);
    assert_eq!(strict.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&strict.stdout).expect("JSON");
    let rules: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"normalize.key-case"), "{rules:?}");
}

#[test]
fn mask_hides_phone_numbers_in_messages() {
    let body = br#"{"callflow": [{"action": "makeCall", "params": {"source": "+6568888888", "destination": "+6591178965"}}, {"action": "sya"}]}"#;
    let plain = text(&voicehook(&["validate", "--kind", "callflow", "-"], Some(body)).stdout);
    let masked = text(
        &voicehook(
            &["validate", "--kind", "callflow", "--mask", "-"],
            Some(body),
        )
        .stdout,
    );
    assert!(plain.contains("6591178965"), "{plain}");
    assert!(!masked.contains("91178965"), "{masked}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(
        voicehook(&["validate", "--kind", "nope", "x.json"], None)
            .status
            .code(),
        Some(2)
    );
    let missing = voicehook(&["validate", "does/not/exist.json"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot read does/not/exist.json"));
    assert_eq!(voicehook(&["frobnicate"], None).status.code(), Some(2));
}

#[test]
fn schema_prints_the_committed_schema() {
    let out = voicehook(&["schema", "vss"], None);
    assert_eq!(out.status.code(), Some(0));
    let committed =
        std::fs::read_to_string(format!("{FIXTURES}/../../schemas/vss.schema.json")).unwrap();
    assert_eq!(text(&out.stdout), committed);
}

#[test]
fn code_explains_session_errors_api_status_and_sip() {
    let out = voicehook(&["code", "-2004"], None);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("code_2004", text(&out.stdout));
    assert!(text(&voicehook(&["code", "486"], None).stdout).contains("Busy Here"));
    assert_eq!(voicehook(&["code", "12345"], None).status.code(), Some(2));
}

#[test]
fn decode_explains_a_session_summary() {
    let out = voicehook(
        &["decode", "--json", "docs/ivr--session-summary-ivr.1.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let decoded: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(decoded["kind"], "vss");
    assert_eq!(decoded["legs"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        decoded["idempotencyKey"],
        "a089b40d-f059-11f0-8937-99c7872ee3c4"
    );
    let human = voicehook(&["decode", "docs/ivr--session-summary-ivr.2.json"], None);
    assert_eq!(human.status.code(), Some(0));
    insta::assert_snapshot!("decode_busy", text(&human.stdout));
    let masked = voicehook(
        &["decode", "--mask", "docs/ivr--session-summary-ivr.2.json"],
        None,
    );
    assert!(!text(&masked.stdout).contains("91178965"));
}

/// `voicehook rules` lists the catalog; `--json` as `{ id, lenient, strict, summary }` objects.
#[test]
fn rules_lists_the_catalog_with_both_severities() {
    let out = voicehook(&["rules"], None);
    assert_eq!(out.status.code(), Some(0));
    let shown = text(&out.stdout);
    let line = shown
        .lines()
        .find(|l| l.starts_with("vss.duration "))
        .expect("vss.duration listed");
    let words: Vec<&str> = line.split_whitespace().take(3).collect();
    assert_eq!(words, ["vss.duration", "warning", "error"]);
    let out = voicehook(&["rules", "--json"], None);
    assert_eq!(out.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), voicehook::catalog::RULES.len());
    let first = list
        .iter()
        .find(|r| r["id"] == "callflow.first-action")
        .unwrap();
    assert_eq!(first["lenient"], "error");
    assert_eq!(first["strict"], "error");
    assert!(first["summary"].as_str().unwrap().contains("-1013"));
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "lenient", "strict", "summary"]);
}
