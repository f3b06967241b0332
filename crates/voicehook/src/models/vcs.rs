//! Voice Call Status (VCS): progress updates 8x8 posts while a call leg goes through its
//! states (initiated, received, connected, disconnected, …). They are telemetry: order and
//! uniqueness are not guaranteed, and the session summary has the final word.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{
    CallDirection, CallType, CountryCode, Msisdn, Namespace, NumberFormat, Timestamp, Uuid,
    string_enum, whole,
};

string_enum! {
    /// The `eventType` of a call status update.
    pub enum CallStatusEvent: "Marks the webhook as a call status update." {
        /// `CALL_STATUS`.
        CallStatus = "CALL_STATUS",
    }
}

/// The Voice Call Status webhook: one state change of one call leg.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VcsWebhook {
    /// Product family; always `VOICE`.
    pub namespace: Namespace,
    /// Always `CALL_STATUS` for this webhook.
    pub event_type: CallStatusEvent,
    /// Free text describing the event.
    pub description: String,
    /// The state change.
    pub payload: VcsPayload,
}

string_enum! {
    /// The state a call leg has reached.
    pub enum VcsCallStatus: "The state the call leg has just reached." {
        /// 8x8 has started placing an outbound leg.
        CallInitiated = "CALL_INITIATED",
        /// An inbound leg has reached 8x8.
        CallReceived = "CALL_RECEIVED",
        /// The leg has been answered.
        CallConnected = "CALL_CONNECTED",
        /// The leg has ended.
        CallDisconnected = "CALL_DISCONNECTED",
        /// Something about the leg has changed.
        CallUpdated = "CALL_UPDATED",
        /// The caller has keyed in digits.
        DtmfReceived = "DTMF_RECEIVED",
    }
}

/// The body of a call status update.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VcsPayload {
    /// Identifies this event.
    pub event_id: Uuid,
    /// Identifies the call leg.
    pub call_id: Uuid,
    /// Identifies the session the leg belongs to.
    pub session_id: Uuid,
    /// The 8x8 sub-account the session runs under.
    pub sub_account_id: String,
    /// The state the leg has reached.
    pub call_status: VcsCallStatus,
    /// Whether 8x8 received this leg or placed it.
    pub call_direction: CallDirection,
    /// Telephone network or app-to-app.
    pub call_type: CallType,
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
    /// Seconds the leg has been connected so far.
    #[serde(deserialize_with = "whole::int")]
    pub call_duration: u64,
    /// SIP response code of the leg (RFC 3261), e.g. 200.
    #[serde(deserialize_with = "whole::int")]
    #[schemars(range(min = 100, max = 699))]
    pub sip_code: u16,
    /// When the state change happened.
    pub timestamp: Timestamp,
}
