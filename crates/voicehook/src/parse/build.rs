//! From jsonc-parser's AST to a `serde_json::Value` and a tree of byte spans, in one walk that
//! also reports what jsonc-parser was told to tolerate so that all of it is reported at once:
//! comments, trailing commas, missing commas, non-JSON whitespace, raw control characters in
//! strings, duplicate keys and numbers out of range.
//!
//! Recursion follows the document's nesting, which the outline pre-scan and jsonc-parser's own
//! limit have already bounded.

use crate::catalog;
use std::collections::HashMap;
use std::fmt::Write;
use std::str::FromStr;

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use serde_json::Value;

use super::diag::{Sink, describe_char, leading_zero};
use super::outline::push_escaped;
use super::tree::{Member, Members, Node, Span};

/// Walks one document; collects errors and warnings into its sinks.
pub(crate) struct Builder<'s, 'l> {
    src: &'s str,
    pub(crate) errors: Sink<'l>,
    pub(crate) warnings: Sink<'l>,
    /// Pointer of the value being built.
    path: String,
}

/// What lies between two tokens.
#[derive(Default)]
struct Gap {
    commas: usize,
    first_comma: usize,
}

impl<'s, 'l> Builder<'s, 'l> {
    pub(crate) fn new(src: &'s str, errors: Sink<'l>, warnings: Sink<'l>) -> Self {
        Builder {
            src,
            errors,
            warnings,
            path: String::new(),
        }
    }

    /// Builds the root value and checks the text around it.
    pub(crate) fn root(&mut self, value: ast::Value<'s>) -> (Value, Node) {
        let range = value.range();
        self.gap(0, range.start);
        self.gap(range.end, self.src.len());
        self.value(value)
    }

    fn value(&mut self, value: ast::Value<'s>) -> (Value, Node) {
        let range = value.range();
        let span = Span {
            start: range.start,
            end: range.end,
        };
        match value {
            ast::Value::StringLit(lit) => {
                self.check_string(span);
                (Value::String(lit.value.into_owned()), Node::Leaf(span))
            }
            ast::Value::NumberLit(lit) => (self.number(lit.value, span), Node::Leaf(span)),
            ast::Value::BooleanLit(lit) => (Value::Bool(lit.value), Node::Leaf(span)),
            ast::Value::NullKeyword(_) => (Value::Null, Node::Leaf(span)),
            ast::Value::Array(array) => self.array(array, span),
            ast::Value::Object(object) => self.object(object, span),
        }
    }

    fn array(&mut self, array: ast::Array<'s>, span: Span) -> (Value, Node) {
        let mut values = Vec::with_capacity(array.elements.len());
        let mut nodes = Vec::with_capacity(array.elements.len());
        let mut previous: Option<Span> = None;
        let path_len = self.path.len();
        for (index, element) in shrinking(array.elements).enumerate() {
            let range = element.range();
            let gap_start = previous.map_or(span.start + 1, |p| p.end);
            let gap = self.gap(gap_start, range.start);
            if previous.is_some() && gap.commas == 0 {
                self.missing_comma(range.start, Some(index));
            }
            let _ = write!(self.path, "/{index}");
            let (value, node) = self.value(element);
            self.path.truncate(path_len);
            values.push(value);
            nodes.push(node);
            previous = Some(Span {
                start: range.start,
                end: range.end,
            });
        }
        let tail = previous.map_or(span.start + 1, |p| p.end);
        let gap = self.gap(tail, span.end.saturating_sub(1));
        if gap.commas > 0 {
            self.trailing_comma(gap.first_comma, "]");
        }
        (Value::Array(values), Node::Array(span, nodes))
    }

