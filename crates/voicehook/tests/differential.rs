//! The fast path against the full pipeline: `voicehook::validate` (fast path first) must give
//! exactly the report of `voicehook::validate_full` on every fixture and on generated mutations
//! of the valid ones, and whenever the fast path answers alone its report must be the full one.
//!
//! Mutations (seeded, deterministic): a member removed, a value of another type, an enum value
//! changed, a number pushed out of range, a duplicate key, an object written as an array, an
//! integer written as `23.0`, escapes in strings and keys, unknown and quirky members, the
//! string "null", a capitalised key, truncation.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use voicehook::Options;

/// Default options with a fixed "now", so time rules read the same on both paths.
fn opts() -> Options {
    Options {
        now: Some(1_767_225_600_000),
        ..Options::default()
    }
}

/// Every fixture of the three corpora, with its path.
fn fixtures() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut out = Vec::new();
    for corpus in ["docs", "openapi", "edge"] {
        let dir = root.join(corpus);
        let manifest: Value = serde_json::from_slice(
            &std::fs::read(dir.join("manifest.json")).expect("fixture manifest"),
        )
        .expect("manifest is JSON");
        for entry in manifest.as_array().expect("manifest is an array") {
            let file = entry["file"].as_str().expect("file");
            let path = dir.join(file);
            let bytes = std::fs::read(&path).expect("fixture file");
            out.push((path, bytes));
        }
    }
    assert!(out.len() > 50, "too few fixtures: {}", out.len());
    out
}

/// Checks one input under `options`; returns whether the fast path answered.
fn agree(input: &[u8], options: &Options, what: &str) -> bool {
    let full = voicehook::validate_full(input, options);
    let fast = voicehook::validate_fast(input, options);
    let used = voicehook::validate_with(input, options);
    let shown = || String::from_utf8_lossy(input).into_owned();
    if let Some(fast) = &fast {
        assert_eq!(fast, &full, "fast path disagrees on {what}:\n{}", shown());
    }
    assert_eq!(
        used,
        full,
        "validate disagrees with the full path on {what}:\n{}",
        shown()
    );
    fast.is_some()
}

#[test]
fn every_fixture_gets_the_full_report() {
    let mut fast = 0;
    let all = fixtures();
    for (path, bytes) in &all {
        let what = path.display().to_string();
        fast += usize::from(agree(bytes, &opts(), &what));
        let kind = voicehook::validate_full(bytes, &opts()).kind;
        if let Some(kind) = kind {
            let asked = Options {
                kind: Some(kind),
                strict: true,
                mask: true,
                ..opts()
            };
            agree(bytes, &asked, &what);
        }
    }
    eprintln!(
        "fixtures: {} checked, {fast} decided by the fast path",
        all.len()
    );
}

/// Valid webhook examples the fast path leaves to the full path, each with its reason.
const EXPECTED_SLOW: &[(&str, &str)] = &[(
    "vnu/billing-unit-float.json",
    "billingUnit written as 60.0: an integer to JSON Schema, a float to serde; the full path decides",
)];

#[test]
fn the_fast_path_decides_every_valid_webhook_example() {
    let mut decided = 0;
    for (path, bytes) in fixtures() {
        let full = voicehook::validate_full(&bytes, &opts());
        let webhook = full.kind.is_some_and(|k| k.is_webhook());
        if !full.valid || !full.warnings.is_empty() || !webhook {
            continue;
        }
        let fast = voicehook::validate_fast(&bytes, &opts()).is_some();
        let expected_slow = EXPECTED_SLOW.iter().any(|(f, _)| path.ends_with(f));
        assert!(
            fast != expected_slow,
            "{}: fast path {} (a valid webhook without warnings)",
            path.display(),
            if fast {
                "answered but is listed as expected slow"
            } else {
                "did not answer"
            }
        );
        decided += usize::from(fast);
    }
    assert!(
        decided >= 10,
        "only {decided} webhook examples decided by the fast path"
    );
    eprintln!("{decided} valid webhook examples decided by the fast path");
}

/// xorshift64*: small, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every value's path in `v` (object keys and array indexes), depth first.
fn paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                at.push(Value::from(k.as_str()));
                paths(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Value::from(i));
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'v>(v: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |v, step| match step {
        Value::String(k) => v.get_mut(k.as_str()),
        Value::Number(i) => v.get_mut(i.as_u64()? as usize),
        _ => None,
    })
}

