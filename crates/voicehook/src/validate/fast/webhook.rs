//! The five webhooks read in one typed pass.
//!
//! The envelope's `eventType` may come after its `payload` (every 8x8 example writes it last),
//! so the payload is read into one struct holding the fields of every webhook kind, typed as
//! each kind types them (where two kinds share a name they agree on its type). Once the kind is
//! known, [`Webhook::check`] requires that kind's fields and runs its rules; fields another
//! kind declares are unknown to this one, so they are merely ignored (a value that would not
//! fit the other kind bails out, which is never wrong, only slower).
//!
//! The rules (`rules::{vss, vca, vcs, vru, vnu}`) are mirrored here as conditions under which
//! none of them reports anything; whenever one might, the document goes to the full path.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::de::{Num, Str, bail, checked, ensure, int_in, members, number_in, opt_string, string};
use super::text::{is_country_code, is_currency_code, is_msisdn, is_uuid, millis};
use crate::rules::common::{SKEW_MS, is_country};
use crate::{Kind, codes};

// The largest integers the schemas allow, by the model's type (`schema::integer_range`).
const U32: i64 = u32::MAX as i64;
const SAFE: i64 = crate::schema::MAX_SAFE_INTEGER;

/// A webhook envelope with its payload.
pub(super) struct Webhook<'de> {
    event_type: Option<Str<'de>>,
    seen: u64,
    payload: Option<Payload<'de>>,
}

const NAMESPACE: u64 = 1;
const EVENT_TYPE: u64 = 1 << 1;
const DESCRIPTION: u64 = 1 << 2;
const VERSION: u64 = 1 << 3;
const PAYLOAD: u64 = 1 << 4;

impl<'de> Deserialize<'de> for Webhook<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Webhook<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a webhook object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Webhook<'de>, A::Error> {
                let mut event_type = None;
                let mut payload = None;
                let seen = members(map, |key, map| {
                    Ok(Some(match key {
                        "namespace" => {
                            ensure(string(map)?.as_str() == "VOICE")?;
                            NAMESPACE
                        }
                        "eventType" => {
                            event_type = Some(string(map)?);
                            EVENT_TYPE
                        }
                        "description" => {
                            string(map)?;
                            DESCRIPTION
                        }
                        "version" => {
                            // VSS only; another kind does not declare it, and an integer of
                            // 1 or more is fine there too.
                            int_in(map, 1, U32)?;
                            VERSION
                        }
                        "payload" => {
                            payload = Some(map.next_value()?);
                            PAYLOAD
                        }
                        _ => return Ok(None),
                    }))
                })?;
                Ok(Webhook {
                    event_type,
                    seen,
                    payload,
                })
            }
        }
        d.deserialize_map(V)
    }
}

impl Webhook<'_> {
    /// The kind the full path would check this document as: `asked`, or the one its
    /// `eventType` names (detection looks at nothing else when `eventType` is there).
    pub(super) fn kind(&self, asked: Option<Kind>) -> Option<Kind> {
        match asked {
            Some(kind) => Some(kind),
            None => Kind::from_event_type(self.event_type.as_ref()?.as_str()),
        }
    }

    /// A session summary's `sessionStatus` and `errorDetails.errorCode`, as read.
    pub(super) fn session(&self) -> Option<(String, Option<i64>)> {
        let p = self.payload.as_ref()?;
        Some((p.session_status.as_ref()?.as_str().to_owned(), p.error_code))
    }

    /// True when the document is a valid `kind` that draws no error and no warning.
    pub(super) fn check(&self, kind: Kind) -> bool {
        let required = NAMESPACE | EVENT_TYPE | DESCRIPTION | PAYLOAD;
        if self.seen & required != required
            || self.event_type.as_ref().map(Str::as_str) != kind.event_type()
        {
            return false;
        }
        let Some(p) = &self.payload else {
            return false;
        };
        // `version` is declared by VSS only (read above as an integer of at least 1); to the
        // other kinds it is an unknown field, whatever its value.
        match kind {
            Kind::Vss => p.vss(),
            Kind::Vca => p.vca(),
            Kind::Vcs => p.vcs(),
            Kind::Vru => p.vru(),
            Kind::Vnu => p.vnu(),
            _ => false,
        }
    }
}

