//! Exact reading of the ISO 8601 / RFC 3339 timestamps 8x8 writes (`2026-01-13T08:26:58Z`,
//! `2026-01-06T10:17:19.375Z`, `2024-07-03T05:59:32+08:00`), to milliseconds since 1970.
//!
//! Small on purpose: the decoder only needs differences between timestamps, and a dependency
//! would add weight to the WebAssembly build for one function.

/// Milliseconds since 1970-01-01T00:00:00Z of an RFC 3339 date-time, or `None` when `text`
/// is not one (a date alone, no UTC offset, a day that does not exist, …).
///
/// Accepted: `YYYY-MM-DD`, then `T`, `t` or a space, `hh:mm:ss`, an optional fraction of any
/// length (read to the millisecond, the rest dropped), then `Z`, `z`, `±hh:mm` or `±hhmm`.
/// A leap second (`:60`) counts as the next second.
pub fn parse_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut millis = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset_minutes = match b.get(i) {
        Some(b'Z' | b'z') if b.len() == i + 1 => 0,
        Some(sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)?;
            let (om, end) = if b.get(i + 3) == Some(&b':') {
                (digits(b, i + 4, 2)?, i + 6)
            } else {
                (digits(b, i + 3, 2)?, i + 5)
            };
            if b.len() != end || oh > 23 || om > 59 {
                return None;
            }
            let m = oh * 60 + om;
            if *sign == b'-' { -m } else { m }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

/// `n` ASCII digits of `b` from `at`, as a number.
fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let slice = b.get(at..at + n)?;
    slice.iter().try_fold(0i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (years 0–9999).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_ms;

    #[test]
    fn reads_the_forms_8x8_writes() {
        assert_eq!(parse_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_ms("2026-01-13T08:26:58Z"), Some(1_768_292_818_000));
        assert_eq!(
            parse_ms("2026-01-06T10:17:19.375Z"),
            Some(1_767_694_639_375)
        );
        assert_eq!(
            parse_ms("2026-01-06T10:17:19.3759Z"),
            parse_ms("2026-01-06T10:17:19.375Z")
        );
        assert_eq!(parse_ms("2026-01-06T10:17:19.3Z"), Some(1_767_694_639_300));
        assert_eq!(
            parse_ms("2026-01-13T16:26:58+08:00"),
            parse_ms("2026-01-13T08:26:58Z")
        );
        assert_eq!(
            parse_ms("2026-01-13T03:56:58-0430"),
            parse_ms("2026-01-13T08:26:58Z")
        );
        assert_eq!(parse_ms("2024-02-29 00:00:00z"), Some(1_709_164_800_000));
        assert_eq!(parse_ms("1969-12-31T23:59:59Z"), Some(-1000));
    }

    #[test]
    fn refuses_what_is_not_a_date_time() {
        for bad in [
            "",
            "2026-01-13",
            "2026-01-13T08:26:58",
            "2026-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-01-13T24:00:00Z",
            "2026-01-13T08:26:58.Z",
            "2026-01-13T08:26:58Zjunk",
            "2026-01-13T08:26:58+8:00",
            "<utc_timestamp>",
            "２０２６-01-13T08:26:58Z",
            "2026-01-13T08:26:58+08:0",
        ] {
            assert_eq!(parse_ms(bad), None, "{bad}");
        }
    }
}
