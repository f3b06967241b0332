//! What both fuzz targets do with one input: every public entry point, each under the options
//! the fuzzer picked, and the report invariants the design promises.

use std::sync::OnceLock;
use std::time::Instant;

use voicehook::{Kind, Options, Report};

/// `VOICEHOOK_FUZZ_DEBUG=1` when replaying an input (`fuzz/target/.../structured FILE`): print
/// the document each target built (to `VOICEHOOK_FUZZ_DUMP` if set) and how long each entry
/// point took, to tell a slow unit's culprit.
pub fn debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("VOICEHOOK_FUZZ_DEBUG").is_some())
}

/// Runs `f`, printing its duration under `label` in debug mode.
fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    if !debug() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    eprintln!("voicehook-fuzz: {label}: {:?}", start.elapsed());
    out
}

/// Options from one byte: no kind or one of the ten (11 choices), strict or lenient, masked or not.
/// Every `Kind` and both modes are reachable from any input's first byte.
pub fn options_from(byte: u8) -> Options {
    let pick = usize::from(byte % 11);
    Options {
        kind: pick.checked_sub(1).map(|i| Kind::ALL[i]),
        strict: (byte / 11) & 1 == 1,
        mask: (byte / 22) & 1 == 1,
        // A fixed "now" keeps a run reproducible (the callflow validUntil rule reads it).
        now: Some(1_700_000_000_000),
        ..Options::default()
    }
}

/// The report shape the design promises, whatever the input.
pub fn check_report(report: &Report, input: &[u8]) {
    assert_eq!(
        report.valid,
        report.errors.is_empty(),
        "valid must be true iff there are no errors"
    );
    for d in report.errors.iter().chain(&report.warnings) {
        assert!(d.line.is_none_or(|l| l >= 1), "line is 1-based: {d:?}");
        assert!(d.column.is_none_or(|c| c >= 1), "column is 1-based: {d:?}");
        assert!(
            d.pointer.is_empty() || d.pointer.starts_with('/'),
            "pointer is an RFC 6901 pointer: {d:?}"
        );
        assert!(!d.rule.id.is_empty(), "every diagnostic has a rule: {d:?}");
    }
    if !input.is_empty() {
        // The same report serializes (what the CLI and the npm package print).
        serde_json::to_string(report).expect("a report serializes");
    }
}

