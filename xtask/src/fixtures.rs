//! `cargo xtask fixtures`: extracts every JSON example of the 8x8 pages into tests/fixtures/docs/.

use std::path::Path;

use anyhow::Result;

/// Re-extracts the doc fixtures and their manifest.
pub fn run(root: &Path) -> Result<()> {
    let _ = root;
    anyhow::bail!("not written yet")
}
