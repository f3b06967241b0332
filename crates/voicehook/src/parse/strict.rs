//! The tape of a document that is plain JSON, built in one pass over its bytes with no token
//! stream, no pointer kept and nothing to report.
//!
//! Almost every document is plain JSON: nothing in it draws a finding from the parser. For
//! those, [`build`] gives the very tape the full builder ([`super::build`]) would. At the first
//! thing that builder would report, tolerate or word an error for (a comment, a trailing or
//! missing comma, other whitespace, a raw control character or an unusual escape in a string,
//! a repeated name, a number that is out of range, beyond 64 bits or reads as zero, nesting
//! beyond the limit, a syntax error) it gives up, and the full builder parses the document
//! from the start. Giving up is never wrong, only slower; `tests` compare the two tapes.

use super::build::{MAX_NESTING, SMALL, sorted_members};
use super::doc::{self, Span, Type};

/// The longest fraction read here: far from the 300-odd digits where a fraction without an
/// exponent can overflow a float or read as zero.
const MAX_FRACTION: usize = 64;

/// Why the strict pass gave up: the full builder decides.
struct GiveUp;

type Step<T> = Result<T, GiveUp>;

/// The tape of `src` when it is plain JSON that draws no finding, sized for `entries` entries;
/// `None` when the full builder must parse it.
pub(crate) fn build(src: &str, entries: usize, max_depth: usize) -> Option<doc::Builder> {
    let mut p = Strict {
        src,
        bytes: src.as_bytes(),
        at: 0,
        tape: doc::Builder::with_capacity(entries),
        depth: 0,
        max_depth: max_depth.min(MAX_NESTING),
    };
    p.whitespace();
    p.value().ok()?;
    p.whitespace();
    (p.at == p.bytes.len()).then_some(p.tape)
}

struct Strict<'s> {
    src: &'s str,
    bytes: &'s [u8],
    at: usize,
    tape: doc::Builder,
    depth: usize,
    max_depth: usize,
}

