//! Archives as a user keeps them: folders of single documents, NDJSON / JSON Lines, gzip,
//! standard input as a stream; every format, the summary, the order of the output whatever the
//! threads, and what breaks (a corrupt gzip stream, a line over the size limit).
//! (tests/archive/check.py reads the SARIF, JUnit and row outputs with independent consumers.)

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn voicehook(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.map(<[u8]>::to_vec);
    // written on a thread: a large input must not wait for the output to be read
    let feeder = std::thread::spawn(move || {
        if let Some(input) = input {
            let _ = pipe.write_all(&input);
        }
    });
    let out = child.wait_with_output().expect("the binary finishes");
    feeder.join().unwrap();
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn example(dir: &Path, kind: &str, set: &[&str]) -> Value {
    let mut args = vec!["example", kind];
    for s in set {
        args.extend(["--set", s]);
    }
    let out = voicehook(dir, &args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// `n` webhooks (VSS and VCS in turn), one per line: every `bad`th has a number for its id.
fn lines(dir: &Path, n: usize, bad: usize) -> String {
    let vss = example(dir, "vss", &[]);
    let vcs = example(dir, "vcs", &[]);
    let mut out = String::new();
    for i in 0..n {
        let mut doc = if i % 2 == 0 { vss.clone() } else { vcs.clone() };
        doc["payload"]["sessionId"] = json!(format!("00000000-0000-11ee-8000-{i:012}"));
        if i % bad == bad - 1 {
            doc["payload"]["sessionId"] = json!(5);
        }
        out.push_str(&doc.to_string());
        out.push('\n');
    }
    out
}

fn json_lines(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A folder: its files sorted by name, recursively, the default extensions (gzip too) or the
/// --glob ones; each NDJSON line named by file and line; blank lines skipped but counted.
#[test]
fn folders_ndjson_and_gzip_name_each_document_by_file_and_line() {
    let dir = scratch("folders_ndjson_and_gzip");
    let vss = example(&dir, "vss", &[]);
    std::fs::create_dir_all(dir.join("bucket/b")).unwrap();
    std::fs::write(dir.join("bucket/a.json"), vss.to_string()).unwrap();
    let ndjson = format!("{vss}\n\n{{\"payload\": 1}}\r\n");
    std::fs::write(dir.join("bucket/b/day.ndjson.gz"), gzip(ndjson.as_bytes())).unwrap();
    // gzip is told by its bytes, not its name
    std::fs::write(dir.join("bucket/b/plain.jsonl"), gzip(ndjson.as_bytes())).unwrap();
    std::fs::write(dir.join("bucket/b/readme.txt"), "not taken").unwrap();
    let out = voicehook(&dir, &["validate", "--format", "json", "bucket"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let places: Vec<(String, Option<u64>, bool)> = json_lines(&out)
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_owned(),
                r["line"].as_u64(),
                r["valid"] == true,
            )
        })
        .collect();
    let place = |f: &str, l: Option<u64>, v: bool| (format!("bucket/{f}"), l, v);
    assert_eq!(
        places,
        [
            place("a.json", None, true),
            place("b/day.ndjson.gz", Some(1), true),
            place("b/day.ndjson.gz", Some(3), false),
            place("b/plain.jsonl", Some(1), true),
            place("b/plain.jsonl", Some(3), false),
        ]
    );
    let out = voicehook(
        &dir,
        &[
            "validate", "--format", "json", "--glob", "*.txt", "--glob", "b/*.gz", "bucket",
        ],
        None,
    );
    let files: Vec<Value> = json_lines(&out).iter().map(|r| r["file"].clone()).collect();
    assert_eq!(
        files,
        [
            json!("bucket/b/day.ndjson.gz"),
            json!("bucket/b/day.ndjson.gz"),
            json!("bucket/b/readme.txt")
        ]
    );
    // the human format: an NDJSON line is printed when it has something to say, at its line
    let out = voicehook(&dir, &["validate", "bucket/b/day.ndjson.gz"], None);
    let shown = text(&out.stdout);
    assert!(
        shown.starts_with("bucket/b/day.ndjson.gz:3: invalid unknown kind"),
        "{shown}"
    );
    assert!(shown.contains("┌─ bucket/b/day.ndjson.gz:3:"), "{shown}");
    assert!(
        shown.contains("2 documents: 1 valid (0 with warnings), 1 invalid"),
        "{shown}"
    );
    // a folder with nothing to take says so
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let out = voicehook(&dir, &["validate", "empty"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("empty: no file to check"),
        "{}",
        text(&out.stderr)
    );
}

/// Many documents on several threads come out in input order, the same as on one thread, from
/// standard input as from a file.
#[test]
fn output_keeps_input_order_on_any_number_of_threads() {
    let dir = scratch("output_keeps_input_order");
    // enough for several batches
    let text_in = lines(&dir, 12_000, 7);
    std::fs::write(dir.join("many.ndjson"), &text_in).unwrap();
    let run = |threads: &str, stdin: bool| {
        let mut args = vec!["validate", "--format", "json", "--threads", threads];
        if stdin {
            args.extend(["--ndjson", "-"]);
        } else {
            args.push("many.ndjson");
        }
        let out = voicehook(&dir, &args, stdin.then_some(text_in.as_bytes()));
        assert_eq!(out.status.code(), Some(1));
        json_lines(&out)
    };
    let one = run("1", false);
    assert_eq!(one.len(), 12_000);
    let lines: Vec<u64> = one.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert!(lines.iter().copied().eq(1..=12_000));
    let invalid = one.iter().filter(|r| r["valid"] == false).count();
    assert_eq!(invalid, 12_000 / 7);
    let three = run("3", false);
    assert_eq!(one, three);
    let streamed = run("2", true);
    assert_eq!(streamed.len(), 12_000);
    assert_eq!(streamed[6]["file"], "<stdin>");
    assert_eq!(streamed[6]["valid"], false);
    assert_eq!(
        streamed.iter().map(|r| &r["valid"]).collect::<Vec<_>>(),
        one.iter().map(|r| &r["valid"]).collect::<Vec<_>>()
    );
}

/// The summary: counts by kind and verdict, rules, places, sessions by outcome and error code.
#[test]
fn the_summary_counts_kinds_rules_and_sessions() {
    let dir = scratch("the_summary_counts");
    let failed = example(
        &dir,
        "vss",
        &[
            "payload.sessionStatus=ERROR",
            r#"payload.errorDetails={"errorCode": -2004, "errorMsg": "no coverage"}"#,
        ],
    );
    let quirk = example(&dir, "vss", &[])
        .to_string()
        .replace("\"callA\"", "\"CallA\"");
    let input = format!("{failed}\n{failed}\n{quirk}\n{}{{\n", lines(&dir, 4, 2));
    let out = voicehook(
        &dir,
        &[
            "validate",
            "--summary-only",
            "--format",
            "json",
            "--ndjson",
            "-",
        ],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            &t["documents"],
            &t["valid"],
            &t["withWarnings"],
            &t["invalid"]
        ),
        (&json!(8), &json!(5), &json!(1), &json!(3))
    );
    assert_eq!(
        t["kinds"],
        json!([
            {"kind": "unknown", "valid": 0, "withWarnings": 0, "invalid": 1},
            {"kind": "vcs", "valid": 0, "withWarnings": 0, "invalid": 2},
            {"kind": "vss", "valid": 4, "withWarnings": 1, "invalid": 0},
        ]),
        "{t:#}"
    );
    assert_eq!(
        t["sessions"]["outcomes"],
        json!([{"name": "COMPLETED", "count": 3}, {"name": "ERROR", "count": 2}])
    );
    assert_eq!(t["sessions"]["errors"][0]["code"], -2004);
    assert_eq!(t["sessions"]["errors"][0]["count"], 2);
    let rules: Vec<&str> = t["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"normalize.key-case") && rules.contains(&"json.syntax"),
        "{rules:?}"
    );
    // the same, for a person
    let out = voicehook(
        &dir,
        &["validate", "--summary-only", "--ndjson", "-"],
        Some(input.as_bytes()),
    );
    let shown = text(&out.stdout);
    assert!(
        shown.starts_with("8 documents: 5 valid (1 with warnings), 3 invalid\n"),
        "{shown}"
    );
    assert!(
        shown.contains("sessions by error code\n  -2004 "),
        "{shown}"
    );
    // nothing but the summary, and nothing on standard error when it is not a terminal
    assert!(!shown.contains("error["), "{shown}");
    assert_eq!(text(&out.stderr), "");
}

/// --fail-on warning: a valid document with a warning fails (exit 1), and the annotations and
/// JUnit say so.
#[test]
fn fail_on_warning_fails_documents_with_warnings() {
    let dir = scratch("fail_on_warning");
    let quirk = example(&dir, "vss", &[])
        .to_string()
        .replace("\"callA\"", "\"CallA\"");
    std::fs::write(dir.join("q.json"), &quirk).unwrap();
    let out = voicehook(&dir, &["validate", "q.json"], None);
    assert_eq!(out.status.code(), Some(0));
    let out = voicehook(&dir, &["validate", "--fail-on", "warning", "q.json"], None);
    assert_eq!(out.status.code(), Some(1));
    let github = |fail: &str| {
        let out = voicehook(
            &dir,
            &[
                "validate",
                "--format",
                "github",
                "--fail-on",
                fail,
                "q.json",
            ],
            None,
        );
        text(&out.stdout)
    };
    let warned = github("error");
    assert!(
        warned.starts_with("::warning file=q.json,line=1,col="),
        "{warned}"
    );
    assert!(warned.contains(",title=normalize.key-case::"), "{warned}");
    assert!(github("warning").starts_with("::error file=q.json,line=1,col="));
    let junit = |fail: &str| {
        let out = voicehook(
            &dir,
            &["validate", "--format", "junit", "--fail-on", fail, "q.json"],
            None,
        );
        text(&out.stdout)
    };
    assert!(junit("error").contains("failures=\"0\""));
    assert!(junit("error").contains("<system-out>normalize.key-case at "));
    assert!(junit("warning").contains("failures=\"1\""));
    assert!(junit("warning").contains("<failure message=\"0 errors, "));
}

/// Annotation text is escaped as GitHub reads it: `%`, CR, LF in the message; `:` and `,` in
/// the file name too.
#[test]
fn github_annotations_escape_their_separators() {
    let dir = scratch("github_annotations_escape");
    let name = "a,b:c%.ndjson";
    std::fs::write(dir.join(name), "{\"x\n").unwrap();
    let out = voicehook(&dir, &["validate", "--format", "github", name], None);
    let shown = text(&out.stdout);
    assert!(
        shown.starts_with("::error file=a%2Cb%3Ac%25.ndjson,line=1,col="),
        "{shown}"
    );
    assert_eq!(shown.lines().count(), 1, "{shown}");
}

/// What breaks in an archive is reported where it breaks, and the rest is still checked: a
/// corrupt gzip stream (exit 2), a line over the size limit (`json.size`, then the next line).
#[test]
fn broken_streams_and_huge_lines_are_reported_in_place() {
    let dir = scratch("broken_streams");
    let vss = example(&dir, "vss", &[]).to_string();
    let mut gz = gzip(format!("{vss}\n{vss}\n").as_bytes());
    let cut = gz.len() - 12;
    gz[cut..].fill(0x55);
    std::fs::write(dir.join("broken.ndjson.gz"), gz).unwrap();
    std::fs::write(
        dir.join("junk.json"),
        b"\x1f\x8b\x08\0junk that is not deflate",
    )
    .unwrap();
    let huge = format!("{vss}\n\"{}\"\n{vss}\n", "x".repeat(11 << 20));
    std::fs::write(dir.join("huge.ndjson"), huge).unwrap();
    let out = voicehook(
        &dir,
        &[
            "validate",
            "--format",
            "json",
            "broken.ndjson.gz",
            "huge.ndjson",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("voicehook: cannot read broken.ndjson.gz: "),
        "{stderr}"
    );
    let reports = json_lines(&out);
    let huge: Vec<(u64, bool)> = reports
        .iter()
        .filter(|r| r["file"] == "huge.ndjson")
        .map(|r| (r["line"].as_u64().unwrap(), r["valid"] == true))
        .collect();
    assert_eq!(huge, [(1, true), (2, false), (3, true)]);
    let size = reports.iter().find(|r| r["valid"] == false).unwrap();
    assert_eq!(size["errors"][0]["rule"], "json.size");
}

/// decode --format ndjson: one flat row per document, every column of --columns in order.
#[test]
fn decode_rows_have_the_documented_columns() {
    let dir = scratch("decode_rows");
    let input = lines(&dir, 4, 4);
    let out = voicehook(
        &dir,
        &["decode", "--format", "ndjson", "--ndjson", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let columns = voicehook(&dir, &["decode", "--columns", "--json"], None);
    let columns: Vec<String> = serde_json::from_slice::<Vec<Value>>(&columns.stdout)
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 4);
    for row in &rows {
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(keys, columns.iter().collect::<Vec<_>>());
    }
    assert_eq!(rows[0]["kind"], "vss");
    assert_eq!(rows[0]["outcome"], "COMPLETED");
    assert_eq!(
        rows[0]["session_id"],
        "00000000-0000-11ee-8000-000000000000"
    );
    assert_eq!(rows[0]["file"], Value::Null);
    assert_eq!(rows[1]["kind"], "vcs");
    assert_eq!(rows[3]["valid"], false);
    assert_eq!(rows[3]["line"], 4);
}
