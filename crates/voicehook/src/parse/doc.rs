//! The parsed document as one flat tape: an entry of 16 bytes per value and per member name,
//! in document order, each with its byte span in the source. Values are read through
//! [`View`], a copyable handle that borrows the tape and the source; strings are slices of the
//! source unless they hold escapes.
//!
//! A `details` of a million empty legs is two million entries (32 MB) beside its 10 MB of text,
//! where a `serde_json::Value` and a separate tree of spans took over 200 MB.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Number, Value};

/// A byte range in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

/// What an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Type {
    /// `null`, or a number out of range (read as null, as `json.number` says).
    Null = 0,
    /// `true` or `false`.
    Bool = 1,
    /// A number; its text is in the source.
    Number = 2,
    /// A string.
    String = 3,
    /// An array.
    Array = 4,
    /// An object.
    Object = 5,
    /// An object member's name (never a value).
    Key = 6,
}

const TAG: u32 = 0b111;
/// `true` (for [`Type::Bool`]).
const TRUE: u32 = 1 << 3;
/// The decoded text differs from the source (escapes): it is kept in `Doc::decoded`.
const ESCAPED: u32 = 1 << 4;
/// A key a later member of the same object repeats: the later one holds the value.
const SHADOWED: u32 = 1 << 5;
/// Number of elements or members, above the flags (saturating).
const COUNT_SHIFT: u32 = 6;
const COUNT_MAX: u32 = u32::MAX >> COUNT_SHIFT;

/// Objects with more members than this are looked up through an index built on first use.
const INDEXED: u32 = 16;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    start: u32,
    end: u32,
    /// The entry after this value's subtree; for a key, the entry after its member.
    next: u32,
    meta: u32,
}

impl Entry {
    fn tag(self) -> Type {
        match self.meta & TAG {
            0 => Type::Null,
            1 => Type::Bool,
            2 => Type::Number,
            3 => Type::String,
            4 => Type::Array,
            5 => Type::Object,
            _ => Type::Key,
        }
    }
}

/// The members of a large object by name: (hash of the name, key entry), sorted by hash.
pub(crate) type MemberIndex = Box<[(u32, u32)]>;

/// A parsed document: the source text and its tape.
pub struct Doc {
    /// Shared with the documents rewritten from this one (normalization).
    source: Arc<String>,
    entries: Vec<Entry>,
    /// Decoded text of the strings and keys that hold escapes, by entry, in entry order.
    decoded: Vec<(u32, Box<str>)>,
    /// Member indexes of large objects, by object entry, built on first lookup.
    index: Mutex<HashMap<u32, MemberIndex>>,
    /// Element entries of large arrays, by array entry, built on first lookup by position.
    elements: Mutex<HashMap<u32, Box<[u32]>>>,
}

impl Doc {
    /// Whether two documents have the same tape: entries, decoded texts and member indexes.
    #[cfg(test)]
    pub(crate) fn same_tape(&self, other: &Doc) -> bool {
        let index = |d: &Doc| {
            let map = d.index.lock().unwrap_or_else(|p| p.into_inner());
            let mut all: Vec<(u32, MemberIndex)> =
                map.iter().map(|(k, v)| (*k, v.clone())).collect();
            all.sort();
            all
        };
        self.source == other.source
            && self.entries == other.entries
            && self.decoded == other.decoded
            && index(self) == index(other)
    }
}

impl Clone for Doc {
    fn clone(&self) -> Self {
        Doc {
            source: Arc::clone(&self.source),
            entries: self.entries.clone(),
            decoded: self.decoded.clone(),
            index: Mutex::default(),
            elements: Mutex::default(),
        }
    }
}

impl std::fmt::Debug for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Doc")
            .field("entries", &self.entries.len())
            .field("source", &self.source.len())
            .finish()
    }
}

impl Doc {
    /// Reads `text` (strict JSON, as [`super::parse`] accepts it with the default limits).
    pub fn parse_str(text: &str) -> Result<Doc, Vec<crate::Diagnostic>> {
        super::parse(text.as_bytes(), &super::Limits::default()).map(super::Parsed::into_doc)
    }

