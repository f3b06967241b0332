//! The call engine: play a call before it happens.
//!
//! A [`Call`] takes what starts a session (a Send Callflow body, or a call arriving at a
//! virtual number), a [`Script`] of what the people on the call do, and your answers to the
//! call actions as they come; it produces the ordered [`Event`]s on a virtual clock: what the
//! caller hears, the keys they press, and every webhook 8x8 would POST (VCA, VCS, VSS, VRU),
//! each one valid in strict mode and consistent with the others. It is pure and
//! deterministic: no I/O, no clock, the same inputs give the same events and ids.
//!
//! ```
//! use voicehook::call::{Call, Reply, Script, Start, Waiting, What};
//!
//! let body = br#"{"callflow": [
//!   {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}},
//!   {"action": "sayAndCapture", "params": {"promptMessage": "Press 1 for sales",
//!     "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]}"#;
//! let script: Script = serde_json::from_str(r#"{"keys": ["1"]}"#)?;
//! let mut call = Call::new(Start::Callflow(body), &script)?;
//! // The caller presses 1: 8x8 asks your server what to do next.
//! let Waiting::Reply { webhook } = call.run() else { panic!() };
//! assert_eq!(webhook["payload"]["eventData"]["dtmf"], "1");
//! call.reply(Reply::Body(br#"{"callflow": [{"action": "say", "params":
//!   {"text": "Connecting you", "voiceProfile": "en-US-ZiraRUS"}}, {"action": "hangup"}]}"#.to_vec()));
//! assert!(matches!(call.run(), Waiting::Done));
//! let summary = call.events().iter().rev().find_map(|e| match &e.what {
//!     What::Webhook { webhook, .. } if webhook["eventType"] == "SESSION_SUMMARY" => Some(webhook),
//!     _ => None,
//! }).unwrap();
//! assert_eq!(summary["payload"]["sessionStatus"], "COMPLETED");
//! assert_eq!(summary["payload"]["lastAction"], "HANGUP");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What the engine does
//!
//! - **Send Callflow**: the body is checked as 8x8 would check it; a refused one answers
//!   NOT_CREATED with the predicted status code and places no call. An accepted one answers
//!   CREATED and runs its actions in order. The first `makeCall` calls callA; a second one
//!   bridges callB to callA, and the two talk until one hangs up.
//! - **Inbound call** (inbound IVR, Number Masking): callA arrives, 8x8 POSTs a VCA
//!   `CALL_RECEIVED` and runs your answer; callA is answered when something is played to it or
//!   when a bridged callB answers.
//! - **`say`, `playFile`**: take the time of the speech (about 15 characters a second at speed 1,
//!   divided by `speed`, times `repetition`) or of the file (the script's `files`, else 5 s).
//! - **`sayAndCapture`**: speaks the prompt, then collects keys: `#` ends the input when
//!   `completeOnHash` is true (the default), reaching `maxDigits` ends it, `digitTimeout` ends
//!   it after a pause between two keys, `overallTimeout` after the prompt. An input of
//!   `minDigits` (default 1) to `maxDigits` keys is valid: `successMessage` is spoken and a VCA
//!   `ACTION_COMPLETED` carries the digits (without `#`). Otherwise `failureMessage` is spoken and
//!   the prompt tried again, `noOfTries` attempts in all; after the last a VCA carries
//!   `dtmf: null`. The parameters left out take the IVR guide's defaults (maxDigits 25,
//!   overallTimeout 30000 ms, noOfTries 3), or the API reference's (1, 5000 ms, 1) with
//!   `"defaults": "openapi"` in the script.
//! - **`hangup`**: ends every leg and the session.
//! - **Session errors**: an invalid answer to a call action (what voicehook rejects as a
//!   `vca-reply`, or a third call leg) ends the session with -2003; so does an answer that is
//!   not 200, or none at all within the reply timeout (see the assumptions); a failed text to
//!   speech -2005, a failed file -2006 (also a file that is not mp3 or wav); a leg with no
//!   coverage -2004.
//! - **Statuses**: each leg is COMPLETED, BUSY, NO_ANSWER, FAILED, CANCELED (the caller hung
//!   up while callB rang) or ERROR, and the session status follows the Number Masking table
//!   (callA's status when it alone decides). Durations are whole seconds between the written
//!   connected and disconnected times.
//!
//! Where the pages are silent the engine chooses, writes the choice in [`ASSUMPTIONS`], and
//! emits an `assumed` event the first time a choice matters to the call.

use std::collections::VecDeque;

use serde_json::{Value, json};

use crate::{Kind, Options, codes, time};

mod event;
mod script;
mod steps;

use steps::Step;

pub use event::{Event, What, clock};
pub use script::{CaptureDefaults, Failure, Keys, LegScript, Outcome, Script, TimedKeys};

/// How long a caller stays on the line at most, in virtual milliseconds (an hour): see the
/// `an-hour` assumption.
pub const MAX_CALL_MS: u64 = 3_600_000;

