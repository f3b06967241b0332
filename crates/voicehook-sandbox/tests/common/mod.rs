//! A sandbox on a free loopback port, an ordinary HTTP client, and loopback servers that
//! receive its webhooks.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use voicehook_sandbox::{Config, Sandbox, Scenario, Speed};

/// A running sandbox.
pub struct Running {
    pub url: String,
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub done: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub async fn start(scenario: Scenario) -> Running {
        Running::start_with(Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            speed: Speed::Instant,
            scenario,
            ..Config::default()
        })
        .await
    }

    pub async fn start_with(config: Config) -> Running {
        let sandbox = Sandbox::bind(config).await.expect("the sandbox starts");
        let url = sandbox.url();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(sandbox.serve(async move {
            let _ = rx.await;
        }));
        Running {
            url,
            http: reqwest::Client::new(),
            stop: Some(tx),
            done,
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), &mut self.done).await;
    }

    /// `METHOD /api/v1/subaccounts/acme<path>` with the key: (status, JSON body).
    pub async fn api(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}/api/v1/subaccounts/acme{path}", self.url);
        let mut request = self
            .http
            .request(method.parse().unwrap(), url)
            .bearer_auth("sandbox");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the sandbox answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("the sandbox answers");
        response.json().await.expect("JSON")
    }

    /// Registers the three IVR webhooks of `receiver` for sub-account acme.
    pub async fn register(&self, receiver: &Receiver, types: &[&str]) {
        for t in types {
            let (status, body) = self
                .api(
                    "POST",
                    "/webhooks",
                    Some(
                        json!({"type": t, "url": format!("{}/{}", receiver.url, t.to_lowercase()),
                                "httpAuthHeader": "Basic c2VjcmV0"}),
                    ),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    }

    /// Waits until the session is done (every webhook delivered) and returns its detail.
    pub async fn finished(&self, id: &str) -> Value {
        for _ in 0..400 {
            let s = self.get(&format!("/sandbox/sessions/{id}")).await;
            if s["state"] == "done" {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "session {id} did not finish: {}",
            self.get(&format!("/sandbox/sessions/{id}")).await
        );
    }
}

/// One webhook a receiver got.
#[derive(Clone, Debug)]
pub struct Got {
    pub path: String,
    pub auth: Option<String>,
    pub body: Value,
}

type Answer = dyn Fn(&str, &Value) -> (u16, Value) + Send + Sync;

/// A loopback server that keeps every POST and answers with `answer(path, body)`.
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Got>>>,
}

#[derive(Clone)]
struct Ctx {
    got: Arc<Mutex<Vec<Got>>>,
    answer: Arc<Answer>,
}

async fn take(
    State(ctx): State<Ctx>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let path = uri.path().to_owned();
    let (status, out) = (ctx.answer)(&path, &body);
    ctx.got.lock().unwrap().push(Got {
        path,
        auth: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body,
    });
    (StatusCode::from_u16(status).unwrap(), axum::Json(out))
}

impl Receiver {
    pub async fn start(
        answer: impl Fn(&str, &Value) -> (u16, Value) + Send + Sync + 'static,
    ) -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let ctx = Ctx {
            got: Arc::clone(&got),
            answer: Arc::new(answer),
        };
        let app = Router::new().fallback(take).with_state(ctx);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, got }
    }

    pub fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }

    /// The bodies received at `path` for the session.
    pub fn of(&self, session: &str, path: &str) -> Vec<Value> {
        self.got()
            .into_iter()
            .filter(|g| g.path == path && g.body["payload"]["sessionId"] == session)
            .map(|g| g.body)
            .collect()
    }
}

/// A two-level IVR: the first capture's key 1 leads to a second menu, whose key 2 says goodbye.
pub fn ivr(path: &str, vca: &Value) -> (u16, Value) {
    if path != "/vca" {
        return (200, json!({}));
    }
    let p = &vca["payload"];
    let say_bye = json!({"callflow": [
        {"action": "say", "params": {"text": "Goodbye", "voiceProfile": "en-US-ZiraRUS"}},
        {"action": "hangup"}]});
    match (
        p["clientActionId"].as_str(),
        p["eventData"]["dtmf"].as_str(),
    ) {
        (None, Some("1")) => (
            200,
            json!({"clientActionId": "second", "callflow": [
            {"action": "sayAndCapture", "params": {"promptMessage": "Press 2 to finish",
             "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]}),
        ),
        (Some("second"), Some("2")) => (200, say_bye),
        _ => (200, json!({"callflow": [{"action": "hangup"}]})),
    }
}

/// A Send Callflow body: call `to` and ask for one key.
pub fn menu(to: &str) -> Value {
    json!({"callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": to}},
        {"action": "sayAndCapture", "params": {"promptMessage": "Press 1 for sales",
         "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]})
}
