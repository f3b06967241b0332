//! Every code a developer meets in 8x8 Voice, as static data with lookups: session error codes,
//! API status codes, Number Masking error hints, SIP response codes, status meanings, the
//! Number Masking leg table, MOS bands, webhook types and 8x8's source IP addresses.
//!
//! The numbers, names and enum values are 8x8's; the meanings and hints are written for this
//! crate. Lookups allocate nothing; only [`explain`] builds a (small) `Vec`.
//! Tests at the bottom of each file compare the tables with the facts committed in
//! `tests/fixtures/reference/facts.json`, which `cargo xtask fixtures` extracts from the 8x8
//! reference pages (and `cargo xtask fixtures --check` keeps in step with them).
//!
//! | file | tables |
//! |---|---|
//! | `mod.rs` | [`SESSION_ERRORS`], [`API_STATUS`], [`NUMBER_MASKING`], [`explain`] |
//! | `sip.rs` | [`SIP_CODES`] |
//! | `status.rs` | [`SESSION_STATUSES`], [`LEG_STATUSES`], [`CALL_ACTION_STATUSES`], [`CALL_STATUSES`], [`RECORDING_STATUSES`], [`VIRTUAL_NUMBER_STATUSES`], [`NM_LEG_TABLE`] |
//! | `quality.rs` | [`MOS_BANDS`], packet loss and jitter guidance |
//! | `webhooks.rs` | [`WEBHOOK_TYPES`], [`SOURCE_IPS`] |

mod quality;
mod sip;
mod status;
mod webhooks;

use serde::Serialize;

pub use quality::{
    Guidance, JITTER_WARN_MS, Level, MOS_BANDS, MosBand, PACKET_LOSS_BAD, PACKET_LOSS_WARN,
    jitter_guidance, mos_band, packet_loss_guidance,
};
pub use sip::{SIP_CODES, SipCode, sip};
pub use status::{
    CALL_ACTION_STATUSES, CALL_STATUSES, LEG_STATUSES, NM_LEG_TABLE, NmLegRow, RECORDING_STATUSES,
    SESSION_STATUSES, STATUS_TABLES, StatusMeaning, StatusTable, VIRTUAL_NUMBER_STATUSES,
    canonical_status, nm_leg_row, nm_session_status, session_status_for_legs, status_in,
    status_meaning,
};
pub use webhooks::{
    SOURCE_IPS, SourceIp, WEBHOOK_TYPES, WebhookType, is_8x8_source_ip, source_ip, webhook_type,
    webhook_type_for_event,
};

/// Which table a code comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Table {
    /// Session error codes (`errorDetails.errorCode` of a session summary).
    SessionError,
    /// API status codes (`statusCode` of a Send Callflow response).
    ApiStatus,
    /// Number Masking's reading of the session error codes, with its own hints.
    NumberMasking,
    /// SIP response codes (`sipCode`).
    Sip,
}

/// One numbered code: session error, API status or Number Masking error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Code {
    /// The number.
    pub code: i32,
    /// 8x8's short message for it.
    pub name: &'static str,
    /// What it means, in plain words.
    pub meaning: &'static str,
    /// What to check or do, when there is something to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<&'static str>,
}

const fn c(
    code: i32,
    name: &'static str,
    meaning: &'static str,
    hint: Option<&'static str>,
) -> Code {
    Code {
        code,
        name,
        meaning,
        hint,
    }
}

