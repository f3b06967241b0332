//! From the tokens of jsonc-parser's scanner to the document's tape, in one pass that also
//! reports what is tolerated so that all of it is reported at once: comments, trailing commas,
//! missing commas, non-JSON whitespace, raw control characters in strings, duplicate keys and
//! numbers out of range. The grammar is jsonc-parser's own (`parse_to_value` with the options in
//! [`super::parse_options`]); at anything it would stop at, the pass gives up and the caller asks
//! jsonc-parser for its error, so every message stays the one it words.
//!
//! Recursion follows the document's nesting, which the outline pre-scan has bounded, and stops at
//! jsonc-parser's own limit.

use crate::catalog;
use std::borrow::Cow;
use std::fmt::Write;
use std::str::FromStr;
use std::sync::Arc;

use jsonc_parser::tokens::Token;
use jsonc_parser::{Scanner, ScannerOptions};

use super::diag::{Sink, describe_char, leading_zero};
use super::doc::{self, Doc, Span, Type};
use super::outline::push_escaped;

/// Objects with more members than this have their duplicates found, and their index built, when
/// they close (sorted by name), instead of comparing each name with the ones before it.
pub(crate) const SMALL: usize = 16;

/// jsonc-parser's nesting limit.
pub(crate) const MAX_NESTING: usize = 512;

/// Where the pass gave up: jsonc-parser stops here too, and says why.
pub(crate) struct GiveUp;

/// Why a document has no tape.
pub(crate) enum Stopped {
    /// Where jsonc-parser stops too (it says why).
    Syntax,
    /// Arrays and objects nest deeper than the limit.
    TooDeep,
}

/// The `count` members of the object at `object` by hash of the name, then position, with the
/// members of one name next to each other (in order of position) where names share a hash;
/// without repeats this is the object's lookup index ([`doc::Builder::set_index`]).
pub(crate) fn sorted_members(
    tape: &doc::Builder,
    src: &str,
    object: u32,
    count: usize,
) -> Vec<(u32, u32)> {
    let mut sorted: Vec<(u32, u32)> = Vec::with_capacity(count);
    sorted.extend(
        tape.keys(object, u32::MAX)
            .map(|k| (doc::hash(tape.key_text(src, k)), k)),
    );
    // By hash, then by place: the same sort (and code) as a tape's own index. Names that share
    // a hash are rare; only a run of three or more needs its equal names brought together, by
    // name then place, in place (a handful of members: insertion sort, no second sort routine).
    sorted.sort_unstable();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        if j - i > 2 {
            let run = &mut sorted[i..j];
            for a in 1..run.len() {
                let mut b = a;
                while b > 0 && tape.key_text(src, run[b - 1].1) > tape.key_text(src, run[b].1) {
                    run.swap(b - 1, b);
                    b -= 1;
                }
            }
        }
        i = j;
    }
    sorted
}

/// Walks one document; collects errors and warnings into its sinks.
pub(crate) struct Builder<'s, 'l> {
    src: &'s str,
    scanner: Scanner<'s>,
    tape: doc::Builder,
    pub(crate) errors: Sink<'l>,
    pub(crate) warnings: Sink<'l>,
    /// Pointer of the value being built.
    path: String,
    depth: usize,
    /// The nesting limit (at most jsonc-parser's own).
    max_depth: usize,
    /// The pass gave up because of the nesting limit.
    too_deep: bool,
}

/// What lies between two tokens.
#[derive(Default)]
struct Gap {
    commas: usize,
    first_comma: usize,
}

type Next<'s> = Result<Option<(Token<'s>, Span)>, GiveUp>;

impl<'s, 'l> Builder<'s, 'l> {
    /// A builder for `src`, whose tape is sized for `entries` entries (see [`measure`]).
    pub(crate) fn new(
        src: &'s str,
        entries: usize,
        max_depth: usize,
        errors: Sink<'l>,
        warnings: Sink<'l>,
    ) -> Self {
        // the scanner reads tokens as jsonc-parser's parser would with the same options
        let o = super::parse_options();
        let options = ScannerOptions {
            allow_single_quoted_strings: o.allow_single_quoted_strings,
            allow_hexadecimal_numbers: o.allow_hexadecimal_numbers,
            allow_unary_plus_numbers: o.allow_unary_plus_numbers,
            allow_bare_decimal_point_numbers: o.allow_bare_decimal_point_numbers,
            allow_non_finite_numbers: o.allow_non_finite_numbers,
            allow_extended_string_escapes: o.allow_extended_string_escapes,
        };
        Builder {
            src,
            scanner: Scanner::new(src, &options),
            tape: doc::Builder::with_capacity(entries),
            errors,
            warnings,
            path: String::new(),
            depth: 0,
            max_depth: max_depth.min(MAX_NESTING),
            too_deep: false,
        }
    }