const STRINGS: &[&str] = &[
    "COMPLETED",
    "BUSY",
    "NO_ANSWER",
    "NO ANSWER",
    "FAILED",
    "CANCELED",
    "ERROR",
    "COMPLETED_UNSUB_ERROR",
    "CALL_CONNECTED",
    "CALL_RECEIVED",
    "ACTION_COMPLETED",
    "CALL_DISCONNECTED",
    "UPLOAD_COMPLETED",
    "UPLOAD_FAILED",
    "SNAPSHOT",
    "UPDATES",
    "INBOUND",
    "OUTBOUND",
    "PSTN",
    "VOIP",
    "MSISDN",
    "VOICE",
    "SESSION_SUMMARY",
    "CALL_STATUS",
    "null",
    "",
    "+6512345678",
    "6512345678",
    "+123456",
    "+1234567890123456",
    "SG",
    "UK",
    "sg",
    "USD",
    "2024-03-25T06:01:30Z",
    "2024-02-30T06:01:30Z",
    "2026-01-13T08:27:33.5+08:00",
    "1f048a84-ea6d-11ee-911b-078f7290bf52",
    "-2004",
    "13",
    "Active",
    "makeCall",
];

const NUMBERS: &[&str] = &[
    "-1",
    "0",
    "1",
    "2",
    "99",
    "100",
    "200",
    "404",
    "486",
    "699",
    "700",
    "-2004",
    "-1004",
    "-2011",
    "-9999",
    "0.5",
    "1.0",
    "5.0",
    "5.01",
    "0.99",
    "-0",
    "-0.0",
    "1e2",
    "23.0",
    "1E400",
    "18446744073709551616",
    "-9223372036854775809",
    "9223372036854775807",
    "4294967296",
];

/// What the writer does to the `target`-th object, array, string or number it writes.
#[derive(Clone, Copy, PartialEq)]
enum Inject {
    None,
    DuplicateKey,
    ObjectAsArray,
    UnknownMember,
    WatchedMember,
    CapitalKey,
    EscapedKey,
    WholeFloat,
    EscapedString,
    LoneSurrogate,
}

struct Writer<'r> {
    inject: Inject,
    target: usize,
    seen: usize,
    rng: &'r mut Rng,
    pretty: bool,
}

