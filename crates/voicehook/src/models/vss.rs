//! Voice Session Summary (VSS): the webhook 8x8 posts once a voice session has ended.
//!
//! One shape serves IVR, Voice Messaging and Number Masking. IVR adds the envelope's
//! `version` and the payload's `clientRequestId`; Voice Messaging adds three opt-out session
//! statuses. Every leg of the session sits in `details` under a key such as `callA`.
//!
//! ```
//! use voicehook::models::vss::{SessionStatus, VssWebhook};
//!
//! let json = r#"{"namespace": "VOICE", "eventType": "SESSION_SUMMARY", "description": "Summary",
//!   "payload": {"sessionId": "1f048a84-ea6d-11ee-911b-078f7290bf52", "subAccountId": "acme",
//!     "sessionStatus": "NO ANSWER", "startTime": "2024-03-25T06:01:30Z",
//!     "endTime": "2024-03-25T06:01:50Z", "lastAction": "MAKE_CALL", "callCount": 0,
//!     "details": {}}}"#;
//! let vss: VssWebhook = serde_json::from_str(json).unwrap();
//! assert_eq!(vss.payload.session_status, SessionStatus::NoAnswer);
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{
    CallDirection, CallType, CountryCode, ErrorCode, Msisdn, Namespace, NumberFormat, Timestamp,
    Uuid, not_null, string_enum, whole,
};

string_enum! {
    /// The `eventType` of a session summary.
    pub enum SessionSummaryEvent: "Marks the webhook as a session summary." {
        /// `SESSION_SUMMARY`.
        SessionSummary = "SESSION_SUMMARY",
    }
}

/// The Voice Session Summary webhook, sent once when a voice session is over.
///
/// It tells how the session ended, which callflow action ran last, and for each call leg
/// who called whom, when, for how long, with what outcome and call quality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VssWebhook {
    /// Product family; always `VOICE`.
    pub namespace: Namespace,
    /// Always `SESSION_SUMMARY` for this webhook.
    pub event_type: SessionSummaryEvent,
    /// Free text describing the event.
    pub description: String,
    /// Version of the payload layout (sent by IVR sessions).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::opt_int"
    )]
    #[schemars(transform = not_null, range(min = 1))]
    pub version: Option<u32>,
    /// The summary itself.
    pub payload: VssPayload,
}

/// The body of a session summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VssPayload {
    /// Identifies the session; the same id appears in every webhook of the session.
    pub session_id: Uuid,
    /// The 8x8 sub-account the session ran under.
    pub sub_account_id: String,
    /// How the session as a whole ended.
    pub session_status: SessionStatus,
    /// When the session started.
    pub start_time: Timestamp,
    /// When the session ended.
    pub end_time: Timestamp,
    /// The callflow action that ran last, in upper snake case (`MAKE_CALL`, `SAY`, …).
    /// The pages give different lists, so any string is accepted.
    #[schemars(extend("examples" = ["MAKE_CALL", "SAY", "SAY_AND_CAPTURE", "PLAY_FILE", "HANGUP"]))]
    pub last_action: String,
    /// How many call legs the session bridged.
    #[serde(deserialize_with = "whole::int")]
    pub call_count: u32,
    /// The identifier the caller of Send Callflow attached to the request, echoed back (IVR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    /// Why the session failed; present when `sessionStatus` is `ERROR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_details: Option<ErrorDetails>,
    /// Every call leg of the session, keyed by leg name (`callA`, `callB`, …).
    pub details: BTreeMap<String, CallLeg>,
}

