//! Rules for the Virtual Number Updated (VNU) webhook.
//!
//! - `vnu.total`: `totalNumbers` is the count of virtual numbers assigned to the sub-account
//!   and `virtualNumbers` lists them. Listing more numbers than are assigned is an error. A
//!   `SNAPSHOT` that lists fewer is a warning (the page does not say in words that a snapshot
//!   lists every number); an `UPDATES` event may list only the numbers that changed.
//! - `vnu.duplicate`: the same `msisdn` listed twice.
//! - `number.format`, `country.unknown`: on each entry's `msisdn` and `countryCode`.

use super::Ctx;
use super::common::{as_whole, check_country, check_number, child};
use crate::catalog;
use crate::models::vnu::UpdateEventType;
use crate::view::{NUMBERS, NumberUpdate};

/// Runs every VNU rule, over one typed view of the update.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let update = NumberUpdate::of(ctx.doc);
    total(ctx, &update);
    duplicates(ctx, &update);
    for (i, entry) in update.entries() {
        if entry.is_object() {
            let at = format!("{NUMBERS}/{i}");
            check_number(ctx, entry, &at, "msisdn");
            check_country(ctx, entry, &at, "countryCode");
        }
    }
}

/// `vnu.total`.
fn total(ctx: &mut Ctx<'_>, update: &NumberUpdate<'_>) {
    let pointer = "/payload/totalNumbers";
    let (Some(written), Some(_)) = (update.total, update.numbers) else {
        return;
    };
    let Some(total) = as_whole(written) else {
        return;
    };
    let listed = i64::try_from(update.count()).unwrap_or(i64::MAX);
    if listed > total {
        ctx.emit(
            pointer,
            &catalog::VNU_TOTAL,
            format!(
                "totalNumbers should be at least the number of entries in virtualNumbers \
                 ({listed}), found {written}"
            ),
        );
    } else if listed < total && update.event_type == Some(UpdateEventType::Snapshot) {
        ctx.emit(
            pointer,
            &catalog::VNU_TOTAL,
            format!(
                "a SNAPSHOT is expected to list every assigned virtual number: totalNumbers is \
                 {written} but virtualNumbers has {listed}"
            ),
        );
    }
}

/// `vnu.duplicate`.
fn duplicates(ctx: &mut Ctx<'_>, update: &NumberUpdate<'_>) {
    // Where each number was first listed: one lookup per entry, however many there are.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, entry) in update.entries() {
        let Some(msisdn) = entry.get("msisdn").and_then(|v| v.as_str()) else {
            continue;
        };
        if let Some(first) = seen.get(msisdn) {
            let shown = super::common::show_number(ctx, msisdn);
            ctx.emit(
                &child(&format!("{NUMBERS}/{i}"), "msisdn"),
                &catalog::VNU_DUPLICATE,
                format!(
                    "each virtual number is expected once, found {shown:?} again (first at \
                     virtualNumbers/{first})"
                ),
            );
        } else {
            seen.insert(msisdn, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::Kind;

    fn run(doc: &Value) -> Vec<(String, bool, String)> {
        crate::rules::testing::run(Kind::Vnu, check, doc)
    }

    use crate::rules::testing::found;

    fn number(msisdn: &str) -> Value {
        json!({
            "msisdn": msisdn, "updatedTimestamp": "2023-02-17T05:10:14.760Z", "countryCode": "SG",
            "operationalStatus": "Active", "referenceId": "MyVirtualNumber-1", "rentalPrice": 5.0,
            "incomingRate": 0.05, "billingUnit": 1, "billingCurrency": "USD",
            "numberHealthCheckEnabled": false, "updateStatus": "UPDATED"
        })
    }

    fn example() -> Value {
        json!({
          "namespace": "VOICE", "eventType": "VIRTUAL_NUMBER_UPDATE",
          "description": "Status of account virtual number(s) updated",
          "payload": {
            "subAccountId": "MySubAccount", "totalNumbers": 2, "updateEventType": "UPDATES",
            "virtualNumbers": [number("+65123456789"), number("+65987654321")]
          }
        })
    }

    #[test]
    fn the_documented_example_is_clean() {
        assert_eq!(run(&example()), vec![]);
    }

    #[test]
    fn more_entries_than_numbers_is_an_error() {
        let mut doc = example();
        doc["payload"]["totalNumbers"] = json!(1);
        assert_eq!(
            run(&doc),
            vec![found("/payload/totalNumbers", false, "vnu.total")]
        );
    }

    #[test]
    fn a_short_snapshot_warns_a_short_update_does_not() {
        let mut doc = example();
        doc["payload"]["totalNumbers"] = json!(3);
        assert_eq!(run(&doc), vec![]);
        doc["payload"]["updateEventType"] = json!("SNAPSHOT");
        assert_eq!(
            run(&doc),
            vec![found("/payload/totalNumbers", false, "vnu.total")]
        );
    }

    #[test]
    fn duplicates_numbers_and_countries() {
        let mut doc = example();
        doc["payload"]["virtualNumbers"][1] = number("+65123456789");
        doc["payload"]["virtualNumbers"][0]["countryCode"] = json!("ZZ");
        doc["payload"]["virtualNumbers"][0]["msisdn"] = json!("65123456789");
        doc["payload"]["virtualNumbers"][1]["msisdn"] = json!("65123456789");
        assert_eq!(
            run(&doc),
            vec![
                found("/payload/virtualNumbers/1/msisdn", false, "vnu.duplicate"),
                found("/payload/virtualNumbers/0/msisdn", false, "number.format"),
                found(
                    "/payload/virtualNumbers/0/countryCode",
                    false,
                    "country.unknown"
                ),
                found("/payload/virtualNumbers/1/msisdn", false, "number.format"),
            ]
        );
    }

    #[test]
    fn odd_shapes_do_not_panic() {
        for doc in [
            json!({"payload": {"totalNumbers": -1, "virtualNumbers": [1, null, {"msisdn": 5}]}}),
            json!({"payload": {"totalNumbers": 1e300, "virtualNumbers": {}}}),
        ] {
            let _ = run(&doc);
        }
    }
}
