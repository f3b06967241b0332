//! `cargo xtask fixtures`: extracts every JSON example of the 8x8 pages into tests/fixtures/docs/,
//! the OpenAPI examples into tests/fixtures/openapi/, and the facts the code tables must agree
//! with into tests/fixtures/reference/facts.json (see [`crate::facts`]).
//!
//! The reference is read from `$VOICEHOOK_REFERENCE`, or else `<root>/../shared/reference`.
//! `cargo xtask fixtures --check` is the drift check: it extracts everything to memory and fails,
//! naming each file (and each fact) that differs from the committed one, and the command that
//! rewrites them. Without the reference it says it was skipped and succeeds, since the committed
//! files are then all there is to check against.
//! Each JSON example of each page of `8x8-voice-docs/` becomes
//! `tests/fixtures/docs/<page-stem>.<n>.json` (`n` counts the extracted blocks of that page from 1),
//! holding the block's bytes exactly as the page prints them, and one entry of
//! `tests/fixtures/docs/manifest.json`:
//!
//! ```json
//! {"file": "ivr--simple-ivr.1.json", "page": "ivr--simple-ivr.md", "line": 42,
//!  "heading": "Sample request", "json": true, "kind": "callflow", "note": "..."}
//! ```
//!
//! Which fences count as a JSON example (decided page by page, see [`is_json_fence`]):
//! fences whose info string is `json` (with backticks or tildes; the Voice Messaging guide uses
//! `~~~json`), and fences with a `jsonc`, `json5`, `javascript`, `js` or empty info string, or
//! `text`, when their content starts with `{` or `[`. The pages hold no such fence today: their
//! `text` fences are HTTP request lines and an illustrated flow, the `bash` fence is a curl command
//! whose `-d` body repeats the guide's complete TTS example, and the `python` fence is a program.
//! Those are left out on purpose.
//!
//! The run is deterministic: pages in name order, fixed JSON formatting, and stale fixtures of
//! earlier runs removed, so running it twice changes nothing (and `--check` passes after it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::facts;

/// Kinds a page's context settles where the shape alone cannot, keyed by fixture file name:
/// `(file, kind, reason)`. Without an override a `{callflow: [...]}` document is a Send Callflow
/// body when it carries `validUntil` and a VCA reply otherwise; these two bodies lack
/// `validUntil` yet are what the page POSTs to the callflows endpoint.
const OVERRIDES: &[(&str, Option<&str>, &str)] = &[
    (
        "ivr--advanced-ivr.1.json",
        Some("callflow"),
        "the page's initial API call: the body POSTed to the callflows endpoint, not a reply to a VCA",
    ),
    (
        "ivr--simple-ivr.1.json",
        Some("callflow"),
        "the page's initial API call: the body POSTed to the callflows endpoint, not a reply to a VCA",
    ),
];

/// The folders the command owns, relative to the repository: every `.json` file in them is
/// generated, so a file no page produces any more is stale.
const OWNED: [&str; 3] = [
    "tests/fixtures/docs",
    "tests/fixtures/openapi",
    "tests/fixtures/reference",
];

/// `cargo xtask fixtures [--check]`: re-extracts the doc fixtures, the OpenAPI fixtures and the
/// reference facts; with `--check`, compares them with the committed files instead and fails
/// naming each difference (skipped, with a message, when the reference is absent).
pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => bail!("usage: cargo xtask fixtures [--check]"),
    };
    let (reference, shown) = reference_dir(root);
    if !reference.join("8x8-voice-docs").is_dir() {
        if check {
            eprintln!("reference drift check skipped: {shown} not found (set VOICEHOOK_REFERENCE)");
            return Ok(());
        }
        bail!(
            "no 8x8 reference at {shown} (expected an 8x8-voice-docs folder there); set VOICEHOOK_REFERENCE"
        );
    }
    let generated = generate(&reference)?;
    if check {
        compare(root, &generated, &shown)
    } else {
        write(root, &generated)
    }
}

