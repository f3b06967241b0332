//! The static page in www/: build it into www/dist/, serve it, and test it end to end.
//!
//! Build: `npm ci` in www/ (CodeMirror and esbuild, pinned by www/package-lock.json), then
//! `node www/build.mjs` bundles www/src/ with the npm package from pkg/ (which `npm::build` wrote
//! just before), copies the .wasm beside the bundle, embeds the documented examples of
//! tests/fixtures/docs/ and prints the page weight.
//!
//! Serve: a small static file server on 127.0.0.1 (GET and HEAD only, no directory listing, no
//! path outside www/dist/).
//!
//! Test: the expected verdict of every documented example is computed here with the Rust core
//! (target/web/expected.json), the built page is served on a free port, and tests/e2e drives it in
//! headless Chromium (playwright-core), comparing what the page shows with what Rust says.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::sh;

/// Builds the static site into www/dist/. Needs pkg/dist/ (built by `npm::build`).
pub fn build(root: &Path) -> Result<()> {
    let www = root.join("www");
    if !root.join("pkg/dist/voicehook_wasm_bg.wasm").exists() {
        bail!("pkg/dist/ is missing: the page bundles the npm package, run `cargo xtask build`");
    }
    crate::npm::npm_ci(&www)?;
    sh(&www, "node", &["build.mjs"])?;
    Ok(())
}

/// Serves www/dist/ on 127.0.0.1 (`--port N`, default 8080) until interrupted.
pub fn serve(root: &Path, args: &[String]) -> Result<()> {
    let mut port: u16 = 8080;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--port") {
            Some("") => args.next().map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => bail!("serve: unknown argument {arg:?} (usage: cargo xtask serve [--port N])"),
        };
        port = value
            .and_then(|v| v.parse().ok())
            .context("serve: --port needs a port number")?;
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("could not listen on 127.0.0.1:{port}"))?;
    println!("voicehook page: http://127.0.0.1:{port}/  (Ctrl-C to stop)");
    accept_loop(listener, root.join("www/dist"));
    Ok(())
}

/// End-to-end tests of the built page in headless Chromium.
pub fn test(root: &Path) -> Result<()> {
    build(root)?;
    let work = root.join("target/web");
    std::fs::create_dir_all(&work)?;
    let expected = work.join("expected.json");
    std::fs::write(
        &expected,
        serde_json::to_string_pretty(&expectations(root)?)?,
    )?;

    let listener = TcpListener::bind(("127.0.0.1", 0)).context("could not listen on 127.0.0.1")?;
    let url = format!("http://127.0.0.1:{}/", listener.local_addr()?.port());
    let dist = root.join("www/dist");
    std::thread::spawn(move || accept_loop(listener, dist));

    let e2e = root.join("tests/e2e");
    crate::npm::npm_ci(&e2e)?;
    let artifacts = root.join("tests/artifacts");
    std::fs::create_dir_all(&artifacts)?;
    crate::browser::run_node(
        &e2e,
        &["--test", "--test-reporter=spec", "--test-concurrency=1"],
        &[
            ("VOICEHOOK_URL", Path::new(&url)),
            ("VOICEHOOK_EXPECTED", &expected),
            ("VOICEHOOK_ARTIFACTS", &artifacts),
            ("VOICEHOOK_ROOT", root),
        ],
    )
}

/// What the Rust core says about every documented example and every edge case, as the page
/// should show it: the manifest entry, the text, and the report for the entry's kind (detected
/// when the entry names none).
fn expectations(root: &Path) -> Result<Value> {
    let mut out = serde_json::Map::new();
    for set in ["docs", "edge"] {
        let mut cases = Vec::new();
        for (entry, path) in fixtures(root, set)? {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let kind = entry["kind"].as_str().and_then(|k| k.parse().ok());
            let options = voicehook::Options {
                kind,
                ..Default::default()
            };
            let report = voicehook::validate_with(text.as_bytes(), &options);
            cases.push(json!({
                "file": entry["file"],
                "kind": kind.map(voicehook::Kind::id),
                "json": entry.get("json").cloned().unwrap_or(Value::Bool(true)),
                "text": text,
                "report": report,
            }));
        }
        out.insert(set.into(), Value::Array(cases));
    }
    Ok(Value::Object(out))
}

/// The entries of tests/fixtures/<set>/manifest.json with the file each names (relative to the
/// fixtures folder or, failing that, to the repository). Empty while the manifest is missing.
fn fixtures(root: &Path, set: &str) -> Result<Vec<(Value, PathBuf)>> {
    let dir = root.join("tests/fixtures").join(set);
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
        return Ok(Vec::new());
    };
    let manifest: Value = serde_json::from_str(&text)
        .with_context(|| format!("tests/fixtures/{set}/manifest.json"))?;
    let entries = manifest
        .as_array()
        .or_else(|| manifest.as_object()?.values().find_map(Value::as_array))
        .cloned()
        .unwrap_or_default();
    Ok(entries
        .into_iter()
        .filter_map(|entry| {
            let file = entry["file"].as_str()?;
            let path = Some(dir.join(file))
                .filter(|p| p.exists())
                .unwrap_or_else(|| root.join(file));
            path.exists().then_some((entry, path))
        })
        .collect())
}

// --- static file server ------------------------------------------------------------------------

fn accept_loop(listener: TcpListener, dir: PathBuf) {
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            // A broken connection concerns only that request.
            let _ = handle(stream, &dir);
        });
    }
}

fn handle(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(64 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Drain the headers; a GET has no body we care about.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
            method,
        );
    }
    match resolve(dir, target) {
        Some(path) => match std::fs::read(&path) {
            Ok(body) => respond(&mut out, "200 OK", content_type(&path), &body, method),
            Err(_) => respond(
                &mut out,
                "404 Not Found",
                "text/plain",
                b"not found\n",
                method,
            ),
        },
        None => respond(
            &mut out,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            method,
        ),
    }
}

fn respond(
    out: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    method: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write_all(head.as_bytes())?;
    if method != "HEAD" {
        out.write_all(body)?;
    }
    out.flush()
}

/// The file a request target names inside `dir`: the query and fragment dropped, percent-escapes
/// decoded, `/` meaning index.html; `None` for anything that would leave `dir` or is not a file.
fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path.strip_prefix('/')?)?;
    let mut file = dir.to_path_buf();
    for component in Path::new(&decoded).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains(['\0', '\\'])).then_some(text)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_inside_the_folder() {
        let dir = std::env::temp_dir().join(format!("voicehook-web-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "x").unwrap();
        std::fs::write(dir.join("sub/a b.js"), "x").unwrap();
        assert_eq!(resolve(&dir, "/"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, "/?q=1#f"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, "/sub/a%20b.js"), Some(dir.join("sub/a b.js")));
        assert_eq!(resolve(&dir, "/../Cargo.toml"), None);
        assert_eq!(resolve(&dir, "/sub/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(&dir, "//etc/passwd"), None);
        assert_eq!(resolve(&dir, "/sub%5c..%5cindex.html"), None);
        assert_eq!(resolve(&dir, "/missing.js"), None);
        assert_eq!(resolve(&dir, "http://x/"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn wasm_has_its_content_type() {
        assert_eq!(
            content_type(Path::new("a/voicehook.wasm")),
            "application/wasm"
        );
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
    }
}