/// Bits of the payload members (one per name across all five kinds).
mod bit {
    pub const SESSION_ID: u64 = 1;
    pub const SUB_ACCOUNT_ID: u64 = 1 << 1;
    pub const SESSION_STATUS: u64 = 1 << 2;
    pub const START_TIME: u64 = 1 << 3;
    pub const END_TIME: u64 = 1 << 4;
    pub const LAST_ACTION: u64 = 1 << 5;
    pub const CALL_COUNT: u64 = 1 << 6;
    pub const CLIENT_REQUEST_ID: u64 = 1 << 7;
    pub const ERROR_DETAILS: u64 = 1 << 8;
    pub const DETAILS: u64 = 1 << 9;
    pub const EVENT_ID: u64 = 1 << 10;
    pub const CALL_ID: u64 = 1 << 11;
    pub const CALL_STATUS: u64 = 1 << 12;
    pub const CALL_DIRECTION: u64 = 1 << 13;
    pub const CALL_TYPE: u64 = 1 << 14;
    pub const SOURCE: u64 = 1 << 15;
    pub const DESTINATION: u64 = 1 << 16;
    pub const SOURCE_FORMAT: u64 = 1 << 17;
    pub const DESTINATION_FORMAT: u64 = 1 << 18;
    pub const SOURCE_COUNTRY_CODE: u64 = 1 << 19;
    pub const DESTINATION_COUNTRY_CODE: u64 = 1 << 20;
    pub const SOURCE_REF_ID: u64 = 1 << 21;
    pub const DESTINATION_REF_ID: u64 = 1 << 22;
    pub const CALL_DURATION: u64 = 1 << 23;
    pub const EVENT_DATA: u64 = 1 << 24;
    pub const SIP_CODE: u64 = 1 << 25;
    pub const TIMESTAMP: u64 = 1 << 26;
    pub const CLIENT_ACTION_ID: u64 = 1 << 27;
    pub const RECORDING_ID: u64 = 1 << 28;
    pub const DURATION_SECONDS: u64 = 1 << 29;
    pub const FILE_PATH: u64 = 1 << 30;
    pub const STATUS: u64 = 1 << 31;
    pub const TOTAL_NUMBERS: u64 = 1 << 32;
    pub const UPDATE_EVENT_TYPE: u64 = 1 << 33;
    pub const VIRTUAL_NUMBERS: u64 = 1 << 34;
    pub const CALL_QUALITY: u64 = 1 << 35;
    pub const CONNECTED_TIMESTAMP: u64 = 1 << 36;
    pub const INITIATED_TIMESTAMP: u64 = 1 << 37;
    pub const DISCONNECTED_TIMESTAMP: u64 = 1 << 38;

    /// The members a call leg, a call action and a call status share.
    pub const PARTY: u64 = CALL_DIRECTION
        | CALL_TYPE
        | SOURCE
        | DESTINATION
        | SOURCE_FORMAT
        | DESTINATION_FORMAT
        | SOURCE_COUNTRY_CODE
        | DESTINATION_COUNTRY_CODE;
    /// What a VCA and a VCS both require.
    pub const CALL_EVENT: u64 = EVENT_ID
        | CALL_ID
        | SESSION_ID
        | SUB_ACCOUNT_ID
        | CALL_STATUS
        | PARTY
        | CALL_DURATION
        | SIP_CODE
        | TIMESTAMP;
    /// What a VSS payload requires.
    pub const VSS: u64 = SESSION_ID
        | SUB_ACCOUNT_ID
        | SESSION_STATUS
        | START_TIME
        | END_TIME
        | LAST_ACTION
        | CALL_COUNT
        | DETAILS;
    /// What a VRU payload requires.
    pub const VRU: u64 = SESSION_ID | RECORDING_ID | DURATION_SECONDS | FILE_PATH | STATUS;
    /// What a VNU payload requires.
    pub const VNU: u64 = SUB_ACCOUNT_ID | TOTAL_NUMBERS | UPDATE_EVENT_TYPE | VIRTUAL_NUMBERS;
    /// What a call leg requires.
    pub const LEG: u64 = CALL_ID
        | PARTY
        | INITIATED_TIMESTAMP
        | DISCONNECTED_TIMESTAMP
        | CALL_STATUS
        | CALL_DURATION;
}

