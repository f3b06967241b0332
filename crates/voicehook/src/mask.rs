//! Masking phone numbers in messages, so reports can be pasted into tickets: `+6591178965`
//! becomes `+65*****965` (the country calling code and the last 3 digits stay).
//!
//! Redacting phone numbers in documents, so a payload can be shared and still checked:
//! `+6591178965` becomes `+6500000965`, a number of the same length that still matches every
//! pattern the original did (E.164, MSISDN), so validating the redacted document reports what
//! validating the original did.

/// Calling codes of one or two digits; every other code is taken as three digits.
const SHORT_CODES: &[&str] = &[
    "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45",
    "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// The length of the calling code at the start of `digits`.
fn code_len(digits: &str) -> usize {
    for len in [1, 2] {
        if digits.get(..len).is_some_and(|p| SHORT_CODES.contains(&p)) {
            return len;
        }
    }
    3
}

/// Replaces the digits of one number (digits with an optional leading `+`) between its calling
/// code and its last 3 digits by `fill`.
fn hide_middle(number: &str, fill: char) -> String {
    let (plus, digits) = match number.strip_prefix('+') {
        Some(d) => ("+", d),
        None => ("", number),
    };
    let keep_head = code_len(digits).min(digits.len());
    let keep_tail = 3.min(digits.len() - keep_head);
    let hidden = digits.len() - keep_head - keep_tail;
    let mut out = String::with_capacity(number.len());
    out.push_str(plus);
    out.push_str(&digits[..keep_head]);
    out.extend(std::iter::repeat_n(fill, hidden));
    out.push_str(&digits[digits.len() - keep_tail..]);
    out
}

/// Masks one number (digits with an optional leading `+`): `+6591178965` → `+65*****965`.
pub fn mask_number(number: &str) -> String {
    hide_middle(number, '*')
}

/// Redacts one number (digits with an optional leading `+`) to a number of the same length:
/// `+6591178965` → `+6500000965`.
pub fn redact_number(number: &str) -> String {
    hide_middle(number, '0')
}

/// Masks every run of 7 to 15 digits (with an optional `+`) in `text`.
pub fn mask_numbers(text: &str) -> String {
    replace_numbers(text, mask_number)
}

/// Redacts every run of 7 to 15 digits (with an optional `+`) in `text`, the runs
/// [`mask_numbers`] masks, with [`redact_number`]: the text keeps its length and every number
/// stays a number of the same shape.
pub fn redact_numbers(text: &str) -> String {
    replace_numbers(text, redact_number)
}

/// `text` with every run of 7 to 15 digits (with an optional `+`) that stands alone (no letter
/// or digit on either side) replaced by `f(run)`.
fn replace_numbers(text: &str, f: impl Fn(&str) -> String) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let plus = bytes[i] == b'+';
        let digits_from = if plus { i + 1 } else { i };
        let mut end = digits_from;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let run = end - digits_from;
        let boundary_before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let boundary_after = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if (7..=15).contains(&run) && boundary_before && boundary_after {
            out.push_str(&f(&text[start..end]));
            i = end;
        } else if run > 0 {
            out.push_str(&text[start..end]);
            i = end;
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_country_code_and_last_three_digits() {
        assert_eq!(mask_number("+6591178965"), "+65*****965");
        assert_eq!(mask_number("+14155550123"), "+1*******123");
        assert_eq!(mask_number("6512345678"), "65*****678");
        assert_eq!(mask_number("+971501234567"), "+971******567");
    }

    #[test]
    fn masks_numbers_inside_text_only() {
        assert_eq!(
            mask_numbers("destination \"+6591178965\" is not reachable; code -2004, 2026-01-13"),
            "destination \"+65*****965\" is not reachable; code -2004, 2026-01-13"
        );
        assert_eq!(
            mask_numbers("callId a08f331e-f059-11f0 ok"),
            "callId a08f331e-f059-11f0 ok"
        );
        assert_eq!(mask_numbers("émoji ✓ +6591178965"), "émoji ✓ +65*****965");
    }

    #[test]
    fn redacts_to_zeros_of_the_same_count() {
        assert_eq!(redact_number("+6591178965"), "+6500000965");
        assert_eq!(redact_number("+14155550123"), "+10000000123");
        assert_eq!(redact_number("6512345678"), "6500000678");
        assert_eq!(redact_number("+971501234567"), "+971000000567");
    }

    #[test]
    fn redacted_numbers_keep_length_and_shape() {
        // The E.164 shape 8x8 documents: an optional +, a non-zero first digit, at most 15 digits.
        let e164 = |s: &str| {
            let d = s.strip_prefix('+').unwrap_or(s);
            (2..=15).contains(&d.len())
                && d.bytes().all(|b| b.is_ascii_digit())
                && !d.starts_with('0')
        };
        for n in [
            "+6591178965",
            "+94778066434",
            "+12314377870",
            "6587654321",
            "+656833033",
            "+123456789012345",
        ] {
            let r = redact_number(n);
            assert_eq!(r.len(), n.len(), "{n}");
            assert!(e164(&r), "{n} -> {r}");
            assert_eq!(&r[r.len() - 3..], &n[n.len() - 3..], "{n}");
        }
    }

    #[test]
    fn redacts_the_runs_mask_masks() {
        let text = r#"{"source": "+6591178965", "destination": "6587654321", "callDuration": 42,
            "callId": "a08f331e-f059-11f0", "at": "2026-01-13T06:24:10Z", "ref": "AB6591178965"}"#;
        let redacted = redact_numbers(text);
        assert_eq!(
            redacted,
            r#"{"source": "+6500000965", "destination": "6500000321", "callDuration": 42,
            "callId": "a08f331e-f059-11f0", "at": "2026-01-13T06:24:10Z", "ref": "AB6591178965"}"#
        );
        assert_eq!(redacted.len(), text.len());
        // Exactly where mask puts `*`, redact puts `0`.
        assert_eq!(mask_numbers(text).replace('*', "0"), redacted);
        assert_eq!(redact_numbers("émoji ✓ +6591178965"), "émoji ✓ +6500000965");
    }
}
