//! Helpers and rules shared by the webhook rules: reading fields that may be missing or
//! mistyped, ISO 8601 timestamps, phone numbers (`number.format`), country codes
//! (`country.unknown`) and codes read from the right table (`code.unknown`, `code.wrong-table`).

use super::Ctx;
use crate::catalog;
use crate::codes;
use crate::parse::View;

/// How far (in milliseconds) two clocks of the 8x8 platform may disagree before a time rule fires.
pub(crate) const SKEW_MS: i64 = 2_000;

/// Escapes one reference token of an RFC 6901 JSON Pointer.
pub(crate) fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// The value at an RFC 6901 pointer below `doc`.
pub(crate) fn at<'v>(doc: View<'v>, pointer: &str) -> Option<View<'v>> {
    doc.pointer(pointer)
}

/// `base` followed by the reference token `key`.
pub(crate) fn child(base: &str, key: &str) -> String {
    format!("{base}/{}", escape(key))
}

/// The string at `pointer`, if there is one.
pub(crate) fn str_at<'v>(doc: View<'v>, pointer: &str) -> Option<&'v str> {
    at(doc, pointer).and_then(View::as_str)
}

/// The whole number at `pointer` (an integer, or a float without a fraction).
pub(crate) fn int_at(doc: View<'_>, pointer: &str) -> Option<i64> {
    at(doc, pointer).and_then(as_whole)
}

/// A JSON number read as a whole number, if it is one.
pub(crate) fn as_whole(v: View<'_>) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    if let Some(u) = n.as_u64() {
        return Some(i64::try_from(u).unwrap_or(i64::MAX));
    }
    let f = n.as_f64()?;
    if f.fract() != 0.0 {
        return None;
    }
    // Exact below 2^53; beyond, a whole float (1e16, 1e20, a 30-digit integer read as a float)
    // still counts, saturated at the i64 range, so the rules that compare it say so instead of
    // skipping it. Messages show the value as written.
    Some(if f.abs() < 9.0e15 {
        f as i64
    } else if f > 0.0 {
        i64::MAX
    } else {
        i64::MIN
    })
}

/// The one timestamp type ([`crate::time`]), as the rules name it.
pub(crate) use crate::time::Instant as Timestamp;

/// A span of milliseconds in words, e.g. `3 s` or `1 h 2 min 5 s`.
pub(crate) fn span(ms: i64) -> String {
    let total = ms.unsigned_abs();
    let (s, frac) = (total / 1_000, total % 1_000);
    let (d, h, m, sec) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if sec > 0 || frac > 0 || parts.is_empty() {
        if frac > 0 {
            parts.push(format!("{sec}.{frac:03} s"));
        } else {
            parts.push(format!("{sec} s"));
        }
    }
    parts.join(" ")
}

/// The phone number as it may appear in a message: masked when the caller asked for it.
pub(crate) fn show_number(ctx: &Ctx<'_>, number: &str) -> String {
    if ctx.options.mask {
        crate::mask::mask_number(number)
    } else {
        number.to_owned()
    }
}

/// `number.format`: the phone number at `object[field]` should be E.164: a `+`, then
/// 7 to 15 digits. Skipped when the companion `<field>Format` says it is not an MSISDN, when
/// the value is not a string, or when the schema already rejected it.
/// `object` is the value at pointer `at`; pointers are built only for what is reported.
pub(crate) fn check_number(ctx: &mut Ctx<'_>, object: View<'_>, at: &str, field: &str) {
    let Some(number) = object.get(field).and_then(View::as_str) else {
        return;
    };
    let digits = number.strip_prefix('+').unwrap_or(number);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return; // not a number at all: the schema's pattern says so
    }
    let count = digits.len();
    if number.starts_with('+') && (7..=15).contains(&count) {
        return;
    }
    if let Some(format) = object.get(&format!("{field}Format")).and_then(View::as_str)
        && format != "MSISDN"
    {
        return;
    }
    let pointer = child(at, field);
    if ctx.has_error_at(&pointer) {
        return;
    }
    let shown = show_number(ctx, number);
    if !number.starts_with('+') {
        ctx.emit(
            &pointer,
            &catalog::NUMBER_FORMAT,
            format!(
                "{field} should be in E.164 form with a leading '+' and the country code, \
                 found {shown:?}"
            ),
        );
    } else if !(7..=15).contains(&count) {
        ctx.emit(
            &pointer,
            &catalog::NUMBER_FORMAT,
            format!(
                "{field} should have 7 to 15 digits after the '+' (E.164), found {count} in {shown:?}"
            ),
        );
    }
}