    /// The tape of a `serde_json::Value` (serialized, then read): for callers that hold one.
    pub fn from_value(value: &Value) -> Doc {
        let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
        let limits = super::Limits {
            max_depth: usize::MAX,
            max_size: usize::MAX,
        };
        match super::parse(text.as_bytes(), &limits) {
            Ok(parsed) => parsed.into_doc(),
            // serde_json writes JSON; only nesting beyond jsonc-parser's limit is refused
            Err(_) => {
                let mut tape = Builder::with_capacity(1);
                tape.scalar(Type::Null, Span { start: 0, end: 4 }, false, None);
                tape.finish("null".to_owned().into())
            }
        }
    }

    /// The text the document was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The root value.
    pub fn root(&self) -> View<'_> {
        View { doc: self, i: 0 }
    }

    /// Number of entries (values and member names).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the tape is empty (never, for a parsed document).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn text(&self, i: u32) -> &str {
        let e = self.entries[i as usize];
        if e.meta & ESCAPED != 0
            && let Ok(at) = self.decoded.binary_search_by_key(&i, |d| d.0)
        {
            return &self.decoded[at].1;
        }
        match e.tag() {
            Type::String | Type::Key => self
                .source
                .get(e.start as usize + 1..(e.end as usize).saturating_sub(1))
                .unwrap_or_default(),
            _ => self
                .source
                .get(e.start as usize..e.end as usize)
                .unwrap_or_default(),
        }
    }

    /// The key entry of the member named `key` in the object at `obj` (the last one, when the
    /// name repeats).
    fn find_key(&self, obj: u32, key: &str) -> Option<u32> {
        let e = self.entries[obj as usize];
        if (e.meta >> COUNT_SHIFT) <= INDEXED {
            // An earlier member whose name repeats is shadowed, so the live one is the only
            // match; a name written without escapes has its length between the quotes.
            let mut k = obj + 1;
            while k < e.next {
                let entry = self.entries[k as usize];
                if entry.meta & SHADOWED == 0
                    && (entry.meta & ESCAPED != 0
                        || (entry.end - entry.start) as usize == key.len() + 2)
                    && self.text(k) == key
                {
                    return Some(k);
                }
                k = entry.next;
            }
            return None;
        }
        let mut map = self.index.lock().unwrap_or_else(|p| p.into_inner());
        let index = map.entry(obj).or_insert_with(|| self.build_index(obj));
        let h = hash(key);
        let start = index.partition_point(|&(x, _)| x < h);
        index[start..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .map(|&(_, k)| k)
            .find(|&k| self.text(k) == key)
    }

    fn build_index(&self, obj: u32) -> MemberIndex {
        let e = self.entries[obj as usize];
        let mut index = Vec::with_capacity((e.meta >> COUNT_SHIFT) as usize);
        let mut k = obj + 1;
        while k < e.next {
            let key = self.entries[k as usize];
            if key.meta & SHADOWED == 0 {
                index.push((hash(self.text(k)), k));
            }
            k = key.next;
        }
        index.sort_unstable();
        index.into_boxed_slice()
    }

    /// Follows `pointer` (RFC 6901) as far as it goes; `None` for a malformed pointer.
    pub(crate) fn locate(&self, pointer: &str) -> Option<Located> {
        self.locate_from(0, pointer)
    }

    /// [`locate`](Self::locate), starting at the value at entry `start`.
    fn locate_from(&self, start: u32, pointer: &str) -> Option<Located> {
        let mut found = Located {
            value: start,
            key: None,
            complete: true,
        };
        if pointer.is_empty() {
            return Some(found);
        }
        let rest = pointer.strip_prefix('/')?;
        for raw in rest.split('/') {
            let segment = unescape(raw)?;
            let here = self.entries[found.value as usize];
            let next = match here.tag() {
                Type::Object => self
                    .find_key(found.value, &segment)
                    .map(|k| (k + 1, Some(k))),
                Type::Array => index(&segment)
                    .and_then(|n| {
                        View {
                            doc: self,
                            i: found.value,
                        }
                        .index(n)
                    })
                    .map(|v| (v.i, None)),
                _ => None,
            };
            match next {
                Some((value, key)) => {
                    found.value = value;
                    found.key = key;
                }
                None => {
                    found.complete = false;
                    return Some(found);
                }
            }
        }
        Some(found)
    }

    /// The span of the value at entry `i`.
    pub(crate) fn span_of(&self, i: u32) -> Span {
        let e = self.entries[i as usize];
        Span {
            start: e.start as usize,
            end: e.end as usize,
        }
    }
}

