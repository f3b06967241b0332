//! Bounded memory for the large shapes of issue 9: a session summary whose `details` holds
//! empty legs, and a callflow of bare numbers. dhat's counting allocator records the most bytes
//! live at once while each entry point runs on a document it is handed (the input counts: it
//! becomes the document's text). The bound is a count, not a timing: beside its input, a
//! document may take 32 bytes per value or member name (the tape's 16, a large object's index
//! 8, what validation holds), which at the size limit (a 9.76 MB summary of a million legs,
//! two million entries) stays under the 64 MB of WebAssembly memory the npm package may grow to.
//! `node tests/npm/memory.mjs` measures the package itself at full size.

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Most bytes held at once by `f`, its input included (allocated once counting has begun).
fn peak_of(input: &[u8], f: impl FnOnce(Vec<u8>)) -> usize {
    let profiler = dhat::Profiler::builder().testing().build();
    f(input.to_vec());
    let peak = dhat::HeapStats::get().max_bytes;
    drop(profiler);
    peak
}

fn base62(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = Vec::new();
    loop {
        s.push(DIGITS[n % 62]);
        n /= 62;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The npm measurement's summary: `details` with `legs` empty legs keyed by their index.
fn tiny_legs(legs: usize) -> Vec<u8> {
    let details: Vec<String> = (0..legs)
        .map(|i| format!("\"{}\":{{}}", base62(i)))
        .collect();
    format!(
        "{{\"namespace\":\"VOICE\",\"eventType\":\"SESSION_SUMMARY\",\"description\":\"d\",\"payload\":{{\
         \"sessionId\":\"ece96728-f059-11f0-baa6-c147150ab00e\",\"subAccountId\":\"acme_voice\",\"sessionStatus\":\"COMPLETED\",\
         \"startTime\":\"2026-01-13T08:29:29Z\",\"endTime\":\"2026-01-13T08:29:43Z\",\"callCount\":1,\
         \"details\":{{{}}}}}}}",
        details.join(",")
    )
    .into_bytes()
}

fn numbers(n: usize) -> Vec<u8> {
    format!("{{\"callflow\":[{}]}}", vec!["0"; n].join(",")).into_bytes()
}

/// One entry point, run on a document it is handed.
type Run<'a> = Box<dyn FnOnce(Vec<u8>) + 'a>;

#[test]
fn large_documents_take_at_most_32_bytes_per_value_beside_their_input() {
    let options = voicehook::Options::default();
    let documents = [
        ("VSS of 100,000 empty legs", tiny_legs(100_000)),
        ("callflow of 100,000 numbers", numbers(100_000)),
    ];
    let mut over = Vec::new();
    for (name, doc) in documents {
        let size = doc.len();
        let entries = voicehook::parse::parse(&doc, &voicehook::parse::Limits::default())
            .map(|p| p.doc().len())
            .unwrap_or_default();
        let runs: [(&str, Run<'_>); 3] = [
            (
                "validate",
                Box::new(|d| {
                    let report = voicehook::validate_owned(d, &options);
                    assert!(!report.valid);
                }),
            ),
            (
                "analyze + decode",
                Box::new(|d| {
                    let analysis = voicehook::analyze_owned(d, &options);
                    assert!(analysis.decode().is_some());
                }),
            ),
            (
                "detect",
                Box::new(|d| {
                    assert!(voicehook::detect_owned(d).kind.is_some());
                }),
            ),
        ];
        for (entry, run) in runs {
            let peak = peak_of(&doc, run);
            let per_entry = peak.saturating_sub(size) as f64 / entries as f64;
            eprintln!(
                "{name} ({:.1} MB, {entries} entries), {entry}: peak {:.1} MB, \
                 {per_entry:.1} bytes per entry beside the input",
                size as f64 / 1e6,
                peak as f64 / 1e6
            );
            if per_entry > 32.0 {
                over.push(format!("{name}, {entry}: {per_entry:.1} bytes per entry"));
            }
        }
    }
    assert!(over.is_empty(), "{over:?}");
}
