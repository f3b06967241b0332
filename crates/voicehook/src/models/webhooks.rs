//! The Webhooks API: registering a webhook URL for one of the five webhook types, and the
//! list of registrations 8x8 returns.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{HttpUrl, string_enum, whole};

string_enum! {
    /// The five webhooks a sub-account can register a URL for.
    pub enum WebhookType: "Which webhook the URL receives: VCA (call action), VSS (session summary), VCS (call status), VRU (recording uploaded) or VNU (virtual number updated)." {
        /// Voice Call Action.
        Vca = "VCA",
        /// Voice Session Summary.
        Vss = "VSS",
        /// Voice Call Status.
        Vcs = "VCS",
        /// Voice Recording Uploaded.
        Vru = "VRU",
        /// Virtual Number Updated.
        Vnu = "VNU",
    }
}

/// The body of the Webhooks API create call: where 8x8 should post one type of webhook.
///
/// The on/off flag is `enabled`; the setup guides write `active` instead, which the API
/// reference does not list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookCreate {
    /// The webhook type to register.
    pub r#type: WebhookType,
    /// The address 8x8 posts to.
    pub url: HttpUrl,
    /// Value of the `Authorization` header 8x8 sends with each post, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_auth_header: Option<String>,
    /// Whether the webhook is on (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// The answer of the Webhooks API list (and create) call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookList {
    /// The sub-account the webhooks belong to.
    pub sub_account_id: String,
    /// How many webhooks are registered.
    #[serde(deserialize_with = "whole::int")]
    pub count: u32,
    /// The registrations.
    pub webhooks: Vec<WebhookInfo>,
    /// API status code; 0 on success.
    #[serde(deserialize_with = "whole::int")]
    pub status_code: i64,
    /// Explanation of `statusCode`.
    pub status_message: String,
}

/// One registered webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookInfo {
    /// The webhook type.
    pub r#type: WebhookType,
    /// The address 8x8 posts to, as registered.
    pub url: String,
    /// Whether the webhook is on.
    pub enabled: bool,
    /// Whether an `Authorization` header value is stored for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_auth_header_available: Option<bool>,
}