/// One change [`Doc::rewrite`] makes, keyed by the entry it applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Rewrite {
    /// A member's name (at its key entry) becomes this one.
    Rename(String),
    /// The member (at its key entry) is left out.
    Remove,
    /// The value becomes `null`.
    Null,
    /// The value becomes the number written so.
    Number(String),
    /// The value becomes this string.
    Text(String),
    /// The value becomes an object holding it under this name.
    Wrap(String),
}

impl Doc {
    /// A copy of this document with `edits` applied, over the same source: the spans of the
    /// copy still point at the text as written (a renamed key at its old name, a number read
    /// from a string at the string). A repeated name is kept once, with its last value.
    pub(crate) fn rewrite(&self, edits: &HashMap<u32, Rewrite>) -> Doc {
        let mut b = Builder::with_capacity(self.entries.len() + edits.len());
        self.copy(0, edits, &mut b, true);
        b.finish(Arc::clone(&self.source))
    }

    fn decoded_of(&self, i: u32) -> Option<String> {
        (self.entries[i as usize].meta & ESCAPED != 0).then(|| self.text(i).to_owned())
    }

    fn copy(&self, i: u32, edits: &HashMap<u32, Rewrite>, b: &mut Builder, edit: bool) {
        let e = self.entries[i as usize];
        let span = self.span_of(i);
        match edits.get(&i).filter(|_| edit) {
            Some(Rewrite::Null) => return b.scalar(Type::Null, span, false, None),
            Some(Rewrite::Number(text)) => {
                return b.scalar(Type::Number, span, false, Some(text.clone()));
            }
            Some(Rewrite::Text(text)) => {
                return b.scalar(Type::String, span, false, Some(text.clone()));
            }
            Some(Rewrite::Wrap(name)) => {
                let at = b.open(Type::Object, span.start);
                let key = b.key(span, Some(name.clone()));
                self.copy(i, edits, b, false);
                b.end_member(key);
                return b.close(at, span.end, 1);
            }
            _ => {}
        }
        match e.tag() {
            Type::Array => {
                let at = b.open(Type::Array, span.start);
                let mut count = 0;
                let mut k = i + 1;
                while k < e.next {
                    self.copy(k, edits, b, true);
                    count += 1;
                    k = self.entries[k as usize].next;
                }
                b.close(at, span.end, count);
            }
            Type::Object => {
                let at = b.open(Type::Object, span.start);
                let mut count = 0;
                let mut k = i + 1;
                while k < e.next {
                    let key = self.entries[k as usize];
                    let next = key.next;
                    let rewrite = edits.get(&k);
                    if key.meta & SHADOWED == 0 && rewrite != Some(&Rewrite::Remove) {
                        let name = match rewrite {
                            Some(Rewrite::Rename(name)) => Some(name.clone()),
                            _ => self.decoded_of(k),
                        };
                        let new_key = b.key(self.span_of(k), name);
                        self.copy(k + 1, edits, b, true);
                        b.end_member(new_key);
                        count += 1;
                    }
                    k = next;
                }
                b.close(at, span.end, count);
            }
            tag => b.scalar(tag, span, e.meta & TRUE != 0, self.decoded_of(i)),
        }
    }
}

/// Where a pointer lookup ended.
pub(crate) struct Located {
    /// The deepest value reached (its entry).
    pub value: u32,
    /// The key entry of the member holding `value`, when the last segment reached named one.
    pub key: Option<u32>,
    /// Whether the whole pointer was resolved.
    pub complete: bool,
}

/// FNV-1a folded to 32 bits: enough to spread member names; equal hashes are checked by name.
pub(crate) fn hash(text: &str) -> u32 {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    (h ^ (h >> 32)) as u32
}

/// A name's length and first seven bytes in one number: names of up to seven bytes have their
/// own, and comparing two numbers decides most lookups without comparing text.
pub(crate) fn name_key(name: &str) -> u64 {
    let b = name.as_bytes();
    let prefix = (0..7).fold(0u64, |p, i| {
        p << 8 | u64::from(b.get(i).copied().unwrap_or(0))
    });
    (b.len().min(255) as u64) << 56 | prefix
}

/// One pointer segment, unescaped (`~1` is `/`, `~0` is `~`); `None` for a bad escape.
pub(crate) fn unescape(segment: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !segment.contains('~') {
        return Some(std::borrow::Cow::Borrowed(segment));
    }
    let mut out = String::with_capacity(segment.len());
    let mut chars = segment.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(std::borrow::Cow::Owned(out))
}

