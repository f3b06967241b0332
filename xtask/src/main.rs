//! `cargo xtask <task>`: every task a newcomer runs. See `cargo xtask help`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

mod browser;
mod bulk;
mod facts;
mod fixtures;
mod fuzz;
mod npm;
mod schemas;
mod web;

const HELP: &str = "\
usage: cargo xtask <task>

tasks:
  test       run every test the project has (Rust, Node, Python, browser); what CI runs
  test-archive  only the archive formats read by SARIF's schema, a JUnit XSD and DuckDB (Python)
  test-npm   only the npm package stage: build, pack, test in Node, Chromium and bundlers
  test-web   only the page stage: build, serve on a free port, test in Chromium
  bench      validate's speed against a syntax-only parse and Value + jsonschema (MB/s, ratios),
             then bench-archive
  bench-archive  a 200k-webhook NDJSON archive on one thread and all cores against a syntax-only
             parse; the peak memory of a 2 GB stream
  bench-js   the npm package against ajv over the documented examples; .wasm size
  schemas    regenerate crates/voicehook/schemas/ from the Rust models
  package    cargo package the core and the CLI, and run the core's doctests from its tarball
  fixtures   re-extract tests/fixtures/{docs,openapi}/ and the reference facts from the 8x8 pages
             (--check: fail when the committed ones drift from the pages; skipped without them)
  fuzz       cargo-fuzz targets, one after the other (TARGET..., --seconds N; installs cargo-fuzz)
  build      build the wasm, the npm package (pkg/) and the page (www/dist/)
  serve      build everything and serve the page on http://127.0.0.1:8080 (--port N)
  help       this text
";