impl Writer<'_> {
    fn hit(&mut self) -> bool {
        self.seen += 1;
        self.seen - 1 == self.target
    }

    fn string(&mut self, s: &str, out: &mut String, key: bool) {
        let inject = self.inject;
        let wants = matches!(inject, Inject::EscapedString | Inject::LoneSurrogate) && !key
            || inject == Inject::EscapedKey && key;
        if wants && self.hit() {
            out.push('"');
            match inject {
                Inject::LoneSurrogate => {
                    out.push_str(s);
                    out.push_str(
                        self.rng
                            .pick::<&str>(&["\\ud800", "\\udc00x", "\\u0000", "\\n", "\\/"]),
                    );
                }
                _ => {
                    for c in s.chars() {
                        if self.rng.below(2) == 0 && (c as u32) < 0x10000 {
                            out.push_str(&format!("\\u{:04x}", c as u32));
                        } else {
                            out.push_str(
                                &serde_json::to_string(&c.to_string()).unwrap()[1..]
                                    [..c.len_utf8()],
                            );
                        }
                    }
                }
            }
            out.push('"');
        } else {
            out.push_str(&serde_json::to_string(s).unwrap());
        }
    }

    fn value(&mut self, v: &Value, out: &mut String) {
        match v {
            Value::Object(map) => self.object(map, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.value(item, out);
                }
                out.push(']');
            }
            Value::String(s) => self.string(s, out, false),
            Value::Number(n) => {
                if self.inject == Inject::WholeFloat && n.is_u64() && self.hit() {
                    out.push_str(&format!(
                        "{n}{}",
                        self.rng.pick(&[".0", ".00", "e0", "E+0"])
                    ));
                } else {
                    out.push_str(&n.to_string());
                }
            }
            other => out.push_str(&other.to_string()),
        }
    }

    fn object(&mut self, map: &Map<String, Value>, out: &mut String) {
        let object_inject = matches!(
            self.inject,
            Inject::DuplicateKey
                | Inject::ObjectAsArray
                | Inject::UnknownMember
                | Inject::WatchedMember
                | Inject::CapitalKey
        );
        let hit = object_inject && self.hit();
        if hit && self.inject == Inject::ObjectAsArray {
            out.push('[');
            for (i, v) in map.values().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                self.value(v, out);
            }
            out.push(']');
            return;
        }
        let nl = if self.pretty { "\n  " } else { "" };
        out.push('{');
        let capital = if hit && self.inject == Inject::CapitalKey && !map.is_empty() {
            Some(self.rng.below(map.len()))
        } else {
            None
        };
        for (i, (k, v)) in map.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(nl);
            if capital == Some(i) {
                let mut c = k.chars();
                let upper: String = c
                    .next()
                    .map(|f| f.to_ascii_uppercase())
                    .into_iter()
                    .chain(c)
                    .collect();
                self.string(&upper, out, true);
            } else {
                self.string(k, out, true);
            }
            out.push(':');
            self.value(v, out);
        }
        if hit {
            let sep = if map.is_empty() { "" } else { "," };
            match self.inject {
                Inject::DuplicateKey if !map.is_empty() => {
                    let i = self.rng.below(map.len());
                    let (k, v) = map.iter().nth(i).unwrap();
                    out.push_str(&format!("{sep}{}:", serde_json::to_string(k).unwrap()));
                    self.value(v, out);
                }
                Inject::UnknownMember => {
                    let value = *self.rng.pick(&[
                        "1",
                        "\"x\"",
                        "null",
                        "{}",
                        "[1,{\"a\":1}]",
                        "{\"a\":{\"b\":[]}}",
                        "{\"a\":1,\"a\":2}",
                        "1e300",
                        "123456789012345678901234",
                        "\"null\"",
                    ]);
                    out.push_str(&format!("{sep}\"extraField\":{value}"));
                }
                Inject::WatchedMember => {
                    let member = *self.rng.pick(&[
                        "\"errorCode\":\"-2004\"",
                        "\"errorCode\":-2004",
                        "\"callStatus\":\"NO ANSWER\"",
                        "\"sessionStatus\":\"NO ANSWER\"",
                        "\"callDuration\":\"13\"",
                        "\"errorDetails\":{\"errorMsg\":\"x\",\"errorCode\":-1004}",
                        "\"SourceRefId\":\"null\"",
                        "\"CallC\":{}",
                        "\"version\":\"5\"",
                        "\"dtmf\":\"1\"",
                    ]);
                    out.push_str(&format!("{sep}{member}"));
                }
                _ => {}
            }
        }
        out.push('}');
    }
}

/// A random path to a timestamp string, if the document has one.
fn timestamp_path(doc: &mut Value, all: &[Vec<Value>], rng: &mut Rng) -> Option<Vec<Value>> {
    let found: Vec<&Vec<Value>> = all
        .iter()
        .filter(|p| {
            get_mut(doc, p)
                .and_then(|v| v.as_str())
                .is_some_and(|t| t.len() >= 20 && t.as_bytes()[10] == b'T')
        })
        .collect();
    (!found.is_empty()).then(|| (*rng.pick(&found)).clone())
}

/// `t` with its seconds (or year) changed.
fn shift(t: &str, rng: &mut Rng) -> String {
    let mut b = t.as_bytes().to_vec();
    match rng.below(4) {
        0 => b[3] = if b[3] == b'9' { b'0' } else { b[3] + 1 },
        1 => b[15] = b"012345"[rng.below(6)],
        _ => b[18] = b"0123456789"[rng.below(10)],
    }
    String::from_utf8(b).unwrap_or_else(|_| t.to_owned())
}

