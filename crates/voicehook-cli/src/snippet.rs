//! The source shown under a diagnostic: one line, or a window of it around the column.
//!
//! Lines and columns are the core's: a line ends at `\n`, `\r\n` or a lone `\r`; a column counts
//! characters, and over bytes that are not UTF-8 each byte that does not continue a character;
//! the text has no BOM (the core's positions exclude it). A line longer than [`WIDTH`] columns
//! is shown as a window of at most [`WIDTH`] columns with `…` where it was cut, so every
//! diagnostic costs the same whatever the length of the line (a minified document is one line).
//! Unsafe characters are escaped ([`crate::safe`]) and the caret range follows the escapes.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::safe::{Esc, escaped_len};

/// Widest source text shown, in columns (escapes count their full width).
pub const WIDTH: usize = 120;
/// Columns of context kept before the column when a line has to be cut.
const LEAD: usize = 40;
/// How far a cut moves to keep a run of digits (a phone number) whole, so `--mask` sees it.
const DIGIT_SLACK: usize = 16;

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Where each wanted 1-based `(line, column)` is in `src`: `(start of its line, byte offset)`.
/// A column past the end of its line gives the end of the line; a line past the end of the text
/// gives the end of the text. One pass over `src`, whatever the number of positions.
pub fn locate(src: &[u8], wanted: &[(u32, u32)]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&k| wanted[k]);
    let mut found = vec![(0, 0); wanted.len()];
    let mut next = order.iter().peekable();
    let (mut line, mut column) = (1u32, 1u32);
    let mut line_start = 0;
    // start and end (terminator) of the line before `line`
    let mut previous_line = (0, 0);
    let mut previous = 0u8;
    for i in 0..=src.len() {
        let byte = src.get(i).copied();
        let is_position = match byte {
            None => true,
            Some(b'\n') => previous != b'\r',
            Some(b) => !is_continuation(b),
        };
        if is_position {
            while let Some(&&k) = next.peek() {
                let (l, c) = wanted[k];
                if byte.is_some() && (l, c) > (line, column) {
                    break;
                }
                found[k] = if l < line {
                    previous_line
                } else {
                    (line_start, i)
                };
                next.next();
            }
        }
        let Some(b) = byte else { break };
        match b {
            b'\n' if previous == b'\r' => line_start = i + 1,
            b'\n' | b'\r' => {
                previous_line = (line_start, i);
                line = line.saturating_add(1);
                column = 1;
                line_start = i + 1;
            }
            _ if is_continuation(b) => {}
            _ => column = column.saturating_add(1),
        }
        previous = b;
    }
    found
}

/// The end of the character starting at `i`: continuation bytes belong to it.
fn char_end(src: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < src.len() && is_continuation(src[j]) {
        j += 1;
    }
    j
}

/// The columns the character `src[i..j]` takes once escaped (an invalid sequence shows as one
/// replacement character).
fn width(src: &[u8], i: usize, j: usize) -> usize {
    std::str::from_utf8(&src[i..j])
        .ok()
        .and_then(|s| s.chars().next())
        .map_or(1, escaped_len)
}

/// Scans forward from `from` while the text fits in `budget` columns: `(end, columns, whether
/// the end of the line was reached)`.
fn forward(src: &[u8], from: usize, budget: usize) -> (usize, usize, bool) {
    let (mut i, mut used) = (from, 0);
    loop {
        if i >= src.len() || is_break(src[i]) {
            return (i, used, true);
        }
        let j = char_end(src, i);
        let w = width(src, i, j);
        if used + w > budget {
            return (i, used, false);
        }
        used += w;
        i = j;
    }
}

/// Scans back from `from` to no further than `line_start` while the text fits in `budget`
/// columns: `(start, columns, whether the start of the line was reached)`.
fn backward(src: &[u8], line_start: usize, from: usize, budget: usize) -> (usize, usize, bool) {
    let (mut i, mut used) = (from, 0);
    loop {
        if i <= line_start {
            return (i, used, true);
        }
        let mut j = i - 1;
        while j > line_start && is_continuation(src[j]) {
            j -= 1;
        }
        let w = width(src, j, i);
        if used + w > budget {
            return (i, used, false);
        }
        used += w;
        i = j;
    }
}

