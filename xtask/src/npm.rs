//! The wasm build and the npm package in pkg/: `cargo xtask build`, and its tests.
//!
//! Build: `cargo build` of `voicehook-wasm` for `wasm32-unknown-unknown` (profile `wasm-release`),
//! `wasm-bindgen --target web` with a CLI of exactly the crate's pinned version (installed into a
//! cache when missing), `wasm-opt` from npm's `binaryen` (pinned in pkg/package-lock.json), then
//! `pkg/scripts/build.mjs` writes the CommonJS entry, the inlined-wasm module and the TypeScript
//! declarations. Everything generated lands in pkg/dist/ (ignored by git).
//!
//! Test: `npm pack pkg`, install the tarball into a scratch project under target/npm/, and run
//! tests/npm (Node ESM and CommonJS, a plain module script, Vite, webpack and esbuild bundles in
//! headless Chromium, hostile inputs, `tsc --noEmit`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{have, sh};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
const CRATE: &str = "voicehook-wasm";
/// Features of the module Rust emits for wasm32 today; wasm-opt must know them (not `--all-features`,
/// which lets it use encodings Node 20 refuses).
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds the wasm and writes a ready-to-publish pkg/.
pub fn build(root: &Path) -> Result<()> {
    let started = Instant::now();
    need_node()?;
    ensure_target()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    sh(
        root,
        &cargo,
        &[
            "build",
            "--quiet",
            "-p",
            CRATE,
            "--target",
            TARGET,
            "--profile",
            PROFILE,
        ],
    )?;
    let raw = root.join(format!("target/{TARGET}/{PROFILE}/voicehook_wasm.wasm"));
    let pkg = root.join("pkg");
    npm_ci(&pkg)?;

    let work = root.join("target/npm");
    let dist = pkg.join("dist");
    let optimized = work.join("voicehook_wasm_bg.wasm");
    let glue = work.join("voicehook_wasm.js");
    let input_copy = work.join("input.wasm");
    // wasm-bindgen and wasm-opt only run when the compiled module changed.
    let fresh = optimized.exists()
        && glue.exists()
        && std::fs::read(&input_copy).ok()
            == Some(std::fs::read(&raw).with_context(|| format!("reading {}", raw.display()))?);
    if !fresh {
        let bindgen = wasm_bindgen_cli(root)?;
        let out = work.join("bindgen");
        let _ = std::fs::remove_dir_all(&out);
        sh(
            root,
            path_str(&bindgen)?,
            &[
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "voicehook_wasm",
                "--out-dir",
                path_str(&out)?,
                path_str(&raw)?,
            ],
        )?;
        let mut args = vec![
            path_str(&pkg.join("node_modules/binaryen/bin/wasm-opt"))?.to_owned(),
            path_str(&out.join("voicehook_wasm_bg.wasm"))?.to_owned(),
            "-o".into(),
            path_str(&optimized)?.to_owned(),
            "-O3".into(),
            "--strip-debug".into(),
            "--strip-producers".into(),
        ];
        args.extend(WASM_FEATURES.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        sh(root, "node", &args)?;
        std::fs::copy(out.join("voicehook_wasm.js"), &glue)?;
        std::fs::copy(&raw, &input_copy)?;
    }

    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist)?;
    std::fs::copy(&optimized, dist.join("voicehook_wasm_bg.wasm"))?;
    std::fs::copy(&glue, dist.join("voicehook_wasm.js"))?;
    let extra = work.join("schemas");
    write_result_schemas(&extra)?;
    sh(
        &pkg,
        "node",
        &[
            "scripts/build.mjs",
            path_str(&dist)?,
            path_str(&root.join("crates/voicehook/schemas"))?,
            path_str(&extra)?,
        ],
    )?;
    eprintln!("pkg: built in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Tests the packed npm package in every supported environment.
pub fn test(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    ensure_target()?;
    sh(
        root,
        &cargo,
        &[
            "clippy", "--quiet", "-p", CRATE, "--target", TARGET, "--", "-D", "warnings",
        ],
    )?;
    build(root)?;
    let tests = root.join("tests/npm");
    npm_ci(&tests)?;
    let tarball = pack(root)?;
    let scratch = root.join("target/npm/scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    std::fs::write(
        scratch.join("package.json"),
        "{ \"name\": \"voicehook-scratch\", \"private\": true, \"type\": \"module\" }\n",
    )?;
    sh(
        &scratch,
        "npm",
        &[
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            path_str(&tarball)?,
        ],
    )?;
    let redis = crate::browser::ensure_redis()?;
    crate::browser::run_node(
        &tests,
        &["--test", "--test-reporter=spec", "--test-concurrency=1"],
        &[
            ("VOICEHOOK_SCRATCH", &scratch),
            ("VOICEHOOK_ROOT", root),
            ("VOICEHOOK_REDIS_SERVER", &redis),
        ],
    )?;
    Ok(())
}

/// `cargo xtask bench-js`: voicehook against ajv in one Node process (tests/npm/bench.mjs).
pub fn bench(root: &Path) -> Result<()> {
    build(root)?;
    let tests = root.join("tests/npm");
    npm_ci(&tests)?;
    sh(&tests, "node", &["bench.mjs"])
}

/// `npm pack pkg` into target/npm/; returns the tarball.
fn pack(root: &Path) -> Result<PathBuf> {
    let dest = root.join("target/npm");
    std::fs::create_dir_all(&dest)?;
    eprintln!("$ npm pack --pack-destination {}", dest.display());
    let out = Command::new("npm")
        .args(["pack", "--silent", "--pack-destination", path_str(&dest)?])
        .current_dir(root.join("pkg"))
        .output()
        .context("could not start npm")?;
    if !out.status.success() {
        bail!("npm pack failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let name = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let tarball = dest.join(&name);
    if name.is_empty() || !tarball.exists() {
        bail!("npm pack wrote no tarball (it printed {name:?})");
    }
    Ok(tarball)
}

/// The JSON Schemas of the result types (Report, Detection, Diagnostic, Lookup, Kind...), for the
/// TypeScript types. They describe what the core writes, so they follow the serialize contract
/// (canonical spellings only; a field that is always written is required).
fn write_result_schemas(dir: &Path) -> Result<()> {
    fn write<T: schemars::JsonSchema>(dir: &Path, name: &str) -> Result<()> {
        let schema = schemars::generate::SchemaSettings::default()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<T>();
        std::fs::write(
            dir.join(format!("{name}.schema.json")),
            serde_json::to_string_pretty(&schema)?,
        )?;
        Ok(())
    }
    std::fs::create_dir_all(dir)?;
    write::<voicehook::Report>(dir, "report")?;
    write::<voicehook::decode::Decoded>(dir, "decoded")?;
    write::<voicehook::codes::Explanation>(dir, "explanation")?;
    write::<voicehook::codes::Lookup>(dir, "lookup")?;
    write::<voicehook::parse::Repaired>(dir, "repaired")?;
    write::<voicehook::catalog::Rule>(dir, "rule")?;
    write::<voicehook::detect::Detection>(dir, "detection")?;
    write::<voicehook::call::Event>(dir, "call-event")?;
    write::<voicehook::call::Waiting>(dir, "call-state")?;
    // The script is an input: its schema is what it accepts (fields with defaults optional).
    let script = schemars::generate::SchemaSettings::default()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<voicehook::call::Script>();
    std::fs::write(
        dir.join("call-script.schema.json"),
        serde_json::to_string_pretty(&script)?,
    )?;
    Ok(())
}

/// `npm ci` in `dir`, skipped when node_modules already matches the lockfile.
pub(crate) fn npm_ci(dir: &Path) -> Result<()> {
    let lock = std::fs::read(dir.join("package-lock.json"))
        .with_context(|| format!("{}/package-lock.json is missing", dir.display()))?;
    let stamp = dir.join("node_modules/.voicehook-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(&lock[..]) {
        return Ok(());
    }
    sh(
        dir,
        "npm",
        &["ci", "--no-audit", "--no-fund", "--loglevel=error"],
    )?;
    std::fs::write(stamp, lock)?;
    Ok(())
}

fn need_node() -> Result<()> {
    if !have("node") || !have("npm") {
        bail!("building the npm package needs node (20 or later) and npm on PATH");
    }
    Ok(())
}

/// `rustup target add wasm32-unknown-unknown` when it is missing.
fn ensure_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == TARGET)
        })
        .unwrap_or(false);
    if !installed {
        sh(Path::new("."), "rustup", &["target", "add", TARGET])?;
    }
    Ok(())
}

