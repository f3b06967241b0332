//! A cheap, iterative walk over raw bytes that follows only the document's outline: where
//! containers open and close, which member or element comes next, what the grammar expects.
//!
//! It is not a parser (jsonc-parser is): it validates nothing. It runs before the parser to
//! reject depth bombs without recursion (`json.depth`), and after a failure to say where in the
//! document (a JSON pointer) and in which state (what was expected) a byte offset lies. It works
//! on bytes that may not be UTF-8 and uses heap memory bounded by the depth cap.

use std::borrow::Cow;

/// What the grammar expects next at some point of the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A value: the root, after `:` or after `,` in an array.
    Value,
    /// A value or `]`: just after `[`.
    ValueOrClose,
    /// A property name or `}`: just after `{`.
    KeyOrClose,
    /// A property name: after `,` in an object.
    Key,
    /// `:` after a property name.
    Colon,
    /// `,` or the closing bracket after a member or element.
    CommaOrClose,
    /// Nothing more after the root value.
    End,
}

/// Where a byte offset lies: the pointer, what was expected there and in which container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Context {
    /// Best-effort RFC 6901 pointer of the value the offset belongs to.
    pub pointer: String,
    /// What the grammar expected at the token that holds the offset.
    pub expect: Expect,
    /// `Some(true)` in an array, `Some(false)` in an object, `None` at the top level.
    pub in_array: Option<bool>,
}

/// One open container.
#[derive(Clone, Debug)]
struct Frame {
    array: bool,
    /// Index of the current element (arrays).
    index: usize,
    /// Byte range of the current member's name, quotes included (objects).
    key: Option<(usize, usize)>,
    expect: Expect,
}

/// The walk's state.
struct Walk<'b> {
    bytes: &'b [u8],
    frames: Vec<Frame>,
    /// Containers open beyond `cap`, counted but not tracked.
    hidden: usize,
    cap: usize,
    root: Expect,
}

/// How a walk ended early.
enum Stop {
    /// A container opened at this offset is nested deeper than the limit.
    Depth(usize),
}

impl<'b> Walk<'b> {
    fn new(bytes: &'b [u8], cap: usize) -> Self {
        Walk {
            bytes,
            frames: Vec::new(),
            hidden: 0,
            cap,
            root: Expect::Value,
        }
    }

    fn depth(&self) -> usize {
        self.frames.len() + self.hidden
    }