/// One mutation of `doc`, as text.
fn mutate(doc: &Value, rng: &mut Rng) -> String {
    let mut doc = doc.clone();
    let mut all = Vec::new();
    paths(&doc, &mut Vec::new(), &mut all);
    let choice = rng.below(16);
    if choice < 6 {
        // A structural change on the value.
        let path = rng.pick(&all).clone();
        match choice {
            0 => {
                if let Some((last, parent)) = path.split_last()
                    && let (Some(p), Value::String(k)) = (get_mut(&mut doc, parent), last)
                    && let Some(map) = p.as_object_mut()
                {
                    map.shift_remove(k.as_str());
                }
            }
            1 => {
                if let Some(v) = get_mut(&mut doc, &path) {
                    *v = match rng.below(7) {
                        0 => Value::Null,
                        1 => Value::Bool(true),
                        2 => Value::from(0),
                        3 => Value::from("x"),
                        4 => Value::Array(vec![]),
                        5 => Value::Object(Map::new()),
                        _ => Value::from(1.5),
                    };
                }
            }
            2 | 3 => {
                if let Some(v) = get_mut(&mut doc, &path) {
                    *v = Value::from(*rng.pick(STRINGS));
                }
            }
            _ => {
                // Numbers: out of range, whole floats, beyond 64 bits (written as text below).
                let numbers: Vec<&Vec<Value>> = all
                    .iter()
                    .filter(|p| get_mut(&mut doc.clone(), p).is_some_and(|v| v.is_number()))
                    .collect();
                if !numbers.is_empty() && rng.below(2) == 0 {
                    // Nudged: close to a bound a rule or the schema draws.
                    let path = (*rng.pick(&numbers)).clone();
                    if let Some(v) = get_mut(&mut doc, &path)
                        && let Some(n) = v.as_i64()
                    {
                        *v = Value::from(n + *rng.pick(&[-5, -3, -2, -1, 1, 2, 3, 5, 100]));
                    }
                } else if let Some(path) = timestamp_path(&mut doc, &all, rng) {
                    // A timestamp moved by a few seconds (or a year).
                    if let Some(Value::String(t)) = get_mut(&mut doc, &path) {
                        *t = shift(t, rng);
                    }
                } else if !numbers.is_empty() {
                    let path = (*rng.pick(&numbers)).clone();
                    let marker = "\"@@NUMBER@@\"";
                    if let Some(v) = get_mut(&mut doc, &path) {
                        *v = Value::from("@@NUMBER@@");
                    }
                    let text = serde_json::to_string_pretty(&doc).unwrap();
                    return text.replacen(marker, rng.pick::<&str>(NUMBERS), 1);
                }
            }
        }
        if rng.below(4) > 0 {
            return serde_json::to_string_pretty(&doc).unwrap();
        }
    }
    if choice == 15 {
        let text = serde_json::to_string(&doc).unwrap();
        let cut = rng.below(text.len());
        let cut = (0..=cut)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        return text[..cut].to_owned();
    }
    let inject = *rng.pick(&[
        Inject::None,
        Inject::DuplicateKey,
        Inject::ObjectAsArray,
        Inject::UnknownMember,
        Inject::WatchedMember,
        Inject::CapitalKey,
        Inject::EscapedKey,
        Inject::WholeFloat,
        Inject::EscapedString,
        Inject::LoneSurrogate,
    ]);
    let target = rng.below(all.len().max(1));
    let pretty = rng.below(2) == 0;
    let mut w = Writer {
        inject,
        target,
        seen: 0,
        rng,
        pretty,
    };
    let mut out = String::new();
    w.value(&doc, &mut out);
    out
}

/// The oracle the fuzz targets also run on every input (the tape against serde_json).
#[path = "../../../fuzz/fuzz_targets/common.rs"]
#[allow(dead_code)]
mod fuzz;

use fuzz::same_reading_as_serde;

#[test]
fn every_fixture_reads_as_serde_json_reads_it() {
    let all = fixtures();
    for (path, bytes) in &all {
        same_reading_as_serde(bytes, &path.display().to_string());
    }
    assert!(all.len() > 100, "only {} fixtures", all.len());
}

