//! Delivering webhooks: one POST, and a session's outbox with the faults the scenario asks for
//! (delay, jitter, duplicates, reordering, retries).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use voicehook::{Kind, Report};

use crate::record::{self, Direction, Exchange};
use crate::state::{Deliveries, Hook, Shared};

/// A small deterministic generator for the delivery faults (splitmix64).
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// The next 64 random bits.
    pub fn draw(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && (self.draw() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// A number from 0 to `max`.
    pub fn upto(&mut self, max: u64) -> u64 {
        match max.checked_add(1) {
            Some(n) => self.draw() % n,
            None => self.draw(),
        }
    }
}

/// What one POST got back.
pub struct Answer {
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The body of the answer.
    pub body: Vec<u8>,
    /// Why there was no answer.
    pub error: Option<String>,
}

impl Answer {
    /// True for a 2xx answer.
    pub fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// One webhook on its way.
pub struct Parcel<'a> {
    /// The session it belongs to.
    pub session: &'a str,
    /// Where it goes.
    pub hook: &'a Hook,
    /// Its kind.
    pub kind: Kind,
    /// The body.
    pub body: &'a [u8],
    /// voicehook's report of the body (made once, when the engine produced it).
    pub report: &'a Report,
    /// How long to wait for the answer.
    pub timeout: Duration,
}

/// POSTs the parcel and records the exchange (with voicehook's report of the body, and of the
/// answer for a call action). `attempt` counts from 1; `duplicate` marks a duplicate sent on
/// purpose.
pub async fn post(shared: &Shared, parcel: &Parcel<'_>, attempt: u32, duplicate: bool) -> Answer {
    let Parcel {
        session,
        hook,
        kind,
        body,
        report,
        timeout,
    } = *parcel;
    let started = Instant::now();
    let at = crate::now();
    let mut request = shared
        .client
        .post(&hook.url)
        .timeout(timeout)
        .header("content-type", "application/json")
        .header(
            "user-agent",
            concat!("voicehook-sandbox/", env!("CARGO_PKG_VERSION")),
        )
        .body(body.to_vec());
    if let Some(auth) = &hook.auth {
        request = request.header("authorization", auth);
    }
    let answer = match request.send().await {
        Ok(mut response) => {
            let status = response.status().as_u16();
            // Read up to the size of a body the sandbox takes itself.
            let mut body = Vec::new();
            let mut error = None;
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) if body.len() + chunk.len() <= crate::api::MAX_BODY => {
                        body.extend_from_slice(&chunk);
                    }
                    Ok(Some(_)) => {
                        error = Some(format!("the answer is over {} bytes", crate::api::MAX_BODY));
                        break;
                    }
                    Ok(None) => break,
                    Err(e) => {
                        error = Some(format!("reading the answer failed: {e}"));
                        break;
                    }
                }
            }
            Answer {
                status: Some(status),
                body,
                error,
            }
        }
        Err(e) if e.is_timeout() => Answer {
            status: None,
            body: Vec::new(),
            error: Some(format!("no answer within {} ms", timeout.as_millis())),
        },
        Err(e) => Answer {
            status: None,
            body: Vec::new(),
            error: Some(format!("cannot reach {}: {}", hook.url, root_cause(&e))),
        },
    };
    let reply_report = (kind == Kind::Vca && answer.status == Some(200))
        .then(|| record::report(&answer.body, Kind::VcaReply));
    shared.recorder.add(Exchange {
        seq: 0,
        direction: Direction::Webhook,
        at,
        ms: started.elapsed().as_millis() as u64,
        session_id: Some(session.to_owned()),
        method: "POST".into(),
        url: hook.url.clone(),
        authorization: hook.auth.clone(),
        attempt: Some(attempt),
        duplicate,
        request: record::body_value(body),
        status: answer.status,
        response: record::body_value(&answer.body),
        error: answer.error.clone(),
        report: Some(report.clone()),
        reply_report,
    });
    answer
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// A webhook waiting in a session's outbox.
pub struct Outgoing {
    /// Its kind (VCS, VSS, VRU).
    pub kind: Kind,
    /// The body, as sent.
    pub body: Vec<u8>,
    /// voicehook's report of it.
    pub report: Report,
}

