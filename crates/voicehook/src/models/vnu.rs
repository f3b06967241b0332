//! Virtual Number Updated (VNU): the webhook 8x8 posts when the virtual numbers of a
//! sub-account, or their health, change. A `SNAPSHOT` lists every number, `UPDATES` the
//! changed ones (each flagged by `updateStatus`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{CountryCode, CurrencyCode, Msisdn, Namespace, Timestamp, string_enum, whole};

string_enum! {
    /// The `eventType` of a virtual number update.
    pub enum VirtualNumberUpdateEvent: "Marks the webhook as a virtual number update." {
        /// `VIRTUAL_NUMBER_UPDATE`.
        VirtualNumberUpdate = "VIRTUAL_NUMBER_UPDATE",
    }
}

/// The Virtual Number Updated webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VnuWebhook {
    /// Product family; always `VOICE`.
    pub namespace: Namespace,
    /// Always `VIRTUAL_NUMBER_UPDATE` for this webhook.
    pub event_type: VirtualNumberUpdateEvent,
    /// Free text describing the event.
    pub description: String,
    /// The numbers.
    pub payload: VnuPayload,
}

string_enum! {
    /// Whether an update lists every number or only some.
    pub enum UpdateEventType: "SNAPSHOT lists every number of the sub-account; UPDATES lists numbers whose state changed." {
        /// The full list of numbers.
        Snapshot = "SNAPSHOT",
        /// Numbers whose state changed.
        Updates = "UPDATES",
    }
}

string_enum! {
    /// Whether a virtual number can take new sessions.
    pub enum OperationalStatus: "Health of the number: only Active numbers should be used for new sessions." {
        /// Ready for new sessions.
        Active = "Active",
        /// Calling service degraded; do not start new sessions on it.
        Unhealthy = "Unhealthy",
        /// About to leave the pool; do not start new sessions on it.
        Expiring = "Expiring",
        /// Out of service.
        Inactive = "Inactive",
    }
}

string_enum! {
    /// Whether a number changed in this event.
    pub enum UpdateStatus: "Whether this number's state changed in this event." {
        /// Listed but unchanged.
        NoChange = "NO_CHANGE",
        /// Changed in this event.
        Updated = "UPDATED",
    }
}

/// The body of a virtual number update.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VnuPayload {
    /// The 8x8 sub-account the numbers belong to.
    pub sub_account_id: String,
    /// How many virtual numbers the sub-account holds.
    #[serde(deserialize_with = "whole::int")]
    pub total_numbers: u32,
    /// Full list or changes only.
    pub update_event_type: UpdateEventType,
    /// The numbers this event is about.
    pub virtual_numbers: Vec<VirtualNumber>,
}

/// One virtual number and its state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VirtualNumber {
    /// The number, in E.164 form.
    pub msisdn: Msisdn,
    /// When the number's record last changed.
    pub updated_timestamp: Timestamp,
    /// Country of the number.
    pub country_code: CountryCode,
    /// Whether the number can take new sessions.
    pub operational_status: OperationalStatus,
    /// Identifies the number range the number belongs to.
    pub reference_id: String,
    /// Monthly rental fee, in `billingCurrency`.
    #[schemars(range(min = 0.0))]
    pub rental_price: f64,
    /// Per-minute fee of inbound calls, in `billingCurrency`.
    #[schemars(range(min = 0.0))]
    pub incoming_rate: f64,
    /// Billing increment of inbound call time, in seconds.
    #[serde(deserialize_with = "whole::int")]
    pub billing_unit: u32,
    /// Currency of the prices.
    pub billing_currency: CurrencyCode,
    /// Whether number health monitoring is on for this number.
    pub number_health_check_enabled: bool,
    /// Whether this number changed in this event.
    pub update_status: UpdateStatus,
}
