//! Step 1 of the pipeline: raw bytes to a JSON document that remembers where each value was
//! written, or precise `json.*` errors.
//!
//! ```
//! use voicehook::parse::{Limits, parse};
//!
//! let parsed = parse(br#"{"payload": {"to": "+6512345678"}}"#, &Limits::default()).unwrap();
//! assert_eq!(parsed.view().pointer("/payload/to").and_then(|v| v.as_str()), Some("+6512345678"));
//! assert_eq!(parsed.position("/payload/to"), Some((1, 20)));
//!
//! let errors = parse(b"{ \"a\": 1, // note\n }", &Limits::default()).unwrap_err();
//! let rules: Vec<_> = errors.iter().map(|e| e.rule.as_str()).collect();
//! assert_eq!(rules, ["json.trailing-comma", "json.comment"]);
//! ```
//!
//! In order, [`parse`] checks:
//! 1. `json.size`: the input is larger than [`Limits::max_size`] (before reading anything else);
//! 2. `json.bom`: a UTF-8 byte order mark; it is stripped and reported as a **warning**;
//! 3. `json.empty`: nothing but whitespace;
//! 4. `json.utf8`: each invalid UTF-8 sequence, at its first byte;
//! 5. `json.depth`: arrays and objects nested deeper than [`Limits::max_depth`], reported at the
//!    first one that opens a level too many (found by an iterative walk, so a depth bomb costs
//!    linear time). A document over 16 KiB whose brackets plainly nest too deep is refused
//!    before it is parsed; otherwise the parser refuses it when it gets that deep (then a
//!    syntax error before that point is the one reported);
//! 6. one pass over the tokens of [jsonc-parser](https://docs.rs/jsonc-parser)'s scanner that
//!    builds the document's tape ([`Doc`], read through [`View`]) and tolerates comments,
//!    trailing commas and missing commas so that every one of them is reported at once
//!    (`json.comment`, `json.trailing-comma`, `json.syntax`), together with `json.duplicate-key`
//!    (at the second occurrence), `json.number` (out of range; an integer beyond 64 bits is a
//!    warning) and the rest of `json.syntax` (raw control characters in strings, whitespace JSON
//!    does not allow). Any other syntax error stops the parse and is reported alone, in
//!    jsonc-parser's words.
//!
//! The tape takes 16 bytes per value and per member name, in document order, each with its byte
//! span; no `serde_json::Value` is built ([`Parsed::value`] makes one on request).
//!
//! A document whose top level is not an object is not a parse error; later steps judge that.
//! Positions are 1-based lines and columns in characters, computed from byte offsets only when
//! asked for. Byte spans and positions refer to [`Parsed::source`], which excludes a BOM.

mod build;
mod diag;
pub mod doc;
mod lines;
mod outline;
pub(crate) use outline::push_escaped;
mod repair;
mod strict;

use crate::catalog;
use std::ops::Range;
use std::sync::OnceLock;

use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use serde_json::Value;

use crate::{Diagnostic, Options};
use diag::Sink;
pub use doc::{Doc, Items, Members, Type, View};
use lines::LineIndex;

pub use lines::line_col;
pub use repair::{Change, Placeholder, REPAIRS, Repaired, repair};

/// The limits [`parse`] enforces before parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of arrays and objects accepted (`json.depth` beyond).
    pub max_depth: usize,
    /// Largest input accepted, in bytes (`json.size` beyond).
    pub max_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: crate::DEFAULT_MAX_DEPTH,
            max_size: crate::DEFAULT_MAX_SIZE,
        }
    }
}

impl From<&Options> for Limits {
    fn from(options: &Options) -> Self {
        Limits {
            max_depth: options.max_depth,
            max_size: options.max_size,
        }
    }
}

/// A parsed document: its value, its text and where each value was written.
#[derive(Clone, Debug)]
pub struct Parsed {
    doc: Doc,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
    lines: OnceLock<LineIndex>,
}

impl Parsed {
    /// A copy of the document as a `serde_json::Value`. Numbers are exact: integers stay
    /// integers (`u64` / `i64`), `23.0` stays a float. For a duplicate key the last value wins.
    pub fn value(&self) -> Value {
        self.doc.root().to_value()
    }

    /// The text that was parsed (the input without a BOM).
    pub fn source(&self) -> &str {
        self.doc.source()
    }

    /// The document's tape, giving up the diagnostics.
    pub fn into_doc(self) -> Doc {
        self.doc
    }

