//! Building blocks shared by every document: identifiers, phone numbers, timestamps, country
//! codes, the webhook envelope's constants, and the two values 8x8 writes either as a number or
//! as a string of digits.
//!
//! The string newtypes keep what was on the wire unchanged; their JSON Schema carries the
//! `pattern` that the validator checks. Deserializing never checks a pattern, so a model can be
//! built from any document that has the right shape.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Pattern of a UUID in its 8-4-4-4-12 hexadecimal form, of any version or variant.
pub const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// Pattern of an ISO 8601 date and time with seconds, optional fraction and a zone
/// (`Z` or an offset), e.g. `2024-03-25T06:01:30Z` or `2024-05-16T04:12:11.217Z`.
pub const TIMESTAMP_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])$";

/// Pattern of an MSISDN: an E.164 number of 6 to 15 digits, with or without the leading `+`
/// (callflow examples write `6512345678`, webhooks write `+6512345678`).
pub const MSISDN_PATTERN: &str = "^\\+?[1-9][0-9]{5,14}$";

/// Pattern of an ISO 3166-1 alpha-2 country code, e.g. `SG`.
pub const COUNTRY_CODE_PATTERN: &str = "^[A-Z]{2}$";

/// Pattern of an ISO 4217 currency code, e.g. `USD`.
pub const CURRENCY_CODE_PATTERN: &str = "^[A-Z]{3}$";

/// Pattern of an `http` or `https` URL with a host part.
pub const HTTP_URL_PATTERN: &str = "^https?://[^/?#]+";

/// Pattern of a whole number written as a string, possibly negative, e.g. `"-2004"`.
pub const INTEGER_STRING_PATTERN: &str = "^-?[0-9]+$";

/// Pattern of a non-negative whole number written as a string, e.g. `"0"`.
pub const UNSIGNED_STRING_PATTERN: &str = "^[0-9]+$";

/// The string patterns of the schemas, one place for each: the regular expression schema
/// generation writes, the hand-written check the validator runs instead of it (the tests hold
/// each check to its expression), and the words messages use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// [`UUID_PATTERN`].
    Uuid,
    /// [`TIMESTAMP_PATTERN`].
    Timestamp,
    /// [`MSISDN_PATTERN`].
    Msisdn,
    /// [`COUNTRY_CODE_PATTERN`].
    CountryCode,
    /// [`CURRENCY_CODE_PATTERN`].
    CurrencyCode,
    /// [`HTTP_URL_PATTERN`].
    HttpUrl,
    /// [`INTEGER_STRING_PATTERN`].
    IntegerString,
    /// [`UNSIGNED_STRING_PATTERN`].
    UnsignedString,
}

impl Pattern {
    /// Every pattern.
    pub const ALL: [Pattern; 8] = [
        Pattern::Uuid,
        Pattern::Timestamp,
        Pattern::Msisdn,
        Pattern::CountryCode,
        Pattern::CurrencyCode,
        Pattern::HttpUrl,
        Pattern::IntegerString,
        Pattern::UnsignedString,
    ];

