//! Every exchange the sandbox takes part in, kept in memory and written as NDJSON.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use voicehook::{Kind, Options, Report};

/// How many exchanges the sandbox keeps in memory; older ones are dropped (the `--record` file
/// keeps them all).
pub const MAX_EXCHANGES: usize = 10_000;

/// How many bytes of exchanges (as JSON) the sandbox keeps in memory, at most.
pub const MAX_EXCHANGE_BYTES: usize = 64 << 20;

/// One request and its answer: a call to the sandbox's API, or a webhook the sandbox delivered.
/// One line of a `--record` file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    /// Its place in the run, from 1.
    pub seq: u64,
    /// `api` (your code called the sandbox) or `webhook` (the sandbox called your server).
    pub direction: Direction,
    /// When the request started, as a timestamp.
    pub at: String,
    /// How long it took to answer, in milliseconds.
    pub ms: u64,
    /// The session it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The address (for `api`, the path and query).
    pub url: String,
    /// The `Authorization` header sent with a webhook (in the record file; `(set)` in the
    /// sandbox's own listings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    /// For a webhook: which try this was (1 for the first) and whether it is a duplicate the
    /// sandbox sent on purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    /// True for a duplicate delivery.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
    /// The request body: its JSON, or its text when it is not JSON.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub request: Value,
    /// The answer's HTTP status (none when there was no answer: see `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The answer's body: its JSON, or its text.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub response: Value,
    /// Why there was no answer (timeout, connection refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// voicehook's report of the request body (a webhook, a callflow, a webhook registration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
    /// voicehook's report of the answer, for a call action: the reply callflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_report: Option<Report>,
}

/// Who called whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Your code called the sandbox's API.
    Api,
    /// The sandbox delivered a webhook to your server.
    Webhook,
}

/// The body as JSON when it is JSON, else as text (null when empty).
pub fn body_value(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

/// voicehook's report of a body of `kind`: in strict mode for a webhook (what the sandbox
/// sends as 8x8 must pass it), lenient for what your code sends (as 8x8 would take it).
pub fn report(bytes: &[u8], kind: Kind) -> Report {
    voicehook::validate_with(
        bytes,
        &Options {
            kind: Some(kind),
            strict: matches!(
                kind,
                Kind::Vss | Kind::Vca | Kind::Vcs | Kind::Vru | Kind::Vnu
            ),
            ..Options::default()
        },
    )
}

/// The exchanges of a run: the newest [`MAX_EXCHANGES`] in memory, and every one in the
/// `--record` file.
pub struct Recorder {
    inner: Mutex<Inner>,
}

struct Inner {
    seq: u64,
    /// The length of the lines kept.
    bytes: usize,
    /// Each exchange's session and its line (kept as text: a tree of JSON values takes several
    /// times the memory).
    kept: VecDeque<(Option<String>, Box<str>)>,
    file: Option<std::io::BufWriter<std::fs::File>>,
    failed: Option<String>,
}

impl Recorder {
    /// A recorder that writes to `file` too, when given.
    pub fn new(file: Option<std::fs::File>) -> Recorder {
        Recorder {
            inner: Mutex::new(Inner {
                seq: 0,
                bytes: 0,
                kept: VecDeque::new(),
                file: file.map(std::io::BufWriter::new),
                failed: None,
            }),
        }
    }

    /// Numbers the exchange, keeps it and writes its line.
    pub fn add(&self, mut exchange: Exchange) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.seq += 1;
        exchange.seq = inner.seq;
        if let Some(file) = inner.file.as_mut() {
            let line = serde_json::to_string(&exchange).unwrap_or_default();
            let written = writeln!(file, "{line}").and_then(|()| file.flush());
            if let Err(e) = written {
                inner.failed = Some(e.to_string());
                inner.file = None;
            }
        }
        // What anyone on the sandbox's port can read keeps no secret: the record file (yours)
        // keeps the header, to replay with.
        if exchange.authorization.is_some() {
            exchange.authorization = Some("(set)".into());
        }
        let line = serde_json::to_string(&exchange)
            .unwrap_or_default()
            .into_boxed_str();
        inner.bytes += line.len();
        inner.kept.push_back((exchange.session_id, line));
        while inner.kept.len() > MAX_EXCHANGES || inner.bytes > MAX_EXCHANGE_BYTES {
            let Some((_, old)) = inner.kept.pop_front() else {
                break;
            };
            inner.bytes -= old.len();
        }
    }

    /// The exchanges kept, oldest first, as a JSON array; only those of `session` when given.
    pub fn list_json(&self, session: Option<&str>) -> String {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::from("[");
        for (of, line) in &inner.kept {
            if session.is_none_or(|s| of.as_deref() == Some(s)) {
                if out.len() > 1 {
                    out.push(',');
                }
                out.push_str(line);
            }
        }
        out.push(']');
        out
    }

    /// Why writing the record file stopped, if it did.
    pub fn failure(&self) -> Option<String> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.failed.clone()
    }
}
