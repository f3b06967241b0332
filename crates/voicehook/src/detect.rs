//! Detection: which of the ten kinds a parsed document is, and for a VSS which product sent it.
//!
//! Detection reads the document's tape through a [`View`] ([`detect_view`],
//! [`guess_product_view`]); [`detect_value`] and [`guess_product`] do the same for a
//! `serde_json::Value`.

use serde::Serialize;
use serde_json::Value;

use crate::Kind;
use crate::parse::{Doc, View};

/// The 8x8 Voice product a session summary came from, as far as its shape tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Product {
    /// Interactive voice response: callflows answered through call action webhooks.
    Ivr,
    /// Voice Messaging: a message played to one called party.
    VoiceMessaging,
    /// Number Masking: two parties bridged through a virtual number.
    NumberMasking,
    /// Nothing in the summary points to one product.
    Unknown,
}

impl Product {
    /// The id as serialized: `ivr`, `voice-messaging`, `number-masking` or `unknown`.
    pub const fn id(self) -> &'static str {
        match self {
            Product::Ivr => "ivr",
            Product::VoiceMessaging => "voice-messaging",
            Product::NumberMasking => "number-masking",
            Product::Unknown => "unknown",
        }
    }

    /// The product's name as 8x8 writes it (`Voice` when unknown).
    pub const fn label(self) -> &'static str {
        match self {
            Product::Ivr => "IVR",
            Product::VoiceMessaging => "Voice Messaging",
            Product::NumberMasking => "Number Masking",
            Product::Unknown => "Voice",
        }
    }
}

impl std::fmt::Display for Product {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// What [`detect_view`] found: the kind (if any), and why.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Detection {
    /// The detected kind, `None` when the document matches none.
    pub kind: Option<Kind>,
    /// Why this kind (or why none), for a person.
    pub reason: String,
    /// For a VSS: the product that most likely sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductGuess>,
}

/// The product behind a session summary, with the evidence.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductGuess {
    /// The product that most likely sent it.
    pub product: Product,
    /// The clues that led to the guess.
    pub reasons: Vec<String>,
}

/// Detects the kind of an already parsed document held as a `serde_json::Value`:
/// [`detect_view`] of its tape.
pub fn detect_value(doc: &Value) -> Detection {
    let doc = Doc::from_value(doc);
    detect_view(doc.root())
}

/// Detects the kind of an already parsed document.
pub fn detect_view(doc: View<'_>) -> Detection {
    let detection = detect_kind(doc);
    let product = (detection.kind == Some(Kind::Vss)).then(|| guess_product_view(doc));
    Detection {
        product,
        ..detection
    }
}

/// [`detect_view`] without the product: the pipeline guesses that once, on the normalized
/// document.
pub(crate) fn detect_kind(doc: View<'_>) -> Detection {
    let (kind, reason) = kind_of(doc);
    Detection {
        kind,
        reason,
        product: None,
    }
}

fn kind_of(obj: View<'_>) -> (Option<Kind>, String) {
    if !obj.is_object() {
        return (
            None,
            format!(
                "the document is {}, but every 8x8 Voice document is a JSON object",
                obj.type_name()
            ),
        );
    }
    let contains_key = |key: &str| obj.get(key).is_some();
    if let Some(event_type) = obj.get("eventType") {
        let Some(event_type) = event_type.as_str() else {
            return (
                None,
                "`eventType` is not a string, so the webhook cannot be identified".into(),
            );
        };
        return match Kind::from_event_type(event_type) {
            Some(kind) => (
                Some(kind),
                format!("eventType {event_type} marks a {}", kind.title()),
            ),
            None => {
                let known: Vec<&str> = Kind::ALL.iter().filter_map(|k| k.event_type()).collect();
                let hint = crate::words::did_you_mean(event_type, known.iter().copied())
                    .map(|k| format!("; did you mean {k}?"))
                    .unwrap_or_default();
                (
                    None,
                    format!(
                        "eventType {} is not one 8x8 Voice sends (expected one of {}){hint}",
                        crate::words::show_text(event_type),
                        known.join(", ")
                    ),
                )
            }
        };
    }
    if contains_key("payload") && contains_key("namespace") {
        return (
            None,
            "a webhook envelope without `eventType` cannot be identified; pass the kind explicitly"
                .into(),
        );
    }
    if let Some(callflow) = obj.get("callflow") {
        if contains_key("validUntil") {
            return (
                Some(Kind::Callflow),
                "`callflow` with `validUntil` is a Send Callflow request".into(),
            );
        }
        if contains_key("clientActionId") {
            return (
                Some(Kind::VcaReply),
                "`callflow` with `clientActionId` answers a Voice Call Action".into(),
            );
        }
        let first = callflow
            .index(0)
            .and_then(|a| a.get("action"))
            .and_then(View::as_str);
        return if first == Some("makeCall") {
            (Some(Kind::Callflow), "a `callflow` that starts with makeCall reads as a Send Callflow request (use kind vca-reply for an answer to a VCA)".into())
        } else {
            (Some(Kind::VcaReply), "a `callflow` that does not start with makeCall reads as an answer to a Voice Call Action (use kind callflow for a Send Callflow request)".into())
        };
    }
    if contains_key("webhooks") {
        return (
            Some(Kind::WebhookList),
            "a `webhooks` array is a Webhooks API list response".into(),
        );
    }
    if contains_key("url") && contains_key("type") {
        return (
            Some(Kind::WebhookCreate),
            "`type` and `url` make a Webhooks API create request".into(),
        );
    }
    let session_status = obj.get("sessionStatus").and_then(View::as_str);
    if matches!(session_status, Some("CREATED" | "NOT_CREATED"))
        || contains_key("statusCode")
            && contains_key("statusMessage")
            && contains_key("sessionStatus")
    {
        return (
            Some(Kind::CallflowResult),
            "`sessionStatus` CREATED / NOT_CREATED with a status code is a Send Callflow response"
                .into(),
        );
    }
    (None, "the document matches none of the ten kinds (no `eventType`, `callflow`, `webhooks`, `url`/`type` or `sessionStatus`)".into())
}

