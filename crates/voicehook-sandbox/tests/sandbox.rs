//! The sandbox driven as an integrator drives 8x8: an ordinary HTTP client for the API, real
//! loopback servers for the webhooks.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Receiver, Running, ivr, menu};
use serde_json::{Value, json};
use voicehook_sandbox::Scenario;

fn scenario(json: Value) -> Scenario {
    Scenario::read(json.to_string().as_bytes()).expect("a valid scenario")
}

fn callees() -> Scenario {
    scenario(json!({
        "callees": {
            "+6591110001": {"keys": ["1", "2"]},
            "+6591110002": {"legs": [{"outcome": "busy"}]},
            "+6591110003": {"legs": [{"outcome": "no-answer"}]},
            "+6591110009": {"keys": ["9"]}
        }
    }))
}

/// Every webhook exchange of the session passed voicehook in strict mode.
async fn all_valid(sandbox: &Running, id: &str) -> usize {
    let x = sandbox
        .get(&format!("/sandbox/exchanges?session={id}"))
        .await;
    let hooks: Vec<&Value> = x["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["direction"] == "webhook")
        .collect();
    for h in &hooks {
        assert_eq!(h["report"]["valid"], true, "{h}");
    }
    hooks.len()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ivr_app_is_driven_through_two_menus_to_a_completed_summary() {
    let app = Receiver::start(ivr).await;
    let sandbox = Running::start(callees()).await;
    sandbox.register(&app, &["VCA", "VCS", "VSS"]).await;
    let (status, created) = sandbox
        .api("POST", "/callflows", Some(menu("+6591110001")))
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["sessionStatus"], "CREATED");
    let id = created["sessionId"].as_str().unwrap();
    let session = sandbox.finished(id).await;
    assert_eq!(session["status"], "COMPLETED", "{session}");

    let vca = app.of(id, "/vca");
    let digits: Vec<&str> = vca
        .iter()
        .map(|v| v["payload"]["eventData"]["dtmf"].as_str().unwrap())
        .collect();
    assert_eq!(digits, ["1", "2"]);
    assert_eq!(vca[1]["payload"]["clientActionId"], "second");
    let vss = app.of(id, "/vss");
    assert_eq!(vss.len(), 1);
    assert_eq!(vss[0]["payload"]["sessionStatus"], "COMPLETED");
    assert_eq!(vss[0]["payload"]["lastAction"], "HANGUP");
    let vcs = app.of(id, "/vcs");
    let statuses: Vec<&str> = vcs
        .iter()
        .map(|v| v["payload"]["callStatus"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&"CALL_INITIATED"), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&"CALL_DISCONNECTED"), "{statuses:?}");
    // Each delivery carries the registered httpAuthHeader as its Authorization header.
    assert!(
        app.got()
            .iter()
            .all(|g| g.auth.as_deref() == Some("Basic c2VjcmV0"))
    );
    // The sandbox's own listing keeps no secret (the record file keeps it, to replay with).
    let x = sandbox
        .get(&format!("/sandbox/exchanges?session={id}"))
        .await;
    assert!(
        x["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["direction"] == "webhook")
            .all(|x| x["authorization"] == "(set)"),
        "{x}"
    );
    let delivered = all_valid(&sandbox, id).await;
    assert_eq!(delivered, app.got().len());
    assert_eq!(session["deliveries"]["delivered"], delivered);
    // The summary is the last webhook of the session.
    assert_eq!(app.got().last().unwrap().path, "/vss");
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn busy_no_answer_an_invalid_reply_and_an_expired_request() {
    let app = Receiver::start(|path, vca| {
        if path == "/vca" && vca["payload"]["eventData"]["dtmf"] == "9" {
            // Not a callflow 8x8 can run: the session ends with -2003.
            return (200, json!({"callflow": [{"action": "sayy"}]}));
        }
        ivr(path, vca)
    })
    .await;
    let sandbox = Running::start(callees()).await;
    sandbox.register(&app, &["VCA", "VCS", "VSS"]).await;
    let mut cases = Vec::new();
    for (to, want) in [
        ("+6591110002", "BUSY"),
        ("+6591110003", "NO_ANSWER"),
        ("+6591110009", "ERROR"),
    ] {
        let (status, created) = sandbox.api("POST", "/callflows", Some(menu(to))).await;
        assert_eq!(status, 200, "{created}");
        cases.push((created["sessionId"].as_str().unwrap().to_owned(), want));
    }
    for (id, want) in &cases {
        let session = sandbox.finished(id).await;
        let vss = app.of(id, "/vss");
        assert_eq!(vss.len(), 1, "{session}");
        assert_eq!(vss[0]["payload"]["sessionStatus"], *want, "{}", vss[0]);
        all_valid(&sandbox, id).await;
    }
    let vss = &app.of(&cases[2].0, "/vss")[0];
    assert_eq!(vss["payload"]["errorDetails"]["errorCode"], -2003, "{vss}");
    let x = sandbox
        .get(&format!("/sandbox/exchanges?session={}", cases[2].0))
        .await;
    let reply = x["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["replyReport"].is_object())
        .expect("the reply was checked");
    assert_eq!(reply["replyReport"]["valid"], false);
    assert_eq!(reply["replyReport"]["predictedSessionErrorCode"], -2003);

    let mut expired = menu("+6591110001");
    expired["validUntil"] = json!("2020-01-01T00:00:00Z");
    let r = sandbox
        .http
        .post(format!("{}/api/v1/subaccounts/acme/callflows", sandbox.url))
        .bearer_auth("sandbox")
        .json(&expired)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let why = r.headers()["voicehook-error"].to_str().unwrap().to_owned();
    assert!(why.contains("validUntil") || why.contains("past"), "{why}");
    let refused: Value = r.json().await.unwrap();
    assert_eq!(refused["sessionStatus"], "NOT_CREATED");
    assert_eq!(refused["statusCode"], -1015);
    assert!(refused["callFlowRequestId"].is_string());
    let sessions = sandbox.get("/sandbox/sessions").await;
    assert_eq!(
        sessions["sessions"].as_array().unwrap().len(),
        3,
        "no session for a refused request"
    );
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_key_the_sub_account_and_the_webhooks_api_are_checked() {
    let sandbox = Running::start(Scenario::default()).await;
    let url = format!("{}/api/v1/subaccounts/acme/callflows", sandbox.url);
    let r = sandbox
        .http
        .post(&url)
        .json(&menu("+6591110001"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["sessionStatus"], "NOT_CREATED");
    assert_eq!(body["statusCode"], 401);
    let r = sandbox
        .http
        .post(&url)
        .bearer_auth("wrong")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = sandbox
        .http
        .get(format!("{}/api/v1/subaccounts/a%20b/webhooks", sandbox.url))
        .bearer_auth("sandbox")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // A registration voicehook rejects gets the documented 422, and the reason in a header.
    let r = sandbox
        .http
        .post(format!("{}/api/v1/subaccounts/acme/webhooks", sandbox.url))
        .bearer_auth("sandbox")
        .json(&json!({"type": "VXX", "url": "http://127.0.0.1:9/x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let why = r.headers()["voicehook-error"].to_str().unwrap().to_owned();
    assert!(why.contains("/type"), "{why}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["statusCode"], "1001");
    let r = sandbox
        .http
        .post(format!("{}/api/v1/subaccounts/acme/webhooks", sandbox.url))
        .bearer_auth("sandbox")
        .json(&json!({"type": "VSS", "url": "https://example.com/vss"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "the sandbox delivers over plain HTTP only");
    let why = r.headers()["voicehook-error"].to_str().unwrap();
    assert!(
        why.contains("plain HTTP") && why.contains("http://"),
        "{why}"
    );

    // The setup guides' `active` is not the API's `enabled`: as voicehook warns, 8x8 ignores
    // it and the webhook is enabled.
    let (status, list) = sandbox
        .api(
            "POST",
            "/webhooks",
            Some(json!({"type": "VNU", "url": "http://127.0.0.1:9/vnu", "active": false})),
        )
        .await;
    assert_eq!(status, 200, "{list}");
    let (status, list) = sandbox
        .api(
            "POST",
            "/webhooks",
            Some(json!({"type": "VSS", "url": "http://127.0.0.1:9/vss"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["count"], 2);
    assert_eq!(list["webhooks"][0]["type"], "VSS");
    assert_eq!(list["webhooks"][0]["httpAuthHeaderAvailable"], false);
    assert_eq!(list["webhooks"][1]["type"], "VNU");
    assert_eq!(list["webhooks"][1]["enabled"], true);
    let (status, gone) = sandbox.api("DELETE", "/webhooks/VSS", None).await;
    assert_eq!(status, 200);
    assert_eq!(gone["statusMessage"], "deleted");
    assert_eq!(gone["enabled"], false);
    let (status, _) = sandbox.api("DELETE", "/webhooks/VSS", None).await;
    assert_eq!(status, 404);
    let (_, list) = sandbox.api("GET", "/webhooks", None).await;
    assert_eq!(list["count"], 1);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_number_masking_call_is_bridged_and_recorded() {
    let app = Receiver::start(|path, vca| {
        if path != "/vca" {
            return (200, json!({}));
        }
        assert_eq!(vca["payload"]["callStatus"], "CALL_RECEIVED");
        (200, json!({"callflow": [
            {"action": "say", "params": {"text": "Connecting you", "voiceProfile": "en-US-ZiraRUS"}},
            {"action": "makeCall", "params": {"source": "+6531570000", "destination": "+6591234567",
             "callRecording": true}}]}))
    })
    .await;
    let sandbox = Running::start(scenario(json!({
        "subAccountId": "acme",
        "callees": {"+6531570000": {"legs": [{"hangUpAfter": 60000}, {"answerAfter": 2000, "hangUpAfter": 20000}]}}
    })))
    .await;
    sandbox.register(&app, &["VCA", "VCS", "VSS", "VRU"]).await;
    let r = sandbox
        .http
        .post(format!("{}/sandbox/calls", sandbox.url))
        .json(&json!({"from": "+6598765432", "to": "+6531570000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let placed: Value = r.json().await.unwrap();
    let id = placed["sessionId"].as_str().unwrap();
    let session = sandbox.finished(id).await;
    assert_eq!(session["status"], "COMPLETED", "{session}");
    let vss = app.of(id, "/vss");
    assert_eq!(vss.len(), 1);
    assert!(
        vss[0]["payload"]["details"]["callB"].is_object(),
        "{}",
        vss[0]
    );
    let vru = app.of(id, "/vru");
    assert_eq!(vru.len(), 1, "{session}");
    assert_eq!(vru[0]["payload"]["status"], "UPLOAD_COMPLETED");
    assert!(!app.of(id, "/vcs").is_empty());
    all_valid(&sandbox, id).await;
    // The recordings API lists what the VRU said.
    let (status, recordings) = sandbox.api("GET", &format!("/recordings/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        recordings["recordings"][0]["recordingId"],
        vru[0]["payload"]["recordingId"]
    );
    sandbox.stop().await;
}

/// The voicehook-axum receiver (deduplicating in memory) behind a server that counts what its
/// handler is given.
async fn deduplicating_app(handled: Arc<std::sync::Mutex<HashMap<String, usize>>>) -> String {
    use axum::routing::post;
    use voicehook::receive::Policy;
    use voicehook_axum::{Receiver, handle};
    let receiver = Receiver::new(Policy {
        authorization: Some("Basic c2VjcmV0".into()),
        allow: vec!["127.0.0.1".parse().unwrap()],
        ..Policy::default()
    })
    .on_event(move |event| {
        let handled = Arc::clone(&handled);
        async move {
            *handled
                .lock()
                .unwrap()
                .entry(event.key.clone())
                .or_default() += 1;
            Ok::<(), std::io::Error>(())
        }
    })
    .on_call_action(|event| async move { Ok::<_, std::io::Error>(ivr("/vca", &event.data).1) })
    .await_handler(true);
    let app = axum::Router::new()
        .route("/{kind}", post(handle))
        .with_state(Arc::new(receiver));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn with_duplicates_and_reordering_the_receiver_handles_each_event_once() {
    let handled = Arc::new(std::sync::Mutex::new(HashMap::new()));
    let url = deduplicating_app(Arc::clone(&handled)).await;
    let mut s = callees();
    s.delivery.duplicates = 0.2;
    s.delivery.reorder = 0.2;
    s.seed = Some(7);
    let sandbox = Running::start(s).await;
    for t in ["VCA", "VCS", "VSS"] {
        let (status, body) = sandbox
            .api(
                "POST",
                "/webhooks",
                Some(json!({"type": t, "url": format!("{url}/{}", t.to_lowercase()), "httpAuthHeader": "Basic c2VjcmV0"})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let mut ids = Vec::new();
    for _ in 0..10 {
        let (_, created) = sandbox
            .api("POST", "/callflows", Some(menu("+6591110001")))
            .await;
        ids.push(created["sessionId"].as_str().unwrap().to_owned());
    }
    let (mut duplicates, mut delivered) = (0, 0);
    for id in &ids {
        let s = sandbox.finished(id).await;
        assert_eq!(s["status"], "COMPLETED", "{s}");
        duplicates += s["deliveries"]["duplicates"].as_u64().unwrap();
        delivered += s["deliveries"]["delivered"].as_u64().unwrap();
    }
    assert!(
        duplicates > 0,
        "20% duplicates of {delivered} deliveries gave none"
    );
    let handled = handled.lock().unwrap().clone();
    // Every VCS (initiated, connected, disconnected) and the VSS of each session, once; the
    // VCAs are answered, not handed to on_event.
    assert_eq!(handled.len(), ids.len() * 4, "{handled:?}");
    assert!(handled.values().all(|&n| n == 1), "{handled:?}");
    // Reordering moved some summary or status webhook after a later one.
    let x = sandbox.get("/sandbox/exchanges").await;
    let mut moved = 0;
    for id in &ids {
        let times: Vec<&str> = x["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| {
                x["direction"] == "webhook"
                    && x["sessionId"] == id.as_str()
                    && x["duplicate"].is_null()
            })
            .filter(|x| {
                x["request"]["eventType"] == "CALL_STATUS"
                    || x["request"]["eventType"] == "SESSION_SUMMARY"
            })
            .map(|x| x["request"]["payload"]["timestamp"].as_str().unwrap_or(""))
            .collect();
        let mut sorted = times.clone();
        sorted.sort();
        moved += usize::from(times != sorted);
    }
    assert!(moved > 0, "no session saw a webhook out of order");
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_delivery_is_retried_and_the_record_replays() {
    let fails = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&fails);
    let app = Receiver::start(move |path, body| {
        // The summary fails once.
        if path == "/vss" && seen.fetch_add(1, Ordering::SeqCst) == 0 {
            return (503, json!({}));
        }
        ivr(path, body)
    })
    .await;
    let record =
        std::env::temp_dir().join(format!("voicehook-sandbox-{}.ndjson", std::process::id()));
    let mut s = callees();
    s.delivery.retry_after_ms = 10;
    let sandbox = Running::start_with(voicehook_sandbox::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        speed: voicehook_sandbox::Speed::Instant,
        scenario: s,
        record: Some(record.clone()),
        ..voicehook_sandbox::Config::default()
    })
    .await;
    sandbox.register(&app, &["VCA", "VCS", "VSS"]).await;
    let (_, created) = sandbox
        .api("POST", "/callflows", Some(menu("+6591110001")))
        .await;
    let id = created["sessionId"].as_str().unwrap();
    let session = sandbox.finished(id).await;
    assert_eq!(session["deliveries"]["retries"], 1, "{session}");
    assert_eq!(session["deliveries"]["failed"], 0, "{session}");
    assert_eq!(app.of(id, "/vss").len(), 2, "the failed try and the retry");
    sandbox.stop().await;

    let text = std::fs::read_to_string(&record).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["direction"] == "api" && l["report"]["kind"] == "callflow")
    );
    let tries: Vec<&Value> = lines
        .iter()
        .filter(|l| l["request"]["eventType"] == "SESSION_SUMMARY")
        .collect();
    assert_eq!(tries.len(), 2);
    assert_eq!(
        (tries[0]["status"].as_u64(), tries[0]["attempt"].as_u64()),
        (Some(503), Some(1))
    );
    assert_eq!(
        (tries[1]["status"].as_u64(), tries[1]["attempt"].as_u64()),
        (Some(200), Some(2))
    );

    // Replay: the same webhooks, in the same order, to another server.
    let again = Receiver::start(|_, _| (200, json!({}))).await;
    let exchanges = voicehook_sandbox::replay::read(&text).unwrap();
    let sent = voicehook_sandbox::replay::send(
        &exchanges,
        &format!("{}/all", again.url),
        None,
        Duration::from_secs(5),
        |_| {},
    )
    .await;
    assert_eq!(sent.len(), app.got().len());
    let before: Vec<Value> = app.got().into_iter().map(|g| g.body).collect();
    let after: Vec<Value> = again.got().into_iter().map(|g| g.body).collect();
    assert_eq!(before, after);
    assert!(
        again
            .got()
            .iter()
            .all(|g| g.auth.as_deref() == Some("Basic c2VjcmV0"))
    );
    let _ = std::fs::remove_file(&record);
    let e = voicehook_sandbox::replay::read("{\"seq\": 1}\nnot json").unwrap_err();
    assert!(e.starts_with("1:"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_without_a_script_waits_for_the_keypad() {
    let app = Receiver::start(ivr).await;
    let sandbox = Running::start(Scenario::default()).await;
    sandbox.register(&app, &["VCA", "VSS"]).await;
    let (_, created) = sandbox
        .api("POST", "/callflows", Some(menu("+6591110001")))
        .await;
    let id = created["sessionId"].as_str().unwrap().to_owned();
    let keys = format!("{}/sandbox/sessions/{id}/keys", sandbox.url);
    for digits in ["1", "2"] {
        let mut waiting = Value::Null;
        for _ in 0..200 {
            waiting = sandbox.get(&format!("/sandbox/sessions/{id}")).await;
            if waiting["state"] == "waitingForKeys" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(waiting["state"], "waitingForKeys", "{waiting}");
        let r = sandbox
            .http
            .post(&keys)
            .json(&json!({"digits": digits}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let session = sandbox.finished(&id).await;
    assert_eq!(session["status"], "COMPLETED", "{session}");
    let r = sandbox
        .http
        .post(&keys)
        .json(&json!({"digits": "1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "the call is over");
    let r = sandbox
        .http
        .post(&keys)
        .json(&json!({"digits": "1x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_port_in_use_is_said_plainly() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = voicehook_sandbox::Config {
        addr: taken.local_addr().unwrap(),
        ..voicehook_sandbox::Config::default()
    };
    let e = voicehook_sandbox::Sandbox::bind(config)
        .await
        .err()
        .expect("the port is taken");
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "port {} is in use",
            taken.local_addr().unwrap().port()
        )),
        "{text}"
    );
    assert!(text.contains("--port"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_concurrent_sessions_at_instant_speed() {
    let app = Receiver::start(ivr).await;
    let sandbox = Running::start(callees()).await;
    sandbox.register(&app, &["VCA", "VCS", "VSS"]).await;
    let started = Instant::now();
    let mut sends = Vec::new();
    for _ in 0..200 {
        let http = sandbox.http.clone();
        let url = format!("{}/api/v1/subaccounts/acme/callflows", sandbox.url);
        sends.push(tokio::spawn(async move {
            let r = http
                .post(url)
                .bearer_auth("sandbox")
                .json(&menu("+6591110001"))
                .send()
                .await
                .unwrap();
            let v: Value = r.json().await.unwrap();
            v["sessionId"].as_str().unwrap().to_owned()
        }));
    }
    let mut ids = Vec::new();
    for s in sends {
        ids.push(s.await.unwrap());
    }
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 200, "every session has its own id");
    let mut delivered = 0;
    for id in &ids {
        let s = sandbox.finished(id).await;
        assert_eq!(s["status"], "COMPLETED");
        assert_eq!(s["deliveries"]["failed"], 0);
        delivered += s["deliveries"]["delivered"].as_u64().unwrap();
    }
    let took = started.elapsed();
    assert_eq!(delivered as usize, app.got().len());
    let x = sandbox.get("/sandbox/exchanges").await;
    let invalid = x["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["direction"] == "webhook" && x["report"]["valid"] != true)
        .count();
    assert_eq!(invalid, 0);
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    eprintln!(
        "200 sessions, {delivered} webhooks delivered in {:.2} s: {:.0} sessions/s; peak RSS of the test process {peak}",
        took.as_secs_f64(),
        200.0 / took.as_secs_f64()
    );
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_requests_get_precise_refusals_and_the_sandbox_carries_on() {
    let sandbox = Running::start(callees()).await;
    let post = |path: &str, body: Vec<u8>| {
        sandbox
            .http
            .post(format!("{}{path}", sandbox.url))
            .bearer_auth("sandbox")
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let r = post(
        "/api/v1/subaccounts/acme/callflows",
        b"{\"callflow\": [".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["sessionStatus"].as_str(), v["statusCode"].as_i64()),
        (Some("NOT_CREATED"), Some(-1001)),
        "{v}"
    );
    // Over the limit: 413, on a connection of its own (the sandbox stops reading and closes
    // it, so the client may see the close before the answer).
    let big = reqwest::Client::new()
        .post(format!("{}/api/v1/subaccounts/acme/callflows", sandbox.url))
        .bearer_auth("sandbox")
        .body(vec![b' '; 2 << 20])
        .send()
        .await;
    match big {
        Ok(r) => assert_eq!(r.status(), 413),
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    let r = post("/api/v1/subaccounts/acme/webhooks", b"[]".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = post(
        "/sandbox/calls",
        br#"{"from": "abc", "to": "+6531570000"}"#.to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"].as_str().unwrap().contains("abc"), "{v}");
    let r = post("/sandbox/calls", br#"{"from": "+6598765432"}"#.to_vec())
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["error"].as_str().unwrap().contains("missing field `to`"),
        "{v}"
    );
    // Only JSON: a page of another site cannot make the sandbox call anyone.
    let r = sandbox
        .http
        .post(format!("{}/sandbox/calls", sandbox.url))
        .header("content-type", "text/plain")
        .body(r#"{"from": "+6598765432", "to": "+6531570000"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let r = post(
        "/sandbox/sessions/nope/keys",
        br#"{"digits": "1"}"#.to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 404);
    // Still serving.
    let (status, created) = sandbox
        .api("POST", "/callflows", Some(menu("+6591110002")))
        .await;
    assert_eq!(status, 200, "{created}");
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ids_are_new_for_each_run_unless_the_scenario_sets_a_seed() {
    let mut ids = Vec::new();
    for seed in [None, None, Some(42), Some(42)] {
        let mut s = callees();
        s.seed = seed;
        let sandbox = Running::start(s).await;
        let (_, created) = sandbox
            .api("POST", "/callflows", Some(menu("+6591110002")))
            .await;
        ids.push((
            created["sessionId"].clone(),
            created["callFlowRequestId"].clone(),
        ));
        sandbox.stop().await;
    }
    assert_ne!(ids[0], ids[1], "two runs without a seed");
    assert_ne!(ids[0].0, ids[2].0);
    assert_eq!(ids[2], ids[3], "the same seed gives the same ids");
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_scenario_webhook_for_one_sub_account_leaves_the_others() {
    let sandbox = Running::start(scenario(json!({
        "webhooks": [{"type": "VSS", "url": "http://127.0.0.1:9/vss"}]
    })))
    .await;
    let (_, list) = sandbox.api("GET", "/webhooks", None).await;
    assert_eq!(list["count"], 1, "{list}");
    let (status, gone) = sandbox.api("DELETE", "/webhooks/VSS", None).await;
    assert_eq!(status, 200, "{gone}");
    let (_, list) = sandbox.api("GET", "/webhooks", None).await;
    assert_eq!(list["count"], 0, "{list}");
    let (status, _) = sandbox.api("DELETE", "/webhooks/VSS", None).await;
    assert_eq!(status, 404);
    let other = sandbox
        .http
        .get(format!("{}/api/v1/subaccounts/other/webhooks", sandbox.url))
        .bearer_auth("sandbox")
        .send()
        .await
        .unwrap();
    let other: Value = other.json().await.unwrap();
    assert_eq!(other["count"], 1, "{other}");
    // Registering again for acme takes the tombstone's place.
    let (status, list) = sandbox
        .api(
            "POST",
            "/webhooks",
            Some(json!({"type": "VSS", "url": "http://127.0.0.1:9/mine"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["webhooks"][0]["url"], "http://127.0.0.1:9/mine");
    sandbox.stop().await;
}
