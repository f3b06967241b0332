//! What each status value means, one table per field that carries it, and the Number Masking
//! table that derives a session's status from its two legs' statuses.
//!
//! | table | field | webhook |
//! |---|---|---|
//! | [`SESSION_STATUSES`] | `payload.sessionStatus` | VSS |
//! | [`LEG_STATUSES`] | `payload.details.callX.callStatus` | VSS |
//! | [`CALL_ACTION_STATUSES`] | `payload.callStatus` | VCA |
//! | [`CALL_STATUSES`] | `payload.callStatus` | VCS |
//! | [`RECORDING_STATUSES`] | `payload.status` | VRU |
//! | [`VIRTUAL_NUMBER_STATUSES`] | `operationalStatus` | VNU |

use serde::Serialize;

use super::{Explanation, Spelling, Suggestion, Table};

/// Which field a status value belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StatusTable {
    /// `sessionStatus` of a session summary (VSS).
    Session,
    /// `callStatus` of one leg in a session summary (VSS).
    Leg,
    /// `callStatus` of a Voice Call Action request (VCA).
    CallAction,
    /// `callStatus` of a Voice Call Status event (VCS).
    CallStatus,
    /// `status` of a recording event (VRU).
    Recording,
    /// `operationalStatus` of a virtual number (VNU).
    VirtualNumber,
}

impl StatusTable {
    /// The webhook and the field, e.g. `"VSS sessionStatus"`.
    pub fn label(self) -> &'static str {
        match self {
            StatusTable::Session => "VSS sessionStatus",
            StatusTable::Leg => "VSS leg callStatus",
            StatusTable::CallAction => "VCA callStatus",
            StatusTable::CallStatus => "VCS callStatus",
            StatusTable::Recording => "VRU status",
            StatusTable::VirtualNumber => "VNU operationalStatus",
        }
    }
}

/// The meaning of one status value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusMeaning {
    /// The status as 8x8 writes it.
    pub status: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// True when it is a good (or neutral, in-progress) outcome.
    pub success: bool,
    /// Where the status is used or a caveat about the documentation, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

const fn m(status: &'static str, meaning: &'static str, success: bool) -> StatusMeaning {
    StatusMeaning {
        status,
        meaning,
        success,
        note: None,
    }
}

const fn n(
    status: &'static str,
    meaning: &'static str,
    success: bool,
    note: &'static str,
) -> StatusMeaning {
    StatusMeaning {
        status,
        meaning,
        success,
        note: Some(note),
    }
}

/// `sessionStatus`: how a whole session ended. The last three are Voice Messaging's opt-out outcomes.
pub static SESSION_STATUSES: &[StatusMeaning] = &[
    m("COMPLETED", "connected and ended normally", true),
    m("NO_ANSWER", "rang but nobody answered", false),
    m("BUSY", "the destination was busy", false),
    m("CANCELED", "ended by the caller before it connected", false),
    m("FAILED", "could not be placed or completed", false),
    m("ERROR", "ended by an error; errorDetails says which", false),
    n(
        "COMPLETED_UNSUBSCRIBED",
        "the message played and the listener opted out",
        true,
        "Voice Messaging opt-out flows only",
    ),
    n(
        "COMPLETED_UNSUB_ERROR",
        "the listener asked to opt out but adding them to the block list failed",
        false,
        "Voice Messaging opt-out flows only",
    ),
    n(
        "UNSUBSCRIBED_CONTACT",
        "not called: the contact had already opted out",
        false,
        "Voice Messaging opt-out flows only",
    ),
];

/// Contradiction 7, second half: where `ERROR` as a leg status comes from.
const LEG_ERROR_NOTE: &str = "the SIP page says ERROR is only a session status, but the Voice \
     Messaging page lists it for legs and its failure example uses it; accepted";

/// `callStatus` of a leg in a session summary.
pub static LEG_STATUSES: &[StatusMeaning] = &[
    m("COMPLETED", "the leg connected and ended normally", true),
    m("NO_ANSWER", "the leg rang but nobody answered", false),
    m("BUSY", "the leg's destination was busy", false),
    m("CANCELED", "the leg was dropped before it connected", false),
    m("FAILED", "the leg could not be placed or completed", false),
    n(
        "ERROR",
        "the leg ended by an error; errorDetails says which",
        false,
        LEG_ERROR_NOTE,
    ),
];