/// The version the wasm crate pins with `wasm-bindgen = "=X.Y.Z"`.
fn pinned_bindgen_version(root: &Path) -> Result<String> {
    let manifest = std::fs::read_to_string(root.join("crates/voicehook-wasm/Cargo.toml"))?;
    manifest
        .lines()
        .find_map(|l| {
            let rest = l.trim().strip_prefix("wasm-bindgen")?.trim_start().strip_prefix('=')?;
            Some(rest.trim().trim_matches('"').strip_prefix('=')?.to_owned())
        })
        .context("crates/voicehook-wasm/Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = \"=0.2.x\")")
}

/// A `wasm-bindgen` CLI of exactly the pinned version: on PATH, in the cache, or installed there.
fn wasm_bindgen_cli(root: &Path) -> Result<PathBuf> {
    let version = pinned_bindgen_version(root)?;
    let want = format!("wasm-bindgen {version}");
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| root.join("target"))
        .join(format!("voicehook/tools/wasm-bindgen-cli-{version}"));
    let cached = cache.join("bin/wasm-bindgen");
    for candidate in [PathBuf::from("wasm-bindgen"), cached.clone()] {
        let reported = Command::new(&candidate).arg("--version").output();
        if reported.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == want) {
            return Ok(candidate);
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let base = [
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
        "--root",
        path_str(&cache)?,
    ];
    // --locked first; the CLI's lockfile can name a crate version the registry no longer serves.
    let locked: Vec<&str> = base.iter().copied().chain(["--locked"]).collect();
    if sh(root, &cargo, &locked).is_err() {
        eprintln!("xtask: retrying without --locked");
        sh(root, &cargo, &base)?;
    }
    Ok(cached)
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .with_context(|| format!("non-UTF-8 path {}", path.display()))
}
