//! `cargo xtask fuzz [TARGET ...] [--seconds N] [-- LIBFUZZER_ARGS]`: the cargo-fuzz targets in
//! `fuzz/` (issue 3, "never panics"), one after the other, each seeded with every fixture.
//!
//! cargo-fuzz needs nightly compiler flags (sanitizers, coverage passes); only stable is
//! installed, so the build runs with `RUSTC_BOOTSTRAP=1`. cargo-fuzz itself is installed from
//! crates.io when it is missing. The fuzz crate builds into `fuzz/target`, apart from the
//! workspace's `target/`, so a fuzz build never waits for the workspace's build lock.
//!
//! Findings land in `fuzz/artifacts/<target>/` (`crash-*`, `timeout-*`, `oom-*`); the corpus in
//! `fuzz/corpus/<target>/`. Both are ignored by git: a crash becomes a regression test in
//! `crates/voicehook/tests/fuzz_regressions.rs` instead.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// Every target, in the order they run.
const TARGETS: &[&str] = &["validate_bytes", "structured", "wide"];

/// Fixture folders copied into each target's corpus before a run.
const SEED_DIRS: &[&str] = &[
    "tests/fixtures/docs",
    "tests/fixtures/openapi",
    "tests/fixtures/edge",
];

/// Seconds per target when `--seconds` is not given: long enough to be worth it.
const DEFAULT_SECONDS: u64 = 600;

const USAGE: &str = "usage: cargo xtask fuzz [validate_bytes|structured|wide ...] [--seconds N] [-- LIBFUZZER_ARGS]";

/// Runs the fuzz targets named in `args` (all when none is named).
pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let mut targets: Vec<&str> = Vec::new();
    let mut seconds = DEFAULT_SECONDS;
    let mut extra: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = it.next().context("--seconds needs a number")?;
                seconds = value
                    .parse()
                    .with_context(|| format!("--seconds {value:?} is not a number"))?;
            }
            "--" => {
                extra.extend(it.by_ref().cloned());
            }
            "-h" | "--help" => {
                println!("{USAGE}\ntargets: {}", TARGETS.join(", "));
                return Ok(());
            }
            name => match TARGETS.iter().find(|t| **t == name) {
                Some(t) => targets.push(t),
                None => bail!(
                    "unknown fuzz target {name:?}\n{USAGE}\ntargets: {}",
                    TARGETS.join(", ")
                ),
            },
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }

    ensure_cargo_fuzz()?;
    let fuzz_dir = root.join("fuzz");
    for target in targets {
        let corpus = fuzz_dir.join("corpus").join(target);
        let seeds = seed_corpus(root, &corpus)?;
        let artifacts = fuzz_dir.join("artifacts").join(target);
        std::fs::create_dir_all(&artifacts)?;
        eprintln!(
            "fuzz {target}: {seconds} s, {seeds} seed files in {}",
            corpus.display()
        );
        let started = Instant::now();
        let mut args: Vec<String> = vec![
            "fuzz".into(),
            "run".into(),
            "--fuzz-dir".into(),
            fuzz_dir.display().to_string(),
            "--target-dir".into(),
            fuzz_dir.join("target").display().to_string(),
            target.into(),
            corpus.display().to_string(),
            "--".into(),
            format!("-max_total_time={seconds}"),
            // An input that takes seconds is a bug too (quadratic behaviour).
            "-timeout=10".into(),
            "-report_slow_units=2".into(),
            "-rss_limit_mb=4096".into(),
            "-print_final_stats=1".into(),
            // Other builds share the machine: one process.
            "-jobs=1".into(),
            "-workers=1".into(),
        ];
        args.extend(extra.iter().cloned());
        eprintln!("$ RUSTC_BOOTSTRAP=1 cargo {}", args.join(" "));
        // With -jobs, libFuzzer writes the run's output to fuzz-0.log in its working directory.
        let status = Command::new("cargo")
            .args(&args)
            .current_dir(&artifacts)
            .env("RUSTC_BOOTSTRAP", "1")
            .status()
            .context("could not start cargo fuzz")?;
        let log = artifacts.join("fuzz-0.log");
        summarize(target, &log, started.elapsed().as_secs());
        if !status.success() {
            bail!(
                "fuzz target {target} failed ({status}): see {} and {}",
                log.display(),
                artifacts.display()
            );
        }
    }
    Ok(())
}

/// Installs cargo-fuzz from crates.io unless `cargo fuzz` already runs.
fn ensure_cargo_fuzz() -> Result<()> {
    let installed = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !installed {
        crate::sh(
            Path::new("."),
            "cargo",
            &["install", "cargo-fuzz", "--locked"],
        )?;
    }
    Ok(())
}

/// Copies every fixture file into `corpus` (flat names, so no two collide); returns how many.
fn seed_corpus(root: &Path, corpus: &Path) -> Result<usize> {
    std::fs::create_dir_all(corpus)?;
    let mut count = 0;
    for dir in SEED_DIRS {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            let entries =
                std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
            for entry in entries {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let relative = path.strip_prefix(root.join("tests/fixtures"))?;
                let name = format!("seed-{}", relative.display()).replace(['/', '\\'], "--");
                std::fs::copy(&path, corpus.join(name))?;
                count += 1;
            }
        }
    }
    Ok(count)
}

/// Prints the numbers a run ends with (executions, speed, corpus, findings) from its log.
fn summarize(target: &str, log: &Path, elapsed: u64) {
    let Ok(text) = std::fs::read_to_string(log) else {
        eprintln!("fuzz {target}: no log at {}", log.display());
        return;
    };
    eprintln!(
        "fuzz {target}: finished after {elapsed} s; from {}:",
        log.display()
    );
    for line in text.lines() {
        let interesting = line.starts_with("stat::")
            || line.starts_with("Done ")
            || line.contains("Slowest unit")
            || line.contains("ERROR: libFuzzer")
            || line.contains("SUMMARY:")
            || line.contains("panicked at")
            || line.contains("Test unit written to");
        if interesting {
            eprintln!("  {line}");
        }
    }
    // The last progress line: total executions, coverage, execs/s.
    if let Some(last) = text
        .lines()
        .rev()
        .find(|l| l.starts_with('#') && l.contains("exec/s"))
    {
        eprintln!("  {last}");
    }
}