/// `callStatus` of a Voice Call Action request: why 8x8 asks for the next callflow.
pub static CALL_ACTION_STATUSES: &[StatusMeaning] = &[
    m(
        "ACTION_COMPLETED",
        "the last action of your callflow finished; answer with the next callflow",
        true,
    ),
    n(
        "CALL_RECEIVED",
        "an inbound call reached 8x8 and waits for your callflow",
        true,
        "inbound IVR and Number Masking",
    ),
];

/// `callStatus` of a Voice Call Status event: one state change of a leg.
pub static CALL_STATUSES: &[StatusMeaning] = &[
    m(
        "CALL_INITIATED",
        "8x8 started placing an outbound leg",
        true,
    ),
    m(
        "CALL_RECEIVED",
        "an inbound call reached 8x8 and waits for your callflow",
        true,
    ),
    m("CALL_CONNECTED", "the leg was answered", true),
    m("CALL_DISCONNECTED", "the leg ended", true),
    m("CALL_UPDATED", "something about the leg changed", true),
    m("DTMF_RECEIVED", "the caller pressed keys", true),
];

/// `status` of a recording event (VRU), in the order a recording goes through them.
pub static RECORDING_STATUSES: &[StatusMeaning] = &[
    m("PROCESSING", "the recording is being prepared", true),
    m(
        "PROCESSING_FAILED",
        "the recording could not be prepared",
        false,
    ),
    m(
        "UPLOAD_COMPLETED",
        "the recording was uploaded to your storage",
        true,
    ),
    m(
        "UPLOAD_FAILED",
        "uploading the recording to your storage failed",
        false,
    ),
    m(
        "CALLBACK_COMPLETED",
        "8x8 delivered the recording notification",
        true,
    ),
    m(
        "CALLBACK_FAILED",
        "8x8 could not deliver the recording notification",
        false,
    ),
    m(
        "UNKNOWN",
        "the recording failed for a reason 8x8 did not classify",
        false,
    ),
];

/// `operationalStatus` of a virtual number (VNU). Only `Active` numbers should get new sessions.
pub static VIRTUAL_NUMBER_STATUSES: &[StatusMeaning] = &[
    m(
        "Active",
        "the number works and can be used for new sessions",
        true,
    ),
    n(
        "Unhealthy",
        "calling through the number is degraded; stop using it for new sessions",
        false,
        "calls from earlier allocations may still arrive",
    ),
    n(
        "Expiring",
        "the number is about to leave the pool; stop using it for new sessions",
        false,
        "calls from earlier allocations may still arrive",
    ),
    m(
        "Inactive",
        "the number no longer works; do not use it",
        false,
    ),
];

/// Every status table with the field it describes.
pub static STATUS_TABLES: &[(StatusTable, &[StatusMeaning])] = &[
    (StatusTable::Session, SESSION_STATUSES),
    (StatusTable::Leg, LEG_STATUSES),
    (StatusTable::CallAction, CALL_ACTION_STATUSES),
    (StatusTable::CallStatus, CALL_STATUSES),
    (StatusTable::Recording, RECORDING_STATUSES),
    (StatusTable::VirtualNumber, VIRTUAL_NUMBER_STATUSES),
];

/// The documented variant spellings of status values: (as written, canonical, where it is from).
pub static STATUS_VARIANTS: &[(&str, &str, &str)] = &[
    (
        "NO ANSWER",
        "NO_ANSWER",
        "the spelling of the Number Masking session summary's status table (with a space); the other pages and the payloads write NO_ANSWER",
    ),
    (
        "CANCELLED",
        "CANCELED",
        "the spelling of 8x8's API introduction; the payload pages and the payloads write CANCELED",
    ),
];

/// Why a status written in another case, or with spaces or hyphens, still reads as a value.
const LOOSE_SPELLING: &str = "not how 8x8 writes it: matched ignoring case, spaces and hyphens; payloads carry 8x8's spelling";

/// The canonical spelling of a documented variant: `NO ANSWER` (contradiction 7) reads as
/// `NO_ANSWER`, `CANCELLED` (contradiction 11) as `CANCELED`; anything else is returned as is.
pub fn canonical_status(status: &str) -> &str {
    STATUS_VARIANTS
        .iter()
        .find(|(written, _, _)| *written == status)
        .map_or(status, |(_, canonical, _)| canonical)
}