/// The choices the engine makes where 8x8's pages are silent: `(id, what is assumed)`.
pub const ASSUMPTIONS: &[(&str, &str)] = &[
    (
        "no-reply",
        "a call action that gets no answer within the reply timeout (5 s unless the script \
         says otherwise), or an answer other than 200, ends the session with -2003 \"The call \
         flow provided is invalid\": 8x8 has no valid callflow to go on, which is what -2003 \
         names; -2002 is described as an internal connectivity error, not a customer's",
    ),
    (
        "capture-ends-callflow",
        "the actions after a sayAndCapture are not run: your answer to its call action says \
         what happens next",
    ),
    (
        "after-bridge",
        "the actions after a makeCall that bridges callB are not run: the two parties talk \
         until one hangs up, which ends the session",
    ),
    (
        "bridge-failed",
        "when callB does not connect the session ends (as the IVR summary's busy scenario \
         shows); the actions after its makeCall are not run",
    ),
    (
        "callflow-done",
        "when the actions run out and no call is bridged, 8x8 hangs up",
    ),
    (
        "no-barge-in",
        "keys are collected after the prompt has been spoken; keys pressed during it are not \
         modelled",
    ),
    (
        "timeouts",
        "digitTimeout applies between two keys (the first key has until overallTimeout, which \
         runs from the end of the prompt); when either runs out, the keys so far are the input. \
         Without digitTimeout only overallTimeout ends an input that has neither # nor maxDigits",
    ),
    (
        "tries",
        "noOfTries counts every attempt, the first included",
    ),
    (
        "reply-time",
        "your server answers a call action instantly on the virtual clock",
    ),
    (
        "an-hour",
        "a caller still on the line after an hour hangs up: a server that answers every call \
         action with another prompt would otherwise keep the call going for ever",
    ),
    (
        "country",
        "a number whose calling code the engine's short table lacks is written with country SG",
    ),
];

/// The text of assumption `id`.
pub fn assumption(id: &str) -> Option<&'static str> {
    ASSUMPTIONS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t)
}

/// What starts the session.
#[derive(Clone, Copy, Debug)]
pub enum Start<'a> {
    /// The body of a Send Callflow request, as sent.
    Callflow(&'a [u8]),
    /// A call from `from` to the virtual number `to` (inbound IVR or Number Masking).
    Inbound {
        /// The caller's number.
        from: &'a str,
        /// The virtual number called.
        to: &'a str,
    },
}

/// Your server's answer to a call action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A 200 answer with this body.
    Body(Vec<u8>),
    /// An answer with another HTTP status.
    Status(u16),
    /// No answer within the reply timeout.
    Timeout,
}

/// What the call waits for after [`Call::run`]. Serialized as `{"waiting": "reply", "webhook":
/// {...}}`, `{"waiting": "keys", "attempt": 1, "prompt": "..."}` or `{"waiting": "done"}`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "waiting", rename_all = "camelCase")]
pub enum Waiting {
    /// Your answer to this call action webhook: call [`Call::reply`].
    Reply {
        /// The VCA 8x8 POSTs.
        webhook: Value,
    },
    /// The caller's keys for a capture attempt (only with [`Call::interactive`], once the
    /// script's keys are used up): call [`Call::press`].
    Keys {
        /// The attempt, from 1.
        attempt: u32,
        /// The prompt just spoken.
        prompt: String,
    },
    /// The session is over.
    Done,
}

/// A script or start the engine cannot play.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError(pub String);

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScriptError {}

/// One simulated session. See the [module documentation](self).
#[derive(Clone, Debug)]
pub struct Call {
    script: Script,
    /// Unix milliseconds of t = 0.
    epoch: i64,
    /// The virtual clock, milliseconds since t = 0.
    t: u64,
    ids: u64,
    session_id: String,
    sub_account: String,
    legs: Vec<Leg>,
    queue: VecDeque<Step>,
    client_action_id: Option<String>,
    state: State,
    events: Vec<Event>,
    keys_used: usize,
    failures: Vec<Failure>,
    assumed: Vec<&'static str>,
    last_action: &'static str,
    error: Option<i64>,
    recording_from: Option<u64>,
    interactive: bool,
}

#[derive(Clone, Debug)]
enum State {
    Run,
    Reply(Value),
    Keys(Capture),
    Done,
}

#[derive(Clone, Debug)]
struct Capture {
    params: Box<steps::Capture>,
    attempt: u32,
}

#[derive(Clone, Debug)]
struct Leg {
    name: &'static str,
    id: String,
    inbound: bool,
    from: String,
    to: String,
    initiated: u64,
    connected: Option<u64>,
    disconnected: Option<u64>,
    status: Option<&'static str>,
    sip: u16,
    /// When the party hangs up (absolute virtual time), if ever.
    hangs_up: Option<u64>,
}

impl Call {
    /// Starts a session: a Send Callflow is checked (and answered) at once; an inbound call
    /// arrives. Fails only when the script or the inbound numbers cannot be played.
    pub fn new(start: Start<'_>, script: &Script) -> Result<Call, ScriptError> {
        script
            .check()
            .map_err(|e| ScriptError(format!("script: {e}")))?;
        let epoch = match &script.start {
            Some(s) => time::millis(s).ok_or_else(|| {
                ScriptError(format!(
                    "start should be a timestamp such as 2026-01-13T08:00:00Z, found {s:?}"
                ))
            })?,
            None => 1_768_291_200_000, // 2026-01-13T08:00:00Z
        };
        let mut call = Call {
            script: script.clone(),
            epoch,
            t: 0,
            ids: script.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            session_id: String::new(),
            sub_account: script
                .sub_account_id
                .clone()
                .unwrap_or_else(|| "voicehook_sim".to_owned()),
            legs: Vec::new(),
            queue: VecDeque::new(),
            client_action_id: None,
            state: State::Run,
            events: Vec::new(),
            keys_used: 0,
            failures: script.fail.clone(),
            assumed: Vec::new(),
            last_action: "MAKE_CALL",
            error: None,
            recording_from: None,
            interactive: false,
        };
        call.session_id = call.uuid();
        match start {
            Start::Callflow(body) => call.send_callflow(body),
            Start::Inbound { from, to } => call.arrive(from, to)?,
        }
        Ok(call)
    }

