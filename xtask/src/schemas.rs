//! `cargo xtask schemas`: writes schemas/<kind>.schema.json (what validation checks) and
//! schemas/canonical/<kind>.schema.json (the document as `parse` hands it over) from the Rust
//! models.

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
    let canonical = dir.join("canonical");
    std::fs::create_dir_all(&canonical)?;
    for kind in Kind::ALL {
        let path = canonical.join(format!("{}.schema.json", kind.id()));
        std::fs::write(&path, voicehook::schema::render_canonical(kind))
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