/// How a call leg ended, in the three groups a reader tells apart (a timeline colours them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LegResult {
    /// The leg was answered (`COMPLETED`, `CALL_CONNECTED`, Number Masking's `ANSWERED`).
    Answered,
    /// It rang out, was busy, was dropped or refused before anyone answered.
    NotAnswered,
    /// It could not be placed or ended by an error.
    Failed,
}

/// The [`LegResult`] of a leg status (documented variant spellings included); `None` for a
/// status that says nothing about how the leg ended (`CALL_INITIATED`, `CALL_UPDATED`…).
///
/// ```
/// use voicehook::codes::{LegResult, leg_result};
/// assert_eq!(leg_result("COMPLETED"), Some(LegResult::Answered));
/// assert_eq!(leg_result("NO ANSWER"), Some(LegResult::NotAnswered));
/// assert_eq!(leg_result("ERROR"), Some(LegResult::Failed));
/// assert_eq!(leg_result("CALL_UPDATED"), None);
/// ```
pub fn leg_result(status: &str) -> Option<LegResult> {
    match canonical_status(status) {
        "COMPLETED" | "ANSWERED" | "CONNECTED" | "CALL_CONNECTED" => Some(LegResult::Answered),
        "NO_ANSWER" | "BUSY" | "CANCELED" | "REJECTED" => Some(LegResult::NotAnswered),
        "FAILED" | "ERROR" => Some(LegResult::Failed),
        _ => None,
    }
}

/// Every status value of every table, once each, in table order.
fn all_statuses() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (_, rows) in STATUS_TABLES {
        for s in rows.iter() {
            if !out.contains(&s.status) {
                out.push(s.status);
            }
        }
    }
    out
}

/// `text` upper-cased with spaces and hyphens as underscores: how loose matches compare.
fn loose(text: &str) -> String {
    text.trim().to_ascii_uppercase().replace([' ', '-'], "_")
}

/// The status value `written` reads as, and the spelling note when it is not 8x8's spelling.
fn read_status(written: &str) -> Option<(&'static str, Option<&'static str>)> {
    let all = all_statuses();
    if let Some(s) = all.iter().find(|s| **s == written) {
        return Some((s, None));
    }
    if let Some((_, canonical, note)) = STATUS_VARIANTS.iter().find(|(w, _, _)| *w == written) {
        return Some((canonical, Some(note)));
    }
    let key = loose(written);
    if let Some(s) = all.iter().find(|s| loose(s) == key) {
        return Some((s, Some(LOOSE_SPELLING)));
    }
    STATUS_VARIANTS
        .iter()
        .find(|(w, _, _)| loose(w) == key)
        .map(|(_, canonical, note)| (*canonical, Some(*note)))
}

/// The status value `written` explained once per table that has it (see [`super::lookup`]).
pub(super) fn explain_status(written: &str) -> Vec<Explanation> {
    let Some((status, note)) = read_status(written) else {
        return Vec::new();
    };
    STATUS_TABLES
        .iter()
        .filter_map(|(table, rows)| {
            let m = rows.iter().find(|s| s.status == status)?;
            Some(Explanation::Status {
                code: m.status,
                name: table.label(),
                field: *table,
                meaning: m.meaning,
                success: m.success,
                hint: m.note,
                spelling: note.map(|note| Spelling {
                    written: written.to_owned(),
                    note,
                }),
            })
        })
        .collect()
}

/// The status values nearest to `written`, a typo of none of them (at most three, nearest first).
pub(super) fn near_statuses(written: &str) -> Vec<Suggestion> {
    let key = loose(written);
    let mut pool = all_statuses();
    let mut out = Vec::new();
    while out.len() < 3 {
        let Some(near) = crate::words::did_you_mean(&key, pool.iter().copied()) else {
            break;
        };
        pool.retain(|s| *s != near);
        out.push(Suggestion {
            query: near.to_owned(),
            tables: vec![Table::Status],
            name: status_meaning(near).map_or("", |m| m.meaning),
        });
    }
    out
}

/// The meaning of `status` in the table for `table`, accepting the documented variant spellings.
pub fn status_in(table: StatusTable, status: &str) -> Option<&'static StatusMeaning> {
    let status = canonical_status(status);
    STATUS_TABLES
        .iter()
        .filter(|(t, _)| *t == table)
        .flat_map(|(_, rows)| rows.iter())
        .find(|s| s.status == status)
}