    /// The document's tape.
    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    /// The root value, read from the tape.
    pub fn view(&self) -> View<'_> {
        self.doc.root()
    }

    /// Warnings found while parsing (`json.bom`, `json.number` for integers beyond 64 bits).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Syntax errors the parse recovered from (comments, trailing or missing commas, duplicate
    /// keys, raw control characters, numbers out of range), in document order. Empty for a
    /// document [`parse`] accepts; only [`parse_recovering`] returns a `Parsed` with errors.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// Line and column (1-based, in characters) of a byte offset into [`source`](Self::source).
    pub fn line_col(&self, byte_offset: usize) -> (u32, u32) {
        let bytes = self.doc.source().as_bytes();
        self.lines
            .get_or_init(|| LineIndex::new(bytes))
            .line_col(bytes, byte_offset)
    }

    /// Gives each finding that has a span but no position the line and column where its span
    /// starts: in document order, so that many findings cost one pass over their region.
    pub(crate) fn place<'f>(&self, findings: impl Iterator<Item = &'f mut Diagnostic>) {
        let mut todo: Vec<(usize, &mut Diagnostic)> = findings
            .filter(|f| f.line.is_none())
            .filter_map(|f| Some((f.span?.start as usize, f)))
            .collect();
        if todo.is_empty() {
            return;
        }
        todo.sort_unstable_by_key(|(start, _)| *start);
        let bytes = self.doc.source().as_bytes();
        let mut cursor = lines::Cursor::default();
        // With no index yet, one pass up to the last finding costs what building one would.
        let index = self.lines.get();
        for (start, f) in todo {
            let (line, column) = match index {
                Some(index) => index.line_col_after(bytes, start, &mut cursor),
                None => cursor.line_col(bytes, start),
            };
            f.line = Some(line);
            f.column = Some(column);
        }
    }

    /// Line and column where the value at `pointer` (RFC 6901, `~0` and `~1` escapes) starts;
    /// `None` when there is no such value or the pointer is malformed.
    pub fn position(&self, pointer: &str) -> Option<(u32, u32)> {
        self.span(pointer).map(|span| self.line_col(span.start))
    }

    /// Line and column of the property name (its opening quote) of the object member at
    /// `pointer`; `None` when `pointer` does not name an object member.
    pub fn key_position(&self, pointer: &str) -> Option<(u32, u32)> {
        let found = self.doc.locate(pointer).filter(|f| f.complete)?;
        let key = found.key?;
        Some(self.line_col(self.doc.span_of(key).start))
    }

    /// Line and column of the value at `pointer` or, when it does not exist (a missing
    /// property), of its closest existing ancestor. `None` only for a malformed pointer.
    pub fn nearest_position(&self, pointer: &str) -> Option<(u32, u32)> {
        self.nearest_span(pointer)
            .map(|span| self.line_col(span.start))
    }

    /// Byte range of the value at `pointer` or, when it does not exist, of its closest existing
    /// ancestor (one lookup). `None` only for a malformed pointer.
    pub(crate) fn nearest_span(&self, pointer: &str) -> Option<Range<usize>> {
        let found = self.doc.locate(pointer)?;
        let span = self.doc.span_of(found.value);
        Some(span.start..span.end)
    }

    /// Byte range of the value at `pointer` in [`source`](Self::source), for editors.
    pub fn span(&self, pointer: &str) -> Option<Range<usize>> {
        let found = self.doc.locate(pointer).filter(|f| f.complete)?;
        let span = self.doc.span_of(found.value);
        Some(span.start..span.end)
    }

    /// `diagnostic` with the span, line and column of its pointer's value (or of the closest
    /// existing ancestor), unless it already has a position.
    pub fn locate(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.line.is_none()
            && let Some(span) = self.nearest_span(&diagnostic.pointer)
        {
            let (line, column) = self.line_col(span.start);
            diagnostic = diagnostic.at(line, column).spanning(span);
        }
        diagnostic
    }
}

/// The largest text a document may have whatever [`Limits::max_size`] says: the tape holds
/// byte offsets in 32 bits.
pub const MAX_TEXT: usize = u32::MAX as usize - 1;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses raw bytes (what arrived on the wire) into a [`Parsed`] document, or returns every
/// `json.*` error found (see the [module documentation](self) for the order of the checks).
/// Warnings of a document that fails to parse are not returned.
pub fn parse(input: &[u8], limits: &Limits) -> Result<Parsed, Vec<Diagnostic>> {
    strict(parse_recovering(input, limits)?)
}

