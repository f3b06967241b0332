//! Callflows: the ordered list of actions a developer sends to 8x8, and 8x8's answer.
//!
//! The same actions serve two documents: the body of the Send Callflow API ([`Callflow`],
//! which must start with `makeCall`) and the answer to a Voice Call Action webhook
//! ([`VcaReply`], which continues a call already in progress). [`CallflowResult`] is the
//! immediate answer of the Send Callflow API.
//!
//! ```
//! use voicehook::models::callflow::{Action, Callflow};
//!
//! let json = r#"{"callflow": [
//!     {"action": "makeCall", "params": {"source": "6512345678", "destination": "+6587654321"}},
//!     {"action": "say", "params": {"text": "Hello", "voiceProfile": "en-US-ZiraRUS", "speed": 1.5}},
//!     {"action": "hangup"}]}"#;
//! let flow: Callflow = serde_json::from_str(json).unwrap();
//! assert!(matches!(flow.callflow[0], Action::MakeCall { .. }));
//! assert_eq!(flow.callflow[2].name(), "hangup");
//! ```

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use super::common::{HttpUrl, Msisdn, Timestamp, Uuid, not_null, string_enum, whole};

/// The body of the Send Callflow API: start a session and run its actions in order.
///
/// The first action must be `makeCall`, which places the first call leg.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Callflow {
    /// Latest time at which 8x8 may still start the session; later requests are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = not_null)]
    pub valid_until: Option<Timestamp>,
    /// The actions, run one after the other.
    #[schemars(length(min = 1))]
    pub callflow: Vec<Action>,
}

/// The answer to a Voice Call Action webhook: what the ongoing call should do next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VcaReply {
    /// A label of the developer's choice, sent back in the next Voice Call Action webhook so
    /// the server knows where the caller is (for example which IVR menu was played).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = not_null)]
    pub client_action_id: Option<String>,
    /// The actions, run one after the other.
    #[schemars(length(min = 1))]
    pub callflow: Vec<Action>,
}

/// One step of a callflow, named by its `action` property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum Action {
    /// Places a call; a second `makeCall` bridges the new leg to the first one.
    #[schemars(title = "MakeCall")]
    MakeCall {
        /// Numbers and options of the call.
        params: MakeCallParams,
    },
    /// Speaks a text (text to speech) into the call.
    #[schemars(title = "Say")]
    Say {
        /// Text and voice.
        params: SayParams,
    },
    /// Speaks a prompt, then collects digits keyed by the caller and reports them in a Voice
    /// Call Action webhook.
    #[schemars(title = "SayAndCapture")]
    SayAndCapture {
        /// Prompt, voice and digit collection settings.
        params: SayAndCaptureParams,
    },
    /// Downloads an audio file and plays it into the call.
    #[schemars(title = "PlayFile")]
    PlayFile {
        /// File and repetition.
        params: PlayFileParams,
    },
    /// Ends every call of the session, which ends the session.
    #[schemars(title = "Hangup")]
    Hangup,
}

impl Action {
    /// The wire name of the action, e.g. `"sayAndCapture"`.
    pub const fn name(&self) -> &'static str {
        match self {
            Action::MakeCall { .. } => "makeCall",
            Action::Say { .. } => "say",
            Action::SayAndCapture { .. } => "sayAndCapture",
            Action::PlayFile { .. } => "playFile",
            Action::Hangup => "hangup",
        }
    }

    /// Every action name 8x8 documents, in documentation order.
    pub const NAMES: [&'static str; 5] = ["makeCall", "say", "sayAndCapture", "playFile", "hangup"];
}

/// Parameters of `makeCall`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MakeCallParams {
    /// Caller id shown to the called party: a virtual number of the sub-account or a
    /// whitelisted number.
    pub source: Msisdn,
    /// Number to call.
    pub destination: Msisdn,
    /// Records the session; needs call recording set up on the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = not_null)]
    pub call_recording: Option<bool>,
}