/// Runs `input` through every entry point: default validation, validation with `options`,
/// detection, analysis and decoding (with `options` and with the defaults), and repair of the text as a page would hold it.
pub fn exercise(input: &[u8], options: &Options) {
    if debug() {
        eprintln!("voicehook-fuzz: {} bytes, {options:?}", input.len());
        if let Some(path) = std::env::var_os("VOICEHOOK_FUZZ_DUMP") {
            std::fs::write(path, input).expect("writing VOICEHOOK_FUZZ_DUMP");
        }
    }
    let report = timed("validate", || voicehook::validate(input));
    check_report(&report, input);

    let report = timed("validate_with", || voicehook::validate_with(input, options));
    check_report(&report, input);
    if let Some(kind) = options.kind {
        assert_eq!(report.kind, Some(kind), "an explicit kind always wins");
    }

    let _ = timed("detect", || voicehook::detect(input));
    timed("tape against serde_json", || {
        same_reading_as_serde(input, "the input")
    });

    let analysis = timed("analyze", || voicehook::analyze(input, options));
    check_report(&analysis.report, input);
    if let Some(decoded) = timed("Analysis::decode", || analysis.decode()) {
        assert_eq!(
            Some(decoded.kind),
            analysis.report.kind,
            "decoded as the kind validated"
        );
        // The decoded view serializes (the CLI's --json, the page's decoded view).
        serde_json::to_string(&decoded).expect("a decoded view serializes");
    }
    let _ = timed("decode", || voicehook::decode(input));

    // The document read back, typed: a valid document always reads into its model.
    let read = timed("read", || voicehook::read(input, options));
    assert_eq!(
        read.document.is_some(),
        read.report.valid,
        "a valid document reads into its model, and only a valid one: {:?}",
        read.report.errors
    );

    let text = String::from_utf8_lossy(input);
    // The receive check: the input as the body, and its first line as the forwarded and
    // authorization headers (with one trusted proxy and an expected authorization, or neither,
    // by the first byte).
    let line = text.lines().next().unwrap_or_default();
    let headers = [
        ("forwarded", line),
        ("x-forwarded-for", line),
        ("authorization", line),
    ];
    let odd = input.first().is_some_and(|b| b & 1 == 1);
    let policy = voicehook::receive::Policy {
        trusted_proxies: u32::from(odd),
        allow: vec![voicehook::receive::Source::Any],
        authorization: odd.then(|| "Bearer t".to_owned()),
        ..Default::default()
    };
    let request = voicehook::receive::Request {
        peer: Some("127.0.0.1"),
        headers: &headers,
        body: input,
    };
    let verdict = timed("receive::check", || {
        voicehook::receive::check(&policy, &request)
    });
    if let voicehook::receive::Verdict::Accept(a) = &verdict {
        assert!(
            !odd || line == "Bearer t",
            "accepted only with the authorization"
        );
        assert!(a.report.valid && a.kind.is_webhook());
    }
    serde_json::to_string(&verdict).expect("a verdict serializes");

    // The input as an override (`voicehook example --set`): it reads or says why, and a
    // document built with it is valid or says why; neither panics.
    if let Ok(o) = voicehook::fixtures::Override::parse(&text)
        && let Some(kind) = options.kind
    {
        let built = timed("fixtures::example", || {
            voicehook::fixtures::example_at(kind, &[o], options.now)
        });
        if let Ok(doc) = built {
            let bytes = serde_json::to_vec(&doc).expect("a document serializes");
            let lenient = Options {
                kind: Some(kind),
                now: options.now,
                ..Options::default()
            };
            let again = voicehook::validate_with(&bytes, &lenient);
            assert!(again.valid, "an example is valid: {:?}", again.errors);
        }
    }
    // The input as what starts a call, as the script, and as every reply to a call action:
    // the engine plays it or says why, never panics, and its clock never goes back.
    {
        use voicehook::call::{self, Reply, Script, Start};
        let menu = br#"{"callflow": [{"action": "makeCall", "params": {"source": "+6568332048",
            "destination": "+6591178965"}}, {"action": "sayAndCapture", "params": {"promptMessage":
            "Press 1", "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]}"#;
        let keys: Script = serde_json::from_str(r#"{"keys": ["1", "2", "3"]}"#).expect("a script");
        let runs = [
            (Start::Callflow(input), Script::default(), false),
            (Start::Callflow(menu), keys.clone(), true),
            (
                Start::Inbound {
                    from: "+6590000001",
                    to: "+6568332048",
                },
                keys,
                true,
            ),
        ];
        for (start, script, reply_with_input) in runs {
            let events = timed("call::simulate", || {
                call::simulate(start, &script, |_| match reply_with_input {
                    true => Reply::Body(input.to_vec()),
                    false => Reply::Timeout,
                })
            });
            let events = events.expect("a default script and valid numbers always play");
            assert!(
                events.windows(2).all(|w| w[0].t <= w[1].t),
                "time goes back"
            );
        }
        if let Ok(script) = serde_json::from_slice::<Script>(input) {
            let played = timed("call::simulate(script)", || {
                call::simulate(Start::Callflow(menu), &script, |_| Reply::Timeout)
            });
            if let Ok(events) = played {
                assert!(
                    events.windows(2).all(|w| w[0].t <= w[1].t),
                    "time goes back"
                );
            }
        }
    }
    let repaired = timed("repair", || voicehook::parse::repair(&text));
    // Repair only removes and inserts punctuation: it never loses a placeholder's text.
    for p in &repaired.placeholders {
        assert!(p.line >= 1 && p.column >= 1);
    }
}

/// The tape reads what serde_json reads: a document one accepts the other accepts, with the
/// same value; voicehook refuses more only for a repeated name or nesting past its limit.
/// `what` names the input in a failure.
pub fn same_reading_as_serde(input: &[u8], what: &str) {
    if input.starts_with(b"\xEF\xBB\xBF") {
        return; // voicehook reads past a BOM (with a warning); serde_json refuses it
    }
    // below serde_json's own nesting limit (128), so that only voicehook refuses for depth
    let limits = voicehook::parse::Limits {
        max_depth: 100,
        ..voicehook::parse::Limits::default()
    };
    let ours = voicehook::parse::parse(input, &limits);
    let theirs = serde_json::from_slice::<serde_json::Value>(input);
    match (ours, theirs) {
        (Ok(parsed), Ok(value)) => assert_eq!(
            parsed.view().to_value(),
            value,
            "{what}: the tape and serde_json read different values"
        ),
        (Ok(parsed), Err(e)) => panic!(
            "{what}: voicehook accepts what serde_json refuses ({e}): {:?}",
            parsed.view()
        ),
        (Err(errors), Ok(_)) => assert!(
            errors
                .iter()
                .all(|e| matches!(e.rule.id, "json.duplicate-key" | "json.depth")),
            "{what}: voicehook refuses what serde_json reads: {errors:?}"
        ),
        (Err(_), Err(_)) => {}
    }
}
