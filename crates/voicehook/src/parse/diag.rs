//! The `json.*` diagnostics: collecting them with positions (and a cap per rule), and saying
//! what was expected and what was found for each error jsonc-parser can raise.

use crate::catalog::{self, Rule};
use std::ops::Range;
use std::sync::OnceLock;

use jsonc_parser::ParseStringErrorKind;
use jsonc_parser::errors::{ParseError, ParseErrorKind};

use super::lines::LineIndex;
use super::outline::{Context, Expect, context_at};
use crate::Diagnostic;

/// Most diagnostics kept per rule; the rest are summed up in one last diagnostic of that rule,
/// so a hostile input (a million comments) cannot produce a million diagnostics.
pub(crate) const MAX_PER_RULE: usize = 100;

/// Collects diagnostics of one severity, positioned from byte offsets.
pub(crate) struct Sink<'l> {
    bytes: &'l [u8],
    lines: &'l OnceLock<LineIndex>,
    list: Vec<Diagnostic>,
    /// Per rule: how many were pushed, and the first one left out.
    counts: Vec<(&'static Rule, usize, Option<Diagnostic>)>,
}

impl<'l> Sink<'l> {
    /// A sink positioning diagnostics in `bytes`, sharing a lazily built line index.
    pub(crate) fn new(bytes: &'l [u8], lines: &'l OnceLock<LineIndex>) -> Self {
        Sink {
            bytes,
            lines,
            list: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// Line and column of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (u32, u32) {
        self.lines
            .get_or_init(|| LineIndex::new(self.bytes))
            .line_col(self.bytes, offset)
    }

    /// Whether `rule` already has all the diagnostics it lists: later ones are only counted,
    /// so their messages need not be worded.
    pub(crate) fn is_full(&self, rule: &Rule) -> bool {
        self.counts
            .iter()
            .any(|c| c.0 == rule && c.1 >= MAX_PER_RULE)
    }

    /// Adds a diagnostic about the bytes `span` (an empty span stands for the character there).
    pub(crate) fn push(
        &mut self,
        pointer: &str,
        rule: &'static Rule,
        message: String,
        span: Range<usize>,
    ) {
        let span = one_char_at_least(self.bytes, span);
        let offset = span.start;
        let count = match self.counts.iter_mut().find(|c| c.0 == rule) {
            Some(entry) => entry,
            None => {
                self.counts.push((rule, 0, None));
                let last = self.counts.len() - 1;
                &mut self.counts[last]
            }
        };
        count.1 += 1;
        if count.1 > MAX_PER_RULE {
            if count.2.is_none() {
                let (line, column) = self
                    .lines
                    .get_or_init(|| LineIndex::new(self.bytes))
                    .line_col(self.bytes, offset);
                count.2 = Some(
                    Diagnostic::new(pointer, rule, String::new())
                        .at(line, column)
                        .spanning(span),
                );
            }
            return;
        }
        let (line, column) = self.line_col(offset);
        self.list.push(
            Diagnostic::new(pointer, rule, message)
                .at(line, column)
                .spanning(span),
        );
    }

    /// The diagnostics, with one summary per rule that went over the cap.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut list = self.list;
        // in document order (a large object reports its duplicate names when it closes)
        list.sort_by_key(|d| (d.line, d.column));
        for (rule, count, first_left_out) in self.counts {
            if let Some(mut summary) = first_left_out {
                summary.message = format!(
                    "{} more {rule} problems from here on are not listed (the first {MAX_PER_RULE} are)",
                    count - MAX_PER_RULE
                );
                list.push(summary);
            }
        }
        list
    }
}

/// `span`, or when it is empty the character that starts there (nothing at the end).
pub(crate) fn one_char_at_least(bytes: &[u8], span: Range<usize>) -> Range<usize> {
    let start = span.start.min(bytes.len());
    let mut end = span.end.clamp(start, bytes.len());
    if end == start && end < bytes.len() {
        end += 1;
        while end < bytes.len() && bytes[end] & 0xC0 == 0x80 {
            end += 1;
        }
    }
    start..end
}

