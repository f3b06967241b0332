//! Callflows: the checker that predicts 8x8's answer, and a builder that cannot build what the
//! checker rejects.
//!
//! A callflow is the ordered list of actions (`makeCall`, `say`, `sayAndCapture`, `playFile`,
//! `hangup`) a developer sends to 8x8, either as the body of the Send Callflow API (kind
//! `callflow`) or as the answer to a Voice Call Action webhook (kind `vca-reply`).
//!
//! # The checker
//!
//! Validation runs the callflow rules after the schema. Each broken rule is an error whose id
//! starts with `callflow.` and whose message names the code 8x8 documents for it:
//!
//! | rule id | code | fires when |
//! |---|---|---|
//! | `callflow.body` | -1001 | the body is not a JSON object |
//! | `callflow.valid-until` | -1015 | `validUntil` is in the past (-1009 when it is not a timestamp) |
//! | `callflow.first-action` | -1013 | a Send Callflow starts with a documented action other than `makeCall` |
//! | `callflow.unknown-action` | -1007 | `action` is not one of the five documented names |
//! | `callflow.destination` | -1017 | a `makeCall` destination is a string but not an MSISDN |
//! | `callflow.digits` | -1003 | `minDigits` is given without a valid `maxDigits` (1 to 25, not below `minDigits`) |
//! | `callflow.digits` | -1008 | `completeOnHash` is false without a valid `maxDigits` |
//! | `callflow.timeouts` | -1005 | `digitTimeout` is given without a valid `overallTimeout` |
//! | `callflow.timeouts` | -1006 | `overallTimeout` is below `digitTimeout` (equal values warn, see below) |
//! | `callflow.too-many` | -1010 | a third (or later) `makeCall` |
//! | `callflow.hangup-position` | -1012 | a `hangup` that is not the last action |
//! | `callflow.param` | -1009 | a required parameter is missing, or a parameter has the wrong type or range |
//!
//! Warnings: `callflow.timeouts` when `overallTimeout` equals `digitTimeout` (both pages ask
//! for it to be greater, yet every sayAndCapture example they print uses 10000 for both, so
//! the equal case is taken as accepted), `callflow.file-type` when a `playFile` URL ends in an
//! extension other than `.mp3` or `.wav` (8x8 only finds out when it downloads the file).
//!
//! ## Which code is predicted
//!
//! For kind `callflow` the report's `predictedStatusCode` is 1 when nothing fires. Otherwise
//! the most specific code wins, by this ranked list ([`PRECEDENCE`]):
//!
//! 1. -1001, the body is not an object;
//! 2. -1015, `validUntil` has passed;
//! 3. -1013, the first action is not `makeCall`;
//! 4. the specific per-action codes -1007, -1017, -1003, -1008, -1005, -1006, -1010, -1012:
//!    the one on the **earliest action** wins; on the same action, in this order;
//! 5. -1009, the generic "invalid callflow entry", again the earliest first.
//!
//! A schema error the callflow rules do not explain counts as -1009 where it points.
//!
//! For kind `vca-reply` there is no status code (8x8 reads the reply while the call runs and
//! ends the session instead): `predictedSessionErrorCode` is -2003 ("the call flow provided is
//! invalid") when the reply has any error, and the first action may be anything.
//!
//! # The builder
//!
//! [`CallflowBuilder`] and [`VcaReplyBuilder`] assemble the typed models of
//! [`crate::models::callflow`]. Every parameter is checked when its action is constructed
//! ([`make_call`], [`Say::new`], [`SayAndCapture::new`], [`PlayFile::new`]), and the order rules
//! are in the types: a Send Callflow starts from a `makeCall`, a third `makeCall` has no
//! method to call, and `hangup` finishes the document so nothing can follow it.
//!
//! ```
//! use voicehook::callflow::{CallflowBuilder, Say, make_call};
//!
//! let flow = CallflowBuilder::send(make_call("+6588000000", "+6590000000")?)
//!     .say(Say::new("Your table is ready.", "en-US-ZiraRUS")?.repetition(2)?)
//!     .hangup();
//! let json = serde_json::to_value(&flow).unwrap();
//! assert_eq!(json["callflow"][0]["action"], "makeCall");
//! assert_eq!(json["callflow"][2], serde_json::json!({"action": "hangup"}));
//! # Ok::<(), voicehook::callflow::BuildError>(())
//! ```

mod builder;
mod check;

pub use builder::{
    BuildError, BuildErrorKind, CallflowBuilder, MakeCall, MoreCalls, NoCall, OneCall, PlayFile,
    Say, SayAndCapture, TwoCalls, VcaReplyBuilder, make_call,
};
pub(crate) use check::check;

pub use crate::predict::PRECEDENCE;