/// An array index as RFC 6901 spells it: `0` or digits without a leading zero.
fn index(segment: &str) -> Option<usize> {
    if segment.is_empty() || (segment.len() > 1 && segment.starts_with('0')) {
        return None;
    }
    if !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

/// A value of a [`Doc`]: a copyable handle (a reference and an entry number).
///
/// Reads like `serde_json::Value`: `get`, `pointer`, `as_str`, `as_u64`, `members`, `items`.
/// For a repeated member name the last value wins, as in `serde_json`.
#[derive(Clone, Copy)]
pub struct View<'d> {
    doc: &'d Doc,
    i: u32,
}

impl std::fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_value())
    }
}

/// Compact JSON, as `serde_json::Value` displays (numbers as `serde_json` reads them:
/// `1e16`, `1500.0`; members in document order, a repeated name once).
impl std::fmt::Display for View<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| std::fmt::Error)?;
        f.write_str(&text)
    }
}

/// Serializes as the JSON value it is, without copying it into a `serde_json::Value`.
impl serde::Serialize for View<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.kind() {
            Type::Null | Type::Key => serializer.serialize_unit(),
            Type::Bool => serializer.serialize_bool(self.as_bool().unwrap_or_default()),
            Type::Number => match self.as_number() {
                Some(n) => n.serialize(serializer),
                None => serializer.serialize_unit(),
            },
            Type::String => serializer.serialize_str(self.as_str().unwrap_or_default()),
            Type::Array => {
                let mut seq = serializer.serialize_seq(Some(self.len()))?;
                for item in self.items() {
                    seq.serialize_element(&item)?;
                }
                seq.end()
            }
            Type::Object => {
                let mut map = serializer.serialize_map(None)?;
                for (key, value) in self.members() {
                    map.serialize_entry(key, &value)?;
                }
                map.end()
            }
        }
    }
}

impl PartialEq for View<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.to_value() == other.to_value()
    }
}

impl PartialEq<Value> for View<'_> {
    fn eq(&self, other: &Value) -> bool {
        self.eq_value(other)
    }
}

impl PartialEq<&str> for View<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl<'d> View<'d> {
    fn entry(self) -> Entry {
        self.doc.entries[self.i as usize]
    }

    /// The entry number of this value (what [`Doc::rewrite`] edits are keyed by); for a member's
    /// value, its key is the entry before.
    pub(crate) fn id(self) -> u32 {
        self.i
    }