/// A valid document reads into its kind's model, and that model written out again is a valid
/// document of the same kind with no quirk left: the canonical form.
fn read_into_its_model(input: &[u8], full: &voicehook::Report, what: &str) {
    let read = voicehook::read(input, &opts());
    let Some(document) = read.document else {
        panic!("{what}: valid, but no document: {:?}", read.report.errors);
    };
    assert_eq!(Some(document.kind()), full.kind, "{what}");
    let canonical = serde_json::to_vec(&document).expect("a model serializes");
    let again = voicehook::validate_with(
        &canonical,
        &Options {
            kind: full.kind,
            ..opts()
        },
    );
    assert!(
        again.valid,
        "{what}: the canonical form is invalid: {:?}",
        again.errors
    );
    let quirks: Vec<&str> = again
        .warnings
        .iter()
        .map(|w| w.rule.id)
        .filter(|id| id.starts_with("normalize."))
        .collect();
    assert!(
        quirks.is_empty(),
        "{what}: the canonical form has quirks: {quirks:?}"
    );
    // The canonical schema (the npm package's `parse` types) describes it: an independent check
    // by the jsonschema crate.
    let kind = document.kind();
    let refused = |value: &Value| -> Vec<String> {
        canonical_schema(kind)
            .iter_errors(value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    };
    let written: Value = serde_json::from_slice(&canonical).expect("JSON");
    let errors = refused(&written);
    assert!(
        errors.is_empty(),
        "{what}: the canonical {kind} schema refuses it: {errors:?}"
    );
    // So it does the document as read (unknown fields kept, in the order written): what npm
    // `parse` and `--emit normalized` hand over.
    let analysis = voicehook::analyze(input, &opts());
    let read = analysis
        .document()
        .expect("valid, so there is a document")
        .to_value();
    let errors = refused(&read);
    assert!(
        errors.is_empty(),
        "{what}: the document as read fails its canonical schema: {errors:?}"
    );
}

/// The committed canonical schema of `kind`, compiled once.
fn canonical_schema(kind: voicehook::Kind) -> &'static jsonschema::Validator {
    use std::sync::OnceLock;
    static COMPILED: OnceLock<Vec<(voicehook::Kind, jsonschema::Validator)>> = OnceLock::new();
    let all = COMPILED.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/canonical");
        voicehook::Kind::ALL
            .iter()
            .map(|&k| {
                let text = std::fs::read(dir.join(format!("{}.schema.json", k.id())))
                    .expect("schemas/canonical (cargo xtask schemas)");
                let schema: Value = serde_json::from_slice(&text).expect("JSON");
                (k, jsonschema::draft202012::new(&schema).expect("compiles"))
            })
            .collect()
    });
    &all.iter().find(|(k, _)| *k == kind).expect("every kind").1
}

#[test]
fn every_valid_fixture_reads_into_its_model() {
    let mut read = 0;
    for (path, bytes) in fixtures() {
        let full = voicehook::validate_full(&bytes, &opts());
        if full.valid {
            read_into_its_model(&bytes, &full, &path.display().to_string());
            read += 1;
        }
    }
    assert!(read > 50, "only {read} valid fixtures");
}

#[test]
fn generated_mutations_get_the_full_report() {
    let seeds: Vec<(PathBuf, Value)> = fixtures()
        .into_iter()
        .filter(|(_, b)| voicehook::validate_full(b, &opts()).valid)
        .filter_map(|(p, b)| Some((p, serde_json::from_slice::<Value>(&b).ok()?)))
        .collect();
    assert!(seeds.len() > 20, "too few valid seeds: {}", seeds.len());
    // Webhooks, which the fast path decides, are drawn four times as often as other kinds.
    let webhook = |d: &Value| d.get("eventType").is_some();
    let seeds: Vec<&(PathBuf, Value)> = seeds
        .iter()
        .flat_map(|s| std::iter::repeat_n(s, if webhook(&s.1) { 4 } else { 1 }))
        .collect();
    let mut rng = Rng(0x5EED_F00D_CAFE_BEEF);
    let total = 24_000;
    let (mut fast, mut valid, mut clean, mut typed) = (0, 0, 0, 0);
    for i in 0..total {
        let (path, doc) = &seeds[i % seeds.len()];
        let mut text = mutate(doc, &mut rng);
        if rng.below(4) == 0 {
            // A second mutation on top of the first, when the first is still JSON.
            if let Ok(again) = serde_json::from_str::<Value>(&text) {
                text = mutate(&again, &mut rng);
            }
        }
        let what = format!("mutation {i} of {}", path.display());
        same_reading_as_serde(text.as_bytes(), &what);
        fast += usize::from(agree(text.as_bytes(), &opts(), &what));
        let full = voicehook::validate_full(text.as_bytes(), &opts());
        valid += usize::from(full.valid);
        if full.valid {
            read_into_its_model(text.as_bytes(), &full, &what);
            typed += 1;
        }
        clean += usize::from(
            full.valid && full.warnings.is_empty() && full.kind.is_some_and(|k| k.is_webhook()),
        );
    }
    eprintln!(
        "mutations: {total} checked; {valid} valid by the full path, {clean} of them webhooks \
         without warnings, {fast} decided by the fast path, {typed} read into their model"
    );
    assert!(
        fast > total / 20,
        "the fast path decided only {fast} mutations"
    );
}