/// Session error codes: why a call session ended in `ERROR`.
pub static SESSION_ERRORS: &[Code] = &[
    c(
        -2001,
        "An internal error has occurred",
        "8x8's platform failed while running the session.",
        Some("Retry later; if it keeps happening, send the sessionId to 8x8 support."),
    ),
    c(
        -2002,
        "An internal connectivity error has occurred",
        "A link inside 8x8's platform failed during the session.",
        Some("Usually transient: retry, and report the sessionId if it persists."),
    ),
    c(
        -2003,
        "The call flow provided is invalid",
        "The callflow 8x8 received (for example your answer to a Voice Call Action) could not be executed.",
        Some(
            "Validate the callflow you returned: action names, required params, MSISDN destinations.",
        ),
    ),
    c(
        -2004,
        "No coverage available for requested area",
        "8x8 cannot reach the destination's country or network from your account.",
        Some("Check the destination number and country, and ask 8x8 to enable coverage for it."),
    ),
    c(
        -2005,
        "Unable to synthesize text to speech",
        "The text-to-speech step failed, so nothing could be said.",
        Some("Check the say text, language and voice profile; very long or unusual text can fail."),
    ),
    c(
        -2006,
        "Unable to download file for playback",
        "8x8 could not fetch the audio file of a playFile action.",
        Some(
            "Make the fileUrl public over http(s), an mp3 or wav under 5 MB, and reachable from 8x8.",
        ),
    ),
    c(
        -2007,
        "The validity period of the call flow request has expired",
        "The request's validUntil passed before the call could start.",
        Some("Send a validUntil further in the future, in UTC."),
    ),
    c(
        -2008,
        "The provided source MSISDN or caller ID is not whitelisted",
        "The caller ID you used is not approved for your account.",
        Some(
            "Use a virtual number of your account as source, or have the caller ID whitelisted by 8x8.",
        ),
    ),
    c(
        -2009,
        "The scenario parameters provided is invalid",
        "The parameters of the requested scenario were rejected.",
        Some("Check the scenario's parameter names and values."),
    ),
    c(
        -2010,
        "The trunk capacity has been exceeded",
        "Your account reached its limit of simultaneous calls.",
        Some("Spread calls over time or ask your account manager for more capacity."),
    ),
    c(
        -9999,
        "An unknown error has occurred",
        "8x8 could not classify the failure.",
        Some("Send the sessionId to 8x8 support."),
    ),
];

