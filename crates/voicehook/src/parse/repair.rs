//! The page's "repair" button: fix what people commonly paste (comments, trailing commas, a
//! missing comma at the end of a line) and say what was changed, where.
//!
//! Repair reads tokens with jsonc-parser's lenient scanner, so it does not need the text to be
//! valid; at a token it cannot read it stops and leaves the rest unchanged
//! ([`Repaired::complete`] is then false). Template placeholders such as `{{callerId}}` are left
//! as they are and listed in [`Repaired::placeholders`]: only the user knows their values.

use crate::catalog;
use jsonc_parser::tokens::Token;
use jsonc_parser::{Scanner, ScannerOptions};
use serde::Serialize;

use super::lines::LineIndex;

/// One change [`repair`] made, positioned in the text as it was before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// 1-based line in the original text.
    pub line: u32,
    /// 1-based column (in characters) in the original text.
    pub column: u32,
    /// The rule the change fixes, one of [`REPAIRS`].
    pub rule: String,
    /// What was done, for a person.
    pub what: String,
}

/// The rules whose findings [`repair`] fixes: comments, trailing commas, missing commas (some
/// `json.syntax` errors; the others remain after the repair).
pub const REPAIRS: [&str; 3] = ["json.comment", "json.trailing-comma", "json.syntax"];

/// A `{{...}}` template placeholder left in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Placeholder {
    /// 1-based line in the original text.
    pub line: u32,
    /// 1-based column (in characters) in the original text.
    pub column: u32,
    /// The placeholder as written, braces included.
    pub text: String,
    /// Whether it stands where a value should be (outside a string): the text is not JSON
    /// until it is replaced.
    pub bare: bool,
}

/// The result of [`repair`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Repaired {
    /// The repaired text.
    pub text: String,
    /// What was changed, in text order.
    pub changes: Vec<Change>,
    /// Template placeholders found and left as they are.
    pub placeholders: Vec<Placeholder>,
    /// False when repair met text it could not read and left everything from there unchanged.
    pub complete: bool,
    /// True when the repaired text is JSON (placeholders inside strings allowed). False when
    /// something repair does not fix is left: single quotes, a caption line before the brace,
    /// a bare `{{placeholder}}`…; `remaining` says what.
    pub json: bool,
    /// What still keeps the repaired text from being JSON (empty when `json` is true), with
    /// positions in the repaired text.
    pub remaining: Vec<crate::Diagnostic>,
}

impl Repaired {
    /// What [`repair`] answers, by size alone, for a text of `size` bytes over the size limit
    /// (nothing repaired, `json.size` remaining), with an empty `text` (the text is unchanged:
    /// the caller has it); `None` when it fits.
    pub fn refused(size: usize) -> Option<Repaired> {
        let error = super::too_large(size, &super::Limits::default())?;
        Some(Repaired {
            text: String::new(),
            changes: Vec::new(),
            placeholders: Vec::new(),
            complete: false,
            json: false,
            remaining: vec![error],
        })
    }
}

/// What the repairer expects next in one container.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Key,
    Colon,
    Value,
    CommaOrClose,
}

struct Frame {
    array: bool,
    state: State,
}

/// An edit of the original text: replace `start..end` with `insert`.
struct Edit {
    start: usize,
    end: usize,
    insert: &'static str,
}