/// What one run produces: file contents by path relative to the repository, and counts to show.
struct Generated {
    files: BTreeMap<String, Vec<u8>>,
    summary: Vec<String>,
}

/// Every generated file, in memory.
fn generate(reference: &Path) -> Result<Generated> {
    let pages_dir = reference.join("8x8-voice-docs");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&pages_dir)
        .with_context(|| format!("reading {}", pages_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "mdx"))
        .collect();
    pages.sort();

    let mut files = BTreeMap::new();
    let mut manifest = Vec::new();
    let mut written = Vec::new();
    for page in &pages {
        let page_name = file_name(page);
        let stem = page
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let text =
            std::fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
        for (n, block) in blocks(&text).into_iter().enumerate() {
            let file = format!("{stem}.{}.json", n + 1);
            files.insert(
                format!("tests/fixtures/docs/{file}"),
                block.content.clone().into_bytes(),
            );
            let entry = describe(&file, &page_name, &block);
            manifest.push(entry);
            written.push(file);
        }
    }
    for (file, _, _) in OVERRIDES {
        if !written.iter().any(|w| w == file) {
            bail!("the override for {file} names no extracted fixture");
        }
    }
    files.insert(
        "tests/fixtures/docs/manifest.json".to_owned(),
        pretty(&Value::Array(manifest))?,
    );
    let mut summary = vec![format!(
        "{} JSON examples from {} pages in tests/fixtures/docs",
        written.len(),
        pages.len()
    )];
    summary.extend(openapi(reference, &mut files)?);
    files.insert(FACTS.to_owned(), pretty(&facts::extract(reference)?)?);
    summary.push(format!("the reference facts in {FACTS}"));
    Ok(Generated { files, summary })
}

/// The committed reference facts, relative to the repository.
const FACTS: &str = "tests/fixtures/reference/facts.json";

