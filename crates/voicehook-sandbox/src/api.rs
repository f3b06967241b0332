//! The HTTP side: every path of 8x8's Voice and Number Masking OpenAPI files, and the
//! sandbox's own `/sandbox/...` paths.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use voicehook::Kind;
use voicehook::call::Script;
use voicehook::models::webhooks::WebhookCreate;

use crate::record::{self, Direction, Exchange};
use crate::scenario::{InboundCall, TYPES};
use crate::session::{self, Created};
use crate::state::{Hook, Shared};

/// Every operation of 8x8's Voice and Number Masking OpenAPI files, as the sandbox serves it
/// (method, path under the sub-account): a test checks the list against the files.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("POST", "/callflows"),
    ("GET", "/speech-profiles"),
    ("GET", "/webhooks"),
    ("POST", "/webhooks"),
    ("DELETE", "/webhooks/{webhook-type}"),
    ("GET", "/recording-push-config"),
    ("POST", "/recording-push-config"),
    ("DELETE", "/recording-push-config"),
    ("GET", "/recordings/{sessionId}"),
    ("GET", "/numbers"),
    ("GET", "/numbers/{number}"),
    ("POST", "/messages/exports"),
    ("GET", "/messages/exports/{jobId}"),
    ("DELETE", "/messages/exports/{jobId}"),
];

/// How long the sandbox waits for a request's body.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The largest request body the sandbox reads.
pub const MAX_BODY: usize = 1 << 20;

type Shr = State<Arc<Shared>>;

/// The sandbox's routes.
pub fn router(shared: Arc<Shared>) -> Router {
    let sub = "/api/v1/subaccounts/{sub}";
    let api = Router::new()
        .route(&format!("{sub}/callflows"), post(callflows))
        .route(&format!("{sub}/speech-profiles"), get(speech_profiles))
        .route(
            &format!("{sub}/webhooks"),
            get(list_hooks).post(create_hook),
        )
        .route(
            &format!("{sub}/webhooks/{{kind}}"),
            axum::routing::delete(delete_hook),
        )
        .route(
            &format!("{sub}/recording-push-config"),
            get(get_push).post(set_push).delete(delete_push),
        )
        .route(&format!("{sub}/recordings/{{session}}"), get(recordings))
        .route(&format!("{sub}/numbers"), get(numbers))
        .route(&format!("{sub}/numbers/{{number}}"), get(number))
        .route(&format!("{sub}/messages/exports"), post(start_export))
        .route(
            &format!("{sub}/messages/exports/{{job}}"),
            get(export).delete(cancel_export),
        )
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard));
    Router::new()
        .merge(api)
        .route("/sandbox/sessions", get(sessions))
        .route("/sandbox/sessions/{id}", get(session_detail))
        .route("/sandbox/sessions/{id}/keys", post(keys))
        .route("/sandbox/calls", post(calls))
        .route("/sandbox/exchanges", get(exchanges))
        .route("/", get(view))
        .fallback(not_found)
        .with_state(shared)
}

use crate::now;