impl Strict<'_> {
    fn whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Step<u8> {
        self.whitespace();
        self.bytes.get(self.at).copied().ok_or(GiveUp)
    }

    fn value(&mut self) -> Step<()> {
        let start = self.at;
        match self.bytes.get(start).copied().ok_or(GiveUp)? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => {
                let decoded = self.string()?;
                let span = Span {
                    start,
                    end: self.at,
                };
                self.tape.scalar(Type::String, span, false, decoded);
                Ok(())
            }
            b't' => self.word(b"true", Type::Bool, true),
            b'f' => self.word(b"false", Type::Bool, false),
            b'n' => self.word(b"null", Type::Null, false),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(GiveUp),
        }
    }

    fn word(&mut self, word: &[u8], tag: Type, truth: bool) -> Step<()> {
        let start = self.at;
        if !self.bytes[start..].starts_with(word) {
            return Err(GiveUp);
        }
        self.at += word.len();
        // `nullx`, `true1`: jsonc-parser reads a word, not the literal
        if self
            .bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b >= 0x80)
        {
            return Err(GiveUp);
        }
        let span = Span {
            start,
            end: self.at,
        };
        self.tape.scalar(tag, span, truth, None);
        Ok(())
    }

    /// A number in JSON's grammar that reads exactly as written: an integer of at most 18
    /// digits (it fits 64 bits), or a fraction of at most [`MAX_FRACTION`] characters without
    /// an exponent that is not a negative zero (it cannot overflow or read as zero unless it
    /// is one). Anything else may be worded by
    /// the full builder (`json.number`, `json.precision`).
    fn number(&mut self) -> Step<()> {
        let start = self.at;
        let b = self.bytes;
        let mut i = start + usize::from(b[start] == b'-');
        let digits_start = i;
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => return Err(GiveUp),
        }
        let integer_digits = i - digits_start;
        let mut fraction = false;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let fraction_start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == fraction_start {
                return Err(GiveUp);
            }
            fraction = true;
        }
        // an exponent, a letter or a second point after the number: the full builder decides
        if b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-'))
        {
            return Err(GiveUp);
        }
        let literal = &b[start..i];
        let negative_zero =
            b[start] == b'-' && literal[1..].iter().all(|&c| matches!(c, b'0' | b'.'));
        // A fraction of hundreds of digits may overflow or read as zero.
        let long = literal.len() > MAX_FRACTION;
        if negative_zero || long || (!fraction && integer_digits > 18) {
            return Err(GiveUp);
        }
        self.at = i;
        self.tape
            .scalar(Type::Number, Span { start, end: i }, false, None);
        Ok(())
    }

    /// A string from its opening quote; its decoded text when it holds escapes (as the full
    /// builder keeps it). Raw control characters and escapes beyond JSON's plain ones (or a
    /// `\u` in the surrogate range) give up.
    fn string(&mut self) -> Step<Option<String>> {
        let b = self.bytes;
        let mut i = self.at + 1;
        // the text decoded so far, from the first escape on, and where the current run began
        let mut text: Option<String> = None;
        let mut run = i;
        loop {
            match b.get(i).copied().ok_or(GiveUp)? {
                b'"' => {
                    if let Some(text) = &mut text {
                        text.push_str(&self.src[run..i]);
                    }
                    self.at = i + 1;
                    return Ok(text);
                }
                b'\\' => {
                    let text = text.get_or_insert_with(|| String::with_capacity(i - run + 16));
                    text.push_str(&self.src[run..i]);
                    let decoded = match b.get(i + 1).copied().ok_or(GiveUp)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{08}',
                        b'f' => '\u{0C}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = self.src.get(i + 2..i + 6).ok_or(GiveUp)?;
                            if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                                return Err(GiveUp);
                            }
                            let code = u32::from_str_radix(hex, 16).map_err(|_| GiveUp)?;
                            i += 4;
                            char::from_u32(code).ok_or(GiveUp)?
                        }
                        _ => return Err(GiveUp),
                    };
                    text.push(decoded);
                    i += 2;
                    run = i;
                }
                c if c < 0x20 => return Err(GiveUp),
                _ => i += 1,
            }
        }
    }

    fn enter(&mut self) -> Step<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(GiveUp);
        }
        Ok(())
    }

    fn array(&mut self) -> Step<()> {
        self.enter()?;
        let at = self.tape.open(Type::Array, self.at);
        self.at += 1;
        let mut count = 0usize;
        if self.peek()? != b']' {
            loop {
                self.value()?;
                count += 1;
                match self.peek()? {
                    b',' => {
                        self.at += 1;
                        self.whitespace();
                    }
                    b']' => break,
                    _ => return Err(GiveUp),
                }
            }
        }
        self.at += 1;
        self.tape.close(at, self.at, count);
        self.depth -= 1;
        Ok(())
    }

    fn object(&mut self) -> Step<()> {
        self.enter()?;
        let at = self.tape.open(Type::Object, self.at);
        self.at += 1;
        let mut count = 0usize;
        // The name keys of the first members: a repeated name among them gives up.
        let mut names = [0u64; SMALL];
        if self.peek()? != b'}' {
            loop {
                if self.peek()? != b'"' {
                    return Err(GiveUp);
                }
                let key_start = self.at;
                let decoded = self.string()?;
                let key_span = Span {
                    start: key_start,
                    end: self.at,
                };
                if self.peek()? != b':' {
                    return Err(GiveUp);
                }
                self.at += 1;
                self.whitespace();
                let name_key = doc::name_key(match &decoded {
                    Some(text) => text,
                    None => &self.src[key_start + 1..key_span.end - 1],
                });
                let key = self.tape.key(key_span, decoded);
                if count < SMALL {
                    if names[..count].contains(&name_key) && self.repeats_earlier(at, key) {
                        return Err(GiveUp);
                    }
                    names[count] = name_key;
                }
                self.value()?;
                self.tape.end_member(key);
                count += 1;
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => break,
                    _ => return Err(GiveUp),
                }
            }
        }
        if count > SMALL {
            let sorted = sorted_members(&self.tape, self.src, at, count);
            let repeated = sorted.windows(2).any(|w| {
                w[0].0 == w[1].0
                    && self.tape.key_text(self.src, w[0].1) == self.tape.key_text(self.src, w[1].1)
            });
            if repeated {
                return Err(GiveUp);
            }
            self.tape.set_index(at, sorted.into_boxed_slice());
        }
        self.at += 1;
        self.tape.close(at, self.at, count);
        self.depth -= 1;
        Ok(())
    }

    /// Whether the member just named (`key`) repeats an earlier name of the object `object`.
    fn repeats_earlier(&self, object: u32, key: u32) -> bool {
        let name = self.tape.key_text(self.src, key);
        self.tape
            .keys(object, key)
            .any(|k| self.tape.key_text(self.src, k) == name)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Limits, parse_with};

    /// Parses `text` both ways and requires the same outcome: the same tape, findings and
    /// errors. Returns whether the strict pass took it, after checking its premise: what it
    /// takes, the full builder has nothing to say about.
    fn both(text: &[u8]) -> bool {
        let limits = Limits::default();
        let full = parse_with(text.to_vec(), &limits, false);
        let first = parse_with(text.to_vec(), &limits, true);
        let shown = String::from_utf8_lossy(text);
        match (&full, &first) {
            (Ok(a), Ok(b)) => {
                assert!(a.doc.same_tape(&b.doc), "tapes differ: {shown}");
                assert_eq!(a.errors, b.errors, "{shown}");
                assert_eq!(a.warnings, b.warnings, "{shown}");
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{shown}"),
            _ => panic!("one parsed and one did not: {shown}"),
        }
        let taken = std::str::from_utf8(text)
            .ok()
            .and_then(|src| super::build(src, 16, limits.max_depth))
            .is_some();
        if taken {
            let parsed = full.as_ref().expect("taken, so it parses");
            assert!(
                parsed.errors.is_empty() && parsed.warnings.is_empty(),
                "taken although the full builder reports: {shown}: {:?} {:?}",
                parsed.errors,
                parsed.warnings
            );
        }
        taken
    }

    #[test]
    fn plain_json_takes_the_strict_pass() {
        let large: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let large = format!("{{{}}}", large.join(", "));
        for text in [
            r#"{"a": 1}"#,
            " \t\r\n[1, -2, 2.5, -0.5, 0, 0.0, \"x\\u0041\", true, false, null, {}, []]\n",
            r#"{"s": "\"\\\/\b\f\n\r\t", "é🎉": "ü", "\u00e9": {"deep": [[{"x": [null]}]]}}"#,
            "123456789012345678",
            "-123456789012345678",
            "\"just a string\"",
            large.as_str(),
        ] {
            assert!(both(text.as_bytes()), "should take: {text}");
        }
    }

    #[test]
    fn whatever_the_parser_reports_goes_to_the_full_builder() {
        let small_duplicate = r#"{"a": 1, "b": 2, "a": 3}"#;
        let mut members: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        members.push("\"k7\": 0".into());
        let large_duplicate = format!("{{{}}}", members.join(", "));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let long_fraction = format!("0.{}1", "0".repeat(400));
        let long_integer = format!("{}.5", "9".repeat(400));
        for text in [
            "{\"a\": 1 // note\n}",
            "{\"a\": 1 /* note */}",
            r#"{"a": 1,}"#,
            "[1, 2,]",
            r#"{"a": 1 "b": 2}"#,
            "[1 2]",
            small_duplicate,
            large_duplicate.as_str(),
            "-0",
            "-0.0",
            "1e5",
            "1E-400",
            "1e400",
            "123456789012345678901",
            long_fraction.as_str(),
            long_integer.as_str(),
            "01",
            "1.",
            ".5",
            "+1",
            "0x1F",
            r#""\x41""#,
            "\"tab\there\"",
            r#""\ud83d\ude00""#,
            r#""\ud800""#,
            "{\"a\":\u{a0}1}",
            "[nul]",
            "[truex]",
            "[NaN]",
            "{a: 1}",
            "{'a': 1}",
            deep.as_str(),
            "{} x",
            "[1]]",
            "{\"a\" 1}",
            "\"unterminated",
        ] {
            assert!(!both(text.as_bytes()), "should give up: {text}");
        }
    }

    #[test]
    fn the_fixtures_and_their_mutations_read_the_same_both_ways() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/docs");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("tests/fixtures/docs")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert!(files.len() > 30, "{} fixtures", files.len());
        let (mut taken, mut mutations) = (0, 0);
        for path in files {
            let text = std::fs::read(&path).expect("fixture");
            taken += usize::from(both(&text));
            // Each mutation at every 29th byte: a byte replaced, or removed.
            for at in (0..text.len()).step_by(29) {
                for with in [
                    b",".as_slice(),
                    b"}",
                    b"\"",
                    b"\\",
                    b"0",
                    b"-",
                    b"\t",
                    b"e",
                    b"/",
                    b"",
                ] {
                    let mut changed = text.clone();
                    changed.splice(at..at + 1, with.iter().copied());
                    both(&changed);
                    mutations += 1;
                }
            }
        }
        assert!(taken > 30, "only {taken} fixtures took the strict pass");
        assert!(mutations > 4_000, "{mutations} mutations");
    }
}
