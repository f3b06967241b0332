//! Structure-aware fuzzing: start from a valid documented payload (one per kind, from
//! tests/fixtures/docs, all `json: true` in its manifest), apply mutations the input drives
//! (delete / duplicate / rename keys, swap types, extreme numbers, other enum strings, deep
//! nesting, very long strings and arrays, unicode escapes including lone surrogates, invalid
//! UTF-8), write it out (compact or pretty), sometimes damage the text itself (truncation,
//! comments, trailing commas, a BOM), and run it through every entry point.
#![no_main]

use std::sync::OnceLock;

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "common.rs"]
mod common;

macro_rules! seeds {
    ($($file:literal),* $(,)?) => {
        [$(include_bytes!(concat!("../../tests/fixtures/docs/", $file)).as_slice()),*]
    };
}

/// One valid documented example per kind (two for the kinds with notable shapes).
const SEEDS: [&[u8]; 13] = seeds![
    "api-introduction.2.json", // callflow-result, NOT_CREATED
    "voice-messaging--voice-messaging-guide.10.json", // callflow-result with a request id
    "voice-messaging--voice-messaging-guide.7.json", // callflow
    "ivr--advanced-ivr.2.json", // vca-reply
    "ivr--simple-ivr.7.json",  // vca-reply, sayAndCapture
    "ivr--advanced-ivr.6.json", // vcs
    "ivr--session-summary-ivr.1.json", // vss
    "voice-messaging--session-status.1.json", // vss with capitalized leg keys
    "number-masking--call-action-handling.1.json", // vca
    "number-masking--number-masking-call-recordings.4.json", // vru
    "number-masking--virtual-number-updated.1.json", // vnu
    "webhook-guides--voice-session-summary-webhook.1.json", // webhook-create
    "ivr--webhook-setup-guide-for-ivr.3.json", // webhook-list
];

/// A JSON tree that can hold what `serde_json::Value` cannot: duplicate keys, raw number text,
/// and string contents as raw bytes between the quotes (escapes, lone surrogates, bad UTF-8).
#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(Vec<u8>),
    Arr(Vec<J>),
    Obj(Vec<(Vec<u8>, J)>),
}

fn escaped(s: &str) -> Vec<u8> {
    let quoted = serde_json::to_string(s).expect("a string serializes");
    quoted.as_bytes()[1..quoted.len() - 1].to_vec()
}

