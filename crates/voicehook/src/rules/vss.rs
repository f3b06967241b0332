//! Rules for the Voice Session Summary (VSS) webhook.
//!
//! - `vss.timestamps`: `startTime` ≤ `endTime`; in each leg `initiatedTimestamp` ≤
//!   `connectedTimestamp` ≤ `disconnectedTimestamp`; every leg timestamp inside the session
//!   window, give or take [`SKEW_MS`]. A timestamp that fits the window once its year is
//!   replaced by the session's is called "a year off" (the Voice Messaging failure example).
//! - `vss.duration`: `callDuration` agrees with connected → disconnected within 2 s,
//!   and is 0 on a leg that never connected.
//! - `vss.call-count`: `callCount` equals the number of legs in `details`. The pages
//!   describe it as the legs "bridged", but every example counts each leg present, including a
//!   leg that was busy or failed with an error, so the examples decide.
//! - `vss.error-details`: `errorDetails` goes with `sessionStatus` `ERROR`. The pages
//!   make it optional and say a summary may carry `errorDetails` "and/or" `ERROR`, so either
//!   one without the other is worth a look rather than wrong.
//! - `vss.session-status`: the session status agrees with the leg statuses. On a Number
//!   Masking shaped session (`callA` inbound, optionally bridged to an outbound `callB`) the
//!   Number Masking page's table applies. Elsewhere only a plain contradiction is reported,
//!   such as `COMPLETED` when no leg completed.
//! - `code.unknown` / `code.wrong-table`: `errorDetails.errorCode` from the session error table.
//! - `number.format`, `country.unknown`: on each leg's numbers and country codes.

use crate::parse::View;
use crate::view::{Leg, Session};

use super::Ctx;
use super::common::{
    SKEW_MS, Timestamp, as_whole, check_party_fields, check_session_error_code, child, span,
};
use crate::catalog;
use crate::codes;
use crate::models::common::CallDirection;
use crate::models::vss::SessionStatus;

/// Runs every VSS rule, over one typed view of the summary.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let session = Session::of(ctx.doc);
    timestamps(ctx, &session);
    duration(ctx, &session);
    call_count(ctx, &session);
    error_details(ctx, &session);
    session_status(ctx, &session);
    error_codes(ctx, &session);
    for leg in session.legs() {
        check_party_fields(ctx, leg.fields, &leg.pointer());
    }
}

/// `vss.timestamps`.
fn timestamps(ctx: &mut Ctx<'_>, session: &Session<'_>) {
    let (start, end) = (session.start.at, session.end.at);
    if let (Some(s), Some(e)) = (start, end)
        && e.millis() < s.millis()
    {
        ctx.emit(
            "/payload/endTime",
            &catalog::VSS_TIMESTAMPS,
            format!(
                "endTime should not be before startTime, found it {} earlier",
                span(s.millis() - e.millis())
            ),
        );
    }
    for leg in session.legs() {
        let base = leg.pointer();
        let times: Vec<(&str, Timestamp)> = leg
            .moments()
            .into_iter()
            .filter_map(|(name, m)| Some((name, m.at?)))
            .collect();
        // Order inside the leg: each present timestamp not before the previous present one.
        for pair in times.windows(2) {
            let [(before_name, before), (after_name, after)] = pair else {
                continue;
            };
            if after.millis() < before.millis() {
                ctx.emit(
                    &child(&base, after_name),
                    &catalog::VSS_TIMESTAMPS,
                    format!(
                        "{after_name} should not be before {before_name}, found it {} earlier",
                        span(before.millis() - after.millis())
                    ),
                );
            }
        }
        // Inside the session window.
        for (name, t) in &times {
            let pointer = child(&base, name);
            if let Some(s) = start
                && t.millis() < s.millis() - SKEW_MS
            {
                let message = format!(
                    "{name} should fall within the session (startTime {}), found it {} earlier{}",
                    session.start.written.unwrap_or("?"),
                    span(s.millis() - t.millis()),
                    year_off(*t, start, end),
                );
                ctx.emit(&pointer, &catalog::VSS_TIMESTAMPS, message);
            } else if let Some(e) = end
                && t.millis() > e.millis() + SKEW_MS
            {
                let message = format!(
                    "{name} should fall within the session (endTime {}), found it {} later{}",
                    session.end.written.unwrap_or("?"),
                    span(t.millis() - e.millis()),
                    year_off(*t, start, end),
                );
                ctx.emit(&pointer, &catalog::VSS_TIMESTAMPS, message);
            }
        }
    }
}