/// The ISO 3166-1 alpha-2 codes assigned to countries and territories (249 codes).
pub(crate) const ISO_3166_ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// True when `code` is an assigned ISO 3166-1 alpha-2 code.
pub(crate) fn is_country(code: &str) -> bool {
    match code.as_bytes() {
        &[a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
            let i = usize::from(a - b'A') * 26 + usize::from(b - b'A');
            COUNTRIES[i / 64] & (1 << (i % 64)) != 0
        }
        _ => false,
    }
}

/// [`ISO_3166_ALPHA2`] as one bit per pair of capital letters, for [`is_country`] (webhooks
/// name two countries each, so this is on every webhook's path).
const COUNTRIES: [u64; 11] = {
    let mut bits = [0u64; 11];
    let mut n = 0;
    while n < ISO_3166_ALPHA2.len() {
        let code = ISO_3166_ALPHA2[n].as_bytes();
        let i = (code[0] - b'A') as usize * 26 + (code[1] - b'A') as usize;
        bits[i / 64] |= 1 << (i % 64);
        n += 1;
    }
    bits
};

/// Reserved or colloquial codes people write for an assigned one.
fn country_hint(code: &str) -> Option<&'static str> {
    Some(match code {
        "UK" => "GB",
        "EL" => "GR",
        "FX" => "FR",
        "SU" => "RU",
        "YU" => "RS",
        "TP" => "TL",
        "ZR" => "CD",
        "AN" => "CW",
        _ => return None,
    })
}

/// `country.unknown`: the string at `object[field]` is two capital letters but not an
/// assigned ISO 3166-1 alpha-2 code. Other shapes are left to the schema.
/// `object` is the value at pointer `at`.
pub(crate) fn check_country(ctx: &mut Ctx<'_>, object: View<'_>, at: &str, field: &str) {
    let Some(code) = object.get(field).and_then(View::as_str) else {
        return;
    };
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) || is_country(code) {
        return;
    }
    let pointer = child(at, field);
    if ctx.has_error_at(&pointer) {
        return;
    }
    let hint = match country_hint(code) {
        Some(assigned) => format!("; did you mean {assigned:?}?"),
        None => String::new(),
    };
    ctx.emit(
        &pointer,
        &catalog::COUNTRY_UNKNOWN,
        format!(
            "{field} should be an assigned ISO 3166-1 alpha-2 country code, found {code:?}, \
             which is not assigned{hint}"
        ),
    );
}

/// Checks the number and country fields a call leg or call event carries
/// (`source`, `destination`, `sourceCountryCode`, `destinationCountryCode`) in `object`, the
/// value at pointer `at`.
pub(crate) fn check_party_fields(ctx: &mut Ctx<'_>, object: View<'_>, at: &str) {
    check_number(ctx, object, at, "source");
    check_number(ctx, object, at, "destination");
    check_country(ctx, object, at, "sourceCountryCode");
    check_country(ctx, object, at, "destinationCountryCode");
}

/// `code.unknown` / `code.wrong-table`: the session error code at `pointer` must come
/// from the session error table (-2001…-2010, -9999). An API status code there is named as one.
pub(crate) fn check_session_error_code(ctx: &mut Ctx<'_>, pointer: &str) {
    let Some(code) = int_at(ctx.doc, pointer) else {
        return;
    };
    if ctx.has_error_at(pointer) {
        return;
    }
    if let Some(known) = codes::session_error(code) {
        check_error_message(ctx, pointer, known);
        return;
    }
    if let Some(meaning) = codes::api_status(code).map(|c| c.name) {
        let mut message = format!(
            "errorCode should be a session error code (-2001 to -2010, or -9999), found {code}, \
             which is a Send Callflow API status code (\"{meaning}\") returned in the API \
             response, not in a webhook"
        );
        if code == -1004 {
            message.push_str(
                "; 8x8's webhooks overview calls -1004 \"invalid destination\", but a destination \
                 that is not a valid number is API status -1017 (\"Invalid MSISDN format in \
                 Destination\"), reported when the callflow is sent",
            );
        }
        ctx.emit(pointer, &catalog::CODE_WRONG_TABLE, message);
    } else {
        ctx.emit(
            pointer,
            &catalog::CODE_UNKNOWN,
            format!(
                "errorCode should be a session error code (-2001 to -2010, or -9999), found {code}, \
                 which no 8x8 code table lists"
            ),
        );
    }
}