/// The payload of any of the five webhooks (see the module comment).
#[derive(Default)]
struct Payload<'de> {
    seen: u64,
    session_status: Option<Str<'de>>,
    start: i64,
    end: i64,
    call_count: i64,
    /// `errorDetails.errorCode` when `errorDetails` is an object.
    error_code: Option<i64>,
    legs: Vec<Leg<'de>>,
    call_status: Option<Str<'de>>,
    /// `eventData.dtmf` is present and not null.
    dtmf: bool,
    /// `clientActionId` is present and not null.
    client_action_id: bool,
    sip_code: i64,
    status: Option<Str<'de>>,
    total_numbers: i64,
    update_event_type: Option<Str<'de>>,
    numbers: Vec<Str<'de>>,
}

/// Reads one of the closed string enumerations; `NO ANSWER` (normalized with a warning) is
/// deliberately absent from them.
fn one_of<'de, A: MapAccess<'de>>(map: &mut A, allowed: &[&str]) -> Result<Str<'de>, A::Error> {
    let s = string(map)?;
    ensure(allowed.contains(&s.as_str()))?;
    Ok(s)
}

/// A phone number that matches the MSISDN pattern and draws no `number.format` warning: a
/// leading `+` and 7 to 15 digits.
fn number<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Str<'de>, A::Error> {
    let s = checked(map, is_msisdn)?;
    ensure(s.as_str().starts_with('+') && s.as_str().len() >= 8)?;
    Ok(s)
}

/// A country code that matches the pattern and is assigned (`country.unknown` otherwise).
fn country<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    let s = checked(map, is_country_code)?;
    ensure(is_country(s.as_str()))
}

/// A timestamp as milliseconds since 1970.
fn time<'de, A: MapAccess<'de>>(map: &mut A) -> Result<i64, A::Error> {
    millis(string(map)?.as_str()).ok_or_else(bail)
}

/// The members a call leg, a call action and a call status share; `None` for any other key.
fn party<'de, A: MapAccess<'de>>(key: &str, map: &mut A) -> Result<Option<u64>, A::Error> {
    Ok(Some(match key {
        "callDirection" => {
            one_of(map, &["INBOUND", "OUTBOUND"])?;
            bit::CALL_DIRECTION
        }
        "callType" => {
            one_of(map, &["PSTN", "VOIP"])?;
            bit::CALL_TYPE
        }
        "source" => {
            number(map)?;
            bit::SOURCE
        }
        "destination" => {
            number(map)?;
            bit::DESTINATION
        }
        "sourceFormat" => {
            one_of(map, &["MSISDN"])?;
            bit::SOURCE_FORMAT
        }
        "destinationFormat" => {
            one_of(map, &["MSISDN"])?;
            bit::DESTINATION_FORMAT
        }
        "sourceCountryCode" => {
            country(map)?;
            bit::SOURCE_COUNTRY_CODE
        }
        "destinationCountryCode" => {
            country(map)?;
            bit::DESTINATION_COUNTRY_CODE
        }
        _ => return Ok(None),
    }))
}

/// `sessionStatus` and `callStatus` values: any string but `NO ANSWER` and `"null"` (both
/// normalized with a warning); the kind's enumeration is checked once the kind is known.
fn status_text<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Str<'de>, A::Error> {
    let s = string(map)?;
    ensure(s.as_str() != "NO ANSWER")?;
    Ok(s)
}

