//! Bounded time for every hostile shape under the size limit: each is checked at two sizes ten
//! times apart and the work must grow linearly. The figure compared is the ratio of two
//! timings measured in this run (best of three each; a shape over the bound is measured up to
//! three times and its lowest ratio counts), never an absolute time: linear work
//! gives about 10, quadratic about 100, and the bound of 20 leaves room for a noisy machine
//! (a scan of the findings so far for each callflow violation read 28 and 19 here).
//! `cargo xtask bench` prints the same ratios at larger sizes.

mod support;

use support::shapes::{SHAPES, best};

#[test]
fn every_hostile_shape_grows_linearly() {
    let n = 600;
    let mut slow = Vec::new();
    for shape in SHAPES {
        let small = (shape.build)(n);
        let large = (shape.build)(n * 10);
        // A busy machine can slow one timing down; a superlinear cost shows every time. A shape
        // over the bound is measured again, up to three times, and its lowest ratio counts.
        let mut ratio = f64::INFINITY;
        for _ in 0..3 {
            let (a, b) = (best(shape, &small), best(shape, &large));
            // Below a millisecond the clock says little; measure a larger pair instead.
            let this = b.as_secs_f64() / a.as_secs_f64().max(1e-4);
            eprintln!("{:40} {a:>12?} {b:>12?} ratio {this:.1}", shape.name);
            ratio = ratio.min(this);
            if ratio <= 20.0 {
                break;
            }
        }
        if ratio > 20.0 {
            slow.push(format!("{} ({ratio:.0}x for 10x the size)", shape.name));
        }
    }
    assert!(slow.is_empty(), "superlinear: {slow:?}");
}

/// The report is capped: a document with ten thousand problems lists the first 1000 findings
/// and closes with a `report.truncated` warning, in lenient and strict mode.
#[test]
fn reports_stop_at_the_findings_cap() {
    for shape in SHAPES.iter().filter(|s| !s.repair) {
        let input = (shape.build)(3000);
        let report = voicehook::validate_with(
            &input,
            &voicehook::Options {
                kind: shape.kind,
                ..Default::default()
            },
        );
        let total = report.errors.len() + report.warnings.len();
        assert!(
            total <= voicehook::DEFAULT_MAX_FINDINGS + 1,
            "{}: {total}",
            shape.name
        );
        if total > voicehook::DEFAULT_MAX_FINDINGS {
            let last = report.warnings.last().unwrap();
            assert_eq!(last.rule, "report.truncated", "{}", shape.name);
        }
    }
    let tiny = (SHAPES[0].build)(5000);
    let report = voicehook::validate(&tiny);
    assert_eq!(report.errors.len(), voicehook::DEFAULT_MAX_FINDINGS);
    assert_eq!(report.warnings.last().unwrap().rule, "report.truncated");
    let all = voicehook::validate_with(
        &tiny,
        &voicehook::Options {
            max_findings: usize::MAX,
            ..Default::default()
        },
    );
    assert!(all.errors.len() > 5000 * 10, "{}", all.errors.len());
}