/// Parameters of `say`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SayParams {
    /// What to speak, at most 3000 characters.
    #[schemars(length(min = 1, max = 3000))]
    pub text: String,
    /// Voice, language and accent of the speech, e.g. `en-US-ZiraRUS` (see the Voice Profile API).
    #[schemars(length(min = 1))]
    pub voice_profile: String,
    /// How many times the text is spoken, 1 to 3 (default 1).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(transform = not_null, range(min = 1, max = 3))]
    pub repetition: Option<u8>,
    /// Speech rate from 0.5 to 2.0 (default 1). The API reference types it as an integer
    /// but documents fractional values, so any number in range is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = not_null, range(min = 0.5, max = 2.0))]
    pub speed: Option<f64>,
}

/// Parameters of `sayAndCapture`.
///
/// The defaults differ between the API reference (maxDigits 1, overallTimeout 5000 ms,
/// noOfTries 1) and the IVR guide (25, 30000 ms, 3); the values 8x8 applies are not stated
/// here. Relations between fields (minDigits needs maxDigits, digitTimeout below
/// overallTimeout, …) are checked by the callflow rules, not by the schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SayAndCaptureParams {
    /// The prompt to speak before collecting digits, at most 3000 characters.
    #[schemars(length(min = 1, max = 3000))]
    pub prompt_message: String,
    /// Spoken after a valid input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_message: Option<String>,
    /// Spoken after a timeout or an input of the wrong length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_message: Option<String>,
    /// Voice, language and accent of the speech.
    #[schemars(length(min = 1))]
    pub voice_profile: String,
    /// How many times the prompt is spoken, 1 to 3. Used by the IVR examples although the
    /// API reference does not list it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(transform = not_null, range(min = 1, max = 3))]
    pub repetition: Option<u8>,
    /// Speech rate from 0.5 to 2.0 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = not_null, range(min = 0.5, max = 2.0))]
    pub speed: Option<f64>,
    /// When true (the default), `#` ends the input; when false, input ends at `maxDigits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_on_hash: Option<bool>,
    /// Fewest digits that make a valid input.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(range(min = 1, max = 25))]
    pub min_digits: Option<u8>,
    /// Most digits accepted, 1 to 25.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(range(min = 1, max = 25))]
    pub max_digits: Option<u8>,
    /// Longest wait between two digits, in milliseconds.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(range(min = 1))]
    pub digit_timeout: Option<u32>,
    /// Longest time for the whole input, in milliseconds.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(range(min = 1))]
    pub overall_timeout: Option<u32>,
    /// How many times the prompt is tried again after a failed input.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(range(min = 1))]
    pub no_of_tries: Option<u32>,
}

/// Parameters of `playFile`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlayFileParams {
    /// Public http(s) address of an mp3 or wav file smaller than 5 MB (8x8 caches it for an hour).
    pub file_url: HttpUrl,
    /// How many times the file is played, 1 to 3 (default 1).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(transform = not_null, range(min = 1, max = 3))]
    pub repetition: Option<u8>,
}

string_enum! {
    /// Whether the Send Callflow API accepted the request.
    pub enum CreationStatus: "CREATED when the session was started, NOT_CREATED when the request was refused (statusCode says why)." {
        /// The session was started.
        Created = "CREATED",
        /// The request was refused.
        NotCreated = "NOT_CREATED",
    }
}

/// The immediate answer of the Send Callflow API.
///
/// It says whether the request was accepted, not how the call ends: that comes later in the
/// session summary webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(transform = created_needs_session_id)]
pub struct CallflowResult {
    /// The new session's id; present when the session was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = not_null)]
    pub session_id: Option<Uuid>,
    /// Accepted or refused.
    pub session_status: CreationStatus,
    /// Identifies the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = not_null)]
    pub call_flow_request_id: Option<Uuid>,
    /// The `validUntil` that applies to the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = not_null)]
    pub valid_until: Option<Timestamp>,
    /// API status code: 1 when created, a negative code (or an HTTP status) when refused.
    #[serde(deserialize_with = "whole::int")]
    pub status_code: i64,
    /// Explanation of `statusCode`.
    pub status_message: String,
}

/// A created session always has an id.
fn created_needs_session_id(schema: &mut Schema) {
    schema.insert(
        "if".into(),
        serde_json::json!({
            "properties": { "sessionStatus": { "const": "CREATED" } },
            "required": ["sessionStatus"],
        }),
    );
    schema.insert(
        "then".into(),
        serde_json::json!({ "required": ["sessionId"] }),
    );
}