/// What a session puts in its outbox.
pub enum Post {
    /// A webhook to deliver.
    Webhook(Outgoing),
    /// Answer once everything before is delivered (or held back on purpose): a call action
    /// goes out after the statuses that came before it.
    Flush(tokio::sync::oneshot::Sender<()>),
}

/// The webhook type a kind is registered as.
pub fn hook_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Vca => "VCA",
        Kind::Vcs => "VCS",
        Kind::Vru => "VRU",
        Kind::Vnu => "VNU",
        _ => "VSS",
    }
}

/// A session's outbox: delivers its webhooks one after another, in order, with the
/// scenario's faults; ends when `rx` closes and everything is delivered or given up on.
pub async fn outbox(
    shared: Arc<Shared>,
    session: String,
    sub_account: String,
    seed: u64,
    mut rx: mpsc::UnboundedReceiver<Post>,
) {
    let policy = shared.config.scenario.delivery.clone();
    let mut rng = Rng::new(seed);
    let mut held: Option<Outgoing> = None;
    while let Some(post) = rx.recv().await {
        let next = match post {
            Post::Webhook(next) => next,
            Post::Flush(done) => {
                let _ = done.send(());
                continue;
            }
        };
        let reorderable = matches!(next.kind, Kind::Vcs | Kind::Vss);
        if held.is_none() && reorderable && rng.chance(policy.reorder) {
            held = Some(next);
            continue;
        }
        send(&shared, &session, &sub_account, &mut rng, next).await;
        if let Some(h) = held.take() {
            send(&shared, &session, &sub_account, &mut rng, h).await;
        }
    }
    if let Some(h) = held.take() {
        send(&shared, &session, &sub_account, &mut rng, h).await;
    }
}

async fn send(shared: &Shared, session: &str, sub_account: &str, rng: &mut Rng, out: Outgoing) {
    let policy = &shared.config.scenario.delivery;
    let count = |f: &dyn Fn(&mut Deliveries)| {
        shared.with_session(session, |s| f(&mut s.deliveries));
    };
    let Some(hook) = shared.hook(sub_account, hook_type(out.kind)) else {
        count(&|d| d.unregistered += 1);
        return;
    };
    let wait = policy.delay_ms.saturating_add(rng.upto(policy.jitter_ms));
    if wait > 0 {
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
    let timeout = Duration::from_millis(policy.timeout_ms);
    let parcel = Parcel {
        session,
        hook: &hook,
        kind: out.kind,
        body: &out.body,
        report: &out.report,
        timeout,
    };
    let mut attempt = 1;
    loop {
        let answer = post(shared, &parcel, attempt, false).await;
        if answer.ok() {
            count(&|d| d.delivered += 1);
            break;
        }
        let what = answer
            .error
            .clone()
            .unwrap_or_else(|| format!("HTTP {}", answer.status.unwrap_or_default()));
        let backoff = policy
            .retry_after_ms
            .saturating_mul(1 << (attempt - 1).min(16));
        if attempt > policy.retries {
            shared.log(&format!(
                "session {session}: {} to {} got {what}; given up after {attempt} tries",
                hook_type(out.kind),
                hook.url
            ));
            count(&|d| d.failed += 1);
            return;
        }
        shared.log(&format!(
            "session {session}: {} to {} got {what}; trying again in {backoff} ms",
            hook_type(out.kind),
            hook.url
        ));
        tokio::time::sleep(Duration::from_millis(backoff)).await;
        attempt += 1;
        count(&|d| d.retries += 1);
    }
    if rng.chance(policy.duplicates) {
        post(shared, &parcel, 1, true).await;
        count(&|d| d.duplicates += 1);
    }
}
