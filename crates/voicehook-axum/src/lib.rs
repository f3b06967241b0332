//! Receiving 8x8 CPaaS Voice webhooks in [axum]: the core's receive check
//! ([`voicehook::receive`]) as an extractor, and a handler that deduplicates, answers 200 before
//! slow work and answers call actions with a checked reply.
//!
//! ```no_run
//! use std::net::SocketAddr;
//! use std::sync::Arc;
//! use axum::{Router, routing::post};
//! use voicehook::receive::Policy;
//! use voicehook_axum::{Receiver, handle};
//!
//! # async fn run() -> std::io::Result<()> {
//! let receiver = Receiver::new(Policy {
//!     authorization: Some("Bearer my-webhook-secret".into()),
//!     ..Policy::default()
//! })
//! .on_event(|event| async move {
//!     println!("{} {}", event.kind, event.key);
//!     Ok::<(), std::io::Error>(())
//! })
//! .on_call_action(|_event| async move {
//!     Ok::<_, std::io::Error>(serde_json::json!({"callflow": [{"action": "hangup"}]}))
//! });
//! let app = Router::new().route("/8x8/webhooks", post(handle)).with_state(Arc::new(receiver));
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! // The peer address comes from ConnectInfo: serve with connect info.
//! axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await
//! # }
//! ```
//!
//! This crate only does the HTTP: what is checked, in which order and with which status, is the
//! core's (see [`voicehook::receive`]); the npm package's `voicehook/receiver` behaves the same.
//! - [`Webhook`] extracts an accepted webhook or answers the refusal (403, 401, 413, 400, 422
//!   with `{ok: false, reason, message}`); the peer address is read from
//!   `ConnectInfo<SocketAddr>` (without it every request is refused as `forwarded`).
//! - [`handle`] claims the idempotency key in the [`Store`], answers 200 and runs the
//!   `on_event` handler afterwards on its own task; a handler error releases the key so that a
//!   redelivery is handled ([`Receiver::await_handler`] answers after the handler instead: 200,
//!   or 500 when it failed). A duplicate gets 200 and is not handed over again. A Voice Call
//!   Action awaits `on_call_action`; a reply that is not a valid VCA reply, an error or a
//!   timeout answers with the fallback (hang up) instead of letting 8x8 end the call with -2003.

mod store;

#[cfg(feature = "redis")]
pub use store::redis::RedisStore;
pub use store::{MemoryStore, Store, StoreError, StoreFuture};

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRef, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::{Value, json};
use voicehook::Kind;
use voicehook::receive::{Claim, Policy, Rejection, Verdict};

/// An accepted webhook, as the handlers get it.
#[derive(Clone, Debug)]
pub struct Event {
    /// Its kind.
    pub kind: Kind,
    /// What deliveries are deduplicated by (see [`voicehook::receive`]).
    pub key: String,
    /// The client address the check used.
    pub client: String,
    /// The document as voicehook read it (quirks rewritten to the canonical form).
    pub data: Value,
    /// Its validation report.
    pub report: voicehook::Report,
    /// Whether deliveries of this kind are deduplicated (all but VCA).
    pub deduplicate: bool,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ErrorSink = Arc<dyn Fn(&str, Option<&Event>) + Send + Sync>;
type Handler<T> =
    Arc<dyn Fn(Event) -> Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>> + Send + Sync>;

/// The reply to a call action whose handler failed, timed out or answered an invalid reply.
pub fn fallback_reply() -> Value {
    json!({"callflow": [{"action": "hangup"}]})
}

/// One webhook endpoint: its policy, store and handlers.
pub struct Receiver {
    policy: Policy,
    store: Arc<dyn Store>,
    on_event: Option<Handler<()>>,
    on_call_action: Option<Handler<Value>>,
    on_error: ErrorSink,
    fallback: Value,
    ttl: Duration,
    lease: Duration,
    call_action_timeout: Duration,
    await_handler: bool,
}

impl Receiver {
    /// A receiver with `policy`, an in-memory store of 100,000 keys, keys kept 24 hours, leases
    /// of 60 s, 5 s for a call action, and errors written to standard error.
    pub fn new(policy: Policy) -> Self {
        Receiver {
            policy,
            store: Arc::new(MemoryStore::new(100_000)),
            on_event: None,
            on_call_action: None,
            on_error: Arc::new(|message, _| eprintln!("voicehook: {message}")),
            fallback: fallback_reply(),
            ttl: Duration::from_secs(24 * 3600),
            lease: Duration::from_secs(60),
            call_action_timeout: Duration::from_secs(5),
            await_handler: false,
        }
    }

