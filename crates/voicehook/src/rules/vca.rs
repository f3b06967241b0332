//! Rules for the Voice Call Action (VCA) webhook.
//!
//! - `vca.dtmf`: `eventData.dtmf` carries the digits a `sayAndCapture` collected, so
//!   it belongs to `callStatus` `ACTION_COMPLETED`; a DTMF value on `CALL_RECEIVED` (a call
//!   just arrived, nothing was captured yet) is an error. A null `dtmf` is "nothing captured".
//! - `vca.client-action-id`: `clientActionId` echoes the id of the previous reply,
//!   so it is expected only on `ACTION_COMPLETED`.
//! - `code.unknown`: `sipCode` not a SIP response code the 8x8 SIP page lists.
//! - `number.format`, `country.unknown`: on `source`, `destination` and their country codes.

use super::Ctx;
use super::common::{check_party_fields, check_sip_code};
use crate::catalog;
use crate::models::vca::VcaCallStatus;
use crate::view::CallEvent;

/// Runs every VCA rule, over one typed view of the event.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let event = CallEvent::of(ctx.doc);
    // The call status in its canonical spelling (the legacy `DTMF_RECEIVED` is
    // `ACTION_COMPLETED`, also in strict mode), when it is one the schema accepts: a wrong
    // `callStatus` is one finding (the schema's), not also every rule that reads it.
    let status = event
        .action_status()
        .filter(|_| !ctx.has_error_at("/payload/callStatus"));
    if let Some(status) = status {
        dtmf(ctx, &event, status);
        client_action_id(ctx, &event, status);
    }
    check_sip_code(ctx, "/payload/sipCode");
    if let Some(payload) = ctx.doc.get("payload") {
        check_party_fields(ctx, payload, "/payload");
    }
}

/// `vca.dtmf`.
fn dtmf(ctx: &mut Ctx<'_>, event: &CallEvent<'_>, status: VcaCallStatus) {
    if status == VcaCallStatus::ActionCompleted || event.dtmf.is_none() {
        return;
    }
    ctx.emit(
        "/payload/eventData/dtmf",
        &catalog::VCA_DTMF,
        format!(
            "eventData.dtmf is expected only with callStatus ACTION_COMPLETED (digits captured \
             by sayAndCapture), found it with {status}"
        ),
    );
}

/// `vca.client-action-id`.
fn client_action_id(ctx: &mut Ctx<'_>, event: &CallEvent<'_>, status: VcaCallStatus) {
    if status == VcaCallStatus::ActionCompleted || event.client_action_id.is_none() {
        return;
    }
    ctx.emit(
        "/payload/clientActionId",
        &catalog::VCA_CLIENT_ACTION_ID,
        format!(
            "clientActionId echoes the id of your previous callflow reply and is expected only \
             with callStatus ACTION_COMPLETED, found it with {status}"
        ),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::Kind;

    fn run(doc: &Value) -> Vec<(String, bool, String)> {
        crate::rules::testing::run(Kind::Vca, check, doc)
    }

    use crate::rules::testing::found;

    /// The IVR call action example (its comment, trailing and missing commas repaired).
    fn ivr_action() -> Value {
        json!({
          "namespace": "VOICE", "eventType": "CALL_ACTION", "description": "Action request of a call",
          "payload": {
            "eventId": "77e6a667-133a-11ef-9dd4-e911cc6fc82f",
            "callId": "627e25f1-133a-11ef-b08c-e33c09483244",
            "sessionId": "a4fad4b3-b388-12ee-b217-2fb8260fcf59",
            "subAccountId": "account_x",
            "callStatus": "ACTION_COMPLETED",
            "callDirection": "OUTBOUND", "callType": "PSTN",
            "source": "+6568888888", "destination": "+6598888888",
            "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
            "sourceCountryCode": "SG", "destinationCountryCode": "SG",
            "sourceRefId": "SOME-VN-REF-ID", "destinationRefId": "ANOTHER-VN-REF-ID",
            "callDuration": 0,
            "eventData": {"dtmf": "1"},
            "sipCode": 200,
            "timestamp": "2024-05-16T04:12:11.217Z",
            "clientActionId": "ivr1_level1"
          }
        })
    }

    /// The Number Masking call action example.
    fn nm_received() -> Value {
        json!({
          "namespace": "VOICE", "eventType": "CALL_ACTION", "description": "Action request of a call",
          "payload": {
            "eventId": "eb0fc709-9693-11ea-454d-1705dde98182",
            "callId": "a1d6a5e3-efec-11e9-b999-7d370b5f90d1",
            "sessionId": "a1d6a5e2-efec-11e9-b999-efc71013a78f",
            "subAccountId": "your_subaccount_id",
            "callStatus": "CALL_RECEIVED",
            "callDirection": "INBOUND", "callType": "PSTN",
            "source": "+65123456789", "destination": "+65987654321",
            "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
            "sourceCountryCode": "SG", "destinationCountryCode": "SG",
            "destinationRefId": "vn-ref-1",
            "callDuration": 0, "sipCode": 200,
            "timestamp": "2019-10-16T08:12:01Z"
          }
        })
    }

    #[test]
    fn documented_examples_are_clean() {
        assert_eq!(run(&ivr_action()), vec![]);
        assert_eq!(run(&nm_received()), vec![]);
    }

    #[test]
    fn dtmf_on_a_received_call_is_an_error() {
        let mut doc = nm_received();
        doc["payload"]["eventData"] = json!({"dtmf": "5"});
        assert_eq!(
            run(&doc),
            vec![found("/payload/eventData/dtmf", false, "vca.dtmf")]
        );
        doc["payload"]["eventData"] = json!({"dtmf": null});
        assert_eq!(run(&doc), vec![]);
    }

    #[test]
    fn client_action_id_on_a_received_call_is_a_warning() {
        let mut doc = nm_received();
        doc["payload"]["clientActionId"] = json!("menu");
        assert_eq!(
            run(&doc),
            vec![found(
                "/payload/clientActionId",
                false,
                "vca.client-action-id"
            )]
        );
    }

    #[test]
    fn unknown_sip_codes_warn() {
        let mut doc = ivr_action();
        doc["payload"]["sipCode"] = json!(299);
        assert_eq!(
            run(&doc),
            vec![found("/payload/sipCode", false, "code.unknown")]
        );
    }

    #[test]
    fn odd_shapes_do_not_panic() {
        for doc in [
            json!(1),
            json!({"payload": {"callStatus": 3, "eventData": "x"}}),
            json!({"payload": {"callStatus": "CALL_RECEIVED", "eventData": [1]}}),
        ] {
            let _ = run(&doc);
        }
    }
}
