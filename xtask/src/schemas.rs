//! `cargo xtask schemas`: writes schemas/<kind>.schema.json (what validation checks) and
//! schemas/canonical/<kind>.schema.json (the document as `parse` hands it over) from the Rust
//! models, and crates/voicehook/fixtures/documented.json (the documented examples the crate
//! ships) from tests/fixtures/docs.

use std::path::Path;

use anyhow::{Context, Result};
use voicehook::Kind;

/// Regenerates every schema file.
pub fn write(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    for kind in Kind::ALL {
        let path = dir.join(format!("{}.schema.json", kind.id()));
        std::fs::write(&path, voicehook::schema::render(kind))
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    // The documented examples the crate ships (voicehook::fixtures), from tests/fixtures/docs.
    let crate_dir = dir.parent().context("the schemas folder is in the crate")?;
    let root = crate_dir.join("../..");
    let documented = voicehook::fixtures::render_documented(&root.join("tests/fixtures/docs"))
        .context("reading tests/fixtures/docs")?;
    let path = crate_dir.join("fixtures/documented.json");
    std::fs::create_dir_all(crate_dir.join("fixtures"))?;
    std::fs::write(&path, documented).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    let canonical = dir.join("canonical");
    std::fs::create_dir_all(&canonical)?;
    for kind in Kind::ALL {
        let path = canonical.join(format!("{}.schema.json", kind.id()));
        std::fs::write(&path, voicehook::schema::render_canonical(kind))
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    // The sandbox's scenario files, from the CLI (the sandbox's HTTP stack stays out of xtask).
    let root = root.canonicalize()?;
    let output = std::process::Command::new("cargo")
        .args([
            "run",
            "-q",
            "-p",
            "voicehook-cli",
            "--",
            "sandbox",
            "--schema",
        ])
        .current_dir(&root)
        .output()
        .context("running cargo run -p voicehook-cli -- sandbox --schema")?;
    anyhow::ensure!(
        output.status.success(),
        "voicehook sandbox --schema failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = root.join("crates/voicehook-sandbox/scenario.schema.json");
    std::fs::write(&path, &output.stdout).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}