fn answer(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// What 8x8 checks before any API call (the key, the sub-account), and the record of each call.
async fn guard(State(shared): Shr, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let at = now();
    let method = request.method().to_string();
    // The path decides; the record keeps the query too.
    let url = request
        .uri()
        .path_and_query()
        .map_or_else(String::new, |p| p.to_string());
    let path = request.uri().path().to_owned();
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY)).await;
    let bytes = match read {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return answer(
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"statusCode": 413, "statusMessage": format!("the body is over {MAX_BODY} bytes")}),
            );
        }
        Err(_) => {
            return answer(
                StatusCode::REQUEST_TIMEOUT,
                json!({"statusCode": 408, "statusMessage": format!(
                    "the body did not arrive within {} s", BODY_TIMEOUT.as_secs())}),
            );
        }
    };
    let expected = format!("Bearer {}", shared.config.api_key);
    let authorized = parts
        .headers
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v.as_bytes() == expected.as_bytes());
    let sub = path
        .strip_prefix("/api/v1/subaccounts/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned();
    let callflow = path.contains("/callflows");
    let response = if !authorized {
        let message = "Authentication header not found or token invalid";
        let body = if callflow {
            json!({"sessionStatus": "NOT_CREATED", "callFlowRequestId": shared.request_id(),
                   "statusCode": 401, "statusMessage": message})
        } else {
            json!({"statusCode": 401, "statusMessage": message})
        };
        let given = if parts.headers.contains_key(header::AUTHORIZATION) {
            "a wrong Authorization header"
        } else {
            "no Authorization header"
        };
        with_reason(
            answer(StatusCode::UNAUTHORIZED, body),
            &format!(
                "{given}: send Authorization: Bearer <the sandbox's --api-key, default sandbox>"
            ),
        )
    } else if !valid_sub_account(&sub) {
        let message = format!("SubAccount not found by Id : {sub}");
        let body = if callflow {
            json!({"sessionStatus": "NOT_CREATED", "callFlowRequestId": shared.request_id(),
                   "statusCode": 404, "statusMessage": message})
        } else {
            json!({"statusCode": 404, "statusMessage": message})
        };
        with_reason(
            answer(StatusCode::NOT_FOUND, body),
            "a sub-account id is 3 to 50 letters, digits, `-`, `.`, `_` or `&`",
        )
    } else {
        let request = Request::from_parts(parts, Body::from(bytes.clone()));
        next.run(request).await
    };
    let (parts, body) = response.into_parts();
    let out = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let response_value = record::body_value(&out);
    let report_kind = if callflow {
        Some(Kind::Callflow)
    } else if method == "POST" && path.ends_with("/webhooks") {
        Some(Kind::WebhookCreate)
    } else {
        None
    };
    shared.recorder.add(Exchange {
        seq: 0,
        direction: Direction::Api,
        at,
        ms: started.elapsed().as_millis() as u64,
        session_id: response_value["sessionId"].as_str().map(str::to_owned),
        method,
        url,
        authorization: None,
        attempt: None,
        duplicate: false,
        request: record::body_value(&bytes),
        status: Some(parts.status.as_u16()),
        response: response_value,
        error: None,
        report: report_kind
            .filter(|_| authorized)
            .map(|k| record::report(&bytes, k)),
        reply_report: None,
    });
    Response::from_parts(parts, Body::from(out))
}

/// The OpenAPI's pattern for a sub-account id: 3 to 50 of `A-Z a-z 0-9 - . _ &`.
fn valid_sub_account(id: &str) -> bool {
    (3..=50).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._&".contains(&b))
}

async fn callflows(State(shared): Shr, Path(sub): Path<String>, body: Bytes) -> Response {
    match session::send_callflow(&shared, &sub, &body) {
        Created::Yes(response) => answer(StatusCode::OK, response),
        Created::No(response, reason) => {
            let status = match response["statusCode"].as_i64() {
                Some(-1001) => StatusCode::BAD_REQUEST,
                Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
                None => StatusCode::INTERNAL_SERVER_ERROR,
            };
            with_reason(answer(status, response), &reason)
        }
    }
}

async fn speech_profiles() -> Response {
    let profiles: Vec<Value> = crate::SPEECH_PROFILES
        .iter()
        .map(|(code, locale, description, gender)| {
            json!({"speechProfileCode": code, "localeCode": locale,
                   "localeDescription": description, "gender": gender})
        })
        .collect();
    answer(
        StatusCode::OK,
        json!({"speechProfiles": profiles, "statusCode": 0, "statusMessage": "ok"}),
    )
}

fn hook_json(kind: &str, hook: &Hook) -> Value {
    json!({"type": kind, "url": hook.url, "enabled": hook.enabled,
           "httpAuthHeaderAvailable": hook.auth.is_some()})
}