    /// The document this value belongs to.
    pub fn doc(self) -> &'d Doc {
        self.doc
    }

    /// What the value is.
    pub fn kind(self) -> Type {
        self.entry().tag()
    }

    /// "an array", "a string", "an integer"... for messages.
    pub fn type_name(self) -> &'static str {
        match self.kind() {
            Type::Null | Type::Key => "null",
            Type::Bool => "a boolean",
            Type::Number if self.is_i64() || self.is_u64() => "an integer",
            Type::Number => "a number",
            Type::String => "a string",
            Type::Array => "an array",
            Type::Object => "an object",
        }
    }

    /// Byte range of the value in the source.
    pub fn span(self) -> std::ops::Range<usize> {
        let e = self.entry();
        e.start as usize..e.end as usize
    }

    /// The value's text as written (quotes included for a string).
    pub fn raw(self) -> &'d str {
        let e = self.entry();
        self.doc
            .source
            .get(e.start as usize..e.end as usize)
            .unwrap_or_default()
    }

    /// Whether the value is `null` (or a number out of range).
    pub fn is_null(self) -> bool {
        self.kind() == Type::Null
    }
    /// Whether the value is `true` or `false`.
    pub fn is_boolean(self) -> bool {
        self.kind() == Type::Bool
    }
    /// Whether the value is a number.
    pub fn is_number(self) -> bool {
        self.kind() == Type::Number
    }
    /// Whether the value is a string.
    pub fn is_string(self) -> bool {
        self.kind() == Type::String
    }
    /// Whether the value is an array.
    pub fn is_array(self) -> bool {
        self.kind() == Type::Array
    }
    /// Whether the value is an object.
    pub fn is_object(self) -> bool {
        self.kind() == Type::Object
    }

    /// The decoded text of a string.
    pub fn as_str(self) -> Option<&'d str> {
        (self.kind() == Type::String).then(|| self.doc.text(self.i))
    }

    /// The value of a boolean.
    pub fn as_bool(self) -> Option<bool> {
        (self.kind() == Type::Bool).then(|| self.entry().meta & TRUE != 0)
    }

    /// The number as `serde_json` reads it (integers exact, the rest as `f64`).
    pub fn as_number(self) -> Option<Number> {
        if self.kind() != Type::Number {
            return None;
        }
        Number::from_str(self.doc.text(self.i)).ok()
    }

    /// The number's text as written.
    pub fn number_text(self) -> Option<&'d str> {
        (self.kind() == Type::Number).then(|| self.doc.text(self.i))
    }

    /// A number as `f64`.
    pub fn as_f64(self) -> Option<f64> {
        self.as_number().and_then(|n| n.as_f64())
    }
    /// A number as `i64`, when it is an integer that fits.
    pub fn as_i64(self) -> Option<i64> {
        self.as_number().and_then(|n| n.as_i64())
    }
    /// A number as `u64`, when it is a non-negative integer that fits.
    pub fn as_u64(self) -> Option<u64> {
        self.as_number().and_then(|n| n.as_u64())
    }
    /// Whether the number is an integer that fits `i64`.
    pub fn is_i64(self) -> bool {
        self.as_number().is_some_and(|n| n.is_i64())
    }
    /// Whether the number is a non-negative integer that fits `u64`.
    pub fn is_u64(self) -> bool {
        self.as_number().is_some_and(|n| n.is_u64())
    }
    /// Whether the number is read as a float (a fraction, an exponent or beyond 64 bits).
    pub fn is_f64(self) -> bool {
        self.as_number().is_some_and(|n| n.is_f64())
    }

    /// Number of elements of an array or members of an object (distinct names); 0 otherwise.
    pub fn len(self) -> usize {
        match self.kind() {
            Type::Array => {
                let count = self.entry().meta >> COUNT_SHIFT;
                if count < COUNT_MAX {
                    count as usize
                } else {
                    self.items().count()
                }
            }
            Type::Object => self.members().count(),
            _ => 0,
        }
    }

    /// Whether an array or object has nothing in it (true for scalars too).
    pub fn is_empty(self) -> bool {
        self.entry().meta >> COUNT_SHIFT == 0
    }

    /// The member named `key` of an object.
    pub fn get(self, key: &str) -> Option<View<'d>> {
        if self.kind() != Type::Object {
            return None;
        }
        self.doc.find_key(self.i, key).map(|k| View {
            doc: self.doc,
            i: k + 1,
        })
    }

    /// Element `n` of an array.
    pub fn index(self, n: usize) -> Option<View<'d>> {
        let e = self.entry();
        if e.tag() != Type::Array {
            return None;
        }
        if n < INDEXED as usize || (e.meta >> COUNT_SHIFT) <= INDEXED {
            return self.items().nth(n);
        }
        // Findings inside a large array are placed one by one: each look-up is direct.
        let mut map = self.doc.elements.lock().unwrap_or_else(|p| p.into_inner());
        let elements = map.entry(self.i).or_insert_with(|| {
            // at its size, so the boxed slice is the vector's own memory
            let mut list = Vec::with_capacity((e.meta >> COUNT_SHIFT) as usize);
            list.extend(self.items().map(|v| v.i));
            list.into_boxed_slice()
        });
        elements.get(n).map(|&i| View { doc: self.doc, i })
    }

    /// The value at an RFC 6901 pointer below this one.
    pub fn pointer(self, pointer: &str) -> Option<View<'d>> {
        let found = self.doc.locate_from(self.i, pointer)?;
        found.complete.then_some(View {
            doc: self.doc,
            i: found.value,
        })
    }

    /// The elements of an array (nothing for anything else).
    pub fn items(self) -> Items<'d> {
        let e = self.entry();
        let (next, end) = if e.tag() == Type::Array {
            (self.i + 1, e.next)
        } else {
            (0, 0)
        };
        Items {
            doc: self.doc,
            next,
            end,
        }
    }

    /// The members of an object in source order, a repeated name once (where it was last set).
    pub fn members(self) -> Members<'d> {
        let e = self.entry();
        let (next, end) = if e.tag() == Type::Object {
            (self.i + 1, e.next)
        } else {
            (0, 0)
        };
        Members {
            doc: self.doc,
            next,
            end,
        }
    }

    /// This value, when it is an array.
    pub fn as_array(self) -> Option<View<'d>> {
        self.is_array().then_some(self)
    }

    /// This value, when it is an object.
    pub fn as_object(self) -> Option<View<'d>> {
        self.is_object().then_some(self)
    }

    /// The elements of an array ([`items`](Self::items)).
    pub fn iter(self) -> Items<'d> {
        self.items()
    }

    /// The first element of an array.
    pub fn first(self) -> Option<View<'d>> {
        self.items().next()
    }

    /// The member names of an object.
    pub fn keys(self) -> impl Iterator<Item = &'d str> {
        self.members().map(|(k, _)| k)
    }

    /// The member values of an object.
    pub fn values(self) -> impl Iterator<Item = View<'d>> {
        self.members().map(|(_, v)| v)
    }

    /// Whether this value equals `other` as `serde_json` compares values (numbers by their
    /// exact reading: `1` is not `1.0`), without copying it.
    pub fn eq_value(self, other: &Value) -> bool {
        match (self.kind(), other) {
            (Type::Null, Value::Null) => true,
            (Type::Bool, Value::Bool(b)) => self.as_bool() == Some(*b),
            (Type::Number, Value::Number(n)) => self.as_number().as_ref() == Some(n),
            (Type::String, Value::String(s)) => self.as_str() == Some(s.as_str()),
            (Type::Array, Value::Array(items)) => {
                self.len() == items.len() && self.items().zip(items).all(|(a, b)| a.eq_value(b))
            }
            (Type::Object, Value::Object(map)) => {
                self.len() == map.len()
                    && self
                        .members()
                        .all(|(k, v)| map.get(k).is_some_and(|w| v.eq_value(w)))
            }
            _ => false,
        }
    }

    /// A copy as a `serde_json::Value`.
    pub fn to_value(self) -> Value {
        match self.kind() {
            Type::Null | Type::Key => Value::Null,
            Type::Bool => Value::Bool(self.as_bool().unwrap_or_default()),
            Type::Number => self.as_number().map_or(Value::Null, Value::Number),
            Type::String => Value::String(self.as_str().unwrap_or_default().to_owned()),
            Type::Array => Value::Array(self.items().map(View::to_value).collect()),
            Type::Object => {
                let mut map = Map::new();
                let mut k = self.i + 1;
                let end = self.entry().next;
                while k < end {
                    let key = self.doc.entries[k as usize];
                    map.insert(
                        self.doc.text(k).to_owned(),
                        View {
                            doc: self.doc,
                            i: k + 1,
                        }
                        .to_value(),
                    );
                    k = key.next;
                }
                Value::Object(map)
            }
        }
    }
}

