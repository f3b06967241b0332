//! Output that is safe to print: document text never reaches a terminal as control characters.
//!
//! A document is untrusted: its keys, values and raw bytes can hold ESC sequences (colours,
//! cursor moves, OSC 8 links, window titles), BEL, the 8-bit CSI U+009B, or bidirectional
//! overrides (U+202E) that make a terminal show something other than what was read.
//!
//! - Human output writes every such character of document text (messages, pointers, source
//!   snippets, decoded values, file names) as a visible Rust-style escape: `\u{1b}`, `\u{9b}`,
//!   `\u{202e}` (lowercase hexadecimal, no leading zeros). The characters escaped are the C0
//!   controls except the tab, DEL, the C1 controls (U+0080–U+009F), and the bidirectional
//!   embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069. Line breaks are written
//!   by voicehook itself, never taken from document text. Backslashes are printed as they are.
//! - JSON output escapes the same characters as `\uXXXX` (serde_json already does so for C0).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, PrettyFormatter, Serializer};

/// A bidirectional embedding, override or isolate control.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is printed as an escape in human output: C0 except tab, DEL, C1, bidi controls.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t') || is_bidi(c)
}

/// How many columns `c` takes once escaped (`\u{1b}` is 6), or 1 when it is printed as it is.
pub fn escaped_len(c: char) -> usize {
    if is_unsafe(c) {
        // `\u{` + hex digits + `}`
        let hex = (32 - (c as u32 | 1).leading_zeros()).div_ceil(4) as usize;
        4 + hex
    } else {
        1
    }
}

/// Document text for human output, with every unsafe character escaped.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some((i, c)) = rest.char_indices().find(|&(_, c)| is_unsafe(c)) {
            f.write_str(&rest[..i])?;
            write!(f, "\\u{{{:x}}}", c as u32)?;
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// `text` with every unsafe character escaped; borrowed when there is none.
pub fn escape(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_unsafe) {
        Cow::Owned(Esc(text).to_string())
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` masked when asked, escaped, and cut to `max` characters with a note of what was left
/// out, so that one enormous value cannot make the output enormous.
pub fn shown(text: &str, mask: bool, max: usize) -> String {
    let masked = if mask {
        Cow::Owned(voicehook::mask::mask_numbers(text))
    } else {
        Cow::Borrowed(text)
    };
    let escaped = escape(&masked);
    let total = escaped.chars().count();
    if total <= max {
        return escaped.into_owned();
    }
    let cut: String = escaped.chars().take(max).collect();
    format!("{cut}… ({} more characters)", total - max)
}

/// A serde_json formatter that also escapes DEL, the C1 controls and the bidirectional controls
/// as `\uXXXX`; serde_json itself escapes only C0, `"` and `\`.
pub struct SafeJson<F>(pub F);

impl<F: Formatter> Formatter for SafeJson<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((i, c)) = rest
            .char_indices()
            .find(|&(_, c)| c.is_control() || is_bidi(c))
        {
            self.0.write_string_fragment(writer, &rest[..i])?;
            write!(writer, "\\u{:04x}", c as u32)?;
            rest = &rest[i + c.len_utf8()..];
        }
        self.0.write_string_fragment(writer, rest)
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        self.0.write_char_escape(writer, char_escape)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// Writes `value` as one line of compact JSON, safe to print.
pub fn json_line<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut ser = Serializer::with_formatter(&mut *out, SafeJson(CompactFormatter));
    value.serialize(&mut ser).map_err(io::Error::from)?;
    writeln!(out)
}

/// Writes `value` as indented JSON and a newline, safe to print.
pub fn json_pretty<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut ser = Serializer::with_formatter(&mut *out, SafeJson(PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(io::Error::from)?;
    writeln!(out)
}

/// A writer that masks phone numbers line by line before passing the text on. Masking keeps
/// every character's width. Numbers never span lines, so nothing but one line is held.
pub struct MaskLines<W: Write> {
    inner: W,
    line: Vec<u8>,
}

impl<W: Write> MaskLines<W> {
    pub fn new(inner: W) -> Self {
        MaskLines {
            inner,
            line: Vec::new(),
        }
    }

    fn write_line(&mut self) -> io::Result<()> {
        let masked = voicehook::mask::mask_numbers(&String::from_utf8_lossy(&self.line));
        self.line.clear();
        self.inner.write_all(masked.as_bytes())
    }
}

impl<W: Write> Write for MaskLines<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            self.line.extend_from_slice(&rest[..=i]);
            self.write_line()?;
            rest = &rest[i + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            self.write_line()?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_c1_del_and_bidi_but_not_tabs_or_text() {
        let text = "a\u{1b}[31mb\tc\u{7}\u{7f}\u{9b}\u{202e}\u{2069}é\u{0}\n";
        assert_eq!(
            escape(text),
            "a\\u{1b}[31mb\tc\\u{7}\\u{7f}\\u{9b}\\u{202e}\\u{2069}é\\u{0}\\u{a}"
        );
        assert!(matches!(escape("plain é 🎉"), Cow::Borrowed(_)));
        for c in ['\u{0}', '\u{1b}', '\u{9b}', '\u{202e}', 'x', '\t'] {
            assert_eq!(
                escaped_len(c),
                Esc(&c.to_string()).to_string().len(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn json_escapes_c1_and_bidi_as_u_escapes() {
        let mut out = Vec::new();
        json_line(
            &mut out,
            &serde_json::json!({"k\u{202e}": "\u{1b}\u{9b}\u{7f}\u{2066}é"}),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"k\\u202e\":\"\\u001b\\u009b\\u007f\\u2066é\"}\n"
        );
    }

    #[test]
    fn pretty_json_keeps_its_indentation() {
        let mut out = Vec::new();
        json_pretty(&mut out, &serde_json::json!({"a": [1, "\u{9b}"]})).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"a\": [\n    1,\n    \"\\u009b\"\n  ]\n}\n"
        );
    }

    #[test]
    fn shown_cuts_long_text_and_says_how_much() {
        assert_eq!(shown("abcdef", false, 3), "abc… (3 more characters)");
        assert_eq!(shown("+6591178965", true, 100), "+65*****965");
    }

    #[test]
    fn mask_lines_masks_numbers_split_across_writes() {
        let mut out = MaskLines::new(Vec::new());
        out.write_all(b"call +65911").unwrap();
        out.write_all(b"78965 done\nnext").unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "call +65*****965 done\nnext"
        );
    }
}