/// Removes `//` and `/* */` comments and trailing commas, inserts a missing comma between
/// members or elements on separate lines, and reports `{{template}}` placeholders.
/// Text that is already valid JSON comes back unchanged.
pub fn repair(text: &str) -> Repaired {
    // The same limit as validation: a text too large to check is returned as it is.
    let limits = super::Limits::default();
    if text.len() > limits.max_size {
        let remaining = super::parse(text.as_bytes(), &limits)
            .err()
            .unwrap_or_default();
        return Repaired {
            text: text.to_owned(),
            changes: Vec::new(),
            placeholders: Vec::new(),
            complete: false,
            json: false,
            remaining,
        };
    }
    let bytes = text.as_bytes();
    let mut edits: Vec<Edit> = Vec::new();
    let mut changes: Vec<(usize, &'static catalog::Rule, &'static str)> = Vec::new();
    let mut placeholders: Vec<(usize, usize, bool)> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut last_value_end: Option<usize> = None;
    let mut pending_comma: Option<usize> = None;
    let mut complete = true;

    let mut base = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let options = ScannerOptions::default();
    let mut scanner = Scanner::new(&text[base..], &options);
    loop {
        let token = match scanner.scan() {
            Ok(Some(token)) => token,
            Ok(None) => break,
            Err(_) => {
                complete = false;
                break;
            }
        };
        let start = base + scanner.token_start();
        let end = base + scanner.token_end();
        match token {
            Token::CommentLine(_) | Token::CommentBlock(_) => {
                let what = if matches!(token, Token::CommentLine(_)) {
                    "removed a // comment"
                } else {
                    "removed a /* */ comment"
                };
                edits.push(comment_edit(bytes, start, end));
                changes.push((start, &catalog::JSON_COMMENT, what));
                continue;
            }
            Token::Comma => {
                if let Some(top) = frames.last_mut()
                    && top.state == State::CommaOrClose
                {
                    top.state = if top.array { State::Value } else { State::Key };
                    pending_comma = Some(start);
                }
                continue;
            }
            Token::Colon => {
                if let Some(top) = frames.last_mut()
                    && !top.array
                    && top.state == State::Colon
                {
                    top.state = State::Value;
                }
                continue;
            }
            Token::CloseBrace | Token::CloseBracket => {
                if let Some(comma) = pending_comma.take() {
                    edits.push(Edit {
                        start: comma,
                        end: comma + 1,
                        insert: "",
                    });
                    changes.push((
                        comma,
                        &catalog::JSON_TRAILING_COMMA,
                        "removed a trailing ','",
                    ));
                }
                frames.pop();
                value_done(&mut frames);
                last_value_end = Some(end);
                continue;
            }
            _ => {}
        }

        // a token that starts a value or a property name
        pending_comma = None;
        if let (Some(top), Some(previous)) = (frames.last_mut(), last_value_end)
            && top.state == State::CommaOrClose
            && bytes[previous..start]
                .iter()
                .any(|&b| b == b'\n' || b == b'\r')
        {
            edits.push(Edit {
                start: previous,
                end: previous,
                insert: ",",
            });
            changes.push((previous, &catalog::JSON_SYNTAX, "inserted a missing ','"));
            top.state = if top.array { State::Value } else { State::Key };
        }
        let key_position = frames
            .last()
            .is_some_and(|top| !top.array && top.state == State::Key);
        match token {
            Token::OpenBrace => {
                if let Some(close) = bare_placeholder(text, start) {
                    placeholders.push((start, close, true));
                    value_done(&mut frames);
                    last_value_end = Some(close);
                    base = close;
                    scanner = Scanner::new(&text[base..], &options);
                    continue;
                }
                frames.push(Frame {
                    array: false,
                    state: State::Key,
                });
            }
            Token::OpenBracket => frames.push(Frame {
                array: true,
                state: State::Value,
            }),
            Token::String(_) | Token::Word(_) if key_position => {
                if let Some(top) = frames.last_mut() {
                    top.state = State::Colon;
                }
                find_placeholders(text, start, end, &mut placeholders);
            }
            Token::String(_) => {
                find_placeholders(text, start, end, &mut placeholders);
                value_done(&mut frames);
                last_value_end = Some(end);
            }
            _ => {
                value_done(&mut frames);
                last_value_end = Some(end);
            }
        }
    }

    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in &edits {
        if edit.start < at {
            continue;
        }
        out.push_str(&text[at..edit.start]);
        out.push_str(edit.insert);
        at = edit.end;
    }
    out.push_str(&text[at..]);

    let index = LineIndex::new(bytes);
    changes.sort_by_key(|c| c.0);
    let changes = changes
        .into_iter()
        .map(|(offset, rule, what)| {
            let (line, column) = index.line_col(bytes, offset);
            Change {
                line,
                column,
                rule: rule.id.to_owned(),
                what: what.to_string(),
            }
        })
        .collect();
    let placeholders = placeholders
        .into_iter()
        .map(|(start, end, bare)| {
            let (line, column) = index.line_col(bytes, start);
            Placeholder {
                line,
                column,
                text: text[start..end].to_string(),
                bare,
            }
        })
        .collect();
    // Most repaired texts are JSON: a syntax-only pass says so without building the document;
    // only a text that is still not JSON goes through the full parse, for positioned reasons.
    // (Duplicate keys pass the quick pass, but also the full parse: not a syntax problem here.)
    let quick = out.trim_start_matches('\u{FEFF}');
    let remaining = if serde_json::from_str::<serde::de::IgnoredAny>(quick).is_ok() {
        Vec::new()
    } else {
        match super::parse(out.as_bytes(), &super::Limits::default()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    };
    Repaired {
        json: remaining.is_empty(),
        text: out,
        changes,
        placeholders,
        complete,
        remaining,
    }
}

fn value_done(frames: &mut [Frame]) {
    if let Some(top) = frames.last_mut() {
        top.state = State::CommaOrClose;
    }
}

/// The edit removing the comment at `start..end`: with the blanks before it when it ends its
/// line, and with its whole line when it is alone on it.
fn comment_edit(bytes: &[u8], start: usize, end: usize) -> Edit {
    let mut from = start;
    while from > 0 && matches!(bytes[from - 1], b' ' | b'\t') {
        from -= 1;
    }
    let mut to = end;
    while to < bytes.len() && matches!(bytes[to], b' ' | b'\t') {
        to += 1;
    }
    let line_starts = from == 0 || matches!(bytes[from - 1], b'\n' | b'\r');
    let line_ends = to == bytes.len() || matches!(bytes[to], b'\n' | b'\r');
    match (line_starts, line_ends) {
        (true, true) => {
            // the whole line, with its line break
            if bytes.get(to) == Some(&b'\r') {
                to += 1;
            }
            if bytes.get(to) == Some(&b'\n') {
                to += 1;
            }
            Edit {
                start: from,
                end: to,
                insert: "",
            }
        }
        (false, true) => Edit {
            start: from,
            end: to,
            insert: "",
        },
        // in the middle of a line: keep the blanks on one side
        _ => Edit {
            start,
            end: to,
            insert: "",
        },
    }
}

/// The end of a `{{name}}` placeholder standing where a value should be, starting at `start`.
fn bare_placeholder(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let inner = rest.strip_prefix("{{")?;
    // The name ends at the first character a name cannot hold; only `}}` there closes it (a
    // search for `}}` to the end of the text from every `{` would be quadratic).
    let close = inner.find(['{', '}', '"', '\n', '\r', ',', ':'])?;
    let name = &inner[..close];
    let plain = !name.trim().is_empty() && inner[close..].starts_with("}}");
    plain.then_some(start + 2 + close + 2)
}

/// Records the `{{...}}` placeholders inside the string token `start..end`.
fn find_placeholders(text: &str, start: usize, end: usize, found: &mut Vec<(usize, usize, bool)>) {
    let Some(token) = text.get(start..end) else {
        return;
    };
    let mut from = 0;
    while let Some(open) = token[from..].find("{{") {
        let open = from + open;
        let Some(close) = token[open + 2..].find("}}") else {
            break;
        };
        let close = open + 2 + close + 2;
        found.push((start + open, start + close, false));
        from = close;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_marks_exactly_the_rules_repair_fixes() {
        let repaired = repair("{\"a\": 1 // note\n \"b\": 2,}");
        let mut fixed: Vec<&str> = repaired.changes.iter().map(|c| c.rule.as_str()).collect();
        fixed.sort_unstable();
        fixed.dedup();
        let mut listed = REPAIRS.to_vec();
        listed.sort_unstable();
        assert_eq!(fixed, listed);
        let marked: Vec<&str> = crate::catalog::RULES
            .iter()
            .filter(|r| r.repairable)
            .map(|r| r.id)
            .collect();
        assert_eq!(marked.len(), REPAIRS.len());
        assert!(marked.iter().all(|id| REPAIRS.contains(id)), "{marked:?}");
    }
    use crate::parse::{Limits, parse};

    fn parses(text: &str) {
        if let Err(errors) = parse(text.as_bytes(), &Limits::default()) {
            panic!("repaired text does not parse:\n{text}\n{errors:?}");
        }
    }

    #[test]
    fn valid_json_is_unchanged() {
        let text = "{\n  \"a\": [1, 2],\n  \"b\": {\"c\": \"//not a comment\"}\n}";
        let repaired = repair(text);
        assert_eq!(repaired.text, text);
        assert!(repaired.changes.is_empty() && repaired.complete);
    }

    #[test]
    fn fixes_the_vca_guide_example() {
        let repaired = repair("{ \"a\": 1 // note\n \"b\": 2, }");
        assert_eq!(repaired.text, "{ \"a\": 1,\n \"b\": 2 }");
        let got: Vec<_> = repaired
            .changes
            .iter()
            .map(|c| (c.line, c.column, c.rule.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (1, 9, "json.syntax"),
                (1, 10, "json.comment"),
                (2, 8, "json.trailing-comma")
            ]
        );
        parses(&repaired.text);
    }

    #[test]
    fn removes_comment_lines_and_block_comments() {
        let text = "{\n  // who\n  \"a\": /* x */ 1,\n  \"b\": [1,\n    2,\n  ],\n}\n";
        let repaired = repair(text);
        assert_eq!(
            repaired.text,
            "{\n  \"a\": 1,\n  \"b\": [1,\n    2\n  ]\n}\n"
        );
        assert_eq!(repaired.changes.len(), 4);
        parses(&repaired.text);
    }

    #[test]
    fn inserts_commas_only_across_lines() {
        let repaired = repair("[\n  {\"a\": 1}\n  {\"a\": 2}\n  \"x\"\n]");
        assert_eq!(repaired.text, "[\n  {\"a\": 1},\n  {\"a\": 2},\n  \"x\"\n]");
        parses(&repaired.text);
        assert!(repair("[1 2]").changes.is_empty());
    }

    #[test]
    fn reports_placeholders_and_leaves_them() {
        let text = "{\n  \"to\": \"{{phone}}\",\n  \"n\": {{count}}\n}";
        let repaired = repair(text);
        assert_eq!(repaired.text, text);
        let got: Vec<_> = repaired
            .placeholders
            .iter()
            .map(|p| (p.line, p.column, p.text.as_str(), p.bare))
            .collect();
        assert_eq!(
            got,
            [(2, 10, "{{phone}}", false), (3, 8, "{{count}}", true)]
        );
        assert!(repaired.complete);
    }

    #[test]
    fn stops_at_unreadable_text() {
        let repaired = repair("{\"a\": 1, // c\n \"b\": \"open");
        assert!(!repaired.complete);
        assert_eq!(repaired.text, "{\"a\": 1,\n \"b\": \"open");
    }

    /// Repair says when its output is still not JSON, and why, instead of implying success.
    #[test]
    fn says_when_the_result_is_still_not_json() {
        let repaired = repair("{'a': 1, // c\n}");
        assert!(!repaired.json);
        assert_eq!(repaired.remaining[0].rule, "json.syntax");
        assert!(repaired.remaining[0].message.contains("single-quoted"));
        let caption = repair("Request body:\n{\"a\": 1}");
        assert!(!caption.json);
        assert_eq!(caption.remaining[0].line, Some(1));
        let bare = repair("{\"n\": {{count}}}");
        assert!(!bare.json && !bare.remaining.is_empty());
        let fixed = repair("{\"a\": 1, // c\n}");
        assert!(fixed.json && fixed.remaining.is_empty());
    }

    #[test]
    fn a_text_over_the_size_limit_is_left_as_it_is() {
        let text = format!("[{}]", " ".repeat(crate::DEFAULT_MAX_SIZE));
        let repaired = repair(&text);
        assert!(!repaired.complete && !repaired.json);
        assert_eq!(repaired.remaining[0].rule, "json.size");
        assert_eq!(repaired.text.len(), text.len());
    }

    #[test]
    fn keeps_a_bom() {
        let repaired = repair("\u{FEFF}[1,]");
        assert_eq!(repaired.text, "\u{FEFF}[1]");
    }
}