/// The elements of an array.
#[derive(Clone)]
pub struct Items<'d> {
    doc: &'d Doc,
    next: u32,
    end: u32,
}

impl<'d> Iterator for Items<'d> {
    type Item = View<'d>;
    fn next(&mut self) -> Option<View<'d>> {
        if self.next >= self.end {
            return None;
        }
        let i = self.next;
        self.next = self.doc.entries[i as usize].next;
        Some(View { doc: self.doc, i })
    }
}

/// The members of an object: name and value.
#[derive(Clone)]
pub struct Members<'d> {
    doc: &'d Doc,
    next: u32,
    end: u32,
}

impl<'d> Iterator for Members<'d> {
    type Item = (&'d str, View<'d>);
    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.end {
            let k = self.next;
            let key = self.doc.entries[k as usize];
            self.next = key.next;
            if key.meta & SHADOWED == 0 {
                return Some((
                    self.doc.text(k),
                    View {
                        doc: self.doc,
                        i: k + 1,
                    },
                ));
            }
        }
        None
    }
}

/// Builds a tape in document order: containers are opened, filled and closed.
pub(crate) struct Builder {
    entries: Vec<Entry>,
    decoded: Vec<(u32, Box<str>)>,
    indexes: HashMap<u32, MemberIndex>,
}

impl Builder {
    /// A builder expecting about `entries` entries.
    pub(crate) fn with_capacity(entries: usize) -> Self {
        Builder {
            entries: Vec::with_capacity(entries),
            decoded: Vec::new(),
            indexes: HashMap::new(),
        }
    }

    fn push(&mut self, tag: Type, span: Span, flags: u32) -> u32 {
        let i = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.entries.push(Entry {
            start: span.start as u32,
            end: span.end as u32,
            next: i.saturating_add(1),
            meta: tag as u8 as u32 | flags,
        });
        i
    }

