//! `voicehook simulate` as a user runs it: answers from a folder, from a real server on a
//! loopback port (each call action POSTed with the Authorization header, its answer played),
//! NDJSON that can be replayed, and precise errors.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::mpsc;
use std::thread;

use serde_json::{Value, json};

fn voicehook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("voicehook-simulate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A scratch folder holding the menu as `callflow.json`; the file's path.
fn menu_file(name: &str) -> std::path::PathBuf {
    let file = scratch(name).join("callflow.json");
    std::fs::write(&file, menu().to_string()).unwrap();
    file
}

fn dir_of(file: &std::path::Path) -> std::path::PathBuf {
    file.parent().unwrap().to_path_buf()
}

fn menu() -> Value {
    json!({"callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}},
        {"action": "sayAndCapture", "params": {"promptMessage": "Press 1 for sales, 2 for support",
            "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]})
}

#[test]
fn answers_from_a_folder_by_step_and_digits() {
    let dir = scratch("dir");
    std::fs::write(dir.join("callflow.json"), menu().to_string()).unwrap();
    let replies = dir.join("replies");
    std::fs::create_dir(&replies).unwrap();
    let level2 = json!({"clientActionId": "support", "callflow": [{"action": "sayAndCapture",
        "params": {"promptMessage": "Press 2 for billing", "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]});
    let bye = json!({"callflow": [{"action": "say", "params": {"text": "Goodbye",
        "voiceProfile": "en-US-ZiraRUS"}}, {"action": "hangup"}]});
    std::fs::write(replies.join("start.2.json"), level2.to_string()).unwrap();
    std::fs::write(replies.join("support.json"), bye.to_string()).unwrap();
    let out = voicehook(&[
        "simulate",
        dir.join("callflow.json").to_str().unwrap(),
        "--script",
        r#"{"keys": ["2", "2"]}"#,
        "--reply-with",
        replies.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("start.2.json") && stdout.contains("support.json"),
        "{stdout}"
    );
    assert!(stdout.contains("caller hears \"Goodbye\""), "{stdout}");
    assert!(
        stdout.contains("POST VSS IVR session COMPLETED"),
        "{stdout}"
    );
}

/// A real HTTP server on a loopback port: it records each request and answers with a callflow
/// (or the wrong status, then a broken callflow).
fn server(answers: Vec<(u16, String)>) -> (String, mpsc::Receiver<(String, Value)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/vca", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for (status, body) in answers {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream);
            let (mut auth, mut length) = (String::new(), 0usize);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if lower.starts_with("authorization:") {
                    auth = line["authorization:".len()..].trim().to_owned();
                }
            }
            let mut request = vec![0; length];
            reader.read_exact(&mut request).unwrap();
            tx.send((
                auth,
                serde_json::from_slice(&request).unwrap_or(Value::Null),
            ))
            .unwrap();
            let mut stream = reader.into_inner();
            write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
    });
    (url, rx)
}

#[test]
fn posts_each_call_action_to_a_running_server_and_plays_its_answer() {
    let file = menu_file("url");
    let bye = json!({"clientActionId": "bye", "callflow": [{"action": "hangup"}]}).to_string();
    let (url, requests) = server(vec![(200, bye)]);
    let out = voicehook(&[
        "simulate",
        file.to_str().unwrap(),
        "--script",
        r#"{"keys": ["1"]}"#,
        "--reply-url",
        &url,
        "--auth",
        "Bearer s3cret",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (auth, vca) = requests.recv().expect("the server got the call action");
    assert_eq!(auth, "Bearer s3cret");
    assert_eq!(vca["payload"]["eventData"]["dtmf"], "1");
    // Every line is an event; the webhook lines carry the exact bodies, and the one the server
    // got is among them.
    let lines: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("NDJSON"))
        .collect();
    assert!(
        lines
            .iter()
            .all(|l| l["t"].is_u64() && l["event"].is_string())
    );
    assert!(
        lines
            .iter()
            .any(|l| l["event"] == "webhook" && l["webhook"] == vca)
    );
    let reply = lines.iter().find(|l| l["event"] == "reply").unwrap();
    assert_eq!(reply["valid"], true);
    let vss = lines.iter().rev().find(|l| l["kind"] == "vss").unwrap();
    assert_eq!(vss["webhook"]["payload"]["lastAction"], "HANGUP");
    let report = voicehook::validate(&serde_json::to_vec(&vss["webhook"]).unwrap());
    assert!(report.valid && report.warnings.is_empty());
}

#[test]
fn a_server_error_or_a_broken_answer_ends_with_minus_2003_and_exit_1() {
    for (status, body) in [
        (500, "oops".to_owned()),
        (200, r#"{"callflow": []}"#.to_owned()),
    ] {
        let file = menu_file(&format!("err{status}"));
        let (url, _requests) = server(vec![(status, body)]);
        let out = voicehook(&[
            "simulate",
            file.to_str().unwrap(),
            "--script",
            r#"{"keys": ["1"]}"#,
            "--reply-url",
            &url,
        ]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{stdout}");
        assert!(stdout.contains("session ends ERROR (-2003)"), "{stdout}");
    }
}

#[test]
fn an_inbound_call_without_answers_and_bad_input() {
    let out = voicehook(&["simulate", "--inbound", "+12314377870", "+6568332048"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "no answer to CALL_RECEIVED: {stdout}"
    );
    assert!(stdout.contains("call actions get no answer") && stdout.contains("CALL_RECEIVED"));

    let out = voicehook(&["simulate", "--inbound", "+1", "+6568332048"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E.164"), "{}", text(&out.stderr));

    let file = menu_file("bad");
    let out = voicehook(&[
        "simulate",
        file.to_str().unwrap(),
        "--script",
        r#"{"keys": 1}"#,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "voicehook: --script: invalid type: integer `1`, expected a sequence at line 1 column 10"
    );

    // What cannot work is said before the call starts, as a usage error.
    let missing = dir_of(&file).join("no-such-folder");
    for (args, says) in [
        (
            vec!["--reply-with", missing.to_str().unwrap()],
            "cannot read the reply folder",
        ),
        (
            vec!["--reply-url", "localhost:3000"],
            "--reply-url should be an http:// or https:// address such as http://localhost:3000/vca, found \"localhost:3000\"",
        ),
        (
            vec!["--script", r#"{"keys": ["1x"]}"#],
            r#"script: keys[0] should hold digits, * and # only, found 'x' in "1x""#,
        ),
    ] {
        let mut all = vec!["simulate", file.to_str().unwrap()];
        all.extend(args);
        let out = voicehook(&all);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "nothing is played");
    }
    // An https server that is not there: said as such (the build has TLS), then no answer.
    let out = voicehook(&[
        "simulate",
        file.to_str().unwrap(),
        "--script",
        r#"{"keys": ["1"]}"#,
        "--reply-url",
        "https://127.0.0.1:9/vca",
    ]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("cannot reach https://127.0.0.1:9/vca") && !stdout.contains("TLS"),
        "{stdout}"
    );

    // A callflow 8x8 refuses: NOT_CREATED with the status code, nothing is called.
    std::fs::write(&file, r#"{"callflow": [{"action": "hangup"}]}"#).unwrap();
    let out = voicehook(&["simulate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("NOT_CREATED, statusCode -1013"),
        "{}",
        text(&out.stdout)
    );
}
