//! The fast path's checks of the schemas' string patterns ([`Pattern`]: each accepts exactly
//! what its regular expression accepts, which the tests below compare on many strings).

use crate::models::common::Pattern;

/// [`Pattern::Uuid`].
pub(super) fn is_uuid(s: &str) -> bool {
    Pattern::Uuid.is_match(s)
}

/// [`Pattern::Msisdn`].
pub(super) fn is_msisdn(s: &str) -> bool {
    Pattern::Msisdn.is_match(s)
}

/// [`Pattern::CountryCode`].
pub(super) fn is_country_code(s: &str) -> bool {
    Pattern::CountryCode.is_match(s)
}

/// [`Pattern::CurrencyCode`].
pub(super) fn is_currency_code(s: &str) -> bool {
    Pattern::CurrencyCode.is_match(s)
}

/// Milliseconds since 1970 of a timestamp (the one grammar, [`crate::time`]): the schema's
/// pattern and a day that exists. `None` otherwise (the fast path then leaves the document to
/// the full path).
pub(super) fn millis(s: &str) -> Option<i64> {
    crate::time::millis(s)
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

    /// What the one timestamp reader reads matches the schema's pattern, and every pattern
    /// match on a day every month has (the 1st to the 28th) is read.
    #[test]
    fn timestamp_reading_matches_the_pattern() {
        let read = |s: &str| crate::time::Instant::parse(s).is_some();
        let re = regex::Regex::new(TIMESTAMP_PATTERN).unwrap();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut strings = Vec::new();
        variants(
            &[
                "2024-03-25T06:01:30Z",
                "2024-05-16T04:12:11.217Z",
                "2024-05-16T12:12:11.217123456+08:00",
                "2024-12-31T23:59:59-0430",
            ],
            &mut rng,
            &mut strings,
        );
        let mut matched = 0;
        for s in &strings {
            if read(s) {
                assert!(re.is_match(s), "read but not a pattern match: {s:?}");
            }
            let ordinary_day = s
                .get(8..10)
                .and_then(|d| d.parse::<u8>().ok())
                .is_some_and(|d| d <= 28);
            if re.is_match(s) && ordinary_day {
                assert!(read(s), "a pattern match not read: {s:?}");
                matched += 1;
            }
        }
        assert!(matched > 100, "too few matching strings ({matched})");
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

    /// Every pattern's hand check accepts exactly what its expression accepts (the timestamp's
    /// on every day 01-31, impossible ones included: the calendar is another rule's).
    #[test]
    fn every_pattern_check_matches_its_expression() {
        let seeds: &[(Pattern, &[&str])] = &[
            (Pattern::Uuid, &["1f048a84-ea6d-11ee-911b-078f7290bf52"]),
            (
                Pattern::Timestamp,
                &[
                    "2024-03-25T06:01:30Z",
                    "2024-02-31T23:59:59.5+05:30",
                    "2024-12-31T00:00:00-0430",
                ],
            ),
            (Pattern::Msisdn, &["+6512345678", "123456"]),
            (Pattern::CountryCode, &["SG"]),
            (Pattern::CurrencyCode, &["USD"]),
            (
                Pattern::HttpUrl,
                &["https://example.com/a.mp3", "http://h", "https://x?y#z"],
            ),
            (Pattern::IntegerString, &["-2004", "0", "123"]),
            (Pattern::UnsignedString, &["0", "2004"]),
        ];
        for (pattern, seeds) in seeds {
            let re = regex::Regex::new(pattern.regex()).unwrap();
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            let mut strings = Vec::new();
            variants(seeds, &mut rng, &mut strings);
            let mut matched = 0;
            for s in &strings {
                assert_eq!(pattern.is_match(s), re.is_match(s), "{pattern:?} on {s:?}");
                matched += usize::from(re.is_match(s));
            }
            assert!(
                matched > 20,
                "{pattern:?}: too few matching strings ({matched})"
            );
            assert_eq!(Pattern::of(pattern.regex()), Some(*pattern));
        }
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
}