/// API status codes: the `statusCode` of a Send Callflow response (1 is success).
pub static API_STATUS: &[Code] = &[
    c(
        1,
        "Created",
        "The callflow was accepted and a session created.",
        None,
    ),
    c(
        -1001,
        "Invalid JSON request body",
        "The request body is not JSON 8x8 can read.",
        Some("Send a JSON object with Content-Type application/json."),
    ),
    c(
        -1002,
        "Speech profile or language parameter invalid",
        "The language or voice profile of a say action is not one 8x8 offers.",
        Some("Pick a language and voice from 8x8's speech profiles."),
    ),
    c(
        -1003,
        "Valid maxDigits required when minDigits provided",
        "A sayAndCapture sets minDigits without a usable maxDigits.",
        Some("Add maxDigits (1 to 25, not below minDigits)."),
    ),
    c(
        -1004,
        "DTMF callback url not provided",
        "Digits are to be captured but there is no Voice Call Action webhook to send them to.",
        Some("Register a VCA webhook for the sub-account before using sayAndCapture."),
    ),
    c(
        -1005,
        "Valid overallTimeout is required when digitTimeout provided",
        "A sayAndCapture sets digitTimeout without a usable overallTimeout.",
        Some("Add overallTimeout, larger than digitTimeout."),
    ),
    c(
        -1006,
        "OverallTimeout should be greater than digitTimeout",
        "The whole capture window is not longer than the wait for one digit.",
        Some("Make overallTimeout larger than digitTimeout."),
    ),
    c(
        -1007,
        "Invalid action type was used",
        "An action is not one of makeCall, say, sayAndCapture, playFile, hangup.",
        Some("Check the spelling and case of each action."),
    ),
    c(
        -1008,
        "Valid maxDigits is required when completeOnHash is false",
        "Without the # key to finish, 8x8 needs maxDigits to know when input ends.",
        Some("Set maxDigits, or completeOnHash to true."),
    ),
    c(
        -1009,
        "Invalid call flow entry provided",
        "A parameter is missing or has a wrong value; 8x8's message names its JSON path.",
        Some("Fix the parameter at the path given in statusMessage."),
    ),
    c(
        -1010,
        "Some actions are provided beyond the allowed count",
        "The callflow has more of an action than allowed (at most two makeCall).",
        Some("Remove the extra actions."),
    ),
    c(
        -1011,
        "Multiple destination phone numbers found in the request",
        "More than one destination was given where one is expected.",
        Some("Send one destination per makeCall."),
    ),
    c(
        -1012,
        "Invalid Callflow: Incorrect use of action Hangup",
        "hangup is not where 8x8 allows it (it ends a callflow).",
        Some("Put hangup last, once."),
    ),
    c(
        -1013,
        "Invalid Callflow: First action should be a MakeCall action",
        "A Send Callflow request must start by placing a call.",
        Some("Start the callflow with makeCall."),
    ),
    c(
        -1014,
        "Source or caller ID is not allowed",
        "The source number may not be used by your account.",
        Some("Use one of your virtual numbers as source."),
    ),
    c(
        -1015,
        "The validity period of the call flow request has expired",
        "validUntil is already in the past when 8x8 receives the request.",
        Some("Send a future validUntil in UTC; check your server clock."),
    ),
    c(
        -1016,
        "Invalid Callflow Content: Some special characters are invalid/unaccepted",
        "Text in the callflow holds characters 8x8 refuses.",
        Some("Remove control or unusual characters from texts."),
    ),
    c(
        -1017,
        "Invalid MSISDN format in Destination",
        "A destination is not a phone number in international (MSISDN) form.",
        Some("Write destinations as country code + number, e.g. +6591234567."),
    ),
    c(
        -1018,
        "Invalid Callflow: Execute Scenario cannot be processed together with other actions",
        "A scenario execution must be the only action of its callflow.",
        Some("Send the scenario in a callflow of its own."),
    ),
    c(
        -1019,
        "Invalid Callflow Content: scenarioName is null or empty",
        "A scenario action has no scenarioName.",
        Some("Give the scenario's name."),
    ),
    c(
        -1020,
        "Invalid Callflow: Invalid scenarioName or account doesn't have permission",
        "The named scenario does not exist or is not enabled for your account.",
        Some("Check the scenario name, or ask 8x8 to enable it."),
    ),
    c(
        -9999,
        "An unknown error has occurred",
        "8x8 could not classify the failure.",
        Some("Retry; report the request to 8x8 support if it persists."),
    ),
];

/// Number Masking's reading of the session error codes, where its page gives specific advice.
pub static NUMBER_MASKING: &[Code] = &[
    c(
        -2001,
        "An internal error has occurred",
        "8x8 failed while bridging the masked call.",
        Some("Retry later; report the sessionId if it persists."),
    ),
    c(
        -2002,
        "An internal connectivity error has occurred",
        "A link inside 8x8 failed while bridging.",
        Some("Usually transient; retry."),
    ),
    c(
        -2003,
        "The call flow provided is invalid",
        "Your answer to the Voice Call Action could not be executed, so the caller was not bridged.",
        Some("Check the callflow your VCA endpoint returns (a makeCall to the real party)."),
    ),
    c(
        -2004,
        "No coverage available for requested area",
        "One of the two parties is in a region your masking setup does not cover.",
        Some(
            "Check that both the caller's and the callee's regions are in your account's coverage.",
        ),
    ),
    c(
        -2005,
        "Unable to synthesize text to speech",
        "A prompt played to a party could not be synthesized.",
        Some("Check the prompt's text and language."),
    ),
    c(
        -2006,
        "Unable to download file for playback",
        "An audio prompt could not be fetched.",
        Some("Make the file URL public and reachable."),
    ),
    c(
        -2007,
        "The validity period of the call flow request has expired",
        "The masking session expired before the call was set up.",
        Some("Lengthen the session's validity or retry the bridge."),
    ),
    c(
        -2008,
        "The provided source MSISDN or caller ID is not whitelisted",
        "A number used as caller ID is not approved for masking.",
        Some("Register and get approval for every number you present as caller ID."),
    ),
    c(
        -2009,
        "The scenario parameters provided is invalid",
        "The masking scenario's parameters were rejected.",
        Some("Check the scenario parameters."),
    ),
    c(
        -2010,
        "The trunk capacity has been exceeded",
        "Your limit of simultaneous masked calls is reached.",
        Some("Ask your account manager to review the capacity."),
    ),
    c(
        -9999,
        "An unknown error has occurred",
        "8x8 could not classify the failure.",
        Some("Send the sessionId to 8x8 support."),
    ),
];

