//! A content hash for documents without a natural id: FNV-1a (64 bits) of the canonical JSON.
//!
//! Canonical means: object members sorted by key, no whitespace, strings and numbers written
//! the way `serde_json` writes them. So the same document hashes the same whatever its key
//! order or indentation. FNV-1a is not cryptographic; it only tells deliveries apart, which is
//! all an idempotency key needs, and it costs a dozen lines instead of a dependency.
//!
//! The canonical text is never built: it is written straight into the hash, read from the tape.

use std::io::{self, Write};

use serde_json::Value;

use crate::parse::{Doc, Type, View};

/// Deeper than this, a subtree is written as a marker instead (the parser refuses such
/// documents anyway; this only keeps the writer's recursion bounded for any document).
const MAX_DEPTH: usize = 256;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// `"fnv1a64:"` followed by 16 lowercase hex digits, for a `serde_json::Value`.
pub fn content_key(doc: &Value) -> String {
    let doc = Doc::from_value(doc);
    content_key_view(doc.root())
}

/// `"fnv1a64:"` followed by 16 lowercase hex digits: the hash of `doc`'s canonical JSON.
pub fn content_key_view(doc: View<'_>) -> String {
    let mut hash = Fnv(OFFSET);
    // The names of the objects on the path being written, each object's sorted in its own
    // stretch: one buffer for the whole document.
    let mut names = Vec::new();
    // writing into a hash cannot fail
    let _ = canonical(doc, &mut hash, 0, &mut names);
    format!("fnv1a64:{:016x}", hash.0)
}

/// FNV-1a, 64-bit: `h` (the hash so far, [`OFFSET`] to start) continued over `bytes`.
fn fnv1a64_from(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

/// FNV-1a, 64-bit.
#[cfg(test)]
fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_from(OFFSET, bytes)
}

/// FNV-1a over what is written to it.
struct Fnv(u64);

impl Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 = fnv1a64_from(self.0, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes `v` canonically. `names` holds the member names of the objects above, each sorted
/// in its own stretch; what this call adds it takes off again.
fn canonical<'d>(
    v: View<'d>,
    out: &mut impl Write,
    depth: usize,
    names: &mut Vec<&'d str>,
) -> io::Result<()> {
    if depth > MAX_DEPTH {
        return out.write_all("\"…\"".as_bytes());
    }
    match v.kind() {
        Type::Object => {
            let start = names.len();
            names.extend(v.members().map(|(k, _)| k));
            names[start..].sort_unstable();
            let end = names.len();
            out.write_all(b"{")?;
            for i in start..end {
                if i > start {
                    out.write_all(b",")?;
                }
                let name = names[i];
                serde_json::to_writer(&mut *out, name)?;
                out.write_all(b":")?;
                // the member `members` yielded under this name (the last one, when it repeats)
                match v.get(name) {
                    Some(member) => canonical(member, out, depth + 1, names)?,
                    None => out.write_all(b"null")?,
                }
            }
            names.truncate(start);
            out.write_all(b"}")
        }
        Type::Array => {
            out.write_all(b"[")?;
            for (i, item) in v.items().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                canonical(item, out, depth + 1, names)?;
            }
            out.write_all(b"]")
        }
        _ => scalar(v, out),
    }
}

/// A scalar as `serde_json` writes it (a number out of range, read as null, as `null`).
fn scalar(v: View<'_>, out: &mut impl Write) -> io::Result<()> {
    match (v.kind(), v.as_number()) {
        (Type::Bool, _) => out.write_all(if v.as_bool() == Some(true) {
            b"true"
        } else {
            b"false"
        }),
        (Type::Number, Some(n)) => Ok(serde_json::to_writer(out, &n)?),
        (Type::String, _) => Ok(serde_json::to_writer(out, v.as_str().unwrap_or_default())?),
        _ => out.write_all(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fnv1a64_matches_the_published_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn key_order_and_whitespace_do_not_change_the_key() {
        let a: Value =
            serde_json::from_str(r#"{"b": [1, {"y": 2, "x": "é"}], "a": null}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":null,"b":[1,{"x":"é","y":2}]}"#).unwrap();
        assert_eq!(content_key(&a), content_key(&b));
        assert_ne!(content_key(&a), content_key(&json!({"a": null})));
        assert!(content_key(&a).starts_with("fnv1a64:"));
        assert_eq!(content_key(&a).len(), "fnv1a64:".len() + 16);
    }

    #[test]
    fn a_deep_value_is_hashed_without_overflowing() {
        let mut v = json!(1);
        for _ in 0..300 {
            v = json!([v]);
        }
        assert!(content_key(&v).starts_with("fnv1a64:"));
    }

    /// The canonical text as it was written from a `serde_json::Value`: the oracle.
    fn canonical_value(v: &Value, out: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            out.push_str("\"…\"");
            return;
        }
        match v {
            Value::Object(map) => {
                let mut members: Vec<(&String, &Value)> = map.iter().collect();
                members.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (i, (k, v)) in members.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    canonical_value(v, out, depth + 1);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    canonical_value(v, out, depth + 1);
                }
                out.push(']');
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }

    fn old_key(v: &Value) -> String {
        let mut text = String::new();
        canonical_value(v, &mut text, 0);
        format!("fnv1a64:{:016x}", fnv1a64(text.as_bytes()))
    }

    #[test]
    fn the_tape_hashes_and_writes_as_the_value_did() {
        let mut deep = json!({"z": 1, "a": [true]});
        for i in 0..300 {
            deep = if i % 2 == 0 {
                json!([deep, i])
            } else {
                json!({"n": deep, "m": -i})
            };
        }
        let values = [
            json!(null),
            json!(true),
            json!(-0),
            json!(0.1),
            json!(1e300),
            json!(-2.5e-8),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(3.0),
            json!("plain"),
            json!(
                "quote \" backslash \\ slash / tab \t nl \n cr \r bs \u{8} ff \u{c} nul \u{0} us \u{1f} del \u{7f}"
            ),
            json!("é ✓ 😀 \u{2028} \u{fffe}"),
            json!({"b": [1, {"y": 2, "x": "é"}], "a": null, "": {}, "a\"b": [], "é": 1, "Z": 2, "~/": 3}),
            json!([[], {}, [null, [false]], {"k": {"k": {"k": "v"}}}]),
            deep,
        ];
        for v in &values {
            let doc = Doc::from_value(v);
            assert_eq!(content_key_view(doc.root()), old_key(v), "{v}");
            assert_eq!(doc.root().to_string(), v.to_string());
        }
        // a large object (looked up through its index)
        let large: serde_json::Map<String, Value> = (0..100)
            .rev()
            .map(|i| (format!("k{i}"), json!([i, format!("v{i}")])))
            .collect();
        let large = Value::Object(large);
        let doc = Doc::from_value(&large);
        assert_eq!(content_key_view(doc.root()), old_key(&large));
        assert_eq!(doc.root().to_string(), large.to_string());
    }

    #[test]
    fn a_repeated_name_is_hashed_once_with_its_last_value() {
        let parsed = crate::parse::parse_recovering(
            br#"{"a": 1, "b": 2, "a": 3}"#,
            &crate::parse::Limits::default(),
        )
        .unwrap();
        assert_eq!(
            content_key_view(parsed.view()),
            old_key(&json!({"a": 3, "b": 2}))
        );
    }
}
