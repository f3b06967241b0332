//! Hostile document shapes at a given size, shared by the growth test and the growth benchmark:
//! each is a document (or a repair input) whose cost must grow linearly with `n`.

/// A named shape: how to build it with `n` repeated parts, and which entry point it stresses.
pub struct Shape {
    pub name: &'static str,
    pub build: fn(usize) -> Vec<u8>,
    pub kind: Option<voicehook::Kind>,
    /// Run `repair` instead of `validate`.
    pub repair: bool,
}

fn vss_with_details(details: &str) -> Vec<u8> {
    format!(
        r#"{{"namespace":"VOICE","eventType":"SESSION_SUMMARY","description":"d","payload":{{"sessionId":"b1b7a5c4-0c5e-11ef-9ff4-2fd0a6d7e0c7","subAccountId":"a","sessionStatus":"COMPLETED","startTime":"2024-05-16T04:12:11Z","endTime":"2024-05-16T04:12:20Z","lastAction":"MAKE_CALL","callCount":1,"details":{{{details}}}}}}}"#
    )
    .into_bytes()
}

fn join(n: usize, item: impl Fn(usize) -> String) -> String {
    (0..n).map(item).collect::<Vec<_>>().join(",")
}

const LEG: &str = r#""callId":"a08f331e-f059-11f0-816b-2daade7d6599","callDirection":"OUTBOUND","callType":"PSTN","initiatedTimestamp":"2024-05-16T04:12:11Z","disconnectedTimestamp":"2024-05-16T04:12:20Z","source":"+6568332048","destination":"+6591178965","sourceFormat":"MSISDN","destinationFormat":"MSISDN","sourceCountryCode":"SG","destinationCountryCode":"SG","callDuration":0"#;

fn callflow(actions: &str) -> Vec<u8> {
    format!(r#"{{"validUntil":"2099-01-01T00:00:00Z","callflow":[{{"action":"makeCall","params":{{"source":"+6568888888","destination":"+6591234567"}}}},{actions}]}}"#).into_bytes()
}

fn vnu(numbers: &str) -> Vec<u8> {
    format!(
        r#"{{"namespace":"VOICE","eventType":"VIRTUAL_NUMBER_UPDATE","description":"d","payload":{{"subAccountId":"a","totalNumbers":1,"updateEventType":"UPDATES","virtualNumbers":[{numbers}]}}}}"#
    )
    .into_bytes()
}

pub const SHAPES: &[Shape] = &[
    Shape {
        name: "tiny legs {} in details",
        build: |n| vss_with_details(&join(n, |i| format!(r#""l{i}":{{}}"#))),
        kind: None,
        repair: false,
    },
    Shape {
        name: "legs with a wrong status (enum)",
        build: |n| {
            vss_with_details(&join(n, |i| {
                format!(r#""l{i}":{{{LEG},"callStatus":"DONE{i}"}}"#)
            }))
        },
        kind: None,
        repair: false,
    },
    Shape {
        name: "callflow of numbers",
        build: |n| format!(r#"{{"callflow":[{}]}}"#, join(n, |_| "0".into())).into_bytes(),
        kind: None,
        repair: false,
    },
    Shape {
        name: "keys, then the same keys again",
        build: |n| {
            let keys = join(n, |i| format!(r#""k{i}":1"#));
            format!("{{{keys},{keys}}}").into_bytes()
        },
        kind: Some(voicehook::Kind::Vss),
        repair: false,
    },
    Shape {
        name: "unknown keys in a callflow",
        build: |n| {
            format!(
                r#"{{"validUntil":"2099-01-01T00:00:00Z",{},"callflow":[{{"action":"makeCall","params":{{"source":"+6568888888","destination":"+6591234567"}}}}]}}"#,
                join(n, |i| format!(r#""x{i}":1"#))
            )
            .into_bytes()
        },
        kind: None,
        repair: false,
    },
    Shape {
        name: "wrong action names",
        build: |n| {
            callflow(&join(n, |i| {
                format!(r#"{{"action":"act{i}","params":{{}}}}"#)
            }))
        },
        kind: None,
        repair: false,
    },
    Shape {
        name: "bad destinations",
        build: |n| {
            callflow(&join(n, |_| {
                r#"{"action":"makeCall","params":{"source":"+6568888888","destination":"abc"}}"#
                    .into()
            }))
        },
        kind: Some(voicehook::Kind::Callflow),
        repair: false,
    },
    Shape {
        name: "capitalised leg keys and fields (quirks)",
        build: |n| {
            vss_with_details(&join(n, |i| {
                format!(r#""Call{i}":{{{LEG},"CallStatus":"NO ANSWER","ErrorDetails":"null"}}"#)
            }))
        },
        kind: None,
        repair: false,
    },
    Shape {
        name: "virtual numbers, all different",
        build: |n| {
            vnu(&join(n, |i| {
                format!(
                    r#"{{"msisdn":"+65{:08}","countryCode":"SG","operationalStatus":"Active","updateStatus":"UPDATED"}}"#,
                    i
                )
            }))
        },
        kind: None,
        repair: false,
    },
    Shape {
        name: "repair of [ and many {",
        build: |n| format!("[{}]", "{".repeat(n)).into_bytes(),
        kind: None,
        repair: true,
    },
];

/// Runs the entry point a shape stresses once, listing every finding (no cap: the cap would
/// hide a cost per finding that grows with the document); returns how many findings it
/// produced, so the work cannot be optimized away.
pub fn run(shape: &Shape, input: &[u8]) -> usize {
    if shape.repair {
        let r = voicehook::parse::repair(&String::from_utf8_lossy(input));
        return r.changes.len() + r.remaining.len() + r.text.len();
    }
    let options = voicehook::Options {
        kind: shape.kind,
        now: Some(1_719_792_000_000),
        max_findings: usize::MAX,
        ..Default::default()
    };
    let analysis = voicehook::analyze(input, &options);
    let decoded = analysis.decode().map_or(0, |d| d.notes.len());
    analysis.report.errors.len() + analysis.report.warnings.len() + decoded
}

/// The best of three timings of [`run`] on `input`.
pub fn best(shape: &Shape, input: &[u8]) -> std::time::Duration {
    (0..3)
        .map(|_| {
            let t = std::time::Instant::now();
            std::hint::black_box(run(shape, input));
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}