fn find(table: &'static [Code], code: i64) -> Option<&'static Code> {
    table.iter().find(|c| i64::from(c.code) == code)
}

/// The session error code `code`, if it is one.
pub fn session_error(code: i64) -> Option<&'static Code> {
    find(SESSION_ERRORS, code)
}

/// The API status code `code`, if it is one.
pub fn api_status(code: i64) -> Option<&'static Code> {
    find(API_STATUS, code)
}

/// Number Masking's entry for `code`, if it has one.
pub fn number_masking(code: i64) -> Option<&'static Code> {
    find(NUMBER_MASKING, code)
}

/// A code explained, as handed to the CLI, the npm package and the page.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// The table it comes from.
    pub table: Table,
    /// The number.
    pub code: i64,
    /// 8x8's short message (for SIP: the reason phrase).
    pub name: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// What to check or do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<&'static str>,
    /// SIP only: the usual cause, where 8x8 names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<&'static str>,
    /// SIP only: the class, `"1xx provisional"` … `"6xx global failure"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<&'static str>,
}

impl Explanation {
    fn of(table: Table, c: &'static Code) -> Self {
        Explanation {
            table,
            code: i64::from(c.code),
            name: c.name,
            meaning: c.meaning,
            hint: c.hint,
            cause: None,
            class: None,
        }
    }
}

/// Every table entry the number `code` matches, in this order: session error, Number Masking,
/// API status, SIP. Empty when no table has it.
///
/// ```
/// use voicehook::codes::{Table, explain};
/// let found = explain(-1004);
/// assert_eq!(found[0].table, Table::ApiStatus);
/// assert_eq!(explain(404)[0].name, "Not Found");
/// ```
pub fn explain(code: i64) -> Vec<Explanation> {
    let mut out = Vec::new();
    if let Some(c) = session_error(code) {
        out.push(Explanation::of(Table::SessionError, c));
    }
    if let Some(c) = number_masking(code) {
        out.push(Explanation::of(Table::NumberMasking, c));
    }
    if let Some(c) = api_status(code) {
        out.push(Explanation::of(Table::ApiStatus, c));
    }
    if let Some(s) = sip(code) {
        out.push(Explanation {
            table: Table::Sip,
            code,
            name: s.reason,
            meaning: s.meaning,
            hint: Some(s.hint()),
            cause: s.cause,
            class: Some(s.class()),
        });
    }
    out
}