/// [`parse`] of bytes the caller hands over: the document keeps them as its source.
pub fn parse_owned(input: Vec<u8>, limits: &Limits) -> Result<Parsed, Vec<Diagnostic>> {
    strict(parse_recovering_owned(input, limits)?)
}

fn strict(parsed: Parsed) -> Result<Parsed, Vec<Diagnostic>> {
    if parsed.errors.is_empty() {
        Ok(parsed)
    } else {
        Err(parsed.errors)
    }
}

/// [`parse`], except that a document whose syntax errors still leave a complete value
/// (comments, trailing or missing commas, duplicate keys, raw control characters in strings,
/// numbers out of range read as null) is returned with those errors in [`Parsed::errors`], so
/// the rest of the pipeline can still check it. `Err` only when no value could be read.
pub fn parse_recovering(input: &[u8], limits: &Limits) -> Result<Parsed, Vec<Diagnostic>> {
    if let Some(too_large) = too_large(input.len(), limits) {
        return Err(vec![too_large]);
    }
    parse_recovering_owned(input.to_vec(), limits)
}

/// [`parse_recovering`] of bytes the caller hands over: the document keeps them as its source
/// instead of a copy (what the npm package does with its input buffer).
pub fn parse_recovering_owned(input: Vec<u8>, limits: &Limits) -> Result<Parsed, Vec<Diagnostic>> {
    parse_with(input, limits, true)
}

/// [`parse_recovering_owned`]; without `strict_first`, the full builder alone (the reference
/// the strict pass is tested against).
fn parse_with(
    mut input: Vec<u8>,
    limits: &Limits,
    strict_first: bool,
) -> Result<Parsed, Vec<Diagnostic>> {
    if let Some(too_large) = too_large(input.len(), limits) {
        return Err(vec![too_large]);
    }
    if let Some(utf16) = utf16(&input) {
        return Err(vec![utf16]);
    }
    let empty_input = input.is_empty();
    let bom = input.starts_with(BOM);
    if bom {
        input.drain(..BOM.len());
    }
    let bytes = &input[..];
    let mut warnings = Vec::new();
    if bom {
        warnings.push(
            Diagnostic::new(
                "",
                &catalog::JSON_BOM,
                "the document starts with a UTF-8 byte order mark (EF BB BF); it was ignored, but JSON \
                 senders must not add one",
            )
            .at(1, 1),
        );
    }
    if bytes
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        let what = if empty_input {
            "an empty input"
        } else {
            "only whitespace"
        };
        return Err(vec![
            Diagnostic::new(
                "",
                &catalog::JSON_EMPTY,
                format!("expected a JSON document, found {what}"),
            )
            .at(1, 1),
        ]);
    }
    let source = match String::from_utf8(input) {
        Ok(source) => std::sync::Arc::new(source),
        Err(e) => return Err(diag::utf8_errors(e.as_bytes(), limits.max_depth)),
    };
    let src: &str = &source;
    let bytes = src.as_bytes();
    let lines = OnceLock::new();
    // A large document is measured first, so that its tape is allocated once at its size and
    // plain over-nesting is refused before parsing; a small one is parsed at once (the tape
    // grows, and the parser enforces the nesting limit itself).
    let measure = if bytes.len() > SMALL_DOCUMENT {
        build::measure(bytes)
    } else {
        build::Measure {
            entries: bytes.len() / 4 + 4,
            deepest: 0,
        }
    };
    if measure.deepest > limits.max_depth
        && let Some(error) = too_deep(bytes, limits.max_depth)
    {
        return Err(vec![error]);
    }
    // Plain JSON that draws no finding (nearly every document) takes the strict pass; at the
    // first thing to report, the full builder parses it from the start.
    if strict_first && let Some(tape) = strict::build(src, measure.entries, limits.max_depth) {
        return Ok(Parsed {
            doc: tape.finish(std::sync::Arc::clone(&source)),
            warnings,
            errors: Vec::new(),
            lines,
        });
    }
    let builder = build::Builder::new(
        src,
        measure.entries,
        limits.max_depth,
        Sink::new(bytes, &lines),
        Sink::new(bytes, &lines),
    );
    let (doc, errors, more_warnings) = match builder.root(std::sync::Arc::clone(&source)) {
        Ok(Some(built)) => built,
        Ok(None) => {
            return Err(vec![
                Diagnostic::new(
                    "",
                    &catalog::JSON_EMPTY,
                    "expected a JSON document, found only comments and whitespace",
                )
                .at(1, 1),
            ]);
        }
        Err(build::Stopped::Syntax) => return Err(vec![stopped_at(src, limits.max_depth)]),
        Err(build::Stopped::TooDeep) => {
            return Err(vec![
                too_deep(bytes, limits.max_depth)
                    .unwrap_or_else(|| stopped_at(src, limits.max_depth)),
            ]);
        }
    };
    let errors = errors.finish();
    warnings.extend(more_warnings.finish());
    Ok(Parsed {
        doc,
        warnings,
        errors,
        lines,
    })
}