/// A character for a message: `'x'` when printable, its code point and name otherwise.
pub(crate) fn describe_char(c: char) -> String {
    let name = match c {
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        '\u{0}' => "NUL",
        '\u{0B}' => "vertical tab",
        '\u{0C}' => "form feed",
        '\u{A0}' => "no-break space",
        '\u{FEFF}' => "byte order mark",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{3000}' => "ideographic space",
        _ if c.is_control() || c.is_whitespace() => "",
        _ => return format!("'{c}'"),
    };
    if name.is_empty() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} ({name})", c as u32)
    }
}

/// What is at `offset` for a message: a word or number whole, one character otherwise.
pub(crate) fn describe_found(src: &str, offset: usize) -> String {
    let Some(rest) = src.get(offset..).filter(|r| !r.is_empty()) else {
        return "the end of the input".to_string();
    };
    let word_len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '$' | '-' | '+' | '.')))
        .map_or(rest.len(), |(i, _)| i);
    if word_len > 1 {
        let word: String = rest[..word_len].chars().take(24).collect();
        let more = if word.len() < word_len { "..." } else { "" };
        return format!("'{word}{more}'");
    }
    describe_char(rest.chars().next().unwrap_or('\u{FFFD}'))
}

/// When a digit at `offset` directly follows a number `0` or `-0`, the start of that number:
/// jsonc-parser reads `01` as two numbers, JSON forbids the leading zero.
pub(crate) fn leading_zero(src: &str, offset: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    if !bytes.get(offset)?.is_ascii_digit() || offset == 0 || bytes[offset - 1] != b'0' {
        return None;
    }
    let zero = offset - 1;
    let start = if zero > 0 && bytes[zero - 1] == b'-' {
        zero - 1
    } else {
        zero
    };
    let before = start.checked_sub(1).and_then(|i| bytes.get(i));
    match before {
        Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+') => None,
        _ => Some(start),
    }
}

/// What the grammar expected, in words.
fn expected(ctx: &Context) -> &'static str {
    match (ctx.expect, ctx.in_array) {
        (Expect::Value, None) => "a JSON value",
        (Expect::Value, Some(false)) => "a value after ':'",
        (Expect::Value, Some(true)) => "a value after ','",
        (Expect::ValueOrClose, _) => "a value or ']'",
        (Expect::KeyOrClose, _) => "a property name in double quotes or '}'",
        (Expect::Key, _) => "a property name in double quotes after ','",
        (Expect::Colon, _) => "':' after the property name",
        (Expect::CommaOrClose, Some(true)) => "',' or ']' after an array element",
        (Expect::CommaOrClose, _) => "',' or '}' after an object member",
        (Expect::End, _) => "the end of the input after the JSON value",
    }
}

/// A hint for words people write where JSON has none.
fn word_hint(found: &str) -> &'static str {
    match found.trim_matches('\'') {
        "NaN" | "Infinity" | "-Infinity" | "+Infinity" => {
            ": NaN and Infinity are not JSON numbers, use null or a string"
        }
        "True" | "TRUE" | "False" | "FALSE" | "Null" | "NULL" | "None" | "nil" => {
            ": JSON writes true, false and null in lowercase"
        }
        "undefined" => ": JSON has no undefined, use null or leave the member out",
        _ => "",
    }
}

