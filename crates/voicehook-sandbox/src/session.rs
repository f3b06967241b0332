//! Playing a session: the core's call engine, paced to the configured speed, its webhooks
//! delivered and its call actions answered by your server.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::mpsc;
use voicehook::call::{Call, Event, Keys, Reply, Script, Start, Waiting, What};
use voicehook::{Kind, Report};

use crate::deliver::{self, Outgoing, Post};
use crate::state::{Deliveries, Full, MAX_SESSIONS, Session, SessionState, Shared};

/// How a Send Callflow request was answered.
pub enum Created {
    /// CREATED: the session plays on its own task.
    Yes(Value),
    /// NOT_CREATED (the body of the answer, and why), or a script the engine cannot play.
    No(Value, String),
}

/// The script of a call: the given one, else the callee's from the scenario, else a live
/// keypad (`None`).
fn script_for(shared: &Shared, given: Option<Script>, number: Option<&str>) -> Option<Script> {
    given.or_else(|| {
        number
            .and_then(|n| shared.config.scenario.callee(n))
            .cloned()
    })
}

/// The settings every sandbox session runs with: its own seed (so its ids are its own), the
/// real time as its start, the sub-account.
fn prepare(shared: &Shared, script: Option<Script>, sub_account: &str) -> (Script, bool) {
    let n = shared.started.fetch_add(1, Ordering::Relaxed);
    let live = script.is_none();
    let mut script = script.unwrap_or_default();
    // Mixed, so that no two sessions share a seed (the engine draws every id from it), whatever
    // seeds the scripts carry.
    let seed = crate::deliver::Rng::new(shared.seed.wrapping_add(n)).draw();
    script.seed ^= seed;
    script.sub_account_id = Some(sub_account.to_owned());
    if script.start.is_none() {
        script.start = Some(crate::now());
    }
    (script, live)
}

/// The number a Send Callflow's first `makeCall` dials.
fn first_destination(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v["callflow"][0]["params"]["destination"]
        .as_str()
        .map(str::to_owned)
}

/// Answers a Send Callflow request: checked by the call engine as 8x8 would check it; a
/// created session starts playing at once.
pub fn send_callflow(shared: &Arc<Shared>, sub_account: &str, body: &[u8]) -> Created {
    let destination = first_destination(body);
    let script = script_for(shared, None, destination.as_deref());
    let (script, live) = prepare(shared, script, sub_account);
    let mut call = match Call::new(Start::Callflow(body), &script) {
        Ok(call) => call,
        Err(e) => {
            return Created::No(serde_json::json!({"error": e.to_string()}), e.to_string());
        }
    };
    if live {
        call = call.interactive();
    }
    let answer = call.events().iter().find_map(|e| match &e.what {
        What::Created { response, .. } => Some(Created::Yes(response.clone())),
        What::Refused { response, reason } => Some(Created::No(response.clone(), reason.clone())),
        _ => None,
    });
    let Some(answer) = answer else {
        let why = "the call engine did not answer".to_owned();
        return Created::No(serde_json::json!({"error": why}), why);
    };
    if let Created::Yes(response) = &answer {
        let id = response["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if let Err(why) = start(shared, call, id, sub_account, "callflow", &script) {
            let body = serde_json::json!({
                "sessionStatus": "NOT_CREATED",
                "callFlowRequestId": response["callFlowRequestId"],
                "statusCode": 429,
                "statusMessage": why,
            });
            return Created::No(body, why);
        }
    }
    answer
}

/// Places an inbound call to a virtual number; the session id, or why it cannot be played.
pub fn inbound(
    shared: &Arc<Shared>,
    from: &str,
    to: &str,
    script: Option<Script>,
    sub_account: &str,
) -> Result<String, String> {
    let script = script_for(shared, script, Some(to));
    let (script, live) = prepare(shared, script, sub_account);
    let mut call = Call::new(Start::Inbound { from, to }, &script).map_err(|e| e.to_string())?;
    if live {
        call = call.interactive();
    }
    // The session id, as the call's first webhook (the CALL_RECEIVED status) carries it.
    let id = call
        .events()
        .iter()
        .find_map(|e| match &e.what {
            What::Webhook { webhook, .. } => {
                webhook["payload"]["sessionId"].as_str().map(str::to_owned)
            }
            _ => None,
        })
        .ok_or_else(|| "the call engine gave no session id".to_owned())?;
    start(shared, call, id.clone(), sub_account, "inbound", &script)?;
    Ok(id)
}

