//! Every code a developer meets in 8x8 Voice, as static data with lookups: session error codes,
//! API status codes, Number Masking error hints, the Webhooks API's status code, SIP response
//! codes, status meanings, the Number Masking leg table, MOS bands, webhook types and 8x8's source
//! IP addresses.
//!
//! The numbers, names and enum values are 8x8's; the meanings and hints are written for this
//! crate. Lookups allocate nothing; only [`explain`] and [`lookup`] build a (small) `Vec`.
//! Tests at the bottom of each file compare the tables with the facts committed in
//! `tests/fixtures/reference/facts.json`, which `cargo xtask fixtures` extracts from the 8x8
//! reference pages (and `cargo xtask fixtures --check` keeps in step with them).
//!
//! | file | tables |
//! |---|---|
//! | `mod.rs` | [`SESSION_ERRORS`], [`API_STATUS`], [`NUMBER_MASKING`], [`WEBHOOKS_API`], [`explain`], [`lookup`] |
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
    CALL_ACTION_STATUSES, CALL_STATUSES, LEG_STATUSES, LegResult, NM_LEG_TABLE, NmLegRow,
    RECORDING_STATUSES, SESSION_STATUSES, STATUS_TABLES, STATUS_VARIANTS, StatusMeaning,
    StatusTable, VIRTUAL_NUMBER_STATUSES, canonical_status, leg_result, nm_leg_row,
    nm_session_status, session_status_for_legs, status_in, status_meaning,
};
pub use webhooks::{
    SOURCE_IPS, SOURCE_IPS_UPDATED, SourceIp, WEBHOOK_TYPES, WebhookType, is_8x8_source_ip,
    source_ip, webhook_type, webhook_type_for_event,
};

/// Which table an explanation comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Table {
    /// Session error codes (`errorDetails.errorCode` of a session summary).
    SessionError,
    /// API status codes (`statusCode` of a Send Callflow response).
    ApiStatus,
    /// Number Masking's reading of the session error codes, with its own hints.
    NumberMasking,
    /// The `statusCode` of a Webhooks API answer (create, list, delete).
    WebhooksApi,
    /// SIP response codes (`sipCode`).
    Sip,
    /// Status values (`sessionStatus`, `callStatus`, recording `status`, `operationalStatus`).
    Status,
    /// MOS bands (`callQuality.mos`).
    Mos,
}

/// One numbered code: session error, API status, Number Masking error or Webhooks API status.
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

/// The `statusCode` of a Webhooks API answer. Its examples answer 0 on success, where Send
/// Callflow answers 1; its error example carries -1001 as the string `"1001"`.
pub static WEBHOOKS_API: &[Code] = &[c(
    0,
    "ok",
    "The Webhooks API request succeeded: the webhook was registered or listed (statusMessage \"ok\"), or deleted (statusMessage \"deleted\").",
    Some(
        "Nothing to do. 0 is the Webhooks API's success; Send Callflow answers 1 for success instead.",
    ),
)];

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

/// The Webhooks API status code `code`, if it is one.
pub fn webhooks_api_status(code: i64) -> Option<&'static Code> {
    find(WEBHOOKS_API, code)
}

