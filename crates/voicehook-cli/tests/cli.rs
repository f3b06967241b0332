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
    assert_eq!(reports[0]["file"], "docs/ivr--session-summary-ivr.1.json");
    assert_eq!(reports[1]["file"], "edge/vss/bad-call-id.json");
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
    assert_eq!(report["file"], "<stdin>");
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
fn emit_normalized_prints_each_valid_document_as_voicehook_read_it() {
    // The quirky Voice Messaging summary and an invalid callflow, in one run.
    let dir = scratch("emit_normalized");
    let bad_path = dir.join("bad.json");
    std::fs::write(
        &bad_path,
        r#"{"callflow": [{"action": "makeCall", "params": {"source": "+6568888888"}}]}"#,
    )
    .unwrap();
    let bad_path = bad_path.to_str().unwrap();
    let out = voicehook(
        &[
            "validate",
            "--emit",
            "normalized",
            "docs/voice-messaging--session-status.1.json",
            bad_path,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "one input is invalid");
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only the valid input is printed: {stdout}");
    let doc: serde_json::Value = serde_json::from_str(lines[0]).expect("one JSON document");
    assert_eq!(
        doc["payload"]["details"]["callA"]["callStatus"],
        "COMPLETED"
    );
    assert!(doc["payload"]["details"].get("CallA").is_none());
    assert_eq!(
        doc["payload"]["details"]["callA"]["sourceRefId"],
        serde_json::Value::Null
    );
    // The reports are on standard error: the quirks of the first, the error of the second.
    let stderr = text(&out.stderr);
    assert!(stderr.contains("normalize.key-case"), "{stderr}");
    assert!(stderr.contains("schema.required"), "{stderr}");

    // What it printed is a valid document with no quirk left.
    let again = voicehook(&["validate", "--json", "-"], Some(lines[0].as_bytes()));
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
    assert!(
        !text(&again.stdout).contains("normalize."),
        "{}",
        text(&again.stdout)
    );
}

#[test]
fn example_prints_a_document_for_tests_with_the_fields_set() {
    let out = voicehook(
        &[
            "example",
            "vss",
            "--set",
            "payload.details.callA.callDuration=12",
            "--set",
            "payload.subAccountId=acme",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["payload"]["subAccountId"], "acme");
    assert_eq!(doc["payload"]["details"]["callA"]["callDuration"], 12);
    // What it printed is valid, with no warning: the leg's times follow its duration.
    let again = voicehook(&["validate", "-"], Some(&out.stdout));
    assert_eq!(text(&again.stdout), "<stdin>: valid vss\n");

    // A documented example by name, and the list of names.
    let named = voicehook(&["example", "ivr--session-summary-ivr.1"], None);
    assert_eq!(named.status.code(), Some(0), "{}", text(&named.stderr));
    let list = voicehook(&["example", "--list"], None);
    assert!(
        text(&list.stdout)
            .lines()
            .any(|l| l.starts_with("ivr--session-summary-ivr.1 ") && l.contains(" vss "))
    );

    // Values that make it invalid exit 1 and say why; what is no kind or example exits 2.
    let bad = voicehook(
        &["example", "vss", "--set", "payload.sessionStatus=DONE"],
        None,
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("schema.enum at /payload/sessionStatus"),
        "{}",
        text(&bad.stderr)
    );
    assert!(bad.stdout.is_empty());
    let unknown = voicehook(&["example", "nope"], None);
    assert_eq!(unknown.status.code(), Some(2));
    let malformed = voicehook(&["example", "vss", "--set", "payload.sessionStatus"], None);
    assert_eq!(malformed.status.code(), Some(2));
    assert!(
        text(&malformed.stderr).contains("path=value"),
        "{}",
        text(&malformed.stderr)
    );
}

#[test]
fn schema_prints_the_committed_schema() {
    let out = voicehook(&["schema", "vss"], None);
    assert_eq!(out.status.code(), Some(0));
    let committed = std::fs::read_to_string(format!(
        "{FIXTURES}/../../crates/voicehook/schemas/vss.schema.json"
    ))
    .unwrap();
    assert_eq!(text(&out.stdout), committed);
}

#[test]
fn code_explains_session_errors_api_status_and_sip() {
    let out = voicehook(&["code", "-2004"], None);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("code_2004", text(&out.stdout));
    assert!(text(&voicehook(&["code", "486"], None).stdout).contains("Busy Here"));
    let webhooks = voicehook(&["code", "0"], None);
    assert_eq!(webhooks.status.code(), Some(0));
    assert!(text(&webhooks.stdout).contains("webhooks api status"));
}

/// Statuses are explained in every field they appear in, documented variant spellings say what
/// they are read as, and a MOS score gives its band; all exit 0.
#[test]
fn code_explains_statuses_and_mos_scores() {
    for (name, arg) in [
        ("code_busy", "BUSY"),
        ("code_no_answer_with_a_space", "NO ANSWER"),
        ("code_mos_4_2", "4.2"),
    ] {
        let out = voicehook(&["code", arg], None);
        assert_eq!(out.status.code(), Some(0), "{arg}: {}", text(&out.stderr));
        insta::assert_snapshot!(name, text(&out.stdout));
    }
}

/// Nothing matched: exit 1, with the near codes or values when there are some.
#[test]
fn code_suggests_near_misses_and_exits_1_when_nothing_matches() {
    let out = voicehook(&["code", "NO_ANSWR"], None);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("code_no_answr", text(&out.stdout));
    let number = voicehook(&["code", "-204"], None);
    assert_eq!(number.status.code(), Some(1));
    assert!(
        text(&number.stdout).contains("-2004  No coverage"),
        "{}",
        text(&number.stdout)
    );
    let none = voicehook(&["code", "12345"], None);
    assert_eq!(none.status.code(), Some(1));
    assert!(!text(&none.stdout).contains("did you mean"));
    assert!(text(&none.stderr).is_empty());
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
    assert_eq!(first["repairable"], false);
    let comment = list.iter().find(|r| r["id"] == "json.comment").unwrap();
    assert_eq!(comment["repairable"], true);
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "lenient", "strict", "summary", "repairable"]);
}

