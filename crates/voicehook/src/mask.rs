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

/// Replaces the digits of one number (digits with an optional leading `+`, possibly grouped
/// by single spaces or dashes) between its calling code and its last 3 digits by `fill`. Never
/// more than the calling code and the last 3 digits stay, and at least 3 digits are hidden
/// (fewer only in a number of fewer than 5 digits): a short number shows less.
fn hide_middle(number: &str, fill: char) -> String {
    let digits: Vec<usize> = number
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let n = digits.len();
    let only: String = number.chars().filter(char::is_ascii_digit).collect();
    let mut head = code_len(&only).min(n);
    let mut tail = 3.min(n - head);
    let hide_at_least = 3.min(n.saturating_sub(2));
    while n - head - tail < hide_at_least {
        if tail > 0 {
            tail -= 1;
        } else {
            head -= 1;
        }
    }
    let hidden: std::collections::HashSet<usize> = digits[head..n - tail].iter().copied().collect();
    number
        .char_indices()
        .map(|(i, c)| if hidden.contains(&i) { fill } else { c })
        .collect()
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

/// Masks every phone number in `text`: a run of 6 to 15 digits (with an optional `+`), also
/// right next to letters (`tel6591178965`), and 7 to 15 digits written in groups of two or more
/// separated by single spaces or dashes (`+65 9117 8965`). Dates (`2026-01-13`) and UUIDs
/// (`a08f331e-f059-11f0-…`) are left as they are.
pub fn mask_numbers(text: &str) -> String {
    replace_numbers(text, mask_number)
}

/// Redacts every phone number in `text`, those [`mask_numbers`] masks, with
/// [`redact_number`]: the text keeps its length and every number stays a number of the same
/// shape.
pub fn redact_numbers(text: &str) -> String {
    replace_numbers(text, redact_number)
}

/// `text` with every phone number (see [`mask_numbers`]) replaced by `f(number)`.
fn replace_numbers(text: &str, f: impl Fn(&str) -> String) -> String {
    let bytes = text.as_bytes();
    let uuids = uuid_spans(bytes);
    // Sorted and disjoint: a binary search keeps a document of many UUIDs linear.
    let in_uuid = |i: usize| {
        let k = uuids.partition_point(|&(a, _)| a <= i);
        k > 0 && i < uuids[k - 1].1
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = number_at(bytes, i).filter(|_| !in_uuid(i)) {
            out.push_str(&f(&text[i..end]));
            i = end;
            continue;
        }
        // Copy the rest of a digit run whole, so that its tail is not read as a number.
        if bytes[i].is_ascii_digit() {
            let mut end = i;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
            out.push_str(&text[i..end]);
            i = end;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// The end of the phone number starting at `start`, if one does: a plain run of 6 to 15
/// digits, or 7 to 15 digits written in groups separated by single spaces, dashes or dots, with
/// a group in parentheses allowed (`+1 (415) 555-2671`, `+44 (0)20 7946 0958`, `+1.415.555.2671`,
/// `(+65) 9123 4567`). Groups have two digits or more, but for the country code after `+` and a
/// group in parentheses.
fn number_at(bytes: &[u8], start: usize) -> Option<usize> {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    // A digit continuing an earlier run is not a start.
    if start > 0
        && (bytes[start - 1].is_ascii_digit() || bytes[start - 1] == b'+' && bytes[start] != b'+')
    {
        return None;
    }
    let starts = match bytes[start] {
        b'+' => digit(start + 1),
        b'(' => digit(start + 1) || bytes.get(start + 1) == Some(&b'+') && digit(start + 2),
        b => b.is_ascii_digit(),
    };
    if !starts {
        return None;
    }
    let plain_from = start + usize::from(bytes[start] == b'+');
    let plain = bytes[plain_from..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();

    // Grouped: walk groups and separators.
    let mut i = start;
    let mut total = 0;
    let mut groups = 0;
    let mut seps: Vec<u8> = Vec::new();
    let mut end = start;
    let mut after_plus = false;
    let mut longest = 0;
    loop {
        let mut in_parens = false;
        if bytes.get(i) == Some(&b'(') {
            in_parens = true;
            i += 1;
        }
        if bytes.get(i) == Some(&b'+') && (i == start || in_parens) {
            after_plus = true;
            i += 1;
        }
        let len = bytes[i.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if len == 0 || total + len > 15 {
            break;
        }
        let short_ok = in_parens || (groups == 0 && after_plus);
        if len < 2 && !short_ok {
            break;
        }
        i += len;
        if in_parens {
            if bytes.get(i) != Some(&b')') {
                break;
            }
            i += 1;
        }
        total += len;
        groups += 1;
        longest = longest.max(len);
        end = i;
        after_plus = false;
        // A separator, then the next group (a group in parentheses may follow directly).
        match bytes.get(i) {
            Some(&sep @ (b' ' | b'-' | b'.'))
                if digit(i + 1) || bytes.get(i + 1) == Some(&b'(') =>
            {
                seps.push(sep);
                i += 1;
            }
            Some(b'(') | Some(b'0'..=b'9') if in_parens => {}
            _ => break,
        }
    }
    let text = &bytes[start..end];
    let only_dots = !seps.is_empty() && seps.iter().all(|&c| c == b'.');
    let ipv4 = only_dots && groups == 4 && longest <= 3 && bytes[start] != b'+';
    let decimal = only_dots && groups == 2;
    if groups > 1 && (7..=15).contains(&total) && !date_like(text) && !ipv4 && !decimal {
        return Some(end);
    }
    // A plain run that is the whole part of a decimal number (1234567.5) is a number, not a phone.
    let after = plain_from + plain;
    let decimal_part = bytes.get(after) == Some(&b'.') && digit(after + 1);
    (bytes[start] != b'(' && (6..=15).contains(&plain) && !decimal_part).then_some(after)
}

/// `YYYY-MM-DD` (and its time-less neighbours): grouped digits that are a date, not a number.
fn date_like(text: &[u8]) -> bool {
    let groups: Vec<usize> = text
        .split(|b| *b == b'-' || *b == b' ')
        .map(<[u8]>::len)
        .collect();
    groups.first() == Some(&4) && groups.len() == 3 && groups[1] == 2 && groups[2] == 2
}

/// Byte ranges of UUIDs (8-4-4-4-12 hexadecimal digits) in `bytes`, left unmasked: their digit
/// runs are ids, not phone numbers.
fn uuid_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    const SHAPE: [usize; 5] = [8, 4, 4, 4, 12];
    let hex = |b: &u8| b.is_ascii_hexdigit();
    let mut spans = Vec::new();
    let mut i = 0;
    while i + 36 <= bytes.len() {
        let mut at = i;
        let fits = SHAPE.iter().enumerate().all(|(g, &len)| {
            let ok = bytes[at..at + len].iter().all(hex)
                && (g == 4 || bytes.get(at + len) == Some(&b'-'));
            at += len + 1;
            ok
        });
        let bounded = (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes.get(i + 36).is_none_or(|b| !b.is_ascii_alphanumeric());
        if fits && bounded {
            spans.push((i, i + 36));
            i += 36;
        } else {
            i += 1;
        }
    }
    spans
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

    /// Masking holds: 6 to 15 digits, next to letters, grouped by spaces or dashes, and never more
    /// than the calling code and the last 3 digits shown; ids, dates and codes stay readable.
    #[test]
    fn masking_holds_for_every_way_a_number_is_written() {
        assert_eq!(mask_numbers("ext 659117"), "ext 65***7");
        assert_eq!(mask_numbers("tel6591178965x"), "tel65*****965x");
        assert_eq!(mask_numbers("+65 9117 8965"), "+65 **** *965");
        assert_eq!(mask_numbers("+65-9117-8965 ok"), "+65-****-*965 ok");
        assert_eq!(mask_numbers("call 1234567"), "call 1***567");
        // Short numbers show less than the code and 3 digits: at least 3 digits hidden.
        assert_eq!(mask_number("971234"), "971***");
        assert_eq!(mask_number("+651234"), "+65***4");
        // Not phone numbers: UUIDs, dates, session error codes, times, small lists.
        for text in [
            "callId 627e25f1-133a-11ef-b08c-e33c09483244",
            "on 2026-01-13 at 06:24:10",
            "errorCode -2004 and -1017",
            "values 12 34 56",
            "statusCode 1",
        ] {
            assert_eq!(mask_numbers(text), text);
        }
        // A pointer segment is a number like any other.
        assert_eq!(
            mask_numbers("/payload/details/+6591178965/callStatus"),
            "/payload/details/+65*****965/callStatus"
        );
    }

    /// The formats people write numbers in (the review's list): never more than the calling code
    /// and the last 3 digits shown.
    #[test]
    fn grouped_numbers_in_common_formats_are_masked() {
        for (text, masked) in [
            ("+1 415 555 2671", "+1 *** *** *671"),
            ("+1 (415) 555-2671", "+1 (***) ***-*671"),
            ("+1.415.555.2671", "+1.***.***.*671"),
            ("(+65) 9123 4567", "(+65) **** *567"),
            ("+44 (0)20 7946 0958", "+44 (*)** **** *958"),
            ("+7 912 345 6789", "+7 *** *** *789"),
        ] {
            assert_eq!(mask_numbers(text), masked, "{text}");
        }
        for text in ["at 103.31.2.10", "MOS 4.5", "ratio 1234567.5", "2026-01-13"] {
            assert_eq!(mask_numbers(text), text);
        }
    }

    /// A whole document of ids is masked in linear time (redaction runs over the page's text).
    #[test]
    fn many_uuids_stay_linear() {
        let line =
            "\"callId\": \"627e25f1-133a-11ef-b08c-e33c09483244\", \"to\": \"+6591178965\",\n";
        let text = line.repeat(20_000);
        let masked = mask_numbers(&text);
        assert_eq!(
            masked
                .matches("627e25f1-133a-11ef-b08c-e33c09483244")
                .count(),
            20_000
        );
        assert_eq!(masked.matches("+65*****965").count(), 20_000);
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
            "callId": "a08f331e-f059-11f0", "at": "2026-01-13T06:24:10Z", "ref": "AB6500000965"}"#
        );
        assert_eq!(redacted.len(), text.len());
        // Exactly where mask puts `*`, redact puts `0`.
        assert_eq!(mask_numbers(text).replace('*', "0"), redacted);
        assert_eq!(redact_numbers("émoji ✓ +6591178965"), "émoji ✓ +6500000965");
    }
}