/// One entry of a code table explained, as handed to the CLI, the npm package and the page.
///
/// Tagged by `table`; every variant has `code` (what was explained: a number, a status value or
/// a MOS score), `name` and `meaning`, so a reader that only shows those needs no `match`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(
    tag = "table",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Explanation {
    /// A session error code (`errorDetails.errorCode` of a session summary).
    SessionError {
        /// The number.
        code: i64,
        /// 8x8's message for it.
        name: &'static str,
        /// What it means.
        meaning: &'static str,
        /// What to check or do.
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<&'static str>,
    },
    /// Number Masking's reading of a session error code.
    NumberMasking {
        /// The number.
        code: i64,
        /// 8x8's message for it.
        name: &'static str,
        /// What it means for a masked call.
        meaning: &'static str,
        /// What to check or do.
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<&'static str>,
    },
    /// An API status code (`statusCode` of a Send Callflow answer).
    ApiStatus {
        /// The number.
        code: i64,
        /// 8x8's message for it.
        name: &'static str,
        /// What it means.
        meaning: &'static str,
        /// What to check or do.
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<&'static str>,
    },
    /// The `statusCode` of a Webhooks API answer.
    WebhooksApi {
        /// The number.
        code: i64,
        /// 8x8's `statusMessage` for it.
        name: &'static str,
        /// What it means.
        meaning: &'static str,
        /// What to check or do.
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<&'static str>,
    },
    /// A SIP response code (`sipCode`).
    Sip {
        /// The number, 100–699.
        code: i64,
        /// The reason phrase.
        name: &'static str,
        /// What it means for a call.
        meaning: &'static str,
        /// What to do about it.
        hint: &'static str,
        /// The usual cause, where 8x8 names one.
        #[serde(skip_serializing_if = "Option::is_none")]
        cause: Option<&'static str>,
        /// The class, `"1xx provisional"` … `"6xx global failure"`.
        class: &'static str,
    },
    /// A status value in one of the fields that carry one: one explanation per field it
    /// appears in (`BUSY` is both a session and a leg status).
    Status {
        /// The value as 8x8 writes it (`NO_ANSWER` also when `NO ANSWER` was looked up).
        code: &'static str,
        /// The webhook and the field, e.g. `"VSS sessionStatus"`.
        name: &'static str,
        /// Which field.
        field: StatusTable,
        /// What it means in that field.
        meaning: &'static str,
        /// True for a good (or neutral, in-progress) outcome.
        success: bool,
        /// Where it is used, or a caveat of the documentation.
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<&'static str>,
        /// Present when the text looked up is not how 8x8 writes the value: what was written and
        /// why it reads as `code`.
        #[serde(skip_serializing_if = "Option::is_none")]
        spelling: Option<Spelling>,
    },
    /// The band of a MOS score (`callQuality.mos`, 1.0–5.0).
    Mos {
        /// The score looked up.
        code: f64,
        /// The band: Excellent, Good, Fair, Poor or Bad.
        name: &'static str,
        /// What callers hear.
        meaning: &'static str,
        /// Lowest score of the band (inclusive).
        min: f64,
        /// Highest score of the band (exclusive, except 5.0 for Excellent).
        max: f64,
    },
}

/// How a looked-up status value was written, when that is not 8x8's spelling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Spelling {
    /// The text as looked up.
    pub written: String,
    /// Why it reads as the canonical value: a documented variant spelling, or a loose match.
    pub note: &'static str,
}

impl Explanation {
    fn numbered(table: Table, c: &'static Code) -> Self {
        let (code, name, meaning, hint) = (i64::from(c.code), c.name, c.meaning, c.hint);
        match table {
            Table::SessionError => Explanation::SessionError {
                code,
                name,
                meaning,
                hint,
            },
            Table::NumberMasking => Explanation::NumberMasking {
                code,
                name,
                meaning,
                hint,
            },
            Table::WebhooksApi => Explanation::WebhooksApi {
                code,
                name,
                meaning,
                hint,
            },
            _ => Explanation::ApiStatus {
                code,
                name,
                meaning,
                hint,
            },
        }
    }

    /// The table it comes from (the `table` tag).
    pub fn table(&self) -> Table {
        match self {
            Explanation::SessionError { .. } => Table::SessionError,
            Explanation::NumberMasking { .. } => Table::NumberMasking,
            Explanation::ApiStatus { .. } => Table::ApiStatus,
            Explanation::WebhooksApi { .. } => Table::WebhooksApi,
            Explanation::Sip { .. } => Table::Sip,
            Explanation::Status { .. } => Table::Status,
            Explanation::Mos { .. } => Table::Mos,
        }
    }

    /// The number explained, for the numbered tables and SIP.
    pub fn number(&self) -> Option<i64> {
        match self {
            Explanation::SessionError { code, .. }
            | Explanation::NumberMasking { code, .. }
            | Explanation::ApiStatus { code, .. }
            | Explanation::WebhooksApi { code, .. }
            | Explanation::Sip { code, .. } => Some(*code),
            Explanation::Status { .. } | Explanation::Mos { .. } => None,
        }
    }