impl<'de> Deserialize<'de> for Payload<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Payload<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a payload object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Payload<'de>, A::Error> {
                let mut p = Payload::default();
                p.seen = members(map, |key, map| {
                    if let Some(bit) = party(key, map)? {
                        return Ok(Some(bit));
                    }
                    Ok(Some(match key {
                        "sessionId" => {
                            checked(map, is_uuid)?;
                            bit::SESSION_ID
                        }
                        "subAccountId" => {
                            string(map)?;
                            bit::SUB_ACCOUNT_ID
                        }
                        "sessionStatus" => {
                            p.session_status = Some(status_text(map)?);
                            bit::SESSION_STATUS
                        }
                        "startTime" => {
                            p.start = time(map)?;
                            bit::START_TIME
                        }
                        "endTime" => {
                            p.end = time(map)?;
                            bit::END_TIME
                        }
                        "lastAction" => {
                            string(map)?;
                            bit::LAST_ACTION
                        }
                        "callCount" => {
                            p.call_count = int_in(map, 0, U32)?;
                            bit::CALL_COUNT
                        }
                        "clientRequestId" => {
                            opt_string(map)?;
                            bit::CLIENT_REQUEST_ID
                        }
                        "errorDetails" => {
                            p.error_code = map.next_value::<Option<ErrorDetails>>()?.map(|e| e.0);
                            bit::ERROR_DETAILS
                        }
                        "details" => {
                            p.legs = map.next_value::<Details<'de>>()?.0;
                            bit::DETAILS
                        }
                        "eventId" => {
                            checked(map, is_uuid)?;
                            bit::EVENT_ID
                        }
                        "callId" => {
                            checked(map, is_uuid)?;
                            bit::CALL_ID
                        }
                        "callStatus" => {
                            p.call_status = Some(status_text(map)?);
                            bit::CALL_STATUS
                        }
                        "sourceRefId" => {
                            opt_string(map)?;
                            bit::SOURCE_REF_ID
                        }
                        "destinationRefId" => {
                            opt_string(map)?;
                            bit::DESTINATION_REF_ID
                        }
                        "callDuration" => {
                            int_in(map, 0, SAFE)?;
                            bit::CALL_DURATION
                        }
                        "eventData" => {
                            p.dtmf = map.next_value::<Option<EventData>>()?.is_some_and(|e| e.0);
                            bit::EVENT_DATA
                        }
                        "sipCode" => {
                            p.sip_code = int_in(map, 100, 699)?;
                            bit::SIP_CODE
                        }
                        "timestamp" => {
                            time(map)?;
                            bit::TIMESTAMP
                        }
                        "clientActionId" => {
                            p.client_action_id = opt_string(map)?.is_some();
                            bit::CLIENT_ACTION_ID
                        }
                        "recordingId" => {
                            checked(map, is_uuid)?;
                            bit::RECORDING_ID
                        }
                        "durationSeconds" => {
                            int_in(map, 0, SAFE)?;
                            bit::DURATION_SECONDS
                        }
                        "filePath" => {
                            string(map)?;
                            bit::FILE_PATH
                        }
                        "status" => {
                            p.status = Some(string(map)?);
                            bit::STATUS
                        }
                        "totalNumbers" => {
                            p.total_numbers = int_in(map, 0, U32)?;
                            bit::TOTAL_NUMBERS
                        }
                        "updateEventType" => {
                            p.update_event_type = Some(one_of(map, &["SNAPSHOT", "UPDATES"])?);
                            bit::UPDATE_EVENT_TYPE
                        }
                        "virtualNumbers" => {
                            p.numbers = map.next_value::<Numbers<'de>>()?.0;
                            bit::VIRTUAL_NUMBERS
                        }
                        _ => return Ok(None),
                    }))
                })?;
                Ok(p)
            }
        }
        d.deserialize_map(V)
    }
}

/// `code.unknown` / `code.wrong-table` fire for an `errorCode` outside the session error table.
fn is_session_error(code: i64) -> bool {
    codes::session_error(code).is_some()
}

/// `code.unknown` warns about a `sipCode` the 8x8 SIP page does not list.
fn is_listed_sip(code: i64) -> bool {
    codes::sip(code).is_some()
}