fn main() {
    if let Err(err) = run() {
        eprintln!("xtask: {err:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    match task {
        "test" => test(),
        "test-npm" => npm::test(&root()),
        "test-web" => {
            npm::build(&root())?;
            web::test(&root())
        }
        "bench" => {
            sh(
                &root(),
                "cargo",
                &["bench", "-p", "voicehook", "--bench", "validate"],
            )?;
            sh(
                &root(),
                "cargo",
                &["bench", "-p", "voicehook", "--bench", "growth"],
            )?;
            bulk::bench(&root())
        }
        "bench-archive" => bulk::bench(&root()),
        "test-archive" => bulk::test(&root()),
        "bench-js" => npm::bench(&root()),
        "package" => packaged(&root()),
        "schemas" => schemas::write(&root().join("crates/voicehook/schemas")),
        "fixtures" => fixtures::run(&root(), &args[1..]),
        "fuzz" => fuzz::run(&root(), &args[1..]),
        "build" => {
            npm::build(&root())?;
            web::build(&root())
        }
        "serve" => {
            npm::build(&root())?;
            web::build(&root())?;
            web::serve(&root(), &args[1..])
        }
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => bail!("unknown task {other:?}\n\n{HELP}"),
    }
}

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Runs a command in `dir`, echoing it, and fails when it fails.
pub fn sh(dir: &Path, program: &str, args: &[&str]) -> Result<()> {
    sh_env(dir, program, args, &[])
}

/// [`sh`] with `env` added to the program's environment.
pub fn sh_env(dir: &Path, program: &str, args: &[&str], env: &[(&str, &Path)]) -> Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())))
        .current_dir(dir)
        .status()
        .with_context(|| format!("could not start {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// True when `program --version` runs.
pub fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn test() -> Result<()> {
    let root = root();
    sh(&root, "cargo", &["fmt", "--all", "--", "--check"])?;
    sh(
        &root,
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // The axum receiver's Redis store is tested against a real server (its `redis` feature).
    let redis = browser::ensure_redis()?;
    let env = [("VOICEHOOK_REDIS_SERVER", redis.as_path())];
    if have("cargo-nextest") {
        sh_env(
            &root,
            "cargo",
            &[
                "nextest",
                "run",
                "--workspace",
                "--all-features",
                "--no-fail-fast",
            ],
            &env,
        )?;
        sh(&root, "cargo", &["test", "--workspace", "--doc", "--quiet"])?;
    } else {
        sh_env(
            &root,
            "cargo",
            &["test", "--workspace", "--all-features", "--quiet"],
            &env,
        )?;
    }
    // The committed fixtures and reference facts against the 8x8 pages, when they are beside us.
    eprintln!("$ cargo xtask fixtures --check");
    fixtures::run(&root, &["--check".to_owned()])?;
    rustdoc(&root)?;
    packaged(&root)?;
    node_tests(&root)?;
    sandbox_tests(&root)?;
    bulk::test(&root)?;
    npm::test(&root)?;
    web::test(&root)?;
    Ok(())
}

/// `cargo doc` of the published crates, with every rustdoc warning an error.
fn rustdoc(root: &Path) -> Result<()> {
    eprintln!(
        "$ RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --all-features -p voicehook -p voicehook-cli -p voicehook-axum -p voicehook-sandbox"
    );
    let status = Command::new("cargo")
        .args([
            "doc",
            "--quiet",
            "--no-deps",
            "--all-features",
            "-p",
            "voicehook",
            "-p",
            "voicehook-cli",
            "-p",
            "voicehook-axum",
            "-p",
            "voicehook-sandbox",
        ])
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(root)
        .status()
        .context("could not start cargo doc")?;
    if !status.success() {
        bail!("`cargo doc` found documentation problems ({status})");
    }
    Ok(())
}

/// Where `cargo package` builds what it verifies: a target folder of its own, so that nothing else
/// builds a `voicehook` there.
const PACKAGE_TARGET: &str = "target/package-check";

/// Forgets what earlier `cargo package` runs made of the crates. Packaging the CLI builds it
/// against the just-packaged core from a temporary local registry, and cargo treats a registry
/// crate as never changing: it unpacks it once under `$CARGO_HOME/registry/src/-<hash>/` (a local
/// registry's folder has no host name, so it starts with `-`) and builds it once. After the core
/// changed, the CLI would be checked against the core as it was at the first run.
fn forget_packaged(root: &Path) -> Result<()> {
    let version = env!("CARGO_PKG_VERSION");
    let built = root.join(PACKAGE_TARGET).join("debug");
    for folder in [".fingerprint", "deps", "build"] {
        let Ok(entries) = std::fs::read_dir(built.join(folder)) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("voicehook") || name.starts_with("libvoicehook") {
                let path = entry.path();
                let removed = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                removed.with_context(|| format!("could not remove {}", path.display()))?;
            }
        }
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else {
        return Ok(());
    };
    for registry in registries.filter_map(|e| e.ok()) {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for name in ["voicehook", "voicehook-sandbox", "voicehook-cli"] {
            let unpacked = registry.path().join(format!("{name}-{version}"));
            if unpacked.exists() {
                std::fs::remove_dir_all(&unpacked)
                    .with_context(|| format!("could not remove {}", unpacked.display()))?;
            }
        }
    }
    Ok(())
}

/// The crates as they would be published: `cargo package` builds each from its tarball alone,
/// and the core's doctests pass from its tarball, unpacked outside this repository.
fn packaged(root: &Path) -> Result<()> {
    forget_packaged(root)?;
    sh(
        root,
        "cargo",
        &[
            "package",
            "--quiet",
            "--allow-dirty",
            "--target-dir",
            PACKAGE_TARGET,
            "-p",
            "voicehook",
            "-p",
            "voicehook-sandbox",
            "-p",
            "voicehook-cli",
        ],
    )?;
    // The workspace's version is xtask's too.
    let tarball = root.join(PACKAGE_TARGET).join(format!(
        "package/voicehook-{}.crate",
        env!("CARGO_PKG_VERSION")
    ));
    if !tarball.exists() {
        bail!("cargo package wrote no {}", tarball.display());
    }
    let scratch = std::env::temp_dir().join("voicehook-package-check");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    sh(
        &scratch,
        "tar",
        &["xzf", tarball.to_str().context("a UTF-8 path")?],
    )?;
    let unpacked = std::fs::read_dir(&scratch)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.is_dir())
        .context("the tarball holds no directory")?;
    // The target folder cargo package verified in: the dependencies are built already, the crate
    // itself is not (forget_packaged removed it).
    eprintln!("$ cargo test --doc (in {})", unpacked.display());
    let status = Command::new("cargo")
        .args(["test", "--doc", "--quiet"])
        .env("CARGO_TARGET_DIR", root.join(PACKAGE_TARGET))
        .current_dir(&unpacked)
        .status()
        .context("could not start cargo test")?;
    if !status.success() {
        bail!("the packaged crate's doctests failed ({status})");
    }
    Ok(())
}

/// The Node test suite in tests/node (ajv oracle), with its pinned packages.
/// The sandbox end to end: the `voicehook` binary drives the small Node apps of
/// tests/sandbox (no npm dependencies).
fn sandbox_tests(root: &Path) -> Result<()> {
    if !have("node") {
        bail!("the sandbox tests need node on PATH");
    }
    sh(root, "cargo", &["build", "--quiet", "-p", "voicehook-cli"])?;
    let bin = root.join("target/debug/voicehook");
    sh_env(
        &root.join("tests/sandbox"),
        "node",
        &["--test", "--test-reporter=spec"],
        &[("VOICEHOOK_BIN", bin.as_path())],
    )
}

fn node_tests(root: &Path) -> Result<()> {
    let dir = root.join("tests/node");
    if !dir.join("package.json").exists() {
        return Ok(());
    }
    if !have("node") || !have("npm") {
        bail!("the Node tests need node and npm on PATH");
    }
    npm::npm_ci(&dir)?;
    sh(&dir, "node", &["--test", "--test-reporter=spec"])?;
    Ok(())
}