/// Most characters of a text 8x8 turns into speech (`say.text`, `sayAndCapture.promptMessage`).
pub const MAX_TEXT_CHARS: usize = 3000;
/// Fewest and most times a `say` or `playFile` is repeated.
pub const REPETITION: (i64, i64) = (1, 3);
/// Slowest and fastest speech rate.
pub const SPEED: (f64, f64) = (0.5, 2.0);
/// Fewest and most digits `sayAndCapture` accepts for `maxDigits` (and `minDigits`).
pub const DIGITS: (i64, i64) = (1, 25);
/// Most `makeCall` actions in one callflow (8x8 bridges two calls, it does not conference).
pub const MAX_MAKE_CALLS: usize = 2;
/// Audio formats `playFile` plays.
pub const AUDIO_EXTENSIONS: [&str; 2] = ["mp3", "wav"];

/// What 8x8 uses for a `sayAndCapture` setting that is left out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CaptureDefaults {
    /// `completeOnHash`: `#` ends the input.
    pub complete_on_hash: bool,
    /// `maxDigits`.
    pub max_digits: u8,
    /// `overallTimeout`, in milliseconds.
    pub overall_timeout_ms: u32,
    /// `noOfTries`.
    pub no_of_tries: u32,
    /// `speed`.
    pub speed: f64,
}

/// The defaults voicehook states for `sayAndCapture`: the IVR call-action page's.
///
/// The API reference gives other figures ([`OPENAPI_CAPTURE_DEFAULTS`]; reference
/// contradiction 10). The IVR page is the one that describes the behaviour in prose, and its
/// figures agree with its own limits (25 is the largest `maxDigits` it allows), so a decoder
/// states these and mentions the other set.
pub const CAPTURE_DEFAULTS: CaptureDefaults = CaptureDefaults {
    complete_on_hash: true,
    max_digits: 25,
    overall_timeout_ms: 30_000,
    no_of_tries: 3,
    speed: 1.0,
};

/// The `sayAndCapture` defaults as the Send Callflow API reference lists them.
pub const OPENAPI_CAPTURE_DEFAULTS: CaptureDefaults = CaptureDefaults {
    complete_on_hash: true,
    max_digits: 1,
    overall_timeout_ms: 5_000,
    no_of_tries: 1,
    speed: 1.0,
};

/// True for an MSISDN as 8x8 takes it: an optional `+`, then 6 to 15 digits not starting with 0
/// (the same test as [`crate::models::common::MSISDN_PATTERN`]).
pub fn is_msisdn(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (6..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// True for an absolute `http://` or `https://` URL with a host
/// (the same test as [`crate::models::common::HTTP_URL_PATTERN`]).
pub fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.and_then(|r| r.chars().next())
        .is_some_and(|c| !matches!(c, '/' | '?' | '#'))
}

/// The extension of the URL's last path segment, lower-cased, when it has one
/// (`https://x.test/a/b.MP3?v=1` gives `mp3`).
pub fn url_extension(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let path = after_scheme.split(['?', '#']).next().unwrap_or("");
    let (_, path) = path.split_once('/')?;
    let segment = path.rsplit('/').next().unwrap_or("");
    let (stem, ext) = segment.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

pub(crate) use crate::time::{format_millis, millis as timestamp_millis};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msisdn_matches_the_schema_pattern() {
        for ok in ["6512345678", "+6512345678", "123456", "+123456789012345"] {
            assert!(is_msisdn(ok), "{ok}");
        }
        for bad in [
            "",
            "+",
            "12345",
            "0651234567",
            "+1234567890123456",
            "65 1234 5678",
            "abc",
            "++65123456",
        ] {
            assert!(!is_msisdn(bad), "{bad}");
        }
    }

    #[test]
    fn urls_and_extensions() {
        assert!(is_http_url("https://x.test/a.mp3"));
        assert!(is_http_url("http://x"));
        assert!(!is_http_url("ftp://x.test/a.mp3"));
        assert!(!is_http_url("https:///a.mp3"));
        assert!(!is_http_url("x.test/a.mp3"));
        assert_eq!(
            url_extension("https://x.test/a/b.MP3?v=1.2").as_deref(),
            Some("mp3")
        );
        assert_eq!(
            url_extension("https://x.test/wave.wav#t").as_deref(),
            Some("wav")
        );
        assert_eq!(url_extension("https://x.test/audio"), None);
        assert_eq!(url_extension("https://x.test"), None);
        assert_eq!(url_extension("https://x.test/.hidden"), None);
        assert_eq!(
            url_extension("https://x.test/a.ogg").as_deref(),
            Some("ogg")
        );
    }

    /// Contradiction 10: voicehook states the IVR page's defaults, not the API reference's.
    #[test]
    fn capture_defaults_follow_the_ivr_page() {
        assert_eq!(
            (
                CAPTURE_DEFAULTS.max_digits,
                CAPTURE_DEFAULTS.overall_timeout_ms,
                CAPTURE_DEFAULTS.no_of_tries
            ),
            (25, 30_000, 3)
        );
        assert_eq!(
            (
                OPENAPI_CAPTURE_DEFAULTS.max_digits,
                OPENAPI_CAPTURE_DEFAULTS.overall_timeout_ms,
                OPENAPI_CAPTURE_DEFAULTS.no_of_tries
            ),
            (1, 5_000, 1)
        );
        assert_eq!(i64::from(CAPTURE_DEFAULTS.max_digits), DIGITS.1);
    }
}