fn start(
    shared: &Arc<Shared>,
    call: Call,
    id: String,
    sub_account: &str,
    source: &'static str,
    script: &Script,
) -> Result<(), String> {
    let reply_timeout = Duration::from_millis(script.reply_timeout.unwrap_or(5_000));
    let seed = script.seed;
    let created = crate::now();
    {
        let mut sessions = shared.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let kept = sessions.insert(Session {
            id: id.clone(),
            sub_account: sub_account.to_owned(),
            source,
            created,
            state: SessionState::Running,
            status: None,
            error_code: None,
            events: Vec::new(),
            deliveries: Deliveries::default(),
            keys: None,
        });
        match kept {
            Ok(()) => {}
            Err(Full::Running) => {
                return Err(format!(
                    "the sandbox plays at most {MAX_SESSIONS} sessions at once: wait for some to end"
                ));
            }
            Err(Full::Taken) => return Err(format!("a session {id} exists already")),
        }
    }
    tokio::spawn(play(
        Arc::clone(shared),
        call,
        id,
        sub_account.to_owned(),
        seed,
        reply_timeout,
    ));
    Ok(())
}

/// The event as the sandbox shows it: the engine's event, and for a webhook voicehook's
/// verdict (`report`) and the one-line decode; as JSON text.
fn shown(event: &Event, report: Option<&Report>) -> Box<str> {
    let mut v = serde_json::to_value(event).unwrap_or(Value::Null);
    if let (What::Webhook { kind, webhook }, Some(report)) = (&event.what, report) {
        let decoded = voicehook::decode::decode_value(*kind, webhook, None);
        v["verdict"] = serde_json::json!({
            "valid": report.valid,
            "errors": report.errors.iter().map(|e| format!("{} ({})", e.message, e.pointer)).collect::<Vec<_>>(),
            "summary": decoded.summary,
        });
    }
    v.to_string().into_boxed_str()
}

