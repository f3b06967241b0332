//! The serde building blocks of the fast path: borrowed strings, exact numbers, objects read
//! member by member (duplicate keys found, arrays refused), and a skipper for unknown members
//! that still rejects what the full parser would report.
//!
//! Every error here only means "let the full path decide", so errors carry no message.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The one error the fast path raises: the full path must decide.
pub(super) fn bail<E: de::Error>() -> E {
    E::custom("fast path bails out")
}

/// `Ok(())` when `ok`, the bail-out error otherwise.
pub(super) fn ensure<E: de::Error>(ok: bool) -> Result<(), E> {
    if ok { Ok(()) } else { Err(bail()) }
}

/// More members than this in one object, and duplicate detection would get slow: bail out.
const MAX_MEMBERS: usize = 64;

/// How deep an unknown member may nest below the point where it is skipped. The known
/// structures are at most 6 deep, so documents the fast path accepts stay far below both
/// serde_json's recursion limit and the default `max_depth` (128).
pub(super) const SKIP_DEPTH: u32 = 48;

/// A JSON string, borrowed from the input unless it holds escapes.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Str<'de>(pub Cow<'de, str>);

impl Str<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A JSON number exactly as serde_json read it: integers that fit 64 bits stay integers; every
/// other number (a fraction, an exponent, `23.0`, an integer beyond 64 bits) is a float. A
/// float that reads as zero bails out, as the full parser may warn about it (`json.precision`:
/// `-0`, `-0.0`, `1e-400`; serde_json reads `-0` as a float). Without the literal, `0.0` cannot
/// be told from those, so it takes the full path too (slower, never wrong).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Num {
    /// A non-negative integer.
    U(u64),
    /// A negative integer.
    I(i64),
    /// Anything else.
    F(f64),
}

impl Num {
    /// The value as an integer the fast path can decide on: `None` for a float, even a whole
    /// one (`23.0` is an integer to JSON Schema, but the rules read it differently; the full
    /// path decides) and for integers beyond `i64`.
    pub fn int(self) -> Option<i64> {
        match self {
            Num::U(u) => i64::try_from(u).ok(),
            Num::I(i) => Some(i),
            Num::F(_) => None,
        }
    }

    /// The value as a float, for `number` fields; `None` for a float that might be an integer
    /// beyond 64 bits (the full parser warns about those).
    pub fn float(self) -> Option<f64> {
        match self {
            Num::U(u) => Some(u as f64),
            Num::I(i) => Some(i as f64),
            Num::F(f) => (f.abs() < 9.0e18).then_some(f),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num::U(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(if v >= 0 { Num::U(v as u64) } else { Num::I(v) })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                ensure(v != 0.0)?;
                Ok(Num::F(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads an integer field: an integer that fits `i64` within `min..=max`, else bail out.
pub(super) fn int_in<'de, A: MapAccess<'de>>(
    map: &mut A,
    min: i64,
    max: i64,
) -> Result<i64, A::Error> {
    let n = map.next_value::<Num>()?.int().ok_or_else(bail)?;
    ensure((min..=max).contains(&n))?;
    Ok(n)
}

/// Reads a `number` field within `min..=max`.
///
/// serde_json and the full parser may round a literal of more than 17 significant digits
/// differently by one unit in the last place; only a value exactly on a bound could then be
/// judged differently, which is why bounds are met with `<=` on both sides and such literals
/// are not what 8x8 sends.
pub(super) fn number_in<'de, A: MapAccess<'de>>(
    map: &mut A,
    min: f64,
    max: f64,
) -> Result<f64, A::Error> {
    let n = map.next_value::<Num>()?.float().ok_or_else(bail)?;
    ensure(min <= n && n <= max)?;
    Ok(n)
}

/// Reads a string field that the fast path accepts as written: not the string `"null"` (which
/// normalization may rewrite with a warning).
pub(super) fn string<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Str<'de>, A::Error> {
    let s: Str<'de> = map.next_value()?;
    ensure(s.as_str() != "null")?;
    Ok(s)
}

/// Reads a nullable string field (`null` is `None`).
pub(super) fn opt_string<'de, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<Str<'de>>, A::Error> {
    let s: Option<Str<'de>> = map.next_value()?;
    ensure(s.as_ref().is_none_or(|s| s.as_str() != "null"))?;
    Ok(s)
}

/// Reads a string field that must pass `check`.
pub(super) fn checked<'de, A: MapAccess<'de>>(
    map: &mut A,
    check: fn(&str) -> bool,
) -> Result<Str<'de>, A::Error> {
    let s = string(map)?;
    ensure(check(s.as_str()))?;
    Ok(s)
}

/// Keys that normalization or a rule looks at even where the schema does not declare them
/// (`errorCode` written as a string, `NO ANSWER`, a leg's own `errorDetails`): an unknown
/// member with one of these names sends the document to the full path.
const WATCHED: [&str; 5] = [
    "errorCode",
    "callDuration",
    "callStatus",
    "sessionStatus",
    "errorDetails",
];

/// Reads the members of one object. `known` reads the value of a declared key and returns its
/// bit (each key has its own), or returns `None` without reading for an undeclared key, which
/// is then skipped (webhooks allow unknown fields). A repeated key, declared or not, bails out.
pub(super) fn members<'de, A, F>(mut map: A, mut known: F) -> Result<u64, A::Error>
where
    A: MapAccess<'de>,
    F: FnMut(&str, &mut A) -> Result<Option<u64>, A::Error>,
{
    let mut seen = 0u64;
    let mut unknown: Vec<Str<'de>> = Vec::new();
    let mut count = 0usize;
    while let Some(key) = map.next_key::<Str<'de>>()? {
        count += 1;
        ensure(count <= MAX_MEMBERS)?;
        match known(key.as_str(), &mut map)? {
            Some(bit) => {
                ensure(seen & bit == 0)?;
                seen |= bit;
            }
            None => {
                ensure(!WATCHED.contains(&key.as_str()) && !unknown.contains(&key))?;
                map.next_value_seed(Skip(SKIP_DEPTH))?;
                unknown.push(key);
            }
        }
    }
    Ok(seen)
}

/// Skips any JSON value, bailing out on what the full parser would report or warn about:
/// duplicate keys, nesting deeper than allowed, integers beyond 64 bits, floats that read as
/// zero. Every number of a document the fast path accepts is read either here or as a [`Num`].
pub(super) struct Skip(pub u32);

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        ensure(v != 0.0 && v.abs() < 9.0e18)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let depth = self.0.checked_sub(1).ok_or_else(bail)?;
        while seq.next_element_seed(Skip(depth))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let depth = self.0.checked_sub(1).ok_or_else(bail)?;
        let mut keys: Vec<Str<'de>> = Vec::new();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            ensure(keys.len() < MAX_MEMBERS && !keys.contains(&key))?;
            map.next_value_seed(Skip(depth))?;
            keys.push(key);
        }
        Ok(())
    }
}