/// The meaning of a status value in the first table that has it (session before leg), accepting
/// the documented variant spellings `NO ANSWER` and `CANCELLED`.
pub fn status_meaning(status: &str) -> Option<&'static StatusMeaning> {
    let status = canonical_status(status);
    STATUS_TABLES
        .iter()
        .flat_map(|(_, rows)| rows.iter())
        .find(|s| s.status == status)
}

/// One row of Number Masking's table: the two legs' statuses and the session status they give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NmLegRow {
    /// `callStatus` of callA, the inbound leg.
    pub call_a: &'static str,
    /// `callStatus` of callB, the outbound leg; `None` when the session had no outbound leg.
    pub call_b: Option<&'static str>,
    /// The resulting `sessionStatus` (canonical spelling; the page writes `NO ANSWER`).
    pub session: &'static str,
    /// What happened.
    pub meaning: &'static str,
}

const fn row(
    call_a: &'static str,
    call_b: Option<&'static str>,
    session: &'static str,
    meaning: &'static str,
) -> NmLegRow {
    NmLegRow {
        call_a,
        call_b,
        session,
        meaning,
    }
}

/// Number Masking: how callA's and callB's statuses combine into the session status.
pub static NM_LEG_TABLE: &[NmLegRow] = &[
    row(
        "COMPLETED",
        Some("COMPLETED"),
        "COMPLETED",
        "both parties were connected",
    ),
    row(
        "COMPLETED",
        Some("NO_ANSWER"),
        "NO_ANSWER",
        "the called party did not pick up",
    ),
    row(
        "COMPLETED",
        Some("BUSY"),
        "BUSY",
        "the called party's line was busy",
    ),
    row(
        "COMPLETED",
        Some("FAILED"),
        "FAILED",
        "the call to the called party could not be placed (unreachable, switched off, invalid number, network error)",
    ),
    row(
        "CANCELED",
        Some("CANCELED"),
        "CANCELED",
        "the caller hung up before the outbound leg had a final status",
    ),
    row(
        "COMPLETED",
        None,
        "COMPLETED",
        "the callflow placed no outbound leg (for example it only played a prompt)",
    ),
    row(
        "ERROR",
        None,
        "ERROR",
        "the inbound leg failed (for example the VCA webhook failed or the country is not covered); see errorDetails",
    ),
    row(
        "COMPLETED",
        Some("ERROR"),
        "ERROR",
        "the outbound leg failed; see errorDetails",
    ),
];

/// Number Masking: the table row for callA's and callB's statuses (`None` for callB when there
/// was no outbound leg). Accepts `NO ANSWER` for `NO_ANSWER`.
pub fn nm_leg_row(call_a: &str, call_b: Option<&str>) -> Option<&'static NmLegRow> {
    let a = canonical_status(call_a);
    let b = call_b.map(canonical_status);
    NM_LEG_TABLE.iter().find(|r| r.call_a == a && r.call_b == b)
}

/// Number Masking: the session status that follows from callA's and callB's statuses
/// (`None` for callB when there was no outbound leg). `None` when the pair is not in the table.
pub fn nm_session_status(call_a: &str, call_b: Option<&str>) -> Option<&'static str> {
    nm_leg_row(call_a, call_b).map(|r| r.session)
}