    /// Answers only after `on_event` succeeded (200), or with 500 when it failed, so that the
    /// sender may deliver it again; by default the answer goes out first.
    pub fn await_handler(mut self, wait: bool) -> Self {
        self.await_handler = wait;
        self
    }

    /// Runs `f` for every accepted webhook but VCA, after the 200, once per idempotency key; an
    /// `Err` releases the key.
    pub fn on_event<F, Fut, E>(mut self, f: F) -> Self
    where
        F: Fn(Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError>,
    {
        self.on_event = Some(Arc::new(move |e| {
            let fut = f(e);
            Box::pin(async move { fut.await.map_err(Into::into) })
        }));
        self
    }

    /// Answers a Voice Call Action with the reply `f` returns (checked as a VCA reply).
    pub fn on_call_action<F, Fut, E>(mut self, f: F) -> Self
    where
        F: Fn(Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        self.on_call_action = Some(Arc::new(move |e| {
            let fut = f(e);
            Box::pin(async move { fut.await.map_err(Into::into) })
        }));
        self
    }

    /// Hears what went wrong: a handler error, a call action answered with the fallback.
    pub fn on_error(mut self, f: impl Fn(&str, Option<&Event>) + Send + Sync + 'static) -> Self {
        self.on_error = Arc::new(f);
        self
    }

    /// The deduplication store ([`MemoryStore`], or `RedisStore` with the `redis` feature).
    pub fn store(mut self, store: impl Store + 'static) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// The reply to a call action when the handler's cannot be used; `Err` when it is not a
    /// valid VCA reply itself.
    pub fn fallback(mut self, reply: Value) -> Result<Self, String> {
        let report = voicehook::validate_with(
            reply.to_string().as_bytes(),
            &voicehook::Options {
                kind: Some(Kind::VcaReply),
                ..Default::default()
            },
        );
        match report.errors.first() {
            Some(e) => Err(format!(
                "the fallback is not a valid VCA reply: {} at {}: {}",
                e.rule.as_str(),
                e.pointer,
                e.message
            )),
            None => {
                self.fallback = reply;
                Ok(self)
            }
        }
    }

    /// How long a handled key counts as a duplicate, a claim holds while its handler runs, and a
    /// call action handler may take.
    pub fn timings(mut self, ttl: Duration, lease: Duration, call_action: Duration) -> Self {
        (self.ttl, self.lease, self.call_action_timeout) = (ttl, lease, call_action);
        self
    }

    /// The policy this receiver checks with.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }
}

/// A webhook the receive check accepted; as an extractor, a refused request is answered with
/// its [`Refused`] response.
#[derive(Debug)]
pub struct Webhook(pub Event);

/// A refused request: the core's [`Rejection`], answered with its status and
/// `{ok: false, reason, message}`.
#[derive(Debug)]
pub struct Refused(pub Rejection);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let r = self.0;
        let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = json!({"ok": false, "reason": r.reason, "message": r.message});
        (status, axum::Json(body)).into_response()
    }
}

impl<S> FromRequest<S> for Webhook
where
    Arc<Receiver>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Refused;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let receiver = Arc::<Receiver>::from_ref(state);
        check(&receiver.policy, req)
            .await
            .map(Webhook)
            .map_err(Refused)
    }
}

/// The receive check of one axum request: the head first (before the body is read), then the
/// body up to the size limit, then the whole check.
pub async fn check(policy: &Policy, req: Request) -> Result<Event, Rejection> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let (parts, body) = req.into_parts();
    let headers = header_pairs(&parts.headers);
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .unwrap_or(0);
    voicehook::receive::check_head(policy, peer.as_deref(), &pairs, declared)?;
    let bytes = match read_body(body, policy.max_size).await {
        Ok(bytes) => bytes,
        Err(size) => {
            return Err(
                voicehook::receive::check_head(policy, peer.as_deref(), &pairs, size)
                    .err()
                    .unwrap_or_else(|| unreadable_body(size)),
            );
        }
    };
    let request = voicehook::receive::Request {
        peer: peer.as_deref(),
        headers: &pairs,
        body: &bytes,
    };
    match voicehook::receive::check(policy, &request) {
        Verdict::Accept(a) => Ok(Event {
            kind: a.kind,
            key: a.key.clone(),
            client: a.client.clone(),
            data: a.data().to_value(),
            report: a.report.clone(),
            deduplicate: a.deduplicate,
        }),
        Verdict::Reject(r) => Err(r),
    }
}

/// The headers as (name, value) pairs; a value that is not text is left out.
fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect()
}

