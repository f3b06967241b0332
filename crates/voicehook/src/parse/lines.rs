//! Byte offsets to 1-based line and column (in characters), computed on demand.
//!
//! A line ends at `\n`, `\r\n` or a lone `\r` (as in editors and in jsonc-parser's own errors).
//! Columns count Unicode scalar values; over bytes that are not UTF-8 each byte that does not
//! continue a character counts as one, so invalid input still gets sensible positions.

/// Distance in bytes between two checkpoints of a [`LineIndex`].
const STEP: usize = 1024;

/// Line and column state at one byte offset.
#[derive(Clone, Copy, Debug)]
struct Mark {
    line: u32,
    column: u32,
}

/// Checkpoints every [`STEP`] bytes, so a lookup scans at most `STEP` bytes whatever the shape
/// of the text (many short lines or one long minified line).
#[derive(Clone, Debug)]
pub(crate) struct LineIndex {
    marks: Vec<Mark>,
}

impl LineIndex {
    /// Builds the index in one pass over `bytes`.
    pub(crate) fn new(bytes: &[u8]) -> Self {
        let mut marks = Vec::with_capacity(bytes.len() / STEP + 1);
        let mut mark = Mark { line: 1, column: 1 };
        let mut start: usize = 0;
        loop {
            marks.push(mark);
            let end = start.saturating_add(STEP);
            if end > bytes.len() {
                break;
            }
            mark = advance(bytes, start, end, mark);
            start = end;
        }
        LineIndex { marks }
    }

    /// Line and column of `offset` in `bytes` (the same bytes the index was built from).
    /// Offsets past the end give the position just after the last character.
    pub(crate) fn line_col(&self, bytes: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(bytes.len());
        let slot = (offset / STEP).min(self.marks.len().saturating_sub(1));
        let Some(&mark) = self.marks.get(slot) else {
            return (1, 1);
        };
        let mark = advance(bytes, slot * STEP, offset, mark);
        (mark.line, mark.column)
    }
}

/// Where the last lookup of a run in document order ended, so the next one goes on from there.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Cursor(Option<(usize, Mark)>);

impl Cursor {
    /// Line and column of `offset`, reading on from the previous offset (or the start): for
    /// offsets in increasing order, one pass over the text up to the last of them, with no index.
    pub(crate) fn line_col(&mut self, bytes: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(bytes.len());
        let (from, mark) = match self.0 {
            Some((at, mark)) if at <= offset => (at, mark),
            _ => (0, Mark { line: 1, column: 1 }),
        };
        let mark = advance(bytes, from, offset, mark);
        self.0 = Some((offset, mark));
        (mark.line, mark.column)
    }
}

impl LineIndex {
    /// [`line_col`](Self::line_col) for offsets looked up in increasing order: each one reads
    /// on from the previous one when it is in the same checkpoint interval, so many positions
    /// in one region cost one scan of it.
    pub(crate) fn line_col_after(
        &self,
        bytes: &[u8],
        offset: usize,
        cursor: &mut Cursor,
    ) -> (u32, u32) {
        let offset = offset.min(bytes.len());
        let slot = (offset / STEP).min(self.marks.len().saturating_sub(1));
        let (from, mark) = match cursor.0 {
            Some((at, mark)) if at <= offset && at >= slot * STEP => (at, mark),
            _ => match self.marks.get(slot) {
                Some(&mark) => (slot * STEP, mark),
                None => (0, Mark { line: 1, column: 1 }),
            },
        };
        let mark = advance(bytes, from, offset, mark);
        cursor.0 = Some((offset, mark));
        (mark.line, mark.column)
    }
}

/// The state after reading `bytes[from..to]`, starting in state `mark` at `from`: the line
/// breaks found with `memchr`, the column counted over the text after the last of them.
fn advance(bytes: &[u8], from: usize, to: usize, mut mark: Mark) -> Mark {
    let to = to.min(bytes.len());
    let Some(text) = bytes.get(from..to) else {
        return mark;
    };
    let before = |i: usize| match i {
        0 => from.checked_sub(1).and_then(|p| bytes.get(p)).copied(),
        _ => Some(text[i - 1]),
    };
    let mut line_start = None;
    for i in memchr::memchr2_iter(b'\n', b'\r', text) {
        // `\n` after `\r` ends the same line break
        if !(text[i] == b'\n' && before(i) == Some(b'\r')) {
            mark.line = mark.line.saturating_add(1);
        }
        line_start = Some(i + 1);
    }
    let tail = match line_start {
        Some(start) => {
            mark.column = 1;
            &text[start..]
        }
        None => text,
    };
    let characters = tail.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    mark.column = mark
        .column
        .saturating_add(u32::try_from(characters).unwrap_or(u32::MAX));
    mark
}

