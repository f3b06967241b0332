//! Regression tests from the cargo-fuzz targets in `fuzz/` (issue 3, "never panics"): every
//! input a fuzzer ever crashed or stalled on goes here, bytes inline, so `cargo test` keeps
//! checking it on stable without fuzzing.
//!
//! `cargo xtask fuzz` runs the targets. No run has crashed the pipeline yet; until one does, the
//! list below holds the classes of mutation the `structured` target applies to documented
//! payloads (duplicate keys, swapped types, extreme numbers, lone surrogates, invalid UTF-8,
//! deep nesting, very long strings), each run through every entry point with every kind and
//! both modes, as the targets do.

use voicehook::{Kind, Options, Report};

/// A documented VCA (number-masking--call-action-handling.1.json), on one line.
const VCA: &str = r#"{"namespace":"VOICE","eventType":"CALL_ACTION","description":"Action request of a call","payload":{"eventId":"eb0fc709-9693-11ea-454d-1705dde98182","callId":"a1d6a5e3-efec-11e9-b999-7d370b5f90d1","sessionId":"a1d6a5e2-efec-11e9-b999-efc71013a78f","subAccountId":"your_subaccount_id","callStatus":"CALL_RECEIVED","callDirection":"INBOUND","callType":"PSTN","source":"+65123456789","destination":"+65987654321","sourceFormat":"MSISDN","destinationFormat":"MSISDN","sourceCountryCode":"SG","destinationCountryCode":"SG","destinationRefId":"vn-ref-1","callDuration":0,"sipCode":200,"timestamp":"2019-10-16T08:12:01Z"}}"#;

/// A documented callflow (voice-messaging--voice-messaging-guide.7.json), on one line.
const CALLFLOW: &str = r#"{"clientRequestId":"abc123","callflow":[{"action":"makeCall","params":{"source":"+6512345678","destination":"+6587654321"}},{"action":"say","params":{"text":"Hello","voiceProfile":"en-US-ZiraRUS","repetition":1,"speed":1}},{"action":"hangup"}],"validUntil":"2030-01-01T00:00:00Z"}"#;

