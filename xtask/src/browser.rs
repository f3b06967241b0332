//! Headless Chromium for the browser tests: Debian's `chromium`, driven by npm `playwright-core`;
//! and Debian's `redis-server` for the receiver's deduplication tests.
//!
//! Playwright's own browser download cannot run here, so every browser test uses the system
//! Chromium: [`ensure_chromium`] installs it when missing (as root, with apt), and [`run_node`]
//! runs a Node script (typically a playwright-core test) with `VOICEHOOK_CHROMIUM` (the executable)
//! and `VOICEHOOK_CHROMIUM_ARGS` (the launch flags, space-separated) in its environment, so
//! scripts launch it with
//! `chromium.launch({ executablePath: process.env.VOICEHOOK_CHROMIUM, args: process.env.VOICEHOOK_CHROMIUM_ARGS.split(' ') })`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Flags every headless launch here needs (no sandbox as root, no GPU, no calls home).
pub const CHROMIUM_ARGS: &[&str] = &[
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
];

/// The Chromium executable: `$VOICEHOOK_CHROMIUM`, else `/usr/bin/chromium`, installed with
/// `apt-get install chromium` when missing and running as root.
pub fn ensure_chromium() -> Result<PathBuf> {
    ensure_debian(
        "VOICEHOOK_CHROMIUM",
        "/usr/bin/chromium",
        "chromium",
        "the browser tests need Chromium",
    )
}

/// The Redis server the deduplication tests start: `$VOICEHOOK_REDIS_SERVER`, else
/// `/usr/bin/redis-server`, installed with `apt-get install redis-server` when missing and
/// running as root.
pub fn ensure_redis() -> Result<PathBuf> {
    ensure_debian(
        "VOICEHOOK_REDIS_SERVER",
        "/usr/bin/redis-server",
        "redis-server",
        "the receiver tests need a Redis server",
    )
}

/// curl, which the page tests run to replay a copied "Copy as cURL" command: `$VOICEHOOK_CURL`,
/// else `/usr/bin/curl`, installed with `apt-get install curl` when missing and running as root.
pub fn ensure_curl() -> Result<PathBuf> {
    ensure_debian(
        "VOICEHOOK_CURL",
        "/usr/bin/curl",
        "curl",
        "the page tests run the copied cURL command",
    )
}

/// `$env_var` when set (it must exist), else `path`, installing Debian's `package` with apt-get
/// when it is missing and this runs as root; otherwise an error that says `why` and what to do.
fn ensure_debian(env_var: &str, path: &str, package: &str, why: &str) -> Result<PathBuf> {
    if let Some(path) = std::env::var_os(env_var).map(PathBuf::from) {
        if path.exists() {
            return Ok(path);
        }
        bail!("{env_var}={} does not exist", path.display());
    }
    let path = PathBuf::from(path);
    if path.exists() {
        return Ok(path);
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root || !crate::have("apt-get") {
        bail!("{why}: install Debian's `{package}` package (or set {env_var} to its executable)");
    }
    let dir = Path::new("/");
    crate::sh(dir, "apt-get", &["update", "-qq"])?;
    crate::sh(
        dir,
        "apt-get",
        &["install", "-y", "-qq", "--no-install-recommends", package],
    )?;
    if !path.exists() {
        bail!(
            "apt-get installed {package}, but {} is still missing",
            path.display()
        );
    }
    Ok(path)
}

/// Runs `node <args>` in `dir` with Chromium ensured and named in the environment
/// (`VOICEHOOK_CHROMIUM`, `VOICEHOOK_CHROMIUM_ARGS`) plus `extra_env`; fails when node fails.
/// `dir` must have `playwright-core` installed by its own package.json.
pub fn run_node(dir: &Path, args: &[&str], extra_env: &[(&str, &Path)]) -> Result<()> {
    let chromium = ensure_chromium()?;
    let curl = ensure_curl()?;
    eprintln!("$ node {}", args.join(" "));
    let status = Command::new("node")
        .args(args)
        .current_dir(dir)
        .env("VOICEHOOK_CHROMIUM", &chromium)
        .env("VOICEHOOK_CURL", &curl)
        .env("VOICEHOOK_CHROMIUM_ARGS", CHROMIUM_ARGS.join(" "))
        .envs(extra_env.iter().map(|(k, v)| (*k, v.as_os_str())))
        .status()
        .context("could not start node")?;
    if !status.success() {
        bail!("`node {}` failed ({status})", args.join(" "));
    }
    Ok(())
}