    /// Asks for the caller's keys with [`Waiting::Keys`] once the script's are used up,
    /// instead of pressing nothing (for a live keypad).
    pub fn interactive(mut self) -> Call {
        self.interactive = true;
        self
    }

    /// Plays the call until it needs your answer, the caller's keys, or is over.
    pub fn run(&mut self) -> Waiting {
        loop {
            match &self.state {
                State::Done => return Waiting::Done,
                State::Reply(webhook) => {
                    return Waiting::Reply {
                        webhook: webhook.clone(),
                    };
                }
                State::Keys(c) => {
                    return Waiting::Keys {
                        attempt: c.attempt,
                        prompt: c.params.prompt.text.clone(),
                    };
                }
                State::Run => {}
            }
            match self.queue.pop_front() {
                Some(action) => self.execute(action),
                None => {
                    self.assume("callflow-done");
                    self.say_event(What::Hangup { by: "8x8".into() });
                    self.end(None);
                }
            }
        }
    }

    /// Gives your answer to the call action [`Call::run`] returned. Ignored when the call is
    /// not waiting for one.
    pub fn reply(&mut self, reply: Reply) {
        if !matches!(self.state, State::Reply(_)) {
            return;
        }
        self.state = State::Run;
        let invalid = |this: &mut Call, body: Value, outcome: String| {
            this.say_event(What::Reply {
                body,
                valid: false,
                outcome,
                warnings: Vec::new(),
            });
            this.fail(-2003);
        };
        let bytes = match reply {
            Reply::Timeout => {
                self.assume("no-reply");
                self.t += self.script.reply_timeout.unwrap_or(5_000);
                return invalid(
                    self,
                    Value::Null,
                    "no answer in time: 8x8 ends the session with -2003".into(),
                );
            }
            Reply::Status(status) => {
                self.assume("no-reply");
                return invalid(
                    self,
                    Value::Null,
                    format!("HTTP {status} instead of 200: 8x8 ends the session with -2003"),
                );
            }
            Reply::Body(bytes) => bytes,
        };
        self.assume("reply-time");
        // Read with the crate's own parser (the module has no serde reader for `Value`).
        let body = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| crate::parse::Doc::parse_str(text).ok())
            .map_or(Value::Null, |doc| doc.root().to_value());
        let options = Options {
            kind: Some(Kind::VcaReply),
            now: Some(self.now()),
            ..Options::default()
        };
        match steps::read(&bytes, &options) {
            Err(report) => {
                let why = report
                    .errors
                    .first()
                    .map(steps::finding)
                    .unwrap_or_else(|| "not a callflow".into());
                let outcome = if why.contains("-2003") {
                    why
                } else {
                    format!("{why}; 8x8 ends the session with -2003")
                };
                invalid(self, body, outcome);
            }
            Ok(reply) => {
                let calls = reply
                    .steps
                    .iter()
                    .filter(|a| matches!(a, Step::MakeCall { .. }))
                    .count();
                if self.legs.len() + calls > 2 {
                    return invalid(
                        self,
                        body,
                        format!(
                            "a session has at most two call legs and this one has {}, so a \
                             makeCall cannot follow; 8x8 ends the session with -2003",
                            self.legs.len()
                        ),
                    );
                }
                let names: Vec<&str> = reply.steps.iter().map(Step::name).collect();
                self.say_event(What::Reply {
                    body,
                    valid: true,
                    outcome: format!("8x8 runs {}", names.join(", ")),
                    warnings: reply.warnings,
                });
                self.client_action_id = reply.client_action_id;
                self.queue = reply.steps.into();
            }
        }
    }

    /// Gives the caller's keys for the capture attempt [`Call::run`] asked about.
    pub fn press(&mut self, keys: Keys) {
        let State::Keys(capture) = std::mem::replace(&mut self.state, State::Run) else {
            return;
        };
        self.capture(capture, Some(keys));
    }

    /// Every event so far, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events so far, leaving none behind (to stream them).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The virtual clock, in milliseconds since the start.
    pub fn elapsed(&self) -> u64 {
        self.t
    }

    // ---- starting --------------------------------------------------------------------------

    fn send_callflow(&mut self, body: &[u8]) {
        let options = Options {
            kind: Some(Kind::Callflow),
            now: Some(self.epoch),
            ..Options::default()
        };
        match steps::read(body, &options) {
            Err(report) => {
                let code = i64::from(report.predicted_status_code.unwrap_or(-1009));
                let response = json!({
                    "sessionStatus": "NOT_CREATED",
                    "callFlowRequestId": self.uuid(),
                    "statusCode": code,
                    "statusMessage": codes::api_status(code).map_or("Invalid callflow", |c| c.name),
                });
                let reason = report
                    .errors
                    .first()
                    .map(steps::finding)
                    .unwrap_or_default();
                self.say_event(What::Refused { response, reason });
                self.state = State::Done;
            }
            Ok(flow) => {
                let request = self.uuid();
                let mut response = json!({
                    "sessionId": self.session_id,
                    "sessionStatus": "CREATED",
                    "callFlowRequestId": request,
                    "statusCode": 1,
                    "statusMessage": "Created",
                });
                if let Some(until) = flow.valid_until {
                    response["validUntil"] = Value::String(until);
                }
                self.say_event(What::Created {
                    response,
                    warnings: flow.warnings,
                });
                self.queue = flow.steps.into();
            }
        }
    }

    fn arrive(&mut self, from: &str, to: &str) -> Result<(), ScriptError> {
        let (from, to) = (e164(from)?, e164(to)?);
        let hangs_up = self.leg_script(0).hang_up_after;
        let id = self.uuid();
        self.legs.push(Leg {
            name: "callA",
            id,
            inbound: true,
            from,
            to,
            initiated: 0,
            connected: None,
            disconnected: None,
            status: None,
            sip: 200,
            hangs_up,
        });
        let leg = &self.legs[0];
        self.say_event(What::Dialing {
            leg: "callA".into(),
            to: leg.to.clone(),
            from: leg.from.clone(),
            inbound: true,
        });
        self.vcs(0, "CALL_RECEIVED", 200, 0);
        let vca = self.vca("CALL_RECEIVED", None);
        self.state = State::Reply(vca);
        Ok(())
    }

    // ---- actions ---------------------------------------------------------------------------

    fn execute(&mut self, step: Step) {
        match step {
            Step::MakeCall {
                source,
                destination,
                recording,
            } => {
                self.last_action = "MAKE_CALL";
                if recording && self.recording_from.is_none() {
                    self.recording_from = Some(self.t);
                }
                self.make_call(&source, &destination);
            }
            Step::Say(speech) => {
                self.last_action = "SAY";
                if self.answer_caller() {
                    self.speak(&speech.text, &speech.voice, speech.speed, speech.repetition);
                }
            }
            Step::Play { url, repetition } => {
                self.last_action = "PLAY_FILE";
                if self.answer_caller() {
                    self.play(&url, repetition);
                }
            }
            Step::Capture(params) => {
                self.last_action = "SAY_AND_CAPTURE";
                if self.answer_caller() {
                    self.capture(Capture { params, attempt: 1 }, None);
                }
            }
            Step::Hangup => {
                self.last_action = "HANGUP";
                self.say_event(What::Hangup { by: "8x8".into() });
                self.end(None);
            }
        }
    }

    fn make_call(&mut self, source: &str, destination: &str) {
        let index = self.legs.len();
        let (Ok(from), Ok(to)) = (e164(source), e164(destination)) else {
            return self.fail(-2003);
        };
        let script = self.leg_script(index);
        let id = self.uuid();
        let name = if index == 0 { "callA" } else { "callB" };
        self.legs.push(Leg {
            name,
            id,
            inbound: false,
            from,
            to,
            initiated: self.t,
            connected: None,
            disconnected: None,
            status: None,
            sip: 200,
            hangs_up: None,
        });
        let leg = &self.legs[index];
        self.say_event(What::Dialing {
            leg: name.into(),
            to: leg.to.clone(),
            from: leg.from.clone(),
            inbound: false,
        });
        self.vcs(index, "CALL_INITIATED", 100, 0);
        let ring = script.answer_after.unwrap_or(match script.outcome {
            Outcome::Answers => 3_000,
            Outcome::NoAnswer => 30_000,
            Outcome::Busy => 1_000,
            Outcome::Fails | Outcome::NoCoverage => 500,
        });
        // The caller may give up while callB rings: both legs are canceled.
        if index == 1
            && let Some(at) = self.legs[0].hangs_up
            && at < self.t + ring
        {
            self.t = self.t.max(at);
            self.say_event(What::Hangup { by: "callA".into() });
            self.legs[0].status = Some("CANCELED");
            self.legs[0].sip = 487;
            self.legs[1].status = Some("CANCELED");
            self.legs[1].sip = 487;
            return self.end(None);
        }
        self.t += ring;
        let (status, sip) = match script.outcome {
            Outcome::Answers => {
                self.connect(index);
                if index == 0 {
                    self.legs[0].hangs_up = script.hang_up_after.map(|h| self.t + h);
                    return;
                }
                return self.bridge(script.hang_up_after.unwrap_or(30_000));
            }
            Outcome::Busy => ("BUSY", 486),
            Outcome::NoAnswer => ("NO_ANSWER", 480),
            Outcome::Fails => ("FAILED", script.sip_code.unwrap_or(404)),
            Outcome::NoCoverage => ("ERROR", 503),
        };
        self.legs[index].status = Some(status);
        self.legs[index].sip = sip;
        self.say_event(What::NotConnected {
            leg: name.into(),
            status: status.into(),
            sip_code: sip,
        });
        if index == 1 && !self.queue.is_empty() {
            self.assume("bridge-failed");
        }
        if script.outcome == Outcome::NoCoverage {
            return self.fail(-2004);
        }
        if index == 1 {
            // callA stays as it was (COMPLETED), as the Number Masking table has it.
            self.legs[0].sip = 200;
        }
        self.end(None);
    }

    /// callA and callB talk until one hangs up.
    fn bridge(&mut self, b_hangs_up_after: u64) {
        if self.legs[0].connected.is_none() {
            self.connect(0);
        }
        if !self.queue.is_empty() {
            self.assume("after-bridge");
        }
        let b_at = self.t + b_hangs_up_after;
        let (at, by) = match self.legs[0].hangs_up {
            Some(a) if a <= b_at => (a.max(self.t), "callA"),
            _ => (b_at, "callB"),
        };
        self.t = at;
        self.say_event(What::Hangup { by: by.into() });
        self.end(None);
    }

    fn connect(&mut self, index: usize) {
        self.legs[index].connected = Some(self.t);
        self.say_event(What::Answered {
            leg: self.legs[index].name.into(),
        });
        self.vcs(index, "CALL_CONNECTED", 200, 0);
    }

    /// Answers an inbound caller before something is played to them. False when the session
    /// is over (nothing to play to).
    fn answer_caller(&mut self) -> bool {
        match self.legs.first() {
            None => {
                // A Send Callflow whose first action is not makeCall is refused before this.
                self.fail(-2003);
                false
            }
            Some(leg) if leg.connected.is_none() => {
                self.connect(0);
                true
            }
            Some(_) => true,
        }
    }

    /// Moves the clock on by `ms` unless callA hangs up first (which ends the session).
    fn advance(&mut self, ms: u64) -> bool {
        let until = self.t + ms;
        let hangs_up = self.legs.first().and_then(|l| l.hangs_up);
        if hangs_up.is_none_or(|at| at > MAX_CALL_MS) && until > MAX_CALL_MS {
            self.assume("an-hour");
            if let Some(a) = self.legs.first_mut() {
                a.hangs_up = Some(MAX_CALL_MS);
            }
        }
        if let Some(at) = self.legs.first().and_then(|l| l.hangs_up)
            && at < until
        {
            self.t = self.t.max(at);
            self.say_event(What::Hangup { by: "callA".into() });
            self.end(None);
            return false;
        }
        self.t = until;
        true
    }

    fn speak(
        &mut self,
        text: &str,
        voice: &str,
        speed: Option<f64>,
        repetition: Option<u8>,
    ) -> bool {
        if self.take_failure(Failure::Tts) {
            self.fail(-2005);
            return false;
        }
        let repetition = repetition.unwrap_or(1).max(1);
        let ms = speech_ms(text, speed.unwrap_or(1.0)) * u64::from(repetition);
        self.say_event(What::Say {
            text: text.into(),
            voice_profile: voice.into(),
            repetition,
            ms,
        });
        self.advance(ms)
    }

    fn play(&mut self, url: &str, repetition: Option<u8>) -> bool {
        let path = url
            .split(['?', '#'])
            .next()
            .unwrap_or(url)
            .to_ascii_lowercase();
        let playable = path.ends_with(".mp3") || path.ends_with(".wav");
        if self.take_failure(Failure::File) || !playable {
            self.fail(-2006);
            return false;
        }
        let repetition = repetition.unwrap_or(1).max(1);
        let ms = self.script.files.get(url).copied().unwrap_or(5_000) * u64::from(repetition);
        self.say_event(What::Play {
            url: url.into(),
            repetition,
            ms,
        });
        self.advance(ms)
    }

    /// Runs capture attempts from `capture.attempt`; `keys` are the caller's for that attempt
    /// when they were asked for.
    fn capture(&mut self, mut capture: Capture, mut keys: Option<Keys>) {
        let (default_max, default_overall, default_tries) = self.script.defaults.values();
        let p = capture.params.clone();
        let max = usize::from(p.max_digits.unwrap_or(default_max));
        let min = usize::from(p.min_digits.unwrap_or(1)).max(1);
        let overall = u64::from(p.overall_timeout.unwrap_or(default_overall));
        let tries = p.no_of_tries.unwrap_or(default_tries).max(1);
        let on_hash = p.complete_on_hash.unwrap_or(true);
        if capture.attempt == 1 && keys.is_none() {
            self.assume("no-barge-in");
            if p.digit_timeout.is_some() {
                self.assume("timeouts");
            }
            if tries > 1 {
                self.assume("tries");
            }
            if !self.queue.is_empty() {
                self.assume("capture-ends-callflow");
            }
            self.queue.clear();
        }
        while capture.attempt <= tries {
            let attempt = capture.attempt;
            // The prompt is spoken once per attempt; a resumed attempt has spoken it already.
            let input = match keys.take() {
                Some(k) => k,
                None => {
                    let prompt = &p.prompt;
                    if !self.speak(&prompt.text, &prompt.voice, prompt.speed, prompt.repetition) {
                        return;
                    }
                    match self.script.keys.get(self.keys_used) {
                        Some(k) => {
                            self.keys_used += 1;
                            k.clone()
                        }
                        None if self.interactive => {
                            self.state = State::Keys(capture);
                            return;
                        }
                        None => Keys::Digits(String::new()),
                    }
                }
            };
            let (digits, after, gap) = input.timing();
            let input = collect(digits, after, gap, max, on_hash, p.digit_timeout, overall);
            let first_key = self.t + input.first_key_at.unwrap_or(0);
            // A caller who hangs up before the first key presses nothing.
            if self.legs[0].hangs_up.is_none_or(|at| at >= first_key) {
                self.say_event_at(
                    first_key,
                    What::Keys {
                        digits: input.pressed.clone(),
                    },
                );
            }
            if !self.advance(input.ended_at) {
                return;
            }
            let valid = (min..=max).contains(&input.kept.len());
            self.say_event(What::Capture {
                attempt,
                dtmf: valid.then(|| input.kept.clone()),
                ended_by: input.ended_by.into(),
                valid,
            });
            if valid {
                if let Some(message) = &p.success
                    && !self.speak(message, &p.prompt.voice, p.prompt.speed, None)
                {
                    return;
                }
                let vca = self.vca("ACTION_COMPLETED", Some(Value::String(input.kept)));
                self.state = State::Reply(vca);
                return;
            }
            if let Some(message) = &p.failure
                && !self.speak(message, &p.prompt.voice, p.prompt.speed, None)
            {
                return;
            }
            capture.attempt += 1;
        }
        let vca = self.vca("ACTION_COMPLETED", Some(Value::Null));
        self.state = State::Reply(vca);
    }

    // ---- the end ---------------------------------------------------------------------------

    /// Ends the session with a session error.
    fn fail(&mut self, code: i64) {
        self.error = Some(code);
        // The error belongs to the newest leg: callB's own (callA stays COMPLETED, as the
        // Number Masking table has it), else callA's.
        if let Some(leg) = self.legs.last_mut()
            && leg.status.is_none_or(|s| s == "ERROR")
        {
            leg.status = Some("ERROR");
            if leg.sip == 200 {
                leg.sip = 500;
            }
        }
        self.end(self.error);
    }

    fn end(&mut self, error: Option<i64>) {
        if matches!(self.state, State::Done) {
            return;
        }
        self.state = State::Done;
        self.queue.clear();
        for index in 0..self.legs.len() {
            let leg = &mut self.legs[index];
            let was_up = leg.disconnected.is_none();
            leg.disconnected.get_or_insert(self.t);
            let status = *leg.status.get_or_insert("COMPLETED");
            let talked = match leg.connected {
                Some(c) => secs(self.epoch, c, self.t),
                None => 0,
            };
            let sip = if status == "COMPLETED" { 200 } else { leg.sip };
            if was_up {
                self.vcs(index, "CALL_DISCONNECTED", sip, talked);
            }
        }
        let statuses: Vec<&str> = self.legs.iter().filter_map(|l| l.status).collect();
        let status = codes::session_status_for_legs(&statuses)
            .or_else(|| statuses.first().copied())
            .unwrap_or("ERROR");
        let status = if error.is_some() { "ERROR" } else { status };
        self.say_event(What::Ended {
            status: status.into(),
            error_code: error,
        });
        let summary = self.vss(status, error);
        self.webhook(Kind::Vss, summary);
        if let Some(from) = self.recording_from {
            let seconds = secs(self.epoch, from, self.t);
            let recording = self.uuid();
            let stamp = self.stamp(self.t);
            let day = stamp.get(..10).unwrap_or_default();
            let payload = Obj::new()
                .s("sessionId", &self.session_id)
                .s("recordingId", &recording)
                .n("durationSeconds", seconds)
                .s(
                    "filePath",
                    format!("recordings/{day}/{}/{recording}.mp3", self.session_id),
                )
                .s("status", "UPLOAD_COMPLETED");
            let vru = envelope(
                "CALL_RECORDING_STATUS",
                "Call recording status updated",
                payload,
            );
            self.t += 5_000;
            self.webhook(Kind::Vru, vru);
        }
    }

    // ---- webhooks --------------------------------------------------------------------------

    fn vcs(&mut self, index: usize, status: &str, sip: u16, duration: u64) {
        let mut p = Obj::new().s("eventId", self.uuid());
        p = self.leg_fields(p, index, status);
        let payload = p
            .n("callDuration", duration)
            .n("sipCode", u64::from(sip))
            .s("timestamp", self.stamp_ms(self.t));
        let body = envelope("CALL_STATUS", "Status update of a call", payload);
        self.webhook(Kind::Vcs, body);
    }

    fn vca(&mut self, status: &str, dtmf: Option<Value>) -> Value {
        let mut p = Obj::new().s("eventId", self.uuid());
        p = self.leg_fields(p, 0, status);
        let talked = self.legs[0]
            .connected
            .map_or(0, |c| secs(self.epoch, c, self.t));
        p = p.n("callDuration", talked);
        if let Some(dtmf) = dtmf {
            p = p.v("eventData", Obj::new().v("dtmf", dtmf).done());
        }
        p = p.n("sipCode", 200).s("timestamp", self.stamp_ms(self.t));
        if status == "ACTION_COMPLETED"
            && let Some(id) = &self.client_action_id
        {
            p = p.s("clientActionId", id);
        }
        let body = envelope("CALL_ACTION", "Action request of a call", p);
        self.webhook(Kind::Vca, body.clone());
        body
    }

    fn vss(&self, status: &str, error: Option<i64>) -> Value {
        let mut details = Obj::new();
        for leg in &self.legs {
            let end = leg.disconnected.unwrap_or(self.t);
            let mut l = Obj::new()
                .s("callId", &leg.id)
                .s("callDirection", direction(leg))
                .s("callType", "PSTN")
                .s("initiatedTimestamp", self.stamp(leg.initiated));
            if let Some(c) = leg.connected {
                l = l.s("connectedTimestamp", self.stamp(c));
            }
            l = l.s("disconnectedTimestamp", self.stamp(end));
            l = self.party(l, leg);
            let talked = leg.connected.map_or(0, |c| secs(self.epoch, c, end));
            l = l
                .s("callStatus", leg.status.unwrap_or("COMPLETED"))
                .n("callDuration", talked);
            details = details.v(leg.name, l.done());
        }
        let mut p = Obj::new()
            .s("sessionId", &self.session_id)
            .s("subAccountId", &self.sub_account)
            .s("sessionStatus", status)
            .s("startTime", self.stamp(0))
            .s("endTime", self.stamp(self.t))
            .s("lastAction", self.last_action)
            .n("callCount", self.legs.len() as u64);
        if let Some(code) = error {
            let message =
                codes::session_error(code).map_or("An unknown error has occurred", |c| c.name);
            p = p.v(
                "errorDetails",
                Obj::new()
                    .s("errorMsg", message)
                    .v("errorCode", Value::from(code))
                    .done(),
            );
        }
        p = p.v("details", details.done());
        envelope("SESSION_SUMMARY", "Summary of a completed call session", p)
    }

    /// The fields a VCA or VCS carries about leg `index`, up to its `callStatus` and the
    /// virtual number's reference, in the order 8x8 prints them.
    fn leg_fields(&self, p: Obj, index: usize, status: &str) -> Obj {
        let leg = &self.legs[index];
        let p = p
            .s("callId", &leg.id)
            .s("sessionId", &self.session_id)
            .s("subAccountId", &self.sub_account)
            .s("callStatus", status)
            .s("callDirection", direction(leg))
            .s("callType", "PSTN");
        self.party(p, leg)
    }

    /// Numbers, formats, countries and the virtual number's reference of `leg`: the number
    /// called on an inbound leg, the caller id shown on an outbound one.
    fn party(&self, p: Obj, leg: &Leg) -> Obj {
        let mut p = p
            .s("source", &leg.from)
            .s("destination", &leg.to)
            .s("sourceFormat", "MSISDN")
            .s("destinationFormat", "MSISDN")
            .s("sourceCountryCode", country(&leg.from))
            .s("destinationCountryCode", country(&leg.to));
        let (field, number) = if leg.inbound {
            ("destinationRefId", &leg.to)
        } else {
            ("sourceRefId", &leg.from)
        };
        if let Some(r) = self.ref_id(number) {
            p = p.s(field, r);
        }
        p
    }

    fn ref_id(&self, number: &str) -> Option<String> {
        let digits = number.trim_start_matches('+');
        self.script
            .ref_ids
            .iter()
            .find(|(k, _)| k.trim_start_matches('+') == digits)
            .map(|(_, v)| v.clone())
    }

    // ---- helpers ---------------------------------------------------------------------------

    fn webhook(&mut self, kind: Kind, webhook: Value) {
        self.say_event(What::Webhook { kind, webhook });
    }

    fn say_event(&mut self, what: What) {
        self.say_event_at(self.t, what);
    }

    fn say_event_at(&mut self, t: u64, what: What) {
        self.events.push(Event { t, what });
    }

    fn assume(&mut self, id: &'static str) {
        if self.assumed.contains(&id) {
            return;
        }
        self.assumed.push(id);
        let text = assumption(id).unwrap_or_default().to_owned();
        self.say_event(What::Assumed {
            id: id.into(),
            text,
        });
    }

    fn take_failure(&mut self, failure: Failure) -> bool {
        match self.failures.iter().position(|f| *f == failure) {
            Some(i) => {
                self.failures.remove(i);
                true
            }
            None => false,
        }
    }

    fn leg_script(&self, index: usize) -> LegScript {
        self.script.legs.get(index).cloned().unwrap_or_default()
    }

    fn now(&self) -> i64 {
        self.epoch + self.t as i64
    }

    /// A timestamp to the second, as session summaries write them.
    fn stamp(&self, t: u64) -> String {
        let ms = self.epoch + t as i64;
        let text = time::format_millis(ms - ms.rem_euclid(1000)).unwrap_or_default();
        text.replace(".000Z", "Z")
    }

    /// A timestamp to the millisecond, as call events write them.
    fn stamp_ms(&self, t: u64) -> String {
        time::format_millis(self.epoch + t as i64).unwrap_or_default()
    }

    /// A time-based (version 1) UUID from the seed and a counter.
    fn uuid(&mut self) -> String {
        self.ids = self.ids.wrapping_add(1);
        let a = mix(self.ids);
        let b = mix(a ^ 0x5851_F42D_4C95_7F2D);
        format!(
            "{:08x}-{:04x}-11ef-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// A JSON object built in order, without the `json!` macro's code at each use.
struct Obj(serde_json::Map<String, Value>);

impl Obj {
    fn new() -> Obj {
        Obj(serde_json::Map::new())
    }
    fn v(mut self, key: &str, value: Value) -> Obj {
        self.0.insert(key.to_owned(), value);
        self
    }
    fn s(self, key: &str, value: impl Into<String>) -> Obj {
        self.v(key, Value::String(value.into()))
    }
    fn n(self, key: &str, value: u64) -> Obj {
        self.v(key, Value::from(value))
    }
    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

/// A webhook body: the namespace, event type and description around `payload`.
fn envelope(event: &str, description: &str, payload: Obj) -> Value {
    Obj::new()
        .s("namespace", "VOICE")
        .s("eventType", event)
        .s("description", description)
        .v("payload", payload.done())
        .done()
}

fn direction(leg: &Leg) -> &'static str {
    if leg.inbound { "INBOUND" } else { "OUTBOUND" }
}

/// Plays a whole call with the script's keys and `answer` for each call action, and returns
/// every event. `answer` gets each VCA body.
pub fn simulate(
    start: Start<'_>,
    script: &Script,
    mut answer: impl FnMut(&Value) -> Reply,
) -> Result<Vec<Event>, ScriptError> {
    let mut call = Call::new(start, script)?;
    loop {
        match call.run() {
            Waiting::Done => return Ok(call.take_events()),
            Waiting::Reply { webhook } => call.reply(answer(&webhook)),
            // Not interactive: never asked.
            Waiting::Keys { .. } => call.press(Keys::Digits(String::new())),
        }
    }
}

/// Milliseconds to speak `text` at `speed`: about 15 characters a second at speed 1, at
/// least 0.6 s, rounded to 10 ms.
pub fn speech_ms(text: &str, speed: f64) -> u64 {
    let speed = if speed.is_finite() && speed > 0.0 {
        speed
    } else {
        1.0
    };
    let chars = text.chars().count() as f64;
    let ms = (chars * 1000.0 / 15.0 / speed).max(600.0);
    (ms / 10.0).ceil() as u64 * 10
}

/// Whole seconds between two virtual times, as the written (second-precision) timestamps
/// give them.
fn secs(epoch: i64, from: u64, to: u64) -> u64 {
    let s = |t: u64| (epoch + t as i64).div_euclid(1000);
    u64::try_from(s(to) - s(from)).unwrap_or(0)
}

/// A number as 8x8 writes it on webhooks: `+` and the digits.
fn e164(number: &str) -> Result<String, ScriptError> {
    let digits = number.strip_prefix('+').unwrap_or(number);
    if (6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(format!("+{digits}"))
    } else {
        Err(ScriptError(format!(
            "{number:?} should be a phone number in E.164 form, such as +6591178965"
        )))
    }
}

/// The two-letter country of an E.164 number (with or without `+`) by its calling code, as the
/// engine writes it in webhooks (a short table; SG otherwise, assumption `country`).
pub fn country(number: &str) -> &'static str {
    const CODES: &[(&str, &str)] = &[
        ("1", "US"),
        ("20", "EG"),
        ("234", "NG"),
        ("254", "KE"),
        ("27", "ZA"),
        ("30", "GR"),
        ("31", "NL"),
        ("32", "BE"),
        ("33", "FR"),
        ("34", "ES"),
        ("351", "PT"),
        ("353", "IE"),
        ("39", "IT"),
        ("41", "CH"),
        ("43", "AT"),
        ("44", "GB"),
        ("45", "DK"),
        ("46", "SE"),
        ("47", "NO"),
        ("48", "PL"),
        ("49", "DE"),
        ("52", "MX"),
        ("55", "BR"),
        ("60", "MY"),
        ("61", "AU"),
        ("62", "ID"),
        ("63", "PH"),
        ("64", "NZ"),
        ("65", "SG"),
        ("66", "TH"),
        ("7", "RU"),
        ("81", "JP"),
        ("82", "KR"),
        ("84", "VN"),
        ("852", "HK"),
        ("86", "CN"),
        ("886", "TW"),
        ("90", "TR"),
        ("91", "IN"),
        ("92", "PK"),
        ("94", "LK"),
        ("966", "SA"),
        ("971", "AE"),
        ("972", "IL"),
    ];
    let digits = number.trim_start_matches('+');
    CODES
        .iter()
        .filter(|(code, _)| digits.starts_with(code))
        .max_by_key(|(code, _)| code.len())
        .map_or("SG", |(_, country)| country)
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One capture attempt's keys, timed.
struct Input {
    /// Every key pressed before the input ended.
    pressed: String,
    /// The digits kept (without a closing `#`).
    kept: String,
    /// Milliseconds from the end of the prompt to the first key.
    first_key_at: Option<u64>,
    /// Milliseconds from the end of the prompt to the end of the input.
    ended_at: u64,
    ended_by: &'static str,
}

fn collect(
    digits: &str,
    after: u64,
    gap: u64,
    max: usize,
    on_hash: bool,
    digit_timeout: Option<u32>,
    overall: u64,
) -> Input {
    let mut input = Input {
        pressed: String::new(),
        kept: String::new(),
        first_key_at: None,
        ended_at: overall,
        ended_by: "overall-timeout",
    };
    let digit_timeout = digit_timeout.map(u64::from);
    let mut last: Option<u64> = None;
    for (i, key) in digits.chars().enumerate() {
        let at = after + gap * i as u64;
        if let (Some(prev), Some(limit)) = (last, digit_timeout)
            && at - prev > limit
        {
            let end = prev + limit;
            if end < overall {
                input.ended_at = end;
                input.ended_by = "digit-timeout";
            }
            return input;
        }
        if at > overall {
            return input;
        }
        input.first_key_at.get_or_insert(at);
        input.pressed.push(key);
        last = Some(at);
        if key == '#' && on_hash {
            input.ended_at = at;
            input.ended_by = "hash";
            return input;
        }
        input.kept.push(key);
        if input.kept.chars().count() >= max {
            input.ended_at = at;
            input.ended_by = "max-digits";
            return input;
        }
    }
    if let (Some(prev), Some(limit)) = (last, digit_timeout)
        && prev + limit < overall
    {
        input.ended_at = prev + limit;
        input.ended_by = "digit-timeout";
    }
    input
}