/// The first few of `total` items, comma-separated, with how many more there are: a message
/// about a million legs stays one line.
fn some_of<'i>(items: impl Iterator<Item = &'i str>, total: usize) -> String {
    const SHOWN: usize = 10;
    let mut text = items.take(SHOWN).collect::<Vec<_>>().join(", ");
    if total > SHOWN {
        text.push_str(&format!(" and {} more", total - SHOWN));
    }
    text
}

/// A number as the document wrote it (`1e16`, not a saturated integer).
fn written(v: Option<View<'_>>) -> String {
    v.map_or_else(|| "?".to_owned(), |v| v.to_value().to_string())
}

/// A note when `t` would fit the session window if it carried the session's year.
fn year_off(t: Timestamp, start: Option<Timestamp>, end: Option<Timestamp>) -> String {
    let Some(anchor) = start.or(end) else {
        return String::new();
    };
    if anchor.year == t.year {
        return String::new();
    }
    let moved = t.in_year(anchor.year).millis();
    let after_start = start.is_none_or(|s| moved >= s.millis() - SKEW_MS);
    let before_end = end.is_none_or(|e| moved <= e.millis() + SKEW_MS);
    if after_start && before_end {
        let n = (anchor.year - t.year).unsigned_abs();
        let years = if n == 1 {
            "a year".to_owned()
        } else {
            format!("{n} years")
        };
        format!(
            "; it is {years} off: the same date and time in {} fits the session, so the year \
             {} is likely wrong",
            anchor.year, t.year
        )
    } else {
        String::new()
    }
}

