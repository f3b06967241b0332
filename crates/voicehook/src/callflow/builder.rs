//! A typed callflow builder that cannot build what the checker rejects.
//!
//! Parameters are checked where an action is constructed ([`MakeCall::new`], [`Say::new`],
//! [`SayAndCapture::new`], [`PlayFile::new`] and their setters), each returning a
//! [`BuildError`] that says what was expected and what was found. Action order is carried by
//! the types: a Send Callflow starts from a `makeCall` ([`CallflowBuilder::send`]); the number
//! of calls placed so far is a type parameter ([`NoCall`], [`OneCall`], [`TwoCalls`]) and only
//! the first two have a `make_call` method; `hangup` consumes the builder and returns the
//! finished document, so no action can follow it.
//!
//! One thing stays the caller's: `validUntil` must still be in the future when the request
//! reaches 8x8 (-1015); the builder checks only that it is a timestamp.

use std::fmt;
use std::marker::PhantomData;

use super::{
    AUDIO_EXTENSIONS, DIGITS, MAX_TEXT_CHARS, REPETITION, SPEED, format_millis, is_http_url,
    is_msisdn, timestamp_millis, url_extension,
};
use crate::models::callflow::{
    Action, Callflow, MakeCallParams, PlayFileParams, SayAndCaptureParams, SayParams, VcaReply,
};
use crate::models::common::{HttpUrl, Msisdn, Timestamp};

/// A parameter the builder refused: which action and field, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildError {
    action: &'static str,
    field: &'static str,
    kind: BuildErrorKind,
}

/// Why a parameter was refused.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// A phone number is not an MSISDN (8x8 answers -1017 for a destination, -1009 for a source).
    NotMsisdn {
        /// The value given.
        found: String,
    },
    /// A required text is empty.
    Empty,
    /// A text is longer than 8x8 speaks.
    TooLong {
        /// Most characters allowed.
        max: usize,
        /// Characters given.
        found: usize,
    },
    /// A whole number is outside its documented range.
    OutOfRange {
        /// Smallest value allowed.
        min: i64,
        /// Largest value allowed, when there is one.
        max: Option<i64>,
        /// The value given.
        found: i64,
    },
    /// The speech rate is not a number from 0.5 to 2.0.
    SpeedOutOfRange {
        /// The value given.
        found: f64,
    },
    /// A file address is not an `http://` or `https://` URL.
    NotHttpUrl {
        /// The value given.
        found: String,
    },
    /// A file address names a format 8x8 does not play.
    NotAudio {
        /// The extension found (without the dot).
        extension: String,
    },
    /// `maxDigits` is below `minDigits` (8x8 answers -1003).
    MaxBelowMin {
        /// `minDigits`.
        min_digits: u8,
        /// `maxDigits`.
        max_digits: u8,
    },
    /// `overallTimeout` does not exceed `digitTimeout` (8x8 answers -1006).
    OverallNotAfterDigit {
        /// `digitTimeout` in milliseconds.
        digit_timeout_ms: u32,
        /// `overallTimeout` in milliseconds.
        overall_timeout_ms: u32,
    },
    /// `validUntil` is not an ISO 8601 timestamp.
    NotTimestamp {
        /// The value given.
        found: String,
    },
    /// `validUntil` in milliseconds falls outside the years 0 to 9999.
    TimeOutOfRange {
        /// The value given, in Unix milliseconds.
        unix_ms: i64,
    },
    /// A callflow needs at least one action.
    NoAction,
}

impl BuildError {
    fn new(action: &'static str, field: &'static str, kind: BuildErrorKind) -> Self {
        BuildError {
            action,
            field,
            kind,
        }
    }

