//! The fast path: most webhooks are valid, so validity is first decided by one typed,
//! zero-copy pass over the bytes (borrowed strings, no `serde_json::Value`, no regular
//! expressions, no positions); the full pipeline runs only when this pass cannot *prove* the
//! document valid.
//!
//! [`check`] answers `Some(report)` only for a document the full path would report valid with
//! no warning at all: the same [`Report`] (`valid`, the kind, nothing else). Anything it is
//! unsure of returns `None`, so the two paths can never disagree about an invalid document;
//! `tests/differential.rs` checks the other direction on every fixture and on thousands of
//! generated mutations.
//!
//! Where serde and JSON Schema part ways, the fast path bails out rather than guess:
//! - an integer written as `23.0` (JSON Schema's integer, serde's float): bail;
//! - duplicate keys (the full path's `json.duplicate-key`): every object, declared members or
//!   not, is read member by member and a repeated key bails out;
//! - an array where an object belongs (serde's derive would read a struct from a sequence):
//!   every object is read with `deserialize_map` and a `visit_map`-only visitor.
//!
//! It also bails out on everything that would draw a warning: a byte order mark, an integer
//! beyond 64 bits, each documented quirk normalization rewrites (`"null"` strings, numeric
//! strings, `NO ANSWER`, capitalised leg keys) and every condition under which a webhook rule
//! might report. Which kinds are decided here: the five webhooks (VSS, VCA, VCS, VRU, VNU). The
//! documents users send (unknown fields warn there) and 8x8's API answers go to the full path.

mod de;
mod text;
mod webhook;

use crate::{Options, Report};

/// The valid report of `input` when one typed pass proves it, `None` when the full path must
/// decide.
pub(crate) fn check(input: &[u8], options: &Options) -> Option<Report> {
    proven(input, options).map(|(kind, _)| valid(kind))
}

/// [`check`], and for a session summary it proves valid, its `sessionStatus` and
/// `errorDetails.errorCode` as written (a valid one is written the usual way).
pub(crate) fn check_session(
    input: &[u8],
    options: &Options,
) -> Option<(Report, Option<crate::bulk::Session>)> {
    let (kind, doc) = proven(input, options)?;
    let session = (kind == crate::Kind::Vss).then(|| doc.session()).flatten();
    Some((valid(kind), session))
}

/// The report of a valid webhook without warnings.
fn valid(kind: crate::Kind) -> Report {
    Report {
        valid: true,
        kind: Some(kind),
        ..Report::default()
    }
}

/// The kind of `input` and the webhook as read, when one typed pass proves it valid.
fn proven<'a>(input: &'a [u8], options: &Options) -> Option<(crate::Kind, webhook::Webhook<'a>)> {
    // Options that change what a valid webhook's report says, or limits tighter than what the
    // fast path allows (it keeps documents far shallower than the default depth limit).
    if input.len() > options.max_size
        || options.max_depth < crate::DEFAULT_MAX_DEPTH
        || options.kind.is_some_and(|k| !k.is_webhook())
    {
        return None;
    }
    // UTF-8 is checked once; reading from a `&str` is faster than from bytes.
    let text = std::str::from_utf8(input).ok()?;
    let doc: webhook::Webhook<'_> = serde_json::from_str(text).ok()?;
    let kind = doc.kind(options.kind)?;
    doc.check(kind).then_some((kind, doc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    fn fast(json: &str) -> Option<Report> {
        check(json.as_bytes(), &Options::default())
    }

    const VCS: &str = r#"{"payload": {"eventId": "e2078079-eae8-11f0-ae64-a500004e488e",
        "callId": "e1ff6a14-eae8-11f0-baa6-c93abb37794a",
        "sessionId": "e1ff6a15-eae8-11f0-baa6-c147150ab00e", "subAccountId": "8x8_test",
        "callStatus": "CALL_RECEIVED", "callDirection": "INBOUND", "callType": "PSTN",
        "source": "+6568330330", "destination": "+94778066434", "sourceFormat": "MSISDN",
        "destinationFormat": "MSISDN", "sourceCountryCode": "SG", "destinationCountryCode": "LK",
        "callDuration": 0, "sipCode": 200, "timestamp": "2026-01-08T10:26:14Z"},
        "namespace": "VOICE", "eventType": "CALL_STATUS", "description": "Call status update"}"#;

    #[test]
    fn a_valid_call_status_is_decided_here() {
        let report = fast(VCS).expect("fast path");
        assert!(report.valid);
        assert_eq!(report.kind, Some(Kind::Vcs));
    }

    #[test]
    fn the_three_serde_disagreements_bail_out() {
        assert!(fast(&VCS.replace("\"callDuration\": 0", "\"callDuration\": 0.0")).is_none());
        assert!(
            fast(&VCS.replace("\"sipCode\": 200", "\"sipCode\": 200, \"x\": 1, \"x\": 2"))
                .is_none()
        );
        assert!(
            fast(&VCS.replace("\"sipCode\": 200", "\"sipCode\": 200, \"sipCode\": 200")).is_none()
        );
        let array = VCS.replace("{\"eventId\"", "[\"eventId\"").replace(
            "\"timestamp\": \"2026-01-08T10:26:14Z\"}",
            "\"2026-01-08T10:26:14Z\"]",
        );
        assert!(fast(&array).is_none());
    }

    #[test]
    fn numbers_that_may_read_as_zero_bail_out() {
        for extra in [
            r#""x": -0"#,
            r#""x": -0.0"#,
            r#""x": 1e-400"#,
            r#""x": [{"y": -0}]"#,
        ] {
            let doc = VCS.replace("\"sipCode\": 200", &format!("\"sipCode\": 200, {extra}"));
            assert!(fast(&doc).is_none(), "{extra}");
        }
        // Inside strings (timestamps, ids) they are text; a small number that is not zero is
        // read as written.
        assert!(fast(&VCS.replace("Call status update", "at -0 e-1")).is_some());
        let small = VCS.replace("\"sipCode\": 200", "\"sipCode\": 200, \"x\": 2.5E-3");
        assert!(fast(&small).is_some());
        // A typed number field too: -0 is not the 0 a duration may be.
        assert!(fast(&VCS.replace("\"callDuration\": 0", "\"callDuration\": -0")).is_none());
    }

    #[test]
    fn options_that_matter_bail_out() {
        let small = Options {
            max_size: 10,
            ..Options::default()
        };
        assert!(check(VCS.as_bytes(), &small).is_none());
        let callflow = Options {
            kind: Some(Kind::Callflow),
            ..Options::default()
        };
        assert!(check(VCS.as_bytes(), &callflow).is_none());
        let vcs = Options {
            kind: Some(Kind::Vcs),
            strict: true,
            mask: true,
            ..Options::default()
        };
        assert!(check(VCS.as_bytes(), &vcs).is_some());
        let vss = Options {
            kind: Some(Kind::Vss),
            ..Options::default()
        };
        assert!(check(VCS.as_bytes(), &vss).is_none());
    }
}