fn hook_list(shared: &Shared, sub: &str) -> Value {
    let list: Vec<Value> = shared
        .hooks_of(sub)
        .iter()
        .map(|(kind, hook)| hook_json(kind, hook))
        .collect();
    json!({"subAccountId": sub, "count": list.len(), "webhooks": list,
           "statusCode": 0, "statusMessage": "ok"})
}

async fn list_hooks(State(shared): Shr, Path(sub): Path<String>) -> Response {
    answer(StatusCode::OK, hook_list(&shared, &sub))
}

/// The answer with voicehook's reason for a refusal in its `voicehook-error` header (the
/// body keeps 8x8's shape); the sandbox's log prints it too.
fn with_reason(mut r: Response, reason: &str) -> Response {
    // A header is ASCII: other characters are written as \u{…}, controls as spaces.
    let mut clean = String::with_capacity(reason.len());
    for c in reason.chars() {
        match c {
            ' '..='~' => clean.push(c),
            c if c.is_control() => clean.push(' '),
            '→' => clean.push_str("->"),
            '…' => clean.push_str("..."),
            c => clean.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    if let Ok(v) = HeaderValue::from_str(&clean) {
        r.headers_mut().insert(REASON, v);
    }
    r
}

/// The header that carries voicehook's reason for a refusal.
pub const REASON: &str = "voicehook-error";

/// The Webhooks API's refusal of a body (its documented 422 shape), with voicehook's reason.
fn invalid_param(shared: &Shared, message: String) -> Response {
    let r = answer(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({"errorId": shared.request_id(), "statusCode": "1001",
               "statusMessage": "Invalid JSON request body", "timestamp": now()}),
    );
    with_reason(r, &message)
}

async fn create_hook(State(shared): Shr, Path(sub): Path<String>, body: Bytes) -> Response {
    let options = voicehook::Options {
        kind: Some(Kind::WebhookCreate),
        ..voicehook::Options::default()
    };
    let create: WebhookCreate = match voicehook::parse_with(&body, &options) {
        Ok(c) => c,
        Err(report) => {
            let why = report.errors.first().map_or_else(
                || "not a webhook registration".to_owned(),
                |e| format!("{} [{}] at {}", e.message, e.rule.id, e.pointer),
            );
            return invalid_param(&shared, why);
        }
    };
    let value = serde_json::to_value(&create).unwrap_or(Value::Null);
    let kind = value["type"].as_str().unwrap_or_default().to_owned();
    let url = value["url"].as_str().unwrap_or_default().to_owned();
    if let Err(e) = crate::scenario::check_url(&url) {
        return invalid_param(&shared, format!("the url {e}"));
    }
    let hook = Hook {
        url,
        auth: create.http_auth_header.clone(),
        enabled: create.enabled.unwrap_or(true),
    };
    shared
        .hooks
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert((sub.clone(), kind), hook);
    answer(StatusCode::OK, hook_list(&shared, &sub))
}

async fn delete_hook(State(shared): Shr, Path((sub, kind)): Path<(String, String)>) -> Response {
    // The OpenAPI's DELETE lists VCS, VCA, VSS and VRU; create also takes VNU (the pages
    // disagree): the sandbox deletes the five.
    if !TYPES.contains(&kind.as_str()) {
        return answer(
            StatusCode::NOT_FOUND,
            json!({"statusCode": 404, "statusMessage": format!(
                "Resource not found: the webhook type is one of {}, not {kind:?}", TYPES.join(", "))}),
        );
    }
    // Its own, else the scenario's for every sub-account, which stays for the others: this
    // sub-account gets a tombstone in its place.
    let removed = {
        let mut hooks = shared.hooks.lock().unwrap_or_else(|e| e.into_inner());
        let key = (sub.clone(), kind.clone());
        match hooks.get(&key) {
            Some(h) if h.is_tombstone() => None,
            Some(_) => hooks.remove(&key),
            None => {
                let shared_hook = hooks.get(&("*".to_owned(), kind.clone())).cloned();
                if shared_hook.is_some() {
                    hooks.insert(key, Hook::tombstone());
                }
                shared_hook
            }
        }
    };
    match removed {
        Some(hook) => {
            let mut v = hook_json(
                &kind,
                &Hook {
                    enabled: false,
                    ..hook
                },
            );
            v["subAccountId"] = json!(sub);
            v["statusCode"] = json!(0);
            v["statusMessage"] = json!("deleted");
            answer(StatusCode::OK, v)
        }
        None => answer(
            StatusCode::NOT_FOUND,
            json!({"statusCode": 404, "statusMessage": format!("Resource not found: no {kind} webhook is registered")}),
        ),
    }
}

async fn get_push(State(shared): Shr, Path(sub): Path<String>) -> Response {
    let push = shared.push.lock().unwrap_or_else(|e| e.into_inner());
    match push.get(&sub) {
        Some(config) => answer(StatusCode::OK, config.clone()),
        None => answer(
            StatusCode::NOT_FOUND,
            json!({"statusCode": 404, "statusMessage": "Resource not found: no recording push config"}),
        ),
    }
}

async fn set_push(State(shared): Shr, Path(sub): Path<String>, body: Bytes) -> Response {
    let Ok(Value::Object(given)) = serde_json::from_slice::<Value>(&body) else {
        return invalid_param(&shared, "the body should be a JSON object".into());
    };
    let text = |k: &str| given.get(k).and_then(Value::as_str).map(str::to_owned);
    let (Some(protocol), Some(host)) = (text("protocol"), text("host")) else {
        return invalid_param(&shared, "protocol and host are required".into());
    };
    let config = json!({
        "subAccountId": sub, "protocol": protocol, "host": host,
        "port": given.get("port").and_then(Value::as_i64).unwrap_or(21),
        "username": text("username").unwrap_or_default(),
        "passwordSet": given.get("password").is_some_and(|p| p.as_str().is_some_and(|p| !p.is_empty())),
        "path": text("path").unwrap_or_else(|| "/".into()),
        "statusCode": 0, "statusMessage": "ok",
    });
    shared
        .push
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(sub, config.clone());
    answer(StatusCode::OK, config)
}

async fn delete_push(State(shared): Shr, Path(sub): Path<String>) -> Response {
    let removed = shared
        .push
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&sub);
    match removed {
        Some(mut config) => {
            config["delete"] = json!(true);
            config["statusMessage"] = json!("deleted");
            answer(StatusCode::OK, config)
        }
        None => answer(
            StatusCode::NOT_FOUND,
            json!({"statusCode": 404, "statusMessage": "Resource not found: no recording push config"}),
        ),
    }
}

/// The recordings of a session: what its VRU webhooks said.
async fn recordings(State(shared): Shr, Path((sub, session)): Path<(String, String)>) -> Response {
    let sessions = shared.sessions.lock().unwrap_or_else(|e| e.into_inner());
    let Some(s) = sessions.get(&session).filter(|s| s.sub_account == sub) else {
        return answer(
            StatusCode::NOT_FOUND,
            json!({"statusCode": 404, "statusMessage": format!("Resource not found: no session {session}")}),
        );
    };
    let list: Vec<Value> = s
        .webhooks("vru")
        .iter()
        .map(|e| {
            let p = &e["webhook"]["payload"];
            json!({"recordingId": p["recordingId"], "sessionid": p["sessionId"],
                   "subAccountId": sub, "status": "completed",
                   "externalFileUrl": format!("sftp://sandbox.invalid/{}", p["filePath"].as_str().unwrap_or_default()),
                   "duration": p["durationSeconds"], "startRecordingTime": e["webhook"]["timestamp"]})
        })
        .collect();
    answer(
        StatusCode::OK,
        json!({"recordings": list, "statusCode": 0, "statusMessage": "ok"}),
    )
}

fn number_json(number: &str, sub: &str) -> Value {
    let digits = number.trim_start_matches('+');
    json!({
        "msisdn": format!("+{digits}"), "dateCreated": "2026-01-01T00:00:00Z",
        "dateUpdated": "2026-01-01T00:00:00Z", "countryCode": voicehook::call::country(number),
        "operationalStatus": "Active", "referenceId": format!("sandbox-{digits}"),
        "rentalPrice": 0.0, "incomingRate": 0.0, "billingUnit": 60,
        "uri": format!("/api/v1/subaccounts/{sub}/numbers/{digits}"),
        "numberHealthCheckEnabled": true, "billingCurrency": "USD", "numberType": "Mobile",
        "numberHealth": {"isHealthy": true, "status": "Healthy", "lastCheckedTime": now()},
    })
}

async fn numbers(State(shared): Shr, Path(sub): Path<String>) -> Response {
    let list: Vec<Value> = shared
        .config
        .scenario
        .numbers()
        .iter()
        .map(|n| number_json(n, &sub))
        .collect();
    answer(
        StatusCode::OK,
        json!({"totalNumbers": list.len(), "lastUpdatedAt": now(), "numbers": list,
               "statusCode": 0, "statusMessage": "ok"}),
    )
}

async fn number(State(shared): Shr, Path((_sub, number)): Path<(String, String)>) -> Response {
    let digits = number.trim_start_matches('+');
    let found = shared
        .config
        .scenario
        .numbers()
        .into_iter()
        .find(|n| n.trim_start_matches('+') == digits);
    match found {
        Some(n) => answer(
            StatusCode::OK,
            json!({"statusCode": 0, "statusMessage": "ok", "timestamp": now(),
                   "payload": {"referenceId": format!("sandbox-{digits}"),
                               "msisdn": format!("+{}", n.trim_start_matches('+')),
                               "countryCode": voicehook::call::country(&n)}}),
        ),
        None => answer(
            StatusCode::NOT_FOUND,
            json!({"statusCode": 404, "statusMessage": format!("Virtual number {number} not found"),
                   "timestamp": now()}),
        ),
    }
}

async fn start_export(State(shared): Shr) -> Response {
    answer(
        StatusCode::ACCEPTED,
        json!({"jobId": format!("sandbox-{}", shared.request_id())}),
    )
}

async fn export(Path((sub, job)): Path<(String, String)>) -> Response {
    if !job.starts_with("sandbox-") {
        return invalid_job();
    }
    // The sandbox keeps no logs to export: every job is done at once, and empty.
    let _ = sub;
    answer(
        StatusCode::OK,
        json!({"status": "empty", "data": [], "expires": now()}),
    )
}

async fn cancel_export(Path((_sub, job)): Path<(String, String)>) -> Response {
    if !job.starts_with("sandbox-") {
        return invalid_job();
    }
    StatusCode::NO_CONTENT.into_response()
}

fn invalid_job() -> Response {
    answer(
        StatusCode::NOT_FOUND,
        json!({"code": 4018, "message": "Invalid jobId", "errorId": "00000000-0000-4000-8000-000000000000", "timestamp": now()}),
    )
}

// ---- the sandbox's own paths ----------------------------------------------------------------

async fn sessions(State(shared): Shr) -> Response {
    let sessions = shared.sessions.lock().unwrap_or_else(|e| e.into_inner());
    let list: Vec<Value> = sessions.iter().map(|s| s.summary()).collect();
    answer(StatusCode::OK, json!({"sessions": list}))
}

async fn session_detail(State(shared): Shr, Path(id): Path<String>) -> Response {
    let exchanges = shared.recorder.list_json(Some(&id));
    match shared.with_session(&id, |s| s.detail(&exchanges)) {
        Some(text) => json_text(text),
        None => sandbox_error(StatusCode::NOT_FOUND, format!("no session {id}")),
    }
}

fn sandbox_error(status: StatusCode, message: String) -> Response {
    answer(status, json!({"error": message}))
}

/// The refusal of a body that is not sent as JSON: the sandbox's own POSTs take only
/// `application/json`, which a page of another site cannot send without the browser asking
/// first (no cross-site calls).
fn not_json(headers: &HeaderMap) -> Option<Response> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    (!json).then(|| {
        sandbox_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the body as Content-Type: application/json".into(),
        )
    })
}

