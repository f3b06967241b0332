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