    /// 8x8's message, the SIP reason phrase, the status field or the MOS band.
    pub fn name(&self) -> &'static str {
        match self {
            Explanation::SessionError { name, .. }
            | Explanation::NumberMasking { name, .. }
            | Explanation::ApiStatus { name, .. }
            | Explanation::WebhooksApi { name, .. }
            | Explanation::Sip { name, .. }
            | Explanation::Status { name, .. }
            | Explanation::Mos { name, .. } => name,
        }
    }

    /// What it means.
    pub fn meaning(&self) -> &'static str {
        match self {
            Explanation::SessionError { meaning, .. }
            | Explanation::NumberMasking { meaning, .. }
            | Explanation::ApiStatus { meaning, .. }
            | Explanation::WebhooksApi { meaning, .. }
            | Explanation::Sip { meaning, .. }
            | Explanation::Status { meaning, .. }
            | Explanation::Mos { meaning, .. } => meaning,
        }
    }

    /// What to check or do, when there is something to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Explanation::SessionError { hint, .. }
            | Explanation::NumberMasking { hint, .. }
            | Explanation::ApiStatus { hint, .. }
            | Explanation::WebhooksApi { hint, .. }
            | Explanation::Status { hint, .. } => *hint,
            Explanation::Sip { hint, .. } => Some(hint),
            Explanation::Mos { .. } => None,
        }
    }
}

/// Every table entry the number `code` matches, in this order: session error, Number Masking,
/// API status, Webhooks API status, SIP. Empty when no table has it.
///
/// ```
/// use voicehook::codes::{Table, explain};
/// let found = explain(-1004);
/// assert_eq!(found[0].table(), Table::ApiStatus);
/// assert_eq!(explain(404)[0].name(), "Not Found");
/// assert_eq!(explain(0)[0].table(), Table::WebhooksApi);
/// ```
pub fn explain(code: i64) -> Vec<Explanation> {
    let mut out = Vec::new();
    for (table, found) in [
        (Table::SessionError, session_error(code)),
        (Table::NumberMasking, number_masking(code)),
        (Table::ApiStatus, api_status(code)),
        (Table::WebhooksApi, webhooks_api_status(code)),
    ] {
        if let Some(c) = found {
            out.push(Explanation::numbered(table, c));
        }
    }
    if let Some(s) = sip(code) {
        out.push(Explanation::Sip {
            code,
            name: s.reason,
            meaning: s.meaning,
            hint: s.hint(),
            cause: s.cause,
            class: s.class(),
        });
    }
    out
}

/// What [`lookup`] found for text a person typed.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Lookup {
    /// Every table entry the text matches; empty when none does.
    pub matches: Vec<Explanation>,
    /// Only when nothing matched: what the text is probably a typo of, nearest first (at most
    /// five). Empty when nothing is near either.
    pub suggestions: Vec<Suggestion>,
}

/// A near miss: a code or status value the text looked up is close to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// What to look up instead, as 8x8 writes it: `"-2004"`, `"NO_ANSWER"`.
    pub query: String,
    /// The tables it is in, in the order [`lookup`] lists them.
    pub tables: Vec<Table>,
    /// 8x8's message (numbers) or the first table's meaning (statuses).
    pub name: &'static str,
}

/// What a person typed, once read.
enum Query<'a> {
    /// An integer code; `sip_only` after a `SIP` prefix.
    Number { n: i64, sip_only: bool },
    /// A MOS score: a decimal number, or any number after a `MOS` prefix.
    Mos(f64),
    /// Anything else: a status value, or a typo of one.
    Text(&'a str),
}

/// The text after a case-insensitive `label` prefix and its separator (`SIP 404`, `sip:404`,
/// `MOS=4.2`, `SIP404`).
fn after_label<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let head = text.get(..label.len())?;
    head.eq_ignore_ascii_case(label)
        .then(|| text[label.len()..].trim_start_matches([':', '=', ' ']))
}

/// A plain decimal number (`4.2`, `-3`, `.5`): digits with at most one point and a leading sign.
/// `NaN`, `inf` and exponents are not what a person types for a score.
fn decimal(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let ok = digits > 0 && body.chars().all(|c| c.is_ascii_digit() || c == '.');
    (ok && body.matches('.').count() <= 1)
        .then(|| text.parse().ok())
        .flatten()
}

fn read_query(text: &str) -> Query<'_> {
    if let Some(rest) = after_label(text, "sip")
        && let Ok(n) = rest.trim().parse()
    {
        return Query::Number { n, sip_only: true };
    }
    if let Some(score) = after_label(text, "mos").and_then(|rest| decimal(rest.trim())) {
        return Query::Mos(score);
    }
    if let Ok(n) = text.parse() {
        return Query::Number { n, sip_only: false };
    }
    match decimal(text) {
        Some(score) => Query::Mos(score),
        None => Query::Text(text),
    }
}