impl Payload<'_> {
    fn has(&self, required: u64) -> bool {
        self.seen & required == required
    }

    /// VSS: the schema, then `vss.timestamps`, `vss.duration`, `vss.call-count`,
    /// `vss.error-details`, `vss.session-status`, `code.*` and the party rules (checked
    /// while reading each leg).
    fn vss(&self) -> bool {
        const SESSION: [&str; 9] = [
            "COMPLETED",
            "BUSY",
            "NO_ANSWER",
            "FAILED",
            "CANCELED",
            "ERROR",
            "COMPLETED_UNSUBSCRIBED",
            "COMPLETED_UNSUB_ERROR",
            "UNSUBSCRIBED_CONTACT",
        ];
        let Some(session) = self.session_status.as_ref().map(Str::as_str) else {
            return false;
        };
        if !self.has(bit::VSS) || !SESSION.contains(&session) || self.end < self.start {
            return false;
        }
        let (lo, hi) = (self.start - SKEW_MS, self.end + SKEW_MS);
        for leg in &self.legs {
            let mut last = i64::MIN;
            for t in [Some(leg.initiated), leg.connected, Some(leg.disconnected)]
                .into_iter()
                .flatten()
            {
                if t < last || t < lo || t > hi {
                    return false;
                }
                last = t;
            }
            let ok_duration = match leg.connected {
                None => leg.duration == 0,
                Some(c) => {
                    let talked = leg.disconnected - c;
                    leg.duration
                        .saturating_mul(1_000)
                        .saturating_sub(talked)
                        .saturating_abs()
                        <= SKEW_MS
                }
            };
            if !ok_duration {
                return false;
            }
        }
        if usize::try_from(self.call_count).ok() != Some(self.legs.len()) {
            return false;
        }
        // vss.error-details and code.*: errorDetails (not null) goes with ERROR (or a failed
        // opt-out) and carries a session error code; ERROR comes with errorDetails.
        match (session, self.error_code) {
            ("ERROR" | "COMPLETED_UNSUB_ERROR", Some(code)) if is_session_error(code) => {}
            ("ERROR", _) | (_, Some(_)) => return false,
            _ => {}
        }
        // vss.session-status: a Number Masking shaped session whose legs the Number Masking
        // table covers must have the status the table gives (an error or a warning otherwise,
        // depending on the product guess); elsewhere a status naming a leg outcome needs a leg
        // with that outcome.
        const BASE: [&str; 6] = [
            "COMPLETED",
            "BUSY",
            "NO_ANSWER",
            "FAILED",
            "CANCELED",
            "ERROR",
        ];
        if BASE.contains(&session) {
            let leg = |key: &str| self.legs.iter().find(|l| l.key.as_str() == key);
            let nm_shaped = match (leg("callA"), leg("callB"), self.legs.len()) {
                (Some(a), None, 1) => a.inbound,
                (Some(a), Some(b), 2) => a.inbound && !b.inbound,
                _ => false,
            };
            if nm_shaped && let Some(a) = leg("callA") {
                let b = leg("callB").map(|b| b.status.as_str());
                if let Some(expected) = codes::nm_session_status(a.status.as_str(), b) {
                    return expected == session;
                }
            }
            if matches!(session, "COMPLETED" | "BUSY" | "NO_ANSWER" | "CANCELED")
                && !self.legs.is_empty()
                && !self.legs.iter().any(|l| l.status.as_str() == session)
            {
                return false;
            }
        }
        true
    }

    /// VCA: the schema, then `vca.dtmf`, `vca.client-action-id`, `code.unknown` on `sipCode`
    /// and the party rules.
    fn vca(&self) -> bool {
        let Some(status) = self.call_status.as_ref().map(Str::as_str) else {
            return false;
        };
        self.has(bit::CALL_EVENT)
            && match status {
                "ACTION_COMPLETED" => true,
                "CALL_RECEIVED" => !self.dtmf && !self.client_action_id,
                _ => false,
            }
            && is_listed_sip(self.sip_code)
    }

    /// VCS: the schema, then `code.unknown` on `sipCode`, `vcs.sip-status` and the party rules.
    fn vcs(&self) -> bool {
        const STATUS: [&str; 6] = [
            "CALL_INITIATED",
            "CALL_RECEIVED",
            "CALL_CONNECTED",
            "CALL_DISCONNECTED",
            "CALL_UPDATED",
            "DTMF_RECEIVED",
        ];
        let Some(status) = self.call_status.as_ref().map(Str::as_str) else {
            return false;
        };
        self.has(bit::CALL_EVENT)
            && STATUS.contains(&status)
            && is_listed_sip(self.sip_code)
            && (status != "CALL_CONNECTED" || (200..400).contains(&self.sip_code))
    }

    /// VRU: the schema, then `vru.status` (any status but `UPLOAD_COMPLETED` warns).
    fn vru(&self) -> bool {
        self.has(bit::VRU) && self.status.as_ref().map(Str::as_str) == Some("UPLOAD_COMPLETED")
    }

    /// VNU: the schema, then `vnu.total`, `vnu.duplicate` and the number rules (checked while
    /// reading each entry).
    fn vnu(&self) -> bool {
        let listed = i64::try_from(self.numbers.len()).unwrap_or(i64::MAX);
        let snapshot = self.update_event_type.as_ref().map(Str::as_str) == Some("SNAPSHOT");
        self.has(bit::VNU)
            && listed <= self.total_numbers
            && (!snapshot || listed == self.total_numbers)
            && self
                .numbers
                .iter()
                .enumerate()
                .all(|(i, n)| !self.numbers[..i].contains(n))
    }
}

