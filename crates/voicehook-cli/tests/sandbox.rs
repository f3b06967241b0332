//! `voicehook sandbox` and `voicehook replay` as a user runs them: the binary on a free port,
//! driven by an ordinary HTTP client, delivering to a real loopback server; stopped with
//! SIGTERM; its record replayed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("voicehook-sandbox-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A loopback server answering every POST (a call action with a hangup, anything else with
/// `{}`); what it got, as (path, body).
/// What a receiver got: (path, body) of each POST.
type Got = Arc<Mutex<Vec<(String, Value)>>>;

fn receiver() -> (String, Got) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&got);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let kept = Arc::clone(&kept);
            thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut first = String::new();
                reader.read_line(&mut first).unwrap_or(0);
                let path = first.split(' ').nth(1).unwrap_or("").to_owned();
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let answer = if path == "/vca" {
                    json!({"callflow": [{"action": "hangup"}]}).to_string()
                } else {
                    "{}".to_owned()
                };
                kept.lock().unwrap().push((path, body));
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            });
        }
    });
    (url, got)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

#[test]
fn serves_delivers_stops_on_sigterm_and_replays_its_record() {
    let dir = scratch("run");
    let (hooks, got) = receiver();
    let scenario = dir.join("scenario.json");
    std::fs::write(
        &scenario,
        json!({"webhooks": [
            {"type": "VCA", "url": format!("{hooks}/vca")},
            {"type": "VSS", "url": format!("{hooks}/vss")}],
          "callees": {"*": {"keys": ["1"]}}})
        .to_string(),
    )
    .unwrap();
    let record = dir.join("record.ndjson");
    let mut child = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(["sandbox", "--port", "0", "--speed", "instant", "--scenario"])
        .arg(&scenario)
        .arg("--record")
        .arg(&record)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines.next().unwrap().unwrap();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let agent = agent();
    let mut response = agent
        .post(format!("{base}/api/v1/subaccounts/acme/callflows"))
        .header("Authorization", "Bearer sandbox")
        .header("Content-Type", "application/json")
        .send(json!({"callflow": [
            {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}},
            {"action": "sayAndCapture", "params": {"promptMessage": "Press 1", "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]})
        .to_string())
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let created: Value =
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    let id = created["sessionId"].as_str().unwrap().to_owned();
    let started = Instant::now();
    loop {
        let mut r = agent
            .get(format!("{base}/sandbox/sessions/{id}"))
            .call()
            .unwrap();
        let s: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        if s["state"] == "done" {
            assert_eq!(s["status"], "COMPLETED", "{s}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{s}");
        thread::sleep(Duration::from_millis(20));
    }
    let delivered = got.lock().unwrap().clone();
    assert_eq!(
        delivered
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>(),
        ["/vca", "/vss"]
    );
    // The page's live view is served at the root.
    let mut r = agent.get(format!("{base}/")).call().unwrap();
    assert!(
        r.body_mut()
            .read_to_string()
            .unwrap()
            .contains("voicehook sandbox")
    );

    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "a graceful stop");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains(&format!(
            "session {id} ended COMPLETED: 2 webhooks delivered"
        )),
        "{log}"
    );

    let text = std::fs::read_to_string(&record).unwrap();
    let exchanges: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        exchanges
            .iter()
            .any(|x| x["direction"] == "api" && x["status"] == 200)
    );
    assert_eq!(
        exchanges
            .iter()
            .filter(|x| x["direction"] == "webhook")
            .count(),
        2
    );

    let (again, got_again) = receiver();
    let out = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .arg("replay")
        .arg(&record)
        .args(["--to", &format!("{again}/replayed")])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("CALL_ACTION") && stdout.contains("SESSION_SUMMARY"),
        "{stdout}"
    );
    assert!(stdout.contains("2 webhooks sent"), "{stdout}");
    let bodies: Vec<Value> = got_again
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(
        bodies,
        delivered.iter().map(|(_, b)| b.clone()).collect::<Vec<_>>()
    );
    assert!(
        got_again
            .lock()
            .unwrap()
            .iter()
            .all(|(p, _)| p == "/replayed")
    );
    // To a server (no path): each webhook at its recorded path.
    let (origin, got_there) = receiver();
    let out = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .arg("replay")
        .arg(&record)
        .args(["--to", &origin])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(*got_there.lock().unwrap(), delivered);
    // An empty record is a usage error.
    let empty = dir.join("empty.ndjson");
    std::fs::write(&empty, "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .arg("replay")
        .arg(&empty)
        .args(["--to", &origin])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no webhook delivery"));
}

#[test]
fn a_bad_scenario_a_port_in_use_and_a_bad_record_are_usage_errors() {
    let dir = scratch("bad");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"delivery\": {\n    \"duplicate\": 0.2\n  }\n}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(["sandbox", "--check", "--scenario"])
        .arg(&bad)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.json:3:"), "{stderr}");
    assert!(stderr.contains("unknown field `duplicate`"), "{stderr}");

    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"delivery": {"duplicates": 0.2}}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(["sandbox", "--check", "--scenario"])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("a valid scenario"));

    let out = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(["sandbox", "--check", "--duplicates", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("delivery.duplicates is a share from 0 to 1")
    );

    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .args(["sandbox", "--port", &port])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} is in use")),
        "{stderr}"
    );

    let record = dir.join("record.ndjson");
    std::fs::write(&record, "{\"seq\": 1, \"direction\": \"webhook\"}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voicehook"))
        .arg("replay")
        .arg(&record)
        .args(["--to", "http://127.0.0.1:9/x"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("record.ndjson:1:"), "{stderr}");
}