    /// The regular expression the schemas write.
    pub fn regex(self) -> &'static str {
        match self {
            Pattern::Uuid => UUID_PATTERN,
            Pattern::Timestamp => TIMESTAMP_PATTERN,
            Pattern::Msisdn => MSISDN_PATTERN,
            Pattern::CountryCode => COUNTRY_CODE_PATTERN,
            Pattern::CurrencyCode => CURRENCY_CODE_PATTERN,
            Pattern::HttpUrl => HTTP_URL_PATTERN,
            Pattern::IntegerString => INTEGER_STRING_PATTERN,
            Pattern::UnsignedString => UNSIGNED_STRING_PATTERN,
        }
    }

    /// The pattern a schema's regular expression is, if it is one of these.
    pub fn of(regex: &str) -> Option<Pattern> {
        Pattern::ALL.into_iter().find(|p| p.regex() == regex)
    }

    /// What a matching string is, for messages ("callId must be a UUID …").
    pub fn name(self) -> &'static str {
        match self {
            Pattern::Uuid => "a UUID (8-4-4-4-12 hexadecimal digits)",
            Pattern::Timestamp => "an ISO 8601 timestamp such as 2024-03-25T06:01:30Z",
            Pattern::Msisdn => "a phone number in E.164 form (6 to 15 digits, optional leading +)",
            Pattern::CountryCode => "a two-letter ISO 3166-1 country code such as SG",
            Pattern::CurrencyCode => "a three-letter ISO 4217 currency code such as USD",
            Pattern::HttpUrl => "an http:// or https:// URL",
            Pattern::IntegerString => "a string of digits, optionally negative",
            Pattern::UnsignedString => "a string of digits",
        }
    }

    /// Whether `s` matches the regular expression, checked by hand.
    pub fn is_match(self, s: &str) -> bool {
        let b = s.as_bytes();
        let digits = |d: &[u8]| !d.is_empty() && d.iter().all(u8::is_ascii_digit);
        match self {
            Pattern::Uuid => {
                b.len() == 36
                    && b.iter().enumerate().all(|(i, c)| match i {
                        8 | 13 | 18 | 23 => *c == b'-',
                        _ => c.is_ascii_hexdigit(),
                    })
            }
            Pattern::Timestamp => timestamp_shape(s),
            Pattern::Msisdn => {
                let d = s.strip_prefix('+').unwrap_or(s).as_bytes();
                (6..=15).contains(&d.len()) && d[0] != b'0' && digits(d)
            }
            Pattern::CountryCode => b.len() == 2 && b.iter().all(u8::is_ascii_uppercase),
            Pattern::CurrencyCode => b.len() == 3 && b.iter().all(u8::is_ascii_uppercase),
            Pattern::HttpUrl => s
                .strip_prefix("https://")
                .or_else(|| s.strip_prefix("http://"))
                .is_some_and(|rest| {
                    rest.chars()
                        .next()
                        .is_some_and(|c| !matches!(c, '/' | '?' | '#'))
                }),
            Pattern::IntegerString => digits(s.strip_prefix('-').unwrap_or(s).as_bytes()),
            Pattern::UnsignedString => digits(b),
        }
    }
}

/// The timestamp pattern: the one grammar ([`crate::time`]) on any day 01-31, as the
/// expression accepts it (the calendar's own days are the `schema.format` rule's).
fn timestamp_shape(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!((b[8], b[9]), (b'0'..=b'3', b'0'..=b'9')) {
        return false;
    }
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    if !(1..=31).contains(&day) || !text.is_char_boundary(8) || !text.is_char_boundary(10) {
        return false;
    }
    // the same text on the 1st, which every month has
    let mut first = text.to_owned();
    first.replace_range(8..10, "01");
    crate::time::Instant::parse(&first).is_some()
}

/// A readable name for one of the patterns above, for error messages
/// ("callId must be a UUID …"). `None` for a pattern this module does not define.
pub fn pattern_name(pattern: &str) -> Option<&'static str> {
    Pattern::of(pattern).map(Pattern::name)
}

/// Defines a string newtype whose schema is `{"type": "string", "pattern": …}`.
macro_rules! pattern_string {
    ($(#[$meta:meta])* $name:ident, $pattern:expr, $description:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The value as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $description,
                })
            }
        }
    };
}

pattern_string!(
    /// A UUID such as a session, call, event or recording id (8x8 uses version 1).
    Uuid,
    UUID_PATTERN,
    "A UUID in 8-4-4-4-12 hexadecimal form; 8x8 generates time-based (version 1) ids."
);

pattern_string!(
    /// An ISO 8601 timestamp as 8x8 writes it (UTC, `Z`, optional milliseconds).
    Timestamp,
    TIMESTAMP_PATTERN,
    "An ISO 8601 date and time with seconds, an optional fraction and a zone, e.g. 2024-03-25T06:01:30Z."
);

pattern_string!(
    /// A phone number in E.164 form; the leading `+` is optional.
    Msisdn,
    MSISDN_PATTERN,
    "A phone number in E.164 form: country code and subscriber number, 6 to 15 digits, with or without a leading +."
);

pattern_string!(
    /// An ISO 3166-1 alpha-2 country code such as `SG` or `US`.
    CountryCode,
    COUNTRY_CODE_PATTERN,
    "A two-letter ISO 3166-1 alpha-2 country code in capitals, e.g. SG."
);

pattern_string!(
    /// An ISO 4217 currency code such as `USD`.
    CurrencyCode,
    CURRENCY_CODE_PATTERN,
    "A three-letter ISO 4217 currency code in capitals, e.g. USD."
);

pattern_string!(
    /// An `http://` or `https://` URL.
    HttpUrl,
    HTTP_URL_PATTERN,
    "An absolute http:// or https:// URL."
);

