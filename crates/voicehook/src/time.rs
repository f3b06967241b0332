//! The one timestamp type: the ISO 8601 date-times 8x8 writes (`2026-01-13T08:26:58Z`,
//! `2026-01-06T10:17:19.375Z`, `2024-07-03T05:59:32+08:00`), read once, the same way by the
//! rules, decode, the fast path and the callflow checker and builder.
//!
//! # The grammar
//!
//! Exactly what the schemas' timestamp pattern accepts, and a day that exists:
//! `YYYY-MM-DD` `T` `hh:mm:ss`, an optional fraction of 1 to 9 digits (read to the millisecond,
//! the rest dropped), then `Z` or an offset `±hh:mm` / `±hhmm`. Hours 00–23, minutes and
//! seconds 00–59, months 01–12, days that the month has (February 29 in leap years only).
//! Anything else (`t` or a space for `T`, a leap second, no zone, February 30) is not a
//! timestamp: the schema reports it, and the rules and decode leave it aside rather than guess.

/// A date-time as written: its calendar fields and zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instant {
    /// Calendar year (0–9999).
    pub year: i64,
    /// Month, 1–12.
    pub month: i64,
    /// Day of the month, 1–31.
    pub day: i64,
    /// Hour, 0–23.
    pub hour: i64,
    /// Minute, 0–59.
    pub minute: i64,
    /// Second, 0–59.
    pub second: i64,
    /// Milliseconds within the second (finer digits are dropped).
    pub milli: i64,
    /// Offset from UTC in minutes (`Z` is 0).
    pub offset_minutes: i64,
}

impl Instant {
    /// Reads `text` by the grammar above; `None` for anything else.
    pub fn parse(text: &str) -> Option<Instant> {
        let b = text.as_bytes();
        let num = |from: usize, len: usize| -> Option<i64> {
            b.get(from..from + len)?.iter().try_fold(0i64, |acc, d| {
                d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
            })
        };
        let at = |i: usize, c: u8| b.get(i) == Some(&c);
        if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
            return None;
        }
        let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        if !(1..=12).contains(&month)
            || !(1..=days_in_month(year, month)).contains(&day)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let mut i = 19;
        let mut milli = 0;
        if at(i, b'.') {
            let start = i + 1;
            i = start;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let len = i - start;
            if !(1..=9).contains(&len) {
                return None;
            }
            let kept = len.min(3);
            milli = num(start, kept)? * 10i64.pow(3 - kept as u32);
        }
        let offset_minutes = match (b.get(i), b.len() - i) {
            (Some(b'Z'), 1) => 0,
            (Some(&sign @ (b'+' | b'-')), n @ (5 | 6)) => {
                let h = num(i + 1, 2)?;
                let m = if n == 6 {
                    if !at(i + 3, b':') {
                        return None;
                    }
                    num(i + 4, 2)?
                } else {
                    num(i + 3, 2)?
                };
                if h > 23 || m > 59 {
                    return None;
                }
                if sign == b'-' {
                    -(h * 60 + m)
                } else {
                    h * 60 + m
                }
            }
            _ => return None,
        };
        Some(Instant {
            year,
            month,
            day,
            hour,
            minute,
            second,
            milli,
            offset_minutes,
        })
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub fn millis(self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        let seconds = days * 86_400 + self.hour * 3_600 + self.minute * 60 + self.second
            - self.offset_minutes * 60;
        seconds * 1_000 + self.milli
    }

    /// The same wall-clock time in another year (February 29 becomes the 28th where there is
    /// none): how a timestamp "a year off" is recognised.
    pub fn in_year(self, year: i64) -> Instant {
        let day = self.day.min(days_in_month(year, self.month));
        Instant { year, day, ..self }
    }
}

/// The system clock in Unix milliseconds, where there is one (not in WebAssembly: there the
/// caller says what "now" is).
pub fn system_now() -> Option<i64> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_millis()).ok())
    }
    #[cfg(target_arch = "wasm32")]
    {
        None
    }
}

/// Milliseconds since 1970 of a timestamp by the grammar above, or `None`.
///
/// ```
/// assert_eq!(voicehook::time::millis("1970-01-01T00:00:01.5Z"), Some(1500));
/// assert_eq!(voicehook::time::millis("2024-02-30T00:00:00Z"), None);
/// ```
pub fn millis(text: &str) -> Option<i64> {
    Instant::parse(text).map(Instant::millis)
}

/// `unix_ms` as 8x8 writes `validUntil`: `YYYY-MM-DDTHH:MM:SS.SSSZ`; `None` outside years
/// 0–9999.
pub fn format_millis(unix_ms: i64) -> Option<String> {
    let days = unix_ms.div_euclid(86_400_000);
    let ms = unix_ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1_000 % 60,
        ms % 1_000
    ))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_8x8_writes() {
        assert_eq!(millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(millis("2026-01-13T08:26:58Z"), Some(1_768_292_818_000));
        assert_eq!(millis("2026-01-06T10:17:19.375Z"), Some(1_767_694_639_375));
        assert_eq!(
            millis("2026-01-06T10:17:19.375912345Z"),
            millis("2026-01-06T10:17:19.375Z")
        );
        assert_eq!(millis("2026-01-06T10:17:19.3Z"), Some(1_767_694_639_300));
        assert_eq!(
            millis("2026-01-13T16:26:58+08:00"),
            millis("2026-01-13T08:26:58Z")
        );
        assert_eq!(
            millis("2026-01-13T03:56:58-0430"),
            millis("2026-01-13T08:26:58Z")
        );
        assert_eq!(millis("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
        assert_eq!(millis("1969-12-31T23:59:59Z"), Some(-1000));
    }

    /// One grammar: what the schema pattern refuses is not read by anyone.
    #[test]
    fn refuses_what_the_schema_pattern_refuses_and_days_that_do_not_exist() {
        for bad in [
            "",
            "2026-01-13",
            "2026-01-13T08:26:58",
            "2026-01-13t08:26:58Z",
            "2026-01-13 08:26:58Z",
            "2026-01-13T08:26:58z",
            "2026-01-13T23:59:60Z",
            "2026-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-13T24:00:00Z",
            "2026-01-13T08:26:58.Z",
            "2026-01-13T08:26:58.1234567890Z",
            "2026-01-13T08:26:58Zjunk",
            "2026-01-13T08:26:58+8:00",
            "2026-01-13T08:26:58+08:0",
            "2026-01-13T08:26:58+24:00",
            "<utc_timestamp>",
            "２０２６-01-13T08:26:58Z",
        ] {
            assert_eq!(millis(bad), None, "{bad}");
        }
    }

    #[test]
    fn formatting_reads_back() {
        for ms in [0, 1_719_986_372_226, -1, 253_402_300_799_999] {
            let s = format_millis(ms).unwrap();
            assert_eq!(millis(&s), Some(ms), "{s}");
        }
        assert_eq!(
            format_millis(1_719_986_372_226).as_deref(),
            Some("2024-07-03T05:59:32.226Z")
        );
        assert_eq!(format_millis(253_402_300_800_000), None);
        assert_eq!(format_millis(i64::MIN), None);
    }

    #[test]
    fn a_year_off_keeps_the_wall_clock() {
        let t = Instant::parse("2024-02-29T09:54:38Z").unwrap();
        let moved = t.in_year(2023);
        assert_eq!((moved.year, moved.month, moved.day), (2023, 2, 28));
        assert_eq!(moved.hour, 9);
    }
}