impl J {
    fn from_value(v: &Value) -> J {
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Num(n.to_string()),
            Value::String(s) => J::Str(escaped(s)),
            Value::Array(a) => J::Arr(a.iter().map(J::from_value).collect()),
            Value::Object(o) => J::Obj(
                o.iter()
                    .map(|(k, v)| (escaped(k), J::from_value(v)))
                    .collect(),
            ),
        }
    }

    fn write(&self, out: &mut Vec<u8>, pretty: bool, indent: usize) {
        let newline = |out: &mut Vec<u8>, indent: usize| {
            if pretty {
                out.push(b'\n');
                // Capped, so a deep document stays linear in size when written pretty.
                out.extend(std::iter::repeat_n(b' ', indent.min(MAX_INDENT) * 2));
            }
        };
        match self {
            J::Null => out.extend_from_slice(b"null"),
            J::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            J::Num(n) => out.extend_from_slice(n.as_bytes()),
            J::Str(s) => {
                out.push(b'"');
                out.extend_from_slice(s);
                out.push(b'"');
            }
            J::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    newline(out, indent + 1);
                    item.write(out, pretty, indent + 1);
                }
                if !items.is_empty() {
                    newline(out, indent);
                }
                out.push(b']');
            }
            J::Obj(members) => {
                out.push(b'{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    newline(out, indent + 1);
                    out.push(b'"');
                    out.extend_from_slice(k);
                    out.extend_from_slice(if pretty { b"\": " } else { b"\":" });
                    v.write(out, pretty, indent + 1);
                }
                if !members.is_empty() {
                    newline(out, indent);
                }
                out.push(b'}');
            }
        }
    }

    /// Roughly how many bytes the tree takes in memory (at least what it writes to), to keep
    /// what the harness builds below a few megabytes. (Counting written bytes only, a deep
    /// chain copied into a long array once took the harness itself to 3.7 GB.)
    fn weight(&self) -> usize {
        const NODE: usize = std::mem::size_of::<J>() + 16;
        NODE + match self {
            J::Null | J::Bool(_) => 0,
            J::Num(n) => n.len(),
            J::Str(s) => s.len(),
            J::Arr(items) => items.iter().map(J::weight).sum::<usize>(),
            J::Obj(m) => m
                .iter()
                .map(|(k, v)| k.len() + 24 + v.weight())
                .sum::<usize>(),
        }
    }

    /// A random node's path (indices into arrays and object member lists): a walk down from
    /// the root, stopping at each level with probability 1/4. (Listing every path is quadratic
    /// in depth: a 3000-deep chain copied into an array took the harness to gigabytes.)
    fn pick(&self, u: &mut Unstructured) -> Result<Vec<usize>> {
        let mut path = Vec::new();
        let mut node = self;
        loop {
            let n = match node {
                J::Arr(items) => items.len(),
                J::Obj(m) => m.len(),
                _ => 0,
            };
            if n == 0 || u.ratio(1, 4)? {
                return Ok(path);
            }
            let i = u.choose_index(n)?;
            path.push(i);
            node = match node {
                J::Arr(items) => &items[i],
                J::Obj(m) => &m[i].1,
                _ => unreachable!(),
            };
        }
    }

    fn at_mut(&mut self, path: &[usize]) -> &mut J {
        match path.split_first() {
            None => self,
            Some((&i, rest)) => match self {
                J::Arr(items) => items[i].at_mut(rest),
                J::Obj(m) => m[i].1.at_mut(rest),
                _ => unreachable!(),
            },
        }
    }

    fn at(&self, path: &[usize]) -> &J {
        match path.split_first() {
            None => self,
            Some((&i, rest)) => match self {
                J::Arr(items) => items[i].at(rest),
                J::Obj(m) => m[i].1.at(rest),
                _ => unreachable!(),
            },
        }
    }

    fn collect_strings(&self, keys: &mut Vec<Vec<u8>>, strings: &mut Vec<Vec<u8>>) {
        match self {
            J::Str(s) => strings.push(s.clone()),
            J::Arr(items) => items.iter().for_each(|i| i.collect_strings(keys, strings)),
            J::Obj(m) => {
                for (k, v) in m {
                    keys.push(k.clone());
                    v.collect_strings(keys, strings);
                }
            }
            _ => {}
        }
    }
}

/// Numbers at the edges: doubles, 64-bit and 32-bit integer limits, negative zero, plus a few
/// texts JSON does not allow.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "1",
    "-1",
    "1.5",
    "0.1",
    "1e308",
    "-1e308",
    "1e309",
    "-1e309",
    "1.7976931348623157e308",
    "5e-324",
    "1e-400",
    "1E+2",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "4294967296",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "123456789012345678901234567890123456789",
    "-2003",
    "-9999",
    "-1007",
    "-1017",
    "486",
    "3.0",
    "1e2",
    "100000000000000000000000e-20",
    "01",
    "+1",
    ".5",
    "1.",
    "-",
    "NaN",
    "Infinity",
    "0x10",
];

/// Enum values and formats worth swapping in, beyond the strings the seeds already hold.
const STRINGS: &[&str] = &[
    "",
    "null",
    "NULL",
    "true",
    "0",
    "-2003",
    "42",
    "3.5",
    "SESSION_SUMMARY",
    "CALL_ACTION",
    "CALL_STATUS",
    "CALL_RECORDING_STATUS",
    "VIRTUAL_NUMBER_UPDATE",
    "VOICE",
    "voice",
    "CREATED",
    "NOT_CREATED",
    "NO ANSWER",
    "NO_ANSWER",
    "COMPLETED",
    "CALL_COMPLETED",
    "BUSY",
    "FAILED",
    "makeCall",
    "say",
    "sayAndCapture",
    "playFile",
    "hangup",
    "record",
    "MakeCall",
    "+6512345678",
    "6512345678",
    "+",
    "+1234567890123456789",
    "{{Virtual Number}}",
    "<utc_timestamp>",
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00.123+08:00",
    "2024-13-45T99:99:99Z",
    "1700000000000",
    "00000000-0000-0000-0000-000000000000",
    "ftp://example.com/a.wav",
    "https://",
    "en-US",
    "xx-XX",
    "ivr",
    "a@b",
];