    /// The next token that is not a comment (the gaps report comments).
    fn next(&mut self) -> Next<'s> {
        loop {
            match self.scanner.scan() {
                Err(_) => return Err(GiveUp),
                Ok(None) => return Ok(None),
                Ok(Some(Token::CommentLine(_) | Token::CommentBlock(_))) => continue,
                Ok(Some(token)) => {
                    let span = Span {
                        start: self.scanner.token_start(),
                        end: self.scanner.token_end(),
                    };
                    return Ok(Some((token, span)));
                }
            }
        }
    }

    /// Builds the whole document; `Ok(None)` when it holds nothing but comments and whitespace.
    pub(crate) fn root(
        mut self,
        source: Arc<String>,
    ) -> Result<Option<(Doc, Sink<'l>, Sink<'l>)>, Stopped> {
        match self.document() {
            Ok(true) => Ok(Some((self.tape.finish(source), self.errors, self.warnings))),
            Ok(false) => Ok(None),
            Err(GiveUp) if self.too_deep => Err(Stopped::TooDeep),
            Err(GiveUp) => Err(Stopped::Syntax),
        }
    }

    /// The document's one value; false when there is none (only whitespace and comments).
    fn document(&mut self) -> Result<bool, GiveUp> {
        let Some((token, span)) = self.next()? else {
            return Ok(false);
        };
        self.gap(0, span.start);
        let end = self.value(token, span)?;
        if self.next()?.is_some() {
            return Err(GiveUp);
        }
        self.gap(end, self.src.len());
        Ok(true)
    }

    /// Builds one value from its first token; returns where it ends.
    fn value(&mut self, token: Token<'s>, span: Span) -> Result<usize, GiveUp> {
        match token {
            Token::String(text) => {
                self.check_string(span);
                let decoded = match text {
                    Cow::Owned(text) => Some(text),
                    Cow::Borrowed(_) => None,
                };
                self.tape.scalar(Type::String, span, false, decoded);
            }
            Token::Number(literal) => {
                let tag = if self.number(literal, span) {
                    Type::Number
                } else {
                    Type::Null
                };
                self.tape.scalar(tag, span, false, None);
            }
            Token::Boolean(truth) => self.tape.scalar(Type::Bool, span, truth, None),
            Token::Null => self.tape.scalar(Type::Null, span, false, None),
            Token::OpenBracket => return self.array(span.start),
            Token::OpenBrace => return self.object(span.start),
            _ => return Err(GiveUp),
        }
        Ok(span.end)
    }

    fn enter(&mut self) -> Result<(), GiveUp> {
        self.depth += 1;
        if self.depth > self.max_depth {
            self.too_deep = true;
            return Err(GiveUp);
        }
        Ok(())
    }

    fn array(&mut self, start: usize) -> Result<usize, GiveUp> {
        self.enter()?;
        let at = self.tape.open(Type::Array, start);
        let mut count = 0usize;
        let mut previous_end: Option<usize> = None;
        let path_len = self.path.len();
        let mut token = self.next()?;
        let close = loop {
            match token {
                None => return Err(GiveUp),
                Some((Token::CloseBracket, close)) => break close,
                Some((token, span)) => {
                    let gap = self.gap(previous_end.unwrap_or(start + 1), span.start);
                    if previous_end.is_some() && gap.commas == 0 {
                        self.missing_comma(span.start..span.end, Some(count));
                    }
                    let _ = write!(self.path, "/{count}");
                    let end = self.value(token, span)?;
                    self.path.truncate(path_len);
                    count += 1;
                    previous_end = Some(end);
                }
            }
            token = self.next()?;
            if let Some((Token::Comma, _)) = token {
                token = self.next()?;
            }
        };
        let gap = self.gap(previous_end.unwrap_or(start + 1), close.start);
        if gap.commas > 0 {
            self.trailing_comma(gap.first_comma, "]");
        }
        self.tape.close(at, close.end, count);
        self.depth -= 1;
        Ok(close.end)
    }

    fn object(&mut self, start: usize) -> Result<usize, GiveUp> {
        self.enter()?;
        let at = self.tape.open(Type::Object, start);
        let mut count = 0usize;
        let mut repeated = 0usize;
        let mut previous_end: Option<usize> = None;
        let path_len = self.path.len();
        let close = loop {
            let mut token = self.next()?;
            if previous_end.is_some()
                && let Some((Token::Comma, _)) = token
            {
                token = self.next()?;
            }
            let (name, key_span) = match token {
                Some((Token::CloseBrace, close)) => break close,
                Some((Token::String(name), span)) => (name, span),
                _ => return Err(GiveUp),
            };
            let gap = self.gap(previous_end.unwrap_or(start + 1), key_span.start);
            self.path.push('/');
            push_escaped(&mut self.path, &name);
            if previous_end.is_some() && gap.commas == 0 {
                self.missing_comma(key_span.start..key_span.end, None);
            }
            self.check_string(key_span);
            if !matches!(self.next()?, Some((Token::Colon, _))) {
                return Err(GiveUp);
            }
            let Some((token, value_span)) = self.next()? else {
                return Err(GiveUp);
            };
            self.gap(key_span.end, value_span.start);
            let key = match name {
                Cow::Owned(name) => self.tape.key(key_span, Some(name)),
                Cow::Borrowed(_) => self.tape.key(key_span, None),
            };
            if count < SMALL && self.repeats_earlier(at, key, key_span) {
                repeated += 1;
            }
            let end = self.value(token, value_span)?;
            self.tape.end_member(key);
            self.path.truncate(path_len);
            count += 1;
            previous_end = Some(end);
        };
        let gap = self.gap(previous_end.unwrap_or(start + 1), close.start);
        if gap.commas > 0 {
            self.trailing_comma(gap.first_comma, "}");
        }
        if count > SMALL {
            repeated = self.large_object(at, count, path_len);
        }
        self.tape.close(at, close.end, count - repeated);
        self.depth -= 1;
        Ok(close.end)
    }

    /// In a small object, whether the member just named (`key`) repeats an earlier name: the
    /// earlier one is shadowed and the duplicate reported. The path is the member's.
    fn repeats_earlier(&mut self, object: u32, key: u32, key_span: Span) -> bool {
        let name = self.tape.key_text(self.src, key);
        let mut first: Option<usize> = None;
        let mut live: Option<u32> = None;
        for k in self.tape.keys(object, key) {
            if self.tape.key_text(self.src, k) == name {
                first.get_or_insert(self.tape.start_of(k));
                if !self.tape.is_shadowed(k) {
                    live = Some(k);
                }
            }
        }
        let Some(live) = live else {
            return false;
        };
        // Only a repeated name is copied (for its message).
        let name = name.to_owned();
        self.tape.shadow(live);
        if self.errors.is_full(&catalog::JSON_DUPLICATE_KEY) {
            // Counted for the summary; past the cap nothing more is worded.
            self.errors.push(
                &self.path,
                &catalog::JSON_DUPLICATE_KEY,
                String::new(),
                key_span.start..key_span.end,
            );
        } else {
            self.duplicate(&name, key_span, first);
        }
        true
    }

    /// A large object, once closed: its members sorted by name find the repeated names (each
    /// but the last shadowed and reported) and become the object's lookup index. Returns how
    /// many members are shadowed.
    fn large_object(&mut self, object: u32, count: usize, path_len: usize) -> usize {
        let src = self.src;
        let mut sorted = sorted_members(&self.tape, src, object, count);
        let mut shadowed = 0;
        let mut i = 0;
        while i < sorted.len() {
            let mut j = i + 1;
            while j < sorted.len()
                && sorted[j].0 == sorted[i].0
                && self.tape.key_text(src, sorted[j].1) == self.tape.key_text(src, sorted[i].1)
            {
                j += 1;
            }
            if j - i > 1 {
                let name = self.tape.key_text(src, sorted[i].1).to_owned();
                let first = self.tape.start_of(sorted[i].1);
                // A repeat among the first members was reported as it was read (the member it
                // repeats is shadowed already): report only the others.
                let reported: Vec<bool> = sorted[i..j - 1]
                    .iter()
                    .map(|&(_, k)| self.tape.is_shadowed(k))
                    .collect();
                for &(_, k) in &sorted[i..j - 1] {
                    self.tape.shadow(k);
                    shadowed += 1;
                }
                self.path.push('/');
                push_escaped(&mut self.path, &name);
                for (&(_, k), _) in sorted[i + 1..j].iter().zip(&reported).filter(|(_, r)| !**r) {
                    let span = self.tape.span_of(k);
                    if self.errors.is_full(&catalog::JSON_DUPLICATE_KEY) {
                        self.errors.push(
                            &self.path,
                            &catalog::JSON_DUPLICATE_KEY,
                            String::new(),
                            span.start..span.end,
                        );
                    } else {
                        self.duplicate(&name, span, Some(first));
                    }
                }
                self.path.truncate(path_len);
            }
            i = j;
        }
        if shadowed > 0 {
            sorted.retain(|&(_, k)| !self.tape.is_shadowed(k));
        }
        // exact capacity: no copy
        self.tape.set_index(object, sorted.into_boxed_slice());
        shadowed
    }

    /// Checks the text between two tokens: whitespace, commas, a colon, comments.
    fn gap(&mut self, start: usize, end: usize) -> Gap {
        let bytes = self.src.as_bytes();
        let mut gap = Gap::default();
        let mut i = start;
        while i < end.min(bytes.len()) {
            match bytes[i] {
                b' ' | b'\t' | b'\n' | b'\r' | b':' => i += 1,
                b',' => {
                    if gap.commas == 0 {
                        gap.first_comma = i;
                    }
                    gap.commas += 1;
                    i += 1;
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    let mut j = i + 2;
                    while j < end && !matches!(bytes[j], b'\n' | b'\r') {
                        j += 1;
                    }
                    // the comment without the spaces that may end its line
                    let text_end = i
                        + 2
                        + bytes
                            .get(i + 2..j)
                            .unwrap_or_default()
                            .trim_ascii_end()
                            .len();
                    self.errors.push(
                        &self.path,
                        &catalog::JSON_COMMENT,
                        "comments are not allowed in JSON: remove this // comment".to_string(),
                        i..text_end,
                    );
                    i = j;
                }
                b'/' => {
                    let mut j = i + 2;
                    while j + 1 < end && !(bytes[j] == b'*' && bytes[j + 1] == b'/') {
                        j += 1;
                    }
                    self.errors.push(
                        &self.path,
                        &catalog::JSON_COMMENT,
                        "comments are not allowed in JSON: remove this /* */ comment".to_string(),
                        i..(j + 2).min(end),
                    );
                    i = j + 2;
                }
                _ => {
                    // jsonc-parser skips more whitespace than JSON allows (form feed, no-break space...)
                    let c = self
                        .src
                        .get(i..)
                        .and_then(|rest| rest.chars().next())
                        .unwrap_or('\u{FFFD}');
                    self.errors.push(
                        &self.path,
                        &catalog::JSON_SYNTAX,
                        format!(
                            "expected a space, tab or line break between tokens, found {}: JSON allows no other whitespace",
                            describe_char(c)
                        ),
                        i..i + c.len_utf8(),
                    );
                    i += c.len_utf8();
                }
            }
        }
        gap
    }

    /// A member or element whose first token is `token`, with no comma before it; `element` is
    /// its index in an array (the path is then the array's), `None` in an object (the path is
    /// the member's).
    fn missing_comma(&mut self, token: std::ops::Range<usize>, element: Option<usize>) {
        let next = token.start;
        let pointer = |path: &str, index: usize| format!("{path}/{index}");
        if let (Some(index), Some(number_start)) = (element, leading_zero(self.src, next)) {
            let end = self.src[next..]
                .find(|c: char| !c.is_ascii_digit() && !matches!(c, '.' | 'e' | 'E' | '+' | '-'))
                .map_or(self.src.len(), |n| next + n);
            let message = format!(
                "a number cannot start with a leading zero, found '{}'",
                &self.src[number_start..end]
            );
            let at = pointer(&self.path, index.saturating_sub(1));
            self.errors
                .push(&at, &catalog::JSON_SYNTAX, message, number_start..end);
            return;
        }
        let found = super::diag::describe_found(self.src, next);
        match element {
            Some(index) => {
                let message = format!("expected ',' or ']' after an array element, found {found}");
                let at = pointer(&self.path, index);
                self.errors.push(&at, &catalog::JSON_SYNTAX, message, token);
            }
            None => {
                let message = format!("expected ',' or '}}' after an object member, found {found}");
                self.errors
                    .push(&self.path, &catalog::JSON_SYNTAX, message, token);
            }
        }
    }

    fn trailing_comma(&mut self, offset: usize, close: &str) {
        self.errors.push(
            &self.path,
            &catalog::JSON_TRAILING_COMMA,
            format!("expected a value after ',', found '{close}': JSON allows no trailing comma, remove it"),
            offset..offset + 1,
        );
    }

    fn duplicate(&mut self, key: &str, span: Span, first_start: Option<usize>) {
        let first = first_start.map(|start| self.errors.line_col(start).0);
        let shown = serde_json::to_string(key).unwrap_or_default();
        let message = match first {
            Some(line) => format!(
                "duplicate key {shown}: it was already set on line {line}; the last value wins, remove one of them"
            ),
            None => format!("duplicate key {shown}: the last value wins, remove one of them"),
        };
        self.errors.push(
            &self.path,
            &catalog::JSON_DUPLICATE_KEY,
            message,
            span.start..span.end,
        );
    }

    /// Raw control characters (U+0000..U+001F) are not allowed inside JSON strings.
    fn check_string(&mut self, span: Span) {
        let bytes = self.src.as_bytes();
        let inner = bytes
            .get(span.start + 1..span.end.saturating_sub(1))
            .unwrap_or_default();
        let Some(first) = inner.iter().position(|&b| b < 0x20) else {
            return;
        };
        let more = inner[first + 1..].iter().filter(|&&b| b < 0x20).count();
        let b = inner[first];
        let escape = match b {
            b'\n' => "\\n".to_string(),
            b'\r' => "\\r".to_string(),
            b'\t' => "\\t".to_string(),
            0x08 => "\\b".to_string(),
            0x0C => "\\f".to_string(),
            _ => format!("\\u{b:04x}"),
        };
        let mut message = format!(
            "expected an escape sequence, found the raw control character {} inside a string: write it as {escape}",
            describe_char(char::from(b))
        );
        if more > 0 {
            message.push_str(&format!(" ({more} more in this string)"));
        }
        self.errors.push(
            &self.path,
            &catalog::JSON_SYNTAX,
            message,
            span.start + 1 + first..span.start + 2 + first,
        );
    }

    /// The number as serde_json holds it; out-of-range numbers are errors, integers beyond
    /// 64 bits (read as floats) are warnings.
    fn number(&mut self, literal: &str, span: Span) -> bool {
        match serde_json::Number::from_str(literal) {
            Ok(number) => {
                let integer = !literal.contains(['.', 'e', 'E']);
                if integer
                    && number.is_f64()
                    && literal.trim_start_matches('-').bytes().any(|b| b != b'0')
                {
                    self.warnings.push(
                        &self.path,
                        &catalog::JSON_PRECISION,
                        format!(
                            "the integer {literal} does not fit in 64 bits and is read as the float {number}: digits may be lost"
                        ),
                        span.start..span.end,
                    );
                }
                if number.as_f64() == Some(0.0) && !number.is_u64() && !number.is_i64() {
                    let mantissa = literal
                        .split(['e', 'E'])
                        .next()
                        .unwrap_or_default()
                        .trim_start_matches('-');
                    if mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
                        self.warnings.push(
                            &self.path,
                            &catalog::JSON_PRECISION,
                            format!("{literal} is too small for a 64-bit float and is read as 0"),
                            span.start..span.end,
                        );
                    } else if literal.starts_with('-') {
                        self.warnings.push(
                            &self.path,
                            &catalog::JSON_PRECISION,
                            format!("{literal} is read as 0: JSON readers drop the sign of zero"),
                            span.start..span.end,
                        );
                    }
                }
                true
            }
            Err(_) => {
                self.errors.push(
                    &self.path,
                    &catalog::JSON_NUMBER,
                    format!(
                        "expected a number within the range of a 64-bit float, found {literal}: it cannot be represented"
                    ),
                    span.start..span.end,
                );
                false
            }
        }
    }
}

/// What one pass over the bytes tells before parsing, cheaply and approximately (comments are
/// read as text): the builder enforces the nesting limit itself, this only lets a document that
/// plainly nests too deep be refused before it is parsed.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Measure {
    /// About how many tape entries the document needs: one per string and per other token
    /// that is a value or opens one.
    pub entries: usize,
    /// How deep its brackets nest outside strings.
    pub deepest: usize,
}

/// Measures `bytes` (see [`Measure`]).
pub(crate) fn measure(bytes: &[u8]) -> Measure {
    let mut m = Measure::default();
    let mut depth = 0usize;
    let mut i = 0;
    let mut in_word = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                m.entries += 1;
                in_word = false;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' | b'{' => {
                m.entries += 1;
                depth += 1;
                m.deepest = m.deepest.max(depth);
                in_word = false;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                in_word = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => in_word = false,
            _ => {
                if !in_word {
                    m.entries += 1;
                }
                in_word = true;
            }
        }
        i += 1;
    }
    m
}
