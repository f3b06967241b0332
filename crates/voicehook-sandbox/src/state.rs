//! What the sandbox holds: registered webhooks, numbers, push configurations and sessions.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::record::Recorder;
use crate::{Config, Speed};

/// How many sessions the sandbox keeps; the oldest finished ones are dropped beyond it.
pub const MAX_SESSIONS: usize = 1_000;

/// One registered webhook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    /// Where it is delivered.
    pub url: String,
    /// The `Authorization` header sent with it.
    pub auth: Option<String>,
    /// Whether it is delivered.
    pub enabled: bool,
}

impl Hook {
    /// What stands for a webhook deleted from one sub-account while the scenario's stays for
    /// the others.
    pub fn tombstone() -> Hook {
        Hook {
            url: String::new(),
            auth: None,
            enabled: false,
        }
    }

    /// Whether this is a [`Hook::tombstone`].
    pub fn is_tombstone(&self) -> bool {
        self.url.is_empty()
    }
}

/// Everything the handlers and sessions share.
pub struct Shared {
    /// The settings the sandbox runs with.
    pub config: Config,
    /// Registered webhooks, by sub-account and type.
    pub hooks: Mutex<BTreeMap<(String, String), Hook>>,
    /// Recording push configurations, by sub-account.
    pub push: Mutex<BTreeMap<String, Value>>,
    /// The sessions, newest last.
    pub sessions: Mutex<Sessions>,
    /// Every exchange.
    pub recorder: Recorder,
    /// The client deliveries are made with.
    pub client: reqwest::Client,
    /// Sessions started so far (seeds the ids of the next).
    pub started: std::sync::atomic::AtomicU64,
    /// The run's seed: the scenario's, or one of its own.
    pub seed: u64,
    /// Request ids given so far.
    pub requests: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// The webhook of `kind` registered for `sub_account` (else the scenario's for every
    /// sub-account), when it is enabled.
    pub fn hook(&self, sub_account: &str, kind: &str) -> Option<Hook> {
        let hooks = self.hooks.lock().unwrap_or_else(|e| e.into_inner());
        hooks
            .get(&(sub_account.to_owned(), kind.to_owned()))
            .or_else(|| hooks.get(&("*".to_owned(), kind.to_owned())))
            .filter(|h| h.enabled)
            .cloned()
    }

    /// The webhooks that serve `sub_account`, by type: its own, else the scenario's for every
    /// sub-account.
    pub fn hooks_of(&self, sub_account: &str) -> Vec<(String, Hook)> {
        let hooks = self.hooks.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(String, Hook)> = Vec::new();
        for kind in crate::scenario::TYPES {
            let own = hooks.get(&(sub_account.to_owned(), kind.to_owned()));
            if let Some(h) = own.or_else(|| hooks.get(&("*".to_owned(), kind.to_owned())))
                && !h.is_tombstone()
            {
                out.push((kind.to_owned(), h.clone()));
            }
        }
        out
    }

    /// Writes a line to the log (standard error), when the sandbox logs.
    pub fn log(&self, line: &str) {
        if self.config.log {
            eprintln!("voicehook sandbox: {line}");
        }
    }

    /// The real milliseconds `virtual_ms` of call time take at the configured speed.
    pub fn real_ms(&self, virtual_ms: u64) -> u64 {
        match self.config.speed {
            Speed::Instant => 0,
            Speed::Factor(f) => (virtual_ms as f64 / f) as u64,
        }
    }

    /// Runs `f` on the session `id`, if it is kept.
    pub fn with_session<T>(&self, id: &str, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.get_mut(id).map(f)
    }
}

/// The sessions, bounded by [`MAX_SESSIONS`].
#[derive(Default)]
pub struct Sessions {
    next: u64,
    /// By the order they were created in.
    by_seq: BTreeMap<u64, Session>,
    seq_of: HashMap<String, u64>,
    /// The finished ones, oldest first: the first to go.
    done: VecDeque<u64>,
}

/// Why a session cannot be kept.
#[derive(Debug, PartialEq, Eq)]
pub enum Full {
    /// [`MAX_SESSIONS`] are still playing.
    Running,
    /// A session with this id is kept already.
    Taken,
}

impl Sessions {
    /// Keeps a new session, dropping the oldest finished ones beyond the limit; refused when
    /// [`MAX_SESSIONS`] are still playing, or the id is taken.
    pub fn insert(&mut self, session: Session) -> Result<(), Full> {
        if self.seq_of.contains_key(&session.id) {
            return Err(Full::Taken);
        }
        if self.by_seq.len() - self.done.len() >= MAX_SESSIONS {
            return Err(Full::Running);
        }
        let seq = self.next;
        self.next += 1;
        self.seq_of.insert(session.id.clone(), seq);
        self.by_seq.insert(seq, session);
        while self.by_seq.len() > MAX_SESSIONS {
            let Some(old) = self.done.pop_front() else {
                break;
            };
            if let Some(gone) = self.by_seq.remove(&old) {
                self.seq_of.remove(&gone.id);
            }
        }
        Ok(())
    }

    /// Marks the session `id` finished: from now on it may be dropped for a newer one.
    pub fn finish(&mut self, id: &str) {
        if let Some(&seq) = self.seq_of.get(id)
            && let Some(s) = self.by_seq.get_mut(&seq)
            && s.state != SessionState::Done
        {
            s.state = SessionState::Done;
            s.keys = None;
            self.done.push_back(seq);
        }
    }