async fn play(
    shared: Arc<Shared>,
    mut call: Call,
    id: String,
    sub_account: String,
    seed: u64,
    reply_timeout: Duration,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let outbox = tokio::spawn(deliver::outbox(
        Arc::clone(&shared),
        id.clone(),
        sub_account.clone(),
        seed,
        rx,
    ));
    // Real time of virtual t = 0, moved on by the time spent waiting for your server.
    let mut origin = Instant::now();
    let mut shown_t = 0;
    // The last call action the engine produced, written and checked.
    let mut vca: Option<(Vec<u8>, Report)> = None;
    let keypad = Duration::from_millis(shared.config.scenario.keypad_timeout.unwrap_or(60_000));
    loop {
        let waiting = call.run();
        for event in call.take_events() {
            let due = origin + Duration::from_millis(shared.real_ms(event.t));
            if event.t > shown_t {
                tokio::time::sleep_until(due.into()).await;
                shown_t = event.t;
            }
            if let What::Reply {
                valid: false,
                outcome,
                ..
            } = &event.what
            {
                shared.log(&format!("session {id}: your reply is refused: {outcome}"));
            }
            // A webhook is written and checked once: the timeline shows the report, and each
            // delivery sends these bytes and records this report.
            let checked = match &event.what {
                What::Webhook { kind, webhook } => {
                    let bytes = serde_json::to_vec(webhook).unwrap_or_default();
                    let report = crate::record::report(&bytes, *kind);
                    Some((*kind, bytes, report))
                }
                _ => None,
            };
            let line = shown(&event, checked.as_ref().map(|(_, _, r)| r));
            let ended = match &event.what {
                What::Ended { status, error_code } => Some((status.clone(), *error_code)),
                _ => None,
            };
            shared.with_session(&id, |s| {
                s.events.push(line);
                if let Some((status, code)) = ended {
                    s.status = Some(status);
                    s.error_code = code;
                }
            });
            match checked {
                Some((Kind::Vca, body, report)) => vca = Some((body, report)),
                Some((kind, body, report)) => {
                    let _ = tx.send(Post::Webhook(Outgoing { kind, body, report }));
                }
                None => {}
            }
        }
        let mut before = Instant::now();
        // Virtual time the engine counts for a wait that real time already took.
        let mut counted = Duration::ZERO;
        match waiting {
            Waiting::Done => break,
            Waiting::Reply { webhook } => {
                let (flushed, wait) = tokio::sync::oneshot::channel();
                if tx.send(Post::Flush(flushed)).is_ok() {
                    let _ = wait.await;
                }
                let (body, report) = vca.take().unwrap_or_else(|| {
                    let body = serde_json::to_vec(&webhook).unwrap_or_default();
                    let report = crate::record::report(&body, Kind::Vca);
                    (body, report)
                });
                let reply = answer(
                    &shared,
                    &id,
                    &sub_account,
                    call.elapsed(),
                    reply_timeout,
                    (&body, &report),
                )
                .await;
                let t = call.elapsed();
                call.reply(reply);
                // A timeout: the engine moves its clock on by the reply timeout, which the
                // wait for your server already took.
                counted = Duration::from_millis(shared.real_ms(call.elapsed().saturating_sub(t)));
            }
            Waiting::Keys { attempt, prompt } => {
                // The keypad waits from the end of the prompt.
                let prompt_end = origin + Duration::from_millis(shared.real_ms(call.elapsed()));
                tokio::time::sleep_until(prompt_end.into()).await;
                before = Instant::now();
                let (keys_tx, mut keys_rx) = mpsc::channel(1);
                shared.with_session(&id, |s| {
                    s.state = SessionState::WaitingForKeys { attempt, prompt };
                    s.keys = Some(keys_tx);
                });
                let pressed = tokio::time::timeout(keypad, keys_rx.recv())
                    .await
                    .ok()
                    .flatten();
                shared.with_session(&id, |s| {
                    s.state = SessionState::Running;
                    s.keys = None;
                });
                // Keys sent as the wait ran out still count (their request was answered 200).
                let digits = pressed
                    .or_else(|| keys_rx.try_recv().ok())
                    .unwrap_or_default();
                call.press(Keys::Digits(digits));
            }
        }
        // The call's clock stood still while it waited.
        origin += before.elapsed().saturating_sub(counted);
    }
    drop(tx);
    let _ = outbox.await;
    let line = shared.with_session(&id, |s| {
        let d = &s.deliveries;
        format!(
            "session {id} ended {}{}: {} webhooks delivered, {} failed, {} not registered",
            s.status.as_deref().unwrap_or("?"),
            s.error_code.map_or_else(String::new, |c| format!(" {c}")),
            d.delivered,
            d.failed,
            d.unregistered
        )
    });
    shared
        .sessions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .finish(&id);
    if let Some(line) = line {
        shared.log(&line);
    }
}

/// Your server's answer to a call action: the VCA POSTed to the registered VCA webhook, its
/// answer checked and handed to the engine. Never retried: 8x8 ends the session instead.
async fn answer(
    shared: &Shared,
    id: &str,
    sub_account: &str,
    t: u64,
    timeout: Duration,
    (body, report): (&[u8], &Report),
) -> Reply {
    let Some(hook) = shared.hook(sub_account, "VCA") else {
        shared.log(&format!(
            "session {id}: no VCA webhook is registered for sub-account {sub_account}: the call \
             action gets no answer"
        ));
        shared.with_session(id, |s| {
            s.deliveries.unregistered += 1;
            let note = serde_json::json!({
                "t": t,
                "event": "note",
                "text": "no VCA webhook is registered: the call action gets no answer",
            });
            s.events.push(note.to_string().into_boxed_str());
        });
        return Reply::Timeout;
    };
    let parcel = deliver::Parcel {
        session: id,
        hook: &hook,
        kind: Kind::Vca,
        body,
        report,
        timeout,
    };
    let got = deliver::post(shared, &parcel, 1, false).await;
    shared.with_session(id, |s| {
        if got.status == Some(200) {
            s.deliveries.delivered += 1;
        } else {
            s.deliveries.failed += 1;
        }
    });
    if got.status != Some(200) || got.error.is_some() {
        let what = got
            .error
            .clone()
            .unwrap_or_else(|| format!("HTTP {}", got.status.unwrap_or_default()));
        shared.log(&format!(
            "session {id}: the call action to {} got {what}, not 200: 8x8 ends the session",
            hook.url
        ));
    }
    match got.status {
        Some(200) if got.error.is_none() => Reply::Body(got.body),
        Some(200) => Reply::Timeout,
        Some(status) => Reply::Status(status),
        None => Reply::Timeout,
    }
}