/// A scratch directory for files a test writes, fresh for each test.
fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// A minified session summary with `legs` legs, each with a callId that is not a UUID: one
/// `schema.pattern` error per leg, all on line 1.
fn many_bad_legs(legs: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/edge/vss/bad-call-id.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let leg = doc["payload"]["details"]["callA"].clone();
    let mut details = serde_json::Map::new();
    for i in 0..legs {
        let mut leg = leg.clone();
        leg["callId"] = format!("bad-{i}").into();
        details.insert(format!("call{i}"), leg);
    }
    doc["payload"]["details"] = details.into();
    doc["payload"]["callCount"] = legs.into();
    serde_json::to_vec(&doc).unwrap()
}

/// The characters no output of voicehook may hold raw: C0 controls but `\n` and `\t`, DEL, C1,
/// and the bidirectional embeddings, overrides and isolates.
fn assert_printable(what: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    for (line, l) in text.lines().enumerate() {
        if let Some(c) = l.chars().find(|&c| {
            (c.is_control() && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        }) {
            panic!("{what}: raw {c:?} on line {}: {l:?}", line + 1);
        }
    }
}

/// Every hostile fixture (ESC, OSC, BEL, CSI, U+009B, U+202E… in keys, values, raw bytes and
/// broken documents): `validate` (text and JSON) and `decode` (text and JSON) print each
/// control character as a visible escape, never raw, on stdout and stderr alike.
#[test]
fn hostile_documents_print_no_control_characters() {
    let manifest: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(format!("{FIXTURES}/hostile/manifest.json")).unwrap(),
    )
    .unwrap();
    assert!(manifest.len() >= 5);
    for entry in &manifest {
        let file = format!("hostile/{}", entry["file"].as_str().unwrap());
        let file = file.as_str();
        let raw = std::fs::read(format!("{FIXTURES}/{file}")).unwrap();
        assert!(
            raw.contains(&0x1b) || raw.windows(6).any(|w| w == b"\\u001b"),
            "{file} holds no ESC"
        );
        for args in [
            vec!["validate", file],
            vec!["validate", "--mask", file],
            vec!["validate", "--json", file],
            vec!["decode", file],
            vec!["decode", "--json", file],
        ] {
            let out = voicehook(&args, None);
            let what = args.join(" ");
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{what}: {}",
                text(&out.stderr)
            );
            assert_printable(&format!("{what} (stdout)"), &out.stdout);
            assert_printable(&format!("{what} (stderr)"), &out.stderr);
            let shown = text(&out.stdout);
            if args.contains(&"--json") {
                serde_json::from_str::<serde_json::Value>(&shown)
                    .unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
            } else {
                // the controls did reach the output, as escapes
                assert!(shown.contains("\\u{1b}"), "{what}:\n{shown}");
            }
        }
    }
    // the JSON report escapes C1 and bidi controls (here in pointers), which serde_json alone
    // leaves raw; they read back as the characters
    let out = voicehook(
        &["validate", "--json", "hostile/callflow-bidi-keys.json"],
        None,
    );
    let shown = text(&out.stdout);
    assert!(
        shown.contains(r"\u009b") && shown.contains(r"\u202e"),
        "{shown}"
    );
    let report: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let pointers: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["pointer"].as_str().unwrap())
        .collect();
    assert!(
        pointers.contains(&"/callflow/0/params/dest\u{202e}ination"),
        "{pointers:?}"
    );
    assert!(pointers.contains(&"/x\u{9b}2Jextra"), "{pointers:?}");
}