/// The body, or `Err` with how many bytes it had once past `limit` (the rest is read and
/// dropped, so that the answer reaches a client still sending).
async fn read_body(body: Body, limit: usize) -> Result<Vec<u8>, usize> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut size = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else { break };
        size = size.saturating_add(chunk.len());
        if size <= limit {
            bytes.extend_from_slice(&chunk);
        }
    }
    if size > limit { Err(size) } else { Ok(bytes) }
}

fn unreadable_body(size: usize) -> Rejection {
    Rejection {
        status: 413,
        reason: voicehook::receive::Reason::Size,
        message: format!("the body has {size} bytes"),
        client: None,
        report: None,
    }
}

/// The receiver as an axum handler (`post(handle)` with `Arc<Receiver>` as state): the check,
/// deduplication, 200 before `on_event`, and call actions answered with a checked reply.
pub async fn handle(State(receiver): State<Arc<Receiver>>, webhook: Webhook) -> Response {
    let event = webhook.0;
    if event.kind == Kind::Vca {
        return call_action(&receiver, event).await;
    }
    if event.deduplicate {
        match receiver.store.claim(&event.key, receiver.lease).await {
            Ok(Claim::New) => {}
            Ok(claim) => {
                let body = json!({"ok": true, "duplicate": true, "inProgress": claim == Claim::InProgress});
                return (StatusCode::OK, axum::Json(body)).into_response();
            }
            Err(e) => {
                (receiver.on_error)(
                    &format!("the store failed to claim {}: {e}", event.key),
                    Some(&event),
                );
                let body = json!({"ok": false, "reason": "store", "message": "deduplication is unavailable; deliver again later"});
                return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
            }
        }
    }
    if receiver.await_handler {
        if run_handler(&receiver, event).await {
            return (StatusCode::OK, axum::Json(json!({"ok": true}))).into_response();
        }
        let body = json!({"ok": false, "reason": "handler", "message": "the handler failed; deliver again later"});
        return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response();
    }
    let task = receiver.clone();
    tokio::spawn(async move {
        run_handler(&task, event).await;
    });
    (StatusCode::OK, axum::Json(json!({"ok": true}))).into_response()
}

/// Runs `on_event`, then marks the key done, or releases it when the handler failed; true when
/// it succeeded.
async fn run_handler(receiver: &Receiver, event: Event) -> bool {
    let outcome = match &receiver.on_event {
        Some(f) => f(event.clone()).await,
        None => Ok(()),
    };
    let ok = outcome.is_ok();
    let stored = match outcome {
        Ok(()) if event.deduplicate => receiver.store.done(&event.key, receiver.ttl).await,
        Ok(()) => Ok(()),
        Err(e) => {
            (receiver.on_error)(
                &format!("on_event failed for {}: {e}", event.key),
                Some(&event),
            );
            if event.deduplicate {
                receiver.store.release(&event.key).await
            } else {
                Ok(())
            }
        }
    };
    if let Err(e) = stored {
        (receiver.on_error)(
            &format!("the store failed for {}: {e}", event.key),
            Some(&event),
        );
    }
    ok
}

async fn call_action(receiver: &Receiver, event: Event) -> Response {
    let why = match &receiver.on_call_action {
        None => Err("no on_call_action handler".to_owned()),
        Some(f) => match tokio::time::timeout(receiver.call_action_timeout, f(event.clone())).await
        {
            Err(_) => Err(format!(
                "on_call_action took longer than {} ms",
                receiver.call_action_timeout.as_millis()
            )),
            Ok(Err(e)) => Err(e.to_string()),
            Ok(Ok(reply)) => {
                let text = reply.to_string();
                let options = voicehook::Options {
                    kind: Some(Kind::VcaReply),
                    ..Default::default()
                };
                let report = voicehook::validate_with(text.as_bytes(), &options);
                match report.errors.first() {
                    None => Ok(reply),
                    Some(e) => Err(format!(
                        "the reply is not a valid VCA reply ({} at {}: {})",
                        e.rule.as_str(),
                        if e.pointer.is_empty() {
                            "/"
                        } else {
                            &e.pointer
                        },
                        e.message
                    )),
                }
            }
        },
    };
    let reply = match why {
        Ok(reply) => reply,
        Err(why) => {
            let message = format!(
                "call action {}: {why}; answered with the fallback reply",
                event.key
            );
            (receiver.on_error)(&message, Some(&event));
            receiver.fallback.clone()
        }
    };
    (StatusCode::OK, axum::Json(reply)).into_response()
}