/// The byte range of `src[line_start..]` shown around `offset`, and whether the line goes on
/// before and after it.
fn window(src: &[u8], line_start: usize, offset: usize) -> (Range<usize>, bool, bool) {
    let (end, right, eol) = forward(src, offset, WIDTH);
    let (start, left, bol) = backward(src, line_start, offset, WIDTH);
    if eol && bol && left + right <= WIDTH {
        return (start..end, false, false);
    }
    let lead = if eol { LEAD.max(WIDTH - right) } else { LEAD };
    let (mut start, left, bol) = backward(src, line_start, offset, lead);
    let (mut end, _, eol) = forward(src, offset, WIDTH - left);
    for _ in 0..DIGIT_SLACK {
        if start > line_start && matches!(src[start - 1], b'0'..=b'9' | b'+') {
            start -= 1;
        }
        if end < src.len() && src[end].is_ascii_digit() {
            end += 1;
        }
    }
    let bol = bol || start == line_start;
    let eol = eol || end >= src.len() || is_break(src[end]);
    (start..end, !bol, !eol)
}

/// Where the caret under `offset` ends: at the end of the finding's span (`end`, from the core),
/// no further than `limit`; one character when the span is empty or there is none.
fn caret_end(src: &[u8], offset: usize, end: usize, limit: usize) -> usize {
    let limit = limit.min(src.len());
    if offset >= limit {
        return offset.min(limit);
    }
    let mut end = end.clamp(offset + 1, limit);
    while end < limit && is_continuation(src[end]) {
        end += 1;
    }
    end
}

/// One diagnostic's source: the shown text of its line, as a file of one line for
/// codespan-reporting that still reports the real line and column.
pub struct Snippet {
    name: String,
    text: String,
    line: usize,
    column: usize,
}

impl Snippet {
    /// A snippet without source (for a diagnostic that has no position).
    pub fn empty(name: String) -> Snippet {
        Snippet {
            name,
            text: String::new(),
            line: 1,
            column: 1,
        }
    }

    /// The shown text of the line starting at `line_start` around `offset`, and the range in
    /// that text of the finding's span, `offset..end` cut to the line. `line` and `column` are
    /// the core's, shown in the header.
    pub fn new(
        name: String,
        src: &[u8],
        (line_start, offset): (usize, usize),
        end: usize,
        (line, column): (usize, usize),
        mask: bool,
    ) -> (Snippet, Range<usize>) {
        let (shown, cut_before, cut_after) = window(src, line_start, offset);
        let token = caret_end(src, offset, end, shown.end);
        // masking keeps byte lengths, so the three parts keep their boundaries
        let parts = [
            String::from_utf8_lossy(&src[shown.start..offset]),
            String::from_utf8_lossy(&src[offset..token]),
            String::from_utf8_lossy(&src[token..shown.end]),
        ];
        let joined = parts.concat();
        let joined = if mask {
            voicehook::mask::mask_numbers(&joined)
        } else {
            joined
        };
        let (a, b) = (parts[0].len(), parts[0].len() + parts[1].len());
        let mut text = String::with_capacity(joined.len() + 8);
        if cut_before {
            text.push('…');
        }
        text.push_str(&Esc(&joined[..a]).to_string());
        let caret_start = text.len();
        text.push_str(&Esc(&joined[a..b]).to_string());
        let caret_end = text.len();
        text.push_str(&Esc(&joined[b..]).to_string());
        if cut_after {
            text.push('…');
        }
        let snippet = Snippet {
            name,
            text,
            line,
            column,
        };
        (snippet, caret_start..caret_end)
    }
}

impl<'a> Files<'a> for Snippet {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, Error> {
        Ok(self.line)
    }

