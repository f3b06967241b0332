//! `cargo xtask bench` (`cargo bench -p voicehook --bench validate`): how fast `validate` reads
//! the documented examples, against the limit (a syntax-only parse into `IgnoredAny`) and the
//! naive way (a `serde_json::Value` checked by a `jsonschema` validator of the committed schema).
//!
//! Four corpora: the valid webhook examples the fast path decides alone (a valid webhook
//! without warnings, what an endpoint mostly sees), every valid webhook example (those with
//! warnings take the full path), every valid example (callflows and API answers always take
//! the full path), and an invalid variant of every example (every third string a number), where
//! the naive way collects every error (`iter_errors`) as voicehook's report does.
//! Criterion measures each; a summary with MB/s and ratios is printed at the end.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use serde::de::IgnoredAny;
use serde_json::Value;
use voicehook::Kind;

/// One valid example: its bytes and its kind.
struct Doc {
    bytes: Vec<u8>,
    kind: Kind,
}

fn corpus() -> Vec<Doc> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/docs");
    let manifest: Value = std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .expect("tests/fixtures/docs/manifest.json (run cargo xtask fixtures)");
    let mut docs = Vec::new();
    for entry in manifest.as_array().into_iter().flatten() {
        let Some(file) = entry.get("file").and_then(Value::as_str) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        let report = voicehook::validate(&bytes);
        if let (true, Some(kind)) = (report.valid, report.kind) {
            docs.push(Doc { bytes, kind });
        }
    }
    docs
}

/// `d` with every third string replaced by a number: type errors throughout, the same for both
/// ways (`None` when that leaves it valid).
fn broken(d: &Doc) -> Option<Doc> {
    fn walk(v: &mut Value, n: &mut usize) {
        match v {
            Value::String(_) => {
                *n += 1;
                if n.is_multiple_of(3) {
                    *v = Value::from(7);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, n)),
            Value::Object(map) => map.values_mut().for_each(|i| walk(i, n)),
            _ => {}
        }
    }
    let mut value: Value = serde_json::from_slice(&d.bytes).ok()?;
    walk(&mut value, &mut 0);
    let bytes = serde_json::to_vec_pretty(&value).ok()?;
    let options = voicehook::Options {
        kind: Some(d.kind),
        ..voicehook::Options::default()
    };
    (!voicehook::validate_with(&bytes, &options).valid).then_some(Doc {
        bytes,
        kind: d.kind,
    })
}

fn validators() -> Vec<(Kind, jsonschema::Validator)> {
    Kind::ALL
        .iter()
        .map(|&kind| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("schemas/{}.schema.json", kind.id()));
            let schema: Value = serde_json::from_slice(&std::fs::read(path).expect("schema"))
                .expect("schema is JSON");
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&schema)
                .expect("schema compiles");
            (kind, validator)
        })
        .collect()
}

/// One way to check a document: what it found (a verdict or a count), so nothing is optimized away.
type Run<'a> = Box<dyn Fn(&Doc) -> usize + 'a>;

fn ways(validators: &[(Kind, jsonschema::Validator)]) -> Vec<(&'static str, Run<'_>)> {
    vec![
        (
            "voicehook::validate_with (kind given)",
            Box::new(|d: &Doc| {
                // the kind given, as the naive way is given its schema
                let options = voicehook::Options {
                    kind: Some(d.kind),
                    ..voicehook::Options::default()
                };
                let r = voicehook::validate_with(&d.bytes, &options);
                r.errors.len() + usize::from(r.valid)
            }),
        ),
        (
            "serde_json IgnoredAny (syntax only)",
            Box::new(|d: &Doc| usize::from(serde_json::from_slice::<IgnoredAny>(&d.bytes).is_ok())),
        ),
        (
            "Value + jsonschema (naive)",
            Box::new(move |d: &Doc| {
                let value: Value = serde_json::from_slice(&d.bytes).expect("valid JSON");
                let Some((_, v)) = validators.iter().find(|(k, _)| *k == d.kind) else {
                    return 0;
                };
                // every error, as a report lists them, for a document that has some
                if v.is_valid(&value) {
                    1
                } else {
                    v.iter_errors(&value).count()
                }
            }),
        ),
    ]
}

/// MB/s of `run` over `docs`, timed for about `budget`.
fn throughput(docs: &[Doc], run: &dyn Fn(&Doc) -> usize, budget: Duration) -> f64 {
    let bytes: usize = docs.iter().map(|d| d.bytes.len()).sum();
    let (mut rounds, start) = (0u64, Instant::now());
    while start.elapsed() < budget || rounds < 3 {
        for d in docs {
            std::hint::black_box(run(std::hint::black_box(d)));
        }
        rounds += 1;
    }
    (bytes as f64 * rounds as f64) / start.elapsed().as_secs_f64() / 1e6
}

fn main() {
    let all = corpus();
    let copy = |d: &Doc| Doc {
        bytes: d.bytes.clone(),
        kind: d.kind,
    };
    let webhooks: Vec<Doc> = all
        .iter()
        .filter(|d| d.kind.is_webhook())
        .map(copy)
        .collect();
    let fast: Vec<Doc> = webhooks
        .iter()
        .filter(|d| voicehook::validate_fast(&d.bytes, &voicehook::Options::default()).is_some())
        .map(copy)
        .collect();
    let invalid: Vec<Doc> = all.iter().filter_map(broken).collect();
    let validators = validators();
    let ways = ways(&validators);

    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let corpora = [
        ("webhooks the fast path decides", &fast),
        ("valid webhooks", &webhooks),
        ("all valid docs", &all),
        ("invalid variants, full diagnostics", &invalid),
    ];
    for (name, docs) in corpora {
        let mut group = c.benchmark_group(name.replace(' ', "-"));
        group.throughput(Throughput::Bytes(
            docs.iter().map(|d| d.bytes.len() as u64).sum(),
        ));
        for (way, run) in &ways {
            group.bench_function(*way, |b| {
                b.iter(|| {
                    for d in docs.iter() {
                        std::hint::black_box(run(std::hint::black_box(d)));
                    }
                })
            });
        }
        group.finish();
    }

    println!("\nsummary (MB/s, each timed for 2 s):");
    for (name, docs) in corpora {
        let bytes: usize = docs.iter().map(|d| d.bytes.len()).sum();
        let speeds: Vec<f64> = ways
            .iter()
            .map(|(_, run)| throughput(docs, run.as_ref(), Duration::from_secs(2)))
            .collect();
        println!("  {name}: {} documents, {bytes} bytes", docs.len());
        for ((way, _), speed) in ways.iter().zip(&speeds) {
            println!("    {way:<40} {speed:>9.1} MB/s");
        }
        println!(
            "    validate is {:.2}x slower than the syntax-only parse, {:.2}x faster than the naive way",
            speeds[1] / speeds[0],
            speeds[0] / speeds[2]
        );
    }
}
