//! `cargo xtask bench`, archives: how fast `voicehook validate` reads a large NDJSON archive on
//! one thread and on all cores, against a syntax-only parse through the same reader and
//! threads, and how much memory a 2 GB stream takes.
//!
//! The archive is generated: 200,000 webhooks of the documented shapes (every documented VSS,
//! VCA, VCS, VRU and VNU example in turn, with fresh ids), one in twenty made invalid (a
//! required field removed or a string turned into a number).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use voicehook::Kind;

/// Documents in the generated archive.
const DOCUMENTS: usize = 200_000;
/// Bytes streamed for the memory figure.
const STREAM_BYTES: u64 = 2 << 30;

/// Writes the archive, unless it is already there.
fn archive(path: &Path) -> Result<u64> {
    if let Ok(meta) = path.metadata() {
        return Ok(meta.len());
    }
    let webhooks = [Kind::Vss, Kind::Vca, Kind::Vcs, Kind::Vru, Kind::Vnu];
    let examples: Vec<&Value> = voicehook::fixtures::documented()
        .iter()
        .filter(|e| webhooks.contains(&e.kind))
        .filter(|e| voicehook::validate(e.document.to_string().as_bytes()).valid)
        .map(|e| &e.document)
        .collect();
    if examples.is_empty() {
        bail!("no documented webhook examples");
    }
    std::fs::create_dir_all(path.parent().context("archive folder")?)?;
    let part = path.with_extension("part");
    let mut out = BufWriter::new(std::fs::File::create(&part)?);
    for i in 0..DOCUMENTS {
        let mut doc = examples[i % examples.len()].clone();
        if let Some(payload) = doc.get_mut("payload").and_then(Value::as_object_mut) {
            if payload.contains_key("sessionId") {
                payload.insert("sessionId".into(), uuid(i).into());
            }
            if i % 20 == 7 {
                // invalid: a required field gone, or a string that is a number
                if i % 40 == 7 {
                    let first = payload.keys().next().cloned();
                    if let Some(key) = first {
                        payload.remove(&key);
                    }
                } else if let Some(v) = payload.values_mut().find(|v| v.is_string()) {
                    *v = Value::from(7);
                }
            }
        }
        serde_json::to_writer(&mut out, &doc)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    drop(out);
    std::fs::rename(&part, path)?;
    Ok(path.metadata()?.len())
}

/// A UUID-shaped id, different for each `i`.
fn uuid(i: usize) -> String {
    let x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!(
        "{:08x}-{:04x}-11ee-{:04x}-{:012x}",
        x >> 32,
        (x >> 16) & 0xffff,
        0x8000 | (x & 0x0fff),
        i
    )
}

/// One run of the CLI: seconds taken, peak memory (kB, from /proc) and standard output.
fn run(bin: &Path, args: &[&str], stdin: Option<&Path>, repeat: u64) -> Result<(f64, u64, String)> {
    let mut cmd = Command::new(bin);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::null());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let started = Instant::now();
    let mut child = cmd.spawn().context("could not start voicehook")?;
    let pid = child.id();
    let feeder = match (stdin, child.stdin.take()) {
        (Some(file), Some(mut pipe)) => {
            let bytes = std::fs::read(file)?;
            Some(std::thread::spawn(move || {
                for _ in 0..repeat {
                    if pipe.write_all(&bytes).is_err() {
                        break;
                    }
                }
            }))
        }
        _ => None,
    };
    let stdout = child.stdout.take().context("stdout")?;
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        if child.try_wait()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let secs = started.elapsed().as_secs_f64();
    if let Some(f) = feeder {
        let _ = f.join();
    }
    Ok((secs, peak, reader.join().unwrap_or_default()))
}