/// `errorDetails` when it is an object: its `errorCode` (an integer; a string is normalized
/// with a warning).
struct ErrorDetails(i64);

impl<'de> Deserialize<'de> for ErrorDetails {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ErrorDetails;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an errorDetails object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ErrorDetails, A::Error> {
                let mut code = 0;
                let seen = members(map, |key, map| {
                    Ok(Some(match key {
                        "errorMsg" => {
                            string(map)?;
                            1
                        }
                        "errorCode" => {
                            code = map.next_value::<Num>()?.int().ok_or_else(bail)?;
                            2
                        }
                        _ => return Ok(None),
                    }))
                })?;
                ensure(seen == 3)?;
                Ok(ErrorDetails(code))
            }
        }
        d.deserialize_map(V)
    }
}

/// `eventData` when it is an object: whether it carries a `dtmf` that is not null.
struct EventData(bool);

impl<'de> Deserialize<'de> for EventData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EventData;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an eventData object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EventData, A::Error> {
                let mut dtmf = false;
                members(map, |key, map| {
                    Ok(match key {
                        "dtmf" => {
                            dtmf = opt_string(map)?.is_some();
                            Some(1)
                        }
                        _ => None,
                    })
                })?;
                Ok(EventData(dtmf))
            }
        }
        d.deserialize_map(V)
    }
}

/// One call leg of a session summary, as far as the rules need it.
struct Leg<'de> {
    key: Str<'de>,
    inbound: bool,
    status: Str<'de>,
    initiated: i64,
    /// Present and not null.
    connected: Option<i64>,
    disconnected: i64,
    duration: i64,
}

/// `details`: the legs in document order, keyed by names written in lower camelCase (a
/// capitalised one is normalized with a warning).
struct Details<'de>(Vec<Leg<'de>>);

impl<'de> Deserialize<'de> for Details<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Details<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a details object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Details<'de>, A::Error> {
                let mut legs: Vec<Leg<'de>> = Vec::new();
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    ensure(
                        legs.len() < 64
                            && !key.as_str().starts_with(|c: char| c.is_ascii_uppercase())
                            && !legs.iter().any(|l| l.key == key),
                    )?;
                    let mut leg: Leg<'de> = map.next_value_seed(LegSeed)?;
                    leg.key = key;
                    legs.push(leg);
                }
                Ok(Details(legs))
            }
        }
        d.deserialize_map(V)
    }
}

struct LegSeed;

impl<'de> de::DeserializeSeed<'de> for LegSeed {
    type Value = Leg<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Leg<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LegSeed {
    type Value = Leg<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a call leg object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Leg<'de>, A::Error> {
        let mut inbound = false;
        let mut status = None;
        let (mut initiated, mut disconnected, mut duration) = (0, 0, 0);
        let mut connected = None;
        let seen = members(map, |key, map| {
            if key == "callDirection" {
                inbound = one_of(map, &["INBOUND", "OUTBOUND"])?.as_str() == "INBOUND";
                return Ok(Some(bit::CALL_DIRECTION));
            }
            if let Some(bit) = party(key, map)? {
                return Ok(Some(bit));
            }
            Ok(Some(match key {
                "callId" => {
                    checked(map, is_uuid)?;
                    bit::CALL_ID
                }
                "initiatedTimestamp" => {
                    initiated = time(map)?;
                    bit::INITIATED_TIMESTAMP
                }
                "connectedTimestamp" => {
                    connected = match opt_string(map)? {
                        Some(s) => Some(millis(s.as_str()).ok_or_else(bail)?),
                        None => None,
                    };
                    bit::CONNECTED_TIMESTAMP
                }
                "disconnectedTimestamp" => {
                    disconnected = time(map)?;
                    bit::DISCONNECTED_TIMESTAMP
                }
                "sourceRefId" => {
                    opt_string(map)?;
                    bit::SOURCE_REF_ID
                }
                "destinationRefId" => {
                    opt_string(map)?;
                    bit::DESTINATION_REF_ID
                }
                "callStatus" => {
                    status = Some(one_of(
                        map,
                        &[
                            "COMPLETED",
                            "BUSY",
                            "NO_ANSWER",
                            "FAILED",
                            "CANCELED",
                            "ERROR",
                        ],
                    )?);
                    bit::CALL_STATUS
                }
                "callDuration" => {
                    duration = int_in(map, 0, SAFE)?;
                    bit::CALL_DURATION
                }
                "callQuality" => {
                    map.next_value::<Option<CallQuality>>()?;
                    bit::CALL_QUALITY
                }
                // A capitalised member may be a leg field normalization renames.
                _ if key.starts_with(|c: char| c.is_ascii_uppercase()) => return Err(bail()),
                _ => return Ok(None),
            }))
        })?;
        ensure(seen & bit::LEG == bit::LEG)?;
        Ok(Leg {
            key: Str(Default::default()),
            inbound,
            status: status.ok_or_else(bail)?,
            initiated,
            connected,
            disconnected,
            duration,
        })
    }
}