/// Number Masking: the session status for the legs' statuses in order (callA, then callB if any).
/// `None` for no legs, more than two, or a combination the table does not list.
pub fn session_status_for_legs(legs: &[&str]) -> Option<&'static str> {
    match legs {
        [a] => nm_session_status(a, None),
        [a, b] => nm_session_status(a, Some(b)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::codes::tests::{assert_same, fact, items, text};

    /// Every value the facts list for the table `key` (`session`, `leg`, ...), with the pages.
    fn listed(key: &str) -> (BTreeSet<String>, String) {
        let lists = items(fact("/statuses"), &format!("/{key}"));
        let mut values = BTreeSet::new();
        let mut pages = Vec::new();
        for l in lists {
            pages.push(text(l, "/page"));
            values.extend(
                items(l, "/values")
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned)),
            );
        }
        (values, pages.join(" + "))
    }

    /// Each status table holds exactly the values its pages list (the session and leg tables
    /// the union of the SIP, Voice Messaging and Number Masking pages), and the facts have no
    /// status list that no table answers.
    #[test]
    fn every_status_table_matches_its_pages() {
        let keys: BTreeSet<String> = fact("/statuses")
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut ours_keys = BTreeSet::new();
        for (table, rows) in STATUS_TABLES {
            let key = serde_json::to_value(table).unwrap();
            let key = key.as_str().unwrap();
            ours_keys.insert(key.to_owned());
            let (values, pages) = listed(key);
            let ours: BTreeSet<String> = rows.iter().map(|s| s.status.to_owned()).collect();
            assert_same(&format!("{key} statuses"), &pages, ours, values);
        }
        assert_same("status tables", "facts.json", ours_keys, keys);
    }

    /// Contradiction 7: `NO ANSWER` is a documented spelling of `NO_ANSWER`, and `ERROR` is a leg
    /// status on the Voice Messaging page although the SIP page says it never is one.
    #[test]
    fn contradiction_07_no_answer_spelling_and_error_legs() {
        let nm = items(fact("/numberMaskingLegTable"), "/rows");
        assert!(
            nm.iter()
                .any(|r| r["callB"] == "NO ANSWER" && r["session"] == "NO ANSWER"),
            "the Number Masking table no longer writes NO ANSWER"
        );
        assert_eq!(status_meaning("NO ANSWER").unwrap().status, "NO_ANSWER");
        assert_eq!(
            status_in(StatusTable::Leg, "NO ANSWER").unwrap().status,
            "NO_ANSWER"
        );
        assert_eq!(fact("/errorOnlyInSessionStatus/stated"), true);
        let vm_legs = items(fact("/statuses"), "/leg")
            .iter()
            .find(|l| l["page"] == "voice-messaging--session-status.md")
            .expect("the Voice Messaging leg statuses");
        assert!(items(vm_legs, "/values").iter().any(|v| v == "ERROR"));
        let error = status_in(StatusTable::Leg, "ERROR").unwrap();
        assert!(error.note.unwrap().contains("Voice Messaging"));
    }

    /// Contradiction 11: the API introduction writes `CANCELLED`.
    #[test]
    fn contradiction_11_cancelled_reads_as_canceled() {
        assert_eq!(status_meaning("CANCELLED").unwrap().status, "CANCELED");
        assert_eq!(canonical_status("BUSY"), "BUSY");
        for (written, canonical, _) in STATUS_VARIANTS {
            assert_eq!(canonical_status(written), *canonical);
            assert!(status_meaning(canonical).is_some(), "{canonical}");
        }
    }

    #[test]
    fn lookups_by_table() {
        assert_eq!(
            status_in(StatusTable::Session, "COMPLETED_UNSUBSCRIBED")
                .unwrap()
                .note,
            Some("Voice Messaging opt-out flows only")
        );
        assert!(status_in(StatusTable::Leg, "COMPLETED_UNSUBSCRIBED").is_none());
        assert!(status_in(StatusTable::VirtualNumber, "active").is_none());
        assert!(status_in(StatusTable::CallAction, "CALL_RECEIVED").is_some());
        assert!(status_meaning("UPLOAD_FAILED").is_some_and(|s| !s.success));
        assert!(status_meaning("").is_none());
    }

    #[test]
    fn the_number_masking_table_matches_its_page() {
        let table = fact("/numberMaskingLegTable");
        let rows = items(table, "/rows");
        assert_eq!(rows.len(), NM_LEG_TABLE.len(), "{}", text(table, "/page"));
        for r in rows {
            let a = text(r, "/callA");
            let b = r["callB"].as_str();
            let expected = canonical_status(text(r, "/session"));
            assert_eq!(nm_session_status(a, b), Some(expected), "{a} + {b:?}");
        }
    }

    #[test]
    fn session_status_for_legs_reads_the_table() {
        assert_eq!(
            session_status_for_legs(&["COMPLETED", "NO ANSWER"]),
            Some("NO_ANSWER")
        );
        assert_eq!(session_status_for_legs(&["ERROR"]), Some("ERROR"));
        assert_eq!(session_status_for_legs(&["COMPLETED"]), Some("COMPLETED"));
        assert_eq!(session_status_for_legs(&["BUSY", "BUSY"]), None);
        assert_eq!(session_status_for_legs(&[]), None);
        assert_eq!(session_status_for_legs(&["COMPLETED"; 3]), None);
        assert_eq!(
            nm_leg_row("CANCELED", Some("CANCELED")).map(|r| r.session),
            Some("CANCELED")
        );
    }
}