    /// A scalar value; `decoded` is a string's text when it differs from the source.
    pub(crate) fn scalar(&mut self, tag: Type, span: Span, truth: bool, decoded: Option<String>) {
        let flags = if truth { TRUE } else { 0 } | if decoded.is_some() { ESCAPED } else { 0 };
        let i = self.push(tag, span, flags);
        if let Some(text) = decoded {
            self.decoded.push((i, text.into_boxed_str()));
        }
    }

    /// Opens an array or object starting at `start`; returns its entry.
    pub(crate) fn open(&mut self, tag: Type, start: usize) -> u32 {
        self.push(tag, Span { start, end: start }, 0)
    }

    /// Closes the container `at` ending at `end`, holding `count` elements or members.
    pub(crate) fn close(&mut self, at: u32, end: usize, count: usize) {
        let next = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        let e = &mut self.entries[at as usize];
        e.end = end as u32;
        e.next = next;
        e.meta |= (count.min(COUNT_MAX as usize) as u32) << COUNT_SHIFT;
    }

    /// A member name; its value follows. Returns the key's entry.
    pub(crate) fn key(&mut self, span: Span, decoded: Option<String>) -> u32 {
        let i = self.push(Type::Key, span, if decoded.is_some() { ESCAPED } else { 0 });
        if let Some(text) = decoded {
            self.decoded.push((i, text.into_boxed_str()));
        }
        i
    }

    /// Ends the member whose key is `key` (after its value).
    pub(crate) fn end_member(&mut self, key: u32) {
        let next = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.entries[key as usize].next = next;
    }

    /// Marks the key `key` as repeated later in its object.
    pub(crate) fn shadow(&mut self, key: u32) {
        self.entries[key as usize].meta |= SHADOWED;
    }

    /// The decoded name of key `k` (as pushed).
    pub(crate) fn key_text<'a>(&'a self, source: &'a str, k: u32) -> &'a str {
        let e = self.entries[k as usize];
        if e.meta & ESCAPED != 0
            && let Ok(at) = self.decoded.binary_search_by_key(&k, |d| d.0)
        {
            return &self.decoded[at].1;
        }
        source
            .get(e.start as usize + 1..(e.end as usize).saturating_sub(1))
            .unwrap_or_default()
    }