    /// Walks the tokens in order; before applying each one, `visit(self, start, end)` may stop the
    /// walk by returning true. With `max_depth`, a container that would exceed it stops the walk.
    fn run(
        &mut self,
        max_depth: Option<usize>,
        mut visit: impl FnMut(&Self, usize, usize) -> bool,
    ) -> Result<(), Stop> {
        let bytes = self.bytes;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
                continue;
            }
            let start = i;
            let end = token_end(bytes, i);
            if visit(self, start, end) {
                return Ok(());
            }
            match b {
                b'{' | b'[' => {
                    if max_depth.is_some_and(|max| self.depth() >= max) {
                        return Err(Stop::Depth(start));
                    }
                    let frame = Frame {
                        array: b == b'[',
                        index: 0,
                        key: None,
                        expect: if b == b'[' {
                            Expect::ValueOrClose
                        } else {
                            Expect::KeyOrClose
                        },
                    };
                    if self.frames.len() < self.cap && self.hidden == 0 {
                        self.frames.push(frame);
                    } else {
                        self.hidden += 1;
                    }
                }
                b'}' | b']' => {
                    if self.hidden > 0 {
                        self.hidden -= 1;
                    } else {
                        self.frames.pop();
                    }
                    self.value_done();
                }
                b':' => {
                    if let Some(top) = self.top()
                        && !top.array
                    {
                        top.expect = Expect::Value;
                    }
                }
                b',' => {
                    if let Some(top) = self.top() {
                        if top.array {
                            top.index += 1;
                            top.expect = Expect::Value;
                        } else {
                            top.key = None;
                            top.expect = Expect::Key;
                        }
                    }
                }
                b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => {}
                b'"' => match self.top() {
                    Some(top)
                        if !top.array && matches!(top.expect, Expect::KeyOrClose | Expect::Key) =>
                    {
                        top.key = Some((start, end));
                        top.expect = Expect::Colon;
                    }
                    _ => self.value_done(),
                },
                _ => self.value_done(),
            }
            i = end.max(start + 1);
        }
        visit(self, bytes.len(), bytes.len());
        Ok(())
    }

    /// The innermost tracked container, unless it is hidden beyond the cap.
    fn top(&mut self) -> Option<&mut Frame> {
        if self.hidden > 0 {
            return None;
        }
        self.frames.last_mut()
    }

    fn value_done(&mut self) {
        if self.hidden > 0 {
            return;
        }
        match self.frames.last_mut() {
            Some(top) => top.expect = Expect::CommaOrClose,
            None => self.root = Expect::End,
        }
    }

    /// The context of a token at the current state; `inside` when the offset is within a value
    /// token rather than at its start.
    fn context(&self, inside: bool) -> Context {
        let mut pointer = String::new();
        let last = self.frames.len().saturating_sub(1);
        for (n, frame) in self.frames.iter().enumerate() {
            let top = n == last && self.hidden == 0;
            if frame.array {
                if !top || inside || frame.expect == Expect::CommaOrClose {
                    pointer.push('/');
                    pointer.push_str(&frame.index.to_string());
                }
            } else if let Some((start, end)) = frame.key {
                pointer.push('/');
                if end - start > LONG_KEY {
                    // Best effort, and bounded: a megabyte name is named by its start, so a
                    // hundred errors inside it do not each copy it whole.
                    push_escaped(&mut pointer, &key_text(self.bytes, start, start + LONG_KEY));
                    pointer.push('…');
                } else {
                    push_escaped(&mut pointer, &key_text(self.bytes, start, end));
                }
            }
        }
        let (expect, in_array) = match self.frames.last() {
            Some(top) if self.hidden == 0 => (top.expect, Some(top.array)),
            Some(_) => (Expect::Value, None),
            None if self.hidden > 0 => (Expect::Value, None),
            None => (self.root, None),
        };
        Context {
            pointer,
            expect,
            in_array,
        }
    }
}

/// Member names longer than this many bytes are cut in the pointers of contexts.
const LONG_KEY: usize = 256;

/// End (exclusive) of the token that starts at `i`.
fn token_end(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'{' | b'}' | b'[' | b']' | b':' | b',' => i + 1,
        b'"' => {
            let mut j = i + 1;
            while j < bytes.len() {
                match bytes[j] {
                    b'\\' => j += 2,
                    b'"' => return j + 1,
                    _ => j += 1,
                }
            }
            bytes.len()
        }
        b'/' if bytes.get(i + 1) == Some(&b'/') => {
            let mut j = i + 2;
            while j < bytes.len() && !matches!(bytes[j], b'\n' | b'\r') {
                j += 1;
            }
            j
        }
        b'/' if bytes.get(i + 1) == Some(&b'*') => {
            let mut j = i + 2;
            while j + 1 < bytes.len() {
                if bytes[j] == b'*' && bytes[j + 1] == b'/' {
                    return j + 2;
                }
                j += 1;
            }
            bytes.len()
        }
        _ => {
            let mut j = i + 1;
            while j < bytes.len()
                && !matches!(
                    bytes[j],
                    b' ' | b'\t'
                        | b'\n'
                        | b'\r'
                        | b'{'
                        | b'}'
                        | b'['
                        | b']'
                        | b':'
                        | b','
                        | b'"'
                        | b'/'
                )
            {
                j += 1;
            }
            j
        }
    }
}

/// The decoded name of the string token `bytes[start..end]` (quotes included), best effort.
pub(crate) fn key_text(bytes: &[u8], start: usize, end: usize) -> Cow<'_, str> {
    let raw = bytes.get(start..end).unwrap_or_default();
    let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
    if !inner.contains(&b'\\')
        && let Ok(text) = std::str::from_utf8(inner)
    {
        return Cow::Borrowed(text);
    }
    match serde_json::from_slice::<String>(raw) {
        Ok(text) => Cow::Owned(text),
        Err(_) => String::from_utf8_lossy(inner),
    }
}