/// Key names worth renaming to: documented quirks, near misses and case variants.
const KEYS: &[&str] = &[
    "CallA",
    "CallB",
    "callA",
    "callB",
    "callC",
    "SourceRefId",
    "sourceRefId",
    "namespace",
    "eventType",
    "payload",
    "callflow",
    "action",
    "params",
    "validUntil",
    "clientActionId",
    "sessionId",
    "statusCode",
    "sessionStatus",
    "errorCode",
    "errorDetails",
    "callDuration",
    "sipCode",
    "details",
    "source",
    "destination",
    "text",
    "webhooks",
    "url",
    "type",
    "",
    "__proto__",
    "constructor",
];

/// Raw string contents (already inside the quotes) that probe escapes and encodings.
const NASTY: &[&[u8]] = &[
    b"\\ud800",
    b"\\udc00",
    b"\\ud83d\\ude00",
    b"\\ud83d",
    b"\\udfff\\ud800",
    b"\\u0000",
    b"\\uFFFF",
    b"\\uFEFF",
    b"\\u00e9",
    b"\\u",
    b"\\u12",
    b"\\x41",
    b"\\",
    b"\\/",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc0\xaf",
    b"\x01",
    b"\n",
    b"\t",
    b"\"",
    "\u{FEFF}".as_bytes(),
    "\u{2028}".as_bytes(),
    "é".as_bytes(),
    "😀".as_bytes(),
    "\u{0301}".as_bytes(),
    b"{{callerId}}",
];

struct Dict {
    seeds: Vec<J>,
    keys: Vec<Vec<u8>>,
    strings: Vec<Vec<u8>>,
}

fn dict() -> &'static Dict {
    static DICT: OnceLock<Dict> = OnceLock::new();
    DICT.get_or_init(|| {
        let seeds: Vec<J> = SEEDS
            .iter()
            .map(|bytes| {
                let value: Value = serde_json::from_slice(bytes).expect("seeds are JSON");
                J::from_value(&value)
            })
            .collect();
        let mut keys: Vec<Vec<u8>> = KEYS.iter().map(|k| k.as_bytes().to_vec()).collect();
        let mut strings: Vec<Vec<u8>> = STRINGS.iter().map(|s| escaped(s)).collect();
        for seed in &seeds {
            seed.collect_strings(&mut keys, &mut strings);
        }
        keys.sort();
        keys.dedup();
        strings.sort();
        strings.dedup();
        Dict {
            seeds,
            keys,
            strings,
        }
    })
}

/// The largest document a mutation may grow to (bytes, roughly).
const MAX_WEIGHT: usize = 8 << 20;

/// Deepest indentation written in pretty mode.
const MAX_INDENT: usize = 32;

/// Documents larger than this are not validated: past the 10 MB default limit (`json.size`) they
/// only cost time. (Without these caps, a 3000-deep document copied into a long array and written
/// pretty reached 400 MB.)
const MAX_DOCUMENT: usize = 12 << 20;

fn scalar(u: &mut Unstructured, d: &Dict) -> Result<J> {
    Ok(match u.choose_index(8)? {
        0 => J::Null,
        1 => J::Bool(u.arbitrary()?),
        2 | 3 => J::Num(u.choose(NUMBERS)?.to_string()),
        4 | 5 => J::Str(u.choose(&d.strings)?.clone()),
        6 => J::Arr(vec![]),
        _ => J::Obj(vec![]),
    })
}