/// `vss.duration`.
fn duration(ctx: &mut Ctx<'_>, session: &Session<'_>) {
    for leg in session.legs() {
        let Some(seconds) = leg.call_duration.and_then(as_whole) else {
            continue;
        };
        let pointer = child(&leg.pointer(), "callDuration");
        let [_, connected, disconnected] = leg.times();
        match (leg.has_connected, connected.at, disconnected.at) {
            (false, _, _) if seconds != 0 => ctx.emit(
                &pointer,
                &catalog::VSS_DURATION,
                format!(
                    "callDuration should be 0 on a leg that never connected (no \
                     connectedTimestamp), found {}",
                    written(leg.call_duration)
                ),
            ),
            (true, Some(connected), Some(disconnected))
                if disconnected.millis() >= connected.millis() =>
            {
                let talked = disconnected.millis() - connected.millis();
                if seconds
                    .saturating_mul(1_000)
                    .saturating_sub(talked)
                    .saturating_abs()
                    > SKEW_MS
                {
                    ctx.emit(
                        &pointer,
                        &catalog::VSS_DURATION,
                        format!(
                            "callDuration should match the time from connectedTimestamp to \
                             disconnectedTimestamp ({}) within 2 s, found {} s",
                            span(talked),
                            written(leg.call_duration)
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `vss.call-count`.
fn call_count(ctx: &mut Ctx<'_>, session: &Session<'_>) {
    let Some(count) = session.call_count.and_then(as_whole) else {
        return;
    };
    let Some(details) = session.details else {
        return;
    };
    let legs = details.len();
    if usize::try_from(count).ok() != Some(legs) {
        let names = some_of(details.keys(), legs);
        ctx.emit(
            "/payload/callCount",
            &catalog::VSS_CALL_COUNT,
            format!(
                "callCount should equal the number of call legs in details ({legs}: {}), found {}",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names
                },
                written(session.call_count)
            ),
        );
    }
}

/// `vss.error-details`.
fn error_details(ctx: &mut Ctx<'_>, session: &Session<'_>) {
    let Some(status) = session.status_text else {
        return;
    };
    match (session.status, session.error_details) {
        (Some(SessionStatus::Error), None) => ctx.emit(
            "/payload/errorDetails",
            &catalog::VSS_ERROR_DETAILS,
            "errorDetails is expected with sessionStatus ERROR (it carries errorCode and \
             errorMsg), found none; the cause of the error is unknown",
        ),
        // An opt-out that failed may explain itself; any other outcome should not carry an error.
        (Some(SessionStatus::Error | SessionStatus::CompletedUnsubError), Some(_)) | (_, None) => {}
        (_, Some(_)) => ctx.emit(
            "/payload/errorDetails",
            &catalog::VSS_ERROR_DETAILS,
            format!(
                "errorDetails is expected only with sessionStatus ERROR, found it with {status}"
            ),
        ),
    }
}

/// `vss.session-status`.
fn session_status(ctx: &mut Ctx<'_>, session: &Session<'_>) {
    // The six statuses every product shares (the opt-out ones are Voice Messaging's own).
    let (Some(status), Some(written)) = (session.status, session.status_text) else {
        return;
    };
    use SessionStatus::*;
    if !matches!(
        status,
        Completed | Busy | NoAnswer | Failed | Canceled | Error
    ) {
        return;
    }
    let Some(details) = session.details else {
        return;
    };
    let (a, b) = (session.leg("callA"), session.leg("callB"));
    let direction = |leg: Option<Leg<'_>>| leg.and_then(|l| l.direction);

    // Number Masking shape: callA inbound, and at most an outbound callB beside it.
    let inbound = direction(a) == Some(CallDirection::Inbound);
    let nm_shaped = match (b, details.len()) {
        (None, 1) => inbound,
        (Some(_), 2) => inbound && direction(b) == Some(CallDirection::Outbound),
        _ => false,
    };
    if nm_shaped && let Some(a) = a.and_then(|a| a.status_text) {
        let b = b.and_then(|b| b.status_text);
        if let Some(expected) = codes::nm_session_status(a, b) {
            if expected != written {
                let message = format!(
                    "sessionStatus should be {expected} when callA is {a} and {}, as the Number \
                     Masking session status table gives, found {written}",
                    match b {
                        Some(b) => format!("callB is {b}"),
                        None => "there is no callB".to_owned(),
                    }
                );
                ctx.emit(
                    "/payload/sessionStatus",
                    &catalog::VSS_SESSION_STATUS,
                    message,
                );
            }
            return;
        }
    }

    // Elsewhere: a status that names a leg outcome no leg had.
    if !matches!(status, Completed | Busy | NoAnswer | Canceled) {
        return;
    }
    let statuses = || session.legs().filter_map(|l| l.status_text);
    let count = statuses().count();
    let had = |l: Leg<'_>| l.status.is_some_and(|s| s.as_str() == status.as_str());
    if count == 0 || session.legs().any(had) {
        return;
    }
    ctx.emit(
        "/payload/sessionStatus",
        &catalog::VSS_SESSION_STATUS,
        format!(
            "sessionStatus {written} should be the outcome of at least one call leg, found leg \
             statuses {}",
            some_of(statuses(), count)
        ),
    );
}

/// `code.unknown` / `code.wrong-table` on `errorDetails.errorCode`, at session and at leg level.
fn error_codes(ctx: &mut Ctx<'_>, session: &Session<'_>) {
    check_session_error_code(ctx, "/payload/errorDetails/errorCode");
    for leg in session.legs() {
        check_session_error_code(ctx, &format!("{}/errorDetails/errorCode", leg.pointer()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::{Kind, Options};

    fn run(doc: &Value) -> Vec<(String, bool, String)> {
        crate::rules::testing::run(Kind::Vss, check, doc)
    }

    fn messages(doc: &Value) -> Vec<String> {
        let options = Options::default();
        let tape = crate::parse::Doc::from_value(doc);

        let mut ctx = Ctx::new(Kind::Vss, tape.root(), &options);
        check(&mut ctx);
        let mut report = crate::Report::default();
        ctx.into_report(&mut report, |f| f);
        report
            .errors
            .into_iter()
            .chain(report.warnings)
            .map(|d| d.message)
            .collect()
    }

    use crate::rules::testing::found;

    /// IVR scenario 2 (inbound leg bridged to a busy outbound leg).
    fn ivr_busy() -> Value {
        json!({
          "payload": {
            "sessionId": "ece96728-f059-11f0-baa6-c147150ab00e",
            "subAccountId": "8x8_test",
            "sessionStatus": "BUSY",
            "startTime": "2026-01-13T08:29:06Z",
            "endTime": "2026-01-13T08:29:43Z",
            "lastAction": "MAKE_CALL",
            "callCount": 2,
            "details": {
              "callA": {
                "callId": "ece96727-f059-11f0-baa6-c93abb37794a",
                "callDirection": "INBOUND", "callType": "PSTN",
                "initiatedTimestamp": "2026-01-13T08:29:06Z",
                "connectedTimestamp": "2026-01-13T08:29:07Z",
                "disconnectedTimestamp": "2026-01-13T08:29:43Z",
                "source": "+6591178965", "destination": "+6568332048",
                "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
                "sourceCountryCode": "SG", "destinationCountryCode": "SG",
                "destinationRefId": "virtual-number-trunk-01",
                "callStatus": "COMPLETED", "callDuration": 37
              },
              "callB": {
                "callId": "faa4dfc1-f059-11f0-816b-2daade7d6599",
                "callDirection": "OUTBOUND", "callType": "PSTN",
                "initiatedTimestamp": "2026-01-13T08:29:29Z",
                "disconnectedTimestamp": "2026-01-13T08:29:43Z",
                "source": "+6568332048", "destination": "+6531589338",
                "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
                "sourceCountryCode": "SG", "destinationCountryCode": "SG",
                "sourceRefId": "virtual-number-trunk-01",
                "callStatus": "BUSY", "callDuration": 0
              }
            }
          },
          "namespace": "VOICE", "eventType": "SESSION_SUMMARY",
          "description": "Summary of a completed call session", "version": 5
        })
    }

    /// The Voice Messaging failure example, as printed (contradiction 3: leg in 2023).
    fn vm_failure() -> Value {
        json!({
          "payload": {
            "sessionId": "47f19e66-2163-11ee-8ccd-27b543a164ea",
            "subAccountId": "8x8_test",
            "sessionStatus": "ERROR",
            "startTime": "2024-07-13T09:54:38Z",
            "endTime": "2024-07-13T09:54:38Z",
            "lastAction": "MAKE_CALL",
            "callCount": 1,
            "errorDetails": {"errorMsg": "No coverage available for requested area", "errorCode": -2004},
            "details": {
              "callA": {
                "callId": "4809bb03-2163-11ee-8f06-8da8b5ddeca4",
                "callDirection": "OUTBOUND", "callType": "PSTN",
                "initiatedTimestamp": "2023-07-13T09:54:38Z",
                "disconnectedTimestamp": "2023-07-13T09:54:38Z",
                "source": "+6568332048", "destination": "+6591178965",
                "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
                "sourceCountryCode": "SG", "destinationCountryCode": "SG",
                "sourceRefId": "PSTN1",
                "callStatus": "ERROR", "callDuration": 0
              }
            }
          },
          "namespace": "VOICE", "eventType": "SESSION_SUMMARY",
          "description": "Summary of a completed call session"
        })
    }

    /// What the Voice Messaging failure example gets: both leg timestamps are in 2023, a year
    /// before the session they belong to.
    fn pinned_year_off() -> Vec<(String, bool, String)> {
        vec![
            found(
                "/payload/details/callA/initiatedTimestamp",
                false,
                "vss.timestamps",
            ),
            found(
                "/payload/details/callA/disconnectedTimestamp",
                false,
                "vss.timestamps",
            ),
        ]
    }

    fn set(doc: &mut Value, pointer: &str, value: Value) {
        *doc.pointer_mut(pointer)
            .expect("pointer exists in the test document") = value;
    }

    /// A leg as the pages print them; `extra` overrides or adds fields.
    fn leg(
        direction: &str,
        times: [Option<&str>; 3],
        status: &str,
        duration: i64,
        extra: Value,
    ) -> Value {
        let mut leg = json!({
            "callId": "1f048a83-ea6d-11ee-911b-e9023a97c284",
            "callDirection": direction, "callType": "PSTN",
            "source": "+6568332048", "destination": "+6591178965",
            "sourceFormat": "MSISDN", "destinationFormat": "MSISDN",
            "sourceCountryCode": "SG", "destinationCountryCode": "SG",
            "callStatus": status, "callDuration": duration,
            "callQuality": {"mos": 4.5, "packetLossRate": 0, "jitter": 20}
        });
        for (name, time) in crate::view::LEG_TIMES.iter().zip(times) {
            if let Some(time) = time {
                leg[*name] = json!(time);
            }
        }
        if let (Some(leg), Some(extra)) = (leg.as_object_mut(), extra.as_object()) {
            leg.extend(extra.clone());
        }
        leg
    }

    fn summary(
        status: &str,
        window: [&str; 2],
        last: &str,
        count: i64,
        details: Value,
        extra: Value,
    ) -> Value {
        let mut doc = json!({
            "payload": {
                "sessionId": "1f048a84-ea6d-11ee-911b-078f7290bf52", "subAccountId": "8x8_test",
                "sessionStatus": status, "startTime": window[0], "endTime": window[1],
                "lastAction": last, "callCount": count, "details": details
            },
            "namespace": "VOICE", "eventType": "SESSION_SUMMARY",
            "description": "Summary of a completed call session"
        });
        if let (Some(payload), Some(extra)) = (doc["payload"].as_object_mut(), extra.as_object()) {
            payload.extend(extra.clone());
        }
        doc
    }

    /// Every session summary the pages print (normalized where the pipeline would normalize),
    /// with its rule findings: none, except the Voice Messaging failure (contradiction 3).
    #[test]
    fn every_documented_summary_passes_except_the_pinned_contradiction() {
        let no_answer_time = None;
        let examples = [
            // IVR scenario 1: bridged and answered.
            summary(
                "COMPLETED",
                ["2026-01-13T08:26:58Z", "2026-01-13T08:27:33Z"],
                "MAKE_CALL",
                2,
                json!({
                    "callA": leg("OUTBOUND", [Some("2026-01-13T08:26:58Z"), Some("2026-01-13T08:27:09Z"), Some("2026-01-13T08:27:33Z")], "COMPLETED", 23, json!({"sourceRefId": "virtual-number-trunk-01"})),
                    "callB": leg("OUTBOUND", [Some("2026-01-13T08:27:17Z"), Some("2026-01-13T08:27:26Z"), Some("2026-01-13T08:27:33Z")], "COMPLETED", 6, json!({"destination": "+6531589338"})),
                }),
                json!({"clientRequestId": "Request-Id-Client-Confirmation-1200"}),
            ),
            // IVR scenario 2: busy.
            ivr_busy(),
            // IVR scenario 3: hang-up before the bridge.
            summary(
                "COMPLETED",
                ["2026-01-13T08:31:51Z", "2026-01-13T08:32:08Z"],
                "HANGUP",
                1,
                json!({
                    "callA": leg("INBOUND", [Some("2026-01-13T08:31:51Z"), Some("2026-01-13T08:31:52Z"), Some("2026-01-13T08:32:08Z")], "COMPLETED", 16, json!({"destinationRefId": "virtual-number-trunk-01"})),
                }),
                json!({}),
            ),
            // Voice Messaging success (leg key and SourceRefId normalized).
            summary(
                "COMPLETED",
                ["2024-03-25T06:01:30Z", "2024-03-25T06:01:50Z"],
                "MAKE_CALL",
                1,
                json!({
                    "callA": leg("OUTBOUND", [Some("2024-03-25T06:01:28Z"), Some("2024-03-25T06:01:37Z"), Some("2024-03-25T06:01:50Z")], "COMPLETED", 13, json!({"sourceRefId": null, "source": "+12314377870", "sourceCountryCode": "US"})),
                }),
                json!({}),
            ),
            // Number Masking success (callB listed first).
            summary(
                "COMPLETED",
                ["2024-03-25T06:01:30Z", "2024-03-25T06:01:50Z"],
                "MAKE_CALL",
                2,
                json!({
                    "callB": leg("OUTBOUND", [Some("2024-03-25T06:01:30Z"), Some("2024-03-25T06:01:37Z"), Some("2024-03-25T06:01:50Z")], "COMPLETED", 13, json!({"sourceRefId": "PSTN1"})),
                    "callA": leg("INBOUND", [Some("2024-03-25T06:01:28Z"), Some("2024-03-25T06:01:37Z"), Some("2024-03-25T06:01:50Z")], "COMPLETED", 13, json!({"destinationRefId": "PSTN1", "source": "+12314377870", "sourceCountryCode": "US"})),
                }),
                json!({}),
            ),
            // Number Masking failure (lastAction PLAY_TTS, contradiction 5, is not this module's concern).
            summary(
                "ERROR",
                ["2023-07-13T09:54:38Z", "2023-07-13T09:54:38Z"],
                "PLAY_TTS",
                1,
                json!({
                    "callA": leg("OUTBOUND", [Some("2023-07-13T09:54:38Z"), no_answer_time, Some("2023-07-13T09:54:38Z")], "ERROR", 0, json!({"sourceRefId": "PSTN1"})),
                }),
                json!({"errorDetails": {"errorMsg": "No coverage available for requested area", "errorCode": -2004}}),
            ),
        ];
        for (i, doc) in examples.iter().enumerate() {
            assert_eq!(run(doc), vec![], "example {i}");
        }
        assert_eq!(run(&vm_failure()), pinned_year_off());
    }

    #[test]
    fn a_documented_example_is_clean() {
        assert_eq!(run(&ivr_busy()), vec![]);
    }

    #[test]
    fn a_leg_a_year_before_the_session_is_an_error_that_says_so() {
        let doc = vm_failure();
        assert_eq!(run(&doc), pinned_year_off());
        let text = messages(&doc).join("\n");
        assert!(
            text.contains("a year off") && text.contains("2023"),
            "{text}"
        );
    }

    #[test]
    fn timestamps_out_of_order() {
        let mut doc = ivr_busy();
        set(
            &mut doc,
            "/payload/details/callA/connectedTimestamp",
            json!("2026-01-13T08:29:05Z"),
        );
        set(&mut doc, "/payload/endTime", json!("2026-01-13T08:29:00Z"));
        let got = run(&doc);
        assert!(
            got.contains(&found("/payload/endTime", false, "vss.timestamps")),
            "{got:?}"
        );
        assert!(
            got.contains(&found(
                "/payload/details/callA/connectedTimestamp",
                false,
                "vss.timestamps"
            )),
            "{got:?}"
        );
        // The legs now end after the (earlier) endTime.
        assert!(
            got.contains(&found(
                "/payload/details/callB/disconnectedTimestamp",
                false,
                "vss.timestamps"
            )),
            "{got:?}"
        );
    }

    #[test]
    fn two_seconds_of_skew_are_tolerated_three_are_not() {
        let mut doc = ivr_busy();
        set(
            &mut doc,
            "/payload/details/callA/initiatedTimestamp",
            json!("2026-01-13T08:29:04Z"),
        );
        assert_eq!(run(&doc), vec![]);
        set(
            &mut doc,
            "/payload/details/callA/initiatedTimestamp",
            json!("2026-01-13T08:29:03Z"),
        );
        assert_eq!(
            run(&doc),
            vec![found(
                "/payload/details/callA/initiatedTimestamp",
                false,
                "vss.timestamps"
            )]
        );
        let text = messages(&doc).join("\n");
        assert!(!text.contains("year"), "{text}");
    }

    #[test]
    fn offsets_and_fractions_compare_as_instants() {
        let mut doc = ivr_busy();
        set(
            &mut doc,
            "/payload/details/callB/initiatedTimestamp",
            json!("2026-01-13T16:29:29.500+08:00"),
        );
        assert_eq!(run(&doc), vec![]);
    }

    #[test]
    fn duration_must_match_the_connected_time() {
        let mut doc = ivr_busy();
        set(&mut doc, "/payload/details/callA/callDuration", json!(40));
        assert_eq!(
            run(&doc),
            vec![found(
                "/payload/details/callA/callDuration",
                false,
                "vss.duration"
            )]
        );
        set(&mut doc, "/payload/details/callA/callDuration", json!(34));
        assert_eq!(run(&doc), vec![]);
    }

    #[test]
    fn a_leg_that_never_connected_has_no_duration() {
        let mut doc = ivr_busy();
        set(&mut doc, "/payload/details/callB/callDuration", json!(5));
        assert_eq!(
            run(&doc),
            vec![found(
                "/payload/details/callB/callDuration",
                false,
                "vss.duration"
            )]
        );
    }

    #[test]
    fn call_count_counts_the_legs() {
        let mut doc = ivr_busy();
        set(&mut doc, "/payload/callCount", json!(1));
        assert_eq!(
            run(&doc),
            vec![found("/payload/callCount", false, "vss.call-count")]
        );
    }

    #[test]
    fn error_details_go_with_error() {
        let mut doc = vm_failure();
        doc["payload"]
            .as_object_mut()
            .unwrap()
            .remove("errorDetails");
        assert!(run(&doc).contains(&found("/payload/errorDetails", false, "vss.error-details")));

        let mut doc = ivr_busy();
        doc["payload"]["errorDetails"] =
            json!({"errorMsg": "An internal error has occurred", "errorCode": -2001});
        assert_eq!(
            run(&doc),
            vec![found("/payload/errorDetails", false, "vss.error-details")]
        );
    }

    #[test]
    fn an_api_status_code_is_named_as_one() {
        let mut doc = vm_failure();
        set(
            &mut doc,
            "/payload/details/callA/initiatedTimestamp",
            json!("2024-07-13T09:54:38Z"),
        );
        set(
            &mut doc,
            "/payload/details/callA/disconnectedTimestamp",
            json!("2024-07-13T09:54:38Z"),
        );
        set(&mut doc, "/payload/errorDetails/errorCode", json!(-1004));
        assert_eq!(
            run(&doc),
            vec![found(
                "/payload/errorDetails/errorCode",
                false,
                "code.wrong-table"
            )]
        );
        let text = messages(&doc).join("\n");
        assert!(
            text.contains("API status code")
                && text.contains("DTMF callback url not provided")
                && text.contains("-1017"),
            "{text}"
        );
        set(&mut doc, "/payload/errorDetails/errorCode", json!(-2042));
        assert_eq!(
            run(&doc),
            vec![found(
                "/payload/errorDetails/errorCode",
                false,
                "code.unknown"
            )]
        );
    }

    #[test]
    fn the_number_masking_table_applies_to_inbound_bridged_sessions() {
        let mut doc = ivr_busy();
        set(&mut doc, "/payload/sessionStatus", json!("COMPLETED"));
        // IVR clue (`version`): a warning.
        assert_eq!(
            run(&doc),
            vec![found("/payload/sessionStatus", false, "vss.session-status")]
        );
        // Without IVR clues the summary reads as Number Masking: an error.
        doc.as_object_mut().unwrap().remove("version");
        assert_eq!(
            run(&doc),
            vec![found("/payload/sessionStatus", false, "vss.session-status")]
        );
    }

    #[test]
    fn elsewhere_only_plain_contradictions_warn() {
        let mut doc = vm_failure();
        set(
            &mut doc,
            "/payload/details/callA/initiatedTimestamp",
            json!("2024-07-13T09:54:38Z"),
        );
        set(
            &mut doc,
            "/payload/details/callA/disconnectedTimestamp",
            json!("2024-07-13T09:54:38Z"),
        );
        set(&mut doc, "/payload/sessionStatus", json!("COMPLETED"));
        doc["payload"]
            .as_object_mut()
            .unwrap()
            .remove("errorDetails");
        assert_eq!(
            run(&doc),
            vec![found("/payload/sessionStatus", false, "vss.session-status")]
        );
        set(&mut doc, "/payload/sessionStatus", json!("FAILED"));
        assert_eq!(run(&doc), vec![]);
    }

    #[test]
    fn numbers_and_countries_on_legs() {
        let mut doc = ivr_busy();
        set(
            &mut doc,
            "/payload/details/callB/destination",
            json!("6531589338"),
        );
        set(
            &mut doc,
            "/payload/details/callB/destinationCountryCode",
            json!("XX"),
        );
        assert_eq!(
            run(&doc),
            vec![
                found("/payload/details/callB/destination", false, "number.format"),
                found(
                    "/payload/details/callB/destinationCountryCode",
                    false,
                    "country.unknown"
                ),
            ]
        );
    }

    #[test]
    fn anything_that_is_not_a_summary_is_skipped_without_panic() {
        for doc in [
            json!(null),
            json!([]),
            json!({"payload": []}),
            json!({"payload": {"details": [], "callCount": "2", "startTime": 5}}),
            json!({"payload": {"details": {"callA": 1, "callB": {"callDuration": -3, "connectedTimestamp": null}},
                   "sessionStatus": 7, "errorDetails": {"errorCode": "-2004"}}}),
            json!({"payload": {"details": {"callA": {"initiatedTimestamp": "9999-12-31T23:59:59Z",
                   "disconnectedTimestamp": "0000-01-01T00:00:00Z", "callDuration": 1e300}},
                   "startTime": "0000-01-01T00:00:00+23:59", "endTime": "9999-12-31T23:59:59Z"}}),
        ] {
            let _ = run(&doc);
        }
    }
}