/// Looks up what a person typed: a number in every code table, a status value in every status
/// table, a MOS score in the bands; with suggestions when nothing matches.
///
/// - Surrounding spaces are ignored; a Unicode minus (`−2004`) counts as `-`.
/// - `"SIP 404"`, `"sip:404"`, `"SIP404"` look in the SIP table only.
/// - A positive number above 1000 that no table has (`"2004"`, `"9999"`, the Webhooks API's
///   `"1001"`) is read negated, since every session error and API status code beyond 1 is
///   negative and SIP codes stay below 700.
/// - `"4.2"`, `"MOS 3.1"`, `"mos:4"` give the MOS band (nothing outside 1.0–5.0).
/// - Status values are found in every table that has them, whatever the case, with spaces or
///   hyphens for underscores, and in 8x8's documented variant spellings (`NO ANSWER`,
///   `CANCELLED`); such an explanation carries a [`Spelling`] saying what it was read as.
/// - When nothing matches: for a number, the codes one digit away (one digit changed, added or
///   removed: `-204` → `-2004`); for a word, the nearest status values (`NO_ANSWR` →
///   `NO_ANSWER`).
///
/// ```
/// use voicehook::codes::{Table, lookup};
/// assert_eq!(lookup("BUSY").matches.len(), 2); // a session and a leg status
/// assert_eq!(lookup("4.2").matches[0].name(), "Good");
/// assert_eq!(lookup("NO_ANSWR").suggestions[0].query, "NO_ANSWER");
/// assert_eq!(lookup("-204").suggestions[0].query, "-2004");
/// ```
pub fn lookup(text: &str) -> Lookup {
    let text = text.trim().replace('\u{2212}', "-");
    let (matches, suggestions) = match read_query(&text) {
        Query::Number { n, sip_only } => {
            let mut found = explain(n);
            if sip_only {
                found.retain(|e| e.table() == Table::Sip);
            } else if found.is_empty() && n > 1000 {
                found = explain(-n);
            }
            let near = if found.is_empty() {
                let mut near = one_digit_away(n, sip_only);
                if !sip_only && n > 1000 {
                    near.extend(one_digit_away(-n, false));
                    near.truncate(5);
                }
                near
            } else {
                Vec::new()
            };
            (found, near)
        }
        Query::Mos(score) => (mos(score).into_iter().collect(), Vec::new()),
        Query::Text(word) => {
            let found = status::explain_status(word);
            let near = if found.is_empty() && !word.is_empty() {
                status::near_statuses(word)
            } else {
                Vec::new()
            };
            (found, near)
        }
    };
    Lookup {
        matches,
        suggestions,
    }
}

/// [`lookup`] without the suggestions: every entry `text` matches, empty when none does.
///
/// ```
/// use voicehook::codes::{Table, explain_str};
/// assert_eq!(explain_str(" SIP 486 ")[0].name(), "Busy Here");
/// assert_eq!(explain_str("2004")[0].number(), Some(-2004));
/// assert_eq!(explain_str("NO ANSWER")[0].table(), Table::Status);
/// assert!(explain_str("hello").is_empty());
/// ```
pub fn explain_str(text: &str) -> Vec<Explanation> {
    lookup(text).matches
}

fn mos(score: f64) -> Option<Explanation> {
    mos_band(score).map(|b| Explanation::Mos {
        code: score,
        name: b.name,
        meaning: b.meaning,
        min: b.min,
        max: b.max,
    })
}