    /// The action the parameter belongs to (`makeCall`, `say`, …; `callflow` for the document).
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The parameter's wire name (`destination`, `maxDigits`, …).
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Why it was refused.
    pub fn kind(&self) -> &BuildErrorKind {
        &self.kind
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}: ", self.action, self.field)?;
        match &self.kind {
            BuildErrorKind::NotMsisdn { found } => write!(
                f,
                "expected an MSISDN (6 to 15 digits, not starting with 0, optional leading +), found {found:?}"
            ),
            BuildErrorKind::Empty => write!(f, "expected a non-empty text, found an empty one"),
            BuildErrorKind::TooLong { max, found } => write!(
                f,
                "expected at most {max} characters, found {found}; split the text over several say actions"
            ),
            BuildErrorKind::OutOfRange {
                min,
                max: Some(max),
                found,
            } => write!(
                f,
                "expected a whole number from {min} to {max}, found {found}"
            ),
            BuildErrorKind::OutOfRange {
                min,
                max: None,
                found,
            } => write!(
                f,
                "expected a whole number of at least {min}, found {found}"
            ),
            BuildErrorKind::SpeedOutOfRange { found } => write!(
                f,
                "expected a speech rate from {} to {}, found {found}",
                SPEED.0, SPEED.1
            ),
            BuildErrorKind::NotHttpUrl { found } => write!(
                f,
                "expected an http:// or https:// URL of an mp3 or wav file, found {found:?}"
            ),
            BuildErrorKind::NotAudio { extension } => write!(
                f,
                "expected an mp3 or wav file, found a .{extension} file; convert it first"
            ),
            BuildErrorKind::MaxBelowMin {
                min_digits,
                max_digits,
            } => write!(
                f,
                "expected maxDigits of at least minDigits ({min_digits}), found {max_digits}"
            ),
            BuildErrorKind::OverallNotAfterDigit {
                digit_timeout_ms,
                overall_timeout_ms,
            } => write!(
                f,
                "expected overallTimeout greater than digitTimeout ({digit_timeout_ms} ms), found {overall_timeout_ms} ms"
            ),
            BuildErrorKind::NotTimestamp { found } => write!(
                f,
                "expected an ISO 8601 timestamp such as 2024-07-03T05:59:32.226Z, found {found:?}"
            ),
            BuildErrorKind::TimeOutOfRange { unix_ms } => write!(
                f,
                "expected a time within the years 0 to 9999, found {unix_ms} ms since 1970"
            ),
            BuildErrorKind::NoAction => {
                write!(
                    f,
                    "expected at least one action, found none; add a hangup to end the call"
                )
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// Checks a whole number against `min..=max`.
fn in_range(
    action: &'static str,
    field: &'static str,
    value: i64,
    (min, max): (i64, Option<i64>),
) -> Result<(), BuildError> {
    if value >= min && max.is_none_or(|m| value <= m) {
        Ok(())
    } else {
        Err(BuildError::new(
            action,
            field,
            BuildErrorKind::OutOfRange {
                min,
                max,
                found: value,
            },
        ))
    }
}

/// Checks a text 8x8 speaks: not empty, at most [`MAX_TEXT_CHARS`] characters.
fn speech(action: &'static str, field: &'static str, text: &str) -> Result<String, BuildError> {
    let n = text.chars().count();
    if n == 0 {
        return Err(BuildError::new(action, field, BuildErrorKind::Empty));
    }
    if n > MAX_TEXT_CHARS {
        return Err(BuildError::new(
            action,
            field,
            BuildErrorKind::TooLong {
                max: MAX_TEXT_CHARS,
                found: n,
            },
        ));
    }
    Ok(text.to_owned())
}

fn msisdn(action: &'static str, field: &'static str, number: &str) -> Result<Msisdn, BuildError> {
    if is_msisdn(number) {
        Ok(Msisdn(number.to_owned()))
    } else {
        Err(BuildError::new(
            action,
            field,
            BuildErrorKind::NotMsisdn {
                found: number.to_owned(),
            },
        ))
    }
}

fn repetition(action: &'static str, times: u8) -> Result<Option<u8>, BuildError> {
    in_range(
        action,
        "repetition",
        i64::from(times),
        (REPETITION.0, Some(REPETITION.1)),
    )?;
    Ok(Some(times))
}

fn speed(action: &'static str, rate: f64) -> Result<Option<f64>, BuildError> {
    if (SPEED.0..=SPEED.1).contains(&rate) {
        Ok(Some(rate))
    } else {
        Err(BuildError::new(
            action,
            "speed",
            BuildErrorKind::SpeedOutOfRange { found: rate },
        ))
    }
}

/// A `makeCall` action: places a call from `source` to `destination`.
#[derive(Clone, Debug, PartialEq)]
pub struct MakeCall(MakeCallParams);

/// Shorthand for [`MakeCall::new`].
pub fn make_call(source: &str, destination: &str) -> Result<MakeCall, BuildError> {
    MakeCall::new(source, destination)
}

impl MakeCall {
    /// A call from `source` (a virtual number or whitelisted caller id) to `destination`,
    /// both MSISDNs with or without the leading `+`.
    pub fn new(source: &str, destination: &str) -> Result<Self, BuildError> {
        Ok(MakeCall(MakeCallParams {
            source: msisdn("makeCall", "source", source)?,
            destination: msisdn("makeCall", "destination", destination)?,
            call_recording: None,
        }))
    }

    /// Records the session (call recording must be set up on the account).
    pub fn call_recording(mut self, on: bool) -> Self {
        self.0.call_recording = Some(on);
        self
    }

    /// The parameters as they will be sent.
    pub fn params(&self) -> &MakeCallParams {
        &self.0
    }
}

/// A `say` action: speaks a text into the call.
#[derive(Clone, Debug, PartialEq)]
pub struct Say(SayParams);

impl Say {
    /// Speaks `text` (1 to 3000 characters) with `voice_profile` (e.g. `en-US-ZiraRUS`).
    pub fn new(text: &str, voice_profile: &str) -> Result<Self, BuildError> {
        Ok(Say(SayParams {
            text: speech("say", "text", text)?,
            voice_profile: speech("say", "voiceProfile", voice_profile)?,
            repetition: None,
            speed: None,
        }))
    }

    /// Speaks it 1 to 3 times.
    pub fn repetition(mut self, times: u8) -> Result<Self, BuildError> {
        self.0.repetition = repetition("say", times)?;
        Ok(self)
    }

    /// Speech rate from 0.5 to 2.0.
    pub fn speed(mut self, rate: f64) -> Result<Self, BuildError> {
        self.0.speed = speed("say", rate)?;
        Ok(self)
    }

    /// The parameters as they will be sent.
    pub fn params(&self) -> &SayParams {
        &self.0
    }
}

/// A `sayAndCapture` action: speaks a prompt and collects the digits the caller keys in.
#[derive(Clone, Debug, PartialEq)]
pub struct SayAndCapture(SayAndCaptureParams);

const CAPTURE: &str = "sayAndCapture";

impl SayAndCapture {
    /// Speaks `prompt` (1 to 3000 characters) with `voice_profile`, then collects digits with
    /// 8x8's defaults (see [`super::CAPTURE_DEFAULTS`]).
    pub fn new(prompt: &str, voice_profile: &str) -> Result<Self, BuildError> {
        Ok(SayAndCapture(SayAndCaptureParams {
            prompt_message: speech(CAPTURE, "promptMessage", prompt)?,
            success_message: None,
            failure_message: None,
            voice_profile: speech(CAPTURE, "voiceProfile", voice_profile)?,
            repetition: None,
            speed: None,
            complete_on_hash: None,
            min_digits: None,
            max_digits: None,
            digit_timeout: None,
            overall_timeout: None,
            no_of_tries: None,
        }))
    }

    /// Spoken after a valid input.
    pub fn success_message(mut self, text: &str) -> Result<Self, BuildError> {
        self.0.success_message = Some(speech(CAPTURE, "successMessage", text)?);
        Ok(self)
    }

    /// Spoken after a timeout or an input of the wrong length.
    pub fn failure_message(mut self, text: &str) -> Result<Self, BuildError> {
        self.0.failure_message = Some(speech(CAPTURE, "failureMessage", text)?);
        Ok(self)
    }

    /// Speaks the prompt 1 to 3 times.
    pub fn repetition(mut self, times: u8) -> Result<Self, BuildError> {
        self.0.repetition = repetition(CAPTURE, times)?;
        Ok(self)
    }

    /// Speech rate from 0.5 to 2.0.
    pub fn speed(mut self, rate: f64) -> Result<Self, BuildError> {
        self.0.speed = speed(CAPTURE, rate)?;
        Ok(self)
    }

    /// Accepts from `min` to `max` digits (1 ≤ min ≤ max ≤ 25).
    pub fn digits(mut self, min: u8, max: u8) -> Result<Self, BuildError> {
        let range = (DIGITS.0, Some(DIGITS.1));
        in_range(CAPTURE, "minDigits", i64::from(min), range)?;
        in_range(CAPTURE, "maxDigits", i64::from(max), range)?;
        if max < min {
            return Err(BuildError::new(
                CAPTURE,
                "maxDigits",
                BuildErrorKind::MaxBelowMin {
                    min_digits: min,
                    max_digits: max,
                },
            ));
        }
        self.0.min_digits = Some(min);
        self.0.max_digits = Some(max);
        Ok(self)
    }

    /// Accepts at most `max` digits (1 to 25, not below a `minDigits` set earlier).
    pub fn max_digits(mut self, max: u8) -> Result<Self, BuildError> {
        in_range(
            CAPTURE,
            "maxDigits",
            i64::from(max),
            (DIGITS.0, Some(DIGITS.1)),
        )?;
        if let Some(min) = self.0.min_digits.filter(|&min| max < min) {
            return Err(BuildError::new(
                CAPTURE,
                "maxDigits",
                BuildErrorKind::MaxBelowMin {
                    min_digits: min,
                    max_digits: max,
                },
            ));
        }
        self.0.max_digits = Some(max);
        Ok(self)
    }

    /// Ends the input once `max` digits are keyed (`completeOnHash` false with `maxDigits`,
    /// which 8x8 requires together).
    pub fn end_at_max_digits(self, max: u8) -> Result<Self, BuildError> {
        let mut s = self.max_digits(max)?;
        s.0.complete_on_hash = Some(false);
        Ok(s)
    }

    /// Ends the input when the caller keys `#` (8x8's default).
    pub fn end_on_hash(mut self) -> Self {
        self.0.complete_on_hash = Some(true);
        self
    }

    /// Waits at most `digit_ms` between two digits and `overall_ms` for the whole input
    /// (both in milliseconds, `overall_ms` greater than `digit_ms`).
    pub fn timeouts(mut self, digit_ms: u32, overall_ms: u32) -> Result<Self, BuildError> {
        in_range(CAPTURE, "digitTimeout", i64::from(digit_ms), (1, None))?;
        in_range(CAPTURE, "overallTimeout", i64::from(overall_ms), (1, None))?;
        if overall_ms <= digit_ms {
            return Err(BuildError::new(
                CAPTURE,
                "overallTimeout",
                BuildErrorKind::OverallNotAfterDigit {
                    digit_timeout_ms: digit_ms,
                    overall_timeout_ms: overall_ms,
                },
            ));
        }
        self.0.digit_timeout = Some(digit_ms);
        self.0.overall_timeout = Some(overall_ms);
        Ok(self)
    }

    /// Waits at most `overall_ms` milliseconds for the whole input (more than a digit timeout
    /// set earlier).
    pub fn overall_timeout(mut self, overall_ms: u32) -> Result<Self, BuildError> {
        in_range(CAPTURE, "overallTimeout", i64::from(overall_ms), (1, None))?;
        if let Some(digit) = self.0.digit_timeout.filter(|&d| overall_ms <= d) {
            return Err(BuildError::new(
                CAPTURE,
                "overallTimeout",
                BuildErrorKind::OverallNotAfterDigit {
                    digit_timeout_ms: digit,
                    overall_timeout_ms: overall_ms,
                },
            ));
        }
        self.0.overall_timeout = Some(overall_ms);
        Ok(self)
    }

    /// Plays the prompt again up to `tries` times in all after a failed input (at least 1).
    pub fn tries(mut self, tries: u32) -> Result<Self, BuildError> {
        in_range(CAPTURE, "noOfTries", i64::from(tries), (1, None))?;
        self.0.no_of_tries = Some(tries);
        Ok(self)
    }

    /// The parameters as they will be sent.
    pub fn params(&self) -> &SayAndCaptureParams {
        &self.0
    }
}

/// A `playFile` action: plays an mp3 or wav file into the call.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayFile(PlayFileParams);

impl PlayFile {
    /// Plays the file at `url`: an `http://` or `https://` address of an mp3 or wav file
    /// (an address without an extension is accepted; one ending in another extension is not).
    pub fn new(url: &str) -> Result<Self, BuildError> {
        if !is_http_url(url) {
            return Err(BuildError::new(
                "playFile",
                "fileUrl",
                BuildErrorKind::NotHttpUrl {
                    found: url.to_owned(),
                },
            ));
        }
        if let Some(extension) =
            url_extension(url).filter(|e| !AUDIO_EXTENSIONS.contains(&e.as_str()))
        {
            return Err(BuildError::new(
                "playFile",
                "fileUrl",
                BuildErrorKind::NotAudio { extension },
            ));
        }
        Ok(PlayFile(PlayFileParams {
            file_url: HttpUrl(url.to_owned()),
            repetition: None,
        }))
    }

    /// Plays it 1 to 3 times.
    pub fn repetition(mut self, times: u8) -> Result<Self, BuildError> {
        self.0.repetition = repetition("playFile", times)?;
        Ok(self)
    }

    /// The parameters as they will be sent.
    pub fn params(&self) -> &PlayFileParams {
        &self.0
    }
}

/// No call placed yet (a reply to a Voice Call Action starts here).
#[derive(Clone, Copy, Debug)]
pub struct NoCall;
/// One `makeCall` so far.
#[derive(Clone, Copy, Debug)]
pub struct OneCall;
/// Two `makeCall`s: the most one callflow may hold, so no further `make_call`.
#[derive(Clone, Copy, Debug)]
pub struct TwoCalls;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::NoCall {}
    impl Sealed for super::OneCall {}
}

/// A call count that allows one more `makeCall`; `Next` is the count after it.
pub trait MoreCalls: sealed::Sealed {
    /// The count after one more `makeCall`.
    type Next;
}

impl MoreCalls for NoCall {
    type Next = OneCall;
}

impl MoreCalls for OneCall {
    type Next = TwoCalls;
}

/// Builds the body of the Send Callflow API. `C` counts the `makeCall`s so far.
///
/// Two calls are fine (the second is bridged to the first):
///
/// ```
/// use voicehook::callflow::{CallflowBuilder, make_call};
///
/// let call = || make_call("6512345678", "6587654321").unwrap();
/// let flow = CallflowBuilder::send(call()).make_call(call()).build();
/// assert_eq!(flow.callflow.len(), 2);
/// ```
///
/// A third does not compile (8x8 would answer -1010):
///
/// ```compile_fail,E0599
/// use voicehook::callflow::{CallflowBuilder, make_call};
///
/// let call = || make_call("6512345678", "6587654321").unwrap();
/// CallflowBuilder::send(call()).make_call(call()).make_call(call());
/// ```
///
/// Nor does an action after `hangup` (8x8 would answer -1012):
///
/// ```compile_fail,E0599
/// use voicehook::callflow::{CallflowBuilder, Say, make_call};
///
/// let call = make_call("6512345678", "6587654321").unwrap();
/// CallflowBuilder::send(call).hangup().say(Say::new("bye", "en-US-ZiraRUS").unwrap());
/// ```
///
/// Nor a Send Callflow that starts with anything but a `makeCall` (8x8 would answer -1013):
///
/// ```compile_fail,E0308
/// use voicehook::callflow::{CallflowBuilder, Say};
///
/// CallflowBuilder::send(Say::new("hello", "en-US-ZiraRUS").unwrap());
/// ```
#[derive(Clone, Debug)]
pub struct CallflowBuilder<C = OneCall> {
    valid_until: Option<Timestamp>,
    actions: Vec<Action>,
    calls: PhantomData<C>,
}

impl CallflowBuilder<OneCall> {
    /// Starts a callflow with the call it places first (a Send Callflow must start with one).
    pub fn send(first: MakeCall) -> Self {
        CallflowBuilder {
            valid_until: None,
            actions: vec![Action::MakeCall { params: first.0 }],
            calls: PhantomData,
        }
    }
}

impl<C> CallflowBuilder<C> {
    fn then(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }

    fn recount<N>(self) -> CallflowBuilder<N> {
        CallflowBuilder {
            valid_until: self.valid_until,
            actions: self.actions,
            calls: PhantomData,
        }
    }

    /// 8x8 refuses the request (-1015) once this time has passed. It must still be in the
    /// future when the request arrives; only the form is checked here.
    pub fn valid_until(mut self, timestamp: &str) -> Result<Self, BuildError> {
        if timestamp_millis(timestamp).is_none() {
            return Err(BuildError::new(
                "callflow",
                "validUntil",
                BuildErrorKind::NotTimestamp {
                    found: timestamp.to_owned(),
                },
            ));
        }
        self.valid_until = Some(Timestamp(timestamp.to_owned()));
        Ok(self)
    }

    /// [`valid_until`](Self::valid_until) from Unix milliseconds, written as 8x8 writes it
    /// (`2024-07-03T05:59:32.226Z`).
    pub fn valid_until_ms(mut self, unix_ms: i64) -> Result<Self, BuildError> {
        let text = format_millis(unix_ms).ok_or_else(|| {
            BuildError::new(
                "callflow",
                "validUntil",
                BuildErrorKind::TimeOutOfRange { unix_ms },
            )
        })?;
        self.valid_until = Some(Timestamp(text));
        Ok(self)
    }

    /// Speaks a text.
    pub fn say(self, say: Say) -> Self {
        self.then(Action::Say { params: say.0 })
    }

    /// Speaks a prompt and collects digits.
    pub fn say_and_capture(self, capture: SayAndCapture) -> Self {
        self.then(Action::SayAndCapture { params: capture.0 })
    }

    /// Plays an audio file.
    pub fn play_file(self, file: PlayFile) -> Self {
        self.then(Action::PlayFile { params: file.0 })
    }

    /// Ends the session: the last action, so it finishes the document.
    pub fn hangup(self) -> Callflow {
        self.then(Action::Hangup).build()
    }

    /// The document, without a final hangup.
    pub fn build(self) -> Callflow {
        Callflow {
            valid_until: self.valid_until,
            callflow: self.actions,
        }
    }
}

impl<C: MoreCalls> CallflowBuilder<C> {
    /// Places a second call, bridged to the first once answered.
    pub fn make_call(self, call: MakeCall) -> CallflowBuilder<C::Next> {
        self.then(Action::MakeCall { params: call.0 }).recount()
    }
}

/// Builds the callflow returned to a Voice Call Action webhook. `C` counts the `makeCall`s.
#[derive(Clone, Debug)]
pub struct VcaReplyBuilder<C = NoCall> {
    client_action_id: Option<String>,
    actions: Vec<Action>,
    calls: PhantomData<C>,
}

impl VcaReplyBuilder<NoCall> {
    /// An empty reply; add at least one action.
    pub fn new() -> Self {
        VcaReplyBuilder {
            client_action_id: None,
            actions: Vec::new(),
            calls: PhantomData,
        }
    }
}

impl Default for VcaReplyBuilder<NoCall> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C> VcaReplyBuilder<C> {
    fn then(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }

    /// A label sent back in the next Voice Call Action webhook (e.g. which menu was played).
    pub fn client_action_id(mut self, id: &str) -> Self {
        self.client_action_id = Some(id.to_owned());
        self
    }

    /// Speaks a text.
    pub fn say(self, say: Say) -> Self {
        self.then(Action::Say { params: say.0 })
    }

    /// Speaks a prompt and collects digits.
    pub fn say_and_capture(self, capture: SayAndCapture) -> Self {
        self.then(Action::SayAndCapture { params: capture.0 })
    }

    /// Plays an audio file.
    pub fn play_file(self, file: PlayFile) -> Self {
        self.then(Action::PlayFile { params: file.0 })
    }

    /// Ends the session: the last action, so it finishes the document.
    pub fn hangup(self) -> VcaReply {
        let VcaReplyBuilder {
            client_action_id,
            mut actions,
            ..
        } = self;
        actions.push(Action::Hangup);
        VcaReply {
            client_action_id,
            callflow: actions,
        }
    }

    /// The document, without a final hangup; refused when it holds no action.
    pub fn build(self) -> Result<VcaReply, BuildError> {
        if self.actions.is_empty() {
            return Err(BuildError::new(
                "callflow",
                "callflow",
                BuildErrorKind::NoAction,
            ));
        }
        Ok(VcaReply {
            client_action_id: self.client_action_id,
            callflow: self.actions,
        })
    }
}

impl<C: MoreCalls> VcaReplyBuilder<C> {
    /// Places a call (the second one is bridged to the first once answered).
    pub fn make_call(self, call: MakeCall) -> VcaReplyBuilder<C::Next> {
        let s = self.then(Action::MakeCall { params: call.0 });
        VcaReplyBuilder {
            client_action_id: s.client_action_id,
            actions: s.actions,
            calls: PhantomData,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::rules::Ctx;
    use crate::{Kind, Options};

    const NOW: i64 = 1_719_792_000_000;

    /// `(predicted status, predicted session error, everything reported)` for `doc`.
    fn verdict(kind: Kind, doc: &Value) -> (Option<i32>, Option<i32>, Vec<String>) {
        let options = Options {
            now: Some(NOW),
            ..Options::default()
        };
        let tape = crate::parse::Doc::from_value(doc);
        let mut ctx = Ctx::new(kind, tape.root(), &options);
        crate::callflow::check(&mut ctx);
        let found = ctx
            .found()
            .into_iter()
            .map(|(p, e, r)| format!("{p} {e} {r}"))
            .collect();
        (ctx.predicted().0, ctx.predicted().1, found)
    }

    fn clean_send(flow: &Callflow) {
        let doc = serde_json::to_value(flow).unwrap();
        assert_eq!(
            verdict(Kind::Callflow, &doc),
            (Some(1), None, vec![]),
            "{doc}"
        );
    }

    fn clean_reply(reply: &VcaReply) {
        let doc = serde_json::to_value(reply).unwrap();
        assert_eq!(verdict(Kind::VcaReply, &doc), (None, None, vec![]), "{doc}");
    }

    #[test]
    fn serializes_the_json_8x8_expects() {
        let flow = CallflowBuilder::send(make_call("6512345678", "6590000000").unwrap())
            .valid_until_ms(1_719_986_372_226)
            .unwrap()
            .say(
                Say::new("Hi, This is a test message from 8x8", "en-GB-Emma")
                    .unwrap()
                    .repetition(1)
                    .unwrap()
                    .speed(1.5)
                    .unwrap(),
            )
            .hangup();
        assert_eq!(
            serde_json::to_value(&flow).unwrap(),
            json!({
                "validUntil": "2024-07-03T05:59:32.226Z",
                "callflow": [
                    {"action": "makeCall", "params": {"source": "6512345678", "destination": "6590000000"}},
                    {"action": "say", "params": {"text": "Hi, This is a test message from 8x8", "voiceProfile": "en-GB-Emma", "repetition": 1, "speed": 1.5}},
                    {"action": "hangup"}
                ]
            })
        );
        clean_send(&flow);

        let reply = VcaReplyBuilder::new()
            .client_action_id("ivr1_level2")
            .say_and_capture(
                SayAndCapture::new("Enter 1 if you would like to talk", "en-US-BenjaminRUS")
                    .unwrap()
                    .success_message("Thank you, have a nice day!")
                    .unwrap()
                    .failure_message("Invalid input received.")
                    .unwrap()
                    .digits(2, 2)
                    .unwrap()
                    .end_at_max_digits(2)
                    .unwrap()
                    .timeouts(5_000, 10_000)
                    .unwrap()
                    .tries(3)
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&reply).unwrap(),
            json!({
                "clientActionId": "ivr1_level2",
                "callflow": [{"action": "sayAndCapture", "params": {
                    "promptMessage": "Enter 1 if you would like to talk",
                    "successMessage": "Thank you, have a nice day!",
                    "failureMessage": "Invalid input received.",
                    "voiceProfile": "en-US-BenjaminRUS",
                    "completeOnHash": false,
                    "minDigits": 2,
                    "maxDigits": 2,
                    "digitTimeout": 5000,
                    "overallTimeout": 10000,
                    "noOfTries": 3
                }}]
            })
        );
        clean_reply(&reply);
        // And the typed model reads it back.
        let text = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<VcaReply>(&text).unwrap(), reply);
    }

    #[test]
    fn order_rules_hold_by_construction() {
        let two = CallflowBuilder::send(make_call("6512345678", "6587654321").unwrap())
            .say(Say::new("Connecting you", "en-US-ZiraRUS").unwrap())
            .make_call(make_call("6512345678", "6591234567").unwrap())
            .play_file(PlayFile::new("https://x.test/hold.mp3").unwrap())
            .build();
        clean_send(&two);
        let reply = VcaReplyBuilder::new()
            .make_call(make_call("6512345678", "6587654321").unwrap())
            .make_call(make_call("6512345678", "6591234567").unwrap())
            .hangup();
        clean_reply(&reply);
        clean_reply(&VcaReplyBuilder::new().hangup());
        let empty = VcaReplyBuilder::default().client_action_id("x").build();
        assert_eq!(empty.unwrap_err().kind(), &BuildErrorKind::NoAction);
    }

    #[test]
    fn refusals_say_what_was_expected_and_found() {
        let cases: Vec<(Result<(), BuildError>, &str)> = vec![
            (
                make_call("6512345678", "abc").map(drop),
                "makeCall.destination: expected an MSISDN (6 to 15 digits, not starting with 0, optional leading +), found \"abc\"",
            ),
            (
                Say::new("", "v").map(drop),
                "say.text: expected a non-empty text, found an empty one",
            ),
            (
                Say::new(&"x".repeat(3001), "v").map(drop),
                "say.text: expected at most 3000 characters, found 3001; split the text over several say actions",
            ),
            (
                Say::new("hi", "v").unwrap().repetition(4).map(drop),
                "say.repetition: expected a whole number from 1 to 3, found 4",
            ),
            (
                Say::new("hi", "v").unwrap().speed(f64::NAN).map(drop),
                "say.speed: expected a speech rate from 0.5 to 2, found NaN",
            ),
            (
                PlayFile::new("ftp://x.test/a.mp3").map(drop),
                "playFile.fileUrl: expected an http:// or https:// URL of an mp3 or wav file, found \"ftp://x.test/a.mp3\"",
            ),
            (
                PlayFile::new("https://x.test/a.ogg").map(drop),
                "playFile.fileUrl: expected an mp3 or wav file, found a .ogg file; convert it first",
            ),
            (
                SayAndCapture::new("p", "v").unwrap().digits(3, 2).map(drop),
                "sayAndCapture.maxDigits: expected maxDigits of at least minDigits (3), found 2",
            ),
            (
                SayAndCapture::new("p", "v")
                    .unwrap()
                    .max_digits(26)
                    .map(drop),
                "sayAndCapture.maxDigits: expected a whole number from 1 to 25, found 26",
            ),
            (
                SayAndCapture::new("p", "v")
                    .unwrap()
                    .timeouts(10_000, 10_000)
                    .map(drop),
                "sayAndCapture.overallTimeout: expected overallTimeout greater than digitTimeout (10000 ms), found 10000 ms",
            ),
            (
                SayAndCapture::new("p", "v").unwrap().tries(0).map(drop),
                "sayAndCapture.noOfTries: expected a whole number of at least 1, found 0",
            ),
            (
                CallflowBuilder::send(make_call("6512345678", "6587654321").unwrap())
                    .valid_until("<utc_timestamp>")
                    .map(drop),
                "callflow.validUntil: expected an ISO 8601 timestamp such as 2024-07-03T05:59:32.226Z, found \"<utc_timestamp>\"",
            ),
            (
                CallflowBuilder::send(make_call("6512345678", "6587654321").unwrap())
                    .valid_until_ms(i64::MAX)
                    .map(drop),
                "callflow.validUntil: expected a time within the years 0 to 9999, found 9223372036854775807 ms since 1970",
            ),
        ];
        for (result, message) in cases {
            assert_eq!(result.unwrap_err().to_string(), message);
        }
        let e = make_call("abc", "6587654321").unwrap_err();
        assert_eq!((e.action(), e.field()), ("makeCall", "source"));
    }

    /// A small deterministic generator (xorshift), so the property test needs no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[(self.next() % items.len() as u64) as usize]
        }

        fn chance(&mut self) -> bool {
            self.next().is_multiple_of(2)
        }
    }