/// 1-based line and column (in characters) of `byte_offset` in `source`.
///
/// This scans `source` from the start; to look up many positions in one document use
/// [`Parsed::line_col`](super::Parsed::line_col), which keeps an index.
pub fn line_col(source: &str, byte_offset: usize) -> (u32, u32) {
    let mark = advance(
        source.as_bytes(),
        0,
        byte_offset,
        Mark { line: 1, column: 1 },
    );
    (mark.line, mark.column)
}

/// Like [`line_col`] over raw bytes that may not be UTF-8.
pub(crate) fn line_col_bytes(bytes: &[u8], byte_offset: usize) -> (u32, u32) {
    let mark = advance(bytes, 0, byte_offset, Mark { line: 1, column: 1 });
    (mark.line, mark.column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One byte at a time: the definition `advance` must agree with.
    fn reference(bytes: &[u8], offset: usize) -> (u32, u32) {
        let (mut line, mut column, mut previous) = (1u32, 1u32, 0u8);
        for &b in &bytes[..offset.min(bytes.len())] {
            match b {
                b'\n' if previous == b'\r' => {}
                b'\n' | b'\r' => (line, column) = (line + 1, 1),
                _ if b & 0xC0 == 0x80 => {}
                _ => column += 1,
            }
            previous = b;
        }
        (line, column)
    }

    #[test]
    fn every_lookup_agrees_with_reading_one_byte_at_a_time() {
        // Line breaks of every kind, next to each other, at the checkpoints and across them;
        // characters of every width; bytes that are not UTF-8.
        let mut bytes = Vec::new();
        for i in 0..4000usize {
            bytes.extend_from_slice(match i % 9 {
                0 => "é".as_bytes(),
                1 => b"\r\n",
                2 => b"abc",
                3 => b"\r",
                4 => b"\n\n",
                5 => "🎉".as_bytes(),
                6 => b"\xff\x80",
                7 => b"\r\r\n",
                _ => b"x",
            });
        }
        let index = LineIndex::new(&bytes);
        let mut cursor = Cursor::default();
        for offset in 0..=bytes.len() + 2 {
            let want = reference(&bytes, offset);
            assert_eq!(line_col_bytes(&bytes, offset), want, "at {offset}");
            assert_eq!(index.line_col(&bytes, offset), want, "indexed, at {offset}");
            assert_eq!(
                cursor.line_col(&bytes, offset),
                want,
                "in a run, at {offset}"
            );
        }
    }

    #[test]
    fn counts_lines_and_characters() {
        let text = "ab\ncd\r\nef\rgh";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (1, 3));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (3, 1));
        assert_eq!(line_col(text, 10), (4, 1));
        assert_eq!(line_col(text, 99), (4, 3));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "\"é🎉\": 1";
        assert_eq!(line_col(text, text.find(':').unwrap()), (1, 5));
    }

    #[test]
    fn a_run_in_document_order_agrees_with_single_lookups() {
        let text = "ab\r\ncd\ré🎉\n".repeat(700);
        let bytes = text.as_bytes();
        let index = LineIndex::new(bytes);
        let mut cursor = Cursor::default();
        let mut plain = Cursor::default();
        for offset in (0..bytes.len() + 3).step_by(7) {
            assert_eq!(
                index.line_col_after(bytes, offset, &mut cursor),
                index.line_col(bytes, offset),
                "at {offset}"
            );
            assert_eq!(
                plain.line_col(bytes, offset),
                index.line_col(bytes, offset),
                "at {offset}"
            );
        }
    }

    #[test]
    fn index_agrees_with_a_scan_everywhere() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(match i % 4 {
                0 => "é",
                1 => "\r\n",
                2 => "abc",
                _ => "\r",
            });
        }
        text.push_str(&"x".repeat(5000));
        let bytes = text.as_bytes();
        let index = LineIndex::new(bytes);
        for offset in (0..=bytes.len() + 2).step_by(7) {
            assert_eq!(
                index.line_col(bytes, offset),
                line_col(&text, offset),
                "offset {offset}"
            );
        }
        assert_eq!(index.line_col(bytes, STEP), line_col(&text, STEP));
    }
}
