//! A content hash for documents without a natural id: FNV-1a (64 bits) of the canonical JSON.
//!
//! Canonical means: object members sorted by key, no whitespace, strings and numbers written
//! the way `serde_json` writes them. So the same document hashes the same whatever its key
//! order or indentation. FNV-1a is not cryptographic; it only tells deliveries apart, which is
//! all an idempotency key needs, and it costs a dozen lines instead of a dependency.

use serde_json::Value;

/// Deeper than this, a subtree is written as a marker instead (the parser refuses such
/// documents anyway; this only keeps the writer's recursion bounded for any `Value`).
const MAX_DEPTH: usize = 256;

/// `"fnv1a64:"` followed by 16 lowercase hex digits.
pub fn content_key(doc: &Value) -> String {
    let mut text = String::new();
    canonical(doc, &mut text, 0);
    format!("fnv1a64:{:016x}", fnv1a64(text.as_bytes()))
}

/// FNV-1a, 64-bit.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

fn canonical(v: &Value, out: &mut String, depth: usize) {
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
                canonical(v, out, depth + 1);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out, depth + 1);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
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
}
