//! Headless Chromium for the browser tests: Debian's `chromium`, driven by npm `playwright-core`.
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
    if let Some(path) = std::env::var_os("VOICEHOOK_CHROMIUM").map(PathBuf::from) {
        if path.exists() {
            return Ok(path);
        }
        bail!("VOICEHOOK_CHROMIUM={} does not exist", path.display());
    }
    let path = PathBuf::from("/usr/bin/chromium");
    if path.exists() {
        return Ok(path);
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root || !crate::have("apt-get") {
        bail!(
            "the browser tests need Chromium: install Debian's `chromium` package \
             (or set VOICEHOOK_CHROMIUM to a Chromium executable)"
        );
    }
    let dir = Path::new("/");
    crate::sh(dir, "apt-get", &["update", "-qq"])?;
    crate::sh(
        dir,
        "apt-get",
        &[
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "chromium",
        ],
    )?;
    if !path.exists() {
        bail!(
            "apt-get installed chromium, but {} is still missing",
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
    eprintln!("$ node {}", args.join(" "));
    let status = Command::new("node")
        .args(args)
        .current_dir(dir)
        .env("VOICEHOOK_CHROMIUM", &chromium)
        .env("VOICEHOOK_CHROMIUM_ARGS", CHROMIUM_ARGS.join(" "))
        .envs(extra_env.iter().map(|(k, v)| (*k, v.as_os_str())))
        .status()
        .context("could not start node")?;
    if !status.success() {
        bail!("`node {}` failed ({status})", args.join(" "));
    }
    Ok(())
}