    /// The key entries of the object at `object` that come before entry `before`.
    pub(crate) fn keys(&self, object: u32, before: u32) -> impl Iterator<Item = u32> + '_ {
        let mut k = object + 1;
        std::iter::from_fn(move || {
            if k >= before || k as usize >= self.entries.len() {
                return None;
            }
            let here = k;
            k = self.entries[k as usize].next;
            // an open member (its value still being built) points at itself + 1
            (k > here).then_some(here)
        })
    }

    /// Where entry `k` starts.
    pub(crate) fn start_of(&self, k: u32) -> usize {
        self.entries[k as usize].start as usize
    }

    /// The span of entry `k`.
    pub(crate) fn span_of(&self, k: u32) -> Span {
        let e = self.entries[k as usize];
        Span {
            start: e.start as usize,
            end: e.end as usize,
        }
    }

    /// Whether key `k` is shadowed by a later member of the same name.
    pub(crate) fn is_shadowed(&self, k: u32) -> bool {
        self.entries[k as usize].meta & SHADOWED != 0
    }

    /// The lookup index of a large object: (hash of the name, key entry), sorted by hash.
    pub(crate) fn set_index(&mut self, object: u32, index: MemberIndex) {
        self.indexes.insert(object, index);
    }

    /// The finished document over `source`.
    pub(crate) fn finish(mut self, source: Arc<String>) -> Doc {
        if self.entries.capacity() > self.entries.len() + self.entries.len() / 8 + 64 {
            self.entries.shrink_to_fit();
        }
        self.decoded.shrink_to_fit();
        Doc {
            source,
            entries: self.entries,
            decoded: self.decoded,
            index: Mutex::new(self.indexes),
            elements: Mutex::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Limits, parse, parse_recovering};

    fn doc(text: &str) -> Doc {
        parse(text.as_bytes(), &Limits::default())
            .unwrap_or_else(|e| panic!("{text}: {e:?}"))
            .doc()
            .clone()
    }

    #[test]
    fn views_read_like_serde_json() {
        let text = r#"{"a": [1, -2, 2.5, "x\u0041", true, null, {}], "b": {"c": "d"}, "é": 18446744073709551615}"#;
        let d = doc(text);
        let root = d.root();
        assert_eq!(
            root.to_value(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        let a = root.get("a").unwrap();
        assert_eq!(a.len(), 7);
        assert_eq!(a.index(0).unwrap().as_u64(), Some(1));
        assert_eq!(a.index(1).unwrap().as_i64(), Some(-2));
        assert!(a.index(2).unwrap().is_f64());
        assert_eq!(a.index(3).unwrap().as_str(), Some("xA"));
        assert_eq!(a.index(4).unwrap().as_bool(), Some(true));
        assert!(a.index(5).unwrap().is_null());
        assert!(a.index(6).unwrap().is_empty());
        assert_eq!(root.pointer("/b/c").unwrap().as_str(), Some("d"));
        assert_eq!(root.get("b").unwrap().pointer("/c").unwrap(), "d");
        assert_eq!(root.pointer("/a/3").unwrap().raw(), r#""x\u0041""#);
        assert_eq!(root.get("é").unwrap().as_u64(), Some(u64::MAX));
        assert!(root.pointer("/a/7").is_none());
        assert!(root.get("zz").is_none());
        let names: Vec<_> = root.members().map(|(k, _)| k).collect();
        assert_eq!(names, ["a", "b", "é"]);
    }

    #[test]
    fn large_objects_find_members_and_repeated_names() {
        // 40 members, "k7" set three times and an escaped "k9" twice: the last value wins
        let mut members: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        members.insert(20, "\"k7\": 100".to_string());
        members.push("\"k7\": 200".to_string());
        members.push("\"k\\u0039\": 900".to_string());
        let text = format!("{{{}}}", members.join(",\n"));
        let parsed = parse_recovering(text.as_bytes(), &Limits::default()).unwrap();
        let dups: Vec<_> = parsed
            .errors()
            .iter()
            .map(|e| (e.rule.as_str(), e.pointer.as_str(), e.line))
            .collect();
        assert_eq!(
            dups,
            [
                ("json.duplicate-key", "/k7", Some(21)),
                ("json.duplicate-key", "/k7", Some(42)),
                ("json.duplicate-key", "/k9", Some(43)),
            ]
        );
        assert!(
            parsed.errors()[0].message.contains("line 8"),
            "{}",
            parsed.errors()[0].message
        );
        let root = parsed.view();
        assert_eq!(root.len(), 40);
        assert_eq!(root.members().count(), 40);
        assert_eq!(root.get("k7").unwrap().as_u64(), Some(200));
        assert_eq!(root.get("k9").unwrap().as_u64(), Some(900));
        assert_eq!(root.get("k39").unwrap().as_u64(), Some(39));
        assert!(root.get("k40").is_none());
        assert_eq!(parsed.position("/k7"), Some((42, 7)));
        assert_eq!(
            root.to_value(),
            serde_json::from_str::<Value>(&text).unwrap()
        );
    }

    #[test]
    fn small_objects_keep_the_last_of_a_repeated_name() {
        let parsed =
            parse_recovering(br#"{"a": 1, "b": 2, "a": 3, "a": 4}"#, &Limits::default()).unwrap();
        assert_eq!(parsed.errors().len(), 2);
        let root = parsed.view();
        assert_eq!(root.len(), 2);
        assert_eq!(root.get("a").unwrap().as_u64(), Some(4));
        let names: Vec<_> = root.members().map(|(k, v)| (k, v.as_u64())).collect();
        assert_eq!(names, [("b", Some(2)), ("a", Some(4))]);
    }

    #[test]
    fn unescapes_pointer_segments() {
        assert_eq!(unescape("a~1b~0c").as_deref(), Some("a/b~c"));
        assert_eq!(unescape("~01").as_deref(), Some("~1"));
        assert_eq!(unescape("a~2"), None);
        assert_eq!(unescape("a~"), None);
    }

    #[test]
    fn array_indices_follow_rfc_6901() {
        assert_eq!(index("0"), Some(0));
        assert_eq!(index("12"), Some(12));
        assert_eq!(index("01"), None);
        assert_eq!(index("-"), None);
        assert_eq!(index("1e2"), None);
        assert_eq!(index("99999999999999999999999"), None);
    }

    #[test]
    fn entries_are_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 16);
        assert_eq!(std::mem::size_of::<View<'_>>(), 16);
    }
}
