//! Hand-written checks for the schemas' string patterns (see `models::common`): each accepts
//! exactly what its regular expression accepts, which the tests below compare on many strings.

/// `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`
pub(super) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `^\+?[1-9][0-9]{5,14}$`
pub(super) fn is_msisdn(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s).as_bytes();
    (6..=15).contains(&digits.len()) && digits[0] != b'0' && digits.iter().all(u8::is_ascii_digit)
}

/// `^[A-Z]{2}$`
pub(super) fn is_country_code(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// `^[A-Z]{3}$`
pub(super) fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Whether `s` matches the timestamp pattern
/// `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])$`.
#[cfg(test)]
pub(super) fn is_timestamp(s: &str) -> bool {
    parts(s).is_some()
}

/// Milliseconds since 1970 of a timestamp that matches the pattern *and* names a real
/// calendar day, read as the rules read it (fraction cut to milliseconds, offset applied).
/// `None` when it does not match the pattern or names a day such as February 30 (the rules
/// then skip the value; the fast path leaves such documents to the full path).
pub(super) fn millis(s: &str) -> Option<i64> {
    let p = parts(s)?;
    if p.day > days_in_month(p.year, p.month) {
        return None;
    }
    let days = days_from_civil(p.year, p.month, p.day);
    let seconds = days * 86_400 + p.hour * 3_600 + p.minute * 60 + p.second - p.offset * 60;
    Some(seconds * 1_000 + p.milli)
}

struct Parts {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
    offset: i64,
}

fn parts(s: &str) -> Option<Parts> {
    let b = s.as_bytes();
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
        || !(1..=31).contains(&day)
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
        let digits = i - start;
        if !(1..=9).contains(&digits) {
            return None;
        }
        let kept = digits.min(3);
        milli = num(start, kept)? * 10i64.pow(3 - kept as u32);
    }
    let offset = match b.get(i)? {
        b'Z' if i + 1 == b.len() => 0,
        &sign @ (b'+' | b'-') => {
            let h = num(i + 1, 2)?;
            let m = match b.len() - i {
                6 if at(i + 3, b':') => num(i + 4, 2)?,
                5 => num(i + 3, 2)?,
                _ => return None,
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
    Some(Parts {
        year,
        month,
        day,
        hour,
        minute,
        second,
        milli,
        offset,
    })
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

/// Days from 1970-01-01 to a proleptic Gregorian date (the rules' algorithm).
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
    use super::*;
    use crate::models::common::{
        COUNTRY_CODE_PATTERN, CURRENCY_CODE_PATTERN, MSISDN_PATTERN, TIMESTAMP_PATTERN,
        UUID_PATTERN,
    };

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Strings near each pattern: valid seeds with characters replaced, inserted, removed.
    fn variants(seeds: &[&str], rng: &mut Rng, out: &mut Vec<String>) {
        const ALPHABET: &[char] = &[
            '0', '1', '2', '3', '5', '9', 'a', 'f', 'g', 'A', 'F', 'G', 'Z', 'z', 'T', 't', '-',
            '+', ':', '.', ' ', '\n', 'é', '٣', '０',
        ];
        for seed in seeds {
            out.push((*seed).to_owned());
            for _ in 0..3000 {
                let mut chars: Vec<char> = seed.chars().collect();
                for _ in 0..=rng.below(3) {
                    let c = ALPHABET[rng.below(ALPHABET.len())];
                    let i = rng.below(chars.len() + 1);
                    match rng.below(3) {
                        0 if i < chars.len() => chars[i] = c,
                        1 => chars.insert(i, c),
                        _ if i < chars.len() => {
                            chars.remove(i);
                        }
                        _ => chars.push(c),
                    }
                }
                out.push(chars.into_iter().collect());
            }
        }
    }

    fn agree(pattern: &str, check: fn(&str) -> bool, seeds: &[&str]) {
        let re = regex::Regex::new(pattern).unwrap();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut strings = Vec::new();
        variants(seeds, &mut rng, &mut strings);
        let mut matched = 0;
        for s in &strings {
            assert_eq!(check(s), re.is_match(s), "{pattern} on {s:?}");
            matched += usize::from(re.is_match(s));
        }
        assert!(
            matched > 100,
            "{pattern}: too few matching strings ({matched})"
        );
    }

    #[test]
    fn uuid_check_matches_the_pattern() {
        agree(
            UUID_PATTERN,
            is_uuid,
            &[
                "1f048a84-ea6d-11ee-911b-078f7290bf52",
                "A089B40D-F059-11F0-8937-99C7872EE3C4",
            ],
        );
    }

    #[test]
    fn timestamp_check_matches_the_pattern() {
        agree(
            TIMESTAMP_PATTERN,
            is_timestamp,
            &[
                "2024-03-25T06:01:30Z",
                "2024-05-16T04:12:11.217Z",
                "2024-05-16T12:12:11.217123456+08:00",
                "2024-12-31T23:59:59-0430",
                "2019-10-16T08:12:01Z",
                "2024-02-29T20:19:39.1+23:59",
            ],
        );
    }

    #[test]
    fn msisdn_check_matches_the_pattern() {
        agree(
            MSISDN_PATTERN,
            is_msisdn,
            &[
                "+6512345678",
                "6512345678",
                "+123456",
                "123456789012345",
                "+94778066434",
            ],
        );
    }

    #[test]
    fn code_checks_match_the_patterns() {
        agree(COUNTRY_CODE_PATTERN, is_country_code, &["SG", "US", "LK"]);
        agree(
            CURRENCY_CODE_PATTERN,
            is_currency_code,
            &["USD", "SGD", "EUR"],
        );
    }

    #[test]
    fn millis_agree_with_the_rules_timestamps() {
        let mut rng = Rng(7);
        let mut strings = Vec::new();
        variants(
            &[
                "2024-03-25T06:01:30Z",
                "2024-02-29T23:59:59.999+05:30",
                "2023-04-30T00:00:00-0800",
            ],
            &mut rng,
            &mut strings,
        );
        for s in strings.iter().filter(|s| is_timestamp(s)) {
            let rules = crate::rules::common::Timestamp::parse(s).map(|t| t.millis());
            assert_eq!(millis(s), rules, "{s:?}");
        }
    }

    #[test]
    fn millis_read_like_the_rules() {
        assert_eq!(millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(millis("2026-01-13T08:26:58Z"), Some(1_768_292_818_000));
        assert_eq!(
            millis("2024-05-16T04:12:11.2179999Z"),
            Some(1_715_832_731_217)
        );
        assert_eq!(
            millis("2024-05-16T12:12:11.217+08:00"),
            Some(1_715_832_731_217)
        );
        assert_eq!(
            millis("2024-05-16T00:12:11.217-0400"),
            Some(1_715_832_731_217)
        );
        assert_eq!(millis("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
        assert_eq!(millis("2023-02-29T00:00:00Z"), None);
        assert_eq!(millis("2024-04-31T00:00:00Z"), None);
    }
}
