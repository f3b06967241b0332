//! The committed scenario schema and the documented example scenarios: the schema is what the
//! code generates, each example follows it, and each plays as its description says.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Receiver, Running, ivr};
use serde_json::{Value, json};
use voicehook_sandbox::Scenario;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_committed_schema_is_what_the_code_generates() {
    let committed = std::fs::read_to_string(dir().join("scenario.schema.json")).unwrap();
    assert!(
        committed.trim_end() == voicehook_sandbox::scenario::schema(),
        "crates/voicehook-sandbox/scenario.schema.json is stale: run `cargo xtask schemas`"
    );
}

#[test]
fn every_example_follows_the_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("scenario.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(dir().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read(&path).unwrap();
        let value: Value = serde_json::from_slice(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        Scenario::read(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seen += 1;
    }
    assert_eq!(seen, 4);
    // The oracle and the reader agree on what is wrong.
    let bad = json!({"delivery": {"duplicates": 2}});
    assert!(!validator.is_valid(&bad));
    assert!(Scenario::read(bad.to_string().as_bytes()).is_err());
}

/// The example with its webhooks pointed at `receiver`.
fn example(name: &str, receiver: &Receiver) -> Scenario {
    let text = std::fs::read_to_string(dir().join("scenarios").join(name)).unwrap();
    Scenario::read(
        text.replace("http://127.0.0.1:3000/8x8", &receiver.url)
            .as_bytes(),
    )
    .unwrap()
}

async fn send(sandbox: &Running, sub: &str, callflow: Value) -> String {
    let r = sandbox
        .http
        .post(format!(
            "{}/api/v1/subaccounts/{sub}/callflows",
            sandbox.url
        ))
        .bearer_auth("sandbox")
        .json(&callflow)
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sessionStatus"], "CREATED", "{v}");
    v["sessionId"].as_str().unwrap().to_owned()
}

fn summary(receiver: &Receiver, id: &str) -> Value {
    let vss = receiver.of(id, "/vss");
    assert_eq!(vss.len(), 1, "{vss:?}");
    vss[0]["payload"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_examples_play_as_described() {
    // IVR menu: keys 1 then 2 (the callee's own script), through the two-level IVR.
    let app = Receiver::start(ivr).await;
    let sandbox = Running::start(example("ivr-menu.json", &app)).await;
    let id = send(&sandbox, "sandbox", common::menu("+6591178965")).await;
    sandbox.finished(&id).await;
    assert_eq!(summary(&app, &id)["sessionStatus"], "COMPLETED");
    let digits: Vec<Value> = app
        .of(&id, "/vca")
        .iter()
        .map(|v| v["payload"]["eventData"]["dtmf"].clone())
        .collect();
    assert_eq!(digits, [json!("1"), json!("2")]);
    sandbox.stop().await;

    // Voice message: answered after 4 s, spoken, hung up.
    let app = Receiver::start(|_, _| (200, json!({}))).await;
    let sandbox = Running::start(example("voice-message.json", &app)).await;
    let id = send(&sandbox, "sandbox", json!({"callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}},
        {"action": "say", "params": {"text": "Your parcel arrives today", "voiceProfile": "en-US-ZiraRUS"}},
        {"action": "hangup"}]})).await;
    sandbox.finished(&id).await;
    let vss = summary(&app, &id);
    assert_eq!(vss["sessionStatus"], "COMPLETED");
    assert!(
        vss["details"]["callA"]["connectedTimestamp"].is_string(),
        "{vss}"
    );
    sandbox.stop().await;

    // Busy callee: BUSY, no call action.
    let app = Receiver::start(|_, _| (200, json!({}))).await;
    let sandbox = Running::start(example("busy-callee.json", &app)).await;
    let id = send(&sandbox, "sandbox", common::menu("+6591178965")).await;
    sandbox.finished(&id).await;
    assert_eq!(summary(&app, &id)["sessionStatus"], "BUSY");
    assert!(app.of(&id, "/vca").is_empty());
    sandbox.stop().await;

    // Number masking: the scenario's inbound call arrives by itself, is bridged and recorded.
    let app = Receiver::start(|path, _| {
        if path == "/vca" {
            return (
                200,
                json!({"callflow": [{"action": "makeCall", "params": {
                "source": "+6531570000", "destination": "+6591234567", "callRecording": true}}]}),
            );
        }
        (200, json!({}))
    })
    .await;
    let sandbox = Running::start(example("number-masking.json", &app)).await;
    let mut id = None;
    for _ in 0..200 {
        let list = sandbox.get("/sandbox/sessions").await;
        if let Some(s) = list["sessions"].get(0) {
            id = s["sessionId"].as_str().map(str::to_owned);
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let id = id.expect("the scenario's call arrived");
    let session = sandbox.finished(&id).await;
    assert_eq!(session["subAccountId"], "acme_masking");
    assert_eq!(session["status"], "COMPLETED", "{session}");
    let vss = app.of(&id, "/vss");
    assert!(!vss.is_empty());
    assert_eq!(vss[0]["payload"]["callCount"], 2);
    assert!(
        !app.of(&id, "/vru").is_empty(),
        "the recording was announced"
    );
    assert!(
        app.got()
            .iter()
            .all(|g| g.auth.as_deref() == Some("Bearer my-webhook-secret"))
    );
    sandbox.stop().await;
}