/// The inputs: each a documented payload with one structure-aware mutation, or raw damage.
fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let deep = |open: &str, close: &str, n: usize| {
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(open);
        }
        s.push_str("null");
        for _ in 0..n {
            s.push_str(close);
        }
        s
    };
    let vca = |from: &str, to: &str| VCA.replacen(from, to, 1).into_bytes();
    let callflow = |from: &str, to: &str| CALLFLOW.replacen(from, to, 1).into_bytes();
    let mut list: Vec<(&'static str, Vec<u8>)> = vec![
        ("vca as documented", VCA.as_bytes().to_vec()),
        ("callflow as documented", CALLFLOW.as_bytes().to_vec()),
        (
            "duplicate eventType with another value",
            vca(
                r#""eventType":"CALL_ACTION","#,
                r#""eventType":"CALL_ACTION","eventType":"SESSION_SUMMARY","#,
            ),
        ),
        ("payload deleted", vca(r#""payload":{"#, r#""payloadX":{"#)),
        (
            "payload an array",
            vca(r#""payload":{"#, r#""payload":[{"#)
                .into_iter()
                .chain(*b"]")
                .collect(),
        ),
        (
            "payload a string",
            VCA.split(r#","payload""#)
                .next()
                .unwrap()
                .to_owned()
                .into_bytes()
                .into_iter()
                .chain(*br#","payload":"x"}"#)
                .collect(),
        ),
        (
            "callDuration 1e309",
            vca(r#""callDuration":0"#, r#""callDuration":1e309"#),
        ),
        (
            "callDuration -0",
            vca(r#""callDuration":0"#, r#""callDuration":-0.0"#),
        ),
        (
            "callDuration 2^63",
            vca(
                r#""callDuration":0"#,
                r#""callDuration":9223372036854775808"#,
            ),
        ),
        (
            "callDuration -2^63-1",
            vca(
                r#""callDuration":0"#,
                r#""callDuration":-9223372036854775809"#,
            ),
        ),
        (
            "callDuration huge string",
            vca(
                r#""callDuration":0"#,
                r#""callDuration":"123456789012345678901234567890""#,
            ),
        ),
        (
            "sipCode 1e308",
            vca(r#""sipCode":200"#, r#""sipCode":1e308"#),
        ),
        (
            "sipCode 5e-324",
            vca(r#""sipCode":200"#, r#""sipCode":5e-324"#),
        ),
        (
            "timestamp out of range",
            vca("2019-10-16T08:12:01Z", "2019-13-45T99:99:99Z"),
        ),
        (
            "timestamp year 99999",
            vca("2019-10-16T08:12:01Z", "99999-10-16T08:12:01Z"),
        ),
        (
            "lone high surrogate in a value",
            vca("your_subaccount_id", r"\ud800"),
        ),
        (
            "lone low surrogate in a key",
            vca(r#""subAccountId""#, r#""\udc00subAccountId""#),
        ),
        (
            "NUL escape in eventType",
            vca("CALL_ACTION", r"CALL_\u0000ACTION"),
        ),
        (
            "BOM escape in a key",
            vca(r#""namespace""#, r#""\ufeffnamespace""#),
        ),
        ("invalid UTF-8 in a value", {
            let mut v = VCA.as_bytes().to_vec();
            let at = VCA.find("your_subaccount_id").unwrap();
            v.splice(at..at, [0xed, 0xa0, 0x80, 0xff, 0xc3]);
            v
        }),
        (
            "combining mark and emoji in a number",
            vca("+65123456789", "+65123456789\u{301}😀"),
        ),
        (
            "leg key case quirks twice",
            vca(
                r#""callId""#,
                r#""CallA":{"SourceRefId":1},"callA":null,"callId""#,
            ),
        ),
        (
            "deep arrays in payload",
            vca(
                r#""sipCode":200"#,
                &format!(r#""sipCode":{}"#, deep("[", "]", 127)),
            ),
        ),
        (
            "deep objects in payload",
            vca(
                r#""sipCode":200"#,
                &format!(r#""sipCode":{}"#, deep(r#"{"a":"#, "}", 126)),
            ),
        ),
        (
            "depth bomb in payload",
            vca(
                r#""sipCode":200"#,
                &format!(r#""sipCode":{}"#, deep("[", "]", 3000)),
            ),
        ),
        (
            "long string",
            vca("your_subaccount_id", &"\u{e9}".repeat(100_000)),
        ),
        (
            "long escaped string",
            vca("your_subaccount_id", &r"\ud83d\ude00".repeat(10_000)),
        ),
        (
            "many unknown members",
            vca(
                r#""sipCode":200"#,
                &(0..2000)
                    .map(|i| format!(r#""sipCod{i}":{i}"#))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ),
        (
            "callflow of 2000 actions",
            callflow(
                r#"{"action":"hangup"}"#,
                &vec![r#"{"action":"sayAndCaptur","params":{"maxDigi":1}}"#; 2000].join(","),
            ),
        ),
        (
            "first action not makeCall",
            callflow(r#""action":"makeCall""#, r#""action":"hangup""#),
        ),
        (
            "action an object",
            callflow(r#""action":"say""#, r#""action":{"say":1}"#),
        ),
        (
            "params null",
            callflow(r#""params":{"text""#, r#""params":null,"p":{"text""#),
        ),
        (
            "validUntil a number",
            callflow(r#""2030-01-01T00:00:00Z""#, "1e308"),
        ),
        (
            "validUntil far past",
            callflow("2030-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        ),
        ("speed NaN text", callflow(r#""speed":1"#, r#""speed":NaN"#)),
        (
            "repetition -0",
            callflow(r#""repetition":1"#, r#""repetition":-0"#),
        ),
        (
            "callflow an object",
            callflow(r#""callflow":["#, r#""callflow":{"a":["#)
                .into_iter()
                .chain(*b"}")
                .collect(),
        ),
        ("truncated", VCA.as_bytes()[..VCA.len() / 2].to_vec()),
        (
            "comment and trailing comma",
            vca(r#""sipCode":200"#, "\"sipCode\":200, // x\n"),
        ),
        (
            "BOM then two documents",
            [&[0xef, 0xbb, 0xbf][..], VCA.as_bytes(), VCA.as_bytes()].concat(),
        ),
        ("top-level array", [b"[", VCA.as_bytes(), b"]"].concat()),
        ("empty object", b"{}".to_vec()),
        ("empty", Vec::new()),
    ];
    list.push(("template placeholders", br#"{"callflow":[{"action":"makeCall","params":{"source":{{Virtual Number}},"destination":"{{Number}}"}}]}"#.to_vec()));
    list
}

/// What the fuzz targets check of every report and do with every input: their own code, so
/// that it is compiled and run on stable by `cargo test` (the targets build only with
/// cargo-fuzz).
#[path = "../../../fuzz/fuzz_targets/common.rs"]
mod fuzz;

fn check(name: &str, report: &Report) {
    eprintln!("checking {name}");
    fuzz::check_report(report, name.as_bytes());
}

/// What the fuzz targets do with one input.
fn exercise(name: &str, input: &[u8], options: &Options) {
    eprintln!("exercising {name} with {options:?}");
    fuzz::exercise(input, options);
}

#[test]
fn structured_mutations_never_panic_under_any_kind_or_mode() {
    for (name, input) in inputs() {
        check(name, &voicehook::validate(&input));
        let _ = voicehook::decode(&input);
        for kind in std::iter::once(None).chain(Kind::ALL.map(Some)) {
            for strict in [false, true] {
                let options = Options {
                    kind,
                    strict,
                    mask: strict,
                    now: Some(1_700_000_000_000),
                    ..Options::default()
                };
                exercise(name, &input, &options);
            }
        }
    }
}

#[test]
fn tiny_limits_never_panic() {
    for (name, input) in inputs() {
        for (max_depth, max_size) in [(0, 0), (1, 16), (2, usize::MAX)] {
            let options = Options {
                max_depth,
                max_size,
                ..Options::default()
            };
            exercise(name, &input, &options);
        }
    }
}

/// From `structured` (a timeout under the fuzzer's instrumentation, 8 MB): a VNU whose
/// `updateEventType` was a long repetition of "UPDATES". The did-you-mean hint ran a
/// Damerau-Levenshtein distance between the whole value and each enum option (time in the
/// product of the lengths): 320 of the 360 ms of validation in release, 3 s instrumented. A
/// value far longer than every option is no longer compared (validate::did_you_mean).
#[test]
fn long_enum_value_is_not_compared_with_every_option() {
    let value = "UPDATES".repeat(300_000); // 2.1 MB
    let input = format!(
        r#"{{"namespace":"VOICE","eventType":"VIRTUAL_NUMBER_UPDATE","payload":{{"subAccountId":"a","totalNumbers":1,"updateEventType":"{value}","numbers":[]}}}}"#
    );
    let start = std::time::Instant::now();
    let report = voicehook::validate(input.as_bytes());
    let elapsed = start.elapsed();
    assert!(!report.valid);
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.pointer == "/payload/updateEventType"),
        "{report:#?}"
    );
    // Generous: a guard against quadratic work on one long value, not a benchmark.
    assert!(elapsed.as_secs() < 5, "validation took {elapsed:?}");
}

/// From `structured` (a timeout under the fuzzer's instrumentation, 393 KB): a member name of
/// 65,536 lone-surrogate escapes, and stray 0xFF bytes after it. Each `json.utf8` error in the
/// member carried a pointer holding the whole name, built and then masked once per error (up to 100
/// errors of up to 10 MB each). Pointers of such contexts now name a long member by its start.
#[test]
fn errors_inside_a_huge_member_name_carry_short_pointers() {
    let mut input = b"{\"type\": [\"VSS\"], \"".to_vec();
    input.extend_from_slice(&b"\\ud800".repeat(40_000));
    input.extend_from_slice(b"\": \"");
    for _ in 0..60 {
        input.extend_from_slice(b"a\xFF");
    }
    input.extend_from_slice(b"\"}");
    let options = Options {
        mask: true,
        ..Options::default()
    };
    let report = voicehook::validate_with(&input, &options);
    assert!(!report.valid);
    let utf8: Vec<_> = report
        .errors
        .iter()
        .filter(|e| e.rule == "json.utf8")
        .collect();
    assert!(utf8.len() > 50, "{}", utf8.len());
    for e in &utf8 {
        assert!(
            e.pointer.len() < 2_000,
            "a pointer of {} bytes",
            e.pointer.len()
        );
        assert!(e.pointer.ends_with('…'), "{}", &e.pointer[..40]);
    }
}

/// The fuzz targets pick the options from an input's first byte: every kind (and none) is
/// reachable in both modes, masked or not.
#[test]
fn the_first_byte_reaches_every_kind_and_mode() {
    let mut seen = std::collections::HashSet::new();
    for byte in 0..=u8::MAX {
        let o = fuzz::options_from(byte);
        seen.insert((o.kind, o.strict, o.mask));
    }
    assert_eq!(seen.len(), (Kind::ALL.len() + 1) * 2 * 2);
}