/// Defines a closed string enumeration with a plain `{"type": "string", "enum": […]}` schema.
///
/// Each variant has one canonical wire spelling and may list further spellings that are
/// accepted on input (`| "NO ANSWER"`); serialization always writes the canonical one.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $description:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every spelling the schema accepts, canonical ones first within each value.
            pub const ACCEPTED: &'static [&'static str] = &[$($wire, $($alias,)*)+];

            /// The canonical wire spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            /// Reads a wire spelling, canonical or one of the accepted variants.
            pub fn from_wire(s: &str) -> Option<Self> {
                match s {
                    $($wire $(| $alias)* => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                $name::from_wire(&s)
                    .ok_or_else(|| ::serde::de::Error::unknown_variant(&s, $name::ACCEPTED))
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(g: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                // What is written (the canonical form) has the canonical spellings only.
                let values: &[&str] = if g.contract().is_serialize() {
                    &[$($wire),+]
                } else {
                    $name::ACCEPTED
                };
                ::schemars::json_schema!({
                    "type": "string",
                    "enum": values,
                    "description": $description,
                })
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// The `namespace` of every 8x8 Voice webhook.
    pub enum Namespace: "The product family of the webhook; always VOICE for 8x8 Voice." {
        /// 8x8 Voice.
        Voice = "VOICE",
    }
}

string_enum! {
    /// Which way a call leg was placed.
    pub enum CallDirection: "Direction of the call leg: INBOUND (placed to 8x8) or OUTBOUND (placed by 8x8)." {
        /// The leg was placed to 8x8 (for example to a virtual number).
        Inbound = "INBOUND",
        /// The leg was placed by 8x8 towards a destination.
        Outbound = "OUTBOUND",
    }
}

string_enum! {
    /// The network a call leg runs over.
    pub enum CallType: "Network of the call leg: PSTN (telephone operators) or VOIP (app-to-app)." {
        /// The public telephone network.
        Pstn = "PSTN",
        /// An app-to-app voice-over-IP call.
        Voip = "VOIP",
    }
}

string_enum! {
    /// How a `source` or `destination` number is written.
    pub enum NumberFormat: "How the number is written; 8x8 documents MSISDN only." {
        /// An E.164 phone number.
        Msisdn = "MSISDN",
    }
}

/// Visitor reading a whole number from a JSON integer, from a float without fraction
/// (`23.0`, which JSON Schema counts as an integer) and, when allowed, from a digit string.
struct WholeNumber {
    strings: bool,
}

impl<'de> Visitor<'de> for WholeNumber {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.strings {
            f.write_str("an integer or a string of digits")
        } else {
            f.write_str("an integer")
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // Only exact whole numbers within i64 range are accepted; the casts are then lossless.
        if v.fract() == 0.0 && (-9.2e18..=9.2e18).contains(&v) {
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        if self.strings {
            v.parse()
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
}

/// Serde helpers for integer fields: they accept `23.0` as well as `23`, as JSON Schema does.
pub(crate) mod whole {
    use super::*;

    /// Reads a required integer field.
    pub(crate) fn int<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<i64>,
    {
        let v = d.deserialize_any(WholeNumber { strings: false })?;
        T::try_from(v).map_err(|_| {
            de::Error::invalid_value(de::Unexpected::Signed(v), &"an integer in range")
        })
    }

    /// Reads an optional (absent or `null`) integer field; use with `#[serde(default)]`.
    pub(crate) fn opt_int<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<i64>,
    {
        struct Opt;
        impl<'de> Visitor<'de> for Opt {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                d.deserialize_any(WholeNumber { strings: false }).map(Some)
            }
        }
        match d.deserialize_option(Opt)? {
            None => Ok(None),
            Some(v) => T::try_from(v).map(Some).map_err(|_| {
                de::Error::invalid_value(de::Unexpected::Signed(v), &"an integer in range")
            }),
        }
    }
}

/// A session error code (`errorDetails.errorCode`), e.g. -2004.
///
/// Most pages and every example send an integer; the Number Masking field table types it as
/// a string (contradiction 4). The schema accepts both, the Rust value is always the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(pub i64);

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WholeNumber { strings: true })
            .map(ErrorCode)
    }
}

impl JsonSchema for ErrorCode {
    fn schema_name() -> Cow<'static, str> {
        "ErrorCode".into()
    }

    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        if g.contract().is_serialize() {
            return json_schema!({
                "description": "A session error code such as -2004.",
                "type": "integer",
                "minimum": -crate::schema::MAX_SAFE_INTEGER,
                "maximum": crate::schema::MAX_SAFE_INTEGER,
            });
        }
        json_schema!({
            "description": "A session error code such as -2004; an integer, or the same number written as a string.",
            "anyOf": [
                {
                    "type": "integer",
                    "minimum": -crate::schema::MAX_SAFE_INTEGER,
                    "maximum": crate::schema::MAX_SAFE_INTEGER,
                },
                // At most 15 digits: whatever the string holds, the number is exact (under 2^53).
                { "type": "string", "pattern": INTEGER_STRING_PATTERN, "maxLength": 16 },
            ],
        })
    }
}