/// The known codes one digit away from `n` (one digit changed, added or removed, the sign
/// kept), nearest in value first, at most five; SIP codes only when `sip_only`.
fn one_digit_away(n: i64, sip_only: bool) -> Vec<Suggestion> {
    let digits = n.unsigned_abs().to_string();
    if digits.len() > 6 {
        return Vec::new();
    }
    let sign = if n < 0 { "-" } else { "" };
    let mut variants = Vec::new();
    for i in 0..=digits.len() {
        if i < digits.len() {
            variants.push(format!("{}{}", &digits[..i], &digits[i + 1..]));
        }
        for d in '0'..='9' {
            variants.push(format!("{}{d}{}", &digits[..i], &digits[i..]));
            if i < digits.len() {
                variants.push(format!("{}{d}{}", &digits[..i], &digits[i + 1..]));
            }
        }
    }
    let mut near: Vec<i64> = variants
        .iter()
        .filter(|v| !v.is_empty() && (v.len() == 1 || !v.starts_with('0')))
        .filter_map(|v| format!("{sign}{v}").parse().ok())
        .filter(|&v| v != n)
        .collect();
    near.sort_by_key(|&v| (v.abs_diff(n), v));
    near.dedup();
    near.into_iter()
        .filter_map(|v| {
            let mut found = explain(v);
            if sip_only {
                found.retain(|e| e.table() == Table::Sip);
            }
            let first = found.first()?;
            Some(Suggestion {
                query: v.to_string(),
                name: first.name(),
                tables: found.iter().map(Explanation::table).collect(),
            })
        })
        .take(5)
        .collect()
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

    /// The OpenAPI files answer the Webhooks API with statusCode 0 and statusMessage "ok"
    /// (create, list) or "deleted" (delete); the table has exactly those codes and names both.
    #[test]
    fn webhooks_api_status_matches_the_openapi_examples() {
        let answers = items(fact("/webhooksApiStatus"), "");
        let listed: BTreeSet<i64> = answers
            .iter()
            .map(|a| a["statusCode"].as_i64().unwrap())
            .collect();
        let ours: BTreeSet<i64> = WEBHOOKS_API.iter().map(|c| i64::from(c.code)).collect();
        assert_same("Webhooks API status", "the OpenAPI files", ours, listed);
        for a in answers {
            let code = a["statusCode"].as_i64().unwrap();
            let message = text(a, "/statusMessage");
            let c = webhooks_api_status(code).unwrap();
            assert!(
                c.name == message || c.meaning.contains(&format!("\"{message}\"")),
                "Webhooks API status {code}: {} answers statusMessage {message:?}, which the entry does not mention",
                text(a, "/operation")
            );
        }
        assert_eq!(explain(0)[0].table(), Table::WebhooksApi);
        assert_eq!(explain_str("0")[0].name(), "ok");
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
        assert_eq!(found[0].table(), Table::ApiStatus);
        assert_eq!(found[0].name(), "DTMF callback url not provided");
        assert!(session_error(-1004).is_none());
    }

    #[test]
    fn explain_finds_every_table_a_number_is_in() {
        let tables: Vec<Table> = explain(-2004).iter().map(Explanation::table).collect();
        assert_eq!(tables, vec![Table::SessionError, Table::NumberMasking]);
        assert!(explain(-2004)[1].hint().unwrap().contains("region"));
        assert_eq!(explain(486)[0].name(), "Busy Here");
        assert!(explain(7).is_empty());
        assert_eq!(explain_str(" SIP 404 ")[0].table(), Table::Sip);
        assert_eq!(explain_str("2004")[0].number(), Some(-2004));
        assert_eq!(explain_str("-1017")[0].table(), Table::ApiStatus);
        assert!(explain_str("hello").is_empty());
    }

    #[test]
    fn explain_covers_sip_success_and_odd_input() {
        let sip404 = explain(404);
        assert_eq!(sip404.len(), 1);
        let Explanation::Sip { class, cause, .. } = &sip404[0] else {
            panic!("404 is a SIP code: {sip404:?}");
        };
        assert_eq!(*class, "4xx client error");
        assert_eq!(*cause, Some("An invalid phone number"));
        assert!(sip404[0].hint().unwrap().contains("E.164"));
        assert_eq!(explain(1)[0].name(), "Created");
        let tables: Vec<Table> = explain(-9999).iter().map(Explanation::table).collect();
        assert_eq!(
            tables,
            vec![Table::SessionError, Table::NumberMasking, Table::ApiStatus]
        );
        assert_eq!(explain_str("9999").len(), 3);
        assert_eq!(explain_str("\u{2212}2004")[0].number(), Some(-2004));
        assert_eq!(explain_str("sip:480")[0].name(), "Temporarily Unavailable");
        assert_eq!(explain_str("SIP404")[0].number(), Some(404));
        assert!(explain_str("SIP -2004").is_empty());
        assert!(explain_str("").is_empty());
        assert!(explain_str("99999999999999999999999").is_empty());
        assert!(explain(i64::MIN).is_empty() && explain(i64::MAX).is_empty());
        // The Webhooks API's 422 example writes -1001 as the string "1001".
        assert_eq!(explain_str("1001")[0].number(), Some(-1001));
    }

    #[test]
    fn explanations_serialize_as_objects_tagged_by_table() {
        let v = serde_json::to_value(explain(486)).unwrap();
        assert_eq!(v[0]["table"], "sip");
        assert_eq!(v[0]["class"], "4xx client error");
        let v = serde_json::to_value(explain(-2004)).unwrap();
        assert_eq!(v[0]["table"], "session-error");
        assert_eq!(v[0]["code"], -2004);
        assert!(v[0].get("cause").is_none());
        let v = serde_json::to_value(explain(0)).unwrap();
        assert_eq!(v[0]["table"], "webhooks-api");
        let v = serde_json::to_value(explain_str("no answer")).unwrap();
        assert_eq!(v[0]["table"], "status");
        assert_eq!(v[0]["code"], "NO_ANSWER");
        assert_eq!(v[0]["field"], "session");
        assert_eq!(v[0]["spelling"]["written"], "no answer");
        let v = serde_json::to_value(explain_str("4.2")).unwrap();
        assert_eq!(v[0]["table"], "mos");
        assert_eq!(v[0]["code"], 4.2);
        let v = serde_json::to_value(api_status(-1017)).unwrap();
        assert_eq!(v["name"], "Invalid MSISDN format in Destination");
        let v = serde_json::to_value(lookup("-204")).unwrap();
        assert_eq!(v["matches"], serde_json::json!([]));
        assert_eq!(v["suggestions"][0]["query"], "-2004");
        assert_eq!(
            v["suggestions"][0]["tables"],
            serde_json::json!(["session-error", "number-masking"])
        );
    }

    /// The TypeScript types come from this schema: a union tagged by `table`, each variant
    /// requiring its tag, `code`, `name` and `meaning`.
    #[test]
    fn the_explanation_schema_is_a_union_tagged_by_table() {
        let schema = serde_json::to_value(schemars::schema_for!(Explanation)).unwrap();
        let variants = schema["oneOf"].as_array().expect("oneOf");
        let tags: Vec<&str> = variants
            .iter()
            .map(|v| v["properties"]["table"]["const"].as_str().unwrap())
            .collect();
        assert_eq!(
            tags,
            [
                "session-error",
                "number-masking",
                "api-status",
                "webhooks-api",
                "sip",
                "status",
                "mos"
            ]
        );
        for v in variants {
            let required: Vec<&str> = items(v, "/required")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            for key in ["table", "code", "name", "meaning"] {
                assert!(required.contains(&key), "{key} not required in {v}");
            }
        }
    }

    fn tables_of(found: &[Explanation]) -> Vec<Table> {
        found.iter().map(Explanation::table).collect()
    }

    fn fields_of(found: &[Explanation]) -> Vec<StatusTable> {
        found
            .iter()
            .map(|e| match e {
                Explanation::Status { field, .. } => *field,
                other => panic!("not a status: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn statuses_are_explained_in_every_table_they_appear_in() {
        let busy = explain_str("BUSY");
        assert_eq!(fields_of(&busy), [StatusTable::Session, StatusTable::Leg]);
        assert_eq!(busy[0].meaning(), SESSION_STATUSES[2].meaning);
        assert_eq!(busy[1].meaning(), LEG_STATUSES[2].meaning);
        assert_eq!(busy[0].name(), "VSS sessionStatus");
        assert_eq!(
            fields_of(&explain_str("CALL_RECEIVED")),
            [StatusTable::CallAction, StatusTable::CallStatus]
        );
        assert_eq!(
            fields_of(&explain_str("UPLOAD_FAILED")),
            [StatusTable::Recording]
        );
        assert_eq!(
            fields_of(&explain_str("Active")),
            [StatusTable::VirtualNumber]
        );
        let opt_out = explain_str("COMPLETED_UNSUBSCRIBED");
        assert_eq!(
            opt_out[0].hint(),
            Some("Voice Messaging opt-out flows only")
        );
        let Explanation::Status {
            success, spelling, ..
        } = &explain_str("COMPLETED")[0]
        else {
            panic!("COMPLETED is a status");
        };
        assert!(*success && spelling.is_none());
        // Every value of every table is found under its own spelling.
        for (table, rows) in STATUS_TABLES {
            for s in rows.iter() {
                let found = explain_str(s.status);
                assert!(fields_of(&found).contains(table), "{} {table:?}", s.status);
            }
        }
    }

    /// The spelling a status was looked up in, and the value it reads as.
    fn read_as(text: &str) -> (&'static str, String, &'static str) {
        match explain_str(text).first() {
            Some(Explanation::Status {
                code,
                spelling: Some(s),
                ..
            }) => (*code, s.written.clone(), s.note),
            other => panic!("{text:?} is not a respelled status: {other:?}"),
        }
    }

    #[test]
    fn quirk_spellings_say_which_value_they_are_read_as() {
        let (code, written, note) = read_as("NO ANSWER");
        assert_eq!((code, written.as_str()), ("NO_ANSWER", "NO ANSWER"));
        assert!(note.contains("Number Masking"), "{note}");
        let (code, _, note) = read_as("CANCELLED");
        assert_eq!(code, "CANCELED");
        assert!(note.contains("API introduction"), "{note}");
        let (code, _, note) = read_as("cancelled");
        assert_eq!(code, "CANCELED");
        assert!(note.contains("API introduction"), "{note}");
        for (text, canonical) in [
            ("busy", "BUSY"),
            ("no_answer", "NO_ANSWER"),
            ("no answer", "NO_ANSWER"),
            (" call-connected ", "CALL_CONNECTED"),
            ("ACTIVE", "Active"),
        ] {
            let (code, _, note) = read_as(text);
            assert_eq!(code, canonical, "{text}");
            assert!(note.contains("ignoring case"), "{text}: {note}");
        }
        assert_eq!(tables_of(&explain_str("NO ANSWER")), [Table::Status; 2]);
    }

    #[test]
    fn mos_scores_give_their_band() {
        for (text, band) in [
            ("4.2", "Good"),
            ("MOS 3.1", "Poor"),
            ("mos:4", "Good"),
            ("MOS=4.5", "Excellent"),
            ("4.30", "Excellent"),
            ("1.0", "Bad"),
            (" 3.7 ", "Fair"),
        ] {
            let found = explain_str(text);
            assert_eq!(tables_of(&found), [Table::Mos], "{text}");
            assert_eq!(found[0].name(), band, "{text}");
        }
        let Explanation::Mos { code, min, max, .. } = explain_str("4.2")[0] else {
            panic!("4.2 is a MOS score");
        };
        assert_eq!((code, min, max), (4.2, 4.0, 4.3));
        for text in ["5.5", "0.5", "-4.2", "MOS 7", "NaN", "inf", "4.2.1", "MOS"] {
            let found = lookup(text);
            assert!(found.matches.is_empty(), "{text}: {found:?}");
        }
        // An integer without the label is a code, not a score.
        assert!(explain_str("4").is_empty());
    }

    fn queries(found: &Lookup) -> Vec<&str> {
        found.suggestions.iter().map(|s| s.query.as_str()).collect()
    }

    #[test]
    fn near_misses_get_suggestions() {
        let typo = lookup("NO_ANSWR");
        assert!(typo.matches.is_empty());
        assert_eq!(queries(&typo), ["NO_ANSWER"]);
        assert_eq!(typo.suggestions[0].tables, [Table::Status]);
        assert_eq!(typo.suggestions[0].name, SESSION_STATUSES[1].meaning);
        assert_eq!(queries(&lookup("no answr")), ["NO_ANSWER"]);
        assert_eq!(queries(&lookup("CALL_CONECTED"))[0], "CALL_CONNECTED");
        assert_eq!(queries(&lookup("Actve")), ["Active"]);
        let number = lookup("-204");
        assert!(number.matches.is_empty());
        assert_eq!(queries(&number), ["-2004"]);
        assert_eq!(
            number.suggestions[0].name,
            "No coverage available for requested area"
        );
        // One digit changed, added or removed; nearest in value first.
        assert_eq!(queries(&lookup("-2014")), ["-2010", "-2004", "-1014"]);
        assert_eq!(queries(&lookup("-10017")), ["-1017", "-1007", "-1001"]);
        assert_eq!(queries(&lookup("4866")), ["486"]);
        assert_eq!(queries(&lookup("SIP 4044")), ["404"]);
        assert!(queries(&lookup("SIP 2014")).is_empty());
        // A match has no suggestions; far-off text and numbers have none either.
        assert!(lookup("-2004").suggestions.is_empty());
        assert!(lookup("BUSY").suggestions.is_empty());
        for far in ["hello world", "12345", "", "   ", "9.9", "99999999999"] {
            let found = lookup(far);
            assert!(
                found.matches.is_empty() && found.suggestions.is_empty(),
                "{far:?}: {found:?}"
            );
        }
    }
}
