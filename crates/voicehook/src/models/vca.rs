//! Voice Call Action (VCA): the webhook 8x8 posts during a live call when it needs the next
//! instructions. The HTTP answer to it is a [`VcaReply`](super::callflow::VcaReply).
//!
//! IVR sends it with `callStatus` `ACTION_COMPLETED` after an action (with the captured DTMF
//! in `eventData.dtmf` and the `clientActionId` of the previous reply); Number Masking sends
//! it with `CALL_RECEIVED` when a call reaches a virtual number.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{
    CallDirection, CallType, CountryCode, Msisdn, Namespace, NumberFormat, Seconds, Timestamp,
    Uuid, string_enum, whole,
};

string_enum! {
    /// The `eventType` of a call action.
    pub enum CallActionEvent: "Marks the webhook as a call action request." {
        /// `CALL_ACTION`.
        CallAction = "CALL_ACTION",
    }
}

/// The Voice Call Action webhook: 8x8 asks what the call should do next.
///
/// Answer it with HTTP 200 and a callflow (a VCA reply) in the body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VcaWebhook {
    /// Product family; always `VOICE`.
    pub namespace: Namespace,
    /// Always `CALL_ACTION` for this webhook.
    pub event_type: CallActionEvent,
    /// Free text describing the event.
    pub description: String,
    /// The call the request is about.
    pub payload: VcaPayload,
}

string_enum! {
    /// Why a call action request was sent.
    pub enum VcaCallStatus: "What triggered the request: an action finished (IVR) or a call arrived (inbound IVR, Number Masking). DTMF_RECEIVED is the older spelling of ACTION_COMPLETED, with the digits in a top-level dtmf." {
        /// A callflow action (for example `sayAndCapture`) has finished. `DTMF_RECEIVED`, the
        /// older shape of 8x8's IVR tutorials (with the digits in a top-level `dtmf`), is read
        /// as this value.
        ActionCompleted = "ACTION_COMPLETED" | "DTMF_RECEIVED",
        /// A call has reached a virtual number.
        CallReceived = "CALL_RECEIVED",
    }
}

/// The body of a call action request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VcaPayload {
    /// Identifies this event.
    pub event_id: Uuid,
    /// Identifies the call leg that triggered the request.
    pub call_id: Uuid,
    /// Identifies the session the leg belongs to.
    pub session_id: Uuid,
    /// The 8x8 sub-account the session runs under.
    pub sub_account_id: String,
    /// What triggered the request.
    pub call_status: VcaCallStatus,
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
    /// Reference of the virtual number on the source side; null or absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref_id: Option<String>,
    /// Reference of the virtual number on the destination side; null or absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_ref_id: Option<String>,
    /// Seconds the leg has been connected; an integer, or a digit string as the field table
    /// types it.
    pub call_duration: Seconds,
    /// What the finished action collected (IVR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data: Option<EventData>,
    /// Final SIP response code of the leg (RFC 3261), e.g. 200.
    #[serde(deserialize_with = "whole::int")]
    #[schemars(range(min = 100, max = 699))]
    pub sip_code: u16,
    /// When the event happened.
    pub timestamp: Timestamp,
    /// The `clientActionId` of the reply that started the finished action (IVR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_action_id: Option<String>,
}

/// What a finished action collected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventData {
    /// Digits the caller keyed in during `sayAndCapture`; null when nothing was captured.
    #[serde(default)]
    pub dtmf: Option<String>,
}