/// The archive figures, printed as a table with ratios measured in this run.
pub fn bench(root: &Path) -> Result<()> {
    crate::sh(
        root,
        "cargo",
        &["build", "--release", "-p", "voicehook-cli", "--quiet"],
    )?;
    let bin = root.join("target/release/voicehook");
    let file: PathBuf = root.join("target/bench/archive.ndjson");
    let bytes = archive(&file)?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let name = file.to_str().context("path")?;
    let best = |threads: usize, syntax: bool| -> Result<f64> {
        let t = threads.to_string();
        let mut args = vec![
            "validate",
            "--summary-only",
            "--format",
            "json",
            "--threads",
            &t,
            name,
        ];
        if syntax {
            args.push("--syntax-only");
        }
        let mut fastest = f64::MAX;
        for _ in 0..3 {
            let (secs, _, out) = run(&bin, &args, None, 1)?;
            let totals: Value = serde_json::from_str(&out).context("the summary")?;
            if totals["documents"] != DOCUMENTS {
                bail!("the summary counts {} documents", totals["documents"]);
            }
            fastest = fastest.min(secs);
        }
        Ok(fastest)
    };
    let one = best(1, false)?;
    let all = best(cores, false)?;
    let syntax_one = best(1, true)?;
    let syntax_all = best(cores, true)?;
    let mb = bytes as f64 / 1e6;
    let docs = DOCUMENTS as f64;
    println!("\narchive: {DOCUMENTS} webhooks (5% invalid), {mb:.0} MB of NDJSON, {cores} cores");
    println!("{:<34} {:>12} {:>10}", "", "documents/s", "MB/s");
    for (what, secs) in [
        ("validate + summary, 1 thread", one),
        ("validate + summary, all cores", all),
        ("syntax-only parse, 1 thread", syntax_one),
        ("syntax-only parse, all cores", syntax_all),
    ] {
        println!("{what:<34} {:>12.0} {:>10.1}", docs / secs, mb / secs);
    }
    println!(
        "all cores / one thread: {:.2}x (goal: >= {:.2}x, 0.8 x {cores} cores)",
        one / all,
        0.8 * cores as f64
    );
    println!(
        "validate + summary / syntax-only parse: {:.0}% on 1 thread, {:.0}% on all cores (goal: >= 40%)",
        100.0 * syntax_one / one,
        100.0 * syntax_all / all
    );
    // Memory: the archive streamed again and again through standard input, about 2 GB.
    let repeat = STREAM_BYTES.div_ceil(bytes);
    let (secs, peak_kb, out) = run(
        &bin,
        &[
            "validate",
            "--ndjson",
            "--summary-only",
            "--format",
            "json",
            "-",
        ],
        Some(&file),
        repeat,
    )?;
    let totals: Value = serde_json::from_str(&out).context("the summary")?;
    println!(
        "memory: {:.2} GB of NDJSON ({} documents) on standard input in {secs:.1} s: peak RSS {:.0} MB (goal: < 200 MB)",
        (bytes * repeat) as f64 / 1e9,
        totals["documents"],
        peak_kb as f64 / 1024.0
    );
    Ok(())
}

/// The pinned source distribution that holds the JUnit XSD the formats are checked against.
const PYTEST_SDIST: &str = "pytest==9.2.0";
const JUNIT_XSD: &str = "pytest-9.2.0/testing/example_scripts/junit-10.xsd";

/// `tests/archive/check.py`: the SARIF, JUnit and row formats read by independent consumers
/// (jsonschema with SARIF's schema, xmlschema with pytest's JUnit XSD, junitparser, DuckDB), in
/// a virtual environment under target/ with the pinned packages of its requirements.txt.
pub fn test(root: &Path) -> Result<()> {
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| crate::have(p))
        .context("the archive format tests need python3 (3.11 or newer) on PATH")?;
    let env_dir = root.join("target/pyenv");
    let py = env_dir.join("bin/python");
    if !py.exists() {
        crate::sh(
            root,
            python,
            &["-m", "venv", env_dir.to_str().context("path")?],
        )
        .context("could not make a virtual environment (Debian: apt-get install python3-venv)")?;
    }
    let py_s = py.to_str().context("path")?;
    let requirements = root.join("tests/archive/requirements.txt");
    crate::sh(
        root,
        py_s,
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            requirements.to_str().context("path")?,
        ],
    )?;
    let xsd = env_dir.join(JUNIT_XSD);
    if !xsd.exists() {
        let downloads = env_dir.join("downloads");
        crate::sh(
            root,
            py_s,
            &[
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-d",
                downloads.to_str().context("path")?,
                PYTEST_SDIST,
            ],
        )?;
        let extract = format!(
            "import tarfile,glob; t=tarfile.open(glob.glob('{}/pytest-*.tar.gz')[0]); t.extract('{JUNIT_XSD}', '{}', filter='data')",
            downloads.display(),
            env_dir.display()
        );
        crate::sh(root, py_s, &["-c", &extract])?;
    }
    crate::sh(root, "cargo", &["build", "--quiet", "-p", "voicehook-cli"])?;
    let bin = root.join("target/debug/voicehook");
    crate::sh_env(
        root,
        py_s,
        &["tests/archive/check.py"],
        &[
            ("VOICEHOOK_BIN", bin.as_path()),
            ("JUNIT_XSD", xsd.as_path()),
        ],
    )
}
