//! The document as voicehook read it, typed: the data a receiver or a sender's code works with.
//!
//! [`parse`](crate::parse()) (one kind, chosen by the type) and [`read`] (any kind) validate the
//! input and hand over the normalized document as its [model](crate::models): the documented
//! quirks rewritten to the canonical form (`CallA` as `callA`, `"NO ANSWER"` as `NO_ANSWER`,
//! `errorCode: "-2004"` as the number, `"null"` as an absent value, the older VCA shape as the
//! current one), together with the [`Report`]. A document whose report is not valid has no data:
//! its errors say why.
//!
//! ```
//! use voicehook::models::vss::{SessionStatus, VssWebhook};
//!
//! // Capitalised leg keys and a status with a space, as 8x8's Voice Messaging page shows them.
//! let body = br#"{"namespace": "VOICE", "eventType": "SESSION_SUMMARY", "description": "d",
//!   "payload": {"sessionId": "1f048a84-ea6d-11ee-911b-078f7290bf52", "subAccountId": "acme",
//!     "sessionStatus": "NO ANSWER", "startTime": "2024-03-25T06:01:30Z",
//!     "endTime": "2024-03-25T06:01:50Z", "lastAction": "MAKE_CALL", "callCount": 0,
//!     "details": {}}}"#;
//! let vss: VssWebhook = voicehook::parse(body).expect("a valid session summary");
//! assert_eq!(vss.payload.session_status, SessionStatus::NoAnswer);
//!
//! // Any kind: the kind is detected, and the data says which it is.
//! let read = voicehook::read(body, &voicehook::Options::default());
//! assert!(matches!(read.document, Some(voicehook::Document::Vss(_))));
//! assert_eq!(read.report.warnings[0].rule, "normalize.status-spelling");
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::models::{callflow, vca, vcs, vnu, vru, vss, webhooks};
use crate::{Finding, Kind, Options, Report, catalog, validate};

/// A model of one of the ten kinds: what [`parse`](crate::parse()) reads a document into.
pub trait Model: DeserializeOwned + Serialize {
    /// The kind this model is the document of.
    const KIND: Kind;
}

/// One document of any kind, as its model ([`read`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Document {
    /// A Voice Session Summary webhook.
    Vss(Box<vss::VssWebhook>),
    /// A Voice Call Action webhook.
    Vca(Box<vca::VcaWebhook>),
    /// A Voice Call Status webhook.
    Vcs(Box<vcs::VcsWebhook>),
    /// A Voice Recording Uploaded webhook.
    Vru(Box<vru::VruWebhook>),
    /// A Virtual Number Updated webhook.
    Vnu(Box<vnu::VnuWebhook>),
    /// A Send Callflow request body.
    Callflow(Box<callflow::Callflow>),
    /// The callflow a server answers a VCA with.
    VcaReply(Box<callflow::VcaReply>),
    /// 8x8's answer to a Send Callflow request.
    CallflowResult(Box<callflow::CallflowResult>),
    /// A webhook registration request body.
    WebhookCreate(Box<webhooks::WebhookCreate>),
    /// 8x8's list of registered webhooks.
    WebhookList(Box<webhooks::WebhookList>),
}

macro_rules! models {
    ($($variant:ident => $model:ty),* $(,)?) => {
        $(impl Model for $model {
            const KIND: Kind = Kind::$variant;
        })*

        impl Document {
            /// The kind of the document.
            pub fn kind(&self) -> Kind {
                match self {
                    $(Document::$variant(_) => Kind::$variant,)*
                }
            }

            /// The document of `kind` in `value`, read by its model.
            pub(crate) fn of(kind: Kind, value: serde_json::Value) -> serde_json::Result<Document> {
                Ok(match kind {
                    $(Kind::$variant => Document::$variant(Box::new(serde_json::from_value(value)?)),)*
                })
            }
        }
    };
}

models! {
    Vss => vss::VssWebhook,
    Vca => vca::VcaWebhook,
    Vcs => vcs::VcsWebhook,
    Vru => vru::VruWebhook,
    Vnu => vnu::VnuWebhook,
    Callflow => callflow::Callflow,
    VcaReply => callflow::VcaReply,
    CallflowResult => callflow::CallflowResult,
    WebhookCreate => webhooks::WebhookCreate,
    WebhookList => webhooks::WebhookList,
}

/// What [`read`] made of one input: the typed document when the report is valid, and the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Read {
    /// The normalized document as its kind's model; `None` unless `report.valid`.
    pub document: Option<Document>,
    /// The validation report (quirks that were rewritten are its warnings).
    pub report: Report,
}

/// Validates `input` (detecting its kind unless `options.kind` says it) and, when it is valid,
/// reads the normalized document into its kind's model.
pub fn read(input: &[u8], options: &Options) -> Read {
    let outcome = validate::run(input, options);
    let mut report = outcome.report;
    let document = match (report.valid, report.kind, outcome.normalized) {
        (true, Some(kind), Some(doc)) => match Document::of(kind, doc.root().to_value()) {
            Ok(document) => Some(document),
            Err(error) => {
                unreadable(&mut report, kind, &error);
                None
            }
        },
        _ => None,
    };
    Read { document, report }
}

/// [`read`] as the model `T`: the input is checked as `T`'s kind. `Err` holds the report of an
/// input that is not a valid document of that kind.
pub fn parse_with<T: Model>(input: &[u8], options: &Options) -> Result<T, Report> {
    let options = Options {
        kind: Some(T::KIND),
        ..options.clone()
    };
    // Most documents are plain: the fast path proves them valid, and serde reads them as sent.
    if validate::fast_report(input, &options).is_some()
        && let Ok(model) = serde_json::from_slice::<T>(input)
    {
        return Ok(model);
    }
    let outcome = validate::run(input, &options);
    let mut report = outcome.report;
    match (report.valid, outcome.normalized) {
        (true, Some(doc)) => match serde_json::from_value::<T>(doc.root().to_value()) {
            Ok(model) => return Ok(model),
            Err(error) => unreadable(&mut report, T::KIND, &error),
        },
        (true, None) => unreadable(&mut report, T::KIND, &"no document"),
        _ => {}
    }
    Err(report)
}

/// A valid document its model cannot read (a disagreement between the schema and the model,
/// which the tests look for): the report says so, and is no longer valid.
pub(crate) fn unreadable(report: &mut Report, kind: Kind, error: &dyn std::fmt::Display) {
    report.valid = false;
    report.errors.push(Finding::new(
        "",
        &catalog::DOCUMENT_UNREADABLE,
        format!("the document passes the {kind} schema, but its model cannot read it: {error}"),
    ));
}