/// A string's raw contents, changed: a nasty sequence, a long repetition, or input bytes.
fn mutate_string(u: &mut Unstructured, s: &mut Vec<u8>) -> Result<()> {
    match u.choose_index(6)? {
        0 => *s = u.choose(NASTY)?.to_vec(),
        1 => {
            let at = u.int_in_range(0..=s.len())?;
            let nasty = u.choose(NASTY)?;
            s.splice(at..at, nasty.iter().copied());
        }
        2 => {
            // Very long: up to ~256k copies of a short piece.
            let piece: Vec<u8> = if u.arbitrary()? {
                u.choose(NASTY)?.to_vec()
            } else {
                s.clone()
            };
            let times = 1usize << u.int_in_range(4..=18)?;
            let times = times.min(MAX_WEIGHT / piece.len().max(1));
            *s = piece.repeat(times);
        }
        3 => {
            let len = u.int_in_range(0..=64)?.min(u.len());
            *s = u.bytes(len)?.to_vec();
        }
        4 => {
            // Change case of one character (enum values, prefixes like "+").
            if !s.is_empty() {
                let i = u.choose_index(s.len())?;
                s[i] = if s[i].is_ascii_lowercase() {
                    s[i].to_ascii_uppercase()
                } else {
                    s[i].to_ascii_lowercase()
                };
            }
        }
        _ => {
            if !s.is_empty() {
                let cut = u.int_in_range(0..=s.len())?;
                s.truncate(cut);
            }
        }
    }
    Ok(())
}

/// How many levels of nesting the mutations of one input may add in all (the tree is walked
/// recursively here; the crate under test must cope with any depth, which validate_bytes covers).
const NEST_BUDGET: usize = 3000;

fn mutate(u: &mut Unstructured, doc: &mut J, d: &Dict, nest_budget: &mut usize) -> Result<()> {
    let path = doc.pick(u)?;
    let heavy = doc.weight() > MAX_WEIGHT / 2;
    let parent_path = path.split_last().map(|(&i, rest)| (i, rest.to_vec()));
    match u.choose_index(16)? {
        // Delete a member or element.
        0 | 1 => {
            if let Some((i, pp)) = parent_path {
                match doc.at_mut(&pp) {
                    J::Arr(items) => drop(items.remove(i)),
                    J::Obj(m) => drop(m.remove(i)),
                    _ => {}
                }
            }
        }
        // Duplicate a member (a duplicate key) or an element, maybe with another value.
        2 => {
            if let Some((i, pp)) = parent_path
                && !heavy
            {
                let other = if u.arbitrary()? {
                    Some(scalar(u, d)?)
                } else {
                    None
                };
                match doc.at_mut(&pp) {
                    J::Arr(items) => {
                        let copy = other.unwrap_or_else(|| items[i].clone());
                        items.insert(i + 1, copy);
                    }
                    J::Obj(m) => {
                        let (k, v) = m[i].clone();
                        m.insert(i + 1, (k, other.unwrap_or(v)));
                    }
                    _ => {}
                }
            }
        }
        // Rename a key: another known key, a case change, or input bytes.
        3 | 4 => {
            if let Some((i, pp)) = parent_path
                && let J::Obj(m) = doc.at_mut(&pp)
            {
                let key = &mut m[i].0;
                match u.choose_index(3)? {
                    0 => *key = u.choose(&d.keys)?.clone(),
                    1 => mutate_string(u, key)?,
                    _ => {
                        if let Some(c) = key.first_mut() {
                            *c = if c.is_ascii_lowercase() {
                                c.to_ascii_uppercase()
                            } else {
                                c.to_ascii_lowercase()
                            };
                        }
                    }
                }
            }
        }
        // Swap the type: a scalar of another type, or the same text as string / number.
        5 | 6 => {
            let node = doc.at_mut(&path);
            *node = match node {
                J::Num(n) if u.arbitrary()? => J::Str(n.as_bytes().to_vec()),
                J::Str(s) if u.arbitrary()? && !s.is_empty() => {
                    J::Num(String::from_utf8_lossy(s).into_owned())
                }
                J::Null if u.arbitrary()? => J::Str(b"null".to_vec()),
                _ => scalar(u, d)?,
            };
        }
        // An extreme number.
        7 | 8 => *doc.at_mut(&path) = J::Num(u.choose(NUMBERS)?.to_string()),
        // Another enum string / a string from elsewhere.
        9 | 10 => *doc.at_mut(&path) = J::Str(u.choose(&d.strings)?.clone()),
        // Change a string's contents (escapes, surrogates, bad UTF-8, long).
        11 => match doc.at_mut(&path) {
            J::Str(s) => mutate_string(u, s)?,
            node => {
                let mut s = Vec::new();
                mutate_string(u, &mut s)?;
                *node = J::Str(s);
            }
        },
        // Deep nesting around a node (across the 128 default limit, and far beyond).
        12 => {
            let depth = match u.choose_index(4)? {
                0 => u.int_in_range(1..=8)?,
                1 => u.int_in_range(120..=135)?,
                2 => u.int_in_range(250..=260)?,
                _ => u.int_in_range(1..=NEST_BUDGET)?,
            };
            let depth = depth.min(*nest_budget);
            *nest_budget -= depth;
            let as_object: bool = u.arbitrary()?;
            let node = doc.at_mut(&path);
            let mut inner = std::mem::replace(node, J::Null);
            for _ in 0..depth {
                inner = if as_object {
                    J::Obj(vec![(b"a".to_vec(), inner)])
                } else {
                    J::Arr(vec![inner])
                };
            }
            *node = inner;
        }
        // Copy another node here (a leg where a string was, a callflow in a callflow...).
        13 => {
            if !heavy {
                let from = doc.pick(u)?;
                let copy = doc.at(&from).clone();
                *doc.at_mut(&path) = copy;
            }
        }
        // Grow an array or object: many elements, or a new member with a known key.
        14 => {
            if !heavy {
                let count = 1usize << u.int_in_range(0..=12)?;
                let extra = scalar(u, d)?;
                let key = u.choose(&d.keys)?.clone();
                match doc.at_mut(&path) {
                    J::Arr(items) => {
                        let proto = items.first().cloned().unwrap_or(extra);
                        let count = count.min(MAX_WEIGHT / (proto.weight() + 1));
                        items.extend(std::iter::repeat_n(proto, count));
                    }
                    J::Obj(m) => m.push((key, extra)),
                    _ => {}
                }
            }
        }
        // Wrap a node in an array (a single object where a list belongs, and the reverse).
        _ => {
            let node = doc.at_mut(&path);
            *node = match std::mem::replace(node, J::Null) {
                J::Arr(mut items) if !items.is_empty() && u.arbitrary()? => items.swap_remove(0),
                other => J::Arr(vec![other]),
            };
        }
    }
    Ok(())
}