    fn column_number(&'a self, (): (), _line: usize, _byte_index: usize) -> Result<usize, Error> {
        Ok(self.column)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        if line_index == 0 {
            Ok(0..self.text.len())
        } else {
            Err(Error::LineTooLarge {
                given: line_index,
                max: 0,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_ending_in_lf_crlf_and_lone_cr() {
        let src = b"ab\ncd\r\nef\rgh";
        let wanted = [
            (1, 1),
            (1, 3),
            (2, 1),
            (3, 2),
            (4, 1),
            (4, 3),
            (2, 9),
            (9, 1),
        ];
        assert_eq!(
            locate(src, &wanted),
            [
                (0, 0),
                (0, 2),
                (3, 3),
                (7, 8),
                (10, 10),
                (10, 12),
                (3, 5),
                (10, 12)
            ]
        );
    }

    #[test]
    fn columns_count_characters_and_stray_bytes_like_the_core() {
        let src = "é🎉x".as_bytes();
        assert_eq!(locate(src, &[(1, 3)]), [(0, 6)]);
        let bytes = b"\xff\x80x";
        assert_eq!(locate(bytes, &[(1, 2)]), [(0, 2)]);
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let src = b"{\"a\": 1,\n  \"b\": \"x\\\"y\", \"c\": 2}\n";
        let (s, caret) = Snippet::new("f".into(), src, (9, 16), 22, (2, 8), false);
        assert_eq!(s.text, "  \"b\": \"x\\\"y\", \"c\": 2}");
        assert_eq!(&s.text[caret], "\"x\\\"y\"");
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let mut src = "x".repeat(1000);
        src.replace_range(500..505, "\"abc\"");
        let (s, caret) = Snippet::new("f".into(), src.as_bytes(), (0, 500), 505, (1, 501), false);
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        assert_eq!(s.text.chars().count(), WIDTH + 2);
        assert_eq!(&s.text[caret.clone()], "\"abc\"");
        assert_eq!(s.text[..caret.start].chars().count(), 1 + LEAD);
        // near the end of the line the window takes more before the column
        let (s, caret) = Snippet::new("f".into(), src.as_bytes(), (0, 998), 1000, (1, 999), false);
        assert!(s.text.starts_with('…') && !s.text.ends_with('…'));
        assert_eq!(s.text.chars().count(), WIDTH + 1);
        assert_eq!(&s.text[caret], "xx");
    }

    #[test]
    fn escapes_widen_the_text_and_the_caret_follows() {
        let src = "\u{9b}\u{202e} \"\u{1b}]0;t\u{7}\"".as_bytes();
        let (s, caret) = Snippet::new("f".into(), src, (0, 6), src.len(), (1, 4), false);
        assert_eq!(s.text, "\\u{9b}\\u{202e} \"\\u{1b}]0;t\\u{7}\"");
        assert_eq!(&s.text[caret], "\"\\u{1b}]0;t\\u{7}\"");
    }

    #[test]
    fn a_cut_keeps_a_phone_number_whole_for_masking() {
        let mut src = "y".repeat(300);
        src.replace_range(150..151, ":");
        src.replace_range(99..112, " +6591178965 ");
        let (plain, _) = Snippet::new("f".into(), src.as_bytes(), (0, 150), 150, (1, 151), false);
        assert!(plain.text.contains("+6591178965"), "{}", plain.text);
        let (masked, _) = Snippet::new("f".into(), src.as_bytes(), (0, 150), 150, (1, 151), true);
        assert!(masked.text.contains("+65*****965"), "{}", masked.text);
    }

    #[test]
    fn carets_follow_the_span_and_stop_at_the_window() {
        let src = "\"abcdef\" 123, {é".as_bytes();
        assert_eq!(caret_end(src, 0, 8, src.len()), 8);
        assert_eq!(caret_end(src, 0, 8, 4), 4);
        assert_eq!(caret_end(src, 9, 12, src.len()), 12);
        // no span, or an empty one: one character, a whole one
        assert_eq!(caret_end(src, 9, 9, src.len()), 10);
        assert_eq!(caret_end(src, 15, 0, src.len()), 17);
        assert_eq!(caret_end(src, 17, 17, src.len()), 17);
    }
}
