//! Rules for the Voice Call Status (VCS) webhook.
//!
//! - `code.unknown`: `sipCode` not a SIP response code the 8x8 SIP page lists.
//! - `vcs.sip-status`: the SIP page says `sipCode` "typically shows 200 for
//!   connected calls", so a `CALL_CONNECTED` event with a failure code (4xx, 5xx, 6xx) or a
//!   provisional one (1xx) contradicts itself. The VCS statuses are call events, not outcomes
//!   (there is no BUSY or CANCELED among them), so no other pairing is documented.
//! - `number.format`, `country.unknown`: on `source`, `destination` and their country codes.

use super::Ctx;
use super::common::{as_whole, check_party_fields, check_sip_code};
use crate::catalog;
use crate::models::vcs::VcsCallStatus;
use crate::view::CallEvent;

/// Runs every VCS rule, over one typed view of the event.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let event = CallEvent::of(ctx.doc);
    check_sip_code(ctx, "/payload/sipCode");
    sip_status(ctx, &event);
    if let Some(payload) = ctx.doc.get("payload") {
        check_party_fields(ctx, payload, "/payload");
    }
}

/// `vcs.sip-status`.
fn sip_status(ctx: &mut Ctx<'_>, event: &CallEvent<'_>) {
    let (Some(VcsCallStatus::CallConnected), Some(code)) =
        (event.event_status(), event.sip_code.and_then(as_whole))
    else {
        return;
    };
    if (200..400).contains(&code) || !(100..700).contains(&code) {
        return;
    }
    ctx.emit(
        "/payload/sipCode",
        &catalog::VCS_SIP_STATUS,
        format!(
            "sipCode should be a success code (typically 200) when callStatus is CALL_CONNECTED, \
             found {code}{}",
            match crate::codes::sip(code) {
                Some(sip) => format!(" ({})", sip.reason),
                None => String::new(),
            }
        ),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::Kind;

    fn run(doc: &Value) -> Vec<(String, bool, String)> {
        crate::rules::testing::run(Kind::Vcs, check, doc)
    }

    use crate::rules::testing::found;

    /// The Number Masking call status example.
    fn example() -> Value {
        json!({
          "payload": {
            "eventId": "e2078079-eae8-11f0-ae64-a500004e488e",
            "callId": "e1ff6a14-eae8-11f0-baa6-c93abb37794a",
            "sessionId": "e1ff6a15-eae8-11f0-baa6-c147150ab00e",
            "subAccountId": "8x8_test",
            "callStatus": "CALL_RECEIVED",
            "callDirection": "INBOUND", "callType": "PSTN",
            "source": "+656833033", "destination": "+94778066434",
            "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
            "sourceCountryCode": "SG", "destinationCountryCode": "LK",
            "callDuration": 0, "sipCode": 200,
            "timestamp": "2026-01-06T10:17:19.375Z"
          },
          "namespace": "VOICE", "eventType": "CALL_STATUS", "description": "Status update of a call"
        })
    }

    #[test]
    fn the_documented_example_is_clean() {
        assert_eq!(run(&example()), vec![]);
    }

    #[test]
    fn a_connected_call_with_a_failure_code_warns() {
        let mut doc = example();
        doc["payload"]["callStatus"] = json!("CALL_CONNECTED");
        doc["payload"]["sipCode"] = json!(486);
        assert_eq!(
            run(&doc),
            vec![found("/payload/sipCode", false, "vcs.sip-status")]
        );
        doc["payload"]["callStatus"] = json!("CALL_DISCONNECTED");
        assert_eq!(run(&doc), vec![]);
    }

    #[test]
    fn unknown_sip_codes_warn() {
        let mut doc = example();
        doc["payload"]["sipCode"] = json!(999);
        assert_eq!(
            run(&doc),
            vec![found("/payload/sipCode", false, "code.unknown")]
        );
    }

    #[test]
    fn odd_shapes_do_not_panic() {
        for doc in [
            json!("x"),
            json!({"payload": {"callStatus": "CALL_CONNECTED", "sipCode": "486"}}),
            json!({"payload": {"callStatus": "CALL_CONNECTED", "sipCode": i64::MIN}}),
        ] {
            let _ = run(&doc);
        }
    }
}
