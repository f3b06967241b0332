//! Bounded memory for the large shapes of issue 9: a session summary whose `details` holds
//! empty legs, and a callflow of bare numbers. dhat's counting allocator records the most bytes
//! live at once while each entry point runs on a document it is handed (the input counts: it
//! becomes the document's text). The bound is a count, not a timing: at most 5 bytes held per byte of
//! input, which at the size limit (a 9.76 MB summary of a million legs) stays under the 64 MB of
//! WebAssembly memory the npm package may grow to. `node tests/npm/memory.mjs` measures the
//! package itself at full size.

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

#[test]
fn large_documents_take_a_few_bytes_per_byte_of_input() {
    let options = voicehook::Options::default();
    let documents = [
        ("VSS of 200,000 empty legs", tiny_legs(200_000)),
        ("callflow of 200,000 numbers", numbers(200_000)),
    ];
    let mut over = Vec::new();
    for (name, doc) in documents {
        let size = doc.len();
        let runs: [(&str, Box<dyn FnOnce(Vec<u8>)>); 3] = [
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
            let per_byte = peak as f64 / size as f64;
            eprintln!(
                "{name} ({:.1} MB), {entry}: peak {:.1} MB, {per_byte:.2} bytes per input byte",
                size as f64 / 1e6,
                peak as f64 / 1e6
            );
            if per_byte > 5.0 {
                over.push(format!("{name}, {entry}: {per_byte:.2} bytes per byte"));
            }
        }
    }
    assert!(over.is_empty(), "{over:?}");
}