    const NUMBERS: [&str; 8] = [
        "6512345678",
        "+6587654321",
        "123456",
        "+123456789012345",
        "abc",
        "0651234567",
        "12345",
        "+1234567890123456",
    ];
    const URLS: [&str; 7] = [
        "https://x.test/a.mp3",
        "http://x.test/b.WAV?x=1",
        "https://x.test/stream",
        "ftp://x.test/a.mp3",
        "x.test/a.mp3",
        "https://x.test/a.ogg",
        "https:///a.mp3",
    ];
    const SPEEDS: [f64; 8] = [0.5, 1.0, 1.5, 2.0, 0.49, 2.01, f64::NAN, -1.0];

    fn text(rng: &mut Rng) -> String {
        "x".repeat(rng.pick(&[0, 1, 17, 2999, 3000, 3001]))
    }

    /// A `say` from random inputs: the builder's verdict and, when it accepted, the action.
    fn random_say(rng: &mut Rng) -> Option<Say> {
        let mut s = Say::new(&text(rng), "en-US-ZiraRUS").ok()?;
        if rng.chance() {
            s = s.repetition(rng.pick(&[0, 1, 2, 3, 4, 255])).ok()?;
        }
        if rng.chance() {
            s = s.speed(rng.pick(&SPEEDS)).ok()?;
        }
        Some(s)
    }