    /// The session `id`.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Session> {
        let seq = self.seq_of.get(id)?;
        self.by_seq.get_mut(seq)
    }

    /// The session `id`.
    pub fn get(&self, id: &str) -> Option<&Session> {
        let seq = self.seq_of.get(id)?;
        self.by_seq.get(seq)
    }

    /// Every session kept, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Session> {
        self.by_seq.values()
    }
}

/// Where a session is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum SessionState {
    /// Playing (or waiting for your server).
    Running,
    /// A capture waits for keys from the keypad (`POST /sandbox/sessions/{id}/keys`).
    WaitingForKeys {
        /// The attempt, from 1.
        attempt: u32,
        /// The prompt spoken.
        prompt: String,
    },
    /// Over, every webhook delivered (or given up on).
    Done,
}

/// Deliveries of a session so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deliveries {
    /// Webhooks answered 2xx (duplicates not counted).
    pub delivered: u32,
    /// Webhooks given up on after their retries.
    pub failed: u32,
    /// Webhooks not sent because no webhook of their type is registered.
    pub unregistered: u32,
    /// Duplicates sent on purpose.
    pub duplicates: u32,
    /// Retries sent.
    pub retries: u32,
}

/// One session: its timeline, and what was delivered.
pub struct Session {
    /// The session id (the webhooks' `sessionId`).
    pub id: String,
    /// The sub-account.
    pub sub_account: String,
    /// `callflow` (Send Callflow) or `inbound`.
    pub source: &'static str,
    /// When it was created, as a timestamp.
    pub created: String,
    /// Where it is.
    pub state: SessionState,
    /// The session status, once it ended.
    pub status: Option<String>,
    /// The session error code, when it ended with one.
    pub error_code: Option<i64>,
    /// The call engine's events, each webhook with voicehook's verdict, as JSON text (a tree
    /// of JSON values takes several times the memory).
    pub events: Vec<Box<str>>,
    /// Deliveries so far.
    pub deliveries: Deliveries,
    /// Where the keypad's keys go while a capture waits for them.
    pub keys: Option<mpsc::Sender<String>>,
}

impl Session {
    /// The session without its events: one item of `GET /sandbox/sessions`.
    pub fn summary(&self) -> Value {
        let mut v = serde_json::json!({
            "sessionId": self.id,
            "subAccountId": self.sub_account,
            "source": self.source,
            "created": self.created,
            "status": self.status,
            "errorCode": self.error_code,
            "eventCount": self.events.len(),
            "deliveries": self.deliveries,
        });
        if let (Some(obj), Ok(Value::Object(state))) =
            (v.as_object_mut(), serde_json::to_value(&self.state))
        {
            obj.extend(state);
        }
        v
    }

    /// The session with its events and `exchanges` (a JSON array), as JSON text.
    pub fn detail(&self, exchanges: &str) -> String {
        let summary = serde_json::to_string(&self.summary()).unwrap_or_else(|_| "{}".into());
        let head = summary.strip_suffix('}').unwrap_or("{");
        let mut out = String::with_capacity(summary.len() + exchanges.len() + 64);
        out.push_str(head);
        out.push_str(if head.len() > 1 {
            ",\"events\":["
        } else {
            "\"events\":["
        });
        for (i, e) in self.events.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(e);
        }
        out.push_str("],\"exchanges\":");
        out.push_str(exchanges);
        out.push('}');
        out
    }

    /// The events of the session that are webhooks of `kind` (`vru`…), read back.
    pub fn webhooks(&self, kind: &str) -> Vec<Value> {
        let needle = format!("\"kind\":\"{kind}\"");
        self.events
            .iter()
            .filter(|e| e.contains(&needle))
            .filter_map(|e| serde_json::from_str::<Value>(e).ok())
            .filter(|e| e["event"] == "webhook" && e["kind"] == kind)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: usize, state: SessionState) -> Session {
        Session {
            id: format!("s{id}"),
            sub_account: "acme".into(),
            source: "callflow",
            created: String::new(),
            state,
            status: None,
            error_code: None,
            events: Vec::new(),
            deliveries: Deliveries::default(),
            keys: None,
        }
    }

    #[test]
    fn the_oldest_finished_sessions_are_dropped_beyond_the_limit() {
        let mut sessions = Sessions::default();
        // The first one keeps running: it is never dropped.
        sessions.insert(session(0, SessionState::Running)).unwrap();
        for i in 1..MAX_SESSIONS + 50 {
            sessions.insert(session(i, SessionState::Running)).unwrap();
            sessions.finish(&format!("s{i}"));
        }
        assert_eq!(sessions.iter().count(), MAX_SESSIONS);
        assert!(sessions.get("s0").is_some());
        assert!(sessions.get("s1").is_none());
        assert!(sessions.get("s50").is_none());
        assert!(sessions.get("s51").is_some());
        assert!(sessions.get(&format!("s{}", MAX_SESSIONS + 49)).is_some());
        // The same id twice is refused, not kept twice.
        let last = format!("s{}", MAX_SESSIONS + 49);
        let mut again = session(0, SessionState::Running);
        again.id = last;
        assert_eq!(sessions.insert(again), Err(Full::Taken));
    }

    #[test]
    fn no_more_than_the_limit_play_at_once() {
        let mut sessions = Sessions::default();
        for i in 0..MAX_SESSIONS {
            sessions.insert(session(i, SessionState::Running)).unwrap();
        }
        assert_eq!(
            sessions.insert(session(MAX_SESSIONS, SessionState::Running)),
            Err(Full::Running)
        );
        sessions.finish("s3");
        sessions
            .insert(session(MAX_SESSIONS, SessionState::Running))
            .unwrap();
        assert!(sessions.get("s3").is_none(), "the finished one made room");
        assert_eq!(sessions.iter().count(), MAX_SESSIONS);
    }
}
