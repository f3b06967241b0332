//! The static page in www/: build to www/dist/, serve it, and its browser tests.

use std::path::Path;

use anyhow::Result;

/// Builds the static site into www/dist/.
pub fn build(root: &Path) -> Result<()> {
    let _ = root;
    Ok(())
}

/// Serves www/dist/ on 127.0.0.1.
pub fn serve(root: &Path, args: &[String]) -> Result<()> {
    let _ = (root, args);
    println!("The web page is not built yet.");
    Ok(())
}

/// End-to-end tests of the page in headless Chromium.
pub fn test(root: &Path) -> Result<()> {
    let _ = root;
    Ok(())
}
