//! Typed models of every 8x8 Voice document, one module per document.
//!
//! Each model deserializes from what 8x8 documents (quirks included: a session error code
//! written as a string, `NO ANSWER` with a space, a call action `callDuration` as a string)
//! and keeps the canonical value in Rust. The JSON Schemas under `schemas/` are generated from
//! these types by [`crate::schema`]. Unknown fields are ignored here; the validator reports
//! them where it matters.
//!
//! | kind | root type |
//! |---|---|
//! | `vss` | [`vss::VssWebhook`] |
//! | `vca` | [`vca::VcaWebhook`] |
//! | `vcs` | [`vcs::VcsWebhook`] |
//! | `vru` | [`vru::VruWebhook`] |
//! | `vnu` | [`vnu::VnuWebhook`] |
//! | `callflow` | [`callflow::Callflow`] |
//! | `vca-reply` | [`callflow::VcaReply`] |
//! | `callflow-result` | [`callflow::CallflowResult`] |
//! | `webhook-create` | [`webhooks::WebhookCreate`] |
//! | `webhook-list` | [`webhooks::WebhookList`] |

pub mod callflow;
pub mod common;
pub mod vca;
pub mod vcs;
pub mod vnu;
pub mod vru;
pub mod vss;
pub mod webhooks;

pub use common::pattern_name;

use crate::Kind;

/// Any document, typed by its kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// A Voice Session Summary webhook.
    Vss(vss::VssWebhook),
    /// A Voice Call Action webhook.
    Vca(vca::VcaWebhook),
    /// A Voice Call Status webhook.
    Vcs(vcs::VcsWebhook),
    /// A Voice Recording Uploaded webhook.
    Vru(vru::VruWebhook),
    /// A Virtual Number Updated webhook.
    Vnu(vnu::VnuWebhook),
    /// A Send Callflow request body.
    Callflow(callflow::Callflow),
    /// A reply to a Voice Call Action webhook.
    VcaReply(callflow::VcaReply),
    /// A Send Callflow response.
    CallflowResult(callflow::CallflowResult),
    /// A Webhooks API create body.
    WebhookCreate(webhooks::WebhookCreate),
    /// A Webhooks API list response.
    WebhookList(webhooks::WebhookList),
}

impl Document {
    /// Deserializes `value` as a document of `kind`.
    ///
    /// This checks shape and types only; patterns and ranges are the schema's job.
    pub fn from_value(
        kind: Kind,
        value: &serde_json::Value,
    ) -> Result<Document, serde_json::Error> {
        use serde::Deserialize;
        Ok(match kind {
            Kind::Vss => Document::Vss(Deserialize::deserialize(value)?),
            Kind::Vca => Document::Vca(Deserialize::deserialize(value)?),
            Kind::Vcs => Document::Vcs(Deserialize::deserialize(value)?),
            Kind::Vru => Document::Vru(Deserialize::deserialize(value)?),
            Kind::Vnu => Document::Vnu(Deserialize::deserialize(value)?),
            Kind::Callflow => Document::Callflow(Deserialize::deserialize(value)?),
            Kind::VcaReply => Document::VcaReply(Deserialize::deserialize(value)?),
            Kind::CallflowResult => Document::CallflowResult(Deserialize::deserialize(value)?),
            Kind::WebhookCreate => Document::WebhookCreate(Deserialize::deserialize(value)?),
            Kind::WebhookList => Document::WebhookList(Deserialize::deserialize(value)?),
        })
    }

    /// The kind of this document.
    pub const fn kind(&self) -> Kind {
        match self {
            Document::Vss(_) => Kind::Vss,
            Document::Vca(_) => Kind::Vca,
            Document::Vcs(_) => Kind::Vcs,
            Document::Vru(_) => Kind::Vru,
            Document::Vnu(_) => Kind::Vnu,
            Document::Callflow(_) => Kind::Callflow,
            Document::VcaReply(_) => Kind::VcaReply,
            Document::CallflowResult(_) => Kind::CallflowResult,
            Document::WebhookCreate(_) => Kind::WebhookCreate,
            Document::WebhookList(_) => Kind::WebhookList,
        }
    }
}