string_enum! {
    /// The final status of a whole session.
    ///
    /// `NO ANSWER` (with a space, as the Number Masking status table writes it) is read as
    /// [`SessionStatus::NoAnswer`].
    pub enum SessionStatus: "Final status of the session. Voice Messaging adds three opt-out outcomes; NO ANSWER with a space and CANCELLED are accepted spellings of NO_ANSWER and CANCELED." {
        /// The call was answered and the session ran to its end.
        Completed = "COMPLETED",
        /// The called party was busy.
        Busy = "BUSY",
        /// The called party did not pick up.
        NoAnswer = "NO_ANSWER" | "NO ANSWER",
        /// The call could not be placed or did not go through.
        Failed = "FAILED",
        /// The caller hung up before the outbound leg got a final status.
        Canceled = "CANCELED" | "CANCELLED",
        /// The platform hit an error; `errorDetails` says which.
        Error = "ERROR",
        /// Voice Messaging: the person opted out during the call.
        CompletedUnsubscribed = "COMPLETED_UNSUBSCRIBED",
        /// Voice Messaging: the person opted out but adding them to the block list failed.
        CompletedUnsubError = "COMPLETED_UNSUB_ERROR",
        /// Voice Messaging: the person was already on the block list.
        UnsubscribedContact = "UNSUBSCRIBED_CONTACT",
    }
}

string_enum! {
    /// The final status of one call leg.
    ///
    /// `ERROR` is listed by the Voice Messaging page and used by the failure examples, so it is
    /// accepted although the SIP page says it never appears on a leg.
    pub enum LegStatus: "Final status of the call leg. ERROR appears in failure examples; NO ANSWER with a space and CANCELLED are accepted spellings of NO_ANSWER and CANCELED." {
        /// The leg was answered and ended normally.
        Completed = "COMPLETED",
        /// The called party was busy.
        Busy = "BUSY",
        /// The called party did not pick up.
        NoAnswer = "NO_ANSWER" | "NO ANSWER",
        /// The leg could not be connected.
        Failed = "FAILED",
        /// The leg was abandoned before it got a final status.
        Canceled = "CANCELED" | "CANCELLED",
        /// The platform hit an error on this leg.
        Error = "ERROR",
    }
}

/// What went wrong in a session that ended with `ERROR`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    /// Human-readable explanation of the error.
    pub error_msg: String,
    /// Session error code, e.g. -2004; may arrive as a string of digits.
    pub error_code: ErrorCode,
}

/// One call leg of a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallLeg {
    /// Identifies this leg.
    pub call_id: Uuid,
    /// Whether 8x8 received this leg or placed it.
    pub call_direction: CallDirection,
    /// Telephone network or app-to-app.
    pub call_type: CallType,
    /// When the leg started ringing out or came in.
    pub initiated_timestamp: Timestamp,
    /// When the leg was answered; absent when it never was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_timestamp: Option<Timestamp>,
    /// When the leg ended.
    pub disconnected_timestamp: Timestamp,
    /// Calling number of the leg.
    pub source: Msisdn,
    /// Called number of the leg.
    pub destination: Msisdn,
    /// How `source` is written.
    pub source_format: NumberFormat,
    /// How `destination` is written.
    pub destination_format: NumberFormat,
    /// Country of `source`.
    pub source_country_code: CountryCode,
    /// Country of `destination`.
    pub destination_country_code: CountryCode,
    /// Reference of the virtual number on the source side, if any. The IVR and Number Masking
    /// pages describe it from opposite points of view; null or absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref_id: Option<String>,
    /// Reference of the virtual number on the destination side, if any; null or absent when
    /// there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_ref_id: Option<String>,
    /// How the leg ended.
    pub call_status: LegStatus,
    /// Seconds the leg was connected (0 when never answered).
    #[serde(deserialize_with = "whole::int")]
    pub call_duration: u64,
    /// Network quality measured on the leg, when available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_quality: Option<CallQuality>,
}

/// Network quality figures of a call leg.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallQuality {
    /// Mean Opinion Score from 1.0 (bad) to 5.0 (excellent).
    #[schemars(range(min = 1.0, max = 5.0))]
    pub mos: f64,
    /// Share of packets lost, as a fraction (0.01 is 1 %).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub packet_loss_rate: f64,
    /// Variation of packet arrival times, in milliseconds.
    #[serde(deserialize_with = "whole::int")]
    pub jitter: u32,
}