    fn object(&mut self, object: ast::Object<'s>, span: Span) -> (Value, Node) {
        let mut map = serde_json::Map::with_capacity(object.properties.len());
        let mut members: Vec<Member> = Vec::with_capacity(object.properties.len());
        // Built at the first duplicate and kept up to date from then on: where each name was
        // first set, so that each duplicate finds it without scanning the members before it.
        let mut first_set: Option<HashMap<String, usize>> = None;
        let mut previous_end: Option<usize> = None;
        let path_len = self.path.len();
        for prop in shrinking(object.properties) {
            let (key, key_range) = match prop.name {
                ast::ObjectPropName::String(lit) => (lit.value.into_owned(), lit.range),
                ast::ObjectPropName::Word(word) => (word.value.to_string(), word.range),
            };
            let key_span = Span {
                start: key_range.start,
                end: key_range.end,
            };
            let gap = self.gap(previous_end.unwrap_or(span.start + 1), key_span.start);
            self.path.push('/');
            push_escaped(&mut self.path, &key);
            if previous_end.is_some() && gap.commas == 0 {
                self.missing_comma(key_span.start, None);
            }
            self.check_string(key_span);
            let value_range = prop.value.range();
            self.gap(key_span.end, value_range.start);
            let (value, node) = self.value(prop.value);
            let escaped = self
                .src
                .get(key_span.start..key_span.end)
                .is_some_and(|raw| raw.contains('\\'));
            if map.contains_key(&key) && self.errors.is_full(catalog::JSON_DUPLICATE_KEY.id) {
                // Counted for the summary; past the cap nothing more is worded or looked up.
                self.errors.push(
                    &self.path,
                    catalog::JSON_DUPLICATE_KEY.id,
                    String::new(),
                    key_span.start,
                );
            } else if map.contains_key(&key) {
                let index = first_set.get_or_insert_with(|| {
                    let mut index = HashMap::with_capacity(members.len());
                    for (i, m) in members.iter().enumerate() {
                        index.entry(m.name(self.src).into_owned()).or_insert(i);
                    }
                    index
                });
                let first = index.get(&key).map(|&i| members[i].key.start);
                self.duplicate(&key, key_span, first);
            } else if let Some(index) = &mut first_set {
                index.insert(key.clone(), members.len());
            }
            map.insert(key, value);
            members.push(Member {
                key: key_span,
                escaped,
                value: node,
            });
            self.path.truncate(path_len);
            previous_end = Some(value_range.end);
        }
        let gap = self.gap(
            previous_end.unwrap_or(span.start + 1),
            span.end.saturating_sub(1),
        );
        if gap.commas > 0 {
            self.trailing_comma(gap.first_comma, "}");
        }
        (
            Value::Object(map),
            Node::Object(span, Members::new(members)),
        )
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
                    self.errors.push(
                        &self.path,
                        catalog::JSON_COMMENT.id,
                        "comments are not allowed in JSON: remove this // comment".to_string(),
                        i,
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
                        catalog::JSON_COMMENT.id,
                        "comments are not allowed in JSON: remove this /* */ comment".to_string(),
                        i,
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
                        catalog::JSON_SYNTAX.id,
                        format!(
                            "expected a space, tab or line break between tokens, found {}: JSON allows no other whitespace",
                            describe_char(c)
                        ),
                        i,
                    );
                    i += c.len_utf8();
                }
            }
        }
        gap
    }

    /// A member or element at `next` with no comma before it; `element` is its index in an
    /// array (the path is then the array's), `None` in an object (the path is the member's).
    fn missing_comma(&mut self, next: usize, element: Option<usize>) {
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
                .push(&at, catalog::JSON_SYNTAX.id, message, number_start);
            return;
        }
        let found = super::diag::describe_found(self.src, next);
        match element {
            Some(index) => {
                let message = format!("expected ',' or ']' after an array element, found {found}");
                let at = pointer(&self.path, index);
                self.errors
                    .push(&at, catalog::JSON_SYNTAX.id, message, next);
            }
            None => {
                let message = format!("expected ',' or '}}' after an object member, found {found}");
                self.errors
                    .push(&self.path, catalog::JSON_SYNTAX.id, message, next);
            }
        }
    }

    fn trailing_comma(&mut self, offset: usize, close: &str) {
        self.errors.push(
            &self.path,
            catalog::JSON_TRAILING_COMMA.id,
            format!("expected a value after ',', found '{close}': JSON allows no trailing comma, remove it"),
            offset,
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
            catalog::JSON_DUPLICATE_KEY.id,
            message,
            span.start,
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
            catalog::JSON_SYNTAX.id,
            message,
            span.start + 1 + first,
        );
    }

    /// The number as serde_json holds it; out-of-range numbers are errors, integers beyond
    /// 64 bits (read as floats) are warnings.
    fn number(&mut self, literal: &str, span: Span) -> Value {
        match serde_json::Number::from_str(literal) {
            Ok(number) => {
                let integer = !literal.contains(['.', 'e', 'E']);
                if integer
                    && number.is_f64()
                    && literal.trim_start_matches('-').bytes().any(|b| b != b'0')
                {
                    self.warnings.push(
                        &self.path,
                        catalog::JSON_PRECISION.id,
                        format!(
                            "the integer {literal} does not fit in 64 bits and is read as the float {number}: digits may be lost"
                        ),
                        span.start,
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
                            catalog::JSON_PRECISION.id,
                            format!("{literal} is too small for a 64-bit float and is read as 0"),
                            span.start,
                        );
                    } else if literal.starts_with('-') {
                        self.warnings.push(
                            &self.path,
                            catalog::JSON_PRECISION.id,
                            format!("{literal} is read as 0: JSON readers drop the sign of zero"),
                            span.start,
                        );
                    }
                }
                Value::Number(number)
            }
            Err(_) => {
                self.errors.push(
                    &self.path,
                    catalog::JSON_NUMBER.id,
                    format!(
                        "expected a number within the range of a 64-bit float, found {literal}: it cannot be represented"
                    ),
                    span.start,
                );
                Value::Null
            }
        }
    }
}

/// The items of `list` front to back, handing its memory back as they are taken: the syntax
/// tree of a large array or object is released while its value is built, instead of both being
/// held at their full size (a `details` of a million legs: about 110 MB less at the peak).
fn shrinking<T>(mut list: Vec<T>) -> impl Iterator<Item = T> {
    list.reverse();
    std::iter::from_fn(move || {
        let item = list.pop();
        if list.capacity() > 64 && list.len() < list.capacity() / 4 {
            list.shrink_to(list.len() * 2);
        }
        item
    })
}