    fn random_capture(rng: &mut Rng) -> Option<SayAndCapture> {
        let mut s = SayAndCapture::new(&text(rng), "en-US-BenjaminRUS").ok()?;
        let digits = [0, 1, 2, 5, 25, 26];
        for _ in 0..rng.pick(&[0, 1, 3, 6]) {
            s = match rng.next() % 10 {
                0 => s.digits(rng.pick(&digits), rng.pick(&digits)),
                1 => s.max_digits(rng.pick(&digits)),
                2 => s.end_at_max_digits(rng.pick(&digits)),
                3 => Ok(s.end_on_hash()),
                4 => s.timeouts(
                    rng.pick(&[0, 1, 5_000, 10_000]),
                    rng.pick(&[0, 1, 5_000, 10_000, 30_000]),
                ),
                5 => s.overall_timeout(rng.pick(&[0, 1, 5_000, 30_000])),
                6 => s.tries(rng.pick(&[0, 1, 3])),
                7 => s.repetition(rng.pick(&[0, 1, 3, 4])),
                8 => s.speed(rng.pick(&SPEEDS)),
                _ => s
                    .success_message(&text(rng))
                    .and_then(|s| s.failure_message("Try again")),
            }
            .ok()?;
        }
        Some(s)
    }

    fn random_file(rng: &mut Rng) -> Option<PlayFile> {
        let f = PlayFile::new(rng.pick(&URLS)).ok()?;
        if rng.chance() {
            f.repetition(rng.pick(&[0, 1, 3, 4])).ok()
        } else {
            Some(f)
        }
    }