/// File names are document text too: on stdout and in the "cannot read" message.
#[test]
fn hostile_file_names_are_escaped() {
    let dir = scratch("hostile_file_names_are_escaped");
    let name = dir.join("evil\u{1b}]0;title\u{7}\u{202e}.json");
    std::fs::copy(format!("{FIXTURES}/edge/vss/bad-call-id.json"), &name).unwrap();
    let missing = dir.join("gone\u{9b}31m.json");
    let out = voicehook(
        &[
            "validate",
            name.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_printable("stdout", &out.stdout);
    assert_printable("stderr", &out.stderr);
    assert!(text(&out.stdout).contains("evil\\u{1b}]0;title\\u{7}\\u{202e}.json: invalid vss"));
    assert!(text(&out.stderr).contains("gone\\u{9b}31m.json: No such file"));
}

/// The caret stays under its token when escapes widen the text before it.
#[test]
fn carets_follow_escapes() {
    let body = "{\"callflow\": [{\"action\": \"makeCall\", \"params\": {\"source\": \"+65\u{1b}[2J\u{9b}\u{202e}8\", \"destination\": \"x\"}}]}";
    let out = voicehook(
        &["validate", "--kind", "callflow", "-"],
        Some(body.as_bytes()),
    );
    insta::assert_snapshot!("carets_follow_escapes", text(&out.stdout));
    let shown = text(&out.stdout);
    assert_caret_under(&shown, "\"x\"", "/callflow/0/params/destination");
}

/// Asserts that the caret line labelled `label` has its carets exactly under `token` on the
/// source line above it (columns counted in characters).
fn assert_caret_under(shown: &str, token: &str, label: &str) {
    let lines: Vec<&str> = shown.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with(&format!("^ {label}")))
        .unwrap_or_else(|| panic!("no caret labelled {label}:\n{shown}"));
    let source = lines[at - 1];
    let carets = lines[at];
    let caret_col = carets.chars().position(|c| c == '^').unwrap();
    let width = carets.chars().filter(|&c| c == '^').count();
    let byte = source
        .find(token)
        .unwrap_or_else(|| panic!("{token} not in {source:?}"));
    assert_eq!(source[..byte].chars().count(), caret_col, "{shown}");
    assert_eq!(token.chars().count(), width, "{shown}");
}

/// `/dev/zero` and an endless standard input end at once with `json.size`: voicehook reads the
/// size limit and one byte, never the rest.
#[test]
fn the_size_limit_is_checked_before_reading_everything() {
    let out = voicehook(&["validate", "--json", "/dev/zero"], None);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"][0]["rule"], "json.size");
    assert_eq!(report["kind"], serde_json::Value::Null);

    let mut child = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(["validate", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // stops when voicehook closes its end, or after 64 MB (voicehook read it all: a failure)
    let writer = std::thread::spawn(move || {
        let chunk = [b' '; 64 * 1024];
        let mut written = 0usize;
        while written < 64 << 20 {
            match stdin.write(&chunk) {
                Ok(n) => written += n,
                Err(_) => break,
            }
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"][0]["rule"], "json.size");
    // the limit and one byte, plus what the pipe held when voicehook exited
    assert!(
        written <= voicehook::DEFAULT_MAX_SIZE + (4 << 20),
        "{written} bytes were taken"
    );
}

/// A minified document is one line: each error shows a window of it around the column, with
/// `…` where it was cut, the real line and column, and the caret under the token.
#[test]
fn long_lines_are_shown_as_a_window() {
    let out = voicehook(&["validate", "-"], Some(&many_bad_legs(3)));
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stdout);
    insta::assert_snapshot!("long_line_window", shown);
    for line in shown.lines() {
        assert!(line.chars().count() < 140, "{line}");
    }
    assert_caret_under(&shown, "\"bad-2\"", "/payload/details/call2/callId");
}

/// The output grows with the number of errors, not with errors × line length: 10× the errors
/// on one minified line write about 10× the bytes (the whole line per error would be 100×).
#[test]
fn output_grows_linearly_with_the_number_of_errors() {
    let bytes = |legs: usize| {
        let out = voicehook(&["validate", "-"], Some(&many_bad_legs(legs)));
        assert_eq!(out.status.code(), Some(1));
        let shown = text(&out.stdout);
        assert!(shown.contains(&format!("{legs} errors")), "{shown:.300}");
        out.stdout.len() as f64
    };
    let (small, large) = (bytes(40), bytes(400));
    let ratio = large / small;
    assert!(
        (9.0..11.5).contains(&ratio),
        "{small} → {large} bytes: ×{ratio:.1}"
    );
}

/// Lone CR (old Mac) and CRLF line ends give the real line numbers and one line per line.
#[test]
fn cr_and_crlf_line_endings_show_real_lines() {
    let lf = std::fs::read_to_string(format!("{FIXTURES}/edge/vss/bad-call-id.json")).unwrap();
    let run = |body: String| text(&voicehook(&["validate", "-"], Some(body.as_bytes())).stdout);
    let cr = run(lf.replace('\n', "\r"));
    insta::assert_snapshot!("lone_cr_lines", cr);
    assert!(cr.contains("<stdin>:17:19"), "{cr}");
    assert_eq!(run(lf.replace('\n', "\r\n")), cr);
    assert_eq!(run(lf), cr);
}

/// With a UTF-8 byte order mark, the caret on line 1 is under its token (the core's columns do
/// not count the BOM).
#[test]
fn a_bom_does_not_move_the_caret() {
    let body = "\u{feff}{\"callflow\": [{\"action\": \"makeCall\", \"params\": {\"source\": \"+6568888888\", \"destination\": \"not-a-number\"}}]}";
    let out = voicehook(
        &["validate", "--kind", "callflow", "-"],
        Some(body.as_bytes()),
    );
    let shown = text(&out.stdout);
    insta::assert_snapshot!("bom_caret", shown);
    assert_caret_under(&shown, "\"not-a-number\"", "/callflow/0/params/destination");
}

/// An input that cannot be read (a missing file, no permission) is reported on
/// stderr and skipped; the others are still checked; the exit status is 2.
#[test]
fn unreadable_inputs_are_reported_and_skipped() {
    let dir = scratch("unreadable_inputs_are_reported_and_skipped");
    let locked = dir.join("locked.json");
    std::fs::copy(format!("{FIXTURES}/edge/vss/bad-call-id.json"), &locked).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    // root reads it anyway: then it is one more readable input
    let locked_fails = std::fs::read(&locked).is_err();
    let locked = locked.to_str().unwrap();
    let args = [
        "docs/ivr--session-summary-ivr.1.json",
        "does/not/exist.json",
        locked,
        "edge/vss/bad-call-id.json",
    ];
    for json in [false, true] {
        let mut all = vec!["validate"];
        if json {
            all.push("--json");
        }
        all.extend(args);
        let out = voicehook(&all, None);
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        let mut expected = vec![
            "voicehook: cannot read does/not/exist.json: No such file or directory (os error 2)"
                .to_owned(),
        ];
        if locked_fails {
            expected.push(format!(
                "voicehook: cannot read {locked}: Permission denied (os error 13)"
            ));
        }
        assert_eq!(stderr.lines().collect::<Vec<_>>(), expected);
        let stdout = text(&out.stdout);
        if json {
            let valid: Vec<bool> = stdout
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["valid"] == true)
                .collect();
            let locked_report = if locked_fails { vec![] } else { vec![false] };
            assert_eq!(valid, [vec![true], locked_report, vec![false]].concat());
        } else {
            assert!(stdout.starts_with("docs/ivr--session-summary-ivr.1.json: valid vss\n"));
            assert!(stdout.contains("edge/vss/bad-call-id.json: invalid vss: 1 error"));
        }
    }
    // nothing unreadable: 0 and 1 as before
    let out = voicehook(&["validate", "docs/ivr--session-summary-ivr.1.json"], None);
    assert_eq!(out.status.code(), Some(0));
}

/// `voicehook validate big.json | head -1`: the reader goes away; voicehook stops quietly with
/// the status of what it checked (1: the document is invalid), not 2 and no message.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = scratch("a_closed_pipe_ends_quietly");
    let big = dir.join("big.json");
    std::fs::write(&big, many_bad_legs(2000)).unwrap();
    for args in [vec!["validate"], vec!["validate", "--json"], vec!["decode"]] {
        // two inputs: one JSON report is one line, so the pipe breaks in the second
        let inputs = if args == ["decode"] { 1 } else { 2 };
        let mut child = Command::new(env!("CARGO_BIN_EXE_voicehook"))
            .args(&args)
            .args(std::iter::repeat_n(&big, inputs))
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{}", args.join(" "));
        let out = child.wait_with_output().unwrap();
        let what = args.join(" ");
        // The document is invalid: 1, as far as it was checked, for decode too.
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert_eq!(text(&out.stderr), "", "{what}");
    }
}

#[test]
fn help_documents_the_exit_status() {
    let out = voicehook(&["--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(
        help.contains("2 on a usage error or when an input could not be read"),
        "{help}"
    );
    assert!(help.contains("stops quietly"), "{help}");
}

/// One enormous key or value cannot make the text output enormous: pointers, messages and
/// decoded values are cut with a note of how much was left out (`--json` keeps them whole).
#[test]
fn enormous_keys_are_cut_in_text_output() {
    let text_in = std::fs::read_to_string(format!("{FIXTURES}/edge/vss/bad-call-id.json")).unwrap();
    let key = "k".repeat(50_000);
    let body = text_in.replace("\"callA\"", &format!("\"{key}\""));
    let out = voicehook(&["validate", "-"], Some(body.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stdout);
    assert!(shown.len() < 10_000, "{} bytes", shown.len());
    assert!(shown.contains("… (48024 more characters)"), "{shown}");
    let decoded = voicehook(&["decode", "-"], Some(body.as_bytes()));
    assert!(
        decoded.stdout.len() < 40_000,
        "{} bytes",
        decoded.stdout.len()
    );
    let json = voicehook(&["validate", "--json", "-"], Some(body.as_bytes()));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        report["errors"][0]["pointer"],
        format!("/payload/details/{key}/callId")
    );
}

/// decode shows what a document means even when it is invalid, and says so by its exit status.
#[test]
fn decode_exits_1_for_an_invalid_document() {
    let out = voicehook(&["decode", "docs/ivr--session-summary-ivr.1.json"], None);
    assert_eq!(out.status.code(), Some(0));
    let body = br#"{"callflow":[{"action":"say","params":{"text":"hi","voiceProfile":"en-US-BenjaminRUS"}}]}"#;
    let out = voicehook(&["decode", "--kind", "callflow", "-"], Some(body));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("-1013"), "{}", text(&out.stdout));
}

#[test]
fn ips_prints_the_published_addresses_in_each_format() {
    let published: Vec<&str> = voicehook::codes::SOURCE_IPS
        .iter()
        .map(|s| s.address)
        .collect();
    let plain = voicehook(&["ips"], None);
    assert_eq!(plain.status.code(), Some(0));
    let lines: Vec<String> = text(&plain.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines, published);
    // What the receive check allows by default is exactly this list.
    for ip in &lines {
        assert!(voicehook::codes::is_8x8_source_ip(ip), "{ip}");
    }

    let nginx = text(&voicehook(&["ips", "--format", "nginx"], None).stdout);
    let allows: Vec<&str> = nginx
        .lines()
        .filter_map(|l| l.strip_prefix("allow "))
        .filter_map(|l| l.split(';').next())
        .collect();
    assert_eq!(allows, published);
    assert_eq!(nginx.lines().last(), Some("deny all;"));
    assert!(nginx.starts_with("# 8x8 Voice webhook source addresses (list updated "));

    let iptables =
        text(&voicehook(&["ips", "--format", "iptables", "--port", "8443"], None).stdout);
    let rules: Vec<&str> = iptables.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(rules.len(), published.len());
    for (rule, ip) in rules.iter().zip(&published) {
        assert!(
            rule.starts_with("iptables -A INPUT -p tcp --dport 8443 -s "),
            "{rule}"
        );
        assert!(
            rule.contains(&format!("-s {ip} ")) && rule.ends_with("-j ACCEPT"),
            "{rule}"
        );
    }

    let json = voicehook(&["ips", "--format", "json"], None);
    let list: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let addresses: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["address"].as_str().unwrap())
        .collect();
    assert_eq!(addresses, published);
    assert!(list[0]["region"].as_str().unwrap().contains("Singapore"));

    let bad = voicehook(&["ips", "--format", "apache"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("possible values: plain, nginx, iptables, json"),
        "{}",
        text(&bad.stderr)
    );
}