/// `callQuality` when it is an object.
struct CallQuality;

impl<'de> Deserialize<'de> for CallQuality {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CallQuality;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a callQuality object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CallQuality, A::Error> {
                let seen = members(map, |key, map| {
                    Ok(Some(match key {
                        "mos" => {
                            number_in(map, 1.0, 5.0)?;
                            1
                        }
                        "packetLossRate" => {
                            number_in(map, 0.0, 1.0)?;
                            2
                        }
                        "jitter" => {
                            int_in(map, 0, U32)?;
                            4
                        }
                        _ => return Ok(None),
                    }))
                })?;
                ensure(seen == 7)?;
                Ok(CallQuality)
            }
        }
        d.deserialize_map(V)
    }
}

/// `virtualNumbers`: each entry's `msisdn`.
struct Numbers<'de>(Vec<Str<'de>>);

impl<'de> Deserialize<'de> for Numbers<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Numbers<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a virtualNumbers array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Numbers<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(VirtualNumber(msisdn)) = seq.next_element()? {
                    ensure(out.len() < 1024)?;
                    out.push(msisdn);
                }
                Ok(Numbers(out))
            }
        }
        d.deserialize_seq(V)
    }
}

/// One `virtualNumbers` entry: its `msisdn`.
struct VirtualNumber<'de>(Str<'de>);

impl<'de> Deserialize<'de> for VirtualNumber<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = VirtualNumber<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a virtual number object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<VirtualNumber<'de>, A::Error> {
                let mut msisdn = None;
                let seen = members(map, |key, map| {
                    Ok(Some(match key {
                        "msisdn" => {
                            msisdn = Some(number(map)?);
                            1
                        }
                        "updatedTimestamp" => {
                            time(map)?;
                            1 << 1
                        }
                        "countryCode" => {
                            country(map)?;
                            1 << 2
                        }
                        "operationalStatus" => {
                            one_of(map, &["Active", "Unhealthy", "Expiring", "Inactive"])?;
                            1 << 3
                        }
                        "referenceId" => {
                            string(map)?;
                            1 << 4
                        }
                        "rentalPrice" => {
                            number_in(map, 0.0, f64::INFINITY)?;
                            1 << 5
                        }
                        "incomingRate" => {
                            number_in(map, 0.0, f64::INFINITY)?;
                            1 << 6
                        }
                        "billingUnit" => {
                            int_in(map, 0, U32)?;
                            1 << 7
                        }
                        "billingCurrency" => {
                            checked(map, is_currency_code)?;
                            1 << 8
                        }
                        "numberHealthCheckEnabled" => {
                            map.next_value::<bool>()?;
                            1 << 9
                        }
                        "updateStatus" => {
                            one_of(map, &["NO_CHANGE", "UPDATED"])?;
                            1 << 10
                        }
                        _ => return Ok(None),
                    }))
                })?;
                ensure(seen == (1 << 11) - 1)?;
                Ok(VirtualNumber(msisdn.ok_or_else(bail)?))
            }
        }
        d.deserialize_map(V)
    }
}