/// Documents up to this many bytes are parsed without measuring them first.
const SMALL_DOCUMENT: usize = 16 * 1024;

/// `json.depth` at the first array or object that opens a level beyond `max_depth`, found by a
/// walk that does not recurse; `None` when nothing nests that deep.
fn too_deep(bytes: &[u8], max_depth: usize) -> Option<Diagnostic> {
    let (offset, pointer) = outline::check_depth(bytes, max_depth)?;
    let (line, column) = lines::line_col_bytes(bytes, offset);
    Some(
        Diagnostic::new(
            pointer,
            &catalog::JSON_DEPTH,
            format!(
                "expected at most {} nested arrays and objects, found more: this one opens level {}",
                max_depth,
                max_depth + 1
            ),
        )
        .at(line, column)
        .spanning(offset..offset + 1),
    )
}

/// The error jsonc-parser stops at, in its words: the tape builder follows its grammar and
/// gives up where it would stop, so only this path builds jsonc-parser's syntax tree.
fn stopped_at(src: &str, max_depth: usize) -> Diagnostic {
    match parse_to_ast(src, &CollectOptions::default(), &parse_options()) {
        Err(error) => diag::from_parse_error(src, &error, max_depth),
        Ok(_) => Diagnostic::new(
            "",
            &catalog::JSON_SYNTAX,
            "expected a JSON document".to_string(),
        )
        .at(1, 1),
    }
}

/// `json.size` for an input of `size` bytes over [`Limits::max_size`], `None` when it fits.
/// A reader that stops at the limit plus one byte (as the CLI does) gets "more than".
pub fn too_large(size: usize, limits: &Limits) -> Option<Diagnostic> {
    // The tape addresses the text with 32-bit offsets, whatever the limit says.
    let max = limits.max_size.min(MAX_TEXT);
    if size <= max {
        return None;
    }
    let found = if size == max.saturating_add(1) {
        format!("more than {max} bytes")
    } else {
        format!("{size} bytes")
    };
    Some(Diagnostic::new(
        "",
        &catalog::JSON_SIZE,
        format!("expected at most {max} bytes, found {found}: the document is too large to check"),
    ))
}

/// `json.utf8` for text in UTF-16 (a byte order mark FF FE or FE FF, or ASCII with every other
/// byte zero): JSON is UTF-8, and the bytes would otherwise read as stray characters.
fn utf16(input: &[u8]) -> Option<Diagnostic> {
    let order = match input {
        [0xFF, 0xFE, ..] => "little-endian",
        [0xFE, 0xFF, ..] => "big-endian",
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => "little-endian",
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => "big-endian",
        _ => return None,
    };
    Some(
        Diagnostic::new(
            "",
            &catalog::JSON_UTF8,
            format!(
                "expected UTF-8 text, found UTF-16 ({order}): JSON is sent and saved as UTF-8, so re-encode the document as UTF-8"
            ),
        )
        .at(1, 1),
    )
}