/// `code.message-mismatch`: the `errorMsg` beside the error code at `pointer` is, word for word,
/// the message of another session error code (8x8's older Voice Messaging example pairs -2005
/// with -2004's message). Which of the two is right cannot be told; the finding says both.
fn check_error_message(ctx: &mut Ctx<'_>, pointer: &str, code: &codes::Code) {
    let Some((parent, _)) = pointer.rsplit_once('/') else {
        return;
    };
    let message_pointer = child(parent, "errorMsg");
    let Some(message) = str_at(ctx.doc, &message_pointer) else {
        return;
    };
    let same = |name: &str| name.trim().eq_ignore_ascii_case(message.trim());
    if same(code.name) {
        return;
    }
    let Some(other) = codes::SESSION_ERRORS.iter().find(|c| same(c.name)) else {
        return;
    };
    ctx.emit(
        &message_pointer,
        &catalog::CODE_MESSAGE_MISMATCH,
        format!(
            "errorMsg is the message of {} (\"{}\"), but errorCode is {} (\"{}\"): one of the two \
             is likely wrong; decode explains errorCode",
            other.code, other.name, code.code, code.name
        ),
    );
}

/// `code.unknown`: the SIP response code at `pointer` is not one the 8x8 SIP page lists.
pub(crate) fn check_sip_code(ctx: &mut Ctx<'_>, pointer: &str) {
    let Some(code) = int_at(ctx.doc, pointer) else {
        return;
    };
    if codes::sip(code).is_some() || ctx.has_error_at(pointer) {
        return;
    }
    let class = if (100..700).contains(&code) {
        "a code in a valid SIP class that 8x8 does not list"
    } else {
        "outside the SIP range 100 to 699"
    };
    ctx.emit(
        pointer,
        &catalog::CODE_UNKNOWN,
        format!("sipCode should be a SIP response code (RFC 3261), found {code}, {class}"),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{Kind, Options};

    /// Every webhook example extracted from the 8x8 pages (tests/fixtures/docs) passes the
    /// webhook rules without an error, except the pinned contradiction: the Voice Messaging
    /// failure example's leg timestamps a year before its session (reference README, item 3).
    /// Examples that are not JSON as printed are the parser's to report and are skipped here.
    #[test]
    fn doc_fixtures_raise_no_rule_errors_except_the_pinned_ones() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/docs");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!(
                "no doc fixtures at {}; the inline examples in each rule file cover them",
                dir.display()
            );
            return;
        };
        let pinned = |doc: View<'_>, pointer: &str, rule: &str| {
            rule == "vss.timestamps"
                && pointer.ends_with("Timestamp")
                && doc
                    .pointer(pointer)
                    .and_then(View::as_str)
                    .is_some_and(|t| t.starts_with("2023-07-13"))
                && str_at(doc, "/payload/startTime").is_some_and(|t| t.starts_with("2024-07-13"))
        };
        let mut checked = 0;
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.extension().is_none_or(|e| e != "json") || path.ends_with("manifest.json") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            let tape = crate::parse::Doc::from_value(&doc);
            let Some(kind) = crate::detect::detect_value(&doc)
                .kind
                .filter(|k| k.is_webhook())
            else {
                continue;
            };
            let options = Options::default();
            let mut ctx = Ctx::new(kind, tape.root(), &options);
            super::super::check(&mut ctx);
            let unexpected: Vec<_> = ctx
                .found()
                .into_iter()
                .filter(|&(pointer, is_error, rule)| {
                    is_error && !pinned(tape.root(), pointer, rule)
                })
                .collect();
            assert!(unexpected.is_empty(), "{}: {unexpected:?}", path.display());
            checked += 1;
        }
        eprintln!("checked {checked} webhook examples from {}", dir.display());
    }

    #[test]
    fn timestamps_parse_exactly() {
        let t = |s: &str| Timestamp::parse(s).map(Timestamp::millis);
        assert_eq!(t("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(t("2026-01-13T08:26:58Z"), Some(1_768_292_818_000));
        assert_eq!(t("2024-05-16T04:12:11.217Z"), Some(1_715_832_731_217));
        assert_eq!(t("2024-05-16T04:12:11.2179999Z"), Some(1_715_832_731_217));
        assert_eq!(t("2024-05-16T12:12:11.217+08:00"), Some(1_715_832_731_217));
        assert_eq!(t("2024-05-16T00:12:11.217-0400"), Some(1_715_832_731_217));
        assert_eq!(t("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
        for bad in [
            "",
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+8",
            "2024-01-01T00:00:00ZZ",
            "２024-01-01T00:00:00Z",
            "2024-01-01T00:00",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn year_shift_keeps_the_wall_clock() {
        let a = Timestamp::parse("2023-07-13T09:54:38Z").unwrap();
        let b = Timestamp::parse("2024-07-13T09:54:38Z").unwrap();
        assert_eq!(a.in_year(2024), b);
        let leap = Timestamp::parse("2024-02-29T10:00:00Z").unwrap();
        assert_eq!(
            leap.in_year(2023).millis(),
            Timestamp::parse("2023-02-28T10:00:00Z").unwrap().millis()
        );
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(0), "0 s");
        assert_eq!(span(3_000), "3 s");
        assert_eq!(span(-1_500), "1.500 s");
        assert_eq!(span(31_622_400_000), "366 d");
        assert_eq!(span(3_725_000), "1 h 2 min 5 s");
    }

    #[test]
    fn the_country_list_is_sorted_and_complete() {
        assert!(ISO_3166_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(is_country("SG") && is_country("LK") && is_country("US") && !is_country("UK"));
        // The bit set holds the list and nothing else.
        for a in 'A'..='Z' {
            for b in 'A'..='Z' {
                let code = format!("{a}{b}");
                assert_eq!(
                    is_country(&code),
                    ISO_3166_ALPHA2.contains(&code.as_str()),
                    "{code}"
                );
            }
        }
        assert!(!is_country("sg") && !is_country("S") && !is_country("SGP") && !is_country(""));
    }

    #[test]
    fn numbers_and_countries() {
        let doc = json!({"payload": {
            "source": "6512345678", "destination": "+123",
            "sourceCountryCode": "UK", "destinationCountryCode": "SG",
            "other": "+6512345678", "otherFormat": "SIP"
        }});
        let options = Options::default();
        let tape = crate::parse::Doc::from_value(&doc);

        let mut ctx = Ctx::new(Kind::Vca, tape.root(), &options);
        let payload = tape.root().get("payload").unwrap();
        check_party_fields(&mut ctx, payload, "/payload");
        check_number(&mut ctx, payload, "/payload", "other");
        assert_eq!(
            ctx.found(),
            vec![
                ("/payload/source", false, "number.format"),
                ("/payload/destination", false, "number.format"),
                ("/payload/sourceCountryCode", false, "country.unknown"),
            ]
        );
    }

    #[test]
    fn mistyped_fields_are_skipped() {
        let doc = json!({"payload": {"source": 6512345678u64, "destination": null,
            "sourceCountryCode": 1, "destinationCountryCode": "sg", "errorCode": "x", "sipCode": []}});
        let options = Options::default();
        let tape = crate::parse::Doc::from_value(&doc);

        let mut ctx = Ctx::new(Kind::Vca, tape.root(), &options);
        check_party_fields(&mut ctx, tape.root().get("payload").unwrap(), "/payload");
        check_session_error_code(&mut ctx, "/payload/errorCode");
        check_sip_code(&mut ctx, "/payload/sipCode");
        assert!(ctx.found().is_empty());
    }
}