/// A call leg duration in whole seconds that may arrive as a digit string.
///
/// The Voice Call Action guide types `callDuration` as a string while its examples send the
/// integer 0 (contradiction 6). The schema accepts both, the Rust value is the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Seconds(pub u64);

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = d.deserialize_any(WholeNumber { strings: true })?;
        u64::try_from(v).map(Seconds).map_err(|_| {
            de::Error::invalid_value(
                de::Unexpected::Signed(v),
                &"a duration of zero or more seconds",
            )
        })
    }
}

impl JsonSchema for Seconds {
    fn schema_name() -> Cow<'static, str> {
        "Seconds".into()
    }

    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        if g.contract().is_serialize() {
            return json_schema!({
                "description": "A duration in whole seconds.",
                "type": "integer",
                "minimum": 0,
                "maximum": crate::schema::MAX_SAFE_INTEGER,
            });
        }
        json_schema!({
            "description": "A duration in whole seconds; an integer, or the same number written as a string.",
            "anyOf": [
                { "type": "integer", "minimum": 0, "maximum": crate::schema::MAX_SAFE_INTEGER },
                // At most 15 digits: whatever the string holds, the number is exact (under 2^53).
                { "type": "string", "pattern": UNSIGNED_STRING_PATTERN, "maxLength": 15 },
            ],
        })
    }
}

/// Removes `null` from a generated schema: for optional fields that may be left out but,
/// when present, must hold a value (schemars makes every `Option` nullable).
pub(crate) fn not_null(schema: &mut Schema) {
    if let Some(serde_json::Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            schema.insert("type".into(), only);
        }
    }
    let replace = match schema.get_mut("anyOf") {
        Some(serde_json::Value::Array(branches)) => {
            branches.retain(|b| b.get("type").and_then(|t| t.as_str()) != Some("null"));
            (branches.len() == 1).then(|| branches.remove(0))
        }
        _ => None,
    };
    if let (Some(serde_json::Value::Object(only)), Some(map)) = (replace, schema.as_object_mut()) {
        // Put the remaining branch's keywords where `anyOf` was, keeping the other keys' order.
        let at = map.keys().position(|k| k == "anyOf").unwrap_or(0);
        map.shift_remove("anyOf");
        let rest: Vec<_> = map.keys().skip(at).cloned().collect();
        let moved: Vec<_> = rest
            .iter()
            .filter_map(|k| map.shift_remove(k).map(|v| (k.clone(), v)))
            .collect();
        map.extend(only);
        map.extend(moved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_reads_integer_string_and_whole_float() {
        for raw in ["-2004", "\"-2004\"", "-2004.0"] {
            let code: ErrorCode = serde_json::from_str(raw).unwrap();
            assert_eq!(code, ErrorCode(-2004), "{raw}");
        }
        assert!(serde_json::from_str::<ErrorCode>("\"x\"").is_err());
        assert!(serde_json::from_str::<ErrorCode>("1.5").is_err());
        assert_eq!(serde_json::to_string(&ErrorCode(-2004)).unwrap(), "-2004");
    }

    #[test]
    fn seconds_reject_negative_values() {
        assert_eq!(
            serde_json::from_str::<Seconds>("\"13\"").unwrap(),
            Seconds(13)
        );
        assert!(serde_json::from_str::<Seconds>("-1").is_err());
    }

    #[test]
    fn every_pattern_has_a_name() {
        for p in [
            UUID_PATTERN,
            TIMESTAMP_PATTERN,
            MSISDN_PATTERN,
            COUNTRY_CODE_PATTERN,
            CURRENCY_CODE_PATTERN,
            HTTP_URL_PATTERN,
            INTEGER_STRING_PATTERN,
            UNSIGNED_STRING_PATTERN,
        ] {
            assert!(pattern_name(p).is_some(), "{p}");
        }
    }

    #[test]
    fn not_null_strips_null_from_type_lists_and_any_of() {
        let mut s = json_schema!({"type": ["integer", "null"], "minimum": 1});
        not_null(&mut s);
        assert_eq!(
            s.as_value(),
            &serde_json::json!({"type": "integer", "minimum": 1})
        );
        let mut s = json_schema!({"anyOf": [{"$ref": "#/$defs/X"}, {"type": "null"}]});
        not_null(&mut s);
        assert_eq!(s.as_value(), &serde_json::json!({"$ref": "#/$defs/X"}));
    }
}