async fn keys(
    State(shared): Shr,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = not_json(&headers) {
        return refused;
    }
    let digits = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["digits"].as_str().map(str::to_owned));
    let Some(digits) = digits.filter(|d| {
        d.chars()
            .all(|c| c.is_ascii_digit() || c == '*' || c == '#')
    }) else {
        return sandbox_error(
            StatusCode::BAD_REQUEST,
            r##"the body should be {"digits": "1#"}: keys 0-9, * and #"##.into(),
        );
    };
    // Taken at once: after a 200 the session is no longer waiting for keys.
    let sender = shared.with_session(&id, |s| {
        let tx = s.keys.take();
        if tx.is_some() {
            s.state = crate::state::SessionState::Running;
        }
        tx
    });
    match sender {
        None => sandbox_error(StatusCode::NOT_FOUND, format!("no session {id}")),
        Some(None) => sandbox_error(
            StatusCode::CONFLICT,
            format!("session {id} is not waiting for keys"),
        ),
        Some(Some(tx)) => match tx.try_send(digits) {
            Ok(()) => answer(StatusCode::OK, json!({"sessionId": id, "accepted": true})),
            Err(_) => sandbox_error(
                StatusCode::CONFLICT,
                format!("session {id} already has its keys"),
            ),
        },
    }
}