/// The diagnostic for an error jsonc-parser stopped at. `src` is the text it parsed.
pub(crate) fn from_parse_error(src: &str, error: &ParseError, cap: usize) -> Diagnostic {
    let offset = error.range().start.min(src.len());
    let ctx = context_at(src.as_bytes(), offset, cap);
    let found = describe_found(src, offset);
    let mut rule = &catalog::JSON_SYNTAX;
    let mut at = offset;
    let generic = || {
        format!(
            "expected {}, found {found}{}",
            expected(&ctx),
            word_hint(&found)
        )
    };
    let message = match error.kind() {
        ParseErrorKind::NestingDepthExceeded => {
            rule = &catalog::JSON_DEPTH;
            "nesting is deeper than the parser's own limit (about 512 arrays, 256 objects)"
                .to_string()
        }
        ParseErrorKind::UnterminatedArray => {
            format!(
                "the array opened here is never closed: expected ']' before {}",
                describe_found(src, src.len())
            )
        }
        ParseErrorKind::UnterminatedObject => {
            format!(
                "the object opened here is never closed: expected '}}' before {}",
                describe_found(src, src.len())
            )
        }
        ParseErrorKind::UnterminatedCommentBlock => {
            rule = &catalog::JSON_COMMENT;
            "this /* comment is never closed (and JSON allows no comments): expected '*/'"
                .to_string()
        }
        ParseErrorKind::SingleQuotedStringsNotAllowed => {
            format!(
                "expected {}, found a single-quoted string: JSON strings use double quotes",
                expected(&ctx)
            )
        }
        ParseErrorKind::HexadecimalNumbersNotAllowed => {
            format!("expected a decimal number, found {found}: JSON has no hexadecimal numbers")
        }
        ParseErrorKind::UnaryPlusNumbersNotAllowed => {
            format!("expected a digit or '-', found {found}: JSON numbers cannot start with '+'")
        }
        ParseErrorKind::BareDecimalPointNumbersNotAllowed => {
            format!(
                "expected digits on both sides of '.', found {found}: write 0.5, not .5, and 1.0 or 1, not 1."
            )
        }
        ParseErrorKind::NonFiniteNumbersNotAllowed => {
            format!(
                "expected {}, found {found}: NaN and Infinity are not JSON numbers",
                expected(&ctx)
            )
        }
        ParseErrorKind::ExpectedDigit => format!("expected a digit in the number, found {found}"),
        ParseErrorKind::ExpectedDigitFollowingNegativeSign => {
            format!("expected a digit after '-', found {found}")
        }
        ParseErrorKind::ExpectedPlusMinusOrDigitInNumberLiteral => {
            format!("expected a digit, '+' or '-' after the exponent 'e', found {found}")
        }
        ParseErrorKind::String(kind) => string_message(src, offset, kind),
        ParseErrorKind::ExpectedObjectValue => format!("expected a value after ':', found {found}"),
        ParseErrorKind::ExpectedColonAfterObjectKey => {
            format!("expected ':' after the property name, found {found}")
        }
        _ => match leading_zero(src, offset) {
            Some(start) => {
                at = start;
                let end = src[offset..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(src.len(), |n| offset + n);
                format!(
                    "a number cannot start with a leading zero, found '{}'",
                    &src[start..end]
                )
            }
            None => generic(),
        },
    };
    let (line, column) = super::lines::line_col(src, at);
    let end = error.range().end.max(at);
    Diagnostic::new(ctx.pointer, rule, message)
        .at(line, column)
        .spanning(one_char_at_least(src.as_bytes(), at..end))
}

/// The message for an error inside a string literal.
fn string_message(src: &str, offset: usize, kind: &ParseStringErrorKind) -> String {
    let escape: String = src
        .get(offset..)
        .unwrap_or_default()
        .chars()
        .take(2)
        .collect();
    match kind {
        ParseStringErrorKind::UnterminatedStringLiteral => {
            "this string is never closed: expected '\"' before the end of the input".to_string()
        }
        ParseStringErrorKind::ExpectedFourHexDigits => {
            let found: String = src
                .get(offset..)
                .unwrap_or_default()
                .chars()
                .take(6)
                .collect();
            format!("expected four hex digits after \\u, found '{found}'")
        }
        ParseStringErrorKind::InvalidUnicodeEscapeSequence(detail)
            if detail.contains("surrogate") =>
        {
            let code = detail.split(' ').next().unwrap_or_default();
            format!(
                "expected a surrogate pair, found the lone surrogate \\u{code}: a \\ud800-\\udbff escape must be followed by a \\udc00-\\udfff escape"
            )
        }
        ParseStringErrorKind::InvalidUnicodeEscapeSequence(detail) => {
            format!("expected a valid \\u escape, found \\u{detail}")
        }
        _ => format!(
            "expected one of the escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found '{escape}'"
        ),
    }
}

/// One diagnostic per invalid UTF-8 sequence (capped), positioned at its first byte.
pub(crate) fn utf8_errors(bytes: &[u8], cap: usize) -> Vec<Diagnostic> {
    let mut offsets = Vec::new();
    let mut more = 0usize;
    let mut first_more = None;
    let mut pos = 0;
    while let Some(rest) = bytes.get(pos..) {
        let Err(error) = std::str::from_utf8(rest) else {
            break;
        };
        let at = pos + error.valid_up_to();
        if offsets.len() < MAX_PER_RULE {
            offsets.push((at, error.error_len()));
        } else {
            more += 1;
            first_more.get_or_insert(at);
        }
        match error.error_len() {
            Some(len) => pos = at + len,
            None => break,
        }
    }
    let shown: Vec<usize> = offsets.iter().map(|o| o.0).collect();
    let contexts = super::outline::contexts_at(bytes, &shown, cap);
    let lines = OnceLock::new();
    let mut sink = Sink::new(bytes, &lines);
    for ((at, len), ctx) in offsets.iter().zip(contexts) {
        let byte = bytes.get(*at).copied().unwrap_or(0);
        let sequence: Vec<String> = bytes
            // the bad sequence and, when it is cut short, the byte that cut it
            .get(*at..(at + len.map_or(4, |n| n + 1)).min(bytes.len()))
            .unwrap_or_default()
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect();
        let why = match (len, byte) {
            (None, _) => "starts a character that the input cuts off".to_string(),
            (_, 0x80..=0xBF) => "is a continuation byte with no character to continue".to_string(),
            (_, 0xC0 | 0xC1 | 0xF5..=0xFF) => "never appears in UTF-8".to_string(),
            _ => format!(
                "starts a character the next bytes do not complete ({})",
                sequence.join(" ")
            ),
        };
        let message = format!(
            "expected UTF-8 text, found the byte 0x{byte:02X} at byte offset {at}, which {why}: send and save the document as UTF-8 (not Latin-1 or Windows-1252)"
        );
        sink.push(
            &ctx.pointer,
            &catalog::JSON_UTF8,
            message,
            *at..at + len.unwrap_or(bytes.len() - at),
        );
    }
    let mut list = sink.finish();
    if let Some(at) = first_more {
        let (line, column) = super::lines::line_col_bytes(bytes, at);
        list.push(
            Diagnostic::new(
                "",
                &catalog::JSON_UTF8,
                format!("{more} more json.utf8 problems from here on are not listed"),
            )
            .at(line, column)
            .spanning(at..at + 1),
        );
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_are_described_whole() {
        assert_eq!(describe_found("[NaN]", 1), "'NaN'");
        assert_eq!(describe_found("[\"a\"]", 1), "'\"'");
        assert_eq!(describe_found("[", 1), "the end of the input");
        assert_eq!(describe_found("[\u{A0}1]", 1), "U+00A0 (no-break space)");
    }

    #[test]
    fn leading_zeros_are_recognised() {
        assert_eq!(leading_zero("[01]", 2), Some(1));
        assert_eq!(leading_zero("[-01]", 3), Some(1));
        assert_eq!(leading_zero("[10]", 2), None);
        assert_eq!(leading_zero("[1.01]", 4), None);
        assert_eq!(leading_zero("[0, 1]", 4), None);
    }

    #[test]
    fn sinks_cap_each_rule() {
        let text = "x".repeat(1000);
        let lines = OnceLock::new();
        let mut sink = Sink::new(text.as_bytes(), &lines);
        for i in 0..250 {
            sink.push("", &catalog::JSON_COMMENT, "c".to_string(), i..i);
        }
        sink.push("", &catalog::JSON_SYNTAX, "s".to_string(), 3..3);
        let list = sink.finish();
        assert_eq!(list.len(), 102);
        let last = list.last().unwrap();
        assert_eq!(last.rule, "json.comment");
        assert_eq!(last.column, Some(101));
        assert!(last.message.starts_with("150 more"), "{}", last.message);
    }
}