/// [`guess_product_view`] of a session summary held as a `serde_json::Value`.
pub fn guess_product(doc: &Value) -> ProductGuess {
    let doc = Doc::from_value(doc);
    guess_product_view(doc.root())
}

/// Guesses which product produced a session summary from the clues the pages document.
pub fn guess_product_view(doc: View<'_>) -> ProductGuess {
    let payload = doc.get("payload");
    let field = |name: &str| payload.and_then(|p| p.get(name));
    // The legs: the values of `details`, read from the tape each time (none unless an object).
    let details = field("details").filter(|d| d.is_object());
    let legs = || details.into_iter().flat_map(View::members).map(|(_, v)| v);
    let leg_count = legs().count();
    let first_leg = legs().next();
    let mut ivr = Vec::new();
    let mut vm = Vec::new();
    let mut nm = Vec::new();

    if doc.get("version").is_some() {
        ivr.push("the envelope has `version`, which IVR summaries carry".to_string());
    }
    if field("clientRequestId").is_some() {
        ivr.push("`clientRequestId` echoes a Send Callflow request (IVR)".to_string());
    }
    match field("lastAction").and_then(View::as_str) {
        Some(a @ ("SAY_AND_CAPTURE" | "HANGUP")) => {
            ivr.push(format!("lastAction {a} is an IVR step"))
        }
        Some(a @ ("SAY" | "PLAY_FILE" | "PLAY_TTS")) => {
            vm.push(format!("lastAction {a} plays a message"))
        }
        _ => {}
    }
    let session_status = field("sessionStatus").and_then(View::as_str).unwrap_or("");
    if matches!(
        session_status,
        "COMPLETED_UNSUBSCRIBED" | "COMPLETED_UNSUB_ERROR" | "UNSUBSCRIBED_CONTACT"
    ) {
        vm.push(format!(
            "session status {session_status} is a Voice Messaging opt-out outcome"
        ));
    }
    // A leg in ERROR says nothing about the product: the Voice Messaging and the Number
    // Masking pages both list ERROR as a leg status.
    let inbound_first = first_leg
        .and_then(|l| l.get("callDirection"))
        .and_then(View::as_str)
        == Some("INBOUND");
    let bridged_by_ref = legs().any(|l| l.get("destinationRefId").is_some_and(View::is_string))
        && legs().any(|l| l.get("callDirection").and_then(View::as_str) == Some("OUTBOUND"));
    if leg_count == 2 && inbound_first && bridged_by_ref && ivr.is_empty() {
        nm.push("an inbound leg to a virtual number bridged to an outbound leg is the Number Masking pattern".to_string());
    }
    if leg_count == 1 && inbound_first && ivr.is_empty() {
        nm.push("a single inbound leg is a call that reached a virtual number and was not bridged, as Number Masking sessions start".to_string());
    }
    if leg_count == 1
        && first_leg
            .and_then(|l| l.get("callDirection"))
            .and_then(View::as_str)
            == Some("OUTBOUND")
        && ivr.is_empty()
    {
        vm.push("a single outbound leg is how a voice message is delivered".to_string());
    }
    if legs().any(|l| l.get("SourceRefId").is_some())
        || details.is_some_and(|d| d.get("CallA").is_some())
    {
        vm.push("capitalised leg keys (`CallA`, `SourceRefId`) appear only in Voice Messaging summaries".to_string());
    }

    let (product, reasons) = [
        (Product::Ivr, ivr),
        (Product::VoiceMessaging, vm),
        (Product::NumberMasking, nm),
    ]
    .into_iter()
    .max_by_key(|(_, r)| r.len())
    .filter(|(_, r)| !r.is_empty())
    .unwrap_or((
        Product::Unknown,
        vec!["nothing in the summary points to one product".to_string()],
    ));
    ProductGuess { product, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn webhooks_are_detected_by_event_type() {
        let d =
            detect_value(&json!({"namespace": "VOICE", "eventType": "CALL_STATUS", "payload": {}}));
        assert_eq!(d.kind, Some(Kind::Vcs));
        let d = detect_value(&json!({"namespace": "VOICE", "eventType": "RINGING", "payload": {}}));
        assert_eq!(d.kind, None);
        assert!(d.reason.contains("RINGING"), "{}", d.reason);
    }

    #[test]
    fn documents_are_detected_by_shape() {
        let cases = [
            (
                json!({"validUntil": "2030-01-01T00:00:00Z", "callflow": []}),
                Kind::Callflow,
            ),
            (
                json!({"clientActionId": "x", "callflow": []}),
                Kind::VcaReply,
            ),
            (
                json!({"callflow": [{"action": "makeCall"}]}),
                Kind::Callflow,
            ),
            (json!({"callflow": [{"action": "say"}]}), Kind::VcaReply),
            (
                json!({"sessionStatus": "CREATED", "statusCode": 1, "statusMessage": "Created"}),
                Kind::CallflowResult,
            ),
            (
                json!({"type": "VSS", "url": "https://x"}),
                Kind::WebhookCreate,
            ),
            (json!({"webhooks": [], "count": 0}), Kind::WebhookList),
        ];
        for (doc, kind) in cases {
            assert_eq!(detect_value(&doc).kind, Some(kind), "{doc}");
        }
        assert_eq!(detect_value(&json!([1])).kind, None);
        assert_eq!(detect_value(&json!({"hello": 1})).kind, None);
    }

    #[test]
    fn product_guess_reads_the_clues() {
        let ivr = json!({"version": 5, "payload": {"clientRequestId": "r", "details": {}}});
        assert_eq!(guess_product(&ivr).product, Product::Ivr);
        let nm = json!({"payload": {"lastAction": "MAKE_CALL", "details": {
            "callA": {"callDirection": "INBOUND", "destinationRefId": "vn"},
            "callB": {"callDirection": "OUTBOUND"}}}});
        assert_eq!(guess_product(&nm).product, Product::NumberMasking);
        let vm = json!({"payload": {"details": {"CallA": {"callDirection": "OUTBOUND", "SourceRefId": "null"}}}});
        assert_eq!(guess_product(&vm).product, Product::VoiceMessaging);
        assert_eq!(guess_product(&json!({})).product, Product::Unknown);
    }

    #[test]
    fn a_parsed_document_is_detected_from_its_tape() {
        let text = r#"{"namespace": "VOICE", "eventType": "SESSION_SUMMARY", "payload": {"details": {
            "callA": {"callDirection": "INBOUND", "destinationRefId": "vn"},
            "callB": {"callDirection": "OUTBOUND"}}}}"#;
        let doc = Doc::parse_str(text).unwrap();
        let d = detect_view(doc.root());
        assert_eq!(d, detect_value(&serde_json::from_str(text).unwrap()));
        assert_eq!(d.kind, Some(Kind::Vss));
        assert_eq!(d.product.unwrap().product, Product::NumberMasking);
        for (text, what) in [
            ("[1]", "an array"),
            ("7", "an integer"),
            ("-7", "an integer"),
            ("7.5", "a number"),
            ("18446744073709551616", "a number"),
            ("null", "null"),
            ("true", "a boolean"),
            (r#""s""#, "a string"),
            ("{}", "an object"),
        ] {
            let doc = Doc::parse_str(text).unwrap();
            assert_eq!(doc.root().type_name(), what, "{text}");
        }
    }

    /// An inbound call to a virtual number that failed is Number Masking: both the Number
    /// Masking and the Voice Messaging pages list ERROR as a leg status, so ERROR is no clue.
    #[test]
    fn an_inbound_error_leg_is_number_masking() {
        let nm = json!({"payload": {"sessionStatus": "ERROR", "lastAction": "MAKE_CALL", "details": {
            "callA": {"callDirection": "INBOUND", "destinationRefId": "vn", "callStatus": "ERROR"}}}});
        let guess = guess_product(&nm);
        assert_eq!(guess.product, Product::NumberMasking, "{:?}", guess.reasons);
        assert!(
            guess
                .reasons
                .iter()
                .all(|r| !r.contains("only the Voice Messaging"))
        );
        let vm = json!({"payload": {"sessionStatus": "ERROR", "details": {
            "callA": {"callDirection": "OUTBOUND", "callStatus": "ERROR"}}}});
        assert_eq!(guess_product(&vm).product, Product::VoiceMessaging);
    }
}