/// jsonc-parser's options (the tape builder follows the same grammar): JSON, except comments, trailing commas and missing commas, which
/// are reported afterwards (all of them) instead of stopping at the first.
pub(crate) fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: true,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Parsed {
        parse(text.as_bytes(), &Limits::default()).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn errors(text: &str) -> Vec<(String, String, u32, u32)> {
        match parse(text.as_bytes(), &Limits::default()) {
            Ok(_) => panic!("{text}: parsed"),
            Err(list) => list
                .into_iter()
                .map(|d| {
                    (
                        d.rule.id.to_owned(),
                        d.pointer,
                        d.line.unwrap_or(0),
                        d.column.unwrap_or(0),
                    )
                })
                .collect(),
        }
    }

    fn first(text: &str) -> (String, String, u32, u32) {
        errors(text).remove(0)
    }

    fn e(rule: &str, pointer: &str, line: u32, column: u32) -> (String, String, u32, u32) {
        (rule.to_string(), pointer.to_string(), line, column)
    }

    #[test]
    fn values_keep_numbers_exact() {
        let parsed = ok(r#"{"a": 23.0, "b": 23, "c": -1, "d": 18446744073709551615, "e": 1.5e3}"#);
        let v = parsed.value();
        assert!(v["a"].is_f64());
        assert_eq!(v["b"].as_u64(), Some(23));
        assert_eq!(v["c"].as_i64(), Some(-1));
        assert_eq!(v["d"].as_u64(), Some(u64::MAX));
        assert_eq!(v["e"].as_f64(), Some(1500.0));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":23.0,"b":23,"c":-1,"d":18446744073709551615,"e":1500.0}"#
        );
        assert!(parsed.warnings().is_empty());
    }

    #[test]
    fn nesting_past_the_limit_is_refused_however_the_brackets_are_hidden() {
        let deep = |lead: &str| format!("{lead}{}1{}", "[".repeat(200), "]".repeat(200));
        // plain, after a quote in a comment (a count of brackets outside strings is fooled),
        // and after a string of closing brackets
        for text in [deep(""), deep("// \"\n"), deep("[\"]]]]]]]]]\", ")] {
            let text = if text.starts_with("[\"") {
                format!("{text}]")
            } else {
                text
            };
            let errors = parse_recovering(text.as_bytes(), &Limits::default()).unwrap_err();
            assert_eq!(errors.len(), 1, "{text:.40}: {errors:?}");
            assert_eq!(errors[0].rule, "json.depth", "{text:.40}");
            assert!(
                errors[0].message.contains("opens level 129"),
                "{}",
                errors[0].message
            );
        }
    }

    #[test]
    fn positions_of_values_and_keys() {
        let text = "{\n  \"a/b\": [10, {\"m~n\": true}],\n  \"é\": \"x\"\n}";
        let parsed = ok(text);
        assert_eq!(parsed.position(""), Some((1, 1)));
        assert_eq!(parsed.position("/a~1b"), Some((2, 10)));
        assert_eq!(parsed.position("/a~1b/0"), Some((2, 11)));
        assert_eq!(parsed.position("/a~1b/1/m~0n"), Some((2, 23)));
        assert_eq!(parsed.key_position("/a~1b/1/m~0n"), Some((2, 16)));
        assert_eq!(parsed.position("/é"), Some((3, 8)));
        assert_eq!(parsed.key_position("/é"), Some((3, 3)));
        assert_eq!(parsed.key_position("/a~1b/0"), None);
        assert_eq!(parsed.position("/a~1b/2"), None);
        assert_eq!(parsed.position("/a~1b/01"), None);
        assert_eq!(parsed.position("a"), None);
        assert_eq!(parsed.position("/x~2"), None);
        assert_eq!(parsed.nearest_position("/a~1b/1/missing"), Some((2, 15)));
        let span = parsed.span("/a~1b/1").unwrap();
        assert_eq!(&parsed.source()[span], "{\"m~n\": true}");
    }

    #[test]
    fn escaped_keys_are_found() {
        let parsed = ok(r#"{"a\u0062": 1, "\/x": 2}"#);
        assert_eq!(parsed.value()["ab"], 1);
        assert_eq!(parsed.position("/ab"), Some((1, 13)));
        assert_eq!(parsed.position("/~1x"), Some((1, 23)));
    }

    #[test]
    fn duplicate_keys_point_at_the_second() {
        let text = "{\n\"a\": 1,\n\"a\": 2\n}";
        let list = parse(text.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].rule.as_str(), list[0].pointer.as_str()),
            ("json.duplicate-key", "/a")
        );
        assert_eq!((list[0].line, list[0].column), (Some(3), Some(1)));
        assert!(list[0].message.contains("line 2"), "{}", list[0].message);
    }

    #[test]
    fn names_that_share_a_hash_are_told_apart_in_a_large_object() {
        // Three names with one 32-bit hash (found by search), the first repeated after the
        // other two, in an object large enough to be indexed by hash.
        let [a, b, c] = ["k76c3e", "k24378b", "k49c6b4"];
        assert!(doc::hash(a) == doc::hash(b) && doc::hash(b) == doc::hash(c));
        let fillers: String = (0..16).map(|i| format!(", \"f{i}\": {i}")).collect();
        let text = format!("{{\"{a}\": 1, \"{b}\": 2, \"{c}\": 3, \"{a}\": 4{fillers}}}");
        let list = parse(text.as_bytes(), &Limits::default()).unwrap_err();
        let found: Vec<_> = list
            .iter()
            .map(|d| (d.rule.as_str(), d.pointer.as_str()))
            .collect();
        assert_eq!(found, [("json.duplicate-key", "/k76c3e")]);
        // A repeat among the first members of an object that then grows large is reported once,
        // and so is one past them.
        let text = format!("{{\"x\": 1, \"x\": 2{fillers}, \"x\": 3}}");
        let list = parse(text.as_bytes(), &Limits::default()).unwrap_err();
        let columns: Vec<_> = list.iter().map(|d| (d.rule.as_str(), d.column)).collect();
        assert_eq!(
            columns,
            [
                ("json.duplicate-key", Some(10)),
                ("json.duplicate-key", Some(text.len() as u32 - 6))
            ]
        );
        // Without the repeat: every name finds its own value.
        let text = format!("{{\"{a}\": 1, \"{b}\": 2, \"{c}\": 3{fillers}}}");
        let parsed = ok(&text);
        let root = parsed.view();
        let got: Vec<_> = [a, b, c]
            .iter()
            .map(|n| root.get(n).and_then(|v| v.as_f64()))
            .collect();
        assert_eq!(got, [Some(1.0), Some(2.0), Some(3.0)]);
    }

    #[test]
    fn all_comments_and_trailing_commas_at_once() {
        let text = "// head\n{\"a\": [1, 2,], /* b */ \"b\": 3,}";
        assert_eq!(
            errors(text),
            [
                e("json.comment", "", 1, 1),
                e("json.trailing-comma", "/a", 2, 12),
                e("json.comment", "", 2, 16),
                e("json.trailing-comma", "", 2, 30),
            ]
        );
    }

    #[test]
    fn missing_commas_are_syntax_errors() {
        let list = parse(b"{ \"a\": 1 // note\n \"b\": 2, }", &Limits::default()).unwrap_err();
        let got: Vec<_> = list
            .iter()
            .map(|d| (d.rule.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            got,
            [
                ("json.comment", Some(1), Some(10)),
                ("json.syntax", Some(2), Some(2)),
                ("json.trailing-comma", Some(2), Some(8)),
            ]
        );
        assert_eq!(
            list[1].message,
            "expected ',' or '}' after an object member, found '\"'"
        );
        assert_eq!(first("[1\n2]"), e("json.syntax", "/1", 2, 1));
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        let cases = [
            (
                "{\"a\" 1}",
                "expected ':' after the property name, found '1'",
            ),
            ("{\"a\": }", "expected a value after ':', found '}'"),
            ("[1,,2]", "expected a value after ',', found ','"),
            (
                "{'a': 1}",
                "expected a property name in double quotes or '}', found a single-quoted string",
            ),
            ("[True]", "expected a value or ']', found 'True'"),
            (
                "{} []",
                "expected the end of the input after the JSON value, found '['",
            ),
            ("[\"a\\x41\"]", "expected one of the escapes"),
            ("[0x1F]", "expected a decimal number, found '0x1F'"),
        ];
        for (text, message) in cases {
            let list = parse(text.as_bytes(), &Limits::default()).unwrap_err();
            assert_eq!(list[0].rule, "json.syntax", "{text}");
            assert!(
                list[0].message.starts_with(message),
                "{text}: {}",
                list[0].message
            );
        }
    }

    #[test]
    fn unterminated_containers_point_at_their_opening() {
        assert_eq!(first("{\"a\": [1, 2"), e("json.syntax", "/a", 1, 7));
        assert_eq!(first("{\"a\": \"x"), e("json.syntax", "/a", 1, 7));
    }

    #[test]
    fn non_json_whitespace_is_reported() {
        assert_eq!(first("{\"a\":\u{A0}1}"), e("json.syntax", "/a", 1, 6));
        assert_eq!(first("[1,\u{0C}2]"), e("json.syntax", "", 1, 4));
    }

    #[test]
    fn locate_fills_positions() {
        let parsed = ok("{\n \"a\": {}\n}");
        let d = parsed.locate(Diagnostic::new(
            "/a/missing",
            &catalog::SCHEMA_REQUIRED,
            "m",
        ));
        assert_eq!((d.line, d.column), (Some(2), Some(7)));
        let span = d.span.unwrap();
        assert_eq!(&parsed.source()[span.range()], "{}");
    }

    #[test]
    fn limits_follow_options() {
        let options = Options {
            max_depth: 3,
            max_size: 10,
            ..Options::default()
        };
        assert_eq!(
            Limits::from(&options),
            Limits {
                max_depth: 3,
                max_size: 10
            }
        );
    }
}
