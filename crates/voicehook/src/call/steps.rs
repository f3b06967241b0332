//! The actions of a callflow as the engine plays them, read from the checked document.
//!
//! They are read from the validated tape, not through the serde models: the models' readers
//! would add a second set of deserializers to the WebAssembly module for what the tape already
//! holds.

use crate::parse::View;
use crate::{Options, Report};

/// One action to play.
#[derive(Clone, Debug)]
pub(super) enum Step {
    MakeCall {
        source: String,
        destination: String,
        recording: bool,
    },
    Say(Speech),
    Play {
        url: String,
        repetition: Option<u8>,
    },
    Capture(Box<Capture>),
    Hangup,
}

impl Step {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Step::MakeCall { .. } => "makeCall",
            Step::Say(_) => "say",
            Step::Play { .. } => "playFile",
            Step::Capture(_) => "sayAndCapture",
            Step::Hangup => "hangup",
        }
    }
}

/// Text to speak.
#[derive(Clone, Debug)]
pub(super) struct Speech {
    pub text: String,
    pub voice: String,
    pub speed: Option<f64>,
    pub repetition: Option<u8>,
}

/// A `sayAndCapture`'s parameters.
#[derive(Clone, Debug)]
pub(super) struct Capture {
    pub prompt: Speech,
    pub success: Option<String>,
    pub failure: Option<String>,
    pub complete_on_hash: Option<bool>,
    pub min_digits: Option<u8>,
    pub max_digits: Option<u8>,
    pub digit_timeout: Option<u32>,
    pub overall_timeout: Option<u32>,
    pub no_of_tries: Option<u32>,
}

/// A checked callflow (a Send Callflow body or a reply).
pub(super) struct Flow {
    pub steps: Vec<Step>,
    /// The checker's warnings, one line each (with the position): what 8x8 ignores or may
    /// refuse later, such as a misspelt `clientActionId`.
    pub warnings: Vec<String>,
    pub client_action_id: Option<String>,
    pub valid_until: Option<String>,
}

/// The callflow `input` holds, checked as `options.kind`; the report when 8x8 would refuse it.
pub(super) fn read(input: &[u8], options: &Options) -> Result<Flow, Report> {
    let outcome = crate::validate::run(input, options);
    let doc = match outcome.normalized {
        Some(doc) if outcome.report.valid => doc,
        _ => return Err(outcome.report),
    };
    let root = doc.root();
    let text = |v: View<'_>, key: &str| v.get(key).and_then(View::as_str).map(str::to_owned);
    Ok(Flow {
        warnings: outcome.report.warnings.iter().map(finding).collect(),
        steps: root
            .get("callflow")
            .map(|c| c.items().filter_map(step).collect())
            .unwrap_or_default(),
        client_action_id: text(root, "clientActionId"),
        valid_until: text(root, "validUntil"),
    })
}

/// A finding in one line: its message and, when known, where (`line 3:14`).
pub(super) fn finding(f: &crate::Finding) -> String {
    match (f.line, f.column) {
        (Some(line), Some(column)) => format!("{} (line {line}:{column})", f.message),
        _ => f.message.clone(),
    }
}

fn step(action: View<'_>) -> Option<Step> {
    let p = action.get("params");
    let text = |key: &str| p?.get(key)?.as_str().map(str::to_owned);
    let whole = |key: &str| p?.get(key)?.as_u64();
    let small = |key: &str| whole(key).and_then(|n| u8::try_from(n).ok());
    let millis = |key: &str| whole(key).and_then(|n| u32::try_from(n).ok());
    let flag = |key: &str| p?.get(key)?.as_bool();
    let speech = |key: &str| Speech {
        text: text(key).unwrap_or_default(),
        voice: text("voiceProfile").unwrap_or_default(),
        speed: p.and_then(|p| p.get("speed")).and_then(View::as_f64),
        repetition: small("repetition"),
    };
    Some(match action.get("action")?.as_str()? {
        "makeCall" => Step::MakeCall {
            source: text("source")?,
            destination: text("destination")?,
            recording: flag("callRecording") == Some(true),
        },
        "say" => Step::Say(speech("text")),
        "playFile" => Step::Play {
            url: text("fileUrl")?,
            repetition: small("repetition"),
        },
        "sayAndCapture" => Step::Capture(Box::new(Capture {
            prompt: speech("promptMessage"),
            success: text("successMessage"),
            failure: text("failureMessage"),
            complete_on_hash: flag("completeOnHash"),
            min_digits: small("minDigits"),
            max_digits: small("maxDigits"),
            digit_timeout: millis("digitTimeout"),
            overall_timeout: millis("overallTimeout"),
            no_of_tries: millis("noOfTries"),
        })),
        "hangup" => Step::Hangup,
        _ => return None,
    })
}