/// Damage to the text itself after writing, now and then.
fn damage(u: &mut Unstructured, bytes: &mut Vec<u8>) -> Result<()> {
    match u.choose_index(24)? {
        0 => {
            let at = u.int_in_range(0..=bytes.len())?;
            bytes.truncate(at);
        }
        1 => {
            let at = u.int_in_range(0..=bytes.len())?;
            let comment: &[u8] = if u.arbitrary()? {
                b"// note\n"
            } else {
                b"/* note */"
            };
            bytes.splice(at..at, comment.iter().copied());
        }
        2 => bytes.splice(0..0, "\u{FEFF}".bytes()).for_each(drop),
        3 => {
            // A trailing comma before the last closing brace or bracket.
            if let Some(at) = bytes.iter().rposition(|&b| b == b'}' || b == b']') {
                bytes.insert(at, b',');
            }
        }
        4 => {
            let len = u.int_in_range(0..=16)?.min(u.len());
            let tail = u.bytes(len)?.to_vec();
            bytes.extend(tail);
        }
        5 => {
            // Delete one comma (missing comma) or colon.
            let target = if u.arbitrary()? { b',' } else { b':' };
            let hits: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == target)
                .map(|(i, _)| i)
                .collect();
            if !hits.is_empty() {
                let i = *u.choose(&hits)?;
                bytes.remove(i);
            }
        }
        6 => {
            let copy = bytes.clone();
            bytes.extend_from_slice(&copy);
        }
        _ => {}
    }
    Ok(())
}

fn run(data: &[u8]) -> Result<()> {
    let d = dict();
    let mut u = Unstructured::new(data);
    let mut doc = u.choose(&d.seeds)?.clone();
    let options = common::options_from(u.arbitrary()?);
    let pretty: bool = u.arbitrary()?;
    let rounds = u.int_in_range(1..=8)?;
    let mut nest_budget = NEST_BUDGET;
    for _ in 0..rounds {
        // Out of input: validate what the mutations so far made.
        if mutate(&mut u, &mut doc, d, &mut nest_budget).is_err() {
            break;
        }
    }
    let mut bytes = Vec::with_capacity(doc.weight() * 2);
    doc.write(&mut bytes, pretty, 0);
    let _ = damage(&mut u, &mut bytes);
    if bytes.len() > MAX_DOCUMENT {
        return Ok(());
    }
    common::exercise(&bytes, &options);
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});