    fn random_call(rng: &mut Rng) -> Option<MakeCall> {
        let c = make_call(rng.pick(&NUMBERS), rng.pick(&NUMBERS)).ok()?;
        Some(if rng.chance() {
            c.call_recording(rng.chance())
        } else {
            c
        })
    }

    /// Send Callflow builders at each call count, so random programs can take any path.
    enum Send {
        One(CallflowBuilder<OneCall>),
        Two(CallflowBuilder<TwoCalls>),
    }

    enum Reply {
        Zero(VcaReplyBuilder<NoCall>),
        One(VcaReplyBuilder<OneCall>),
        Two(VcaReplyBuilder<TwoCalls>),
    }

    macro_rules! step {
        ($b:expr, $rng:expr) => {
            match $rng.next() % 3 {
                0 => match random_say($rng) {
                    Some(s) => $b.say(s),
                    None => $b,
                },
                1 => match random_capture($rng) {
                    Some(s) => $b.say_and_capture(s),
                    None => $b,
                },
                _ => match random_file($rng) {
                    Some(f) => $b.play_file(f),
                    None => $b,
                },
            }
        };
    }

    /// Whatever the builder builds, from whatever inputs, the checker accepts without a word.
    #[test]
    fn everything_built_passes_the_checker() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut sends, mut replies, mut captures) = (0, 0, 0);
        for _ in 0..20_000 {
            if let Some(first) = random_call(&mut rng) {
                let mut b = Send::One(CallflowBuilder::send(first));
                if rng.chance() {
                    let ms = rng.pick(&[NOW, NOW + 1, 253_402_300_799_999, i64::MAX]);
                    b = match b {
                        Send::One(x) => Send::One(x.valid_until_ms(ms).unwrap_or_else(|e| {
                            assert_eq!(e.field(), "validUntil");
                            CallflowBuilder::send(make_call("6512345678", "6587654321").unwrap())
                        })),
                        two => two,
                    };
                }
                for _ in 0..rng.pick(&[0, 1, 2, 5]) {
                    b = match (b, rng.next() % 4) {
                        (Send::One(x), 0) => match random_call(&mut rng) {
                            Some(c) => Send::Two(x.make_call(c)),
                            None => Send::One(x),
                        },
                        (Send::One(x), _) => Send::One(step!(x, &mut rng)),
                        (Send::Two(x), _) => Send::Two(step!(x, &mut rng)),
                    };
                }
                let hang = rng.chance();
                let flow = match b {
                    Send::One(x) if hang => x.hangup(),
                    Send::One(x) => x.build(),
                    Send::Two(x) if hang => x.hangup(),
                    Send::Two(x) => x.build(),
                };
                captures += flow
                    .callflow
                    .iter()
                    .filter(|a| matches!(a, Action::SayAndCapture { .. }))
                    .count();
                clean_send(&flow);
                sends += 1;
            }

            let mut r = Reply::Zero(VcaReplyBuilder::new());
            if rng.chance() {
                r = match r {
                    Reply::Zero(x) => Reply::Zero(x.client_action_id("menu-1")),
                    other => other,
                };
            }
            for _ in 0..rng.pick(&[0, 1, 2, 5]) {
                r = match (r, rng.next() % 4) {
                    (Reply::Zero(x), 0) => match random_call(&mut rng) {
                        Some(c) => Reply::One(x.make_call(c)),
                        None => Reply::Zero(x),
                    },
                    (Reply::One(x), 0) => match random_call(&mut rng) {
                        Some(c) => Reply::Two(x.make_call(c)),
                        None => Reply::One(x),
                    },
                    (Reply::Zero(x), _) => Reply::Zero(step!(x, &mut rng)),
                    (Reply::One(x), _) => Reply::One(step!(x, &mut rng)),
                    (Reply::Two(x), _) => Reply::Two(step!(x, &mut rng)),
                };
            }
            let hang = rng.chance();
            let reply = match r {
                Reply::Zero(x) if hang => Ok(x.hangup()),
                Reply::Zero(x) => x.build(),
                Reply::One(x) if hang => Ok(x.hangup()),
                Reply::One(x) => x.build(),
                Reply::Two(x) if hang => Ok(x.hangup()),
                Reply::Two(x) => x.build(),
            };
            match reply {
                Ok(reply) => clean_reply(&reply),
                Err(e) => assert_eq!(e.kind(), &BuildErrorKind::NoAction),
            }
            replies += 1;
        }
        assert!(
            sends > 4_000 && replies == 20_000 && captures > 600,
            "{sends} {replies} {captures}"
        );
        eprintln!("{sends} callflows ({captures} sayAndCapture) and {replies} replies checked");
    }

    /// Where the builder and the checker judge the same raw value, they agree both ways
    /// (the builder is stricter only about file extensions, which the checker warns about).
    #[test]
    fn builder_and_checker_agree_on_every_value() {
        let send = |action: Value| {
            let doc = json!({"callflow": [
                {"action": "makeCall", "params": {"source": "6512345678", "destination": "6587654321"}},
                action
            ]});
            verdict(Kind::Callflow, &doc).0 == Some(1)
        };
        for n in NUMBERS {
            let checker =
                send(json!({"action": "makeCall", "params": {"source": n, "destination": n}}));
            assert_eq!(make_call(n, n).is_ok(), checker, "{n}");
        }
        for len in [0, 1, 3000, 3001] {
            let t = "x".repeat(len);
            assert_eq!(
                Say::new(&t, "v").is_ok(),
                send(json!({"action": "say", "params": {"text": t, "voiceProfile": "v"}})),
                "{len}"
            );
        }
        for r in 0..=5u8 {
            let ok = send(
                json!({"action": "playFile", "params": {"fileUrl": "https://x.test/a.mp3", "repetition": r}}),
            );
            assert_eq!(
                PlayFile::new("https://x.test/a.mp3")
                    .unwrap()
                    .repetition(r)
                    .is_ok(),
                ok
            );
        }
        for s in [0.0, 0.49, 0.5, 1.0, 2.0, 2.01, 3.0] {
            let ok = send(
                json!({"action": "say", "params": {"text": "t", "voiceProfile": "v", "speed": s}}),
            );
            assert_eq!(Say::new("t", "v").unwrap().speed(s).is_ok(), ok, "{s}");
        }
        for url in URLS.iter().filter(|u| !u.ends_with(".ogg")) {
            let ok = send(json!({"action": "playFile", "params": {"fileUrl": url}}));
            assert_eq!(PlayFile::new(url).is_ok(), ok, "{url}");
        }
        for min in 0..=26u8 {
            for max in 0..=26u8 {
                let ok = send(json!({"action": "sayAndCapture", "params": {
                    "promptMessage": "p", "voiceProfile": "v", "minDigits": min, "maxDigits": max}}));
                let built = SayAndCapture::new("p", "v")
                    .unwrap()
                    .digits(min, max)
                    .is_ok();
                assert_eq!(built, ok, "{min} {max}");
            }
        }
        for digit in [0, 1, 9_999, 10_000, 10_001] {
            for overall in [0, 1, 9_999, 10_000, 10_001] {
                let doc = json!({"callflow": [
                    {"action": "makeCall", "params": {"source": "6512345678", "destination": "6587654321"}},
                    {"action": "sayAndCapture", "params": {"promptMessage": "p", "voiceProfile": "v", "digitTimeout": digit, "overallTimeout": overall}}
                ]});
                let (status, _, found) = verdict(Kind::Callflow, &doc);
                // The builder also refuses equal timeouts, which the checker only warns about.
                let clean = status == Some(1) && found.is_empty();
                let built = SayAndCapture::new("p", "v")
                    .unwrap()
                    .timeouts(digit, overall)
                    .is_ok();
                assert_eq!(built, clean, "{digit} {overall}");
            }
        }
    }
}
