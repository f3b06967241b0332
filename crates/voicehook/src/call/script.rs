//! What the people on the call do: the callee script.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the people on a simulated call do, and the settings the simulation runs with.
///
/// Every field has a default, so `{}` is a script: the callee answers after 3 s, presses
/// nothing, and a bridged party hangs up after 30 s of talk.
///
/// ```
/// let script: voicehook::call::Script = serde_json::from_str(r#"{
///     "legs": [{"answerAfter": 2000}, {"outcome": "busy"}],
///     "keys": ["1", {"digits": "42#", "after": 1500, "gap": 400}]
/// }"#).unwrap();
/// assert_eq!(script.keys.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "CallScript")]
pub struct Script {
    /// The legs of the session in order: callA, then callB. For a Send Callflow callA is the
    /// first `makeCall`'s destination; for an inbound call callA is the caller (only its
    /// `hangUpAfter` applies) and callB the party a `makeCall` reply bridges in.
    #[serde(default)]
    pub legs: Vec<LegScript>,
    /// What the person hearing the prompts (callA) keys: one entry per `sayAndCapture`
    /// attempt, in order. When they run out the caller presses nothing.
    #[serde(default)]
    pub keys: Vec<Keys>,
    /// Which default values a `sayAndCapture` gets for the parameters it leaves out.
    #[serde(default)]
    pub defaults: CaptureDefaults,
    /// How long each audio file plays, by `fileUrl`, in milliseconds (others: 5000 per play).
    #[serde(default)]
    pub files: BTreeMap<String, u64>,
    /// Failures to play: `tts` makes the first spoken text fail (the session ends with -2005),
    /// `file` the first `playFile` (-2006).
    #[serde(default)]
    pub fail: Vec<Failure>,
    /// Reference ids of the virtual numbers, by number (with or without `+`), written as
    /// `sourceRefId` / `destinationRefId` on the legs that use them.
    #[serde(default)]
    pub ref_ids: BTreeMap<String, String>,
    /// The sub-account the webhooks name (default `voicehook_sim`).
    #[serde(default)]
    pub sub_account_id: Option<String>,
    /// When the session starts, as a timestamp (default `2026-01-13T08:00:00Z`).
    #[serde(default)]
    pub start: Option<String>,
    /// Seed of the ids (session, calls, events): the same seed gives the same ids.
    #[serde(default)]
    pub seed: u64,
    /// How long 8x8 waits for your answer to a call action, in milliseconds (default 5000).
    #[serde(default)]
    pub reply_timeout: Option<u64>,
}

/// The longest time a script may give, in milliseconds: a day.
pub const MAX_MS: u64 = 86_400_000;

impl Script {
    /// What the engine cannot play: a time over a day, a SIP code that is not a failure
    /// (400 to 699), a key that is not a digit, `*` or `#`.
    pub fn check(&self) -> Result<(), String> {
        let time = |what: &str, ms: Option<u64>| match ms {
            Some(ms) if ms > MAX_MS => Err(format!(
                "{what} should be at most {MAX_MS} ms (a day), found {ms}"
            )),
            _ => Ok(()),
        };
        if self.legs.len() > 2 {
            return Err(format!(
                "legs should be at most two (callA, callB): a session has no third leg, found {}",
                self.legs.len()
            ));
        }
        for (i, leg) in self.legs.iter().enumerate() {
            time(&format!("legs[{i}].answerAfter"), leg.answer_after)?;
            time(&format!("legs[{i}].hangUpAfter"), leg.hang_up_after)?;
            if let Some(code) = leg.sip_code
                && !(400..=699).contains(&code)
            {
                return Err(format!(
                    "legs[{i}].sipCode should be a failure code from 400 to 699, found {code}"
                ));
            }
        }
        for (i, keys) in self.keys.iter().enumerate() {
            let (digits, after, gap) = keys.timing();
            time(&format!("keys[{i}].after"), Some(after))?;
            time(&format!("keys[{i}].gap"), Some(gap))?;
            if let Some(bad) = digits.chars().find(|c| !matches!(c, '0'..='9' | '*' | '#')) {
                return Err(format!(
                    "keys[{i}] should hold digits, * and # only, found {bad:?} in {digits:?}"
                ));
            }
        }
        for (url, ms) in &self.files {
            time(&format!("files[{url:?}]"), Some(*ms))?;
        }
        time("replyTimeout", self.reply_timeout)
    }
}

/// What one leg's party does.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LegScript {
    /// How the call ends up (default: answered).
    #[serde(default)]
    pub outcome: Outcome,
    /// Milliseconds of ringing before the outcome (default 3000; no-answer 30000; busy 1000;
    /// fails and no-coverage 500).
    #[serde(default)]
    pub answer_after: Option<u64>,
    /// The SIP code of a failed call (default 404).
    #[serde(default)]
    pub sip_code: Option<u16>,
    /// The party hangs up this many milliseconds after answering (for an inbound caller: after
    /// the call arrived). Default: never for callA, 30000 for a bridged callB.
    #[serde(default)]
    pub hang_up_after: Option<u64>,
}

/// How a placed call ends up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The party answers.
    #[default]
    Answers,
    /// The line is busy (SIP 486).
    Busy,
    /// Nobody answers (SIP 480).
    NoAnswer,
    /// The call fails with `sipCode` (default 404).
    Fails,
    /// 8x8 has no route to the number: the session ends with -2004.
    NoCoverage,
}

/// The keys of one `sayAndCapture` attempt: a string (`"1"`, `"42#"`, `""` for silence) or
/// an object with the timing.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Keys {
    /// The keys, pressed 1000 ms after the prompt ends and 300 ms apart.
    Digits(String),
    /// The keys with their timing.
    Timed(TimedKeys),
}

// By hand rather than `untagged`: a string or an object, told apart without buffering the value.
impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Keys, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(r#"keys such as "12#" or {"digits": "12#", "after": 1000, "gap": 300}"#)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Keys, E> {
                Ok(Keys::Digits(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Keys, A::Error> {
                TimedKeys::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Keys::Timed)
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// Keys with their timing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimedKeys {
    /// The keys: digits, `*` and `#`.
    pub digits: String,
    /// Milliseconds from the end of the prompt to the first key (default 1000).
    #[serde(default)]
    pub after: Option<u64>,
    /// Milliseconds between two keys (default 300).
    #[serde(default)]
    pub gap: Option<u64>,
}

impl Keys {
    /// The keys, the delay before the first and the gap between two.
    pub fn timing(&self) -> (&str, u64, u64) {
        match self {
            Keys::Digits(d) => (d, 1000, 300),
            Keys::Timed(t) => (&t.digits, t.after.unwrap_or(1000), t.gap.unwrap_or(300)),
        }
    }
}

/// A failure the script asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Failure {
    /// Text to speech fails (-2005).
    Tts,
    /// Downloading a file fails (-2006).
    File,
}

/// The two documented sets of `sayAndCapture` defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureDefaults {
    /// The IVR guide's: maxDigits 25, overallTimeout 30000 ms, noOfTries 3 (the default: it is
    /// the page that describes the IVR behaviour, and its examples rely on it).
    #[default]
    Ivr,
    /// The API reference's: maxDigits 1, overallTimeout 5000 ms, noOfTries 1.
    Openapi,
}

impl CaptureDefaults {
    /// `(maxDigits, overallTimeout, noOfTries)`.
    pub const fn values(self) -> (u8, u32, u32) {
        match self {
            CaptureDefaults::Ivr => (25, 30_000, 3),
            CaptureDefaults::Openapi => (1, 5_000, 1),
        }
    }
}
