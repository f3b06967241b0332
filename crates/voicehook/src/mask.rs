//! Masking phone numbers in messages, so reports can be pasted into tickets: `+6591178965`
//! becomes `+65*****965` (the country calling code and the last 3 digits stay).

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

/// Masks one number (digits with an optional leading `+`).
pub fn mask_number(number: &str) -> String {
    let (plus, digits) = match number.strip_prefix('+') {
        Some(d) => ("+", d),
        None => ("", number),
    };
    let keep_head = code_len(digits).min(digits.len());
    let keep_tail = 3.min(digits.len() - keep_head);
    let hidden = digits.len() - keep_head - keep_tail;
    format!(
        "{plus}{}{}{}",
        &digits[..keep_head],
        "*".repeat(hidden),
        &digits[digits.len() - keep_tail..]
    )
}

/// Masks every run of 7 to 15 digits (with an optional `+`) in `text`.
pub fn mask_numbers(text: &str) -> String {
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
            out.push_str(&mask_number(&text[start..end]));
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
}