/// Pretty JSON with a final newline.
fn pretty(value: &Value) -> Result<Vec<u8>> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// Writes every generated file and removes the stale ones.
fn write(root: &Path, generated: &Generated) -> Result<()> {
    for dir in OWNED {
        std::fs::create_dir_all(root.join(dir))?;
    }
    for (rel, bytes) in &generated.files {
        let path = root.join(rel);
        if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    for stale in stale(root, generated)? {
        std::fs::remove_file(root.join(&stale))?;
    }
    for line in &generated.summary {
        eprintln!("{line}");
    }
    Ok(())
}

/// The `.json` files of the owned folders that this run does not produce.
fn stale(root: &Path, generated: &Generated) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for dir in OWNED {
        let Ok(read) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in read {
            let name = file_name(&entry?.path());
            let rel = format!("{dir}/{name}");
            if name.ends_with(".json") && !generated.files.contains_key(&rel) {
                found.push(rel);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Compares the generated files with the committed ones and fails naming every difference.
fn compare(root: &Path, generated: &Generated, shown: &str) -> Result<()> {
    let mut problems = Vec::new();
    for (rel, bytes) in &generated.files {
        match std::fs::read(root.join(rel)) {
            Err(_) => problems.push(format!("{rel}: missing (the reference produces it)")),
            Ok(committed) if committed != *bytes => {
                if rel == FACTS {
                    let committed: Value = serde_json::from_slice(&committed)
                        .with_context(|| format!("{rel} is not JSON"))?;
                    let fresh: Value = serde_json::from_slice(bytes)?;
                    let lines = facts::diff(&committed, &fresh, 20);
                    if lines.is_empty() {
                        problems.push(format!("{rel}: formatting differs"));
                    }
                    problems.extend(lines.into_iter().map(|l| format!("{rel}: {l}")));
                } else {
                    problems.push(format!("{rel}: differs from what the reference gives"));
                }
            }
            Ok(_) => {}
        }
    }
    for rel in stale(root, generated)? {
        problems.push(format!("{rel}: stale (no page produces it any more)"));
    }
    if problems.is_empty() {
        eprintln!(
            "reference drift check: the committed fixtures match {shown} ({})",
            generated.summary.join("; ")
        );
        return Ok(());
    }
    let facts_changed = problems.iter().any(|p| p.starts_with(FACTS));
    let mut fix = "run `cargo xtask fixtures` to rewrite them".to_owned();
    if facts_changed {
        fix.push_str(
            ", then make the code tables in crates/voicehook/src/codes/ agree with the new facts \
             (`cargo test -p voicehook --lib codes` names each code that disagrees)",
        );
    }
    bail!(
        "the committed fixtures differ from the 8x8 reference at {shown}:\n  {}\n{fix}",
        problems.join("\n  ")
    )
}

/// `$VOICEHOOK_REFERENCE`, or the reference folder beside the repository, with how to show it.
fn reference_dir(root: &Path) -> (PathBuf, String) {
    match std::env::var_os("VOICEHOOK_REFERENCE") {
        Some(dir) => {
            let shown = dir.to_string_lossy().into_owned();
            (PathBuf::from(dir), shown)
        }
        None => (
            root.join("../shared/reference"),
            "../shared/reference".to_owned(),
        ),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned()
}

/// One fenced code block of a page.
#[derive(Debug)]
struct Block {
    /// The fence's info string (`json`, `text`, ...), lower-cased.
    info: String,
    /// 1-based line of the first content line.
    line: usize,
    /// The nearest markdown heading above the fence (the front-matter title when none is).
    heading: Option<String>,
    /// The lines between the fences, each with its line ending, exactly as printed.
    content: String,
}

/// The JSON examples among the fenced code blocks of a page (CommonMark fences: three or more
/// backticks or tildes, indented at most three spaces, closed by the same character at least
/// as many times).
fn blocks(text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    // Before the first heading, the page's front-matter title stands for it.
    let mut heading = front_matter_title(text);
    let mut open: Option<(char, usize, Block)> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let indent = bare.len() - bare.trim_start_matches(' ').len();
        let rest = &bare[indent..];
        let fence = (indent <= 3)
            .then(|| {
                let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
                let len = rest.len() - rest.trim_start_matches(ch).len();
                (len >= 3).then_some((ch, len))
            })
            .flatten();
        match (&mut open, fence) {
            (Some((ch, len, _)), Some((c, l)))
                if c == *ch && l >= *len && rest[l..].trim().is_empty() =>
            {
                let (_, _, block) = open.take().expect("an open fence");
                if is_json_fence(&block) {
                    found.push(block);
                }
            }
            (Some((_, _, block)), _) => block.content.push_str(line),
            (None, Some((ch, len))) => {
                let info = rest[len..].trim().to_lowercase();
                let block = Block {
                    info,
                    line: i + 2,
                    heading: heading.clone(),
                    content: String::new(),
                };
                open = Some((ch, len, block));
            }
            (None, None) => {
                if indent <= 3 && rest.starts_with('#') {
                    let level = rest.len() - rest.trim_start_matches('#').len();
                    let title = &rest[level..];
                    if level <= 6 && (title.is_empty() || title.starts_with(' ')) {
                        let title = title.trim().trim_end_matches('#').trim();
                        heading = Some(title.to_owned());
                    }
                }
            }
        }
    }
    found
}

/// The `title:` of a page's YAML front matter, unquoted.
fn front_matter_title(text: &str) -> Option<String> {
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    lines
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("title:"))
        .map(|t| t.trim().trim_matches(['"', '\'']).to_owned())
}

/// Whether a fence holds a JSON example: a `json` info string, or a JSON-like or empty one
/// (`jsonc`, `json5`, `javascript`, `js`, `text`, none) around content that opens an object or
/// an array. `bash` and `python` fences are programs, even when they embed JSON.
fn is_json_fence(block: &Block) -> bool {
    let lang = block.info.split_whitespace().next().unwrap_or("");
    match lang {
        "json" => true,
        "" | "jsonc" | "json5" | "javascript" | "js" | "text" => {
            block.content.trim_start().starts_with(['{', '['])
        }
        _ => false,
    }
}

/// The manifest entry of one extracted block.
fn describe(file: &str, page: &str, block: &Block) -> Value {
    let parsed = serde_json::from_str::<Value>(&block.content);
    let mut notes = Vec::new();
    // What the block means, read leniently when it is not JSON as printed.
    let value = match &parsed {
        Ok(value) => Some(value.clone()),
        Err(e) => {
            let (value, repairs) = repair(&block.content);
            let what = if repairs.is_empty() {
                format!("not JSON as printed ({e})")
            } else {
                format!("not JSON as printed: {}", repairs.join(", "))
            };
            notes.push(what);
            value
        }
    };
    let mut kind = value.as_ref().and_then(classify);
    if let Some((_, forced, reason)) = OVERRIDES.iter().find(|(f, _, _)| *f == file) {
        kind = *forced;
        notes.push(format!("kind set by hand: {reason}"));
    } else if kind == Some("vca-reply") {
        let why = if value
            .as_ref()
            .is_some_and(|v| v.get("clientActionId").is_some())
        {
            "a callflow with clientActionId, which only a reply to a VCA carries"
        } else {
            "a callflow without validUntil that the page returns to a VCA"
        };
        notes.push(why.to_owned());
    }
    if kind.is_none() {
        notes.push(match &value {
            Some(v) => why_no_kind(v),
            None => "kind unknown: the block cannot be read even leniently".to_owned(),
        });
    }
    if let Some(v) = &value {
        notes.extend(placeholders(v));
        notes.extend(contradictions(kind, v, parsed.is_ok()));
    }
    json!({
        "file": file,
        "page": page,
        "line": block.line,
        "heading": block.heading,
        "json": parsed.is_ok(),
        "kind": kind,
        "note": notes.join("; "),
    })
}

/// The kind id a document's shape says it is, or `None` for a fragment.
fn classify(value: &Value) -> Option<&'static str> {
    let obj = value.as_object()?;
    if let Some(event) = obj.get("eventType").and_then(Value::as_str) {
        if obj.get("namespace").and_then(Value::as_str) != Some("VOICE") {
            return None;
        }
        return match event {
            "SESSION_SUMMARY" => Some("vss"),
            "CALL_ACTION" => Some("vca"),
            "CALL_STATUS" => Some("vcs"),
            "CALL_RECORDING_STATUS" => Some("vru"),
            "VIRTUAL_NUMBER_UPDATE" => Some("vnu"),
            _ => None,
        };
    }
    if obj.get("callflow").is_some_and(Value::is_array) {
        return Some(if obj.contains_key("validUntil") {
            "callflow"
        } else {
            "vca-reply"
        });
    }
    let status = obj
        .get("sessionStatus")
        .or_else(|| obj.get("status"))
        .and_then(Value::as_str);
    if matches!(status, Some("CREATED" | "NOT_CREATED")) && obj.contains_key("statusCode") {
        return Some("callflow-result");
    }
    if obj.contains_key("type") && obj.contains_key("url") {
        return Some("webhook-create");
    }
    if obj.get("webhooks").is_some_and(Value::is_array) {
        return Some("webhook-list");
    }
    None
}

/// Why a readable block is none of the ten documents.
fn why_no_kind(value: &Value) -> String {
    let has = |key: &str| value.get(key).is_some();
    if let Some(action) = value.get("action").and_then(Value::as_str) {
        format!("kind null: one {action} action of a callflow, shown alone, not a whole document")
    } else if has("protocol") && has("host") {
        "kind null: a recording push configuration (Recordings API), none of the ten documents"
            .to_owned()
    } else if has("recordings") {
        "kind null: a recordings list (Recordings API), none of the ten documents".to_owned()
    } else {
        "kind null: none of the ten documents".to_owned()
    }
}

/// Notes on template placeholders the page asks the reader to substitute.
fn placeholders(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(value, "", &mut |pointer, v| {
        if let Some(s) = v.as_str()
            && (s.contains("{{") || (s.starts_with('<') && s.ends_with('>')))
        {
            found.push(format!("template placeholder {s:?} at {pointer}"));
        }
    });
    found
}

/// Notes naming the contradictions of reference/README.md the document shows.
fn contradictions(kind: Option<&str>, value: &Value, json: bool) -> Vec<String> {
    let mut notes = Vec::new();
    let mut legs_keys = Vec::new();
    let mut null_strings = Vec::new();
    let mut statuses = Vec::new();
    let mut ref_ids = false;
    let mut repetition_in_capture = false;
    let mut digit_timeout_alone = false;
    walk(value, "", &mut |pointer, v| {
        if let Some(obj) = v.as_object() {
            for key in obj.keys() {
                if key == "CallA" || key == "CallB" || key == "SourceRefId" {
                    legs_keys.push(format!("{pointer}/{key}"));
                }
                if (key == "sourceRefId" || key == "destinationRefId")
                    && obj[key].as_str().is_some_and(|s| s != "null")
                {
                    ref_ids = true;
                }
            }
            if obj.get("action").and_then(Value::as_str) == Some("sayAndCapture")
                && obj
                    .get("params")
                    .is_some_and(|p| p.get("repetition").is_some())
            {
                repetition_in_capture = true;
            }
            if obj.get("action").and_then(Value::as_str) == Some("sayAndCapture")
                && obj.get("params").is_some_and(|p| {
                    p.get("digitTimeout").is_some() && p.get("overallTimeout").is_none()
                })
            {
                digit_timeout_alone = true;
            }
        }
        if v.as_str() == Some("null") {
            null_strings.push(pointer.to_owned());
        }
        if pointer.ends_with("/callStatus")
            && let Some(s) = v.as_str()
            && (s == "ERROR" || s == "NO ANSWER")
        {
            statuses.push(s.to_owned());
        }
    });
    if digit_timeout_alone {
        notes.push(
            "digitTimeout without overallTimeout, whose OpenAPI default is 5000 while -1005 calls it required (contradiction 14)"
                .to_owned(),
        );
    }
    if !legs_keys.is_empty() || !null_strings.is_empty() {
        notes.push(format!(
            "capitalized keys {legs_keys:?} and the string \"null\" at {null_strings:?} (contradiction 2)"
        ));
    }
    if kind == Some("vss") {
        let start = value.pointer("/payload/startTime").and_then(Value::as_str);
        let mut off = Vec::new();
        walk(value, "", &mut |pointer, v| {
            if pointer.ends_with("Timestamp")
                && let (Some(t), Some(s)) = (v.as_str(), start)
                && t.get(..4) != s.get(..4)
            {
                off.push(pointer.to_owned());
            }
        });
        if !off.is_empty() {
            notes.push(format!(
                "leg timestamps {off:?} fall in another year than payload.startTime (contradiction 3)"
            ));
        }
        if value.pointer("/payload/errorDetails").is_some_and(|d| {
            d.as_object()
                .into_iter()
                .flat_map(|m| m.values())
                .any(|e| e.get("errorCode").is_some_and(Value::is_string))
        }) {
            notes.push("errorCode as a string (contradiction 4)".to_owned());
        }
        let last = value.pointer("/payload/lastAction").and_then(Value::as_str);
        if let Some(last) = last
            && !["MAKE_CALL", "HANGUP", "SAY_AND_CAPTURE", "SAY", "PLAY_FILE"].contains(&last)
        {
            notes.push(format!(
                "lastAction {last:?}, outside the values other pages list (contradiction 5)"
            ));
        }
    }
    if kind == Some("vca") && !json {
        notes.push(
            "the VCA guide's example, unreadable as printed; its table also types callDuration as String (contradiction 6)"
                .to_owned(),
        );
    }
    for status in statuses {
        let note = if status == "ERROR" {
            "leg callStatus ERROR, which the SIP page says never appears (contradiction 7)"
        } else {
            "leg callStatus \"NO ANSWER\" with a space (contradiction 7)"
        };
        notes.push(note.to_owned());
    }
    if kind == Some("webhook-create") && value.get("active").is_some() {
        notes.push(
            "the flag is named active, where the OpenAPI create body names it enabled (contradiction 8)"
                .to_owned(),
        );
    }
    if repetition_in_capture {
        notes.push(
            "sayAndCapture with repetition, which the OpenAPI does not list (contradiction 10)"
                .to_owned(),
        );
    }
    if ref_ids {
        notes.push(
            "carries sourceRefId / destinationRefId, which the IVR and Number Masking pages describe oppositely (contradiction 12)"
                .to_owned(),
        );
    }
    notes
}

/// Calls `f` with the JSON Pointer and value of every node under `value`.
fn walk(value: &Value, pointer: &str, f: &mut dyn FnMut(&str, &Value)) {
    f(pointer, value);
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                walk(v, &format!("{pointer}/{key}"), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

/// Reads a block that is not JSON as printed the way its reader would, to tell its intended
/// kind: the document and what had to be mended (caption line, `//` comments, unquoted
/// `{{template}}` placeholders, trailing and missing commas). `None` when that is not enough.
fn repair(text: &str) -> (Option<Value>, Vec<String>) {
    let mut repairs = Vec::new();
    let mut text = text.to_owned();
    // A caption line ("Success") inside the fence, before the document.
    if let Some(start) = text.find(['{', '['])
        && !text[..start].trim().is_empty()
    {
        repairs.push(format!(
            "a caption line {:?} inside the fence before the document",
            text[..start].trim()
        ));
        text = text[start..].to_owned();
    }
    let (stripped, comments, templates) = strip_comments_and_templates(&text);
    if comments > 0 {
        repairs.push(format!("{comments} `//` comment(s)"));
    }
    if templates > 0 {
        repairs.push(format!(
            "{templates} unquoted {{{{template}}}} placeholder(s)"
        ));
    }
    text = stripped;
    let (mut trailing, mut missing) = (0, 0);
    for _ in 0..50 {
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => {
                if trailing > 0 {
                    repairs.push(format!("{trailing} trailing comma(s)"));
                }
                if missing > 0 {
                    repairs.push(format!("{missing} missing comma(s)"));
                }
                return (Some(value), repairs);
            }
            Err(e) => {
                let at = offset(&text, e.line(), e.column());
                let message = e.to_string();
                // The last significant character before the error.
                let before = text[..at.min(text.len())].trim_end().len();
                if message.starts_with("trailing comma") {
                    let comma = text[..at.min(text.len())]
                        .rfind(',')
                        .unwrap_or(before.saturating_sub(1));
                    text.remove(comma);
                    trailing += 1;
                } else if message.starts_with("expected `,` or `}`")
                    || message.starts_with("expected `,` or `]`")
                {
                    text.insert(before, ',');
                    missing += 1;
                } else {
                    break;
                }
            }
        }
    }
    (None, repairs)
}

/// Byte offset of serde_json's 1-based line and column (the column of the offending byte).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Removes `//` comments and quotes bare `{{...}}` placeholders outside strings, counting each.
fn strip_comments_and_templates(text: &str) -> (String, usize, usize) {
    let mut out = String::with_capacity(text.len());
    let (mut comments, mut templates) = (0, 0);
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '/' if text[i..].starts_with("//") => {
                comments += 1;
                while chars.peek().is_some_and(|&(_, c)| c != '\n') {
                    chars.next();
                }
            }
            '{' if text[i..].starts_with("{{") => {
                let end = text[i..].find("}}").map_or(text.len(), |e| i + e + 2);
                out.push('"');
                out.push_str(&text[i..end]);
                out.push('"');
                templates += 1;
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    (out, comments, templates)
}

/// The whole-document examples of the OpenAPI descriptions for Send Callflow and the Webhooks API
/// into tests/fixtures/openapi/, with a manifest of the same form: `page` is the OpenAPI file,
/// `line` the line where the example's value starts, `heading` its JSON Pointer. Each fixture is
/// the example's text exactly as the file prints it (nested indentation included). Field-level
/// examples (under `properties`) are left out: they are single values, not documents.
fn openapi(reference: &Path, files: &mut BTreeMap<String, Vec<u8>>) -> Result<Vec<String>> {
    let dir = reference.join("openapi");
    let Ok(read) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut specs: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    specs.sort();
    let (mut manifest, mut written) = (Vec::new(), Vec::new());
    for spec in &specs {
        let name = file_name(spec);
        let stem = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let text = std::fs::read_to_string(spec)?;
        let doc: Value = serde_json::from_str(&text).with_context(|| name.clone())?;
        let positions = Positions::of(&text);
        let mut examples = Vec::new();
        walk(&doc, "", &mut |pointer, v| {
            let is_example = pointer.ends_with("/example")
                || (pointer.contains("/examples/") && pointer.ends_with("/value"));
            if is_example && v.is_object() && !pointer.contains("/properties/") && in_scope(pointer)
            {
                examples.push(pointer.to_owned());
            }
        });
        for (n, pointer) in examples.iter().enumerate() {
            let Some(&(start, end, line)) = positions.0.get(pointer) else {
                bail!("{name}: no position for {pointer}");
            };
            let file = format!("{stem}.{}.json", n + 1);
            files.insert(
                format!("tests/fixtures/openapi/{file}"),
                format!("{}\n", &text[start..end]).into_bytes(),
            );
            let value = doc.pointer(pointer).cloned().unwrap_or_default();
            let by_shape = classify(&value);
            let kind = openapi_kind(pointer);
            let mut notes = vec![match kind {
                Some(kind) => format!("kind {kind} from where the example stands"),
                None => "kind null: the registration a webhook delete answers with, none of the ten documents".to_owned(),
            }];
            if by_shape != kind {
                notes.push(format!(
                    "its shape alone reads as {}",
                    by_shape.unwrap_or("none of the kinds")
                ));
            }
            manifest.push(openapi_entry(
                &file, &name, line, pointer, kind, &value, notes,
            ));
            written.push(file);
        }
        // The JSON examples written into operation descriptions (Markdown): the Send Callflow
        // operation holds Examples 1-3 there, request bodies all (contradiction 14 is Example 1).
        let mut descriptions = Vec::new();
        walk(&doc, "", &mut |pointer, v| {
            if pointer.ends_with("/post/description") && in_scope(pointer) && v.is_string() {
                descriptions.push(pointer.to_owned());
            }
        });
        let mut n = examples.len();
        for pointer in &descriptions {
            let Some(Value::String(markdown)) = doc.pointer(pointer) else {
                continue;
            };
            let line = positions.0.get(pointer).map_or(0, |p| p.2);
            for block in blocks(markdown) {
                let Ok(value) = serde_json::from_str::<Value>(&block.content) else {
                    continue;
                };
                n += 1;
                let file = format!("{stem}.{n}.json");
                files.insert(
                    format!("tests/fixtures/openapi/{file}"),
                    block.content.clone().into_bytes(),
                );
                let kind = if pointer.contains("~1callflows/") {
                    Some("callflow")
                } else {
                    classify(&value)
                };
                let notes = vec![format!(
                    "from the operation's description, under \"{}\"",
                    block.heading.clone().unwrap_or_default()
                )];
                manifest.push(openapi_entry(
                    &file, &name, line, pointer, kind, &value, notes,
                ));
                written.push(file);
            }
        }
    }
    files.insert(
        "tests/fixtures/openapi/manifest.json".to_owned(),
        pretty(&Value::Array(manifest))?,
    );
    Ok(vec![format!(
        "{} OpenAPI examples in tests/fixtures/openapi",
        written.len()
    )])
}

/// One OpenAPI manifest entry: `notes` so far, then the placeholders and contradictions found.
fn openapi_entry(
    file: &str,
    page: &str,
    line: usize,
    pointer: &str,
    kind: Option<&str>,
    value: &Value,
    mut notes: Vec<String>,
) -> Value {
    notes.extend(placeholders(value));
    notes.extend(contradictions(kind, value, true));
    json!({
        "file": file,
        "page": page,
        "line": line,
        "heading": pointer,
        "json": true,
        "kind": kind,
        "note": notes.join("; "),
    })
}

/// Whether an OpenAPI pointer belongs to Send Callflow or the Webhooks API.
fn in_scope(pointer: &str) -> bool {
    let callflows = "/paths/~1api~1v1~1subaccounts~1{subAccountId}~1callflows/";
    let webhooks = "/paths/~1api~1v1~1subaccounts~1{subAccountId}~1webhooks";
    pointer.starts_with(callflows)
        || pointer.starts_with(webhooks)
        || pointer
            .strip_prefix("/components/schemas/")
            .is_some_and(|rest| rest.to_lowercase().contains("webhook"))
}

/// The kind an OpenAPI example is by where it stands.
fn openapi_kind(pointer: &str) -> Option<&'static str> {
    let callflows = "~1callflows/post/";
    let webhooks = "~1webhooks/";
    if pointer.contains(&format!("{callflows}requestBody/")) {
        Some("callflow")
    } else if pointer.contains(&format!("{callflows}responses/")) {
        Some("callflow-result")
    } else if pointer.contains(&format!("{webhooks}post/requestBody/"))
        || pointer.starts_with("/components/schemas/webhook/")
    {
        Some("webhook-create")
    } else if pointer.contains(&format!("{webhooks}get/responses/200/"))
        || pointer.contains(&format!("{webhooks}post/responses/200/"))
        || pointer.starts_with("/components/schemas/getWebhookResponse/")
    {
        Some("webhook-list")
    } else {
        None
    }
}

/// Where each value of a JSON text starts and ends (bytes) and its 1-based first line, by JSON
/// Pointer. The text is known to be valid JSON (serde_json read it first).
struct Positions(std::collections::HashMap<String, (usize, usize, usize)>);

impl Positions {
    fn of(text: &str) -> Self {
        let mut scan = Scan {
            s: text.as_bytes(),
            i: 0,
            line: 1,
            found: Default::default(),
        };
        scan.value(String::new());
        Self(scan.found)
    }
}

struct Scan<'a> {
    s: &'a [u8],
    i: usize,
    line: usize,
    found: std::collections::HashMap<String, (usize, usize, usize)>,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while let Some(&c) = self.s.get(self.i) {
            if !c.is_ascii_whitespace() {
                break;
            }
            if c == b'\n' {
                self.line += 1;
            }
            self.i += 1;
        }
    }

    fn value(&mut self, pointer: String) {
        self.ws();
        let (start, line) = (self.i, self.line);
        match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b'}') | None => break,
                        Some(b',') => self.i += 1,
                        _ => {
                            let (a, b) = self.string();
                            let raw = std::str::from_utf8(&self.s[a..b]).unwrap_or_default();
                            let key: String = serde_json::from_str(raw).unwrap_or_default();
                            self.ws();
                            self.i += 1; // the colon
                            let key = key.replace('~', "~0").replace('/', "~1");
                            self.value(format!("{pointer}/{key}"));
                        }
                    }
                }
                self.i += 1;
            }
            Some(b'[') => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b']') | None => break,
                        Some(b',') => self.i += 1,
                        _ => {
                            self.value(format!("{pointer}/{n}"));
                            n += 1;
                        }
                    }
                }
                self.i += 1;
            }
            Some(b'"') => {
                self.string();
            }
            _ => {
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                {
                    self.i += 1;
                }
            }
        }
        self.found.insert(pointer, (start, self.i, line));
    }

    /// Skips a string, returning its byte range with the quotes.
    fn string(&mut self) -> (usize, usize) {
        let start = self.i;
        self.i += 1;
        while let Some(&c) = self.s.get(self.i) {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => break,
                _ => {}
            }
        }
        (start, self.i)
    }
}
