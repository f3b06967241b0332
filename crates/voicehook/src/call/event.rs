//! What a simulated call produces: events on a virtual clock.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::Kind;

/// One thing that happened on the call, `t` milliseconds after the request.
///
/// Serialized flat, as one NDJSON line: `{"t": 3000, "event": "answered", "leg": "callA"}`.
/// A `webhook` event carries the exact body 8x8 would POST, so the lines can be replayed.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(title = "CallEvent")]
pub struct Event {
    /// Virtual milliseconds since the call was requested (or arrived).
    pub t: u64,
    /// What happened.
    #[serde(flatten)]
    pub what: What,
}

/// The kinds of event.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(
    tag = "event",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum What {
    /// The Send Callflow API accepted the request; `response` is its answer.
    Created {
        /// The API's answer (`sessionStatus` CREATED).
        response: Value,
        /// What the checker warns about in the request (8x8 accepts it), one line each.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<String>,
    },
    /// The Send Callflow API refused the request; no call is placed.
    Refused {
        /// The API's answer (`sessionStatus` NOT_CREATED and the status code).
        response: Value,
        /// Why: the first error voicehook found.
        reason: String,
    },
    /// 8x8 places a call leg (or one arrives).
    Dialing {
        /// `callA` or `callB`.
        leg: String,
        /// The number called (for an inbound leg, the virtual number called).
        to: String,
        /// The caller id shown (for an inbound leg, the caller).
        from: String,
        /// True for a call arriving at a virtual number.
        inbound: bool,
    },
    /// The party answers.
    Answered {
        /// `callA` or `callB`.
        leg: String,
    },
    /// The call did not connect.
    NotConnected {
        /// `callA` or `callB`.
        leg: String,
        /// BUSY, NO_ANSWER, FAILED, CANCELED or ERROR.
        status: String,
        /// The SIP code.
        sip_code: u16,
    },
    /// Text to speech spoken into the call.
    Say {
        /// What the caller hears.
        text: String,
        /// The voice.
        voice_profile: String,
        /// How many times it is spoken.
        repetition: u8,
        /// How long it takes in all, in milliseconds.
        ms: u64,
    },
    /// An audio file played into the call.
    Play {
        /// The file.
        url: String,
        /// How many times it is played.
        repetition: u8,
        /// How long it takes in all, in milliseconds.
        ms: u64,
    },
    /// Keys the caller pressed during a capture attempt.
    Keys {
        /// The keys, in order, as they were pressed.
        digits: String,
    },
    /// A `sayAndCapture` attempt ended.
    Capture {
        /// The attempt, from 1.
        attempt: u32,
        /// The digits kept (without the closing `#`), when the input was valid.
        #[serde(skip_serializing_if = "Option::is_none")]
        dtmf: Option<String>,
        /// Why the attempt ended: `hash`, `max-digits`, `digit-timeout` or `overall-timeout`.
        ended_by: String,
        /// Whether the input was valid.
        valid: bool,
    },
    /// A webhook 8x8 POSTs to your server.
    Webhook {
        /// vca, vcs, vss or vru.
        kind: Kind,
        /// The exact body.
        webhook: Value,
    },
    /// Your server's answer to a call action, and what 8x8 does with it.
    Reply {
        /// The body, when it was JSON (else null).
        body: Value,
        /// Whether 8x8 accepts it.
        valid: bool,
        /// What 8x8 does with it, in one line.
        outcome: String,
        /// What the checker warns about in a reply 8x8 accepts (a misspelt `clientActionId` is
        /// ignored), one line each.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<String>,
    },
    /// A party, or 8x8, hung up.
    Hangup {
        /// `callA`, `callB` or `8x8`.
        by: String,
    },
    /// The simulation made a choice the documentation does not settle.
    Assumed {
        /// A stable id for the assumption (see [`crate::call::ASSUMPTIONS`]).
        id: String,
        /// What was assumed, in words.
        text: String,
    },
    /// The session is over; the summary webhook follows.
    Ended {
        /// The session status.
        status: String,
        /// The session error code, when the session ended with ERROR.
        #[serde(skip_serializing_if = "Option::is_none")]
        error_code: Option<i64>,
    },
}

impl Event {
    /// The event in one line for a transcript: `00:03.000  callA answers`.
    pub fn line(&self) -> String {
        format!("{}  {}", clock(self.t), self.what.describe())
    }
}

/// `mm:ss.mmm` (or `h:mm:ss.mmm` past an hour).
pub fn clock(t: u64) -> String {
    let (h, m, s, ms) = (t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{ms:03}")
    } else {
        format!("{m:02}:{s:02}.{ms:03}")
    }
}

fn seconds(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, ms % 1000 / 100)
}

impl What {
    fn describe(&self) -> String {
        match self {
            What::Created { response, warnings } => format!(
                "Send Callflow answered CREATED, session {}{}",
                response["sessionId"].as_str().unwrap_or("?"),
                warned(warnings)
            ),
            What::Refused { response, reason } => format!(
                "Send Callflow answered NOT_CREATED, statusCode {}: {reason}",
                response["statusCode"]
            ),
            What::Dialing {
                leg,
                to,
                from,
                inbound: true,
            } => format!("{leg} arrives from {from}, calling {to}"),
            What::Dialing { leg, to, from, .. } => format!("{leg} rings {to} (from {from})"),
            What::Answered { leg } => format!("{leg} answers"),
            What::NotConnected {
                leg,
                status,
                sip_code,
            } => format!("{leg} does not connect: {status} (SIP {sip_code})"),
            What::Say {
                text,
                repetition,
                ms,
                ..
            } => format!(
                "caller hears \"{}\"{} ({})",
                text,
                times(*repetition),
                seconds(*ms)
            ),
            What::Play {
                url,
                repetition,
                ms,
            } => {
                format!(
                    "caller hears {url}{} ({})",
                    times(*repetition),
                    seconds(*ms)
                )
            }
            What::Keys { digits } if digits.is_empty() => "caller presses nothing".to_owned(),
            What::Keys { digits } => format!("caller presses {digits}"),
            What::Capture {
                attempt,
                dtmf,
                ended_by,
                valid,
            } => match (valid, dtmf) {
                (true, Some(d)) => format!("attempt {attempt}: input {d} ({ended_by})"),
                _ => format!("attempt {attempt}: no valid input ({ended_by})"),
            },
            What::Webhook { kind, webhook } => {
                let decoded = crate::decode::decode_value(*kind, webhook, None);
                format!("POST {} {}", kind.id().to_uppercase(), decoded.summary)
            }
            What::Reply {
                valid: true,
                outcome,
                warnings,
                ..
            } => format!("your reply is valid: {outcome}{}", warned(warnings)),
            What::Reply {
                body: Value::Null,
                outcome,
                ..
            } => format!("no usable reply: {outcome}"),
            What::Reply { outcome, .. } => format!("your reply is invalid: {outcome}"),
            What::Hangup { by } => format!("{by} hangs up"),
            What::Assumed { text, .. } => format!("assumed: {text}"),
            What::Ended { status, error_code } => match error_code {
                Some(code) => format!("session ends {status} ({code})"),
                None => format!("session ends {status}"),
            },
        }
    }
}

/// `; warning: …` for each warning.
fn warned(warnings: &[String]) -> String {
    warnings.iter().map(|w| format!("; warning: {w}")).collect()
}

fn times(repetition: u8) -> String {
    if repetition > 1 {
        format!(" ×{repetition}")
    } else {
        String::new()
    }
}