/// Appends `segment` to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub(crate) fn push_escaped(pointer: &mut String, segment: &str) {
    // Almost every name has neither: one copy.
    if !segment.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            _ => pointer.push(c),
        }
    }
}

/// The offset and pointer of the first container nested deeper than `max_depth`, if any.
pub(crate) fn check_depth(bytes: &[u8], max_depth: usize) -> Option<(usize, String)> {
    let mut walk = Walk::new(bytes, max_depth);
    match walk.run(Some(max_depth), |_, _, _| false) {
        Ok(()) => None,
        Err(Stop::Depth(offset)) => Some((offset, walk.context(true).pointer)),
    }
}

/// The context of each offset in `offsets` (sorted ascending), in one walk.
/// Containers deeper than `cap` are counted but not named in pointers.
pub(crate) fn contexts_at(bytes: &[u8], offsets: &[usize], cap: usize) -> Vec<Context> {
    let mut found = Vec::with_capacity(offsets.len());
    let mut walk = Walk::new(bytes, cap);
    let _ = walk.run(None, |walk, start, end| {
        while let Some(&offset) = offsets.get(found.len()) {
            if offset >= end && start < bytes.len() {
                break;
            }
            // at or in a token that is (or opens) a value: the pointer names that value
            let inside = offset >= start
                && !matches!(
                    bytes.get(start),
                    None | Some(b'}' | b']' | b',' | b':' | b'/')
                );
            found.push(walk.context(inside));
        }
        found.len() == offsets.len()
    });
    while found.len() < offsets.len() {
        found.push(walk.context(false));
    }
    found
}

/// The context of one offset.
pub(crate) fn context_at(bytes: &[u8], offset: usize, cap: usize) -> Context {
    contexts_at(bytes, &[offset], cap).pop().unwrap_or(Context {
        pointer: String::new(),
        expect: Expect::Value,
        in_array: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> Context {
        let offset = text.find(needle).unwrap();
        context_at(text.as_bytes(), offset, 128)
    }

    #[test]
    fn depth_is_checked_without_recursion() {
        let deep = "[".repeat(200_000);
        let (offset, pointer) = check_depth(deep.as_bytes(), 128).unwrap();
        assert_eq!(offset, 128);
        assert_eq!(pointer, "/0".repeat(128));
        assert_eq!(check_depth(b"[[[]]]", 3), None);
        assert_eq!(check_depth(b"[[[[]]]]", 3).map(|d| d.0), Some(3));
    }

    #[test]
    fn depth_ignores_brackets_in_strings_and_comments() {
        let text = r#"{"a": "[[[[[\"[[[[", "b": 1 // [[[[[
        /* {{{{{ */ }"#;
        assert_eq!(check_depth(text.as_bytes(), 1), None);
    }

    #[test]
    fn pointers_name_members_and_elements() {
        let text = r#"{"a": [1, {"b/c": "x~"}], "d": }"#;
        assert_eq!(at(text, "\"x~").pointer, "/a/1/b~1c");
        assert_eq!(at(text, "1,").pointer, "/a/0");
        let end = context_at(text.as_bytes(), text.rfind('}').unwrap(), 128);
        assert_eq!(end.pointer, "/d");
        assert_eq!(end.expect, Expect::Value);
    }

    #[test]
    fn expectations_follow_the_grammar() {
        let text = r#"{"a": 1 "b": 2}"#;
        let ctx = at(text, "\"b\"");
        assert_eq!(ctx.expect, Expect::CommaOrClose);
        assert_eq!(ctx.in_array, Some(false));
        assert_eq!(ctx.pointer, "/a");
        let ctx = context_at(b"[1, ]", 4, 128);
        assert_eq!(ctx.expect, Expect::Value);
        assert_eq!(ctx.pointer, "");
        assert_eq!(context_at(b"{} x", 3, 128).expect, Expect::End);
    }

    #[test]
    fn several_offsets_in_one_walk() {
        let text = br#"["a", "b", "c"]"#;
        let found = contexts_at(text, &[2, 7, 12, 99], 128);
        let pointers: Vec<_> = found.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(pointers, ["/0", "/1", "/2", ""]);
    }
}
