//! The ten kinds of document voicehook knows, with their stable identifiers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A kind of 8x8 Voice document.
///
/// The identifier returned by [`Kind::id`] is the same string everywhere: in Rust, in
/// JavaScript, on the command line, on the page and in every [`Report`](crate::Report).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Voice Session Summary webhook (`eventType` `SESSION_SUMMARY`).
    Vss,
    /// Voice Call Action webhook (`eventType` `CALL_ACTION`).
    Vca,
    /// Voice Call Status webhook (`eventType` `CALL_STATUS`).
    Vcs,
    /// Voice Recording Uploaded webhook (`eventType` `CALL_RECORDING_STATUS`).
    Vru,
    /// Virtual Number Updated webhook (`eventType` `VIRTUAL_NUMBER_UPDATE`).
    Vnu,
    /// Request body of the Send Callflow API.
    Callflow,
    /// Callflow returned as the HTTP answer to a VCA webhook.
    VcaReply,
    /// Response of the Send Callflow API (`CREATED` / `NOT_CREATED`).
    CallflowResult,
    /// Request body of the Webhooks API create call.
    WebhookCreate,
    /// Response of the Webhooks API list call.
    WebhookList,
}

impl Kind {
    /// Every kind, in a fixed order (webhooks first, then documents).
    pub const ALL: [Kind; 10] = [
        Kind::Vss,
        Kind::Vca,
        Kind::Vcs,
        Kind::Vru,
        Kind::Vnu,
        Kind::Callflow,
        Kind::VcaReply,
        Kind::CallflowResult,
        Kind::WebhookCreate,
        Kind::WebhookList,
    ];

    /// The stable identifier, e.g. `"vss"` or `"vca-reply"`.
    pub const fn id(self) -> &'static str {
        match self {
            Kind::Vss => "vss",
            Kind::Vca => "vca",
            Kind::Vcs => "vcs",
            Kind::Vru => "vru",
            Kind::Vnu => "vnu",
            Kind::Callflow => "callflow",
            Kind::VcaReply => "vca-reply",
            Kind::CallflowResult => "callflow-result",
            Kind::WebhookCreate => "webhook-create",
            Kind::WebhookList => "webhook-list",
        }
    }

    /// A short human title, e.g. `"Voice Session Summary webhook"`.
    pub const fn title(self) -> &'static str {
        match self {
            Kind::Vss => "Voice Session Summary webhook",
            Kind::Vca => "Voice Call Action webhook",
            Kind::Vcs => "Voice Call Status webhook",
            Kind::Vru => "Voice Recording Uploaded webhook",
            Kind::Vnu => "Virtual Number Updated webhook",
            Kind::Callflow => "Send Callflow request",
            Kind::VcaReply => "Callflow reply to a Voice Call Action",
            Kind::CallflowResult => "Send Callflow response",
            Kind::WebhookCreate => "Webhooks API create request",
            Kind::WebhookList => "Webhooks API list response",
        }
    }

    /// The webhook `eventType` that identifies this kind, for the five webhook kinds.
    pub const fn event_type(self) -> Option<&'static str> {
        match self {
            Kind::Vss => Some("SESSION_SUMMARY"),
            Kind::Vca => Some("CALL_ACTION"),
            Kind::Vcs => Some("CALL_STATUS"),
            Kind::Vru => Some("CALL_RECORDING_STATUS"),
            Kind::Vnu => Some("VIRTUAL_NUMBER_UPDATE"),
            _ => None,
        }
    }

    /// The kind whose webhook carries this `eventType`.
    pub fn from_event_type(event_type: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.event_type() == Some(event_type))
    }

    /// True for the five webhooks 8x8 sends.
    pub const fn is_webhook(self) -> bool {
        self.event_type().is_some()
    }

    /// True for the documents a developer sends to 8x8 (unknown fields there are likely typos).
    pub const fn is_user_sent(self) -> bool {
        matches!(self, Kind::Callflow | Kind::VcaReply | Kind::WebhookCreate)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error returned when a string is not a kind identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown kind {:?}; expected one of: ", self.0)?;
        for (i, k) in Kind::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(k.id())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownKind {}

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.id() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_from_str_and_serde() {
        for kind in Kind::ALL {
            assert_eq!(kind.id().parse::<Kind>().unwrap(), kind);
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.id()));
        }
    }

    #[test]
    fn unknown_kind_lists_the_valid_ones() {
        let err = "vsss".parse::<Kind>().unwrap_err().to_string();
        assert!(
            err.contains("\"vsss\"") && err.contains("vca-reply"),
            "{err}"
        );
    }

    #[test]
    fn event_types_map_to_the_five_webhooks() {
        assert_eq!(Kind::from_event_type("CALL_ACTION"), Some(Kind::Vca));
        assert_eq!(Kind::ALL.iter().filter(|k| k.is_webhook()).count(), 5);
        assert_eq!(Kind::from_event_type("RINGING"), None);
    }
}