async fn calls(State(shared): Shr, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = not_json(&headers) {
        return refused;
    }
    let call: InboundCall = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => {
            return sandbox_error(
                StatusCode::BAD_REQUEST,
                format!(
                    "{} (the body is {{\"from\", \"to\", \"script\"?, \"subAccountId\"?}})",
                    crate::at(&e)
                ),
            );
        }
    };
    place(&shared, call)
}

/// Places an inbound call (from `POST /sandbox/calls` or the scenario).
pub fn place(shared: &Arc<Shared>, call: InboundCall) -> Response {
    let sub = call
        .sub_account_id
        .clone()
        .unwrap_or_else(|| shared.config.scenario.sub_account().to_owned());
    let script: Option<Script> = call.script.clone();
    match session::inbound(shared, &call.from, &call.to, script, &sub) {
        Ok(id) => answer(
            StatusCode::OK,
            json!({"sessionId": id, "subAccountId": sub}),
        ),
        Err(e) => sandbox_error(StatusCode::UNPROCESSABLE_ENTITY, e),
    }
}

#[derive(serde::Deserialize)]
struct ExchangeQuery {
    session: Option<String>,
}

async fn exchanges(State(shared): Shr, Query(q): Query<ExchangeQuery>) -> Response {
    let list = shared.recorder.list_json(q.session.as_deref());
    json_text(format!("{{\"exchanges\":{list}}}"))
}

/// A 200 answer of JSON already written.
fn json_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

async fn view() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        crate::VIEW,
    )
        .into_response()
}

async fn not_found(request: Request) -> Response {
    sandbox_error(
        StatusCode::NOT_FOUND,
        format!(
            "no such path in the 8x8 Voice API or the sandbox: {} {}",
            request.method(),
            request.uri().path()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_goes_into_its_header_whatever_its_characters() {
        let r = with_reason(
            StatusCode::BAD_REQUEST.into_response(),
            "a → b … “c” é\r\nX-Injected: 1",
        );
        let v = r.headers()[REASON].to_str().unwrap();
        assert_eq!(v, "a -> b ... \\u{201c}c\\u{201d} \\u{e9}  X-Injected: 1");
    }
}