/// [`explain`] for text a person typed.
///
/// - Surrounding spaces are ignored; a Unicode minus (`−2004`) counts as `-`.
/// - `"SIP 404"`, `"sip:404"`, `"SIP404"` look in the SIP table only.
/// - A positive number above 1000 that no table has (`"2004"`, `"9999"`) is read negated, since
///   every session error and API status code beyond 1 is negative and SIP codes stay below 700.
/// - Anything else that is not an integer gives an empty list.
///
/// ```
/// use voicehook::codes::{Table, explain_str};
/// assert_eq!(explain_str(" SIP 486 ")[0].name, "Busy Here");
/// assert_eq!(explain_str("2004")[0].code, -2004);
/// assert!(explain_str("hello").is_empty());
/// ```
pub fn explain_str(text: &str) -> Vec<Explanation> {
    let t = text.trim().replace('\u{2212}', "-");
    let lower = t.to_ascii_lowercase();
    let (sip_only, digits) = match lower.strip_prefix("sip") {
        Some(rest) => (true, rest.trim_start_matches([':', ' '])),
        None => (false, lower.as_str()),
    };
    let Ok(n) = digits.trim().parse::<i64>() else {
        return Vec::new();
    };
    let mut found = explain(n);
    if sip_only {
        found.retain(|e| e.table == Table::Sip);
    } else if found.is_empty() && n > 1000 {
        found = explain(-n);
    }
    found
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;
    use std::fmt::Debug;
    use std::sync::OnceLock;

    use serde_json::Value;

    use super::*;

    /// Where the committed facts live, relative to the repository.
    const FACTS: &str = "tests/fixtures/reference/facts.json";

    /// The committed facts of the 8x8 reference (`tests/fixtures/reference/facts.json`, written by
    /// `cargo xtask fixtures`), which the tables of this module must agree with.
    fn facts() -> &'static Value {
        static FACTS_JSON: OnceLock<Value> = OnceLock::new();
        FACTS_JSON.get_or_init(|| {
            let path = format!("{}/../../{FACTS}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "cannot read {path}: {e} (it is committed; `cargo xtask fixtures` rewrites it)"
                )
            });
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
        })
    }

    /// The fact at `pointer` of the facts file.
    pub(crate) fn fact(pointer: &str) -> &'static Value {
        facts().pointer(pointer).unwrap_or_else(|| {
            panic!("{FACTS} has no {pointer}; rewrite it with `cargo xtask fixtures`")
        })
    }

    /// The string at `pointer` under `v`.
    pub(crate) fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
        v.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{FACTS}: no string at {pointer} of {v}"))
    }

    /// The items of the array at `pointer` under `v`.
    pub(crate) fn items<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
        v.pointer(pointer).and_then(Value::as_array).map_or_else(
            || panic!("{FACTS}: no array at {pointer} of {v}"),
            Vec::as_slice,
        )
    }

    /// Fails naming each value one set has and the other lacks.
    pub(crate) fn assert_same<T: Ord + Debug>(
        what: &str,
        source: &str,
        ours: BTreeSet<T>,
        listed: BTreeSet<T>,
    ) {
        let lacking: Vec<&T> = listed.difference(&ours).collect();
        let extra: Vec<&T> = ours.difference(&listed).collect();
        let mut problems = Vec::new();
        if !lacking.is_empty() {
            problems.push(format!(
                "{source} lists {lacking:?}, missing from the table"
            ));
        }
        if !extra.is_empty() {
            problems.push(format!(
                "the table has {extra:?}, which {source} does not list"
            ));
        }
        assert!(problems.is_empty(), "{what}: {}", problems.join("; "));
    }

    /// Compares a numbered table with a `{page, rows: [{code, message}]}` fact: the same codes,
    /// and each name 8x8's message letter for letter.
    fn assert_matches_rows(what: &str, table: &'static [Code], page: &Value) {
        let source = text(page, "/page");
        let rows = items(page, "/rows");
        let listed: BTreeSet<i64> = rows.iter().map(|r| r["code"].as_i64().unwrap()).collect();
        let ours: BTreeSet<i64> = table.iter().map(|c| i64::from(c.code)).collect();
        assert_same(what, source, ours, listed);
        for r in rows {
            let code = r["code"].as_i64().unwrap();
            let message = text(r, "/message");
            let ours = find(table, code).map(|c| c.name);
            assert_eq!(
                ours,
                Some(message),
                "{what} {code}: {source} writes its message {message:?}"
            );
        }
    }

    #[test]
    fn session_errors_match_both_error_pages() {
        let pages = items(fact("/sessionErrors"), "");
        assert_eq!(pages.len(), 2);
        for page in pages {
            assert_matches_rows("session error", SESSION_ERRORS, page);
        }
    }

    #[test]
    fn api_status_codes_match_the_reference_page() {
        assert_matches_rows("API status", API_STATUS, fact("/apiStatus"));
        let detailed = fact("/apiStatusDetailedCodes");
        let listed: BTreeSet<i64> = items(detailed, "/codes")
            .iter()
            .filter_map(Value::as_i64)
            .collect();
        for c in API_STATUS {
            assert!(
                listed.contains(&i64::from(c.code)),
                "API status {} is missing from {}",
                c.code,
                text(detailed, "/page")
            );
        }
    }

    #[test]
    fn number_masking_codes_match_their_page() {
        assert_matches_rows(
            "Number Masking error",
            NUMBER_MASKING,
            fact("/numberMaskingErrors"),
        );
    }

    /// Contradiction 13: the detailed page garbles -1018's message; the reference page's wording is used.
    #[test]
    fn contradiction_13_minus_1018_uses_the_reference_wording() {
        let c = api_status(-1018).unwrap();
        assert_eq!(
            c.name,
            "Invalid Callflow: Execute Scenario cannot be processed together with other actions"
        );
        let listed = items(fact("/apiStatus"), "/rows")
            .iter()
            .find(|r| r["code"] == -1018)
            .map(|r| text(r, "/message"));
        assert_eq!(listed, Some(c.name));
    }

    /// Contradiction 1: -1004 is an API status code, not a session error.
    #[test]
    fn contradiction_01_minus_1004_is_an_api_status() {
        let found = explain(-1004);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].table, Table::ApiStatus);
        assert_eq!(found[0].name, "DTMF callback url not provided");
        assert!(session_error(-1004).is_none());
    }

    #[test]
    fn explain_finds_every_table_a_number_is_in() {
        let tables: Vec<Table> = explain(-2004).iter().map(|e| e.table).collect();
        assert_eq!(tables, vec![Table::SessionError, Table::NumberMasking]);
        assert!(explain(-2004)[1].hint.unwrap().contains("region"));
        assert_eq!(explain(486)[0].name, "Busy Here");
        assert!(explain(7).is_empty());
        assert_eq!(explain_str(" SIP 404 ")[0].table, Table::Sip);
        assert_eq!(explain_str("2004")[0].code, -2004);
        assert_eq!(explain_str("-1017")[0].table, Table::ApiStatus);
        assert!(explain_str("hello").is_empty());
    }

    #[test]
    fn explain_covers_sip_success_and_odd_input() {
        let sip404 = explain(404);
        assert_eq!(sip404.len(), 1);
        assert_eq!(sip404[0].table, Table::Sip);
        assert_eq!(sip404[0].class, Some("4xx client error"));
        assert_eq!(sip404[0].cause, Some("An invalid phone number"));
        assert!(sip404[0].hint.unwrap().contains("E.164"));
        assert_eq!(explain(1)[0].name, "Created");
        let tables: Vec<Table> = explain(-9999).iter().map(|e| e.table).collect();
        assert_eq!(
            tables,
            vec![Table::SessionError, Table::NumberMasking, Table::ApiStatus]
        );
        assert_eq!(explain_str("9999").len(), 3);
        assert_eq!(explain_str("\u{2212}2004")[0].code, -2004);
        assert_eq!(explain_str("sip:480")[0].name, "Temporarily Unavailable");
        assert_eq!(explain_str("SIP404")[0].code, 404);
        assert!(explain_str("SIP -2004").is_empty());
        assert!(explain_str("").is_empty());
        assert!(explain_str("99999999999999999999999").is_empty());
        assert!(explain(i64::MIN).is_empty() && explain(i64::MAX).is_empty());
    }

    #[test]
    fn explanations_serialize_as_camel_case_objects() {
        let v = serde_json::to_value(explain(486)).unwrap();
        assert_eq!(v[0]["table"], "sip");
        assert_eq!(v[0]["class"], "4xx client error");
        let v = serde_json::to_value(explain(-2004)).unwrap();
        assert_eq!(v[0]["table"], "session-error");
        assert!(v[0].get("cause").is_none());
        let v = serde_json::to_value(api_status(-1017)).unwrap();
        assert_eq!(v["name"], "Invalid MSISDN format in Destination");
    }
}
